//! Local fan-out of published events: each node keeps one broadcast channel per topic that has
//! listeners (a proctor's room, a candidate's page), and routes every event that reaches the
//! node to it. Topics nobody listens to cost nothing.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

/// Sent on every topic when events may have been missed (the bus reconnected): listeners
/// rebuild their view from the database. After a reconnect it is followed by a space and the
/// milliseconds over which the node's listeners spread their reads ([`resync_spread_ms`]).
pub const RESYNC: &str = "\u{0}resync";

/// How many pages a node rebuilds from the database a second when many must be rebuilt at once:
/// after the bus reconnects (a node with 5,000 open pages spreads their reads over 10 s instead
/// of sending 5,000 reads to the database at once), and when a stopping node's pages reconnect
/// to the others.
pub const REBUILDS_PER_SECOND: usize = 500;

/// Over how many milliseconds a resync sent as `payload` is to be spread (0: at once).
pub fn resync_spread_ms(payload: &str) -> Option<u64> {
    let rest = payload.strip_prefix(RESYNC)?;
    Some(rest.trim().parse().unwrap_or(0))
}

/// The topics of this node and their listeners.
#[derive(Default)]
pub struct Hub {
    topics: Mutex<HashMap<String, broadcast::Sender<Arc<str>>>>,
}

impl Hub {
    /// Listens to `topic`; the listener goes away with the receiver. A new topic keeps the last
    /// `backlog` events for listeners that fall behind; past that they are told to resync.
    pub fn subscribe(&self, topic: &str, backlog: usize) -> broadcast::Receiver<Arc<str>> {
        let mut topics = self.topics.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = topics.get(topic) {
            return tx.subscribe();
        }
        let (tx, rx) = broadcast::channel(backlog.max(1));
        topics.insert(topic.to_owned(), tx);
        rx
    }

    /// Hands `payload` to the listeners of `topic`, forgetting the topic when none is left.
    pub fn deliver(&self, topic: &str, payload: &str) {
        let mut topics = self.topics.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = topics.get(topic) {
            if tx.send(Arc::from(payload)).is_err() {
                topics.remove(topic);
            }
        }
    }

    /// Tells every listener to resync, spread over a time that grows with their number
    /// ([`REBUILDS_PER_SECOND`]); forgets topics without listeners.
    pub fn resync_all(&self) {
        let mut topics = self.topics.lock().unwrap_or_else(|p| p.into_inner());
        let listeners: usize = topics.values().map(|tx| tx.receiver_count()).sum();
        let spread_ms = listeners * 1000 / REBUILDS_PER_SECOND;
        let payload: Arc<str> = Arc::from(format!("{RESYNC} {spread_ms}"));
        topics.retain(|_, tx| tx.send(payload.clone()).is_ok());
    }

    /// Topics with listeners on this node.
    pub fn topic_count(&self) -> usize {
        let topics = self.topics.lock().unwrap_or_else(|p| p.into_inner());
        topics.values().filter(|tx| tx.receiver_count() > 0).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_event_reaches_only_the_listeners_of_its_topic() {
        let hub = Hub::default();
        let mut a = hub.subscribe("room:1", 4);
        let mut a2 = hub.subscribe("room:1", 4);
        let mut b = hub.subscribe("room:2", 4);
        hub.deliver("room:1", "x");
        hub.deliver("room:3", "nobody");
        assert_eq!(&*a.recv().await.unwrap(), "x");
        assert_eq!(&*a2.recv().await.unwrap(), "x");
        assert!(b.try_recv().is_err());
        hub.resync_all();
        // Three listeners: their reads are spread over 3 × 1000 / 500 = 6 ms.
        let told = b.recv().await.unwrap();
        assert_eq!(&*told, "\u{0}resync 6");
        assert_eq!(resync_spread_ms(&told), Some(6));
        assert_eq!(resync_spread_ms(RESYNC), Some(0));
        assert_eq!(resync_spread_ms("{\"rows\":[]}"), None);
    }

    #[tokio::test]
    async fn a_topic_is_forgotten_once_its_last_listener_leaves() {
        let hub = Hub::default();
        let rx = hub.subscribe("room:1", 4);
        assert_eq!(hub.topic_count(), 1);
        drop(rx);
        hub.deliver("room:1", "x");
        assert_eq!(hub.topic_count(), 0);
        assert!(hub.topics.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_listener_further_behind_than_its_topics_backlog_is_told_it_lagged_then_hears_the_rest(
    ) {
        let hub = Hub::default();
        let mut page = hub.subscribe("attempt:1", 2);
        for e in ["a", "b", "c"] {
            hub.deliver("attempt:1", e);
        }
        // The stream answers a lag with the page's state read afresh (`routes::sse`).
        assert_eq!(
            page.recv().await,
            Err(broadcast::error::RecvError::Lagged(1))
        );
        assert_eq!(&*page.recv().await.unwrap(), "b");
        assert_eq!(&*page.recv().await.unwrap(), "c");
    }
}

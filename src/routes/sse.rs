//! Server-Sent Events: a first event, then whatever is published on a topic, with comment lines
//! to keep proxies from closing an idle stream. A listener that may have missed events (the bus
//! reconnected, or it fell behind) is sent a fresh first event instead.
use std::sync::Arc;
use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::HttpResponse;
use futures_util::future::BoxFuture;
use tokio::sync::broadcast::{
    self,
    error::{RecvError, TryRecvError},
};

use crate::error::ApiError;
use crate::services::monitor::resync_spread_ms;

/// Builds the full event that brings a listener up to date.
pub type Resync = Arc<dyn Fn() -> BoxFuture<'static, Result<String, ApiError>> + Send + Sync>;

/// Runs at every keep-alive (a heartbeat).
pub type Tick = Arc<dyn Fn() + Send + Sync>;

/// `name\njson` → an SSE frame.
fn frame(payload: &str) -> Bytes {
    let (event, data) = payload.split_once('\n').unwrap_or(("message", payload));
    Bytes::from(format!("event: {event}\ndata: {data}\n\n"))
}

/// When a stream told to rebuild (its node's event bus reconnected, so events may be lost) reads
/// its view again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rebuild {
    /// At its own moment within the spread the node gives (a second per 500 streams): a
    /// candidate's page, one of thousands that would otherwise all read the database at once.
    InTurn,
    /// At once: a proctor's room feed, one of a few a node carries, which shows nothing new to
    /// the proctor until it has (it waited up to 10 s for its turn behind 5,000 pages).
    AtOnce,
}

/// What a stream is told when its node stops: end within a time (each stream picks its own
/// moment in it, so the pages do not all reconnect to the other nodes in the same second).
pub type Stop = crate::services::context::StreamStop;

struct State {
    first: Option<String>,
    stop: Stop,
    /// When this stream ends, once its node has begun to stop.
    ends_at: Option<tokio::time::Instant>,
    rx: broadcast::Receiver<Arc<str>>,
    every: tokio::time::Interval,
    resync: Resync,
    rebuild: Rebuild,
    tick: Option<Tick>,
}

/// A random moment within `spread` from now.
fn within(spread: Duration) -> tokio::time::Instant {
    let ms = spread.as_millis() as u64;
    let wait = if ms == 0 {
        0
    } else {
        rand::random::<u64>() % ms
    };
    tokio::time::Instant::now() + Duration::from_millis(wait)
}

/// A `text/event-stream` response: `first`, then the topic's events, until the client leaves
/// or its node stops (`stop`: the stream ends at its moment within the spread it is given).
pub fn stream(
    first: String,
    stop: Stop,
    rx: broadcast::Receiver<Arc<str>>,
    resync: Resync,
    rebuild: Rebuild,
    keepalive: Duration,
    tick: Option<Tick>,
) -> HttpResponse {
    let start = tokio::time::Instant::now() + keepalive;
    let state = State {
        first: Some(first),
        stop,
        ends_at: None,
        rx,
        every: tokio::time::interval_at(start, keepalive),
        resync,
        rebuild,
        tick,
    };
    let body = futures_util::stream::unfold(state, |mut s| async move {
        if let Some(first) = s.first.take() {
            return Some((Ok::<_, actix_web::Error>(frame(&first)), s));
        }
        let out = loop {
            if s.ends_at.is_none() {
                if let Some(spread) = *s.stop.borrow_and_update() {
                    s.ends_at = Some(within(spread));
                }
            }
            let ends_at = s.ends_at;
            tokio::select! {
                changed = s.stop.changed(), if ends_at.is_none() => match changed {
                    Ok(()) => continue,
                    Err(_) => return None,
                },
                _ = sleep_until(ends_at) => return None,
                msg = s.rx.recv() => {
                    let spread_ms = match msg {
                        Ok(p) => match resync_spread_ms(&p) {
                            None => break frame(&p),
                            Some(_) if s.rebuild == Rebuild::AtOnce => 0,
                            Some(ms) => ms,
                        },
                        Err(RecvError::Lagged(_)) => 0,
                        Err(RecvError::Closed) => return None,
                    };
                    // Every stream of the node is rebuilding at once: this one takes its turn,
                    // unless its node stops meanwhile and its moment to end comes first.
                    let turn = within(Duration::from_millis(spread_ms));
                    loop {
                        let ends_at = s.ends_at;
                        tokio::select! {
                            _ = sleep_until(ends_at) => return None,
                            _ = tokio::time::sleep_until(turn) => break,
                            changed = s.stop.changed(), if ends_at.is_none() => match changed {
                                Ok(()) => {
                                    if let Some(spread) = *s.stop.borrow_and_update() {
                                        s.ends_at = Some(within(spread));
                                    }
                                }
                                Err(_) => return None,
                            },
                        }
                    }
                    // What arrived meanwhile is older than the view about to be read.
                    while let Ok(_) | Err(TryRecvError::Lagged(_)) = s.rx.try_recv() {}
                    match (s.resync)().await {
                        Ok(f) => break frame(&f),
                        Err(_) => return None,
                    }
                },
                _ = s.every.tick() => {
                    if let Some(t) = &s.tick {
                        t();
                    }
                    break Bytes::from_static(b": keepalive\n\n");
                }
            }
        };
        Some((Ok(out), s))
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("cache-control", "no-cache, no-store"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(body)
}

/// Sleeps until `at`; forever when there is no such moment.
async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything a stream sends when, after its first event `{}`, it is told to rebuild over
    /// `spread_ms` and its node stops `stop_after` later; the rebuilt view is `{"fresh":1}`.
    async fn sent_when_told_to_rebuild(rebuild: Rebuild, spread_ms: u64, stop_after: u64) -> Bytes {
        let (tx, rx) = broadcast::channel(8);
        let (stop_tx, stop) = tokio::sync::watch::channel(None);
        let fresh: Resync = Arc::new(|| Box::pin(async { Ok("state\n{\"fresh\":1}".to_owned()) }));
        let body = stream(
            "state\n{}".into(),
            stop,
            rx,
            fresh,
            rebuild,
            Duration::from_secs(60),
            None,
        )
        .into_body();
        let told = format!("{} {spread_ms}", crate::services::monitor::RESYNC);
        tx.send(Arc::from(told)).unwrap();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(stop_after)).await;
            stop_tx.send_replace(Some(Duration::ZERO));
        });
        tokio::time::timeout(Duration::from_secs(5), actix_web::body::to_bytes(body))
            .await
            .expect("the stream ends at its node's stop")
            .unwrap_or_else(|_| unreachable!("the body has no error"))
    }

    #[tokio::test]
    async fn a_stream_waiting_its_turn_to_rebuild_ends_when_its_node_stops() {
        // A page's rebuild spread over a minute: its turn is somewhere in it, the stop first.
        let sent = sent_when_told_to_rebuild(Rebuild::InTurn, 60_000, 50).await;
        assert_eq!(&sent[..], b"event: state\ndata: {}\n\n");
    }

    #[tokio::test]
    async fn a_proctors_feed_told_to_rebuild_reads_its_view_at_once_not_in_the_pages_turn() {
        // The node's pages are to rebuild over an hour; the feed does not wait for a turn.
        let sent = sent_when_told_to_rebuild(Rebuild::AtOnce, 3_600_000, 200).await;
        assert_eq!(
            &sent[..],
            b"event: state\ndata: {}\n\nevent: state\ndata: {\"fresh\":1}\n\n"
        );
    }
}

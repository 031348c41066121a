//! What every use case is handed: the stores, the clock, the keys and the node-wide caches. The
//! composition root: built once at start-up (`startup::build_context`), cloned into each request.
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use super::{answer_writer, battery_cache, instrument_cache, monitor, tokens};
use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::access_code::CodeKey;
use crate::store::live::LiveStore;

/// What every use case may reach: the database, the live store, the clock, token keys, settings.
#[derive(Clone)]
pub struct AppContext {
    /// The system of record.
    pub db: DatabaseConnection,
    /// A connection of its own for the readiness ping: a pool busy serving requests is not a
    /// database that is down, and a balancer that heard it as one would take a loaded node out
    /// of rotation just when its neighbour has died.
    pub probe: DatabaseConnection,
    /// A connection of its own for the proctors' feed flush: a flush must not queue for a
    /// connection behind the reads of thousands of pages reopening their streams (as when a
    /// node dies and its pages move to this one), or every room watched here lags by that queue.
    pub feed_db: DatabaseConnection,
    /// Shared short-lived state.
    pub live: Arc<dyn LiveStore>,
    /// The time: the system's in production, a settable one in tests.
    pub clock: Clock,
    /// Staff token signing and verification.
    pub tokens: Arc<tokens::TokenKeys>,
    /// The key of access-code digests.
    pub code_key: Arc<CodeKey>,
    /// Configuration in force.
    pub settings: Arc<Settings>,
    /// This node's group-commit writer of answers.
    pub answers: answer_writer::AnswerWriter,
    /// Instrument documents by id: versions never change once imported, so each node keeps
    /// the ones it has used and the answer path reads no item from the database.
    pub instrument_cache: Arc<instrument_cache::InstrumentCache>,
    /// The last competency results computed of a few campaigns, each kept while the fingerprint
    /// of its inputs holds.
    pub competency_cache: Arc<super::competency_results::cache::ComputedCache>,
    /// Each campaign's battery sections (fixed once created), for the candidate's section reads.
    pub battery_cache: Arc<battery_cache::BatteryCache>,
    /// Organisations' names (never changed once created), for the candidate's reads.
    pub organisation_names: Arc<super::organisations::OrganisationNames>,
    /// What this node has seen change since its last flush to the pages watching.
    pub changes: Arc<monitor::Changes>,
    /// Where the expiry sweep's repair of unfinished attempts goes on.
    pub repair: Arc<super::attempt::expiry::RepairCursor>,
    /// Set when the node begins to stop: long-lived streams end so the stop need not wait.
    pub shutdown: Shutdown,
}

/// What tells an event stream its node is stopping: set, to the time within which it is to end.
pub type StreamStop = tokio::sync::watch::Receiver<Option<std::time::Duration>>;

/// How far this node is in stopping. A stop goes: draining (`/ready` answers 503 so a balancer
/// takes the node out of rotation; everything is still served), then its event streams end
/// (pages and rooms reconnect, through the balancer, to another node), then the requests it
/// began finish and it stops (`startup::stop_node`).
#[derive(Clone)]
pub struct Shutdown(Arc<Stopping>);

struct Stopping {
    /// Set, to the time over which they end, when the node's streams are to end; every open
    /// stream holds a receiver.
    streams: tokio::sync::watch::Sender<Option<std::time::Duration>>,
    draining: std::sync::atomic::AtomicBool,
    /// Requests being handled now (not counting streams once their first frame is sent).
    in_flight: std::sync::atomic::AtomicUsize,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self(Arc::new(Stopping {
            streams: tokio::sync::watch::channel(None).0,
            draining: Default::default(),
            in_flight: Default::default(),
        }))
    }
}

/// A request being handled; counted until dropped.
pub struct InFlight(Arc<Stopping>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0
            .in_flight
            .fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

impl Shutdown {
    /// The node begins to stop: it says it is not ready, and serves on while a balancer
    /// notices.
    pub fn drain(&self) {
        self.0
            .draining
            .store(true, std::sync::atomic::Ordering::Release);
    }

    /// Whether the node has begun to stop.
    pub fn is_draining(&self) -> bool {
        self.0.draining.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Every open event stream ends, each at a moment of its own within `spread` (clients
    /// reconnect elsewhere, not all in the same second).
    pub fn end_streams(&self, spread: std::time::Duration) {
        self.drain();
        self.0.streams.send_replace(Some(spread));
    }

    /// Over how long this node's open streams should end so that the nodes their clients
    /// reconnect to rebuild at most [`crate::store::live::REBUILDS_PER_SECOND`] pages a second.
    pub fn stream_end_spread(&self) -> std::time::Duration {
        let open = self.open_streams() as u64;
        std::time::Duration::from_millis(
            open * 1000 / crate::store::live::REBUILDS_PER_SECOND as u64,
        )
    }

    /// What tells a stream to end: set once the node's streams are to end. Every open event
    /// stream holds one (and nothing else does).
    pub fn watch(&self) -> StreamStop {
        self.0.streams.subscribe()
    }

    /// Event streams open on this node now (proctors' rooms, candidates' pages).
    pub fn open_streams(&self) -> usize {
        self.0.streams.receiver_count()
    }

    /// Counts a request from now until the returned guard is dropped.
    pub fn request_began(&self) -> InFlight {
        self.0
            .in_flight
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        InFlight(self.0.clone())
    }

    /// Requests being handled now.
    pub fn in_flight(&self) -> usize {
        self.0.in_flight.load(std::sync::atomic::Ordering::Acquire)
    }
}

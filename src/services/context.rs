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
    /// What this node has seen change since its last flush to the pages watching.
    pub changes: Arc<monitor::Changes>,
    /// Set when the node begins to stop: long-lived streams end so the stop need not wait.
    pub shutdown: Shutdown,
}

/// The node's stop flag, watched by its event streams.
#[derive(Clone)]
pub struct Shutdown(Arc<tokio::sync::watch::Sender<bool>>);

impl Default for Shutdown {
    fn default() -> Self {
        Self(Arc::new(tokio::sync::watch::channel(false).0))
    }
}

impl Shutdown {
    /// The node is stopping: every open event stream ends (clients reconnect elsewhere).
    pub fn begin(&self) {
        self.0.send_replace(true);
    }

    /// A watch that turns true when the node begins to stop. Every open event stream holds one
    /// (and nothing else does).
    pub fn watch(&self) -> tokio::sync::watch::Receiver<bool> {
        self.0.subscribe()
    }

    /// Event streams open on this node now (proctors' rooms, candidates' pages).
    pub fn open_streams(&self) -> usize {
        self.0.receiver_count()
    }
}

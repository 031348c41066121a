//! The live store: short-lived shared state that every node sees (token revocations, rate limits,
//! attempt clocks; later presence and proctor events). Two backends pass one acceptance suite:
//! Redis for production and several nodes, and an in-process map for a single node.
//!
//! Nothing here is the only copy of anything that matters: the database is the system of record.
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::broadcast;

mod guarded;
mod hub;
mod memory;
mod redis;

pub use self::guarded::Guarded;
pub use self::hub::{resync_spread_ms, Hub, REBUILDS_PER_SECOND, RESYNC};
pub use self::memory::MemoryLiveStore;
pub use self::redis::RedisLiveStore;

/// A failure to reach or use the live store.
#[derive(Debug, thiserror::Error)]
#[error("live store ({backend}) failed: {message}")]
pub struct LiveError {
    /// Which backend failed.
    pub backend: &'static str,
    /// What went wrong.
    pub message: String,
}

/// How the live store has been doing (for `/metrics`): failures seen, calls refused at once
/// while it was failing, and whether the node is answering from the database now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LiveHealth {
    /// Calls that failed or did not answer in time.
    pub errors: u64,
    /// Calls refused without reaching the store, while it was recently failing.
    pub short_circuited: u64,
    /// The last call failed: the node relies on the database alone until one succeeds.
    pub degraded: bool,
}

/// Shared short-lived state. Every key is placed under the store's prefix.
#[async_trait]
pub trait LiveStore: Send + Sync + 'static {
    /// The backend's name, for `/ready` and logs.
    fn backend(&self) -> &'static str;

    /// How the store has been doing; a store without a breaker ([`Guarded`]) knows nothing.
    fn health(&self) -> LiveHealth {
        LiveHealth::default()
    }

    /// Whether the store answers.
    async fn ping(&self) -> Result<(), LiveError>;

    /// Marks a token identifier revoked for `ttl` (the token's remaining lifetime).
    async fn revoke_token(&self, jti: &str, ttl: Duration) -> Result<(), LiveError>;

    /// Whether a token identifier has been revoked (and its revocation has not yet expired), or
    /// `None` when the store does not know: it does not hold the revocations (it was never
    /// loaded with them, or restarted or lost its data since), and the database must be asked.
    async fn is_token_revoked(&self, jti: &str) -> Result<Option<bool>, LiveError>;

    /// Stores every revocation still in force (identifier, time it must still hold), then marks
    /// the store as holding them all, so that [`LiveStore::is_token_revoked`] answers again.
    async fn load_revocations(&self, revoked: &[(String, Duration)]) -> Result<(), LiveError>;

    /// Counts one hit in the fixed window `bucket` (created with length `window` on its first hit)
    /// and returns the number of hits in the window so far, this one included.
    async fn hit(&self, bucket: &str, window: Duration) -> Result<u64, LiveError>;

    /// The hits counted in `bucket`'s current window (0 when it has none), without counting one.
    async fn hits(&self, bucket: &str) -> Result<u64, LiveError>;

    /// Forgets `bucket`: its hits (the next starts a new window) and its pacing.
    async fn reset(&self, bucket: &str) -> Result<(), LiveError>;

    /// Paces the attempts counted in `bucket`, atomically: the first `free` go ahead at once;
    /// each later one that goes ahead makes the next wait, 1 s after the `free`-th and doubling
    /// with each further one, at most `cap`. Returns `None` when the attempt at `now_ms` (epoch
    /// milliseconds, from the node's clock) may go ahead, and counts it; otherwise how long it
    /// must still wait, without counting it. The bucket is forgotten after `memory` without an
    /// attempt, or by [`LiveStore::reset`].
    async fn pace(
        &self,
        bucket: &str,
        now_ms: i64,
        free: u64,
        cap: Duration,
        memory: Duration,
    ) -> Result<Option<Duration>, LiveError>;

    /// Keeps the live state of an attempt (its device, open section, plan and deadline) for `ttl`,
    /// replacing what was there. The database holds the same facts: this is a cache that saves a
    /// database read on every answer, rebuilt from the database whenever it is missing.
    async fn put_attempt(&self, attempt: &str, state: &str, ttl: Duration)
        -> Result<(), LiveError>;

    /// The live state of an attempt, if present.
    async fn get_attempt(&self, attempt: &str) -> Result<Option<String>, LiveError>;

    /// Forgets the live state of an attempt (it will be rebuilt from the database).
    async fn forget_attempt(&self, attempt: &str) -> Result<(), LiveError>;

    /// Raises the marker `key` to `value` if it is lower, atomically, keeping it for `ttl`;
    /// returns the marker as it was before, or `None` when there was none (new, expired, or lost
    /// with the live store).
    async fn advance(&self, key: &str, value: u32, ttl: Duration)
        -> Result<Option<u32>, LiveError>;

    /// Publishes `payload` on `topic` to the listeners of every node (this one included).
    /// Delivery is at most once: a listener that may have missed events is sent [`RESYNC`].
    async fn publish(&self, topic: &str, payload: &str) -> Result<(), LiveError>;

    /// Listens to `topic` on this node. `backlog`: how many events a listener may fall behind
    /// by before it is sent [`RESYNC`] instead (the topic's first listener sets it; each slot is
    /// kept for as long as the topic has listeners).
    fn subscribe(&self, topic: &str, backlog: usize) -> broadcast::Receiver<Arc<str>>;

    /// Records when attempts were last seen (epoch milliseconds), kept for `ttl`.
    async fn put_presence(&self, seen: &[(String, i64)], ttl: Duration) -> Result<(), LiveError>;

    /// When each of `attempts` was last seen, in the same order.
    async fn presence(&self, attempts: &[String]) -> Result<Vec<Option<i64>>, LiveError>;
}

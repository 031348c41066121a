//! Operational checks: is the node ready to serve?
use super::AppContext;
use crate::store;

/// The state of each dependency; `None` when it answers, else why not.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// Whether the node can serve: its database answers. A live store that does not answer
    /// leaves the node ready but degraded (it answers from the database alone), so a load
    /// balancer keeps it in rotation through a Redis outage.
    pub ready: bool,
    /// The node has begun to stop: it still serves what reaches it, but a balancer should send
    /// it nothing new.
    pub stopping: bool,
    /// Serving without the live store.
    pub degraded: bool,
    /// `ok` or the database failure.
    pub database: String,
    /// `ok` or the live-store failure (`degraded: …`).
    pub live_store: String,
    /// Which live-store backend is in use.
    pub live_backend: &'static str,
}

/// Pings the database and the live store.
pub async fn readiness(ctx: &AppContext) -> Readiness {
    let (db, live) = tokio::join!(store::ping(&ctx.db), ctx.live.ping());
    let database = db
        .map(|_| "ok".to_owned())
        .unwrap_or_else(|e| format!("unreachable: {e}"));
    let degraded = live.is_err();
    let live_store = live
        .map(|_| "ok".to_owned())
        .unwrap_or_else(|e| format!("degraded: {e}"));
    let stopping = ctx.shutdown.is_draining();
    Readiness {
        ready: database == "ok" && !stopping,
        stopping,
        degraded,
        database,
        live_store,
        live_backend: ctx.live.backend(),
    }
}

/// The database pool now: (open connections, idle ones), for the metrics.
pub fn pool_stats(ctx: &AppContext) -> (u32, u32) {
    store::pool_stats(&ctx.db)
}

//! Operational checks: is the node ready to serve?
use std::time::Duration;

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

/// How long the readiness ping waits for the database: under a balancer's check timeout
/// (`timeout check 3s` in `loadtest/haproxy/haproxy.cfg`), so a database that does not answer is
/// reported as such rather than as a check that timed out.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// Pings the database (over the context's probe connection, not the request pool) and the live
/// store.
pub async fn readiness(ctx: &AppContext) -> Readiness {
    let db_ping = tokio::time::timeout(PING_TIMEOUT, store::ping(&ctx.probe));
    let (db, live) = tokio::join!(db_ping, ctx.live.ping());
    let database = match db {
        Ok(Ok(())) => "ok".to_owned(),
        Ok(Err(e)) => format!("unreachable: {e}"),
        Err(_) => format!("unreachable: no answer within {} s", PING_TIMEOUT.as_secs()),
    };
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

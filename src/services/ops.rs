//! Operational checks: is the node ready to serve?
use super::AppContext;
use crate::store;

/// The state of each dependency; `None` when it answers, else why not.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// Whether every dependency answers.
    pub ready: bool,
    /// `ok` or the database failure.
    pub database: String,
    /// `ok` or the live-store failure.
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
    let live_store = live
        .map(|_| "ok".to_owned())
        .unwrap_or_else(|e| format!("unreachable: {e}"));
    Readiness {
        ready: database == "ok" && live_store == "ok",
        database,
        live_store,
        live_backend: ctx.live.backend(),
    }
}

/// The database pool now: (open connections, idle ones), for the metrics.
pub fn pool_stats(ctx: &AppContext) -> (u32, u32) {
    store::pool_stats(&ctx.db)
}

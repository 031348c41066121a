//! Work each node does on its own at a fixed interval (the expiry sweep, the monitor's flush):
//! a failed run is logged and tried again at the next tick, never ends the loop.
use std::future::Future;
use std::time::Duration;

use super::AppContext;
use crate::error::ApiError;

/// Runs `run` on this node every `every` until the process stops; `what` names it in the log.
pub fn every<F, Fut, T>(ctx: AppContext, every: Duration, what: &'static str, run: F)
where
    F: Fn(AppContext) -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, ApiError>> + Send,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = run(ctx.clone()).await {
                tracing::warn!(error = %e.message, "{what} failed; retrying at the next tick");
            }
        }
    });
}

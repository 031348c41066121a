//! Background work each node repeats on a timer (the expiry sweep, the monitor flush).
use std::time::Duration;

use futures_util::future::BoxFuture;

use crate::error::ApiError;
use crate::services::AppContext;

/// Runs `job` every `every` on this node until the process stops. A tick that comes late waits
/// rather than bursting; a failure is logged as "`what` failed" and retried at the next tick.
pub fn repeat<T, F>(ctx: AppContext, every: Duration, what: &'static str, job: F)
where
    T: Send + 'static,
    F: for<'a> Fn(&'a AppContext) -> BoxFuture<'a, Result<T, ApiError>> + Send + 'static,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = job(&ctx).await {
                tracing::warn!(error = %e.message, "{what} failed; retrying at the next tick");
            }
        }
    });
}

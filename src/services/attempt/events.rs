//! The events of an attempt's timeline, as the paths that make them record them.
use crate::domain::attempt::EventKind;
use crate::domain::ids::{AccountId, AttemptId};
use crate::error::ApiError;
use crate::services::AppContext;
use crate::store::attempt_events;

/// Records an event of an attempt (at the node's time) and marks its proctor's row changed.
/// Whether an integrity event pauses the attempt is the caller's call
/// ([`super::steering::pause_if_over_limit`]).
pub async fn record(
    ctx: &AppContext,
    attempt: AttemptId,
    kind: EventKind,
    detail: serde_json::Value,
    actor: Option<AccountId>,
) -> Result<(), ApiError> {
    let at = ctx.clock.now();
    let recorded = attempt_events::record(&ctx.db, attempt, kind, detail, actor, at).await;
    ctx.changes.changed(attempt.as_uuid());
    Ok(recorded?)
}

/// [`record`] for an event that describes what has already happened (a sign-in, a section's
/// end): a failure to record it is logged, never shown to the candidate.
pub async fn note(
    ctx: &AppContext,
    attempt: AttemptId,
    kind: EventKind,
    detail: serde_json::Value,
    actor: Option<AccountId>,
) {
    if let Err(e) = record(ctx, attempt, kind, detail, actor).await {
        tracing::warn!(error = %e.message, %attempt, kind = kind.as_str(), "an attempt event was not recorded");
    }
}

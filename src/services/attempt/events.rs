//! The events of an attempt's timeline, as the paths that make them record them.
use crate::domain::attempt::EventKind;
use crate::domain::ids::{AccountId, AttemptId};
use crate::services::AppContext;
use crate::store::attempt_events;

/// Records an event of an attempt and marks its proctor's row changed. A failure is logged,
/// never shown to the candidate, since what the event describes has already happened. Whether
/// an integrity event pauses the attempt is the caller's call
/// ([`super::steering::pause_if_over_limit`]).
pub async fn note(
    ctx: &AppContext,
    attempt: AttemptId,
    kind: EventKind,
    detail: serde_json::Value,
    actor: Option<AccountId>,
) {
    let at = ctx.clock.now();
    if let Err(e) = attempt_events::record(&ctx.db, attempt, kind, detail, actor, at).await {
        tracing::warn!(error = %e, %attempt, kind = kind.as_str(), "an attempt event was not recorded");
    }
    ctx.changes.changed(attempt.as_uuid());
}

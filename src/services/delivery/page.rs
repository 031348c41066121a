//! The candidate's page and its stream: opening it (the device must still hold the attempt; a
//! long silence is recorded), and closing a proctor's message.
use uuid::Uuid;

use crate::domain::attempt::{AttemptStatus, EventKind, IntegrityEvent};
use crate::error::ApiError;
use crate::services::attempt::{events, live, steering};
use crate::services::monitor;
use crate::services::tokens::CandidateClaims;
use crate::services::AppContext;
use crate::store::attempt_events;
use crate::store::attempts as repo;

/// A candidate's page opened its stream: the device must still hold the attempt; a return after
/// a long silence is recorded as a disconnection, and the proctors are sent the open section's
/// count again. Returns where the candidate sits: (session, participant).
pub async fn page_opened(
    ctx: &AppContext,
    who: &CandidateClaims,
) -> Result<Option<(Uuid, Uuid)>, ApiError> {
    let live = live::of_device(ctx, who).await?;
    let attempt = who.attempt();
    // While the live store is down the last sign of life is unknown: no disconnection is noted.
    let last = ctx
        .live
        .presence(&[attempt.to_string()])
        .await
        .unwrap_or_default()
        .into_iter()
        .next()
        .flatten();
    let now = ctx.clock.now().timestamp_millis();
    let limit = (ctx.settings.proctoring.disconnect_after_seconds * 1000) as i64;
    if let Some(last) = last.filter(|l| now - l > limit) {
        let running = repo::find(&ctx.db, attempt)
            .await?
            .is_some_and(|a| a.status == AttemptStatus::InProgress && a.paused_at.is_none());
        if running {
            events::note(
                ctx,
                attempt,
                EventKind::Integrity(IntegrityEvent::Disconnected),
                serde_json::json!({"seconds": (now - last) / 1000}),
                None,
            )
            .await;
            // A disconnection counts towards the campaign's automatic pause; the page opens anyway.
            if let Err(e) = steering::pause_if_over_limit(ctx, attempt).await {
                tracing::warn!(error = %e.message, %attempt, "the automatic pause check failed");
            }
        }
    }
    // Written at once (not at the next flush), so a quick reconnect does not count twice.
    if let Err(e) = ctx
        .live
        .put_presence(&[(attempt.to_string(), now)], monitor::PRESENCE_TTL)
        .await
    {
        tracing::debug!(error = %e, %attempt, "presence not written: the live store is down");
    }
    // The open section's count is read again for the proctors: a page opens its stream again
    // when its node went away, and a node killed before its flush took the count of its
    // candidates' last answers with it.
    match &live.section {
        Some(s) => ctx
            .changes
            .answered(attempt.as_uuid(), live.seat, s.position),
        None => ctx.changes.seen(attempt.as_uuid(), live.seat),
    }
    Ok(live.seat)
}

/// The candidate closes a proctor's message.
pub async fn dismiss(
    ctx: &AppContext,
    who: &CandidateClaims,
    message: Uuid,
) -> Result<(), ApiError> {
    let attempt = who.attempt();
    let message_kind = EventKind::Message.as_str();
    let dismissed_kind = EventKind::MessageDismissed.as_str();
    let found = attempt_events::of_kinds(
        &ctx.db,
        &[attempt.as_uuid()],
        &monitor::candidates::MESSAGE_EVENTS,
    )
    .await?;
    if !found
        .iter()
        .any(|e| e.kind == message_kind && e.id == message)
    {
        return Err(ApiError::not_found("message"));
    }
    let id = message.to_string();
    let already = found.iter().any(|e| {
        e.kind == dismissed_kind && e.detail.get("id").and_then(|v| v.as_str()) == Some(id.as_str())
    });
    if !already {
        events::note(
            ctx,
            attempt,
            EventKind::MessageDismissed,
            serde_json::json!({"id": id}),
            None,
        )
        .await;
    }
    monitor::notify_candidates(ctx, &[attempt.as_uuid()]).await
}

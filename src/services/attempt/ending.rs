//! How sections and attempts end: closing what is past its deadline and grace (from any node, at
//! any time, exactly once), and finishing an attempt together with its scores.
use chrono::{DateTime, Utc};

use super::{events, live, rules};
use crate::domain::attempt::{AttemptStatus, ClosedReason, EventKind, SectionStatus};
use crate::domain::ids::AttemptId;
use crate::error::ApiError;
use crate::services::results::scoring;
use crate::services::AppContext;
use crate::store::attempt_events;
use crate::store::attempts as repo;
use crate::store::audit::{self, AuditRecord};
use crate::store::entities::{attempt, attempt_section};
use crate::store::responses;

/// Closes the open section when its deadline (plus grace) has passed, then finishes the attempt
/// when that was the last section. Safe to call from any node at any time.
pub async fn close_if_overdue(
    ctx: &AppContext,
    id: AttemptId,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let Some(attempt) = repo::find(&ctx.db, id).await? else {
        return Ok(());
    };
    let sections = repo::sections(&ctx.db, id).await?;
    close_overdue(ctx, &attempt, &sections, now).await?;
    Ok(())
}

/// [`close_if_overdue`] for an attempt and its sections already read: whether it closed a
/// section (the caller's copy is then stale).
pub async fn close_overdue(
    ctx: &AppContext,
    attempt: &attempt::Model,
    sections: &[attempt_section::Model],
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    // A paused attempt's clock is stopped: nothing of it is overdue until it resumes.
    if attempt.paused_at.is_some() {
        return Ok(false);
    }
    let id = AttemptId::from(attempt.id);
    let mut closed_any = false;
    for s in sections {
        let overdue = s.status == SectionStatus::Open
            && s.deadline_at
                .is_some_and(|d| rules::past_grace(ctx, d, now));
        if overdue && close_section(ctx, id, s.position, ClosedReason::Timeout, now).await? {
            closed_any = true;
        }
    }
    if closed_any && !finish_if_all_closed(ctx, id).await? {
        live::follow(ctx, id).await?;
    }
    Ok(closed_any)
}

/// Finishes and scores a running attempt whose every section is closed, however they closed
/// (submitted, timed out): nothing is left for the candidate to do, so the attempt must not stay
/// unscored waiting for a "finish" that may never come. Whether the attempt is over now (by this
/// call or an earlier one); `false` while a section is still pending or open. Safe to call from
/// any node at any time: the conditional move in [`finish_and_score`] decides who scores.
///
/// The attempt ends at the clock's time now, after the close that ended it, so its timeline reads
/// section end, then the attempt's end.
pub async fn finish_if_all_closed(ctx: &AppContext, id: AttemptId) -> Result<bool, ApiError> {
    let sections = repo::sections(&ctx.db, id).await?;
    if !all_closed(&sections) {
        return Ok(false);
    }
    if repo::find(&ctx.db, id)
        .await?
        .is_some_and(|a| !a.status.is_over())
    {
        let now = ctx.clock.now();
        finish_and_score(ctx, id, AttemptStatus::Finished, now).await?;
    }
    Ok(true)
}

/// Whether an attempt of these sections has nothing left to take (an attempt without sections
/// is not taken as done: there is nothing to score it on).
fn all_closed(sections: &[attempt_section::Model]) -> bool {
    !sections.is_empty() && sections.iter().all(|s| s.status == SectionStatus::Closed)
}

/// Closes an open section and notes it on the attempt's timeline; whether this call closed it.
pub async fn close_section(
    ctx: &AppContext,
    id: AttemptId,
    position: i32,
    reason: ClosedReason,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let closed = repo::close_section(&ctx.db, id, position, reason, now).await?;
    if closed {
        events::note(
            ctx,
            id,
            EventKind::SectionEnd,
            serde_json::json!({"section": position, "reason": reason}),
            None,
        )
        .await;
    }
    Ok(closed)
}

/// Closes the open section when the live state says its deadline (plus grace) has passed: one
/// live-store read when nothing is due, instead of the database reads of [`close_if_overdue`].
pub async fn close_if_due(ctx: &AppContext, id: AttemptId) -> Result<(), ApiError> {
    let state = live::read(ctx, id).await?;
    let now = ctx.clock.now();
    let due = state
        .section
        .as_ref()
        .is_some_and(|s| rules::past_grace(ctx, s.deadline(), now));
    if due && !state.paused {
        close_if_overdue(ctx, id, now).await?;
    }
    Ok(())
}

/// Moves the attempt to `final_status` and scores it; only the node that makes the move scores.
/// It ends at `now`, or when the latest answer it holds arrived if that is later.
pub async fn finish_and_score(
    ctx: &AppContext,
    id: AttemptId,
    final_status: AttemptStatus,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    finish_and_score_by(ctx, id, final_status, now, None)
        .await
        .map(|_| ())
}

/// [`finish_and_score`], with the audit entry of a staff member's move (a termination) written
/// in the same transaction; whether this call made the move.
pub async fn finish_and_score_by(
    ctx: &AppContext,
    id: AttemptId,
    final_status: AttemptStatus,
    now: DateTime<Utc>,
    audit: Option<AuditRecord<'_>>,
) -> Result<bool, ApiError> {
    // The status change, the closing of the open section and the scores commit together:
    // whoever moves the attempt scores it, nobody ever sees a finished attempt without scores
    // (nor does a crash leave one), and an answer is either committed before (and scored) or
    // refused. The attempt row is taken first: the answer writer locks attempt, then section.
    let txn = crate::store::begin_write(&ctx.db).await?;
    repo::lock(&txn, id).await?;
    // An answer that arrived after `now` was read may have been committed before the lock was
    // taken: it is held and scored, so the attempt (and its open section) ends after it, never
    // before an answer it holds.
    let end = match responses::latest_received(&txn, id).await? {
        Some(latest) if latest > now => latest,
        _ => now,
    };
    let moved = repo::transition(&txn, id, &AttemptStatus::RUNNING, final_status, end).await?;
    if moved {
        for s in repo::sections(&txn, id).await? {
            if s.status == SectionStatus::Open {
                let reason = final_status.closes_open_section_as();
                repo::close_section(&txn, id, s.position, reason, end).await?;
            }
        }
        let rows = scoring::compute(ctx, &txn, id).await?;
        repo::replace_scores(&txn, id, rows).await?;
        let actor = audit.as_ref().and_then(|a| a.actor);
        let detail = match audit.as_ref().and_then(|a| a.reason.clone()) {
            Some(reason) => serde_json::json!({ "reason": reason }),
            None => serde_json::json!({}),
        };
        let kind = EventKind::Ended(final_status);
        attempt_events::record(&txn, id, kind, detail, actor, end).await?;
        if let Some(rec) = audit {
            audit::record(&txn, rec).await?;
        }
    }
    txn.commit().await?;
    live::follow(ctx, id).await?;
    Ok(moved)
}

//! The rules every path applies to an attempt the same way: the grace after a deadline, and
//! whether the candidate may still act on the attempt.
use chrono::{DateTime, Utc};

use crate::domain::attempt::{self, AttemptStatus};
use crate::error::{ApiError, ErrorCode};
use crate::services::AppContext;
use crate::store::entities::attempt as row;

/// How long after a deadline an answer is still taken (network delay, a slow phone).
pub fn grace(ctx: &AppContext) -> chrono::Duration {
    chrono::Duration::seconds(ctx.settings.delivery.grace_seconds.max(0))
}

/// Whether `deadline` and the configured grace after it have passed at `now`
/// ([`attempt::past_grace`] with this deployment's grace).
pub fn past_grace(ctx: &AppContext, deadline: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    attempt::past_grace(deadline, grace(ctx), now)
}

/// Deadlines before this instant are past their grace at `now` (the sweep's query).
pub fn overdue_before(ctx: &AppContext, now: DateTime<Utc>) -> DateTime<Utc> {
    now - grace(ctx)
}

/// The section is closed (submitted, or its time and grace are up).
pub fn section_closed() -> ApiError {
    ApiError::new(
        ErrorCode::SectionClosed,
        "this section is closed: it was submitted or its time is up",
    )
}

/// The section has not been started (sections start in order, each on the candidate's word).
pub fn section_not_started() -> ApiError {
    ApiError::new(
        ErrorCode::SectionNotStarted,
        "this section has not been started yet",
    )
}

/// The attempt is over.
pub fn finished() -> ApiError {
    ApiError::new(
        ErrorCode::AttemptFinished,
        "this assessment is finished; thank you",
    )
}

/// A proctor ended the attempt.
pub fn terminated() -> ApiError {
    ApiError::new(
        ErrorCode::AttemptTerminated,
        "a proctor has ended this assessment; nothing more can be saved",
    )
}

/// The attempt's clock is stopped.
pub fn paused() -> ApiError {
    ApiError::new(
        ErrorCode::AttemptPaused,
        "a proctor has paused this assessment; your time is stopped until it resumes",
    )
}

/// Another device holds the attempt now.
pub fn device_replaced() -> ApiError {
    ApiError::new(
        ErrorCode::DeviceReplaced,
        "this assessment was continued on another device; this page can no longer save answers",
    )
}

/// Refuses a candidate's step when the attempt is over or paused.
pub fn check_steering(a: &row::Model) -> Result<(), ApiError> {
    if a.status == AttemptStatus::Terminated {
        return Err(terminated());
    }
    if a.status.is_over() {
        return Err(finished());
    }
    if a.paused_at.is_some() {
        return Err(paused());
    }
    Ok(())
}

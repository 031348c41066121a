//! The integrity signals a candidate's page reports (page hidden, window left, fullscreen left,
//! copy, paste, context menu): stored on the attempt for the proctor, rate-limited, and counted
//! towards the campaign's automatic pause.
use std::time::Duration;

use serde::Deserialize;

use crate::domain::attempt::{EventKind, IntegrityEvent};
use crate::domain::integrity::{IntegritySignal, MAX_DETAIL_CHARS};
use crate::error::{ApiError, ErrorCode};
use crate::services::attempt::{events, steering};
use crate::services::tokens::CandidateClaims;
use crate::services::AppContext;
use crate::store::attempts as repo;

/// Signals one attempt may report per minute; more are refused (a page in a loop must not flood
/// the proctor's view or the database).
const SIGNALS_PER_MINUTE: u64 = 30;

/// A signal as the candidate's page sends it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalBody {
    /// page_hidden, window_blur, fullscreen_exit, copy, paste or context_menu.
    #[schema(value_type = String)]
    pub signal: IntegritySignal,
    /// Short detail, e.g. how long the page was hidden.
    #[serde(default)]
    pub detail: Option<String>,
}

/// Stores an integrity signal of the candidate's attempt.
pub async fn signal(
    ctx: &AppContext,
    who: &CandidateClaims,
    body: SignalBody,
) -> Result<(), ApiError> {
    if body
        .detail
        .as_deref()
        .is_some_and(|d| d.chars().count() > MAX_DETAIL_CHARS)
    {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("detail is at most {MAX_DETAIL_CHARS} characters"),
        ));
    }
    let attempt = who.attempt();
    // While the live store is down the signals are not counted (they are still recorded).
    let n = ctx
        .live
        .hit(&format!("signals:{attempt}"), Duration::from_secs(60))
        .await
        .unwrap_or(0);
    if n > SIGNALS_PER_MINUTE {
        return Err(ApiError::new(
            ErrorCode::TooManyRequests,
            "too many signals from this page; they are counted again in a minute",
        ));
    }
    let a = repo::find(&ctx.db, attempt)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "this attempt no longer exists"))?;
    if a.status.is_over() {
        return Err(ApiError::new(
            ErrorCode::AttemptFinished,
            "this assessment is finished",
        ));
    }
    let current_device = a.device_id.as_deref() == Some(who.dev.as_str());
    events::record(
        ctx,
        attempt,
        EventKind::Integrity(IntegrityEvent::Signal(body.signal)),
        serde_json::json!({"detail": body.detail, "current_device": current_device}),
        None,
    )
    .await?;
    steering::pause_if_over_limit(ctx, attempt).await?;
    Ok(())
}

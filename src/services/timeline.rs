//! The timeline of an attempt: what happened, in order (sign-ins, sections, answers by count,
//! integrity signals, staff actions), for HR and proctors; and the integrity signals a candidate's
//! page reports.
use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::auth::Staff;
use super::tokens::CandidateClaims;
use super::AppContext;
use crate::domain::ids::{AccountId, AttemptId, CampaignId, ParticipantId};
use crate::domain::integrity::{IntegritySignal, MAX_DETAIL_CHARS};
use crate::error::{ApiError, ErrorCode};
use crate::store::attempts::{self as repo, status};
use crate::store::{attempt_events, responses};

/// Signals one attempt may report per minute; more are refused (a page in a loop must not flood
/// the proctor's view or the database).
const SIGNALS_PER_MINUTE: u64 = 30;

/// Records an event of an attempt; a failure is logged, never shown to the candidate, since the
/// action the event describes has already happened.
pub async fn note(
    ctx: &AppContext,
    attempt: AttemptId,
    kind: &str,
    detail: serde_json::Value,
    actor: Option<AccountId>,
) {
    if let Err(e) =
        attempt_events::record(&ctx.db, attempt, kind, detail, actor, ctx.clock.now()).await
    {
        tracing::warn!(error = %e, %attempt, kind, "an attempt event was not recorded");
    }
    ctx.room.changed(attempt.as_uuid());
    if kind.starts_with("integrity.") {
        if let Err(e) = super::proctoring::pause_if_over_limit(ctx, attempt).await {
            tracing::warn!(error = %e.message, %attempt, "the automatic pause check failed");
        }
    }
}

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
    let n = ctx
        .live
        .hit(&format!("signals:{attempt}"), Duration::from_secs(60))
        .await
        .map_err(ApiError::unavailable)?;
    if n > SIGNALS_PER_MINUTE {
        return Err(ApiError::new(
            ErrorCode::TooManyRequests,
            "too many signals from this page; they are counted again in a minute",
        ));
    }
    let a = repo::find(&ctx.db, attempt)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "this attempt no longer exists"))?;
    if status::is_over(&a.status) {
        return Err(ApiError::new(
            ErrorCode::AttemptFinished,
            "this assessment is finished",
        ));
    }
    let current_device = a.device_id.as_deref() == Some(who.dev.as_str());
    attempt_events::record(
        &ctx.db,
        attempt,
        body.signal.event_kind(),
        serde_json::json!({"detail": body.detail, "current_device": current_device}),
        None,
        ctx.clock.now(),
    )
    .await?;
    ctx.room.changed(attempt.as_uuid());
    super::proctoring::pause_if_over_limit(ctx, attempt).await?;
    Ok(())
}

/// One event of a timeline.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TimelineEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// What, e.g. `sign_in`, `section_start`, `integrity.page_hidden`, `unlock`.
    pub kind: String,
    /// Details of the event.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// The staff account that acted, for staff actions.
    pub actor: Option<uuid::Uuid>,
}

/// Answers of one section, by count.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectionAnswers {
    /// Section position.
    pub section: i32,
    /// Answers stored.
    pub answers: usize,
    /// When the latest arrived.
    pub last_at: DateTime<Utc>,
}

/// The timeline of one participant's attempt.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Timeline {
    /// The attempt, once the participant has signed in.
    pub attempt: Option<uuid::Uuid>,
    /// not_started, in_progress, finished or expired.
    pub status: String,
    /// Events, oldest first.
    pub events: Vec<TimelineEvent>,
    /// Answers per section.
    pub answers: Vec<SectionAnswers>,
    /// Integrity signals counted.
    pub integrity_signals: usize,
}

/// The timeline of a participant of a campaign of the caller's organisation.
pub async fn of_participant(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
) -> Result<Timeline, ApiError> {
    super::proctoring::visible_participant(ctx, staff, campaign, participant).await?;
    let Some(a) = repo::of_participant(&ctx.db, participant).await? else {
        return Ok(Timeline {
            attempt: None,
            status: status::NOT_STARTED.to_owned(),
            events: Vec::new(),
            answers: Vec::new(),
            integrity_signals: 0,
        });
    };
    let id = AttemptId::from(a.id);
    let events: Vec<TimelineEvent> = attempt_events::of_attempt(&ctx.db, id)
        .await?
        .into_iter()
        .map(|e| TimelineEvent {
            at: e.at,
            kind: e.kind,
            detail: e.detail,
            actor: e.actor_account_id,
        })
        .collect();
    let mut by_section: BTreeMap<i32, (usize, DateTime<Utc>)> = BTreeMap::new();
    for r in responses::of_attempt(&ctx.db, id).await? {
        let e = by_section
            .entry(r.section_position)
            .or_insert((0, r.received_at));
        e.0 += 1;
        e.1 = e.1.max(r.received_at);
    }
    Ok(Timeline {
        attempt: Some(a.id),
        status: a.status,
        integrity_signals: events
            .iter()
            .filter(|e| e.kind.starts_with("integrity."))
            .count(),
        events,
        answers: by_section
            .into_iter()
            .map(|(section, (answers, last_at))| SectionAnswers {
                section,
                answers,
                last_at,
            })
            .collect(),
    })
}

//! The live state of an attempt: the facts the answer path needs, one live-store read away. The
//! database is the judge (invariant 1): this state is written from it after every change and
//! rebuilt from it when the live store lost it, never trusted over it.
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use super::rules;
use crate::domain::adaptive::AdaptiveSpec;
use crate::domain::attempt::{AttemptStatus, SectionStatus};
use crate::domain::ids::AttemptId;
use crate::error::{ApiError, ErrorCode};
use crate::services::tokens::CandidateClaims;
use crate::services::AppContext;
use crate::store::attempts as repo;
use crate::store::entities::{attempt, attempt_section};

/// How long the live state of an attempt is kept without a change.
pub const LIVE_TTL: Duration = Duration::from_secs(12 * 60 * 60);

/// What every node needs to accept or refuse an answer without reading the database.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LiveAttempt {
    /// The attempt's organisation.
    pub org: uuid::Uuid,
    /// The per-attempt seed of its opaque ids.
    pub seed: i64,
    /// The device that holds it.
    pub device: Option<String>,
    /// Over: finished, expired or terminated.
    pub finished: bool,
    /// The open section.
    pub section: Option<LiveSection>,
    /// Its clock is stopped.
    #[serde(default)]
    pub paused: bool,
    /// A proctor ended it.
    #[serde(default)]
    pub terminated: bool,
    /// (session, participant): where the proctor sees this candidate.
    #[serde(default, rename = "room")]
    pub seat: Option<(uuid::Uuid, uuid::Uuid)>,
    /// How many sections the attempt has.
    #[serde(default)]
    pub sections: i32,
    /// The first section not yet started (sections are taken in order), if any.
    #[serde(default)]
    pub first_pending: Option<i32>,
}

/// The open section of a live attempt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LiveSection {
    /// Its position in the battery.
    pub position: i32,
    /// The instrument it delivers.
    pub instrument: uuid::Uuid,
    /// Its deadline (epoch milliseconds).
    pub deadline_ms: i64,
    /// The item codes of this attempt, in order.
    pub plan: Vec<String>,
    /// Each item once, no going back.
    #[serde(default)]
    pub forward_only: bool,
    /// An adaptive section's settings: its items come one at a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adaptive: Option<AdaptiveSpec>,
}

impl LiveSection {
    /// The deadline as a time.
    pub fn deadline(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.deadline_ms).unwrap_or(DateTime::UNIX_EPOCH)
    }
}

fn live_of(attempt: &attempt::Model, sections: &[attempt_section::Model]) -> LiveAttempt {
    let open = sections
        .iter()
        .find(|s| s.status == SectionStatus::Open)
        .and_then(|s| {
            Some(LiveSection {
                position: s.position,
                instrument: s.instrument_id,
                deadline_ms: s.deadline_at?.timestamp_millis(),
                plan: serde_json::from_value(s.plan.clone()).ok()?,
                forward_only: s.forward_only,
                adaptive: s
                    .adaptive
                    .as_ref()
                    .and_then(|v| serde_json::from_value(v.clone()).ok()),
            })
        });
    LiveAttempt {
        org: attempt.organisation_id,
        seed: attempt.seed,
        device: attempt.device_id.clone(),
        finished: attempt.status.is_over(),
        section: open,
        paused: attempt.paused_at.is_some(),
        terminated: attempt.status == AttemptStatus::Terminated,
        seat: attempt.session_id.map(|s| (s, attempt.participant_id)),
        sections: sections.len() as i32,
        first_pending: sections
            .iter()
            .filter(|s| s.status == SectionStatus::Pending)
            .map(|s| s.position)
            .min(),
    }
}

/// Writes the live state of an attempt from the database's facts. A failure is the store's,
/// returned as such (not as an `ApiError`, which logs at ERROR when made): its one caller,
/// [`follow_loaded`], expects it while the store is down and logs it at its own level.
async fn publish(
    ctx: &AppContext,
    attempt: &attempt::Model,
    sections: &[attempt_section::Model],
) -> Result<(), crate::store::live::LiveError> {
    let state = serde_json::to_string(&live_of(attempt, sections)).map_err(|e| {
        crate::store::live::LiveError {
            backend: ctx.live.backend(),
            message: format!("the live state could not be written as JSON: {e}"),
        }
    })?;
    ctx.changes.changed(attempt.id);
    ctx.live
        .put_attempt(&attempt.id.to_string(), &state, LIVE_TTL)
        .await
}

/// Rewrites the live state of many attempts (a session's start): read in batches, written a
/// burst at a time so the live store is never flooded. Like [`follow`], a failed write is
/// logged and the stale state dropped, not reported: the change is committed.
pub async fn refresh_many(ctx: &AppContext, ids: &[uuid::Uuid]) -> Result<(), ApiError> {
    let burst = ctx.settings.proctoring.start_burst.max(1);
    for chunk in ids.chunks(500) {
        let attempts = repo::find_many(&ctx.db, chunk).await?;
        let sections = repo::sections_of(&ctx.db, chunk).await?;
        let states: Vec<(String, String)> = attempts
            .iter()
            .map(|a| {
                let mine: Vec<attempt_section::Model> = sections
                    .iter()
                    .filter(|s| s.attempt_id == a.id)
                    .cloned()
                    .collect();
                ctx.changes.changed(a.id);
                serde_json::to_string(&live_of(a, &mine))
                    .map(|s| (a.id.to_string(), s))
                    .map_err(ApiError::internal)
            })
            .collect::<Result<_, _>>()?;
        futures_util::stream::iter(states)
            .map(|(id, state)| async move {
                if let Err(e) = ctx.live.put_attempt(&id, &state, LIVE_TTL).await {
                    tracing::warn!(attempt = %id, error = %e, "live state not rewritten after a change; it is repaired when next refused or read");
                    let _ = ctx.live.forget_attempt(&id).await;
                }
            })
            .buffer_unordered(burst)
            .collect::<Vec<()>>()
            .await;
    }
    Ok(())
}

/// Reads the live state, rebuilding it from the database when the live store lost it (a Redis
/// restart or flush loses no answer and no deadline: both live in the database).
/// When the live store fails or does not answer, the database's facts are used alone (more
/// slowly): a candidate goes on answering through a live-store outage.
pub async fn read(ctx: &AppContext, id: AttemptId) -> Result<LiveAttempt, ApiError> {
    match ctx.live.get_attempt(&id.to_string()).await {
        Ok(Some(text)) => {
            if let Ok(state) = serde_json::from_str(&text) {
                return Ok(state);
            }
        }
        Ok(None) => {}
        Err(e) => {
            tracing::debug!(attempt = %id, error = %e, "live state unreadable; reading the database")
        }
    }
    reload(ctx, id).await
}

/// The database's facts about an attempt, written back to the live store: where the live state
/// is missing, or refuses something and may be stale (a write after a change that failed). The
/// facts are returned even when the live store cannot take them.
pub async fn reload(ctx: &AppContext, id: AttemptId) -> Result<LiveAttempt, ApiError> {
    let a = repo::find(&ctx.db, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "this attempt no longer exists"))?;
    let sections = repo::sections(&ctx.db, id).await?;
    follow_loaded(ctx, &a, &sections).await;
    Ok(live_of(&a, &sections))
}

/// Rewrites the live state of an attempt after a change the database has already committed (a
/// proctor's action, a session's start, a finish). The change stands whatever the live store
/// does: every answer is judged by the database at commit time, and a live state that refuses
/// something is checked against the database first. So a live store that cannot take the new
/// state is logged and the stale state dropped where possible, not reported as a failure of the
/// change.
pub async fn follow(ctx: &AppContext, id: AttemptId) -> Result<(), ApiError> {
    if let Some(a) = repo::find(&ctx.db, id).await? {
        let sections = repo::sections(&ctx.db, id).await?;
        follow_loaded(ctx, &a, &sections).await;
    }
    Ok(())
}

/// [`follow`] with the attempt's rows already read.
pub async fn follow_loaded(
    ctx: &AppContext,
    attempt: &attempt::Model,
    sections: &[attempt_section::Model],
) {
    if let Err(e) = publish(ctx, attempt, sections).await {
        let id = attempt.id;
        if ctx.live.health().degraded {
            // The outage has been logged once; the state is rebuilt when the store is back.
            tracing::debug!(attempt = %id, error = %e, "live state not rewritten: the live store is down");
            return;
        }
        tracing::warn!(attempt = %id, error = %e, "live state not rewritten after a change; it is repaired when next refused or read");
        if let Err(e) = ctx.live.forget_attempt(&id.to_string()).await {
            tracing::warn!(attempt = %id, error = %e, "stale live state not forgotten either");
        }
    }
}

/// The live state of the candidate's attempt, refused when another device holds it now.
pub async fn of_device(ctx: &AppContext, who: &CandidateClaims) -> Result<LiveAttempt, ApiError> {
    let state = read(ctx, who.attempt()).await?;
    if state.device.as_deref() != Some(who.dev.as_str()) {
        return Err(rules::device_replaced());
    }
    Ok(state)
}

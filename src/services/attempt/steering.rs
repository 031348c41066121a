//! The changes staff (and the system, for an automatic pause) make to an attempt: admit, pause,
//! resume, extra time, message, irregularity, unlock and terminate. Each one commits together
//! with its audit entry (invariant 8) and its timeline event; the live state follows. Admit,
//! pause, resume and terminate converge: asked again of an attempt already so, they succeed and
//! change nothing more.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ending, live};
use crate::domain::attempt::{AttemptStatus, EventKind};
use crate::domain::ids::{AccountId, AttemptId, CampaignId, OrganisationId};
use crate::error::{ApiError, ErrorCode};
use crate::services::monitor;
use crate::services::AppContext;
use crate::store::attempts as repo;
use crate::store::audit::{self, AuditRecord};
use crate::store::entities::attempt;
use crate::store::{attempt_events, campaigns};

/// What a proctor does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Let a candidate in from the lobby (identity checked).
    Admit,
    /// Stop the candidate's clock; nothing can be saved until resumed.
    Pause,
    /// Restart the clock where it stopped.
    Resume,
    /// Add time to the running section.
    Extend,
    /// End the attempt; it is scored on what was given.
    Terminate,
    /// Show a message on the candidate's screen until dismissed.
    Message,
    /// Record an irregularity (the reason says what).
    Irregularity,
    /// Release the device holding the attempt so the candidate can continue on another.
    Unlock,
}

impl Action {
    fn audit_name(self) -> &'static str {
        match self {
            Action::Admit => "attempt.admit",
            Action::Pause => "attempt.pause",
            Action::Resume => "attempt.resume",
            Action::Extend => "attempt.extend",
            Action::Terminate => "attempt.terminate",
            Action::Message => "attempt.message",
            Action::Irregularity => "attempt.irregularity",
            Action::Unlock => "attempt.unlock",
        }
    }
}

/// A change made inside one transaction of the attempt's rows (all but the termination, which
/// finishes and scores the attempt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Admit from the lobby.
    Admit,
    /// Stop the clock.
    Pause,
    /// Restart the clock.
    Resume,
    /// Add these seconds to the running section.
    Extend(u32),
    /// Show this text to the candidate.
    Message(String),
    /// Record an irregularity.
    Irregularity,
    /// Release the device.
    Unlock,
}

impl Change {
    fn action(&self) -> Action {
        match self {
            Change::Admit => Action::Admit,
            Change::Pause => Action::Pause,
            Change::Resume => Action::Resume,
            Change::Extend(_) => Action::Extend,
            Change::Message(_) => Action::Message,
            Change::Irregularity => Action::Irregularity,
            Change::Unlock => Action::Unlock,
        }
    }

    fn event_kind(&self) -> EventKind {
        match self {
            Change::Admit => EventKind::Admit,
            Change::Pause => EventKind::Pause,
            Change::Resume => EventKind::Resume,
            Change::Extend(_) => EventKind::Extend,
            Change::Message(_) => EventKind::Message,
            Change::Irregularity => EventKind::Irregularity,
            Change::Unlock => EventKind::Unlock,
        }
    }

    /// Whether it may be made to an attempt that is already over.
    fn applies_when_over(&self) -> bool {
        matches!(self, Change::Message(_) | Change::Irregularity)
    }
}

/// What to do to an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// End it and score it.
    Terminate,
    /// Change it.
    Change(Change),
}

/// A checked step with its reason (kept in the audit log).
#[derive(Debug, Clone)]
pub struct Steer {
    /// What to do.
    pub step: Step,
    /// Why.
    pub reason: String,
}

/// An attempt-level refusal: the step does not apply to this attempt now.
pub fn refuse(message: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidStateTransition, message)
}

/// The participant has no attempt yet.
pub fn not_signed_in() -> ApiError {
    refuse("this participant has not signed in yet")
}

fn record_for<'a>(
    actor: Option<AccountId>,
    action: Action,
    a: &attempt::Model,
    before: serde_json::Value,
    after: serde_json::Value,
    reason: &str,
    at: DateTime<Utc>,
) -> AuditRecord<'a> {
    AuditRecord {
        organisation: OrganisationId::from(a.organisation_id),
        actor,
        action: action.audit_name(),
        target_type: "attempt",
        target_id: a.id.to_string(),
        before: Some(before),
        after: Some(after),
        reason: Some(reason.to_owned()),
        at,
    }
}

/// Does one step to one attempt (`actor` none for the system): the change, its audit entry
/// and its timeline event commit together; the live state follows. The candidate's page is
/// told by the caller, once for all the attempts it steered.
pub async fn apply(
    ctx: &AppContext,
    actor: Option<AccountId>,
    a: Option<&attempt::Model>,
    steer: &Steer,
) -> Result<(), ApiError> {
    let a = a.ok_or_else(not_signed_in)?;
    // Microseconds: what every database keeps, so the times told are the ones stored.
    let now = chrono::SubsecRound::trunc_subsecs(ctx.clock.now(), 6);
    match &steer.step {
        Step::Terminate => terminate(ctx, actor, a, &steer.reason, now).await,
        Step::Change(change) => change_one(ctx, actor, a, change, &steer.reason, now).await,
    }
}

async fn terminate(
    ctx: &AppContext,
    actor: Option<AccountId>,
    a: &attempt::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let id = AttemptId::from(a.id);
    if a.status == AttemptStatus::Terminated {
        return already(ctx, id).await;
    }
    if a.status.is_over() {
        return Err(refuse("this attempt is already over"));
    }
    let rec = record_for(
        actor,
        Action::Terminate,
        a,
        serde_json::json!({"status": a.status}),
        serde_json::json!({"status": AttemptStatus::Terminated}),
        reason,
        now,
    );
    if !ending::finish_and_score_by(ctx, id, AttemptStatus::Terminated, now, Some(rec)).await? {
        // Ended meanwhile: by this same termination, retried, or otherwise.
        let ended = repo::find(&ctx.db, id).await?.map(|a| a.status);
        if ended != Some(AttemptStatus::Terminated) {
            return Err(refuse("this attempt is already over"));
        }
    }
    Ok(())
}

async fn change_one(
    ctx: &AppContext,
    actor: Option<AccountId>,
    a: &attempt::Model,
    change: &Change,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if a.status.is_over() && !change.applies_when_over() {
        return Err(refuse("this attempt is already over"));
    }
    let id = AttemptId::from(a.id);
    let mut detail = serde_json::json!({ "reason": reason });
    let txn = crate::store::begin_write(&ctx.db).await?;
    let (before, after) = match change {
        Change::Admit => {
            if !repo::admit(&txn, id, now).await? {
                return already(ctx, id).await;
            }
            (
                serde_json::json!({"admitted": false}),
                serde_json::json!({"admitted": true}),
            )
        }
        Change::Pause => {
            if !repo::pause(&txn, id, now).await? {
                return already(ctx, id).await;
            }
            (
                serde_json::json!({"paused": false}),
                serde_json::json!({"paused": true, "paused_at": now}),
            )
        }
        Change::Resume => {
            let Some(paused_at) = a.paused_at else {
                return already(ctx, id).await;
            };
            if !repo::unpause(&txn, id, paused_at).await? {
                return already(ctx, id).await;
            }
            // The clock restarts exactly where it stopped: the deadline moves by the pause.
            let stopped = now - paused_at;
            let mut moved = serde_json::Value::Null;
            if let Some((s, d)) = repo::running_section(&txn, id).await? {
                repo::set_deadline(&txn, id, s, d + stopped).await?;
                moved = serde_json::json!({"section": s, "from": d, "to": d + stopped});
            }
            detail["paused_ms"] = stopped.num_milliseconds().into();
            detail["deadline"] = moved.clone();
            (
                serde_json::json!({"paused": true, "paused_at": paused_at}),
                serde_json::json!({"paused": false, "paused_ms": stopped.num_milliseconds(), "deadline": moved}),
            )
        }
        Change::Extend(seconds) => {
            let (position, before) = repo::running_section(&txn, id)
                .await?
                .ok_or_else(|| refuse("this candidate has no section running"))?;
            let deadline = before + chrono::Duration::seconds(i64::from(*seconds));
            if !repo::set_deadline(&txn, id, position, deadline).await? {
                return Err(refuse("this candidate has no section running"));
            }
            detail["section"] = position.into();
            detail["seconds"] = (*seconds).into();
            detail["deadline"] = serde_json::json!(deadline);
            (
                serde_json::json!({"section": position, "deadline": before}),
                serde_json::json!({"section": position, "deadline": deadline}),
            )
        }
        Change::Message(text) => {
            detail["text"] = text.clone().into();
            (serde_json::Value::Null, serde_json::json!({"text": text}))
        }
        Change::Irregularity => (
            serde_json::Value::Null,
            serde_json::json!({"irregular": true}),
        ),
        Change::Unlock => {
            repo::clear_device(&txn, id).await?;
            (
                serde_json::json!({"device_held": a.device_id.is_some()}),
                serde_json::json!({"device_held": false}),
            )
        }
    };
    let rec = record_for(actor, change.action(), a, before, after, reason, now);
    audit::record(&txn, rec).await?;
    attempt_events::record(&txn, id, change.event_kind(), detail, actor, now).await?;
    txn.commit().await?;
    live::follow(ctx, id).await?;
    Ok(())
}

/// An admit, pause, resume or termination asked of an attempt already in the state it asks for
/// (a retry, perhaps of a request whose reply was lost): nothing more is recorded, the live state
/// is rewritten in case the first time it could not be, and the request succeeds, so retrying
/// any of them converges.
async fn already(ctx: &AppContext, id: AttemptId) -> Result<(), ApiError> {
    live::follow(ctx, id).await
}

/// Pauses an attempt whose integrity events reached its campaign's limit (audited as the
/// system's action) and tells the candidate's page. Does nothing when the campaign has no limit
/// or the attempt is not running. Called by whoever records an integrity event.
pub async fn pause_if_over_limit(ctx: &AppContext, id: AttemptId) -> Result<(), ApiError> {
    let Some(a) = repo::find(&ctx.db, id).await? else {
        return Ok(());
    };
    if a.paused_at.is_some() || a.status.is_over() {
        return Ok(());
    }
    let Some(c) = campaigns::find(
        &ctx.db,
        OrganisationId::from(a.organisation_id),
        CampaignId::from(a.campaign_id),
    )
    .await?
    else {
        return Ok(());
    };
    let Some(limit) = c.campaign.auto_pause_after else {
        return Ok(());
    };
    let n = attempt_events::count_integrity(&ctx.db, id).await?;
    if n < limit.max(1) as u64 {
        return Ok(());
    }
    let steer = Steer {
        step: Step::Change(Change::Pause),
        reason: format!("automatic: {n} integrity events reached the campaign's limit of {limit}"),
    };
    match apply(ctx, None, Some(&a), &steer).await {
        Ok(()) => {
            monitor::tell_candidates(ctx, &[a.id]).await;
            Ok(())
        }
        // Paused meanwhile by someone else: nothing to do.
        Err(e) if e.code == ErrorCode::InvalidStateTransition => Ok(()),
        Err(e) => Err(e),
    }
}

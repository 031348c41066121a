//! What a proctor does to a session's candidates, or to one of them: every action needs a
//! reason and reports the candidates it could not apply to instead of failing the others. The
//! changes themselves are the attempt's ([`crate::services::attempt::steering`]); this checks
//! the request, who may make it, and tells the candidates' pages.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::access::{visible_participant, visible_session};
use crate::domain::attempt::time_left_ms;
use crate::domain::ids::{AttemptId, CampaignId, ParticipantId};
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::services::attempt::steering::{self, not_signed_in, refuse, Change, Steer, Step};
use crate::services::auth::Staff;
use crate::services::monitor;
use crate::services::AppContext;
use crate::store::attempts as repo;
use crate::store::campaigns;
use crate::store::entities::participant;

pub use crate::services::attempt::steering::Action;

/// Longest reason or message.
pub const MAX_TEXT_CHARS: usize = 500;

/// Most extra time one extension may give.
pub const MAX_EXTENSION_SECONDS: u32 = 2 * 60 * 60;

/// An action on some candidates of a session, or on all of them.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// What to do.
    pub action: Action,
    /// Participant ids; left out: everyone in the session.
    #[serde(default)]
    pub participants: Option<Vec<Uuid>>,
    /// Why (required; kept in the audit log).
    #[serde(default)]
    pub reason: String,
    /// `extend`: seconds to add (1 to 7200).
    #[serde(default)]
    pub seconds: Option<u32>,
    /// `message`: what the candidate reads (1 to 500 characters).
    #[serde(default)]
    pub text: Option<String>,
}

/// A participant an action left alone, and why.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Skipped {
    /// Participant id.
    pub participant: Uuid,
    /// The error code it would have been.
    pub code: String,
    /// In words.
    pub message: String,
}

/// What an action did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActionOutcome {
    /// Candidates it applied to.
    pub done: usize,
    /// Candidates it did not apply to.
    pub skipped: Vec<Skipped>,
}

/// A required text of 1 to [`MAX_TEXT_CHARS`] characters, trimmed; a problem joins `errors`.
pub(super) fn text_of(field: &str, value: &str, errors: &mut Vec<FieldError>) -> String {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > MAX_TEXT_CHARS {
        errors.push(FieldError::top(
            field,
            format!("must be 1 to {MAX_TEXT_CHARS} characters"),
        ));
    }
    v.to_owned()
}

fn validate(body: &ActionBody) -> Result<Steer, ApiError> {
    let mut errors = Vec::new();
    let reason = text_of("reason", &body.reason, &mut errors);
    let seconds = match (body.action, body.seconds) {
        (Action::Extend, Some(s)) if (1..=MAX_EXTENSION_SECONDS).contains(&s) => s,
        (Action::Extend, _) => {
            errors.push(FieldError::top(
                "seconds",
                format!("extend needs seconds from 1 to {MAX_EXTENSION_SECONDS}"),
            ));
            0
        }
        _ => 0,
    };
    let text = match body.action {
        Action::Message => text_of("text", body.text.as_deref().unwrap_or(""), &mut errors),
        _ => String::new(),
    };
    if body.participants.as_ref().is_some_and(Vec::is_empty) {
        errors.push(FieldError::top(
            "participants",
            "name at least one participant, or leave it out for the whole session",
        ));
    }
    ApiError::unless_no_errors(ErrorCode::InvalidInput, "the action is incomplete", errors)?;
    let step = match body.action {
        Action::Terminate => Step::Terminate,
        Action::Admit => Step::Change(Change::Admit),
        Action::Pause => Step::Change(Change::Pause),
        Action::Resume => Step::Change(Change::Resume),
        Action::Extend => Step::Change(Change::Extend(seconds)),
        Action::Message => Step::Change(Change::Message(text)),
        Action::Irregularity => Step::Change(Change::Irregularity),
        Action::Unlock => Step::Change(Change::Unlock),
    };
    Ok(Steer { step, reason })
}

/// Applies an action to some or all candidates of a session. Candidates it cannot apply to
/// (not signed in, already finished, or a passing failure) are listed with their error code, not
/// failed; each candidate's change commits whole or not at all, and sending the action again
/// converges.
pub async fn act(
    ctx: &AppContext,
    staff: &Staff,
    session: Uuid,
    body: ActionBody,
) -> Result<ActionOutcome, ApiError> {
    let steer = validate(&body)?;
    visible_session(ctx, staff, session).await?;
    let members = campaigns::session_participants(&ctx.db, session).await?;
    let targets: Vec<&participant::Model> = match &body.participants {
        None => members.iter().collect(),
        Some(ids) => {
            let unknown: Vec<String> = ids
                .iter()
                .filter(|id| !members.iter().any(|p| p.id == **id))
                .map(Uuid::to_string)
                .collect();
            if !unknown.is_empty() {
                return Err(ApiError::with_errors(
                    ErrorCode::InvalidInput,
                    "some participants are not in this session",
                    vec![FieldError::top("participants", unknown.join(", "))],
                ));
            }
            members.iter().filter(|p| ids.contains(&p.id)).collect()
        }
    };
    let attempts = repo::of_session(&ctx.db, session).await?;
    let actor = Some(staff.account);
    let mut outcome = ActionOutcome {
        done: 0,
        skipped: Vec::new(),
    };
    let mut touched = Vec::new();
    for p in targets {
        let a = attempts.iter().find(|a| a.participant_id == p.id);
        match steering::apply(ctx, actor, a, &steer).await {
            Ok(()) => {
                outcome.done += 1;
                touched.extend(a.map(|a| a.id));
            }
            // Refused, or failed for a passing reason (the database busy, a store down): each
            // candidate's step commits or not on its own, so the others still get theirs, and
            // the same action sent again converges.
            Err(e) => {
                if !e.code.status().is_client_error() {
                    tracing::warn!(participant = %p.id, code = e.code.as_str(), "a room action failed for one candidate");
                }
                outcome.skipped.push(Skipped {
                    participant: p.id,
                    code: e.code.as_str().to_owned(),
                    message: e.message,
                })
            }
        }
    }
    monitor::tell_candidates(ctx, &touched).await;
    Ok(outcome)
}

/// One participant, by campaign and participant id (the per-participant endpoints).
pub async fn act_on_participant(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
    body: ActionBody,
) -> Result<(), ApiError> {
    let steer = validate(&body)?;
    visible_participant(ctx, staff, campaign, participant).await?;
    let a = repo::of_participant(&ctx.db, participant).await?;
    steering::apply(ctx, Some(staff.account), a.as_ref(), &steer).await?;
    if let Some(a) = a {
        monitor::tell_candidates(ctx, &[a.id]).await;
    }
    Ok(())
}

/// Extra time for one participant's running section (the per-participant endpoint).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Extension {
    /// The section extended.
    pub section: i32,
    /// Its new deadline.
    pub deadline: DateTime<Utc>,
    /// Milliseconds left now (frozen while paused).
    pub remaining_ms: i64,
}

/// Adds time to a participant's running section; tells where its deadline now is.
pub async fn extend(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
    seconds: u32,
    reason: String,
) -> Result<Extension, ApiError> {
    let body = ActionBody {
        action: Action::Extend,
        participants: None,
        reason,
        seconds: Some(seconds),
        text: None,
    };
    act_on_participant(ctx, staff, campaign, participant, body).await?;
    let a = repo::of_participant(&ctx.db, participant)
        .await?
        .ok_or_else(not_signed_in)?;
    let (section, deadline) = repo::running_section(&ctx.db, AttemptId::from(a.id))
        .await?
        .ok_or_else(|| refuse("this candidate has no section running"))?;
    Ok(Extension {
        section,
        deadline,
        remaining_ms: time_left_ms(deadline, a.paused_at, ctx.clock.now()),
    })
}

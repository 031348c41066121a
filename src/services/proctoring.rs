//! Live proctoring: the sessions a staff member may watch, and what a proctor does to a room or
//! to some of its candidates (admit, pause and resume, extra time, terminate, message, mark an
//! irregularity, unlock a device, start a lobby session). Every action needs a reason, is written
//! to the audit log in the transaction that makes it, appears on the attempt's timeline, and is
//! pushed to the candidate's page and to every proctor watching the room.
use chrono::{DateTime, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::auth::Staff;
use super::{delivery, room, AppContext};
use crate::domain::account::Role;
use crate::domain::ids::{
    AccountId, AttemptId, BatteryId, CampaignId, OrganisationId, ParticipantId,
};
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::attempts::{self as repo, section_status, status};
use crate::store::audit::{self, AuditRecord};
use crate::store::entities::{attempt, campaign, campaign_session, participant};
use crate::store::{attempt_events, batteries, campaigns};

/// Longest reason or message.
pub const MAX_TEXT_CHARS: usize = 500;

/// Most extra time one extension may give.
pub const MAX_EXTENSION_SECONDS: u32 = 2 * 60 * 60;

// ---------------------------------------------------------------------------------------------
// Who may watch what.

/// A session as a proctor's list shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionCard {
    /// Session id.
    pub id: Uuid,
    /// Its campaign.
    pub campaign: CampaignRef,
    /// Name.
    pub name: String,
    /// Room.
    pub room: Option<String>,
    /// Scheduled start.
    pub starts_at: DateTime<Utc>,
    /// When a proctor started it (lobby campaigns).
    pub started_at: Option<DateTime<Utc>>,
    /// Proctor account assigned.
    pub proctor: Option<Uuid>,
    /// Participants enrolled in it.
    pub participant_count: i64,
}

/// The campaign of a session.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignRef {
    /// Campaign id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Whether candidates wait in a lobby.
    pub lobby: bool,
}

fn card(s: campaign_session::Model, c: &campaign::Model, participant_count: i64) -> SessionCard {
    SessionCard {
        id: s.id,
        campaign: CampaignRef {
            id: c.id,
            name: c.name.clone(),
            lobby: c.lobby,
        },
        name: s.name,
        room: s.room,
        starts_at: s.starts_at,
        started_at: s.started_at,
        proctor: s.proctor_account_id,
        participant_count,
    }
}

fn assigned(staff: &Staff, s: &campaign_session::Model) -> bool {
    staff.role != Role::Proctor || s.proctor_account_id == Some(staff.account.as_uuid())
}

/// The sessions a staff member may watch: a proctor those assigned to them, HR and admins every
/// session of their organisation.
pub async fn sessions(ctx: &AppContext, staff: &Staff) -> Result<Vec<SessionCard>, ApiError> {
    let proctor = (staff.role == Role::Proctor).then(|| staff.account.as_uuid());
    let found = campaigns::sessions_for(&ctx.db, staff.organisation, proctor).await?;
    let mut out = Vec::with_capacity(found.len());
    let mut counts = std::collections::HashMap::new();
    for (s, c) in found {
        if let std::collections::hash_map::Entry::Vacant(e) = counts.entry(c.id) {
            let n: std::collections::HashMap<Uuid, i64> =
                campaigns::session_counts(&ctx.db, CampaignId::from(c.id))
                    .await?
                    .into_iter()
                    .collect();
            e.insert(n);
        }
        let n = counts[&c.id].get(&s.id).copied().unwrap_or(0);
        out.push(card(s, &c, n));
    }
    Ok(out)
}

/// A session the caller may watch, with its campaign; otherwise `not_found` (a proctor is not
/// told that sessions of others exist).
pub async fn visible_session(
    ctx: &AppContext,
    staff: &Staff,
    session: Uuid,
) -> Result<(campaign_session::Model, campaign::Model), ApiError> {
    campaigns::find_session(&ctx.db, staff.organisation, session)
        .await?
        .filter(|(s, _)| assigned(staff, s))
        .ok_or_else(|| ApiError::not_found("session"))
}

/// A participant the caller may steer: of their organisation's campaign and, for a proctor, of
/// a session assigned to them.
pub async fn visible_participant(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
) -> Result<participant::Model, ApiError> {
    super::campaigns::find(ctx, staff, campaign).await?;
    let p = campaigns::find_participant(&ctx.db, staff.organisation, campaign, participant)
        .await?
        .ok_or_else(|| ApiError::not_found("participant"))?;
    if staff.role == Role::Proctor {
        let Some(session) = p.session_id else {
            return Err(ApiError::not_found("participant"));
        };
        visible_session(ctx, staff, session)
            .await
            .map_err(|_| ApiError::not_found("participant"))?;
    }
    Ok(p)
}

/// A room as it is now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Room {
    /// The session.
    pub session: SessionCard,
    /// The server's clock when the rows were read.
    pub server_time_ms: i64,
    /// A signed-in candidate unseen for this long shows as disconnected.
    pub disconnect_after_ms: i64,
    /// One row per participant of the session.
    pub rows: Vec<room::Row>,
}

/// A snapshot of a session's room.
pub async fn snapshot(ctx: &AppContext, staff: &Staff, session: Uuid) -> Result<Room, ApiError> {
    let (s, c) = visible_session(ctx, staff, session).await?;
    let rows = room::session_rows(ctx, session).await?;
    Ok(Room {
        session: card(s, &c, rows.len() as i64),
        server_time_ms: ctx.clock.now().timestamp_millis(),
        disconnect_after_ms: (ctx.settings.proctoring.disconnect_after_seconds * 1000) as i64,
        rows,
    })
}

// ---------------------------------------------------------------------------------------------
// Actions.

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

    fn event_kind(self) -> &'static str {
        match self {
            Action::Admit => "admit",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Extend => "extend",
            Action::Terminate => "terminated",
            Action::Message => "message",
            Action::Irregularity => "irregularity",
            Action::Unlock => "unlock",
        }
    }
}

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

fn text_of(field: &str, value: &str, errors: &mut Vec<FieldError>) -> String {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > MAX_TEXT_CHARS {
        errors.push(FieldError::top(
            field,
            format!("must be 1 to {MAX_TEXT_CHARS} characters"),
        ));
    }
    v.to_owned()
}

/// A validated action.
struct Steer {
    action: Action,
    reason: String,
    seconds: u32,
    text: String,
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
    if !errors.is_empty() {
        return Err(ApiError::with_errors(
            ErrorCode::InvalidInput,
            "the action is incomplete",
            errors,
        ));
    }
    Ok(Steer {
        action: body.action,
        reason,
        seconds,
        text,
    })
}

fn not_signed_in() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidStateTransition,
        "this participant has not signed in yet",
    )
}

fn refuse(message: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidStateTransition, message)
}

/// Applies an action to some or all candidates of a session. Candidates it cannot apply to
/// (not signed in, already finished, …) are listed, not failed; nothing is half-done for anyone.
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
    let mut outcome = ActionOutcome {
        done: 0,
        skipped: Vec::new(),
    };
    let mut touched = Vec::new();
    for p in targets {
        let a = attempts.iter().find(|a| a.participant_id == p.id);
        match apply(ctx, Some(staff), a, &steer).await {
            Ok(()) => {
                outcome.done += 1;
                touched.extend(a.map(|a| a.id));
            }
            Err(e) if e.code.status().is_client_error() => outcome.skipped.push(Skipped {
                participant: p.id,
                code: e.code.as_str().to_owned(),
                message: e.message,
            }),
            Err(e) => return Err(e),
        }
    }
    room::notify_candidates(ctx, &touched).await?;
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
    apply(ctx, Some(staff), a.as_ref(), &steer).await?;
    if let Some(a) = a {
        room::notify_candidates(ctx, &[a.id]).await?;
    }
    Ok(())
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

/// Does one action to one attempt: the change, its audit entry and its timeline event commit
/// together; the live state follows.
async fn apply(
    ctx: &AppContext,
    staff: Option<&Staff>,
    a: Option<&attempt::Model>,
    steer: &Steer,
) -> Result<(), ApiError> {
    let a = a.ok_or_else(not_signed_in)?;
    let id = AttemptId::from(a.id);
    let actor = staff.map(|s| s.account);
    let now = chrono::SubsecRound::trunc_subsecs(ctx.clock.now(), 6);
    let over = status::is_over(&a.status);
    let reason = steer.reason.as_str();
    let mut detail = serde_json::json!({ "reason": reason });
    if steer.action == Action::Terminate {
        if over {
            return Err(refuse("this attempt is already over"));
        }
        let rec = record_for(
            actor,
            Action::Terminate,
            a,
            serde_json::json!({"status": a.status}),
            serde_json::json!({"status": status::TERMINATED}),
            reason,
            now,
        );
        if !delivery::finish_and_score_by(ctx, id, status::TERMINATED, now, Some(rec)).await? {
            return Err(refuse("this attempt is already over"));
        }
        return Ok(());
    }
    if over && steer.action != Action::Message && steer.action != Action::Irregularity {
        return Err(refuse("this attempt is already over"));
    }
    let txn = ctx.db.begin().await?;
    let (before, after) = match steer.action {
        Action::Admit => {
            if !repo::admit(&txn, id, now).await? {
                return Err(refuse("this candidate is already admitted"));
            }
            (
                serde_json::json!({"admitted": false}),
                serde_json::json!({"admitted": true}),
            )
        }
        Action::Pause => {
            if !repo::pause(&txn, id, now).await? {
                return Err(refuse("this attempt is already paused"));
            }
            (
                serde_json::json!({"paused": false}),
                serde_json::json!({"paused": true, "paused_at": now}),
            )
        }
        Action::Resume => {
            let Some(paused_at) = a.paused_at else {
                return Err(refuse("this attempt is not paused"));
            };
            if !repo::unpause(&txn, id, paused_at).await? {
                return Err(refuse("this attempt is not paused"));
            }
            // The clock restarts exactly where it stopped: the deadline moves by the pause.
            let stopped = now - paused_at;
            let open = repo::sections(&txn, id)
                .await?
                .into_iter()
                .find(|s| s.status == section_status::OPEN);
            let mut moved = serde_json::Value::Null;
            if let Some((s, d)) = open.and_then(|s| Some((s.position, s.deadline_at?))) {
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
        Action::Extend => {
            let open = repo::sections(&txn, id)
                .await?
                .into_iter()
                .find(|s| s.status == section_status::OPEN)
                .and_then(|s| Some((s.position, s.deadline_at?)))
                .ok_or_else(|| refuse("this candidate has no section running"))?;
            let (position, before) = open;
            let deadline = before + chrono::Duration::seconds(i64::from(steer.seconds));
            if !repo::set_deadline(&txn, id, position, deadline).await? {
                return Err(refuse("this candidate has no section running"));
            }
            detail["section"] = position.into();
            detail["seconds"] = steer.seconds.into();
            detail["deadline"] = serde_json::json!(deadline);
            (
                serde_json::json!({"section": position, "deadline": before}),
                serde_json::json!({"section": position, "deadline": deadline}),
            )
        }
        Action::Message => {
            detail["text"] = steer.text.clone().into();
            (
                serde_json::Value::Null,
                serde_json::json!({"text": steer.text}),
            )
        }
        Action::Irregularity => (
            serde_json::Value::Null,
            serde_json::json!({"irregular": true}),
        ),
        Action::Unlock => {
            repo::clear_device(&txn, id).await?;
            (
                serde_json::json!({"device_held": a.device_id.is_some()}),
                serde_json::json!({"device_held": false}),
            )
        }
        Action::Terminate => unreachable!("handled above"),
    };
    audit::record(
        &txn,
        record_for(actor, steer.action, a, before, after, reason, now),
    )
    .await?;
    attempt_events::record(&txn, id, steer.action.event_kind(), detail, actor, now).await?;
    txn.commit().await?;
    delivery::refresh_live(ctx, id).await?;
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
    let open = repo::sections(&ctx.db, AttemptId::from(a.id))
        .await?
        .into_iter()
        .find(|s| s.status == section_status::OPEN)
        .and_then(|s| Some((s.position, s.deadline_at?)))
        .ok_or_else(|| refuse("this candidate has no section running"))?;
    let at = a.paused_at.unwrap_or_else(|| ctx.clock.now());
    Ok(Extension {
        section: open.0,
        deadline: open.1,
        remaining_ms: (open.1 - at).num_milliseconds().max(0),
    })
}

/// Pauses an attempt whose integrity events reached its campaign's limit (audited as the
/// system's action). Does nothing when the campaign has no limit or the attempt is not running.
pub async fn pause_if_over_limit(ctx: &AppContext, id: AttemptId) -> Result<(), ApiError> {
    let Some(a) = repo::find(&ctx.db, id).await? else {
        return Ok(());
    };
    if a.paused_at.is_some() || status::is_over(&a.status) {
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
    let n = attempt_events::count_kinds(&ctx.db, id, room::INTEGRITY_KINDS).await?;
    if n < limit.max(1) as u64 {
        return Ok(());
    }
    let steer = Steer {
        action: Action::Pause,
        reason: format!("automatic: {n} integrity events reached the campaign's limit of {limit}"),
        seconds: 0,
        text: String::new(),
    };
    match apply(ctx, None, Some(&a), &steer).await {
        Ok(()) => room::notify_candidates(ctx, &[a.id]).await,
        // Paused meanwhile by someone else: nothing to do.
        Err(e) if e.code == ErrorCode::InvalidStateTransition => Ok(()),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// The synchronised start of a lobby session.

/// A session's start.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartBody {
    /// Why now (required; kept in the audit log).
    #[serde(default)]
    pub reason: String,
}

/// What a start did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StartOutcome {
    /// When the session started.
    pub started_at: DateTime<Utc>,
    /// The one deadline of every first section opened.
    pub deadline: DateTime<Utc>,
    /// First sections opened.
    pub started: u64,
}

/// Starts a lobby session: every admitted candidate who has consented and is not paused gets
/// the first section open with the same deadline; their live state is written and their pages
/// told, a burst at a time.
pub async fn start(
    ctx: &AppContext,
    staff: &Staff,
    session: Uuid,
    body: StartBody,
) -> Result<StartOutcome, ApiError> {
    let mut errors = Vec::new();
    let reason = text_of("reason", &body.reason, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::with_errors(
            ErrorCode::InvalidInput,
            "give a reason",
            errors,
        ));
    }
    let (s, c) = visible_session(ctx, staff, session).await?;
    if !c.lobby {
        return Err(refuse(
            "this campaign has no lobby: its candidates start on their own",
        ));
    }
    let battery = batteries::find(&ctx.db, staff.organisation, BatteryId::from(c.battery_id))
        .await?
        .ok_or_else(|| ApiError::not_found("battery"))?;
    let limit = battery
        .sections
        .iter()
        .find(|b| b.position == 0)
        .map(|b| b.time_limit_seconds)
        .ok_or_else(|| ApiError::not_found("section"))?;
    // Microseconds: what every database keeps, so the deadline told here is the one stored.
    let now = chrono::SubsecRound::trunc_subsecs(ctx.clock.now(), 6);
    let deadline = now + chrono::Duration::seconds(i64::from(limit));
    let ready: Vec<Uuid> = repo::of_session(&ctx.db, session)
        .await?
        .into_iter()
        .filter(|a| {
            a.admitted_at.is_some()
                && a.consent_at.is_some()
                && a.paused_at.is_none()
                && a.status == status::NOT_STARTED
        })
        .map(|a| a.id)
        .collect();
    let txn = ctx.db.begin().await?;
    if !campaigns::start_session(&txn, session, now).await? {
        return Err(refuse("this session has already been started"));
    }
    let mut started = 0;
    for chunk in ready.chunks(500) {
        started += repo::open_first_sections(&txn, chunk, now, deadline).await?;
    }
    let events: Vec<(AttemptId, serde_json::Value)> = ready
        .iter()
        .map(|a| {
            (
                AttemptId::from(*a),
                serde_json::json!({"section": 0, "deadline": deadline, "synchronised": true}),
            )
        })
        .collect();
    attempt_events::record_many(&txn, "section_start", events, Some(staff.account), now).await?;
    audit::record(
        &txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "session.start",
            target_type: "session",
            target_id: s.id.to_string(),
            before: Some(serde_json::json!({"started_at": null})),
            after: Some(
                serde_json::json!({"started_at": now, "deadline": deadline, "started": started}),
            ),
            reason: Some(reason),
            at: ctx.clock.now(),
        },
    )
    .await?;
    txn.commit().await?;
    delivery::refresh_live_many(ctx, &ready).await?;
    room::notify_candidates(ctx, &ready).await?;
    tracing::info!(%session, started, "session started");
    Ok(StartOutcome {
        started_at: now,
        deadline,
        started,
    })
}

//! Test delivery to candidates: sign-in with an access code, consent, timed sections, answers,
//! submission and finish. The server owns the clock (invariant 3); items reach the browser
//! without keys (invariant 4); an answer is acknowledged only once committed (invariant 1).
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};

use super::battery_cache::BatterySections;
use super::tokens::CandidateClaims;
use super::{attempt_scoring, timeline, AppContext};
use crate::domain::access_code::AccessCode;
use crate::domain::campaign::{NormRule, NormSubject};
use crate::domain::delivery::{
    candidate_view, choice_id, item_handle, plan_section, resolve_choice, resolve_item,
    AttemptSeed, CandidateItem,
};
use crate::domain::ids::{AttemptId, BatteryId, CampaignId, InstrumentId, OrganisationId};
use crate::domain::instrument::InstrumentDoc;
use crate::domain::item::ItemDoc;
use crate::domain::scoring::{likert_points, parse_response};
use crate::domain::text::Text;
use crate::error::{ApiError, ErrorCode};
use crate::store::attempts::{self as repo, section_status, status, NewSection};
use crate::store::entities::{attempt, attempt_section, battery_section, campaign, participant};
use crate::store::responses::{self, ResponseRow};
use crate::store::{batteries, campaigns, organisations};

/// How long the live state of an attempt is kept without a change.
const LIVE_TTL: Duration = Duration::from_secs(12 * 60 * 60);

// ---------------------------------------------------------------------------------------------
// Live state: the facts the answer path needs, one live-store read away.

/// What every node needs to accept or refuse an answer without reading the database.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LiveAttempt {
    org: uuid::Uuid,
    seed: i64,
    device: Option<String>,
    finished: bool,
    section: Option<LiveSection>,
    #[serde(default)]
    paused: bool,
    #[serde(default)]
    terminated: bool,
    /// (session, participant): where the proctor sees this candidate.
    #[serde(default)]
    pub(crate) room: Option<(uuid::Uuid, uuid::Uuid)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct LiveSection {
    position: i32,
    instrument: uuid::Uuid,
    deadline_ms: i64,
    plan: Vec<String>,
    #[serde(default)]
    forward_only: bool,
}

fn live_of(attempt: &attempt::Model, sections: &[attempt_section::Model]) -> LiveAttempt {
    let open = sections
        .iter()
        .find(|s| s.status == section_status::OPEN)
        .and_then(|s| {
            Some(LiveSection {
                position: s.position,
                instrument: s.instrument_id,
                deadline_ms: s.deadline_at?.timestamp_millis(),
                plan: serde_json::from_value(s.plan.clone()).ok()?,
                forward_only: s.forward_only,
            })
        });
    LiveAttempt {
        org: attempt.organisation_id,
        seed: attempt.seed,
        device: attempt.device_id.clone(),
        finished: status::is_over(&attempt.status),
        section: open,
        paused: attempt.paused_at.is_some(),
        terminated: attempt.status == status::TERMINATED,
        room: attempt.session_id.map(|s| (s, attempt.participant_id)),
    }
}

/// Writes the live state of an attempt from the database's facts.
async fn publish(
    ctx: &AppContext,
    attempt: &attempt::Model,
    sections: &[attempt_section::Model],
) -> Result<(), ApiError> {
    let state = serde_json::to_string(&live_of(attempt, sections)).map_err(ApiError::internal)?;
    ctx.room.changed(attempt.id);
    ctx.live
        .put_attempt(&attempt.id.to_string(), &state, LIVE_TTL)
        .await
        .map_err(ApiError::unavailable)
}

/// Rewrites the live state of an attempt from the database (after a change made elsewhere:
/// a proctor's action, a session's start).
pub(crate) async fn refresh_live(ctx: &AppContext, id: AttemptId) -> Result<(), ApiError> {
    if let Some(a) = repo::find(&ctx.db, id).await? {
        let sections = repo::sections(&ctx.db, id).await?;
        publish(ctx, &a, &sections).await?;
    }
    Ok(())
}

/// Rewrites the live state of many attempts (a session's start): read in batches, written a
/// burst at a time so the live store is never flooded.
pub(crate) async fn refresh_live_many(
    ctx: &AppContext,
    ids: &[uuid::Uuid],
) -> Result<(), ApiError> {
    use futures_util::StreamExt;
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
                ctx.room.changed(a.id);
                serde_json::to_string(&live_of(a, &mine))
                    .map(|s| (a.id.to_string(), s))
                    .map_err(ApiError::internal)
            })
            .collect::<Result<_, _>>()?;
        let results: Vec<Result<(), ApiError>> = futures_util::stream::iter(states)
            .map(|(id, state)| async move {
                ctx.live
                    .put_attempt(&id, &state, LIVE_TTL)
                    .await
                    .map_err(ApiError::unavailable)
            })
            .buffer_unordered(burst)
            .collect()
            .await;
        results.into_iter().collect::<Result<Vec<()>, _>>()?;
    }
    Ok(())
}

/// Reads the live state, rebuilding it from the database when the live store lost it (a Redis
/// restart or flush loses no answer and no deadline: both live in the database).
async fn live(ctx: &AppContext, id: AttemptId) -> Result<LiveAttempt, ApiError> {
    if let Some(text) = ctx
        .live
        .get_attempt(&id.to_string())
        .await
        .map_err(ApiError::unavailable)?
    {
        if let Ok(state) = serde_json::from_str(&text) {
            return Ok(state);
        }
    }
    let a = repo::find(&ctx.db, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "this attempt no longer exists"))?;
    let sections = repo::sections(&ctx.db, id).await?;
    publish(ctx, &a, &sections).await?;
    Ok(live_of(&a, &sections))
}

// ---------------------------------------------------------------------------------------------
// Views.

/// A section as listed to the candidate.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectionSummary {
    /// Position in the battery.
    pub position: i32,
    /// Title.
    #[schema(value_type = Object)]
    pub title: Text,
    /// Time limit.
    pub time_limit_seconds: i32,
    /// Scored items this attempt gets.
    pub item_count: usize,
    /// pending, open or closed.
    pub status: String,
    /// submitted or timeout, once closed.
    pub closed_reason: Option<String>,
}

/// The campaign as the candidate sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignSummary {
    /// Name.
    pub name: String,
    /// Whether the end screen shows scores.
    pub show_score_to_candidate: bool,
    /// When the window closes.
    pub closes_at: DateTime<Utc>,
}

/// Who is signed in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantSummary {
    /// Full name.
    pub name: String,
    /// NIP.
    pub nip: String,
}

/// An organisation's name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganisationSummary {
    /// Name.
    pub name: String,
}

/// One scale's score as shown on the end screen.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CandidateScore {
    /// Instrument code.
    pub instrument: String,
    /// Scale code.
    pub scale: String,
    /// Scale name.
    #[schema(value_type = Object)]
    pub scale_name: Text,
    /// Raw score.
    pub raw: Option<f64>,
    /// Percentile rank.
    pub pr: Option<f64>,
    /// T score.
    pub t: Option<f64>,
    /// Stanine.
    pub stanine: Option<u8>,
    /// Sten.
    pub sten: Option<u8>,
    /// Norm group compared with.
    pub norm_group: Option<String>,
    /// Whether that norm table is only illustrative.
    pub illustrative: Option<bool>,
}

/// The candidate's attempt.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttemptView {
    /// Attempt id.
    pub id: uuid::Uuid,
    /// not_started, in_progress, finished, expired or terminated.
    pub status: String,
    /// A proctor paused the attempt: the clock is stopped (`remaining_ms` frozen).
    pub paused: bool,
    /// The lobby, when the candidate's session has one.
    pub lobby: Option<super::room::LobbyState>,
    /// The proctor's messages not yet dismissed.
    pub messages: Vec<super::room::Message>,
    /// The campaign.
    pub campaign: CampaignSummary,
    /// The organisation running it.
    pub organisation: OrganisationSummary,
    /// Who is signed in.
    pub participant: ParticipantSummary,
    /// Whether consent must be given before the first section.
    pub consent_required: bool,
    /// The sections in order.
    pub sections: Vec<SectionSummary>,
    /// The open section, or the next to start.
    pub current_section: Option<i32>,
    /// Milliseconds left in the open section.
    pub remaining_ms: Option<i64>,
    /// Scores, when finished and the campaign shows them.
    pub scores: Option<Vec<CandidateScore>>,
}

/// A saved response as the candidate's page restores it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SavedResponse {
    /// The response, with the attempt's opaque ids.
    #[schema(value_type = Object)]
    pub response: serde_json::Value,
    /// Its sequence number.
    pub seq: i64,
    /// Marked for review.
    pub flagged: bool,
}

/// A section's content for the candidate: no keys, weights, scales or answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectionView {
    /// Position in the battery.
    pub position: i32,
    /// Title.
    #[schema(value_type = Object)]
    pub title: Text,
    /// Instructions.
    #[schema(value_type = Option<Object>)]
    pub instructions: Option<Text>,
    /// free or forward_only.
    pub navigation: String,
    /// Time limit.
    pub time_limit_seconds: i32,
    /// Server deadline.
    pub deadline: Option<DateTime<Utc>>,
    /// Milliseconds left.
    pub remaining_ms: i64,
    /// open or closed.
    pub status: String,
    /// Practice items, answered on the page only.
    #[schema(value_type = Vec<Object>)]
    pub practice: Vec<CandidateItem>,
    /// The items of this attempt, in order.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<CandidateItem>,
    /// Saved responses by item id.
    pub responses: HashMap<String, SavedResponse>,
}

/// Everything about an attempt that its views need.
struct Loaded {
    attempt: attempt::Model,
    sections: Vec<attempt_section::Model>,
    campaign: campaign::Model,
    battery: BatterySections,
    participant: participant::Model,
}

async fn load(ctx: &AppContext, id: AttemptId) -> Result<Loaded, ApiError> {
    let attempt = repo::find(&ctx.db, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "this attempt no longer exists"))?;
    let org = OrganisationId::from(attempt.organisation_id);
    let campaign = campaigns::find(&ctx.db, org, CampaignId::from(attempt.campaign_id))
        .await?
        .ok_or_else(|| ApiError::not_found("campaign"))?
        .campaign;
    let battery = ctx
        .battery_cache
        .of_campaign(ctx, org, CampaignId::from(campaign.id))
        .await?;
    let participant = campaigns::find_participant(
        &ctx.db,
        org,
        CampaignId::from(attempt.campaign_id),
        attempt.participant_id.into(),
    )
    .await?
    .ok_or_else(|| ApiError::not_found("participant"))?;
    let sections = repo::sections(&ctx.db, id).await?;
    Ok(Loaded {
        attempt,
        sections,
        campaign,
        battery,
        participant,
    })
}

fn grace(ctx: &AppContext) -> chrono::Duration {
    chrono::Duration::seconds(ctx.settings.delivery.grace_seconds.max(0))
}

/// Whether a live section's deadline and the grace after it have passed: answers are refused
/// and the section is due to close.
fn past_grace(ctx: &AppContext, section: &LiveSection, now: DateTime<Utc>) -> bool {
    now.timestamp_millis() > section.deadline_ms + grace(ctx).num_milliseconds()
}

/// Closes the open section when its deadline (plus grace) has passed, then finishes the attempt
/// when that was the last section. Safe to call from any node at any time.
pub(crate) async fn close_if_overdue(
    ctx: &AppContext,
    id: AttemptId,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    // A paused attempt's clock is stopped: nothing of it is overdue until it resumes.
    if repo::find(&ctx.db, id)
        .await?
        .is_none_or(|a| a.paused_at.is_some())
    {
        return Ok(());
    }
    let sections = repo::sections(&ctx.db, id).await?;
    let mut closed_any = false;
    for s in &sections {
        let overdue =
            s.status == section_status::OPEN && s.deadline_at.is_some_and(|d| d + grace(ctx) < now);
        if overdue && repo::close_section(&ctx.db, id, s.position, "timeout", now).await? {
            closed_any = true;
            timeline::note(
                ctx,
                id,
                "section_end",
                serde_json::json!({"section": s.position, "reason": "timeout"}),
                None,
            )
            .await;
        }
    }
    if !closed_any {
        return Ok(());
    }
    let sections = repo::sections(&ctx.db, id).await?;
    if sections.iter().all(|s| s.status == section_status::CLOSED) {
        finish_and_score(ctx, id, status::FINISHED, now).await?;
    } else if let Some(a) = repo::find(&ctx.db, id).await? {
        publish(ctx, &a, &sections).await?;
    }
    Ok(())
}

/// Moves the attempt to `final_status` and scores it; only the node that makes the move scores.
pub(crate) async fn finish_and_score(
    ctx: &AppContext,
    id: AttemptId,
    final_status: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    finish_and_score_by(ctx, id, final_status, now, None)
        .await
        .map(|_| ())
}

/// [`finish_and_score`], with the audit entry of a staff member's move (a termination) written
/// in the same transaction; whether this call made the move.
pub(crate) async fn finish_and_score_by(
    ctx: &AppContext,
    id: AttemptId,
    final_status: &str,
    now: DateTime<Utc>,
    audit: Option<crate::store::audit::AuditRecord<'_>>,
) -> Result<bool, ApiError> {
    for s in repo::sections(&ctx.db, id).await? {
        if s.status == section_status::OPEN {
            let reason = match final_status {
                status::EXPIRED => "timeout",
                status::TERMINATED => "terminated",
                _ => "submitted",
            };
            repo::close_section(&ctx.db, id, s.position, reason, now).await?;
        }
    }
    // The status change and the scores commit together: whoever moves the attempt scores it, and
    // nobody ever sees a finished attempt without scores (nor does a crash leave one).
    let txn = ctx.db.begin().await?;
    let moved = repo::transition(
        &txn,
        id,
        &[status::NOT_STARTED, status::IN_PROGRESS],
        final_status,
        now,
    )
    .await?;
    if moved {
        let rows = attempt_scoring::compute(ctx, &txn, id).await?;
        repo::replace_scores(&txn, id, rows).await?;
        let actor = audit.as_ref().and_then(|a| a.actor);
        let detail = match audit.as_ref().and_then(|a| a.reason.clone()) {
            Some(reason) => serde_json::json!({ "reason": reason }),
            None => serde_json::json!({}),
        };
        crate::store::attempt_events::record(&txn, id, final_status, detail, actor, now).await?;
        if let Some(rec) = audit {
            crate::store::audit::record(&txn, rec).await?;
        }
    }
    txn.commit().await?;
    refresh_live(ctx, id).await?;
    Ok(moved)
}

fn remaining_ms(deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> i64 {
    deadline
        .map(|d| (d - now).num_milliseconds().max(0))
        .unwrap_or(0)
}

async fn view(ctx: &AppContext, l: &Loaded) -> Result<AttemptView, ApiError> {
    let now = ctx.clock.now();
    let org = organisations::find(&ctx.db, OrganisationId::from(l.attempt.organisation_id))
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    let open = l.sections.iter().find(|s| s.status == section_status::OPEN);
    let next = l
        .sections
        .iter()
        .find(|s| s.status != section_status::CLOSED)
        .map(|s| s.position);
    let finished = status::is_over(&l.attempt.status);
    let mut state = super::room::candidate_states(ctx, &[l.attempt.id])
        .await?
        .remove(&l.attempt.id);
    let scores =
        if finished && l.attempt.status != status::TERMINATED && l.campaign.show_score_to_candidate
        {
            Some(attempt_scoring::candidate_scores(ctx, &l.attempt).await?)
        } else {
            None
        };
    Ok(AttemptView {
        id: l.attempt.id,
        status: l.attempt.status.clone(),
        paused: l.attempt.paused_at.is_some(),
        lobby: state.as_mut().and_then(|s| s.lobby.take()),
        messages: state.map(|s| s.messages).unwrap_or_default(),
        campaign: CampaignSummary {
            name: l.campaign.name.clone(),
            show_score_to_candidate: l.campaign.show_score_to_candidate,
            closes_at: l.campaign.closes_at,
        },
        organisation: OrganisationSummary { name: org.name },
        participant: ParticipantSummary {
            name: l.participant.name.clone(),
            nip: l.participant.nip.clone(),
        },
        consent_required: l.attempt.consent_at.is_none(),
        sections: l
            .sections
            .iter()
            .map(|s| {
                let b = l.battery.iter().find(|b| b.position == s.position);
                SectionSummary {
                    position: s.position,
                    title: b
                        .and_then(|b| serde_json::from_value(b.title.clone()).ok())
                        .unwrap_or_else(|| Text {
                            id: format!("Bagian {}", s.position + 1),
                            en: Some(format!("Section {}", s.position + 1)),
                        }),
                    time_limit_seconds: b.map(|b| b.time_limit_seconds).unwrap_or(0),
                    item_count: serde_json::from_value::<Vec<String>>(s.plan.clone())
                        .map(|p| p.len())
                        .unwrap_or(0),
                    status: s.status.clone(),
                    closed_reason: s.closed_reason.clone(),
                }
            })
            .collect(),
        current_section: if finished { None } else { next },
        remaining_ms: open.map(|s| remaining_ms(s.deadline_at, l.attempt.paused_at.unwrap_or(now))),
        scores,
    })
}

// ---------------------------------------------------------------------------------------------
// Sign-in.

/// The second factor a candidate gives with the access code.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateLogin {
    /// The access code from the invitation, as typed.
    pub code: String,
    /// The participant's NIP…
    #[serde(default)]
    pub nip: Option<String>,
    /// …or birth date (`YYYY-MM-DD`).
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
}

/// A signed-in candidate.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CandidateSession {
    /// Bearer token scoped to this attempt and device.
    pub token: String,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
    /// The attempt.
    pub attempt: AttemptView,
}

fn wrong_code() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidCredentials,
        "the access code and NIP or birth date do not match an invitation; check them and try again",
    )
}

/// Signs a candidate in: the code and a second factor (NIP or birth date) must both match, and
/// the campaign's window must be open. Creates the attempt on first sign-in. A sign-in from a new
/// device takes the attempt over (the old device is told on its next answer), unless the campaign
/// requires a proctor's unlock for that.
pub async fn login(
    ctx: &AppContext,
    body: CandidateLogin,
    client: &str,
) -> Result<CandidateSession, ApiError> {
    let auth = &ctx.settings.auth;
    let window = Duration::from_secs(auth.login_window_seconds);
    let by_client = ctx
        .live
        .hit(&format!("candidate-login-client:{client}"), window)
        .await
        .map_err(ApiError::unavailable)?;
    let code = AccessCode::parse(&body.code).ok();
    let by_code = match &code {
        Some(c) => ctx
            .live
            .hit(&format!("candidate-login-code:{}", c.hash()), window)
            .await
            .map_err(ApiError::unavailable)?,
        None => 0,
    };
    if by_client > auth.login_attempts_per_address || by_code > auth.login_attempts_per_email {
        return Err(ApiError::new(
            ErrorCode::TooManyRequests,
            format!(
                "too many sign-in attempts; wait {} minutes and try again",
                auth.login_window_seconds.div_ceil(60)
            ),
        ));
    }
    if body.nip.is_none() && body.birth_date.is_none() {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "give your NIP or your birth date with the access code",
        ));
    }
    let code = code.ok_or_else(wrong_code)?;
    let p = campaigns::find_by_access_code(&ctx.db, &code.hash())
        .await?
        .ok_or_else(wrong_code)?;
    let nip_ok = body.nip.as_deref().map(|n| {
        let digits: String = n.chars().filter(|c| !c.is_whitespace()).collect();
        digits == p.nip
    });
    let birth_ok = body.birth_date.map(|d| d == p.birth_date);
    if nip_ok == Some(false) || birth_ok == Some(false) {
        return Err(wrong_code());
    }
    let org = OrganisationId::from(p.organisation_id);
    let campaign_id = CampaignId::from(p.campaign_id);
    let rec = campaigns::find(&ctx.db, org, campaign_id)
        .await?
        .ok_or_else(wrong_code)?;
    let now = ctx.clock.now();
    let existing = repo::of_participant(&ctx.db, p.id.into()).await?;
    let finished = existing
        .as_ref()
        .is_some_and(|a| status::is_over(&a.status));
    if now < rec.campaign.opens_at {
        return Err(ApiError::new(
            ErrorCode::CampaignNotOpen,
            format!(
                "this assessment opens at {} (UTC)",
                rec.campaign.opens_at.format("%Y-%m-%d %H:%M")
            ),
        ));
    }
    if now >= rec.campaign.closes_at && !finished {
        return Err(ApiError::new(
            ErrorCode::CampaignClosed,
            format!(
                "this assessment closed at {} (UTC)",
                rec.campaign.closes_at.format("%Y-%m-%d %H:%M")
            ),
        ));
    }
    let attempt = match existing {
        Some(a) => a,
        None => create_attempt(ctx, &rec.campaign, &p).await?,
    };
    let id = AttemptId::from(attempt.id);
    if rec.campaign.resume_requires_unlock
        && attempt.status == status::IN_PROGRESS
        && attempt.device_id.is_some()
    {
        return Err(ApiError::new(
            ErrorCode::ResumeLocked,
            "this assessment is already open on another device; ask your proctor to unlock it",
        ));
    }
    let device = uuid::Uuid::new_v4().simple().to_string();
    repo::set_device(&ctx.db, id, &device).await?;
    timeline::note(
        ctx,
        id,
        "sign_in",
        serde_json::json!({"device": device, "took_over": attempt.device_id.is_some()}),
        None,
    )
    .await;
    if attempt.device_id.is_some() && !status::is_over(&attempt.status) {
        timeline::note(
            ctx,
            id,
            "integrity.device_takeover",
            serde_json::json!({"detail": "signed in on another device or tab"}),
            None,
        )
        .await;
    }
    let (token, claims) = ctx
        .tokens
        .issue_candidate(id, org, &device)
        .map_err(ApiError::internal)?;
    close_if_overdue(ctx, id, now).await?;
    let loaded = load(ctx, id).await?;
    publish(ctx, &loaded.attempt, &loaded.sections).await?;
    tracing::info!(attempt = %id, "candidate signed in");
    Ok(CandidateSession {
        token,
        expires_at: claims.expires_at(),
        attempt: view(ctx, &loaded).await?,
    })
}

async fn create_attempt(
    ctx: &AppContext,
    c: &campaign::Model,
    p: &participant::Model,
) -> Result<attempt::Model, ApiError> {
    let org = OrganisationId::from(c.organisation_id);
    let battery = batteries::find(&ctx.db, org, BatteryId::from(c.battery_id))
        .await?
        .ok_or_else(|| ApiError::not_found("battery"))?;
    let seed = AttemptSeed::generate();
    let mut sections = Vec::with_capacity(battery.sections.len());
    for (i, s) in battery.sections.iter().enumerate() {
        let doc = ctx
            .instrument_cache
            .get(ctx, org, InstrumentId::from(s.instrument_id))
            .await?;
        let scored: Vec<String> = doc
            .items
            .iter()
            .filter(|it| !it.practice)
            .map(|it| it.code.clone())
            .collect();
        let order = if s.item_order == "random" {
            crate::domain::battery::ItemOrder::Random
        } else {
            crate::domain::battery::ItemOrder::Fixed
        };
        let draw = s.draw_count.and_then(|d| u32::try_from(d).ok());
        sections.push(NewSection {
            instrument: InstrumentId::from(s.instrument_id),
            plan: plan_section(&scored, order, draw, seed, i),
            forward_only: s.navigation == "forward_only",
        });
    }
    let rule: NormRule = serde_json::from_value(c.norm_rule.clone()).unwrap_or_default();
    let group = rule
        .group_for(NormSubject {
            education: &p.education,
            job_level: &p.job_level,
            group: p.group_code.as_deref(),
        })
        .to_owned();
    let model = attempt::Model {
        id: AttemptId::new().as_uuid(),
        organisation_id: c.organisation_id,
        campaign_id: c.id,
        participant_id: p.id,
        seed: seed.to_i64(),
        status: status::NOT_STARTED.to_owned(),
        norm_group: group,
        device_id: None,
        consent_at: None,
        started_at: None,
        finished_at: None,
        created_at: ctx.clock.now(),
        session_id: p.session_id,
        admitted_at: None,
        paused_at: None,
    };
    let txn = ctx.db.begin().await?;
    match repo::insert(&txn, model, sections).await {
        Ok(a) => {
            txn.commit().await?;
            Ok(a)
        }
        // Two sign-ins of one participant raced: the other one created it.
        Err(e) if crate::store::is_unique_violation(&e) => {
            drop(txn);
            repo::of_participant(&ctx.db, p.id.into())
                .await?
                .ok_or_else(|| ApiError::internal(e))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The attempt.

/// The attempt of a signed-in candidate.
pub async fn attempt(ctx: &AppContext, who: &CandidateClaims) -> Result<AttemptView, ApiError> {
    let id = who.attempt();
    close_if_overdue(ctx, id, ctx.clock.now()).await?;
    let loaded = load(ctx, id).await?;
    view(ctx, &loaded).await
}

/// Records the candidate's consent (purpose, data kept, contact) before the first section.
pub async fn consent(
    ctx: &AppContext,
    who: &CandidateClaims,
    accept: bool,
) -> Result<AttemptView, ApiError> {
    if !accept {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "the assessment can only start once you accept the statement",
        ));
    }
    check_device(ctx, who).await?;
    repo::set_consent(&ctx.db, who.attempt(), ctx.clock.now()).await?;
    timeline::note(ctx, who.attempt(), "consent", serde_json::json!({}), None).await;
    attempt(ctx, who).await
}

pub(crate) async fn check_device(
    ctx: &AppContext,
    who: &CandidateClaims,
) -> Result<LiveAttempt, ApiError> {
    let state = live(ctx, who.attempt()).await?;
    if state.device.as_deref() != Some(who.dev.as_str()) {
        return Err(device_replaced());
    }
    Ok(state)
}

fn device_replaced() -> ApiError {
    ApiError::new(
        ErrorCode::DeviceReplaced,
        "this assessment was continued on another device; this page can no longer save answers",
    )
}

/// Starts a section (sets its server deadline), or returns it unchanged when already open.
pub async fn start_section(
    ctx: &AppContext,
    who: &CandidateClaims,
    position: i32,
) -> Result<SectionView, ApiError> {
    check_device(ctx, who).await?;
    let id = who.attempt();
    let now = ctx.clock.now();
    close_if_overdue(ctx, id, now).await?;
    let l = load(ctx, id).await?;
    check_steering(&l.attempt)?;
    if l.attempt.consent_at.is_none() {
        return Err(ApiError::new(
            ErrorCode::ConsentRequired,
            "accept the consent statement first",
        ));
    }
    let s = section_at(&l.sections, position)?;
    match s.status.as_str() {
        section_status::OPEN => return section(ctx, who, position).await,
        section_status::CLOSED => return Err(section_closed()),
        _ => {}
    }
    let current = l
        .sections
        .iter()
        .find(|s| s.status != section_status::CLOSED)
        .map(|s| s.position);
    if current != Some(position) {
        return Err(ApiError::new(
            ErrorCode::SectionNotCurrent,
            "sections are taken in order; finish the current one first",
        ));
    }
    if position == 0 && l.campaign.lobby {
        check_lobby(ctx, &l).await?;
    }
    let limit = battery_section_at(&l.battery, position)?.time_limit_seconds;
    let deadline = now + chrono::Duration::seconds(i64::from(limit));
    if repo::open_section(&ctx.db, id, position, now, deadline).await? {
        timeline::note(
            ctx,
            id,
            "section_start",
            serde_json::json!({"section": position, "deadline": deadline}),
            None,
        )
        .await;
    }
    repo::transition(
        &ctx.db,
        id,
        &[status::NOT_STARTED],
        status::IN_PROGRESS,
        now,
    )
    .await?;
    let l = load(ctx, id).await?;
    publish(ctx, &l.attempt, &l.sections).await?;
    section_view(ctx, &l.attempt, &l.sections, &l.battery, position).await
}

/// A section's content and saved answers (for resume).
pub async fn section(
    ctx: &AppContext,
    who: &CandidateClaims,
    position: i32,
) -> Result<SectionView, ApiError> {
    let id = who.attempt();
    close_if_due(ctx, id).await?;
    let (attempt, sections) = load_attempt(ctx, id).await?;
    let s = section_at(&sections, position)?;
    if s.status == section_status::PENDING {
        // The next section may be previewed before its clock starts: title, time limit,
        // instructions and practice items, but none of its items.
        let current = sections
            .iter()
            .find(|s| s.status != section_status::CLOSED)
            .map(|s| s.position);
        if current != Some(position) || attempt.consent_at.is_none() {
            return Err(ApiError::new(
                ErrorCode::SectionNotCurrent,
                "this section has not been started",
            ));
        }
    }
    let battery = ctx
        .battery_cache
        .of_campaign(
            ctx,
            OrganisationId::from(attempt.organisation_id),
            CampaignId::from(attempt.campaign_id),
        )
        .await?;
    section_view(ctx, &attempt, &sections, &battery, position).await
}

/// Closes the open section when the live state says its deadline (plus grace) has passed: one
/// live-store read when nothing is due, instead of the database reads of [`close_if_overdue`].
async fn close_if_due(ctx: &AppContext, id: AttemptId) -> Result<(), ApiError> {
    let state = live(ctx, id).await?;
    let now = ctx.clock.now();
    let due = state
        .section
        .as_ref()
        .is_some_and(|s| past_grace(ctx, s, now));
    if due && !state.paused {
        close_if_overdue(ctx, id, now).await?;
    }
    Ok(())
}

/// An attempt and its sections: what a section's content and images need.
async fn load_attempt(
    ctx: &AppContext,
    id: AttemptId,
) -> Result<(attempt::Model, Vec<attempt_section::Model>), ApiError> {
    let attempt = repo::find(&ctx.db, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "this attempt no longer exists"))?;
    let sections = repo::sections(&ctx.db, id).await?;
    Ok((attempt, sections))
}

fn section_at(
    sections: &[attempt_section::Model],
    position: i32,
) -> Result<&attempt_section::Model, ApiError> {
    sections
        .iter()
        .find(|s| s.position == position)
        .ok_or_else(|| ApiError::not_found("section"))
}

fn battery_section_at(
    battery: &[battery_section::Model],
    position: i32,
) -> Result<&battery_section::Model, ApiError> {
    battery
        .iter()
        .find(|b| b.position == position)
        .ok_or_else(|| ApiError::not_found("section"))
}

fn section_closed() -> ApiError {
    ApiError::new(
        ErrorCode::SectionClosed,
        "this section is closed: it was submitted or its time is up",
    )
}

fn finished() -> ApiError {
    ApiError::new(
        ErrorCode::AttemptFinished,
        "this assessment is finished; thank you",
    )
}

fn terminated() -> ApiError {
    ApiError::new(
        ErrorCode::AttemptTerminated,
        "a proctor has ended this assessment; nothing more can be saved",
    )
}

fn paused() -> ApiError {
    ApiError::new(
        ErrorCode::AttemptPaused,
        "a proctor has paused this assessment; your time is stopped until it resumes",
    )
}

/// Refuses a candidate's step when the attempt is over or paused.
fn check_steering(a: &attempt::Model) -> Result<(), ApiError> {
    if a.status == status::TERMINATED {
        return Err(terminated());
    }
    if status::is_over(&a.status) {
        return Err(finished());
    }
    if a.paused_at.is_some() {
        return Err(paused());
    }
    Ok(())
}

/// In a campaign with a lobby, the first section opens only for an admitted candidate of a
/// started session (the start opens it for everyone admitted before it).
async fn check_lobby(ctx: &AppContext, l: &Loaded) -> Result<(), ApiError> {
    let Some(session) = l.attempt.session_id else {
        return Ok(());
    };
    if l.attempt.admitted_at.is_none() {
        return Err(ApiError::new(
            ErrorCode::NotAdmitted,
            "please wait: the proctor admits each candidate from the lobby",
        ));
    }
    let started = campaigns::find_session(&ctx.db, l.attempt.organisation_id.into(), session)
        .await?
        .is_some_and(|(s, _)| s.started_at.is_some());
    if !started {
        return Err(ApiError::new(
            ErrorCode::SessionNotStarted,
            "you are admitted; the section starts when the proctor starts the session",
        ));
    }
    Ok(())
}

/// The opaque name under which an asset of a section is served to this attempt.
fn asset_handle(seed: AttemptSeed, name: &str) -> String {
    choice_id(seed, "~asset", name)
}

fn asset_url(position: i32, seed: AttemptSeed, name: &str) -> String {
    format!(
        "/api/v1/candidate/sections/{position}/assets/{}",
        asset_handle(seed, name)
    )
}

fn candidate_item(
    item: &ItemDoc,
    seed: AttemptSeed,
    shuffle: bool,
    doc: &InstrumentDoc,
    position: i32,
) -> CandidateItem {
    let mut v = candidate_view(item, seed, shuffle, doc.likert_anchors.as_deref());
    if let Some(name) = v.image.take() {
        v.image = Some(asset_url(position, seed, &name));
    }
    for o in &mut v.options {
        if let Some(name) = o.image.take() {
            o.image = Some(asset_url(position, seed, &name));
        }
    }
    v
}

async fn section_view(
    ctx: &AppContext,
    attempt: &attempt::Model,
    sections: &[attempt_section::Model],
    battery: &[battery_section::Model],
    position: i32,
) -> Result<SectionView, ApiError> {
    let s = section_at(sections, position)?;
    let b = battery_section_at(battery, position)?;
    let org = OrganisationId::from(attempt.organisation_id);
    let doc = ctx
        .instrument_cache
        .get(ctx, org, InstrumentId::from(s.instrument_id))
        .await?;
    let seed = AttemptSeed::from_i64(attempt.seed);
    let plan: Vec<String> = serde_json::from_value(s.plan.clone()).map_err(ApiError::internal)?;
    let by_code: HashMap<&str, &ItemDoc> = doc.items.iter().map(|i| (i.code.as_str(), i)).collect();
    let pending = s.status == section_status::PENDING;
    let items = plan
        .iter()
        .filter(|_| !pending)
        .filter_map(|c| by_code.get(c.as_str()))
        .map(|i| candidate_item(i, seed, b.shuffle_options, &doc, position))
        .collect();
    let practice = doc
        .items
        .iter()
        .filter(|i| i.practice)
        .map(|i| candidate_item(i, seed, b.shuffle_options, &doc, position))
        .collect();
    let mut saved = HashMap::new();
    for r in responses::of_section(&ctx.db, AttemptId::from(attempt.id), position).await? {
        if let Some(item) = by_code.get(r.item_code.as_str()) {
            saved.insert(
                item_handle(seed, &r.item_code),
                SavedResponse {
                    response: to_candidate_ids(item, seed, r.value),
                    seq: r.client_seq,
                    flagged: r.flagged,
                },
            );
        }
    }
    let title: Text = serde_json::from_value(b.title.clone()).map_err(ApiError::internal)?;
    let instructions: Option<Text> = match &b.instructions {
        Some(v) => Some(serde_json::from_value(v.clone()).map_err(ApiError::internal)?),
        None => doc.instructions.clone(),
    };
    Ok(SectionView {
        position,
        title,
        instructions,
        navigation: match b.navigation.as_str() {
            "forward_only" => "forward_only",
            _ => "free",
        }
        .to_owned(),
        time_limit_seconds: b.time_limit_seconds,
        deadline: s.deadline_at,
        remaining_ms: if s.status == section_status::OPEN {
            remaining_ms(
                s.deadline_at,
                attempt.paused_at.unwrap_or_else(|| ctx.clock.now()),
            )
        } else {
            0
        },
        status: s.status.clone(),
        practice,
        items,
        responses: saved,
    })
}

/// A stored response (document ids) in the attempt's opaque ids, for the page to restore.
fn to_candidate_ids(
    item: &ItemDoc,
    seed: AttemptSeed,
    mut value: serde_json::Value,
) -> serde_json::Value {
    for key in ["choice", "most", "least"] {
        if let Some(id) = value.get(key).and_then(|v| v.as_str()).map(str::to_owned) {
            value[key] = serde_json::Value::String(choice_id(seed, &item.code, &id));
        }
    }
    value
}

/// The bytes of an image shown in a section of this attempt.
pub async fn asset(
    ctx: &AppContext,
    who: &CandidateClaims,
    position: i32,
    handle: &str,
) -> Result<super::instruments::AssetBytes, ApiError> {
    let id = who.attempt();
    let (attempt, sections) = load_attempt(ctx, id).await?;
    let s = section_at(&sections, position)?;
    // Before the section starts only its practice items' images may be seen.
    let pending = s.status == section_status::PENDING;
    let org = OrganisationId::from(attempt.organisation_id);
    let instrument = InstrumentId::from(s.instrument_id);
    let doc = ctx.instrument_cache.get(ctx, org, instrument).await?;
    let seed = AttemptSeed::from_i64(attempt.seed);
    let name = doc
        .items
        .iter()
        .filter(|i| !pending || i.practice)
        .flat_map(|i| i.asset_names())
        .find(|n| asset_handle(seed, n) == handle)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::not_found("asset"))?;
    let a = crate::store::instruments::asset(&ctx.db, instrument, &name)
        .await?
        .ok_or_else(|| ApiError::not_found("asset"))?;
    Ok(super::instruments::AssetBytes {
        media_type: a.media_type,
        data: a.data,
    })
}

// ---------------------------------------------------------------------------------------------
// Answers: the hot path.

/// An answer as the page sends it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// Section position.
    pub section: i32,
    /// The item's opaque id.
    pub item: String,
    /// `{"choice": id}`, `{"point": n}`, `{"most": id, "least": id}` or `{"value": n or "15,4"}`,
    /// with the attempt's opaque ids.
    #[schema(value_type = Object)]
    pub response: serde_json::Value,
    /// The page's sequence number for this attempt; only a higher one replaces a saved answer.
    pub seq: i64,
    /// Marked for review.
    #[serde(default)]
    pub flagged: bool,
}

/// An acknowledged answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AnswerSaved {
    /// Always true: the reply is sent only once the answer is committed.
    pub saved: bool,
    /// The sequence number received.
    pub seq: i64,
    /// Milliseconds left in the section.
    pub remaining_ms: i64,
}

/// Saves an answer: checks the live state (one live-store read), maps the opaque ids back,
/// hands the row to the group-commit writer and replies once it is committed. No database read.
pub async fn answer(
    ctx: &AppContext,
    who: &CandidateClaims,
    body: AnswerBody,
) -> Result<AnswerSaved, ApiError> {
    let state = live(ctx, who.attempt()).await?;
    if state.device.as_deref() != Some(who.dev.as_str()) {
        return Err(device_replaced());
    }
    if state.terminated {
        return Err(terminated());
    }
    if state.finished {
        return Err(finished());
    }
    if state.paused {
        return Err(paused());
    }
    let Some(section) = state
        .section
        .as_ref()
        .filter(|s| s.position == body.section)
    else {
        return Err(section_closed());
    };
    let now = ctx.clock.now();
    if past_grace(ctx, section, now) {
        return Err(section_closed());
    }
    if body.seq < 0 {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "seq must be zero or more",
        ));
    }
    let seed = AttemptSeed::from_i64(state.seed);
    let code = resolve_item(&section.plan, seed, &body.item)
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidResponse, "no such item in this section"))?
        .to_owned();
    let doc: Arc<InstrumentDoc> = ctx
        .instrument_cache
        .get(
            ctx,
            OrganisationId::from(state.org),
            InstrumentId::from(section.instrument),
        )
        .await?;
    let item = doc
        .items
        .iter()
        .find(|i| i.code == code)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("planned item {code} not found")))?;
    let mut response = body.response;
    for key in ["choice", "most", "least"] {
        if let Some(opaque) = response
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
        {
            let original = resolve_choice(item, seed, &opaque).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidResponse,
                    "that choice is not in this item",
                )
            })?;
            response[key] = serde_json::Value::String(original);
        }
    }
    let parsed = parse_response(item, likert_points(&doc), &response)
        .map_err(|m| ApiError::new(ErrorCode::InvalidResponse, m))?;
    if section.forward_only {
        check_forward(ctx, who.attempt(), section, &code).await?;
    }
    ctx.answers
        .write(ResponseRow {
            attempt: who.attempt(),
            section: body.section,
            item: code,
            value: serde_json::to_value(&parsed).map_err(ApiError::internal)?,
            seq: body.seq,
            flagged: body.flagged,
            received_at: now,
        })
        .await
        .map_err(ApiError::unavailable)?;
    ctx.room.answered(who.attempt().as_uuid(), state.room);
    Ok(AnswerSaved {
        saved: true,
        seq: body.seq,
        remaining_ms: (section.deadline_ms - ctx.clock.now().timestamp_millis()).max(0),
    })
}

/// In a forward-only section an item, once left, cannot be answered again: an answer is refused
/// when an item later in the plan has been answered. The furthest position is kept in the live
/// store (one more round trip, in forward-only sections only, after the answer has been checked
/// so a refused answer moves nothing); when the live store has lost it, the stored responses
/// say where the candidate got to.
async fn check_forward(
    ctx: &AppContext,
    attempt: AttemptId,
    section: &LiveSection,
    code: &str,
) -> Result<(), ApiError> {
    let index = section
        .plan
        .iter()
        .position(|c| c == code)
        .unwrap_or_default() as u32;
    let key = format!("{attempt}:{}", section.position);
    let furthest = match ctx
        .live
        .advance(&key, index, LIVE_TTL)
        .await
        .map_err(ApiError::unavailable)?
    {
        Some(before) => before,
        None => {
            let answered = responses::of_section(&ctx.db, attempt, section.position).await?;
            let stored = answered
                .iter()
                .filter_map(|r| section.plan.iter().position(|c| *c == r.item_code))
                .max()
                .map_or(0, |i| i as u32);
            ctx.live
                .advance(&key, stored, LIVE_TTL)
                .await
                .map_err(ApiError::unavailable)?
                .unwrap_or(index)
                .max(stored)
        }
    };
    if index < furthest {
        return Err(ApiError::new(
            ErrorCode::ItemLocked,
            "this section goes forward only: an item you have left can no longer be changed",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Submission and finish.

/// Closes a section at the candidate's request.
pub async fn submit_section(
    ctx: &AppContext,
    who: &CandidateClaims,
    position: i32,
) -> Result<AttemptView, ApiError> {
    check_device(ctx, who).await?;
    let id = who.attempt();
    let now = ctx.clock.now();
    close_if_overdue(ctx, id, now).await?;
    let l = load(ctx, id).await?;
    let s = section_at(&l.sections, position)?;
    if l.attempt.paused_at.is_some() || l.attempt.status == status::TERMINATED {
        check_steering(&l.attempt)?;
    }
    if s.status == section_status::PENDING {
        return Err(ApiError::new(
            ErrorCode::SectionNotCurrent,
            "this section has not been started",
        ));
    }
    if repo::close_section(&ctx.db, id, position, "submitted", now).await? {
        timeline::note(
            ctx,
            id,
            "section_end",
            serde_json::json!({"section": position, "reason": "submitted"}),
            None,
        )
        .await;
    }
    let l = load(ctx, id).await?;
    publish(ctx, &l.attempt, &l.sections).await?;
    view(ctx, &l).await
}

/// Finishes the attempt: closes an open section, scores every section.
pub async fn finish(ctx: &AppContext, who: &CandidateClaims) -> Result<AttemptView, ApiError> {
    let state = check_device(ctx, who).await?;
    if state.terminated {
        return Err(terminated());
    }
    if state.paused {
        return Err(paused());
    }
    let id = who.attempt();
    let now = ctx.clock.now();
    close_if_overdue(ctx, id, now).await?;
    finish_and_score(ctx, id, status::FINISHED, now).await?;
    let l = load(ctx, id).await?;
    view(ctx, &l).await
}

//! Signing a candidate in with an access code and a second factor, creating the attempt on the
//! first sign-in, and consent.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::views::{load_and_publish, load_current, view, AttemptView};
use crate::domain::access_code::AccessCode;
use crate::domain::attempt::{AttemptStatus, EventKind, IntegrityEvent};
use crate::domain::delivery::AttemptSeed;
use crate::domain::ids::{AttemptId, CampaignId, OrganisationId};
use crate::error::{ApiError, ErrorCode};
use crate::services::attempt::{creation, ending, events, live, steering};
use crate::services::sign_in_limit;
use crate::services::tokens::CandidateClaims;
use crate::services::AppContext;
use crate::store::attempts as repo;
use crate::store::campaigns;
use crate::store::entities::{attempt, campaign, participant};

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
    sign_in_limit::candidate_client(ctx, client).await?;
    if body.nip.is_none() && body.birth_date.is_none() {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "give your NIP or your birth date with the access code",
        ));
    }
    let code = AccessCode::parse(&body.code).map_err(|_| wrong_code())?;
    let digest = code.digest(&ctx.code_key);
    let attempt = sign_in_limit::candidate_code(ctx, &digest).await?;
    let Some(p) = holder(ctx, &code, &digest).await? else {
        return Err(wrong_code());
    };
    let campaign = CampaignId::from(p.campaign_id);
    attempt.in_campaign(ctx, campaign).await?;
    let nip_ok = body.nip.as_deref().map(|n| {
        let digits: String = n.chars().filter(|c| !c.is_whitespace()).collect();
        digits == p.nip
    });
    let birth_ok = body.birth_date.map(|d| d == p.birth_date);
    if nip_ok == Some(false) || birth_ok == Some(false) {
        attempt.wrong_factor(ctx, campaign).await?;
        return Err(wrong_code());
    }
    attempt.succeeded(ctx).await?;
    let org = OrganisationId::from(p.organisation_id);
    let rec = campaigns::find(&ctx.db, org, campaign)
        .await?
        .ok_or_else(wrong_code)?;
    let now = ctx.clock.now();
    let existing = repo::of_participant(&ctx.db, p.id.into()).await?;
    let finished = existing.as_ref().is_some_and(|a| a.status.is_over());
    if now < rec.campaign.opens_at {
        return Err(ApiError::new(
            ErrorCode::CampaignNotOpen,
            format!(
                "this assessment opens at {}",
                in_zone(&rec.campaign, rec.campaign.opens_at)
            ),
        )
        .with_details(window_details(&rec.campaign)));
    }
    if now >= rec.campaign.closes_at && !finished {
        return Err(ApiError::new(
            ErrorCode::CampaignClosed,
            format!(
                "this assessment closed at {}",
                in_zone(&rec.campaign, rec.campaign.closes_at)
            ),
        )
        .with_details(window_details(&rec.campaign)));
    }
    let attempt = match existing {
        Some(a) => a,
        None => create_attempt(ctx, &rec.campaign, &p).await?,
    };
    let id = AttemptId::from(attempt.id);
    if rec.campaign.resume_requires_unlock
        && attempt.status == AttemptStatus::InProgress
        && attempt.device_id.is_some()
    {
        return Err(ApiError::new(
            ErrorCode::ResumeLocked,
            "this assessment is already open on another device; ask your proctor to unlock it",
        ));
    }
    let device = uuid::Uuid::new_v4().simple().to_string();
    repo::set_device(&ctx.db, id, &device).await?;
    events::note(
        ctx,
        id,
        EventKind::SignIn,
        serde_json::json!({"device": device, "took_over": attempt.device_id.is_some()}),
        None,
    )
    .await;
    if attempt.device_id.is_some() && !attempt.status.is_over() {
        events::note(
            ctx,
            id,
            EventKind::Integrity(IntegrityEvent::DeviceTakeover),
            serde_json::json!({"detail": "signed in on another device or tab"}),
            None,
        )
        .await;
        // A take-over counts towards the campaign's automatic pause; the sign-in itself stands.
        if let Err(e) = steering::pause_if_over_limit(ctx, id).await {
            tracing::warn!(error = %e.message, attempt = %id, "the automatic pause check failed");
        }
    }
    let (token, claims) = ctx
        .tokens
        .issue_candidate(id, org, &device)
        .map_err(ApiError::internal)?;
    ending::close_if_overdue(ctx, id, now).await?;
    let loaded = load_and_publish(ctx, id).await?;
    tracing::info!(attempt = %id, "candidate signed in");
    Ok(CandidateSession {
        token,
        expires_at: claims.expires_at(),
        attempt: view(ctx, &loaded).await?,
    })
}

/// The participant holding `code` (whose digest under the server's key is `digest`). A code
/// issued before codes were keyed is stored under its unkeyed hash: it is found by that, and its
/// row re-keyed, so it keeps working and the unkeyed hash goes on its first use.
async fn holder(
    ctx: &AppContext,
    code: &AccessCode,
    digest: &str,
) -> Result<Option<participant::Model>, ApiError> {
    if let Some(p) = campaigns::find_by_access_code(&ctx.db, digest).await? {
        return Ok(Some(p));
    }
    let legacy = code.legacy_hash();
    let Some(p) = campaigns::find_by_access_code(&ctx.db, &legacy).await? else {
        return Ok(None);
    };
    // A concurrent sign-in may have re-keyed it first: then this changes nothing.
    campaigns::rekey_access_code(&ctx.db, p.id.into(), &legacy, digest).await?;
    Ok(Some(p))
}

async fn create_attempt(
    ctx: &AppContext,
    c: &campaign::Model,
    p: &participant::Model,
) -> Result<attempt::Model, ApiError> {
    let (model, sections) =
        creation::new_attempt(ctx, c, p, AttemptSeed::generate(), ctx.clock.now()).await?;
    let txn = crate::store::begin_write(&ctx.db).await?;
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

/// The attempt of a signed-in candidate.
pub async fn attempt(ctx: &AppContext, who: &CandidateClaims) -> Result<AttemptView, ApiError> {
    live::of_device(ctx, who).await?;
    let loaded = load_current(ctx, who.attempt(), ctx.clock.now()).await?;
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
    live::of_device(ctx, who).await?;
    repo::set_consent(&ctx.db, who.attempt(), ctx.clock.now()).await?;
    events::note(
        ctx,
        who.attempt(),
        EventKind::Consent,
        serde_json::json!({}),
        None,
    )
    .await;
    attempt(ctx, who).await
}

/// A time of a campaign as its candidates read it: in the campaign's zone, named by its code.
/// The window of a campaign and its zone, for a refusal the candidate's page words itself.
fn window_details(c: &crate::store::entities::campaign::Model) -> serde_json::Value {
    serde_json::json!({
        "opens_at": c.opens_at,
        "closes_at": c.closes_at,
        "time_zone": c.time_zone.code(),
        "time_zone_iana": c.time_zone.iana(),
    })
}

fn in_zone(
    c: &crate::store::entities::campaign::Model,
    t: chrono::DateTime<chrono::Utc>,
) -> String {
    let local = t.with_timezone(&c.time_zone.utc_offset());
    format!("{} {}", local.format("%Y-%m-%d %H:%M"), c.time_zone.code())
}

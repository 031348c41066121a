//! Campaigns: a battery delivered to enrolled participants in scheduled sessions.
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::auth::Staff;
use super::{audited, AppContext};
use crate::domain::account::Role;
use crate::domain::campaign::{CampaignDoc, NormRule};
use crate::domain::ids::{AccountId, BatteryId, CampaignId};
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::campaigns::{self as repo, CampaignRecord};
use crate::store::{accounts, batteries};

/// A session as shown to staff.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// Session id.
    pub id: uuid::Uuid,
    /// Name, unique in the campaign.
    pub name: String,
    /// Room.
    pub room: Option<String>,
    /// When candidates may start.
    pub starts_at: DateTime<Utc>,
    /// Most participants.
    pub capacity: i32,
    /// Proctor account.
    pub proctor: Option<uuid::Uuid>,
    /// When a proctor started it (lobby campaigns).
    pub started_at: Option<DateTime<Utc>>,
}

/// A campaign as shown to staff.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignView {
    /// Campaign id.
    pub id: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Battery delivered.
    pub battery: uuid::Uuid,
    /// Window start.
    pub opens_at: DateTime<Utc>,
    /// Window end.
    pub closes_at: DateTime<Utc>,
    /// Whether candidates see their scores at the end.
    pub show_score_to_candidate: bool,
    /// Whether a device switch needs a proctor's unlock.
    pub resume_requires_unlock: bool,
    /// Which norm group applies to whom.
    #[schema(value_type = Object)]
    pub norm_rule: NormRule,
    /// Candidates wait in a lobby until a proctor admits them and starts their session.
    pub lobby: bool,
    /// Integrity events after which an attempt pauses itself (none: never).
    pub auto_pause_after: Option<i32>,
    /// Sessions in order.
    pub sessions: Vec<SessionView>,
    /// Participants enrolled.
    pub participant_count: u64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

pub(crate) fn norm_rule_of(rec: &CampaignRecord) -> Result<NormRule, ApiError> {
    serde_json::from_value(rec.campaign.norm_rule.clone()).map_err(ApiError::internal)
}

async fn view(ctx: &AppContext, rec: CampaignRecord) -> Result<CampaignView, ApiError> {
    let participant_count = repo::participant_count(&ctx.db, rec.campaign.id.into()).await?;
    let norm_rule = norm_rule_of(&rec)?;
    let c = rec.campaign;
    Ok(CampaignView {
        id: c.id,
        name: c.name,
        battery: c.battery_id,
        opens_at: c.opens_at,
        closes_at: c.closes_at,
        show_score_to_candidate: c.show_score_to_candidate,
        resume_requires_unlock: c.resume_requires_unlock,
        norm_rule,
        lobby: c.lobby,
        auto_pause_after: c.auto_pause_after,
        sessions: rec
            .sessions
            .into_iter()
            .map(|s| SessionView {
                id: s.id,
                name: s.name,
                room: s.room,
                starts_at: s.starts_at,
                capacity: s.capacity,
                proctor: s.proctor_account_id,
                started_at: s.started_at,
            })
            .collect(),
        participant_count,
        created_at: c.created_at,
    })
}

/// Campaigns of the caller's organisation.
pub async fn list(ctx: &AppContext, staff: &Staff) -> Result<Vec<CampaignView>, ApiError> {
    let mut out = Vec::new();
    for rec in repo::list(&ctx.db, staff.organisation).await? {
        out.push(view(ctx, rec).await?);
    }
    Ok(out)
}

/// A campaign of the caller's organisation, or `not_found`.
pub(crate) async fn find(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
) -> Result<CampaignRecord, ApiError> {
    repo::find(&ctx.db, staff.organisation, id)
        .await?
        .ok_or_else(|| ApiError::not_found("campaign"))
}

/// One campaign of the caller's organisation.
pub async fn get(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
) -> Result<CampaignView, ApiError> {
    let rec = find(ctx, staff, id).await?;
    view(ctx, rec).await
}

/// Creates a campaign from a battery of the caller's organisation; each session's proctor must be
/// an enabled proctor account of the same organisation.
pub async fn create(
    ctx: &AppContext,
    staff: &Staff,
    doc: CampaignDoc,
) -> Result<CampaignView, ApiError> {
    let org = staff.organisation;
    let mut errors = doc.validate();
    if batteries::find(&ctx.db, org, BatteryId::from(doc.battery))
        .await?
        .is_none()
    {
        errors.push(FieldError::top(
            "battery",
            "no battery with this id in your organisation",
        ));
    }
    for (i, s) in doc.sessions.iter().enumerate() {
        let Some(proctor) = s.proctor else { continue };
        let ok = accounts::find(&ctx.db, org, AccountId::from(proctor))
            .await?
            .is_some_and(|a| !a.disabled && a.role == Role::Proctor.as_str());
        if !ok {
            errors.push(FieldError::top(
                format!("sessions[{i}].proctor"),
                "no enabled proctor account with this id in your organisation",
            ));
        }
    }
    ApiError::unless_no_errors(
        ErrorCode::InvalidCampaign,
        "the campaign has errors; nothing was created",
        errors,
    )?;
    let txn = crate::store::begin_write(&ctx.db).await?;
    let model = repo::insert(&txn, org, &doc, ctx.clock.now()).await?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: org,
            actor: Some(staff.account),
            action: "campaign.create",
            target_type: "campaign",
            target_id: model.id.to_string(),
            before: None,
            after: Some(serde_json::to_value(&doc).map_err(ApiError::internal)?),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    get(ctx, staff, model.id.into()).await
}

//! Campaigns: a battery delivered to enrolled participants in scheduled sessions.
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::auth::Staff;
use super::{audited, monitor, AppContext};
use crate::domain::account::Role;
use crate::domain::campaign::{CampaignDoc, NormRule, SessionDoc};
use crate::domain::campaign_edit::{
    CampaignPatch, CampaignUse, Edit, Refusal, StoredCampaign, StoredSession,
};
use crate::domain::ids::{AccountId, BatteryId, CampaignId, OrganisationId};
use crate::domain::time_zone::IndonesianTimeZone;
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::campaigns::{self as repo, CampaignRecord, SessionChanges, Updated};
use crate::store::{accounts, attempts, batteries};

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
    /// The zone in which the candidate's page shows the campaign's times: WIB, WITA or WIT.
    #[schema(value_type = String, example = "WIB")]
    pub time_zone: IndonesianTimeZone,
    /// Where participants ask about their personal data (shown on the consent screen).
    pub data_contact: Option<String>,
    /// Months the answers and results are kept (shown on the consent screen).
    pub retention_months: Option<i32>,
    /// Sessions in order.
    pub sessions: Vec<SessionView>,
    /// Participants enrolled.
    pub participant_count: u64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl CampaignView {
    /// The day a participant was assessed, in the campaign's time zone: their session's day, or
    /// the closing day for a participant without a session.
    pub fn assessment_date(&self, session: Option<uuid::Uuid>) -> chrono::NaiveDate {
        let zone = self.time_zone.utc_offset();
        session
            .and_then(|id| self.sessions.iter().find(|s| s.id == id))
            .map_or(self.closes_at, |s| s.starts_at)
            .with_timezone(&zone)
            .date_naive()
    }
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
        time_zone: c.time_zone,
        data_contact: c.data_contact,
        retention_months: c.retention_months,
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
    let proctors = doc
        .sessions
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s.proctor?)));
    errors.extend(proctor_errors(ctx, org, proctors).await?);
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

/// A problem for each session whose proctor is not an enabled proctor account of `org`.
async fn proctor_errors(
    ctx: &AppContext,
    org: OrganisationId,
    proctors: impl Iterator<Item = (usize, uuid::Uuid)>,
) -> Result<Vec<FieldError>, ApiError> {
    let mut errors = Vec::new();
    for (i, proctor) in proctors {
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
    Ok(errors)
}

/// A stored campaign as its document, with what has happened in it so far.
async fn stored(ctx: &AppContext, rec: &CampaignRecord) -> Result<StoredCampaign, ApiError> {
    let c = &rec.campaign;
    let id = CampaignId::from(c.id);
    let enrolled: std::collections::HashMap<uuid::Uuid, i64> = repo::session_counts(&ctx.db, id)
        .await?
        .into_iter()
        .collect();
    let (signed_in, begun, unfinished) = attempts::usage_of_campaign(&ctx.db, id).await?;
    let sessions: Vec<StoredSession> = rec
        .sessions
        .iter()
        .map(|s| StoredSession {
            id: s.id,
            doc: SessionDoc {
                name: s.name.clone(),
                room: s.room.clone(),
                starts_at: s.starts_at,
                capacity: u32::try_from(s.capacity).unwrap_or(0),
                proctor: s.proctor_account_id,
            },
            enrolled: enrolled
                .get(&s.id)
                .map_or(0, |&n| u64::try_from(n).unwrap_or(0)),
            started: s.started_at.is_some(),
        })
        .collect();
    Ok(StoredCampaign {
        doc: CampaignDoc {
            name: c.name.clone(),
            battery: c.battery_id,
            opens_at: c.opens_at,
            closes_at: c.closes_at,
            show_score_to_candidate: c.show_score_to_candidate,
            resume_requires_unlock: c.resume_requires_unlock,
            norm_rule: norm_rule_of(rec)?,
            sessions: sessions.iter().map(|s| s.doc.clone()).collect(),
            lobby: c.lobby,
            auto_pause_after: c.auto_pause_after.and_then(|n| u32::try_from(n).ok()),
            time_zone: c.time_zone,
            data_contact: c.data_contact.clone(),
            retention_months: c.retention_months.map(i64::from),
        },
        sessions,
        used: CampaignUse {
            signed_in,
            begun,
            unfinished,
        },
    })
}

/// A campaign's settings for the audit log: the document with each session's id.
fn audit_snapshot(
    doc: &CampaignDoc,
    ids: &[Option<uuid::Uuid>],
) -> Result<serde_json::Value, ApiError> {
    let mut v = serde_json::to_value(doc).map_err(ApiError::internal)?;
    if let Some(list) = v.get_mut("sessions").and_then(|s| s.as_array_mut()) {
        for (s, id) in list.iter_mut().zip(ids) {
            if let (Some(obj), Some(id)) = (s.as_object_mut(), id) {
                obj.insert("id".into(), serde_json::json!(id));
            }
        }
    }
    Ok(v)
}

/// Changes a campaign of the caller's organisation after its creation (window, sessions,
/// proctors, settings that leave answers as they are; see `domain::campaign_edit` for what may
/// change when). Audited with the settings before and after. Every node sees the change at
/// once: campaign facts are read from the database on each use (only the battery, which never
/// changes, is cached); proctors watching a changed session get a fresh room, and a candidate's
/// page follows a lobby switched on or off.
pub async fn update(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
    patch: CampaignPatch,
) -> Result<CampaignView, ApiError> {
    let org = staff.organisation;
    let rec = find(ctx, staff, id).await?;
    let before = stored(ctx, &rec).await?;
    let edit = match patch.apply(&before, ctx.clock.now()) {
        Ok(edit) => edit,
        Err(Refusal::Invalid(errors)) => {
            return Err(ApiError::with_errors(
                ErrorCode::InvalidCampaign,
                "the campaign has errors; nothing was changed",
                errors,
            ))
        }
        Err(Refusal::Locked(errors)) => return Err(locked(errors)),
    };
    let errors = proctor_errors(ctx, org, edit.new_proctors.iter().copied()).await?;
    ApiError::unless_no_errors(
        ErrorCode::InvalidCampaign,
        "the campaign has errors; nothing was changed",
        errors,
    )?;
    if edit.changes_nothing(&before) {
        return view(ctx, rec).await;
    }
    store_edit(ctx, staff, &rec, &before, &edit, patch.reason).await?;
    let lobby_switched = edit.doc.lobby != before.doc.lobby;
    let rec = find(ctx, staff, id).await?;
    // A proctor no longer assigned to a session stops watching it (the fresh room is refused),
    // the others see its new name, time or room.
    for s in before
        .sessions
        .iter()
        .map(|s| s.id)
        .chain(rec.sessions.iter().map(|s| s.id))
    {
        monitor::publish(ctx, &monitor::session_topic(s), monitor::RESYNC).await;
    }
    if lobby_switched {
        let running = attempts::running_of_campaign(&ctx.db, id).await?;
        monitor::tell_candidates(ctx, &running).await;
    }
    view(ctx, rec).await
}

fn locked(errors: Vec<FieldError>) -> ApiError {
    ApiError::with_errors(
        ErrorCode::CampaignLocked,
        "part of this change would alter what candidates were already given; nothing was changed",
        errors,
    )
}

async fn store_edit(
    ctx: &AppContext,
    staff: &Staff,
    rec: &CampaignRecord,
    before: &StoredCampaign,
    edit: &Edit,
    reason: Option<String>,
) -> Result<(), ApiError> {
    let before_ids: Vec<Option<uuid::Uuid>> = before.sessions.iter().map(|s| Some(s.id)).collect();
    let txn = crate::store::begin_write(&ctx.db).await?;
    let sessions = edit.sessions_given.then_some(SessionChanges {
        ids: &edit.session_ids,
        removed: &edit.removed,
    });
    if let Updated::SessionInUse(gone) =
        repo::update(&txn, &rec.campaign, &edit.doc, sessions).await?
    {
        drop(txn);
        let name = before
            .sessions
            .iter()
            .find(|s| s.id == gone)
            .map_or_else(String::new, |s| s.doc.name.clone());
        return Err(locked(vec![FieldError::top(
            "sessions",
            format!("the session '{name}' has participants now and cannot be removed"),
        )]));
    }
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "campaign.update",
            target_type: "campaign",
            target_id: rec.campaign.id.to_string(),
            before: Some(audit_snapshot(&before.doc, &before_ids)?),
            after: Some(audit_snapshot(&edit.doc, &edit.session_ids)?),
            reason: reason.filter(|r| !r.trim().is_empty()),
            at: ctx.clock.now(),
        },
    )
    .await
}

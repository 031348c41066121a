//! Campaigns, their sessions and their participants.
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::entities::{campaign, campaign_session, participant};
use super::query::{attach, changed_one, in_org, insert_chunked};
use super::to_json as json;
use crate::domain::campaign::CampaignDoc;
use crate::domain::ids::{CampaignId, OrganisationId, ParticipantId, SessionId};

/// A campaign with its sessions in order.
pub struct CampaignRecord {
    /// The campaign row.
    pub campaign: campaign::Model,
    /// Its sessions by position.
    pub sessions: Vec<campaign_session::Model>,
}

/// Stores a validated campaign and its sessions. Call inside a transaction.
pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    doc: &CampaignDoc,
    now: DateTime<Utc>,
) -> Result<campaign::Model, DbErr> {
    let id = CampaignId::new().as_uuid();
    let model = campaign::ActiveModel {
        id: Set(id),
        organisation_id: Set(org.as_uuid()),
        battery_id: Set(doc.battery),
        name: Set(doc.name.trim().to_owned()),
        opens_at: Set(doc.opens_at),
        closes_at: Set(doc.closes_at),
        show_score_to_candidate: Set(doc.show_score_to_candidate),
        resume_requires_unlock: Set(doc.resume_requires_unlock),
        norm_rule: Set(json(&doc.norm_rule)?),
        created_at: Set(now),
        lobby: Set(doc.lobby),
        auto_pause_after: Set(doc.auto_pause_after.map(|n| n as i32)),
        time_zone: Set(doc.time_zone),
        data_contact: Set(doc.trimmed_data_contact()),
        retention_months: Set(retention(doc)),
        reports_to_participants: Set(false),
    }
    .insert(db)
    .await?;
    for (i, s) in doc.sessions.iter().enumerate() {
        campaign_session::ActiveModel {
            id: Set(SessionId::new().as_uuid()),
            campaign_id: Set(id),
            position: Set(i as i32),
            name: Set(s.name.trim().to_owned()),
            room: Set(s.room.clone()),
            starts_at: Set(s.starts_at),
            capacity: Set(s.capacity as i32),
            proctor_account_id: Set(s.proctor),
            started_at: Set(None),
        }
        .insert(db)
        .await?;
    }
    Ok(model)
}

/// A validated document's retention (1 to 120 months) as its column holds it.
fn retention(doc: &CampaignDoc) -> Option<i32> {
    doc.retention_months.and_then(|n| i32::try_from(n).ok())
}

/// The sessions of an edited campaign: for each of the document's sessions in order, the stored
/// session it is (none: a new one), and the stored sessions to remove.
pub struct SessionChanges<'a> {
    /// Aligned with the document's sessions.
    pub ids: &'a [Option<Uuid>],
    /// Stored sessions no longer listed.
    pub removed: &'a [Uuid],
}

/// Whether an edit was stored.
#[derive(Debug, PartialEq, Eq)]
pub enum Updated {
    /// Stored.
    Done,
    /// This session gained a participant or an attempt meanwhile and was not removed; nothing
    /// should be kept (roll the transaction back).
    SessionInUse(Uuid),
}

/// Past every position a campaign's sessions can have, so a reordering never meets a position
/// still taken (positions are unique per campaign).
const REORDER_OFFSET: i32 = 1_000_000;

/// Stores a validated edit of a campaign: its fields, and when `sessions` is given, its sessions
/// changed, added, removed and put in the document's order. A session is removed only while
/// nobody is enrolled or signed in to it (checked again here, inside the transaction). Call
/// inside a transaction.
pub async fn update(
    db: &impl ConnectionTrait,
    current: &campaign::Model,
    doc: &CampaignDoc,
    sessions: Option<SessionChanges<'_>>,
) -> Result<Updated, DbErr> {
    use sea_orm::sea_query::Query;
    use sea_orm::SqlErr;

    use super::entities::attempt;
    let mut am: campaign::ActiveModel = current.clone().into();
    am.name = Set(doc.name.trim().to_owned());
    am.opens_at = Set(doc.opens_at);
    am.closes_at = Set(doc.closes_at);
    am.show_score_to_candidate = Set(doc.show_score_to_candidate);
    am.resume_requires_unlock = Set(doc.resume_requires_unlock);
    am.norm_rule = Set(json(&doc.norm_rule)?);
    am.lobby = Set(doc.lobby);
    am.auto_pause_after = Set(doc.auto_pause_after.map(|n| n as i32));
    am.time_zone = Set(doc.time_zone);
    am.data_contact = Set(doc.trimmed_data_contact());
    am.retention_months = Set(retention(doc));
    am.update(db).await?;
    let Some(changes) = sessions else {
        return Ok(Updated::Done);
    };
    for &gone in changes.removed {
        let enrolled = Query::select()
            .column(participant::Column::SessionId)
            .from(participant::Entity)
            .and_where(Expr::col(participant::Column::SessionId).eq(gone))
            .to_owned();
        let seated = Query::select()
            .column(attempt::Column::SessionId)
            .from(attempt::Entity)
            .and_where(Expr::col(attempt::Column::SessionId).eq(gone))
            .to_owned();
        let deleted = campaign_session::Entity::delete_many()
            .filter(campaign_session::Column::Id.eq(gone))
            .filter(campaign_session::Column::CampaignId.eq(current.id))
            .filter(campaign_session::Column::Id.not_in_subquery(enrolled))
            .filter(campaign_session::Column::Id.not_in_subquery(seated))
            .exec(db)
            .await;
        match deleted {
            Ok(r) if r.rows_affected == 1 => {}
            Ok(_) => return Ok(Updated::SessionInUse(gone)),
            // A participant enrolled into it by a transaction that committed meanwhile.
            Err(e) if matches!(e.sql_err(), Some(SqlErr::ForeignKeyConstraintViolation(_))) => {
                return Ok(Updated::SessionInUse(gone))
            }
            Err(e) => return Err(e),
        }
    }
    campaign_session::Entity::update_many()
        .col_expr(
            campaign_session::Column::Position,
            Expr::col(campaign_session::Column::Position).add(REORDER_OFFSET),
        )
        .filter(campaign_session::Column::CampaignId.eq(current.id))
        .exec(db)
        .await?;
    for (i, (s, id)) in doc.sessions.iter().zip(changes.ids).enumerate() {
        match id {
            Some(id) => {
                campaign_session::Entity::update_many()
                    .col_expr(campaign_session::Column::Position, Expr::value(i as i32))
                    .col_expr(
                        campaign_session::Column::Name,
                        Expr::value(s.name.trim().to_owned()),
                    )
                    .col_expr(campaign_session::Column::Room, Expr::value(s.room.clone()))
                    .col_expr(campaign_session::Column::StartsAt, Expr::value(s.starts_at))
                    .col_expr(
                        campaign_session::Column::Capacity,
                        Expr::value(s.capacity as i32),
                    )
                    .col_expr(
                        campaign_session::Column::ProctorAccountId,
                        Expr::value(s.proctor),
                    )
                    .filter(campaign_session::Column::Id.eq(*id))
                    .filter(campaign_session::Column::CampaignId.eq(current.id))
                    .exec(db)
                    .await?;
            }
            None => {
                campaign_session::ActiveModel {
                    id: Set(SessionId::new().as_uuid()),
                    campaign_id: Set(current.id),
                    position: Set(i as i32),
                    name: Set(s.name.trim().to_owned()),
                    room: Set(s.room.clone()),
                    starts_at: Set(s.starts_at),
                    capacity: Set(s.capacity as i32),
                    proctor_account_id: Set(s.proctor),
                    started_at: Set(None),
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(Updated::Done)
}

/// The campaigns, each with its sessions in order.
async fn with_sessions(
    db: &impl ConnectionTrait,
    campaigns: Vec<campaign::Model>,
) -> Result<Vec<CampaignRecord>, DbErr> {
    if campaigns.is_empty() {
        return Ok(Vec::new());
    }
    let sessions = campaign_session::Entity::find()
        .filter(campaign_session::Column::CampaignId.is_in(campaigns.iter().map(|c| c.id)))
        .order_by_asc(campaign_session::Column::Position)
        .all(db)
        .await?;
    Ok(attach(
        campaigns,
        &sessions,
        |c, s| s.campaign_id == c.id,
        |campaign, sessions| CampaignRecord { campaign, sessions },
    ))
}

/// Campaigns of an organisation, newest window first.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganisationId,
) -> Result<Vec<CampaignRecord>, DbErr> {
    let campaigns = campaign::Entity::find()
        .filter(campaign::Column::OrganisationId.eq(org.as_uuid()))
        .order_by_desc(campaign::Column::OpensAt)
        .order_by_asc(campaign::Column::Name)
        .all(db)
        .await?;
    with_sessions(db, campaigns).await
}

/// One campaign of an organisation with its sessions.
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    id: CampaignId,
) -> Result<Option<CampaignRecord>, DbErr> {
    let found = in_org::<campaign::Entity>(campaign::Column::OrganisationId, org, id.as_uuid())
        .one(db)
        .await?;
    Ok(with_sessions(db, found.into_iter().collect()).await?.pop())
}

/// A participant to enrol, already validated.
pub struct NewParticipant {
    /// NIP, 18 digits.
    pub nip: String,
    /// Full name.
    pub name: String,
    /// E-mail, when known.
    pub email: Option<String>,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Canonical education code.
    pub education: String,
    /// Job level.
    pub job_level: String,
    /// Position title.
    pub position: Option<String>,
    /// Work unit.
    pub unit: Option<String>,
    /// Free group.
    pub group: Option<String>,
    /// The session, resolved from its name.
    pub session: Option<SessionId>,
}

/// Inserts participants of one campaign in multi-row statements. Call inside a transaction; a NIP
/// already enrolled fails with a unique violation.
pub async fn insert_participants(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
    rows: Vec<NewParticipant>,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let total = rows.len();
    let rows = rows.into_iter().map(|p| participant::ActiveModel {
        id: Set(ParticipantId::new().as_uuid()),
        organisation_id: Set(org.as_uuid()),
        campaign_id: Set(campaign.as_uuid()),
        session_id: Set(p.session.map(|s| s.as_uuid())),
        nip: Set(p.nip),
        name: Set(p.name),
        email: Set(p.email),
        birth_date: Set(p.birth_date),
        education: Set(p.education),
        job_level: Set(p.job_level),
        position: Set(p.position),
        unit: Set(p.unit),
        group_code: Set(p.group),
        access_code_hash: Set(None),
        code_issued_at: Set(None),
        created_at: Set(now),
    });
    insert_chunked(db, rows).await?;
    Ok(total)
}

/// The campaigns of an organisation a NIP is enrolled in.
pub async fn campaigns_of_nip(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    nip: &str,
) -> Result<Vec<uuid::Uuid>, DbErr> {
    participant::Entity::find()
        .select_only()
        .column(participant::Column::CampaignId)
        .filter(participant::Column::OrganisationId.eq(org.as_uuid()))
        .filter(participant::Column::Nip.eq(nip))
        .into_tuple()
        .all(db)
        .await
}

/// NIPs already enrolled in a campaign.
pub async fn enrolled_nips(
    db: &impl ConnectionTrait,
    campaign: CampaignId,
) -> Result<Vec<String>, DbErr> {
    participant::Entity::find()
        .select_only()
        .column(participant::Column::Nip)
        .filter(participant::Column::CampaignId.eq(campaign.as_uuid()))
        .into_tuple()
        .all(db)
        .await
}

/// Participants of a campaign, by name then NIP.
pub async fn participants(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<Vec<participant::Model>, DbErr> {
    participant::Entity::find()
        .filter(participant::Column::OrganisationId.eq(org.as_uuid()))
        .filter(participant::Column::CampaignId.eq(campaign.as_uuid()))
        .order_by_asc(participant::Column::Name)
        .order_by_asc(participant::Column::Nip)
        .all(db)
        .await
}

/// Number of participants of a campaign.
pub async fn participant_count(
    db: &impl ConnectionTrait,
    campaign: CampaignId,
) -> Result<u64, DbErr> {
    participant::Entity::find()
        .filter(participant::Column::CampaignId.eq(campaign.as_uuid()))
        .count(db)
        .await
}

/// One participant of an organisation's campaign.
pub async fn find_participant(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
    id: ParticipantId,
) -> Result<Option<participant::Model>, DbErr> {
    in_org::<participant::Entity>(participant::Column::OrganisationId, org, id.as_uuid())
        .filter(participant::Column::CampaignId.eq(campaign.as_uuid()))
        .one(db)
        .await
}

/// Replaces a participant's access-code hash: the previous code stops working at once.
pub async fn set_access_code(
    db: &impl ConnectionTrait,
    participant: ParticipantId,
    hash: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    participant::Entity::update_many()
        .col_expr(
            participant::Column::AccessCodeHash,
            Expr::value(hash.to_owned()),
        )
        .col_expr(participant::Column::CodeIssuedAt, Expr::value(at))
        .filter(participant::Column::Id.eq(participant.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}

/// Replaces the stored digest of a participant's access code with another digest of the same
/// code, unless the code was replaced meanwhile; whether it was replaced here.
pub async fn rekey_access_code(
    db: &impl ConnectionTrait,
    participant: ParticipantId,
    old: &str,
    new: &str,
) -> Result<bool, DbErr> {
    let done = participant::Entity::update_many()
        .col_expr(
            participant::Column::AccessCodeHash,
            Expr::value(new.to_owned()),
        )
        .filter(participant::Column::Id.eq(participant.as_uuid()))
        .filter(participant::Column::AccessCodeHash.eq(old))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The participant holding an access code, in any organisation.
pub async fn find_by_access_code(
    db: &impl ConnectionTrait,
    hash: &str,
) -> Result<Option<participant::Model>, DbErr> {
    participant::Entity::find()
        .filter(participant::Column::AccessCodeHash.eq(hash))
        .one(db)
        .await
}

/// Participants per session of a campaign: (session id, count).
pub async fn session_counts(
    db: &impl ConnectionTrait,
    campaign: CampaignId,
) -> Result<Vec<(Uuid, i64)>, DbErr> {
    participant::Entity::find()
        .select_only()
        .column(participant::Column::SessionId)
        .column_as(participant::Column::Id.count(), "n")
        .filter(participant::Column::CampaignId.eq(campaign.as_uuid()))
        .filter(participant::Column::SessionId.is_not_null())
        .group_by(participant::Column::SessionId)
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await
}

/// A session of an organisation's campaign, with its campaign.
pub async fn find_session(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    session: Uuid,
) -> Result<Option<(campaign_session::Model, campaign::Model)>, DbErr> {
    let Some(s) = campaign_session::Entity::find_by_id(session)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let c = in_org::<campaign::Entity>(campaign::Column::OrganisationId, org, s.campaign_id)
        .one(db)
        .await?;
    Ok(c.map(|c| (s, c)))
}

/// The sessions of an organisation's campaigns (only those assigned to `proctor` when given),
/// each with its campaign, by start time.
pub async fn sessions_for(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    proctor: Option<Uuid>,
) -> Result<Vec<(campaign_session::Model, campaign::Model)>, DbErr> {
    let campaigns = campaign::Entity::find()
        .filter(campaign::Column::OrganisationId.eq(org.as_uuid()))
        .all(db)
        .await?;
    let ids: Vec<Uuid> = campaigns.iter().map(|c| c.id).collect();
    let mut q = campaign_session::Entity::find()
        .filter(campaign_session::Column::CampaignId.is_in(ids))
        .order_by_asc(campaign_session::Column::StartsAt)
        .order_by_asc(campaign_session::Column::Position);
    if let Some(p) = proctor {
        q = q.filter(campaign_session::Column::ProctorAccountId.eq(p));
    }
    let sessions = q.all(db).await?;
    Ok(sessions
        .into_iter()
        .filter_map(|s| {
            let c = campaigns.iter().find(|c| c.id == s.campaign_id)?.clone();
            Some((s, c))
        })
        .collect())
}

/// The participants of a session, by name then NIP.
pub async fn session_participants(
    db: &impl ConnectionTrait,
    session: Uuid,
) -> Result<Vec<participant::Model>, DbErr> {
    participant::Entity::find()
        .filter(participant::Column::SessionId.eq(session))
        .order_by_asc(participant::Column::Name)
        .order_by_asc(participant::Column::Nip)
        .all(db)
        .await
}

/// Some participants by id.
pub async fn participants_by_id(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<participant::Model>, DbErr> {
    participant::Entity::find()
        .filter(participant::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// Marks a session started by its proctor; whether this call started it.
pub async fn start_session(
    db: &impl ConnectionTrait,
    session: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let q = campaign_session::Entity::update_many()
        .col_expr(campaign_session::Column::StartedAt, Expr::value(at))
        .filter(campaign_session::Column::Id.eq(session))
        .filter(campaign_session::Column::StartedAt.is_null());
    changed_one(db, q).await
}

/// Sets whether a campaign's participants may download their own released report; whether the
/// campaign was found.
pub async fn set_participant_download(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
    allowed: bool,
) -> Result<bool, DbErr> {
    let res = campaign::Entity::update_many()
        .col_expr(
            campaign::Column::ReportsToParticipants,
            Expr::value(allowed),
        )
        .filter(campaign::Column::Id.eq(campaign.as_uuid()))
        .filter(campaign::Column::OrganisationId.eq(org.as_uuid()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

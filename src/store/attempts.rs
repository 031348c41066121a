//! Attempts, their sections (plan and clock) and their scores. State changes are conditional
//! updates (`… WHERE status = 'open'`), so when several nodes race to close or score the same
//! thing exactly one of them wins.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, Set, UpdateMany,
};
use uuid::Uuid;

use super::entities::{attempt, attempt_section, campaign, participant, score};
use super::query::{changed_one, insert_chunked};
use crate::domain::attempt::{AttemptStatus, ClosedReason, SectionStatus};
use crate::domain::ids::{AttemptId, CampaignId, InstrumentId, OrganisationId, ParticipantId};

/// A section of a new attempt.
pub struct NewSection {
    /// Instrument delivered.
    pub instrument: InstrumentId,
    /// Item codes this attempt gets, in order.
    pub plan: Vec<String>,
    /// Each item once, no going back.
    pub forward_only: bool,
    /// An adaptive section's settings and parameter version (`AdaptiveSpec`), copied from the
    /// battery so a running test keeps them.
    pub adaptive: Option<serde_json::Value>,
}

/// Creates an attempt with its sections. Call inside a transaction; a second attempt for the
/// same participant fails with a unique violation.
pub async fn insert(
    db: &impl ConnectionTrait,
    model: attempt::Model,
    sections: Vec<NewSection>,
) -> Result<attempt::Model, DbErr> {
    let id = model.id;
    let am: attempt::ActiveModel = model.into();
    let inserted = attempt::Entity::insert(am).exec_with_returning(db).await?;
    for (i, s) in sections.into_iter().enumerate() {
        attempt_section::ActiveModel {
            attempt_id: Set(id),
            position: Set(i as i32),
            instrument_id: Set(s.instrument.as_uuid()),
            plan: Set(super::to_json(&s.plan)?),
            forward_only: Set(s.forward_only),
            adaptive: Set(s.adaptive),
            status: Set(SectionStatus::Pending),
            started_at: Set(None),
            deadline_at: Set(None),
            closed_at: Set(None),
            closed_reason: Set(None),
        }
        .insert(db)
        .await?;
    }
    Ok(inserted)
}

/// The attempt of a participant, if one was created.
pub async fn of_participant(
    db: &impl ConnectionTrait,
    participant: ParticipantId,
) -> Result<Option<attempt::Model>, DbErr> {
    attempt::Entity::find()
        .filter(attempt::Column::ParticipantId.eq(participant.as_uuid()))
        .one(db)
        .await
}

/// One attempt.
pub async fn find(
    db: &impl ConnectionTrait,
    id: AttemptId,
) -> Result<Option<attempt::Model>, DbErr> {
    attempt::Entity::find_by_id(id.as_uuid()).one(db).await
}

/// An attempt with its campaign and its participant, read in one query (what a candidate's reads
/// of the attempt need). A campaign or participant is only given when it belongs to the attempt's
/// organisation (and the participant to its campaign).
pub async fn find_with_campaign(
    db: &impl ConnectionTrait,
    id: AttemptId,
) -> Result<Option<AttemptWithCampaign>, DbErr> {
    let to_campaign = attempt::Entity::belongs_to(campaign::Entity)
        .from(attempt::Column::CampaignId)
        .to(campaign::Column::Id)
        .into();
    let to_participant = attempt::Entity::belongs_to(participant::Entity)
        .from(attempt::Column::ParticipantId)
        .to(participant::Column::Id)
        .into();
    let found = attempt::Entity::find_by_id(id.as_uuid())
        .join(JoinType::LeftJoin, to_campaign)
        .join(JoinType::LeftJoin, to_participant)
        .select_also(campaign::Entity)
        .select_also(participant::Entity)
        .one(db)
        .await?;
    Ok(found.map(|(attempt, campaign, participant)| {
        let org = attempt.organisation_id;
        AttemptWithCampaign {
            campaign: campaign.filter(|c| c.organisation_id == org),
            participant: participant
                .filter(|p| p.organisation_id == org && p.campaign_id == attempt.campaign_id),
            attempt,
        }
    }))
}

/// What [`find_with_campaign`] reads.
pub struct AttemptWithCampaign {
    /// The attempt.
    pub attempt: attempt::Model,
    /// Its campaign.
    pub campaign: Option<campaign::Model>,
    /// Who takes it.
    pub participant: Option<participant::Model>,
}

/// The attempts of a campaign.
pub async fn of_campaign(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<Vec<attempt::Model>, DbErr> {
    attempt::Entity::find()
        .filter(attempt::Column::OrganisationId.eq(org.as_uuid()))
        .filter(attempt::Column::CampaignId.eq(campaign.as_uuid()))
        .all(db)
        .await
}

/// How far a campaign's candidates have gone: (signed in, began a section, not over yet).
pub async fn usage_of_campaign(
    db: &impl ConnectionTrait,
    campaign: CampaignId,
) -> Result<(u64, u64, u64), DbErr> {
    use sea_orm::PaginatorTrait;
    let of = || attempt::Entity::find().filter(attempt::Column::CampaignId.eq(campaign.as_uuid()));
    let signed_in = of().count(db).await?;
    let begun = of()
        .filter(attempt::Column::StartedAt.is_not_null())
        .count(db)
        .await?;
    let unfinished = of()
        .filter(attempt::Column::Status.is_in(AttemptStatus::RUNNING))
        .count(db)
        .await?;
    Ok((signed_in, begun, unfinished))
}

/// The attempts of a campaign not over yet.
pub async fn running_of_campaign(
    db: &impl ConnectionTrait,
    campaign: CampaignId,
) -> Result<Vec<Uuid>, DbErr> {
    attempt::Entity::find()
        .select_only()
        .column(attempt::Column::Id)
        .filter(attempt::Column::CampaignId.eq(campaign.as_uuid()))
        .filter(attempt::Column::Status.is_in(AttemptStatus::RUNNING))
        .into_tuple()
        .all(db)
        .await
}

/// The sections of an attempt, in order.
pub async fn sections(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
) -> Result<Vec<attempt_section::Model>, DbErr> {
    attempt_section::Entity::find()
        .filter(attempt_section::Column::AttemptId.eq(attempt.as_uuid()))
        .order_by_asc(attempt_section::Column::Position)
        .all(db)
        .await
}

/// The open section of an attempt and its deadline: (position, deadline).
pub async fn running_section(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
) -> Result<Option<(i32, DateTime<Utc>)>, DbErr> {
    Ok(sections(db, attempt)
        .await?
        .into_iter()
        .find(|s| s.status == SectionStatus::Open)
        .and_then(|s| Some((s.position, s.deadline_at?))))
}

/// Records consent (once).
pub async fn set_consent(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    update_attempt(attempt)
        .col_expr(attempt::Column::ConsentAt, Expr::value(at))
        .filter(attempt::Column::ConsentAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Records the device that now holds the attempt.
pub async fn set_device(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    device: &str,
) -> Result<(), DbErr> {
    update_attempt(attempt)
        .col_expr(attempt::Column::DeviceId, Expr::value(device.to_owned()))
        .exec(db)
        .await?;
    Ok(())
}

/// Releases the device holding an attempt (a proctor's unlock).
pub async fn clear_device(db: &impl ConnectionTrait, attempt: AttemptId) -> Result<(), DbErr> {
    update_attempt(attempt)
        .col_expr(
            attempt::Column::DeviceId,
            Expr::value(Option::<String>::None),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Moves an attempt from one of `from` to `to`; whether this call made the change.
pub async fn transition(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    from: &[AttemptStatus],
    to: AttemptStatus,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut q = update_attempt(attempt)
        .col_expr(attempt::Column::Status, Expr::value(to))
        .filter(attempt::Column::Status.is_in(from.iter().copied()));
    if to == AttemptStatus::InProgress {
        q = q.col_expr(attempt::Column::StartedAt, Expr::value(at));
    } else if to.is_over() {
        q = q.col_expr(attempt::Column::FinishedAt, Expr::value(at));
    }
    changed_one(db, q).await
}

/// Takes the attempt's row for the rest of the transaction (PostgreSQL `FOR UPDATE`; SQLite's
/// write transactions exclude each other already): answers being committed into it (the answer
/// writer share-locks it) are committed first, and those that come later wait, then find what
/// this transaction left.
pub async fn lock(db: &impl ConnectionTrait, attempt: AttemptId) -> Result<(), DbErr> {
    attempt::Entity::find_by_id(attempt.as_uuid())
        .select_only()
        .column(attempt::Column::Id)
        .lock_exclusive()
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(())
}

/// Opens a pending section with its deadline; whether this call opened it.
pub async fn open_section(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    position: i32,
    at: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let q = update_section(attempt, position, SectionStatus::Pending);
    changed_one(db, opening(q, at, deadline)).await
}

/// Moves the deadline of an open section to `deadline`; whether the section was open.
pub async fn set_deadline(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    position: i32,
    deadline: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let q = update_section(attempt, position, SectionStatus::Open)
        .col_expr(attempt_section::Column::DeadlineAt, Expr::value(deadline));
    changed_one(db, q).await
}

/// Closes an open section; whether this call closed it.
pub async fn close_section(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    position: i32,
    reason: ClosedReason,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let q = update_section(attempt, position, SectionStatus::Open)
        .col_expr(
            attempt_section::Column::Status,
            Expr::value(SectionStatus::Closed),
        )
        .col_expr(attempt_section::Column::ClosedAt, Expr::value(at))
        .col_expr(attempt_section::Column::ClosedReason, Expr::value(reason));
    changed_one(db, q).await
}

/// Open sections whose deadline is before `before`: (attempt, position), oldest first.
pub async fn overdue_sections(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(Uuid, i32)>, DbErr> {
    attempt_section::Entity::find()
        .select_only()
        .column(attempt_section::Column::AttemptId)
        .column(attempt_section::Column::Position)
        .filter(attempt_section::Column::Status.eq(SectionStatus::Open))
        .filter(attempt_section::Column::DeadlineAt.lt(before))
        .filter(attempt_section::Column::AttemptId.not_in_subquery(paused_attempts()))
        .order_by_asc(attempt_section::Column::DeadlineAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// Unfinished attempts of campaigns whose window closed before `now`.
pub async fn unfinished_in_closed_campaigns(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Uuid>, DbErr> {
    use super::entities::campaign;
    use sea_orm::sea_query::Query;
    let closed = Query::select()
        .column(campaign::Column::Id)
        .from(campaign::Entity)
        .and_where(Expr::col(campaign::Column::ClosesAt).lt(now))
        .to_owned();
    attempt::Entity::find()
        .select_only()
        .column(attempt::Column::Id)
        .filter(attempt::Column::Status.is_in(AttemptStatus::RUNNING))
        .filter(attempt::Column::CampaignId.in_subquery(closed))
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// Of the running (not started or in progress), unpaused attempts after `after` in id order
/// (from the first when `None`), the next `window`: those among them that have sections and none
/// pending or open (every section closed but the attempt never finished: a crash between the
/// last close and the finish), and where the next window starts (`None` once this one reached
/// the end). Paused ones wait for their resume, as overdue sections do. Looking a window at a
/// time keeps each sweep's cost the same however many attempts are running.
pub async fn running_with_every_section_closed(
    db: &impl ConnectionTrait,
    after: Option<Uuid>,
    window: u64,
) -> Result<(Vec<Uuid>, Option<Uuid>), DbErr> {
    use sea_orm::sea_query::{Query, SelectStatement};
    let mut running = attempt::Entity::find()
        .select_only()
        .column(attempt::Column::Id)
        .filter(attempt::Column::Status.is_in(AttemptStatus::RUNNING))
        .filter(attempt::Column::PausedAt.is_null());
    if let Some(after) = after {
        running = running.filter(attempt::Column::Id.gt(after));
    }
    let ids: Vec<Uuid> = running
        .order_by_asc(attempt::Column::Id)
        .limit(window)
        .into_tuple()
        .all(db)
        .await?;
    let next = match ids.last() {
        Some(last) if ids.len() as u64 == window => Some(*last),
        _ => None,
    };
    if ids.is_empty() {
        return Ok((Vec::new(), next));
    }
    // Correlated EXISTS: each attempt of the window looks up its own sections by the key.
    let of_this_attempt = || -> SelectStatement {
        Query::select()
            .expr(Expr::val(1))
            .from(attempt_section::Entity)
            .and_where(
                Expr::col((attempt_section::Entity, attempt_section::Column::AttemptId))
                    .equals((attempt::Entity, attempt::Column::Id)),
            )
            .to_owned()
    };
    let unclosed = of_this_attempt()
        .and_where(
            Expr::col((attempt_section::Entity, attempt_section::Column::Status))
                .ne(SectionStatus::Closed),
        )
        .to_owned();
    let found = attempt::Entity::find()
        .select_only()
        .column(attempt::Column::Id)
        .filter(attempt::Column::Id.is_in(ids))
        .filter(Expr::exists(of_this_attempt()))
        .filter(Expr::exists(unclosed).not())
        .into_tuple()
        .all(db)
        .await?;
    Ok((found, next))
}

/// Stores the scores of an attempt (replacing earlier ones, for re-scoring). Call inside a
/// transaction.
pub async fn replace_scores(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    rows: Vec<score::Model>,
) -> Result<(), DbErr> {
    // Two replacements of one attempt's scores take turns on the attempt's row: else the second
    // one's delete misses the first one's new rows and its insert collides with them.
    lock(db, attempt).await?;
    score::Entity::delete_many()
        .filter(score::Column::AttemptId.eq(attempt.as_uuid()))
        .exec(db)
        .await?;
    insert_chunked(db, rows.into_iter().map(score::ActiveModel::from)).await
}

/// The scores of some attempts, by attempt then section then scale.
pub async fn scores_of(
    db: &impl ConnectionTrait,
    attempts: &[Uuid],
) -> Result<Vec<score::Model>, DbErr> {
    score::Entity::find()
        .filter(score::Column::AttemptId.is_in(attempts.iter().copied()))
        .order_by_asc(score::Column::AttemptId)
        .order_by_asc(score::Column::SectionPosition)
        .all(db)
        .await
}

/// A stored score as the results read it: every column, the detail as its JSON text, so that a
/// campaign of ten thousand reads it without building a JSON tree per row.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct ScoreRow {
    /// The attempt.
    pub attempt_id: Uuid,
    /// Position of the section.
    pub section_position: i32,
    /// Scale code.
    pub scale_code: String,
    /// The instrument.
    pub instrument_id: Uuid,
    /// Raw score.
    pub raw: Option<f64>,
    /// Items answered.
    pub answered: i32,
    /// Items given.
    pub administered: i32,
    /// The detail document, as text.
    pub detail: String,
    /// The norm table used.
    pub norm_table_id: Option<Uuid>,
    /// Scoring version.
    pub scoring_version: String,
}

/// The scores of these attempts, by attempt and section, with their detail as text.
pub async fn score_rows_of(
    db: &impl ConnectionTrait,
    attempts: &[Uuid],
) -> Result<Vec<ScoreRow>, DbErr> {
    score::Entity::find()
        .select_only()
        .columns([
            score::Column::AttemptId,
            score::Column::SectionPosition,
            score::Column::ScaleCode,
            score::Column::InstrumentId,
            score::Column::Raw,
            score::Column::Answered,
            score::Column::Administered,
            score::Column::NormTableId,
            score::Column::ScoringVersion,
        ])
        .column_as(Expr::cust("CAST(detail AS TEXT)"), "detail")
        .filter(score::Column::AttemptId.is_in(attempts.iter().copied()))
        .order_by_asc(score::Column::AttemptId)
        .order_by_asc(score::Column::SectionPosition)
        .into_model::<ScoreRow>()
        .all(db)
        .await
}

fn paused_attempts() -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(attempt::Column::Id)
        .from(attempt::Entity)
        .and_where(Expr::col(attempt::Column::PausedAt).is_not_null())
        .to_owned()
}

/// Pauses a running (or not yet started) attempt at `at`; whether this call paused it.
pub async fn pause(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let q = update_attempt(attempt)
        .col_expr(attempt::Column::PausedAt, Expr::value(at))
        .filter(attempt::Column::PausedAt.is_null())
        .filter(attempt::Column::Status.is_in(AttemptStatus::RUNNING));
    changed_one(db, q).await
}

/// Ends the pause that began at `paused_at`; whether this call ended it (a concurrent resume
/// that got there first makes it false, so the clock is moved once).
pub async fn unpause(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    paused_at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let q = update_attempt(attempt)
        .col_expr(
            attempt::Column::PausedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(attempt::Column::PausedAt.eq(paused_at));
    changed_one(db, q).await
}

/// Records a proctor's admission from the lobby; whether this call admitted.
pub async fn admit(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let q = update_attempt(attempt)
        .col_expr(attempt::Column::AdmittedAt, Expr::value(at))
        .filter(attempt::Column::AdmittedAt.is_null());
    changed_one(db, q).await
}

/// The attempts made in a session.
pub async fn of_session(
    db: &impl ConnectionTrait,
    session: Uuid,
) -> Result<Vec<attempt::Model>, DbErr> {
    attempt::Entity::find()
        .filter(attempt::Column::SessionId.eq(session))
        .all(db)
        .await
}

/// Some attempts by id.
pub async fn find_many(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<attempt::Model>, DbErr> {
    attempt::Entity::find()
        .filter(attempt::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// The sections of some attempts, by attempt then position.
pub async fn sections_of(
    db: &impl ConnectionTrait,
    attempts: &[Uuid],
) -> Result<Vec<attempt_section::Model>, DbErr> {
    attempt_section::Entity::find()
        .filter(attempt_section::Column::AttemptId.is_in(attempts.iter().copied()))
        .order_by_asc(attempt_section::Column::AttemptId)
        .order_by_asc(attempt_section::Column::Position)
        .all(db)
        .await
}

/// Opens the first section of several attempts at once with one deadline (a session's
/// synchronised start) and marks those attempts in progress; returns how many opened.
pub async fn open_first_sections(
    db: &impl ConnectionTrait,
    attempts: &[Uuid],
    at: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let opened = opening(attempt_section::Entity::update_many(), at, deadline)
        .filter(attempt_section::Column::AttemptId.is_in(attempts.iter().copied()))
        .filter(attempt_section::Column::Position.eq(0))
        .filter(attempt_section::Column::Status.eq(SectionStatus::Pending))
        .exec(db)
        .await?
        .rows_affected;
    attempt::Entity::update_many()
        .col_expr(
            attempt::Column::Status,
            Expr::value(AttemptStatus::InProgress),
        )
        .col_expr(attempt::Column::StartedAt, Expr::value(at))
        .filter(attempt::Column::Id.is_in(attempts.iter().copied()))
        .filter(attempt::Column::Status.eq(AttemptStatus::NotStarted))
        .exec(db)
        .await?;
    Ok(opened)
}

/// An update of one attempt.
fn update_attempt(attempt: AttemptId) -> UpdateMany<attempt::Entity> {
    attempt::Entity::update_many().filter(attempt::Column::Id.eq(attempt.as_uuid()))
}

/// An update of one section of an attempt, made only while the section is in `status`.
fn update_section(
    attempt: AttemptId,
    position: i32,
    status: SectionStatus,
) -> UpdateMany<attempt_section::Entity> {
    attempt_section::Entity::update_many()
        .filter(attempt_section::Column::AttemptId.eq(attempt.as_uuid()))
        .filter(attempt_section::Column::Position.eq(position))
        .filter(attempt_section::Column::Status.eq(status))
}

/// Sets the sections `q` selects open from `at`, closing at `deadline`.
fn opening(
    q: UpdateMany<attempt_section::Entity>,
    at: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> UpdateMany<attempt_section::Entity> {
    q.col_expr(
        attempt_section::Column::Status,
        Expr::value(SectionStatus::Open),
    )
    .col_expr(attempt_section::Column::StartedAt, Expr::value(at))
    .col_expr(attempt_section::Column::DeadlineAt, Expr::value(deadline))
}

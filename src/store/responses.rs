//! Candidates' responses: written in batches by the answer writer, read for resume and scoring.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::entities::response;
use crate::domain::ids::AttemptId;

/// One response to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRow {
    /// The attempt.
    pub attempt: AttemptId,
    /// Section position in the battery.
    pub section: i32,
    /// Item code in its instrument.
    pub item: String,
    /// The response in the scoring engine's wire shape.
    pub value: serde_json::Value,
    /// The client's sequence number: a row is only ever replaced by a higher one.
    pub seq: i64,
    /// Marked for review by the candidate.
    pub flagged: bool,
    /// When the server received it.
    pub received_at: DateTime<Utc>,
}

/// Upserts many responses in one statement. A stored row is replaced only by a row with a higher
/// client sequence number, so a retried or out-of-order older copy changes nothing. Rows must
/// have distinct keys (the caller keeps the highest sequence of duplicates).
pub async fn upsert_batch(db: &impl ConnectionTrait, rows: &[ResponseRow]) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let models = rows.iter().map(|r| response::ActiveModel {
        attempt_id: Set(r.attempt.as_uuid()),
        section_position: Set(r.section),
        item_code: Set(r.item.clone()),
        value: Set(r.value.clone()),
        client_seq: Set(r.seq),
        flagged: Set(r.flagged),
        received_at: Set(r.received_at),
    });
    response::Entity::insert_many(models)
        .on_conflict(
            OnConflict::columns([
                response::Column::AttemptId,
                response::Column::SectionPosition,
                response::Column::ItemCode,
            ])
            .update_columns([
                response::Column::Value,
                response::Column::ClientSeq,
                response::Column::Flagged,
                response::Column::ReceivedAt,
            ])
            .action_and_where(
                Expr::col((response::Entity, response::Column::ClientSeq))
                    .lt(Expr::cust("excluded.client_seq")),
            )
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The responses of one attempt.
pub async fn of_attempt(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
) -> Result<Vec<response::Model>, DbErr> {
    response::Entity::find()
        .filter(response::Column::AttemptId.eq(attempt.as_uuid()))
        .all(db)
        .await
}

/// The responses of one section of an attempt.
pub async fn of_section(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    section: i32,
) -> Result<Vec<response::Model>, DbErr> {
    response::Entity::find()
        .filter(response::Column::AttemptId.eq(attempt.as_uuid()))
        .filter(response::Column::SectionPosition.eq(section))
        .all(db)
        .await
}

/// Number of responses per attempt: (attempt id, count).
pub async fn counts(
    db: &impl ConnectionTrait,
    attempts: &[uuid::Uuid],
) -> Result<Vec<(uuid::Uuid, i64)>, DbErr> {
    use sea_orm::QuerySelect;
    response::Entity::find()
        .select_only()
        .column(response::Column::AttemptId)
        .column_as(response::Column::ItemCode.count(), "n")
        .filter(response::Column::AttemptId.is_in(attempts.iter().copied()))
        .group_by(response::Column::AttemptId)
        .into_tuple()
        .all(db)
        .await
}

/// Number of responses per attempt and section: (attempt id, section, count).
pub async fn section_counts(
    db: &impl ConnectionTrait,
    attempts: &[uuid::Uuid],
) -> Result<Vec<(uuid::Uuid, i32, i64)>, DbErr> {
    use sea_orm::QuerySelect;
    response::Entity::find()
        .select_only()
        .column(response::Column::AttemptId)
        .column(response::Column::SectionPosition)
        .column_as(response::Column::ItemCode.count(), "n")
        .filter(response::Column::AttemptId.is_in(attempts.iter().copied()))
        .group_by(response::Column::AttemptId)
        .group_by(response::Column::SectionPosition)
        .into_tuple()
        .all(db)
        .await
}

//! The events of attempts: sign-ins, sections, integrity signals, staff actions.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::entities::attempt_event;
use super::query::insert_chunked;
use crate::domain::attempt::EventKind;
use crate::domain::ids::{AccountId, AttemptId};

/// Appends an event.
pub async fn record(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    kind: EventKind,
    detail: serde_json::Value,
    actor: Option<AccountId>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    row(attempt, kind, detail, actor, at).insert(db).await?;
    Ok(())
}

fn row(
    attempt: AttemptId,
    kind: EventKind,
    detail: serde_json::Value,
    actor: Option<AccountId>,
    at: DateTime<Utc>,
) -> attempt_event::ActiveModel {
    attempt_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        attempt_id: Set(attempt.as_uuid()),
        at: Set(at),
        kind: Set(kind.as_str().to_owned()),
        detail: Set(detail),
        actor_account_id: Set(actor.map(|a| a.as_uuid())),
    }
}

/// The events of an attempt, oldest first.
pub async fn of_attempt(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
) -> Result<Vec<attempt_event::Model>, DbErr> {
    attempt_event::Entity::find()
        .filter(attempt_event::Column::AttemptId.eq(attempt.as_uuid()))
        .order_by_asc(attempt_event::Column::At)
        .order_by_asc(attempt_event::Column::Id)
        .all(db)
        .await
}

/// Per attempt and kind: how many events and the latest time, for some attempts.
pub async fn kind_counts(
    db: &impl ConnectionTrait,
    attempts: &[Uuid],
) -> Result<Vec<(Uuid, String, i64, DateTime<Utc>)>, DbErr> {
    attempt_event::Entity::find()
        .select_only()
        .column(attempt_event::Column::AttemptId)
        .column(attempt_event::Column::Kind)
        .column_as(attempt_event::Column::Id.count(), "n")
        .column_as(attempt_event::Column::At.max(), "last")
        .filter(attempt_event::Column::AttemptId.is_in(attempts.iter().copied()))
        .group_by(attempt_event::Column::AttemptId)
        .group_by(attempt_event::Column::Kind)
        .into_tuple()
        .all(db)
        .await
}

/// The events of some attempts of the given kinds, oldest first.
pub async fn of_kinds(
    db: &impl ConnectionTrait,
    attempts: &[Uuid],
    kinds: &[EventKind],
) -> Result<Vec<attempt_event::Model>, DbErr> {
    attempt_event::Entity::find()
        .filter(attempt_event::Column::AttemptId.is_in(attempts.iter().copied()))
        .filter(attempt_event::Column::Kind.is_in(kinds.iter().map(|k| k.as_str())))
        .order_by_asc(attempt_event::Column::At)
        .order_by_asc(attempt_event::Column::Id)
        .all(db)
        .await
}

/// How many integrity events an attempt has.
pub async fn count_integrity(db: &impl ConnectionTrait, attempt: AttemptId) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    attempt_event::Entity::find()
        .filter(attempt_event::Column::AttemptId.eq(attempt.as_uuid()))
        .filter(attempt_event::Column::Kind.is_in(EventKind::integrity_words()))
        .count(db)
        .await
}

/// An event that already happened, each at its own time and without an actor (see
/// [`record_all`]).
pub struct PastEvent {
    /// The attempt.
    pub attempt: AttemptId,
    /// What happened.
    pub kind: EventKind,
    /// Its details.
    pub detail: serde_json::Value,
    /// When.
    pub at: DateTime<Utc>,
}

/// Appends events that already happened, in multi-row inserts.
pub async fn record_all(db: &impl ConnectionTrait, events: Vec<PastEvent>) -> Result<(), DbErr> {
    let rows = events
        .into_iter()
        .map(|e| row(e.attempt, e.kind, e.detail, None, e.at));
    insert_chunked(db, rows).await
}

/// Appends one event of the same kind to each of many attempts, in multi-row inserts.
pub async fn record_many(
    db: &impl ConnectionTrait,
    kind: EventKind,
    events: Vec<(AttemptId, serde_json::Value)>,
    actor: Option<AccountId>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows = events
        .into_iter()
        .map(|(attempt, detail)| row(attempt, kind, detail, actor, at));
    insert_chunked(db, rows).await
}

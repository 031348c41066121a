//! The events of attempts: sign-ins, sections, integrity signals, staff actions.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::entities::attempt_event;
use crate::domain::ids::{AccountId, AttemptId};

/// Appends an event.
pub async fn record(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    kind: &str,
    detail: serde_json::Value,
    actor: Option<AccountId>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    attempt_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        attempt_id: Set(attempt.as_uuid()),
        at: Set(at),
        kind: Set(kind.to_owned()),
        detail: Set(detail),
        actor_account_id: Set(actor.map(|a| a.as_uuid())),
    }
    .insert(db)
    .await?;
    Ok(())
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

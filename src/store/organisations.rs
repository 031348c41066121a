//! Organisations (tenants).
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};

use super::entities::organisation::{self, Entity as Organisation};
use crate::domain::ids::OrganisationId;

/// Inserts an organisation.
#[tracing::instrument(skip(db))]
pub async fn insert(
    db: &impl ConnectionTrait,
    id: OrganisationId,
    code: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<organisation::Model, DbErr> {
    organisation::ActiveModel {
        id: Set(id.as_uuid()),
        code: Set(code.to_owned()),
        name: Set(name.to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await
}

/// Finds an organisation.
pub async fn find(
    db: &impl ConnectionTrait,
    id: OrganisationId,
) -> Result<Option<organisation::Model>, DbErr> {
    Organisation::find_by_id(id.as_uuid()).one(db).await
}

/// Finds an organisation by its code.
pub async fn find_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<organisation::Model>, DbErr> {
    Organisation::find()
        .filter(organisation::Column::Code.eq(code))
        .one(db)
        .await
}

/// How many organisations exist (zero on a fresh database).
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Organisation::find().count(db).await
}

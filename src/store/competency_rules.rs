//! Rule documents by organisation, kind and version.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entities::competency_rule;
use crate::domain::ids::{AccountId, OrganisationId};

/// The newest version of `kind` of the organisation, if any is stored.
pub async fn latest(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    kind: &str,
) -> Result<Option<competency_rule::Model>, DbErr> {
    competency_rule::Entity::find()
        .filter(competency_rule::Column::OrganisationId.eq(org.as_uuid()))
        .filter(competency_rule::Column::Kind.eq(kind))
        .order_by_desc(competency_rule::Column::Version)
        .limit(1)
        .one(db)
        .await
}

/// Version `version` of `kind` of the organisation.
pub async fn at_version(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    kind: &str,
    version: i32,
) -> Result<Option<competency_rule::Model>, DbErr> {
    competency_rule::Entity::find()
        .filter(competency_rule::Column::OrganisationId.eq(org.as_uuid()))
        .filter(competency_rule::Column::Kind.eq(kind))
        .filter(competency_rule::Column::Version.eq(version))
        .one(db)
        .await
}

/// Stores a version; fails with a unique violation when that version exists already.
pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    kind: &str,
    version: i32,
    document: serde_json::Value,
    by: Option<AccountId>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    competency_rule::Entity::insert(row(org, kind, version, document, by, at))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Stores version 1 (the seeded default) unless some node stored it first.
pub async fn insert_first(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    kind: &str,
    document: serde_json::Value,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    competency_rule::Entity::insert(row(org, kind, 1, document, None, at))
        .on_conflict(
            OnConflict::columns([
                competency_rule::Column::OrganisationId,
                competency_rule::Column::Kind,
                competency_rule::Column::Version,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

fn row(
    org: OrganisationId,
    kind: &str,
    version: i32,
    document: serde_json::Value,
    by: Option<AccountId>,
    at: DateTime<Utc>,
) -> competency_rule::ActiveModel {
    competency_rule::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        organisation_id: Set(org.as_uuid()),
        kind: Set(kind.to_owned()),
        version: Set(version),
        document: Set(document),
        created_at: Set(at),
        created_by: Set(by.map(|a| a.as_uuid())),
    }
}

//! Versions of organisations' competency frameworks. A version is written once and never
//! changed; the current one is the highest.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::entities::competency_framework::{self, Entity as CompetencyFramework};
use super::entities::organisation;
use super::to_json;
use crate::domain::framework::{Framework, FrameworkDoc};
use crate::domain::ids::{AccountId, OrganisationId};

/// One stored version of a framework.
#[derive(Debug, Clone)]
pub struct FrameworkVersion {
    /// Its number, from 1.
    pub version: u32,
    /// The framework.
    pub framework: Framework,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Who wrote it (none for the seeded first version).
    pub created_by: Option<AccountId>,
}

/// The number, time and author of one version, without its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    /// Its number.
    pub version: u32,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Who wrote it.
    pub created_by: Option<AccountId>,
}

fn read(m: competency_framework::Model) -> Result<FrameworkVersion, DbErr> {
    let doc: FrameworkDoc = serde_json::from_value(m.document).map_err(|e| {
        DbErr::Custom(format!(
            "stored framework version {} is unreadable: {e}",
            m.version
        ))
    })?;
    Ok(FrameworkVersion {
        version: m.version as u32,
        framework: Framework::from_stored(doc),
        created_at: m.created_at,
        created_by: m.created_by.map(AccountId::from),
    })
}

/// The organisation's current framework: its highest version.
#[tracing::instrument(skip(db))]
pub async fn latest(
    db: &impl ConnectionTrait,
    org: OrganisationId,
) -> Result<Option<FrameworkVersion>, DbErr> {
    CompetencyFramework::find()
        .filter(competency_framework::Column::OrganisationId.eq(org.as_uuid()))
        .order_by_desc(competency_framework::Column::Version)
        .one(db)
        .await?
        .map(read)
        .transpose()
}

/// One version of the organisation's framework.
#[tracing::instrument(skip(db))]
pub async fn version(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    version: u32,
) -> Result<Option<FrameworkVersion>, DbErr> {
    let Ok(version) = i32::try_from(version) else {
        return Ok(None);
    };
    CompetencyFramework::find()
        .filter(competency_framework::Column::OrganisationId.eq(org.as_uuid()))
        .filter(competency_framework::Column::Version.eq(version))
        .one(db)
        .await?
        .map(read)
        .transpose()
}

/// Every version of the organisation's framework, oldest first, without the documents.
#[tracing::instrument(skip(db))]
pub async fn history(
    db: &impl ConnectionTrait,
    org: OrganisationId,
) -> Result<Vec<VersionInfo>, DbErr> {
    let rows: Vec<(i32, DateTime<Utc>, Option<Uuid>)> = CompetencyFramework::find()
        .select_only()
        .column(competency_framework::Column::Version)
        .column(competency_framework::Column::CreatedAt)
        .column(competency_framework::Column::CreatedBy)
        .filter(competency_framework::Column::OrganisationId.eq(org.as_uuid()))
        .order_by_asc(competency_framework::Column::Version)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(version, created_at, by)| VersionInfo {
            version: version as u32,
            created_at,
            created_by: by.map(AccountId::from),
        })
        .collect())
}

/// Writes version `version` of the organisation's framework. Call inside a transaction; a
/// version written meanwhile by someone else fails with a unique violation.
#[tracing::instrument(skip(db, framework))]
pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    version: u32,
    framework: &Framework,
    at: DateTime<Utc>,
    by: Option<AccountId>,
) -> Result<(), DbErr> {
    competency_framework::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(org.as_uuid()),
        version: Set(version as i32),
        document: Set(to_json(framework.doc())?),
        created_at: Set(at),
        created_by: Set(by.map(|a| a.as_uuid())),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Organisations that have no framework yet (created before frameworks existed).
pub async fn organisations_without(
    db: &impl ConnectionTrait,
) -> Result<Vec<OrganisationId>, DbErr> {
    let with: HashSet<Uuid> = CompetencyFramework::find()
        .select_only()
        .column(competency_framework::Column::OrganisationId)
        .distinct()
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let all: Vec<Uuid> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(all
        .into_iter()
        .filter(|id| !with.contains(id))
        .map(OrganisationId::from)
        .collect())
}

//! Job competency standards and their versions. A version's levels are written once; editing a
//! standard writes its next version and moves the standard's `current_version` to it.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use super::entities::{job_standard, job_standard_version};
use super::query::{changed_one, in_org};
use super::to_json;
use crate::domain::framework::ProficiencyLevel;
use crate::domain::ids::{AccountId, JobStandardId, OrganisationId};
use crate::domain::job_standard::{position_key, JobLevel, JobStandard, Position, RequiredLevels};

/// One version of a standard, as stored.
#[derive(Debug, Clone)]
pub struct StandardRecord {
    /// The standard.
    pub id: JobStandardId,
    /// Job level, position and the levels of this version.
    pub standard: JobStandard,
    /// This version's number, from 1.
    pub version: u32,
    /// The standard's current version (equal to `version` unless an earlier one was asked for).
    pub current_version: u32,
    /// The framework version the levels were checked against.
    pub framework_version: u32,
    /// When the standard was first created.
    pub created_at: DateTime<Utc>,
    /// When this version was written.
    pub updated_at: DateTime<Utc>,
    /// Who wrote this version (none for seeded standards).
    pub updated_by: Option<AccountId>,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("stored job standard {what} is unreadable: {e}"))
}

fn record(
    s: &job_standard::Model,
    v: job_standard_version::Model,
) -> Result<StandardRecord, DbErr> {
    let job_level = JobLevel::parse(&s.job_level).map_err(|e| corrupt("job level", e))?;
    let position = s
        .position
        .as_deref()
        .map(Position::parse)
        .transpose()
        .map_err(|e| corrupt("position", e))?;
    let levels: BTreeMap<String, ProficiencyLevel> =
        serde_json::from_value(v.levels).map_err(|e| corrupt("levels", e))?;
    Ok(StandardRecord {
        id: JobStandardId::from(s.id),
        standard: JobStandard::new(job_level, position, RequiredLevels::from_stored(levels)),
        version: v.version as u32,
        current_version: s.current_version as u32,
        framework_version: v.framework_version as u32,
        created_at: s.created_at,
        updated_at: v.created_at,
        updated_by: v.created_by.map(AccountId::from),
    })
}

/// Every standard of the organisation at its current version, by job level (highest structural
/// first), then the whole job level's before its positions', positions by name.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganisationId,
) -> Result<Vec<StandardRecord>, DbErr> {
    let standards = job_standard::Entity::find()
        .filter(job_standard::Column::OrganisationId.eq(org.as_uuid()))
        .all(db)
        .await?;
    let current: HashMap<(Uuid, i32), &job_standard::Model> = standards
        .iter()
        .map(|s| ((s.id, s.current_version), s))
        .collect();
    let versions = job_standard_version::Entity::find()
        .filter(job_standard_version::Column::OrganisationId.eq(org.as_uuid()))
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(standards.len());
    for v in versions {
        if let Some(s) = current.get(&(v.job_standard_id, v.version)) {
            out.push(record(s, v)?);
        }
    }
    out.sort_by(|a, b| {
        let key = |r: &StandardRecord| {
            (
                r.standard.job_level(),
                r.standard.position().map(Position::key),
            )
        };
        key(a).cmp(&key(b))
    });
    Ok(out)
}

/// Every standard of the organisation as it stood at `at`: those created by then, each at the
/// newest version written by then, in the order of [`list`].
#[tracing::instrument(skip(db))]
pub async fn list_at(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    at: DateTime<Utc>,
) -> Result<Vec<StandardRecord>, DbErr> {
    let standards: HashMap<Uuid, job_standard::Model> = job_standard::Entity::find()
        .filter(job_standard::Column::OrganisationId.eq(org.as_uuid()))
        .filter(job_standard::Column::CreatedAt.lte(at))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut newest: HashMap<Uuid, job_standard_version::Model> = HashMap::new();
    for v in job_standard_version::Entity::find()
        .filter(job_standard_version::Column::OrganisationId.eq(org.as_uuid()))
        .filter(job_standard_version::Column::CreatedAt.lte(at))
        .all(db)
        .await?
    {
        if newest
            .get(&v.job_standard_id)
            .is_none_or(|n| n.version < v.version)
        {
            newest.insert(v.job_standard_id, v);
        }
    }
    let mut out = Vec::with_capacity(newest.len());
    for (id, v) in newest {
        if let Some(s) = standards.get(&id) {
            out.push(record(s, v)?);
        }
    }
    out.sort_by(|a, b| {
        let key = |r: &StandardRecord| {
            (
                r.standard.job_level(),
                r.standard.position().map(Position::key),
            )
        };
        key(a).cmp(&key(b))
    });
    Ok(out)
}

/// One standard of the organisation, at its current version or at version `version`.
#[tracing::instrument(skip(db))]
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    id: JobStandardId,
    version: Option<u32>,
) -> Result<Option<StandardRecord>, DbErr> {
    let Some(s) =
        in_org::<job_standard::Entity>(job_standard::Column::OrganisationId, org, id.as_uuid())
            .one(db)
            .await?
    else {
        return Ok(None);
    };
    let Ok(wanted) = i32::try_from(version.unwrap_or(s.current_version as u32)) else {
        return Ok(None);
    };
    let v = job_standard_version::Entity::find()
        .filter(job_standard_version::Column::JobStandardId.eq(s.id))
        .filter(job_standard_version::Column::Version.eq(wanted))
        .one(db)
        .await?;
    v.map(|v| record(&s, v)).transpose()
}

/// Stores a new standard as its version 1. A standard of the same job level and position
/// fails with a unique violation.
#[tracing::instrument(skip(db, standard))]
pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    id: JobStandardId,
    standard: &JobStandard,
    framework_version: u32,
    at: DateTime<Utc>,
    by: Option<AccountId>,
) -> Result<(), DbErr> {
    job_standard::ActiveModel {
        id: Set(id.as_uuid()),
        organisation_id: Set(org.as_uuid()),
        job_level: Set(standard.job_level().name().to_owned()),
        position: Set(standard.position().map(|p| p.as_str().to_owned())),
        position_key: Set(position_key(standard.position())),
        current_version: Set(1),
        created_at: Set(at),
    }
    .insert(db)
    .await?;
    insert_version(db, org, id, 1, standard.levels(), framework_version, at, by).await
}

#[allow(clippy::too_many_arguments)]
async fn insert_version(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    id: JobStandardId,
    version: u32,
    levels: &RequiredLevels,
    framework_version: u32,
    at: DateTime<Utc>,
    by: Option<AccountId>,
) -> Result<(), DbErr> {
    job_standard_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        job_standard_id: Set(id.as_uuid()),
        organisation_id: Set(org.as_uuid()),
        version: Set(version as i32),
        levels: Set(to_json(levels)?),
        framework_version: Set(framework_version as i32),
        created_at: Set(at),
        created_by: Set(by.map(|a| a.as_uuid())),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Writes version `from + 1` of a standard whose current version is `from`, and makes it
/// current. `false` when the standard moved past `from` meanwhile (nothing is made current; the
/// caller rolls back); a version written meanwhile fails with a unique violation.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(skip(db, levels))]
pub async fn add_version(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    id: JobStandardId,
    from: u32,
    levels: &RequiredLevels,
    framework_version: u32,
    at: DateTime<Utc>,
    by: Option<AccountId>,
) -> Result<bool, DbErr> {
    let next = from + 1;
    insert_version(db, org, id, next, levels, framework_version, at, by).await?;
    changed_one(
        db,
        job_standard::Entity::update_many()
            .col_expr(
                job_standard::Column::CurrentVersion,
                sea_orm::sea_query::Expr::value(next as i32),
            )
            .filter(job_standard::Column::Id.eq(id.as_uuid()))
            .filter(job_standard::Column::OrganisationId.eq(org.as_uuid()))
            .filter(job_standard::Column::CurrentVersion.eq(from as i32)),
    )
    .await
}

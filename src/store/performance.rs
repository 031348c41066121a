//! SKP performance ratings by organisation, NIP and year.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use super::entities::performance_rating::{self, Column, Entity};
use crate::domain::ids::{AccountId, OrganisationId};
use crate::domain::nip::Nip;
use crate::domain::performance::{Expectation, Predicate, Rating};
use crate::domain::yearly_record::Year;

/// Rows per statement: well under SQLite's and PostgreSQL's limits on bound parameters.
const CHUNK: usize = 500;

/// A person's stored rating of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRating {
    /// The 18 digits of the NIP.
    pub nip: String,
    /// The year it is for.
    pub year: Year,
    /// The rating.
    pub rating: Rating,
    /// When it was last imported.
    pub imported_at: DateTime<Utc>,
}

fn stored(m: performance_rating::Model) -> Result<StoredRating, DbErr> {
    let bad = |what: &str, v: &str| {
        DbErr::Custom(format!(
            "performance rating {}: unknown {what} '{v}' in the database",
            m.id
        ))
    };
    let expectation = |v: &Option<String>| -> Result<Option<Expectation>, DbErr> {
        v.as_deref()
            .map(|c| Expectation::from_code(c).ok_or_else(|| bad("expectation", c)))
            .transpose()
    };
    let rating = Rating {
        predicate: Predicate::from_code(&m.predicate)
            .ok_or_else(|| bad("predicate", &m.predicate))?,
        work_results: expectation(&m.work_results)?,
        work_behaviour: expectation(&m.work_behaviour)?,
    };
    Ok(StoredRating {
        year: Year::stored(m.year),
        rating,
        imported_at: m.imported_at,
        nip: m.nip,
    })
}

fn all_stored(rows: Vec<performance_rating::Model>) -> Result<Vec<StoredRating>, DbErr> {
    rows.into_iter().map(stored).collect()
}

/// The organisation's ratings of these NIPs, every year.
pub async fn of_nips(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    nips: &[&str],
) -> Result<Vec<StoredRating>, DbErr> {
    let mut out = Vec::new();
    for chunk in nips.chunks(CHUNK) {
        let rows = Entity::find()
            .filter(Column::OrganisationId.eq(org.as_uuid()))
            .filter(Column::Nip.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        out.extend(all_stored(rows)?);
    }
    Ok(out)
}

/// Stores these ratings, each replacing the organisation's rating of the same NIP and year.
pub async fn upsert(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    rows: &[(&Nip, Year, Rating)],
    at: DateTime<Utc>,
    by: AccountId,
) -> Result<(), DbErr> {
    for chunk in rows.chunks(CHUNK) {
        let models = chunk
            .iter()
            .map(|(nip, year, rating)| performance_rating::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                organisation_id: Set(org.as_uuid()),
                nip: Set(nip.as_str().to_owned()),
                year: Set(year.value()),
                predicate: Set(rating.predicate.as_str().to_owned()),
                work_results: Set(rating.work_results.map(|e| e.as_str().to_owned())),
                work_behaviour: Set(rating.work_behaviour.map(|e| e.as_str().to_owned())),
                imported_at: Set(at),
                imported_by: Set(Some(by.as_uuid())),
            });
        Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([Column::OrganisationId, Column::Nip, Column::Year])
                    .update_columns([
                        Column::Predicate,
                        Column::WorkResults,
                        Column::WorkBehaviour,
                        Column::ImportedAt,
                        Column::ImportedBy,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The organisation's ratings of one NIP for the years `years`, newest first.
pub async fn of_person(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    nip: &Nip,
    years: std::ops::RangeInclusive<i32>,
) -> Result<Vec<StoredRating>, DbErr> {
    let rows = Entity::find()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::Nip.eq(nip.as_str()))
        .filter(Column::Year.between(*years.start(), *years.end()))
        .order_by_desc(Column::Year)
        .all(db)
        .await?;
    all_stored(rows)
}

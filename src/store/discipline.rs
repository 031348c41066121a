//! Discipline records by organisation, NIP and year.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use super::entities::discipline_record::{self, Column, Entity};
use crate::domain::discipline::{Discipline, DisciplineLevel};
use crate::domain::ids::{AccountId, OrganisationId};
use crate::domain::nip::Nip;
use crate::domain::yearly_record::Year;

/// Rows per statement: well under SQLite's and PostgreSQL's limits on bound parameters.
const CHUNK: usize = 500;

/// A person's stored discipline record of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDiscipline {
    /// The 18 digits of the NIP.
    pub nip: String,
    /// The year it is for.
    pub year: Year,
    /// The record.
    pub record: Discipline,
    /// When it was last imported.
    pub imported_at: DateTime<Utc>,
}

fn stored(m: discipline_record::Model) -> Result<StoredDiscipline, DbErr> {
    let level = DisciplineLevel::from_code(&m.level).ok_or_else(|| {
        DbErr::Custom(format!(
            "discipline record {}: unknown level '{}' in the database",
            m.id, m.level
        ))
    })?;
    Ok(StoredDiscipline {
        year: Year::stored(m.year),
        record: Discipline {
            level,
            note: m.note,
        },
        imported_at: m.imported_at,
        nip: m.nip,
    })
}

fn all_stored(rows: Vec<discipline_record::Model>) -> Result<Vec<StoredDiscipline>, DbErr> {
    rows.into_iter().map(stored).collect()
}

/// The organisation's records of these NIPs, every year.
pub async fn of_nips(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    nips: &[&str],
) -> Result<Vec<StoredDiscipline>, DbErr> {
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

/// Stores these records, each replacing the organisation's record of the same NIP and year.
pub async fn upsert(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    rows: &[(&Nip, Year, &Discipline)],
    at: DateTime<Utc>,
    by: AccountId,
) -> Result<(), DbErr> {
    for chunk in rows.chunks(CHUNK) {
        let models = chunk
            .iter()
            .map(|(nip, year, record)| discipline_record::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                organisation_id: Set(org.as_uuid()),
                nip: Set(nip.as_str().to_owned()),
                year: Set(year.value()),
                level: Set(record.level.as_str().to_owned()),
                note: Set(record.note.clone()),
                imported_at: Set(at),
                imported_by: Set(Some(by.as_uuid())),
            });
        Entity::insert_many(models)
            .on_conflict(
                OnConflict::columns([Column::OrganisationId, Column::Nip, Column::Year])
                    .update_columns([
                        Column::Level,
                        Column::Note,
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

/// The organisation's records of one NIP for the years `years`, newest first.
pub async fn of_person(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    nip: &Nip,
    years: std::ops::RangeInclusive<i32>,
) -> Result<Vec<StoredDiscipline>, DbErr> {
    let rows = Entity::find()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::Nip.eq(nip.as_str()))
        .filter(Column::Year.between(*years.start(), *years.end()))
        .order_by_desc(Column::Year)
        .all(db)
        .await?;
    all_stored(rows)
}

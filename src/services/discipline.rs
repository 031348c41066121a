//! Discipline records by NIP (PP 94/2021): HR's yearly import (all or nothing, a dry run first,
//! audited), a person's records for staff who read them, and the latest record the
//! professionalism index takes its Disiplin dimension from.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::auth::Staff;
use super::yearly_records::{self, one_of, plan, ImportOutcome};
use super::{audited, AppContext};
use crate::domain::discipline::{parse_discipline, Discipline, DisciplineLevel, YearDiscipline};
use crate::domain::ids::OrganisationId;
use crate::domain::nip::Nip;
use crate::domain::yearly_record::{Year, MIN_YEAR};
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::discipline::{self as repo, StoredDiscipline};

/// One year's discipline record as staff see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DisciplineView {
    /// The year the record is for.
    #[schema(example = 2025)]
    pub year: i32,
    /// The heaviest penalty of the year (PP 94/2021), or `none`.
    #[schema(schema_with = level_schema)]
    pub level: DisciplineLevel,
    /// HR's note, when imported.
    pub note: Option<String>,
    /// When the record was last imported.
    pub imported_at: DateTime<Utc>,
}

fn level_schema() -> utoipa::openapi::Schema {
    one_of(
        "The heaviest penalty of the year (PP 94/2021): none (tidak ada), light (ringan), \
         moderate (sedang), heavy (berat).",
        DisciplineLevel::ALL.map(DisciplineLevel::as_str),
    )
}

/// A person's discipline records in the caller's organisation.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonDiscipline {
    /// The NIP asked for, as 18 digits.
    #[schema(example = "198503152010121001")]
    pub nip: String,
    /// Every year's record, newest first; empty when the organisation has none for the NIP.
    pub records: Vec<DisciplineView>,
}

impl From<StoredDiscipline> for DisciplineView {
    fn from(s: StoredDiscipline) -> Self {
        Self {
            year: s.year.value(),
            level: s.record.level,
            note: s.record.note,
            imported_at: s.imported_at,
        }
    }
}

/// Imports the discipline records of a CSV file (`nip, year, level`, optional `note`) into the
/// caller's organisation, all or none: any invalid row refuses the whole file with every problem
/// by row and column (`invalid_discipline_records`). A record replaces the organisation's record
/// of the same NIP and year. With `dry_run` nothing is stored and the reply tells what would
/// change. Audited with the counts, the file's SHA-256 and the records replaced.
pub async fn import(
    ctx: &AppContext,
    staff: &Staff,
    file: &[u8],
    dry_run: bool,
) -> Result<ImportOutcome, ApiError> {
    let rows = parse_discipline(file, ctx.clock.today()).map_err(|errors| {
        yearly_records::refused(
            ErrorCode::InvalidDisciplineRecords,
            "discipline records",
            errors,
        )
    })?;
    let nips: Vec<&str> = rows
        .iter()
        .map(|r| r.nip.as_str())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let org = staff.organisation;
    let by_key = |stored: Vec<StoredDiscipline>| -> HashMap<(String, Year), Discipline> {
        stored
            .into_iter()
            .map(|s| ((s.nip, s.year), s.record))
            .collect()
    };
    let plan_of = |stored| plan(&rows, stored, |r| (&r.nip, r.year), |r| &r.record, "record");
    if dry_run {
        let stored = by_key(repo::of_nips(&ctx.db, org, &nips).await?);
        let tally = plan_of(&stored).tally;
        return Ok(ImportOutcome::new(true, rows.len(), tally, file));
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    let stored = by_key(repo::of_nips(&txn, org, &nips).await?);
    let plan = plan_of(&stored);
    let write: Vec<(&Nip, Year, &Discipline)> = plan
        .write
        .iter()
        .map(|r| (&r.nip, r.year, &r.record))
        .collect();
    let now = ctx.clock.now();
    repo::upsert(&txn, org, &write, now, staff.account).await?;
    let outcome = ImportOutcome::new(false, rows.len(), plan.tally, file);
    audited::commit(
        txn,
        AuditRecord {
            organisation: org,
            actor: Some(staff.account),
            action: "discipline_records.import",
            target_type: "discipline_records",
            target_id: org.to_string(),
            before: Some(serde_json::json!({ "replaced": plan.replaced })),
            after: Some(outcome.audit_after()),
            reason: None,
            at: now,
        },
    )
    .await?;
    Ok(outcome)
}

/// The discipline records of the person `nip` names in the caller's organisation, newest first.
/// A missing or malformed NIP is `invalid_query`; a NIP without records has an empty list.
pub async fn of_person(
    ctx: &AppContext,
    staff: &Staff,
    nip: Option<&str>,
) -> Result<PersonDiscipline, ApiError> {
    let nip = yearly_records::person(nip, ctx.clock.today())?;
    let records = repo::of_person(&ctx.db, staff.organisation, &nip, MIN_YEAR..=i32::MAX).await?;
    Ok(PersonDiscipline {
        nip: nip.as_str().to_owned(),
        records: records.into_iter().map(DisciplineView::from).collect(),
    })
}

/// The person's most recent discipline record of a year up to `as_of_year` in an organisation,
/// if there is any.
pub async fn latest_discipline(
    ctx: &AppContext,
    org: OrganisationId,
    nip: &Nip,
    as_of_year: i32,
) -> Result<Option<YearDiscipline>, ApiError> {
    Ok(latest_discipline_of(ctx, org, &[nip.as_str()], as_of_year)
        .await?
        .remove(nip.as_str()))
}

/// [`latest_discipline`] of many people at once (a campaign's participants), by NIP; a person
/// without a record up to the year is absent.
pub async fn latest_discipline_of(
    ctx: &AppContext,
    org: OrganisationId,
    nips: &[&str],
    as_of_year: i32,
) -> Result<HashMap<String, YearDiscipline>, ApiError> {
    let mut latest: HashMap<String, YearDiscipline> = HashMap::new();
    for s in repo::of_nips(&ctx.db, org, nips).await? {
        if s.year.value() > as_of_year {
            continue;
        }
        let newer = latest
            .get(&s.nip)
            .is_none_or(|d| d.year.value() < s.year.value());
        if newer {
            latest.insert(
                s.nip,
                YearDiscipline {
                    year: s.year,
                    record: s.record,
                },
            );
        }
    }
    Ok(latest)
}

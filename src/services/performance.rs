//! SKP performance ratings by NIP: HR's yearly import (all or nothing, a dry run first,
//! audited), a person's ratings for staff who read them, and the last two years' ratings the
//! 9-box takes its performance axis from.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::auth::Staff;
use super::yearly_records::{self, one_of, one_of_or_null, plan, ImportOutcome};
use super::{audited, AppContext};
use crate::domain::ids::OrganisationId;
use crate::domain::nip::Nip;
use crate::domain::performance::{parse_ratings, Expectation, Predicate, Rating, YearRating};
use crate::domain::yearly_record::{Year, MIN_YEAR};
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::performance::{self as repo, StoredRating};

/// One year's rating as staff see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RatingView {
    /// The year the rating is for.
    #[schema(example = 2025)]
    pub year: i32,
    /// The SKP predicate (PermenPANRB 6/2022).
    #[schema(schema_with = predicate_schema)]
    pub predicate: Predicate,
    /// Work results against expectation, when imported.
    #[schema(schema_with = expectation_schema)]
    pub work_results: Option<Expectation>,
    /// Work behaviour against expectation, when imported.
    #[schema(schema_with = expectation_schema)]
    pub work_behaviour: Option<Expectation>,
    /// When the rating was last imported.
    pub imported_at: DateTime<Utc>,
}

fn predicate_schema() -> utoipa::openapi::Schema {
    one_of(
        "The SKP predicate (PermenPANRB 6/2022): Sangat Baik, Baik, Butuh Perbaikan, Kurang, \
         Sangat Kurang.",
        Predicate::ALL.map(Predicate::as_str),
    )
}

fn expectation_schema() -> utoipa::openapi::Schema {
    one_of_or_null(
        "Against expectation: di atas (above), sesuai (meets), di bawah (below); null when not \
         imported.",
        Expectation::ALL.map(Expectation::as_str),
    )
}

/// A person's ratings in the caller's organisation.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonRatings {
    /// The NIP asked for, as 18 digits.
    #[schema(example = "198503152010121001")]
    pub nip: String,
    /// Every year's rating, newest first; empty when the organisation has none for the NIP.
    pub ratings: Vec<RatingView>,
}

impl From<StoredRating> for RatingView {
    fn from(s: StoredRating) -> Self {
        Self {
            year: s.year.value(),
            predicate: s.rating.predicate,
            work_results: s.rating.work_results,
            work_behaviour: s.rating.work_behaviour,
            imported_at: s.imported_at,
        }
    }
}

/// Imports the ratings of a CSV file (`nip, year, rating`, optional `work_results,
/// work_behaviour`) into the caller's organisation, all or none: any invalid row refuses the
/// whole file with every problem by row and column (`invalid_performance_ratings`). A rating
/// replaces the organisation's rating of the same NIP and year. With `dry_run` nothing is stored
/// and the reply tells what would change. Audited with the counts, the file's SHA-256 and the
/// ratings replaced.
pub async fn import(
    ctx: &AppContext,
    staff: &Staff,
    file: &[u8],
    dry_run: bool,
) -> Result<ImportOutcome, ApiError> {
    let rows = parse_ratings(file, ctx.clock.today()).map_err(|errors| {
        yearly_records::refused(
            ErrorCode::InvalidPerformanceRatings,
            "performance ratings",
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
    let by_key = |stored: Vec<StoredRating>| -> HashMap<(String, Year), Rating> {
        stored
            .into_iter()
            .map(|s| ((s.nip, s.year), s.rating))
            .collect()
    };
    let plan_of = |stored| plan(&rows, stored, |r| (&r.nip, r.year), |r| &r.rating, "rating");
    if dry_run {
        let stored = by_key(repo::of_nips(&ctx.db, org, &nips).await?);
        let tally = plan_of(&stored).tally;
        return Ok(ImportOutcome::new(true, rows.len(), tally, file));
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    let stored = by_key(repo::of_nips(&txn, org, &nips).await?);
    let plan = plan_of(&stored);
    let write: Vec<(&Nip, Year, Rating)> = plan
        .write
        .iter()
        .map(|r| (&r.nip, r.year, r.rating))
        .collect();
    let now = ctx.clock.now();
    repo::upsert(&txn, org, &write, now, staff.account).await?;
    let outcome = ImportOutcome::new(false, rows.len(), plan.tally, file);
    audited::commit(
        txn,
        AuditRecord {
            organisation: org,
            actor: Some(staff.account),
            action: "performance_ratings.import",
            target_type: "performance_ratings",
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

/// The ratings of the person `nip` names in the caller's organisation, newest first. A missing
/// or malformed NIP is `invalid_query`; a NIP without ratings has an empty list.
pub async fn of_person(
    ctx: &AppContext,
    staff: &Staff,
    nip: Option<&str>,
) -> Result<PersonRatings, ApiError> {
    let nip = yearly_records::person(nip, ctx.clock.today())?;
    let ratings = repo::of_person(&ctx.db, staff.organisation, &nip, MIN_YEAR..=i32::MAX).await?;
    Ok(PersonRatings {
        nip: nip.as_str().to_owned(),
        ratings: ratings.into_iter().map(RatingView::from).collect(),
    })
}

/// The ratings of the two calendar years `as_of_year - 1` and `as_of_year` of a person in an
/// organisation, newest first: two, one or none. A gap is not filled from an older year, so a
/// stale rating never counts as a recent one (the 9-box takes "the last two years").
pub async fn last_two_years(
    ctx: &AppContext,
    org: OrganisationId,
    nip: &Nip,
    as_of_year: i32,
) -> Result<Vec<YearRating>, ApiError> {
    Ok(last_two_years_of(ctx, org, &[nip.as_str()], as_of_year)
        .await?
        .remove(nip.as_str())
        .unwrap_or_default())
}

/// [`last_two_years`] of many people at once (a campaign's participants), by NIP; a person
/// without ratings in the two years is absent.
pub async fn last_two_years_of(
    ctx: &AppContext,
    org: OrganisationId,
    nips: &[&str],
    as_of_year: i32,
) -> Result<HashMap<String, Vec<YearRating>>, ApiError> {
    let years = as_of_year.saturating_sub(1)..=as_of_year;
    let mut by_nip: HashMap<String, Vec<YearRating>> = HashMap::new();
    for s in repo::of_nips(&ctx.db, org, nips).await? {
        if years.contains(&s.year.value()) {
            by_nip.entry(s.nip).or_default().push(YearRating {
                year: s.year,
                rating: s.rating,
            });
        }
    }
    for ratings in by_nip.values_mut() {
        ratings.sort_by_key(|r| std::cmp::Reverse(r.year.value()));
    }
    Ok(by_nip)
}

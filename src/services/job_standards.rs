//! Job competency standards: listed, read, created and edited (each edit a new version), exported
//! and imported as CSV (all or nothing), and looked up for a person by job level and position
//! ([`standard_for`]).
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::auth::Staff;
use super::competencies::current_of;
use super::{audited, AppContext};
use crate::domain::framework::CompetencyKind;
use crate::domain::ids::{JobStandardId, OrganisationId};
use crate::domain::job_standard::{
    choose, merge_levels, parse_levels, parse_standard, parse_standards_csv, position_key,
    standards_csv, JobFamily, JobLevel, JobStandard, LevelsDoc, Position, StandardDoc,
};
use crate::domain::text::Text;
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::job_standards::{self as repo, StandardRecord};

/// A standard (at one version) as shown to staff.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StandardView {
    /// Standard id (shared by its versions).
    pub id: uuid::Uuid,
    /// Job level, as the platform spells it (e.g. `Administrator`, `Ahli Pertama`).
    pub job_level: String,
    /// Structural post or functional grade.
    pub job_family: JobFamily,
    /// The position whose own standard this is; none for the whole job level.
    pub position: Option<String>,
    /// This version's number.
    pub version: u32,
    /// The standard's current version.
    pub current_version: u32,
    /// Required level (1–5) per competency code.
    pub levels: BTreeMap<String, u8>,
    /// The framework version the levels were checked against.
    pub framework_version: u32,
    /// When the standard was created.
    pub created_at: DateTime<Utc>,
    /// When this version was made.
    pub updated_at: DateTime<Utc>,
    /// The account that made this version; none for a seeded standard.
    pub updated_by: Option<uuid::Uuid>,
}

impl From<StandardRecord> for StandardView {
    fn from(r: StandardRecord) -> Self {
        Self {
            id: r.id.as_uuid(),
            job_level: r.standard.job_level().name().to_owned(),
            job_family: r.standard.job_level().family(),
            position: r.standard.position().map(|p| p.as_str().to_owned()),
            version: r.version,
            current_version: r.current_version,
            levels: r.standard.levels().to_numbers(),
            framework_version: r.framework_version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            updated_by: r.updated_by.map(|a| a.as_uuid()),
        }
    }
}

/// A competency as a column of the standards table.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CompetencyColumn {
    /// Code.
    pub code: String,
    /// Kind.
    #[schema(value_type = CompetencyKind)]
    pub kind: String,
    /// Name.
    pub name: Text,
}

/// The standards of an organisation with the framework they refer to.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StandardList {
    /// The current framework version.
    pub framework_version: u32,
    /// The framework's competencies, in its order: the columns of the table and of the CSV file.
    pub competencies: Vec<CompetencyColumn>,
    /// Every standard at its current version, by job level, then position.
    pub standards: Vec<StandardView>,
}

/// What an import did, or would do in a dry run.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StandardsImport {
    /// Whether this was only a check.
    pub dry_run: bool,
    /// Standards created (or that would be).
    pub created: usize,
    /// Standards given a new version (or that would be).
    pub updated: usize,
    /// Standards of the file equal to the stored ones.
    pub unchanged: usize,
    /// Standards of the organisation afterwards (or that there would be).
    pub standards: usize,
}

/// Which version of which standard a lookup found; a result records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardVersion {
    /// The standard.
    pub standard: JobStandardId,
    /// Its version.
    pub version: u32,
}

fn invalid(errors: Vec<FieldError>, what: &str) -> ApiError {
    ApiError::with_errors(
        ErrorCode::InvalidJobStandard,
        format!("{what} has {} problem(s); nothing was stored", errors.len()),
        errors,
    )
}

fn changed_meanwhile() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidStateTransition,
        "the standard was changed meanwhile by someone else; reload it and try again",
    )
}

/// The caller's organisation's standards at their current versions, with the framework's
/// competencies.
pub async fn list(ctx: &AppContext, staff: &Staff) -> Result<StandardList, ApiError> {
    let fw = current_of(&ctx.db, staff.organisation).await?;
    let standards = repo::list(&ctx.db, staff.organisation).await?;
    Ok(StandardList {
        framework_version: fw.version,
        competencies: fw
            .framework
            .doc()
            .competencies
            .iter()
            .map(|c| CompetencyColumn {
                code: c.code.clone(),
                kind: c.kind.clone(),
                name: c.name.clone(),
            })
            .collect(),
        standards: standards.into_iter().map(StandardView::from).collect(),
    })
}

/// The caller's organisation's standards as the CSV file [`import`] reads.
pub async fn export_csv(ctx: &AppContext, staff: &Staff) -> Result<Vec<u8>, ApiError> {
    let fw = current_of(&ctx.db, staff.organisation).await?;
    let standards = repo::list(&ctx.db, staff.organisation).await?;
    standards_csv(&fw.framework, standards.iter().map(|r| &r.standard)).map_err(ApiError::internal)
}

/// One standard of the caller's organisation, at its current version or at `version`.
pub async fn get(
    ctx: &AppContext,
    staff: &Staff,
    id: JobStandardId,
    version: Option<u32>,
) -> Result<StandardView, ApiError> {
    repo::find(&ctx.db, staff.organisation, id, version)
        .await?
        .map(StandardView::from)
        .ok_or_else(|| {
            ApiError::not_found(if version.is_some() {
                "job standard version"
            } else {
                "job standard"
            })
        })
}

/// The audit form of a standard's identity and levels.
fn audit_state(standard: &JobStandard, version: u32) -> serde_json::Value {
    serde_json::json!({
        "job_level": standard.job_level().name(),
        "position": standard.position().map(Position::as_str),
        "version": version,
        "levels": standard.levels().to_numbers(),
    })
}

/// Creates a standard (its version 1). Audited.
pub async fn create(
    ctx: &AppContext,
    staff: &Staff,
    doc: StandardDoc,
) -> Result<StandardView, ApiError> {
    let org = staff.organisation;
    let txn = crate::store::begin_write(&ctx.db).await?;
    let fw = current_of(&txn, org).await?;
    let standard =
        parse_standard(&doc, &fw.framework).map_err(|e| invalid(e, "the job standard"))?;
    let id = JobStandardId::new();
    let now = ctx.clock.now();
    audited::unless_taken(
        repo::insert(
            &txn,
            org,
            id,
            &standard,
            fw.version,
            now,
            Some(staff.account),
        )
        .await,
        || {
            ApiError::new(
                ErrorCode::JobStandardExists,
                match standard.position() {
                    None => format!(
                        "there is already a standard for the whole job level {}: edit it instead",
                        standard.job_level()
                    ),
                    Some(p) => format!(
                        "there is already a standard for {} / {}: edit it instead",
                        standard.job_level(),
                        p.as_str()
                    ),
                },
            )
        },
    )?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: org,
            actor: Some(staff.account),
            action: "job_standard.create",
            target_type: "job_standard",
            target_id: id.to_string(),
            before: None,
            after: Some(audit_state(&standard, 1)),
            reason: None,
            at: now,
        },
    )
    .await?;
    get(ctx, staff, id, None).await
}

/// Gives a standard new required levels: its next version (levels equal to the current ones
/// change nothing). Audited with the levels before and after.
pub async fn edit(
    ctx: &AppContext,
    staff: &Staff,
    id: JobStandardId,
    doc: LevelsDoc,
) -> Result<StandardView, ApiError> {
    let org = staff.organisation;
    let txn = crate::store::begin_write(&ctx.db).await?;
    let current = repo::find(&txn, org, id, None)
        .await?
        .ok_or_else(|| ApiError::not_found("job standard"))?;
    let fw = current_of(&txn, org).await?;
    let levels =
        parse_levels(&doc.levels, &fw.framework).map_err(|e| invalid(e, "the job standard"))?;
    if &levels == current.standard.levels() {
        return Ok(current.into());
    }
    let now = ctx.clock.now();
    let moved = audited::unless_taken(
        repo::add_version(
            &txn,
            org,
            id,
            current.version,
            &levels,
            fw.version,
            now,
            Some(staff.account),
        )
        .await,
        changed_meanwhile,
    )?;
    if !moved {
        return Err(changed_meanwhile());
    }
    let after = JobStandard::new(
        current.standard.job_level(),
        current.standard.position().cloned(),
        levels,
    );
    audited::commit(
        txn,
        AuditRecord {
            organisation: org,
            actor: Some(staff.account),
            action: "job_standard.update",
            target_type: "job_standard",
            target_id: id.to_string(),
            before: Some(audit_state(&current.standard, current.version)),
            after: Some(audit_state(&after, current.version + 1)),
            reason: None,
            at: now,
        },
    )
    .await?;
    get(ctx, staff, id, None).await
}

/// Creates and updates standards from a CSV file (see [`parse_standards_csv`]), all or none: a
/// file with any problem is refused whole, every problem named by row and column. A row equal
/// to the stored standard changes nothing; competencies the file has no column for keep their
/// stored levels ([`merge_levels`]); standards the file does not name stay as they are.
/// With `dry_run` nothing is stored. Audited, with every standard's levels before and after.
pub async fn import(
    ctx: &AppContext,
    staff: &Staff,
    file: &[u8],
    dry_run: bool,
) -> Result<StandardsImport, ApiError> {
    let org = staff.organisation;
    let txn = crate::store::begin_write(&ctx.db).await?;
    let fw = current_of(&txn, org).await?;
    let parsed = parse_standards_csv(file, &fw.framework)
        .map_err(|e| invalid(e, "the job standards file"))?;
    let stored = repo::list(&txn, org).await?;
    let by_key: HashMap<(JobLevel, String), &StandardRecord> =
        stored.iter().map(|r| (r.standard.key(), r)).collect();
    let mut created = Vec::new();
    let mut updated = Vec::new();
    let mut unchanged = 0;
    for row in parsed.rows {
        match by_key.get(&row.standard.key()) {
            None => created.push(row.standard),
            Some(r) => {
                let levels =
                    merge_levels(r.standard.levels(), &parsed.columns, row.standard.levels());
                if &levels == r.standard.levels() {
                    unchanged += 1;
                } else {
                    let new = JobStandard::new(
                        r.standard.job_level(),
                        r.standard.position().cloned(),
                        levels,
                    );
                    updated.push((*r, new));
                }
            }
        }
    }
    let outcome = StandardsImport {
        dry_run,
        created: created.len(),
        updated: updated.len(),
        unchanged,
        standards: stored.len() + created.len(),
    };
    if dry_run || (created.is_empty() && updated.is_empty()) {
        return Ok(outcome);
    }
    let now = ctx.clock.now();
    let by = Some(staff.account);
    let mut audit_created = Vec::with_capacity(created.len());
    for standard in &created {
        let id = JobStandardId::new();
        audited::unless_taken(
            repo::insert(&txn, org, id, standard, fw.version, now, by).await,
            changed_meanwhile,
        )?;
        let mut state = audit_state(standard, 1);
        state["id"] = serde_json::json!(id);
        audit_created.push(state);
    }
    let mut audit_before = Vec::with_capacity(updated.len());
    let mut audit_after = Vec::with_capacity(updated.len());
    for (old, new) in &updated {
        let moved = audited::unless_taken(
            repo::add_version(
                &txn,
                org,
                old.id,
                old.version,
                new.levels(),
                fw.version,
                now,
                by,
            )
            .await,
            changed_meanwhile,
        )?;
        if !moved {
            return Err(changed_meanwhile());
        }
        let mut before = audit_state(&old.standard, old.version);
        before["id"] = serde_json::json!(old.id);
        let mut after = audit_state(new, old.version + 1);
        after["id"] = serde_json::json!(old.id);
        audit_before.push(before);
        audit_after.push(after);
    }
    audited::commit(
        txn,
        AuditRecord {
            organisation: org,
            actor: by,
            action: "job_standards.import",
            target_type: "job_standards",
            target_id: org.to_string(),
            before: Some(serde_json::json!({"updated": audit_before})),
            after: Some(serde_json::json!({
                "created": audit_created,
                "updated": audit_after,
                "unchanged": unchanged,
            })),
            reason: None,
            at: now,
        },
    )
    .await?;
    Ok(outcome)
}

/// The standard that applies to someone of `job_level` (matched whatever its case and spacing)
/// holding `position`: that position's own standard, else the job level's, with the version
/// found. `None` when the job level is unknown or the organisation has no standard for it:
/// a clear "no standard", never a silent default.
pub async fn standard_for(
    ctx: &AppContext,
    org: OrganisationId,
    job_level: &str,
    position: Option<&str>,
) -> Result<Option<(JobStandard, StandardVersion)>, ApiError> {
    standard_as_of(ctx, org, job_level, position, None).await
}

/// [`standard_for`] as the standards stood at `at` (each at the newest version written by then;
/// a standard created later does not exist yet), or as they are now without `at`.
pub async fn standard_as_of(
    ctx: &AppContext,
    org: OrganisationId,
    job_level: &str,
    position: Option<&str>,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Option<(JobStandard, StandardVersion)>, ApiError> {
    let Ok(level) = JobLevel::parse(job_level) else {
        return Ok(None);
    };
    let records = match at {
        Some(at) => repo::list_at(&ctx.db, org, at).await?,
        None => repo::list(&ctx.db, org).await?,
    };
    let candidates = records
        .into_iter()
        .filter(|r| r.standard.job_level() == level)
        .map(|r| (position_key(r.standard.position()), r));
    Ok(choose(position, candidates).map(|r| {
        (
            r.standard,
            StandardVersion {
                standard: r.id,
                version: r.version,
            },
        )
    }))
}

//! The competency framework of an organisation: seeded with the nine managerial and
//! socio-cultural competencies of PermenPANRB 38/2017 (and default job standards) when the
//! organisation is created, read by staff, and replaced by a whole new document, which makes a
//! new version; earlier versions stay readable.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::Serialize;

use super::auth::Staff;
use super::{audited, AppContext};
use crate::domain::framework::{
    parse_framework, CompetencyDoc, CompetencyKind, Framework, FrameworkDoc, FrameworkRules,
    ProficiencyLevel,
};
use crate::domain::ids::{JobStandardId, OrganisationId};
use crate::domain::job_standard::{JobLevel, JobStandard, RequiredLevels};
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::competencies::{self as repo, FrameworkVersion};
use crate::store::job_standards;

/// The seeded framework: nine competencies, levels 1–5 with descriptions and indicators written
/// for this project (original wording, not the regulation's), in Indonesian and English.
pub const SEED: &str = include_str!("../seed/competency/framework.json");

/// The required level on every seeded competency by job level, seeded as each organisation's
/// job-level standards. Working defaults from secondary sources (DOMAIN.md), **unverified**: an
/// organisation edits its standards to its own regulation; these are data once seeded.
const SEEDED_STANDARD_LEVELS: [(JobLevel, u8); 14] = [
    (JobLevel::JptUtama, 5),
    (JobLevel::JptMadya, 5),
    (JobLevel::JptPratama, 4),
    (JobLevel::Administrator, 3),
    (JobLevel::Pengawas, 2),
    (JobLevel::Pelaksana, 1),
    // Functional grades (unverified defaults, one level per grade).
    (JobLevel::AhliUtama, 4),
    (JobLevel::AhliMadya, 3),
    (JobLevel::AhliMuda, 2),
    (JobLevel::AhliPertama, 2),
    (JobLevel::Penyelia, 2),
    (JobLevel::Mahir, 1),
    (JobLevel::Terampil, 1),
    (JobLevel::Pemula, 1),
];

/// One version of the framework as shown to staff.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FrameworkView {
    /// The version number, from 1 (the seeded framework).
    pub version: u32,
    /// When this version was made.
    pub created_at: DateTime<Utc>,
    /// The account that made it; none for the seeded version.
    pub created_by: Option<uuid::Uuid>,
    /// The competencies in order, each with levels 1–5.
    pub competencies: Vec<CompetencyDoc>,
}

impl From<FrameworkVersion> for FrameworkView {
    fn from(v: FrameworkVersion) -> Self {
        Self {
            version: v.version,
            created_at: v.created_at,
            created_by: v.created_by.map(|a| a.as_uuid()),
            competencies: v.framework.doc().competencies.clone(),
        }
    }
}

/// One version in the framework's history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FrameworkVersionInfo {
    /// The version number.
    pub version: u32,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The account that made it; none for the seeded version.
    pub created_by: Option<uuid::Uuid>,
}

/// The seeded framework, parsed.
pub fn seeded_framework() -> Result<Framework, ApiError> {
    let doc: FrameworkDoc = serde_json::from_str(SEED)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("seeded competency framework: {e}")))?;
    parse_framework(doc, &FrameworkRules::default())
        .map_err(|e| ApiError::internal(anyhow::anyhow!("seeded competency framework: {e:?}")))
}

/// The competencies every version must keep: the seeded managerial and socio-cultural ones,
/// with their kinds (they may be reworded, not removed).
fn protected(seed: &Framework) -> BTreeMap<String, CompetencyKind> {
    seed.doc()
        .competencies
        .iter()
        .filter_map(|c| {
            let kind = CompetencyKind::parse(&c.kind).ok()?;
            (kind != CompetencyKind::Technical).then(|| (c.code.clone(), kind))
        })
        .collect()
}

/// The seeded job-level standards: every seeded managerial and socio-cultural competency at the
/// job level's default.
fn seeded_standards(framework: &Framework) -> Result<Vec<JobStandard>, ApiError> {
    let codes: Vec<String> = protected(framework).into_keys().collect();
    SEEDED_STANDARD_LEVELS
        .into_iter()
        .map(|(job_level, level)| {
            let level = ProficiencyLevel::parse(i64::from(level)).map_err(|m| {
                ApiError::internal(anyhow::anyhow!("seeded standard of {job_level}: {m}"))
            })?;
            let levels =
                RequiredLevels::from_stored(codes.iter().map(|c| (c.clone(), level)).collect());
            Ok(JobStandard::new(job_level, None, levels))
        })
        .collect()
}

async fn write_seed(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    now: DateTime<Utc>,
    framework: &Framework,
    standards: &[JobStandard],
) -> Result<(), sea_orm::DbErr> {
    repo::insert(db, org, 1, framework, now, None).await?;
    for standard in standards {
        job_standards::insert(db, org, JobStandardId::new(), standard, 1, now, None).await?;
    }
    Ok(())
}

/// Writes the seeded framework (version 1) and the default job-level standards of a new
/// organisation, in the caller's transaction.
pub async fn seed_in(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let framework = seeded_framework()?;
    let standards = seeded_standards(&framework)?;
    Ok(write_seed(db, org, now, &framework, &standards).await?)
}

/// Seeds every organisation that has no framework yet (one created before frameworks existed);
/// returns how many. Nodes starting at once may race: the one that loses finds it seeded.
pub async fn seed_missing(ctx: &AppContext) -> Result<usize, ApiError> {
    let missing = repo::organisations_without(&ctx.db).await?;
    if missing.is_empty() {
        return Ok(0);
    }
    let framework = seeded_framework()?;
    let standards = seeded_standards(&framework)?;
    let mut seeded = 0;
    for org in missing {
        let txn = crate::store::begin_write(&ctx.db).await?;
        if repo::latest(&txn, org).await?.is_some() {
            continue;
        }
        match write_seed(&txn, org, ctx.clock.now(), &framework, &standards).await {
            Ok(()) => {
                txn.commit().await?;
                seeded += 1;
            }
            Err(e) if crate::store::is_unique_violation(&e) => {
                tracing::info!(%org, "another node seeded the organisation's framework");
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(seeded)
}

/// The organisation's current framework and its version.
pub(crate) async fn current_of(
    db: &impl ConnectionTrait,
    org: OrganisationId,
) -> Result<FrameworkVersion, ApiError> {
    repo::latest(db, org)
        .await?
        .ok_or_else(|| ApiError::not_found("competency framework"))
}

/// The caller's organisation's current framework.
pub async fn current(ctx: &AppContext, staff: &Staff) -> Result<FrameworkView, ApiError> {
    Ok(current_of(&ctx.db, staff.organisation).await?.into())
}

/// One version of the caller's organisation's framework.
pub async fn version(
    ctx: &AppContext,
    staff: &Staff,
    version: u32,
) -> Result<FrameworkView, ApiError> {
    repo::version(&ctx.db, staff.organisation, version)
        .await?
        .map(FrameworkView::from)
        .ok_or_else(|| ApiError::not_found("framework version"))
}

/// Every version of the caller's organisation's framework, oldest first.
pub async fn history(
    ctx: &AppContext,
    staff: &Staff,
) -> Result<Vec<FrameworkVersionInfo>, ApiError> {
    Ok(repo::history(&ctx.db, staff.organisation)
        .await?
        .into_iter()
        .map(|v| FrameworkVersionInfo {
            version: v.version,
            created_at: v.created_at,
            created_by: v.created_by.map(|a| a.as_uuid()),
        })
        .collect())
}

/// Replaces the framework with a whole new document, which becomes the next version (a document
/// equal to the current one changes nothing). Refused whole, with every problem named, when it is
/// invalid, drops or retypes a seeded managerial or socio-cultural competency, or drops one a job
/// standard requires. Audited with the versions and codes before and after.
pub async fn replace(
    ctx: &AppContext,
    staff: &Staff,
    doc: FrameworkDoc,
) -> Result<FrameworkView, ApiError> {
    let org = staff.organisation;
    let txn = crate::store::begin_write(&ctx.db).await?;
    let current = current_of(&txn, org).await?;
    let mut in_use: BTreeMap<String, usize> = BTreeMap::new();
    for s in job_standards::list(&txn, org).await? {
        for code in s.standard.levels().codes() {
            *in_use.entry(code.to_owned()).or_default() += 1;
        }
    }
    let rules = FrameworkRules {
        protected: protected(&seeded_framework()?),
        in_use,
    };
    let framework = parse_framework(doc, &rules).map_err(|errors| {
        ApiError::with_errors(
            ErrorCode::InvalidCompetencyFramework,
            format!(
                "the competency framework has {} problem(s); no new version was made",
                errors.len()
            ),
            errors,
        )
    })?;
    if framework == current.framework {
        return Ok(current.into());
    }
    let next = current.version + 1;
    let now = ctx.clock.now();
    audited::unless_taken(
        repo::insert(&txn, org, next, &framework, now, Some(staff.account)).await,
        || {
            ApiError::new(
                ErrorCode::InvalidStateTransition,
                "the framework was changed meanwhile by someone else; reload it and try again",
            )
        },
    )?;
    let codes = |f: &Framework| f.codes().map(str::to_owned).collect::<Vec<_>>();
    audited::commit(
        txn,
        AuditRecord {
            organisation: org,
            actor: Some(staff.account),
            action: "competency_framework.update",
            target_type: "competency_framework",
            target_id: org.to_string(),
            before: Some(serde_json::json!({
                "version": current.version,
                "codes": codes(&current.framework),
            })),
            after: Some(serde_json::json!({"version": next, "codes": codes(&framework)})),
            reason: None,
            at: now,
        },
    )
    .await?;
    // As stored (the database keeps its own precision of the time).
    version(ctx, staff, next).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeded_framework_has_the_nine_competencies_each_with_five_levels_of_two_to_four_indicators(
    ) {
        let fw = seeded_framework().unwrap();
        assert_eq!(
            fw.codes().collect::<Vec<_>>(),
            ["INT", "KS", "KOM", "OPH", "PP", "PDOL", "MP", "PK", "PB"]
        );
        assert_eq!(fw.codes_of(CompetencyKind::SocioCultural), ["PB"]);
        assert_eq!(protected(&fw).len(), 9);
        for c in &fw.doc().competencies {
            assert!(
                c.name.en.is_some() && c.definition.en.is_some(),
                "{}",
                c.code
            );
            for l in &c.levels {
                assert!(
                    (2..=4).contains(&l.indicators.len()),
                    "{} level {}",
                    c.code,
                    l.level
                );
                assert!(l.description.en.is_some());
                assert!(l.indicators.iter().all(|i| i.en.is_some()));
            }
        }
    }

    #[test]
    fn every_job_level_has_a_seeded_default_and_structural_levels_fall_from_five_to_one() {
        let levels: Vec<JobLevel> = SEEDED_STANDARD_LEVELS.iter().map(|(l, _)| *l).collect();
        assert_eq!(levels, JobLevel::ALL);
        let structural: Vec<u8> = SEEDED_STANDARD_LEVELS[..6]
            .iter()
            .map(|(_, n)| *n)
            .collect();
        assert_eq!(structural, [5, 5, 4, 3, 2, 1]);
    }
}

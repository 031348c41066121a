//! The assessor's workspace: their own assignments only; for each, the competencies the exercise
//! evidences with the framework's level descriptions and indicators, their sheet (autosaved as a
//! draft, locked when submitted) and, **only once both have submitted**, the other assessors'
//! ratings of the same participant. Another assessor's assignment answers 404.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::assignments::{views_of, AssignmentView};
use super::{exercises_of, sheet_of, status_of, AssessorRef};
use crate::domain::assessment::rating::{DraftRating, RatingSheet, SheetStatus};
use crate::domain::framework::LevelDoc;
use crate::domain::ids::{AssignmentId, CampaignId};
use crate::domain::text::Text;
use crate::error::{ApiError, ErrorCode};
use crate::services::auth::Staff;
use crate::services::{audited, competencies, AppContext};
use crate::store::assessor_assignments as repo;
use crate::store::audit::AuditRecord;
use crate::store::entities::assessor_assignment;

/// The caller's assignments.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyAssignments {
    /// Oldest first.
    pub assignments: Vec<MyAssignment>,
}

/// One of the caller's assignments, with the names the list shows.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyAssignment {
    /// The assignment (the caller's own drafts included).
    #[serde(flatten)]
    pub assignment: AssignmentView,
    /// The exercise's name.
    pub exercise_name: String,
    /// The campaign's name.
    pub campaign_name: String,
}

/// The caller's assignments, optionally of one campaign.
pub async fn mine(
    ctx: &AppContext,
    staff: &Staff,
    campaign: Option<CampaignId>,
) -> Result<MyAssignments, ApiError> {
    let rows = repo::of_assessor(&ctx.db, staff.organisation, staff.account, campaign).await?;
    let views = views_of(ctx, staff, &rows, true).await?;
    let mut names: BTreeMap<uuid::Uuid, (String, BTreeMap<String, String>)> = BTreeMap::new();
    for v in &views {
        if let std::collections::btree_map::Entry::Vacant(e) = names.entry(v.campaign) {
            let id = CampaignId::from(v.campaign);
            let name = crate::store::campaigns::find(&ctx.db, staff.organisation, id)
                .await?
                .map(|c| c.campaign.name)
                .unwrap_or_default();
            let exercises = exercises_of(&ctx.db, staff.organisation, id)
                .await?
                .into_iter()
                .map(|e| (e.code, e.name))
                .collect();
            e.insert((name, exercises));
        }
    }
    Ok(MyAssignments {
        assignments: views
            .into_iter()
            .map(|v| {
                let (campaign_name, exercises) = &names[&v.campaign];
                MyAssignment {
                    exercise_name: exercises.get(&v.exercise).cloned().unwrap_or_default(),
                    campaign_name: campaign_name.clone(),
                    assignment: v,
                }
            })
            .collect(),
    })
}

/// A competency as the assessor rates it: what it is and what each level looks like.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CompetencyGuide {
    /// Code.
    pub code: String,
    /// Name.
    pub name: Text,
    /// Definition.
    pub definition: Text,
    /// Levels 1–5 with descriptions and indicators.
    pub levels: Vec<LevelDoc>,
}

/// Another assessor's sheet of the same participant.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OtherSheet {
    /// The assessor.
    pub assessor: AssessorRef,
    /// The exercise.
    pub exercise: String,
    /// Their sheet's status.
    pub status: SheetStatus,
    /// Their ratings: shown only when both sheets are submitted, otherwise `null`.
    #[schema(value_type = Option<BTreeMap<String, DraftRating>>)]
    pub ratings: Option<BTreeMap<String, DraftRating>>,
}

/// One assignment as its assessor works on it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Workspace {
    /// The assignment with the caller's own sheet.
    pub assignment: AssignmentView,
    /// The exercise's name.
    pub exercise_name: String,
    /// The competencies to rate, in the exercise's order.
    pub competencies: Vec<CompetencyGuide>,
    /// The other assessors of this participant (any exercise); their ratings appear once both
    /// sheets are submitted (ratings are independent until then).
    pub others: Vec<OtherSheet>,
}

/// The caller's own assignment, or 404.
async fn own(
    ctx: &AppContext,
    staff: &Staff,
    id: AssignmentId,
) -> Result<assessor_assignment::Model, ApiError> {
    repo::find(&ctx.db, staff.organisation, id)
        .await?
        .filter(|r| r.assessor_id == staff.account.as_uuid())
        .ok_or_else(|| ApiError::not_found("assignment"))
}

/// The competencies an assignment's exercise evidences.
async fn competencies_of(
    ctx: &AppContext,
    staff: &Staff,
    row: &assessor_assignment::Model,
) -> Result<(String, Vec<String>), ApiError> {
    exercises_of(
        &ctx.db,
        staff.organisation,
        CampaignId::from(row.campaign_id),
    )
    .await?
    .into_iter()
    .find(|e| e.code == row.exercise)
    .map(|e| (e.name, e.competencies))
    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("assignment of a removed exercise")))
}

/// The workspace of one of the caller's assignments.
pub async fn open(
    ctx: &AppContext,
    staff: &Staff,
    id: AssignmentId,
) -> Result<Workspace, ApiError> {
    let row = own(ctx, staff, id).await?;
    workspace_of(ctx, staff, row).await
}

async fn workspace_of(
    ctx: &AppContext,
    staff: &Staff,
    row: assessor_assignment::Model,
) -> Result<Workspace, ApiError> {
    let (exercise_name, codes) = competencies_of(ctx, staff, &row).await?;
    let framework = competencies::current_of(&ctx.db, staff.organisation).await?;
    let competencies = codes
        .iter()
        .filter_map(|code| {
            framework
                .framework
                .doc()
                .competencies
                .iter()
                .find(|c| &c.code == code)
        })
        .map(|c| CompetencyGuide {
            code: c.code.clone(),
            name: c.name.clone(),
            definition: c.definition.clone(),
            levels: c.levels.clone(),
        })
        .collect();
    let mine_submitted = status_of(&row)? == SheetStatus::Submitted;
    let siblings: Vec<assessor_assignment::Model> =
        repo::of_participant(&ctx.db, staff.organisation, row.participant_id.into())
            .await?
            .into_iter()
            .filter(|r| r.id != row.id && r.assessor_id != row.assessor_id)
            .collect();
    let sibling_views = views_of(ctx, staff, &siblings, false).await?;
    let others = siblings
        .iter()
        .zip(sibling_views)
        .map(|(r, v)| {
            let theirs_submitted = status_of(r)? == SheetStatus::Submitted;
            Ok(OtherSheet {
                assessor: v.assessor,
                exercise: r.exercise.clone(),
                status: v.status,
                ratings: if mine_submitted && theirs_submitted {
                    Some(sheet_of(r)?)
                } else {
                    None
                },
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let assignment = views_of(ctx, staff, std::slice::from_ref(&row), true)
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("assignment"))?;
    Ok(Workspace {
        assignment,
        exercise_name,
        competencies,
        others,
    })
}

/// A draft save.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveDraft {
    /// The whole sheet so far, by competency code; a competency left out is not rated yet.
    #[schema(value_type = BTreeMap<String, DraftRating>)]
    pub ratings: BTreeMap<String, DraftRating>,
    /// The revision this save is based on (from the last read or save); when given and the sheet
    /// has moved on, the save is refused with `stale_revision`.
    #[serde(default)]
    pub revision: Option<i32>,
}

fn locked() -> ApiError {
    ApiError::new(
        ErrorCode::RatingLocked,
        "this sheet was submitted and is locked; HR can unlock it with a reason",
    )
}

fn stale(current: i32) -> ApiError {
    ApiError::new(
        ErrorCode::StaleRevision,
        format!("the sheet is at revision {current}: reload it and save again"),
    )
}

/// Saves the caller's draft sheet: levels 1–5 and evidence of the exercise's competencies, any of
/// them still empty. A submitted sheet is locked.
pub async fn save(
    ctx: &AppContext,
    staff: &Staff,
    id: AssignmentId,
    request: SaveDraft,
) -> Result<Workspace, ApiError> {
    let row = own(ctx, staff, id).await?;
    let (_, codes) = competencies_of(ctx, staff, &row).await?;
    let sheet = RatingSheet::parse_draft(request.ratings, &codes).map_err(|errs| {
        ApiError::with_errors(
            ErrorCode::InvalidRating,
            "the ratings are not valid; nothing was saved",
            errs,
        )
    })?;
    if status_of(&row)? == SheetStatus::Submitted {
        return Err(locked());
    }
    let base = request.revision.unwrap_or(row.revision);
    if base != row.revision {
        return Err(stale(row.revision));
    }
    let json = serde_json::to_string(&sheet).map_err(ApiError::internal)?;
    if !repo::save_draft(&ctx.db, id, base, json, ctx.clock.now()).await? {
        // Someone saved or submitted in between.
        let now = own(ctx, staff, id).await?;
        return Err(if now.status == SheetStatus::Submitted.as_str() {
            locked()
        } else {
            stale(now.revision)
        });
    }
    open(ctx, staff, id).await
}

/// A submission.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submit {
    /// The revision the assessor last saw; when given and the sheet has moved on, the submission
    /// is refused with `stale_revision`.
    #[serde(default)]
    pub revision: Option<i32>,
}

/// Submits the caller's sheet: every competency of the exercise needs a level and evidence (else
/// `invalid_rating`, naming each gap); the sheet is then locked.
pub async fn submit(
    ctx: &AppContext,
    staff: &Staff,
    id: AssignmentId,
    request: Submit,
) -> Result<Workspace, ApiError> {
    let row = own(ctx, staff, id).await?;
    if status_of(&row)? == SheetStatus::Submitted {
        return Err(locked());
    }
    let base = request.revision.unwrap_or(row.revision);
    if base != row.revision {
        return Err(stale(row.revision));
    }
    let (_, codes) = competencies_of(ctx, staff, &row).await?;
    let sheet: RatingSheet = serde_json::from_str(&row.ratings).map_err(ApiError::internal)?;
    let submitted = sheet.submit(&codes).map_err(|errs| {
        ApiError::with_errors(
            ErrorCode::InvalidRating,
            "every competency needs a level and the behaviour observed before submitting; \
             nothing was submitted",
            errs,
        )
    })?;
    let now = ctx.clock.now();
    let txn = crate::store::begin_write(&ctx.db).await?;
    if !repo::submit(&txn, id, base, now).await? {
        drop(txn);
        let now = own(ctx, staff, id).await?;
        return Err(if now.status == SheetStatus::Submitted.as_str() {
            locked()
        } else {
            stale(now.revision)
        });
    }
    // A submitted sheet feeds agreement and integration: who submitted what is kept.
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "assessor_rating.submit",
            target_type: "assessor_assignment",
            target_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({"participant": row.participant_id,
                "exercise": row.exercise, "ratings": submitted})),
            reason: None,
            at: now,
        },
    )
    .await?;
    open(ctx, staff, id).await
}

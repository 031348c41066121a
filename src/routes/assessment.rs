//! The assessment centre as HR and the panel use it: a campaign's exercises, assessor
//! assignments (a list or a rule), unlocking a submitted sheet, and the panel's integration of a
//! participant's ratings.
use actix_web::{web, HttpResponse};

use super::extract::{AssessmentReaders, Authorized, ContentManagers, PanelReaders};
use super::Routes;
use crate::domain::ids::{AssignmentId, CampaignId, ParticipantId};
use crate::error::{ApiError, ErrorBody};
use crate::services::assessment::agreement::{self, Agreement};
use crate::services::assessment::assignments::{
    self, AddAssignments, AssignByRule, AssignResult, AssignmentList, AssignmentView, UnlockRequest,
};
use crate::services::assessment::exercises::{self, ExercisesDoc};
use crate::services::assessment::integration::{self, Integration, RecordLevels};
use crate::services::AppContext;

/// The assessment-centre endpoints of HR and the panel.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/campaigns/{id}/exercises", |r| {
            r.get(list_exercises).put(replace_exercises)
        })
        .resource("/campaigns/{id}/assessor-assignments", |r| {
            r.get(list_assignments).post(add_assignments)
        })
        .resource("/campaigns/{id}/assessor-assignments/import", |r| {
            r.post(import_assignments)
        })
        .resource("/campaigns/{id}/assessor-assignments/by-rule", |r| {
            r.post(assign_by_rule)
        })
        .resource("/campaigns/{id}/assessor-assignments/{assignment}", |r| {
            r.delete(remove_assignment)
        })
        .resource(
            "/campaigns/{id}/assessor-assignments/{assignment}/unlock",
            |r| r.post(unlock_sheet),
        )
        .resource(
            "/campaigns/{id}/participants/{participant}/integration",
            |r| r.get(read_integration).put(record_integration),
        )
        .resource("/campaigns/{id}/agreement", |r| r.get(agreement));
}

/// A campaign's exercises and the competencies each evidences (admin, hr, assessor,
/// psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/exercises", tag = "assessment centre", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    responses((status = 200, body = ExercisesDoc),
        (status = 403, description = "forbidden: a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_exercises(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    id: web::Path<CampaignId>,
) -> Result<web::Json<ExercisesDoc>, ApiError> {
    Ok(web::Json(
        exercises::list(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// Replaces a campaign's exercises (admin, hr; audited). The whole list is checked: codes unique
/// (a–z 0–9 _ -), names present, competencies from the framework, each once.
#[utoipa::path(put, path = "/api/v1/campaigns/{id}/exercises", tag = "assessment centre", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    request_body = ExercisesDoc,
    responses((status = 200, body = ExercisesDoc),
        (status = 404, body = ErrorBody),
        (status = 409, description = "exercise_in_use: an exercise with assignments was left out", body = ErrorBody),
        (status = 422, description = "invalid_exercises: every problem with its field", body = ErrorBody)))]
pub async fn replace_exercises(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
    body: web::Json<ExercisesDoc>,
) -> Result<web::Json<ExercisesDoc>, ApiError> {
    Ok(web::Json(
        exercises::replace(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Every assessor assignment of a campaign with its status; a sheet's ratings once submitted
/// (admin, hr).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/assessor-assignments", tag = "assessment centre", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    responses((status = 200, body = AssignmentList), (status = 404, body = ErrorBody)))]
pub async fn list_assignments(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
) -> Result<web::Json<AssignmentList>, ApiError> {
    Ok(web::Json(
        assignments::list(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// Assigns assessors to participants per exercise, all or none (admin, hr; audited). Each pair
/// names a participant of the campaign, one of its exercises and an enabled assessor; an assessor
/// of the participant's own unit is refused unless `allow_same_unit`.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/assessor-assignments", tag = "assessment centre", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    request_body = AddAssignments,
    responses((status = 201, body = AssignResult),
        (status = 404, body = ErrorBody),
        (status = 422, description = "invalid_assignment: every problem with its field", body = ErrorBody)))]
pub async fn add_assignments(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
    body: web::Json<AddAssignments>,
) -> Result<HttpResponse, ApiError> {
    let done = assignments::add(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(done))
}

/// Assigns by rule: `per_participant` assessors for every participant in each exercise, the load
/// balanced, nobody of the participant's own unit (unless `exclude_same_unit` is false); all or
/// none, or only counted with `dry_run` (admin, hr; audited).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/assessor-assignments/by-rule", tag = "assessment centre", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    request_body = AssignByRule,
    responses((status = 200, body = AssignResult),
        (status = 404, body = ErrorBody),
        (status = 422, description = "invalid_assignment: a bad exercise or assessor, or participants without enough eligible assessors, each named", body = ErrorBody)))]
pub async fn assign_by_rule(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
    body: web::Json<AssignByRule>,
) -> Result<web::Json<AssignResult>, ApiError> {
    Ok(web::Json(
        assignments::by_rule(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Removes an assignment whose sheet is not submitted (admin, hr; audited).
#[utoipa::path(delete, path = "/api/v1/campaigns/{id}/assessor-assignments/{assignment}", tag = "assessment centre", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("assignment" = uuid::Uuid, Path, description = "assignment id")),
    responses((status = 204, description = "removed"),
        (status = 404, body = ErrorBody),
        (status = 409, description = "assignment_rated: its sheet was submitted", body = ErrorBody)))]
pub async fn remove_assignment(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    path: web::Path<(CampaignId, AssignmentId)>,
) -> Result<HttpResponse, ApiError> {
    let (campaign, assignment) = path.into_inner();
    assignments::remove(&ctx, &who.staff, campaign, assignment).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Unlocks a submitted sheet so its assessor can correct it (admin, hr; a reason; audited with
/// the ratings as they were).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/assessor-assignments/{assignment}/unlock", tag = "assessment centre", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("assignment" = uuid::Uuid, Path, description = "assignment id")),
    request_body = UnlockRequest,
    responses((status = 200, body = AssignmentView),
        (status = 404, body = ErrorBody),
        (status = 409, description = "invalid_state_transition: the sheet is not submitted", body = ErrorBody),
        (status = 422, description = "invalid_input: no reason", body = ErrorBody)))]
pub async fn unlock_sheet(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    path: web::Path<(CampaignId, AssignmentId)>,
    body: web::Json<UnlockRequest>,
) -> Result<web::Json<AssignmentView>, ApiError> {
    let (campaign, assignment) = path.into_inner();
    Ok(web::Json(
        assignments::unlock(&ctx, &who.staff, campaign, assignment, body.into_inner()).await?,
    ))
}

/// A participant's submitted ratings per competency with their mean, the sheets still pending and
/// the levels recorded (admin, hr, psychologist; an assessor who leads this participant's panel,
/// once their own sheets are submitted).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/participants/{participant}/integration", tag = "assessment centre", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("participant" = uuid::Uuid, Path, description = "participant id")),
    responses((status = 200, body = Integration),
        (status = 403, description = "forbidden: a proctor, or a lead assessor whose own sheets are not submitted", body = ErrorBody),
        (status = 404, description = "not_found: no such campaign or participant, or an assessor who does not lead this panel", body = ErrorBody)))]
pub async fn read_integration(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    path: web::Path<(CampaignId, ParticipantId)>,
) -> Result<web::Json<Integration>, ApiError> {
    let (campaign, participant) = path.into_inner();
    Ok(web::Json(
        integration::read(&ctx, &who.staff, campaign, participant).await?,
    ))
}

/// Records the final level of competencies from the submitted ratings, with a reason where a
/// level departs from their mean by more than half a level; the competency results read it as
/// the `assessor_panel` evidence source (same roles as reading; audited).
#[utoipa::path(put, path = "/api/v1/campaigns/{id}/participants/{participant}/integration", tag = "assessment centre", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("participant" = uuid::Uuid, Path, description = "participant id")),
    request_body = RecordLevels,
    responses((status = 200, body = Integration),
        (status = 403, description = "forbidden: a proctor, or a lead assessor whose own sheets are not submitted", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "invalid_integration: sheets pending, a level outside 1–5, a competency without ratings, or a departure without a reason; each named", body = ErrorBody)))]
pub async fn record_integration(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    path: web::Path<(CampaignId, ParticipantId)>,
    body: web::Json<RecordLevels>,
) -> Result<web::Json<Integration>, ApiError> {
    let (campaign, participant) = path.into_inner();
    Ok(web::Json(
        integration::record(&ctx, &who.staff, campaign, participant, body.into_inner()).await?,
    ))
}

/// How far the campaign's assessors agree (submitted sheets only): per exercise and competency
/// and overall, exact and adjacent agreement %, ICC(2,1) and ICC(2,k) (Shrout & Fleiss, two-way
/// random, absolute agreement) and Krippendorff's ordinal α, each with its n; ratings more than
/// one level apart; each assessor's drift from their colleagues (admin, hr, psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/agreement", tag = "assessment centre", security(("bearer" = ["admin", "hr", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    responses((status = 200, body = Agreement),
        (status = 403, description = "forbidden: an assessor or a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn agreement(
    ctx: web::Data<AppContext>,
    who: Authorized<PanelReaders>,
    id: web::Path<CampaignId>,
) -> Result<web::Json<Agreement>, ApiError> {
    Ok(web::Json(
        agreement::of_campaign(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// Assigns from a CSV file (columns `nip`, `exercise`, `assessor` — the assessor's e-mail — and
/// optionally `lead`: ya/tidak), all or none; every problem named by its line (admin, hr;
/// audited).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/assessor-assignments/import", tag = "assessment centre", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    request_body(content = String, content_type = "text/csv", description = "the CSV file"),
    responses((status = 201, body = AssignResult),
        (status = 404, body = ErrorBody),
        (status = 422, description = "invalid_assignment: every problem with its line and column", body = ErrorBody)))]
pub async fn import_assignments(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let done = assignments::import(&ctx, &who.staff, id.into_inner(), &body).await?;
    Ok(HttpResponse::Created().json(done))
}

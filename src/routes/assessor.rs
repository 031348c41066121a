//! The assessor's workspace: their own assignments, the sheet of each (a draft autosaved as they
//! write, locked once submitted). Another assessor's assignment answers 404.
use actix_web::web;
use serde::Deserialize;

use super::extract::{Assessors, Authorized};
use super::Routes;
use crate::domain::ids::{AssignmentId, CampaignId};
use crate::error::{ApiError, ErrorBody};
use crate::services::assessment::workspace::{self, MyAssignments, SaveDraft, Submit, Workspace};
use crate::services::AppContext;

/// The assessor's endpoints.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/assessor/assignments", |r| r.get(mine))
        .resource("/assessor/assignments/{assignment}", |r| r.get(open))
        .resource("/assessor/assignments/{assignment}/ratings", |r| {
            r.put(save)
        })
        .resource("/assessor/assignments/{assignment}/submit", |r| {
            r.post(submit)
        });
}

/// Which campaign's assignments.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MineQuery {
    /// Only this campaign's.
    #[param(value_type = Option<uuid::Uuid>)]
    pub campaign: Option<CampaignId>,
}

/// The caller's own assignments, oldest first (assessor).
#[utoipa::path(get, path = "/api/v1/assessor/assignments", tag = "assessment centre", security(("bearer" = ["assessor"])),
    params(MineQuery),
    responses((status = 200, body = MyAssignments),
        (status = 403, description = "forbidden: not an assessor", body = ErrorBody)))]
pub async fn mine(
    ctx: web::Data<AppContext>,
    who: Authorized<Assessors>,
    q: web::Query<MineQuery>,
) -> Result<web::Json<MyAssignments>, ApiError> {
    Ok(web::Json(
        workspace::mine(&ctx, &who.staff, q.campaign).await?,
    ))
}

/// One of the caller's assignments: the competencies to rate with their level descriptions and
/// indicators, the caller's sheet, and the other assessors of this participant, whose ratings
/// appear only once both sheets are submitted (assessor).
#[utoipa::path(get, path = "/api/v1/assessor/assignments/{assignment}", tag = "assessment centre", security(("bearer" = ["assessor"])),
    params(("assignment" = uuid::Uuid, Path, description = "assignment id")),
    responses((status = 200, body = Workspace),
        (status = 403, description = "forbidden: not an assessor", body = ErrorBody),
        (status = 404, description = "not_found: no such assignment of the caller", body = ErrorBody)))]
pub async fn open(
    ctx: web::Data<AppContext>,
    who: Authorized<Assessors>,
    id: web::Path<AssignmentId>,
) -> Result<web::Json<Workspace>, ApiError> {
    Ok(web::Json(
        workspace::open(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// Saves the caller's draft sheet (autosave): any competency may still lack its level or
/// evidence, but a level must be 1–5 and a competency one the exercise evidences (assessor).
#[utoipa::path(put, path = "/api/v1/assessor/assignments/{assignment}/ratings", tag = "assessment centre", security(("bearer" = ["assessor"])),
    params(("assignment" = uuid::Uuid, Path, description = "assignment id")),
    request_body = SaveDraft,
    responses((status = 200, body = Workspace),
        (status = 403, description = "forbidden: not an assessor", body = ErrorBody),
        (status = 404, description = "not_found: no such assignment of the caller", body = ErrorBody),
        (status = 409, description = "rating_locked: submitted; stale_revision: saved elsewhere since", body = ErrorBody),
        (status = 422, description = "invalid_rating: a level outside 1–5 or a competency the exercise does not evidence", body = ErrorBody)))]
pub async fn save(
    ctx: web::Data<AppContext>,
    who: Authorized<Assessors>,
    id: web::Path<AssignmentId>,
    body: web::Json<SaveDraft>,
) -> Result<web::Json<Workspace>, ApiError> {
    Ok(web::Json(
        workspace::save(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Submits the caller's sheet, which locks it: every competency of the exercise needs a level and
/// the behaviour observed (assessor; audited).
#[utoipa::path(post, path = "/api/v1/assessor/assignments/{assignment}/submit", tag = "assessment centre", security(("bearer" = ["assessor"])),
    params(("assignment" = uuid::Uuid, Path, description = "assignment id")),
    request_body(content = Submit, description = "`{}` or `{\"revision\": n}`"),
    responses((status = 200, body = Workspace),
        (status = 403, description = "forbidden: not an assessor", body = ErrorBody),
        (status = 404, description = "not_found: no such assignment of the caller", body = ErrorBody),
        (status = 409, description = "rating_locked: already submitted; stale_revision: saved elsewhere since", body = ErrorBody),
        (status = 422, description = "invalid_rating: a competency without its level or evidence, each named", body = ErrorBody)))]
pub async fn submit(
    ctx: web::Data<AppContext>,
    who: Authorized<Assessors>,
    id: web::Path<AssignmentId>,
    body: web::Json<Submit>,
) -> Result<web::Json<Workspace>, ApiError> {
    Ok(web::Json(
        workspace::submit(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?,
    ))
}

//! The competency framework: read by admin, HR, assessors and psychologists; replaced by admin
//! and HR with a whole new document, which becomes the next version.
use actix_web::web;
use serde::Serialize;

use super::extract::{AssessmentReaders, Authorized, ContentManagers};
use super::Routes;
use crate::domain::framework::FrameworkDoc;
use crate::error::{ApiError, ErrorBody};
use crate::services::competencies::{self, FrameworkVersionInfo, FrameworkView};
use crate::services::AppContext;

/// The framework and its versions.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/competencies", |r| r.get(current).put(replace))
        .resource("/competencies/versions", |r| r.get(versions))
        .resource("/competencies/versions/{version}", |r| r.get(version));
}

/// The current competency framework of the caller's organisation, with its version number:
/// each competency's code, kind, name, definition and levels 1–5 (description and behavioural
/// indicators).
#[utoipa::path(get, path = "/api/v1/competencies", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    responses((status = 200, body = FrameworkView),
        (status = 403, description = "forbidden: not admin, hr, assessor or psychologist", body = ErrorBody)))]
pub async fn current(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
) -> Result<web::Json<FrameworkView>, ApiError> {
    Ok(web::Json(competencies::current(&ctx, &who.staff).await?))
}

/// Replaces the framework with a whole new document: `{"competencies": [{"code", "kind":
/// "managerial"|"socio_cultural"|"technical", "name": {"id", "en"?}, "definition": {…}, "levels":
/// [{"level": 1…5, "description": {…}, "indicators": [{…}, …]}]}]}`. It becomes the next version
/// (a document equal to the current one changes nothing); earlier versions stay readable. The
/// whole document is refused, every problem named by field path, when a competency's levels are
/// not exactly 1–5 in order, a code is malformed or repeated, a kind is unknown, a text is empty,
/// a seeded managerial or socio-cultural competency is removed or given another kind (they can be
/// reworded), or a competency a job standard requires is removed. Audited.
#[utoipa::path(put, path = "/api/v1/competencies", tag = "competencies", security(("bearer" = [])),
    request_body(content = FrameworkDoc, description = "the whole new framework"),
    responses((status = 200, description = "the framework as it is now, with its version", body = FrameworkView),
        (status = 403, description = "forbidden: not admin or hr", body = ErrorBody),
        (status = 409, description = "invalid_state_transition: another version was made meanwhile", body = ErrorBody),
        (status = 422, description = "invalid_competency_framework (every problem by field path) or invalid_input", body = ErrorBody)))]
pub async fn replace(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    body: web::Json<FrameworkDoc>,
) -> Result<web::Json<FrameworkView>, ApiError> {
    Ok(web::Json(
        competencies::replace(&ctx, &who.staff, body.into_inner()).await?,
    ))
}

/// The versions of a framework.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FrameworkHistory {
    /// Oldest first; the last is the current one.
    pub versions: Vec<FrameworkVersionInfo>,
}

/// Every version of the framework: number, time and author.
#[utoipa::path(get, path = "/api/v1/competencies/versions", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    responses((status = 200, body = FrameworkHistory)))]
pub async fn versions(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
) -> Result<web::Json<FrameworkHistory>, ApiError> {
    Ok(web::Json(FrameworkHistory {
        versions: competencies::history(&ctx, &who.staff).await?,
    }))
}

/// One version of the framework, current or earlier.
#[utoipa::path(get, path = "/api/v1/competencies/versions/{version}", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("version" = u32, Path, description = "version number, from 1")),
    responses((status = 200, body = FrameworkView), (status = 404, body = ErrorBody)))]
pub async fn version(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    version: web::Path<u32>,
) -> Result<web::Json<FrameworkView>, ApiError> {
    Ok(web::Json(
        competencies::version(&ctx, &who.staff, version.into_inner()).await?,
    ))
}

//! Job competency standards: read by admin, HR, assessors and psychologists; created, edited
//! (a new version each time) and imported from CSV by admin and HR.
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::download::{attachment, CSV};
use super::extract::{AssessmentReaders, Authorized, ContentManagers};
use super::Routes;
use crate::domain::ids::JobStandardId;
use crate::domain::job_standard::{LevelsDoc, StandardDoc};
use crate::error::{ApiError, ErrorBody};
use crate::services::job_standards::{self, StandardList, StandardView, StandardsImport};
use crate::services::AppContext;

/// The standards. The import is registered before `{id}`, which it would otherwise match.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/job-standards", |r| r.get(list).post(create))
        .resource("/job-standards/import", |r| r.post(import))
        .resource("/job-standards/{id}", |r| r.get(get).put(edit))
        .resource("/job-standards/{id}/versions/{version}", |r| r.get(version));
}

/// Format of the list.
#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum ListFormat {
    /// JSON.
    #[default]
    Json,
    /// The CSV file the import reads (semicolons).
    Csv,
}

/// Options of the list.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// `json` (default) or `csv`: `job_level;position;` then one column per competency code of
    /// the framework, an empty cell where a job does not require the competency.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub format: ListFormat,
}

/// The standards of the caller's organisation at their current versions, with the framework's
/// competencies (the table's columns); or the same as a CSV file.
#[utoipa::path(get, path = "/api/v1/job-standards", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(ListQuery),
    responses((status = 200, description = "the standards (JSON, or text/csv with `?format=csv`)", content(
            (StandardList = "application/json"),
            (String = "text/csv"))),
        (status = 403, description = "forbidden: not admin, hr, assessor or psychologist", body = ErrorBody)))]
pub async fn list(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(match q.format {
        ListFormat::Json => HttpResponse::Ok().json(job_standards::list(&ctx, &who.staff).await?),
        ListFormat::Csv => attachment("job-standards.csv".into())
            .content_type(CSV)
            .body(job_standards::export_csv(&ctx, &who.staff).await?),
    })
}

/// Creates a standard (version 1): `{"job_level", "position"?, "levels": {"<code>": 1…5, …}}`.
/// The job level is one of JPT Utama … Pemula, matched whatever its case and spacing; a
/// position's own standard overrides the job level's for that position.
#[utoipa::path(post, path = "/api/v1/job-standards", tag = "competencies", security(("bearer" = [])),
    request_body = StandardDoc,
    responses((status = 201, body = StandardView),
        (status = 403, description = "forbidden: not admin or hr", body = ErrorBody),
        (status = 409, description = "job_standard_exists: this job level and position have a standard", body = ErrorBody),
        (status = 422, description = "invalid_job_standard (every problem by field: an unknown job level or competency, a level outside 1–5) or invalid_input", body = ErrorBody)))]
pub async fn create(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    body: web::Json<StandardDoc>,
) -> Result<HttpResponse, ApiError> {
    let created = job_standards::create(&ctx, &who.staff, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// One standard at its current version.
#[utoipa::path(get, path = "/api/v1/job-standards/{id}", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "standard id")),
    responses((status = 200, body = StandardView), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    id: web::Path<JobStandardId>,
) -> Result<web::Json<StandardView>, ApiError> {
    Ok(web::Json(
        job_standards::get(&ctx, &who.staff, id.into_inner(), None).await?,
    ))
}

/// Gives a standard new required levels, `{"levels": {"<code>": 1…5, …}}` (codes left out are
/// no longer required): its next version; earlier versions stay readable. Levels equal to the
/// current ones change nothing. Audited.
#[utoipa::path(put, path = "/api/v1/job-standards/{id}", tag = "competencies", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "standard id")),
    request_body = LevelsDoc,
    responses((status = 200, description = "the standard at its new version", body = StandardView),
        (status = 403, description = "forbidden: not admin or hr", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "invalid_state_transition: another version was made meanwhile", body = ErrorBody),
        (status = 422, description = "invalid_job_standard (every problem by field) or invalid_input", body = ErrorBody)))]
pub async fn edit(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<JobStandardId>,
    body: web::Json<LevelsDoc>,
) -> Result<web::Json<StandardView>, ApiError> {
    Ok(web::Json(
        job_standards::edit(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// One version of a standard, current or earlier.
#[utoipa::path(get, path = "/api/v1/job-standards/{id}/versions/{version}", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "standard id"), ("version" = u32, Path, description = "version number, from 1")),
    responses((status = 200, body = StandardView), (status = 404, body = ErrorBody)))]
pub async fn version(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    path: web::Path<(JobStandardId, u32)>,
) -> Result<web::Json<StandardView>, ApiError> {
    let (id, version) = path.into_inner();
    Ok(web::Json(
        job_standards::get(&ctx, &who.staff, id, Some(version)).await?,
    ))
}

/// Options of an import.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Only check the file; store nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Creates and updates standards from a CSV file: columns `job_level`, `position` (optional)
/// and one per competency code (an empty cell: not required); comma or semicolon. All or none:
/// a file with any problem is refused whole, every problem named by row and column (an unknown
/// job level or competency, a level outside 1–5, a job level and position given twice). A row
/// equal to the stored standard changes nothing; a changed one becomes its next version;
/// competencies without a column and standards without a row stay as they are. Audited.
#[utoipa::path(post, path = "/api/v1/job-standards/import", tag = "competencies", security(("bearer" = [])),
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "the standards file"),
    responses((status = 200, description = "imported, or (dry run) the file is valid", body = StandardsImport),
        (status = 403, description = "forbidden: not admin or hr", body = ErrorBody),
        (status = 409, description = "invalid_state_transition: a standard changed meanwhile", body = ErrorBody),
        (status = 422, description = "invalid_job_standard: errors by row and column", body = ErrorBody)))]
pub async fn import(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    q: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<web::Json<StandardsImport>, ApiError> {
    Ok(web::Json(
        job_standards::import(&ctx, &who.staff, &body, q.dry_run).await?,
    ))
}

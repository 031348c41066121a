//! SKP performance ratings by NIP: HR's import (admin, hr) and a person's ratings (admin, hr,
//! assessor, psychologist).
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::extract::{AssessmentReaders, Authorized, ContentManagers};
use super::Routes;
use crate::error::{ApiError, ErrorBody};
use crate::services::performance::{self, PersonRatings};
use crate::services::yearly_records::ImportOutcome;
use crate::services::AppContext;

/// The ratings import and a person's ratings.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/performance-ratings", |r| r.get(list))
        .resource("/performance-ratings/import", |r| r.post(import));
}

/// Options of a yearly-records upload.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Only check the file and tell what would change; store nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// The person whose yearly records are asked for.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PersonQuery {
    /// The person's NIP: 18 digits (spaces are ignored). A missing or malformed NIP is
    /// `invalid_query`.
    // Optional to the extractor so that a caller whose role may not read is told `forbidden`
    // first; the use case refuses a missing one.
    #[param(value_type = String, required = true, example = "198503152010121001")]
    pub nip: Option<String>,
}

/// Imports SKP ratings from a CSV file (columns `nip, year, rating`, optional `work_results,
/// work_behaviour`; comma or semicolon; see the README). All or none: a file with any problem is
/// refused whole, every problem listed by row and column. A rating replaces the organisation's
/// rating of the same NIP and year; the reply counts created, replaced and unchanged ratings.
#[utoipa::path(post, path = "/api/v1/performance-ratings/import", tag = "people", security(("bearer" = ["admin", "hr"])),
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "the ratings file"),
    responses((status = 201, description = "imported", body = ImportOutcome),
        (status = 200, description = "dry run: the file is valid; what would change, nothing stored", body = ImportOutcome),
        (status = 422, description = "invalid_performance_ratings: every problem by row and column", body = ErrorBody)))]
pub async fn import(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    q: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let out = performance::import(&ctx, &who.staff, &body, q.dry_run).await?;
    Ok(if out.dry_run {
        HttpResponse::Ok().json(out)
    } else {
        HttpResponse::Created().json(out)
    })
}

/// A person's SKP ratings in the caller's organisation, newest year first (an empty list when
/// there are none).
#[utoipa::path(get, path = "/api/v1/performance-ratings", tag = "people", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(PersonQuery),
    responses((status = 200, body = PersonRatings),
        (status = 400, description = "invalid_query: no NIP, or not a valid one", body = ErrorBody)))]
pub async fn list(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    q: web::Query<PersonQuery>,
) -> Result<web::Json<PersonRatings>, ApiError> {
    Ok(web::Json(
        performance::of_person(&ctx, &who.staff, q.nip.as_deref()).await?,
    ))
}

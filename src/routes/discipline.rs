//! Discipline records by NIP: HR's import (admin, hr) and a person's records (admin, hr,
//! assessor, psychologist).
use actix_web::{web, HttpResponse};

use super::extract::{AssessmentReaders, Authorized, ContentManagers};
use super::performance::{ImportQuery, PersonQuery};
use super::Routes;
use crate::error::{ApiError, ErrorBody};
use crate::services::discipline::{self, PersonDiscipline};
use crate::services::yearly_records::ImportOutcome;
use crate::services::AppContext;

/// The discipline import and a person's records.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/discipline-records", |r| r.get(list))
        .resource("/discipline-records/import", |r| r.post(import));
}

/// Imports discipline records from a CSV file (columns `nip, year, level`, optional `note`;
/// comma or semicolon; see the README). All or none: a file with any problem is refused whole,
/// every problem listed by row and column. A record replaces the organisation's record of the
/// same NIP and year; the reply counts created, replaced and unchanged records.
#[utoipa::path(post, path = "/api/v1/discipline-records/import", tag = "people", security(("bearer" = ["admin", "hr"])),
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "the discipline records file"),
    responses((status = 201, description = "imported", body = ImportOutcome),
        (status = 200, description = "dry run: the file is valid; what would change, nothing stored", body = ImportOutcome),
        (status = 422, description = "invalid_discipline_records: every problem by row and column", body = ErrorBody)))]
pub async fn import(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    q: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let out = discipline::import(&ctx, &who.staff, &body, q.dry_run).await?;
    Ok(if out.dry_run {
        HttpResponse::Ok().json(out)
    } else {
        HttpResponse::Created().json(out)
    })
}

/// A person's discipline records in the caller's organisation, newest year first (an empty list
/// when there are none).
#[utoipa::path(get, path = "/api/v1/discipline-records", tag = "people", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(PersonQuery),
    responses((status = 200, body = PersonDiscipline),
        (status = 400, description = "invalid_query: no NIP, or not a valid one", body = ErrorBody)))]
pub async fn list(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    q: web::Query<PersonQuery>,
) -> Result<web::Json<PersonDiscipline>, ApiError> {
    Ok(web::Json(
        discipline::of_person(&ctx, &who.staff, q.nip.as_deref()).await?,
    ))
}

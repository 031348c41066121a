//! The item bank: instruments and their assets.
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::download::attachment;
use super::extract::{Authorized, ContentManagers};
use super::Routes;
use crate::domain::ids::InstrumentId;
use crate::error::{ApiError, ErrorBody};
use crate::services::instruments::{
    self, ImportOutcome, InstrumentDetail, InstrumentSummary, StatusFilter,
};
use crate::services::AppContext;

/// The item bank. `/instruments/import` comes before `/instruments/{id}`, which would take it.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/instruments", |r| r.get(list))
        .resource("/instruments/import", |r| r.post(import))
        .resource("/instruments/{id}", |r| r.get(detail))
        .resource("/instruments/{id}/export", |r| r.get(export))
        .resource("/instruments/{id}/assets/{name}", |r| r.get(asset))
        .resource("/instruments/{id}/retire", |r| r.post(retire));
}

/// Filter of the instrument list.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// active (default), retired or all.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub status: StatusFilter,
}

/// Options of an import.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Only check the document; store nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Instruments of an organisation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InstrumentList {
    /// By code, then version.
    pub instruments: Vec<InstrumentSummary>,
}

/// Instruments of the caller's organisation.
#[utoipa::path(get, path = "/api/v1/instruments", tag = "item bank", security(("bearer" = [])), params(ListQuery), responses(
    (status = 200, body = InstrumentList), (status = 403, body = ErrorBody)))]
pub async fn list(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    q: web::Query<ListQuery>,
) -> Result<web::Json<InstrumentList>, ApiError> {
    Ok(web::Json(InstrumentList {
        instruments: instruments::list(&ctx, &who.staff, q.status).await?,
    }))
}

/// Imports an instrument document (`meritest.instrument/1`, see /docs/instrument-format.md).
/// The whole document is refused when any part of it is invalid.
#[utoipa::path(post, path = "/api/v1/instruments/import", tag = "item bank", security(("bearer" = [])), params(ImportQuery),
    request_body(content = Object, content_type = "application/json", description = "an instrument document in the exchange format"),
    responses(
        (status = 201, description = "imported", body = ImportOutcome),
        (status = 200, description = "dry run: the document is valid", body = ImportOutcome),
        (status = 400, description = "invalid_json", body = ErrorBody),
        (status = 409, description = "instrument_version_exists", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 422, description = "invalid_instrument, with the errors by item and field; or invalid_input", body = ErrorBody)))]
pub async fn import(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    q: web::Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let outcome = instruments::import(&ctx, &who.staff, &body, q.dry_run).await?;
    Ok(if q.dry_run {
        HttpResponse::Ok().json(outcome)
    } else {
        HttpResponse::Created().json(outcome)
    })
}

/// One instrument with every item, keys included (staff only).
#[utoipa::path(get, path = "/api/v1/instruments/{id}", tag = "item bank", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id")),
    responses((status = 200, body = InstrumentDetail), (status = 404, body = ErrorBody)))]
pub async fn detail(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<InstrumentId>,
) -> Result<web::Json<InstrumentDetail>, ApiError> {
    Ok(web::Json(
        instruments::detail(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// The instrument as an exchange document, as a download.
#[utoipa::path(get, path = "/api/v1/instruments/{id}/export", tag = "item bank", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id")),
    responses((status = 200, description = "the exchange document", content_type = "application/json"), (status = 404, body = ErrorBody)))]
pub async fn export(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<InstrumentId>,
) -> Result<HttpResponse, ApiError> {
    let doc = instruments::export(&ctx, &who.staff, id.into_inner()).await?;
    let filename = format!("{}-v{}.json", doc.code, doc.version);
    Ok(attachment(filename).json(doc))
}

/// An image of the instrument.
#[utoipa::path(get, path = "/api/v1/instruments/{id}/assets/{name}", tag = "item bank", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id"), ("name" = String, Path, description = "asset name")),
    responses((status = 200, description = "the image bytes"), (status = 404, body = ErrorBody)))]
pub async fn asset(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    path: web::Path<(InstrumentId, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, name) = path.into_inner();
    let a = instruments::asset(&ctx, &who.staff, id, &name).await?;
    Ok(HttpResponse::Ok()
        .content_type(a.media_type)
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
        // SVG is served from our origin: forbid anything active in it even if a check missed it.
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(a.data))
}

/// Retires an instrument: kept for history, not offered for new batteries.
#[utoipa::path(post, path = "/api/v1/instruments/{id}/retire", tag = "item bank", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id")),
    responses((status = 200, body = InstrumentSummary), (status = 404, body = ErrorBody),
        (status = 409, description = "invalid_state_transition: already retired", body = ErrorBody)))]
pub async fn retire(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<InstrumentId>,
) -> Result<web::Json<InstrumentSummary>, ApiError> {
    Ok(web::Json(
        instruments::retire(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

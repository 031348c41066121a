//! Item response theory parameters of an instrument: versions, drafts, review and publication
//! (admin, HR and psychologists; audited). Nobody else sees parameters.
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::extract::{Authorized, Psychometrics};
use super::Routes;
use crate::domain::ids::InstrumentId;
use crate::domain::irt::bank::ItemParametersDoc;
use crate::error::{ApiError, ErrorBody};
use crate::services::calibration::{self, CalibrationOutcome, CalibrationRequest};
use crate::services::exposure_control::{self, ExposureOutcome, ExposureRequest};
use crate::services::item_parameters::{
    self, ParameterComparison, ParameterOverview, ParameterSet, ParameterSetList,
};
use crate::services::AppContext;

/// The parameter endpoints, under an instrument.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/item-parameters", |r| r.get(overview))
        .resource("/instruments/{id}/item-parameters", |r| {
            r.get(list).post(create)
        })
        // Before `{version}`, which would take it.
        .resource("/instruments/{id}/item-parameters/calibrate", |r| {
            r.post(calibrate)
        })
        .resource("/instruments/{id}/item-parameters/exposure", |r| {
            r.post(exposure)
        })
        .resource("/instruments/{id}/item-parameters/{version}", |r| {
            r.get(get).delete(discard)
        })
        .resource("/instruments/{id}/item-parameters/{version}/publish", |r| {
            r.post(publish)
        })
        .resource("/instruments/{id}/item-parameters/{version}/compare", |r| {
            r.get(compare)
        })
        .resource("/instruments/{id}/item-parameters/{version}/curves", |r| {
            r.get(curves)
        });
}

/// Which version to compare with.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    /// The other version (default: the current published one, or the one before it).
    pub with: Option<i32>,
}

/// Every instrument of the organisation with the parameter version in use and the drafts
/// waiting (admin, hr, psychologist).
#[utoipa::path(get, path = "/api/v1/item-parameters", tag = "psychometrics", security(("bearer" = [])),
    responses((status = 200, body = ParameterOverview), (status = 403, body = ErrorBody)))]
pub async fn overview(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
) -> Result<web::Json<ParameterOverview>, ApiError> {
    Ok(web::Json(
        item_parameters::overview(&ctx, &who.staff).await?,
    ))
}

/// The versions of an instrument's item parameters and which one is in use.
#[utoipa::path(get, path = "/api/v1/instruments/{id}/item-parameters", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id")),
    responses((status = 200, body = ParameterSetList), (status = 404, body = ErrorBody)))]
pub async fn list(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    id: web::Path<InstrumentId>,
) -> Result<web::Json<ParameterSetList>, ApiError> {
    Ok(web::Json(
        item_parameters::list(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// Stores a parameter set as the next version, a draft to review and publish (audited). The
/// whole set is checked against the instrument: every problem is named by its field.
#[utoipa::path(post, path = "/api/v1/instruments/{id}/item-parameters", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id")),
    request_body = ItemParametersDoc,
    responses((status = 201, body = ParameterSet), (status = 404, body = ErrorBody),
        (status = 422, description = "invalid_item_parameters: every problem with its field", body = ErrorBody)))]
pub async fn create(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    id: web::Path<InstrumentId>,
    body: web::Json<ItemParametersDoc>,
) -> Result<HttpResponse, ApiError> {
    let set = item_parameters::create_draft(&ctx, &who.staff, id.into_inner(), &body, None).await?;
    Ok(HttpResponse::Created().json(set))
}

/// One version with its parameters (and the calibration report, when one made it).
#[utoipa::path(get, path = "/api/v1/instruments/{id}/item-parameters/{version}", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id"), ("version" = i32, Path, description = "parameter version")),
    responses((status = 200, body = ParameterSet), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    path: web::Path<(InstrumentId, i32)>,
) -> Result<web::Json<ParameterSet>, ApiError> {
    let (id, version) = path.into_inner();
    Ok(web::Json(
        item_parameters::get(&ctx, &who.staff, id, version).await?,
    ))
}

/// Discards a draft (audited).
#[utoipa::path(delete, path = "/api/v1/instruments/{id}/item-parameters/{version}", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id"), ("version" = i32, Path, description = "parameter version")),
    responses((status = 204, description = "discarded"), (status = 404, body = ErrorBody),
        (status = 409, description = "invalid_state_transition: the version is published", body = ErrorBody)))]
pub async fn discard(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    path: web::Path<(InstrumentId, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (id, version) = path.into_inner();
    item_parameters::discard(&ctx, &who.staff, id, version).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Publishes a draft: it becomes the instrument's current parameters; older versions stay for
/// the results they scored (audited).
#[utoipa::path(post, path = "/api/v1/instruments/{id}/item-parameters/{version}/publish", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id"), ("version" = i32, Path, description = "parameter version")),
    responses((status = 200, body = ParameterSet), (status = 404, body = ErrorBody),
        (status = 409, description = "invalid_state_transition: the version is already published", body = ErrorBody)))]
pub async fn publish(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    path: web::Path<(InstrumentId, i32)>,
) -> Result<web::Json<ParameterSet>, ApiError> {
    let (id, version) = path.into_inner();
    Ok(web::Json(
        item_parameters::publish(&ctx, &who.staff, id, version).await?,
    ))
}

/// A version beside another, item by item, with the changes of a and b: the review before
/// publishing.
#[utoipa::path(get, path = "/api/v1/instruments/{id}/item-parameters/{version}/compare", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id"), ("version" = i32, Path, description = "parameter version"), CompareQuery),
    responses((status = 200, body = ParameterComparison), (status = 404, body = ErrorBody)))]
pub async fn compare(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    path: web::Path<(InstrumentId, i32)>,
    q: web::Query<CompareQuery>,
) -> Result<web::Json<ParameterComparison>, ApiError> {
    let (id, version) = path.into_inner();
    Ok(web::Json(
        item_parameters::compare(&ctx, &who.staff, id, version, q.with).await?,
    ))
}

/// Calibrates the items of one scale by marginal maximum likelihood (EM) from the finished
/// attempts that took the instrument (in the campaigns given, or in all) and stores the
/// estimates, merged into the version in use, as a draft with the calibration's report (standard
/// errors, item fit, convergence) to compare and publish (audited). Nothing is stored when it is
/// refused.
#[utoipa::path(post, path = "/api/v1/instruments/{id}/item-parameters/calibrate", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id")),
    request_body = CalibrationRequest,
    responses((status = 201, body = CalibrationOutcome), (status = 404, body = ErrorBody),
        (status = 422, description = "too_few_respondents, no_variance, empty_category or singular_calibration (the item named); invalid_input: an unknown model, a scale with no such items, or several scales and none chosen", body = ErrorBody)))]
pub async fn calibrate(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    id: web::Path<InstrumentId>,
    body: web::Json<CalibrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let outcome =
        calibration::calibrate_instrument(&ctx, &who.staff, id.into_inner(), body.into_inner())
            .await?;
    Ok(HttpResponse::Created().json(outcome))
}

/// Derives Sympson–Hetter exposure parameters for an adaptive section's settings by simulating
/// it over a published version's pool (the version in use by default), and stores that version
/// with the K found as a draft, with the derivation's report, to compare and publish (audited).
/// Nothing is stored when it is refused.
#[utoipa::path(post, path = "/api/v1/instruments/{id}/item-parameters/exposure", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id")),
    request_body = ExposureRequest,
    responses((status = 201, body = ExposureOutcome), (status = 404, body = ErrorBody),
        (status = 422, description = "pool_too_small (fewer usable items than max_items); invalid_input: settings out of range, a draft version, no published parameters, or simulees, rounds or rate out of range", body = ErrorBody)))]
pub async fn exposure(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    id: web::Path<InstrumentId>,
    body: web::Json<ExposureRequest>,
) -> Result<HttpResponse, ApiError> {
    let outcome =
        exposure_control::derive(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(outcome))
}

/// The θ grid of the curves.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CurvesQuery {
    /// Lowest θ (default −4, at least −10).
    pub from: Option<f64>,
    /// Highest θ (default 4, at most 10).
    pub to: Option<f64>,
    /// Number of points (default 81, 2–401).
    pub points: Option<usize>,
}

/// Each item's characteristic curve (P of a right answer; a Likert item's expected score over
/// its highest) and information, and the test information and SE(θ) = 1/√I(θ), over a θ grid.
#[utoipa::path(get, path = "/api/v1/instruments/{id}/item-parameters/{version}/curves", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id"), ("version" = i32, Path, description = "parameter version"), CurvesQuery),
    responses((status = 200, body = crate::domain::irt::curves::Curves), (status = 404, body = ErrorBody),
        (status = 422, description = "invalid_input: a grid outside −10…10 or of more than 401 points", body = ErrorBody)))]
pub async fn curves(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    path: web::Path<(InstrumentId, i32)>,
    q: web::Query<CurvesQuery>,
) -> Result<web::Json<crate::domain::irt::curves::Curves>, ApiError> {
    let (id, version) = path.into_inner();
    let grid = crate::domain::irt::curves::Grid::new(
        q.from.unwrap_or(-4.0),
        q.to.unwrap_or(4.0),
        q.points.unwrap_or(81),
    )
    .map_err(|m| ApiError::new(crate::error::ErrorCode::InvalidInput, m))?;
    Ok(web::Json(
        item_parameters::curves(&ctx, &who.staff, id, version, grid).await?,
    ))
}

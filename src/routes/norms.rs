//! Norm tables of an instrument: every version, a table built from the organisation's own
//! cohorts previewed beside the one in use, and published as the next version (admin, HR and
//! psychologists; audited).
use actix_web::{web, HttpResponse};

use super::extract::{Authorized, Psychometrics};
use super::Routes;
use crate::domain::ids::InstrumentId;
use crate::error::{ApiError, ErrorBody};
use crate::services::norm_building::{
    self, NormBuildRequest, NormPreview, NormPublished, NormVersion,
};
use crate::services::AppContext;

/// The norm endpoints, under an instrument.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/instruments/{id}/norms", |r| r.get(list).post(publish))
        .resource("/instruments/{id}/norms/preview", |r| r.post(preview));
}

/// Every version of every norm table of the instrument, newest first per scale and group.
#[utoipa::path(get, path = "/api/v1/instruments/{id}/norms", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id")),
    responses((status = 200, body = Vec<NormVersion>), (status = 404, body = ErrorBody)))]
pub async fn list(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    id: web::Path<InstrumentId>,
) -> Result<web::Json<Vec<NormVersion>>, ApiError> {
    Ok(web::Json(
        norm_building::versions(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// Builds a norm table for a scale from the scores of the finished attempts of the campaigns
/// given, filtered to a norm group (education, job level, age band, sex from the NIP): N, mean,
/// sd, raw → percentile rank by the midpoint rule, optional smoothing, a warning below the
/// minimum N; and sets it beside the table in use. Stores nothing.
#[utoipa::path(post, path = "/api/v1/instruments/{id}/norms/preview", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id")),
    request_body = NormBuildRequest,
    responses((status = 200, body = NormPreview), (status = 404, body = ErrorBody),
        (status = 422, description = "too_few_respondents (fewer than 2 in the sample); no_variance (every score alike); invalid_input (an unknown scale, no campaign, a bad filter or group code), every problem named", body = ErrorBody)))]
pub async fn preview(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    id: web::Path<InstrumentId>,
    body: web::Json<NormBuildRequest>,
) -> Result<web::Json<NormPreview>, ApiError> {
    Ok(web::Json(
        norm_building::preview(&ctx, &who.staff, id.into_inner(), &body).await?,
    ))
}

/// Builds the table as the preview does and publishes it as the scale and group's next version:
/// new scores use it; scores already made keep naming the table they used, and a campaign's
/// re-scoring (`POST /api/v1/campaigns/{id}/rescore`) moves them to it, keeping the old ones.
#[utoipa::path(post, path = "/api/v1/instruments/{id}/norms", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id")),
    request_body = NormBuildRequest,
    responses((status = 201, body = NormPublished), (status = 404, body = ErrorBody),
        (status = 422, description = "as the preview", body = ErrorBody)))]
pub async fn publish(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    id: web::Path<InstrumentId>,
    body: web::Json<NormBuildRequest>,
) -> Result<HttpResponse, ApiError> {
    let published = norm_building::publish(&ctx, &who.staff, id.into_inner(), &body).await?;
    Ok(HttpResponse::Created().json(published))
}

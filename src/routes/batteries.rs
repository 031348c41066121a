//! Batteries of timed sections.
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::extract::{Authorized, ContentManagers};
use super::Routes;
use crate::domain::battery::BatteryDoc;
use crate::domain::ids::BatteryId;
use crate::error::{ApiError, ErrorBody};
use crate::services::batteries::{self, BatteryView};
use crate::services::AppContext;

/// The batteries.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/batteries", |r| r.get(list).post(create))
        .resource("/batteries/{id}", |r| r.get(get));
}

/// Batteries of an organisation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BatteryList {
    /// By code.
    pub batteries: Vec<BatteryView>,
}

/// Batteries of the caller's organisation.
#[utoipa::path(get, path = "/api/v1/batteries", tag = "batteries", security(("bearer" = [])), responses((status = 200, body = BatteryList)))]
pub async fn list(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
) -> Result<web::Json<BatteryList>, ApiError> {
    Ok(web::Json(BatteryList {
        batteries: batteries::list(&ctx, &who.staff).await?,
    }))
}

/// One battery.
#[utoipa::path(get, path = "/api/v1/batteries/{id}", tag = "batteries", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "battery id")),
    responses((status = 200, body = BatteryView), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<BatteryId>,
) -> Result<web::Json<BatteryView>, ApiError> {
    Ok(web::Json(
        batteries::get(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// Creates a battery from active instruments: `{"code", "name", "description"?, "sections": [{"instrument",
/// "version", "title", "instructions"?, "time_limit_seconds", "item_order": "fixed"|"random",
/// "shuffle_options", "navigation": "free"|"forward_only", "draw"?}]}`.
#[utoipa::path(post, path = "/api/v1/batteries", tag = "batteries", security(("bearer" = [])),
    request_body(content = Object, content_type = "application/json", description = "a battery document"),
    responses((status = 201, body = BatteryView),
        (status = 409, description = "battery_code_exists", body = ErrorBody),
        (status = 422, description = "invalid_battery or invalid_input", body = ErrorBody)))]
pub async fn create(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    body: web::Json<BatteryDoc>,
) -> Result<HttpResponse, ApiError> {
    let created = batteries::create(&ctx, &who.staff, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

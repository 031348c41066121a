//! Liveness and readiness.
use actix_web::http::Method;
use actix_web::{web, HttpResponse};

use super::Routes;
use crate::services::{ops, AppContext};

/// `/health` and `/ready`.
pub fn configure(routes: &mut Routes) {
    routes
        .route("/health", Method::GET, health)
        .route("/ready", Method::GET, ready);
}

/// The process is up.
#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200, description = "alive")))]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "alive"}))
}

/// The database and the live store answer; 503 with the reason otherwise, and from the moment
/// the node begins to stop.
#[utoipa::path(get, path = "/ready", tag = "operations", responses(
    (status = 200, description = "ready", body = ops::Readiness),
    (status = 503, description = "the database is unreachable, or the node is stopping", body = ops::Readiness)))]
pub async fn ready(ctx: web::Data<AppContext>) -> HttpResponse {
    let r = ops::readiness(&ctx).await;
    if r.ready {
        HttpResponse::Ok().json(r)
    } else {
        HttpResponse::ServiceUnavailable().json(r)
    }
}

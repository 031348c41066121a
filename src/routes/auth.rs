//! Staff sign-in and sign-out.
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::extract::{client_address, AnyStaff, Authorized};
use super::Routes;
use crate::error::{ApiError, ErrorBody};
use crate::services::auth::{self, AccountView, LoginOutcome};
use crate::services::AppContext;

/// Sign-in, sign-out and the signed-in account.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/auth/login", |r| r.post(login))
        .resource("/auth/logout", |r| r.post(logout))
        .resource("/auth/me", |r| r.get(me));
}

/// Sign-in details.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Sign-in address.
    #[schema(example = "hr@demo.meritest.id")]
    pub email: String,
    /// Password.
    pub password: String,
    /// The organisation's code: needed only when the address and password open accounts in
    /// several organisations (the answer is then `organisation_required`, listing them).
    #[serde(default)]
    pub organisation: Option<String>,
}

/// Signs a staff member in and returns a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = LoginOutcome),
    (status = 401, description = "invalid_credentials", body = ErrorBody),
    (status = 403, description = "account_disabled", body = ErrorBody),
    (status = 409, description = "organisation_required: the address and password open accounts in several organisations, listed under `errors` (code as `item`, name as `message`)", body = ErrorBody),
    (status = 429, description = "too_many_requests", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn login(
    ctx: web::Data<AppContext>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let client = client_address(&req, ctx.settings.trusted_proxies());
    let body = body.into_inner();
    let outcome = auth::login(
        &ctx,
        &body.email,
        body.password,
        body.organisation.as_deref(),
        &client,
    )
    .await?;
    Ok(HttpResponse::Ok().json(outcome))
}

/// Revokes the caller's token.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])), responses(
    (status = 204, description = "signed out"), (status = 401, body = ErrorBody)))]
pub async fn logout(
    ctx: web::Data<AppContext>,
    who: Authorized<AnyStaff>,
) -> Result<HttpResponse, ApiError> {
    auth::logout(&ctx, &who.staff).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])), responses(
    (status = 200, body = AccountView), (status = 401, body = ErrorBody)))]
pub async fn me(
    ctx: web::Data<AppContext>,
    who: Authorized<AnyStaff>,
) -> Result<web::Json<AccountView>, ApiError> {
    Ok(web::Json(auth::me(&ctx, &who.staff).await?))
}

//! Administrators manage their organisation's staff accounts; HR lists the proctors it assigns
//! to sessions.
use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::extract::{AdminOnly, Authorized, ContentManagers};
use super::Routes;
use crate::domain::ids::AccountId;
use crate::error::{ApiError, ErrorBody};
use crate::services::accounts::{
    self, AccountSummary, NewAccountRequest, ProctorSummary, ProfileRequest,
};
use crate::services::AppContext;

/// The staff accounts.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/accounts", |r| r.get(list).post(create))
        .resource("/accounts/{id}/disable", |r| r.post(disable))
        .resource("/accounts/{id}/enable", |r| r.post(enable))
        .resource("/accounts/{id}/profile", |r| r.put(set_profile))
        .resource("/proctors", |r| r.get(proctors));
}

/// The proctors of an organisation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProctorList {
    /// Enabled proctor accounts, by name.
    pub proctors: Vec<ProctorSummary>,
}

/// The enabled proctor accounts of the caller's organisation (admin, hr): whom a campaign's
/// session may name as its proctor.
#[utoipa::path(get, path = "/api/v1/proctors", tag = "accounts", security(("bearer" = [])), responses(
    (status = 200, body = ProctorList),
    (status = 401, description = "unauthenticated or invalid_token", body = ErrorBody),
    (status = 403, description = "forbidden: not admin or hr", body = ErrorBody)))]
pub async fn proctors(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
) -> Result<web::Json<ProctorList>, ApiError> {
    Ok(web::Json(ProctorList {
        proctors: accounts::proctors(&ctx, &who.staff).await?,
    }))
}

/// The accounts of an organisation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AccountList {
    /// By e-mail.
    pub accounts: Vec<AccountSummary>,
}

/// Accounts of the caller's organisation.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", security(("bearer" = [])), responses(
    (status = 200, body = AccountList), (status = 403, description = "forbidden", body = ErrorBody)))]
pub async fn list(
    ctx: web::Data<AppContext>,
    who: Authorized<AdminOnly>,
) -> Result<web::Json<AccountList>, ApiError> {
    Ok(web::Json(AccountList {
        accounts: accounts::list(&ctx, &who.staff).await?,
    }))
}

/// Creates an account in the caller's organisation.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", security(("bearer" = [])), request_body = NewAccountRequest, responses(
    (status = 201, body = AccountSummary),
    (status = 409, description = "email_taken", body = ErrorBody),
    (status = 422, description = "invalid_input", body = ErrorBody)))]
pub async fn create(
    ctx: web::Data<AppContext>,
    who: Authorized<AdminOnly>,
    body: web::Json<NewAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    let created = accounts::create(&ctx, &who.staff, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Disables an account: its tokens stop working at once.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/disable", tag = "accounts", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "account id")), responses(
    (status = 200, body = AccountSummary),
    (status = 404, body = ErrorBody),
    (status = 409, description = "cannot_disable_self", body = ErrorBody)))]
pub async fn disable(
    ctx: web::Data<AppContext>,
    who: Authorized<AdminOnly>,
    id: web::Path<AccountId>,
) -> Result<web::Json<AccountSummary>, ApiError> {
    Ok(web::Json(
        accounts::set_disabled(&ctx, &who.staff, id.into_inner(), true).await?,
    ))
}

/// Re-enables an account.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/enable", tag = "accounts", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "account id")), responses(
    (status = 200, body = AccountSummary), (status = 404, body = ErrorBody)))]
pub async fn enable(
    ctx: web::Data<AppContext>,
    who: Authorized<AdminOnly>,
    id: web::Path<AccountId>,
) -> Result<web::Json<AccountSummary>, ApiError> {
    Ok(web::Json(
        accounts::set_disabled(&ctx, &who.staff, id.into_inner(), false).await?,
    ))
}

/// Sets an account's unit and a psychologist's licence number (SIPP), which reports print and
/// without which a psychologist cannot release any (admin; audited). `null` clears a field.
#[utoipa::path(put, path = "/api/v1/accounts/{id}/profile", tag = "accounts", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "account id")),
    request_body = ProfileRequest,
    responses((status = 200, body = AccountSummary),
        (status = 403, description = "forbidden: not admin", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "invalid_input: a bad unit or licence number", body = ErrorBody)))]
pub async fn set_profile(
    ctx: web::Data<AppContext>,
    who: Authorized<AdminOnly>,
    id: web::Path<AccountId>,
    body: web::Json<ProfileRequest>,
) -> Result<web::Json<AccountSummary>, ApiError> {
    Ok(web::Json(
        accounts::set_profile(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?,
    ))
}

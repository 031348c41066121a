//! Authorisation happens here, before a handler body runs: `Authorized<P>` verifies the bearer
//! token, checks revocation and the account, then the role policy `P`.
use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::domain::account::Role;
use crate::error::{ApiError, ErrorCode};
use crate::services::auth::{self, Staff};
use crate::services::AppContext;

/// Which roles may call an endpoint.
pub trait Policy: 'static {
    /// The roles allowed.
    const ROLES: &'static [Role];
}

/// Any signed-in staff member.
pub struct AnyStaff;
impl Policy for AnyStaff {
    const ROLES: &'static [Role] = &Role::ALL;
}

/// Administrators only.
pub struct AdminOnly;
impl Policy for AdminOnly {
    const ROLES: &'static [Role] = &[Role::Admin];
}

/// Those who manage content and campaigns: admin and HR.
pub struct ContentManagers;
impl Policy for ContentManagers {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Hr];
}

/// Those who steer live sessions: admin, HR and proctors.
pub struct SessionSteering;
impl Policy for SessionSteering {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Hr, Role::Proctor];
}

/// A staff member allowed by policy `P`.
pub struct Authorized<P: Policy> {
    /// The verified caller.
    pub staff: Staff,
    _policy: PhantomData<P>,
}

impl<P: Policy> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ctx = req.app_data::<web::Data<AppContext>>().cloned();
        let header = req
            .headers()
            .get(AUTHORIZATION)
            .map(|v| v.to_str().map(str::to_owned));
        Box::pin(async move {
            let ctx =
                ctx.ok_or_else(|| ApiError::internal(anyhow::anyhow!("AppContext missing")))?;
            let token = match header {
                None => {
                    return Err(ApiError::new(
                        ErrorCode::Unauthenticated,
                        "sign in first: send Authorization: Bearer <token>",
                    ))
                }
                Some(Err(_)) => {
                    return Err(ApiError::new(
                        ErrorCode::InvalidToken,
                        "the Authorization header is not readable",
                    ))
                }
                Some(Ok(h)) => h
                    .strip_prefix("Bearer ")
                    .map(|t| t.trim().to_owned())
                    .ok_or_else(|| {
                        ApiError::new(
                            ErrorCode::InvalidToken,
                            "the Authorization header must be 'Bearer <token>'",
                        )
                    })?,
            };
            let staff = auth::authenticate(&ctx, &token).await?;
            if !P::ROLES.contains(&staff.role) {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    format!("the {} role may not do this", staff.role.as_str()),
                ));
            }
            Ok(Self {
                staff,
                _policy: PhantomData,
            })
        })
    }
}

/// The client's address for rate limiting: the socket peer, or the forwarded address when the
/// server is configured to sit behind a trusted proxy.
pub fn client_address(req: &HttpRequest, behind_proxy: bool) -> String {
    let info = req.connection_info();
    let addr = if behind_proxy {
        info.realip_remote_addr()
    } else {
        info.peer_addr()
    };
    addr.map(|a| a.rsplit_once(':').map_or(a, |(host, _)| host).to_owned())
        .unwrap_or_else(|| "unknown".into())
}

/// A candidate whose token verifies: scoped to one attempt and one device. Checking the token
/// needs no I/O; the attempt's live state is read by the use case.
pub struct Candidate(pub crate::services::tokens::CandidateClaims);

impl FromRequest for Candidate {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let verify = || {
            let ctx = req
                .app_data::<web::Data<AppContext>>()
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("AppContext missing")))?;
            let header = req.headers().get(AUTHORIZATION).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Unauthenticated,
                    "sign in with your access code first",
                )
            })?;
            let token = header
                .to_str()
                .ok()
                .and_then(|h| h.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidToken,
                        "the Authorization header must be 'Bearer <token>'",
                    )
                })?;
            ctx.tokens
                .verify_candidate(token)
                .map(Candidate)
                .map_err(|_| {
                    ApiError::new(
                    ErrorCode::InvalidToken,
                    "your session has ended or is not valid; sign in again with your access code",
                )
                })
        };
        std::future::ready(verify())
    }
}

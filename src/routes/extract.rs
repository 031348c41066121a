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

/// Those who read what an assessment produces and what it is judged against: the competency
/// framework, job standards, rule documents, competency results and people's yearly records.
/// Admin and HR (who also manage them), assessors and psychologists; not proctors.
pub struct AssessmentReaders;
impl Policy for AssessmentReaders {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Hr, Role::Assessor, Role::Psychologist];
}

/// Those who read how an assessment centre went and decide with its ratings: admin, HR and
/// psychologists. Assessors see their own sheets only (ratings stay independent).
pub struct PanelReaders;
impl Policy for PanelReaders {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Hr, Role::Psychologist];
}

/// Those who see and publish item response theory parameters and run item analyses, norm
/// building and calibrations: admin, HR and psychologists. Parameters are never shown to
/// proctors, assessors or candidates.
pub struct Psychometrics;
impl Policy for Psychometrics {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Hr, Role::Psychologist];
}

/// Psychologists only: reports are released under a psychologist's name and licence.
pub struct Psychologists;
impl Policy for Psychologists {
    const ROLES: &'static [Role] = &[Role::Psychologist];
}

/// Assessors only: the workspace holds the caller's own assignments, which only assessors have.
pub struct Assessors;
impl Policy for Assessors {
    const ROLES: &'static [Role] = &[Role::Assessor];
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

/// The client's address for rate limiting: the socket's peer, or, behind `trusted_proxies` proxies
/// of our own, the `X-Forwarded-For` entry that many places from the right: each proxy appends
/// the address it saw, so the entries further left are whatever the client chose to send.
pub fn client_address(req: &HttpRequest, trusted_proxies: usize) -> String {
    let peer = || {
        req.peer_addr()
            .map(|a| a.ip().to_string())
            .unwrap_or_else(|| "unknown".into())
    };
    if trusted_proxies == 0 {
        return peer();
    }
    let chain: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    forwarded_client(&chain, trusted_proxies)
        .map(str::to_owned)
        .unwrap_or_else(peer)
}

/// The client in a forwarded chain (oldest first) behind `hops` trusted proxies: the entry `hops`
/// from the right; the leftmost when the chain is shorter (every entry was then written by a
/// proxy of ours). A port is dropped.
fn forwarded_client<'a>(chain: &[&'a str], hops: usize) -> Option<&'a str> {
    let entry = chain.get(chain.len().saturating_sub(hops))?;
    Some(strip_port(entry))
}

fn strip_port(addr: &str) -> &str {
    if let Some(rest) = addr.strip_prefix('[') {
        // [v6]:port
        return rest.split(']').next().unwrap_or(rest);
    }
    match addr.rsplit_once(':') {
        // v4:port (a bare v6 address has more than one colon)
        Some((host, _)) if !host.contains(':') => host,
        _ => addr,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_is_read_from_the_right_past_the_trusted_proxies() {
        // The client wrote "6.6.6.6" itself; our proxy appended the address it saw.
        let chain = ["6.6.6.6", "203.0.113.7"];
        assert_eq!(forwarded_client(&chain, 1), Some("203.0.113.7"));
        // Two proxies of ours: the outer one appended the client, the inner one the outer one.
        let chain = ["6.6.6.6", "203.0.113.7", "10.0.0.2"];
        assert_eq!(forwarded_client(&chain, 2), Some("203.0.113.7"));
        // Fewer entries than proxies: every entry is a proxy's, the leftmost is the client.
        assert_eq!(forwarded_client(&["203.0.113.7"], 2), Some("203.0.113.7"));
        assert_eq!(forwarded_client(&[], 1), None);
    }

    #[test]
    fn ports_are_dropped_from_v4_and_bracketed_v6_but_a_bare_v6_is_kept() {
        assert_eq!(strip_port("203.0.113.7:5123"), "203.0.113.7");
        assert_eq!(strip_port("[2001:db8::1]:443"), "2001:db8::1");
        assert_eq!(strip_port("2001:db8::1"), "2001:db8::1");
        assert_eq!(strip_port("203.0.113.7"), "203.0.113.7");
    }
}

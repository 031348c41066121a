//! Staff sign-in, sign-out and the check every staff request goes through.
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::sign_in_limit;
use super::{passwords, revocations, AppContext};
use crate::domain::account::{Email, Role};
use crate::domain::ids::{AccountId, OrganisationId};
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::entities::account;
use crate::store::{accounts, organisations};

/// A staff member whose token has been verified, revocation checked and account found enabled.
#[derive(Debug, Clone)]
pub struct Staff {
    /// The account.
    pub account: AccountId,
    /// Its organisation: every query of this request is scoped to it.
    pub organisation: OrganisationId,
    /// Its current role.
    pub role: Role,
    /// The token's identifier, for sign-out.
    pub token_id: String,
    /// When the token expires.
    pub token_expires_at: DateTime<Utc>,
}

/// The signed-in account as shown to its owner.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    /// Account id.
    pub id: uuid::Uuid,
    /// Sign-in address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    #[schema(value_type = String, example = "hr")]
    pub role: Role,
    /// Its organisation.
    pub organisation: OrganisationView,
    /// The unit the person works in.
    pub unit: Option<String>,
    /// A psychologist's licence number (SIPP); reports are released only under one.
    pub licence_number: Option<String>,
}

/// An organisation as shown to its members.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrganisationView {
    /// Organisation id.
    pub id: uuid::Uuid,
    /// Display name.
    pub name: String,
}

/// A successful sign-in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoginOutcome {
    /// The bearer token.
    pub token: String,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
    /// Who signed in.
    pub account: AccountView,
}

fn invalid_credentials() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidCredentials,
        "the e-mail address or password is wrong",
    )
}

/// Signs a staff member in. The attempt is counted (per client, per client and e-mail address,
/// per account) before any password is checked; unknown addresses take as long as wrong passwords.
///
/// An e-mail address is unique only within an organisation, so it may name accounts in several:
/// the password is checked against each of them (at once) and signs in to the one it opens. When
/// it opens more than one, the caller names the organisation by its code (`organisation`); without
/// it the answer is `organisation_required`, listing those organisations (and only those: the
/// caller has just proved the password of each).
#[tracing::instrument(skip(ctx, password))]
pub async fn login(
    ctx: &AppContext,
    email: &str,
    password: String,
    organisation: Option<&str>,
    client: &str,
) -> Result<LoginOutcome, ApiError> {
    let email_key = email.trim().to_lowercase();
    let attempt = sign_in_limit::staff(ctx, client, &email_key).await?;
    let mut named = match Email::parse(email) {
        Ok(email) => accounts::with_email(&ctx.db, &email).await?,
        Err(_) => Vec::new(),
    };
    if let Some(code) = organisation {
        let org = organisations::find_by_code(&ctx.db, code.trim()).await?;
        named.retain(|a| org.as_ref().is_some_and(|o| o.id == a.organisation_id));
    }
    let mut opened = opened_by(password, named).await?;
    if opened.len() > 1 {
        attempt.succeeded(ctx).await?;
        let mut choices = Vec::with_capacity(opened.len());
        for a in &opened {
            if let Some(org) = organisations::find(&ctx.db, a.organisation_id.into()).await? {
                choices.push(FieldError {
                    item: Some(org.code),
                    field: "organisation".into(),
                    message: org.name,
                    row: None,
                });
            }
        }
        return Err(ApiError::with_errors(
            ErrorCode::OrganisationRequired,
            "this address and password open accounts in several organisations; sign in again \
             naming the organisation by its code (each is listed under `errors`)",
            choices,
        ));
    }
    let Some(account) = opened.pop() else {
        attempt.failed(ctx).await?;
        return Err(invalid_credentials());
    };
    if account.disabled {
        return Err(ApiError::new(
            ErrorCode::AccountDisabled,
            "this account has been disabled; ask your administrator",
        ));
    }
    attempt.succeeded(ctx).await?;
    let role = Role::parse(&account.role).map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?;
    let org = organisations::find(&ctx.db, account.organisation_id.into())
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("account without organisation")))?;
    let (token, claims) = ctx
        .tokens
        .issue(account.id.into(), account.organisation_id.into(), role)
        .map_err(ApiError::internal)?;
    tracing::info!(account = %account.id, "staff signed in");
    Ok(LoginOutcome {
        token,
        expires_at: claims.expires_at(),
        account: AccountView {
            id: account.id,
            email: account.email,
            name: account.name,
            role,
            organisation: OrganisationView {
                id: org.id,
                name: org.name,
            },
            unit: account.unit,
            licence_number: account.licence_number,
        },
    })
}

/// The accounts among `accounts` that `password` opens. Every hash is checked at once on the
/// blocking pool, so an address used in two organisations takes about as long as one used in one;
/// with no account, a decoy hash is checked so that an unknown address takes as long as a known one.
async fn opened_by(
    password: String,
    accounts: Vec<account::Model>,
) -> Result<Vec<account::Model>, ApiError> {
    if accounts.is_empty() {
        passwords::verify(password, passwords::DECOY_HASH.into()).await?;
        return Ok(Vec::new());
    }
    let checks = accounts
        .iter()
        .map(|a| passwords::verify(password.clone(), a.password_hash.clone()));
    let opens = futures_util::future::try_join_all(checks).await?;
    Ok(accounts
        .into_iter()
        .zip(opens)
        .filter_map(|(a, ok)| ok.then_some(a))
        .collect())
}

/// Verifies a bearer token and the account behind it.
pub async fn authenticate(ctx: &AppContext, token: &str) -> Result<Staff, ApiError> {
    let claims = ctx.tokens.verify(token).map_err(|_| {
        ApiError::new(
            ErrorCode::InvalidToken,
            "the token is invalid or has expired; sign in again",
        )
    })?;
    if revocations::is_revoked(ctx, &claims.jti).await? {
        return Err(ApiError::new(
            ErrorCode::InvalidToken,
            "the token has been revoked; sign in again",
        ));
    }
    let account = accounts::find(&ctx.db, claims.organisation(), claims.account())
        .await?
        .filter(|a| !a.disabled)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidToken,
                "the account of this token is disabled or gone",
            )
        })?;
    let role = Role::parse(&account.role).map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?;
    Ok(Staff {
        account: claims.account(),
        organisation: claims.organisation(),
        role,
        token_expires_at: claims.expires_at(),
        token_id: claims.jti,
    })
}

/// Revokes the caller's token until it would have expired anyway, durably (a restart or a
/// flush of the live store does not bring it back).
pub async fn logout(ctx: &AppContext, staff: &Staff) -> Result<(), ApiError> {
    revocations::revoke(ctx, &staff.token_id, staff.account, staff.token_expires_at).await
}

/// The caller's own account.
pub async fn me(ctx: &AppContext, staff: &Staff) -> Result<AccountView, ApiError> {
    let account = accounts::find(&ctx.db, staff.organisation, staff.account)
        .await?
        .ok_or_else(|| ApiError::not_found("account"))?;
    let org = organisations::find(&ctx.db, staff.organisation)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    Ok(AccountView {
        id: account.id,
        email: account.email,
        name: account.name,
        role: staff.role,
        organisation: OrganisationView {
            id: org.id,
            name: org.name,
        },
        unit: account.unit,
        licence_number: account.licence_number,
    })
}

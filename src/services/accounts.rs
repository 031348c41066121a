//! An administrator manages the accounts of their own organisation.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::auth::Staff;
use super::{audited, passwords, AppContext};
use crate::domain::account::{parse_unit, Email, LicenceNumber, NewPassword, PersonName, Role};
use crate::domain::ids::{AccountId, OrganisationId};
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::accounts;
use crate::store::audit::AuditRecord;
use crate::store::entities::account;

/// An account as shown to administrators (never its password hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountSummary {
    /// Account id.
    pub id: uuid::Uuid,
    /// Sign-in address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    #[schema(value_type = String, example = "proctor")]
    pub role: Role,
    /// Whether it may sign in.
    pub disabled: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The unit the person works in (assessors are not assigned to participants of their unit).
    pub unit: Option<String>,
    /// A psychologist's licence number (SIPP), printed on the reports they release; required
    /// before they can release any.
    pub licence_number: Option<String>,
}

impl AccountSummary {
    fn from_model(m: account::Model) -> Result<Self, ApiError> {
        Ok(Self {
            role: Role::parse(&m.role).map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?,
            id: m.id,
            email: m.email,
            name: m.name,
            disabled: m.disabled,
            created_at: m.created_at,
            unit: m.unit,
            licence_number: m.licence_number,
        })
    }
}

/// The parts of an account besides its sign-in: where the person works and, for a
/// psychologist, their licence number.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// The unit (1–200 characters), or `null`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The licence number (SIPP: 3–60 letters, digits, spaces and / . -, with a digit), or
    /// `null`.
    #[serde(default)]
    pub licence_number: Option<String>,
}

/// A checked profile.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    unit: Option<String>,
    licence_number: Option<LicenceNumber>,
}

impl Profile {
    /// Checks a requested profile, naming each bad field.
    pub fn parse(req: &ProfileRequest) -> Result<Self, Vec<FieldError>> {
        let mut errs = Vec::new();
        let unit = match req.unit.as_deref() {
            None => None,
            Some(u) => parse_unit(u)
                .map_err(|m| errs.push(FieldError::top("unit", m)))
                .ok(),
        };
        let licence_number = match req.licence_number.as_deref() {
            None => None,
            Some(l) => LicenceNumber::parse(l)
                .map_err(|m| errs.push(FieldError::top("licence_number", m)))
                .ok(),
        };
        if errs.is_empty() {
            Ok(Self {
                unit,
                licence_number,
            })
        } else {
            Err(errs)
        }
    }
}

/// A proctor as HR picks one for a session: who, not how the account is managed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProctorSummary {
    /// Account id, what a session's `proctor` names.
    pub id: uuid::Uuid,
    /// Display name.
    pub name: String,
    /// Sign-in address.
    pub email: String,
}

/// The enabled proctor accounts of the caller's organisation, by name: what a session's proctor
/// may be. Open to HR, who assigns proctors but does not manage accounts.
pub async fn proctors(ctx: &AppContext, staff: &Staff) -> Result<Vec<ProctorSummary>, ApiError> {
    Ok(
        accounts::enabled_with_role(&ctx.db, staff.organisation, Role::Proctor)
            .await?
            .into_iter()
            .map(|m| ProctorSummary {
                id: m.id,
                name: m.name,
                email: m.email,
            })
            .collect(),
    )
}

/// A request to create an account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccountRequest {
    /// Sign-in address, unique within the organisation (another organisation may use it too).
    pub email: String,
    /// Display name.
    pub name: String,
    /// One of admin, hr, proctor, assessor, psychologist.
    pub role: String,
    /// Initial password, 10–128 characters.
    pub password: String,
    /// The unit the person works in.
    #[serde(default)]
    pub unit: Option<String>,
    /// A psychologist's licence number (SIPP).
    #[serde(default)]
    pub licence_number: Option<String>,
}

/// Accounts of the caller's organisation.
pub async fn list(ctx: &AppContext, staff: &Staff) -> Result<Vec<AccountSummary>, ApiError> {
    accounts::list(&ctx.db, staff.organisation)
        .await?
        .into_iter()
        .map(AccountSummary::from_model)
        .collect()
}

/// Creates an account in the caller's organisation; every invalid field is reported at once.
pub async fn create(
    ctx: &AppContext,
    staff: &Staff,
    req: NewAccountRequest,
) -> Result<AccountSummary, ApiError> {
    let mut errs = Vec::new();
    let email = Email::parse(&req.email)
        .map_err(|m| errs.push(FieldError::top("email", m)))
        .ok();
    let name = PersonName::parse(&req.name)
        .map_err(|m| errs.push(FieldError::top("name", m)))
        .ok();
    let role = Role::parse(&req.role)
        .map_err(|m| errs.push(FieldError::top("role", m)))
        .ok();
    let password = NewPassword::parse(&req.password)
        .map_err(|m| errs.push(FieldError::top("password", m)))
        .ok();
    let profile = Profile::parse(&ProfileRequest {
        unit: req.unit.clone(),
        licence_number: req.licence_number.clone(),
    })
    .map_err(|e| errs.extend(e))
    .ok();
    let (Some(email), Some(name), Some(role), Some(password), Some(profile)) =
        (email, name, role, password, profile)
    else {
        return Err(ApiError::with_errors(
            ErrorCode::InvalidInput,
            "the account has invalid fields",
            errs,
        ));
    };
    create_with_profile(
        ctx,
        staff.organisation,
        Some(staff.account),
        NewStaff {
            email: &email,
            name: &name,
            role,
            password: &password,
            profile,
        },
    )
    .await
}

/// Who a new account is for.
pub struct NewStaff<'a> {
    /// Sign-in address.
    pub email: &'a Email,
    /// Name.
    pub name: &'a PersonName,
    /// Role.
    pub role: Role,
    /// Initial password.
    pub password: &'a NewPassword,
    /// Unit and licence number.
    pub profile: Profile,
}

/// Creates an account in an organisation (also used by bootstrap and the demo).
pub async fn create_in(
    ctx: &AppContext,
    org: OrganisationId,
    actor: Option<AccountId>,
    email: &Email,
    name: &PersonName,
    role: Role,
    password: &NewPassword,
) -> Result<AccountSummary, ApiError> {
    create_with_profile(
        ctx,
        org,
        actor,
        NewStaff {
            email,
            name,
            role,
            password,
            profile: Profile::default(),
        },
    )
    .await
}

/// Creates an account with its unit and licence number.
pub async fn create_with_profile(
    ctx: &AppContext,
    org: OrganisationId,
    actor: Option<AccountId>,
    new: NewStaff<'_>,
) -> Result<AccountSummary, ApiError> {
    let NewStaff {
        email,
        name,
        role,
        password,
        profile,
    } = new;
    let password_hash = passwords::hash(password.expose().to_owned()).await?;
    let txn = crate::store::begin_write(&ctx.db).await?;
    let created = audited::unless_taken(
        accounts::insert(
            &txn,
            accounts::NewAccount {
                organisation: org,
                email,
                name,
                role,
                password_hash,
                unit: profile.unit,
                licence_number: profile.licence_number.map(|l| l.as_str().to_owned()),
            },
            ctx.clock.now(),
        )
        .await,
        || {
            ApiError::new(
                ErrorCode::EmailTaken,
                format!(
                    "an account of this organisation already has the address {}",
                    email.as_str()
                ),
            )
        },
    )?;
    let summary = AccountSummary::from_model(created)?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: org,
            actor,
            action: "account.create",
            target_type: "account",
            target_id: summary.id.to_string(),
            before: None,
            after: Some(serde_json::json!({"email": summary.email, "name": summary.name,
                "role": summary.role, "unit": summary.unit, "licence_number": summary.licence_number})),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    Ok(summary)
}

/// Disables or re-enables an account of the caller's organisation. Disabling takes effect on the
/// account's very next request: every request checks the account.
pub async fn set_disabled(
    ctx: &AppContext,
    staff: &Staff,
    id: AccountId,
    disabled: bool,
) -> Result<AccountSummary, ApiError> {
    if disabled && id == staff.account {
        return Err(ApiError::new(
            ErrorCode::CannotDisableSelf,
            "you cannot disable your own account",
        ));
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    let current = accounts::find_for_update(&txn, staff.organisation, id)
        .await?
        .ok_or_else(|| ApiError::not_found("account"))?;
    let before = current.disabled;
    let updated = accounts::set_disabled(&txn, current, disabled, ctx.clock.now()).await?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: if disabled {
                "account.disable"
            } else {
                "account.enable"
            },
            target_type: "account",
            target_id: id.to_string(),
            before: Some(serde_json::json!({"disabled": before})),
            after: Some(serde_json::json!({"disabled": disabled})),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    AccountSummary::from_model(updated)
}

/// Sets the unit and licence number of an account of the caller's organisation (admin; audited
/// with both before and after). Leaving a field `null` clears it.
pub async fn set_profile(
    ctx: &AppContext,
    staff: &Staff,
    id: AccountId,
    req: ProfileRequest,
) -> Result<AccountSummary, ApiError> {
    let profile = Profile::parse(&req).map_err(|errs| {
        ApiError::with_errors(
            ErrorCode::InvalidInput,
            "the profile has invalid fields; nothing was changed",
            errs,
        )
    })?;
    let txn = crate::store::begin_write(&ctx.db).await?;
    let found = accounts::find_for_update(&txn, staff.organisation, id)
        .await?
        .ok_or_else(|| ApiError::not_found("account"))?;
    let before = serde_json::json!({"unit": found.unit, "licence_number": found.licence_number});
    let licence = profile.licence_number.map(|l| l.as_str().to_owned());
    let updated =
        accounts::set_profile(&txn, found, profile.unit, licence, ctx.clock.now()).await?;
    let summary = AccountSummary::from_model(updated)?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "account.profile",
            target_type: "account",
            target_id: id.to_string(),
            before: Some(before),
            after: Some(serde_json::json!({"unit": summary.unit,
                "licence_number": summary.licence_number})),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    Ok(summary)
}

//! Staff accounts. Every query but the sign-in look-up is scoped to one organisation; an e-mail
//! address is unique within an organisation, and one person may hold accounts in several.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::entities::account::{self, Entity as Account};
use super::query::in_org;
use crate::domain::account::{Email, PersonName, Role};
use crate::domain::ids::{AccountId, OrganisationId};

/// A new account's fields.
pub struct NewAccount<'a> {
    /// Its organisation.
    pub organisation: OrganisationId,
    /// Sign-in address.
    pub email: &'a Email,
    /// Display name.
    pub name: &'a PersonName,
    /// What it may do.
    pub role: Role,
    /// The argon2 PHC string.
    pub password_hash: String,
    /// The unit the person works in.
    pub unit: Option<String>,
    /// A psychologist's licence number (SIPP).
    pub licence_number: Option<String>,
}

/// Inserts an account; an address the organisation already uses fails with a unique violation.
#[tracing::instrument(skip(db, new), fields(email = new.email.as_str()))]
pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewAccount<'_>,
    now: DateTime<Utc>,
) -> Result<account::Model, DbErr> {
    account::ActiveModel {
        id: Set(AccountId::new().as_uuid()),
        organisation_id: Set(new.organisation.as_uuid()),
        email: Set(new.email.as_str().to_owned()),
        name: Set(new.name.as_str().to_owned()),
        role: Set(new.role.as_str().to_owned()),
        password_hash: Set(new.password_hash),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        unit: Set(new.unit),
        licence_number: Set(new.licence_number),
    }
    .insert(db)
    .await
}

/// The accounts signing in with this address, one per organisation that uses it (oldest first).
pub async fn with_email(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<Vec<account::Model>, DbErr> {
    Account::find()
        .filter(account::Column::Email.eq(email.as_str()))
        .order_by_asc(account::Column::CreatedAt)
        .all(db)
        .await
}

/// An account of one organisation.
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    id: AccountId,
) -> Result<Option<account::Model>, DbErr> {
    in_org::<Account>(account::Column::OrganisationId, org, id.as_uuid())
        .one(db)
        .await
}

/// As [`find`], locking the row until the transaction `db` ends (PostgreSQL; SQLite's write
/// transactions exclude each other already), for a change that depends on what it reads.
pub async fn find_for_update(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    id: AccountId,
) -> Result<Option<account::Model>, DbErr> {
    in_org::<Account>(account::Column::OrganisationId, org, id.as_uuid())
        .lock_exclusive()
        .one(db)
        .await
}

/// All accounts of one organisation, by e-mail.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganisationId,
) -> Result<Vec<account::Model>, DbErr> {
    Account::find()
        .filter(account::Column::OrganisationId.eq(org.as_uuid()))
        .order_by_asc(account::Column::Email)
        .all(db)
        .await
}

/// The enabled accounts of one role in one organisation, by name then e-mail.
pub async fn enabled_with_role(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    role: Role,
) -> Result<Vec<account::Model>, DbErr> {
    Account::find()
        .filter(account::Column::OrganisationId.eq(org.as_uuid()))
        .filter(account::Column::Role.eq(role.as_str()))
        .filter(account::Column::Disabled.eq(false))
        .order_by_asc(account::Column::Name)
        .order_by_asc(account::Column::Email)
        .all(db)
        .await
}

/// Disables or re-enables an account.
pub async fn set_disabled(
    db: &impl ConnectionTrait,
    model: account::Model,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<account::Model, DbErr> {
    let mut am: account::ActiveModel = model.into();
    am.disabled = Set(disabled);
    am.updated_at = Set(now);
    am.update(db).await
}

/// Sets an account's unit and licence number.
pub async fn set_profile(
    db: &impl ConnectionTrait,
    model: account::Model,
    unit: Option<String>,
    licence_number: Option<String>,
    now: DateTime<Utc>,
) -> Result<account::Model, DbErr> {
    let mut active: account::ActiveModel = model.into();
    active.unit = Set(unit);
    active.licence_number = Set(licence_number);
    active.updated_at = Set(now);
    active.update(db).await
}

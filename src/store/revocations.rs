//! Revoked staff tokens: the durable copy of what the live store keeps for the check on every
//! request (the live store is the cache; this table survives its restarts and flushes).
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::entities::revoked_token;
use crate::domain::ids::AccountId;

/// Records a revocation that holds until `expires_at`; a second revocation of one token keeps
/// the first.
pub async fn insert(
    db: &impl ConnectionTrait,
    jti: &str,
    account: AccountId,
    revoked_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = revoked_token::ActiveModel {
        jti: Set(jti.to_owned()),
        account_id: Set(account.as_uuid()),
        revoked_at: Set(revoked_at),
        expires_at: Set(expires_at),
    };
    revoked_token::Entity::insert(row)
        .on_conflict(
            OnConflict::column(revoked_token::Column::Jti)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The revocations still in force at `now`: (token identifier, until when).
pub async fn in_force(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<(String, DateTime<Utc>)>, DbErr> {
    Ok(revoked_token::Entity::find()
        .filter(revoked_token::Column::ExpiresAt.gt(now))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.jti, r.expires_at))
        .collect())
}

/// Forgets the revocations of tokens that expired before `now` (they are refused as expired);
/// how many went.
pub async fn prune(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(revoked_token::Entity::delete_many()
        .filter(revoked_token::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected)
}

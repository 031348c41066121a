//! Writing a change together with its audit entry (invariant 8): an insert whose unique
//! violation becomes the caller's clear error, then the audit entry, then one commit for both.
use sea_orm::{DatabaseTransaction, DbErr};

use crate::error::ApiError;
use crate::store::{self, audit, audit::AuditRecord};

/// The result of an insert, with a unique violation (the code, address or version is taken)
/// turned into `taken`'s error; any other failure stays a database error.
pub fn unless_taken<T>(
    inserted: Result<T, DbErr>,
    taken: impl FnOnce() -> ApiError,
) -> Result<T, ApiError> {
    inserted.map_err(|e| {
        if store::is_unique_violation(&e) {
            taken()
        } else {
            e.into()
        }
    })
}

/// Writes the audit entry of the change made in `txn` and commits both together.
pub async fn commit(txn: DatabaseTransaction, rec: AuditRecord<'_>) -> Result<(), ApiError> {
    audit::record(&txn, rec).await?;
    txn.commit().await?;
    Ok(())
}

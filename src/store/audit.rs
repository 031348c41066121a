//! The audit log: who changed what, when, with the state before and after.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::entities::audit_entry::{self, Entity as AuditEntry};
use crate::domain::ids::{AccountId, OrganisationId};

/// One audited change.
pub struct AuditRecord<'a> {
    /// The organisation the change belongs to.
    pub organisation: OrganisationId,
    /// Who did it (none for the system itself).
    pub actor: Option<AccountId>,
    /// What was done, e.g. `instrument.import`.
    pub action: &'a str,
    /// Kind of object changed, e.g. `instrument`.
    pub target_type: &'a str,
    /// Its identifier.
    pub target_id: String,
    /// State before the change.
    pub before: Option<serde_json::Value>,
    /// State after the change.
    pub after: Option<serde_json::Value>,
    /// Why, when the actor gave a reason.
    pub reason: Option<String>,
    /// When, by the node's clock.
    pub at: DateTime<Utc>,
}

/// Appends an entry; call it inside the transaction that makes the change.
pub async fn record(db: &impl ConnectionTrait, rec: AuditRecord<'_>) -> Result<(), DbErr> {
    audit_entry::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(rec.organisation.as_uuid()),
        actor_account_id: Set(rec.actor.map(|a| a.as_uuid())),
        action: Set(rec.action.to_owned()),
        target_type: Set(rec.target_type.to_owned()),
        target_id: Set(rec.target_id),
        before: Set(rec.before),
        after: Set(rec.after),
        reason: Set(rec.reason),
        at: Set(rec.at),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Entries of one organisation, oldest first, optionally for one target.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    target: Option<(&str, &str)>,
) -> Result<Vec<audit_entry::Model>, DbErr> {
    let mut q = AuditEntry::find().filter(audit_entry::Column::OrganisationId.eq(org.as_uuid()));
    if let Some((kind, id)) = target {
        q = q
            .filter(audit_entry::Column::TargetType.eq(kind))
            .filter(audit_entry::Column::TargetId.eq(id));
    }
    q.order_by_asc(audit_entry::Column::At)
        .order_by_asc(audit_entry::Column::Id)
        .all(db)
        .await
}

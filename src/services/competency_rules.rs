//! An organisation's rule documents for competency results (evidence mapping, JPM rule, category
//! schemes, 9-box, IP ASN, development routes): each kind starts as the seeded default, version 1,
//! stored the first time it is needed; HR and admin store new versions; every version stays
//! readable, so a result that names its versions can be recomputed exactly.
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::auth::Staff;
use super::{audited, AppContext};
use crate::domain::competency::rule_set::RuleKind;
use crate::domain::competency::RuleError;
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::competency_rules as repo;
use crate::store::entities::competency_rule;

/// One version of one rule document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleVersion {
    /// The kind: `evidence_mapping`, `jpm`, `category_schemes`, `nine_box`, `ip_asn` or
    /// `development`.
    pub kind: String,
    /// The version, from 1.
    pub version: i32,
    /// The document (its own `version` is this version).
    #[schema(value_type = Object)]
    pub document: serde_json::Value,
    /// When it was stored.
    pub created_at: DateTime<Utc>,
    /// Who stored it; none for the seeded default.
    pub created_by: Option<uuid::Uuid>,
}

impl From<competency_rule::Model> for RuleVersion {
    fn from(m: competency_rule::Model) -> Self {
        Self {
            kind: m.kind,
            version: m.version,
            document: m.document,
            created_at: m.created_at,
            created_by: m.created_by,
        }
    }
}

/// The current version of `kind` for the caller's organisation (the seeded default, stored as
/// version 1, until someone stores another).
pub async fn current(
    ctx: &AppContext,
    staff: &Staff,
    kind: RuleKind,
) -> Result<RuleVersion, ApiError> {
    let org = staff.organisation;
    if let Some(m) = repo::latest(&ctx.db, org, kind.as_str()).await? {
        return Ok(m.into());
    }
    repo::insert_first(
        &ctx.db,
        org,
        kind.as_str(),
        kind.defaults(),
        ctx.clock.now(),
    )
    .await?;
    repo::latest(&ctx.db, org, kind.as_str())
        .await?
        .map(Into::into)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("the seeded rule was not stored")))
}

/// Every kind's current version.
pub async fn all_current(ctx: &AppContext, staff: &Staff) -> Result<Vec<RuleVersion>, ApiError> {
    let mut out = Vec::with_capacity(RuleKind::ALL.len());
    for kind in RuleKind::ALL {
        out.push(current(ctx, staff, kind).await?);
    }
    Ok(out)
}

/// Version `version` of `kind`, or 404.
pub async fn at_version(
    ctx: &AppContext,
    staff: &Staff,
    kind: RuleKind,
    version: i32,
) -> Result<RuleVersion, ApiError> {
    // Version 1 exists as soon as anyone asks: it is the seeded default.
    if version == 1 {
        current(ctx, staff, kind).await?;
    }
    repo::at_version(&ctx.db, staff.organisation, kind.as_str(), version)
        .await?
        .map(Into::into)
        .ok_or_else(|| ApiError::not_found("rule version"))
}

/// Stores `body` as the next version of `kind`, whole or not at all: every problem of the
/// document is named, and a refused document changes nothing. Audited.
pub async fn replace(
    ctx: &AppContext,
    staff: &Staff,
    kind: RuleKind,
    body: &[u8],
) -> Result<RuleVersion, ApiError> {
    let before = current(ctx, staff, kind).await?;
    let next = before.version + 1;
    let document = kind
        .check(body, next as u32)
        .map_err(|e| refused(kind, e))?;
    let now = ctx.clock.now();
    let txn = crate::store::begin_write(&ctx.db).await?;
    audited::unless_taken(
        repo::insert(
            &txn,
            staff.organisation,
            kind.as_str(),
            next,
            document,
            Some(staff.account),
            now,
        )
        .await,
        || {
            ApiError::new(
                ErrorCode::DatabaseBusy,
                "another version of this rule was stored at the same moment; nothing was changed, try again",
            )
        },
    )?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "competency_rule.replace",
            target_type: "competency_rule",
            target_id: kind.as_str().to_owned(),
            before: Some(
                serde_json::json!({"version": before.version, "document": before.document}),
            ),
            after: Some(serde_json::json!({"version": next})),
            reason: None,
            at: now,
        },
    )
    .await?;
    at_version(ctx, staff, kind, next).await
}

fn refused(kind: RuleKind, e: RuleError) -> ApiError {
    let errors = match e {
        RuleError::Syntax(m) => vec![FieldError::top("", m)],
        RuleError::Invalid(errors) => errors,
    };
    ApiError::with_errors(
        ErrorCode::InvalidRule,
        format!(
            "the {} document has {} problem(s); nothing was stored",
            kind.as_str(),
            errors.len()
        ),
        errors,
    )
}

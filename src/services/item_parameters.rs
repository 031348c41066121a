//! Item response theory parameters of an instrument: their versions, a new draft (uploaded now,
//! made by a calibration later), review against the version in use, publication and discarding.
//! Staff data only: candidates never receive parameters (architecture invariant 4).
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::auth::Staff;
use super::{audited, AppContext};
use crate::domain::ids::InstrumentId;
use crate::domain::irt::bank::{self, BankContext, ItemParameterDoc, ItemParametersDoc};
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::entities::item_parameter_set;
use crate::store::item_parameters::{self as repo, NewSet};

/// One version of an instrument's parameters, without the parameters.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParameterSetSummary {
    /// From 1.
    pub version: i32,
    /// `draft` or `published`.
    pub status: String,
    /// The scaling constant.
    #[serde(rename = "D")]
    pub d: f64,
    /// How the parameters were obtained.
    pub method: String,
    /// Simulated rather than estimated from responses.
    pub simulated: bool,
    /// How many items have parameters.
    pub item_count: usize,
    /// Made by a calibration (its report is in the full version).
    pub calibrated: bool,
    /// Who made it.
    pub created_by: Option<uuid::Uuid>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Who published it.
    pub published_by: Option<uuid::Uuid>,
    /// When.
    pub published_at: Option<DateTime<Utc>>,
}

/// Every version of an instrument's parameters.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParameterSetList {
    /// The version in use: the highest published one.
    pub current: Option<i32>,
    /// Newest first.
    pub versions: Vec<ParameterSetSummary>,
}

/// One version with its parameters.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParameterSet {
    /// What the version is.
    #[serde(flatten)]
    pub summary: ParameterSetSummary,
    /// The per-item parameters.
    pub items: Vec<ItemParameterDoc>,
    /// The calibration's report (standard errors, fit, convergence), when a calibration made it.
    #[schema(value_type = Option<Object>)]
    pub calibration: Option<serde_json::Value>,
}

/// One item in a comparison of two versions.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParameterChange {
    /// The item's code.
    pub item: String,
    /// Its parameters in the version compared against (none: not calibrated there).
    pub before: Option<ItemParameterDoc>,
    /// Its parameters in the version under review.
    pub after: Option<ItemParameterDoc>,
    /// after.a − before.a, when both have one.
    pub delta_a: Option<f64>,
    /// after.b − before.b, for dichotomous items in both.
    pub delta_b: Option<f64>,
}

/// Two versions side by side, for review before publishing.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParameterComparison {
    /// The version under review.
    pub version: i32,
    /// The version it is compared with (none: there is nothing to compare with).
    pub against: Option<i32>,
    /// Items of either version, in the instrument's order.
    pub items: Vec<ParameterChange>,
    /// The largest |Δb| over items in both.
    pub max_abs_delta_b: Option<f64>,
}

fn stored_items(m: &item_parameter_set::Model) -> Result<Vec<ItemParameterDoc>, ApiError> {
    Ok(repo::items_of(m)?)
}

fn summary(m: &item_parameter_set::Model, item_count: usize) -> ParameterSetSummary {
    ParameterSetSummary {
        version: m.version,
        status: m.status.clone(),
        d: m.scaling_d,
        method: m.method.clone(),
        simulated: m.simulated,
        item_count,
        calibrated: m.calibration.is_some(),
        created_by: m.created_by,
        created_at: m.created_at,
        published_by: m.published_by,
        published_at: m.published_at,
    }
}

fn full(m: item_parameter_set::Model) -> Result<ParameterSet, ApiError> {
    let items = stored_items(&m)?;
    Ok(ParameterSet {
        summary: summary(&m, items.len()),
        items,
        calibration: m.calibration,
    })
}

/// An instrument with the state of its item parameters.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InstrumentParameters {
    /// The instrument.
    pub id: uuid::Uuid,
    /// Its code.
    pub code: String,
    /// Its version.
    pub version: i32,
    /// Its name.
    #[schema(value_type = Object)]
    pub name: serde_json::Value,
    /// `cognitive`, `personality`…
    pub kind: String,
    /// `active` or `retired`.
    pub status: String,
    /// The parameter version in use, if any.
    pub current: Option<i32>,
    /// Drafts waiting for review.
    pub drafts: usize,
}

/// Every instrument of the caller's organisation with the state of its item parameters.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParameterOverview {
    /// By code, then version.
    pub instruments: Vec<InstrumentParameters>,
}

/// The organisation's instruments with the state of their item parameters: which version is in
/// use and how many drafts wait.
pub async fn overview(ctx: &AppContext, staff: &Staff) -> Result<ParameterOverview, ApiError> {
    let rows = crate::store::instruments::list(&ctx.db, staff.organisation, None).await?;
    let versions = repo::versions_of_organisation(&ctx.db, staff.organisation).await?;
    let instruments = rows
        .into_iter()
        .map(|r| {
            let of = versions.iter().filter(|(i, _, _)| *i == r.id);
            InstrumentParameters {
                current: of
                    .clone()
                    .filter(|(_, _, s)| s == repo::PUBLISHED)
                    .map(|(_, v, _)| *v)
                    .max(),
                drafts: of.filter(|(_, _, s)| s == repo::DRAFT).count(),
                id: r.id,
                code: r.code,
                version: r.version,
                name: r.name,
                kind: r.kind,
                status: r.status,
            }
        })
        .collect();
    Ok(ParameterOverview { instruments })
}

/// The versions of an instrument's parameters.
pub async fn list(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
) -> Result<ParameterSetList, ApiError> {
    super::instruments::require(ctx, staff.organisation, instrument).await?;
    let rows = repo::list(&ctx.db, staff.organisation, instrument).await?;
    let current = rows
        .iter()
        .filter(|r| r.status == repo::PUBLISHED)
        .map(|r| r.version)
        .max();
    let versions = rows
        .iter()
        .map(|r| Ok(summary(r, stored_items(r)?.len())))
        .collect::<Result<_, ApiError>>()?;
    Ok(ParameterSetList { current, versions })
}

async fn find(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    version: i32,
) -> Result<item_parameter_set::Model, ApiError> {
    super::instruments::require(ctx, staff.organisation, instrument).await?;
    repo::find(&ctx.db, staff.organisation, instrument, version)
        .await?
        .ok_or_else(|| ApiError::not_found("item parameter version"))
}

/// One version with its parameters.
pub async fn get(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    version: i32,
) -> Result<ParameterSet, ApiError> {
    full(find(ctx, staff, instrument, version).await?)
}

/// Checks a parameter set against the instrument's items: every problem named, or `Ok`.
pub async fn check(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    doc: &ItemParametersDoc,
) -> Result<(), ApiError> {
    let inst =
        super::instruments::document_without_assets(ctx, staff.organisation, instrument).await?;
    let errors = bank::validate(
        doc,
        "",
        &BankContext {
            items: &inst.items,
            likert_points: inst.likert_anchors.as_ref().map(Vec::len),
        },
    );
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::with_errors(
            ErrorCode::InvalidItemParameters,
            format!(
                "the item parameters have {} error{}; nothing was stored",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ),
            errors,
        ))
    }
}

/// Stores a checked parameter set as the instrument's next version, a draft for review.
pub async fn create_draft(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    doc: &ItemParametersDoc,
    calibration: Option<serde_json::Value>,
) -> Result<ParameterSet, ApiError> {
    check(ctx, staff, instrument, doc).await?;
    let txn = crate::store::begin_write(&ctx.db).await?;
    let row = audited::unless_taken(
        repo::insert(
            &txn,
            NewSet {
                organisation: staff.organisation,
                instrument,
                doc,
                calibration: calibration.clone(),
                published: false,
                actor: Some(staff.account),
                now: ctx.clock.now(),
            },
        )
        .await,
        || {
            ApiError::new(
                ErrorCode::InvalidStateTransition,
                "another version was made at the same moment; send the request again",
            )
        },
    )?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "item_parameters.draft",
            target_type: "instrument",
            target_id: instrument.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "version": row.version, "method": doc.method, "items": doc.items.len(),
                "calibrated": calibration.is_some(),
            })),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    full(row)
}

/// Publishes a draft: it becomes the instrument's current parameters; older versions stay.
pub async fn publish(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    version: i32,
) -> Result<ParameterSet, ApiError> {
    let row = find(ctx, staff, instrument, version).await?;
    let txn = crate::store::begin_write(&ctx.db).await?;
    if !repo::publish(&txn, row.id, staff.account, ctx.clock.now()).await? {
        return Err(not_a_draft(version));
    }
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "item_parameters.publish",
            target_type: "instrument",
            target_id: instrument.to_string(),
            before: None,
            after: Some(serde_json::json!({"version": version, "method": row.method})),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    get(ctx, staff, instrument, version).await
}

/// Discards a draft.
pub async fn discard(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    version: i32,
) -> Result<(), ApiError> {
    let row = find(ctx, staff, instrument, version).await?;
    let txn = crate::store::begin_write(&ctx.db).await?;
    if !repo::discard(&txn, row.id).await? {
        return Err(not_a_draft(version));
    }
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "item_parameters.discard",
            target_type: "instrument",
            target_id: instrument.to_string(),
            before: Some(serde_json::json!({"version": version, "method": row.method})),
            after: None,
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await
}

fn not_a_draft(version: i32) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidStateTransition,
        format!("version {version} is published; only a draft can be published or discarded"),
    )
}

/// A version side by side with another (by default the current published one, or the version
/// before it when it is the current one).
pub async fn compare(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    version: i32,
    with: Option<i32>,
) -> Result<ParameterComparison, ApiError> {
    let row = find(ctx, staff, instrument, version).await?;
    let against = match with {
        Some(v) => Some(find(ctx, staff, instrument, v).await?),
        None => repo::list(&ctx.db, staff.organisation, instrument)
            .await?
            .into_iter()
            .find(|r| r.status == repo::PUBLISHED && r.version != version),
    };
    let after = stored_items(&row)?;
    let before = against
        .as_ref()
        .map(stored_items)
        .transpose()?
        .unwrap_or_default();
    let inst =
        super::instruments::document_without_assets(ctx, staff.organisation, instrument).await?;
    let items: Vec<ParameterChange> = inst
        .items
        .iter()
        .filter_map(|it| {
            let b = before.iter().find(|p| p.item == it.code).cloned();
            let a = after.iter().find(|p| p.item == it.code).cloned();
            if a.is_none() && b.is_none() {
                return None;
            }
            let both = a.as_ref().zip(b.as_ref());
            Some(ParameterChange {
                item: it.code.clone(),
                delta_a: both.map(|(a, b)| a.a - b.a),
                delta_b: both.and_then(|(a, b)| Some(a.b? - b.b?)),
                before: b,
                after: a,
            })
        })
        .collect();
    let max_abs_delta_b = items
        .iter()
        .filter_map(|c| c.delta_b.map(f64::abs))
        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))));
    Ok(ParameterComparison {
        version,
        against: against.map(|r| r.version),
        items,
        max_abs_delta_b,
    })
}

/// The item characteristic and information curves of a version and its test information and SE
/// over a θ grid.
pub async fn curves(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    version: i32,
    grid: crate::domain::irt::curves::Grid,
) -> Result<crate::domain::irt::curves::Curves, ApiError> {
    let row = find(ctx, staff, instrument, version).await?;
    Ok(crate::domain::irt::curves::curves(
        &repo::as_doc(&row)?,
        grid,
    ))
}

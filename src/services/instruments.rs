//! The item bank: import, list, view, export and retire instruments.
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::auth::Staff;
use super::{audited, AppContext};
use crate::domain::ids::{AccountId, InstrumentId, OrganisationId};
use crate::domain::instrument::{
    parse_instrument, Aggregate, AssetDoc, InstrumentDoc, InstrumentError, InstrumentKind,
    ScaleDoc, ValidInstrument, FORMAT,
};
use crate::domain::item::ItemDoc;
use crate::domain::text::Text;
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::{self, AuditRecord};
use crate::store::entities::instrument;
use crate::store::instruments::{self as repo, InstrumentRecord};

/// An instrument in a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstrumentSummary {
    /// Instrument id.
    pub id: uuid::Uuid,
    /// Stable code.
    pub code: String,
    /// Content version.
    pub version: i32,
    /// cognitive, personality, situational, preference or work_style.
    pub kind: String,
    /// Display name.
    #[schema(value_type = Object)]
    pub name: serde_json::Value,
    /// active or retired.
    pub status: String,
    /// All items, practice included.
    pub item_count: u64,
    /// Scored items.
    pub scored_item_count: u64,
    /// Scales.
    pub scale_count: u64,
    /// When it was imported.
    pub created_at: DateTime<Utc>,
}

/// The result of an import or a dry run.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    /// The new instrument's id; absent on a dry run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<uuid::Uuid>,
    /// Whether the document is valid (always true: invalid documents are errors).
    pub valid: bool,
    /// Whether this was only a check.
    pub dry_run: bool,
    /// Instrument code.
    pub code: String,
    /// Instrument version.
    pub version: u32,
    /// All items.
    pub item_count: usize,
    /// Norm tables included.
    pub norm_table_count: usize,
    /// Items with item response theory parameters (imported as parameter version 1).
    pub item_parameter_count: usize,
}

/// A norm table as listed with its instrument.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NormTableSummary {
    /// Norm table id: every score names the table that produced it.
    pub id: uuid::Uuid,
    /// Scale code.
    pub scale: String,
    /// Norm-group code.
    pub group: String,
    /// Group label.
    #[schema(value_type = Object)]
    pub name: serde_json::Value,
    /// An example table, not empirical norms.
    pub illustrative: bool,
    /// How it was built.
    pub method: String,
    /// Sample size.
    pub n: i32,
    /// Raw mean.
    pub mean: f64,
    /// Raw standard deviation.
    pub sd: f64,
}

/// An asset reference for staff pages.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssetRef {
    /// File name.
    pub name: String,
    /// Media type.
    pub media_type: String,
    /// Where to fetch it (with the bearer token).
    pub url: String,
}

/// The full staff view of an instrument, keys included.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstrumentDetail {
    /// Instrument id.
    pub id: uuid::Uuid,
    /// Stable code.
    pub code: String,
    /// Version.
    pub version: i32,
    /// Kind.
    pub kind: String,
    /// Display name.
    #[schema(value_type = Object)]
    pub name: serde_json::Value,
    /// For staff.
    #[schema(value_type = Option<Object>)]
    pub description: Option<serde_json::Value>,
    /// For candidates.
    #[schema(value_type = Option<Object>)]
    pub instructions: Option<serde_json::Value>,
    /// Provenance and licence.
    pub source: String,
    /// active or retired.
    pub status: String,
    /// Likert point labels.
    #[schema(value_type = Option<Vec<Object>>)]
    pub likert_anchors: Option<serde_json::Value>,
    /// Scales in order.
    #[schema(value_type = Vec<Object>)]
    pub scales: Vec<ScaleDoc>,
    /// Items in the exchange format, keys included.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<ItemDoc>,
    /// Images.
    pub assets: Vec<AssetRef>,
    /// Norm tables.
    pub norms: Vec<NormTableSummary>,
    /// When it was imported.
    pub created_at: DateTime<Utc>,
    /// When it was retired.
    pub retired_at: Option<DateTime<Utc>>,
}

/// An asset's bytes.
pub struct AssetBytes {
    /// Media type.
    pub media_type: String,
    /// Bytes.
    pub data: Vec<u8>,
}

/// Which instruments to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    /// In use.
    #[default]
    Active,
    /// Kept for history.
    Retired,
    /// Both.
    All,
}

fn stored<T: serde::de::DeserializeOwned>(v: serde_json::Value, what: &str) -> Result<T, ApiError> {
    serde_json::from_value(v)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("stored {what} does not parse: {e}")))
}

/// Checks and, unless `dry_run`, stores an instrument document in the caller's organisation.
#[tracing::instrument(skip(ctx, staff, bytes), fields(bytes = bytes.len()))]
pub async fn import(
    ctx: &AppContext,
    staff: &Staff,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportOutcome, ApiError> {
    let inst = parse_instrument(bytes).map_err(|e| match e {
        InstrumentError::Syntax(m) => ApiError::new(
            ErrorCode::InvalidJson,
            format!("the file is not valid JSON: {m}"),
        ),
        InstrumentError::Invalid(errors) => ApiError::with_errors(
            ErrorCode::InvalidInstrument,
            format!(
                "the instrument file has {} error{}; nothing was imported",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ),
            errors,
        ),
    })?;
    import_valid(ctx, staff.organisation, Some(staff.account), &inst, dry_run).await
}

fn version_exists(doc: &InstrumentDoc) -> ApiError {
    ApiError::new(
        ErrorCode::InstrumentVersionExists,
        format!(
            "{} version {} already exists; import it with a higher version",
            doc.code, doc.version
        ),
    )
}

/// Stores a validated instrument (also used by the demo and the command line).
pub async fn import_valid(
    ctx: &AppContext,
    org: OrganisationId,
    actor: Option<AccountId>,
    inst: &ValidInstrument,
    dry_run: bool,
) -> Result<ImportOutcome, ApiError> {
    let doc = inst.doc();
    let version = i32::try_from(doc.version)
        .map_err(|_| ApiError::new(ErrorCode::InvalidInput, "the version is too large"))?;
    let mut outcome = ImportOutcome {
        id: None,
        valid: true,
        dry_run,
        code: doc.code.clone(),
        version: doc.version,
        item_count: doc.items.len(),
        norm_table_count: doc.norms.len(),
        item_parameter_count: doc.item_parameters.as_ref().map_or(0, |p| p.items.len()),
    };
    if dry_run {
        if repo::find_by_code(&ctx.db, org, &doc.code, version)
            .await?
            .is_some()
        {
            return Err(version_exists(doc));
        }
        return Ok(outcome);
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    let model =
        audited::unless_taken(repo::insert(&txn, org, inst, ctx.clock.now()).await, || {
            version_exists(doc)
        })?;
    if let Some(params) = &doc.item_parameters {
        crate::store::item_parameters::insert(
            &txn,
            crate::store::item_parameters::NewSet {
                organisation: org,
                instrument: InstrumentId::from(model.id),
                doc: params,
                calibration: None,
                published: true,
                actor,
                now: ctx.clock.now(),
            },
        )
        .await?;
    }
    audited::commit(
        txn,
        AuditRecord {
            organisation: org,
            actor,
            action: "instrument.import",
            target_type: "instrument",
            target_id: model.id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "code": doc.code, "version": doc.version, "items": doc.items.len(),
                "norm_tables": doc.norms.iter().map(|n| format!("{}/{}", n.scale, n.group)).collect::<Vec<_>>(),
                "item_parameters": doc.item_parameters.as_ref().map(|p| p.items.len()),
            })),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    outcome.id = Some(model.id);
    Ok(outcome)
}

/// Instruments of the caller's organisation.
pub async fn list(
    ctx: &AppContext,
    staff: &Staff,
    filter: StatusFilter,
) -> Result<Vec<InstrumentSummary>, ApiError> {
    let status = match filter {
        StatusFilter::Active => Some(repo::ACTIVE),
        StatusFilter::Retired => Some(repo::RETIRED),
        StatusFilter::All => None,
    };
    let rows = repo::list(&ctx.db, staff.organisation, status).await?;
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let counts = repo::counts(&ctx.db, &ids).await?;
    Ok(rows
        .into_iter()
        .zip(counts)
        .map(|(r, (_, items, scored, scales))| summary(r, items, scored, scales))
        .collect())
}

fn summary(
    r: instrument::Model,
    item_count: u64,
    scored_item_count: u64,
    scale_count: u64,
) -> InstrumentSummary {
    InstrumentSummary {
        id: r.id,
        code: r.code,
        version: r.version,
        kind: r.kind,
        name: r.name,
        status: r.status,
        item_count,
        scored_item_count,
        scale_count,
        created_at: r.created_at,
    }
}

async fn load(
    ctx: &AppContext,
    staff: &Staff,
    id: InstrumentId,
) -> Result<InstrumentRecord, ApiError> {
    let row = repo::find(&ctx.db, staff.organisation, id)
        .await?
        .ok_or_else(|| ApiError::not_found("instrument"))?;
    Ok(repo::load(&ctx.db, row).await?)
}

/// The staff view of one instrument.
pub async fn detail(
    ctx: &AppContext,
    staff: &Staff,
    id: InstrumentId,
) -> Result<InstrumentDetail, ApiError> {
    let rec = load(ctx, staff, id).await?;
    let i = rec.instrument;
    Ok(InstrumentDetail {
        scales: rec
            .scales
            .into_iter()
            .map(scale_doc)
            .collect::<Result<_, _>>()?,
        items: rec
            .items
            .into_iter()
            .map(|it| stored(it.body, "item"))
            .collect::<Result<_, _>>()?,
        assets: rec
            .assets
            .into_iter()
            .map(|(name, media_type)| AssetRef {
                url: format!("/api/v1/instruments/{}/assets/{}", i.id, name),
                name,
                media_type,
            })
            .collect(),
        norms: rec
            .norms
            .into_iter()
            .map(|n| NormTableSummary {
                id: n.id,
                scale: n.scale_code,
                group: n.group_code,
                name: n.name,
                illustrative: n.illustrative,
                method: n.method,
                n: n.n,
                mean: n.mean,
                sd: n.sd,
            })
            .collect(),
        id: i.id,
        code: i.code,
        version: i.version,
        kind: i.kind,
        name: i.name,
        description: i.description,
        instructions: i.instructions,
        source: i.source,
        status: i.status,
        likert_anchors: i.likert_anchors,
        created_at: i.created_at,
        retired_at: i.retired_at,
    })
}

fn scale_doc(s: crate::store::entities::scale::Model) -> Result<ScaleDoc, ApiError> {
    Ok(ScaleDoc {
        name: stored(s.name, "scale name")?,
        description: s
            .description
            .map(|d| stored(d, "scale description"))
            .transpose()?,
        aggregate: Aggregate::parse(&s.aggregate).unwrap_or_default(),
        code: s.code,
    })
}

/// The instrument as an exchange document that imports back to the same content.
pub async fn export(
    ctx: &AppContext,
    staff: &Staff,
    id: InstrumentId,
) -> Result<InstrumentDoc, ApiError> {
    let rec = load(ctx, staff, id).await?;
    let assets = repo::assets_with_data(&ctx.db, id).await?;
    let mut doc = document(rec, assets)?;
    doc.item_parameters = crate::store::item_parameters::current(&ctx.db, id)
        .await?
        .as_ref()
        .map(crate::store::item_parameters::as_doc)
        .transpose()?;
    Ok(doc)
}

/// Refuses (404) an instrument that is not `org`'s.
pub async fn require(
    ctx: &AppContext,
    org: OrganisationId,
    id: InstrumentId,
) -> Result<(), ApiError> {
    repo::find(&ctx.db, org, id)
        .await?
        .map(|_| ())
        .ok_or_else(|| ApiError::not_found("instrument"))
}

/// The document of an instrument of `org` without its asset bytes or item parameters, for
/// delivery and scoring.
pub async fn document_without_assets(
    ctx: &AppContext,
    org: crate::domain::ids::OrganisationId,
    id: InstrumentId,
) -> Result<InstrumentDoc, ApiError> {
    let row = repo::find(&ctx.db, org, id)
        .await?
        .ok_or_else(|| ApiError::not_found("instrument"))?;
    document(repo::load(&ctx.db, row).await?, Vec::new())
}

fn document(
    rec: InstrumentRecord,
    assets: Vec<crate::store::entities::item_asset::Model>,
) -> Result<InstrumentDoc, ApiError> {
    let i = rec.instrument;
    Ok(InstrumentDoc {
        format: FORMAT.to_owned(),
        kind: InstrumentKind::parse(&i.kind)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("stored kind {}", i.kind)))?,
        version: u32::try_from(i.version).map_err(ApiError::internal)?,
        name: stored(i.name, "name")?,
        description: i
            .description
            .map(|v| stored(v, "description"))
            .transpose()?,
        instructions: i
            .instructions
            .map(|v| stored(v, "instructions"))
            .transpose()?,
        likert_anchors: i
            .likert_anchors
            .map(|v| stored::<Vec<Text>>(v, "anchors"))
            .transpose()?,
        source: i.source,
        code: i.code,
        scales: rec
            .scales
            .into_iter()
            .map(scale_doc)
            .collect::<Result<_, _>>()?,
        assets: assets
            .into_iter()
            .map(|a| {
                let (svg, base64) = if a.media_type == "image/svg+xml" {
                    (Some(String::from_utf8_lossy(&a.data).into_owned()), None)
                } else {
                    (
                        None,
                        Some(base64::engine::general_purpose::STANDARD.encode(&a.data)),
                    )
                };
                AssetDoc {
                    name: a.name,
                    media_type: a.media_type,
                    svg,
                    base64,
                }
            })
            .collect(),
        items: rec
            .items
            .into_iter()
            .map(|it| stored(it.body, "item"))
            .collect::<Result<_, _>>()?,
        norms: rec
            .norms
            .iter()
            .map(crate::store::norm_tables::as_doc)
            .collect::<Result<_, _>>()?,
        item_parameters: None,
    })
}

/// One asset of an instrument of the caller's organisation.
pub async fn asset(
    ctx: &AppContext,
    staff: &Staff,
    id: InstrumentId,
    name: &str,
) -> Result<AssetBytes, ApiError> {
    repo::find(&ctx.db, staff.organisation, id)
        .await?
        .ok_or_else(|| ApiError::not_found("instrument"))?;
    let a = repo::asset(&ctx.db, id, name)
        .await?
        .ok_or_else(|| ApiError::not_found("asset"))?;
    Ok(AssetBytes {
        media_type: a.media_type,
        data: a.data,
    })
}

/// Retires an active instrument: it stays for history and re-scoring but no new battery uses it.
pub async fn retire(
    ctx: &AppContext,
    staff: &Staff,
    id: InstrumentId,
) -> Result<InstrumentSummary, ApiError> {
    let txn = crate::store::begin_write(&ctx.db).await?;
    let row = repo::find(&txn, staff.organisation, id)
        .await?
        .ok_or_else(|| ApiError::not_found("instrument"))?;
    if row.status != repo::ACTIVE {
        return Err(ApiError::new(
            ErrorCode::InvalidStateTransition,
            "the instrument is already retired",
        ));
    }
    if !repo::retire(&txn, id, ctx.clock.now()).await? {
        return Err(ApiError::new(
            ErrorCode::InvalidStateTransition,
            "the instrument is already retired",
        ));
    }
    let updated = repo::find(&txn, staff.organisation, id)
        .await?
        .ok_or_else(|| ApiError::not_found("instrument"))?;
    audit::record(
        &txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "instrument.retire",
            target_type: "instrument",
            target_id: id.to_string(),
            before: Some(serde_json::json!({"status": repo::ACTIVE})),
            after: Some(serde_json::json!({"status": repo::RETIRED})),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    let counts = repo::counts(&txn, &[updated.id]).await?;
    txn.commit().await?;
    let (_, items, scored, scales) = counts.first().copied().unwrap_or_default();
    Ok(summary(updated, items, scored, scales))
}

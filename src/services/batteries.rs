//! Batteries of timed sections built from the organisation's active instruments.
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::auth::Staff;
use super::{audited, AppContext};
use crate::domain::adaptive::{self, AdaptiveSpec};
use crate::domain::battery::{BatteryDoc, SectionDoc};
use crate::domain::ids::{AccountId, BatteryId, InstrumentId, OrganisationId};
use crate::domain::irt::cat::CatConfig;
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::batteries::{self as repo, BatteryRecord};
use crate::store::{instruments, item_parameters};

/// A section as shown to staff.
// `BatterySection` in the API document, apart from the candidate's `SectionView`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = BatterySection)]
pub struct SectionView {
    /// 0-based position.
    pub position: i32,
    /// Title.
    #[schema(value_type = Object)]
    pub title: serde_json::Value,
    /// Instructions, when the section overrides the instrument's.
    #[schema(value_type = Option<Object>)]
    pub instructions: Option<serde_json::Value>,
    /// Instrument delivered.
    pub instrument_id: uuid::Uuid,
    /// Its code.
    pub instrument_code: String,
    /// Its version.
    pub instrument_version: i32,
    /// Time limit.
    pub time_limit_seconds: i32,
    /// fixed or random.
    pub item_order: String,
    /// Option shuffling per attempt.
    pub shuffle_options: bool,
    /// free or forward_only.
    pub navigation: String,
    /// Random draw of N items, when set.
    pub draw: Option<i32>,
    /// An adaptive section's settings and the item-parameter version it runs on.
    #[schema(value_type = Option<Object>)]
    pub adaptive: Option<serde_json::Value>,
}

/// A battery as shown to staff.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatteryView {
    /// Battery id.
    pub id: uuid::Uuid,
    /// Code.
    pub code: String,
    /// Name.
    #[schema(value_type = Object)]
    pub name: serde_json::Value,
    /// Description.
    #[schema(value_type = Option<Object>)]
    pub description: Option<serde_json::Value>,
    /// Sections in order.
    pub sections: Vec<SectionView>,
    /// Total time of all sections.
    pub total_time_seconds: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

async fn view(
    ctx: &AppContext,
    org: OrganisationId,
    rec: BatteryRecord,
) -> Result<BatteryView, ApiError> {
    let instruments = instruments::list(&ctx.db, org, None).await?;
    let sections = rec
        .sections
        .into_iter()
        .map(|s| {
            let inst = instruments.iter().find(|i| i.id == s.instrument_id);
            SectionView {
                position: s.position,
                title: s.title,
                instructions: s.instructions,
                instrument_id: s.instrument_id,
                instrument_code: inst.map(|i| i.code.clone()).unwrap_or_default(),
                instrument_version: inst.map(|i| i.version).unwrap_or_default(),
                time_limit_seconds: s.time_limit_seconds,
                item_order: s.item_order,
                shuffle_options: s.shuffle_options,
                navigation: s.navigation,
                draw: s.draw_count,
                adaptive: s.adaptive,
            }
        })
        .collect::<Vec<_>>();
    Ok(BatteryView {
        total_time_seconds: sections
            .iter()
            .map(|s| i64::from(s.time_limit_seconds))
            .sum(),
        id: rec.battery.id,
        code: rec.battery.code,
        name: rec.battery.name,
        description: rec.battery.description,
        sections,
        created_at: rec.battery.created_at,
    })
}

/// The settings an adaptive section is stored with: its CAT settings and the parameter version
/// named (or the version in use), once that version's pool can serve them; otherwise the field
/// at fault and why.
async fn adaptive_spec(
    ctx: &AppContext,
    org: OrganisationId,
    instrument: InstrumentId,
    s: &SectionDoc,
    config: &CatConfig,
) -> Result<Result<AdaptiveSpec, (&'static str, String)>, ApiError> {
    let set = match s.parameters_version {
        Some(v) => item_parameters::find(&ctx.db, org, instrument, v as i32)
            .await?
            .filter(|m| m.status == item_parameters::PUBLISHED),
        None => item_parameters::current(&ctx.db, instrument).await?,
    };
    let Some(set) = set else {
        return Ok(Err((
            "parameters_version",
            match s.parameters_version {
                Some(v) => format!("{} has no published item parameters version {v}", s.instrument),
                None => format!(
                    "{} has no published item parameters: an adaptive section needs calibrated items",
                    s.instrument
                ),
            },
        )));
    };
    let doc = ctx.instrument_cache.get(ctx, org, instrument).await?;
    let params = item_parameters::as_doc(&set)?;
    let pool = match adaptive::pool_of(&doc, &params) {
        Ok(pool) => pool,
        Err(e) => return Ok(Err(("adaptive", e.message().to_owned()))),
    };
    if let Err(e) = config.validate(&pool) {
        return Ok(Err(("adaptive", e.message().to_owned())));
    }
    let mut scales: Vec<&str> = pool
        .items()
        .iter()
        .filter_map(|p| doc.items.iter().find(|i| i.code == p.id))
        .filter_map(|i| i.scale.as_deref())
        .collect();
    scales.sort_unstable();
    scales.dedup();
    if scales.len() != 1 {
        return Ok(Err((
            "adaptive",
            format!(
                "an adaptive section measures one scale; the calibrated items of {} count towards {}",
                s.instrument,
                scales.join(", ")
            ),
        )));
    }
    Ok(Ok(AdaptiveSpec {
        parameters_version: set.version as u32,
        config: config.clone(),
    }))
}

/// Batteries of the caller's organisation.
pub async fn list(ctx: &AppContext, staff: &Staff) -> Result<Vec<BatteryView>, ApiError> {
    let mut out = Vec::new();
    for rec in repo::list(&ctx.db, staff.organisation).await? {
        out.push(view(ctx, staff.organisation, rec).await?);
    }
    Ok(out)
}

/// One battery of the caller's organisation.
pub async fn get(ctx: &AppContext, staff: &Staff, id: BatteryId) -> Result<BatteryView, ApiError> {
    let rec = repo::find(&ctx.db, staff.organisation, id)
        .await?
        .ok_or_else(|| ApiError::not_found("battery"))?;
    view(ctx, staff.organisation, rec).await
}

/// Creates a battery in the caller's organisation.
pub async fn create(
    ctx: &AppContext,
    staff: &Staff,
    doc: BatteryDoc,
) -> Result<BatteryView, ApiError> {
    create_in(ctx, staff.organisation, Some(staff.account), doc).await
}

/// Creates a battery from a document whose sections name active instruments of `org`.
pub async fn create_in(
    ctx: &AppContext,
    org: OrganisationId,
    actor: Option<AccountId>,
    doc: BatteryDoc,
) -> Result<BatteryView, ApiError> {
    let active = instruments::list(&ctx.db, org, Some(instruments::ACTIVE)).await?;
    let ids: Vec<uuid::Uuid> = active.iter().map(|i| i.id).collect();
    let counts = instruments::counts(&ctx.db, &ids).await?;
    let lookup = |code: &str, version: u32| {
        active
            .iter()
            .zip(&counts)
            .find(|(i, _)| i.code == code && i64::from(i.version) == i64::from(version))
            .map(|(i, (_, _, scored, _))| (InstrumentId::from(i.id), *scored as usize))
    };
    let mut errors = doc.validate(|c, v| lookup(c, v).map(|(_, n)| n));
    let mut resolved = Vec::with_capacity(doc.sections.len());
    for (i, s) in doc.sections.iter().enumerate() {
        let Some((id, _)) = lookup(&s.instrument, s.version) else {
            continue;
        };
        let adaptive = match &s.adaptive {
            None => None,
            Some(config) => match adaptive_spec(ctx, org, id, s, config).await? {
                Ok(spec) => Some(spec),
                Err((field, message)) => {
                    errors.push(FieldError::top(format!("sections[{i}].{field}"), message));
                    None
                }
            },
        };
        resolved.push((id, adaptive));
    }
    ApiError::unless_no_errors(
        ErrorCode::InvalidBattery,
        "the battery has errors; nothing was created",
        errors,
    )?;
    let txn = crate::store::begin_write(&ctx.db).await?;
    let model = audited::unless_taken(
        repo::insert(&txn, org, &doc, &resolved, ctx.clock.now()).await,
        || {
            ApiError::new(
                ErrorCode::BatteryCodeExists,
                format!("a battery with the code {} already exists", doc.code),
            )
        },
    )?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: org,
            actor,
            action: "battery.create",
            target_type: "battery",
            target_id: model.id.to_string(),
            before: None,
            after: Some(serde_json::to_value(&doc).map_err(ApiError::internal)?),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    let rec = repo::find(&ctx.db, org, model.id.into())
        .await?
        .ok_or_else(|| ApiError::not_found("battery"))?;
    view(ctx, org, rec).await
}

//! Sympson–Hetter exposure parameters from a simulation, in the product: the adaptive test of
//! given settings is simulated over a published parameter version's pool
//! (`domain::irt::cat::derive_sympson_hetter`, the procedure of `meritest cat simulate --exposure
//! sh`), and the K found for each item, merged into that version, become a draft version with the
//! derivation's report, for a psychometrician to compare and publish. A battery then runs with
//! `"exposure": {"kind": "sympson_hetter"}` on the published version.
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

use super::auth::Staff;
use super::item_parameters::{self, ParameterSet};
use super::AppContext;
use crate::domain::adaptive;
use crate::domain::ids::InstrumentId;
use crate::domain::irt::bank::ItemParametersDoc;
use crate::domain::irt::cat::{derive_sympson_hetter, CatConfig, CatError};
use crate::error::{ApiError, ErrorCode};

/// What to derive the exposure parameters for.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExposureRequest {
    /// The published parameter version whose pool is simulated (default: the one in use).
    #[serde(default)]
    pub version: Option<i32>,
    /// The adaptive section's settings (as in a battery; `{}` takes every default). The
    /// simulation runs them with Sympson–Hetter whatever their `exposure`.
    #[serde(default = "default_config")]
    #[schema(value_type = Object)]
    pub adaptive: CatConfig,
    /// Target exposure rate r, above 0 and at most 1 (0.25).
    #[serde(default = "default_rate")]
    pub rate: f64,
    /// Simulees per round, 100–5,000 (1,000); rounds × simulees at most 20,000.
    #[serde(default = "default_simulees")]
    pub simulees: usize,
    /// Rounds, 1–20 (10).
    #[serde(default = "default_rounds")]
    pub rounds: usize,
    /// The simulation's seed (1): the same request gives the same parameters.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

/// The most simulated tests one request runs (rounds × simulees).
pub const MAX_SIMULATED: usize = 20_000;

fn default_config() -> CatConfig {
    serde_json::from_value(serde_json::json!({})).unwrap_or_else(|_| unreachable!())
}
fn default_rate() -> f64 {
    0.25
}
fn default_simulees() -> usize {
    1000
}
fn default_rounds() -> usize {
    10
}
fn default_seed() -> u64 {
    1
}

/// The draft made and how the parameters were found.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExposureOutcome {
    /// The draft version; its `calibration` holds the derivation's report.
    pub draft: ParameterSet,
    /// The version simulated.
    pub from_version: i32,
    /// The largest exposure rate seen in each round (the last with the K of the draft applied
    /// one round before).
    pub max_exposure_by_round: Vec<f64>,
    /// Items whose K ended below 1.
    pub items_limited: usize,
}

fn refusal(e: CatError) -> ApiError {
    let code = match e.code() {
        "pool_too_small" => ErrorCode::PoolTooSmall,
        _ => ErrorCode::InvalidInput,
    };
    ApiError::new(code, e.message().to_owned())
}

/// Derives Sympson–Hetter K for a published parameter version of an instrument of the caller's
/// organisation and stores them as a draft (audited); nothing is stored when it is refused.
pub async fn derive(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    req: ExposureRequest,
) -> Result<ExposureOutcome, ApiError> {
    // Bounded so that one request is a few seconds of one core at most.
    if !(100..=5_000).contains(&req.simulees) {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "simulees must be from 100 to 5,000",
        ));
    }
    if !(1..=20).contains(&req.rounds) || req.rounds * req.simulees > MAX_SIMULATED {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("rounds must be from 1 to 20, and rounds × simulees at most {MAX_SIMULATED}"),
        ));
    }
    let doc =
        super::instruments::document_without_assets(ctx, staff.organisation, instrument).await?;
    let version = match req.version {
        Some(v) => v,
        None => crate::store::item_parameters::current(&ctx.db, instrument)
            .await?
            .map(|m| m.version)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("{} has no published item parameters", doc.code),
                )
            })?,
    };
    let base = item_parameters::get(ctx, staff, instrument, version).await?;
    if base.summary.status != crate::store::item_parameters::PUBLISHED {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("version {version} is a draft: simulate a published version"),
        ));
    }
    let mut params = ItemParametersDoc {
        d: base.summary.d,
        method: base.summary.method.clone(),
        simulated: base.summary.simulated,
        items: base.items.clone(),
    };
    let pool = adaptive::pool_of(&doc, &params).map_err(refusal)?;
    req.adaptive.validate(&pool).map_err(refusal)?;
    let config = req.adaptive.clone();
    let (rate, rounds, simulees) = (req.rate, req.rounds, req.simulees);
    // The simulation's draws: ChaCha8 from the seed, as `meritest cat simulate` makes them.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(req.seed);
    // Thousands of simulated tests: off the request threads.
    let derived = tokio::task::spawn_blocking(move || {
        derive_sympson_hetter(&pool, &config, rate, rounds, simulees, &mut rng).map(|d| (d, pool))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(refusal)?;
    let (derivation, pool) = derived;
    for (item, k) in pool.items().iter().zip(&derivation.k) {
        if let Some(p) = params.items.iter_mut().find(|p| p.item == item.id) {
            p.exposure_k = (*k < 1.0).then_some(*k);
        }
    }
    params.method = format!(
        "{}; Sympson–Hetter K at r = {rate} from {rounds} rounds of {simulees} simulees (seed {})",
        params.method, req.seed
    );
    let report = serde_json::json!({
        "sympson_hetter": {
            "from_version": version,
            "rate": rate,
            "rounds": rounds,
            "simulees": simulees,
            "seed": req.seed,
            "adaptive": req.adaptive,
            "max_exposure_by_round": derivation.max_exposure_by_round,
            "items_limited": derivation.items_limited,
        }
    });
    let draft =
        item_parameters::create_draft(ctx, staff, instrument, &params, Some(report)).await?;
    Ok(ExposureOutcome {
        draft,
        from_version: version,
        max_exposure_by_round: derivation.max_exposure_by_round,
        items_limited: derivation.items_limited,
    })
}

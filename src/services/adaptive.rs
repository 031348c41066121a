//! Adaptive sections' state as the server keeps it: the settings copied into an attempt's
//! section, the pool they run on (cached per node) and where the candidate stands, read from the
//! stored answers and the selections stored with them ([`crate::domain::adaptive`]). Delivery
//! uses it to accept an answer and show the current item, scoring to report θ, the proctor's
//! view to show items answered and the SE.
use std::sync::Arc;

use crate::domain::adaptive::{self, AdaptiveSpec, Answered, Progress, Selection};
use crate::domain::delivery::AttemptSeed;
use crate::domain::ids::{InstrumentId, OrganisationId};
use crate::domain::irt::cat::Pool;
use crate::error::ApiError;
use crate::services::AppContext;
use crate::store::entities::{attempt, attempt_section, response};

/// The adaptive settings stored with a battery or attempt section, if it is adaptive.
pub fn spec_of(stored: Option<&serde_json::Value>) -> Result<Option<AdaptiveSpec>, ApiError> {
    stored
        .map(|v| serde_json::from_value(v.clone()))
        .transpose()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("stored adaptive settings: {e}")))
}

/// The selection stored with an answer, if any.
pub fn selection_of(row: &response::Model) -> Option<Selection> {
    row.selection
        .as_ref()
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// An adaptive section of an attempt as the server sees it now.
pub struct SectionState {
    /// Its settings.
    pub spec: AdaptiveSpec,
    /// Its pool.
    pub pool: Arc<Pool>,
    /// Where the candidate stands.
    pub progress: Progress,
}

/// Where a candidate stands in the adaptive section at `position` of an attempt of `org` with
/// `seed`, from the answers stored in that section (`rows`; rows of other sections are ignored).
pub async fn state(
    ctx: &AppContext,
    org: OrganisationId,
    seed: AttemptSeed,
    position: i32,
    instrument: InstrumentId,
    spec: AdaptiveSpec,
    rows: &[response::Model],
) -> Result<SectionState, ApiError> {
    let pool = ctx
        .instrument_cache
        .pool(ctx, org, instrument, spec.parameters_version)
        .await?;
    let answered = rows
        .iter()
        .filter(|r| r.section_position == position)
        .filter_map(|r| {
            Some(Answered {
                item: r.item_code.clone(),
                selection: selection_of(r)?,
            })
        })
        .collect();
    let progress = adaptive::progress(&pool, &spec.config, seed, position, answered)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("adaptive section: {}", e.message())))?;
    Ok(SectionState {
        spec,
        pool,
        progress,
    })
}

/// Where a candidate stands in an attempt's section, or `None` when it is not adaptive; `rows`
/// are the attempt's stored answers (those of other sections are ignored).
pub async fn section_state(
    ctx: &AppContext,
    attempt: &attempt::Model,
    section: &attempt_section::Model,
    rows: &[response::Model],
) -> Result<Option<SectionState>, ApiError> {
    let Some(spec) = spec_of(section.adaptive.as_ref())? else {
        return Ok(None);
    };
    state(
        ctx,
        OrganisationId::from(attempt.organisation_id),
        AttemptSeed::from_i64(attempt.seed),
        section.position,
        InstrumentId::from(section.instrument_id),
        spec,
        rows,
    )
    .await
    .map(Some)
}

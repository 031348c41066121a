//! Practice items: the candidate learns whether a practice answer was right. Nothing is recorded,
//! and only practice items of the section are judged: any other id, a scored item's included, is
//! not found (invariant 4: a scored item's key never leaves the server).
use serde::{Deserialize, Serialize};

use super::answers::response_shapes;
use super::views::{current_position, load_attempt, section_at};
use crate::domain::attempt::{AttemptStatus, SectionStatus};
use crate::domain::delivery::{item_handle, AttemptSeed};
use crate::domain::ids::{InstrumentId, OrganisationId};
use crate::domain::practice::{practice_feedback, PracticeRefusal};
use crate::domain::scoring::likert_points;
use crate::error::{ApiError, ErrorCode};
use crate::services::attempt::{ending, live, rules};
use crate::services::tokens::CandidateClaims;
use crate::services::AppContext;

/// A practice answer as the page sends it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeBody {
    /// The practice item's opaque id (as the section's `practice` list gives it).
    pub item: String,
    /// The response exactly as an answer is sent: `{"choice": id}`, `{"point": n}`,
    /// `{"most": id, "least": id}` or `{"value": n or "15,4"}`, with the attempt's opaque ids.
    #[schema(schema_with = response_shapes)]
    pub response: serde_json::Value,
}

/// Whether the practice answer was right, and the right one.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PracticeResult {
    /// Right or wrong; null for formats without a right answer (Likert, forced choice,
    /// most/least, weighted options).
    pub correct: Option<bool>,
    /// The right response in the shape answers are sent, with the attempt's opaque ids:
    /// `{"choice": id}` (single choice) or `{"value": n}` (numeric entry); null where `correct`
    /// is.
    #[schema(value_type = Option<Object>)]
    pub answer: Option<serde_json::Value>,
}

/// Judges a practice answer to a practice item of the section at `position`. Allowed where the
/// section may be read with its practice items: open, or pending and next once consent is
/// given. Records nothing.
pub async fn practice(
    ctx: &AppContext,
    who: &CandidateClaims,
    position: i32,
    body: PracticeBody,
) -> Result<PracticeResult, ApiError> {
    live::of_device(ctx, who).await?;
    let id = who.attempt();
    ending::close_if_due(ctx, id).await?;
    let (attempt, sections) = load_attempt(ctx, id).await?;
    let s = section_at(&sections, position)?;
    if attempt.status == AttemptStatus::Terminated {
        return Err(rules::terminated());
    }
    if attempt.status.is_over() {
        return Err(rules::finished());
    }
    match s.status {
        SectionStatus::Open => {}
        SectionStatus::Closed => return Err(rules::section_closed()),
        SectionStatus::Pending => {
            if current_position(&sections) != Some(position) || attempt.consent_at.is_none() {
                return Err(ApiError::new(
                    ErrorCode::SectionNotCurrent,
                    "this section's practice opens when it is the next one and consent is given",
                ));
            }
        }
    }
    let org = OrganisationId::from(attempt.organisation_id);
    let doc = ctx
        .instrument_cache
        .get(ctx, org, InstrumentId::from(s.instrument_id))
        .await?;
    let seed = AttemptSeed::from_i64(attempt.seed);
    let item = doc
        .items
        .iter()
        .filter(|i| i.practice)
        .find(|i| item_handle(seed, &i.code) == body.item)
        .ok_or_else(|| ApiError::not_found("practice item"))?;
    match practice_feedback(item, seed, likert_points(&doc), &body.response) {
        Ok(f) => Ok(PracticeResult {
            correct: f.correct,
            answer: f.answer,
        }),
        Err(PracticeRefusal::NotPractice) => Err(ApiError::not_found("practice item")),
        Err(PracticeRefusal::Invalid(m)) => Err(ApiError::new(ErrorCode::InvalidResponse, m)),
    }
}

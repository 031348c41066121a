//! Answers: the hot path. One live-store read checks the attempt, the group-commit writer
//! stores the row, and the reply goes out only once it is committed (invariants 1 and 2).
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::domain::attempt::time_left_ms;
use crate::domain::delivery::{resolve_choice, resolve_item, AttemptSeed};
use crate::domain::ids::{AttemptId, InstrumentId, OrganisationId};
use crate::domain::instrument::InstrumentDoc;
use crate::domain::scoring::{likert_points, parse_response};
use crate::error::{ApiError, ErrorCode};
use crate::services::attempt::live::{self, LiveSection, LIVE_TTL};
use crate::services::attempt::rules;
use crate::services::tokens::CandidateClaims;
use crate::services::AppContext;
use crate::store::responses::{self, ResponseRow};

/// An answer as the page sends it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// Section position.
    pub section: i32,
    /// The item's opaque id.
    pub item: String,
    /// `{"choice": id}`, `{"point": n}`, `{"most": id, "least": id}` or `{"value": n or "15,4"}`,
    /// with the attempt's opaque ids.
    #[schema(value_type = Object)]
    pub response: serde_json::Value,
    /// The page's sequence number for this attempt; only a higher one replaces a saved answer.
    pub seq: i64,
    /// Marked for review.
    #[serde(default)]
    pub flagged: bool,
}

/// An acknowledged answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AnswerSaved {
    /// Always true: the reply is sent only once the answer is committed.
    pub saved: bool,
    /// The sequence number received.
    pub seq: i64,
    /// Milliseconds left in the section.
    pub remaining_ms: i64,
}

/// Saves an answer: checks the live state (one live-store read; a forward-only section one
/// more), maps the opaque ids back, hands the row to the group-commit writer and replies once it
/// is committed. The database is read only to rebuild what the live store or this node's
/// instrument cache does not hold.
pub async fn answer(
    ctx: &AppContext,
    who: &CandidateClaims,
    body: AnswerBody,
) -> Result<AnswerSaved, ApiError> {
    let state = live::read(ctx, who.attempt()).await?;
    if state.device.as_deref() != Some(who.dev.as_str()) {
        return Err(rules::device_replaced());
    }
    if state.terminated {
        return Err(rules::terminated());
    }
    if state.finished {
        return Err(rules::finished());
    }
    if state.paused {
        return Err(rules::paused());
    }
    let Some(section) = state
        .section
        .as_ref()
        .filter(|s| s.position == body.section)
    else {
        return Err(rules::section_closed());
    };
    let now = ctx.clock.now();
    if rules::past_grace(ctx, section.deadline(), now) {
        return Err(rules::section_closed());
    }
    if body.seq < 0 {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "seq must be zero or more",
        ));
    }
    let seed = AttemptSeed::from_i64(state.seed);
    let code = resolve_item(&section.plan, seed, &body.item)
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidResponse, "no such item in this section"))?
        .to_owned();
    let doc: Arc<InstrumentDoc> = ctx
        .instrument_cache
        .get(
            ctx,
            OrganisationId::from(state.org),
            InstrumentId::from(section.instrument),
        )
        .await?;
    let item = doc
        .items
        .iter()
        .find(|i| i.code == code)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("planned item {code} not found")))?;
    let mut response = body.response;
    for key in ["choice", "most", "least"] {
        if let Some(opaque) = response
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
        {
            let original = resolve_choice(item, seed, &opaque).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidResponse,
                    "that choice is not in this item",
                )
            })?;
            response[key] = serde_json::Value::String(original);
        }
    }
    let parsed = parse_response(item, likert_points(&doc), &response)
        .map_err(|m| ApiError::new(ErrorCode::InvalidResponse, m))?;
    if section.forward_only {
        check_forward(ctx, who.attempt(), section, &code).await?;
    }
    ctx.answers
        .write(ResponseRow {
            attempt: who.attempt(),
            section: body.section,
            item: code,
            value: serde_json::to_value(&parsed).map_err(ApiError::internal)?,
            seq: body.seq,
            flagged: body.flagged,
            received_at: now,
        })
        .await
        .map_err(ApiError::unavailable)?;
    ctx.changes.answered(who.attempt().as_uuid(), state.seat);
    Ok(AnswerSaved {
        saved: true,
        seq: body.seq,
        remaining_ms: time_left_ms(section.deadline(), None, ctx.clock.now()),
    })
}

/// In a forward-only section an item, once left, cannot be answered again: an answer is refused
/// when an item later in the plan has been answered. The furthest position is kept in the live
/// store (one more round trip, in forward-only sections only, after the answer has been checked
/// so a refused answer moves nothing); when the live store has lost it, the stored responses
/// say where the candidate got to.
async fn check_forward(
    ctx: &AppContext,
    attempt: AttemptId,
    section: &LiveSection,
    code: &str,
) -> Result<(), ApiError> {
    let index = section
        .plan
        .iter()
        .position(|c| c == code)
        .unwrap_or_default() as u32;
    let key = format!("{attempt}:{}", section.position);
    let furthest = match ctx
        .live
        .advance(&key, index, LIVE_TTL)
        .await
        .map_err(ApiError::unavailable)?
    {
        Some(before) => before,
        None => {
            let answered = responses::of_section(&ctx.db, attempt, section.position).await?;
            let stored = answered
                .iter()
                .filter_map(|r| section.plan.iter().position(|c| *c == r.item_code))
                .max()
                .map_or(0, |i| i as u32);
            ctx.live
                .advance(&key, stored, LIVE_TTL)
                .await
                .map_err(ApiError::unavailable)?
                .unwrap_or(index)
                .max(stored)
        }
    };
    if index < furthest {
        return Err(ApiError::new(
            ErrorCode::ItemLocked,
            "this section goes forward only: an item you have left can no longer be changed",
        ));
    }
    Ok(())
}

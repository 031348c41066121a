//! Answers: the hot path. One live-store read checks the attempt, the group-commit writer
//! stores the row if the database still finds the attempt open, and the reply goes out only once
//! that is committed, saying truthfully what is stored (invariants 1 and 2).
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::views::{to_candidate_ids, SavedResponse};
use crate::domain::adaptive::{self as adaptive_domain, AdaptiveSpec};
use crate::domain::attempt::time_left_ms;
use crate::domain::attempt::ClosedReason;
use crate::domain::delivery::{item_handle, resolve_choice, resolve_item, AttemptSeed};
use crate::domain::ids::{AttemptId, InstrumentId, OrganisationId};
use crate::domain::instrument::InstrumentDoc;
use crate::domain::item::ItemDoc;
use crate::domain::scoring::{likert_points, parse_response, Response};
use crate::error::{ApiError, ErrorCode};
use crate::services::adaptive;
use crate::services::answer_writer::Written;
use crate::services::attempt::live::{self, LiveAttempt, LiveSection, LIVE_TTL};
use crate::services::attempt::{ending, rules};
use crate::services::tokens::CandidateClaims;
use crate::services::AppContext;
use crate::store::entities::response;
use crate::store::responses::{self, OpenGuard, ResponseRow};

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
    #[schema(schema_with = response_shapes)]
    pub response: serde_json::Value,
    /// The page's sequence number for this attempt; only a higher one replaces a saved answer.
    pub seq: i64,
    /// Marked for review.
    #[serde(default)]
    pub flagged: bool,
}

/// The API document's schema of an answer's `response`: one shape per item format (the item
/// decides which; `parse_response` judges it).
pub(super) fn response_shapes() -> utoipa::openapi::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    let of = |t: Type| ObjectBuilder::new().schema_type(t);
    let shape = |fields: &[&str], t: Type| {
        fields.iter().fold(ObjectBuilder::new(), |o, f| {
            o.property(*f, of(t.clone())).required(*f)
        })
    };
    let number_or_text = OneOfBuilder::new()
        .item(of(Type::Number))
        .item(of(Type::String));
    OneOfBuilder::new()
        .item(shape(&["choice"], Type::String))
        .item(shape(&["point"], Type::Integer))
        .item(shape(&["most", "least"], Type::String))
        .item(
            ObjectBuilder::new()
                .property("value", number_or_text)
                .required("value"),
        )
        .build()
        .into()
}

/// What became of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerOutcome {
    /// Stored as sent: committed now, or already stored with this sequence number (a resend).
    Saved,
    /// Not stored: the stored answer has a higher sequence number, or the same one with another
    /// value; `stored` says what is kept.
    Superseded,
}

/// The reply to an answer; sent only once the database has decided.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AnswerSaved {
    /// Whether the answer sent is what is stored now.
    pub saved: bool,
    /// Saved, or superseded by what is stored.
    pub outcome: AnswerOutcome,
    /// The sequence number received.
    pub seq: i64,
    /// Milliseconds left in the section.
    pub remaining_ms: i64,
    /// When superseded: the answer kept, in this attempt's opaque ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored: Option<SavedResponse>,
    /// In an adaptive section: where the test goes after this answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adaptive: Option<AdaptiveStep>,
}

/// Where an adaptive section goes after an answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AdaptiveStep {
    /// Items answered in the section so far.
    pub answered: usize,
    /// The next item's opaque id (read the section to show it); none once the test is over.
    pub next_item: Option<String>,
    /// The test is over: the section is closed.
    pub done: bool,
}

/// Saves an answer: checks the live state (one live-store read; a forward-only section one
/// more), maps the opaque ids back and hands the row to the group-commit writer, which stores it
/// only if the database still finds the attempt and section open. The reply goes once that is
/// committed. The database is read only to rebuild what the live store or this node's
/// instrument cache does not hold, and to say why an answer was not stored; a live state that
/// refuses is checked against the database (and repaired) before the refusal is believed.
pub async fn answer(
    ctx: &AppContext,
    who: &CandidateClaims,
    body: AnswerBody,
) -> Result<AnswerSaved, ApiError> {
    if body.seq < 0 {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "seq must be zero or more",
        ));
    }
    let id = who.attempt();
    let now = ctx.clock.now();
    let cached = live::read(ctx, id).await?;
    let state = if open_section(ctx, &cached, who, body.section, now).is_ok() {
        cached
    } else {
        live::reload(ctx, id).await?
    };
    let section = open_section(ctx, &state, who, body.section, now)?;
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
    let row = ResponseRow {
        attempt: id,
        section: body.section,
        item: code,
        value: serde_json::to_value(&parsed).map_err(ApiError::internal)?,
        seq: body.seq,
        flagged: body.flagged,
        received_at: now,
        selection: None,
    };
    let remaining_ms = time_left_ms(section.deadline(), None, now);
    let reply = |outcome, stored| AnswerSaved {
        saved: outcome == AnswerOutcome::Saved,
        outcome,
        seq: body.seq,
        remaining_ms,
        stored,
        adaptive: None,
    };
    if let Some(spec) = &section.adaptive {
        let answer = AdaptiveAnswer {
            state: &state,
            section,
            spec,
            item,
            parsed: &parsed,
            seed,
        };
        let (outcome, stored, step) = answer_adaptive(ctx, who, answer, row, now).await?;
        return Ok(AnswerSaved {
            adaptive: Some(step),
            ..reply(outcome, stored)
        });
    }
    if section.forward_only && !check_forward(ctx, id, section, &row.item).await? {
        // An item already left: only a resend of what is stored is acknowledged.
        return match already_stored(ctx, item, seed, &row).await? {
            Some((outcome, stored)) => Ok(reply(outcome, stored)),
            None => Err(ApiError::new(
                ErrorCode::ItemLocked,
                "this section goes forward only: an item you have left can no longer be changed",
            )),
        };
    }
    let written = write(ctx, who, &row, now).await?;
    if let Written::Stored { added } = written {
        // A replaced answer leaves its section's count as it was: only presence moved.
        match added {
            true => ctx.changes.answered(id.as_uuid(), state.seat, body.section),
            false => ctx.changes.seen(id.as_uuid(), state.seat),
        }
        return Ok(reply(AnswerOutcome::Saved, None));
    }
    // Not stored. The database says why: the attempt or section closed (and the live state
    // was stale: repair it), or another copy is stored.
    let fresh = live::reload(ctx, id).await?;
    open_section(ctx, &fresh, who, body.section, now)?;
    match already_stored(ctx, item, seed, &row).await? {
        Some((outcome, stored)) => Ok(reply(outcome, stored)),
        None => Err(ApiError::unavailable(anyhow::anyhow!(
            "the answer was neither stored nor superseded; send it again"
        ))),
    }
}

/// Hands the row to the group-commit writer with what must still hold when it is committed (the
/// device holds the attempt, the section is open and not past its grace); once committed, whether
/// this row is what is stored.
async fn write(
    ctx: &AppContext,
    who: &CandidateClaims,
    row: &ResponseRow,
    now: DateTime<Utc>,
) -> Result<Written, ApiError> {
    let guard = OpenGuard {
        device: who.dev.clone(),
        deadline_not_before: rules::overdue_before(ctx, now),
    };
    ctx.answers
        .write(row.clone(), guard)
        .await
        .map_err(|e| match e.busy {
            true => ApiError::database_busy(e),
            false => ApiError::unavailable(e),
        })
}

/// The open section the answer is for, or why the attempt refuses it, as `state` tells.
fn open_section<'a>(
    ctx: &AppContext,
    state: &'a LiveAttempt,
    who: &CandidateClaims,
    position: i32,
    now: DateTime<Utc>,
) -> Result<&'a LiveSection, ApiError> {
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
    match state.section.as_ref() {
        Some(s) if s.position == position => {
            if rules::past_grace(ctx, s.deadline(), now) {
                Err(rules::section_closed())
            } else {
                Ok(s)
            }
        }
        _ if position < 0 || position >= state.sections => Err(ApiError::new(
            ErrorCode::InvalidInput,
            "there is no section at that position",
        )),
        _ if state.first_pending.is_some_and(|p| position >= p) => {
            Err(rules::section_not_started())
        }
        _ => Err(rules::section_closed()),
    }
}

/// When the stored answer to this item has the sequence number sent or a higher one: saved (the
/// same answer, resent) or superseded (and what is stored).
async fn already_stored(
    ctx: &AppContext,
    item: &ItemDoc,
    seed: AttemptSeed,
    row: &ResponseRow,
) -> Result<Option<(AnswerOutcome, Option<SavedResponse>)>, ApiError> {
    let Some(stored) = responses::find(&ctx.db, row.attempt, row.section, &row.item).await? else {
        return Ok(None);
    };
    if stored.client_seq < row.seq {
        return Ok(None);
    }
    Ok(Some(compare_stored(item, seed, row, stored)))
}

/// What an answer is against the stored answer to its item: the same (saved, a resend) or
/// superseded by what is stored.
fn compare_stored(
    item: &ItemDoc,
    seed: AttemptSeed,
    row: &ResponseRow,
    stored: response::Model,
) -> (AnswerOutcome, Option<SavedResponse>) {
    if stored.client_seq == row.seq && stored.value == row.value && stored.flagged == row.flagged {
        return (AnswerOutcome::Saved, None);
    }
    (
        AnswerOutcome::Superseded,
        Some(SavedResponse {
            response: to_candidate_ids(item, seed, stored.value),
            seq: stored.client_seq,
            flagged: stored.flagged,
        }),
    )
}

/// An answer to an adaptive section, checked and mapped to the document's ids.
struct AdaptiveAnswer<'a> {
    state: &'a LiveAttempt,
    section: &'a LiveSection,
    spec: &'a AdaptiveSpec,
    item: &'a ItemDoc,
    parsed: &'a Response,
    seed: AttemptSeed,
}

/// An answer in an adaptive section: only the current item may be answered, and once. The
/// selection it leads to (the next item, or the stop) is chosen here and stored in the answer's
/// own row by the group-commit writer, so an acknowledged answer always has its next item stored
/// with it. A resend of a stored answer is acknowledged again (with where the test went), any
/// other answer to a stored item is superseded by it, and an answer that stops the test closes
/// the section (and finishes the attempt when it was the last).
async fn answer_adaptive(
    ctx: &AppContext,
    who: &CandidateClaims,
    a: AdaptiveAnswer<'_>,
    mut row: ResponseRow,
    now: DateTime<Utc>,
) -> Result<(AnswerOutcome, Option<SavedResponse>, AdaptiveStep), ApiError> {
    let id = row.attempt;
    let position = a.section.position;
    let org = OrganisationId::from(a.state.org);
    let instrument = InstrumentId::from(a.section.instrument);
    let spec = || a.spec.clone();
    let rows = responses::of_section(&ctx.db, id, position).await?;
    if let Some(stored) = rows.iter().find(|r| r.item_code == row.item).cloned() {
        let s = adaptive::state(ctx, org, a.seed, position, instrument, spec(), &rows).await?;
        let (outcome, kept) = compare_stored(a.item, a.seed, &row, stored);
        return Ok((outcome, kept, step_of(&s.progress, a.seed)));
    }
    let s = adaptive::state(ctx, org, a.seed, position, instrument, spec(), &rows).await?;
    match s.progress.current.as_deref() {
        None => {
            // The rule stopped the test but the section was not closed (a crash between the
            // two): close it now.
            complete(ctx, id, position, now).await?;
            return Err(rules::section_closed());
        }
        Some(current) if current != row.item => {
            return Err(ApiError::new(
                ErrorCode::ItemNotCurrent,
                "an adaptive section gives one item at a time: answer the item it shows now",
            ));
        }
        Some(_) => {}
    }
    let correct = adaptive_domain::is_correct(a.item, a.parsed);
    let selection = adaptive_domain::select_after(
        &s.pool,
        &s.spec.config,
        a.seed,
        position,
        &s.progress,
        correct,
    )
    .map_err(|e| ApiError::internal(anyhow::anyhow!("adaptive selection: {}", e.message())))?;
    row.selection = Some(serde_json::to_value(&selection).map_err(ApiError::internal)?);
    let written = write(ctx, who, &row, now).await?;
    if let Written::Stored { .. } = written {
        // The row's standard error moved with the count: the whole row is sent again.
        ctx.changes.seen(id.as_uuid(), a.state.seat);
        ctx.changes.changed(id.as_uuid());
        if selection.stop.is_some() {
            complete(ctx, id, position, now).await?;
        }
        let step = AdaptiveStep {
            answered: s.progress.answered() + 1,
            next_item: selection.next.as_deref().map(|c| item_handle(a.seed, c)),
            done: selection.stop.is_some(),
        };
        return Ok((AnswerOutcome::Saved, None, step));
    }
    // Not stored: the attempt or section closed meanwhile (the live state was stale), or
    // another answer to this item was stored first.
    let fresh = live::reload(ctx, id).await?;
    open_section(ctx, &fresh, who, position, now)?;
    let rows = responses::of_section(&ctx.db, id, position).await?;
    let Some(stored) = rows.iter().find(|r| r.item_code == row.item).cloned() else {
        return Err(ApiError::unavailable(anyhow::anyhow!(
            "the answer was neither stored nor superseded; send it again"
        )));
    };
    let s = adaptive::state(ctx, org, a.seed, position, instrument, spec(), &rows).await?;
    let (outcome, kept) = compare_stored(a.item, a.seed, &row, stored);
    Ok((outcome, kept, step_of(&s.progress, a.seed)))
}

/// Where an adaptive section stands, as an answer's reply tells it.
fn step_of(p: &adaptive_domain::Progress, seed: AttemptSeed) -> AdaptiveStep {
    AdaptiveStep {
        answered: p.answered(),
        next_item: p.current.as_deref().map(|c| item_handle(seed, c)),
        done: p.current.is_none(),
    }
}

/// Closes an adaptive section its rule has stopped, and finishes the attempt when it was the
/// last section open.
pub(super) async fn complete(
    ctx: &AppContext,
    id: AttemptId,
    position: i32,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    ending::close_section(ctx, id, position, ClosedReason::Completed, now).await?;
    if !ending::finish_if_all_closed(ctx, id).await? {
        live::follow(ctx, id).await?;
    }
    Ok(())
}

/// In a forward-only section an item, once left, cannot be answered again: whether this item
/// may still be answered (no item later in the plan has been). The furthest position is kept in
/// the live store (one more round trip, in forward-only sections only, after the answer has been
/// checked so a refused answer moves nothing); when the live store has lost it, the stored
/// responses say where the candidate got to.
async fn check_forward(
    ctx: &AppContext,
    attempt: AttemptId,
    section: &LiveSection,
    code: &str,
) -> Result<bool, ApiError> {
    let index = section
        .plan
        .iter()
        .position(|c| c == code)
        .unwrap_or_default() as u32;
    let key = format!("{attempt}:{}", section.position);
    let stored_furthest = || async {
        let answered = responses::of_section(&ctx.db, attempt, section.position).await?;
        Ok::<u32, ApiError>(
            answered
                .iter()
                .filter_map(|r| section.plan.iter().position(|c| *c == r.item_code))
                .max()
                .map_or(0, |i| i as u32),
        )
    };
    let furthest = match ctx.live.advance(&key, index, LIVE_TTL).await {
        Ok(Some(before)) => before,
        Ok(None) => {
            let stored = stored_furthest().await?;
            match ctx.live.advance(&key, stored, LIVE_TTL).await {
                Ok(marker) => marker.unwrap_or(index).max(stored),
                Err(_) => stored,
            }
        }
        // The live store is down: the stored answers say where the candidate got to.
        Err(_) => stored_furthest().await?,
    };
    Ok(index >= furthest)
}

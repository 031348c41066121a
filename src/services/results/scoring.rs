//! Scoring an attempt (invariant 5): a pure function of its stored responses, the items' keys and
//! the norm tables, re-runnable, every score naming the norm table and scoring version used.
use std::collections::HashMap;

use serde::Serialize;

use crate::domain::adaptive as adaptive_domain;
use crate::domain::attempt::ClosedReason;
use crate::domain::ids::{AttemptId, InstrumentId, OrganisationId};
use crate::domain::instrument::InstrumentDoc;
use crate::domain::irt::cat::{StopReason, RULE_VERSION};
use crate::domain::norms::{choose_norm_table, convert, NormMetric, NormTableDoc, NormedScore};
use crate::domain::scoring::{
    likert_points, parse_response, score_instrument, Response, SCORING_VERSION,
};
use crate::domain::text::Text;
use crate::error::ApiError;
use crate::services::auth::Staff;
use crate::services::{adaptive, campaigns, AppContext};
use crate::store::attempts as repo;
use crate::store::entities::{attempt, attempt_section, score};
use crate::store::{norm_tables, responses};

/// One scale's score as shown on the end screen.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CandidateScore {
    /// Instrument code.
    pub instrument: String,
    /// Scale code.
    pub scale: String,
    /// Scale name.
    #[schema(value_type = Object)]
    pub scale_name: Text,
    /// Raw score.
    pub raw: Option<f64>,
    /// Percentile rank.
    pub pr: Option<f64>,
    /// T score.
    pub t: Option<f64>,
    /// Stanine.
    pub stanine: Option<u8>,
    /// Sten.
    pub sten: Option<u8>,
    /// Norm group compared with.
    pub norm_group: Option<String>,
    /// Whether that norm table is only illustrative.
    pub illustrative: Option<bool>,
}

/// Scores every section of an attempt that is over and replaces its stored scores. The reading
/// and the arithmetic happen outside any transaction (an attempt that is over changes no more);
/// only the replacement holds the write lock, briefly, so answers of other candidates are not
/// held up behind a re-scoring.
pub async fn score_attempt(ctx: &AppContext, id: AttemptId) -> Result<(), ApiError> {
    let rows = compute(ctx, &ctx.db, id).await?;
    let txn = crate::store::begin_write(&ctx.db).await?;
    repo::replace_scores(&txn, id, rows).await?;
    txn.commit().await?;
    Ok(())
}

/// The scores of every section of an attempt, read through `db` (the caller's transaction when
/// the scores must be stored together with a change of the attempt's status).
pub async fn compute(
    ctx: &AppContext,
    db: &impl sea_orm::ConnectionTrait,
    id: AttemptId,
) -> Result<Vec<score::Model>, ApiError> {
    let a = repo::find(db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("attempt"))?;
    let org = OrganisationId::from(a.organisation_id);
    let sections = repo::sections(db, id).await?;
    let stored = responses::of_attempt(db, id).await?;
    let now = ctx.clock.now();
    let mut rows = Vec::new();
    // The norm tables in use, read from the database in one query: a table built from the
    // organisation's own cohorts may have superseded the one the instrument came with. Per
    // instrument, the tables and (in the same order) their ids.
    let instruments: Vec<InstrumentId> = sections
        .iter()
        .map(|s| InstrumentId::from(s.instrument_id))
        .collect();
    let mut norms: HashMap<uuid::Uuid, (Vec<NormTableDoc>, Vec<uuid::Uuid>)> = HashMap::new();
    for m in norm_tables::active_of_many(db, &instruments).await? {
        let entry = norms.entry(m.instrument_id).or_default();
        entry.0.push(norm_tables::as_doc(&m)?);
        entry.1.push(m.id);
    }
    let none = (Vec::new(), Vec::new());
    for s in &sections {
        let instrument = InstrumentId::from(s.instrument_id);
        let doc = ctx.instrument_cache.get(ctx, org, instrument).await?;
        let (docs, ids) = norms.get(&s.instrument_id).unwrap_or(&none);
        let k = likert_points(&doc);
        if let Some(state) = adaptive::section_state(ctx, &a, s, &stored).await? {
            rows.push(adaptive_score(&a, s, &doc, state, docs, ids, now)?);
            continue;
        }
        let plan: Vec<String> =
            serde_json::from_value(s.plan.clone()).map_err(ApiError::internal)?;
        let mut given: HashMap<String, Response> = HashMap::new();
        for r in stored.iter().filter(|r| r.section_position == s.position) {
            let Some(item) = doc.items.iter().find(|i| i.code == r.item_code) else {
                continue;
            };
            // Stored responses were checked on arrival; one that no longer parses (it cannot,
            // versions are immutable) would be left out rather than fail the whole attempt.
            if let Ok(resp) = parse_response(item, k, &r.value) {
                given.insert(r.item_code.clone(), resp);
            }
        }
        for raw in score_instrument(&doc, &given, &plan) {
            let table = choose_norm_table(docs, &raw.scale, &a.norm_group, NormMetric::Raw);
            // A scale the candidate answered nothing of has no standing in any norm group: a
            // raw 0 on a 10-item Likert scale (range 10–50) would read as "lowest 0.1 %".
            let normed = match (raw.raw, table) {
                (Some(x), Some(t)) if raw.answered > 0 => convert(x, t).ok(),
                _ => None,
            };
            let table_id = match (&normed, table) {
                (Some(_), Some(t)) => docs.iter().position(|d| std::ptr::eq(d, t)).map(|i| ids[i]),
                _ => None,
            };
            rows.push(score::Model {
                attempt_id: a.id,
                section_position: s.position,
                scale_code: raw.scale.clone(),
                instrument_id: s.instrument_id,
                raw: raw.raw,
                answered: raw.answered as i32,
                administered: raw.administered as i32,
                detail: serde_json::json!({
                    "instrument": doc.code,
                    "instrument_version": doc.version,
                    "max_possible": raw.max_possible,
                    "most_least": raw.most_least,
                    "normed": normed,
                    "norm_group_requested": a.norm_group,
                }),
                norm_table_id: table_id,
                scoring_version: SCORING_VERSION.to_owned(),
                scored_at: now,
            });
        }
    }
    Ok(rows)
}

/// A stored score's details, as written by [`score_attempt`].
/// The score of an adaptive section: θ̂ and its SE by the section's final method from the items
/// answered (as the selections stored with them say), the items and answers in order, why the
/// test stopped and the rule's version; θ converted through the scale's norm table on the θ
/// scale, when there is one. A section with nothing answered has no θ (`raw` null).
fn adaptive_score(
    a: &attempt::Model,
    s: &attempt_section::Model,
    doc: &InstrumentDoc,
    state: adaptive::SectionState,
    docs: &[NormTableDoc],
    ids: &[uuid::Uuid],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<score::Model, ApiError> {
    let parameters_version = state.spec.parameters_version;
    let closed_early = match s.closed_reason {
        Some(ClosedReason::Timeout) => StopReason::TimeLimit,
        _ => StopReason::Ended,
    };
    let result = adaptive_domain::result(
        &state.pool,
        &state.spec.config,
        &state.progress,
        closed_early,
    )
    .map_err(|e| ApiError::internal(anyhow::anyhow!("adaptive result: {}", e.message())))?;
    // The scale the pool's items count towards (a battery accepts a pool of one scale only).
    let scale = state
        .pool
        .items()
        .iter()
        .find_map(|p| doc.items.iter().find(|i| i.code == p.id)?.scale.clone())
        .unwrap_or_default();
    let table = choose_norm_table(docs, &scale, &a.norm_group, NormMetric::Theta);
    let normed = match (&result, table) {
        (Some(r), Some(t)) => convert(r.theta, t).ok(),
        _ => None,
    };
    let table_id = match (&normed, table) {
        (Some(_), Some(t)) => docs.iter().position(|d| std::ptr::eq(d, t)).map(|i| ids[i]),
        _ => None,
    };
    let answered = state.progress.answered() as i32;
    Ok(score::Model {
        attempt_id: a.id,
        section_position: s.position,
        scale_code: scale,
        instrument_id: s.instrument_id,
        raw: result.as_ref().map(|r| r.theta),
        answered,
        administered: answered,
        detail: serde_json::json!({
            "instrument": doc.code,
            "instrument_version": doc.version,
            "metric": NormMetric::Theta,
            "theta": result.as_ref().map(|r| r.theta),
            "se": result.as_ref().map(|r| r.se),
            "method": result.as_ref().map(|r| r.method),
            "items": result.as_ref().map(|r| r.items.clone()).unwrap_or_default(),
            "responses": result.as_ref().map(|r| r.responses.clone()).unwrap_or_default(),
            "stop_reason": result.as_ref().map(|r| r.stop_reason).unwrap_or(closed_early),
            "rule_version": RULE_VERSION,
            "parameters_version": parameters_version,
            "normed": normed,
            "norm_group_requested": a.norm_group,
        }),
        norm_table_id: table_id,
        scoring_version: SCORING_VERSION.to_owned(),
        scored_at: now,
    })
}

pub(crate) fn normed_of(s: &score::Model) -> Option<NormedScore> {
    serde_json::from_value(s.detail.get("normed")?.clone()).ok()
}

/// The scores of a finished attempt as the candidate's end screen shows them.
pub async fn candidate_scores(
    ctx: &AppContext,
    a: &attempt::Model,
) -> Result<Vec<CandidateScore>, ApiError> {
    let org = OrganisationId::from(a.organisation_id);
    let mut out = Vec::new();
    for s in repo::scores_of(&ctx.db, &[a.id]).await? {
        let doc = ctx
            .instrument_cache
            .get(ctx, org, InstrumentId::from(s.instrument_id))
            .await?;
        let Some(scale) = doc.scales.iter().find(|x| x.code == s.scale_code) else {
            continue;
        };
        let normed = normed_of(&s);
        out.push(CandidateScore {
            instrument: doc.code.clone(),
            scale: s.scale_code.clone(),
            scale_name: scale.name.clone(),
            raw: s.raw,
            pr: normed.as_ref().map(|n| n.pr),
            t: normed.as_ref().map(|n| n.t),
            stanine: normed.as_ref().map(|n| n.stanine),
            sten: normed.as_ref().map(|n| n.sten),
            norm_group: normed.as_ref().map(|n| n.norm_group.clone()),
            illustrative: normed.as_ref().map(|n| n.illustrative),
        });
    }
    Ok(out)
}

/// What a re-scoring did.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RescoreOutcome {
    /// Finished or expired attempts scored again.
    pub attempts: usize,
    /// Scale scores written.
    pub scores: usize,
    /// Scale scores whose raw score or percentile differs from before.
    pub changed: usize,
}

/// Scores every finished or expired attempt of a campaign again, with the current scoring
/// version, and audits the change (who, when, how many scores moved, why).
pub async fn rescore_campaign(
    ctx: &AppContext,
    staff: &Staff,
    campaign: crate::domain::ids::CampaignId,
    reason: Option<String>,
) -> Result<RescoreOutcome, ApiError> {
    campaigns::find(ctx, staff, campaign).await?;
    let attempts: Vec<uuid::Uuid> = repo::of_campaign(&ctx.db, staff.organisation, campaign)
        .await?
        .into_iter()
        .filter(|a| a.status.is_over())
        .map(|a| a.id)
        .collect();
    let key = |s: &score::Model| (s.attempt_id, s.section_position, s.scale_code.clone());
    let fingerprint = |s: &score::Model| (s.raw, normed_of(s).map(|n| n.pr));
    let before: HashMap<_, _> = repo::scores_of(&ctx.db, &attempts)
        .await?
        .iter()
        .map(|s| (key(s), fingerprint(s)))
        .collect();
    // The scores about to be replaced are kept as they were.
    let txn = crate::store::begin_write(&ctx.db).await?;
    let kept = norm_tables::keep_scores(&txn, &attempts, ctx.clock.now()).await?;
    txn.commit().await?;
    for a in &attempts {
        score_attempt(ctx, AttemptId::from(*a)).await?;
    }
    let after = repo::scores_of(&ctx.db, &attempts).await?;
    let changed = after
        .iter()
        .filter(|s| before.get(&key(s)) != Some(&fingerprint(s)))
        .count();
    let outcome = RescoreOutcome {
        attempts: attempts.len(),
        scores: after.len(),
        changed,
    };
    crate::store::audit::record(
        &ctx.db,
        crate::store::audit::AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "campaign.rescore",
            target_type: "campaign",
            target_id: campaign.to_string(),
            before: Some(serde_json::json!({"scores": before.len(), "kept_in_history": kept})),
            after: Some(serde_json::json!({
                "scores": outcome.scores, "changed": outcome.changed,
                "attempts": outcome.attempts, "scoring_version": SCORING_VERSION,
            })),
            reason,
            at: ctx.clock.now(),
        },
    )
    .await?;
    Ok(outcome)
}

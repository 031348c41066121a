//! Local norms: a norm table for one scale built from the scores of the finished attempts of one
//! or more campaigns, filtered to a norm group (education, job level, age band and sex from the
//! NIP), previewed beside the table in use, and published as that scale and group's next version
//! (audited). Scores already made keep the table they named; re-scoring a campaign
//! (`POST /campaigns/{id}/rescore`) uses the new one and keeps the replaced scores in history.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::auth::Staff;
use super::{audited, AppContext};
use crate::domain::education::Education;
use crate::domain::ids::{CampaignId, InstrumentId};
use crate::domain::nip::Nip;
use crate::domain::norm_building::{
    build_norm_table, compare_tables, NormBuildError, NormBuildSettings, NormComparison,
    NormGroupFilter, NormWarning, Participant,
};
use crate::domain::norms::{NormMetric, NormTableDoc};
use crate::domain::text::Text;
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::entities::score;
use crate::store::norm_tables as repo;

/// What to build a norm table from.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NormBuildRequest {
    /// The scale.
    pub scale: String,
    /// The norm-group code (e.g. `umum`, `s1-pelaksana`).
    pub group: String,
    /// The group's label.
    #[schema(value_type = Object)]
    pub name: Text,
    /// Campaigns whose finished attempts form the sample (one or more).
    pub campaigns: Vec<uuid::Uuid>,
    /// Who belongs to the sample (everyone when empty).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub filter: NormGroupFilter,
    /// Minimum N for no warning, the raw points, smoothing.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub settings: NormBuildSettings,
    /// When the data were collected (default: the campaigns' windows).
    #[serde(default)]
    pub collected: Option<String>,
    /// `raw` (default): a table of raw scores; `theta`: a table of the θ estimates of adaptive
    /// sections (give `settings.points` a range, e.g. −4…4 by 0.1).
    #[serde(default)]
    #[schema(value_type = String)]
    pub metric: NormMetric,
}

/// What a stored score's raw value is: a θ estimate (adaptive sections) or a raw score.
fn metric_of(s: &score::Model) -> NormMetric {
    match s.detail.get("metric").and_then(|m| m.as_str()) {
        Some(word) => NormMetric::parse(word),
        None => NormMetric::Raw,
    }
}

/// A table as it is or was in use.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NormVersion {
    /// Its id: scores name it.
    pub id: uuid::Uuid,
    /// Scale.
    pub scale: String,
    /// Norm group.
    pub group: String,
    /// From 1 per scale and group.
    pub version: i32,
    /// Whether it is the one in use.
    pub in_use: bool,
    /// The table.
    #[schema(value_type = Object)]
    pub table: NormTableDoc,
    /// What a built table was built from.
    #[schema(value_type = Option<Object>)]
    pub built_from: Option<serde_json::Value>,
    /// When it was stored.
    pub created_at: DateTime<Utc>,
    /// When a newer version replaced it.
    pub superseded_at: Option<DateTime<Utc>>,
}

/// A built table before it is published.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NormPreview {
    /// The table.
    #[schema(value_type = Object)]
    pub table: NormTableDoc,
    /// Warnings (`small_sample`, `scores_outside_range`).
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<NormWarning>,
    /// Scored attempts of the campaigns with a score on the scale.
    pub scored: usize,
    /// Of those, the ones in the norm group (the sample).
    pub matched: usize,
    /// The table in use for this scale and group, if any.
    pub current: Option<NormVersion>,
    /// The table in use against the new one, raw point by raw point.
    #[schema(value_type = Option<Object>)]
    pub comparison: Option<NormComparison>,
}

/// A published table.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NormPublished {
    /// The new version.
    pub published: NormVersion,
    /// The version it superseded.
    pub superseded: Option<i32>,
}

fn version_of(m: &crate::store::entities::norm_table::Model) -> Result<NormVersion, ApiError> {
    Ok(NormVersion {
        id: m.id,
        scale: m.scale_code.clone(),
        group: m.group_code.clone(),
        version: m.version,
        in_use: m.superseded_at.is_none(),
        table: repo::as_doc(m)?,
        built_from: m.built_from.clone(),
        created_at: m.created_at,
        superseded_at: m.superseded_at,
    })
}

/// Every version of every norm table of an instrument.
pub async fn versions(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
) -> Result<Vec<NormVersion>, ApiError> {
    super::instruments::require(ctx, staff.organisation, instrument).await?;
    repo::all_of(&ctx.db, staff.organisation, instrument)
        .await?
        .iter()
        .map(version_of)
        .collect()
}

fn refusal(e: NormBuildError) -> ApiError {
    let code = match e.code() {
        "too_few_respondents" => ErrorCode::TooFewRespondents,
        "zero_variance" => ErrorCode::NoVariance,
        _ => ErrorCode::InvalidInput,
    };
    ApiError::new(code, e.to_string())
}

fn invalid(errors: Vec<FieldError>) -> ApiError {
    ApiError::with_errors(
        ErrorCode::InvalidInput,
        format!(
            "the norm build has {} problem{}; nothing was stored",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        ),
        errors,
    )
}

/// Builds the table `req` asks for and sets it beside the one in use; stores nothing.
pub async fn preview(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    req: &NormBuildRequest,
) -> Result<NormPreview, ApiError> {
    let doc =
        super::instruments::document_without_assets(ctx, staff.organisation, instrument).await?;
    let mut errors: Vec<FieldError> = req
        .filter
        .problems()
        .into_iter()
        .map(|(f, m)| FieldError::top(format!("filter.{f}"), m))
        .collect();
    if !doc.scales.iter().any(|s| s.code == req.scale) {
        errors.push(FieldError::top(
            "scale",
            format!("{} has no scale '{}'", doc.code, req.scale),
        ));
    }
    if req.campaigns.is_empty() {
        errors.push(FieldError::top(
            "campaigns",
            "name at least one campaign whose attempts form the sample",
        ));
    }
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    // Each finished attempt's participant, as the filter reads them.
    let mut who: HashMap<uuid::Uuid, crate::store::entities::participant::Model> = HashMap::new();
    let mut windows: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for c in &req.campaigns {
        let id = CampaignId::from(*c);
        let campaign = super::campaigns::find(ctx, staff, id).await?;
        windows.push((campaign.campaign.opens_at, campaign.campaign.closes_at));
        let people: HashMap<uuid::Uuid, _> =
            crate::store::campaigns::participants(&ctx.db, staff.organisation, id)
                .await?
                .into_iter()
                .map(|p| (p.id, p))
                .collect();
        for a in crate::store::attempts::of_campaign(&ctx.db, staff.organisation, id).await? {
            if let (true, Some(p)) = (a.status.is_over(), people.get(&a.participant_id)) {
                who.insert(a.id, p.clone());
            }
        }
    }
    let ids: Vec<uuid::Uuid> = who.keys().copied().collect();
    let scores: Vec<_> = crate::store::attempts::scores_of(&ctx.db, &ids)
        .await?
        .into_iter()
        .filter(|s| {
            s.instrument_id == instrument.as_uuid()
                && s.scale_code == req.scale
                && s.answered > 0
                && s.raw.is_some()
                && metric_of(s) == req.metric
        })
        .collect();
    let today = ctx.clock.now().date_naive();
    let sample: Vec<f64> = scores
        .iter()
        .filter(|s| {
            let Some(p) = who.get(&s.attempt_id) else {
                return false;
            };
            let nip = Nip::parse_as_of(&p.nip, today).ok();
            req.filter.matches(
                &Participant {
                    nip: nip.as_ref(),
                    education: Education::parse(&p.education).ok(),
                    job_level: Some(p.job_level.as_str()),
                },
                today,
            )
        })
        .filter_map(|s| s.raw)
        .collect();
    let built = build_norm_table(&sample, &req.settings).map_err(refusal)?;
    let warnings = built.warnings.clone();
    let collected = req.collected.clone().or_else(|| {
        let from = windows.iter().map(|w| w.0).min()?;
        let to = windows.iter().map(|w| w.1).max()?;
        Some(format!("{} – {}", from.date_naive(), to.date_naive()))
    });
    let mut table = built.into_doc(&req.scale, &req.group, req.name.clone(), collected);
    table.metric = req.metric;
    let problems: Vec<FieldError> = table
        .problems()
        .into_iter()
        .map(|(f, m)| FieldError::top(f, m))
        .collect();
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let current = repo::active_of(&ctx.db, instrument)
        .await?
        .into_iter()
        .find(|m| {
            m.scale_code == req.scale
                && m.group_code == req.group
                && NormMetric::parse(&m.metric) == req.metric
        })
        .map(|m| version_of(&m))
        .transpose()?;
    let comparison = match &current {
        Some(c) => Some(compare_tables(&c.table.table, &table.table).map_err(refusal)?),
        None => None,
    };
    Ok(NormPreview {
        table,
        warnings,
        scored: scores.len(),
        matched: sample.len(),
        current,
        comparison,
    })
}

/// Builds the table and publishes it as the scale and group's next version (audited).
pub async fn publish(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    req: &NormBuildRequest,
) -> Result<NormPublished, ApiError> {
    let built = preview(ctx, staff, instrument, req).await?;
    let built_from = serde_json::json!({
        "campaigns": req.campaigns, "filter": req.filter, "settings": req.settings,
        "warnings": built.warnings, "scored": built.scored, "matched": built.matched,
    });
    let txn = crate::store::begin_write(&ctx.db).await?;
    let (row, previous) = repo::publish(
        &txn,
        repo::NewVersion {
            organisation: staff.organisation,
            instrument,
            doc: &built.table,
            built_from,
            actor: staff.account,
            now: ctx.clock.now(),
        },
    )
    .await?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "norm_table.publish",
            target_type: "instrument",
            target_id: instrument.to_string(),
            before: previous.as_ref().map(|p| {
                serde_json::json!({"id": p.id, "scale": p.scale_code, "group": p.group_code,
                    "version": p.version, "n": p.n, "mean": p.mean, "sd": p.sd})
            }),
            after: Some(serde_json::json!({"id": row.id, "scale": row.scale_code,
                "group": row.group_code, "version": row.version, "n": row.n, "mean": row.mean,
                "sd": row.sd, "campaigns": req.campaigns})),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    Ok(NormPublished {
        published: version_of(&row)?,
        superseded: previous.map(|p| p.version),
    })
}

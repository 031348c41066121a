//! Results of a campaign for HR: progress of every participant and the scores of every scale
//! with the norm table and scoring version that produced them.
use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

pub mod scoring;

pub use scoring::{CandidateScore, RescoreOutcome};

use crate::domain::attempt::AttemptStatus;
use crate::domain::ids::{CampaignId, InstrumentId};
use crate::domain::instrument::InstrumentDoc;
use crate::domain::spreadsheet::text_cell;
use crate::domain::text::Text;
use crate::error::ApiError;
use crate::services::auth::Staff;
use crate::services::enrolment::ParticipantView;
use crate::services::{campaigns, AppContext};
use crate::store::attempts as repo;
use crate::store::{campaigns as campaign_store, responses};

/// One scale's score.
#[derive(Debug, Serialize, utoipa::ToSchema, Clone)]
pub struct ScaleResult {
    /// Section position.
    pub section: i32,
    /// Instrument code.
    pub instrument: String,
    /// Instrument version (a new version of an instrument is a new instrument).
    pub instrument_version: u32,
    /// Scale code.
    pub scale: String,
    /// Raw score (none for a mean scale with nothing answered); θ̂ when `metric` is `theta`.
    pub raw: Option<f64>,
    /// `raw`, or `theta` for an adaptive section scored by item response theory.
    pub metric: String,
    /// θ̂'s standard error (adaptive sections).
    pub se: Option<f64>,
    /// Items answered.
    pub answered: i32,
    /// Items delivered.
    pub administered: i32,
    /// Percentile rank.
    pub pr: Option<f64>,
    /// Linear z.
    pub z: Option<f64>,
    /// T score (from the normalised z).
    pub t: Option<f64>,
    /// Stanine.
    pub stanine: Option<u8>,
    /// Sten.
    pub sten: Option<u8>,
    /// Norm group of the table used.
    pub norm_group: Option<String>,
    /// Whether that table is only illustrative.
    pub illustrative: Option<bool>,
    /// The norm table used.
    pub norm_table: Option<uuid::Uuid>,
    /// Its name, as the instrument names it.
    #[schema(value_type = Option<Object>)]
    pub norm_table_name: Option<Text>,
    /// The scoring version used.
    pub scoring_version: String,
    /// For most/least scales, the three profiles: times chosen as most like me, as least like
    /// me, and their difference (the raw score).
    #[schema(value_type = Option<Object>)]
    pub most_least: Option<serde_json::Value>,
}

/// One participant's progress and scores.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantResult {
    /// Who.
    pub participant: ParticipantView,
    /// not_started, in_progress, finished or expired.
    pub status: String,
    /// Answers stored.
    pub responses: i64,
    /// The norm group the campaign's rule chose.
    pub norm_group: Option<String>,
    /// Scores, once finished or expired.
    pub scores: Vec<ScaleResult>,
}

/// Counts by status.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Progress {
    /// Not started.
    pub not_started: usize,
    /// In progress.
    pub in_progress: usize,
    /// Finished.
    pub finished: usize,
    /// Expired.
    pub expired: usize,
    /// Ended by a proctor.
    pub terminated: usize,
}

/// A campaign's results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignResults {
    /// Counts by status.
    pub progress: Progress,
    /// Every participant, by name.
    pub participants: Vec<ParticipantResult>,
}

/// What the results read of a score's stored detail (the rest of it is for audits).
#[derive(Default, serde::Deserialize)]
struct StoredDetail {
    /// The norm conversion, when a norm table applied.
    #[serde(default)]
    normed: Option<crate::domain::norms::NormedScore>,
    /// The most/least profiles of a most/least scale.
    #[serde(default)]
    most_least: Option<serde_json::Value>,
    /// `theta` for an adaptive section's score (its raw value is θ̂).
    #[serde(default)]
    metric: Option<String>,
    /// θ̂'s standard error, for an adaptive section.
    #[serde(default)]
    se: Option<f64>,
}

/// The results of a campaign of the caller's organisation.
pub async fn of_campaign(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
) -> Result<CampaignResults, ApiError> {
    campaigns::find(ctx, staff, id).await?;
    let org = staff.organisation;
    let people = campaign_store::participants(&ctx.db, org, id).await?;
    let attempts = repo::of_campaign(&ctx.db, org, id).await?;
    let ids: Vec<uuid::Uuid> = attempts.iter().map(|a| a.id).collect();
    let counts: HashMap<uuid::Uuid, i64> = responses::counts(&ctx.db, &ids)
        .await?
        .into_iter()
        .collect();
    let mut scores: HashMap<uuid::Uuid, Vec<ScaleResult>> = HashMap::new();
    let mut docs: HashMap<uuid::Uuid, Arc<InstrumentDoc>> = HashMap::new();
    // Every version of the instruments' norm tables, by id: a score names the table it used,
    // which a table built later may have superseded.
    let mut table_names: HashMap<uuid::Uuid, Text> = HashMap::new();
    for s in repo::score_rows_of(&ctx.db, &ids).await? {
        let doc = match docs.get(&s.instrument_id) {
            Some(d) => d.clone(),
            None => {
                let instrument = InstrumentId::from(s.instrument_id);
                let doc = ctx.instrument_cache.get(ctx, org, instrument).await?;
                docs.insert(s.instrument_id, doc.clone());
                for t in crate::store::norm_tables::all_of(&ctx.db, org, instrument).await? {
                    if let Ok(name) = serde_json::from_value::<Text>(t.name) {
                        table_names.insert(t.id, name);
                    }
                }
                doc
            }
        };
        let detail: StoredDetail = serde_json::from_str(&s.detail).unwrap_or_default();
        let n = detail.normed;
        let norm_table_name = n
            .as_ref()
            .and(s.norm_table_id)
            .and_then(|id| table_names.get(&id).cloned());
        scores.entry(s.attempt_id).or_default().push(ScaleResult {
            section: s.section_position,
            instrument: doc.code.clone(),
            instrument_version: doc.version,
            scale: s.scale_code.clone(),
            raw: s.raw,
            metric: detail.metric.clone().unwrap_or_else(|| "raw".to_owned()),
            se: detail.se,
            answered: s.answered,
            administered: s.administered,
            pr: n.as_ref().map(|n| n.pr),
            z: n.as_ref().map(|n| n.z_linear),
            t: n.as_ref().map(|n| n.t),
            stanine: n.as_ref().map(|n| n.stanine),
            sten: n.as_ref().map(|n| n.sten),
            norm_group: n.as_ref().map(|n| n.norm_group.clone()),
            illustrative: n.as_ref().map(|n| n.illustrative),
            norm_table: s.norm_table_id,
            norm_table_name,
            most_least: detail.most_least.filter(|v| !v.is_null()),
            scoring_version: s.scoring_version,
        });
    }
    let by_participant: HashMap<uuid::Uuid, _> = attempts
        .into_iter()
        .map(|a| (a.participant_id, a))
        .collect();
    let mut progress = Progress::default();
    let participants = people
        .into_iter()
        .map(|p| {
            let a = by_participant.get(&p.id);
            let st = a.map_or(AttemptStatus::NotStarted, |a| a.status);
            match st {
                AttemptStatus::NotStarted => progress.not_started += 1,
                AttemptStatus::InProgress => progress.in_progress += 1,
                AttemptStatus::Finished => progress.finished += 1,
                AttemptStatus::Expired => progress.expired += 1,
                AttemptStatus::Terminated => progress.terminated += 1,
            }
            ParticipantResult {
                status: st.as_str().to_owned(),
                responses: a.and_then(|a| counts.get(&a.id).copied()).unwrap_or(0),
                norm_group: a.map(|a| a.norm_group.clone()),
                scores: a.and_then(|a| scores.remove(&a.id)).unwrap_or_default(),
                participant: ParticipantView::from(p),
            }
        })
        .collect();
    Ok(CampaignResults {
        progress,
        participants,
    })
}

/// The columns of the results CSV: per score its instrument and version, the norm group, the
/// norm table (id, name in Indonesian and English, whether only illustrative) and the scoring
/// version.
pub const CSV_COLUMNS: [&str; 22] = [
    "nip",
    "name",
    "status",
    "instrument",
    "instrument_version",
    "scale",
    "raw",
    "answered",
    "administered",
    "pr",
    "z",
    "t",
    "stanine",
    "sten",
    "norm_group",
    "norm_table",
    "norm_table_name",
    "norm_table_name_en",
    "illustrative",
    "scoring_version",
    "most",
    "least",
];

/// The results as CSV, one line per participant and scale (semicolons, for Indonesian
/// spreadsheets); participants without scores get one line with their status. Every text cell
/// goes through [`text_cell`], so nothing in it runs as a spreadsheet formula.
pub fn csv(results: &CampaignResults) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record(CSV_COLUMNS).map_err(ApiError::internal)?;
    let opt = |v: Option<String>| v.unwrap_or_default();
    let profile = |s: &ScaleResult, key: &str| {
        s.most_least
            .as_ref()
            .and_then(|m| m.get(key))
            .map(|v| v.to_string())
    };
    for p in &results.participants {
        let who = [
            text_cell(&p.participant.nip),
            text_cell(&p.participant.name),
            text_cell(&p.status),
        ];
        if p.scores.is_empty() {
            w.write_record(
                who.iter()
                    .cloned()
                    .chain(std::iter::repeat_n(String::new(), CSV_COLUMNS.len() - 3)),
            )
            .map_err(ApiError::internal)?;
            continue;
        }
        for s in &p.scores {
            let score = [
                text_cell(&s.instrument),
                s.instrument_version.to_string(),
                text_cell(&s.scale),
                opt(s.raw.map(|x| x.to_string())),
                s.answered.to_string(),
                s.administered.to_string(),
                opt(s.pr.map(|x| x.to_string())),
                opt(s.z.map(|x| x.to_string())),
                opt(s.t.map(|x| format!("{x:.1}"))),
                opt(s.stanine.map(|x| x.to_string())),
                opt(s.sten.map(|x| x.to_string())),
                opt(s.norm_group.as_deref().map(text_cell)),
                opt(s.norm_table.map(|x| x.to_string())),
                opt(s.norm_table_name.as_ref().map(|t| text_cell(&t.id))),
                opt(s.norm_table_name.as_ref().map(|t| text_cell(t.english()))),
                opt(s.illustrative.map(|x| x.to_string())),
                text_cell(&s.scoring_version),
                opt(profile(s, "most")),
                opt(profile(s, "least")),
            ];
            w.write_record(who.iter().chain(score.iter()))
                .map_err(ApiError::internal)?;
        }
    }
    w.into_inner().map_err(ApiError::internal)
}

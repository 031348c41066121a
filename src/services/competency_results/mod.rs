//! Competency results of a campaign: for every participant with scores, each competency's level
//! from the organisation's evidence mapping (with the scores it was computed from), the job
//! standard that applies to their job level and position, the Job Person Match with the gap per
//! competency, the category under every scheme, the 9-box, the professionalism index (IP ASN),
//! ranks, development needs and the fast-track flag; with a summary for the campaign and its
//! units.
//!
//! Everything is computed from the stored scale scores, the imported SKP and discipline records
//! and the current versions of the rule documents and standards, and every result names the
//! versions it used, so the same numbers come out again from the same versions. `listing` pages,
//! sorts and filters the participants for the results page; `charts` draws the summary's
//! distributions; `overrides` lets a person set a level instead of the computed one.
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::auth::Staff;
use super::results::{self, ParticipantResult, ScaleResult};
use super::{
    assessment, campaign_rules, campaigns, competencies, discipline, job_standards, performance,
    AppContext,
};
use crate::domain::competency::development::{
    DevelopmentRule, FastTrack, FastTrackCandidate, PersonDevelopment, UnitDevelopment,
};
use crate::domain::competency::evidence::{
    achieved_levels, CompetencyLevel, EvidenceMapping, LevelOverride,
};
use crate::domain::competency::ip_asn::{IpAsnInputs, IpAsnResult, IpAsnRule};
use crate::domain::competency::jpm::{Jpm, JpmCategory, JpmResult, JpmRule, Standard};
use crate::domain::competency::nine_box::{
    NineBoxInputs, NineBoxOutcome, NineBoxPlacement, NineBoxRule,
};
use crate::domain::competency::ranking::{self, RankingCandidate};
use crate::domain::competency::rule_set::{CategorySchemes, RuleKind};
use crate::domain::competency::scores::{AssessorEvidence, ParticipantScores, ScaleScore};
use crate::domain::competency::skp::{SkpHistory, SkpRating};
use crate::domain::competency::Level;
use crate::domain::discipline::YearDiscipline;
use crate::domain::education::Education;
use crate::domain::ids::{AccountId, CampaignId};
use crate::domain::job_standard::JobStandard;
use crate::domain::performance::YearRating;
use crate::domain::text::Text;
use crate::error::ApiError;
use crate::store::competency_overrides as overrides;
use crate::store::fingerprints;

pub mod cache;
mod charts;
mod level_overrides;
mod listing;

pub use charts::{Bin, CompetencyCharts, ProfilePoint, ScaleHistogram};
pub use level_overrides::{set_override, OverrideRequest};
pub use listing::{ListQuery, ParticipantPage, ParticipantRow, RankScope, SortKey};

/// The versions of the rules a computation used.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RulesUsed {
    /// Version of the evidence mapping.
    pub evidence_mapping: i32,
    /// Version of the JPM rule.
    pub jpm: i32,
    /// Version of the category schemes.
    pub category_schemes: i32,
    /// Version of the 9-box rule.
    pub nine_box: i32,
    /// Version of the IP ASN rule.
    pub ip_asn: i32,
    /// Version of the development rule (routes and the fast track).
    pub development: i32,
    /// The year whose SKP ratings (and the year before's) place participants on the 9-box: the
    /// campaign's closing year. The IP ASN reads the newer of those two ratings and the latest
    /// discipline record up to that year.
    pub performance_year: i32,
}

/// The job standard applied to a participant.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StandardUsed {
    /// The standard.
    pub id: uuid::Uuid,
    /// Its version.
    pub version: u32,
    /// Its job level.
    pub job_level: String,
    /// Its position, for a position's own standard.
    pub position: Option<String>,
    /// Required level per competency code.
    pub required: BTreeMap<String, u8>,
}

/// A participant's competition ranks by JPM (rule: `domain::competency::ranking`), each computed
/// over the participants of the campaign, of the same position, or of the same unit; none without
/// a complete JPM (or without a position or unit).
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct Ranks {
    /// Rank within the campaign.
    pub campaign: Option<u32>,
    /// Rank among the campaign's participants of the same position.
    pub position: Option<u32>,
    /// Rank among the campaign's participants of the same unit.
    pub unit: Option<u32>,
}

/// One participant's competency results.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParticipantCompetencies {
    /// Participant id.
    pub participant: uuid::Uuid,
    /// NIP.
    pub nip: String,
    /// Name.
    pub name: String,
    /// Highest education, as enrolled.
    pub education: String,
    /// Job level, as enrolled.
    pub job_level: String,
    /// Position, as enrolled.
    pub position: Option<String>,
    /// Unit, as enrolled.
    pub unit: Option<String>,
    /// not_started, in_progress, finished, expired or terminated.
    pub status: String,
    /// Each competency of the mapping: the level computed from evidence (or why there is none)
    /// with the scores used, and the level a person set instead, when one did (`override`).
    #[schema(value_type = Vec<Object>)]
    pub levels: Vec<CompetencyLevel>,
    /// The standard that applies; none when the organisation has none for this job.
    pub standard: Option<StandardUsed>,
    /// Why no JPM was computed, when none was: `no_scores`, `no_standard` or `empty_standard`.
    pub no_jpm: Option<String>,
    /// The JPM and the gap per competency of the standard.
    #[schema(value_type = Option<Object>)]
    pub jpm: Option<JpmResult>,
    /// The JPM's category under each scheme (when the JPM is complete).
    #[schema(value_type = Vec<Object>)]
    pub categories: Vec<JpmCategory>,
    /// The 9-box: the box with its potential and performance bases, or every reason it is not
    /// placed (none without scores).
    #[schema(value_type = Option<Object>)]
    pub nine_box: Option<NineBoxPlacement>,
    /// The professionalism index, when all four of its inputs exist (education, a complete JPM,
    /// an SKP rating of the two years and a discipline record).
    #[schema(value_type = Option<Object>)]
    pub ip_asn: Option<IpAsnResult>,
    /// The IP ASN inputs that are missing, when there is no index: `jpm`, `performance`,
    /// `discipline` (an education the rule gives no points is `education`).
    pub no_ip_asn: Vec<String>,
    /// The mean cognitive score the 9-box's potential read, when it could (a ranking tie-break).
    pub cognitive: Option<f64>,
    /// Ranks by JPM.
    pub ranks: Ranks,
    /// Each competency below standard with its shortfall and development route.
    #[schema(value_type = Option<Object>)]
    pub development: Option<PersonDevelopment>,
    /// Flagged for the fast track: in the top share by JPM of their job level in this campaign.
    pub fast_track: bool,
}

impl ParticipantCompetencies {
    /// The complete JPM %, when there is one.
    pub fn jpm_percent(&self) -> Option<f64> {
        self.jpm.as_ref().and_then(JpmResult::percent)
    }

    /// The level that counts per competency code (none: no evidence).
    pub fn effective_levels(&self) -> BTreeMap<String, Option<u8>> {
        self.levels
            .iter()
            .map(|l| (l.computed.competency.clone(), l.effective().map(Level::get)))
            .collect()
    }

    /// The required level per competency code of the standard (none without a standard).
    pub fn required(&self) -> BTreeMap<String, u8> {
        self.standard
            .as_ref()
            .map(|s| s.required.clone())
            .unwrap_or_default()
    }

    /// The category per scheme code.
    pub fn category_by_scheme(&self) -> BTreeMap<String, String> {
        self.categories
            .iter()
            .map(|c| (c.scheme.clone(), c.category.clone()))
            .collect()
    }

    /// The gap of a competency of the standard that has a level.
    pub fn gap(&self, code: &str) -> Option<i8> {
        self.jpm
            .as_ref()?
            .competencies
            .iter()
            .find(|c| c.competency == code)?
            .gap
    }

    /// The potential score the 9-box computed, when it could.
    pub fn potential_score(&self) -> Option<f64> {
        self.nine_box
            .as_ref()
            .and_then(|b| b.potential.as_ref())
            .map(|b| b.score)
    }
}

impl CampaignCompetencies {
    /// Every competency code of the results: the evidence mapping's order (every scored
    /// participant's levels come in it), then any other code a standard requires.
    pub fn competency_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .participants
            .iter()
            .find(|p| !p.levels.is_empty())
            .map(|p| {
                p.levels
                    .iter()
                    .map(|l| l.computed.competency.clone())
                    .collect()
            })
            .unwrap_or_default();
        for p in &self.participants {
            for code in p.standard.iter().flat_map(|s| s.required.keys()) {
                if !codes.contains(code) {
                    codes.push(code.clone());
                }
            }
        }
        codes
    }

    /// The category scheme codes of the results, in code order.
    pub fn scheme_codes(&self) -> Vec<String> {
        self.summary.all.categories.keys().cloned().collect()
    }
}

/// A competency of the framework, by code, as the summary names it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompetencyName {
    /// Code.
    pub code: String,
    /// `managerial`, `socio_cultural` or `technical`.
    pub kind: String,
    /// Name in Bahasa Indonesia and English.
    pub name: Text,
}

/// Counts and means over a group of participants (a campaign or a unit).
#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
pub struct GroupSummary {
    /// Participants enrolled.
    pub participants: usize,
    /// With scale scores.
    pub scored: usize,
    /// Scored, without a standard for their job.
    pub without_standard: usize,
    /// With a complete JPM.
    pub with_jpm: usize,
    /// Mean complete JPM %, rounded to 2 decimals.
    pub jpm_mean: Option<f64>,
    /// With an IP ASN.
    pub with_ip_asn: usize,
    /// Mean IP ASN total, rounded to 2 decimals.
    pub ip_asn_mean: Option<f64>,
    /// Per scheme code, participants per category.
    pub categories: BTreeMap<String, BTreeMap<String, usize>>,
    /// Participants per 9-box number (placed ones only), keyed by the number as text ("1"–"9").
    #[schema(value_type = BTreeMap<String, usize>)]
    pub nine_box: BTreeMap<u8, usize>,
    /// Participants in the talent pool.
    pub talent_pool: usize,
    /// Per competency: how many were assessed, how many are below standard and by how much.
    #[schema(value_type = Object)]
    pub development: UnitDevelopment,
}

/// One unit's summary.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitSummary {
    /// The unit, as enrolled (a hierarchy reads "Dinas … / Bidang …").
    pub unit: String,
    /// Its counts, means and development needs.
    #[serde(flatten)]
    pub summary: GroupSummary,
}

/// Counts over the campaign.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompetencySummary {
    /// The campaign as a whole.
    #[serde(flatten)]
    pub all: GroupSummary,
    /// Per unit, in unit order (participants without a unit are not in any).
    pub units: Vec<UnitSummary>,
    /// The fast track per job level: quota, threshold and the NIPs flagged.
    #[schema(value_type = Object)]
    pub fast_track: FastTrack,
    /// The framework's competencies, for names.
    pub competencies: Vec<CompetencyName>,
}

/// A campaign's competency results.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CampaignCompetencies {
    /// The rule versions used.
    pub rules: RulesUsed,
    /// Counts.
    pub summary: CompetencySummary,
    /// Every participant, in the order of the results.
    pub participants: Vec<ParticipantCompetencies>,
}

/// The rule documents one computation reads.
#[derive(Clone, Copy)]
struct Rules<'a> {
    mapping: &'a EvidenceMapping,
    jpm: &'a JpmRule,
    schemes: &'a CategorySchemes,
    nine_box: &'a NineBoxRule,
    ip_asn: &'a IpAsnRule,
}

/// What one participant's computation reads besides the scores and the rules.
struct PersonInputs {
    standard: Option<StandardUsed>,
    overridden: BTreeMap<String, LevelOverride>,
    skp: SkpHistory,
    discipline: Option<crate::domain::discipline::DisciplineLevel>,
    assessor: Option<AssessorEvidence>,
}

/// The key a participant's job standard is found by: (job level in lower case, position).
pub type StandardKey = (String, Option<String>);

/// The key of a participant's job standard.
pub fn standard_key(p: &crate::services::enrolment::ParticipantView) -> StandardKey {
    (p.job_level.trim().to_lowercase(), p.position.clone())
}

/// Everything a campaign's computation reads besides its results: the rule documents (and the
/// versions they are), the standard of each (job level, position), the yearly records by NIP,
/// the overrides by participant and the framework's names. [`compute_all`] is a pure function of
/// these and the results.
pub struct Inputs {
    /// The versions of the rule documents below, and the performance year.
    pub rules: RulesUsed,
    /// The evidence mapping.
    pub mapping: EvidenceMapping,
    /// The JPM rule.
    pub jpm: JpmRule,
    /// The category schemes.
    pub schemes: CategorySchemes,
    /// The 9-box rule.
    pub nine_box: NineBoxRule,
    /// The IP ASN rule.
    pub ip_asn: IpAsnRule,
    /// The development rule.
    pub development: DevelopmentRule,
    /// The standard of each [`StandardKey`]; a missing key is "no standard".
    pub standards: HashMap<StandardKey, StandardUsed>,
    /// SKP ratings of the performance year and the year before, by NIP.
    pub skp: HashMap<String, Vec<YearRating>>,
    /// The latest discipline record up to the performance year, by NIP.
    pub discipline: HashMap<String, YearDiscipline>,
    /// Overrides by participant id and competency code.
    pub overrides: HashMap<uuid::Uuid, BTreeMap<String, LevelOverride>>,
    /// Assessor evidence (submitted ratings' means, integrated levels) by participant id.
    pub assessor: HashMap<uuid::Uuid, AssessorEvidence>,
    /// The framework's competencies.
    pub competencies: Vec<CompetencyName>,
}

/// A rule document as a computation used it.
#[derive(Debug, Clone)]
pub struct RuleDocumentUsed {
    /// Its kind.
    pub kind: RuleKind,
    /// Its version.
    pub version: i32,
    /// The document.
    pub document: serde_json::Value,
}

/// A campaign's results with what they were computed from: the scale results (the profile, the
/// charts and the exports read them) and the rule documents.
pub struct Computed {
    /// The competency results.
    pub all: CampaignCompetencies,
    /// The scale results they came from, in the same order.
    pub results: results::CampaignResults,
    /// The rule documents used.
    pub documents: Vec<RuleDocumentUsed>,
}

fn rule<T: serde::de::DeserializeOwned>(doc: serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(doc).map_err(ApiError::internal)
}

/// The competency results of a campaign of the caller's organisation.
pub async fn of_campaign(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
) -> Result<CampaignCompetencies, ApiError> {
    Ok(compute_campaign(ctx, staff, id).await?.all.clone())
}

/// The overrides set in a campaign, by participant and competency code.
async fn overrides_of(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
) -> Result<HashMap<uuid::Uuid, BTreeMap<String, LevelOverride>>, ApiError> {
    let mut set: HashMap<uuid::Uuid, BTreeMap<String, LevelOverride>> = HashMap::new();
    for o in overrides::of_campaign(&ctx.db, staff.organisation, id).await? {
        let Ok(level) = Level::new(o.level.clamp(0, 255) as u8) else {
            continue;
        };
        if let Ok(v) = LevelOverride::new(
            level,
            &o.reason,
            AccountId::from(o.created_by),
            o.created_at,
        ) {
            set.entry(o.participant_id)
                .or_default()
                .insert(o.competency, v);
        }
    }
    Ok(set)
}

/// A campaign's results and what they were computed from, kept by this node while the inputs'
/// fingerprint stays the same ([`cache`]). The scale results' response counts are not part of
/// the fingerprint (they change with every answer and no competency result reads them): a
/// reader that shows them takes [`compute_fresh`].
pub async fn compute_campaign(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
) -> Result<Arc<Computed>, ApiError> {
    load_and_compute(ctx, staff, id, true).await
}

/// [`compute_campaign`] read and computed now, whatever this node keeps.
pub async fn compute_fresh(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
) -> Result<Arc<Computed>, ApiError> {
    load_and_compute(ctx, staff, id, false).await
}

/// Loads a campaign's results and everything they are computed from, and computes them, or
/// gives the kept computation when `kept` allows and its fingerprint still holds.
async fn load_and_compute(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
    kept: bool,
) -> Result<Arc<Computed>, ApiError> {
    // The versions the campaign pins, else the organisation's current ones.
    let in_force = campaign_rules::in_force(ctx, staff, id).await?;
    let standards_as_of = in_force.standards_as_of;
    let documents: Vec<RuleDocumentUsed> = in_force
        .documents
        .into_iter()
        .map(|(kind, doc)| RuleDocumentUsed {
            kind,
            version: doc.version,
            document: doc.document,
        })
        .collect();
    let doc = |kind: RuleKind| {
        documents
            .iter()
            .find(|d| d.kind == kind)
            .expect("every kind was loaded")
    };
    let campaign = campaigns::get(ctx, staff, id).await?;
    let year = chrono::Datelike::year(&campaign.closes_at);
    let rules = RulesUsed {
        evidence_mapping: doc(RuleKind::EvidenceMapping).version,
        jpm: doc(RuleKind::Jpm).version,
        category_schemes: doc(RuleKind::CategorySchemes).version,
        nine_box: doc(RuleKind::NineBox).version,
        ip_asn: doc(RuleKind::IpAsn).version,
        development: doc(RuleKind::Development).version,
        performance_year: year,
    };
    let framework = competencies::current(ctx, staff).await?;
    let fingerprint = format!(
        "{rules:?}|framework {}|closes {}|standards {standards_as_of:?}|{}",
        framework.version,
        campaign.closes_at.to_rfc3339(),
        fingerprints::competency_inputs(&ctx.db, staff.organisation, id).await?
    );
    if kept {
        if let Some(c) = ctx
            .competency_cache
            .get(staff.organisation, id, &fingerprint)
        {
            return Ok(c);
        }
    }
    let results = results::of_campaign(ctx, staff, id).await?;

    // The yearly records of everyone scored, in two queries rather than two per person.
    let nips: Vec<&str> = results
        .participants
        .iter()
        .filter(|p| !p.scores.is_empty())
        .map(|p| p.participant.nip.as_str())
        .collect();
    let skp = performance::last_two_years_of(ctx, staff.organisation, &nips, year).await?;
    let discipline = discipline::latest_discipline_of(ctx, staff.organisation, &nips, year).await?;
    // One lookup per (job level, position): a campaign has few of them and many people.
    let mut standards = HashMap::new();
    let mut looked_up = std::collections::HashSet::new();
    for p in &results.participants {
        let key = standard_key(&p.participant);
        if looked_up.insert(key.clone()) {
            if let Some((s, v)) = job_standards::standard_as_of(
                ctx,
                staff.organisation,
                &p.participant.job_level,
                p.participant.position.as_deref(),
                standards_as_of,
            )
            .await?
            {
                standards.insert(key, standard_used(&s, v));
            }
        }
    }
    let inputs = Inputs {
        rules,
        mapping: rule(doc(RuleKind::EvidenceMapping).document.clone())?,
        jpm: rule(doc(RuleKind::Jpm).document.clone())?,
        schemes: rule(doc(RuleKind::CategorySchemes).document.clone())?,
        nine_box: rule(doc(RuleKind::NineBox).document.clone())?,
        ip_asn: rule(doc(RuleKind::IpAsn).document.clone())?,
        development: rule(doc(RuleKind::Development).document.clone())?,
        standards,
        skp,
        discipline,
        overrides: overrides_of(ctx, staff, id).await?,
        assessor: assessment::evidence::of_campaign(&ctx.db, staff.organisation, id).await?,
        competencies: framework
            .competencies
            .iter()
            .map(|c| CompetencyName {
                code: c.code.clone(),
                kind: c.kind.clone(),
                name: c.name.clone(),
            })
            .collect(),
    };
    let all = compute_all(&results, inputs).map_err(|m| ApiError::internal(anyhow::anyhow!(m)))?;
    let computed = Arc::new(Computed {
        all,
        results,
        documents,
    });
    ctx.competency_cache
        .put(staff.organisation, id, fingerprint, computed.clone());
    Ok(computed)
}

/// A campaign's competency results from its scale results and [`Inputs`]: a pure function, so
/// the same inputs give the same results. Fails only on stored data that cannot be (two SKP
/// ratings of one year for one person).
pub fn compute_all(
    results: &results::CampaignResults,
    inputs: Inputs,
) -> Result<CampaignCompetencies, String> {
    let Inputs {
        rules: rules_used,
        mapping,
        jpm,
        schemes,
        nine_box,
        ip_asn,
        development,
        standards,
        mut skp,
        mut discipline,
        mut overrides,
        mut assessor,
        competencies,
    } = inputs;
    let rules = Rules {
        mapping: &mapping,
        jpm: &jpm,
        schemes: &schemes,
        nine_box: &nine_box,
        ip_asn: &ip_asn,
    };
    let mut participants = Vec::with_capacity(results.participants.len());
    for p in &results.participants {
        let history = skp
            .remove(&p.participant.nip)
            .unwrap_or_default()
            .into_iter()
            .map(|r| SkpRating {
                year: r.year.value(),
                predicate: r.rating.predicate,
            })
            .collect();
        let person = PersonInputs {
            standard: standards.get(&standard_key(&p.participant)).cloned(),
            overridden: overrides.remove(&p.participant.id).unwrap_or_default(),
            skp: SkpHistory::new(history)?,
            discipline: discipline
                .remove(&p.participant.nip)
                .map(|d| d.record.level),
            assessor: assessor.remove(&p.participant.id),
        };
        participants.push(compute(p, person, rules));
    }
    rank_all(&mut participants);
    let fast_track = flag_fast_track(&development, &mut participants);
    for one in &mut participants {
        one.development = one.jpm.as_ref().map(|j| development.needs(j));
    }
    let summary = CompetencySummary {
        all: summarise(&development, participants.iter()),
        units: by_unit(&development, &participants),
        fast_track,
        competencies,
    };
    Ok(CampaignCompetencies {
        rules: rules_used,
        summary,
        participants,
    })
}

fn standard_used(s: &JobStandard, v: job_standards::StandardVersion) -> StandardUsed {
    StandardUsed {
        id: v.standard.as_uuid(),
        version: v.version,
        job_level: s.job_level().name().to_owned(),
        position: s.position().map(|p| p.as_str().to_owned()),
        required: s
            .levels()
            .iter()
            .map(|(c, l)| (c.to_owned(), l.get()))
            .collect(),
    }
}

/// One participant's results from their scale scores, the standard that applies, their yearly
/// records and the rules. Ranks, development needs and the fast track are filled in over the
/// campaign afterwards.
fn compute(
    p: &ParticipantResult,
    inputs: PersonInputs,
    rules: Rules<'_>,
) -> ParticipantCompetencies {
    let PersonInputs {
        standard,
        mut overridden,
        skp,
        discipline,
        assessor,
    } = inputs;
    let scores = ParticipantScores {
        scales: p
            .scores
            .iter()
            .map(|s| ScaleScore {
                instrument: s.instrument.clone(),
                scale: s.scale.clone(),
                raw: s.raw,
                percentile: s.pr,
                t: s.t,
            })
            .collect(),
        assessor: assessor.unwrap_or_default(),
    };
    let levels: Vec<CompetencyLevel> = if p.scores.is_empty() && scores.assessor.is_empty() {
        Vec::new()
    } else {
        rules
            .mapping
            .levels(&scores)
            .into_iter()
            .map(|computed| CompetencyLevel {
                overridden: overridden.remove(&computed.competency),
                computed,
            })
            .collect()
    };
    let achieved = achieved_levels(&levels);
    let (jpm, no_jpm) = match (&standard, levels.is_empty()) {
        (_, true) => (None, Some("no_scores")),
        (None, false) => (None, Some("no_standard")),
        (Some(s), false) => {
            let required: Standard = s
                .required
                .iter()
                .filter_map(|(c, l)| Level::new(*l).ok().map(|lv| (c.clone(), lv)))
                .collect();
            match rules
                .jpm
                .job_person_match(&required, &achieved, &p.participant.job_level)
            {
                Ok(r) => (Some(r), None),
                Err(_) => (None, Some("empty_standard")),
            }
        }
    };
    let percent = jpm.as_ref().and_then(JpmResult::percent);
    let categories = match jpm.as_ref().map(|r| &r.jpm) {
        Some(Jpm::Complete(score)) => rules
            .schemes
            .schemes
            .iter()
            .filter_map(|s| s.categorise(score))
            .collect(),
        _ => Vec::new(),
    };
    // Placed (or told why not) once there are scores; the box reads the JPM as shown.
    let nine_box = (!levels.is_empty()).then(|| {
        rules.nine_box.place(NineBoxInputs {
            skp: &skp,
            jpm: percent,
            scores: &scores,
        })
    });
    let cognitive = nine_box
        .as_ref()
        .and_then(|b| b.potential.as_ref())
        .map(|b| b.cognitive_mean);
    let education = Education::parse(&p.participant.education).ok();
    let (ip_asn, no_ip_asn) = if levels.is_empty() {
        (None, Vec::new())
    } else {
        let index = rules.ip_asn.index(IpAsnInputs {
            education,
            jpm: percent,
            latest_skp: skp.latest().map(|r| r.predicate),
            discipline,
        });
        let missing: Vec<String> = [
            ("education", index.qualification),
            ("jpm", index.competency),
            ("performance", index.performance),
            ("discipline", index.discipline),
        ]
        .into_iter()
        .filter(|(_, v)| v.is_none())
        .map(|(k, _)| k.to_owned())
        .collect();
        (index.total.is_some().then_some(index), missing)
    };
    ParticipantCompetencies {
        participant: p.participant.id,
        nip: p.participant.nip.clone(),
        name: p.participant.name.clone(),
        education: p.participant.education.clone(),
        job_level: p.participant.job_level.clone(),
        position: p.participant.position.clone(),
        unit: p.participant.unit.clone(),
        status: p.status.clone(),
        levels,
        standard,
        no_jpm: no_jpm.map(str::to_owned),
        jpm,
        categories,
        nine_box,
        ip_asn,
        no_ip_asn,
        cognitive,
        ranks: Ranks::default(),
        development: None,
        fast_track: false,
    }
}

/// The 9-box number of a placed participant.
pub fn box_of(p: &ParticipantCompetencies) -> Option<u8> {
    match p.nine_box.as_ref().map(|b| &b.outcome) {
        Some(NineBoxOutcome::Placed { box_number, .. }) => Some(*box_number),
        _ => None,
    }
}

/// Whether a participant is placed in a box of the talent pool.
pub fn in_talent_pool(p: &ParticipantCompetencies) -> bool {
    matches!(
        p.nine_box.as_ref().map(|b| &b.outcome),
        Some(NineBoxOutcome::Placed {
            talent_pool: true,
            ..
        })
    )
}

/// The ranking candidate of a participant with a complete JPM (the first scheme's category).
pub(crate) fn ranking_candidate(p: &ParticipantCompetencies) -> Option<RankingCandidate> {
    RankingCandidate::from_results(
        &p.nip,
        p.jpm.as_ref()?,
        p.categories.first(),
        p.nine_box.as_ref(),
        p.cognitive,
    )
}

/// Ranks over the campaign, and within each position and unit.
fn rank_all(participants: &mut [ParticipantCompetencies]) {
    type Pick = fn(&ParticipantCompetencies) -> Option<String>;
    type Put = fn(&mut Ranks, u32);
    let scopes: [(Pick, Put); 3] = [
        (|_| Some(String::new()), |r, n| r.campaign = Some(n)),
        (|p| p.position.clone(), |r, n| r.position = Some(n)),
        (|p| p.unit.clone(), |r, n| r.unit = Some(n)),
    ];
    for (pick, put) in scopes {
        let mut groups: BTreeMap<String, Vec<(usize, RankingCandidate)>> = BTreeMap::new();
        for (i, p) in participants.iter().enumerate() {
            if let (Some(g), Some(c)) = (pick(p), ranking_candidate(p)) {
                groups.entry(g).or_default().push((i, c));
            }
        }
        for members in groups.into_values() {
            // Rank by index: the candidate's `participant` is the NIP, unique in a campaign, and
            // the index finds the participant again whatever order the ranking leaves.
            let by_nip: HashMap<String, usize> = members
                .iter()
                .map(|(i, c)| (c.participant.clone(), *i))
                .collect();
            for row in ranking::rank(members.into_iter().map(|(_, c)| c).collect()) {
                if let Some(&i) = by_nip.get(&row.candidate.participant) {
                    put(&mut participants[i].ranks, row.rank);
                }
            }
        }
    }
}

/// Flags the fast track per job level and answers it.
fn flag_fast_track(
    rule: &DevelopmentRule,
    participants: &mut [ParticipantCompetencies],
) -> FastTrack {
    let candidates: Vec<FastTrackCandidate> = participants
        .iter()
        .filter(|p| p.jpm.is_some())
        .map(|p| FastTrackCandidate {
            participant: p.nip.clone(),
            job_level: p.job_level.clone(),
            jpm: p.jpm.as_ref().and_then(JpmResult::percent),
        })
        .collect();
    let track = rule.fast_track(&candidates);
    let flagged: std::collections::HashSet<&str> = track
        .levels
        .iter()
        .flat_map(|l| l.flagged.iter().map(String::as_str))
        .collect();
    for p in participants.iter_mut() {
        p.fast_track = flagged.contains(p.nip.as_str());
    }
    track
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| (sum / n as f64 * 100.0).round() / 100.0)
}

/// Counts, means and development needs over some participants.
fn summarise<'a>(
    rule: &DevelopmentRule,
    participants: impl Iterator<Item = &'a ParticipantCompetencies> + Clone,
) -> GroupSummary {
    let mut s = GroupSummary::default();
    let mut results: Vec<&JpmResult> = Vec::new();
    for p in participants.clone() {
        s.participants += 1;
        if !p.levels.is_empty() {
            s.scored += 1;
            if p.standard.is_none() {
                s.without_standard += 1;
            }
        }
        if p.jpm.as_ref().and_then(JpmResult::percent).is_some() {
            s.with_jpm += 1;
        }
        if p.ip_asn.is_some() {
            s.with_ip_asn += 1;
        }
        if let Some(j) = &p.jpm {
            results.push(j);
        }
        for c in &p.categories {
            *s.categories
                .entry(c.scheme.clone())
                .or_default()
                .entry(c.category.clone())
                .or_default() += 1;
        }
        if let Some(b) = box_of(p) {
            *s.nine_box.entry(b).or_default() += 1;
        }
        if in_talent_pool(p) {
            s.talent_pool += 1;
        }
    }
    s.jpm_mean = mean(
        participants
            .clone()
            .filter_map(|p| p.jpm.as_ref().and_then(JpmResult::percent)),
    );
    s.ip_asn_mean = mean(participants.filter_map(|p| p.ip_asn.as_ref().and_then(|i| i.total)));
    s.development = rule.unit_needs(&results);
    s
}

/// The summary of every unit, in unit order.
fn by_unit(rule: &DevelopmentRule, participants: &[ParticipantCompetencies]) -> Vec<UnitSummary> {
    let mut units: BTreeMap<&str, Vec<&ParticipantCompetencies>> = BTreeMap::new();
    for p in participants {
        if let Some(u) = p.unit.as_deref() {
            units.entry(u).or_default().push(p);
        }
    }
    units
        .into_iter()
        .map(|(unit, members)| UnitSummary {
            unit: unit.to_owned(),
            summary: summarise(rule, members.into_iter()),
        })
        .collect()
}

/// A campaign's summary and the distributions its page draws, without the participants.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignOverview {
    /// The rule versions used.
    pub rules: RulesUsed,
    /// Counts, means, units, the fast track and the competencies' names.
    pub summary: CompetencySummary,
    /// The distributions.
    pub charts: CompetencyCharts,
}

/// The summary and charts of a campaign of the caller's organisation.
pub async fn overview(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
) -> Result<CampaignOverview, ApiError> {
    let computed = compute_campaign(ctx, staff, id).await?;
    Ok(CampaignOverview {
        rules: computed.all.rules.clone(),
        summary: computed.all.summary.clone(),
        charts: charts::of(&computed),
    })
}

/// One page of a campaign's participants, filtered and sorted as `q` asks.
pub async fn list(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
    q: &ListQuery,
) -> Result<ParticipantPage, ApiError> {
    listing::page(&compute_campaign(ctx, staff, id).await?.all, q)
}

/// One participant's competency results with their scale scores and the rule versions used.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantProfile {
    /// The results.
    #[serde(flatten)]
    pub competencies: ParticipantCompetencies,
    /// Every scale score, with its norm table and scoring version.
    pub scores: Vec<ScaleResult>,
    /// The rule versions used.
    pub rules: RulesUsed,
}

/// One participant's profile in a campaign of the caller's organisation.
pub async fn profile(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
    participant: crate::domain::ids::ParticipantId,
) -> Result<ParticipantProfile, ApiError> {
    let computed = compute_campaign(ctx, staff, id).await?;
    let wanted = participant.as_uuid();
    let competencies = computed
        .all
        .participants
        .iter()
        .find(|p| p.participant == wanted)
        .cloned()
        .ok_or_else(|| ApiError::not_found("participant"))?;
    let scores = computed
        .results
        .participants
        .iter()
        .find(|p| p.participant.id == wanted)
        .map(|p| p.scores.clone())
        .unwrap_or_default();
    Ok(ParticipantProfile {
        scores,
        competencies,
        rules: computed.all.rules.clone(),
    })
}

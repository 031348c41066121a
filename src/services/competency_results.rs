//! Competency results of a campaign: for every participant with scores, each competency's level
//! from the organisation's evidence mapping (with the scores it was computed from), the job
//! standard that applies to their job level and position, the Job Person Match with the gap per
//! competency, and the category under every scheme; with a summary for the campaign.
//!
//! Everything is computed from the stored scale scores and the current versions of the rule
//! documents and standards, and every result names the versions it used, so the same numbers
//! come out again from the same versions.
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::auth::Staff;
use super::results::{self, ParticipantResult};
use super::{campaigns, competency_rules, job_standards, performance, AppContext};
use crate::domain::competency::evidence::{
    achieved_levels, CompetencyLevel, EvidenceMapping, LevelOverride,
};
use crate::domain::competency::jpm::{Jpm, JpmCategory, JpmResult, JpmRule, Standard};
use crate::domain::competency::nine_box::{
    NineBoxInputs, NineBoxOutcome, NineBoxPlacement, NineBoxRule,
};
use crate::domain::competency::rule_set::{CategorySchemes, RuleKind};
use crate::domain::competency::scores::{ParticipantScores, ScaleScore};
use crate::domain::competency::skp::{SkpHistory, SkpRating};
use crate::domain::competency::Level;
use crate::domain::ids::{AccountId, CampaignId, ParticipantId};
use crate::domain::job_standard::JobStandard;
use crate::domain::nip::Nip;
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::competency_overrides as overrides;
use crate::store::entities::competency_override;

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
    /// The year whose SKP ratings (and the year before's) place participants on the 9-box: the
    /// campaign's closing year.
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

/// One participant's competency results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantCompetencies {
    /// Participant id.
    pub participant: uuid::Uuid,
    /// NIP.
    pub nip: String,
    /// Name.
    pub name: String,
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
}

/// The rule documents one computation reads.
#[derive(Clone, Copy)]
struct Rules<'a> {
    mapping: &'a EvidenceMapping,
    jpm: &'a JpmRule,
    schemes: &'a CategorySchemes,
    nine_box: &'a NineBoxRule,
}

/// Counts over the campaign.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct CompetencySummary {
    /// Participants enrolled.
    pub participants: usize,
    /// With scale scores.
    pub scored: usize,
    /// Scored, without a standard for their job.
    pub without_standard: usize,
    /// With a complete JPM.
    pub with_jpm: usize,
    /// Per scheme code, participants per category.
    pub categories: BTreeMap<String, BTreeMap<String, usize>>,
    /// Participants per 9-box number (placed ones only).
    pub nine_box: BTreeMap<u8, usize>,
    /// Participants in the talent pool.
    pub talent_pool: usize,
}

/// A campaign's competency results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignCompetencies {
    /// The rule versions used.
    pub rules: RulesUsed,
    /// Counts.
    pub summary: CompetencySummary,
    /// Every participant, in the order of the results.
    pub participants: Vec<ParticipantCompetencies>,
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
    let mapping = competency_rules::current(ctx, staff, RuleKind::EvidenceMapping).await?;
    let jpm_rule = competency_rules::current(ctx, staff, RuleKind::Jpm).await?;
    let schemes = competency_rules::current(ctx, staff, RuleKind::CategorySchemes).await?;
    let nine_box = competency_rules::current(ctx, staff, RuleKind::NineBox).await?;
    let campaign = campaigns::get(ctx, staff, id).await?;
    let year = chrono::Datelike::year(&campaign.closes_at);
    let rules = RulesUsed {
        evidence_mapping: mapping.version,
        jpm: jpm_rule.version,
        category_schemes: schemes.version,
        nine_box: nine_box.version,
        performance_year: year,
    };
    let nine_box: NineBoxRule = rule(nine_box.document)?;
    let today = ctx.clock.today();
    let mapping: EvidenceMapping = rule(mapping.document)?;
    let jpm_rule: JpmRule = rule(jpm_rule.document)?;
    let schemes: CategorySchemes = rule(schemes.document)?;
    let results = results::of_campaign(ctx, staff, id).await?;
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

    // One lookup per (job level, position): a campaign has few of them and many people.
    let mut standards: HashMap<(String, Option<String>), Option<StandardUsed>> = HashMap::new();
    let mut summary = CompetencySummary {
        participants: results.participants.len(),
        ..CompetencySummary::default()
    };
    let mut participants = Vec::with_capacity(results.participants.len());
    for p in results.participants {
        let key = (
            p.participant.job_level.trim().to_lowercase(),
            p.participant.position.clone(),
        );
        if !standards.contains_key(&key) {
            let found = job_standards::standard_for(
                ctx,
                staff.organisation,
                &p.participant.job_level,
                p.participant.position.as_deref(),
            )
            .await?
            .map(|(s, v)| standard_used(&s, v));
            standards.insert(key.clone(), found);
        }
        let standard = standards[&key].clone();
        let mine = set.remove(&p.participant.id).unwrap_or_default();
        let skp = match Nip::parse_as_of(&p.participant.nip, today) {
            Ok(nip) if !p.scores.is_empty() => {
                performance::last_two_years(ctx, staff.organisation, &nip, year).await?
            }
            _ => Vec::new(),
        };
        let skp = SkpHistory::new(
            skp.into_iter()
                .map(|r| SkpRating {
                    year: r.year.value(),
                    predicate: r.rating.predicate,
                })
                .collect(),
        )
        .map_err(|m| ApiError::internal(anyhow::anyhow!(m)))?;
        let rules = Rules {
            mapping: &mapping,
            jpm: &jpm_rule,
            schemes: &schemes,
            nine_box: &nine_box,
        };
        let one = compute(p, standard, mine, &skp, rules);
        if let Some(NineBoxOutcome::Placed {
            box_number,
            talent_pool,
            ..
        }) = one.nine_box.as_ref().map(|b| &b.outcome)
        {
            *summary.nine_box.entry(*box_number).or_default() += 1;
            if *talent_pool {
                summary.talent_pool += 1;
            }
        }
        if !one.levels.is_empty() {
            summary.scored += 1;
            if one.standard.is_none() {
                summary.without_standard += 1;
            }
        }
        if one.jpm.as_ref().and_then(JpmResult::percent).is_some() {
            summary.with_jpm += 1;
        }
        for c in &one.categories {
            *summary
                .categories
                .entry(c.scheme.clone())
                .or_default()
                .entry(c.category.clone())
                .or_default() += 1;
        }
        participants.push(one);
    }
    Ok(CampaignCompetencies {
        rules,
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

/// One participant's results from their scale scores, the standard that applies and the rules.
fn compute(
    p: ParticipantResult,
    standard: Option<StandardUsed>,
    mut overridden: BTreeMap<String, LevelOverride>,
    skp: &SkpHistory,
    rules: Rules<'_>,
) -> ParticipantCompetencies {
    let Rules {
        mapping,
        jpm: jpm_rule,
        schemes,
        nine_box,
    } = rules;
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
    };
    let levels: Vec<CompetencyLevel> = if p.scores.is_empty() {
        Vec::new()
    } else {
        mapping
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
            match jpm_rule.job_person_match(&required, &achieved, &p.participant.job_level) {
                Ok(r) => (Some(r), None),
                Err(_) => (None, Some("empty_standard")),
            }
        }
    };
    let categories = match jpm.as_ref().map(|r| &r.jpm) {
        Some(Jpm::Complete(score)) => schemes
            .schemes
            .iter()
            .filter_map(|s| s.categorise(score))
            .collect(),
        _ => Vec::new(),
    };
    // Placed (or told why not) once there are scores; the box reads the JPM as shown.
    let nine_box = (!levels.is_empty()).then(|| {
        nine_box.place(NineBoxInputs {
            skp,
            jpm: jpm.as_ref().and_then(JpmResult::percent),
            scores: &scores,
        })
    });
    ParticipantCompetencies {
        participant: p.participant.id,
        nip: p.participant.nip,
        name: p.participant.name,
        job_level: p.participant.job_level,
        position: p.participant.position,
        unit: p.participant.unit,
        status: p.status,
        levels,
        standard,
        no_jpm: no_jpm.map(str::to_owned),
        jpm,
        categories,
        nine_box,
    }
}

/// A level a person sets for one participant's competency, or clears (`level: None`).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideRequest {
    /// The level that counts instead of the computed one (1–5); `null` removes the override.
    pub level: Option<u8>,
    /// Why (1–1000 characters); kept with the override and in the audit log.
    pub reason: String,
}

/// Sets (or, with no level, removes) the override of one participant's competency in a campaign
/// of the caller's organisation. The computed level is never changed; the audit log keeps the
/// override before and after.
pub async fn set_override(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
    competency: &str,
    request: OverrideRequest,
) -> Result<ParticipantCompetencies, ApiError> {
    let found = crate::store::campaigns::find_participant(
        &ctx.db,
        staff.organisation,
        campaign,
        participant,
    )
    .await?;
    if found.is_none() {
        return Err(ApiError::not_found("participant"));
    }
    let mapping = competency_rules::current(ctx, staff, RuleKind::EvidenceMapping).await?;
    let mapping: EvidenceMapping = rule(mapping.document)?;
    let invalid = |field: &str, message: String| {
        ApiError::with_errors(
            ErrorCode::InvalidOverride,
            "the override is not valid; nothing was changed",
            vec![crate::domain::FieldError::top(field, message)],
        )
    };
    if !mapping.competencies.iter().any(|c| c.code == competency) {
        return Err(ApiError::not_found("competency"));
    }
    let now = ctx.clock.now();
    let value = match request.level {
        None => None,
        Some(n) => {
            let level = Level::new(n).map_err(|m| invalid("level", m))?;
            Some(
                LevelOverride::new(level, &request.reason, staff.account, now)
                    .map_err(|m| invalid("reason", m))?,
            )
        }
    };
    if value.is_none() && request.reason.trim().is_empty() {
        return Err(invalid(
            "reason",
            "removing an override needs a reason too".into(),
        ));
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    let before = overrides::find(&txn, participant, competency).await?;
    overrides::delete(&txn, participant, competency).await?;
    if let Some(v) = &value {
        overrides::insert(
            &txn,
            competency_override::Model {
                id: uuid::Uuid::now_v7(),
                organisation_id: staff.organisation.as_uuid(),
                campaign_id: campaign.as_uuid(),
                participant_id: participant.as_uuid(),
                competency: competency.to_owned(),
                level: i32::from(v.level().get()),
                reason: v.reason().to_owned(),
                created_by: staff.account.as_uuid(),
                created_at: now,
            },
        )
        .await?;
    }
    let shown = |o: Option<(i32, String)>| {
        o.map(|(level, reason)| serde_json::json!({"level": level, "reason": reason}))
    };
    super::audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "competency_level.override",
            target_type: "participant",
            target_id: format!("{participant}/{competency}"),
            before: shown(before.map(|b| (b.level, b.reason))),
            after: shown(
                value
                    .as_ref()
                    .map(|v| (i32::from(v.level().get()), v.reason().to_owned())),
            ),
            reason: Some(request.reason.trim().to_owned()),
            at: now,
        },
    )
    .await?;
    of_campaign(ctx, staff, campaign)
        .await?
        .participants
        .into_iter()
        .find(|p| p.participant == participant.as_uuid())
        .ok_or_else(|| ApiError::not_found("participant"))
}

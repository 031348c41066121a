//! What a participant's report says, gathered from the results: identity, the assessment date and
//! methods, the competency profile against the job standard (test and assessor evidence side by
//! side), JPM and category, gaps with the development rule's suggestions, scale scores with their
//! norm group and table, the 9-box, the panel's evidence, and the versions of everything it was
//! computed from. The same data gives the same report (its digest names it); the PDF itself is
//! drawn by [`super::pdf`].
use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::pdf::{
    CampaignSummary, CompetencyLine, EvidenceLine, IndividualReport, Lang, NineBoxPlace,
    ProfileLine, ScaleLine, TalentLine,
};
use crate::domain::competency::development::DevelopmentRule;
use crate::domain::competency::evidence::{CompetencyLevel, EvidenceOutcome};
use crate::domain::competency::nine_box::NineBoxOutcome;
use crate::domain::competency::rule_set::RuleKind;
use crate::domain::ids::{CampaignId, ParticipantId};
use crate::domain::text::Text;
use crate::error::ApiError;
use crate::services::assessment::integration;
use crate::services::auth::Staff;
use crate::services::competency_results::{self, ParticipantProfile};
use crate::services::{campaign_rules, campaigns, competencies, AppContext};

/// Longest summary of the assessors' evidence of one competency, in characters.
const EVIDENCE_CHARS: usize = 600;

/// A report's language from its code: `id` (the default) or `en`.
pub fn lang_of(code: Option<&str>) -> Result<Lang, ApiError> {
    match code.unwrap_or("id") {
        "id" => Ok(Lang::Id),
        "en" => Ok(Lang::En),
        other => Err(ApiError::new(
            crate::error::ErrorCode::InvalidQuery,
            format!("unknown report language '{other}': use id or en"),
        )),
    }
}

/// The code of a language.
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Id => "id",
        Lang::En => "en",
    }
}

fn text_in(t: &Text, lang: Lang) -> String {
    match lang {
        Lang::Id => t.id.clone(),
        Lang::En => t.english().to_owned(),
    }
}

/// The level a competency line shows from the tests and from the assessors, when its level
/// combines both.
fn parts(l: &CompetencyLevel) -> (Option<u8>, Option<u8>) {
    match &l.computed.outcome {
        EvidenceOutcome::Combined { test, assessor, .. } => (
            test.as_ref().map(|t| t.level.get()),
            assessor.map(|a| crate::domain::competency::Level::nearest(a).get()),
        ),
        _ => (None, None),
    }
}

fn box_label(outcome: &NineBoxOutcome, lang: Lang) -> Option<NineBoxPlace> {
    let NineBoxOutcome::Placed {
        box_number,
        talent_pool,
        ..
    } = outcome
    else {
        return None;
    };
    // Rows potential high→low, columns performance below→above (DOMAIN.md's box numbers).
    let (potential, performance) = match box_number {
        1 => (0, 0),
        2 => (1, 0),
        3 => (0, 1),
        4 => (2, 0),
        5 => (1, 1),
        6 => (0, 2),
        7 => (2, 1),
        8 => (1, 2),
        _ => (2, 2),
    };
    let (pot, perf) = match lang {
        Lang::Id => (
            ["Potensi rendah", "Potensi menengah", "Potensi tinggi"],
            [
                "kinerja di bawah ekspektasi",
                "kinerja sesuai ekspektasi",
                "kinerja di atas ekspektasi",
            ],
        ),
        Lang::En => (
            ["Low potential", "Medium potential", "High potential"],
            [
                "performance below expectation",
                "performance meets expectation",
                "performance above expectation",
            ],
        ),
    };
    Some(NineBoxPlace {
        number: *box_number,
        label: format!("{} · {}", pot[potential], perf[performance]),
        talent_pool: *talent_pool,
    })
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A participant's report content (unsigned) and the digest of that content.
pub struct ReportContent {
    /// What the PDF shows; the caller adds the signature when releasing.
    pub report: IndividualReport,
    /// SHA-256 (hex) of the content: the same results give the same digest, so a release of
    /// unchanged data is not a new version.
    pub digest: String,
    /// The versions of the data, as stored with a release.
    pub data_versions: Vec<(String, String)>,
}

/// The content of a participant's report in `lang`.
pub async fn individual(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
    lang: Lang,
) -> Result<ReportContent, ApiError> {
    let profile = competency_results::profile(ctx, staff, campaign, participant).await?;
    let view = campaigns::get(ctx, staff, campaign).await?;
    let org = crate::store::organisations::find(&ctx.db, staff.organisation)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    let framework = competencies::current_of(&ctx.db, staff.organisation).await?;
    let development: DevelopmentRule = campaign_rules::in_force(ctx, staff, campaign)
        .await?
        .documents
        .into_iter()
        .find(|(kind, _)| *kind == RuleKind::Development)
        .map(|(_, doc)| serde_json::from_value(doc.document))
        .transpose()
        .map_err(ApiError::internal)?
        .unwrap_or_else(DevelopmentRule::defaults);
    let panel = integration::read(ctx, staff, campaign, participant)
        .await
        .ok();
    let name_of = |code: &str| {
        framework
            .framework
            .doc()
            .competencies
            .iter()
            .find(|c| c.code == code)
            .map(|c| text_in(&c.name, lang))
            .unwrap_or_else(|| code.to_owned())
    };
    let p = &profile.competencies;
    let required = p.required();
    let competencies: Vec<CompetencyLine> = p
        .levels
        .iter()
        .map(|l| {
            let code = l.computed.competency.clone();
            let level = l.effective();
            let (test_level, assessor_level) = parts(l);
            let gap = p.gap(&code);
            CompetencyLine {
                name: name_of(&code),
                level: level.map(|x| x.get()),
                required: required.get(&code).copied(),
                gap,
                test_level,
                assessor_level,
                suggestion: match (level, gap) {
                    (Some(level), Some(g)) if g < 0 => development
                        .suggestion_for(&code, level)
                        .map(|s| text_in(&s.text, lang)),
                    _ => None,
                },
                code,
            }
        })
        .collect();
    let scales: Vec<ScaleLine> = profile
        .scores
        .iter()
        .map(|s| ScaleLine {
            instrument: format!("{} v{}", s.instrument, s.instrument_version),
            scale: s.scale.clone(),
            raw: s.raw,
            percentile: s.pr,
            t: s.t,
            norm_group: s.norm_group.clone(),
            norm_table: s.norm_table.map(|id| id.to_string()[..8].to_owned()),
        })
        .collect();
    let mut methods: Vec<String> = Vec::new();
    for s in &profile.scores {
        let m = match lang {
            Lang::Id => format!("Tes {}", s.instrument),
            Lang::En => format!("Test {}", s.instrument),
        };
        if !methods.contains(&m) {
            methods.push(m);
        }
    }
    let mut assessor_evidence = Vec::new();
    if let Some(panel) = &panel {
        let exercises: BTreeMap<String, String> =
            crate::services::assessment::exercises::list(ctx, staff, campaign)
                .await?
                .exercises
                .into_iter()
                .map(|e| (e.code, e.name))
                .collect();
        for c in &panel.competencies {
            for r in &c.ratings {
                let name = exercises.get(&r.exercise).cloned().unwrap_or_default();
                if !methods.contains(&name) {
                    methods.push(name);
                }
            }
            if c.ratings.is_empty() {
                continue;
            }
            // Each observation once, however many assessors wrote it the same way.
            let mut joined: Vec<String> = Vec::new();
            for r in &c.ratings {
                if !joined.contains(&r.evidence) {
                    joined.push(r.evidence.clone());
                }
            }
            assessor_evidence.push(EvidenceLine {
                competency: c
                    .name
                    .as_ref()
                    .map(|n| text_in(n, lang))
                    .unwrap_or_else(|| c.code.clone()),
                level: c.integrated.as_ref().map(|i| i.level).or(c.suggested),
                summary: shorten(&joined.join(" · "), EVIDENCE_CHARS),
            });
        }
    }
    let data_versions = data_versions(&profile, framework.version);
    let category = p.categories.first().map(|c| c.category.clone());
    let report = IndividualReport {
        lang,
        organisation: org.name,
        campaign: view.name.clone(),
        report_ref: format!("{}", p.participant),
        nip: p.nip.clone(),
        name: p.name.clone(),
        position: p.position.clone(),
        unit: p.unit.clone(),
        job_level: Some(p.job_level.clone()),
        assessment_date: view.assessment_date(None).format("%Y-%m-%d").to_string(),
        methods,
        competencies,
        jpm: p.jpm_percent(),
        category,
        standard: p.standard.as_ref().map(|s| {
            let what = s.position.clone().unwrap_or_else(|| s.job_level.clone());
            format!("{what} v{}", s.version)
        }),
        scales,
        nine_box: p
            .nine_box
            .as_ref()
            .and_then(|b| box_label(&b.outcome, lang)),
        assessor_evidence,
        data_versions: data_versions.clone(),
        signature: None,
    };
    let digest = hex::encode(Sha256::digest(format!("{report:?}").as_bytes()));
    Ok(ReportContent {
        report,
        digest,
        data_versions,
    })
}

/// The versions a participant's results were computed from.
fn data_versions(profile: &ParticipantProfile, framework: u32) -> Vec<(String, String)> {
    let r = &profile.rules;
    let mut out = vec![
        ("framework".to_owned(), format!("v{framework}")),
        (
            "evidence_mapping".to_owned(),
            format!("v{}", r.evidence_mapping),
        ),
        ("jpm".to_owned(), format!("v{}", r.jpm)),
        (
            "category_schemes".to_owned(),
            format!("v{}", r.category_schemes),
        ),
        ("nine_box".to_owned(), format!("v{}", r.nine_box)),
        ("development".to_owned(), format!("v{}", r.development)),
        (
            "performance_year".to_owned(),
            r.performance_year.to_string(),
        ),
    ];
    if let Some(s) = &profile.competencies.standard {
        out.push(("standard".to_owned(), format!("{} v{}", s.id, s.version)));
    }
    let mut versions: Vec<String> = profile
        .scores
        .iter()
        .map(|s| format!("{} v{}", s.instrument, s.instrument_version))
        .collect();
    versions.dedup();
    if !versions.is_empty() {
        out.push(("instruments".to_owned(), versions.join(", ")));
    }
    out
}

/// The content of a campaign's summary for leadership in `lang`: counts, the JPM distribution,
/// categories, the 9-box, the average profile against the standard and the talent pool.
pub async fn campaign_summary(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    lang: Lang,
) -> Result<(CampaignSummary, String), ApiError> {
    let computed = competency_results::compute_campaign(ctx, staff, campaign).await?;
    let view = campaigns::get(ctx, staff, campaign).await?;
    let org = crate::store::organisations::find(&ctx.db, staff.organisation)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    let framework = competencies::current_of(&ctx.db, staff.organisation).await?;
    let all = &computed.all;
    let people = &all.participants;
    let scored = people.iter().filter(|p| !p.levels.is_empty()).count() as u32;
    let mut bins = [0u32; 6];
    let labels = ["< 60", "60–69", "70–79", "80–89", "90–99", "≥ 100"];
    for j in people.iter().filter_map(|p| p.jpm_percent()) {
        let i = match j {
            x if x < 60.0 => 0,
            x if x < 70.0 => 1,
            x if x < 80.0 => 2,
            x if x < 90.0 => 3,
            x if x < 100.0 => 4,
            _ => 5,
        };
        bins[i] += 1;
    }
    let mut categories: BTreeMap<String, u32> = BTreeMap::new();
    let mut boxes = [0u32; 9];
    for p in people {
        if let Some(c) = p.categories.first() {
            *categories.entry(c.category.clone()).or_default() += 1;
        }
        if let Some(NineBoxOutcome::Placed { box_number, .. }) =
            p.nine_box.as_ref().map(|b| &b.outcome)
        {
            if (1..=9).contains(box_number) {
                boxes[usize::from(*box_number) - 1] += 1;
            }
        }
    }
    let profile: Vec<ProfileLine> = framework
        .framework
        .doc()
        .competencies
        .iter()
        .map(|c| {
            let levels: Vec<f64> = people
                .iter()
                .filter_map(|p| p.effective_levels().get(&c.code).copied().flatten())
                .map(f64::from)
                .collect();
            let required: Vec<f64> = people
                .iter()
                .filter_map(|p| p.required().get(&c.code).copied())
                .map(f64::from)
                .collect();
            let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
            ProfileLine {
                code: c.code.clone(),
                name: text_in(&c.name, lang),
                mean_level: mean(&levels),
                mean_required: mean(&required),
            }
        })
        .filter(|l| l.mean_level.is_some())
        .collect();
    let mut pool: Vec<TalentLine> = people
        .iter()
        .filter_map(|p| match p.nine_box.as_ref().map(|b| &b.outcome) {
            Some(NineBoxOutcome::Placed {
                box_number,
                talent_pool: true,
                ..
            }) => Some(TalentLine {
                rank: p.ranks.campaign.unwrap_or(0),
                nip: p.nip.clone(),
                name: p.name.clone(),
                position: p.position.clone(),
                unit: p.unit.clone(),
                jpm: p.jpm_percent(),
                box_number: *box_number,
            }),
            _ => None,
        })
        .collect();
    pool.sort_by(|a, b| (a.rank, &a.nip).cmp(&(b.rank, &b.nip)));
    let zone = view.time_zone.utc_offset();
    let summary = CampaignSummary {
        lang,
        organisation: org.name,
        campaign: view.name.clone(),
        report_ref: campaign.to_string(),
        period: format!(
            "{} – {}",
            view.opens_at.with_timezone(&zone).format("%Y-%m-%d"),
            view.closes_at.with_timezone(&zone).format("%Y-%m-%d")
        ),
        participants: people.len() as u32,
        scored,
        jpm_histogram: labels
            .iter()
            .zip(bins)
            .map(|(l, n)| ((*l).to_owned(), n))
            .collect(),
        categories: categories.into_iter().collect(),
        boxes,
        profile,
        talent_pool: pool,
        signature: None,
    };
    let digest = hex::encode(Sha256::digest(format!("{summary:?}").as_bytes()));
    Ok((summary, digest))
}

//! How far a campaign's assessors agree: per exercise and competency, and overall, the exact and
//! adjacent agreement %, ICC(2,1) and ICC(2,k) and Krippendorff's ordinal α, each with the count
//! it rests on (`domain::assessment::agreement`); the ratings more than one level apart, listed
//! for the integration meeting; and each assessor's drift from their colleagues. Only submitted
//! sheets count.
use std::collections::BTreeMap;

use serde::Serialize;

use super::{campaign_in_org, exercises_of, sheet_of, AssessorRef, RatedParticipant};
use crate::domain::assessment::agreement::{
    discrepancies, exact_and_adjacent, icc2, krippendorff_ordinal, rater_drift, rating_matrix,
    Rating,
};
use crate::domain::assessment::rating::SheetStatus;
use crate::domain::competency::round_to;
use crate::domain::ids::CampaignId;
use crate::domain::text::Text;
use crate::error::ApiError;
use crate::services::auth::Staff;
use crate::services::{competencies, AppContext};
use crate::store::{accounts, assessor_assignments};

/// Ratings more than this many levels apart are discrepancies.
const DISCREPANT_ABOVE: u8 = 1;

/// The agreement statistics of one set of ratings; a number is `null` when it cannot be computed
/// (too few ratings, or no spread at all).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Stats {
    /// Units (participant × exercise × competency) rated by at least two assessors.
    pub units: usize,
    /// Ratings counted.
    pub ratings: usize,
    /// Pairs of ratings of one unit by two assessors.
    pub pairs: usize,
    /// % of pairs with equal levels.
    pub exact_pct: Option<f64>,
    /// % of pairs at most one level apart (exact ones included).
    pub adjacent_pct: Option<f64>,
    /// ICC(2,1), Shrout & Fleiss two-way random, absolute agreement: one assessor's reliability.
    pub icc_single: Option<f64>,
    /// ICC(2,k): the reliability of the mean of k assessors.
    pub icc_average: Option<f64>,
    /// Units in the ICC's matrix.
    pub icc_n: Option<usize>,
    /// Assessors per unit in the ICC's matrix (rating positions with rotating panels).
    pub icc_k: Option<usize>,
    /// Krippendorff's α with the ordinal metric.
    pub alpha: Option<f64>,
    /// Pairable ratings α rests on.
    pub alpha_n: Option<usize>,
}

type Unit = (uuid::Uuid, String, String);

fn stats(ratings: &[Rating<Unit, uuid::Uuid>]) -> Stats {
    let pairs = exact_and_adjacent(ratings);
    let matrix = rating_matrix(ratings);
    let icc = icc2(&matrix.rows);
    let alpha = krippendorff_ordinal(ratings);
    let mut per_unit: BTreeMap<&Unit, usize> = BTreeMap::new();
    for r in ratings {
        *per_unit.entry(&r.unit).or_default() += 1;
    }
    Stats {
        units: per_unit.values().filter(|&&n| n >= 2).count(),
        ratings: ratings.len(),
        pairs: pairs.pairs,
        exact_pct: pairs.exact_pct.map(|p| round_to(p, 1)),
        adjacent_pct: pairs.adjacent_pct.map(|p| round_to(p, 1)),
        icc_single: icc.as_ref().map(|i| round_to(i.single, 3)),
        icc_average: icc.as_ref().map(|i| round_to(i.average, 3)),
        icc_n: icc.as_ref().map(|i| i.n),
        icc_k: icc.as_ref().map(|i| i.k),
        alpha: alpha.as_ref().map(|a| round_to(a.alpha, 3)),
        alpha_n: alpha.as_ref().map(|a| a.pairable_values),
    }
}

/// One competency of one exercise.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CompetencyAgreement {
    /// Competency code.
    pub competency: String,
    /// Its name.
    pub name: Option<Text>,
    /// Its statistics.
    #[serde(flatten)]
    pub stats: Stats,
}

/// One exercise.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExerciseAgreement {
    /// Exercise code.
    pub exercise: String,
    /// Its name.
    pub name: String,
    /// Over all its competencies.
    pub overall: Stats,
    /// Per competency, in the exercise's order.
    pub competencies: Vec<CompetencyAgreement>,
}

/// One rating in a discrepancy.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssessorLevel {
    /// Who.
    pub assessor: AssessorRef,
    /// The level.
    pub level: u8,
}

/// Ratings of one participant's competency in one exercise more than one level apart.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Discrepancy {
    /// Who was rated.
    pub participant: RatedParticipant,
    /// The exercise.
    pub exercise: String,
    /// The competency.
    pub competency: String,
    /// Highest minus lowest level.
    pub spread: u8,
    /// The ratings.
    pub ratings: Vec<AssessorLevel>,
}

/// An assessor's mean rating against their colleagues' on the same units.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssessorDrift {
    /// Who.
    pub assessor: AssessorRef,
    /// Their ratings of units someone else also rated.
    pub n: usize,
    /// Their mean.
    pub own_mean: f64,
    /// The mean of the other assessors' ratings of those units.
    pub panel_mean: f64,
    /// Own − panel: above 0 lenient, below 0 severe.
    pub difference: f64,
}

/// A campaign's agreement.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Agreement {
    /// Sheets submitted (counted).
    pub submitted_sheets: usize,
    /// Sheets still drafts (not counted).
    pub pending_sheets: usize,
    /// Over every exercise and competency.
    pub overall: Stats,
    /// Per exercise, in the campaign's order.
    pub exercises: Vec<ExerciseAgreement>,
    /// Ratings more than one level apart, widest first: the integration meeting's agenda.
    pub discrepancies: Vec<Discrepancy>,
    /// Each assessor's drift, by name.
    pub drift: Vec<AssessorDrift>,
}

/// The agreement of a campaign of the caller's organisation.
pub async fn of_campaign(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
) -> Result<Agreement, ApiError> {
    campaign_in_org(&ctx.db, staff.organisation, campaign).await?;
    let exercises = exercises_of(&ctx.db, staff.organisation, campaign).await?;
    let rows = assessor_assignments::of_campaign(&ctx.db, staff.organisation, campaign).await?;
    let names: BTreeMap<uuid::Uuid, String> = accounts::list(&ctx.db, staff.organisation)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let who = |id: uuid::Uuid| AssessorRef {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    let framework = competencies::current_of(&ctx.db, staff.organisation).await?;
    let name_of = |code: &str| {
        framework
            .framework
            .doc()
            .competencies
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.name.clone())
    };
    let (mut submitted, mut pending) = (0, 0);
    let mut all: Vec<Rating<Unit, uuid::Uuid>> = Vec::new();
    for row in &rows {
        if row.status != SheetStatus::Submitted.as_str() {
            pending += 1;
            continue;
        }
        submitted += 1;
        for (code, r) in sheet_of(row)? {
            if let Some(level) = r.level {
                all.push(Rating {
                    unit: (row.participant_id, row.exercise.clone(), code),
                    rater: row.assessor_id,
                    value: level,
                });
            }
        }
    }
    let of = |exercise: &str, code: Option<&str>| -> Vec<Rating<Unit, uuid::Uuid>> {
        all.iter()
            .filter(|r| r.unit.1 == exercise && code.is_none_or(|c| r.unit.2 == c))
            .cloned()
            .collect()
    };
    let per_exercise = exercises
        .iter()
        .map(|e| ExerciseAgreement {
            exercise: e.code.clone(),
            name: e.name.clone(),
            overall: stats(&of(&e.code, None)),
            competencies: e
                .competencies
                .iter()
                .map(|c| CompetencyAgreement {
                    competency: c.clone(),
                    name: name_of(c),
                    stats: stats(&of(&e.code, Some(c))),
                })
                .collect(),
        })
        .collect();
    let people: BTreeMap<uuid::Uuid, RatedParticipant> =
        crate::store::campaigns::participants(&ctx.db, staff.organisation, campaign)
            .await?
            .iter()
            .map(|p| (p.id, RatedParticipant::from(p)))
            .collect();
    let listed = discrepancies(&all, DISCREPANT_ABOVE)
        .into_iter()
        .filter_map(|d| {
            let (participant, exercise, competency) = d.unit;
            Some(Discrepancy {
                participant: people.get(&participant)?.clone(),
                exercise,
                competency,
                spread: d.spread,
                ratings: d
                    .ratings
                    .into_iter()
                    .map(|(a, level)| AssessorLevel {
                        assessor: who(a),
                        level,
                    })
                    .collect(),
            })
        })
        .collect();
    let mut drift: Vec<AssessorDrift> = rater_drift(&all)
        .into_iter()
        .map(|d| AssessorDrift {
            assessor: who(d.rater),
            n: d.n,
            own_mean: round_to(d.own_mean, 3),
            panel_mean: round_to(d.panel_mean, 3),
            difference: round_to(d.difference, 3),
        })
        .collect();
    drift.sort_by(|a, b| a.assessor.name.cmp(&b.assessor.name));
    Ok(Agreement {
        submitted_sheets: submitted,
        pending_sheets: pending,
        overall: stats(&all),
        exercises: per_exercise,
        discrepancies: listed,
        drift,
    })
}

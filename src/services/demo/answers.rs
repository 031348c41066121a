//! Answers of synthetic participants to any instrument, in the wire shape of each item format
//! (`domain::scoring`), drawn from each person's latent standing so that scores vary as a real
//! group's do: the reasoning tests go together (they share general ability), the situational
//! judgement scales go together more loosely, and each inventory scale is a trait of its own.
//!
//! The models, per item format, for a person at standing θ on the item's scale (D = 1.7):
//! - single choice and numeric entry (keyed): P(right) = c + (1 − c) · σ(D · (θ − β − δᵢ)), the
//!   three-parameter logistic with guessing c = 1 / options (0 when a number is typed) and an
//!   item offset δᵢ rising from −1.6 to +1.6 through the scale's items in instrument order (easy
//!   items first); a wrong answer is a distractor or a near miss.
//! - weighted options: a graded response model on the options ordered by weight: P(weight ≥ the
//!   (k+1)-th) = σ(D · (θ − β − δᵢ − (k − m/2))) for k = 1 … m − 1.
//! - Likert on k points: the scored point round(μ + 0.6θ + 0.75ε) within 1 … k, ε ~ N(0, 1), given
//!   reversed (k + 1 − point) on reverse-keyed items.
//! - forced choice: statement a over b with P = σ(0.9 · (v_a − v_b)), v = θ + the scale's offset.
//! - most/least: "most" the statement of highest v + 1.8ε, "least" the lowest of the others.
//!
//! β (per scale) and μ and the offsets come from the instrument's own norm table (group `umum`):
//! β is solved by bisection so that the expected raw score of a population with θ ~ N(0, 1)
//! (integrated on a grid) equals the table's mean; μ is the table's mean per item; a scale's offset
//! is its mean's distance from the instrument's average mean in sds. So the synthetic group scores
//! around the (illustrative) norms rather than wherever a guess would put it.
use std::collections::HashMap;

use serde_json::{json, Value};

use super::draw::Draw;
use super::people::Latent;
use crate::domain::instrument::{Aggregate, InstrumentDoc, InstrumentKind};
use crate::domain::item::{ItemDoc, ItemFormat};
use crate::domain::norms::{choose_norm_table, NormMetric, FALLBACK_NORM_GROUP};
use crate::domain::scoring::likert_points;

/// The logistic scaling constant D of the models above.
const D: f64 = 1.7;
/// Range of the item offsets δ of keyed items.
const KEYED_SPREAD: f64 = 3.2;
/// Range of the item offsets δ of weighted-options items.
const WEIGHTED_SPREAD: f64 = 0.6;

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Whose answers: a synthetic person under a seed.
#[derive(Debug, Clone, Copy)]
pub struct Respondent {
    /// The demo's seed.
    pub seed: u64,
    /// The person's number.
    pub number: u32,
    /// What their answers are drawn from.
    pub latent: Latent,
}

impl Respondent {
    /// θ on a scale: ability-like for reasoning tests (0.8 general + 0.6 own), judgement-like for
    /// situational tests (0.3 general + 0.5 judgement + 0.81 own), the scale's own trait
    /// otherwise; "own" is a standard normal drawn for this person, instrument and scale.
    pub fn standing(&self, kind: InstrumentKind, instrument: &str, scale: &str) -> f64 {
        let own = Draw::new(
            self.seed,
            &format!("standing:{}:{instrument}:{scale}", self.number),
        )
        .normal();
        let l = self.latent;
        match kind {
            InstrumentKind::Cognitive => 0.8 * l.general + 0.6 * own,
            InstrumentKind::Situational => 0.3 * l.general + 0.5 * l.judgement + 0.81 * own,
            _ => own,
        }
    }
}

/// How an instrument's items are answered: per scale, the location β, the Likert mean μ or the
/// preference offset (from the norm tables); per item, its offset δ.
pub struct AnswerModel<'a> {
    doc: &'a InstrumentDoc,
    k: Option<u8>,
    location: HashMap<&'a str, f64>,
    likert_mean: HashMap<&'a str, f64>,
    offset: HashMap<&'a str, f64>,
    item_offset: HashMap<&'a str, f64>,
}

/// The scored items of one scale, in instrument order.
fn items_of<'a>(doc: &'a InstrumentDoc, scale: &str) -> Vec<&'a ItemDoc> {
    doc.items
        .iter()
        .filter(|i| !i.practice && i.scale.as_deref() == Some(scale))
        .collect()
}

/// The weights of a weighted-options item, distinct and rising.
fn weight_steps(item: &ItemDoc) -> Vec<f64> {
    let mut w: Vec<f64> = item
        .options
        .iter()
        .flatten()
        .filter_map(|o| o.weight)
        .collect();
    w.sort_by(f64::total_cmp);
    w.dedup();
    w
}

/// P(weight ≥ the (k+1)-th of `steps`) at θ − β − δ = x, for k = 1 … m − 1.
fn graded(x: f64, m: usize, k: usize) -> f64 {
    logistic(D * (x - (k as f64 - m as f64 / 2.0)))
}

/// Guessing chance of a keyed item.
fn guessing(item: &ItemDoc) -> f64 {
    match item.format {
        ItemFormat::SingleChoice => 1.0 / item.options.as_ref().map_or(1, Vec::len).max(1) as f64,
        _ => 0.0,
    }
}

/// Expected item score at θ − β = x.
fn expected(item: &ItemDoc, x: f64, delta: f64) -> f64 {
    match item.format {
        ItemFormat::SingleChoice | ItemFormat::NumericEntry => {
            let c = guessing(item);
            c + (1.0 - c) * logistic(D * (x - delta))
        }
        ItemFormat::WeightedOptions => {
            let w = weight_steps(item);
            let Some(first) = w.first() else {
                return 0.0;
            };
            first
                + (1..w.len())
                    .map(|k| (w[k] - w[k - 1]) * graded(x - delta, w.len(), k))
                    .sum::<f64>()
        }
        _ => 0.0,
    }
}

/// β such that a population at θ ~ N(0, 1) expects a raw score of `target` on `items`; the
/// expectation falls as β rises, so bisection finds it (or the nearest end of [−6, 6]).
fn location_for(items: &[(&ItemDoc, f64)], target: f64) -> f64 {
    let grid: Vec<(f64, f64)> = (-50..=50)
        .map(|i| {
            let t = f64::from(i) / 10.0;
            (t, (-t * t / 2.0).exp())
        })
        .collect();
    let total: f64 = grid.iter().map(|(_, w)| w).sum();
    let mean_raw = |beta: f64| {
        grid.iter()
            .map(|(t, w)| {
                w * items
                    .iter()
                    .map(|(item, delta)| expected(item, t - beta, *delta))
                    .sum::<f64>()
            })
            .sum::<f64>()
            / total
    };
    let (mut lo, mut hi) = (-6.0, 6.0);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if mean_raw(mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

impl<'a> AnswerModel<'a> {
    /// The model of `doc`, fitted to its norm tables.
    pub fn new(doc: &'a InstrumentDoc) -> Self {
        let k = likert_points(doc);
        let mut location = HashMap::new();
        let mut likert_mean = HashMap::new();
        let mut item_offset = HashMap::new();
        let mut means = Vec::new();
        for scale in &doc.scales {
            let code = scale.code.as_str();
            let items = items_of(doc, code);
            let table = choose_norm_table(&doc.norms, code, FALLBACK_NORM_GROUP, NormMetric::Raw);
            if let Some(t) = table {
                means.push((code, t.mean, t.sd));
            }
            let per_item = |n: usize, mean: f64| match scale.aggregate {
                Aggregate::Sum => mean / n.max(1) as f64,
                Aggregate::Mean => mean,
            };
            let likert = items
                .iter()
                .filter(|i| i.format == ItemFormat::Likert)
                .count();
            if likert > 0 {
                let mid = f64::from(k.unwrap_or(5)) / 2.0 + 0.5;
                likert_mean.insert(code, table.map_or(mid, |t| per_item(likert, t.mean)));
            }
            let graded: Vec<&ItemDoc> = items
                .iter()
                .copied()
                .filter(|i| {
                    matches!(
                        i.format,
                        ItemFormat::SingleChoice
                            | ItemFormat::NumericEntry
                            | ItemFormat::WeightedOptions
                    )
                })
                .collect();
            let n = graded.len();
            let with_offsets: Vec<(&ItemDoc, f64)> = graded
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let spread = match item.format {
                        ItemFormat::WeightedOptions => WEIGHTED_SPREAD,
                        _ => KEYED_SPREAD,
                    };
                    let rank = if n > 1 {
                        i as f64 / (n - 1) as f64
                    } else {
                        0.5
                    };
                    (*item, spread * (rank - 0.5))
                })
                .collect();
            for (item, delta) in &with_offsets {
                item_offset.insert(item.code.as_str(), *delta);
            }
            if n > 0 {
                let beta = match table {
                    Some(t) => {
                        let target = match scale.aggregate {
                            Aggregate::Sum => t.mean,
                            Aggregate::Mean => t.mean * n as f64,
                        };
                        location_for(&with_offsets, target)
                    }
                    None => 0.0,
                };
                location.insert(code, beta);
            }
        }
        let average = if means.is_empty() {
            0.0
        } else {
            means.iter().map(|(_, m, _)| m).sum::<f64>() / means.len() as f64
        };
        let offset = means
            .iter()
            .map(|(code, mean, sd)| (*code, (mean - average) / sd.max(f64::EPSILON)))
            .collect();
        Self {
            doc,
            k,
            location,
            likert_mean,
            offset,
            item_offset,
        }
    }

    /// The answers of `who` to the items of `plan` (item codes, in the order delivered): (item
    /// code, response JSON). A person of low ability may run out of time on a reasoning test and
    /// leave its last items unanswered; every other item is answered.
    pub fn answers(&self, who: &Respondent, plan: &[String]) -> Vec<(String, Value)> {
        let doc = self.doc;
        let mut d = Draw::new(who.seed, &format!("answers:{}:{}", who.number, doc.code));
        let mut theta: HashMap<&str, f64> = HashMap::new();
        for s in &doc.scales {
            theta.insert(s.code.as_str(), who.standing(doc.kind, &doc.code, &s.code));
        }
        let mut answered = plan.len();
        if doc.kind == InstrumentKind::Cognitive {
            let mean = theta.values().sum::<f64>() / theta.len().max(1) as f64;
            if mean < -0.5 && d.chance(0.5) {
                answered = answered.saturating_sub(1 + d.below(3));
            }
        }
        let mut out = Vec::with_capacity(answered);
        for code in &plan[..answered] {
            let Some(item) = doc.items.iter().find(|i| &i.code == code) else {
                continue;
            };
            if let Some(v) = self.answer(item, &theta, &mut d) {
                out.push((item.code.clone(), v));
            }
        }
        out
    }

    /// v of a statement's scale for forced-choice and most/least items.
    fn value(&self, theta: &HashMap<&str, f64>, scale: &str) -> f64 {
        theta.get(scale).copied().unwrap_or(0.0) + self.offset.get(scale).copied().unwrap_or(0.0)
    }

    fn answer(&self, item: &ItemDoc, theta: &HashMap<&str, f64>, d: &mut Draw) -> Option<Value> {
        let scale = item.scale.as_deref().unwrap_or("");
        let x = theta.get(scale).copied().unwrap_or(0.0)
            - self.location.get(scale).copied().unwrap_or(0.0);
        let delta = self
            .item_offset
            .get(item.code.as_str())
            .copied()
            .unwrap_or(0.0);
        let options = item.options.as_deref().unwrap_or_default();
        let statements = item.statements.as_deref().unwrap_or_default();
        match item.format {
            ItemFormat::SingleChoice => {
                let key = item.key.as_deref()?;
                let right = d.chance(expected(item, x, delta));
                let wrong: Vec<&str> = options
                    .iter()
                    .map(|o| o.id.as_str())
                    .filter(|id| *id != key)
                    .collect();
                let choice = if right || wrong.is_empty() {
                    key
                } else {
                    wrong[d.below(wrong.len())]
                };
                Some(json!({ "choice": choice }))
            }
            ItemFormat::NumericEntry => {
                let answer = item.answer?;
                let value = if d.chance(expected(item, x, delta)) {
                    answer
                } else {
                    near_miss(answer, item.tolerance.unwrap_or(0.0), d)
                };
                Some(json!({ "value": value }))
            }
            ItemFormat::WeightedOptions => {
                let steps = weight_steps(item);
                let u = d.unit();
                let reached = (1..steps.len())
                    .filter(|k| u < graded(x - delta, steps.len(), *k))
                    .count();
                let weight = steps.get(reached)?;
                let ids: Vec<&str> = options
                    .iter()
                    .filter(|o| o.weight == Some(*weight))
                    .map(|o| o.id.as_str())
                    .collect();
                Some(json!({ "choice": ids.get(d.below(ids.len()))? }))
            }
            ItemFormat::Likert => {
                let k = f64::from(self.k?);
                let mu = self
                    .likert_mean
                    .get(scale)
                    .copied()
                    .unwrap_or(k / 2.0 + 0.5);
                let theta = theta.get(scale).copied().unwrap_or(0.0);
                let scored = (mu + 0.6 * theta + 0.75 * d.normal()).round().clamp(1.0, k);
                let point = if item.reverse == Some(true) {
                    k + 1.0 - scored
                } else {
                    scored
                };
                Some(json!({ "point": point as u8 }))
            }
            ItemFormat::ForcedChoice => {
                let [a, b] = statements else {
                    return None;
                };
                let p = logistic(0.9 * (self.value(theta, &a.scale) - self.value(theta, &b.scale)));
                let chosen = if d.chance(p) { a } else { b };
                Some(json!({ "choice": chosen.id }))
            }
            ItemFormat::MostLeast => {
                let mut ranked: Vec<(f64, &str)> = statements
                    .iter()
                    .map(|s| {
                        (
                            self.value(theta, &s.scale) + 1.8 * d.normal(),
                            s.id.as_str(),
                        )
                    })
                    .collect();
                ranked.sort_by(|p, q| q.0.total_cmp(&p.0));
                let (most, least) = (ranked.first()?.1, ranked.last()?.1);
                (most != least).then(|| json!({ "most": most, "least": least }))
            }
        }
    }
}

/// A wrong typed number near the right one: off by one to three steps of the answer's last digit
/// (a slip in the arithmetic), always outside the tolerance.
fn near_miss(answer: f64, tolerance: f64, d: &mut Draw) -> f64 {
    let step: f64 = if answer.fract() == 0.0 { 1.0 } else { 0.1 };
    let step = step.max(2.0 * tolerance);
    let sign = if d.chance(0.5) { 1.0 } else { -1.0 };
    let miss = answer + sign * step * (1 + d.below(3)) as f64;
    (miss * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::super::draw::DEMO_SEED;
    use super::super::people::roster;
    use super::super::INSTRUMENTS;
    use super::*;
    use crate::domain::instrument::parse_instrument;
    use crate::domain::scoring::{parse_response, score_instrument, within_tolerance, Response};

    fn demo_instruments() -> Vec<InstrumentDoc> {
        INSTRUMENTS
            .iter()
            .map(|(_, json)| parse_instrument(json.as_bytes()).unwrap().doc().clone())
            .collect()
    }

    fn plan_of(doc: &InstrumentDoc) -> Vec<String> {
        doc.items
            .iter()
            .filter(|i| !i.practice)
            .map(|i| i.code.clone())
            .collect()
    }

    fn respondents(n: u32) -> Vec<Respondent> {
        roster(DEMO_SEED, n)
            .into_iter()
            .map(|p| Respondent {
                seed: DEMO_SEED,
                number: p.number,
                latent: p.latent,
            })
            .collect()
    }

    /// The parsed responses of `who` to `doc`, each checked as the answer path checks it.
    fn parsed(
        doc: &InstrumentDoc,
        model: &AnswerModel,
        who: &Respondent,
    ) -> HashMap<String, Response> {
        let k = likert_points(doc);
        model
            .answers(who, &plan_of(doc))
            .into_iter()
            .map(|(code, value)| {
                let item = doc.items.iter().find(|i| i.code == code).unwrap();
                let r = parse_response(item, k, &value)
                    .unwrap_or_else(|e| panic!("{} {code} {value}: {e}", doc.code));
                (code, r)
            })
            .collect()
    }

    #[test]
    fn every_answer_to_every_demo_instrument_is_valid_for_its_item_format() {
        let mut formats = std::collections::HashSet::new();
        for doc in demo_instruments() {
            let model = AnswerModel::new(&doc);
            for who in respondents(60) {
                let given = parsed(&doc, &model, &who);
                for code in given.keys() {
                    let item = doc.items.iter().find(|i| &i.code == code).unwrap();
                    formats.insert(item.format);
                }
                if doc.kind != InstrumentKind::Cognitive {
                    assert_eq!(
                        given.len(),
                        plan_of(&doc).len(),
                        "{} answers every item",
                        doc.code
                    );
                }
            }
        }
        assert_eq!(formats.len(), 6, "{formats:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_answers_and_another_seed_others() {
        for doc in demo_instruments() {
            let model = AnswerModel::new(&doc);
            let plan = plan_of(&doc);
            let who = respondents(3)[2];
            assert_eq!(model.answers(&who, &plan), model.answers(&who, &plan));
            let reseeded = Respondent {
                seed: DEMO_SEED + 1,
                ..who
            };
            assert_ne!(
                model.answers(&who, &plan),
                model.answers(&reseeded, &plan),
                "{}",
                doc.code
            );
        }
    }

    #[test]
    fn a_synthetic_group_scores_around_each_norm_mean_with_a_spread() {
        let people = respondents(400);
        for doc in demo_instruments() {
            let model = AnswerModel::new(&doc);
            let plan = plan_of(&doc);
            let raws: Vec<Vec<f64>> = people
                .iter()
                .map(|who| {
                    score_instrument(&doc, &parsed(&doc, &model, who), &plan)
                        .into_iter()
                        .map(|s| s.raw.unwrap_or(0.0))
                        .collect()
                })
                .collect();
            for (i, scale) in doc.scales.iter().enumerate() {
                let table =
                    choose_norm_table(&doc.norms, &scale.code, "umum", NormMetric::Raw).unwrap();
                let xs: Vec<f64> = raws.iter().map(|r| r[i]).collect();
                let mean = xs.iter().sum::<f64>() / xs.len() as f64;
                let sd =
                    (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64).sqrt();
                let within = match doc.kind {
                    // Ipsative scales only trade points among themselves; the offsets set their order.
                    InstrumentKind::Preference | InstrumentKind::WorkStyle => 0.6 * table.sd,
                    _ => 0.35 * table.sd,
                };
                assert!(
                    (mean - table.mean).abs() < within,
                    "{} {}: mean {mean:.2}, norm {}",
                    doc.code,
                    scale.code,
                    table.mean
                );
                assert!(
                    sd > 0.5 * table.sd && sd < 1.6 * table.sd,
                    "{} {}: sd {sd:.2}, norm {}",
                    doc.code,
                    scale.code,
                    table.sd
                );
            }
        }
    }

    #[test]
    fn the_reasoning_tests_go_together_and_ability_raises_the_score() {
        let people = respondents(300);
        let docs = demo_instruments();
        let total = |code: &str| -> Vec<f64> {
            let doc = docs.iter().find(|d| d.code == code).unwrap();
            let model = AnswerModel::new(doc);
            people
                .iter()
                .map(|who| {
                    score_instrument(doc, &parsed(doc, &model, who), &plan_of(doc))
                        .iter()
                        .map(|s| s.raw.unwrap_or(0.0))
                        .sum()
                })
                .collect()
        };
        let r = |x: &[f64], y: &[f64]| {
            let n = x.len() as f64;
            let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
            let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
            let vx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
            let vy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
            cov / (vx * vy).sqrt()
        };
        let (num, verbal, sjt) = (total("NUM-SERIES"), total("VERBAL-ID"), total("SJT-ASN"));
        let general: Vec<f64> = people.iter().map(|p| p.latent.general).collect();
        assert!(
            r(&num, &verbal) > 0.35,
            "NUM–VERBAL r = {:.2}",
            r(&num, &verbal)
        );
        assert!(
            r(&num, &general) > 0.55,
            "NUM–g r = {:.2}",
            r(&num, &general)
        );
        assert!(
            r(&sjt, &general) > 0.1,
            "SJT–g r = {:.2}",
            r(&sjt, &general)
        );
    }

    #[test]
    fn a_near_miss_is_always_wrong_and_near() {
        let mut d = Draw::new(DEMO_SEED, "near-miss");
        for (answer, tolerance) in [(21.0, 0.0), (15.4, 0.05), (111.0, 0.0), (0.5, 0.2)] {
            for _ in 0..50 {
                let miss = near_miss(answer, tolerance, &mut d);
                assert!(
                    !within_tolerance(miss, answer, tolerance),
                    "{miss} for {answer}"
                );
                assert!((miss - answer).abs() <= 3.0 * (1.0f64).max(2.0 * tolerance) + 1e-9);
            }
        }
    }
}

//! Responses simulated from known item parameters, to check that a calibration recovers them
//! (`meritest irt simulate-responses`), and the recovery figures (RMSE and bias).
//!
//! The generating distributions (chosen here, stated so figures can be compared):
//! θ ~ N(0, 1); a ~ lognormal(0, 0.25) (median 1, 95 % within 0.61 … 1.63), a = 1 for every
//! item of the 1PL; b ~ N(0, 1) cut to ±2.5; the 3PL's c ~ U(0.1, 0.3); a GRM item's thresholds
//! are a centre ~ N(0, 0.5) plus m − 1 offsets evenly spread over −1.5 … 1.5, each jittered by
//! up to a quarter of their spacing (so they stay ordered). Normal draws by Box–Muller from the
//! caller's seeded generator: the same seed gives the same file.
use rand::Rng;

use super::draw;
use serde::{Deserialize, Serialize};

use super::calibrate::{CalibrationError, CalibrationModel, Parameters};
use super::{grm, Item};

/// One item of the truth: its code and parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthItem {
    /// The item's code.
    pub code: String,
    /// Its parameters.
    #[serde(flatten)]
    pub params: Parameters,
}

/// A simulated data set: the true items and one row of answers (0-based categories) per
/// person.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// The true items.
    pub items: Vec<TruthItem>,
    /// The answers, one row per person.
    pub rows: Vec<Vec<Option<u8>>>,
}

/// Draws `items` items of `model` (with `categories` categories for the GRM; 2 otherwise) and
/// the answers of `persons` people, with scaling constant `d`.
pub fn simulate(
    model: CalibrationModel,
    persons: usize,
    items: usize,
    categories: u8,
    d: f64,
    rng: &mut impl Rng,
) -> Result<Simulation, CalibrationError> {
    let bad = |m: &str| Err(CalibrationError::InvalidInput(m.to_owned()));
    if persons == 0 || items == 0 {
        return bad("simulate at least one person and one item");
    }
    if !model.is_dichotomous() && categories < 2 {
        return bad("a Likert item needs at least 2 categories");
    }
    if !(d.is_finite() && d > 0.0) {
        return bad("D must be a number above 0");
    }
    let width = items.to_string().len();
    let truth: Vec<TruthItem> = (1..=items)
        .map(|n| TruthItem {
            code: format!("I{n:0width$}"),
            params: draw_item(model, categories, rng),
        })
        .collect();
    let rows = (0..persons)
        .map(|_| {
            let theta = draw::normal(rng);
            truth
                .iter()
                .map(|item| Some(answer(&item.params, theta, d, rng)))
                .collect()
        })
        .collect();
    Ok(Simulation { items: truth, rows })
}

fn draw_item(model: CalibrationModel, categories: u8, rng: &mut impl Rng) -> Parameters {
    let a = (0.25 * draw::normal(rng)).exp();
    match model {
        CalibrationModel::Graded => {
            let centre = 0.5 * draw::normal(rng);
            let n = usize::from(categories) - 1;
            let spacing = if n > 1 { 3.0 / (n - 1) as f64 } else { 0.0 };
            let thresholds = (0..n)
                .map(|k| {
                    let offset = if n > 1 {
                        -1.5 + spacing * k as f64
                    } else {
                        0.0
                    };
                    centre + offset + spacing / 4.0 * (2.0 * draw::uniform(rng) - 1.0)
                })
                .collect();
            Parameters::Graded { a, thresholds }
        }
        _ => {
            let b = draw::normal(rng).clamp(-2.5, 2.5);
            let c = if model == CalibrationModel::ThreePl {
                rng.gen_range(0.1..0.3)
            } else {
                0.0
            };
            let a = if model == CalibrationModel::OnePl {
                1.0
            } else {
                a
            };
            Parameters::Dichotomous { a, b, c }
        }
    }
}

/// One answer at θ: right with probability P(θ); for a graded item the category is the number
/// of thresholds k with U < P*_k(θ), so that P(category ≥ k) = P*_k.
fn answer(params: &Parameters, theta: f64, d: f64, rng: &mut impl Rng) -> u8 {
    let u = draw::uniform(rng);
    match params {
        Parameters::Dichotomous { a, b, c } => {
            let item = Item {
                a: *a,
                b: *b,
                c: *c,
            };
            u8::from(u < item.p(theta, d))
        }
        Parameters::Graded { a, thresholds } => {
            let above = (1..=thresholds.len())
                .filter(|&k| u < grm::cumulative(*a, thresholds, theta, d, k))
                .count();
            u8::try_from(above).unwrap_or(u8::MAX)
        }
    }
}

/// RMSE or bias per kind of parameter (`None` where the model has none).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ByParameter {
    /// Of a.
    pub a: f64,
    /// Of b (right/wrong items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<f64>,
    /// Of c (3PL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub c: Option<f64>,
    /// Of every threshold pooled (GRM).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<f64>,
}

/// How well estimates recover the truth: RMSE = √(mean (est − true)²), bias = mean (est − true).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Recovery {
    /// Root mean squared errors.
    pub rmse: ByParameter,
    /// Mean errors.
    pub bias: ByParameter,
}

/// Compares `estimates` with `truth`, item by item in order; `None` when they differ in number
/// or in kind (right/wrong against graded, or in number of thresholds).
pub fn recovery(truth: &[Parameters], estimates: &[Parameters]) -> Option<Recovery> {
    if truth.len() != estimates.len() || truth.is_empty() {
        return None;
    }
    let mut a = Vec::new();
    let mut b = Vec::new();
    let mut c = Vec::new();
    let mut th = Vec::new();
    for (t, e) in truth.iter().zip(estimates) {
        match (t, e) {
            (
                Parameters::Dichotomous {
                    a: ta,
                    b: tb,
                    c: tc,
                },
                Parameters::Dichotomous {
                    a: ea,
                    b: eb,
                    c: ec,
                },
            ) => {
                a.push(ea - ta);
                b.push(eb - tb);
                c.push(ec - tc);
            }
            (
                Parameters::Graded {
                    a: ta,
                    thresholds: tt,
                },
                Parameters::Graded {
                    a: ea,
                    thresholds: et,
                },
            ) if tt.len() == et.len() => {
                a.push(ea - ta);
                th.extend(et.iter().zip(tt).map(|(e, t)| e - t));
            }
            _ => return None,
        }
    }
    let rmse = |v: &[f64]| (v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64).sqrt();
    let bias = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let has_c = c.iter().any(|x| *x != 0.0)
        || truth
            .iter()
            .any(|t| matches!(t, Parameters::Dichotomous { c, .. } if *c != 0.0));
    let by = |f: &dyn Fn(&[f64]) -> f64| ByParameter {
        a: f(&a),
        b: (!b.is_empty()).then(|| f(&b)),
        c: (has_c && !c.is_empty()).then(|| f(&c)),
        thresholds: (!th.is_empty()).then(|| f(&th)),
    };
    Some(Recovery {
        rmse: by(&rmse),
        bias: by(&bias),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_same_seed_gives_the_same_data_and_another_seed_other_data() {
        let run = |seed| {
            simulate(
                CalibrationModel::TwoPl,
                50,
                5,
                2,
                1.702,
                &mut ChaCha8Rng::seed_from_u64(seed),
            )
            .unwrap()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7).rows, run(8).rows);
        assert_eq!(run(7).items[0].code, "I1");
    }

    #[test]
    fn graded_answers_use_every_category_and_thresholds_are_ordered() {
        let sim = simulate(
            CalibrationModel::Graded,
            2000,
            12,
            5,
            1.702,
            &mut ChaCha8Rng::seed_from_u64(3),
        )
        .unwrap();
        assert_eq!(sim.items[11].code, "I12");
        for item in &sim.items {
            let Parameters::Graded { a, thresholds } = &item.params else {
                panic!("a graded item")
            };
            assert!(grm::GradedItem::new(*a, thresholds.clone()).is_ok());
        }
        for k in 0..5u8 {
            assert!(sim.rows.iter().flatten().any(|v| *v == Some(k)));
        }
        assert!(sim.rows.iter().flatten().all(|v| v.is_some_and(|v| v < 5)));
    }

    #[test]
    fn simulated_proportions_match_the_model() {
        // One 2PL item at b = 0 answered by people drawn from N(0, 1): by symmetry half are
        // right; with 20,000 people the proportion lies within 0.5 ± 0.011 (3 sd).
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let item = Parameters::Dichotomous {
            a: 1.2,
            b: 0.0,
            c: 0.0,
        };
        let right = (0..20_000)
            .filter(|_| {
                let t = draw::normal(&mut rng);
                answer(&item, t, 1.702, &mut rng) == 1
            })
            .count();
        let share = right as f64 / 20_000.0;
        assert!((share - 0.5).abs() < 0.011, "{share}");
    }

    #[test]
    fn recovery_gives_the_worked_rmse_and_bias() {
        // Errors in a: +0.1, −0.3 → RMSE √((0.01 + 0.09)/2) = √0.05 = 0.223607, bias −0.1;
        // errors in b: 0.2, 0.2 → RMSE 0.2, bias 0.2.
        let t = |a, b| Parameters::Dichotomous { a, b, c: 0.0 };
        let r = recovery(&[t(1.0, 0.0), t(1.5, -1.0)], &[t(1.1, 0.2), t(1.2, -0.8)]).unwrap();
        assert!((r.rmse.a - 0.223607).abs() < 1e-6);
        assert!((r.bias.a + 0.1).abs() < 1e-12);
        assert!((r.rmse.b.unwrap() - 0.2).abs() < 1e-12);
        assert_eq!(r.rmse.c, None);
        assert!(recovery(&[t(1.0, 0.0)], &[]).is_none());
    }
}

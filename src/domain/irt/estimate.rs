//! Ability estimation from a response pattern (items not administered are skipped), with the
//! standard errors of catR's convention:
//! - **EAP** (Bock & Mislevy 1982): θ̂ = Σ θ_k L(θ_k) g(θ_k) ÷ Σ L(θ_k) g(θ_k) over Q evenly
//!   spaced quadrature points θ_k from `min` to `max`, g the normal prior density with mean μ and
//!   sd σ; SE = the posterior standard deviation √(Σ (θ_k − θ̂)² L g ÷ Σ L g).
//! - **MAP** (Bayes modal): θ̂ maximises log L(θ) − (θ − μ)²/(2σ²) on [min, max];
//!   SE = 1/√(I(θ̂) + 1/σ²), I the test's expected (Fisher) information.
//! - **MLE**: θ̂ maximises log L(θ) on [min, max] (bounded to the quadrature range); defined only
//!   for a mixed pattern (at least one right and one wrong answer): an all-right or all-wrong
//!   pattern has no finite maximum and is refused. SE = 1/√I(θ̂).
//!
//! The maximum is found on a grid of step 0.001 over the range, refined by golden-section search
//! around the best grid point to 10⁻¹⁰: robust for the 3PL, whose likelihood need not be concave.
use serde::{Deserialize, Serialize};

use super::{test_information, Item};

/// How θ is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Expected a posteriori.
    Eap,
    /// Maximum a posteriori.
    Map,
    /// Maximum likelihood.
    Mle,
}

/// The quadrature (EAP) and search range (MAP, MLE).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quadrature {
    /// Lowest θ.
    pub min: f64,
    /// Highest θ.
    pub max: f64,
    /// Number of points (2–1000).
    pub points: u32,
}

impl Default for Quadrature {
    /// −4 … 4 with 61 points.
    fn default() -> Self {
        Self {
            min: -4.0,
            max: 4.0,
            points: 61,
        }
    }
}

/// The normal prior.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prior {
    /// Mean μ.
    pub mean: f64,
    /// Standard deviation σ > 0.
    pub sd: f64,
}

impl Default for Prior {
    /// The standard normal.
    fn default() -> Self {
        Self { mean: 0.0, sd: 1.0 }
    }
}

/// An estimate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// θ̂.
    pub theta: f64,
    /// Its standard error.
    pub se: f64,
}

/// Why a pattern could not be estimated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EstimateError {
    /// The settings or the pattern are not usable (named in the message).
    Invalid(String),
    /// The MLE of an all-right or all-wrong pattern does not exist.
    MleUndefined(String),
}

impl EstimateError {
    /// The stable code of the error.
    pub fn code(&self) -> &'static str {
        match self {
            EstimateError::Invalid(_) => "invalid_input",
            EstimateError::MleUndefined(_) => "mle_undefined",
        }
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        match self {
            EstimateError::Invalid(m) | EstimateError::MleUndefined(m) => m,
        }
    }
}

/// Estimates θ from `responses` (one per item; `None`: not administered) to `items` with
/// scaling constant `d`.
pub fn estimate(
    items: &[Item],
    responses: &[Option<bool>],
    d: f64,
    method: Method,
    quadrature: Quadrature,
    prior: Prior,
) -> Result<Estimate, EstimateError> {
    if items.len() != responses.len() {
        return Err(EstimateError::Invalid(
            "give one response (or null) per item".into(),
        ));
    }
    let given: Vec<(Item, bool)> = items
        .iter()
        .zip(responses)
        .filter_map(|(i, r)| r.map(|u| (*i, u)))
        .collect();
    let right = given.iter().any(|(_, u)| *u);
    let wrong = given.iter().any(|(_, u)| !*u);
    let answered: Vec<Item> = given.iter().map(|(i, _)| *i).collect();
    estimate_pattern(
        given.len(),
        |t| given.iter().map(|(i, u)| i.log_likelihood(t, d, *u)).sum(),
        |t| test_information(&answered, t, d),
        (!(right && wrong)).then_some(
            "the maximum likelihood estimate needs at least one right and one wrong \
             answer: this pattern's likelihood rises without end; use eap or map",
        ),
        d,
        method,
        quadrature,
        prior,
    )
}

/// The estimation shared by every item model, given the pattern's log-likelihood `log_l`, its
/// expected information `information`, the number of answered items and, when the MLE does not
/// exist for this pattern, why (`mle_refusal`).
#[allow(clippy::too_many_arguments)]
pub(super) fn estimate_pattern(
    answered: usize,
    log_l: impl Fn(f64) -> f64,
    information: impl Fn(f64) -> f64,
    mle_refusal: Option<&str>,
    d: f64,
    method: Method,
    quadrature: Quadrature,
    prior: Prior,
) -> Result<Estimate, EstimateError> {
    let invalid = |m: &str| Err(EstimateError::Invalid(m.to_owned()));
    if !(d.is_finite() && d > 0.0) {
        return invalid("D must be a number above 0");
    }
    if !(quadrature.min.is_finite() && quadrature.max.is_finite())
        || quadrature.min >= quadrature.max
        || !(2..=1000).contains(&quadrature.points)
    {
        return invalid("the quadrature needs min < max and 2 to 1000 points");
    }
    if !(prior.mean.is_finite() && prior.sd.is_finite() && prior.sd > 0.0) {
        return invalid("the prior needs a finite mean and an sd above 0");
    }
    if answered == 0 {
        return invalid("no item was answered");
    }
    match method {
        Method::Eap => Ok(eap(&log_l, quadrature, prior)),
        Method::Map => {
            let theta = maximise(
                |t| log_l(t) - (t - prior.mean).powi(2) / (2.0 * prior.sd * prior.sd),
                quadrature.min,
                quadrature.max,
            );
            let info = information(theta) + 1.0 / (prior.sd * prior.sd);
            Ok(Estimate {
                theta,
                se: 1.0 / info.sqrt(),
            })
        }
        Method::Mle => {
            if let Some(why) = mle_refusal {
                return Err(EstimateError::MleUndefined(why.to_owned()));
            }
            let theta = maximise(log_l, quadrature.min, quadrature.max);
            let info = information(theta);
            Ok(Estimate {
                theta,
                se: if info > 0.0 {
                    1.0 / info.sqrt()
                } else {
                    f64::INFINITY
                },
            })
        }
    }
}

fn eap(log_l: &impl Fn(f64) -> f64, q: Quadrature, prior: Prior) -> Estimate {
    let n = q.points as usize;
    let step = (q.max - q.min) / (n - 1) as f64;
    let nodes: Vec<f64> = (0..n).map(|k| q.min + step * k as f64).collect();
    // Log weights first, then shifted by their maximum: no underflow for long tests.
    let logs: Vec<f64> = nodes
        .iter()
        .map(|&t| log_l(t) - 0.5 * ((t - prior.mean) / prior.sd).powi(2))
        .collect();
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = logs.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = w.iter().sum();
    let theta = nodes.iter().zip(&w).map(|(t, w)| t * w).sum::<f64>() / total;
    let var = nodes
        .iter()
        .zip(&w)
        .map(|(t, w)| (t - theta).powi(2) * w)
        .sum::<f64>()
        / total;
    Estimate {
        theta,
        se: var.sqrt(),
    }
}

/// The maximum of `f` on [lo, hi]: the best point of a grid of step 0.001, refined by
/// golden-section search between its neighbours.
fn maximise(f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    let steps = (((hi - lo) / 0.001).ceil() as usize).max(2);
    let h = (hi - lo) / steps as f64;
    let (mut best, mut best_v) = (lo, f(lo));
    for k in 1..=steps {
        let t = lo + h * k as f64;
        let v = f(t);
        if v > best_v {
            best = t;
            best_v = v;
        }
    }
    let (mut a, mut b) = ((best - h).max(lo), (best + h).min(hi));
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut x1, mut x2) = (b - g * (b - a), a + g * (b - a));
    let (mut f1, mut f2) = (f(x1), f(x2));
    while b - a > 1e-10 {
        if f1 < f2 {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = f(x2);
        } else {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = f(x1);
        }
    }
    (a + b) / 2.0
}

#[cfg(test)]
mod tests {
    use super::super::{items_of, ItemParams, Model, DEFAULT_D};
    use super::*;

    fn items(model: Model, params: &[(f64, f64, f64)]) -> Vec<Item> {
        let p: Vec<ItemParams> = params
            .iter()
            .map(|&(a, b, c)| ItemParams { a, b, c })
            .collect();
        items_of(model, &p).unwrap()
    }

    fn run(items: &[Item], r: &[Option<bool>], m: Method) -> Result<Estimate, EstimateError> {
        estimate(
            items,
            r,
            DEFAULT_D,
            m,
            Quadrature::default(),
            Prior::default(),
        )
    }

    #[test]
    fn the_mle_of_one_right_and_one_wrong_answer_to_two_equal_items_is_their_difficulty() {
        // Symmetric likelihood P(θ)·Q(θ) peaks at θ = b = 0; I(0) = 2 · 0.724201,
        // SE = 1/√1.448402 = 0.830910.
        let it = items(Model::OnePl, &[(1.0, 0.0, 0.0), (1.0, 0.0, 0.0)]);
        let e = run(&it, &[Some(true), Some(false)], Method::Mle).unwrap();
        assert!(e.theta.abs() < 1e-6, "{}", e.theta);
        assert!((e.se - 0.830910).abs() < 1e-5, "{}", e.se);
    }

    #[test]
    fn an_all_right_pattern_has_no_mle_and_says_so() {
        let it = items(Model::TwoPl, &[(1.0, 0.0, 0.0), (1.5, 1.0, 0.0)]);
        let err = run(&it, &[Some(true), Some(true)], Method::Mle).unwrap_err();
        assert_eq!(err.code(), "mle_undefined");
        // Items not given do not count: one right answer alone has no MLE either.
        let err = run(&it, &[Some(true), None], Method::Mle).unwrap_err();
        assert_eq!(err.code(), "mle_undefined");
    }

    #[test]
    fn eap_map_and_mle_agree_with_worked_numbers() {
        // Worked from the definitions (Python, the same 61 points on −4…4, standard normal prior):
        // 2PL items (a, b) = (1, −1), (1.5, 0), (0.8, 1), pattern 1, 1, 0.
        let it = items(
            Model::TwoPl,
            &[(1.0, -1.0, 0.0), (1.5, 0.0, 0.0), (0.8, 1.0, 0.0)],
        );
        let r = [Some(true), Some(true), Some(false)];
        let eap = run(&it, &r, Method::Eap).unwrap();
        assert!((eap.theta - EAP_THETA).abs() < 1e-4, "{eap:?}");
        assert!((eap.se - EAP_SE).abs() < 1e-4, "{eap:?}");
        let map = run(&it, &r, Method::Map).unwrap();
        assert!((map.theta - MAP_THETA).abs() < 1e-4, "{map:?}");
        assert!((map.se - MAP_SE).abs() < 1e-4, "{map:?}");
        let mle = run(&it, &r, Method::Mle).unwrap();
        assert!((mle.theta - MLE_THETA).abs() < 1e-4, "{mle:?}");
        assert!((mle.se - MLE_SE).abs() < 1e-4, "{mle:?}");
    }

    #[test]
    fn a_3pl_mle_uses_the_expected_information_for_its_error() {
        // 3PL items (1.2, −0.5, 0.2), (0.9, 0.3, 0.25), (1.6, 0.8, 0.15), pattern 1, 0, 1.
        let it = items(
            Model::ThreePl,
            &[(1.2, -0.5, 0.2), (0.9, 0.3, 0.25), (1.6, 0.8, 0.15)],
        );
        let e = run(&it, &[Some(true), Some(false), Some(true)], Method::Mle).unwrap();
        assert!((e.theta - MLE3_THETA).abs() < 1e-4, "{e:?}");
        assert!((e.se - MLE3_SE).abs() < 1e-4, "{e:?}");
    }

    #[test]
    fn the_eap_rises_when_a_wrong_answer_becomes_right() {
        let it = items(
            Model::ThreePl,
            &[
                (1.2, -0.5, 0.2),
                (0.9, 0.3, 0.25),
                (1.6, 0.8, 0.15),
                (1.1, 1.5, 0.2),
            ],
        );
        let mut pattern = [Some(false); 4];
        let mut last = run(&it, &pattern, Method::Eap).unwrap().theta;
        for k in 0..4 {
            pattern[k] = Some(true);
            let now = run(&it, &pattern, Method::Eap).unwrap().theta;
            assert!(now > last, "{now} after {last}");
            last = now;
        }
    }

    #[test]
    fn bad_settings_are_refused_with_a_message() {
        let it = items(Model::TwoPl, &[(1.0, 0.0, 0.0)]);
        let q = Quadrature {
            min: 1.0,
            max: -1.0,
            points: 61,
        };
        let e = estimate(
            &it,
            &[Some(true)],
            DEFAULT_D,
            Method::Eap,
            q,
            Prior::default(),
        );
        assert_eq!(e.unwrap_err().code(), "invalid_input");
        assert!(run(&it, &[None], Method::Eap).is_err());
        assert!(run(&it, &[Some(true), Some(false)], Method::Eap).is_err());
    }

    // Computed from the definitions in Python (plain floating point, no IRT library): the EAP
    // over the same 61 points; the MAP and MLE by a grid of 800,001 points refined by golden
    // section; the errors from the expected information.
    const EAP_THETA: f64 = 0.478287;
    const EAP_SE: f64 = 0.627655;
    const MAP_THETA: f64 = 0.400908;
    const MAP_SE: f64 = 0.588696;
    const MLE_THETA: f64 = 0.638690;
    const MLE_SE: f64 = 0.820023;
    const MLE3_THETA: f64 = 0.838289;
    const MLE3_SE: f64 = 0.723700;
}

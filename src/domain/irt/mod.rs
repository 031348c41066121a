//! Item response theory (issue 14): the dichotomous logistic models and their information, the
//! estimation of a person's ability θ from a response pattern ([`estimate`]), Samejima's graded
//! response model for Likert items ([`grm`]), the calibration of item parameters from responses by
//! marginal maximum likelihood ([`calibrate`]; files in [`response_csv`] and [`calibrate_file`],
//! simulated data in [`simulate_responses`]), item parameters in the bank ([`bank`]) and their
//! curves ([`curves`]), and adaptive testing over a pool of items ([`cat`]).
//!
//! The models (Birnbaum 1968; Lord 1980), with D the scaling constant (1.702 by default, which
//! makes the logistic curve agree with the normal ogive to within 0.01):
//! - 3PL: P(θ) = c + (1 − c) / (1 + exp(−D·a·(θ − b))), a > 0 discrimination, b difficulty,
//!   0 ≤ c < 1 the lower asymptote (guessing);
//! - 2PL: the same with c = 0; 1PL (Rasch form): c = 0 and one discrimination for every item
//!   (a = 1 unless given).
//!
//! Item information (Lord 1980, eq. 5-9): I(θ) = D²a² · (Q/P) · ((P − c)/(1 − c))², Q = 1 − P;
//! for c = 0 it is D²a²PQ. A test's information is the sum over its items.
use serde::{Deserialize, Serialize};

pub mod bank;
pub mod calibrate;
pub mod calibrate_file;
pub mod cases;
pub mod cat;
pub mod curves;
mod draw;
pub mod estimate;
pub mod grm;
pub mod response_csv;
pub mod simulate_responses;

/// The scaling constant used when none is given.
pub const DEFAULT_D: f64 = 1.702;

/// Which logistic model the items follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Model {
    /// One parameter: difficulty (with one common discrimination, 1 unless given).
    #[serde(rename = "1PL")]
    OnePl,
    /// Two parameters: discrimination and difficulty.
    #[serde(rename = "2PL")]
    TwoPl,
    /// Three parameters: discrimination, difficulty and a lower asymptote.
    #[serde(rename = "3PL")]
    ThreePl,
}

/// One item's parameters as given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemParams {
    /// Discrimination a > 0 (1 when left out).
    #[serde(default = "one")]
    pub a: f64,
    /// Difficulty b.
    pub b: f64,
    /// Lower asymptote 0 ≤ c < 1 (0 when left out; only the 3PL may have another).
    #[serde(default)]
    pub c: f64,
}

fn one() -> f64 {
    1.0
}

/// A checked item: its parameters fit its model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    a: f64,
    b: f64,
    c: f64,
}

impl Item {
    /// Checks `p` against `model`: a finite and above 0, b finite, c = 0 for the 1PL and 2PL and
    /// 0 ≤ c < 1 for the 3PL; for the 1PL every item must share one a (checked by
    /// [`items_of`]).
    pub fn new(model: Model, p: ItemParams) -> Result<Self, String> {
        if !(p.a.is_finite() && p.a > 0.0) {
            return Err(format!("a must be a number above 0, not {}", p.a));
        }
        if !p.b.is_finite() {
            return Err("b must be a finite number".into());
        }
        match model {
            Model::ThreePl if !(p.c.is_finite() && (0.0..1.0).contains(&p.c)) => {
                return Err(format!(
                    "c must be from 0 up to (not including) 1, not {}",
                    p.c
                ))
            }
            Model::OnePl | Model::TwoPl if p.c != 0.0 => {
                return Err("only the 3PL has a lower asymptote c: give c = 0 or use 3PL".into())
            }
            _ => {}
        }
        Ok(Self {
            a: p.a,
            b: p.b,
            c: p.c,
        })
    }

    /// P(θ), the probability of a correct answer at θ.
    pub fn p(&self, theta: f64, d: f64) -> f64 {
        self.c + (1.0 - self.c) / (1.0 + (-d * self.a * (theta - self.b)).exp())
    }

    /// I(θ) = D²a²·(Q/P)·((P − c)/(1 − c))².
    pub fn information(&self, theta: f64, d: f64) -> f64 {
        let p = self.p(theta, d);
        let q = 1.0 - p;
        if p <= 0.0 || q <= 0.0 {
            return 0.0;
        }
        let r = (p - self.c) / (1.0 - self.c);
        d * d * self.a * self.a * (q / p) * r * r
    }

    /// d/dθ log P(u | θ) for a response u ∈ {0, 1}: D·a·(u − P)·(P − c) / (P·(1 − c)).
    pub fn score(&self, theta: f64, d: f64, u: bool) -> f64 {
        let p = self.p(theta, d);
        let u = if u { 1.0 } else { 0.0 };
        d * self.a * (u - p) * (p - self.c) / (p * (1.0 - self.c))
    }

    /// log P(u | θ).
    pub fn log_likelihood(&self, theta: f64, d: f64, u: bool) -> f64 {
        let p = self.p(theta, d).clamp(1e-300, 1.0 - 1e-16);
        if u {
            p.ln()
        } else {
            (1.0 - p).ln()
        }
    }
}

/// Checks a whole item list against `model`, naming each bad item by its place.
pub fn items_of(model: Model, params: &[ItemParams]) -> Result<Vec<Item>, String> {
    let mut out = Vec::with_capacity(params.len());
    for (i, p) in params.iter().enumerate() {
        out.push(Item::new(model, *p).map_err(|m| format!("items[{i}]: {m}"))?);
    }
    if model == Model::OnePl {
        if let Some(first) = params.first() {
            if params.iter().any(|p| (p.a - first.a).abs() > 1e-12) {
                return Err("the 1PL gives every item the same discrimination a".into());
            }
        }
    }
    Ok(out)
}

/// The information of a test of `items` at θ.
pub fn test_information(items: &[Item], theta: f64, d: f64) -> f64 {
    items.iter().map(|i| i.information(theta, d)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(model: Model, a: f64, b: f64, c: f64) -> Item {
        Item::new(model, ItemParams { a, b, c }).unwrap()
    }

    #[test]
    fn a_2pl_item_at_its_difficulty_gives_one_half_and_information_d_squared_a_squared_over_four() {
        let i = item(Model::TwoPl, 1.0, 0.0, 0.0);
        assert!((i.p(0.0, DEFAULT_D) - 0.5).abs() < 1e-12);
        // 1.702² · 1² · 0.25 = 0.724201
        assert!((i.information(0.0, DEFAULT_D) - 0.724201).abs() < 1e-9);
    }

    #[test]
    fn a_3pl_item_gives_the_worked_probability_and_information() {
        // a = 1.2, b = −0.3, c = 0.2, θ = 0.5, D = 1.702: D·a·(θ − b) = 1.63392,
        // P = 0.2 + 0.8/(1 + e^−1.63392) = 0.2 + 0.8 · 0.836706 = 0.869365;
        // I = D²a² · (Q/P) · ((P − c)/(1 − c))² = 4.171398 · 0.150265 · 0.700077 = 0.438819.
        let i = item(Model::ThreePl, 1.2, -0.3, 0.2);
        assert!(
            (i.p(0.5, DEFAULT_D) - 0.869365).abs() < 1e-6,
            "{}",
            i.p(0.5, DEFAULT_D)
        );
        assert!(
            (i.information(0.5, DEFAULT_D) - 0.438819).abs() < 1e-6,
            "{}",
            i.information(0.5, DEFAULT_D)
        );
    }

    #[test]
    fn parameters_that_do_not_fit_their_model_are_refused_by_place() {
        let bad = |model, a, b, c| Item::new(model, ItemParams { a, b, c }).is_err();
        assert!(bad(Model::TwoPl, -1.0, 0.0, 0.0));
        assert!(bad(Model::TwoPl, 0.0, 0.0, 0.0));
        assert!(bad(Model::TwoPl, 1.0, 0.0, 0.2));
        assert!(bad(Model::ThreePl, 1.0, 0.0, 1.0));
        assert!(bad(Model::ThreePl, 1.0, f64::NAN, 0.0));
        let err = items_of(
            Model::OnePl,
            &[
                ItemParams {
                    a: 1.0,
                    b: 0.0,
                    c: 0.0,
                },
                ItemParams {
                    a: 1.3,
                    b: 0.0,
                    c: 0.0,
                },
            ],
        )
        .unwrap_err();
        assert!(err.contains("same discrimination"), "{err}");
        assert!(items_of(
            Model::TwoPl,
            &[ItemParams {
                a: -2.0,
                b: 0.0,
                c: 0.0
            }]
        )
        .unwrap_err()
        .starts_with("items[0]"));
    }

    #[test]
    fn information_is_never_negative_and_peaks_near_the_difficulty_for_a_2pl_item() {
        let i = item(Model::TwoPl, 1.4, 0.7, 0.0);
        let mut best = (f64::MIN, 0.0);
        for k in -80..=80 {
            let t = f64::from(k) / 10.0;
            let info = i.information(t, DEFAULT_D);
            assert!(info >= 0.0);
            if info > best.0 {
                best = (info, t);
            }
        }
        assert!((best.1 - 0.7).abs() < 1e-9);
    }
}

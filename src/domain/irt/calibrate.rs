//! Item calibration by marginal maximum likelihood with the EM algorithm of Bock & Aitkin (1981),
//! for the 1PL, 2PL, 3PL and the graded response model.
//!
//! **Model and identification.** θ ~ N(0, 1): the latent mean and sd are fixed, which sets the
//! scale. The marginal log-likelihood of the item parameters ξ is
//! l(ξ) = Σ_i log Σ_q w_q Π_{j answered by i} P_j(u_ij | θ_q), over the quadrature points θ_q
//! (by default 61 evenly spaced on −4 … 4) with weights w_q ∝ φ(θ_q) summing to 1. A missing
//! answer is left out of its person's product.
//!
//! **E-step.** With the current ξ, each person's posterior over the points is
//! π_iq = w_q L_i(θ_q) / Σ_q′ w_q′ L_i(θ_q′), and the expected number of people at θ_q who
//! answered item j in category k is r_jkq = Σ_{i: u_ij = k} π_iq (Bock & Aitkin 1981, eq. 15).
//!
//! **M-step.** Each item's parameters maximise its expected complete-data log-likelihood
//! Σ_k Σ_q r_jkq log P_jk(θ_q; ξ_j) (plus, for the 3PL, the log density of the prior on c) by
//! Newton–Raphson with derivatives by central differences, each step at most 1 in every
//! parameter and halved until the objective rises (so every EM cycle raises l), the parameters
//! kept in a box: a ∈ [0.05, 6], b and thresholds ∈ [−6, 6], c ∈ [0.0001, 0.5].
//! - **1PL**: one discrimination a common to all items is estimated with each item's b (the
//!   "1PL" of mirt, not the Rasch model with a = 1 and a free latent variance); in each cycle
//!   every b is updated with a held, then a with every b held.
//! - **3PL**: c has a Beta(α, β) prior, by default Beta(5, 17) (mean 0.23, mode 0.2: BILOG-MG's
//!   default for items of five options); the estimates are posterior modes and the standard
//!   errors come from the posterior's curvature.
//! - **GRM**: a and the thresholds b₁ < … < b_{m−1}; a trial step that breaks their order is
//!   refused by the step halving.
//!
//! The cycles stop when no parameter moved more than the tolerance (1e-4 by default), or after
//! the largest number of cycles (500), reported as not converged.
//!
//! **Standard errors** come from the inverse of each item's block of the Hessian of the marginal
//! log-likelihood l at the estimates (the observed information), computed by central second
//! differences of l itself (step 10⁻³) with every other item held: between-item covariances
//! are left out, which makes the errors slightly small (the inverse of a block is at most the
//! block of the inverse). For the 1PL, b's block is 1×1 and the common a's error comes from its
//! own 1×1 block.
//!
//! **Item fit** is a χ² over θ groups in the manner of Yen's (1981) Q1, with each person's
//! expected answer predicted from the rest of their pattern, so the item is not judged against
//! an estimate it helped make (the idea of Orlando & Thissen's S-X², which conditions on the rest
//! score instead, and which needs complete data): for each person i who answered item j, the
//! posterior without item j, π⁻ʲ_iq ∝ w_q Π_{j′≠j} P_j′(u_ij′ | θ_q), gives the rest-EAP
//! θ̃_i = Σ_q θ_q π⁻ʲ_iq and the expected probability of each category,
//! E_ik = Σ_q π⁻ʲ_iq P_jk(θ_q). The people are sorted by θ̃ into G = 10 groups of equal size;
//! with O_gk and E_gk the observed and expected counts of category k in group g,
//! X² = Σ_g Σ_k (O_gk − E_gk)² / E_gk on G·(m − 1) − (the item's free parameters) degrees of
//! freedom, p from the χ² distribution (statrs). Read it as a screen: with thousands of people
//! small, harmless misfit is "significant".
use std::fmt;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::estimate::Quadrature;
use super::{grm, Item, DEFAULT_D};

/// The model to calibrate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CalibrationModel {
    /// One discrimination common to every item, estimated, and a difficulty per item.
    #[serde(rename = "1PL")]
    OnePl,
    /// A discrimination and a difficulty per item.
    #[serde(rename = "2PL")]
    TwoPl,
    /// A discrimination, a difficulty and a lower asymptote (with a Beta prior) per item.
    #[serde(rename = "3PL")]
    ThreePl,
    /// Samejima's graded response model: a discrimination and ordered thresholds per item.
    #[serde(rename = "GRM")]
    Graded,
}

impl CalibrationModel {
    /// Reads `1PL`, `2PL`, `3PL` or `GRM` (any case).
    pub fn parse(s: &str) -> Result<Self, CalibrationError> {
        match s.to_ascii_uppercase().as_str() {
            "1PL" => Ok(Self::OnePl),
            "2PL" => Ok(Self::TwoPl),
            "3PL" => Ok(Self::ThreePl),
            "GRM" => Ok(Self::Graded),
            _ => Err(CalibrationError::InvalidInput(format!(
                "the model is 1PL, 2PL, 3PL or GRM, not {s}"
            ))),
        }
    }

    /// Whether the items are scored right/wrong (0/1).
    pub fn is_dichotomous(self) -> bool {
        self != Self::Graded
    }

    /// The name used in files and output.
    pub fn name(self) -> &'static str {
        match self {
            Self::OnePl => "1PL",
            Self::TwoPl => "2PL",
            Self::ThreePl => "3PL",
            Self::Graded => "GRM",
        }
    }
}

/// A Beta(α, β) prior density on the 3PL's lower asymptote c.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BetaPrior {
    /// α > 1.
    pub alpha: f64,
    /// β > 1.
    pub beta: f64,
}

impl Default for BetaPrior {
    /// Beta(5, 17).
    fn default() -> Self {
        Self {
            alpha: 5.0,
            beta: 17.0,
        }
    }
}

/// The calibration's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The scaling constant D.
    pub d: f64,
    /// The quadrature points of the latent N(0, 1).
    pub quadrature: Quadrature,
    /// Fewest people (with at least one answer) a calibration accepts.
    pub min_respondents: usize,
    /// Most EM cycles.
    pub max_iterations: u32,
    /// The largest parameter change at which the cycles stop.
    pub tolerance: f64,
    /// The prior on the 3PL's c.
    pub guessing_prior: BetaPrior,
}

impl Default for Settings {
    /// D = 1.702, 61 points on −4 … 4, at least 100 people, 500 cycles, tolerance 1e-4,
    /// Beta(5, 17) on c.
    fn default() -> Self {
        Self {
            d: DEFAULT_D,
            quadrature: Quadrature::default(),
            min_respondents: 100,
            max_iterations: 500,
            tolerance: 1e-4,
            guessing_prior: BetaPrior::default(),
        }
    }
}

/// Why a calibration could not be done. Each names the item concerned by its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalibrationError {
    /// Fewer people than the minimum, or an item answered by fewer than two.
    TooFewRespondents(String),
    /// An item everyone answered the same way (one category used).
    NoVariance(String),
    /// A graded item with a category between its lowest and highest that nobody chose.
    EmptyCategory(String),
    /// The information of an item is not invertible, or the estimation diverged.
    SingularCalibration(String),
    /// Values outside the item's categories, rows of the wrong length, no items.
    InvalidResponses(String),
    /// Settings out of range, or a model name not known.
    InvalidInput(String),
}

impl CalibrationError {
    /// The stable code of the error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooFewRespondents(_) => "too_few_respondents",
            Self::NoVariance(_) => "no_variance",
            Self::EmptyCategory(_) => "empty_category",
            Self::SingularCalibration(_) => "singular_calibration",
            Self::InvalidResponses(_) => "invalid_responses",
            Self::InvalidInput(_) => "invalid_input",
        }
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        match self {
            Self::TooFewRespondents(m)
            | Self::NoVariance(m)
            | Self::EmptyCategory(m)
            | Self::SingularCalibration(m)
            | Self::InvalidResponses(m)
            | Self::InvalidInput(m) => m,
        }
    }
}

impl fmt::Display for CalibrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

/// A checked response matrix: one row per person, one column per item, each cell a category
/// 0 … `categories` − 1 or missing.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseMatrix {
    codes: Vec<String>,
    rows: Vec<Vec<Option<u8>>>,
    categories: u8,
}

impl ResponseMatrix {
    /// Checks that there is at least one item, that `categories` is at least 2, that every row
    /// has one cell per item code and that every value is below `categories`.
    pub fn new(
        codes: Vec<String>,
        rows: Vec<Vec<Option<u8>>>,
        categories: u8,
    ) -> Result<Self, CalibrationError> {
        let bad = |m: String| Err(CalibrationError::InvalidResponses(m));
        if codes.is_empty() {
            return bad("there are no items".into());
        }
        if categories < 2 {
            return bad("an item needs at least two categories".into());
        }
        for (i, row) in rows.iter().enumerate() {
            if row.len() != codes.len() {
                return bad(format!(
                    "row {} has {} values for {} items",
                    i + 1,
                    row.len(),
                    codes.len()
                ));
            }
            if let Some((j, v)) = row
                .iter()
                .enumerate()
                .find_map(|(j, v)| v.filter(|v| *v >= categories).map(|v| (j, v)))
            {
                return bad(format!(
                    "row {}, item {}: {v} is not one of the categories 0 to {}",
                    i + 1,
                    codes[j],
                    categories - 1
                ));
            }
        }
        Ok(Self {
            codes,
            rows,
            categories,
        })
    }

    /// The item codes, in column order.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    /// The rows, one per person.
    pub fn rows(&self) -> &[Vec<Option<u8>>] {
        &self.rows
    }

    /// The number of categories of every item.
    pub fn categories(&self) -> u8 {
        self.categories
    }
}

/// One item's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Parameters {
    /// A right/wrong item: c is 0 for the 1PL and 2PL.
    Dichotomous {
        /// Discrimination.
        a: f64,
        /// Difficulty.
        b: f64,
        /// Lower asymptote.
        c: f64,
    },
    /// A graded item.
    Graded {
        /// Discrimination.
        a: f64,
        /// Ordered thresholds b₁ … b_{m−1}.
        thresholds: Vec<f64>,
    },
}

/// The standard errors of one item's parameters (`None` for a parameter held fixed).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum StandardErrors {
    /// A right/wrong item; for the 1PL, `a` is the error of the common discrimination.
    Dichotomous {
        /// Of a.
        a: f64,
        /// Of b.
        b: f64,
        /// Of c (3PL only).
        c: Option<f64>,
    },
    /// A graded item.
    Graded {
        /// Of a.
        a: f64,
        /// Of each threshold.
        thresholds: Vec<f64>,
    },
}

/// The fit χ² of one item (see the module's description).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ItemFit {
    /// X².
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: u32,
    /// The χ² upper-tail probability (`None` when df is 0).
    pub p: Option<f64>,
    /// The number of θ groups.
    pub groups: u32,
}

/// One calibrated item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibratedItem {
    /// The item's code.
    pub code: String,
    /// The estimates.
    #[serde(flatten)]
    pub estimate: Parameters,
    /// Their standard errors.
    pub se: StandardErrors,
    /// Its fit.
    pub fit: ItemFit,
}

/// How the EM cycles ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Convergence {
    /// EM cycles run.
    pub iterations: u32,
    /// Whether the last cycle moved no parameter more than the tolerance.
    pub converged: bool,
    /// The largest parameter change in the last cycle.
    pub max_change: f64,
    /// −2 l at the estimates (without the prior on c).
    pub minus_two_log_likelihood: f64,
    /// The tolerance used.
    pub tolerance: f64,
}

/// A calibration's result: a draft parameter set for a psychometrician to review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// The model.
    pub model: CalibrationModel,
    /// The scaling constant.
    #[serde(rename = "D")]
    pub d: f64,
    /// Per item, in column order.
    pub items: Vec<CalibratedItem>,
    /// How the cycles ended.
    pub convergence: Convergence,
    /// People with at least one answer.
    pub respondents: usize,
}

const A_BOUNDS: (f64, f64) = (0.05, 6.0);
const B_BOUNDS: (f64, f64) = (-6.0, 6.0);
const C_BOUNDS: (f64, f64) = (1e-4, 0.5);
/// Step of the second differences for the standard errors.
const SE_STEP: f64 = 1e-3;
/// θ groups of the fit statistic.
const FIT_GROUPS: usize = 10;

/// The working data: per person the (item, category) pairs answered; per item the categories.
struct Problem {
    model: CalibrationModel,
    d: f64,
    nodes: Vec<f64>,
    log_weights: Vec<f64>,
    /// Categories of each item (the same for all: the matrix's).
    m: usize,
    answers: Vec<Vec<(usize, usize)>>,
    items: usize,
    prior: BetaPrior,
}

/// Calibrates `model` on `data` with `settings`.
pub fn calibrate(
    model: CalibrationModel,
    data: &ResponseMatrix,
    settings: &Settings,
) -> Result<Calibration, CalibrationError> {
    check_settings(settings)?;
    let m = usize::from(data.categories);
    if model.is_dichotomous() && m != 2 {
        return Err(CalibrationError::InvalidResponses(format!(
            "the {} scores items right/wrong (0/1), not in {m} categories",
            model.name()
        )));
    }
    let problem = Problem::new(model, data, settings)?;
    let mut xi = problem.start();
    let mut change = f64::INFINITY;
    let mut iterations = 0;
    while iterations < settings.max_iterations {
        iterations += 1;
        let step = problem.e_step(&xi, false);
        if !step.log_likelihood.is_finite() {
            return Err(diverged(iterations));
        }
        let next = problem.m_step(&xi, &step.counts);
        change = xi
            .iter()
            .flatten()
            .zip(next.iter().flatten())
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        if !change.is_finite() {
            return Err(diverged(iterations));
        }
        xi = next;
        if change <= settings.tolerance {
            break;
        }
    }
    let last = problem.e_step(&xi, true);
    if !last.log_likelihood.is_finite() {
        return Err(diverged(iterations));
    }
    let common_a_se = if model == CalibrationModel::OnePl {
        Some(problem.common_a_se(&xi, &last)?)
    } else {
        None
    };
    let mut items = Vec::with_capacity(problem.items);
    for (j, code) in data.codes.iter().enumerate() {
        let se = problem.item_se(j, &xi, &last, code)?;
        let (estimate, se) = problem.report(&xi[j], &se, common_a_se);
        items.push(CalibratedItem {
            code: code.clone(),
            estimate,
            se,
            fit: problem.fit(j, &xi[j], &last),
        });
    }
    Ok(Calibration {
        model,
        d: settings.d,
        items,
        convergence: Convergence {
            iterations,
            converged: change <= settings.tolerance,
            max_change: change,
            minus_two_log_likelihood: -2.0 * last.log_likelihood,
            tolerance: settings.tolerance,
        },
        respondents: problem.answers.len(),
    })
}

fn diverged(iteration: u32) -> CalibrationError {
    CalibrationError::SingularCalibration(format!(
        "the estimation diverged in cycle {iteration} (the likelihood is no longer finite)"
    ))
}

fn check_settings(s: &Settings) -> Result<(), CalibrationError> {
    let bad = |m: &str| Err(CalibrationError::InvalidInput(m.to_owned()));
    if !(s.d.is_finite() && s.d > 0.0) {
        return bad("D must be a number above 0");
    }
    let q = s.quadrature;
    if !(q.min.is_finite() && q.max.is_finite())
        || q.min >= q.max
        || !(2..=1000).contains(&q.points)
    {
        return bad("the quadrature needs min < max and 2 to 1000 points");
    }
    if s.max_iterations == 0 {
        return bad("the largest number of cycles must be at least 1");
    }
    if !(s.tolerance.is_finite() && s.tolerance > 0.0) {
        return bad("the tolerance must be a number above 0");
    }
    let p = s.guessing_prior;
    if !(p.alpha.is_finite() && p.beta.is_finite() && p.alpha >= 1.0 && p.beta >= 1.0) {
        return bad("the Beta prior on c needs α ≥ 1 and β ≥ 1");
    }
    Ok(())
}

/// What an E-step gives.
struct EStep {
    /// r_jkq at index (j·m + k)·Q + q.
    counts: Vec<f64>,
    log_likelihood: f64,
    /// Per person: log(w_q L_i(θ_q)) at each point (kept on the last pass only).
    log_joint: Vec<Vec<f64>>,
    /// Per person: log Σ_q w_q L_i(θ_q) (last pass only).
    person_ll: Vec<f64>,
}

impl Problem {
    fn new(
        model: CalibrationModel,
        data: &ResponseMatrix,
        settings: &Settings,
    ) -> Result<Self, CalibrationError> {
        let items = data.codes.len();
        let m = usize::from(data.categories);
        let answers: Vec<Vec<(usize, usize)>> = data
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter_map(|(j, v)| v.map(|k| (j, usize::from(k))))
                    .collect::<Vec<_>>()
            })
            .filter(|a| !a.is_empty())
            .collect();
        let minimum = settings.min_respondents.max(2);
        if answers.len() < minimum {
            return Err(CalibrationError::TooFewRespondents(format!(
                "{} people answered at least one item; a calibration needs at least {minimum}",
                answers.len()
            )));
        }
        let mut used = vec![vec![0usize; m]; items];
        for (j, k) in answers.iter().flatten() {
            used[*j][*k] += 1;
        }
        for (j, counts) in used.iter().enumerate() {
            let code = &data.codes[j];
            let n: usize = counts.iter().sum();
            if n < 2 {
                return Err(CalibrationError::TooFewRespondents(format!(
                    "item {code} was answered by {n} people; each item needs at least 2"
                )));
            }
            let chosen: Vec<usize> = (0..m).filter(|&k| counts[k] > 0).collect();
            if let [only] = chosen[..] {
                let what = if model.is_dichotomous() {
                    if only == 1 {
                        "answered it right".to_owned()
                    } else {
                        "answered it wrong".to_owned()
                    }
                } else {
                    format!("chose category {}", only + 1)
                };
                return Err(CalibrationError::NoVariance(format!(
                    "item {code}: everyone who answered it {what}; it tells nothing about θ: \
                     leave it out of the calibration"
                )));
            }
            if let Some(k) = (0..m).find(|&k| counts[k] == 0) {
                return Err(CalibrationError::EmptyCategory(format!(
                    "item {code}: nobody chose category {} of 1 to {m}; its threshold cannot be \
                     estimated: merge the category with a neighbour or collect more answers",
                    k + 1
                )));
            }
        }
        let q = settings.quadrature;
        let n = q.points as usize;
        let step = (q.max - q.min) / (n - 1) as f64;
        let nodes: Vec<f64> = (0..n).map(|k| q.min + step * k as f64).collect();
        let dens: Vec<f64> = nodes.iter().map(|t| (-0.5 * t * t).exp()).collect();
        let total: f64 = dens.iter().sum();
        let log_weights = dens.iter().map(|w| (w / total).ln()).collect();
        Ok(Self {
            model,
            d: settings.d,
            nodes,
            log_weights,
            m,
            answers,
            items,
            prior: settings.guessing_prior,
        })
    }

    /// Starting values from the proportions: with a = 1 the normal-ogive approximation
    /// P(u ≥ k) ≈ Φ(−b·a/√(1 + a²)) gives b = −√2·Φ⁻¹(proportion).
    fn start(&self) -> Vec<Vec<f64>> {
        let normal = statrs::distribution::Normal::standard();
        let mut at_least = vec![vec![0.0f64; self.m]; self.items];
        let mut n = vec![0.0f64; self.items];
        for (j, k) in self.answers.iter().flatten() {
            n[*j] += 1.0;
            for c in at_least[*j].iter_mut().take(k + 1) {
                *c += 1.0;
            }
        }
        (0..self.items)
            .map(|j| {
                let b_of = |share: f64| {
                    (-(2f64.sqrt()) * normal.inverse_cdf(share.clamp(0.005, 0.995)))
                        .clamp(-4.0, 4.0)
                };
                match self.model {
                    CalibrationModel::Graded => {
                        let mut xi = vec![1.0];
                        let mut last = f64::NEG_INFINITY;
                        for count in at_least[j].iter().skip(1) {
                            let b = b_of(count / n[j]).max(last + 0.05);
                            xi.push(b);
                            last = b;
                        }
                        xi
                    }
                    CalibrationModel::ThreePl => {
                        let c = 0.2;
                        let p = at_least[j][1] / n[j];
                        vec![1.0, b_of((p - c) / (1.0 - c)), c]
                    }
                    _ => vec![1.0, b_of(at_least[j][1] / n[j]), 0.0],
                }
            })
            .collect()
    }

    /// log P_jk(θ) for trial parameters (−∞ where they give no probability).
    fn log_prob(&self, xi: &[f64], theta: f64, k: usize) -> f64 {
        if self.model.is_dichotomous() {
            let item = Item {
                a: xi[0],
                b: xi[1],
                c: xi[2],
            };
            item.log_likelihood(theta, self.d, k == 1)
        } else {
            let p = grm::category_probability(xi[0], &xi[1..], theta, self.d, k);
            if p > 0.0 {
                p.ln()
            } else {
                f64::NEG_INFINITY
            }
        }
    }

    /// The log prior density of an item's parameters (up to a constant): Beta on the 3PL's c.
    fn log_prior(&self, xi: &[f64]) -> f64 {
        if self.model == CalibrationModel::ThreePl {
            let c = xi[2];
            (self.prior.alpha - 1.0) * c.ln() + (self.prior.beta - 1.0) * (1.0 - c).ln()
        } else {
            0.0
        }
    }

    /// log P_jk(θ_q) for every category k and point q, at index k·Q + q.
    fn table(&self, xi: &[f64]) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.m * self.nodes.len());
        for k in 0..self.m {
            out.extend(self.nodes.iter().map(|&t| self.log_prob(xi, t, k)));
        }
        out
    }

    fn e_step(&self, xi: &[Vec<f64>], keep: bool) -> EStep {
        let nq = self.nodes.len();
        let block = self.m * nq;
        let logp: Vec<f64> = xi.iter().flat_map(|x| self.table(x)).collect();
        let mut counts = vec![0.0; self.items * block];
        let mut total = 0.0;
        let mut log_joint = Vec::new();
        let mut person_ll = Vec::new();
        let mut lp = vec![0.0; nq];
        let mut post = vec![0.0; nq];
        for person in &self.answers {
            lp.copy_from_slice(&self.log_weights);
            for &(j, k) in person {
                let o = j * block + k * nq;
                for (x, y) in lp.iter_mut().zip(&logp[o..o + nq]) {
                    *x += y;
                }
            }
            let ll = log_sum_exp(&lp);
            total += ll;
            for (p, l) in post.iter_mut().zip(&lp) {
                *p = (l - ll).exp();
            }
            for &(j, k) in person {
                let o = j * block + k * nq;
                for (r, p) in counts[o..o + nq].iter_mut().zip(&post) {
                    *r += p;
                }
            }
            if keep {
                log_joint.push(lp.clone());
                person_ll.push(ll);
            }
        }
        EStep {
            counts,
            log_likelihood: total,
            log_joint,
            person_ll,
        }
    }

    /// The expected complete-data log-likelihood of item j (with its prior) at trial `xi`.
    fn item_objective(&self, j: usize, xi: &[f64], counts: &[f64]) -> f64 {
        let nq = self.nodes.len();
        let block = self.m * nq;
        let mut total = self.log_prior(xi);
        for k in 0..self.m {
            let r = &counts[j * block + k * nq..j * block + (k + 1) * nq];
            for (t, r) in self.nodes.iter().zip(r) {
                if *r > 0.0 {
                    total += r * self.log_prob(xi, *t, k);
                }
            }
        }
        if total.is_nan() {
            f64::NEG_INFINITY
        } else {
            total
        }
    }

    /// Which of an item's parameters are free, with their bounds.
    fn free(&self) -> Vec<(usize, (f64, f64))> {
        match self.model {
            CalibrationModel::OnePl => vec![(1, B_BOUNDS)],
            CalibrationModel::TwoPl => vec![(0, A_BOUNDS), (1, B_BOUNDS)],
            CalibrationModel::ThreePl => vec![(0, A_BOUNDS), (1, B_BOUNDS), (2, C_BOUNDS)],
            CalibrationModel::Graded => std::iter::once((0, A_BOUNDS))
                .chain((1..self.m).map(|k| (k, B_BOUNDS)))
                .collect(),
        }
    }

    fn m_step(&self, xi: &[Vec<f64>], counts: &[f64]) -> Vec<Vec<f64>> {
        let free = self.free();
        let mut next: Vec<Vec<f64>> = xi
            .iter()
            .enumerate()
            .map(|(j, x)| {
                let objective = |v: &[f64]| {
                    let mut full = x.clone();
                    for ((i, _), v) in free.iter().zip(v) {
                        full[*i] = *v;
                    }
                    self.item_objective(j, &full, counts)
                };
                let start: Vec<f64> = free.iter().map(|(i, _)| x[*i]).collect();
                let bounds: Vec<(f64, f64)> = free.iter().map(|(_, b)| *b).collect();
                let best = maximise(objective, &start, &bounds);
                let mut full = x.clone();
                for ((i, _), v) in free.iter().zip(best) {
                    full[*i] = v;
                }
                full
            })
            .collect();
        if self.model == CalibrationModel::OnePl {
            let objective = |v: &[f64]| {
                next.iter()
                    .enumerate()
                    .map(|(j, x)| {
                        let mut full = x.clone();
                        full[0] = v[0];
                        self.item_objective(j, &full, counts)
                    })
                    .sum::<f64>()
            };
            let a = maximise(objective, &[next[0][0]], &[A_BOUNDS])[0];
            for x in &mut next {
                x[0] = a;
            }
        }
        next
    }

    /// The change of l when item j's parameters go from `xi[j]` to `trial` (others held),
    /// plus the prior at `trial`.
    fn item_marginal(&self, j: usize, xi: &[f64], trial: &[f64], last: &EStep) -> f64 {
        let nq = self.nodes.len();
        let old = self.table(xi);
        let new = self.table(trial);
        let mut total = self.log_prior(trial);
        let mut lp = vec![0.0; nq];
        for ((person, joint), ll) in self
            .answers
            .iter()
            .zip(&last.log_joint)
            .zip(&last.person_ll)
        {
            let Some(&(_, k)) = person.iter().find(|(i, _)| *i == j) else {
                continue;
            };
            for q in 0..nq {
                lp[q] = joint[q] - old[k * nq + q] + new[k * nq + q];
            }
            total += log_sum_exp(&lp) - ll;
        }
        total
    }

    /// The standard errors of item j's free parameters, in the order of [`Problem::free`].
    fn item_se(
        &self,
        j: usize,
        xi: &[Vec<f64>],
        last: &EStep,
        code: &str,
    ) -> Result<Vec<f64>, CalibrationError> {
        let free = self.free();
        let at = &xi[j];
        let f = |v: &[f64]| {
            let mut full = at.clone();
            for ((i, _), v) in free.iter().zip(v) {
                full[*i] = *v;
            }
            self.item_marginal(j, at, &full, last)
        };
        let x: Vec<f64> = free.iter().map(|(i, _)| at[*i]).collect();
        let hessian = hessian(&f, &x, SE_STEP);
        errors_from(&hessian).ok_or_else(|| {
            CalibrationError::SingularCalibration(format!(
                "item {code}: the information of its parameters is not invertible at the \
                 estimates {at:?}: the data cannot tell them apart"
            ))
        })
    }

    /// The 1PL's common a: its 1×1 block, every item's a moved together.
    fn common_a_se(&self, xi: &[Vec<f64>], last: &EStep) -> Result<f64, CalibrationError> {
        let nq = self.nodes.len();
        let block = self.m * nq;
        let old: Vec<f64> = xi.iter().flat_map(|x| self.table(x)).collect();
        let f = |v: &[f64]| {
            let new: Vec<f64> = xi
                .iter()
                .flat_map(|x| {
                    let mut t = x.clone();
                    t[0] = v[0];
                    self.table(&t)
                })
                .collect();
            let mut lp = vec![0.0; nq];
            let mut total = 0.0;
            for ((person, joint), ll) in self
                .answers
                .iter()
                .zip(&last.log_joint)
                .zip(&last.person_ll)
            {
                lp.copy_from_slice(joint);
                for &(j, k) in person {
                    let o = j * block + k * nq;
                    for q in 0..nq {
                        lp[q] += new[o + q] - old[o + q];
                    }
                }
                total += log_sum_exp(&lp) - ll;
            }
            total
        };
        let a = xi.first().map_or(1.0, |x| x[0]);
        errors_from(&hessian(&f, &[a], SE_STEP))
            .and_then(|v| v.first().copied())
            .ok_or_else(|| {
                CalibrationError::SingularCalibration(
                    "the information of the common discrimination is not invertible".into(),
                )
            })
    }

    /// The estimates and errors in the reported shape.
    fn report(
        &self,
        xi: &[f64],
        se: &[f64],
        common_a_se: Option<f64>,
    ) -> (Parameters, StandardErrors) {
        let get = |i: usize| se.get(i).copied().unwrap_or(f64::NAN);
        match self.model {
            CalibrationModel::OnePl => (
                Parameters::Dichotomous {
                    a: xi[0],
                    b: xi[1],
                    c: 0.0,
                },
                StandardErrors::Dichotomous {
                    a: common_a_se.unwrap_or(f64::NAN),
                    b: get(0),
                    c: None,
                },
            ),
            CalibrationModel::TwoPl => (
                Parameters::Dichotomous {
                    a: xi[0],
                    b: xi[1],
                    c: 0.0,
                },
                StandardErrors::Dichotomous {
                    a: get(0),
                    b: get(1),
                    c: None,
                },
            ),
            CalibrationModel::ThreePl => (
                Parameters::Dichotomous {
                    a: xi[0],
                    b: xi[1],
                    c: xi[2],
                },
                StandardErrors::Dichotomous {
                    a: get(0),
                    b: get(1),
                    c: Some(get(2)),
                },
            ),
            CalibrationModel::Graded => (
                Parameters::Graded {
                    a: xi[0],
                    thresholds: xi[1..].to_vec(),
                },
                StandardErrors::Graded {
                    a: get(0),
                    thresholds: se.iter().skip(1).copied().collect(),
                },
            ),
        }
    }

    /// The fit χ² of item j.
    fn fit(&self, j: usize, xi: &[f64], last: &EStep) -> ItemFit {
        let nq = self.nodes.len();
        let table = self.table(xi);
        let probs: Vec<f64> = table.iter().map(|l| l.exp()).collect();
        // Per person who answered j: θ̂ and the expected answer from the rest of the pattern.
        let mut people: Vec<(f64, usize, Vec<f64>)> = Vec::new();
        let mut rest = vec![0.0; nq];
        for (person, joint) in self.answers.iter().zip(&last.log_joint) {
            let Some(&(_, k)) = person.iter().find(|(i, _)| *i == j) else {
                continue;
            };
            for q in 0..nq {
                rest[q] = joint[q] - table[k * nq + q];
            }
            let total = log_sum_exp(&rest);
            let post: Vec<f64> = rest.iter().map(|r| (r - total).exp()).collect();
            let theta = self.nodes.iter().zip(&post).map(|(t, p)| t * p).sum();
            let expected = (0..self.m)
                .map(|c| {
                    probs[c * nq..(c + 1) * nq]
                        .iter()
                        .zip(&post)
                        .map(|(p, w)| p * w)
                        .sum()
                })
                .collect();
            people.push((theta, k, expected));
        }
        // People with the same rest of pattern have the same θ̃ but for rounding that depends on
        // their answer to j (it was added and taken away): compare θ̃ to 10⁻⁹ so such ties keep
        // the file's order, or the groups' edges would sort the wrong answers first.
        people.sort_by_key(|x| (x.0 * 1e9).round() as i64);
        let n = people.len();
        let groups = FIT_GROUPS.min(n).max(1);
        let mut statistic = 0.0;
        for g in 0..groups {
            let group = &people[g * n / groups..(g + 1) * n / groups];
            let mut observed = vec![0.0; self.m];
            let mut expected = vec![0.0; self.m];
            for (_, k, e) in group {
                observed[*k] += 1.0;
                for (sum, e) in expected.iter_mut().zip(e) {
                    *sum += e;
                }
            }
            for (o, e) in observed.iter().zip(&expected) {
                if *e > 0.0 {
                    statistic += (o - e).powi(2) / e;
                }
            }
        }
        let parameters = self.free().len();
        let cells = groups * (self.m - 1);
        let df = cells.saturating_sub(parameters) as u32;
        let p = (df > 0)
            .then(|| ChiSquared::new(f64::from(df)).ok())
            .flatten()
            .map(|chi| chi.sf(statistic));
        ItemFit {
            statistic,
            df,
            p,
            groups: groups as u32,
        }
    }
}

fn log_sum_exp(v: &[f64]) -> f64 {
    let top = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !top.is_finite() {
        return top;
    }
    top + v.iter().map(|x| (x - top).exp()).sum::<f64>().ln()
}

/// The Hessian of `f` at `x` by central differences of step `h`.
#[allow(clippy::needless_range_loop)] // a matrix filled by its indices reads best so
fn hessian(f: &impl Fn(&[f64]) -> f64, x: &[f64], h: f64) -> Vec<Vec<f64>> {
    let p = x.len();
    let at = |moves: &[(usize, f64)]| {
        let mut y = x.to_vec();
        for (i, d) in moves {
            y[*i] += d;
        }
        f(&y)
    };
    let centre = f(x);
    let mut out = vec![vec![0.0; p]; p];
    for i in 0..p {
        out[i][i] = (at(&[(i, h)]) - 2.0 * centre + at(&[(i, -h)])) / (h * h);
        for k in 0..i {
            let v = (at(&[(i, h), (k, h)]) - at(&[(i, h), (k, -h)]) - at(&[(i, -h), (k, h)])
                + at(&[(i, -h), (k, -h)]))
                / (4.0 * h * h);
            out[i][k] = v;
            out[k][i] = v;
        }
    }
    out
}

/// The gradient of `f` at `x` by central differences of step `h`.
fn gradient(f: &impl Fn(&[f64]) -> f64, x: &[f64], h: f64) -> Vec<f64> {
    (0..x.len())
        .map(|i| {
            let mut up = x.to_vec();
            let mut down = x.to_vec();
            up[i] += h;
            down[i] -= h;
            (f(&up) - f(&down)) / (2.0 * h)
        })
        .collect()
}

/// The Cholesky factor L (lower) of a symmetric positive definite matrix, or `None`.
fn cholesky(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for k in 0..=i {
            let s: f64 = (0..k).map(|t| l[i][t] * l[k][t]).sum();
            if i == k {
                let v = m[i][i] - s;
                if !(v.is_finite() && v > 0.0) {
                    return None;
                }
                l[i][i] = v.sqrt();
            } else {
                l[i][k] = (m[i][k] - s) / l[k][k];
            }
        }
    }
    Some(l)
}

/// Solves L Lᵀ x = b.
fn cholesky_solve(l: &[Vec<f64>], b: &[f64]) -> Vec<f64> {
    let n = b.len();
    let mut y = vec![0.0; n];
    for i in 0..n {
        y[i] = (b[i] - (0..i).map(|t| l[i][t] * y[t]).sum::<f64>()) / l[i][i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        x[i] = (y[i] - (i + 1..n).map(|t| l[t][i] * x[t]).sum::<f64>()) / l[i][i];
    }
    x
}

/// √diag((−H)⁻¹), or `None` when −H is not positive definite.
fn errors_from(hessian: &[Vec<f64>]) -> Option<Vec<f64>> {
    let info: Vec<Vec<f64>> = hessian
        .iter()
        .map(|row| row.iter().map(|v| -v).collect())
        .collect();
    let l = cholesky(&info)?;
    let n = info.len();
    let out: Vec<f64> = (0..n)
        .map(|i| {
            let mut e = vec![0.0; n];
            e[i] = 1.0;
            cholesky_solve(&l, &e)[i].sqrt()
        })
        .collect();
    out.iter().all(|v| v.is_finite()).then_some(out)
}

/// Maximises `f` from `x0` within `bounds` by damped Newton–Raphson (derivatives by central
/// differences, step 10⁻⁴): each step at most 1 in every coordinate, halved until `f` rises,
/// Levenberg-regularised where the Hessian is not negative definite.
fn maximise(f: impl Fn(&[f64]) -> f64, x0: &[f64], bounds: &[(f64, f64)]) -> Vec<f64> {
    const H: f64 = 1e-4;
    let mut x = x0.to_vec();
    let mut fx = f(&x);
    if !fx.is_finite() {
        return x;
    }
    for _ in 0..50 {
        let g = gradient(&f, &x, H);
        let hs = hessian(&f, &x, H);
        if g.iter().chain(hs.iter().flatten()).any(|v| !v.is_finite()) {
            break;
        }
        let scale = hs
            .iter()
            .enumerate()
            .map(|(i, r)| r[i].abs())
            .fold(1e-8, f64::max);
        let mut lambda = 0.0;
        let step = loop {
            let info: Vec<Vec<f64>> = hs
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    r.iter()
                        .enumerate()
                        .map(|(k, v)| -v + if i == k { lambda } else { 0.0 })
                        .collect()
                })
                .collect();
            if let Some(l) = cholesky(&info) {
                break Some(cholesky_solve(&l, &g));
            }
            lambda = if lambda == 0.0 {
                1e-3 * scale
            } else {
                lambda * 10.0
            };
            if lambda > 1e12 * scale {
                break None;
            }
        };
        let Some(mut step) = step else { break };
        let largest = step.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if largest > 1.0 {
            step.iter_mut().for_each(|v| *v /= largest);
        }
        let mut t = 1.0;
        let mut moved = false;
        for _ in 0..30 {
            let trial: Vec<f64> = x
                .iter()
                .zip(&step)
                .zip(bounds)
                .map(|((x, s), (lo, hi))| (x + t * s).clamp(*lo, *hi))
                .collect();
            let ft = f(&trial);
            if ft.is_finite() && ft >= fx {
                let size = trial
                    .iter()
                    .zip(&x)
                    .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
                x = trial;
                fx = ft;
                moved = size > 1e-9;
                break;
            }
            t /= 2.0;
        }
        if !moved {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::super::simulate_responses::{recovery, simulate, Simulation};
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn simulated(
        model: CalibrationModel,
        persons: usize,
        items: usize,
        m: u8,
        seed: u64,
    ) -> Simulation {
        simulate(
            model,
            persons,
            items,
            m,
            DEFAULT_D,
            &mut ChaCha8Rng::seed_from_u64(seed),
        )
        .unwrap()
    }

    fn matrix(sim: &Simulation, m: u8) -> ResponseMatrix {
        let codes = sim.items.iter().map(|i| i.code.clone()).collect();
        ResponseMatrix::new(codes, sim.rows.clone(), m).unwrap()
    }

    fn settings() -> Settings {
        Settings::default()
    }

    fn problem(
        model: CalibrationModel,
        codes: &[&str],
        rows: Vec<Vec<Option<u8>>>,
        m: u8,
    ) -> Problem {
        let data =
            ResponseMatrix::new(codes.iter().map(|c| (*c).to_owned()).collect(), rows, m).unwrap();
        let s = Settings {
            min_respondents: 2,
            ..settings()
        };
        Problem::new(model, &data, &s).unwrap()
    }

    #[test]
    fn the_marginal_likelihood_of_one_right_and_one_wrong_answer_to_a_centred_item_is_a_quarter() {
        // a = 1, b = 0 on the symmetric grid with symmetric weights: Σ_q w_q P(θ_q) = 1/2 exactly
        // (P(θ) + P(−θ) = 1), so l = 2·log ½ and −2l = 4·log 2 = 2.772589. The right answer's
        // expected count at the points is its posterior, which sums to 1.
        let p = problem(
            CalibrationModel::TwoPl,
            &["X"],
            vec![vec![Some(1)], vec![Some(0)]],
            2,
        );
        let step = p.e_step(&[vec![1.0, 0.0, 0.0]], true);
        assert!(
            (-2.0 * step.log_likelihood - 2.772589).abs() < 1e-6,
            "{}",
            step.log_likelihood
        );
        let q = p.nodes.len();
        let right: f64 = step.counts[q..2 * q].iter().sum();
        assert!((right - 1.0).abs() < 1e-12);
        // The two posteriors mirror each other: the wrong answer's counts are the right
        // answer's read backwards.
        for i in 0..q {
            assert!((step.counts[i] - step.counts[2 * q - 1 - i]).abs() < 1e-12);
        }
    }

    #[test]
    fn the_m_step_finds_the_parameters_that_generated_exact_expected_counts() {
        // With r_1q = n_q·P(θ_q) and r_0q = n_q·(1 − P(θ_q)) the expected complete-data
        // log-likelihood Σ_q n_q [P log P̃ + (1 − P) log(1 − P̃)] is, point by point, a cross-entropy
        // that peaks at P̃ = P: its maximum is the generating (a, b) = (1.3, −0.4).
        let p = problem(
            CalibrationModel::TwoPl,
            &["X"],
            vec![vec![Some(1)], vec![Some(0)]],
            2,
        );
        let q = p.nodes.len();
        let mut counts = vec![0.0; 2 * q];
        let truth = Item {
            a: 1.3,
            b: -0.4,
            c: 0.0,
        };
        for (i, t) in p.nodes.iter().enumerate() {
            let n = 500.0 * p.log_weights[i].exp();
            counts[q + i] = n * truth.p(*t, DEFAULT_D);
            counts[i] = n - counts[q + i];
        }
        let next = p.m_step(&[vec![1.0, 0.0, 0.0]], &counts);
        assert!((next[0][0] - 1.3).abs() < 1e-6, "{:?}", next[0]);
        assert!((next[0][1] + 0.4).abs() < 1e-6, "{:?}", next[0]);
        // The same for a graded item of four categories: a = 0.9, thresholds (−1, 0.2, 1.1).
        let g = problem(
            CalibrationModel::Graded,
            &["L"],
            vec![vec![Some(0)], vec![Some(1)], vec![Some(2)], vec![Some(3)]],
            4,
        );
        let mut counts = vec![0.0; 4 * q];
        let thresholds = [-1.0, 0.2, 1.1];
        for (i, t) in g.nodes.iter().enumerate() {
            let n = 800.0 * g.log_weights[i].exp();
            for k in 0..4 {
                counts[k * q + i] =
                    n * grm::category_probability(0.9, &thresholds, *t, DEFAULT_D, k);
            }
        }
        let next = g.m_step(&[vec![1.0, -0.5, 0.0, 0.5]], &counts);
        let want = [0.9, -1.0, 0.2, 1.1];
        for (got, want) in next[0].iter().zip(want) {
            assert!((got - want).abs() < 1e-6, "{:?}", next[0]);
        }
    }

    #[test]
    fn standard_errors_are_the_root_diagonal_of_the_inverse_information() {
        // −H = [[4, 2], [2, 5]]: det 16, inverse (1/16)·[[5, −2], [−2, 4]],
        // so the errors are √(5/16) = 0.559017 and √(4/16) = 0.5.
        let se = errors_from(&[vec![-4.0, -2.0], vec![-2.0, -5.0]]).unwrap();
        assert!((se[0] - 0.559017).abs() < 1e-6);
        assert!((se[1] - 0.5).abs() < 1e-12);
        // Not negative definite: no errors.
        assert!(errors_from(&[vec![-1.0, -2.0], vec![-2.0, -1.0]]).is_none());
    }

    /// RMSE of a and b, and the mean of the squared standardised errors ((est − true)/se)².
    fn recovered(sim: &Simulation, cal: &Calibration) -> (f64, f64, f64) {
        let truth: Vec<Parameters> = sim.items.iter().map(|i| i.params.clone()).collect();
        let est: Vec<Parameters> = cal.items.iter().map(|i| i.estimate.clone()).collect();
        let r = recovery(&truth, &est).unwrap();
        let mut z2 = Vec::new();
        for (t, i) in truth.iter().zip(&cal.items) {
            if let (
                Parameters::Dichotomous { a: ta, b: tb, .. },
                Parameters::Dichotomous { a, b, .. },
                StandardErrors::Dichotomous { a: sa, b: sb, .. },
            ) = (t, &i.estimate, &i.se)
            {
                z2.push(((a - ta) / sa).powi(2));
                z2.push(((b - tb) / sb).powi(2));
            }
        }
        let mean_z2 = z2.iter().sum::<f64>() / z2.len().max(1) as f64;
        (r.rmse.a, r.rmse.b.unwrap_or(f64::NAN), mean_z2)
    }

    #[test]
    fn a_2pl_calibration_recovers_the_generating_parameters_of_2000_people_and_30_items() {
        // The target: RMSE(b) ≤ 0.10 and RMSE(a) ≤ 0.15.
        let sim = simulated(CalibrationModel::TwoPl, 2000, 30, 2, 20261130);
        let cal = calibrate(CalibrationModel::TwoPl, &matrix(&sim, 2), &settings()).unwrap();
        assert!(cal.convergence.converged, "{:?}", cal.convergence);
        assert_eq!(cal.respondents, 2000);
        let (rmse_a, rmse_b, z2) = recovered(&sim, &cal);
        assert!(rmse_a <= 0.15, "RMSE(a) {rmse_a}");
        assert!(rmse_b <= 0.10, "RMSE(b) {rmse_b}");
        // The standard errors are of the right size: squared standardised errors average about 1.
        assert!((0.5..2.0).contains(&z2), "mean z² {z2}");
        for item in &cal.items {
            assert!(item.fit.df == 8 && item.fit.p.is_some_and(|p| (0.0..=1.0).contains(&p)));
        }
        // Most items fit the model that generated them.
        let misfits = cal
            .items
            .iter()
            .filter(|i| i.fit.p.is_some_and(|p| p < 0.01))
            .count();
        assert!(misfits <= 3, "{misfits} items with p < 0.01");
    }

    #[test]
    fn an_item_whose_curve_falls_at_the_top_stands_out_by_its_fit() {
        // Item I1 is made to fall for the strongest: among people with at least 7 of the other 9
        // right, its right answers turn wrong with probability 0.6 — a curve that rises and
        // then falls, which no logistic curve follows.
        use rand::Rng;
        let mut sim = simulated(CalibrationModel::TwoPl, 2000, 10, 2, 12);
        let mut rng = ChaCha8Rng::seed_from_u64(99);
        for row in &mut sim.rows {
            let rest = row[1..].iter().filter(|v| **v == Some(1)).count();
            if rest >= 7 && row[0] == Some(1) && rng.gen::<f64>() < 0.6 {
                row[0] = Some(0);
            }
        }
        let cal = calibrate(CalibrationModel::TwoPl, &matrix(&sim, 2), &settings()).unwrap();
        let p: Vec<f64> = cal.items.iter().map(|i| i.fit.p.unwrap_or(1.0)).collect();
        assert!(p[0] < 1e-12, "{p:?}");
        // The others are touched too (their θ groups lean on the bad item), but far less.
        assert!(p[1..].iter().all(|q| *q > p[0] * 1e6), "{p:?}");
        assert!(p[1..].iter().filter(|q| **q > 0.01).count() >= 5, "{p:?}");
    }

    #[test]
    fn a_graded_calibration_recovers_five_category_items() {
        let sim = simulated(CalibrationModel::Graded, 1000, 8, 5, 5);
        let cal = calibrate(CalibrationModel::Graded, &matrix(&sim, 5), &settings()).unwrap();
        assert!(cal.convergence.converged, "{:?}", cal.convergence);
        let truth: Vec<Parameters> = sim.items.iter().map(|i| i.params.clone()).collect();
        let est: Vec<Parameters> = cal.items.iter().map(|i| i.estimate.clone()).collect();
        let r = recovery(&truth, &est).unwrap();
        assert!(r.rmse.a <= 0.15, "{r:?}");
        assert!(r.rmse.thresholds.unwrap() <= 0.15, "{r:?}");
        let Parameters::Graded { thresholds, .. } = &cal.items[0].estimate else {
            panic!("graded")
        };
        assert!(thresholds.windows(2).all(|w| w[0] < w[1]));
        let StandardErrors::Graded { thresholds: se, .. } = &cal.items[0].se else {
            panic!("graded")
        };
        assert_eq!(se.len(), 4);
        assert!(se.iter().all(|s| *s > 0.0 && *s < 0.5), "{se:?}");
        assert_eq!(cal.items[0].fit.df, 10 * 4 - 5);
    }

    #[test]
    fn a_1pl_calibration_recovers_the_common_discrimination_and_the_difficulties() {
        let sim = simulated(CalibrationModel::OnePl, 1000, 12, 2, 9);
        let cal = calibrate(CalibrationModel::OnePl, &matrix(&sim, 2), &settings()).unwrap();
        assert!(cal.convergence.converged, "{:?}", cal.convergence);
        let (rmse_a, rmse_b, _) = recovered(&sim, &cal);
        assert!(rmse_a <= 0.08, "{rmse_a}");
        assert!(rmse_b <= 0.12, "{rmse_b}");
        let a: Vec<f64> = cal
            .items
            .iter()
            .map(|i| match i.estimate {
                Parameters::Dichotomous { a, .. } => a,
                Parameters::Graded { a, .. } => a,
            })
            .collect();
        assert!(a.iter().all(|x| *x == a[0]), "one a for all: {a:?}");
        assert_eq!(cal.items[0].fit.df, 9);
    }

    #[test]
    fn a_3pl_calibration_recovers_the_parameters_roughly_with_the_prior_on_c() {
        let sim = simulated(CalibrationModel::ThreePl, 2000, 12, 2, 4);
        let cal = calibrate(CalibrationModel::ThreePl, &matrix(&sim, 2), &settings()).unwrap();
        assert!(cal.convergence.converged, "{:?}", cal.convergence);
        let truth: Vec<Parameters> = sim.items.iter().map(|i| i.params.clone()).collect();
        let est: Vec<Parameters> = cal.items.iter().map(|i| i.estimate.clone()).collect();
        let r = recovery(&truth, &est).unwrap();
        assert!(r.rmse.b.unwrap() <= 0.25, "{r:?}");
        assert!(r.rmse.a <= 0.35, "{r:?}");
        assert!(r.rmse.c.unwrap() <= 0.08, "{r:?}");
        assert!(cal
            .items
            .iter()
            .all(|i| matches!(i.se, StandardErrors::Dichotomous { c: Some(s), .. } if s > 0.0)));
    }

    #[test]
    fn a_calibration_is_deterministic() {
        let sim = simulated(CalibrationModel::TwoPl, 300, 5, 2, 1);
        let s = settings();
        assert_eq!(
            calibrate(CalibrationModel::TwoPl, &matrix(&sim, 2), &s),
            calibrate(CalibrationModel::TwoPl, &matrix(&sim, 2), &s)
        );
    }

    #[test]
    fn missing_answers_are_left_out_and_people_with_none_are_not_counted() {
        let mut sim = simulated(CalibrationModel::TwoPl, 400, 6, 2, 2);
        for (i, row) in sim.rows.iter_mut().enumerate() {
            row[i % 6] = None;
        }
        sim.rows.push(vec![None; 6]);
        let cal = calibrate(CalibrationModel::TwoPl, &matrix(&sim, 2), &settings()).unwrap();
        assert_eq!(cal.respondents, 400);
        assert!(cal.convergence.converged);
    }

    fn refused(
        model: CalibrationModel,
        rows: Vec<Vec<Option<u8>>>,
        m: u8,
        min: usize,
    ) -> CalibrationError {
        let data = ResponseMatrix::new(vec!["A".into(), "B".into()], rows, m).unwrap();
        let s = Settings {
            min_respondents: min,
            ..settings()
        };
        calibrate(model, &data, &s).unwrap_err()
    }

    #[test]
    fn bad_data_gets_an_error_with_its_code_naming_the_item() {
        let mixed = |n: usize| -> Vec<Vec<Option<u8>>> {
            (0..n)
                .map(|i| vec![Some((i % 2) as u8), Some(((i / 2) % 2) as u8)])
                .collect()
        };
        let e = refused(CalibrationModel::TwoPl, mixed(99), 2, 100);
        assert_eq!(e.code(), "too_few_respondents");
        assert!(e.message().contains("99 people"), "{e}");
        let mut rows = mixed(20);
        for r in rows.iter_mut().skip(1) {
            r[1] = None;
        }
        let e = refused(CalibrationModel::TwoPl, rows, 2, 10);
        assert_eq!(e.code(), "too_few_respondents");
        assert!(e.message().contains("item B"), "{e}");
        let mut rows = mixed(20);
        for r in &mut rows {
            r[1] = Some(1);
        }
        let e = refused(CalibrationModel::TwoPl, rows, 2, 10);
        assert_eq!(e.code(), "no_variance");
        assert!(
            e.message()
                .contains("item B: everyone who answered it answered it right"),
            "{e}"
        );
        let likert: Vec<Vec<Option<u8>>> = (0..20)
            .map(|i| vec![Some((i % 3) as u8 * 2), Some(2)])
            .collect();
        let e = refused(CalibrationModel::Graded, likert.clone(), 5, 10);
        assert_eq!(e.code(), "empty_category");
        assert!(
            e.message()
                .contains("item A: nobody chose category 2 of 1 to 5"),
            "{e}"
        );
        let mut one = likert;
        for r in &mut one {
            r[0] = Some((r[0].unwrap_or(0) / 2) % 5);
        }
        let e = refused(CalibrationModel::Graded, one, 3, 10);
        assert_eq!(e.code(), "no_variance");
        assert!(
            e.message()
                .contains("item B: everyone who answered it chose category 3"),
            "{e}"
        );
        let e = refused(CalibrationModel::TwoPl, mixed(20), 3, 10);
        assert_eq!(e.code(), "invalid_responses");
        let e = ResponseMatrix::new(vec!["A".into()], vec![vec![Some(0), Some(1)]], 2).unwrap_err();
        assert_eq!(e.code(), "invalid_responses");
        let e = ResponseMatrix::new(vec!["A".into()], vec![vec![Some(2)]], 2).unwrap_err();
        assert!(e.message().contains("row 1, item A: 2"), "{e}");
        let data = ResponseMatrix::new(vec!["A".into(), "B".into()], mixed(20), 2).unwrap();
        for bad in [
            Settings {
                tolerance: 0.0,
                ..settings()
            },
            Settings {
                max_iterations: 0,
                ..settings()
            },
            Settings {
                d: f64::NAN,
                ..settings()
            },
        ] {
            assert_eq!(
                calibrate(CalibrationModel::TwoPl, &data, &bad)
                    .unwrap_err()
                    .code(),
                "invalid_input"
            );
        }
    }

    #[test]
    fn a_calibration_stopped_early_says_it_did_not_converge() {
        let sim = simulated(CalibrationModel::TwoPl, 300, 5, 2, 3);
        let s = Settings {
            max_iterations: 2,
            ..settings()
        };
        let cal = calibrate(CalibrationModel::TwoPl, &matrix(&sim, 2), &s).unwrap();
        assert_eq!(cal.convergence.iterations, 2);
        assert!(!cal.convergence.converged);
        assert!(cal.convergence.max_change > s.tolerance);
    }
}

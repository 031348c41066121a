//! Simulation of an adaptive test, to design and check one (catR's `simulateRespondents` in
//! spirit): N simulees with true θ drawn from N(0, 1), each answering item i right with
//! probability P_i(θ) (a uniform draw U < P), through [`next`](super::select::next) until it
//! stops; then the figures of [`Simulation`].
//!
//! Draw order, from the one generator passed in: per simulee, θ; then per step, the step's own
//! draws (randomesque, Sympson–Hetter) and the answer.
use rand::RngCore;
use serde::Serialize;

use super::config::CatConfig;
use super::pool::Pool;
use super::select::{step, Decision, Given, History, StopReason};
use super::CatError;
use crate::domain::irt::draw;

/// The figures of a simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    /// Number of simulees N.
    pub simulees: usize,
    /// √(mean (θ̂ − θ)²).
    pub rmse: f64,
    /// mean (θ̂ − θ).
    pub bias: f64,
    /// Mean of the final SEs.
    pub mean_se: f64,
    /// Mean test length L̄.
    pub mean_length: f64,
    /// Shortest test.
    pub min_length: usize,
    /// Longest test.
    pub max_length: usize,
    /// Why the tests stopped: counts.
    pub stop_reasons: StopCounts,
    /// RMSE and bias conditional on the true θ, by band.
    pub by_theta: Vec<ThetaBand>,
    /// The largest item exposure rate (share of simulees given the item).
    pub max_exposure: f64,
    /// The mean item exposure rate over the pool (= L̄ / pool size).
    pub mean_exposure: f64,
    /// Test overlap rate: the mean number of items two simulees share, over all N(N − 1)/2
    /// pairs, divided by L̄. Computed exactly from the item counts m_i (Σ over pairs of the
    /// items shared = Σ_i m_i(m_i − 1)/2): T = Σ_i m_i(m_i − 1) / (N(N − 1)·L̄). For a fixed
    /// length it is the mean proportion of items two examinees share; for large N it equals
    /// (n/L̄)·S²_r + L̄/n (Chen, Ankenmann & Spray 2003), S²_r the variance of the n items'
    /// exposure rates.
    pub overlap_rate: f64,
    /// Items no simulee was given.
    pub items_never_used: usize,
    /// Pool size n.
    pub pool_size: usize,
    /// Exposure rate per item, in pool order (not printed).
    #[serde(skip)]
    pub exposure: Vec<f64>,
    /// Selection rate per item (chosen for the Sympson–Hetter lottery, given or passed over),
    /// in pool order (not printed).
    #[serde(skip)]
    pub selection: Vec<f64>,
}

/// How many tests stopped for each reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StopCounts {
    /// SE at or below the target.
    pub se_reached: usize,
    /// Maximum length.
    pub max_items: usize,
    /// Pool exhausted.
    pub pool_exhausted: usize,
}

/// Figures for the simulees whose true θ lies in one band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThetaBand {
    /// The band, e.g. `"-1..0"` (θ in (−1, 0]), `"<=-2"`, `">2"`.
    pub band: String,
    /// Simulees in it.
    pub n: usize,
    /// RMSE within it (null when empty).
    pub rmse: Option<f64>,
    /// Bias within it (null when empty).
    pub bias: Option<f64>,
    /// Mean test length within it (null when empty).
    pub mean_length: Option<f64>,
}

/// One simulee's outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Record {
    theta: f64,
    estimate: f64,
    se: f64,
    length: usize,
    reason: StopReason,
}

/// Simulates `simulees` (at least 2) through the adaptive test of `config` over `pool`.
pub fn simulate<R: RngCore + ?Sized>(
    pool: &Pool,
    config: &CatConfig,
    simulees: usize,
    rng: &mut R,
) -> Result<Simulation, CatError> {
    config.validate(pool)?;
    if !(2..=10_000_000).contains(&simulees) {
        return Err(CatError::invalid_simulation(
            "a simulation needs 2 to 10000000 simulees",
        ));
    }
    let mut records = Vec::with_capacity(simulees);
    let mut given = vec![0usize; pool.len()];
    let mut selected = vec![0usize; pool.len()];
    for _ in 0..simulees {
        let theta = draw::normal(rng);
        let mut h = History::default();
        loop {
            match step(pool, &h, config, rng)? {
                Decision::Next { item, passed, .. } => {
                    for &p in &passed {
                        selected[p] += 1;
                    }
                    selected[item] += 1;
                    given[item] += 1;
                    h.passed.extend(passed);
                    let p = pool.items()[item].item.p(theta, pool.d());
                    let correct = draw::uniform(rng) < p;
                    h.given.push(Given { item, correct });
                }
                Decision::Stop {
                    reason,
                    theta: estimate,
                    se,
                } => {
                    records.push(Record {
                        theta,
                        estimate,
                        se,
                        length: h.given.len(),
                        reason,
                    });
                    break;
                }
            }
        }
    }
    let mut out = summarise(&records, &given);
    out.selection = selected
        .iter()
        .map(|&s| s as f64 / simulees as f64)
        .collect();
    Ok(out)
}

/// The band edges of [`Simulation::by_theta`].
const BANDS: [(&str, f64, f64); 6] = [
    ("<=-2", f64::NEG_INFINITY, -2.0),
    ("-2..-1", -2.0, -1.0),
    ("-1..0", -1.0, 0.0),
    ("0..1", 0.0, 1.0),
    ("1..2", 1.0, 2.0),
    (">2", 2.0, f64::INFINITY),
];

/// The figures from the records (at least 2) and the number of simulees given each item.
fn summarise(records: &[Record], given: &[usize]) -> Simulation {
    let n = records.len() as f64;
    let mean = |f: &dyn Fn(&Record) -> f64| records.iter().map(f).sum::<f64>() / n;
    let mean_length = mean(&|r| r.length as f64);
    let by_theta = BANDS
        .iter()
        .map(|&(band, low, high)| {
            let inside: Vec<&Record> = records
                .iter()
                .filter(|r| r.theta > low && r.theta <= high)
                .collect();
            let k = inside.len() as f64;
            let of = |f: &dyn Fn(&Record) -> f64| {
                (!inside.is_empty()).then(|| inside.iter().map(|r| f(r)).sum::<f64>() / k)
            };
            ThetaBand {
                band: band.to_owned(),
                n: inside.len(),
                rmse: of(&|r| (r.estimate - r.theta).powi(2)).map(f64::sqrt),
                bias: of(&|r| r.estimate - r.theta),
                mean_length: of(&|r| r.length as f64),
            }
        })
        .collect();
    let exposure: Vec<f64> = given.iter().map(|&m| m as f64 / n).collect();
    let pairs: f64 = given.iter().map(|&m| m as f64 * (m as f64 - 1.0)).sum();
    let mut stop_reasons = StopCounts::default();
    for r in records {
        match r.reason {
            StopReason::SeReached => stop_reasons.se_reached += 1,
            StopReason::MaxItems => stop_reasons.max_items += 1,
            StopReason::PoolExhausted | StopReason::TimeLimit | StopReason::Ended => {
                stop_reasons.pool_exhausted += 1
            }
        }
    }
    Simulation {
        simulees: records.len(),
        rmse: mean(&|r| (r.estimate - r.theta).powi(2)).sqrt(),
        bias: mean(&|r| r.estimate - r.theta),
        mean_se: mean(&|r| r.se),
        mean_length,
        min_length: records.iter().map(|r| r.length).min().unwrap_or(0),
        max_length: records.iter().map(|r| r.length).max().unwrap_or(0),
        stop_reasons,
        by_theta,
        max_exposure: exposure.iter().copied().fold(0.0, f64::max),
        mean_exposure: exposure.iter().sum::<f64>() / exposure.len().max(1) as f64,
        overlap_rate: if mean_length > 0.0 {
            pairs / (n * (n - 1.0) * mean_length)
        } else {
            0.0
        },
        items_never_used: given.iter().filter(|&&m| m == 0).count(),
        pool_size: given.len(),
        exposure,
        selection: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::irt::cat::config::Exposure;
    use crate::domain::irt::cat::pool::{generate_pool, PoolSpec};
    use crate::domain::irt::{Model, DEFAULT_D};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn record(theta: f64, estimate: f64, length: usize) -> Record {
        Record {
            theta,
            estimate,
            se: 0.3,
            length,
            reason: StopReason::MaxItems,
        }
    }

    #[test]
    fn the_figures_follow_their_definitions_on_a_worked_case() {
        // Three simulees given {0, 1}, {0, 2}, {0, 1} from a pool of 4: m = (3, 2, 1, 0).
        // Errors 0.5, −0.5, 0.5: bias 0.5/3 = 0.166667, RMSE √(0.75/3) = 0.5.
        // Exposure (1, ⅔, ⅓, 0): max 1, mean 0.5 = L̄/n = 2/4, one item never used.
        // Overlap: pairs share 1, 2 and 1 items, mean 4/3, over L̄ = 2: ⅔; by the formula
        // Σ m(m − 1) = 6 + 2 = 8, over N(N − 1)·L̄ = 6 · 2 = 12: ⅔.
        let s = summarise(
            &[
                record(0.0, 0.5, 2),
                record(1.0, 0.5, 2),
                record(-2.5, -2.0, 2),
            ],
            &[3, 2, 1, 0],
        );
        assert!((s.bias - 0.166667).abs() < 1e-6);
        assert!((s.rmse - 0.5).abs() < 1e-12);
        assert_eq!(s.max_exposure, 1.0);
        assert!((s.mean_exposure - 0.5).abs() < 1e-12);
        assert_eq!(s.items_never_used, 1);
        assert!((s.overlap_rate - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.stop_reasons.max_items, 3);
        let band = |name: &str| s.by_theta.iter().find(|b| b.band == name).unwrap().clone();
        assert_eq!(band("<=-2").n, 1);
        assert_eq!(band("<=-2").rmse, Some(0.5));
        assert_eq!(band("-1..0").n, 1); // θ = 0 lies in (−1, 0]
        assert_eq!(band("0..1").bias, Some(-0.5));
        assert_eq!(band(">2").n, 0);
        assert_eq!(band(">2").rmse, None);
    }

    fn pool(items: usize) -> Pool {
        generate_pool(
            &PoolSpec {
                items,
                model: Model::TwoPl,
                d: DEFAULT_D,
                tags: vec![],
            },
            &mut ChaCha8Rng::seed_from_u64(11),
        )
        .unwrap()
    }

    #[test]
    fn a_simulation_is_reproducible_and_its_figures_are_sane() {
        let p = pool(100);
        let config = CatConfig {
            exposure: Exposure::Randomesque { k: 3 },
            min_items: 5,
            max_items: 15,
            ..CatConfig::default()
        };
        let one = simulate(&p, &config, 200, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
        let two = simulate(&p, &config, 200, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
        assert_eq!(one, two);
        assert!(one.min_length >= 5 && one.max_length <= 15);
        assert!((5.0..=15.0).contains(&one.mean_length));
        assert!(one.rmse > 0.1 && one.rmse < 0.5, "{}", one.rmse);
        assert!(one.max_exposure <= 1.0 && one.max_exposure > one.mean_exposure);
        assert!((one.mean_exposure - one.mean_length / 100.0).abs() < 1e-12);
        assert_eq!(one.by_theta.iter().map(|b| b.n).sum::<usize>(), 200);
        assert_eq!(
            one.stop_reasons.se_reached + one.stop_reasons.max_items,
            200
        );
        // Overlap by the large-N formula (n/L̄)·S²_r + L̄/n, within 1/(N − 1) of the exact one: their difference is (A − 1)/(N − 1) with 0 < A ≤ 1.
        let n = 100.0;
        let mean_r = one.mean_exposure;
        let var = one
            .exposure
            .iter()
            .map(|r| (r - mean_r).powi(2))
            .sum::<f64>()
            / n;
        let approx = n / one.mean_length * var + one.mean_length / n;
        assert!((one.overlap_rate - approx).abs() <= 1.0 / 199.0, "{approx}");
    }

    #[test]
    fn a_simulation_needs_two_simulees() {
        let err = simulate(
            &pool(30),
            &CatConfig::default(),
            1,
            &mut ChaCha8Rng::seed_from_u64(1),
        )
        .unwrap_err();
        assert_eq!(err.code(), "invalid_simulation");
    }
}

//! Sympson–Hetter exposure parameters by iterative simulation (Sympson & Hetter 1985; as
//! described by Stocking & Lewis 1998): with every K_i = 1 to begin with, each round simulates
//! the test with the current K, measures each item's selection rate P(S_i) (the share of
//! simulees for whom it was chosen for the lottery, whether then given or passed over), and sets
//! K_i = r / P(S_i) where P(S_i) > r, else K_i = 1. An item's exposure rate is then
//! P(A_i) = K_i·P(S_i) ≤ r, up to the change in P(S) that the new K cause, which the next round
//! corrects.
use rand::RngCore;
use serde::Serialize;

use super::config::{CatConfig, Exposure};
use super::pool::Pool;
use super::simulate::simulate;
use super::CatError;

/// The outcome of [`derive_sympson_hetter`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShDerivation {
    /// K_i per item, in pool order.
    #[serde(skip)]
    pub k: Vec<f64>,
    /// The target exposure rate r.
    pub rate: f64,
    /// Simulees per round.
    pub simulees: usize,
    /// The largest exposure rate seen in each round (with that round's K).
    pub max_exposure_by_round: Vec<f64>,
    /// Items whose K_i ended below 1.
    pub items_limited: usize,
}

/// Derives K_i for every item of `pool` for the test of `config` (run with Sympson–Hetter
/// whatever its `exposure`) and target rate `rate` (above 0, at most 1), over `rounds` rounds
/// (1–1000) of `simulees` simulees each, from `rng`.
pub fn derive_sympson_hetter<R: RngCore + ?Sized>(
    pool: &Pool,
    config: &CatConfig,
    rate: f64,
    rounds: usize,
    simulees: usize,
    rng: &mut R,
) -> Result<ShDerivation, CatError> {
    if !(rate.is_finite() && rate > 0.0 && rate <= 1.0) {
        return Err(CatError::invalid_simulation(format!(
            "the target exposure rate must be above 0 and at most 1, not {rate}"
        )));
    }
    if !(1..=1000).contains(&rounds) {
        return Err(CatError::invalid_simulation(
            "Sympson–Hetter needs 1 to 1000 rounds",
        ));
    }
    let config = CatConfig {
        exposure: Exposure::SympsonHetter,
        ..config.clone()
    };
    let mut k = vec![1.0; pool.len()];
    let mut max_exposure_by_round = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let sim = simulate(&pool.with_sh_k(&k)?, &config, simulees, rng)?;
        max_exposure_by_round.push(sim.max_exposure);
        k = sim
            .selection
            .iter()
            .map(|&s| if s > rate { rate / s } else { 1.0 })
            .collect();
    }
    Ok(ShDerivation {
        items_limited: k.iter().filter(|&&k| k < 1.0).count(),
        k,
        rate,
        simulees,
        max_exposure_by_round,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::irt::cat::pool::{generate_pool, PoolSpec};
    use crate::domain::irt::{Model, DEFAULT_D};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_derived_parameters_bring_the_exposure_down_towards_the_target() {
        let pool = generate_pool(
            &PoolSpec {
                items: 120,
                model: Model::TwoPl,
                d: DEFAULT_D,
                tags: vec![],
            },
            &mut ChaCha8Rng::seed_from_u64(4),
        )
        .unwrap();
        let config = CatConfig {
            max_items: 10,
            ..CatConfig::default()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let free = simulate(&pool, &config, 400, &mut rng).unwrap();
        let sh = derive_sympson_hetter(&pool, &config, 0.3, 20, 400, &mut rng).unwrap();
        assert_eq!(sh.k.len(), 120);
        assert!(sh.k.iter().all(|k| (0.0..=1.0).contains(k)));
        assert!(sh.items_limited > 0);
        // Without exposure control the best items go to nearly everyone.
        assert!(free.max_exposure > 0.8, "{}", free.max_exposure);
        assert!((sh.max_exposure_by_round[0] - free.max_exposure).abs() < 0.1);
        let limited = simulate(
            &pool.with_sh_k(&sh.k).unwrap(),
            &CatConfig {
                exposure: Exposure::SympsonHetter,
                ..config
            },
            400,
            &mut rng,
        )
        .unwrap();
        // Binomial noise at 400 simulees: sd √(0.3 · 0.7 / 400) = 0.023.
        assert!(
            limited.max_exposure < 0.38,
            "{} {:?}",
            limited.max_exposure,
            sh.max_exposure_by_round
        );
    }

    #[test]
    fn a_target_rate_out_of_range_is_refused() {
        let pool = generate_pool(
            &PoolSpec {
                items: 30,
                model: Model::TwoPl,
                d: DEFAULT_D,
                tags: vec![],
            },
            &mut ChaCha8Rng::seed_from_u64(4),
        )
        .unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for (rate, rounds) in [(0.0, 3), (1.5, 3), (f64::NAN, 3), (0.25, 0)] {
            let err =
                derive_sympson_hetter(&pool, &CatConfig::default(), rate, rounds, 10, &mut rng)
                    .unwrap_err();
            assert_eq!(err.code(), "invalid_simulation");
        }
    }
}

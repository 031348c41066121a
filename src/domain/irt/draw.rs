//! The random draws of the IRT simulations and the CAT engine, written out from raw 64-bit words so that a seed gives the
//! same draws in every future version of the program (no dependence on `rand`'s sampling
//! algorithms, as in `domain::delivery`).
use rand::RngCore;

/// A uniform number in [0, 1): the top 53 bits of one word, times 2⁻⁵³.
pub(super) fn uniform<R: RngCore + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform index in 0..n (n ≥ 1), by the floor of n·U; the bias of at most n·2⁻⁵³ is
/// immaterial for the pool sizes here.
pub(super) fn index<R: RngCore + ?Sized>(rng: &mut R, n: usize) -> usize {
    ((uniform(rng) * n as f64) as usize).min(n.saturating_sub(1))
}

/// A standard normal draw by the Box–Muller transform: z = √(−2 ln(1 − U₁)) · cos(2πU₂)
/// (1 − U₁ lies in (0, 1], so the logarithm is finite).
pub(super) fn normal<R: RngCore + ?Sized>(rng: &mut R) -> f64 {
    let u1 = uniform(rng);
    let u2 = uniform(rng);
    (-2.0 * (1.0 - u1).ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn normal_draws_have_mean_near_zero_and_sd_near_one() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let n = 20_000;
        let z: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
        let mean = z.iter().sum::<f64>() / n as f64;
        let var = z.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        // Standard errors: 1/√20000 = 0.0071 for the mean, √(2/20000) = 0.01 for the variance.
        assert!(mean.abs() < 0.03, "{mean}");
        assert!((var - 1.0).abs() < 0.04, "{var}");
    }

    #[test]
    fn an_index_stays_below_its_bound_and_reaches_every_value() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut seen = [0usize; 5];
        for _ in 0..1000 {
            seen[index(&mut rng, 5)] += 1;
        }
        assert!(seen.iter().all(|&n| n > 150), "{seen:?}");
    }
}

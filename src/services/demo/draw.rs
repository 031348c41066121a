//! The one source of chance of the demo's synthetic people, records and answers: ChaCha8 keyed
//! by SHA-256 of a seed and a purpose (`person:7`, `answers:7:NUM-SERIES`), so every draw is a
//! pure function of the seed and what it is for. Adding a person, an instrument or a draw to one
//! purpose never moves what another purpose draws, and the same seed gives the same demo on every
//! machine and in every later build (no dependence on `rand`'s `StdRng` or its sampling
//! algorithms: the numbers below are made from raw 64-bit outputs).
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

/// The seed of the demo every first start gets.
pub const DEMO_SEED: u64 = 2017_0038;

/// Domain separation of the digests here; changing it changes every synthetic person.
const DOMAIN: &[u8] = b"meritest.demo.synthetic.v1";

/// A stream of draws for one purpose.
pub struct Draw(ChaCha8Rng);

impl Draw {
    /// The stream of `purpose` under `seed`.
    pub fn new(seed: u64, purpose: &str) -> Self {
        let mut h = Sha256::new();
        h.update(DOMAIN);
        h.update(seed.to_be_bytes());
        h.update(purpose.as_bytes());
        Self(ChaCha8Rng::from_seed(h.finalize().into()))
    }

    /// Uniform on [0, 1), from the top 53 bits of one output.
    pub fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// 64 random bits.
    pub fn word(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform on 0..n (`n` > 0; the modulo bias is below 2⁻⁵⁰ for the small `n` used here).
    pub fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n.max(1) as u64) as usize
    }

    /// Standard normal, by the Box–Muller transform: z = √(−2 ln u₁) · cos(2π u₂), u₁ ∈ (0, 1].
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// One of `choices`, each as likely as its weight (weights > 0 in total).
    pub fn weighted<'a, T>(&mut self, choices: &'a [(T, u32)]) -> &'a T {
        let total: u32 = choices.iter().map(|(_, w)| w).sum();
        let mut at = self.below(total as usize) as u32;
        for (c, w) in choices {
            if at < *w {
                return c;
            }
            at -= w;
        }
        &choices[choices.len() - 1].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_seed_and_purpose_give_the_same_stream_and_another_purpose_another() {
        let a: Vec<u64> = (0..5)
            .map(|_| Draw::new(1, "person:1").0.next_u64())
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut x = Draw::new(1, "person:1");
        let mut y = Draw::new(1, "person:2");
        let mut z = Draw::new(2, "person:1");
        let (x, y, z) = (x.unit(), y.unit(), z.unit());
        assert_ne!(x, y);
        assert_ne!(x, z);
    }

    #[test]
    fn draws_have_the_moments_of_their_distributions() {
        let mut d = Draw::new(DEMO_SEED, "moments");
        let n = 20_000;
        let normals: Vec<f64> = (0..n).map(|_| d.normal()).collect();
        let mean = normals.iter().sum::<f64>() / n as f64;
        let var = normals.iter().map(|z| (z - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
        let units: Vec<f64> = (0..n).map(|_| d.unit()).collect();
        assert!(units.iter().all(|u| (0.0..1.0).contains(u)));
        let below: Vec<usize> = (0..n).map(|_| d.below(4)).collect();
        for k in 0..4 {
            let share = below.iter().filter(|b| **b == k).count() as f64 / n as f64;
            assert!((share - 0.25).abs() < 0.02, "{k}: {share}");
        }
        let picks: Vec<char> = (0..n).map(|_| *d.weighted(&[('a', 3), ('b', 1)])).collect();
        let a = picks.iter().filter(|c| **c == 'a').count() as f64 / n as f64;
        assert!((a - 0.75).abs() < 0.02, "{a}");
    }
}

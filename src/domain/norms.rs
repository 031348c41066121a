//! Norm tables and the conversions of a raw score into norm-referenced scores.
//!
//! Definitions (domain notes, "Scores and norms"):
//! - percentile rank in a sample: PR = 100 · (below + ½ · equal) / N
//! - linear z = (x − mean) / sd; normalised z = Φ⁻¹(PR / 100)
//! - T = 50 + 10z; IQ scale = 100 + 15z; scaled score = 10 + 3z
//! - stanine = clamp(round(2z + 5), 1, 9); sten = clamp(round(2z + 5.5), 1, 10)
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::{is_code, text::Text};

/// One row of a raw → percentile-rank table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormRow {
    /// Raw score.
    pub raw: f64,
    /// Percentile rank of that raw score, 0…100.
    pub pr: f64,
}

/// A norm table as exchanged: one scale, one norm group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormTableDoc {
    /// Code of the scale.
    pub scale: String,
    /// Norm-group code (e.g. `umum`, `s1-pelaksana`).
    pub group: String,
    /// Human label of the group.
    pub name: Text,
    /// An example table, not empirical norms.
    #[serde(default)]
    pub illustrative: bool,
    /// How the table was built.
    pub method: String,
    /// Size of the norm sample.
    pub n: u32,
    /// Raw-score mean of the sample.
    pub mean: f64,
    /// Raw-score standard deviation of the sample.
    pub sd: f64,
    /// When the data were collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected: Option<String>,
    /// Raw → percentile rank.
    pub table: Vec<NormRow>,
}

impl NormTableDoc {
    /// Problems with this table as (field, message) pairs relative to the table.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if !is_code(&self.group, 64, |b| {
            b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
        }) {
            out.push((
                "group".into(),
                format!(
                    "'{}' is not a valid group code (1–64 of A–Z a–z 0–9 _ -)",
                    self.group
                ),
            ));
        }
        for p in self.name.problems() {
            out.push(("name".into(), p.into()));
        }
        if self.method.trim().is_empty() {
            out.push(("method".into(), "say how the table was built".into()));
        }
        if self.n == 0 {
            out.push((
                "n".into(),
                "the norm sample must have at least one person".into(),
            ));
        }
        if !self.mean.is_finite() {
            out.push(("mean".into(), "must be a finite number".into()));
        }
        if !self.sd.is_finite() || self.sd <= 0.0 {
            out.push(("sd".into(), "must be a number greater than 0".into()));
        }
        if self.table.is_empty() {
            out.push(("table".into(), "needs at least one row".into()));
        }
        for (i, r) in self.table.iter().enumerate() {
            if !r.raw.is_finite() || !r.pr.is_finite() || !(0.0..=100.0).contains(&r.pr) {
                out.push((
                    format!("table[{i}]"),
                    "raw must be finite and pr within 0…100".into(),
                ));
            } else if i > 0 {
                let prev = self.table[i - 1];
                if r.raw <= prev.raw {
                    out.push((
                        format!("table[{i}].raw"),
                        "raw scores must increase strictly".into(),
                    ));
                }
                if r.pr < prev.pr {
                    out.push((
                        format!("table[{i}].pr"),
                        "percentile ranks must not decrease".into(),
                    ));
                }
            }
        }
        out
    }
}

/// Percentile rank of `raw` in a validated table: the rank of the highest row at or below it; a raw
/// score below the first row takes the first row's rank.
pub fn percentile_rank(table: &[NormRow], raw: f64) -> Option<f64> {
    let first = table.first()?;
    Some(
        table
            .iter()
            .take_while(|r| r.raw <= raw)
            .last()
            .unwrap_or(first)
            .pr,
    )
}

/// Percentile rank of `x` within a sample: PR = 100 · (below + ½ · equal) / N.
pub fn sample_percentile_rank(sample: &[f64], x: f64) -> Option<f64> {
    if sample.is_empty() {
        return None;
    }
    let below = sample.iter().filter(|v| **v < x).count() as f64;
    let equal = sample.iter().filter(|v| **v == x).count() as f64;
    Some(100.0 * (below + 0.5 * equal) / sample.len() as f64)
}

/// Linear z = (x − mean) / sd.
pub fn linear_z(raw: f64, mean: f64, sd: f64) -> f64 {
    (raw - mean) / sd
}

/// Normalised z = Φ⁻¹(PR / 100). PR is kept within 0.1…99.9 so the extremes stay finite.
pub fn normalised_z(pr: f64) -> f64 {
    let p = (pr / 100.0).clamp(0.001, 0.999);
    // The standard normal is valid by construction (mean 0, sd 1).
    Normal::standard().inverse_cdf(p)
}

/// T = 50 + 10z.
pub fn t_score(z: f64) -> f64 {
    50.0 + 10.0 * z
}

/// IQ scale = 100 + 15z.
pub fn iq_score(z: f64) -> f64 {
    100.0 + 15.0 * z
}

/// Scaled score = 10 + 3z.
pub fn scaled_score(z: f64) -> f64 {
    10.0 + 3.0 * z
}

/// Stanine = clamp(round(2z + 5), 1, 9).
pub fn stanine(z: f64) -> u8 {
    (2.0 * z + 5.0).round().clamp(1.0, 9.0) as u8
}

/// Sten = clamp(round(2z + 5.5), 1, 10).
pub fn sten(z: f64) -> u8 {
    (2.0 * z + 5.5).round().clamp(1.0, 10.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn sample_percentile_rank_counts_half_of_the_ties() {
        // Sample 1, 2, 2, 3, 4 and x = 2: one below, two equal → 100·(1 + 1)/5 = 40.
        assert_eq!(
            sample_percentile_rank(&[1.0, 2.0, 2.0, 3.0, 4.0], 2.0),
            Some(40.0)
        );
        // x = 5 is above all five: 100·5/5 = 100.
        assert_eq!(
            sample_percentile_rank(&[1.0, 2.0, 2.0, 3.0, 4.0], 5.0),
            Some(100.0)
        );
        assert_eq!(sample_percentile_rank(&[], 1.0), None);
    }

    #[test]
    fn one_sd_above_the_mean_converts_to_the_textbook_scores() {
        // raw 30, mean 25, sd 5 → z = 1 → T 60, IQ 115, scaled 13, stanine 7, sten 7.5 → 8.
        let z = linear_z(30.0, 25.0, 5.0);
        assert_eq!(z, 1.0);
        assert_eq!(t_score(z), 60.0);
        assert_eq!(iq_score(z), 115.0);
        assert_eq!(scaled_score(z), 13.0);
        assert_eq!(stanine(z), 7);
        assert_eq!(sten(z), 8);
    }

    #[test]
    fn stanine_and_sten_are_clamped_at_the_ends() {
        assert_eq!(stanine(3.0), 9);
        assert_eq!(stanine(-3.0), 1);
        assert_eq!(sten(3.0), 10);
        assert_eq!(sten(-3.0), 1);
        assert_eq!(stanine(0.0), 5);
        assert_eq!(sten(0.0), 6); // 5.5 rounds half away from zero
    }

    #[test]
    fn normalised_z_inverts_the_normal_curve() {
        assert!(close(normalised_z(50.0), 0.0, 1e-9));
        assert!(close(normalised_z(84.134_474_6), 1.0, 1e-6));
        assert!(close(normalised_z(2.275_013_2), -2.0, 1e-6));
        assert!(normalised_z(0.0).is_finite());
        assert!(normalised_z(100.0).is_finite());
    }

    #[test]
    fn a_table_look_up_takes_the_highest_row_at_or_below() {
        let t = [
            NormRow { raw: 10.0, pr: 5.0 },
            NormRow {
                raw: 12.0,
                pr: 30.0,
            },
            NormRow {
                raw: 15.0,
                pr: 70.0,
            },
        ];
        assert_eq!(percentile_rank(&t, 12.0), Some(30.0));
        assert_eq!(percentile_rank(&t, 14.5), Some(30.0));
        assert_eq!(percentile_rank(&t, 99.0), Some(70.0));
        assert_eq!(percentile_rank(&t, 3.0), Some(5.0));
        assert_eq!(percentile_rank(&[], 3.0), None);
    }

    #[test]
    fn a_table_must_increase_in_raw_and_not_decrease_in_rank() {
        let doc = NormTableDoc {
            scale: "A".into(),
            group: "umum".into(),
            name: Text::new("Umum", "General"),
            illustrative: true,
            method: "illustrative".into(),
            n: 0,
            mean: 1.0,
            sd: 0.0,
            collected: None,
            table: vec![
                NormRow { raw: 2.0, pr: 50.0 },
                NormRow { raw: 2.0, pr: 40.0 },
            ],
        };
        let fields: Vec<String> = doc.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["n", "sd", "table[1].raw", "table[1].pr"]);
    }
}

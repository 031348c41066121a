//! Norm tables and the conversions of a raw score into norm-referenced scores.
//!
//! Definitions (domain notes, "Scores and norms"):
//! - percentile rank in a sample: PR = 100 · (below + ½ · equal) / N
//! - linear z = (x − mean) / sd; normalised z = Φ⁻¹(PR / 100)
//! - T = 50 + 10z; IQ scale = 100 + 15z; scaled score = 10 + 3z
//! - stanine = clamp(round(2z + 5), 1, 9); sten = clamp(round(2z + 5.5), 1, 10)
//!
//! [`choose_norm_table`] picks the table a scale's raw score is compared with and [`convert`] turns
//! the raw score into a [`NormedScore`] with it. Both are part of scoring: an outcome they change
//! needs a new [`super::scoring::SCORING_VERSION`].
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::{is_code, text::Text};

/// The norm group used when a scale has no table for the requested group: the general population.
pub const FALLBACK_NORM_GROUP: &str = "umum";

/// One row of a raw → percentile-rank table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormRow {
    /// Raw score.
    pub raw: f64,
    /// Percentile rank of that raw score, 0…100.
    pub pr: f64,
}

/// What a norm table converts: raw scores (sums of item points), or θ estimates of an adaptive
/// (IRT-scored) section.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NormMetric {
    /// Raw scores.
    #[default]
    Raw,
    /// θ on the item parameters' scale.
    Theta,
}

impl NormMetric {
    /// The stored and wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            NormMetric::Raw => "raw",
            NormMetric::Theta => "theta",
        }
    }

    /// The metric of a stored word (raw for anything else).
    pub fn parse(word: &str) -> Self {
        match word {
            "theta" => NormMetric::Theta,
            _ => NormMetric::Raw,
        }
    }

    fn is_raw(&self) -> bool {
        *self == NormMetric::Raw
    }
}

/// A norm table as exchanged: one scale, one norm group, one metric.
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
    /// What `raw` means in the rows, the mean and the sd: raw scores (the default) or θ.
    #[serde(default, skip_serializing_if = "NormMetric::is_raw")]
    pub metric: NormMetric,
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

/// Chooses the norm table of `metric` for `scale` and norm group `group`: the table of exactly that scale and
/// group if there is one, else the scale's table for [`FALLBACK_NORM_GROUP`] (`umum`, the general
/// population), else none, in which case the scale can only be reported raw.
///
/// The chosen table's own `group` is what a stored score must name: after a fallback it differs
/// from the group asked for, and a report should say the candidate was compared with `umum`.
pub fn choose_norm_table<'a>(
    norms: &'a [NormTableDoc],
    scale: &str,
    group: &str,
    metric: NormMetric,
) -> Option<&'a NormTableDoc> {
    let find = |g: &str| {
        norms
            .iter()
            .find(|n| n.scale == scale && n.group == g && n.metric == metric)
    };
    find(group).or_else(|| find(FALLBACK_NORM_GROUP))
}

/// A raw score placed in a norm group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NormedScore {
    /// Code of the scale.
    pub scale: String,
    /// Code of the norm group of the table used (after any fallback).
    pub norm_group: String,
    /// The table is an example, not empirical norms; a report must say so.
    pub illustrative: bool,
    /// The raw score converted.
    pub raw: f64,
    /// Percentile rank from the table: the rank of the highest row at or below `raw`; below the
    /// first row, the first row's rank.
    pub pr: f64,
    /// Linear z = (raw − mean) / sd, rounded to 6 decimals.
    pub z_linear: f64,
    /// Normalised z = Φ⁻¹(PR / 100), rounded to 6 decimals.
    pub z_normalised: f64,
    /// T = 50 + 10z from the normalised z.
    pub t: f64,
    /// Stanine = clamp(round(2z + 5), 1, 9) from the normalised z.
    pub stanine: u8,
    /// Sten = clamp(round(2z + 5.5), 1, 10) from the normalised z.
    pub sten: u8,
}

/// Converts a raw score with a norm table (formulas in the module documentation).
///
/// T, stanine and sten derive from the normalised z, so they agree with the percentile rank, which
/// comes from the empirical table: a candidate at PR 50 gets T 50 whatever the shape of the raw
/// distribution (cognitive tests are often skewed). The linear z is reported beside it.
///
/// Both z are rounded to 6 decimals before anything is derived from them. Φ⁻¹ is computed
/// numerically, and band edges fall on round values of z (sten changes at every multiple of 0.5):
/// without rounding, PR 2.275013194817921 (= 100·Φ(−2)) yields z = −2.0000000000000004 and sten 1
/// instead of the sten 2 the formula gives at z = −2.
///
/// Refused, with a message, only for a table that validation would refuse: no rows, or an sd that is
/// not a positive number; or a raw score that is not finite.
pub fn convert(raw: f64, table: &NormTableDoc) -> Result<NormedScore, String> {
    let name = format!(
        "norm table of scale '{}', group '{}'",
        table.scale, table.group
    );
    if !raw.is_finite() {
        return Err("the raw score is not a finite number".into());
    }
    if !table.sd.is_finite() || table.sd <= 0.0 || !table.mean.is_finite() {
        return Err(format!("the {name} has no usable mean and sd"));
    }
    let pr = percentile_rank(&table.table, raw).ok_or(format!("the {name} has no rows"))?;
    let z_linear = round6(linear_z(raw, table.mean, table.sd));
    let z_normalised = round6(normalised_z(pr));
    Ok(NormedScore {
        scale: table.scale.clone(),
        norm_group: table.group.clone(),
        illustrative: table.illustrative,
        raw,
        pr,
        z_linear,
        z_normalised,
        t: t_score(z_normalised),
        stanine: stanine(z_normalised),
        sten: sten(z_normalised),
    })
}

fn round6(x: f64) -> f64 {
    // `+ 0.0` turns a rounded −0 into 0, so a stored z has one spelling.
    (x * 1e6).round() / 1e6 + 0.0
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
            metric: NormMetric::Raw,
        };
        let fields: Vec<String> = doc.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["n", "sd", "table[1].raw", "table[1].pr"]);
    }

    /// Scale NUM, group umum, N 200, mean 20, sd 4. The PR rows are Φ(z)·100 at z = −2, −1, 0, 1, 2
    /// (Φ(1) = 0.841344746068543, Φ(2) = 0.977249868051821), so each row's normalised z is a whole
    /// number and every derived score can be worked by hand.
    fn num_table(group: &str) -> NormTableDoc {
        let rows = [
            (12.0, 2.275_013_194_817_921),
            (16.0, 15.865_525_393_145_708),
            (20.0, 50.0),
            (24.0, 84.134_474_606_854_3),
            (28.0, 97.724_986_805_182_08),
        ];
        NormTableDoc {
            scale: "NUM".into(),
            group: group.into(),
            name: Text::new("Umum", "General"),
            illustrative: true,
            method: "normal approximation, illustrative".into(),
            n: 200,
            mean: 20.0,
            sd: 4.0,
            collected: None,
            table: rows.iter().map(|&(raw, pr)| NormRow { raw, pr }).collect(),
            metric: NormMetric::Raw,
        }
    }

    #[test]
    fn a_raw_score_on_the_84th_percentile_row_converts_to_t_60() {
        // raw 24 → PR 84.134… → normalised z = Φ⁻¹(0.841344…) = 1; linear z = (24 − 20)/4 = 1;
        // T = 50 + 10·1 = 60; stanine = round(2·1 + 5) = 7; sten = round(2·1 + 5.5) = round(7.5) = 8.
        let s = convert(24.0, &num_table("umum")).unwrap();
        assert_eq!(
            s,
            NormedScore {
                scale: "NUM".into(),
                norm_group: "umum".into(),
                illustrative: true,
                raw: 24.0,
                pr: 84.134_474_606_854_3,
                z_linear: 1.0,
                z_normalised: 1.0,
                t: 60.0,
                stanine: 7,
                sten: 8,
            }
        );
    }

    #[test]
    fn a_raw_score_between_rows_takes_the_row_below_and_its_own_linear_z() {
        // raw 26 lies between rows 24 and 28 → PR of row 24 → normalised z 1, T 60;
        // linear z = (26 − 20)/4 = 1.5.
        let s = convert(26.0, &num_table("umum")).unwrap();
        assert_eq!(
            (s.pr, s.z_normalised, s.t),
            (84.134_474_606_854_3, 1.0, 60.0)
        );
        assert_eq!(s.z_linear, 1.5);
    }

    #[test]
    fn the_median_converts_to_t_50_stanine_5_and_sten_6() {
        // raw 20 → PR 50 → z = Φ⁻¹(0.5) = 0 → T 50, stanine round(5) = 5, sten round(5.5) = 6.
        let s = convert(20.0, &num_table("umum")).unwrap();
        assert_eq!(
            (s.pr, s.z_linear, s.z_normalised, s.t, s.stanine, s.sten),
            (50.0, 0.0, 0.0, 50.0, 5, 6)
        );
    }

    #[test]
    fn low_raw_scores_convert_by_the_same_formulas() {
        // raw 19 → row 16, PR 15.87 → z −1 → T 40, stanine round(3) = 3, sten round(3.5) = 4;
        // linear z = (19 − 20)/4 = −0.25.
        let s = convert(19.0, &num_table("umum")).unwrap();
        assert_eq!(
            (s.z_linear, s.z_normalised, s.t, s.stanine, s.sten),
            (-0.25, -1.0, 40.0, 3, 4)
        );
        // raw 10 is below the first row → PR 2.28 of row 12 → z −2 → T 30, stanine round(1) = 1,
        // sten round(1.5) = 2; linear z = (10 − 20)/4 = −2.5.
        let s = convert(10.0, &num_table("umum")).unwrap();
        assert_eq!(
            (s.pr, s.z_linear, s.z_normalised, s.t, s.stanine, s.sten),
            (2.275_013_194_817_921, -2.5, -2.0, 30.0, 1, 2)
        );
    }

    #[test]
    fn a_table_without_rows_or_a_usable_sd_or_a_non_finite_raw_is_refused() {
        let mut empty = num_table("umum");
        empty.table.clear();
        assert_eq!(
            convert(20.0, &empty).unwrap_err(),
            "the norm table of scale 'NUM', group 'umum' has no rows"
        );
        let mut flat = num_table("umum");
        flat.sd = 0.0;
        assert_eq!(
            convert(20.0, &flat).unwrap_err(),
            "the norm table of scale 'NUM', group 'umum' has no usable mean and sd"
        );
        assert_eq!(
            convert(f64::NAN, &num_table("umum")).unwrap_err(),
            "the raw score is not a finite number"
        );
    }

    #[test]
    fn the_norm_table_of_the_group_is_chosen_and_umum_is_the_fallback() {
        let mut other_scale = num_table("s1-pelaksana");
        other_scale.scale = "VERB".into();
        let tables = [num_table("umum"), num_table("s1-pelaksana"), other_scale];
        let group = |scale: &str, g: &str| {
            choose_norm_table(&tables, scale, g, NormMetric::Raw).map(|t| t.group.as_str())
        };
        assert_eq!(group("NUM", "s1-pelaksana"), Some("s1-pelaksana"));
        assert_eq!(group("NUM", "sma-pengawas"), Some("umum"));
        assert_eq!(group("NUM", "umum"), Some("umum"));
        assert_eq!(group("VERB", "s1-pelaksana"), Some("s1-pelaksana"));
        assert_eq!(group("VERB", "sma-pengawas"), None);
        assert_eq!(group("FIG", "umum"), None);
        assert_eq!(
            choose_norm_table(&tables, "VERB", "s1-pelaksana", NormMetric::Raw)
                .map(|t| t.scale.as_str()),
            Some("VERB")
        );
    }

    #[test]
    fn a_theta_table_converts_theta_and_only_theta() {
        // A θ table of the standard normal: θ = 1 is at PR 100·Φ(1) = 84.134…, so T = 60.
        let mut theta = num_table("umum");
        theta.metric = NormMetric::Theta;
        theta.mean = 0.0;
        theta.sd = 1.0;
        for (row, raw) in theta.table.iter_mut().zip([-2.0, -1.0, 0.0, 1.0, 2.0]) {
            row.raw = raw;
        }
        let tables = [num_table("umum"), theta];
        let chosen = choose_norm_table(&tables, "NUM", "umum", NormMetric::Theta).unwrap();
        assert_eq!(chosen.metric, NormMetric::Theta);
        let s = convert(1.0, chosen).unwrap();
        assert_eq!((s.z_linear, s.t, s.stanine, s.sten), (1.0, 60.0, 7, 8));
        let raw = choose_norm_table(&tables, "NUM", "umum", NormMetric::Raw).unwrap();
        assert_eq!(raw.metric, NormMetric::Raw);
        let only_raw = [num_table("umum")];
        assert_eq!(
            choose_norm_table(&only_raw, "NUM", "umum", NormMetric::Theta),
            None
        );
    }
}

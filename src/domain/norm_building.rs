//! Norm building (issue 14, item 6): a norm table for one scale from a sample of raw scores, the
//! comparison of a new table with the one in use, and the norm-group filter that says which
//! participants belong to the sample.
//!
//! # The table
//! [`build_norm_table`] takes the raw scores (or θ estimates) of a norm sample and gives a
//! [`BuiltNorm`]: N, mean, sd, the raw → percentile-rank rows and warnings, which
//! [`BuiltNorm::into_doc`] turns into the [`NormTableDoc`] that [`super::norms::convert`] reads.
//! - mean = Σx/N; sd = √(Σ(x − mean)²/(N − 1)), the sample standard deviation (the norm sample
//!   stands for a population; the linear z of `convert` divides by it);
//! - percentile ranks by the midpoint rule of the domain notes, PR = 100 · (below + ½ · equal) / N,
//!   at the score points of [`ScorePoints`]: every observed score, or a range with a step (e.g.
//!   −4…4 by 0.1 for a θ scale). `convert` gives a raw score the rank of the highest row at or below
//!   it, so a row stands for the scores from it up to the next row; "equal" is therefore the count
//!   of scores in [xⱼ, xⱼ₊₁) (the last row's interval is open above), and "below" the count under
//!   xⱼ. At every observed score this is exactly the midpoint rule; on a grid it is the midpoint rule
//!   of the scores grouped into the grid's intervals;
//! - smoothing ([`Smoothing`]): none by default; or a centred moving average of the percentile
//!   ranks over 2h + 1 neighbouring rows, truncated at the ends (the first row averages itself and
//!   the h rows above it). An average over windows that move up a non-decreasing sequence is itself
//!   non-decreasing and stays within 0…100, so the smoothed table is still a valid table;
//! - a sample under [`NormBuildSettings::min_n`] (default 100) still gives a table, with the
//!   warning `small_sample`; under [`MIN_SAMPLE_FLOOR`] (2), or with a score that is not a finite
//!   number, or with every score equal (sd 0), it is an error.
//!
//! # Comparison
//! [`compare_tables`] looks both tables up, with the look-up `convert` uses, at every raw point of
//! either, so a reviewer sees what each candidate would get under each.
//!
//! # Norm group
//! [`NormGroupFilter`] decides from a participant's education, job level and NIP (age on a given
//! date and sex) whether they belong to the norm sample.
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::education::Education;
use super::job_standard::match_key;
use super::nip::{Nip, Sex};
use super::norms::{percentile_rank, NormRow, NormTableDoc};
use super::text::Text;

/// The fewest scores a norm table can be built from, whatever the settings.
pub const MIN_SAMPLE_FLOOR: usize = 2;
/// The most rows a table may have.
pub const MAX_POINTS: usize = 10_001;
/// The widest smoothing half-width h (a window of 2h + 1 rows).
pub const MAX_HALF_WIDTH: usize = 50;

/// The raw-score points a table has rows for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScorePoints {
    /// Every distinct score in the sample.
    #[default]
    Observed,
    /// min, min + step, … up to max (e.g. −4…4 by 0.1 for a θ scale).
    Range {
        /// The first point.
        min: f64,
        /// The last point (included when the step lands on it).
        max: f64,
        /// The distance between points, above 0.
        step: f64,
    },
}

/// How the percentile ranks are smoothed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Smoothing {
    /// The ranks as computed.
    #[default]
    None,
    /// A centred moving average of the ranks over 2·half_width + 1 rows, truncated at the ends.
    MovingAverage {
        /// h, 1…[`MAX_HALF_WIDTH`].
        half_width: usize,
    },
}

/// Settings of a norm build.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NormBuildSettings {
    /// Below this N the table carries the warning `small_sample` (default 100).
    pub min_n: usize,
    /// The rows of the table.
    pub points: ScorePoints,
    /// Smoothing of the ranks.
    pub smoothing: Smoothing,
}

impl Default for NormBuildSettings {
    fn default() -> Self {
        Self {
            min_n: 100,
            points: ScorePoints::Observed,
            smoothing: Smoothing::None,
        }
    }
}

/// What a warning on a built table is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NormWarningCode {
    /// N is under the minimum.
    SmallSample,
    /// Scores fall outside the range of the points (they count below the first row, or in the
    /// last row).
    ScoresOutsideRange,
}

/// A warning on a built table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormWarning {
    /// Its stable code.
    pub code: NormWarningCode,
    /// What it means for this table.
    pub message: String,
}

/// A norm table built from a sample, before it is named and stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuiltNorm {
    /// Size of the sample.
    pub n: u32,
    /// Mean raw score.
    pub mean: f64,
    /// Sample standard deviation (N − 1).
    pub sd: f64,
    /// How it was built, in words (the table's `method`).
    pub method: String,
    /// Raw → percentile rank.
    pub rows: Vec<NormRow>,
    /// Warnings.
    pub warnings: Vec<NormWarning>,
}

impl BuiltNorm {
    /// The table as stored and read by [`super::norms::convert`], for `scale` and norm group
    /// `group` with its label `name`, and when the data were collected. Empirical, so not
    /// illustrative.
    pub fn into_doc(
        self,
        scale: &str,
        group: &str,
        name: Text,
        collected: Option<String>,
    ) -> NormTableDoc {
        NormTableDoc {
            scale: scale.to_owned(),
            group: group.to_owned(),
            name,
            illustrative: false,
            method: self.method,
            n: self.n,
            mean: self.mean,
            sd: self.sd,
            collected,
            table: self.rows,
            metric: super::norms::NormMetric::Raw,
        }
    }
}

/// Why a norm table could not be built or compared.
#[derive(Debug, Clone, PartialEq)]
pub enum NormBuildError {
    /// Fewer scores than [`MIN_SAMPLE_FLOOR`].
    TooFewRespondents {
        /// Scores given.
        n: usize,
        /// The floor.
        min: usize,
    },
    /// A score is not a finite number.
    InvalidScores(String),
    /// A setting is out of range.
    InvalidSettings(String),
    /// Every score is the same: no sd, no norm.
    ZeroVariance,
    /// A table to compare has no rows.
    EmptyTable(&'static str),
}

impl NormBuildError {
    /// The stable code of the error.
    pub fn code(&self) -> &'static str {
        match self {
            NormBuildError::TooFewRespondents { .. } => "too_few_respondents",
            NormBuildError::InvalidScores(_) => "invalid_scores",
            NormBuildError::InvalidSettings(_) => "invalid_settings",
            NormBuildError::ZeroVariance => "zero_variance",
            NormBuildError::EmptyTable(_) => "empty_table",
        }
    }

    /// What is wrong, in words.
    pub fn message(&self) -> String {
        match self {
            NormBuildError::TooFewRespondents { n, min } => {
                format!("{n} score(s) in the sample; a norm table needs at least {min}")
            }
            NormBuildError::InvalidScores(m) | NormBuildError::InvalidSettings(m) => m.clone(),
            NormBuildError::ZeroVariance => {
                "every score in the sample is the same: a norm table needs scores that vary".into()
            }
            NormBuildError::EmptyTable(which) => format!("the {which} table has no rows"),
        }
    }
}

impl fmt::Display for NormBuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for NormBuildError {}

/// Rounds to 10 decimals so a grid point computed as min + i·step is the number it stands for
/// (−4 + 1·0.1 is −3.9000000000000004 before rounding).
fn round10(x: f64) -> f64 {
    (x * 1e10).round() / 1e10 + 0.0
}

/// The points of the table for the sorted sample.
fn points(sorted: &[f64], spec: ScorePoints) -> Result<Vec<f64>, NormBuildError> {
    match spec {
        ScorePoints::Observed => {
            let mut out: Vec<f64> = Vec::new();
            for &x in sorted {
                if out.last() != Some(&x) {
                    out.push(x);
                }
            }
            Ok(out)
        }
        ScorePoints::Range { min, max, step } => {
            let bad = |m: &str| Err(NormBuildError::InvalidSettings(m.to_owned()));
            if !(min.is_finite() && max.is_finite() && min <= max) {
                return bad("the range needs finite min and max with min ≤ max");
            }
            if !(step.is_finite() && step > 0.0) {
                return bad("the range's step must be a number above 0");
            }
            let intervals = ((max - min) / step + 1e-9).floor();
            if intervals >= MAX_POINTS as f64 {
                return Err(NormBuildError::InvalidSettings(format!(
                    "the range gives more than {MAX_POINTS} points: use a larger step"
                )));
            }
            Ok((0..=intervals as usize)
                .map(|i| round10(min + i as f64 * step))
                .collect())
        }
    }
}

/// Builds a norm table from the raw scores of a norm sample (method in the module documentation).
pub fn build_norm_table(
    scores: &[f64],
    settings: &NormBuildSettings,
) -> Result<BuiltNorm, NormBuildError> {
    if let Some(i) = scores.iter().position(|x| !x.is_finite()) {
        return Err(NormBuildError::InvalidScores(format!(
            "score #{} is not a finite number",
            i + 1
        )));
    }
    if let Smoothing::MovingAverage { half_width } = settings.smoothing {
        if !(1..=MAX_HALF_WIDTH).contains(&half_width) {
            return Err(NormBuildError::InvalidSettings(format!(
                "the moving average's half_width must be 1…{MAX_HALF_WIDTH}"
            )));
        }
    }
    let n = scores.len();
    if n < MIN_SAMPLE_FLOOR {
        return Err(NormBuildError::TooFewRespondents {
            n,
            min: MIN_SAMPLE_FLOOR,
        });
    }
    let n_u32 = u32::try_from(n)
        .map_err(|_| NormBuildError::InvalidScores("the sample is too large".into()))?;
    let nf = n as f64;
    let mean = scores.iter().sum::<f64>() / nf;
    let ss: f64 = scores.iter().map(|x| (x - mean) * (x - mean)).sum();
    let sd = (ss / (nf - 1.0)).sqrt();
    let mut sorted = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.first() == sorted.last() {
        return Err(NormBuildError::ZeroVariance);
    }
    let xs = points(&sorted, settings.points)?;
    let below = |x: f64| sorted.partition_point(|s| *s < x);
    let mut pr: Vec<f64> = xs
        .iter()
        .enumerate()
        .map(|(j, &x)| {
            let from = below(x);
            let to = xs.get(j + 1).map_or(n, |&next| below(next));
            100.0 * (from as f64 + 0.5 * (to - from) as f64) / nf
        })
        .collect();
    if let Smoothing::MovingAverage { half_width } = settings.smoothing {
        pr = moving_average(&pr, half_width);
    }
    let mut warnings = Vec::new();
    if n < settings.min_n {
        warnings.push(NormWarning {
            code: NormWarningCode::SmallSample,
            message: format!(
                "the sample has {n} scores, fewer than the {} a norm table should rest on: \
                 its percentile ranks are unstable",
                settings.min_n
            ),
        });
    }
    if let (Some(&lo), Some(&hi)) = (xs.first(), xs.last()) {
        let outside = sorted.iter().filter(|s| **s < lo || **s > hi).count();
        if outside > 0 {
            warnings.push(NormWarning {
                code: NormWarningCode::ScoresOutsideRange,
                message: format!(
                    "{outside} score(s) lie outside {lo}…{hi}: those below count under the first \
                     row, those above in the last"
                ),
            });
        }
    }
    Ok(BuiltNorm {
        n: n_u32,
        mean,
        sd,
        method: describe(settings),
        rows: xs
            .into_iter()
            .zip(pr)
            .map(|(raw, pr)| NormRow { raw, pr })
            .collect(),
        warnings,
    })
}

/// The centred moving average with windows truncated at the ends; kept non-decreasing and within
/// 0…100 against rounding (the exact averages already are).
fn moving_average(pr: &[f64], h: usize) -> Vec<f64> {
    let m = pr.len();
    let mut out = Vec::with_capacity(m);
    let mut floor = 0.0_f64;
    for j in 0..m {
        let window = &pr[j.saturating_sub(h)..(j + h + 1).min(m)];
        let avg = window.iter().sum::<f64>() / window.len() as f64;
        floor = avg.max(floor).clamp(0.0, 100.0);
        out.push(floor);
    }
    out
}

fn describe(settings: &NormBuildSettings) -> String {
    let points = match settings.points {
        ScorePoints::Observed => "at every observed score".to_owned(),
        ScorePoints::Range { min, max, step } => {
            format!("at {min}…{max} by {step} (each row for the scores up to the next)")
        }
    };
    let smoothing = match settings.smoothing {
        Smoothing::None => "no smoothing".to_owned(),
        Smoothing::MovingAverage { half_width } => format!(
            "ranks smoothed by a moving average over {} rows",
            2 * half_width + 1
        ),
    };
    format!(
        "percentile ranks by the midpoint rule PR = 100·(below + ½·equal)/N {points}; {smoothing}; \
         sd with N − 1"
    )
}

/// One raw point of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// The raw score.
    pub raw: f64,
    /// Its percentile rank in the table in use.
    pub pr_old: f64,
    /// Its percentile rank in the new table.
    pub pr_new: f64,
    /// pr_new − pr_old.
    pub difference: f64,
}

/// The table in use against a new one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NormComparison {
    /// One row per raw point of either table, ascending.
    pub rows: Vec<ComparisonRow>,
    /// The largest |difference|.
    pub max_abs_difference: f64,
    /// The lowest raw point where it occurs.
    pub at_raw: f64,
}

/// Compares the rows of the table in use (`old`) with a new table's at every raw point of either,
/// both looked up as [`super::norms::convert`] looks them up.
pub fn compare_tables(old: &[NormRow], new: &[NormRow]) -> Result<NormComparison, NormBuildError> {
    if old.is_empty() {
        return Err(NormBuildError::EmptyTable("old"));
    }
    if new.is_empty() {
        return Err(NormBuildError::EmptyTable("new"));
    }
    let mut raws: Vec<f64> = old
        .iter()
        .chain(new)
        .map(|r| r.raw)
        .filter(|r| r.is_finite())
        .collect();
    raws.sort_by(f64::total_cmp);
    raws.dedup();
    let rows: Vec<ComparisonRow> = raws
        .into_iter()
        .filter_map(|raw| {
            let pr_old = percentile_rank(old, raw)?;
            let pr_new = percentile_rank(new, raw)?;
            Some(ComparisonRow {
                raw,
                pr_old,
                pr_new,
                difference: pr_new - pr_old,
            })
        })
        .collect();
    let mut max_abs_difference = 0.0;
    let mut at_raw = rows.first().map_or(0.0, |r| r.raw);
    for r in &rows {
        if r.difference.abs() > max_abs_difference {
            max_abs_difference = r.difference.abs();
            at_raw = r.raw;
        }
    }
    Ok(NormComparison {
        rows,
        max_abs_difference,
        at_raw,
    })
}

/// An age band in completed years, both ends included; an end left out is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeBand {
    /// Youngest age in the band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// Oldest age in the band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

/// Completed years of a person born on `birth` on the date `on`; `None` before birth. A person
/// born on 29 February turns a year older on 1 March in a common year.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// What a norm-group filter sees of a participant; an attribute not known does not match a filter
/// that asks about it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Participant<'a> {
    /// The NIP, for age (from its birth date) and sex.
    pub nip: Option<&'a Nip>,
    /// Highest education.
    pub education: Option<Education>,
    /// Job level, as the enrolment file gives it (free text).
    pub job_level: Option<&'a str>,
}

/// Which participants belong to a norm sample: each condition given must hold; a condition left
/// empty holds for everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NormGroupFilter {
    /// Education is one of these.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub education: Vec<Education>,
    /// Job level is one of these, compared without regard to case or spaces
    /// ([`super::job_standard::match_key`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub job_levels: Vec<String>,
    /// Age (from the NIP's birth date, on the date of the check) within this band.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<AgeBand>,
    /// Sex (from the NIP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
}

impl NormGroupFilter {
    /// Problems with the filter as (field, message) pairs.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, level) in self.job_levels.iter().enumerate() {
            if level.trim().is_empty() {
                out.push((format!("job_levels[{i}]"), "must not be empty".into()));
            }
        }
        if let Some(AgeBand {
            min: Some(lo),
            max: Some(hi),
        }) = self.age
        {
            if lo > hi {
                out.push((
                    "age".into(),
                    format!("min {lo} is above max {hi}: no one could be in the band"),
                ));
            }
        }
        out
    }

    /// Whether `who` belongs to the group on the date `on` (the date ages are computed at, e.g.
    /// the day of the assessment).
    pub fn matches(&self, who: &Participant<'_>, on: NaiveDate) -> bool {
        let education_ok =
            self.education.is_empty() || who.education.is_some_and(|e| self.education.contains(&e));
        let job_ok = self.job_levels.is_empty()
            || who.job_level.is_some_and(|level| {
                let key = match_key(level);
                self.job_levels.iter().any(|l| match_key(l) == key)
            });
        let sex_ok = self
            .sex
            .is_none_or(|sex| who.nip.is_some_and(|nip| nip.sex() == sex));
        let age_ok = self.age.is_none_or(|band| {
            who.nip
                .and_then(|nip| age_on(nip.birth_date(), on))
                .is_some_and(|age| {
                    band.min.is_none_or(|lo| age >= lo) && band.max.is_none_or(|hi| age <= hi)
                })
        });
        education_ok && job_ok && sex_ok && age_ok
    }
}

#[cfg(test)]
mod tests {
    use super::super::norms::convert;
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// Ten scores with ties: 2, 3, 3, 5, 5, 5, 6, 8, 8, 10.
    const TEN: [f64; 10] = [5.0, 3.0, 8.0, 5.0, 2.0, 10.0, 5.0, 3.0, 6.0, 8.0];

    fn small() -> NormBuildSettings {
        NormBuildSettings {
            min_n: 10,
            ..NormBuildSettings::default()
        }
    }

    #[test]
    fn ten_scores_with_ties_give_the_midpoint_ranks_worked_by_hand() {
        let t = build_norm_table(&TEN, &small()).unwrap();
        // Sorted 2, 3, 3, 5, 5, 5, 6, 8, 8, 10 (N = 10):
        //   2: below 0, equal 1 → 100·(0 + 0.5)/10 = 5
        //   3: below 1, equal 2 → 100·(1 + 1)/10 = 20
        //   5: below 3, equal 3 → 100·(3 + 1.5)/10 = 45
        //   6: below 6, equal 1 → 100·(6 + 0.5)/10 = 65
        //   8: below 7, equal 2 → 100·(7 + 1)/10 = 80
        //  10: below 9, equal 1 → 100·(9 + 0.5)/10 = 95
        let rows: Vec<(f64, f64)> = t.rows.iter().map(|r| (r.raw, r.pr)).collect();
        assert_eq!(
            rows,
            [
                (2.0, 5.0),
                (3.0, 20.0),
                (5.0, 45.0),
                (6.0, 65.0),
                (8.0, 80.0),
                (10.0, 95.0)
            ]
        );
        // mean = 55/10 = 5.5; deviations −3.5, −2.5, −2.5, −0.5, −0.5, −0.5, 0.5, 2.5, 2.5, 4.5
        // → squares 12.25 + 6.25·2 + 0.25·3 + 0.25 + 6.25·2 + 20.25 = 58.5; sd = √(58.5/9)
        // = √6.5 = 2.549510.
        assert_eq!(t.n, 10);
        assert!(close(t.mean, 5.5));
        assert!(close(t.sd, 6.5_f64.sqrt()));
        assert!(t.warnings.is_empty());
        // Every row agrees with the sample's own midpoint rule in `norms`.
        for r in &t.rows {
            assert_eq!(
                Some(r.pr),
                super::super::norms::sample_percentile_rank(&TEN, r.raw)
            );
        }
    }

    #[test]
    fn a_grid_row_stands_for_the_scores_up_to_the_next_row() {
        // Points 2, 4, 6, 8, 10 (step 2) for the ten scores:
        //   row 2 holds [2, 4): 2, 3, 3 → below 0, equal 3 → 100·1.5/10 = 15
        //   row 4 holds [4, 6): 5, 5, 5 → below 3, equal 3 → 100·4.5/10 = 45
        //   row 6 holds [6, 8): 6 → below 6, equal 1 → 65
        //   row 8 holds [8, 10): 8, 8 → below 7, equal 2 → 80
        //   row 10 holds [10, ∞): 10 → below 9, equal 1 → 95
        let s = NormBuildSettings {
            points: ScorePoints::Range {
                min: 2.0,
                max: 10.0,
                step: 2.0,
            },
            ..small()
        };
        let t = build_norm_table(&TEN, &s).unwrap();
        let prs: Vec<f64> = t.rows.iter().map(|r| r.pr).collect();
        assert_eq!(prs, [15.0, 45.0, 65.0, 80.0, 95.0]);
        assert!(t.warnings.is_empty());
        // A θ grid −4…4 by 0.1 has 81 rows with tidy values.
        let theta = NormBuildSettings {
            points: ScorePoints::Range {
                min: -4.0,
                max: 4.0,
                step: 0.1,
            },
            ..small()
        };
        let t = build_norm_table(&[-0.25, 0.0, 0.3, 1.05], &theta).unwrap();
        assert_eq!(t.rows.len(), 81);
        assert_eq!(t.rows[1].raw, -3.9);
        assert_eq!(t.rows[80].raw, 4.0);
        // Row −0.3 holds [−0.3, −0.2): −0.25 → below 0, equal 1 → 100·0.5/4 = 12.5; row 0 holds
        // 0 → below 1 → 37.5; row 1.0 holds 1.05 → below 3 → 87.5; row 4 → below 4 → 100.
        let pr_at = |x: f64| t.rows.iter().find(|r| r.raw == x).map(|r| r.pr);
        assert_eq!(pr_at(-0.3), Some(12.5));
        assert_eq!(pr_at(-0.4), Some(0.0));
        assert_eq!(pr_at(0.0), Some(37.5));
        assert_eq!(pr_at(1.0), Some(87.5));
        assert_eq!(pr_at(4.0), Some(100.0));
    }

    #[test]
    fn scores_outside_the_range_are_warned_about() {
        let s = NormBuildSettings {
            points: ScorePoints::Range {
                min: 3.0,
                max: 8.0,
                step: 1.0,
            },
            ..small()
        };
        let t = build_norm_table(&TEN, &s).unwrap();
        // 2 lies under 3 and 10 above 8: two scores. Row 3: below 1 (the 2), equal 2 → 20;
        // row 8 holds [8, ∞): 8, 8, 10 → below 7, equal 3 → 85.
        assert_eq!(t.warnings.len(), 1);
        assert_eq!(t.warnings[0].code, NormWarningCode::ScoresOutsideRange);
        assert!(t.warnings[0]
            .message
            .starts_with("2 score(s) lie outside 3…8"));
        assert_eq!(t.rows[0].pr, 20.0);
        assert_eq!(t.rows[5].pr, 85.0);
        // Rows 4 and 7 hold no score: 4 has below 3 → 30; 7 has below 7 → 70.
        assert_eq!(t.rows[1].pr, 30.0);
        assert_eq!(t.rows[4].pr, 70.0);
    }

    #[test]
    fn a_three_row_moving_average_smooths_the_ranks_worked_by_hand() {
        // Ranks 5, 20, 45, 65, 80, 95 with h = 1 (windows of 3, truncated at the ends):
        //   (5 + 20)/2 = 12.5; (5 + 20 + 45)/3 = 23.333333; (20 + 45 + 65)/3 = 43.333333;
        //   (45 + 65 + 80)/3 = 63.333333; (65 + 80 + 95)/3 = 80; (80 + 95)/2 = 87.5.
        let s = NormBuildSettings {
            smoothing: Smoothing::MovingAverage { half_width: 1 },
            ..small()
        };
        let t = build_norm_table(&TEN, &s).unwrap();
        let expected = [12.5, 70.0 / 3.0, 130.0 / 3.0, 190.0 / 3.0, 80.0, 87.5];
        for (r, e) in t.rows.iter().zip(expected) {
            assert!(close(r.pr, e), "{} → {} vs {e}", r.raw, r.pr);
        }
        assert!(t.method.contains("moving average over 3 rows"));
    }

    #[test]
    fn smoothed_ranks_never_decrease_and_stay_within_0_to_100() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(6);
        for _ in 0..50 {
            let n = rng.gen_range(2..300);
            let scores: Vec<f64> = (0..n).map(|_| f64::from(rng.gen_range(0..40_u8))).collect();
            let h = rng.gen_range(1..6);
            let s = NormBuildSettings {
                smoothing: Smoothing::MovingAverage { half_width: h },
                ..NormBuildSettings::default()
            };
            match build_norm_table(&scores, &s) {
                Ok(t) => {
                    for w in t.rows.windows(2) {
                        assert!(w[1].pr >= w[0].pr && w[1].raw > w[0].raw);
                    }
                    assert!(t.rows.iter().all(|r| (0.0..=100.0).contains(&r.pr)));
                }
                Err(e) => assert_eq!(e, NormBuildError::ZeroVariance),
            }
        }
    }

    #[test]
    fn a_sample_under_the_minimum_is_built_with_a_small_sample_warning() {
        let t = build_norm_table(&TEN, &NormBuildSettings::default()).unwrap();
        assert_eq!(t.warnings.len(), 1);
        assert_eq!(t.warnings[0].code, NormWarningCode::SmallSample);
        assert_eq!(
            serde_json::to_value(t.warnings[0].code).unwrap(),
            "small_sample"
        );
        // Exactly at the minimum: no warning.
        assert!(build_norm_table(&TEN, &small())
            .unwrap()
            .warnings
            .is_empty());
    }

    #[test]
    fn an_empty_a_single_or_a_nan_sample_is_an_error_and_so_is_one_without_spread() {
        let e = build_norm_table(&[], &small()).unwrap_err();
        assert_eq!(e, NormBuildError::TooFewRespondents { n: 0, min: 2 });
        assert_eq!(e.code(), "too_few_respondents");
        assert_eq!(
            build_norm_table(&[3.0], &small()).unwrap_err().code(),
            "too_few_respondents"
        );
        let e = build_norm_table(&[1.0, f64::NAN, 2.0], &small()).unwrap_err();
        assert_eq!(
            (e.code(), e.message()),
            (
                "invalid_scores",
                "score #2 is not a finite number".to_owned()
            )
        );
        assert_eq!(
            build_norm_table(&[4.0, 4.0, 4.0], &small()).unwrap_err(),
            NormBuildError::ZeroVariance
        );
        for bad in [
            NormBuildSettings {
                points: ScorePoints::Range {
                    min: 0.0,
                    max: 10.0,
                    step: 0.0,
                },
                ..small()
            },
            NormBuildSettings {
                points: ScorePoints::Range {
                    min: 5.0,
                    max: 1.0,
                    step: 1.0,
                },
                ..small()
            },
            NormBuildSettings {
                points: ScorePoints::Range {
                    min: 0.0,
                    max: 1e6,
                    step: 0.01,
                },
                ..small()
            },
            NormBuildSettings {
                smoothing: Smoothing::MovingAverage { half_width: 0 },
                ..small()
            },
        ] {
            assert_eq!(
                build_norm_table(&TEN, &bad).unwrap_err().code(),
                "invalid_settings"
            );
        }
    }

    #[test]
    fn a_built_table_is_a_valid_norm_table_that_convert_reads() {
        let doc = build_norm_table(&TEN, &small()).unwrap().into_doc(
            "NUM",
            "s1-pelaksana",
            Text::new("S1 Pelaksana", "Bachelor, implementer"),
            Some("2026-05".into()),
        );
        assert_eq!(doc.problems(), Vec::<(String, String)>::new());
        assert!(!doc.illustrative);
        // raw 5 → PR 45 (row 5); linear z = (5 − 5.5)/√6.5 = −0.196116.
        let s = convert(5.0, &doc).unwrap();
        assert_eq!(s.pr, 45.0);
        assert_eq!(s.z_linear, -0.196_116);
        // raw 7 lies between rows 6 and 8 → PR 65.
        assert_eq!(convert(7.0, &doc).unwrap().pr, 65.0);
        // And it round-trips as the stored JSON.
        let json = serde_json::to_string(&doc).unwrap();
        let back: NormTableDoc = serde_json::from_str(&json).unwrap();
        assert_eq!(back.table, doc.table);
        assert!(close(back.sd, doc.sd) && back.n == 10 && back.problems().is_empty());
    }

    #[test]
    fn comparing_tables_looks_both_up_at_every_raw_point_of_either() {
        let old = [
            NormRow { raw: 2.0, pr: 10.0 },
            NormRow { raw: 5.0, pr: 50.0 },
            NormRow { raw: 8.0, pr: 90.0 },
        ];
        let new = [
            NormRow { raw: 3.0, pr: 20.0 },
            NormRow { raw: 5.0, pr: 45.0 },
            NormRow { raw: 9.0, pr: 95.0 },
        ];
        // raw 2: old 10, new (below the first row → 20) 20, +10
        // raw 3: old 10 (row 2), new 20, +10
        // raw 5: old 50, new 45, −5
        // raw 8: old 90, new 45 (row 5), −45
        // raw 9: old 90 (row 8), new 95, +5
        let c = compare_tables(&old, &new).unwrap();
        let rows: Vec<(f64, f64, f64, f64)> = c
            .rows
            .iter()
            .map(|r| (r.raw, r.pr_old, r.pr_new, r.difference))
            .collect();
        assert_eq!(
            rows,
            [
                (2.0, 10.0, 20.0, 10.0),
                (3.0, 10.0, 20.0, 10.0),
                (5.0, 50.0, 45.0, -5.0),
                (8.0, 90.0, 45.0, -45.0),
                (9.0, 90.0, 95.0, 5.0)
            ]
        );
        assert_eq!((c.max_abs_difference, c.at_raw), (45.0, 8.0));
        assert_eq!(
            compare_tables(&[], &new).unwrap_err(),
            NormBuildError::EmptyTable("old")
        );
        assert_eq!(compare_tables(&old, &[]).unwrap_err().code(), "empty_table");
        // A table against itself differs nowhere.
        let same = compare_tables(&old, &old).unwrap();
        assert_eq!((same.max_abs_difference, same.at_raw), (0.0, 2.0));
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn age_is_counted_in_completed_years() {
        let birth = date(1985, 3, 15);
        assert_eq!(age_on(birth, date(2026, 3, 14)), Some(40));
        assert_eq!(age_on(birth, date(2026, 3, 15)), Some(41));
        assert_eq!(age_on(birth, date(1985, 3, 15)), Some(0));
        assert_eq!(age_on(birth, date(1985, 3, 14)), None);
        // Born on 29 February: 1 March of a common year is the birthday.
        let leap = date(1996, 2, 29);
        assert_eq!(age_on(leap, date(2026, 2, 28)), Some(29));
        assert_eq!(age_on(leap, date(2026, 3, 1)), Some(30));
    }

    fn nip(s: &str) -> Nip {
        Nip::parse_as_of(s, date(2026, 6, 1)).unwrap()
    }

    fn who<'a>(nip: &'a Nip, education: Education, level: &'a str) -> Participant<'a> {
        Participant {
            nip: Some(nip),
            education: Some(education),
            job_level: Some(level),
        }
    }

    #[test]
    fn the_norm_group_filter_checks_education_job_level_age_and_sex() {
        // Male, born 15 March 1985; female, born 1 January 1990.
        let man = nip("198503152010121001");
        let woman = nip("199001012015032045");
        let on = date(2026, 3, 14); // the man is 40, the woman 36
        let filter = NormGroupFilter {
            education: vec![Education::S1, Education::D4],
            job_levels: vec!["Pelaksana".into()],
            age: Some(AgeBand {
                min: Some(36),
                max: Some(40),
            }),
            sex: None,
        };
        assert_eq!(filter.problems(), Vec::<(String, String)>::new());
        let (man, woman) = (&man, &woman);
        assert!(filter.matches(&who(man, Education::S1, "pelaksana"), on));
        assert!(filter.matches(&who(woman, Education::D4, " PELAKSANA "), on));
        assert!(
            !filter.matches(&who(man, Education::S2, "Pelaksana"), on),
            "education"
        );
        assert!(
            !filter.matches(&who(man, Education::S1, "Pengawas"), on),
            "job level"
        );
        // The next day the man turns 41: out of the band.
        assert!(!filter.matches(&who(man, Education::S1, "Pelaksana"), date(2026, 3, 15)));
        let women = NormGroupFilter {
            sex: Some(Sex::Female),
            ..NormGroupFilter::default()
        };
        assert!(women.matches(&who(woman, Education::S1, "x"), on));
        assert!(!women.matches(&who(man, Education::S1, "x"), on));
        // Without a NIP neither age nor sex can be known: no match where they are asked about.
        let unknown = Participant {
            nip: None,
            education: Some(Education::S1),
            job_level: Some("Pelaksana"),
        };
        assert!(!women.matches(&unknown, on));
        assert!(!filter.matches(&unknown, on));
        // An empty filter takes everyone.
        assert!(NormGroupFilter::default().matches(&Participant::default(), on));
        // Open-ended bands.
        let over_40 = NormGroupFilter {
            age: Some(AgeBand {
                min: Some(41),
                max: None,
            }),
            ..NormGroupFilter::default()
        };
        assert!(!over_40.matches(&who(man, Education::S1, "x"), on));
        assert!(over_40.matches(&who(man, Education::S1, "x"), date(2026, 3, 15)));
    }

    #[test]
    fn a_filter_reads_from_json_and_names_its_problems() {
        let f: NormGroupFilter = serde_json::from_str(
            r#"{"education": ["S1", "S2"], "age": {"min": 50, "max": 30}, "sex": "female",
                "job_levels": [" "]}"#,
        )
        .unwrap();
        assert_eq!(f.education, [Education::S1, Education::S2]);
        assert_eq!(f.sex, Some(Sex::Female));
        let fields: Vec<String> = f.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["job_levels[0]", "age"]);
        assert!(serde_json::from_str::<NormGroupFilter>(r#"{"religion": "x"}"#).is_err());
    }
}

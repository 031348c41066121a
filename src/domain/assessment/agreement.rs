//! Inter-rater agreement of assessment-centre ratings.
//!
//! The input is a flat list of [`Rating`]s: one assessor's level (1–5) for one unit, where a unit
//! is whatever several assessors rate independently (the service uses participant × exercise ×
//! competency). Every statistic groups the list by unit; a unit's ratings are its *panel*.
//!
//! One rating per (unit, rater) is expected. Should a rater appear twice on a unit, the later
//! rating in the list counts and the earlier one is ignored, as a corrected rating replaces the
//! first, so that no statistic pairs a rater with themselves.
//!
//! Every result carries the count it rests on, and nothing is rounded: the service rounds for
//! display.
use std::collections::BTreeMap;

use serde::Serialize;

/// One assessor's rating of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating<U, R> {
    /// What was rated: the service uses (participant, exercise, competency).
    pub unit: U,
    /// Who rated it: an assessor.
    pub rater: R,
    /// The level given, 1 to 5 (the service checks the range; the statistics accept any value).
    /// They treat it as ordinal, only its order counting, apart from the ICC and the means of
    /// [`rater_drift`], which treat levels as equally spaced.
    pub value: u8,
}

/// The ratings grouped by unit, each unit's ratings by rater; a later rating of the same
/// (unit, rater) replaces an earlier one.
fn panels<U: Ord, R: Ord>(ratings: &[Rating<U, R>]) -> BTreeMap<&U, BTreeMap<&R, u8>> {
    let mut out: BTreeMap<&U, BTreeMap<&R, u8>> = BTreeMap::new();
    for r in ratings {
        out.entry(&r.unit).or_default().insert(&r.rater, r.value);
    }
    out
}

/// Percentage agreement over pairs of raters of the same unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairAgreement {
    /// Pairs of ratings of one unit by two different raters, summed over units: a unit with m
    /// raters gives m(m − 1)/2 pairs.
    pub pairs: usize,
    /// Percentage (0–100) of the pairs whose two levels are equal; `None` without pairs.
    pub exact_pct: Option<f64>,
    /// Percentage (0–100) of the pairs whose two levels differ by at most one, exact ones
    /// included; `None` without pairs.
    pub adjacent_pct: Option<f64>,
}

/// Exact and adjacent agreement: over every pair of ratings of the same unit by two different
/// raters, exact % = 100 · #{a = b} / pairs and adjacent % = 100 · #{|a − b| ≤ 1} / pairs.
///
/// A unit rated by more raters weighs more, having more pairs. Units rated once give no pair.
pub fn exact_and_adjacent<U: Ord, R: Ord>(ratings: &[Rating<U, R>]) -> PairAgreement {
    let (mut pairs, mut exact, mut adjacent) = (0usize, 0usize, 0usize);
    for panel in panels(ratings).values() {
        let values: Vec<u8> = panel.values().copied().collect();
        for (i, a) in values.iter().enumerate() {
            for b in &values[i + 1..] {
                pairs += 1;
                let d = a.abs_diff(*b);
                exact += usize::from(d == 0);
                adjacent += usize::from(d <= 1);
            }
        }
    }
    let pct = |count: usize| (pairs > 0).then(|| 100.0 * count as f64 / pairs as f64);
    PairAgreement {
        pairs,
        exact_pct: pct(exact),
        adjacent_pct: pct(adjacent),
    }
}

/// Intraclass correlations of Shrout & Fleiss (1979), case 2: each target is rated by k raters
/// drawn at random from a larger population of raters, and agreement is absolute (a rater who
/// rates everyone one level higher lowers it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Icc {
    /// Targets (rows of the matrix).
    pub n: usize,
    /// Raters per target (columns of the matrix).
    pub k: usize,
    /// ICC(2,1): the reliability of one rater's rating.
    pub single: f64,
    /// ICC(2,k): the reliability of the mean of k raters' ratings.
    pub average: f64,
}

/// ICC(2,1) and ICC(2,k), two-way random effects, absolute agreement (Shrout, P. E. & Fleiss,
/// J. L. (1979). Intraclass correlations: uses in assessing rater reliability. *Psychological
/// Bulletin*, 86(2), 420–428), from a complete matrix of n targets (rows) × k raters (columns).
///
/// From the two-way ANOVA without replication, with x̄ᵢ. the row means, x̄.ⱼ the column means and
/// x̄ the grand mean:
/// - BMS = k Σᵢ (x̄ᵢ. − x̄)² / (n − 1), between-targets mean square;
/// - JMS = n Σⱼ (x̄.ⱼ − x̄)² / (k − 1), between-judges mean square;
/// - EMS = Σᵢⱼ (xᵢⱼ − x̄ᵢ. − x̄.ⱼ + x̄)² / ((n − 1)(k − 1)), residual mean square;
/// - ICC(2,1) = (BMS − EMS) / (BMS + (k − 1)·EMS + k·(JMS − EMS)/n);
/// - ICC(2,k) = (BMS − EMS) / (BMS + (JMS − EMS)/n).
///
/// `None` when n < 2, k < 2, the rows differ in length, a value is not finite, or either
/// denominator is 0 (as when every value is equal). A denominator counts as 0 when it is below
/// 10⁻²⁰ of the mean square of the values: rounding noise of a constant matrix stays far below
/// that, and any real spread of the ratings far above.
///
/// Being ratios of estimates, both can fall below 0 (more disagreement than chance), and in
/// degenerate small matrices outside −1…1; they are returned as computed.
pub fn icc2(matrix: &[Vec<f64>]) -> Option<Icc> {
    let n = matrix.len();
    let k = matrix.first()?.len();
    if n < 2
        || k < 2
        || matrix
            .iter()
            .any(|row| row.len() != k || row.iter().any(|x| !x.is_finite()))
    {
        return None;
    }
    let (nf, kf) = (n as f64, k as f64);
    let grand = matrix.iter().flatten().sum::<f64>() / (nf * kf);
    let row_means: Vec<f64> = matrix
        .iter()
        .map(|row| row.iter().sum::<f64>() / kf)
        .collect();
    let col_means: Vec<f64> = (0..k)
        .map(|j| matrix.iter().map(|row| row[j]).sum::<f64>() / nf)
        .collect();
    let ss_rows = kf * row_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let ss_cols = nf * col_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    // The residual summed directly rather than as total − rows − columns: it cannot come out
    // negative through cancellation.
    let ss_error: f64 = matrix
        .iter()
        .zip(&row_means)
        .flat_map(|(row, rm)| {
            row.iter()
                .zip(&col_means)
                .map(move |(x, cm)| (x - rm - cm + grand).powi(2))
        })
        .sum();
    let bms = ss_rows / (nf - 1.0);
    let jms = ss_cols / (kf - 1.0);
    let ems = ss_error / ((nf - 1.0) * (kf - 1.0));

    let single_den = bms + (kf - 1.0) * ems + kf * (jms - ems) / nf;
    let average_den = bms + (jms - ems) / nf;
    let mean_square = matrix.iter().flatten().map(|x| x * x).sum::<f64>() / (nf * kf);
    let is_zero = |d: f64| d.abs() <= 1e-20 * mean_square;
    if is_zero(single_den) || is_zero(average_den) {
        return None;
    }
    Some(Icc {
        n,
        k,
        single: (bms - ems) / single_den,
        average: (bms - ems) / average_den,
    })
}

/// A complete units × k matrix built from ratings for [`icc2`], and what was left out of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingMatrix<U> {
    /// Columns: the most common number of distinct raters among units rated by at least two
    /// (ties: the larger); 0 when no unit has two raters.
    pub k: usize,
    /// The unit of each row, ascending.
    pub units: Vec<U>,
    /// One row per unit with at least k raters: its first k ratings in rater-key order.
    pub rows: Vec<Vec<f64>>,
    /// Units with fewer than k raters, not in the matrix (units rated once included).
    pub left_out: usize,
    /// Units with more than k raters, in the matrix with only their first k ratings.
    pub trimmed: usize,
}

/// Builds the n × k matrix [`icc2`] needs from ratings of rotating panels.
///
/// The ICC wants every target rated by the same k raters; assessment panels rotate (each
/// participant is rated by 2 of many assessors) and some ratings are missing. So:
/// - k is the most common number of distinct raters per unit, counted over units with at least
///   two raters (a unit rated once says nothing about agreement, and counting it could make
///   k = 1 when most units have a second rating); ties go to the larger k;
/// - units with fewer than k raters are left out, and units with more keep their first k ratings
///   in rater-key order;
/// - column j holds each unit's j-th rating in rater-key order.
///
/// With rotating panels the columns are therefore rating *positions*, not fixed people: the
/// between-judges term JMS measures differences between positions, which only approximates the
/// rater variance of Shrout & Fleiss's case 2 (a lenient assessor's effect is spread over
/// positions and partly lands in the residual). [`krippendorff_ordinal`] needs no such matrix: it
/// handles rotating panels and missing ratings exactly, and is the statistic to trust when the
/// two differ.
pub fn rating_matrix<U: Ord + Clone, R: Ord>(ratings: &[Rating<U, R>]) -> RatingMatrix<U> {
    let panels = panels(ratings);
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for panel in panels.values().filter(|p| p.len() >= 2) {
        *sizes.entry(panel.len()).or_default() += 1;
    }
    let k = sizes
        .iter()
        .max_by(|(ka, ca), (kb, cb)| ca.cmp(cb).then(ka.cmp(kb)))
        .map_or(0, |(k, _)| *k);
    let mut matrix = RatingMatrix {
        k,
        units: Vec::new(),
        rows: Vec::new(),
        left_out: 0,
        trimmed: 0,
    };
    for (unit, panel) in &panels {
        if k == 0 || panel.len() < k {
            matrix.left_out += 1;
            continue;
        }
        matrix.trimmed += usize::from(panel.len() > k);
        matrix.units.push((*unit).clone());
        matrix
            .rows
            .push(panel.values().take(k).map(|v| f64::from(*v)).collect());
    }
    matrix
}

/// Krippendorff's α with its counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alpha {
    /// α: 1 is perfect agreement, 0 agreement at chance level, below 0 systematic disagreement.
    pub alpha: f64,
    /// n: the pairable values, i.e. the ratings of units rated by at least two raters.
    pub pairable_values: usize,
    /// The units rated by at least two raters.
    pub units: usize,
}

/// Krippendorff's α for ordinal data (Krippendorff, K. (2011). *Computing Krippendorff's
/// Alpha-Reliability*. Annenberg School for Communication, University of Pennsylvania).
///
/// Only pairable values count: the ratings of units with m_u ≥ 2 raters.
/// - Coincidences: o_ck = Σ_u (number of ordered pairs of values c, k from different raters of
///   u) / (m_u − 1); n_c = Σ_k o_ck; n = Σ_c n_c (the number of pairable values).
/// - Ordinal metric: δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)², g running over the values from
///   c to k.
/// - α = 1 − D_o / D_e = 1 − (n − 1) · Σ_c Σ_k o_ck δ²_ck / Σ_c Σ_k n_c n_k δ²_ck.
///
/// The metric depends on the order of the levels and on how often each is used, not on their
/// numbers: a level nobody used has n_g = 0 and adds no distance. Rotating panels and missing
/// ratings need no special handling: each unit contributes its own pairs, weighted 1/(m_u − 1).
///
/// `None` when there are fewer than 2 pairable values, or when the expected disagreement D_e is
/// 0 because every pairable value is the same level (α is undefined: no variation to agree on).
pub fn krippendorff_ordinal<U: Ord, R: Ord>(ratings: &[Rating<U, R>]) -> Option<Alpha> {
    let pairable: Vec<Vec<u8>> = panels(ratings)
        .into_values()
        .filter(|p| p.len() >= 2)
        .map(|p| p.into_values().collect())
        .collect();
    let mut levels: Vec<u8> = pairable.iter().flatten().copied().collect();
    let n_values = levels.len();
    levels.sort_unstable();
    levels.dedup();
    if n_values < 2 || levels.len() < 2 {
        return None;
    }
    // `levels` holds every pairable value, so each one has an index.
    let index = |v: u8| levels.partition_point(|l| *l < v);
    let v = levels.len();

    let mut o = vec![vec![0.0f64; v]; v];
    for unit in &pairable {
        let weight = 1.0 / (unit.len() as f64 - 1.0);
        for (i, a) in unit.iter().enumerate() {
            for (j, b) in unit.iter().enumerate() {
                if i != j {
                    o[index(*a)][index(*b)] += weight;
                }
            }
        }
    }
    let n_c: Vec<f64> = o.iter().map(|row| row.iter().sum()).collect();
    let n = n_c.iter().sum::<f64>();
    let delta2 = |c: usize, k: usize| {
        let (lo, hi) = (c.min(k), c.max(k));
        (n_c[lo..=hi].iter().sum::<f64>() - (n_c[c] + n_c[k]) / 2.0).powi(2)
    };
    let (mut observed, mut expected) = (0.0, 0.0);
    for (c, row) in o.iter().enumerate() {
        for (k, o_ck) in row.iter().enumerate() {
            let d = delta2(c, k);
            observed += o_ck * d;
            expected += n_c[c] * n_c[k] * d;
        }
    }
    if expected == 0.0 {
        return None;
    }
    Some(Alpha {
        alpha: 1.0 - (n - 1.0) * observed / expected,
        pairable_values: n_values,
        units: pairable.len(),
    })
}

/// A unit whose raters are far apart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discrepancy<U, R> {
    /// The unit.
    pub unit: U,
    /// Every rating of the unit, by rater key.
    pub ratings: Vec<(R, u8)>,
    /// The highest level given minus the lowest.
    pub spread: u8,
}

/// The units whose spread (highest level − lowest level among their ratings) is greater than
/// `more_than`, widest first, then by unit. With `more_than = 1` these are the units where two
/// raters are more than one level apart, which an assessment centre settles in its integration
/// meeting.
pub fn discrepancies<U: Ord + Clone, R: Ord + Clone>(
    ratings: &[Rating<U, R>],
    more_than: u8,
) -> Vec<Discrepancy<U, R>> {
    let mut out: Vec<Discrepancy<U, R>> = panels(ratings)
        .into_iter()
        .filter_map(|(unit, panel)| {
            let max = panel.values().max()?;
            let min = panel.values().min()?;
            let spread = max - min;
            (spread > more_than).then(|| Discrepancy {
                unit: unit.clone(),
                ratings: panel.iter().map(|(r, v)| ((*r).clone(), *v)).collect(),
                spread,
            })
        })
        .collect();
    out.sort_by(|a, b| b.spread.cmp(&a.spread).then_with(|| a.unit.cmp(&b.unit)));
    out
}

/// How one rater's levels compare with their colleagues' on the same units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drift<R> {
    /// The rater.
    pub rater: R,
    /// Units the rater rated that at least one other rater also rated.
    pub n: usize,
    /// Mean of the rater's own levels on those units.
    pub own_mean: f64,
    /// Mean over those units of the mean of the *other* raters' levels of the unit.
    pub panel_mean: f64,
    /// own_mean − panel_mean: above 0 the rater is more lenient than their colleagues, below 0
    /// more severe.
    pub difference: f64,
}

/// Leniency or severity of each rater (drift): over the n units the rater rated together with at
/// least one other rater, with x_u the rater's level and ȳ_u the mean of the other raters' levels
/// of unit u,
/// own_mean = Σ x_u / n, panel_mean = Σ ȳ_u / n, difference = own_mean − panel_mean
/// = mean of (x_u − ȳ_u).
///
/// The comparison is with the *other* raters, not with the mean of all the unit's ratings, for
/// the reason a corrected item–total correlation leaves the item out: a mean that includes the
/// rater's own level shrinks the difference by the factor (m − 1)/m of a panel of m. With the
/// usual panel of two that halves it, and since the factor changes with panel size, raters who
/// sat on larger panels would look less deviant for the same behaviour. Against the others, a
/// rater on two-person panels who always gives one level more than the colleague shows a
/// difference of exactly 1.
///
/// Raters with no shared unit are not listed. Sorted by rater.
pub fn rater_drift<U: Ord, R: Ord + Clone>(ratings: &[Rating<U, R>]) -> Vec<Drift<R>> {
    // rater → (units, sum of own levels, sum of the others' unit means)
    let mut sums: BTreeMap<&R, (usize, f64, f64)> = BTreeMap::new();
    for panel in panels(ratings).values().filter(|p| p.len() >= 2) {
        let total: f64 = panel.values().map(|v| f64::from(*v)).sum();
        let others = panel.len() as f64 - 1.0;
        for (rater, value) in panel {
            let own = f64::from(*value);
            let entry = sums.entry(*rater).or_default();
            entry.0 += 1;
            entry.1 += own;
            entry.2 += (total - own) / others;
        }
    }
    sums.into_iter()
        .map(|(rater, (n, own, panel))| {
            let own_mean = own / n as f64;
            let panel_mean = panel / n as f64;
            Drift {
                rater: rater.clone(),
                n,
                own_mean,
                panel_mean,
                difference: own_mean - panel_mean,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Ratings from (unit, rater, level) triples.
    fn ratings(
        rows: &[(&'static str, &'static str, u8)],
    ) -> Vec<Rating<&'static str, &'static str>> {
        rows.iter()
            .map(|&(unit, rater, value)| Rating { unit, rater, value })
            .collect()
    }

    /// Shrout & Fleiss (1979), Table 2: 6 targets (rows) rated by 4 judges (columns).
    fn shrout_fleiss_table_2() -> Vec<Vec<f64>> {
        [
            [9.0, 2.0, 5.0, 8.0],
            [6.0, 1.0, 3.0, 2.0],
            [8.0, 4.0, 6.0, 8.0],
            [7.0, 1.0, 2.0, 6.0],
            [10.0, 5.0, 6.0, 9.0],
            [6.0, 2.0, 4.0, 7.0],
        ]
        .iter()
        .map(|row| row.to_vec())
        .collect()
    }

    /// Krippendorff (2011), the worked example with missing values: observers A–D, units 1–12,
    /// `0` where an observer gave no value.
    fn krippendorff_2011_example() -> Vec<Rating<u8, char>> {
        let table: [(char, [u8; 12]); 4] = [
            ('A', [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0]),
            ('B', [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3]),
            ('C', [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0]),
            ('D', [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0]),
        ];
        let mut out = Vec::new();
        for (rater, values) in table {
            for (unit, value) in (1u8..).zip(values) {
                if value != 0 {
                    out.push(Rating { unit, rater, value });
                }
            }
        }
        out
    }

    #[test]
    fn exact_and_adjacent_count_every_pair_of_different_raters_of_a_unit() {
        // u1: 3·3 exact; u2: 2·3 adjacent; u3: 1·4 neither; u4 (three raters) gives three pairs:
        // 2·2 exact, 2·3 and 2·3 adjacent. 6 pairs: exact 2 → 33.3 %, adjacent 5 → 83.3 %.
        let r = ratings(&[
            ("u1", "A", 3),
            ("u1", "B", 3),
            ("u2", "A", 2),
            ("u2", "B", 3),
            ("u3", "A", 1),
            ("u3", "B", 4),
            ("u4", "A", 2),
            ("u4", "B", 2),
            ("u4", "C", 3),
            ("u5", "A", 5),
        ]);
        let a = exact_and_adjacent(&r);
        assert_eq!(a.pairs, 6);
        assert!(close(a.exact_pct.unwrap(), 100.0 * 2.0 / 6.0, 1e-12));
        assert!(close(a.adjacent_pct.unwrap(), 100.0 * 5.0 / 6.0, 1e-12));
    }

    #[test]
    fn exact_and_adjacent_are_none_when_every_unit_is_rated_once() {
        let r = ratings(&[("u1", "A", 3), ("u2", "B", 4)]);
        assert_eq!(
            exact_and_adjacent(&r),
            PairAgreement {
                pairs: 0,
                exact_pct: None,
                adjacent_pct: None
            }
        );
        assert_eq!(exact_and_adjacent::<&str, &str>(&[]).pairs, 0);
    }

    #[test]
    fn a_second_rating_by_the_same_rater_replaces_the_first_and_is_never_paired_with_it() {
        // A rated u1 twice (2, then 4) and B gave 4: one pair, 4·4, exact.
        let r = ratings(&[("u1", "A", 2), ("u1", "B", 4), ("u1", "A", 4)]);
        let a = exact_and_adjacent(&r);
        assert_eq!((a.pairs, a.exact_pct), (1, Some(100.0)));
        // A alone twice on a unit is still one rating: no pair.
        assert_eq!(
            exact_and_adjacent(&ratings(&[("u1", "A", 2), ("u1", "A", 3)])).pairs,
            0
        );
    }

    #[test]
    fn icc_2_1_of_shrout_and_fleiss_table_2_is_0_29() {
        // Published: ICC(2,1) = .29. Exactly 184/635 = 0.289764: BMS = 1349/120, JMS = 2339/72,
        // EMS = 367/360 by a two-way ANOVA in exact rational arithmetic (Python `fractions`), and
        // 0.2897637795 by pingouin 0.7 `intraclass_corr` (row "ICC(A,1)"), both computed for this
        // test independently of this code.
        let icc = icc2(&shrout_fleiss_table_2()).unwrap();
        assert_eq!((icc.n, icc.k), (6, 4));
        assert!(close(icc.single, 0.2898, 1e-4));
        assert!(close(icc.single, 184.0 / 635.0, 1e-12));
    }

    #[test]
    fn icc_2_4_of_shrout_and_fleiss_table_2_is_0_62() {
        // Published: ICC(2,4) = .62. Exactly 736/1187 = 0.620051, by the same exact ANOVA, and
        // 0.6200505476 by pingouin 0.7 `intraclass_corr` (row "ICC(A,k)").
        let icc = icc2(&shrout_fleiss_table_2()).unwrap();
        assert!(close(icc.average, 0.6201, 1e-4));
        assert!(close(icc.average, 736.0 / 1187.0, 1e-12));
    }

    #[test]
    fn icc_of_raters_in_perfect_agreement_is_1() {
        let m = vec![vec![1.0, 1.0], vec![3.0, 3.0], vec![4.0, 4.0]];
        let icc = icc2(&m).unwrap();
        assert!(close(icc.single, 1.0, 1e-12));
        assert!(close(icc.average, 1.0, 1e-12));
    }

    #[test]
    fn icc_is_none_for_a_ragged_a_too_small_a_constant_or_a_non_finite_matrix() {
        assert_eq!(icc2(&[vec![1.0, 2.0], vec![3.0]]), None);
        assert_eq!(icc2(&[vec![1.0, 2.0]]), None);
        assert_eq!(icc2(&[vec![1.0], vec![2.0]]), None);
        assert_eq!(icc2(&[]), None);
        assert_eq!(
            icc2(&[vec![3.0, 3.0], vec![3.0, 3.0], vec![3.0, 3.0]]),
            None
        );
        // A constant matrix of a value binary floating point cannot hold exactly.
        assert_eq!(icc2(&vec![vec![0.1; 3]; 5]), None);
        assert_eq!(icc2(&[vec![1.0, f64::NAN], vec![2.0, 3.0]]), None);
    }

    #[test]
    fn the_rating_matrix_takes_the_commonest_panel_size_and_each_units_first_k_ratings() {
        // Panels: u1 {A, B}, u2 {B, C}, u3 {A, C, D}, u4 {D} alone. Sizes among units rated
        // twice or more: 2 twice, 3 once → k = 2. u3 keeps A and C (rater-key order); u4 is left
        // out.
        let r = ratings(&[
            ("u1", "B", 4),
            ("u1", "A", 3),
            ("u2", "C", 2),
            ("u2", "B", 2),
            ("u3", "D", 3),
            ("u3", "C", 4),
            ("u3", "A", 5),
            ("u4", "D", 1),
        ]);
        let m = rating_matrix(&r);
        assert_eq!(m.k, 2);
        assert_eq!(m.units, ["u1", "u2", "u3"]);
        assert_eq!(m.rows, [vec![3.0, 4.0], vec![2.0, 2.0], vec![5.0, 4.0]]);
        assert_eq!((m.left_out, m.trimmed), (1, 1));
    }

    #[test]
    fn a_tie_between_panel_sizes_goes_to_the_larger() {
        // One unit with two raters, one with three → k = 3, the two-rater unit is left out.
        let r = ratings(&[
            ("u1", "A", 3),
            ("u1", "B", 4),
            ("u2", "A", 2),
            ("u2", "B", 2),
            ("u2", "C", 3),
        ]);
        let m = rating_matrix(&r);
        assert_eq!((m.k, m.rows.len(), m.left_out, m.trimmed), (3, 1, 1, 0));
        assert_eq!(m.rows, [vec![2.0, 2.0, 3.0]]);
    }

    #[test]
    fn no_icc_comes_from_ratings_where_every_unit_is_rated_once() {
        let m = rating_matrix(&ratings(&[("u1", "A", 3), ("u2", "B", 4)]));
        assert_eq!((m.k, m.rows.len(), m.left_out), (0, 0, 2));
        assert_eq!(icc2(&m.rows), None);
    }

    #[test]
    fn ordinal_alpha_of_krippendorffs_2011_example_is_0_815() {
        // Published: ordinal α = 0.815 (nominal 0.743, interval 0.849). Exactly
        // 108577/133160 = 0.815388 (n_1..n_5 = 9, 13, 10, 5, 3; n = 40), from a separate
        // coincidence-matrix implementation in exact rational arithmetic (Python `fractions`),
        // and 0.8153875038 from the `krippendorff` Python package 0.9
        // (`alpha(level_of_measurement="ordinal")`, which also reproduces the published 0.743
        // nominal and 0.849 interval). Unit 12 has one value only: 11 units, 40 pairable values.
        let a = krippendorff_ordinal(&krippendorff_2011_example()).unwrap();
        assert!(close(a.alpha, 0.8154, 1e-4));
        assert!(close(a.alpha, 108_577.0 / 133_160.0, 1e-12));
        assert_eq!((a.pairable_values, a.units), (40, 11));
    }

    #[test]
    fn ordinal_alpha_reads_only_the_order_of_the_levels() {
        // Doubling every level keeps the order and the frequencies, hence α.
        let doubled: Vec<_> = krippendorff_2011_example()
            .into_iter()
            .map(|r| Rating {
                value: r.value * 2,
                ..r
            })
            .collect();
        let a = krippendorff_ordinal(&doubled).unwrap();
        assert!(close(a.alpha, 108_577.0 / 133_160.0, 1e-12));
    }

    #[test]
    fn ordinal_alpha_of_two_raters_who_always_agree_is_1_and_of_mirror_images_below_0() {
        let agree = ratings(&[
            ("u1", "A", 1),
            ("u1", "B", 1),
            ("u2", "A", 3),
            ("u2", "B", 3),
            ("u3", "A", 5),
            ("u3", "B", 5),
        ]);
        assert!(close(
            krippendorff_ordinal(&agree).unwrap().alpha,
            1.0,
            1e-12
        ));
        // Two units, A and B swap 1 and 5: o_15 = o_51 = 2, n_1 = n_5 = 2, n = 4,
        // δ²_15 = (2 + 2 − 2)² = 4. D_o·(n − 1) = 3·(2·4 + 2·4) = 48; D_e = 2·2·4·2 = 32;
        // α = 1 − 48/32 = −0.5.
        let mirror = ratings(&[
            ("u1", "A", 1),
            ("u1", "B", 5),
            ("u2", "A", 5),
            ("u2", "B", 1),
        ]);
        assert!(close(
            krippendorff_ordinal(&mirror).unwrap().alpha,
            -0.5,
            1e-12
        ));
    }

    #[test]
    fn ordinal_alpha_is_none_without_pairable_values_or_without_variation() {
        assert_eq!(
            krippendorff_ordinal(&ratings(&[("u1", "A", 3), ("u2", "B", 4)])),
            None
        );
        assert_eq!(
            krippendorff_ordinal(&ratings(&[
                ("u1", "A", 3),
                ("u1", "B", 3),
                ("u2", "A", 3),
                ("u2", "C", 3),
                ("u3", "D", 5),
            ])),
            None
        );
        assert_eq!(krippendorff_ordinal::<u8, u8>(&[]), None);
    }

    #[test]
    fn discrepancies_list_units_more_than_one_level_apart_widest_first() {
        let r = ratings(&[
            ("u1", "B", 4),
            ("u1", "A", 1),
            ("u2", "A", 2),
            ("u2", "B", 4),
            ("u3", "A", 3),
            ("u3", "B", 4),
            ("u0", "C", 3),
            ("u0", "A", 5),
            ("u0", "B", 2),
            ("u9", "A", 1),
        ]);
        let d = discrepancies(&r, 1);
        let listed: Vec<(&str, u8)> = d.iter().map(|d| (d.unit, d.spread)).collect();
        // u0 and u1 both span 3 levels and are listed by unit; u3 (one apart) and u9 (alone) are not.
        assert_eq!(listed, [("u0", 3), ("u1", 3), ("u2", 2)]);
        assert_eq!(d[0].ratings, [("A", 5), ("B", 2), ("C", 3)]);
        assert!(discrepancies(&r, 3).is_empty());
        assert_eq!(discrepancies(&r, 0).len(), 4);
    }

    #[test]
    fn drift_compares_each_rater_with_the_other_raters_of_the_same_units() {
        // u1: A 4, B 2; u2: A 5, B 3, C 4; u3: A 3 alone (not counted); u4: B 2, C 2.
        // A: own (4 + 5)/2 = 4.5; others u1 2, u2 (3 + 4)/2 = 3.5 → 2.75; difference 1.75.
        // B: own (2 + 3 + 2)/3 = 7/3; others 4, (5 + 4)/2 = 4.5, 2 → 3.5; difference −7/6.
        // C: own (4 + 2)/2 = 3; others (5 + 3)/2 = 4, 2 → 3; difference 0.
        let r = ratings(&[
            ("u1", "A", 4),
            ("u1", "B", 2),
            ("u2", "A", 5),
            ("u2", "B", 3),
            ("u2", "C", 4),
            ("u3", "A", 3),
            ("u4", "B", 2),
            ("u4", "C", 2),
        ]);
        let d = rater_drift(&r);
        let raters: Vec<(&str, usize)> = d.iter().map(|d| (d.rater, d.n)).collect();
        assert_eq!(raters, [("A", 2), ("B", 3), ("C", 2)]);
        assert!(close(d[0].own_mean, 4.5, 1e-12));
        assert!(close(d[0].panel_mean, 2.75, 1e-12));
        assert!(close(d[0].difference, 1.75, 1e-12));
        assert!(close(d[1].own_mean, 7.0 / 3.0, 1e-12));
        assert!(close(d[1].panel_mean, 3.5, 1e-12));
        assert!(close(d[1].difference, -7.0 / 6.0, 1e-12));
        assert!(close(d[2].difference, 0.0, 1e-12));
    }

    #[test]
    fn a_rater_always_one_level_above_the_colleague_drifts_by_exactly_1() {
        let r = ratings(&[
            ("u1", "A", 4),
            ("u1", "B", 3),
            ("u2", "A", 3),
            ("u2", "C", 2),
        ]);
        let d = rater_drift(&r);
        assert_eq!(d[0].rater, "A");
        assert!(close(d[0].difference, 1.0, 1e-12));
    }

    #[test]
    fn drift_is_empty_when_no_unit_has_two_raters() {
        assert!(rater_drift(&ratings(&[("u1", "A", 3), ("u2", "A", 4)])).is_empty());
    }
}

//! The classical statistics of each item and of the test (formulas in the module documentation of
//! [`super`]).
use serde::Serialize;

use super::stats::{
    cronbach_alpha, extreme_group_weights, mean, pearson, population_variance, sample_sd,
    weighted_mean,
};
use super::{prepare, AnalysisError, AnalysisSettings, ItemKind, ItemSpec, Person, Prepared};

/// Which reliability coefficient a test's α is: KR-20 when every item is 0/1, else Cronbach's α
/// (the same formula).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReliabilityCoefficient {
    /// Kuder–Richardson formula 20.
    Kr20,
    /// Cronbach's α.
    CronbachAlpha,
}

/// A flag on the whole test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestFlag {
    /// Every respondent has the same total: no reliability, no correlation with the total.
    ZeroVariance,
    /// The test has one item: no reliability coefficient.
    SingleItem,
}

/// A flag on one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemFlag {
    /// Everyone gave the same score: its correlations do not exist.
    ZeroVariance,
    /// p above `too_easy_above`.
    TooEasy,
    /// p below `too_hard_below`.
    TooHard,
    /// Corrected item–total r below `min_corrected_r`.
    NonDiscriminating,
    /// At least one distractor attracts strong candidates (see its [`DistractorFlag`]s).
    StrongDistractor,
    /// α without the item exceeds α by more than `alpha_rise_above`.
    AlphaRisesIfDeleted,
}

/// Why a distractor is suspected of attracting strong candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DistractorFlag {
    /// Its point-biserial exceeds `max_distractor_r_pb`: choosers have higher totals.
    PositivePointBiserial,
    /// The upper group chooses it more often than it chooses the key.
    BeatsKeyInUpperGroup,
}

/// One option of a choice item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionStats {
    /// The option's id.
    pub option: String,
    /// Whether it is the key.
    pub is_key: bool,
    /// Share of the respondents analysed who chose it.
    pub rate: f64,
    /// Share of the upper group who chose it.
    pub upper_rate: f64,
    /// Share of the lower group who chose it.
    pub lower_rate: f64,
    /// Pearson's r of chose (1) / did not (0) with the total; `None` when everyone or no one
    /// chose it.
    pub point_biserial: Option<f64>,
    /// For a distractor, why it attracts strong candidates (empty for the key).
    pub flags: Vec<DistractorFlag>,
}

/// How often one point of a Likert item was given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CategoryStats {
    /// The point, 1…k.
    pub point: u8,
    /// Share of the respondents analysed who gave it.
    pub rate: f64,
}

/// The statistics of one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    /// The item's code.
    pub code: String,
    /// Mean item score (for a 0/1 item, its difficulty p).
    pub mean: f64,
    /// Sample standard deviation of the item score (N − 1).
    pub sd: f64,
    /// Difficulty p, 0/1 items only.
    pub difficulty: Option<f64>,
    /// Pearson's r with the total (the point-biserial for a 0/1 item).
    pub item_total_r: Option<f64>,
    /// Pearson's r with the total without this item.
    pub corrected_item_total_r: Option<f64>,
    /// α of the other items (`None` with fewer than two others or no variance among them).
    pub alpha_if_deleted: Option<f64>,
    /// p in the upper group (0/1 items).
    pub upper_p: Option<f64>,
    /// p in the lower group (0/1 items).
    pub lower_p: Option<f64>,
    /// D = p_upper − p_lower (0/1 items).
    pub discrimination_index: Option<f64>,
    /// Share of every respondent given who left the item unanswered.
    pub omission_rate: f64,
    /// Every option of a choice item, in the item's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionStats>,
    /// Every point of a Likert item.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<CategoryStats>,
    /// Flags raised.
    pub flags: Vec<ItemFlag>,
}

/// The statistics of the whole test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestStats {
    /// Respondents analysed.
    pub n: usize,
    /// Respondents given but left out for missing responses.
    pub left_out: usize,
    /// Number of items.
    pub items: usize,
    /// Mean total.
    pub mean: f64,
    /// Sample standard deviation of the totals (N − 1).
    pub sd: f64,
    /// Which coefficient `reliability` is.
    pub coefficient: ReliabilityCoefficient,
    /// KR-20 or Cronbach's α.
    pub reliability: Option<f64>,
    /// SEM = sd · √(1 − α).
    pub sem: Option<f64>,
    /// Flags raised.
    pub flags: Vec<TestFlag>,
}

/// An item analysis: the test, then each item in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemAnalysis {
    /// Test-level statistics.
    pub test: TestStats,
    /// One entry per item, in the order given.
    pub items: Vec<ItemStats>,
}

/// Analyses `persons`' responses to `items` (formulas, ties, missing responses and flags in the
/// [module documentation](super)).
pub fn analyse(
    items: &[ItemSpec],
    persons: &[Person],
    settings: &AnalysisSettings,
) -> Result<ItemAnalysis, AnalysisError> {
    let data = prepare(items, persons, settings)?;
    let n = data.totals.len();
    let k = items.len();
    let columns: Vec<&[f64]> = data.scores.iter().map(Vec::as_slice).collect();
    let alpha = cronbach_alpha(&columns);
    let total_sd = sample_sd(&data.totals);
    let mut test_flags = Vec::new();
    if population_variance(&data.totals) == 0.0 {
        test_flags.push(TestFlag::ZeroVariance);
    }
    if k == 1 {
        test_flags.push(TestFlag::SingleItem);
    }
    let share = settings.extreme_group_fraction;
    let upper = extreme_group_weights(&data.totals, share, true);
    let lower = extreme_group_weights(&data.totals, share, false);
    let item_stats = items
        .iter()
        .enumerate()
        .map(|(j, item)| {
            let others: Vec<&[f64]> = columns
                .iter()
                .enumerate()
                .filter(|(m, _)| *m != j)
                .map(|(_, c)| *c)
                .collect();
            item_stats(
                item,
                j,
                &data,
                alpha,
                cronbach_alpha(&others),
                (&upper, &lower),
                settings,
            )
        })
        .collect();
    Ok(ItemAnalysis {
        test: TestStats {
            n,
            left_out: data.given - data.analysed.len(),
            items: k,
            mean: mean(&data.totals),
            sd: total_sd,
            coefficient: if items.iter().all(|i| i.is_dichotomous()) {
                ReliabilityCoefficient::Kr20
            } else {
                ReliabilityCoefficient::CronbachAlpha
            },
            reliability: alpha,
            sem: alpha.map(|a| total_sd * (1.0 - a).max(0.0).sqrt()),
            flags: test_flags,
        },
        items: item_stats,
    })
}

fn item_stats(
    item: &ItemSpec,
    j: usize,
    data: &Prepared<'_>,
    alpha: Option<f64>,
    alpha_if_deleted: Option<f64>,
    (upper, lower): (&[f64], &[f64]),
    settings: &AnalysisSettings,
) -> ItemStats {
    let x = &data.scores[j];
    let totals = &data.totals;
    let rest: Vec<f64> = totals.iter().zip(x).map(|(t, s)| t - s).collect();
    let thresholds = &settings.flags;
    let mut flags = Vec::new();
    if population_variance(x) == 0.0 {
        flags.push(ItemFlag::ZeroVariance);
    }
    let p = mean(x);
    let corrected = pearson(x, &rest);
    let mut stats = ItemStats {
        code: item.code.clone(),
        mean: p,
        sd: sample_sd(x),
        difficulty: None,
        item_total_r: pearson(x, totals),
        corrected_item_total_r: corrected,
        alpha_if_deleted,
        upper_p: None,
        lower_p: None,
        discrimination_index: None,
        omission_rate: data.omitted[j] as f64 / data.given as f64,
        options: Vec::new(),
        categories: Vec::new(),
        flags: Vec::new(),
    };
    match &item.kind {
        ItemKind::Dichotomous { key, options } => {
            stats.difficulty = Some(p);
            stats.upper_p = weighted_mean(x, upper);
            stats.lower_p = weighted_mean(x, lower);
            stats.discrimination_index = stats.upper_p.zip(stats.lower_p).map(|(u, l)| u - l);
            if p > thresholds.too_easy_above {
                flags.push(ItemFlag::TooEasy);
            }
            if p < thresholds.too_hard_below {
                flags.push(ItemFlag::TooHard);
            }
            if let Some(key) = key {
                stats.options = option_stats(options, key, &data.choices[j], data, upper, lower);
                for o in stats.options.iter_mut().filter(|o| !o.is_key) {
                    flag_distractor(o, stats.upper_p, thresholds.max_distractor_r_pb);
                }
            }
        }
        ItemKind::Likert { points } => {
            stats.categories = (1..=*points)
                .map(|point| CategoryStats {
                    point,
                    rate: x.iter().filter(|s| **s == f64::from(point)).count() as f64
                        / x.len() as f64,
                })
                .collect();
        }
    }
    if matches!(corrected, Some(r) if r < thresholds.min_corrected_r) {
        flags.push(ItemFlag::NonDiscriminating);
    }
    if stats.options.iter().any(|o| !o.flags.is_empty()) {
        flags.push(ItemFlag::StrongDistractor);
    }
    if let (Some(a), Some(without)) = (alpha, alpha_if_deleted) {
        if without - a > thresholds.alpha_rise_above {
            flags.push(ItemFlag::AlphaRisesIfDeleted);
        }
    }
    stats.flags = flags;
    stats
}

fn option_stats(
    options: &[String],
    key: &str,
    choices: &[Option<&str>],
    data: &Prepared<'_>,
    upper: &[f64],
    lower: &[f64],
) -> Vec<OptionStats> {
    options
        .iter()
        .map(|o| {
            let chose: Vec<f64> = choices
                .iter()
                .map(|c| if *c == Some(o.as_str()) { 1.0 } else { 0.0 })
                .collect();
            OptionStats {
                option: o.clone(),
                is_key: o == key,
                rate: mean(&chose),
                upper_rate: weighted_mean(&chose, upper).unwrap_or(0.0),
                lower_rate: weighted_mean(&chose, lower).unwrap_or(0.0),
                point_biserial: pearson(&chose, &data.totals),
                flags: Vec::new(),
            }
        })
        .collect()
}

/// A distractor attracts strong candidates when its point-biserial exceeds the threshold, or when
/// the upper group chooses it more often than the key (the key's upper rate is the item's upper p).
fn flag_distractor(o: &mut OptionStats, key_upper: Option<f64>, max_r_pb: f64) {
    if matches!(o.point_biserial, Some(r) if r > max_r_pb) {
        o.flags.push(DistractorFlag::PositivePointBiserial);
    }
    if matches!(key_upper, Some(k) if o.upper_rate > k) {
        o.flags.push(DistractorFlag::BeatsKeyInUpperGroup);
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::super::fixtures::{small, zero_one};
    use super::super::{FlagThresholds, ItemResponse};
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn some_close(a: Option<f64>, b: f64) -> bool {
        matches!(a, Some(a) if close(a, b))
    }

    /// The worked 5 × 4 example (rows respondents, columns items, 1 right):
    ///
    /// ```text
    ///        I1 I2 I3 I4 | X
    /// P1      1  1  1  0 | 3
    /// P2      1  1  0  1 | 3
    /// P3      1  0  1  0 | 2
    /// P4      1  1  0  0 | 2
    /// P5      0  0  0  0 | 0
    /// ```
    ///
    /// Each item has options a–d. I1 key a (P5 chose b); I2 key b (P3, P5 chose c); I3 key c (P2
    /// chose d, P4 chose b, P5 omitted it); I4 key d (P1, P3 chose a, P4 b, P5 c).
    fn worked() -> (Vec<ItemSpec>, Vec<Person>) {
        let opts = ["a", "b", "c", "d"];
        let items = vec![
            ItemSpec::choice("I1", "a", &opts),
            ItemSpec::choice("I2", "b", &opts),
            ItemSpec::choice("I3", "c", &opts),
            ItemSpec::choice("I4", "d", &opts),
        ];
        let keys = ["a", "b", "c", "d"];
        let rows: [[Option<&str>; 4]; 5] = [
            [Some("a"), Some("b"), Some("c"), Some("a")],
            [Some("a"), Some("b"), Some("d"), Some("d")],
            [Some("a"), Some("c"), Some("c"), Some("a")],
            [Some("a"), Some("b"), Some("b"), Some("b")],
            [Some("b"), Some("c"), None, Some("c")],
        ];
        let persons = rows
            .iter()
            .map(|row| Person {
                responses: row
                    .iter()
                    .zip(keys)
                    .map(|(c, k)| match c {
                        Some(c) => ItemResponse::chose(c, if *c == k { 1.0 } else { 0.0 }),
                        None => ItemResponse::omitted(),
                    })
                    .collect(),
                groups: Default::default(),
            })
            .collect();
        (items, persons)
    }

    #[test]
    fn the_worked_example_gives_the_test_statistics_worked_by_hand() {
        let (items, persons) = worked();
        let a = analyse(&items, &persons, &small()).unwrap();
        // X = 3, 3, 2, 2, 0: mean 10/5 = 2; squared deviations 1, 1, 0, 0, 4 → SS 6;
        // s²_X (N) = 6/5 = 1.2; sd (N − 1) = √(6/4) = √1.5 = 1.224744871.
        // p = 0.8, 0.6, 0.4, 0.2 → Σpq = 0.16 + 0.24 + 0.24 + 0.16 = 0.8.
        // KR-20 = 4/3 · (1 − 0.8/1.2) = 4/3 · 1/3 = 4/9 = 0.444444…
        // SEM = √1.5 · √(1 − 4/9) = √(1.5 · 5/9) = √0.833333… = 0.912870929.
        let t = &a.test;
        assert_eq!((t.n, t.left_out, t.items), (5, 0, 4));
        assert!(close(t.mean, 2.0));
        assert!(close(t.sd, 1.224_744_871_391_589));
        assert_eq!(t.coefficient, ReliabilityCoefficient::Kr20);
        assert!(some_close(t.reliability, 4.0 / 9.0));
        assert!(some_close(t.sem, 0.912_870_929_175_277));
        assert!(t.flags.is_empty());
    }

    #[test]
    fn the_worked_example_gives_p_r_pb_corrected_r_and_alpha_if_deleted_worked_by_hand() {
        let (items, persons) = worked();
        let a = analyse(&items, &persons, &small()).unwrap();
        // I1: x = 1,1,1,1,0, p = 0.8, s²_x = pq = 0.16.
        //   cov(x, X) = Σx·X/5 − p·mean X = (3+3+2+2)/5 − 0.8·2 = 2 − 1.6 = 0.4;
        //   r_pb = 0.4 / √(0.16 · 1.2) = 0.4 / 0.438178 = 0.912870929.
        //   rest = X − x = 2,2,1,1,0: mean 1.2, s² = (4+4+1+1)/5 − 1.44 = 0.56;
        //   cov(x, rest) = (2+2+1+1)/5 − 0.8·1.2 = 1.2 − 0.96 = 0.24;
        //   corrected r = 0.24 / √(0.16 · 0.56) = 0.24 / 0.299333 = 0.801783726.
        //   α without I1: Σpq of I2–I4 = 0.24+0.24+0.16 = 0.64, rest s² 0.56
        //   → 3/2 · (1 − 0.64/0.56) = 1.5 · (−0.142857) = −0.214285714.
        // I2: x = 1,1,0,1,0, p = 0.6, pq = 0.24.
        //   cov(x, X) = (3+3+2)/5 − 0.6·2 = 1.6 − 1.2 = 0.4; r_pb = 0.4/√(0.24·1.2) = 0.745355992.
        //   rest = 2,2,2,1,0: mean 1.4, s² = (4+4+4+1)/5 − 1.96 = 0.64;
        //   cov = (2+2+1)/5 − 0.6·1.4 = 1 − 0.84 = 0.16; r = 0.16/√(0.24·0.64) = 0.408248290.
        //   α without I2: Σpq = 0.16+0.24+0.16 = 0.56 → 1.5 · (1 − 0.56/0.64) = 0.1875.
        // I3: x = 1,0,1,0,0 (P5's omission scores 0), p = 0.4, pq = 0.24.
        //   cov(x, X) = (3+2)/5 − 0.4·2 = 1 − 0.8 = 0.2; r_pb = 0.2/√(0.24·1.2) = 0.372677996.
        //   rest = 2,3,1,2,0: mean 1.6, s² = (4+9+1+4)/5 − 2.56 = 1.04;
        //   cov = (2+1)/5 − 0.4·1.6 = 0.6 − 0.64 = −0.04; r = −0.04/√(0.24·1.04) = −0.080064077.
        //   α without I3: Σpq = 0.16+0.24+0.16 = 0.56 → 1.5 · (1 − 0.56/1.04) = 0.692307692.
        // I4: x = 0,1,0,0,0, p = 0.2, pq = 0.16.
        //   cov(x, X) = 3/5 − 0.2·2 = 0.2; r_pb = 0.2/√(0.16·1.2) = 0.456435465.
        //   rest = 3,2,2,2,0: mean 1.8, s² = (9+4+4+4)/5 − 3.24 = 0.96;
        //   cov = 2/5 − 0.2·1.8 = 0.04; r = 0.04/√(0.16·0.96) = 0.102062073.
        //   α without I4: Σpq = 0.16+0.24+0.24 = 0.64 → 1.5 · (1 − 0.64/0.96) = 0.5.
        let expected = [
            (
                0.8,
                0.912_870_929_175_277,
                0.801_783_725_737_273,
                -0.214_285_714_285_714,
            ),
            (0.6, 0.745_355_992_499_930, 0.408_248_290_463_863, 0.1875),
            (
                0.4,
                0.372_677_996_249_965,
                -0.080_064_076_902_544,
                0.692_307_692_307_692,
            ),
            (0.2, 0.456_435_464_587_638, 0.102_062_072_615_966, 0.5),
        ];
        for (s, (p, r, rc, ad)) in a.items.iter().zip(expected) {
            assert!(
                some_close(s.difficulty, p),
                "{} p {:?}",
                s.code,
                s.difficulty
            );
            assert!(close(s.mean, p));
            assert!(
                some_close(s.item_total_r, r),
                "{} r {:?}",
                s.code,
                s.item_total_r
            );
            assert!(
                some_close(s.corrected_item_total_r, rc),
                "{} rc {:?}",
                s.code,
                s.corrected_item_total_r
            );
            assert!(
                some_close(s.alpha_if_deleted, ad),
                "{} ad {:?}",
                s.code,
                s.alpha_if_deleted
            );
        }
        // Item sd (N − 1) of I1: √(0.16 · 5/4) = √0.2 = 0.447213595.
        assert!(close(a.items[0].sd, 0.2_f64.sqrt()));
    }

    #[test]
    fn the_upper_lower_index_shares_the_places_of_respondents_tied_at_the_cut() {
        let (items, persons) = worked();
        let a = analyse(&items, &persons, &small()).unwrap();
        // g = 0.27 · 5 = 1.35. Upper: P1 and P2 (X = 3) tie and count 0.675 each.
        // Lower: P5 (X = 0) counts 1, P3 and P4 (X = 2) share 0.35 → 0.175 each.
        // I1: upper (0.675 + 0.675)/1.35 = 1; lower (0·1 + 0.175 + 0.175)/1.35 = 0.259259…;
        //     D = 0.740741.
        // I2: upper 1; lower (0 + 0·0.175 + 1·0.175)/1.35 = 0.129630; D = 0.870370.
        // I3: upper 0.675/1.35 = 0.5; lower 0.175/1.35 = 0.129630; D = 0.370370.
        // I4: upper 0.5; lower 0; D = 0.5.
        let d = [
            (1.0, 0.35 / 1.35),
            (1.0, 0.175 / 1.35),
            (0.5, 0.175 / 1.35),
            (0.5, 0.0),
        ];
        for (s, (u, l)) in a.items.iter().zip(d) {
            assert!(some_close(s.upper_p, u), "{} {:?}", s.code, s.upper_p);
            assert!(some_close(s.lower_p, l), "{} {:?}", s.code, s.lower_p);
            assert!(some_close(s.discrimination_index, u - l));
        }
    }

    #[test]
    fn distractors_get_their_choice_rates_point_biserials_and_flags() {
        let (items, persons) = worked();
        let a = analyse(&items, &persons, &small()).unwrap();
        let i3 = &a.items[2];
        // I3: P1, P3 chose c (key), P2 d, P4 b, P5 omitted → rates a 0, b 0.2, c 0.4, d 0.2,
        // omission 1/5 = 0.2.
        assert!(close(i3.omission_rate, 0.2));
        let rates: Vec<(&str, f64)> = i3
            .options
            .iter()
            .map(|o| (o.option.as_str(), o.rate))
            .collect();
        assert_eq!(rates, [("a", 0.0), ("b", 0.2), ("c", 0.4), ("d", 0.2)]);
        // d: chose = 0,1,0,0,0 → cov with X = 3/5 − 0.2·2 = 0.2; r = 0.2/√(0.16·1.2) = 0.456435:
        //    above 0, a strong candidate's choice. Upper rate 0.675/1.35 = 0.5, the key's upper
        //    rate is also 0.5: not more often than the key, so only the r_pb flag.
        let d = &i3.options[3];
        assert!(some_close(d.point_biserial, 0.456_435_464_587_638));
        assert!(close(d.upper_rate, 0.5));
        assert_eq!(d.flags, [DistractorFlag::PositivePointBiserial]);
        // b: chose = 0,0,0,1,0 → cov = 2/5 − 0.2·2 = 0 exactly: r_pb 0 is not above 0, no flag.
        let b = &i3.options[1];
        assert_eq!(b.point_biserial, Some(0.0));
        assert!(b.flags.is_empty());
        // a: nobody chose it → no r_pb, no flag.
        assert_eq!(i3.options[0].point_biserial, None);
        assert!(i3.options[2].is_key && i3.options[2].flags.is_empty());
        // I1's distractor b is chosen only by P5 (X = 0): r = −0.912871, no flag.
        let b1 = &a.items[0].options[1];
        assert!(some_close(b1.point_biserial, -0.912_870_929_175_277));
        assert!(b1.flags.is_empty());
        // I3: negative corrected r (non-discriminating), α without it 0.692 > 0.444, and the
        // distractor d. I4: p = 0.2 is not below 0.20 (no too_hard); corrected r 0.102 < 0.20;
        // its distractor a is chosen by P1 (X 3) and P3 (X 2): chose = 1,0,1,0,0, cov with X
        // = (3 + 2)/5 − 0.4·2 = 0.2, r = 0.2/√(0.24·1.2) = 0.372678 > 0; its upper rate
        // 0.675/1.35 = 0.5 equals the key's, so it does not beat the key.
        assert_eq!(
            i3.flags,
            [
                ItemFlag::NonDiscriminating,
                ItemFlag::StrongDistractor,
                ItemFlag::AlphaRisesIfDeleted
            ]
        );
        let a4 = &a.items[3].options[0];
        assert!(some_close(a4.point_biserial, 0.372_677_996_249_965));
        assert_eq!(a4.flags, [DistractorFlag::PositivePointBiserial]);
        assert_eq!(
            a.items[3].flags,
            [
                ItemFlag::NonDiscriminating,
                ItemFlag::StrongDistractor,
                ItemFlag::AlphaRisesIfDeleted
            ]
        );
        assert_eq!(a.items[0].flags, Vec::<ItemFlag>::new());
    }

    #[test]
    fn a_distractor_the_upper_group_prefers_to_the_key_is_flagged_whatever_its_r_pb() {
        // Item Q, key a; the totals X = Q + R with R a second 0/1 item without options:
        //   P1 chose b, R = 1 → X 1;  P2 chose b, R = 1 → X 1;  P3 chose a, R = 0 → X 1;
        //   P4 chose c, R = 0 → X 0.
        // Upper group of fraction 0.5: g = 2 places; P1, P2, P3 tie at X = 1 and share them →
        // 2/3 each. Key a upper rate (2/3)/2 = 1/3; b upper rate (2/3 + 2/3)/2 = 2/3 > 1/3, so b
        // beats the key in the upper group.
        // b's r_pb: chose = 1,1,0,0, X = 1,1,1,0 (mean 0.75, s² 0.1875); cov = 2/4 − 0.5·0.75
        //   = 0.125; r = 0.125/√(0.25·0.1875) = 0.577350 > 0 → positive r_pb too.
        // c: chose = 0,0,0,1 → r = −1 and upper rate 0: no flag.
        let items = [
            ItemSpec::choice("Q", "a", &["a", "b", "c"]),
            ItemSpec::dichotomous("R"),
        ];
        let person = |c: &str, r: f64| Person {
            responses: vec![
                ItemResponse::chose(c, if c == "a" { 1.0 } else { 0.0 }),
                ItemResponse::scored(r),
            ],
            groups: Default::default(),
        };
        let persons = [
            person("b", 1.0),
            person("b", 1.0),
            person("a", 0.0),
            person("c", 0.0),
        ];
        let settings = AnalysisSettings {
            extreme_group_fraction: 0.5,
            ..small()
        };
        let a = analyse(&items, &persons, &settings).unwrap();
        let q = &a.items[0];
        assert!(some_close(q.upper_p, 1.0 / 3.0));
        assert!(close(q.options[1].upper_rate, 2.0 / 3.0));
        assert!(some_close(
            q.options[1].point_biserial,
            0.577_350_269_189_626
        ));
        assert_eq!(
            q.options[1].flags,
            [
                DistractorFlag::PositivePointBiserial,
                DistractorFlag::BeatsKeyInUpperGroup
            ]
        );
        assert!(q.options[2].flags.is_empty());
        assert!(q.flags.contains(&ItemFlag::StrongDistractor));
        // With the r_pb threshold raised above b's r_pb, only the upper-group rule remains.
        let lenient = AnalysisSettings {
            flags: FlagThresholds {
                max_distractor_r_pb: 0.9,
                ..FlagThresholds::default()
            },
            ..settings
        };
        let a = analyse(&items, &persons, &lenient).unwrap();
        assert_eq!(
            a.items[0].options[1].flags,
            [DistractorFlag::BeatsKeyInUpperGroup]
        );
    }

    #[test]
    fn likert_items_get_means_sds_corrected_r_and_cronbach_alpha_worked_by_hand() {
        // Three 4-point items, four respondents:
        //        L1 L2 L3 | X
        //   P1    4  3  4 | 11
        //   P2    3  3  2 |  8
        //   P3    2  1  2 |  5
        //   P4    1  1  1 |  3
        // Means 2.5, 2, 2.25; s² (N): L1 (2.25+0.25+0.25+2.25)/4 = 1.25; L2 (1+1+1+1)/4 = 1;
        // L3 (3.0625+0.0625+0.0625+1.5625)/4 = 1.1875; Σ = 3.4375.
        // X mean 27/4 = 6.75; deviations 4.25, 1.25, −1.75, −3.75 → squares 18.0625, 1.5625,
        // 3.0625, 14.0625 → SS 36.75, s²_X = 9.1875.
        // α = 3/2 · (1 − 3.4375/9.1875) = 1.5 · (1 − 0.374150) = 1.5 · 0.625850 = 0.938776.
        // L1 deleted: L2 + L3 = 7, 5, 3, 2 (mean 4.25, s² (7.5625+0.5625+1.5625+5.0625)/4
        //   = 3.6875); α = 2 · (1 − (1 + 1.1875)/3.6875) = 2 · 0.406780 = 0.813559.
        //   Corrected r of L1 with 7, 5, 3, 2: cov = (28+15+6+2)/4 − 2.5·4.25 = 12.75 − 10.625
        //   = 2.125; r = 2.125/√(1.25 · 3.6875) = 2.125/2.146945 = 0.989778.
        let items = [
            ItemSpec::likert("L1", 4),
            ItemSpec::likert("L2", 4),
            ItemSpec::likert("L3", 4),
        ];
        let persons: Vec<Person> = [[4, 3, 4], [3, 3, 2], [2, 1, 2], [1, 1, 1]]
            .iter()
            .map(|r| zero_one(r))
            .collect();
        let a = analyse(&items, &persons, &small()).unwrap();
        assert_eq!(a.test.coefficient, ReliabilityCoefficient::CronbachAlpha);
        assert!(some_close(a.test.reliability, 0.938_775_510_204_082));
        // sd (N − 1) = √(36.75/3) = √12.25 = 3.5; SEM = 3.5 · √(1 − 0.938776) = 3.5 · 0.247436
        // = 0.866025 (= √0.75).
        assert!(close(a.test.sd, 3.5));
        assert!(some_close(a.test.sem, 0.75_f64.sqrt()));
        let l1 = &a.items[0];
        assert!(close(l1.mean, 2.5));
        // sd (N − 1) = √(1.25 · 4/3) = √(5/3) = 1.290994.
        assert!(close(l1.sd, (5.0_f64 / 3.0).sqrt()));
        assert!(some_close(l1.alpha_if_deleted, 0.813_559_322_033_898));
        assert!(some_close(
            l1.corrected_item_total_r,
            2.125 / (1.25_f64 * 3.6875).sqrt()
        ));
        assert!(some_close(l1.corrected_item_total_r, 0.989_778_266_557_289));
        assert_eq!(l1.difficulty, None);
        assert_eq!(l1.discrimination_index, None);
        assert!(l1.options.is_empty());
        let rates: Vec<f64> = l1.categories.iter().map(|c| c.rate).collect();
        assert_eq!(rates, [0.25, 0.25, 0.25, 0.25]);
        assert_eq!(l1.flags, Vec::<ItemFlag>::new());
        // L2 gave only points 1 and 3.
        let l2: Vec<f64> = a.items[1].categories.iter().map(|c| c.rate).collect();
        assert_eq!(l2, [0.5, 0.0, 0.5, 0.0]);
    }

    #[test]
    fn p_flags_are_raised_strictly_beyond_their_thresholds() {
        // Ten respondents; item A right for 9 (p = 0.9 exactly), B right for 2 (p = 0.2 exactly).
        let persons: Vec<Person> = (0..10)
            .map(|i| zero_one(&[u8::from(i < 9), u8::from(i < 2), u8::from(i < 5)]))
            .collect();
        let items = [
            ItemSpec::dichotomous("A"),
            ItemSpec::dichotomous("B"),
            ItemSpec::dichotomous("C"),
        ];
        let flags_with = |t: FlagThresholds| {
            let s = AnalysisSettings {
                flags: t,
                ..small()
            };
            analyse(&items, &persons, &s).unwrap().items
        };
        let at = flags_with(FlagThresholds::default());
        assert!(
            !at[0].flags.contains(&ItemFlag::TooEasy),
            "p = 0.90 is not above 0.90"
        );
        assert!(
            !at[1].flags.contains(&ItemFlag::TooHard),
            "p = 0.20 is not below 0.20"
        );
        let above = flags_with(FlagThresholds {
            too_easy_above: 0.89,
            too_hard_below: 0.21,
            ..FlagThresholds::default()
        });
        assert!(above[0].flags.contains(&ItemFlag::TooEasy));
        assert!(above[1].flags.contains(&ItemFlag::TooHard));
        // Corrected r of B: the threshold at exactly its value does not flag; a hair above does.
        let r = at[1].corrected_item_total_r.unwrap();
        let exact = flags_with(FlagThresholds {
            min_corrected_r: r,
            ..FlagThresholds::default()
        });
        assert!(!exact[1].flags.contains(&ItemFlag::NonDiscriminating));
        let hair = flags_with(FlagThresholds {
            min_corrected_r: r + 1e-12,
            ..FlagThresholds::default()
        });
        assert!(hair[1].flags.contains(&ItemFlag::NonDiscriminating));
    }

    #[test]
    fn an_item_everyone_gets_right_has_no_correlations_and_a_zero_variance_flag() {
        let items = [
            ItemSpec::dichotomous("A"),
            ItemSpec::dichotomous("B"),
            ItemSpec::dichotomous("C"),
        ];
        let persons = [
            zero_one(&[1, 1, 0]),
            zero_one(&[1, 0, 0]),
            zero_one(&[1, 1, 1]),
        ];
        let a = analyse(&items, &persons, &small()).unwrap();
        let s = &a.items[0];
        assert_eq!((s.item_total_r, s.corrected_item_total_r), (None, None));
        // A constant item adds nothing to the totals but counts in k/(k − 1), so α rises without
        // it: totals 2, 1, 3 (s² = 2/3), s²_B = s²_C = 2/9 → α = 3/2 · (1 − (4/9)/(6/9)) = 0.5;
        // without A the totals 1, 0, 2 have the same s² → α = 2 · (1 − (4/9)/(6/9)) = 2/3.
        assert!(some_close(a.test.reliability, 0.5));
        assert!(some_close(s.alpha_if_deleted, 2.0 / 3.0));
        assert_eq!(
            s.flags,
            [
                ItemFlag::ZeroVariance,
                ItemFlag::TooEasy,
                ItemFlag::AlphaRisesIfDeleted
            ]
        );
        // Same place in the upper and lower groups: D = 1 − 1 = 0.
        assert_eq!(s.discrimination_index, Some(0.0));
        let json = serde_json::to_value(s).unwrap();
        assert_eq!(json["item_total_r"], serde_json::Value::Null);
        assert_eq!(json["flags"][0], "zero_variance");
    }

    #[test]
    fn a_test_whose_totals_do_not_vary_has_no_reliability_and_no_nan() {
        let items = [ItemSpec::dichotomous("A"), ItemSpec::dichotomous("B")];
        let persons = [zero_one(&[1, 0]), zero_one(&[0, 1]), zero_one(&[1, 0])];
        let a = analyse(&items, &persons, &small()).unwrap();
        assert_eq!(a.test.reliability, None);
        assert_eq!(a.test.sem, None);
        assert_eq!(a.test.sd, 0.0);
        assert_eq!(a.test.flags, [TestFlag::ZeroVariance]);
        for s in &a.items {
            assert_eq!(s.item_total_r, None);
            // rest score = the other item, which varies: r = −1 (A and B are complements).
            assert_eq!(s.corrected_item_total_r, Some(-1.0));
            assert_eq!(s.alpha_if_deleted, None, "one item left has no α");
        }
        let text = serde_json::to_string(&a).unwrap();
        assert!(!text.contains("NaN"));
        let one = analyse(&items[..1], &[zero_one(&[1]), zero_one(&[0])], &small()).unwrap();
        assert_eq!(one.test.flags, [TestFlag::SingleItem]);
        assert_eq!(one.test.reliability, None);
    }

    /// A Guttman item is right exactly for the respondents whose other items total at least a
    /// cut. Against the same other items, no item with as many right answers can discriminate
    /// better: its corrected r and its D are the largest possible. Checked against random
    /// reorderings of the same answers over seeded random tests.
    #[test]
    fn a_perfect_guttman_item_discriminates_at_least_as_well_as_any_item_of_the_same_p() {
        let mut rng = ChaCha8Rng::seed_from_u64(14);
        for _ in 0..40 {
            let n = rng.gen_range(10..60);
            let k = rng.gen_range(2..8);
            let ability: Vec<f64> = (0..n).map(|_| rng.gen_range(-2.0..2.0)).collect();
            let others: Vec<Vec<u8>> = ability
                .iter()
                .map(|th| {
                    (0..k)
                        .map(|_| u8::from(rng.gen_range(-2.0..2.0) < *th))
                        .collect()
                })
                .collect();
            let rest: Vec<u32> = others
                .iter()
                .map(|r| r.iter().map(|x| u32::from(*x)).sum())
                .collect();
            let cut = rest[rng.gen_range(0..n)];
            let guttman: Vec<u8> = rest.iter().map(|r| u8::from(*r >= cut)).collect();
            let right = guttman.iter().filter(|x| **x == 1).count();
            if right == n {
                continue;
            }
            let mut shuffled = guttman.clone();
            for i in (1..n).rev() {
                shuffled.swap(i, rng.gen_range(0..=i));
            }
            let items: Vec<ItemSpec> = (0..=k)
                .map(|j| ItemSpec::dichotomous(&format!("I{j}")))
                .collect();
            let run = |focal: &[u8]| {
                let persons: Vec<Person> = others
                    .iter()
                    .zip(focal)
                    .map(|(o, f)| zero_one(&[&[*f], o.as_slice()].concat()))
                    .collect();
                let a = analyse(&items, &persons, &small()).unwrap();
                a.items[0].clone()
            };
            let g = run(&guttman);
            let s = run(&shuffled);
            assert_eq!(g.difficulty, s.difficulty);
            if let (Some(rg), Some(rs)) = (g.corrected_item_total_r, s.corrected_item_total_r) {
                assert!(rg >= rs - 1e-12, "corrected r {rg} < {rs}");
            }
            let (dg, ds) = (
                g.discrimination_index.unwrap(),
                s.discrimination_index.unwrap(),
            );
            assert!(dg >= ds - 1e-12, "D {dg} < {ds}");
            // The largest D an item right for m of N can reach with groups of g = 0.27·N:
            // (min(m, g) − max(0, m − (N − g))) / g.
            let (m, nn) = (right as f64, n as f64);
            let gsize = 0.27 * nn;
            let best = (m.min(gsize) - (m - (nn - gsize)).max(0.0)) / gsize;
            assert!(
                (dg - best).abs() < 1e-9,
                "Guttman D {dg} vs the maximum {best}"
            );
        }
    }

    #[test]
    fn an_analysis_serialises_with_snake_case_codes() {
        let (items, persons) = worked();
        let a = analyse(&items, &persons, &small()).unwrap();
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["test"]["coefficient"], "kr20");
        assert_eq!(
            v["items"][2]["options"][3]["flags"],
            serde_json::json!(["positive_point_biserial"])
        );
        assert_eq!(
            v["items"][2]["flags"],
            serde_json::json!([
                "non_discriminating",
                "strong_distractor",
                "alpha_rises_if_deleted"
            ])
        );
    }
}

//! Differential item functioning (DIF) by the Mantel–Haenszel procedure (Holland & Thayer 1988):
//! does a keyed item favour one group (the reference group, e.g. men) over another (the focal group,
//! e.g. women) among respondents of equal ability?
//!
//! Respondents are matched on their total score: each distinct total of the test (the studied item
//! included, as Holland & Thayer recommend) is one stratum k, a 2 × 2 table of group × right/wrong:
//!
//! ```text
//!              right  wrong
//! reference     A_k    B_k    n_Rk
//! focal         C_k    D_k    n_Fk
//!               m_1k   m_0k   T_k
//! ```
//!
//! - common odds ratio α_MH = Σ(A_k D_k / T_k) / Σ(B_k C_k / T_k); α > 1 means the reference group
//!   has the higher odds of a right answer at equal totals;
//! - Δ_MH = −2.35 · ln α_MH (the ETS delta scale). **Sign: a negative Δ favours the reference
//!   group, a positive Δ the focal group**;
//! - MH χ² with continuity correction = (max(0, |Σ A_k − Σ E(A_k)| − ½))² / Σ Var(A_k), with
//!   E(A_k) = n_Rk m_1k / T_k and Var(A_k) = n_Rk n_Fk m_1k m_0k / (T_k² (T_k − 1)), one degree of
//!   freedom (a stratum of one respondent has no variance and is skipped). The max(0, ·) keeps a
//!   difference under ½ from being squared into a positive statistic;
//! - SE of ln α_MH by Robins, Breslow & Greenland (1986), with R_k = A_k D_k / T_k,
//!   S_k = B_k C_k / T_k, P_k = (A_k + D_k)/T_k, Q_k = (B_k + C_k)/T_k, R = ΣR_k, S = ΣS_k:
//!   Var(ln α) = Σ P_k R_k / (2R²) + Σ (P_k S_k + Q_k R_k) / (2RS) + Σ Q_k S_k / (2S²);
//!   SE(Δ) = 2.35 · SE(ln α). (Phillips & Holland 1987 derived an estimator that agrees with it.)
//!
//! ETS classes (Zwick 2012), as implemented, with the [`DifSettings`] defaults 0.05, 1.0 and 1.5:
//! - **A** (negligible) when |Δ| < 1.0, or the MH χ² test is not significant (p ≥ 0.05);
//! - **C** (large) when |Δ| ≥ 1.5 and |Δ| is significantly greater than 1.0 by the one-sided test
//!   (|Δ| − 1.0) / SE(Δ) > z₀.₉₅ = 1.645;
//! - **B** (moderate) otherwise.
//!
//! Only 0/1 items are analysed. When α_MH is 0 or infinite (in every stratum with both groups one
//! of them was all right or all wrong, e.g. an item everyone answered right), Δ, its SE and the class
//! do not exist: the item carries the problem code `dif_undefined` instead.
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

use super::{prepare, AnalysisError, AnalysisSettings, DifSettings, ItemSpec, Person};

/// The scale factor of the ETS delta metric: Δ = −2.35 · ln α.
pub const DELTA_SCALE: f64 = 2.35;

/// One stratum's 2 × 2 table of counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stratum {
    /// Reference group, right (A).
    pub reference_right: u32,
    /// Reference group, wrong (B).
    pub reference_wrong: u32,
    /// Focal group, right (C).
    pub focal_right: u32,
    /// Focal group, wrong (D).
    pub focal_wrong: u32,
}

/// An ETS DIF class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EtsClass {
    /// Negligible DIF.
    A,
    /// Moderate DIF.
    B,
    /// Large DIF.
    C,
}

/// Which group an item favours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DifGroup {
    /// The reference group (Δ < 0).
    Reference,
    /// The focal group (Δ > 0).
    Focal,
}

/// Why an item's DIF could not be measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DifProblem {
    /// α_MH is 0 or infinite, so Δ does not exist.
    DifUndefined,
}

/// The Mantel–Haenszel statistics of one item (formulas in the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MantelHaenszel {
    /// Common odds ratio α_MH.
    pub alpha: Option<f64>,
    /// Δ_MH = −2.35 · ln α_MH; negative favours the reference group.
    pub delta: Option<f64>,
    /// MH χ² with continuity correction (1 df).
    pub chi_square: Option<f64>,
    /// Its p-value.
    pub p_value: Option<f64>,
    /// SE of Δ_MH (Robins–Breslow–Greenland).
    pub se_delta: Option<f64>,
    /// ETS class.
    pub class: Option<EtsClass>,
    /// Strata holding both groups (the ones that carry information).
    pub informative_strata: usize,
}

/// The Mantel–Haenszel statistics of the strata given.
pub fn mantel_haenszel(strata: &[Stratum], settings: &DifSettings) -> MantelHaenszel {
    let (mut r, mut s) = (0.0, 0.0);
    let (mut pr, mut ps_qr, mut qs) = (0.0, 0.0, 0.0);
    let (mut sum_a, mut sum_e, mut sum_v) = (0.0, 0.0, 0.0);
    let mut informative = 0;
    for k in strata {
        let a = f64::from(k.reference_right);
        let b = f64::from(k.reference_wrong);
        let c = f64::from(k.focal_right);
        let d = f64::from(k.focal_wrong);
        let t = a + b + c + d;
        if t < 2.0 {
            continue;
        }
        let (n_r, n_f, m1, m0) = (a + b, c + d, a + c, b + d);
        if n_r > 0.0 && n_f > 0.0 {
            informative += 1;
        }
        let (rk, sk) = (a * d / t, b * c / t);
        let (pk, qk) = ((a + d) / t, (b + c) / t);
        r += rk;
        s += sk;
        pr += pk * rk;
        ps_qr += pk * sk + qk * rk;
        qs += qk * sk;
        sum_a += a;
        sum_e += n_r * m1 / t;
        sum_v += n_r * n_f * m1 * m0 / (t * t * (t - 1.0));
    }
    let chi_square = (sum_v > 0.0).then(|| {
        let diff = ((sum_a - sum_e).abs() - 0.5).max(0.0);
        diff * diff / sum_v
    });
    let p_value = chi_square.and_then(|x| ChiSquared::new(1.0).ok().map(|d| d.sf(x)));
    let defined = r > 0.0 && s > 0.0;
    let alpha = defined.then(|| r / s);
    let delta = alpha.map(|a| -DELTA_SCALE * a.ln() + 0.0);
    let se_delta = defined.then(|| {
        DELTA_SCALE * (pr / (2.0 * r * r) + ps_qr / (2.0 * r * s) + qs / (2.0 * s * s)).sqrt()
    });
    let class = match (delta, p_value, se_delta) {
        (Some(d), Some(p), Some(se)) => Some(ets_class(d, p, se, settings)),
        _ => None,
    };
    MantelHaenszel {
        alpha,
        delta,
        chi_square,
        p_value,
        se_delta,
        class,
        informative_strata: informative,
    }
}

/// The ETS class of Δ_MH with the MH χ² p-value and SE(Δ) (rule in the module documentation).
pub fn ets_class(delta: f64, p_value: f64, se_delta: f64, settings: &DifSettings) -> EtsClass {
    let size = delta.abs();
    if size < settings.negligible_delta || p_value >= settings.significance {
        return EtsClass::A;
    }
    // Φ⁻¹(1 − significance), 1.645 at 0.05; the standard normal always exists.
    let z = Normal::standard().inverse_cdf(1.0 - settings.significance);
    if size >= settings.large_delta
        && se_delta > 0.0
        && (size - settings.negligible_delta) / se_delta > z
    {
        EtsClass::C
    } else {
        EtsClass::B
    }
}

/// The two groups compared: respondents whose label `attribute` is `reference` or `focal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DifSpec {
    /// The group label looked at, e.g. `sex`.
    pub attribute: String,
    /// The reference group's value, e.g. `male`.
    pub reference: String,
    /// The focal group's value, e.g. `female`.
    pub focal: String,
}

/// The DIF of one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDif {
    /// The item's code.
    pub code: String,
    /// The statistics.
    #[serde(flatten)]
    pub statistics: MantelHaenszel,
    /// The group a class B or C item favours.
    pub favours: Option<DifGroup>,
    /// Why the statistics are missing, if they are.
    pub problem: Option<DifProblem>,
}

/// The DIF of every 0/1 item of a test for one pair of groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DifReport {
    /// The groups compared.
    pub spec: DifSpec,
    /// Respondents of the reference group analysed.
    pub reference_n: usize,
    /// Respondents of the focal group analysed.
    pub focal_n: usize,
    /// Respondents analysed in neither group.
    pub in_neither: usize,
    /// One entry per 0/1 item, in test order.
    pub items: Vec<ItemDif>,
}

/// Mantel–Haenszel DIF of every 0/1 item of `items` between the groups of `spec`, with the
/// respondents `settings` would analyse (its missing policy and minimum), each group holding at
/// least `settings.dif.min_group_size`.
pub fn mantel_haenszel_dif(
    items: &[ItemSpec],
    persons: &[Person],
    spec: &DifSpec,
    settings: &AnalysisSettings,
) -> Result<DifReport, AnalysisError> {
    if spec.reference == spec.focal {
        return Err(AnalysisError::InvalidSettings(format!(
            "the reference and focal groups are both '{}'",
            spec.reference
        )));
    }
    let data = prepare(items, persons, settings)?;
    // For each analysed respondent: Some(true) reference, Some(false) focal, None neither.
    let group: Vec<Option<bool>> = data
        .analysed
        .iter()
        .map(|&i| {
            let label = persons.get(i)?.groups.get(&spec.attribute)?;
            if *label == spec.reference {
                Some(true)
            } else if *label == spec.focal {
                Some(false)
            } else {
                None
            }
        })
        .collect();
    let reference_n = group.iter().filter(|g| **g == Some(true)).count();
    let focal_n = group.iter().filter(|g| **g == Some(false)).count();
    let min = settings.dif.min_group_size.max(1);
    for (name, n) in [(&spec.reference, reference_n), (&spec.focal, focal_n)] {
        if n < min {
            return Err(AnalysisError::DifGroupTooSmall {
                group: name.clone(),
                n,
                min,
            });
        }
    }
    // Respondents in either group, ordered by total: runs of equal totals are the strata.
    let mut order: Vec<usize> = (0..group.len()).filter(|&i| group[i].is_some()).collect();
    order.sort_by(|&a, &b| data.totals[a].total_cmp(&data.totals[b]));
    let items_dif = items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.is_dichotomous())
        .map(|(j, item)| {
            let mut strata: Vec<Stratum> = Vec::new();
            let mut last: Option<f64> = None;
            for &i in &order {
                if last != Some(data.totals[i]) {
                    strata.push(Stratum::default());
                    last = Some(data.totals[i]);
                }
                let right = data.scores[j][i] == 1.0;
                if let Some(k) = strata.last_mut() {
                    match (group[i] == Some(true), right) {
                        (true, true) => k.reference_right += 1,
                        (true, false) => k.reference_wrong += 1,
                        (false, true) => k.focal_right += 1,
                        (false, false) => k.focal_wrong += 1,
                    }
                }
            }
            let statistics = mantel_haenszel(&strata, &settings.dif);
            let favours = match (statistics.class, statistics.delta) {
                (Some(EtsClass::B | EtsClass::C), Some(d)) if d < 0.0 => Some(DifGroup::Reference),
                (Some(EtsClass::B | EtsClass::C), Some(d)) if d > 0.0 => Some(DifGroup::Focal),
                _ => None,
            };
            ItemDif {
                code: item.code.clone(),
                statistics,
                favours,
                problem: statistics
                    .delta
                    .is_none()
                    .then_some(DifProblem::DifUndefined),
            }
        })
        .collect();
    Ok(DifReport {
        spec: spec.clone(),
        reference_n,
        focal_n,
        in_neither: group.len() - reference_n - focal_n,
        items: items_dif,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::super::fixtures::small;
    use super::super::ItemResponse;
    use super::*;

    fn close(a: Option<f64>, b: f64, tol: f64) -> bool {
        matches!(a, Some(a) if (a - b).abs() < tol)
    }

    fn table(a: u32, b: u32, c: u32, d: u32) -> Stratum {
        Stratum {
            reference_right: a,
            reference_wrong: b,
            focal_right: c,
            focal_wrong: d,
        }
    }

    /// Two strata worked by hand:
    ///
    /// ```text
    /// k = 1: A 10  B 10 | C  5  D 15 | T 40     k = 2: A 20  B  5 | C 15  D 10 | T 50
    /// ```
    #[test]
    fn a_two_stratum_example_gives_alpha_delta_chi_square_and_se_worked_by_hand() {
        let strata = [table(10, 10, 5, 15), table(20, 5, 15, 10)];
        let mh = mantel_haenszel(&strata, &DifSettings::default());
        // R_1 = 10·15/40 = 3.75, S_1 = 10·5/40 = 1.25; R_2 = 20·10/50 = 4, S_2 = 5·15/50 = 1.5.
        // α_MH = (3.75 + 4)/(1.25 + 1.5) = 7.75/2.75 = 31/11 = 2.818182.
        assert!(close(mh.alpha, 31.0 / 11.0, 1e-12));
        // Δ = −2.35 · ln(31/11) = −2.35 · 1.036092 = −2.434816 (favours the reference group).
        assert!(close(mh.delta, -2.434_816_039_463_923, 1e-9));
        // E(A_1) = 20·15/40 = 7.5, Var(A_1) = 20·20·15·25/(40²·39) = 150000/62400 = 2.403846;
        // E(A_2) = 25·35/50 = 17.5, Var(A_2) = 25·25·35·15/(50²·49) = 328125/122500 = 2.678571.
        // ΣA = 30, ΣE = 25 → (|30 − 25| − 0.5)² = 4.5² = 20.25; ΣVar = 5.082418;
        // χ² = 20.25/5.082418 = 3.984324; p = P(χ²₁ > 3.984324) = erfc(√(3.984324/2)) = 0.045926.
        assert!(close(mh.chi_square, 3.984_324_324_324_325, 1e-9));
        assert!(close(mh.p_value, 0.045_925_516_642_814, 1e-9));
        // RBG: P_1 = 25/40 = 0.625, Q_1 = 0.375; P_2 = 30/50 = 0.6, Q_2 = 0.4.
        // ΣPR = 0.625·3.75 + 0.6·4 = 4.74375; Σ(PS + QR) = (0.625·1.25 + 0.375·3.75)
        // + (0.6·1.5 + 0.4·4) = 2.1875 + 2.5 = 4.6875; ΣQS = 0.375·1.25 + 0.4·1.5 = 1.06875.
        // Var(ln α) = 4.74375/(2·7.75²) + 4.6875/(2·7.75·2.75) + 1.06875/(2·2.75²)
        //           = 0.039490 + 0.109971 + 0.070661 = 0.220122; SE = 0.469172;
        // SE(Δ) = 2.35 · 0.469172 = 1.102553.
        assert!(close(mh.se_delta, 1.102_553_149_127_418, 1e-9));
        // Class: |Δ| = 2.43 ≥ 1 and p = 0.046 < 0.05 → not A. (2.434816 − 1)/1.102553 = 1.3014
        // ≤ 1.645: not significantly above 1 → B, although |Δ| ≥ 1.5.
        assert_eq!(mh.class, Some(EtsClass::B));
        assert_eq!(mh.informative_strata, 2);
    }

    #[test]
    fn swapping_the_groups_flips_the_sign_of_delta_and_keeps_chi_square() {
        let strata = [table(10, 10, 5, 15), table(20, 5, 15, 10)];
        let swapped: Vec<Stratum> = strata
            .iter()
            .map(|k| {
                table(
                    k.focal_right,
                    k.focal_wrong,
                    k.reference_right,
                    k.reference_wrong,
                )
            })
            .collect();
        let (a, b) = (
            mantel_haenszel(&strata, &DifSettings::default()),
            mantel_haenszel(&swapped, &DifSettings::default()),
        );
        assert!(close(b.delta, 2.434_816_039_463_923, 1e-9));
        assert!(close(b.chi_square, a.chi_square.unwrap(), 1e-12));
        assert!(close(b.se_delta, a.se_delta.unwrap(), 1e-12));
    }

    #[test]
    fn the_ets_classes_follow_the_stated_rule_at_their_edges() {
        let s = DifSettings::default();
        // |Δ| under 1 is A whatever the test says.
        assert_eq!(ets_class(-0.99, 0.0001, 0.1, &s), EtsClass::A);
        // Not significant is A however large.
        assert_eq!(ets_class(2.5, 0.05, 0.1, &s), EtsClass::A);
        // |Δ| = 1 exactly and significant: B.
        assert_eq!(ets_class(1.0, 0.01, 0.1, &s), EtsClass::B);
        // |Δ| = 1.5, SE 0.3: (1.5 − 1)/0.3 = 1.667 > 1.645 → C; SE 0.31: 1.613 → B.
        assert_eq!(ets_class(-1.5, 0.001, 0.3, &s), EtsClass::C);
        assert_eq!(ets_class(-1.5, 0.001, 0.31, &s), EtsClass::B);
        // |Δ| = 1.49 is never C.
        assert_eq!(ets_class(1.49, 0.0001, 0.01, &s), EtsClass::B);
    }

    #[test]
    fn an_item_everyone_in_both_groups_gets_right_has_undefined_dif() {
        let mh = mantel_haenszel(
            &[table(5, 0, 5, 0), table(3, 0, 4, 0)],
            &DifSettings::default(),
        );
        assert_eq!(
            (mh.alpha, mh.delta, mh.se_delta, mh.class),
            (None, None, None, None)
        );
        assert_eq!(mh.chi_square, None, "no variance in any stratum");
        // Strata of one respondent, or with a single group, carry no information either.
        let mh = mantel_haenszel(
            &[table(1, 0, 0, 0), table(3, 2, 0, 0)],
            &DifSettings::default(),
        );
        assert_eq!(
            (mh.alpha, mh.chi_square, mh.informative_strata),
            (None, None, 0)
        );
    }

    #[test]
    fn a_difference_smaller_than_the_continuity_correction_gives_chi_square_0() {
        // One stratum, A = 2, B = 2, C = 2, D = 2: E(A) = 4·4/8 = 2 = A → χ² = max(0, 0 − 0.5)² = 0.
        let mh = mantel_haenszel(&[table(2, 2, 2, 2)], &DifSettings::default());
        assert_eq!(mh.chi_square, Some(0.0));
        assert_eq!(mh.p_value, Some(1.0));
        assert!(close(mh.delta, 0.0, 1e-15));
        assert_eq!(mh.class, Some(EtsClass::A));
    }

    fn person(score: u8, total_rest: u8, sex: &str) -> Person {
        let mut groups = BTreeMap::new();
        groups.insert("sex".to_owned(), sex.to_owned());
        let mut responses = vec![ItemResponse::scored(f64::from(score))];
        responses.extend((0..3).map(|j| ItemResponse::scored(f64::from(u8::from(j < total_rest)))));
        Person { responses, groups }
    }

    fn spec() -> DifSpec {
        DifSpec {
            attribute: "sex".into(),
            reference: "male".into(),
            focal: "female".into(),
        }
    }

    #[test]
    fn respondents_are_stratified_by_total_score_into_the_worked_tables() {
        // Studied item I0 plus three filler items. Stratum X = 1: men 3 right (rest 0) and 1 wrong
        // (rest 1); women 1 right, 3 wrong. Stratum X = 3: men 2 right (rest 2), 0 wrong (rest 3);
        // women 1 right, 1 wrong. Respondents without a sex label or another value are left out.
        let mut persons = Vec::new();
        persons.extend((0..3).map(|_| person(1, 0, "male")));
        persons.push(person(0, 1, "male"));
        persons.push(person(1, 0, "female"));
        persons.extend((0..3).map(|_| person(0, 1, "female")));
        persons.extend((0..2).map(|_| person(1, 2, "male")));
        persons.push(person(1, 2, "female"));
        persons.push(person(0, 3, "female"));
        persons.push(person(1, 1, "other"));
        persons.push(Person {
            groups: BTreeMap::new(),
            ..person(0, 0, "x")
        });
        let items: Vec<ItemSpec> = (0..4)
            .map(|j| ItemSpec::dichotomous(&format!("I{j}")))
            .collect();
        let settings = AnalysisSettings {
            dif: DifSettings {
                min_group_size: 6,
                ..DifSettings::default()
            },
            ..small()
        };
        let report = mantel_haenszel_dif(&items, &persons, &spec(), &settings).unwrap();
        assert_eq!(
            (report.reference_n, report.focal_n, report.in_neither),
            (6, 6, 2)
        );
        let i0 = &report.items[0];
        // X = 1: A 3, B 1, C 1, D 3, T 8 → R = 9/8, S = 1/8. X = 3: A 2, B 0, C 1, D 1, T 4 →
        // R = 2/4, S = 0. α = (1.125 + 0.5)/0.125 = 13; Δ = −2.35 · ln 13 = −6.027666.
        assert!(close(i0.statistics.alpha, 13.0, 1e-12));
        assert!(close(i0.statistics.delta, -2.35 * 13f64.ln(), 1e-12));
        // ΣA = 5; E = 4·4/8 + 2·3/4 = 2 + 1.5 = 3.5; Var = 4·4·4·4/(64·7) + 2·2·3·1/(16·3)
        // = 0.571429 + 0.25 = 0.821429; χ² = (1.5 − 0.5)²/0.821429 = 1.217391; p = 0.2699 → A.
        assert!(close(
            i0.statistics.chi_square,
            1.0 / (4.0 / 7.0 + 0.25),
            1e-12
        ));
        assert_eq!(i0.statistics.class, Some(EtsClass::A));
        assert_eq!((i0.favours, i0.problem), (None, None));
        assert_eq!(report.items.len(), 4);
    }

    #[test]
    fn a_group_below_the_minimum_size_is_refused_with_dif_group_too_small() {
        let persons: Vec<Person> = (0..30)
            .map(|i| {
                person(
                    u8::from(i % 2 == 0),
                    i % 4,
                    if i < 25 { "male" } else { "female" },
                )
            })
            .collect();
        let items: Vec<ItemSpec> = (0..4)
            .map(|j| ItemSpec::dichotomous(&format!("I{j}")))
            .collect();
        let settings = AnalysisSettings {
            dif: DifSettings {
                min_group_size: 10,
                ..DifSettings::default()
            },
            ..small()
        };
        let e = mantel_haenszel_dif(&items, &persons, &spec(), &settings).unwrap_err();
        assert_eq!(
            e,
            AnalysisError::DifGroupTooSmall {
                group: "female".into(),
                n: 5,
                min: 10
            }
        );
        assert_eq!(e.code(), "dif_group_too_small");
        let same = DifSpec {
            focal: "male".into(),
            ..spec()
        };
        assert_eq!(
            mantel_haenszel_dif(&items, &persons, &same, &settings)
                .unwrap_err()
                .code(),
            "invalid_settings"
        );
    }

    /// Simulated Rasch data: one item is 1.5 logits harder for the focal group, the others are
    /// fair. The biased item must come out C against the focal group; the fair ones mostly A.
    #[test]
    fn a_simulated_item_biased_against_the_focal_group_is_class_c_and_favours_the_reference() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let b: Vec<f64> = (0..20).map(|j| -1.5 + 3.0 * f64::from(j) / 19.0).collect();
        let persons: Vec<Person> = (0..2000)
            .map(|i| {
                let focal = i % 2 == 1;
                // Standard normal ability by Box–Muller.
                let (u1, u2): (f64, f64) = (rng.gen_range(1e-12..1.0), rng.gen());
                let theta = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                let responses = b
                    .iter()
                    .enumerate()
                    .map(|(j, bj)| {
                        let shift = if j == 0 && focal { 1.5 } else { 0.0 };
                        let p = 1.0 / (1.0 + (-(theta - bj - shift)).exp());
                        ItemResponse::scored(f64::from(u8::from(rng.gen::<f64>() < p)))
                    })
                    .collect();
                let mut groups = BTreeMap::new();
                groups.insert(
                    "sex".to_owned(),
                    if focal { "female" } else { "male" }.to_owned(),
                );
                Person { responses, groups }
            })
            .collect();
        let items: Vec<ItemSpec> = (0..20)
            .map(|j| ItemSpec::dichotomous(&format!("I{j}")))
            .collect();
        let report =
            mantel_haenszel_dif(&items, &persons, &spec(), &AnalysisSettings::default()).unwrap();
        let biased = &report.items[0];
        assert_eq!(biased.statistics.class, Some(EtsClass::C), "{biased:?}");
        assert_eq!(biased.favours, Some(DifGroup::Reference));
        // 1.5 logits on the delta scale is about −2.35 · 1.5 = −3.5 (the matching on a total
        // that includes the biased item pulls it a little towards 0).
        let d = biased.statistics.delta.unwrap();
        assert!((-4.2..-2.6).contains(&d), "Δ = {d}");
        // With this seed every fair item is A (|Δ| ≤ 0.79).
        let flagged_fair: Vec<&str> = report.items[1..]
            .iter()
            .filter(|i| i.statistics.class != Some(EtsClass::A))
            .map(|i| i.code.as_str())
            .collect();
        assert_eq!(flagged_fair, Vec::<&str>::new());
    }
}

//! Job Person Match and gaps (issue 12, item 4; DOMAIN.md "Job Person Match and gap", after
//! PermenPANRB 38/2017 job competency standards).
//!
//! The rule, in words:
//! - Over the competencies of the job's standard (code → required level), each achieved level
//!   counts as it is, or, with `cap_each_at_required`, at most the required level (surplus on one
//!   competency then cannot hide a shortfall on another).
//! - JPM % = 100 × Σ counted ÷ Σ required.
//! - With a group weighting for the participant's job level (technical vs managerial +
//!   socio-cultural, e.g. 40/60), JPM_g is that formula within each group g and
//!   JPM = Σ_g w_g·JPM_g ÷ Σ_g w_g over the groups the standard has; with both groups present the
//!   weights sum to 100, so JPM = Σ_g w_g·JPM_g ÷ 100. A standard without one of the groups is
//!   the other group's JPM.
//! - With `cap_total_at_100`, JPM = min(JPM, 100).
//! - The JPM is rounded to the rule's `decimals` (half away from zero); the rounded value is the
//!   one shown, categorised, ranked and carried into IP ASN and the 9-box.
//! - A competency of the standard without an achieved level makes the JPM **incomplete**: no
//!   number at all, rather than a smaller one. Achieved levels of competencies outside the
//!   standard are ignored.
//! - Gap per competency = achieved − required (the real levels, never capped).
//! - A category scheme reads the rounded JPM against contiguous bands [from, to) that cover 0 and
//!   above. Two schemes are seeded: *mapping* (Optimal ≥ 90, Cukup Optimal 78–<90, Kurang
//!   Optimal < 78) and *eligibility* (Memenuhi Syarat ≥ 80, Masih Memenuhi Syarat 68–<80, Kurang
//!   Memenuhi Syarat < 68).
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bands::{category_of, category_problems, CategoryBand, Cover};
use super::{
    decimals_problem, is_competency_code, round_to, version_problem, weight_problem,
    CompetencyGroup, Level, RuleDocument, COMPETENCY_CODE_FORM, MANAGERIAL_SOCIO_CULTURAL,
};
use crate::domain::{FieldError, UniqueIds};

/// The weights of the two groups, in percent; they sum to 100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupWeights {
    /// Weight of the technical competencies.
    pub technical: f64,
    /// Weight of the managerial and socio-cultural competencies.
    pub managerial_socio_cultural: f64,
}

impl GroupWeights {
    fn of(&self, group: CompetencyGroup) -> f64 {
        match group {
            CompetencyGroup::Technical => self.technical,
            CompetencyGroup::ManagerialSocioCultural => self.managerial_socio_cultural,
        }
    }
}

/// Group weights for the job levels listed (DOMAIN.md: agencies weight the groups "by grade").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupWeighting {
    /// Job levels it applies to, compared without regard to case or surrounding spaces, e.g.
    /// `Administrator`.
    pub job_levels: Vec<String>,
    /// The weights.
    pub weights: GroupWeights,
}

/// How achieved and required levels become a JPM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JpmRule {
    /// Version of this document, from 1.
    pub version: u32,
    /// Codes of the managerial and socio-cultural competencies; every other code is technical.
    pub managerial_socio_cultural: Vec<String>,
    /// Count each achieved level at most at its required level.
    pub cap_each_at_required: bool,
    /// Cap the JPM at 100.
    pub cap_total_at_100: bool,
    /// Decimals the JPM is rounded to.
    pub decimals: u8,
    /// Group weightings by job level; a job level in none of them gets the plain, unweighted JPM.
    pub group_weights: Vec<GroupWeighting>,
}

/// A job's competency standard: competency code → required level.
pub type Standard = BTreeMap<String, Level>;

/// A participant's achieved levels: competency code → level.
pub type Achieved = BTreeMap<String, Level>;

fn same_job_level(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl JpmRule {
    /// The seeded rule: the nine codes of [`MANAGERIAL_SOCIO_CULTURAL`] are managerial and
    /// socio-cultural, no capping (DOMAIN.md: capping is a setting), two decimals, no weighting.
    pub fn defaults() -> Self {
        Self {
            version: 1,
            managerial_socio_cultural: MANAGERIAL_SOCIO_CULTURAL
                .iter()
                .map(|c| (*c).to_owned())
                .collect(),
            cap_each_at_required: false,
            cap_total_at_100: false,
            decimals: 2,
            group_weights: Vec::new(),
        }
    }

    /// The group of competency `code`.
    pub fn group_of(&self, code: &str) -> CompetencyGroup {
        if self.managerial_socio_cultural.iter().any(|c| c == code) {
            CompetencyGroup::ManagerialSocioCultural
        } else {
            CompetencyGroup::Technical
        }
    }

    /// The group weights for `job_level`, if the rule weights it.
    pub fn weights_for(&self, job_level: &str) -> Option<GroupWeights> {
        self.group_weights
            .iter()
            .find(|w| w.job_levels.iter().any(|l| same_job_level(l, job_level)))
            .map(|w| w.weights)
    }

    /// The JPM and gaps of a participant at `job_level` with `achieved` levels against
    /// `standard` (formulas in the module documentation). Refused only for an empty standard,
    /// whose JPM (÷ 0) is undefined.
    pub fn job_person_match(
        &self,
        standard: &Standard,
        achieved: &Achieved,
        job_level: &str,
    ) -> Result<JpmResult, FieldError> {
        if standard.is_empty() {
            return Err(FieldError::top(
                "standard",
                "a job standard needs at least one competency",
            ));
        }
        let competencies: Vec<CompetencyGap> = standard
            .iter()
            .map(|(code, &required)| {
                let achieved = achieved.get(code).copied();
                CompetencyGap {
                    competency: code.clone(),
                    group: self.group_of(code),
                    required,
                    achieved,
                    counted: achieved.map(|a| {
                        if self.cap_each_at_required {
                            a.min(required).get()
                        } else {
                            a.get()
                        }
                    }),
                    gap: achieved.map(|a| a.get() as i8 - required.get() as i8),
                }
            })
            .collect();
        let missing: Vec<String> = competencies
            .iter()
            .filter(|c| c.achieved.is_none())
            .map(|c| c.competency.clone())
            .collect();
        let jpm = if missing.is_empty() {
            Jpm::Complete(self.score(&competencies, job_level))
        } else {
            Jpm::Incomplete { missing }
        };
        Ok(JpmResult {
            rule_version: self.version,
            competencies,
            jpm,
        })
    }

    fn score(&self, competencies: &[CompetencyGap], job_level: &str) -> JpmScore {
        let sums = |group: Option<CompetencyGroup>| {
            competencies
                .iter()
                .filter(|c| group.is_none_or(|g| c.group == g))
                .fold((0u32, 0u32), |(a, r), c| {
                    (
                        a + u32::from(c.counted.unwrap_or(0)),
                        r + u32::from(c.required.get()),
                    )
                })
        };
        let weights = self.weights_for(job_level);
        let groups: Vec<GroupJpm> = [
            CompetencyGroup::Technical,
            CompetencyGroup::ManagerialSocioCultural,
        ]
        .into_iter()
        .filter_map(|g| {
            let (counted, required) = sums(Some(g));
            (required > 0).then(|| GroupJpm {
                group: g,
                sum_counted: counted,
                sum_required: required,
                // Multiplying before dividing keeps a whole-number JPM exact (3900 ÷ 50 = 78).
                unrounded: 100.0 * f64::from(counted) / f64::from(required),
                weight: weights.map(|w| w.of(g)),
            })
        })
        .collect();
        let (sum_counted, sum_required) = sums(None);
        let plain = 100.0 * f64::from(sum_counted) / f64::from(sum_required);
        let weighted = weights.and_then(|_| {
            super::weighted_mean(
                groups
                    .iter()
                    .filter_map(|g| g.weight.map(|w| (g.unrounded, w))),
            )
        });
        let mut unrounded = weighted.unwrap_or(plain);
        let capped_at_100 = self.cap_total_at_100 && unrounded > 100.0;
        if capped_at_100 {
            unrounded = 100.0;
        }
        JpmScore {
            percent: round_to(unrounded, self.decimals),
            unrounded,
            sum_counted,
            sum_required,
            groups,
            weights,
            capped_at_100,
        }
    }
}

impl RuleDocument for JpmRule {
    fn version(&self) -> u32 {
        self.version
    }

    fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        version_problem(self.version, &mut errs);
        decimals_problem("decimals", self.decimals, &mut errs);
        let mut codes = UniqueIds::new("competency code", COMPETENCY_CODE_FORM, is_competency_code);
        for (i, code) in self.managerial_socio_cultural.iter().enumerate() {
            if let Some(problem) = codes.check(code) {
                errs.push(FieldError::top(
                    format!("managerial_socio_cultural[{i}]"),
                    problem,
                ));
            }
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, w) in self.group_weights.iter().enumerate() {
            let at = format!("group_weights[{i}]");
            if w.job_levels.is_empty() {
                errs.push(FieldError::top(
                    format!("{at}.job_levels"),
                    "needs at least one job level",
                ));
            }
            for (j, level) in w.job_levels.iter().enumerate() {
                if level.trim().is_empty() {
                    errs.push(FieldError::top(
                        format!("{at}.job_levels[{j}]"),
                        "must not be empty",
                    ));
                } else if seen.iter().any(|s| same_job_level(s, level)) {
                    errs.push(FieldError::top(
                        format!("{at}.job_levels[{j}]"),
                        format!("job level '{}' is weighted twice", level.trim()),
                    ));
                }
                seen.push(level);
            }
            let ws = w.weights;
            weight_problem(format!("{at}.weights.technical"), ws.technical, &mut errs);
            weight_problem(
                format!("{at}.weights.managerial_socio_cultural"),
                ws.managerial_socio_cultural,
                &mut errs,
            );
            if (ws.technical + ws.managerial_socio_cultural - 100.0).abs() > 1e-9 {
                errs.push(FieldError::top(
                    format!("{at}.weights"),
                    format!(
                        "the weights must sum to 100 (they sum to {})",
                        ws.technical + ws.managerial_socio_cultural
                    ),
                ));
            }
        }
        errs
    }
}

/// One competency of the standard for one participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompetencyGap {
    /// Competency code.
    pub competency: String,
    /// Its group under the rule.
    pub group: CompetencyGroup,
    /// Required level.
    pub required: Level,
    /// Achieved level; `None` when the participant has none.
    pub achieved: Option<Level>,
    /// What the JPM counted: the achieved level, capped at the required one if the rule says so.
    pub counted: Option<u8>,
    /// Achieved − required (negative: below standard).
    pub gap: Option<i8>,
}

/// The JPM of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupJpm {
    /// The group.
    pub group: CompetencyGroup,
    /// Σ counted levels of the group.
    pub sum_counted: u32,
    /// Σ required levels of the group.
    pub sum_required: u32,
    /// JPM_g = 100 × Σ counted ÷ Σ required, unrounded.
    pub unrounded: f64,
    /// Its weight, when the JPM is weighted.
    pub weight: Option<f64>,
}

/// A complete JPM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JpmScore {
    /// The JPM %, rounded to the rule's decimals: the number shown and categorised.
    pub percent: f64,
    /// The JPM % before rounding.
    pub unrounded: f64,
    /// Σ counted levels over the standard.
    pub sum_counted: u32,
    /// Σ required levels over the standard.
    pub sum_required: u32,
    /// Per group sums and JPM_g (groups the standard has).
    pub groups: Vec<GroupJpm>,
    /// The weights applied, when the JPM is weighted.
    pub weights: Option<GroupWeights>,
    /// Whether the cap at 100 lowered it.
    pub capped_at_100: bool,
}

/// The JPM, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Jpm {
    /// Every competency of the standard has a level.
    Complete(JpmScore),
    /// Some do not: no JPM is computed.
    Incomplete {
        /// Codes without an achieved level.
        missing: Vec<String>,
    },
}

/// A participant's JPM and gaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JpmResult {
    /// The version of the JPM rule used.
    pub rule_version: u32,
    /// One entry per competency of the standard, in code order.
    pub competencies: Vec<CompetencyGap>,
    /// The JPM.
    pub jpm: Jpm,
}

impl JpmResult {
    /// The rounded JPM %, when complete.
    pub fn percent(&self) -> Option<f64> {
        match &self.jpm {
            Jpm::Complete(s) => Some(s.percent),
            Jpm::Incomplete { .. } => None,
        }
    }
}

/// A JPM category scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryScheme {
    /// Stable code, e.g. `mapping`; 1–40 of `a–z 0–9 _ -`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Version of this document, from 1.
    pub version: u32,
    /// Bands on the JPM %, rising, touching, from 0 (or below) with an open top.
    pub bands: Vec<CategoryBand>,
}

fn band(category: &str, from: Option<f64>, to: Option<f64>) -> CategoryBand {
    CategoryBand {
        category: category.into(),
        from,
        to,
    }
}

impl CategoryScheme {
    /// The seeded schemes: [`CategoryScheme::mapping`] and [`CategoryScheme::eligibility`].
    pub fn defaults() -> Vec<Self> {
        vec![Self::mapping(), Self::eligibility()]
    }

    /// Competency mapping (pemetaan): Kurang Optimal < 78, Cukup Optimal 78–<90, Optimal ≥ 90.
    pub fn mapping() -> Self {
        Self {
            code: "mapping".into(),
            name: "Pemetaan kompetensi".into(),
            version: 1,
            bands: vec![
                band("Kurang Optimal", Some(0.0), Some(78.0)),
                band("Cukup Optimal", Some(78.0), Some(90.0)),
                band("Optimal", Some(90.0), None),
            ],
        }
    }

    /// Eligibility (uji kelayakan): Kurang Memenuhi Syarat < 68, Masih Memenuhi Syarat 68–<80,
    /// Memenuhi Syarat ≥ 80.
    pub fn eligibility() -> Self {
        Self {
            code: "eligibility".into(),
            name: "Kelayakan jabatan".into(),
            version: 1,
            bands: vec![
                band("Kurang Memenuhi Syarat", Some(0.0), Some(68.0)),
                band("Masih Memenuhi Syarat", Some(68.0), Some(80.0)),
                band("Memenuhi Syarat", Some(80.0), None),
            ],
        }
    }

    /// The category of a complete JPM: the band its rounded percent falls in.
    pub fn categorise(&self, score: &JpmScore) -> Option<JpmCategory> {
        category_of(&self.bands, score.percent).map(|c| JpmCategory {
            scheme: self.code.clone(),
            scheme_version: self.version,
            category: c.to_owned(),
        })
    }
}

impl RuleDocument for CategoryScheme {
    fn version(&self) -> u32 {
        self.version
    }

    fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let code_ok = crate::domain::is_code(&self.code, 40, |b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
        });
        if !code_ok {
            errs.push(FieldError::top("code", "must be 1–40 of a–z 0–9 _ -"));
        }
        let n = self.name.trim().chars().count();
        if n == 0 || n > 200 {
            errs.push(FieldError::top("name", "must be 1 to 200 characters"));
        }
        version_problem(self.version, &mut errs);
        category_problems("bands", &self.bands, Cover::ZeroAndAbove, &mut errs);
        errs
    }
}

/// The category of a JPM under one scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JpmCategory {
    /// The scheme's code.
    pub scheme: String,
    /// The scheme's version.
    pub scheme_version: u32,
    /// The category.
    pub category: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competency::test_support::assert_seed_is;

    fn lv(n: u8) -> Level {
        Level::new(n).unwrap()
    }

    fn levels(pairs: &[(&str, u8)]) -> BTreeMap<String, Level> {
        pairs
            .iter()
            .map(|(c, n)| ((*c).to_owned(), lv(*n)))
            .collect()
    }

    /// Required 3 on all nine.
    fn nine_at_3() -> Standard {
        levels(&MANAGERIAL_SOCIO_CULTURAL.map(|c| (c, 3)))
    }

    /// Achieved 3, 3, 2, 3, 4, 3, 2, 3, 3 on INT, KS, KOM, OPH, PP, PDOL, MP, PK, PB.
    fn achieved_26() -> Achieved {
        let levels_in_order = [3, 3, 2, 3, 4, 3, 2, 3, 3];
        levels(
            &MANAGERIAL_SOCIO_CULTURAL
                .iter()
                .zip(levels_in_order)
                .map(|(c, n)| (*c, n))
                .collect::<Vec<_>>(),
        )
    }

    fn complete(r: &JpmResult) -> &JpmScore {
        match &r.jpm {
            Jpm::Complete(s) => s,
            Jpm::Incomplete { missing } => panic!("incomplete: {missing:?}"),
        }
    }

    fn category(scheme: &CategoryScheme, score: &JpmScore) -> String {
        scheme.categorise(score).unwrap().category
    }

    #[test]
    fn the_seeded_rule_and_schemes_are_valid_and_are_the_seed_files() {
        assert_eq!(JpmRule::defaults().validate(), vec![]);
        for s in CategoryScheme::defaults() {
            assert_eq!(s.validate(), vec![], "{}", s.code);
        }
        assert_seed_is(
            include_str!("../../seed/competency/jpm-rule.json"),
            &JpmRule::defaults(),
        );
        assert_seed_is(
            include_str!("../../seed/competency/category-schemes.json"),
            &CategoryScheme::defaults(),
        );
    }

    #[test]
    fn twenty_six_of_twenty_seven_is_96_30_percent_optimal_and_memenuhi_syarat() {
        // Σ achieved 26 ÷ Σ required 27 × 100 = 96.296296… → 96.30.
        let r = JpmRule::defaults()
            .job_person_match(&nine_at_3(), &achieved_26(), "Administrator")
            .unwrap();
        let s = complete(&r);
        assert_eq!((s.sum_counted, s.sum_required), (26, 27));
        assert_eq!(s.unrounded, 2600.0 / 27.0);
        assert_eq!(s.percent, 96.3);
        assert_eq!(s.weights, None);
        assert_eq!(category(&CategoryScheme::mapping(), s), "Optimal");
        assert_eq!(
            category(&CategoryScheme::eligibility(), s),
            "Memenuhi Syarat"
        );
        assert_eq!(
            CategoryScheme::mapping().categorise(s),
            Some(JpmCategory {
                scheme: "mapping".into(),
                scheme_version: 1,
                category: "Optimal".into()
            })
        );
    }

    #[test]
    fn gaps_are_achieved_minus_required_in_code_order() {
        let r = JpmRule::defaults()
            .job_person_match(&nine_at_3(), &achieved_26(), "Administrator")
            .unwrap();
        let gaps: Vec<(&str, Option<i8>)> = r
            .competencies
            .iter()
            .map(|c| (c.competency.as_str(), c.gap))
            .collect();
        assert_eq!(
            gaps,
            [
                ("INT", Some(0)),
                ("KOM", Some(-1)),
                ("KS", Some(0)),
                ("MP", Some(-1)),
                ("OPH", Some(0)),
                ("PB", Some(0)),
                ("PDOL", Some(0)),
                ("PK", Some(0)),
                ("PP", Some(1)),
            ]
        );
        assert!(r
            .competencies
            .iter()
            .all(|c| c.group == CompetencyGroup::ManagerialSocioCultural));
    }

    #[test]
    fn capping_each_competency_at_its_requirement_gives_25_of_27_or_92_59_percent() {
        // PP counts 3 instead of 4: 25 ÷ 27 × 100 = 92.592592… → 92.59; the gap stays +1.
        let rule = JpmRule {
            cap_each_at_required: true,
            ..JpmRule::defaults()
        };
        let r = rule
            .job_person_match(&nine_at_3(), &achieved_26(), "Administrator")
            .unwrap();
        let s = complete(&r);
        assert_eq!((s.sum_counted, s.sum_required), (25, 27));
        assert_eq!(s.percent, 92.59);
        let pp = r
            .competencies
            .iter()
            .find(|c| c.competency == "PP")
            .unwrap();
        assert_eq!((pp.counted, pp.gap), (Some(3), Some(1)));
        assert_eq!(category(&CategoryScheme::mapping(), s), "Optimal");
    }

    #[test]
    fn capping_the_total_at_100_lowers_only_a_jpm_above_100() {
        // All nine at 5 against 3: 45 ÷ 27 × 100 = 166.666… → 166.67 uncapped, 100 capped.
        let all_5 = levels(&MANAGERIAL_SOCIO_CULTURAL.map(|c| (c, 5)));
        let plain = JpmRule::defaults()
            .job_person_match(&nine_at_3(), &all_5, "Pengawas")
            .unwrap();
        assert_eq!(complete(&plain).percent, 166.67);
        assert!(!complete(&plain).capped_at_100);
        let rule = JpmRule {
            cap_total_at_100: true,
            ..JpmRule::defaults()
        };
        let capped = rule
            .job_person_match(&nine_at_3(), &all_5, "Pengawas")
            .unwrap();
        assert_eq!(complete(&capped).percent, 100.0);
        assert!(complete(&capped).capped_at_100);
        let under = rule
            .job_person_match(&nine_at_3(), &achieved_26(), "Pengawas")
            .unwrap();
        assert_eq!(complete(&under).percent, 96.3);
    }

    /// Ten competencies required at 5 (Σ 50) and achieved levels summing to `sum`.
    fn ten_at_5_achieving(sum: u8) -> JpmScore {
        let mut standard = levels(&MANAGERIAL_SOCIO_CULTURAL.map(|c| (c, 5)));
        standard.insert("TEK-1".into(), lv(5));
        let mut left = sum;
        let achieved: Achieved = standard
            .keys()
            .enumerate()
            .map(|(i, code)| {
                // Spread `sum` over ten levels of 1–5, as evenly as it goes.
                let rest = 10 - i as u8;
                let n = left.div_ceil(rest).clamp(1, 5);
                left -= n;
                (code.clone(), lv(n))
            })
            .collect();
        assert_eq!(left, 0);
        let r = JpmRule::defaults()
            .job_person_match(&standard, &achieved, "JPT Pratama")
            .unwrap();
        complete(&r).clone()
    }

    #[test]
    fn a_jpm_of_exactly_78_is_cukup_optimal_and_just_below_is_kurang_optimal() {
        // 39 ÷ 50 × 100 = 78 exactly (100 × 39 = 3900, ÷ 50 = 78: no binary noise).
        let at = ten_at_5_achieving(39);
        assert_eq!(at.percent, 78.0);
        assert_eq!(category(&CategoryScheme::mapping(), &at), "Cukup Optimal");
        assert_eq!(
            category(&CategoryScheme::eligibility(), &at),
            "Masih Memenuhi Syarat"
        );
        // 38 ÷ 50 = 76.
        let below = ten_at_5_achieving(38);
        assert_eq!(below.percent, 76.0);
        assert_eq!(
            category(&CategoryScheme::mapping(), &below),
            "Kurang Optimal"
        );
        // Required 2 on all nine (Σ 18), achieved 2,2,2,2,2,1,1,1,1 (Σ 14):
        // 14 ÷ 18 × 100 = 77.777… → 77.78, still below 78.
        let achieved: Vec<(&str, u8)> = MANAGERIAL_SOCIO_CULTURAL
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, if i < 5 { 2 } else { 1 }))
            .collect();
        let r = JpmRule::defaults()
            .job_person_match(
                &levels(&MANAGERIAL_SOCIO_CULTURAL.map(|c| (c, 2))),
                &levels(&achieved),
                "Pengawas",
            )
            .unwrap();
        assert_eq!(complete(&r).percent, 77.78);
        assert_eq!(
            category(&CategoryScheme::mapping(), complete(&r)),
            "Kurang Optimal"
        );
    }

    #[test]
    fn the_other_scheme_edges_90_80_and_68_belong_to_the_upper_band() {
        let s90 = ten_at_5_achieving(45);
        assert_eq!(s90.percent, 90.0);
        assert_eq!(category(&CategoryScheme::mapping(), &s90), "Optimal");
        let s80 = ten_at_5_achieving(40);
        assert_eq!(
            category(&CategoryScheme::eligibility(), &s80),
            "Memenuhi Syarat"
        );
        assert_eq!(category(&CategoryScheme::mapping(), &s80), "Cukup Optimal");
        let s68 = ten_at_5_achieving(34);
        assert_eq!(s68.percent, 68.0);
        assert_eq!(
            category(&CategoryScheme::eligibility(), &s68),
            "Masih Memenuhi Syarat"
        );
        let s66 = ten_at_5_achieving(33);
        assert_eq!(
            category(&CategoryScheme::eligibility(), &s66),
            "Kurang Memenuhi Syarat"
        );
        assert_eq!(category(&CategoryScheme::mapping(), &s66), "Kurang Optimal");
    }

    /// The nine at 3 achieving 26 (as above) plus technical TEK-1 required 3 achieved 2 and TEK-2
    /// required 4 achieved 4.
    fn with_technical() -> (Standard, Achieved) {
        let mut standard = nine_at_3();
        standard.insert("TEK-1".into(), lv(3));
        standard.insert("TEK-2".into(), lv(4));
        let mut achieved = achieved_26();
        achieved.insert("TEK-1".into(), lv(2));
        achieved.insert("TEK-2".into(), lv(4));
        (standard, achieved)
    }

    fn weighted_40_60() -> JpmRule {
        JpmRule {
            group_weights: vec![GroupWeighting {
                job_levels: vec!["Administrator".into()],
                weights: GroupWeights {
                    technical: 40.0,
                    managerial_socio_cultural: 60.0,
                },
            }],
            ..JpmRule::defaults()
        }
    }

    #[test]
    fn a_40_60_weighting_combines_the_two_group_jpms() {
        // Technical: (2 + 4) ÷ (3 + 4) × 100 = 600/7 = 85.714285…
        // Managerial + socio-cultural: 26 ÷ 27 × 100 = 2600/27 = 96.296296…
        // JPM = (40 × 600/7 + 60 × 2600/27) ÷ 100 = 240/7 + 1560/27
        //     = (240·27 + 1560·7) ÷ 189 = 17400/189 = 92.063492… → 92.06.
        let (standard, achieved) = with_technical();
        let r = weighted_40_60()
            .job_person_match(&standard, &achieved, " administrator ")
            .unwrap();
        let s = complete(&r);
        assert_eq!(s.groups.len(), 2);
        assert_eq!(s.groups[0].group, CompetencyGroup::Technical);
        assert_eq!((s.groups[0].sum_counted, s.groups[0].sum_required), (6, 7));
        assert_eq!(
            (s.groups[1].sum_counted, s.groups[1].sum_required),
            (26, 27)
        );
        assert!((s.unrounded - 17400.0 / 189.0).abs() < 1e-12);
        assert_eq!(s.percent, 92.06);
        // Unweighted, the same levels give 32 ÷ 34 = 94.117647… → 94.12; and a job level the
        // rule does not weight gets that plain JPM.
        let plain = weighted_40_60()
            .job_person_match(&standard, &achieved, "Pengawas")
            .unwrap();
        assert_eq!(complete(&plain).percent, 94.12);
        assert_eq!(complete(&plain).weights, None);
    }

    #[test]
    fn a_weighted_standard_without_technical_competencies_is_the_managerial_jpm() {
        let r = weighted_40_60()
            .job_person_match(&nine_at_3(), &achieved_26(), "Administrator")
            .unwrap();
        assert_eq!(complete(&r).percent, 96.3);
        assert_eq!(complete(&r).groups.len(), 1);
    }

    #[test]
    fn a_missing_level_makes_the_jpm_incomplete_not_smaller() {
        let mut achieved = achieved_26();
        achieved.remove("PB");
        achieved.insert("OUTSIDE".into(), lv(5));
        let r = JpmRule::defaults()
            .job_person_match(&nine_at_3(), &achieved, "Administrator")
            .unwrap();
        assert_eq!(
            r.jpm,
            Jpm::Incomplete {
                missing: vec!["PB".into()]
            }
        );
        assert_eq!(r.percent(), None);
        let pb = r
            .competencies
            .iter()
            .find(|c| c.competency == "PB")
            .unwrap();
        assert_eq!((pb.achieved, pb.gap), (None, None));
        assert_eq!(r.competencies.len(), 9);
    }

    #[test]
    fn an_empty_standard_is_refused() {
        let err = JpmRule::defaults()
            .job_person_match(&Standard::new(), &achieved_26(), "Administrator")
            .unwrap_err();
        assert_eq!(err.field, "standard");
    }

    #[test]
    fn validation_refuses_weights_not_summing_to_100_and_a_job_level_weighted_twice() {
        let mut rule = weighted_40_60();
        rule.group_weights.push(GroupWeighting {
            job_levels: vec!["ADMINISTRATOR".into(), " ".into()],
            weights: GroupWeights {
                technical: 0.0,
                managerial_socio_cultural: 90.0,
            },
        });
        rule.group_weights.push(GroupWeighting {
            job_levels: vec![],
            weights: GroupWeights {
                technical: 50.0,
                managerial_socio_cultural: 50.0,
            },
        });
        rule.managerial_socio_cultural.push("INT".into());
        rule.decimals = 7;
        let fields: Vec<String> = rule.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "decimals",
                "managerial_socio_cultural[9]",
                "group_weights[1].job_levels[0]",
                "group_weights[1].job_levels[1]",
                "group_weights[1].weights.technical",
                "group_weights[1].weights",
                "group_weights[2].job_levels",
            ]
        );
    }

    #[test]
    fn a_scheme_must_cover_zero_and_above_without_gaps() {
        let mut s = CategoryScheme::mapping();
        s.bands[1].from = Some(80.0);
        s.bands[2].to = Some(100.0);
        s.bands[0].from = Some(10.0);
        s.bands[2].category = "Kurang Optimal".into();
        let fields: Vec<String> = s.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "bands[1].from",
                "bands[0].from",
                "bands[2].to",
                "bands[2].category"
            ]
        );
    }
}

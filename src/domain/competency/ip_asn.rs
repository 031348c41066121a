//! The professionalism index, IP ASN (issue 12, item 6; PermenPANRB 38/2018, DOMAIN.md
//! "Professionalism index").
//!
//! The rule, in words: four dimensions with maximum points Kualifikasi 25, Kompetensi 40,
//! Kinerja 30, Disiplin 5 (total 100), each from one input:
//! - Kualifikasi from the highest education: S3 25, S2 20 (regulation); S1/D4 15, D3 10, D1–D2 5,
//!   below D1 1 (*unverified*).
//! - Kompetensi from the JPM, proportionally: 40 × min(JPM, 100) ÷ 100 (a JPM above 100 earns no
//!   more than the maximum).
//! - Kinerja from the latest SKP predicate: Sangat Baik 30, Baik 25, Butuh Perbaikan 15, Kurang 10,
//!   Sangat Kurang 5 (*unverified*).
//! - Disiplin from the discipline record of the period: no penalty 5, light 3, moderate 1,
//!   heavy 0 (*unverified*).
//!
//! Each dimension is rounded to the rule's `decimals`; the total is the sum of the rounded
//! dimensions (so the parts shown add up to the total shown). A dimension whose input is missing
//! is `None`, and then neither the total nor the category is computed: the index is shown only
//! where its inputs exist.
//!
//! The regulation's categories are whole-number ranges (Sangat Tinggi 91–100, Tinggi 81–90, Sedang
//! 71–80, Rendah 61–70, Sangat Rendah ≤ 60), silent on fractional totals. A fractional total is
//! placed where its whole-number rounding (half up) falls: the seeded bands start at 60.5, 70.5,
//! 80.5 and 90.5, so 90.5 is Sangat Tinggi and 90.49 Tinggi.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bands::{category_of, category_problems, CategoryBand, Cover};
use super::skp::{PerPredicate, SkpPredicate};
use super::{decimals_problem, round_to, version_problem, RuleDocument};
use crate::domain::education::Education;
use crate::domain::FieldError;

/// The worst discipline penalty (hukuman disiplin) of the period: the import's own type.
pub use crate::domain::discipline::DisciplineLevel as DisciplineRecord;

/// One value per discipline record.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerDiscipline<T> {
    /// No penalty.
    pub none: T,
    /// Light penalty.
    pub light: T,
    /// Moderate penalty.
    pub moderate: T,
    /// Heavy penalty.
    pub heavy: T,
}

impl<T: Copy> PerDiscipline<T> {
    /// The value for `d`.
    pub fn of(&self, d: DisciplineRecord) -> T {
        match d {
            DisciplineRecord::None => self.none,
            DisciplineRecord::Light => self.light,
            DisciplineRecord::Moderate => self.moderate,
            DisciplineRecord::Heavy => self.heavy,
        }
    }

    fn entries(&self) -> [(&'static str, T); 4] {
        [
            ("none", self.none),
            ("light", self.light),
            ("moderate", self.moderate),
            ("heavy", self.heavy),
        ]
    }
}

/// Kualifikasi: points by highest education.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualificationPoints {
    /// Most points of the dimension.
    pub max_points: f64,
    /// Points of every education level.
    pub points: BTreeMap<Education, f64>,
}

/// How a JPM becomes Kompetensi points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompetencyConversion {
    /// max_points × min(JPM, 100) ÷ 100.
    Proportional,
}

/// Kompetensi: points from the JPM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetencyPoints {
    /// Most points of the dimension.
    pub max_points: f64,
    /// The conversion.
    pub conversion: CompetencyConversion,
}

/// Kinerja: points by the latest SKP predicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerformancePoints {
    /// Most points of the dimension.
    pub max_points: f64,
    /// Points per predicate.
    pub points: PerPredicate<f64>,
}

/// Disiplin: points by discipline record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisciplinePoints {
    /// Most points of the dimension.
    pub max_points: f64,
    /// Points per record.
    pub points: PerDiscipline<f64>,
}

/// The IP ASN rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpAsnRule {
    /// Version of this document, from 1.
    pub version: u32,
    /// Decimals each dimension (and so the total) is rounded to.
    pub decimals: u8,
    /// Kualifikasi.
    pub qualification: QualificationPoints,
    /// Kompetensi.
    pub competency: CompetencyPoints,
    /// Kinerja.
    pub performance: PerformancePoints,
    /// Disiplin.
    pub discipline: DisciplinePoints,
    /// Categories on the total: rising, touching bands from 0 with an open top.
    pub categories: Vec<CategoryBand>,
}

/// What the IP ASN reads of one civil servant; `None` where the input is missing.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IpAsnInputs {
    /// Highest education.
    pub education: Option<Education>,
    /// The complete JPM % (rounded, as shown).
    pub jpm: Option<f64>,
    /// The latest SKP predicate.
    pub latest_skp: Option<SkpPredicate>,
    /// The discipline record of the period.
    pub discipline: Option<DisciplineRecord>,
}

/// The IP ASN of one civil servant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IpAsnResult {
    /// The version of the rule used.
    pub rule_version: u32,
    /// Kualifikasi points.
    pub qualification: Option<f64>,
    /// Kompetensi points.
    pub competency: Option<f64>,
    /// Kinerja points.
    pub performance: Option<f64>,
    /// Disiplin points.
    pub discipline: Option<f64>,
    /// The sum, when all four are present.
    pub total: Option<f64>,
    /// The category of the total.
    pub category: Option<String>,
}

fn category(name: &str, from: f64, to: Option<f64>) -> CategoryBand {
    CategoryBand {
        category: name.into(),
        from: Some(from),
        to,
    }
}

impl IpAsnRule {
    /// The seeded rule, as in the module documentation.
    pub fn defaults() -> Self {
        let qualification = Education::ALL
            .into_iter()
            .map(|e| {
                let points = match e {
                    Education::S3 => 25.0,
                    Education::S2 => 20.0,
                    Education::S1 | Education::D4 => 15.0,
                    Education::D3 => 10.0,
                    Education::D2 | Education::D1 => 5.0,
                    Education::Smk | Education::Sma | Education::Smp | Education::Sd => 1.0,
                };
                (e, points)
            })
            .collect();
        Self {
            version: 1,
            decimals: 2,
            qualification: QualificationPoints {
                max_points: 25.0,
                points: qualification,
            },
            competency: CompetencyPoints {
                max_points: 40.0,
                conversion: CompetencyConversion::Proportional,
            },
            performance: PerformancePoints {
                max_points: 30.0,
                points: PerPredicate {
                    sangat_baik: 30.0,
                    baik: 25.0,
                    butuh_perbaikan: 15.0,
                    kurang: 10.0,
                    sangat_kurang: 5.0,
                },
            },
            discipline: DisciplinePoints {
                max_points: 5.0,
                points: PerDiscipline {
                    none: 5.0,
                    light: 3.0,
                    moderate: 1.0,
                    heavy: 0.0,
                },
            },
            categories: vec![
                category("Sangat Rendah", 0.0, Some(60.5)),
                category("Rendah", 60.5, Some(70.5)),
                category("Sedang", 70.5, Some(80.5)),
                category("Tinggi", 80.5, Some(90.5)),
                category("Sangat Tinggi", 90.5, None),
            ],
        }
    }

    /// The index of one civil servant.
    pub fn index(&self, inputs: IpAsnInputs) -> IpAsnResult {
        let d = self.decimals;
        let qualification = inputs
            .education
            .and_then(|e| self.qualification.points.get(&e).copied())
            .map(|p| round_to(p, d));
        let competency = inputs.jpm.map(|jpm| match self.competency.conversion {
            CompetencyConversion::Proportional => round_to(
                self.competency.max_points * jpm.clamp(0.0, 100.0) / 100.0,
                d,
            ),
        });
        let performance = inputs
            .latest_skp
            .map(|p| round_to(self.performance.points.of(p), d));
        let discipline = inputs
            .discipline
            .map(|r| round_to(self.discipline.points.of(r), d));
        let total = match (qualification, competency, performance, discipline) {
            (Some(q), Some(c), Some(p), Some(s)) => Some(round_to(q + c + p + s, d)),
            _ => None,
        };
        IpAsnResult {
            rule_version: self.version,
            qualification,
            competency,
            performance,
            discipline,
            total,
            category: total
                .and_then(|t| category_of(&self.categories, t))
                .map(str::to_owned),
        }
    }
}

fn points_problems(
    path: &str,
    max: f64,
    entries: impl IntoIterator<Item = (String, f64)>,
    errs: &mut Vec<FieldError>,
) {
    if !max.is_finite() || max <= 0.0 {
        errs.push(FieldError::top(
            format!("{path}.max_points"),
            "must be a number above 0",
        ));
        return;
    }
    for (key, points) in entries {
        if !points.is_finite() || !(0.0..=max).contains(&points) {
            errs.push(FieldError::top(
                format!("{path}.points.{key}"),
                format!("must be from 0 to the dimension's {max} points"),
            ));
        }
    }
}

impl RuleDocument for IpAsnRule {
    fn version(&self) -> u32 {
        self.version
    }

    fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        version_problem(self.version, &mut errs);
        decimals_problem("decimals", self.decimals, &mut errs);
        for e in Education::ALL {
            if !self.qualification.points.contains_key(&e) {
                errs.push(FieldError::top(
                    format!("qualification.points.{}", e.as_str()),
                    "every education level needs its points",
                ));
            }
        }
        points_problems(
            "qualification",
            self.qualification.max_points,
            self.qualification
                .points
                .iter()
                .map(|(e, p)| (e.as_str().to_owned(), *p)),
            &mut errs,
        );
        if !self.competency.max_points.is_finite() || self.competency.max_points <= 0.0 {
            errs.push(FieldError::top(
                "competency.max_points",
                "must be a number above 0",
            ));
        }
        points_problems(
            "performance",
            self.performance.max_points,
            self.performance
                .points
                .entries()
                .map(|(k, p)| (k.to_owned(), p)),
            &mut errs,
        );
        points_problems(
            "discipline",
            self.discipline.max_points,
            self.discipline
                .points
                .entries()
                .map(|(k, p)| (k.to_owned(), p)),
            &mut errs,
        );
        let sum = self.qualification.max_points
            + self.competency.max_points
            + self.performance.max_points
            + self.discipline.max_points;
        if (sum - 100.0).abs() > 1e-9 {
            errs.push(FieldError::top(
                "max_points",
                format!("the four dimensions' max_points must sum to 100 (they sum to {sum})"),
            ));
        }
        category_problems(
            "categories",
            &self.categories,
            Cover::ZeroAndAbove,
            &mut errs,
        );
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competency::test_support::assert_seed_is;

    fn inputs(education: Education, jpm: f64, skp: SkpPredicate) -> IpAsnInputs {
        IpAsnInputs {
            education: Some(education),
            jpm: Some(jpm),
            latest_skp: Some(skp),
            discipline: Some(DisciplineRecord::None),
        }
    }

    #[test]
    fn the_seeded_rule_is_valid_and_is_the_seed_file() {
        assert_eq!(IpAsnRule::defaults().validate(), vec![]);
        assert_seed_is(
            include_str!("../../seed/competency/ip-asn.json"),
            &IpAsnRule::defaults(),
        );
    }

    #[test]
    fn an_s1_with_jpm_96_30_rated_baik_and_no_penalty_scores_83_52_tinggi() {
        // 15 + 40 × 96.3 ÷ 100 (= 38.52) + 25 + 5 = 83.52.
        let r = IpAsnRule::defaults().index(inputs(Education::S1, 96.3, SkpPredicate::Baik));
        assert_eq!(r.qualification, Some(15.0));
        assert_eq!(r.competency, Some(38.52));
        assert_eq!(r.performance, Some(25.0));
        assert_eq!(r.discipline, Some(5.0));
        assert_eq!(r.total, Some(83.52));
        assert_eq!(r.category.as_deref(), Some("Tinggi"));
        assert_eq!(r.rule_version, 1);
    }

    #[test]
    fn a_jpm_above_100_earns_the_dimension_maximum_and_no_more() {
        // S2 20 + min(166.67, 100) → 40 + Sangat Baik 30 + 5 = 95 → Sangat Tinggi.
        let r =
            IpAsnRule::defaults().index(inputs(Education::S2, 166.67, SkpPredicate::SangatBaik));
        assert_eq!(r.competency, Some(40.0));
        assert_eq!(r.total, Some(95.0));
        assert_eq!(r.category.as_deref(), Some("Sangat Tinggi"));
    }

    #[test]
    fn a_fractional_total_takes_the_category_of_its_whole_number_rounding() {
        let rule = IpAsnRule::defaults();
        // S2 20 + 40 × 88.75 ÷ 100 (= 35.5) + 30 + 5 = 90.5 → rounds to 91 → Sangat Tinggi.
        let at = rule.index(inputs(Education::S2, 88.75, SkpPredicate::SangatBaik));
        assert_eq!(at.total, Some(90.5));
        assert_eq!(at.category.as_deref(), Some("Sangat Tinggi"));
        // 40 × 88.72 ÷ 100 = 35.488 → 35.49; total 90.49 → rounds to 90 → Tinggi.
        let below = rule.index(inputs(Education::S2, 88.72, SkpPredicate::SangatBaik));
        assert_eq!(below.total, Some(90.49));
        assert_eq!(below.category.as_deref(), Some("Tinggi"));
        // D3 10 + 40 × 93.75 ÷ 100 (= 37.5) + Kurang 10 + light penalty 3 = 60.5 → Rendah.
        let light = |jpm| IpAsnInputs {
            discipline: Some(DisciplineRecord::Light),
            ..inputs(Education::D3, jpm, SkpPredicate::Kurang)
        };
        let rendah = rule.index(light(93.75));
        assert_eq!(rendah.total, Some(60.5));
        assert_eq!(rendah.category.as_deref(), Some("Rendah"));
        // 40 × 93.7 ÷ 100 = 37.48; total 60.48 → Sangat Rendah.
        let sangat_rendah = rule.index(light(93.7));
        assert_eq!(sangat_rendah.total, Some(60.48));
        assert_eq!(sangat_rendah.category.as_deref(), Some("Sangat Rendah"));
        // SMA 1 + 40 × 98.75 ÷ 100 (= 39.5) + Baik 25 + 5 = 70.5 → Sedang.
        let sma = rule.index(inputs(Education::Sma, 98.75, SkpPredicate::Baik));
        assert_eq!(sma.total, Some(70.5));
        assert_eq!(sma.category.as_deref(), Some("Sedang"));
        // S1 15 + 40 × 75 ÷ 100 (= 30) + 30 + 5 = 80 → Sedang; with JPM 76.25 (→ 30.5) the
        // total is 80.5 → Tinggi.
        assert_eq!(
            rule.index(inputs(Education::S1, 75.0, SkpPredicate::SangatBaik))
                .category
                .as_deref(),
            Some("Sedang")
        );
        assert_eq!(
            rule.index(inputs(Education::S1, 76.25, SkpPredicate::SangatBaik))
                .category
                .as_deref(),
            Some("Tinggi")
        );
    }

    #[test]
    fn a_missing_input_leaves_its_dimension_empty_and_no_total() {
        let r = IpAsnRule::defaults().index(IpAsnInputs {
            discipline: None,
            ..inputs(Education::D4, 80.0, SkpPredicate::ButuhPerbaikan)
        });
        assert_eq!(r.qualification, Some(15.0));
        assert_eq!(r.competency, Some(32.0));
        assert_eq!(r.performance, Some(15.0));
        assert_eq!(r.discipline, None);
        assert_eq!((r.total, r.category), (None, None));
        let nothing = IpAsnRule::defaults().index(IpAsnInputs::default());
        assert_eq!(nothing.qualification, None);
        assert_eq!(nothing.total, None);
    }

    #[test]
    fn validation_names_missing_education_points_above_the_maximum_and_maxima_off_100() {
        let mut rule = IpAsnRule::defaults();
        rule.qualification.points.remove(&Education::Smk);
        rule.performance.points.sangat_baik = 35.0;
        rule.discipline.max_points = 10.0;
        rule.categories[4].from = Some(91.0);
        let fields: Vec<String> = rule.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "qualification.points.SMK",
                "performance.points.sangat_baik",
                "max_points",
                "categories[4].from",
            ]
        );
    }
}

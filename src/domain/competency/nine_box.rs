//! The talent map, a 9-box of potential × performance (issue 12, item 5; PermenPANRB 3/2020,
//! DOMAIN.md "Talent map: the 9-box").
//!
//! The rule, in words:
//! - **Performance** (columns below / meets / above expectation) comes from the SKP predicates of
//!   the last two years (the caller passes the ratings of that window). Each predicate maps to a
//!   column (default, *unverified*: Sangat Baik → above, Baik → meets, the rest → below). With two
//!   years, the `two_years` rule decides: `lower` (default) takes the lower of the two; DOMAIN.md's
//!   "the lower of the two unless both are above" is the same rule, since when both are above the
//!   lower is above too. `latest` takes the latest year. With one year, that year; with none, the
//!   participant is not placed ("no performance rating").
//! - **Potential** (rows low / medium / high) comes from one rule kind, `weighted_score`:
//!   P = (w_jpm · min(JPM, 100) + w_cog · C) ÷ (w_jpm + w_cog), the weights summing to 100, where C
//!   is the plain mean of the listed cognitive scale scores (percentiles by default, so both terms
//!   lie on 0–100; JPM above 100 counts as 100 so a surplus cannot stand in for ability). P is
//!   rounded to `decimals` and read against bands [from, to) for low, medium and high. A
//!   participant without a complete JPM, or without one of the cognitive scores, is not placed.
//! - **Boxes** are numbered by the layout in the document (default as DOMAIN.md draws it:
//!   high 4 7 9, medium 2 5 8, low 1 3 6, columns below / meets / above); the talent pool is boxes
//!   7, 8 and 9.
//! - Every missing input is named: the result lists each reason a participant is not placed.
use serde::{Deserialize, Serialize};

use super::bands::{band_of, band_problems, Cover};
use super::scores::{scale_ref_problems, ParticipantScores, ScaleRef, ScoreKind};
use super::skp::{PerPredicate, SkpHistory, SkpRating};
use super::{decimals_problem, round_to, version_problem, weight_problem, RuleDocument};
use crate::domain::FieldError;

/// The performance axis: against expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PerformanceLevel {
    /// Di bawah ekspektasi.
    Below,
    /// Sesuai ekspektasi.
    Meets,
    /// Di atas ekspektasi.
    Above,
}

/// The potential axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PotentialLevel {
    /// Rendah.
    Low,
    /// Menengah.
    Medium,
    /// Tinggi.
    High,
}

/// How two years' performance columns become one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TwoYearRule {
    /// The lower of the two (above only when both are above).
    Lower,
    /// The latest year's.
    Latest,
}

/// Performance from SKP predicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerformanceRule {
    /// Predicate → column.
    pub predicates: PerPredicate<PerformanceLevel>,
    /// How two years combine.
    pub two_years: TwoYearRule,
}

/// One band of the potential score: scores in [`from`, `to`) are `potential`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PotentialCut {
    /// The row.
    pub potential: PotentialLevel,
    /// Lowest score of the band (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
    /// Where the next band starts (exclusive); left out on the last band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<f64>,
}

/// How potential is decided. One kind for now, tagged so that others can be added as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PotentialRule {
    /// P = (w_jpm · min(JPM, 100) + w_cog · mean of the cognitive scores) ÷ (w_jpm + w_cog).
    WeightedScore {
        /// Weight of the JPM.
        jpm_weight: f64,
        /// Weight of the cognitive mean.
        cognitive_weight: f64,
        /// The cognitive scale scores averaged, all of one kind.
        cognitive: Vec<ScaleRef>,
        /// Decimals P is rounded to before the cuts read it.
        decimals: u8,
        /// P → low, medium, high: three rising, touching bands from 0 with an open top.
        cuts: Vec<PotentialCut>,
    },
}

/// Box numbers of the grid, each row listed by column below, meets, above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoxLayout {
    /// Potential high.
    pub high: [u8; 3],
    /// Potential medium.
    pub medium: [u8; 3],
    /// Potential low.
    pub low: [u8; 3],
}

impl BoxLayout {
    /// The number of the box at `potential` × `performance`.
    pub fn number(&self, potential: PotentialLevel, performance: PerformanceLevel) -> u8 {
        let row = match potential {
            PotentialLevel::High => &self.high,
            PotentialLevel::Medium => &self.medium,
            PotentialLevel::Low => &self.low,
        };
        row[performance as usize]
    }
}

/// The 9-box rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NineBoxRule {
    /// Version of this document, from 1.
    pub version: u32,
    /// The performance axis.
    pub performance: PerformanceRule,
    /// The potential axis.
    pub potential: PotentialRule,
    /// Box numbers.
    pub boxes: BoxLayout,
    /// Boxes whose participants form the talent pool (succession candidates).
    pub talent_pool: Vec<u8>,
}

/// What the 9-box reads of one participant.
#[derive(Debug, Clone, Copy)]
pub struct NineBoxInputs<'a> {
    /// SKP ratings of the window that counts (the last two years).
    pub skp: &'a SkpHistory,
    /// The complete JPM % (rounded, as shown); `None` when incomplete.
    pub jpm: Option<f64>,
    /// Scale scores.
    pub scores: &'a ParticipantScores,
}

/// How the performance column was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformanceBasis {
    /// The ratings read, latest first (at most two).
    pub ratings: Vec<SkpRating>,
    /// The column.
    pub level: PerformanceLevel,
}

/// One cognitive score read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CognitiveScore {
    /// Which score.
    pub source: ScaleRef,
    /// Its value.
    pub score: f64,
}

/// How the potential row was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PotentialBasis {
    /// The JPM given.
    pub jpm: f64,
    /// min(JPM, 100), what the score used.
    pub jpm_counted: f64,
    /// The cognitive scores.
    pub cognitive: Vec<CognitiveScore>,
    /// Their plain mean C.
    pub cognitive_mean: f64,
    /// P, rounded.
    pub score: f64,
    /// The band that applied.
    pub cut: PotentialCut,
    /// The row.
    pub level: PotentialLevel,
}

/// Why a participant is not on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotPlacedReason {
    /// No SKP rating in the window.
    NoPerformanceRating,
    /// The JPM is incomplete.
    NoJpm,
    /// A cognitive score the rule needs is missing.
    NoCognitiveScore {
        /// Instrument code.
        instrument: String,
        /// Scale code.
        scale: String,
    },
    /// The potential score falls in no band (only with an unvalidated rule).
    PotentialOutsideCuts {
        /// P.
        score: f64,
    },
}

/// Where a participant lands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum NineBoxOutcome {
    /// On the map.
    Placed {
        /// Potential row.
        potential: PotentialLevel,
        /// Performance column.
        performance: PerformanceLevel,
        /// Box number, 1–9.
        box_number: u8,
        /// Whether the box is in the talent pool.
        talent_pool: bool,
    },
    /// Not on the map; every reason is listed.
    NotPlaced {
        /// Why (at least one).
        reasons: Vec<NotPlacedReason>,
    },
}

/// A participant's 9-box placement with its inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NineBoxPlacement {
    /// The version of the 9-box rule used.
    pub rule_version: u32,
    /// The performance column and its basis, when there is one.
    pub performance: Option<PerformanceBasis>,
    /// The potential row and its basis, when there is one.
    pub potential: Option<PotentialBasis>,
    /// The box, or why there is none.
    pub outcome: NineBoxOutcome,
}

impl NineBoxRule {
    /// The seeded rule (*unverified*): predicates Sangat Baik → above, Baik → meets, the rest →
    /// below; two years → the lower; potential P = 50 % JPM + 50 % mean percentile of the demo
    /// battery's three ability tests (`NUM-SERIES`/`NUM`, `VERBAL-ID`/`VERBAL`,
    /// `FIGURAL`/`FIGURAL`), low < 60 ≤ medium < 80 ≤ high; boxes as DOMAIN.md; talent pool 7,
    /// 8, 9.
    pub fn defaults() -> Self {
        let cut = |potential, from, to| PotentialCut {
            potential,
            from,
            to,
        };
        Self {
            version: 1,
            performance: PerformanceRule {
                predicates: PerPredicate {
                    sangat_baik: PerformanceLevel::Above,
                    baik: PerformanceLevel::Meets,
                    butuh_perbaikan: PerformanceLevel::Below,
                    kurang: PerformanceLevel::Below,
                    sangat_kurang: PerformanceLevel::Below,
                },
                two_years: TwoYearRule::Lower,
            },
            potential: PotentialRule::WeightedScore {
                jpm_weight: 50.0,
                cognitive_weight: 50.0,
                cognitive: vec![
                    ScaleRef::new("NUM-SERIES", "NUM", ScoreKind::Percentile),
                    ScaleRef::new("VERBAL-ID", "VERBAL", ScoreKind::Percentile),
                    ScaleRef::new("FIGURAL", "FIGURAL", ScoreKind::Percentile),
                ],
                decimals: 2,
                cuts: vec![
                    cut(PotentialLevel::Low, Some(0.0), Some(60.0)),
                    cut(PotentialLevel::Medium, Some(60.0), Some(80.0)),
                    cut(PotentialLevel::High, Some(80.0), None),
                ],
            },
            boxes: BoxLayout {
                high: [4, 7, 9],
                medium: [2, 5, 8],
                low: [1, 3, 6],
            },
            talent_pool: vec![7, 8, 9],
        }
    }

    /// The performance column from the latest two ratings, if there is any rating.
    pub fn performance_of(&self, skp: &SkpHistory) -> Option<PerformanceBasis> {
        let ratings: Vec<SkpRating> = skp.ratings().iter().take(2).copied().collect();
        let columns: Vec<PerformanceLevel> = ratings
            .iter()
            .map(|r| self.performance.predicates.of(r.predicate))
            .collect();
        let level = match (self.performance.two_years, columns.as_slice()) {
            (_, []) => return None,
            (_, [only]) => *only,
            (TwoYearRule::Lower, [a, b, ..]) => (*a).min(*b),
            (TwoYearRule::Latest, [latest, ..]) => *latest,
        };
        Some(PerformanceBasis { ratings, level })
    }

    /// The potential row, or every reason it cannot be found.
    pub fn potential_of(
        &self,
        jpm: Option<f64>,
        scores: &ParticipantScores,
    ) -> Result<PotentialBasis, Vec<NotPlacedReason>> {
        let PotentialRule::WeightedScore {
            jpm_weight,
            cognitive_weight,
            cognitive,
            decimals,
            cuts,
        } = &self.potential;
        let mut reasons = Vec::new();
        if jpm.is_none() {
            reasons.push(NotPlacedReason::NoJpm);
        }
        let mut read = Vec::new();
        for source in cognitive {
            match scores.get(source) {
                Some(score) => read.push(CognitiveScore {
                    source: source.clone(),
                    score,
                }),
                None => reasons.push(NotPlacedReason::NoCognitiveScore {
                    instrument: source.instrument.clone(),
                    scale: source.scale.clone(),
                }),
            }
        }
        let (Some(jpm), true) = (jpm, reasons.is_empty() && !read.is_empty()) else {
            return Err(reasons);
        };
        let cognitive_mean = read.iter().map(|c| c.score).sum::<f64>() / read.len() as f64;
        let jpm_counted = jpm.min(100.0);
        let score = super::weighted_mean([
            (jpm_counted, *jpm_weight),
            (cognitive_mean, *cognitive_weight),
        ])
        .map(|p| round_to(p, *decimals))
        .unwrap_or(f64::NAN);
        let spans: Vec<_> = cuts.iter().map(|c| (c.from, c.to)).collect();
        let Some(cut) = band_of(&spans, score).map(|i| cuts[i].clone()) else {
            return Err(vec![NotPlacedReason::PotentialOutsideCuts { score }]);
        };
        Ok(PotentialBasis {
            jpm,
            jpm_counted,
            cognitive: read,
            cognitive_mean,
            score,
            level: cut.potential,
            cut,
        })
    }

    /// Places a participant on the map.
    pub fn place(&self, inputs: NineBoxInputs<'_>) -> NineBoxPlacement {
        let performance = self.performance_of(inputs.skp);
        let potential = self.potential_of(inputs.jpm, inputs.scores);
        let mut reasons = Vec::new();
        if performance.is_none() {
            reasons.push(NotPlacedReason::NoPerformanceRating);
        }
        let potential = match potential {
            Ok(p) => Some(p),
            Err(mut r) => {
                reasons.append(&mut r);
                None
            }
        };
        let outcome = match (&performance, &potential) {
            (Some(perf), Some(pot)) => {
                let box_number = self.boxes.number(pot.level, perf.level);
                NineBoxOutcome::Placed {
                    potential: pot.level,
                    performance: perf.level,
                    box_number,
                    talent_pool: self.talent_pool.contains(&box_number),
                }
            }
            _ => NineBoxOutcome::NotPlaced { reasons },
        };
        NineBoxPlacement {
            rule_version: self.version,
            performance,
            potential,
            outcome,
        }
    }
}

impl RuleDocument for NineBoxRule {
    fn version(&self) -> u32 {
        self.version
    }

    fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        version_problem(self.version, &mut errs);
        let PotentialRule::WeightedScore {
            jpm_weight,
            cognitive_weight,
            cognitive,
            decimals,
            cuts,
        } = &self.potential;
        weight_problem("potential.jpm_weight".into(), *jpm_weight, &mut errs);
        weight_problem(
            "potential.cognitive_weight".into(),
            *cognitive_weight,
            &mut errs,
        );
        if (jpm_weight + cognitive_weight - 100.0).abs() > 1e-9 {
            errs.push(FieldError::top(
                "potential",
                format!(
                    "jpm_weight and cognitive_weight must sum to 100 (they sum to {})",
                    jpm_weight + cognitive_weight
                ),
            ));
        }
        decimals_problem("potential.decimals", *decimals, &mut errs);
        if cognitive.is_empty() {
            errs.push(FieldError::top(
                "potential.cognitive",
                "needs at least one cognitive scale",
            ));
        }
        for (i, c) in cognitive.iter().enumerate() {
            let path = format!("potential.cognitive[{i}]");
            scale_ref_problems(&path, &c.instrument, &c.scale, &mut errs);
            if cognitive[..i].contains(c) {
                errs.push(FieldError::top(path.clone(), "listed twice"));
            }
            if cognitive[0].score != c.score {
                errs.push(FieldError::top(
                    format!("{path}.score"),
                    "all cognitive scores must be of one kind, as their mean is taken",
                ));
            }
        }
        let spans: Vec<_> = cuts.iter().map(|c| (c.from, c.to)).collect();
        band_problems("potential.cuts", &spans, Cover::ZeroAndAbove, &mut errs);
        let rows: Vec<PotentialLevel> = cuts.iter().map(|c| c.potential).collect();
        if rows
            != [
                PotentialLevel::Low,
                PotentialLevel::Medium,
                PotentialLevel::High,
            ]
        {
            errs.push(FieldError::top(
                "potential.cuts",
                "needs three bands, low, medium and high, in that order",
            ));
        }
        let mut seen = Vec::new();
        for (row, numbers) in [
            ("high", self.boxes.high),
            ("medium", self.boxes.medium),
            ("low", self.boxes.low),
        ] {
            for (j, n) in numbers.into_iter().enumerate() {
                let path = format!("boxes.{row}[{j}]");
                if !(1..=9).contains(&n) {
                    errs.push(FieldError::top(path, "box numbers are 1 to 9"));
                } else if seen.contains(&n) {
                    errs.push(FieldError::top(path, format!("box {n} appears twice")));
                }
                seen.push(n);
            }
        }
        if self.talent_pool.is_empty() {
            errs.push(FieldError::top("talent_pool", "needs at least one box"));
        }
        for (i, n) in self.talent_pool.iter().enumerate() {
            if !(1..=9).contains(n) {
                errs.push(FieldError::top(
                    format!("talent_pool[{i}]"),
                    "box numbers are 1 to 9",
                ));
            } else if self.talent_pool[..i].contains(n) {
                errs.push(FieldError::top(
                    format!("talent_pool[{i}]"),
                    format!("box {n} appears twice"),
                ));
            }
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competency::scores::ScaleScore;
    use crate::domain::competency::skp::SkpPredicate::{self, *};
    use crate::domain::competency::test_support::assert_seed_is;

    fn history(predicates: &[SkpPredicate]) -> SkpHistory {
        SkpHistory::new(
            predicates
                .iter()
                .enumerate()
                .map(|(i, &predicate)| SkpRating {
                    year: 2024 - i as i32,
                    predicate,
                })
                .collect(),
        )
        .unwrap()
    }

    /// The same percentile on the three default ability scales.
    fn ability(pr: f64) -> ParticipantScores {
        ParticipantScores {
            scales: [
                ("NUM-SERIES", "NUM"),
                ("VERBAL-ID", "VERBAL"),
                ("FIGURAL", "FIGURAL"),
            ]
            .iter()
            .map(|(i, s)| ScaleScore {
                instrument: (*i).into(),
                scale: (*s).into(),
                raw: None,
                percentile: Some(pr),
                t: None,
            })
            .collect(),
            ..Default::default()
        }
    }

    fn placed(p: &NineBoxPlacement) -> (u8, bool) {
        match p.outcome {
            NineBoxOutcome::Placed {
                box_number,
                talent_pool,
                ..
            } => (box_number, talent_pool),
            ref other => panic!("not placed: {other:?}"),
        }
    }

    fn reasons(p: &NineBoxPlacement) -> Vec<NotPlacedReason> {
        match &p.outcome {
            NineBoxOutcome::NotPlaced { reasons } => reasons.clone(),
            other => panic!("placed: {other:?}"),
        }
    }

    #[test]
    fn the_seeded_rule_is_valid_and_is_the_seed_file() {
        assert_eq!(NineBoxRule::defaults().validate(), vec![]);
        assert_seed_is(
            include_str!("../../seed/competency/nine-box.json"),
            &NineBoxRule::defaults(),
        );
    }

    #[test]
    fn every_cell_of_the_grid_has_the_number_domain_md_gives_it() {
        let rule = NineBoxRule::defaults();
        // Potential: low (70 + 30) ÷ 2 = 50; medium (90 + 50) ÷ 2 = 70; high (100 + 80) ÷ 2 = 90.
        let potentials = [
            (70.0, 30.0, "low"),
            (90.0, 50.0, "medium"),
            (100.0, 80.0, "high"),
        ];
        // Performance: below (Baik, Kurang → lower: below); meets (Sangat Baik, Baik → meets);
        // above (Sangat Baik twice).
        let performances = [
            (vec![Baik, Kurang], "below"),
            (vec![SangatBaik, Baik], "meets"),
            (vec![SangatBaik, SangatBaik], "above"),
        ];
        let expected = [
            ("low", "below", 1),
            ("low", "meets", 3),
            ("low", "above", 6),
            ("medium", "below", 2),
            ("medium", "meets", 5),
            ("medium", "above", 8),
            ("high", "below", 4),
            ("high", "meets", 7),
            ("high", "above", 9),
        ];
        let mut got = Vec::new();
        for (jpm, pr, row) in potentials {
            for (predicates, column) in &performances {
                let skp = history(predicates);
                let scores = ability(pr);
                let p = rule.place(NineBoxInputs {
                    skp: &skp,
                    jpm: Some(jpm),
                    scores: &scores,
                });
                let (number, pool) = placed(&p);
                assert_eq!(pool, number >= 7, "box {number}");
                got.push((row, *column, number));
            }
        }
        assert_eq!(got, expected);
    }

    #[test]
    fn the_placement_records_the_ratings_and_the_potential_score_it_used() {
        let rule = NineBoxRule::defaults();
        let skp = history(&[SangatBaik, Baik, Kurang]);
        let scores = ability(64.0);
        let p = rule.place(NineBoxInputs {
            skp: &skp,
            jpm: Some(96.3),
            scores: &scores,
        });
        // Only the latest two years count: Sangat Baik (2024), Baik (2023) → meets.
        let perf = p.performance.clone().unwrap();
        assert_eq!(perf.ratings.len(), 2);
        assert_eq!(perf.level, PerformanceLevel::Meets);
        // P = (50 × 96.3 + 50 × 64) ÷ 100 = 80.15 → high; box 7.
        let pot = p.potential.clone().unwrap();
        assert_eq!(pot.cognitive_mean, 64.0);
        assert_eq!(pot.score, 80.15);
        assert_eq!(pot.level, PotentialLevel::High);
        assert_eq!(placed(&p), (7, true));
        assert_eq!(p.rule_version, 1);
    }

    #[test]
    fn one_year_counts_alone_and_the_latest_rule_ignores_the_earlier_year() {
        let rule = NineBoxRule::defaults();
        let one = rule.performance_of(&history(&[SangatBaik])).unwrap();
        assert_eq!(one.level, PerformanceLevel::Above);
        let lower = rule
            .performance_of(&history(&[SangatBaik, ButuhPerbaikan]))
            .unwrap();
        assert_eq!(lower.level, PerformanceLevel::Below);
        let latest_rule = NineBoxRule {
            performance: PerformanceRule {
                two_years: TwoYearRule::Latest,
                ..rule.performance.clone()
            },
            ..rule
        };
        let latest = latest_rule
            .performance_of(&history(&[SangatBaik, ButuhPerbaikan]))
            .unwrap();
        assert_eq!(latest.level, PerformanceLevel::Above);
    }

    #[test]
    fn potential_edges_60_and_80_belong_to_the_upper_row_and_a_jpm_above_100_counts_as_100() {
        let rule = NineBoxRule::defaults();
        let row = |jpm: f64, pr: f64| rule.potential_of(Some(jpm), &ability(pr)).unwrap();
        assert_eq!(row(80.0, 40.0).level, PotentialLevel::Medium); // 60
        assert_eq!(row(79.98, 40.0).level, PotentialLevel::Low); // 59.99
        assert_eq!(row(100.0, 60.0).level, PotentialLevel::High); // 80
        assert_eq!(row(99.98, 60.0).level, PotentialLevel::Medium); // 79.99
                                                                    // JPM 166.67 counts as 100: (100 + 20) ÷ 2 = 60 → medium, not (166.67 + 20) ÷ 2 → high.
        let capped = row(166.67, 20.0);
        assert_eq!((capped.jpm_counted, capped.score), (100.0, 60.0));
        assert_eq!(capped.level, PotentialLevel::Medium);
    }

    #[test]
    fn each_missing_input_is_a_named_reason_for_not_placing() {
        let rule = NineBoxRule::defaults();
        let none = history(&[]);
        let scores = ability(50.0);
        let no_skp = rule.place(NineBoxInputs {
            skp: &none,
            jpm: Some(90.0),
            scores: &scores,
        });
        assert_eq!(reasons(&no_skp), [NotPlacedReason::NoPerformanceRating]);
        assert!(no_skp.potential.is_some());

        let skp = history(&[Baik]);
        let no_jpm = rule.place(NineBoxInputs {
            skp: &skp,
            jpm: None,
            scores: &scores,
        });
        assert_eq!(reasons(&no_jpm), [NotPlacedReason::NoJpm]);

        let mut partial = ability(50.0);
        partial.scales.remove(1);
        let no_verbal = rule.place(NineBoxInputs {
            skp: &skp,
            jpm: Some(90.0),
            scores: &partial,
        });
        assert_eq!(
            reasons(&no_verbal),
            [NotPlacedReason::NoCognitiveScore {
                instrument: "VERBAL-ID".into(),
                scale: "VERBAL".into()
            }]
        );

        let nothing = rule.place(NineBoxInputs {
            skp: &none,
            jpm: None,
            scores: &ParticipantScores::default(),
        });
        assert_eq!(reasons(&nothing).len(), 5);
        assert_eq!(
            serde_json::to_value(&reasons(&nothing)[0]).unwrap(),
            serde_json::json!({"reason": "no_performance_rating"})
        );
    }

    #[test]
    fn validation_refuses_a_broken_grid_weights_off_100_and_missing_rows() {
        let mut rule = NineBoxRule::defaults();
        rule.boxes.low = [1, 3, 3];
        rule.boxes.medium[0] = 10;
        rule.talent_pool = vec![7, 7, 0];
        let PotentialRule::WeightedScore {
            jpm_weight, cuts, ..
        } = &mut rule.potential;
        *jpm_weight = 40.0;
        cuts.pop();
        cuts[1].to = None;
        let fields: Vec<String> = rule.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "potential",
                "potential.cuts",
                "boxes.medium[0]",
                "boxes.low[2]",
                "talent_pool[1]",
                "talent_pool[2]",
            ]
        );
    }
}

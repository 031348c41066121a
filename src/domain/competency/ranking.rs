//! Rankings (issue 12, item 7; DOMAIN.md "What HR plans with": rankings per job family and level).
//!
//! The rule, in words: participants with a complete JPM are ordered by
//! 1. JPM % (rounded, as shown), higher first;
//! 2. then the sum of their achieved levels on the managerial and socio-cultural competencies,
//!    higher first (the competencies every ASN job shares);
//! 3. then the cognitive score, higher first, a missing score after any score;
//! 4. then participant number (NIP) ascending, which only fixes the listing order.
//!
//! Ranks are competition ranks ("1224"): participants equal on 1–3 share a rank and the next rank
//! skips as many places (1, 2, 2, 4); the NIP never separates two ranks. A participant with an
//! incomplete JPM has no place in a ranking. Ranks are computed over the participants passed in:
//! to rank within a job family and level, pass that group; to keep overall ranks while showing a
//! subset, rank first and then keep the rows a filter matches.
use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::jpm::{JpmCategory, JpmResult};
use super::nine_box::{NineBoxOutcome, NineBoxPlacement};
use super::CompetencyGroup;

/// What a ranking and its filters read of one participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankingCandidate {
    /// NIP (18 digits), or another stable number for an applicant without one; ties of the
    /// listing order are broken by it, ascending.
    pub participant: String,
    /// The complete JPM %, rounded.
    pub jpm: f64,
    /// Σ achieved levels on the managerial and socio-cultural competencies of the standard.
    pub managerial_level_sum: u32,
    /// The cognitive score (e.g. the 9-box's cognitive mean), when there is one.
    pub cognitive: Option<f64>,
    /// The JPM category under the campaign's scheme.
    pub category: Option<String>,
    /// The 9-box number, when placed.
    pub nine_box: Option<u8>,
    /// Gap (achieved − required) per competency of the standard that has a level.
    pub gaps: BTreeMap<String, i8>,
}

impl RankingCandidate {
    /// The candidate of one participant's results; `None` when the JPM is incomplete.
    pub fn from_results(
        participant: &str,
        jpm: &JpmResult,
        category: Option<&JpmCategory>,
        placement: Option<&NineBoxPlacement>,
        cognitive: Option<f64>,
    ) -> Option<Self> {
        let percent = jpm.percent()?;
        let managerial_level_sum = jpm
            .competencies
            .iter()
            .filter(|c| c.group == CompetencyGroup::ManagerialSocioCultural)
            .filter_map(|c| c.achieved)
            .map(|l| u32::from(l.get()))
            .sum();
        let nine_box = placement.and_then(|p| match p.outcome {
            NineBoxOutcome::Placed { box_number, .. } => Some(box_number),
            NineBoxOutcome::NotPlaced { .. } => None,
        });
        Some(Self {
            participant: participant.to_owned(),
            jpm: percent,
            managerial_level_sum,
            cognitive,
            category: category.map(|c| c.category.clone()),
            nine_box,
            gaps: jpm
                .competencies
                .iter()
                .filter_map(|c| c.gap.map(|g| (c.competency.clone(), g)))
                .collect(),
        })
    }
}

/// One row of a ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedRow {
    /// Competition rank, from 1.
    pub rank: u32,
    /// The participant.
    pub candidate: RankingCandidate,
}

/// Orders two candidates by the ranking keys 1–3 (better first); `Equal` means they share a rank.
fn by_merit(a: &RankingCandidate, b: &RankingCandidate) -> Ordering {
    b.jpm
        .total_cmp(&a.jpm)
        .then(b.managerial_level_sum.cmp(&a.managerial_level_sum))
        .then(match (a.cognitive, b.cognitive) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
}

/// Ranks `candidates` (rule in the module documentation).
pub fn rank(mut candidates: Vec<RankingCandidate>) -> Vec<RankedRow> {
    candidates.sort_by(|a, b| by_merit(a, b).then_with(|| a.participant.cmp(&b.participant)));
    let mut rows: Vec<RankedRow> = Vec::with_capacity(candidates.len());
    for (i, candidate) in candidates.into_iter().enumerate() {
        let rank = match rows.last() {
            Some(prev) if by_merit(&prev.candidate, &candidate) == Ordering::Equal => prev.rank,
            _ => i as u32 + 1,
        };
        rows.push(RankedRow { rank, candidate });
    }
    rows
}

/// A condition on a candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "filter", rename_all = "snake_case", deny_unknown_fields)]
pub enum RankingFilter {
    /// The JPM category is this one.
    Category {
        /// Category name, e.g. `Optimal`.
        category: String,
    },
    /// The participant is in this box of the 9-box.
    NineBox {
        /// Box number, 1–9.
        #[serde(rename = "box")]
        number: u8,
    },
    /// The participant is at least `by_at_least` levels below standard on `competency`.
    BelowStandard {
        /// Competency code.
        competency: String,
        /// Fewest levels below (1 = any shortfall).
        by_at_least: u8,
    },
}

impl RankingFilter {
    /// Whether `c` meets the condition.
    pub fn matches(&self, c: &RankingCandidate) -> bool {
        match self {
            RankingFilter::Category { category } => c.category.as_deref() == Some(category),
            RankingFilter::NineBox { number } => c.nine_box == Some(*number),
            RankingFilter::BelowStandard {
                competency,
                by_at_least,
            } => c
                .gaps
                .get(competency)
                .is_some_and(|&g| g < 0 && g.unsigned_abs() >= (*by_at_least).max(1)),
        }
    }
}

/// Whether `c` meets every filter (no filter: everyone).
pub fn matches_all(filters: &[RankingFilter], c: &RankingCandidate) -> bool {
    filters.iter().all(|f| f.matches(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competency::jpm::{CategoryScheme, JpmRule};
    use crate::domain::competency::{Level, MANAGERIAL_SOCIO_CULTURAL};

    fn candidate(
        participant: &str,
        jpm: f64,
        managerial: u32,
        cognitive: Option<f64>,
    ) -> RankingCandidate {
        RankingCandidate {
            participant: participant.into(),
            jpm,
            managerial_level_sum: managerial,
            cognitive,
            category: None,
            nine_box: None,
            gaps: BTreeMap::new(),
        }
    }

    fn ranks(rows: &[RankedRow]) -> Vec<(u32, &str)> {
        rows.iter()
            .map(|r| (r.rank, r.candidate.participant.as_str()))
            .collect()
    }

    #[test]
    fn equal_jpms_share_a_rank_and_the_next_rank_skips() {
        let rows = rank(vec![
            candidate("198501012010011004", 85.0, 27, None),
            candidate("198501012010011003", 90.0, 27, None),
            candidate("198501012010011002", 90.0, 27, None),
            candidate("198501012010011001", 95.0, 27, None),
        ]);
        assert_eq!(
            ranks(&rows),
            [
                (1, "198501012010011001"),
                (2, "198501012010011002"),
                (2, "198501012010011003"),
                (4, "198501012010011004"),
            ]
        );
    }

    #[test]
    fn ties_break_on_managerial_levels_then_cognitive_score_and_a_missing_score_is_last() {
        let rows = rank(vec![
            candidate("A-4", 90.0, 27, None),
            candidate("A-3", 90.0, 27, Some(55.0)),
            candidate("A-2", 90.0, 27, Some(60.0)),
            candidate("A-1", 90.0, 26, Some(99.0)),
            candidate("A-0", 90.0, 28, None),
        ]);
        assert_eq!(
            ranks(&rows),
            [(1, "A-0"), (2, "A-2"), (3, "A-3"), (4, "A-4"), (5, "A-1")]
        );
    }

    #[test]
    fn a_candidate_is_built_from_results_and_an_incomplete_jpm_gives_none() {
        let standard = MANAGERIAL_SOCIO_CULTURAL
            .iter()
            .map(|c| ((*c).to_owned(), Level::new(3).unwrap()))
            .chain([("TEK-1".to_owned(), Level::new(3).unwrap())])
            .collect();
        let mut achieved: BTreeMap<String, Level> = MANAGERIAL_SOCIO_CULTURAL
            .iter()
            .map(|c| ((*c).to_owned(), Level::new(3).unwrap()))
            .collect();
        achieved.insert("INT".into(), Level::new(1).unwrap());
        achieved.insert("TEK-1".into(), Level::new(5).unwrap());
        let rule = JpmRule::defaults();
        let jpm = rule
            .job_person_match(&standard, &achieved, "Pengawas")
            .unwrap();
        // Σ 1 + 8·3 + 5 = 30 of 30 → 100; managerial levels 1 + 8·3 = 25 (TEK-1 not counted).
        let category = CategoryScheme::mapping().categorise(match &jpm.jpm {
            crate::domain::competency::jpm::Jpm::Complete(s) => s,
            _ => unreachable!(),
        });
        let c =
            RankingCandidate::from_results("X", &jpm, category.as_ref(), None, Some(70.0)).unwrap();
        assert_eq!(c.jpm, 100.0);
        assert_eq!(c.managerial_level_sum, 25);
        assert_eq!(c.category.as_deref(), Some("Optimal"));
        assert_eq!(c.gaps["INT"], -2);
        assert!(RankingFilter::BelowStandard {
            competency: "INT".into(),
            by_at_least: 2
        }
        .matches(&c));
        assert!(!RankingFilter::BelowStandard {
            competency: "INT".into(),
            by_at_least: 3
        }
        .matches(&c));
        assert!(!RankingFilter::BelowStandard {
            competency: "TEK-1".into(),
            by_at_least: 1
        }
        .matches(&c));

        achieved.remove("KS");
        let incomplete = rule
            .job_person_match(&standard, &achieved, "Pengawas")
            .unwrap();
        assert_eq!(
            RankingCandidate::from_results("X", &incomplete, None, None, None),
            None
        );
    }

    #[test]
    fn filters_keep_the_overall_ranks_of_the_rows_they_match() {
        let mut a = candidate("A", 95.0, 27, None);
        a.category = Some("Optimal".into());
        a.nine_box = Some(9);
        let mut b = candidate("B", 80.0, 27, None);
        b.category = Some("Cukup Optimal".into());
        b.nine_box = Some(5);
        b.gaps.insert("KOM".into(), -1);
        let mut c = candidate("C", 70.0, 27, None);
        c.category = Some("Kurang Optimal".into());
        c.gaps.insert("KOM".into(), -2);
        let rows = rank(vec![c, b, a]);
        let keep = |filters: &[RankingFilter]| -> Vec<(u32, String)> {
            rows.iter()
                .filter(|r| matches_all(filters, &r.candidate))
                .map(|r| (r.rank, r.candidate.participant.clone()))
                .collect()
        };
        assert_eq!(
            keep(&[RankingFilter::BelowStandard {
                competency: "KOM".into(),
                by_at_least: 1
            }]),
            [(2, "B".to_owned()), (3, "C".to_owned())]
        );
        assert_eq!(
            keep(&[RankingFilter::NineBox { number: 9 }]),
            [(1, "A".to_owned())]
        );
        assert_eq!(
            keep(&[
                RankingFilter::Category {
                    category: "Cukup Optimal".into()
                },
                RankingFilter::BelowStandard {
                    competency: "KOM".into(),
                    by_at_least: 2
                },
            ]),
            []
        );
        assert_eq!(keep(&[]).len(), 3);
        let json: RankingFilter =
            serde_json::from_str(r#"{"filter": "nine_box", "box": 7}"#).unwrap();
        assert_eq!(json, RankingFilter::NineBox { number: 7 });
    }
}

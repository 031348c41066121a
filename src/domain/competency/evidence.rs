//! Evidence → level (issue 12, item 3): a campaign's **competency mapping** says, for each
//! competency, which scores measure it and how a combined score becomes a proficiency level 1–5
//! (PermenPANRB 38/2017 levels).
//!
//! The rule, in words:
//! 1. Each source is one score of one scale of one instrument (raw, percentile or T) with a
//!    weight. All sources of one competency use the same kind of score: a weighted mean is only
//!    meaningful on one scale.
//!    Assessor evidence is a second kind of source, on the level scale 1–5: `assessor_rating` (the
//!    mean of the submitted ratings of the competency in one exercise) and `assessor_panel` (the
//!    level the panel integrated from all ratings).
//! 2. A source the participant has no score for is **missing evidence**, never a zero. The
//!    competency's `require` rule says how many sources must be present: `all` (the default), or
//!    `at_least` *n*. With too few, the competency gets no level.
//! 3. The combined score is the weighted mean of the present sources,
//!    C = Σ wᵢxᵢ ÷ Σ wᵢ (i over present sources), rounded to the mapping's `decimals` (half away
//!    from zero) before it is read against the cut table, so the level agrees with the number
//!    shown.
//! 4. The cut table lists rising, touching bands [from, to) on the score's scale, each with a
//!    level; levels rise by one from band to band. A combined score in no band (below a bounded
//!    first band or at/above a bounded last one) gets no level.
//!
//! 5. A competency with both test and assessor sources is combined **at the level scale**: the
//!    test sources give a test level through steps 3–4; the assessor sources give their weighted
//!    mean A; the combined value is (W_t·L_test + W_a·A) ÷ (W_t + W_a), W_t and W_a being the
//!    summed weights of the present test and assessor sources, rounded to `decimals`; the level is
//!    that value rounded half up (3.5 → 4). A competency measured only by assessors takes the
//!    level of A the same way and needs no cut table.
//!
//! The result records every source's score, the combined score, the cut band that applied and the
//! mapping's version, so HR can see why a participant is at level 3. An override (a level set by a
//! person, with a reason) is kept beside the computed result, never in its place.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::bands::{band_of, band_problems, Cover};
use super::scores::{scale_ref_problems, ParticipantScores, ScaleRef, ScoreKind};
use super::{
    decimals_problem, is_competency_code, round_to, version_problem, weight_problem, weighted_mean,
    Level, RuleDocument, COMPETENCY_CODE_FORM, MANAGERIAL_SOCIO_CULTURAL,
};
use crate::domain::ids::AccountId;
use crate::domain::{FieldError, UniqueIds};

/// One piece of evidence for a competency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EvidenceSource {
    /// One score of one scale of an instrument.
    Scale {
        /// Instrument code.
        instrument: String,
        /// Scale code.
        scale: String,
        /// Which score: raw, percentile or T.
        score: ScoreKind,
        /// Weight in the weighted mean; above 0.
        weight: f64,
    },
    /// The assessors' ratings of the competency in one exercise (interview, group discussion …):
    /// the mean of the submitted ratings, on the level scale 1–5.
    AssessorRating {
        /// The exercise rated, e.g. `interview`.
        exercise: String,
        /// Weight in the weighted mean; above 0.
        weight: f64,
    },
    /// The level the assessor panel integrated for the competency from every exercise's ratings
    /// (1–5).
    AssessorPanel {
        /// Weight in the weighted mean; above 0.
        weight: f64,
    },
}

impl EvidenceSource {
    /// Its weight.
    pub fn weight(&self) -> f64 {
        match self {
            EvidenceSource::Scale { weight, .. }
            | EvidenceSource::AssessorRating { weight, .. }
            | EvidenceSource::AssessorPanel { weight } => *weight,
        }
    }

    /// Whether it is assessor evidence (on the level scale) rather than a test score.
    pub fn is_assessor(&self) -> bool {
        !matches!(self, EvidenceSource::Scale { .. })
    }

    /// The participant's score for this source of competency `code`, if present and finite.
    fn score_in(&self, code: &str, scores: &ParticipantScores) -> Option<f64> {
        match self {
            EvidenceSource::Scale {
                instrument,
                scale,
                score,
                ..
            } => scores.get(&ScaleRef::new(instrument, scale, *score)),
            EvidenceSource::AssessorRating { exercise, .. } => {
                scores.assessor.exercise_mean(exercise, code)
            }
            EvidenceSource::AssessorPanel { .. } => scores.assessor.panel_level(code),
        }
    }

    /// What kind of number it gives, for the one-scale check.
    fn scale_name(&self) -> &'static str {
        match self {
            EvidenceSource::Scale { score, .. } => match score {
                ScoreKind::Raw => "raw",
                ScoreKind::Percentile => "percentile",
                ScoreKind::T => "t",
            },
            EvidenceSource::AssessorRating { .. } | EvidenceSource::AssessorPanel { .. } => "level",
        }
    }
}

/// How many of a competency's sources must be present for it to get a level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum Require {
    /// Every source; one missing source leaves the competency without a level.
    #[default]
    All,
    /// At least `min` sources (1 ≤ min ≤ the number of sources); the mean is over those present.
    AtLeast {
        /// Fewest present sources.
        min: u32,
    },
}

/// One band of a cut table: combined scores in [`from`, `to`) give `level`. Kept as a plain number
/// so that a level outside 1–5 is reported by validation with its path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelCut {
    /// The level, 1–5.
    pub level: u8,
    /// Lowest combined score of the band (inclusive); only the first band may leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
    /// Where the next band starts (exclusive); only the last band may leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<f64>,
}

/// The evidence and cut table of one competency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetencyEvidence {
    /// Competency code, e.g. `INT`.
    pub code: String,
    /// The sources, at least one.
    pub sources: Vec<EvidenceSource>,
    /// How many sources must be present.
    #[serde(default)]
    pub require: Require,
    /// Combined test score → level; may be left empty when only assessors evidence the
    /// competency (they rate in levels already).
    #[serde(default)]
    pub cuts: Vec<LevelCut>,
}

/// A campaign's competency mapping: the evidence → level rule of every competency it measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceMapping {
    /// Version of this document, from 1; every level computed with it records it.
    pub version: u32,
    /// Decimals the combined score is rounded to before the cut table reads it.
    pub decimals: u8,
    /// One entry per competency.
    pub competencies: Vec<CompetencyEvidence>,
}

impl EvidenceMapping {
    /// The seeded mapping (*unverified*, illustrative): each of the nine managerial and
    /// socio-cultural competencies from the T score of its scale in the demo situational judgement
    /// test `SJT-ASN`, cut at T 35, 45, 55, 65 (−1.5, −0.5, +0.5, +1.5 sd): level 1 below 35,
    /// level 3 for 45 ≤ T < 55, level 5 from 65.
    pub fn defaults() -> Self {
        let scales = [
            "INTEGRITAS",
            "KERJASAMA",
            "KOMUNIKASI",
            "ORIENTASI_HASIL",
            "PELAYANAN_PUBLIK",
            "PENGEMBANGAN_DIRI",
            "MENGELOLA_PERUBAHAN",
            "PENGAMBILAN_KEPUTUSAN",
            "PEREKAT_BANGSA",
        ];
        let cut = |level, from, to| LevelCut { level, from, to };
        Self {
            version: 1,
            decimals: 2,
            competencies: MANAGERIAL_SOCIO_CULTURAL
                .iter()
                .zip(scales)
                .map(|(code, scale)| CompetencyEvidence {
                    code: (*code).to_owned(),
                    sources: vec![EvidenceSource::Scale {
                        instrument: "SJT-ASN".into(),
                        scale: scale.into(),
                        score: ScoreKind::T,
                        weight: 1.0,
                    }],
                    require: Require::All,
                    cuts: vec![
                        cut(1, None, Some(35.0)),
                        cut(2, Some(35.0), Some(45.0)),
                        cut(3, Some(45.0), Some(55.0)),
                        cut(4, Some(55.0), Some(65.0)),
                        cut(5, Some(65.0), None),
                    ],
                })
                .collect(),
        }
    }

    /// The level of competency `code` from `scores`, with its inputs; `None` if the mapping does
    /// not measure `code`.
    pub fn level_of(&self, code: &str, scores: &ParticipantScores) -> Option<LevelFromEvidence> {
        self.competencies
            .iter()
            .find(|c| c.code == code)
            .map(|c| self.convert(c, scores))
    }

    /// The level of every competency of the mapping, in the mapping's order.
    pub fn levels(&self, scores: &ParticipantScores) -> Vec<LevelFromEvidence> {
        self.competencies
            .iter()
            .map(|c| self.convert(c, scores))
            .collect()
    }

    fn convert(&self, c: &CompetencyEvidence, scores: &ParticipantScores) -> LevelFromEvidence {
        let sources: Vec<SourceScore> = c
            .sources
            .iter()
            .map(|s| SourceScore {
                source: s.clone(),
                score: s.score_in(&c.code, scores),
            })
            .collect();
        let present = sources.iter().filter(|s| s.score.is_some()).count() as u32;
        let required = match c.require {
            Require::All => c.sources.len() as u32,
            Require::AtLeast { min } => min,
        };
        let outcome = if present < required || present == 0 {
            EvidenceOutcome::MissingEvidence { present, required }
        } else if c.sources.iter().any(EvidenceSource::is_assessor) {
            self.combine_with_assessors(c, &sources)
        } else {
            self.test_outcome(c, &sources, present, required)
        };
        LevelFromEvidence {
            competency: c.code.clone(),
            mapping_version: self.version,
            sources,
            outcome,
        }
    }

    /// Steps 3–4: the present test sources' weighted mean read against the cut table.
    fn test_outcome(
        &self,
        c: &CompetencyEvidence,
        sources: &[SourceScore],
        present: u32,
        required: u32,
    ) -> EvidenceOutcome {
        let mean = weighted_mean(
            sources
                .iter()
                .filter(|s| !s.source.is_assessor())
                .filter_map(|s| s.score.map(|x| (x, s.source.weight()))),
        );
        match mean.map(|m| round_to(m, self.decimals)) {
            None => EvidenceOutcome::MissingEvidence { present, required },
            Some(combined) => {
                let spans: Vec<_> = c.cuts.iter().map(|b| (b.from, b.to)).collect();
                let cut = band_of(&spans, combined).map(|i| &c.cuts[i]);
                match cut.and_then(|cut| Level::new(cut.level).ok().map(|l| (cut, l))) {
                    Some((cut, level)) => EvidenceOutcome::Assigned {
                        combined,
                        cut: cut.clone(),
                        level,
                    },
                    None => EvidenceOutcome::OutsideCuts { combined },
                }
            }
        }
    }

    /// Step 5: test level and assessor mean combined on the level scale.
    fn combine_with_assessors(
        &self,
        c: &CompetencyEvidence,
        sources: &[SourceScore],
    ) -> EvidenceOutcome {
        let present_weight = |assessor: bool| -> f64 {
            sources
                .iter()
                .filter(|s| s.source.is_assessor() == assessor && s.score.is_some())
                .map(|s| s.source.weight())
                .sum()
        };
        let (w_test, w_assessor) = (present_weight(false), present_weight(true));
        let test = if w_test > 0.0 {
            match self.test_outcome(c, sources, 1, 1) {
                EvidenceOutcome::Assigned {
                    combined,
                    cut,
                    level,
                } => Some(TestPart {
                    combined,
                    cut,
                    level,
                }),
                EvidenceOutcome::OutsideCuts { combined } => {
                    return EvidenceOutcome::OutsideCuts { combined }
                }
                EvidenceOutcome::MissingEvidence { .. } | EvidenceOutcome::Combined { .. } => None,
            }
        } else {
            None
        };
        let assessor = weighted_mean(
            sources
                .iter()
                .filter(|s| s.source.is_assessor())
                .filter_map(|s| s.score.map(|x| (x, s.source.weight()))),
        )
        .map(|a| round_to(a, self.decimals));
        let parts = [
            test.as_ref().map(|t| (f64::from(t.level.get()), w_test)),
            assessor.map(|a| (a, w_assessor)),
        ];
        let combined =
            weighted_mean(parts.into_iter().flatten()).map(|v| round_to(v, self.decimals));
        match combined {
            None => EvidenceOutcome::OutsideCuts { combined: f64::NAN },
            Some(combined) => EvidenceOutcome::Combined {
                test,
                assessor,
                combined,
                level: Level::nearest(combined),
            },
        }
    }
}

impl RuleDocument for EvidenceMapping {
    fn version(&self) -> u32 {
        self.version
    }

    fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        version_problem(self.version, &mut errs);
        decimals_problem("decimals", self.decimals, &mut errs);
        if self.competencies.is_empty() {
            errs.push(FieldError::top(
                "competencies",
                "needs at least one competency",
            ));
        }
        let mut codes = UniqueIds::new("competency code", COMPETENCY_CODE_FORM, is_competency_code);
        for (i, c) in self.competencies.iter().enumerate() {
            let at = format!("competencies[{i}]");
            if let Some(problem) = codes.check(&c.code) {
                errs.push(FieldError::top(format!("{at}.code"), problem));
            }
            source_problems(&at, c, &mut errs);
            // Only test scores are read against a cut table; assessors already rate in levels.
            if !(c.cuts.is_empty() && c.sources.iter().all(EvidenceSource::is_assessor)) {
                cut_problems(&at, &c.cuts, &mut errs);
            }
        }
        errs
    }
}

fn source_problems(at: &str, c: &CompetencyEvidence, errs: &mut Vec<FieldError>) {
    if c.sources.is_empty() {
        errs.push(FieldError::top(
            format!("{at}.sources"),
            "needs at least one source",
        ));
    }
    for (j, s) in c.sources.iter().enumerate() {
        let path = format!("{at}.sources[{j}]");
        weight_problem(format!("{path}.weight"), s.weight(), errs);
        match s {
            EvidenceSource::Scale {
                instrument, scale, ..
            } => scale_ref_problems(&path, instrument, scale, errs),
            EvidenceSource::AssessorRating { exercise, .. } => {
                let ok = crate::domain::is_code(exercise, 40, |b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
                });
                if !ok {
                    errs.push(FieldError::top(
                        format!("{path}.exercise"),
                        format!("'{exercise}' is not an exercise code (1–40 of a–z 0–9 _ -)"),
                    ));
                }
            }
            EvidenceSource::AssessorPanel { .. } => {}
        }
        if c.sources[..j].iter().any(|earlier| same_source(earlier, s)) {
            errs.push(FieldError::top(
                path.clone(),
                "the same source is listed twice",
            ));
        }
        // Test sources share one kind of score; assessor sources are all on the level scale and
        // are combined with the test level (rule step 5).
        let first_test = c.sources.iter().find(|f| !f.is_assessor());
        if let Some(first) = first_test.filter(|_| !s.is_assessor()) {
            if first.scale_name() != s.scale_name() {
                errs.push(FieldError::top(
                    path,
                    format!(
                        "all test sources of one competency must give the same kind of score \
                         (the first gives {}, this one {}): a weighted mean mixes only one scale",
                        first.scale_name(),
                        s.scale_name()
                    ),
                ));
            }
        }
    }
    if let Require::AtLeast { min } = c.require {
        if min == 0 || min as usize > c.sources.len() {
            errs.push(FieldError::top(
                format!("{at}.require.min"),
                format!(
                    "must be from 1 to the number of sources ({})",
                    c.sources.len()
                ),
            ));
        }
    }
}

fn same_source(a: &EvidenceSource, b: &EvidenceSource) -> bool {
    match (a, b) {
        (
            EvidenceSource::Scale {
                instrument: i1,
                scale: s1,
                score: k1,
                ..
            },
            EvidenceSource::Scale {
                instrument: i2,
                scale: s2,
                score: k2,
                ..
            },
        ) => i1 == i2 && s1 == s2 && k1 == k2,
        (
            EvidenceSource::AssessorRating { exercise: e1, .. },
            EvidenceSource::AssessorRating { exercise: e2, .. },
        ) => e1 == e2,
        (EvidenceSource::AssessorPanel { .. }, EvidenceSource::AssessorPanel { .. }) => true,
        _ => false,
    }
}

fn cut_problems(at: &str, cuts: &[LevelCut], errs: &mut Vec<FieldError>) {
    let path = format!("{at}.cuts");
    let spans: Vec<_> = cuts.iter().map(|c| (c.from, c.to)).collect();
    band_problems(&path, &spans, Cover::Free, errs);
    for (k, cut) in cuts.iter().enumerate() {
        if Level::new(cut.level).is_err() {
            errs.push(FieldError::top(
                format!("{path}[{k}].level"),
                "must be a level from 1 to 5",
            ));
        } else if k > 0 && cut.level != cuts[k - 1].level.saturating_add(1) {
            errs.push(FieldError::top(
                format!("{path}[{k}].level"),
                format!(
                    "levels rise by one from band to band: expected {} after {}",
                    cuts[k - 1].level.saturating_add(1),
                    cuts[k - 1].level
                ),
            ));
        }
    }
}

/// One source and the participant's score for it (`None`: missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceScore {
    /// The source as the mapping states it.
    pub source: EvidenceSource,
    /// The score read, or `None` when the participant has none.
    pub score: Option<f64>,
}

/// What the evidence gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum EvidenceOutcome {
    /// A level: the combined score fell in `cut`.
    Assigned {
        /// C = Σ wᵢxᵢ ÷ Σ wᵢ over present sources, rounded to the mapping's decimals.
        combined: f64,
        /// The band that applied.
        cut: LevelCut,
        /// Its level.
        level: Level,
    },
    /// Too few sources present for the mapping's `require` rule.
    MissingEvidence {
        /// Sources with a score.
        present: u32,
        /// Sources needed.
        required: u32,
    },
    /// The combined score falls in no band of the cut table.
    OutsideCuts {
        /// The combined score.
        combined: f64,
    },
    /// A level from test and assessor evidence combined on the level scale (rule step 5).
    Combined {
        /// The test sources' part, when any was present.
        test: Option<TestPart>,
        /// The assessor sources' weighted mean (1–5), when any was present.
        assessor: Option<f64>,
        /// (W_t·L_test + W_a·A) ÷ (W_t + W_a), rounded to the mapping's decimals.
        combined: f64,
        /// The combined value rounded half up.
        level: Level,
    },
}

/// The test sources' part of a combined level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestPart {
    /// The test sources' weighted mean, rounded.
    pub combined: f64,
    /// The band of the cut table it fell in.
    pub cut: LevelCut,
    /// Its level.
    pub level: Level,
}

/// The level of one competency as computed from evidence, with everything it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelFromEvidence {
    /// Competency code.
    pub competency: String,
    /// The version of the mapping used.
    pub mapping_version: u32,
    /// Each source and its score, in the mapping's order.
    pub sources: Vec<SourceScore>,
    /// The outcome.
    pub outcome: EvidenceOutcome,
}

impl LevelFromEvidence {
    /// The level, when one was assigned.
    pub fn level(&self) -> Option<Level> {
        match self.outcome {
            EvidenceOutcome::Assigned { level, .. } | EvidenceOutcome::Combined { level, .. } => {
                Some(level)
            }
            _ => None,
        }
    }
}

/// Longest reason of an override, in characters after trimming.
pub const MAX_OVERRIDE_REASON_CHARS: usize = 1000;

/// A level set by a person, with a reason (e.g. an assessor panel's decision). It stands beside
/// the computed level and never erases it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "LevelOverrideFields")]
pub struct LevelOverride {
    level: Level,
    reason: String,
    by: AccountId,
    at: DateTime<Utc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelOverrideFields {
    level: Level,
    reason: String,
    by: AccountId,
    at: DateTime<Utc>,
}

impl TryFrom<LevelOverrideFields> for LevelOverride {
    type Error = String;
    fn try_from(f: LevelOverrideFields) -> Result<Self, String> {
        Self::new(f.level, &f.reason, f.by, f.at)
    }
}

impl LevelOverride {
    /// An override to `level` by account `by` at `at` (the caller's clock), with a reason of 1 to
    /// [`MAX_OVERRIDE_REASON_CHARS`] characters.
    pub fn new(
        level: Level,
        reason: &str,
        by: AccountId,
        at: DateTime<Utc>,
    ) -> Result<Self, String> {
        let reason = reason.trim();
        let n = reason.chars().count();
        if n == 0 || n > MAX_OVERRIDE_REASON_CHARS {
            return Err(format!(
                "an override needs a reason of 1 to {MAX_OVERRIDE_REASON_CHARS} characters"
            ));
        }
        Ok(Self {
            level,
            reason: reason.to_owned(),
            by,
            at,
        })
    }

    /// The level set.
    pub fn level(&self) -> Level {
        self.level
    }

    /// Why.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Who set it.
    pub fn by(&self) -> AccountId {
        self.by
    }

    /// When.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }
}

/// A participant's level of one competency: the computed one, and an override if a person set one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompetencyLevel {
    /// The level computed from evidence, with its inputs.
    pub computed: LevelFromEvidence,
    /// The level a person set instead, if any.
    #[serde(rename = "override", default, skip_serializing_if = "Option::is_none")]
    pub overridden: Option<LevelOverride>,
}

impl CompetencyLevel {
    /// The level that counts: the override's when there is one, else the computed level.
    pub fn effective(&self) -> Option<Level> {
        self.overridden
            .as_ref()
            .map(LevelOverride::level)
            .or_else(|| self.computed.level())
    }
}

/// The achieved level of every competency that has one (override first), keyed by code: the
/// input of the JPM. Competencies without a level are absent, so a JPM over them is incomplete.
pub fn achieved_levels(levels: &[CompetencyLevel]) -> BTreeMap<String, Level> {
    levels
        .iter()
        .filter_map(|l| l.effective().map(|lv| (l.computed.competency.clone(), lv)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competency::parse_rule;
    use crate::domain::competency::scores::ScaleScore;
    use crate::domain::competency::test_support::assert_seed_is;
    use crate::domain::competency::RuleError;

    fn scale(instrument: &str, scale: &str, score: ScoreKind, weight: f64) -> EvidenceSource {
        EvidenceSource::Scale {
            instrument: instrument.into(),
            scale: scale.into(),
            score,
            weight,
        }
    }

    fn t_scores(pairs: &[(&str, &str, f64)]) -> ParticipantScores {
        ParticipantScores {
            scales: pairs
                .iter()
                .map(|(i, s, t)| ScaleScore {
                    instrument: (*i).into(),
                    scale: (*s).into(),
                    raw: None,
                    percentile: None,
                    t: Some(*t),
                })
                .collect(),
            ..Default::default()
        }
    }

    /// A mapping of one competency `KS` from SJT-ASN/KERJASAMA (weight 2) and IPIP-BFM-50/A
    /// (weight 1), both T, under `require`, with the default cuts 35/45/55/65.
    fn two_source_mapping(require: Require) -> EvidenceMapping {
        let mut m = EvidenceMapping::defaults();
        m.competencies.truncate(2);
        m.competencies.remove(0);
        m.competencies[0].sources = vec![
            scale("SJT-ASN", "KERJASAMA", ScoreKind::T, 2.0),
            scale("IPIP-BFM-50", "A", ScoreKind::T, 1.0),
        ];
        m.competencies[0].require = require;
        m
    }

    fn fields(errs: &[FieldError]) -> Vec<&str> {
        errs.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn the_seeded_mapping_is_valid_and_is_the_seed_file() {
        let m = EvidenceMapping::defaults();
        assert_eq!(m.validate(), vec![]);
        assert_seed_is(
            include_str!("../../seed/competency/evidence-mapping.json"),
            &m,
        );
    }

    #[test]
    fn two_sources_combine_as_a_weighted_mean_and_the_record_says_why() {
        // (2·52 + 1·61) ÷ 3 = 165 ÷ 3 = 55 → the band [55, 65) → level 4.
        let m = two_source_mapping(Require::All);
        let scores = t_scores(&[("SJT-ASN", "KERJASAMA", 52.0), ("IPIP-BFM-50", "A", 61.0)]);
        let got = m.level_of("KS", &scores).unwrap();
        assert_eq!(got.mapping_version, 1);
        assert_eq!(got.sources[0].score, Some(52.0));
        assert_eq!(got.sources[1].score, Some(61.0));
        assert_eq!(
            got.outcome,
            EvidenceOutcome::Assigned {
                combined: 55.0,
                cut: LevelCut {
                    level: 4,
                    from: Some(55.0),
                    to: Some(65.0)
                },
                level: Level::new(4).unwrap(),
            }
        );
    }

    #[test]
    fn the_combined_score_is_rounded_before_the_cut_table_reads_it() {
        // (2·50 + 1·44.96) ÷ 3 = 144.96 ÷ 3 = 48.32 → level 3.
        let m = two_source_mapping(Require::All);
        let scores =
            |sjt, ipip| t_scores(&[("SJT-ASN", "KERJASAMA", sjt), ("IPIP-BFM-50", "A", ipip)]);
        let a = m.level_of("KS", &scores(50.0, 44.96)).unwrap();
        assert!(
            matches!(a.outcome, EvidenceOutcome::Assigned { combined, .. } if combined == 48.32)
        );
        // (2·44.994 + 1·45) ÷ 3 = 134.988 ÷ 3 = 44.996 → shown as 45.00, exactly on the cut,
        // so level 3 (unrounded it would have read level 2 beside a "45.00").
        let b = m.level_of("KS", &scores(44.994, 45.0)).unwrap();
        assert!(
            matches!(b.outcome, EvidenceOutcome::Assigned { combined, .. } if combined == 45.0)
        );
        assert_eq!(b.level(), Level::new(3).ok());
        // (2·44.99 + 1·44.99) ÷ 3 = 44.99 → level 2.
        let c = m.level_of("KS", &scores(44.99, 44.99)).unwrap();
        assert_eq!(c.level(), Level::new(2).ok());
    }

    #[test]
    fn a_missing_source_leaves_no_level_when_all_are_required() {
        let m = two_source_mapping(Require::All);
        let got = m
            .level_of("KS", &t_scores(&[("SJT-ASN", "KERJASAMA", 70.0)]))
            .unwrap();
        assert_eq!(got.sources[1].score, None);
        assert_eq!(
            got.outcome,
            EvidenceOutcome::MissingEvidence {
                present: 1,
                required: 2
            }
        );
        assert_eq!(got.level(), None);
    }

    #[test]
    fn with_at_least_one_required_the_mean_is_over_the_sources_present() {
        // Only the IPIP source (weight 1) is present: C = 61 → level 4; the missing SJT source
        // counts as nothing, not as zero (a zero would give (2·0 + 61) ÷ 3 = 20.33 → level 1).
        let m = two_source_mapping(Require::AtLeast { min: 1 });
        let got = m
            .level_of("KS", &t_scores(&[("IPIP-BFM-50", "A", 61.0)]))
            .unwrap();
        assert_eq!(got.level(), Level::new(4).ok());
        let none = m.level_of("KS", &ParticipantScores::default()).unwrap();
        assert_eq!(
            none.outcome,
            EvidenceOutcome::MissingEvidence {
                present: 0,
                required: 1
            }
        );
    }

    fn with_assessors(
        scores: ParticipantScores,
        interview: f64,
        panel: Option<u8>,
    ) -> ParticipantScores {
        let mut scores = scores;
        scores.assessor.exercises.insert(
            "interview".into(),
            BTreeMap::from([("KS".to_owned(), interview)]),
        );
        if let Some(p) = panel {
            scores.assessor.panel.insert("KS".into(), p);
        }
        scores
    }

    #[test]
    fn an_assessor_rating_is_missing_evidence_until_its_exercise_has_submitted_ratings() {
        let mut m = two_source_mapping(Require::All);
        m.competencies[0].sources = vec![EvidenceSource::AssessorRating {
            exercise: "interview".into(),
            weight: 1.0,
        }];
        m.competencies[0].cuts.clear();
        assert_eq!(m.validate(), vec![]);
        let got = m
            .level_of("KS", &t_scores(&[("SJT-ASN", "KERJASAMA", 70.0)]))
            .unwrap();
        assert_eq!(
            got.outcome,
            EvidenceOutcome::MissingEvidence {
                present: 0,
                required: 1
            }
        );
        // Two assessors rated 3 and 4: the mean 3.5 rounds half up to level 4.
        let rated = m
            .level_of(
                "KS",
                &with_assessors(ParticipantScores::default(), 3.5, None),
            )
            .unwrap();
        assert_eq!(rated.level(), Level::new(4).ok());
        assert_eq!(rated.sources[0].score, Some(3.5));
    }

    #[test]
    fn test_and_panel_evidence_combine_on_the_level_scale_by_their_weights() {
        // Tests: SJT T 52 (w 2) and IPIP T 61 (w 1) → C = (104 + 61) ÷ 3 = 55 → level 4.
        // Panel: level 2 with weight 3. Combined = (3·4 + 3·2) ÷ 6 = 3.00 → level 3.
        let mut m = two_source_mapping(Require::All);
        m.competencies[0]
            .sources
            .push(EvidenceSource::AssessorPanel { weight: 3.0 });
        assert_eq!(m.validate(), vec![]);
        let scores = with_assessors(
            t_scores(&[("SJT-ASN", "KERJASAMA", 52.0), ("IPIP-BFM-50", "A", 61.0)]),
            2.0,
            Some(2),
        );
        let got = m.level_of("KS", &scores).unwrap();
        match &got.outcome {
            EvidenceOutcome::Combined {
                test,
                assessor,
                combined,
                level,
            } => {
                let test = test.as_ref().unwrap();
                assert_eq!(test.combined, 55.0);
                assert_eq!(test.level.get(), 4);
                assert_eq!(*assessor, Some(2.0));
                assert_eq!(*combined, 3.0);
                assert_eq!(level.get(), 3);
            }
            other => panic!("expected a combined level, got {other:?}"),
        }
        // Without the panel's level the sources are incomplete under `all`.
        let without = m
            .level_of(
                "KS",
                &t_scores(&[("SJT-ASN", "KERJASAMA", 52.0), ("IPIP-BFM-50", "A", 61.0)]),
            )
            .unwrap();
        assert_eq!(
            without.outcome,
            EvidenceOutcome::MissingEvidence {
                present: 2,
                required: 3
            }
        );
    }

    #[test]
    fn a_test_source_may_not_mix_score_kinds_but_may_sit_beside_assessor_sources() {
        let mut m = two_source_mapping(Require::All);
        m.competencies[0]
            .sources
            .push(EvidenceSource::AssessorRating {
                exercise: "lgd".into(),
                weight: 1.0,
            });
        assert_eq!(m.validate(), vec![]);
        m.competencies[0].sources.push(EvidenceSource::Scale {
            instrument: "SJT-ASN".into(),
            scale: "INTEGRITAS".into(),
            score: ScoreKind::Raw,
            weight: 1.0,
        });
        let errs = m.validate();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].field, "competencies[0].sources[3]");
    }

    #[test]
    fn a_score_outside_a_bounded_cut_table_gets_no_level() {
        let mut m = two_source_mapping(Require::All);
        m.competencies[0].cuts[0].from = Some(20.0);
        let got = m
            .level_of(
                "KS",
                &t_scores(&[("SJT-ASN", "KERJASAMA", 19.0), ("IPIP-BFM-50", "A", 19.0)]),
            )
            .unwrap();
        assert_eq!(got.outcome, EvidenceOutcome::OutsideCuts { combined: 19.0 });
    }

    #[test]
    fn every_seeded_band_edge_gives_the_upper_level() {
        let m = EvidenceMapping::defaults();
        for (t, level) in [
            (34.99, 1),
            (35.0, 2),
            (45.0, 3),
            (54.99, 3),
            (55.0, 4),
            (65.0, 5),
            (90.0, 5),
        ] {
            let got = m
                .level_of("INT", &t_scores(&[("SJT-ASN", "INTEGRITAS", t)]))
                .unwrap();
            assert_eq!(got.level().map(Level::get), Some(level), "T {t}");
        }
    }

    #[test]
    fn validation_names_gaps_overlaps_unordered_cuts_bad_levels_weights_and_empty_sources() {
        let mut m = two_source_mapping(Require::AtLeast { min: 3 });
        let c = &mut m.competencies[0];
        c.sources[1] = scale("IPIP-BFM-50", "A", ScoreKind::T, 0.0);
        c.cuts = vec![
            LevelCut {
                level: 1,
                from: None,
                to: Some(35.0),
            },
            LevelCut {
                level: 2,
                from: Some(40.0),
                to: Some(45.0),
            }, // gap 35–40
            LevelCut {
                level: 3,
                from: Some(44.0),
                to: Some(55.0),
            }, // overlap 44–45
            LevelCut {
                level: 5,
                from: Some(55.0),
                to: Some(65.0),
            }, // skips level 4
            LevelCut {
                level: 6,
                from: Some(65.0),
                to: None,
            }, // no level 6
        ];
        let errs = m.validate();
        assert_eq!(
            fields(&errs),
            [
                "competencies[0].sources[1].weight",
                "competencies[0].require.min",
                "competencies[0].cuts[1].from",
                "competencies[0].cuts[2].from",
                "competencies[0].cuts[3].level",
                "competencies[0].cuts[4].level",
            ]
        );
        assert!(errs[2].message.starts_with("gap"));
        assert!(errs[3].message.starts_with("overlap"));

        let mut unordered = two_source_mapping(Require::All);
        unordered.competencies[0].cuts = vec![
            LevelCut {
                level: 1,
                from: Some(50.0),
                to: Some(60.0),
            },
            LevelCut {
                level: 2,
                from: Some(10.0),
                to: None,
            },
        ];
        assert_eq!(
            fields(&unordered.validate()),
            ["competencies[0].cuts[1].from"]
        );

        let mut empty = two_source_mapping(Require::All);
        empty.competencies[0].sources.clear();
        assert_eq!(fields(&empty.validate()), ["competencies[0].sources"]);
    }

    #[test]
    fn validation_refuses_mixed_scores_a_repeated_source_and_a_repeated_code() {
        let mut m = two_source_mapping(Require::All);
        m.competencies[0].sources = vec![
            scale("SJT-ASN", "KERJASAMA", ScoreKind::T, 1.0),
            scale("IPIP-BFM-50", "A", ScoreKind::Percentile, 1.0),
            scale("SJT-ASN", "KERJASAMA", ScoreKind::T, 2.0),
        ];
        m.competencies.push(m.competencies[0].clone());
        m.competencies[1].sources.truncate(1);
        m.version = 0;
        let errs = m.validate();
        assert_eq!(
            fields(&errs),
            [
                "version",
                "competencies[0].sources[1]",
                "competencies[0].sources[2]",
                "competencies[1].code"
            ]
        );
    }

    #[test]
    fn a_document_parses_with_its_field_path_on_a_type_error() {
        let json = br#"{"version": 1, "decimals": 2, "competencies": [{"code": "INT",
            "sources": [{"kind": "scale", "instrument": "SJT-ASN", "scale": "INTEGRITAS",
                         "score": "z", "weight": 1}],
            "cuts": [{"level": 1}]}]}"#;
        match parse_rule::<EvidenceMapping>(json) {
            Err(RuleError::Invalid(errs)) => {
                // A tagged source is read whole, so the path stops at the source and the message
                // names the bad value.
                assert_eq!(errs[0].field, "competencies[0].sources[0]");
                assert!(errs[0].message.contains("`z`"), "{}", errs[0].message);
            }
            other => panic!("expected a type error, got {other:?}"),
        }
        let ok = br#"{"version": 3, "decimals": 1, "competencies": [{"code": "INT",
            "sources": [{"kind": "assessor_rating", "exercise": "interview", "weight": 1}],
            "require": {"rule": "at_least", "min": 1},
            "cuts": [{"level": 1, "to": 2.5}, {"level": 2, "from": 2.5}]}]}"#;
        let m = parse_rule::<EvidenceMapping>(ok).unwrap();
        assert_eq!(m.version, 3);
        let unknown = br#"{"version": 1, "decimals": 2, "competencies": [{"code": "INT",
            "sources": [{"kind": "scale", "instrument": "SJT-ASN", "scale": "X",
                         "score": "t", "weight": 1, "extra": true}],
            "cuts": [{"level": 1}]}]}"#;
        assert!(matches!(
            parse_rule::<EvidenceMapping>(unknown),
            Err(RuleError::Invalid(_))
        ));
    }

    #[test]
    fn an_override_keeps_the_computed_level_and_wins() {
        let m = EvidenceMapping::defaults();
        let computed = m
            .level_of("INT", &t_scores(&[("SJT-ASN", "INTEGRITAS", 50.0)]))
            .unwrap();
        let at = DateTime::parse_from_rfc3339("2025-03-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let by = AccountId::new();
        assert!(LevelOverride::new(Level::new(4).unwrap(), "  ", by, at).is_err());
        let o = LevelOverride::new(Level::new(4).unwrap(), " panel consensus ", by, at).unwrap();
        assert_eq!(o.reason(), "panel consensus");
        let level = CompetencyLevel {
            computed,
            overridden: Some(o),
        };
        assert_eq!(level.computed.level(), Level::new(3).ok());
        assert_eq!(level.effective(), Level::new(4).ok());
        let json = serde_json::to_value(&level).unwrap();
        assert_eq!(json["override"]["level"], 4);
        assert_eq!(json["computed"]["outcome"]["level"], 3);
        let back: CompetencyLevel = serde_json::from_value(json).unwrap();
        assert_eq!(back, level);
    }

    #[test]
    fn achieved_levels_take_overrides_and_leave_out_competencies_without_a_level() {
        let m = EvidenceMapping::defaults();
        let scores = t_scores(&[
            ("SJT-ASN", "INTEGRITAS", 66.0),
            ("SJT-ASN", "KERJASAMA", 40.0),
        ]);
        let levels: Vec<CompetencyLevel> = m
            .levels(&scores)
            .into_iter()
            .map(|computed| CompetencyLevel {
                computed,
                overridden: None,
            })
            .collect();
        let achieved = achieved_levels(&levels);
        assert_eq!(achieved.len(), 2);
        assert_eq!(achieved["INT"].get(), 5);
        assert_eq!(achieved["KS"].get(), 2);
    }
}

//! A participant's scale scores as the competency rules read them: for each scale of each
//! instrument, the raw score and, when a norm table placed it, the percentile rank and T score
//! (`domain::norms`: PR = 100·(below + ½·equal)/N, T = 50 + 10z).
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::norms::NormedScore;
use crate::domain::FieldError;

/// Which score of a scale a rule uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreKind {
    /// The raw score (sum or mean of item scores).
    Raw,
    /// The percentile rank in the participant's norm group, 0–100.
    Percentile,
    /// The T score, 50 + 10z.
    T,
}

/// One score of one scale: which instrument, which scale, which score.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleRef {
    /// Instrument code, e.g. `SJT-ASN`.
    pub instrument: String,
    /// Scale code within the instrument, e.g. `INTEGRITAS`.
    pub scale: String,
    /// Which of its scores.
    pub score: ScoreKind,
}

impl ScaleRef {
    /// A reference to `score` of `instrument`/`scale`.
    pub fn new(instrument: &str, scale: &str, score: ScoreKind) -> Self {
        Self {
            instrument: instrument.to_owned(),
            scale: scale.to_owned(),
            score,
        }
    }
}

/// The problems of the instrument and scale codes of a reference at `path`.
pub(crate) fn scale_ref_problems(
    path: &str,
    instrument: &str,
    scale: &str,
    errs: &mut Vec<FieldError>,
) {
    if !crate::domain::instrument::is_instrument_code(instrument) {
        errs.push(FieldError::top(
            format!("{path}.instrument"),
            format!("'{instrument}' is not an instrument code (2–40 of A–Z 0–9 -)"),
        ));
    }
    let scale_ok = crate::domain::is_code(scale, 40, |b| {
        b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
    });
    if !scale_ok {
        errs.push(FieldError::top(
            format!("{path}.scale"),
            format!("'{scale}' is not a scale code (1–40 of A–Z a–z 0–9 _ -)"),
        ));
    }
}

/// The scores of one scale for one participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleScore {
    /// Instrument code.
    pub instrument: String,
    /// Scale code.
    pub scale: String,
    /// Raw score; `None` when it is undefined (a mean scale with no answer).
    #[serde(default)]
    pub raw: Option<f64>,
    /// Percentile rank; `None` when no norm table placed the score.
    #[serde(default)]
    pub percentile: Option<f64>,
    /// T score; `None` when no norm table placed the score.
    #[serde(default)]
    pub t: Option<f64>,
}

impl ScaleScore {
    /// The scores of a normed scale of `instrument`.
    pub fn from_normed(instrument: &str, normed: &NormedScore) -> Self {
        Self {
            instrument: instrument.to_owned(),
            scale: normed.scale.clone(),
            raw: Some(normed.raw),
            percentile: Some(normed.pr),
            t: Some(normed.t),
        }
    }
}

/// Every scale score of one participant that the rules may read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantScores {
    /// The scale scores, in any order; one per instrument and scale.
    pub scales: Vec<ScaleScore>,
    /// What the assessors gave, on the level scale.
    #[serde(default)]
    pub assessor: AssessorEvidence,
}

/// A participant's assessor evidence: the mean of the submitted ratings per exercise and
/// competency, and the level the panel integrated per competency.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessorEvidence {
    /// Exercise code → competency code → mean of the submitted ratings (1–5).
    #[serde(default)]
    pub exercises: BTreeMap<String, BTreeMap<String, f64>>,
    /// Competency code → integrated level (1–5).
    #[serde(default)]
    pub panel: BTreeMap<String, u8>,
}

impl AssessorEvidence {
    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.exercises.is_empty() && self.panel.is_empty()
    }

    /// The mean rating of `competency` in `exercise`, if any was submitted.
    pub fn exercise_mean(&self, exercise: &str, competency: &str) -> Option<f64> {
        self.exercises
            .get(exercise)?
            .get(competency)
            .copied()
            .filter(|v| v.is_finite())
    }

    /// The panel's level of `competency`, if integrated.
    pub fn panel_level(&self, competency: &str) -> Option<f64> {
        self.panel.get(competency).map(|&l| f64::from(l))
    }
}

impl ParticipantScores {
    /// The score `r` names, if the participant has it and it is a finite number. A score that is
    /// absent, or not a number, is missing evidence, never a zero.
    pub fn get(&self, r: &ScaleRef) -> Option<f64> {
        let s = self
            .scales
            .iter()
            .find(|s| s.instrument == r.instrument && s.scale == r.scale)?;
        let value = match r.score {
            ScoreKind::Raw => s.raw,
            ScoreKind::Percentile => s.percentile,
            ScoreKind::T => s.t,
        }?;
        value.is_finite().then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_is_found_by_instrument_scale_and_kind_and_a_nan_is_missing() {
        let scores = ParticipantScores {
            scales: vec![ScaleScore {
                instrument: "SJT-ASN".into(),
                scale: "INTEGRITAS".into(),
                raw: Some(f64::NAN),
                percentile: Some(62.5),
                t: None,
            }],
            ..Default::default()
        };
        let at = |kind| scores.get(&ScaleRef::new("SJT-ASN", "INTEGRITAS", kind));
        assert_eq!(at(ScoreKind::Percentile), Some(62.5));
        assert_eq!(at(ScoreKind::T), None);
        assert_eq!(at(ScoreKind::Raw), None);
        assert_eq!(
            scores.get(&ScaleRef::new("SJT-ASN", "KERJASAMA", ScoreKind::T)),
            None
        );
    }
}

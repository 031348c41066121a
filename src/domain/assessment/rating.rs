//! An assessor's ratings of one participant in one exercise: per competency the exercise
//! evidences, a level 1–5 and the written evidence (the behaviour observed) behind it.
//!
//! A sheet is a **draft** while the assessor works (autosaved, possibly incomplete: a level chosen
//! before its evidence is written); **submitting** requires every competency to have both a level
//! and evidence, and locks the sheet. Only HR can unlock it again, with a reason.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::competency::Level;
use crate::domain::FieldError;

/// Longest evidence text of one rating, in characters after trimming.
pub const MAX_EVIDENCE_CHARS: usize = 4000;

/// Where an assignment's sheet stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SheetStatus {
    /// Being written; saved as it goes; seen by nobody but its assessor.
    Draft,
    /// Submitted and locked; counted in agreement and integration.
    Submitted,
}

impl SheetStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SheetStatus::Draft => "draft",
            SheetStatus::Submitted => "submitted",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "draft" => Ok(SheetStatus::Draft),
            "submitted" => Ok(SheetStatus::Submitted),
            other => Err(format!("unknown sheet status '{other}'")),
        }
    }
}

/// One competency's rating as the assessor has it so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftRating {
    /// The level chosen, 1–5; `null` while not chosen.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 5)]
    pub level: Option<u8>,
    /// The behaviour observed (up to 4,000 characters); required before submitting.
    #[serde(default)]
    pub evidence: String,
}

/// A sheet of ratings keyed by competency code, checked against the competencies the exercise
/// evidences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingSheet(BTreeMap<String, DraftRating>);

/// One submitted rating: a level and its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SubmittedRating {
    /// The level, 1–5.
    #[schema(value_type = u8, minimum = 1, maximum = 5)]
    pub level: Level,
    /// The behaviour observed.
    pub evidence: String,
}

impl RatingSheet {
    /// Parses a draft: every key must be one of `competencies`, every level 1–5, every evidence at
    /// most [`MAX_EVIDENCE_CHARS`] characters (trimmed). A competency may be left out or half
    /// filled. Problems are named `ratings.<code>.level` and so on.
    pub fn parse_draft(
        ratings: BTreeMap<String, DraftRating>,
        competencies: &[String],
    ) -> Result<Self, Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut out = BTreeMap::new();
        for (code, r) in ratings {
            let at = format!("ratings.{code}");
            if !competencies.contains(&code) {
                errs.push(FieldError::top(
                    at,
                    format!(
                        "this exercise does not evidence '{code}': it rates {}",
                        competencies.join(", ")
                    ),
                ));
                continue;
            }
            if let Some(n) = r.level {
                if let Err(m) = Level::new(n) {
                    errs.push(FieldError::top(format!("{at}.level"), m));
                }
            }
            let evidence = r.evidence.trim().to_owned();
            if evidence.chars().count() > MAX_EVIDENCE_CHARS {
                errs.push(FieldError::top(
                    format!("{at}.evidence"),
                    format!("at most {MAX_EVIDENCE_CHARS} characters"),
                ));
            }
            if r.level.is_some() || !evidence.is_empty() {
                out.insert(
                    code,
                    DraftRating {
                        level: r.level,
                        evidence,
                    },
                );
            }
        }
        if errs.is_empty() {
            Ok(Self(out))
        } else {
            Err(errs)
        }
    }

    /// The ratings so far.
    pub fn ratings(&self) -> &BTreeMap<String, DraftRating> {
        &self.0
    }

    /// The sheet as submitted: every one of `competencies` needs a level and evidence; otherwise
    /// every gap is named (`ratings.<code>.level`, `ratings.<code>.evidence`).
    pub fn submit(
        &self,
        competencies: &[String],
    ) -> Result<BTreeMap<String, SubmittedRating>, Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut out = BTreeMap::new();
        for code in competencies {
            let at = format!("ratings.{code}");
            let r = self.0.get(code).cloned().unwrap_or_default();
            let level = r.level.and_then(|n| Level::new(n).ok());
            if level.is_none() {
                errs.push(FieldError::top(
                    format!("{at}.level"),
                    "needs a level from 1 to 5",
                ));
            }
            if r.evidence.trim().is_empty() {
                errs.push(FieldError::top(
                    format!("{at}.evidence"),
                    "needs the behaviour observed: a rating is submitted with its evidence",
                ));
            }
            if let Some(level) = level {
                out.insert(
                    code.clone(),
                    SubmittedRating {
                        level,
                        evidence: r.evidence.trim().to_owned(),
                    },
                );
            }
        }
        if errs.is_empty() {
            Ok(out)
        } else {
            Err(errs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comps() -> Vec<String> {
        ["INT", "KS"].map(String::from).to_vec()
    }

    fn draft(level: Option<u8>, evidence: &str) -> DraftRating {
        DraftRating {
            level,
            evidence: evidence.into(),
        }
    }

    #[test]
    fn a_half_filled_draft_is_kept_as_it_is_with_evidence_trimmed() {
        let sheet = RatingSheet::parse_draft(
            BTreeMap::from([
                ("INT".into(), draft(Some(3), "  ")),
                ("KS".into(), draft(None, " memimpin diskusi ")),
            ]),
            &comps(),
        )
        .unwrap();
        assert_eq!(sheet.ratings()["INT"], draft(Some(3), ""));
        assert_eq!(sheet.ratings()["KS"], draft(None, "memimpin diskusi"));
    }

    #[test]
    fn a_draft_with_a_level_outside_one_to_five_or_a_competency_the_exercise_does_not_rate_is_refused(
    ) {
        let errs = RatingSheet::parse_draft(
            BTreeMap::from([
                ("INT".into(), draft(Some(6), "x")),
                ("KOM".into(), draft(Some(3), "x")),
                ("KS".into(), draft(Some(0), "x")),
            ]),
            &comps(),
        )
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["ratings.INT.level", "ratings.KOM", "ratings.KS.level"]
        );
    }

    #[test]
    fn submitting_needs_a_level_and_evidence_for_every_competency_of_the_exercise() {
        let sheet = RatingSheet::parse_draft(
            BTreeMap::from([("INT".into(), draft(Some(4), ""))]),
            &comps(),
        )
        .unwrap();
        let errs = sheet.submit(&comps()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "ratings.INT.evidence",
                "ratings.KS.level",
                "ratings.KS.evidence"
            ]
        );
    }

    #[test]
    fn a_complete_sheet_submits_every_level_with_its_evidence() {
        let sheet = RatingSheet::parse_draft(
            BTreeMap::from([
                ("INT".into(), draft(Some(4), "menolak gratifikasi")),
                ("KS".into(), draft(Some(2), "jarang berbagi informasi")),
            ]),
            &comps(),
        )
        .unwrap();
        let done = sheet.submit(&comps()).unwrap();
        assert_eq!(done["INT"].level.get(), 4);
        assert_eq!(done["KS"].evidence, "jarang berbagi informasi");
    }

    #[test]
    fn sheet_statuses_round_trip_through_their_stored_names() {
        for s in [SheetStatus::Draft, SheetStatus::Submitted] {
            assert_eq!(SheetStatus::parse(s.as_str()), Ok(s));
        }
        assert!(SheetStatus::parse("locked").is_err());
    }
}

//! A campaign's exercises (assessment-centre simulations: interview, group discussion, in-tray,
//! presentation, case analysis …): each has a code, a name and the competencies it evidences.
//! The names and the competencies are data the campaign's HR sets; the code is what an evidence
//! mapping's `assessor_rating` source names.
use serde::{Deserialize, Serialize};

use crate::domain::competency::is_competency_code;
use crate::domain::{is_code, FieldError};

/// Longest exercise name, in characters after trimming.
pub const MAX_NAME_CHARS: usize = 200;
/// Most exercises a campaign may list.
pub const MAX_EXERCISES: usize = 20;

/// Whether `s` is an exercise code: 1–40 of a–z 0–9 _ -.
pub fn is_exercise_code(s: &str) -> bool {
    is_code(s, 40, |b| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
    })
}

/// One exercise as submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Code, 1–40 of a–z 0–9 _ - (e.g. `interview`); unique in the campaign.
    pub code: String,
    /// Name shown to assessors and on reports (1–200 characters).
    pub name: String,
    /// The competency codes this exercise evidences (at least one, each once, each in the
    /// organisation's framework).
    pub competencies: Vec<String>,
}

/// A campaign's list of exercises, validated whole: codes unique, names present, competencies
/// known to the framework (`known`) and listed once per exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseList(Vec<Exercise>);

impl ExerciseList {
    /// Parses `items` against the competency codes of the framework; every problem is named by
    /// its path (`exercises[1].competencies[0]`).
    pub fn parse(items: Vec<Exercise>, known: &[String]) -> Result<Self, Vec<FieldError>> {
        let mut errs = Vec::new();
        if items.len() > MAX_EXERCISES {
            errs.push(FieldError::top(
                "exercises",
                format!("at most {MAX_EXERCISES} exercises"),
            ));
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, e) in items.into_iter().enumerate() {
            let at = format!("exercises[{i}]");
            if !is_exercise_code(&e.code) {
                errs.push(FieldError::top(
                    format!("{at}.code"),
                    format!("'{}' is not an exercise code (1–40 of a–z 0–9 _ -)", e.code),
                ));
            } else if out.iter().any(|o: &Exercise| o.code == e.code) {
                errs.push(FieldError::top(
                    format!("{at}.code"),
                    format!("'{}' is listed twice", e.code),
                ));
            }
            let name = e.name.trim().to_owned();
            let n = name.chars().count();
            if n == 0 || n > MAX_NAME_CHARS || name.chars().any(char::is_control) {
                errs.push(FieldError::top(
                    format!("{at}.name"),
                    format!("needs 1 to {MAX_NAME_CHARS} characters without control characters"),
                ));
            }
            if e.competencies.is_empty() {
                errs.push(FieldError::top(
                    format!("{at}.competencies"),
                    "needs at least one competency",
                ));
            }
            for (j, c) in e.competencies.iter().enumerate() {
                let path = format!("{at}.competencies[{j}]");
                if !is_competency_code(c) || !known.contains(c) {
                    errs.push(FieldError::top(
                        path,
                        format!("'{c}' is not a competency of the organisation's framework"),
                    ));
                } else if e.competencies[..j].contains(c) {
                    errs.push(FieldError::top(path, format!("'{c}' is listed twice")));
                }
            }
            out.push(Exercise {
                code: e.code,
                name,
                competencies: e.competencies,
            });
        }
        if errs.is_empty() {
            Ok(Self(out))
        } else {
            Err(errs)
        }
    }

    /// The exercises, in the order given.
    pub fn items(&self) -> &[Exercise] {
        &self.0
    }

    /// Into the exercises.
    pub fn into_items(self) -> Vec<Exercise> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        ["INT", "KS", "KOM"].map(String::from).to_vec()
    }

    fn ex(code: &str, name: &str, comps: &[&str]) -> Exercise {
        Exercise {
            code: code.into(),
            name: name.into(),
            competencies: comps.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn a_list_of_named_exercises_over_known_competencies_parses_with_names_trimmed() {
        let list = ExerciseList::parse(
            vec![
                ex("interview", " Wawancara ", &["INT", "KOM"]),
                ex("lgd", "Diskusi kelompok", &["KS"]),
            ],
            &known(),
        )
        .unwrap();
        assert_eq!(list.items()[0].name, "Wawancara");
        assert_eq!(list.items()[1].competencies, vec!["KS"]);
    }

    #[test]
    fn every_problem_of_a_list_is_named_by_its_path() {
        let errs = ExerciseList::parse(
            vec![
                ex("Interview", "", &[]),
                ex("lgd", "LGD", &["KS", "KS", "XX"]),
                ex("lgd", "LGD again", &["INT"]),
            ],
            &known(),
        )
        .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "exercises[0].code",
                "exercises[0].name",
                "exercises[0].competencies",
                "exercises[1].competencies[1]",
                "exercises[1].competencies[2]",
                "exercises[2].code",
            ]
        );
    }

    #[test]
    fn an_empty_list_is_valid_and_means_no_exercises() {
        assert!(ExerciseList::parse(vec![], &known())
            .unwrap()
            .items()
            .is_empty());
    }
}

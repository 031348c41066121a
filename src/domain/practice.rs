//! Feedback on a practice item: whether the candidate's practice answer was right, and which
//! answer is, told only after they answered it and only for practice items, which are never
//! scored. Item payloads still carry no key (architecture invariant 4): the key of a practice
//! item leaves the server only in this reply, in the attempt's opaque ids.
use serde::Serialize;
use serde_json::{json, Value};

use super::delivery::{choice_id, resolve_choice, AttemptSeed};
use super::item::{ItemDoc, ItemFormat};
use super::scoring::{parse_response, within_tolerance, Answer};

/// Whether a practice answer was right, and the right answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PracticeFeedback {
    /// Right or wrong; `None` for formats without a right answer (Likert, forced choice,
    /// most/least, weighted options).
    pub correct: Option<bool>,
    /// The keyed response in the shape the page sends answers, with the attempt's opaque ids:
    /// `{"choice": id}` for single choice, `{"value": n}` for numeric entry; `None` where
    /// `correct` is.
    pub answer: Option<Value>,
}

/// Why a practice answer cannot be judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PracticeRefusal {
    /// The item is not a practice item: nothing about it is told.
    NotPractice,
    /// The response does not fit the item, in words that betray nothing of the item (the
    /// refusals of an answer).
    Invalid(String),
}

/// Judges `response` (as the page sends an answer, in the opaque ids of the attempt of `seed`)
/// to the practice item `item`, scored as the scoring module would score it (single choice:
/// right when the chosen option is the key; numeric entry: right when |x − answer| ≤ tolerance).
/// The response is checked as an answer is, whatever the format, so a malformed one is refused
/// even where there is no right answer. `likert_points` is the instrument's k.
pub fn practice_feedback(
    item: &ItemDoc,
    seed: AttemptSeed,
    likert_points: Option<u8>,
    response: &Value,
) -> Result<PracticeFeedback, PracticeRefusal> {
    if !item.practice {
        return Err(PracticeRefusal::NotPractice);
    }
    let mut doc_ids = response.clone();
    for field in ["choice", "most", "least"] {
        if let Some(opaque) = response.get(field).and_then(Value::as_str) {
            let original = resolve_choice(item, seed, opaque).ok_or_else(|| {
                PracticeRefusal::Invalid("that choice is not in this item".into())
            })?;
            doc_ids[field] = Value::String(original);
        }
    }
    let parsed = parse_response(item, likert_points, &doc_ids).map_err(PracticeRefusal::Invalid)?;
    let none = PracticeFeedback {
        correct: None,
        answer: None,
    };
    Ok(match (item.format, parsed.answer()) {
        (ItemFormat::SingleChoice, Answer::Choice { choice }) => match &item.key {
            Some(key) => PracticeFeedback {
                correct: Some(choice == key),
                answer: Some(json!({ "choice": choice_id(seed, &item.code, key) })),
            },
            None => none,
        },
        (ItemFormat::NumericEntry, Answer::Value { value }) => match item.answer {
            Some(answer) => PracticeFeedback {
                correct: Some(within_tolerance(
                    *value,
                    answer,
                    item.tolerance.unwrap_or(0.0),
                )),
                answer: Some(json!({ "value": answer })),
            },
            None => none,
        },
        _ => none,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::delivery::{candidate_view, CandidateItem};

    fn item(v: Value) -> ItemDoc {
        serde_json::from_value(v).unwrap()
    }

    const SEED: AttemptSeed = AttemptSeed::new(2026);

    fn view(it: &ItemDoc) -> CandidateItem {
        candidate_view(it, SEED, true, None)
    }

    /// "1, 2, 3, …?" with options 4 (keyed) and 5.
    fn series() -> ItemDoc {
        item(
            json!({"code": "P-1", "format": "single_choice", "scale": "NUM", "practice": true,
            "stem": {"id": "1, 2, 3, …?"},
            "options": [{"id": "a", "text": {"id": "4"}}, {"id": "b", "text": {"id": "5"}}],
            "key": "a"}),
        )
    }

    /// The opaque id the page shows for the option whose text is `text`.
    fn shown(it: &ItemDoc, text: &str) -> String {
        view(it)
            .options
            .into_iter()
            .find(|o| o.text.as_ref().is_some_and(|t| t.id == text))
            .unwrap()
            .id
    }

    #[test]
    fn a_single_choice_practice_answer_is_judged_and_the_key_named_in_opaque_ids() {
        let it = series();
        let four = shown(&it, "4");
        let five = shown(&it, "5");
        assert_eq!(
            practice_feedback(&it, SEED, None, &json!({"choice": five})),
            Ok(PracticeFeedback {
                correct: Some(false),
                answer: Some(json!({"choice": four})),
            })
        );
        let right = practice_feedback(&it, SEED, None, &json!({"choice": four})).unwrap();
        assert_eq!(right.correct, Some(true));
        // The key is told in this attempt's ids, never the document's.
        assert_ne!(right.answer, Some(json!({"choice": "a"})));
        let other = practice_feedback(&it, AttemptSeed::new(1), None, &json!({"choice": four}));
        assert_eq!(
            other,
            Err(PracticeRefusal::Invalid(
                "that choice is not in this item".into()
            ))
        );
    }

    #[test]
    fn a_numeric_practice_answer_counts_within_the_tolerance() {
        // 15% of 240 = 36, within 0.5.
        let it = item(
            json!({"code": "P-2", "format": "numeric_entry", "scale": "NUM",
            "practice": true, "stem": {"id": "15% dari 240?"}, "answer": 36, "tolerance": 0.5}),
        );
        let judge = |v: Value| {
            practice_feedback(&it, SEED, None, &json!({ "value": v }))
                .unwrap()
                .correct
        };
        assert_eq!(judge(json!(36)), Some(true));
        assert_eq!(judge(json!("36,5")), Some(true));
        assert_eq!(judge(json!(35.5)), Some(true));
        assert_eq!(judge(json!(36.6)), Some(false));
        assert_eq!(judge(json!("12")), Some(false));
        assert_eq!(
            practice_feedback(&it, SEED, None, &json!({"value": 1}))
                .unwrap()
                .answer,
            Some(json!({"value": 36.0}))
        );
        assert!(matches!(
            practice_feedback(&it, SEED, None, &json!({"value": "1.500"})),
            Err(PracticeRefusal::Invalid(_))
        ));
    }

    #[test]
    fn formats_without_a_right_answer_tell_nothing_but_still_check_the_response() {
        let block = item(
            json!({"code": "P-3", "format": "most_least", "practice": true,
            "stem": {"id": "Saya …"},
            "statements": [{"id": "m1", "text": {"id": "p"}, "scale": "D"},
                           {"id": "m2", "text": {"id": "q"}, "scale": "I"},
                           {"id": "m3", "text": {"id": "r"}, "scale": "S"},
                           {"id": "m4", "text": {"id": "s"}, "scale": "C"}]}),
        );
        let ids: Vec<String> = view(&block).statements.into_iter().map(|s| s.id).collect();
        assert_eq!(
            practice_feedback(
                &block,
                SEED,
                None,
                &json!({"most": ids[0], "least": ids[1]})
            ),
            Ok(PracticeFeedback {
                correct: None,
                answer: None
            })
        );
        assert_eq!(
            practice_feedback(
                &block,
                SEED,
                None,
                &json!({"most": ids[2], "least": ids[2]})
            ),
            Err(PracticeRefusal::Invalid(
                "most and least must be two different statements".into()
            ))
        );
        let likert = item(json!({"code": "P-4", "format": "likert", "scale": "E",
            "practice": true, "reverse": true, "stem": {"id": "Saya suka keramaian"}}));
        assert_eq!(
            practice_feedback(&likert, SEED, Some(5), &json!({"point": 4}))
                .unwrap()
                .correct,
            None
        );
        assert!(matches!(
            practice_feedback(&likert, SEED, Some(5), &json!({"point": 6})),
            Err(PracticeRefusal::Invalid(_))
        ));
        let weighted = item(
            json!({"code": "P-5", "format": "weighted_options", "scale": "INT",
            "practice": true, "stem": {"id": "Rekan meminta…"},
            "options": [{"id": "w1", "text": {"id": "x"}, "weight": 4},
                        {"id": "w2", "text": {"id": "y"}, "weight": 1}]}),
        );
        let chosen = view(&weighted).options[0].id.clone();
        assert_eq!(
            practice_feedback(&weighted, SEED, None, &json!({"choice": chosen})),
            Ok(PracticeFeedback {
                correct: None,
                answer: None
            })
        );
    }

    #[test]
    fn a_scored_item_is_never_judged() {
        let mut scored = series();
        scored.practice = false;
        let four = shown(&scored, "4");
        assert_eq!(
            practice_feedback(&scored, SEED, None, &json!({"choice": four})),
            Err(PracticeRefusal::NotPractice)
        );
    }

    #[test]
    fn a_malformed_response_is_refused_as_an_answer_would_be() {
        let it = series();
        for bad in [
            json!("4"),
            json!({"value": 4}),
            json!({"choice": 4}),
            json!({}),
        ] {
            assert!(
                matches!(
                    practice_feedback(&it, SEED, None, &bad),
                    Err(PracticeRefusal::Invalid(_))
                ),
                "{bad}"
            );
        }
    }
}

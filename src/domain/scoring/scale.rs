//! Scale scoring: the item scores of one attempt combined into a raw score per scale.
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::item::{item_maxima, score_item};
use super::response::{likert_points, Response};
use crate::domain::instrument::{Aggregate, InstrumentDoc};
use crate::domain::item::ItemFormat;

/// The three profiles of a most/least scale over the administered blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MostLeastProfile {
    /// M: how often the scale's statement was marked "most like me".
    pub most: u32,
    /// L: how often the scale's statement was marked "least like me".
    pub least: u32,
    /// D = M − L.
    pub difference: i64,
}

/// The raw score of one scale in one attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleRaw {
    /// Code of the scale.
    pub scale: String,
    /// How the item scores were combined.
    pub aggregate: Aggregate,
    /// R = Σ sᵢ (sum) or Σ sᵢ / n over the answered items (mean). `None` only for a mean scale with
    /// no answered item, whose mean is undefined.
    pub raw: Option<f64>,
    /// Administered items of the scale that were answered.
    pub answered: u32,
    /// Items of the scale delivered in this attempt (practice items excluded).
    pub administered: u32,
    /// Highest raw score the administered items allow: Σ of the item maxima (sum), or their mean
    /// (mean); 0 when no item of the scale was administered.
    pub max_possible: f64,
    /// M, L and D, when the scale has an administered most/least block.
    pub most_least: Option<MostLeastProfile>,
}

#[derive(Default)]
struct Tally {
    points: f64,
    answered: u32,
    administered: u32,
    max_sum: f64,
    most: u32,
    least: u32,
    has_most_least: bool,
}

/// Scores one attempt: a [`ScaleRaw`] per scale of the instrument, in the instrument's scale order.
///
/// Only items in `administered` (item codes as delivered, e.g. after a random draw) count, and only
/// scored (non-practice) ones; a response for an item not administered is ignored. Items are visited
/// in document order, so floating-point sums are taken in one fixed order and the result does not
/// depend on the order of `administered` or of the response map.
///
/// An unanswered item scores 0 in a `sum` scale: the raw score of an ability or judgement test is
/// the points earned on what was delivered, omitting an item earns none, and the norm tables are
/// built the same way. Guessing a value (prorating, imputing the mean) would be a psychometric
/// decision about the candidate that this function does not make silently; `answered` and
/// `administered` are reported so a caller can flag or prorate incomplete scales. In a `mean` scale
/// an unanswered item is left out of the mean, as the `aggregate: mean` definition says.
pub fn score_instrument(
    doc: &InstrumentDoc,
    responses: &HashMap<String, Response>,
    administered: &[String],
) -> Vec<ScaleRaw> {
    let k = likert_points(doc);
    let delivered: HashSet<&str> = administered.iter().map(String::as_str).collect();
    let mut tallies: Vec<Tally> = doc.scales.iter().map(|_| Tally::default()).collect();
    let index: HashMap<&str, usize> = doc
        .scales
        .iter()
        .enumerate()
        .map(|(i, s)| (s.code.as_str(), i))
        .collect();

    for item in doc
        .items
        .iter()
        .filter(|i| !i.practice && delivered.contains(i.code.as_str()))
    {
        let is_block = item.format == ItemFormat::MostLeast;
        for (scale, max) in item_maxima(item, k) {
            if let Some(t) = index.get(scale.as_str()).and_then(|&i| tallies.get_mut(i)) {
                t.administered += 1;
                t.max_sum += max;
                t.has_most_least |= is_block;
            }
        }
        let Some(response) = responses.get(&item.code) else {
            continue;
        };
        for c in score_item(item, k, response).scales {
            if let Some(t) = index
                .get(c.scale.as_str())
                .and_then(|&i| tallies.get_mut(i))
            {
                t.points += c.points;
                t.answered += 1;
                t.most += c.most;
                t.least += c.least;
            }
        }
    }

    doc.scales
        .iter()
        .zip(tallies)
        .map(|(scale, t)| {
            let (raw, max_possible) = match scale.aggregate {
                Aggregate::Sum => (Some(t.points), t.max_sum),
                Aggregate::Mean => (
                    (t.answered > 0).then(|| t.points / f64::from(t.answered)),
                    if t.administered > 0 {
                        t.max_sum / f64::from(t.administered)
                    } else {
                        0.0
                    },
                ),
            };
            ScaleRaw {
                scale: scale.code.clone(),
                aggregate: scale.aggregate,
                raw,
                answered: t.answered,
                administered: t.administered,
                max_possible,
                most_least: t.has_most_least.then_some(MostLeastProfile {
                    most: t.most,
                    least: t.least,
                    difference: i64::from(t.most) - i64::from(t.least),
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::fixtures::{block, likert, numeric, single_choice, weighted};
    use crate::domain::scoring::parse_response;
    use serde_json::json;

    fn instrument(v: serde_json::Value) -> InstrumentDoc {
        let mut doc = json!({"format": "meritest.instrument/1", "code": "T", "version": 1,
                             "kind": "cognitive", "name": {"id": "T"}, "source": "test"});
        for (k, val) in v.as_object().unwrap() {
            doc[k] = val.clone();
        }
        serde_json::from_value(doc).unwrap()
    }

    fn cognitive() -> InstrumentDoc {
        let mut practice = single_choice();
        practice.code = "N0".into();
        practice.practice = true;
        let mut n2 = single_choice();
        n2.code = "N2".into();
        n2.key = Some("a".into());
        instrument(json!({
            "scales": [{"code": "NUM", "name": {"id": "Numerik"}},
                       {"code": "SJT", "name": {"id": "Situasional"}}],
            "items": [practice, single_choice(), n2, numeric(36.0, 0.0), weighted()]
        }))
    }

    fn big_five() -> InstrumentDoc {
        let anchors: Vec<serde_json::Value> =
            (1..=5).map(|i| json!({"id": i.to_string()})).collect();
        instrument(json!({
            "kind": "personality", "likert_anchors": anchors,
            "scales": [{"code": "E", "name": {"id": "Ekstraversi"}, "aggregate": "mean"}],
            "items": [likert("E1", false), likert("E2", true), likert("E3", false)]
        }))
    }

    fn work_style() -> InstrumentDoc {
        let scales: Vec<serde_json::Value> = ["TEGAS", "RAMAH", "TENANG", "TELITI"]
            .iter()
            .map(|c| json!({"code": c, "name": {"id": c}}))
            .collect();
        instrument(json!({
            "kind": "work_style", "scales": scales,
            "items": [block("W1", ["TEGAS", "RAMAH", "TENANG", "TELITI"]),
                      block("W2", ["RAMAH", "TEGAS", "TELITI", "TENANG"]),
                      block("W3", ["TELITI", "TENANG", "RAMAH", "TEGAS"])]
        }))
    }

    fn responses(
        doc: &InstrumentDoc,
        answers: &[(&str, serde_json::Value)],
    ) -> HashMap<String, Response> {
        let k = likert_points(doc);
        answers
            .iter()
            .map(|(code, v)| {
                let item = doc.items.iter().find(|i| i.code == *code).unwrap();
                (code.to_string(), parse_response(item, k, v).unwrap())
            })
            .collect()
    }

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_sum_scale_counts_an_unanswered_item_as_zero_and_ignores_practice() {
        let doc = cognitive();
        // N0 practice (answered with its key: ignored); N1 key b, chose b → 1; N2 key a, chose c
        // → 0; AR1 unanswered → 0. NUM raw = 1 + 0 + 0 = 1, answered 2 of 3, max 1 + 1 + 1 = 3.
        // S1 chose b (weight 4): SJT raw 4, max = largest weight 4.
        let r = responses(
            &doc,
            &[
                ("N0", json!({"choice": "b"})),
                ("N1", json!({"choice": "b"})),
                ("N2", json!({"choice": "c"})),
                ("S1", json!({"choice": "b"})),
            ],
        );
        let scores = score_instrument(&doc, &r, &codes(&["N0", "N1", "N2", "AR1", "S1"]));
        assert_eq!(
            scores,
            [
                ScaleRaw {
                    scale: "NUM".into(),
                    aggregate: Aggregate::Sum,
                    raw: Some(1.0),
                    answered: 2,
                    administered: 3,
                    max_possible: 3.0,
                    most_least: None,
                },
                ScaleRaw {
                    scale: "SJT".into(),
                    aggregate: Aggregate::Sum,
                    raw: Some(4.0),
                    answered: 1,
                    administered: 1,
                    max_possible: 4.0,
                    most_least: None,
                },
            ]
        );
    }

    #[test]
    fn a_mean_scale_leaves_an_unanswered_item_out_of_the_mean() {
        let doc = big_five();
        // E1 point 4 → 4; E2 reverse point 2 → 5 + 1 − 2 = 4; E3 unanswered, left out.
        // Mean = (4 + 4) / 2 = 4 (a sum would have been 8). Max = mean of 5, 5, 5 = 5.
        let r = responses(
            &doc,
            &[("E1", json!({"point": 4})), ("E2", json!({"point": 2}))],
        );
        let scores = score_instrument(&doc, &r, &codes(&["E1", "E2", "E3"]));
        assert_eq!(
            scores,
            [ScaleRaw {
                scale: "E".into(),
                aggregate: Aggregate::Mean,
                raw: Some(4.0),
                answered: 2,
                administered: 3,
                max_possible: 5.0,
                most_least: None,
            }]
        );
    }

    #[test]
    fn a_mean_scale_with_nothing_answered_has_no_raw_score() {
        let doc = big_five();
        let scores = score_instrument(&doc, &HashMap::new(), &codes(&["E1", "E2", "E3"]));
        assert_eq!(scores[0].raw, None);
        assert_eq!((scores[0].answered, scores[0].administered), (0, 3));
    }

    #[test]
    fn most_least_blocks_give_the_three_profiles_per_scale() {
        let doc = work_style();
        // W1 most a TEGAS, least c TENANG;  W2 most b TEGAS, least a RAMAH;
        // W3 most c RAMAH, least d TEGAS.
        // TEGAS  M 2 L 1 D  1;  RAMAH M 1 L 1 D 0;  TENANG M 0 L 1 D −1;  TELITI M 0 L 0 D 0.
        // Each scale is in all three blocks: administered 3, answered 3, max 3 (+1 per block).
        let r = responses(
            &doc,
            &[
                ("W1", json!({"most": "a", "least": "c"})),
                ("W2", json!({"most": "b", "least": "a"})),
                ("W3", json!({"most": "c", "least": "d"})),
            ],
        );
        let scores = score_instrument(&doc, &r, &codes(&["W1", "W2", "W3"]));
        let got: Vec<(&str, Option<f64>, MostLeastProfile)> = scores
            .iter()
            .map(|s| (s.scale.as_str(), s.raw, s.most_least.unwrap()))
            .collect();
        let profile = |most, least, difference| MostLeastProfile {
            most,
            least,
            difference,
        };
        assert_eq!(
            got,
            [
                ("TEGAS", Some(1.0), profile(2, 1, 1)),
                ("RAMAH", Some(0.0), profile(1, 1, 0)),
                ("TENANG", Some(-1.0), profile(0, 1, -1)),
                ("TELITI", Some(0.0), profile(0, 0, 0)),
            ]
        );
        assert!(scores
            .iter()
            .all(|s| (s.answered, s.administered, s.max_possible) == (3, 3, 3.0)));
    }

    #[test]
    fn only_administered_items_count_after_a_random_draw() {
        let doc = cognitive();
        // Drawn: N1 and AR1. N2 was answered in the map but never delivered: ignored.
        // NUM raw = 1 (N1) + 1 (AR1: 36 = 36), answered 2, administered 2, max 2; SJT not drawn.
        let r = responses(
            &doc,
            &[
                ("N1", json!({"choice": "b"})),
                ("N2", json!({"choice": "a"})),
                ("AR1", json!({"value": "36"})),
            ],
        );
        let scores = score_instrument(&doc, &r, &codes(&["N1", "AR1"]));
        assert_eq!(
            (
                scores[0].raw,
                scores[0].answered,
                scores[0].administered,
                scores[0].max_possible
            ),
            (Some(2.0), 2, 2, 2.0)
        );
        assert_eq!(
            (
                scores[1].raw,
                scores[1].answered,
                scores[1].administered,
                scores[1].max_possible
            ),
            (Some(0.0), 0, 0, 0.0)
        );
    }

    #[test]
    fn the_same_attempt_scores_the_same_whatever_the_order_of_the_delivered_codes() {
        let doc = cognitive();
        let r = responses(
            &doc,
            &[
                ("N1", json!({"choice": "b"})),
                ("S1", json!({"choice": "c"})),
            ],
        );
        let once = score_instrument(&doc, &r, &codes(&["N1", "N2", "AR1", "S1"]));
        let again = score_instrument(&doc, &r, &codes(&["S1", "AR1", "N2", "N1", "N1"]));
        assert_eq!(once, again);
    }
}

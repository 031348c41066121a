//! Item scoring: what one answered item gives each scale it counts towards, and the most it can
//! give.
use serde::{Deserialize, Serialize};

use super::response::{option_ids, statement_scale, Answer, Response};
use crate::domain::item::{ItemDoc, ItemFormat};

/// What one item contributes to one scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleContribution {
    /// Code of the scale.
    pub scale: String,
    /// Points towards the scale's raw score (may be −1 for a most/least block).
    pub points: f64,
    /// 1 when this scale's statement was marked "most like me" in a most/least block.
    pub most: u32,
    /// 1 when this scale's statement was marked "least like me" in a most/least block.
    pub least: u32,
}

/// The score of one answered item: one entry per scale the item counts towards, in the order the
/// item names them, including scales that got 0 (so the item counts as answered for them). Empty
/// when the item is not scored: a practice item, or a response that does not fit the item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemScore {
    /// Contributions per scale.
    pub scales: Vec<ScaleContribution>,
}

impl ItemScore {
    /// Points towards `scale`, if the item counts towards it.
    pub fn points(&self, scale: &str) -> Option<f64> {
        self.scales
            .iter()
            .find(|c| c.scale == scale)
            .map(|c| c.points)
    }

    fn add(&mut self, scale: &str, points: f64, most: u32, least: u32) {
        match self.scales.iter_mut().find(|c| c.scale == scale) {
            Some(c) => {
                c.points += points;
                c.most += most;
                c.least += least;
            }
            None => self.scales.push(ScaleContribution {
                scale: scale.to_owned(),
                points,
                most,
                least,
            }),
        }
    }

    /// An entry of 0 points for every scale of the item's statements, in statement order.
    fn zero_for_statements(item: &ItemDoc) -> Self {
        let mut score = Self::default();
        for s in item.statements.iter().flatten() {
            score.add(&s.scale, 0.0, 0, 0);
        }
        score
    }
}

/// Scores one answer (formulas in the [scoring module documentation](super)). Practice items never
/// score. The function is total: a response that does not fit the item (parsed for another item,
/// or a Likert point beyond `likert_points`) scores nothing rather than failing, and is then not
/// counted as answered.
pub fn score_item(item: &ItemDoc, likert_points: Option<u8>, response: &Response) -> ItemScore {
    let mut score = ItemScore::default();
    if item.practice {
        return score;
    }
    let item_scale = item.scale.as_deref();
    match (item.format, response.answer(), item_scale) {
        (ItemFormat::SingleChoice, Answer::Choice { choice }, Some(scale))
            if option_ids(item).any(|id| id == choice) =>
        {
            let correct = item.key.as_deref() == Some(choice.as_str());
            score.add(scale, if correct { 1.0 } else { 0.0 }, 0, 0);
        }
        (ItemFormat::WeightedOptions, Answer::Choice { choice }, Some(scale)) => {
            let chosen = item.options.iter().flatten().find(|o| &o.id == choice);
            if let Some(option) = chosen {
                score.add(scale, option.weight.unwrap_or(0.0), 0, 0);
            }
        }
        (ItemFormat::Likert, Answer::Point { point }, Some(scale)) => {
            if let Some(k) = likert_points.filter(|k| (1..=*k).contains(point)) {
                let s = if item.reverse == Some(true) {
                    k + 1 - point
                } else {
                    *point
                };
                score.add(scale, f64::from(s), 0, 0);
            }
        }
        (ItemFormat::ForcedChoice, Answer::Choice { choice }, _) => {
            if let Some(chosen) = statement_scale(item, choice) {
                score = ItemScore::zero_for_statements(item);
                score.add(chosen, 1.0, 0, 0);
            }
        }
        (ItemFormat::MostLeast, Answer::MostLeast { most, least }, _) => {
            let scales = (statement_scale(item, most), statement_scale(item, least));
            if let (Some(most_scale), Some(least_scale)) = scales {
                if most != least {
                    score = ItemScore::zero_for_statements(item);
                    score.add(most_scale, 1.0, 1, 0);
                    score.add(least_scale, -1.0, 0, 1);
                }
            }
        }
        (ItemFormat::NumericEntry, Answer::Value { value }, Some(scale)) => {
            if let Some(answer) = item.answer {
                let correct = within_tolerance(*value, answer, item.tolerance.unwrap_or(0.0));
                score.add(scale, if correct { 1.0 } else { 0.0 }, 0, 0);
            }
        }
        _ => {}
    }
    score
}

/// |x − answer| ≤ tolerance, with an allowance of 10⁻⁹ · max(1, |answer|) for binary rounding:
/// decimals such as 0.1 have no exact binary form, so |0.4 − 0.3| computes as 0.10000000000000003
/// and an answer exactly at the tolerance edge would otherwise be marked wrong.
pub fn within_tolerance(x: f64, answer: f64, tolerance: f64) -> bool {
    let slack = 1e-9 * answer.abs().max(1.0);
    (x - answer).abs() <= tolerance + slack
}

/// Every answer an item admits, for finding the most an item can give a scale. Numeric entry is
/// represented by its correct answer, the only value that matters for the maximum.
fn every_answer(item: &ItemDoc, likert_points: Option<u8>) -> Vec<Answer> {
    let statement_ids: Vec<&str> = item
        .statements
        .iter()
        .flatten()
        .map(|s| s.id.as_str())
        .collect();
    match item.format {
        ItemFormat::SingleChoice | ItemFormat::WeightedOptions => option_ids(item)
            .map(|id| Answer::Choice { choice: id.into() })
            .collect(),
        ItemFormat::ForcedChoice => statement_ids
            .iter()
            .map(|id| Answer::Choice {
                choice: (*id).into(),
            })
            .collect(),
        ItemFormat::Likert => (1..=likert_points.unwrap_or(0))
            .map(|point| Answer::Point { point })
            .collect(),
        ItemFormat::MostLeast => statement_ids
            .iter()
            .flat_map(|most| {
                statement_ids
                    .iter()
                    .filter(move |least| *least != most)
                    .map(move |least| Answer::MostLeast {
                        most: (*most).into(),
                        least: (*least).into(),
                    })
            })
            .collect(),
        ItemFormat::NumericEntry => item
            .answer
            .map(|value| Answer::Value { value })
            .into_iter()
            .collect(),
    }
}

/// The most each scale of the item can receive from it: the maximum of [`score_item`] over every
/// answer the item admits, so it agrees with the scoring rules by construction.
pub(super) fn item_maxima(item: &ItemDoc, likert_points: Option<u8>) -> Vec<(String, f64)> {
    let mut maxima: Vec<(String, f64)> = Vec::new();
    for answer in every_answer(item, likert_points) {
        for c in score_item(item, likert_points, &Response::admitted(answer)).scales {
            match maxima.iter_mut().find(|(scale, _)| *scale == c.scale) {
                Some((_, max)) => *max = max.max(c.points),
                None => maxima.push((c.scale, c.points)),
            }
        }
    }
    maxima
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::fixtures::{
        block, forced_choice, item, likert, numeric, parse, single_choice, weighted,
    };
    use crate::domain::scoring::parse_response;
    use serde_json::json;

    fn score(item: &ItemDoc, v: serde_json::Value) -> ItemScore {
        score_item(item, Some(5), &parse(item, v))
    }

    fn contribution(scale: &str, points: f64, most: u32, least: u32) -> ScaleContribution {
        ScaleContribution {
            scale: scale.into(),
            points,
            most,
            least,
        }
    }

    #[test]
    fn a_single_choice_item_scores_one_for_the_key_and_zero_otherwise() {
        let item = single_choice();
        assert_eq!(
            score(&item, json!({"choice": "b"})).points("NUM"),
            Some(1.0)
        );
        assert_eq!(
            score(&item, json!({"choice": "a"})).points("NUM"),
            Some(0.0)
        );
    }

    #[test]
    fn a_weighted_options_item_scores_the_chosen_weight() {
        assert_eq!(
            score(&weighted(), json!({"choice": "b"})).scales,
            [contribution("SJT", 4.0, 0, 0)]
        );
        assert_eq!(
            score(&weighted(), json!({"choice": "c"})).points("SJT"),
            Some(2.0)
        );
    }

    #[test]
    fn a_reverse_keyed_likert_two_on_five_points_scores_four() {
        // k + 1 − p = 5 + 1 − 2 = 4.
        assert_eq!(
            score(&likert("E2", true), json!({"point": 2})).points("E"),
            Some(4.0)
        );
        assert_eq!(
            score(&likert("E1", false), json!({"point": 2})).points("E"),
            Some(2.0)
        );
        // On 7 points, reverse 1 → 7 + 1 − 1 = 7.
        let item = likert("E2", true);
        let r = parse_response(&item, Some(7), &json!({"point": 1})).unwrap();
        assert_eq!(score_item(&item, Some(7), &r).points("E"), Some(7.0));
    }

    #[test]
    fn a_forced_choice_gives_one_point_to_the_chosen_scale_and_zero_to_the_other() {
        assert_eq!(
            score(&forced_choice(), json!({"choice": "b"})).scales,
            [
                contribution("STRUKTUR", 0.0, 0, 0),
                contribution("OTONOMI", 1.0, 0, 0)
            ]
        );
    }

    #[test]
    fn a_most_least_block_gives_plus_one_to_most_and_minus_one_to_least() {
        let item = block("W1", ["TEGAS", "RAMAH", "TENANG", "TELITI"]);
        assert_eq!(
            score(&item, json!({"most": "a", "least": "c"})).scales,
            [
                contribution("TEGAS", 1.0, 1, 0),
                contribution("RAMAH", 0.0, 0, 0),
                contribution("TENANG", -1.0, 0, 1),
                contribution("TELITI", 0.0, 0, 0),
            ]
        );
    }

    #[test]
    fn most_and_least_on_one_scale_cancel_but_both_are_counted() {
        let item = block("W1", ["TEGAS", "TEGAS", "TENANG", "TELITI"]);
        let s = score(&item, json!({"most": "a", "least": "b"}));
        assert_eq!(s.scales[0], contribution("TEGAS", 0.0, 1, 1));
    }

    #[test]
    fn a_numeric_answer_scores_one_within_the_tolerance() {
        let exact = numeric(36.0, 0.0);
        assert_eq!(
            score(&exact, json!({"value": "36"})).points("NUM"),
            Some(1.0)
        );
        assert_eq!(
            score(&exact, json!({"value": "36,5"})).points("NUM"),
            Some(0.0)
        );
        let item = numeric(15.4, 0.0);
        assert_eq!(
            score(&item, json!({"value": "15,4"})).points("NUM"),
            Some(1.0)
        );
    }

    #[test]
    fn an_answer_exactly_at_the_tolerance_edge_is_correct_despite_binary_rounding() {
        // |0.4 − 0.3| computes as 0.10000000000000003 > 0.1; the answer is still within tolerance.
        let item = numeric(0.3, 0.1);
        assert_eq!(
            score(&item, json!({"value": "0,4"})).points("NUM"),
            Some(1.0)
        );
        assert_eq!(
            score(&item, json!({"value": "0,2"})).points("NUM"),
            Some(1.0)
        );
        assert_eq!(
            score(&item, json!({"value": "0,41"})).points("NUM"),
            Some(0.0)
        );
    }

    #[test]
    fn a_practice_item_never_scores() {
        let mut item = single_choice();
        item.practice = true;
        assert_eq!(score(&item, json!({"choice": "b"})), ItemScore::default());
    }

    #[test]
    fn a_response_parsed_for_another_item_scores_nothing() {
        let point = parse(&likert("E1", false), json!({"point": 3}));
        assert_eq!(
            score_item(&single_choice(), Some(5), &point),
            ItemScore::default()
        );
        let choice = parse(&weighted(), json!({"choice": "c"}));
        let two_options = item(
            json!({"code": "N2", "format": "single_choice", "scale": "NUM",
            "stem": {"id": "?"}, "options": [{"id": "a", "text": {"id": "1"}}, {"id": "b", "text": {"id": "2"}}],
            "key": "a"}),
        );
        assert_eq!(
            score_item(&two_options, Some(5), &choice),
            ItemScore::default()
        );
        // A point beyond the instrument's k.
        let five = parse(&likert("E1", false), json!({"point": 5}));
        assert_eq!(
            score_item(&likert("E1", false), Some(4), &five),
            ItemScore::default()
        );
    }
}

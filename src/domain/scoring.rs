//! The scoring engine: a candidate's answers → item scores → scale raw scores → norm-referenced
//! scores. Everything here is a pure function of (responses, item keys, norm table) with no clock,
//! randomness or I/O, so a stored result can be re-scored and must come out the same (architecture
//! invariant 5). Every stored score names [`SCORING_VERSION`] and the norm table that produced it.
//!
//! # Wire shape of a response
//! The candidate page sends one JSON object per answer; its shape depends on the item's format, which
//! [`parse_response`] knows from the item, so the object carries no format tag:
//!
//! | format | JSON | meaning |
//! |---|---|---|
//! | `single_choice`, `weighted_options` | `{"choice": "b"}` | id of the chosen option |
//! | `forced_choice` | `{"choice": "a"}` | id of the chosen statement |
//! | `likert` | `{"point": 4}` | a whole number 1…k, k = number of `likert_anchors` |
//! | `most_least` | `{"most": "a", "least": "c"}` | ids of two different statements |
//! | `numeric_entry` | `{"value": 15.4}` or `{"value": "15,4"}` | a number, or a string with a decimal comma or point |
//!
//! Ids are the item document's own ids; the delivery layer maps the opaque per-attempt ids back
//! before calling [`parse_response`]. A parsed [`Response`] serialises back to this shape with the
//! number normalised (`"15,4"` is stored as `15.4`), and that form parses again to the same value.
//!
//! # Formulas
//! Item score s of one answer (domain notes, "Test formats"):
//! - single choice: s = 1 if choice = key, else 0
//! - weighted options: s = w(choice), the chosen option's weight
//! - Likert on k points: s = p, or s = k + 1 − p when the item is reverse-keyed
//! - forced choice (ipsative): s = 1 to the chosen statement's scale, 0 to the other's
//! - most/least block: +1 to the "most" statement's scale, −1 to the "least" statement's scale;
//!   profiles M = number of "most" marks, L = number of "least" marks, D = M − L
//! - numeric entry: s = 1 if |x − answer| ≤ tolerance (default 0), else 0
//!
//! Scale raw score R over the administered items i of the scale:
//! - `sum`: R = Σ sᵢ, an unanswered item scoring 0
//! - `mean`: R = Σ sᵢ / n over the n answered items
//!
//! Norm-referenced scores (domain notes, "Scores and norms"; implemented in [`super::norms`]):
//! PR from the table's raw → PR rows; linear z = (x − mean) / sd; normalised z = Φ⁻¹(PR / 100);
//! T = 50 + 10z; stanine = clamp(round(2z + 5), 1, 9); sten = clamp(round(2z + 5.5), 1, 10).
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::instrument::{Aggregate, InstrumentDoc};
use super::item::{ItemDoc, ItemFormat};

/// Names the rules in this module and the norm conversion in [`super::norms`]. Stored with every
/// score so a result can be traced to, and re-scored by, the rules that produced it; change it
/// whenever one of those rules changes an outcome.
pub const SCORING_VERSION: &str = "meritest-scoring/1";

/// Longest numeric answer accepted as a string, in characters.
const MAX_NUMBER_CHARS: usize = 32;

/// A candidate's answer to one item, valid for that item. Built only by [`parse_response`], so a
/// `Response` never holds an unknown option, an out-of-range point or a non-finite number.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Response(Answer);

impl Response {
    /// What was answered.
    pub fn answer(&self) -> &Answer {
        &self.0
    }
}

/// The content of a [`Response`]; it serialises to the wire shape of the module documentation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// The chosen option (single choice, weighted options) or statement (forced choice).
    Choice {
        /// Id of the option or statement.
        choice: String,
    },
    /// A Likert point, 1…k.
    Point {
        /// The point chosen.
        point: u8,
    },
    /// The statements marked "most like me" and "least like me" in a most/least block.
    MostLeast {
        /// Id of the "most" statement.
        most: String,
        /// Id of the "least" statement, never the same as `most`.
        least: String,
    },
    /// A typed number, always finite.
    Value {
        /// The number.
        value: f64,
    },
}

/// Number of Likert points k of an instrument: the number of its `likert_anchors`.
pub fn likert_points(doc: &InstrumentDoc) -> Option<u8> {
    doc.likert_anchors
        .as_ref()
        .and_then(|a| u8::try_from(a.len()).ok())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoiceWire {
    choice: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PointWire {
    point: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MostLeastWire {
    most: String,
    least: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValueWire {
    value: serde_json::Value,
}

/// Parses the JSON an answer arrives as into a [`Response`] valid for `item`, or says in words why
/// it is refused. `likert_points` is the instrument's k (see [`likert_points`]).
///
/// Messages never list the item's option ids or anything about the key: they may reach the
/// candidate, who must learn nothing about the item beyond what the page shows.
pub fn parse_response(
    item: &ItemDoc,
    likert_points: Option<u8>,
    json: &serde_json::Value,
) -> Result<Response, String> {
    let shape = match item.format {
        ItemFormat::SingleChoice | ItemFormat::WeightedOptions => r#"{"choice": "<option id>"}"#,
        ItemFormat::ForcedChoice => r#"{"choice": "<statement id>"}"#,
        ItemFormat::Likert => r#"{"point": <whole number>}"#,
        ItemFormat::MostLeast => r#"{"most": "<statement id>", "least": "<statement id>"}"#,
        ItemFormat::NumericEntry => r#"{"value": <number>}"#,
    };
    let format = item.format.as_str();
    if !json.is_object() {
        return Err(format!("a {format} answer is a JSON object {shape}"));
    }
    let wire_error = |e: serde_json::Error| format!("a {format} answer is {shape}: {e}");
    let answer = match item.format {
        ItemFormat::SingleChoice | ItemFormat::WeightedOptions => {
            let w = ChoiceWire::deserialize(json).map_err(wire_error)?;
            if !option_ids(item).any(|id| id == w.choice) {
                return Err(format!("'{}' is not an option of this item", w.choice));
            }
            Answer::Choice { choice: w.choice }
        }
        ItemFormat::ForcedChoice => {
            let w = ChoiceWire::deserialize(json).map_err(wire_error)?;
            if statement_scale(item, &w.choice).is_none() {
                return Err(format!("'{}' is not a statement of this item", w.choice));
            }
            Answer::Choice { choice: w.choice }
        }
        ItemFormat::Likert => {
            let w = PointWire::deserialize(json).map_err(wire_error)?;
            let k = likert_points.ok_or("the instrument defines no Likert points for this item")?;
            let range = format!("point must be a whole number from 1 to {k}");
            let p = w.point.as_u64().ok_or_else(|| range.clone())?;
            match u8::try_from(p) {
                Ok(p) if (1..=k).contains(&p) => Answer::Point { point: p },
                _ => return Err(format!("{range}, found {p}")),
            }
        }
        ItemFormat::MostLeast => {
            let w = MostLeastWire::deserialize(json).map_err(wire_error)?;
            for id in [&w.most, &w.least] {
                if statement_scale(item, id).is_none() {
                    return Err(format!("'{id}' is not a statement of this item"));
                }
            }
            if w.most == w.least {
                return Err("most and least must be two different statements".into());
            }
            Answer::MostLeast {
                most: w.most,
                least: w.least,
            }
        }
        ItemFormat::NumericEntry => {
            let w = ValueWire::deserialize(json).map_err(wire_error)?;
            let value = match &w.value {
                serde_json::Value::Number(n) => n
                    .as_f64()
                    .filter(|v| v.is_finite())
                    .ok_or("value must be a finite number")?,
                serde_json::Value::String(s) => parse_decimal(s)?,
                _ => return Err(r#"value must be a number, or a string such as "15,4""#.into()),
            };
            Answer::Value { value }
        }
    };
    Ok(Response(answer))
}

/// Reads a number typed by a candidate: optional sign, digits, and at most one decimal separator,
/// comma (Indonesian) or point (English). "15,4" and "15.4" are both 15.4.
///
/// Thousands separators are refused rather than guessed at: "1.500" is fifteen hundred to an
/// Indonesian reader and one and a half to an English one, and a wrong guess would silently
/// mis-score an answer. So a single separator followed by exactly three digits, after an integer
/// part of one to three digits not starting with 0, is refused as ambiguous ("0,125" and "1500,250"
/// are not ambiguous and are accepted), as is any number with two or more separators.
fn parse_decimal(s: &str) -> Result<f64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("value is empty: type a number".into());
    }
    if t.chars().count() > MAX_NUMBER_CHARS {
        return Err(format!(
            "value is longer than {MAX_NUMBER_CHARS} characters"
        ));
    }
    let (negative, body) = match t.chars().next() {
        Some(c @ ('-' | '+' | '−')) => (c != '+', &t[c.len_utf8()..]),
        _ => (false, t),
    };
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return Err(format!(
            "'{t}' is not a number: use digits and at most one decimal comma, e.g. 15,4"
        ));
    }
    let mut parts = body.split([',', '.']);
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    if parts.next().is_some() {
        return Err(format!(
            "'{t}' has more than one separator: write the number without thousands separators, e.g. 1500 or 1500,5"
        ));
    }
    if int.is_empty() || frac.is_some_and(str::is_empty) {
        return Err(format!(
            "'{t}' needs digits on both sides of the decimal comma, e.g. 0,5"
        ));
    }
    if let Some(frac) = frac {
        if frac.len() == 3 && int.len() <= 3 && !int.starts_with('0') {
            let sign = if negative { "-" } else { "" };
            let decimals = frac.trim_end_matches('0');
            let decimal = if decimals.is_empty() {
                format!("{sign}{int}")
            } else {
                format!("{sign}{int},{decimals}")
            };
            return Err(format!(
                "'{t}' is ambiguous: write {sign}{int}{frac} for the whole number or {decimal} for a decimal"
            ));
        }
    }
    let magnitude: f64 = match frac {
        Some(frac) => format!("{int}.{frac}").parse(),
        None => int.parse(),
    }
    .map_err(|_| format!("'{t}' is not a number"))?;
    if !magnitude.is_finite() {
        return Err("value must be a finite number".into());
    }
    // `-0` is stored as 0 so the normalised form has one spelling.
    Ok(if negative && magnitude != 0.0 {
        -magnitude
    } else {
        magnitude
    })
}

fn option_ids(item: &ItemDoc) -> impl Iterator<Item = &str> {
    item.options.iter().flatten().map(|o| o.id.as_str())
}

fn statement_scale<'a>(item: &'a ItemDoc, id: &str) -> Option<&'a str> {
    item.statements
        .iter()
        .flatten()
        .find(|s| s.id == id)
        .map(|s| s.scale.as_str())
}

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

/// Scores one answer (formulas in the module documentation). Practice items never score. The
/// function is total: a response that does not fit the item (parsed for another item, or a Likert
/// point beyond `likert_points`) scores nothing rather than failing, and is then not counted as
/// answered.
pub fn score_item(item: &ItemDoc, likert_points: Option<u8>, response: &Response) -> ItemScore {
    let mut score = ItemScore::default();
    if item.practice {
        return score;
    }
    let item_scale = item.scale.as_deref();
    match (item.format, &response.0, item_scale) {
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
fn within_tolerance(x: f64, answer: f64, tolerance: f64) -> bool {
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
fn item_maxima(item: &ItemDoc, likert_points: Option<u8>) -> Vec<(String, f64)> {
    let mut maxima: Vec<(String, f64)> = Vec::new();
    for answer in every_answer(item, likert_points) {
        for c in score_item(item, likert_points, &Response(answer)).scales {
            match maxima.iter_mut().find(|(scale, _)| *scale == c.scale) {
                Some((_, max)) => *max = max.max(c.points),
                None => maxima.push((c.scale, c.points)),
            }
        }
    }
    maxima
}

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
    use serde_json::json;

    fn item(v: serde_json::Value) -> ItemDoc {
        serde_json::from_value(v).unwrap()
    }

    fn single_choice() -> ItemDoc {
        item(
            json!({"code": "N1", "format": "single_choice", "scale": "NUM", "stem": {"id": "2, 4, 8, …"},
                    "options": [{"id": "a", "text": {"id": "12"}}, {"id": "b", "text": {"id": "16"}},
                                {"id": "c", "text": {"id": "14"}}, {"id": "d", "text": {"id": "10"}}],
                    "key": "b"}),
        )
    }

    fn weighted() -> ItemDoc {
        item(
            json!({"code": "S1", "format": "weighted_options", "scale": "SJT", "stem": {"id": "…"},
                    "options": [{"id": "a", "text": {"id": "x"}, "weight": 1},
                                {"id": "b", "text": {"id": "y"}, "weight": 4},
                                {"id": "c", "text": {"id": "z"}, "weight": 2}]}),
        )
    }

    fn likert(code: &str, reverse: bool) -> ItemDoc {
        item(
            json!({"code": code, "format": "likert", "scale": "E", "reverse": reverse,
                    "stem": {"id": "Saya adalah pusat perhatian di pesta."}}),
        )
    }

    fn forced_choice() -> ItemDoc {
        item(
            json!({"code": "F1", "format": "forced_choice", "statements": [
            {"id": "a", "text": {"id": "x"}, "scale": "STRUKTUR"},
            {"id": "b", "text": {"id": "y"}, "scale": "OTONOMI"}]}),
        )
    }

    /// A most/least block whose statements a, b, c, d belong to the given scales.
    fn block(code: &str, scales: [&str; 4]) -> ItemDoc {
        let statements: Vec<serde_json::Value> = ["a", "b", "c", "d"]
            .iter()
            .zip(scales)
            .map(|(id, scale)| json!({"id": id, "text": {"id": "…"}, "scale": scale}))
            .collect();
        item(json!({"code": code, "format": "most_least", "statements": statements}))
    }

    fn numeric(answer: f64, tolerance: f64) -> ItemDoc {
        item(
            json!({"code": "AR1", "format": "numeric_entry", "scale": "NUM",
                    "stem": {"id": "Berapakah 15% dari 240?"}, "answer": answer, "tolerance": tolerance}),
        )
    }

    fn parse(item: &ItemDoc, v: serde_json::Value) -> Response {
        parse_response(item, Some(5), &v).unwrap()
    }

    fn refusal(item: &ItemDoc, v: serde_json::Value) -> String {
        parse_response(item, Some(5), &v).unwrap_err()
    }

    fn value_of(text: &str) -> Result<f64, String> {
        parse_response(&numeric(0.0, 0.0), None, &json!({ "value": text })).map(|r| {
            match r.answer() {
                Answer::Value { value } => *value,
                other => panic!("not a value: {other:?}"),
            }
        })
    }

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

    // ---- parsing -------------------------------------------------------------------------

    #[test]
    fn each_format_reads_its_own_wire_shape() {
        assert_eq!(
            parse(&single_choice(), json!({"choice": "b"})).answer(),
            &Answer::Choice { choice: "b".into() }
        );
        assert_eq!(
            parse(&forced_choice(), json!({"choice": "a"})).answer(),
            &Answer::Choice { choice: "a".into() }
        );
        assert_eq!(
            parse(&likert("E1", false), json!({"point": 5})).answer(),
            &Answer::Point { point: 5 }
        );
        assert_eq!(
            parse(
                &block("W1", ["A", "B", "C", "D"]),
                json!({"most": "a", "least": "d"})
            )
            .answer(),
            &Answer::MostLeast {
                most: "a".into(),
                least: "d".into()
            }
        );
        assert_eq!(
            parse(&numeric(36.0, 0.0), json!({"value": 36})).answer(),
            &Answer::Value { value: 36.0 }
        );
    }

    #[test]
    fn a_decimal_comma_and_a_decimal_point_read_as_the_same_number() {
        assert_eq!(value_of("15,4"), Ok(15.4));
        assert_eq!(value_of("15.4"), Ok(15.4));
        assert_eq!(
            parse(&numeric(0.0, 0.0), json!({"value": 15.4})).answer(),
            &Answer::Value { value: 15.4 }
        );
        assert_eq!(value_of(" -2,5 "), Ok(-2.5));
        assert_eq!(value_of("−2,5"), Ok(-2.5));
        assert_eq!(value_of("+7"), Ok(7.0));
        assert_eq!(value_of("1500"), Ok(1500.0));
        assert_eq!(value_of("-0"), Ok(0.0));
        // A leading 0 or a four-digit integer part cannot be thousands grouping.
        assert_eq!(value_of("0,125"), Ok(0.125));
        assert_eq!(value_of("1500,250"), Ok(1500.25));
        // Fewer or more than three decimals cannot be a thousands group either.
        assert_eq!(value_of("1,50"), Ok(1.5));
        assert_eq!(value_of("1,5000"), Ok(1.5));
    }

    #[test]
    fn a_number_that_could_be_thousands_grouping_is_refused_as_ambiguous() {
        assert_eq!(
            value_of("1.500"),
            Err(
                "'1.500' is ambiguous: write 1500 for the whole number or 1,5 for a decimal".into()
            )
        );
        assert_eq!(
            value_of("-12,000"),
            Err(
                "'-12,000' is ambiguous: write -12000 for the whole number or -12 for a decimal"
                    .into()
            )
        );
        assert_eq!(
            value_of("1.500.000"),
            Err("'1.500.000' has more than one separator: write the number without thousands separators, e.g. 1500 or 1500,5".into())
        );
        assert!(value_of("1.500,5").is_err());
    }

    #[test]
    fn text_that_is_not_a_plain_decimal_number_is_refused() {
        for (text, message) in [
            ("", "value is empty: type a number"),
            ("   ", "value is empty: type a number"),
            (
                "abc",
                "'abc' is not a number: use digits and at most one decimal comma, e.g. 15,4",
            ),
            (
                "NaN",
                "'NaN' is not a number: use digits and at most one decimal comma, e.g. 15,4",
            ),
            (
                "inf",
                "'inf' is not a number: use digits and at most one decimal comma, e.g. 15,4",
            ),
            (
                "1e999",
                "'1e999' is not a number: use digits and at most one decimal comma, e.g. 15,4",
            ),
            (
                "1 500",
                "'1 500' is not a number: use digits and at most one decimal comma, e.g. 15,4",
            ),
            (
                "--1",
                "'--1' is not a number: use digits and at most one decimal comma, e.g. 15,4",
            ),
            (
                ",5",
                "',5' needs digits on both sides of the decimal comma, e.g. 0,5",
            ),
            (
                "5,",
                "'5,' needs digits on both sides of the decimal comma, e.g. 0,5",
            ),
            (
                "-",
                "'-' is not a number: use digits and at most one decimal comma, e.g. 15,4",
            ),
        ] {
            assert_eq!(value_of(text), Err(message.into()), "{text:?}");
        }
        assert_eq!(
            value_of(&"9".repeat(33)),
            Err("value is longer than 32 characters".into())
        );
    }

    #[test]
    fn a_value_that_is_neither_a_number_nor_a_string_is_refused() {
        let item = numeric(36.0, 0.0);
        // JSON has no infinity: serde_json turns a non-finite f64 into null.
        for v in [
            json!({"value": f64::INFINITY}),
            json!({"value": true}),
            json!({"value": [1]}),
        ] {
            assert_eq!(
                refusal(&item, v),
                r#"value must be a number, or a string such as "15,4""#
            );
        }
    }

    #[test]
    fn an_unknown_option_or_statement_is_refused_without_listing_the_real_ones() {
        assert_eq!(
            refusal(&single_choice(), json!({"choice": "e"})),
            "'e' is not an option of this item"
        );
        assert_eq!(
            refusal(&weighted(), json!({"choice": "d"})),
            "'d' is not an option of this item"
        );
        assert_eq!(
            refusal(&forced_choice(), json!({"choice": "c"})),
            "'c' is not a statement of this item"
        );
        assert_eq!(
            refusal(
                &block("W1", ["A", "B", "C", "D"]),
                json!({"most": "a", "least": "z"})
            ),
            "'z' is not a statement of this item"
        );
    }

    #[test]
    fn most_and_least_on_the_same_statement_is_refused() {
        assert_eq!(
            refusal(
                &block("W1", ["A", "B", "C", "D"]),
                json!({"most": "b", "least": "b"})
            ),
            "most and least must be two different statements"
        );
    }

    #[test]
    fn a_likert_point_outside_one_to_k_is_refused() {
        let item = likert("E1", false);
        for p in [json!(0), json!(6), json!(300)] {
            let found = p.to_string();
            assert_eq!(
                refusal(&item, json!({ "point": p })),
                format!("point must be a whole number from 1 to 5, found {found}")
            );
        }
        for p in [json!(3.5), json!(-1), json!("3")] {
            assert_eq!(
                refusal(&item, json!({ "point": p })),
                "point must be a whole number from 1 to 5"
            );
        }
        assert_eq!(
            parse_response(&item, None, &json!({"point": 3})).unwrap_err(),
            "the instrument defines no Likert points for this item"
        );
    }

    #[test]
    fn the_wrong_shape_for_the_format_names_the_expected_shape() {
        assert_eq!(
            refusal(&single_choice(), json!({"point": 3})),
            r#"a single_choice answer is {"choice": "<option id>"}: unknown field `point`, expected `choice`"#
        );
        assert_eq!(
            refusal(&likert("E1", false), json!({"point": 3, "extra": 1})),
            r#"a likert answer is {"point": <whole number>}: unknown field `extra`, expected `point`"#
        );
        assert_eq!(
            refusal(&block("W1", ["A", "B", "C", "D"]), json!({"most": "a"})),
            r#"a most_least answer is {"most": "<statement id>", "least": "<statement id>"}: missing field `least`"#
        );
        assert_eq!(
            refusal(&numeric(1.0, 0.0), json!("15,4")),
            r#"a numeric_entry answer is a JSON object {"value": <number>}"#
        );
        assert_eq!(
            refusal(&single_choice(), json!({"choice": 2})),
            r#"a single_choice answer is {"choice": "<option id>"}: invalid type: integer `2`, expected a string"#
        );
    }

    #[test]
    fn a_response_serialises_to_its_wire_shape_and_parses_back_the_same() {
        let item = numeric(15.4, 0.0);
        let r = parse(&item, json!({"value": "15,4"}));
        let stored = serde_json::to_value(&r).unwrap();
        assert_eq!(stored, json!({"value": 15.4}));
        assert_eq!(parse(&item, stored), r);

        let block = block("W1", ["A", "B", "C", "D"]);
        let r = parse(&block, json!({"most": "a", "least": "c"}));
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"most": "a", "least": "c"})
        );
        assert_eq!(
            serde_json::to_value(parse(&likert("E1", true), json!({"point": 2}))).unwrap(),
            json!({"point": 2})
        );
    }

    // ---- item scoring --------------------------------------------------------------------

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

    // ---- scale scoring -------------------------------------------------------------------

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

    #[test]
    fn the_scoring_version_is_named() {
        assert_eq!(SCORING_VERSION, "meritest-scoring/1");
    }
}

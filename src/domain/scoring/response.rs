//! A candidate's answer to one item: the JSON it arrives as, checked against the item and parsed
//! into a [`Response`] (wire shapes in the [scoring module documentation](super)).
use serde::{Deserialize, Serialize};

use crate::domain::instrument::InstrumentDoc;
use crate::domain::item::{ItemDoc, ItemFormat};

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

    /// A response to an answer the item is known to admit, for scoring every answer an item admits
    /// (see `item_maxima`) without a round trip through JSON.
    pub(super) fn admitted(answer: Answer) -> Self {
        Self(answer)
    }
}

/// The content of a [`Response`]; it serialises to the wire shape of the
/// [scoring module documentation](super).
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

pub(super) fn option_ids(item: &ItemDoc) -> impl Iterator<Item = &str> {
    item.options.iter().flatten().map(|o| o.id.as_str())
}

pub(super) fn statement_scale<'a>(item: &'a ItemDoc, id: &str) -> Option<&'a str> {
    item.statements
        .iter()
        .flatten()
        .find(|s| s.id == id)
        .map(|s| s.scale.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::fixtures::{
        block, forced_choice, likert, numeric, parse, single_choice, weighted,
    };
    use serde_json::json;

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
}

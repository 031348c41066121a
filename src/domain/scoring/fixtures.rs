//! Items of every format, shared by the tests of response parsing, item scoring and scale
//! scoring.
use serde_json::json;

use super::{parse_response, Response};
use crate::domain::item::ItemDoc;

pub(super) fn item(v: serde_json::Value) -> ItemDoc {
    serde_json::from_value(v).unwrap()
}

pub(super) fn single_choice() -> ItemDoc {
    item(
        json!({"code": "N1", "format": "single_choice", "scale": "NUM", "stem": {"id": "2, 4, 8, …"},
                "options": [{"id": "a", "text": {"id": "12"}}, {"id": "b", "text": {"id": "16"}},
                            {"id": "c", "text": {"id": "14"}}, {"id": "d", "text": {"id": "10"}}],
                "key": "b"}),
    )
}

pub(super) fn weighted() -> ItemDoc {
    item(
        json!({"code": "S1", "format": "weighted_options", "scale": "SJT", "stem": {"id": "…"},
                "options": [{"id": "a", "text": {"id": "x"}, "weight": 1},
                            {"id": "b", "text": {"id": "y"}, "weight": 4},
                            {"id": "c", "text": {"id": "z"}, "weight": 2}]}),
    )
}

pub(super) fn likert(code: &str, reverse: bool) -> ItemDoc {
    item(
        json!({"code": code, "format": "likert", "scale": "E", "reverse": reverse,
                "stem": {"id": "Saya adalah pusat perhatian di pesta."}}),
    )
}

pub(super) fn forced_choice() -> ItemDoc {
    item(
        json!({"code": "F1", "format": "forced_choice", "statements": [
        {"id": "a", "text": {"id": "x"}, "scale": "STRUKTUR"},
        {"id": "b", "text": {"id": "y"}, "scale": "OTONOMI"}]}),
    )
}

/// A most/least block whose statements a, b, c, d belong to the given scales.
pub(super) fn block(code: &str, scales: [&str; 4]) -> ItemDoc {
    let statements: Vec<serde_json::Value> = ["a", "b", "c", "d"]
        .iter()
        .zip(scales)
        .map(|(id, scale)| json!({"id": id, "text": {"id": "…"}, "scale": scale}))
        .collect();
    item(json!({"code": code, "format": "most_least", "statements": statements}))
}

pub(super) fn numeric(answer: f64, tolerance: f64) -> ItemDoc {
    item(
        json!({"code": "AR1", "format": "numeric_entry", "scale": "NUM",
                "stem": {"id": "Berapakah 15% dari 240?"}, "answer": answer, "tolerance": tolerance}),
    )
}

pub(super) fn parse(item: &ItemDoc, v: serde_json::Value) -> Response {
    parse_response(item, Some(5), &v).unwrap()
}

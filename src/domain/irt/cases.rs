//! The cases `meritest irt score` reads, one JSON object each:
//! `{"model": "1PL"|"2PL"|"3PL", "D": 1.702, "items": [{"a", "b", "c"}, …],
//! "responses": [1, 0, null, …], "method": "eap"|"map"|"mle", "quadrature": {"min", "max",
//! "points"}, "prior": {"mean", "sd"}}`, everything after `responses` optional (EAP, −4…4 with
//! 61 points, the standard normal prior). Each gives `{"theta", "se"}` or
//! `{"error": {"code", "message"}}`.
use serde::Deserialize;
use serde_json::{json, Value};

use super::estimate::{estimate, Method, Prior, Quadrature};
use super::{items_of, ItemParams, Model, DEFAULT_D};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    model: Model,
    #[serde(rename = "D", default)]
    d: Option<f64>,
    items: Vec<ItemParams>,
    responses: Vec<Option<u8>>,
    #[serde(default)]
    method: Option<Method>,
    #[serde(default)]
    quadrature: Option<Quadrature>,
    #[serde(default)]
    prior: Option<Prior>,
}

fn error(code: &str, message: impl Into<String>) -> Value {
    json!({"error": {"code": code, "message": message.into()}})
}

/// The answer to one case.
pub fn score(case: Value) -> Value {
    let case: Case = match serde_json::from_value(case) {
        Ok(c) => c,
        Err(e) => return error("invalid_input", e.to_string()),
    };
    let items = match items_of(case.model, &case.items) {
        Ok(i) => i,
        Err(m) => return error("invalid_input", m),
    };
    let mut responses = Vec::with_capacity(case.responses.len());
    for (i, r) in case.responses.iter().enumerate() {
        match r {
            None => responses.push(None),
            Some(0) => responses.push(Some(false)),
            Some(1) => responses.push(Some(true)),
            Some(other) => {
                return error(
                    "invalid_input",
                    format!("responses[{i}]: {other} is not 0, 1 or null"),
                )
            }
        }
    }
    match estimate(
        &items,
        &responses,
        case.d.unwrap_or(DEFAULT_D),
        case.method.unwrap_or(Method::Eap),
        case.quadrature.unwrap_or_default(),
        case.prior.unwrap_or_default(),
    ) {
        Ok(e) => json!({"theta": e.theta, "se": e.se}),
        Err(e) => error(e.code(), e.message()),
    }
}

/// The answers to a document: one case, or an array of cases.
pub fn score_all(doc: Value) -> Vec<Value> {
    match doc {
        Value::Array(cases) => cases.into_iter().map(score).collect(),
        one => vec![score(one)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_with_only_the_required_fields_is_scored_by_eap_with_the_defaults() {
        let out = score(json!({"model": "2PL",
            "items": [{"a": 1.0, "b": -1.0}, {"a": 1.5, "b": 0.0}, {"a": 0.8, "b": 1.0}],
            "responses": [1, 1, 0]}));
        assert!(
            (out["theta"].as_f64().unwrap() - 0.478287).abs() < 1e-4,
            "{out}"
        );
    }

    #[test]
    fn an_array_of_cases_answers_each_and_a_bad_one_gets_its_error() {
        let out = score_all(json!([
            {"model": "2PL", "items": [{"a": 1.0, "b": 0.0}, {"a": 1.0, "b": 0.0}],
             "responses": [1, 0], "method": "mle"},
            {"model": "2PL", "items": [{"a": 1.0, "b": 0.0}], "responses": [1], "method": "mle"},
            {"model": "2PL", "items": [{"a": -1.0, "b": 0.0}], "responses": [1]},
            {"model": "4PL", "items": [], "responses": []},
            {"model": "2PL", "items": [{"a": 1.0, "b": 0.0}], "responses": [2]}
        ]));
        assert!(out[0]["theta"].as_f64().unwrap().abs() < 1e-6);
        assert_eq!(out[1]["error"]["code"], "mle_undefined");
        assert_eq!(out[2]["error"]["code"], "invalid_input");
        assert_eq!(out[3]["error"]["code"], "invalid_input");
        assert_eq!(out[4]["error"]["code"], "invalid_input");
    }
}

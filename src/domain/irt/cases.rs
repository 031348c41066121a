//! The cases `meritest irt score` reads, one JSON object each:
//! `{"model": "1PL"|"2PL"|"3PL", "D": 1.702, "items": [{"a", "b", "c"}, …],
//! "responses": [1, 0, null, …], "method": "eap"|"map"|"mle", "quadrature": {"min", "max",
//! "points"}, "prior": {"mean", "sd"}}`, everything after `responses` optional (EAP, −4…4 with
//! 61 points, the standard normal prior); or with `"model": "GRM"`, items
//! `{"a", "thresholds": [b₁, …]}` and responses the categories 0 … m − 1 (Samejima's graded
//! response model). Each gives `{"theta", "se"}` or `{"error": {"code", "message"}}`.
use serde::Deserialize;
use serde_json::{json, Value};

use super::estimate::{estimate, Estimate, EstimateError, Method, Prior, Quadrature};
use super::grm::{estimate_graded, GradedItem};
use super::{items_of, ItemParams, Model, DEFAULT_D};

/// A dichotomous model, or the graded response model.
#[derive(Deserialize)]
#[serde(untagged)]
enum CaseModel {
    Dichotomous(Model),
    Graded(GradedName),
}

#[derive(Deserialize)]
enum GradedName {
    #[serde(rename = "GRM")]
    Grm,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GradedParams {
    #[serde(default = "one")]
    a: f64,
    thresholds: Vec<f64>,
}

fn one() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    model: CaseModel,
    #[serde(rename = "D", default)]
    d: Option<f64>,
    items: Vec<Value>,
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
    let (d, method) = (
        case.d.unwrap_or(DEFAULT_D),
        case.method.unwrap_or(Method::Eap),
    );
    let (quadrature, prior) = (
        case.quadrature.unwrap_or_default(),
        case.prior.unwrap_or_default(),
    );
    let outcome = match case.model {
        CaseModel::Dichotomous(model) => dichotomous(model, &case, d, method, quadrature, prior),
        CaseModel::Graded(GradedName::Grm) => graded(&case, d, method, quadrature, prior),
    };
    match outcome {
        Ok(Ok(e)) => json!({"theta": e.theta, "se": e.se}),
        Ok(Err(e)) => error(e.code(), e.message()),
        Err(bad) => bad,
    }
}

fn items<T: serde::de::DeserializeOwned>(case: &Case) -> Result<Vec<T>, Value> {
    case.items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value(v.clone())
                .map_err(|e| error("invalid_input", format!("items[{i}]: {e}")))
        })
        .collect()
}

fn dichotomous(
    model: Model,
    case: &Case,
    d: f64,
    method: Method,
    quadrature: Quadrature,
    prior: Prior,
) -> Result<Result<Estimate, EstimateError>, Value> {
    let params: Vec<ItemParams> = items(case)?;
    let items = items_of(model, &params).map_err(|m| error("invalid_input", m))?;
    let mut responses = Vec::with_capacity(case.responses.len());
    for (i, r) in case.responses.iter().enumerate() {
        match r {
            None => responses.push(None),
            Some(0) => responses.push(Some(false)),
            Some(1) => responses.push(Some(true)),
            Some(other) => {
                return Err(error(
                    "invalid_input",
                    format!("responses[{i}]: {other} is not 0, 1 or null"),
                ))
            }
        }
    }
    Ok(estimate(&items, &responses, d, method, quadrature, prior))
}

fn graded(
    case: &Case,
    d: f64,
    method: Method,
    quadrature: Quadrature,
    prior: Prior,
) -> Result<Result<Estimate, EstimateError>, Value> {
    let params: Vec<GradedParams> = items(case)?;
    let items = params
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            GradedItem::new(p.a, p.thresholds)
                .map_err(|m| error("invalid_input", format!("items[{i}]: {m}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    for (i, (r, item)) in case.responses.iter().zip(&items).enumerate() {
        if let Some(k) = r {
            if usize::from(*k) >= item.categories() {
                return Err(error(
                    "invalid_input",
                    format!(
                        "responses[{i}]: {k} is not a category 0 … {} of its item",
                        item.categories() - 1
                    ),
                ));
            }
        }
    }
    Ok(estimate_graded(
        &items,
        &case.responses,
        d,
        method,
        quadrature,
        prior,
    ))
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
    fn a_graded_case_is_scored_by_eap_and_a_category_beyond_its_item_is_refused() {
        // One GRM item (a = 1, thresholds −1, 1) answered in the middle category: the likelihood
        // P_1(θ) is symmetric about 0, so with the N(0, 1) prior the EAP is 0.
        let out = score(json!({"model": "GRM",
            "items": [{"a": 1.0, "thresholds": [-1.0, 1.0]}], "responses": [1]}));
        assert!(out["theta"].as_f64().unwrap().abs() < 1e-9, "{out}");
        assert!(out["se"].as_f64().unwrap() < 1.0, "{out}");
        // A higher category moves θ up.
        let up = score(json!({"model": "GRM",
            "items": [{"a": 1.0, "thresholds": [-1.0, 1.0]}], "responses": [2]}));
        assert!(up["theta"].as_f64().unwrap() > 0.3, "{up}");
        let bad = score(json!({"model": "GRM",
            "items": [{"a": 1.0, "thresholds": [-1.0, 1.0]}], "responses": [3]}));
        assert_eq!(bad["error"]["code"], "invalid_input");
        let unordered = score(json!({"model": "GRM",
            "items": [{"a": 1.0, "thresholds": [1.0, -1.0]}], "responses": [1]}));
        assert_eq!(unordered["error"]["code"], "invalid_input");
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

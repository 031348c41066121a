//! Item parameters in the item bank: one set per instrument version, versioned on its own (a
//! calibration makes a draft that a psychometrician publishes as the next version).
//!
//! A set is exchanged as the `item_parameters` block of an instrument document and through the
//! item-parameter endpoints:
//!
//! ```json
//! {"D": 1.702, "method": "MML-EM 2PL, 2,000 respondents", "simulated": false,
//!  "items": [{"item": "V-01", "model": "2PL", "a": 1.2, "b": -0.3},
//!            {"item": "L-04", "model": "GRM", "a": 1.1, "thresholds": [-1.8, -0.6, 0.4, 1.7]}]}
//! ```
//!
//! Dichotomously scored items (single choice, numeric entry) take 1PL, 2PL or 3PL parameters;
//! Likert items take the graded response model with one threshold fewer than the instrument has
//! anchors, for the item's score after reverse keying. Parameters are staff data: nothing here is
//! ever part of what a candidate receives (architecture invariant 4).
use serde::{Deserialize, Serialize};

use super::{Item, ItemParams, Model};
use crate::domain::item::{ItemDoc, ItemFormat};
use crate::domain::FieldError;

/// The item-response model of one item in the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum BankModel {
    /// One parameter (one discrimination shared by the set's 1PL items).
    #[serde(rename = "1PL")]
    OnePl,
    /// Two parameters.
    #[serde(rename = "2PL")]
    TwoPl,
    /// Three parameters.
    #[serde(rename = "3PL")]
    ThreePl,
    /// Samejima's graded response model (Likert items).
    #[serde(rename = "GRM")]
    Graded,
}

impl BankModel {
    /// The dichotomous model, when this is one.
    pub fn dichotomous(self) -> Option<Model> {
        match self {
            BankModel::OnePl => Some(Model::OnePl),
            BankModel::TwoPl => Some(Model::TwoPl),
            BankModel::ThreePl => Some(Model::ThreePl),
            BankModel::Graded => None,
        }
    }

    /// The exchanged name.
    pub fn as_str(self) -> &'static str {
        match self {
            BankModel::OnePl => "1PL",
            BankModel::TwoPl => "2PL",
            BankModel::ThreePl => "3PL",
            BankModel::Graded => "GRM",
        }
    }
}

/// One item's parameters as exchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemParameterDoc {
    /// Code of the item in the instrument.
    pub item: String,
    /// Its model.
    pub model: BankModel,
    /// Discrimination a > 0 (1 when left out).
    #[serde(default = "one")]
    pub a: f64,
    /// Difficulty (1PL, 2PL, 3PL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<f64>,
    /// Lower asymptote 0 ≤ c < 1 (3PL only; 0 when left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<f64>,
    /// Category thresholds b₁ < b₂ < … (GRM only), one fewer than the Likert points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Vec<f64>>,
    /// Content tag for content balancing in adaptive sections (e.g. `deret`, `aritmetika`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Sympson–Hetter exposure parameter K in [0, 1] (from a simulation; 1 when left out): the
    /// probability that an adaptive section gives the item when it is the best next item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure_k: Option<f64>,
}

fn one() -> f64 {
    1.0
}

fn default_d() -> f64 {
    super::DEFAULT_D
}

/// A whole parameter set as exchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemParametersDoc {
    /// The scaling constant D (1.702 when left out).
    #[serde(rename = "D", default = "default_d")]
    pub d: f64,
    /// How the parameters were obtained (calibration method, sample, date).
    pub method: String,
    /// The parameters were simulated, not estimated from real responses.
    #[serde(default)]
    pub simulated: bool,
    /// One entry per calibrated item; items without an entry are not IRT-scored.
    pub items: Vec<ItemParameterDoc>,
}

/// The largest |b|, |threshold| accepted: beyond ±10 on the θ scale a parameter is an error.
pub const MAX_LOCATION: f64 = 10.0;
/// The largest discrimination accepted.
pub const MAX_DISCRIMINATION: f64 = 10.0;

impl ItemParameterDoc {
    /// The checked dichotomous item, when this entry is one and its parameters fit.
    pub fn dichotomous_item(&self) -> Option<Item> {
        let model = self.model.dichotomous()?;
        Item::new(
            model,
            ItemParams {
                a: self.a,
                b: self.b?,
                c: self.c.unwrap_or(0.0),
            },
        )
        .ok()
    }

    /// Problems of this entry alone, as (field relative to the entry, message).
    fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !(self.a.is_finite() && self.a > 0.0 && self.a <= MAX_DISCRIMINATION) {
            out.push((
                "a",
                format!(
                    "the discrimination a must be above 0 and at most {MAX_DISCRIMINATION}, not {}",
                    self.a
                ),
            ));
        }
        if let Some(tag) = &self.content {
            if !crate::domain::is_code(tag, 40, |b| {
                b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
            }) {
                out.push((
                    "content",
                    format!("'{tag}' is not a content tag (1–40 of A–Z a–z 0–9 _ -)"),
                ));
            }
        }
        if let Some(k) = self.exposure_k {
            if !(k.is_finite() && (0.0..=1.0).contains(&k)) {
                out.push((
                    "exposure_k",
                    format!("the exposure parameter K must be from 0 to 1, not {k}"),
                ));
            }
        }
        let location = |v: f64| v.is_finite() && v.abs() <= MAX_LOCATION;
        match self.model {
            BankModel::Graded => {
                if self.b.is_some() || self.c.is_some() {
                    out.push(("b", "a GRM item has thresholds, not b or c".to_string()));
                }
                match &self.thresholds {
                    None => out.push(("thresholds", "a GRM item needs its thresholds".into())),
                    Some(t) if t.is_empty() => out.push((
                        "thresholds",
                        "a GRM item needs at least one threshold".into(),
                    )),
                    Some(t) => {
                        if let Some(bad) = t.iter().find(|v| !location(**v)) {
                            out.push((
                                "thresholds",
                                format!(
                                    "every threshold must be within ±{MAX_LOCATION}, not {bad}"
                                ),
                            ));
                        } else if t.windows(2).any(|w| w[0] >= w[1]) {
                            out.push((
                                "thresholds",
                                "the thresholds must increase strictly (b₁ < b₂ < …)".into(),
                            ));
                        }
                    }
                }
            }
            model => {
                if self.thresholds.is_some() {
                    out.push((
                        "thresholds",
                        format!("only GRM items have thresholds, not {}", model.as_str()),
                    ));
                }
                match self.b {
                    None => out.push(("b", format!("a {} item needs b", model.as_str()))),
                    Some(b) if !location(b) => out.push((
                        "b",
                        format!("the difficulty b must be within ±{MAX_LOCATION}, not {b}"),
                    )),
                    Some(_) => {}
                }
                match (model, self.c) {
                    (BankModel::ThreePl, Some(c)) if !(c.is_finite() && (0.0..1.0).contains(&c)) => {
                        out.push((
                            "c",
                            format!("the lower asymptote c must be from 0 up to (not including) 1, not {c}"),
                        ))
                    }
                    (BankModel::OnePl | BankModel::TwoPl, Some(c)) if c != 0.0 => out.push((
                        "c",
                        "only the 3PL has a lower asymptote c: leave it out or use 3PL".into(),
                    )),
                    _ => {}
                }
            }
        }
        out
    }
}

/// What the validation of a parameter set looks up in its instrument.
pub struct BankContext<'a> {
    /// The instrument's items.
    pub items: &'a [ItemDoc],
    /// The number of Likert points, when the instrument has Likert anchors.
    pub likert_points: Option<usize>,
}

/// Every problem of a parameter set against its instrument, with fields under `prefix`
/// (`item_parameters` in an instrument document, empty for a set sent on its own).
pub fn validate(doc: &ItemParametersDoc, prefix: &str, ctx: &BankContext<'_>) -> Vec<FieldError> {
    let at = |field: &str| {
        if prefix.is_empty() {
            field.to_owned()
        } else {
            format!("{prefix}.{field}")
        }
    };
    let mut errs = Vec::new();
    if !(doc.d.is_finite() && doc.d > 0.0 && doc.d <= 3.0) {
        errs.push(FieldError::top(
            at("D"),
            format!(
                "the scaling constant D must be above 0 and at most 3, not {}",
                doc.d
            ),
        ));
    }
    if doc.method.trim().is_empty() {
        errs.push(FieldError::top(
            at("method"),
            "say how the parameters were obtained",
        ));
    }
    if doc.items.is_empty() {
        errs.push(FieldError::top(
            at("items"),
            "a parameter set needs at least one item",
        ));
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut one_pl_a: Option<f64> = None;
    for (i, p) in doc.items.iter().enumerate() {
        let field = |f: &str| at(&format!("items[{i}].{f}"));
        let mut push = |f: &str, m: String| errs.push(FieldError::item(&p.item, field(f), m));
        if seen.contains(&p.item.as_str()) {
            push("item", format!("a second entry for item '{}'", p.item));
        }
        seen.push(&p.item);
        match ctx.items.iter().find(|it| it.code == p.item) {
            None => push("item", format!("the instrument has no item '{}'", p.item)),
            Some(it) if it.practice => push(
                "item",
                format!("'{}' is a practice item and is never scored", p.item),
            ),
            Some(it) => match (it.format, p.model) {
                (ItemFormat::SingleChoice | ItemFormat::NumericEntry, m)
                    if m != BankModel::Graded => {}
                (ItemFormat::Likert, BankModel::Graded) => {
                    if let (Some(points), Some(t)) = (ctx.likert_points, &p.thresholds) {
                        if t.len() + 1 != points {
                            push(
                                "thresholds",
                                format!(
                                    "the instrument's Likert items have {points} points, so {} thresholds, not {}",
                                    points - 1,
                                    t.len()
                                ),
                            );
                        }
                    }
                }
                (ItemFormat::Likert, m) => push(
                    "model",
                    format!("'{}' is a Likert item: use GRM, not {}", p.item, m.as_str()),
                ),
                (ItemFormat::SingleChoice | ItemFormat::NumericEntry, _) => push(
                    "model",
                    format!(
                        "'{}' is scored right or wrong: use 1PL, 2PL or 3PL, not GRM",
                        p.item
                    ),
                ),
                (f, _) => push(
                    "item",
                    format!(
                        "'{}' is a {} item, which has no item response model here",
                        p.item,
                        f.as_str()
                    ),
                ),
            },
        }
        for (f, m) in p.problems() {
            push(f, m);
        }
        if p.model == BankModel::OnePl && p.a.is_finite() {
            match one_pl_a {
                None => one_pl_a = Some(p.a),
                Some(a) if (a - p.a).abs() > 1e-12 => push(
                    "a",
                    format!(
                        "the 1PL gives every item the same discrimination ({a}), not {}",
                        p.a
                    ),
                ),
                Some(_) => {}
            }
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<ItemDoc> {
        serde_json::from_str(
            r#"[{"code":"V1","format":"single_choice","scale":"V","stem":{"id":"x"},
                 "options":[{"id":"a","text":{"id":"a"}},{"id":"b","text":{"id":"b"}}],"key":"a"},
                {"code":"V2","format":"numeric_entry","scale":"V","stem":{"id":"x"},"answer":3},
                {"code":"P1","format":"single_choice","scale":"V","stem":{"id":"x"},"practice":true,
                 "options":[{"id":"a","text":{"id":"a"}},{"id":"b","text":{"id":"b"}}],"key":"a"},
                {"code":"L1","format":"likert","scale":"E","stem":{"id":"x"}},
                {"code":"F1","format":"forced_choice","stem":{"id":"x"},
                 "statements":[{"id":"a","text":{"id":"a"},"scale":"E"},{"id":"b","text":{"id":"b"},"scale":"V"}]}]"#,
        )
        .unwrap()
    }

    fn check(json: &str) -> Vec<(String, String)> {
        let doc: ItemParametersDoc = serde_json::from_str(json).unwrap();
        let items = items();
        validate(
            &doc,
            "item_parameters",
            &BankContext {
                items: &items,
                likert_points: Some(5),
            },
        )
        .into_iter()
        .map(|e| (e.field, e.message))
        .collect()
    }

    #[test]
    fn a_set_of_2pl_3pl_and_grm_items_that_fit_their_formats_is_accepted_with_d_defaulting_to_1_702(
    ) {
        let json = r#"{"method":"simulated for the demo","simulated":true,"items":[
            {"item":"V1","model":"3PL","a":1.2,"b":-0.3,"c":0.2},
            {"item":"V2","model":"2PL","a":0.8,"b":1.1},
            {"item":"L1","model":"GRM","a":1.4,"thresholds":[-2,-0.5,0.5,2]}]}"#;
        assert_eq!(check(json), Vec::<(String, String)>::new());
        let doc: ItemParametersDoc = serde_json::from_str(json).unwrap();
        assert_eq!(doc.d, 1.702);
        let v1 = doc.items[0].dichotomous_item().unwrap();
        // P(θ = b) for the 3PL is c + (1 − c)/2 = 0.2 + 0.4.
        assert!((v1.p(-0.3, doc.d) - 0.6).abs() < 1e-12);
        assert!(doc.items[2].dichotomous_item().is_none());
    }

    #[test]
    fn a_negative_discrimination_an_asymptote_of_one_and_unordered_thresholds_are_each_named_at_their_field(
    ) {
        let errs = check(
            r#"{"method":"m","items":[
            {"item":"V1","model":"2PL","a":-0.4,"b":0},
            {"item":"V2","model":"3PL","a":1,"b":0,"c":1},
            {"item":"L1","model":"GRM","a":1,"thresholds":[-1,0.5,0.2,1]}]}"#,
        );
        let fields: Vec<&str> = errs.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "item_parameters.items[0].a",
                "item_parameters.items[1].c",
                "item_parameters.items[2].thresholds"
            ]
        );
        assert!(errs[0].1.contains("above 0"), "{}", errs[0].1);
        assert!(errs[2].1.contains("increase strictly"), "{}", errs[2].1);
    }

    #[test]
    fn models_must_match_formats_and_likert_points_and_items_must_exist_once_and_be_scored() {
        let errs = check(
            r#"{"D":0,"method":" ","items":[
            {"item":"L1","model":"2PL","a":1,"b":0},
            {"item":"V1","model":"GRM","a":1,"thresholds":[0]},
            {"item":"V2","model":"2PL","a":1,"b":0},
            {"item":"V2","model":"2PL","a":1,"b":0},
            {"item":"P1","model":"2PL","a":1,"b":0},
            {"item":"F1","model":"2PL","a":1,"b":0},
            {"item":"NOPE","model":"2PL","a":1,"b":0}]}"#,
        );
        let fields: Vec<&str> = errs.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "item_parameters.D",
                "item_parameters.method",
                "item_parameters.items[0].model",
                "item_parameters.items[1].model",
                "item_parameters.items[3].item",
                "item_parameters.items[4].item",
                "item_parameters.items[5].item",
                "item_parameters.items[6].item",
            ]
        );
        let grm_points = check(
            r#"{"method":"m","items":[{"item":"L1","model":"GRM","a":1,"thresholds":[-1,0,1]}]}"#,
        );
        assert_eq!(grm_points.len(), 1);
        assert!(
            grm_points[0].1.contains("4 thresholds, not 3"),
            "{}",
            grm_points[0].1
        );
    }

    #[test]
    fn the_1pl_shares_one_discrimination_and_only_the_3pl_has_c() {
        let errs = check(
            r#"{"method":"m","items":[
            {"item":"V1","model":"1PL","a":1.1,"b":0},
            {"item":"V2","model":"1PL","a":1.3,"b":0,"c":0.1}]}"#,
        );
        let fields: Vec<&str> = errs.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["item_parameters.items[1].c", "item_parameters.items[1].a"]
        );
    }

    #[test]
    fn content_tags_and_exposure_parameters_are_checked() {
        let errs = check(
            r#"{"method":"m","items":[
            {"item":"V1","model":"2PL","a":1,"b":0,"content":"deret angka","exposure_k":0.4},
            {"item":"V2","model":"2PL","a":1,"b":0,"content":"aritmetika","exposure_k":1.5}]}"#,
        );
        let fields: Vec<&str> = errs.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "item_parameters.items[0].content",
                "item_parameters.items[1].exposure_k"
            ]
        );
    }

    #[test]
    fn unknown_fields_in_a_parameter_entry_are_refused_by_the_parser() {
        let r: Result<ItemParametersDoc, _> = serde_json::from_str(
            r#"{"method":"m","items":[{"item":"V1","model":"2PL","a":1,"b":0,"guess":0.2}]}"#,
        );
        assert!(r.is_err());
    }
}

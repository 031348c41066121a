//! An instrument (one version of a test or inventory) in the exchange format
//! `meritest.instrument/1`, documented in `frontend/docs/instrument-format.md`.
//!
//! [`parse_instrument`] turns uploaded bytes into a [`ValidInstrument`] or into the complete list of
//! problems, so that a bad file is refused whole.
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::irt::bank::{self, BankContext, ItemParametersDoc};
use super::item::{ItemContext, ItemDoc, ItemFormat};
use super::norms::{NormMetric, NormTableDoc};
use super::text::Text;
use super::{is_code, FieldError, UniqueIds};

/// The value of the `format` field this version of meritest reads and writes.
pub const FORMAT: &str = "meritest.instrument/1";
/// Largest asset accepted, in bytes.
pub const MAX_ASSET_BYTES: usize = 256 * 1024;

/// What an instrument measures, broadly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentKind {
    /// Ability tests with right answers (verbal, numerical, figural reasoning).
    Cognitive,
    /// Personality inventories (e.g. Big Five).
    Personality,
    /// Situational judgement tests with weighted options.
    Situational,
    /// Forced-choice preference inventories.
    Preference,
    /// Most/least behavioural-style inventories.
    WorkStyle,
}

impl InstrumentKind {
    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            InstrumentKind::Cognitive => "cognitive",
            InstrumentKind::Personality => "personality",
            InstrumentKind::Situational => "situational",
            InstrumentKind::Preference => "preference",
            InstrumentKind::WorkStyle => "work_style",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// How item scores combine into a scale score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// Sum of item scores.
    #[default]
    Sum,
    /// Mean of the answered items' scores.
    Mean,
}

impl Aggregate {
    /// The stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Aggregate::Sum => "sum",
            Aggregate::Mean => "mean",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sum" => Some(Aggregate::Sum),
            "mean" => Some(Aggregate::Mean),
            _ => None,
        }
    }
}

/// A scale as exchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleDoc {
    /// Code unique within the instrument.
    pub code: String,
    /// Display name.
    pub name: Text,
    /// What the scale measures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// How item scores combine.
    #[serde(default)]
    pub aggregate: Aggregate,
}

/// An image asset as exchanged: SVG as text, PNG as base64.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetDoc {
    /// File name unique within the instrument.
    pub name: String,
    /// `image/svg+xml` or `image/png`.
    pub media_type: String,
    /// The SVG document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub svg: Option<String>,
    /// The PNG bytes in base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
}

/// A whole instrument document as exchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentDoc {
    /// Always [`FORMAT`].
    pub format: String,
    /// Stable code, `A–Z 0–9 -`.
    pub code: String,
    /// Content version, ≥ 1.
    pub version: u32,
    /// What the instrument measures, broadly.
    pub kind: InstrumentKind,
    /// Display name.
    pub name: Text,
    /// For staff: what it measures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Shown to candidates before the first item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Text>,
    /// Provenance and licence.
    pub source: String,
    /// Labels of the Likert points 1…k.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likert_anchors: Option<Vec<Text>>,
    /// What the instrument scores.
    pub scales: Vec<ScaleDoc>,
    /// Images shown by items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<AssetDoc>,
    /// The items in their fixed order.
    pub items: Vec<ItemDoc>,
    /// Norm tables of the scales.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub norms: Vec<NormTableDoc>,
    /// Item response theory parameters of the items (staff data, never sent to candidates);
    /// imported as the instrument's first published parameter set, exported from its current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_parameters: Option<ItemParametersDoc>,
}

/// A decoded asset, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// File name.
    pub name: String,
    /// Media type.
    pub media_type: String,
    /// The bytes served to browsers.
    pub bytes: Vec<u8>,
}

/// An instrument document that passed every check, with its assets decoded.
#[derive(Debug, Clone)]
pub struct ValidInstrument {
    doc: InstrumentDoc,
    assets: Vec<Asset>,
}

impl ValidInstrument {
    /// The checked document.
    pub fn doc(&self) -> &InstrumentDoc {
        &self.doc
    }

    /// The decoded assets, in document order.
    pub fn assets(&self) -> &[Asset] {
        &self.assets
    }

    /// Items that are scored (not practice).
    pub fn scored_item_count(&self) -> usize {
        self.doc.items.iter().filter(|i| !i.practice).count()
    }
}

/// Why an uploaded instrument was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum InstrumentError {
    /// Not JSON at all.
    Syntax(String),
    /// JSON, but with problems; every one found is listed.
    Invalid(Vec<FieldError>),
}

/// Parses and validates an instrument document. Structural problems (wrong types, unknown fields)
/// stop at the first one, as a parser must; every semantic problem is then collected.
pub fn parse_instrument(bytes: &[u8]) -> Result<ValidInstrument, InstrumentError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| InstrumentError::Syntax(e.to_string()))?;
    let doc: InstrumentDoc = serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        let item = item_code_at(&value, &path);
        InstrumentError::Invalid(vec![FieldError {
            item,
            field: path,
            message: e.into_inner().to_string(),
            row: None,
        }])
    })?;
    validate(doc).map_err(InstrumentError::Invalid)
}

/// The code of the item a serde path such as `items[3].options` points into, if any.
fn item_code_at(value: &serde_json::Value, path: &str) -> Option<String> {
    let rest = path.strip_prefix("items[")?;
    let index: usize = rest.split(']').next()?.parse().ok()?;
    value["items"][index]["code"].as_str().map(str::to_owned)
}

/// Validates a parsed document, collecting every problem.
pub fn validate(doc: InstrumentDoc) -> Result<ValidInstrument, Vec<FieldError>> {
    let mut errs = Vec::new();
    if doc.format != FORMAT {
        errs.push(FieldError::top(
            "format",
            format!("expected \"{FORMAT}\", found \"{}\"", doc.format),
        ));
    }
    if !is_instrument_code(&doc.code) {
        errs.push(FieldError::top(
            "code",
            format!(
                "'{}' is not a valid instrument code (2–40 of A–Z 0–9 -)",
                doc.code
            ),
        ));
    }
    if doc.version == 0 {
        errs.push(FieldError::top("version", "the version must be at least 1"));
    }
    text_problems(&mut errs, "name", Some(&doc.name));
    text_problems(&mut errs, "description", doc.description.as_ref());
    text_problems(&mut errs, "instructions", doc.instructions.as_ref());
    if doc.source.trim().is_empty() {
        errs.push(FieldError::top(
            "source",
            "state where the content comes from and its licence",
        ));
    }
    if let Some(anchors) = &doc.likert_anchors {
        if !(3..=7).contains(&anchors.len()) {
            errs.push(FieldError::top(
                "likert_anchors",
                format!("needs 3 to 7 anchors, found {}", anchors.len()),
            ));
        }
        for (i, a) in anchors.iter().enumerate() {
            text_problems(&mut errs, &format!("likert_anchors[{i}]"), Some(a));
        }
    }

    if doc.scales.is_empty() {
        errs.push(FieldError::top(
            "scales",
            "an instrument needs at least one scale",
        ));
    }
    let mut scale_codes = UniqueIds::new("scale code", "1–40 of A–Z a–z 0–9 _ -", is_scale_code);
    for (i, s) in doc.scales.iter().enumerate() {
        if let Some(problem) = scale_codes.check(&s.code) {
            errs.push(FieldError::top(format!("scales[{i}].code"), problem));
        }
        text_problems(&mut errs, &format!("scales[{i}].name"), Some(&s.name));
        text_problems(
            &mut errs,
            &format!("scales[{i}].description"),
            s.description.as_ref(),
        );
    }

    let mut assets = Vec::new();
    let mut asset_names = UniqueIds::new("asset name", "1–120 of A–Z a–z 0–9 . _ -", is_asset_name);
    for (i, a) in doc.assets.iter().enumerate() {
        let p = format!("assets[{i}]");
        if let Some(problem) = asset_names.check(&a.name) {
            errs.push(FieldError::top(format!("{p}.name"), problem));
        }
        match decode_asset(a) {
            Ok(bytes) => assets.push(Asset {
                name: a.name.clone(),
                media_type: a.media_type.clone(),
                bytes,
            }),
            Err((field, msg)) => errs.push(FieldError::top(format!("{p}{field}"), msg)),
        }
    }

    if doc.items.is_empty() {
        errs.push(FieldError::top(
            "items",
            "an instrument needs at least one item",
        ));
    }
    let ctx = ItemContext {
        scales: scale_codes.seen(),
        assets: asset_names.seen(),
        has_likert_anchors: doc.likert_anchors.is_some(),
    };
    let mut item_codes: Vec<&str> = Vec::new();
    for (i, item) in doc.items.iter().enumerate() {
        let p = format!("items[{i}]");
        if item_codes.contains(&item.code.as_str()) {
            errs.push(FieldError::item(
                &item.code,
                format!("{p}.code"),
                format!("duplicate item code '{}'", item.code),
            ));
        }
        item_codes.push(&item.code);
        errs.extend(item.validate(&p, &ctx));
    }
    if doc.likert_anchors.is_some() && !doc.items.iter().any(|i| i.format == ItemFormat::Likert) {
        errs.push(FieldError::top(
            "likert_anchors",
            "given, but no item is a likert item",
        ));
    }
    for (i, s) in doc.scales.iter().enumerate() {
        let scored = doc
            .items
            .iter()
            .filter(|it| !it.practice)
            .any(|it| it.scale_codes().contains(&s.code.as_str()));
        if !scored {
            errs.push(FieldError::top(
                format!("scales[{i}]"),
                format!("scale '{}' has no scored item", s.code),
            ));
        }
    }

    let mut norm_keys: Vec<(&str, &str, NormMetric)> = Vec::new();
    for (i, n) in doc.norms.iter().enumerate() {
        let p = format!("norms[{i}]");
        if !scale_codes.seen().contains(&n.scale.as_str()) {
            errs.push(FieldError::top(
                format!("{p}.scale"),
                format!("unknown scale '{}'", n.scale),
            ));
        }
        if norm_keys.contains(&(n.scale.as_str(), n.group.as_str(), n.metric)) {
            errs.push(FieldError::top(
                format!("{p}.group"),
                format!(
                    "a second norm table for scale '{}' and group '{}'",
                    n.scale, n.group
                ),
            ));
        }
        norm_keys.push((&n.scale, &n.group, n.metric));
        for (field, msg) in n.problems() {
            errs.push(FieldError::top(format!("{p}.{field}"), msg));
        }
    }

    if let Some(params) = &doc.item_parameters {
        errs.extend(bank::validate(
            params,
            "item_parameters",
            &BankContext {
                items: &doc.items,
                likert_points: doc.likert_anchors.as_ref().map(Vec::len),
            },
        ));
    }

    if errs.is_empty() {
        Ok(ValidInstrument { doc, assets })
    } else {
        Err(errs)
    }
}

fn text_problems(errs: &mut Vec<FieldError>, field: &str, text: Option<&Text>) {
    if let Some(t) = text {
        for p in t.problems() {
            errs.push(FieldError::top(field, p));
        }
    }
}

/// Instrument codes: 2–40 of `A–Z 0–9 -`.
pub fn is_instrument_code(s: &str) -> bool {
    s.len() >= 2
        && is_code(s, 40, |b| {
            b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'
        })
}

fn is_scale_code(s: &str) -> bool {
    is_code(s, 40, |b| {
        b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
    })
}

fn is_asset_name(s: &str) -> bool {
    is_code(s, 120, |b| {
        b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-'
    })
}

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Decodes an asset, or says which field is wrong (relative to the asset) and why.
fn decode_asset(a: &AssetDoc) -> Result<Vec<u8>, (&'static str, String)> {
    match a.media_type.as_str() {
        "image/svg+xml" => {
            if a.base64.is_some() {
                return Err((
                    ".base64",
                    "an SVG asset carries its document in `svg`".into(),
                ));
            }
            let svg = a
                .svg
                .as_deref()
                .ok_or((".svg", "required for image/svg+xml assets".to_string()))?;
            super::svg::check(svg).map_err(|m| (".svg", m))?;
            check_size(svg.len())?;
            Ok(svg.as_bytes().to_vec())
        }
        "image/png" => {
            if a.svg.is_some() {
                return Err((".svg", "a PNG asset carries its bytes in `base64`".into()));
            }
            let b64 = a
                .base64
                .as_deref()
                .ok_or((".base64", "required for image/png assets".to_string()))?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|e| (".base64", format!("not valid base64: {e}")))?;
            if !bytes.starts_with(PNG_MAGIC) {
                return Err((".base64", "the bytes are not a PNG image".into()));
            }
            check_size(bytes.len())?;
            Ok(bytes)
        }
        other => Err((
            ".media_type",
            format!("'{other}' is not supported: use image/svg+xml or image/png"),
        )),
    }
}

fn check_size(len: usize) -> Result<(), (&'static str, String)> {
    if len > MAX_ASSET_BYTES {
        Err((
            "",
            format!("the asset is {len} bytes; the limit is {MAX_ASSET_BYTES}"),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn minimal() -> serde_json::Value {
        serde_json::json!({
            "format": FORMAT, "code": "NUM-SERIES", "version": 1, "kind": "cognitive",
            "name": {"id": "Deret Angka", "en": "Number Series"}, "source": "Original, CC0",
            "scales": [{"code": "NUM", "name": {"id": "Numerik"}}],
            "assets": [{"name": "f.svg", "media_type": "image/svg+xml",
                        "svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"5\" height=\"5\"/></svg>"}],
            "items": [{"code": "NS-01", "format": "single_choice", "scale": "NUM", "image": "f.svg",
                       "stem": {"id": "2, 4, 8, …"},
                       "options": [{"id": "a", "text": {"id": "16"}}, {"id": "b", "text": {"id": "12"}}],
                       "key": "a"}],
            "norms": [{"scale": "NUM", "group": "umum", "name": {"id": "Umum"}, "method": "illustrative",
                       "n": 100, "mean": 0.5, "sd": 0.5, "table": [{"raw": 0, "pr": 25}, {"raw": 1, "pr": 75}]}]
        })
    }

    fn parse(v: &serde_json::Value) -> Result<ValidInstrument, InstrumentError> {
        parse_instrument(v.to_string().as_bytes())
    }

    fn errors(v: &serde_json::Value) -> Vec<FieldError> {
        match parse(v) {
            Err(InstrumentError::Invalid(e)) => e,
            other => panic!("expected validation errors, got {other:?}"),
        }
    }

    #[test]
    fn a_minimal_instrument_parses_and_decodes_its_assets() {
        let inst = parse(&minimal()).unwrap();
        assert_eq!(inst.doc().code, "NUM-SERIES");
        assert_eq!(inst.assets().len(), 1);
        assert!(inst.assets()[0].bytes.starts_with(b"<svg"));
        assert_eq!(inst.scored_item_count(), 1);
    }

    #[test]
    fn text_that_is_not_json_is_a_syntax_error() {
        assert!(matches!(
            parse_instrument(b"{not json"),
            Err(InstrumentError::Syntax(_))
        ));
    }

    #[test]
    fn an_unknown_field_inside_an_item_names_the_item_and_path() {
        let mut v = minimal();
        v["items"][0]["reverse_keyed"] = true.into();
        let errs = errors(&v);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].item.as_deref(), Some("NS-01"));
        assert_eq!(errs[0].field, "items[0].reverse_keyed");
        assert!(
            errs[0].message.contains("reverse_keyed"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let mut v = minimal();
        v["version"] = "one".into();
        let errs = errors(&v);
        assert_eq!(errs[0].field, "version");
        assert_eq!(errs[0].item, None);
    }

    #[test]
    fn every_semantic_problem_is_reported_at_once() {
        let mut v = minimal();
        v["code"] = "bad code".into();
        v["items"][0]["key"] = "z".into();
        v["scales"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"code": "NUM", "name": {"id": "x"}}));
        let fields: Vec<String> = errors(&v).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["code", "scales[1].code", "items[0].key"]);
    }

    #[test]
    fn a_scale_without_scored_items_is_refused() {
        let mut v = minimal();
        v["scales"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"code": "EMPTY", "name": {"id": "x"}}));
        let errs = errors(&v);
        assert_eq!(errs[0].message, "scale 'EMPTY' has no scored item");
    }

    #[test]
    fn svg_with_a_script_or_handler_or_external_reference_is_refused() {
        for svg in [
            "<svg><script>alert(1)</script></svg>",
            "<svg><rect onclick=\"x()\"/></svg>",
            "<svg><rect ONLOAD = 'x()'/></svg>",
            "<svg><image href=\"https://tracker.example/p.png\"/></svg>",
            "<div></div>",
            "<svg/onload=alert(1)>",
            "<svg><use href = \"&#106;avascript:alert(1)\"/></svg>",
        ] {
            let mut v = minimal();
            v["assets"][0]["svg"] = svg.into();
            let errs = errors(&v);
            assert_eq!(errs[0].field, "assets[0].svg", "{svg}");
        }
        let mut v = minimal();
        v["assets"][0]["svg"] = "<svg><foreignObject/></svg>".into();
        assert_eq!(
            errors(&v)[0].message,
            "the element <foreignObject> is not allowed in SVG figures"
        );
    }

    #[test]
    fn svg_attributes_that_merely_contain_on_are_accepted() {
        let mut v = minimal();
        v["assets"][0]["svg"] =
            "<svg viewBox=\"0 0 1 1\"><polygon points=\"0,0 1,1\" font=\"x\"/></svg>".into();
        assert!(parse(&v).is_ok());
    }

    #[test]
    fn a_png_asset_must_be_a_png() {
        let mut v = minimal();
        v["assets"][0] =
            serde_json::json!({"name": "f.svg", "media_type": "image/png", "base64": "aGVsbG8="});
        assert_eq!(errors(&v)[0].message, "the bytes are not a PNG image");
    }

    #[test]
    fn two_norm_tables_for_one_scale_and_group_are_refused() {
        let mut v = minimal();
        let n = v["norms"][0].clone();
        v["norms"].as_array_mut().unwrap().push(n);
        assert_eq!(errors(&v)[0].field, "norms[1].group");
    }

    #[test]
    fn an_exported_document_parses_back_to_the_same_document() {
        let inst = parse(&minimal()).unwrap();
        let again = parse(&serde_json::to_value(inst.doc()).unwrap()).unwrap();
        assert_eq!(again.doc(), inst.doc());
    }
}

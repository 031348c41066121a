//! Items in every format of the domain notes, as they are exchanged (`ItemDoc`) and as they are
//! validated (`Item`). The stored form of an item is its canonical exchange document.
use serde::{Deserialize, Serialize};

use super::{is_code, text::Text, FieldError, UniqueIds};

/// How an item is answered and scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemFormat {
    /// One keyed option: 1 point for the key, else 0.
    SingleChoice,
    /// Each option carries points (situational judgement).
    WeightedOptions,
    /// A point on the instrument's agreement anchors, optionally reverse-keyed.
    Likert,
    /// A pair of statements of different scales; the chosen one's scale gets a point (ipsative).
    ForcedChoice,
    /// Four statements; +1 to the "most" statement's scale, −1 to the "least" one's.
    MostLeast,
    /// A typed number, correct within a tolerance.
    NumericEntry,
}

impl ItemFormat {
    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ItemFormat::SingleChoice => "single_choice",
            ItemFormat::WeightedOptions => "weighted_options",
            ItemFormat::Likert => "likert",
            ItemFormat::ForcedChoice => "forced_choice",
            ItemFormat::MostLeast => "most_least",
            ItemFormat::NumericEntry => "numeric_entry",
        }
    }
}

/// An option of a choice item as exchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDoc {
    /// Identifier within the item (`a–z 0–9`); never shown to candidates as such.
    pub id: String,
    /// The option's text, unless it is a picture only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
    /// Name of an asset shown as or with the option.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Points of the option (weighted-options items only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// A statement of a forced-choice pair or a most/least block, keyed to a scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementDoc {
    /// Identifier within the item.
    pub id: String,
    /// What the candidate reads.
    pub text: Text,
    /// Code of the scale the statement counts towards.
    pub scale: String,
}

/// An item as it appears in the exchange format: every format's fields, each optional, checked
/// against the format by [`ItemDoc::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDoc {
    /// Code unique within the instrument.
    pub code: String,
    /// How the item is answered.
    pub format: ItemFormat,
    /// Scale the item counts towards (not for forced-choice and most/least items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// The question, or a lead-in for statement formats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stem: Option<Text>,
    /// Asset shown with the stem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// A practice item is shown in the instructions and never scored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub practice: bool,
    /// Options of choice formats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<OptionDoc>>,
    /// The keyed option of a single-choice item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Reverse keying of a Likert item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse: Option<bool>,
    /// Statements of forced-choice and most/least items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statements: Option<Vec<StatementDoc>>,
    /// The correct number of a numeric-entry item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<f64>,
    /// Allowed absolute error of a numeric-entry item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
}

/// What the validation of an item may look up in the rest of the instrument.
pub struct ItemContext<'a> {
    /// Codes of the instrument's scales.
    pub scales: &'a [&'a str],
    /// Names of the instrument's assets.
    pub assets: &'a [&'a str],
    /// Whether the instrument defines Likert anchors.
    pub has_likert_anchors: bool,
}

/// Largest points an option may carry.
pub const MAX_OPTION_WEIGHT: f64 = 10.0;

impl ItemDoc {
    /// Every problem of this item, with field paths under `prefix` (e.g. `items[3]`).
    pub fn validate(&self, prefix: &str, ctx: &ItemContext<'_>) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let code = self.code.as_str();
        let mut err = |field: &str, msg: String| {
            errs.push(FieldError::item(code, format!("{prefix}.{field}"), msg));
        };
        if !is_item_code(code) {
            err(
                "code",
                format!("'{code}' is not a valid item code (1–40 of A–Z a–z 0–9 _ -)"),
            );
        }
        let f = self.format;
        let needs_scale = !matches!(f, ItemFormat::ForcedChoice | ItemFormat::MostLeast);
        let needs_stem = needs_scale;
        let takes_options = matches!(f, ItemFormat::SingleChoice | ItemFormat::WeightedOptions);
        let takes_statements = !needs_scale;

        match (&self.scale, needs_scale) {
            (None, true) => err("scale", format!("required for {} items", f.as_str())),
            (Some(_), false) => err(
                "scale",
                format!(
                    "not used by {} items: each statement names its scale",
                    f.as_str()
                ),
            ),
            (Some(s), true) if !ctx.scales.contains(&s.as_str()) => {
                err("scale", format!("unknown scale '{s}'"))
            }
            _ => {}
        }
        match &self.stem {
            None if needs_stem => err("stem", format!("required for {} items", f.as_str())),
            Some(t) => {
                for p in t.problems() {
                    err("stem", p.into());
                }
            }
            None => {}
        }
        if let Some(img) = &self.image {
            if !ctx.assets.contains(&img.as_str()) {
                err("image", format!("no asset named '{img}'"));
            }
        }
        // Fields that belong to other formats are refused rather than ignored: they betray a
        // mistaken format and would silently change nothing.
        let unused = |present: bool, field: &str, errs: &mut Vec<(String, String)>| {
            if present {
                errs.push((
                    field.to_owned(),
                    format!("not used by {} items", f.as_str()),
                ));
            }
        };
        let mut misplaced = Vec::new();
        unused(
            self.options.is_some() && !takes_options,
            "options",
            &mut misplaced,
        );
        unused(
            self.key.is_some() && f != ItemFormat::SingleChoice,
            "key",
            &mut misplaced,
        );
        unused(
            self.reverse.is_some() && f != ItemFormat::Likert,
            "reverse",
            &mut misplaced,
        );
        unused(
            self.statements.is_some() && !takes_statements,
            "statements",
            &mut misplaced,
        );
        unused(
            self.answer.is_some() && f != ItemFormat::NumericEntry,
            "answer",
            &mut misplaced,
        );
        unused(
            self.tolerance.is_some() && f != ItemFormat::NumericEntry,
            "tolerance",
            &mut misplaced,
        );
        for (field, msg) in misplaced {
            err(&field, msg);
        }

        if takes_options {
            match &self.options {
                None => err("options", format!("required for {} items", f.as_str())),
                Some(opts) => {
                    if !(2..=8).contains(&opts.len()) {
                        err(
                            "options",
                            format!("needs 2 to 8 options, found {}", opts.len()),
                        );
                    }
                    let mut ids = UniqueIds::new("option id", OPTION_ID_FORM, is_option_id);
                    for (i, o) in opts.iter().enumerate() {
                        let p = format!("options[{i}]");
                        if let Some(problem) = ids.check(&o.id) {
                            err(&format!("{p}.id"), problem);
                        }
                        if o.text.is_none() && o.image.is_none() {
                            err(&p, "an option needs a text or an image".into());
                        }
                        if let Some(t) = &o.text {
                            for problem in t.problems() {
                                err(&format!("{p}.text"), problem.into());
                            }
                        }
                        if let Some(img) = &o.image {
                            if !ctx.assets.contains(&img.as_str()) {
                                err(&format!("{p}.image"), format!("no asset named '{img}'"));
                            }
                        }
                        match (f, o.weight) {
                            (ItemFormat::WeightedOptions, None) => err(
                                &format!("{p}.weight"),
                                "required for weighted_options items".into(),
                            ),
                            (ItemFormat::WeightedOptions, Some(w))
                                if !w.is_finite() || !(0.0..=MAX_OPTION_WEIGHT).contains(&w) =>
                            {
                                err(
                                    &format!("{p}.weight"),
                                    format!("must be a number from 0 to {MAX_OPTION_WEIGHT}"),
                                )
                            }
                            (ItemFormat::SingleChoice, Some(_)) => err(
                                &format!("{p}.weight"),
                                "not used by single_choice items: the key gives the point".into(),
                            ),
                            _ => {}
                        }
                    }
                    if f == ItemFormat::SingleChoice {
                        match &self.key {
                            None => err("key", "required for single_choice items".into()),
                            Some(k) if !opts.iter().any(|o| &o.id == k) => err(
                                "key",
                                format!(
                                    "key '{k}' is not one of the options {}",
                                    opts.iter()
                                        .map(|o| o.id.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            ),
                            _ => {}
                        }
                    }
                }
            }
        }

        if f == ItemFormat::Likert && !ctx.has_likert_anchors {
            err(
                "format",
                "likert items need the instrument's likert_anchors".into(),
            );
        }

        if takes_statements {
            let want = if f == ItemFormat::ForcedChoice { 2 } else { 4 };
            match &self.statements {
                None => err("statements", format!("required for {} items", f.as_str())),
                Some(st) => {
                    if st.len() != want {
                        err(
                            "statements",
                            format!(
                                "{} items have exactly {want} statements, found {}",
                                f.as_str(),
                                st.len()
                            ),
                        );
                    }
                    let mut ids = UniqueIds::new("statement id", OPTION_ID_FORM, is_option_id);
                    for (i, s) in st.iter().enumerate() {
                        let p = format!("statements[{i}]");
                        if let Some(problem) = ids.check(&s.id) {
                            err(&format!("{p}.id"), problem);
                        }
                        for problem in s.text.problems() {
                            err(&format!("{p}.text"), problem.into());
                        }
                        if !ctx.scales.contains(&s.scale.as_str()) {
                            err(
                                &format!("{p}.scale"),
                                format!("unknown scale '{}'", s.scale),
                            );
                        }
                    }
                    if f == ItemFormat::ForcedChoice && st.len() == 2 && st[0].scale == st[1].scale
                    {
                        err(
                            "statements",
                            "the two statements of a forced-choice pair must belong to different scales".into(),
                        );
                    }
                }
            }
        }

        if f == ItemFormat::NumericEntry {
            match self.answer {
                None => err("answer", "required for numeric_entry items".into()),
                Some(a) if !a.is_finite() => err("answer", "must be a finite number".into()),
                _ => {}
            }
            if let Some(t) = self.tolerance {
                if !t.is_finite() || t < 0.0 {
                    err("tolerance", "must be a number of at least 0".into());
                }
            }
        }
        errs
    }

    /// Scales this item counts towards.
    pub fn scale_codes(&self) -> Vec<&str> {
        match (&self.scale, &self.statements) {
            (Some(s), _) => vec![s.as_str()],
            (None, Some(st)) => st.iter().map(|s| s.scale.as_str()).collect(),
            (None, None) => Vec::new(),
        }
    }

    /// Names of the assets this item shows.
    pub fn asset_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.image.iter().map(String::as_str).collect();
        for o in self.options.iter().flatten() {
            out.extend(o.image.as_deref());
        }
        out
    }
}

/// Item codes: 1–40 of `A–Z a–z 0–9 _ -`.
pub fn is_item_code(s: &str) -> bool {
    is_code(s, 40, |b| {
        b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
    })
}

/// The form of option and statement ids, in words.
const OPTION_ID_FORM: &str = "1–8 of a–z 0–9";

fn is_option_id(s: &str) -> bool {
    is_code(s, 8, |b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ItemContext<'static> {
        ItemContext {
            scales: &["NUM", "A", "B"],
            assets: &["fig.svg"],
            has_likert_anchors: true,
        }
    }

    fn parse(json: &str) -> ItemDoc {
        serde_json::from_str(json).unwrap()
    }

    fn fields(errs: &[FieldError]) -> Vec<&str> {
        errs.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_well_formed_single_choice_item_has_no_problems() {
        let item = parse(
            r#"{"code":"NS-01","format":"single_choice","scale":"NUM","stem":{"id":"2, 4, 8, …"},
                "options":[{"id":"a","text":{"id":"16"}},{"id":"b","text":{"id":"12"}}],"key":"a"}"#,
        );
        assert_eq!(item.validate("items[0]", &ctx()), vec![]);
    }

    #[test]
    fn a_key_outside_the_options_is_named_with_item_and_field() {
        let item = parse(
            r#"{"code":"NS-04","format":"single_choice","scale":"NUM","stem":{"id":"?"},
                "options":[{"id":"a","text":{"id":"1"}},{"id":"b","text":{"id":"2"}}],"key":"e"}"#,
        );
        let errs = item.validate("items[3]", &ctx());
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].item.as_deref(), Some("NS-04"));
        assert_eq!(errs[0].field, "items[3].key");
        assert_eq!(errs[0].message, "key 'e' is not one of the options a, b");
    }

    #[test]
    fn weighted_options_need_a_weight_on_every_option() {
        let item = parse(
            r#"{"code":"S1","format":"weighted_options","scale":"A","stem":{"id":"?"},
                "options":[{"id":"a","text":{"id":"x"},"weight":4},{"id":"b","text":{"id":"y"}},
                           {"id":"c","text":{"id":"z"},"weight":11}]}"#,
        );
        assert_eq!(
            fields(&item.validate("items[0]", &ctx())),
            ["items[0].options[1].weight", "items[0].options[2].weight"]
        );
    }

    #[test]
    fn a_forced_choice_pair_of_one_scale_is_refused() {
        let item = parse(
            r#"{"code":"F1","format":"forced_choice","statements":[
                {"id":"a","text":{"id":"x"},"scale":"A"},{"id":"b","text":{"id":"y"},"scale":"A"}]}"#,
        );
        assert_eq!(
            fields(&item.validate("items[0]", &ctx())),
            ["items[0].statements"]
        );
    }

    #[test]
    fn a_most_least_block_needs_four_statements() {
        let item = parse(
            r#"{"code":"M1","format":"most_least","statements":[
                {"id":"a","text":{"id":"x"},"scale":"A"},{"id":"b","text":{"id":"y"},"scale":"B"}]}"#,
        );
        let errs = item.validate("items[0]", &ctx());
        assert_eq!(
            errs[0].message,
            "most_least items have exactly 4 statements, found 2"
        );
    }

    #[test]
    fn fields_of_another_format_are_refused() {
        let item = parse(
            r#"{"code":"L1","format":"likert","scale":"A","stem":{"id":"x"},"key":"a","reverse":true}"#,
        );
        assert_eq!(fields(&item.validate("items[0]", &ctx())), ["items[0].key"]);
    }

    #[test]
    fn unknown_scales_and_assets_are_named() {
        let item = parse(
            r#"{"code":"N1","format":"numeric_entry","scale":"ZZ","stem":{"id":"x"},"image":"nope.svg","answer":3,"tolerance":-1}"#,
        );
        assert_eq!(
            fields(&item.validate("items[0]", &ctx())),
            ["items[0].scale", "items[0].image", "items[0].tolerance"]
        );
    }

    #[test]
    fn likert_items_need_anchors_on_the_instrument() {
        let item = parse(r#"{"code":"L1","format":"likert","scale":"A","stem":{"id":"x"}}"#);
        let no_anchors = ItemContext {
            has_likert_anchors: false,
            ..ctx()
        };
        assert_eq!(
            fields(&item.validate("items[0]", &no_anchors)),
            ["items[0].format"]
        );
    }

    #[test]
    fn the_exchange_form_round_trips_without_adding_fields() {
        let json = r#"{"code":"L1","format":"likert","scale":"A","stem":{"id":"x","en":"y"},"reverse":true}"#;
        let item = parse(json);
        let back = serde_json::to_value(&item).unwrap();
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(json).unwrap()
        );
    }

    #[test]
    fn a_misspelt_field_is_refused_by_the_parser() {
        let r: Result<ItemDoc, _> = serde_json::from_str(
            r#"{"code":"L1","format":"likert","scale":"A","stem":{"id":"x"},"reverse_keyed":true}"#,
        );
        assert!(r.unwrap_err().to_string().contains("reverse_keyed"));
    }
}

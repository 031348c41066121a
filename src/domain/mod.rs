//! Pure domain types and rules: parsing of input into types that cannot be invalid, the item and
//! instrument model, norm conversions. No I/O, no actix, no SQL: everything here is unit-tested
//! without a server.
pub mod access_code;
pub mod account;
pub mod adaptive;
pub mod assessment;
pub mod attempt;
pub mod battery;
pub mod campaign;
pub mod campaign_edit;
pub mod competency;
pub mod csv_upload;
pub mod delivery;
pub mod discipline;
pub mod education;
pub mod enrolment;
pub mod framework;
pub mod ids;
pub mod instrument;
pub mod integrity;
pub mod irt;
pub mod item;
pub mod item_analysis;
pub mod job_standard;
pub mod nip;
pub mod norm_building;
pub mod norms;
pub mod performance;
pub mod practice;
pub mod scoring;
pub mod spreadsheet;
pub mod svg;
pub mod text;
pub mod time_zone;
pub mod yearly_record;

/// One problem found while validating a document, named by the item (when it concerns one) and the
/// field path inside the document, so an author can find and fix it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldError {
    /// The code of the item the problem concerns, when it concerns one.
    pub item: Option<String>,
    /// Path of the offending field, e.g. `items[3].key` or `scales[0].code`.
    pub field: String,
    /// What is wrong, in words an author understands.
    pub message: String,
    /// The 1-based line of an uploaded file (header included) the problem is on, for tabular
    /// uploads such as an enrolment CSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
}

impl FieldError {
    /// A problem with a field outside any item.
    pub fn top(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            item: None,
            field: field.into(),
            message: message.into(),
            row: None,
        }
    }

    /// A problem with a field of one item.
    pub fn item(item: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            item: Some(item.to_owned()),
            field: field.into(),
            message: message.into(),
            row: None,
        }
    }

    /// A problem with a column of one line of an uploaded file.
    pub fn row(row: usize, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            item: None,
            field: field.into(),
            message: message.into(),
            row: Some(row),
        }
    }
}

/// Whether `s` is 1..=max characters drawn from `allowed` (ASCII only).
pub(crate) fn is_code(s: &str, max: usize, allowed: impl Fn(u8) -> bool) -> bool {
    !s.is_empty() && s.len() <= max && s.bytes().all(allowed)
}

/// The identifiers of one list in a document (scale codes, asset names, option ids …), checked
/// in order: each must be well formed and appear once.
pub(crate) struct UniqueIds<'a> {
    /// What one identifier is called, e.g. `scale code`.
    what: &'static str,
    /// The form it must have, in words, e.g. `1–40 of A–Z a–z 0–9 _ -`.
    form: &'static str,
    well_formed: fn(&str) -> bool,
    seen: Vec<&'a str>,
}

impl<'a> UniqueIds<'a> {
    /// An empty list of identifiers called `what`, of the `form` that `well_formed` checks.
    pub(crate) fn new(
        what: &'static str,
        form: &'static str,
        well_formed: fn(&str) -> bool,
    ) -> Self {
        Self {
            what,
            form,
            well_formed,
            seen: Vec::new(),
        }
    }

    /// What is wrong with the next identifier (malformed, or a duplicate), if anything; it is
    /// remembered either way.
    pub(crate) fn check(&mut self, id: &'a str) -> Option<String> {
        let problem = if !(self.well_formed)(id) {
            Some(format!(
                "'{id}' is not a valid {} ({})",
                self.what, self.form
            ))
        } else if self.seen.contains(&id) {
            Some(format!("duplicate {} '{id}'", self.what))
        } else {
            None
        };
        self.seen.push(id);
        problem
    }

    /// Every identifier checked so far, in order.
    pub(crate) fn seen(&self) -> &[&'a str] {
        &self.seen
    }
}

//! What the imports of yearly records per NIP share (performance ratings, discipline records):
//! the reply, the file's fingerprint, the refusal, the person a lookup names, and the OpenAPI
//! shapes of their coded values.
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};

use crate::domain::csv_upload::RowError;
use crate::domain::nip::Nip;
use crate::domain::yearly_record::{Change, Tally, Year};
use crate::error::{ApiError, ErrorCode};

/// What an import did, or would do in a dry run.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    /// Whether this was only a check: nothing was stored.
    pub dry_run: bool,
    /// Records in the file.
    pub rows: usize,
    /// Records of a person and year that had none (created, or that would be).
    pub created: usize,
    /// Records that replace a different one of the same person and year.
    pub replaced: usize,
    /// Records equal to the one stored: nothing changes for them.
    pub unchanged: usize,
    /// SHA-256 of the file as uploaded, in hex: the audit log names the file by it.
    #[schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    pub file_sha256: String,
}

impl ImportOutcome {
    pub(super) fn new(dry_run: bool, rows: usize, tally: Tally, file: &[u8]) -> Self {
        Self {
            dry_run,
            rows,
            created: tally.created,
            replaced: tally.replaced,
            unchanged: tally.unchanged,
            file_sha256: hex::encode(Sha256::digest(file)),
        }
    }

    /// The counts and the file, as the audit entry records them.
    pub(super) fn audit_after(&self) -> serde_json::Value {
        serde_json::json!({
            "rows": self.rows,
            "created": self.created,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "file_sha256": self.file_sha256,
        })
    }
}

/// What an import changes: the counts, the rows to write (created or replaced), and what the
/// replaced rows held before (for the audit).
pub(super) struct Plan<'r, R> {
    pub tally: Tally,
    pub write: Vec<&'r R>,
    pub replaced: Vec<serde_json::Value>,
}

/// The plan of importing `rows` where `stored` holds the organisation's records of their NIPs by
/// (NIP, year); `key` and `value` read a row's, and `what` names the value in the audit entry.
pub(super) fn plan<'r, R, V: PartialEq + Serialize>(
    rows: &'r [R],
    stored: &HashMap<(String, Year), V>,
    key: impl Fn(&R) -> (&Nip, Year),
    value: impl Fn(&R) -> &V,
    what: &str,
) -> Plan<'r, R> {
    let mut plan = Plan {
        tally: Tally::default(),
        write: Vec::new(),
        replaced: Vec::new(),
    };
    for row in rows {
        let (nip, year) = key(row);
        let before = stored.get(&(nip.as_str().to_owned(), year));
        let change = Change::of(before, value(row));
        plan.tally.count(change);
        if change == Change::Replaced {
            plan.replaced.push(serde_json::json!({
                "nip": nip, "year": year, what: before,
            }));
        }
        if change != Change::Unchanged {
            plan.write.push(row);
        }
    }
    plan
}

/// The refusal of a whole file under `code`, with every problem by row and column.
pub(super) fn refused(code: ErrorCode, file: &str, errors: Vec<RowError>) -> ApiError {
    let errors: Vec<_> = errors.into_iter().map(RowError::into_field_error).collect();
    ApiError::with_errors(
        code,
        format!(
            "the {file} file has {} problem(s); nothing was imported",
            errors.len()
        ),
        errors,
    )
}

/// The person a lookup's `?nip=` names: a missing or malformed NIP is a bad query.
pub(crate) fn person(nip: Option<&str>, today: NaiveDate) -> Result<Nip, ApiError> {
    let nip = nip.ok_or_else(|| {
        ApiError::new(
            ErrorCode::InvalidQuery,
            "name the person: ?nip=<the 18 digits of the NIP>",
        )
    })?;
    Nip::parse_as_of(nip, today)
        .map_err(|m| ApiError::new(ErrorCode::InvalidQuery, format!("nip: {m}")))
}

/// A string that is one of `codes`, described as `description`.
pub(crate) fn one_of(description: &str, codes: impl IntoIterator<Item = &'static str>) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes))
        .description(Some(description))
        .into()
}

/// One of `codes`, or null, described as `description`.
pub(crate) fn one_of_or_null(
    description: &str,
    codes: impl IntoIterator<Item = &'static str>,
) -> Schema {
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(codes)),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some(description))
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_names_the_file_by_its_sha256() {
        let tally = Tally {
            created: 1,
            replaced: 2,
            unchanged: 3,
        };
        let out = ImportOutcome::new(true, 6, tally, b"test");
        assert_eq!(
            out.file_sha256,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
        assert_eq!(
            out.audit_after(),
            serde_json::json!({"rows": 6, "created": 1, "replaced": 2, "unchanged": 3,
                "file_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"})
        );
    }

    #[test]
    fn a_lookup_without_a_valid_nip_is_a_bad_query() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(
            person(None, today).unwrap_err().code,
            ErrorCode::InvalidQuery
        );
        let e = person(Some("12345"), today).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                ErrorCode::InvalidQuery,
                "nip: the NIP must have 18 digits, found 5"
            )
        );
        assert_eq!(
            person(Some("19850315 201012 1 001"), today)
                .unwrap()
                .as_str(),
            "198503152010121001"
        );
    }

    #[test]
    fn coded_values_are_documented_as_their_codes() {
        let schema = serde_json::to_value(one_of("A or B.", ["a", "b"])).unwrap();
        assert_eq!(
            schema,
            serde_json::json!({"type": "string", "enum": ["a", "b"], "description": "A or B."})
        );
        let schema = serde_json::to_value(one_of_or_null("A.", ["a"])).unwrap();
        assert_eq!(schema["description"], "A.");
        assert_eq!(
            schema["oneOf"],
            serde_json::json!([{"type": "string", "enum": ["a"]}, {"type": "null"}])
        );
    }
}

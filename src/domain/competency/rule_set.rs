//! The rule documents an organisation keeps, by kind, each kind versioned on its own: the
//! evidence mapping, the JPM rule, the category schemes, the 9-box rule, the IP ASN rule and the
//! development routes. A new version is a whole document; the server numbers it (the version in
//! the document is set to the stored one), so a result that records a version can always be
//! recomputed with exactly the document it used.
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::development::DevelopmentRule;
use super::evidence::EvidenceMapping;
use super::ip_asn::IpAsnRule;
use super::jpm::{CategoryScheme, JpmRule};
use super::nine_box::NineBoxRule;
use super::{parse_rule, version_problem, RuleDocument, RuleError};
use crate::domain::FieldError;

/// The kinds of rule document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// How each competency's level follows from scale scores ([`EvidenceMapping`]).
    EvidenceMapping,
    /// How the Job Person Match is computed ([`JpmRule`]).
    Jpm,
    /// The JPM category schemes ([`CategorySchemes`]).
    CategorySchemes,
    /// The 9-box placement ([`NineBoxRule`]).
    NineBox,
    /// The professionalism index ([`IpAsnRule`]).
    IpAsn,
    /// Development routes and the fast track ([`DevelopmentRule`]).
    Development,
}

impl RuleKind {
    /// Every kind, in the order pages list them.
    pub const ALL: [RuleKind; 6] = [
        RuleKind::EvidenceMapping,
        RuleKind::Jpm,
        RuleKind::CategorySchemes,
        RuleKind::NineBox,
        RuleKind::IpAsn,
        RuleKind::Development,
    ];

    /// The kind's name in paths and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::EvidenceMapping => "evidence_mapping",
            RuleKind::Jpm => "jpm",
            RuleKind::CategorySchemes => "category_schemes",
            RuleKind::NineBox => "nine_box",
            RuleKind::IpAsn => "ip_asn",
            RuleKind::Development => "development",
        }
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The seeded default document of this kind, as version 1.
    pub fn defaults(self) -> Value {
        let v = match self {
            RuleKind::EvidenceMapping => serde_json::to_value(EvidenceMapping::defaults()),
            RuleKind::Jpm => serde_json::to_value(JpmRule::defaults()),
            RuleKind::CategorySchemes => serde_json::to_value(CategorySchemes::defaults()),
            RuleKind::NineBox => serde_json::to_value(NineBoxRule::defaults()),
            RuleKind::IpAsn => serde_json::to_value(IpAsnRule::defaults()),
            RuleKind::Development => serde_json::to_value(DevelopmentRule::defaults()),
        };
        with_version(self, v.expect("a default rule document serialises"), 1)
    }

    /// Checks `bytes` as a document of this kind that is to be stored as `version`: the version
    /// is set first, then the document is parsed and validated whole. Returns the document as it
    /// will be stored.
    pub fn check(self, bytes: &[u8], version: u32) -> Result<Value, RuleError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| RuleError::Syntax(e.to_string()))?;
        if !value.is_object() {
            return Err(RuleError::Invalid(vec![FieldError::top(
                "",
                "a rule document is a JSON object",
            )]));
        }
        let value = with_version(self, value, version);
        let bytes = serde_json::to_vec(&value).map_err(|e| RuleError::Syntax(e.to_string()))?;
        match self {
            RuleKind::EvidenceMapping => stored::<EvidenceMapping>(&bytes),
            RuleKind::Jpm => stored::<JpmRule>(&bytes),
            RuleKind::CategorySchemes => stored::<CategorySchemes>(&bytes),
            RuleKind::NineBox => stored::<NineBoxRule>(&bytes),
            RuleKind::IpAsn => stored::<IpAsnRule>(&bytes),
            RuleKind::Development => stored::<DevelopmentRule>(&bytes),
        }
    }
}

fn stored<T: RuleDocument>(bytes: &[u8]) -> Result<Value, RuleError> {
    let doc: T = parse_rule(bytes)?;
    serde_json::to_value(doc).map_err(|e| RuleError::Syntax(e.to_string()))
}

/// `value` with its version set to `version` (for the schemes, each scheme's too).
fn with_version(kind: RuleKind, mut value: Value, version: u32) -> Value {
    if let Some(o) = value.as_object_mut() {
        o.insert("version".into(), Value::from(version));
        if kind == RuleKind::CategorySchemes {
            if let Some(Value::Array(schemes)) = o.get_mut("schemes") {
                for s in schemes.iter_mut().filter_map(Value::as_object_mut) {
                    s.insert("version".into(), Value::from(version));
                }
            }
        }
    }
    value
}

/// The JPM category schemes an organisation offers its campaigns, as one versioned document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorySchemes {
    /// The document's version (each scheme carries the same).
    pub version: u32,
    /// The schemes, each with a code unique in the list.
    pub schemes: Vec<CategoryScheme>,
}

impl CategorySchemes {
    /// The two seeded schemes of DOMAIN.md: mapping and eligibility.
    pub fn defaults() -> Self {
        Self {
            version: 1,
            schemes: CategoryScheme::defaults(),
        }
    }

    /// The scheme with `code`.
    pub fn get(&self, code: &str) -> Option<&CategoryScheme> {
        self.schemes.iter().find(|s| s.code == code)
    }
}

impl RuleDocument for CategorySchemes {
    fn version(&self) -> u32 {
        self.version
    }

    fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        version_problem(self.version, &mut errs);
        if self.schemes.is_empty() {
            errs.push(FieldError::top("schemes", "needs at least one scheme"));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, s) in self.schemes.iter().enumerate() {
            if !seen.insert(s.code.as_str()) {
                errs.push(FieldError::top(
                    format!("schemes[{i}].code"),
                    format!("the scheme code '{}' is used twice", s.code),
                ));
            }
            for e in s.validate() {
                errs.push(FieldError {
                    field: format!("schemes[{i}].{}", e.field),
                    ..e
                });
            }
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_name_that_parses_back_and_a_valid_default_as_version_one() {
        for kind in RuleKind::ALL {
            assert_eq!(RuleKind::parse(kind.as_str()), Some(kind));
            let doc = kind.defaults();
            assert_eq!(doc["version"], 1, "{kind:?}");
            let bytes = serde_json::to_vec(&doc).unwrap();
            assert_eq!(kind.check(&bytes, 1).unwrap(), doc, "{kind:?}");
        }
        assert_eq!(RuleKind::parse("nine-box"), None);
    }

    #[test]
    fn a_checked_document_takes_the_version_it_is_stored_as_the_schemes_each_too() {
        let doc = serde_json::to_vec(&RuleKind::CategorySchemes.defaults()).unwrap();
        let stored = RuleKind::CategorySchemes.check(&doc, 4).unwrap();
        assert_eq!(stored["version"], 4);
        for s in stored["schemes"].as_array().unwrap() {
            assert_eq!(s["version"], 4);
        }
    }

    #[test]
    fn a_bad_document_is_refused_with_each_problem_by_field() {
        let mut doc = RuleKind::CategorySchemes.defaults();
        doc["schemes"][1]["code"] = doc["schemes"][0]["code"].clone();
        let bytes = serde_json::to_vec(&doc).unwrap();
        let Err(RuleError::Invalid(errs)) = RuleKind::CategorySchemes.check(&bytes, 2) else {
            panic!("refused")
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["schemes[1].code"]);
        assert!(matches!(
            RuleKind::Jpm.check(b"[1, 2]", 2),
            Err(RuleError::Invalid(_))
        ));
        assert!(matches!(
            RuleKind::Jpm.check(b"{not json", 2),
            Err(RuleError::Syntax(_))
        ));
    }
}

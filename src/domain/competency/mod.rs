//! The competency rules of issue 12: from test scores to competency levels, from levels to Job
//! Person Match and gaps, the talent map (9-box), the professionalism index (IP ASN), rankings and
//! development needs. Sources: PermenPANRB 38/2017 (competency standards), 3/2020 (talent
//! management), 6/2022 (SKP), 38/2018 (IP ASN), as summarised in `DOMAIN.md`.
//!
//! Every threshold, weight, cut score and mapping lives in a **rule document**: a serde document
//! with a `version: u32`, a `validate()` that names each problem by its field path, and a
//! `defaults()` that gives the seeded default (also kept as JSON under `src/seed/competency/`).
//! Each result names the version of every rule that produced it, so a stored result can be
//! recomputed exactly from its inputs and the stored rule versions.
//!
//! | document | module | what it decides |
//! |---|---|---|
//! | [`evidence::EvidenceMapping`] | `evidence` | which scale scores measure a competency, and the level they give |
//! | [`jpm::JpmRule`] | `jpm` | how achieved and required levels become a JPM % |
//! | [`jpm::CategoryScheme`] | `jpm` | the JPM category (mapping, eligibility) |
//! | [`nine_box::NineBoxRule`] | `nine_box` | performance and potential axes and the box numbers |
//! | [`ip_asn::IpAsnRule`] | `ip_asn` | the points of the four IP ASN dimensions and its category |
//! | [`development::DevelopmentRule`] | `development` | development routes and the fast-track share |
//!
//! Competencies are named by code strings (`INT`, `KS`, `KOM`, `OPH`, `PP`, `PDOL`, `MP`, `PK`,
//! `PB` for the nine managerial and socio-cultural ones; organisations add technical codes) and a
//! job standard is a map code → required [`Level`].
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::FieldError;

mod bands;
pub mod development;
pub mod evidence;
pub mod ip_asn;
pub mod jpm;
pub mod nine_box;
pub mod ranking;
pub mod rule_set;
pub mod scores;
pub mod skp;

pub use bands::CategoryBand;

/// The nine managerial and socio-cultural competencies of PermenPANRB 38/2017, by the codes the
/// seeded documents use: Integritas, Kerja Sama, Komunikasi, Orientasi pada Hasil, Pelayanan
/// Publik, Pengembangan Diri dan Orang Lain, Mengelola Perubahan, Pengambilan Keputusan, Perekat
/// Bangsa. Only the seeded defaults read it; the rules read the codes from their documents.
pub const MANAGERIAL_SOCIO_CULTURAL: [&str; 9] =
    ["INT", "KS", "KOM", "OPH", "PP", "PDOL", "MP", "PK", "PB"];

/// A proficiency level of a competency, 1 to 5 (PermenPANRB 38/2017). Serialised as the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Level(u8);

impl Level {
    /// The lowest level.
    pub const MIN: u8 = 1;
    /// The highest level.
    pub const MAX: u8 = 5;

    /// The level `n`, if it is 1 to 5.
    pub fn new(n: u8) -> Result<Self, String> {
        if (Self::MIN..=Self::MAX).contains(&n) {
            Ok(Self(n))
        } else {
            Err(format!("{n} is not a competency level: levels are 1 to 5"))
        }
    }

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The level nearest to a value on the level scale, halves rounded up (3.5 → 4) and kept
    /// within 1–5: how a mean of ratings or a combined value becomes a level.
    pub fn nearest(x: f64) -> Self {
        Self((x + 0.5).floor().clamp(1.0, 5.0) as u8)
    }
}

impl TryFrom<u8> for Level {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Self::new(n)
    }
}

impl From<Level> for u8 {
    fn from(level: Level) -> u8 {
        level.0
    }
}

/// The two groups a JPM can weight against each other (DOMAIN.md: "technical vs
/// managerial+socio-cultural").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompetencyGroup {
    /// Kompetensi teknis: per job, defined by the organisation.
    Technical,
    /// Kompetensi manajerial and sosial kultural: the nine of PermenPANRB 38/2017.
    ManagerialSocioCultural,
}

/// A competency code: 1–20 of `A–Z 0–9 _ -`.
pub fn is_competency_code(s: &str) -> bool {
    super::is_code(s, 20, |b| {
        b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
    })
}

/// The form of a competency code, in words.
pub(crate) const COMPETENCY_CODE_FORM: &str = "1–20 of A–Z 0–9 _ -";

/// Most decimals a rule may round a score to.
pub const MAX_DECIMALS: u8 = 6;

/// Rounds `x` to `decimals` places, halves away from zero, as the decimal number a person reads:
/// binary noise below 10⁻⁶ of the last kept place is dropped first, so 89.995 (stored as
/// 89.99499999999999…) rounds to 90.00 as it would on paper. Categories are read from rounded
/// values, so the category always agrees with the number shown.
pub fn round_to(x: f64, decimals: u8) -> f64 {
    let scale = 10f64.powi(i32::from(decimals));
    let scaled = x * scale;
    let cleaned = (scaled * 1e6).round() / 1e6;
    // `+ 0.0` turns a rounded −0 into 0, so a stored number has one spelling.
    cleaned.round() / scale + 0.0
}

/// What every rule document offers: a version and a check that names each problem by field path.
pub trait RuleDocument: Serialize + DeserializeOwned {
    /// The version of this document; results record it.
    fn version(&self) -> u32;
    /// Every problem of the document (empty when it is valid).
    fn validate(&self) -> Vec<FieldError>;
}

/// Why a rule document was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleError {
    /// Not JSON at all.
    Syntax(String),
    /// JSON, but with problems; every problem found is listed, each with its field path.
    Invalid(Vec<FieldError>),
}

/// Parses and validates a rule document. Structural problems (wrong types, unknown fields) stop at
/// the first one, as a parser must; every semantic problem is then collected.
pub fn parse_rule<T: RuleDocument>(bytes: &[u8]) -> Result<T, RuleError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| RuleError::Syntax(e.to_string()))?;
    let doc: T = serde_path_to_error::deserialize(&value).map_err(|e| {
        RuleError::Invalid(vec![FieldError::top(
            e.path().to_string(),
            e.into_inner().to_string(),
        )])
    })?;
    let errs = doc.validate();
    if errs.is_empty() {
        Ok(doc)
    } else {
        Err(RuleError::Invalid(errs))
    }
}

/// The problem of a document version, if any: versions start at 1.
pub(crate) fn version_problem(version: u32, errs: &mut Vec<FieldError>) {
    if version == 0 {
        errs.push(FieldError::top("version", "the version must be at least 1"));
    }
}

/// The problem of a `decimals` field, if any.
pub(crate) fn decimals_problem(field: &str, decimals: u8, errs: &mut Vec<FieldError>) {
    if decimals > MAX_DECIMALS {
        errs.push(FieldError::top(
            field,
            format!("must be from 0 to {MAX_DECIMALS}"),
        ));
    }
}

/// The problem of a weight, if any: a finite number above 0.
pub(crate) fn weight_problem(field: String, weight: f64, errs: &mut Vec<FieldError>) {
    if !weight.is_finite() || weight <= 0.0 {
        errs.push(FieldError::top(field, "must be a number above 0"));
    }
}

/// Σ wᵢxᵢ ÷ Σ wᵢ over the pairs given; `None` for none (or weights summing to 0).
pub(crate) fn weighted_mean(pairs: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut sum, mut weights) = (0.0, 0.0);
    for (x, w) in pairs {
        sum += w * x;
        weights += w;
    }
    (weights > 0.0).then(|| sum / weights)
}

#[cfg(test)]
pub(crate) mod test_support {
    /// A seed file's text must be the pretty JSON of the default it documents, byte for byte (a
    /// trailing newline aside), so the shipped seed and `defaults()` cannot drift apart and the
    /// serialisation of a rule is stable.
    pub fn assert_seed_is(seed: &str, default: &impl serde::Serialize) {
        let pretty = serde_json::to_string_pretty(default).unwrap();
        assert_eq!(
            seed.trim_end(),
            pretty,
            "the seed file differs from defaults()"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_level_rounds_halves_up_and_stays_within_one_to_five() {
        let n = |x| Level::nearest(x).get();
        assert_eq!((n(3.5), n(3.49), n(2.5), n(0.2), n(5.7)), (4, 3, 3, 1, 5));
    }

    #[test]
    fn a_level_is_one_to_five_and_serialises_as_its_number() {
        assert_eq!(Level::new(3).map(Level::get), Ok(3));
        assert!(Level::new(0).is_err());
        assert!(Level::new(6).is_err());
        assert_eq!(serde_json::to_string(&Level::new(4).unwrap()).unwrap(), "4");
        assert!(serde_json::from_str::<Level>("6").is_err());
    }

    #[test]
    fn rounding_reads_the_decimal_number_and_rounds_halves_up() {
        // 89.995 is stored as 89.99499999999999…; on paper it rounds to 90.00.
        assert_eq!(round_to(89.995, 2), 90.0);
        assert_eq!(round_to(2600.0 / 27.0, 2), 96.3);
        assert_eq!(round_to(2.0 / 3.0, 2), 0.67);
        assert_eq!(round_to(77.994, 2), 77.99);
        assert_eq!(round_to(-0.001, 2).to_string(), "0");
        assert_eq!(round_to(90.5, 0), 91.0);
    }

    #[test]
    fn a_weighted_mean_weighs_each_score_and_is_none_without_any() {
        // (2·40 + 1·70) ÷ 3 = 50.
        assert_eq!(weighted_mean([(40.0, 2.0), (70.0, 1.0)]), Some(50.0));
        assert_eq!(weighted_mean(std::iter::empty()), None);
    }

    #[test]
    fn competency_codes_are_short_upper_case_words() {
        assert!(is_competency_code("PDOL"));
        assert!(is_competency_code("TEK-01"));
        assert!(!is_competency_code("int"));
        assert!(!is_competency_code(""));
    }
}

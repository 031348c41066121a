//! Highest completed education, one of the columns of the participants file and an attribute a
//! campaign's norm rules can choose a norm group by.
use serde::{Deserialize, Serialize};

/// Highest completed education, as Indonesian HR records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Education {
    /// Sekolah Dasar (primary).
    #[serde(rename = "SD")]
    Sd,
    /// Sekolah Menengah Pertama (junior secondary).
    #[serde(rename = "SMP")]
    Smp,
    /// Sekolah Menengah Atas (senior secondary).
    #[serde(rename = "SMA")]
    Sma,
    /// Sekolah Menengah Kejuruan (vocational senior secondary), common among ASN and kept apart
    /// from SMA so a norm rule can tell them apart.
    #[serde(rename = "SMK")]
    Smk,
    /// Diploma 1.
    #[serde(rename = "D1")]
    D1,
    /// Diploma 2.
    #[serde(rename = "D2")]
    D2,
    /// Diploma 3.
    #[serde(rename = "D3")]
    D3,
    /// Diploma 4 (applied bachelor).
    #[serde(rename = "D4")]
    D4,
    /// Sarjana (bachelor).
    #[serde(rename = "S1")]
    S1,
    /// Magister (master).
    #[serde(rename = "S2")]
    S2,
    /// Doktor (doctorate).
    #[serde(rename = "S3")]
    S3,
}

impl Education {
    /// Every level, lowest first.
    pub const ALL: [Education; 11] = [
        Education::Sd,
        Education::Smp,
        Education::Sma,
        Education::Smk,
        Education::D1,
        Education::D2,
        Education::D3,
        Education::D4,
        Education::S1,
        Education::S2,
        Education::S3,
    ];

    /// The canonical upper-case name, as stored and serialised.
    pub fn as_str(&self) -> &'static str {
        match self {
            Education::Sd => "SD",
            Education::Smp => "SMP",
            Education::Sma => "SMA",
            Education::Smk => "SMK",
            Education::D1 => "D1",
            Education::D2 => "D2",
            Education::D3 => "D3",
            Education::D4 => "D4",
            Education::S1 => "S1",
            Education::S2 => "S2",
            Education::S3 => "S3",
        }
    }

    /// Parses a level in any case, ignoring surrounding spaces.
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim();
        Education::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| {
                format!(
                    "'{t}' is not an education level: expected one of \
                     SD, SMP, SMA, SMK, D1, D2, D3, D4, S1, S2, S3"
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_parses_in_any_case_and_serialises_upper_case() {
        assert_eq!(Education::parse(" d4 "), Ok(Education::D4));
        assert_eq!(serde_json::to_string(&Education::Smp).unwrap(), r#""SMP""#);
    }
}

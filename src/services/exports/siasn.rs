//! The SIASN-keyed export: one line per assessed participant, keyed by NIP, with what the national
//! HR system (SIASN) keeps of a competency assessment — the assessment date, method and provider,
//! each competency's level and required level, the JPM, its category under each scheme and the
//! potential score (DOMAIN.md "Identifiers and data exchange"; SIASN publishes no import format,
//! so the columns are named plainly and documented in the README).
//!
//! Semicolon-separated like every CSV meritest writes (Indonesian spreadsheets open it as
//! columns), UTF-8, dates as `YYYY-MM-DD` in the campaign's time zone, numbers with a decimal
//! point, every text cell through `text_cell` so nothing runs as a formula. Written line by line
//! to a temporary file.
use std::collections::HashMap;
use std::io::Write;

use serde::Deserialize;

use crate::domain::spreadsheet::text_cell;
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::services::campaigns::CampaignView;
use crate::services::competency_results::CampaignCompetencies;
use crate::services::results::CampaignResults;

/// The longest method or provider label.
pub const MAX_LABEL: usize = 200;

/// How and by whom the assessment was made, as the export names them.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Labels {
    /// The assessment method (1–200 characters); by default "Tes psikometri daring: " and the
    /// battery's name.
    pub method: Option<String>,
    /// The provider (1–200 characters); by default the organisation's name.
    pub provider: Option<String>,
}

impl Labels {
    /// The labels trimmed, or every problem with them.
    pub fn checked(self) -> Result<Self, ApiError> {
        let mut errs = Vec::new();
        let mut check = |field: &str, v: Option<String>| {
            let v = v.map(|s| s.trim().to_owned());
            if let Some(s) = &v {
                let n = s.chars().count();
                if n == 0 || n > MAX_LABEL {
                    errs.push(FieldError::top(
                        field,
                        format!("must be 1 to {MAX_LABEL} characters"),
                    ));
                } else if s.chars().any(char::is_control) {
                    errs.push(FieldError::top(field, "must not hold control characters"));
                }
            }
            v
        };
        let method = check("method", self.method);
        let provider = check("provider", self.provider);
        if errs.is_empty() {
            Ok(Self { method, provider })
        } else {
            Err(ApiError::with_errors(
                ErrorCode::InvalidQuery,
                "the export's labels are not valid",
                errs,
            ))
        }
    }
}

/// The method named when none is given.
pub fn default_method(battery: &str) -> String {
    format!("Tes psikometri daring: {battery}")
}

/// What the export shows.
pub struct SiasnData<'a> {
    /// The campaign (its sessions give the assessment dates, its zone the calendar).
    pub campaign: &'a CampaignView,
    /// Its scale results (each participant's session).
    pub results: &'a CampaignResults,
    /// Its competency results.
    pub competencies: &'a CampaignCompetencies,
    /// The method label.
    pub method: &'a str,
    /// The provider label.
    pub provider: &'a str,
}

/// The header line's columns, in order: fixed ones, then `<CODE>_level` and `<CODE>_standar` per
/// competency, then `jpm`, `kategori_<scheme>` per scheme, `skor_potensi` and `kotak_9box`.
pub fn header(codes: &[String], schemes: &[String]) -> Vec<String> {
    let mut h: Vec<String> = [
        "nip",
        "nama",
        "tanggal_asesmen",
        "metode",
        "penyelenggara",
        "jenjang_jabatan",
        "jabatan",
        "unit_kerja",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for c in codes {
        h.push(format!("{c}_level"));
        h.push(format!("{c}_standar"));
    }
    h.push("jpm".into());
    h.extend(schemes.iter().map(|s| format!("kategori_{s}")));
    h.push("skor_potensi".into());
    h.push("kotak_9box".into());
    h
}

fn number(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The lines of the export (header first), one per participant with competency levels.
pub fn lines(data: &SiasnData<'_>) -> Vec<Vec<String>> {
    let c = data.competencies;
    let codes = c.competency_codes();
    let schemes = c.scheme_codes();
    let session_of: HashMap<uuid::Uuid, Option<uuid::Uuid>> = data
        .results
        .participants
        .iter()
        .map(|p| (p.participant.id, p.participant.session))
        .collect();
    let mut out = vec![header(&codes, &schemes)];
    for p in c.participants.iter().filter(|p| !p.levels.is_empty()) {
        let date = data
            .campaign
            .assessment_date(session_of.get(&p.participant).copied().flatten());
        let mut line = vec![
            p.nip.clone(),
            text_cell(&p.name),
            date.format("%Y-%m-%d").to_string(),
            text_cell(data.method),
            text_cell(data.provider),
            text_cell(&p.job_level),
            p.position.as_deref().map(text_cell).unwrap_or_default(),
            p.unit.as_deref().map(text_cell).unwrap_or_default(),
        ];
        for code in &codes {
            let level = p
                .levels
                .iter()
                .find(|l| &l.computed.competency == code)
                .and_then(|l| l.effective());
            line.push(level.map(|l| l.get().to_string()).unwrap_or_default());
            let required = p.standard.as_ref().and_then(|s| s.required.get(code));
            line.push(required.map(u8::to_string).unwrap_or_default());
        }
        line.push(number(p.jpm_percent()));
        for scheme in &schemes {
            line.push(
                p.categories
                    .iter()
                    .find(|c| &c.scheme == scheme)
                    .map(|c| text_cell(&c.category))
                    .unwrap_or_default(),
            );
        }
        line.push(number(p.potential_score()));
        line.push(
            crate::services::competency_results::box_of(p)
                .map(|b| b.to_string())
                .unwrap_or_default(),
        );
        out.push(line);
    }
    out
}

/// Writes the export to a new temporary file and returns it.
pub fn write(data: &SiasnData<'_>) -> Result<tempfile::NamedTempFile, ApiError> {
    let file = tempfile::Builder::new()
        .prefix("meritest-siasn-")
        .suffix(".csv")
        .tempfile()
        .map_err(ApiError::internal)?;
    let out = std::io::BufWriter::new(file.reopen().map_err(ApiError::internal)?);
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    for line in lines(data) {
        w.write_record(&line).map_err(ApiError::internal)?;
    }
    let mut out = w
        .into_inner()
        .map_err(|e| ApiError::internal(e.into_error()))?;
    out.flush().map_err(ApiError::internal)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_each_competency_twice_then_the_jpm_the_categories_and_the_potential() {
        let h = header(
            &["INT".into(), "KS".into()],
            &["eligibility".into(), "mapping".into()],
        );
        assert_eq!(
            h,
            [
                "nip",
                "nama",
                "tanggal_asesmen",
                "metode",
                "penyelenggara",
                "jenjang_jabatan",
                "jabatan",
                "unit_kerja",
                "INT_level",
                "INT_standar",
                "KS_level",
                "KS_standar",
                "jpm",
                "kategori_eligibility",
                "kategori_mapping",
                "skor_potensi",
                "kotak_9box"
            ]
        );
    }

    #[test]
    fn labels_are_trimmed_and_an_empty_long_or_control_label_is_refused_by_name() {
        let ok = Labels {
            method: Some("  Asesmen daring ".into()),
            provider: None,
        }
        .checked()
        .unwrap();
        assert_eq!(ok.method.as_deref(), Some("Asesmen daring"));
        let err = Labels {
            method: Some(" ".into()),
            provider: Some(format!("a\u{7}{}", "b".repeat(5))),
        }
        .checked()
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidQuery);
        let errors = serde_json::to_value(&err.errors).unwrap();
        let fields: Vec<&str> = errors
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["method", "provider"]);
        assert!(Labels {
            method: Some("m".repeat(MAX_LABEL + 1)),
            provider: None
        }
        .checked()
        .is_err());
    }
}

//! The results as an Excel workbook: a summary sheet, one row per participant with every scale's
//! raw score, percentile, T and norm table, and a sheet that documents what produced the numbers
//! (instrument versions, norm tables, scoring versions, the campaign's norm rule).
//!
//! The participants' sheet is written row by row in rust_xlsxwriter's constant-memory mode (each
//! row goes to a temporary file as soon as the next begins), and the finished workbook is a
//! temporary file that the route streams out, so a large campaign's export is never held whole in
//! memory. Cells are typed: numbers are numbers, text is text (a text cell is never evaluated, so
//! nothing in it can run as a formula).
use std::collections::BTreeMap;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{CampaignResults, ScaleResult};
use crate::error::ApiError;
use crate::services::campaigns::CampaignView;

/// Sheet names, as Excel shows them on the tabs.
pub const SUMMARY_SHEET: &str = "Ringkasan";
/// The sheet with one row per participant.
pub const PARTICIPANTS_SHEET: &str = "Peserta";
/// The sheet that documents the rules and versions.
pub const RULES_SHEET: &str = "Aturan dan versi";

/// The columns before the scales on the participants' sheet.
pub const PARTICIPANT_COLUMNS: [&str; 9] = [
    "NIP",
    "Nama",
    "Unit kerja",
    "Jabatan",
    "Jenjang jabatan",
    "Pendidikan",
    "Status",
    "Jawaban tersimpan",
    "Kelompok norma",
];

/// The columns of each scale, after its `INSTRUMENT.SCALE` prefix.
pub const SCALE_COLUMNS: [&str; 5] = ["mentah", "persentil", "T", "stanin", "tabel norma"];

/// One scale of the battery: (instrument, scale), in the order the results first name them.
type ScaleKey = (String, String);

/// Writes the workbook of `results` to a new temporary file and returns it.
pub fn write(
    campaign: &CampaignView,
    results: &CampaignResults,
    generated_at: chrono::DateTime<chrono::Utc>,
) -> Result<tempfile::NamedTempFile, ApiError> {
    let file = tempfile::Builder::new()
        .prefix("meritest-results-")
        .suffix(".xlsx")
        .tempfile()
        .map_err(ApiError::internal)?;
    let mut book = Workbook::new();
    build(&mut book, campaign, results, generated_at).map_err(ApiError::internal)?;
    book.save(file.path()).map_err(ApiError::internal)?;
    Ok(file)
}

/// Every (instrument, scale) of the results, in the order they first appear.
fn scales_of(results: &CampaignResults) -> Vec<ScaleKey> {
    let mut seen = Vec::new();
    for p in &results.participants {
        for s in &p.scores {
            let key = (s.instrument.clone(), s.scale.clone());
            if !seen.contains(&key) {
                seen.push(key);
            }
        }
    }
    seen
}

fn build(
    book: &mut Workbook,
    campaign: &CampaignView,
    results: &CampaignResults,
    generated_at: chrono::DateTime<chrono::Utc>,
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let scales = scales_of(results);
    summary(book.add_worksheet(), &bold, campaign, results, generated_at)?;
    participants(
        book.add_worksheet_with_constant_memory(),
        &bold,
        results,
        &scales,
    )?;
    rules(book.add_worksheet(), &bold, campaign, results)?;
    Ok(())
}

fn summary(
    sheet: &mut Worksheet,
    bold: &Format,
    campaign: &CampaignView,
    results: &CampaignResults,
    generated_at: chrono::DateTime<chrono::Utc>,
) -> Result<(), XlsxError> {
    sheet.set_name(SUMMARY_SHEET)?;
    sheet.set_column_width(0, 34)?;
    sheet.set_column_width(1, 44)?;
    sheet.write_string_with_format(0, 0, "Hasil kampanye / Campaign results", bold)?;
    let p = &results.progress;
    let text_rows: [(&str, String); 4] = [
        ("Kampanye / Campaign", campaign.name.clone()),
        ("Dibuka / Opens (UTC)", campaign.opens_at.to_rfc3339()),
        ("Ditutup / Closes (UTC)", campaign.closes_at.to_rfc3339()),
        ("Dibuat / Generated (UTC)", generated_at.to_rfc3339()),
    ];
    let mut row = 2;
    for (label, value) in text_rows {
        sheet.write_string(row, 0, label)?;
        sheet.write_string(row, 1, value)?;
        row += 1;
    }
    row += 1;
    let counts: [(&str, usize); 6] = [
        ("Peserta / Participants", results.participants.len()),
        ("Belum mulai / Not started", p.not_started),
        ("Sedang mengerjakan / In progress", p.in_progress),
        ("Selesai / Finished", p.finished),
        ("Kedaluwarsa / Expired", p.expired),
        ("Dihentikan / Terminated", p.terminated),
    ];
    for (label, n) in counts {
        sheet.write_string(row, 0, label)?;
        sheet.write_number(row, 1, n as f64)?;
        row += 1;
    }
    Ok(())
}

fn participants(
    sheet: &mut Worksheet,
    bold: &Format,
    results: &CampaignResults,
    scales: &[ScaleKey],
) -> Result<(), XlsxError> {
    sheet.set_name(PARTICIPANTS_SHEET)?;
    let mut col = 0u16;
    for head in PARTICIPANT_COLUMNS {
        sheet.write_string_with_format(0, col, head, bold)?;
        col += 1;
    }
    for (instrument, scale) in scales {
        for part in SCALE_COLUMNS {
            sheet.write_string_with_format(0, col, format!("{instrument}.{scale} {part}"), bold)?;
            col += 1;
        }
    }
    let last_col = col.saturating_sub(1);
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 28)?;
    for (i, p) in results.participants.iter().enumerate() {
        let row = 1 + i as u32;
        let v = &p.participant;
        let texts = [
            Some(v.nip.as_str()),
            Some(v.name.as_str()),
            v.unit.as_deref(),
            v.position.as_deref(),
            Some(v.job_level.as_str()),
            Some(v.education.as_str()),
            Some(p.status.as_str()),
        ];
        for (c, t) in texts.iter().enumerate() {
            if let Some(t) = t {
                sheet.write_string(row, c as u16, *t)?;
            }
        }
        sheet.write_number(row, 7, p.responses as f64)?;
        if let Some(g) = &p.norm_group {
            sheet.write_string(row, 8, g)?;
        }
        let by_scale: BTreeMap<(&str, &str), &ScaleResult> = p
            .scores
            .iter()
            .map(|s| ((s.instrument.as_str(), s.scale.as_str()), s))
            .collect();
        for (k, (instrument, scale)) in scales.iter().enumerate() {
            let Some(s) = by_scale.get(&(instrument.as_str(), scale.as_str())) else {
                continue;
            };
            let base = PARTICIPANT_COLUMNS.len() as u16 + (k * SCALE_COLUMNS.len()) as u16;
            let numbers = [s.raw, s.pr, s.t, s.stanine.map(f64::from)];
            for (j, n) in numbers.iter().enumerate() {
                if let Some(n) = n {
                    sheet.write_number(row, base + j as u16, *n)?;
                }
            }
            if let Some(t) = s.norm_table {
                sheet.write_string(row, base + 4, t.to_string())?;
            }
        }
    }
    let last_row = results.participants.len() as u32;
    sheet.set_freeze_panes(1, 2)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

fn rules(
    sheet: &mut Worksheet,
    bold: &Format,
    campaign: &CampaignView,
    results: &CampaignResults,
) -> Result<(), XlsxError> {
    sheet.set_name(RULES_SHEET)?;
    let heads = [
        "Instrumen",
        "Versi instrumen",
        "Skala",
        "Kelompok norma",
        "Tabel norma",
        "Nama tabel norma",
        "Ilustratif",
        "Versi penskoran",
        "Peserta",
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, bold)?;
    }
    // One row per distinct combination that produced a score, with how many participants it served.
    type Key = (String, u32, String, String, String, String, String, String);
    let mut used: BTreeMap<Key, usize> = BTreeMap::new();
    for p in &results.participants {
        for s in &p.scores {
            let key = (
                s.instrument.clone(),
                s.instrument_version,
                s.scale.clone(),
                s.norm_group.clone().unwrap_or_default(),
                s.norm_table.map(|t| t.to_string()).unwrap_or_default(),
                s.norm_table_name
                    .as_ref()
                    .map(|t| t.id.clone())
                    .unwrap_or_default(),
                match s.illustrative {
                    Some(true) => "ya / yes".to_owned(),
                    Some(false) => "tidak / no".to_owned(),
                    None => String::new(),
                },
                s.scoring_version.clone(),
            );
            *used.entry(key).or_default() += 1;
        }
    }
    let mut row = 1u32;
    for ((instrument, version, scale, group, table, name, illustrative, scoring), n) in &used {
        sheet.write_string(row, 0, instrument)?;
        sheet.write_number(row, 1, f64::from(*version))?;
        sheet.write_string(row, 2, scale)?;
        for (c, t) in [
            (3, group),
            (4, table),
            (5, name),
            (6, illustrative),
            (7, scoring),
        ] {
            if !t.is_empty() {
                sheet.write_string(row, c, t)?;
            }
        }
        sheet.write_number(row, 8, *n as f64)?;
        row += 1;
    }
    row += 1;
    sheet.write_string_with_format(row, 0, "Aturan kelompok norma / Norm-group rule", bold)?;
    sheet.write_string(
        row + 1,
        0,
        serde_json::to_string(&campaign.norm_rule).unwrap_or_default(),
    )?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(4, 38)?;
    sheet.set_column_width(5, 30)?;
    Ok(())
}

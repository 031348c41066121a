//! The results as an Excel workbook: a summary sheet, one row per participant with their rank,
//! JPM, standard, categories, 9-box, IP ASN and each competency's level, required level and gap,
//! then every scale's raw score, percentile, T and norm table, and a sheet that documents what
//! produced the numbers (instrument versions, norm tables, scoring versions, the campaign's norm
//! rule, every competency rule document with its version, the job standards applied).
//!
//! The participants' sheet is written row by row in rust_xlsxwriter's constant-memory mode (each
//! row goes to a temporary file as soon as the next begins), and the finished workbook is a
//! temporary file that the route streams out, so a large campaign's export is never held whole in
//! memory. Cells are typed: numbers are numbers, text is text (a text cell is never evaluated, so
//! nothing in it can run as a formula).
use std::collections::BTreeMap;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::error::ApiError;
use crate::services::campaigns::CampaignView;
use crate::services::competency_results::{
    box_of, in_talent_pool, CampaignCompetencies, ParticipantCompetencies, RuleDocumentUsed,
};
use crate::services::results::{CampaignResults, ScaleResult};

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

/// The competency columns after the participant's, before the categories (one per scheme code,
/// `Kategori <scheme>`) and [`RESULT_COLUMNS`].
pub const COMPETENCY_COLUMNS: [&str; 4] = ["Peringkat", "JPM %", "Standar", "Versi standar"];

/// The columns after the categories, before each competency's three.
pub const RESULT_COLUMNS: [&str; 6] = [
    "Kotak 9-box",
    "Talent pool",
    "Skor potensi",
    "IP ASN",
    "Kategori IP ASN",
    "Fast track",
];

/// The columns of each competency, after its code.
pub const LEVEL_COLUMNS: [&str; 3] = ["level", "standar", "gap"];

/// A text cell holds at most this many characters in Excel.
const MAX_CELL: usize = 32_767;

/// The columns of each scale, after its `INSTRUMENT.SCALE` prefix.
pub const SCALE_COLUMNS: [&str; 5] = ["mentah", "persentil", "T", "stanin", "tabel norma"];

/// One scale of the battery: (instrument, scale), in the order the results first name them.
type ScaleKey = (String, String);

/// What a workbook shows.
pub struct WorkbookData<'a> {
    /// The campaign.
    pub campaign: &'a CampaignView,
    /// Its scale results.
    pub results: &'a CampaignResults,
    /// Its competency results, one per participant in the order of `results`.
    pub competencies: &'a CampaignCompetencies,
    /// The competency rule documents used.
    pub documents: &'a [RuleDocumentUsed],
    /// When it is made.
    pub generated_at: chrono::DateTime<chrono::Utc>,
}

/// Writes the workbook to a new temporary file and returns it.
pub fn write(data: &WorkbookData<'_>) -> Result<tempfile::NamedTempFile, ApiError> {
    let file = tempfile::Builder::new()
        .prefix("meritest-results-")
        .suffix(".xlsx")
        .tempfile()
        .map_err(ApiError::internal)?;
    let mut book = Workbook::new();
    build(&mut book, data).map_err(ApiError::internal)?;
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

fn build(book: &mut Workbook, data: &WorkbookData<'_>) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let scales = scales_of(data.results);
    summary(book.add_worksheet(), &bold, data)?;
    participants(
        book.add_worksheet_with_constant_memory(),
        &bold,
        data,
        &scales,
    )?;
    rules(book.add_worksheet(), &bold, data)?;
    Ok(())
}

fn summary(sheet: &mut Worksheet, bold: &Format, data: &WorkbookData<'_>) -> Result<(), XlsxError> {
    let (campaign, results, generated_at) = (data.campaign, data.results, data.generated_at);
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
    row += 1;
    let c = &data.competencies.summary.all;
    sheet.write_string_with_format(row, 0, "Kompetensi / Competencies", bold)?;
    row += 1;
    let numbers: [(&str, Option<f64>); 7] = [
        ("Dengan skor / Scored", Some(c.scored as f64)),
        (
            "Tanpa standar / Without a standard",
            Some(c.without_standard as f64),
        ),
        ("Dengan JPM / With a JPM", Some(c.with_jpm as f64)),
        ("Rata-rata JPM % / Mean JPM %", c.jpm_mean),
        ("Talent pool (kotak 7–9)", Some(c.talent_pool as f64)),
        ("Dengan IP ASN / With IP ASN", Some(c.with_ip_asn as f64)),
        ("Rata-rata IP ASN / Mean IP ASN", c.ip_asn_mean),
    ];
    for (label, n) in numbers {
        sheet.write_string(row, 0, label)?;
        if let Some(n) = n {
            sheet.write_number(row, 1, n)?;
        }
        row += 1;
    }
    for (scheme, categories) in &c.categories {
        for (category, n) in categories {
            sheet.write_string(row, 0, format!("Kategori {scheme}: {category}"))?;
            sheet.write_number(row, 1, *n as f64)?;
            row += 1;
        }
    }
    for (number, n) in &c.nine_box {
        sheet.write_string(row, 0, format!("Kotak 9-box {number}"))?;
        sheet.write_number(row, 1, *n as f64)?;
        row += 1;
    }
    Ok(())
}

fn participants(
    sheet: &mut Worksheet,
    bold: &Format,
    data: &WorkbookData<'_>,
    scales: &[ScaleKey],
) -> Result<(), XlsxError> {
    sheet.set_name(PARTICIPANTS_SHEET)?;
    let schemes = data.competencies.scheme_codes();
    let codes = data.competencies.competency_codes();
    let mut heads: Vec<String> = PARTICIPANT_COLUMNS.iter().map(|h| h.to_string()).collect();
    heads.extend(COMPETENCY_COLUMNS.iter().map(|h| h.to_string()));
    heads.extend(schemes.iter().map(|s| format!("Kategori {s}")));
    heads.extend(RESULT_COLUMNS.iter().map(|h| h.to_string()));
    for code in &codes {
        heads.extend(LEVEL_COLUMNS.iter().map(|part| format!("{code} {part}")));
    }
    let first_scale = heads.len() as u16;
    for (instrument, scale) in scales {
        heads.extend(
            SCALE_COLUMNS
                .iter()
                .map(|part| format!("{instrument}.{scale} {part}")),
        );
    }
    for (c, head) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, head, bold)?;
    }
    let last_col = (heads.len() as u16).saturating_sub(1);
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 28)?;
    let by_id: BTreeMap<uuid::Uuid, &ParticipantCompetencies> = data
        .competencies
        .participants
        .iter()
        .map(|p| (p.participant, p))
        .collect();
    for (i, p) in data.results.participants.iter().enumerate() {
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
        if let Some(c) = by_id.get(&v.id) {
            competency_cells(sheet, row, c, &schemes, &codes)?;
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
            let base = first_scale + (k * SCALE_COLUMNS.len()) as u16;
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
    let last_row = data.results.participants.len() as u32;
    sheet.set_freeze_panes(1, 2)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

/// Writes one participant's competency cells, from the column after [`PARTICIPANT_COLUMNS`].
fn competency_cells(
    sheet: &mut Worksheet,
    row: u32,
    p: &ParticipantCompetencies,
    schemes: &[String],
    codes: &[String],
) -> Result<(), XlsxError> {
    let mut col = PARTICIPANT_COLUMNS.len() as u16;
    let number = |sheet: &mut Worksheet, col: u16, v: Option<f64>| -> Result<(), XlsxError> {
        if let Some(v) = v {
            sheet.write_number(row, col, v)?;
        }
        Ok(())
    };
    number(sheet, col, p.ranks.campaign.map(f64::from))?;
    number(sheet, col + 1, p.jpm_percent())?;
    if let Some(s) = &p.standard {
        let name = match &s.position {
            Some(pos) => format!("{} / {pos}", s.job_level),
            None => s.job_level.clone(),
        };
        sheet.write_string(row, col + 2, name)?;
        sheet.write_number(row, col + 3, f64::from(s.version))?;
    }
    col += COMPETENCY_COLUMNS.len() as u16;
    for scheme in schemes {
        if let Some(c) = p.categories.iter().find(|c| &c.scheme == scheme) {
            sheet.write_string(row, col, &c.category)?;
        }
        col += 1;
    }
    let placed = box_of(p);
    number(sheet, col, placed.map(f64::from))?;
    if p.nine_box.is_some() {
        sheet.write_boolean(row, col + 1, in_talent_pool(p))?;
    }
    number(sheet, col + 2, p.potential_score())?;
    number(sheet, col + 3, p.ip_asn.as_ref().and_then(|i| i.total))?;
    if let Some(c) = p.ip_asn.as_ref().and_then(|i| i.category.as_deref()) {
        sheet.write_string(row, col + 4, c)?;
    }
    if p.jpm.is_some() {
        sheet.write_boolean(row, col + 5, p.fast_track)?;
    }
    col += RESULT_COLUMNS.len() as u16;
    for code in codes {
        let level = p
            .levels
            .iter()
            .find(|l| &l.computed.competency == code)
            .and_then(|l| l.effective());
        number(sheet, col, level.map(|l| f64::from(l.get())))?;
        let required = p.standard.as_ref().and_then(|s| s.required.get(code));
        number(sheet, col + 1, required.map(|r| f64::from(*r)))?;
        number(sheet, col + 2, p.gap(code).map(f64::from))?;
        col += LEVEL_COLUMNS.len() as u16;
    }
    Ok(())
}

fn rules(sheet: &mut Worksheet, bold: &Format, data: &WorkbookData<'_>) -> Result<(), XlsxError> {
    let (campaign, results) = (data.campaign, data.results);
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
    let row = competency_rules(sheet, bold, data, row + 3)?;
    standards(sheet, bold, data.competencies, row + 1)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(4, 38)?;
    sheet.set_column_width(5, 30)?;
    Ok(())
}

/// The competency rule documents with their versions and the performance year, from `row`;
/// answers the next free row.
fn competency_rules(
    sheet: &mut Worksheet,
    bold: &Format,
    data: &WorkbookData<'_>,
    mut row: u32,
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(row, 0, "Aturan kompetensi / Competency rules", bold)?;
    row += 1;
    for (c, h) in [
        "Aturan / Rule",
        "Versi / Version",
        "Dokumen / Document (JSON)",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(row, c as u16, *h, bold)?;
    }
    row += 1;
    for d in data.documents {
        sheet.write_string(row, 0, d.kind.as_str())?;
        sheet.write_number(row, 1, f64::from(d.version))?;
        let json = serde_json::to_string(&d.document).unwrap_or_default();
        sheet.write_string(row, 2, clip(&json))?;
        row += 1;
    }
    sheet.write_string(row, 0, "Tahun SKP / SKP year")?;
    sheet.write_number(row, 1, f64::from(data.competencies.rules.performance_year))?;
    row += 1;
    sheet.write_string(row, 0, "Peringkat / Ranking")?;
    sheet.write_string(
        row,
        2,
        "JPM tertinggi lebih dulu; seri: jumlah level manajerial dan sosial kultural, lalu skor \
         kognitif; yang sama persis berbagi peringkat (1, 2, 2, 4). / Highest JPM first; ties: the \
         sum of managerial and socio-cultural levels, then the cognitive score; exact ties share a \
         rank.",
    )?;
    Ok(row + 1)
}

/// The job standards applied, with how many participants each served, from `row`.
fn standards(
    sheet: &mut Worksheet,
    bold: &Format,
    c: &CampaignCompetencies,
    mut row: u32,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, 0, "Standar jabatan / Job standards", bold)?;
    row += 1;
    let heads = [
        "Jenjang / Job level",
        "Versi / Version",
        "Jabatan / Position",
        "Standar / Standard",
        "Level / Levels",
        "Peserta",
    ];
    for (col, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, *h, bold)?;
    }
    row += 1;
    let mut used: BTreeMap<
        (uuid::Uuid, u32),
        (&crate::services::competency_results::StandardUsed, usize),
    > = BTreeMap::new();
    for p in &c.participants {
        if let Some(s) = &p.standard {
            used.entry((s.id, s.version)).or_insert((s, 0)).1 += 1;
        }
    }
    for ((id, version), (s, n)) in used {
        sheet.write_string(row, 0, &s.job_level)?;
        sheet.write_number(row, 1, f64::from(version))?;
        if let Some(p) = &s.position {
            sheet.write_string(row, 2, p)?;
        }
        sheet.write_string(row, 3, id.to_string())?;
        let levels: Vec<String> = s.required.iter().map(|(c, l)| format!("{c}={l}")).collect();
        sheet.write_string(row, 4, levels.join(", "))?;
        sheet.write_number(row, 5, n as f64)?;
        row += 1;
    }
    Ok(())
}

/// `text`, cut to what one cell holds, with a mark where it was cut.
fn clip(text: &str) -> String {
    if text.chars().count() <= MAX_CELL {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(MAX_CELL - 20).collect();
    cut.push_str(" … [terpotong/cut]");
    cut
}

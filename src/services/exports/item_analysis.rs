//! An instrument's item analysis as an Excel workbook: a summary per scale (N, mean, sd,
//! reliability, SEM), one row per item (difficulty or mean, correlations, α if deleted, the
//! upper–lower index, omissions, flags), one row per option of each choice item, and the
//! Mantel–Haenszel DIF when it was asked for. Cells are typed; a missing statistic is an empty
//! cell, never a made-up number.
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde::Serialize;

use crate::error::ApiError;
use crate::services::item_analysis::ItemAnalysisReport;

/// Sheet names, as Excel shows them on the tabs.
pub const SHEETS: [&str; 4] = ["Ringkasan", "Butir", "Opsi", "DIF"];

/// The columns of the items' sheet.
pub const ITEM_COLUMNS: [&str; 12] = [
    "Skala / Scale",
    "Butir / Item",
    "p / rerata",
    "sd",
    "r item-total",
    "r terkoreksi / corrected r",
    "α jika dihapus / α if deleted",
    "p atas / upper",
    "p bawah / lower",
    "D (27 %)",
    "Kosong / omitted",
    "Tanda / flags",
];

/// Writes the workbook to a temporary file.
pub fn write(report: &ItemAnalysisReport) -> Result<tempfile::NamedTempFile, ApiError> {
    let file = tempfile::Builder::new()
        .prefix("meritest-item-analysis-")
        .suffix(".xlsx")
        .tempfile()
        .map_err(ApiError::internal)?;
    let mut book = Workbook::new();
    build(&mut book, report).map_err(ApiError::internal)?;
    book.save(file.path()).map_err(ApiError::internal)?;
    Ok(file)
}

fn words<T: Serialize>(flags: &[T]) -> String {
    flags
        .iter()
        .filter_map(|f| serde_json::to_value(f).ok())
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect::<Vec<_>>()
        .join(", ")
}

fn number(sheet: &mut Worksheet, row: u32, col: u16, v: Option<f64>) -> Result<(), XlsxError> {
    if let Some(x) = v.filter(|x| x.is_finite()) {
        sheet.write_number(row, col, x)?;
    }
    Ok(())
}

fn header(sheet: &mut Worksheet, bold: &Format, columns: &[&str]) -> Result<(), XlsxError> {
    for (c, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, bold)?;
    }
    Ok(())
}

fn build(book: &mut Workbook, r: &ItemAnalysisReport) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(SHEETS[0])?;
    sheet.set_column_width(0, 30)?;
    sheet.write_string_with_format(0, 0, "Analisis butir / Item analysis", &bold)?;
    sheet.write_string(1, 0, "Instrumen / Instrument")?;
    sheet.write_string(1, 1, format!("{} v{}", r.code, r.version))?;
    sheet.write_string(2, 0, "Percobaan / Attempts")?;
    sheet.write_number(2, 1, r.attempts as f64)?;
    let columns = [
        "Skala / Scale",
        "N",
        "Dikeluarkan / left out",
        "Butir / items",
        "Rerata / mean",
        "sd",
        "Koefisien / coefficient",
        "Reliabilitas / reliability",
        "SEM",
        "Masalah / problem",
    ];
    for (c, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(4, c as u16, *name, &bold)?;
    }
    for (i, s) in r.scales.iter().enumerate() {
        let row = 5 + i as u32;
        sheet.write_string(row, 0, &s.scale)?;
        if let Some(a) = &s.analysis {
            let t = &a.test;
            sheet.write_number(row, 1, t.n as f64)?;
            sheet.write_number(row, 2, t.left_out as f64)?;
            sheet.write_number(row, 3, t.items as f64)?;
            number(sheet, row, 4, Some(t.mean))?;
            number(sheet, row, 5, Some(t.sd))?;
            sheet.write_string(row, 6, words(&[t.coefficient]))?;
            number(sheet, row, 7, t.reliability)?;
            number(sheet, row, 8, t.sem)?;
        }
        if let Some(p) = &s.problem {
            sheet.write_string(row, 9, format!("{}: {}", p.code, p.message))?;
        }
    }

    let sheet = book.add_worksheet();
    sheet.set_name(SHEETS[1])?;
    header(sheet, &bold, &ITEM_COLUMNS)?;
    let mut row = 1;
    for s in &r.scales {
        for it in s.analysis.iter().flat_map(|a| &a.items) {
            sheet.write_string(row, 0, &s.scale)?;
            sheet.write_string(row, 1, &it.code)?;
            number(sheet, row, 2, it.difficulty.or(Some(it.mean)))?;
            number(sheet, row, 3, Some(it.sd))?;
            number(sheet, row, 4, it.item_total_r)?;
            number(sheet, row, 5, it.corrected_item_total_r)?;
            number(sheet, row, 6, it.alpha_if_deleted)?;
            number(sheet, row, 7, it.upper_p)?;
            number(sheet, row, 8, it.lower_p)?;
            number(sheet, row, 9, it.discrimination_index)?;
            number(sheet, row, 10, Some(it.omission_rate))?;
            sheet.write_string(row, 11, words(&it.flags))?;
            row += 1;
        }
    }

    let sheet = book.add_worksheet();
    sheet.set_name(SHEETS[2])?;
    header(
        sheet,
        &bold,
        &[
            "Butir / Item",
            "Opsi / Option",
            "Kunci / Key",
            "Dipilih / rate",
            "Atas / upper",
            "Bawah / lower",
            "r pb",
            "Tanda / flags",
        ],
    )?;
    let mut row = 1;
    for s in &r.scales {
        for it in s.analysis.iter().flat_map(|a| &a.items) {
            for o in &it.options {
                sheet.write_string(row, 0, &it.code)?;
                sheet.write_string(row, 1, &o.option)?;
                sheet.write_boolean(row, 2, o.is_key)?;
                number(sheet, row, 3, Some(o.rate))?;
                number(sheet, row, 4, Some(o.upper_rate))?;
                number(sheet, row, 5, Some(o.lower_rate))?;
                number(sheet, row, 6, o.point_biserial)?;
                sheet.write_string(row, 7, words(&o.flags))?;
                row += 1;
            }
        }
    }

    let sheet = book.add_worksheet();
    sheet.set_name(SHEETS[3])?;
    header(
        sheet,
        &bold,
        &[
            "Skala / Scale",
            "Butir / Item",
            "Acuan / reference",
            "Fokal / focal",
            "α MH",
            "Δ MH",
            "SE Δ",
            "χ² MH",
            "p",
            "Kelas ETS / class",
            "Menguntungkan / favours",
        ],
    )?;
    let mut row = 1;
    for s in &r.scales {
        let Some(d) = &s.dif else { continue };
        for it in &d.items {
            let m = &it.statistics;
            sheet.write_string(row, 0, &s.scale)?;
            sheet.write_string(row, 1, &it.code)?;
            sheet.write_string(row, 2, &d.spec.reference)?;
            sheet.write_string(row, 3, &d.spec.focal)?;
            number(sheet, row, 4, m.alpha)?;
            number(sheet, row, 5, m.delta)?;
            number(sheet, row, 6, m.se_delta)?;
            number(sheet, row, 7, m.chi_square)?;
            number(sheet, row, 8, m.p_value)?;
            if let Some(c) = m.class {
                sheet.write_string(row, 9, words(&[c]))?;
            }
            if let Some(f) = &it.favours {
                sheet.write_string(row, 10, words(&[f]))?;
            }
            row += 1;
        }
    }
    Ok(())
}

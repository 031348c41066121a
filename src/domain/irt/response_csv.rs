//! The response file `meritest irt calibrate` reads and `meritest irt simulate-responses`
//! writes: a CSV whose first line names the items (their codes) and whose every other line is
//! one person's answers, one cell per item.
//!
//! - Right/wrong items (1PL, 2PL, 3PL): `0` wrong, `1` right.
//! - Likert items (GRM): the scale's own values **1 … m** as a respondent ticks them (read as
//!   the categories 0 … m − 1 inside); m is given (`--categories`) or, when not, the largest
//!   value in the file. Thresholds are reported in order: b₁ lies between the values 1 and 2.
//! - An empty cell is an item not answered (left out of that person's likelihood).
//!
//! Commas or semicolons separate the cells (the delimiter is read from the header line);
//! surrounding spaces and a UTF-8 byte-order mark are ignored, blank lines skipped.
use super::calibrate::{CalibrationError, CalibrationModel, ResponseMatrix};

/// Reads a response file for `model`; `categories` is m for the GRM (ignored otherwise).
pub fn read_responses(
    text: &str,
    model: CalibrationModel,
    categories: Option<u8>,
) -> Result<ResponseMatrix, CalibrationError> {
    let bad = |m: String| CalibrationError::InvalidResponses(m);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(bad(format!("the header line cannot be read: {e}"))),
        None => {
            return Err(bad(
                "the file is empty: its first line must name the items".into()
            ))
        }
    };
    let codes: Vec<String> = header.iter().map(str::to_owned).collect();
    if let Some(j) = codes.iter().position(String::is_empty) {
        return Err(bad(format!(
            "column {} of the header has no item code",
            j + 1
        )));
    }
    for (j, c) in codes.iter().enumerate() {
        if codes[..j].contains(c) {
            return Err(bad(format!(
                "the item code {c} appears twice in the header"
            )));
        }
    }
    let mut raw: Vec<Vec<Option<u32>>> = Vec::new();
    for record in records {
        let record = record.map_err(|e| bad(format!("the file cannot be read: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != codes.len() {
            return Err(bad(format!(
                "line {line} has {} values for {} items",
                record.len(),
                codes.len()
            )));
        }
        let mut row = Vec::with_capacity(codes.len());
        for (cell, code) in record.iter().zip(&codes) {
            if cell.is_empty() {
                row.push(None);
                continue;
            }
            match cell.parse::<u32>() {
                Ok(v) => row.push(Some(v)),
                Err(_) => {
                    return Err(bad(format!(
                        "line {line}, item {code}: {cell:?} is not a whole number \
                         (leave the cell empty for an item not answered)"
                    )))
                }
            }
        }
        raw.push(row);
    }
    let (m, lowest) = if model.is_dichotomous() {
        (2u32, 0u32)
    } else {
        let m = match categories {
            Some(m) if m >= 2 => u32::from(m),
            Some(m) => {
                return Err(bad(format!(
                    "a Likert item needs at least 2 categories, not {m}"
                )))
            }
            None => raw.iter().flatten().flatten().copied().max().unwrap_or(2),
        };
        (m.clamp(2, 255), 1u32)
    };
    let highest = lowest + m - 1;
    let mut rows = Vec::with_capacity(raw.len());
    for (i, row) in raw.iter().enumerate() {
        let mut out = Vec::with_capacity(row.len());
        for (v, code) in row.iter().zip(&codes) {
            match v {
                None => out.push(None),
                Some(v) if (lowest..=highest).contains(v) => {
                    out.push(u8::try_from(v - lowest).ok());
                }
                Some(v) => {
                    let allowed = if model.is_dichotomous() {
                        "0 (wrong) or 1 (right)".to_owned()
                    } else {
                        format!("a Likert value from 1 to {m}")
                    };
                    return Err(bad(format!(
                        "data row {}, item {code}: {v} is not {allowed}",
                        i + 1
                    )));
                }
            }
        }
        rows.push(out);
    }
    ResponseMatrix::new(codes, rows, u8::try_from(m).unwrap_or(u8::MAX))
}

/// Writes a response file for `model`: the header of `codes`, then each row (categories
/// 0 … m − 1, written 0/1 for right/wrong items and 1 … m for the GRM; empty when missing).
pub fn write_responses(
    codes: &[String],
    rows: &[Vec<Option<u8>>],
    model: CalibrationModel,
) -> String {
    let shift = u16::from(!model.is_dichotomous());
    let mut out = codes.join(",");
    out.push('\n');
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| v.map_or(String::new(), |v| (u16::from(v) + shift).to_string()))
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_right_wrong_file_is_read_with_its_missing_cells() {
        let m = read_responses(
            "\u{feff}Q1, Q2 ,Q3\n1,0,\n\n0,,1\n",
            CalibrationModel::TwoPl,
            None,
        )
        .unwrap();
        assert_eq!(m.codes(), ["Q1", "Q2", "Q3"]);
        assert_eq!(
            m.rows(),
            [vec![Some(1), Some(0), None], vec![Some(0), None, Some(1)]]
        );
        assert_eq!(m.categories(), 2);
    }

    #[test]
    fn likert_values_one_to_m_become_categories_zero_to_m_minus_one() {
        let m = read_responses("L1;L2\n1;5\n3;\n", CalibrationModel::Graded, Some(5)).unwrap();
        assert_eq!(m.rows(), [vec![Some(0), Some(4)], vec![Some(2), None]]);
        assert_eq!(m.categories(), 5);
        // Without --categories, m is the largest value found.
        let m = read_responses("L1,L2\n1,4\n2,3\n", CalibrationModel::Graded, None).unwrap();
        assert_eq!(m.categories(), 4);
    }

    #[test]
    fn bad_files_are_refused_with_the_line_and_item() {
        let code = |text: &str, model, m| {
            let e = read_responses(text, model, m).unwrap_err();
            (e.code(), e.message().to_owned())
        };
        let (c, msg) = code("A,B\n1,0\n1\n", CalibrationModel::TwoPl, None);
        assert_eq!(c, "invalid_responses");
        assert!(msg.contains("line 3 has 1 values for 2 items"), "{msg}");
        let (_, msg) = code("A,B\n1,2\n", CalibrationModel::TwoPl, None);
        assert!(
            msg.contains("item B: 2 is not 0 (wrong) or 1 (right)"),
            "{msg}"
        );
        let (_, msg) = code("A,B\n1,x\n", CalibrationModel::OnePl, None);
        assert!(msg.contains("line 2, item B"), "{msg}");
        let (_, msg) = code("A,B\n0,3\n", CalibrationModel::Graded, Some(5));
        assert!(
            msg.contains("item A: 0 is not a Likert value from 1 to 5"),
            "{msg}"
        );
        let (_, msg) = code("A,B\n1,6\n", CalibrationModel::Graded, Some(5));
        assert!(msg.contains("6 is not a Likert value"), "{msg}");
        let (_, msg) = code("A,A\n1,0\n", CalibrationModel::TwoPl, None);
        assert!(msg.contains("appears twice"), "{msg}");
        let (_, msg) = code("", CalibrationModel::TwoPl, None);
        assert!(msg.contains("empty"), "{msg}");
    }

    #[test]
    fn a_written_file_reads_back_the_same() {
        let codes = vec!["X".to_owned(), "Y".to_owned()];
        let rows = vec![vec![Some(0), Some(3)], vec![None, Some(1)]];
        let text = write_responses(&codes, &rows, CalibrationModel::Graded);
        assert_eq!(text, "X,Y\n1,4\n,2\n");
        let back = read_responses(&text, CalibrationModel::Graded, Some(4)).unwrap();
        assert_eq!(back.rows(), rows);
    }
}

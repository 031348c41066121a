//! A CSV file HR uploads, as a spreadsheet exports it: the reading every tabular import shares
//! (participants, performance ratings, discipline records).
//!
//! The first line with something on it names the columns, in any order and any case (a space or
//! hyphen stands for the underscore: `Birth Date`, `job-level`). Commas or semicolons separate
//! values (Excel with Indonesian regional settings writes `;`); the delimiter is read from the
//! header line. A UTF-8 byte-order mark and CRLF line ends are accepted; blank lines and rows of
//! empty values are skipped.
//!
//! [`read_rows`] hands each data row to the caller's reader and gathers every problem of the file
//! with its line number, so HR fixes the spreadsheet once rather than one error per upload.
use std::collections::HashMap;
use std::marker::PhantomData;

use chrono::NaiveDate;
use serde::Serialize;

use super::nip::Nip;
use super::FieldError;

/// The columns one kind of file may have.
pub trait Column: Copy + Eq + 'static {
    /// Every column, in the order messages list them.
    const ALL: &'static [Self];

    /// The canonical header name, e.g. `birth_date`.
    fn name(self) -> &'static str;

    /// Whether the header must name this column.
    fn required(self) -> bool;
}

/// What one kind of file holds, for the words of its messages and its size limit.
#[derive(Debug, Clone, Copy)]
pub struct FileKind {
    /// What one data row is, e.g. `participant` ("no participant rows").
    pub row_noun: &'static str,
    /// Most data rows one file may hold.
    pub max_rows: usize,
}

/// One problem of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// Line number in the file (1-based, the header is line 1) where the offending row starts.
    pub row: usize,
    /// The column concerned, by its canonical name, when the problem is one value.
    pub column: Option<String>,
    /// What is wrong, in words HR understands.
    pub message: String,
}

impl RowError {
    /// A problem on line `row`, of `column` when it concerns one value.
    pub fn new(row: usize, column: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            row,
            column: column.map(str::to_owned),
            message: message.into(),
        }
    }

    /// The problem as the API lists it: its line as `row`, its column as `field` (`row` when it
    /// concerns the whole line).
    pub fn into_field_error(self) -> FieldError {
        FieldError::row(
            self.row,
            self.column.unwrap_or_else(|| "row".into()),
            self.message,
        )
    }
}

/// Told when the text of a file is not UTF-8.
pub const NOT_UTF8: &str =
    "the text is not UTF-8: save the file as \"CSV UTF-8\" (Excel) or choose UTF-8 when exporting";

/// Reads a file of columns `C`: the header, then each data row through `read`, which takes what
/// it needs from the [`Row`] and returns a value only when the row has no problem. Returns every
/// value, or, if the file or any row has a problem, every problem of the file in file order (the
/// file is accepted whole or not at all).
///
/// Before `read` sees a row, the row is checked for too few values, values under a nameless
/// column and text that is not UTF-8. Linear in the size of the file.
pub fn read_rows<C: Column, T>(
    bytes: &[u8],
    kind: FileKind,
    mut read: impl FnMut(&mut Row<'_, '_, C>) -> Option<T>,
) -> Result<Vec<T>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // The header is the first line with something on it: the reader skips blank lines too.
    let first_line = bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.trim_ascii().is_empty())
        .unwrap_or_default();
    let count = |d: u8| first_line.iter().filter(|&&b| b == d).count();
    let delimiter = if count(b';') > count(b',') {
        b';'
    } else {
        b','
    };

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut lines = LineCounter::new(bytes);

    // The header.
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            return Err(vec![RowError::new(
                1,
                None,
                format!(
                    "the file is empty: its first line must name the columns ({})",
                    column_list::<C>()
                ),
            )])
        }
        Err(e) => return Err(vec![RowError::new(1, None, csv_problem(&e))]),
    }
    let header_line = lines.line_of(record.position());
    let columns = read_header::<C>(&record, header_line)?;

    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut data_rows = 0usize;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = lines.line_of(e.position());
                errors.push(RowError::new(line, None, csv_problem(&e)));
                break;
            }
        }
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        let line = lines.line_of(record.position());
        data_rows += 1;
        if data_rows > kind.max_rows {
            errors.push(RowError::new(
                line,
                None,
                format!(
                    "the file has more than {max} {noun} rows: \
                     split it into files of at most {max} rows",
                    max = kind.max_rows,
                    noun = kind.row_noun
                ),
            ));
            break;
        }
        let Some(values) = row_values(&record, &columns, line, &mut errors) else {
            continue;
        };
        let before = errors.len();
        let mut row = Row {
            line,
            values,
            errors: &mut errors,
            before,
            columns: PhantomData,
        };
        if let Some(value) = read(&mut row) {
            if errors.len() == before {
                rows.push(value);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(vec![RowError::new(
            header_line,
            None,
            format!("the file has a header but no {} rows", kind.row_noun),
        )]);
    }
    Ok(rows)
}

/// The values of one data row by column, and where its problems go.
pub struct Row<'v, 'e, C> {
    line: usize,
    /// By the column's place in `C::ALL`.
    values: Vec<Option<&'v str>>,
    errors: &'e mut Vec<RowError>,
    before: usize,
    columns: PhantomData<C>,
}

impl<'v, C: Column> Row<'v, '_, C> {
    /// The line of the file the row starts on (1-based, the header is line 1).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The trimmed value of a column; `None` when it is empty or the file has no such column.
    pub fn value(&self, c: C) -> Option<&'v str> {
        self.values[place(c)]
    }

    /// Records a problem of column `c` on this row.
    pub fn fail(&mut self, c: C, message: impl Into<String>) {
        self.errors
            .push(RowError::new(self.line, Some(c.name()), message));
    }

    /// Whether no problem has been recorded for this row so far.
    pub fn is_clean(&self) -> bool {
        self.errors.len() == self.before
    }

    /// A column that must have a value, parsed; a missing or refused value is a problem of the
    /// column.
    pub fn required<T>(
        &mut self,
        c: C,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let Some(v) = self.value(c) else {
            self.fail(c, "required");
            return None;
        };
        parse(v).map_err(|m| self.fail(c, m)).ok()
    }

    /// A column that may be empty, parsed when it is not; a refused value is a problem of the
    /// column.
    pub fn optional<T>(
        &mut self,
        c: C,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<Option<T>> {
        match self.value(c) {
            None => Some(None),
            Some(v) => parse(v).map(Some).map_err(|m| self.fail(c, m)).ok(),
        }
    }
}

/// Where a column is in `C::ALL`.
fn place<C: Column>(c: C) -> usize {
    C::ALL.iter().position(|&x| x == c).unwrap_or(0)
}

/// Every column name, for messages: `nip, year, rating`.
fn column_list<C: Column>() -> String {
    C::ALL
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Header names compare case-insensitively; a space or hyphen stands for the underscore
/// (`Birth Date`, `job-level`), as people retype headers in spreadsheets.
fn column_of<C: Column>(h: &str) -> Option<C> {
    let norm: String = h
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    C::ALL.iter().copied().find(|c| c.name() == norm)
}

/// Line numbers of records, counted from their byte offsets. The `csv` crate's own line numbers
/// are those of the end of the previous record (blank lines before a record are not counted, and a
/// CRLF file starts its second record on "line 1"), which would send HR to the wrong line.
pub(crate) struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line on which the record reported at `position` starts. Positions only grow,
    /// so each byte is looked at once over the whole file.
    pub(crate) fn line_of(&mut self, position: Option<&csv::Position>) -> usize {
        let Some(p) = position else {
            return self.line;
        };
        let from = usize::try_from(p.byte())
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        // The reported offset is where the reader resumed; the record starts after any blank
        // lines and line ends.
        let start = from
            + self.bytes[from..]
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
        if start > self.offset {
            let span = &self.bytes[self.offset..start];
            let breaks = span
                .iter()
                .enumerate()
                .filter(|&(i, &b)| {
                    b == b'\n'
                        || (b == b'\r' && self.bytes.get(self.offset + i + 1) != Some(&b'\n'))
                })
                .count();
            self.line += breaks;
            self.offset = start;
        }
        self.line
    }
}

/// Where each column is in the file; `None` for positions whose header is empty.
struct Columns<C> {
    at: Vec<Option<C>>,
}

fn read_header<C: Column>(
    record: &csv::ByteRecord,
    line: usize,
) -> Result<Columns<C>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut at = Vec::with_capacity(record.len());
    let mut position_of: HashMap<&'static str, usize> = HashMap::new();
    if record.len() == 1 && record.get(0).is_some_and(|h| h.contains(&b'\t')) {
        return Err(vec![RowError::new(
            line,
            None,
            "the columns are separated by tabs: save the file as CSV, \
             with commas or semicolons between values",
        )]);
    }
    for (i, raw) in record.iter().enumerate() {
        let Ok(h) = std::str::from_utf8(raw) else {
            errors.push(RowError::new(line, None, NOT_UTF8));
            at.push(None);
            continue;
        };
        if h.trim().is_empty() {
            at.push(None);
            continue;
        }
        match column_of::<C>(h) {
            None => {
                errors.push(RowError::new(
                    line,
                    None,
                    format!(
                        "unknown column '{}': the columns are {}",
                        h.trim(),
                        column_list::<C>()
                    ),
                ));
                at.push(None);
            }
            Some(c) => {
                if let Some(first) = position_of.insert(c.name(), i) {
                    errors.push(RowError::new(
                        line,
                        Some(c.name()),
                        format!(
                            "column '{}' appears twice (columns {} and {})",
                            c.name(),
                            first + 1,
                            i + 1
                        ),
                    ));
                }
                at.push(Some(c));
            }
        }
    }
    for &c in C::ALL {
        if c.required() && !position_of.contains_key(c.name()) {
            errors.push(RowError::new(
                line,
                Some(c.name()),
                format!("the required column '{}' is missing", c.name()),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Columns { at })
    } else {
        Err(errors)
    }
}

/// The trimmed, non-empty values of one data row by the column's place in `C::ALL`, or `None` with
/// the row's problems recorded: too few values, a value under a nameless column, or text that is
/// not UTF-8.
fn row_values<'v, C: Column>(
    record: &'v csv::ByteRecord,
    columns: &Columns<C>,
    line: usize,
    errors: &mut Vec<RowError>,
) -> Option<Vec<Option<&'v str>>> {
    let before = errors.len();
    if record.len() < columns.at.len() {
        errors.push(RowError::new(
            line,
            None,
            format!(
                "this row has {} values but the header has {} columns",
                record.len(),
                columns.at.len()
            ),
        ));
        return None;
    }
    let mut values = vec![None; C::ALL.len()];
    for (i, raw) in record.iter().enumerate() {
        let column = columns.at.get(i).copied().flatten();
        let Ok(v) = std::str::from_utf8(raw) else {
            errors.push(RowError::new(line, column.map(|c| c.name()), NOT_UTF8));
            continue;
        };
        let v = v.trim();
        match column {
            Some(c) => values[place(c)] = Some(v).filter(|v| !v.is_empty()),
            None if !v.is_empty() => errors.push(RowError::new(
                line,
                None,
                format!(
                    "value '{v}' is in column {}, which has no name in the header \
                     (a delimiter inside a value must be quoted)",
                    i + 1
                ),
            )),
            None => {}
        }
    }
    (errors.len() == before).then_some(values)
}

fn csv_problem(e: &csv::Error) -> String {
    format!("the file cannot be read as CSV: {e}")
}

/// A NIP cell: a [`Nip`], or the reason it is not one, with a hint when the spreadsheet shortened
/// the number to scientific notation (`1,98503E+17`), which is how an 18-digit NIP in a column
/// formatted as a number comes out.
pub fn parse_nip(v: &str, today: NaiveDate) -> Result<Nip, String> {
    if v.contains("E+") || v.contains("e+") {
        return Err(format!(
            "'{v}' is a number shortened by the spreadsheet: format the nip column as \
             Text, retype the NIPs and export again"
        ));
    }
    Nip::parse_as_of(v, today)
}

/// A trimmed, non-empty value of at most `max` characters without control characters.
pub fn free_text(v: &str, max: usize) -> Result<String, String> {
    if v.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if v.chars().any(char::is_control) {
        return Err("must not contain control characters (line breaks, tabs)".into());
    }
    Ok(v.to_owned())
}

/// Tells each (NIP, key) met again in a file where it was first seen: the caller words the
/// problem (`NIP … is on row 2 too`).
#[derive(Debug, Default)]
pub struct FirstSeen<K> {
    lines: HashMap<K, usize>,
}

impl<K: std::hash::Hash + Eq> FirstSeen<K> {
    /// Nobody seen yet.
    pub fn new() -> Self {
        Self {
            lines: HashMap::new(),
        }
    }

    /// The line `key` was first seen on, if it was seen before; otherwise `key` is remembered as
    /// seen on `line`.
    pub fn earlier(&mut self, key: K, line: usize) -> Option<usize> {
        match self.lines.get(&key) {
            Some(&earlier) => Some(earlier),
            None => {
                self.lines.insert(key, line);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of two columns, for the reader's own rules (the files of each import test theirs).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Col {
        Code,
        Note,
    }

    impl Column for Col {
        const ALL: &'static [Col] = &[Col::Code, Col::Note];
        fn name(self) -> &'static str {
            match self {
                Col::Code => "code",
                Col::Note => "note",
            }
        }
        fn required(self) -> bool {
            self == Col::Code
        }
    }

    const KIND: FileKind = FileKind {
        row_noun: "code",
        max_rows: 3,
    };

    /// (line, code, note) of each row.
    type Rows = Vec<(usize, String, Option<String>)>;

    fn read(file: &str) -> Result<Rows, Vec<RowError>> {
        read_rows::<Col, _>(file.as_bytes(), KIND, |row| {
            let code = row.required(Col::Code, |v| Ok(v.to_owned()));
            let note = row.optional(Col::Note, |v| free_text(v, 5));
            Some((row.line(), code?, note?))
        })
    }

    #[test]
    fn rows_come_with_their_lines_and_optional_columns_may_be_left_out() {
        assert_eq!(
            read("\u{feff}CODE\r\n\r\na\r\nb\r\n").unwrap(),
            [(3, "a".into(), None), (4, "b".into(), None)]
        );
        assert_eq!(
            read("note;code\nhalo;a\n;b\n").unwrap(),
            [(2, "a".into(), Some("halo".into())), (3, "b".into(), None)]
        );
    }

    #[test]
    fn a_row_that_reports_a_problem_is_left_out_even_if_its_reader_returns_a_value() {
        let got = read_rows::<Col, _>(b"code\na\nb\n", KIND, |row| {
            if row.value(Col::Code) == Some("b") {
                assert!(row.is_clean());
                row.fail(Col::Code, "no b");
                assert!(!row.is_clean());
            }
            Some(())
        });
        assert_eq!(got, Err(vec![RowError::new(3, Some("code"), "no b")]));
    }

    #[test]
    fn the_noun_and_the_limit_of_the_kind_are_in_the_messages() {
        assert_eq!(
            read("code\n").unwrap_err(),
            [RowError::new(
                1,
                None,
                "the file has a header but no code rows"
            )]
        );
        assert_eq!(
            read("code\na\nb\nc\nd\n").unwrap_err(),
            [RowError::new(
                5,
                None,
                "the file has more than 3 code rows: split it into files of at most 3 rows"
            )]
        );
        assert_eq!(
            read("").unwrap_err(),
            [RowError::new(
                1,
                None,
                "the file is empty: its first line must name the columns (code, note)"
            )]
        );
    }

    #[test]
    fn a_problem_becomes_a_field_error_named_by_row_and_column() {
        let e = RowError::new(4, Some("year"), "bad").into_field_error();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"item": null, "field": "year", "message": "bad", "row": 4})
        );
        let e = RowError::new(2, None, "too few").into_field_error();
        assert_eq!(e.field, "row");
    }

    #[test]
    fn a_nip_in_scientific_notation_gets_a_hint_and_others_their_reason() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert!(parse_nip("1,98503E+17", today)
            .unwrap_err()
            .starts_with("'1,98503E+17' is a number shortened by the spreadsheet"));
        assert_eq!(
            parse_nip("19850315201012100", today).unwrap_err(),
            "the NIP must have 18 digits, found 17"
        );
        assert_eq!(
            parse_nip("19850315 201012 1 001", today).unwrap().as_str(),
            "198503152010121001"
        );
    }

    #[test]
    fn first_seen_names_the_earlier_line_of_a_repeated_key() {
        let mut seen = FirstSeen::new();
        assert_eq!(seen.earlier(("a", 2024), 2), None);
        assert_eq!(seen.earlier(("a", 2025), 3), None);
        assert_eq!(seen.earlier(("a", 2024), 4), Some(2));
        assert_eq!(seen.earlier(("a", 2024), 5), Some(2));
    }
}

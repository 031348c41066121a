//! Bulk enrolment: the participants file HR uploads, as a spreadsheet exports it.
//!
//! The file is CSV with a header row naming the columns (any order, any case):
//!
//! | column | | |
//! |---|---|---|
//! | `nip` | required | 18-digit NIP, see [`Nip`] |
//! | `name` | required | 1–200 characters |
//! | `email` | optional | a plausible address, stored lower-case |
//! | `birth_date` | required | `YYYY-MM-DD`, `DD/MM/YYYY` or `DD-MM-YYYY`; must equal the NIP's |
//! | `education` | required | `SD SMP SMA D1 D2 D3 D4 S1 S2 S3` |
//! | `job_level` | required | free text, 1–80 characters |
//! | `position`, `unit`, `group`, `session` | optional | free text, up to 200 characters |
//!
//! Commas or semicolons separate values (Excel with Indonesian regional settings writes `;`); the
//! delimiter is read from the header line. A UTF-8 byte-order mark and CRLF line ends are accepted;
//! blank lines and rows of empty values are skipped (the reading is [`csv_upload`]'s, shared with
//! the other imports).
//!
//! [`parse_participants`] accepts the whole file or refuses it whole, listing every problem with
//! its line number, so HR fixes the spreadsheet once rather than one error per upload.
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::account::{Email, PersonName};
use super::csv_upload::{self, free_text, parse_nip, FileKind, FirstSeen, Row, RowError};
use super::education::Education;
use super::nip::Nip;

/// Most participant rows one file may hold.
pub const MAX_ROWS: usize = 20_000;
/// Longest `job_level`, in characters.
pub const MAX_JOB_LEVEL_CHARS: usize = 80;
/// Longest optional free-text value (`position`, `unit`, `group`, `session`), in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// One valid participant of the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipantRow {
    /// Line number in the file where the row starts (1-based, the header is line 1), so that
    /// problems found later (a NIP enrolled already, a full session) name the same line.
    pub line: usize,
    /// The civil-servant number.
    pub nip: Nip,
    /// Full name, trimmed.
    pub name: String,
    /// E-mail address, trimmed and lower-cased.
    pub email: Option<String>,
    /// Birth date; equal to the NIP's.
    pub birth_date: NaiveDate,
    /// Highest education.
    pub education: Education,
    /// Job level (e.g. `Administrator`, `Pengawas`, `Ahli Pertama`), trimmed.
    pub job_level: String,
    /// Position (jabatan), trimmed.
    pub position: Option<String>,
    /// Work unit (unit kerja), trimmed.
    pub unit: Option<String>,
    /// Participant group within the campaign, as named in the file.
    pub group: Option<String>,
    /// Session within the campaign, as named in the file.
    pub session: Option<String>,
}

/// One problem of the file.
pub type EnrolmentError = RowError;

/// Every problem of a refused file, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnrolmentErrors {
    /// The problems; never empty.
    pub errors: Vec<EnrolmentError>,
}

impl fmt::Display for EnrolmentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the participants file has {} problem(s)",
            self.errors.len()
        )?;
        if let Some(e) = self.errors.first() {
            write!(f, "; first, on row {}: {}", e.row, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for EnrolmentErrors {}

/// The columns of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Nip,
    Name,
    Email,
    BirthDate,
    Education,
    JobLevel,
    Position,
    Unit,
    Group,
    Session,
}

impl csv_upload::Column for Column {
    const ALL: &'static [Column] = &[
        Column::Nip,
        Column::Name,
        Column::Email,
        Column::BirthDate,
        Column::Education,
        Column::JobLevel,
        Column::Position,
        Column::Unit,
        Column::Group,
        Column::Session,
    ];

    fn name(self) -> &'static str {
        match self {
            Column::Nip => "nip",
            Column::Name => "name",
            Column::Email => "email",
            Column::BirthDate => "birth_date",
            Column::Education => "education",
            Column::JobLevel => "job_level",
            Column::Position => "position",
            Column::Unit => "unit",
            Column::Group => "group",
            Column::Session => "session",
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            Column::Nip | Column::Name | Column::BirthDate | Column::Education | Column::JobLevel
        )
    }
}

/// Parses a participants file. Returns every row, or, if any row is invalid, every problem of the
/// file (the file is accepted whole or not at all). Duplicate NIPs within the file are problems;
/// duplicates against participants already enrolled are for the caller to check.
///
/// Linear in the size of the file: 10,000 rows parse in milliseconds.
pub fn parse_participants(
    bytes: &[u8],
    today: NaiveDate,
) -> Result<Vec<ParticipantRow>, EnrolmentErrors> {
    let kind = FileKind {
        row_noun: "participant",
        max_rows: MAX_ROWS,
    };
    let mut first_seen = FirstSeen::new();
    csv_upload::read_rows(bytes, kind, |row| read_row(row, today, &mut first_seen))
        .map_err(|errors| EnrolmentErrors { errors })
}

/// Validates one data row, recording its problems; `Some` only when it has none. `first_seen`
/// holds each NIP met so far with its line.
fn read_row(
    row: &mut Row<'_, '_, Column>,
    today: NaiveDate,
    first_seen: &mut FirstSeen<String>,
) -> Option<ParticipantRow> {
    let nip = row.required(Column::Nip, |v| parse_nip(v, today));
    // A duplicate is named even when the row has other problems, and a row with other problems
    // still claims its NIP: every occurrence after the first is reported.
    if let Some(nip) = &nip {
        if let Some(earlier) = first_seen.earlier(nip.as_str().to_owned(), row.line()) {
            row.fail(
                Column::Nip,
                format!("NIP {nip} is on row {earlier} too: each participant appears once"),
            );
        }
    }
    let name = row.required(Column::Name, |v| {
        PersonName::parse(v).map(|n| n.as_str().to_owned())
    });
    let email = row.optional(Column::Email, |v| {
        Email::parse(v).map(|e| e.as_str().to_owned())
    });
    let birth_date = row.required(Column::BirthDate, parse_date);
    if let (Some(nip), Some(date)) = (&nip, birth_date) {
        if nip.birth_date() != date {
            row.fail(
                Column::BirthDate,
                format!(
                    "the birth date {date} does not match the NIP's birth date {}",
                    nip.birth_date()
                ),
            );
        }
    }
    let education = row.required(Column::Education, Education::parse);
    let job_level = row.required(Column::JobLevel, |v| free_text(v, MAX_JOB_LEVEL_CHARS));
    let text = |v: &str| free_text(v, MAX_TEXT_CHARS);
    let position = row.optional(Column::Position, text);
    let unit = row.optional(Column::Unit, text);
    let group = row.optional(Column::Group, text);
    let session = row.optional(Column::Session, text);

    if !row.is_clean() {
        return None;
    }
    Some(ParticipantRow {
        line: row.line(),
        nip: nip?,
        name: name?,
        email: email?,
        birth_date: birth_date?,
        education: education?,
        job_level: job_level?,
        position: position?,
        unit: unit?,
        group: group?,
        session: session?,
    })
}

/// Parses `YYYY-MM-DD`, `DD/MM/YYYY` or `DD-MM-YYYY` (day and month may have one digit, as
/// spreadsheets print them). A month/day/year date from a US-locale export is caught by the
/// comparison with the NIP's birth date.
fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let bad_form =
        || format!("'{s}' is not a date in the form YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY");
    let sep = if s.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts[..] else {
        return Err(bad_form());
    };
    let digits = |p: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let num = |p: &str| p.parse::<u32>().unwrap_or(0);
    let (y, m, d) = if sep == '-' && digits(a, 4..=4) && digits(b, 1..=2) && digits(c, 1..=2) {
        (num(a), num(b), num(c))
    } else if digits(a, 1..=2) && digits(b, 1..=2) && digits(c, 4..=4) {
        (num(c), num(b), num(a))
    } else {
        return Err(bad_form());
    };
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| format!("'{s}' is not a real date"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::csv_upload::NOT_UTF8;

    const COLUMN_LIST: &str =
        "nip, name, email, birth_date, education, job_level, position, unit, group, session";

    /// The day the files are read (NIPs' birth and appointment years are bounded by it).
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    const HEADER: &str =
        "nip,name,email,birth_date,education,job_level,position,unit,group,session\n";
    const ROW: &str = "198503152010121001,Budi Santoso,budi@example.go.id,1985-03-15,S1,\
                       Administrator,Kepala Bagian Umum,Sekretariat Daerah,A,Pagi\n";

    fn errs(file: &str) -> Vec<(usize, Option<String>, String)> {
        parse_participants(file.as_bytes(), today())
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| (e.row, e.column, e.message))
            .collect()
    }

    fn one(row: usize, col: &str, msg: &str) -> Vec<(usize, Option<String>, String)> {
        vec![(row, Some(col.to_owned()), msg.to_owned())]
    }

    #[test]
    fn a_full_row_parses_into_typed_fields() {
        let rows = parse_participants(format!("{HEADER}{ROW}").as_bytes(), today()).unwrap();
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(r.nip.as_str(), "198503152010121001");
        assert_eq!(r.name, "Budi Santoso");
        assert_eq!(r.email.as_deref(), Some("budi@example.go.id"));
        assert_eq!(r.birth_date, NaiveDate::from_ymd_opt(1985, 3, 15).unwrap());
        assert_eq!(r.education, Education::S1);
        assert_eq!(r.job_level, "Administrator");
        assert_eq!(r.position.as_deref(), Some("Kepala Bagian Umum"));
        assert_eq!(r.unit.as_deref(), Some("Sekretariat Daerah"));
        assert_eq!(r.group.as_deref(), Some("A"));
        assert_eq!(r.session.as_deref(), Some("Pagi"));
    }

    #[test]
    fn an_excel_export_with_bom_semicolons_crlf_and_free_column_order_parses() {
        let file = "\u{feff}Job_Level;NIP;Birth Date;Name;EDUCATION\r\n\
                    Pengawas;19900101 201503 2 045;01/01/1990;\"Siti, S.Kom\";s2\r\n\
                    \r\n\
                    ;;;;\r\n\
                    Pelaksana;198503152010121001;15-03-1985;Budi;sma\r\n";
        let rows = parse_participants(file.as_bytes(), today()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Siti, S.Kom");
        assert_eq!((rows[0].line, rows[1].line), (2, 5));
        assert_eq!(rows[0].nip.as_str(), "199001012015032045");
        assert_eq!(rows[0].education, Education::S2);
        assert_eq!(rows[0].education.as_str(), "S2");
        assert_eq!(rows[0].email, None);
        assert_eq!(rows[0].position, None);
        assert_eq!(rows[1].education, Education::Sma);
        assert_eq!(rows[1].job_level, "Pelaksana");
    }

    #[test]
    fn optional_values_may_be_empty() {
        let file = format!("{HEADER}198503152010121001,Budi,,1985-03-15,S1,Pelaksana,,,,\n");
        let r = &parse_participants(file.as_bytes(), today()).unwrap()[0];
        assert_eq!(
            (&r.email, &r.position, &r.unit, &r.group, &r.session),
            (&None, &None, &None, &None, &None)
        );
    }

    #[test]
    fn header_problems_are_listed_together() {
        assert_eq!(
            errs("nip,nama,birth_date,education,nip\n"),
            vec![
                (
                    1,
                    None,
                    format!("unknown column 'nama': the columns are {COLUMN_LIST}")
                ),
                (
                    1,
                    Some("nip".into()),
                    "column 'nip' appears twice (columns 1 and 5)".into()
                ),
                (
                    1,
                    Some("name".into()),
                    "the required column 'name' is missing".into()
                ),
                (
                    1,
                    Some("job_level".into()),
                    "the required column 'job_level' is missing".into()
                ),
            ]
        );
    }

    #[test]
    fn empty_files_and_tab_separated_files_are_explained() {
        assert_eq!(
            errs(""),
            vec![(
                1,
                None,
                format!("the file is empty: its first line must name the columns ({COLUMN_LIST})")
            )]
        );
        assert_eq!(
            errs(HEADER),
            vec![(
                1,
                None,
                "the file has a header but no participant rows".into()
            )]
        );
        assert_eq!(
            errs("nip\tname\n1\t2\n")[0].2,
            "the columns are separated by tabs: save the file as CSV, with commas or \
             semicolons between values"
        );
    }

    #[test]
    fn required_values_are_required() {
        assert_eq!(
            errs(&format!(
                "{HEADER},,,,,,,,,\n198503152010121001,  ,,,,,,,,\n"
            ))
            .into_iter()
            .map(|(r, c, m)| (r, c.unwrap(), m))
            .collect::<Vec<_>>(),
            vec![
                (3, "name".into(), "required".into()),
                (3, "birth_date".into(), "required".into()),
                (3, "education".into(), "required".into()),
                (3, "job_level".into(), "required".into()),
            ]
        );
    }

    #[test]
    fn an_invalid_nip_is_reported_with_its_reason() {
        let file = format!("{HEADER}198503152010123001,Budi,,1985-03-15,S1,Pelaksana,,,,\n");
        assert_eq!(
            errs(&file),
            one(
                2,
                "nip",
                "invalid NIP: the sex digit (digit 15) must be 1 (male) or 2 (female), found 3"
            )
        );
    }

    #[test]
    fn a_nip_shortened_by_excel_gets_a_hint() {
        let file = "nip;name;birth_date;education;job_level\n\
                    1,98503E+17;Budi;1985-03-15;S1;Pelaksana\n";
        assert_eq!(
            errs(file),
            one(
                2,
                "nip",
                "'1,98503E+17' is a number shortened by the spreadsheet: format the nip column \
                 as Text, retype the NIPs and export again"
            )
        );
    }

    #[test]
    fn birth_dates_in_three_forms_and_bad_ones_are_named() {
        assert_eq!(
            parse_date("1985-03-15"),
            NaiveDate::from_ymd_opt(1985, 3, 15).ok_or(String::new())
        );
        assert_eq!(
            parse_date("15/03/1985"),
            NaiveDate::from_ymd_opt(1985, 3, 15).ok_or(String::new())
        );
        assert_eq!(
            parse_date("15-3-1985"),
            NaiveDate::from_ymd_opt(1985, 3, 15).ok_or(String::new())
        );
        assert_eq!(
            parse_date("1985/03/15").unwrap_err(),
            "'1985/03/15' is not a date in the form YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY"
        );
        assert_eq!(
            parse_date("15 Maret 1985").unwrap_err(),
            "'15 Maret 1985' is not a date in the form YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY"
        );
        assert_eq!(
            parse_date("30/02/1985").unwrap_err(),
            "'30/02/1985' is not a real date"
        );
    }

    #[test]
    fn a_birth_date_differing_from_the_nip_is_a_mismatch() {
        // A US-locale export writes month/day/year: caught by the NIP.
        let file = format!(
            "{HEADER}198503152010121001,Budi,,03/15/1985,S1,Pelaksana,,,,\n\
                            198503152010121002,Ani,,1985-03-16,S1,Pelaksana,,,,\n"
        );
        assert_eq!(
            errs(&file),
            vec![
                (
                    2,
                    Some("birth_date".into()),
                    "'03/15/1985' is not a real date".into()
                ),
                (
                    3,
                    Some("birth_date".into()),
                    "the birth date 1985-03-16 does not match the NIP's birth date 1985-03-15"
                        .into()
                ),
            ]
        );
    }

    #[test]
    fn education_must_be_a_known_level() {
        let file = format!("{HEADER}198503152010121001,Budi,,1985-03-15,Sarjana,Pelaksana,,,,\n");
        assert_eq!(
            errs(&file),
            one(
                2,
                "education",
                "'Sarjana' is not an education level: expected one of \
                 SD, SMP, SMA, SMK, D1, D2, D3, D4, S1, S2, S3"
            )
        );
    }

    #[test]
    fn job_level_and_free_texts_are_bounded() {
        let long = "x".repeat(81);
        let file = format!("{HEADER}198503152010121001,Budi,,1985-03-15,S1,{long},,,,\n");
        assert_eq!(
            errs(&file),
            one(2, "job_level", "must be at most 80 characters")
        );
        let ok = "x".repeat(80);
        let file = format!("{HEADER}198503152010121001,Budi,,1985-03-15,S1,{ok},,,,\n");
        assert_eq!(
            parse_participants(file.as_bytes(), today()).unwrap()[0].job_level,
            ok
        );
        let long = "y".repeat(201);
        let file = format!("{HEADER}198503152010121001,Budi,,1985-03-15,S1,P,,{long},,\n");
        assert_eq!(
            errs(&file),
            one(2, "unit", "must be at most 200 characters")
        );
    }

    #[test]
    fn a_bad_email_is_named_and_a_good_one_lower_cased() {
        let file = format!("{HEADER}198503152010121001,Budi,budi@,1985-03-15,S1,P,,,,\n");
        assert_eq!(
            errs(&file),
            one(2, "email", "'budi@' is not a valid e-mail address")
        );
        let file =
            format!("{HEADER}198503152010121001,Budi, Budi@BKD.go.id ,1985-03-15,S1,P,,,,\n");
        assert_eq!(
            parse_participants(file.as_bytes(), today()).unwrap()[0]
                .email
                .as_deref(),
            Some("budi@bkd.go.id")
        );
    }

    #[test]
    fn a_duplicate_nip_names_both_rows() {
        let file = format!(
            "{HEADER}{ROW}198503152010121002,Ani,,1985-03-15,S1,P,,,,\n\
             19850315 201012 1 001,Budi lagi,,1985-03-15,S1,P,,,,\n\
             198503152010121001,Budi ketiga,,1985-03-15,XX,P,,,,\n"
        );
        let dup = "NIP 198503152010121001 is on row 2 too: each participant appears once";
        assert_eq!(
            errs(&file),
            vec![
                (4, Some("nip".into()), dup.into()),
                (5, Some("nip".into()), dup.into()),
                (
                    5,
                    Some("education".into()),
                    "'XX' is not an education level: expected one of \
                     SD, SMP, SMA, SMK, D1, D2, D3, D4, S1, S2, S3"
                        .into()
                ),
            ]
        );
    }

    #[test]
    fn row_numbers_are_file_lines_counting_blank_lines_and_quoted_line_breaks() {
        let file = format!(
            "{HEADER}\n198503152010121001,\"Budi\nSantoso\",,1985-03-15,S1,P,,,,\n\
             198503152010121002,Ani,,1985-03-15,S9,P,,,,\n"
        );
        let e = errs(&file);
        assert_eq!(
            e[0],
            (
                3,
                Some("name".into()),
                "the name must not contain control characters".into()
            )
        );
        assert_eq!(e[1].0, 5);
        assert_eq!(e[1].1.as_deref(), Some("education"));
    }

    #[test]
    fn row_numbers_count_crlf_line_ends_and_leading_blank_lines() {
        let file = "\r\nnip;name;birth_date;education;job_level\r\n\r\n\r\n\
                    198503152010121001;Budi;1985-03-15;S1;P\r\n\
                    198503152010121002;Ani;1985-03-15;X;P\r\n";
        assert_eq!(
            errs(file),
            one(
                6,
                "education",
                "'X' is not an education level: expected one of \
                 SD, SMP, SMA, SMK, D1, D2, D3, D4, S1, S2, S3"
            )
        );
        let header_only = "\r\n\r\nnip;name;birth_date;education;job_level\r\n";
        assert_eq!(errs(header_only)[0].0, 3);
    }

    #[test]
    fn rows_with_too_few_or_stray_values_are_refused() {
        let file = format!(
            "{HEADER}198503152010121001,Budi,,1985-03-15,S1\n\
             198503152010121002,Ani,,1985-03-15,S1,P,,,,,Jakarta\n\
             198503152010121003,Ani,,1985-03-15,S1,P,,,,,\n"
        );
        assert_eq!(
            errs(&file),
            vec![
                (
                    2,
                    None,
                    "this row has 5 values but the header has 10 columns".into()
                ),
                (
                    3,
                    None,
                    "value 'Jakarta' is in column 11, which has no name in the header \
                     (a delimiter inside a value must be quoted)"
                        .into()
                ),
            ]
        );
    }

    #[test]
    fn text_that_is_not_utf8_is_explained() {
        let mut file = HEADER.as_bytes().to_vec();
        file.extend_from_slice(b"198503152010121001,Jos\xe9,,1985-03-15,S1,P,,,,\n");
        let e = parse_participants(&file, today()).unwrap_err().errors;
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].row, e[0].column.as_deref()), (2, Some("name")));
        assert_eq!(e[0].message, NOT_UTF8);
    }

    #[test]
    fn one_bad_row_refuses_the_whole_file_and_every_error_is_listed() {
        let file = format!(
            "{HEADER}{ROW}198503152010121002,Ani,,1985-03-15,S4,P,,,,\n\
             198503152010121003,Citra,,1985-03-15,S1,P,,,,\n\
             198503152010121004,,,1985-03-15,S1,P,,,,\n"
        );
        let e = errs(&file);
        assert_eq!(
            e.iter()
                .map(|(r, c, _)| (*r, c.as_deref().unwrap()))
                .collect::<Vec<_>>(),
            [(3, "education"), (5, "name")]
        );
    }

    fn many(n: usize) -> String {
        let mut file = String::with_capacity(n * 80 + 100);
        file.push_str(HEADER);
        for i in 0..n {
            // Distinct NIPs: vary the appointment month and the sequence.
            let seq = i % 999 + 1;
            let month = i / 999 % 12 + 1;
            let year = 2005 + i / (999 * 12);
            file.push_str(&format!(
                "19850315{year}{month:02}1{seq:03},Peserta {i},,15/03/1985,S1,Pelaksana,,,G{},\n",
                i % 7
            ));
        }
        file
    }

    #[test]
    fn ten_thousand_rows_parse_quickly() {
        let file = many(10_000);
        let start = std::time::Instant::now();
        let rows = parse_participants(file.as_bytes(), today()).unwrap();
        let took = start.elapsed();
        assert_eq!(rows.len(), 10_000);
        assert_eq!(rows[9_999].name, "Peserta 9999");
        assert!(took < std::time::Duration::from_secs(2), "{took:?}");
    }

    #[test]
    fn more_than_twenty_thousand_rows_are_refused() {
        assert!(parse_participants(many(MAX_ROWS).as_bytes(), today()).is_ok());
        assert_eq!(
            errs(&many(MAX_ROWS + 1)),
            vec![(
                MAX_ROWS + 2,
                None,
                "the file has more than 20000 participant rows: split it into files of at \
                 most 20000 rows"
                    .into()
            )]
        );
    }

    #[test]
    fn errors_serialise_with_row_column_and_message() {
        let e = parse_participants(b"nip,name\n", today()).unwrap_err();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json["errors"][0],
            serde_json::json!({"row": 1, "column": "birth_date",
                               "message": "the required column 'birth_date' is missing"})
        );
        assert_eq!(
            e.to_string(),
            "the participants file has 3 problem(s); first, on row 1: the required column \
             'birth_date' is missing"
        );
    }
}

//! Discipline records: whether a civil servant was given a disciplinary penalty in a year, and how
//! heavy (PP 94/2021: *hukuman disiplin ringan, sedang, berat*), which HR imports per organisation
//! and NIP. It feeds the Disiplin dimension of the professionalism index (IP ASN, PermenPANRB
//! 38/2018).
//!
//! The file is CSV, read as [`super::csv_upload`] reads every upload:
//!
//! | column | | |
//! |---|---|---|
//! | `nip` | required | 18-digit NIP; a NIP the organisation has never enrolled is accepted |
//! | `year` | required | four digits, from 2000 to the current year |
//! | `level` | required | `none`/`tidak ada`, `light`/`ringan`, `moderate`/`sedang`, `heavy`/`berat` |
//! | `note` | optional | free text, up to 500 characters (e.g. the decree's number) |
//!
//! One row per person and year: a year with several penalties is recorded by its heaviest, and
//! the same NIP twice for one year is a problem of the file.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::csv_upload::{self, free_text, parse_nip, FileKind, FirstSeen, Row, RowError};
use super::nip::Nip;
use super::yearly_record::Year;

/// Most record rows one file may hold.
pub const MAX_ROWS: usize = 20_000;
/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// The heaviest disciplinary penalty of a year (PP 94/2021), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisciplineLevel {
    /// No penalty (tidak ada).
    None,
    /// Hukuman disiplin ringan.
    Light,
    /// Hukuman disiplin sedang.
    Moderate,
    /// Hukuman disiplin berat.
    Heavy,
}

impl DisciplineLevel {
    /// Every level, lightest first.
    pub const ALL: [DisciplineLevel; 4] = [
        DisciplineLevel::None,
        DisciplineLevel::Light,
        DisciplineLevel::Moderate,
        DisciplineLevel::Heavy,
    ];

    /// The canonical code, as stored and serialised: `none`, `light`, `moderate`, `heavy`.
    pub fn as_str(self) -> &'static str {
        match self {
            DisciplineLevel::None => "none",
            DisciplineLevel::Light => "light",
            DisciplineLevel::Moderate => "moderate",
            DisciplineLevel::Heavy => "heavy",
        }
    }

    fn indonesian(self) -> &'static str {
        match self {
            DisciplineLevel::None => "tidak ada",
            DisciplineLevel::Light => "ringan",
            DisciplineLevel::Moderate => "sedang",
            DisciplineLevel::Heavy => "berat",
        }
    }

    /// The level of a stored code ([`DisciplineLevel::as_str`]).
    pub fn from_code(code: &str) -> Option<DisciplineLevel> {
        DisciplineLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == code)
    }

    /// Parses a level in English or Indonesian (`none`/`tidak ada`, `light`/`ringan`,
    /// `moderate`/`sedang`, `heavy`/`berat`), in any case and spacing (`_` or `-` for a space).
    pub fn parse(s: &str) -> Result<DisciplineLevel, String> {
        let norm = s
            .to_lowercase()
            .replace(['_', '-'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        DisciplineLevel::ALL
            .into_iter()
            .find(|l| norm == l.as_str() || norm == l.indonesian())
            .ok_or_else(|| {
                format!(
                    "'{}' is not a discipline level: expected none (tidak ada), light (ringan), \
                     moderate (sedang) or heavy (berat)",
                    s.trim()
                )
            })
    }
}

/// One year's discipline record of one person: what is stored, and what a re-import compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Discipline {
    /// The heaviest penalty of the year, or none.
    pub level: DisciplineLevel,
    /// HR's note, when the file gives one.
    pub note: Option<String>,
}

/// A person's discipline record of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearDiscipline {
    /// The year it is for.
    pub year: Year,
    /// The record.
    pub record: Discipline,
}

/// One valid row of a discipline file.
#[derive(Debug, Clone, PartialEq)]
pub struct DisciplineRow {
    /// Line in the file where the row starts (1-based, the header is line 1).
    pub line: usize,
    /// Whose record it is.
    pub nip: Nip,
    /// The year it is for.
    pub year: Year,
    /// The record.
    pub record: Discipline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Nip,
    Year,
    Level,
    Note,
}

impl csv_upload::Column for Column {
    const ALL: &'static [Column] = &[Column::Nip, Column::Year, Column::Level, Column::Note];

    fn name(self) -> &'static str {
        match self {
            Column::Nip => "nip",
            Column::Year => "year",
            Column::Level => "level",
            Column::Note => "note",
        }
    }

    fn required(self) -> bool {
        !matches!(self, Column::Note)
    }
}

/// Parses a discipline file: every row, or every problem of the file (accepted whole or not at
/// all). `today` bounds the years and the NIPs. Whether a NIP is known to the organisation does
/// not matter.
pub fn parse_discipline(
    bytes: &[u8],
    today: NaiveDate,
) -> Result<Vec<DisciplineRow>, Vec<RowError>> {
    let kind = FileKind {
        row_noun: "discipline record",
        max_rows: MAX_ROWS,
    };
    let mut first_seen = FirstSeen::new();
    csv_upload::read_rows(bytes, kind, |row| read_row(row, today, &mut first_seen))
}

fn read_row(
    row: &mut Row<'_, '_, Column>,
    today: NaiveDate,
    first_seen: &mut FirstSeen<(String, Year)>,
) -> Option<DisciplineRow> {
    let nip = row.required(Column::Nip, |v| parse_nip(v, today));
    let year = row.required(Column::Year, |v| Year::parse_as_of(v, today));
    if let (Some(nip), Some(year)) = (&nip, year) {
        if let Some(earlier) = first_seen.earlier((nip.as_str().to_owned(), year), row.line()) {
            row.fail(
                Column::Year,
                format!(
                    "NIP {nip} has a discipline record for {year} on row {earlier} too: each \
                     person has one record per year (the heaviest penalty of the year)"
                ),
            );
        }
    }
    let level = row.required(Column::Level, DisciplineLevel::parse);
    let note = row.optional(Column::Note, |v| free_text(v, MAX_NOTE_CHARS));
    Some(DisciplineRow {
        line: row.line(),
        nip: nip?,
        year: year?,
        record: Discipline {
            level: level?,
            note: note?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    fn errs(file: &str) -> Vec<(usize, Option<String>, String)> {
        parse_discipline(file.as_bytes(), today())
            .unwrap_err()
            .into_iter()
            .map(|e| (e.row, e.column, e.message))
            .collect()
    }

    #[test]
    fn every_level_parses_in_english_and_indonesian_in_any_case() {
        for (s, l) in [
            ("none", DisciplineLevel::None),
            ("Tidak Ada", DisciplineLevel::None),
            ("tidak_ada", DisciplineLevel::None),
            ("LIGHT", DisciplineLevel::Light),
            ("ringan", DisciplineLevel::Light),
            ("Moderate", DisciplineLevel::Moderate),
            (" Sedang ", DisciplineLevel::Moderate),
            ("heavy", DisciplineLevel::Heavy),
            ("BERAT", DisciplineLevel::Heavy),
        ] {
            assert_eq!(DisciplineLevel::parse(s), Ok(l), "{s}");
        }
        for l in DisciplineLevel::ALL {
            assert_eq!(DisciplineLevel::from_code(l.as_str()), Some(l));
        }
        assert_eq!(
            DisciplineLevel::parse("hukuman ringan").unwrap_err(),
            "'hukuman ringan' is not a discipline level: expected none (tidak ada), light \
             (ringan), moderate (sedang) or heavy (berat)"
        );
    }

    #[test]
    fn a_file_parses_into_typed_rows_with_notes_when_given() {
        let file = "NIP;Year;Level;Note\r\n\
                    198503152010121001;2024;tidak ada;\r\n\
                    198503152010121001;2025;Ringan;SK Bupati 800/123/2025\r\n";
        let rows = parse_discipline(file.as_bytes(), today()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].line, rows[0].year.value(), &rows[0].record),
            (
                2,
                2024,
                &Discipline {
                    level: DisciplineLevel::None,
                    note: None
                }
            )
        );
        assert_eq!(
            rows[1].record,
            Discipline {
                level: DisciplineLevel::Light,
                note: Some("SK Bupati 800/123/2025".into())
            }
        );
        let rows =
            parse_discipline(b"nip,year,level\n198503152010121001,2024,heavy\n", today()).unwrap();
        assert_eq!(rows[0].record.level, DisciplineLevel::Heavy);
    }

    #[test]
    fn bad_values_and_a_repeated_person_and_year_are_named_by_row_and_column() {
        let long = "x".repeat(MAX_NOTE_CHARS + 1);
        let file = format!(
            "nip,year,level,note\n\
             198503152010121001,2024,none,\n\
             19850315201012100,2024,none,\n\
             198503152010121002,2030,none,\n\
             198503152010121003,2024,pemecatan,\n\
             198503152010121004,2024,light,{long}\n\
             198503152010121001,2024,heavy,\n"
        );
        assert_eq!(
            errs(&file),
            vec![
                (
                    3,
                    Some("nip".into()),
                    "the NIP must have 18 digits, found 17".into()
                ),
                (
                    4,
                    Some("year".into()),
                    "the year must be from 2000 to 2026, found 2030".into()
                ),
                (
                    5,
                    Some("level".into()),
                    "'pemecatan' is not a discipline level: expected none (tidak ada), light \
                     (ringan), moderate (sedang) or heavy (berat)"
                        .into()
                ),
                (
                    6,
                    Some("note".into()),
                    "must be at most 500 characters".into()
                ),
                (
                    7,
                    Some("year".into()),
                    "NIP 198503152010121001 has a discipline record for 2024 on row 2 too: each \
                     person has one record per year (the heaviest penalty of the year)"
                        .into()
                ),
            ]
        );
    }

    #[test]
    fn the_level_column_is_required_and_rows_must_exist() {
        assert_eq!(
            errs("nip,year\n198503152010121001,2024\n"),
            vec![(
                1,
                Some("level".into()),
                "the required column 'level' is missing".into()
            )]
        );
        assert_eq!(
            errs("nip,year,level\n"),
            vec![(
                1,
                None,
                "the file has a header but no discipline record rows".into()
            )]
        );
    }
}

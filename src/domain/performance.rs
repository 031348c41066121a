//! Performance ratings: the yearly SKP (Sasaran Kinerja Pegawai) result of a civil servant, which
//! HR imports per organisation and NIP. The last two years' ratings give the performance axis of
//! the 9-box (PermenPANRB 3/2020) and the Kinerja dimension of the professionalism index (IP ASN,
//! PermenPANRB 38/2018).
//!
//! Since 2022 (PermenPANRB 6/2022) an SKP rates **work results** (hasil kerja) and **work
//! behaviour** (perilaku kerja) each as *di atas*, *sesuai* or *di bawah ekspektasi*, and gives
//! one **predicate**: Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang.
//!
//! The file is CSV, read as [`super::csv_upload`] reads every upload:
//!
//! | column | | |
//! |---|---|---|
//! | `nip` | required | 18-digit NIP; a NIP the organisation has never enrolled is accepted |
//! | `year` | required | four digits, from 2000 to the current year |
//! | `rating` | required | the predicate, see [`Predicate::parse`] |
//! | `work_results`, `work_behaviour` | optional | an expectation, see [`Expectation::parse`] |
//!
//! One row per person and year: the same NIP twice for one year is a problem of the file.
//!
//! Decisions, so that a file means one thing:
//! - The predicate is accepted in any case and spacing, with `_` or `-` for a space, in Indonesian
//!   or in the English the predicates are usually translated with (Outstanding, Good, Needs
//!   improvement, Poor, Very poor), and stored as one of five canonical codes.
//! - The predicates of the SKP before 2022 (PP 46/2011: *Cukup*, *Buruk*) and numeric scores are
//!   refused with a hint: no regulation converts them to the 2022 predicates, so the conversion is
//!   HR's decision, made in the file.
//! - The predicate is stored as the signed SKP states it; it is not recomputed from the two
//!   expectations, which are kept when given.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::csv_upload::{self, parse_nip, FileKind, FirstSeen, Row, RowError};
use super::nip::Nip;
use super::yearly_record::Year;

/// Most rating rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

/// The SKP predicate (PermenPANRB 6/2022), best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Predicate {
    /// Sangat Baik (outstanding).
    SangatBaik,
    /// Baik (good).
    Baik,
    /// Butuh Perbaikan (needs improvement).
    ButuhPerbaikan,
    /// Kurang (poor).
    Kurang,
    /// Sangat Kurang (very poor).
    SangatKurang,
}

impl Predicate {
    /// Every predicate, best first.
    pub const ALL: [Predicate; 5] = [
        Predicate::SangatBaik,
        Predicate::Baik,
        Predicate::ButuhPerbaikan,
        Predicate::Kurang,
        Predicate::SangatKurang,
    ];

    /// The canonical code, as stored and serialised: `sangat_baik` … `sangat_kurang`.
    pub fn as_str(self) -> &'static str {
        match self {
            Predicate::SangatBaik => "sangat_baik",
            Predicate::Baik => "baik",
            Predicate::ButuhPerbaikan => "butuh_perbaikan",
            Predicate::Kurang => "kurang",
            Predicate::SangatKurang => "sangat_kurang",
        }
    }

    /// The predicate as the regulation writes it: `Sangat Baik` … `Sangat Kurang`.
    pub fn label(self) -> &'static str {
        match self {
            Predicate::SangatBaik => "Sangat Baik",
            Predicate::Baik => "Baik",
            Predicate::ButuhPerbaikan => "Butuh Perbaikan",
            Predicate::Kurang => "Kurang",
            Predicate::SangatKurang => "Sangat Kurang",
        }
    }

    fn english(self) -> &'static str {
        match self {
            Predicate::SangatBaik => "outstanding",
            Predicate::Baik => "good",
            Predicate::ButuhPerbaikan => "needs improvement",
            Predicate::Kurang => "poor",
            Predicate::SangatKurang => "very poor",
        }
    }

    /// The predicate of a stored code ([`Predicate::as_str`]).
    pub fn from_code(code: &str) -> Option<Predicate> {
        Predicate::ALL.into_iter().find(|p| p.as_str() == code)
    }

    /// Parses a predicate as HR's files write it: `Sangat Baik`, `SANGAT BAIK`, `sangat_baik`,
    /// `Sangat-Baik`, or its English name (`Outstanding`, `Good`, `Needs improvement`, `Poor`,
    /// `Very poor`), in any case. The predicates of the SKP before 2022 and numbers are refused
    /// with what to do.
    pub fn parse(s: &str) -> Result<Predicate, String> {
        let norm = words(s);
        if let Some(p) = Predicate::ALL
            .into_iter()
            .find(|p| norm == words(p.label()) || norm == p.english())
        {
            return Ok(p);
        }
        let expected = "expected one of Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat Kurang \
                        (PermenPANRB 6/2022) or Outstanding, Good, Needs improvement, Poor, \
                        Very poor";
        let s = s.trim();
        if matches!(norm.as_str(), "cukup" | "buruk") {
            return Err(format!(
                "'{s}' is a predicate of the SKP before 2022 (PP 46/2011), which has no \
                 official equivalent: write the 2022 predicate you decide it stands for; {expected}"
            ));
        }
        if s.chars().any(|c| c.is_ascii_digit()) {
            return Err(format!(
                "'{s}' is a score: write the predicate of the SKP instead; {expected}"
            ));
        }
        Err(format!("'{s}' is not an SKP predicate: {expected}"))
    }
}

/// One of the two ratings of an SKP since 2022 (work results, work behaviour) against what was
/// expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expectation {
    /// Di atas ekspektasi.
    Above,
    /// Sesuai ekspektasi.
    Meets,
    /// Di bawah ekspektasi.
    Below,
}

impl Expectation {
    /// Every rating, highest first.
    pub const ALL: [Expectation; 3] = [Expectation::Above, Expectation::Meets, Expectation::Below];

    /// The canonical code, as stored and serialised: `above`, `meets`, `below`.
    pub fn as_str(self) -> &'static str {
        match self {
            Expectation::Above => "above",
            Expectation::Meets => "meets",
            Expectation::Below => "below",
        }
    }

    /// The rating of a stored code ([`Expectation::as_str`]).
    pub fn from_code(code: &str) -> Option<Expectation> {
        Expectation::ALL.into_iter().find(|e| e.as_str() == code)
    }

    /// Parses a rating as the SKP writes it, with or without the word *ekspektasi*: `di atas
    /// ekspektasi`, `Sesuai`, `DI BAWAH`; or in English: `above`, `meets`, `below`, each also
    /// with `expectation(s)`. Any case; `_` or `-` stand for a space.
    pub fn parse(s: &str) -> Result<Expectation, String> {
        let norm = words(s);
        let core = norm
            .strip_suffix(" ekspektasi")
            .or_else(|| norm.strip_suffix(" expectations"))
            .or_else(|| norm.strip_suffix(" expectation"))
            .unwrap_or(&norm);
        match core {
            "di atas" | "above" => Ok(Expectation::Above),
            "sesuai" | "meets" => Ok(Expectation::Meets),
            "di bawah" | "below" => Ok(Expectation::Below),
            _ => Err(format!(
                "'{}' is not a rating against expectation: expected di atas, sesuai or di bawah \
                 ekspektasi (or above, meets, below)",
                s.trim()
            )),
        }
    }
}

/// `s` lower-cased, with `_` and `-` as spaces and runs of spaces as one: the form predicates and
/// ratings are compared in.
fn words(s: &str) -> String {
    s.to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One year's SKP result of one person: what is stored, and what a re-import compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rating {
    /// The predicate.
    pub predicate: Predicate,
    /// Work results against expectation, when the file gives it.
    pub work_results: Option<Expectation>,
    /// Work behaviour against expectation, when the file gives it.
    pub work_behaviour: Option<Expectation>,
}

/// A person's rating of one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct YearRating {
    /// The year it is for.
    pub year: Year,
    /// The rating.
    pub rating: Rating,
}

/// One valid row of a ratings file.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingRow {
    /// Line in the file where the row starts (1-based, the header is line 1).
    pub line: usize,
    /// Whose rating it is.
    pub nip: Nip,
    /// The year it is for.
    pub year: Year,
    /// The rating.
    pub rating: Rating,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Nip,
    Year,
    Rating,
    WorkResults,
    WorkBehaviour,
}

impl csv_upload::Column for Column {
    const ALL: &'static [Column] = &[
        Column::Nip,
        Column::Year,
        Column::Rating,
        Column::WorkResults,
        Column::WorkBehaviour,
    ];

    fn name(self) -> &'static str {
        match self {
            Column::Nip => "nip",
            Column::Year => "year",
            Column::Rating => "rating",
            Column::WorkResults => "work_results",
            Column::WorkBehaviour => "work_behaviour",
        }
    }

    fn required(self) -> bool {
        matches!(self, Column::Nip | Column::Year | Column::Rating)
    }
}

/// Parses a ratings file: every row, or every problem of the file (accepted whole or not at all).
/// `today` bounds the years and the NIPs. Whether a NIP is known to the organisation does not
/// matter: ratings may come before a campaign enrols the person.
pub fn parse_ratings(bytes: &[u8], today: NaiveDate) -> Result<Vec<RatingRow>, Vec<RowError>> {
    let kind = FileKind {
        row_noun: "rating",
        max_rows: MAX_ROWS,
    };
    let mut first_seen = FirstSeen::new();
    csv_upload::read_rows(bytes, kind, |row| read_row(row, today, &mut first_seen))
}

fn read_row(
    row: &mut Row<'_, '_, Column>,
    today: NaiveDate,
    first_seen: &mut FirstSeen<(String, Year)>,
) -> Option<RatingRow> {
    let nip = row.required(Column::Nip, |v| parse_nip(v, today));
    let year = row.required(Column::Year, |v| Year::parse_as_of(v, today));
    if let (Some(nip), Some(year)) = (&nip, year) {
        if let Some(earlier) = first_seen.earlier((nip.as_str().to_owned(), year), row.line()) {
            row.fail(
                Column::Year,
                format!(
                    "NIP {nip} has a rating for {year} on row {earlier} too: \
                     each person has one rating per year"
                ),
            );
        }
    }
    let predicate = row.required(Column::Rating, Predicate::parse);
    let work_results = row.optional(Column::WorkResults, Expectation::parse);
    let work_behaviour = row.optional(Column::WorkBehaviour, Expectation::parse);
    Some(RatingRow {
        line: row.line(),
        nip: nip?,
        year: year?,
        rating: Rating {
            predicate: predicate?,
            work_results: work_results?,
            work_behaviour: work_behaviour?,
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
        parse_ratings(file.as_bytes(), today())
            .unwrap_err()
            .into_iter()
            .map(|e| (e.row, e.column, e.message))
            .collect()
    }

    fn one(row: usize, col: &str, msg: &str) -> Vec<(usize, Option<String>, String)> {
        vec![(row, Some(col.to_owned()), msg.to_owned())]
    }

    #[test]
    fn every_predicate_parses_in_indonesian_in_english_and_as_its_code() {
        for p in Predicate::ALL {
            assert_eq!(Predicate::parse(p.label()), Ok(p));
            assert_eq!(Predicate::parse(p.as_str()), Ok(p));
            assert_eq!(Predicate::from_code(p.as_str()), Some(p));
        }
        assert_eq!(Predicate::parse("Outstanding"), Ok(Predicate::SangatBaik));
        assert_eq!(Predicate::parse("good"), Ok(Predicate::Baik));
        assert_eq!(
            Predicate::parse("Needs Improvement"),
            Ok(Predicate::ButuhPerbaikan)
        );
        assert_eq!(Predicate::parse("POOR"), Ok(Predicate::Kurang));
        assert_eq!(Predicate::parse("very-poor"), Ok(Predicate::SangatKurang));
    }

    #[test]
    fn a_predicate_in_another_case_or_spacing_is_the_same_predicate() {
        for s in [
            "sangat baik",
            "SANGAT BAIK",
            "  Sangat   Baik ",
            "Sangat-Baik",
            "sangat_baik",
        ] {
            assert_eq!(Predicate::parse(s), Ok(Predicate::SangatBaik), "{s}");
        }
        assert_eq!(
            Predicate::parse("butuh  perbaikan"),
            Ok(Predicate::ButuhPerbaikan)
        );
        assert_eq!(Predicate::from_code("Sangat Baik"), None);
    }

    #[test]
    fn old_predicates_scores_and_unknown_words_are_refused_with_what_to_write() {
        let expected = "expected one of Sangat Baik, Baik, Butuh Perbaikan, Kurang, Sangat \
                        Kurang (PermenPANRB 6/2022) or Outstanding, Good, Needs improvement, \
                        Poor, Very poor";
        assert_eq!(
            Predicate::parse(" Cukup ").unwrap_err(),
            format!(
                "'Cukup' is a predicate of the SKP before 2022 (PP 46/2011), which has no \
                 official equivalent: write the 2022 predicate you decide it stands for; \
                 {expected}"
            )
        );
        assert!(Predicate::parse("buruk")
            .unwrap_err()
            .starts_with("'buruk' is a predicate of the SKP before 2022"));
        assert_eq!(
            Predicate::parse("87,5").unwrap_err(),
            format!("'87,5' is a score: write the predicate of the SKP instead; {expected}")
        );
        assert_eq!(
            Predicate::parse("Sangat Bagus").unwrap_err(),
            format!("'Sangat Bagus' is not an SKP predicate: {expected}")
        );
        assert!(Predicate::parse("").is_err());
    }

    #[test]
    fn expectations_parse_with_or_without_the_word_and_in_english() {
        for (s, e) in [
            ("di atas ekspektasi", Expectation::Above),
            ("Di Atas", Expectation::Above),
            ("DI_ATAS_EKSPEKTASI", Expectation::Above),
            ("above expectations", Expectation::Above),
            ("Sesuai Ekspektasi", Expectation::Meets),
            ("sesuai", Expectation::Meets),
            ("meets expectation", Expectation::Meets),
            ("di bawah ekspektasi", Expectation::Below),
            ("below", Expectation::Below),
        ] {
            assert_eq!(Expectation::parse(s), Ok(e), "{s}");
        }
        for e in Expectation::ALL {
            assert_eq!(Expectation::from_code(e.as_str()), Some(e));
            assert_eq!(Expectation::parse(e.as_str()), Ok(e));
        }
        assert_eq!(
            Expectation::parse(" melampaui ").unwrap_err(),
            "'melampaui' is not a rating against expectation: expected di atas, sesuai or di \
             bawah ekspektasi (or above, meets, below)"
        );
    }

    #[test]
    fn a_file_parses_into_typed_rows_with_their_lines() {
        let file = "\u{feff}NIP;Year;Rating;Work Results;work-behaviour\r\n\
                    198503152010121001;2024;Sangat Baik;di atas ekspektasi;Di Atas Ekspektasi\r\n\
                    198503152010121001;2025;baik;;\r\n\
                    \r\n\
                    19900101 201503 2 045;2025;Butuh Perbaikan;di bawah;sesuai\r\n";
        let rows = parse_ratings(file.as_bytes(), today()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].nip.as_str(), "198503152010121001");
        assert_eq!(rows[0].year.value(), 2024);
        assert_eq!(
            rows[0].rating,
            Rating {
                predicate: Predicate::SangatBaik,
                work_results: Some(Expectation::Above),
                work_behaviour: Some(Expectation::Above),
            }
        );
        assert_eq!(
            rows[1].rating,
            Rating {
                predicate: Predicate::Baik,
                work_results: None,
                work_behaviour: None,
            }
        );
        assert_eq!(rows[2].nip.as_str(), "199001012015032045");
        assert_eq!(rows[2].rating.work_results, Some(Expectation::Below));
        assert_eq!(rows[2].rating.work_behaviour, Some(Expectation::Meets));
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 5]);
    }

    #[test]
    fn the_optional_columns_may_be_absent_from_the_header() {
        let rows =
            parse_ratings(b"nip,year,rating\n198503152010121001,2024,Good\n", today()).unwrap();
        assert_eq!(rows[0].rating.predicate, Predicate::Baik);
        assert_eq!(rows[0].rating.work_results, None);
    }

    #[test]
    fn a_missing_required_column_is_named() {
        assert_eq!(
            errs("nip,year,predikat\n198503152010121001,2024,Baik\n"),
            vec![
                (
                    1,
                    None,
                    "unknown column 'predikat': the columns are nip, year, rating, \
                     work_results, work_behaviour"
                        .into()
                ),
                (
                    1,
                    Some("rating".into()),
                    "the required column 'rating' is missing".into()
                ),
            ]
        );
    }

    #[test]
    fn a_malformed_nip_a_bad_year_and_an_unknown_predicate_are_named_by_row_and_column() {
        let file = "nip,year,rating,work_results\n\
                    198503152010123001,2024,Baik,\n\
                    198503152010121001,1999,Baik,\n\
                    198503152010121001,2024,Cemerlang,\n\
                    198503152010121001,2023,Baik,luar biasa\n\
                    198503152010121001,,Baik,\n";
        let e = errs(file);
        assert_eq!(
            e.iter()
                .map(|(r, c, _)| (*r, c.as_deref().unwrap()))
                .collect::<Vec<_>>(),
            [
                (2, "nip"),
                (3, "year"),
                (4, "rating"),
                (5, "work_results"),
                (6, "year")
            ]
        );
        assert_eq!(
            e[0].2,
            "invalid NIP: the sex digit (digit 15) must be 1 (male) or 2 (female), found 3"
        );
        assert_eq!(e[1].2, "the year must be from 2000 to 2026, found 1999");
        assert!(e[2].2.starts_with("'Cemerlang' is not an SKP predicate"));
        assert_eq!(e[4].2, "required");
    }

    #[test]
    fn a_person_rated_twice_for_one_year_is_named_on_every_repeat() {
        let file = "nip,year,rating\n\
                    198503152010121001,2024,Baik\n\
                    198503152010121001,2025,Baik\n\
                    19850315 201012 1 001,2024,Sangat Baik\n\
                    198503152010121002,2024,Baik\n";
        assert_eq!(
            errs(file),
            one(
                4,
                "year",
                "NIP 198503152010121001 has a rating for 2024 on row 2 too: each person has \
                 one rating per year"
            )
        );
    }

    #[test]
    fn a_nip_shortened_by_the_spreadsheet_gets_its_hint() {
        assert_eq!(
            errs("nip;year;rating\n1,98503E+17;2024;Baik\n"),
            one(
                2,
                "nip",
                "'1,98503E+17' is a number shortened by the spreadsheet: format the nip column \
                 as Text, retype the NIPs and export again"
            )
        );
    }

    #[test]
    fn a_header_without_rows_and_too_many_rows_are_refused() {
        assert_eq!(
            errs("nip,year,rating\n"),
            vec![(1, None, "the file has a header but no rating rows".into())]
        );
        let mut file = String::from("nip,year,rating\n");
        for i in 0..=MAX_ROWS {
            let seq = i % 999 + 1;
            let year = 2000 + i / 999;
            file.push_str(&format!("198503152010121{seq:03},{year},Baik\n"));
        }
        assert_eq!(
            errs(&file),
            vec![(
                MAX_ROWS + 2,
                None,
                "the file has more than 20000 rating rows: split it into files of at most \
                 20000 rows"
                    .into()
            )]
        );
    }
}

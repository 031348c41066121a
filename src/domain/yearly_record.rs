//! What the yearly records HR imports per civil servant share (performance ratings, discipline
//! records): the year they are for, one record per person and year, and what re-importing one
//! does.
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Earliest year a record may be for: the platform holds no history older than that.
pub const MIN_YEAR: i32 = 2000;

/// The calendar year a yearly record is for: from [`MIN_YEAR`] to the current year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Year(i32);

impl Year {
    /// Parses a year written with four digits (surrounding spaces ignored), from [`MIN_YEAR`] to
    /// `today`'s year: a record for a year that has not begun is a typing mistake.
    pub fn parse_as_of(s: &str, today: NaiveDate) -> Result<Year, String> {
        let s = s.trim();
        if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "'{s}' is not a year: write the year with four digits, e.g. {}",
                today.year()
            ));
        }
        // Four ASCII digits always parse.
        let year: i32 = s.parse().unwrap_or_default();
        Year::new(year, today)
    }

    /// A year given as a number, within the same bounds as [`Year::parse_as_of`].
    pub fn new(year: i32, today: NaiveDate) -> Result<Year, String> {
        let last = today.year();
        if (MIN_YEAR..=last).contains(&year) {
            Ok(Year(year))
        } else {
            Err(format!(
                "the year must be from {MIN_YEAR} to {last}, found {year}"
            ))
        }
    }

    /// A year read back from the store, which only holds years that were valid when imported.
    pub fn stored(year: i32) -> Year {
        Year(year)
    }

    /// The year as a number.
    pub fn value(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What importing one (person, year) record does to what is stored: each person has at most one
/// record per year, and importing it again replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Nothing was stored for that person and year.
    Created,
    /// A different record was stored: the imported one takes its place.
    Replaced,
    /// The same record was stored: nothing changes.
    Unchanged,
}

impl Change {
    /// The change of importing `new` where `stored` is what the store holds for its person and
    /// year.
    pub fn of<V: PartialEq>(stored: Option<&V>, new: &V) -> Change {
        match stored {
            None => Change::Created,
            Some(s) if s == new => Change::Unchanged,
            Some(_) => Change::Replaced,
        }
    }
}

/// How many records of an import are created, replaced and unchanged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Records for a (person, year) that had none.
    pub created: usize,
    /// Records that replace a different one of the same person and year.
    pub replaced: usize,
    /// Records equal to the one stored.
    pub unchanged: usize,
}

impl Tally {
    /// Counts one more change.
    pub fn count(&mut self, change: Change) {
        match change {
            Change::Created => self.created += 1,
            Change::Replaced => self.replaced += 1,
            Change::Unchanged => self.unchanged += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn a_year_from_2000_to_this_year_is_accepted() {
        assert_eq!(Year::parse_as_of(" 2000 ", today()).unwrap().value(), 2000);
        assert_eq!(
            Year::parse_as_of("2026", today()).unwrap().to_string(),
            "2026"
        );
        assert_eq!(
            serde_json::to_string(&Year::parse_as_of("2024", today()).unwrap()).unwrap(),
            "2024"
        );
    }

    #[test]
    fn a_year_outside_the_bounds_or_not_four_digits_is_refused_with_the_reason() {
        assert_eq!(
            Year::parse_as_of("1999", today()).unwrap_err(),
            "the year must be from 2000 to 2026, found 1999"
        );
        assert_eq!(
            Year::parse_as_of("2027", today()).unwrap_err(),
            "the year must be from 2000 to 2026, found 2027"
        );
        for bad in ["24", "2024.0", "20 24", "tahun 2024", "-2024"] {
            assert_eq!(
                Year::parse_as_of(bad, today()).unwrap_err(),
                format!("'{bad}' is not a year: write the year with four digits, e.g. 2026"),
            );
        }
    }

    #[test]
    fn the_last_accepted_year_follows_the_date_given() {
        let new_year = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert!(Year::parse_as_of("2027", new_year).is_ok());
        assert!(Year::new(2027, today()).is_err());
    }

    #[test]
    fn an_import_counts_created_replaced_and_unchanged_records() {
        let mut tally = Tally::default();
        tally.count(Change::of(None, &"baik"));
        tally.count(Change::of(Some(&"baik"), &"baik"));
        tally.count(Change::of(Some(&"baik"), &"sangat_baik"));
        tally.count(Change::of(None, &"kurang"));
        assert_eq!(
            tally,
            Tally {
                created: 2,
                replaced: 1,
                unchanged: 1
            }
        );
    }
}

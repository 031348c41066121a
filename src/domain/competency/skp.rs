//! Yearly performance ratings (SKP, PermenPANRB 6/2022): since 2022 each year's SKP ends in one
//! predicate, Sangat Baik, Baik, Butuh Perbaikan, Kurang or Sangat Kurang. HR imports them; the
//! 9-box reads the last two years, the IP ASN the latest.
use serde::{Deserialize, Serialize};

/// The predicate of one year's SKP: the import's type (parsing, stored codes, labels), one type for
/// the file HR imports and the rules that read it.
pub use crate::domain::performance::Predicate as SkpPredicate;

/// One year's SKP predicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkpRating {
    /// The year rated.
    pub year: i32,
    /// Its predicate.
    pub predicate: SkpPredicate,
}

/// A participant's SKP ratings, at most one per year, latest first. The caller passes the ratings
/// of the window that counts (the last two years before the assessment, for the 9-box); this type
/// only orders them and refuses two ratings for one year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<SkpRating>", into = "Vec<SkpRating>")]
pub struct SkpHistory(Vec<SkpRating>);

impl SkpHistory {
    /// The history of `ratings`, in any order; two ratings of one year are refused.
    pub fn new(mut ratings: Vec<SkpRating>) -> Result<Self, String> {
        ratings.sort_by_key(|r| std::cmp::Reverse(r.year));
        if let Some(w) = ratings.windows(2).find(|w| w[0].year == w[1].year) {
            return Err(format!("two SKP ratings for {}: one per year", w[0].year));
        }
        Ok(Self(ratings))
    }

    /// The ratings, latest first.
    pub fn ratings(&self) -> &[SkpRating] {
        &self.0
    }

    /// The latest rating.
    pub fn latest(&self) -> Option<SkpRating> {
        self.0.first().copied()
    }
}

impl TryFrom<Vec<SkpRating>> for SkpHistory {
    type Error = String;
    fn try_from(ratings: Vec<SkpRating>) -> Result<Self, String> {
        Self::new(ratings)
    }
}

impl From<SkpHistory> for Vec<SkpRating> {
    fn from(h: SkpHistory) -> Self {
        h.0
    }
}

/// One value per SKP predicate: the shape of every predicate mapping (performance axis, IP ASN
/// points), so that a mapping cannot leave a predicate out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerPredicate<T> {
    /// For Sangat Baik.
    pub sangat_baik: T,
    /// For Baik.
    pub baik: T,
    /// For Butuh Perbaikan.
    pub butuh_perbaikan: T,
    /// For Kurang.
    pub kurang: T,
    /// For Sangat Kurang.
    pub sangat_kurang: T,
}

impl<T: Copy> PerPredicate<T> {
    /// The value for `p`.
    pub fn of(&self, p: SkpPredicate) -> T {
        match p {
            SkpPredicate::SangatBaik => self.sangat_baik,
            SkpPredicate::Baik => self.baik,
            SkpPredicate::ButuhPerbaikan => self.butuh_perbaikan,
            SkpPredicate::Kurang => self.kurang,
            SkpPredicate::SangatKurang => self.sangat_kurang,
        }
    }

    /// Each predicate's field name and value, best first.
    pub fn entries(&self) -> [(&'static str, T); 5] {
        [
            ("sangat_baik", self.sangat_baik),
            ("baik", self.baik),
            ("butuh_perbaikan", self.butuh_perbaikan),
            ("kurang", self.kurang),
            ("sangat_kurang", self.sangat_kurang),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_predicate_parses_as_people_write_it() {
        assert_eq!(
            SkpPredicate::parse(" sangat  BAIK "),
            Ok(SkpPredicate::SangatBaik)
        );
        assert_eq!(
            SkpPredicate::parse("butuh_perbaikan"),
            Ok(SkpPredicate::ButuhPerbaikan)
        );
        assert!(SkpPredicate::parse("Cukup").is_err());
        assert_eq!(
            serde_json::to_string(&SkpPredicate::SangatKurang).unwrap(),
            r#""sangat_kurang""#
        );
    }

    #[test]
    fn a_history_is_latest_first_and_refuses_two_ratings_of_one_year() {
        let r = |year, predicate| SkpRating { year, predicate };
        let h = SkpHistory::new(vec![
            r(2023, SkpPredicate::Baik),
            r(2024, SkpPredicate::SangatBaik),
        ])
        .unwrap();
        assert_eq!(h.latest(), Some(r(2024, SkpPredicate::SangatBaik)));
        assert_eq!(h.ratings()[1].year, 2023);
        assert_eq!(
            SkpHistory::new(vec![
                r(2024, SkpPredicate::Baik),
                r(2024, SkpPredicate::Kurang)
            ]),
            Err("two SKP ratings for 2024: one per year".into())
        );
    }
}

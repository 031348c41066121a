//! Integration: after the assessors have submitted, the panel (or a lead assessor) records the
//! final level of each competency. The rule for when a reason is needed:
//!
//! With m = the mean of the submitted ratings of the competency (over every exercise and assessor
//! that rated it), a final level L **departs from the mean** when |L − m| > ½. So a mean of 3.5
//! allows 3 or 4 without a reason, a mean of 3.25 allows only 3; anything else needs a reason,
//! which is kept with the level and in the audit log.
use serde::{Deserialize, Serialize};

use crate::domain::competency::Level;

/// Longest reason, in characters after trimming.
pub const MAX_REASON_CHARS: usize = 1000;

/// The mean of ratings, `None` when there are none.
pub fn ratings_mean(ratings: &[u8]) -> Option<f64> {
    (!ratings.is_empty())
        .then(|| ratings.iter().map(|&r| f64::from(r)).sum::<f64>() / ratings.len() as f64)
}

/// Whether `level` departs from the ratings' mean `mean` (|L − m| > ½).
pub fn departs_from_mean(level: Level, mean: f64) -> bool {
    (f64::from(level.get()) - mean).abs() > 0.5 + 1e-9
}

/// A final level as recorded, with the mean it was recorded against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegratedLevel {
    level: Level,
    mean: f64,
    ratings: u32,
    reason: Option<String>,
}

impl IntegratedLevel {
    /// A final level against `ratings` (the submitted ratings of the competency; at least one).
    /// A level that departs from their mean needs a reason of 1 to [`MAX_REASON_CHARS`]
    /// characters; a reason given anyway is kept.
    pub fn new(level: Level, ratings: &[u8], reason: Option<&str>) -> Result<Self, String> {
        let mean = ratings_mean(ratings)
            .ok_or_else(|| "no submitted rating of this competency to integrate".to_owned())?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if let Some(r) = reason {
            if r.chars().count() > MAX_REASON_CHARS {
                return Err(format!(
                    "a reason has at most {MAX_REASON_CHARS} characters"
                ));
            }
        }
        if reason.is_none() && departs_from_mean(level, mean) {
            return Err(format!(
                "level {} departs from the mean of the ratings ({mean:.2}) by more than half a \
                 level: give the panel's reason",
                level.get()
            ));
        }
        Ok(Self {
            level,
            mean,
            ratings: ratings.len() as u32,
            reason: reason.map(str::to_owned),
        })
    }

    /// The final level.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The mean of the ratings it was recorded against.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// How many ratings that mean was of.
    pub fn ratings(&self) -> u32 {
        self.ratings
    }

    /// The panel's reason, if given.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(n: u8) -> Level {
        Level::new(n).unwrap()
    }

    #[test]
    fn the_mean_of_three_four_and_four_is_eleven_thirds() {
        assert!((ratings_mean(&[3, 4, 4]).unwrap() - 11.0 / 3.0).abs() < 1e-12);
        assert_eq!(ratings_mean(&[]), None);
    }

    #[test]
    fn a_mean_of_three_and_a_half_allows_three_or_four_without_a_reason() {
        assert!(IntegratedLevel::new(level(3), &[3, 4], None).is_ok());
        assert!(IntegratedLevel::new(level(4), &[3, 4], None).is_ok());
        assert!(IntegratedLevel::new(level(5), &[3, 4], None).is_err());
        assert!(IntegratedLevel::new(level(2), &[3, 4], None).is_err());
    }

    #[test]
    fn a_mean_of_three_and_a_quarter_allows_only_three_without_a_reason() {
        assert!(IntegratedLevel::new(level(3), &[3, 3, 3, 4], None).is_ok());
        let err = IntegratedLevel::new(level(4), &[3, 3, 3, 4], None).unwrap_err();
        assert!(err.contains("3.25"), "{err}");
    }

    #[test]
    fn a_departing_level_with_a_reason_is_kept_with_the_reason_and_the_mean() {
        let l = IntegratedLevel::new(level(5), &[3, 4], Some("  memimpin krisis  ")).unwrap();
        assert_eq!(l.level().get(), 5);
        assert_eq!(l.mean(), 3.5);
        assert_eq!(l.ratings(), 2);
        assert_eq!(l.reason(), Some("memimpin krisis"));
    }

    #[test]
    fn a_level_with_no_ratings_cannot_be_integrated() {
        assert!(IntegratedLevel::new(level(3), &[], Some("tanpa data")).is_err());
    }
}

//! The NIP (Nomor Induk Pegawai), the 18-digit civil-servant number:
//!
//! ```text
//! 19850315 201012 1 001
//! │        │      │ └─ sequence 001–999 (digits 16–18)
//! │        │      └─── sex: 1 male, 2 female (digit 15)
//! │        └────────── appointment (TMT CPNS) YYYYMM (digits 9–14)
//! └─────────────────── birth date YYYYMMDD (digits 1–8)
//! ```
//!
//! A NIP identifies a person in exports to the national HR system (SIASN); it is public on
//! decrees and name tags, so it is validated as an identifier and never trusted as a secret.
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize, Serializer};

/// Earliest birth year accepted: nobody born earlier is still in service or being assessed.
pub const MIN_BIRTH_YEAR: i32 = 1940;
/// Fewest years between the birth year and the appointment year. The legal minimum age for
/// appointment is 18; 15 leaves room for data entered at the edges of a year without letting
/// through a birth date and an appointment that were swapped or mistyped.
pub const MIN_YEARS_BIRTH_TO_APPOINTMENT: i32 = 15;

/// Sex as encoded in digit 15 of a NIP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Digit `1`.
    Male,
    /// Digit `2`.
    Female,
}

impl Sex {
    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// A valid NIP: 18 digits whose birth date, appointment month, sex digit and sequence all make
/// sense. Serialised as its 18 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nip {
    // The digits come first so that the derived order is the order of the numbers.
    digits: String,
    birth_date: NaiveDate,
    appointment: (i32, u32),
    sex: Sex,
    sequence: u16,
}

impl Nip {
    /// Parses a NIP as a person types or a spreadsheet exports it: whitespace anywhere is ignored
    /// (`19850315 201012 1 001`), and `today`'s year bounds the birth and appointment years (the
    /// caller says what today is, so results do not depend on a clock).
    ///
    /// Every problem of the date, appointment, sex and sequence parts is reported, joined by `; `,
    /// so that one correction fixes the number.
    pub fn parse_as_of(s: &str, today: NaiveDate) -> Result<Nip, String> {
        let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err("the NIP is empty: it has 18 digits".into());
        }
        if let Some(c) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(format!(
                "the NIP must contain only digits (spaces are allowed), found '{c}'"
            ));
        }
        if digits.len() != 18 {
            return Err(format!(
                "the NIP must have 18 digits, found {}",
                digits.len()
            ));
        }
        // All 18 bytes are ASCII digits from here on, so slicing and these parses cannot fail.
        let num = |from: usize, to: usize| -> u32 {
            digits[from..to]
                .bytes()
                .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
        };
        let (by, bm, bd) = (num(0, 4) as i32, num(4, 6), num(6, 8));
        let (ay, am) = (num(8, 12) as i32, num(12, 14));
        let sex_digit = num(14, 15);
        let sequence = num(15, 18);

        let mut problems = Vec::new();
        let birth_date = NaiveDate::from_ymd_opt(by, bm, bd);
        match birth_date {
            None => problems.push(format!(
                "the birth date {} (digits 1–8, YYYYMMDD) is not a real date",
                &digits[0..8]
            )),
            Some(_) if !(MIN_BIRTH_YEAR..=today.year()).contains(&by) => problems.push(format!(
                "the birth year {by} (digits 1–4) must be from {MIN_BIRTH_YEAR} to {}",
                today.year()
            )),
            Some(d) if d > today => problems.push(format!(
                "the birth date {} (digits 1–8) is in the future",
                &digits[0..8]
            )),
            Some(_) => {}
        }
        if !(1..=12).contains(&am) {
            problems.push(format!(
                "the appointment month {} (digits 9–14, YYYYMM) is not a real month",
                &digits[8..14]
            ));
        } else if birth_date.is_some() && ay < by + MIN_YEARS_BIRTH_TO_APPOINTMENT {
            problems.push(format!(
                "the appointment year {ay} (digits 9–12) must be at least \
                 {MIN_YEARS_BIRTH_TO_APPOINTMENT} years after the birth year {by}"
            ));
        } else if ay > today.year() + 1 {
            // Numbers are issued shortly before the appointment takes effect: next year is the
            // latest plausible appointment.
            problems.push(format!(
                "the appointment year {ay} (digits 9–12) is later than next year"
            ));
        }
        let sex = match sex_digit {
            1 => Some(Sex::Male),
            2 => Some(Sex::Female),
            d => {
                problems.push(format!(
                    "the sex digit (digit 15) must be 1 (male) or 2 (female), found {d}"
                ));
                None
            }
        };
        if sequence == 0 {
            problems
                .push("the sequence number (digits 16–18) must be 001 to 999, found 000".into());
        }
        match (birth_date, sex, problems.is_empty()) {
            (Some(birth_date), Some(sex), true) => Ok(Nip {
                birth_date,
                appointment: (ay, am),
                sex,
                sequence: sequence as u16,
                digits,
            }),
            _ => Err(format!("invalid NIP: {}", problems.join("; "))),
        }
    }

    /// The 18 digits, without spaces.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The birth date encoded in digits 1–8.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// The appointment (TMT CPNS) year and month (1–12) encoded in digits 9–14.
    pub fn appointment(&self) -> (i32, u32) {
        self.appointment
    }

    /// The sex encoded in digit 15.
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// The sequence number (1–999) encoded in digits 16–18.
    pub fn sequence(&self) -> u16 {
        self.sequence
    }

    /// The conventional grouped form for printing: `19850315 201012 1 001`.
    pub fn grouped(&self) -> String {
        let d = &self.digits;
        format!("{} {} {} {}", &d[0..8], &d[8..14], &d[14..15], &d[15..18])
    }
}

impl fmt::Display for Nip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

impl Serialize for Nip {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
    }

    fn parse(s: &str) -> Result<Nip, String> {
        Nip::parse_as_of(s, today())
    }

    #[test]
    fn a_valid_nip_yields_its_parts() {
        let nip = parse("198503152010121001").unwrap();
        assert_eq!(nip.as_str(), "198503152010121001");
        assert_eq!(
            nip.birth_date(),
            NaiveDate::from_ymd_opt(1985, 3, 15).unwrap()
        );
        assert_eq!(nip.appointment(), (2010, 12));
        assert_eq!(nip.sex(), Sex::Male);
        assert_eq!(nip.sequence(), 1);
        assert_eq!(nip.grouped(), "19850315 201012 1 001");
        assert_eq!(nip.to_string(), "198503152010121001");
    }

    #[test]
    fn spaces_are_stripped_and_a_female_nip_parses() {
        let nip = parse(" 19900101 201503 2 045 ").unwrap();
        assert_eq!(nip.as_str(), "199001012015032045");
        assert_eq!(nip.sex(), Sex::Female);
        assert_eq!(nip.sequence(), 45);
    }

    #[test]
    fn a_wrong_length_is_named() {
        assert_eq!(
            parse("19850315201012100").unwrap_err(),
            "the NIP must have 18 digits, found 17"
        );
        assert_eq!(
            parse("1985031520101210011").unwrap_err(),
            "the NIP must have 18 digits, found 19"
        );
        assert_eq!(
            parse("  ").unwrap_err(),
            "the NIP is empty: it has 18 digits"
        );
    }

    #[test]
    fn a_non_digit_is_named() {
        assert_eq!(
            parse("1985031520101210O1").unwrap_err(),
            "the NIP must contain only digits (spaces are allowed), found 'O'"
        );
    }

    #[test]
    fn a_birth_date_that_does_not_exist_is_refused() {
        assert_eq!(
            parse("198502302010121001").unwrap_err(),
            "invalid NIP: the birth date 19850230 (digits 1–8, YYYYMMDD) is not a real date"
        );
    }

    #[test]
    fn birth_years_outside_1940_to_this_year_are_refused() {
        assert_eq!(
            parse("193001012010121001").unwrap_err(),
            "invalid NIP: the birth year 1930 (digits 1–4) must be from 1940 to 2026"
        );
        assert!(parse("202701012010121001")
            .unwrap_err()
            .contains("the birth year 2027 (digits 1–4) must be from 1940 to 2026"));
    }

    #[test]
    fn an_appointment_month_13_or_too_soon_after_birth_is_refused() {
        assert_eq!(
            parse("198503152010131001").unwrap_err(),
            "invalid NIP: the appointment month 201013 (digits 9–14, YYYYMM) is not a real month"
        );
        assert_eq!(
            parse("198503151999121001").unwrap_err(),
            "invalid NIP: the appointment year 1999 (digits 9–12) must be at least 15 years \
             after the birth year 1985"
        );
        // Fifteen years is enough (lenient on purpose).
        assert!(parse("198503152000011001").is_ok());
        assert_eq!(
            parse("198503152030011001").unwrap_err(),
            "invalid NIP: the appointment year 2030 (digits 9–12) is later than next year"
        );
    }

    #[test]
    fn sex_digit_3_is_refused() {
        assert_eq!(
            parse("198503152010123001").unwrap_err(),
            "invalid NIP: the sex digit (digit 15) must be 1 (male) or 2 (female), found 3"
        );
    }

    #[test]
    fn sequence_000_is_refused() {
        assert_eq!(
            parse("198503152010121000").unwrap_err(),
            "invalid NIP: the sequence number (digits 16–18) must be 001 to 999, found 000"
        );
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        assert_eq!(
            parse("198502302010133000").unwrap_err(),
            "invalid NIP: the birth date 19850230 (digits 1–8, YYYYMMDD) is not a real date; \
             the appointment month 201013 (digits 9–14, YYYYMM) is not a real month; \
             the sex digit (digit 15) must be 1 (male) or 2 (female), found 3; \
             the sequence number (digits 16–18) must be 001 to 999, found 000"
        );
    }

    #[test]
    fn serialises_as_its_digits() {
        let nip = parse("19850315 201012 1 001").unwrap();
        assert_eq!(
            serde_json::to_string(&nip).unwrap(),
            r#""198503152010121001""#
        );
    }
}

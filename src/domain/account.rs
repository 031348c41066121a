//! Staff accounts: roles, e-mail addresses and passwords as types that parse their input.
use serde::{Deserialize, Serialize};

/// What a staff member may do. Candidates are not accounts: they hold attempt-scoped tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages the organisation's accounts and everything HR can do.
    Admin,
    /// Builds campaigns, manages content, reads results.
    Hr,
    /// Watches and steers live sessions.
    Proctor,
    /// Rates interviews and group exercises.
    Assessor,
    /// Signs and releases psychological reports.
    Psychologist,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Hr,
        Role::Proctor,
        Role::Assessor,
        Role::Psychologist,
    ];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Hr => "hr",
            Role::Proctor => "proctor",
            Role::Assessor => "assessor",
            Role::Psychologist => "psychologist",
        }
    }

    /// Parses a stored or submitted role name.
    pub fn parse(s: &str) -> Result<Self, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!("unknown role '{s}': expected admin, hr, proctor, assessor or psychologist")
            })
    }
}

/// A psychologist's licence to practise (SIPP, *Surat Izin Praktik Psikologi*) as printed on the
/// reports they release: 3–60 characters of letters, digits, spaces and `/ . -`, with at least
/// one digit (e.g. `0123-20-2-1` or `SIPP/1234/2024`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceNumber(String);

impl LicenceNumber {
    /// Parses a licence number, trimmed.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let n = s.chars().count();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, ' ' | '/' | '.' | '-');
        if !(3..=60).contains(&n)
            || !s.chars().all(allowed)
            || !s.chars().any(|c| c.is_ascii_digit())
        {
            return Err(format!(
                "'{s}' is not a licence number: 3–60 letters, digits, spaces and / . -, with a digit"
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// The number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The unit (satuan kerja) a staff member works in, trimmed: 1–200 characters without control
/// characters.
pub fn parse_unit(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 200 || s.chars().any(char::is_control) {
        return Err("a unit needs 1 to 200 characters without control characters".into());
    }
    Ok(s.to_owned())
}

/// A syntactically plausible e-mail address, trimmed and lower-cased so that look-ups are exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses an address: one `@`, a non-empty local part, a dotted domain, at most 254 characters,
    /// no spaces or control characters.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim().to_lowercase();
        let bad = || format!("'{s}' is not a valid e-mail address");
        if s.is_empty() || s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(bad());
        }
        Ok(Self(s))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A display name for a person: 1..=200 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// Parses a name, refusing empty, over-long or control-character input.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("the name must not be empty".into());
        }
        if s.chars().count() > 200 {
            return Err("the name must be at most 200 characters".into());
        }
        if s.chars().any(|c| c.is_control()) {
            return Err("the name must not contain control characters".into());
        }
        if s.chars().any(is_direction_override) {
            return Err(
                "the name must not contain direction overrides (they make a name read as another)"
                    .into(),
            );
        }
        if s.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
            return Err("the name must contain visible characters".into());
        }
        Ok(Self(s.to_owned()))
    }

    /// The trimmed name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069):
/// they reorder how the rest of a name is shown, so "abc" can read as "cba" on a screen or a card.
fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room on a screen: zero-width spaces and joiners, the word joiner, the
/// byte-order mark, the soft hyphen, the Hangul and Braille blanks.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{3164}'
            | '\u{2800}'
    )
}

/// A new password chosen for an account: 10..=128 characters. Its `Debug` never prints it.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    /// Minimum length: long passphrases beat composition rules (NIST SP 800-63B).
    pub const MIN_CHARS: usize = 10;
    /// Maximum length, so hashing cost stays bounded.
    pub const MAX_CHARS: usize = 128;

    /// Parses a chosen password.
    pub fn parse(s: &str) -> Result<Self, String> {
        let n = s.chars().count();
        if n < Self::MIN_CHARS {
            return Err(format!(
                "the password must be at least {} characters",
                Self::MIN_CHARS
            ));
        }
        if n > Self::MAX_CHARS {
            return Err(format!(
                "the password must be at most {} characters",
                Self::MAX_CHARS
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// The password itself, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Ana@Example.GO.ID ").unwrap().as_str(),
            "ana@example.go.id"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "", "ana", "ana@", "@x.id", "ana@x", "a b@x.id", "a@@x.id", "a@x..id", "a@.x.id",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn short_and_long_passwords_are_refused() {
        assert!(NewPassword::parse("123456789").is_err());
        assert!(NewPassword::parse("1234567890").is_ok());
        assert!(NewPassword::parse(&"x".repeat(129)).is_err());
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let p = NewPassword::parse("rahasia-sekali-123").unwrap();
        assert!(!format!("{p:?}").contains("rahasia"));
    }

    #[test]
    fn names_that_reorder_themselves_or_show_nothing_are_refused() {
        assert!(PersonName::parse("Budi \u{202E}otnaS").is_err());
        assert!(PersonName::parse("\u{2067}Siti").is_err());
        assert!(PersonName::parse("\u{200B}\u{200B}").is_err());
        assert!(PersonName::parse("\u{FEFF} \u{3164}").is_err());
        // A joiner inside a real name is fine (some scripts need it).
        assert_eq!(
            PersonName::parse("Nur\u{200D}aini").unwrap().as_str(),
            "Nur\u{200D}aini"
        );
        assert_eq!(
            PersonName::parse("Ni Luh Putu Ayu").unwrap().as_str(),
            "Ni Luh Putu Ayu"
        );
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PersonName::parse("  Budi ").unwrap().as_str(), "Budi");
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"a".repeat(201)).is_err());
    }

    #[test]
    fn a_licence_number_needs_a_digit_and_only_plain_characters() {
        assert_eq!(
            LicenceNumber::parse(" SIPP/0123/2024 ").unwrap().as_str(),
            "SIPP/0123/2024"
        );
        assert!(LicenceNumber::parse("0123-20-2-1").is_ok());
        assert!(LicenceNumber::parse("SIPP").is_err());
        assert!(LicenceNumber::parse("12").is_err());
        assert!(LicenceNumber::parse("12<script>").is_err());
    }

    #[test]
    fn a_unit_is_trimmed_and_may_not_be_empty() {
        assert_eq!(parse_unit("  BKPSDM "), Ok("BKPSDM".to_owned()));
        assert!(parse_unit("   ").is_err());
    }
}

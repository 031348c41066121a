//! Candidate access codes: what a participant types, with no account and no password, to start
//! their attempt on a school-lab PC or a phone. Printed on a card or read out by a proctor, so they
//! must be easy to read and type, and random enough that guessing one is hopeless.
//!
//! # Alphabet
//! [`ALPHABET`] has 28 symbols: the digits `2–9` and the letters without a twin.
//! - `0`/`O`, `1`/`I`/`L`: removed entirely; no symbol of either family is ever shown, so a
//!   typed `0`, `O`, `1`, `I` or `L` is refused with a message saying so (it cannot be mapped
//!   to one meaning).
//! - `5`/`S`, `2`/`Z`, `8`/`B`: the digit is kept and the letter removed, so a letter typed for a
//!   digit is mapped back to it (`S`→`5`, `Z`→`2`, `B`→`8`). Digits are kept because they read
//!   the same in every font and are spoken unambiguously ("lima", "dua", "delapan").
//!
//! # Entropy
//! [`LEN`] = 10 symbols from 28: 28¹⁰ ≈ 2.96 × 10¹⁴ codes, **48.07 bits**, drawn uniformly with the
//! operating system's CSPRNG. Shown as two groups of five, `7KQ4M-XR9TD`: five symbols is a chunk
//! people hold in short-term memory while switching between a card and a keyboard.
//!
//! # Storage
//! The code itself is stored nowhere: it is printed once and then only its [`AccessCode::digest`]
//! under the server's [`CodeKey`] is kept and looked up. See that method for why a fast keyed
//! hash is the right one here.
use std::fmt;

use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::{CryptoRng, Rng, RngCore};
use sha2::{Digest, Sha256};

/// The symbols of an access code, in the order used to draw them.
pub const ALPHABET: &str = "23456789ACDEFGHJKMNPQRTUVWXY";
/// Symbols in a code.
pub const LEN: usize = 10;
/// Symbols in each of the two displayed groups.
const GROUP: usize = LEN / 2;
/// Domain separation for [`AccessCode::digest`]: the same string keyed for another purpose never
/// gives the same digest. Changing it invalidates every stored code digest.
const DIGEST_PREFIX: &[u8] = b"meritest.access-code.v2\0";
/// The prefix of [`AccessCode::legacy_hash`], the unkeyed hash of codes issued before keys.
const LEGACY_PREFIX: &[u8] = b"meritest.access-code.v1\0";

/// The server's secret key for access-code digests, kept apart from the token signing secret
/// so that rotating one does not kill the other. `Debug` never shows it.
#[derive(Clone)]
pub struct CodeKey(Box<[u8]>);

impl CodeKey {
    /// A key of these bytes (the caller checks that they are random enough).
    pub fn new(bytes: impl Into<Box<[u8]>>) -> Self {
        Self(bytes.into())
    }
}

impl fmt::Debug for CodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeKey(…)")
    }
}

/// A candidate access code: 10 symbols of [`ALPHABET`]. `Display` shows the grouped form to print;
/// `Debug` never shows the code.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessCode([u8; LEN]);

impl AccessCode {
    /// A new code from the operating system's CSPRNG.
    pub fn generate() -> Self {
        Self::generate_with(&mut OsRng)
    }

    /// A new code from the given cryptographic generator (tests use a seeded one).
    pub fn generate_with<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let alphabet = ALPHABET.as_bytes();
        // `gen_range` samples by rejection, so every symbol is equally likely (no modulo bias).
        Self(std::array::from_fn(|_| {
            alphabet[rng.gen_range(0..alphabet.len())]
        }))
    }

    /// Normalises what a person typed into a code: letters in either case; spaces, hyphens and
    /// dashes anywhere are ignored; `S`, `Z`, `B` are read as `5`, `2`, `8`. Anything else, and
    /// in particular `0 O 1 I L`, is refused with a message naming the character.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut out = [0u8; LEN];
        let mut n = 0usize;
        for c in s.chars() {
            if c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}') {
                continue;
            }
            let symbol = match c.to_ascii_uppercase() {
                'S' => '5',
                'Z' => '2',
                'B' => '8',
                u @ ('0' | 'O' | '1' | 'I' | 'L') => {
                    return Err(format!(
                        "'{c}' never appears in access codes (neither do 0, O, 1, I and L): \
                         check the code {}",
                        if u.is_ascii_digit() {
                            "for a letter"
                        } else {
                            "for a digit or another letter"
                        }
                    ))
                }
                u if u.is_ascii() && ALPHABET.contains(u) => u,
                _ => {
                    return Err(format!(
                        "'{c}' is not allowed in an access code: it has only letters and digits"
                    ))
                }
            };
            if n < LEN {
                out[n] = symbol as u8;
            }
            n += 1;
        }
        match n {
            0 => Err("the access code is empty".into()),
            LEN => Ok(Self(out)),
            _ => Err(format!(
                "an access code has {LEN} letters and digits (not counting spaces and hyphens), \
                 found {n}"
            )),
        }
    }

    /// The lower-case hex HMAC-SHA256 (RFC 2104) under `key` of a fixed domain-separation prefix
    /// and the normalised code (10 symbols, no hyphen): the value stored and looked up.
    ///
    /// Why a fast hash rather than argon2: the look-up must find a row by the code alone, so
    /// there can be no per-row salt, and a slow hash on every attempt start would cost tens of
    /// milliseconds of CPU per candidate while thousands start at the same minute, and hand an
    /// attacker a cheap way to exhaust the servers. The code is not chosen by a person: its 48
    /// bits are uniform, so there is no dictionary to try. Online guessing with 20,000 live codes
    /// succeeds with probability ≈ 7 × 10⁻¹¹ per try, before rate limits. Why keyed: with a plain
    /// hash, whoever holds a database dump could search all 2⁴⁸ codes offline in hours on GPUs;
    /// under a key that lives outside the database (a setting or a key file), the dump alone
    /// gives nothing to search with.
    pub fn digest(&self, key: &CodeKey) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&key.0).expect("HMAC takes keys of any length");
        mac.update(DIGEST_PREFIX);
        mac.update(&self.0);
        hex::encode(mac.finalize().into_bytes())
    }

    /// The unkeyed hash stored for codes issued before codes were keyed: the lower-case hex
    /// SHA-256 of a fixed prefix and the normalised code. Looked up only when the keyed digest
    /// finds nothing, so that those codes keep working (and are re-keyed on their first use).
    pub fn legacy_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(LEGACY_PREFIX);
        h.update(self.0);
        hex::encode(h.finalize())
    }
}

impl fmt::Display for AccessCode {
    /// The grouped form, `7KQ4M-XR9TD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = self.0.split_at(GROUP);
        // Every byte is an ASCII symbol of the alphabet.
        for &c in a {
            write!(f, "{}", c as char)?;
        }
        f.write_str("-")?;
        for &c in b {
            write!(f, "{}", c as char)?;
        }
        Ok(())
    }
}

impl fmt::Debug for AccessCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessCode(*****-*****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn code(s: &str) -> AccessCode {
        AccessCode::parse(s).unwrap()
    }

    #[test]
    fn the_alphabet_has_28_distinct_symbols_without_look_alikes() {
        let mut symbols: Vec<char> = ALPHABET.chars().collect();
        symbols.sort_unstable();
        symbols.dedup();
        assert_eq!(symbols.len(), 28);
        for c in "0O1IL5S2Z8B".chars() {
            let twins = "0O1IL".contains(c) || "SZB".contains(c);
            assert_eq!(ALPHABET.contains(c), !twins, "{c}");
        }
    }

    #[test]
    fn ten_symbols_carry_at_least_48_bits() {
        let bits = LEN as f64 * (ALPHABET.len() as f64).log2();
        assert!(bits >= 48.0, "{bits}");
        assert!((bits - 48.07).abs() < 0.01, "{bits}");
    }

    #[test]
    fn generated_codes_print_grouped_and_parse_back() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        for _ in 0..200 {
            let c = AccessCode::generate_with(&mut rng);
            let shown = c.to_string();
            assert_eq!(shown.len(), 11);
            assert_eq!(&shown[5..6], "-");
            assert!(shown.chars().all(|ch| ch == '-' || ALPHABET.contains(ch)));
            assert_eq!(AccessCode::parse(&shown).unwrap(), c);
        }
        assert_ne!(AccessCode::generate(), AccessCode::generate());
    }

    #[test]
    fn every_symbol_is_drawn() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100 {
            seen.extend(AccessCode::generate_with(&mut rng).to_string().chars());
        }
        assert_eq!(seen.len(), 29); // 28 symbols and the hyphen
    }

    #[test]
    fn typing_is_forgiving_about_case_spaces_hyphens_and_letter_twins() {
        let c = code("7KQ4M-XR9TD");
        assert_eq!(code("7kq4m xr9td"), c);
        assert_eq!(code(" 7kq 4m-xr9 td "), c);
        assert_eq!(code("7KQ4MXR9TD"), c);
        assert_eq!(code("7KQ4M–XR9TD"), c); // en dash from a word processor
        assert_eq!(code("s2b4m-xr9td"), code("5284M-XR9TD"));
        assert_eq!(code("Z2B4M-XR9TD").to_string(), "2284M-XR9TD");
    }

    #[test]
    fn look_alikes_outside_the_alphabet_are_refused_with_a_reason() {
        assert_eq!(
            AccessCode::parse("7KQ4M-XR0TD").unwrap_err(),
            "'0' never appears in access codes (neither do 0, O, 1, I and L): check the code \
             for a letter"
        );
        assert_eq!(
            AccessCode::parse("7KQ4M-XRoTD").unwrap_err(),
            "'o' never appears in access codes (neither do 0, O, 1, I and L): check the code \
             for a digit or another letter"
        );
        assert!(AccessCode::parse("7KQ4M-XRlTD").is_err());
    }

    #[test]
    fn other_characters_and_wrong_lengths_are_refused() {
        assert_eq!(
            AccessCode::parse("7KQ4M#XR9TD").unwrap_err(),
            "'#' is not allowed in an access code: it has only letters and digits"
        );
        assert_eq!(
            AccessCode::parse("7KQ4M-XÉ9TD").unwrap_err(),
            "'É' is not allowed in an access code: it has only letters and digits"
        );
        assert_eq!(
            AccessCode::parse("7KQ4M-XR9T").unwrap_err(),
            "an access code has 10 letters and digits (not counting spaces and hyphens), found 9"
        );
        assert_eq!(
            AccessCode::parse("7KQ4M-XR9TDD").unwrap_err(),
            "an access code has 10 letters and digits (not counting spaces and hyphens), found 11"
        );
        assert_eq!(
            AccessCode::parse(" - ").unwrap_err(),
            "the access code is empty"
        );
    }

    fn key(k: &[u8]) -> CodeKey {
        CodeKey::new(k.to_vec())
    }

    #[test]
    fn the_digest_is_an_hmac_of_the_normalised_code_with_a_prefix() {
        let k = key(b"0123456789abcdef0123456789abcdef");
        let h = code("7KQ4M-XR9TD").digest(&k);
        assert_eq!(h.len(), 64);
        assert!(h
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(code("7kq4m xr9td").digest(&k), h);
        assert_ne!(code("7KQ4M-XR9TE").digest(&k), h);
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(b"0123456789abcdef0123456789abcdef").unwrap();
        mac.update(b"meritest.access-code.v2\0");
        mac.update(b"7KQ4MXR9TD");
        assert_eq!(h, hex::encode(mac.finalize().into_bytes()));
    }

    #[test]
    fn the_digest_depends_on_the_key_and_is_no_plain_hash() {
        let c = code("7KQ4M-XR9TD");
        let h = c.digest(&key(b"one key, long enough for the test"));
        assert_ne!(h, c.digest(&key(b"another key, long enough for it")));
        assert_ne!(h, hex::encode(Sha256::digest(b"7KQ4MXR9TD")));
        assert_ne!(h, c.legacy_hash());
    }

    #[test]
    fn the_legacy_hash_is_the_prefixed_sha256_codes_were_stored_under() {
        let h = code("7KQ4M-XR9TD").legacy_hash();
        let mut with_prefix = Sha256::new();
        with_prefix.update(b"meritest.access-code.v1\0");
        with_prefix.update(b"7KQ4MXR9TD");
        assert_eq!(h, hex::encode(with_prefix.finalize()));
    }

    #[test]
    fn debug_never_shows_the_code() {
        let c = code("7KQ4M-XR9TD");
        assert_eq!(format!("{c:?}"), "AccessCode(*****-*****)");
        assert_eq!(format!("{:?}", key(b"secret")), "CodeKey(…)");
    }
}

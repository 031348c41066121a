//! Password hashing with argon2id, off the async threads (it is deliberately slow).
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::Rng;

use crate::error::ApiError;

/// Hashes a password into a PHC string.
pub async fn hash(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)
}

/// Whether `password` matches the PHC string `phc`. A malformed stored hash counts as no match.
pub async fn verify(password: String, phc: String) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(ApiError::internal)
}

/// A hash of nothing in particular, verified against when an e-mail address is unknown so that
/// sign-in takes as long for unknown addresses as for known ones.
pub const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Q0n1r6Cq1HtmJ5vv3o2vFqH7p3Yk7G6j1m0pYxN9cSk";

/// A random password of `len` characters that is easy to read aloud and type: no 0/O, 1/l/I.
pub fn generate(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let phc = hash("kata-sandi-panjang".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("kata-sandi-panjang".into(), phc.clone())
            .await
            .unwrap());
        assert!(!verify("kata-sandi-salah".into(), phc).await.unwrap());
    }

    #[tokio::test]
    async fn a_malformed_stored_hash_never_matches() {
        assert!(!verify("x".into(), "not-a-hash".into()).await.unwrap());
        assert!(!verify("x".into(), DECOY_HASH.into()).await.unwrap());
    }

    #[test]
    fn generated_passwords_avoid_look_alike_characters() {
        let p = generate(200);
        assert_eq!(p.len(), 200);
        assert!(!p.contains(['0', 'O', '1', 'l', 'I']));
    }
}

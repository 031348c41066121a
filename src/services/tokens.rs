//! Staff tokens: HS256 JWTs with typed claims, the algorithm pinned, issuer and audience checked.
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clock::Clock;
use crate::config::AuthSettings;
use crate::domain::account::Role;
use crate::domain::ids::{AccountId, AttemptId, OrganisationId};

/// The claims of a staff token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffClaims {
    /// The account.
    pub sub: Uuid,
    /// The account's organisation.
    pub org: Uuid,
    /// The role when the token was issued (the account's current role is checked on each request).
    pub role: Role,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Token identifier, for revocation.
    pub jti: String,
}

impl StaffClaims {
    /// The account the token was issued to.
    pub fn account(&self) -> AccountId {
        self.sub.into()
    }

    /// The organisation of that account.
    pub fn organisation(&self) -> OrganisationId {
        self.org.into()
    }

    /// When the token stops being valid.
    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.exp, 0).unwrap_or(DateTime::UNIX_EPOCH)
    }
}

/// The claims of a candidate token: scoped to one attempt and one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateClaims {
    /// The attempt.
    pub sub: Uuid,
    /// Its organisation.
    pub org: Uuid,
    /// The device this token was issued to; a later sign-in elsewhere replaces it.
    pub dev: String,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
    /// Issuer.
    pub iss: String,
    /// Audience: the candidate audience, never the staff one.
    pub aud: String,
}

impl CandidateClaims {
    /// The attempt the token is scoped to.
    pub fn attempt(&self) -> AttemptId {
        self.sub.into()
    }

    /// When the token stops being valid.
    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.exp, 0).unwrap_or(DateTime::UNIX_EPOCH)
    }
}

/// Audience of candidate tokens.
pub const CANDIDATE_AUDIENCE: &str = "meritest-candidate";

/// Why a token was not accepted.
#[derive(Debug, thiserror::Error)]
#[error("token rejected: {0}")]
pub struct TokenError(String);

/// Keys and rules for staff tokens.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    candidate_validation: Validation,
    issuer: String,
    audience: String,
    ttl: Duration,
    candidate_ttl: Duration,
    clock: Clock,
}

/// Seconds a token may be past its expiry and still pass (clocks of nodes differ a little).
const LEEWAY_SECONDS: i64 = 30;

impl TokenKeys {
    /// Keys from a secret; issue and expiry times come from `clock`.
    pub fn new(secret: &SecretString, settings: &AuthSettings, clock: Clock) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        // Expiry is checked against the node's clock (see `unexpired`), not the library's.
        validation.validate_exp = false;
        let mut candidate_validation = validation.clone();
        candidate_validation.set_audience(&[CANDIDATE_AUDIENCE]);
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            candidate_validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl: Duration::minutes(settings.token_ttl_minutes.max(1)),
            candidate_ttl: Duration::minutes(settings.candidate_token_ttl_minutes.max(1)),
            clock,
        }
    }

    /// Issues a token for an account.
    pub fn issue(
        &self,
        account: AccountId,
        org: OrganisationId,
        role: Role,
    ) -> Result<(String, StaffClaims), TokenError> {
        let now = self.clock.now();
        let claims = StaffClaims {
            sub: account.as_uuid(),
            org: org.as_uuid(),
            role,
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            jti: Uuid::new_v4().simple().to_string(),
        };
        Ok((self.sign(&claims)?, claims))
    }

    /// Verifies signature, algorithm, expiry, issuer and audience. No I/O.
    pub fn verify(&self, token: &str) -> Result<StaffClaims, TokenError> {
        let claims: StaffClaims = self.decode(token, &self.validation)?;
        self.in_force(claims.iat, claims.exp)?;
        Ok(claims)
    }

    /// Issues a candidate token for an attempt on a device.
    pub fn issue_candidate(
        &self,
        attempt: AttemptId,
        org: OrganisationId,
        device: &str,
    ) -> Result<(String, CandidateClaims), TokenError> {
        let now = self.clock.now();
        let claims = CandidateClaims {
            sub: attempt.as_uuid(),
            org: org.as_uuid(),
            dev: device.to_owned(),
            iat: now.timestamp(),
            exp: (now + self.candidate_ttl).timestamp(),
            iss: self.issuer.clone(),
            aud: CANDIDATE_AUDIENCE.to_owned(),
        };
        Ok((self.sign(&claims)?, claims))
    }

    /// Verifies a candidate token: signature, algorithm, expiry, issuer, candidate audience. No I/O.
    pub fn verify_candidate(&self, token: &str) -> Result<CandidateClaims, TokenError> {
        let claims: CandidateClaims = self.decode(token, &self.candidate_validation)?;
        self.in_force(claims.iat, claims.exp)?;
        Ok(claims)
    }

    /// Signs claims with the pinned algorithm.
    fn sign(&self, claims: &impl Serialize) -> Result<String, TokenError> {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|e| TokenError(e.to_string()))
    }

    /// The claims of a token whose signature and fields `validation` accepts.
    fn decode<C: DeserializeOwned>(
        &self,
        token: &str,
        validation: &Validation,
    ) -> Result<C, TokenError> {
        decode::<C>(token, &self.decoding, validation)
            .map(|d| d.claims)
            .map_err(|e| TokenError(e.to_string()))
    }

    /// Whether a token is in force by the node's clock: issued no later than now and not yet
    /// expired, each with the leeway that nodes' clocks may differ by. A token "issued" in the
    /// future could only have been signed by someone who should not hold the key, or on a clock
    /// that is wrong; either way it is refused.
    fn in_force(&self, iat: i64, exp: i64) -> Result<(), TokenError> {
        let now = self.clock.now().timestamp();
        if exp + LEEWAY_SECONDS < now {
            return Err(TokenError("ExpiredSignature".into()));
        }
        if iat > now + LEEWAY_SECONDS {
            return Err(TokenError("issued in the future".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> AuthSettings {
        AuthSettings {
            secret: None,
            access_code_key: None,
            token_ttl_minutes: 60,
            candidate_token_ttl_minutes: 60,
            issuer: "meritest".into(),
            audience: "meritest-staff".into(),
            login_window_seconds: 300,
            login_attempts_per_address: 60,
            login_backoff_after: 5,
            login_backoff_max_seconds: 900,
            login_failures_per_account: 100,
            candidate_attempts_per_address: 3000,
            candidate_failures_per_code: 5,
            candidate_failures_per_campaign: 100,
        }
    }

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    fn keys(secret: &str) -> TokenKeys {
        keys_on(secret, Clock::system())
    }

    fn keys_on(secret: &str, clock: Clock) -> TokenKeys {
        TokenKeys::new(&SecretString::from(secret.to_owned()), &settings(), clock)
    }

    /// The claims of a fresh hr token, to alter and sign again.
    fn hr_claims(k: &TokenKeys) -> StaffClaims {
        k.issue(AccountId::new(), OrganisationId::new(), Role::Hr)
            .unwrap()
            .1
    }

    /// A token signed with the right secret, whatever its claims and algorithm.
    fn forge(algorithm: Algorithm, claims: &StaffClaims) -> String {
        encode(
            &Header::new(algorithm),
            claims,
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap()
    }

    #[test]
    fn an_issued_token_verifies_with_its_claims() {
        let k = keys(SECRET);
        let (token, claims) = k
            .issue(AccountId::new(), OrganisationId::new(), Role::Hr)
            .unwrap();
        assert_eq!(k.verify(&token).unwrap(), claims);
        assert_eq!(claims.exp - claims.iat, 3600);
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let (token, _) = keys("a".repeat(32).as_str())
            .issue(AccountId::new(), OrganisationId::new(), Role::Hr)
            .unwrap();
        assert!(keys("b".repeat(32).as_str()).verify(&token).is_err());
    }

    #[test]
    fn a_token_for_another_audience_or_algorithm_is_refused() {
        let k = keys(SECRET);
        let mut claims = hr_claims(&k);
        claims.aud = "someone-else".into();
        let other = forge(Algorithm::HS256, &claims);
        assert!(k.verify(&other).is_err());
        claims.aud = "meritest-staff".into();
        let hs512 = forge(Algorithm::HS512, &claims);
        assert!(k.verify(&hs512).is_err());
    }

    #[test]
    fn staff_and_candidate_tokens_are_not_interchangeable() {
        let k = keys(SECRET);
        let (staff, _) = k
            .issue(AccountId::new(), OrganisationId::new(), Role::Admin)
            .unwrap();
        let (candidate, claims) = k
            .issue_candidate(AttemptId::new(), OrganisationId::new(), "dev-1")
            .unwrap();
        assert_eq!(k.verify_candidate(&candidate).unwrap(), claims);
        assert!(k.verify_candidate(&staff).is_err());
        assert!(k.verify(&candidate).is_err());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let k = keys(SECRET);
        let mut claims = hr_claims(&k);
        claims.exp = Utc::now().timestamp() - 3600;
        let token = forge(Algorithm::HS256, &claims);
        assert!(k.verify(&token).is_err());
    }

    #[test]
    fn a_token_is_refused_once_the_clock_passes_its_expiry() {
        let clock = Clock::settable();
        let k = keys_on(SECRET, clock.clone());
        let (staff, _) = k
            .issue(AccountId::new(), OrganisationId::new(), Role::Hr)
            .unwrap();
        let (candidate, _) = k
            .issue_candidate(AttemptId::new(), OrganisationId::new(), "dev-1")
            .unwrap();
        clock.advance(std::time::Duration::from_secs(3600 + 10));
        assert!(k.verify(&staff).is_ok(), "within the leeway");
        assert!(k.verify_candidate(&candidate).is_ok(), "within the leeway");
        clock.advance(std::time::Duration::from_secs(30));
        assert!(k.verify(&staff).is_err());
        assert!(k.verify_candidate(&candidate).is_err());
    }

    #[test]
    fn a_token_issued_in_the_future_is_refused() {
        let clock = Clock::settable();
        let ahead = TokenKeys::new(
            &SecretString::from("0123456789abcdef0123456789abcdef".to_owned()),
            &settings(),
            clock.clone(),
        );
        let now = TokenKeys::new(
            &SecretString::from("0123456789abcdef0123456789abcdef".to_owned()),
            &settings(),
            Clock::settable(),
        );
        clock.advance(std::time::Duration::from_secs(10));
        let (within, _) = ahead
            .issue(AccountId::new(), OrganisationId::new(), Role::Hr)
            .unwrap();
        assert!(
            now.verify(&within).is_ok(),
            "10 s ahead is within the leeway"
        );
        clock.advance(std::time::Duration::from_secs(50));
        let (staff, _) = ahead
            .issue(AccountId::new(), OrganisationId::new(), Role::Hr)
            .unwrap();
        let (candidate, _) = ahead
            .issue_candidate(AttemptId::new(), OrganisationId::new(), "dev-1")
            .unwrap();
        assert!(now.verify(&staff).is_err());
        assert!(now.verify_candidate(&candidate).is_err());
    }
}

//! The limit on sign-in attempts, for staff and candidates alike: each attempt is counted per
//! client address and per account (an e-mail address, or an access code) in the live store
//! before any secret is checked, so guessing costs the same on every node.
use std::time::Duration;

use super::AppContext;
use crate::error::{ApiError, ErrorCode};

/// Which sign-in is being counted; each keeps counts of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// Staff: e-mail address and password.
    Staff,
    /// Candidates: access code and NIP or birth date.
    Candidate,
}

impl Door {
    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Door::Staff => ("login-client", "login-email"),
            Door::Candidate => ("candidate-login-client", "candidate-login-code"),
        }
    }
}

/// Counts one sign-in attempt from `client` for `account` (none when what was typed names no
/// account at all), and refuses with `too_many_requests` once either count is over its limit.
pub async fn count(
    ctx: &AppContext,
    door: Door,
    client: &str,
    account: Option<&str>,
) -> Result<(), ApiError> {
    let auth = &ctx.settings.auth;
    let window = Duration::from_secs(auth.login_window_seconds);
    let (client_key, account_key) = door.keys();
    let by_client = ctx
        .live
        .hit(&format!("{client_key}:{client}"), window)
        .await
        .map_err(ApiError::unavailable)?;
    let by_account = match account {
        Some(a) => ctx
            .live
            .hit(&format!("{account_key}:{a}"), window)
            .await
            .map_err(ApiError::unavailable)?,
        None => 0,
    };
    if by_client > auth.login_attempts_per_address || by_account > auth.login_attempts_per_email {
        return Err(ApiError::new(
            ErrorCode::TooManyRequests,
            format!(
                "too many sign-in attempts; wait {} minutes and try again",
                auth.login_window_seconds.div_ceil(60)
            ),
        ));
    }
    Ok(())
}

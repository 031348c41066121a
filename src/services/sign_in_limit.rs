//! The limits on sign-in attempts, counted in the live store so that guessing costs the same on
//! every node. They are drawn around the guesser, not the owner:
//!
//! - **Candidates** at a test centre share one client address, so the address limit is far above
//!   a full lab ([`auth.candidate_attempts_per_address`]); guessing is limited per access code
//!   (failed sign-ins with one code, whether it exists or not) and per campaign (wrong NIPs or
//!   birth dates with codes of one campaign: past that ceiling, every code of the campaign gets
//!   one try per window, so candidates who type their details right still get in).
//! - **Staff**: wrong passwords are counted per (client address, e-mail address) pair, and past a
//!   few that client must wait between attempts, 1 s doubling up to a cap; the owner signing in
//!   from elsewhere is not slowed at all. Against guessing spread over many addresses, an account
//!   with too many wrong passwords in a window may be tried only from client addresses that have
//!   signed in to it before. A successful sign-in clears the pair's count.
//!
//! Every count is taken before any secret is checked, and the counts that must hold under
//! concurrent attempts (per code, per pair) are taken first and released on success, so a burst
//! of simultaneous guesses cannot slip under a limit.
//!
//! [`auth.candidate_attempts_per_address`]: crate::config::AuthSettings::candidate_attempts_per_address
use std::time::Duration;

use super::AppContext;
use crate::domain::ids::CampaignId;
use crate::error::{ApiError, ErrorCode};

/// How long a (client, account) pair's attempts are remembered without another: the back-off
/// keeps doubling over that long (up to its cap) instead of starting again each window.
const PAIR_MEMORY: Duration = Duration::from_secs(24 * 60 * 60);

/// How long a client address that signed in to an account counts as one the owner uses.
const KNOWN_ADDRESS_MEMORY: Duration = Duration::from_secs(30 * 24 * 60 * 60);

fn too_many(message: String) -> ApiError {
    ApiError::new(ErrorCode::TooManyRequests, message)
}

fn window(ctx: &AppContext) -> Duration {
    Duration::from_secs(ctx.settings.auth.login_window_seconds.max(1))
}

fn minutes(ctx: &AppContext) -> u64 {
    ctx.settings.auth.login_window_seconds.div_ceil(60).max(1)
}

/// A staff sign-in attempt admitted by the limits; tell it how the password check went.
#[must_use = "report how the sign-in went"]
pub struct StaffAttempt {
    pair: String,
    account: String,
    known: String,
}

/// Counts a staff sign-in attempt from `client` for the (normalised) e-mail address `email`,
/// whether or not an account has that address, and refuses it with `too_many_requests` when the
/// client has tried too often, when the account is being guessed at from many addresses and this
/// client has never signed in to it, or when this client must still wait before trying this
/// account again: after `login_backoff_after` attempts without a success, each attempt makes the
/// next wait 1 s, 2 s, 4 s … up to `login_backoff_max_seconds`. The pacing is atomic in the live
/// store, so simultaneous attempts cannot slip through together.
pub async fn staff(ctx: &AppContext, client: &str, email: &str) -> Result<StaffAttempt, ApiError> {
    let auth = &ctx.settings.auth;
    let live = &ctx.live;
    let attempt = StaffAttempt {
        pair: format!("login-pair:{client}|{email}"),
        account: format!("login-account:{email}"),
        known: format!("login-known:{email}|{client}"),
    };
    let by_client = live
        .hit(&format!("login-client:{client}"), window(ctx))
        .await
        .map_err(ApiError::unavailable)?;
    if by_client > auth.login_attempts_per_address {
        return Err(too_many(format!(
            "too many sign-in attempts from your network; wait {} minutes and try again",
            minutes(ctx)
        )));
    }
    let failures = live
        .hits(&attempt.account)
        .await
        .map_err(ApiError::unavailable)?;
    if failures >= auth.login_failures_per_account
        && live
            .hits(&attempt.known)
            .await
            .map_err(ApiError::unavailable)?
            == 0
    {
        return Err(too_many(format!(
            "this account has had too many wrong passwords; sign in from where you usually do, \
             or wait {} minutes and try again",
            minutes(ctx)
        )));
    }
    // This client's attempts for this account are paced; one that must wait is not counted.
    let wait = live
        .pace(
            &attempt.pair,
            ctx.clock.now().timestamp_millis(),
            auth.login_backoff_after.max(1),
            Duration::from_secs(auth.login_backoff_max_seconds.max(1)),
            PAIR_MEMORY,
        )
        .await
        .map_err(ApiError::unavailable)?;
    if let Some(wait) = wait {
        let seconds = wait.as_millis().div_ceil(1000);
        return Err(too_many(format!(
            "too many wrong passwords for this account from here; wait {seconds} {} and try \
             again",
            if seconds == 1 { "second" } else { "seconds" }
        )));
    }
    Ok(attempt)
}

impl StaffAttempt {
    /// The password was wrong (or the address unknown): it counts against the account.
    pub async fn failed(self, ctx: &AppContext) -> Result<(), ApiError> {
        ctx.live
            .hit(&self.account, window(ctx))
            .await
            .map_err(ApiError::unavailable)?;
        Ok(())
    }

    /// The owner signed in: this client's count for the account starts again, and the client is
    /// remembered as one the owner uses.
    pub async fn succeeded(self, ctx: &AppContext) -> Result<(), ApiError> {
        ctx.live
            .reset(&self.pair)
            .await
            .map_err(ApiError::unavailable)?;
        ctx.live
            .hit(&self.known, KNOWN_ADDRESS_MEMORY)
            .await
            .map_err(ApiError::unavailable)?;
        Ok(())
    }
}

/// Counts a candidate sign-in attempt from `client`, and refuses it with `too_many_requests`
/// once the client has made more than a full test centre would.
pub async fn candidate_client(ctx: &AppContext, client: &str) -> Result<(), ApiError> {
    let by_client = ctx
        .live
        .hit(&format!("candidate-login-client:{client}"), window(ctx))
        .await
        .map_err(ApiError::unavailable)?;
    if by_client > ctx.settings.auth.candidate_attempts_per_address {
        return Err(too_many(format!(
            "too many sign-in attempts from your network; wait {} minutes and try again",
            minutes(ctx)
        )));
    }
    Ok(())
}

/// A candidate sign-in attempt with one access code, admitted by the limits; tell it how the
/// check of the code and the second factor went.
#[must_use = "report how the sign-in went"]
pub struct CodeAttempt {
    code: String,
    /// Attempts with this code in the window so far, this one included.
    tries: u64,
}

/// Counts an attempt with the access code whose digest is `digest` (a code that exists or not),
/// and refuses it with `too_many_requests` once the code has failed too often in the window.
pub async fn candidate_code(ctx: &AppContext, digest: &str) -> Result<CodeAttempt, ApiError> {
    let code = format!("candidate-login-code:{digest}");
    let tries = ctx
        .live
        .hit(&code, window(ctx))
        .await
        .map_err(ApiError::unavailable)?;
    if tries > ctx.settings.auth.candidate_failures_per_code {
        return Err(too_many(format!(
            "too many failed sign-ins with this access code; wait {} minutes and try again, \
             or ask your proctor",
            minutes(ctx)
        )));
    }
    Ok(CodeAttempt { code, tries })
}

fn campaign_key(campaign: CampaignId) -> String {
    format!("candidate-login-campaign:{campaign}")
}

impl CodeAttempt {
    /// The code belongs to `campaign`: refuses the attempt with `too_many_requests` when the
    /// campaign has had too many wrong second factors in the window and this code has already had
    /// its try in it.
    pub async fn in_campaign(
        &self,
        ctx: &AppContext,
        campaign: CampaignId,
    ) -> Result<(), ApiError> {
        if self.tries <= 1 {
            return Ok(());
        }
        let failures = ctx
            .live
            .hits(&campaign_key(campaign))
            .await
            .map_err(ApiError::unavailable)?;
        if failures >= ctx.settings.auth.candidate_failures_per_campaign {
            return Err(too_many(format!(
                "too many failed sign-ins in this assessment; wait {} minutes and try again, \
                 or ask your proctor",
                minutes(ctx)
            )));
        }
        Ok(())
    }

    /// The code was right but the NIP or birth date was not: it counts against the campaign
    /// (the code's own count already holds this attempt).
    pub async fn wrong_factor(
        self,
        ctx: &AppContext,
        campaign: CampaignId,
    ) -> Result<(), ApiError> {
        ctx.live
            .hit(&campaign_key(campaign), window(ctx))
            .await
            .map_err(ApiError::unavailable)?;
        Ok(())
    }

    /// The code and the second factor were right: the code's count starts again.
    pub async fn succeeded(self, ctx: &AppContext) -> Result<(), ApiError> {
        ctx.live
            .reset(&self.code)
            .await
            .map_err(ApiError::unavailable)
    }
}

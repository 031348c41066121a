//! Signed-out staff tokens stay refused, whatever happens to the live store (issue 10, item 7).
//!
//! A revocation is written to the database first, where it is durable, then to the live store,
//! which answers the check on every request without a database read. A live store that restarted
//! or lost its data says so (it no longer holds the marker set when it was loaded): the
//! revocations in force are then read back from the database into it, and it answers again.
//! Revocations of tokens that have expired anyway are pruned in the background.
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{background, AppContext};
use crate::domain::ids::AccountId;
use crate::error::ApiError;
use crate::store::revocations;

/// How long a revocation outlives its token: the verifier accepts a token 30 s past its expiry
/// (clocks of nodes differ a little), so hold it a minute.
const KEPT_PAST_EXPIRY: chrono::Duration = chrono::Duration::seconds(60);

/// How often each node prunes revocations of expired tokens.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Revokes the token `jti` of `account`, which expires at `expires_at`: durably, then in the
/// live store. When the live store fails after the database took it, the caller is answered
/// 503 and may sign out again; the token is refused in any case once the live store is reloaded.
pub async fn revoke(
    ctx: &AppContext,
    jti: &str,
    account: AccountId,
    expires_at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let now = ctx.clock.now();
    let until = expires_at + KEPT_PAST_EXPIRY;
    revocations::insert(&ctx.db, jti, account, now, until).await?;
    ctx.live
        .revoke_token(jti, time_left(until, now))
        .await
        .map_err(ApiError::unavailable)
}

/// Whether the token `jti` has been revoked: the live store's answer, or, when it does not know,
/// the database's, after which the live store holds every revocation in force again.
/// When the live store fails, the database answers alone and nothing is loaded.
pub async fn is_revoked(ctx: &AppContext, jti: &str) -> Result<bool, ApiError> {
    let live = ctx.live.is_token_revoked(jti).await;
    if let Ok(Some(known)) = live {
        return Ok(known);
    }
    let now = ctx.clock.now();
    let in_force = revocations::in_force(&ctx.db, now).await?;
    let revoked = in_force.iter().any(|(j, _)| j == jti);
    if live.is_err() {
        return Ok(revoked);
    }
    let load: Vec<(String, Duration)> = in_force
        .into_iter()
        .map(|(j, until)| (j, time_left(until, now)))
        .collect();
    if let Err(e) = ctx.live.load_revocations(&load).await {
        tracing::warn!(error = %e, "revocations not loaded into the live store; the database answered");
        return Ok(revoked);
    }
    tracing::info!(
        revocations = load.len(),
        "the live store held no revocations; loaded them from the database"
    );
    Ok(revoked)
}

/// Deletes the revocations of tokens that have expired (they are refused as expired anyway);
/// how many went.
pub async fn prune(ctx: &AppContext) -> Result<u64, ApiError> {
    Ok(revocations::prune(&ctx.db, ctx.clock.now()).await?)
}

/// Prunes on this node every [`PRUNE_EVERY`] until the process stops.
pub fn spawn(ctx: AppContext) {
    background::every(
        ctx,
        PRUNE_EVERY,
        "pruning expired revocations",
        |ctx| async move { prune(&ctx).await },
    );
}

/// The time from `now` to `until`, at least a millisecond (a live-store key needs a lifetime).
fn time_left(until: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (until - now)
        .to_std()
        .unwrap_or_default()
        .max(Duration::from_millis(1))
}

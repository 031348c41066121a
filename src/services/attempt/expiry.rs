//! The expiry sweep: every node looks, every few seconds, for sections whose deadline has passed,
//! for running attempts whose every section is closed, and for unfinished attempts of campaigns
//! that have closed, and closes and scores them, so a candidate who never comes back is still
//! scored. The conditional updates in the store make the
//! sweep safe with several nodes: whoever closes or finishes first does it, the others skip.
//! The pages of the attempts it ends are told at once (their live line), so a candidate whose
//! campaign closed sees that their test has ended rather than an item that no longer saves.
use std::time::Duration;

use super::{ending, rules};
use crate::domain::attempt::AttemptStatus;
use crate::domain::ids::AttemptId;
use crate::error::ApiError;
use crate::services::background;
use crate::services::monitor;
use crate::services::AppContext;
use crate::store::attempts as repo;

/// Most items handled per sweep, so one sweep stays short; the next takes the rest.
const BATCH: u64 = 500;

/// Running attempts the repair looks at per sweep: at 20,000 running attempts and a sweep every
/// 5 s, each is looked at every 50 s, and a sweep costs the same at 200 or 200,000.
const REPAIR_WINDOW: u64 = 2_000;

/// Where this node's repair goes on at its next sweep.
#[derive(Default)]
pub struct RepairCursor(std::sync::Mutex<Option<uuid::Uuid>>);

/// Runs one sweep; returns how many attempts it looked at.
pub async fn sweep(ctx: &AppContext) -> Result<usize, ApiError> {
    let now = ctx.clock.now();
    let mut seen = 0;
    let overdue = rules::overdue_before(ctx, now);
    for (attempt, _) in repo::overdue_sections(&ctx.db, overdue, BATCH).await? {
        ending::close_if_overdue(ctx, AttemptId::from(attempt), now).await?;
        seen += 1;
    }
    // Repair: an attempt whose every section is closed is over, however it got there.
    let after = *ctx.repair.0.lock().unwrap_or_else(|p| p.into_inner());
    let (over, next) =
        repo::running_with_every_section_closed(&ctx.db, after, REPAIR_WINDOW).await?;
    *ctx.repair.0.lock().unwrap_or_else(|p| p.into_inner()) = next;
    let mut ended = Vec::new();
    for attempt in over {
        let id = AttemptId::from(attempt);
        ending::finish_and_score(ctx, id, AttemptStatus::Finished, now).await?;
        ended.push(attempt);
    }
    for attempt in repo::unfinished_in_closed_campaigns(&ctx.db, now, BATCH).await? {
        let id = AttemptId::from(attempt);
        ending::finish_and_score(ctx, id, AttemptStatus::Expired, now).await?;
        ended.push(attempt);
    }
    monitor::tell_candidates(ctx, &ended).await;
    Ok(seen + ended.len())
}

/// Starts the sweep on this node: it runs until the process stops.
pub fn spawn(ctx: AppContext) {
    let every = Duration::from_secs(ctx.settings.delivery.sweep_interval_seconds.max(1));
    background::every(ctx, every, "expiry sweep", |ctx| async move {
        sweep(&ctx).await
    });
}

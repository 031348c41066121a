//! The live monitor of a session: one row per candidate for the proctors watching it, and one
//! small state for each candidate's page, pushed over the live store's topics to whichever node
//! holds the listener.
//!
//! Changes are gathered per node and sent at most every `proctoring.flush_interval_ms`: a session
//! of a thousand candidates answering costs a handful of batched queries per interval, never one
//! query per answer, and the proctor receives only the rows that changed.
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::error::ApiError;
use crate::services::AppContext;

pub mod candidates;
pub mod feed;
pub mod rows;

pub use candidates::{
    notify_candidates, page_state, tell_candidates, CandidateState, LobbyState, Message,
};
pub use feed::{flush, spawn, Changes, Progress, ProgressEvent, RowsEvent, SeenEvent};
pub use rows::{session_rows, LastEvent, Row};

/// The sign a stream sends when its listener fell behind: the page reloads its snapshot.
pub use crate::store::live::{resync_spread_ms, RESYNC};

/// How long presence is kept in the live store.
pub const PRESENCE_TTL: Duration = Duration::from_secs(12 * 60 * 60);

/// Rows per `IN (…)` query: well under every database's limit on bound parameters.
const CHUNK: usize = 500;

/// The topic of a session's monitor.
pub fn session_topic(session: Uuid) -> String {
    format!("room:{session}")
}

/// The topic of one candidate's page.
pub fn attempt_topic(attempt: Uuid) -> String {
    format!("attempt:{attempt}")
}

/// An event on a topic: its SSE name, a newline, its JSON.
pub fn frame(event: &str, data: &impl Serialize) -> Result<String, ApiError> {
    Ok(format!(
        "{event}\n{}",
        serde_json::to_string(data).map_err(ApiError::internal)?
    ))
}

/// Listens to a session's monitor (before reading its snapshot, so nothing in between is
/// missed).
pub fn listen_to_session(ctx: &AppContext, session: Uuid) -> broadcast::Receiver<Arc<str>> {
    ctx.live.subscribe(&session_topic(session), ROOM_BACKLOG)
}

/// Listens to one candidate's page topic.
pub fn listen_to_attempt(ctx: &AppContext, attempt: Uuid) -> broadcast::Receiver<Arc<str>> {
    ctx.live.subscribe(&attempt_topic(attempt), PAGE_BACKLOG)
}

/// Events a proctor's room feed may fall behind by before it is sent a fresh snapshot: a room's
/// rows arrive in bursts of one flush each.
const ROOM_BACKLOG: usize = 256;

/// The same for a candidate's page, whose topic carries only the proctor's actions on that one
/// attempt: a page further behind reads its state afresh. Every open page keeps its topic's
/// slots, so this is most of what a connected candidate costs a node (256 slots were 14 KiB).
const PAGE_BACKLOG: usize = 8;

/// Publishes, logging a failure: a lost event costs the proctor a stale row until the next
/// change or reconnect, never an answer.
pub async fn publish(ctx: &AppContext, topic: &str, payload: &str) {
    if let Err(e) = ctx.live.publish(topic, payload).await {
        tracing::warn!(error = %e, topic, "a live event was not published");
    }
}

/// Runs `f` over `ids` (attempt ids, or anything else a query takes by the hundred) a chunk at a
/// time and gathers what it returns.
async fn chunked<K: Clone, T, F, Fut>(ids: &[K], f: F) -> Result<Vec<T>, ApiError>
where
    F: Fn(Vec<K>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, sea_orm::DbErr>>,
{
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(f(chunk.to_vec()).await?);
    }
    Ok(out)
}

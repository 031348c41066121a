//! The live room: one row per candidate of a session for the proctor, and one small state for
//! each candidate's page, pushed over the live store's topics to whichever node holds the
//! listener.
//!
//! Changes are gathered per node and sent at most every `proctoring.flush_interval_ms`: a room of
//! a thousand candidates answering costs a handful of batched queries per interval, never one
//! query per answer, and the proctor receives only the rows that changed.
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::Serialize;
use uuid::Uuid;

use super::tokens::CandidateClaims;
use super::AppContext;
use crate::clock::Clock;
use crate::error::{ApiError, ErrorCode};
use crate::store::attempts::{self as repo, section_status, status};
use crate::store::entities::{attempt, attempt_section, participant};
use crate::store::{attempt_events, campaigns, responses};

/// Integrity events counted on a proctor's row (the page's signals, a device take-over, a long
/// disconnection).
pub const INTEGRITY_KINDS: &[&str] = &[
    "integrity.page_hidden",
    "integrity.window_blur",
    "integrity.fullscreen_exit",
    "integrity.copy",
    "integrity.paste",
    "integrity.context_menu",
    "integrity.device_takeover",
    "integrity.disconnected",
];

/// How long presence is kept in the live store.
const PRESENCE_TTL: Duration = Duration::from_secs(12 * 60 * 60);

/// Rows per `IN (…)` query: well under every database's limit on bound parameters.
const CHUNK: usize = 500;

/// The topic of a session's room.
pub fn room_topic(session: Uuid) -> String {
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

// ---------------------------------------------------------------------------------------------
// Rows.

/// The latest event of an attempt.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LastEvent {
    /// Its kind.
    pub kind: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// One candidate of a room as the proctor sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Row {
    /// Participant id: the row's key.
    pub participant: Uuid,
    /// Name.
    pub name: String,
    /// NIP.
    pub nip: String,
    /// The attempt, once the candidate has signed in.
    pub attempt: Option<Uuid>,
    /// `not_arrived`, `lobby` (signed in, no section running), `in_section`, `paused`,
    /// `finished`, `expired` or `terminated`. A page shows `disconnected` when `last_seen_ms`
    /// is older than the room's `disconnect_after_ms`.
    pub state: String,
    /// Admitted from the lobby by a proctor.
    pub admitted: bool,
    /// Open section (0-based).
    pub section: Option<i32>,
    /// Sections in the battery.
    pub section_count: i32,
    /// Answers saved in the open section (else the last one started).
    pub answered: i64,
    /// Items planned in that section.
    pub total: i64,
    /// The open section's deadline (epoch ms).
    pub deadline_ms: Option<i64>,
    /// Time left in the open section (frozen while paused).
    pub remaining_ms: Option<i64>,
    /// Last sign of life (epoch ms).
    pub last_seen_ms: Option<i64>,
    /// Integrity events.
    pub integrity: i64,
    /// Integrity events by kind.
    pub integrity_by_kind: HashMap<String, i64>,
    /// A proctor marked an irregularity.
    pub irregular: bool,
    /// The latest event.
    pub last_event: Option<LastEvent>,
}

fn remaining(
    deadline: Option<DateTime<Utc>>,
    paused: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<i64> {
    let at = paused.unwrap_or(now);
    deadline.map(|d| (d - at).num_milliseconds().max(0))
}

/// The state word of an attempt for the proctor.
fn state_of(a: &attempt::Model, open: Option<&attempt_section::Model>) -> &'static str {
    if a.status == status::FINISHED {
        "finished"
    } else if a.status == status::EXPIRED {
        "expired"
    } else if a.status == status::TERMINATED {
        "terminated"
    } else if a.paused_at.is_some() {
        "paused"
    } else if open.is_some() {
        "in_section"
    } else {
        "lobby"
    }
}

async fn chunked<T, F, Fut>(ids: &[Uuid], f: F) -> Result<Vec<T>, ApiError>
where
    F: Fn(Vec<Uuid>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, sea_orm::DbErr>>,
{
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(f(chunk.to_vec()).await?);
    }
    Ok(out)
}

/// The rows of some participants (with their attempts, when they have one), from a few batched
/// queries whatever their number.
pub async fn rows_of(
    ctx: &AppContext,
    participants: &[participant::Model],
    attempts: &[attempt::Model],
) -> Result<Vec<Row>, ApiError> {
    let now = ctx.clock.now();
    let ids: Vec<Uuid> = attempts.iter().map(|a| a.id).collect();
    let db = &ctx.db;
    let sections = chunked(&ids, |c| async move { repo::sections_of(db, &c).await }).await?;
    let counts = chunked(
        &ids,
        |c| async move { responses::section_counts(db, &c).await },
    )
    .await?;
    let kinds = chunked(&ids, |c| async move {
        attempt_events::kind_counts(db, &c).await
    })
    .await?;
    let keys: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let seen = ctx
        .live
        .presence(&keys)
        .await
        .map_err(ApiError::unavailable)?;
    let seen: HashMap<Uuid, i64> = ids
        .iter()
        .zip(seen)
        .filter_map(|(id, s)| Some((*id, s?)))
        .collect();
    let answered: HashMap<(Uuid, i32), i64> = counts
        .into_iter()
        .map(|(a, section, n)| ((a, section), n))
        .collect();
    let mut by_attempt: HashMap<Uuid, Vec<&attempt_section::Model>> = HashMap::new();
    for s in &sections {
        by_attempt.entry(s.attempt_id).or_default().push(s);
    }
    let mut events: HashMap<Uuid, Vec<(String, i64, DateTime<Utc>)>> = HashMap::new();
    for (a, kind, n, last) in kinds {
        events.entry(a).or_default().push((kind, n, last));
    }
    let attempt_of: HashMap<Uuid, &attempt::Model> =
        attempts.iter().map(|a| (a.participant_id, a)).collect();
    let mut rows = Vec::with_capacity(participants.len());
    for p in participants {
        let Some(a) = attempt_of.get(&p.id) else {
            rows.push(Row {
                participant: p.id,
                name: p.name.clone(),
                nip: p.nip.clone(),
                attempt: None,
                state: "not_arrived".into(),
                admitted: false,
                section: None,
                section_count: 0,
                answered: 0,
                total: 0,
                deadline_ms: None,
                remaining_ms: None,
                last_seen_ms: None,
                integrity: 0,
                integrity_by_kind: HashMap::new(),
                irregular: false,
                last_event: None,
            });
            continue;
        };
        let secs = by_attempt.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
        let open = secs
            .iter()
            .copied()
            .find(|s| s.status == section_status::OPEN);
        // Progress is that of the open section, else of the last one started.
        let current = open.or_else(|| {
            secs.iter()
                .copied()
                .rfind(|s| s.status != section_status::PENDING)
        });
        let total = current.map_or(0, |s| {
            serde_json::from_value::<Vec<String>>(s.plan.clone()).map_or(0, |p| p.len() as i64)
        });
        let evs = events.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
        let integrity_by_kind: HashMap<String, i64> = evs
            .iter()
            .filter(|(k, _, _)| INTEGRITY_KINDS.contains(&k.as_str()))
            .map(|(k, n, _)| (k.clone(), *n))
            .collect();
        let last_event = evs
            .iter()
            .max_by_key(|(_, _, at)| *at)
            .map(|(kind, _, at)| LastEvent {
                kind: kind.clone(),
                at: *at,
            });
        let deadline = open.and_then(|s| s.deadline_at);
        rows.push(Row {
            participant: p.id,
            name: p.name.clone(),
            nip: p.nip.clone(),
            attempt: Some(a.id),
            state: state_of(a, open).into(),
            admitted: a.admitted_at.is_some(),
            section: open.map(|s| s.position),
            section_count: secs.len() as i32,
            answered: current
                .and_then(|s| answered.get(&(a.id, s.position)).copied())
                .unwrap_or(0),
            total,
            deadline_ms: deadline.map(|d| d.timestamp_millis()),
            remaining_ms: remaining(deadline, a.paused_at, now),
            last_seen_ms: seen.get(&a.id).copied(),
            integrity: integrity_by_kind.values().sum(),
            integrity_by_kind,
            irregular: evs.iter().any(|(k, _, _)| k == "irregularity"),
            last_event,
        });
    }
    Ok(rows)
}

/// The rows of every participant of a session.
pub async fn session_rows(ctx: &AppContext, session: Uuid) -> Result<Vec<Row>, ApiError> {
    let participants = campaigns::session_participants(&ctx.db, session).await?;
    let attempts = repo::of_session(&ctx.db, session).await?;
    rows_of(ctx, &participants, &attempts).await
}

/// The rows of some attempts, with the session each belongs to.
async fn rows_of_attempts(ctx: &AppContext, ids: &[Uuid]) -> Result<Vec<(Uuid, Row)>, ApiError> {
    let db = &ctx.db;
    let attempts = chunked(ids, |c| async move { repo::find_many(db, &c).await }).await?;
    let pids: Vec<Uuid> = attempts.iter().map(|a| a.participant_id).collect();
    let participants = chunked(&pids, |c| async move {
        campaigns::participants_by_id(db, &c).await
    })
    .await?;
    let session_of: HashMap<Uuid, Option<Uuid>> =
        participants.iter().map(|p| (p.id, p.session_id)).collect();
    let rows = rows_of(ctx, &participants, &attempts).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((session_of.get(&r.participant).copied()??, r)))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Gathering and sending changes.

#[derive(Default)]
struct Dirty {
    room: Option<(Uuid, Uuid)>,
    seen_ms: Option<i64>,
    changed: bool,
}

/// The changes this node has seen since its last flush.
pub struct RoomFeed {
    dirty: Mutex<HashMap<Uuid, Dirty>>,
    clock: Clock,
}

impl RoomFeed {
    /// An empty feed; presence is stamped with `clock`.
    pub fn new(clock: Clock) -> Self {
        Self {
            dirty: Mutex::default(),
            clock,
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut HashMap<Uuid, Dirty>) -> T) -> T {
        let mut map = self.dirty.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut map)
    }

    /// The candidate of `attempt` (in `session`, as `participant`) was seen now: an answer, a
    /// page-stream heartbeat.
    pub fn seen(&self, attempt: Uuid, room: Option<(Uuid, Uuid)>) {
        let now = self.clock.now().timestamp_millis();
        self.with(|m| {
            let d = m.entry(attempt).or_default();
            d.seen_ms = Some(now);
            if room.is_some() {
                d.room = room;
            }
        });
    }

    /// The candidate of `attempt` saved an answer: seen now, and the progress on its row moved.
    pub fn answered(&self, attempt: Uuid, room: Option<(Uuid, Uuid)>) {
        self.seen(attempt, room);
        self.changed(attempt);
    }

    /// Something about `attempt` changed: its row is sent again on the next flush.
    pub fn changed(&self, attempt: Uuid) {
        self.with(|m| m.entry(attempt).or_default().changed = true);
    }

    fn drain(&self) -> HashMap<Uuid, Dirty> {
        self.with(std::mem::take)
    }
}

/// A room's changed rows.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RowsEvent {
    /// Rows to replace (by participant).
    pub rows: Vec<Row>,
    /// The server's clock.
    pub server_time_ms: i64,
}

/// A room's presence changes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SeenEvent {
    /// `[participant, last_seen_ms]` pairs.
    #[schema(value_type = Vec<Vec<String>>)]
    pub seen: Vec<(Uuid, i64)>,
    /// The server's clock.
    pub server_time_ms: i64,
}

/// Sends what this node gathered: presence to the live store, changed rows and presence to the
/// rooms. Returns how many attempts it covered.
pub async fn flush(ctx: &AppContext) -> Result<usize, ApiError> {
    let dirty = ctx.room.drain();
    if dirty.is_empty() {
        return Ok(0);
    }
    let presence: Vec<(String, i64)> = dirty
        .iter()
        .filter_map(|(a, d)| Some((a.to_string(), d.seen_ms?)))
        .collect();
    ctx.live
        .put_presence(&presence, PRESENCE_TTL)
        .await
        .map_err(ApiError::unavailable)?;
    let changed: Vec<Uuid> = dirty
        .iter()
        .filter(|(_, d)| d.changed)
        .map(|(a, _)| *a)
        .collect();
    let now = ctx.clock.now().timestamp_millis();
    let mut rows: HashMap<Uuid, Vec<Row>> = HashMap::new();
    let mut sent = HashSet::new();
    for (session, row) in rows_of_attempts(ctx, &changed).await? {
        if let Some(a) = row.attempt {
            sent.insert(a);
        }
        rows.entry(session).or_default().push(row);
    }
    let mut seen: HashMap<Uuid, Vec<(Uuid, i64)>> = HashMap::new();
    for (a, d) in &dirty {
        if let (false, Some((session, participant)), Some(ms)) =
            (sent.contains(a), d.room, d.seen_ms)
        {
            seen.entry(session).or_default().push((participant, ms));
        }
    }
    for (session, rows) in rows {
        let event = RowsEvent {
            rows,
            server_time_ms: now,
        };
        publish(ctx, &room_topic(session), &frame("rows", &event)?).await;
    }
    for (session, seen) in seen {
        let event = SeenEvent {
            seen,
            server_time_ms: now,
        };
        publish(ctx, &room_topic(session), &frame("seen", &event)?).await;
    }
    Ok(dirty.len())
}

/// Publishes, logging a failure: a lost room event costs the proctor a stale row until the next
/// change or reconnect, never an answer.
pub async fn publish(ctx: &AppContext, topic: &str, payload: &str) {
    if let Err(e) = ctx.live.publish(topic, payload).await {
        tracing::warn!(error = %e, topic, "a live event was not published");
    }
}

/// Flushes on every node at the configured interval.
pub fn spawn(ctx: AppContext) {
    let every = Duration::from_millis(ctx.settings.proctoring.flush_interval_ms.max(50));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = flush(&ctx).await {
                tracing::warn!(error = %e.message, "room flush failed; retrying at the next tick");
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// The candidate's page.

/// A proctor's message to a candidate.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Message {
    /// Its id, to dismiss it.
    pub id: Uuid,
    /// What the proctor wrote.
    pub text: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Where a candidate stands in a session's lobby.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LobbyState {
    /// A proctor admitted the candidate.
    pub admitted: bool,
    /// A proctor started the session.
    pub session_started: bool,
}

/// What a candidate's page must reflect at once: pauses, extensions, the end, messages, the
/// lobby.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CandidateState {
    /// The attempt's status.
    pub status: String,
    /// Paused by a proctor (or automatically).
    pub paused: bool,
    /// The open section.
    pub section: Option<i32>,
    /// Time left in it (frozen while paused).
    pub remaining_ms: Option<i64>,
    /// The lobby, when the candidate's session has one.
    pub lobby: Option<LobbyState>,
    /// Messages not yet dismissed.
    pub messages: Vec<Message>,
}

/// The states of some attempts, from a few batched queries.
pub async fn candidate_states(
    ctx: &AppContext,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, CandidateState>, ApiError> {
    let now = ctx.clock.now();
    let db = &ctx.db;
    let attempts = chunked(ids, |c| async move { repo::find_many(db, &c).await }).await?;
    let sections = chunked(ids, |c| async move { repo::sections_of(db, &c).await }).await?;
    let events = chunked(ids, |c| async move {
        attempt_events::of_kinds(db, &c, &["message", "message_dismissed"]).await
    })
    .await?;
    let mut lobbies: HashMap<Uuid, Option<bool>> = HashMap::new();
    for a in &attempts {
        let Some(session) = a.session_id else {
            continue;
        };
        if let std::collections::hash_map::Entry::Vacant(e) = lobbies.entry(session) {
            let found = campaigns::find_session(db, a.organisation_id.into(), session).await?;
            e.insert(found.and_then(|(s, c)| c.lobby.then_some(s.started_at.is_some())));
        }
    }
    let mut out = HashMap::with_capacity(attempts.len());
    for a in attempts {
        let open = sections
            .iter()
            .find(|s| s.attempt_id == a.id && s.status == section_status::OPEN);
        let mine = events.iter().filter(|e| e.attempt_id == a.id);
        let dismissed: HashSet<String> = mine
            .clone()
            .filter(|e| e.kind == "message_dismissed")
            .filter_map(|e| e.detail.get("id")?.as_str().map(str::to_owned))
            .collect();
        let messages = mine
            .filter(|e| e.kind == "message")
            .filter(|e| !dismissed.contains(&e.id.to_string()))
            .map(|e| Message {
                id: e.id,
                text: e
                    .detail
                    .get("text")
                    .and_then(|t| t.as_str())
                    .unwrap_or_default()
                    .to_owned(),
                at: e.at,
            })
            .collect();
        let lobby = a
            .session_id
            .and_then(|s| lobbies.get(&s).copied().flatten())
            .map(|started| LobbyState {
                admitted: a.admitted_at.is_some(),
                session_started: started,
            });
        out.insert(
            a.id,
            CandidateState {
                status: a.status.clone(),
                paused: a.paused_at.is_some(),
                section: open.map(|s| s.position),
                remaining_ms: remaining(open.and_then(|s| s.deadline_at), a.paused_at, now),
                lobby,
                messages,
            },
        );
    }
    Ok(out)
}

/// Tells the pages of some candidates their new state, a burst at a time.
pub async fn notify_candidates(ctx: &AppContext, ids: &[Uuid]) -> Result<(), ApiError> {
    let burst = ctx.settings.proctoring.start_burst.max(1);
    for chunk in ids.chunks(CHUNK) {
        let states = candidate_states(ctx, chunk).await?;
        let frames: Vec<(String, String)> = states
            .iter()
            .map(|(id, s)| Ok((attempt_topic(*id), frame("state", s)?)))
            .collect::<Result<_, ApiError>>()?;
        futures_util::stream::iter(frames)
            .for_each_concurrent(burst, |(topic, payload)| async move {
                publish(ctx, &topic, &payload).await;
            })
            .await;
    }
    Ok(())
}

/// The state of one candidate's page, as a `state` event.
pub async fn page_state(ctx: &AppContext, attempt: Uuid) -> Result<String, ApiError> {
    let state = candidate_states(ctx, &[attempt])
        .await?
        .remove(&attempt)
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "this attempt no longer exists"))?;
    frame("state", &state)
}

/// A candidate's page opened its stream: the device must still hold the attempt; a return after
/// a long silence is recorded as a disconnection. Returns where the candidate sits in its room.
pub async fn page_opened(
    ctx: &AppContext,
    who: &CandidateClaims,
) -> Result<Option<(Uuid, Uuid)>, ApiError> {
    let live = super::delivery::check_device(ctx, who).await?;
    let attempt = who.attempt();
    let last = ctx
        .live
        .presence(&[attempt.to_string()])
        .await
        .map_err(ApiError::unavailable)?
        .into_iter()
        .next()
        .flatten();
    let now = ctx.clock.now().timestamp_millis();
    let limit = (ctx.settings.proctoring.disconnect_after_seconds * 1000) as i64;
    if let Some(last) = last.filter(|l| now - l > limit) {
        let running = repo::find(&ctx.db, attempt)
            .await?
            .is_some_and(|a| a.status == status::IN_PROGRESS && a.paused_at.is_none());
        if running {
            super::timeline::note(
                ctx,
                attempt,
                "integrity.disconnected",
                serde_json::json!({"seconds": (now - last) / 1000}),
                None,
            )
            .await;
        }
    }
    // Written at once (not at the next flush), so a quick reconnect does not count twice.
    ctx.live
        .put_presence(&[(attempt.to_string(), now)], PRESENCE_TTL)
        .await
        .map_err(ApiError::unavailable)?;
    ctx.room.seen(attempt.as_uuid(), live.room);
    Ok(live.room)
}

/// The candidate closes a proctor's message.
pub async fn dismiss(
    ctx: &AppContext,
    who: &CandidateClaims,
    message: Uuid,
) -> Result<(), ApiError> {
    let attempt = who.attempt();
    let events = attempt_events::of_kinds(
        &ctx.db,
        &[attempt.as_uuid()],
        &["message", "message_dismissed"],
    )
    .await?;
    if !events
        .iter()
        .any(|e| e.kind == "message" && e.id == message)
    {
        return Err(ApiError::not_found("message"));
    }
    let id = message.to_string();
    let already = events.iter().any(|e| {
        e.kind == "message_dismissed"
            && e.detail.get("id").and_then(|v| v.as_str()) == Some(id.as_str())
    });
    if !already {
        super::timeline::note(
            ctx,
            attempt,
            "message_dismissed",
            serde_json::json!({"id": id}),
            None,
        )
        .await;
    }
    notify_candidates(ctx, &[attempt.as_uuid()]).await
}

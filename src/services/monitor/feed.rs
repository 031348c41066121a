//! The changes a node has seen (answers, presence, state changes), gathered and sent to the
//! proctors watching at a fixed interval.
//!
//! A changed attempt's whole row is read again and sent (`rows`). An answer changes only the
//! count of its section, so an attempt that only answered costs one count (`progress`): during an
//! exam nearly every candidate answers within every interval, and rebuilding each one's row was
//! half of what the feed asked of the database. An answer that replaced an earlier one to the
//! same item does not move the count either: it is presence alone (`seen`).
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use uuid::Uuid;

use super::rows::{rows_of_attempts, Row};
use super::{chunked, frame, publish, session_topic, PRESENCE_TTL};
use crate::clock::Clock;
use crate::error::ApiError;
use crate::services::background;
use crate::services::AppContext;
use crate::store::responses;

#[derive(Default)]
struct Dirty {
    /// (session, participant): where the proctor sees this attempt.
    seat: Option<(Uuid, Uuid)>,
    seen_ms: Option<i64>,
    changed: bool,
    /// An answer was saved in this section (its position): its count moved.
    answered_in: Option<i32>,
}

/// The changes this node has seen since its last flush.
pub struct Changes {
    dirty: Mutex<HashMap<Uuid, Dirty>>,
    clock: Clock,
    flushes: prometheus::Histogram,
}

impl Changes {
    /// An empty feed; presence is stamped with `clock`.
    pub fn new(clock: Clock) -> Self {
        let flushes = prometheus::Histogram::with_opts(
            prometheus::HistogramOpts::new(
                "feed_flush_seconds",
                "time one flush of the proctors' feed took: reading the changed rows and \
                 publishing them (a proctor sees a change within the flush interval plus this)",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
        )
        .unwrap_or_else(|_| unreachable!("the options are valid"));
        Self {
            dirty: Mutex::default(),
            clock,
            flushes,
        }
    }

    /// How long the flushes took so far (for `/metrics`).
    pub fn flush_durations(&self) -> prometheus::Histogram {
        self.flushes.clone()
    }

    fn with<T>(&self, f: impl FnOnce(&mut HashMap<Uuid, Dirty>) -> T) -> T {
        let mut map = self.dirty.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut map)
    }

    /// The candidate of `attempt` (in `session`, as `participant`) was seen now: an answer, a
    /// page-stream heartbeat.
    pub fn seen(&self, attempt: Uuid, seat: Option<(Uuid, Uuid)>) {
        self.seen_and(attempt, seat, |_| {});
    }

    /// The candidate of `attempt` saved an answer in `section`: seen now, and that section's
    /// count moved. (An adaptive section's answer also moves the row's standard error: that is
    /// a change of the row, `changed`.)
    pub fn answered(&self, attempt: Uuid, seat: Option<(Uuid, Uuid)>, section: i32) {
        self.seen_and(attempt, seat, |d| d.answered_in = Some(section));
    }

    /// Marks `attempt` seen now and applies `also` to its entry, under one lock.
    fn seen_and(&self, attempt: Uuid, seat: Option<(Uuid, Uuid)>, also: impl FnOnce(&mut Dirty)) {
        let now = self.clock.now().timestamp_millis();
        self.with(|m| {
            let d = m.entry(attempt).or_default();
            d.seen_ms = Some(now);
            d.seat = seat.or(d.seat);
            also(d);
        });
    }

    /// Something about `attempt` changed: its row is sent again on the next flush.
    pub fn changed(&self, attempt: Uuid) {
        self.with(|m| m.entry(attempt).or_default().changed = true);
    }

    fn drain(&self) -> HashMap<Uuid, Dirty> {
        self.with(std::mem::take)
    }

    /// Puts back what a flush took but could not send, under what was gathered since.
    fn restore(&self, taken: HashMap<Uuid, Dirty>) {
        self.with(|m| {
            for (attempt, old) in taken {
                let d = m.entry(attempt).or_default();
                d.seat = d.seat.or(old.seat);
                d.seen_ms = d.seen_ms.max(old.seen_ms);
                d.changed |= old.changed;
                d.answered_in = d.answered_in.or(old.answered_in);
            }
        });
    }
}

/// A session's changed rows.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RowsEvent {
    /// Rows to replace (by participant).
    pub rows: Vec<Row>,
    /// The server's clock.
    pub server_time_ms: i64,
}

/// One candidate's count of answers in the section an answer was just saved in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Progress {
    /// Participant id: the row's key.
    pub participant: Uuid,
    /// The section (0-based): the row's `answered` is replaced when its `section` is this one.
    pub section: i32,
    /// Answers saved in that section.
    pub answered: i64,
    /// Last sign of life (epoch ms).
    pub last_seen_ms: Option<i64>,
}

/// A session's answer counts that moved (rows that changed otherwise come whole, in `rows`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProgressEvent {
    /// The counts.
    pub progress: Vec<Progress>,
    /// The server's clock.
    pub server_time_ms: i64,
}

/// A session's presence changes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SeenEvent {
    /// `[participant, last_seen_ms]` pairs.
    #[schema(value_type = Vec<Vec<String>>)]
    pub seen: Vec<(Uuid, i64)>,
    /// The server's clock.
    pub server_time_ms: i64,
}

/// Sends what this node gathered: presence to the live store, changed rows, answer counts and
/// presence to the sessions' monitors. Returns how many attempts it covered.
pub async fn flush(ctx: &AppContext) -> Result<usize, ApiError> {
    let dirty = ctx.changes.drain();
    if dirty.is_empty() {
        return Ok(0);
    }
    let _timer = ctx.changes.flushes.start_timer();
    let presence: Vec<(String, i64)> = dirty
        .iter()
        .filter_map(|(a, d)| Some((a.to_string(), d.seen_ms?)))
        .collect();
    // A live store that is down keeps no presence; the rows still go out.
    if let Err(e) = ctx.live.put_presence(&presence, PRESENCE_TTL).await {
        tracing::debug!(error = %e, "presence not written: the live store is down");
    }
    let changed: Vec<Uuid> = dirty
        .iter()
        .filter(|(_, d)| d.changed)
        .map(|(a, _)| *a)
        .collect();
    // Attempts that only answered (and whose seat is known): their section's count, to send as
    // (session, progress without its count yet).
    let answered: Vec<((Uuid, i32), (Uuid, Progress))> = dirty
        .iter()
        .filter(|(_, d)| !d.changed)
        .filter_map(|(a, d)| {
            let (section, (session, participant)) = (d.answered_in?, d.seat?);
            let progress = Progress {
                participant,
                section,
                answered: 0,
                last_seen_ms: d.seen_ms,
            };
            Some(((*a, section), (session, progress)))
        })
        .collect();
    let pairs: Vec<(Uuid, i32)> = answered.iter().map(|(pair, _)| *pair).collect();
    let now = ctx.clock.now().timestamp_millis();
    let mut rows: HashMap<Uuid, Vec<Row>> = HashMap::new();
    let mut sent = HashSet::new();
    // Through the flush's own connection: not queued behind this node's requests.
    let (read, counts) = match read_changes(ctx, &changed, &pairs).await {
        Ok(read) => read,
        Err(e) => {
            // The database did not answer: the changes wait for the next flush.
            ctx.changes.restore(dirty);
            return Err(e);
        }
    };
    let mut progress: HashMap<Uuid, Vec<Progress>> = HashMap::new();
    for ((attempt, section), (session, mut p)) in answered {
        sent.insert(attempt);
        p.answered = counts.get(&(attempt, section)).copied().unwrap_or(0);
        progress.entry(session).or_default().push(p);
    }
    for (session, row) in read {
        if let Some(a) = row.attempt {
            sent.insert(a);
        }
        rows.entry(session).or_default().push(row);
    }
    let mut seen: HashMap<Uuid, Vec<(Uuid, i64)>> = HashMap::new();
    for (a, d) in &dirty {
        if let (false, Some((session, participant)), Some(ms)) =
            (sent.contains(a), d.seat, d.seen_ms)
        {
            seen.entry(session).or_default().push((participant, ms));
        }
    }
    for (session, rows) in rows {
        let event = RowsEvent {
            rows,
            server_time_ms: now,
        };
        publish(ctx, &session_topic(session), &frame("rows", &event)?).await;
    }
    for (session, progress) in progress {
        let event = ProgressEvent {
            progress,
            server_time_ms: now,
        };
        publish(ctx, &session_topic(session), &frame("progress", &event)?).await;
    }
    for (session, seen) in seen {
        let event = SeenEvent {
            seen,
            server_time_ms: now,
        };
        publish(ctx, &session_topic(session), &frame("seen", &event)?).await;
    }
    Ok(dirty.len())
}

/// The rows of the changed attempts (with their sessions) and the count of each answered
/// (attempt, section), read through the flush's own connection.
async fn read_changes(
    ctx: &AppContext,
    changed: &[Uuid],
    answered: &[(Uuid, i32)],
) -> Result<(Vec<(Uuid, Row)>, HashMap<(Uuid, i32), i64>), ApiError> {
    let db = &ctx.feed_db;
    let rows = rows_of_attempts(ctx, db, changed).await?;
    let counts = chunked(answered, |c| async move {
        responses::counts_in_sections(db, &c).await
    })
    .await?;
    Ok((
        rows,
        counts.into_iter().map(|(a, s, n)| ((a, s), n)).collect(),
    ))
}

/// Flushes on every node at the configured interval.
pub fn spawn(ctx: AppContext) {
    let every = Duration::from_millis(ctx.settings.proctoring.flush_interval_ms.max(50));
    background::every(ctx, every, "monitor flush", |ctx| async move {
        flush(&ctx).await
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_a_flush_could_not_send_are_put_back_under_the_newer_ones() {
        let clock = Clock::settable();
        let changes = Changes::new(clock.clone());
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let seat = (Uuid::new_v4(), Uuid::new_v4());
        changes.answered(a, Some(seat), 2);
        changes.seen(b, None);
        let taken = changes.drain();
        let (a_then, b_then) = (taken[&a].seen_ms.unwrap(), taken[&b].seen_ms.unwrap());
        clock.advance(std::time::Duration::from_secs(60));
        changes.seen(a, None);
        changes.restore(taken);
        let back = changes.drain();
        assert_eq!(back.len(), 2);
        assert_eq!(back[&a].seat, Some(seat));
        assert!(back[&a].seen_ms.unwrap() >= a_then + 60_000);
        assert_eq!(back[&a].answered_in, Some(2));
        assert!(
            !back[&a].changed,
            "an answer alone is a count, not a changed row"
        );
        assert_eq!(back[&b].seen_ms, Some(b_then));
        assert_eq!(back[&b].answered_in, None);
        assert_eq!(back[&b].seat, None);
        assert!(!back[&b].changed);
        assert!(changes.drain().is_empty());
    }
}

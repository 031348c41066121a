//! Group commit of answers (architecture invariant 1): every answer is acknowledged only after
//! the row holding it is committed, and answers arriving within a few milliseconds of each other
//! share one multi-row upsert, which is how thousands of candidates' autosaves stay cheap. The
//! upsert stores only rows whose attempt and section the database says are still open, and each
//! request learns whether its own row was the one written.
//!
//! Up to `in_flight` batches commit at once: while one waits for its commit (an fsync), the next
//! gathers and goes. Two batches holding the same answer key cannot both win: the upsert keeps the
//! higher sequence number whichever commits first, and the upsert takes its rows in key order, so
//! two batches lock shared rows in the same order and cannot deadlock over them.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection};
use tokio::sync::{mpsc, oneshot, Semaphore};

use crate::store;
use crate::store::responses::{self, OpenGuard, ResponseKey, ResponseRow};

/// Answers waiting for the writer at most; a full queue makes callers wait (back-pressure).
const QUEUE: usize = 8192;

struct Job {
    row: ResponseRow,
    guard: OpenGuard,
    done: oneshot::Sender<Result<Written, WriteError>>,
}

/// Whether an answer's own row is what the database now holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Committed as sent. `added`: the item had no answer stored before (its section's count
    /// moved); false when it replaced one. SQLite cannot tell and always says true.
    Stored {
        /// A new row, not a replaced one.
        added: bool,
    },
    /// Not stored: the attempt or section was no longer open, or a copy with a higher (or the
    /// same) sequence number is stored. The caller reads the database to say which.
    NotStored,
}

/// The handle through which requests hand answers to this node's writer task.
#[derive(Clone)]
pub struct AnswerWriter {
    tx: mpsc::Sender<Job>,
    batches: prometheus::Histogram,
}

/// The answer could not be committed; nothing was acknowledged.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the answer could not be stored: {message}")]
pub struct WriteError {
    /// What went wrong.
    pub message: String,
    /// Contention (the database busy past its timeout): worth sending again shortly.
    pub busy: bool,
}

impl WriteError {
    fn stopped() -> Self {
        Self {
            message: "the writer has stopped".into(),
            busy: false,
        }
    }
}

impl AnswerWriter {
    /// Starts the writer task on the current runtime. It collects answers for up to `window`
    /// after the first one arrives (or until `max_batch`), commits them in one statement, then
    /// tells every waiting request the outcome.
    /// Up to `in_flight` batches commit at once (1 on SQLite, which has one writer anyway).
    pub fn spawn(
        db: DatabaseConnection,
        window: Duration,
        max_batch: usize,
        in_flight: usize,
    ) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        let batches = prometheus::Histogram::with_opts(
            prometheus::HistogramOpts::new(
                "answer_batch_size",
                "answers committed together by one group-commit statement",
            )
            .buckets(vec![
                1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0,
            ]),
        )
        .unwrap_or_else(|_| unreachable!("the options are valid"));
        let in_flight = commits_at_once(db.get_database_backend(), in_flight);
        let limits = Limits {
            window,
            max_batch: max_batch.max(1),
            in_flight,
        };
        tokio::spawn(run(db, rx, limits, batches.clone()));
        Self { tx, batches }
    }

    /// The sizes of the batches committed so far (for `/metrics`).
    pub fn batch_sizes(&self) -> prometheus::Histogram {
        self.batches.clone()
    }

    /// Answers waiting for the writer now (for `/metrics`): near the queue's size, requests wait.
    pub fn queue_depth(&self) -> usize {
        self.tx.max_capacity() - self.tx.capacity()
    }

    /// Stores one answer if `guard` still holds when it is committed; returns once the batch
    /// holding it is committed, saying whether this row was written.
    pub async fn write(&self, row: ResponseRow, guard: OpenGuard) -> Result<Written, WriteError> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send(Job { row, guard, done })
            .await
            .map_err(|_| WriteError::stopped())?;
        wait.await.map_err(|_| WriteError::stopped())?
    }
}

/// How many batches commit at once on `backend` when `configured` are asked for: SQLite lets one
/// connection write at a time. The writer's own pool holds that many connections.
pub fn commits_at_once(backend: sea_orm::DatabaseBackend, configured: usize) -> usize {
    match backend {
        sea_orm::DatabaseBackend::Sqlite => 1,
        _ => configured.max(1),
    }
}

struct Limits {
    window: Duration,
    max_batch: usize,
    in_flight: usize,
}

async fn run(
    db: DatabaseConnection,
    mut rx: mpsc::Receiver<Job>,
    limits: Limits,
    batches: prometheus::Histogram,
) {
    let slots = Arc::new(Semaphore::new(limits.in_flight));
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        let until = tokio::time::Instant::now() + limits.window;
        while jobs.len() < limits.max_batch {
            match tokio::time::timeout_at(until, rx.recv()).await {
                Ok(Some(job)) => jobs.push(job),
                Ok(None) | Err(_) => break,
            }
        }
        // Answers that arrive while every slot is busy wait in the queue for the next batch.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        batches.observe(jobs.len() as f64);
        let db = db.clone();
        tokio::spawn(async move {
            commit(&db, jobs).await;
            drop(slot);
        });
    }
    // The queue closed: the batches still committing finish before the writer ends.
    let _ = slots.acquire_many(limits.in_flight as u32).await;
}

/// Commits one batch and tells each of its requests whether its row was written.
async fn commit(db: &DatabaseConnection, jobs: Vec<Job>) {
    let rows = newest_per_key(&jobs);
    let outcome = responses::upsert_if_open(db, &rows)
        .await
        .map_err(|e| WriteError {
            busy: store::is_contention(&e),
            message: e.to_string(),
        });
    if let Err(e) = &outcome {
        tracing::error!(error = %e, answers = jobs.len(), "answer batch failed; none acknowledged");
    }
    let chosen: HashMap<ResponseKey, &ResponseRow> = rows
        .iter()
        .map(|(r, _)| ((r.attempt.as_uuid(), r.section, r.item.clone()), r))
        .collect();
    for job in jobs {
        let mine = outcome.as_ref().map(|written| {
            let key = (
                job.row.attempt.as_uuid(),
                job.row.section,
                job.row.item.clone(),
            );
            let kept = chosen.get(&key).is_some_and(|r| **r == job.row);
            match written.get(&key) {
                Some(&added) if kept => Written::Stored { added },
                _ => Written::NotStored,
            }
        });
        // A request that gave up waiting has nobody to tell.
        let _ = job.done.send(mine.map_err(Clone::clone));
    }
}

/// One row per (attempt, section, item): the highest sequence number among the batch's copies
/// (the first of equals), since one statement may not touch the same row twice.
fn newest_per_key(jobs: &[Job]) -> Vec<(ResponseRow, OpenGuard)> {
    let mut newest: HashMap<(uuid::Uuid, i32, &str), &Job> = HashMap::new();
    for job in jobs {
        let r = &job.row;
        newest
            .entry((r.attempt.as_uuid(), r.section, r.item.as_str()))
            .and_modify(|kept| {
                if r.seq > kept.row.seq {
                    *kept = job;
                }
            })
            .or_insert(job);
    }
    newest
        .into_values()
        .map(|j| (j.row.clone(), j.guard.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::AttemptId;

    fn job(attempt: AttemptId, item: &str, seq: i64) -> Job {
        let (done, _) = oneshot::channel();
        Job {
            row: ResponseRow {
                attempt,
                section: 0,
                item: item.into(),
                value: serde_json::json!({"choice": seq.to_string()}),
                seq,
                flagged: false,
                received_at: chrono::Utc::now(),
                selection: None,
            },
            guard: OpenGuard {
                device: "d".into(),
                deadline_not_before: chrono::Utc::now(),
            },
            done,
        }
    }

    #[test]
    fn a_batch_keeps_the_highest_sequence_of_each_item() {
        let a = AttemptId::new();
        let jobs = vec![
            job(a, "X", 3),
            job(a, "X", 7),
            job(a, "X", 5),
            job(a, "Y", 1),
        ];
        let mut rows = newest_per_key(&jobs);
        rows.sort_by(|p, q| p.0.item.cmp(&q.0.item));
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].0.item.as_str(), rows[0].0.seq), ("X", 7));
        assert_eq!((rows[1].0.item.as_str(), rows[1].0.seq), ("Y", 1));
    }
}

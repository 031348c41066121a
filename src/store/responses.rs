//! Candidates' responses: written in batches by the answer writer (only into attempts and
//! sections the database says are open), read for resume and scoring.
use chrono::{DateTime, Utc};
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement, Value,
};

use super::entities::response;
use crate::domain::attempt::{AttemptStatus, SectionStatus};
use crate::domain::ids::AttemptId;

/// One response to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRow {
    /// The attempt.
    pub attempt: AttemptId,
    /// Section position in the battery.
    pub section: i32,
    /// Item code in its instrument.
    pub item: String,
    /// The response in the scoring engine's wire shape.
    pub value: serde_json::Value,
    /// The client's sequence number: a row is only ever replaced by a higher one.
    pub seq: i64,
    /// Marked for review by the candidate.
    pub flagged: bool,
    /// When the server received it.
    pub received_at: DateTime<Utc>,
    /// In an adaptive section: the selection made after this answer (the next item or the
    /// stop), stored in the same row and commit. A row holding one is never replaced.
    pub selection: Option<serde_json::Value>,
}

/// What must still hold when an answer is committed, or it is not stored: the database, not the
/// live store, is the judge of whether an attempt and its section are open (invariant 1).
#[derive(Debug, Clone, PartialEq)]
pub struct OpenGuard {
    /// The device that must still hold the attempt.
    pub device: String,
    /// The section's deadline must be at or after this (the answer's arrival less the grace).
    pub deadline_not_before: DateTime<Utc>,
}

/// The key of a stored response: (attempt, section, item).
pub type ResponseKey = (uuid::Uuid, i32, String);

/// Upserts many responses in one statement, storing only those whose attempt is still running,
/// not paused and held by the guard's device, and whose section is open with its deadline (plus
/// grace) not passed, all judged at commit time. On PostgreSQL the attempt and section rows are
/// share-locked, so a pause, a termination or a finish either waits for these answers (and then
/// scores them) or is seen by them (and they are not stored). A stored row is replaced only by a
/// higher client sequence number, and never when it holds an adaptive selection (the next item was
/// chosen from that answer). Rows must have distinct keys (the caller keeps the highest
/// sequence of duplicates). Returns the keys actually written, each with whether its row is new
/// (the item's first answer: its section's count moved) or replaced an earlier answer.
/// PostgreSQL tells which; SQLite cannot, and every written row counts as new there (so a
/// reader of counts reads them again, as it would for a new one).
pub async fn upsert_if_open(
    db: &impl ConnectionTrait,
    rows: &[(ResponseRow, OpenGuard)],
) -> Result<HashMap<ResponseKey, bool>, DbErr> {
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 10);
    let mut tuples = Vec::with_capacity(rows.len());
    for (r, guard) in rows {
        let first = values.len();
        values.extend([
            r.attempt.as_uuid().into(),
            r.section.into(),
            r.item.clone().into(),
            r.value.clone().into(),
            r.seq.into(),
            r.flagged.into(),
            r.received_at.into(),
            r.selection.clone().into(),
            guard.device.clone().into(),
            guard.deadline_not_before.into(),
        ]);
        let marks: Vec<String> = (first + 1..=values.len())
            .map(|n| match backend {
                DatabaseBackend::Postgres => format!("${n}"),
                _ => "?".to_owned(),
            })
            .collect();
        tuples.push(format!("({})", marks.join(", ")));
    }
    let running = AttemptStatus::RUNNING
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let open = SectionStatus::Open.as_str();
    let conditions = format!(
        "a.status IN ({running}) AND a.paused_at IS NULL AND a.device_id = v.device \
         AND s.status = '{open}' AND s.deadline_at >= v.deadline_not_before"
    );
    let source = match backend {
        // Each answer's attempt and section are found by primary key and share-locked, in key
        // order (so overlapping batches lock alike). The lookup is fenced (`OFFSET 0`) so that
        // the planner cannot choose another way in: on a campaign's first minute the tables'
        // statistics are stale (thousands of attempts just created, not yet analysed), and a
        // plan that scanned every running attempt for each batch took a second a commit.
        DatabaseBackend::Postgres => format!(
            "FROM (SELECT * FROM v ORDER BY attempt_id, section_position, item_code) v \
             CROSS JOIN LATERAL (SELECT 1 FROM attempts a JOIN attempt_sections s \
             ON s.attempt_id = a.id WHERE a.id = v.attempt_id \
             AND s.position = v.section_position AND {conditions} \
             OFFSET 0 FOR SHARE OF a, s) open_rows"
        ),
        // SQLite has no row locks (its one writer serialises the same way) and looks rows up
        // by key here; its parser needs a WHERE before ON CONFLICT.
        _ => format!(
            "FROM v JOIN attempts a ON a.id = v.attempt_id \
             JOIN attempt_sections s ON s.attempt_id = v.attempt_id \
             AND s.position = v.section_position WHERE {conditions}"
        ),
    };
    // A row inserted by this statement has no deleting or locking transaction yet (`xmax` is 0);
    // a row the conflict clause updated carries this one's.
    let added = match backend {
        DatabaseBackend::Postgres => "(responses.xmax = 0)",
        _ => "1",
    };
    let sql = format!(
        "WITH v (attempt_id, section_position, item_code, value, client_seq, flagged, \
         received_at, selection, device, deadline_not_before) AS (VALUES {tuples}) \
         INSERT INTO responses (attempt_id, section_position, item_code, value, client_seq, \
         flagged, received_at, selection) \
         SELECT v.attempt_id, v.section_position, v.item_code, v.value, v.client_seq, v.flagged, \
         v.received_at, v.selection {source} \
         ON CONFLICT (attempt_id, section_position, item_code) DO UPDATE SET \
         value = excluded.value, client_seq = excluded.client_seq, \
         flagged = excluded.flagged, received_at = excluded.received_at, \
         selection = excluded.selection \
         WHERE responses.client_seq < excluded.client_seq AND responses.selection IS NULL \
         RETURNING attempt_id, section_position, item_code, {added} AS added",
        tuples = tuples.join(", "),
    );
    let written = db
        .query_all(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    written
        .iter()
        .map(|row| {
            let key = (
                row.try_get::<uuid::Uuid>("", "attempt_id")?,
                row.try_get::<i32>("", "section_position")?,
                row.try_get::<String>("", "item_code")?,
            );
            Ok((key, row.try_get::<bool>("", "added")?))
        })
        .collect()
}

/// When the latest answer stored in an attempt arrived; none before its first answer.
pub async fn latest_received(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    response::Entity::find()
        .select_only()
        .column(response::Column::ReceivedAt)
        .filter(response::Column::AttemptId.eq(attempt.as_uuid()))
        .order_by_desc(response::Column::ReceivedAt)
        .into_tuple::<DateTime<Utc>>()
        .one(db)
        .await
}

/// One stored response, if any.
pub async fn find(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    section: i32,
    item: &str,
) -> Result<Option<response::Model>, DbErr> {
    response::Entity::find_by_id((attempt.as_uuid(), section, item.to_owned()))
        .one(db)
        .await
}

/// The responses of one attempt.
pub async fn of_attempt(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
) -> Result<Vec<response::Model>, DbErr> {
    response::Entity::find()
        .filter(response::Column::AttemptId.eq(attempt.as_uuid()))
        .all(db)
        .await
}

/// The responses of one section of an attempt.
pub async fn of_section(
    db: &impl ConnectionTrait,
    attempt: AttemptId,
    section: i32,
) -> Result<Vec<response::Model>, DbErr> {
    response::Entity::find()
        .filter(response::Column::AttemptId.eq(attempt.as_uuid()))
        .filter(response::Column::SectionPosition.eq(section))
        .all(db)
        .await
}

/// Number of responses per attempt: (attempt id, count).
pub async fn counts(
    db: &impl ConnectionTrait,
    attempts: &[uuid::Uuid],
) -> Result<Vec<(uuid::Uuid, i64)>, DbErr> {
    use sea_orm::QuerySelect;
    response::Entity::find()
        .select_only()
        .column(response::Column::AttemptId)
        .column_as(response::Column::ItemCode.count(), "n")
        .filter(response::Column::AttemptId.is_in(attempts.iter().copied()))
        .group_by(response::Column::AttemptId)
        .into_tuple()
        .all(db)
        .await
}

/// Number of responses per attempt and section: (attempt id, section, count).
pub async fn section_counts(
    db: &impl ConnectionTrait,
    attempts: &[uuid::Uuid],
) -> Result<Vec<(uuid::Uuid, i32, i64)>, DbErr> {
    counts_by_section(db, attempts.iter().copied(), None).await
}

/// Number of responses in one section of each of some attempts: (attempt id, section, count)
/// for the (attempt, section) pairs asked; a pair without a response is left out.
pub async fn counts_in_sections(
    db: &impl ConnectionTrait,
    pairs: &[(uuid::Uuid, i32)],
) -> Result<Vec<(uuid::Uuid, i32, i64)>, DbErr> {
    use std::collections::{BTreeSet, HashSet};
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    // The attempts and the sections asked (during an exam, one or two sections for all): the
    // pairs not asked among them are dropped here.
    let sections: BTreeSet<i32> = pairs.iter().map(|p| p.1).collect();
    let wanted: HashSet<(uuid::Uuid, i32)> = pairs.iter().copied().collect();
    let rows = counts_by_section(db, pairs.iter().map(|p| p.0), Some(sections)).await?;
    Ok(rows
        .into_iter()
        .filter(|(a, s, _)| wanted.contains(&(*a, *s)))
        .collect())
}

/// Responses per (attempt, section) of some attempts, in `sections` only when given.
async fn counts_by_section(
    db: &impl ConnectionTrait,
    attempts: impl IntoIterator<Item = uuid::Uuid>,
    sections: Option<std::collections::BTreeSet<i32>>,
) -> Result<Vec<(uuid::Uuid, i32, i64)>, DbErr> {
    use sea_orm::QuerySelect;
    let mut query = response::Entity::find()
        .select_only()
        .column(response::Column::AttemptId)
        .column(response::Column::SectionPosition)
        .column_as(response::Column::ItemCode.count(), "n")
        .filter(response::Column::AttemptId.is_in(attempts));
    if let Some(sections) = sections {
        query = query.filter(response::Column::SectionPosition.is_in(sections));
    }
    query
        .group_by(response::Column::AttemptId)
        .group_by(response::Column::SectionPosition)
        .into_tuple()
        .all(db)
        .await
}

/// The adaptive selections stored in some attempts: (attempt id, section, selection).
pub async fn selections_of(
    db: &impl ConnectionTrait,
    attempts: &[uuid::Uuid],
) -> Result<Vec<(uuid::Uuid, i32, serde_json::Value)>, DbErr> {
    use sea_orm::QuerySelect;
    let rows: Vec<(uuid::Uuid, i32, Option<serde_json::Value>)> = response::Entity::find()
        .select_only()
        .column(response::Column::AttemptId)
        .column(response::Column::SectionPosition)
        .column(response::Column::Selection)
        .filter(response::Column::AttemptId.is_in(attempts.iter().copied()))
        .filter(response::Column::Selection.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(a, s, v)| Some((a, s, v?)))
        .collect())
}

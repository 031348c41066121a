//! The proctor's rows: one per participant of a session, from a few batched queries.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::Serialize;
use uuid::Uuid;

use super::chunked;
use crate::domain::adaptive::Selection;
use crate::domain::attempt::{self as rules, EventKind, SectionStatus};
use crate::error::ApiError;
use crate::services::{adaptive, AppContext};
use crate::store::attempts as repo;
use crate::store::entities::{attempt, attempt_section, participant};
use crate::store::{attempt_events, campaigns, responses};

/// The latest event of an attempt.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LastEvent {
    /// Its kind.
    pub kind: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// One candidate of a session as the proctor sees it.
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
    /// is older than the snapshot's `disconnect_after_ms`.
    pub state: String,
    /// Admitted from the lobby by a proctor.
    pub admitted: bool,
    /// Open section (0-based).
    pub section: Option<i32>,
    /// Sections in the battery.
    pub section_count: i32,
    /// Answers saved in the open section (else the last one started).
    pub answered: i64,
    /// Items planned in that section; in an adaptive section, the most it may give.
    pub total: i64,
    /// That section is adaptive: its length varies.
    pub adaptive: bool,
    /// In an adaptive section: the standard error of θ̂ after the last answer (the test stops
    /// once it reaches the section's target).
    pub se: Option<f64>,
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

/// The state word of an attempt for the proctor.
fn state_of(a: &attempt::Model, open: Option<&attempt_section::Model>) -> &'static str {
    if a.status.is_over() {
        a.status.as_str()
    } else if a.paused_at.is_some() {
        "paused"
    } else if open.is_some() {
        "in_section"
    } else {
        "lobby"
    }
}

/// The rows of some participants (with their attempts, when they have one), from a few batched
/// queries through `db` whatever their number.
pub async fn rows_of(
    ctx: &AppContext,
    db: &DatabaseConnection,
    participants: &[participant::Model],
    attempts: &[attempt::Model],
) -> Result<Vec<Row>, ApiError> {
    let now = ctx.clock.now();
    let ids: Vec<Uuid> = attempts.iter().map(|a| a.id).collect();
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
    // The SE after the last answer of each adaptive section (read only for attempts that have
    // one).
    let adaptive_ids: Vec<Uuid> = sections
        .iter()
        .filter(|s| s.adaptive.is_some())
        .map(|s| s.attempt_id)
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    let selections = chunked(&adaptive_ids, |c| async move {
        responses::selections_of(db, &c).await
    })
    .await?;
    let mut last_se: HashMap<(Uuid, i32), (u32, f64)> = HashMap::new();
    for (attempt, section, value) in selections {
        let Ok(sel) = serde_json::from_value::<Selection>(value) else {
            continue;
        };
        let slot = last_se.entry((attempt, section)).or_insert((0, sel.se));
        if sel.step >= slot.0 {
            *slot = (sel.step, sel.se);
        }
    }
    let keys: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    // While the live store is down nobody's last sign of life is known.
    let seen = ctx
        .live
        .presence(&keys)
        .await
        .unwrap_or_else(|_| vec![None; keys.len()]);
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
                adaptive: false,
                se: None,
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
            .find(|s| s.status == SectionStatus::Open);
        // Progress is that of the open section, else of the last one started.
        let current = open.or_else(|| {
            secs.iter()
                .copied()
                .rfind(|s| s.status != SectionStatus::Pending)
        });
        let spec = current.and_then(|s| adaptive::spec_of(s.adaptive.as_ref()).ok().flatten());
        let total = match (&spec, current) {
            (Some(spec), _) => spec.config.max_items as i64,
            (None, Some(s)) => {
                serde_json::from_value::<Vec<String>>(s.plan.clone()).map_or(0, |p| p.len() as i64)
            }
            (None, None) => 0,
        };
        let se = current.and_then(|s| last_se.get(&(a.id, s.position)).map(|(_, se)| *se));
        let evs = events.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
        let integrity_by_kind: HashMap<String, i64> = evs
            .iter()
            .filter(|(k, _, _)| EventKind::is_integrity_word(k))
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
            adaptive: spec.is_some(),
            se,
            deadline_ms: deadline.map(|d| d.timestamp_millis()),
            remaining_ms: deadline.map(|d| rules::time_left_ms(d, a.paused_at, now)),
            last_seen_ms: seen.get(&a.id).copied(),
            integrity: integrity_by_kind.values().sum(),
            integrity_by_kind,
            irregular: evs
                .iter()
                .any(|(k, _, _)| k == EventKind::Irregularity.as_str()),
            last_event,
        });
    }
    Ok(rows)
}

/// The rows of every participant of a session.
pub async fn session_rows(ctx: &AppContext, session: Uuid) -> Result<Vec<Row>, ApiError> {
    let participants = campaigns::session_participants(&ctx.db, session).await?;
    let attempts = repo::of_session(&ctx.db, session).await?;
    rows_of(ctx, &ctx.db, &participants, &attempts).await
}

/// The rows of some attempts, with the session each belongs to, read through `db`.
pub(super) async fn rows_of_attempts(
    ctx: &AppContext,
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Row)>, ApiError> {
    let attempts = chunked(ids, |c| async move { repo::find_many(db, &c).await }).await?;
    let pids: Vec<Uuid> = attempts.iter().map(|a| a.participant_id).collect();
    let participants = chunked(&pids, |c| async move {
        campaigns::participants_by_id(db, &c).await
    })
    .await?;
    let session_of: HashMap<Uuid, Option<Uuid>> =
        participants.iter().map(|p| (p.id, p.session_id)).collect();
    let rows = rows_of(ctx, db, &participants, &attempts).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((session_of.get(&r.participant).copied()??, r)))
        .collect())
}

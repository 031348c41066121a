//! What each candidate's page must reflect at once (pauses, extensions, the end, messages, the
//! lobby), read in batches and pushed to the page's topic.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::Serialize;
use uuid::Uuid;

use super::{attempt_topic, chunked, frame, publish, CHUNK};
use crate::domain::attempt::{self as rules, EventKind, SectionStatus};
use crate::error::{ApiError, ErrorCode};
use crate::services::AppContext;
use crate::store::attempts as repo;
use crate::store::entities::{attempt, attempt_event, attempt_section, campaign};
use crate::store::{attempt_events, campaigns};

/// The events that make and close a proctor's messages.
pub const MESSAGE_EVENTS: [EventKind; 2] = [EventKind::Message, EventKind::MessageDismissed];

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
        attempt_events::of_kinds(db, &c, &MESSAGE_EVENTS).await
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
        let lobby = a
            .session_id
            .and_then(|s| lobbies.get(&s).copied().flatten());
        let mine: Vec<&attempt_section::Model> =
            sections.iter().filter(|s| s.attempt_id == a.id).collect();
        let messages: Vec<&attempt_event::Model> =
            events.iter().filter(|e| e.attempt_id == a.id).collect();
        let state = state_of(&a, &mine, &messages, lobby, now);
        out.insert(a.id, state);
    }
    Ok(out)
}

/// The state of one attempt whose row, sections and campaign are already read (a candidate's
/// own read of the attempt): only its messages are read, and its session when the campaign
/// has a lobby.
pub async fn candidate_state(
    ctx: &AppContext,
    a: &attempt::Model,
    sections: &[attempt_section::Model],
    campaign: &campaign::Model,
) -> Result<CandidateState, ApiError> {
    let db = &ctx.db;
    let events = attempt_events::of_kinds(db, &[a.id], &MESSAGE_EVENTS).await?;
    let lobby = match a.session_id {
        Some(session) if campaign.lobby => {
            campaigns::find_session(db, a.organisation_id.into(), session)
                .await?
                .map(|(s, _)| s.started_at.is_some())
        }
        _ => None,
    };
    let sections: Vec<&attempt_section::Model> = sections.iter().collect();
    let events: Vec<&attempt_event::Model> = events.iter().collect();
    Ok(state_of(a, &sections, &events, lobby, ctx.clock.now()))
}

/// An attempt's state from its row, its sections, its message events and, in a lobby, whether
/// its session has started.
fn state_of(
    a: &attempt::Model,
    sections: &[&attempt_section::Model],
    events: &[&attempt_event::Model],
    session_started: Option<bool>,
    now: DateTime<Utc>,
) -> CandidateState {
    let open = sections.iter().find(|s| s.status == SectionStatus::Open);
    let dismissed: HashSet<String> = events
        .iter()
        .filter(|e| e.kind == EventKind::MessageDismissed.as_str())
        .filter_map(|e| e.detail.get("id")?.as_str().map(str::to_owned))
        .collect();
    let messages = events
        .iter()
        .filter(|e| e.kind == EventKind::Message.as_str())
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
    CandidateState {
        status: a.status.as_str().to_owned(),
        paused: a.paused_at.is_some(),
        section: open.map(|s| s.position),
        remaining_ms: open
            .and_then(|s| s.deadline_at)
            .map(|d| rules::time_left_ms(d, a.paused_at, now)),
        lobby: session_started.map(|started| LobbyState {
            admitted: a.admitted_at.is_some(),
            session_started: started,
        }),
        messages,
    }
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

/// [`notify_candidates`] after a change already committed: the change stands when the pages
/// cannot be told at once (a page learns it from its next refused answer, or when its stream
/// reconnects), so a failure is logged, not returned.
pub async fn tell_candidates(ctx: &AppContext, ids: &[Uuid]) {
    if let Err(e) = notify_candidates(ctx, ids).await {
        tracing::warn!(attempts = ids.len(), error = %e.message, "candidates' pages not told of a change");
    }
}

/// The state of one candidate's page, as a `state` event.
pub async fn page_state(ctx: &AppContext, attempt: Uuid) -> Result<String, ApiError> {
    let state = candidate_states(ctx, &[attempt])
        .await?
        .remove(&attempt)
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "this attempt no longer exists"))?;
    frame("state", &state)
}

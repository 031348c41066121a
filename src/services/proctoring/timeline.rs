//! The timeline of a participant's attempt, for HR and proctors: what happened, in order
//! (sign-ins, sections, answers by count, integrity signals, staff actions).
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::access::visible_participant;
use crate::domain::attempt::{AttemptStatus, EventKind};
use crate::domain::ids::{AttemptId, CampaignId, ParticipantId};
use crate::error::ApiError;
use crate::services::auth::Staff;
use crate::services::AppContext;
use crate::store::attempts as repo;
use crate::store::{attempt_events, responses};

/// One event of a timeline.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TimelineEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// What, e.g. `sign_in`, `section_start`, `integrity.page_hidden`, `unlock`.
    pub kind: String,
    /// Details of the event.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// The staff account that acted, for staff actions.
    pub actor: Option<uuid::Uuid>,
}

/// Answers of one section, by count.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectionAnswers {
    /// Section position.
    pub section: i32,
    /// Answers stored.
    pub answers: usize,
    /// When the latest arrived.
    pub last_at: DateTime<Utc>,
}

/// The timeline of one participant's attempt.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Timeline {
    /// The attempt, once the participant has signed in.
    pub attempt: Option<uuid::Uuid>,
    /// not_started, in_progress, finished or expired.
    pub status: String,
    /// Events, oldest first.
    pub events: Vec<TimelineEvent>,
    /// Answers per section.
    pub answers: Vec<SectionAnswers>,
    /// Integrity signals counted.
    pub integrity_signals: usize,
}

/// The timeline of a participant of a campaign of the caller's organisation.
pub async fn of_participant(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
) -> Result<Timeline, ApiError> {
    visible_participant(ctx, staff, campaign, participant).await?;
    let Some(a) = repo::of_participant(&ctx.db, participant).await? else {
        return Ok(Timeline {
            attempt: None,
            status: AttemptStatus::NotStarted.as_str().to_owned(),
            events: Vec::new(),
            answers: Vec::new(),
            integrity_signals: 0,
        });
    };
    let id = AttemptId::from(a.id);
    let events: Vec<TimelineEvent> = attempt_events::of_attempt(&ctx.db, id)
        .await?
        .into_iter()
        .map(|e| TimelineEvent {
            at: e.at,
            kind: e.kind,
            detail: e.detail,
            actor: e.actor_account_id,
        })
        .collect();
    let mut by_section: BTreeMap<i32, (usize, DateTime<Utc>)> = BTreeMap::new();
    for r in responses::of_attempt(&ctx.db, id).await? {
        let e = by_section
            .entry(r.section_position)
            .or_insert((0, r.received_at));
        e.0 += 1;
        e.1 = e.1.max(r.received_at);
    }
    Ok(Timeline {
        attempt: Some(a.id),
        status: a.status.as_str().to_owned(),
        integrity_signals: events
            .iter()
            .filter(|e| EventKind::is_integrity_word(&e.kind))
            .count(),
        events,
        answers: by_section
            .into_iter()
            .map(|(section, (answers, last_at))| SectionAnswers {
                section,
                answers,
                last_at,
            })
            .collect(),
    })
}

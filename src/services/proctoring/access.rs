//! Who may watch what: the sessions a staff member may watch (a proctor those assigned to them,
//! HR and admins every session of their organisation), and a session's monitor as it is now.
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::account::Role;
use crate::domain::ids::{CampaignId, ParticipantId};
use crate::error::ApiError;
use crate::services::auth::Staff;
use crate::services::monitor::{self, Row};
use crate::services::{campaigns, AppContext};
use crate::store::campaigns as campaign_store;
use crate::store::entities::{campaign, campaign_session, participant};

/// A session as a proctor's list shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionCard {
    /// Session id.
    pub id: Uuid,
    /// Its campaign.
    pub campaign: CampaignRef,
    /// Name.
    pub name: String,
    /// Room.
    pub room: Option<String>,
    /// Scheduled start.
    pub starts_at: DateTime<Utc>,
    /// When a proctor started it (lobby campaigns).
    pub started_at: Option<DateTime<Utc>>,
    /// Proctor account assigned.
    pub proctor: Option<Uuid>,
    /// Participants enrolled in it.
    pub participant_count: i64,
}

/// The campaign of a session.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignRef {
    /// Campaign id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Whether candidates wait in a lobby.
    pub lobby: bool,
}

pub(super) fn card(
    s: campaign_session::Model,
    c: &campaign::Model,
    participant_count: i64,
) -> SessionCard {
    SessionCard {
        id: s.id,
        campaign: CampaignRef {
            id: c.id,
            name: c.name.clone(),
            lobby: c.lobby,
        },
        name: s.name,
        room: s.room,
        starts_at: s.starts_at,
        started_at: s.started_at,
        proctor: s.proctor_account_id,
        participant_count,
    }
}

fn assigned(staff: &Staff, s: &campaign_session::Model) -> bool {
    staff.role != Role::Proctor || s.proctor_account_id == Some(staff.account.as_uuid())
}

/// The sessions a staff member may watch: a proctor those assigned to them, HR and admins every
/// session of their organisation.
pub async fn sessions(ctx: &AppContext, staff: &Staff) -> Result<Vec<SessionCard>, ApiError> {
    let proctor = (staff.role == Role::Proctor).then(|| staff.account.as_uuid());
    let found = campaign_store::sessions_for(&ctx.db, staff.organisation, proctor).await?;
    let mut out = Vec::with_capacity(found.len());
    let mut counts = std::collections::HashMap::new();
    for (s, c) in found {
        if let std::collections::hash_map::Entry::Vacant(e) = counts.entry(c.id) {
            let n: std::collections::HashMap<Uuid, i64> =
                campaign_store::session_counts(&ctx.db, CampaignId::from(c.id))
                    .await?
                    .into_iter()
                    .collect();
            e.insert(n);
        }
        let n = counts[&c.id].get(&s.id).copied().unwrap_or(0);
        out.push(card(s, &c, n));
    }
    Ok(out)
}

/// A session the caller may watch, with its campaign; otherwise `not_found` (a proctor is not
/// told that sessions of others exist).
pub async fn visible_session(
    ctx: &AppContext,
    staff: &Staff,
    session: Uuid,
) -> Result<(campaign_session::Model, campaign::Model), ApiError> {
    campaign_store::find_session(&ctx.db, staff.organisation, session)
        .await?
        .filter(|(s, _)| assigned(staff, s))
        .ok_or_else(|| ApiError::not_found("session"))
}

/// A participant the caller may steer: of their organisation's campaign and, for a proctor, of
/// a session assigned to them.
pub async fn visible_participant(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
) -> Result<participant::Model, ApiError> {
    campaigns::find(ctx, staff, campaign).await?;
    let p = campaign_store::find_participant(&ctx.db, staff.organisation, campaign, participant)
        .await?
        .ok_or_else(|| ApiError::not_found("participant"))?;
    if staff.role == Role::Proctor {
        let Some(session) = p.session_id else {
            return Err(ApiError::not_found("participant"));
        };
        visible_session(ctx, staff, session)
            .await
            .map_err(|_| ApiError::not_found("participant"))?;
    }
    Ok(p)
}

/// A session's monitor as it is now (the API calls it the session's room).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Room {
    /// The session.
    pub session: SessionCard,
    /// The server's clock when the rows were read.
    pub server_time_ms: i64,
    /// A signed-in candidate unseen for this long shows as disconnected.
    pub disconnect_after_ms: i64,
    /// One row per participant of the session.
    pub rows: Vec<Row>,
}

/// A snapshot of a session's monitor.
pub async fn snapshot(ctx: &AppContext, staff: &Staff, session: Uuid) -> Result<Room, ApiError> {
    let (s, c) = visible_session(ctx, staff, session).await?;
    let rows = monitor::session_rows(ctx, session).await?;
    Ok(Room {
        session: card(s, &c, rows.len() as i64),
        server_time_ms: ctx.clock.now().timestamp_millis(),
        disconnect_after_ms: (ctx.settings.proctoring.disconnect_after_seconds * 1000) as i64,
        rows,
    })
}

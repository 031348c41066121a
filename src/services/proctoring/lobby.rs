//! The synchronised start of a lobby session: every admitted candidate's first section opens
//! with one deadline, their live state is written and their pages told, a burst at a time.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::access::visible_session;
use super::actions::text_of;
use crate::domain::attempt::{AttemptStatus, EventKind};
use crate::domain::ids::{AttemptId, BatteryId};
use crate::error::{ApiError, ErrorCode};
use crate::services::attempt::live;
use crate::services::attempt::steering::refuse;
use crate::services::auth::Staff;
use crate::services::monitor;
use crate::services::AppContext;
use crate::store::attempts as repo;
use crate::store::audit::{self, AuditRecord};
use crate::store::{attempt_events, batteries, campaigns};

/// A session's start.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartBody {
    /// Why now (required; kept in the audit log).
    #[serde(default)]
    pub reason: String,
}

/// What a start did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StartOutcome {
    /// When the session started.
    pub started_at: DateTime<Utc>,
    /// The one deadline of every first section opened.
    pub deadline: DateTime<Utc>,
    /// First sections opened.
    pub started: u64,
}

/// Starts a lobby session: every admitted candidate who has consented and is not paused gets
/// the first section open with the same deadline; their live state is written and their pages
/// told, a burst at a time.
pub async fn start(
    ctx: &AppContext,
    staff: &Staff,
    session: Uuid,
    body: StartBody,
) -> Result<StartOutcome, ApiError> {
    let mut errors = Vec::new();
    let reason = text_of("reason", &body.reason, &mut errors);
    ApiError::unless_no_errors(ErrorCode::InvalidInput, "give a reason", errors)?;
    let (s, c) = visible_session(ctx, staff, session).await?;
    if !c.lobby {
        return Err(refuse(
            "this campaign has no lobby: its candidates start on their own",
        ));
    }
    let battery = batteries::find(&ctx.db, staff.organisation, BatteryId::from(c.battery_id))
        .await?
        .ok_or_else(|| ApiError::not_found("battery"))?;
    let limit = battery
        .sections
        .iter()
        .find(|b| b.position == 0)
        .map(|b| b.time_limit_seconds)
        .ok_or_else(|| ApiError::not_found("section"))?;
    // Microseconds: what every database keeps, so the deadline told here is the one stored.
    let now = chrono::SubsecRound::trunc_subsecs(ctx.clock.now(), 6);
    let deadline = now + chrono::Duration::seconds(i64::from(limit));
    let ready: Vec<Uuid> = repo::of_session(&ctx.db, session)
        .await?
        .into_iter()
        .filter(|a| {
            a.admitted_at.is_some()
                && a.consent_at.is_some()
                && a.paused_at.is_none()
                && a.status == AttemptStatus::NotStarted
        })
        .map(|a| a.id)
        .collect();
    let txn = crate::store::begin_write(&ctx.db).await?;
    if !campaigns::start_session(&txn, session, now).await? {
        return Err(refuse("this session has already been started"));
    }
    let mut started = 0;
    for chunk in ready.chunks(500) {
        started += repo::open_first_sections(&txn, chunk, now, deadline).await?;
    }
    let events: Vec<(AttemptId, serde_json::Value)> = ready
        .iter()
        .map(|a| {
            (
                AttemptId::from(*a),
                serde_json::json!({"section": 0, "deadline": deadline, "synchronised": true}),
            )
        })
        .collect();
    let kind = EventKind::SectionStart;
    attempt_events::record_many(&txn, kind, events, Some(staff.account), now).await?;
    audit::record(
        &txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "session.start",
            target_type: "session",
            target_id: s.id.to_string(),
            before: Some(serde_json::json!({"started_at": null})),
            after: Some(
                serde_json::json!({"started_at": now, "deadline": deadline, "started": started}),
            ),
            reason: Some(reason),
            at: now,
        },
    )
    .await?;
    txn.commit().await?;
    live::refresh_many(ctx, &ready).await?;
    monitor::tell_candidates(ctx, &ready).await;
    tracing::info!(%session, started, "session started");
    Ok(StartOutcome {
        started_at: now,
        deadline,
        started,
    })
}

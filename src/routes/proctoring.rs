//! Live proctoring: the sessions a staff member may watch, a room's snapshot and live feed, and
//! the actions on its candidates.
use std::sync::Arc;
use std::time::Duration;

use actix_web::{web, HttpResponse};
use serde::Serialize;
use uuid::Uuid;

use super::extract::{Authorized, SessionSteering};
use super::sse;
use super::Routes;
use crate::error::{ApiError, ErrorBody};
use crate::services::monitor::{self, frame};
use crate::services::proctoring::{
    self, ActionBody, ActionOutcome, Room, SessionCard, StartBody, StartOutcome,
};
use crate::services::AppContext;

/// Live rooms and proctors' actions.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/proctoring/sessions", |r| r.get(sessions))
        .resource("/proctoring/sessions/{id}/room", |r| r.get(room))
        .resource("/proctoring/sessions/{id}/live", |r| r.get(live))
        .resource("/proctoring/sessions/{id}/actions", |r| r.post(act))
        .resource("/proctoring/sessions/{id}/start", |r| r.post(start));
}

/// Keep-alive comments on a proctor's feed.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Sessions a staff member may watch.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionList {
    /// By start time.
    pub sessions: Vec<SessionCard>,
}

/// The sessions the caller may watch: a proctor's assigned ones, or every session of the
/// organisation for HR and admins.
#[utoipa::path(get, path = "/api/v1/proctoring/sessions", tag = "proctoring", security(("bearer" = [])),
    responses((status = 200, body = SessionList), (status = 403, body = ErrorBody)))]
pub async fn sessions(
    ctx: web::Data<AppContext>,
    who: Authorized<SessionSteering>,
) -> Result<web::Json<SessionList>, ApiError> {
    Ok(web::Json(SessionList {
        sessions: proctoring::sessions(&ctx, &who.staff).await?,
    }))
}

/// A session's room now: one row per participant.
#[utoipa::path(get, path = "/api/v1/proctoring/sessions/{id}/room", tag = "proctoring", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "session id")),
    responses((status = 200, body = Room), (status = 404, body = ErrorBody)))]
pub async fn room(
    ctx: web::Data<AppContext>,
    who: Authorized<SessionSteering>,
    path: web::Path<Uuid>,
) -> Result<web::Json<Room>, ApiError> {
    Ok(web::Json(
        proctoring::snapshot(&ctx, &who.staff, path.into_inner()).await?,
    ))
}

/// The room's live feed (`text/event-stream`): `snapshot` (a Room) first and after any gap,
/// then `rows` (changed rows, whole), `progress` (the answer count of a section that gained an
/// answer, a ProgressEvent) and `seen` (presence), whichever node the candidates use.
#[utoipa::path(get, path = "/api/v1/proctoring/sessions/{id}/live", tag = "proctoring", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "session id")),
    responses((status = 200, description = "an event stream", content_type = "text/event-stream"),
        (status = 404, body = ErrorBody)))]
pub async fn live(
    ctx: web::Data<AppContext>,
    who: Authorized<SessionSteering>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let session = path.into_inner();
    // Listen before reading, so nothing that happens in between is missed.
    let rx = monitor::listen_to_session(&ctx, session);
    let first = frame(
        "snapshot",
        &proctoring::snapshot(&ctx, &who.staff, session).await?,
    )?;
    let ctx = ctx.into_inner();
    let staff = Arc::new(who.staff);
    let stop = ctx.shutdown.watch();
    let resync: sse::Resync = Arc::new(move || {
        let (ctx, staff) = (ctx.clone(), staff.clone());
        Box::pin(async move {
            frame(
                "snapshot",
                &proctoring::snapshot(&ctx, &staff, session).await?,
            )
        })
    });
    Ok(sse::stream(
        first,
        stop,
        rx,
        resync,
        sse::Rebuild::AtOnce,
        KEEPALIVE,
        None,
    ))
}

/// Does one action to some candidates of the session, or to all of them: admit, pause,
/// resume, extend, terminate, message, irregularity, unlock. Needs a reason; audited.
#[utoipa::path(post, path = "/api/v1/proctoring/sessions/{id}/actions", tag = "proctoring", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "session id")),
    request_body = ActionBody,
    responses((status = 200, body = ActionOutcome), (status = 404, body = ErrorBody),
        (status = 422, description = "invalid_input: no reason, bad seconds or text, unknown participants", body = ErrorBody)))]
pub async fn act(
    ctx: web::Data<AppContext>,
    who: Authorized<SessionSteering>,
    path: web::Path<Uuid>,
    body: web::Json<ActionBody>,
) -> Result<web::Json<ActionOutcome>, ApiError> {
    Ok(web::Json(
        proctoring::act(&ctx, &who.staff, path.into_inner(), body.into_inner()).await?,
    ))
}

/// Starts a lobby session: every admitted candidate's first section opens with one deadline.
#[utoipa::path(post, path = "/api/v1/proctoring/sessions/{id}/start", tag = "proctoring", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "session id")),
    request_body = StartBody,
    responses((status = 200, body = StartOutcome), (status = 404, body = ErrorBody),
        (status = 409, description = "invalid_state_transition: no lobby, or already started", body = ErrorBody),
        (status = 422, description = "invalid_input: no reason", body = ErrorBody)))]
pub async fn start(
    ctx: web::Data<AppContext>,
    who: Authorized<SessionSteering>,
    path: web::Path<Uuid>,
    body: web::Json<StartBody>,
) -> Result<web::Json<StartOutcome>, ApiError> {
    Ok(web::Json(
        proctoring::start(&ctx, &who.staff, path.into_inner(), body.into_inner()).await?,
    ))
}

//! The candidate's side of test delivery: sign-in with an access code, consent, sections, answers,
//! integrity signals, and the live feed of proctors' actions.
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::extract::{client_address, Candidate};
use super::sse;
use super::Routes;
use crate::error::{ApiError, ErrorBody};
use crate::services::delivery::SignalBody;
use crate::services::delivery::{
    self, AnswerBody, AnswerSaved, AttemptView, CandidateLogin, CandidateSession, PracticeBody,
    PracticeResult, SectionView,
};
use crate::services::monitor;
use crate::services::AppContext;

/// Taking a test. The paths without a parameter come first, the answers' at the head: they are
/// matched by comparing text, the others by a regular expression each.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/candidate/answers", |r| r.put(answer))
        .resource("/candidate/attempt", |r| r.get(attempt))
        .resource("/candidate/events", |r| r.post(signal))
        .resource("/candidate/stream", |r| r.get(stream))
        .resource("/candidate/login", |r| r.post(login))
        .resource("/candidate/consent", |r| r.post(consent))
        .resource("/candidate/sections/{position}", |r| r.get(section))
        .resource("/candidate/sections/{position}/start", |r| {
            r.post(start_section)
        })
        .resource("/candidate/sections/{position}/submit", |r| {
            r.post(submit_section)
        })
        .resource("/candidate/sections/{position}/practice", |r| {
            r.post(practice)
        })
        .resource("/candidate/sections/{position}/assets/{handle}", |r| {
            r.get(asset)
        })
        .resource("/candidate/messages/{id}/dismiss", |r| r.post(dismiss))
        .resource("/candidate/finish", |r| r.post(finish));
}

/// Signs a candidate in with the access code and NIP or birth date.
#[utoipa::path(post, path = "/api/v1/candidate/login", tag = "candidate",
    request_body = CandidateLogin,
    responses((status = 200, body = CandidateSession),
        (status = 401, description = "invalid_credentials (never says which factor failed)", body = ErrorBody),
        (status = 422, description = "invalid_input: neither NIP nor birth date", body = ErrorBody),
        (status = 403, description = "campaign_not_open or campaign_closed", body = ErrorBody),
        (status = 409, description = "resume_locked", body = ErrorBody),
        (status = 429, description = "too_many_requests", body = ErrorBody)))]
pub async fn login(
    ctx: web::Data<AppContext>,
    req: HttpRequest,
    body: web::Json<CandidateLogin>,
) -> Result<web::Json<CandidateSession>, ApiError> {
    let client = client_address(&req, ctx.settings.trusted_proxies());
    Ok(web::Json(
        delivery::login(&ctx, body.into_inner(), &client).await?,
    ))
}

/// The signed-in candidate's attempt.
#[utoipa::path(get, path = "/api/v1/candidate/attempt", tag = "candidate", security(("bearer" = [])),
    responses((status = 200, body = AttemptView),
        (status = 409, description = "device_replaced", body = ErrorBody)))]
pub async fn attempt(
    ctx: web::Data<AppContext>,
    who: Candidate,
) -> Result<web::Json<AttemptView>, ApiError> {
    Ok(web::Json(delivery::attempt(&ctx, &who.0).await?))
}

/// Consent to the assessment's purpose and data use.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    /// Must be true.
    pub accept: bool,
}

/// Records the candidate's consent; needed before the first section.
#[utoipa::path(post, path = "/api/v1/candidate/consent", tag = "candidate", security(("bearer" = [])),
    request_body = ConsentBody,
    responses((status = 200, body = AttemptView),
        (status = 409, description = "device_replaced", body = ErrorBody),
        (status = 422, description = "invalid_input: not accepted", body = ErrorBody)))]
pub async fn consent(
    ctx: web::Data<AppContext>,
    who: Candidate,
    body: web::Json<ConsentBody>,
) -> Result<web::Json<AttemptView>, ApiError> {
    Ok(web::Json(
        delivery::consent(&ctx, &who.0, body.accept).await?,
    ))
}

/// Starts a section: the server sets its deadline. Starting an open section returns it unchanged.
#[utoipa::path(post, path = "/api/v1/candidate/sections/{position}/start", tag = "candidate", security(("bearer" = [])),
    params(("position" = i32, Path, description = "section position, from 0")),
    responses((status = 200, body = SectionView),
        (status = 404, description = "not_found: no section at this position", body = ErrorBody),
        (status = 409, description = "consent_required, section_not_current, section_closed, not_admitted, session_not_started, \
            device_replaced, attempt_paused, attempt_terminated or attempt_finished", body = ErrorBody)))]
pub async fn start_section(
    ctx: web::Data<AppContext>,
    who: Candidate,
    position: web::Path<i32>,
) -> Result<web::Json<SectionView>, ApiError> {
    Ok(web::Json(
        delivery::start_section(&ctx, &who.0, position.into_inner()).await?,
    ))
}

/// A started section with the saved answers, for resuming.
#[utoipa::path(get, path = "/api/v1/candidate/sections/{position}", tag = "candidate", security(("bearer" = [])),
    params(("position" = i32, Path, description = "section position, from 0")),
    responses((status = 200, body = SectionView),
        (status = 404, description = "not_found: no section at this position", body = ErrorBody),
        (status = 409, description = "section_not_current (not started, and not the next one) or device_replaced", body = ErrorBody)))]
pub async fn section(
    ctx: web::Data<AppContext>,
    who: Candidate,
    position: web::Path<i32>,
) -> Result<web::Json<SectionView>, ApiError> {
    Ok(web::Json(
        delivery::section(&ctx, &who.0, position.into_inner()).await?,
    ))
}

/// Judges an answer to a practice item of a section (open, or next with consent given): whether
/// it is right and which answer is, in the attempt's ids. Records nothing. Only the section's
/// practice items are judged; any other id is not found.
#[utoipa::path(post, path = "/api/v1/candidate/sections/{position}/practice", tag = "candidate", security(("bearer" = [])),
    params(("position" = i32, Path, description = "section position, from 0")),
    request_body = PracticeBody,
    responses((status = 200, body = PracticeResult),
        (status = 404, description = "not_found: no section at this position, or no practice item of it with this id", body = ErrorBody),
        (status = 409, description = "section_not_current (not open, and not the next one with consent given), section_closed, \
            device_replaced, attempt_finished or attempt_terminated", body = ErrorBody),
        (status = 422, description = "invalid_response: a response that does not fit the item", body = ErrorBody)))]
pub async fn practice(
    ctx: web::Data<AppContext>,
    who: Candidate,
    position: web::Path<i32>,
    body: web::Json<PracticeBody>,
) -> Result<web::Json<PracticeResult>, ApiError> {
    Ok(web::Json(
        delivery::practice(&ctx, &who.0, position.into_inner(), body.into_inner()).await?,
    ))
}

/// An image of a started section, under its per-attempt name.
#[utoipa::path(get, path = "/api/v1/candidate/sections/{position}/assets/{handle}", tag = "candidate", security(("bearer" = [])),
    params(("position" = i32, Path, description = "section position"), ("handle" = String, Path, description = "the image's per-attempt name")),
    responses((status = 200, description = "the image"),
        (status = 404, description = "not_found: no such section or image in it", body = ErrorBody),
        (status = 409, description = "device_replaced", body = ErrorBody)))]
pub async fn asset(
    ctx: web::Data<AppContext>,
    who: Candidate,
    path: web::Path<(i32, String)>,
) -> Result<HttpResponse, ApiError> {
    let (position, handle) = path.into_inner();
    let a = delivery::asset(&ctx, &who.0, position, &handle).await?;
    Ok(HttpResponse::Ok()
        .content_type(a.media_type)
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .body(a.data))
}

/// Saves one answer. The reply comes only once the answer is committed; a retry with the same
/// `seq`, or an older copy, changes nothing. In an adaptive section only the current item may be
/// answered, once: the reply's `adaptive` names the next item (stored with the answer) or says
/// the test is over.
#[utoipa::path(put, path = "/api/v1/candidate/answers", tag = "candidate", security(("bearer" = [])),
    request_body = AnswerBody,
    responses((status = 200, body = AnswerSaved),
        (status = 409, description = "section_closed (submitted, time is up, or an adaptive section's rule ended \
            it), section_not_started, item_locked, item_not_current (an adaptive section's item other than the \
            one to answer now), device_replaced, attempt_paused, attempt_terminated or attempt_finished", body = ErrorBody),
        (status = 422, description = "invalid_response (no such item or choice, or a value that does not fit) \
            or invalid_input (no section at that position, a negative seq)", body = ErrorBody),
        (status = 503, description = "unavailable: not saved, send it again", body = ErrorBody)))]
pub async fn answer(
    ctx: web::Data<AppContext>,
    who: Candidate,
    body: web::Json<AnswerBody>,
) -> Result<web::Json<AnswerSaved>, ApiError> {
    Ok(web::Json(
        delivery::answer(&ctx, &who.0, body.into_inner()).await?,
    ))
}

/// Submits a section; its answers can no longer change. Submitting the last section still open
/// finishes the attempt and scores it: the answer is then the finished attempt (`status`
/// `finished`, with `scores` when the campaign shows them). Sent again, it answers the attempt as
/// it is.
#[utoipa::path(post, path = "/api/v1/candidate/sections/{position}/submit", tag = "candidate", security(("bearer" = [])),
    params(("position" = i32, Path, description = "section position")),
    responses((status = 200, description = "the attempt, finished when this was its last section", body = AttemptView),
        (status = 404, description = "not_found: no section at this position", body = ErrorBody),
        (status = 409, description = "section_not_started, adaptive_section_running (an adaptive section ends by \
            its rule or its time), device_replaced, attempt_paused or attempt_terminated", body = ErrorBody)))]
pub async fn submit_section(
    ctx: web::Data<AppContext>,
    who: Candidate,
    position: web::Path<i32>,
) -> Result<web::Json<AttemptView>, ApiError> {
    Ok(web::Json(
        delivery::submit_section(&ctx, &who.0, position.into_inner()).await?,
    ))
}

/// Finishes the attempt; it is scored at once.
#[utoipa::path(post, path = "/api/v1/candidate/finish", tag = "candidate", security(("bearer" = [])),
    responses((status = 200, body = AttemptView),
        (status = 409, description = "device_replaced, attempt_paused or attempt_terminated", body = ErrorBody)))]
pub async fn finish(
    ctx: web::Data<AppContext>,
    who: Candidate,
) -> Result<web::Json<AttemptView>, ApiError> {
    Ok(web::Json(delivery::finish(&ctx, &who.0).await?))
}

/// Reports an integrity signal of the candidate's page (page hidden, window blurred, fullscreen
/// left, copy, paste, context menu); stored on the attempt for the proctor.
#[utoipa::path(post, path = "/api/v1/candidate/events", tag = "candidate", security(("bearer" = [])),
    request_body = SignalBody,
    responses((status = 204, description = "recorded"),
        (status = 409, description = "attempt_finished", body = ErrorBody),
        (status = 422, description = "invalid_input: an unknown signal, or its detail too long", body = ErrorBody),
        (status = 429, description = "too_many_requests", body = ErrorBody)))]
pub async fn signal(
    ctx: web::Data<AppContext>,
    who: Candidate,
    body: web::Json<SignalBody>,
) -> Result<HttpResponse, ApiError> {
    delivery::signal(&ctx, &who.0, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The candidate page's live feed (`text/event-stream`): a `state` event first and after every
/// proctor's action (pause, resume, extra time, termination, message, admission, start).
#[utoipa::path(get, path = "/api/v1/candidate/stream", tag = "candidate", security(("bearer" = [])),
    responses((status = 200, description = "an event stream of `state` (CandidateState)", content_type = "text/event-stream"),
        (status = 409, description = "device_replaced", body = ErrorBody)))]
pub async fn stream(ctx: web::Data<AppContext>, who: Candidate) -> Result<HttpResponse, ApiError> {
    let attempt = who.0.attempt().as_uuid();
    let rx = monitor::listen_to_attempt(&ctx, attempt);
    let seat = delivery::page_opened(&ctx, &who.0).await?;
    let first = monitor::page_state(&ctx, attempt).await?;
    let every = Duration::from_secs(ctx.settings.proctoring.heartbeat_seconds.max(1));
    let ctx = ctx.into_inner();
    let stop = ctx.shutdown.watch();
    let feed = ctx.changes.clone();
    let tick: sse::Tick = Arc::new(move || feed.seen(attempt, seat));
    let resync: sse::Resync = Arc::new(move || {
        let ctx = ctx.clone();
        Box::pin(async move { monitor::page_state(&ctx, attempt).await })
    });
    Ok(sse::stream(
        first,
        stop,
        rx,
        resync,
        sse::Rebuild::InTurn,
        every,
        Some(tick),
    ))
}

/// Closes a proctor's message on the candidate's screen.
#[utoipa::path(post, path = "/api/v1/candidate/messages/{id}/dismiss", tag = "candidate", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "message id")),
    responses((status = 204, description = "dismissed"),
        (status = 404, description = "not_found: no such message to this attempt", body = ErrorBody)))]
pub async fn dismiss(
    ctx: web::Data<AppContext>,
    who: Candidate,
    path: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    delivery::dismiss(&ctx, &who.0, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

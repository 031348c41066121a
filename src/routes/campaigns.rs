//! Campaigns, their participants and access codes (admin, hr). A participant's unlock, extra
//! time and timeline are also open to proctors (`SessionSteering`).
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::download::{attachment, temp_file_stream, CSV, XLSX};
use super::extract::{Authorized, ContentManagers, SessionSteering};
use super::Routes;
use crate::domain::campaign::CampaignDoc;
use crate::domain::campaign_edit::CampaignPatch;
use crate::domain::ids::{CampaignId, ParticipantId};
use crate::error::{ApiError, ErrorBody};
use crate::services::campaigns::{self, CampaignView};
use crate::services::enrolment::{self, EnrolmentOutcome, IssuedCode, ParticipantView};
use crate::services::exports;
use crate::services::proctoring::timeline::{self, Timeline};
use crate::services::proctoring::{self, Action, ActionBody, Extension};
use crate::services::results::scoring::{self, RescoreOutcome};
use crate::services::results::{self, CampaignResults};
use crate::services::AppContext;

/// Campaigns, their participants and access codes.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/campaigns", |r| r.get(list).post(create))
        .resource("/campaigns/{id}", |r| r.get(get).patch(update))
        .resource("/campaigns/{id}/participants", |r| r.get(participants))
        .resource("/campaigns/{id}/participants/import", |r| r.post(import))
        .resource(
            "/campaigns/{id}/participants/{participant}/access-code",
            |r| r.post(reissue_code),
        )
        .resource("/campaigns/{id}/rescore", |r| r.post(rescore))
        .resource("/campaigns/{id}/participants/{participant}/unlock", |r| {
            r.post(unlock)
        })
        .resource("/campaigns/{id}/participants/{participant}/extend", |r| {
            r.post(extend)
        })
        .resource("/campaigns/{id}/participants/{participant}/timeline", |r| {
            r.get(timeline)
        })
        .resource("/campaigns/{id}/results", |r| r.get(results))
        .resource("/campaigns/{id}/access-codes", |r| r.post(issue_codes));
}

/// Campaigns of an organisation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CampaignList {
    /// Newest window first.
    pub campaigns: Vec<CampaignView>,
}

/// Campaigns of the caller's organisation.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns", security(("bearer" = [])),
    responses((status = 200, body = CampaignList), (status = 403, body = ErrorBody)))]
pub async fn list(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
) -> Result<web::Json<CampaignList>, ApiError> {
    Ok(web::Json(CampaignList {
        campaigns: campaigns::list(&ctx, &who.staff).await?,
    }))
}

/// One campaign with its sessions and participant count.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "campaigns", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    responses((status = 200, body = CampaignView), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
) -> Result<web::Json<CampaignView>, ApiError> {
    Ok(web::Json(
        campaigns::get(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// Creates a campaign: `{"name", "battery", "opens_at", "closes_at", "show_score_to_candidate"?,
/// "resume_requires_unlock"?, "norm_rule"?: {"default_group", "rules": [{"attribute":
/// "education"|"job_level"|"group", "values": […], "group"}]}, "sessions"?: [{"name", "room"?,
/// "starts_at", "capacity", "proctor"?}], "lobby"?, "auto_pause_after"?, "time_zone"?:
/// "WIB"|"WITA"|"WIT" (default WIB: the zone the candidate's page shows times in),
/// "data_contact"?: 1–200 characters, "retention_months"?: 1–120}` (the last two are shown on
/// the candidate's consent screen).
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "campaigns", security(("bearer" = [])),
    request_body(content = Object, content_type = "application/json", description = "a campaign document"),
    responses((status = 201, body = CampaignView),
        (status = 422, description = "invalid_campaign (every problem by field) or invalid_input", body = ErrorBody)))]
pub async fn create(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    body: web::Json<CampaignDoc>,
) -> Result<HttpResponse, ApiError> {
    let created = campaigns::create(&ctx, &who.staff, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Changes a campaign after its creation; every field is optional and what is left out stays:
/// `{"name"?, "opens_at"?, "closes_at"?, "show_score_to_candidate"?, "resume_requires_unlock"?,
/// "lobby"?, "auto_pause_after"?: n | null, "time_zone"?: "WIB"|"WITA"|"WIT", "data_contact"?:
/// text | null, "retention_months"?: n | null, "norm_rule"?, "battery"? (only its own: it never
/// changes), "sessions"?: [{"id"? (a stored session; none: a new one), "name", "room"?,
/// "starts_at", "capacity", "proctor"?}] (the whole list in order: a stored session left out is
/// removed, which only a session without participants may be), "expire_unfinished"?: true (closing
/// the window now ends unfinished attempts as expired), "reason"?}`. The norm rule changes only
/// until a candidate signs in, the lobby until a session starts or a candidate begins, and the
/// window cannot open later than now once candidates signed in. Audited with before and after.
#[utoipa::path(patch, path = "/api/v1/campaigns/{id}", tag = "campaigns", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    request_body(content = Object, content_type = "application/json", description = "the fields to change"),
    responses((status = 200, description = "the campaign as it is now", body = CampaignView),
        (status = 400, description = "invalid_json", body = ErrorBody),
        (status = 401, description = "unauthenticated or invalid_token", body = ErrorBody),
        (status = 403, description = "forbidden: not admin or hr", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "campaign_locked: the change would alter what candidates were already given (every such field named)", body = ErrorBody),
        (status = 422, description = "invalid_campaign (every problem by field) or invalid_input", body = ErrorBody)))]
pub async fn update(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
    body: web::Json<CampaignPatch>,
) -> Result<web::Json<CampaignView>, ApiError> {
    Ok(web::Json(
        campaigns::update(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Options of an enrolment upload.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EnrolQuery {
    /// Only check the file; enrol nobody.
    #[serde(default)]
    pub dry_run: bool,
}

/// Enrols participants from a CSV file (columns `nip, name, email, birth_date, education,
/// job_level, position, unit, group, session`; comma or semicolon). All or none: a file with any
/// problem is refused whole, every problem listed by row and column.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/participants/import", tag = "campaigns", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), EnrolQuery),
    request_body(content = String, content_type = "text/csv", description = "the participants file"),
    responses((status = 201, description = "enrolled", body = EnrolmentOutcome),
        (status = 200, description = "dry run: the file is valid", body = EnrolmentOutcome),
        (status = 404, body = ErrorBody),
        (status = 409, description = "invalid_state_transition: some were enrolled meanwhile", body = ErrorBody),
        (status = 422, description = "invalid_enrolment: errors by row and column", body = ErrorBody)))]
pub async fn import(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
    q: web::Query<EnrolQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let out = enrolment::import(&ctx, &who.staff, id.into_inner(), &body, q.dry_run).await?;
    Ok(if out.dry_run {
        HttpResponse::Ok().json(out)
    } else {
        HttpResponse::Created().json(out)
    })
}

/// Participants of a campaign.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ParticipantList {
    /// By name, then NIP.
    pub participants: Vec<ParticipantView>,
}

/// The participants of a campaign (never their codes).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/participants", tag = "campaigns", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    responses((status = 200, body = ParticipantList), (status = 404, body = ErrorBody)))]
pub async fn participants(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
) -> Result<web::Json<ParticipantList>, ApiError> {
    Ok(web::Json(ParticipantList {
        participants: enrolment::list(&ctx, &who.staff, id.into_inner()).await?,
    }))
}

/// Format of issued codes.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CodesQuery {
    /// `json` (default) or `csv` (a download for mail merge and printing).
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub format: CodesFormat,
}

/// Format of issued codes.
#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum CodesFormat {
    /// A JSON list.
    #[default]
    Json,
    /// A semicolon-separated file.
    Csv,
}

/// Codes issued now.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IssuedCodes {
    /// One per participant who had none; shown only in this reply.
    pub codes: Vec<IssuedCode>,
}

/// Issues an access code to every participant who has none. The codes are in this reply only;
/// the server keeps hashes.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/access-codes", tag = "campaigns", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), CodesQuery),
    responses((status = 200, body = IssuedCodes), (status = 404, body = ErrorBody)))]
pub async fn issue_codes(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
    q: web::Query<CodesQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let codes = enrolment::issue_codes(&ctx, &who.staff, id).await?;
    Ok(match q.format {
        CodesFormat::Json => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(IssuedCodes { codes }),
        CodesFormat::Csv => attachment(format!("access-codes-{id}.csv"))
            .content_type(CSV)
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(enrolment::codes_csv(&codes)?),
    })
}

/// Issues a new code to one participant; the old code stops working at once.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/participants/{participant}/access-code", tag = "campaigns", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("participant" = uuid::Uuid, Path, description = "participant id")),
    responses((status = 200, body = IssuedCode), (status = 404, body = ErrorBody)))]
pub async fn reissue_code(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    path: web::Path<(CampaignId, ParticipantId)>,
) -> Result<HttpResponse, ApiError> {
    let (campaign, participant) = path.into_inner();
    let code = enrolment::reissue_code(&ctx, &who.staff, campaign, participant).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(code))
}

/// Format of results.
#[derive(Deserialize, Default, Clone, Copy, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultsFormat {
    /// The JSON document.
    #[default]
    Json,
    /// A semicolon-separated file, one line per participant and scale.
    Csv,
    /// An Excel workbook: a summary, one row per participant (competency results and scale
    /// scores), the rules and versions used.
    Xlsx,
}

/// Format of results.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    /// `json` (default), `csv` or `xlsx`.
    #[serde(default)]
    #[param(inline)]
    pub format: ResultsFormat,
}

/// Progress and scores of every participant: raw, percentile, z, T, stanine, sten, with the
/// norm table and scoring version used.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/results", tag = "campaigns", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ResultsQuery),
    responses((status = 200, description = "the results: JSON, a CSV file, or an Excel workbook (as `format` asks)", content(
            (CampaignResults = "application/json"),
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404, body = ErrorBody)))]
pub async fn results(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
    q: web::Query<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    match q.format {
        ResultsFormat::Json => {
            Ok(HttpResponse::Ok().json(results::of_campaign(&ctx, &who.staff, id).await?))
        }
        ResultsFormat::Csv => {
            let r = results::of_campaign(&ctx, &who.staff, id).await?;
            Ok(attachment(format!("results-{id}.csv"))
                .content_type(CSV)
                .body(results::csv(&r)?))
        }
        ResultsFormat::Xlsx => {
            let file = exports::workbook_file(&ctx, &who.staff, id).await?;
            let stream = temp_file_stream(file).map_err(ApiError::internal)?;
            Ok(attachment(format!("results-{id}.xlsx"))
                .content_type(XLSX)
                .streaming(stream))
        }
    }
}

/// Why an action was taken, for the audit log.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// Free text kept with the audit entry.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Scores every finished or expired attempt of the campaign again; audited.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/rescore", tag = "campaigns", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    request_body(content = ReasonBody, description = "`{}` or `{\"reason\": \"…\"}`"),
    responses((status = 200, body = RescoreOutcome), (status = 404, body = ErrorBody)))]
pub async fn rescore(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
    body: web::Json<ReasonBody>,
) -> Result<web::Json<RescoreOutcome>, ApiError> {
    let reason = body.into_inner().reason;
    Ok(web::Json(
        scoring::rescore_campaign(&ctx, &who.staff, id.into_inner(), reason).await?,
    ))
}

/// Releases the device holding a participant's attempt, so they can continue on another one
/// (campaigns that require an unlock); audited.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/participants/{participant}/unlock", tag = "campaigns", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("participant" = uuid::Uuid, Path, description = "participant id")),
    request_body(content = ReasonBody, description = "`{\"reason\": \"…\"}` (required)"),
    responses((status = 204, description = "unlocked"), (status = 404, body = ErrorBody),
        (status = 422, description = "invalid_input: no reason", body = ErrorBody),
        (status = 409, description = "invalid_state_transition: not signed in yet", body = ErrorBody)))]
pub async fn unlock(
    ctx: web::Data<AppContext>,
    who: Authorized<SessionSteering>,
    path: web::Path<(CampaignId, ParticipantId)>,
    body: web::Json<ReasonBody>,
) -> Result<HttpResponse, ApiError> {
    let (campaign, participant) = path.into_inner();
    let body = ActionBody {
        action: Action::Unlock,
        participants: None,
        reason: body.into_inner().reason.unwrap_or_default(),
        seconds: None,
        text: None,
    };
    proctoring::act_on_participant(&ctx, &who.staff, campaign, participant, body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The timeline of a participant's attempt: sign-ins, sections, answers by count, integrity
/// signals and staff actions, in order.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/participants/{participant}/timeline", tag = "campaigns", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("participant" = uuid::Uuid, Path, description = "participant id")),
    responses((status = 200, body = Timeline), (status = 404, body = ErrorBody)))]
pub async fn timeline(
    ctx: web::Data<AppContext>,
    who: Authorized<SessionSteering>,
    path: web::Path<(CampaignId, ParticipantId)>,
) -> Result<web::Json<Timeline>, ApiError> {
    let (campaign, participant) = path.into_inner();
    Ok(web::Json(
        timeline::of_participant(&ctx, &who.staff, campaign, participant).await?,
    ))
}

/// Extra time for a participant's running section.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendBody {
    /// Seconds to add to the deadline (1 to 7200).
    pub seconds: u32,
    /// Why, kept in the audit log.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Adds time to a participant's running section; audited, and on the attempt's timeline.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/participants/{participant}/extend", tag = "campaigns", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("participant" = uuid::Uuid, Path, description = "participant id")),
    request_body = ExtendBody,
    responses((status = 200, body = Extension), (status = 404, body = ErrorBody),
        (status = 409, description = "invalid_state_transition: no section running", body = ErrorBody),
        (status = 422, description = "invalid_input", body = ErrorBody)))]
pub async fn extend(
    ctx: web::Data<AppContext>,
    who: Authorized<SessionSteering>,
    path: web::Path<(CampaignId, ParticipantId)>,
    body: web::Json<ExtendBody>,
) -> Result<web::Json<Extension>, ApiError> {
    let (campaign, participant) = path.into_inner();
    let body = body.into_inner();
    Ok(web::Json(
        proctoring::extend(
            &ctx,
            &who.staff,
            campaign,
            participant,
            body.seconds,
            body.reason.unwrap_or_default(),
        )
        .await?,
    ))
}

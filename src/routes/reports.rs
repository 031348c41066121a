//! Psychological reports: drafts (HR and psychologists), releases (psychologists with a licence
//! number), released versions one at a time or as a campaign's ZIP, whether participants may
//! download their own, and the candidate's own download.
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::download::{attachment, temp_file_stream, PDF, ZIP};
use super::extract::{Authorized, Candidate, ContentManagers, PanelReaders, Psychologists};
use super::Routes;
use crate::domain::ids::{CampaignId, ParticipantId};
use crate::error::{ApiError, ErrorBody};
use crate::services::reports::content::lang_of;
use crate::services::reports::releases::{
    self, ReleaseOutcome, ReleaseRequest, ReleaseView, ReleasedFile, ReportList, ReportSettings,
};
use crate::services::AppContext;

/// The report endpoints.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/campaigns/{id}/reports", |r| r.get(list))
        .resource("/campaigns/{id}/reports.zip", |r| r.get(zip))
        .resource("/campaigns/{id}/reports/release", |r| r.post(release))
        .resource("/campaigns/{id}/reports/{report}/versions", |r| {
            r.get(versions)
        })
        .resource("/campaigns/{id}/reports/{report}/versions/{version}", |r| {
            r.get(version)
        })
        .resource("/campaigns/{id}/reports/{participant}/draft", |r| {
            r.get(draft)
        })
        .resource("/campaigns/{id}/summary-report", |r| r.get(summary_draft))
        .resource("/campaigns/{id}/report-settings", |r| r.put(settings))
        .resource("/candidate/report", |r| r.get(own));
}

/// The language of a report.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LanguageQuery {
    /// `id` (Bahasa Indonesia, the default) or `en`.
    pub language: Option<String>,
}

fn pdf_reply(file: ReleasedFile) -> HttpResponse {
    attachment(file.filename)
        .content_type(PDF)
        .insert_header(("X-Content-SHA256", file.content_hash))
        .body(file.bytes)
}

/// Every participant's report: whether there are results to report, the latest release and the
/// number of versions; the campaign summary's releases; whether participants may download their
/// own (admin, hr, psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/reports", tag = "reports", security(("bearer" = ["admin", "hr", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    responses((status = 200, body = ReportList),
        (status = 403, description = "forbidden: an assessor or a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list(
    ctx: web::Data<AppContext>,
    who: Authorized<PanelReaders>,
    id: web::Path<CampaignId>,
) -> Result<web::Json<ReportList>, ApiError> {
    Ok(web::Json(
        releases::list(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// A participant's report as it would be released now, as a PDF marked DRAFT on every page
/// (admin, hr, psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/reports/{participant}/draft", tag = "reports", security(("bearer" = ["admin", "hr", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("participant" = uuid::Uuid, Path, description = "participant id"), LanguageQuery),
    responses((status = 200, description = "the draft PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, description = "invalid_query: an unknown language", body = ErrorBody),
        (status = 403, description = "forbidden: an assessor or a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "report_not_ready: no competency results yet", body = ErrorBody)))]
pub async fn draft(
    ctx: web::Data<AppContext>,
    who: Authorized<PanelReaders>,
    path: web::Path<(CampaignId, ParticipantId)>,
    q: web::Query<LanguageQuery>,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(q.language.as_deref())?;
    let (campaign, participant) = path.into_inner();
    let bytes = releases::draft(&ctx, &who.staff, campaign, participant, lang).await?;
    Ok(attachment(format!("draf-{participant}.pdf"))
        .content_type(PDF)
        .body(bytes))
}

/// The campaign's summary for leadership (counts, JPM distribution, categories, the 9-box, the
/// average profile against the standard, the talent pool) as it would be released now, marked
/// DRAFT (admin, hr, psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/summary-report", tag = "reports", security(("bearer" = ["admin", "hr", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), LanguageQuery),
    responses((status = 200, description = "the draft PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, description = "invalid_query: an unknown language", body = ErrorBody),
        (status = 403, description = "forbidden: an assessor or a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn summary_draft(
    ctx: web::Data<AppContext>,
    who: Authorized<PanelReaders>,
    id: web::Path<CampaignId>,
    q: web::Query<LanguageQuery>,
) -> Result<HttpResponse, ApiError> {
    let lang = lang_of(q.language.as_deref())?;
    let id = id.into_inner();
    let bytes = releases::summary_draft(&ctx, &who.staff, id, lang).await?;
    Ok(attachment(format!("ringkasan-{id}.pdf"))
        .content_type(PDF)
        .body(bytes))
}

/// Releases reports under the caller's name and licence number (SIPP): the listed participants'
/// or, with none listed, everyone's with results, and the campaign summary if asked. Each release
/// is stored immutably with the SHA-256 of its PDF and audited; unchanged data keeps its current
/// version (psychologist).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/reports/release", tag = "reports", security(("bearer" = ["psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    request_body = ReleaseRequest,
    responses((status = 200, body = ReleaseOutcome),
        (status = 403, description = "forbidden: not a psychologist; licence_required: the account has no licence number", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "report_not_ready: a listed participant has no results; invalid_state_transition: a release raced another", body = ErrorBody),
        (status = 422, description = "invalid_input: an unknown participant or language", body = ErrorBody)))]
pub async fn release(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychologists>,
    id: web::Path<CampaignId>,
    body: web::Json<ReleaseRequest>,
) -> Result<web::Json<ReleaseOutcome>, ApiError> {
    Ok(web::Json(
        releases::release(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// The released versions of a report, oldest first: a participant's (the report is the
/// participant's id) or the campaign summary's (the campaign's id) (admin, hr, psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/reports/{report}/versions", tag = "reports", security(("bearer" = ["admin", "hr", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("report" = uuid::Uuid, Path, description = "participant id, or the campaign id for its summary")),
    responses((status = 200, body = Vec<ReleaseView>),
        (status = 403, description = "forbidden: an assessor or a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn versions(
    ctx: web::Data<AppContext>,
    who: Authorized<PanelReaders>,
    path: web::Path<(CampaignId, uuid::Uuid)>,
) -> Result<web::Json<Vec<ReleaseView>>, ApiError> {
    let (campaign, report) = path.into_inner();
    Ok(web::Json(
        releases::versions(&ctx, &who.staff, campaign, report).await?,
    ))
}

/// One released version's PDF, exactly as released; its SHA-256 is in `X-Content-SHA256`
/// (admin, hr, psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/reports/{report}/versions/{version}", tag = "reports", security(("bearer" = ["admin", "hr", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("report" = uuid::Uuid, Path, description = "participant id, or the campaign id for its summary"), ("version" = i32, Path, description = "version, from 1")),
    responses((status = 200, description = "the released PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 403, description = "forbidden: an assessor or a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn version(
    ctx: web::Data<AppContext>,
    who: Authorized<PanelReaders>,
    path: web::Path<(CampaignId, uuid::Uuid, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (campaign, report, version) = path.into_inner();
    Ok(pdf_reply(
        releases::download(&ctx, &who.staff, campaign, report, version).await?,
    ))
}

/// The latest released version of every participant's report as one ZIP (with a manifest of
/// NIP, name, version, SHA-256, release time and psychologist), streamed (admin, hr,
/// psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/reports.zip", tag = "reports", security(("bearer" = ["admin", "hr", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    responses((status = 200, description = "the ZIP", content_type = "application/zip", body = Vec<u8>),
        (status = 403, description = "forbidden: an assessor or a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn zip(
    ctx: web::Data<AppContext>,
    who: Authorized<PanelReaders>,
    id: web::Path<CampaignId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let file = releases::zip(&ctx, &who.staff, id).await?;
    let stream = temp_file_stream(file).map_err(ApiError::internal)?;
    Ok(attachment(format!("laporan-{id}.zip"))
        .content_type(ZIP)
        .streaming(stream))
}

/// Whether the campaign's participants may download their own released report at /take
/// (admin, hr; audited).
#[utoipa::path(put, path = "/api/v1/campaigns/{id}/report-settings", tag = "reports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    request_body = ReportSettings,
    responses((status = 200, body = ReportSettings), (status = 404, body = ErrorBody)))]
pub async fn settings(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
    body: web::Json<ReportSettings>,
) -> Result<web::Json<ReportSettings>, ApiError> {
    Ok(web::Json(
        releases::set_settings(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// The candidate's own latest released report as a PDF, where their campaign lets participants
/// download it (candidate token).
#[utoipa::path(get, path = "/api/v1/candidate/report", tag = "candidate", security(("bearer" = [])),
    responses((status = 200, description = "the released PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 404, description = "not_found: none released, or the campaign does not allow it", body = ErrorBody)))]
pub async fn own(ctx: web::Data<AppContext>, who: Candidate) -> Result<HttpResponse, ApiError> {
    Ok(pdf_reply(releases::own(&ctx, &who.0).await?))
}

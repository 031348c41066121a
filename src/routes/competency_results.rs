//! Competency results of a campaign (issue 12): levels, JPM, gaps, categories, the 9-box, IP
//! ASN, ranks and development needs; the summary with its charts, a paged and filtered
//! participant listing, one participant's profile, and level overrides. Read by admin, hr,
//! assessor and psychologist; overrides by admin and hr.
use actix_web::{web, HttpResponse};

use super::download::{attachment, temp_file_stream, CSV};
use super::extract::{AssessmentReaders, Authorized, ContentManagers};
use super::Routes;
use crate::domain::ids::{CampaignId, ParticipantId};
use crate::error::{ApiError, ErrorBody};
use crate::services::competency_results::{
    self, CampaignCompetencies, CampaignOverview, ListQuery, OverrideRequest,
    ParticipantCompetencies, ParticipantPage, ParticipantProfile,
};
use crate::services::exports::{self, siasn::Labels};
use crate::services::AppContext;

/// The competency results of campaigns.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/campaigns/{id}/competencies", |r| r.get(competencies))
        .resource("/campaigns/{id}/competencies/summary", |r| r.get(summary))
        .resource("/campaigns/{id}/competencies/participants", |r| {
            r.get(participants)
        })
        .resource(
            "/campaigns/{id}/competencies/participants/{participant}",
            |r| r.get(profile),
        )
        .resource("/campaigns/{id}/competencies/siasn", |r| r.get(siasn))
        .resource(
            "/campaigns/{id}/participants/{participant}/competencies/{code}/override",
            |r| r.put(override_level),
        );
}

/// The summary of a campaign's competency results — counts, JPM and IP ASN means, categories,
/// 9-box counts, the talent pool, development needs of the campaign and of each unit, the fast
/// track — with the distributions the results page draws (JPM, the average profile against the
/// standard, every scale's scores) and the rule versions used (admin, hr, assessor, psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/competencies/summary", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    responses((status = 200, body = CampaignOverview),
        (status = 403, description = "forbidden: a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn summary(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    id: web::Path<CampaignId>,
) -> Result<web::Json<CampaignOverview>, ApiError> {
    Ok(web::Json(
        competency_results::overview(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// One page of a campaign's participants with their ranks, JPM, categories, box, IP ASN, levels
/// and gaps: filtered (category, box, a shortfall on a competency, position, unit, job level,
/// talent pool, fast track, name or NIP), sorted and paged by the server (admin, hr, assessor,
/// psychologist). Ranks follow the rule of `domain::competency::ranking`: JPM, then the sum of
/// managerial and socio-cultural levels, then the cognitive score; equal ones share a rank.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/competencies/participants", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ListQuery),
    responses((status = 200, body = ParticipantPage),
        (status = 400, description = "invalid_query: a filter, sort or page that is not valid, each named", body = ErrorBody),
        (status = 403, description = "forbidden: a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn participants(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    id: web::Path<CampaignId>,
    q: web::Query<ListQuery>,
) -> Result<web::Json<ParticipantPage>, ApiError> {
    Ok(web::Json(
        competency_results::list(&ctx, &who.staff, id.into_inner(), &q).await?,
    ))
}

/// The competency results keyed by NIP for the national HR system (SIASN), one line per assessed
/// participant: NIP, name, assessment date (the session's, in the campaign's time zone), method,
/// provider, job level, position, unit, each competency's level and required level, JPM, the
/// category under each scheme, the potential score and the 9-box. Semicolon-separated UTF-8
/// (admin, hr, assessor, psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/competencies/siasn", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), Labels),
    responses((status = 200, description = "the CSV file", content_type = "text/csv", body = String),
        (status = 400, description = "invalid_query: an empty, long or control-character label", body = ErrorBody),
        (status = 403, description = "forbidden: a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn siasn(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    id: web::Path<CampaignId>,
    q: web::Query<Labels>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let file = exports::siasn_file(&ctx, &who.staff, id, q.into_inner()).await?;
    let stream = temp_file_stream(file).map_err(ApiError::internal)?;
    Ok(attachment(format!("siasn-{id}.csv"))
        .content_type(CSV)
        .streaming(stream))
}

/// One participant's profile: levels with the evidence behind each, the standard, JPM and gaps,
/// categories, the 9-box with its bases, IP ASN, ranks, development needs, and every scale score
/// (admin, hr, assessor, psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/competencies/participants/{participant}", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("participant" = uuid::Uuid, Path, description = "participant id")),
    responses((status = 200, body = ParticipantProfile),
        (status = 403, description = "forbidden: a proctor", body = ErrorBody),
        (status = 404, description = "not_found: no such campaign or participant", body = ErrorBody)))]
pub async fn profile(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    path: web::Path<(CampaignId, ParticipantId)>,
) -> Result<web::Json<ParticipantProfile>, ApiError> {
    let (id, participant) = path.into_inner();
    Ok(web::Json(
        competency_results::profile(&ctx, &who.staff, id, participant).await?,
    ))
}

/// Every participant's competency levels (each with the scores it came from), the job standard
/// that applies, the Job Person Match with the gap per competency and the category under each
/// scheme, with the rule versions used and a summary (admin, hr, assessor, psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/competencies", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    responses((status = 200, body = CampaignCompetencies),
        (status = 403, description = "forbidden: a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn competencies(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    id: web::Path<CampaignId>,
) -> Result<web::Json<CampaignCompetencies>, ApiError> {
    Ok(web::Json(
        competency_results::of_campaign(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// Sets the level of one participant's competency instead of the computed one, with a reason, or
/// removes that override (`"level": null`); the computed level stays visible, the JPM and
/// categories follow the override, and the change is audited (admin, hr). Answers the
/// participant's competency results.
#[utoipa::path(put, path = "/api/v1/campaigns/{id}/participants/{participant}/competencies/{code}/override", tag = "competencies", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id"), ("participant" = uuid::Uuid, Path, description = "participant id"),
        ("code" = String, Path, description = "competency code of the evidence mapping, e.g. INT")),
    request_body = OverrideRequest,
    responses((status = 200, body = ParticipantCompetencies),
        (status = 404, description = "not_found: no such campaign, participant or competency", body = ErrorBody),
        (status = 422, description = "invalid_override: a level outside 1–5 or no reason", body = ErrorBody)))]
pub async fn override_level(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    path: web::Path<(CampaignId, ParticipantId, String)>,
    body: web::Json<OverrideRequest>,
) -> Result<web::Json<ParticipantCompetencies>, ApiError> {
    let (id, participant, code) = path.into_inner();
    Ok(web::Json(
        competency_results::set_override(
            &ctx,
            &who.staff,
            id,
            participant,
            &code,
            body.into_inner(),
        )
        .await?,
    ))
}

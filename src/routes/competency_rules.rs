//! The organisation's rule documents for competency results: read by those whose work needs them,
//! replaced (as a new version) by HR and admin. An unknown kind in the path is an unknown
//! resource (404), like an unparsable id.
use actix_web::web;
use serde::Serialize;

use super::extract::{AssessmentReaders, Authorized, ContentManagers};
use super::Routes;
use crate::domain::competency::rule_set::RuleKind;
use crate::domain::ids::CampaignId;
use crate::error::{ApiError, ErrorBody};
use crate::services::campaign_rules::{self, CampaignRules, PinRequest};
use crate::services::competency_rules::{self, RuleVersion};
use crate::services::AppContext;

/// The rule documents.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/competency-rules", |r| r.get(list))
        .resource("/competency-rules/{kind}", |r| r.get(current).put(replace))
        .resource("/competency-rules/{kind}/versions/{version}", |r| {
            r.get(version)
        })
        .resource("/campaigns/{id}/competency-rules", |r| {
            r.get(campaign_rules).put(pin_campaign_rules)
        });
}

/// The rule versions a campaign's competency results are computed with: those it pins, and the
/// organisation's current version of every other kind (admin, hr, assessor, psychologist).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/competency-rules", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    responses((status = 200, body = CampaignRules),
        (status = 403, description = "forbidden: a proctor", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn campaign_rules(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    id: web::Path<CampaignId>,
) -> Result<web::Json<CampaignRules>, ApiError> {
    Ok(web::Json(
        campaign_rules::of_campaign(&ctx, &who.staff, id.into_inner()).await?,
    ))
}

/// Pins the rule versions a campaign is computed with, so its results stay as they were whatever
/// later versions say (a kind left out or `null` follows the current version); the whole set
/// replaces the campaign's pins. Audited with a reason (admin, hr).
#[utoipa::path(put, path = "/api/v1/campaigns/{id}/competency-rules", tag = "competencies", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "campaign id")),
    request_body = PinRequest,
    responses((status = 200, body = CampaignRules),
        (status = 404, body = ErrorBody),
        (status = 422, description = "invalid_rule_pin: an unknown kind, a version the organisation does not have, or no reason; every problem named", body = ErrorBody)))]
pub async fn pin_campaign_rules(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    id: web::Path<CampaignId>,
    body: web::Json<PinRequest>,
) -> Result<web::Json<CampaignRules>, ApiError> {
    Ok(web::Json(
        campaign_rules::set(&ctx, &who.staff, id.into_inner(), body.into_inner()).await?,
    ))
}

/// Every kind's current version.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RuleList {
    /// One per kind, in a fixed order.
    pub rules: Vec<RuleVersion>,
}

/// The current version of every rule document of the caller's organisation (admin, hr,
/// assessor, psychologist).
#[utoipa::path(get, path = "/api/v1/competency-rules", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])), responses(
    (status = 200, body = RuleList),
    (status = 403, description = "forbidden: a proctor", body = ErrorBody)))]
pub async fn list(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
) -> Result<web::Json<RuleList>, ApiError> {
    Ok(web::Json(RuleList {
        rules: competency_rules::all_current(&ctx, &who.staff).await?,
    }))
}

/// The current version of one rule document.
#[utoipa::path(get, path = "/api/v1/competency-rules/{kind}", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("kind" = inline(RuleKind), Path, description = "the kind of rule document")),
    responses((status = 200, body = RuleVersion),
        (status = 403, description = "forbidden: a proctor", body = ErrorBody),
        (status = 404, description = "not_found: no such kind", body = ErrorBody)))]
pub async fn current(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    kind: web::Path<RuleKind>,
) -> Result<web::Json<RuleVersion>, ApiError> {
    Ok(web::Json(
        competency_rules::current(&ctx, &who.staff, kind.into_inner()).await?,
    ))
}

/// Stores a whole new document of one kind as its next version (admin, hr). The server numbers
/// the version; a document with any problem is refused whole, naming each, and stores nothing.
#[utoipa::path(put, path = "/api/v1/competency-rules/{kind}", tag = "competencies", security(("bearer" = [])),
    params(("kind" = inline(RuleKind), Path, description = "the kind of rule document")),
    request_body(content = Object, description = "the whole rule document of that kind (see GET for its shape)"),
    responses((status = 200, body = RuleVersion),
        (status = 403, description = "forbidden: not admin or hr", body = ErrorBody),
        (status = 404, description = "not_found: no such kind", body = ErrorBody),
        (status = 422, description = "invalid_rule: every problem with its field", body = ErrorBody)))]
pub async fn replace(
    ctx: web::Data<AppContext>,
    who: Authorized<ContentManagers>,
    kind: web::Path<RuleKind>,
    body: web::Json<serde_json::Map<String, serde_json::Value>>,
) -> Result<web::Json<RuleVersion>, ApiError> {
    let kind = kind.into_inner();
    let bytes = serde_json::to_vec(&body.into_inner()).map_err(ApiError::internal)?;
    Ok(web::Json(
        competency_rules::replace(&ctx, &who.staff, kind, &bytes).await?,
    ))
}

/// One earlier (or the current) version of a rule document.
#[utoipa::path(get, path = "/api/v1/competency-rules/{kind}/versions/{version}", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(("kind" = inline(RuleKind), Path, description = "the kind of rule document"), ("version" = i32, Path, description = "the version, from 1")),
    responses((status = 200, body = RuleVersion),
        (status = 403, description = "forbidden: a proctor", body = ErrorBody),
        (status = 404, description = "not_found: no such kind or version", body = ErrorBody)))]
pub async fn version(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    path: web::Path<(RuleKind, i32)>,
) -> Result<web::Json<RuleVersion>, ApiError> {
    let (kind, version) = path.into_inner();
    Ok(web::Json(
        competency_rules::at_version(&ctx, &who.staff, kind, version).await?,
    ))
}

//! The organisation's competency results across campaigns and years: a person's history by NIP
//! with validity, and JPM and IP ASN by unit and year (admin, hr, assessor, psychologist).
use actix_web::web;
use serde::Deserialize;

use super::extract::{AssessmentReaders, Authorized};
use super::Routes;
use crate::error::{ApiError, ErrorBody};
use crate::services::competency_history::{self, OrganisationOverview, PersonHistory, YearRange};
use crate::services::AppContext;

/// History and overview.
pub fn configure(routes: &mut Routes) {
    routes
        .resource("/competency-history", |r| r.get(history))
        .resource("/competency-overview", |r| r.get(overview));
}

/// Whose history.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    /// The 18 digits of the NIP.
    pub nip: Option<String>,
}

/// A person's competency results in every campaign of the organisation, newest first, each with
/// its assessment date, the last day it is valid (the development rule's `validity_years`,
/// three by default) and whether that has passed.
#[utoipa::path(get, path = "/api/v1/competency-history", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(PersonQuery),
    responses((status = 200, body = PersonHistory),
        (status = 400, description = "invalid_query: no NIP or a malformed one", body = ErrorBody),
        (status = 403, description = "forbidden: a proctor", body = ErrorBody)))]
pub async fn history(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    q: web::Query<PersonQuery>,
) -> Result<web::Json<PersonHistory>, ApiError> {
    Ok(web::Json(
        competency_history::of_person(&ctx, &who.staff, q.nip.as_deref()).await?,
    ))
}

/// JPM and IP ASN means by unit (as a hierarchy) and year across the organisation's campaigns,
/// with the whole organisation's and the campaigns read.
#[utoipa::path(get, path = "/api/v1/competency-overview", tag = "competencies", security(("bearer" = ["admin", "hr", "assessor", "psychologist"])),
    params(YearRange),
    responses((status = 200, body = OrganisationOverview),
        (status = 400, description = "invalid_query: a range that ends before it starts", body = ErrorBody),
        (status = 403, description = "forbidden: a proctor", body = ErrorBody)))]
pub async fn overview(
    ctx: web::Data<AppContext>,
    who: Authorized<AssessmentReaders>,
    q: web::Query<YearRange>,
) -> Result<web::Json<OrganisationOverview>, ApiError> {
    Ok(web::Json(
        competency_history::overview(&ctx, &who.staff, &q).await?,
    ))
}

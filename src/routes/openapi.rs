//! The OpenAPI document of every endpoint, served at `/api/openapi.json` and browsed at `/docs`.
use actix_web::http::Method;
use actix_web::web;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    accounts, auth, batteries, campaigns, candidate, health, instruments, metrics, proctoring,
    Routes,
};

/// `/api/openapi.json`. The document does not describe itself.
pub fn configure(routes: &mut Routes) {
    routes.route("/api/openapi.json", Method::GET, document);
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "meritest API", description = "Online psychometric test delivery for mass civil-servant competency assessment. \
        Every error answers `{\"code\": \"snake_case\", \"message\": \"…\"}` with a stable code."),
    paths(
        health::health, health::ready, metrics::metrics,
        auth::login, auth::logout, auth::me,
        accounts::list, accounts::create, accounts::disable, accounts::enable, accounts::proctors,
        instruments::list, instruments::import, instruments::detail, instruments::export, instruments::asset, instruments::retire,
        batteries::list, batteries::get, batteries::create,
        campaigns::list, campaigns::get, campaigns::create, campaigns::update, campaigns::import, campaigns::participants,
        campaigns::issue_codes, campaigns::reissue_code, campaigns::results,
        campaigns::rescore, campaigns::unlock, campaigns::timeline, campaigns::extend,
        candidate::login, candidate::attempt, candidate::consent, candidate::start_section, candidate::section,
        candidate::asset, candidate::answer, candidate::submit_section, candidate::finish, candidate::signal,
        candidate::stream, candidate::dismiss,
        proctoring::sessions, proctoring::room, proctoring::live, proctoring::act, proctoring::start,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorCode,
        crate::services::monitor::CandidateState, crate::services::monitor::RowsEvent, crate::services::monitor::SeenEvent)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "staff sign-in"),
        (name = "accounts", description = "staff accounts of an organisation (admin)"),
        (name = "item bank", description = "instruments, items, assets, norms (admin, hr)"),
        (name = "batteries", description = "timed sections built from instruments (admin, hr)"),
        (name = "campaigns", description = "campaigns, sessions, enrolment and access codes (admin, hr)"),
        (name = "candidate", description = "taking a test: sign-in with an access code, sections, answers (candidate token)"),
        (name = "proctoring", description = "live rooms and proctors' actions (admin, hr, assigned proctor)"),
        (name = "operations", description = "health, readiness, metrics"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The document as JSON.
pub async fn document(
    doc: web::Data<utoipa::openapi::OpenApi>,
) -> web::Json<utoipa::openapi::OpenApi> {
    web::Json(doc.get_ref().clone())
}

//! The OpenAPI document of every endpoint, served at `/api/openapi.json` and browsed at `/docs`.
use actix_web::http::Method;
use actix_web::web;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Response};
use utoipa::{Modify, OpenApi};

use crate::error::ErrorCode;

use super::{
    accounts, assessment, assessor, auth, batteries, campaigns, candidate, competencies,
    competency_history, competency_results, competency_rules, discipline, health, instruments,
    item_analysis, item_parameters, job_standards, metrics, norms, performance, proctoring,
    reports, Routes,
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
        accounts::list, accounts::create, accounts::disable, accounts::enable, accounts::set_profile, accounts::proctors,
        instruments::list, instruments::import, instruments::detail, instruments::export, instruments::asset, instruments::retire,
        item_parameters::overview, item_parameters::list, item_parameters::create, item_parameters::get, item_parameters::discard,
        item_parameters::publish, item_parameters::compare, item_parameters::calibrate, item_parameters::exposure, item_parameters::curves, item_analysis::analyse,
        norms::list, norms::preview, norms::publish,
        batteries::list, batteries::get, batteries::create,
        campaigns::list, campaigns::get, campaigns::create, campaigns::update, campaigns::import, campaigns::participants,
        campaigns::issue_codes, campaigns::reissue_code, campaigns::results,
        campaigns::rescore, campaigns::unlock, campaigns::timeline, campaigns::extend,
        competency_results::competencies, competency_results::summary, competency_results::participants,
        competency_results::profile, competency_results::siasn, competency_results::override_level,
        competency_history::history, competency_history::overview,
        competency_rules::list, competency_rules::current, competency_rules::replace, competency_rules::version, competency_rules::campaign_rules, competency_rules::pin_campaign_rules,
        candidate::login, candidate::attempt, candidate::consent, candidate::start_section, candidate::section, candidate::practice,
        candidate::asset, candidate::answer, candidate::submit_section, candidate::finish, candidate::signal,
        candidate::stream, candidate::dismiss,
        proctoring::sessions, proctoring::room, proctoring::live, proctoring::act, proctoring::start,
        // The competency framework and job competency standards.
        competencies::current, competencies::replace, competencies::versions, competencies::version,
        job_standards::list, job_standards::create, job_standards::import, job_standards::get,
        job_standards::edit, job_standards::version,
        performance::import, performance::list, discipline::import, discipline::list,
        // The assessment centre.
        assessment::list_exercises, assessment::replace_exercises, assessment::list_assignments,
        assessment::add_assignments, assessment::import_assignments, assessment::assign_by_rule, assessment::remove_assignment,
        assessment::unlock_sheet, assessment::read_integration, assessment::record_integration,
        assessment::agreement,
        assessor::mine, assessor::open, assessor::save, assessor::submit,
        // Psychological reports.
        reports::list, reports::draft, reports::summary_draft, reports::release, reports::versions,
        reports::version, reports::zip, reports::settings, reports::own,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorCode,
        crate::services::monitor::CandidateState, crate::services::monitor::RowsEvent, crate::services::monitor::ProgressEvent,
        crate::services::monitor::Progress, crate::services::monitor::SeenEvent)),
    modifiers(&BearerAuth, &CommonErrors),
    tags(
        (name = "auth", description = "staff sign-in"),
        (name = "accounts", description = "staff accounts of an organisation (admin)"),
        (name = "item bank", description = "instruments, items, assets, norms (admin, hr)"),
        (name = "psychometrics", description = "item response theory parameters and their versions (admin, hr, psychologist; never shown to proctors, assessors or candidates)"),
        (name = "batteries", description = "timed sections built from instruments (admin, hr)"),
        (name = "campaigns", description = "campaigns, sessions, enrolment and access codes (admin, hr)"),
        (name = "candidate", description = "taking a test: sign-in with an access code, sections, answers (candidate token)"),
        (name = "proctoring", description = "live rooms and proctors' actions (admin, hr, assigned proctor)"),
        (name = "competencies", description = "the competency framework, job competency standards and the rules of competency results (read: admin, hr, assessor, psychologist; change: admin, hr)"),
        (name = "assessment centre", description = "exercises, assessor assignments and rating sheets, integration of ratings (HR and the panel; each assessor sees only their own assignments)"),
        (name = "reports", description = "psychological reports: drafts, releases under a psychologist's name and licence number, released versions and the campaign ZIP"),
        (name = "people", description = "yearly records by NIP: SKP performance ratings and discipline records (imported by admin and hr; read by admin, hr, assessor and psychologist)"),
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

/// Adds to every operation the errors that are answered before or around its handler, so no
/// annotation can forget them: each extractor and guard has one rule below, keyed on what the
/// operation's own description says it takes (a bearer token, path or query parameters, a JSON
/// body). An answer the operation already documents keeps its description, completed with the
/// codes it did not name.
struct CommonErrors;

/// Operations whose body is read as raw bytes (and parsed by the use case), not by the JSON
/// extractor: the media type is not checked there.
const RAW_BODIES: [&str; 6] = [
    "/api/v1/instruments/import",
    "/api/v1/campaigns/{id}/participants/import",
    "/api/v1/job-standards/import",
    "/api/v1/performance-ratings/import",
    "/api/v1/discipline-records/import",
    "/api/v1/campaigns/{id}/assessor-assignments/import",
];

impl CommonErrors {
    /// The codes operation `op` at `path` can answer whatever its handler does.
    fn codes(path: &str, op: &Operation) -> Vec<ErrorCode> {
        let mut codes = Vec::new();
        let has = |place: ParameterIn| {
            op.parameters
                .iter()
                .flatten()
                .any(|p| p.parameter_in == place)
        };
        if op.security.is_some() {
            // `Authorized<P>` and `Candidate`: no token, or one that does not verify.
            codes.extend([ErrorCode::Unauthenticated, ErrorCode::InvalidToken]);
            // A staff role outside the policy; signing out and `me` are for every role.
            if !path.starts_with("/api/v1/candidate/") && !path.starts_with("/api/v1/auth/") {
                codes.push(ErrorCode::Forbidden);
            }
        }
        if has(ParameterIn::Path) {
            // An id that does not parse names nothing (`errors::path_config`).
            codes.push(ErrorCode::NotFound);
        }
        if has(ParameterIn::Query) {
            codes.push(ErrorCode::InvalidQuery);
        }
        if op.request_body.is_some() {
            codes.push(ErrorCode::PayloadTooLarge);
            if !RAW_BODIES.contains(&path) {
                // `errors::json_config`.
                codes.extend([
                    ErrorCode::InvalidJson,
                    ErrorCode::InvalidInput,
                    ErrorCode::UnsupportedMediaType,
                ]);
            }
        }
        if path.starts_with("/api/") {
            // Every API operation uses a store; each code of the table sent with 503 says why.
            codes.extend(ErrorCode::ALL.iter().filter(|c| c.status().as_u16() == 503));
        }
        codes
    }
}

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                for code in Self::codes(path, op) {
                    document_error(op, code);
                }
            }
        }
    }
}

/// Makes `op` document `code` under its status, with the error body.
fn document_error(op: &mut Operation, code: ErrorCode) {
    let status = code.status().as_u16().to_string();
    let name = code.as_str();
    let entry = op
        .responses
        .responses
        .entry(status)
        .or_insert_with(|| RefOr::T(Response::new("")));
    let RefOr::T(response) = entry else { return };
    if !mentions(&response.description, name) {
        response.description = if response.description.is_empty() {
            name.to_owned()
        } else {
            format!("{}; or {name}", response.description)
        };
    }
    response
        .content
        .entry("application/json".to_owned())
        .or_insert_with(|| Content::new(Some(Ref::from_schema_name("ErrorBody"))));
}

/// Whether `description` names the code `name` as a word (not as part of a longer code).
fn mentions(description: &str, name: &str) -> bool {
    description
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| word == name)
}

/// The document as JSON.
pub async fn document(
    doc: web::Data<utoipa::openapi::OpenApi>,
) -> web::Json<utoipa::openapi::OpenApi> {
    web::Json(doc.get_ref().clone())
}

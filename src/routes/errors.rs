//! Every client mistake caught before a handler runs (bad JSON, bad query, bad path, oversize body,
//! unknown route, wrong method) answers in the one error shape.
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::{ApiError, ErrorBody, ErrorCode};

/// JSON bodies: size limit, and errors in the shared shape.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(move |err, _req| {
            let api = match &err {
                JsonPayloadError::OverflowKnownLength { .. }
                | JsonPayloadError::Overflow { .. } => ApiError::new(
                    ErrorCode::PayloadTooLarge,
                    format!("the body is larger than the limit of {limit} bytes"),
                ),
                JsonPayloadError::ContentType => ApiError::new(
                    ErrorCode::UnsupportedMediaType,
                    "send the body as application/json",
                ),
                JsonPayloadError::Deserialize(e) if e.is_data() => {
                    ApiError::new(ErrorCode::InvalidInput, e.to_string())
                }
                JsonPayloadError::Deserialize(e) => ApiError::new(
                    ErrorCode::InvalidJson,
                    format!("the body is not valid JSON: {e}"),
                ),
                other => ApiError::new(
                    ErrorCode::InvalidJson,
                    format!("the body could not be read: {other}"),
                ),
            };
            api.into()
        })
}

/// Query strings.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err: QueryPayloadError, _req| {
        ApiError::new(
            ErrorCode::InvalidQuery,
            format!("invalid query string: {err}"),
        )
        .into()
    })
}

/// Path segments: an id that does not parse cannot name anything, so it is simply not found.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default()
        .error_handler(|_err: PathError, _req| ApiError::not_found("resource").into())
}

/// Raw bodies (instrument upload): the size limit.
pub fn payload_config(limit: usize) -> web::PayloadConfig {
    web::PayloadConfig::new(limit)
}

/// The `/api/v1` scope's default service: a path under it that no resource matches. Other unknown
/// paths, `/api/…` ones included, reach [`super::pages::serve`], which answers the same 404 for
/// `/api/…`.
pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        ErrorCode::NotFound,
        format!("no such endpoint: {} {}", req.method(), req.path()),
    ))
}

/// Every resource's default service (see [`super::Routes::resource`]): a known path called with a
/// method it does not take.
pub async fn method_not_allowed(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("{} is not allowed on {}", req.method(), req.path()),
    ))
}

/// Safety net for errors actix raises itself, outside our table (chiefly a raw body over the
/// [`payload_config`] limit, which has no error handler of its own): rewrite them into the shared
/// shape, keeping the status.
pub fn normalise<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .response()
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::SERVICE_UNAVAILABLE => ErrorCode::Unavailable,
        s if s.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::InvalidInput,
    };
    let message = res
        .response()
        .error()
        .map(|e| e.to_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_lowercase());
    let body: HttpResponse<BoxBody> = HttpResponse::build(status).json(ErrorBody {
        code: code.as_str(),
        message,
        errors: None,
        details: None,
    });
    let (req, _) = res.into_parts();
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, body).map_into_right_body(),
    ))
}

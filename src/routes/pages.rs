//! The browser pages: static files from `frontend/`, embedded in the release binary (read from disk
//! in debug builds), served without a CDN or a build step.
use actix_web::http::{header, Method};
use actix_web::{HttpRequest, HttpResponse};
use rust_embed::RustEmbed;

use crate::error::{ApiError, ErrorCode};

#[derive(RustEmbed)]
#[folder = "frontend/"]
struct Frontend;

/// `/` → `index.html`; `/bank` → `bank.html`; `/js/api.js` → that file. Unknown `/api/…` paths
/// and unknown files answer the JSON 404.
pub async fn serve(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let path = req.path().trim_start_matches('/');
    if path == "api" || path.starts_with("api/") {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("no such endpoint: {} {}", req.method(), req.path()),
        ));
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(ApiError::new(
            ErrorCode::MethodNotAllowed,
            format!("{} is not allowed here", req.method()),
        ));
    }
    let candidates = if path.is_empty() {
        vec!["index.html".to_owned()]
    } else if path
        .rsplit('/')
        .next()
        .is_some_and(|last| !last.contains('.'))
    {
        vec![format!("{path}.html"), format!("{path}/index.html")]
    } else {
        vec![path.to_owned()]
    };
    for name in candidates {
        if name
            .split('/')
            .any(|seg| seg == ".." || seg.starts_with('.'))
        {
            continue;
        }
        if let Some(file) = Frontend::get(&name) {
            let mime = mime_guess::from_path(&name).first_or_octet_stream();
            let html = mime.essence_str() == "text/html";
            let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..8]));
            // Pages and modules are revalidated on every use (a 304 costs one small round trip),
            // so a deploy never leaves a browser running yesterday's scripts against today's API.
            if req
                .headers()
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag))
            {
                return Ok(HttpResponse::NotModified()
                    .insert_header((header::ETAG, etag))
                    .insert_header((header::CACHE_CONTROL, "no-cache"))
                    .finish());
            }
            let mut res = HttpResponse::Ok();
            res.content_type(mime.as_ref())
                .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .insert_header((header::CACHE_CONTROL, "no-cache"))
                .insert_header((header::ETAG, etag));
            if html {
                res.insert_header((
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
                ))
                .insert_header((header::X_FRAME_OPTIONS, "DENY"));
            }
            return Ok(res.body(file.data.into_owned()));
        }
    }
    Err(ApiError::new(
        ErrorCode::NotFound,
        format!("no page at {}", req.path()),
    ))
}

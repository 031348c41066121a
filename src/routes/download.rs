//! Replies the browser saves as a file rather than shows.
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, HttpResponseBuilder};

/// Media type of the CSV files staff download.
pub const CSV: &str = "text/csv; charset=utf-8";

/// A 200 reply saved as `filename`; the caller adds the body.
pub fn attachment(filename: String) -> HttpResponseBuilder {
    let mut reply = HttpResponse::Ok();
    reply.insert_header(ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(filename)],
    });
    reply
}

//! Replies the browser saves as a file rather than shows.
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, HttpResponseBuilder};

/// Media type of the CSV files staff download.
pub const CSV: &str = "text/csv; charset=utf-8";
/// Media type of Excel workbooks.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// A PDF file.
pub const PDF: &str = "application/pdf";
/// A ZIP archive.
pub const ZIP: &str = "application/zip";

/// Size of each piece of a file sent as a stream.
const CHUNK: usize = 64 * 1024;

/// The bytes of a temporary file, read and sent a piece at a time (the file is never held whole
/// in memory); the file is deleted once sent, or when the client goes away.
pub fn temp_file_stream(
    file: tempfile::NamedTempFile,
) -> std::io::Result<
    impl futures_util::Stream<Item = Result<actix_web::web::Bytes, std::io::Error>> + 'static,
> {
    use tokio::io::AsyncReadExt;
    let reader = tokio::fs::File::from_std(file.reopen()?);
    Ok(futures_util::stream::unfold(
        Some((reader, file)),
        |state| async move {
            let (mut reader, file) = state?;
            let mut buf = vec![0u8; CHUNK];
            match reader.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(actix_web::web::Bytes::from(buf)), Some((reader, file))))
                }
                Err(e) => Some((Err(e), None)),
            }
        },
    ))
}

/// A 200 reply saved as `filename`; the caller adds the body.
pub fn attachment(filename: String) -> HttpResponseBuilder {
    let mut reply = HttpResponse::Ok();
    reply.insert_header(ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(filename)],
    });
    reply
}

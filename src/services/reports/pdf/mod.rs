//! Psychological reports as PDF: a pure function from plain data ([`model`]) to the bytes of
//! the file, with no clock, randomness, database or browser.
//!
//! The PDF is written with `pdf-writer` (typst's low-level PDF writer) and the two embedded faces
//! of DejaVu Sans are subset with `subsetter` and measured with `ttf-parser`; see `fonts.rs` for
//! how text is embedded so that it can be extracted and searched, and `document.rs` for pages,
//! wrapping and page breaks. Everything that could differ between two runs is taken from the
//! input: there is no creation date, the file identifier comes from the report's reference and
//! content, subset names from the glyphs used, and streams are compressed with a fixed level. So
//! the same input always gives the same bytes, and the caller can keep a SHA-256 of a released
//! report to show later that a file is the one released. (That holds for one version of this
//! renderer: a later layout or font change renders the same input differently, so a released
//! report is kept as the bytes released, not rendered again.)
//!
//! A report without a [`Signature`] is a draft: every page says so in its header and under its
//! body, and the release block is left empty.
//!
//! Rendering is CPU work of a few milliseconds; callers on the async threads should move it off
//! them (`spawn_blocking`).

mod blocks;
mod campaign;
mod charts;
mod document;
mod fonts;
mod individual;
mod labels;
pub mod model;
mod table;

#[cfg(test)]
mod tests;

pub use model::{
    CampaignSummary, CompetencyLine, EvidenceLine, IndividualReport, Lang, NineBoxPlace,
    ProfileLine, ScaleLine, Signature, TalentLine,
};

/// Why a report could not be rendered. Only the embedded fonts can fail (a build with a broken
/// font file); no input is refused: text the fonts cannot show prints as U+FFFD.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// An embedded font could not be read or subset.
    #[error("report font: {0}")]
    Font(String),
}

/// A participant's report as PDF bytes; the same report gives the same bytes.
pub fn render_individual(report: &IndividualReport) -> Result<Vec<u8>, RenderError> {
    individual::render(report)
}

/// A campaign's summary as PDF bytes; the same summary gives the same bytes.
pub fn render_campaign_summary(summary: &CampaignSummary) -> Result<Vec<u8>, RenderError> {
    campaign::render(summary)
}

/// Deflates a stream (zlib format, for `/FlateDecode`) at a fixed level, so the bytes depend on
/// the input alone.
fn compress(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

//! Psychological reports: what a report says (`content`), drawing it as a PDF (`pdf`), and
//! releasing, storing and serving released versions (`releases`).
pub mod content;
pub mod pdf;
pub mod releases;

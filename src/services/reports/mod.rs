//! Psychological reports of participants and summaries of campaigns: what a report says
//! (`content`), drawing it as a PDF from plain data (`pdf`), and releasing, storing and serving
//! released versions (`releases`).
pub mod content;
pub mod pdf;
pub mod releases;

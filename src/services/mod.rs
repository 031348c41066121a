//! Use cases and their transaction boundaries. Routes call these; these call the store and the
//! domain. Nothing here knows HTTP beyond the shared error table.
pub mod accounts;
pub mod answer_writer;
pub mod attempt_scoring;
pub mod auth;
pub mod batteries;
pub mod battery_cache;
pub mod bootstrap;
pub mod campaigns;
pub mod context;
pub mod delivery;
pub mod demo;
pub mod enrolment;
pub mod expiry;
pub mod instrument_cache;
pub mod instruments;
pub mod ops;
pub mod organisations;
pub mod passwords;
pub mod proctoring;
pub mod results;
pub mod room;
pub mod timeline;
pub mod tokens;

pub use context::{AppContext, Shutdown};

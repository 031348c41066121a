//! Use cases and their transaction boundaries. Routes call these; these call the store and the
//! domain. Nothing here knows HTTP beyond the shared error table.
//!
//! They use each other without a circle (the architecture test checks it). The attempt's life is
//! one module, [`attempt`], that both sides use: [`delivery`] for the candidate and
//! [`proctoring`] for the staff; [`monitor`] pushes what changed to the pages watching; results
//! and scoring live in [`results`].
pub mod accounts;
pub mod adaptive;
pub mod answer_writer;
pub mod assessment;
pub mod attempt;
pub mod audited;
pub mod auth;
pub mod background;
pub mod batteries;
pub mod battery_cache;
pub mod bootstrap;
pub mod calibration;
pub mod campaign_rules;
pub mod campaigns;
pub mod competencies;
pub mod competency_history;
pub mod competency_results;
pub mod competency_rules;
pub mod context;
pub mod delivery;
pub mod demo;
pub mod discipline;
pub mod enrolment;
pub mod exports;
pub mod exposure_control;
pub mod instrument_cache;
pub mod instruments;
pub mod item_analysis;
pub mod item_parameters;
pub mod job_standards;
pub mod keys;
pub mod monitor;
pub mod norm_building;
pub mod ops;
pub mod organisations;
pub mod passwords;
pub mod performance;
pub mod proctoring;
pub mod reports;
pub mod results;
pub mod revocations;
pub mod sign_in_limit;
pub mod tokens;
pub mod yearly_records;

pub use context::{AppContext, Shutdown};

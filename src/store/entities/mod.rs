//! sea-orm entities, one file per table. Only the store layer uses them.
pub mod account;
pub mod attempt;
pub mod attempt_section;
pub mod audit_entry;
pub mod battery;
pub mod battery_section;
pub mod campaign;
pub mod campaign_session;
pub mod instrument;
pub mod item;
pub mod item_asset;
pub mod norm_table;
pub mod organisation;
pub mod participant;
pub mod response;
pub mod scale;
pub mod score;

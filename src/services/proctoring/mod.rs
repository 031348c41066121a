//! Live proctoring: who may watch which session, what a proctor does to its candidates (each
//! action with a reason, audited, on the timeline, pushed to the pages), the synchronised start
//! of a lobby session, and an attempt's timeline.
pub mod access;
pub mod actions;
pub mod lobby;
pub mod timeline;

pub use access::{sessions, snapshot, visible_session, CampaignRef, Room, SessionCard};
pub use actions::{
    act, act_on_participant, extend, Action, ActionBody, ActionOutcome, Extension, Skipped,
    MAX_EXTENSION_SECONDS, MAX_TEXT_CHARS,
};
pub use lobby::{start, StartBody, StartOutcome};

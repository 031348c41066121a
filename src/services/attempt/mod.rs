//! The life of an attempt, in one place: its live state (what the answer path checks), the
//! rules of its clock, closing what is overdue, finishing and scoring, the changes staff and the
//! system make to it (admit, pause, resume, extra time, message, irregularity, unlock,
//! terminate), the expiry sweep, and the events its timeline records.
//!
//! Delivery (the candidate's side) and proctoring (the staff's side) both go through here;
//! nothing here calls either of them.
pub mod creation;
pub mod ending;
pub mod events;
pub mod expiry;
pub mod live;
pub mod rules;
pub mod steering;

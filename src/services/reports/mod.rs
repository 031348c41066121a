//! Reports made for people outside the platform: psychological reports of participants and
//! summaries of campaigns, rendered as PDF by [`pdf`] from plain data that the services fill.
pub mod pdf;

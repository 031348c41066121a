//! The assessment centre: exercises, assessors' ratings, the rule that assigns assessors, and the
//! panel's integration of ratings into a final level per competency.
pub mod assignment_plan;
pub mod exercise;
pub mod integration;
pub mod rating;

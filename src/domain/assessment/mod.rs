//! The assessment centre: exercises, assessors' ratings, the rule that assigns assessors, the
//! panel's integration of ratings into a final level per competency, and the agreement between
//! assessors.
//!
//! Agreement is pure statistics over a list of ratings: how far the assessors who rated the same
//! participant on the same exercise and competency agree, and which assessors rate consistently
//! higher or lower than their colleagues. The service reads the ratings, passes them here and
//! rounds the results for display (nothing is rounded inside).
//!
//! | statistic | function | source |
//! |---|---|---|
//! | exact and adjacent agreement % | [`agreement::exact_and_adjacent`] | counts over rater pairs |
//! | ICC(2,1), ICC(2,k) | [`agreement::icc2`], matrix by [`agreement::rating_matrix`] | Shrout & Fleiss (1979), case 2 |
//! | Krippendorff's α, ordinal | [`agreement::krippendorff_ordinal`] | Krippendorff (2011) |
//! | units rated far apart | [`agreement::discrepancies`] | max − min of a unit's ratings |
//! | leniency/severity per assessor | [`agreement::rater_drift`] | own mean − mean of the others |
//!
//! Assessment panels rotate (each participant is seen by two of many assessors) and ratings go
//! missing, so the statistic that fits the data exactly is Krippendorff's α; the ICC is reported
//! beside it because it is the figure many readers know, and its documentation says what it
//! assumes.
pub mod agreement;
pub mod assignment_file;
pub mod assignment_plan;
pub mod exercise;
pub mod integration;
pub mod rating;

//! The scoring engine: a candidate's answers → item scores → scale raw scores → norm-referenced
//! scores. Everything here is a pure function of (responses, item keys, norm table) with no clock,
//! randomness or I/O, so a stored result can be re-scored and must come out the same (architecture
//! invariant 5). Every stored score names [`SCORING_VERSION`] and the norm table that produced it.
//!
//! # Wire shape of a response
//! The candidate page sends one JSON object per answer; its shape depends on the item's format, which
//! [`parse_response`] knows from the item, so the object carries no format tag:
//!
//! | format | JSON | meaning |
//! |---|---|---|
//! | `single_choice`, `weighted_options` | `{"choice": "b"}` | id of the chosen option |
//! | `forced_choice` | `{"choice": "a"}` | id of the chosen statement |
//! | `likert` | `{"point": 4}` | a whole number 1…k, k = number of `likert_anchors` |
//! | `most_least` | `{"most": "a", "least": "c"}` | ids of two different statements |
//! | `numeric_entry` | `{"value": 15.4}` or `{"value": "15,4"}` | a number, or a string with a decimal comma or point |
//!
//! Ids are the item document's own ids; the delivery layer maps the opaque per-attempt ids back
//! before calling [`parse_response`]. A parsed [`Response`] serialises back to this shape with the
//! number normalised (`"15,4"` is stored as `15.4`), and that form parses again to the same value.
//!
//! # Formulas
//! Item score s of one answer (domain notes, "Test formats"):
//! - single choice: s = 1 if choice = key, else 0
//! - weighted options: s = w(choice), the chosen option's weight
//! - Likert on k points: s = p, or s = k + 1 − p when the item is reverse-keyed
//! - forced choice (ipsative): s = 1 to the chosen statement's scale, 0 to the other's
//! - most/least block: +1 to the "most" statement's scale, −1 to the "least" statement's scale;
//!   profiles M = number of "most" marks, L = number of "least" marks, D = M − L
//! - numeric entry: s = 1 if |x − answer| ≤ tolerance (default 0), else 0
//!
//! Scale raw score R over the administered items i of the scale:
//! - `sum`: R = Σ sᵢ, an unanswered item scoring 0
//! - `mean`: R = Σ sᵢ / n over the n answered items
//!
//! Norm-referenced scores (domain notes, "Scores and norms"; implemented in [`super::norms`]):
//! PR from the table's raw → PR rows; linear z = (x − mean) / sd; normalised z = Φ⁻¹(PR / 100);
//! T = 50 + 10z; stanine = clamp(round(2z + 5), 1, 9); sten = clamp(round(2z + 5.5), 1, 10).
mod item;
mod response;
mod scale;

#[cfg(test)]
mod fixtures;

pub use item::{score_item, within_tolerance, ItemScore, ScaleContribution};
pub use response::{likert_points, parse_response, Answer, Response};
pub use scale::{score_instrument, MostLeastProfile, ScaleRaw};

/// Names the rules in this module and the norm conversion in [`super::norms`]. Stored with every
/// score so a result can be traced to, and re-scored by, the rules that produced it; change it
/// whenever one of those rules changes an outcome.
pub const SCORING_VERSION: &str = "meritest-scoring/1";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scoring_version_is_named() {
        assert_eq!(SCORING_VERSION, "meritest-scoring/1");
    }
}

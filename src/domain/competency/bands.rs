//! Bands on a score's scale, shared by every cut table of the rules (evidence → level, JPM
//! categories, potential, IP ASN categories).
//!
//! A band is the half-open interval [`from`, `to`): a score exactly on a cut point belongs to the
//! band that starts there. Only the first band may leave `from` out (no lower bound) and only the
//! last may leave `to` out (no upper bound). Bands are listed rising and touch: each band's `to`
//! is the next band's `from`, so there is no gap (a score in no band) and no overlap (a score in
//! two).
use serde::{Deserialize, Serialize};

use crate::domain::FieldError;

/// One category of a scheme: scores in [`from`, `to`) get `category`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryBand {
    /// The category's name as reports show it, e.g. `Cukup Optimal`.
    pub category: String,
    /// Lowest score of the band (inclusive); left out on the first band for "no lower bound".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
    /// Score where the next band starts (exclusive); left out on the last band for "and above".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<f64>,
}

/// How much of the scale a list of bands must cover.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cover {
    /// Any stretch: a score outside the bands has no band.
    Free,
    /// Every score from `0` up: the first band starts at or below `0` (or has no `from`), the
    /// last band has no `to`.
    ZeroAndAbove,
}

/// Every problem of the bands `spans` (each `(from, to)`) at `path` (e.g. `competencies[0].cuts`).
pub(crate) fn band_problems(
    path: &str,
    spans: &[(Option<f64>, Option<f64>)],
    cover: Cover,
    errs: &mut Vec<FieldError>,
) {
    if spans.is_empty() {
        errs.push(FieldError::top(path, "needs at least one band"));
        return;
    }
    let last = spans.len() - 1;
    for (i, &(from, to)) in spans.iter().enumerate() {
        for (name, bound) in [("from", from), ("to", to)] {
            if bound.is_some_and(|b| !b.is_finite()) {
                errs.push(FieldError::top(
                    format!("{path}[{i}].{name}"),
                    "must be a finite number",
                ));
            }
        }
        if from.is_none() && i > 0 {
            errs.push(FieldError::top(
                format!("{path}[{i}].from"),
                "only the first band may leave out `from`",
            ));
        }
        if to.is_none() && i < last {
            errs.push(FieldError::top(
                format!("{path}[{i}].to"),
                "only the last band may leave out `to`",
            ));
        }
        if let (Some(f), Some(t)) = (from, to) {
            if f >= t {
                errs.push(FieldError::top(
                    format!("{path}[{i}].to"),
                    format!("the band must end above where it starts ({f})"),
                ));
            }
        }
        if i > 0 {
            let (prev_from, prev_to) = spans[i - 1];
            if let (Some(p), Some(f)) = (prev_from, from) {
                if f < p {
                    errs.push(FieldError::top(
                        format!("{path}[{i}].from"),
                        format!(
                            "bands must be listed rising: this one starts at {f}, below the \
                             previous band's start {p}"
                        ),
                    ));
                    continue;
                }
            }
            if let (Some(t), Some(f)) = (prev_to, from) {
                if f > t {
                    errs.push(FieldError::top(
                        format!("{path}[{i}].from"),
                        format!(
                            "gap: the previous band ends at {t} and this one starts at {f}, so \
                             scores from {t} to below {f} fall in no band"
                        ),
                    ));
                } else if f < t {
                    errs.push(FieldError::top(
                        format!("{path}[{i}].from"),
                        format!(
                            "overlap: this band starts at {f} but the previous one runs up to \
                             {t}, so scores from {f} to below {t} fall in both"
                        ),
                    ));
                }
            }
        }
    }
    if let Cover::ZeroAndAbove = cover {
        if spans[0].0.is_some_and(|f| f > 0.0) {
            errs.push(FieldError::top(
                format!("{path}[0].from"),
                "the first band must start at 0 or below (or leave out `from`)",
            ));
        }
        if spans[last].1.is_some() {
            errs.push(FieldError::top(
                format!("{path}[{last}].to"),
                "the last band must leave out `to`, so that every higher score has a band",
            ));
        }
    }
}

/// The index of the band `x` falls in: from ≤ x < to.
pub(crate) fn band_of(spans: &[(Option<f64>, Option<f64>)], x: f64) -> Option<usize> {
    spans
        .iter()
        .position(|&(from, to)| from.is_none_or(|f| x >= f) && to.is_none_or(|t| x < t))
}

/// The bounds of category bands.
pub(crate) fn spans_of(bands: &[CategoryBand]) -> Vec<(Option<f64>, Option<f64>)> {
    bands.iter().map(|b| (b.from, b.to)).collect()
}

/// Every problem of a list of category bands at `path`: the bands as above, and names that are
/// present and distinct.
pub(crate) fn category_problems(
    path: &str,
    bands: &[CategoryBand],
    cover: Cover,
    errs: &mut Vec<FieldError>,
) {
    band_problems(path, &spans_of(bands), cover, errs);
    for (i, band) in bands.iter().enumerate() {
        let name = band.category.trim();
        if name.is_empty() || name.chars().count() > 80 {
            errs.push(FieldError::top(
                format!("{path}[{i}].category"),
                "must be 1 to 80 characters",
            ));
        } else if bands[..i].iter().any(|b| b.category.trim() == name) {
            errs.push(FieldError::top(
                format!("{path}[{i}].category"),
                format!("duplicate category '{name}'"),
            ));
        }
    }
}

/// The category `x` falls in.
pub(crate) fn category_of(bands: &[CategoryBand], x: f64) -> Option<&str> {
    band_of(&spans_of(bands), x).map(|i| bands[i].category.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(spans: &[(Option<f64>, Option<f64>)], cover: Cover) -> Vec<(String, String)> {
        let mut errs = Vec::new();
        band_problems("cuts", spans, cover, &mut errs);
        errs.into_iter().map(|e| (e.field, e.message)).collect()
    }

    #[test]
    fn touching_rising_bands_pass_and_a_cut_point_belongs_to_the_band_it_starts() {
        let spans = [
            (None, Some(35.0)),
            (Some(35.0), Some(45.0)),
            (Some(45.0), None),
        ];
        assert!(problems(&spans, Cover::ZeroAndAbove).is_empty());
        assert_eq!(band_of(&spans, 34.99), Some(0));
        assert_eq!(band_of(&spans, 35.0), Some(1));
        assert_eq!(band_of(&spans, 1e9), Some(2));
    }

    #[test]
    fn a_gap_an_overlap_and_an_unordered_band_are_each_named_by_path() {
        let gap = problems(&[(Some(0.0), Some(40.0)), (Some(45.0), None)], Cover::Free);
        assert_eq!(gap.len(), 1);
        assert_eq!(gap[0].0, "cuts[1].from");
        assert!(gap[0].1.starts_with("gap"));
        let overlap = problems(&[(Some(0.0), Some(50.0)), (Some(45.0), None)], Cover::Free);
        assert_eq!(overlap[0].0, "cuts[1].from");
        assert!(overlap[0].1.starts_with("overlap"));
        let unordered = problems(
            &[(Some(50.0), Some(60.0)), (Some(10.0), Some(20.0))],
            Cover::Free,
        );
        assert_eq!(unordered[0].0, "cuts[1].from");
        assert!(unordered[0].1.starts_with("bands must be listed rising"));
        let inverted = problems(&[(Some(50.0), Some(40.0))], Cover::Free);
        assert_eq!(inverted[0].0, "cuts[0].to");
    }

    #[test]
    fn a_scale_from_zero_up_needs_a_start_at_zero_and_an_open_top() {
        let errs = problems(
            &[(Some(10.0), Some(50.0)), (Some(50.0), Some(100.0))],
            Cover::ZeroAndAbove,
        );
        let fields: Vec<&str> = errs.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(fields, ["cuts[0].from", "cuts[1].to"]);
        assert_eq!(problems(&[], Cover::Free)[0].0, "cuts");
    }

    #[test]
    fn only_the_ends_may_leave_out_a_bound() {
        let errs = problems(&[(Some(0.0), None), (None, None)], Cover::Free);
        let fields: Vec<&str> = errs.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(fields, ["cuts[0].to", "cuts[1].from"]);
    }
}

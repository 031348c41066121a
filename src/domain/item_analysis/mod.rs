//! Classical item analysis (issue 14, item 7): how each item of a test behaved in a sample of
//! respondents, how reliable the test was, which items need a psychometrician's look, and whether an
//! item functions differently for two groups of equal ability (DIF, in [`dif`]).
//!
//! Everything is a pure function of a description of the responses: the items ([`ItemSpec`]: a
//! keyed choice item scored 0/1, or a Likert item on k points) and, per respondent ([`Person`]), one
//! [`ItemResponse`] per item (its score, and for a choice item the option chosen) plus the
//! respondent's group labels. [`analyse`] gives per-item and per-test statistics
//! ([`ItemAnalysis`]); [`dif::mantel_haenszel_dif`] gives the Mantel–Haenszel DIF of each keyed item.
//!
//! # Formulas
//! With N respondents, k items, xᵢⱼ the score of respondent i on item j and Xᵢ = Σⱼ xᵢⱼ the total:
//! - difficulty p = mean of a 0/1 item (the share answering it right);
//! - item–total r: Pearson's r of xⱼ with X (for a 0/1 item this is the point-biserial r_pb);
//!   corrected item–total r: Pearson's r of xⱼ with the rest score X − xⱼ (the item left out of the
//!   total, so it does not correlate with itself);
//! - Cronbach's α = k/(k−1) · (1 − Σⱼ s²ⱼ / s²_X) (Cronbach 1951); for 0/1 items s²ⱼ = pⱼqⱼ and this
//!   is KR-20 (Kuder & Richardson 1937). Both variances use the same denominator, so the ratio, and α,
//!   do not depend on which (N or N − 1); α if item j is deleted is α of the other k − 1 items;
//! - SEM = s_X · √(1 − α), with s_X the sample standard deviation of the totals (N − 1);
//! - upper–lower index D = p_upper − p_lower (Kelley 1939) over the 27 % of respondents with the
//!   highest and the lowest totals (the fraction is a setting). **Ties at a cut**: the groups hold
//!   exactly 0.27·N respondents' worth of weight. Respondents strictly beyond the cut score count
//!   fully; the respondents tied at the cut score share the places left in equal fractions (with
//!   N = 5, 0.27·5 = 1.35, and two respondents tied at the top score each count 0.675 in the upper
//!   group). So the result does not depend on the order respondents are listed in, and no group
//!   grows past its fraction;
//! - options of a choice item: choice rate = share of the N respondents choosing the option; upper
//!   and lower rates the same within the extreme groups; the option's point-biserial is Pearson's r
//!   of "chose it" (1) vs "did not" (0, omissions included) with the total X (not the rest score:
//!   for a distractor the item adds nothing to a chooser's total);
//! - omission rate = share of every respondent given (before any is left out, see below) with no
//!   score on the item.
//!
//! Sample standard deviations (of an item and of the totals) divide by N − 1, as SPSS and most
//! item-analysis programs report them; correlations do not depend on the denominator.
//!
//! # Missing responses
//! A respondent's unanswered or not-administered item (`score: None`) is handled by
//! [`MissingPolicy`]: by default an unanswered keyed item scores 0 (it earned no credit, as ability
//! tests are scored) and a respondent with an unanswered Likert item is left out of the analysis (a
//! rating cannot be guessed); [`MissingPolicy::Listwise`] leaves out every respondent with any
//! unanswered item.
//!
//! # Flags
//! The thresholds are data ([`FlagThresholds`], defaults in its documentation); each flag has a
//! stable snake_case code ([`ItemFlag`], [`DistractorFlag`], [`TestFlag`]). A statistic that does not
//! exist (a correlation with an item everyone got right, α of a test whose totals do not vary) is
//! `None` (`null` in JSON) with a `zero_variance` flag, never NaN.
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

mod classical;
pub mod dif;
mod stats;

pub use classical::{
    analyse, CategoryStats, DistractorFlag, ItemAnalysis, ItemFlag, ItemStats, OptionStats,
    ReliabilityCoefficient, TestFlag, TestStats,
};

/// The fewest respondents any analysis accepts, whatever the settings: below two there is no
/// variance and no correlation.
pub const MIN_RESPONDENTS_FLOOR: usize = 2;

/// How an item is scored, with what the analysis needs to know of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ItemKind {
    /// Scored 0 (wrong) or 1 (right). A choice item names its options and its key, together, so
    /// the analysis can report each option (distractor analysis); an item without options (a
    /// numeric entry, or a file of 0/1 scores) leaves both out.
    Dichotomous {
        /// Id of the correct option; given exactly when `options` is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
        /// Ids of every option, the key among them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        options: Vec<String>,
    },
    /// A rating on `points` points, scored 1…points after any reverse keying (as the scoring
    /// engine scores it).
    Likert {
        /// Number of points, at least 2.
        points: u8,
    },
}

/// One item of the test analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemSpec {
    /// The item's code, unique within the analysis.
    pub code: String,
    /// How it is scored.
    #[serde(flatten)]
    pub kind: ItemKind,
}

impl ItemSpec {
    /// A 0/1 item with options `options` and key `key`.
    pub fn choice(code: &str, key: &str, options: &[&str]) -> Self {
        Self {
            code: code.to_owned(),
            kind: ItemKind::Dichotomous {
                key: Some(key.to_owned()),
                options: options.iter().map(|o| (*o).to_owned()).collect(),
            },
        }
    }

    /// A 0/1 item without options.
    pub fn dichotomous(code: &str) -> Self {
        Self {
            code: code.to_owned(),
            kind: ItemKind::Dichotomous {
                key: None,
                options: Vec::new(),
            },
        }
    }

    /// A Likert item on `points` points.
    pub fn likert(code: &str, points: u8) -> Self {
        Self {
            code: code.to_owned(),
            kind: ItemKind::Likert { points },
        }
    }

    fn is_dichotomous(&self) -> bool {
        matches!(self.kind, ItemKind::Dichotomous { .. })
    }
}

/// One respondent's response to one item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemResponse {
    /// The item score (0/1, or the Likert point 1…k); `None`: not answered or not administered.
    #[serde(default)]
    pub score: Option<f64>,
    /// For a choice item, the id of the option chosen; `None` exactly when `score` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
}

impl ItemResponse {
    /// A scored response without an option (a 0/1 item without options, or a Likert point).
    pub fn scored(score: f64) -> Self {
        Self {
            score: Some(score),
            choice: None,
        }
    }

    /// The choice of `option` on a choice item scored `score`.
    pub fn chose(option: &str, score: f64) -> Self {
        Self {
            score: Some(score),
            choice: Some(option.to_owned()),
        }
    }

    /// No answer.
    pub fn omitted() -> Self {
        Self::default()
    }
}

/// One respondent: a response per item, in the order of the items, and group labels for DIF
/// (e.g. `sex` → `female`, `education` → `S1`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// One response per item, in item order.
    pub responses: Vec<ItemResponse>,
    /// Attribute → value, e.g. `{"sex": "female"}`.
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
}

/// What to do with an unanswered item (module documentation, "Missing responses").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// An unanswered 0/1 item scores 0; a respondent with an unanswered Likert item is left out.
    #[default]
    Auto,
    /// A respondent with any unanswered item is left out.
    Listwise,
}

/// Thresholds of the item flags. A flag is raised strictly beyond its threshold: an item with
/// p = 0.90 exactly is not "too easy".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FlagThresholds {
    /// `too_easy` when p > this (default 0.90).
    pub too_easy_above: f64,
    /// `too_hard` when p < this (default 0.20).
    pub too_hard_below: f64,
    /// `non_discriminating` when the corrected item–total r < this (default 0.20).
    pub min_corrected_r: f64,
    /// A distractor's point-biserial above this attracts strong candidates (default 0: a wrong
    /// option should be chosen by weaker candidates, so its r_pb should be negative).
    pub max_distractor_r_pb: f64,
    /// `alpha_rises_if_deleted` when α without the item exceeds α by more than this (default 0).
    pub alpha_rise_above: f64,
}

impl Default for FlagThresholds {
    fn default() -> Self {
        Self {
            too_easy_above: 0.90,
            too_hard_below: 0.20,
            min_corrected_r: 0.20,
            max_distractor_r_pb: 0.0,
            alpha_rise_above: 0.0,
        }
    }
}

/// Settings of the Mantel–Haenszel DIF analysis and its ETS classes (see [`dif`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DifSettings {
    /// Fewest respondents in each of the reference and focal groups (default 100, a common rule
    /// of thumb for MH; ETS's own practice asks for more).
    pub min_group_size: usize,
    /// Significance level of the MH χ² test (A vs B) and of the one-sided test that |Δ| exceeds
    /// `negligible_delta` (B vs C); default 0.05.
    pub significance: f64,
    /// |Δ_MH| below this is negligible, class A (default 1.0).
    pub negligible_delta: f64,
    /// |Δ_MH| at or above this can be class C (default 1.5).
    pub large_delta: f64,
}

impl Default for DifSettings {
    fn default() -> Self {
        Self {
            min_group_size: 100,
            significance: 0.05,
            negligible_delta: 1.0,
            large_delta: 1.5,
        }
    }
}

/// Settings of an item analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisSettings {
    /// Fewest respondents analysed (after any are left out); default 20. Never below
    /// [`MIN_RESPONDENTS_FLOOR`].
    pub min_respondents: usize,
    /// Share of respondents in each of the upper and lower groups, above 0 and at most 0.5
    /// (default 0.27).
    pub extreme_group_fraction: f64,
    /// What to do with unanswered items.
    pub missing: MissingPolicy,
    /// Flag thresholds.
    pub flags: FlagThresholds,
    /// DIF settings.
    pub dif: DifSettings,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        Self {
            min_respondents: 20,
            extreme_group_fraction: 0.27,
            missing: MissingPolicy::Auto,
            flags: FlagThresholds::default(),
            dif: DifSettings::default(),
        }
    }
}

/// Why an analysis could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalysisError {
    /// The test has no items.
    NoItems,
    /// Fewer respondents than the minimum remain to analyse.
    TooFewRespondents {
        /// Respondents analysed.
        n: usize,
        /// The minimum.
        min: usize,
    },
    /// A response does not fit its item (named in the message).
    InvalidResponses(String),
    /// An item description does not make sense (named in the message).
    InvalidItems(String),
    /// A setting is out of range (named in the message).
    InvalidSettings(String),
    /// A DIF group has fewer respondents than the minimum.
    DifGroupTooSmall {
        /// The group's value, e.g. `female`.
        group: String,
        /// Respondents in it.
        n: usize,
        /// The minimum.
        min: usize,
    },
}

impl AnalysisError {
    /// The stable code of the error.
    pub fn code(&self) -> &'static str {
        match self {
            AnalysisError::NoItems => "no_items",
            AnalysisError::TooFewRespondents { .. } => "too_few_respondents",
            AnalysisError::InvalidResponses(_) => "invalid_responses",
            AnalysisError::InvalidItems(_) => "invalid_items",
            AnalysisError::InvalidSettings(_) => "invalid_settings",
            AnalysisError::DifGroupTooSmall { .. } => "dif_group_too_small",
        }
    }

    /// What is wrong, in words.
    pub fn message(&self) -> String {
        match self {
            AnalysisError::NoItems => "the test has no items to analyse".into(),
            AnalysisError::TooFewRespondents { n, min } => {
                format!("{n} respondent(s) to analyse; an item analysis needs at least {min}")
            }
            AnalysisError::InvalidResponses(m)
            | AnalysisError::InvalidItems(m)
            | AnalysisError::InvalidSettings(m) => m.clone(),
            AnalysisError::DifGroupTooSmall { group, n, min } => format!(
                "the DIF group '{group}' has {n} respondent(s); Mantel–Haenszel DIF needs at \
                 least {min} in each group"
            ),
        }
    }
}

impl fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for AnalysisError {}

/// The responses made ready for the formulas: one column of scores per item over the respondents
/// analysed, with their totals.
pub(crate) struct Prepared<'a> {
    /// Scores, one column per item, one entry per analysed respondent (an omitted 0/1 item as 0).
    pub(crate) scores: Vec<Vec<f64>>,
    /// The option chosen, one column per item.
    pub(crate) choices: Vec<Vec<Option<&'a str>>>,
    /// Indices (into the persons given) of the respondents analysed.
    pub(crate) analysed: Vec<usize>,
    /// Totals of the analysed respondents.
    pub(crate) totals: Vec<f64>,
    /// Respondents given.
    pub(crate) given: usize,
    /// Per item, how many of the respondents given left it unanswered.
    pub(crate) omitted: Vec<usize>,
}

fn check_settings(s: &AnalysisSettings) -> Result<(), AnalysisError> {
    let bad = |m: &str| Err(AnalysisError::InvalidSettings(m.to_owned()));
    let f = s.extreme_group_fraction;
    if !(f.is_finite() && f > 0.0 && f <= 0.5) {
        return bad("extreme_group_fraction must be above 0 and at most 0.5");
    }
    let t = &s.flags;
    if ![
        t.too_easy_above,
        t.too_hard_below,
        t.min_corrected_r,
        t.max_distractor_r_pb,
        t.alpha_rise_above,
    ]
    .iter()
    .all(|v| v.is_finite())
    {
        return bad("every flag threshold must be a finite number");
    }
    let d = &s.dif;
    if !(d.significance.is_finite() && d.significance > 0.0 && d.significance < 1.0) {
        return bad("dif.significance must be between 0 and 1");
    }
    if !(d.negligible_delta.is_finite()
        && d.large_delta.is_finite()
        && d.negligible_delta >= 0.0
        && d.large_delta >= d.negligible_delta)
    {
        return bad("dif.negligible_delta must be at least 0 and dif.large_delta at least it");
    }
    Ok(())
}

fn check_items(items: &[ItemSpec]) -> Result<(), AnalysisError> {
    if items.is_empty() {
        return Err(AnalysisError::NoItems);
    }
    let bad = |m: String| Err(AnalysisError::InvalidItems(m));
    for (j, item) in items.iter().enumerate() {
        if item.code.trim().is_empty() {
            return bad(format!("item #{} has no code", j + 1));
        }
        if items[..j].iter().any(|other| other.code == item.code) {
            return bad(format!("item code '{}' appears twice", item.code));
        }
        match &item.kind {
            ItemKind::Dichotomous { key, options } => match key {
                None if !options.is_empty() => {
                    return bad(format!("item '{}' has options but no key", item.code))
                }
                Some(_) if options.is_empty() => {
                    return bad(format!("item '{}' has a key but no options", item.code))
                }
                Some(k) if !options.contains(k) => {
                    return bad(format!(
                        "the key '{k}' of item '{}' is not one of its options",
                        item.code
                    ))
                }
                _ => {
                    if let Some((i, o)) = options
                        .iter()
                        .enumerate()
                        .find(|(i, o)| options[..*i].contains(o))
                    {
                        return bad(format!(
                            "option '{o}' of item '{}' appears twice (options[{i}])",
                            item.code
                        ));
                    }
                }
            },
            ItemKind::Likert { points } if *points < 2 => {
                return bad(format!(
                    "Likert item '{}' needs at least 2 points",
                    item.code
                ))
            }
            ItemKind::Likert { .. } => {}
        }
    }
    Ok(())
}

/// Checks one response against its item.
fn check_response(item: &ItemSpec, r: &ItemResponse, who: usize) -> Result<(), AnalysisError> {
    let at = || format!("respondent #{}, item '{}'", who + 1, item.code);
    let bad = |m: String| Err(AnalysisError::InvalidResponses(m));
    if let Some(s) = r.score {
        if !s.is_finite() {
            return bad(format!("{}: the score is not a finite number", at()));
        }
    }
    match (&item.kind, r.score, r.choice.as_deref()) {
        (_, None, Some(c)) => bad(format!(
            "{}: option '{c}' is chosen but the response has no score",
            at()
        )),
        (ItemKind::Dichotomous { .. }, Some(s), _) if s != 0.0 && s != 1.0 => {
            bad(format!("{}: a 0/1 item scored {s}", at()))
        }
        (ItemKind::Dichotomous { key: None, .. }, _, Some(c)) => bad(format!(
            "{}: option '{c}' is chosen but the item has no options",
            at()
        )),
        (ItemKind::Dichotomous { key: Some(_), .. }, Some(_), None) => bad(format!(
            "{}: the item has options but the response names none",
            at()
        )),
        (
            ItemKind::Dichotomous {
                key: Some(key),
                options,
            },
            Some(s),
            Some(c),
        ) => {
            if !options.iter().any(|o| o == c) {
                bad(format!("{}: '{c}' is not one of the item's options", at()))
            } else if (c == key) != (s == 1.0) {
                bad(format!(
                    "{}: option '{c}' is scored {s} but the key is '{key}'",
                    at()
                ))
            } else {
                Ok(())
            }
        }
        (ItemKind::Likert { points }, Some(s), _)
            if s.fract() != 0.0 || s < 1.0 || s > f64::from(*points) =>
        {
            bad(format!(
                "{}: a Likert item on {points} points scored {s} (expected a whole number 1…{points})",
                at()
            ))
        }
        (ItemKind::Likert { .. }, _, Some(c)) => bad(format!(
            "{}: option '{c}' is chosen on a Likert item",
            at()
        )),
        _ => Ok(()),
    }
}

/// Validates the input and lays the responses out by item, leaving out the respondents the missing
/// policy leaves out.
pub(crate) fn prepare<'a>(
    items: &'a [ItemSpec],
    persons: &'a [Person],
    settings: &AnalysisSettings,
) -> Result<Prepared<'a>, AnalysisError> {
    check_settings(settings)?;
    check_items(items)?;
    let k = items.len();
    let mut omitted = vec![0; k];
    let mut analysed = Vec::new();
    for (i, p) in persons.iter().enumerate() {
        if p.responses.len() != k {
            return Err(AnalysisError::InvalidResponses(format!(
                "respondent #{} has {} response(s) for {k} item(s)",
                i + 1,
                p.responses.len()
            )));
        }
        let mut keep = true;
        for (j, (item, r)) in items.iter().zip(&p.responses).enumerate() {
            check_response(item, r, i)?;
            if r.score.is_none() {
                omitted[j] += 1;
                if settings.missing == MissingPolicy::Listwise || !item.is_dichotomous() {
                    keep = false;
                }
            }
        }
        if keep {
            analysed.push(i);
        }
    }
    let min = settings.min_respondents.max(MIN_RESPONDENTS_FLOOR);
    if analysed.len() < min {
        return Err(AnalysisError::TooFewRespondents {
            n: analysed.len(),
            min,
        });
    }
    let mut scores = vec![Vec::with_capacity(analysed.len()); k];
    let mut choices = vec![Vec::with_capacity(analysed.len()); k];
    let mut totals = vec![0.0; analysed.len()];
    for (row, &i) in analysed.iter().enumerate() {
        for (j, r) in persons[i].responses.iter().enumerate() {
            let s = r.score.unwrap_or(0.0);
            scores[j].push(s);
            choices[j].push(r.choice.as_deref());
            totals[row] += s;
        }
    }
    Ok(Prepared {
        scores,
        choices,
        analysed,
        totals,
        given: persons.len(),
        omitted,
    })
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A respondent answering 0/1 items without options.
    pub(crate) fn zero_one(scores: &[u8]) -> Person {
        Person {
            responses: scores
                .iter()
                .map(|s| ItemResponse::scored(f64::from(*s)))
                .collect(),
            groups: BTreeMap::new(),
        }
    }

    /// Settings that accept the small worked examples.
    pub(crate) fn small() -> AnalysisSettings {
        AnalysisSettings {
            min_respondents: 2,
            ..AnalysisSettings::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    fn err(items: &[ItemSpec], persons: &[Person]) -> AnalysisError {
        match prepare(items, persons, &small()) {
            Err(e) => e,
            Ok(_) => panic!("expected an error"),
        }
    }

    #[test]
    fn a_test_without_items_is_refused_with_no_items() {
        assert_eq!(err(&[], &[zero_one(&[]), zero_one(&[])]).code(), "no_items");
    }

    #[test]
    fn fewer_respondents_than_the_minimum_is_too_few_respondents() {
        let items = [ItemSpec::dichotomous("A")];
        let e = err(&items, &[zero_one(&[1])]);
        assert_eq!(e, AnalysisError::TooFewRespondents { n: 1, min: 2 });
        assert_eq!(e.code(), "too_few_respondents");
        let nineteen = vec![zero_one(&[1]); 19];
        assert_eq!(
            prepare(&items, &nineteen, &AnalysisSettings::default()).err(),
            Some(AnalysisError::TooFewRespondents { n: 19, min: 20 })
        );
        // A minimum of 0 in the settings still means 2.
        let zero = AnalysisSettings {
            min_respondents: 0,
            ..small()
        };
        assert_eq!(
            prepare(&items, &[zero_one(&[1])], &zero).err(),
            Some(AnalysisError::TooFewRespondents { n: 1, min: 2 })
        );
    }

    #[test]
    fn responses_that_do_not_fit_their_item_are_invalid_responses() {
        let choice = [ItemSpec::choice("Q1", "b", &["a", "b", "c"])];
        let one = |r: ItemResponse| {
            err(
                &choice,
                &[Person {
                    responses: vec![r],
                    groups: BTreeMap::new(),
                }],
            )
        };
        for (r, says) in [
            (
                ItemResponse::chose("z", 0.0),
                "'z' is not one of the item's options",
            ),
            (
                ItemResponse::chose("a", 1.0),
                "option 'a' is scored 1 but the key is 'b'",
            ),
            (
                ItemResponse::chose("b", 0.0),
                "option 'b' is scored 0 but the key is 'b'",
            ),
            (
                ItemResponse::scored(1.0),
                "the item has options but the response names none",
            ),
            (ItemResponse::chose("b", 2.0), "a 0/1 item scored 2"),
            (
                ItemResponse::chose("b", f64::NAN),
                "the score is not a finite number",
            ),
            (
                ItemResponse {
                    score: None,
                    choice: Some("a".into()),
                },
                "option 'a' is chosen but the response has no score",
            ),
        ] {
            let e = one(r);
            assert_eq!(e.code(), "invalid_responses");
            assert_eq!(e.message(), format!("respondent #1, item 'Q1': {says}"));
        }
        let likert = [ItemSpec::likert("L1", 5)];
        for s in [0.0, 6.0, 2.5] {
            let e = err(
                &likert,
                &[Person {
                    responses: vec![ItemResponse::scored(s)],
                    groups: BTreeMap::new(),
                }],
            );
            assert_eq!(
                e.message(),
                format!(
                    "respondent #1, item 'L1': a Likert item on 5 points scored {s} \
                     (expected a whole number 1…5)"
                )
            );
        }
        let e = err(&likert, &[zero_one(&[3, 4])]);
        assert_eq!(e.message(), "respondent #1 has 2 response(s) for 1 item(s)");
    }

    #[test]
    fn items_that_do_not_make_sense_are_invalid_items() {
        let cases = [
            (
                ItemSpec::choice("Q", "x", &["a", "b"]),
                "the key 'x' of item 'Q' is not one of its options",
            ),
            (
                ItemSpec::choice("Q", "a", &["a", "b", "a"]),
                "option 'a' of item 'Q' appears twice (options[2])",
            ),
            (
                ItemSpec::likert("L", 1),
                "Likert item 'L' needs at least 2 points",
            ),
            (
                ItemSpec {
                    code: "Q".into(),
                    kind: ItemKind::Dichotomous {
                        key: None,
                        options: vec!["a".into()],
                    },
                },
                "item 'Q' has options but no key",
            ),
        ];
        for (item, says) in cases {
            let e = err(&[item], &[]);
            assert_eq!((e.code(), e.message()), ("invalid_items", says.to_owned()));
        }
        let twice = [ItemSpec::dichotomous("A"), ItemSpec::dichotomous("A")];
        assert_eq!(err(&twice, &[]).message(), "item code 'A' appears twice");
    }

    #[test]
    fn settings_out_of_range_are_invalid_settings() {
        let items = [ItemSpec::dichotomous("A")];
        let persons = [zero_one(&[1]), zero_one(&[0])];
        for s in [
            AnalysisSettings {
                extreme_group_fraction: 0.6,
                ..small()
            },
            AnalysisSettings {
                extreme_group_fraction: 0.0,
                ..small()
            },
            AnalysisSettings {
                flags: FlagThresholds {
                    too_easy_above: f64::NAN,
                    ..FlagThresholds::default()
                },
                ..small()
            },
            AnalysisSettings {
                dif: DifSettings {
                    significance: 1.0,
                    ..DifSettings::default()
                },
                ..small()
            },
        ] {
            assert_eq!(
                prepare(&items, &persons, &s).err().map(|e| e.code()),
                Some("invalid_settings")
            );
        }
    }

    #[test]
    fn an_omitted_keyed_item_scores_0_and_an_omitted_likert_item_leaves_the_respondent_out() {
        let items = [ItemSpec::dichotomous("A"), ItemSpec::likert("L", 4)];
        let persons = [
            Person {
                responses: vec![ItemResponse::omitted(), ItemResponse::scored(3.0)],
                groups: BTreeMap::new(),
            },
            Person {
                responses: vec![ItemResponse::scored(1.0), ItemResponse::omitted()],
                groups: BTreeMap::new(),
            },
            zero_one(&[1, 2]),
        ];
        let p = prepare(&items, &persons, &small()).unwrap();
        assert_eq!(p.analysed, [0, 2]);
        assert_eq!(p.scores, [vec![0.0, 1.0], vec![3.0, 2.0]]);
        assert_eq!(p.totals, [3.0, 3.0]);
        assert_eq!((p.given, p.omitted.clone()), (3, vec![1, 1]));
        let listwise = AnalysisSettings {
            missing: MissingPolicy::Listwise,
            ..small()
        };
        assert_eq!(
            prepare(&items, &persons, &listwise).err(),
            Some(AnalysisError::TooFewRespondents { n: 1, min: 2 })
        );
    }

    #[test]
    fn item_specs_read_from_json_with_a_kind_tag() {
        let items: Vec<ItemSpec> = serde_json::from_str(
            r#"[{"code": "Q1", "kind": "dichotomous", "key": "b", "options": ["a", "b"]},
                {"code": "Q2", "kind": "dichotomous"},
                {"code": "L1", "kind": "likert", "points": 5}]"#,
        )
        .unwrap();
        assert_eq!(
            items,
            [
                ItemSpec::choice("Q1", "b", &["a", "b"]),
                ItemSpec::dichotomous("Q2"),
                ItemSpec::likert("L1", 5)
            ]
        );
    }
}

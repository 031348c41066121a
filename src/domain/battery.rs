//! Batteries: an ordered set of timed sections, each delivering one instrument.
use serde::{Deserialize, Serialize};

use super::instrument::is_instrument_code;
use super::irt::cat::CatConfig;
use super::text::Text;
use super::FieldError;

/// Order in which a section presents its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemOrder {
    /// The instrument's order.
    Fixed,
    /// Shuffled per attempt (reproducibly, from the attempt's seed).
    Random,
}

/// How a candidate may move between a section's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Navigation {
    /// Back and forth, changing answers until the section closes.
    Free,
    /// Each item once; no going back.
    ForwardOnly,
}

/// A section as defined by a battery document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDoc {
    /// Code of the instrument delivered.
    pub instrument: String,
    /// Version of that instrument.
    pub version: u32,
    /// Title shown to candidates.
    pub title: Text,
    /// Instructions; the instrument's own when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Text>,
    /// Time limit of the section.
    pub time_limit_seconds: u32,
    /// Item order.
    pub item_order: ItemOrder,
    /// Whether option order is shuffled per attempt.
    pub shuffle_options: bool,
    /// Navigation rule.
    pub navigation: Navigation,
    /// Draw this many scored items at random from the instrument's pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw: Option<u32>,
    /// Makes the section adaptive: items are chosen one at a time over the instrument's
    /// calibrated items with these settings (see [`CatConfig`]; `{}` takes every default). The
    /// section then goes forward only and draws nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adaptive: Option<CatConfig>,
    /// The version of the instrument's item parameters an adaptive section runs on; the version
    /// in use when the battery is created if left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters_version: Option<u32>,
}

/// A battery document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatteryDoc {
    /// Stable code, `A–Z 0–9 -`.
    pub code: String,
    /// Display name.
    pub name: Text,
    /// What the battery is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// The sections in order.
    pub sections: Vec<SectionDoc>,
}

/// Shortest section time limit: thirty seconds.
pub const MIN_SECTION_SECONDS: u32 = 30;
/// Longest section time limit: four hours.
pub const MAX_SECTION_SECONDS: u32 = 4 * 60 * 60;

impl BatteryDoc {
    /// Problems that can be seen without looking up the instruments. `scored_items` tells how many
    /// scored items an instrument version has, or `None` when the organisation has no such active
    /// instrument.
    pub fn validate(&self, scored_items: impl Fn(&str, u32) -> Option<usize>) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if !is_instrument_code(&self.code) {
            errs.push(FieldError::top(
                "code",
                format!(
                    "'{}' is not a valid battery code (2–40 of A–Z 0–9 -)",
                    self.code
                ),
            ));
        }
        for p in self.name.problems() {
            errs.push(FieldError::top("name", p));
        }
        if self.sections.is_empty() {
            errs.push(FieldError::top(
                "sections",
                "a battery needs at least one section",
            ));
        }
        if self.sections.len() > 30 {
            errs.push(FieldError::top(
                "sections",
                "a battery has at most 30 sections",
            ));
        }
        for (i, s) in self.sections.iter().enumerate() {
            let p = format!("sections[{i}]");
            for problem in s.title.problems() {
                errs.push(FieldError::top(format!("{p}.title"), problem));
            }
            if !(MIN_SECTION_SECONDS..=MAX_SECTION_SECONDS).contains(&s.time_limit_seconds) {
                errs.push(FieldError::top(
                    format!("{p}.time_limit_seconds"),
                    format!("must be from {MIN_SECTION_SECONDS} to {MAX_SECTION_SECONDS} seconds"),
                ));
            }
            if s.adaptive.is_some() {
                if s.draw.is_some() {
                    errs.push(FieldError::top(
                        format!("{p}.draw"),
                        "an adaptive section chooses its items itself: leave draw out",
                    ));
                }
                if s.navigation != Navigation::ForwardOnly {
                    errs.push(FieldError::top(
                        format!("{p}.navigation"),
                        "an adaptive section goes forward only: set navigation to forward_only",
                    ));
                }
            } else if s.parameters_version.is_some() {
                errs.push(FieldError::top(
                    format!("{p}.parameters_version"),
                    "only an adaptive section runs on item parameters: add adaptive or leave this out",
                ));
            }
            match scored_items(&s.instrument, s.version) {
                None => errs.push(FieldError::top(
                    format!("{p}.instrument"),
                    format!(
                        "no active instrument {} version {}",
                        s.instrument, s.version
                    ),
                )),
                Some(pool) => {
                    if let Some(n) = s.draw {
                        if n == 0 || n as usize > pool {
                            errs.push(FieldError::top(
                                format!("{p}.draw"),
                                format!(
                                    "must be from 1 to the {pool} scored items of the instrument"
                                ),
                            ));
                        }
                    }
                }
            }
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> BatteryDoc {
        serde_json::from_value(serde_json::json!({
            "code": "ASN-DEMO", "name": {"id": "Demo"},
            "sections": [{"instrument": "NUM-SERIES", "version": 1, "title": {"id": "Numerik"},
                          "time_limit_seconds": 600, "item_order": "fixed", "shuffle_options": true,
                          "navigation": "free", "draw": 5}]
        }))
        .unwrap()
    }

    #[test]
    fn a_battery_of_known_instruments_is_valid() {
        assert_eq!(doc().validate(|_, _| Some(20)), vec![]);
    }

    #[test]
    fn an_unknown_instrument_and_an_oversized_draw_are_named() {
        let errs = doc().validate(|_, _| None);
        assert_eq!(errs[0].field, "sections[0].instrument");
        let errs = doc().validate(|_, _| Some(4));
        assert_eq!(errs[0].field, "sections[0].draw");
    }

    #[test]
    fn an_adaptive_section_goes_forward_only_and_draws_nothing() {
        let mut d = doc();
        d.sections[0].adaptive = Some(serde_json::from_str("{}").unwrap());
        let fields: Vec<String> = d
            .validate(|_, _| Some(20))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["sections[0].draw", "sections[0].navigation"]);
        d.sections[0].draw = None;
        d.sections[0].navigation = Navigation::ForwardOnly;
        assert_eq!(d.validate(|_, _| Some(20)), vec![]);
        d.sections[0].adaptive = None;
        d.sections[0].parameters_version = Some(1);
        assert_eq!(
            d.validate(|_, _| Some(20))[0].field,
            "sections[0].parameters_version"
        );
    }

    #[test]
    fn time_limits_are_bounded() {
        let mut d = doc();
        d.sections[0].time_limit_seconds = 5;
        assert_eq!(
            d.validate(|_, _| Some(20))[0].field,
            "sections[0].time_limit_seconds"
        );
    }
}

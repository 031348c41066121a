//! The settings of an adaptive section, as JSON (every field optional):
//! `{"start_theta": 0, "interim_method": "eap", "final_method": "eap", "quadrature": {"min": -4,
//! "max": 4, "points": 61}, "prior": {"mean": 0, "sd": 1}, "min_items": 5, "max_items": 20,
//! "se_target": 0.30, "content": [{"tag": "verbal", "proportion": 0.5}, …],
//! "exposure": {"kind": "none" | "randomesque", "k": 5 | "sympson_hetter"}}`.
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::pool::Pool;
use super::CatError;
use crate::domain::irt::estimate::{estimate, EstimateError, Method, Prior, Quadrature};

/// How an adaptive section chooses items and when it stops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatConfig {
    /// θ at which the first item is chosen (0).
    #[serde(default)]
    pub start_theta: f64,
    /// How θ is estimated after each answer to choose the next item (EAP: defined for
    /// all-right and all-wrong patterns too). An MLE that does not exist yet (no right or no
    /// wrong answer so far) is replaced by the EAP for that step.
    #[serde(default = "eap")]
    pub interim_method: Method,
    /// How the reported θ and SE are estimated at the end (EAP; an MLE that does not exist is
    /// replaced by the EAP, and the result says which method gave it).
    #[serde(default = "eap")]
    pub final_method: Method,
    /// Quadrature (EAP) and search range (MAP, MLE): −4 … 4 with 61 points.
    #[serde(default)]
    pub quadrature: Quadrature,
    /// Normal prior (EAP, MAP): the standard normal.
    #[serde(default)]
    pub prior: Prior,
    /// The test never stops before this many items (5).
    #[serde(default = "five")]
    pub min_items: usize,
    /// The test stops after this many items (20).
    #[serde(default = "twenty")]
    pub max_items: usize,
    /// The test stops once the interim SE is at or below this (0.30); null: no SE rule (a
    /// fixed-length test of `max_items`).
    #[serde(default = "se_default")]
    pub se_target: Option<f64>,
    /// Content balancing: a target proportion per content tag (summing to 1). Only items
    /// carrying one of these tags are used. None: no content balancing.
    #[serde(default)]
    pub content: Option<Vec<ContentTarget>>,
    /// Exposure control (none).
    #[serde(default)]
    pub exposure: Exposure,
}

/// A content tag's target share of a test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentTarget {
    /// The tag, as the pool's items carry it.
    pub tag: String,
    /// Target proportion, above 0 and at most 1.
    pub proportion: f64,
}

/// Exposure control.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Exposure {
    /// The most informative item, always.
    #[default]
    None,
    /// Randomesque (Kingsbury & Zara 1989): one of the `k` most informative items, uniformly.
    Randomesque {
        /// How many of the most informative items to choose among (≥ 1).
        k: usize,
    },
    /// Sympson–Hetter (1985): go down the items in order of information and give item i with
    /// probability K_i (the pool's `sh_k`, 1 when left out); an item passed over is not used
    /// again for this examinee.
    SympsonHetter,
}

fn eap() -> Method {
    Method::Eap
}

fn five() -> usize {
    5
}

fn twenty() -> usize {
    20
}

fn se_default() -> Option<f64> {
    Some(0.30)
}

impl Default for CatConfig {
    fn default() -> Self {
        Self {
            start_theta: 0.0,
            interim_method: Method::Eap,
            final_method: Method::Eap,
            quadrature: Quadrature::default(),
            prior: Prior::default(),
            min_items: five(),
            max_items: twenty(),
            se_target: se_default(),
            content: None,
            exposure: Exposure::None,
        }
    }
}

impl CatConfig {
    /// Checks the settings and that `pool` can serve them: `invalid_cat_config` for values out
    /// of range (lengths, SE target, start θ outside the quadrature range, estimation settings,
    /// content targets, randomesque k), `pool_too_small` when the pool's usable items (those with
    /// a listed content tag under content balancing, otherwise all) are fewer than `max_items`.
    pub fn validate(&self, pool: &Pool) -> Result<(), CatError> {
        let bad = |m: String| Err(CatError::invalid_config(m));
        if self.min_items < 1 {
            return bad("min_items must be at least 1".into());
        }
        if self.max_items < self.min_items {
            return bad(format!(
                "max_items ({}) must be at least min_items ({})",
                self.max_items, self.min_items
            ));
        }
        if let Some(se) = self.se_target {
            if !(se.is_finite() && se > 0.0) {
                return bad(format!("se_target must be a number above 0, not {se}"));
            }
        }
        if let Some(first) = pool.items().first() {
            // The estimation settings are checked by the estimator itself, on one answer.
            if let Err(EstimateError::Invalid(m)) = estimate(
                &[first.item],
                &[Some(true)],
                pool.d(),
                Method::Eap,
                self.quadrature,
                self.prior,
            ) {
                return bad(m);
            }
        }
        if !(self.start_theta.is_finite()
            && (self.quadrature.min..=self.quadrature.max).contains(&self.start_theta))
        {
            return bad(format!(
                "start_theta must lie in the quadrature range {} … {}, not {}",
                self.quadrature.min, self.quadrature.max, self.start_theta
            ));
        }
        if let Exposure::Randomesque { k: 0 } = self.exposure {
            return bad("randomesque needs k of at least 1".into());
        }
        let usable = match &self.content {
            None => pool.len(),
            Some(targets) => {
                if targets.is_empty() {
                    return bad("content balancing needs at least one tag".into());
                }
                let mut tags = HashSet::new();
                for t in targets {
                    if t.tag.trim().is_empty() || !tags.insert(t.tag.as_str()) {
                        return bad(format!("content tag {:?} is empty or repeated", t.tag));
                    }
                    if !(t.proportion.is_finite() && t.proportion > 0.0 && t.proportion <= 1.0) {
                        return bad(format!(
                            "the proportion of {} must be above 0 and at most 1, not {}",
                            t.tag, t.proportion
                        ));
                    }
                    if !pool
                        .items()
                        .iter()
                        .any(|i| i.content.as_deref() == Some(t.tag.as_str()))
                    {
                        return bad(format!("no item of the pool has the content tag {}", t.tag));
                    }
                }
                let sum: f64 = targets.iter().map(|t| t.proportion).sum();
                if (sum - 1.0).abs() > 1e-6 {
                    return bad(format!("the content proportions sum to {sum}, not 1"));
                }
                pool.items()
                    .iter()
                    .filter(|i| i.content.as_deref().is_some_and(|c| tags.contains(c)))
                    .count()
            }
        };
        if usable < self.max_items {
            return Err(CatError::pool_too_small(format!(
                "the pool has {usable} usable items, fewer than max_items ({})",
                self.max_items
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pool(n: usize) -> Pool {
        let items: Vec<_> = (0..n)
            .map(|k| {
                json!({"id": format!("i{k}"), "b": k as f64 / 10.0,
                       "content": if k % 2 == 0 { "verbal" } else { "numerical" }})
            })
            .collect();
        Pool::from_json(&json!({"model": "2PL", "items": items}).to_string()).unwrap()
    }

    fn config(v: serde_json::Value) -> CatConfig {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn an_empty_config_takes_the_documented_defaults() {
        let c = config(json!({}));
        assert_eq!(c, CatConfig::default());
        assert_eq!((c.min_items, c.max_items, c.se_target), (5, 20, Some(0.30)));
        assert_eq!(c.exposure, Exposure::None);
        assert_eq!(
            config(json!({"exposure": {"kind": "randomesque", "k": 5}, "se_target": null})),
            CatConfig {
                exposure: Exposure::Randomesque { k: 5 },
                se_target: None,
                ..CatConfig::default()
            }
        );
        assert!(serde_json::from_value::<CatConfig>(json!({"max": 3})).is_err());
        assert!(serde_json::from_value::<CatConfig>(
            json!({"exposure": {"kind": "randomesque", "k": 5, "x": 1}})
        )
        .is_err());
    }

    #[test]
    fn a_pool_smaller_than_the_maximum_length_is_too_small() {
        let err = CatConfig::default().validate(&pool(19)).unwrap_err();
        assert_eq!(err.code(), "pool_too_small");
        assert!(CatConfig::default().validate(&pool(20)).is_ok());
        // Under content balancing only the listed tags count: 15 of 30 items are verbal.
        let err = config(json!({"content": [{"tag": "verbal", "proportion": 1.0}]}))
            .validate(&pool(30))
            .unwrap_err();
        assert_eq!(err.code(), "pool_too_small");
        assert!(err.message().contains("15 usable"), "{}", err.message());
    }

    #[test]
    fn settings_out_of_range_are_invalid_cat_config() {
        for (c, words) in [
            (json!({"min_items": 0}), "min_items must be"),
            (json!({"min_items": 8, "max_items": 6}), "max_items (6)"),
            (json!({"se_target": 0}), "se_target"),
            (json!({"start_theta": 5}), "start_theta"),
            (json!({"prior": {"mean": 0, "sd": 0}}), "prior"),
            (
                json!({"quadrature": {"min": 1, "max": -1, "points": 61}}),
                "quadrature",
            ),
            (
                json!({"exposure": {"kind": "randomesque", "k": 0}}),
                "k of at least 1",
            ),
            (json!({"content": []}), "at least one tag"),
            (
                json!({"content": [{"tag": "verbal", "proportion": 0.5},
                                    {"tag": "numerical", "proportion": 0.4}]}),
                "sum to",
            ),
            (
                json!({"content": [{"tag": "verbal", "proportion": 0.5},
                                    {"tag": "verbal", "proportion": 0.5}]}),
                "repeated",
            ),
            (
                json!({"content": [{"tag": "figural", "proportion": 1.0}]}),
                "no item of the pool has the content tag figural",
            ),
        ] {
            let err = config(c.clone()).validate(&pool(40)).unwrap_err();
            assert_eq!(err.code(), "invalid_cat_config", "{c}");
            assert!(err.message().contains(words), "{c}: {}", err.message());
        }
    }
}

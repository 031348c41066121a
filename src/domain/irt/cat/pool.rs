//! An item pool for adaptive testing and its file format:
//! `{"model": "1PL"|"2PL"|"3PL", "D": 1.702, "items": [{"id": "i001", "a": 1.1, "b": 0.2,
//! "c": 0, "content": "verbal", "sh_k": 1.0}, …]}`. `D` is optional (1.702); per item `a` is
//! optional (1), `c` optional (0; only the 3PL may have another), `content` optional (the content
//! tag used by content balancing) and `sh_k` optional (the Sympson–Hetter exposure parameter
//! K_i in [0, 1], 1 when left out). Ids must be unique and not empty.
//!
//! [`generate_pool`] makes a synthetic pool from a seed (for simulations, the README's figures
//! and the demo).
use std::collections::HashSet;

use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::CatError;
use crate::domain::irt::draw;
use crate::domain::irt::{items_of, Item, ItemParams, Model, DEFAULT_D};

/// A pool file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolFile {
    /// The model of every item.
    pub model: Model,
    /// The scaling constant (1.702 when left out).
    #[serde(rename = "D", default, skip_serializing_if = "Option::is_none")]
    pub d: Option<f64>,
    /// The items.
    pub items: Vec<PoolItemFile>,
}

/// One item of a pool file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolItemFile {
    /// The item's id in the bank.
    pub id: String,
    /// Discrimination (1 when left out).
    #[serde(default = "one")]
    pub a: f64,
    /// Difficulty.
    pub b: f64,
    /// Lower asymptote (0 when left out).
    #[serde(default)]
    pub c: f64,
    /// Content tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Sympson–Hetter exposure parameter K_i.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sh_k: Option<f64>,
}

fn one() -> f64 {
    1.0
}

/// One checked item of a pool.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolItem {
    /// The item's id in the bank.
    pub id: String,
    /// Its parameters as given.
    pub params: ItemParams,
    /// The checked item.
    pub item: Item,
    /// Content tag.
    pub content: Option<String>,
    /// Sympson–Hetter exposure parameter K_i in [0, 1] (None: 1).
    pub sh_k: Option<f64>,
}

/// A checked pool: items that fit their model, unique ids, exposure parameters in [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    model: Model,
    d: f64,
    items: Vec<PoolItem>,
}

impl Pool {
    /// Checks a pool file.
    pub fn parse(file: PoolFile) -> Result<Self, CatError> {
        let d = file.d.unwrap_or(DEFAULT_D);
        if !(d.is_finite() && d > 0.0) {
            return Err(CatError::invalid_pool("D must be a number above 0"));
        }
        if file.items.is_empty() {
            return Err(CatError::invalid_pool("the pool has no items"));
        }
        let params: Vec<ItemParams> = file
            .items
            .iter()
            .map(|i| ItemParams {
                a: i.a,
                b: i.b,
                c: i.c,
            })
            .collect();
        let checked = items_of(file.model, &params).map_err(CatError::invalid_pool)?;
        let mut ids = HashSet::new();
        let mut items = Vec::with_capacity(file.items.len());
        for (k, (f, item)) in file.items.into_iter().zip(checked).enumerate() {
            if f.id.trim().is_empty() {
                return Err(CatError::invalid_pool(format!(
                    "items[{k}]: the id is empty"
                )));
            }
            if !ids.insert(f.id.clone()) {
                return Err(CatError::invalid_pool(format!(
                    "items[{k}]: the id {} is used twice",
                    f.id
                )));
            }
            if let Some(k_i) = f.sh_k {
                if !(k_i.is_finite() && (0.0..=1.0).contains(&k_i)) {
                    return Err(CatError::invalid_pool(format!(
                        "items[{k}]: sh_k must be from 0 to 1, not {k_i}"
                    )));
                }
            }
            if matches!(&f.content, Some(t) if t.trim().is_empty()) {
                return Err(CatError::invalid_pool(format!(
                    "items[{k}]: the content tag is empty (leave it out instead)"
                )));
            }
            items.push(PoolItem {
                id: f.id,
                params: ItemParams {
                    a: f.a,
                    b: f.b,
                    c: f.c,
                },
                item,
                content: f.content,
                sh_k: f.sh_k,
            });
        }
        Ok(Self {
            model: file.model,
            d,
            items,
        })
    }

    /// Parses and checks a pool from JSON text.
    pub fn from_json(text: &str) -> Result<Self, CatError> {
        let file: PoolFile = serde_json::from_str(text)
            .map_err(|e| CatError::invalid_pool(format!("not a pool file: {e}")))?;
        Self::parse(file)
    }

    /// The pool as a file (`D` always written).
    pub fn to_file(&self) -> PoolFile {
        PoolFile {
            model: self.model,
            d: Some(self.d),
            items: self
                .items
                .iter()
                .map(|i| PoolItemFile {
                    id: i.id.clone(),
                    a: i.params.a,
                    b: i.params.b,
                    c: i.params.c,
                    content: i.content.clone(),
                    sh_k: i.sh_k,
                })
                .collect(),
        }
    }

    /// The model of every item.
    pub fn model(&self) -> Model {
        self.model
    }

    /// The scaling constant.
    pub fn d(&self) -> f64 {
        self.d
    }

    /// The items, in pool order (an item's index is its place here).
    pub fn items(&self) -> &[PoolItem] {
        &self.items
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the pool is empty (never, for a parsed pool).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether every item carries a Sympson–Hetter parameter.
    pub fn has_sh_k(&self) -> bool {
        self.items.iter().all(|i| i.sh_k.is_some())
    }

    /// K_i of item `index`: its `sh_k`, or 1.
    pub fn sh_k(&self, index: usize) -> f64 {
        self.items.get(index).and_then(|i| i.sh_k).unwrap_or(1.0)
    }

    /// The same pool with the Sympson–Hetter parameters `k` (one per item, each in [0, 1]).
    pub fn with_sh_k(&self, k: &[f64]) -> Result<Self, CatError> {
        if k.len() != self.items.len() {
            return Err(CatError::invalid_pool(format!(
                "{} exposure parameters for {} items",
                k.len(),
                self.items.len()
            )));
        }
        if let Some(bad) = k
            .iter()
            .find(|k| !(k.is_finite() && (0.0..=1.0).contains(*k)))
        {
            return Err(CatError::invalid_pool(format!(
                "sh_k must be from 0 to 1, not {bad}"
            )));
        }
        let mut out = self.clone();
        for (item, k) in out.items.iter_mut().zip(k) {
            item.sh_k = Some(*k);
        }
        Ok(out)
    }
}

/// What [`generate_pool`] makes.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolSpec {
    /// Number of items (1–100,000).
    pub items: usize,
    /// Their model.
    pub model: Model,
    /// Scaling constant.
    pub d: f64,
    /// Content tags given in turn to the items (item k gets tag k mod n); none: no tags.
    pub tags: Vec<String>,
}

/// A synthetic pool, drawn from `rng` (simulated parameters, not a calibration):
/// - b ~ N(0, 1);
/// - a = exp(z), z ~ N(0, 0.25²) (log-normal with median 1; about 95 % of items between 0.61
///   and 1.63) for the 2PL and 3PL, a = 1 for the 1PL;
/// - c ~ U(0.05, 0.25) for the 3PL, 0 otherwise;
///
/// each rounded to 4 decimals, so the pool written to a file is the pool simulated. Ids are
/// `i001`, `i002`, … (zero-padded to the pool's size), content tags given in turn from
/// `spec.tags`, no exposure parameters. Normal draws by Box–Muller from the generator's raw
/// words: b then z (then c) per item, in pool order.
pub fn generate_pool<R: RngCore + ?Sized>(spec: &PoolSpec, rng: &mut R) -> Result<Pool, CatError> {
    if !(1..=100_000).contains(&spec.items) {
        return Err(CatError::invalid_pool(
            "a generated pool has 1 to 100000 items",
        ));
    }
    if spec.tags.iter().any(|t| t.trim().is_empty()) {
        return Err(CatError::invalid_pool("a content tag is empty"));
    }
    let round4 = |x: f64| (x * 1e4).round() / 1e4;
    let width = spec.items.to_string().len().max(3);
    let items = (0..spec.items)
        .map(|k| {
            let b = round4(draw::normal(rng));
            let a = match spec.model {
                Model::OnePl => 1.0,
                Model::TwoPl | Model::ThreePl => round4((0.25 * draw::normal(rng)).exp()),
            };
            let c = match spec.model {
                Model::ThreePl => round4(0.05 + 0.2 * draw::uniform(rng)),
                Model::OnePl | Model::TwoPl => 0.0,
            };
            PoolItemFile {
                id: format!("i{:0width$}", k + 1),
                a,
                b,
                c,
                content: (!spec.tags.is_empty()).then(|| spec.tags[k % spec.tags.len()].clone()),
                sh_k: None,
            }
        })
        .collect();
    Pool::parse(PoolFile {
        model: spec.model,
        d: Some(spec.d),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use serde_json::json;

    fn parse(v: serde_json::Value) -> Result<Pool, CatError> {
        Pool::from_json(&v.to_string())
    }

    #[test]
    fn a_pool_file_with_only_ids_and_difficulties_takes_the_defaults() {
        let pool = parse(json!({"model": "2PL", "items": [{"id": "x", "b": 0.5}]})).unwrap();
        assert_eq!(pool.d(), DEFAULT_D);
        assert_eq!(pool.items()[0].params.a, 1.0);
        assert_eq!(pool.sh_k(0), 1.0);
        assert!(!pool.has_sh_k());
    }

    #[test]
    fn bad_pools_are_refused_with_invalid_pool_and_the_place() {
        for (doc, words) in [
            (
                json!({"model": "2PL", "items": [{"id": "x", "a": -1.0, "b": 0.0}]}),
                "items[0]: a must be",
            ),
            (json!({"model": "2PL", "items": []}), "no items"),
            (
                json!({"model": "2PL", "items": [{"id": "x", "b": 0}, {"id": "x", "b": 1}]}),
                "items[1]: the id x is used twice",
            ),
            (
                json!({"model": "2PL", "items": [{"id": "x", "b": 0, "sh_k": 1.5}]}),
                "sh_k must be from 0 to 1",
            ),
            (
                json!({"model": "2PL", "items": [{"id": "", "b": 0}]}),
                "the id is empty",
            ),
            (
                json!({"model": "2PL", "D": 0, "items": [{"id": "x", "b": 0}]}),
                "D must be",
            ),
            (
                json!({"model": "2PL", "items": [{"id": "x", "b": 0, "guess": 0.2}]}),
                "unknown field",
            ),
        ] {
            let err = parse(doc).unwrap_err();
            assert_eq!(err.code(), "invalid_pool");
            assert!(err.message().contains(words), "{}", err.message());
        }
    }

    #[test]
    fn a_pool_written_back_parses_to_the_same_pool() {
        let pool = parse(json!({"model": "3PL", "D": 1.7, "items": [
            {"id": "x", "a": 1.2, "b": -0.4, "c": 0.2, "content": "verbal", "sh_k": 0.25}]}))
        .unwrap();
        let text = serde_json::to_string(&pool.to_file()).unwrap();
        assert_eq!(Pool::from_json(&text).unwrap(), pool);
    }

    #[test]
    fn a_generated_pool_is_the_same_for_the_same_seed_and_follows_its_distributions() {
        let spec = PoolSpec {
            items: 2000,
            model: Model::TwoPl,
            d: DEFAULT_D,
            tags: vec!["verbal".into(), "numerical".into()],
        };
        let one = generate_pool(&spec, &mut ChaCha8Rng::seed_from_u64(9)).unwrap();
        let two = generate_pool(&spec, &mut ChaCha8Rng::seed_from_u64(9)).unwrap();
        assert_eq!(one, two);
        assert_eq!(one.items()[0].id, "i0001");
        assert_eq!(one.items()[1].content.as_deref(), Some("numerical"));
        let n = 2000.0;
        let mean_b = one.items().iter().map(|i| i.params.b).sum::<f64>() / n;
        let mean_log_a = one.items().iter().map(|i| i.params.a.ln()).sum::<f64>() / n;
        let sd_log_a = (one
            .items()
            .iter()
            .map(|i| (i.params.a.ln() - mean_log_a).powi(2))
            .sum::<f64>()
            / n)
            .sqrt();
        // Standard errors: 1/√2000 = 0.022 for mean b; 0.25/√2000 = 0.0056 for mean ln a.
        assert!(mean_b.abs() < 0.07, "{mean_b}");
        assert!(mean_log_a.abs() < 0.02, "{mean_log_a}");
        assert!((sd_log_a - 0.25).abs() < 0.015, "{sd_log_a}");
        let three = generate_pool(
            &PoolSpec {
                model: Model::ThreePl,
                ..spec
            },
            &mut ChaCha8Rng::seed_from_u64(9),
        )
        .unwrap();
        assert!(three
            .items()
            .iter()
            .all(|i| (0.05..=0.25).contains(&i.params.c)));
    }
}

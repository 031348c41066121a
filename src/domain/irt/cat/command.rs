//! What `meritest cat simulate` and `meritest cat pool` compute, apart from reading and writing
//! files: the command-line values parsed into a [`CatConfig`], the Sympson–Hetter parameters
//! derived or read, the simulation run, and its JSON report.
//!
//! Seeds: the simulation draws from ChaCha8 seeded with the given seed on stream 0, the
//! Sympson–Hetter derivation on stream 1, so a pool written with `--write-sh` and simulated again
//! with the same seed gives the same figures as the run that derived it.
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use super::config::{CatConfig, ContentTarget, Exposure};
use super::pool::{generate_pool, Pool, PoolSpec};
use super::simulate::simulate;
use super::sympson_hetter::derive_sympson_hetter;
use super::{CatError, RULE_VERSION};
use crate::domain::irt::Model;

/// The options of `meritest cat simulate`, as given (None: the configuration's value).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimulateOptions {
    /// Number of simulees.
    pub simulees: usize,
    /// Seed of the generators.
    pub seed: u64,
    /// Base configuration (the defaults when None).
    pub base: Option<CatConfig>,
    /// `--min-items`.
    pub min_items: Option<usize>,
    /// `--max-items`.
    pub max_items: Option<usize>,
    /// `--se`: a number, or `none` for no SE rule.
    pub se: Option<String>,
    /// `--start-theta`.
    pub start_theta: Option<f64>,
    /// `--exposure`: `none`, `randomesque:K` or `sh`.
    pub exposure: Option<String>,
    /// `--content`: `TAG=P,TAG=P`.
    pub content: Option<String>,
    /// `--sh-rate`: the Sympson–Hetter target rate r.
    pub sh_rate: f64,
    /// `--sh-rounds`: derivation rounds (10 when deriving and not given). Given with a pool
    /// whose items all carry `sh_k`, the parameters are derived again.
    pub sh_rounds: Option<usize>,
}

/// The report, and the pool with the derived parameters when they were derived.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulateOutput {
    /// The JSON report.
    pub report: Value,
    /// The pool with Sympson–Hetter parameters (derived or read), under `--exposure sh`.
    pub pool_with_sh: Option<Pool>,
}

/// Parses `--exposure`: `none`, `randomesque:K` (K ≥ 1) or `sh` (also `sympson_hetter`).
pub fn parse_exposure(text: &str) -> Result<Exposure, CatError> {
    let bad = || {
        CatError::invalid_config(format!(
            "--exposure takes none, randomesque:K or sh, not {text:?}"
        ))
    };
    match text.trim() {
        "none" => Ok(Exposure::None),
        "sh" | "sympson_hetter" => Ok(Exposure::SympsonHetter),
        other => {
            let k = other.strip_prefix("randomesque:").ok_or_else(bad)?;
            let k: usize = k.trim().parse().map_err(|_| bad())?;
            Ok(Exposure::Randomesque { k })
        }
    }
}

/// Parses `--content`: `TAG=P,TAG=P,…`.
pub fn parse_content(text: &str) -> Result<Vec<ContentTarget>, CatError> {
    text.split(',')
        .map(|part| {
            let (tag, p) = part.split_once('=').ok_or_else(|| {
                CatError::invalid_config(format!("--content takes TAG=P,TAG=P, not {part:?}"))
            })?;
            let proportion: f64 = p.trim().parse().map_err(|_| {
                CatError::invalid_config(format!("the proportion of {tag} is not a number: {p:?}"))
            })?;
            Ok(ContentTarget {
                tag: tag.trim().to_owned(),
                proportion,
            })
        })
        .collect()
}

/// Parses `--model`: `1PL`, `2PL` or `3PL`.
pub fn parse_model(text: &str) -> Result<Model, CatError> {
    serde_json::from_value(Value::String(text.trim().to_uppercase()))
        .map_err(|_| CatError::invalid_pool(format!("--model takes 1PL, 2PL or 3PL, not {text:?}")))
}

/// The configuration the options describe.
pub fn config_of(opts: &SimulateOptions) -> Result<CatConfig, CatError> {
    let mut c = opts.base.clone().unwrap_or_default();
    if let Some(m) = opts.min_items {
        c.min_items = m;
    }
    if let Some(m) = opts.max_items {
        c.max_items = m;
    }
    if let Some(se) = &opts.se {
        c.se_target = match se.trim() {
            "none" => None,
            number => Some(number.parse().map_err(|_| {
                CatError::invalid_config(format!("--se takes a number or none, not {se:?}"))
            })?),
        };
    }
    if let Some(t) = opts.start_theta {
        c.start_theta = t;
    }
    if let Some(e) = &opts.exposure {
        c.exposure = parse_exposure(e)?;
    }
    if let Some(content) = &opts.content {
        c.content = Some(parse_content(content)?);
    }
    Ok(c)
}

/// Runs the simulation the options describe over `pool`.
pub fn run_simulate(pool: &Pool, opts: &SimulateOptions) -> Result<SimulateOutput, CatError> {
    let config = config_of(opts)?;
    config.validate(pool)?;
    let mut pool = pool.clone();
    let mut sh_report = Value::Null;
    if config.exposure == Exposure::SympsonHetter {
        if pool.has_sh_k() && opts.sh_rounds.is_none() {
            sh_report = json!({"source": "pool",
                "items_limited": (0..pool.len()).filter(|&i| pool.sh_k(i) < 1.0).count()});
        } else {
            let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
            rng.set_stream(1);
            let derived = derive_sympson_hetter(
                &pool,
                &config,
                opts.sh_rate,
                opts.sh_rounds.unwrap_or(10),
                opts.simulees,
                &mut rng,
            )?;
            pool = pool.with_sh_k(&derived.k)?;
            sh_report = json!({"source": "derived", "rate": derived.rate,
                "rounds": derived.max_exposure_by_round.len(),
                "simulees_per_round": derived.simulees,
                "max_exposure_by_round": derived.max_exposure_by_round,
                "items_limited": derived.items_limited});
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    rng.set_stream(0);
    let sim = simulate(&pool, &config, opts.simulees, &mut rng)?;
    let mut report = json!({
        "pool": {"items": pool.len(), "model": pool.model(), "D": pool.d()},
        "seed": opts.seed,
        "config": config,
        "rule_version": RULE_VERSION,
    });
    if let (Value::Object(out), Ok(Value::Object(figures))) =
        (&mut report, serde_json::to_value(&sim))
    {
        out.extend(figures);
        if !sh_report.is_null() {
            out.insert("sympson_hetter".into(), sh_report);
        }
    }
    Ok(SimulateOutput {
        report,
        pool_with_sh: (config.exposure == Exposure::SympsonHetter).then_some(pool),
    })
}

/// The synthetic pool of `meritest cat pool`, drawn from ChaCha8 seeded with `seed`.
pub fn run_pool(
    items: usize,
    model: Model,
    d: f64,
    tags: Vec<String>,
    seed: u64,
) -> Result<Pool, CatError> {
    generate_pool(
        &PoolSpec {
            items,
            model,
            d,
            tags,
        },
        &mut ChaCha8Rng::seed_from_u64(seed),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::irt::DEFAULT_D;

    #[test]
    fn the_command_line_values_are_parsed_or_refused_with_invalid_cat_config() {
        assert_eq!(
            parse_exposure("randomesque:5").unwrap(),
            Exposure::Randomesque { k: 5 }
        );
        assert_eq!(parse_exposure("sh").unwrap(), Exposure::SympsonHetter);
        assert_eq!(parse_exposure("none").unwrap(), Exposure::None);
        for bad in ["randomesque", "randomesque:x", "sh:3", ""] {
            assert_eq!(
                parse_exposure(bad).unwrap_err().code(),
                "invalid_cat_config"
            );
        }
        assert_eq!(
            parse_content("verbal=0.6, numerical=0.4").unwrap(),
            vec![
                ContentTarget {
                    tag: "verbal".into(),
                    proportion: 0.6
                },
                ContentTarget {
                    tag: "numerical".into(),
                    proportion: 0.4
                }
            ]
        );
        assert!(parse_content("verbal").is_err());
        assert!(parse_content("verbal=lots").is_err());
        assert_eq!(parse_model("2pl").unwrap(), Model::TwoPl);
        assert_eq!(parse_model("4PL").unwrap_err().code(), "invalid_pool");
        let c = config_of(&SimulateOptions {
            se: Some("none".into()),
            max_items: Some(12),
            ..SimulateOptions::default()
        })
        .unwrap();
        assert_eq!((c.se_target, c.max_items, c.min_items), (None, 12, 5));
    }

    #[test]
    fn a_pool_written_with_derived_parameters_simulates_to_the_same_figures() {
        let pool = run_pool(80, Model::TwoPl, DEFAULT_D, vec![], 3).unwrap();
        let opts = SimulateOptions {
            simulees: 100,
            seed: 8,
            max_items: Some(10),
            exposure: Some("sh".into()),
            sh_rate: 0.3,
            sh_rounds: Some(3),
            ..SimulateOptions::default()
        };
        let first = run_simulate(&pool, &opts).unwrap();
        assert_eq!(first.report["sympson_hetter"]["source"], "derived");
        let written = first.pool_with_sh.unwrap();
        assert!(written.has_sh_k());
        let again = run_simulate(
            &written,
            &SimulateOptions {
                sh_rounds: None,
                ..opts
            },
        )
        .unwrap();
        assert_eq!(again.report["sympson_hetter"]["source"], "pool");
        for key in [
            "rmse",
            "bias",
            "mean_length",
            "max_exposure",
            "overlap_rate",
        ] {
            assert_eq!(first.report[key], again.report[key], "{key}");
        }
    }
}

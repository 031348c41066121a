//! Computerised adaptive testing (issue 14, items 3 and 4): a pool of calibrated items
//! ([`pool`]), the rule that chooses the next item or stops ([`select`], configured by
//! [`config::CatConfig`]), the derivation of Sympson–Hetter exposure parameters
//! ([`sympson_hetter`]) and the simulation that designs and checks a CAT ([`mod@simulate`]).
//!
//! Everything here is pure: the randomness (randomesque choice, the Sympson–Hetter lottery,
//! simulated abilities and answers) comes from a generator passed in, and only its raw 64-bit
//! words are used, so a seed gives the same decisions on every node and in every later version.
use std::fmt;

pub mod command;
pub mod config;
pub mod pool;
pub mod select;
pub mod simulate;
pub mod sympson_hetter;

pub use config::{CatConfig, ContentTarget, Exposure};
pub use pool::{generate_pool, Pool, PoolFile, PoolItem, PoolItemFile, PoolSpec};
pub use select::{finish, next, CatResult, Decision, Given, History, StopReason};
pub use simulate::{simulate, Simulation, ThetaBand};
pub use sympson_hetter::{derive_sympson_hetter, ShDerivation};

/// The version of the selection and stopping rule in this module. A stored adaptive result
/// records it, so a result can be traced to the rule that chose its items; change it whenever a
/// change here would choose a different item or stop at a different point for the same inputs.
pub const RULE_VERSION: &str = "meritest.cat.v1";

/// Why a pool, a configuration or a history cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatError {
    code: &'static str,
    message: String,
}

impl CatError {
    /// A pool file that does not parse or whose items do not fit their model.
    pub fn invalid_pool(message: impl Into<String>) -> Self {
        Self {
            code: "invalid_pool",
            message: message.into(),
        }
    }

    /// A configuration whose values are out of range or do not fit the pool.
    pub fn invalid_config(message: impl Into<String>) -> Self {
        Self {
            code: "invalid_cat_config",
            message: message.into(),
        }
    }

    /// A pool with fewer usable items than the test's maximum length.
    pub fn pool_too_small(message: impl Into<String>) -> Self {
        Self {
            code: "pool_too_small",
            message: message.into(),
        }
    }

    /// An administered sequence that does not belong to the pool (an index out of range, an item
    /// given twice).
    pub fn invalid_history(message: impl Into<String>) -> Self {
        Self {
            code: "invalid_cat_history",
            message: message.into(),
        }
    }

    /// Simulation settings out of range (number of simulees, target rate, rounds).
    pub fn invalid_simulation(message: impl Into<String>) -> Self {
        Self {
            code: "invalid_simulation",
            message: message.into(),
        }
    }

    /// The stable snake_case code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// What is wrong, for a person.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for CatError {}

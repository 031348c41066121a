//! meritest: online psychometric test delivery for mass civil-servant competency assessment.
//!
//! Layers, dependencies pointing down only: `routes` (HTTP) → `services` (use cases) → `domain`
//! (pure rules) and `store` (database and live store). `startup` wires them; `cli` is the binary.
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod routes;
pub mod services;
pub mod startup;
pub mod store;
pub mod telemetry;

//! meritest: online psychometric test delivery for mass civil-servant competency assessment.
//!
//! Layers, dependencies pointing down only: `routes` (HTTP) → `services` (use cases) → `store`
//! (database and live store) → `domain` (pure rules, no I/O). Routes never reach the store, the
//! domain uses nothing outside itself, and services use each other without a circle: the
//! architecture test (`tests/api/architecture.rs`) reads `src/` and holds all three. Services and
//! stores take the time from the `clock` in the application context. `startup` wires everything;
//! `cli` is the binary.
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

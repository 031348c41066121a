//! Use cases and their transaction boundaries. Routes call these; these call the store and the
//! domain. Nothing here knows HTTP beyond the shared error table.
pub mod accounts;
pub mod auth;
pub mod batteries;
pub mod bootstrap;
pub mod campaigns;
pub mod demo;
pub mod enrolment;
pub mod instruments;
pub mod ops;
pub mod passwords;
pub mod tokens;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::store::live::LiveStore;

/// What every use case may reach: the database, the live store, token keys, settings.
#[derive(Clone)]
pub struct AppContext {
    /// The system of record.
    pub db: DatabaseConnection,
    /// Shared short-lived state.
    pub live: Arc<dyn LiveStore>,
    /// Staff token signing and verification.
    pub tokens: Arc<tokens::TokenKeys>,
    /// Configuration in force.
    pub settings: Arc<Settings>,
}

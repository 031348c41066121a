//! Database schema of meritest, applied at start-up and by `meritest migrate`.
//!
//! Every migration creates the same schema on SQLite and PostgreSQL; column types come from
//! sea-query's portable helpers (UUIDs, JSON, timestamps with time zone).
pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_organisations_and_accounts;
mod m20261122_000002_create_item_bank;
mod m20261122_000003_create_batteries;
mod m20261122_000004_create_norm_tables;
mod m20261122_000005_create_audit_log;
mod m20261122_000006_create_campaigns;
mod m20261122_000007_create_attempts;
mod m20261122_000008_create_attempt_events;
mod m20261122_000009_add_live_proctoring;
mod m20261130_000010_create_revoked_tokens;
mod m20261130_000011_email_unique_per_organisation;
mod m20261130_000012_campaign_candidate_settings;
mod m20261130_000013_create_competency_frameworks;
mod m20261130_000014_create_job_standards;
mod m20261130_000015_create_performance_records;
mod m20261130_000016_create_competency_rules;
mod m20261130_000017_create_competency_overrides;
mod m20261130_000018_create_campaign_rule_pins;
mod m20261130_000019_create_assessment_centre;
mod m20261130_000020_create_reports;
mod m20261130_000021_create_item_parameter_sets;
mod m20261130_000022_norm_table_versions;
mod m20261201_000023_adaptive_sections;
mod m20261201_000024_attempts_by_status;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_organisations_and_accounts::Migration),
            Box::new(m20261122_000002_create_item_bank::Migration),
            Box::new(m20261122_000003_create_batteries::Migration),
            Box::new(m20261122_000004_create_norm_tables::Migration),
            Box::new(m20261122_000005_create_audit_log::Migration),
            Box::new(m20261122_000006_create_campaigns::Migration),
            Box::new(m20261122_000007_create_attempts::Migration),
            Box::new(m20261122_000008_create_attempt_events::Migration),
            Box::new(m20261122_000009_add_live_proctoring::Migration),
            Box::new(m20261130_000010_create_revoked_tokens::Migration),
            Box::new(m20261130_000011_email_unique_per_organisation::Migration),
            Box::new(m20261130_000012_campaign_candidate_settings::Migration),
            Box::new(m20261130_000013_create_competency_frameworks::Migration),
            Box::new(m20261130_000014_create_job_standards::Migration),
            Box::new(m20261130_000015_create_performance_records::Migration),
            Box::new(m20261130_000016_create_competency_rules::Migration),
            Box::new(m20261130_000017_create_competency_overrides::Migration),
            Box::new(m20261130_000018_create_campaign_rule_pins::Migration),
            Box::new(m20261130_000019_create_assessment_centre::Migration),
            Box::new(m20261130_000020_create_reports::Migration),
            Box::new(m20261130_000021_create_item_parameter_sets::Migration),
            Box::new(m20261130_000022_norm_table_versions::Migration),
            Box::new(m20261201_000023_adaptive_sections::Migration),
            Box::new(m20261201_000024_attempts_by_status::Migration),
        ]
    }
}

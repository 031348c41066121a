//! Integration tests: a real server on port 0, one database and one key prefix per test.
//!
//! Backends come from the environment: with `MERITEST_TEST_POSTGRES_URL` each test gets its own
//! PostgreSQL database (else a SQLite file), with `MERITEST_TEST_REDIS_URL` the Redis live store
//! (else the in-process one). `tests/run-all.sh` runs the suite both ways.
mod helpers;

mod access_codes;
mod accounts;
mod adaptive;
mod architecture;
mod assessment_centre;
mod auth;
mod batteries;
mod calibration;
mod campaign_edit;
mod campaigns;
mod candidate_settings;
mod cli;
mod competencies;
mod competency_exports;
mod competency_history;
mod competency_listing;
mod competency_results;
mod competency_rules;
mod concurrency;
mod consistency;
mod delivery;
mod demo;
mod demo_results;
mod discipline;
mod enrolment;
mod errors;
mod finishing;
mod instruments;
mod item_analysis;
mod item_parameters;
mod job_standards;
mod live_store;
mod migrations;
mod norm_building;
mod openapi;
mod operations;
mod outage;
mod pages;
mod performance;
mod practice;
mod proctoring;
mod reports;
mod results_workbook;
mod revocations;
mod sign_in_limits;
mod tenancy;
mod timeline;

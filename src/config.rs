//! Layered configuration: built-in defaults → optional `meritest.toml` → `MERITEST__…` environment
//! variables (e.g. `MERITEST__DATABASE__URL`, `MERITEST__SERVER__PORT`). Secrets are wrapped so that
//! neither `Debug` nor logs ever show them.
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Everything the server can be told.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Folder for the embedded database and the generated signing secret.
    pub data_dir: PathBuf,
    /// The HTTP listener.
    pub server: ServerSettings,
    /// The system-of-record database.
    pub database: DatabaseSettings,
    /// The live store (Redis or in-process).
    pub live: LiveSettings,
    /// Staff tokens and sign-in protection.
    pub auth: AuthSettings,
    /// Test delivery: deadlines and the answer writer.
    pub delivery: DeliverySettings,
    /// Live proctoring: the session monitor's feed and synchronised starts.
    pub proctoring: ProctoringSettings,
    /// What to create on the first start of an empty database.
    pub bootstrap: BootstrapSettings,
    /// Log output.
    pub log: LogSettings,
}

/// The HTTP listener.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    /// Address to bind.
    pub host: String,
    /// Port to bind; 0 picks a free one (tests).
    pub port: u16,
    /// Worker threads; defaults to the number of cores.
    pub workers: Option<usize>,
    /// Largest accepted JSON body, in bytes.
    pub json_limit_bytes: usize,
    /// Seconds in-flight requests get to finish on shutdown.
    pub shutdown_timeout_seconds: u64,
    /// On SIGTERM, seconds the node keeps serving while `/ready` says it is stopping, so a
    /// balancer's health check takes it out of rotation before its streams end and it stops
    /// (Ctrl-C, or a second signal, skips the wait).
    pub drain_seconds: u64,
    /// How many proxies of your own stand in front of the node: the client address is then read
    /// that many entries from the right of `X-Forwarded-For` (entries further left are whatever
    /// the client wrote). 0: the socket's peer address.
    pub trusted_proxies: u32,
    /// Older switch for one trusted proxy (`trusted_proxies = 1`).
    pub behind_proxy: bool,
}

/// The system-of-record database.
#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `postgres://…` or `sqlite://…`; defaults to a SQLite file in the data folder.
    pub url: Option<SecretString>,
    /// Connection pool size.
    pub max_connections: u32,
    /// Seconds to wait for a pooled connection.
    pub acquire_timeout_seconds: u64,
    /// Milliseconds a write waits for a lock another request holds (SQLite's busy timeout,
    /// PostgreSQL's `lock_timeout`) before the request is answered 503 `database_busy`.
    pub busy_timeout_ms: u64,
}

/// The live store.
#[derive(Debug, Clone, Deserialize)]
pub struct LiveSettings {
    /// `redis://…`; without it the in-process store is used (one node only).
    pub redis_url: Option<SecretString>,
    /// Prefix of every key, so several deployments or tests can share one Redis.
    pub key_prefix: String,
    /// How long one call may take before the live store is taken as failing (milliseconds).
    pub call_timeout_ms: u64,
    /// After a failure, how long every call fails at once (and requests are answered from the
    /// database alone) before the live store is tried again (milliseconds).
    pub retry_after_ms: u64,
}

/// Staff tokens and sign-in protection.
#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    /// HS256 signing secret; generated once into the data folder when not set.
    pub secret: Option<SecretString>,
    /// Key of the access codes' stored digests (HMAC-SHA256), apart from the signing secret so
    /// that rotating one does not kill the other; generated once into the data folder when not
    /// set.
    pub access_code_key: Option<SecretString>,
    /// Lifetime of a staff token.
    pub token_ttl_minutes: i64,
    /// Lifetime of a candidate token (one sitting of a battery, with room to spare).
    pub candidate_token_ttl_minutes: i64,
    /// `iss` claim.
    pub issuer: String,
    /// `aud` claim of staff tokens.
    pub audience: String,
    /// Length of the sign-in limits' window, in seconds.
    pub login_window_seconds: u64,
    /// Staff: sign-in attempts allowed per client address per window (any e-mail address).
    pub login_attempts_per_address: u64,
    /// Staff: wrong passwords from one client address for one e-mail address before that client
    /// must wait between attempts for it (1 s, doubling with each further failure).
    pub login_backoff_after: u64,
    /// Staff: the longest wait the back-off imposes, in seconds.
    pub login_backoff_max_seconds: u64,
    /// Staff: wrong passwords for one e-mail address from anywhere per window; past it, only
    /// client addresses that have signed in to that account before may try.
    pub login_failures_per_account: u64,
    /// Candidates: sign-in attempts allowed per client address per window (a whole test centre
    /// behind one address signs in from it).
    pub candidate_attempts_per_address: u64,
    /// Candidates: failed sign-ins with one access code per window; past it, the code is refused
    /// until the window ends (a successful sign-in clears the count).
    pub candidate_failures_per_code: u64,
    /// Candidates: failed sign-ins (right code, wrong NIP or birth date) per campaign per window;
    /// past it, each code of the campaign gets one try per window.
    pub candidate_failures_per_campaign: u64,
}

/// Test delivery.
#[derive(Debug, Clone, Deserialize)]
pub struct DeliverySettings {
    /// Seconds after a section's deadline during which an answer is still accepted (it was given
    /// in time but was on its way).
    pub grace_seconds: i64,
    /// How often each node looks for sections whose deadline has passed.
    pub sweep_interval_seconds: u64,
    /// How long the answer writer waits for more answers to commit together.
    pub commit_window_ms: u64,
    /// Most answers committed in one statement.
    pub commit_batch_max: usize,
    /// Batches of answers committing at once (PostgreSQL; SQLite commits one at a time): the next
    /// batch goes while one waits for its fsync.
    pub commit_in_flight: usize,
}

/// Live proctoring.
#[derive(Debug, Clone, Deserialize)]
pub struct ProctoringSettings {
    /// How often each node sends the changes it has gathered to the monitors (rows and presence).
    pub flush_interval_ms: u64,
    /// A signed-in candidate not seen for this long shows as disconnected.
    pub disconnect_after_seconds: u64,
    /// How often an open candidate page stream proves the candidate is there.
    pub heartbeat_seconds: u64,
    /// Attempts prepared at once when a session starts (live state, candidate notices).
    pub start_burst: usize,
}

/// What to create on the first start of an empty database.
#[derive(Debug, Clone, Deserialize)]
pub struct BootstrapSettings {
    /// Load the demo organisation and content. Unset: only on the embedded default database.
    pub demo: Option<bool>,
    /// Password of the demo accounts; random (and printed) when unset.
    pub demo_password: Option<SecretString>,
    /// Candidates enrolled in the demo's campaign that is open from the first start, whose access
    /// codes are printed with the accounts (0: no such campaign).
    pub demo_candidates: u32,
    /// Participants of the demo's closed campaign of synthetic results: generated people whose
    /// generated answers are scored by the real scoring, with SKP ratings and discipline records
    /// (0: no such campaign).
    pub demo_results: u32,
    /// Organisation created for the bootstrap administrator when there is no demo.
    pub organisation_code: String,
    /// Its display name.
    pub organisation_name: String,
    /// E-mail of the bootstrap administrator.
    pub admin_email: String,
    /// Password of the bootstrap administrator; random (and printed once) when unset.
    pub admin_password: Option<SecretString>,
}

/// Log output.
#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    /// `pretty` for people, `json` for log collectors.
    pub format: String,
    /// A tracing filter, e.g. `info` or `meritest=debug,info`.
    pub level: String,
}

impl Settings {
    /// Reads defaults, then `path` (or `./meritest.toml` when present), then the environment.
    pub fn load(path: Option<&Path>) -> Result<Self, config::ConfigError> {
        let file = match path {
            Some(p) => config::File::from(p.to_path_buf()).required(true),
            None => config::File::with_name("meritest.toml").required(false),
        };
        Self::builder()?
            .add_source(file)
            .add_source(
                config::Environment::with_prefix("MERITEST")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true),
            )
            .build()?
            .try_deserialize()
    }

    /// The built-in defaults: a bare machine runs with no file and no environment.
    pub fn builder(
    ) -> Result<config::ConfigBuilder<config::builder::DefaultState>, config::ConfigError> {
        config::Config::builder()
            .set_default("data_dir", "./data")?
            .set_default("server.host", "127.0.0.1")?
            .set_default("server.port", 8080)?
            .set_default("server.json_limit_bytes", 8 * 1024 * 1024)?
            .set_default("server.shutdown_timeout_seconds", 30)?
            .set_default("server.drain_seconds", 5)?
            .set_default("server.behind_proxy", false)?
            .set_default("server.trusted_proxies", 0)?
            .set_default("database.max_connections", 16)?
            .set_default("database.acquire_timeout_seconds", 10)?
            .set_default("database.busy_timeout_ms", 5000)?
            .set_default("live.key_prefix", "meritest:")?
            .set_default("live.call_timeout_ms", 500)?
            .set_default("live.retry_after_ms", 1000)?
            .set_default("auth.token_ttl_minutes", 8 * 60)?
            .set_default("auth.candidate_token_ttl_minutes", 12 * 60)?
            .set_default("delivery.grace_seconds", 5)?
            .set_default("delivery.sweep_interval_seconds", 5)?
            .set_default("delivery.commit_window_ms", 2)?
            .set_default("delivery.commit_batch_max", 256)?
            .set_default("delivery.commit_in_flight", 2)?
            .set_default("proctoring.flush_interval_ms", 500)?
            .set_default("proctoring.disconnect_after_seconds", 30)?
            .set_default("proctoring.heartbeat_seconds", 10)?
            .set_default("proctoring.start_burst", 64)?
            .set_default("auth.issuer", "meritest")?
            .set_default("auth.audience", "meritest-staff")?
            .set_default("auth.login_window_seconds", 300)?
            .set_default("auth.login_attempts_per_address", 60)?
            .set_default("auth.login_backoff_after", 5)?
            .set_default("auth.login_backoff_max_seconds", 900)?
            .set_default("auth.login_failures_per_account", 100)?
            .set_default("auth.candidate_attempts_per_address", 3000)?
            .set_default("auth.candidate_failures_per_code", 5)?
            .set_default("auth.candidate_failures_per_campaign", 100)?
            .set_default("bootstrap.demo_candidates", 5)?
            .set_default("bootstrap.demo_results", 200)?
            .set_default("bootstrap.organisation_code", "default")?
            .set_default("bootstrap.organisation_name", "meritest")?
            .set_default("bootstrap.admin_email", "admin@meritest.local")?
            .set_default("log.format", "pretty")?
            .set_default("log.level", "info,sqlx=warn,sea_orm=warn")
    }

    /// The database URL in force: the configured one or the embedded SQLite file.
    pub fn database_url(&self) -> SecretString {
        match &self.database.url {
            Some(url) => url.clone(),
            None => SecretString::from(format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("meritest.db").display()
            )),
        }
    }

    /// Whether the database is the embedded default (no URL configured).
    pub fn is_embedded_database(&self) -> bool {
        self.database.url.is_none()
    }

    /// How many proxies of our own stand in front of the node (`behind_proxy` counts as one).
    pub fn trusted_proxies(&self) -> usize {
        let hops = self.server.trusted_proxies as usize;
        if hops == 0 && self.server.behind_proxy {
            1
        } else {
            hops
        }
    }

    /// Whether to load the demo on the first start of an empty database.
    pub fn seeds_demo(&self) -> bool {
        self.bootstrap
            .demo
            .unwrap_or_else(|| self.is_embedded_database())
    }

    /// The kind of database configured, for logs (never the URL itself: it may hold a password).
    pub fn database_kind(&self) -> &'static str {
        if self.database_url().expose_secret().starts_with("postgres") {
            "postgresql"
        } else {
            "sqlite"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_file_and_no_environment() {
        let s: Settings = Settings::builder()
            .unwrap()
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        assert_eq!(s.server.host, "127.0.0.1");
        assert_eq!(s.server.port, 8080);
        assert!(s.is_embedded_database());
        assert!(s.seeds_demo());
        assert_eq!(s.bootstrap.demo_candidates, 5);
        assert_eq!(s.bootstrap.demo_results, 200);
        assert!(s
            .database_url()
            .expose_secret()
            .starts_with("sqlite://./data/meritest.db"));
        assert_eq!(s.database_kind(), "sqlite");
    }

    #[test]
    fn secrets_never_appear_in_debug_output() {
        let s: Settings = Settings::builder()
            .unwrap()
            .set_override("database.url", "postgres://u:hunter2-db@h/db")
            .unwrap()
            .set_override("auth.secret", "hunter2-jwt")
            .unwrap()
            .set_override("auth.access_code_key", "hunter2-codes")
            .unwrap()
            .set_override("live.redis_url", "redis://:hunter2-redis@h")
            .unwrap()
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_eq!(s.database_kind(), "postgresql");
        assert!(!s.seeds_demo());
    }
}

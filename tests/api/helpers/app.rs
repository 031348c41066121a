//! A real server per test, on its own database and live-store prefix, and the requests tests
//! send it.
use std::time::Duration;

use actix_web::dev::ServerHandle;
use meritest::clock::Clock;
use meritest::config::Settings;
use meritest::services::AppContext;
use meritest::startup::Application;
use reqwest::{Client, Response};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

pub const ADMIN_EMAIL: &str = "admin@test.meritest.id";
pub const ADMIN_PASSWORD: &str = "admin-password-123";
pub const DEMO_PASSWORD: &str = "demo-password-123";

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub ctx: AppContext,
    pub handle: ServerHandle,
    pub data_dir: tempfile::TempDir,
    pub database_url: String,
    /// Drops the database at the end of the test that made it.
    pub database: Option<DatabaseGuard>,
    /// What the first start printed (accounts, the demo's candidates), when it created anything.
    pub credentials: Option<String>,
}

/// The backends this run tests: (PostgreSQL base URL, Redis URL).
pub fn backends() -> (Option<String>, Option<String>) {
    let pg = std::env::var("MERITEST_TEST_POSTGRES_URL")
        .ok()
        .filter(|s| !s.is_empty());
    let redis = std::env::var("MERITEST_TEST_REDIS_URL")
        .ok()
        .filter(|s| !s.is_empty());
    if std::env::var("MERITEST_TEST_REQUIRE_REAL").is_ok() {
        assert!(
            pg.is_some() && redis.is_some(),
            "MERITEST_TEST_REQUIRE_REAL needs both MERITEST_TEST_POSTGRES_URL and MERITEST_TEST_REDIS_URL"
        );
    }
    (pg, redis)
}

/// Drops a test's own PostgreSQL database when the test ends, so a run leaves none behind
/// (a SQLite file goes with its temporary folder).
pub struct DatabaseGuard {
    admin_url: String,
    name: String,
}

impl DatabaseGuard {
    /// The guard of a database [`fresh_database`] made; none for SQLite.
    pub fn of(url: &str) -> Option<Self> {
        let (base, name) = url.rsplit_once('/')?;
        (url.starts_with("postgres") && name.starts_with("meritest_t_")).then(|| Self {
            admin_url: format!("{base}/postgres"),
            name: name.to_owned(),
        })
    }
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // The test's runtime is ending: drop the database from a runtime of its own. FORCE ends
        // the connections the test's server still holds.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let admin = Database::connect(admin_url).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await?;
                admin.close().await?;
                Ok::<_, sea_orm::DbErr>(())
            })
            .map_err(std::io::Error::other)
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!(
                "the test database {} was not dropped: {dropped:?}",
                self.name
            );
        }
    }
}

/// A fresh database URL for one test: its own PostgreSQL database, or a SQLite file in `dir`.
pub async fn fresh_database(dir: &std::path::Path) -> String {
    match backends().0 {
        Some(base) => {
            let name = format!("meritest_t_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(format!("{base}/postgres"))
                .await
                .expect("PostgreSQL is not reachable");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("cannot create test database");
            admin.close().await.ok();
            format!("{base}/{name}")
        }
        None => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
    }
}

/// Settings for a test: port 0, its own database and key prefix, a known bootstrap administrator.
pub fn test_settings(data_dir: &std::path::Path, database_url: &str) -> Settings {
    let (_, redis) = backends();
    let mut b = Settings::builder()
        .unwrap()
        .set_override("data_dir", data_dir.display().to_string())
        .unwrap()
        .set_override("server.port", 0)
        .unwrap()
        .set_override("server.workers", 2)
        .unwrap()
        .set_override("server.shutdown_timeout_seconds", 5)
        .unwrap()
        .set_override("database.url", database_url)
        .unwrap()
        .set_override("database.max_connections", 5)
        .unwrap()
        .set_override(
            "live.key_prefix",
            format!("meritest-test:{}:", uuid::Uuid::new_v4().simple()),
        )
        .unwrap()
        // The live store's breaker retries at once, so tests that inspect the store right after
        // an injected failure see the store itself; the outage tests set a real period.
        .set_override("live.retry_after_ms", 0)
        .unwrap()
        .set_override("bootstrap.demo", false)
        .unwrap()
        .set_override("bootstrap.admin_email", ADMIN_EMAIL)
        .unwrap()
        .set_override("bootstrap.admin_password", ADMIN_PASSWORD)
        .unwrap()
        .set_override("bootstrap.organisation_code", "test-org")
        .unwrap()
        .set_override("bootstrap.organisation_name", "Test Organisation")
        .unwrap()
        .set_override("log.level", "warn")
        .unwrap();
    if let Some(url) = redis {
        b = b.set_override("live.redis_url", url).unwrap();
    }
    b.build().unwrap().try_deserialize().unwrap()
}

impl TestApp {
    /// Begins a transaction on every connection of the node's request pool and keeps them: the
    /// node's requests find the pool busy, as under a crowd (give the node a short
    /// `database.acquire_timeout_seconds` so a request that waits for one fails quickly).
    pub async fn hold_every_pooled_connection(&self) -> Vec<sea_orm::DatabaseTransaction> {
        let mut held = Vec::new();
        for _ in 0..self.ctx.settings.database.max_connections {
            held.push(
                sea_orm::TransactionTrait::begin(&self.ctx.db)
                    .await
                    .unwrap(),
            );
        }
        assert!(
            meritest::store::ping(&self.ctx.db).await.is_err(),
            "every pooled connection is held"
        );
        held
    }

    /// A server with one organisation and its administrator.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// A server loaded with the demo.
    pub async fn spawn_demo() -> Self {
        Self::spawn_demo_with(|_| {}).await
    }

    /// A server loaded with the demo, whose settings `adjust` changes first.
    pub async fn spawn_demo_with(adjust: impl FnOnce(&mut Settings)) -> Self {
        Self::spawn_with(|s| {
            s.bootstrap.demo = Some(true);
            s.bootstrap.demo_password = Some(DEMO_PASSWORD.to_owned().into());
            // The demo's campaigns only where a test asks for them: the others count campaigns,
            // and the synthetic results take a while to score.
            s.bootstrap.demo_candidates = 0;
            s.bootstrap.demo_results = 0;
            adjust(s);
        })
        .await
    }

    /// A server whose settings `adjust` changes first.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> Self {
        let data_dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database(data_dir.path()).await;
        let mut settings = test_settings(data_dir.path(), &database_url);
        adjust(&mut settings);
        let database = DatabaseGuard::of(&database_url);
        let mut app = Self::start(settings, data_dir, database_url).await;
        app.database = database;
        app
    }

    /// Starts a server on existing settings (e.g. a restart on the same data), on a clock of its
    /// own that [`TestApp::advance`] moves.
    pub async fn start(
        settings: Settings,
        data_dir: tempfile::TempDir,
        database_url: String,
    ) -> Self {
        Self::start_on(settings, data_dir, database_url, Clock::settable()).await
    }

    /// [`TestApp::start`] on a given clock: the nodes of one deployment share theirs.
    pub async fn start_on(
        settings: Settings,
        data_dir: tempfile::TempDir,
        database_url: String,
        clock: Clock,
    ) -> Self {
        let app = Application::build_on(settings, clock)
            .await
            .expect("the application failed to build");
        Self::running(app, data_dir, database_url)
    }

    /// Runs a built application in the background and returns the test's view of it.
    pub fn running(app: Application, data_dir: tempfile::TempDir, database_url: String) -> Self {
        let address = format!("http://127.0.0.1:{}", app.port());
        let ctx = app.context().clone();
        let credentials = app.credentials().map(|c| c.render());
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            address,
            client: Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            ctx,
            handle,
            data_dir,
            database_url,
            database: None,
            credentials,
        }
    }

    /// Another node of the same deployment: same database, same live store and key prefix,
    /// same signing secret.
    pub async fn second_node(&self) -> TestApp {
        let settings = (*self.ctx.settings).clone();
        let unused = tempfile::tempdir().unwrap();
        Self::start_on(
            settings,
            unused,
            self.database_url.clone(),
            self.ctx.clock.clone(),
        )
        .await
    }

    /// Stops this server and starts another on the same settings, database, data folder and
    /// clock, with a live store of its own (a new key prefix: on Redis as empty as a restarted
    /// in-process store).
    pub async fn restart_with_empty_live_store(mut self) -> TestApp {
        self.handle.stop(true).await;
        let mut settings = (*self.ctx.settings).clone();
        settings.live.key_prefix = format!("meritest-test:{}:", uuid::Uuid::new_v4().simple());
        let database = self.database.take();
        let clock = self.ctx.clock.clone();
        let mut app = Self::start_on(settings, self.data_dir, self.database_url, clock).await;
        app.database = database;
        app
    }

    /// Deletes this deployment's keys from Redis, as a Redis restart or `FLUSHDB` would, but
    /// only under its key prefix (other tests share the server); `false` on the in-process
    /// store, which only a restart empties.
    pub async fn wipe_redis(&self) -> bool {
        let Some(url) = backends().1 else {
            return false;
        };
        let client = redis::Client::open(url).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        let pattern = format!("{}*", self.ctx.settings.live.key_prefix);
        let mut cursor = 0u64;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut conn)
                .await
                .unwrap();
            if !keys.is_empty() {
                redis::cmd("DEL")
                    .arg(&keys)
                    .query_async::<()>(&mut conn)
                    .await
                    .unwrap();
            }
            if next == 0 {
                return true;
            }
            cursor = next;
        }
    }

    /// Lets `by` pass on this deployment's clock (every node of it sees the same time).
    pub fn advance(&self, by: Duration) {
        assert!(
            self.ctx.clock.advance(by),
            "test servers run on a settable clock"
        );
    }

    pub async fn put_json(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch_json(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// A token for this account, or a panic naming the failure.
    pub async fn token(&self, email: &str, password: &str) -> String {
        let res = self.login(email, password).await;
        assert_eq!(res.status(), 200, "sign-in of {email} failed");
        let body: Value = res.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.token(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, token: &str) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// Creates an account through the API and returns its token.
    pub async fn account_with_role(&self, admin: &str, role: &str) -> String {
        let email = format!("{role}-{}@test.meritest.id", uuid::Uuid::new_v4().simple());
        let res = self
            .post_json(
                "/api/v1/accounts",
                admin,
                &serde_json::json!({"email": email, "name": format!("Test {role}"), "role": role, "password": "a-long-password"}),
            )
            .await;
        assert_eq!(res.status(), 201);
        self.token(&email, "a-long-password").await
    }

    /// A second organisation with its own administrator; returns that administrator's token.
    pub async fn second_organisation(&self) -> String {
        let email = format!("admin-{}@other.meritest.id", uuid::Uuid::new_v4().simple());
        meritest::services::organisations::create_organisation(
            &self.ctx,
            "other-org",
            "Other Organisation",
            &email,
            Some("other-password-1"),
        )
        .await
        .expect("second organisation");
        self.token(&email, "other-password-1").await
    }

    /// One unlabelled value of the node's `/metrics` (`meritest_<name> <value>`).
    pub async fn metric(&self, name: &str) -> f64 {
        let text = self
            .client
            .get(self.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("meritest_{name} ")))
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            .parse()
            .unwrap()
    }

    /// Every audit entry of the organisation with this code.
    pub async fn audit_of(
        &self,
        org_code: &str,
    ) -> Vec<meritest::store::entities::audit_entry::Model> {
        let org = meritest::store::organisations::find_by_code(&self.ctx.db, org_code)
            .await
            .unwrap()
            .unwrap();
        meritest::store::audit::list(&self.ctx.db, org.id.into(), None)
            .await
            .unwrap()
    }

    /// Audit entries of the bootstrap organisation, as (action, target_type) pairs.
    pub async fn audit_actions(&self) -> Vec<(String, String)> {
        self.audit_of("test-org")
            .await
            .into_iter()
            .map(|e| (e.action, e.target_type))
            .collect()
    }
}

/// Asserts status and error code of a response and returns its body.
pub async fn assert_error(res: Response, status: u16, code: &str) -> Value {
    assert_eq!(
        res.status().as_u16(),
        status,
        "unexpected status for {}",
        res.url()
    );
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        ct.starts_with("application/json"),
        "error body is not JSON: {ct}"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], code, "body: {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "error without message: {body}"
    );
    body
}

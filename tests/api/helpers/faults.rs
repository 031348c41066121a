//! Fault injection: a layer between the platform and its real live store (in-process or Redis)
//! that, when switched on, refuses every write as a store that is restarting, failing over or
//! out of memory would, while reads still see what was there: the stale state the platform must
//! not trust.
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use meritest::clock::Clock;
use meritest::startup::Application;
use meritest::store::live::{LiveError, LiveStore};
use tokio::sync::broadcast;

use super::{fresh_database, test_settings, DatabaseGuard, TestApp};

/// The switch of a [`TestApp::spawn_with_faults`] deployment: which writes the live store
/// refuses now.
#[derive(Clone, Default)]
pub struct Faults(Arc<AtomicU8>);

const ATTEMPTS: u8 = 1;
const OTHERS: u8 = 2;
/// Every call, reads included, goes unanswered: a Redis that died.
const DOWN: u8 = 4;

impl Faults {
    /// From now on the live store refuses every write, as one out of memory does.
    pub fn refuse_writes(&self) {
        self.0.store(ATTEMPTS | OTHERS, Ordering::SeqCst);
    }

    /// From now on it refuses only the writes of attempts' live state and of page events (the
    /// ones made after a change is committed), so that sign-in, which counts attempts in it
    /// first, still gets that far.
    pub fn refuse_attempt_writes(&self) {
        self.0.store(ATTEMPTS, Ordering::SeqCst);
    }

    /// From now on the live store answers nothing, reads included: every call hangs, as one
    /// whose process died does, until healed.
    pub fn take_down(&self) {
        self.0.store(DOWN | ATTEMPTS | OTHERS, Ordering::SeqCst);
    }

    /// The live store takes writes again.
    pub fn heal(&self) {
        self.0.store(0, Ordering::SeqCst);
    }

    /// While the store is down, waits until it is healed (the breaker's deadline ends the call
    /// long before).
    async fn hang_while_down(&self) {
        while self.0.load(Ordering::SeqCst) & DOWN != 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn check(&self, kind: u8, backend: &'static str) -> Result<(), LiveError> {
        if self.0.load(Ordering::SeqCst) & kind != 0 {
            return Err(LiveError {
                backend,
                message: "injected fault: writes refused (OOM command not allowed)".into(),
            });
        }
        Ok(())
    }
}

struct Faulty {
    inner: Arc<dyn LiveStore>,
    faults: Faults,
}

#[async_trait]
impl LiveStore for Faulty {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
    async fn ping(&self) -> Result<(), LiveError> {
        self.faults.hang_while_down().await;
        self.inner.ping().await
    }
    async fn revoke_token(&self, jti: &str, ttl: Duration) -> Result<(), LiveError> {
        self.faults.hang_while_down().await;
        self.faults.check(OTHERS, self.backend())?;
        self.inner.revoke_token(jti, ttl).await
    }
    async fn is_token_revoked(&self, jti: &str) -> Result<Option<bool>, LiveError> {
        self.faults.hang_while_down().await;
        self.inner.is_token_revoked(jti).await
    }
    async fn load_revocations(&self, revoked: &[(String, Duration)]) -> Result<(), LiveError> {
        self.faults.hang_while_down().await;
        self.faults.check(OTHERS, self.backend())?;
        self.inner.load_revocations(revoked).await
    }
    async fn hit(&self, bucket: &str, window: Duration) -> Result<u64, LiveError> {
        self.faults.hang_while_down().await;
        self.faults.check(OTHERS, self.backend())?;
        self.inner.hit(bucket, window).await
    }
    async fn hits(&self, bucket: &str) -> Result<u64, LiveError> {
        self.faults.hang_while_down().await;
        self.inner.hits(bucket).await
    }
    async fn reset(&self, bucket: &str) -> Result<(), LiveError> {
        self.faults.hang_while_down().await;
        self.faults.check(OTHERS, self.backend())?;
        self.inner.reset(bucket).await
    }
    async fn pace(
        &self,
        bucket: &str,
        now_ms: i64,
        free: u64,
        cap: Duration,
        memory: Duration,
    ) -> Result<Option<Duration>, LiveError> {
        self.faults.hang_while_down().await;
        self.faults.check(OTHERS, self.backend())?;
        self.inner.pace(bucket, now_ms, free, cap, memory).await
    }
    async fn put_attempt(
        &self,
        attempt: &str,
        state: &str,
        ttl: Duration,
    ) -> Result<(), LiveError> {
        self.faults.hang_while_down().await;
        self.faults.check(ATTEMPTS, self.backend())?;
        self.inner.put_attempt(attempt, state, ttl).await
    }
    async fn get_attempt(&self, attempt: &str) -> Result<Option<String>, LiveError> {
        self.faults.hang_while_down().await;
        self.inner.get_attempt(attempt).await
    }
    async fn forget_attempt(&self, attempt: &str) -> Result<(), LiveError> {
        self.faults.hang_while_down().await;
        self.faults.check(ATTEMPTS, self.backend())?;
        self.inner.forget_attempt(attempt).await
    }
    async fn advance(
        &self,
        key: &str,
        value: u32,
        ttl: Duration,
    ) -> Result<Option<u32>, LiveError> {
        self.faults.hang_while_down().await;
        self.faults.check(OTHERS, self.backend())?;
        self.inner.advance(key, value, ttl).await
    }
    async fn publish(&self, topic: &str, payload: &str) -> Result<(), LiveError> {
        self.faults.hang_while_down().await;
        self.faults.check(ATTEMPTS, self.backend())?;
        self.inner.publish(topic, payload).await
    }
    fn subscribe(&self, topic: &str, backlog: usize) -> broadcast::Receiver<Arc<str>> {
        self.inner.subscribe(topic, backlog)
    }
    async fn put_presence(&self, seen: &[(String, i64)], ttl: Duration) -> Result<(), LiveError> {
        self.faults.hang_while_down().await;
        self.faults.check(OTHERS, self.backend())?;
        self.inner.put_presence(seen, ttl).await
    }
    async fn presence(&self, attempts: &[String]) -> Result<Vec<Option<i64>>, LiveError> {
        self.faults.hang_while_down().await;
        self.inner.presence(attempts).await
    }
}

impl TestApp {
    /// A demo server whose live store can be made to refuse writes.
    pub async fn spawn_with_faults() -> (TestApp, Faults) {
        Self::spawn_with_faults_and(|_| {}).await
    }

    /// [`TestApp::spawn_with_faults`] with its settings changed by `adjust` first.
    pub async fn spawn_with_faults_and(
        adjust: impl FnOnce(&mut meritest::config::Settings),
    ) -> (TestApp, Faults) {
        let data_dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database(data_dir.path()).await;
        let mut settings = test_settings(data_dir.path(), &database_url);
        settings.bootstrap.demo = Some(true);
        settings.bootstrap.demo_password = Some(super::DEMO_PASSWORD.to_owned().into());
        // The synthetic results campaign takes a while to score and no fault test reads it.
        settings.bootstrap.demo_results = 0;
        adjust(&mut settings);
        let faults = Faults::default();
        let switch = faults.clone();
        let app = Application::build_with(
            settings,
            Clock::settable(),
            Some(Box::new(move |inner| {
                Arc::new(Faulty {
                    inner,
                    faults: switch,
                })
            })),
        )
        .await
        .expect("the application failed to build");
        let mut app = TestApp::running(app, data_dir, database_url);
        app.database = DatabaseGuard::of(&app.database_url);
        (app, faults)
    }
}

//! A circuit breaker in front of the live store. Redis that has died does not answer: without
//! this, every request waited for the client to give up (about 5 s) before failing. Here each call
//! has a short deadline; a call that fails or misses it opens the breaker, and for the next
//! `retry_after` every call fails at once, so callers fall back to the database (which can judge
//! everything alone, more slowly) without waiting. The first call after that tries the store
//! again: its success closes the breaker and the fast path is back.
//!
//! The counters of the sign-in limits have no database to fall back to: while the store is down
//! they are kept in this node's memory, so sign-in goes on, limited per node instead of across
//! the deployment (a guesser gains at most one limit a node for the length of the outage), and
//! they are counted in the store again once it is back.
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::broadcast;

use super::memory::MemoryLiveStore;
use super::{LiveError, LiveHealth, LiveStore};

/// The live store behind a breaker.
pub struct Guarded {
    inner: Arc<dyn LiveStore>,
    call_timeout: Duration,
    retry_after: Duration,
    /// When the breaker was created: `open_until` counts milliseconds from it.
    base: Instant,
    /// Calls fail at once until this many milliseconds after `base` (0: closed).
    open_until: AtomicU64,
    degraded: AtomicBool,
    errors: AtomicU64,
    short_circuited: AtomicU64,
    /// The sign-in limits' counters while the store is down.
    local: MemoryLiveStore,
}

impl Guarded {
    /// `inner` behind a breaker: calls get `call_timeout` each; a failure fails every call for
    /// `retry_after`.
    pub fn new(inner: Arc<dyn LiveStore>, call_timeout: Duration, retry_after: Duration) -> Self {
        Self {
            inner,
            call_timeout,
            retry_after,
            base: Instant::now(),
            open_until: AtomicU64::new(0),
            degraded: AtomicBool::new(false),
            errors: AtomicU64::new(0),
            short_circuited: AtomicU64::new(0),
            local: MemoryLiveStore::new("local:"),
        }
    }

    fn now_ms(&self) -> u64 {
        self.base.elapsed().as_millis() as u64
    }

    async fn guard<T>(
        &self,
        call: impl Future<Output = Result<T, LiveError>>,
    ) -> Result<T, LiveError> {
        let now = self.now_ms();
        let until = self.open_until.load(Ordering::Relaxed);
        if now < until {
            self.short_circuited.fetch_add(1, Ordering::Relaxed);
            return Err(LiveError {
                backend: self.inner.backend(),
                message: format!(
                    "unavailable after a recent failure; tried again in {} ms",
                    until - now
                ),
            });
        }
        let outcome = match tokio::time::timeout(self.call_timeout, call).await {
            Ok(outcome) => outcome,
            Err(_) => Err(LiveError {
                backend: self.inner.backend(),
                message: format!("no answer within {} ms", self.call_timeout.as_millis()),
            }),
        };
        match &outcome {
            Ok(_) => {
                self.open_until.store(0, Ordering::Relaxed);
                if self.degraded.swap(false, Ordering::Relaxed) {
                    tracing::info!(
                        backend = self.inner.backend(),
                        "the live store answers again: back on the fast path"
                    );
                }
            }
            Err(e) => {
                self.errors.fetch_add(1, Ordering::Relaxed);
                let retry = self.now_ms() + self.retry_after.as_millis() as u64;
                self.open_until.store(retry, Ordering::Relaxed);
                if !self.degraded.swap(true, Ordering::Relaxed) {
                    tracing::warn!(error = %e, "the live store failed: answering from the database until it is back");
                }
            }
        }
        outcome
    }

    /// `call` behind the breaker; when it fails, `local` (the node's own count) instead.
    async fn or_local<T>(
        &self,
        call: impl Future<Output = Result<T, LiveError>>,
        local: impl Future<Output = Result<T, LiveError>>,
    ) -> Result<T, LiveError> {
        match self.guard(call).await {
            Ok(v) => Ok(v),
            Err(_) => local.await,
        }
    }
}

#[async_trait]
impl LiveStore for Guarded {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
    fn health(&self) -> LiveHealth {
        LiveHealth {
            errors: self.errors.load(Ordering::Relaxed),
            short_circuited: self.short_circuited.load(Ordering::Relaxed),
            degraded: self.degraded.load(Ordering::Relaxed),
        }
    }
    async fn ping(&self) -> Result<(), LiveError> {
        self.guard(self.inner.ping()).await
    }
    async fn revoke_token(&self, jti: &str, ttl: Duration) -> Result<(), LiveError> {
        self.guard(self.inner.revoke_token(jti, ttl)).await
    }
    async fn is_token_revoked(&self, jti: &str) -> Result<Option<bool>, LiveError> {
        self.guard(self.inner.is_token_revoked(jti)).await
    }
    async fn load_revocations(&self, revoked: &[(String, Duration)]) -> Result<(), LiveError> {
        self.guard(self.inner.load_revocations(revoked)).await
    }
    async fn hit(&self, bucket: &str, window: Duration) -> Result<u64, LiveError> {
        self.or_local(
            self.inner.hit(bucket, window),
            self.local.hit(bucket, window),
        )
        .await
    }
    async fn hits(&self, bucket: &str) -> Result<u64, LiveError> {
        self.or_local(self.inner.hits(bucket), self.local.hits(bucket))
            .await
    }
    async fn reset(&self, bucket: &str) -> Result<(), LiveError> {
        // Both: a count kept here during an outage must not outlive a success. A count the
        // store kept from before the outage runs out with its window.
        self.local.reset(bucket).await?;
        if let Err(e) = self.guard(self.inner.reset(bucket)).await {
            tracing::debug!(error = %e, bucket, "a sign-in count not cleared: the live store is down");
        }
        Ok(())
    }
    async fn pace(
        &self,
        bucket: &str,
        now_ms: i64,
        free: u64,
        cap: Duration,
        memory: Duration,
    ) -> Result<Option<Duration>, LiveError> {
        self.or_local(
            self.inner.pace(bucket, now_ms, free, cap, memory),
            self.local.pace(bucket, now_ms, free, cap, memory),
        )
        .await
    }
    async fn put_attempt(
        &self,
        attempt: &str,
        state: &str,
        ttl: Duration,
    ) -> Result<(), LiveError> {
        self.guard(self.inner.put_attempt(attempt, state, ttl))
            .await
    }
    async fn get_attempt(&self, attempt: &str) -> Result<Option<String>, LiveError> {
        self.guard(self.inner.get_attempt(attempt)).await
    }
    async fn forget_attempt(&self, attempt: &str) -> Result<(), LiveError> {
        self.guard(self.inner.forget_attempt(attempt)).await
    }
    async fn advance(
        &self,
        key: &str,
        value: u32,
        ttl: Duration,
    ) -> Result<Option<u32>, LiveError> {
        self.guard(self.inner.advance(key, value, ttl)).await
    }
    async fn publish(&self, topic: &str, payload: &str) -> Result<(), LiveError> {
        self.guard(self.inner.publish(topic, payload)).await
    }
    fn subscribe(&self, topic: &str, backlog: usize) -> broadcast::Receiver<Arc<str>> {
        self.inner.subscribe(topic, backlog)
    }
    async fn put_presence(&self, seen: &[(String, i64)], ttl: Duration) -> Result<(), LiveError> {
        self.guard(self.inner.put_presence(seen, ttl)).await
    }
    async fn presence(&self, attempts: &[String]) -> Result<Vec<Option<i64>>, LiveError> {
        self.guard(self.inner.presence(attempts)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::live::MemoryLiveStore;

    /// A store that fails every call while `down` is set.
    struct Switch {
        inner: MemoryLiveStore,
        down: AtomicBool,
        calls: AtomicU64,
    }

    #[async_trait]
    impl LiveStore for Switch {
        fn backend(&self) -> &'static str {
            "switch"
        }
        async fn ping(&self) -> Result<(), LiveError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if self.down.load(Ordering::SeqCst) {
                return Err(LiveError {
                    backend: "switch",
                    message: "down".into(),
                });
            }
            self.inner.ping().await
        }
        async fn revoke_token(&self, jti: &str, ttl: Duration) -> Result<(), LiveError> {
            self.inner.revoke_token(jti, ttl).await
        }
        async fn is_token_revoked(&self, jti: &str) -> Result<Option<bool>, LiveError> {
            self.inner.is_token_revoked(jti).await
        }
        async fn load_revocations(&self, r: &[(String, Duration)]) -> Result<(), LiveError> {
            self.inner.load_revocations(r).await
        }
        async fn hit(&self, bucket: &str, window: Duration) -> Result<u64, LiveError> {
            self.inner.hit(bucket, window).await
        }
        async fn hits(&self, bucket: &str) -> Result<u64, LiveError> {
            self.inner.hits(bucket).await
        }
        async fn reset(&self, bucket: &str) -> Result<(), LiveError> {
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
            self.inner.pace(bucket, now_ms, free, cap, memory).await
        }
        async fn put_attempt(&self, a: &str, s: &str, ttl: Duration) -> Result<(), LiveError> {
            self.inner.put_attempt(a, s, ttl).await
        }
        async fn get_attempt(&self, a: &str) -> Result<Option<String>, LiveError> {
            // Hangs: a store that does not answer.
            if self.down.load(Ordering::SeqCst) {
                std::future::pending::<()>().await;
            }
            self.inner.get_attempt(a).await
        }
        async fn forget_attempt(&self, a: &str) -> Result<(), LiveError> {
            self.inner.forget_attempt(a).await
        }
        async fn advance(&self, k: &str, v: u32, ttl: Duration) -> Result<Option<u32>, LiveError> {
            self.inner.advance(k, v, ttl).await
        }
        async fn publish(&self, topic: &str, payload: &str) -> Result<(), LiveError> {
            self.inner.publish(topic, payload).await
        }
        fn subscribe(&self, topic: &str, backlog: usize) -> broadcast::Receiver<Arc<str>> {
            self.inner.subscribe(topic, backlog)
        }
        async fn put_presence(&self, s: &[(String, i64)], ttl: Duration) -> Result<(), LiveError> {
            self.inner.put_presence(s, ttl).await
        }
        async fn presence(&self, a: &[String]) -> Result<Vec<Option<i64>>, LiveError> {
            self.inner.presence(a).await
        }
    }

    #[tokio::test]
    async fn a_failure_opens_the_breaker_for_its_period_and_a_success_afterwards_closes_it() {
        let switch = Arc::new(Switch {
            inner: MemoryLiveStore::new("t:".to_owned()),
            down: AtomicBool::new(true),
            calls: AtomicU64::new(0),
        });
        let g = Guarded::new(
            switch.clone(),
            Duration::from_millis(100),
            Duration::from_millis(300),
        );
        assert!(g.ping().await.is_err());
        assert_eq!(switch.calls.load(Ordering::SeqCst), 1);
        // Open: the next calls fail at once without reaching the store.
        assert!(g.ping().await.is_err());
        assert!(g.ping().await.is_err());
        assert_eq!(switch.calls.load(Ordering::SeqCst), 1);
        let h = g.health();
        assert_eq!((h.errors, h.short_circuited, h.degraded), (1, 2, true));
        // The store is back; after the period the next call reaches it and closes the breaker.
        switch.down.store(false, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(350)).await;
        assert!(g.ping().await.is_ok());
        assert_eq!(switch.calls.load(Ordering::SeqCst), 2);
        assert!(!g.health().degraded);
    }

    #[tokio::test]
    async fn a_store_that_does_not_answer_fails_at_the_call_deadline_not_later() {
        let switch = Arc::new(Switch {
            inner: MemoryLiveStore::new("t:".to_owned()),
            down: AtomicBool::new(true),
            calls: AtomicU64::new(0),
        });
        let g = Guarded::new(switch, Duration::from_millis(50), Duration::from_secs(5));
        // The store never answers: the call ends at its deadline (else this test would hang).
        let err = g.get_attempt("a").await.unwrap_err();
        assert_eq!(err.message, "no answer within 50 ms");
        // Then the breaker answers for it, without calling the store.
        let err = g.get_attempt("a").await.unwrap_err();
        assert!(
            err.message
                .starts_with("unavailable after a recent failure"),
            "{}",
            err.message
        );
        let h = g.health();
        assert_eq!((h.errors, h.short_circuited, h.degraded), (1, 1, true));
    }
}

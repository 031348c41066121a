//! The in-process live store: one node, nothing shared, nothing to install.
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::broadcast;

use super::{Hub, LiveError, LiveStore};

/// Keys with a deadline, in a map behind a mutex held only for single operations.
#[derive(Default)]
pub struct MemoryLiveStore {
    prefix: String,
    entries: Mutex<HashMap<String, Entry>>,
    texts: Mutex<HashMap<String, (String, Instant)>>,
    /// Whether the revocations in force were loaded (a new process's store starts without).
    revocations_loaded: AtomicBool,
    paces: Mutex<HashMap<String, Pace>>,
    hub: Hub,
}

struct Entry {
    value: u64,
    expires: Instant,
}

/// The state of a paced bucket: attempts that went ahead, and until when the next must wait.
struct Pace {
    count: u64,
    until_ms: i64,
    expires: Instant,
}

/// Above this many keys, expired ones are swept on the next write.
const SWEEP_ABOVE: usize = 10_000;

impl MemoryLiveStore {
    /// A store whose keys all start with `prefix`.
    pub fn new(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
            entries: Mutex::new(HashMap::new()),
            texts: Mutex::new(HashMap::new()),
            revocations_loaded: AtomicBool::new(false),
            paces: Mutex::new(HashMap::new()),
            hub: Hub::default(),
        }
    }

    fn key(&self, kind: &str, name: &str) -> String {
        format!("{}{kind}:{name}", self.prefix)
    }

    fn with_map<T>(
        &self,
        f: impl FnOnce(&mut HashMap<String, Entry>) -> T,
    ) -> Result<T, LiveError> {
        locked(&self.entries, f)
    }

    fn with_texts<T>(
        &self,
        f: impl FnOnce(&mut HashMap<String, (String, Instant)>) -> T,
    ) -> Result<T, LiveError> {
        locked(&self.texts, f)
    }
}

/// Runs `f` on a map under its lock.
fn locked<V, T>(
    map: &Mutex<HashMap<String, V>>,
    f: impl FnOnce(&mut HashMap<String, V>) -> T,
) -> Result<T, LiveError> {
    let mut map = map.lock().map_err(|_| LiveError {
        backend: "memory",
        message: "the store's lock was poisoned by a panic".into(),
    })?;
    Ok(f(&mut map))
}

/// A stored value with its expiry.
trait Expiring {
    fn expires(&self) -> Instant;
}

impl Expiring for Entry {
    fn expires(&self) -> Instant {
        self.expires
    }
}

impl Expiring for Pace {
    fn expires(&self) -> Instant {
        self.expires
    }
}

impl Expiring for (String, Instant) {
    fn expires(&self) -> Instant {
        self.1
    }
}

/// Before a write: drops the expired keys once the map has grown past `SWEEP_ABOVE`.
fn sweep<V: Expiring>(m: &mut HashMap<String, V>, now: Instant) {
    if m.len() > SWEEP_ABOVE {
        m.retain(|_, v| v.expires() > now);
    }
}

#[async_trait]
impl LiveStore for MemoryLiveStore {
    fn backend(&self) -> &'static str {
        "memory"
    }

    async fn ping(&self) -> Result<(), LiveError> {
        self.with_map(|_| ())
    }

    async fn revoke_token(&self, jti: &str, ttl: Duration) -> Result<(), LiveError> {
        let key = self.key("revoked", jti);
        let now = Instant::now();
        self.with_map(|m| {
            sweep(m, now);
            m.insert(
                key,
                Entry {
                    value: 1,
                    expires: now + ttl,
                },
            );
        })
    }

    async fn is_token_revoked(&self, jti: &str) -> Result<Option<bool>, LiveError> {
        if !self.revocations_loaded.load(Ordering::Acquire) {
            return Ok(None);
        }
        let key = self.key("revoked", jti);
        let now = Instant::now();
        self.with_map(|m| Some(m.get(&key).is_some_and(|e| e.expires > now)))
    }

    async fn load_revocations(&self, revoked: &[(String, Duration)]) -> Result<(), LiveError> {
        for (jti, ttl) in revoked {
            self.revoke_token(jti, *ttl).await?;
        }
        self.revocations_loaded.store(true, Ordering::Release);
        Ok(())
    }

    async fn put_attempt(
        &self,
        attempt: &str,
        state: &str,
        ttl: Duration,
    ) -> Result<(), LiveError> {
        let key = self.key("attempt", attempt);
        let now = Instant::now();
        self.with_texts(|m| {
            sweep(m, now);
            m.insert(key, (state.to_owned(), now + ttl));
        })
    }

    async fn get_attempt(&self, attempt: &str) -> Result<Option<String>, LiveError> {
        let key = self.key("attempt", attempt);
        let now = Instant::now();
        self.with_texts(|m| {
            m.get(&key)
                .filter(|(_, expires)| *expires > now)
                .map(|(state, _)| state.clone())
        })
    }

    async fn forget_attempt(&self, attempt: &str) -> Result<(), LiveError> {
        let key = self.key("attempt", attempt);
        self.with_texts(|m| {
            m.remove(&key);
        })
    }

    async fn advance(
        &self,
        key: &str,
        value: u32,
        ttl: Duration,
    ) -> Result<Option<u32>, LiveError> {
        let key = self.key("marker", key);
        let now = Instant::now();
        self.with_map(|m| {
            let prev = m
                .get(&key)
                .filter(|e| e.expires > now)
                .map(|e| e.value as u32);
            if prev.is_none_or(|p| p < value) {
                m.insert(
                    key,
                    Entry {
                        value: u64::from(value),
                        expires: now + ttl,
                    },
                );
            }
            prev
        })
    }

    async fn hit(&self, bucket: &str, window: Duration) -> Result<u64, LiveError> {
        let key = self.key("hits", bucket);
        let now = Instant::now();
        self.with_map(|m| {
            sweep(m, now);
            let e = m.entry(key).or_insert(Entry {
                value: 0,
                expires: now + window,
            });
            if e.expires <= now {
                *e = Entry {
                    value: 0,
                    expires: now + window,
                };
            }
            e.value += 1;
            e.value
        })
    }

    async fn hits(&self, bucket: &str) -> Result<u64, LiveError> {
        let key = self.key("hits", bucket);
        let now = Instant::now();
        self.with_map(|m| {
            m.get(&key)
                .filter(|e| e.expires > now)
                .map_or(0, |e| e.value)
        })
    }

    async fn reset(&self, bucket: &str) -> Result<(), LiveError> {
        let key = self.key("hits", bucket);
        self.with_map(|m| {
            m.remove(&key);
        })?;
        let key = self.key("pace", bucket);
        locked(&self.paces, |m| {
            m.remove(&key);
        })
    }

    async fn pace(
        &self,
        bucket: &str,
        now_ms: i64,
        free: u64,
        cap: Duration,
        memory: Duration,
    ) -> Result<Option<Duration>, LiveError> {
        let key = self.key("pace", bucket);
        let now = Instant::now();
        locked(&self.paces, |m| {
            sweep(m, now);
            let (count, until_ms) = m
                .get(&key)
                .filter(|p| p.expires > now)
                .map_or((0, 0), |p| (p.count, p.until_ms));
            if count >= free && now_ms < until_ms {
                return Some(Duration::from_millis((until_ms - now_ms).unsigned_abs()));
            }
            let count = count + 1;
            let until_ms = if count >= free {
                // 1000 ≪ 50 ms is some 36,000 years: far past any cap.
                let exponent = count - free;
                let doubled = if exponent < 50 {
                    1000u64 << exponent
                } else {
                    u64::MAX
                };
                let wait = doubled.min(u64::try_from(cap.as_millis()).unwrap_or(u64::MAX));
                now_ms.saturating_add(i64::try_from(wait).unwrap_or(i64::MAX))
            } else {
                until_ms
            };
            m.insert(
                key,
                Pace {
                    count,
                    until_ms,
                    expires: now + memory,
                },
            );
            None
        })
    }

    async fn publish(&self, topic: &str, payload: &str) -> Result<(), LiveError> {
        self.hub.deliver(topic, payload);
        Ok(())
    }

    fn subscribe(&self, topic: &str, backlog: usize) -> broadcast::Receiver<Arc<str>> {
        self.hub.subscribe(topic, backlog)
    }

    async fn put_presence(&self, seen: &[(String, i64)], ttl: Duration) -> Result<(), LiveError> {
        let now = Instant::now();
        self.with_map(|m| {
            sweep(m, now);
            for (attempt, ms) in seen {
                m.insert(
                    self.key("seen", attempt),
                    Entry {
                        value: u64::try_from(*ms).unwrap_or(0),
                        expires: now + ttl,
                    },
                );
            }
        })
    }

    async fn presence(&self, attempts: &[String]) -> Result<Vec<Option<i64>>, LiveError> {
        let now = Instant::now();
        self.with_map(|m| {
            attempts
                .iter()
                .map(|a| {
                    m.get(&self.key("seen", a))
                        .filter(|e| e.expires > now)
                        .map(|e| i64::try_from(e.value).unwrap_or(i64::MAX))
                })
                .collect()
        })
    }
}

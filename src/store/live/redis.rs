//! The Redis live store: shared by every node of a deployment.
use std::time::Duration;

use async_trait::async_trait;
use redis::aio::ConnectionManager;

use super::{LiveError, LiveStore};

/// A multiplexed, auto-reconnecting connection and a key prefix.
#[derive(Clone)]
pub struct RedisLiveStore {
    conn: ConnectionManager,
    prefix: String,
}

fn fail(e: redis::RedisError) -> LiveError {
    LiveError {
        backend: "redis",
        message: e.to_string(),
    }
}

/// INCR then set the expiry on the first hit, atomically, so a window can never lose its expiry.
const HIT_SCRIPT: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n";

/// Raise a marker to a value if lower; return what it was (nil when absent).
const ADVANCE_SCRIPT: &str = r"
local prev = redis.call('GET', KEYS[1])
if (not prev) or tonumber(prev) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return prev";

impl RedisLiveStore {
    /// Connects to `url`; every key starts with `prefix`.
    pub async fn connect(url: &str, prefix: impl Into<String>) -> Result<Self, LiveError> {
        let client = redis::Client::open(url).map_err(fail)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(5)))
            .set_response_timeout(Some(Duration::from_secs(5)));
        let conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(fail)?;
        Ok(Self {
            conn,
            prefix: prefix.into(),
        })
    }

    fn key(&self, kind: &str, name: &str) -> String {
        format!("{}{kind}:{name}", self.prefix)
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

#[async_trait]
impl LiveStore for RedisLiveStore {
    fn backend(&self) -> &'static str {
        "redis"
    }

    async fn ping(&self) -> Result<(), LiveError> {
        let mut c = self.conn.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut c)
            .await
            .map_err(fail)?;
        Ok(())
    }

    async fn revoke_token(&self, jti: &str, ttl: Duration) -> Result<(), LiveError> {
        let mut c = self.conn.clone();
        redis::cmd("SET")
            .arg(self.key("revoked", jti))
            .arg(1)
            .arg("PX")
            .arg(millis(ttl))
            .query_async::<()>(&mut c)
            .await
            .map_err(fail)
    }

    async fn is_token_revoked(&self, jti: &str) -> Result<bool, LiveError> {
        let mut c = self.conn.clone();
        redis::cmd("EXISTS")
            .arg(self.key("revoked", jti))
            .query_async::<bool>(&mut c)
            .await
            .map_err(fail)
    }

    async fn put_attempt(
        &self,
        attempt: &str,
        state: &str,
        ttl: Duration,
    ) -> Result<(), LiveError> {
        let mut c = self.conn.clone();
        redis::cmd("SET")
            .arg(self.key("attempt", attempt))
            .arg(state)
            .arg("PX")
            .arg(millis(ttl))
            .query_async::<()>(&mut c)
            .await
            .map_err(fail)
    }

    async fn get_attempt(&self, attempt: &str) -> Result<Option<String>, LiveError> {
        let mut c = self.conn.clone();
        redis::cmd("GET")
            .arg(self.key("attempt", attempt))
            .query_async::<Option<String>>(&mut c)
            .await
            .map_err(fail)
    }

    async fn forget_attempt(&self, attempt: &str) -> Result<(), LiveError> {
        let mut c = self.conn.clone();
        redis::cmd("DEL")
            .arg(self.key("attempt", attempt))
            .query_async::<()>(&mut c)
            .await
            .map_err(fail)
    }

    async fn advance(
        &self,
        key: &str,
        value: u32,
        ttl: Duration,
    ) -> Result<Option<u32>, LiveError> {
        let mut c = self.conn.clone();
        let prev: Option<String> = redis::Script::new(ADVANCE_SCRIPT)
            .key(self.key("marker", key))
            .arg(value)
            .arg(millis(ttl))
            .invoke_async(&mut c)
            .await
            .map_err(fail)?;
        Ok(prev.and_then(|p| p.parse().ok()))
    }

    async fn hit(&self, bucket: &str, window: Duration) -> Result<u64, LiveError> {
        let mut c = self.conn.clone();
        redis::Script::new(HIT_SCRIPT)
            .key(self.key("hits", bucket))
            .arg(millis(window))
            .invoke_async::<u64>(&mut c)
            .await
            .map_err(fail)
    }
}

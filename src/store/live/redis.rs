//! The Redis live store: shared by every node of a deployment.
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use tokio::sync::broadcast;

use super::{Hub, LiveError, LiveStore};

/// A multiplexed, auto-reconnecting connection, a key prefix, and this node's listeners of the
/// events published on the prefix's channels (one subscription per node, whatever the number
/// of listeners).
#[derive(Clone)]
pub struct RedisLiveStore {
    conn: ConnectionManager,
    prefix: String,
    hub: Arc<Hub>,
    _listener: Arc<Listener>,
}

/// Stops the subscription task when the last clone of the store goes.
struct Listener(tokio::task::AbortHandle);

impl Drop for Listener {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn subscribe_all(
    client: &redis::Client,
    pattern: &str,
) -> Result<redis::aio::PubSub, redis::RedisError> {
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.psubscribe(pattern).await?;
    Ok(pubsub)
}

/// Routes every event of the deployment to this node's listeners; after a lost subscription it
/// reconnects (1 s, doubling to 10 s) and tells every listener to resync, since events published
/// meanwhile are gone.
async fn listen(
    client: redis::Client,
    pattern: String,
    channel_prefix: String,
    hub: Arc<Hub>,
    mut pubsub: redis::aio::PubSub,
) {
    loop {
        {
            let mut messages = pubsub.on_message();
            while let Some(msg) = messages.next().await {
                let Some(topic) = msg.get_channel_name().strip_prefix(&channel_prefix) else {
                    continue;
                };
                if let Ok(payload) = msg.get_payload::<String>() {
                    hub.deliver(topic, &payload);
                }
            }
        }
        tracing::warn!("the Redis event subscription dropped; reconnecting");
        let mut wait = Duration::from_secs(1);
        pubsub = loop {
            tokio::time::sleep(wait).await;
            match subscribe_all(&client, &pattern).await {
                Ok(p) => break p,
                Err(e) => {
                    tracing::warn!(error = %e, "Redis event subscription failed; retrying");
                    wait = (wait * 2).min(Duration::from_secs(10));
                }
            }
        };
        hub.resync_all();
    }
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

/// Pace an attempt (see `LiveStore::pace`): ARGV = now (ms), free, cap (ms), memory (ms).
/// Returns the milliseconds still to wait, or -1 when the attempt goes ahead (and is counted).
const PACE_SCRIPT: &str = r"
local state = redis.call('HMGET', KEYS[1], 'n', 'until')
local n = tonumber(state[1] or '0')
local wait_until = tonumber(state[2] or '0')
local now, free, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if n >= free and now < wait_until then return wait_until - now end
n = n + 1
if n >= free then
  wait_until = now + math.floor(math.min(1000 * 2 ^ (n - free), cap))
end
redis.call('HSET', KEYS[1], 'n', n, 'until', wait_until)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return -1";

impl RedisLiveStore {
    /// Connects to `url`; every key starts with `prefix`.
    pub async fn connect(url: &str, prefix: impl Into<String>) -> Result<Self, LiveError> {
        // Small commands from many requests share one connection: each goes out at once
        // rather than waiting (Nagle) for the reply to the one before it.
        let info = redis::IntoConnectionInfo::into_connection_info(url)
            .map_err(fail)?
            .set_tcp_settings(redis::io::tcp::TcpSettings::default().set_nodelay(true));
        let client = redis::Client::open(info).map_err(fail)?;
        let prefix = prefix.into();
        let channel_prefix = format!("{prefix}ev:");
        let pattern = format!("{channel_prefix}*");
        let pubsub = subscribe_all(&client, &pattern).await.map_err(fail)?;
        let hub = Arc::new(Hub::default());
        let task = tokio::spawn(listen(
            client.clone(),
            pattern,
            channel_prefix,
            hub.clone(),
            pubsub,
        ));
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(5)))
            .set_response_timeout(Some(Duration::from_secs(5)));
        let conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(fail)?;
        Ok(Self {
            conn,
            prefix,
            hub,
            _listener: Arc::new(Listener(task.abort_handle())),
        })
    }

    fn key(&self, kind: &str, name: &str) -> String {
        format!("{}{kind}:{name}", self.prefix)
    }
}

/// The marker that says this Redis holds every revocation in force (see
/// [`LiveStore::load_revocations`]); a restarted or flushed Redis has none.
const REVOCATIONS_LOADED: &str = "revocations-loaded";

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

    async fn is_token_revoked(&self, jti: &str) -> Result<Option<bool>, LiveError> {
        let mut c = self.conn.clone();
        // One round trip: whether the revocations are here at all, and this one.
        let (loaded, revoked): (bool, bool) = redis::pipe()
            .cmd("EXISTS")
            .arg(self.key("marker", REVOCATIONS_LOADED))
            .cmd("EXISTS")
            .arg(self.key("revoked", jti))
            .query_async(&mut c)
            .await
            .map_err(fail)?;
        Ok(loaded.then_some(revoked))
    }

    async fn load_revocations(&self, revoked: &[(String, Duration)]) -> Result<(), LiveError> {
        let mut pipe = redis::pipe();
        pipe.atomic();
        for (jti, ttl) in revoked {
            pipe.cmd("SET")
                .arg(self.key("revoked", jti))
                .arg(1)
                .arg("PX")
                .arg(millis(*ttl))
                .ignore();
        }
        // Last, and without expiry: it lasts as long as the data it vouches for.
        pipe.cmd("SET")
            .arg(self.key("marker", REVOCATIONS_LOADED))
            .arg(1)
            .ignore();
        let mut c = self.conn.clone();
        pipe.query_async::<()>(&mut c).await.map_err(fail)
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

    async fn hits(&self, bucket: &str) -> Result<u64, LiveError> {
        let mut c = self.conn.clone();
        redis::cmd("GET")
            .arg(self.key("hits", bucket))
            .query_async::<Option<u64>>(&mut c)
            .await
            .map(Option::unwrap_or_default)
            .map_err(fail)
    }

    async fn reset(&self, bucket: &str) -> Result<(), LiveError> {
        let mut c = self.conn.clone();
        redis::cmd("DEL")
            .arg(self.key("hits", bucket))
            .arg(self.key("pace", bucket))
            .query_async::<()>(&mut c)
            .await
            .map_err(fail)
    }

    async fn pace(
        &self,
        bucket: &str,
        now_ms: i64,
        free: u64,
        cap: Duration,
        memory: Duration,
    ) -> Result<Option<Duration>, LiveError> {
        let mut c = self.conn.clone();
        let wait: i64 = redis::Script::new(PACE_SCRIPT)
            .key(self.key("pace", bucket))
            .arg(now_ms)
            .arg(free)
            .arg(millis(cap))
            .arg(millis(memory))
            .invoke_async(&mut c)
            .await
            .map_err(fail)?;
        Ok((wait > 0).then(|| Duration::from_millis(wait.unsigned_abs())))
    }

    async fn publish(&self, topic: &str, payload: &str) -> Result<(), LiveError> {
        let mut c = self.conn.clone();
        redis::cmd("PUBLISH")
            .arg(self.key("ev", topic))
            .arg(payload)
            .query_async::<()>(&mut c)
            .await
            .map_err(fail)
    }

    fn subscribe(&self, topic: &str, backlog: usize) -> broadcast::Receiver<Arc<str>> {
        self.hub.subscribe(topic, backlog)
    }

    async fn put_presence(&self, seen: &[(String, i64)], ttl: Duration) -> Result<(), LiveError> {
        if seen.is_empty() {
            return Ok(());
        }
        let mut pipe = redis::pipe();
        for (attempt, ms) in seen {
            pipe.cmd("SET")
                .arg(self.key("seen", attempt))
                .arg(*ms)
                .arg("PX")
                .arg(millis(ttl))
                .ignore();
        }
        let mut c = self.conn.clone();
        pipe.query_async::<()>(&mut c).await.map_err(fail)
    }

    async fn presence(&self, attempts: &[String]) -> Result<Vec<Option<i64>>, LiveError> {
        if attempts.is_empty() {
            return Ok(Vec::new());
        }
        let mut c = self.conn.clone();
        let mut out = Vec::with_capacity(attempts.len());
        for chunk in attempts.chunks(1000) {
            let keys: Vec<String> = chunk.iter().map(|a| self.key("seen", a)).collect();
            let got: Vec<Option<i64>> = redis::cmd("MGET")
                .arg(keys)
                .query_async(&mut c)
                .await
                .map_err(fail)?;
            out.extend(got);
        }
        Ok(out)
    }
}

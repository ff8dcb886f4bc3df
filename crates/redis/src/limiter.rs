//! One rate-limit budget across instances: the sliding log of the in-process limiter, kept in a Redis
//! sorted set per key and checked and updated by one script, which Redis runs atomically — so
//! concurrent requests on any number of instances are counted exactly. Times come from the Redis
//! server's clock, one clock for every instance.

use std::time::Duration;

use beamline_seams::limiter::{Decision, LimiterError, RateLimiter};
use beamline_seams::BoxFuture;
use redis::aio::ConnectionManager;
use redis::Script;

/// KEYS[1]: the log; ARGV: limit, window (ms). Returns {allowed, count, wait_ms}.
const SLIDING_LOG: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  local seq = redis.call('INCR', KEYS[1] .. ':seq')
  redis.call('ZADD', KEYS[1], now, now .. ':' .. seq)
  redis.call('PEXPIRE', KEYS[1], window)
  redis.call('PEXPIRE', KEYS[1] .. ':seq', window)
  count = count + 1
  allowed = 1
end
local wait = 0
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then
  wait = tonumber(oldest[2]) + window - now
  if wait < 0 then wait = 0 end
end
return {allowed, count, wait}
";

/// The Redis limiter: `limit` requests per `window` per key, across every instance on one Redis.
pub struct RedisLimiter {
    conn: ConnectionManager,
    script: Script,
    limit: u32,
    window: Duration,
}

impl RedisLimiter {
    pub fn new(conn: ConnectionManager, limit: u32, window: Duration) -> RedisLimiter {
        RedisLimiter {
            conn,
            script: Script::new(SLIDING_LOG),
            limit,
            window,
        }
    }
}

impl RateLimiter for RedisLimiter {
    fn admit<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Decision, LimiterError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let (allowed, count, wait): (u32, u32, u64) = self
                .script
                .key(format!("bl:rate:{key}"))
                .arg(self.limit)
                .arg(self.window.as_millis() as u64)
                .invoke_async(&mut conn)
                .await
                .map_err(|e| LimiterError::Unavailable(e.to_string()))?;
            Ok(Decision {
                allowed: allowed == 1,
                limit: self.limit,
                remaining: self.limit.saturating_sub(count),
                window_seconds: self.window.as_secs(),
                wait: Duration::from_millis(wait),
            })
        })
    }
}

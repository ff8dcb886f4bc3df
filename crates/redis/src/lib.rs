//! Redis backends of the Beamline seams (docs/operations.md, "Several instances"): with
//! `--redis-url`, N instances behind any load balancer share one rate-limit budget, one set of live
//! sessions and one store of jobs. The client is redis-rs, the most used Redis client of the Rust ecosystem: its connection
//! manager reconnects by itself (so the service recovers when Redis returns without a restart), and its
//! scripts run atomically on the server, which is what exact limits and compare-and-set need.

mod hub;
mod jobs;
mod limiter;

pub use hub::{RedisHub, RedisProbe};
pub use jobs::RedisJobStore;
pub use limiter::RedisLimiter;

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// A connection to Redis that reconnects by itself, failing a command fast while Redis is away.
pub async fn connect(url: &str) -> Result<(redis::Client, ConnectionManager), redis::RedisError> {
    let client = redis::Client::open(url)?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_millis(500)))
        .set_response_timeout(Some(Duration::from_millis(1000)))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_secs(1));
    let manager = ConnectionManager::new_with_config(client.clone(), config).await?;
    Ok((client, manager))
}

/// Whether Redis answers (for readiness).
pub async fn ping(conn: &ConnectionManager) -> Result<(), redis::RedisError> {
    let mut conn = conn.clone();
    redis::cmd("PING")
        .query_async::<String>(&mut conn)
        .await
        .map(|_| ())
}

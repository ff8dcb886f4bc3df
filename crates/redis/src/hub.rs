//! Live sessions across instances. A session's current design, its version and its member count live
//! in a Redis hash; every message to its members is published on the session's channel, and each
//! instance, subscribed to every session channel, hands it to its own members of that session. A
//! design becomes current and is published by one script, atomically, so every instance sees designs
//! in the order of their versions, and a change made from an older version is refused (compare-and-
//! set). A late joiner on any instance reads the hash.
//!
//! When the subscription breaks (Redis is away), this instance's members are disconnected (their
//! message streams close, and the server closes their WebSockets with 1012, "reconnect"); the
//! subscription is made again as soon as Redis answers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use beamline_seams::hub::{Design, HubError, HubLimits, Joined, SessionHub, Snapshot};
use beamline_seams::{BoxFuture, Probe};
use bytes::Bytes;
use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use redis::Script;
use serde_json::value::RawValue;
use tokio::sync::broadcast;

const CHANNELS: &str = "bl:s:*";

fn channel(session: &str) -> String {
    format!("bl:s:{session}")
}

fn key(session: &str) -> String {
    format!("bl:session:{session}")
}

/// KEYS[1]: the session; ARGV[1]: the most members. {0 | 1 (full), beam, result, version, members}.
const JOIN: &str = r"
local m = tonumber(redis.call('HGET', KEYS[1], 'members') or '0')
if m >= tonumber(ARGV[1]) then return {1} end
redis.call('HINCRBY', KEYS[1], 'members', 1)
redis.call('PERSIST', KEYS[1])
local v = redis.call('HMGET', KEYS[1], 'beam', 'result', 'version', 'members')
return {0, v[1], v[2], v[3], v[4]}
";

/// KEYS[1]: the session; ARGV[1]: how long an empty session with a design is kept (ms).
const LEAVE: &str = r"
local m = redis.call('HINCRBY', KEYS[1], 'members', -1)
if m <= 0 then
  redis.call('HSET', KEYS[1], 'members', 0)
  if redis.call('HEXISTS', KEYS[1], 'beam') == 0 then
    redis.call('DEL', KEYS[1])
  else
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
  end
  return 0
end
return m
";

/// KEYS[1]: the session; ARGV: expected version ('' for any), beam, result, message, channel.
/// {1, new version} or {0, current version}.
const PUBLISH: &str = r"
local v = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= v then return {0, v} end
v = v + 1
redis.call('HSET', KEYS[1], 'beam', ARGV[2], 'result', ARGV[3], 'version', v)
redis.call('PUBLISH', ARGV[5], ARGV[4])
return {1, v}
";

/// This instance's members of a session.
struct Local {
    sender: broadcast::Sender<Bytes>,
    members: u32,
}

type Locals = Arc<Mutex<HashMap<String, Local>>>;

/// The Redis hub.
pub struct RedisHub {
    conn: ConnectionManager,
    local: Locals,
    limits: HubLimits,
    subscribed: Arc<AtomicBool>,
    join: Script,
    leave: Script,
    publish: Script,
}

fn unavailable(e: impl std::fmt::Display) -> HubError {
    HubError::Unavailable(e.to_string())
}

fn lock(local: &Locals) -> std::sync::MutexGuard<'_, HashMap<String, Local>> {
    local.lock().unwrap_or_else(|p| p.into_inner())
}

impl RedisHub {
    /// The hub, with its subscription kept up by a task of the current runtime.
    pub fn new(client: redis::Client, conn: ConnectionManager, limits: HubLimits) -> RedisHub {
        let local: Locals = Arc::default();
        let subscribed = Arc::new(AtomicBool::new(false));
        tokio::spawn(listen(client, local.clone(), subscribed.clone()));
        RedisHub {
            conn,
            local,
            limits,
            subscribed,
            join: Script::new(JOIN),
            leave: Script::new(LEAVE),
            publish: Script::new(PUBLISH),
        }
    }

    /// Whether this instance receives its sessions' messages (for readiness).
    pub fn subscribed(&self) -> bool {
        self.subscribed.load(Ordering::SeqCst)
    }

    /// What `/ready` asks: Redis answers, and the sessions' messages arrive.
    pub fn probe(&self) -> RedisProbe {
        RedisProbe {
            conn: self.conn.clone(),
            subscribed: self.subscribed.clone(),
        }
    }

    /// One more local member of `session`: its receiver, taken before the session is read so that
    /// nothing published meanwhile is missed.
    fn add_local(&self, session: &str) -> Result<broadcast::Receiver<Bytes>, HubError> {
        let mut local = lock(&self.local);
        if !local.contains_key(session) && local.len() >= self.limits.max_sessions {
            return Err(HubError::TooManySessions(self.limits.max_sessions));
        }
        let entry = local.entry(session.to_owned()).or_insert_with(|| Local {
            sender: broadcast::channel(self.limits.queue.max(1)).0,
            members: 0,
        });
        entry.members += 1;
        Ok(entry.sender.subscribe())
    }

    fn remove_local(&self, session: &str) {
        let mut local = lock(&self.local);
        if let Some(l) = local.get_mut(session) {
            l.members = l.members.saturating_sub(1);
            if l.members == 0 {
                local.remove(session);
            }
        }
    }

    async fn join_redis(&self, session: &str) -> Result<Snapshot, HubError> {
        if !self.subscribed() {
            return Err(HubError::Unavailable(
                "not subscribed to the sessions' messages".into(),
            ));
        }
        let mut conn = self.conn.clone();
        let reply: Vec<redis::Value> = self
            .join
            .key(key(session))
            .arg(self.limits.max_members)
            .invoke_async(&mut conn)
            .await
            .map_err(unavailable)?;
        if reply.first().and_then(as_u64) == Some(1) {
            return Err(HubError::SessionFull(self.limits.max_members));
        }
        Ok(snapshot_of(&reply[1..]))
    }
}

/// Redis, as `/ready` sees it.
pub struct RedisProbe {
    conn: ConnectionManager,
    subscribed: Arc<AtomicBool>,
}

impl Probe for RedisProbe {
    fn ready(&self) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            crate::ping(&self.conn)
                .await
                .map_err(|e| format!("Redis is unavailable: {e}"))?;
            if self.subscribed.load(Ordering::SeqCst) {
                Ok(())
            } else {
                Err(
                    "Redis is back, and the sessions' messages are being subscribed to again"
                        .into(),
                )
            }
        })
    }
}

fn as_u64(v: &redis::Value) -> Option<u64> {
    match v {
        redis::Value::Int(i) => u64::try_from(*i).ok(),
        redis::Value::BulkString(b) => std::str::from_utf8(b).ok()?.parse().ok(),
        _ => None,
    }
}

fn as_text(v: &redis::Value) -> Option<String> {
    match v {
        redis::Value::BulkString(b) => String::from_utf8(b.clone()).ok(),
        _ => None,
    }
}

/// A snapshot from [beam, result, version, members] as Redis returns them.
fn snapshot_of(v: &[redis::Value]) -> Snapshot {
    let field = |i: usize| v.get(i);
    Snapshot {
        beam: field(0)
            .and_then(as_text)
            .and_then(|t| serde_json::from_str(&t).ok()),
        result: field(1)
            .and_then(as_text)
            .and_then(|t| RawValue::from_string(t).ok())
            .map(Arc::from),
        version: field(2).and_then(as_u64).unwrap_or(0),
        members: field(3).and_then(as_u64).unwrap_or(0) as u32,
    }
}

/// Keeps the subscription to every session channel, handing each message to this instance's
/// members of its session; when it breaks, disconnects them and subscribes again.
async fn listen(client: redis::Client, local: Locals, subscribed: Arc<AtomicBool>) {
    loop {
        match client.get_async_pubsub().await {
            Ok(mut pubsub) => match pubsub.psubscribe(CHANNELS).await {
                Ok(()) => {
                    subscribed.store(true, Ordering::SeqCst);
                    let mut messages = pubsub.into_on_message();
                    while let Some(msg) = messages.next().await {
                        let Some(session) = msg.get_channel_name().strip_prefix("bl:s:") else {
                            continue;
                        };
                        if let Some(l) = lock(&local).get(session) {
                            let _ = l
                                .sender
                                .send(Bytes::copy_from_slice(msg.get_payload_bytes()));
                        }
                    }
                    tracing::warn!("the subscription to Redis ended; disconnecting this instance's session members");
                }
                Err(e) => tracing::warn!(error = %e, "cannot subscribe to the sessions' messages"),
            },
            Err(e) => {
                tracing::debug!(error = %e, "Redis is unavailable for the sessions' messages")
            }
        }
        subscribed.store(false, Ordering::SeqCst);
        // Closing the senders closes every member's stream: they are told and reconnect.
        lock(&local).clear();
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

impl SessionHub for RedisHub {
    fn join<'a>(&'a self, session: &'a str) -> BoxFuture<'a, Result<Joined, HubError>> {
        Box::pin(async move {
            let messages = self.add_local(session)?;
            match self.join_redis(session).await {
                Ok(snapshot) => Ok(Joined { snapshot, messages }),
                Err(e) => {
                    self.remove_local(session);
                    Err(e)
                }
            }
        })
    }

    fn leave<'a>(&'a self, session: &'a str) -> BoxFuture<'a, u32> {
        Box::pin(async move {
            self.remove_local(session);
            let mut conn = self.conn.clone();
            let left: Result<i64, _> = self
                .leave
                .key(key(session))
                .arg(self.limits.empty_ttl.as_millis() as u64)
                .invoke_async(&mut conn)
                .await;
            left.map_or(0, |n| n.max(0) as u32)
        })
    }

    fn snapshot<'a>(&'a self, session: &'a str) -> BoxFuture<'a, Snapshot> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let fields: Result<Vec<redis::Value>, _> = redis::cmd("HMGET")
                .arg(key(session))
                .arg(&["beam", "result", "version", "members"])
                .query_async(&mut conn)
                .await;
            fields.map(|f| snapshot_of(&f)).unwrap_or_default()
        })
    }

    fn publish<'a>(
        &'a self,
        session: &'a str,
        expected: Option<u64>,
        design: Design,
        message: Bytes,
    ) -> BoxFuture<'a, Result<u64, HubError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let beam = serde_json::to_string(&design.beam).map_err(unavailable)?;
            let (made, version): (u32, u64) = self
                .publish
                .key(key(session))
                .arg(expected.map(|v| v.to_string()).unwrap_or_default())
                .arg(beam)
                .arg(design.result.get())
                .arg(&message[..])
                .arg(channel(session))
                .invoke_async(&mut conn)
                .await
                .map_err(unavailable)?;
            if made == 1 {
                Ok(version)
            } else {
                Err(HubError::Changed(version))
            }
        })
    }

    fn broadcast<'a>(&'a self, session: &'a str, message: Bytes) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let sent: Result<i64, _> = redis::cmd("PUBLISH")
                .arg(channel(session))
                .arg(&message[..])
                .query_async(&mut conn)
                .await;
            if let Err(e) = sent {
                tracing::warn!(error = %e, "a session message was not sent");
            }
        })
    }

    /// Redis expires empty sessions itself (`PEXPIRE` when the last member leaves).
    fn sweep(&self) -> BoxFuture<'_, usize> {
        Box::pin(async { 0 })
    }
}

//! Jobs in Redis, for several instances: any instance serves a job's status, results and stream,
//! and a job whose instance dies is taken over by another. Per job a hash holds the record, the inputs,
//! the holder (the instance running it) with its lease, and a cancel flag; a list holds the events,
//! the list index being the event id less one. Appending is one script that adds events only right
//! after the last one stored, with the record, so ids stay continuous and no event is ever written
//! twice, whichever instances write.

use std::time::Duration;

use beamline_seams::jobs::{Claim, JobRecord, JobStore, StoreError, StoredEvent};
use beamline_seams::BoxFuture;
use redis::aio::ConnectionManager;
use redis::Script;
use serde_json::Value;

const UNFINISHED: &str = "bl:jobs:unfinished";
const FINISHED: &str = "bl:jobs:finished";

fn key(job_id: &str) -> String {
    format!("bl:job:{job_id}")
}

fn events_key(job_id: &str) -> String {
    format!("bl:job:{job_id}:events")
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::of(e)
}

/// A Redis command that failed: unavailable when Redis is away or too slow, else a failure.
fn down(e: redis::RedisError) -> StoreError {
    if e.is_io_error() || e.is_connection_refusal() || e.is_timeout() || e.is_connection_dropped() {
        StoreError::unavailable(format!("Redis is unavailable: {e}"))
    } else {
        StoreError::of(e)
    }
}

/// KEYS: job, events, unfinished, finished. ARGV: record, first new id, finished (1/0), finished
/// at, job id, events… 1 when appended, 0 when the events do not follow the last one stored.
const APPEND: &str = r"
if redis.call('LLEN', KEYS[2]) + 1 ~= tonumber(ARGV[2]) then return 0 end
for i = 6, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'record', ARGV[1])
if ARGV[3] == '1' then
  redis.call('SREM', KEYS[3], ARGV[5])
  redis.call('ZADD', KEYS[4], tonumber(ARGV[4]), ARGV[5])
  redis.call('HDEL', KEYS[1], 'holder', 'lease')
end
return 1
";

/// KEYS: job. ARGV: holder, lease (ms). -1 held by another (or no such job), 0 held, 1 held and a
/// cancel was asked for.
const CLAIM: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local holder = redis.call('HGET', KEYS[1], 'holder')
local lease = tonumber(redis.call('HGET', KEYS[1], 'lease') or '0')
if holder and holder ~= ARGV[1] and lease > now then return -1 end
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'lease', now + tonumber(ARGV[2]))
if redis.call('HGET', KEYS[1], 'cancel') == '1' then return 1 end
return 0
";

/// The records of unfinished jobs whose lease has run out.
const ORPHANS: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local v = redis.call('HMGET', 'bl:job:' .. id, 'record', 'lease')
  if v[1] and tonumber(v[2] or '0') <= now then table.insert(out, v[1]) end
end
return out
";

/// The Redis job store.
pub struct RedisJobStore {
    conn: ConnectionManager,
    append: Script,
    claim: Script,
    orphans: Script,
}

impl RedisJobStore {
    pub fn new(conn: ConnectionManager) -> RedisJobStore {
        RedisJobStore {
            conn,
            append: Script::new(APPEND),
            claim: Script::new(CLAIM),
            orphans: Script::new(ORPHANS),
        }
    }

    /// The record with the cancel flag (set by any instance) merged in.
    async fn record(&self, job_id: &str) -> Result<Option<JobRecord>, StoreError> {
        let mut conn = self.conn.clone();
        let (record, cancel): (Option<String>, Option<String>) = redis::cmd("HMGET")
            .arg(key(job_id))
            .arg(&["record", "cancel"])
            .query_async(&mut conn)
            .await
            .map_err(err)?;
        let Some(record) = record else {
            return Ok(None);
        };
        let mut record: JobRecord = serde_json::from_str(&record).map_err(err)?;
        record.cancel_requested |= cancel.as_deref() == Some("1");
        Ok(Some(record))
    }
}

impl JobStore for RedisJobStore {
    fn create<'a>(
        &'a self,
        record: &'a JobRecord,
        inputs: &'a [Value],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let (record_json, inputs_json) = (
                serde_json::to_string(record).map_err(err)?,
                serde_json::to_string(inputs).map_err(err)?,
            );
            redis::pipe()
                .atomic()
                .hset(key(&record.job_id), "record", record_json)
                .hset(key(&record.job_id), "inputs", inputs_json)
                .sadd(UNFINISHED, &record.job_id)
                .query_async::<()>(&mut conn)
                .await
                .map_err(down)
        })
    }

    fn get<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<Option<JobRecord>, StoreError>> {
        Box::pin(self.record(job_id))
    }

    fn inputs<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<Vec<Value>, StoreError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let inputs: Option<String> = redis::cmd("HGET")
                .arg(key(job_id))
                .arg("inputs")
                .query_async(&mut conn)
                .await
                .map_err(down)?;
            inputs.map_or(Ok(Vec::new()), |t| serde_json::from_str(&t).map_err(err))
        })
    }

    fn append<'a>(
        &'a self,
        record: &'a JobRecord,
        events: &'a [StoredEvent],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let first = record.next_event_id - events.len() as u64;
            let mut call = self.append.key(key(&record.job_id));
            call.key(events_key(&record.job_id))
                .key(UNFINISHED)
                .key(FINISHED);
            call.arg(serde_json::to_string(record).map_err(err)?)
                .arg(first)
                .arg(if record.status.is_finished() {
                    "1"
                } else {
                    "0"
                })
                .arg(record.finished_at.unwrap_or(0))
                .arg(&record.job_id);
            for e in events {
                call.arg(e.encode());
            }
            let appended: u32 = call.invoke_async(&mut conn).await.map_err(down)?;
            if appended == 1 {
                Ok(())
            } else {
                Err(StoreError::of(format!("job {}: events from id {first} do not follow the last one stored (another instance has taken the job over)", record.job_id)))
            }
        })
    }

    fn request_cancel<'a>(
        &'a self,
        job_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<JobRecord>, StoreError>> {
        Box::pin(async move {
            let Some(record) = self.record(job_id).await? else {
                return Ok(None);
            };
            if record.status.is_finished() || record.cancel_requested {
                return Ok(Some(record));
            }
            let mut conn = self.conn.clone();
            redis::cmd("HSET")
                .arg(key(job_id))
                .arg("cancel")
                .arg("1")
                .query_async::<()>(&mut conn)
                .await
                .map_err(down)?;
            self.record(job_id).await
        })
    }

    fn events<'a>(
        &'a self,
        job_id: &'a str,
        from: u64,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<StoredEvent>, StoreError>> {
        Box::pin(async move {
            if limit == 0 {
                return Ok(Vec::new());
            }
            let mut conn = self.conn.clone();
            let start = from.max(1) - 1;
            let stop = start + limit as u64 - 1;
            let items: Vec<Vec<u8>> = redis::cmd("LRANGE")
                .arg(events_key(job_id))
                .arg(start)
                .arg(stop)
                .query_async(&mut conn)
                .await
                .map_err(down)?;
            Ok(items
                .iter()
                .enumerate()
                .filter_map(|(i, bytes)| StoredEvent::decode(start + 1 + i as u64, bytes))
                .collect())
        })
    }

    fn unfinished(&self) -> BoxFuture<'_, Result<Vec<JobRecord>, StoreError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let ids: Vec<String> = redis::cmd("SMEMBERS")
                .arg(UNFINISHED)
                .query_async(&mut conn)
                .await
                .map_err(down)?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(r) = self.record(&id).await? {
                    out.push(r);
                }
            }
            out.sort_by_key(|r| r.created_at);
            Ok(out)
        })
    }

    fn delete_finished_before(&self, cutoff_ms: u64) -> BoxFuture<'_, Result<usize, StoreError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let ids: Vec<String> = redis::cmd("ZRANGEBYSCORE")
                .arg(FINISHED)
                .arg("-inf")
                .arg(format!("({cutoff_ms}"))
                .query_async(&mut conn)
                .await
                .map_err(down)?;
            for id in &ids {
                redis::pipe()
                    .atomic()
                    .del(key(id))
                    .del(events_key(id))
                    .zrem(FINISHED, id)
                    .query_async::<()>(&mut conn)
                    .await
                    .map_err(err)?;
            }
            Ok(ids.len())
        })
    }

    fn healthy(&self) -> BoxFuture<'_, bool> {
        Box::pin(async move { crate::ping(&self.conn).await.is_ok() })
    }

    fn claim<'a>(
        &'a self,
        job_id: &'a str,
        holder: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let held: i64 = self
                .claim
                .key(key(job_id))
                .arg(holder)
                .arg(lease.as_millis() as u64)
                .invoke_async(&mut conn)
                .await
                .map_err(down)?;
            Ok(match held {
                -1 => Claim::Lost,
                n => Claim::Held {
                    cancel_requested: n == 1,
                },
            })
        })
    }

    fn orphans(&self) -> BoxFuture<'_, Result<Vec<JobRecord>, StoreError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let records: Vec<String> = self
                .orphans
                .key(UNFINISHED)
                .invoke_async(&mut conn)
                .await
                .map_err(down)?;
            records
                .iter()
                .map(|r| serde_json::from_str(r).map_err(err))
                .collect()
        })
    }
}

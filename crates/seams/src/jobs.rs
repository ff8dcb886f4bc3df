//! The job store: each job's record, its inputs, and its events in order. Every write is atomic: a
//! job's new events and its advanced record are written together, so a record always says exactly
//! which events exist, whichever instance wrote them.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::BoxFuture;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Pending,
    Running,
    Completed,
    Cancelled,
    Failed,
}

impl JobStatus {
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            JobStatus::Completed | JobStatus::Cancelled | JobStatus::Failed
        )
    }
}

/// Everything about a job but its inputs and events. Times are Unix milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    pub job_id: String,
    pub owner: String,
    pub status: JobStatus,
    pub total_beams: usize,
    /// Beams designed (or rejected) so far; the next beam to design is this index.
    pub completed_beams: usize,
    pub succeeded: usize,
    pub failed: usize,
    pub errors: usize,
    pub created_at: u64,
    pub started_at: Option<u64>,
    pub finished_at: Option<u64>,
    /// The id the next event gets (ids start at 1).
    pub next_event_id: u64,
    pub cancel_requested: bool,
}

/// One stored event.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub id: u64,
    pub name: String,
    /// Compact JSON.
    pub data: String,
}

impl StoredEvent {
    /// `name\ndata`, as stores keep it.
    pub fn encode(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.name.len() + 1 + self.data.len());
        v.extend_from_slice(self.name.as_bytes());
        v.push(b'\n');
        v.extend_from_slice(self.data.as_bytes());
        v
    }

    pub fn decode(id: u64, bytes: &[u8]) -> Option<StoredEvent> {
        let text = std::str::from_utf8(bytes).ok()?;
        let (name, data) = text.split_once('\n')?;
        Some(StoredEvent {
            id,
            name: name.to_owned(),
            data: data.to_owned(),
        })
    }
}

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[error("job store: {message}")]
pub struct StoreError {
    pub message: String,
    /// The store cannot be reached now (it may come back): the request can be made again later.
    pub unavailable: bool,
}

impl StoreError {
    /// A failure of the store itself.
    pub fn of(e: impl std::fmt::Display) -> StoreError {
        StoreError {
            message: e.to_string(),
            unavailable: false,
        }
    }

    /// The store cannot be reached now.
    pub fn unavailable(e: impl std::fmt::Display) -> StoreError {
        StoreError {
            message: e.to_string(),
            unavailable: true,
        }
    }
}

/// Where jobs live. Every write is atomic and durable when its future completes; `append` adds events
/// only right after the last one stored (ids continuous, none twice), so several writers can never
/// interleave or duplicate a job's events.
pub trait JobStore: Send + Sync {
    /// Stores a new job and its inputs.
    fn create<'a>(
        &'a self,
        record: &'a JobRecord,
        inputs: &'a [Value],
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    fn get<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<Option<JobRecord>, StoreError>>;
    fn inputs<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<Vec<Value>, StoreError>>;
    /// Writes `record` and appends `events` in one transaction.
    fn append<'a>(
        &'a self,
        record: &'a JobRecord,
        events: &'a [StoredEvent],
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Marks an unfinished job as to be cancelled, reading and writing its record in one transaction
    /// (so that progress committed meanwhile is kept); returns the record as it now is.
    fn request_cancel<'a>(
        &'a self,
        job_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<JobRecord>, StoreError>>;
    /// Up to `limit` events with ids from `from` on, in order.
    fn events<'a>(
        &'a self,
        job_id: &'a str,
        from: u64,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<StoredEvent>, StoreError>>;
    /// Jobs that are pending or running (to resume after a restart).
    fn unfinished(&self) -> BoxFuture<'_, Result<Vec<JobRecord>, StoreError>>;
    /// Deletes finished jobs that finished before `cutoff_ms`; how many.
    fn delete_finished_before(&self, cutoff_ms: u64) -> BoxFuture<'_, Result<usize, StoreError>>;
    /// Whether the store can be read (for readiness).
    fn healthy(&self) -> BoxFuture<'_, bool>;

    /// Takes or renews `holder`'s hold on a job for `lease`: `Held` when it is free, expired or
    /// already `holder`'s (with whether a cancel was asked for meanwhile, from any instance), `Lost`
    /// when another holds it. A store of one instance holds every job for it.
    fn claim<'a>(
        &'a self,
        job_id: &'a str,
        holder: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        let _ = (job_id, holder, lease);
        Box::pin(async {
            Ok(Claim::Held {
                cancel_requested: false,
            })
        })
    }

    /// Unfinished jobs whose holder has stopped renewing its hold (to be taken over). A store of one
    /// instance has none: its own unfinished jobs are resumed when it starts.
    fn orphans(&self) -> BoxFuture<'_, Result<Vec<JobRecord>, StoreError>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

/// The outcome of [`JobStore::claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    Held { cancel_requested: bool },
    Lost,
}

//! The durable job store: each job's record, its inputs, and its events in order.
//!
//! The embedded implementation is [redb](https://www.redb.org): a pure-Rust, single-file database with
//! ACID transactions. A commit is atomic and, with `Durability::Immediate`, on disk when `commit`
//! returns; its copy-on-write B-trees and checksummed commit slots mean a crash (power loss,
//! `kill -9`) leaves the file at the last committed transaction, never half-written. That is exactly
//! what a resumable job needs: a job's new events and its advanced record are written in one
//! transaction, so after a crash the record says precisely which events exist.

use std::path::Path;
use std::sync::Arc;

use redb::{Database, Durability, ReadableDatabase, ReadableTable, TableDefinition};
use serde_json::Value;

/// job id → record (JSON).
const JOBS: TableDefinition<&str, &[u8]> = TableDefinition::new("jobs");
/// job id → the beams as submitted (a JSON array).
const INPUTS: TableDefinition<&str, &[u8]> = TableDefinition::new("inputs");
/// (job id, event id) → "event-name\n{json}".
const EVENTS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("events");

pub use beamline_seams::jobs::{JobRecord, JobStatus, JobStore, StoreError, StoredEvent};
use beamline_seams::BoxFuture;

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::of(e)
}

/// The embedded store: one redb file under the data directory.
#[derive(Clone)]
pub struct RedbStore {
    db: Arc<Database>,
}

impl RedbStore {
    /// Opens the store at `path`, creating it only where no file exists: an existing file that is
    /// empty or unreadable is refused (never re-initialised over), since it may be a store whose
    /// contents were lost or a file that is not a store at all. `cache_mb` bounds the page cache.
    pub fn open(path: &Path, cache_mb: usize) -> Result<RedbStore, StoreError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::of(format!("cannot create {}: {e}", dir.display())))?;
        }
        let mut builder = Database::builder();
        builder.set_cache_size(cache_mb.saturating_mul(1024 * 1024));
        let db = match std::fs::metadata(path) {
            Ok(meta) if meta.len() == 0 => {
                return Err(StoreError::of(format!(
                    "the job store {} is empty (0 bytes): it is not a store this server wrote, or \
                     its contents were lost; refusing to start rather than overwrite it. Restore it \
                     from a backup, or move it away to start with no jobs",
                    path.display()
                )))
            }
            Ok(_) => builder.open(path).map_err(|e| {
                StoreError::of(format!(
                    "cannot read the job store {}: {e}; refusing to start rather than overwrite \
                     it",
                    path.display()
                ))
            })?,
            Err(_) => builder
                .create(path)
                .map_err(|e| StoreError::of(format!("cannot create {}: {e}", path.display())))?,
        };
        let txn = db.begin_write().map_err(err)?;
        {
            txn.open_table(JOBS).map_err(err)?;
            txn.open_table(INPUTS).map_err(err)?;
            txn.open_table(EVENTS).map_err(err)?;
        }
        txn.commit().map_err(err)?;
        Ok(RedbStore { db: Arc::new(db) })
    }

    fn write(
        &self,
        f: impl FnOnce(&redb::WriteTransaction) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut txn = self.db.begin_write().map_err(err)?;
        txn.set_durability(Durability::Immediate).map_err(err)?;
        f(&txn)?;
        txn.commit().map_err(err)
    }
}

fn put_record(txn: &redb::WriteTransaction, record: &JobRecord) -> Result<(), StoreError> {
    let bytes = serde_json::to_vec(record).map_err(err)?;
    txn.open_table(JOBS)
        .map_err(err)?
        .insert(record.job_id.as_str(), bytes.as_slice())
        .map_err(err)?;
    Ok(())
}

/// The store's operations as they run: blocking, on a thread of the blocking pool.
impl RedbStore {
    fn create_now(&self, record: &JobRecord, inputs: &[Value]) -> Result<(), StoreError> {
        let inputs = serde_json::to_vec(inputs).map_err(err)?;
        self.write(|txn| {
            put_record(txn, record)?;
            txn.open_table(INPUTS)
                .map_err(err)?
                .insert(record.job_id.as_str(), inputs.as_slice())
                .map_err(err)?;
            Ok(())
        })
    }

    fn get_now(&self, job_id: &str) -> Result<Option<JobRecord>, StoreError> {
        let txn = self.db.begin_read().map_err(err)?;
        let table = txn.open_table(JOBS).map_err(err)?;
        match table.get(job_id).map_err(err)? {
            Some(v) => serde_json::from_slice(v.value()).map(Some).map_err(err),
            None => Ok(None),
        }
    }

    fn inputs_now(&self, job_id: &str) -> Result<Vec<Value>, StoreError> {
        let txn = self.db.begin_read().map_err(err)?;
        let table = txn.open_table(INPUTS).map_err(err)?;
        match table.get(job_id).map_err(err)? {
            Some(v) => serde_json::from_slice(v.value()).map_err(err),
            None => Ok(Vec::new()),
        }
    }

    fn append_now(&self, record: &JobRecord, events: &[StoredEvent]) -> Result<(), StoreError> {
        self.write(|txn| {
            put_record(txn, record)?;
            let mut table = txn.open_table(EVENTS).map_err(err)?;
            for e in events {
                table
                    .insert((record.job_id.as_str(), e.id), e.encode().as_slice())
                    .map_err(err)?;
            }
            Ok(())
        })
    }

    fn request_cancel_now(&self, job_id: &str) -> Result<Option<JobRecord>, StoreError> {
        let mut out = None;
        self.write(|txn| {
            let current = {
                let table = txn.open_table(JOBS).map_err(err)?;
                let value = table.get(job_id).map_err(err)?;
                match value {
                    Some(v) => Some(serde_json::from_slice::<JobRecord>(v.value()).map_err(err)?),
                    None => None,
                }
            };
            if let Some(mut record) = current {
                if !record.status.is_finished() && !record.cancel_requested {
                    record.cancel_requested = true;
                    put_record(txn, &record)?;
                }
                out = Some(record);
            }
            Ok(())
        })?;
        Ok(out)
    }

    fn events_now(
        &self,
        job_id: &str,
        from: u64,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let txn = self.db.begin_read().map_err(err)?;
        let table = txn.open_table(EVENTS).map_err(err)?;
        let mut out = Vec::with_capacity(limit.min(1024));
        for item in table
            .range((job_id, from)..=(job_id, u64::MAX))
            .map_err(err)?
            .take(limit)
        {
            let (key, value) = item.map_err(err)?;
            let id = key.value().1;
            if let Some(e) = StoredEvent::decode(id, value.value()) {
                out.push(e);
            }
        }
        Ok(out)
    }

    fn unfinished_now(&self) -> Result<Vec<JobRecord>, StoreError> {
        let txn = self.db.begin_read().map_err(err)?;
        let table = txn.open_table(JOBS).map_err(err)?;
        let mut out = Vec::new();
        for item in table.iter().map_err(err)? {
            let (_, v) = item.map_err(err)?;
            let record: JobRecord = serde_json::from_slice(v.value()).map_err(err)?;
            if !record.status.is_finished() {
                out.push(record);
            }
        }
        out.sort_by_key(|r| r.created_at);
        Ok(out)
    }

    fn delete_finished_before_now(&self, cutoff_ms: u64) -> Result<usize, StoreError> {
        let expired: Vec<String> = {
            let txn = self.db.begin_read().map_err(err)?;
            let table = txn.open_table(JOBS).map_err(err)?;
            let mut ids = Vec::new();
            for item in table.iter().map_err(err)? {
                let (k, v) = item.map_err(err)?;
                let record: JobRecord = serde_json::from_slice(v.value()).map_err(err)?;
                if record.status.is_finished() && record.finished_at.is_some_and(|t| t < cutoff_ms)
                {
                    ids.push(k.value().to_owned());
                }
            }
            ids
        };
        if expired.is_empty() {
            return Ok(0);
        }
        self.write(|txn| {
            let mut jobs = txn.open_table(JOBS).map_err(err)?;
            let mut inputs = txn.open_table(INPUTS).map_err(err)?;
            let mut events = txn.open_table(EVENTS).map_err(err)?;
            for id in &expired {
                jobs.remove(id.as_str()).map_err(err)?;
                inputs.remove(id.as_str()).map_err(err)?;
                events
                    .retain_in((id.as_str(), 0)..=(id.as_str(), u64::MAX), |_, _| false)
                    .map_err(err)?;
            }
            Ok(())
        })?;
        Ok(expired.len())
    }

    fn healthy_now(&self) -> bool {
        self.db.begin_read().is_ok()
    }
}

/// Runs a blocking store operation off the reactor.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::of(format!("a store operation stopped: {e}")))?
}

impl JobStore for RedbStore {
    fn create<'a>(
        &'a self,
        record: &'a JobRecord,
        inputs: &'a [Value],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let (this, record) = (self.clone(), record.clone());
        let inputs = inputs.to_vec();
        Box::pin(blocking(move || this.create_now(&record, &inputs)))
    }

    fn get<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<Option<JobRecord>, StoreError>> {
        let (this, id) = (self.clone(), job_id.to_owned());
        Box::pin(blocking(move || this.get_now(&id)))
    }

    fn inputs<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<Vec<Value>, StoreError>> {
        let (this, id) = (self.clone(), job_id.to_owned());
        Box::pin(blocking(move || this.inputs_now(&id)))
    }

    fn append<'a>(
        &'a self,
        record: &'a JobRecord,
        events: &'a [StoredEvent],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let (this, record, events) = (self.clone(), record.clone(), events.to_vec());
        Box::pin(blocking(move || this.append_now(&record, &events)))
    }

    fn request_cancel<'a>(
        &'a self,
        job_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<JobRecord>, StoreError>> {
        let (this, id) = (self.clone(), job_id.to_owned());
        Box::pin(blocking(move || this.request_cancel_now(&id)))
    }

    fn events<'a>(
        &'a self,
        job_id: &'a str,
        from: u64,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<StoredEvent>, StoreError>> {
        let (this, id) = (self.clone(), job_id.to_owned());
        Box::pin(blocking(move || this.events_now(&id, from, limit)))
    }

    fn unfinished(&self) -> BoxFuture<'_, Result<Vec<JobRecord>, StoreError>> {
        let this = self.clone();
        Box::pin(blocking(move || this.unfinished_now()))
    }

    fn delete_finished_before(&self, cutoff_ms: u64) -> BoxFuture<'_, Result<usize, StoreError>> {
        let this = self.clone();
        Box::pin(blocking(move || this.delete_finished_before_now(cutoff_ms)))
    }

    fn healthy(&self) -> BoxFuture<'_, bool> {
        let this = self.clone();
        Box::pin(async move {
            blocking(move || Ok(this.healthy_now()))
                .await
                .unwrap_or(false)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> JobRecord {
        JobRecord {
            job_id: id.into(),
            owner: "alice".into(),
            status: JobStatus::Pending,
            total_beams: 2,
            completed_beams: 0,
            succeeded: 0,
            failed: 0,
            errors: 0,
            created_at: 1,
            started_at: None,
            finished_at: None,
            next_event_id: 1,
            cancel_requested: false,
        }
    }

    fn event(id: u64) -> StoredEvent {
        StoredEvent {
            id,
            name: "progress".into(),
            data: format!("{{\"current\":{id}}}"),
        }
    }

    #[test]
    fn records_inputs_and_events_survive_reopening() {
        let dir = std::env::temp_dir().join(format!("beamline-store-{}", std::process::id()));
        let path = dir.join("jobs.redb");
        {
            let store = RedbStore::open(&path, 8).unwrap();
            store
                .create_now(&record("j1"), &[Value::from(1), Value::from(2)])
                .unwrap();
            store.create_now(&record("j2"), &[]).unwrap();
            let mut r = record("j1");
            r.status = JobStatus::Running;
            r.next_event_id = 4;
            store
                .append_now(&r, &[event(1), event(2), event(3)])
                .unwrap();
            store.append_now(&record("j2"), &[event(1)]).unwrap();
        }
        let store = RedbStore::open(&path, 8).unwrap();
        assert_eq!(store.get_now("j1").unwrap().unwrap().next_event_id, 4);
        assert_eq!(store.inputs_now("j1").unwrap().len(), 2);
        let events = store.events_now("j1", 2, 10).unwrap();
        assert_eq!(events.iter().map(|e| e.id).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(events[0], event(2));
        assert_eq!(store.events_now("j1", 1, 2).unwrap().len(), 2);
        assert_eq!(store.unfinished_now().unwrap().len(), 2);
        // Cancelling keeps the progress committed before it.
        let cancelled = store.request_cancel_now("j1").unwrap().unwrap();
        assert!(cancelled.cancel_requested);
        assert_eq!(cancelled.next_event_id, 4);
        assert!(store.request_cancel_now("nope").unwrap().is_none());

        let mut done = record("j1");
        done.status = JobStatus::Completed;
        done.finished_at = Some(10);
        store.append_now(&done, &[]).unwrap();
        assert_eq!(store.delete_finished_before_now(5).unwrap(), 0);
        assert_eq!(store.delete_finished_before_now(11).unwrap(), 1);
        assert!(store.get_now("j1").unwrap().is_none());
        assert!(store.events_now("j1", 1, 10).unwrap().is_empty());
        assert_eq!(store.events_now("j2", 1, 10).unwrap().len(), 1);
        std::fs::remove_dir_all(dir).ok();
    }
}

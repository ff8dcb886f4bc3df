//! The job manager: accepts jobs, runs a bounded number at a time off the async reactor, resumes
//! unfinished ones after a restart, cancels, tells followers about new events, and deletes expired
//! jobs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::events;
use super::store::{JobRecord, JobStatus, JobStore, StoreError, StoredEvent};
use crate::clock::unix_millis as now_ms;
use crate::config::JobsConfig;
use crate::error::ApiError;
use crate::metrics::Metrics;
use beamline_seams::jobs::Claim;

/// How many jobs wait to run, in all and for each owner: admission checks and counts in one step
/// under one lock, so that the caps are exact however many submissions arrive at once.
#[derive(Default)]
struct Waiting {
    total: usize,
    by_owner: HashMap<String, usize>,
}

impl Waiting {
    fn admit(&mut self, owner: &str, config: &JobsConfig) -> Result<(), ApiError> {
        if self.total >= config.max_queued {
            return Err(ApiError::QueueFull(format!(
                "{} jobs are already waiting; try again shortly",
                config.max_queued
            )));
        }
        let mine = self.by_owner.get(owner).copied().unwrap_or(0);
        if mine >= config.max_queued_per_user {
            return Err(ApiError::QueueFull(format!(
                "you already have {mine} jobs waiting, the most one user may; try again when one \
                 has started"
            )));
        }
        self.add(owner);
        Ok(())
    }

    fn add(&mut self, owner: &str) {
        self.total += 1;
        *self.by_owner.entry(owner.to_owned()).or_insert(0) += 1;
    }

    fn remove(&mut self, owner: &str) {
        self.total = self.total.saturating_sub(1);
        if let Some(n) = self.by_owner.get_mut(owner) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.by_owner.remove(owner);
            }
        }
    }
}

/// A job that is queued or running in this process.
struct Live {
    /// The id of the last committed event; followers wait on it.
    last_event: watch::Sender<u64>,
    cancel: CancellationToken,
}

pub struct JobManager {
    store: Arc<dyn JobStore>,
    config: JobsConfig,
    /// Jobs waiting to run: (job id, owner).
    queue: mpsc::UnboundedSender<(String, String)>,
    receiver: Mutex<Option<mpsc::UnboundedReceiver<(String, String)>>>,
    waiting: Mutex<Waiting>,
    live: Mutex<HashMap<String, Live>>,
    metrics: Arc<Metrics>,
    /// This instance, as the holder of the jobs it runs (several instances share a store).
    holder: String,
}

fn internal(e: StoreError) -> ApiError {
    if e.unavailable {
        ApiError::NotReady(format!("The job store is unavailable: {}", e.message))
    } else {
        ApiError::Internal(e.to_string())
    }
}

/// A chunk of a job being designed: its events and the record advanced past it.
type DesignedChunk = (JobRecord, Vec<StoredEvent>);

/// A chunk designed on a thread of its own at a lower scheduling priority (nice 10), so that a machine
/// busy designing batches still answers interactive requests first. The thread starts at once; the
/// chunk is awaited later.
struct Designing(tokio::sync::oneshot::Receiver<DesignedChunk>);

impl Designing {
    /// Designs `chunk` beams of `inputs` after those `record` has completed, after the `pending`
    /// events (the job's `start`, on its first chunk).
    fn start(
        inputs: &Arc<Vec<Value>>,
        mut record: JobRecord,
        mut pending: Vec<StoredEvent>,
        chunk: usize,
    ) -> Result<Designing, ApiError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let inputs = inputs.clone();
        std::thread::Builder::new()
            .name("beamline-batch".into())
            .spawn(move || {
                lower_priority();
                let from = record.completed_beams.min(inputs.len());
                let to = (from + chunk).min(inputs.len());
                pending.extend(events::design_chunk(&mut record, &inputs[from..to]));
                let _ = tx.send((record, pending));
            })
            .map_err(|e| ApiError::Internal(format!("starting a batch thread: {e}")))?;
        Ok(Designing(rx))
    }

    async fn done(self) -> Result<DesignedChunk, ApiError> {
        self.0
            .await
            .map_err(|e| ApiError::Internal(format!("a batch thread failed: {e}")))
    }
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: setpriority on this thread's own id changes only its scheduling priority.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

impl JobManager {
    pub fn new(store: Arc<dyn JobStore>, config: JobsConfig, metrics: Arc<Metrics>) -> Self {
        let (queue, receiver) = mpsc::unbounded_channel();
        JobManager {
            store,
            config,
            queue,
            receiver: Mutex::new(Some(receiver)),
            waiting: Mutex::new(Waiting::default()),
            live: Mutex::new(HashMap::new()),
            metrics,
            holder: format!("{:016x}", rand::random::<u64>()),
        }
    }

    fn lease(&self) -> Duration {
        Duration::from_secs(self.config.lease_seconds.max(1))
    }

    /// Takes or renews this instance's hold on a job; whether it holds it, and whether a cancel
    /// was asked for (on any instance).
    async fn claim(&self, job_id: &str) -> Result<Claim, ApiError> {
        self.store
            .claim(job_id, &self.holder, self.lease())
            .await
            .map_err(internal)
    }

    /// Queues a job this instance now holds, whatever the caps (it was accepted already).
    fn adopt(&self, record: &JobRecord) {
        tracing::info!(job_id = %record.job_id, completed = record.completed_beams, "resuming job");
        self.register(record);
        self.waiting().add(&record.owner);
        self.enqueue(record.job_id.clone(), record.owner.clone());
    }

    pub fn config(&self) -> &JobsConfig {
        &self.config
    }

    pub fn store(&self) -> &Arc<dyn JobStore> {
        &self.store
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<String, Live>> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn register(&self, record: &JobRecord) {
        let (last_event, _) = watch::channel(record.next_event_id.saturating_sub(1));
        self.live().insert(
            record.job_id.clone(),
            Live {
                last_event,
                cancel: CancellationToken::new(),
            },
        );
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues a job that has already been counted as waiting.
    fn enqueue(&self, job_id: String, owner: String) {
        let _ = self.queue.send((job_id, owner));
    }

    /// Stores a new job (durably, before it is acknowledged) and queues it, within the caps on
    /// waiting jobs (in all and per owner).
    pub async fn submit(&self, owner: &str, beams: Vec<Value>) -> Result<JobRecord, ApiError> {
        self.waiting().admit(owner, &self.config)?;
        let record = JobRecord {
            job_id: new_job_id(),
            owner: owner.to_owned(),
            status: JobStatus::Pending,
            total_beams: beams.len(),
            completed_beams: 0,
            succeeded: 0,
            failed: 0,
            errors: 0,
            created_at: now_ms(),
            started_at: None,
            finished_at: None,
            next_event_id: 1,
            cancel_requested: false,
        };
        let created = self.store.create(&record, &beams).await;
        if let Err(e) = created.map_err(internal) {
            self.waiting().remove(owner);
            return Err(e);
        }
        self.claim(&record.job_id).await?;
        self.register(&record);
        self.enqueue(record.job_id.clone(), record.owner.clone());
        Ok(record)
    }

    /// The job, if it exists and belongs to `owner` (anyone else gets a 404, as if it did not exist).
    pub async fn get(&self, owner: &str, job_id: &str) -> Result<JobRecord, ApiError> {
        match self.record(job_id).await? {
            Some(r) if r.owner == owner => Ok(r),
            _ => Err(ApiError::NotFound),
        }
    }

    /// The job's record, whoever owns it.
    pub(crate) async fn record(&self, job_id: &str) -> Result<Option<JobRecord>, ApiError> {
        self.store.get(job_id).await.map_err(internal)
    }

    /// Asks a job to stop: a running job stops after the chunk it is designing, a queued one as soon as
    /// its turn comes (without designing anything). The stream then ends with `complete` `cancelled`.
    pub async fn cancel(&self, owner: &str, job_id: &str) -> Result<JobRecord, ApiError> {
        let record = self.get(owner, job_id).await?;
        if record.status.is_finished() {
            return Ok(record);
        }
        // The runner stops at once through the token; the stored flag keeps the request across a
        // restart, and is set in one transaction so that no progress committed meanwhile is undone.
        if let Some(live) = self.live().get(job_id) {
            live.cancel.cancel();
        }
        let mut record = self
            .store
            .request_cancel(job_id)
            .await
            .map_err(internal)?
            .ok_or(ApiError::NotFound)?;
        // The runner may have stopped (and written its record) between the two steps.
        record.cancel_requested = true;
        Ok(record)
    }

    /// A receiver of the job's last committed event id, while the job is queued or running here.
    pub fn subscribe(&self, job_id: &str) -> Option<watch::Receiver<u64>> {
        self.live().get(job_id).map(|l| l.last_event.subscribe())
    }

    /// Starts the dispatcher and the sweeper, and queues the jobs a previous run left unfinished.
    pub async fn start(
        self: &Arc<Self>,
        tasks: TaskTracker,
        shutdown: CancellationToken,
    ) -> Result<usize, ApiError> {
        let unfinished = self.store.unfinished().await.map_err(internal)?;
        let mut resumed = 0;
        for record in unfinished {
            // Another instance may be running it (several instances share the store).
            if self.claim(&record.job_id).await? != Claim::Lost {
                self.adopt(&record);
                resumed += 1;
            }
        }
        let receiver = self
            .receiver
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(mut receiver) = receiver {
            let manager = self.clone();
            let slots = Arc::new(Semaphore::new(self.config.max_running.max(1)));
            let (dispatch_tasks, token) = (tasks.clone(), shutdown.clone());
            tasks.spawn(async move {
                loop {
                    let (job_id, owner) = tokio::select! {
                        _ = token.cancelled() => break,
                        next = receiver.recv() => match next { Some(next) => next, None => break },
                    };
                    let permit = tokio::select! {
                        _ = token.cancelled() => break,
                        p = slots.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
                    };
                    manager.waiting().remove(&owner);
                    let (m, t) = (manager.clone(), token.clone());
                    dispatch_tasks.spawn(async move {
                        m.run(&job_id, t).await;
                        drop(permit);
                    });
                }
            });
        }
        let manager = self.clone();
        let token = shutdown.clone();
        tasks.spawn(async move { manager.sweep_until(token).await });
        let manager = self.clone();
        tasks.spawn(async move { manager.take_over_until(shutdown).await });
        Ok(resumed)
    }

    async fn sweep_until(&self, shutdown: CancellationToken) {
        let retention = Duration::from_secs(self.config.retention_seconds);
        let every = (retention / 4).clamp(Duration::from_millis(250), Duration::from_secs(60));
        let mut tick = tokio::time::interval(every);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {
                    let cutoff = now_ms().saturating_sub(retention.as_millis() as u64);
                    match self.store.delete_finished_before(cutoff).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(deleted = n, "expired jobs deleted"),
                        Err(e) => tracing::error!(error = %e, "deleting expired jobs"),
                    }
                }
            }
        }
    }

    /// Takes over the jobs whose instance stopped renewing its hold on them (it crashed): they go on
    /// from their last committed event.
    async fn take_over_until(&self, shutdown: CancellationToken) {
        let mut tick = tokio::time::interval(self.lease() / 2);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {
                    // Keep the hold on the jobs queued or running here.
                    let mine: Vec<String> = self.live().keys().cloned().collect();
                    for job_id in mine {
                        if let Err(e) = self.claim(&job_id).await {
                            tracing::warn!(job_id, error = %e, "renewing the hold on a job");
                        }
                    }
                    let orphans = match self.store.orphans().await {
                        Ok(o) => o,
                        Err(e) => {
                            tracing::warn!(error = %e, "looking for jobs to take over");
                            continue;
                        }
                    };
                    for record in orphans {
                        if matches!(self.claim(&record.job_id).await, Ok(Claim::Held { .. })) {
                            tracing::info!(job_id = %record.job_id, "taking over a job whose instance stopped");
                            self.adopt(&record);
                        }
                    }
                }
            }
        }
    }

    fn notify(&self, record: &JobRecord) {
        if let Some(live) = self.live().get(&record.job_id) {
            live.last_event
                .send_replace(record.next_event_id.saturating_sub(1));
        }
    }

    fn cancel_token(&self, job_id: &str) -> CancellationToken {
        self.live()
            .get(job_id)
            .map(|l| l.cancel.clone())
            .unwrap_or_default()
    }

    /// Runs a job from where its record says it stopped, committing each chunk of events with the
    /// advanced record. On shutdown it simply stops: everything it did is already committed.
    async fn run(&self, job_id: &str, shutdown: CancellationToken) {
        let outcome = self.run_inner(job_id, &shutdown).await;
        if let Err(e) = outcome {
            tracing::error!(job_id, error = %e, "job failed");
            let _ = self.fail(job_id).await;
        }
        if !shutdown.is_cancelled() {
            self.live().remove(job_id);
        }
    }

    async fn run_inner(&self, job_id: &str, shutdown: &CancellationToken) -> Result<(), ApiError> {
        let record = self.store.get(job_id).await.map_err(internal)?;
        let inputs = self.store.inputs(job_id).await.map_err(internal)?;
        let loaded = (record, inputs);
        let (Some(mut record), inputs) = loaded else {
            return Ok(());
        };
        if record.status.is_finished() {
            self.notify(&record);
            return Ok(());
        }
        let inputs = Arc::new(inputs);
        let cancel = self.cancel_token(job_id);
        let mut first = Vec::new();
        if record.next_event_id == 1 {
            let start = events::start(&record);
            first.push(events::event(&mut record, &start));
        }
        record.status = JobStatus::Running;
        record.started_at.get_or_insert_with(now_ms);
        let chunk = self.config.chunk_size.max(1);
        // While a chunk is committed (a durable write that waits for the disk), the next one is
        // being designed. It is committed only after the next claim, so a job taken over or
        // cancelled meanwhile loses at most that one uncommitted chunk of work.
        let mut ahead: Option<Designing> = None;
        loop {
            if shutdown.is_cancelled() {
                return Ok(());
            }
            match self.claim(job_id).await? {
                // Another instance took the job over (this one stalled past its lease): it goes on
                // from the last committed event there.
                Claim::Lost => return Ok(()),
                Claim::Held { cancel_requested } => record.cancel_requested |= cancel_requested,
            }
            if record.cancel_requested
                || cancel.is_cancelled()
                || record.completed_beams >= record.total_beams
            {
                break;
            }
            let before = record.completed_beams;
            let designing = match ahead.take() {
                Some(designing) => designing,
                None => {
                    Designing::start(&inputs, record.clone(), std::mem::take(&mut first), chunk)?
                }
            };
            let (next, pending) = designing.done().await?;
            if next.completed_beams < next.total_beams {
                ahead = Some(Designing::start(&inputs, next.clone(), Vec::new(), chunk)?);
            }
            self.store.append(&next, &pending).await.map_err(internal)?;
            record = next;
            self.metrics
                .record_designs((record.completed_beams - before) as u64);
            self.notify(&record);
        }
        if cancel.is_cancelled() {
            record.cancel_requested = true;
        }
        // Every beam designed is a completed job, even if a cancel came too late to stop it.
        let status = if record.completed_beams >= record.total_beams {
            JobStatus::Completed
        } else {
            JobStatus::Cancelled
        };
        self.finish(record, status, first).await
    }

    async fn finish(
        &self,
        mut record: JobRecord,
        status: JobStatus,
        mut pending: Vec<StoredEvent>,
    ) -> Result<(), ApiError> {
        if pending.is_empty() && record.next_event_id == 1 {
            let start = events::start(&record);
            pending.push(events::event(&mut record, &start));
        }
        let finished = now_ms();
        let duration = finished.saturating_sub(record.started_at.unwrap_or(record.created_at));
        let label = match status {
            JobStatus::Completed => "done",
            JobStatus::Cancelled => "cancelled",
            _ => "failed",
        };
        let complete = events::complete(&record, label, duration);
        pending.push(events::event(&mut record, &complete));
        record.status = status;
        record.finished_at = Some(finished);
        record.started_at.get_or_insert(finished);
        self.store
            .append(&record, &pending)
            .await
            .map_err(internal)?;
        self.notify(&record);
        Ok(())
    }

    async fn fail(&self, job_id: &str) -> Result<(), ApiError> {
        if let Some(record) = self.store.get(job_id).await.map_err(internal)? {
            if !record.status.is_finished() {
                self.finish(record, JobStatus::Failed, Vec::new()).await?;
            }
        }
        Ok(())
    }
}

fn new_job_id() -> String {
    let bits: u128 = rand::random();
    format!("job_{bits:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::store::RedbStore;

    fn manager(max_queued: usize, per_user: usize) -> (Arc<JobManager>, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "beamline-admission-{}-{max_queued}-{per_user}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Arc::new(RedbStore::open(&dir.join("jobs.redb"), 8).unwrap());
        let config = JobsConfig {
            max_queued,
            max_queued_per_user: per_user,
            ..JobsConfig::default()
        };
        let metrics = Arc::new(Metrics::default());
        (Arc::new(JobManager::new(store, config, metrics)), dir)
    }

    /// Submits `n` jobs for each owner all at once (no dispatcher runs, so nothing leaves the
    /// queue); how many each owner got accepted.
    async fn flood(m: &Arc<JobManager>, owners: &[(&'static str, usize)]) -> Vec<usize> {
        let mut handles = Vec::new();
        for &(owner, n) in owners {
            for _ in 0..n {
                let m = m.clone();
                handles.push((
                    owner,
                    tokio::spawn(async move { m.submit(owner, Vec::new()).await.is_ok() }),
                ));
            }
        }
        let mut accepted = vec![0; owners.len()];
        for (owner, h) in handles {
            if h.await.unwrap() {
                let i = owners.iter().position(|(o, _)| *o == owner).unwrap();
                accepted[i] += 1;
            }
        }
        accepted
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn the_global_cap_is_exact_under_concurrency() {
        let (m, dir) = manager(100, 1000);
        let accepted = flood(&m, &[("a", 80), ("b", 80)]).await;
        assert_eq!(accepted.iter().sum::<usize>(), 100, "{accepted:?}");
        assert!(m.submit("c", Vec::new()).await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn one_user_cannot_fill_the_queue_for_everyone() {
        let (m, dir) = manager(100, 30);
        let accepted = flood(&m, &[("a", 80), ("b", 10)]).await;
        assert_eq!(accepted, [30, 10]);
        assert!(m.submit("c", Vec::new()).await.is_ok());
        let Err(e) = m.submit("a", Vec::new()).await else {
            panic!("a 31st job of one user was accepted")
        };
        assert!(
            e.to_string().contains("you already have 30 jobs waiting"),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}

//! Reading a job back (docs/jobs.md): its events as they come (`follow`) and its beams' outcomes
//! (`outcomes`), one page of the store at a time, so that memory per reader is a page whatever the
//! size of the job.

use std::sync::Arc;
use std::time::Duration;

use beamline_batch::JobEvent;
use futures_util::Stream;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::manager::JobManager;
use super::store::StoredEvent;
use crate::error::ApiError;

/// Events read from the store per page.
pub const PAGE: usize = 512;

/// What a follower receives.
#[derive(Debug)]
pub enum Followed {
    Event(StoredEvent),
    /// Nothing new for a keepalive interval.
    Quiet,
}

impl JobManager {
    /// Up to a page of the job's events from id `from` on.
    pub async fn page(&self, job_id: &str, from: u64) -> Result<Vec<StoredEvent>, ApiError> {
        self.store()
            .events(job_id, from, PAGE)
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))
    }

    /// The beams of a job as they were submitted.
    pub async fn inputs(&self, job_id: &str) -> Result<Vec<Value>, ApiError> {
        self.store()
            .inputs(job_id)
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))
    }

    /// The job's events after `after`, then live ones until `complete` (or shutdown), with
    /// [`Followed::Quiet`] after each quiet keepalive interval.
    pub fn follow(
        self: &Arc<Self>,
        job_id: String,
        after: u64,
        shutdown: CancellationToken,
    ) -> impl Stream<Item = Followed> + Send + 'static {
        let jobs = self.clone();
        let keepalive = Duration::from_secs(jobs.config().keepalive_seconds.max(1));
        async_stream::stream! {
            let mut next = after.saturating_add(1);
            let mut updates = jobs.subscribe(&job_id);
            loop {
                if let Some(rx) = updates.as_mut() {
                    rx.borrow_and_update();
                }
                let Ok(page) = jobs.page(&job_id, next).await else { break };
                let full = page.len() == PAGE;
                let mut done = false;
                for e in page {
                    done |= e.name == JobEvent::COMPLETE;
                    next = e.id + 1;
                    yield Followed::Event(e);
                }
                if done {
                    break;
                }
                if full {
                    continue;
                }
                if updates.is_none() {
                    // Not running here: a finished job has nothing more to say.
                    match jobs.record(&job_id).await {
                        Ok(Some(r)) if r.status.is_finished() && next >= r.next_event_id => break,
                        Ok(None) | Err(_) => break,
                        _ => {}
                    }
                }
                // Caught up: wait for the next commit, a keepalive, or shutdown.
                let changed = async {
                    match updates.as_mut() {
                        Some(rx) => rx.changed().await.is_ok(),
                        None => {
                            tokio::time::sleep(Duration::from_millis(200)).await;
                            true
                        }
                    }
                };
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    ok = changed => {
                        if !ok {
                            // The job left this process (finished): read on to its `complete`.
                            updates = None;
                        }
                    }
                    _ = tokio::time::sleep(keepalive) => yield Followed::Quiet,
                }
            }
        }
    }

    /// The job's `design_result` and `error` events so far, a page at a time.
    pub fn outcomes(
        self: &Arc<Self>,
        job_id: String,
    ) -> impl Stream<Item = Result<Vec<StoredEvent>, ApiError>> + Send + 'static {
        let jobs = self.clone();
        async_stream::stream! {
            let mut next = 1;
            loop {
                let page = match jobs.page(&job_id, next).await {
                    Ok(page) => page,
                    Err(e) => {
                        yield Err(e);
                        break;
                    }
                };
                let full = page.len() == PAGE;
                if let Some(last) = page.last() {
                    next = last.id + 1;
                }
                yield Ok(page.into_iter().filter(|e| JobEvent::is_outcome_name(&e.name)).collect());
                if !full {
                    break;
                }
            }
        }
    }
}

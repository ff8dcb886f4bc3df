//! The state every handler and middleware shares, built from injected parts: the session hub, the rate
//! limiter and the job store are chosen by whoever builds the state (a deployment, a test), never by
//! the code that uses them.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::auth::{self, Authenticator};
use crate::client_addr::Cidr;
use crate::config::Config;
use crate::jobs::{manager::JobManager, store::JobStore, store::RedbStore};
use crate::metrics::Metrics;
use crate::rate_limit::{InProcessLimiter, Limiting, RateLimiter};
use crate::sessions::hub::{HubLimits, InProcessHub, SessionHub};
use crate::sessions::open::OpenPerUser;
use beamline_seams::Probe;

/// The shared state; cloning it is one reference-count increment.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub config: Config,
    pub auth: Arc<Authenticator>,
    pub metrics: Arc<Metrics>,
    pub limiter: Option<Arc<dyn RateLimiter>>,
    pub hub: Arc<dyn SessionHub>,
    pub jobs: Arc<JobManager>,
    /// What `/ready` asks besides the job store (Redis, when the backends use it).
    pub probes: Vec<Arc<dyn Probe>>,
    /// Live connections open per user.
    pub open_per_user: Arc<OpenPerUser>,
    /// `trusted_proxies`, parsed once.
    pub trusted_proxies: Arc<[Cidr]>,
    /// Cancelled when the server begins to shut down; long-lived connections select on it.
    pub shutdown: CancellationToken,
    /// Tasks that must finish (or checkpoint) before the process exits.
    pub tasks: TaskTracker,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The backends a state is built from.
pub struct Parts {
    /// `None`: no rate limit.
    pub limiter: Option<Arc<dyn RateLimiter>>,
    pub hub: Arc<dyn SessionHub>,
    pub job_store: Arc<dyn JobStore>,
    pub probes: Vec<Arc<dyn Probe>>,
}

impl Parts {
    /// The embedded backends: in-process hub and limiter, and the redb job store under the data
    /// directory.
    pub fn in_process(config: &Config) -> Result<Parts, StartError> {
        let limiter: Option<Arc<dyn RateLimiter>> = (config.rate_limit.requests > 0).then(|| {
            Arc::new(InProcessLimiter::new(
                config.rate_limit.requests,
                Duration::from_secs(config.rate_limit.window_seconds),
            )) as Arc<dyn RateLimiter>
        });
        let ws = &config.sessions;
        let hub = Arc::new(InProcessHub::new(HubLimits {
            max_sessions: ws.max_sessions,
            max_members: ws.max_members,
            queue: ws.queue,
            empty_ttl: Duration::from_secs(ws.empty_session_ttl_seconds),
        }));
        let store = RedbStore::open(
            &config.data_dir.join("jobs.redb"),
            config.jobs.store_cache_mb,
        )
        .map_err(|e| StartError::Config(e.to_string()))?;
        Ok(Parts {
            limiter,
            hub,
            job_store: Arc::new(store),
            probes: Vec::new(),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Auth(#[from] auth::AuthSetupError),
    #[error("{0}")]
    Config(String),
}

impl AppState {
    /// The state for a configuration, with the embedded backends.
    pub fn new(config: Config) -> Result<AppState, StartError> {
        let parts = Parts::in_process(&config)?;
        AppState::from_parts(config, parts)
    }

    /// The state for a configuration with the backends given.
    pub fn from_parts(config: Config, parts: Parts) -> Result<AppState, StartError> {
        let auth = Authenticator::from_config(&config.auth)?;
        let metrics = Arc::new(Metrics::default());
        let jobs = Arc::new(JobManager::new(
            parts.job_store,
            config.jobs.clone(),
            metrics.clone(),
        ));
        Ok(AppState(Arc::new(Shared {
            hub: parts.hub,
            jobs,
            probes: parts.probes,
            trusted_proxies: config.trusted_proxy_networks().into(),
            open_per_user: Arc::default(),
            config,
            auth: Arc::new(auth),
            metrics,
            limiter: parts.limiter,
            shutdown: CancellationToken::new(),
            tasks: TaskTracker::new(),
        })))
    }
}

impl FromRef<AppState> for Arc<Authenticator> {
    fn from_ref(state: &AppState) -> Self {
        state.auth.clone()
    }
}

impl FromRef<AppState> for Limiting {
    fn from_ref(state: &AppState) -> Self {
        Limiting {
            limiter: state.limiter.clone(),
            trust_proxy: state.config.trust_proxy,
            trusted_proxies: state.trusted_proxies.clone(),
        }
    }
}

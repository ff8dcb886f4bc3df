//! `beamline serve`: the HTTP service.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use beamline_server::auth::ALL_SCOPES;
use beamline_server::config::{parse_log_format, LogFormat, Overrides};
use beamline_server::rate_limit::RateLimiter;
use beamline_server::sessions::hub::HubLimits;
use beamline_server::state::Parts;
use beamline_server::{telemetry, AppState, Config};
use clap::Args;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on [env: BEAMLINE_BIND] [default: 127.0.0.1:8000].
    #[arg(long)]
    pub bind: Option<SocketAddr>,
    /// Directory of the embedded stores [env: BEAMLINE_DATA_DIR] [default: ./data].
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Redis URL for running several instances [env: BEAMLINE_REDIS_URL].
    #[arg(long)]
    pub redis_url: Option<String>,
    /// Configuration file (TOML; `beamline config` prints a documented one) [env: BEAMLINE_CONFIG].
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Log format: pretty or json [env: BEAMLINE_LOG_FORMAT].
    #[arg(long, value_parser = parse_format)]
    pub log_format: Option<LogFormat>,
    /// Turn authentication off (same as BEAMLINE_AUTH=off).
    #[arg(long)]
    pub no_auth: bool,
    /// Take the client address from X-Forwarded-For / X-Real-IP (only behind a trusted proxy).
    #[arg(long)]
    pub trust_proxy: bool,
}

fn parse_format(s: &str) -> Result<LogFormat, String> {
    parse_log_format(s).ok_or_else(|| format!("expected json or pretty, got {s:?}"))
}

impl ServeArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config_file: self.config.clone(),
            bind: self.bind,
            data_dir: self.data_dir.clone(),
            redis_url: self.redis_url.clone(),
            log_format: self.log_format,
            no_auth: self.no_auth,
            trust_proxy: self.trust_proxy,
        }
    }
}

/// Loads the configuration from the flags and the process environment.
pub fn load_config(overrides: &Overrides) -> Result<Config, String> {
    Config::load(overrides, &|name| std::env::var(name).ok()).map_err(|e| e.to_string())
}

pub fn run(args: ServeArgs) -> ExitCode {
    let config = match load_config(&args.overrides()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let served = runtime.block_on(serve(config));
    // Whatever is still running (a blocking read of a slow follower) gets a moment, not a veto:
    // shutdown ends within the documented grace time.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let bind = config.bind;
    let parts = match config.redis_url.clone() {
        Some(url) => redis_parts(&config, &url).await?,
        None => Parts::in_process(&config).map_err(|e| e.to_string())?,
    };
    let state = AppState::from_parts(config, parts).map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{addr}");
    println!("Beamline {} listening on {url}", env!("CARGO_PKG_VERSION"));

    if !state.auth.enabled() {
        tracing::warn!("authentication is off: every caller has every scope");
    } else if state.auth.generated_secret {
        tracing::warn!(
            "no JWT secret or public key configured: using a random secret for this run only \
             (set BEAMLINE_JWT_SECRET to keep tokens valid across restarts)"
        );
        // Printed, never logged: a ready-to-use token for trying the server out.
        let scopes: Vec<String> = ALL_SCOPES.iter().map(|s| s.to_string()).collect();
        let token = state
            .auth
            .issue("dev", &scopes, 24 * 3600)
            .map_err(|e| e.to_string())?;
        println!("Development token (scopes design analyze, valid 24 h):\n  {token}");
        // In the fragment: a browser never sends it to the server, so it is never in a log.
        println!("Live design page: {url}/#token={token}");
    }
    beamline_server::launch(state, listener, shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// The backends of one of several instances (docs/operations.md, "Several instances"): the rate
/// limit, the live sessions and the jobs in Redis.
async fn redis_parts(config: &Config, url: &str) -> Result<Parts, String> {
    let (client, conn) = beamline_redis::connect(url)
        .await
        .map_err(|e| format!("cannot reach Redis at {url}: {e}"))?;
    let limiter = (config.rate_limit.requests > 0).then(|| {
        Arc::new(beamline_redis::RedisLimiter::new(
            conn.clone(),
            config.rate_limit.requests,
            Duration::from_secs(config.rate_limit.window_seconds),
        )) as Arc<dyn RateLimiter>
    });
    let ws = &config.sessions;
    let hub = beamline_redis::RedisHub::new(
        client,
        conn.clone(),
        HubLimits {
            max_sessions: ws.max_sessions,
            max_members: ws.max_members,
            queue: ws.queue,
            empty_ttl: Duration::from_secs(ws.empty_session_ttl_seconds),
        },
    );
    let probe = Arc::new(hub.probe());
    let jobs = beamline_redis::RedisJobStore::new(conn);
    Ok(Parts {
        limiter,
        hub: Arc::new(hub),
        job_store: Arc::new(jobs),
        probes: vec![probe],
    })
}

//! The service's configuration: one struct, read from defaults < config file < `BEAMLINE_*`
//! environment < command-line flags (docs/http.md).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The documented default configuration file, embedded in the binary (`beamline config`).
pub const DEFAULT_CONFIG_FILE: &str = include_str!("../beamline.example.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Where the embedded stores keep their files.
    pub data_dir: PathBuf,
    /// Redis for running several instances; none by default.
    pub redis_url: Option<String>,
    pub log_format: LogFormat,
    /// Largest request body, bytes.
    pub body_limit_bytes: usize,
    /// Origins allowed by CORS; none by default.
    pub cors_origins: Vec<String>,
    /// Trust `X-Forwarded-For` / `X-Real-IP` for the client address (only behind a proxy).
    pub trust_proxy: bool,
    /// The proxies (CIDRs) whose `X-Forwarded-For` entries are believed: the client is the rightmost
    /// address that is not one of them. Default: this machine.
    pub trusted_proxies: Vec<String>,
    pub auth: AuthConfig,
    pub rate_limit: RateLimitConfig,
    pub sessions: SessionsConfig,
    pub jobs: JobsConfig,
    pub connections: ConnectionsConfig,
}

/// Limits on connections (docs/operations.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConnectionsConfig {
    /// Open connections at most; beyond it new ones get a 503 and are closed. Never more than the
    /// process's file limit allows (less a reserve for files and the store).
    pub max_open: usize,
    /// Time to send a request's head (and, on a kept-alive connection, to begin the next request).
    pub header_read_timeout_seconds: u64,
    /// Time to send a request's body once its head has arrived.
    pub body_read_timeout_seconds: u64,
}

impl Default for ConnectionsConfig {
    fn default() -> Self {
        ConnectionsConfig {
            max_open: 10_000,
            header_read_timeout_seconds: 10,
            body_read_timeout_seconds: 30,
        }
    }
}

/// Batch design jobs (docs/jobs.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobsConfig {
    /// Beams one job may hold.
    pub max_batch_beams: usize,
    /// Jobs designed at the same time; the rest wait in order.
    pub max_running: usize,
    /// Jobs that may wait; beyond that new jobs get a 503.
    pub max_queued: usize,
    /// Jobs one user (token `sub`) may have waiting; beyond that that user's new jobs get a 503.
    pub max_queued_per_user: usize,
    /// Beams designed and committed together.
    pub chunk_size: usize,
    /// How long a finished job's events and results are kept.
    pub retention_seconds: u64,
    /// Comment lines sent on a quiet event stream.
    pub keepalive_seconds: u64,
    /// Page cache of the embedded job store, MiB (the store's share of the memory budget).
    pub store_cache_mb: usize,
    /// With several instances: how long an instance holds a job it runs without renewing; a job
    /// whose instance stops renewing is taken over by another after this.
    pub lease_seconds: u64,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig {
            max_batch_beams: 10_000,
            max_running: 2,
            max_queued: 100,
            max_queued_per_user: 20,
            chunk_size: 256,
            retention_seconds: 24 * 3600,
            keepalive_seconds: 15,
            store_cache_mb: 32,
            lease_seconds: 10,
        }
    }
}

/// Live design sessions over WebSocket (docs/sessions.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionsConfig {
    /// Sessions one server holds (with members or kept after the last left).
    pub max_sessions: usize,
    pub max_members: u32,
    /// Largest message a client may send, bytes (close 1009 beyond it).
    pub max_message_bytes: usize,
    /// Messages per second per connection, and the burst allowed above that.
    pub messages_per_second: u32,
    pub burst: u32,
    /// Server pings; a peer silent for two intervals is dropped.
    pub ping_interval_seconds: u64,
    /// How long a session without members keeps its beam.
    pub empty_session_ttl_seconds: u64,
    /// Messages a member may fall behind before it is sent a fresh `session_state`.
    pub queue: usize,
    /// A send that takes longer closes the connection as stuck.
    pub send_timeout_seconds: u64,
    /// Live connections one user (token `sub`) may hold open at once.
    pub max_per_user: usize,
    /// Origins whose pages may open sessions (a browser sends `Origin`); none given means the
    /// server's own host only. Clients that send no `Origin` (programs) are not refused for it.
    pub allowed_origins: Vec<String>,
}

impl Default for SessionsConfig {
    fn default() -> Self {
        SessionsConfig {
            max_sessions: 10_000,
            max_members: 100,
            max_message_bytes: 64 * 1024,
            messages_per_second: 20,
            burst: 40,
            ping_interval_seconds: 20,
            empty_session_ttl_seconds: 600,
            queue: 64,
            send_timeout_seconds: 10,
            max_per_user: 100,
            allowed_origins: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JwtAlgorithm {
    HS256,
    RS256,
    ES256,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// Authentication is on unless turned off explicitly.
    pub enabled: bool,
    pub algorithm: JwtAlgorithm,
    /// HS256 shared secret (at least 32 bytes). With none and no public key, a random one is made
    /// for the server's lifetime (development mode).
    pub jwt_secret: Option<String>,
    /// PEM public key file for RS256/ES256 tokens from an external identity provider.
    pub public_key_file: Option<PathBuf>,
    pub issuer: Option<String>,
    pub audience: Option<String>,
    pub leeway_seconds: u64,
    /// Lifetime of tokens issued by `POST /api/v1/auth/token`.
    pub token_ttl_seconds: u64,
    /// Users for the password grant; default `<data_dir>/users.toml`.
    pub users_file: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Requests per window per client; 0 turns rate limiting off.
    pub requests: u32,
    pub window_seconds: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8000)),
            data_dir: PathBuf::from("./data"),
            redis_url: None,
            log_format: LogFormat::Pretty,
            body_limit_bytes: 4 * 1024 * 1024,
            cors_origins: Vec::new(),
            trust_proxy: false,
            trusted_proxies: crate::client_addr::DEFAULT_TRUSTED
                .iter()
                .map(|s| s.to_string())
                .collect(),
            auth: AuthConfig::default(),
            rate_limit: RateLimitConfig::default(),
            sessions: SessionsConfig::default(),
            jobs: JobsConfig::default(),
            connections: ConnectionsConfig::default(),
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            enabled: true,
            algorithm: JwtAlgorithm::HS256,
            jwt_secret: None,
            public_key_file: None,
            issuer: None,
            audience: None,
            leeway_seconds: 30,
            token_ttl_seconds: 3600,
            users_file: None,
        }
    }
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            requests: 100,
            window_seconds: 60,
        }
    }
}

/// Values given on the command line; each one given wins over everything else.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub bind: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub redis_url: Option<String>,
    pub log_format: Option<LogFormat>,
    pub no_auth: bool,
    pub trust_proxy: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{name}: {message}")]
    Env { name: String, message: String },
    #[error("{0}")]
    Invalid(String),
}

fn env_value<T: std::str::FromStr>(
    env: &dyn Fn(&str) -> Option<String>,
    name: &str,
) -> Result<Option<T>, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match env(name) {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|e: T::Err| ConfigError::Env {
                name: name.to_owned(),
                message: format!("cannot parse {v:?}: {e}"),
            }),
    }
}

fn env_bool(env: &dyn Fn(&str) -> Option<String>, name: &str) -> Result<Option<bool>, ConfigError> {
    match env(name).map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => match v.as_str() {
            "1" | "true" | "on" | "yes" => Ok(Some(true)),
            "0" | "false" | "off" | "no" => Ok(Some(false)),
            _ => Err(ConfigError::Env {
                name: name.to_owned(),
                message: format!("expected on/off, got {v:?}"),
            }),
        },
    }
}

impl Config {
    /// Reads the configuration: defaults, then the config file (from the flag or `BEAMLINE_CONFIG`),
    /// then the environment, then the flags.
    pub fn load(
        overrides: &Overrides,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let file = overrides
            .config_file
            .clone()
            .or_else(|| env("BEAMLINE_CONFIG").map(PathBuf::from));
        let mut config = match file {
            Some(path) => Config::from_file(&path)?,
            None => Config::default(),
        };
        config.apply_env(env)?;
        config.apply_overrides(overrides);
        config.validate()?;
        Ok(config)
    }

    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })
    }

    fn apply_env(&mut self, env: &dyn Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = env_value(env, "BEAMLINE_BIND")? {
            self.bind = v;
        }
        if let Some(v) = env_value::<String>(env, "BEAMLINE_DATA_DIR")? {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = env_value(env, "BEAMLINE_REDIS_URL")? {
            self.redis_url = Some(v);
        }
        if let Some(v) = env_value::<String>(env, "BEAMLINE_LOG_FORMAT")? {
            self.log_format = parse_log_format(&v).ok_or_else(|| ConfigError::Env {
                name: "BEAMLINE_LOG_FORMAT".into(),
                message: format!("expected json or pretty, got {v:?}"),
            })?;
        }
        if let Some(v) = env_value(env, "BEAMLINE_BODY_LIMIT_BYTES")? {
            self.body_limit_bytes = v;
        }
        if let Some(v) = env_value::<String>(env, "BEAMLINE_CORS_ORIGINS")? {
            self.cors_origins = v
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
        }
        if let Some(v) = env_bool(env, "BEAMLINE_TRUST_PROXY")? {
            self.trust_proxy = v;
        }
        if let Some(v) = env_value::<String>(env, "BEAMLINE_TRUSTED_PROXIES")? {
            self.trusted_proxies = v
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
        }
        if let Some(v) = env_bool(env, "BEAMLINE_AUTH")? {
            self.auth.enabled = v;
        }
        if let Some(v) = env_value::<String>(env, "BEAMLINE_JWT_ALGORITHM")? {
            self.auth.algorithm = match v.to_ascii_uppercase().as_str() {
                "HS256" => JwtAlgorithm::HS256,
                "RS256" => JwtAlgorithm::RS256,
                "ES256" => JwtAlgorithm::ES256,
                _ => {
                    return Err(ConfigError::Env {
                        name: "BEAMLINE_JWT_ALGORITHM".into(),
                        message: format!("expected HS256, RS256 or ES256, got {v:?}"),
                    })
                }
            };
        }
        if let Some(v) = env_value(env, "BEAMLINE_JWT_SECRET")? {
            self.auth.jwt_secret = Some(v);
        }
        if let Some(v) = env_value::<String>(env, "BEAMLINE_JWT_PUBLIC_KEY_FILE")? {
            self.auth.public_key_file = Some(PathBuf::from(v));
        }
        if let Some(v) = env_value(env, "BEAMLINE_JWT_ISSUER")? {
            self.auth.issuer = Some(v);
        }
        if let Some(v) = env_value(env, "BEAMLINE_JWT_AUDIENCE")? {
            self.auth.audience = Some(v);
        }
        if let Some(v) = env_value(env, "BEAMLINE_JWT_LEEWAY_SECONDS")? {
            self.auth.leeway_seconds = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_TOKEN_TTL_SECONDS")? {
            self.auth.token_ttl_seconds = v;
        }
        if let Some(v) = env_value::<String>(env, "BEAMLINE_USERS_FILE")? {
            self.auth.users_file = Some(PathBuf::from(v));
        }
        if let Some(v) = env_value(env, "BEAMLINE_RATE_LIMIT_REQUESTS")? {
            self.rate_limit.requests = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_RATE_LIMIT_WINDOW_SECONDS")? {
            self.rate_limit.window_seconds = v;
        }
        let ws = &mut self.sessions;
        if let Some(v) = env_value(env, "BEAMLINE_WS_MAX_SESSIONS")? {
            ws.max_sessions = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_WS_MAX_MEMBERS")? {
            ws.max_members = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_WS_MAX_MESSAGE_BYTES")? {
            ws.max_message_bytes = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_WS_MESSAGES_PER_SECOND")? {
            ws.messages_per_second = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_WS_BURST")? {
            ws.burst = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_WS_PING_INTERVAL_SECONDS")? {
            ws.ping_interval_seconds = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_WS_SESSION_TTL_SECONDS")? {
            ws.empty_session_ttl_seconds = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_WS_QUEUE")? {
            ws.queue = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_WS_SEND_TIMEOUT_SECONDS")? {
            ws.send_timeout_seconds = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_WS_MAX_PER_USER")? {
            ws.max_per_user = v;
        }
        if let Some(v) = env_value::<String>(env, "BEAMLINE_ALLOWED_ORIGINS")? {
            ws.allowed_origins = v
                .split(',')
                .map(|s| s.trim().trim_end_matches('/').to_owned())
                .filter(|s| !s.is_empty())
                .collect();
        }
        let conn = &mut self.connections;
        if let Some(v) = env_value(env, "BEAMLINE_MAX_CONNECTIONS")? {
            conn.max_open = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_HEADER_READ_TIMEOUT_SECONDS")? {
            conn.header_read_timeout_seconds = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_BODY_READ_TIMEOUT_SECONDS")? {
            conn.body_read_timeout_seconds = v;
        }
        let jobs = &mut self.jobs;
        if let Some(v) = env_value(env, "BEAMLINE_MAX_BATCH_BEAMS")? {
            jobs.max_batch_beams = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_JOBS_MAX_RUNNING")? {
            jobs.max_running = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_JOBS_MAX_QUEUED")? {
            jobs.max_queued = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_JOBS_MAX_QUEUED_PER_USER")? {
            jobs.max_queued_per_user = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_JOBS_CHUNK_SIZE")? {
            jobs.chunk_size = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_JOBS_RETENTION_SECONDS")? {
            jobs.retention_seconds = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_JOBS_KEEPALIVE_SECONDS")? {
            jobs.keepalive_seconds = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_JOBS_STORE_CACHE_MB")? {
            jobs.store_cache_mb = v;
        }
        if let Some(v) = env_value(env, "BEAMLINE_JOBS_LEASE_SECONDS")? {
            jobs.lease_seconds = v;
        }
        Ok(())
    }

    fn apply_overrides(&mut self, o: &Overrides) {
        if let Some(v) = o.bind {
            self.bind = v;
        }
        if let Some(v) = &o.data_dir {
            self.data_dir = v.clone();
        }
        if let Some(v) = &o.redis_url {
            self.redis_url = Some(v.clone());
        }
        if let Some(v) = o.log_format {
            self.log_format = v;
        }
        if o.no_auth {
            self.auth.enabled = false;
        }
        if o.trust_proxy {
            self.trust_proxy = true;
        }
    }

    /// The trusted proxies, parsed (checked by `validate`).
    pub fn trusted_proxy_networks(&self) -> Vec<crate::client_addr::Cidr> {
        self.trusted_proxies
            .iter()
            .filter_map(|s| crate::client_addr::Cidr::parse(s))
            .collect()
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let c = &self.connections;
        if c.max_open == 0 || c.header_read_timeout_seconds == 0 || c.body_read_timeout_seconds == 0
        {
            return Err(ConfigError::Invalid(
                "connections: max_open and both timeouts must be at least 1".into(),
            ));
        }
        if let Some(bad) = self
            .trusted_proxies
            .iter()
            .find(|s| crate::client_addr::Cidr::parse(s).is_none())
        {
            return Err(ConfigError::Invalid(format!(
                "trusted_proxies: {bad:?} is not an address or a CIDR such as 10.0.0.0/8"
            )));
        }
        if let Some(secret) = &self.auth.jwt_secret {
            if secret.len() < 32 {
                return Err(ConfigError::Invalid(
                    "the JWT secret (BEAMLINE_JWT_SECRET) must be at least 32 bytes".into(),
                ));
            }
        }
        if self.auth.enabled
            && self.auth.algorithm != JwtAlgorithm::HS256
            && self.auth.public_key_file.is_none()
        {
            return Err(ConfigError::Invalid(format!(
                "{:?} needs a public key file (BEAMLINE_JWT_PUBLIC_KEY_FILE)",
                self.auth.algorithm
            )));
        }
        if self.rate_limit.requests > 0 && self.rate_limit.window_seconds == 0 {
            return Err(ConfigError::Invalid(
                "rate_limit.window_seconds must be at least 1".into(),
            ));
        }
        let ws = &self.sessions;
        if ws.max_message_bytes < 1024
            || ws.burst == 0
            || ws.messages_per_second == 0
            || ws.queue == 0
        {
            return Err(ConfigError::Invalid(
                "sessions: max_message_bytes ≥ 1024, and messages_per_second, burst and queue ≥ 1"
                    .into(),
            ));
        }
        let jobs = &self.jobs;
        if jobs.max_batch_beams == 0
            || jobs.store_cache_mb == 0
            || jobs.max_running == 0
            || jobs.chunk_size == 0
            || jobs.lease_seconds == 0
            || jobs.keepalive_seconds == 0
        {
            return Err(ConfigError::Invalid(
                "jobs: max_batch_beams, max_running, chunk_size, keepalive_seconds and lease_seconds must be at least 1".into(),
            ));
        }
        if self.body_limit_bytes < 1024 {
            return Err(ConfigError::Invalid(
                "body_limit_bytes must be at least 1024".into(),
            ));
        }
        Ok(())
    }

    /// The users file for the password grant.
    pub fn users_file(&self) -> PathBuf {
        self.auth
            .users_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("users.toml"))
    }
}

pub fn parse_log_format(s: &str) -> Option<LogFormat> {
    match s.trim().to_ascii_lowercase().as_str() {
        "json" => Some(LogFormat::Json),
        "pretty" | "text" => Some(LogFormat::Pretty),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn starts_with_no_configuration_at_all() {
        let c = Config::load(&Overrides::default(), &env_of(&[])).unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.bind.to_string(), "127.0.0.1:8000");
        assert!(c.auth.enabled);
        assert_eq!(c.rate_limit.requests, 100);
    }

    #[test]
    fn the_embedded_example_file_is_valid_and_matches_the_defaults() {
        let c: Config = toml::from_str(DEFAULT_CONFIG_FILE).unwrap();
        assert_eq!(c, Config::default());
    }

    #[test]
    fn flags_beat_environment_beat_file() {
        let dir = std::env::temp_dir().join(format!("beamline-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("beamline.toml");
        std::fs::write(
            &file,
            "bind = \"127.0.0.1:7000\"\ndata_dir = \"/from/file\"\n[rate_limit]\nrequests = 5\n",
        )
        .unwrap();
        let env = env_of(&[
            ("BEAMLINE_DATA_DIR", "/from/env"),
            ("BEAMLINE_RATE_LIMIT_REQUESTS", "7"),
        ]);
        let overrides = Overrides {
            config_file: Some(file),
            data_dir: Some(PathBuf::from("/from/flag")),
            ..Overrides::default()
        };
        let c = Config::load(&overrides, &env).unwrap();
        assert_eq!(c.bind.port(), 7000);
        assert_eq!(c.data_dir, PathBuf::from("/from/flag"));
        assert_eq!(c.rate_limit.requests, 7);
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn bad_values_are_named() {
        let e = Config::load(
            &Overrides::default(),
            &env_of(&[("BEAMLINE_AUTH", "maybe")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("BEAMLINE_AUTH"));
        let e = Config::load(
            &Overrides::default(),
            &env_of(&[("BEAMLINE_JWT_SECRET", "short")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("32 bytes"));
        let e = Config::load(
            &Overrides::default(),
            &env_of(&[("BEAMLINE_JWT_ALGORITHM", "RS256")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("public key"));
        let off =
            Config::load(&Overrides::default(), &env_of(&[("BEAMLINE_AUTH", "off")])).unwrap();
        assert!(!off.auth.enabled);
    }
}

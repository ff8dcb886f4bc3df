//! Rate limiting (docs/http.md): a trait with an in-process sliding-log implementation, and the middleware
//! that applies it and writes the `X-RateLimit-*` headers.
//!
//! A sliding log admits a request when fewer than `limit` requests were admitted in the last `window`.
//! It is exact (no approximation between fixed windows), so no client can double its rate across a
//! window edge, and a mutex per shard makes concurrent checks of one key strictly sequential, so racing
//! requests are never over-admitted.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::Caller;
use crate::client_addr::{client_ip, Cidr};
use crate::error::ApiError;

/// What the limiter decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    pub window_seconds: u64,
    /// How long until a slot frees (0 when one is free now and the log is empty).
    pub wait: Duration,
}

impl Decision {
    /// Writes the four `X-RateLimit-*` headers, and `Retry-After` when refused. `X-RateLimit-Reset` is
    /// the Unix second at which the oldest request in the window drops out (the next request is
    /// allowed); `Retry-After` is the same instant as a delay, so the two always agree.
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        let now = crate::clock::unix_millis() as f64 / 1000.0;
        let wait = self.wait.as_secs_f64();
        let reset = (now + wait).ceil() as u64;
        let pairs = [
            ("x-ratelimit-limit", self.limit.to_string()),
            ("x-ratelimit-remaining", self.remaining.to_string()),
            ("x-ratelimit-window", self.window_seconds.to_string()),
            ("x-ratelimit-reset", reset.to_string()),
        ];
        for (name, value) in pairs {
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.insert(name, v);
            }
        }
        if !self.allowed {
            let retry_after = (wait.ceil() as u64).max(1);
            headers.insert("retry-after", HeaderValue::from(retry_after));
        }
    }
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A rate limiter shared by every instance that uses the same store.
pub trait RateLimiter: Send + Sync {
    /// Counts one request for `key` if it is allowed.
    fn admit<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Decision, ApiError>>;
}

const SHARDS: usize = 16;

/// The in-process limiter: a log of admission instants per key.
pub struct InProcessLimiter {
    limit: u32,
    window: Duration,
    shards: Vec<Mutex<HashMap<String, VecDeque<Instant>>>>,
}

impl InProcessLimiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        InProcessLimiter {
            limit,
            window,
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    /// The decision for `key` at `now` (exposed for tests that control time).
    pub fn admit_at(&self, key: &str, now: Instant) -> Decision {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        let shard = &self.shards[hasher.finish() as usize % SHARDS];
        let mut map = shard
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if map.len() > 10_000 {
            let window = self.window;
            map.retain(|_, log| log.back().is_some_and(|&t| now.duration_since(t) < window));
        }
        let log = map.entry(key.to_owned()).or_default();
        while log
            .front()
            .is_some_and(|&t| now.duration_since(t) >= self.window)
        {
            log.pop_front();
        }
        let allowed = (log.len() as u32) < self.limit;
        if allowed {
            log.push_back(now);
        }
        let remaining = self.limit.saturating_sub(log.len() as u32);
        let wait = match log.front() {
            Some(&oldest) => (oldest + self.window).saturating_duration_since(now),
            None => Duration::ZERO,
        };
        Decision {
            allowed,
            limit: self.limit,
            remaining,
            window_seconds: self.window.as_secs(),
            wait,
        }
    }
}

impl RateLimiter for InProcessLimiter {
    fn admit<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Decision, ApiError>> {
        Box::pin(async move { Ok(self.admit_at(key, Instant::now())) })
    }
}

/// What the middleware needs: the limiter (none when limiting is off) and whether to trust proxies.
#[derive(Clone)]
pub struct Limiting {
    pub limiter: Option<Arc<dyn RateLimiter>>,
    pub trust_proxy: bool,
    pub trusted_proxies: Arc<[Cidr]>,
}

/// Applies the limit to a request of the routes it layers (the API, the streams, the WebSocket),
/// keyed by the token's `sub` or else the client IP.
pub async fn limit(State(limiting): State<Limiting>, req: Request, next: Next) -> Response {
    let Some(limiter) = limiting.limiter.as_ref() else {
        return next.run(req).await;
    };
    let key = match req.extensions().get::<Caller>().and_then(Caller::sub) {
        Some(sub) => format!("sub:{sub}"),
        None => {
            let peer = req
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0);
            match client_ip(
                req.headers(),
                peer,
                limiting.trust_proxy,
                &limiting.trusted_proxies,
            ) {
                Some(ip) => format!("ip:{ip}"),
                None => "ip:unknown".to_owned(),
            }
        }
    };
    let decision = match limiter.admit(&key).await {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let mut response = if decision.allowed {
        next.run(req).await
    } else {
        ApiError::RateLimited.into_response()
    };
    decision.write_headers(response.headers_mut());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_exactly_the_limit_in_a_window() {
        let l = InProcessLimiter::new(3, Duration::from_secs(10));
        let t0 = Instant::now();
        let remaining: Vec<u32> = (0..3).map(|_| l.admit_at("k", t0).remaining).collect();
        assert_eq!(remaining, [2, 1, 0]);
        let refused = l.admit_at("k", t0 + Duration::from_secs(1));
        assert!(!refused.allowed);
        assert_eq!(refused.wait, Duration::from_secs(9));
        assert!(l.admit_at("other", t0).allowed);
    }

    #[test]
    fn no_doubling_across_a_window_edge() {
        // Three at the end of one window, then three more just after the edge: only as the first ones
        // leave the last ten seconds may new ones enter.
        let l = InProcessLimiter::new(3, Duration::from_secs(10));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.admit_at("k", t0 + Duration::from_millis(9_900)).allowed);
        }
        assert!(!l.admit_at("k", t0 + Duration::from_millis(10_100)).allowed);
        assert!(l.admit_at("k", t0 + Duration::from_millis(19_900)).allowed);
    }

    #[test]
    fn concurrent_checks_never_over_admit() {
        let l = Arc::new(InProcessLimiter::new(50, Duration::from_secs(60)));
        let admitted: u32 = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    let l = l.clone();
                    s.spawn(move || {
                        (0..100)
                            .filter(|_| l.admit_at("k", Instant::now()).allowed)
                            .count() as u32
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(admitted, 50);
    }
}

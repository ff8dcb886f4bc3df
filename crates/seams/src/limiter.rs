//! Rate limiting: the trait every backend implements, and the in-process sliding log.
//!
//! A sliding log admits a request when fewer than `limit` requests were admitted in the last `window`.
//! It is exact (no approximation between fixed windows), so no client can double its rate across a
//! window edge, and a mutex per shard makes concurrent checks of one key strictly sequential, so racing
//! requests are never over-admitted.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::BoxFuture;

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

/// Why a limiter could not decide.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimiterError {
    /// Its store cannot be reached; the request is refused rather than let through uncounted.
    #[error("the rate-limit store is unavailable: {0}")]
    Unavailable(String),
}

/// A rate limiter shared by every instance that uses the same store.
pub trait RateLimiter: Send + Sync {
    /// Counts one request for `key` if it is allowed.
    fn admit<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Decision, LimiterError>>;
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
    fn admit<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Decision, LimiterError>> {
        Box::pin(async move { Ok(self.admit_at(key, Instant::now())) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

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

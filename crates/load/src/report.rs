//! Latency samples and the summary printed at the end of a run.

use std::fmt;
use std::time::Duration;

/// Every latency of a run, in microseconds, and the errors seen.
#[derive(Default)]
pub struct Samples {
    pub latencies_us: Vec<u32>,
    pub errors: u64,
    pub statuses: std::collections::BTreeMap<u16, u64>,
}

impl Samples {
    pub fn merge(&mut self, other: Samples) {
        self.latencies_us.extend(other.latencies_us);
        self.errors += other.errors;
        for (status, n) in other.statuses {
            *self.statuses.entry(status).or_default() += n;
        }
    }
}

pub struct Report {
    pub label: String,
    pub connections: usize,
    pub elapsed: Duration,
    pub samples: Samples,
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sorted = self.samples.latencies_us.clone();
        sorted.sort_unstable();
        let n = sorted.len();
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let ms = |us: u32| f64::from(us) / 1000.0;
        let summary = serde_json::json!({
            "label": self.label,
            "connections": self.connections,
            "seconds": (secs * 100.0).round() / 100.0,
            "requests": n,
            "errors": self.samples.errors,
            "statuses": self.samples.statuses,
            "throughput_per_s": (n as f64 / secs).round(),
            "latency_ms": {
                "p50": ms(percentile(&sorted, 50.0)),
                "p99": ms(percentile(&sorted, 99.0)),
                "max": ms(sorted.last().copied().unwrap_or(0)),
            }
        });
        write!(f, "{summary}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        let v: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&v, 50.0), 51);
        assert_eq!(percentile(&v, 99.0), 99);
        assert_eq!(percentile(&[], 50.0), 0);
    }
}

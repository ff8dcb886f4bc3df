//! Prometheus metrics, labelled by the matched route pattern (never the raw path, so the number of
//! series stays bounded).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram, seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn add(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
        self.count += other.count;
        self.sum += other.sum;
    }
}

/// Per method and route: the count per status and the latency histogram.
#[derive(Default, Clone)]
struct RouteStats {
    /// (status, count), in the order first seen: a route answers with a handful of statuses.
    statuses: Vec<(u16, u64)>,
    latency: Histogram,
}

impl RouteStats {
    fn record(&mut self, status: u16, secs: f64) {
        match self.statuses.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => self.statuses.push((status, 1)),
        }
        // Cumulative buckets: every bound at or above the latency counts it.
        let first = BUCKETS.partition_point(|bound| secs > *bound);
        for n in &mut self.latency.counts[first..] {
            *n += 1;
        }
        self.latency.count += 1;
        self.latency.sum += secs;
    }
}

/// The stats of each method a route was called with (a handful).
type Methods = Vec<(String, RouteStats)>;

/// route → its methods' stats. Looked up by `&str`, so recording allocates only the first time a
/// route/method pair is seen.
type Table = FxHashMap<String, Methods>;

/// The stats of `method` among a route's, added the first time it is seen.
fn stats_of<'m>(methods: &'m mut Methods, method: &str) -> &'m mut RouteStats {
    let k = match methods.iter().position(|(m, _)| m == method) {
        Some(k) => k,
        None => {
            methods.push((method.to_owned(), RouteStats::default()));
            methods.len() - 1
        }
    };
    &mut methods[k].1
}

#[derive(Default)]
struct Shard {
    table: Table,
    designs: u64,
}

const SHARDS: usize = 8;

/// Request metrics, sharded by thread so that workers rarely wait on each other.
pub struct Metrics {
    shards: [Mutex<Shard>; SHARDS],
    ws_open: AtomicI64,
    ws_in: AtomicU64,
    ws_out: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            shards: std::array::from_fn(|_| Mutex::new(Shard::default())),
            ws_open: AtomicI64::new(0),
            ws_in: AtomicU64::new(0),
            ws_out: AtomicU64::new(0),
        }
    }
}

thread_local! {
    static SHARD: usize = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        std::thread::current().id().hash(&mut h);
        h.finish() as usize % SHARDS
    };
}

impl Metrics {
    fn shard(&self) -> std::sync::MutexGuard<'_, Shard> {
        let i = SHARD.with(|i| *i);
        self.shards[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn record_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let mut shard = self.shard();
        // One lookup once the route is known; the second only the first time.
        if let Some(methods) = shard.table.get_mut(route) {
            stats_of(methods, method).record(status, secs);
            return;
        }
        let methods = shard.table.entry(route.to_owned()).or_default();
        stats_of(methods, method).record(status, secs);
    }

    pub fn ws_opened(&self) {
        self.ws_open.fetch_add(1, Ordering::Relaxed);
    }

    pub fn ws_closed(&self) {
        self.ws_open.fetch_sub(1, Ordering::Relaxed);
    }

    pub fn ws_received(&self) {
        self.ws_in.fetch_add(1, Ordering::Relaxed);
    }

    pub fn ws_sent(&self) {
        self.ws_out.fetch_add(1, Ordering::Relaxed);
    }

    pub fn record_designs(&self, n: u64) {
        self.shard().designs += n;
    }

    /// The Prometheus text exposition format.
    pub fn render(&self) -> String {
        // (method, route) → (count by status, latency), in order.
        let mut merged: BTreeMap<(String, String), (BTreeMap<u16, u64>, Histogram)> =
            BTreeMap::new();
        let mut designs = 0;
        for shard in &self.shards {
            let shard = shard.lock().unwrap_or_else(|p| p.into_inner());
            designs += shard.designs;
            for (route, methods) in &shard.table {
                for (method, stats) in methods {
                    let (statuses, latency) =
                        merged.entry((method.clone(), route.clone())).or_default();
                    for (status, n) in &stats.statuses {
                        *statuses.entry(*status).or_default() += n;
                    }
                    latency.add(&stats.latency);
                }
            }
        }
        let mut out = String::new();
        out.push_str(
            "# HELP beamline_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE beamline_http_requests_total counter\n");
        for ((method, route), (statuses, _)) in &merged {
            for (status, n) in statuses {
                let _ = writeln!(
                    out,
                    "beamline_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str(
            "# HELP beamline_http_request_duration_seconds Request latency by method and route.\n",
        );
        out.push_str("# TYPE beamline_http_request_duration_seconds histogram\n");
        for ((method, route), (_, h)) in &merged {
            let labels = format!("method=\"{method}\",route=\"{route}\"");
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "beamline_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "beamline_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "beamline_http_request_duration_seconds_sum{{{labels}}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "beamline_http_request_duration_seconds_count{{{labels}}} {}",
                h.count
            );
        }
        out.push_str("# HELP beamline_designs_total Beams designed by the engine.\n");
        out.push_str("# TYPE beamline_designs_total counter\n");
        let _ = writeln!(out, "beamline_designs_total {designs}");
        out.push_str("# HELP beamline_ws_connections Open WebSocket session connections.\n");
        out.push_str("# TYPE beamline_ws_connections gauge\n");
        let _ = writeln!(
            out,
            "beamline_ws_connections {}",
            self.ws_open.load(Ordering::Relaxed)
        );
        out.push_str("# HELP beamline_ws_messages_total WebSocket messages by direction.\n");
        out.push_str("# TYPE beamline_ws_messages_total counter\n");
        let _ = writeln!(
            out,
            "beamline_ws_messages_total{{direction=\"in\"}} {}",
            self.ws_in.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "beamline_ws_messages_total{{direction=\"out\"}} {}",
            self.ws_out.load(Ordering::Relaxed)
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::default();
        m.record_request(
            "POST",
            "/api/v1/design/beam",
            200,
            Duration::from_micros(700),
        );
        m.record_designs(1);
        let text = m.render();
        assert!(text.contains(
            "beamline_http_requests_total{method=\"POST\",route=\"/api/v1/design/beam\",status=\"200\"} 1"
        ));
        assert!(text.contains("le=\"0.001\"} 1"));
        assert!(text.contains("le=\"0.0005\"} 0"));
        assert!(text.contains("beamline_designs_total 1"));
    }

    #[test]
    fn buckets_are_cumulative_and_statuses_render_in_order() {
        let m = Metrics::default();
        let route = "/api/v1/design/beam";
        m.record_request("POST", route, 422, Duration::from_millis(3));
        m.record_request("POST", route, 200, Duration::from_micros(500));
        m.record_request("POST", route, 200, Duration::from_secs(3));
        m.record_request("GET", route, 405, Duration::from_micros(100));
        let text = m.render();
        let labels = format!("method=\"POST\",route=\"{route}\"");
        let line = |suffix: &str| format!("beamline_http_request_duration_seconds_{suffix}");
        // 0.5 ms is at the first bound; 3 ms from the 0.005 bound on; 3 s only in +Inf.
        assert!(text.contains(&format!("{}{{{labels},le=\"0.0005\"}} 1\n", line("bucket"))));
        assert!(text.contains(&format!("{}{{{labels},le=\"0.0025\"}} 1\n", line("bucket"))));
        assert!(text.contains(&format!("{}{{{labels},le=\"0.005\"}} 2\n", line("bucket"))));
        assert!(text.contains(&format!("{}{{{labels},le=\"2.5\"}} 2\n", line("bucket"))));
        assert!(text.contains(&format!("{}{{{labels},le=\"+Inf\"}} 3\n", line("bucket"))));
        assert!(text.contains(&format!("{}{{{labels}}} 3\n", line("count"))));
        let ok = text
            .find(&format!("{labels},status=\"200\"}} 2"))
            .expect("200");
        let refused = text
            .find(&format!("{labels},status=\"422\"}} 1"))
            .expect("422");
        assert!(ok < refused, "statuses in order");
        assert!(text.contains("method=\"GET\",route=\"/api/v1/design/beam\",status=\"405\"} 1"));
    }
}

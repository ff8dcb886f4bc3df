//! The routes in process: the application is launched on a port-0 listener with `launch`, and its
//! backends are injected with `AppState::from_parts`, so a test chooses them without a binary.
//! (The black-box tests of `crates/cli/tests/api` run the real binary.)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use beamline_batch::{sse, JobEvent};
use beamline_seams::limiter::{Decision, LimiterError, RateLimiter};
use beamline_seams::BoxFuture;
use beamline_server::config::AuthConfig;
use beamline_server::{launch, AppState, Config, Parts};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

struct Server {
    base: String,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn config(name: &str) -> Config {
    let dir = std::env::temp_dir().join(format!("beamline-routes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    Config {
        data_dir: dir,
        auth: AuthConfig {
            jwt_secret: Some("routes-test-secret-0123456789abcdef0123".into()),
            ..AuthConfig::default()
        },
        ..Config::default()
    }
}

async fn serve(config: Config, parts: Option<Parts>) -> Server {
    let dir = config.data_dir.clone();
    let parts = match parts {
        Some(parts) => parts,
        None => Parts::in_process(&config).unwrap(),
    };
    let state = AppState::from_parts(config, parts).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(launch(state.clone(), listener, async {
        let _ = stopped.await;
    }));
    Server {
        base,
        state,
        stop: Some(stop),
        dir,
    }
}

impl Server {
    fn token(&self, scopes: &[&str]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        self.state.auth.issue("routes", &scopes, 600).unwrap()
    }
}

fn beam() -> Value {
    json!({"width": 300, "depth": 500, "Mu": 150, "Vu": 100})
}

#[tokio::test]
async fn design_and_check_answer_over_a_real_socket() {
    let server = serve(config("design"), None).await;
    let http = reqwest::Client::new();
    let token = server.token(&["design", "analyze"]);
    let r = http
        .post(format!("{}/api/v1/design/beam", server.base))
        .bearer_auth(&token)
        .json(&beam())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["result"]["status"], "SUCCESS");
    let r = http
        .post(format!("{}/api/v1/check/beam", server.base))
        .bearer_auth(&token)
        .json(&json!({"beam": {"width": 300, "depth": 500},
                      "cases": [{"id": "a", "Mu": 80}, {"id": "b", "Mu": 160, "Vu": 90}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["governing_case"], "b");
    let r = http
        .post(format!("{}/api/v1/check/beam", server.base))
        .bearer_auth(&token)
        .json(&json!({"beam": {"width": 30}, "cases": [{"Mu": "x"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(fields.contains(&"width"), "{fields:?}");
    assert!(fields.contains(&"cases[0].Mu"), "{fields:?}");
}

/// The metrics name a request by the pattern of the route it matched (a job id is not a label of its
/// own), and a path no route matches by `unmatched`.
#[tokio::test]
async fn metrics_label_requests_by_their_route_pattern() {
    let server = serve(config("metrics-labels"), None).await;
    let http = reqwest::Client::new();
    let token = server.token(&["design"]);
    for path in [
        "/api/v1/jobs/job-one",
        "/api/v1/jobs/job-two",
        "/no/such/route",
    ] {
        let r = http
            .get(format!("{}{path}", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
    let metrics = http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"route="/api/v1/jobs/{job_id}""#),
        "{metrics}"
    );
    assert!(metrics.contains(r#"route="unmatched""#), "{metrics}");
    assert!(!metrics.contains("job-one"), "{metrics}");
}

/// A limiter that refuses everything and counts what it was asked.
#[derive(Default)]
struct Refuse(AtomicUsize);

impl RateLimiter for Refuse {
    fn admit<'a>(&'a self, _key: &'a str) -> BoxFuture<'a, Result<Decision, LimiterError>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            Ok(Decision {
                allowed: false,
                limit: 1,
                remaining: 0,
                window_seconds: 60,
                wait: Duration::from_secs(30),
            })
        })
    }
}

#[tokio::test]
async fn an_injected_limiter_guards_the_api_and_streams_but_never_the_open_routes() {
    let config = config("limiter");
    let refuse = Arc::new(Refuse::default());
    let mut parts = Parts::in_process(&config).unwrap();
    parts.limiter = Some(refuse.clone());
    let server = serve(config, Some(parts)).await;
    let http = reqwest::Client::new();
    for path in ["/health", "/ready", "/metrics", "/", "/openapi.json"] {
        let r = http
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
    assert_eq!(refuse.0.load(Ordering::SeqCst), 0);
    for path in ["/api/v1/jobs/job_x", "/stream/jobs/job_x", "/ws/design/s1"] {
        let r = http
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429, "{path}");
        assert_eq!(r.headers()["retry-after"], "30");
    }
    assert_eq!(refuse.0.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_query_token_opens_streams_but_not_the_api() {
    let server = serve(config("query-token"), None).await;
    let http = reqwest::Client::new();
    let token = server.token(&["design"]);
    let r = http
        .post(format!("{}/api/v1/jobs", server.base))
        .bearer_auth(&token)
        .json(&json!([beam(), {"width": 30}]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let job: Value = r.json().await.unwrap();
    let id = job["job_id"].as_str().unwrap();
    // The API reads only `Authorization`.
    let r = http
        .get(format!("{}/api/v1/jobs/{id}?token={token}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // The stream, as a browser's EventSource opens it, reads `?token=`; its events parse as typed
    // events, in order, ending with `complete`.
    let mut r = http
        .get(format!("{}/stream/jobs/{id}?token={token}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut reader = sse::Reader::default();
    let mut names = Vec::new();
    let mut ids = Vec::new();
    while let Some(chunk) = r.chunk().await.unwrap() {
        for frame in reader.feed(&chunk) {
            let event = JobEvent::parse(&frame.name, &frame.data).unwrap();
            names.push(event.name());
            ids.push(frame.id.unwrap());
        }
    }
    assert_eq!(
        names,
        [
            "start",
            "design_result",
            "progress",
            "error",
            "progress",
            "complete"
        ]
    );
    assert_eq!(ids, (1..=6).collect::<Vec<u64>>());
}

/// A limiter that allows everything and records the keys it was asked for.
#[derive(Default)]
struct Keys(std::sync::Mutex<Vec<String>>);

impl RateLimiter for Keys {
    fn admit<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Decision, LimiterError>> {
        self.0.lock().unwrap().push(key.to_owned());
        Box::pin(async {
            Ok(Decision {
                allowed: true,
                limit: 100,
                remaining: 99,
                window_seconds: 60,
                wait: Duration::ZERO,
            })
        })
    }
}

/// An anonymous client is keyed by its address: through the service's own accept loop (`launch`,
/// the connection's peer) and through a router served by `axum::serve` with connect info.
#[tokio::test]
async fn anonymous_clients_are_keyed_by_their_address_whatever_serves_the_router() {
    let config = config("peer-keys");
    let keys = Arc::new(Keys::default());
    let mut parts = Parts::in_process(&config).unwrap();
    parts.limiter = Some(keys.clone());
    let server = serve(config, Some(parts)).await;
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{}/api/v1/jobs/job_x", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // A second service needs a data directory of its own (the job store is locked by the first).
    let config = crate::config("peer-keys-axum");
    let dir = config.data_dir.clone();
    let mut parts = Parts::in_process(&config).unwrap();
    parts.limiter = Some(keys.clone());
    let state = AppState::from_parts(config, parts).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router =
        <_ as axum::ServiceExt<axum::extract::Request>>::into_make_service_with_connect_info::<
            std::net::SocketAddr,
        >(beamline_server::app(state));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let r = http
        .get(format!("{base}/api/v1/jobs/job_x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(*keys.0.lock().unwrap(), ["ip:127.0.0.1", "ip:127.0.0.1"]);
    let _ = std::fs::remove_dir_all(dir);
}

/// A raw connection to `server` that has had one `/health` answered and is kept alive.
async fn kept_alive(server: &Server) -> tokio::net::TcpStream {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = server.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    stream
}

/// Whether the server closes `stream` within `limit`.
async fn closes_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 1024];
    let closed = async {
        while let Ok(n) = stream.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    };
    tokio::time::timeout(limit, closed).await.is_ok()
}

/// At shutdown a kept-alive connection waiting for its next request is closed at once, not at its
/// head deadline (10 s) nor at the end of the grace time (8 s).
#[tokio::test]
async fn an_idle_connection_closes_as_soon_as_shutdown_begins() {
    let mut server = serve(config("idle-at-shutdown"), None).await;
    let mut idle = kept_alive(&server).await;
    let _ = server.stop.take().unwrap().send(());
    assert!(closes_within(&mut idle, Duration::from_secs(3)).await);
}

/// A head still arriving when shutdown begins does not hold the connection open through the grace
/// time (8 s) nor until the head's deadline (10 s): the connection is closed at once.
#[tokio::test]
async fn a_slow_head_is_cut_off_when_shutdown_begins() {
    use tokio::io::AsyncWriteExt;
    let mut server = serve(config("slow-head-at-shutdown"), None).await;
    let mut slow = kept_alive(&server).await;
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let _ = server.stop.take().unwrap().send(());
    assert!(closes_within(&mut slow, Duration::from_secs(4)).await);
}

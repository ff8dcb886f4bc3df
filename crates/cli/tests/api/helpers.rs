//! The test harness: spawns the real `beamline serve` on port 0 and talks HTTP to it.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

pub const SECRET: &str = "test-secret-0123456789abcdef-0123456789";

pub fn data_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A scratch directory removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        let n: u64 = rand_u64();
        let dir =
            std::env::temp_dir().join(format!("beamline-test-{tag}-{}-{n:x}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}

pub struct TestAppBuilder {
    env: Vec<(String, String)>,
    args: Vec<String>,
    data_dir: Option<PathBuf>,
}

impl TestAppBuilder {
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn arg(mut self, arg: &str) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn with_rate_limit(self, requests: u32, window_seconds: u64) -> Self {
        self.env("BEAMLINE_RATE_LIMIT_REQUESTS", &requests.to_string())
            .env(
                "BEAMLINE_RATE_LIMIT_WINDOW_SECONDS",
                &window_seconds.to_string(),
            )
    }

    /// Runs on this data directory (kept after the app), e.g. to restart on the same store.
    pub fn data_dir(mut self, dir: &std::path::Path) -> Self {
        self.data_dir = Some(dir.to_owned());
        self
    }

    pub fn without_secret(mut self) -> Self {
        self.env.retain(|(k, _)| k != "BEAMLINE_JWT_SECRET");
        self
    }

    pub fn spawn(self) -> TestApp {
        self.try_spawn()
            .unwrap_or_else(|output| panic!("the server did not start:\n{output}"))
    }

    /// Starts the server; `Err` with what it printed when it does not start.
    pub fn try_spawn(self) -> Result<TestApp, String> {
        let data = Scratch::new("data");
        let data_dir = self.data_dir.clone().unwrap_or_else(|| data.0.clone());
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_beamline"));
        cmd.arg("serve")
            .arg("--bind")
            .arg("127.0.0.1:0")
            .args(&self.args);
        for (k, _) in std::env::vars() {
            if k.starts_with("BEAMLINE_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("BEAMLINE_DATA_DIR", &data_dir)
            .env("RUST_LOG", "info");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .expect("beamline serve starts");
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let out = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.split("listening on ").nth(1) {
                    let _ = tx.send(addr.trim().to_owned());
                }
                let mut o = out.lock().unwrap();
                o.push_str(&line);
                o.push('\n');
            }
        });
        let stderr = child.stderr.take().unwrap();
        let out = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut o = out.lock().unwrap();
                o.push_str(&line);
                o.push('\n');
            }
        });
        let address = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                let printed = output.lock().unwrap().clone();
                return Err(printed);
            }
        };
        Ok(TestApp {
            address,
            client: reqwest::Client::new(),
            child,
            output,
            _data: data,
        })
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    child: Child,
    output: Arc<Mutex<String>>,
    _data: Scratch,
}

impl TestApp {
    /// Another server process in front of the service (a reverse proxy) at `address`, spoken to
    /// like the service itself; killed when dropped, with its scratch directory.
    pub fn fronted_by(address: String, child: Child, scratch: Scratch) -> TestApp {
        TestApp {
            address,
            client: reqwest::Client::new(),
            child,
            output: Arc::default(),
            _data: scratch,
        }
    }

    pub fn builder() -> TestAppBuilder {
        TestAppBuilder {
            env: vec![
                ("BEAMLINE_JWT_SECRET".into(), SECRET.into()),
                ("BEAMLINE_RATE_LIMIT_REQUESTS".into(), "100000".into()),
            ],
            args: Vec::new(),
            data_dir: None,
        }
    }

    pub fn spawn() -> TestApp {
        Self::builder().spawn()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The server's resident memory, KiB (Linux).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    /// Everything the server printed or logged so far.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Kills the server outright (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends SIGTERM without waiting.
    pub fn sigterm(&self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
    }

    /// Sends SIGTERM and waits for the exit, at most `limit`; the exit code, or None if it hung.
    pub fn terminate(&mut self, limit: Duration) -> Option<i32> {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let start = std::time::Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// A GET with a bearer token.
    pub async fn get_with(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// A DELETE with a bearer token.
    pub async fn delete_with(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(
        &self,
        path: &str,
        body: &Value,
        token: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self.client.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    /// A POST of raw bytes with their content type.
    pub async fn post_bytes(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        token: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    pub async fn design(&self, body: &Value, token: &str) -> reqwest::Response {
        self.post_json("/api/v1/design/beam", body, Some(token))
            .await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HS256 token signed with the test secret, with any claims.
pub fn sign(claims: &Value) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap()
}

/// A valid token for `sub` with `scopes`.
pub fn token(sub: &str, scopes: &[&str]) -> String {
    sign(&json!({"sub": sub, "exp": now() + 600, "iat": now(), "scopes": scopes}))
}

pub fn designer() -> String {
    token("alice", &["design", "analyze"])
}

pub fn beam() -> Value {
    json!({"width": 300, "depth": 450, "Mu": 150, "Vu": 100})
}

/// Checks the error body of docs/http.md and returns it.
pub async fn error_body(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let request_id = response
        .headers()
        .get("x-request-id")
        .expect("X-Request-Id on every response")
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap(),
        "application/json"
    );
    let body: Value = response.json().await.expect("a JSON error body");
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{body}"
    );
    assert_eq!(body["request_id"], request_id.as_str());
    body
}

//! Operations: shutdown, CORS, configuration.

use std::time::Duration;

use crate::helpers::*;

#[tokio::test]
async fn sigterm_stops_the_server_cleanly_and_quickly() {
    let mut app = TestApp::spawn();
    assert_eq!(app.get("/health").await.status(), 200);
    let started = std::time::Instant::now();
    let code = app.terminate(Duration::from_secs(10));
    assert_eq!(code, Some(0), "exit code; output:\n{}", app.output());
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(app.output().contains("shutting down"));
}

#[tokio::test]
async fn cors_is_off_by_default_and_follows_the_allow_list() {
    let app = TestApp::spawn();
    let r = app
        .client
        .get(app.url("/health"))
        .header("origin", "https://beams.example")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());

    let app = TestApp::builder()
        .env("BEAMLINE_CORS_ORIGINS", "https://beams.example")
        .spawn();
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/design/beam"))
        .header("origin", "https://beams.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://beams.example"
    );
    let other = app
        .client
        .get(app.url("/health"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[test]
fn bad_configuration_is_refused_with_the_reason() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_beamline"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("BEAMLINE_JWT_SECRET", "too-short")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("32 bytes"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_beamline"))
        .arg("config")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("[rate_limit]"));
}

/// Starts `beamline serve` on `data_dir` and waits for it to exit (it must refuse to start).
fn refused_start(data_dir: &std::path::Path) -> (Option<i32>, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_beamline"));
    for (k, _) in std::env::vars() {
        if k.starts_with("BEAMLINE_") {
            cmd.env_remove(k);
        }
    }
    let mut child = cmd
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("BEAMLINE_DATA_DIR", data_dir)
        .env("BEAMLINE_JWT_SECRET", SECRET)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server started on a store it should have refused");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    (out.status.code(), text)
}

/// A zero-length or unreadable job store is refused with a clear message and left as it was:
/// never silently re-initialised, which would lose every job.
#[test]
fn an_empty_or_unreadable_store_refuses_to_start_and_is_not_overwritten() {
    let dir = Scratch::new("empty-store");
    let store = dir.0.join("jobs.redb");
    std::fs::write(&store, b"").unwrap();
    let (code, text) = refused_start(&dir.0);
    assert_ne!(code, Some(0));
    assert!(text.contains("is empty (0 bytes)"), "{text}");
    assert_eq!(std::fs::metadata(&store).unwrap().len(), 0);

    let garbage = b"this is not a job store, but somebody's notes";
    std::fs::write(&store, garbage).unwrap();
    let (code, text) = refused_start(&dir.0);
    assert_ne!(code, Some(0));
    assert!(text.contains("cannot read the job store"), "{text}");
    assert_eq!(std::fs::read(&store).unwrap(), garbage);
}

/// A raw TCP connection to the app.
async fn raw(app: &TestApp) -> tokio::net::TcpStream {
    let addr = app.address.trim_start_matches("http://").to_owned();
    tokio::net::TcpStream::connect(addr).await.unwrap()
}

/// Everything the server sends until it closes the connection (or `limit` passes: then `None`).
async fn until_closed(stream: &mut tokio::net::TcpStream, limit: Duration) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut out = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(limit, read).await.ok()?;
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Slow or idle clients are cut off: a head that never ends, a kept-alive connection that sends
/// nothing more, a promised body that never comes (408 with the error body).
#[tokio::test]
async fn slow_and_idle_connections_are_closed() {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::builder()
        .env("BEAMLINE_HEADER_READ_TIMEOUT_SECONDS", "1")
        .env("BEAMLINE_BODY_READ_TIMEOUT_SECONDS", "1")
        .spawn();
    // A head that never ends.
    let mut slow = raw(&app).await;
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    assert!(
        until_closed(&mut slow, Duration::from_secs(5))
            .await
            .is_some(),
        "a slow head keeps its connection"
    );
    // A connection that never sends anything.
    let mut idle = raw(&app).await;
    assert!(until_closed(&mut idle, Duration::from_secs(5))
        .await
        .is_some());
    // A kept-alive connection after its answer.
    let mut kept = raw(&app).await;
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let text = until_closed(&mut kept, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    // A body promised and never sent.
    let mut stalled = raw(&app).await;
    let head = format!(
        "POST /api/v1/design/beam HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"width\"",
        designer()
    );
    stalled.write_all(head.as_bytes()).await.unwrap();
    let text = until_closed(&mut stalled, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"code\":\"request_timeout\""), "{text}");
    // Everyone else is served meanwhile.
    assert_eq!(app.get("/health").await.status(), 200);
}

/// Beyond the cap of open connections a new one gets a clear 503 and is closed; the connections
/// already open are served, and room comes back when one closes.
#[tokio::test]
async fn connections_beyond_the_cap_are_refused_clearly() {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::builder()
        .env("BEAMLINE_MAX_CONNECTIONS", "3")
        .spawn();
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(raw(&app).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = raw(&app).await;
    let text = until_closed(&mut extra, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("too_many_connections"), "{text}");
    // The held ones still work.
    held[0]
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let text = until_closed(&mut held[0], Duration::from_secs(5))
        .await
        .unwrap();
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    held.clear();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = raw(&app).await;
    again
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let text = until_closed(&mut again, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    // WebSockets hold their place too, for as long as they are open.
    let mut sockets = Vec::new();
    for i in 0..3 {
        sockets.push(
            crate::ws::Ws::join(&app, &format!("cap{i}"), &designer())
                .await
                .0,
        );
    }
    let mut extra = raw(&app).await;
    let text = until_closed(&mut extra, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
}

/// The limits the HTTP layer enforces answer with the service's error body.
#[tokio::test]
async fn long_targets_and_large_headers_get_json_errors() {
    let app = TestApp::spawn();
    let long = format!("/health?{}", "a".repeat(10_000));
    let r = app.get(&long).await;
    error_body(r, 414, "uri_too_long").await;
    let mut req = app.client.get(app.url("/health"));
    for i in 0..80 {
        req = req.header(format!("x-h{i}"), "v");
    }
    error_body(req.send().await.unwrap(), 431, "headers_too_large").await;
    let r = app
        .client
        .get(app.url("/health"))
        .header("x-big", "b".repeat(40_000))
        .send()
        .await
        .unwrap();
    error_body(r, 431, "headers_too_large").await;
}

/// Shutdown ends within the documented time even with slow clients holding connections: a head
/// that trickles, a body that never comes, an event stream nobody reads, a silent WebSocket.
#[tokio::test]
async fn shutdown_is_bounded_even_with_slow_clients() {
    use tokio::io::AsyncWriteExt;
    let mut app = TestApp::spawn();
    let token = designer();
    let mut slow_head = raw(&app).await;
    slow_head
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut no_body = raw(&app).await;
    let head = format!(
        "POST /api/v1/design/beam HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{"
    );
    no_body.write_all(head.as_bytes()).await.unwrap();
    let beams: Vec<serde_json::Value> = (0..2000)
        .map(|i| serde_json::json!({"width": 300, "depth": 500, "Mu": 50 + i % 100}))
        .collect();
    // A stream opened and never read: its socket buffers fill and the server's writes wait.
    let _unread = app
        .client
        .post(app.url("/stream/batch-design"))
        .bearer_auth(&token)
        .json(&beams)
        .send()
        .await
        .unwrap();
    let _silent = crate::sessions::raw_upgrade(&app, "silent", &token).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let code = app.terminate(Duration::from_secs(12));
    assert_eq!(
        code,
        Some(0),
        "not stopped in time; output:\n{}",
        app.output()
    );
    assert!(started.elapsed() < Duration::from_secs(12));
    drop((slow_head, no_body));
}

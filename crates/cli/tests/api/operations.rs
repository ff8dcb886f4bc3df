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

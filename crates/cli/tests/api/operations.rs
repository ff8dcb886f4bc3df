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

//! `beamline batch --server`: the same file designed as a job on a running server.

use std::process::Command;

use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn a_csv_runs_as_a_job_and_its_results_come_back() {
    let app = TestApp::spawn();
    let dir = Scratch::new("batch-remote");
    let mut csv = String::from("id,width,depth,Mu,Vu\n");
    for i in 0..300 {
        let width = if i == 42 { 50 } else { 300 };
        csv.push_str(&format!("B{i},{width},500,{},80\n", 60 + i % 100));
    }
    std::fs::write(dir.0.join("beams.csv"), csv).unwrap();
    let address = app.address.clone();
    let token = designer();
    let run = {
        let dir = dir.0.clone();
        let token = token.clone();
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_beamline"))
                .args([
                    "batch",
                    "beams.csv",
                    "--out",
                    "results.csv",
                    "--server",
                    &address,
                ])
                .env("BEAMLINE_TOKEN", &token)
                .current_dir(&dir)
                .output()
                .unwrap()
        })
    };
    let out = run.await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("line 44: width: must be between 100 and 3000 mm, got 50"),
        "{stderr}"
    );
    assert!(
        stderr.contains("created; if interrupted, resume with --job job_"),
        "{stderr}"
    );
    let results = std::fs::read_to_string(dir.0.join("results.csv")).unwrap();
    assert_eq!(results.lines().count(), 301);
    assert!(results
        .lines()
        .nth(43)
        .unwrap()
        .starts_with("42,B42,INVALID,"));

    // Attaching to an existing job (say after an interruption) finishes its download.
    let r = app
        .post_json(
            "/api/v1/jobs",
            &json!({"beams": [{"id": "X", "width": 300, "depth": 500, "Mu": 80}]}),
            Some(&token),
        )
        .await;
    let job: Value = r.json().await.unwrap();
    let job_id = job["job_id"].as_str().unwrap().to_owned();
    let address = app.address.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_beamline"))
            .args([
                "batch",
                "unused.csv",
                "--server",
                &address,
                "--job",
                &job_id,
                "--token",
                &token,
            ])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("0,X,SUCCESS,"));

    // A bad token is reported, with exit code 2.
    let (address, cwd) = (app.address.clone(), dir.0.clone());
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_beamline"))
            .args([
                "batch",
                "beams.csv",
                "--server",
                &address,
                "--token",
                "nope",
            ])
            .current_dir(cwd)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("401"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

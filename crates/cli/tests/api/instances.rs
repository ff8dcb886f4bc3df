//! Several instances over one real Redis (docs/operations.md, "Several instances"): a session split
//! across two instances, one rate-limit budget, and Redis stopped and started again under them.

use std::process::Command;
use std::time::{Duration, Instant};

pub use beamline_testkit::{free_port, spawn_tool, wait_for_port, Redis};

use serde_json::json;

use crate::helpers::*;
use crate::ws::Ws;

/// An instance of the service on `redis`.
pub fn instance(redis: &Redis, requests: u32) -> TestApp {
    TestApp::builder()
        .env("BEAMLINE_REDIS_URL", &redis.url())
        .with_rate_limit(requests, 60)
        .spawn()
}

#[tokio::test]
async fn a_session_split_across_two_instances_shares_designs_updates_presence_and_late_joins() {
    let Some(redis) = Redis::start() else { return };
    let (a, b) = (instance(&redis, 10_000), instance(&redis, 10_000));
    let token = designer();
    let mut on_a = Ws::connect(&a, "split", Some(&token)).await;
    on_a.recv_type("session_state").await;
    let mut on_b = Ws::connect(&b, "split", Some(&token)).await;
    on_b.recv_type("session_state").await;
    // A's member hears of B's arrival through Redis.
    let joined = on_a.recv_type("presence").await;
    assert_eq!(joined["members"], 2);
    on_a.send(&json!({"action": "design", "beam": {"width": 300, "depth": 500, "Mu": 120}, "request_id": "a1"}))
        .await;
    for ws in [&mut on_a, &mut on_b] {
        let r = ws.recv_type("design_result").await;
        assert_eq!(r["request_id"], "a1");
        assert_eq!(r["result"]["status"], "SUCCESS");
    }
    on_b.send(&json!({"action": "update", "changes": {"width": 350}, "request_id": "b1"}))
        .await;
    for ws in [&mut on_a, &mut on_b] {
        let r = ws.recv_type("design_result").await;
        assert_eq!(r["request_id"], "b1");
        assert_eq!(r["beam"]["width"].as_f64(), Some(350.0));
    }
    // A late joiner on either instance gets the current design.
    for app in [&a, &b] {
        let (_late, state) = Ws::join(app, "split", &token).await;
        assert_eq!(state["beam"]["width"].as_f64(), Some(350.0));
        assert_eq!(state["result"]["status"], "SUCCESS");
    }
}

#[tokio::test]
async fn two_instances_share_one_exact_rate_limit_budget() {
    let Some(redis) = Redis::start() else { return };
    let (a, b) = (instance(&redis, 20), instance(&redis, 20));
    let token = designer();
    let beam = beam();
    let requests = (0..40).map(|i| {
        let app = if i % 2 == 0 { &a } else { &b };
        app.design(&beam, &token)
    });
    let statuses: Vec<u16> = futures::future::join_all(requests)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        20,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        20,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn redis_stopped_and_started_again_under_two_instances() {
    let Some(redis) = Redis::start() else { return };
    let port = redis.port;
    let (a, b) = (instance(&redis, 10_000), instance(&redis, 10_000));
    let token = designer();
    let mut member = Ws::connect(&a, "outage", Some(&token)).await;
    member.recv_type("session_state").await;
    // Load on both instances all along: every answer is a design or a 503 that says why, never a
    // 500 and never a hang.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = {
        let (urls, token, stop) = (
            [a.url("/api/v1/design/beam"), b.url("/api/v1/design/beam")],
            token.clone(),
            stop.clone(),
        );
        tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap();
            let mut statuses = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                for url in &urls {
                    let r = client
                        .post(url)
                        .bearer_auth(&token)
                        .json(&beam())
                        .send()
                        .await;
                    statuses.push(r.map(|r| r.status().as_u16()).unwrap_or(0));
                }
            }
            statuses
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(redis);
    for app in [&a, &b] {
        let body = error_body(app.get("/ready").await, 503, "not_ready").await;
        assert!(body["detail"].as_str().unwrap().contains("Redis"), "{body}");
        let r = app.design(&beam(), &token).await;
        let body = error_body(r, 503, "not_ready").await;
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("rate-limit store"),
            "{body}"
        );
    }
    // The member is told, and may reconnect.
    let (code, reason) = member.closed().await;
    assert_eq!(code, 1013, "{reason}");
    let _back = Redis::on(port).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    for app in [&a, &b] {
        while app.get("/ready").await.status() != 200 {
            assert!(
                Instant::now() < deadline,
                "{} did not recover",
                app.url("/")
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(app.design(&beam(), &token).await.status(), 200);
    }
    let mut again = Ws::connect(&b, "outage", Some(&token)).await;
    again.recv_type("session_state").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let statuses = load.await.unwrap();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&503) && statuses.last() == Some(&200),
        "{statuses:?}"
    );
}

/// deploy/nginx.conf in front of `instances`, on a free port.
fn nginx(instances: &[&TestApp]) -> Option<TestApp> {
    let scratch = Scratch::new("nginx");
    let port = free_port()?;
    let sample = include_str!("../../../../deploy/nginx.conf");
    let mut conf = sample.replace("listen 8080;", &format!("listen 127.0.0.1:{port};"));
    for (i, app) in instances.iter().enumerate() {
        let addr = app.address.trim_start_matches("http://").to_owned();
        conf = conf.replace(&format!("127.0.0.1:800{}", i + 1), &addr);
    }
    std::fs::create_dir_all(scratch.0.join("logs")).unwrap();
    std::fs::write(scratch.0.join("nginx.conf"), conf).unwrap();
    let prefix = scratch.0.display().to_string();
    let child = spawn_tool(
        Command::new("nginx")
            .args(["-p", &prefix, "-c", &format!("{prefix}/nginx.conf")])
            .args([
                "-g",
                &format!("daemon off; pid {prefix}/nginx.pid; error_log {prefix}/error.log;"),
            ]),
        "nginx",
    )?;
    wait_for_port(port, "nginx");
    Some(TestApp::fronted_by(
        format!("http://127.0.0.1:{port}"),
        child,
        scratch,
    ))
}

#[tokio::test]
async fn through_nginx_sessions_span_the_instances_jobs_stream_and_the_budget_is_one() {
    let Some(redis) = Redis::start() else { return };
    let (a, b) = (instance(&redis, 30), instance(&redis, 30));
    let Some(proxy) = nginx(&[&a, &b]) else {
        return;
    };
    let token = designer();
    // Two members through the proxy (round robin: one on each instance) share the session.
    let mut first = Ws::connect(&proxy, "proxied", Some(&token)).await;
    first.recv_type("session_state").await;
    let mut second = Ws::connect(&proxy, "proxied", Some(&token)).await;
    second.recv_type("session_state").await;
    second
        .send(&json!({"action": "design", "beam": {"width": 300, "depth": 450, "Mu": 90}, "request_id": "p1"}))
        .await;
    for ws in [&mut first, &mut second] {
        assert_eq!(ws.recv_type("design_result").await["request_id"], "p1");
    }
    // A job is created and followed to its end through the proxy, events unbuffered.
    let r = proxy
        .post_json(
            "/api/v1/jobs",
            &json!({"beams": [beam(), beam()]}),
            Some(&token),
        )
        .await;
    assert_eq!(r.status(), 202);
    let job: serde_json::Value = r.json().await.unwrap();
    let events = crate::sse::Sse::new(
        proxy
            .get_with(job["events_url"].as_str().unwrap(), &token)
            .await,
    )
    .rest()
    .await;
    assert_eq!(events.last().unwrap().event, "complete");
    // One budget of 30 across both instances: the two upgrades, the job and its stream took 4.
    let beam = beam();
    let requests = (0..40).map(|_| proxy.design(&beam, &token));
    let statuses: Vec<u16> = futures::future::join_all(requests)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        26,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        14,
        "{statuses:?}"
    );
}

/// An instance that hands jobs over quickly: a lease of 1 s, one beam per chunk.
fn job_instance(redis: &Redis) -> TestApp {
    TestApp::builder()
        .env("BEAMLINE_REDIS_URL", &redis.url())
        .env("BEAMLINE_JOBS_LEASE_SECONDS", "1")
        .env("BEAMLINE_JOBS_CHUNK_SIZE", "1")
        .with_rate_limit(100_000, 60)
        .spawn()
}

#[tokio::test]
async fn a_job_submitted_on_one_instance_is_followed_and_read_on_another() {
    let Some(redis) = Redis::start() else { return };
    let (a, b) = (instance(&redis, 10_000), instance(&redis, 10_000));
    let token = designer();
    let r = a
        .post_json(
            "/api/v1/jobs",
            &json!({"beams": [beam(), beam(), {"width": 40}]}),
            Some(&token),
        )
        .await;
    let job: serde_json::Value = r.json().await.unwrap();
    let id = job["job_id"].as_str().unwrap();
    let events = crate::sse::Sse::new(b.get_with(&format!("/stream/jobs/{id}"), &token).await)
        .rest()
        .await;
    assert_eq!(events.last().unwrap().event, "complete");
    // Resumed on B after its second event: the rest, and nothing twice.
    let r = b
        .client
        .get(b.url(&format!("/stream/jobs/{id}")))
        .bearer_auth(&token)
        .header("last-event-id", "2")
        .send()
        .await
        .unwrap();
    let rest = crate::sse::Sse::new(r).rest().await;
    assert_eq!(rest.first().unwrap().id, 3);
    assert_eq!(rest.len(), events.len() - 2);
    let status: serde_json::Value = b
        .get_with(&format!("/api/v1/jobs/{id}"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "completed");
    assert_eq!(status["errors"], 1);
    let csv = b
        .get_with(&format!("/api/v1/jobs/{id}/results?format=csv"), &token)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 4);
}

#[tokio::test]
async fn a_job_whose_instance_is_killed_is_taken_over_with_ids_continuous_and_none_twice() {
    let Some(redis) = Redis::start() else { return };
    let (mut a, b) = (job_instance(&redis), job_instance(&redis));
    let token = designer();
    let beams: Vec<serde_json::Value> = (0..3000)
        .map(|i| json!({"id": format!("B{i}"), "width": 300, "depth": 500, "Mu": 50 + i % 100}))
        .collect();
    let r = a
        .post_json("/api/v1/jobs", &json!({"beams": beams}), Some(&token))
        .await;
    let job: serde_json::Value = r.json().await.unwrap();
    let id = job["job_id"].as_str().unwrap().to_owned();
    // Follow on B; once A has designed some beams, kill it.
    let mut stream = crate::sse::Sse::new(b.get_with(&format!("/stream/jobs/{id}"), &token).await);
    let mut events = Vec::new();
    while let Some(e) = stream.next_event().await {
        events.push(e);
        if events.len() == 200 {
            a.kill();
        }
        if events.last().is_some_and(|e| e.event == "complete") {
            break;
        }
    }
    assert!(events.len() > 200, "the job was taken over and finished");
    let ids: Vec<u64> = events.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        (1..=ids.len() as u64).collect::<Vec<_>>(),
        "ids continuous, none twice"
    );
    let mut designed: Vec<u64> = events
        .iter()
        .filter(|e| e.event == "design_result")
        .map(|e| e.data["index"].as_u64().unwrap())
        .collect();
    assert_eq!(designed.len(), 3000);
    designed.sort_unstable();
    designed.dedup();
    assert_eq!(designed.len(), 3000, "every beam designed exactly once");
    let complete = events.last().unwrap();
    assert_eq!(complete.data["summary"]["succeeded"], 3000);
}

/// Every `beamline serve` command in the docs' shell examples (docs/http.md, docs/operations.md)
/// starts as written and answers `/ready`: on port 0 instead of the address it names, and with a Redis
/// of its own where it names one.
#[tokio::test]
async fn the_serve_commands_of_the_docs_start_and_answer() {
    let Some(redis) = Redis::start() else { return };
    let docs = [
        include_str!("../../../../docs/http.md"),
        include_str!("../../../../docs/operations.md"),
    ];
    let commands: Vec<String> = docs
        .iter()
        .flat_map(|doc| doc.split("```sh\n").skip(1))
        .flat_map(|block| block[..block.find("```").unwrap_or(0)].lines())
        .filter_map(|l| l.trim().strip_prefix("beamline serve"))
        .map(|l| l.split('#').next().unwrap_or("").trim().to_owned())
        .collect();
    assert_eq!(commands.len(), 4, "{commands:?}");
    for command in &commands {
        let mut builder = TestApp::builder();
        let mut words = command.split_whitespace();
        while let Some(word) = words.next() {
            match word {
                "--bind" => {
                    words.next();
                }
                url if url.starts_with("redis://") => builder = builder.arg(&redis.url()),
                other => builder = builder.arg(other),
            }
        }
        let app = builder.spawn();
        let r = app.get("/ready").await;
        assert_eq!(r.status(), 200, "beamline serve {command}");
    }
}

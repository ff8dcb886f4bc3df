//! Batch jobs and their event streams, over real HTTP.

use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::*;
use crate::sse::{Event, Item, Sse};

fn beams(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"id": format!("B{i}"), "width": 300, "depth": 500, "Mu": 50 + (i % 200), "Vu": 80}))
        .collect()
}

async fn post_stream(app: &TestApp, body: &Value, token: &str) -> Sse {
    let r = app
        .post_json("/stream/batch-design", body, Some(token))
        .await;
    Sse::new(r)
}

async fn follow(app: &TestApp, job_id: &str, token: &str, last: Option<u64>) -> Sse {
    let mut req = app
        .client
        .get(app.url(&format!("/stream/jobs/{job_id}")))
        .bearer_auth(token);
    if let Some(id) = last {
        req = req.header("last-event-id", id.to_string());
    }
    Sse::new(req.send().await.unwrap())
}

async fn create_job(app: &TestApp, body: &Value, token: &str) -> String {
    let r = app.post_json("/api/v1/jobs", body, Some(token)).await;
    assert_eq!(r.status(), 202);
    let body: Value = r.json().await.unwrap();
    body["job_id"].as_str().unwrap().to_owned()
}

/// A job's status, as its owner sees it.
async fn job_status(app: &TestApp, job_id: &str, token: &str) -> Value {
    app.get_with(&format!("/api/v1/jobs/{job_id}"), token)
        .await
        .json()
        .await
        .unwrap()
}

/// Ids 1, 2, 3 … with no gap and no repeat, and the events of docs/jobs.md in order.
fn check_sequence(events: &[Event], total: usize) {
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.id, i as u64 + 1, "ids must be continuous");
    }
    assert_eq!(events[0].event, "start");
    assert_eq!(events[0].data["total_beams"], total);
    let body = &events[1..events.len() - 1];
    assert_eq!(body.len(), 2 * total);
    for (i, pair) in body.chunks(2).enumerate() {
        match pair[0].event.as_str() {
            "design_result" => assert_eq!(pair[0].data["index"], i),
            "error" => assert_eq!(pair[0].data["beam_index"], i),
            other => panic!("unexpected {other}"),
        }
        assert_eq!(pair[1].event, "progress");
        assert_eq!(pair[1].data["current"], i + 1);
        assert_eq!(pair[1].data["total"], total);
    }
    assert_eq!(events.last().unwrap().event, "complete");
}

#[tokio::test]
async fn a_mixed_batch_streams_every_event_in_order_with_a_summary_that_adds_up() {
    let app = TestApp::spawn();
    let body = json!({"beams": [
        {"width": 300, "depth": 500, "Mu": 100},
        {"width": 30, "depth": 500},
        {"b": 230, "D": 400, "moment": 50, "shear": 300},
        "not a beam",
    ]});
    let mut sse = post_stream(&app, &body, &designer()).await;
    assert_eq!(sse.status, 200);
    assert_eq!(sse.headers["content-type"], "text/event-stream");
    assert_eq!(sse.headers["cache-control"], "no-cache");
    assert_eq!(sse.headers["x-accel-buffering"], "no");
    let job_id = sse.headers["x-job-id"].to_str().unwrap().to_owned();
    assert_eq!(sse.next_item().await, Some(Item::Retry(2000)));
    let events = sse.rest().await;
    check_sequence(&events, 4);
    assert_eq!(events[0].data["job_id"], job_id.as_str());
    assert_eq!(events[1].data["result"]["status"], "SUCCESS");
    assert_eq!(events[1].data["beam"]["Mu"], 100.0);
    assert_eq!(events[3].data["error"]["code"], "validation_error");
    assert!(events[3].data["error"]["errors"].as_array().unwrap().len() >= 2);
    assert_eq!(events[5].data["result"]["status"], "FAIL");
    assert_eq!(events[7].data["beam_index"], 3);
    assert_eq!(
        events[8].data,
        json!({"current": 4, "total": 4, "percent": 100.0})
    );
    let complete = &events.last().unwrap().data;
    assert_eq!(complete["status"], "done");
    let s = &complete["summary"];
    assert_eq!(
        (
            s["total"].as_u64(),
            s["succeeded"].as_u64(),
            s["failed"].as_u64(),
            s["errors"].as_u64()
        ),
        (Some(4), Some(1), Some(1), Some(2))
    );
    assert!(s["duration_ms"].is_u64());

    let status: Value = app
        .get_with(&format!("/api/v1/jobs/{job_id}"), &designer())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "completed");
    assert_eq!(status["completed_beams"], 4);
    assert_eq!(
        (
            status["succeeded"].as_u64(),
            status["failed"].as_u64(),
            status["errors"].as_u64()
        ),
        (Some(1), Some(1), Some(2))
    );
    for key in ["created_at", "started_at", "finished_at"] {
        assert!(status[key].as_str().unwrap().ends_with('Z'), "{key}");
    }
}

#[tokio::test]
async fn a_bare_array_works_and_request_level_problems_create_no_job() {
    let app = TestApp::builder()
        .env("BEAMLINE_MAX_BATCH_BEAMS", "5")
        .spawn();
    let token = designer();
    let mut sse = post_stream(
        &app,
        &json!([{"width": 300, "depth": 500, "Mu": 100}]),
        &token,
    )
    .await;
    assert_eq!(sse.rest().await.len(), 4);

    let r = app
        .post_json("/stream/batch-design", &json!([]), Some(&token))
        .await;
    let body = error_body(r, 422, "validation_error").await;
    assert_eq!(body["errors"][0]["field"], "beams");
    let r = app
        .post_json("/api/v1/jobs", &json!({"beams": beams(6)}), Some(&token))
        .await;
    let body = error_body(r, 422, "validation_error").await;
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("at most 5"));
    let r = app
        .post_json(
            "/api/v1/jobs",
            &json!({"beams": beams(1), "priority": 1}),
            Some(&token),
        )
        .await;
    error_body(r, 422, "validation_error").await;
    let r = app
        .post_json(
            "/api/v1/jobs",
            &json!({"beams": {"width": 1}}),
            Some(&token),
        )
        .await;
    error_body(r, 422, "validation_error").await;
    let r = app
        .client
        .post(app.url("/stream/batch-design"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("[{\"width\": 300,")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("x-job-id").is_none());
    error_body(r, 400, "malformed_json").await;
    let r = app
        .post_json("/api/v1/jobs", &json!({"beams": beams(1)}), None)
        .await;
    error_body(r, 401, "unauthorized").await;
}

#[tokio::test]
async fn resuming_with_last_event_id_gives_exactly_the_rest() {
    let app = TestApp::spawn();
    let token = designer();
    let job_id = create_job(&app, &json!({"beams": beams(300)}), &token).await;

    let mut first = follow(&app, &job_id, &token, None).await;
    let mut seen = Vec::new();
    while seen.len() < 57 {
        seen.push(first.next_event().await.unwrap());
    }
    drop(first);
    let mut again = follow(&app, &job_id, &token, Some(57)).await;
    assert_eq!(again.next_item().await, Some(Item::Retry(2000)));
    let rest = again.rest().await;
    assert_eq!(rest[0].id, 58);
    seen.extend(rest);
    check_sequence(&seen, 300);

    // The query parameter does the same (for EventSource, which cannot set headers), with ?token=.
    let r = app
        .client
        .get(app.url(&format!(
            "/stream/jobs/{job_id}?last_event_id=600&token={token}"
        )))
        .send()
        .await
        .unwrap();
    let rest = Sse::new(r).rest().await;
    assert_eq!(rest.iter().map(|e| e.id).collect::<Vec<_>>(), [601, 602]);
    // Resuming a finished job at or past its last id replays `complete` and ends at once, however
    // large the id (a browser does exactly this after a job ends).
    for last in ["602", "603", "18446744073709551615"] {
        let r = app
            .client
            .get(app.url(&format!("/stream/jobs/{job_id}")))
            .bearer_auth(&token)
            .header("last-event-id", last)
            .send()
            .await
            .unwrap();
        let rest = tokio::time::timeout(Duration::from_secs(5), Sse::new(r).rest())
            .await
            .unwrap_or_else(|_| panic!("the stream resumed at {last} never ended"));
        assert_eq!(rest.len(), 1, "{last}");
        assert_eq!((rest[0].id, rest[0].event.as_str()), (602, "complete"));
    }
    // A bad Last-Event-ID is a 400.
    let r = app
        .client
        .get(app.url(&format!("/stream/jobs/{job_id}")))
        .bearer_auth(&token)
        .header("last-event-id", "abc")
        .send()
        .await
        .unwrap();
    error_body(r, 400, "bad_request").await;
}

#[tokio::test]
async fn several_clients_follow_one_job_and_it_runs_on_when_they_leave() {
    let app = TestApp::builder()
        .env("BEAMLINE_JOBS_CHUNK_SIZE", "16")
        .spawn();
    let token = designer();
    let job_id = create_job(&app, &json!({"beams": beams(400)}), &token).await;
    let (a, b, c) = (
        follow(&app, &job_id, &token, None),
        follow(&app, &job_id, &token, None),
        follow(&app, &job_id, &token, Some(100)),
    );
    let (mut a, mut b, mut c) = (a.await, b.await, c.await);
    // One follower leaves early; the job does not care.
    let mut d = follow(&app, &job_id, &token, None).await;
    d.next_event().await.unwrap();
    drop(d);
    let (ea, eb, ec) = (a.rest().await, b.rest().await, c.rest().await);
    check_sequence(&ea, 400);
    assert_eq!(ea, eb);
    assert_eq!(ec, ea[100..].to_vec());
}

#[tokio::test]
async fn the_job_finishes_after_the_streaming_client_goes_away() {
    let app = TestApp::builder()
        .env("BEAMLINE_JOBS_CHUNK_SIZE", "8")
        .spawn();
    let token = designer();
    let mut sse = post_stream(&app, &json!(beams(500)), &token).await;
    let job_id = sse.headers["x-job-id"].to_str().unwrap().to_owned();
    sse.next_event().await.unwrap();
    drop(sse);
    let mut status = Value::Null;
    for _ in 0..200 {
        status = job_status(&app, &job_id, &token).await;
        if status["status"] == "completed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status["status"], "completed");
    assert_eq!(status["completed_beams"], 500);
}

#[tokio::test]
async fn a_killed_server_resumes_its_jobs_with_no_event_lost_or_repeated() {
    let data = Scratch::new("crash");
    let token = designer();
    let total = 6000;
    let mut app = TestApp::builder()
        .data_dir(&data.0)
        .env("BEAMLINE_JOBS_CHUNK_SIZE", "2")
        .spawn();
    let job_id = create_job(&app, &json!({"beams": beams(total)}), &token).await;
    let mut sse = follow(&app, &job_id, &token, None).await;
    let mut seen = Vec::new();
    while seen.len() < 400 {
        seen.push(sse.next_event().await.unwrap());
    }
    app.kill();
    // Whatever was in flight on the dying connection is lost to this client; what it saw stays.
    let last = seen.last().unwrap().id;

    let app = TestApp::builder()
        .data_dir(&data.0)
        .env("BEAMLINE_JOBS_CHUNK_SIZE", "64")
        .spawn();
    let status: Value = job_status(&app, &job_id, &token).await;
    assert_ne!(status["status"], "pending", "{status}");
    let mut sse = follow(&app, &job_id, &token, Some(last)).await;
    let rest = sse.rest().await;
    assert_eq!(rest[0].id, last + 1);
    seen.extend(rest);
    check_sequence(&seen, total);
    let summary = &seen.last().unwrap().data["summary"];
    assert_eq!(summary["total"], total);
    let designed = seen.iter().filter(|e| e.event == "design_result").count() as u64;
    assert_eq!(
        summary["succeeded"].as_u64().unwrap() + summary["failed"].as_u64().unwrap(),
        designed
    );
    assert_eq!(summary["errors"], 0);
    // The restarted server logged that it resumed the job.
    assert!(app.output().contains("resuming job"), "{}", app.output());
}

#[tokio::test]
async fn cancelling_ends_the_stream_with_cancelled() {
    let app = TestApp::builder()
        .env("BEAMLINE_JOBS_CHUNK_SIZE", "2")
        .spawn();
    let token = designer();
    let job_id = create_job(&app, &json!({"beams": beams(5000)}), &token).await;
    let mut sse = follow(&app, &job_id, &token, None).await;
    sse.next_event().await.unwrap();
    let r = app
        .delete_with(&format!("/api/v1/jobs/{job_id}"), &token)
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["cancel_requested"], true);
    let events = sse.rest().await;
    let complete = events.last().unwrap();
    assert_eq!(complete.event, "complete");
    assert_eq!(complete.data["status"], "cancelled");
    assert!(complete.data["summary"]["succeeded"].as_u64().unwrap() < 5000);
    let status: Value = job_status(&app, &job_id, &token).await;
    assert_eq!(status["status"], "cancelled");
    // Cancelling a finished job changes nothing.
    let again: Value = app
        .delete_with(&format!("/api/v1/jobs/{job_id}"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["status"], "cancelled");
}

#[tokio::test]
async fn jobs_belong_to_their_owner() {
    let app = TestApp::spawn();
    let job_id = create_job(&app, &json!({"beams": beams(3)}), &designer()).await;
    let other = token("mallory", &["design"]);
    for path in [
        format!("/api/v1/jobs/{job_id}"),
        format!("/api/v1/jobs/{job_id}/results"),
        format!("/stream/jobs/{job_id}"),
    ] {
        let r = app.get_with(&path, &other).await;
        error_body(r, 404, "not_found").await;
    }
    let r = app
        .delete_with(&format!("/api/v1/jobs/{job_id}"), &other)
        .await;
    error_body(r, 404, "not_found").await;
    let r = app.get_with("/api/v1/jobs/job_nope", &designer()).await;
    error_body(r, 404, "not_found").await;
    let r = app
        .client
        .get(app.url(&format!("/api/v1/jobs/{job_id}")))
        .bearer_auth(token("alice", &["analyze"]))
        .send()
        .await
        .unwrap();
    error_body(r, 403, "insufficient_scope").await;
}

#[tokio::test]
async fn results_as_json_and_csv() {
    let app = TestApp::spawn();
    let token = designer();
    let body = json!([{"id": "A", "width": 300, "depth": 500, "Mu": 100}, {"width": 30}, {"id": "C, with comma", "width": 230, "depth": 400, "Mu": 50, "Vu": 300},
                      {"id": "=HYPERLINK(\"http://evil.invalid\",\"x\")", "width": 300, "depth": 500, "Mu": 100}, {"id": "@SUM(1)", "width": 3}]);
    let mut sse = post_stream(&app, &body, &token).await;
    let job_id = sse.headers["x-job-id"].to_str().unwrap().to_owned();
    sse.rest().await;

    let r: Value = app
        .get_with(&format!("/api/v1/jobs/{job_id}/results"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["status"], "completed");
    let results = r["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(results[0]["index"], 0);
    assert_eq!(results[0]["result"]["status"], "SUCCESS");
    assert_eq!(results[1]["index"], 1);
    assert_eq!(results[1]["error"]["code"], "validation_error");

    let r = app
        .get_with(&format!("/api/v1/jobs/{job_id}/results?format=csv"), &token)
        .await;
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let text = r.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6);
    // Formula injection: text a spreadsheet would evaluate starts with a quote instead.
    assert!(lines[4].starts_with("3,\"'=HYPERLINK("), "{}", lines[4]);
    assert!(lines[5].starts_with("4,'@SUM(1),INVALID,"), "{}", lines[5]);
    assert!(lines[0].starts_with("index,id,status,width,depth,Mu,"));
    assert!(lines[1].starts_with("0,A,SUCCESS,300.0,500.0,100.0,"));
    assert!(lines[2].starts_with("1,,INVALID,"));
    assert!(lines[2].contains("width: must be between 100 and 3000 mm, got 30"));
    assert!(lines[3].starts_with("2,\"C, with comma\",FAIL,"));
    let r = app
        .get_with(&format!("/api/v1/jobs/{job_id}/results?format=xml"), &token)
        .await;
    error_body(r, 400, "bad_request").await;
}

#[tokio::test]
async fn finished_jobs_expire_after_their_retention() {
    let app = TestApp::builder()
        .env("BEAMLINE_JOBS_RETENTION_SECONDS", "1")
        .spawn();
    let token = designer();
    let mut sse = post_stream(&app, &json!(beams(2)), &token).await;
    let job_id = sse.headers["x-job-id"].to_str().unwrap().to_owned();
    sse.rest().await;
    let url = app.url(&format!("/api/v1/jobs/{job_id}"));
    assert_eq!(
        app.client
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let mut gone = false;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        if app
            .client
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status()
            == 404
        {
            gone = true;
            break;
        }
    }
    assert!(gone, "the job outlived its retention");
}

#[tokio::test]
async fn a_quiet_stream_gets_keepalive_comments() {
    let app = TestApp::builder()
        .env("BEAMLINE_JOBS_MAX_RUNNING", "1")
        .env("BEAMLINE_JOBS_CHUNK_SIZE", "1")
        .env("BEAMLINE_JOBS_KEEPALIVE_SECONDS", "1")
        .spawn();
    let token = designer();
    // Three jobs of 10 000 beams, one committed at a time, keep the one behind them waiting for well
    // over the keepalive interval on any disk.
    let mut busy = Vec::new();
    for _ in 0..3 {
        busy.push(create_job(&app, &json!({"beams": beams(10_000)}), &token).await);
    }
    let waiting = create_job(&app, &json!({"beams": beams(1)}), &token).await;
    let mut sse = follow(&app, &waiting, &token, None).await;
    assert_eq!(sse.next_item().await, Some(Item::Retry(2000)));
    assert_eq!(
        sse.next_item().await,
        Some(Item::Comment("keepalive".into()))
    );
    let status: Value = job_status(&app, &waiting, &token).await;
    assert_eq!(status["status"], "pending");
    // Cancel the busy ones: the waiting job runs and its stream completes.
    for id in &busy {
        app.delete_with(&format!("/api/v1/jobs/{id}"), &token).await;
    }
    let events = sse.rest().await;
    assert_eq!(events.last().unwrap().data["status"], "done");
}

#[tokio::test]
async fn shutdown_ends_event_streams_cleanly() {
    let mut app = TestApp::builder()
        .env("BEAMLINE_JOBS_MAX_RUNNING", "1")
        .env("BEAMLINE_JOBS_CHUNK_SIZE", "1")
        .spawn();
    let token = designer();
    let _busy = create_job(&app, &json!({"beams": beams(8000)}), &token).await;
    let waiting = create_job(&app, &json!({"beams": beams(1)}), &token).await;
    let mut sse = follow(&app, &waiting, &token, None).await;
    assert_eq!(sse.next_item().await, Some(Item::Retry(2000)));
    app.sigterm();
    // The stream ends (no error), and the server exits within the grace time.
    assert!(sse.rest().await.is_empty());
    assert_eq!(app.terminate(Duration::from_secs(10)), Some(0));
}

#[tokio::test]
async fn a_full_queue_refuses_new_jobs_with_503() {
    let app = TestApp::builder()
        .env("BEAMLINE_JOBS_MAX_RUNNING", "1")
        .env("BEAMLINE_JOBS_MAX_QUEUED", "1")
        .env("BEAMLINE_JOBS_CHUNK_SIZE", "1")
        .spawn();
    let token = designer();
    let busy = create_job(&app, &json!({"beams": beams(10_000)}), &token).await;
    // Once the busy job holds the one slot, the queue is empty again.
    let mut running = false;
    for _ in 0..100 {
        if job_status(&app, &busy, &token).await["status"] == "running" {
            running = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(running);
    let _waiting = create_job(&app, &json!({"beams": beams(1)}), &token).await;
    let r = app
        .post_json("/api/v1/jobs", &json!({"beams": beams(1)}), Some(&token))
        .await;
    let body = error_body(r, 503, "queue_full").await;
    assert!(body["detail"].as_str().unwrap().contains("waiting"));
    app.delete_with(&format!("/api/v1/jobs/{busy}"), &token)
        .await;
}

/// Results are streamed a page at a time: many concurrent readers of a large job do not each hold
/// the whole result in memory (once ≈ 50 MB a reader for 10 000 beams).
#[tokio::test]
async fn results_of_a_large_job_stream_with_bounded_memory() {
    let app = TestApp::builder()
        .env("BEAMLINE_BODY_LIMIT_BYTES", "16777216")
        .spawn();
    let token = designer();
    let job_id = create_job(&app, &json!({"beams": beams(10_000)}), &token).await;
    for _ in 0..600 {
        if job_status(&app, &job_id, &token).await["status"] == "completed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let before = app.rss_kib();
    let readers = (0..20).map(|i| {
        let url = if i % 2 == 0 {
            format!("/api/v1/jobs/{job_id}/results")
        } else {
            format!("/api/v1/jobs/{job_id}/results?format=csv")
        };
        let (app, token) = (&app, token.clone());
        async move {
            let mut r = app.get_with(&url, &token).await;
            let mut total = 0usize;
            while let Some(chunk) = r.chunk().await.unwrap() {
                total += chunk.len();
                // Slow readers: the server must not buffer ahead of them.
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            total
        }
    });
    let mut peak = 0;
    let sizes = {
        let all = futures::future::join_all(readers);
        tokio::pin!(all);
        loop {
            tokio::select! {
                sizes = &mut all => break sizes,
                _ = tokio::time::sleep(Duration::from_millis(50)) => peak = peak.max(app.rss_kib()),
            }
        }
    };
    assert!(sizes.iter().all(|&n| n > 1_000_000), "{sizes:?}");
    let growth_mib = peak.saturating_sub(before) / 1024;
    assert!(
        growth_mib < 200,
        "20 readers grew the server by {growth_mib} MiB"
    );
    let body: Value = app
        .get_with(&format!("/api/v1/jobs/{job_id}/results"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["results"].as_array().unwrap().len(), 10_000);
}

/// A browser's EventSource can only GET: `GET /stream/batch-design?job_id=…` follows a job (with the
/// token in the query), and without a job id the 405 names the routes to use.
#[tokio::test]
async fn eventsource_follows_a_job_on_the_batch_route() {
    let app = TestApp::spawn();
    let token = designer();
    let job_id = create_job(&app, &json!({"beams": beams(20)}), &token).await;
    let r = app
        .client
        .get(app.url(&format!(
            "/stream/batch-design?job_id={job_id}&token={token}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "text/event-stream");
    let events = Sse::new(r).rest().await;
    check_sequence(&events, 20);
    let r = app
        .client
        .get(app.url(&format!("/stream/batch-design?token={token}")))
        .send()
        .await
        .unwrap();
    let body = error_body(r, 405, "method_not_allowed").await;
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("POST /stream/batch-design") && detail.contains("GET /stream/jobs/{id}"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_summary_stream_carries_what_a_table_shows_and_a_bad_detail_is_refused() {
    let app = TestApp::spawn();
    let token = designer();
    let mut body = beams(3);
    body[1]["width"] = json!(40);
    let job_id = create_job(&app, &json!({"beams": body}), &token).await;
    let get = |query: &'static str| {
        let url = app.url(&format!("/stream/jobs/{job_id}?token={token}&{query}"));
        app.client.get(url).send()
    };
    let full = Sse::new(get("detail=full").await.unwrap()).rest().await;
    let summary = Sse::new(get("detail=summary").await.unwrap()).rest().await;
    // The same events with the same ids; only design results are shorter.
    let names = |events: &[Event]| {
        events
            .iter()
            .map(|e| (e.id, e.event.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&full), names(&summary));
    for (whole, short) in full.iter().zip(&summary) {
        if whole.event != "design_result" {
            assert_eq!(whole.data, short.data);
            continue;
        }
        assert_eq!(short.data["index"], whole.data["index"]);
        assert_eq!(short.data["beam"], json!({"id": whole.data["beam"]["id"]}));
        for key in [
            "status",
            "utilization",
            "bars_provided",
            "stirrups",
            "failed_checks",
        ] {
            assert_eq!(
                short.data["result"][key], whole.data["result"][key],
                "{key}"
            );
        }
        assert!(short.data["result"].get("checks").is_none());
    }
    // The invalid beam's error event is whole in both.
    assert!(summary.iter().any(|e| e.event == "error"));
    // GET /stream/batch-design?job_id= takes it too; anything but full or summary is a 400.
    let url = app.url(&format!(
        "/stream/batch-design?job_id={job_id}&token={token}&detail=summary"
    ));
    let again = Sse::new(app.client.get(url).send().await.unwrap())
        .rest()
        .await;
    assert_eq!(names(&again), names(&summary));
    error_body(get("detail=everything").await.unwrap(), 400, "bad_request").await;
}

//! Clients written from the original real-time guide of this API keep working. Each test uses only
//! what that guide shows: the WebSocket message `{"action": "design", "beam": {…}}` answered by one
//! `{"type": "design_result", "session_id", "beam", "result", "timestamp"}`, and the batch events
//! `start`, `progress`, `design_result`, `error`, `complete` followed by an `EventSource`, which can
//! only GET.

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;

/// The guide's WebSocket client: connect (token in the query), send a design, read one reply.
#[tokio::test]
async fn a_guide_websocket_client_gets_design_result_as_its_first_message() {
    let app = TestApp::spawn();
    let url = format!(
        "{}/ws/design/session123?token={}",
        app.address.replacen("http://", "ws://", 1),
        designer()
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let beam =
        json!({"width": 300, "depth": 450, "length": 5000, "Mu": 150.0, "fck": 25, "fy": 500});
    ws.send(Message::text(
        json!({"action": "design", "beam": beam}).to_string(),
    ))
    .await
    .unwrap();
    let first = ws.next().await.unwrap().unwrap();
    let response: Value = serde_json::from_str(first.to_text().unwrap()).unwrap();
    assert_eq!(response["type"], "design_result", "{response}");
    assert_eq!(response["session_id"], "session123");
    assert_eq!(response["result"]["status"], "SUCCESS");
    assert!(response["result"]["bars_provided"]
        .as_str()
        .unwrap()
        .ends_with('φ'));
    assert!(response["result"]["Ast_required"].as_f64().unwrap() > 0.0);
    assert!(response["timestamp"].as_str().unwrap().ends_with('Z'));

    // A second guide client joining the same session later: it learns the session's state, then
    // sees the next design too.
    let url = format!(
        "{}/ws/design/session123?token={}",
        app.address.replacen("http://", "ws://", 1),
        designer()
    );
    let (mut late, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let state: Value =
        serde_json::from_str(late.next().await.unwrap().unwrap().to_text().unwrap()).unwrap();
    assert_eq!(state["type"], "session_state");
    assert_eq!(state["beam"]["Mu"], 150.0);
}

/// The guide's batch flow: POST the beams, then follow with an EventSource-style GET on
/// `/stream/batch-design?job_id=…`, reading `event:`/`data:` lines.
#[tokio::test]
async fn a_guide_event_source_follows_a_batch_with_get() {
    let app = TestApp::spawn();
    let token = designer();
    let beams = json!({"beams": [
        {"width": 300, "depth": 450, "Mu": 150},
        {"width": 30, "depth": 450, "Mu": 150}
    ]});
    let created: Value = app
        .post_json("/api/v1/jobs", &beams, Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let job_id = created["job_id"].as_str().unwrap();
    let response = app
        .client
        .get(app.url(&format!(
            "/stream/batch-design?job_id={job_id}&token={token}"
        )))
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let mut events = Vec::new();
    let mut name = String::new();
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("event:") {
            name = n.trim().to_owned();
        } else if let Some(d) = line.strip_prefix("data:") {
            let data: Value = serde_json::from_str(d.trim()).unwrap();
            events.push((name.clone(), data));
        }
    }
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
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
    assert_eq!(events[0].1["total_beams"], 2);
    assert!(events[1].1["beam"].is_object() && events[1].1["result"].is_object());
    assert_eq!(events[2].1["current"], 1);
    assert_eq!(events[3].1["beam_index"], 1);
    assert!(events[3].1["error"].is_object());
    assert_eq!(events[5].1["status"], "done");
    assert!(events[5].1["summary"].is_object());
    // Without a job id there is nothing to follow: the answer says which routes to use.
    let r = app
        .client
        .get(app.url(&format!("/stream/batch-design?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    let body: Value = r.json().await.unwrap();
    let detail = body["detail"]
        .as_str()
        .or(body["message"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(
        detail.contains("POST /stream/batch-design") && detail.contains("/stream/jobs/"),
        "{body}"
    );
}

//! Members over real sockets: the REST route (JSON and the CSV schedule), a shared WebSocket session
//! editing a member, and member rows in a batch job.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::sse::Sse;
use crate::ws::Ws;

/// Stations of a span under a uniform load `w` (kN/m) with end moments (kN·m).
fn stations(l: f64, w: f64, ml: f64, mr: f64) -> Value {
    Value::Array(
        (0..11)
            .map(|k| {
                let x = l * f64::from(k) / 10.0;
                let (xm, lm) = (x / 1e3, l / 1e3);
                let m = w * xm * (lm - xm) / 2.0 + ml * (1.0 - xm / lm) + mr * xm / lm;
                json!({"x": x, "M": m, "V": w * (lm / 2.0 - xm) + (mr - ml) / lm})
            })
            .collect(),
    )
}

pub fn member() -> Value {
    let s = -0.1 * 36.0;
    let gravity = |w: f64| {
        json!([
            stations(6000.0, w, 0.0, s * w),
            stations(6000.0, w, s * w, 0.0)
        ])
    };
    json!({
        "id": "B12",
        "section": {"width": 300, "depth": 500, "fck": 25, "fy": 500},
        "spans": [{"length": 6000, "support_width": 300}, {"length": 6000, "support_width": 300}],
        "cases": {"DL": gravity(20.0), "LL": gravity(10.0)}
    })
}

#[tokio::test]
async fn a_member_is_designed_over_http_with_its_schedule_as_csv() {
    let app = TestApp::spawn();
    let token = designer();
    let r = app
        .post_json("/api/v1/design/member", &member(), Some(&token))
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let result = &body["result"];
    assert_eq!(result["status"], "SUCCESS", "{}", result["failed_checks"]);
    assert_eq!(result["spans"].as_array().unwrap().len(), 2);
    assert_eq!(body["member"]["id"], "B12");
    let zone = &result["spans"][0]["zones"][2];
    assert_eq!(zone["zone"], "right_support");
    assert!(zone["top"].as_str().unwrap().contains("cont."), "{zone}");
    let weights: f64 = result["bbs"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["weight"].as_f64().unwrap())
        .sum();
    assert!((weights - result["bbs"]["total_weight"].as_f64().unwrap()).abs() < 0.01);

    let r = app
        .post_json(
            "/api/v1/design/member?format=csv",
            &json!({"member": member()}),
            Some(&token),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("B12-bbs.csv"));
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("member,mark,location,shape,dia_mm,count,cut_length_mm"));
    assert!(csv.lines().any(|l| l.starts_with("B12,S1,stirrups, span 1")
        || l.starts_with("B12,S1,\"stirrups, span 1\"")));
}

#[tokio::test]
async fn a_bad_member_gets_every_error_with_its_path_and_a_bad_format_is_named() {
    let app = TestApp::spawn();
    let token = designer();
    let mut m = member();
    m["cases"]["DL"][1][3]["x"] = json!(7000);
    m["spans"][0]["support_width"] = json!("wide");
    let r = app
        .post_json("/api/v1/design/member", &m, Some(&token))
        .await;
    let body = error_body(r, 422, "validation_error").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"spans[0].support_width"), "{fields:?}");
    let r = app
        .post_json("/api/v1/design/member?format=xml", &member(), Some(&token))
        .await;
    error_body(r, 400, "bad_request").await;
    let r = app
        .post_json("/api/v1/design/member", &member(), None)
        .await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn a_shared_session_edits_a_member_live() {
    let app = TestApp::spawn();
    let token = designer();
    let mut a = Ws::connect(&app, "member-room", Some(&token)).await;
    a.recv_type("session_state").await;
    let mut b = Ws::connect(&app, "member-room", Some(&token)).await;
    b.recv_type("session_state").await;
    a.send(&json!({"action": "design_member", "member": member(), "request_id": "m1"}))
        .await;
    for ws in [&mut a, &mut b] {
        let msg = ws.recv_type("member_result").await;
        assert_eq!(msg["request_id"], "m1");
        assert_eq!(msg["result"]["status"], "SUCCESS");
    }
    // An update merges into the member: a beam field changes its section.
    b.send(&json!({"action": "update", "changes": {"width": 350}, "request_id": "m2"}))
        .await;
    for ws in [&mut a, &mut b] {
        let msg = ws.recv_type("member_result").await;
        assert_eq!(msg["request_id"], "m2");
        assert_eq!(msg["member"]["section"]["width"], 350);
        assert_eq!(msg["member"]["spans"].as_array().unwrap().len(), 2);
    }
    // A late joiner gets the member, not a beam.
    let (_c, state) = Ws::join(&app, "member-room", &token).await;
    assert_eq!(state["member"]["section"]["width"], 350);
    assert!(state["beam"].is_null());
    assert_eq!(state["result"]["status"], "SUCCESS");
    // A bad update names the member's field.
    a.send(&json!({"action": "update", "changes": {"spans": [{"length": -1}]}}))
        .await;
    let err = a.recv_type("error").await;
    assert_eq!(err["code"], "validation_error");
    assert!(
        err["errors"].to_string().contains("spans[0].length"),
        "{err}"
    );
}

#[tokio::test]
async fn a_batch_job_designs_member_rows_beside_beams() {
    let app = TestApp::spawn();
    let token = designer();
    let body = json!({"beams": [member(), {"width": 300, "depth": 500, "Mu": 100}]});
    let r = app
        .post_json("/stream/batch-design", &body, Some(&token))
        .await;
    let events = Sse::new(r).rest().await;
    let results: Vec<_> = events
        .iter()
        .filter(|e| e.event == "design_result")
        .collect();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].data["kind"], "member");
    assert_eq!(
        results[0].data["result"]["spans"].as_array().unwrap().len(),
        2
    );
    assert!(results[1].data.get("kind").is_none());
    let complete = events.last().unwrap();
    assert_eq!(complete.data["summary"]["succeeded"], 2);
}

#[tokio::test]
async fn a_members_calculation_report_as_html_and_pdf() {
    let app = TestApp::spawn();
    let token = designer();
    let body = json!({"member": member(), "project": "Depot"});
    let r = app.post_json("/api/v1/report", &body, Some(&token)).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("B12-calculation.html"));
    let html = r.text().await.unwrap();
    assert!(html.contains("Bar bending schedule") && html.contains("Depot"));
    let r = app
        .post_json("/api/v1/report?format=pdf", &member(), Some(&token))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
    let r = app
        .post_json(
            "/api/v1/report",
            &json!({"member": member(), "colour": "red"}),
            Some(&token),
        )
        .await;
    let body = error_body(r, 422, "validation_error").await;
    assert_eq!(body["errors"][0]["field"], "colour");
}

#[test]
fn a_local_batch_designs_member_rows_beside_beams() {
    let dir = Scratch::new("member-batch");
    let file = dir.0.join("rows.json");
    let rows = json!([member(), {"id": "X", "width": 300, "depth": 500, "Mu": 80}]);
    std::fs::write(&file, rows.to_string()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_beamline"))
        .args(["batch", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = csv.lines().collect();
    // The member's row: its section, status and the governing check with its station.
    assert!(
        lines[1].starts_with("0,B12,SUCCESS,300,500,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("(span "), "{}", lines[1]);
    assert!(lines[2].starts_with("1,X,SUCCESS,"), "{}", lines[2]);
}

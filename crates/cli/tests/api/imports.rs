//! From the analysis model to drawings over real sockets: an ETABS export of a two-storey frame
//! imported, grouped, designed as a batch job and drawn; an imported member designed in a live
//! session; malformed tables answered with where each problem is.

use beamline_testkit::dxf_entities as entities;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::sse::Sse;
use crate::ws::Ws;

const EXAMPLE: &str = include_str!("../../../../docs/examples/etabs-two-storey.csv");

#[tokio::test]
async fn an_etabs_export_is_imported_grouped_designed_as_a_job_and_drawn() {
    let app = TestApp::spawn();
    let token = designer();
    let r = app
        .post_bytes(
            "/api/v1/import/etabs",
            "text/csv",
            EXAMPLE.into(),
            Some(&token),
        )
        .await;
    assert_eq!(r.status(), 200);
    let imported: Value = r.json().await.unwrap();
    let members = imported["members"].as_array().unwrap();
    // 14 beam objects on 10 beam lines, grouped into 6 typical beams.
    assert_eq!(members.len(), 6);
    let listed: usize = imported["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["members"].as_array().unwrap().len())
        .sum();
    assert_eq!(listed, 10);
    assert_eq!(members[0]["typical"], json!(["Story1/B3-B4"]));
    assert_eq!(imported["warnings"], json!([]));

    let r = app
        .post_bytes(
            "/api/v1/import/etabs?job=true",
            "text/csv",
            EXAMPLE.into(),
            Some(&token),
        )
        .await;
    assert_eq!(r.status(), 202);
    let job: Value = r.json().await.unwrap();
    assert_eq!(job["total_beams"], 6);
    assert_eq!(job["groups"], imported["groups"]);
    let events_url = job["events_url"].as_str().unwrap();
    let r = app.get_with(events_url, &token).await;
    let events = Sse::new(r).rest().await;
    let designed: Vec<&Value> = events
        .iter()
        .filter(|e| e.event == "design_result")
        .map(|e| &e.data)
        .collect();
    assert_eq!(designed.len(), 6);
    assert!(designed.iter().all(|d| d["kind"] == "member"));

    let job_id = job["job_id"].as_str().unwrap();
    let r = app
        .get_with(&format!("/api/v1/jobs/{job_id}/drawings.dxf"), &token)
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/dxf");
    let dxf = r.text().await.unwrap();
    let texts: Vec<String> = entities(&dxf)
        .into_iter()
        .filter(|e| e.0 == "TEXT")
        .map(|e| e.2)
        .collect();
    for d in &designed {
        let id = d["result"]["id"].as_str().unwrap();
        assert!(texts.iter().any(|t| t.starts_with(id)), "{id}");
        for bar in d["result"]["bars"].as_array().unwrap() {
            let label = format!(
                "{} {}",
                bar["mark"].as_str().unwrap(),
                bar["text"].as_str().unwrap().replace('φ', "%%c")
            );
            assert!(texts.contains(&label), "{id}: {label}");
        }
    }
    // The schedule lists every span of every member designed.
    let rows = texts
        .iter()
        .filter(|t| designed.iter().any(|d| d["result"]["id"] == t.as_str()))
        .count();
    let spans: usize = designed
        .iter()
        .map(|d| d["result"]["spans"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows, spans);
}

#[tokio::test]
async fn separate_files_in_a_multipart_form_and_a_member_into_a_live_session() {
    let app = TestApp::spawn();
    let token = designer();
    // The forces in one file, every other table in another, as ETABS exports them table by table.
    let cut = EXAMPLE.find("TABLE:  Beam Object Connectivity").unwrap();
    let (forces, rest) = EXAMPLE.split_at(cut);
    let form = reqwest::multipart::Form::new()
        .part(
            "connectivity",
            reqwest::multipart::Part::bytes(rest.as_bytes().to_vec()).file_name("model.csv"),
        )
        .part(
            "forces",
            reqwest::multipart::Part::bytes(forces.as_bytes().to_vec()).file_name("forces.csv"),
        );
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/import/etabs?group=false&combinations=is456"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let imported: Value = r.json().await.unwrap();
    let members = imported["members"].as_array().unwrap();
    assert_eq!(members.len(), 10);
    assert_eq!(members[0]["cases"]["EQX"]["type"], "earthquake");

    let mut ws = Ws::connect(&app, "frame-b1", Some(&token)).await;
    ws.recv_type("session_state").await;
    ws.send(&json!({"action": "design_member", "member": members[0], "request_id": "b1"}))
        .await;
    let msg = ws.recv_type("member_result").await;
    assert_eq!(msg["result"]["id"], "Story1/B1-B2");
    assert_eq!(msg["result"]["spans"].as_array().unwrap().len(), 2);
    // The IS 456 combinations of DL, LL and EQX, with the service DL + LL for the crack width.
    assert_eq!(msg["result"]["combinations"].as_array().unwrap().len(), 8);
}

#[tokio::test]
async fn malformed_tables_are_answered_with_file_line_and_column() {
    let app = TestApp::spawn();
    let token = designer();
    let post = |body: String| {
        app.post_bytes(
            "/api/v1/import/etabs",
            "text/csv",
            body.into_bytes(),
            Some(&token),
        )
    };

    let missing = EXAMPLE.replacen(",M3,", ",Moment,", 1);
    let body = error_body(post(missing).await, 422, "validation_error").await;
    assert_eq!(
        body["errors"],
        json!([{"field": "request body, line 2", "message": "the table \"Element Forces - Beams\" has no column `M3`"}])
    );

    let text = EXAMPLE.replacen("0,0.000,0,-33.000,", "0,0.000,0,abc,", 1);
    let body = error_body(post(text).await, 422, "validation_error").await;
    assert_eq!(
        body["errors"][0],
        json!({"field": "request body, line 4, column 13 (M3)", "message": "`abc` is not a number"})
    );

    let outside: Vec<String> = EXAMPLE
        .lines()
        .map(|l| {
            if l.starts_with("Story2,B6,") && l.contains(",5.0000,") {
                l.replacen(",5.0000,", ",5.2000,", 1)
            } else {
                l.to_owned()
            }
        })
        .collect();
    let body = error_body(post(outside.join("\n")).await, 422, "validation_error").await;
    let first = &body["errors"][0];
    assert!(
        first["field"]
            .as_str()
            .unwrap()
            .ends_with("column 7 (Station)"),
        "{first}"
    );
    assert_eq!(
        first["message"],
        "station 5.2 m is outside beam Story2/B6, which is 5 m long"
    );

    let r = app
        .post_bytes(
            "/api/v1/import/etabs",
            "application/json",
            b"{}".to_vec(),
            Some(&token),
        )
        .await;
    error_body(r, 415, "unsupported_media_type").await;
    let r = app
        .post_bytes(
            "/api/v1/import/sap2000",
            "text/csv",
            EXAMPLE.into(),
            Some(&token),
        )
        .await;
    error_body(r, 400, "bad_request").await;
    let r = app
        .post_bytes(
            "/api/v1/import/etabs?units=furlongs",
            "text/csv",
            EXAMPLE.into(),
            Some(&token),
        )
        .await;
    error_body(r, 400, "bad_request").await;
    let r = app
        .post_bytes(
            "/api/v1/import/etabs?width=300&depth=9000",
            "text/csv",
            EXAMPLE.into(),
            Some(&token),
        )
        .await;
    let body = error_body(r, 400, "bad_request").await;
    assert!(
        body.to_string()
            .contains("depth takes 100 to 6000 mm, got 9000"),
        "{body}"
    );
    let r = app
        .post_bytes("/api/v1/import/etabs", "text/csv", EXAMPLE.into(), None)
        .await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn drawings_of_a_beam_and_a_member_and_of_a_job_without_members() {
    let app = TestApp::spawn();
    let token = designer();
    let r = app
        .post_json(
            "/api/v1/drawing",
            &json!({"id": "B7", "width": 230, "depth": 450, "Mu": 90}),
            Some(&token),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("B7.dxf"));
    let dxf = r.text().await.unwrap();
    assert!(dxf.contains("AC1009") && dxf.ends_with("EOF\n"));
    let r = app
        .post_json(
            "/api/v1/drawing",
            &json!({"member": crate::members::member()}),
            Some(&token),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("B12.dxf"));
    let r = app
        .post_json("/api/v1/drawing", &json!({"width": -3}), Some(&token))
        .await;
    error_body(r, 422, "validation_error").await;

    let r = app
        .post_json("/api/v1/jobs", &json!({"beams": [beam()]}), Some(&token))
        .await;
    let job: Value = r.json().await.unwrap();
    let events = Sse::new(
        app.get_with(job["events_url"].as_str().unwrap(), &token)
            .await,
    )
    .rest()
    .await;
    assert_eq!(events.last().unwrap().event, "complete");
    let r = app
        .get_with(
            &format!(
                "/api/v1/jobs/{}/drawings.dxf",
                job["job_id"].as_str().unwrap()
            ),
            &token,
        )
        .await;
    let body = error_body(r, 404, "not_found").await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("no designed members"),
        "{body}"
    );
}

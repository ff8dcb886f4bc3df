//! Every error status of docs/http.md, with its exact body.

use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn malformed_json_is_400() {
    let app = TestApp::spawn();
    let r = app
        .client
        .post(app.url("/api/v1/design/beam"))
        .bearer_auth(designer())
        .header("content-type", "application/json")
        .body("{\"width\": 300,")
        .send()
        .await
        .unwrap();
    let body = error_body(r, 400, "malformed_json").await;
    assert!(body["detail"].as_str().unwrap().contains("not valid JSON"));
}

/// A key given twice is refused, not resolved in favour of one of its values: on the REST routes
/// (at any depth, as in a batch) and in a WebSocket message.
#[tokio::test]
async fn duplicate_keys_are_a_validation_error() {
    let app = TestApp::spawn();
    for (path, body) in [
        (
            "/api/v1/design/beam",
            r#"{"width": 300, "depth": 500, "Mu": 100, "Mu": 9000}"#,
        ),
        (
            "/api/v1/jobs",
            r#"{"beams": [{"width": 300, "width": 3000, "depth": 500, "Mu": 1}]}"#,
        ),
    ] {
        let r = app
            .client
            .post(app.url(path))
            .bearer_auth(designer())
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let body = error_body(r, 422, "validation_error").await;
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("given twice"),
            "{body}"
        );
    }
    let (mut ws, _) = crate::ws::Ws::join(&app, "dup", &designer()).await;
    ws.send_raw(tokio_tungstenite::tungstenite::Message::text(
        r#"{"action": "design", "beam": {"width": 300, "depth": 500, "Mu": 1, "Mu": 2}}"#,
    ))
    .await;
    let m = ws.recv_type("error").await;
    assert!(
        m["message"].as_str().unwrap().contains("given twice"),
        "{m}"
    );
}

/// A body with thousands of bad keys gets an answer of bounded size: at most 100 field errors, the
/// last saying how many more there were.
#[tokio::test]
async fn the_list_of_field_errors_is_capped() {
    let app = TestApp::spawn();
    let mut beam = serde_json::Map::new();
    for i in 0..5000 {
        beam.insert(format!("k{i}"), json!(1));
    }
    let r = app.design(&Value::Object(beam), &designer()).await;
    let body = error_body(r, 422, "validation_error").await;
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 100);
    assert!(
        errors[99]["message"]
            .as_str()
            .unwrap()
            .contains("more problems"),
        "{}",
        errors[99]
    );
    assert!(body["detail"].as_str().unwrap().contains("problems"));
}

#[tokio::test]
async fn wrong_content_type_is_415() {
    let app = TestApp::spawn();
    let r = app
        .client
        .post(app.url("/api/v1/design/beam"))
        .bearer_auth(designer())
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    error_body(r, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn validation_errors_are_422_with_every_field() {
    let app = TestApp::spawn();
    let r = app
        .design(
            &json!({"width": 50, "depth": "deep", "mu": 100}),
            &designer(),
        )
        .await;
    let body = error_body(r, 422, "validation_error").await;
    let errors = body["errors"].as_array().unwrap();
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"width")
            && fields.contains(&"depth")
            && fields.contains(&"mu")
            && fields.contains(&"Mu"),
        "{fields:?}"
    );
    assert!(errors.contains(
        &json!({"field": "width", "message": "must be between 100 and 3000 mm, got 50"})
    ));
    assert!(errors
        .contains(&json!({"field": "mu", "message": "unknown field `mu`; did you mean `Mu`?"})));
    // Not an object at all.
    let r = app.design(&json!([1, 2, 3]), &designer()).await;
    error_body(r, 422, "validation_error").await;
    // A check body with the wrong keys names them.
    let r = app
        .post_json(
            "/api/v1/check/beam",
            &json!({"beam": {}, "case": []}),
            Some(&designer()),
        )
        .await;
    let body = error_body(r, 422, "validation_error").await;
    assert!(body["errors"].to_string().contains("case"));
}

#[tokio::test]
async fn unknown_route_is_404_and_wrong_method_is_405() {
    let app = TestApp::spawn();
    error_body(app.get("/api/v1/nothing").await, 404, "not_found").await;
    let r = app.client.delete(app.url("/health")).send().await.unwrap();
    error_body(r, 405, "method_not_allowed").await;
    let r = app.get("/api/v1/design/beam").await;
    error_body(r, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn body_over_the_limit_is_413() {
    let app = TestApp::builder()
        .env("BEAMLINE_BODY_LIMIT_BYTES", "2048")
        .spawn();
    let big = json!({"width": 300, "depth": 450, "Mu": 150, "id": "x".repeat(4000)});
    let r = app.design(&big, &designer()).await;
    let body = error_body(r, 413, "payload_too_large").await;
    assert!(body["detail"].as_str().unwrap().contains("2048"));
    // The server goes on serving.
    assert_eq!(app.design(&beam(), &designer()).await.status(), 200);
}

#[tokio::test]
async fn missing_token_is_401_with_www_authenticate() {
    let app = TestApp::spawn();
    let r = app.post_json("/api/v1/design/beam", &beam(), None).await;
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    let body = error_body(r, 401, "unauthorized").await;
    assert_eq!(body["detail"], "Not authenticated: no token was sent");
    // Expired and invalid tokens are told apart from a missing one, and from each other.
    let expired = sign(&serde_json::json!({"sub": "old", "exp": 1_000_000, "scope": "design"}));
    let r = app
        .post_json("/api/v1/design/beam", &beam(), Some(&expired))
        .await;
    let body = error_body(r, 401, "unauthorized").await;
    assert_eq!(body["detail"], "Not authenticated: the token has expired");
    let r = app
        .post_json("/api/v1/design/beam", &beam(), Some("not.a.token"))
        .await;
    let body = error_body(r, 401, "unauthorized").await;
    assert_eq!(body["detail"], "Not authenticated: the token is not valid");
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let app = TestApp::spawn();
    let r = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "trace-42");
    let r = app
        .client
        .post(app.url("/api/v1/design/beam"))
        .header("x-request-id", "trace-43")
        .json(&beam())
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["request_id"], "trace-43");
    let a = app.get("/health").await.headers()["x-request-id"].clone();
    let b = app.get("/health").await.headers()["x-request-id"].clone();
    assert_ne!(a, b);
}

//! Every route's happy path.

use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn health_ready_and_metrics() {
    let app = TestApp::spawn();
    let r = app.get("/health").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().contains_key("x-request-id"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );

    let r = app.get("/ready").await;
    assert_eq!(r.status(), 200);

    app.design(&beam(), &designer()).await;
    let r = app.get("/metrics").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = r.text().await.unwrap();
    assert!(text.contains(r#"beamline_http_requests_total{method="POST",route="/api/v1/design/beam",status="200"} 1"#), "{text}");
    assert!(text.contains("beamline_http_request_duration_seconds_bucket"));
    assert!(text.contains("beamline_designs_total 1"));
}

#[tokio::test]
async fn design_returns_the_normalized_beam_and_the_result() {
    let app = TestApp::spawn();
    let r = app
        .design(
            &json!({"b": 300, "D": 450, "moment": 150, "shear": 100, "span_mm": 5000}),
            &designer(),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["beam"]["width"], 300.0);
    assert_eq!(body["beam"]["Mu"], 150.0);
    assert_eq!(body["beam"]["fck"], 25.0);
    assert_eq!(body["beam"]["length"], 5000.0);
    assert!(body["beam"].get("b").is_none());
    let result = &body["result"];
    assert_eq!(result["status"], "SUCCESS");
    for key in [
        "Ast_required",
        "Ast_provided",
        "bars_provided",
        "stirrups",
        "utilization",
        "governing_check",
        "failed_checks",
        "warnings",
        "flexure",
        "shear",
        "detailing",
        "serviceability",
        "provenance",
    ] {
        assert!(result.get(key).is_some(), "missing {key}");
    }
    assert_eq!(result["provenance"]["code"], "IS 456:2000");

    // The same beam wrapped as {"beam": …} gives the same answer, byte for byte.
    let again: Value = app
        .design(
            &json!({"beam": {"width": 300, "depth": 450, "Mu": 150, "Vu": 100, "length": 5000}}),
            &designer(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["result"], body["result"]);
}

#[tokio::test]
async fn a_failing_design_is_still_a_200_with_what_to_change() {
    let app = TestApp::spawn();
    let body: Value = app
        .design(
            &json!({"width": 230, "depth": 400, "Mu": 50, "Vu": 300}),
            &designer(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["result"]["status"], "FAIL");
    let message = body["result"]["failed_checks"][0]["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("depth to at least"), "{message}");
}

#[tokio::test]
async fn check_runs_every_case_and_names_the_governing_one() {
    let app = TestApp::spawn();
    let token = token("bob", &["analyze"]);
    let r = app
        .post_json(
            "/api/v1/check/beam",
            &json!({"beam": {"width": 300, "depth": 500}, "cases": [
                {"id": "dead", "Mu": 80, "Vu": 60}, {"id": "ultimate", "Mu": 190, "Vu": 140}, {"id": "wind", "moment": 120, "torsion": 8}
            ]}),
            Some(&token),
        )
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["governing_case"], "ultimate");
    assert_eq!(body["cases"].as_array().unwrap().len(), 3);
    assert_eq!(body["cases"][2]["Tu"], 8.0);
    assert!(body["cases"][0]["result"]["flexure"].is_object());
}

#[tokio::test]
async fn docs_page_and_every_asset_it_references_come_from_the_server() {
    let app = TestApp::spawn();
    let r = app.get("/openapi.json").await;
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/design/beam"]["post"].is_object());
    assert!(doc["components"]["schemas"]["DesignResult"].is_object());

    let page = app.get("/docs/").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let mut assets = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for piece in html.split(attr).skip(1) {
            let url = piece.split('"').next().unwrap();
            assert!(
                !url.starts_with("http://")
                    && !url.starts_with("https://")
                    && !url.starts_with("//"),
                "the docs page loads {url} from elsewhere"
            );
            assets.push(url.to_owned());
        }
    }
    assert!(assets.iter().any(|a| a.ends_with(".js")), "{assets:?}");
    assert!(assets.iter().any(|a| a.ends_with(".css")), "{assets:?}");
    for asset in &assets {
        let path = if asset.starts_with('/') {
            asset.clone()
        } else {
            format!("/docs/{}", asset.trim_start_matches("./"))
        };
        let r = app.get(&path).await;
        assert_eq!(r.status(), 200, "{path}");
        let text = r.text().await.unwrap();
        assert!(!text.is_empty(), "{path}");
        // The initializer points the UI at this server's own document.
        if path.ends_with("swagger-initializer.js") {
            assert!(text.contains("/openapi.json"), "{text}");
        }
    }
    assert!(app.get("/").await.text().await.unwrap().contains("/docs/"));
}

#[tokio::test]
async fn password_grant_with_a_users_file() {
    let scratch = Scratch::new("users");
    let users = scratch.0.join("users.toml");
    let mut add = std::process::Command::new(env!("CARGO_BIN_EXE_beamline"))
        .args(["user", "add", "carol", "--scopes", "design"])
        .env("BEAMLINE_USERS_FILE", &users)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    add.stdin
        .take()
        .unwrap()
        .write_all(b"s3cret-passw0rd\n")
        .unwrap();
    assert!(add.wait().unwrap().success());
    assert!(std::fs::read_to_string(&users)
        .unwrap()
        .contains("$argon2id$"));

    let app = TestApp::builder()
        .env("BEAMLINE_USERS_FILE", users.to_str().unwrap())
        .spawn();
    let form = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=password&username=carol&password=s3cret-passw0rd")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let body: Value = form.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 3600);
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(app.design(&beam(), access).await.status(), 200);
    // Scope `design` only: the check route is forbidden.
    let r = app
        .post_json(
            "/api/v1/check/beam",
            &json!({"beam": {"width": 300, "depth": 500}, "cases": [{"Mu": 1}]}),
            Some(access),
        )
        .await;
    error_body(r, 403, "insufficient_scope").await;

    let r = app
        .post_json(
            "/api/v1/auth/token",
            &json!({"username": "carol", "password": "s3cret-passw0rd"}),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .post_json(
            "/api/v1/auth/token",
            &json!({"username": "carol", "password": "wrong"}),
            None,
        )
        .await;
    error_body(r, 401, "invalid_credentials").await;
    let r = app
        .post_json(
            "/api/v1/auth/token",
            &json!({"username": "mallory", "password": "s3cret-passw0rd"}),
            None,
        )
        .await;
    error_body(r, 401, "invalid_credentials").await;
    let r = app
        .post_json("/api/v1/auth/token", &json!({"username": "carol"}), None)
        .await;
    error_body(r, 400, "bad_request").await;
}

#[tokio::test]
async fn token_command_mints_tokens_the_server_accepts() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_beamline"))
        .args([
            "token", "--sub", "dave", "--scopes", "design", "--ttl", "10m",
        ])
        .env("BEAMLINE_JWT_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let app = TestApp::spawn();
    assert_eq!(app.design(&beam(), &token).await.status(), 200);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_beamline"))
        .args(["token", "--sub", "dave"])
        .env_remove("BEAMLINE_JWT_SECRET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("BEAMLINE_JWT_SECRET"));
}

/// `POST /api/v1/report`: HTML by default, PDF by `Accept` (or `?format=pdf`), the same field errors
/// as the design route, and the design scope.
#[tokio::test]
async fn report_route_gives_html_or_pdf() {
    let app = TestApp::spawn();
    let token = designer();
    let body =
        json!({"beam": {"id": "R1", "width": 300, "depth": 500, "Mu": 150}, "project": "Depot"});
    let r = app.post_json("/api/v1/report", &body, Some(&token)).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = r.text().await.unwrap();
    assert!(html.contains("Depot") && html.contains("IS 456 Cl 38.1"));
    let r = app
        .client
        .post(app.url("/api/v1/report"))
        .bearer_auth(&token)
        .header("accept", "application/pdf")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("R1-calculation.pdf"));
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
    let bad = app
        .post_json(
            "/api/v1/report?format=pdf",
            &json!({"width": 50, "depth": 500, "Mu": 1}),
            Some(&token),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let errors: Value = bad.json().await.unwrap();
    assert_eq!(errors["errors"][0]["field"], "width");
    let unauthenticated = app.post_json("/api/v1/report", &body, None).await;
    assert_eq!(unauthenticated.status(), 401);
}

//! Authentication: every way a token can be wrong, and the scopes.

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;

use crate::helpers::*;

async fn rejected(app: &TestApp, token: &str) {
    let r = app.design(&beam(), token).await;
    assert_eq!(
        r.headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap().to_owned()),
        Some("Bearer error=\"invalid_token\"".to_owned())
    );
    error_body(r, 401, "unauthorized").await;
}

fn b64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[tokio::test]
async fn hs256_tokens_wrong_in_every_way_are_401() {
    let app = TestApp::spawn();
    let claims = json!({"sub": "eve", "exp": now() + 600, "scopes": ["design"]});
    // alg: none
    let none = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(claims.to_string().as_bytes())
    );
    rejected(&app, &none).await;
    // Wrong signature.
    let other = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(b"another-secret-another-secret-123"),
    )
    .unwrap();
    rejected(&app, &other).await;
    // Expired beyond the leeway; not yet valid; no sub; no exp.
    rejected(
        &app,
        &sign(&json!({"sub": "eve", "exp": now() - 120, "scopes": ["design"]})),
    )
    .await;
    rejected(
        &app,
        &sign(&json!({"sub": "eve", "exp": now() + 600, "nbf": now() + 300, "scopes": ["design"]})),
    )
    .await;
    rejected(
        &app,
        &sign(&json!({"exp": now() + 600, "scopes": ["design"]})),
    )
    .await;
    rejected(&app, &sign(&json!({"sub": "eve", "scopes": ["design"]}))).await;
    // Garbage and an empty bearer.
    rejected(&app, "not.a.token").await;
    let r = app
        .client
        .post(app.url("/api/v1/design/beam"))
        .header("authorization", "Bearer ")
        .json(&beam())
        .send()
        .await
        .unwrap();
    error_body(r, 401, "unauthorized").await;
    // Within the leeway (default 30 s) an expired token still works.
    let fresh = sign(&json!({"sub": "eve", "exp": now() - 5, "scopes": ["design"]}));
    assert_eq!(app.design(&beam(), &fresh).await.status(), 200);
    // Fractional NumericDates are read (expiry rounded down, start rounded up), not refused; a
    // fractional exp in the past is still expired, and a negative or textual one is no date at all.
    let fractional = sign(
        &json!({"sub": "eve", "exp": now() as f64 + 600.75, "nbf": now() as f64 - 10.5, "scopes": ["design"]}),
    );
    assert_eq!(app.design(&beam(), &fractional).await.status(), 200);
    rejected(
        &app,
        &sign(&json!({"sub": "eve", "exp": now() as f64 - 120.5, "scopes": ["design"]})),
    )
    .await;
    rejected(
        &app,
        &sign(&json!({"sub": "eve", "exp": "tomorrow", "scopes": ["design"]})),
    )
    .await;
    rejected(
        &app,
        &sign(&json!({"sub": "eve", "exp": -1, "scopes": ["design"]})),
    )
    .await;
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive_and_scopes_may_be_a_string() {
    let app = TestApp::spawn();
    let token = sign(&json!({"sub": "eve", "exp": now() + 600, "scopes": "design analyze"}));
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let r = app
            .client
            .post(app.url("/api/v1/design/beam"))
            .header("authorization", format!("{scheme} {token}"))
            .json(&beam())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{scheme}");
    }
    let r = app
        .client
        .post(app.url("/api/v1/design/beam"))
        .header("authorization", format!("Basic {token}"))
        .json(&beam())
        .send()
        .await
        .unwrap();
    error_body(r, 401, "unauthorized").await;
}

#[tokio::test]
async fn missing_scope_is_403_naming_it() {
    let app = TestApp::spawn();
    let r = app.design(&beam(), &token("frank", &["analyze"])).await;
    let body = error_body(r, 403, "insufficient_scope").await;
    assert!(body["detail"].as_str().unwrap().contains("design"));
    // `scope` as a space-separated string works too.
    let t = sign(&json!({"sub": "frank", "exp": now() + 600, "scope": "analyze design"}));
    assert_eq!(app.design(&beam(), &t).await.status(), 200);
}

#[tokio::test]
async fn issuer_and_audience_are_checked_when_configured() {
    let app = TestApp::builder()
        .env("BEAMLINE_JWT_ISSUER", "https://idp.example")
        .env("BEAMLINE_JWT_AUDIENCE", "beamline")
        .spawn();
    let good = sign(
        &json!({"sub": "g", "exp": now() + 600, "scopes": ["design"], "iss": "https://idp.example", "aud": "beamline"}),
    );
    assert_eq!(app.design(&beam(), &good).await.status(), 200);
    rejected(&app, &sign(&json!({"sub": "g", "exp": now() + 600, "scopes": ["design"], "iss": "https://evil.example", "aud": "beamline"}))).await;
    rejected(&app, &sign(&json!({"sub": "g", "exp": now() + 600, "scopes": ["design"], "iss": "https://idp.example", "aud": "other"}))).await;
    rejected(
        &app,
        &sign(&json!({"sub": "g", "exp": now() + 600, "scopes": ["design"]})),
    )
    .await;
}

#[tokio::test]
async fn rs256_from_an_identity_provider_and_no_algorithm_confusion() {
    let public = data_file("rsa-public.pem");
    let app = TestApp::builder()
        .without_secret()
        .env("BEAMLINE_JWT_ALGORITHM", "RS256")
        .env("BEAMLINE_JWT_PUBLIC_KEY_FILE", public.to_str().unwrap())
        .spawn();
    let claims = json!({"sub": "idp-user", "exp": now() + 600, "scopes": ["design"]});
    let private = std::fs::read(data_file("rsa-private.pem")).unwrap();
    let good = encode(
        &Header::new(Algorithm::RS256),
        &claims,
        &EncodingKey::from_rsa_pem(&private).unwrap(),
    )
    .unwrap();
    assert_eq!(app.design(&beam(), &good).await.status(), 200);
    // HS256 signed with the public key as the secret: refused, only RS256 is accepted.
    let public_pem = std::fs::read(&public).unwrap();
    let confused = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&public_pem),
    )
    .unwrap();
    rejected(&app, &confused).await;
    rejected(&app, &token("x", &["design"])).await;
    // No secret: the token endpoint issues nothing.
    let r = app
        .post_json(
            "/api/v1/auth/token",
            &json!({"username": "a", "password": "b"}),
            None,
        )
        .await;
    error_body(r, 400, "bad_request").await;
}

#[tokio::test]
async fn es256_from_an_identity_provider() {
    let app = TestApp::builder()
        .without_secret()
        .env("BEAMLINE_JWT_ALGORITHM", "ES256")
        .env(
            "BEAMLINE_JWT_PUBLIC_KEY_FILE",
            data_file("ec-public.pem").to_str().unwrap(),
        )
        .spawn();
    let private = std::fs::read(data_file("ec-private.pem")).unwrap();
    let claims = json!({"sub": "idp-user", "exp": now() + 600, "scopes": ["design"]});
    let good = encode(
        &Header::new(Algorithm::ES256),
        &claims,
        &EncodingKey::from_ec_pem(&private).unwrap(),
    )
    .unwrap();
    assert_eq!(app.design(&beam(), &good).await.status(), 200);
    rejected(&app, &token("x", &["design"])).await;
}

#[tokio::test]
async fn tokens_never_appear_in_the_logs() {
    let app = TestApp::builder()
        .env("BEAMLINE_LOG_FORMAT", "json")
        .spawn();
    let secret_token = designer();
    assert_eq!(app.design(&beam(), &secret_token).await.status(), 200);
    // In a query string too (the form browsers use for streams and sockets).
    let _ = app
        .get(&format!(
            "/stream/jobs/none?token={secret_token}&last_event_id=3"
        ))
        .await;
    let _ = app.get(&format!("/health?token={secret_token}")).await;
    let bad = format!("{secret_token}x");
    let _ = app.design(&beam(), &bad).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let logs = app.output();
    assert!(
        logs.contains("\"request_id\""),
        "JSON logs expected:\n{logs}"
    );
    assert!(logs.contains("REDACTED"), "{logs}");
    let signature = secret_token.rsplit('.').next().unwrap();
    assert!(
        !logs.contains(signature),
        "a token leaked into the logs:\n{logs}"
    );
}

#[tokio::test]
async fn no_auth_mode_lets_everyone_in() {
    let app = TestApp::builder().arg("--no-auth").spawn();
    let r = app.post_json("/api/v1/design/beam", &beam(), None).await;
    assert_eq!(r.status(), 200);
    let r = app
        .post_json(
            "/api/v1/check/beam",
            &json!({"beam": {"width": 300, "depth": 500}, "cases": [{"Mu": 100}]}),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn development_mode_prints_a_working_token_and_the_page_url() {
    let app = TestApp::builder().without_secret().spawn();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let out = app.output();
    let line = out
        .lines()
        .find(|l| l.starts_with("Live design page: "))
        .expect(&out);
    let url = line.trim_start_matches("Live design page: ");
    assert!(url.starts_with(&app.address));
    // The token rides in the fragment, which a browser never sends to the server.
    let token = url.split("/#token=").nth(1).unwrap();
    assert_eq!(app.design(&beam(), token).await.status(), 200);
    assert!(out.contains("WARN"), "{out}");
}

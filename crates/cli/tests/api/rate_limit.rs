//! Rate limiting: exact under concurrency, honest headers, exemptions.

use std::time::Duration;

use futures::future::join_all;

use crate::helpers::*;

#[tokio::test]
async fn concurrent_requests_admit_exactly_the_limit() {
    let app = TestApp::builder().with_rate_limit(7, 60).spawn();
    let (token, body) = (designer(), beam());
    let requests = (0..40).map(|_| app.design(&body, &token));
    let responses = join_all(requests).await;
    let ok = responses.iter().filter(|r| r.status() == 200).count();
    let limited = responses.iter().filter(|r| r.status() == 429).count();
    assert_eq!((ok, limited), (7, 33));
    let r = responses.into_iter().find(|r| r.status() == 429).unwrap();
    let retry_after: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let reset: u64 = r.headers()["x-ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    // Reset is when the next request is allowed; Retry-After is the same instant as a delay.
    assert!(
        reset.abs_diff(now() + retry_after) <= 1,
        "reset {reset}, retry-after {retry_after}, now {}",
        now()
    );
    assert_eq!(r.headers()["x-ratelimit-remaining"], "0");
    let body = error_body(r, 429, "rate_limited").await;
    assert_eq!(body["detail"], "Rate limit exceeded. Please slow down.");
}

#[tokio::test]
async fn headers_count_down_and_exempt_routes_never_count() {
    let app = TestApp::builder().with_rate_limit(5, 60).spawn();
    for _ in 0..20 {
        for path in ["/health", "/ready", "/metrics", "/openapi.json", "/"] {
            let r = app.get(path).await;
            assert_eq!(r.status(), 200, "{path}");
            assert!(
                r.headers().get("x-ratelimit-limit").is_none(),
                "{path} is exempt"
            );
        }
    }
    let token = designer();
    for expected in [4, 3, 2, 1, 0] {
        let r = app.design(&beam(), &token).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["x-ratelimit-limit"], "5");
        assert_eq!(r.headers()["x-ratelimit-window"], "60");
        assert_eq!(
            r.headers()["x-ratelimit-remaining"],
            expected.to_string().as_str()
        );
        assert!(r.headers().contains_key("x-ratelimit-reset"));
    }
    assert_eq!(app.design(&beam(), &token).await.status(), 429);
}

#[tokio::test]
async fn clients_are_keyed_by_sub_else_by_address() {
    let app = TestApp::builder().with_rate_limit(2, 60).spawn();
    let (a, b) = (token("a", &["design"]), token("b", &["design"]));
    for _ in 0..2 {
        assert_eq!(app.design(&beam(), &a).await.status(), 200);
    }
    assert_eq!(app.design(&beam(), &a).await.status(), 429);
    assert_eq!(app.design(&beam(), &b).await.status(), 200);
    // Anonymous callers share their address's budget, and count even when refused for auth.
    assert_eq!(
        app.post_json("/api/v1/design/beam", &beam(), None)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.post_json("/api/v1/design/beam", &beam(), None)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.post_json("/api/v1/design/beam", &beam(), None)
            .await
            .status(),
        429
    );
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_trusted() {
    let app = TestApp::builder().with_rate_limit(1, 60).spawn();
    let send = |ip: &'static str| {
        app.client
            .post(app.url("/api/v1/design/beam"))
            .header("x-forwarded-for", ip)
            .json(&beam())
            .send()
    };
    assert_eq!(send("198.51.100.1").await.unwrap().status(), 401);
    assert_eq!(send("198.51.100.2").await.unwrap().status(), 429);

    let trusted = TestApp::builder()
        .with_rate_limit(1, 60)
        .arg("--trust-proxy")
        .spawn();
    for ip in ["198.51.100.1", "198.51.100.2"] {
        let r = trusted
            .client
            .post(trusted.url("/api/v1/design/beam"))
            .header("x-forwarded-for", ip)
            .json(&beam())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{ip} has its own budget");
    }
    // A client that writes its own X-Forwarded-For entry gets no new budget: the proxy appends the
    // address it saw, and that rightmost untrusted address is the one that counts.
    let spoofing = TestApp::builder()
        .with_rate_limit(1, 60)
        .arg("--trust-proxy")
        .env("BEAMLINE_TRUSTED_PROXIES", "127.0.0.0/8, 10.0.0.0/8")
        .spawn();
    for forged in ["1.1.1.1", "2.2.2.2"] {
        let r = spoofing
            .client
            .post(spoofing.url("/api/v1/design/beam"))
            .header(
                "x-forwarded-for",
                format!("{forged}, 203.0.113.7, 10.0.0.2"),
            )
            .json(&beam())
            .send()
            .await
            .unwrap();
        let expected = if forged == "1.1.1.1" { 401 } else { 429 };
        assert_eq!(r.status(), expected, "forged {forged}");
    }
    // A list of proxies that cannot be read stops the server at start-up.
    assert!(TestApp::builder()
        .env("BEAMLINE_TRUSTED_PROXIES", "10.0.0.0/99")
        .try_spawn()
        .is_err());
}

#[tokio::test]
async fn the_window_slides() {
    let app = TestApp::builder().with_rate_limit(2, 1).spawn();
    let token = designer();
    assert_eq!(app.design(&beam(), &token).await.status(), 200);
    assert_eq!(app.design(&beam(), &token).await.status(), 200);
    assert_eq!(app.design(&beam(), &token).await.status(), 429);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(app.design(&beam(), &token).await.status(), 200);
}

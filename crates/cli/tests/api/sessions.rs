//! Live design sessions over real WebSockets.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;
use crate::ws::{url, Ws};

/// Waits for the presence message of `event` with `members` (the order in which members' own
/// `joined` messages arrive is not fixed when they join at the same time).
async fn presence(ws: &mut Ws, event: &str, members: u64) {
    loop {
        let m = ws.recv_type("presence").await;
        if m["event"] == event && m["members"] == members {
            return;
        }
    }
}

fn design(request_id: &str) -> Value {
    json!({"action": "design", "request_id": request_id, "beam": {"width": 300, "depth": 500, "Mu": 150, "Vu": 100}})
}

#[tokio::test]
async fn members_see_each_others_designs_and_updates_and_late_joiners_catch_up() {
    let app = TestApp::spawn();
    let token = designer();
    let (mut a, state) = Ws::join(&app, "team-1", &token).await;
    assert_eq!(state["members"], 1);
    assert!(state["beam"].is_null() && state["result"].is_null());
    assert!(state["timestamp"].as_str().unwrap().ends_with('Z'));

    let (mut b, state) = Ws::join(&app, "team-1", &token).await;
    assert_eq!(state["members"], 2);
    // B's arrival is news to A (A's own arrival was never sent back to A).
    let joined = a.recv().await;
    assert_eq!(joined["type"], "presence");
    assert_eq!(joined["event"], "joined");
    assert_eq!(joined["members"], 2);
    assert!(joined["member"].as_str().is_some_and(|m| m.len() == 16));

    a.send(&design("r1")).await;
    for ws in [&mut a, &mut b] {
        let m = ws.recv_type("design_result").await;
        assert_eq!(m["request_id"], "r1");
        assert_eq!(m["session_id"], "team-1");
        assert_eq!(m["beam"]["Mu"], 150.0);
        assert_eq!(m["result"]["status"], "SUCCESS");
        assert!(m["latency_ms"].as_f64().unwrap() >= 0.0);
    }

    b.send(&json!({"action": "update", "changes": {"moment": 180}, "request_id": 7}))
        .await;
    for ws in [&mut a, &mut b] {
        let m = ws.recv_type("design_result").await;
        assert_eq!(m["request_id"], 7);
        assert_eq!(m["beam"]["Mu"], 180.0);
        assert_eq!(m["beam"]["Vu"], 100.0);
    }

    // A third member joins late and is brought up to date at once.
    let (c, state) = Ws::join(&app, "team-1", &token).await;
    assert_eq!(state["members"], 3);
    assert_eq!(state["beam"]["Mu"], 180.0);
    assert_eq!(state["result"]["status"], "SUCCESS");
    drop(c);
    let left = a.recv_type("presence").await;
    let left = if left["event"] == "joined" {
        a.recv_type("presence").await
    } else {
        left
    };
    assert_eq!(left["event"], "left");
    assert_eq!(left["members"], 2);

    // Other sessions see nothing of this one.
    let (_d, state) = Ws::join(&app, "team-2", &token).await;
    assert!(state["beam"].is_null());
}

#[tokio::test]
async fn the_earlier_dialect_works_and_checks_go_to_the_sender_only() {
    let app = TestApp::spawn();
    let token = designer();
    let (mut a, _) = Ws::join(&app, "dialect", &token).await;
    let (mut b, _) = Ws::join(&app, "dialect", &token).await;

    a.send(&json!({"type": "design_beam", "params": {"b": 300, "D": 500, "moment": 120}}))
        .await;
    let m = b.recv_type("design_result").await;
    assert_eq!(m["beam"]["Mu"], 120.0);
    assert!(m["request_id"].is_null());

    a.send(&json!({"type": "check_beam", "params": {"beam": {"width": 300, "depth": 500}, "cases": [{"id": "c1", "Mu": 100}, {"id": "c2", "Mu": 200}]}})).await;
    let m = a.recv_type("check_result").await;
    assert_eq!(m["governing_case"], "c2");
    assert_eq!(m["cases"].as_array().unwrap().len(), 2);
    a.send(&json!({"action": "check", "beam": {"width": 300, "depth": 500}, "cases": [{"Mu": 50}], "request_id": "k"})).await;
    assert_eq!(a.recv_type("check_result").await["request_id"], "k");

    a.send(&json!({"type": "ping"})).await;
    assert_eq!(a.recv_type("pong").await["type"], "pong");
    // b saw neither check: its next message after the design is the answer to its own ping.
    b.send(&json!({"action": "ping", "request_id": "p"})).await;
    let next = b.recv().await;
    assert_eq!(next["type"], "pong", "{next}");
    assert_eq!(next["request_id"], "p");
}

#[tokio::test]
async fn bad_input_gets_an_error_and_the_connection_stays_open() {
    let app = TestApp::spawn();
    let (mut ws, _) = Ws::join(&app, "bad-input", &designer()).await;
    let cases: Vec<(Message, &str)> = vec![
        (Message::text("{not json"), "invalid_json"),
        (Message::text("[1, 2, 3]"), "invalid_message"),
        (Message::text("\"design\""), "invalid_message"),
        (Message::binary(vec![1u8, 2, 3]), "binary_not_supported"),
        (Message::text(r#"{"action": "explode"}"#), "unknown_action"),
        (Message::text(r#"{"type": "explode"}"#), "unknown_action"),
        (Message::text(r#"{"action": "design"}"#), "invalid_message"),
        (
            Message::text(r#"{"action": "update", "changes": {"Mu": 10}}"#),
            "no_beam",
        ),
        (
            Message::text(r#"{"action": "design", "beam": {"width": 50, "depth": 500, "mu": 1}}"#),
            "validation_error",
        ),
        (
            Message::text(
                r#"{"action": "check", "beam": {"width": 300, "depth": 500}, "cases": []}"#,
            ),
            "validation_error",
        ),
    ];
    for (message, code) in cases {
        ws.send_raw(message).await;
        let e = ws.recv().await;
        assert_eq!(e["type"], "error", "{e}");
        assert_eq!(e["code"], code, "{e}");
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    ws.send(&json!({"action": "design", "request_id": "v", "beam": {"width": 50, "depth": 500, "mu": 1}})).await;
    let e = ws.recv().await;
    assert_eq!(e["request_id"], "v");
    let fields: Vec<&str> = e["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"width") && fields.contains(&"mu") && fields.contains(&"Mu"),
        "{fields:?}"
    );
    // Still open and working.
    ws.send(&design("after")).await;
    assert_eq!(ws.recv_type("design_result").await["request_id"], "after");
}

#[tokio::test]
async fn frames_over_the_limit_close_with_1009() {
    let app = TestApp::builder()
        .env("BEAMLINE_WS_MAX_MESSAGE_BYTES", "2048")
        .spawn();
    let (mut ws, _) = Ws::join(&app, "big", &designer()).await;
    ws.send_raw(Message::text(format!(
        "{{\"action\":\"ping\",\"pad\":\"{}\"}}",
        "x".repeat(4096)
    )))
    .await;
    let (code, reason) = ws.closed().await;
    assert_eq!(code, 1009, "{reason}");
}

#[tokio::test]
async fn tokens_and_scopes_are_checked_on_the_upgrade() {
    let app = TestApp::spawn();
    // Missing, invalid and expired tokens are told apart in the close reason.
    let mut ws = Ws::connect(&app, "auth", None).await;
    assert_eq!(ws.closed().await, (4401, "no token was sent".to_owned()));
    let mut ws = Ws::connect(&app, "auth", Some("not-a-token")).await;
    assert_eq!(
        ws.closed().await,
        (4401, "the token is not valid".to_owned())
    );
    let expired = sign(&json!({"sub": "x", "exp": now() - 3600, "scopes": ["design"]}));
    let mut ws = Ws::connect(&app, "auth", Some(&expired)).await;
    assert_eq!(
        ws.closed().await,
        (4401, "the token has expired".to_owned())
    );
    let mut ws = Ws::connect(&app, "auth", Some(&token("x", &["analyze"]))).await;
    let (code, reason) = ws.closed().await;
    assert_eq!(code, 4403);
    assert!(reason.contains("design"));
    // The Authorization header works as well as ?token=.
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url(
            &app, "auth", None,
        ))
        .unwrap();
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {}", designer()).parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    use futures::StreamExt;
    let first = ws.next().await.unwrap().unwrap();
    assert!(first.to_text().unwrap().contains("session_state"));
}

#[tokio::test]
async fn bad_session_ids_and_plain_http_are_refused_with_json() {
    let app = TestApp::spawn();
    let r = app.get_with("/ws/design/bad%20id", &designer()).await;
    assert_eq!(r.status(), 422);
    let r = app.get_with("/ws/design/fine", &designer()).await;
    assert!(r.status().is_client_error());
    assert_eq!(r.headers()["content-type"], "application/json");
    let too_long = "x".repeat(65);
    let r = app
        .client
        .get(app.url(&format!("/ws/design/{too_long}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn messages_beyond_the_rate_get_rate_limited_errors_not_a_disconnect() {
    let app = TestApp::builder()
        .env("BEAMLINE_WS_MESSAGES_PER_SECOND", "1")
        .env("BEAMLINE_WS_BURST", "3")
        .spawn();
    let (mut ws, _) = Ws::join(&app, "rate", &designer()).await;
    for i in 0..6 {
        ws.send(&json!({"action": "ping", "request_id": i})).await;
    }
    let mut pongs = 0;
    let mut limited = 0;
    for _ in 0..6 {
        let m = ws.recv().await;
        match m["type"].as_str().unwrap() {
            "pong" => pongs += 1,
            "error" => {
                assert_eq!(m["code"], "rate_limited");
                assert!(m["request_id"].is_number());
                limited += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((pongs, limited), (3, 3));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    ws.send(&json!({"action": "ping"})).await;
    assert_eq!(ws.recv().await["type"], "pong");
}

#[tokio::test]
async fn the_upgrade_counts_against_the_http_rate_limit() {
    let app = TestApp::builder().with_rate_limit(2, 60).spawn();
    let token = designer();
    let _a = Ws::join(&app, "limited", &token).await;
    let _b = Ws::join(&app, "limited", &token).await;
    match tokio_tungstenite::connect_async(url(&app, "limited", Some(&token))).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 429)
        }
        other => panic!("expected a 429, got {:?}", other.map(|_| ())),
    }
}

#[tokio::test]
async fn limits_on_members_and_sessions_close_with_1008() {
    let app = TestApp::builder()
        .env("BEAMLINE_WS_MAX_MEMBERS", "2")
        .env("BEAMLINE_WS_MAX_SESSIONS", "2")
        .spawn();
    let token = designer();
    let _a = Ws::join(&app, "s1", &token).await;
    let _b = Ws::join(&app, "s1", &token).await;
    let mut c = Ws::connect(&app, "s1", Some(&token)).await;
    let (code, reason) = c.closed().await;
    assert_eq!(code, 1008);
    assert!(reason.contains("full"), "{reason}");
    let _d = Ws::join(&app, "s2", &token).await;
    let mut e = Ws::connect(&app, "s3", Some(&token)).await;
    let (code, reason) = e.closed().await;
    assert_eq!(code, 1008);
    assert!(reason.contains("sessions"), "{reason}");
}

#[tokio::test]
async fn a_peer_that_answers_no_pings_is_dropped() {
    let app = TestApp::builder()
        .env("BEAMLINE_WS_PING_INTERVAL_SECONDS", "1")
        .spawn();
    let token = designer();
    let (mut a, _) = Ws::join(&app, "pings", &token).await;
    // Connected, but it never reads, so it never answers the server's pings.
    let _silent = raw_upgrade(&app, "pings", &token).await;
    presence(&mut a, "joined", 2).await;
    // `a` answers the pings (its client does so while reading) and stays; the silent one is dropped.
    // Presence events of the joins may still be on their way; wait for the departure.
    presence(&mut a, "left", 1).await;
    a.send(&json!({"action": "ping"})).await;
    assert_eq!(a.recv_type("pong").await["type"], "pong");
}

#[tokio::test]
async fn a_session_survives_a_members_abrupt_disconnect() {
    let app = TestApp::spawn();
    let token = designer();
    let (mut a, _) = Ws::join(&app, "abrupt", &token).await;
    // A raw TCP connection that upgrades and then vanishes without a close frame.
    let mut raw = raw_upgrade(&app, "abrupt", &token).await;
    presence(&mut a, "joined", 2).await;
    raw.shutdown().await.ok();
    drop(raw);
    // Presence events of the joins may still be on their way; wait for the departure.
    presence(&mut a, "left", 1).await;
    a.send(&design("still")).await;
    assert_eq!(a.recv_type("design_result").await["request_id"], "still");
}

#[tokio::test]
async fn shutdown_closes_every_connection_with_1001() {
    let mut app = TestApp::spawn();
    let token = designer();
    let (mut a, _) = Ws::join(&app, "bye", &token).await;
    let (mut b, _) = Ws::join(&app, "bye", &token).await;
    app.sigterm();
    let closes = tokio::time::timeout(Duration::from_secs(9), async {
        (a.closed().await.0, b.closed().await.0)
    })
    .await;
    assert_eq!(
        closes.ok(),
        Some((1001, 1001)),
        "server output:\n{}",
        app.output()
    );
    assert_eq!(app.terminate(Duration::from_secs(10)), Some(0));
}

/// A WebSocket upgrade done by hand over a socket with a small receive buffer, which then never reads.
pub async fn raw_upgrade(app: &TestApp, session: &str, token: &str) -> tokio::net::TcpStream {
    let addr = app.address.trim_start_matches("http://").to_owned();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket.connect(addr.parse().unwrap()).await.unwrap();
    let request = format!(
        "GET /ws/design/{session}?token={token} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).await.unwrap();
        head.push(byte[0]);
    }
    assert!(String::from_utf8_lossy(&head).starts_with("HTTP/1.1 101"));
    stream
}

#[tokio::test]
async fn a_member_that_stops_reading_does_not_delay_the_others() {
    let app = TestApp::builder()
        .env("BEAMLINE_WS_MESSAGES_PER_SECOND", "100000")
        .env("BEAMLINE_WS_BURST", "100000")
        .env("BEAMLINE_WS_SEND_TIMEOUT_SECONDS", "1")
        .env("BEAMLINE_WS_QUEUE", "16")
        .spawn();
    let token = designer();
    let (mut sender, _) = Ws::join(&app, "stall", &token).await;
    let (mut observer, _) = Ws::join(&app, "stall", &token).await;
    let _stalled = raw_upgrade(&app, "stall", &token).await;

    // Enough designs (about 1.5 KB each) to fill the stalled member's socket buffers many times over.
    const N: usize = 4000;
    let mut latencies = Vec::with_capacity(N);
    let mut observed = 0;
    let mut stalled_left = false;
    for i in 0..N {
        let start = Instant::now();
        sender.send(&design(&i.to_string())).await;
        let m = sender.recv_type("design_result").await;
        latencies.push(start.elapsed());
        assert_eq!(m["request_id"], i.to_string());
        // The observer keeps up too, in order.
        loop {
            let m = observer.recv().await;
            if m["type"] == "presence" && m["event"] == "left" {
                stalled_left = true;
                continue;
            }
            if m["type"] == "design_result" {
                assert_eq!(m["request_id"], i.to_string());
                observed += 1;
                break;
            }
        }
    }
    assert_eq!(observed, N);
    latencies.sort();
    let p50 = latencies[N / 2];
    let p99 = latencies[N * 99 / 100];
    let max = latencies[N - 1];
    eprintln!("round trip while a member stalls: p50 {p50:?}, p99 {p99:?}, max {max:?}");
    // The stalled member is dropped once a send to it has waited past the send timeout.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !stalled_left && Instant::now() < deadline {
        let m = observer.recv().await;
        stalled_left = m["type"] == "presence" && m["event"] == "left";
    }
    assert!(stalled_left, "the stalled member was never dropped");
}

/// A browser page from another origin is refused before the upgrade; the server's own pages and
/// programs that send no Origin are not.
#[tokio::test]
async fn pages_from_other_origins_cannot_open_sessions() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let app = TestApp::spawn();
    let token = designer();
    let host = app.address.trim_start_matches("http://").to_owned();
    for (origin, ok) in [
        ("http://evil.example", false),
        (&*format!("http://{host}"), true),
    ] {
        let mut request = url(&app, "origin", Some(&token))
            .into_client_request()
            .unwrap();
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
        let result = tokio_tungstenite::connect_async(request).await;
        match result {
            Ok(_) => assert!(ok, "{origin} was let in"),
            Err(tokio_tungstenite::tungstenite::Error::Http(r)) => {
                assert!(!ok, "{origin} was refused");
                assert_eq!(r.status(), 403);
                let body = String::from_utf8_lossy(r.body().as_deref().unwrap_or(&[])).into_owned();
                assert!(body.contains("origin_not_allowed"), "{body}");
            }
            Err(e) => panic!("{e}"),
        }
    }
    // No Origin at all: a program, not a browser.
    Ws::join(&app, "origin", &token).await;
    // A configured list replaces the default.
    let app = TestApp::builder()
        .env("BEAMLINE_ALLOWED_ORIGINS", "https://beams.example")
        .spawn();
    let mut request = url(&app, "origin", Some(&token))
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("origin", "https://beams.example".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(request).await.is_ok());
}

/// Reads frames until a close frame; its code.
async fn close_code(stream: &mut tokio::net::TcpStream) -> Option<u16> {
    let read = async {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
            // Walk the server's (unmasked) frames.
            let mut i = 0;
            while i + 2 <= buf.len() {
                let op = buf[i] & 0x0f;
                let len = usize::from(buf[i + 1] & 0x7f);
                let (start, len) = match len {
                    126 if i + 4 <= buf.len() => (
                        i + 4,
                        usize::from(u16::from_be_bytes([buf[i + 2], buf[i + 3]])),
                    ),
                    126 => break,
                    127 => return None,
                    n => (i + 2, n),
                };
                if start + len > buf.len() {
                    break;
                }
                if op == 0x8 && len >= 2 {
                    return Some(u16::from_be_bytes([buf[start], buf[start + 1]]));
                }
                i = start + len;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), read)
        .await
        .ok()
        .flatten()
}

/// A masked client frame.
fn frame(first_byte: u8, payload: &[u8]) -> Vec<u8> {
    let mask = [1u8, 2, 3, 4];
    let mut out = vec![first_byte, 0x80 | payload.len() as u8];
    out.extend_from_slice(&mask);
    out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    out
}

/// Protocol violations close with the codes of RFC 6455: 1007 for text that is not UTF-8, 1002 for
/// a frame with reserved bits set.
#[tokio::test]
async fn protocol_violations_close_with_1002_and_1007() {
    let app = TestApp::spawn();
    let token = designer();
    let mut raw = raw_upgrade(&app, "rfc", &token).await;
    raw.write_all(&frame(0x81, &[0xff, 0xfe])).await.unwrap();
    assert_eq!(close_code(&mut raw).await, Some(1007));
    let mut raw = raw_upgrade(&app, "rfc", &token).await;
    raw.write_all(&frame(0xf1, b"{}")).await.unwrap();
    assert_eq!(close_code(&mut raw).await, Some(1002));
}

/// Session ids that never received a design do not hold a place in the session table, and one user
/// cannot hold more live connections than allowed.
#[tokio::test]
async fn empty_sessions_leave_no_trace_and_users_have_a_connection_limit() {
    let app = TestApp::builder()
        .env("BEAMLINE_WS_MAX_SESSIONS", "3")
        .env("BEAMLINE_WS_MAX_PER_USER", "2")
        .spawn();
    let token = designer();
    for i in 0..10 {
        let (ws, _) = Ws::join(&app, &format!("drive-by-{i}"), &token).await;
        drop(ws);
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (_a, _) = Ws::join(&app, "real-1", &token).await;
    let (_b, _) = Ws::join(&app, "real-2", &token).await;
    // A third live connection of the same user is refused before the upgrade; another user is not.
    let refused = tokio_tungstenite::connect_async(url(&app, "real-3", Some(&token))).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 429),
        other => panic!("expected a 429, got {:?}", other.map(|_| ())),
    }
    let other = crate::helpers::token("bob", &["design"]);
    Ws::join(&app, "real-3", &other).await;
}

/// `POST /api/v1/sessions/{id}/invite`: a token that opens that one session and nothing else.
#[tokio::test]
async fn an_invitation_opens_its_session_and_nothing_else() {
    let app = TestApp::spawn();
    let r = app
        .post_json(
            "/api/v1/sessions/site-7/invite",
            &json!({}),
            Some(&designer()),
        )
        .await;
    assert_eq!(r.status(), 200);
    let invitation: Value = r.json().await.unwrap();
    let token = invitation["token"].as_str().unwrap().to_owned();
    assert_eq!(invitation["expires_in"], 8 * 3600);
    assert_eq!(
        invitation["share_path"],
        format!("/?session=site-7#token={token}")
    );
    let (_guest, state) = Ws::join(&app, "site-7", &token).await;
    assert_eq!(state["type"], "session_state");
    let mut elsewhere = Ws::connect(&app, "site-8", Some(&token)).await;
    let (code, reason) = elsewhere.closed().await;
    assert_eq!(code, 4403);
    assert!(reason.contains("another session"), "{reason}");
    let r = app.design(&beam(), &token).await;
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "invitation_only");
    // An invitation cannot invite.
    let r = app
        .post_json("/api/v1/sessions/site-7/invite", &json!({}), Some(&token))
        .await;
    assert_eq!(r.status(), 403);
}

/// Two members change different fields at the same moment, many times over: every change survives,
/// because an update becomes current only if no other did since the state it was made from.
#[tokio::test]
async fn simultaneous_updates_from_two_members_never_lose_a_change() {
    let app = TestApp::spawn();
    let token = designer();
    let mut a = Ws::connect(&app, "both-edit", Some(&token)).await;
    a.recv_type("session_state").await;
    let mut b = Ws::connect(&app, "both-edit", Some(&token)).await;
    b.recv_type("session_state").await;
    a.send(&json!({"action": "design", "beam": {"width": 300, "depth": 500, "Mu": 100}, "request_id": "d"}))
        .await;
    a.recv_type("design_result").await;
    b.recv_type("design_result").await;
    for round in 0..10 {
        let width = 300 + 10 * round;
        let mu = 100 + round;
        a.send(&json!({"action": "update", "changes": {"width": width}, "request_id": format!("a{round}")}))
            .await;
        b.send(
            &json!({"action": "update", "changes": {"Mu": mu}, "request_id": format!("b{round}")}),
        )
        .await;
        // Each member sees both designs of the round.
        for ws in [&mut a, &mut b] {
            ws.recv_type("design_result").await;
            ws.recv_type("design_result").await;
        }
        let (_late, state) = Ws::join(&app, "both-edit", &token).await;
        assert_eq!(
            state["beam"]["width"].as_f64(),
            Some(f64::from(width)),
            "round {round}: {}",
            state["beam"]
        );
        assert_eq!(
            state["beam"]["Mu"].as_f64(),
            Some(f64::from(mu)),
            "round {round}: {}",
            state["beam"]
        );
    }
}

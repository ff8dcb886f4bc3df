//! Every parser that takes a client's bytes, fed generated input: JSON bodies (strict), WebSocket
//! messages, `Last-Event-ID`, JWTs, query strings, and the CSV writer fed stored events. None may
//! panic; each must answer either a value or an error.
//!
//! `BEAMLINE_FUZZ_CASES` sets the cases per property (default 2 000; docs/operations.md records a
//! run of a million).

use axum::extract::Query;
use axum::http::Uri;
use beamline_server::auth::Authenticator;
use beamline_server::config::AuthConfig;
use beamline_server::jobs::routes::{parse_last_event_id, FollowQuery, ResultsQuery};
use beamline_server::json::parse_strict;
use beamline_server::sessions::protocol;
use proptest::prelude::*;
use serde_json::{json, Value};

fn cases() -> u32 {
    std::env::var("BEAMLINE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// Any JSON value, a few levels deep, with the field names clients use among the keys.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|x| json!(x)),
        prop_oneof![
            Just(1e308),
            Just(-1e308),
            Just(1e-300),
            Just(0.0),
            Just(-0.0)
        ]
        .prop_map(|x: f64| json!(x)),
        ".{0,12}".prop_map(Value::from),
    ];
    let key = prop_oneof![
        prop::sample::select(vec![
            "action",
            "type",
            "beam",
            "params",
            "changes",
            "cases",
            "request_id",
            "width",
            "b",
            "depth",
            "Mu",
            "Vu",
            "Tu",
            "id",
            "support",
            "exposure",
            "beams",
            "token",
        ])
        .prop_map(str::to_owned),
        ".{0,8}",
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Text that is JSON with a byte or two changed, cut short, or repeated keys spliced in.
fn near_json() -> impl Strategy<Value = String> {
    (
        json_value(),
        any::<u8>(),
        any::<prop::sample::Index>(),
        0..4u8,
    )
        .prop_map(|(v, byte, at, how)| {
            let mut text = v.to_string();
            let i = at.index(text.len() + 1);
            match how {
                0 => text,
                1 => text[..text.floor_char_boundary(i)].to_owned(),
                2 => {
                    let i = text.floor_char_boundary(i);
                    text.insert(i, char::from(byte));
                    text
                }
                _ => format!("{{\"action\":\"design\",\"beam\":{text},\"beam\":{text}}}"),
            }
        })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn json_bodies_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256), text in near_json()) {
        let _ = parse_strict(&bytes);
        if let Ok(v) = parse_strict(text.as_bytes()) {
            // What parses strictly is what serde_json reads, key for key.
            let loose: Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(v, loose);
        }
    }

    #[test]
    fn websocket_messages_never_panic(text in near_json(), raw in ".{0,200}") {
        let _ = protocol::parse(&text);
        let _ = protocol::parse(&raw);
    }

    #[test]
    fn last_event_ids_never_panic_or_overflow(raw in prop_oneof![
        ".{0,30}",
        any::<u64>().prop_map(|n| n.to_string()),
        any::<u128>().prop_map(|n| n.to_string()),
        Just("18446744073709551616".to_owned()),
        Just("-1".to_owned()),
    ]) {
        match parse_last_event_id(Some(&raw)) {
            Ok(id) => prop_assert_eq!(raw.trim().parse::<u64>().ok().or((raw.trim().is_empty()).then_some(0)), Some(id)),
            Err(e) => prop_assert_eq!(e.status().as_u16(), 400),
        }
    }

    #[test]
    fn tokens_never_panic(parts in prop::collection::vec("[A-Za-z0-9_=+/.-]{0,60}", 1..5), raw in ".{0,120}") {
        let auth = authenticator();
        let _ = auth.verify(&parts.join("."));
        let _ = auth.verify(&raw);
    }

    #[test]
    fn query_strings_never_panic(query in "[a-z_=&%0-9A-F.+-]{0,60}") {
        if let Ok(uri) = format!("/x?{query}").parse::<Uri>() {
            let _ = Query::<FollowQuery>::try_from_uri(&uri);
            let _ = Query::<ResultsQuery>::try_from_uri(&uri);
        }
    }

    #[test]
    fn job_events_and_their_rows_never_panic(name in prop::sample::select(vec!["design_result", "error", "progress", "x"]), data in near_json()) {
        use beamline_batch::{results, JobEvent};
        match JobEvent::parse(name, &data) {
            Ok(JobEvent::DesignResult(d)) => prop_assert!(results::designed_row(&d).ends_with('\n')),
            Ok(JobEvent::Error(e)) => prop_assert!(results::error_row(&e, &[]).ends_with('\n')),
            _ => {}
        }
    }
}

fn authenticator() -> Authenticator {
    Authenticator::from_config(&AuthConfig {
        jwt_secret: Some("robustness-secret-0123456789abcdef0123".into()),
        ..AuthConfig::default()
    })
    .unwrap()
}

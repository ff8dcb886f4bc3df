//! The engine fed generated input of every shape a client can send: objects with the input's names
//! and aliases (and others), values of every JSON kind including extremes. Parsing never panics;
//! whatever parses is designed without panicking and without a non-finite number; load-case checks
//! likewise. `BEAMLINE_FUZZ_CASES` sets the cases (default 2 000; docs/operations.md records a run
//! of a million).

use is456::input::InvalidBeam;
use is456::input::FIELDS;
use is456::{design, design_load_cases, load_cases, Beam, CheckResult};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// A check request as the routes read it: the section and its cases parsed, then designed.
fn check(beam: &Value, cases: &Value) -> Result<CheckResult, InvalidBeam> {
    let (section, cases) = load_cases::parse(beam, cases)?;
    Ok(design_load_cases(&section, &cases))
}

fn cases() -> u32 {
    std::env::var("BEAMLINE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (50.0..5000.0f64).prop_map(|x| json!(x)),
        2 => (-1e3..1e3f64).prop_map(|x| json!(x)),
        1 => prop::sample::select(vec![0.0, -0.0, 1e-300, 1e300, 1e5, 1e5 + 1.0, f64::MAX, f64::MIN_POSITIVE])
            .prop_map(|x| json!(x)),
        1 => any::<i64>().prop_map(Value::from),
        1 => prop::sample::select(vec!["cant", "continuous", "ss", "severe", "extreme", "", "x"])
            .prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(Value::Null),
        1 => Just(json!([1, 2])),
        1 => Just(json!({"a": 1})),
    ]
}

fn key() -> impl Strategy<Value = String> {
    let names: Vec<String> = FIELDS
        .iter()
        .flat_map(|(n, aliases)| std::iter::once(*n).chain(aliases.iter().copied()))
        .map(str::to_owned)
        .collect();
    prop_oneof![9 => prop::sample::select(names), 1 => "[a-zA-Z_]{1,8}"]
}

fn beam_object() -> impl Strategy<Value = Value> {
    // Mostly a plausible beam with some fields changed, sometimes anything at all.
    let base = (100.0..1200.0f64, 1.0..4.0f64, 0.0..1.0f64).prop_map(|(b, r, m)| {
        let d = (b * r).round();
        json!({"width": b.round(), "depth": d, "Mu": m * 0.1 * b * d * d / 1e6})
    });
    (
        base,
        prop::collection::vec((key(), value()), 0..8),
        any::<bool>(),
    )
        .prop_map(|(base, extra, keep)| {
            let mut map: Map<String, Value> = if keep {
                base.as_object().cloned().unwrap_or_default()
            } else {
                Map::new()
            };
            for (k, v) in extra {
                map.insert(k, v);
            }
            Value::Object(map)
        })
}

fn assert_finite(v: &Value, path: &str) {
    match v {
        Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{path} = {n}"),
        Value::Object(m) => m
            .iter()
            .for_each(|(k, v)| assert_finite(v, &format!("{path}.{k}"))),
        Value::Array(items) => items.iter().for_each(|v| assert_finite(v, path)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_input_is_parsed_or_refused_and_designed_without_panic(v in beam_object()) {
        if let Ok(beam) = Beam::from_json(&v) {
            let r = design(&beam);
            prop_assert!(r.utilization.is_finite());
            let json = serde_json::to_value(&r).unwrap();
            assert_finite(&json, "");
            for f in &r.failed_checks {
                let bad = f.message
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == "inf" || w == "NaN");
                prop_assert!(!bad && !f.message.contains('∞'), "{}", f.message);
            }
        }
    }

    #[test]
    fn load_case_checks_never_panic(beam in beam_object(), cases in prop::collection::vec(beam_object(), 0..4)) {
        let cases: Vec<Value> = cases
            .into_iter()
            .map(|c| {
                let m = c.as_object().cloned().unwrap_or_default();
                Value::Object(m.into_iter().filter(|(k, _)| matches!(k.as_str(), "Mu" | "Vu" | "Tu" | "id" | "moment")).collect())
            })
            .collect();
        if let Ok(r) = check(&beam, &Value::Array(cases)) {
            assert_finite(&serde_json::to_value(&r).unwrap(), "");
        }
    }
}

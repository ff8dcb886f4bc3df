//! Properties that must hold for every valid beam, over thousands of random ones.

use is456::{design, Beam, DesignResult, Status};
use proptest::prelude::*;
use serde_json::{json, Value};

/// At least 10 000 beams a run; `BEAMLINE_PROPTEST_CASES` asks for more.
fn cases() -> u32 {
    std::env::var("BEAMLINE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

/// Random beams across the whole valid range, biased towards the sizes people design.
fn beam_json() -> impl Strategy<Value = Value> {
    (
        (150.0..1000.0f64, 0.8..3.5f64, 0.0..1.3f64, 0.0..0.8f64, 0.0..1.0f64),
        (
            prop::sample::select(vec![15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 50.0, 60.0, 80.0, 22.5]),
            prop::sample::select(vec![250.0, 415.0, 500.0, 550.0, 450.0]),
            20.0..60.0f64,
            prop::option::of(6.0..18.0f64),
            prop::sample::select(vec!["simply_supported", "continuous", "cantilever"]),
            prop::sample::select(vec![10.0, 20.0, 40.0]),
        ),
    )
        .prop_map(
            |((b, aspect, mu_frac, vu_frac, tu_frac), (fck, fy, cover, span_ratio, support, agg))| {
                let b = b.round();
                let depth = (b * aspect).clamp(150.0, (8.0 * b).min(4000.0)).round();
                let d = depth - 50.0;
                // Mu around the limiting moment, Vu around τc,max b d, Tu now and then.
                let mu = mu_frac * 0.14 * fck * b * d * d / 1e6;
                let vu = vu_frac * 3.0 * b * d / 1e3;
                let tu = if tu_frac > 0.7 { (tu_frac - 0.7) * 0.1 * b * b * depth / 1e6 } else { 0.0 };
                let mut v = json!({
                    "width": b, "depth": depth, "Mu": mu, "Vu": vu, "Tu": tu,
                    "fck": fck, "fy": fy, "cover": cover.round(), "support": support, "aggregate": agg,
                });
                if let Some(r) = span_ratio {
                    v["length"] = json!((r * d).round());
                }
                v
            },
        )
}

fn valid_beam() -> impl Strategy<Value = Beam> {
    beam_json().prop_filter_map("deep beams and other invalid inputs", |v| {
        Beam::from_json(&v).ok()
    })
}

/// Every number in the result is finite: serde_json writes NaN and ±∞ as null, so the only nulls
/// allowed are the optional parts.
fn assert_no_stray_nulls(value: &Value, path: &str) {
    const OPTIONAL: [&str; 9] = [
        ".torsion",
        ".serviceability",
        ".serviceability.calculated",
        ".crack_width",
        ".stability",
        ".detailing.side_face",
        ".shear.spacing_provided",
        ".durability.fire_rating",
        ".durability.fire_min_width",
    ];
    match value {
        Value::Null => assert!(OPTIONAL.contains(&path), "null at {path}"),
        Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{path} = {n}"),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| assert_no_stray_nulls(v, &format!("{path}.{k}"))),
        Value::Array(items) => items
            .iter()
            .for_each(|v| assert_no_stray_nulls(v, &format!("{path}[]"))),
        _ => {}
    }
}

fn check_invariants(beam: &Beam, r: &DesignResult) {
    let json = serde_json::to_value(r).unwrap();
    assert_no_stray_nulls(&json, "");
    assert!(r.utilization.is_finite() && r.utilization >= 0.0);
    assert_eq!(
        r.status == Status::Success,
        r.failed_checks.is_empty(),
        "{json}"
    );
    for f in &r.failed_checks {
        assert!(!f.message.is_empty());
    }

    let s = &r.shear;
    if let Some(sv) = s.spacing_provided {
        let sv = f64::from(sv);
        assert_eq!(sv % 25.0, 0.0, "spacing {sv} not a multiple of 25");
        assert!((75.0..=300.0).contains(&sv), "spacing {sv}");
        assert!(
            sv <= s.spacing_required + 1e-9,
            "spacing {sv} above the required {}",
            s.spacing_required
        );
        assert!(sv <= 0.75 * r.flexure.d + 0.1, "spacing {sv} above 0.75 d");
        let asv = f64::from(s.legs) * is456::tables::bar_area(s.stirrup_dia);
        let min_steel = 0.87 * beam.fy_stirrup().min(415.0) * asv / (0.4 * beam.width());
        assert!(
            sv <= min_steel + 1e-9,
            "spacing {sv} gives less than the minimum steel"
        );
        if let Some(t) = &r.torsion {
            assert!(sv <= t.spacing_required + 1e-9);
        }
    }

    if r.status == Status::Success {
        // Required areas are reported rounded up and provided ones down, each to 0.1 mm².
        assert!(r.ast_provided >= r.ast_required - 0.2, "{json}");
        assert!(r.asc_provided >= r.asc_required - 0.2, "{json}");
        // Mu is reported rounded up and the capacity rounded down, each to 0.01 kN·m.
        assert!(r.flexure.mu_capacity >= r.flexure.mu - 0.02, "{json}");
        assert!(r.utilization <= 1.0, "{json}");
        assert!(r.ast_provided <= r.flexure.ast_max);
        assert!(
            r.detailing.bar_clear_spacing + 0.1 >= r.detailing.min_clear_spacing,
            "{json}"
        );
        assert!(
            r.detailing.bar_clear_spacing <= r.detailing.max_clear_spacing + 0.1,
            "{json}"
        );
        assert!(s.spacing_provided.is_some());
        assert!(s.vu_capacity >= beam.vu() - 0.01, "{json}");
        if let Some(sv) = &r.serviceability {
            match &sv.calculated {
                // A long cantilever: the calculation decides (Cl 23.2.1 b).
                Some(c) if c.governs => assert!(c.total <= c.total_limit + 0.02, "{json}"),
                // actual rounded up, allowed down, each to 0.01.
                _ => assert!(sv.actual_ratio <= sv.allowed_ratio + 0.02, "{json}"),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_global_rejects: 1_000_000, ..ProptestConfig::default() })]

    #[test]
    fn every_design_is_finite_consistent_and_within_the_code(beam in valid_beam()) {
        let r = design(&beam);
        check_invariants(&beam, &r);
    }

    #[test]
    fn the_same_input_gives_byte_identical_output(beam in valid_beam()) {
        let a = serde_json::to_string(&design(&beam)).unwrap();
        let b = serde_json::to_string(&design(&beam)).unwrap();
        prop_assert_eq!(a, b);
    }

    /// With the effective depth and the depth of the compression steel fixed, more moment never needs
    /// less steel (where both designs exist: a failed design reports the steel at a section that
    /// cannot be built). The steel a doubly reinforced section needs depends on d′, which follows the
    /// compression bars chosen, so designs with different d′ are not compared.
    #[test]
    fn more_moment_never_needs_less_steel(v in beam_json(), extra in 0.0..1.0f64) {
        let mut v = v;
        let d = v["depth"].as_f64().unwrap() - 50.0;
        v["d"] = json!(d);
        v["Tu"] = json!(0.0);
        let Ok(lower) = Beam::from_json(&v) else { return Ok(()) };
        v["Mu"] = json!(v["Mu"].as_f64().unwrap() * (1.0 + extra) + extra);
        let Ok(higher) = Beam::from_json(&v) else { return Ok(()) };
        let (lo, hi) = (design(&lower), design(&higher));
        let comparable = lo.status == Status::Success
            && hi.status == Status::Success
            && lo.flexure.d_prime == hi.flexure.d_prime
            && lo.flexure.d == hi.flexure.d;
        if !comparable {
            return Ok(());
        }
        prop_assert!(hi.ast_required >= lo.ast_required, "{} < {}", hi.ast_required, lo.ast_required);
        prop_assert!(hi.asc_required >= lo.asc_required);
    }
}

#[test]
fn more_moment_never_needs_less_steel_along_a_sweep() {
    for fy in [250.0, 415.0, 500.0, 550.0] {
        let mut last = 0.0;
        let mut last_d_prime = 0.0;
        for mu in 0..400 {
            let beam =
                Beam::from_json(&json!({"width": 300, "depth": 600, "d": 540, "Mu": mu, "fy": fy}))
                    .unwrap();
            let r = design(&beam);
            let same_section = r.flexure.d_prime == last_d_prime && r.flexure.d == 540.0;
            assert!(
                !same_section || r.ast_required >= last,
                "fy {fy}, Mu {mu}: {} < {last}",
                r.ast_required
            );
            last = r.ast_required;
            last_d_prime = r.flexure.d_prime;
        }
    }
}

/// The random beams reach every path the properties are about: singly and doubly reinforced sections,
/// torsion, spans, two layers, bigger stirrups, and failures.
#[test]
fn the_random_beams_cover_every_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = valid_beam();
    let (mut n, mut doubly, mut torsion, mut spans, mut two_layers, mut big_stirrups, mut failed) =
        (0, 0, 0, 0, 0, 0, 0);
    let mut reasons = std::collections::BTreeMap::new();
    for _ in 0..3000 {
        let beam = strategy.new_tree(&mut runner).unwrap().current();
        let r = design(&beam);
        n += 1;
        doubly += usize::from(r.flexure.section == "doubly");
        torsion += usize::from(r.torsion.is_some());
        spans += usize::from(r.serviceability.is_some());
        two_layers += usize::from(r.flexure.layers == 2);
        big_stirrups += usize::from(r.shear.stirrup_dia > 8 || r.shear.legs > 2);
        failed += usize::from(r.status == Status::Fail);
        for f in &r.failed_checks {
            *reasons.entry(f.clause).or_insert(0usize) += 1;
        }
    }
    eprintln!("failures by clause: {reasons:?}");
    let share = |k: usize| k * 100 / n;
    eprintln!("of {n}: doubly {}%, torsion {}%, spans {}%, two layers {}%, bigger stirrups {}%, failed {}%",
        share(doubly), share(torsion), share(spans), share(two_layers), share(big_stirrups), share(failed));
    for (name, k) in [
        ("doubly", doubly),
        ("torsion", torsion),
        ("spans", spans),
        ("two layers", two_layers),
        ("bigger stirrups", big_stirrups),
        ("failed", failed),
    ] {
        assert!(share(k) >= 3, "only {k} of {n} beams reach {name}");
    }
}

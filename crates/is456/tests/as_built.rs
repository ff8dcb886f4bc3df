//! Every SUCCESS, recomputed from the bars the result lists (`detailing.tension_layers`,
//! `compression_layers` and the stirrups) with this file's own arithmetic: areas, the real centroid
//! of every layer, d and d′, the neutral axis by strain compatibility with Fig 23, the moment and shear
//! capacities, cover, clear gaps and lateral stability. Nothing here reads the engine's own capacity,
//! depth or neutral axis; the only engine parts used are the tables of Table 19 and 20, which the
//! reference tests check row by row.

use is456::tables::{tau_c, tau_c_max};
use is456::{design, Beam, DesignResult, Status};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use std::f64::consts::PI;

const ES: f64 = 200_000.0;

/// At least 20 000 beams a run; `BEAMLINE_PROPTEST_CASES` asks for more (or fewer, locally).
fn cases() -> u32 {
    std::env::var("BEAMLINE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

/// Random beams over every input that matters here: all supports, grades and steels, torsion, a
/// given effective depth, exposure, fire rating, restraint spacing, preferred bars.
fn beam_json() -> impl Strategy<Value = Value> {
    (
        (
            150.0..1200.0f64,
            0.8..3.5f64,
            0.0..1.4f64,
            0.0..0.8f64,
            0.0..1.0f64,
            0.0..1.0f64,
        ),
        (
            prop::sample::select(vec![
                15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 50.0, 60.0, 80.0, 22.5,
            ]),
            prop::sample::select(vec![250.0, 415.0, 500.0, 550.0, 450.0]),
            20.0..60.0f64,
            prop::option::of(6.0..24.0f64),
            prop::sample::select(vec!["simply_supported", "continuous", "cantilever"]),
            prop::sample::select(vec![10.0, 20.0, 40.0]),
        ),
        (
            prop::sample::select(vec!["mild", "moderate", "severe", "very_severe", "extreme"]),
            prop::option::of(prop::sample::select(vec![0.5, 1.0, 2.0, 3.0, 4.0])),
            prop::option::of(0.0..0.12f64),
            prop::option::of(prop::sample::select(vec![12u32, 16, 20, 25, 28, 32])),
            prop::sample::select(vec![true, true, false]),
        ),
    )
        .prop_map(
            |(
                (b, aspect, mu_frac, vu_frac, tu_frac, d_frac),
                (fck, fy, cover, span_ratio, support, agg),
                (exposure, fire, restraint, preferred, low_grade),
            )| {
                let b = b.round();
                let depth = (b * aspect).clamp(150.0, (8.0 * b).min(4000.0)).round();
                let d = depth - 50.0;
                let mu = mu_frac * 0.14 * fck * b * d * d / 1e6;
                let vu = vu_frac * 3.0 * b * d / 1e3;
                let tu = if tu_frac > 0.7 {
                    (tu_frac - 0.7) * 0.1 * b * b * depth / 1e6
                } else {
                    0.0
                };
                // Mostly a cover that meets Table 16 for the exposure, sometimes any cover.
                let table_16 = match exposure {
                    "mild" => 20.0,
                    "moderate" => 30.0,
                    "severe" => 45.0,
                    "very_severe" => 50.0,
                    _ => 75.0,
                };
                let cover = if cover < 50.0 {
                    (table_16 + (cover - 20.0) / 2.0).min(75.0)
                } else {
                    cover
                };
                let mut v = json!({
                    "width": b, "depth": depth, "Mu": mu, "Vu": vu, "Tu": tu, "fck": fck, "fy": fy,
                    "cover": cover.round(), "support": support, "aggregate": agg,
                    "exposure": exposure, "allow_low_grade": low_grade,
                });
                if let Some(r) = span_ratio {
                    v["length"] = json!((r * d).round());
                }
                if d_frac > 0.8 {
                    // A given d, sometimes more than the bars can reach.
                    v["effective_depth"] =
                        json!((depth * (0.80 + 0.19 * (d_frac - 0.8) * 5.0)).round());
                }
                if let Some(h) = fire {
                    v["fire_rating"] = json!(h);
                }
                if let Some(k) = restraint {
                    v["lateral_restraint_spacing"] = json!((k * b * b / 10.0 + 500.0).round());
                }
                if let Some(dia) = preferred {
                    v["main_bar_dia"] = json!(dia);
                }
                v
            },
        )
}

/// Design stress in steel (IS 456 Fig 23): mild steel elastic–perfectly plastic; cold-worked bars
/// elastic to 0.8 fyd, then linear between the points of Fig 23A.
fn fs(strain: f64, fy: f64) -> f64 {
    let fyd = 0.87 * fy;
    if fy <= 250.0 {
        return (ES * strain).clamp(0.0, fyd);
    }
    let points = [
        (0.80, 0.0),
        (0.85, 0.0001),
        (0.90, 0.0003),
        (0.95, 0.0007),
        (0.975, 0.0010),
        (1.0, 0.0020),
    ]
    .map(|(r, e)| (r * fyd / ES + e, r * fyd));
    if strain <= points[0].0 {
        return (ES * strain).max(0.0);
    }
    for w in points.windows(2) {
        let ((e0, s0), (e1, s1)) = (w[0], w[1]);
        if strain <= e1 {
            return s0 + (s1 - s0) * (strain - e0) / (e1 - e0);
        }
    }
    fyd
}

fn xu_max_ratio(fy: f64) -> f64 {
    match fy as u32 {
        250 => 0.53,
        415 => 0.48,
        500 => 0.46,
        _ => 0.0035 / (0.0055 + 0.87 * fy / ES),
    }
}

struct Group {
    count: f64,
    dia: f64,
}

struct LayerBars {
    groups: Vec<Group>,
    y: f64,
}

fn layers(v: &Value) -> Vec<LayerBars> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| LayerBars {
            groups: l["bars"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| Group {
                    count: g["count"].as_f64().unwrap(),
                    dia: g["dia"].as_f64().unwrap(),
                })
                .collect(),
            y: l["y"].as_f64().unwrap(),
        })
        .collect()
}

fn area(groups: &[Group]) -> f64 {
    groups
        .iter()
        .map(|g| g.count * PI * g.dia * g.dia / 4.0)
        .sum()
}

fn max_dia(groups: &[Group]) -> f64 {
    groups.iter().map(|g| g.dia).fold(0.0, f64::max)
}

/// The face's layers recomputed from the bars: each layer's centroid depth (checked against the
/// reported `y`), the total area and the centroid of the whole face.
fn face(layers: &[LayerBars], edge: f64, agg: f64, what: &str) -> (f64, f64) {
    let mut base = edge;
    let (mut total, mut moment) = (0.0, 0.0);
    let mut below_max: f64 = 0.0;
    for (i, layer) in layers.iter().enumerate() {
        if i > 0 {
            // Cl 26.3.2 (b): the clear vertical gap above the largest bar of the layer below.
            let gap = 15f64
                .max(2.0 * agg / 3.0)
                .max(below_max.max(max_dia(&layer.groups)));
            base += below_max + gap;
        }
        let a = area(&layer.groups);
        let m: f64 = layer
            .groups
            .iter()
            .map(|g| g.count * PI * g.dia * g.dia / 4.0 * (base + g.dia / 2.0))
            .sum();
        let y = m / a;
        assert!(
            (y - layer.y).abs() <= 0.051,
            "{what} layer {i}: y {} reported, {y} from the bars",
            layer.y
        );
        total += a;
        moment += m;
        below_max = max_dia(&layer.groups);
    }
    (total, moment / total)
}

/// Clear horizontal gap of a layer spread over `clear_width`.
fn clear_gap(groups: &[Group], clear_width: f64) -> f64 {
    let n: f64 = groups.iter().map(|g| g.count).sum();
    let steel: f64 = groups.iter().map(|g| g.count * g.dia).sum();
    (clear_width - steel) / (n - 1.0)
}

/// The section as built, from its bars alone.
fn recompute(beam: &Value, r: &DesignResult) {
    let json = serde_json::to_value(r).unwrap();
    let num = |k: &str, default: f64| beam.get(k).and_then(Value::as_f64).unwrap_or(default);
    let (b, big_d) = (num("width", 0.0), num("depth", 0.0));
    let (fck, fy, cover, agg) = (
        num("fck", 25.0),
        num("fy", 500.0),
        num("cover", 30.0),
        num("aggregate", 20.0),
    );
    let (mu, vu, tu) = (
        num("Mu", 0.0) * 1e6,
        num("Vu", 0.0) * 1e3,
        num("Tu", 0.0) * 1e6,
    );
    let st = f64::from(r.shear.stirrup_dia);
    let legs = f64::from(r.shear.legs);
    let sv = f64::from(r.shear.spacing_provided.expect("a SUCCESS has stirrups"));
    let edge = cover + st;
    let tension = layers(&json["detailing"]["tension_layers"]);
    let compression = layers(&json["detailing"]["compression_layers"]);
    assert!(!tension.is_empty() && !compression.is_empty(), "{json}");

    // Areas and centroids from the bars.
    let (ast, y_t) = face(&tension, edge, agg, "tension");
    let (asc, d_prime) = face(&compression, edge, agg, "compression");
    assert!(
        ast >= r.ast_required - 0.2,
        "Ast {ast} < {}: {beam}",
        r.ast_required
    );
    assert!(
        (ast - r.ast_provided).abs() <= 0.11,
        "Ast {ast} vs {}",
        r.ast_provided
    );
    let d_real = big_d - y_t;
    let mut d = d_real;
    if let Some(given) = beam.get("effective_depth").and_then(Value::as_f64) {
        d = d.min(given);
    }
    // Cl 26.5.1.1 (a) at the depth the bars really have.
    assert!(
        ast >= 0.85 * b * d_real / fy - 1e-6,
        "below the minimum steel: {json}"
    );
    assert!(
        r.flexure.d <= d + 1e-9,
        "d {} reported, {d} from the bars",
        r.flexure.d
    );

    // Cover (Cl 26.4.1): no bar larger than the nominal cover.
    for l in tension.iter().chain(&compression) {
        assert!(
            max_dia(&l.groups) <= cover,
            "{}φ under {cover} mm cover",
            max_dia(&l.groups)
        );
    }
    // Clear gaps (Cl 26.3.2 a) in every layer, Table 15 in the first tension layer.
    let clear_width = b - 2.0 * edge;
    for l in tension.iter().chain(&compression) {
        let min = max_dia(&l.groups).max(agg + 5.0);
        assert!(
            clear_gap(&l.groups, clear_width) + 1e-6 >= min,
            "gap below {min}: {json}"
        );
    }
    let table_15 = if fy <= 250.0 {
        300.0
    } else if fy <= 415.0 {
        180.0
    } else if fy <= 500.0 {
        150.0
    } else {
        (75000.0 / fy).floor()
    };
    assert!(
        clear_gap(&tension[0].groups, clear_width) <= table_15 + 1e-6,
        "Table 15: {json}"
    );

    // Torsion: equivalent moment and shear (Cl 41.3.1, 41.4.2).
    let mt = tu * (1.0 + big_d / b) / 1.7;
    let moment = mu + mt;

    // Neutral axis by strain compatibility (Cl 38.1, Fig 23): compression steel at d′ works at fsc
    // less the concrete it displaces (never negative), tension steel yields (checked below).
    let c_force = |xu: f64| {
        let steel = if xu > d_prime {
            asc * (fs(0.0035 * (1.0 - d_prime / xu), fy) - 0.446 * fck).max(0.0)
        } else {
            0.0
        };
        0.36 * fck * b * xu + steel
    };
    let t_force = 0.87 * fy * ast;
    let xu_max = xu_max_ratio(fy) * d;
    assert!(
        c_force(xu_max) >= t_force * (1.0 - 1e-9),
        "over-reinforced as built: xu > xu,max {xu_max}: {json}"
    );
    let (mut lo, mut hi) = (0.0, xu_max);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if c_force(mid) < t_force {
            lo = mid
        } else {
            hi = mid
        }
    }
    let xu = hi;
    // At xu ≤ xu,max the tension steel strain is at least the yield strain of Cl 38.1 (f).
    let steel = if xu > d_prime {
        asc * (fs(0.0035 * (1.0 - d_prime / xu), fy) - 0.446 * fck).max(0.0)
    } else {
        0.0
    };
    let capacity = 0.36 * fck * b * xu * (d - 0.42 * xu) + steel * (d - d_prime);
    assert!(
        capacity >= moment * (1.0 - 1e-6),
        "Mu,cap {} < {} at d {d}: {json}",
        capacity / 1e6,
        moment / 1e6
    );

    // Shear (Cl 40): τv ≤ τc,max and τc b d + 0.87 fy Asv d / sv ≥ Vu, with pt of the bars provided.
    let fy_sv = num("fy_stirrup", fy);
    let asv = legs * PI * st * st / 4.0;
    let pt = 100.0 * ast / (b * d);
    let tau_cmax = tau_c_max(fck);
    assert!(vu / (b * d) <= tau_cmax + 1e-9, "τv above τc,max: {json}");
    let v_cap = (tau_c(fck, pt) * b * d + 0.87 * fy_sv * asv * d / sv).min(tau_cmax * b * d);
    assert!(
        v_cap >= vu * (1.0 - 1e-9),
        "Vu,cap {} < {}: {json}",
        v_cap / 1e3,
        vu / 1e3
    );
    assert!(sv <= 300.0 && sv <= 0.75 * d + 1e-9, "spacing {sv}");
    if tu > 0.0 {
        // Cl 41.3.1 and 41.4.3 with the hoop of the bars provided.
        let ve = vu + 1.6 * tu / b;
        let tau_ve = ve / (b * d);
        assert!(tau_ve <= tau_cmax + 1e-9, "τve above τc,max: {json}");
        let b1 = b - 2.0 * edge - max_dia(&tension[0].groups).max(max_dia(&compression[0].groups));
        let d1 = big_d
            - 2.0 * edge
            - 0.5 * (max_dia(&tension[0].groups) + max_dia(&compression[0].groups));
        let hoop = 2.0 * PI * st * st / 4.0;
        let need = tu * sv / (b1 * d1 * 0.87 * fy_sv) + vu * sv / (2.5 * d1 * 0.87 * fy_sv);
        assert!(
            hoop >= need * (1.0 - 1e-9),
            "torsion hoop {hoop} < {need}: {json}"
        );
        let tc = tau_c(fck, pt);
        assert!(
            asv >= (tau_ve - tc) * b * sv / (0.87 * fy_sv) * (1.0 - 1e-9),
            "torsion Asv: {json}"
        );
        // Me2 = Mt − Mu at the top face (Cl 41.4.2.1): the top bars carry it at their own depth.
        if mt > mu {
            let d_top = big_d - d_prime;
            let xu_top = 0.87 * fy * asc / (0.36 * fck * b);
            let x_lim = xu_max_ratio(fy) * d_top;
            let cap_top = if xu_top <= x_lim {
                0.87 * fy * asc * (d_top - 0.42 * xu_top)
            } else {
                0.36 * fck * b * x_lim * (d_top - 0.42 * x_lim)
            };
            assert!(
                cap_top >= (mt - mu) * (1.0 - 1e-6),
                "Me2 {}: {json}",
                (mt - mu) / 1e6
            );
        }
    }

    // Lateral stability (Cl 23.3) at the real d.
    let restraint = beam
        .get("lateral_restraint_spacing")
        .or_else(|| beam.get("length"))
        .and_then(Value::as_f64);
    if let Some(l) = restraint {
        let allowed = if beam["support"] == "cantilever" {
            (25.0 * b).min(100.0 * b * b / d_real)
        } else {
            (60.0 * b).min(250.0 * b * b / d_real)
        };
        assert!(l <= allowed + 1e-6, "restraints {l} > {allowed}: {json}");
    }
    // Cantilevers over 10 m are never certified on span/depth alone (Cl 23.2.1 b): the calculated
    // deflection decides, within span/250 and span/350 (20 mm).
    let span = beam.get("length").and_then(Value::as_f64);
    if beam["support"] == "cantilever" && span.is_some_and(|l| l > 10_000.0) {
        let c = &json["serviceability"]["calculated"];
        assert_eq!(c["governs"], true, "{json}");
        let l = span.unwrap_or(0.0);
        assert!(c["total"].as_f64().unwrap() <= l / 250.0, "{json}");
        assert!(
            c["after_finishes"].as_f64().unwrap() <= (l / 350.0).min(20.0),
            "{json}"
        );
    }
}

#[test]
fn every_success_holds_when_recomputed_from_its_own_bars() {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        max_global_rejects: 1_000_000,
        ..Config::default()
    });
    let strategy = beam_json().prop_filter_map("invalid inputs", |v| {
        Beam::from_json(&v).ok().map(|b| (v, b))
    });
    let successes = std::cell::Cell::new(0u32);
    let doubly = std::cell::Cell::new(0u32);
    let torsion = std::cell::Cell::new(0u32);
    let two_layers = std::cell::Cell::new(0u32);
    let two_dias = std::cell::Cell::new(0u32);
    runner
        .run(&strategy, |(v, beam)| {
            let r = design(&beam);
            if r.status == Status::Success {
                successes.set(successes.get() + 1);
                doubly.set(doubly.get() + u32::from(r.flexure.section == "doubly"));
                torsion.set(torsion.get() + u32::from(r.torsion.is_some()));
                two_layers.set(two_layers.get() + u32::from(r.detailing.tension_layers.len() == 2));
                two_dias.set(
                    two_dias.get()
                        + u32::from(r.detailing.tension_layers.iter().any(|l| l.bars.len() == 2)),
                );
                recompute(&v, &r);
            }
            Ok(())
        })
        .unwrap();
    let n = successes.get();
    eprintln!(
        "{n} successes: {} doubly, {} torsion, {} two layers, {} two diameters in a layer",
        doubly.get(),
        torsion.get(),
        two_layers.get(),
        two_dias.get()
    );
    // The run reaches every path it is about.
    assert!(n >= cases() / 10, "only {n} successes");
    for k in [
        doubly.get(),
        torsion.get(),
        two_layers.get(),
        two_dias.get(),
    ] {
        assert!(k >= n / 200, "a path is barely reached: {k} of {n}");
    }
}

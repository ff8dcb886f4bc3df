//! A member of docs/members.md at the size BENCHMARKS.md records: three 6 m spans, 11 stations per
//! span, four load cases (DL, LL, EQX, EQY) combined by Table 18 into 14 combinations.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use is456::{design_member, Member};
use serde_json::{json, Value};

/// The allocator of the `beamline` binary, so that the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Stations under a uniform load `w` (kN/m) with end moments `ml`, `mr` (kN·m) over `l` mm.
fn stations(l: f64, w: f64, ml: f64, mr: f64) -> Value {
    Value::Array(
        (0..11)
            .map(|k| {
                let x = l * f64::from(k) / 10.0;
                let (xm, lm) = (x / 1e3, l / 1e3);
                let m = w * xm * (lm - xm) / 2.0 + ml * (1.0 - xm / lm) + mr * xm / lm;
                json!({"x": x, "M": m, "V": w * (lm / 2.0 - xm) + (mr - ml) / lm, "T": 0})
            })
            .collect(),
    )
}

fn gravity(w: f64) -> Value {
    let s = -0.1 * w * 36.0;
    json!([
        stations(6000.0, w, 0.0, s),
        stations(6000.0, w, s, s),
        stations(6000.0, w, s, 0.0)
    ])
}

fn sway(e: f64) -> Value {
    json!([
        stations(6000.0, 0.0, -e, e),
        stations(6000.0, 0.0, -e, e),
        stations(6000.0, 0.0, -e, e)
    ])
}

fn member(ductile: bool) -> Value {
    json!({
        "id": "B12",
        "section": {"width": 300, "depth": 500, "fck": 25, "fy": 500},
        "spans": [{"length": 6000, "support_width": 300}, {"length": 6000, "support_width": 300},
                  {"length": 6000, "support_width": 300}],
        "cases": {"DL": gravity(20.0), "LL": gravity(10.0), "EQX": sway(80.0), "EQY": sway(40.0)},
        "ductile": ductile
    })
}

fn bench(c: &mut Criterion) {
    for (name, ductile) in [("member_3x11x4", false), ("member_3x11x4_ductile", true)] {
        let raw = member(ductile);
        let parsed = Member::from_json(&raw).expect("a valid member");
        c.bench_function(name, |b| b.iter(|| design_member(black_box(&parsed))));
    }
    let raw = member(false);
    c.bench_function("member_parse_design_serialize", |b| {
        b.iter(|| {
            let m = Member::from_json(black_box(&raw)).expect("a valid member");
            serde_json::to_vec(&design_member(&m)).expect("JSON")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

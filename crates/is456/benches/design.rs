//! Full designs (flexure, bars, effective-depth iteration, shear, torsion, deflection, detailing)
//! over a fixed mix of beams: typical, doubly reinforced, torsion, deep webs, spans, failures.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use is456::{design, Beam};
use serde_json::json;

/// The allocator of the `beamline` binary, so that the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn mixed_beams() -> Vec<Beam> {
    let mut beams = Vec::new();
    // A small deterministic generator, so every run designs the same beams.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    while beams.len() < 256 {
        let b = (200.0 + 300.0 * next()).round();
        let depth = (b * (1.5 + next())).round();
        let d = depth - 50.0;
        let fck = [25.0, 30.0, 35.0, 40.0][(next() * 4.0) as usize];
        let fy = [415.0, 500.0][(next() * 2.0) as usize];
        let mu = (0.05 + 1.1 * next()) * 0.138 * fck * b * d * d / 1e6;
        let vu = next() * 1.5 * b * d / 1e3;
        let tu = if next() < 0.15 {
            next() * 0.05 * b * b * depth / 1e6
        } else {
            0.0
        };
        let mut v =
            json!({"width": b, "depth": depth, "Mu": mu, "Vu": vu, "Tu": tu, "fck": fck, "fy": fy});
        if next() < 0.5 {
            v["length"] = json!((d * (10.0 + 12.0 * next())).round());
        }
        if let Ok(beam) = Beam::from_json(&v) {
            beams.push(beam);
        }
    }
    beams
}

fn bench(c: &mut Criterion) {
    let beams = mixed_beams();
    let typical =
        Beam::from_json(&json!({"width": 300, "depth": 500, "Mu": 150, "Vu": 100, "span": 5000}))
            .unwrap();

    let mut group = c.benchmark_group("design");
    group.throughput(Throughput::Elements(1));
    group.bench_function("typical_beam", |b| b.iter(|| design(black_box(&typical))));
    // The beam of the README and of the REST benchmark.
    let readme =
        Beam::from_json(&json!({"width": 300, "depth": 450, "Mu": 150, "Vu": 100, "span": 5000}))
            .unwrap();
    group.bench_function("readme_beam", |b| b.iter(|| design(black_box(&readme))));
    // A T beam cast with its slab, the neutral axis in the web.
    let flanged = Beam::from_json(&json!({"width": 300, "depth": 600, "Mu": 450, "Vu": 180,
        "span": 7000, "section": "T", "flange_thickness": 120, "web_spacing": 1200}))
    .unwrap();
    group.bench_function("flanged_beam", |b| b.iter(|| design(black_box(&flanged))));
    // Every serviceability check: span/depth, Annex C with a given Ms, crack width, enhanced shear.
    let serviceability = Beam::from_json(&json!({"width": 300, "depth": 500, "Mu": 150, "Vu": 100,
        "span": 5000, "Ms": 100, "permanent_fraction": 0.5, "av": 600}))
    .unwrap();
    group.bench_function("all_serviceability", |b| {
        b.iter(|| design(black_box(&serviceability)))
    });
    let (passing, failing): (Vec<Beam>, Vec<Beam>) = beams
        .iter()
        .cloned()
        .partition(|b| design(b).status == is456::Status::Success);
    eprintln!(
        "mixed set: {} beams, {} pass, {} fail",
        beams.len(),
        passing.len(),
        failing.len()
    );
    for (name, set) in [
        ("mixed_beams", &beams),
        ("mixed_passing", &passing),
        ("mixed_failing", &failing),
    ] {
        let mut i = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                i = (i + 1) % set.len();
                design(black_box(&set[i]))
            })
        });
    }
    group.finish();

    let raw = json!({"width": 300, "depth": 500, "Mu": 150, "Vu": 100, "span": 5000});
    c.bench_function("parse_design_serialize", |b| {
        b.iter(|| {
            let beam = Beam::from_json(black_box(&raw)).unwrap();
            serde_json::to_vec(&design(&beam)).unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Import and design of 500 beams × 5 combinations × 11 stations (docs/import.md, "Speed"): an ETABS
//! forces table with connectivity (every beam its own line, columns at both ends), as CSV.

use beamline_import::{import, File, Format, Options};
use criterion::{criterion_group, criterion_main, Criterion};

/// The allocator of the `beamline` binary, so that the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BEAMS: usize = 500;
const COMBOS: usize = 5;
const STATIONS: usize = 11;

/// Beams of 4 to 7 m along X, each on its own grid line (nothing joins), under loads that differ
/// from beam to beam (few typical beams), with a column at every end.
fn export() -> String {
    let mut s = String::from("TABLE:  Element Forces - Beams\nStory,Beam,Unique Name,Output Case,Case Type,Station,V2,T,M3\n,,,,,m,kN,kN-m,kN-m\n");
    for b in 0..BEAMS {
        let l = 4.0 + (b % 7) as f64 * 0.5;
        let w = 20.0 + (b % 23) as f64;
        for c in 0..COMBOS {
            let f = 1.0 + 0.1 * c as f64;
            for k in 0..STATIONS {
                let x = l * k as f64 / (STATIONS - 1) as f64;
                let m = f * (w * x * (l - x) / 2.0 - w * l * l / 12.0);
                let v = -f * w * (l / 2.0 - x);
                s.push_str(&format!(
                    "Story1,B{b},{b},C{c},Combination,{x:.4},{v:.3},0.5,{m:.3}\n"
                ));
            }
        }
    }
    s.push_str(
        "\nTABLE:  Beam Object Connectivity\nUnique Name,UniquePtI,UniquePtJ,Length\n,,,m\n",
    );
    for b in 0..BEAMS {
        s.push_str(&format!("{b},P{b}a,P{b}b,{}\n", 4.0 + (b % 7) as f64 * 0.5));
    }
    s.push_str("\nTABLE:  Point Object Connectivity\nUniqueName,X,Y,Z\n,m,m,m\n");
    for b in 0..BEAMS {
        let l = 4.0 + (b % 7) as f64 * 0.5;
        s.push_str(&format!("P{b}a,0,{b},3\nP{b}b,{l},{b},3\n"));
    }
    s.push_str("\nTABLE:  Column Object Connectivity\nUnique Name,UniquePtI,UniquePtJ\n");
    for b in 0..BEAMS {
        s.push_str(&format!("C{b}a,Q{b}a,P{b}a\nC{b}b,Q{b}b,P{b}b\n"));
    }
    s
}

fn bench(c: &mut Criterion) {
    let text = export();
    let options = Options {
        section: Some((300.0, 500.0)),
        ..Options::default()
    };
    let file = [File {
        name: "forces.csv",
        bytes: text.as_bytes(),
    }];
    let imported = import(Format::Etabs, &file, &options).expect("the bench export imports");
    assert_eq!(
        imported
            .groups
            .iter()
            .map(|g| g.members.len())
            .sum::<usize>(),
        BEAMS
    );
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("500 beams x 5 combinations x 11 stations: import", |b| {
        b.iter(|| import(Format::Etabs, &file, &options).expect("imports"))
    });
    // Typical beams designed once (161 distinct beams of the 500), and every beam on its own.
    for (name, grouping) in [
        ("import and design", options.group_tolerance),
        ("import and design, no grouping", None),
    ] {
        let options = Options {
            group_tolerance: grouping,
            ..options.clone()
        };
        group.bench_function(
            format!("500 beams x 5 combinations x 11 stations: {name}"),
            |b| {
                b.iter(|| {
                    let imported = import(Format::Etabs, &file, &options).expect("imports");
                    imported
                        .members
                        .iter()
                        .map(|m| {
                            is456::design_member(&is456::Member::from_json(m).expect("a member"))
                                .utilization
                        })
                        .sum::<f64>()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

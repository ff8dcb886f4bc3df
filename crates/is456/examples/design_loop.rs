//! Designs one beam N times, or writes its result as JSON N times, for counting the instructions of
//! either (`scripts/bench-design-instructions.sh`):
//! `cargo run --release -p is456 --example design_loop -- N [BEAM_JSON] [design|json]`.
//! The beam defaults to the README's, the body of the REST benchmarks.

/// The allocator of the `beamline` binary, so that the counts are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let text = args.next().unwrap_or_else(|| {
        r#"{"width": 300, "depth": 450, "Mu": 150, "Vu": 100, "span": 5000}"#.to_owned()
    });
    let value: serde_json::Value = serde_json::from_str(&text).expect("a beam as JSON");
    let beam = is456::Beam::from_json(&value).expect("a valid beam");
    let total: usize = match args.next().as_deref() {
        Some("json") => {
            let result = is456::design(&beam);
            (0..n)
                .map(|_| {
                    serde_json::to_vec(std::hint::black_box(&result))
                        .expect("a result writes as JSON")
                        .len()
                })
                .sum()
        }
        _ => (0..n)
            .map(|_| is456::design(std::hint::black_box(&beam)).checks.len())
            .sum(),
    };
    println!("{total}");
}

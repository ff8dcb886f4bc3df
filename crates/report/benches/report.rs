//! One beam's calculation report, as HTML and as PDF (docs/report.md; figures in BENCHMARKS.md).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::json;

fn reports(c: &mut Criterion) {
    let beam = is456::Beam::from_json(
        &json!({"id": "B1", "width": 300, "depth": 500, "Mu": 150, "Vu": 100, "span": 5000}),
    )
    .unwrap();
    let result = is456::design(&beam);
    let input = beamline_report::ReportInput::new(&beam, &result, "2026-12-02");
    c.bench_function("report_html", |b| {
        b.iter(|| beamline_report::html(black_box(&input)))
    });
    c.bench_function("report_pdf", |b| {
        b.iter(|| beamline_report::pdf(black_box(&input)))
    });
}

criterion_group!(benches, reports);
criterion_main!(benches);

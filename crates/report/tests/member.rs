//! A member's report (docs/report.md, "Members"): the HTML holds every check's clause, the zones and
//! the schedule; the PDF reads back with the same.

use std::path::PathBuf;
use std::process::Command;

use is456::{design_member, Member, MemberResult};
use serde_json::{json, Value};

/// Two 6 m spans under DL 20 and LL 10 kN/m, −0.1 w l² over the middle support, and a sway case.
fn member(ductile: bool) -> Value {
    let span = |w: f64, ml: f64, mr: f64| -> Value {
        Value::Array(
            (0..11)
                .map(|k| {
                    let xm = 0.6 * f64::from(k);
                    let m = w * xm * (6.0 - xm) / 2.0 + ml * (1.0 - xm / 6.0) + mr * xm / 6.0;
                    json!({"x": 600 * k, "M": m, "V": w * (3.0 - xm) + (mr - ml) / 6.0})
                })
                .collect(),
        )
    };
    let gravity = |w: f64| json!([span(w, 0.0, -3.6 * w), span(w, -3.6 * w, 0.0)]);
    let sway = json!([span(0.0, -60.0, 60.0), span(0.0, -60.0, 60.0)]);
    json!({"id": "B12", "section": {"width": 300, "depth": 500},
           "spans": [{"length": 6000, "support_width": 300}, {"length": 6000, "support_width": 300}],
           "cases": {"DL": gravity(20.0), "LL": gravity(10.0), "EQX": sway}, "ductile": ductile})
}

fn designed(v: &Value) -> MemberResult {
    design_member(&Member::from_json(v).unwrap())
}

#[test]
fn the_html_holds_every_clause_every_zone_and_the_schedule() {
    let v = member(true);
    let r = designed(&v);
    let input =
        beamline_report::MemberReportInput::new(&v, &r, "2026-12-02").project(Some("Depot"));
    let html = beamline_report::member_html(&input);
    for c in &r.checks {
        assert!(html.contains(c.clause), "{}", c.clause);
    }
    for s in &r.spans {
        for z in &s.zones {
            assert!(html.contains(&z.top), "{}", z.top);
        }
    }
    for row in &r.bbs.rows {
        assert!(html.contains(&row.mark));
    }
    assert!(html.contains("Bar bending schedule"));
    assert!(html.contains(&r.bbs.total_weight.to_string()));
    assert!(html.contains("Capacity-design shear (IS 13920 Cl 6.3.3)"));
    assert!(html.contains("Elevation, to scale along the length"));
    assert!(html.contains("1.2(DL+LL+EQX)"));
    // A typical beam names the beams it stands for.
    assert!(!html.contains("Also for"));
    let mut typical = v.clone();
    typical["typical"] = json!(["B13", "B14"]);
    let r = designed(&typical);
    let html = beamline_report::member_html(&beamline_report::MemberReportInput::new(
        &typical,
        &r,
        "2026-12-02",
    ));
    assert!(html.contains("Also for") && html.contains("B13, B14"));
    for external in ["<link", "<script", "src=", "@import", "url("] {
        assert!(!html.contains(external), "{external}");
    }
}

fn tool(name: &str) -> Option<PathBuf> {
    let found = Command::new("which")
        .arg(name)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if found.is_none() && std::env::var("BEAMLINE_REQUIRE_ALL").as_deref() == Ok("1") {
        panic!("{name} (poppler-utils) is needed to read the PDF back");
    }
    found
}

#[test]
fn the_pdf_reads_back_with_the_schedule_and_the_checks() {
    let v = member(false);
    let r = designed(&v);
    let pdf = beamline_report::member_pdf(&beamline_report::MemberReportInput::new(
        &v,
        &r,
        "2026-12-02",
    ))
    .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = std::env::temp_dir().join(format!("beamline-member-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("b12.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let Some(pdftotext) = tool("pdftotext") else {
        eprintln!("pdftotext is not installed: the PDF was not read back");
        return;
    };
    let out = Command::new(pdftotext)
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text: String = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect();
    for wanted in [
        "Barbendingschedule",
        "Elevation",
        "Span1",
        "Span2",
        "flexurealongspan",
    ] {
        assert!(text.contains(wanted), "{wanted} not in the PDF text");
    }
    for c in &r.checks {
        let clause: String = c.clause.split_whitespace().collect();
        assert!(text.contains(&clause), "{} not in the PDF text", c.clause);
    }
    let total: String = r.bbs.total_weight.to_string();
    assert!(text.contains(&total), "the total weight {total}");
}

/// A midspan zone that checks its hogging away from its sagging peak says where (docs/members.md,
/// "Zones"): the checking engineer finds the hogging capacity beside the point it was worked out at.
#[test]
fn a_zone_checked_for_hogging_away_from_its_peak_says_where() {
    let mut v = member(false);
    // A sway that puts the top face in tension over the middle of the spans.
    for span in v["cases"]["EQX"].as_array_mut().unwrap() {
        for (k, st) in span.as_array_mut().unwrap().iter_mut().enumerate() {
            let xm = 0.6 * k as f64;
            st["M"] = json!(-150.0 * (1.0 - xm / 6.0) + 150.0 * xm / 6.0);
            st["V"] = json!(50.0);
        }
    }
    let r = designed(&v);
    let hogging: Vec<f64> = r
        .spans
        .iter()
        .flat_map(|s| &s.zones)
        .filter_map(|z| z.hogging_x)
        .collect();
    assert!(!hogging.is_empty(), "the sway puts hogging in the middle");
    let html = beamline_report::member_html(&beamline_report::MemberReportInput::new(
        &v,
        &r,
        "2026-12-03",
    ));
    assert_eq!(html.matches("(hogging at ").count(), hogging.len());
}

#[test]
fn a_deep_member_s_side_faces_are_in_its_schedule() {
    let mut v = member(false);
    v["section"]["depth"] = json!(800);
    let r = designed(&v);
    let sf = r.side_faces.as_ref().expect("side faces for D 800");
    let html = beamline_report::member_html(&beamline_report::MemberReportInput::new(
        &v,
        &r,
        "2026-12-03",
    ));
    assert!(html.contains("Side faces (SF1, IS 456 Cl 26.5.1.3)"));
    assert!(html.contains(&sf.text));
    assert!(
        !beamline_report::member_html(&beamline_report::MemberReportInput::new(
            &member(false),
            &designed(&member(false)),
            "2026-12-03",
        ))
        .contains("Side faces")
    );
}

//! The report as a reader gets it: the PDF read back by poppler (`pdftotext`, `pdffonts`, `pdftoppm`),
//! the HTML checked for every clause and the key numbers of the JSON result.

use std::path::PathBuf;
use std::process::Command;

use is456::{design, Beam, DesignResult};
use serde_json::{json, Value};

fn beam(v: Value) -> (Beam, DesignResult) {
    let beam = Beam::from_json(&v).unwrap();
    let result = design(&beam);
    (beam, result)
}

/// The numbers a checking engineer looks for first, exactly as the JSON result writes them.
fn key_numbers(r: &DesignResult) -> Vec<String> {
    vec![
        r.ast_provided.to_string(),
        r.ast_required.to_string(),
        r.utilization.to_string(),
        r.flexure.d.to_string(),
        r.flexure.mu_capacity.to_string(),
        r.shear.tau_v.to_string(),
        r.provenance.input_hash.clone(),
        r.bars_provided.clone(),
    ]
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

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("beamline-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn html_holds_every_clause_and_the_key_numbers() {
    let (b, r) = beam(
        json!({"id": "B7", "width": 300, "depth": 500, "Mu": 150, "Vu": 100,
                             "span": 5000, "Tu": 10}),
    );
    let given = vec!["width".to_owned(), "depth".to_owned(), "Mu".to_owned()];
    let input = beamline_report::ReportInput::new(&b, &r, "2026-12-02")
        .project(Some("Tower <A>"))
        .given(&given);
    let html = beamline_report::html(&input);
    for c in &r.checks {
        assert!(html.contains(c.clause), "{}", c.clause);
    }
    for number in key_numbers(&r) {
        assert!(html.contains(&number), "{number}");
    }
    assert!(html.contains("Tower &lt;A&gt;"), "the project is escaped");
    assert!(html.contains("default"), "defaults are marked");
    assert!(!html.contains("http://") || html.matches("http://").all(|_| true));
    // Self-contained: nothing to fetch.
    for external in ["<link", "<script", "src=", "@import", "url("] {
        assert!(!html.contains(external), "{external}");
    }
}

#[test]
fn the_pdf_reads_back_with_every_clause_embedded_fonts_and_a_picture() {
    let (b, r) = beam(
        json!({"id": "B8", "width": 300, "depth": 600, "Mu": 250, "Vu": 120,
                             "span": 6000, "section": "T", "flange_thickness": 120, "Ms": 160}),
    );
    let pdf =
        beamline_report::pdf(&beamline_report::ReportInput::new(&b, &r, "2026-12-02")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let path = temp("b8.pdf");
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
    // pdftotext may break a line anywhere; compare without whitespace.
    let text: String = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect();
    for c in &r.checks {
        let clause: String = c.clause.split_whitespace().collect();
        assert!(text.contains(&clause), "{} not in the PDF text", c.clause);
    }
    for number in key_numbers(&r) {
        let number: String = number.split_whitespace().collect();
        assert!(text.contains(&number), "{number} not in the PDF text");
    }
    if let Some(pdffonts) = tool("pdffonts") {
        let fonts =
            String::from_utf8_lossy(&Command::new(pdffonts).arg(&path).output().unwrap().stdout)
                .into_owned();
        assert!(fonts.contains("DejaVuSans"), "{fonts}");
        for line in fonts.lines().skip(2) {
            let columns: Vec<&str> = line.split_whitespace().collect();
            // name type encoding emb sub uni …: every font embedded.
            assert!(columns.contains(&"yes"), "not embedded: {line}");
        }
    }
    if let Some(pdftoppm) = tool("pdftoppm") {
        let prefix = temp("b8-page");
        let status = Command::new(pdftoppm)
            .args(["-png", "-r", "40", "-f", "1", "-l", "1"])
            .arg(&path)
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(status.success());
        let png = std::fs::read_dir(prefix.parent().unwrap())
            .unwrap()
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().starts_with("b8-page"))
            .map(|e| std::fs::read(e.path()).unwrap())
            .expect("a page image");
        // Not blank: a white A4 page at 40 dpi compresses to well under this.
        assert!(png.len() > 3000, "{} bytes", png.len());
    }
}

#[test]
fn a_failing_beam_says_what_failed_and_what_to_change() {
    let (b, r) = beam(json!({"width": 230, "depth": 400, "Mu": 50, "Vu": 400}));
    assert_eq!(r.status, is456::Status::Fail);
    let input = beamline_report::ReportInput::new(&b, &r, "2026-12-02");
    let html = beamline_report::html(&input);
    assert!(html.contains("data-status=\"FAIL\""));
    for f in &r.failed_checks {
        assert!(html.contains("FAILED"), "{html}");
        let message = f.message.replace('"', "&quot;").replace('<', "&lt;");
        assert!(html.contains(&message), "{}", f.message);
    }
    let pdf = beamline_report::pdf(&input).unwrap();
    assert!(pdf.len() > 1000);
}

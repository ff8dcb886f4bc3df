//! The sheet as one self-contained HTML page: inline CSS and SVG, nothing fetched, A4 print rules
//! that never split a check across pages.

use std::fmt::Write;

use crate::sheet::{Block, Item, Sheet};
use crate::ReportInput;
use beamline_drawing::{Drawing, Role, Shape};

const STYLE: &str = "\
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.4 'DejaVu Sans', 'Segoe UI', Arial, sans-serif; color: #18202b; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 15pt; margin: 0 0 3mm; }
h2 { font-size: 11.5pt; margin: 0 0 1.5mm; display: flex; justify-content: space-between; gap: 4mm; }
h2 .clause { font-weight: normal; color: #4a5563; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { text-align: left; padding: 1mm 1.5mm; border-bottom: 0.2mm solid #d6dbe1; vertical-align: top; }
th { color: #4a5563; font-weight: 600; }
.meta td:first-child { color: #4a5563; width: 30mm; }
.status { font-weight: 700; font-size: 12pt; margin: 3mm 0; padding: 2mm 3mm; border-radius: 1mm; }
.status.pass { background: #e6f4ea; color: #1a7f37; }
.status.fail { background: #fdecea; color: #b3261e; }
section.check { break-inside: avoid; page-break-inside: avoid; margin: 0 0 5mm; padding-top: 2mm; border-top: 0.4mm solid #1f5fbf; }
.verdict { font-size: 9pt; margin-top: 1mm; }
.verdict.fail { color: #b3261e; font-weight: 700; }
.formula { font-style: italic; }
.failed { color: #b3261e; }
figure { margin: 0; }
svg { max-width: 100%; height: auto; max-height: 90mm; }
";

/// Text for HTML: `&`, `<`, `>`, `\"` escaped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The report as an HTML page.
pub fn html(input: &ReportInput) -> String {
    render(&Sheet::of(input))
}

/// A member's report as an HTML page (docs/report.md, "Members").
pub fn member_html(input: &crate::member::MemberReportInput) -> String {
    render(&crate::member::sheet(input))
}

fn render(sheet: &Sheet) -> String {
    let mut out = String::with_capacity(24 * 1024);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>{STYLE}</style></head><body><h1>{}</h1><table class=\"meta\">",
        esc(&sheet.title),
        esc(&sheet.title)
    );
    for (label, value) in &sheet.meta {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(label),
            esc(value)
        );
    }
    let class = if sheet.passed { "pass" } else { "fail" };
    let _ = write!(
        out,
        "</table><p class=\"status {class}\" data-status=\"{}\">{}</p>",
        if sheet.passed { "SUCCESS" } else { "FAIL" },
        esc(&sheet.status)
    );
    for block in &sheet.blocks {
        write_block(&mut out, block);
    }
    out.push_str("</body></html>\n");
    out
}

fn write_block(out: &mut String, block: &Block) {
    let _ = write!(
        out,
        "<section class=\"check\"><h2><span>{}</span><span class=\"clause\">{}</span></h2>",
        esc(&block.heading),
        esc(block.clause.unwrap_or(""))
    );
    let mut steps_open = false;
    for item in &block.items {
        match item {
            Item::Step(s) => {
                if !steps_open {
                    out.push_str("<table><tr><th>step</th><th>formula</th><th>numbers</th><th>result</th></tr>");
                    steps_open = true;
                }
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td class=\"formula\">{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&s.what),
                    esc(&s.formula),
                    esc(&s.substituted),
                    esc(&s.result)
                );
            }
            other => {
                if steps_open {
                    out.push_str("</table>");
                    steps_open = false;
                }
                write_item(out, other);
            }
        }
    }
    if steps_open {
        out.push_str("</table>");
    }
    if let Some((u, passed)) = block.verdict {
        let _ = write!(
            out,
            "<p class=\"verdict{}\">utilization {u} — {}</p>",
            if passed { "" } else { " fail" },
            if passed { "passes" } else { "FAILS" }
        );
    }
    out.push_str("</section>");
}

fn write_item(out: &mut String, item: &Item) {
    match item {
        Item::Text(t) => {
            let class = if t.starts_with("FAILED") {
                " class=\"failed\""
            } else {
                ""
            };
            let _ = write!(out, "<p{class}>{}</p>", esc(t));
        }
        Item::Table(head, rows) => {
            out.push_str("<table><tr>");
            for h in head {
                let _ = write!(out, "<th>{}</th>", esc(h));
            }
            out.push_str("</tr>");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    let _ = write!(out, "<td>{}</td>", esc(cell));
                }
                out.push_str("</tr>");
            }
            out.push_str("</table>");
        }
        Item::Figure(d) => svg(out, d),
        Item::Step(_) => {}
    }
}

fn colour(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Concrete => ("#e9ecef", "#6b7785"),
        Role::Stirrup => ("none", "#1f5fbf"),
        Role::Tension => ("#c62828", "none"),
        Role::Compression => ("#1a7f37", "none"),
        Role::SideFace => ("#9a6700", "none"),
    }
}

fn svg(out: &mut String, d: &Drawing) {
    let (l, t, r, b) = d.bounds;
    let (font, label, class) = if d.wide {
        (
            (r - l) / 70.0,
            "Elevation, to scale along the length",
            " class=\"wide\"",
        )
    } else {
        ((r - l).max(b - t) / 28.0, "Cross-section to scale", "")
    };
    let _ = write!(
        out,
        "<figure{class}><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{l:.1} {t:.1} {:.1} {:.1}\" \
         role=\"img\" aria-label=\"{label}\">",
        r - l,
        b - t
    );
    let line = font / 6.0;
    for shape in &d.shapes {
        match shape {
            Shape::Polygon(points, role) => {
                let (fill, stroke) = colour(*role);
                let pts: Vec<String> = points
                    .iter()
                    .map(|(x, y)| format!("{x:.1},{y:.1}"))
                    .collect();
                let _ = write!(
                    out,
                    "<polygon points=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{line:.2}\"/>",
                    pts.join(" ")
                );
            }
            Shape::Outline(x, y, w, h, role) => {
                let (_, stroke) = colour(*role);
                let _ = write!(
                    out,
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"none\" \
                     stroke=\"{stroke}\" stroke-width=\"{:.1}\"/>",
                    line * 2.0
                );
            }
            Shape::Bar(x, y, dia, role) => {
                let (fill, _) = colour(*role);
                let _ = write!(
                    out,
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\" fill=\"{fill}\"><title>{dia} mm</title></circle>",
                    dia / 2.0
                );
            }
            Shape::Line(x1, y1, x2, y2, role) => {
                let (fill, stroke) = colour(*role);
                let paint = if stroke == "none" { fill } else { stroke };
                let _ = write!(
                    out,
                    "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{paint}\" \
                     stroke-width=\"{:.2}\"/>",
                    line * 1.6
                );
            }
            Shape::Label(x, y, text) => {
                let _ = write!(
                    out,
                    "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{font:.1}\" text-anchor=\"middle\" \
                     dominant-baseline=\"middle\">{}</text>",
                    esc(text)
                );
            }
        }
    }
    out.push_str("</svg></figure>");
}

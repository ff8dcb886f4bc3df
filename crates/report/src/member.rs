//! The calculation sheet of a member (docs/report.md, "Members"): inputs and combinations, the
//! elevation, each span's envelope against the bars present, its zones and stirrups, the member's
//! checks with their clauses and stations, capacity-design shear when ductile, and the bar bending
//! schedule. Every number is the result's own.

use is456::member::result::{MemberResult, SpanResult};
use serde_json::Value;

use crate::sheet::{Block, Item, Sheet, Step};
use beamline_drawing::{Drawing, Role, Shape};

/// What a member's report is made from.
#[derive(Debug, Clone, Copy)]
pub struct MemberReportInput<'a> {
    /// The member as given.
    member: &'a Value,
    result: &'a MemberResult,
    date: &'a str,
    project: Option<&'a str>,
}

impl<'a> MemberReportInput<'a> {
    pub fn new(member: &'a Value, result: &'a MemberResult, date: &'a str) -> Self {
        MemberReportInput {
            member,
            result,
            date,
            project: None,
        }
    }

    pub fn project(self, project: Option<&'a str>) -> Self {
        MemberReportInput { project, ..self }
    }
}

fn n(x: f64) -> String {
    format!("{x}")
}

fn table(header: &[&str], rows: Vec<Vec<String>>) -> Item {
    Item::Table(header.iter().map(|h| (*h).to_owned()).collect(), rows)
}

fn block(heading: String, clause: Option<&'static str>, items: Vec<Item>) -> Block {
    Block {
        heading,
        clause,
        items,
        verdict: None,
    }
}

pub(crate) fn sheet(input: &MemberReportInput) -> Sheet {
    let r = input.result;
    let id = r.id.as_deref().unwrap_or("member");
    let mut meta = vec![
        (
            "Project".to_owned(),
            input.project.unwrap_or("–").to_owned(),
        ),
        ("Member".to_owned(), id.to_owned()),
        ("Date".to_owned(), input.date.to_owned()),
        (
            "Engine".to_owned(),
            format!("{} {}", r.provenance.engine, r.provenance.version),
        ),
        ("Code".to_owned(), r.provenance.code.to_owned()),
        ("Input hash".to_owned(), r.provenance.input_hash.clone()),
    ];
    if !r.typical.is_empty() {
        // Typical beams (docs/import.md): this design stands for them too.
        meta.insert(2, ("Also for".to_owned(), r.typical.join(", ")));
    }
    let passed = r.status == is456::Status::Success;
    let status = format!(
        "{} — utilization {}, governed by {} (span {}, x = {} mm)",
        if passed { "SUCCESS" } else { "FAIL" },
        n(r.utilization),
        r.governing_check.replace('_', " "),
        r.governing_station.span + 1,
        n(r.governing_station.x)
    );
    let mut blocks = vec![inputs(input.member, r), elevation(input.member, r)];
    for s in &r.spans {
        blocks.push(span_block(s));
    }
    blocks.push(checks(r));
    blocks.push(schedule(r));
    Sheet {
        title: format!("Calculation sheet — member {id}"),
        meta,
        passed,
        status,
        blocks,
    }
}

fn inputs(member: &Value, r: &MemberResult) -> Block {
    let section: Vec<Vec<String>> = member["section"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    vec![
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    let spans = r
        .spans
        .iter()
        .map(|s| {
            vec![
                (s.span + 1).to_string(),
                n(s.length),
                format!("{} to {}", n(s.faces[0]), n(s.faces[1])),
                n(s.clear_span),
                s.support.replace('_', " "),
            ]
        })
        .collect();
    let combos = r
        .combinations
        .iter()
        .map(|c| {
            let factors: Vec<String> = c.factors.iter().map(|(k, f)| format!("{f} {k}")).collect();
            vec![c.name.clone(), factors.join(" + ")]
        })
        .collect();
    let ends = member["ends"].as_array().map_or_else(
        || "discontinuous, discontinuous".to_owned(),
        |e| {
            e.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    block(
        "Inputs".into(),
        Some("IS 456 Table 18"),
        vec![
            table(&["section field", "value"], section),
            table(
                &[
                    "span",
                    "length, mm",
                    "support faces, mm",
                    "clear span, mm",
                    "span/depth as",
                ],
                spans,
            ),
            Item::Text(format!(
                "Ends: {ends}. Ductile detailing (IS 13920): {}.",
                if r.ductile { "yes" } else { "no" }
            )),
            table(&["combination", "factors"], combos),
        ],
    )
}

/// The elevation: to scale along the length (1000 units for the member), the depth exaggerated.
fn elevation(member: &Value, r: &MemberResult) -> Block {
    let mut starts = vec![0.0];
    for s in &r.spans {
        starts.push(starts.last().copied().unwrap_or(0.0) + s.length);
    }
    let total = starts.last().copied().unwrap_or(1.0).max(1.0);
    let x = |span: usize, at: f64| (starts[span] + at) / total * 1000.0;
    let (top, depth) = (0.0, 100.0);
    let mut shapes = vec![Shape::Polygon(
        vec![(0.0, top), (1000.0, top), (1000.0, depth), (0.0, depth)],
        Role::Concrete,
    )];
    let free = |k: usize| member["ends"][k].as_str() == Some("free");
    let last = r.spans.len();
    for (j, start) in starts.iter().enumerate() {
        if (j == 0 && free(0)) || (j == last && free(1)) {
            continue;
        }
        let at = start / total * 1000.0;
        shapes.push(Shape::Outline(at - 6.0, depth, 12.0, 30.0, Role::Concrete));
    }
    let mut rows = [0usize; 2];
    for b in &r.bars {
        let face = usize::from(b.face == "bottom");
        let k = if b.continuous { 0 } else { 1 + rows[face] % 3 };
        rows[face] += usize::from(!b.continuous);
        let y = if face == 0 {
            top + 8.0 + 7.0 * k as f64
        } else {
            depth - 8.0 - 7.0 * k as f64
        };
        let role = if face == 0 {
            Role::Tension
        } else {
            Role::Compression
        };
        let (x1, x2) = (x(b.start.span, b.start.x), x(b.end.span, b.end.x));
        shapes.push(Shape::Line(x1, y, x2, y, role));
        let label_y = if face == 0 {
            -12.0 - 10.0 * (k % 3) as f64
        } else {
            depth + 42.0 + 10.0 * (k % 3) as f64
        };
        shapes.push(Shape::Label(
            (x1 + x2) / 2.0,
            label_y,
            format!("{} {}", b.mark, b.text),
        ));
    }
    for (i, s) in r.spans.iter().enumerate() {
        for z in &s.stirrups {
            shapes.push(Shape::Line(
                x(i, z.from),
                depth / 2.0,
                x(i, z.to),
                depth / 2.0,
                Role::Stirrup,
            ));
        }
        shapes.push(Shape::Label(
            (x(i, 0.0) + x(i, s.length)) / 2.0,
            depth + 80.0,
            format!("span {}: {} mm", i + 1, n(s.length)),
        ));
    }
    let drawing = Drawing {
        bounds: (-20.0, -50.0, 1020.0, depth + 95.0),
        shapes,
        wide: true,
    };
    block(
        "Elevation".into(),
        None,
        vec![
            Item::Figure(drawing),
            Item::Text(
                "To scale along the length; the depth is drawn larger. Top bars above, bottom bars below, each with its mark; the blue line is the stirrup zones.".into(),
            ),
        ],
    )
}

fn span_block(s: &SpanResult) -> Block {
    let envelope = s
        .envelope
        .iter()
        .map(|e| {
            vec![
                n(e.x),
                n(e.mu_sagging),
                n(e.mu_hogging),
                n(e.vu),
                format!("{} / {}", e.top_bars, e.bottom_bars),
                n(e.mu_capacity_sagging),
                n(e.mu_capacity_hogging),
            ]
        })
        .collect();
    let zones = s
        .zones
        .iter()
        .map(|z| {
            vec![
                z.zone.replace('_', " "),
                // A midspan zone checks its hogging where the middle's hogging is largest.
                z.hogging_x
                    .map_or_else(|| n(z.x), |h| format!("{} (hogging at {})", n(z.x), n(h))),
                z.top.clone(),
                z.bottom.clone(),
                z.stirrups.clone(),
                n(z.utilization),
                format!("{:?}", z.status).to_uppercase(),
            ]
        })
        .collect();
    let stirrups: Vec<String> = s
        .stirrups
        .iter()
        .map(|z| format!("{} (from {} mm)", z.text, n(z.from)))
        .collect();
    let mut items = vec![
        Item::Text(format!(
            "d = {} mm; {} span; clear span {} mm.",
            n(s.d),
            s.support.replace('_', " "),
            n(s.clear_span)
        )),
        table(
            &[
                "x, mm",
                "M sag, kN·m",
                "M hog, kN·m",
                "V, kN",
                "bars top / bottom",
                "Mu,R sag",
                "Mu,R hog",
            ],
            envelope,
        ),
        table(
            &[
                "zone",
                "x, mm",
                "top",
                "bottom",
                "stirrups",
                "utilization",
                "status",
            ],
            zones,
        ),
        Item::Text(format!("Stirrup zones: {}.", stirrups.join("; "))),
    ];
    let cuts: Vec<String> = s
        .cut_offs
        .iter()
        .map(|c| format!("{} {} at {} mm", c.face, c.mark, n(c.x)))
        .collect();
    if !cuts.is_empty() {
        items.push(Item::Text(format!(
            "Cut-offs (Cl 26.2.3.1): {}.",
            cuts.join("; ")
        )));
    }
    let laps: Vec<String> = s
        .laps
        .iter()
        .map(|l| {
            format!(
                "{} bars at {} mm, {} mm long",
                l.face,
                n(l.x),
                l.length.map_or_else(String::new, n)
            )
        })
        .collect();
    if !laps.is_empty() {
        items.push(Item::Text(format!(
            "Laps (Cl 26.2.5.1): {}.",
            laps.join("; ")
        )));
    }
    if let Some(c) = &s.capacity_shear {
        items.push(Item::Step(Step {
            what: "Capacity-design shear (IS 13920 Cl 6.3.3)".into(),
            formula: "Vu = Vg + 1.4 (Mu,sag + Mu,hog) / L".into(),
            substituted: format!(
                "1.4 × max({} + {}, {} + {}) / {} m; Vg = {} and {} kN",
                n(c.left[0]),
                n(c.right[1]),
                n(c.left[1]),
                n(c.right[0]),
                n(c.clear_span / 1e3),
                n(c.gravity[0]),
                n(c.gravity[1])
            ),
            result: format!(
                "sway {} kN; Vu = {} and {} kN",
                n(c.sway),
                n(c.design[0]),
                n(c.design[1])
            ),
        }));
    }
    block(
        format!("Span {}", s.span + 1),
        Some("IS 456 Cl 26.2.3, 22.6"),
        items,
    )
}

fn checks(r: &MemberResult) -> Block {
    let rows = r
        .checks
        .iter()
        .map(|c| {
            vec![
                c.check.replace('_', " "),
                c.clause.to_owned(),
                format!("{} / {}", c.span + 1, n(c.x)),
                n(c.utilization),
                if c.passed { "ok" } else { "FAIL" }.to_owned(),
            ]
        })
        .collect();
    let mut items = vec![table(
        &["check", "clause", "span / x, mm", "utilization", ""],
        rows,
    )];
    for f in &r.failed_checks {
        items.push(Item::Text(format!(
            "FAILED — {} ({}), span {}, x = {} mm: {}",
            f.check.replace('_', " "),
            f.clause,
            f.span + 1,
            n(f.x),
            f.message.as_deref().unwrap_or("")
        )));
    }
    for w in &r.warnings {
        items.push(Item::Text(format!("Warning: {w}")));
    }
    block("Checks".into(), None, items)
}

fn schedule(r: &MemberResult) -> Block {
    let rows = r
        .bbs
        .rows
        .iter()
        .map(|row| {
            vec![
                row.mark.clone(),
                row.location.clone(),
                row.shape.to_owned(),
                row.dia.to_string(),
                row.count.to_string(),
                n(row.cut_length),
                n(row.unit_weight),
                n(row.weight),
            ]
        })
        .collect();
    let totals = r
        .bbs
        .by_diameter
        .iter()
        .map(|t| vec![format!("{} mm", t.dia), n(t.length), n(t.weight)])
        .collect();
    let mut items = vec![
        table(&["mark", "location", "shape", "φ, mm", "no.", "cut length, mm", "kg/m", "kg"], rows),
        table(&["diameter", "length, m", "weight, kg"], totals),
        Item::Text(format!(
            "Total {} kg. Cut lengths less 2φ per 90° bend and 3φ per 135° bend; links with 135° hooks of 6φ (at least 65 mm).",
            n(r.bbs.total_weight)
        )),
    ];
    if let Some(sf) = &r.side_faces {
        let laps = if sf.pieces > 1 {
            format!("in {} pieces lapped by {} mm", sf.pieces, n(sf.lap_length))
        } else {
            "in one piece".to_owned()
        };
        items.push(Item::Text(format!(
            "Side faces (SF1, {}): {}, {} mm² on the two faces against 0.1 % of b·D = {} mm², {} mm apart over the depth; along the continuous bars, {laps}.",
            sf.clause,
            sf.text,
            n(sf.area_provided),
            n(sf.area_required),
            n(sf.spacing),
        )));
    }
    block("Bar bending schedule".into(), None, items)
}

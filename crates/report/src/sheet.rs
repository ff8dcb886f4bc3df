//! The calculation sheet: what the report says, in the order a checking engineer reads it, built from
//! the design result's own numbers. Both renderers draw this and nothing else.

use is456::result::{CheckSummary, DesignResult};
use is456::Beam;

use beamline_drawing::{self as drawing, Drawing};

/// What a report is made from.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    beam: &'a Beam,
    result: &'a DesignResult,
    /// The date printed in the title block (the caller's clock: this crate reads none).
    date: &'a str,
    project: Option<&'a str>,
    /// The canonical names of the fields the user gave; the others are marked as defaults.
    given: Option<&'a [String]>,
}

impl<'a> ReportInput<'a> {
    pub fn new(beam: &'a Beam, result: &'a DesignResult, date: &'a str) -> ReportInput<'a> {
        ReportInput {
            beam,
            result,
            date,
            project: None,
            given: None,
        }
    }

    pub fn project(self, project: Option<&'a str>) -> ReportInput<'a> {
        ReportInput { project, ..self }
    }

    pub fn given(self, given: &'a [String]) -> ReportInput<'a> {
        ReportInput {
            given: Some(given),
            ..self
        }
    }
}

/// One line of a check: what is worked out, the formula, the numbers put in, and the result.
pub(crate) struct Step {
    pub what: String,
    pub formula: String,
    pub substituted: String,
    pub result: String,
}

pub(crate) enum Item {
    Step(Step),
    Text(String),
    /// A table: the header, then the rows.
    Table(Vec<String>, Vec<Vec<String>>),
    Figure(Drawing),
}

/// One check (or part of the sheet) that is never split across pages.
pub(crate) struct Block {
    pub heading: String,
    pub clause: Option<&'static str>,
    pub items: Vec<Item>,
    /// The check's utilization and whether it passed, from the result's `checks`.
    pub verdict: Option<(f64, bool)>,
}

pub(crate) struct Sheet {
    pub title: String,
    /// Title block: label and value.
    pub meta: Vec<(String, String)>,
    pub passed: bool,
    pub status: String,
    pub blocks: Vec<Block>,
}

/// A number as the JSON result writes it.
fn n(x: f64) -> String {
    format!("{x}")
}

fn step(what: &str, formula: &str, substituted: String, result: String) -> Item {
    Item::Step(Step {
        what: what.to_owned(),
        formula: formula.to_owned(),
        substituted,
        result,
    })
}

fn verdict(checks: &[CheckSummary], name: &str) -> Option<(f64, bool)> {
    checks
        .iter()
        .find(|c| c.check == name)
        .map(|c| (c.utilization, c.passed))
}

impl Sheet {
    pub(crate) fn of(input: &ReportInput) -> Sheet {
        let (beam, r) = (input.beam, input.result);
        let id = beam.id().unwrap_or("beam");
        let mut meta = vec![
            (
                "Project".to_owned(),
                input.project.unwrap_or("–").to_owned(),
            ),
            ("Beam".to_owned(), id.to_owned()),
            ("Date".to_owned(), input.date.to_owned()),
            (
                "Engine".to_owned(),
                format!("{} {}", r.provenance.engine, r.provenance.version),
            ),
            ("Code".to_owned(), r.provenance.code.to_owned()),
            ("Input hash".to_owned(), r.provenance.input_hash.clone()),
        ];
        meta.retain(|(_, v)| !v.is_empty());
        let passed = r.status == is456::Status::Success;
        let status = format!(
            "{} — utilization {}, governed by {}",
            if passed { "SUCCESS" } else { "FAIL" },
            n(r.utilization),
            r.governing_check.replace('_', " ")
        );
        let mut blocks = vec![inputs(input), materials(beam), section(beam, r)];
        blocks.push(flexure(beam, r));
        blocks.push(shear(beam, r));
        blocks.extend(torsion(beam, r));
        blocks.extend(deflection(r));
        blocks.extend(crack_width(r));
        blocks.extend(stability(r));
        blocks.push(durability(r));
        blocks.push(detailing(r));
        blocks.push(summary(r));
        Sheet {
            title: format!("Calculation sheet — {id}"),
            meta,
            passed,
            status,
            blocks,
        }
    }
}

fn inputs(input: &ReportInput) -> Block {
    let json = input.beam.to_json();
    let units = |name: &str| match name {
        "width"
        | "depth"
        | "cover"
        | "effective_depth"
        | "length"
        | "stirrup_dia"
        | "main_bar_dia"
        | "aggregate"
        | "lateral_restraint_spacing"
        | "flange_width"
        | "flange_thickness"
        | "web_spacing"
        | "av" => "mm",
        "Mu" | "Tu" | "Ms" => "kN·m",
        "Vu" => "kN",
        "fck" | "fy" | "fy_stirrup" => "N/mm²",
        "fire_rating" => "h",
        _ => "",
    };
    let rows = is456::input::FIELDS
        .iter()
        .filter_map(|(name, _)| {
            let value = json.get(*name)?;
            let shown = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            let source = match input.given {
                Some(given) if !given.iter().any(|g| g == name) => "default",
                Some(_) => "given",
                None => "",
            };
            Some(vec![
                (*name).to_owned(),
                shown,
                units(name).to_owned(),
                source.to_owned(),
            ])
        })
        .collect();
    Block {
        heading: "Inputs".into(),
        clause: None,
        items: vec![Item::Table(
            vec!["field".into(), "value".into(), "unit".into(), "".into()],
            rows,
        )],
        verdict: None,
    }
}

fn materials(beam: &Beam) -> Block {
    let fck = beam.fck();
    let rows = vec![
        vec![
            "Concrete fck".into(),
            format!("{} N/mm²", n(fck)),
            "Cl 6.1, Table 2".into(),
        ],
        vec![
            "Steel fy".into(),
            format!("{} N/mm²", n(beam.fy())),
            "Cl 5.6".into(),
        ],
        vec![
            "Stirrups fy".into(),
            format!("{} N/mm²", n(beam.fy_stirrup())),
            "Cl 5.6".into(),
        ],
        vec!["Es".into(), "200000 N/mm²".into(), "Cl 5.6.3".into()],
        vec!["γc, γs".into(), "1.5, 1.15".into(), "Cl 36.4.2".into()],
        vec!["εcu".into(), "0.0035".into(), "Cl 38.1 (b)".into()],
        vec![
            "Design stresses".into(),
            "0.446 fck in concrete, 0.87 fy in steel".into(),
            "Cl 38.1, Fig 21, Fig 23".into(),
        ],
    ];
    Block {
        heading: "Materials".into(),
        clause: None,
        items: vec![Item::Table(
            vec!["".into(), "value".into(), "clause".into()],
            rows,
        )],
        verdict: None,
    }
}

fn section(beam: &Beam, r: &DesignResult) -> Block {
    let mut items = vec![Item::Figure(drawing::section(beam, r))];
    items.push(Item::Text(format!(
        "Tension bars ({} face): {}; compression bars: {}; stirrups {}.",
        r.flexure.tension_face, r.bars_provided, r.compression_bars, r.stirrups
    )));
    Block {
        heading: "Section as built".into(),
        clause: None,
        items,
        verdict: None,
    }
}

fn flexure(beam: &Beam, r: &DesignResult) -> Block {
    let f = &r.flexure;
    let b = beam.width();
    let mut items = Vec::new();
    if let (Some(bf), Some(df)) = (f.bf, f.df) {
        items.push(Item::Text(format!(
            "{} section: effective flange bf = {} mm (Cl 23.1.2), Df = {} mm, web bw = {} mm{}.",
            beam.section().as_str(),
            n(bf),
            n(df),
            n(b),
            f.neutral_axis
                .map(|na| format!("; neutral axis in the {na}"))
                .unwrap_or_default()
        )));
    }
    items.push(step(
        "Effective depth",
        "d = D − depth of the tension bars' centroid (bars as built)",
        format!("D = {} mm, layers as drawn", n(beam.depth())),
        format!("{} mm", n(f.d)),
    ));
    items.push(step(
        "Limiting neutral axis",
        "xu,max = k d (Cl 38.1 f)",
        format!("k · {}", n(f.d)),
        format!("{} mm", n(f.xu_max)),
    ));
    items.push(step(
        "Limiting moment",
        "Mu,lim = 0.36 fck b xu,max (d − 0.42 xu,max) (Annex G)",
        format!("at xu,max = {}", n(f.xu_max)),
        format!("{} kN·m", n(f.mu_lim)),
    ));
    items.push(step(
        "Tension steel required",
        "Ast ≥ max(Ast for Mu, 0.85 b d / fy) (Annex G, Cl 26.5.1.1 a)",
        format!("Mu = {} kN·m; Ast,min = {}", n(f.mu), n(f.ast_min)),
        format!("{} mm² ({})", n(r.ast_required), f.section),
    ));
    items.push(step(
        "Tension steel provided",
        "Ast ≤ 0.04 b D (Cl 26.5.1.1 b)",
        format!("{} ≤ {}", r.bars_provided, n(f.ast_max)),
        format!("{} mm², pt = {} %", n(r.ast_provided), n(f.pt)),
    ));
    if r.asc_required > 0.0 {
        items.push(step(
            "Compression steel",
            "Asc = (Mu − Mu,lim) / ((fsc − 0.446 fck)(d − d′)) (G-1.2)",
            format!("fsc = {} N/mm², d′ = {} mm", n(f.fsc), n(f.d_prime)),
            format!(
                "{} mm² required, {} provided",
                n(r.asc_required),
                n(r.asc_provided)
            ),
        ));
    }
    items.push(step(
        "Section as built",
        "equilibrium of the bars provided, strain compatibility (Fig 23)",
        format!("xu = {} ≤ xu,max = {}", n(f.xu_as_built), n(f.xu_max)),
        format!("Mu,cap = {} kN·m ≥ Mu = {} kN·m", n(f.mu_capacity), n(f.mu)),
    ));
    Block {
        heading: "Flexure".into(),
        clause: Some(f.clause),
        items,
        verdict: verdict(&r.checks, "flexure"),
    }
}

fn shear(beam: &Beam, r: &DesignResult) -> Block {
    let s = &r.shear;
    let d = r.flexure.d;
    let mut items = vec![
        step(
            "Nominal shear stress",
            "τv = Vu / (b d) (Cl 40.1)",
            format!("{} × 10³ / ({} × {})", n(beam.vu()), n(beam.width()), n(d)),
            format!("{} N/mm²", n(s.tau_v)),
        ),
        step(
            "Concrete shear strength",
            "τc (Table 19, pt of the bars provided)",
            format!("pt = {} %, M{}", n(r.flexure.pt), n(beam.fck())),
            format!("{} N/mm²", n(s.tau_c)),
        ),
        step(
            "Maximum shear stress",
            "τv ≤ τc,max (Table 20)",
            format!("{} ≤ {}", n(s.tau_v), n(s.tau_c_max)),
            format!("{} N/mm²", n(s.tau_c_max)),
        ),
    ];
    if let Some(f) = s.enhancement {
        items.push(Item::Text(format!(
            "Near the support (Cl 40.5): τc is taken as 2d/av · τc, factor {}.",
            n(f)
        )));
    }
    items.push(step(
        "Shear for the stirrups",
        "Vus = Vu − τc b d (Cl 40.4)",
        format!(
            "{} − {} · {} · {} / 10³",
            n(beam.vu()),
            n(s.tau_c),
            n(beam.width()),
            n(d)
        ),
        format!("{} kN", n(s.vus)),
    ));
    items.push(step(
        "Stirrup spacing",
        "sv ≤ 0.87 fy Asv d / Vus, ≤ 0.75 d, ≤ 300 mm, minimum steel (Cl 40.4 a, 26.5.1.5, 26.5.1.6)",
        format!("{} legs of {} mm", s.legs, s.stirrup_dia),
        format!(
            "{} mm required; {} provided",
            n(s.spacing_required),
            r.stirrups
        ),
    ));
    items.push(step(
        "Shear capacity",
        "Vu,cap = τc b d + 0.87 fy Asv d / sv ≤ τc,max b d",
        format!("with {}", r.stirrups),
        format!("{} kN ≥ Vu = {} kN", n(s.vu_capacity), n(beam.vu())),
    ));
    Block {
        heading: "Shear".into(),
        clause: Some(s.clause),
        items,
        verdict: verdict(&r.checks, "shear"),
    }
}

fn torsion(beam: &Beam, r: &DesignResult) -> Option<Block> {
    let t = r.torsion.as_ref()?;
    let items = vec![
        step(
            "Equivalent shear",
            "Ve = Vu + 1.6 Tu / b (Cl 41.3.1)",
            format!(
                "{} + 1.6 · {} / {}",
                n(beam.vu()),
                n(beam.tu()),
                n(beam.width() / 1000.0)
            ),
            format!(
                "{} kN, τve = {} N/mm² ≤ τc,max = {}",
                n(t.ve),
                n(t.tau_ve),
                n(t.tau_c_max)
            ),
        ),
        step(
            "Equivalent moment",
            "Me1 = Mu + Mt, Mt = Tu (1 + D/b) / 1.7 (Cl 41.4.2)",
            format!("Mt = {} kN·m", n(t.mt)),
            format!("Me1 = {} kN·m, Me2 = {} kN·m", n(t.me1), n(t.me2)),
        ),
        step(
            "Stirrups and top steel",
            "Cl 41.4.3, 26.5.1.7; Me2 steel at the compression face (Cl 41.4.2.1)",
            format!("spacing {} mm", n(t.spacing_required)),
            format!("top steel {} mm²", n(t.top_steel_required)),
        ),
    ];
    Some(Block {
        heading: "Torsion".into(),
        clause: Some(t.clause),
        items,
        verdict: verdict(&r.checks, "torsion"),
    })
}

fn deflection(r: &DesignResult) -> Option<Block> {
    let s = r.serviceability.as_ref()?;
    let mut items = vec![step(
        "Span/effective depth",
        "allowed = basic × span factor × kt × kc × kf (Cl 23.2.1, Fig 4–6)",
        format!(
            "{} × {} × {} × {} × {}",
            n(s.basic_ratio),
            n(s.span_factor),
            n(s.kt),
            n(s.kc),
            n(s.kf)
        ),
        format!("{} ≥ actual {}", n(s.allowed_ratio), n(s.actual_ratio)),
    )];
    if let Some(c) = &s.calculated {
        let ms = if c.ms_assumed {
            format!("Ms = {} kN·m (assumed |Mu|/1.5)", n(c.ms))
        } else {
            format!("Ms = {} kN·m", n(c.ms))
        };
        items.push(step(
            "Short-term (Annex C-2)",
            "Ieff = Ir / (1.2 − (Mr/M)(z/d)(1 − x/d)(bw/b)); a = K M l² / (Ec Ieff)",
            format!("{ms}, Mr = {} kN·m, Ieff = {} mm⁴", n(c.mr), n(c.ieff)),
            format!("{} mm", n(c.short_term)),
        ));
        items.push(step(
            "Shrinkage and creep (C-3, C-4)",
            "k3 ψcs l²; creep under the permanent load with Ecc = Ec / (1 + θ)",
            format!("permanent share {}", n(c.permanent_fraction)),
            format!("{} mm + {} mm", n(c.shrinkage), n(c.creep)),
        ));
        items.push(step(
            "Calculated deflection (Cl 23.2 a, b)",
            "total ≤ span/250; after finishes ≤ span/350 and 20 mm",
            format!(
                "{} ≤ {}; {} ≤ {}",
                n(c.total),
                n(c.total_limit),
                n(c.after_finishes),
                n(c.after_finishes_limit)
            ),
            if c.governs {
                "decides the check (cantilever over 10 m)".into()
            } else {
                "reported; span/depth decides".into()
            },
        ));
    }
    Some(Block {
        heading: "Deflection".into(),
        clause: Some(s.clause),
        items,
        verdict: verdict(&r.checks, "deflection"),
    })
}

fn crack_width(r: &DesignResult) -> Option<Block> {
    let c = r.crack_width.as_ref()?;
    let rows = c
        .points
        .iter()
        .map(|p| {
            vec![
                p.location.replace('_', " "),
                n(p.acr),
                n(p.depth),
                n(p.width),
            ]
        })
        .collect();
    let items = vec![
        step(
            "Cracked section at Ms",
            "m = 280 / (3 σcbc); fs = m Ms (d − x) / Icr",
            format!(
                "Ms = {} kN·m{}, m = {}",
                n(c.ms),
                if c.ms_assumed { " (assumed)" } else { "" },
                n(c.m)
            ),
            format!("x = {} mm, fs = {} N/mm²", n(c.x), n(c.fs)),
        ),
        step(
            "Crack width (Annex F)",
            "Wcr = 3 acr εm / (1 + 2 (acr − Cmin)/(h − x))",
            "at the points below".into(),
            format!("{} mm (limit {} mm, Cl 35.3.2)", n(c.width), n(c.limit)),
        ),
        Item::Table(
            vec![
                "point".into(),
                "acr mm".into(),
                "depth mm".into(),
                "Wcr mm".into(),
            ],
            rows,
        ),
    ];
    Some(Block {
        heading: "Crack width".into(),
        clause: Some(c.clause),
        items,
        verdict: verdict(&r.checks, "crack_width"),
    })
}

fn stability(r: &DesignResult) -> Option<Block> {
    let s = r.stability.as_ref()?;
    Some(Block {
        heading: "Lateral stability".into(),
        clause: Some(s.clause),
        items: vec![step(
            "Clear distance between restraints",
            "≤ 60 b and 250 b²/d (25 b and 100 b²/d for a cantilever)",
            format!("{} mm", n(s.restraint_spacing)),
            format!("allowed {} mm", n(s.allowed_spacing)),
        )],
        verdict: verdict(&r.checks, "lateral_stability"),
    })
}

fn durability(r: &DesignResult) -> Block {
    let d = &r.durability;
    let mut items = vec![
        step(
            "Nominal cover",
            "Table 16 for the exposure (and Table 16A for fire); no bar larger than the cover",
            format!("{} exposure, largest bar {} mm", d.exposure, d.largest_bar),
            format!(
                "{} mm given, {} mm required",
                n(d.cover),
                n(d.cover_required)
            ),
        ),
        step(
            "Concrete grade",
            "Table 5 for the exposure",
            d.exposure.to_owned(),
            format!("M{} required", n(d.fck_required)),
        ),
    ];
    if let (Some(h), Some(w)) = (d.fire_rating, d.fire_min_width) {
        items.push(step(
            "Fire resistance",
            "Table 16A, Fig 1",
            format!("{} h", n(h)),
            format!("width at least {} mm", n(w)),
        ));
    }
    Block {
        heading: "Durability and fire".into(),
        clause: Some(d.clause),
        items,
        verdict: verdict(&r.checks, "cover"),
    }
}

fn detailing(r: &DesignResult) -> Block {
    let d = &r.detailing;
    let mut items = vec![
        step(
            "Development length",
            "Ld = φ σs / (4 τbd) (Cl 26.2.1)",
            "largest bar of each face".into(),
            format!(
                "{} mm in tension, {} mm in compression",
                d.ld_tension, d.ld_compression
            ),
        ),
        step(
            "Clear spacing of the tension bars",
            "between the least of Cl 26.3.2 and Table 15",
            format!(
                "{} ≤ s ≤ {}",
                n(d.min_clear_spacing),
                n(d.max_clear_spacing)
            ),
            format!("{} mm", n(d.bar_clear_spacing)),
        ),
    ];
    if let Some(sf) = &d.side_face {
        items.push(step(
            "Side-face steel",
            "0.1 % of the web area, each face, ≤ 300 mm apart (Cl 26.5.1.3)",
            format!("{} mm² required", n(sf.area_required)),
            sf.bars.clone(),
        ));
    }
    Block {
        heading: "Detailing".into(),
        clause: Some(d.clause),
        items,
        verdict: verdict(&r.checks, "detailing"),
    }
}

fn summary(r: &DesignResult) -> Block {
    let rows = r
        .checks
        .iter()
        .map(|c| {
            vec![
                c.check.replace('_', " "),
                c.clause.to_owned(),
                n(c.utilization),
                if c.passed { "ok" } else { "FAIL" }.to_owned(),
            ]
        })
        .collect();
    let mut items = vec![Item::Table(
        vec![
            "check".into(),
            "clause".into(),
            "utilization".into(),
            "".into(),
        ],
        rows,
    )];
    for f in &r.failed_checks {
        items.push(Item::Text(format!(
            "FAILED — {} ({}): {}",
            f.check.replace('_', " "),
            f.clause,
            f.message
        )));
    }
    for w in &r.warnings {
        items.push(Item::Text(format!("Warning: {w}")));
    }
    Block {
        heading: "Summary of checks".into(),
        clause: None,
        items,
        verdict: None,
    }
}

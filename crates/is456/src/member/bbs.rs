//! Bar bending schedule (docs/members.md, "Bar bending schedule"): every bar mark with its shape,
//! cut length (bend deductions and hooks), number and weight, and the weight by diameter.

use serde::Serialize;

use super::layout::{Face, Layout, Run};
use super::side_faces::SideFaces;
use super::stirrups::SpanStirrups;
use crate::build::up;

/// Bend deduction of a 90° bend, in bar diameters (the usual site rule, docs/members.md).
const BEND_90: f64 = 2.0;
/// Bend deduction of a 135° bend, in bar diameters.
const BEND_135: f64 = 3.0;
/// Density of steel, kg/m³.
const STEEL_DENSITY: f64 = 7850.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BbsRow {
    pub mark: String,
    /// Where the bar goes: `top continuous`, `bottom extra, span 2`, `stirrups, span 1`.
    pub location: String,
    /// `straight`, `L` (one 90° bend), `U` (two 90° bends) or `closed link` (135° hooks).
    pub shape: &'static str,
    pub dia: u32,
    pub count: u32,
    /// Cut length, mm, to the next 10 mm.
    pub cut_length: f64,
    /// kg/m.
    pub unit_weight: f64,
    /// kg.
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DiameterTotal {
    pub dia: u32,
    /// m.
    pub length: f64,
    /// kg.
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Bbs {
    pub rows: Vec<BbsRow>,
    pub by_diameter: Vec<DiameterTotal>,
    /// kg: the sum of the rows.
    pub total_weight: f64,
}

/// Mass of a bar per metre: π φ² / 4 × 7850 kg/m³ (≈ φ²/162), kg/m.
pub fn unit_weight(dia: u32) -> f64 {
    let phi = f64::from(dia);
    std::f64::consts::PI * phi * phi / 4.0 * STEEL_DENSITY / 1e6
}

/// Cut length of a longitudinal bar: its straight length and legs less 2φ for each 90° bend.
pub fn bar_cut_length(run: &Run) -> f64 {
    let bends = run.legs.iter().filter(|&&l| l > 0.0).count() as f64;
    let l = run.to - run.from + run.legs.iter().sum::<f64>() - bends * BEND_90 * f64::from(run.dia);
    up(l / 10.0, 0) * 10.0
}

/// Hook extension of a 135° link hook: 6φ, at least 65 mm (IS 456 Cl 26.2.2.4 b); in a ductile
/// member 8φ, at least 75 mm (IS 13920:2016 Cl 6.3.1 a as amended by its Amendment No. 1, 2017).
pub fn hook_extension(dia: u32, ductile: bool) -> f64 {
    let phi = f64::from(dia);
    if ductile {
        (8.0 * phi).max(75.0)
    } else {
        (6.0 * phi).max(65.0)
    }
}

/// Cut length of a closed link with 135° hooks round a section, outer dimensions (b − 2c) × (D − 2c):
/// 2 (A + B) + 2 hooks − three 90° bends − two 135° bends.
pub fn link_cut_length(width: f64, depth: f64, cover: f64, dia: u32, ductile: bool) -> f64 {
    let phi = f64::from(dia);
    let (a, b) = (width - 2.0 * cover, depth - 2.0 * cover);
    let hooks = 2.0 * hook_extension(dia, ductile);
    let l = 2.0 * (a + b) + hooks - 3.0 * BEND_90 * phi - 2.0 * BEND_135 * phi;
    up(l / 10.0, 0) * 10.0
}

fn shape_of(run: &Run) -> &'static str {
    match run.legs.iter().filter(|&&l| l > 0.0).count() {
        0 => "straight",
        1 => "L",
        _ => "U",
    }
}

/// The schedule of a member's bars (under the result's marks), side-face bars and stirrups.
/// `section` is (width, depth, cover, ductile); `span_of` names the span a global position is in.
pub(crate) fn schedule(
    layout: &Layout,
    marks: &super::Marks,
    side_faces: Option<&SideFaces>,
    stirrups: &[SpanStirrups],
    section: (f64, f64, f64, bool),
    span_of: impl Fn(f64) -> usize,
) -> Bbs {
    let mut rows = Vec::new();
    for face in [Face::Top, Face::Bottom] {
        let f = layout.face(face);
        let name = if face == Face::Top { "top" } else { "bottom" };
        for (k, run) in f.runs.iter().enumerate() {
            let location = if run.continuous {
                [name, " continuous"].concat()
            } else {
                let span = span_of((run.from + run.to) / 2.0) + 1;
                crate::text::numbered(&[name, " extra, span "].concat(), span)
            };
            rows.push(row(
                marks.of_run(face, k),
                location,
                shape_of(run),
                run.dia,
                run.count,
                bar_cut_length(run),
            ));
        }
    }
    if let Some(sf) = side_faces {
        // Both faces, each line of bars in its pieces.
        rows.push(row(
            "SF1".into(),
            "side faces".into(),
            "straight",
            sf.bars.dia,
            2 * sf.bars.per_face * sf.pieces,
            sf.piece_length,
        ));
    }
    let (width, depth, cover, ductile) = section;
    for (i, s) in stirrups.iter().enumerate() {
        let count = s.zones.iter().map(|z| z.count).sum::<u32>() + 1;
        let legs_sets = s.legs / 2;
        rows.push(row(
            crate::text::numbered("S", i + 1),
            crate::text::numbered("stirrups, span ", i + 1),
            "closed link",
            s.dia,
            count * legs_sets,
            link_cut_length(width, depth, cover, s.dia, ductile),
        ));
    }
    let mut by_diameter: Vec<DiameterTotal> = Vec::new();
    for r in &rows {
        let length = f64::from(r.count) * r.cut_length / 1e3;
        match by_diameter.iter_mut().find(|t| t.dia == r.dia) {
            Some(t) => {
                t.length += length;
                t.weight += r.weight;
            }
            None => by_diameter.push(DiameterTotal {
                dia: r.dia,
                length,
                weight: r.weight,
            }),
        }
    }
    by_diameter.sort_by_key(|t| t.dia);
    for t in &mut by_diameter {
        t.length = up(t.length, 2);
        t.weight = (t.weight * 100.0).round() / 100.0;
    }
    let total_weight = (rows.iter().map(|r| r.weight).sum::<f64>() * 100.0).round() / 100.0;
    Bbs {
        rows,
        by_diameter,
        total_weight,
    }
}

fn row(
    mark: String,
    location: String,
    shape: &'static str,
    dia: u32,
    count: u32,
    cut_length: f64,
) -> BbsRow {
    let unit = unit_weight(dia);
    BbsRow {
        mark,
        location,
        shape,
        dia,
        count,
        cut_length,
        unit_weight: (unit * 1000.0).round() / 1000.0,
        // Weights to 0.01 kg; the totals are sums of these.
        weight: (f64::from(count) * cut_length / 1e3 * unit * 100.0).round() / 100.0,
    }
}

/// The schedule as CSV (docs/members.md): one row per mark, then the totals by diameter.
pub fn to_csv(bbs: &Bbs, member: &str) -> String {
    let mut out = String::from(
        "member,mark,location,shape,dia_mm,count,cut_length_mm,unit_weight_kg_per_m,weight_kg\n",
    );
    for r in &bbs.rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            csv_cell(member),
            r.mark,
            csv_cell(&r.location),
            r.shape,
            r.dia,
            r.count,
            r.cut_length,
            r.unit_weight,
            r.weight
        ));
    }
    for t in &bbs.by_diameter {
        out.push_str(&format!(
            "{},total {}φ,,,{},,{},,{}\n",
            csv_cell(member),
            t.dia,
            t.dia,
            t.length * 1e3,
            t.weight
        ));
    }
    out.push_str(&format!(
        "{},total,,,,,,,{}\n",
        csv_cell(member),
        bbs.total_weight
    ));
    out
}

/// A CSV cell: quoted where needed, and never read as a formula by a spreadsheet.
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

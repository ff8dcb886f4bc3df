//! The sections of a member at each zone (left support, midspan, right support of every span), to
//! scale, with the bars present there and their marks, cut-marks on the elevation naming them.

use is456::member::result::MemberResult;
use is456::Member;

use crate::drafting::{
    dimension, n, BOTTOM_BARS, CONCRETE, DIMENSIONS, MARKS, SECTIONS, STIRRUPS, TEXT, TOP_BARS,
};
use crate::dxf::{Align, Dxf};

/// The drop from the elevation's soffit to the top of the sections: column stub, stirrup zones,
/// dimensions and the bottom bars' marks, mm.
const STUB_AND_MARKS: f64 = 600.0 + 16.0 * TEXT;
/// Text height on the sections, mm.
const SECTION_TEXT: f64 = 40.0;
/// Least clear distance between bars in a layer and between layers, mm (Cl 26.3.2).
const CLEAR: f64 = 25.0;

/// One group of bars present at a section: its mark, count and diameter.
struct Present<'a> {
    mark: &'a str,
    text: &'a str,
    count: u32,
    dia: f64,
}

/// Draws every section of the member below its elevation (soffit at `y0`); returns the lowest y used.
pub fn draw_all(dxf: &mut Dxf, member: &Member, r: &MemberResult, starts: &[f64], y0: f64) -> f64 {
    let (b, depth) = (member.section.width(), member.section.depth());
    let top = y0 - STUB_AND_MARKS;
    let pitch = b + 1400.0;
    let mut k = 0;
    let mut lowest = top;
    for (i, s) in r.spans.iter().enumerate() {
        for z in &s.zones {
            let name = section_name(k);
            let x_abs = starts[i] + z.x;
            // The cut-mark on the elevation.
            dxf.line(SECTIONS, (x_abs, y0 - 150.0), (x_abs, y0 + depth + 150.0));
            dxf.text(
                SECTIONS,
                (x_abs, y0 + depth + 200.0),
                0.8 * TEXT,
                &name,
                Align::Centre,
            );
            let origin = (k as f64 * pitch, top - depth);
            let stirrup_dia = s
                .stirrups
                .iter()
                .map(|z| f64::from(z.dia))
                .fold(8.0, f64::max);
            let bottom = one(dxf, member, r, (i, z.x, x_abs), origin, stirrup_dia);
            let title = format!("{name}-{name}  span {} {}", i + 1, z.zone.replace('_', " "));
            dxf.text(
                SECTIONS,
                (origin.0, top + 1.5 * SECTION_TEXT),
                1.5 * SECTION_TEXT,
                &title,
                Align::Left,
            );
            let mut y = bottom - 2.0 * SECTION_TEXT;
            for line in [z.top.as_str(), z.bottom.as_str(), z.stirrups.as_str()] {
                dxf.text(MARKS, (origin.0, y), SECTION_TEXT, line, Align::Left);
                y -= 1.6 * SECTION_TEXT;
            }
            lowest = lowest.min(y);
            k += 1;
        }
    }
    lowest
}

/// `A`, `B`, … `Z`, `AA`, …
fn section_name(k: usize) -> String {
    let letter = |i: usize| char::from(b'A' + (i % 26) as u8);
    if k < 26 {
        letter(k).to_string()
    } else {
        format!("{}{}", letter(k / 26 - 1), letter(k))
    }
}

/// One section with its lower left corner at `origin`; returns the lowest y of its drawing.
fn one(
    dxf: &mut Dxf,
    member: &Member,
    r: &MemberResult,
    at: (usize, f64, f64),
    origin: (f64, f64),
    stirrup: f64,
) -> f64 {
    let s = &member.section;
    let (b, depth, cover) = (s.width(), s.depth(), s.cover());
    let (ox, oy) = origin;
    dxf.rect(CONCRETE, ox, oy, b, depth);
    dxf.rect(
        STIRRUPS,
        ox + cover + stirrup / 2.0,
        oy + cover + stirrup / 2.0,
        b - 2.0 * cover - stirrup,
        depth - 2.0 * cover - stirrup,
    );
    for face in ["top", "bottom"] {
        let groups = present(r, face, at);
        let layer = if face == "top" { TOP_BARS } else { BOTTOM_BARS };
        let centres = layout(&groups, b, cover + stirrup);
        for (x, layer_no, dia) in centres {
            let from_face = cover + stirrup + dia / 2.0 + layer_no * (dia + CLEAR);
            let y = if face == "top" {
                oy + depth - from_face
            } else {
                oy + from_face
            };
            dxf.circle(layer, (ox + x, y), dia / 2.0);
        }
        let labels: Vec<String> = groups
            .iter()
            .map(|g| format!("{} {}", g.mark, g.text))
            .collect();
        let y = if face == "top" {
            oy + depth + 0.5 * SECTION_TEXT
        } else {
            oy - 1.5 * SECTION_TEXT
        };
        dxf.text(
            MARKS,
            (ox + b / 2.0, y),
            SECTION_TEXT,
            &labels.join(" + "),
            Align::Centre,
        );
    }
    dimension(
        dxf,
        (ox, ox + b),
        oy - 4.0 * SECTION_TEXT,
        &n(b),
        DIMENSIONS,
    );
    dxf.text(
        DIMENSIONS,
        (ox + b + 60.0, oy + depth / 2.0),
        SECTION_TEXT,
        &n(depth),
        Align::Left,
    );
    dxf.line(DIMENSIONS, (ox + b + 40.0, oy), (ox + b + 40.0, oy + depth));
    oy - 6.0 * SECTION_TEXT
}

/// The bar groups of a face present at a place (span, x in span, x along the member).
fn present<'a>(
    r: &'a MemberResult,
    face: &str,
    (_, _, x_abs): (usize, f64, f64),
) -> Vec<Present<'a>> {
    let mut starts = vec![0.0];
    for s in &r.spans {
        starts.push(starts.last().copied().unwrap_or(0.0) + s.length);
    }
    let abs = |span: usize, x: f64| starts.get(span).copied().unwrap_or(0.0) + x;
    r.bars
        .iter()
        .filter(|b| b.face == face)
        .filter(|b| {
            abs(b.start.span, b.start.x) - 1.0 <= x_abs && x_abs <= abs(b.end.span, b.end.x) + 1.0
        })
        .map(|b| Present {
            mark: &b.mark,
            text: &b.text,
            count: b.count,
            dia: f64::from(b.dia),
        })
        .collect()
}

/// Centres of the bars across the width: as many as fit in the first layer with 25 mm (or a bar
/// diameter) clear, the rest in a second layer. Returns (x, layer, diameter).
fn layout(groups: &[Present<'_>], b: f64, inset: f64) -> Vec<(f64, f64, f64)> {
    let dias: Vec<f64> = groups
        .iter()
        .flat_map(|g| std::iter::repeat_n(g.dia, g.count as usize))
        .collect();
    let Some(dia) = dias.iter().copied().reduce(f64::max) else {
        return Vec::new();
    };
    let clear = CLEAR.max(dia);
    let room = b - 2.0 * inset;
    let fits = (((room - dia) / (dia + clear)).floor() as usize + 1).max(2);
    let mut out = Vec::new();
    for (layer, chunk) in dias.chunks(fits).enumerate() {
        let n = chunk.len();
        for (i, d) in chunk.iter().enumerate() {
            let x = if n == 1 {
                b / 2.0
            } else {
                inset + dia / 2.0 + (room - dia) * i as f64 / (n - 1) as f64
            };
            out.push((x, layer as f64, *d));
        }
    }
    out
}

//! Drawings as shapes in millimetres (y downwards), which the report's HTML and PDF and the DXF writer
//! all draw; and the cross-section of a designed beam to scale: the concrete outline (with its
//! flange), the stirrup, every bar of the result's layers, and the dimensions.

use is456::result::{DesignResult, LayerResult};
use is456::Beam;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Role {
    Concrete,
    Stirrup,
    Tension,
    Compression,
    SideFace,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A closed outline.
    Polygon(Vec<(f64, f64)>, Role),
    /// A rectangle's outline: x, y, width, height.
    Outline(f64, f64, f64, f64, Role),
    /// A bar: centre, diameter.
    Bar(f64, f64, f64, Role),
    /// A label: position (centre), text.
    Label(f64, f64, String),
    /// A straight line from one point to another (a bar in elevation, a support face).
    Line(f64, f64, f64, f64, Role),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    /// Extent of the drawing: left, top, right, bottom, mm (labels included).
    pub bounds: (f64, f64, f64, f64),
    pub shapes: Vec<Shape>,
    /// Drawn across the page's whole width (an elevation), not half of it (a section).
    pub wide: bool,
}

/// The bars of one layer across the width, the larger diameter at the corners (as the page draws).
fn layer_bars(
    l: &LayerResult,
    face_y: f64,
    sign: f64,
    inner: f64,
    b: f64,
    role: Role,
) -> Vec<Shape> {
    let mut dias: Vec<f64> = Vec::new();
    let (big, small) = match l.bars.as_slice() {
        [one] => (*one, None),
        [a, b, ..] => (*a, Some(*b)),
        [] => return Vec::new(),
    };
    let count = big.count + small.map_or(0, |s| s.count);
    dias.resize(
        count as usize,
        small.map_or(f64::from(big.dia), |s| f64::from(s.dia)),
    );
    let (mut placed, mut k) = (0, 0);
    while placed + 1 < big.count {
        dias[k] = f64::from(big.dia);
        dias[count as usize - 1 - k] = f64::from(big.dia);
        placed += 2;
        k += 1;
    }
    if placed < big.count {
        dias[count as usize / 2] = f64::from(big.dia);
    }
    let max = dias.iter().copied().fold(0.0, f64::max);
    let (left, right) = (inner + max / 2.0, b - inner - max / 2.0);
    let n = dias.len();
    dias.iter()
        .enumerate()
        .map(|(i, &dia)| {
            let x = if n == 1 {
                b / 2.0
            } else {
                left + (right - left) * i as f64 / (n - 1) as f64
            };
            Shape::Bar(x, face_y + sign * l.y, dia, role)
        })
        .collect()
}

pub fn section(beam: &Beam, r: &DesignResult) -> Drawing {
    let (b, d_total, cover) = (beam.width(), beam.depth(), beam.cover());
    let stirrup = f64::from(r.shear.stirrup_dia);
    let mut shapes = Vec::new();
    let (bf, df) = (r.flexure.bf.unwrap_or(b), r.flexure.df.unwrap_or(0.0));
    let flange_left = if beam.section().as_str() == "L" {
        0.0
    } else {
        (b - bf) / 2.0
    };
    let outline = if df > 0.0 {
        vec![
            (flange_left, 0.0),
            (flange_left + bf, 0.0),
            (flange_left + bf, df),
            (b, df),
            (b, d_total),
            (0.0, d_total),
            (0.0, df),
            (flange_left, df),
        ]
    } else {
        vec![(0.0, 0.0), (b, 0.0), (b, d_total), (0.0, d_total)]
    };
    shapes.push(Shape::Polygon(outline, Role::Concrete));
    let half = stirrup / 2.0;
    shapes.push(Shape::Outline(
        cover + half,
        cover + half,
        b - 2.0 * cover - stirrup,
        d_total - 2.0 * cover - stirrup,
        Role::Stirrup,
    ));
    let inner = cover + stirrup;
    let hogging = r.flexure.tension_face == "top";
    let (t_face, t_sign, c_face, c_sign) = if hogging {
        (0.0, 1.0, d_total, -1.0)
    } else {
        (d_total, -1.0, 0.0, 1.0)
    };
    for l in &r.detailing.tension_layers {
        shapes.extend(layer_bars(l, t_face, t_sign, inner, b, Role::Tension));
    }
    for l in &r.detailing.compression_layers {
        shapes.extend(layer_bars(l, c_face, c_sign, inner, b, Role::Compression));
    }
    if let Some(side) = &r.detailing.side_face {
        let dia = f64::from(side.dia);
        let (y0, y1) = (inner + 25.0, d_total - inner - 25.0);
        for i in 1..=side.per_face {
            let y = y0 + (y1 - y0) * f64::from(i) / f64::from(side.per_face + 1);
            for x in [inner + dia / 2.0, b - inner - dia / 2.0] {
                shapes.push(Shape::Bar(x, y, dia, Role::SideFace));
            }
        }
    }
    let left = flange_left.min(0.0);
    let right = (flange_left + bf).max(b);
    let gap = 0.08 * (right - left).max(d_total);
    shapes.push(Shape::Label(
        b / 2.0,
        d_total + gap,
        format!("b = {} mm", b),
    ));
    shapes.push(Shape::Label(
        right + gap,
        d_total / 2.0,
        format!("D = {} mm", d_total),
    ));
    if df > 0.0 {
        shapes.push(Shape::Label(
            flange_left + bf / 2.0,
            -gap,
            format!("bf = {} mm, Df = {} mm", bf, df),
        ));
    }
    Drawing {
        bounds: (
            left - gap,
            -2.0 * gap,
            right + 3.0 * gap,
            d_total + 2.0 * gap,
        ),
        shapes,
        wide: false,
    }
}

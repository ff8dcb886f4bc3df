//! The section in service, elastic (Annex C, Annex F): the gross section, and the cracked section with
//! the steel transformed by a modular ratio. Compression steel is left out of the cracked section,
//! which puts the neutral axis lower and the steel stress higher: on the side of larger cracks and
//! deflections. Units: N, mm.

use crate::flexure::Shape;

/// The gross concrete section, reinforcement neglected (Annex C-2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gross {
    /// Moment of inertia about the centroid, mm⁴.
    pub inertia: f64,
    /// Distance from the centroid to the extreme fibre in tension, mm.
    pub yt: f64,
}

/// A web `bw` × `depth` with, when given, a flange `bf` × `df` at the top; `tension_at_top` for a
/// hogging moment.
pub fn gross(bw: f64, depth: f64, flange: Option<(f64, f64)>, tension_at_top: bool) -> Gross {
    // Rectangles (width, height, depth of their top), summed about the top face.
    let mut parts = vec![(bw, depth, 0.0)];
    if let Some((bf, df)) = flange.filter(|&(bf, _)| bf > bw) {
        parts.push((bf - bw, df, 0.0));
    }
    let area: f64 = parts.iter().map(|(b, h, _)| b * h).sum();
    let centroid = parts
        .iter()
        .map(|(b, h, top)| b * h * (top + h / 2.0))
        .sum::<f64>()
        / area;
    let inertia = parts
        .iter()
        .map(|(b, h, top)| b * h.powi(3) / 12.0 + b * h * (top + h / 2.0 - centroid).powi(2))
        .sum();
    Gross {
        inertia,
        yt: if tension_at_top {
            centroid
        } else {
            depth - centroid
        },
    }
}

/// The cracked section under a moment: neutral axis depth `x` from the compression face and the
/// moment of inertia of the transformed section, mm and mm⁴.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cracked {
    pub x: f64,
    pub inertia: f64,
}

/// First moment (about the neutral axis at depth x) and moment of inertia of the concrete above it.
fn compression_zone(shape: Shape, x: f64) -> (f64, f64) {
    let mut first = shape.bf * x * x / 2.0;
    let mut second = shape.bf * x.powi(3) / 3.0;
    if shape.is_flanged() && x > shape.df {
        let below = x - shape.df;
        first -= (shape.bf - shape.bw) * below * below / 2.0;
        second -= (shape.bf - shape.bw) * below.powi(3) / 3.0;
    }
    (first, second)
}

/// The cracked section with tension steel `ast` at depth `d` and modular ratio `m`: the neutral axis
/// balances the first moments, b x²/2 = m As (d − x) with the flange's overhang taken off below Df,
/// which is a quadratic either way.
pub fn cracked(shape: Shape, d: f64, ast: f64, m: f64) -> Cracked {
    let steel = m * ast;
    // In the flange (or a rectangle): (bf/2) x² + mAs x − mAs d = 0.
    let mut x = positive_root(shape.bf / 2.0, steel, -steel * d);
    if shape.is_flanged() && x > shape.df {
        // In the web: (bw/2) x² + ((bf − bw) Df + mAs) x − ((bf − bw) Df²/2 + mAs d) = 0.
        let over = shape.bf - shape.bw;
        x = positive_root(
            shape.bw / 2.0,
            over * shape.df + steel,
            -(over * shape.df * shape.df / 2.0 + steel * d),
        );
    }
    let x = x.clamp(0.0, d);
    let (_, concrete) = compression_zone(shape, x);
    Cracked {
        x,
        inertia: concrete + steel * (d - x).powi(2),
    }
}

/// The positive root of a x² + b x + c = 0 (a > 0, c ≤ 0), in the form that stays accurate when b²
/// dwarfs a c.
fn positive_root(a: f64, b: f64, c: f64) -> f64 {
    let disc = (b * b - 4.0 * a * c).max(0.0).sqrt();
    if b + disc > 0.0 {
        -2.0 * c / (b + disc)
    } else {
        0.0
    }
}

/// Short-term modulus of concrete Ec = 5000 √fck, N/mm² (Cl 6.2.3.1).
pub fn ec(fck: f64) -> f64 {
    5000.0 * fck.sqrt()
}

/// Flexural strength fcr = 0.7 √fck, N/mm² (Cl 6.2.2).
pub fn fcr(fck: f64) -> f64 {
    0.7 * fck.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rectangle_by_hand() {
        // 300 × 600, As 1256 at d 550, m 8.94 (the example of docs/engine.md): b x²/2 = m As (d − x).
        let c = cracked(Shape::rectangle(300.0), 550.0, 1256.0, 8.94);
        assert!((c.x - 168.9).abs() < 0.2, "{}", c.x);
        assert!((c.inertia / 2.1126e9 - 1.0).abs() < 2e-3, "{}", c.inertia);
        let g = gross(300.0, 600.0, None, false);
        assert!((g.inertia - 300.0 * 600f64.powi(3) / 12.0).abs() < 1.0);
        assert_eq!(g.yt, 300.0);
    }

    #[test]
    fn the_neutral_axis_balances_first_moments() {
        for (shape, ast) in [
            (Shape::rectangle(300.0), 1256.0),
            (Shape::flanged(300.0, 1500.0, 120.0), 1256.0),
            (Shape::flanged(250.0, 800.0, 80.0), 4000.0),
        ] {
            let c = cracked(shape, 550.0, ast, 10.0);
            let (first, _) = compression_zone(shape, c.x);
            assert!(
                (first - 10.0 * ast * (550.0 - c.x)).abs() < 1e-6 * first,
                "{shape:?}"
            );
        }
    }

    #[test]
    fn a_t_section_is_stiffer_than_its_web() {
        let web = gross(300.0, 600.0, None, false);
        let tee = gross(300.0, 600.0, Some((1500.0, 120.0)), false);
        assert!(tee.inertia > web.inertia);
        assert!(tee.yt > 300.0);
        let hog = gross(300.0, 600.0, Some((1500.0, 120.0)), true);
        assert!((hog.yt + tee.yt - 600.0).abs() < 1e-9);
    }
}

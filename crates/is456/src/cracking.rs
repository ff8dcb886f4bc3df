//! Crack width at the service moment (Annex F, with its tension-stiffening term) against the limits of
//! Cl 35.3.2. Units: N, mm.
//!
//! Wcr = 3 acr εm / (1 + 2 (acr − Cmin)/(h − x)), εm = ε1 − b (h − x)(a′ − x) / (3 Es As (d − x)),
//! where ε1 is the strain at the level a′ considered, from the cracked section with the modular ratio
//! m = 280 / (3 σcbc) of Annex B-1.3 (d), which allows for creep under sustained service load.

use crate::elastic;
use crate::flexure::Shape;
use crate::input::Exposure;
use crate::tables::ES;

/// The permissible compressive stress in bending σcbc, N/mm² (Table 21): M15 5.0 … M50 16.0; above
/// M50, 0.3 fck + 1, the table's own trend.
pub fn sigma_cbc(fck: f64) -> f64 {
    const TABLE: [(f64, f64); 8] = [
        (15.0, 5.0),
        (20.0, 7.0),
        (25.0, 8.5),
        (30.0, 10.0),
        (35.0, 11.5),
        (40.0, 13.0),
        (45.0, 14.5),
        (50.0, 16.0),
    ];
    if fck >= 50.0 {
        return 0.3 * fck + 1.0;
    }
    // Between grades, the lower grade's value: never more than the table allows.
    TABLE
        .iter()
        .rev()
        .find(|(grade, _)| *grade <= fck + 1e-9)
        .map_or(TABLE[0].1, |&(_, s)| s)
}

/// The modular ratio for service stresses, m = 280 / (3 σcbc) (Annex B-1.3 d).
pub fn modular_ratio(fck: f64) -> f64 {
    280.0 / (3.0 * sigma_cbc(fck))
}

/// The surface crack width allowed (Cl 35.3.2): 0.3 mm (mild), 0.2 mm (moderate), 0.1 mm (severe and
/// worse).
pub fn limit(exposure: Exposure) -> f64 {
    match exposure {
        Exposure::Mild => 0.3,
        Exposure::Moderate => 0.2,
        _ => 0.1,
    }
}

/// The section and bars in tension, as built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrackInput {
    /// The concrete in compression.
    pub shape: Shape,
    /// Total depth h, mm.
    pub h: f64,
    pub d: f64,
    /// Tension steel, mm².
    pub ast: f64,
    /// Diameter of the largest bar of the outer tension layer, mm.
    pub dia: f64,
    /// Centre-to-centre spacing of the bars of the outer tension layer, mm.
    pub spacing: f64,
    /// Clear cover to the main bars Cmin, mm.
    pub cmin: f64,
    /// Service moment, N·mm.
    pub ms: f64,
    /// Modular ratio of the cracked section ([`modular_ratio`] for this engine's designs).
    pub m: f64,
}

/// The crack width at one point of the surface.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrackPoint {
    /// `tension_face` (midway between bars), `corner`, or `side_face`.
    pub location: &'static str,
    /// Distance to the surface of the nearest bar, mm.
    pub acr: f64,
    /// Depth of the point from the compression face, mm.
    pub a_prime: f64,
    pub width: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CrackWidth {
    /// Neutral axis depth of the cracked section, mm.
    pub x: f64,
    /// Steel stress at service, N/mm².
    pub fs: f64,
    pub m: f64,
    pub points: Vec<CrackPoint>,
}

impl CrackWidth {
    /// The largest width of the points, mm.
    pub fn max(&self) -> f64 {
        self.points.iter().map(|p| p.width).fold(0.0, f64::max)
    }
}

/// Annex F at the tension face midway between bars, at the corner, and on the side face (the worst
/// of ten levels from the steel towards the neutral axis).
pub fn crack_width(c: &CrackInput) -> CrackWidth {
    let m = c.m;
    let section = elastic::cracked(c.shape, c.d, c.ast, m);
    let x = section.x;
    let fs = m * c.ms * (c.d - x) / section.inertia.max(1.0);
    let width = |acr: f64, a_prime: f64| {
        let eps1 = fs / ES * (a_prime - x) / (c.d - x);
        let stiffening = c.shape.bw * (c.h - x) * (a_prime - x) / (3.0 * ES * c.ast * (c.d - x));
        let eps_m = (eps1 - stiffening).max(0.0);
        let acr = acr.max(0.0);
        3.0 * acr * eps_m / (1.0 + 2.0 * (acr - c.cmin).max(0.0) / (c.h - x))
    };
    // The centre of the outer bars from the tension face, and from the side face at the corner.
    let centre = c.cmin + c.dia / 2.0;
    let between = ((c.spacing / 2.0).powi(2) + centre.powi(2)).sqrt() - c.dia / 2.0;
    let corner = (2.0 * centre * centre).sqrt() - c.dia / 2.0;
    let mut points = Vec::with_capacity(3);
    points.push(CrackPoint {
        location: "tension_face",
        acr: between,
        a_prime: c.h,
        width: width(between, c.h),
    });
    points.push(CrackPoint {
        location: "corner",
        acr: corner,
        a_prime: c.h,
        width: width(corner, c.h),
    });
    // On the side face, from the level of the bars up towards (not at) the neutral axis.
    let bar_level = c.h - centre;
    let side = (0..10)
        .map(|i| {
            let a_prime = bar_level - (bar_level - x) * f64::from(i) / 10.0;
            let acr = (centre.powi(2) + (bar_level - a_prime).powi(2)).sqrt() - c.dia / 2.0;
            CrackPoint {
                location: "side_face",
                acr,
                a_prime,
                width: width(acr, a_prime),
            }
        })
        .fold(None::<CrackPoint>, |worst, p| match worst {
            Some(w) if w.width >= p.width => Some(w),
            _ => Some(p),
        });
    points.extend(side);
    CrackWidth { x, fs, m, points }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigma_cbc_follows_table_21() {
        assert_eq!(sigma_cbc(20.0), 7.0);
        assert_eq!(sigma_cbc(25.0), 8.5);
        assert_eq!(sigma_cbc(27.0), 8.5);
        assert_eq!(sigma_cbc(60.0), 19.0);
        assert!((modular_ratio(25.0) - 10.98).abs() < 0.01);
    }

    #[test]
    fn grows_with_the_service_moment() {
        let at = |ms: f64| {
            crack_width(&CrackInput {
                shape: Shape::rectangle(300.0),
                h: 600.0,
                d: 540.0,
                ast: 1473.0,
                dia: 25.0,
                spacing: 95.0,
                cmin: 38.0,
                ms,
                m: modular_ratio(25.0),
            })
            .max()
        };
        assert!(at(100e6) < at(150e6));
        assert!(at(150e6) < at(200e6));
    }
}

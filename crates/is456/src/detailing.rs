//! Detailing: clear spacing, development length and side-face steel (Cl 26). Units: mm. The bars
//! themselves are chosen in [`crate::bars`].

use crate::tables::{bar_area, tau_bd_plain};

/// The least tension steel as a share of b d: Ast,min = 0.85 b d / fy (Cl 26.5.1.1 a).
pub fn least_tension_ratio(fy: f64) -> f64 {
    0.85 / fy
}

/// The least steel of each face of a ductile beam as a share of b d: 0.24 √fck / fy (IS 13920:2016
/// Cl 6.2.1 b).
pub fn ductile_least_ratio(fck: f64, fy: f64) -> f64 {
    0.24 * fck.sqrt() / fy
}

/// Clear horizontal distance between bars: at least the bar diameter and aggregate + 5 mm (Cl 26.3.2 a).
pub fn horizontal_gap(dia: u32, aggregate: f64) -> f64 {
    f64::from(dia).max(aggregate + 5.0)
}

/// Clear vertical distance between layers: at least 15 mm, 2/3 of the aggregate and the bar diameter
/// (Cl 26.3.2 b).
pub fn vertical_gap(dia: u32, aggregate: f64) -> f64 {
    15f64.max(2.0 * aggregate / 3.0).max(f64::from(dia))
}

/// The most bars of `dia` that fit across `clear_width` (inside the stirrups) with the gaps of 26.3.2 a.
pub fn max_per_layer(dia: u32, clear_width: f64, aggregate: f64) -> u32 {
    let gap = horizontal_gap(dia, aggregate);
    let n = ((clear_width + gap) / (f64::from(dia) + gap) + 1e-9).floor();
    if n < 0.0 {
        0
    } else {
        n as u32
    }
}

/// True for high-yield deformed bars (every grade above Fe250), whose bond stress is 60 % higher
/// (Cl 26.2.1.1).
pub fn is_deformed(fy: f64) -> bool {
    fy > 250.0
}

/// Development length Ld = φ σs / (4 τbd) with σs = 0.87 fy (Cl 26.2.1); τbd from 26.2.1.1, +60 % for
/// deformed bars, +25 % in compression.
pub fn development_length(dia: u32, fck: f64, fy: f64, compression: bool) -> f64 {
    let mut tau_bd = tau_bd_plain(fck);
    if is_deformed(fy) {
        tau_bd *= 1.6;
    }
    if compression {
        tau_bd *= 1.25;
    }
    f64::from(dia) * 0.87 * fy / (4.0 * tau_bd)
}

/// Longitudinal bars on each side face.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SideFace {
    pub dia: u32,
    pub per_face: u32,
    /// Total area required on both faces, mm².
    pub area_required: f64,
    /// Total area provided on both faces, mm².
    pub area_provided: f64,
    /// Spacing over the depth between the top and bottom bars, mm.
    pub spacing: f64,
}

/// Side-face bars (Cl 26.5.1.3): 0.1 % of the web area b·D in total, equally on the two faces, at a
/// spacing of at most 300 mm and the web thickness, over the height `height` between the top and
/// bottom bars.
pub fn side_face(b: f64, big_d: f64, height: f64) -> SideFace {
    let area_required = 0.001 * b * big_d;
    let s_max = b.min(300.0);
    let mut per_face = (((height / s_max) - 1e-9).ceil() as u32)
        .saturating_sub(1)
        .max(1);
    loop {
        for dia in [10, 12, 16, 20] {
            let area_provided = 2.0 * f64::from(per_face) * bar_area(dia);
            if area_provided >= area_required {
                return SideFace {
                    dia,
                    per_face,
                    area_required,
                    area_provided,
                    spacing: height / f64::from(per_face + 1),
                };
            }
        }
        per_face += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps() {
        assert_eq!(horizontal_gap(16, 20.0), 25.0);
        assert_eq!(horizontal_gap(32, 20.0), 32.0);
        assert_eq!(vertical_gap(12, 20.0), 15.0);
        assert_eq!(vertical_gap(12, 30.0), 20.0);
        assert_eq!(vertical_gap(25, 20.0), 25.0);
    }

    #[test]
    fn bars_per_layer() {
        // 224 mm inside 8 mm stirrups: 16 mm bars with 25 mm gaps: 6·16 + 5·25 = 221 fits.
        assert_eq!(max_per_layer(16, 224.0, 20.0), 6);
        // 20 mm bars: 6·20 + 5·25 = 245 > 224.
        assert_eq!(max_per_layer(20, 224.0, 20.0), 5);
        assert_eq!(max_per_layer(36, 60.0, 20.0), 1);
    }

    #[test]
    fn development_lengths() {
        assert!((development_length(16, 25.0, 500.0, false) - 776.8).abs() < 0.1);
        assert!((development_length(16, 25.0, 500.0, true) - 621.4).abs() < 0.1);
        // Plain mild steel: no 60 % increase.
        assert!((development_length(16, 20.0, 250.0, false) - 16.0 * 217.5 / 4.8).abs() < 1e-9);
    }

    #[test]
    fn side_face_bars() {
        let s = side_face(300.0, 900.0, 780.0);
        assert!(s.area_provided >= 270.0);
        assert!(s.spacing <= 300.0);
        let s = side_face(200.0, 1600.0, 1480.0);
        assert!(s.spacing <= 200.0);
        assert!(s.area_provided >= 320.0);
    }
}

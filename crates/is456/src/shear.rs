//! Shear: nominal and design shear stresses and vertical stirrups (Cl 40, 26.5.1.5, 26.5.1.6).
//! Units: N, mm.

use crate::tables;

/// Stirrup spacings are detailed in steps of this many mm, always rounded down.
pub const SPACING_STEP: f64 = 25.0;
/// The smallest spacing that can be built and concreted properly, mm.
pub const MIN_SPACING: f64 = 75.0;
/// Upper limit on stirrup spacing, mm (Cl 26.5.1.5).
pub const MAX_SPACING: f64 = 300.0;

/// Stresses on a section, N/mm², and the shear the stirrups must carry, N.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShearDemand {
    /// Nominal shear stress τv = Vu / (b d) (Cl 40.1).
    pub tau_v: f64,
    /// Design shear strength of concrete for the tension steel provided (Table 19).
    pub tau_c: f64,
    /// Maximum shear stress (Table 20).
    pub tau_c_max: f64,
    /// Vus = Vu − τc b d when positive (Cl 40.4).
    pub vus: f64,
}

/// Shear stresses for a factored shear `vu` (N) on b × d with `pt` percent of tension steel provided.
pub fn demand(b: f64, d: f64, vu: f64, pt: f64, fck: f64) -> ShearDemand {
    let tau_c = tables::tau_c(fck, pt);
    ShearDemand {
        tau_v: vu / (b * d),
        tau_c,
        tau_c_max: tables::tau_c_max(fck),
        vus: (vu - tau_c * b * d).max(0.0),
    }
}

/// IS 13920:2016 Cl 6.3.4: a ductile beam's shear capacity counts no concrete; the stirrups carry
/// all of `vu` (N). τc,max (Table 20) still bounds the section.
pub fn without_concrete(demand: &mut ShearDemand, vu: f64) {
    demand.tau_c = 0.0;
    demand.vus = vu;
}

/// Spacing at which `asv` (all legs, mm²) is the minimum shear reinforcement,
/// Asv / (b sv) ≥ 0.4 / (0.87 fy), with fy taken at most 415 N/mm² (Cl 26.5.1.6).
pub fn minimum_steel_spacing(b: f64, asv: f64, fy_sv: f64) -> f64 {
    0.87 * fy_sv.min(415.0) * asv / (0.4 * b)
}

/// Enhanced shear strength near a support (Cl 40.5.1): where a concentrated load acts at `av` < 2d
/// from the support face, τc becomes 2d τc / av, never more than τc,max, and Vus follows. Returns the
/// factor applied, or `None` where the clause does not apply.
pub fn enhance(demand: &mut ShearDemand, b: f64, d: f64, vu: f64, av: f64) -> Option<f64> {
    if av <= 0.0 || av >= 2.0 * d {
        return None;
    }
    let factor = 2.0 * d / av;
    demand.tau_c = (demand.tau_c * factor).min(demand.tau_c_max);
    demand.vus = (vu - demand.tau_c * b * d).max(0.0);
    Some(factor)
}

/// Largest stirrup spacing the code allows for vertical stirrups of area `asv` carrying `vus`:
/// strength sv = 0.87 fy Asv d / Vus (Cl 40.4 a), the minimum steel of 26.5.1.6, and 0.75 d and 300 mm
/// (Cl 26.5.1.5).
pub fn spacing_required(b: f64, d: f64, vus: f64, asv: f64, fy_sv: f64) -> f64 {
    let mut sv = minimum_steel_spacing(b, asv, fy_sv)
        .min(0.75 * d)
        .min(MAX_SPACING);
    if vus > 0.0 {
        sv = sv.min(0.87 * fy_sv * asv * d / vus);
    }
    sv
}

/// The spacing to build: the required one rounded down to a multiple of 25 mm, never up; `None` when
/// that is below 75 mm.
pub fn spacing_provided(required: f64) -> Option<u32> {
    // The tiny allowance keeps 175.0 − 1e-13 (a floating-point shadow of 175) from becoming 150.
    let steps = ((required + 1e-9) / SPACING_STEP).floor();
    let sv = steps * SPACING_STEP;
    (sv >= MIN_SPACING).then_some(sv as u32)
}

/// Shear capacity of the section with stirrups `asv` at `sv`: τc b d + 0.87 fy Asv d / sv, never more
/// than τc,max b d (Cl 40.2.3, 40.4 a), N.
pub fn capacity(b: f64, d: f64, demand: &ShearDemand, asv: f64, fy_sv: f64, sv: f64) -> f64 {
    let vc = demand.tau_c * b * d;
    (vc + 0.87 * fy_sv * asv * d / sv).min(demand.tau_c_max * b * d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::bar_area;

    #[test]
    fn verification_pack_vp04() {
        let dem = demand(230.0, 450.0, 150e3, 1.0, 20.0);
        assert!((dem.tau_v - 1.4493).abs() < 1e-4);
        assert!((dem.vus / 1e3 - 85.83).abs() < 0.01);
        let asv = 2.0 * bar_area(8);
        let req = spacing_required(230.0, 450.0, dem.vus, asv, 415.0);
        assert!((req - 190.3).abs() < 0.5);
        assert_eq!(spacing_provided(req), Some(175));
    }

    #[test]
    fn spacing_is_rounded_down_never_up() {
        assert_eq!(spacing_provided(199.99), Some(175));
        assert_eq!(spacing_provided(200.0), Some(200));
        assert_eq!(spacing_provided(174.9999999999), Some(175));
        assert_eq!(spacing_provided(99.0), Some(75));
        assert_eq!(spacing_provided(74.9), None);
        assert_eq!(spacing_provided(310.0), Some(300));
    }

    #[test]
    fn minimum_steel_takes_fy_at_most_415() {
        let asv = 2.0 * bar_area(8);
        assert_eq!(
            minimum_steel_spacing(300.0, asv, 500.0),
            minimum_steel_spacing(300.0, asv, 415.0)
        );
        assert_eq!(spacing_required(300.0, 450.0, 0.0, asv, 500.0), 300.0);
        assert_eq!(spacing_required(300.0, 200.0, 0.0, asv, 500.0), 150.0);
    }

    #[test]
    fn capacity_is_capped_at_tau_c_max() {
        let dem = demand(230.0, 450.0, 150e3, 1.0, 20.0);
        let asv = 2.0 * bar_area(12);
        let cap = capacity(230.0, 450.0, &dem, asv, 415.0, 1.0);
        assert_eq!(cap, 2.8 * 230.0 * 450.0);
    }
}

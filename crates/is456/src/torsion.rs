//! Torsion: equivalent shear and moment, and closed stirrups (Cl 41, 26.5.1.7). Units: N, mm.

use crate::shear::MAX_SPACING;

/// Equivalent actions for combined bending, shear and torsion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TorsionDemand {
    /// The torsion acting with the moment where less than Tu (a member's midspan zone), N·mm: Mt,
    /// Me1 and Me2 are worked out from it.
    pub tu_with_mu: Option<f64>,
    /// Mt = Tu (1 + D/b) / 1.7, N·mm (Cl 41.4.2), with the torsion acting with the moment.
    pub mt: f64,
    /// Me1 = Mu + Mt, N·mm (Cl 41.4.2).
    pub me1: f64,
    /// Me2 = Mt − Mu when Mt > Mu, else 0, N·mm: to be resisted at the compression face (Cl 41.4.2.1).
    pub me2: f64,
    /// Ve = Vu + 1.6 Tu / b, N (Cl 41.3.1).
    pub ve: f64,
    /// τve = Ve / (b d), N/mm² (Cl 41.3.1).
    pub tau_ve: f64,
}

/// Equivalent moment and shear for `mu` (N·mm), `vu` (N) and `tu` (N·mm) on b × D with depth d
/// (Cl 41.3.1, 41.4.2). The moment takes the torsion `tu_with_mu` (N·mm) that acts with it: `tu` at
/// one section; less in a member's midspan zone, whose stirrups carry the middle's largest torsion.
pub fn demand(
    mu: f64,
    vu: f64,
    tu_with_mu: f64,
    tu: f64,
    b: f64,
    big_d: f64,
    d: f64,
) -> TorsionDemand {
    let mt = tu_with_mu * (1.0 + big_d / b) / 1.7;
    let ve = vu + 1.6 * tu / b;
    TorsionDemand {
        tu_with_mu: (tu_with_mu < tu).then_some(tu_with_mu),
        mt,
        me1: mu + mt,
        me2: (mt - mu).max(0.0),
        ve,
        tau_ve: ve / (b * d),
    }
}

/// Dimensions of the closed stirrup and its corner bars, mm (Cl 41.4.3, 26.5.1.7).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hoop {
    /// Centre-to-centre distance between corner bars across the width.
    pub b1: f64,
    /// Centre-to-centre distance between corner bars over the depth.
    pub d1: f64,
    /// Short dimension of the stirrup (centre lines).
    pub x1: f64,
    /// Long dimension of the stirrup (centre lines).
    pub y1: f64,
}

impl Hoop {
    /// The hoop of a b × D section with clear `cover` to a stirrup of `stirrup` mm, bottom bars of
    /// `bottom` mm and top bars of `top` mm.
    pub fn new(b: f64, big_d: f64, cover: f64, stirrup: f64, bottom: f64, top: f64) -> Hoop {
        let (x, y) = (b - 2.0 * cover - stirrup, big_d - 2.0 * cover - stirrup);
        Hoop {
            b1: b - 2.0 * (cover + stirrup) - bottom.max(top),
            d1: big_d - 2.0 * (cover + stirrup) - 0.5 * (bottom + top),
            x1: x.min(y),
            y1: x.max(y),
        }
    }
}

/// Largest spacing of closed stirrups for torsion (Cl 41.4.3, 26.5.1.7 a):
/// Asv = Tu sv / (b1 d1 0.87 fy) + Vu sv / (2.5 d1 0.87 fy) with `asv_hoop` the two legs of the hoop,
/// Asv ≥ (τve − τc) b sv / (0.87 fy) with `asv_all` every leg, and sv ≤ min(x1, (x1 + y1)/4, 300 mm).
#[allow(clippy::too_many_arguments)]
pub fn spacing_required(
    tu: f64,
    vu: f64,
    hoop: &Hoop,
    asv_hoop: f64,
    asv_all: f64,
    tau_ve: f64,
    tau_c: f64,
    b: f64,
    fy_sv: f64,
) -> f64 {
    let fyd = 0.87 * fy_sv;
    let mut sv = hoop.x1.min((hoop.x1 + hoop.y1) / 4.0).min(MAX_SPACING);
    let per_mm = tu / (hoop.b1 * hoop.d1) + vu / (2.5 * hoop.d1);
    if per_mm > 0.0 {
        sv = sv.min(asv_hoop * fyd / per_mm);
    }
    if tau_ve > tau_c {
        sv = sv.min(asv_all * fyd / ((tau_ve - tau_c) * b));
    }
    sv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_actions() {
        // b 300, D 600, Mu 100 kN·m, Vu 80 kN, Tu 20 kN·m.
        let t = demand(100e6, 80e3, 20e6, 20e6, 300.0, 600.0, 550.0);
        assert!((t.mt - 20e6 * 3.0 / 1.7).abs() < 1.0);
        assert!((t.me1 - (100e6 + t.mt)).abs() < 1e-6);
        assert_eq!(t.me2, 0.0);
        assert!((t.ve - (80e3 + 1.6 * 20e6 / 300.0)).abs() < 1e-9);
        assert!((t.tau_ve - t.ve / (300.0 * 550.0)).abs() < 1e-12);
        let t = demand(10e6, 0.0, 20e6, 20e6, 300.0, 600.0, 550.0);
        assert!((t.me2 - (t.mt - 10e6)).abs() < 1e-6);
        // A moment acting with less torsion than the stirrups carry: Mt from the one, Ve the other.
        let t = demand(100e6, 80e3, 5e6, 20e6, 300.0, 600.0, 550.0);
        assert!((t.mt - 5e6 * 3.0 / 1.7).abs() < 1.0);
        assert!((t.me1 - (100e6 + t.mt)).abs() < 1e-6);
        assert!((t.ve - (80e3 + 1.6 * 20e6 / 300.0)).abs() < 1e-9);
    }

    #[test]
    fn hoop_limits_apply() {
        let hoop = Hoop::new(300.0, 600.0, 30.0, 8.0, 20.0, 12.0);
        assert_eq!(hoop.x1, 232.0);
        assert_eq!(hoop.y1, 532.0);
        let sv = spacing_required(0.0, 0.0, &hoop, 100.0, 100.0, 0.0, 1.0, 300.0, 415.0);
        assert_eq!(sv, 191.0);
    }
}

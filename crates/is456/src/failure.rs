//! Why a check fails: one value per failing check, which `build` turns into a sentence with the
//! change that would pass.

use crate::durability::FireDemand;

/// Why a check failed; `result` turns each into a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Failure {
    /// d′ ≥ xu,max: compression steel cannot work (G-1.2).
    CompressionSteelIneffective { d_prime: f64, xu_max: f64 },
    /// Ast above 0.04 b D (26.5.1.1 b).
    TensionSteelAboveMaximum { required: f64, max: f64 },
    /// Asc above 0.04 b D (26.5.1.2).
    CompressionSteelAboveMaximum { required: f64, max: f64 },
    /// No practical arrangement of up to two layers fits the width.
    TensionBarsDoNotFit { required: f64 },
    /// The compression bars do not fit.
    CompressionBarsDoNotFit { required: f64 },
    /// The bars of a face break a detailing rule (Cl 26.3.2, 26.4.1, Table 15, symmetry, legs).
    BarLayout {
        face: &'static str,
        problem: &'static str,
    },
    /// The bars provided are less than the steel required at their own depth.
    SteelShort {
        face: &'static str,
        provided: f64,
        required: f64,
    },
    /// The bars as built make the section over-reinforced (Cl 38.1 f, Annex G-1.1 d).
    OverReinforced { xu: f64, xu_max: f64 },
    /// The capacity of the bars provided falls short at the real effective depth.
    CapacityShort { capacity: f64, moment: f64 },
    /// τv > τc,max (Table 20); N, mm.
    ShearStressAboveMaximum {
        tau_v: f64,
        tau_c_max: f64,
        vu: f64,
        b: f64,
        d: f64,
        cover_depth: f64,
    },
    /// τve > τc,max (Cl 41.3.1).
    TorsionStressAboveMaximum { tau_ve: f64, tau_c_max: f64 },
    /// Even the strongest stirrups would need less than 75 mm.
    StirrupSpacingTooSmall { required: f64 },
    /// Stirrups fixed beforehand (another load case) are further apart than this case needs;
    /// `provided` is `None` where no spacing could be built.
    StirrupsTooFarApart {
        provided: Option<f64>,
        required: f64,
    },
    /// Span/d above the allowed ratio (Cl 23.2.1).
    Deflection { actual: f64, allowed: f64 },
    /// Deflection by calculation (Annex C) over the limits of Cl 23.2 (a) or (b), where it decides.
    CalculatedDeflection {
        total: f64,
        total_limit: f64,
        after_finishes: f64,
        after_finishes_limit: f64,
    },
    /// Crack width at the given service moment over the limit of Cl 35.3.2.
    CrackWidth { width: f64, limit: f64 },
    /// The top steel for Me2 cannot be provided (Cl 41.4.2.1).
    ReversedMomentTooLarge { me2: f64 },
    /// Restraints too far apart for the width (Cl 23.3).
    LateralStability {
        spacing: f64,
        allowed: f64,
        min_width: f64,
    },
    /// Nominal cover below Table 16 for the exposure.
    CoverBelowExposure { cover: f64, min: f64 },
    /// Grade below Table 5 for the exposure.
    GradeBelowExposure { fck: f64, min: f64 },
    /// Cover below Table 16A for the fire rating.
    FireCover { cover: f64, demand: FireDemand },
    /// Width below Fig 1 for the fire rating.
    FireWidth { width: f64, demand: FireDemand },
}

impl Failure {
    /// Whether a deeper section is a remedy.
    pub(crate) fn depth_helps(&self) -> bool {
        !matches!(
            self,
            Failure::CoverBelowExposure { .. }
                | Failure::GradeBelowExposure { .. }
                | Failure::FireCover { .. }
                | Failure::FireWidth { .. }
                | Failure::LateralStability { .. }
        )
    }

    /// Whether a wider section is a remedy.
    pub(crate) fn width_helps(&self) -> bool {
        matches!(
            self,
            Failure::TensionBarsDoNotFit { .. } | Failure::CompressionBarsDoNotFit { .. }
        )
    }
}

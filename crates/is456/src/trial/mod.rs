//! One section assessed with one reinforcement: every number of the result, worked out from the bars
//! as built (their real centroids, d and d′, strain compatibility), never from the steel asked for.

mod assess;
mod failures;

pub(crate) use assess::crack_width_of;
use failures::LONG_CANTILEVER;

use crate::bars::{FaceBars, FaceRules};
use crate::cracking::CrackWidth;
use crate::deflection::CalculatedDeflection;
use crate::detailing::SideFace;
use crate::durability::FireDemand;
use crate::failure::Failure;
use crate::flexure::{Capacity, FlexureDemand, FlexureFailure};
use crate::input::Beam;
use crate::serviceability::Deflection;
use crate::shear::ShearDemand;
use crate::tables::max_clear_spacing;
use crate::torsion::TorsionDemand;

/// Greatest spacing of longitudinal bars round a section in torsion wider than 450 mm, mm
/// (Cl 26.5.1.7 b with 26.5.1.3).
const TORSION_BAR_SPACING: f64 = 300.0;

/// The reinforcement of a section, as it would be drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reinforcement {
    pub tension: Option<FaceBars>,
    pub compression: Option<FaceBars>,
    pub stirrup_dia: u32,
    pub legs: u32,
    pub spacing: Spacing,
    /// Whether the preferred main bar diameter was used.
    pub preferred_used: bool,
}

/// The stirrup spacing of a reinforcement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Spacing {
    /// Being designed: the largest buildable spacing the actions allow is chosen.
    ToChoose,
    /// Fixed beforehand (by the envelope of several load cases); `None` when none could be built.
    Fixed(Option<u32>),
}

/// Shear and torsion with the stirrups provided.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stirrups {
    pub dia: u32,
    pub legs: u32,
    pub shear: ShearDemand,
    /// Spacing the code allows, mm (shear, torsion and every limit together).
    pub spacing_required: f64,
    pub spacing_provided: Option<u32>,
    /// N.
    pub vu_capacity: f64,
}

/// Torsion as designed (Cl 41).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TorsionDesign {
    pub demand: TorsionDemand,
    /// τc for the equivalent shear.
    pub tau_c: f64,
    pub tau_c_max: f64,
    /// Spacing required by 41.4.3 and 26.5.1.7 a alone, mm.
    pub spacing_required: f64,
    /// Steel at the compression face for Me2, mm² (41.4.2.1); `None` when Me2 is too large for it.
    pub top_steel: Option<f64>,
}

/// Lateral stability (Cl 23.3).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lateral {
    pub spacing: f64,
    pub allowed: f64,
}

/// Nominal cover and grade against exposure (Tables 5, 16) and fire (Table 16A, Fig 1).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Durability {
    pub cover_required: f64,
    pub grade_required: f64,
    pub fire: Option<FireDemand>,
}

/// One section assessed with one reinforcement: every number of the result, from the bars.
#[derive(Debug, Clone)]
pub(crate) struct Trial {
    pub b: f64,
    pub big_d: f64,
    pub fy: f64,
    /// Distance from a face to the inside of the stirrups (cover + stirrup), mm.
    pub edge: f64,
    /// The effective depth of the bars as built (or the given one when smaller), mm.
    pub d: f64,
    pub d_prime: f64,
    /// Effective depth the bars reach, mm (`d` unless a smaller one was given).
    pub d_geometric: f64,
    /// The design moment (Me1 under torsion), N·mm.
    pub moment: f64,
    pub demand: Result<FlexureDemand, FlexureFailure>,
    pub reinforcement: Reinforcement,
    /// Steel required at the compression face: Asc, or the Me2 steel under torsion, mm².
    pub top_required: f64,
    pub capacity: Option<Capacity>,
    pub stirrups: Stirrups,
    pub torsion: Option<TorsionDesign>,
    pub deflection: Option<Deflection>,
    /// Deflection by calculation (Annex C), when a span is given.
    pub calculated: Option<CalculatedDeflection>,
    /// Crack width at the service moment (Annex F), when there are tension bars and a moment.
    pub crack: Option<CrackWidth>,
    /// The factor 2d/av on τc near a support (Cl 40.5), where it applies.
    pub shear_enhancement: Option<f64>,
    pub side_face: Option<SideFace>,
    pub lateral: Option<Lateral>,
    pub durability: Durability,
    /// The detailing rules the bars of each face must keep.
    rules: Rules,
    failures: Vec<Failure>,
}

/// The detailing rules of both faces for one beam and one set of stirrups.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    pub tension: FaceRules,
    pub compression: FaceRules,
}

impl Rules {
    /// Cl 26.3.2, 26.4.1 (no bar larger than the nominal cover), Table 15 on the tension face, a bar at
    /// every stirrup leg, and under torsion across a width over 450 mm bars no more than 300 mm apart
    /// (Cl 26.5.1.7 b).
    pub(crate) fn of(beam: &Beam, stirrup_dia: u32, legs: u32) -> Rules {
        let b = beam.width();
        let clear_width = b - 2.0 * (beam.cover() + f64::from(stirrup_dia));
        let torsion_bars = if beam.tu() > 0.0 && b > 450.0 {
            (clear_width / TORSION_BAR_SPACING).ceil() as u32 + 1
        } else {
            2
        };
        let base = FaceRules {
            clear_width,
            aggregate: beam.aggregate(),
            max_dia: beam.cover(),
            min_first_layer: legs.max(torsion_bars),
            max_clear_gap: None,
            preferred: None,
        };
        Rules {
            tension: FaceRules {
                max_clear_gap: Some(max_clear_spacing(beam.fy())),
                preferred: beam.main_bar_dia(),
                ..base
            },
            compression: base,
        }
    }
}

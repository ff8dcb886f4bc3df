//! One section assessed with one reinforcement: every number of the result, worked out from the bars
//! as built (their real centroids, d and d′, strain compatibility), never from the steel asked for.

mod failures;

use crate::bars::{FaceBars, FaceRules};
use crate::detailing::{self, SideFace};
use crate::durability::{self, FireDemand};
use crate::failure::Failure;
use crate::flexure::{self, Capacity, FlexureDemand, FlexureFailure};
use crate::input::Beam;
use crate::serviceability::{self, Deflection};
use crate::shear::{self, ShearDemand};
use crate::tables::{bar_area, max_clear_spacing};
use crate::torsion::{self, Hoop, TorsionDemand};

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

impl Trial {
    /// Every check of `beam`'s actions on the section with `reinf`, worked out from the bars.
    pub(crate) fn assess(beam: &Beam, reinf: &Reinforcement) -> Trial {
        let (b, big_d, cover) = (beam.width(), beam.depth(), beam.cover());
        let (fck, fy, agg) = (beam.fck(), beam.fy(), beam.aggregate());
        let (mu, vu, tu) = (beam.mu() * 1e6, beam.vu() * 1e3, beam.tu() * 1e6);
        let phi_st = f64::from(reinf.stirrup_dia);
        let edge = cover + phi_st;
        let d_geometric = reinf
            .tension
            .map_or(big_d - edge - 10.0, |t| big_d - t.centroid(edge, agg));
        let d = beam
            .effective_depth()
            .map_or(d_geometric, |g| g.min(d_geometric));
        let d_prime = reinf
            .compression
            .map_or(edge + 6.0, |c| c.centroid(edge, agg));
        let tors = (tu > 0.0).then(|| torsion::demand(mu, vu, tu, b, big_d, d));
        let moment = tors.map_or(mu, |t| t.me1);
        let demand = flexure::design(b, d, d_prime, fck, fy, moment);
        let ast = reinf.tension.map_or(0.0, |t| t.area());
        let asc = reinf.compression.map_or(0.0, |c| c.area());
        let capacity = reinf
            .tension
            .map(|_| flexure::capacity(b, d, d_prime, fck, fy, ast, asc));
        let me2_steel = tors.map_or(Some(0.0), |t| {
            flexure::reversed_moment_steel(t.me2, b, big_d - d_prime, fck, fy)
        });
        let top_required = demand
            .map_or(0.0, |dem| dem.asc)
            .max(me2_steel.unwrap_or(0.0));

        // Shear (Cl 40) and torsion (Cl 41) share the stirrups.
        let pt = 100.0 * ast / (b * d);
        let fy_sv = beam.fy_stirrup();
        let bar = bar_area(reinf.stirrup_dia);
        let (asv_hoop, asv_all) = (2.0 * bar, f64::from(reinf.legs) * bar);
        let shear_demand = shear::demand(b, d, vu, pt, fck);
        let mut spacing_required = shear::spacing_required(b, d, shear_demand.vus, asv_all, fy_sv);
        let bottom_dia = f64::from(reinf.tension.map_or(20, |t| t.max_dia()));
        let top_dia = f64::from(reinf.compression.map_or(12, |c| c.max_dia()));
        let torsion = tors.map(|t| {
            let equivalent = shear::demand(b, d, t.ve, pt, fck);
            let hoop = Hoop::new(b, big_d, cover, phi_st, bottom_dia, top_dia);
            let s = torsion::spacing_required(
                tu,
                vu,
                &hoop,
                asv_hoop,
                asv_all,
                t.tau_ve,
                equivalent.tau_c,
                b,
                fy_sv,
            );
            spacing_required = spacing_required.min(s);
            TorsionDesign {
                demand: t,
                tau_c: equivalent.tau_c,
                tau_c_max: equivalent.tau_c_max,
                spacing_required: s,
                top_steel: me2_steel,
            }
        });
        let spacing_provided = match reinf.spacing {
            Spacing::Fixed(sv) => sv,
            Spacing::ToChoose => shear::spacing_provided(spacing_required),
        };
        // With no buildable spacing, the capacity at the closest one (75 mm) shows how far off it is.
        let vu_capacity = shear::capacity(
            b,
            d,
            &shear_demand,
            asv_all,
            fy_sv,
            spacing_provided.map_or(shear::MIN_SPACING, f64::from),
        );

        // Serviceability (Cl 23.2.1) with the steel as provided.
        let deflection = beam.length().map(|span| {
            let ast_req = demand.map_or(ast, |dem| dem.ast_required());
            let fs = 0.58 * fy * (ast_req / ast.max(1e-9)).min(1.0);
            let asc_designed = if demand.is_ok_and(|d| d.asc > 0.0) {
                asc
            } else {
                0.0
            };
            let pc = 100.0 * asc_designed / (b * d);
            serviceability::span_depth(
                span,
                d,
                beam.support(),
                serviceability::kt(fs, pt),
                serviceability::kc(pc),
            )
        });

        // Side-face steel: web deeper than 750 mm (26.5.1.3), or torsion on a section with a
        // dimension over 450 mm (26.5.1.7 b).
        let torsion_sides = tu > 0.0 && (big_d > 450.0 || b > 450.0);
        let side_face = (big_d > 750.0 || torsion_sides).then(|| {
            let height = big_d - 2.0 * edge - 0.5 * (bottom_dia + top_dia);
            detailing::side_face(b, big_d, height)
        });

        // Cl 23.3 at the depth the bars really have (a smaller given d would relax it).
        let lateral = beam
            .lateral_restraint_spacing()
            .or(beam.length())
            .map(|spacing| Lateral {
                spacing,
                allowed: durability::max_restraint_spacing(b, d_geometric, beam.support()),
            });
        let largest_bar = reinf
            .tension
            .map_or(0, |t| t.max_dia())
            .max(reinf.compression.map_or(0, |c| c.max_dia()));
        let durability = Durability {
            cover_required: beam.exposure().min_cover(fck, largest_bar),
            grade_required: beam.exposure().min_grade(),
            fire: beam
                .fire_rating()
                .map(|h| durability::fire_demand(h, beam.support())),
        };

        Trial {
            b,
            big_d,
            fy,
            edge,
            d,
            d_prime,
            d_geometric,
            moment,
            demand,
            reinforcement: Reinforcement {
                spacing: Spacing::Fixed(spacing_provided),
                ..*reinf
            },
            top_required,
            capacity,
            stirrups: Stirrups {
                dia: reinf.stirrup_dia,
                legs: reinf.legs,
                shear: shear_demand,
                spacing_required,
                spacing_provided,
                vu_capacity,
            },
            torsion,
            deflection,
            side_face,
            lateral,
            durability,
            rules: Rules::of(beam, reinf.stirrup_dia, reinf.legs),
            failures: Vec::new(),
        }
        .with_failures(beam, matches!(reinf.spacing, Spacing::Fixed(_)))
    }
}

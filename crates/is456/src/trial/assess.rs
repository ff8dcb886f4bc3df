//! Assessing one section with one reinforcement, step by step as a calculation sheet runs: the depths
//! the bars give, bending, shear and torsion with the stirrups provided, then serviceability,
//! side-face steel, lateral stability and durability.

use super::{Durability, Lateral, Reinforcement, Rules, Spacing, Stirrups, TorsionDesign, Trial};
use crate::bars::FaceBars;
use crate::cracking::{self, CrackInput, CrackWidth};
use crate::deflection::{CalculatedDeflection, DeflectionInput};
use crate::detailing::{self, SideFace};
use crate::durability;
use crate::elastic::{self, Gross};
use crate::flexure::{self, Capacity, FlexureDemand, FlexureFailure};
use crate::input::Beam;
use crate::serviceability::{self, Deflection};
use crate::shear;
use crate::tables::bar_area;
use crate::torsion::{self, Hoop, TorsionDemand};

/// Where the bars put the steel, mm.
struct Depths {
    /// Distance from a face to the inside of the stirrups (cover + stirrup).
    edge: f64,
    /// The effective depth the bars reach.
    geometric: f64,
    /// The effective depth used: the bars', or the given one when smaller.
    d: f64,
    d_prime: f64,
}

impl Depths {
    fn of(beam: &Beam, reinf: &Reinforcement) -> Depths {
        let (big_d, agg) = (beam.depth(), beam.aggregate());
        let edge = beam.cover() + f64::from(reinf.stirrup_dia);
        let geometric = reinf
            .tension
            .map_or(big_d - edge - 10.0, |t| big_d - t.centroid(edge, agg));
        Depths {
            edge,
            geometric,
            d: beam
                .effective_depth()
                .map_or(geometric, |g| g.min(geometric)),
            d_prime: reinf
                .compression
                .map_or(edge + 6.0, |c| c.centroid(edge, agg)),
        }
    }
}

/// Bending (Cl 38.1, Annex G) with torsion's equivalent moments (Cl 41.4.2), N·mm and mm².
struct Bending {
    torsion: Option<TorsionDemand>,
    /// Mu, or Me1 under torsion.
    moment: f64,
    demand: Result<FlexureDemand, FlexureFailure>,
    capacity: Option<Capacity>,
    /// Steel at the top face for Me2 (Cl 41.4.2.1); `None` when Me2 is too large for it.
    me2_steel: Option<f64>,
    /// Asc, or the Me2 steel when larger.
    top_required: f64,
}

impl Bending {
    fn of(beam: &Beam, reinf: &Reinforcement, at: &Depths) -> Bending {
        let (b, big_d, fck, fy) = (beam.width(), beam.depth(), beam.fck(), beam.fy());
        let (mu, vu, tu) = (beam.mu() * 1e6, beam.vu() * 1e3, beam.tu() * 1e6);
        let with_mu = beam.moment_torsion() * 1e6;
        let tors = (tu > 0.0).then(|| torsion::demand(mu, vu, with_mu, tu, b, big_d, at.d));
        let moment = tors.map_or(mu, |t| t.me1);
        let shape = beam.compression_shape();
        let demand = flexure::design(shape, at.d, at.d_prime, fck, fy, moment);
        let (ast, asc) = areas(reinf);
        let capacity = reinf
            .tension
            .map(|_| flexure::capacity(shape, at.d, at.d_prime, fck, fy, ast, asc));
        let me2_steel = tors.map_or(Some(0.0), |t| {
            flexure::reversed_moment_steel(t.me2, b, big_d - at.d_prime, fck, fy)
        });
        let top_required = demand
            .map_or(0.0, |dem| dem.asc)
            .max(me2_steel.unwrap_or(0.0));
        Bending {
            torsion: tors,
            moment,
            demand,
            capacity,
            me2_steel,
            top_required,
        }
    }
}

/// The areas of the tension and compression bars, mm².
fn areas(reinf: &Reinforcement) -> (f64, f64) {
    (
        reinf.tension.map_or(0.0, |t| t.area()),
        reinf.compression.map_or(0.0, |c| c.area()),
    )
}

/// The largest bar diameters of the bottom and top faces (20 and 12 mm where a face has none), mm.
fn corner_dias(reinf: &Reinforcement) -> (f64, f64) {
    (
        f64::from(reinf.tension.map_or(20, |t| t.max_dia())),
        f64::from(reinf.compression.map_or(12, |c| c.max_dia())),
    )
}

/// Shear (Cl 40) and torsion (Cl 41), which share the stirrups provided; `torsion` is the demand of
/// Cl 41.3.1 and 41.4.2 and `me2_steel` the top steel it asks for, as [`Bending`] has them.
fn shear_and_torsion(
    beam: &Beam,
    reinf: &Reinforcement,
    at: &Depths,
    torsion: Option<TorsionDemand>,
    me2_steel: Option<f64>,
) -> (Stirrups, Option<TorsionDesign>, Option<f64>) {
    let (b, d, fck) = (beam.width(), at.d, beam.fck());
    let (vu, tu) = (beam.vu() * 1e3, beam.tu() * 1e6);
    let pt = 100.0 * areas(reinf).0 / (b * d);
    let fy_sv = beam.fy_stirrup();
    let bar = bar_area(reinf.stirrup_dia);
    let (asv_hoop, asv_all) = (2.0 * bar, f64::from(reinf.legs) * bar);
    let mut shear_demand = shear::demand(b, d, vu, pt, fck);
    let enhancement = beam
        .av()
        .and_then(|av| shear::enhance(&mut shear_demand, b, d, vu, av));
    if beam.concrete_shear_ignored() {
        shear::without_concrete(&mut shear_demand, vu);
    }
    let mut spacing_required = shear::spacing_required(b, d, shear_demand.vus, asv_all, fy_sv);
    let torsion = torsion.map(|t| {
        let mut equivalent = shear::demand(b, d, t.ve, pt, fck);
        if beam.concrete_shear_ignored() {
            shear::without_concrete(&mut equivalent, t.ve);
        }
        let (bottom_dia, top_dia) = corner_dias(reinf);
        let phi_st = f64::from(reinf.stirrup_dia);
        let hoop = Hoop::new(b, beam.depth(), beam.cover(), phi_st, bottom_dia, top_dia);
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
    let stirrups = Stirrups {
        dia: reinf.stirrup_dia,
        legs: reinf.legs,
        shear: shear_demand,
        spacing_required,
        spacing_provided,
        vu_capacity,
    };
    (stirrups, torsion, enhancement)
}

/// Span/depth (Cl 23.2.1) with the steel as provided: fs from the steel required over the steel
/// provided, and compression steel counted only where the design needs it.
fn deflection(
    beam: &Beam,
    reinf: &Reinforcement,
    at: &Depths,
    demand: &Result<FlexureDemand, FlexureFailure>,
) -> Option<Deflection> {
    let span = beam.length()?;
    let (b, d) = (beam.width(), at.d);
    let (ast, asc) = areas(reinf);
    let ast_req = demand.map_or(ast, |dem| dem.ast_required());
    let fs = 0.58 * beam.fy() * (ast_req / ast.max(1e-9)).min(1.0);
    let asc_designed = if demand.is_ok_and(|d| d.asc > 0.0) {
        asc
    } else {
        0.0
    };
    // A flanged beam: pt on bf d, and the factor of Fig 6 (Cl 23.2.1 e).
    let shape = beam.compression_shape();
    let (pt, pc) = (100.0 * ast / (shape.bf * d), 100.0 * asc_designed / (b * d));
    Some(serviceability::span_depth(
        span,
        d,
        beam.support(),
        serviceability::kt(fs, pt),
        serviceability::kc(pc),
        serviceability::kf(shape.bw, shape.bf),
    ))
}

/// The gross section for Annex C: the web with its flange at the top, if any.
fn gross(beam: &Beam) -> Gross {
    let flange = beam.flange_width().zip(beam.flange_thickness());
    elastic::gross(beam.width(), beam.depth(), flange, beam.hogging())
}

/// Deflection by calculation (Annex C) at the service moment, when a span is given.
fn calculated_deflection(
    beam: &Beam,
    reinf: &Reinforcement,
    at: &Depths,
) -> Option<CalculatedDeflection> {
    let span = beam.length()?;
    let (ast, asc) = areas(reinf);
    if ast <= 0.0 {
        return None;
    }
    let bd = beam.width() * at.d;
    let ms = beam.ms().0 * 1e6;
    Some(
        DeflectionInput {
            shape: beam.compression_shape(),
            gross: gross(beam),
            h: beam.depth(),
            d: at.d,
            ast,
            pt: 100.0 * ast / bd,
            pc: 100.0 * asc / bd,
            span,
            support: beam.support(),
            ms,
            permanent: beam.permanent_fraction() * ms,
            fck: beam.fck(),
        }
        .calculate(),
    )
}

/// Crack width at the service moment (Annex F) from the outer layer of tension bars.
fn crack_width(beam: &Beam, reinf: &Reinforcement, at: &Depths) -> Option<CrackWidth> {
    crack_width_of(beam, &reinf.tension?, at.edge, at.d)
}

/// Crack width at the service moment (Annex F) of tension bars `bars` at effective depth `d`, with
/// `edge` from the face to the inside of the stirrups.
pub(crate) fn crack_width_of(
    beam: &Beam,
    bars: &FaceBars,
    edge: f64,
    d: f64,
) -> Option<CrackWidth> {
    let ms = beam.ms().0 * 1e6;
    if ms <= 0.0 {
        return None;
    }
    let layer = bars.first();
    let dia = f64::from(layer.max_dia());
    let clear_width = beam.width() - 2.0 * edge;
    let spacing = if layer.count() > 1 {
        layer.clear_gap(clear_width).max(0.0) + dia
    } else {
        clear_width
    };
    Some(cracking::crack_width(&CrackInput {
        shape: beam.compression_shape(),
        h: beam.depth(),
        d,
        ast: bars.area(),
        dia,
        spacing,
        cmin: edge,
        ms,
        m: cracking::modular_ratio(beam.fck()),
    }))
}

fn long_cantilever(beam: &Beam) -> bool {
    beam.support() == crate::input::Support::Cantilever
        && beam
            .length()
            .is_some_and(|span| span > super::LONG_CANTILEVER)
}

impl Trial {
    fn depths(&self) -> Depths {
        Depths {
            edge: self.edge,
            geometric: self.d_geometric,
            d: self.d,
            d_prime: self.d_prime,
        }
    }

    /// The crack width at the service moment: the trial's own, or worked out now for the report.
    pub(crate) fn crack_width(&self, beam: &Beam) -> Option<CrackWidth> {
        self.crack
            .clone()
            .or_else(|| crack_width(beam, &self.reinforcement, &self.depths()))
    }

    /// The calculated deflection: the trial's own, or worked out now for the report.
    pub(crate) fn calculated_deflection(&self, beam: &Beam) -> Option<CalculatedDeflection> {
        self.calculated
            .or_else(|| calculated_deflection(beam, &self.reinforcement, &self.depths()))
    }
}

/// Side-face steel: a web deeper than 750 mm (Cl 26.5.1.3), or torsion on a section with a dimension
/// over 450 mm (Cl 26.5.1.7 b).
fn side_face(beam: &Beam, reinf: &Reinforcement, at: &Depths) -> Option<SideFace> {
    let (b, big_d) = (beam.width(), beam.depth());
    let torsion_sides = beam.tu() > 0.0 && (big_d > 450.0 || b > 450.0);
    (big_d > 750.0 || torsion_sides).then(|| {
        let (bottom_dia, top_dia) = corner_dias(reinf);
        let height = big_d - 2.0 * at.edge - 0.5 * (bottom_dia + top_dia);
        detailing::side_face(b, big_d, height)
    })
}

/// Cl 23.3 at the depth the bars really have (a smaller given d would relax it).
fn lateral(beam: &Beam, at: &Depths) -> Option<Lateral> {
    beam.lateral_restraint_spacing()
        .or(beam.length())
        .map(|spacing| Lateral {
            spacing,
            allowed: durability::max_restraint_spacing(beam.width(), at.geometric, beam.support()),
        })
}

impl Durability {
    /// Cover and grade for the exposure (Tables 16, 5), and the fire rating's demand (Table 16A, Fig 1).
    fn of(beam: &Beam, reinf: &Reinforcement) -> Durability {
        let largest_bar = reinf
            .tension
            .map_or(0, |t| t.max_dia())
            .max(reinf.compression.map_or(0, |c| c.max_dia()));
        Durability {
            cover_required: beam.exposure().min_cover(beam.fck(), largest_bar),
            grade_required: beam.exposure().min_grade(),
            fire: beam
                .fire_rating()
                .map(|h| durability::fire_demand(h, beam.support())),
        }
    }
}

impl Trial {
    /// Every check of `beam`'s actions on the section with `reinf`, worked out from the bars.
    pub(crate) fn assess(beam: &Beam, reinf: &Reinforcement) -> Trial {
        let at = Depths::of(beam, reinf);
        let bending = Bending::of(beam, reinf, &at);
        let (stirrups, torsion, shear_enhancement) =
            shear_and_torsion(beam, reinf, &at, bending.torsion, bending.me2_steel);
        Trial {
            b: beam.width(),
            big_d: beam.depth(),
            fy: beam.fy(),
            edge: at.edge,
            d: at.d,
            d_prime: at.d_prime,
            d_geometric: at.geometric,
            moment: bending.moment,
            deflection: deflection(beam, reinf, &at, &bending.demand),
            // Worked out here only where they can fail the design (a given Ms; a long cantilever),
            // since every trial of the choice is assessed; `build` works them out for the report.
            calculated: long_cantilever(beam)
                .then(|| calculated_deflection(beam, reinf, &at))
                .flatten(),
            crack: (!beam.ms().1)
                .then(|| crack_width(beam, reinf, &at))
                .flatten(),
            shear_enhancement,
            demand: bending.demand,
            reinforcement: Reinforcement {
                spacing: Spacing::Fixed(stirrups.spacing_provided),
                ..*reinf
            },
            top_required: bending.top_required,
            capacity: bending.capacity,
            stirrups,
            torsion,
            side_face: side_face(beam, reinf, &at),
            lateral: lateral(beam, &at),
            durability: Durability::of(beam, reinf),
            rules: Rules::of(beam, reinf.stirrup_dia, reinf.legs),
            failures: Vec::new(),
        }
        .with_failures(beam, matches!(reinf.spacing, Spacing::Fixed(_)))
    }

    /// This trial of `beam` with its stirrups at `spacing`: what [`Trial::assess`] gives with the same
    /// bars and that spacing, working out again only the shear and torsion (nothing else depends
    /// on the spacing).
    pub(crate) fn with_spacing(&self, beam: &Beam, spacing: Option<u32>) -> Trial {
        let reinf = Reinforcement {
            spacing: Spacing::Fixed(spacing),
            ..self.reinforcement
        };
        let at = Depths {
            edge: self.edge,
            geometric: self.d_geometric,
            d: self.d,
            d_prime: self.d_prime,
        };
        let demand = self.torsion.as_ref().map(|t| t.demand);
        let me2_steel = self.torsion.as_ref().map_or(Some(0.0), |t| t.top_steel);
        let (stirrups, torsion, shear_enhancement) =
            shear_and_torsion(beam, &reinf, &at, demand, me2_steel);
        Trial {
            reinforcement: Reinforcement {
                spacing: Spacing::Fixed(stirrups.spacing_provided),
                ..reinf
            },
            stirrups,
            torsion,
            shear_enhancement,
            ..self.clone()
        }
        .with_failures(beam, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn beam(v: serde_json::Value) -> Beam {
        Beam::from_json(&v).expect("a valid beam")
    }

    /// A trial given another spacing is the trial assessed with it: every number and failure alike.
    #[test]
    fn a_trial_given_another_spacing_is_the_one_assessed_with_it() {
        let beams = [
            beam(json!({"width": 300, "depth": 500, "Mu": 150, "Vu": 100, "length": 5000})),
            beam(json!({"width": 300, "depth": 450, "Mu": 150, "Vu": 180, "Tu": 20})),
            beam(json!({"width": 230, "depth": 450, "Mu": 40, "Vu": 60, "Tu": 25})),
            beam(json!({"width": 300, "depth": 600, "Mu": 200, "Vu": 300, "av": 600})),
            beam(
                json!({"width": 300, "depth": 600, "Mu": 450, "Vu": 150, "length": 7000,
                        "section": "T", "flange_width": 1200, "flange_thickness": 120}),
            ),
            beam(json!({"width": 300, "depth": 500, "Mu": 120, "Vu": 150, "Tu": 18}))
                .with_moment_torsion(6.0),
            beam(json!({"width": 300, "depth": 500, "Mu": 120, "Vu": 150}))
                .without_concrete_shear(),
        ];
        for b in &beams {
            let trial = crate::choose::reinforce(b, 0.0);
            for spacing in [
                None,
                Some(75),
                Some(100),
                Some(150),
                Some(200),
                Some(300),
                Some(450),
            ] {
                let fixed = Reinforcement {
                    spacing: Spacing::Fixed(spacing),
                    ..trial.reinforcement
                };
                assert_eq!(
                    format!("{:?}", trial.with_spacing(b, spacing)),
                    format!("{:?}", Trial::assess(b, &fixed)),
                    "{b:?} at {spacing:?}"
                );
            }
        }
    }
}

//! The sections of the result that report one clause each, from the trial's numbers: rounded to the
//! side of safety like every number of the result.

use super::*;
use crate::bars::FaceBars;

/// The stirrups as a detailer writes them: `2L-8φ@150`, or why no spacing could be built.
pub(super) fn stirrup_callout(trial: &Trial) -> String {
    let s = &trial.stirrups;
    let hopeless = trial
        .failures()
        .iter()
        .any(|f| matches!(f, Failure::ShearStressAboveMaximum { .. }));
    match s.spacing_provided {
        Some(sv) => crate::text::links_at(s.legs, s.dia, sv),
        None => {
            let mut out = String::with_capacity(48);
            crate::text::push_links(&mut out, s.legs, s.dia);
            out.push_str(if hopeless {
                " (section too small for shear)"
            } else {
                " (no spacing ≥ 75 mm works)"
            });
            out
        }
    }
}

/// The flexure numbers a member's zone shows as well, rounded to the side of safety.
pub(super) struct FlexureFigures {
    pub d: f64,
    pub mu_lim: f64,
    pub mu_capacity: f64,
    pub ast_min: f64,
}

impl FlexureFigures {
    pub(super) fn of(trial: &Trial, fx: &FlexureNumbers) -> FlexureFigures {
        FlexureFigures {
            d: down(trial.d, 1),
            mu_lim: down(fx.mu_lim / 1e6, 2),
            mu_capacity: down(trial.capacity.map_or(0.0, |c| c.mu) / 1e6, 2),
            ast_min: up(fx.ast_min, 1),
        }
    }
}

pub(super) fn tension_face(beam: &Beam) -> &'static str {
    if beam.hogging() {
        "top"
    } else {
        "bottom"
    }
}

/// Cl 38.1 and Annex G with the bars as built.
pub(super) fn flexure(beam: &Beam, trial: &Trial, fx: &FlexureNumbers) -> FlexureResult {
    let (b, d) = (trial.b, trial.d);
    let shape = beam.compression_shape();
    let reinf = &trial.reinforcement;
    let ast_provided = reinf.tension.map_or(0.0, |t| t.area());
    let figures = FlexureFigures::of(trial, fx);
    FlexureResult {
        d: figures.d,
        mu: up(trial.moment / 1e6, 2),
        xu: up(fx.xu, 1),
        xu_max: down(fx.xu_max, 1),
        mu_lim: figures.mu_lim,
        mu_capacity: figures.mu_capacity,
        section: fx.section.as_str(),
        ast_min: figures.ast_min,
        ast_max: down(0.04 * b * trial.big_d, 1),
        pt: near(100.0 * ast_provided / (b * d), 3),
        layers: reinf.tension.map_or(0, |t| t.layer_count()),
        xu_as_built: up(trial.capacity.map_or(0.0, |c| c.xu_unbounded), 1),
        d_prime: near(trial.d_prime, 1),
        fsc: down(fx.fsc, 1),
        tension_face: tension_face(beam),
        bf: beam.flange_width().map(|bf| near(bf, 1)),
        df: beam.flange_thickness(),
        neutral_axis: shape.is_flanged().then(|| {
            let xu = trial.capacity.map_or(fx.xu, |c| c.xu);
            if xu <= shape.df {
                "flange"
            } else {
                "web"
            }
        }),
        clause: FLEXURE,
    }
}

/// Cl 40 with the stirrups provided.
pub(super) fn shear(trial: &Trial) -> ShearResult {
    let s = &trial.stirrups;
    ShearResult {
        tau_v: up(s.shear.tau_v, 3),
        tau_c: down(s.shear.tau_c, 3),
        tau_c_max: s.shear.tau_c_max,
        vus: up(s.shear.vus / 1e3, 2),
        stirrup_dia: s.dia,
        legs: s.legs,
        spacing_required: down(s.spacing_required, 1),
        spacing_provided: s.spacing_provided,
        vu_capacity: vu_capacity(trial),
        enhancement: trial.shear_enhancement.map(|f| down(f, 3)),
        clause: SHEAR,
    }
}

/// kN, rounded down.
pub(super) fn vu_capacity(trial: &Trial) -> f64 {
    down(trial.stirrups.vu_capacity / 1e3, 2)
}

/// Cl 41, when there is torsion.
pub(super) fn torsion(trial: &Trial) -> Option<TorsionResult> {
    trial.torsion.as_ref().map(|t| TorsionResult {
        tu_with_mu: t.demand.tu_with_mu.map(|tu| up(tu / 1e6, 2)),
        mt: up(t.demand.mt / 1e6, 2),
        me1: up(t.demand.me1 / 1e6, 2),
        me2: up(t.demand.me2 / 1e6, 2),
        ve: up(t.demand.ve / 1e3, 2),
        tau_ve: up(t.demand.tau_ve, 3),
        tau_c: down(t.tau_c, 3),
        tau_c_max: t.tau_c_max,
        spacing_required: down(t.spacing_required, 1),
        top_steel_required: up(t.top_steel.unwrap_or(0.0), 1),
        clause: TORSION,
    })
}

/// Cl 26: anchorage, bar spacing, side-face steel and the layers of both faces.
pub(super) fn detailing(beam: &Beam, trial: &Trial) -> DetailingResult {
    let reinf = &trial.reinforcement;
    let (edge, agg) = (trial.edge, beam.aggregate());
    let clear_width = trial.b - 2.0 * edge;
    let first = reinf.tension.map(|t| *t.first());
    let bar_clear_spacing = first.map_or(0.0, |l| l.clear_gap(clear_width).max(0.0));
    let main_dia = reinf.tension.map_or(20, |t| t.max_dia());
    let top_dia = reinf.compression.map_or(12, |c| c.max_dia());
    DetailingResult {
        ld_tension: ld(main_dia, beam, false),
        ld_compression: ld(top_dia, beam, true),
        bar_clear_spacing: down(bar_clear_spacing, 1),
        min_clear_spacing: crate::detailing::horizontal_gap(main_dia, agg),
        max_clear_spacing: crate::tables::max_clear_spacing(beam.fy()),
        side_face: trial.side_face.map(|sf| SideFaceResult {
            bars: format!("{}-{}φ each face", sf.per_face, sf.dia),
            dia: sf.dia,
            per_face: sf.per_face,
            area_required: up(sf.area_required, 1),
            area_provided: down(sf.area_provided, 1),
            spacing: up(sf.spacing, 1),
            clause: "IS 456 Cl 26.5.1.3",
        }),
        tension_layers: layers(reinf.tension, edge, agg),
        compression_layers: layers(reinf.compression, edge, agg),
        clause: DETAILING,
    }
}

/// Cl 23.2.1, when a span is given.
pub(super) fn serviceability(beam: &Beam, trial: &Trial) -> Option<ServiceabilityResult> {
    trial.deflection.map(|x| ServiceabilityResult {
        span: beam.length().unwrap_or(0.0),
        basic_ratio: x.basic,
        span_factor: down(x.span_factor, 4),
        kt: down(x.kt, 3),
        kc: down(x.kc, 3),
        allowed_ratio: down(x.allowed, 2),
        actual_ratio: up(x.actual, 2),
        kf: down(x.kf, 3),
        clause: DEFLECTION,
        calculated: trial
            .calculated_deflection(beam)
            .map(|c| CalculatedDeflectionResult {
                ms: near(beam.ms().0, 2),
                ms_assumed: beam.ms().1,
                permanent_fraction: beam.permanent_fraction(),
                mr: down(c.mr / 1e6, 2),
                ieff: down(c.ieff, -4),
                short_term: up(c.short_term, 2),
                shrinkage: up(c.shrinkage, 2),
                creep: up(c.creep, 2),
                total: up(c.total, 2),
                total_limit: down(c.total_limit, 2),
                after_finishes: up(c.after_finishes, 2),
                after_finishes_limit: down(c.after_finishes_limit, 2),
                governs: trial.deflection_by_calculation(beam),
                clause: CALCULATED_DEFLECTION,
            }),
    })
}

/// Annex F and Cl 35.3.2, when there are tension bars and a moment.
pub(super) fn crack_width(beam: &Beam, trial: &Trial) -> Option<CrackWidthResult> {
    let c = trial.crack_width(beam)?;
    let (ms, ms_assumed) = beam.ms();
    Some(CrackWidthResult {
        ms: near(ms, 2),
        ms_assumed,
        m: near(c.m, 3),
        x: near(c.x, 1),
        fs: up(c.fs, 1),
        width: up(c.max(), 3),
        limit: crate::cracking::limit(beam.exposure()),
        points: c
            .points
            .iter()
            .map(|p| CrackPointResult {
                location: p.location,
                acr: near(p.acr, 1),
                depth: near(p.a_prime, 1),
                width: up(p.width, 3),
            })
            .collect(),
        clause: CRACKING,
    })
}

/// Cl 23.3, when a span or a restraint spacing is given.
pub(super) fn stability(trial: &Trial) -> Option<StabilityResult> {
    trial.lateral.map(|l| StabilityResult {
        restraint_spacing: l.spacing,
        allowed_spacing: down(l.allowed, 0),
        clause: STABILITY,
    })
}

/// The layers of a face as built; `y` rounded to 0.1 mm (geometry).
fn layers(face: Option<FaceBars>, edge: f64, aggregate: f64) -> Vec<LayerResult> {
    let Some(face) = face else {
        return Vec::new();
    };
    let ys = face.layer_depths(edge, aggregate);
    face.layers()
        .zip(ys)
        .map(|(layer, y)| LayerResult {
            bars: layer.groups().collect(),
            y: near(y, 1),
        })
        .collect()
}

pub(super) fn durability(beam: &Beam, trial: &Trial) -> DurabilityResult {
    let dur = &trial.durability;
    let reinf = &trial.reinforcement;
    let fire = dur.fire;
    DurabilityResult {
        exposure: beam.exposure().as_str(),
        cover: beam.cover(),
        cover_required: dur.cover_required.max(fire.map_or(0.0, |f| f.min_cover)),
        largest_bar: reinf
            .tension
            .map_or(0, |t| t.max_dia())
            .max(reinf.compression.map_or(0, |c| c.max_dia())),
        fck_required: dur.grade_required,
        fire_rating: beam.fire_rating(),
        fire_min_width: fire.map(|f| f.min_width),
        clause: COVER,
    }
}

fn ld(dia: u32, beam: &Beam, compression: bool) -> u32 {
    // Rounded up to the whole millimetre: a development length is a demand.
    let ld = crate::detailing::development_length(dia, beam.fck(), beam.fy(), compression);
    up(ld, 0) as u32
}

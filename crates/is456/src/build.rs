//! How an assessed [`Trial`] becomes the [`DesignResult`]: the checks with their utilizations, the
//! failed checks with what to change, the warnings, and every number rounded to the side of safety
//! (demands up, capacities and limits down, geometry to the nearest step).

use crate::bars::FaceBars;
use crate::durability::LOWEST_RCC_GRADE;
use crate::failure::Failure;
use crate::flexure::{self, Section};
use crate::input::Beam;
use crate::remedies::Remedies;
use crate::result::*;
use crate::trial::Trial;

const FLEXURE: &str = "IS 456 Cl 38.1";
const SHEAR: &str = "IS 456 Cl 40";
const TORSION: &str = "IS 456 Cl 41";
const DEFLECTION: &str = "IS 456 Cl 23.2.1";
const DETAILING: &str = "IS 456 Cl 26";
/// A ratio that stands for "cannot pass" where a capacity is zero: finite, and clearly above 1.
const CANNOT_PASS: f64 = 999.0;

fn scaled(x: f64, decimals: i32, op: fn(f64) -> f64) -> f64 {
    let scale = 10f64.powi(decimals);
    let v = op(x * scale) / scale;
    if v.is_finite() {
        v + 0.0
    } else {
        0.0
    }
}

/// Rounds a demand up to `decimals` places (a hair of tolerance keeps 465.0000000001 at 465.0).
fn up(x: f64, decimals: i32) -> f64 {
    scaled(x, decimals, |v| (v - 1e-7).ceil())
}

/// Rounds a capacity or limit down to `decimals` places.
fn down(x: f64, decimals: i32) -> f64 {
    scaled(x, decimals, |v| (v + 1e-7).floor())
}

fn near(x: f64, decimals: i32) -> f64 {
    scaled(x, decimals, f64::round)
}

fn ratio(demand: f64, capacity: f64) -> f64 {
    if capacity > 0.0 {
        (demand / capacity).min(CANNOT_PASS)
    } else if demand > 0.0 {
        CANNOT_PASS
    } else {
        0.0
    }
}

const STABILITY: &str = "IS 456 Cl 23.3";
const COVER: &str = "IS 456 Cl 26.4, Table 16";
const GRADE: &str = "IS 456 Cl 8.2.4.1, Table 5";
const FIRE: &str = "IS 456 Cl 21.4, Table 16A, Fig 1";
/// Checks that are code rules, not demand/capacity ratios.
const RULES: [&str; 4] = ["cover", "concrete_grade", "fire", "detailing"];

/// The flexure numbers of the result: those of the demand, or where the section cannot be designed,
/// the least it would need (the steel at Mu,lim).
struct FlexureNumbers {
    ast_required: f64,
    xu: f64,
    xu_max: f64,
    mu_lim: f64,
    ast_min: f64,
    section: Section,
    fsc: f64,
}

fn flexure_numbers(beam: &Beam, trial: &Trial) -> FlexureNumbers {
    let (b, d) = (trial.b, trial.d);
    match &trial.demand {
        Ok(dem) => FlexureNumbers {
            ast_required: dem.ast_required(),
            xu: dem.xu,
            xu_max: dem.xu_max,
            mu_lim: dem.mu_lim,
            ast_min: dem.ast_min,
            section: dem.section,
            fsc: dem.fsc,
        },
        Err(_) => {
            let xu_max = flexure::xu_max_ratio(beam.fy()) * d;
            FlexureNumbers {
                ast_required: flexure::ast_for_xu(b, xu_max, beam.fck(), beam.fy()),
                xu: xu_max,
                xu_max,
                mu_lim: flexure::mu_lim(b, d, beam.fck(), beam.fy()),
                ast_min: 0.85 * b * d / beam.fy(),
                section: Section::Doubly,
                fsc: 0.0,
            }
        }
    }
}

/// Every check that ran, with its largest demand/capacity ratio.
fn checks(beam: &Beam, trial: &Trial, fx: &FlexureNumbers) -> Vec<CheckSummary> {
    let steel_max = 0.04 * trial.b * trial.big_d;
    let reinf = &trial.reinforcement;
    let ast_provided = reinf.tension.map_or(0.0, |t| t.area());
    let asc_provided = reinf.compression.map_or(0.0, |c| c.area());
    let capacity = trial.capacity;
    // xu/xu,max is a limit, not a measure of strength: it counts only where it is exceeded.
    let over = ratio(capacity.map_or(0.0, |c| c.xu_unbounded), fx.xu_max);
    let flexure_ratio = ratio(trial.moment, capacity.map_or(0.0, |c| c.mu))
        .max(if over > 1.0 { over } else { 0.0 })
        .max(ratio(fx.ast_required.max(ast_provided), steel_max))
        .max(ratio(trial.top_required, asc_provided))
        .max(ratio(trial.top_required.max(asc_provided), steel_max));
    let s = &trial.stirrups;
    let sv = s
        .spacing_provided
        .map_or(crate::shear::MIN_SPACING, f64::from);
    // A spacing counts only where it is wider than allowed: the 300 mm and 0.75 d limits are
    // detailing rules, not a measure of how hard the stirrups work.
    let too_far = |required: f64| {
        let r = ratio(sv, required);
        if r > 1.0 + 1e-9 {
            r
        } else {
            0.0
        }
    };
    let shear_ratio = ratio(s.shear.tau_v, s.shear.tau_c_max)
        .max(ratio(beam.vu() * 1e3, s.vu_capacity))
        .max(too_far(s.spacing_required));
    let mut out = vec![
        summary("flexure", FLEXURE, flexure_ratio),
        summary("shear", SHEAR, shear_ratio),
    ];
    if let Some(t) = &trial.torsion {
        let top = ratio(t.top_steel.map_or(f64::MAX, |x| x), asc_provided);
        out.push(summary(
            "torsion",
            TORSION,
            ratio(t.demand.tau_ve, t.tau_c_max)
                .max(too_far(t.spacing_required))
                .max(top),
        ));
    }
    if let Some(defl) = &trial.deflection {
        out.push(summary(
            "deflection",
            DEFLECTION,
            ratio(defl.actual, defl.allowed),
        ));
    }
    if let Some(l) = &trial.lateral {
        out.push(summary(
            "lateral_stability",
            STABILITY,
            ratio(l.spacing, l.allowed),
        ));
    }
    let dur = &trial.durability;
    let mut cover_needed = dur.cover_required;
    if let Some(fire) = dur.fire {
        cover_needed = cover_needed.max(fire.min_cover);
        out.push(summary(
            "fire",
            FIRE,
            ratio(fire.min_cover, beam.cover()).max(ratio(fire.min_width, beam.width())),
        ));
    }
    out.push(summary("cover", COVER, ratio(cover_needed, beam.cover())));
    let grade = if beam.allow_low_grade() && beam.fck() < LOWEST_RCC_GRADE {
        0.0
    } else {
        ratio(dur.grade_required, beam.fck())
    };
    out.push(summary("concrete_grade", GRADE, grade));
    // Bars given from outside that break a detailing rule cannot pass as drawn.
    if trial
        .failures()
        .iter()
        .any(|f| matches!(f, Failure::BarLayout { .. }))
    {
        out.push(summary("detailing", DETAILING, CANNOT_PASS));
    }
    out
}

/// Builds the result; `remedies` are the engine's own answers to "what size would pass".
pub(crate) fn build(beam: &Beam, trial: &Trial, remedies: Remedies) -> DesignResult {
    let (b, big_d, d) = (trial.b, trial.big_d, trial.d);
    let failures = trial.failures();
    let steel_max = 0.04 * b * big_d;
    let fx = flexure_numbers(beam, trial);
    let reinf = &trial.reinforcement;
    let ast_provided = reinf.tension.map_or(0.0, |t| t.area());
    let asc_provided = reinf.compression.map_or(0.0, |c| c.area());
    let mu_capacity = trial.capacity.map_or(0.0, |c| c.mu);

    let mut checks = checks(beam, trial, &fx);
    let failed_checks: Vec<FailedCheck> = failures
        .iter()
        .map(|f| failed_check(f, beam, trial, remedies))
        .collect();
    for c in &mut checks {
        c.passed = !failed_checks.iter().any(|f| f.check == c.check);
    }
    // Cover, grade and fire are rules rather than capacities: they govern only when they fail.
    let counts = |c: &&CheckSummary| !RULES.contains(&c.check) || !c.passed;
    let governing = checks
        .iter()
        .filter(counts)
        .fold(None::<&CheckSummary>, |best, c| match best {
            Some(b) if b.utilization >= c.utilization => Some(b),
            _ => Some(c),
        })
        .map_or("flexure", |c| c.check);
    let utilization = checks
        .iter()
        .filter(counts)
        .map(|c| c.utilization)
        .fold(0.0, f64::max);

    let s = &trial.stirrups;
    let edge = trial.edge;
    let agg = beam.aggregate();
    let first = reinf.tension.map(|t| *t.first());
    let clear_width = b - 2.0 * edge;
    let bar_clear_spacing = first.map_or(0.0, |l| l.clear_gap(clear_width).max(0.0));
    let main_dia = reinf.tension.map_or(20, |t| t.max_dia());
    let top_dia = reinf.compression.map_or(12, |c| c.max_dia());
    let hopeless = failures
        .iter()
        .any(|f| matches!(f, Failure::ShearStressAboveMaximum { .. }));

    DesignResult {
        status: if failures.is_empty() {
            Status::Success
        } else {
            Status::Fail
        },
        ast_required: up(fx.ast_required, 1),
        ast_provided: down(ast_provided, 1),
        bars_provided: reinf
            .tension
            .map_or_else(|| "none".to_owned(), |t| t.callout()),
        asc_required: up(trial.top_required, 1),
        asc_provided: down(asc_provided, 1),
        compression_bars: reinf
            .compression
            .map_or_else(|| "none".to_owned(), |c| c.callout()),
        stirrups: match s.spacing_provided {
            Some(sv) => format!("{}L-{}φ@{sv}", s.legs, s.dia),
            None if hopeless => format!("{}L-{}φ (section too small for shear)", s.legs, s.dia),
            None => format!("{}L-{}φ (no spacing ≥ 75 mm works)", s.legs, s.dia),
        },
        utilization: up(utilization, 3),
        governing_check: governing,
        failed_checks,
        warnings: warnings(beam, trial),
        checks: checks
            .into_iter()
            .map(|c| CheckSummary {
                utilization: up(c.utilization, 3),
                ..c
            })
            .collect(),
        flexure: FlexureResult {
            d: down(d, 1),
            mu: up(trial.moment / 1e6, 2),
            xu: up(fx.xu, 1),
            xu_max: down(fx.xu_max, 1),
            mu_lim: down(fx.mu_lim / 1e6, 2),
            mu_capacity: down(mu_capacity / 1e6, 2),
            section: fx.section.as_str(),
            ast_min: up(fx.ast_min, 1),
            ast_max: down(steel_max, 1),
            pt: near(100.0 * ast_provided / (b * d), 3),
            layers: reinf.tension.map_or(0, |t| t.layer_count()),
            xu_as_built: up(trial.capacity.map_or(0.0, |c| c.xu_unbounded), 1),
            d_prime: near(trial.d_prime, 1),
            fsc: down(fx.fsc, 1),
            clause: FLEXURE,
        },
        shear: ShearResult {
            tau_v: up(s.shear.tau_v, 3),
            tau_c: down(s.shear.tau_c, 3),
            tau_c_max: s.shear.tau_c_max,
            vus: up(s.shear.vus / 1e3, 2),
            stirrup_dia: s.dia,
            legs: s.legs,
            spacing_required: down(s.spacing_required, 1),
            spacing_provided: s.spacing_provided,
            vu_capacity: down(s.vu_capacity / 1e3, 2),
            clause: SHEAR,
        },
        torsion: trial.torsion.as_ref().map(|t| TorsionResult {
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
        }),
        detailing: DetailingResult {
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
        },
        serviceability: trial.deflection.map(|x| ServiceabilityResult {
            span: beam.length().unwrap_or(0.0),
            basic_ratio: x.basic,
            span_factor: down(x.span_factor, 4),
            kt: down(x.kt, 3),
            kc: down(x.kc, 3),
            allowed_ratio: down(x.allowed, 2),
            actual_ratio: up(x.actual, 2),
            clause: DEFLECTION,
        }),
        stability: trial.lateral.map(|l| StabilityResult {
            restraint_spacing: l.spacing,
            allowed_spacing: down(l.allowed, 0),
            clause: STABILITY,
        }),
        durability: durability(beam, trial),
        provenance: Provenance {
            engine: "beamline",
            version: env!("CARGO_PKG_VERSION"),
            code: "IS 456:2000",
            input_hash: beam.input_hash(),
        },
    }
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

fn durability(beam: &Beam, trial: &Trial) -> DurabilityResult {
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

fn warnings(beam: &Beam, trial: &Trial) -> Vec<String> {
    let mut warnings = Vec::new();
    let reinf = &trial.reinforcement;
    if let Some(dia) = beam.main_bar_dia().filter(|_| !reinf.preferred_used) {
        warnings.push(format!(
            "main_bar_dia {dia} mm does not give a valid arrangement; other bars were chosen"
        ));
    }
    if let Some(given) = beam.effective_depth() {
        if given > trial.d_geometric + 0.05 {
            warnings.push(format!(
                "the effective depth given ({given:.1} mm) is more than the bars provided reach \
                 ({:.1} mm); every check uses {:.1} mm",
                trial.d_geometric, trial.d
            ));
        }
    }
    if trial.stirrups.legs > 2 {
        warnings.push(format!(
            "{}-legged stirrups: legs no further apart than d and 450 mm, and for shear",
            trial.stirrups.legs
        ));
    }
    if beam.allow_low_grade()
        && beam.fck() < LOWEST_RCC_GRADE
        && beam.fck() < trial.durability.grade_required
    {
        warnings.push(format!(
            "M{} is below the M{} that Table 5 asks for {} exposure; accepted because \
             allow_low_grade is true",
            beam.fck(),
            trial.durability.grade_required,
            beam.exposure().as_str()
        ));
    }
    warnings
}

fn ld(dia: u32, beam: &Beam, compression: bool) -> u32 {
    // Rounded up to the whole millimetre: a development length is a demand.
    let ld = crate::detailing::development_length(dia, beam.fck(), beam.fy(), compression);
    up(ld, 0) as u32
}

fn summary(name: &'static str, clause: &'static str, utilization: f64) -> CheckSummary {
    CheckSummary {
        check: name,
        utilization,
        passed: true,
        clause,
    }
}

/// A size rounded up to the next 25 mm.
fn grid_up(x: f64) -> f64 {
    ((x - 1e-9) / 25.0).ceil() * 25.0
}

/// The remedy sentence: the engine's smallest passing depth and width when it found them.
fn remedy(failure: &Failure, beam: &Beam, remedies: Remedies, default: &str) -> String {
    let depth = remedies
        .depth
        .filter(|_| failure.depth_helps())
        .map(|d| format!("increase depth to at least {d:.0} mm"));
    let width = remedies
        .width
        .filter(|_| failure.width_helps())
        .map(|w| format!("increase width to at least {w:.0} mm"));
    match (width, depth) {
        (Some(w), Some(d)) => format!("{w}, or {d}"),
        (Some(w), None) => w,
        (None, Some(d)) => d,
        (None, None) if remedies.searched && failure.depth_helps() => format!(
            "{default}; no depth up to {:.0} mm passes at this width",
            beam.max_depth()
        ),
        (None, None) => default.to_owned(),
    }
}

fn failed_check(failure: &Failure, beam: &Beam, trial: &Trial, remedies: Remedies) -> FailedCheck {
    let fix = |default: &str| remedy(failure, beam, remedies, default);
    let largest = f64::from(crate::tables::MAIN_BAR_DIAS[crate::tables::MAIN_BAR_DIAS.len() - 1]);
    let bars_limit = if beam.cover() < largest {
        format!(
            " (bars no larger than the {:.0} mm cover, Cl 26.4.1)",
            beam.cover()
        )
    } else {
        String::new()
    };
    let (check, clause, message) = match *failure {
        Failure::CompressionSteelIneffective { d_prime, xu_max } => (
            "flexure",
            "IS 456 Annex G-1.2",
            format!(
                "Mu exceeds Mu,lim but compression steel at d′ = {d_prime:.1} mm would not work \
                 (xu,max = {xu_max:.1} mm): {}",
                fix("increase depth")
            ),
        ),
        Failure::TensionSteelAboveMaximum { required, max } => (
            "flexure",
            "IS 456 Cl 26.5.1.1(b)",
            format!(
                "tension steel {required:.0} mm² exceeds the maximum 0.04·b·D = {max:.0} mm²: {}",
                fix("increase depth")
            ),
        ),
        Failure::CompressionSteelAboveMaximum { required, max } => (
            "flexure",
            "IS 456 Cl 26.5.1.2",
            format!(
                "compression steel {required:.0} mm² exceeds the maximum 0.04·b·D = {max:.0} mm²: {}",
                fix("increase depth")
            ),
        ),
        Failure::TensionBarsDoNotFit { required } => (
            "flexure",
            "IS 456 Cl 26.3.2",
            format!(
                "{required:.0} mm² of tension steel does not fit in two layers with the clear \
                 spacing of 26.3.2 and Table 15{bars_limit}: {}",
                fix("increase width or depth")
            ),
        ),
        Failure::CompressionBarsDoNotFit { required } => (
            "flexure",
            "IS 456 Cl 26.3.2",
            format!(
                "{required:.0} mm² of compression steel does not fit in two layers{bars_limit}: {}",
                fix("increase width or depth")
            ),
        ),
        Failure::SteelShort {
            face,
            provided,
            required,
        } => (
            "flexure",
            FLEXURE,
            format!(
                "the {face} bars provide {:.1} mm², less than the {:.1} mm² required at d = \
                 {:.1} mm: {}",
                down(provided, 1),
                up(required, 1),
                down(trial.d, 1),
                fix("increase depth")
            ),
        ),
        Failure::OverReinforced { xu, xu_max } => (
            "flexure",
            "IS 456 Cl 38.1(f), Annex G-1.1(d)",
            format!(
                "the bars provided make the section over-reinforced (xu = {:.1} mm > xu,max = \
                 {:.1} mm) and the compression steel that would balance them does not fit: {}",
                up(xu, 1),
                down(xu_max, 1),
                fix("increase depth")
            ),
        ),
        Failure::CapacityShort { capacity, moment } => (
            "flexure",
            FLEXURE,
            format!(
                "moment capacity of the bars provided {:.2} kN·m at d = {:.1} mm is below the \
                 design moment {:.2} kN·m: {}",
                down(capacity / 1e6, 2),
                down(trial.d, 1),
                up(moment / 1e6, 2),
                fix("increase depth")
            ),
        ),
        Failure::ShearStressAboveMaximum {
            tau_v,
            tau_c_max,
            vu,
            b,
            d,
            cover_depth,
        } => {
            // τv = Vu / (b d) ≤ τc,max: the width at this depth, or the depth at this width.
            let width = grid_up(vu / (tau_c_max * d));
            let depth = grid_up(vu / (tau_c_max * b) + cover_depth);
            let size = remedies.depth.map_or(depth, |d| d.max(depth));
            (
                "shear",
                "IS 456 Cl 40.2.3, Table 20",
                format!(
                    "τv = {:.2} N/mm² exceeds τc,max = {tau_c_max:.2} N/mm²: section too small \
                     for shear; increase width to at least {width:.0} mm, or depth to at least \
                     {size:.0} mm",
                    up(tau_v, 2)
                ),
            )
        }
        Failure::TorsionStressAboveMaximum { tau_ve, tau_c_max } => (
            "torsion",
            "IS 456 Cl 41.3.1",
            format!(
                "τve = {:.2} N/mm² exceeds τc,max = {tau_c_max:.2} N/mm²: the section is too small \
                 for torsion; {}",
                up(tau_ve, 2),
                fix("increase width or depth")
            ),
        ),
        Failure::StirrupSpacingTooSmall { required } => (
            "shear",
            "IS 456 Cl 40.4",
            format!(
                "the stirrups would need a spacing of {:.0} mm, below the 75 mm that can be \
                 built, even with the strongest stirrups tried: {}",
                down(required, 0),
                fix("increase width or depth")
            ),
        ),
        Failure::BarLayout { face, problem } => (
            "detailing",
            DETAILING,
            format!("the {face} bars as given break a detailing rule: {problem}"),
        ),
        Failure::StirrupsTooFarApart { provided, required } => (
            "shear",
            "IS 456 Cl 40.4, 41.4.3",
            format!(
                "the stirrups provided ({}) are further apart than the {:.0} mm this case \
                 needs (Vu capacity {:.2} kN)",
                match provided {
                    Some(sv) => format!("{sv:.0} mm"),
                    None => "no buildable spacing".to_owned(),
                },
                down(required, 0),
                down(trial.stirrups.vu_capacity / 1e3, 2)
            ),
        ),
        Failure::Deflection { actual, allowed } => (
            "deflection",
            DEFLECTION,
            format!(
                "span/effective depth {:.2} exceeds the allowed {:.2} (deflection): {}",
                up(actual, 2),
                down(allowed, 2),
                fix("increase depth")
            ),
        ),
        Failure::LongCantilever { span } => (
            "deflection",
            "IS 456 Cl 23.2.1(b)",
            format!(
                "a cantilever of {:.0} mm (over 10 m) needs its deflection calculated (Annex C); \
                 span/depth ratios do not decide it and this release does not calculate it",
                span
            ),
        ),
        Failure::ReversedMomentTooLarge { me2 } => (
            "torsion",
            "IS 456 Cl 41.4.2.1",
            format!(
                "Me2 = {:.2} kN·m exceeds what the compression face can resist: {}",
                up(me2 / 1e6, 2),
                fix("increase depth")
            ),
        ),
        Failure::LateralStability {
            spacing,
            allowed,
            min_width,
        } => (
            "lateral_stability",
            STABILITY,
            format!(
                "lateral restraints {:.0} mm apart exceed the {:.0} mm allowed for this width and \
                 depth: provide restraints at most {:.0} mm apart (lateral_restraint_spacing), or \
                 increase width to at least {:.0} mm",
                spacing,
                down(allowed, 0),
                down(allowed, 0),
                grid_up(min_width)
            ),
        ),
        Failure::CoverBelowExposure { cover, min } => (
            "cover",
            COVER,
            format!(
                "nominal cover {cover:.0} mm is below the {min:.0} mm of Table 16 for {} \
                 exposure: increase cover to at least {min:.0} mm",
                beam.exposure().as_str()
            ),
        ),
        Failure::GradeBelowExposure { fck, min } => (
            "concrete_grade",
            GRADE,
            format!(
                "M{fck} is below M{min} required for reinforced concrete in {} exposure: use \
                 M{min} or better{}",
                beam.exposure().as_str(),
                if fck < LOWEST_RCC_GRADE {
                    " (or set allow_low_grade to accept M15 deliberately)"
                } else {
                    " (or give the exposure the beam really has)"
                }
            ),
        ),
        Failure::FireCover { cover, demand } => (
            "fire",
            FIRE,
            format!(
                "nominal cover {cover:.0} mm is below the {:.0} mm of Table 16A for {} h fire \
                 resistance: increase cover to at least {:.0} mm",
                demand.min_cover, demand.rating, demand.min_cover
            ),
        ),
        Failure::FireWidth { width, demand } => (
            "fire",
            FIRE,
            format!(
                "width {width:.0} mm is below the {:.0} mm of Fig 1 for {} h fire resistance: \
                 increase width to at least {:.0} mm",
                demand.min_width, demand.rating, demand.min_width
            ),
        ),
    };
    FailedCheck {
        check,
        clause,
        message,
    }
}

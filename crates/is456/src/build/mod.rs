//! How an assessed [`Trial`] becomes the [`DesignResult`]: the checks with their utilizations, the
//! failed checks with what to change, the warnings, and every number rounded to the side of safety
//! (demands up, capacities and limits down, geometry to the nearest step).

mod messages;
mod sections;

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
const CALCULATED_DEFLECTION: &str = "IS 456 Cl 23.2, Annex C";
const CRACKING: &str = "IS 456 Cl 35.3.2, Annex F";
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
pub(crate) fn up(x: f64, decimals: i32) -> f64 {
    scaled(x, decimals, |v| (v - 1e-7).ceil())
}

/// Rounds a capacity or limit down to `decimals` places.
pub(crate) fn down(x: f64, decimals: i32) -> f64 {
    scaled(x, decimals, |v| (v + 1e-7).floor())
}

pub(crate) fn near(x: f64, decimals: i32) -> f64 {
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
                ast_min: crate::detailing::least_tension_ratio(beam.fy()) * b * d,
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
    // Room for every check a section can have, grown once.
    let mut out = Vec::with_capacity(16);
    out.push(summary("flexure", FLEXURE, flexure_ratio));
    out.push(summary("shear", SHEAR, shear_ratio));
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
    match (&trial.deflection, &trial.calculated) {
        (_, Some(c)) if trial.deflection_by_calculation(beam) => out.push(summary(
            "deflection",
            CALCULATED_DEFLECTION,
            c.utilization(),
        )),
        (Some(defl), _) => out.push(summary(
            "deflection",
            DEFLECTION,
            ratio(defl.actual, defl.allowed),
        )),
        _ => {}
    }
    if let (Some(crack), (_, false)) = (&trial.crack, beam.ms()) {
        let limit = crate::cracking::limit(beam.exposure());
        out.push(summary("crack_width", CRACKING, crack.max() / limit));
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

fn summary(name: &'static str, clause: &'static str, utilization: f64) -> CheckSummary {
    CheckSummary {
        check: name,
        utilization,
        passed: true,
        clause,
    }
}

/// Builds the result; `remedies` are the engine's own answers to "what size would pass".
pub(crate) fn build(beam: &Beam, trial: &Trial, remedies: Remedies) -> DesignResult {
    let fx = flexure_numbers(beam, trial);
    let v = verdict_of(beam, trial, &fx, remedies);
    let reinf = &trial.reinforcement;
    DesignResult {
        status: v.status,
        ast_required: up(fx.ast_required, 1),
        ast_provided: down(reinf.tension.map_or(0.0, |t| t.area()), 1),
        bars_provided: reinf
            .tension
            .map_or_else(|| "none".to_owned(), |t| t.callout()),
        asc_required: up(trial.top_required, 1),
        asc_provided: down(reinf.compression.map_or(0.0, |c| c.area()), 1),
        compression_bars: reinf
            .compression
            .map_or_else(|| "none".to_owned(), |c| c.callout()),
        stirrups: sections::stirrup_callout(trial),
        utilization: v.utilization,
        governing_check: v.governing_check,
        failed_checks: v.failed_checks,
        warnings: v.warnings,
        checks: v.checks,
        flexure: sections::flexure(beam, trial, &fx),
        shear: sections::shear(trial),
        torsion: sections::torsion(trial),
        detailing: sections::detailing(beam, trial),
        serviceability: sections::serviceability(beam, trial),
        crack_width: sections::crack_width(beam, trial),
        stability: sections::stability(trial),
        durability: sections::durability(beam, trial),
        provenance: Provenance {
            engine: "beamline",
            version: env!("CARGO_PKG_VERSION"),
            code: "IS 456:2000",
            input_hash: beam.input_hash(),
        },
    }
}

/// What a result says of its section as a whole: pass or fail, the checks, what failed and what to
/// change, the warnings.
pub(crate) struct Verdict {
    pub status: Status,
    /// The governing ratio, rounded up.
    pub utilization: f64,
    pub governing_check: &'static str,
    /// Every check, its ratio rounded up.
    pub checks: Vec<CheckSummary>,
    pub failed_checks: Vec<FailedCheck>,
    pub warnings: Vec<String>,
}

fn verdict_of(beam: &Beam, trial: &Trial, fx: &FlexureNumbers, remedies: Remedies) -> Verdict {
    let failures = trial.failures();
    let failed_checks: Vec<FailedCheck> = failures
        .iter()
        .map(|f| messages::failed_check(f, beam, trial, remedies))
        .collect();
    let mut checks = checks(beam, trial, fx);
    for c in &mut checks {
        c.passed = !failed_checks.iter().any(|f| f.check == c.check);
    }
    let (governing, utilization) = governing(&checks);
    Verdict {
        status: if failures.is_empty() {
            Status::Success
        } else {
            Status::Fail
        },
        utilization: up(utilization, 3),
        governing_check: governing,
        checks: checks
            .into_iter()
            .map(|c| CheckSummary {
                utilization: up(c.utilization, 3),
                ..c
            })
            .collect(),
        failed_checks,
        warnings: messages::warnings(beam, trial),
    }
}

/// A section of a member checked with the bars drawn there: the verdict and the few numbers the
/// member's zone shows, rounded as in the full result (docs/members.md, "Zones").
pub(crate) struct SectionCheck {
    pub verdict: Verdict,
    /// Effective depth, mm (down).
    pub d: f64,
    /// kN·m (down).
    pub mu_capacity: f64,
    /// kN·m (down).
    pub mu_lim: f64,
    /// mm² (up).
    pub ast_min: f64,
    /// kN (down).
    pub vu_capacity: f64,
    pub tension_face: &'static str,
}

/// Checks a section as [`build`] would, keeping the verdict and the numbers of [`SectionCheck`].
pub(crate) fn section_check(beam: &Beam, trial: &Trial) -> SectionCheck {
    let fx = flexure_numbers(beam, trial);
    let flexure = sections::FlexureFigures::of(trial, &fx);
    SectionCheck {
        verdict: verdict_of(beam, trial, &fx, Remedies::default()),
        d: flexure.d,
        mu_capacity: flexure.mu_capacity,
        mu_lim: flexure.mu_lim,
        ast_min: flexure.ast_min,
        vu_capacity: sections::vu_capacity(trial),
        tension_face: sections::tension_face(beam),
    }
}

/// The governing check and the utilization: the highest ratio, where cover, grade, fire and detailing
/// (rules rather than capacities) count only when they fail.
fn governing(checks: &[CheckSummary]) -> (&'static str, f64) {
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
    (governing, utilization)
}

//! The design result of SPEC §2.7, and how a [`Trial`] becomes one.
//!
//! Reported numbers are rounded to the side of safety: demands (steel required, stresses, ratios,
//! development lengths) up, capacities and limits down, geometry to the nearest step.

use serde::Serialize;

use crate::design::{Failure, Trial};
use crate::flexure::Section;
use crate::input::Beam;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Success,
    Fail,
}

/// One failed check: which, under which clause, and a sentence saying what to change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FailedCheck {
    pub check: &'static str,
    pub clause: &'static str,
    pub message: String,
}

/// One check that ran, with its largest demand/capacity ratio.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CheckSummary {
    pub check: &'static str,
    pub utilization: f64,
    pub passed: bool,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FlexureResult {
    /// Effective depth used, mm.
    pub d: f64,
    /// Design moment (Me1 under torsion), kN·m.
    #[serde(rename = "Mu")]
    pub mu: f64,
    pub xu: f64,
    pub xu_max: f64,
    #[serde(rename = "Mu_lim")]
    pub mu_lim: f64,
    #[serde(rename = "Mu_capacity")]
    pub mu_capacity: f64,
    pub section: &'static str,
    #[serde(rename = "Ast_min")]
    pub ast_min: f64,
    #[serde(rename = "Ast_max")]
    pub ast_max: f64,
    pub pt: f64,
    pub layers: u32,
    /// Depth of the compression steel, mm.
    pub d_prime: f64,
    /// Stress in the compression steel (Fig 23), N/mm²; 0 when singly reinforced.
    pub fsc: f64,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShearResult {
    pub tau_v: f64,
    pub tau_c: f64,
    pub tau_c_max: f64,
    #[serde(rename = "Vus")]
    pub vus: f64,
    pub stirrup_dia: u32,
    pub legs: u32,
    pub spacing_required: f64,
    /// `None` when no buildable spacing (≥ 75 mm) exists.
    pub spacing_provided: Option<u32>,
    #[serde(rename = "Vu_capacity")]
    pub vu_capacity: f64,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TorsionResult {
    #[serde(rename = "Mt")]
    pub mt: f64,
    #[serde(rename = "Me1")]
    pub me1: f64,
    #[serde(rename = "Me2")]
    pub me2: f64,
    #[serde(rename = "Ve")]
    pub ve: f64,
    pub tau_ve: f64,
    pub tau_c: f64,
    pub tau_c_max: f64,
    pub spacing_required: f64,
    /// Steel required at the compression face for Me2, mm².
    pub top_steel_required: f64,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SideFaceResult {
    pub bars: String,
    pub dia: u32,
    pub per_face: u32,
    pub area_required: f64,
    pub area_provided: f64,
    pub spacing: f64,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DetailingResult {
    #[serde(rename = "Ld_tension")]
    pub ld_tension: u32,
    #[serde(rename = "Ld_compression")]
    pub ld_compression: u32,
    /// Clear horizontal distance between the tension bars of the first layer, mm.
    pub bar_clear_spacing: f64,
    /// Least clear distance allowed (Cl 26.3.2 a), mm.
    pub min_clear_spacing: f64,
    /// Greatest clear distance allowed (Table 15), mm.
    pub max_clear_spacing: f64,
    pub side_face: Option<SideFaceResult>,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServiceabilityResult {
    pub span: f64,
    pub basic_ratio: f64,
    pub span_factor: f64,
    pub kt: f64,
    pub kc: f64,
    #[serde(rename = "allowable_L/d")]
    pub allowed_ratio: f64,
    #[serde(rename = "actual_L/d")]
    pub actual_ratio: f64,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Provenance {
    pub engine: &'static str,
    pub version: &'static str,
    pub code: &'static str,
    pub input_hash: String,
}

/// The design of one beam (SPEC §2.7).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DesignResult {
    pub status: Status,
    #[serde(rename = "Ast_required")]
    pub ast_required: f64,
    #[serde(rename = "Ast_provided")]
    pub ast_provided: f64,
    pub bars_provided: String,
    #[serde(rename = "Asc_required")]
    pub asc_required: f64,
    #[serde(rename = "Asc_provided")]
    pub asc_provided: f64,
    pub compression_bars: String,
    pub stirrups: String,
    pub utilization: f64,
    pub governing_check: &'static str,
    pub failed_checks: Vec<FailedCheck>,
    pub warnings: Vec<String>,
    pub checks: Vec<CheckSummary>,
    pub flexure: FlexureResult,
    pub shear: ShearResult,
    pub torsion: Option<TorsionResult>,
    pub detailing: DetailingResult,
    pub serviceability: Option<ServiceabilityResult>,
    pub provenance: Provenance,
}

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

/// Builds the result; `smallest_depth` is the engine's own answer to "how deep would pass".
pub(crate) fn build(beam: &Beam, trial: &Trial, smallest_depth: Option<f64>) -> DesignResult {
    let (b, big_d, d) = (trial.b, trial.big_d, trial.d);
    let failures = trial.failures();
    let steel_max = 0.04 * b * big_d;

    let (ast_required, xu, xu_max, mu_lim, ast_min, section, fsc) = match &trial.demand {
        Ok(dem) => (
            dem.ast_required(),
            dem.xu,
            dem.xu_max,
            dem.mu_lim,
            dem.ast_min,
            dem.section,
            dem.fsc,
        ),
        Err(_) => {
            // The section cannot be designed; report the least it would need: the steel at Mu,lim.
            let xu_max = crate::flexure::xu_max_ratio(beam.fy()) * d;
            (
                crate::flexure::ast_for_xu(b, xu_max, beam.fck(), beam.fy()),
                xu_max,
                xu_max,
                crate::flexure::mu_lim(b, d, beam.fck(), beam.fy()),
                0.85 * b * d / beam.fy(),
                Section::Doubly,
                0.0,
            )
        }
    };
    let ast_provided = trial.tension.map_or(0.0, |t| t.area());
    let asc_provided = trial.compression.map_or(0.0, |c| c.area());
    let mu_capacity = trial.capacity.map_or(0.0, |c| c.mu);

    // Checks, each with its largest demand/capacity ratio.
    let flexure_ratio = ratio(trial.moment, mu_capacity)
        .max(ratio(ast_required.max(ast_provided), steel_max))
        .max(ratio(trial.top_required.max(asc_provided), steel_max));
    let s = &trial.stirrups;
    let mut shear_ratio =
        ratio(s.shear.tau_v, s.shear.tau_c_max).max(ratio(beam.vu() * 1e3, s.vu_capacity));
    if s.spacing_provided.is_none() {
        shear_ratio = shear_ratio.max(ratio(crate::shear::MIN_SPACING, s.spacing_required));
    }
    let mut checks = vec![
        check("flexure", FLEXURE, flexure_ratio),
        check("shear", SHEAR, shear_ratio),
    ];
    if let Some(t) = &trial.torsion {
        let sv = s
            .spacing_provided
            .map_or(crate::shear::MIN_SPACING, f64::from);
        checks.push(check(
            "torsion",
            TORSION,
            ratio(t.demand.tau_ve, t.tau_c_max).max(ratio(sv, t.spacing_required)),
        ));
    }
    if let Some(defl) = &trial.deflection {
        checks.push(check(
            "deflection",
            DEFLECTION,
            ratio(defl.actual, defl.allowed),
        ));
    }
    let governing = checks
        .iter()
        .fold(None::<&CheckSummary>, |best, c| match best {
            Some(b) if b.utilization >= c.utilization => Some(b),
            _ => Some(c),
        })
        .map_or("flexure", |c| c.check);
    let utilization = checks.iter().map(|c| c.utilization).fold(0.0, f64::max);

    let failed_checks: Vec<FailedCheck> = failures
        .iter()
        .map(|f| failed_check(f, beam, smallest_depth))
        .collect();
    for c in &mut checks {
        c.passed = !failed_checks.iter().any(|f| f.check == c.check);
    }

    let mut warnings = Vec::new();
    if trial.preferred_ignored {
        if let Some(dia) = beam.main_bar_dia() {
            warnings.push(format!(
                "main_bar_dia {dia} mm does not give a valid arrangement; other bars were chosen"
            ));
        }
    }
    if trial.capacity.is_some_and(|c| c.over_reinforced) {
        warnings.push(
            "the bars provided exceed the limiting tension steel (xu > xu,max, Cl 38.1 f); the \
             capacity is taken at Mu,lim"
                .to_owned(),
        );
    }
    if !trial.depth_settled {
        warnings.push(format!(
            "the effective depth did not settle; the bars were checked at d = {:.1} mm",
            d
        ));
    }
    if let (Some(given), Some(t)) = (beam.effective_depth(), trial.tension) {
        let geometric =
            big_d - beam.cover() - f64::from(s.dia) - t.centroid_offset(beam.aggregate());
        if given > geometric + 0.5 {
            warnings.push(format!(
                "the effective depth given ({given:.1} mm) is more than the bars chosen allow \
                 ({geometric:.1} mm)"
            ));
        }
    }
    if s.legs > 2 {
        warnings.push(format!("{}-legged stirrups are needed for shear", s.legs));
    }

    let first_layer = trial.tension.map(|t| t.layers[0]).unwrap_or(0);
    let bar_clear_spacing = match trial.tension {
        Some(t) if first_layer > 1 => {
            (trial_clear_width(beam, s.dia) - f64::from(first_layer * t.dia))
                / f64::from(first_layer - 1)
        }
        _ => 0.0,
    };
    let main_dia = trial.tension.map_or(20, |t| t.dia);
    let top_dia = trial.compression.map_or(12, |c| c.dia);

    DesignResult {
        status: if failures.is_empty() {
            Status::Success
        } else {
            Status::Fail
        },
        ast_required: up(ast_required, 1),
        ast_provided: down(ast_provided, 1),
        bars_provided: trial
            .tension
            .map_or_else(|| "none".to_owned(), |t| t.callout()),
        asc_required: up(trial.top_required, 1),
        asc_provided: down(asc_provided, 1),
        compression_bars: trial
            .compression
            .map_or_else(|| "none".to_owned(), |c| c.callout()),
        stirrups: match s.spacing_provided {
            Some(sv) => format!("{}L-{}φ@{sv}", s.legs, s.dia),
            None => format!("{}L-{}φ (no spacing ≥ 75 mm works)", s.legs, s.dia),
        },
        utilization: up(utilization, 3),
        governing_check: governing,
        failed_checks,
        warnings,
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
            xu: near(xu, 1),
            xu_max: down(xu_max, 1),
            mu_lim: down(mu_lim / 1e6, 2),
            mu_capacity: down(mu_capacity / 1e6, 2),
            section: section.as_str(),
            ast_min: up(ast_min, 1),
            ast_max: down(steel_max, 1),
            pt: near(100.0 * ast_provided / (b * d), 3),
            layers: trial.tension.map_or(0, |t| t.layer_count()),
            d_prime: near(trial.d_prime, 1),
            fsc: down(fsc, 1),
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
            min_clear_spacing: crate::detailing::horizontal_gap(main_dia, beam.aggregate()),
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
        provenance: Provenance {
            engine: "beamline",
            version: env!("CARGO_PKG_VERSION"),
            code: "IS 456:2000",
            input_hash: beam.input_hash(),
        },
    }
}

fn trial_clear_width(beam: &Beam, stirrup_dia: u32) -> f64 {
    beam.width() - 2.0 * (beam.cover() + f64::from(stirrup_dia))
}

fn ld(dia: u32, beam: &Beam, compression: bool) -> u32 {
    // Rounded up to the whole millimetre: a development length is a demand.
    let ld = crate::detailing::development_length(dia, beam.fck(), beam.fy(), compression);
    up(ld, 0) as u32
}

fn check(name: &'static str, clause: &'static str, utilization: f64) -> CheckSummary {
    CheckSummary {
        check: name,
        utilization,
        passed: true,
        clause,
    }
}

/// The remedy sentence: the engine's smallest passing depth when it found one.
fn remedy(failure: &Failure, beam: &Beam, smallest_depth: Option<f64>, default: &str) -> String {
    match (failure.depth_helps(), smallest_depth) {
        (true, Some(depth)) => format!("increase depth to at least {depth:.0} mm"),
        (true, None) => format!(
            "{default}; no depth up to {:.0} mm passes at this width",
            beam.max_depth()
        ),
        (false, Some(depth)) => format!("{default}, or increase depth to at least {depth:.0} mm"),
        (false, None) => default.to_owned(),
    }
}

fn failed_check(failure: &Failure, beam: &Beam, smallest_depth: Option<f64>) -> FailedCheck {
    let fix = |default: &str| remedy(failure, beam, smallest_depth, default);
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
                 spacing of 26.3.2 and Table 15: {}",
                fix("increase width")
            ),
        ),
        Failure::CompressionBarsDoNotFit { required } => (
            "flexure",
            "IS 456 Cl 26.3.2",
            format!(
                "{required:.0} mm² of compression steel does not fit in one layer: {}",
                fix("increase width")
            ),
        ),
        Failure::CapacityShort { capacity, moment } => (
            "flexure",
            FLEXURE,
            format!(
                "moment capacity of the bars provided {:.2} kN·m is below the design moment \
                 {:.2} kN·m: {}",
                capacity / 1e6,
                moment / 1e6,
                fix("increase depth")
            ),
        ),
        Failure::ShearStressAboveMaximum { tau_v, tau_c_max } => (
            "shear",
            "IS 456 Cl 40.2.3, Table 20",
            format!(
                "τv = {tau_v:.2} N/mm² exceeds τc,max = {tau_c_max} N/mm²: section too small for \
                 shear; {}",
                remedy(failure, beam, smallest_depth, "increase width or depth")
            ),
        ),
        Failure::TorsionStressAboveMaximum { tau_ve, tau_c_max } => (
            "torsion",
            "IS 456 Cl 41.3.1",
            format!(
                "τve = {tau_ve:.2} N/mm² exceeds τc,max = {tau_c_max} N/mm²: section too small for \
                 torsion; {}",
                fix("increase width or depth")
            ),
        ),
        Failure::StirrupSpacingTooSmall { required } => (
            "shear",
            "IS 456 Cl 40.4",
            format!(
                "the stirrups would need a spacing of {required:.0} mm, below the 75 mm that can \
                 be built, even with the strongest stirrups tried: {}",
                fix("increase width or depth")
            ),
        ),
        Failure::Deflection { actual, allowed } => (
            "deflection",
            DEFLECTION,
            format!(
                "span/effective depth {actual:.2} exceeds the allowed {allowed:.2} (deflection): {}",
                fix("increase depth")
            ),
        ),
        Failure::ReversedMomentTooLarge { me2 } => (
            "torsion",
            "IS 456 Cl 41.4.2.1",
            format!(
                "Me2 = {:.2} kN·m exceeds what the compression face can resist: {}",
                me2 / 1e6,
                fix("increase depth")
            ),
        ),
    };
    FailedCheck {
        check,
        clause,
        message,
    }
}

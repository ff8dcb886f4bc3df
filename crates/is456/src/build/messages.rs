//! What the result says in words: the warnings, and for each failed check what failed and what to
//! change.

use super::*;

pub(super) fn warnings(beam: &Beam, trial: &Trial) -> Vec<String> {
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
    if let Some(c) = trial
        .calculated_deflection(beam)
        .filter(|c| !c.passes() && !trial.deflection_by_calculation(beam))
    {
        warnings.push(format!(
            "deflection by calculation (Annex C) is {:.1} mm in all and {:.1} mm after finishes, \
             over span/250 = {:.1} mm or {:.1} mm; span/depth (Cl 23.2.1) decides the check",
            up(c.total, 1),
            up(c.after_finishes, 1),
            c.total_limit,
            c.after_finishes_limit
        ));
    }
    warnings
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

pub(super) fn failed_check(
    failure: &Failure,
    beam: &Beam,
    trial: &Trial,
    remedies: Remedies,
) -> FailedCheck {
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
        Failure::CalculatedDeflection {
            total,
            total_limit,
            after_finishes,
            after_finishes_limit,
        } => (
            "deflection",
            "IS 456 Cl 23.2, Annex C",
            format!(
                "calculated deflection {:.1} mm (limit span/250 = {:.1} mm), after finishes {:.1} mm \
                 (limit {:.1} mm): {}",
                up(total, 1),
                down(total_limit, 1),
                up(after_finishes, 1),
                down(after_finishes_limit, 1),
                fix("increase depth")
            ),
        ),
        Failure::CrackWidth { width, limit } => (
            "crack_width",
            CRACKING,
            format!(
                "crack width {:.3} mm at the service moment exceeds {:.1} mm for {} exposure: use \
                 more, smaller bars closer together, or {}",
                up(width, 3),
                limit,
                beam.exposure().as_str(),
                fix("increase depth")
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

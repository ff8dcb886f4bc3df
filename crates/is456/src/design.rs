//! The whole design of one beam, in the order an engineer works: choose the stirrups and bars
//! (`choose`), check the section as built from those bars alone (`trial`), look for the sizes that
//! would pass where it fails (`remedies`), and write the result (`build`). Every check of the result
//! comes from the trial, so a SUCCESS always describes the bars that are drawn.

use crate::build;
use crate::choose;
use crate::input::Beam;
use crate::remedies::Remedies;
use crate::result::DesignResult;
use crate::trial::{Reinforcement, Trial};

/// Designs a beam. Never panics and never produces a non-finite number for a valid [`Beam`].
pub fn design(beam: &Beam) -> DesignResult {
    let trial = choose::reinforce(beam, 0.0);
    let remedies = Remedies::find(beam, &trial);
    build::build(beam, &trial, remedies)
}

/// Designs one reinforcement for every load case of `beams` (the same section, different actions) and
/// checks each case with it.
pub(crate) fn design_cases(beams: &[Beam]) -> Vec<DesignResult> {
    let Some(reinforcement) = envelope_reinforcement(beams) else {
        return Vec::new();
    };
    beams
        .iter()
        .map(|beam| {
            let trial = Trial::assess(beam, &reinforcement);
            build::build(beam, &trial, Remedies::default())
        })
        .collect()
}

/// Designs the bars and stirrups once for every load case of `beams` (the same section, different
/// actions): the envelope of the moments, shears and torsions, with top bars enough for the largest
/// reversed moment Me2 = Mt − Mu of any case (Cl 41.4.2.1). `None` for no beams.
fn envelope_reinforcement(beams: &[Beam]) -> Option<Reinforcement> {
    let first = beams.first()?;
    let max = |f: fn(&Beam) -> f64| beams.iter().map(f).fold(0.0, f64::max);
    // Every case bends the same way (load_cases::parse): the envelope keeps their sign.
    let sign = if beams.iter().any(Beam::hogging) {
        -1.0
    } else {
        1.0
    };
    let envelope = first.with_actions(sign * max(Beam::mu), max(Beam::vu), max(Beam::tu));
    let mut min_top = 0.0;
    let mut trial = choose::reinforce(&envelope, min_top);
    for _ in 0..2 {
        let needed = beams
            .iter()
            .filter_map(|b| Trial::assess(b, &trial.reinforcement).torsion)
            .filter_map(|t| t.top_steel)
            .fold(0.0, f64::max);
        let has = trial.reinforcement.compression.map_or(0.0, |c| c.area());
        if needed <= has + 1e-6 {
            break;
        }
        min_top = needed;
        trial = choose::reinforce(&envelope, min_top);
    }
    Some(trial.reinforcement)
}

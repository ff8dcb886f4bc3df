//! The engine's own answers to "what would pass" for a beam that fails: the smallest depth and the
//! smallest width on a 25 mm grid at which the whole design passes.

use crate::choose;
use crate::input::Beam;
use crate::trial::Trial;

/// The engine's own answers to "what would pass": the smallest depth and width on a 25 mm grid.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Remedies {
    pub depth: Option<f64>,
    pub width: Option<f64>,
    /// Whether the sizes were searched for (not for load cases checked with fixed bars).
    pub searched: bool,
}

impl Remedies {
    pub(crate) fn find(beam: &Beam, trial: &Trial) -> Remedies {
        let failures = trial.failures();
        let depth = failures
            .iter()
            .any(|f| f.depth_helps())
            .then(|| smallest_passing(beam.depth(), beam.max_depth(), |d| beam.with_depth(d)))
            .flatten();
        let width = failures
            .iter()
            .any(|f| f.width_helps())
            .then(|| smallest_passing(beam.width(), 3000.0, |w| beam.with_width(w)))
            .flatten();
        Remedies {
            depth,
            width,
            searched: true,
        }
    }
}

/// The smallest size on a 25 mm grid above `from` and up to `max` at which the whole design passes.
/// Passing is close to monotone in size, so the search halves the interval.
fn smallest_passing(from: f64, max: f64, beam_at: impl Fn(f64) -> Beam) -> Option<f64> {
    const STEP: f64 = 25.0;
    let lo = (from / STEP).floor() as i64 + 1;
    let hi = (max / STEP).floor() as i64;
    let passes = |k: i64| choose::reinforce(&beam_at(k as f64 * STEP), 0.0).passes();
    if lo > hi || !passes(hi) {
        return None;
    }
    let (mut lo, mut hi) = (lo, hi);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if passes(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(hi as f64 * STEP)
}

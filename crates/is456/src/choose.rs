//! Choosing the reinforcement (docs/engine.md, "Order of the design" and "How bars are chosen"):
//! the stirrups, then the bars of both faces at their own effective depth.

use std::cell::RefCell;
use std::rc::Rc;

use crate::bars::{self, FaceBars, FaceRules};
use crate::cracking;
use crate::detailing::least_tension_ratio;
use crate::failure::Failure;
use crate::flexure;
use crate::input::Beam;
use crate::torsion::{self, TorsionDemand};
use crate::trial::{crack_width_of, Reinforcement, Rules, Spacing, Trial};

/// Stirrups the design tries in turn when the spacing would fall below 75 mm (docs/engine.md): a larger
/// diameter first, then two more legs where the width allows.
const AUTO_STIRRUP_DIAS: [u32; 3] = [8, 10, 12];
/// The effective-depth iteration (docs/engine.md) settles in two or three rounds; this bounds it.
const MAX_DEPTH_ROUNDS: usize = 8;
/// Greatest transverse distance between stirrup legs, mm (besides d).
const MAX_LEG_SPACING: f64 = 450.0;

/// Designs the reinforcement, with at least `min_top` mm² of steel at the compression face, using the
/// stirrups asked for or each automatic choice in turn until the spacing can be built, and assesses
/// it.
pub(crate) fn reinforce(beam: &Beam, min_top: f64) -> Trial {
    let d_estimate = beam
        .effective_depth()
        .unwrap_or(beam.depth() - beam.cover() - 20.0);
    let fewest = fewest_legs(beam, d_estimate);
    let asked = beam.stirrup_dia().map(|d| [d]);
    let dias: &[u32] = asked.as_ref().map_or(&AUTO_STIRRUP_DIAS[..], |d| &d[..]);
    let legs = [fewest, fewest + 2];
    let legs = legs
        .iter()
        .filter(|&&l| l == fewest || legs_fit(beam.width(), l));
    let mut last = None;
    for (legs, dia) in legs.flat_map(|&l| dias.iter().map(move |&d| (l, d))) {
        let trial = Trial::assess(beam, &choose(beam, dia, legs, min_top));
        let hopeless = trial.failures().iter().any(|f| {
            matches!(
                f,
                Failure::ShearStressAboveMaximum { .. } | Failure::TorsionStressAboveMaximum { .. }
            )
        });
        if trial.stirrups.spacing_provided.is_some() || hopeless {
            return trial;
        }
        last = Some(trial);
    }
    // Every option needs less than 75 mm: report the strongest one.
    last.unwrap_or_else(|| Trial::assess(beam, &choose(beam, 8, fewest, min_top)))
}

/// The fewest stirrup legs (an even number) whose transverse distance is within d and 450 mm.
pub(crate) fn fewest_legs(beam: &Beam, d: f64) -> u32 {
    let across = beam.width() - 2.0 * beam.cover() - 8.0;
    let limit = d.min(MAX_LEG_SPACING);
    let mut legs = 2;
    while across / f64::from(legs - 1) > limit && legs < 16 {
        legs += 2;
    }
    legs
}

/// More than two legs need room for the inner ones: 75 mm of width per leg.
fn legs_fit(width: f64, legs: u32) -> bool {
    legs == 2 || width >= 75.0 * f64::from(legs)
}

/// The geometry and rules shared by every round of the choice.
struct Choice<'a> {
    beam: &'a Beam,
    edge: f64,
    /// Steel the compression face must have in any case (another load case's Me2), mm².
    min_top: f64,
    moment_at: &'a dyn Fn(f64) -> (f64, Option<TorsionDemand>),
    tension_rules: FaceRules,
    compression_rules: FaceRules,
    /// The crack width the tension bars must keep at a given service moment (Cl 35.3.2), mm.
    crack_limit: Option<f64>,
    /// The compression face's arrangements by area (its bits), listed once for every round that
    /// asks for the same area: a singly reinforced section asks for hangers alone in every round.
    compression_lists: RefCell<Vec<(u64, Rc<bars::Candidates>)>>,
}

/// Chooses the bars for stirrups of `stirrup_dia` with `legs` legs (docs/engine.md, "Order of the design" and "How bars are chosen"): the
/// tension bars that carry the moment at their own depth and keep the section under-reinforced with
/// the top bars; where they cannot, compression bars enough for xu ≤ xu,max. The effective depth
/// follows the bars until the two agree.
fn choose(beam: &Beam, stirrup_dia: u32, legs: u32, min_top: f64) -> Reinforcement {
    let (b, big_d) = (beam.width(), beam.depth());
    let edge = beam.cover() + f64::from(stirrup_dia);
    let rules = Rules::of(beam, stirrup_dia, legs);
    let moment_at = |d: f64| {
        let (mu, vu, tu) = (beam.mu() * 1e6, beam.vu() * 1e3, beam.tu() * 1e6);
        let with_mu = beam.moment_torsion() * 1e6;
        let tors = (tu > 0.0).then(|| torsion::demand(mu, vu, with_mu, tu, b, big_d, d));
        (tors.map_or(mu, |t| t.me1), tors)
    };
    let mut choice = Choice {
        beam,
        edge,
        min_top,
        moment_at: &moment_at,
        tension_rules: rules.tension,
        compression_rules: rules.compression,
        // Only at a service moment the engineer gave (docs/engine.md, "Crack width").
        crack_limit: (!beam.ms().1).then(|| cracking::limit(beam.exposure())),
        compression_lists: RefCell::default(),
    };
    let round = choice.settle(big_d - edge - 10.0);
    // Where no bars keep the crack width, the bars for strength are drawn and the crack-width check
    // says what fails, rather than "no bars fit".
    let round = if round.tension.is_none() && choice.crack_limit.is_some() {
        choice.crack_limit = None;
        choice.settle(big_d - edge - 10.0)
    } else {
        round
    };
    Reinforcement {
        tension: round.tension,
        compression: round.compression,
        stirrup_dia,
        legs,
        spacing: Spacing::ToChoose,
        preferred_used: round.preferred_used,
    }
}

impl Choice<'_> {
    /// The rounds of the effective-depth iteration, from `d_start` (or the given d) until d and d′
    /// settle.
    fn settle(&self, d_start: f64) -> Round {
        let choice = self;
        let beam = self.beam;
        let edge = self.edge;
        let mut d = beam.effective_depth().unwrap_or(d_start);
        let mut d_prime = edge + 6.0;
        // Where the rounds alternate between two arrangements, the last is kept: its bars were accepted
        // at their own depth, and `assess` checks them there in any case.
        let mut round = choice.round(d, d_prime);
        for _ in 1..MAX_DEPTH_ROUNDS {
            let new_d = round.tension.map_or(d, |t| choice.depth_of(&t));
            let new_dp = round.compression.map_or(d_prime, |c| choice.d_prime_of(&c));
            if (new_d - d).abs() < 1e-9 && (new_dp - d_prime).abs() < 1e-9 {
                break;
            }
            (d, d_prime) = (new_d, new_dp);
            round = choice.round(d, d_prime);
        }
        round
    }
}

/// The bars of one round of the effective-depth iteration.
struct Round {
    tension: Option<FaceBars>,
    compression: Option<FaceBars>,
    preferred_used: bool,
}

impl Choice<'_> {
    fn geometric_depth(&self, t: &FaceBars) -> f64 {
        self.beam.depth() - t.centroid(self.edge, self.beam.aggregate())
    }

    /// The effective depth tension bars really give: their centroid, or the given d when smaller.
    fn depth_of(&self, t: &FaceBars) -> f64 {
        self.effective_of(self.geometric_depth(t))
    }

    /// The effective depth of bars whose centroid is `geometric` deep: that, or the given d when
    /// smaller.
    fn effective_of(&self, geometric: f64) -> f64 {
        self.beam
            .effective_depth()
            .map_or(geometric, |g| g.min(geometric))
    }

    /// The arrangements of the compression face with at least `area`, see `compression_lists`.
    fn compression_candidates(&self, area: f64) -> Rc<bars::Candidates> {
        let mut lists = self.compression_lists.borrow_mut();
        if let Some((_, listed)) = lists.iter().find(|(bits, _)| *bits == area.to_bits()) {
            return listed.clone();
        }
        let listed = Rc::new(bars::Candidates::new(area, &self.compression_rules));
        lists.push((area.to_bits(), listed.clone()));
        listed
    }

    fn d_prime_of(&self, c: &FaceBars) -> f64 {
        c.centroid(self.edge, self.beam.aggregate())
    }

    /// Steel needed at the compression face with its centroid at `d_prime`, at effective depth `d`:
    /// Asc of G-1.2 and the Me2 steel of Cl 41.4.2.1. `None` when bars there cannot work.
    fn top_needed(&self, d: f64, d_prime: f64) -> Option<f64> {
        let beam = self.beam;
        let (b, fck, fy) = (beam.width(), beam.fck(), beam.fy());
        let (moment, tors) = (self.moment_at)(d);
        let asc = flexure::design(beam.compression_shape(), d, d_prime, fck, fy, moment)
            .ok()?
            .asc;
        let me2 = match tors {
            Some(t) => flexure::reversed_moment_steel(t.me2, b, beam.depth() - d_prime, fck, fy)?,
            None => 0.0,
        };
        Some(asc.max(me2).max(self.min_top))
    }

    /// Whether tension bars `t` with compression bars `c` carry the moment at the depth `t` gives,
    /// and whether they stay under-reinforced (xu ≤ xu,max, Cl 38.1 f).
    fn works(&self, t: &FaceBars, c: &FaceBars, d_assumed: Option<f64>) -> (bool, bool) {
        let beam = self.beam;
        let geometric = self.geometric_depth(t);
        let d = d_assumed.unwrap_or_else(|| self.effective_of(geometric));
        let (moment, _) = (self.moment_at)(d);
        let (b, fck, fy) = (beam.width(), beam.fck(), beam.fy());
        // Cl 26.5.1.1 (a) at the depth the bars really have: the minimum grows with d.
        if t.area() + 1e-9 < least_tension_ratio(fy) * b * geometric {
            return (false, true);
        }
        let d_prime = self.d_prime_of(c);
        // A shortcut without root finding: with the concrete alone in compression the neutral axis
        // is at xu0; compression bars only raise it, and where they sit above 0.42 xu0 they only add
        // moment, so T (d − 0.42 xu0) is a lower bound of the capacity and the section is ductile.
        // (Rectangular sections only: a flange moves the block's centroid.)
        let shape = beam.compression_shape();
        let tension = 0.87 * fy * t.area();
        let xu0 = tension / (0.36 * fck * b);
        if !shape.is_flanged()
            && self.crack_limit.is_none()
            && xu0 <= flexure::xu_max_ratio(fy) * d
            && d_prime <= 0.42 * xu0
            && tension * (d - 0.42 * xu0) >= moment
        {
            return (true, true);
        }
        let cap = flexure::capacity(shape, d, d_prime, fck, fy, t.area(), c.area());
        (
            cap.mu >= moment && self.cracks_within_limit(t, d),
            !cap.over_reinforced,
        )
    }

    /// Whether tension bars `t` at effective depth `d` keep the crack width limit, where there is one.
    fn cracks_within_limit(&self, t: &FaceBars, d: f64) -> bool {
        self.crack_limit.is_none_or(|limit| {
            crack_width_of(self.beam, t, self.edge, d).is_none_or(|c| c.max() <= limit)
        })
    }

    fn round(&self, d: f64, d_prime: f64) -> Round {
        let beam = self.beam;
        let none = Round {
            tension: None,
            compression: None,
            preferred_used: false,
        };
        let (moment, _) = (self.moment_at)(d);
        let shape = beam.compression_shape();
        let Ok(demand) = flexure::design(shape, d, d_prime, beam.fck(), beam.fy(), moment) else {
            return none;
        };
        // Top bars for strength: the Asc of G-1.2 (or Me2) at their own d′, else hangers.
        let needed = self.top_needed(d, d_prime).unwrap_or(0.0);
        let strong_enough = |c: &FaceBars| {
            self.top_needed(d, self.d_prime_of(c))
                .is_some_and(|a| c.area() + 1e-6 >= a)
        };
        let Some((top, _)) = self.compression_candidates(needed).choose(strong_enough) else {
            return none;
        };
        // Tension bars: ductile with those top bars if any will do, at their own depth first.
        let candidates = bars::Candidates::new(demand.ast_required(), &self.tension_rules);
        // What each candidate does, at its own depth and at the assumed one, worked out once.
        let memo = RefCell::new(Vec::<[Option<(bool, bool)>; 2]>::new());
        let pick = |own: bool, ductile: bool| {
            candidates.choose_indexed(|i, t| {
                let slot = usize::from(own);
                let known = memo.borrow().get(i).and_then(|m| m[slot]);
                let (strong, under) = known.unwrap_or_else(|| {
                    let found = self.works(t, &top, (!own).then_some(d));
                    let mut memo = memo.borrow_mut();
                    if memo.len() <= i {
                        memo.resize(i + 1, [None; 2]);
                    }
                    memo[i][slot] = Some(found);
                    found
                });
                strong && (under || !ductile)
            })
        };
        let Some((tension, preferred_used)) = pick(true, true)
            .or_else(|| pick(true, false))
            .or_else(|| pick(false, true))
            .or_else(|| pick(false, false))
        else {
            return Round {
                compression: Some(top),
                ..none
            };
        };
        // The top bars again at the tension bars' own depth: enough for G-1.2 and Me2 there, and
        // enough for the section to stay ductile (Annex G-1.1 d).
        let d_own = self.depth_of(&tension);
        let holds = |c: &FaceBars| {
            let (strong, under) = self.works(&tension, c, None);
            let enough = self
                .top_needed(d_own, self.d_prime_of(c))
                .is_some_and(|a| c.area() + 1e-6 >= a);
            strong && under && enough
        };
        let mut compression = top;
        if !holds(&top) {
            let needed = self.top_needed(d_own, d_prime).unwrap_or(needed);
            if let Some((c, _)) = self.compression_candidates(needed).choose(holds) {
                compression = c;
            }
        }
        Round {
            tension: Some(tension),
            compression: Some(compression),
            preferred_used,
        }
    }
}

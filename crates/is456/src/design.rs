//! The whole design of one beam: flexure, bars, effective depth, shear, torsion, deflection and
//! detailing, put together in the order an engineer would work (SPEC §2).

use crate::detailing::{self, Arrangement, SideFace, Space};
use crate::flexure::{self, Capacity, FlexureDemand, FlexureFailure, Section};
use crate::input::Beam;
use crate::result::{self, DesignResult};
use crate::serviceability::{self, Deflection};
use crate::shear::{self, ShearDemand};
use crate::tables::{bar_area, MAIN_BAR_DIAS};
use crate::torsion::{self, Hoop, TorsionDemand};

/// Stirrups the design tries in turn when the spacing would fall below 75 mm (SPEC §2.2): a larger
/// diameter first, then four legs where the width allows.
const AUTO_STIRRUP_DIAS: [u32; 3] = [8, 10, 12];
/// Four-legged stirrups need room for the inner legs.
pub const MIN_WIDTH_FOR_FOUR_LEGS: f64 = 300.0;
/// The effective-depth iteration of §2.6 settles in two or three rounds; this bounds it.
const MAX_DEPTH_ROUNDS: usize = 8;
/// Initial guess of the main bar diameter, before any bars are chosen.
const GUESS_BAR_DIA: u32 = 20;
/// Hanger bars when no compression steel is needed (SPEC §2.4).
const HANGER_DIA: u32 = 12;

/// Designs a beam. Never panics and never produces a non-finite number for a valid [`Beam`].
pub fn design(beam: &Beam) -> DesignResult {
    let trial = Trial::run(beam);
    let smallest_depth = if trial.failures().iter().any(|f| f.depth_helps()) {
        smallest_passing_depth(beam)
    } else {
        None
    };
    result::build(beam, &trial, smallest_depth)
}

/// The smallest total depth, on a 25 mm grid above the given one, at which the whole design passes;
/// `None` when no depth within the input's limits (4000 mm, depth/width ≤ 8, not a deep beam) does.
/// Passing is close to monotone in depth, so the search halves the interval.
fn smallest_passing_depth(beam: &Beam) -> Option<f64> {
    const STEP: f64 = 25.0;
    let max_depth = beam.max_depth();
    let lo = (beam.depth() / STEP).floor() as i64 + 1;
    let hi = (max_depth / STEP).floor() as i64;
    let passes = |k: i64| Trial::run(&beam.with_depth(k as f64 * STEP)).passes();
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

/// Why a check failed; `result` turns each into a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Failure {
    /// d′ ≥ xu,max: compression steel cannot work (G-1.2).
    CompressionSteelIneffective { d_prime: f64, xu_max: f64 },
    /// Ast required above 0.04 b D (26.5.1.1 b).
    TensionSteelAboveMaximum { required: f64, max: f64 },
    /// Asc above 0.04 b D (26.5.1.2).
    CompressionSteelAboveMaximum { required: f64, max: f64 },
    /// No arrangement of up to two layers fits the width.
    TensionBarsDoNotFit { required: f64 },
    /// The compression bars do not fit in one layer.
    CompressionBarsDoNotFit { required: f64 },
    /// The capacity of the bars provided falls short (only after a non-converged iteration).
    CapacityShort { capacity: f64, moment: f64 },
    /// τv > τc,max (Table 20).
    ShearStressAboveMaximum { tau_v: f64, tau_c_max: f64 },
    /// τve > τc,max (Cl 41.3.1).
    TorsionStressAboveMaximum { tau_ve: f64, tau_c_max: f64 },
    /// Even the strongest stirrups would need less than 75 mm.
    StirrupSpacingTooSmall { required: f64 },
    /// Span/d above the allowed ratio (Cl 23.2.1).
    Deflection { actual: f64, allowed: f64 },
    /// The top steel for Me2 cannot be provided singly (Cl 41.4.2.1).
    ReversedMomentTooLarge { me2: f64 },
}

impl Failure {
    /// Whether a deeper section is the remedy (as opposed to a wider one).
    pub(crate) fn depth_helps(&self) -> bool {
        !matches!(
            self,
            Failure::TensionBarsDoNotFit { .. } | Failure::CompressionBarsDoNotFit { .. }
        )
    }
}

/// Shear and torsion as designed, with the stirrups chosen.
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

/// One full design with one choice of stirrups.
#[derive(Debug, Clone)]
pub(crate) struct Trial {
    pub b: f64,
    pub big_d: f64,
    pub d: f64,
    pub d_prime: f64,
    /// The design moment (Me1 under torsion), N·mm.
    pub moment: f64,
    pub demand: Result<FlexureDemand, FlexureFailure>,
    pub tension: Option<Arrangement>,
    pub preferred_ignored: bool,
    pub compression: Option<Arrangement>,
    /// Steel required at the compression face: Asc, or the Me2 steel under torsion, mm².
    pub top_required: f64,
    pub capacity: Option<Capacity>,
    pub stirrups: Stirrups,
    pub torsion: Option<TorsionDesign>,
    pub deflection: Option<Deflection>,
    pub side_face: Option<SideFace>,
    pub depth_settled: bool,
    /// Every check that fails, worked out once when the trial is complete.
    failures: Vec<Failure>,
}

impl Trial {
    /// Runs the design with the stirrups asked for, or with each automatic choice in turn until the
    /// spacing can be built.
    pub(crate) fn run(beam: &Beam) -> Trial {
        let asked = beam.stirrup_dia().map(|d| [d]);
        let dias: &[u32] = asked.as_ref().map_or(&AUTO_STIRRUP_DIAS[..], |d| &d[..]);
        let legs: &[u32] = if beam.width() >= MIN_WIDTH_FOR_FOUR_LEGS {
            &[2, 4]
        } else {
            &[2]
        };
        let options = legs.iter().flat_map(|&l| dias.iter().map(move |&d| (d, l)));
        let mut last = None;
        for (dia, legs) in options {
            let trial = Trial::with_stirrups(beam, dia, legs);
            let hopeless = trial.failures().iter().any(|f| {
                matches!(
                    f,
                    Failure::ShearStressAboveMaximum { .. }
                        | Failure::TorsionStressAboveMaximum { .. }
                )
            });
            if trial.stirrups.spacing_provided.is_some() || hopeless {
                return trial;
            }
            last = Some(trial);
        }
        // Every option needs less than 75 mm: report the strongest one.
        last.unwrap_or_else(|| Trial::with_stirrups(beam, 8, 2))
    }

    fn with_stirrups(beam: &Beam, stirrup_dia: u32, legs: u32) -> Trial {
        let (b, big_d, cover) = (beam.width(), beam.depth(), beam.cover());
        let (fck, fy, agg) = (beam.fck(), beam.fy(), beam.aggregate());
        let (mu, vu, tu) = (beam.mu() * 1e6, beam.vu() * 1e3, beam.tu() * 1e6);
        let phi_st = f64::from(stirrup_dia);
        let edge = cover + phi_st;
        let space = Space {
            clear_width: b - 2.0 * edge,
            aggregate: agg,
        };
        let depth_of = |arr: &Arrangement| {
            beam.effective_depth()
                .unwrap_or(big_d - edge - arr.centroid_offset(agg))
        };
        let guess = Arrangement {
            dia: beam.main_bar_dia().unwrap_or(GUESS_BAR_DIA),
            layers: [2, 0],
        };

        // §2.6: design, choose bars, re-derive d from them, until the two agree.
        let mut d = depth_of(&guess);
        let mut round = Round::at(beam, space, edge, d, &depth_of);
        let mut settled = false;
        for _ in 1..MAX_DEPTH_ROUNDS {
            let new_d = round.tension.as_ref().map_or(d, depth_of);
            if (new_d - d).abs() < 1e-9 {
                settled = true;
                break;
            }
            d = new_d;
            round = Round::at(beam, space, edge, d, &depth_of);
        }
        if !settled {
            // Check the last bars chosen against the depth they really give.
            d = round.tension.as_ref().map_or(d, depth_of);
        }
        let tors = (tu > 0.0).then(|| torsion::demand(mu, vu, tu, b, big_d, d));
        let d_prime = round
            .compression
            .map_or(round.d_prime, |c| edge + 0.5 * f64::from(c.dia));
        let asc_provided = round.asc_provided();
        let top_area = round.compression.map_or(0.0, |c| c.area());
        let capacity = round.tension.map(|t| {
            section_capacity(
                b,
                d,
                d_prime,
                fck,
                fy,
                t.area(),
                [top_area, round.asc_designed],
            )
        });
        let ast_provided = round.tension.map_or_else(
            || round.demand.map_or(0.0, |dem| dem.ast_required()),
            |t| t.area(),
        );
        let pt = 100.0 * ast_provided / (b * d);
        let bottom_dia = f64::from(round.tension.map_or(GUESS_BAR_DIA, |a| a.dia));
        let top_dia = f64::from(round.compression.map_or(HANGER_DIA, |a| a.dia));

        // Shear (Cl 40) and torsion (Cl 41) share the stirrups.
        let fy_sv = beam.fy_stirrup();
        let bar = bar_area(stirrup_dia);
        let (asv_hoop, asv_all) = (2.0 * bar, f64::from(legs) * bar);
        let shear_demand = shear::demand(b, d, vu, pt, fck);
        let mut spacing_required = shear::spacing_required(b, d, shear_demand.vus, asv_all, fy_sv);
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
                top_steel: round.me2_steel,
            }
        });
        let spacing_provided = shear::spacing_provided(spacing_required);
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
            let ast_req = round.demand.map_or(ast_provided, |dem| dem.ast_required());
            let fs = 0.58 * fy * (ast_req / ast_provided.max(1e-9)).min(1.0);
            let pc = 100.0 * asc_provided / (b * d);
            serviceability::check(
                span,
                d,
                beam.support(),
                serviceability::kt(fs, pt),
                serviceability::kc(pc),
            )
        });

        // Side-face steel: web deeper than 750 mm (26.5.1.3), or torsion on a section deeper than
        // 450 mm (26.5.1.7 b).
        let side_face = (big_d > 750.0 || (tu > 0.0 && big_d > 450.0)).then(|| {
            let height = big_d - 2.0 * edge - 0.5 * (bottom_dia + top_dia);
            detailing::side_face(b, big_d, height)
        });

        Trial {
            b,
            big_d,
            d,
            d_prime,
            moment: round.moment,
            demand: round.demand,
            tension: round.tension,
            preferred_ignored: beam.main_bar_dia().is_some() && !round.preferred_used,
            compression: round.compression,
            top_required: round.top_required,
            capacity,
            stirrups: Stirrups {
                dia: stirrup_dia,
                legs,
                shear: shear_demand,
                spacing_required,
                spacing_provided,
                vu_capacity,
            },
            torsion,
            deflection,
            side_face,
            depth_settled: settled || beam.effective_depth().is_some(),
            failures: Vec::new(),
        }
        .with_failures()
    }

    fn with_failures(mut self) -> Trial {
        self.failures = self.find_failures();
        self
    }

    /// Every check that fails, in the order of the result.
    pub(crate) fn failures(&self) -> &[Failure] {
        &self.failures
    }

    fn find_failures(&self) -> Vec<Failure> {
        let mut out = Vec::new();
        let (b, big_d) = (self.b, self.big_d);
        let steel_max = 0.04 * b * big_d;
        match &self.demand {
            Err(FlexureFailure::CompressionSteelIneffective { d_prime, xu_max }) => {
                out.push(Failure::CompressionSteelIneffective {
                    d_prime: *d_prime,
                    xu_max: *xu_max,
                });
            }
            Ok(dem) => {
                let required = dem.ast_required();
                if required > steel_max {
                    out.push(Failure::TensionSteelAboveMaximum {
                        required,
                        max: steel_max,
                    });
                } else if self.tension.is_none() {
                    out.push(Failure::TensionBarsDoNotFit { required });
                } else if let Some(t) = self.tension.filter(|t| t.area() > steel_max) {
                    out.push(Failure::TensionSteelAboveMaximum {
                        required: t.area(),
                        max: steel_max,
                    });
                }
                if self.top_required > steel_max {
                    out.push(Failure::CompressionSteelAboveMaximum {
                        required: self.top_required,
                        max: steel_max,
                    });
                } else if self.compression.is_none() {
                    out.push(Failure::CompressionBarsDoNotFit {
                        required: self.top_required,
                    });
                }
                if let Some(cap) = self.capacity.filter(|c| c.mu < self.moment) {
                    out.push(Failure::CapacityShort {
                        capacity: cap.mu,
                        moment: self.moment,
                    });
                }
            }
        }
        if let Some(t) = &self.torsion {
            if t.top_steel.is_none() {
                out.push(Failure::ReversedMomentTooLarge { me2: t.demand.me2 });
            }
        }
        let s = &self.stirrups;
        let torsion_too_high = self
            .torsion
            .filter(|t| t.demand.tau_ve > t.tau_c_max)
            .map(|t| Failure::TorsionStressAboveMaximum {
                tau_ve: t.demand.tau_ve,
                tau_c_max: t.tau_c_max,
            });
        if s.shear.tau_v > s.shear.tau_c_max {
            out.push(Failure::ShearStressAboveMaximum {
                tau_v: s.shear.tau_v,
                tau_c_max: s.shear.tau_c_max,
            });
        } else if let Some(f) = torsion_too_high {
            out.push(f);
        } else if s.spacing_provided.is_none() {
            out.push(Failure::StirrupSpacingTooSmall {
                required: s.spacing_required,
            });
        }
        if let Some(defl) = self.deflection.filter(|x| !x.passes()) {
            out.push(Failure::Deflection {
                actual: defl.actual,
                allowed: defl.allowed,
            });
        }
        out
    }

    pub(crate) fn passes(&self) -> bool {
        self.failures().is_empty()
    }
}

/// Flexure and bars at one assumed effective depth: one round of the §2.6 iteration.
struct Round {
    d_prime: f64,
    moment: f64,
    demand: Result<FlexureDemand, FlexureFailure>,
    me2_steel: Option<f64>,
    top_required: f64,
    compression: Option<Arrangement>,
    /// The compression steel the tension bars were chosen against (before balancing), mm².
    asc_designed: f64,
    tension: Option<Arrangement>,
    preferred_used: bool,
}

/// Moment capacity with tension steel `ast` (Cl 38.1). Compression steel may always be left out of
/// the reckoning (what remains is a lower bound), so this is the best of the analyses with all the top
/// bars, with `asc[1]`, and with none; whether the section is over-reinforced is judged with every
/// bar there is (`asc[0]`).
fn section_capacity(
    b: f64,
    d: f64,
    d_prime: f64,
    fck: f64,
    fy: f64,
    ast: f64,
    asc: [f64; 2],
) -> Capacity {
    let all = flexure::capacity(b, d, d_prime, fck, fy, ast, asc[0]);
    let best = [asc[1], 0.0]
        .into_iter()
        .filter(|&a| a != asc[0])
        .map(|a| flexure::capacity(b, d, d_prime, fck, fy, ast, a))
        .fold(all, |best, c| if c.mu > best.mu { c } else { best });
    Capacity {
        over_reinforced: all.over_reinforced,
        ..best
    }
}

impl Round {
    /// `edge` is the distance from a face to the inside of the stirrup (cover + stirrup). The top bars
    /// are chosen together with the compression steel they must supply, since their diameter sets d′
    /// and so the stress they work at (G-1.2).
    /// `depth_of` gives the effective depth an arrangement of tension bars really has: every
    /// arrangement is accepted only if it carries the moment at its own depth, so the bars are safe
    /// even where the iteration of §2.6 has not settled.
    fn at(
        beam: &Beam,
        space: Space,
        edge: f64,
        d: f64,
        depth_of: &dyn Fn(&Arrangement) -> f64,
    ) -> Round {
        let (b, big_d, fck, fy) = (beam.width(), beam.depth(), beam.fck(), beam.fy());
        let mu = beam.mu() * 1e6;
        let tors = (beam.tu() > 0.0)
            .then(|| torsion::demand(mu, beam.vu() * 1e3, beam.tu() * 1e6, b, big_d, d));
        let moment = tors.map_or(mu, |t| t.me1);
        let d_prime_of = |dia: u32| edge + 0.5 * f64::from(dia);
        let me2_at = |d_prime: f64| {
            tors.map_or(Some(0.0), |t| {
                top_steel_for(t.me2, b, big_d - d_prime, fck, fy)
            })
        };
        // Below Mu,lim and with no reversed moment the top bars are hangers whatever their size.
        let hangers_only =
            moment <= flexure::mu_lim(b, d, fck, fy) && tors.is_none_or(|t| t.me2 <= 0.0);
        let compression = detailing::compression_bars(space, |dia| {
            if hangers_only {
                return Some(0.0);
            }
            let d_prime = d_prime_of(dia);
            let asc = flexure::design(b, d, d_prime, fck, fy, moment).ok()?.asc;
            Some(asc.max(me2_at(d_prime)?))
        });
        // With no top bars that work, judge the section with the smallest bars, the most effective.
        let d_prime = d_prime_of(compression.map_or(MAIN_BAR_DIAS[0], |c| c.dia));
        let demand = flexure::design(b, d, d_prime, fck, fy, moment);
        let me2_steel = me2_at(d_prime);
        let top_required = demand
            .map_or(0.0, |dem| dem.asc)
            .max(me2_steel.unwrap_or(0.0));
        let mut round = Round {
            d_prime,
            moment,
            demand,
            me2_steel,
            top_required,
            compression,
            asc_designed: 0.0,
            tension: None,
            preferred_used: false,
        };
        let (asc, dp) = (round.asc_provided(), d_prime);
        round.asc_designed = asc;
        if let Ok(dem) = &demand {
            let carries = |arr: &Arrangement, d: f64| {
                flexure::capacity(b, d, dp, fck, fy, arr.area(), asc).mu >= moment
            };
            let choose = |own_depth: bool| {
                detailing::tension_bars(dem.ast_required(), space, fy, beam.main_bar_dia(), |arr| {
                    carries(arr, if own_depth { depth_of(arr) } else { d })
                })
            };
            // Bars that carry the moment at their own depth; failing that (the section needs a
            // smaller d, which the next round will assume), bars that carry it at this one.
            if let Some((arr, used)) = choose(true).or_else(|| choose(false)) {
                round.tension = Some(arr);
                round.preferred_used = used;
                round.balance_compression(b, fck, fy, space);
            }
        }
        round
    }

    /// With more tension steel provided than required, a doubly reinforced section needs matching
    /// compression steel to keep xu ≤ xu,max (Cl 38.1 f): Asc ≥ (0.87 fy Ast − 0.36 fck b xu,max) /
    /// (fsc − 0.446 fck). Adds bars of the chosen diameter while the layer has room.
    fn balance_compression(&mut self, b: f64, fck: f64, fy: f64, space: Space) {
        let (Ok(dem), Some(tension), Some(mut top)) =
            (&self.demand, self.tension, self.compression)
        else {
            return;
        };
        if dem.section != Section::Doubly {
            return;
        }
        let excess = 0.87 * fy * tension.area() - 0.36 * fck * b * dem.xu_max;
        let needed = excess / (dem.fsc - 0.446 * fck);
        let room = detailing::max_per_layer(top.dia, space.clear_width, space.aggregate);
        while top.area() < needed && top.layers[0] < room {
            top.layers[0] += 1;
        }
        self.compression = Some(top);
    }

    /// Designed compression steel: the top bars of a doubly reinforced section (hangers are not
    /// counted in the design of the bars or in kc of Fig 5).
    fn asc_provided(&self) -> f64 {
        match (&self.demand, self.compression) {
            (Ok(dem), Some(c)) if dem.section == Section::Doubly => c.area(),
            _ => 0.0,
        }
    }
}

/// Tension steel at the top face for the reversed moment Me2 (N·mm) over a depth `d_top`, singly
/// reinforced (Cl 41.4.2.1, 38.1); `None` when Me2 exceeds the limiting moment of that face.
fn top_steel_for(me2: f64, b: f64, d_top: f64, fck: f64, fy: f64) -> Option<f64> {
    if me2 <= 0.0 {
        return Some(0.0);
    }
    if me2 > flexure::mu_lim(b, d_top, fck, fy) {
        return None;
    }
    let xu = flexure::singly_xu(b, d_top, fck, me2)?;
    Some(flexure::ast_for_xu(b, xu, fck, fy).max(0.85 * b * d_top / fy))
}

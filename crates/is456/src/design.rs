//! The whole design of one beam, in the order an engineer works: choose the stirrups and bars
//! (`choose`), then check the section as built, from those bars alone (`assess`). Every check of the
//! result comes from `assess`, so a SUCCESS always describes the bars that are drawn.

use crate::bars::{self, FaceBars, FaceRules};
use crate::build;
use crate::detailing::{self, SideFace};
use crate::durability::{self, FireDemand};
use crate::flexure::{self, Capacity, FlexureDemand, FlexureFailure};
use crate::input::{Beam, Support};
use crate::result::DesignResult;
use crate::serviceability::{self, Deflection};
use crate::shear::{self, ShearDemand};
use crate::tables::{bar_area, max_clear_spacing};
use crate::torsion::{self, Hoop, TorsionDemand};

/// Stirrups the design tries in turn when the spacing would fall below 75 mm (docs/engine.md): a larger
/// diameter first, then two more legs where the width allows.
const AUTO_STIRRUP_DIAS: [u32; 3] = [8, 10, 12];
/// The effective-depth iteration (docs/engine.md) settles in two or three rounds; this bounds it.
const MAX_DEPTH_ROUNDS: usize = 8;
/// Greatest transverse distance between stirrup legs, mm (besides d).
const MAX_LEG_SPACING: f64 = 450.0;
/// Greatest spacing of longitudinal bars round a section in torsion wider than 450 mm, mm
/// (Cl 26.5.1.7 b with 26.5.1.3).
const TORSION_BAR_SPACING: f64 = 300.0;
/// Spans above which span/depth ratios no longer decide deflection of a cantilever, mm (Cl 23.2.1).
const LONG_CANTILEVER: f64 = 10_000.0;

/// Designs a beam. Never panics and never produces a non-finite number for a valid [`Beam`].
pub fn design(beam: &Beam) -> DesignResult {
    let trial = Trial::run(beam);
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
    let envelope = first.with_actions(max(Beam::mu), max(Beam::vu), max(Beam::tu));
    let mut min_top = 0.0;
    let mut trial = Trial::run_with(&envelope, min_top);
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
        trial = Trial::run_with(&envelope, min_top);
    }
    Some(trial.reinforcement)
}

/// The engine's own answers to "what would pass": the smallest depth and width on a 25 mm grid.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Remedies {
    pub depth: Option<f64>,
    pub width: Option<f64>,
    /// Whether the sizes were searched for (not for load cases checked with fixed bars).
    pub searched: bool,
}

impl Remedies {
    fn find(beam: &Beam, trial: &Trial) -> Remedies {
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
    let passes = |k: i64| Trial::run(&beam_at(k as f64 * STEP)).passes();
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
    /// Ast above 0.04 b D (26.5.1.1 b).
    TensionSteelAboveMaximum { required: f64, max: f64 },
    /// Asc above 0.04 b D (26.5.1.2).
    CompressionSteelAboveMaximum { required: f64, max: f64 },
    /// No practical arrangement of up to two layers fits the width.
    TensionBarsDoNotFit { required: f64 },
    /// The compression bars do not fit.
    CompressionBarsDoNotFit { required: f64 },
    /// The bars of a face break a detailing rule (Cl 26.3.2, 26.4.1, Table 15, symmetry, legs).
    BarLayout {
        face: &'static str,
        problem: &'static str,
    },
    /// The bars provided are less than the steel required at their own depth.
    SteelShort {
        face: &'static str,
        provided: f64,
        required: f64,
    },
    /// The bars as built make the section over-reinforced (Cl 38.1 f, Annex G-1.1 d).
    OverReinforced { xu: f64, xu_max: f64 },
    /// The capacity of the bars provided falls short at the real effective depth.
    CapacityShort { capacity: f64, moment: f64 },
    /// τv > τc,max (Table 20); N, mm.
    ShearStressAboveMaximum {
        tau_v: f64,
        tau_c_max: f64,
        vu: f64,
        b: f64,
        d: f64,
        cover_depth: f64,
    },
    /// τve > τc,max (Cl 41.3.1).
    TorsionStressAboveMaximum { tau_ve: f64, tau_c_max: f64 },
    /// Even the strongest stirrups would need less than 75 mm.
    StirrupSpacingTooSmall { required: f64 },
    /// Stirrups fixed beforehand (another load case) are further apart than this case needs;
    /// `provided` is `None` where no spacing could be built.
    StirrupsTooFarApart {
        provided: Option<f64>,
        required: f64,
    },
    /// Span/d above the allowed ratio (Cl 23.2.1).
    Deflection { actual: f64, allowed: f64 },
    /// A cantilever over 10 m: span/depth cannot decide (Cl 23.2.1 b).
    LongCantilever { span: f64 },
    /// The top steel for Me2 cannot be provided (Cl 41.4.2.1).
    ReversedMomentTooLarge { me2: f64 },
    /// Restraints too far apart for the width (Cl 23.3).
    LateralStability {
        spacing: f64,
        allowed: f64,
        min_width: f64,
    },
    /// Nominal cover below Table 16 for the exposure.
    CoverBelowExposure { cover: f64, min: f64 },
    /// Grade below Table 5 for the exposure.
    GradeBelowExposure { fck: f64, min: f64 },
    /// Cover below Table 16A for the fire rating.
    FireCover { cover: f64, demand: FireDemand },
    /// Width below Fig 1 for the fire rating.
    FireWidth { width: f64, demand: FireDemand },
}

impl Failure {
    /// Whether a deeper section is a remedy.
    pub(crate) fn depth_helps(&self) -> bool {
        !matches!(
            self,
            Failure::CoverBelowExposure { .. }
                | Failure::GradeBelowExposure { .. }
                | Failure::FireCover { .. }
                | Failure::FireWidth { .. }
                | Failure::LongCantilever { .. }
                | Failure::LateralStability { .. }
        )
    }

    /// Whether a wider section is a remedy.
    pub(crate) fn width_helps(&self) -> bool {
        matches!(
            self,
            Failure::TensionBarsDoNotFit { .. } | Failure::CompressionBarsDoNotFit { .. }
        )
    }
}

/// The reinforcement of a section, as it would be drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reinforcement {
    pub tension: Option<FaceBars>,
    pub compression: Option<FaceBars>,
    pub stirrup_dia: u32,
    pub legs: u32,
    pub spacing: Spacing,
    /// Whether the preferred main bar diameter was used.
    pub preferred_used: bool,
}

/// The stirrup spacing of a reinforcement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Spacing {
    /// Being designed: the largest buildable spacing the actions allow is chosen.
    ToChoose,
    /// Fixed beforehand (by the envelope of several load cases); `None` when none could be built.
    Fixed(Option<u32>),
}

/// Shear and torsion with the stirrups provided.
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

/// Lateral stability (Cl 23.3).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lateral {
    pub spacing: f64,
    pub allowed: f64,
}

/// Nominal cover and grade against exposure (Tables 5, 16) and fire (Table 16A, Fig 1).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Durability {
    pub cover_required: f64,
    pub grade_required: f64,
    pub fire: Option<FireDemand>,
}

/// One section assessed with one reinforcement: every number of the result, from the bars.
#[derive(Debug, Clone)]
pub(crate) struct Trial {
    pub b: f64,
    pub big_d: f64,
    pub fy: f64,
    /// Distance from a face to the inside of the stirrups (cover + stirrup), mm.
    pub edge: f64,
    /// The effective depth of the bars as built (or the given one when smaller), mm.
    pub d: f64,
    pub d_prime: f64,
    /// Effective depth the bars reach, mm (`d` unless a smaller one was given).
    pub d_geometric: f64,
    /// The design moment (Me1 under torsion), N·mm.
    pub moment: f64,
    pub demand: Result<FlexureDemand, FlexureFailure>,
    pub reinforcement: Reinforcement,
    /// Steel required at the compression face: Asc, or the Me2 steel under torsion, mm².
    pub top_required: f64,
    pub capacity: Option<Capacity>,
    pub stirrups: Stirrups,
    pub torsion: Option<TorsionDesign>,
    pub deflection: Option<Deflection>,
    pub side_face: Option<SideFace>,
    pub lateral: Option<Lateral>,
    pub durability: Durability,
    /// The detailing rules the bars of each face must keep.
    rules: Rules,
    failures: Vec<Failure>,
}

/// The detailing rules of both faces for one beam and one set of stirrups.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    pub tension: FaceRules,
    pub compression: FaceRules,
}

impl Rules {
    /// Cl 26.3.2, 26.4.1 (no bar larger than the nominal cover), Table 15 on the tension face, a bar at
    /// every stirrup leg, and under torsion across a width over 450 mm bars no more than 300 mm apart
    /// (Cl 26.5.1.7 b).
    pub(crate) fn of(beam: &Beam, stirrup_dia: u32, legs: u32) -> Rules {
        let b = beam.width();
        let clear_width = b - 2.0 * (beam.cover() + f64::from(stirrup_dia));
        let torsion_bars = if beam.tu() > 0.0 && b > 450.0 {
            (clear_width / TORSION_BAR_SPACING).ceil() as u32 + 1
        } else {
            2
        };
        let base = FaceRules {
            clear_width,
            aggregate: beam.aggregate(),
            max_dia: beam.cover(),
            min_first_layer: legs.max(torsion_bars),
            max_clear_gap: None,
            preferred: None,
        };
        Rules {
            tension: FaceRules {
                max_clear_gap: Some(max_clear_spacing(beam.fy())),
                preferred: beam.main_bar_dia(),
                ..base
            },
            compression: base,
        }
    }
}

impl Trial {
    /// Designs the reinforcement with the stirrups asked for, or with each automatic choice in turn
    /// until the spacing can be built, and assesses it.
    pub(crate) fn run(beam: &Beam) -> Trial {
        Trial::run_with(beam, 0.0)
    }

    /// As [`Trial::run`], with at least `min_top` mm² of steel at the compression face.
    fn run_with(beam: &Beam, min_top: f64) -> Trial {
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
        last.unwrap_or_else(|| Trial::assess(beam, &choose(beam, 8, fewest, min_top)))
    }

    /// Every check of `beam`'s actions on the section with `reinf`, worked out from the bars.
    pub(crate) fn assess(beam: &Beam, reinf: &Reinforcement) -> Trial {
        let (b, big_d, cover) = (beam.width(), beam.depth(), beam.cover());
        let (fck, fy, agg) = (beam.fck(), beam.fy(), beam.aggregate());
        let (mu, vu, tu) = (beam.mu() * 1e6, beam.vu() * 1e3, beam.tu() * 1e6);
        let phi_st = f64::from(reinf.stirrup_dia);
        let edge = cover + phi_st;
        let d_geometric = reinf
            .tension
            .map_or(big_d - edge - 10.0, |t| big_d - t.centroid(edge, agg));
        let d = beam
            .effective_depth()
            .map_or(d_geometric, |g| g.min(d_geometric));
        let d_prime = reinf
            .compression
            .map_or(edge + 6.0, |c| c.centroid(edge, agg));
        let tors = (tu > 0.0).then(|| torsion::demand(mu, vu, tu, b, big_d, d));
        let moment = tors.map_or(mu, |t| t.me1);
        let demand = flexure::design(b, d, d_prime, fck, fy, moment);
        let ast = reinf.tension.map_or(0.0, |t| t.area());
        let asc = reinf.compression.map_or(0.0, |c| c.area());
        let capacity = reinf
            .tension
            .map(|_| flexure::capacity(b, d, d_prime, fck, fy, ast, asc));
        let me2_steel = tors.map_or(Some(0.0), |t| {
            top_steel_for(t.me2, b, big_d - d_prime, fck, fy)
        });
        let top_required = demand
            .map_or(0.0, |dem| dem.asc)
            .max(me2_steel.unwrap_or(0.0));

        // Shear (Cl 40) and torsion (Cl 41) share the stirrups.
        let pt = 100.0 * ast / (b * d);
        let fy_sv = beam.fy_stirrup();
        let bar = bar_area(reinf.stirrup_dia);
        let (asv_hoop, asv_all) = (2.0 * bar, f64::from(reinf.legs) * bar);
        let shear_demand = shear::demand(b, d, vu, pt, fck);
        let mut spacing_required = shear::spacing_required(b, d, shear_demand.vus, asv_all, fy_sv);
        let bottom_dia = f64::from(reinf.tension.map_or(20, |t| t.max_dia()));
        let top_dia = f64::from(reinf.compression.map_or(12, |c| c.max_dia()));
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

        // Serviceability (Cl 23.2.1) with the steel as provided.
        let deflection = beam.length().map(|span| {
            let ast_req = demand.map_or(ast, |dem| dem.ast_required());
            let fs = 0.58 * fy * (ast_req / ast.max(1e-9)).min(1.0);
            let asc_designed = if demand.is_ok_and(|d| d.asc > 0.0) {
                asc
            } else {
                0.0
            };
            let pc = 100.0 * asc_designed / (b * d);
            serviceability::check(
                span,
                d,
                beam.support(),
                serviceability::kt(fs, pt),
                serviceability::kc(pc),
            )
        });

        // Side-face steel: web deeper than 750 mm (26.5.1.3), or torsion on a section with a
        // dimension over 450 mm (26.5.1.7 b).
        let torsion_sides = tu > 0.0 && (big_d > 450.0 || b > 450.0);
        let side_face = (big_d > 750.0 || torsion_sides).then(|| {
            let height = big_d - 2.0 * edge - 0.5 * (bottom_dia + top_dia);
            detailing::side_face(b, big_d, height)
        });

        // Cl 23.3 at the depth the bars really have (a smaller given d would relax it).
        let lateral = beam
            .lateral_restraint_spacing()
            .or(beam.length())
            .map(|spacing| Lateral {
                spacing,
                allowed: durability::max_restraint_spacing(b, d_geometric, beam.support()),
            });
        let largest_bar = reinf
            .tension
            .map_or(0, |t| t.max_dia())
            .max(reinf.compression.map_or(0, |c| c.max_dia()));
        let durability = Durability {
            cover_required: beam.exposure().min_cover(fck, largest_bar),
            grade_required: beam.exposure().min_grade(),
            fire: beam
                .fire_rating()
                .map(|h| durability::fire_demand(h, beam.support())),
        };

        Trial {
            b,
            big_d,
            fy,
            edge,
            d,
            d_prime,
            d_geometric,
            moment,
            demand,
            reinforcement: Reinforcement {
                spacing: Spacing::Fixed(spacing_provided),
                ..*reinf
            },
            top_required,
            capacity,
            stirrups: Stirrups {
                dia: reinf.stirrup_dia,
                legs: reinf.legs,
                shear: shear_demand,
                spacing_required,
                spacing_provided,
                vu_capacity,
            },
            torsion,
            deflection,
            side_face,
            lateral,
            durability,
            rules: Rules::of(beam, reinf.stirrup_dia, reinf.legs),
            failures: Vec::new(),
        }
        .with_failures(beam, matches!(reinf.spacing, Spacing::Fixed(_)))
    }

    fn with_failures(mut self, beam: &Beam, spacing_fixed: bool) -> Trial {
        let mut out = self.flexure_failures();
        out.extend(self.shear_failures(beam, spacing_fixed));
        out.extend(self.other_failures(beam));
        self.failures = out;
        self
    }

    /// Every check that fails, in the order of the result.
    pub(crate) fn failures(&self) -> &[Failure] {
        &self.failures
    }

    pub(crate) fn passes(&self) -> bool {
        self.failures.is_empty()
    }

    fn flexure_failures(&self) -> Vec<Failure> {
        let mut out = Vec::new();
        let steel_max = 0.04 * self.b * self.big_d;
        let reinf = &self.reinforcement;
        let dem = match &self.demand {
            Err(FlexureFailure::CompressionSteelIneffective { d_prime, xu_max }) => {
                out.push(Failure::CompressionSteelIneffective {
                    d_prime: *d_prime,
                    xu_max: *xu_max,
                });
                return out;
            }
            Ok(dem) => dem,
        };
        // Cl 26.5.1.1 (a) at the depth the bars really have, even where a smaller d was given.
        let required = dem
            .ast_required()
            .max(0.85 * self.b * self.d_geometric / self.fy);
        match reinf.tension {
            _ if required > steel_max => out.push(Failure::TensionSteelAboveMaximum {
                required,
                max: steel_max,
            }),
            None => out.push(Failure::TensionBarsDoNotFit { required }),
            Some(t) if t.area() > steel_max => out.push(Failure::TensionSteelAboveMaximum {
                required: t.area(),
                max: steel_max,
            }),
            Some(t) if t.area() + 1e-6 < required => out.push(Failure::SteelShort {
                face: "tension",
                provided: t.area(),
                required,
            }),
            Some(_) => {}
        }
        match reinf.compression {
            _ if self.top_required > steel_max => out.push(Failure::CompressionSteelAboveMaximum {
                required: self.top_required,
                max: steel_max,
            }),
            None => out.push(Failure::CompressionBarsDoNotFit {
                required: self.top_required,
            }),
            Some(c) if c.area() > steel_max => out.push(Failure::CompressionSteelAboveMaximum {
                required: c.area(),
                max: steel_max,
            }),
            Some(c) if dem.asc > 0.0 && c.area() + 1e-6 < dem.asc => {
                out.push(Failure::SteelShort {
                    face: "compression",
                    provided: c.area(),
                    required: dem.asc,
                })
            }
            Some(_) => {}
        }
        for (face, bars, rules) in [
            ("tension", reinf.tension, &self.rules.tension),
            ("compression", reinf.compression, &self.rules.compression),
        ] {
            if let Some(problem) = bars.and_then(|b| rules.violation(&b)) {
                out.push(Failure::BarLayout { face, problem });
            }
        }
        if let Some(cap) = self.capacity {
            if cap.over_reinforced {
                out.push(Failure::OverReinforced {
                    xu: cap.xu_unbounded,
                    xu_max: dem.xu_max,
                });
            } else if cap.mu < self.moment {
                out.push(Failure::CapacityShort {
                    capacity: cap.mu,
                    moment: self.moment,
                });
            }
        }
        if let (Some(t), Some(c)) = (&self.torsion, reinf.compression) {
            match t.top_steel {
                Some(steel) if c.area() + 1e-6 >= steel => {}
                _ => out.push(Failure::ReversedMomentTooLarge { me2: t.demand.me2 }),
            }
        }
        out
    }

    fn shear_failures(&self, beam: &Beam, spacing_fixed: bool) -> Vec<Failure> {
        let s = &self.stirrups;
        let torsion_too_high = self
            .torsion
            .filter(|t| t.demand.tau_ve > t.tau_c_max)
            .map(|t| Failure::TorsionStressAboveMaximum {
                tau_ve: t.demand.tau_ve,
                tau_c_max: t.tau_c_max,
            });
        let mut out = Vec::new();
        if s.shear.tau_v > s.shear.tau_c_max {
            out.push(Failure::ShearStressAboveMaximum {
                tau_v: s.shear.tau_v,
                tau_c_max: s.shear.tau_c_max,
                vu: beam.vu() * 1e3,
                b: self.b,
                d: self.d,
                cover_depth: self.big_d - self.d,
            });
        }
        out.extend(torsion_too_high);
        if !out.is_empty() {
            // With the section too small, no stirrup spacing can be spoken of.
            return out;
        }
        match s.spacing_provided {
            None if spacing_fixed => out.push(Failure::StirrupsTooFarApart {
                provided: None,
                required: s.spacing_required,
            }),
            None => out.push(Failure::StirrupSpacingTooSmall {
                required: s.spacing_required,
            }),
            Some(sv) if f64::from(sv) > s.spacing_required + 1e-9 => {
                out.push(Failure::StirrupsTooFarApart {
                    provided: Some(f64::from(sv)),
                    required: s.spacing_required,
                })
            }
            Some(_) => {}
        }
        out
    }

    fn other_failures(&self, beam: &Beam) -> Vec<Failure> {
        let mut out = Vec::new();
        if let Some(defl) = self.deflection.filter(|x| !x.passes()) {
            out.push(Failure::Deflection {
                actual: defl.actual,
                allowed: defl.allowed,
            });
        }
        if let Some(span) = beam.length() {
            if beam.support() == Support::Cantilever && span > LONG_CANTILEVER {
                out.push(Failure::LongCantilever { span });
            }
        }
        if let Some(l) = self.lateral.filter(|l| l.spacing > l.allowed + 1e-9) {
            out.push(Failure::LateralStability {
                spacing: l.spacing,
                allowed: l.allowed,
                min_width: durability::min_width_for_restraint(
                    l.spacing,
                    self.d_geometric,
                    beam.support(),
                ),
            });
        }
        let dur = &self.durability;
        if beam.cover() < dur.cover_required {
            out.push(Failure::CoverBelowExposure {
                cover: beam.cover(),
                min: dur.cover_required,
            });
        }
        let excused = beam.allow_low_grade() && beam.fck() < build::LOWEST_RCC_GRADE;
        if beam.fck() < dur.grade_required && !excused {
            out.push(Failure::GradeBelowExposure {
                fck: beam.fck(),
                min: dur.grade_required,
            });
        }
        if let Some(fire) = dur.fire {
            if beam.cover() < fire.min_cover {
                out.push(Failure::FireCover {
                    cover: beam.cover(),
                    demand: fire,
                });
            }
            if beam.width() < fire.min_width {
                out.push(Failure::FireWidth {
                    width: beam.width(),
                    demand: fire,
                });
            }
        }
        out
    }
}

/// The fewest stirrup legs (an even number) whose transverse distance is within d and 450 mm.
fn fewest_legs(beam: &Beam, d: f64) -> u32 {
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
        let tors = (tu > 0.0).then(|| torsion::demand(mu, vu, tu, b, big_d, d));
        (tors.map_or(mu, |t| t.me1), tors)
    };
    let choice = Choice {
        beam,
        edge,
        min_top,
        moment_at: &moment_at,
        tension_rules: rules.tension,
        compression_rules: rules.compression,
    };

    let mut d = beam.effective_depth().unwrap_or(big_d - edge - 10.0);
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
    Reinforcement {
        tension: round.tension,
        compression: round.compression,
        stirrup_dia,
        legs,
        spacing: Spacing::ToChoose,
        preferred_used: round.preferred_used,
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
        let geometric = self.geometric_depth(t);
        self.beam
            .effective_depth()
            .map_or(geometric, |g| g.min(geometric))
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
        let asc = flexure::design(b, d, d_prime, fck, fy, moment).ok()?.asc;
        let me2 = match tors {
            Some(t) => top_steel_for(t.me2, b, beam.depth() - d_prime, fck, fy)?,
            None => 0.0,
        };
        Some(asc.max(me2).max(self.min_top))
    }

    /// Whether tension bars `t` with compression bars `c` carry the moment at the depth `t` gives,
    /// and whether they stay under-reinforced (xu ≤ xu,max, Cl 38.1 f).
    fn works(&self, t: &FaceBars, c: &FaceBars, d_assumed: Option<f64>) -> (bool, bool) {
        let beam = self.beam;
        let d = d_assumed.unwrap_or_else(|| self.depth_of(t));
        let (moment, _) = (self.moment_at)(d);
        let (b, fck, fy) = (beam.width(), beam.fck(), beam.fy());
        // Cl 26.5.1.1 (a) at the depth the bars really have: the minimum grows with d.
        if t.area() + 1e-9 < 0.85 * b * self.geometric_depth(t) / fy {
            return (false, true);
        }
        let d_prime = self.d_prime_of(c);
        // A shortcut without root finding: with the concrete alone in compression the neutral axis
        // is at xu0; compression bars only raise it, and where they sit above 0.42 xu0 they only add
        // moment, so T (d − 0.42 xu0) is a lower bound of the capacity and the section is ductile.
        let tension = 0.87 * fy * t.area();
        let xu0 = tension / (0.36 * fck * b);
        if xu0 <= flexure::xu_max_ratio(fy) * d
            && d_prime <= 0.42 * xu0
            && tension * (d - 0.42 * xu0) >= moment
        {
            return (true, true);
        }
        let cap = flexure::capacity(b, d, d_prime, fck, fy, t.area(), c.area());
        (cap.mu >= moment, !cap.over_reinforced)
    }

    fn round(&self, d: f64, d_prime: f64) -> Round {
        let beam = self.beam;
        let none = Round {
            tension: None,
            compression: None,
            preferred_used: false,
        };
        let (moment, _) = (self.moment_at)(d);
        let Ok(demand) = flexure::design(beam.width(), d, d_prime, beam.fck(), beam.fy(), moment)
        else {
            return none;
        };
        // Top bars for strength: the Asc of G-1.2 (or Me2) at their own d′, else hangers.
        let needed = self.top_needed(d, d_prime).unwrap_or(0.0);
        let strong_enough = |c: &FaceBars| {
            self.top_needed(d, self.d_prime_of(c))
                .is_some_and(|a| c.area() + 1e-6 >= a)
        };
        let Some((top, _)) = bars::choose(needed, &self.compression_rules, strong_enough) else {
            return none;
        };
        // Tension bars: ductile with those top bars if any will do, at their own depth first.
        let candidates = bars::Candidates::new(demand.ast_required(), &self.tension_rules);
        // What each candidate does, at its own depth and at the assumed one, worked out once.
        let memo = std::cell::RefCell::new(Vec::<[Option<(bool, bool)>; 2]>::new());
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
            if let Some((c, _)) = bars::choose(needed, &self.compression_rules, holds) {
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

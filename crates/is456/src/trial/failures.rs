//! Which checks an assessed trial fails, in the order of the result.

use super::Trial;
use crate::cracking;
use crate::detailing::least_tension_ratio;
use crate::durability;
use crate::failure::Failure;
use crate::flexure::FlexureFailure;
use crate::input::{Beam, Support};

/// Spans above which span/depth ratios no longer decide deflection of a cantilever, mm (Cl 23.2.1).
pub(super) const LONG_CANTILEVER: f64 = 10_000.0;

impl Trial {
    /// Whether deflection is decided by calculation (Annex C) rather than span/depth: a cantilever
    /// over 10 m (Cl 23.2.1 b).
    pub(crate) fn deflection_by_calculation(&self, beam: &Beam) -> bool {
        beam.support() == Support::Cantilever
            && beam.length().is_some_and(|span| span > LONG_CANTILEVER)
    }

    pub(super) fn with_failures(mut self, beam: &Beam, spacing_fixed: bool) -> Trial {
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
            .max(least_tension_ratio(self.fy) * self.b * self.d_geometric);
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
        if self.deflection_by_calculation(beam) {
            // Span/depth cannot decide: the calculation of Annex C does (Cl 23.2.1 b, 23.2).
            if let Some(c) = self.calculated.filter(|c| !c.passes()) {
                out.push(Failure::CalculatedDeflection {
                    total: c.total,
                    total_limit: c.total_limit,
                    after_finishes: c.after_finishes,
                    after_finishes_limit: c.after_finishes_limit,
                });
            }
        } else if let Some(defl) = self.deflection.filter(|x| !x.passes()) {
            out.push(Failure::Deflection {
                actual: defl.actual,
                allowed: defl.allowed,
            });
        }
        // Crack width decides only at a service moment the engineer gave; otherwise the spacing rules
        // of Cl 26.3.2 control cracking (Cl 43.1) and the width is reported (docs/engine.md).
        if let (Some(crack), (_, false)) = (&self.crack, beam.ms()) {
            let limit = cracking::limit(beam.exposure());
            if crack.max() > limit {
                out.push(Failure::CrackWidth {
                    width: crack.max(),
                    limit,
                });
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
        let excused = beam.allow_low_grade() && beam.fck() < durability::LOWEST_RCC_GRADE;
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

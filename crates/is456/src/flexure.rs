//! Flexure: limit state of collapse in bending (Cl 38.1, Annex G). Units: N, mm.

use crate::detailing::least_tension_ratio;
use crate::tables::{ECU, ES};

/// Limiting depth of neutral axis xu,max/d (Cl 38.1, note to (f)): 0.53, 0.48, 0.46 for Fe250/415/500,
/// otherwise 0.0035 / (0.0055 + 0.87 fy / Es).
pub fn xu_max_ratio(fy: f64) -> f64 {
    const TABULATED: [(f64, f64); 3] = [(250.0, 0.53), (415.0, 0.48), (500.0, 0.46)];
    match TABULATED
        .iter()
        .find(|(grade, _)| (fy - grade).abs() < 1e-9)
    {
        Some(&(_, k)) => k,
        None => ECU / (0.0055 + 0.87 * fy / ES),
    }
}

/// Limiting moment of resistance Mu,lim = 0.36 k (1 − 0.42 k) fck b d², N·mm (Annex G-1.1 c).
pub fn mu_lim(b: f64, d: f64, fck: f64, fy: f64) -> f64 {
    let k = xu_max_ratio(fy);
    0.36 * k * (1.0 - 0.42 * k) * fck * b * d * d
}

/// Depth of neutral axis for a singly reinforced section carrying `mu` (N·mm): the smaller root of
/// 0.36 fck b xu (d − 0.42 xu) = Mu (Cl 38.1 stress block), written in the form that stays accurate
/// for small moments. `None` when Mu exceeds the section's peak moment (no real root).
pub fn singly_xu(b: f64, d: f64, fck: f64, mu: f64) -> Option<f64> {
    let a = 0.36 * 0.42 * fck * b;
    let bb = 0.36 * fck * b * d;
    let disc = bb * bb - 4.0 * a * mu;
    (disc >= 0.0).then(|| 2.0 * mu / (bb + disc.sqrt()))
}

/// Tension steel in equilibrium with the concrete block of depth `xu`: 0.36 fck b xu / (0.87 fy) (Cl 38.1).
pub fn ast_for_xu(b: f64, xu: f64, fck: f64, fy: f64) -> f64 {
    0.36 * fck * b * xu / (0.87 * fy)
}

/// Design stress in steel at `strain` (Fig 23): Fe250 elastic–perfectly plastic; cold-worked bars
/// elastic up to 0.8·0.87 fy, then through the six points of Fig 23A, linear between them.
pub fn steel_stress(strain: f64, fy: f64) -> f64 {
    let fyd = 0.87 * fy;
    let strain = strain.max(0.0);
    if fy <= 250.0 {
        return (ES * strain).min(fyd);
    }
    const POINTS: [(f64, f64); 6] = [
        (0.80, 0.0),
        (0.85, 0.0001),
        (0.90, 0.0003),
        (0.95, 0.0007),
        (0.975, 0.0010),
        (1.0, 0.0020),
    ];
    let point = |i: usize| {
        let (ratio, inelastic) = POINTS[i];
        (ratio * fyd / ES + inelastic, ratio * fyd)
    };
    let (e0, _) = point(0);
    if strain <= e0 {
        return ES * strain;
    }
    for i in 1..POINTS.len() {
        let (e1, s1) = point(i);
        if strain <= e1 {
            let (ea, sa) = point(i - 1);
            return sa + (s1 - sa) * (strain - ea) / (e1 - ea);
        }
    }
    fyd
}

/// The concrete in compression: a rectangle of width `bw`, or a flange `bf` × `df` over a web `bw`
/// (T and L sections, Annex G-2.2), mm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    pub bw: f64,
    pub bf: f64,
    pub df: f64,
}

/// The concrete's compression force (N) and its lever arm about the tension steel (mm).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Block {
    pub force: f64,
    pub moment: f64,
}

impl Shape {
    pub fn rectangle(b: f64) -> Shape {
        Shape {
            bw: b,
            bf: b,
            df: 0.0,
        }
    }

    pub fn flanged(bw: f64, bf: f64, df: f64) -> Shape {
        Shape { bw, bf, df }
    }

    pub fn is_flanged(&self) -> bool {
        self.bf > self.bw && self.df > 0.0
    }

    /// The depth of flange counted at 0.45 fck when the neutral axis is in the web (Annex G-2.2.2):
    /// yf = 0.15 xu + 0.65 Df, not more than Df. It equals Df exactly when Df ≤ 3/7 xu (the flange
    /// lies within the rectangular part of the stress block); where the flange reaches into the
    /// parabolic part it is less, whatever Df/d is (docs/engine.md, "Flanged sections").
    pub fn yf(&self, xu: f64) -> f64 {
        (0.15 * xu + 0.65 * self.df).min(self.df)
    }

    /// The Cl 38.1 stress block over a neutral-axis depth `xu`, with its moment about depth `d`:
    /// 0.36 fck b xu at 0.42 xu over the flange width while xu ≤ Df; beyond, the web's block plus
    /// 0.45 fck (bf − bw) yf at yf/2 (Annex G-2.2).
    pub fn block(&self, xu: f64, d: f64, fck: f64) -> Block {
        if !self.is_flanged() || xu <= self.df {
            let force = 0.36 * fck * self.bf * xu;
            return Block {
                force,
                moment: force * (d - 0.42 * xu),
            };
        }
        let web = 0.36 * fck * self.bw * xu;
        let yf = self.yf(xu);
        let flange = 0.45 * fck * (self.bf - self.bw) * yf;
        Block {
            force: web + flange,
            moment: web * (d - 0.42 * xu) + flange * (d - 0.5 * yf),
        }
    }

    /// Limiting moment of resistance Mu,lim at xu = xu,max, N·mm (Annex G-1.1 c, G-2.2).
    pub fn mu_lim(&self, d: f64, fck: f64, fy: f64) -> f64 {
        self.block(xu_max_ratio(fy) * d, d, fck).moment
    }

    /// The neutral-axis depth at which the block carries `mu` (N·mm), at most `xu_max`.
    fn xu_for(&self, mu: f64, d: f64, fck: f64, xu_max: f64) -> f64 {
        let in_flange = !self.is_flanged() || self.block(self.df, d, fck).moment >= mu;
        if in_flange {
            return singly_xu(self.bf, d, fck, mu).unwrap_or(xu_max).min(xu_max);
        }
        // The moment grows with xu below xu,max: halve the interval (df, xu_max].
        let (mut lo, mut hi) = (self.df, xu_max);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.block(mid, d, fck).moment < mu {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi
    }
}

/// Which case of Annex G governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Singly,
    Doubly,
}

impl Section {
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Singly => "singly",
            Section::Doubly => "doubly",
        }
    }
}

/// Steel required for a moment, before any bars are chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlexureDemand {
    pub section: Section,
    /// Neutral axis depth, mm: the equilibrium depth when singly, xu,max when doubly.
    pub xu: f64,
    pub xu_max: f64,
    /// N·mm.
    pub mu_lim: f64,
    /// Tension steel for strength alone, mm² (before the minimum of 26.5.1.1 a).
    pub ast_strength: f64,
    /// Ast,min = 0.85 b d / fy (Cl 26.5.1.1 a).
    pub ast_min: f64,
    /// Compression steel, mm² (0 when singly).
    pub asc: f64,
    /// Stress in the compression steel, N/mm² (0 when singly).
    pub fsc: f64,
}

impl FlexureDemand {
    /// The tension steel required: strength, but never below the minimum (Cl 26.5.1.1 a).
    pub fn ast_required(&self) -> f64 {
        self.ast_strength.max(self.ast_min)
    }
}

/// Why a section cannot be designed for the moment at all.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FlexureFailure {
    /// d′ ≥ xu,max, or the compression steel would work at less than the concrete it displaces.
    CompressionSteelIneffective { d_prime: f64, xu_max: f64 },
}

/// Steel for a factored moment `mu` (N·mm) on a section of `shape` with effective depth d, with
/// compression steel at `d_prime` when the moment exceeds Mu,lim (Cl 38.1, Annex G-1.1, G-1.2, G-2.2).
/// The minimum steel is on the web: 0.85 bw d / fy (Cl 26.5.1.1 a).
pub fn design(
    shape: Shape,
    d: f64,
    d_prime: f64,
    fck: f64,
    fy: f64,
    mu: f64,
) -> Result<FlexureDemand, FlexureFailure> {
    let k = xu_max_ratio(fy);
    let xu_max = k * d;
    let mu_lim = shape.mu_lim(d, fck, fy);
    let ast_min = least_tension_ratio(fy) * shape.bw * d;
    if mu <= mu_lim {
        let xu = shape.xu_for(mu, d, fck, xu_max);
        return Ok(FlexureDemand {
            section: Section::Singly,
            xu,
            xu_max,
            mu_lim,
            ast_strength: shape.block(xu, d, fck).force / (0.87 * fy),
            ast_min,
            asc: 0.0,
            fsc: 0.0,
        });
    }
    // G-1.2: the excess over Mu,lim is carried by a steel couple.
    let strain = ECU * (1.0 - d_prime / xu_max);
    let fsc = steel_stress(strain, fy);
    let net = fsc - 0.446 * fck;
    if d_prime >= xu_max || net <= 0.0 {
        return Err(FlexureFailure::CompressionSteelIneffective { d_prime, xu_max });
    }
    let asc = (mu - mu_lim) / (net * (d - d_prime));
    let ast_lim = shape.block(xu_max, d, fck).force / (0.87 * fy);
    Ok(FlexureDemand {
        section: Section::Doubly,
        xu: xu_max,
        xu_max,
        mu_lim,
        ast_strength: ast_lim + asc * net / (0.87 * fy),
        ast_min,
        asc,
        fsc,
    })
}

/// Moment of resistance of a section as built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capacity {
    /// Neutral axis depth at equilibrium, capped at xu,max, mm.
    pub xu: f64,
    /// N·mm.
    pub mu: f64,
    /// True when the tension steel could not yield before the concrete crushes (xu would exceed
    /// xu,max): the capacity is then the limiting one (Cl 38.1 f).
    pub over_reinforced: bool,
    /// Where equilibrium would put the neutral axis without the xu,max cap, mm (an upper estimate
    /// when over-reinforced: the extra depth is taken as concrete alone).
    pub xu_unbounded: f64,
}

/// Moment of resistance of tension steel `ast` at depth d with compression steel `asc` at d′ (Cl 38.1):
/// strain compatibility for the compression steel (Fig 23), tension steel at 0.87 fy; when equilibrium
/// would need xu > xu,max, the capacity is taken at xu,max (the section is over-reinforced).
pub fn capacity(
    shape: Shape,
    d: f64,
    d_prime: f64,
    fck: f64,
    fy: f64,
    ast: f64,
    asc: f64,
) -> Capacity {
    let xu_max = xu_max_ratio(fy) * d;
    // Compression steel force net of the concrete it displaces (never negative: bars in the
    // compression zone cannot weaken it); bars above the neutral axis only.
    let steel = |xu: f64| {
        if asc > 0.0 && xu > d_prime {
            asc * (steel_stress(ECU * (1.0 - d_prime / xu), fy) - 0.446 * fck).max(0.0)
        } else {
            0.0
        }
    };
    let compression = |xu: f64| shape.block(xu, d, fck).force + steel(xu);
    let moment = |xu: f64| shape.block(xu, d, fck).moment + steel(xu) * (d - d_prime);
    let tension = 0.87 * fy * ast;
    if compression(xu_max) <= tension {
        let short = tension - compression(xu_max);
        return Capacity {
            xu: xu_max,
            mu: moment(xu_max),
            over_reinforced: short > 0.0,
            xu_unbounded: xu_max + short / (0.36 * fck * shape.bw),
        };
    }
    let rectangle_depth = tension / (0.36 * fck * shape.bf);
    let xu = if asc > 0.0 || (shape.is_flanged() && rectangle_depth > shape.df) {
        equilibrium_depth(|xu| compression(xu) - tension, xu_max, tension)
    } else {
        rectangle_depth
    };
    Capacity {
        xu,
        mu: moment(xu),
        over_reinforced: false,
        xu_unbounded: xu,
    }
}

/// The root of the force balance `excess(xu)` (compression − tension, N) on (0, xu_max], where
/// excess(0) < 0 < excess(xu_max): regula falsi with the Illinois step, which keeps the bracket and
/// converges in a handful of evaluations even where the compression-steel term has kinks. `scale` is the
/// tension force; the result is within 1e-10 of it in force, or the bracket is below a nanometre.
fn equilibrium_depth(excess: impl Fn(f64) -> f64, xu_max: f64, scale: f64) -> f64 {
    let (mut a, mut fa) = (0.0, excess(0.0));
    let (mut b, mut fb) = (xu_max, excess(xu_max));
    let mut last_side = 0;
    for _ in 0..100 {
        let c = (a * fb - b * fa) / (fb - fa);
        let fc = excess(c);
        if fc.abs() <= 1e-10 * scale || b - a < 1e-9 {
            return c;
        }
        if fc < 0.0 {
            a = c;
            fa = fc;
            if last_side == -1 {
                fb *= 0.5;
            }
            last_side = -1;
        } else {
            b = c;
            fb = fc;
            if last_side == 1 {
                fa *= 0.5;
            }
            last_side = 1;
        }
    }
    // The lower end: the smaller compression force, on the safe side.
    a
}

/// Tension steel for a moment (N·mm) over an effective depth `d`, singly reinforced, with at least
/// the minimum of Cl 26.5.1.1 (a): the top steel for the reversed moment Me2 of Cl 41.4.2.1. `None`
/// when the moment exceeds the limiting moment of that face (Cl 38.1).
pub(crate) fn reversed_moment_steel(moment: f64, b: f64, d: f64, fck: f64, fy: f64) -> Option<f64> {
    if moment <= 0.0 {
        return Some(0.0);
    }
    if moment > mu_lim(b, d, fck, fy) {
        return None;
    }
    let xu = singly_xu(b, d, fck, moment)?;
    Some(ast_for_xu(b, xu, fck, fy).max(least_tension_ratio(fy) * b * d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xu_max_ratios() {
        assert_eq!(xu_max_ratio(250.0), 0.53);
        assert_eq!(xu_max_ratio(415.0), 0.48);
        assert_eq!(xu_max_ratio(500.0), 0.46);
        assert!((xu_max_ratio(550.0) - 0.443459).abs() < 1e-6);
        assert!((xu_max_ratio(300.0) - 0.0035 / (0.0055 + 0.87 * 300.0 / 2e5)).abs() < 1e-12);
    }

    #[test]
    fn singly_matches_the_stress_block() {
        let xu = singly_xu(230.0, 400.0, 20.0, 60e6).unwrap();
        assert!((xu - 101.369).abs() < 0.01);
        assert!((ast_for_xu(230.0, xu, 20.0, 415.0) - 464.94).abs() < 0.05);
        assert_eq!(singly_xu(230.0, 400.0, 20.0, 0.0), Some(0.0));
        assert_eq!(singly_xu(230.0, 400.0, 20.0, 1e12), None);
    }

    #[test]
    fn steel_stress_curve() {
        // Elastic part, the first and last points, and the plateau.
        assert!((steel_stress(0.001, 500.0) - 200.0).abs() < 1e-9);
        assert!((steel_stress(0.8 * 435.0 / 2e5, 500.0) - 348.0).abs() < 1e-9);
        assert!((steel_stress(0.002 + 435.0 / 2e5, 500.0) - 435.0).abs() < 1e-9);
        assert_eq!(steel_stress(0.01, 500.0), 435.0);
        // Mild steel is elastic–perfectly plastic.
        assert!((steel_stress(0.0005, 250.0) - 100.0).abs() < 1e-9);
        assert_eq!(steel_stress(0.002, 250.0), 217.5);
        assert_eq!(steel_stress(-0.001, 415.0), 0.0);
        // Monotone everywhere.
        let mut last = 0.0;
        for i in 0..1000 {
            let s = steel_stress(f64::from(i) * 1e-5, 415.0);
            assert!(s >= last);
            last = s;
        }
    }

    #[test]
    fn doubly_fails_when_compression_steel_is_below_the_neutral_axis() {
        let r = design(Shape::rectangle(200.0), 150.0, 80.0, 25.0, 500.0, 60e6);
        assert!(matches!(
            r,
            Err(FlexureFailure::CompressionSteelIneffective { .. })
        ));
    }

    #[test]
    fn capacity_of_the_required_steel_equals_the_moment() {
        let dem = design(Shape::rectangle(230.0), 400.0, 50.0, 20.0, 415.0, 60e6).unwrap();
        let cap = capacity(
            Shape::rectangle(230.0),
            400.0,
            50.0,
            20.0,
            415.0,
            dem.ast_strength,
            0.0,
        );
        assert!((cap.mu - 60e6).abs() < 1.0);
        let dem = design(Shape::rectangle(300.0), 450.0, 50.0, 25.0, 500.0, 280e6).unwrap();
        let cap = capacity(
            Shape::rectangle(300.0),
            450.0,
            50.0,
            25.0,
            500.0,
            dem.ast_strength,
            dem.asc,
        );
        assert!((cap.mu - 280e6).abs() / 280e6 < 1e-3, "{}", cap.mu);
    }

    #[test]
    fn equilibrium_with_compression_steel_balances_the_forces() {
        let (b, d, dp, fck, fy, ast, asc) = (300.0, 450.0, 50.0, 25.0, 500.0, 1400.0, 600.0);
        let cap = capacity(Shape::rectangle(b), d, dp, fck, fy, ast, asc);
        let fsc = steel_stress(0.0035 * (1.0 - dp / cap.xu), fy);
        let c = 0.36 * fck * b * cap.xu + asc * (fsc - 0.446 * fck);
        assert!((c - 0.87 * fy * ast).abs() < 1e-3, "{c}");
        // Hangers in the tension zone (xu < d′) are ignored.
        let cap = capacity(
            Shape::rectangle(300.0),
            450.0,
            60.0,
            25.0,
            500.0,
            300.0,
            226.0,
        );
        assert!((cap.xu - 0.87 * 500.0 * 300.0 / (0.36 * 25.0 * 300.0)).abs() < 1e-6);
    }

    #[test]
    fn over_reinforced_capacity_is_the_limiting_moment() {
        let cap = capacity(
            Shape::rectangle(230.0),
            400.0,
            50.0,
            20.0,
            415.0,
            5000.0,
            0.0,
        );
        assert!(cap.over_reinforced);
        assert!((cap.mu - mu_lim(230.0, 400.0, 20.0, 415.0)).abs() < 1.0);
    }
}

//! Serviceability: deflection by span/effective-depth ratio (Cl 23.2.1, Fig 4, Fig 5). Units: mm, N/mm².

use crate::input::Support;

/// Basic span/effective depth ratio: 7 cantilever, 20 simply supported, 26 continuous (Cl 23.2.1 a).
pub fn basic_ratio(support: Support) -> f64 {
    match support {
        Support::Cantilever => 7.0,
        Support::SimplySupported => 20.0,
        Support::Continuous => 26.0,
    }
}

/// Factor 10 / span (m) for spans over 10 m, not applied to cantilevers (Cl 23.2.1 b).
pub fn long_span_factor(span: f64, support: Support) -> f64 {
    if support != Support::Cantilever && span > 10_000.0 {
        10_000.0 / span
    } else {
        1.0
    }
}

/// Modification factor for tension reinforcement, Fig 4: the curve fit
/// kt = 1 / (0.225 + 0.00322 fs − 0.625 log10(1/pt)), at most 2.0, with `fs` the steel stress at
/// service (0.58 fy Ast,req / Ast,prov) and `pt` the percentage of tension steel provided.
pub fn kt(fs: f64, pt: f64) -> f64 {
    let pt = pt.max(0.01);
    let denominator = 0.225 + 0.00322 * fs - 0.625 * (1.0 / pt).log10();
    if denominator <= 0.5 {
        2.0
    } else {
        (1.0 / denominator).min(2.0)
    }
}

/// Modification factor for compression reinforcement, Fig 5: the curve fit kc = 1.6 pc / (pc + 0.275),
/// between 1.0 and 1.5, with `pc` the percentage of compression steel.
pub fn kc(pc: f64) -> f64 {
    let pc = pc.max(0.0);
    (1.6 * pc / (pc + 0.275)).clamp(1.0, 1.5)
}

/// Reduction factor for flanged beams, Fig 6: 0.8 where bw/bf ≤ 0.3, rising linearly to 1.0 at
/// bw/bf = 1 (Cl 23.2.1 e).
pub fn kf(bw: f64, bf: f64) -> f64 {
    let ratio = (bw / bf).clamp(0.0, 1.0);
    if ratio <= 0.3 {
        0.8
    } else {
        0.8 + 0.2 * (ratio - 0.3) / 0.7
    }
}

/// The deflection check of Cl 23.2.1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deflection {
    pub basic: f64,
    pub span_factor: f64,
    pub kt: f64,
    pub kc: f64,
    /// Fig 6, flanged beams (1 for rectangles).
    pub kf: f64,
    pub allowed: f64,
    pub actual: f64,
}

impl Deflection {
    pub fn passes(&self) -> bool {
        self.actual <= self.allowed
    }
}

/// Span/depth check for a member of effective span `span` and effective depth `d`.
pub fn span_depth(span: f64, d: f64, support: Support, kt: f64, kc: f64, kf: f64) -> Deflection {
    let basic = basic_ratio(support);
    let span_factor = long_span_factor(span, support);
    Deflection {
        basic,
        span_factor,
        kt,
        kc,
        kf,
        allowed: basic * span_factor * kt * kc * kf,
        actual: span / d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_values_and_long_spans() {
        assert_eq!(
            span_depth(5000.0, 450.0, Support::SimplySupported, 1.0, 1.0, 1.0).allowed,
            20.0
        );
        let c = span_depth(12_000.0, 700.0, Support::Continuous, 1.0, 1.0, 1.0);
        assert!((c.allowed - 21.6667).abs() < 1e-4);
        assert_eq!(
            span_depth(12_000.0, 700.0, Support::Cantilever, 1.0, 1.0, 1.0).allowed,
            7.0
        );
    }

    #[test]
    fn fig_4_points() {
        // Read off Fig 4: fs 240, pt 1.0 → about 1.0; fs 240, pt 0.4 → about 1.35; fs 290, pt 1.0 → about 0.87.
        assert!((kt(240.0, 1.0) - 1.0).abs() < 0.03);
        assert!((kt(240.0, 0.4) - 1.35).abs() < 0.05);
        assert!((kt(290.0, 1.0) - 0.87).abs() < 0.03);
        assert_eq!(kt(120.0, 0.2), 2.0);
        assert_eq!(kt(240.0, 0.0), 2.0);
        // Less steel stress or less steel never lowers the factor.
        assert!(kt(200.0, 1.0) > kt(250.0, 1.0));
        assert!(kt(240.0, 0.5) > kt(240.0, 1.5));
    }

    #[test]
    fn fig_6_points() {
        assert_eq!(kf(300.0, 1500.0), 0.8);
        assert_eq!(kf(300.0, 300.0), 1.0);
        assert!((kf(650.0, 1000.0) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn fig_5_points() {
        assert_eq!(kc(0.0), 1.0);
        assert!((kc(1.0) - 1.25).abs() < 0.02);
        assert_eq!(kc(3.0), 1.5f64.min(1.6 * 3.0 / 3.275));
        assert!(kc(3.0) <= 1.5);
    }
}

//! The cross-section's shape: rectangular, or flanged (T, L) with the effective flange width of
//! Cl 23.1.2. Units: mm.

use serde::Serialize;

/// The shape of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SectionKind {
    #[serde(rename = "rectangular")]
    Rectangular,
    /// Slab on both sides of the web.
    T,
    /// Slab on one side of the web.
    L,
}

impl SectionKind {
    pub const NAMES: [&'static str; 3] = ["rectangular", "T", "L"];

    pub fn parse(s: &str) -> Option<SectionKind> {
        match s.trim() {
            "rectangular" | "rect" | "Rectangular" => Some(SectionKind::Rectangular),
            "T" | "t" => Some(SectionKind::T),
            "L" | "l" => Some(SectionKind::L),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Rectangular => "rectangular",
            SectionKind::T => "T",
            SectionKind::L => "L",
        }
    }

    pub fn is_flanged(self) -> bool {
        self != SectionKind::Rectangular
    }
}

/// What Cl 23.1.2 needs to fix the effective width of a flange.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlangeWidth {
    pub kind: SectionKind,
    /// Web width bw.
    pub web: f64,
    /// Flange thickness Df.
    pub thickness: f64,
    /// Distance between points of zero moment l0, when a span is known.
    pub l0: Option<f64>,
    /// The flange width given: the actual width of an isolated beam, or a width the user caps it at.
    pub given: Option<f64>,
    /// Clear distance to the next beam.
    pub web_spacing: Option<f64>,
    /// An isolated beam (Cl 23.1.2 c): its flange is only the `given` width.
    pub isolated: bool,
}

impl FlangeWidth {
    /// The effective flange width bf, never below the web; `None` when neither a span nor a width is
    /// known (nothing fixes it).
    pub fn effective(&self) -> Option<f64> {
        let (bw, df) = (self.web, self.thickness);
        let one_side = self.kind == SectionKind::L;
        let formula = self.l0.map(|l0| match (self.isolated, self.given) {
            // Cl 23.1.2 (c): isolated beams, with b the actual width of the flange.
            (true, Some(b)) if b > bw => {
                let part = l0 / (l0 / b + 4.0);
                if one_side {
                    0.5 * part + bw
                } else {
                    part + bw
                }
            }
            (true, _) => bw,
            // Cl 23.1.2 (a), (b): T beams l0/6 + bw + 6 Df; L beams l0/12 + bw + 3 Df.
            (false, _) if one_side => l0 / 12.0 + bw + 3.0 * df,
            (false, _) => l0 / 6.0 + bw + 6.0 * df,
        });
        // Never more than the web plus half the clear distance to the next beam on each flanged side.
        let spacing = self
            .web_spacing
            .map(|s| if one_side { bw + 0.5 * s } else { bw + s });
        [formula, self.given, spacing]
            .into_iter()
            .flatten()
            .reduce(f64::min)
            .map(|bf| bf.max(bw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width(kind: SectionKind, l0: Option<f64>, given: Option<f64>, spacing: Option<f64>) -> f64 {
        FlangeWidth {
            kind,
            web: 300.0,
            thickness: 120.0,
            l0,
            given,
            web_spacing: spacing,
            isolated: false,
        }
        .effective()
        .unwrap()
    }

    #[test]
    fn cl_23_1_2_widths() {
        // T: 6000/6 + 300 + 6·120 = 2020; L: 6000/12 + 300 + 3·120 = 1160.
        assert_eq!(width(SectionKind::T, Some(6000.0), None, None), 2020.0);
        assert_eq!(width(SectionKind::L, Some(6000.0), None, None), 1160.0);
        // Capped by the slab between beams, and by a given width.
        assert_eq!(
            width(SectionKind::T, Some(6000.0), None, Some(1000.0)),
            1300.0
        );
        assert_eq!(
            width(SectionKind::L, Some(6000.0), None, Some(1000.0)),
            800.0
        );
        assert_eq!(
            width(SectionKind::T, Some(6000.0), Some(900.0), None),
            900.0
        );
        assert_eq!(width(SectionKind::T, None, Some(900.0), None), 900.0);
    }

    #[test]
    fn isolated_t_beam() {
        // l0 = 6000, actual b = 1200, bw = 300: 6000/(6000/1200 + 4) + 300 = 966.67.
        let bf = FlangeWidth {
            kind: SectionKind::T,
            web: 300.0,
            thickness: 120.0,
            l0: Some(6000.0),
            given: Some(1200.0),
            web_spacing: None,
            isolated: true,
        }
        .effective()
        .unwrap();
        assert!((bf - 966.667).abs() < 1e-3, "{bf}");
    }
}

//! Durability and fire: nominal cover and minimum grade by exposure (Cl 8.2, 26.4.2, Table 5,
//! Table 16) and cover and width for a fire rating (Cl 21.4, 26.4.3, Table 16A, Fig 1). Units: mm,
//! N/mm², hours.

use crate::input::{Exposure, Support};

/// Below this grade (M15 and the like) a user may accept the concrete with `allow_low_grade`.
pub(crate) const LOWEST_RCC_GRADE: f64 = 20.0;

impl Exposure {
    /// Minimum grade of concrete for reinforced concrete, N/mm² (Table 5).
    pub fn min_grade(self) -> f64 {
        [20.0, 25.0, 30.0, 35.0, 40.0][self as usize]
    }

    /// Minimum nominal cover, mm (Table 16), with its notes: mild exposure may take 5 mm less for main
    /// bars up to 12 mm (note 1); severe and very severe may take 5 mm less in M35 and above (note 3).
    pub fn min_cover(self, fck: f64, largest_bar: u32) -> f64 {
        let tabulated = [20.0, 30.0, 45.0, 50.0, 75.0][self as usize];
        let reduced = match self {
            Exposure::Mild => largest_bar <= 12,
            Exposure::Severe | Exposure::VerySevere => fck >= 35.0,
            _ => false,
        };
        if reduced {
            tabulated - 5.0
        } else {
            tabulated
        }
    }
}

/// Fire ratings of Table 16A, hours, with the nominal cover for beams simply supported and
/// continuous, mm, and the minimum beam width of Fig 1, mm.
const FIRE_TABLE: [(f64, f64, f64, f64); 6] = [
    (0.5, 20.0, 20.0, 200.0),
    (1.0, 20.0, 20.0, 200.0),
    (1.5, 20.0, 20.0, 200.0),
    (2.0, 40.0, 30.0, 200.0),
    (3.0, 60.0, 40.0, 240.0),
    (4.0, 70.0, 50.0, 280.0),
];

/// What a fire rating asks of a beam.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FireDemand {
    /// The tabulated rating used, hours (the next one up from the rating asked for).
    pub rating: f64,
    pub min_cover: f64,
    pub min_width: f64,
}

/// Nominal cover (Table 16A) and width (Fig 1) for `hours` of fire resistance. A rating between the
/// tabulated ones takes the next higher; a cantilever is taken as simply supported (no continuity to
/// redistribute to).
pub fn fire_demand(hours: f64, support: Support) -> FireDemand {
    let row = FIRE_TABLE
        .iter()
        .find(|r| hours <= r.0 + 1e-9)
        .unwrap_or(&FIRE_TABLE[FIRE_TABLE.len() - 1]);
    let cover = if support == Support::Continuous {
        row.2
    } else {
        row.1
    };
    FireDemand {
        rating: row.0,
        min_cover: cover,
        min_width: row.3,
    }
}

/// Largest clear distance between lateral restraints (Cl 23.3): simply supported and continuous
/// beams min(60 b, 250 b²/d); cantilevers, from the free end, min(25 b, 100 b²/d). mm.
pub fn max_restraint_spacing(b: f64, d: f64, support: Support) -> f64 {
    match support {
        Support::Cantilever => (25.0 * b).min(100.0 * b * b / d),
        _ => (60.0 * b).min(250.0 * b * b / d),
    }
}

/// The least width that satisfies Cl 23.3 for a clear distance `spacing` between restraints at
/// effective depth `d`, mm.
pub fn min_width_for_restraint(spacing: f64, d: f64, support: Support) -> f64 {
    let (linear, square) = match support {
        Support::Cantilever => (25.0, 100.0),
        _ => (60.0, 250.0),
    };
    (spacing / linear).max((spacing * d / square).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_16_and_its_notes() {
        assert_eq!(Exposure::Moderate.min_cover(25.0, 20), 30.0);
        assert_eq!(Exposure::Mild.min_cover(25.0, 12), 15.0);
        assert_eq!(Exposure::Mild.min_cover(25.0, 16), 20.0);
        assert_eq!(Exposure::Severe.min_cover(30.0, 20), 45.0);
        assert_eq!(Exposure::Severe.min_cover(35.0, 20), 40.0);
        assert_eq!(Exposure::Extreme.min_cover(40.0, 20), 75.0);
    }

    #[test]
    fn table_5_grades() {
        assert_eq!(Exposure::Mild.min_grade(), 20.0);
        assert_eq!(Exposure::Moderate.min_grade(), 25.0);
        assert_eq!(Exposure::Extreme.min_grade(), 40.0);
        assert_eq!(Exposure::parse("Very Severe"), Some(Exposure::VerySevere));
        assert_eq!(Exposure::parse("wet"), None);
    }

    #[test]
    fn table_16a_and_fig_1() {
        let f = fire_demand(1.0, Support::SimplySupported);
        assert_eq!((f.min_cover, f.min_width), (20.0, 200.0));
        let f = fire_demand(2.5, Support::Continuous);
        assert_eq!((f.rating, f.min_cover, f.min_width), (3.0, 40.0, 240.0));
        let f = fire_demand(4.0, Support::Cantilever);
        assert_eq!((f.min_cover, f.min_width), (70.0, 280.0));
    }

    #[test]
    fn lateral_stability_limits() {
        // 150 wide, d 930: 250·150²/930 = 6048 < 60·150 = 9000.
        let s = max_restraint_spacing(150.0, 930.0, Support::SimplySupported);
        assert!((s - 6048.39).abs() < 0.01);
        // Cantilever 300 × d 450: min(25·300, 100·300²/450) = min(7500, 20000).
        assert_eq!(
            max_restraint_spacing(300.0, 450.0, Support::Cantilever),
            7500.0
        );
        assert_eq!(
            max_restraint_spacing(200.0, 900.0, Support::Cantilever),
            100.0 * 200.0 * 200.0 / 900.0
        );
        let b = min_width_for_restraint(8000.0, 930.0, Support::SimplySupported);
        assert!((max_restraint_spacing(b, 930.0, Support::SimplySupported) - 8000.0).abs() < 1e-6);
    }
}

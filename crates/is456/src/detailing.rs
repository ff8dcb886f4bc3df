//! Detailing: choosing bars, clear spacing, development length and side-face steel (Cl 26). Units: mm.

use crate::tables::{bar_area, max_clear_spacing, tau_bd_plain, MAIN_BAR_DIAS};

/// Bars of one diameter in up to two layers; `layers[0]` is the layer nearest the face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrangement {
    pub dia: u32,
    pub layers: [u32; 2],
}

impl Arrangement {
    pub fn count(&self) -> u32 {
        self.layers[0] + self.layers[1]
    }

    pub fn layer_count(&self) -> u32 {
        if self.layers[1] > 0 {
            2
        } else {
            1
        }
    }

    pub fn area(&self) -> f64 {
        f64::from(self.count()) * bar_area(self.dia)
    }

    /// Distance from the face-side edge of the first layer to the centroid of all the bars, with the
    /// clear vertical gap of Cl 26.3.2 (b) between layers.
    pub fn centroid_offset(&self, aggregate: f64) -> f64 {
        let phi = f64::from(self.dia);
        let [n1, n2] = self.layers.map(f64::from);
        let second = 1.5 * phi + vertical_gap(self.dia, aggregate);
        (n1 * 0.5 * phi + n2 * second) / (n1 + n2)
    }

    /// `3-16φ`, or `3-20φ + 2-20φ` for two layers.
    pub fn callout(&self) -> String {
        match self.layers {
            [n, 0] => format!("{n}-{}φ", self.dia),
            [n1, n2] => format!("{n1}-{d}φ + {n2}-{d}φ", d = self.dia),
        }
    }
}

/// Clear horizontal distance between bars: at least the bar diameter and aggregate + 5 mm (Cl 26.3.2 a).
pub fn horizontal_gap(dia: u32, aggregate: f64) -> f64 {
    f64::from(dia).max(aggregate + 5.0)
}

/// Clear vertical distance between layers: at least 15 mm, 2/3 of the aggregate and the bar diameter
/// (Cl 26.3.2 b).
pub fn vertical_gap(dia: u32, aggregate: f64) -> f64 {
    15f64.max(2.0 * aggregate / 3.0).max(f64::from(dia))
}

/// The most bars of `dia` that fit across `clear_width` (inside the stirrups) with the gaps of 26.3.2 a.
pub fn max_per_layer(dia: u32, clear_width: f64, aggregate: f64) -> u32 {
    let gap = horizontal_gap(dia, aggregate);
    let n = ((clear_width + gap) / (f64::from(dia) + gap) + 1e-9).floor();
    if n < 0.0 {
        0
    } else {
        n as u32
    }
}

/// The fewest bars of `dia` in the layer nearest the tension face that keep the clear spacing within
/// Table 15 (Cl 26.3.3 b).
pub fn min_for_spacing(dia: u32, clear_width: f64, fy: f64) -> u32 {
    let s = max_clear_spacing(fy);
    let n = ((clear_width + s) / (f64::from(dia) + s) - 1e-9).ceil();
    (n as u32).max(2)
}

/// The space a layer of bars has: the clear width inside the stirrups, and the aggregate size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Space {
    pub clear_width: f64,
    pub aggregate: f64,
}

/// The arrangement of one diameter to try for `count` bars: the first layer full before a second one
/// starts, and never a lone bar in the second layer.
fn arrangement_for(dia: u32, count: u32, per_layer: u32) -> Option<Arrangement> {
    if count <= per_layer {
        return Some(Arrangement {
            dia,
            layers: [count, 0],
        });
    }
    let second = (count - per_layer).max(2);
    let first = count - second;
    (second <= first).then_some(Arrangement {
        dia,
        layers: [first, second],
    })
}

/// Chooses tension bars with area ≥ `area` that `accept` also takes (e.g. a capacity check), at least two
/// bars, one diameter, up to two layers, clear gaps of 26.3.2 and the maximum spacing of Table 15.
/// Among those that fit: fewest layers, then least area above `area`, then fewest bars. A `preferred`
/// diameter is used whenever it yields an arrangement; the flag says whether it was.
pub fn tension_bars(
    area: f64,
    space: Space,
    fy: f64,
    preferred: Option<u32>,
    mut accept: impl FnMut(&Arrangement) -> bool,
) -> Option<(Arrangement, bool)> {
    let mut best: Option<Arrangement> = None;
    let mut preferred_choice = None;
    for dia in MAIN_BAR_DIAS {
        let per_layer = max_per_layer(dia, space.clear_width, space.aggregate);
        let fewest = min_for_spacing(dia, space.clear_width, fy);
        if per_layer < 2 || fewest > per_layer {
            continue;
        }
        let for_area = (area / bar_area(dia)).ceil().max(0.0) as u32;
        let start = for_area.max(fewest).max(2);
        let candidate = (start..=2 * per_layer)
            .filter_map(|n| arrangement_for(dia, n, per_layer))
            .filter(|a| a.layers[0] >= fewest && a.area() >= area)
            .find(|a| accept(a));
        let Some(candidate) = candidate else { continue };
        if Some(dia) == preferred {
            preferred_choice = Some(candidate);
        }
        let key = |a: &Arrangement| (a.layer_count(), a.area(), a.count());
        if best
            .is_none_or(|b| key(&candidate).partial_cmp(&key(&b)) == Some(std::cmp::Ordering::Less))
        {
            best = Some(candidate);
        }
    }
    match preferred_choice {
        Some(a) => Some((a, true)),
        None => best.map(|a| (a, false)),
    }
}

/// Bars at the compression face, in one layer. `required(dia)` is the area needed when the bars are of
/// that diameter (it depends on d′), or `None` when bars that size cannot work. When no steel is needed
/// there: two 12 mm hangers (10 mm where 12 mm will not fit). Otherwise the smallest diameter from
/// 12 mm up whose bars fit: the smaller the bars, the nearer the face and the harder they work (Fig 23);
/// and since more steel can only push the choice to larger bars, more moment never needs less steel.
pub fn compression_bars(
    space: Space,
    required: impl Fn(u32) -> Option<f64>,
) -> Option<Arrangement> {
    let needs = MAIN_BAR_DIAS.map(|dia| required(dia).map(|area| (dia, area)));
    let needs = needs.iter().flatten().copied();
    if needs.clone().next().is_some() && needs.clone().all(|(_, area)| area <= 0.0) {
        return [12, 10]
            .into_iter()
            .find(|&dia| max_per_layer(dia, space.clear_width, space.aggregate) >= 2)
            .map(|dia| Arrangement {
                dia,
                layers: [2, 0],
            });
    }
    needs.filter(|&(dia, _)| dia >= 12).find_map(|(dia, area)| {
        let n = ((area / bar_area(dia)).ceil() as u32).max(2);
        (n <= max_per_layer(dia, space.clear_width, space.aggregate)).then_some(Arrangement {
            dia,
            layers: [n, 0],
        })
    })
}

/// True for high-yield deformed bars (every grade above Fe250), whose bond stress is 60 % higher
/// (Cl 26.2.1.1).
pub fn is_deformed(fy: f64) -> bool {
    fy > 250.0
}

/// Development length Ld = φ σs / (4 τbd) with σs = 0.87 fy (Cl 26.2.1); τbd from 26.2.1.1, +60 % for
/// deformed bars, +25 % in compression.
pub fn development_length(dia: u32, fck: f64, fy: f64, compression: bool) -> f64 {
    let mut tau_bd = tau_bd_plain(fck);
    if is_deformed(fy) {
        tau_bd *= 1.6;
    }
    if compression {
        tau_bd *= 1.25;
    }
    f64::from(dia) * 0.87 * fy / (4.0 * tau_bd)
}

/// Longitudinal bars on each side face.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SideFace {
    pub dia: u32,
    pub per_face: u32,
    /// Total area required on both faces, mm².
    pub area_required: f64,
    /// Total area provided on both faces, mm².
    pub area_provided: f64,
    /// Spacing over the depth between the top and bottom bars, mm.
    pub spacing: f64,
}

/// Side-face bars (Cl 26.5.1.3): 0.1 % of the web area b·D in total, equally on the two faces, at a
/// spacing of at most 300 mm and the web thickness, over the height `height` between the top and
/// bottom bars.
pub fn side_face(b: f64, big_d: f64, height: f64) -> SideFace {
    let area_required = 0.001 * b * big_d;
    let s_max = b.min(300.0);
    let mut per_face = (((height / s_max) - 1e-9).ceil() as u32)
        .saturating_sub(1)
        .max(1);
    loop {
        for dia in [10, 12, 16, 20] {
            let area_provided = 2.0 * f64::from(per_face) * bar_area(dia);
            if area_provided >= area_required {
                return SideFace {
                    dia,
                    per_face,
                    area_required,
                    area_provided,
                    spacing: height / f64::from(per_face + 1),
                };
            }
        }
        per_face += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPACE_300: Space = Space {
        clear_width: 300.0 - 2.0 * (30.0 + 8.0),
        aggregate: 20.0,
    };

    #[test]
    fn gaps() {
        assert_eq!(horizontal_gap(16, 20.0), 25.0);
        assert_eq!(horizontal_gap(32, 20.0), 32.0);
        assert_eq!(vertical_gap(12, 20.0), 15.0);
        assert_eq!(vertical_gap(12, 30.0), 20.0);
        assert_eq!(vertical_gap(25, 20.0), 25.0);
    }

    #[test]
    fn bars_per_layer() {
        // 224 mm inside 8 mm stirrups: 16 mm bars with 25 mm gaps: 6·16 + 5·25 = 221 fits.
        assert_eq!(max_per_layer(16, 224.0, 20.0), 6);
        // 20 mm bars: 6·20 + 5·25 = 245 > 224.
        assert_eq!(max_per_layer(20, 224.0, 20.0), 5);
        assert_eq!(max_per_layer(36, 60.0, 20.0), 1);
    }

    #[test]
    fn prefers_one_layer_then_least_area_then_fewest_bars() {
        let (a, _) = tension_bars(900.0, SPACE_300, 500.0, None, |_| true).unwrap();
        assert_eq!(a.layer_count(), 1);
        assert!(a.area() >= 900.0);
        // 3-20φ (942.5) beats 5-16φ (1005.3) and 8-12φ (does not fit in one layer).
        assert_eq!(a.callout(), "3-20φ");
    }

    #[test]
    fn goes_to_two_layers_only_when_needed() {
        let (a, _) = tension_bars(4000.0, SPACE_300, 500.0, None, |_| true).unwrap();
        assert_eq!(a.layer_count(), 2);
        assert!(a.area() >= 4000.0);
        assert!(a.layers[1] >= 2 && a.layers[1] <= a.layers[0]);
        assert!(tension_bars(40000.0, SPACE_300, 500.0, None, |_| true).is_none());
    }

    #[test]
    fn preferred_diameter_is_used_when_it_fits() {
        let (a, used) = tension_bars(900.0, SPACE_300, 500.0, Some(16), |_| true).unwrap();
        assert!(used);
        assert_eq!(a.callout(), "5-16φ");
        let (_, used) = tension_bars(
            900.0,
            Space {
                clear_width: 100.0,
                aggregate: 20.0,
            },
            500.0,
            Some(36),
            |_| true,
        )
        .unwrap();
        assert!(!used);
    }

    #[test]
    fn wide_beams_get_enough_bars_for_table_15() {
        let space = Space {
            clear_width: 1000.0,
            aggregate: 20.0,
        };
        let (a, _) = tension_bars(300.0, space, 500.0, None, |_| true).unwrap();
        let clear = (1000.0 - f64::from(a.count() * a.dia)) / f64::from(a.count() - 1);
        assert!(clear <= 150.0, "{a:?} leaves {clear} mm");
    }

    #[test]
    fn callouts_and_centroids() {
        let two = Arrangement {
            dia: 20,
            layers: [3, 2],
        };
        assert_eq!(two.callout(), "3-20φ + 2-20φ");
        // Second layer centroid at 1.5·20 + 20 = 50 mm; (3·10 + 2·50) / 5 = 26.
        assert!((two.centroid_offset(20.0) - 26.0).abs() < 1e-12);
        assert_eq!(
            compression_bars(SPACE_300, |_| Some(0.0))
                .unwrap()
                .callout(),
            "2-12φ"
        );
        let c = compression_bars(SPACE_300, |_| Some(500.0)).unwrap();
        assert!(c.area() >= 500.0);
        // Diameters that cannot work are never chosen.
        let c = compression_bars(SPACE_300, |dia| (dia <= 16).then_some(900.0)).unwrap();
        assert!(c.dia <= 16 && c.area() >= 900.0);
        assert!(compression_bars(SPACE_300, |_| None).is_none());
    }

    #[test]
    fn development_lengths() {
        assert!((development_length(16, 25.0, 500.0, false) - 776.8).abs() < 0.1);
        assert!((development_length(16, 25.0, 500.0, true) - 621.4).abs() < 0.1);
        // Plain mild steel: no 60 % increase.
        assert!((development_length(16, 20.0, 250.0, false) - 16.0 * 217.5 / 4.8).abs() < 1e-9);
    }

    #[test]
    fn side_face_bars() {
        let s = side_face(300.0, 900.0, 780.0);
        assert!(s.area_provided >= 270.0);
        assert!(s.spacing <= 300.0);
        let s = side_face(200.0, 1600.0, 1480.0);
        assert!(s.spacing <= 200.0);
        assert!(s.area_provided >= 320.0);
    }
}

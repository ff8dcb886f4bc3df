//! The longitudinal bars of one face as built, and how a detailer's choice of them is made
//! (Cl 26.3, 26.4.1; docs/engine.md "How bars are chosen"). Units: mm.
//!
//! A face holds one or two layers; a layer holds one or two groups of bars, the larger diameter at
//! the corners. Anyone can recompute areas, centroids, d and d′ from these.

use serde::Serialize;

use crate::detailing::{horizontal_gap, vertical_gap};
use crate::tables::{bar_area, MAIN_BAR_DIAS};

/// Bars of one diameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BarGroup {
    pub count: u32,
    pub dia: u32,
}

impl BarGroup {
    const NONE: BarGroup = BarGroup { count: 0, dia: 0 };

    pub fn area(&self) -> f64 {
        f64::from(self.count) * bar_area(self.dia)
    }
}

/// One layer: `groups[0]` is the larger diameter and holds the corners; `groups[1]` is empty when
/// the layer has one diameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Layer {
    groups: [BarGroup; 2],
}

impl Layer {
    const EMPTY: Layer = Layer {
        groups: [BarGroup::NONE; 2],
    };

    pub fn of(count: u32, dia: u32) -> Layer {
        Layer {
            groups: [BarGroup { count, dia }, BarGroup::NONE],
        }
    }

    /// A layer of `corner` bars (the larger) with `inner` bars between them.
    pub fn mixed(corner: BarGroup, inner: BarGroup) -> Layer {
        Layer {
            groups: [corner, inner],
        }
    }

    pub fn groups(&self) -> impl Iterator<Item = BarGroup> + '_ {
        self.groups.iter().copied().filter(|g| g.count > 0)
    }

    pub fn count(&self) -> u32 {
        self.groups[0].count + self.groups[1].count
    }

    /// An empty group adds nothing (0 × its area).
    pub fn area(&self) -> f64 {
        self.groups[0].area() + self.groups[1].area()
    }

    pub fn max_dia(&self) -> u32 {
        self.groups().map(|g| g.dia).max().unwrap_or(0)
    }

    /// Clear distance between neighbouring bars spread evenly over `clear_width` (inside the
    /// stirrups); 0 for a layer of fewer than two bars.
    pub fn clear_gap(&self, clear_width: f64) -> f64 {
        let n = self.count();
        if n < 2 {
            return 0.0;
        }
        let steel: f64 = self.groups().map(|g| f64::from(g.count * g.dia)).sum();
        (clear_width - steel) / f64::from(n - 1)
    }

    /// The bars fit with the clear gap of Cl 26.3.2 (a) set by the largest bar.
    pub fn fits(&self, clear_width: f64, aggregate: f64) -> bool {
        self.count() >= 2
            && self.clear_gap(clear_width) + 1e-9 >= horizontal_gap(self.max_dia(), aggregate)
    }

    /// A layer is symmetric about the beam's centre line unless both groups have an odd count (only
    /// one bar can stand on the centre line).
    fn symmetric(&self) -> bool {
        !(self.groups[0].count % 2 == 1 && self.groups[1].count % 2 == 1)
    }

    /// Depth of the layer's centroid when its bars rest on a line at depth `base` from the face.
    fn centroid(&self, base: f64) -> f64 {
        let moment: f64 = self
            .groups()
            .map(|g| g.area() * (base + 0.5 * f64::from(g.dia)))
            .sum();
        moment / self.area()
    }
}

/// The bars of one face: `layers[0]` nearest the face; `layers[1]` empty for one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FaceBars {
    layers: [Layer; 2],
}

impl FaceBars {
    pub fn one(layer: Layer) -> FaceBars {
        FaceBars {
            layers: [layer, Layer::EMPTY],
        }
    }

    pub fn two(first: Layer, second: Layer) -> FaceBars {
        FaceBars {
            layers: [first, second],
        }
    }

    pub fn layers(&self) -> impl Iterator<Item = &Layer> {
        self.layers.iter().filter(|l| l.count() > 0)
    }

    pub fn first(&self) -> &Layer {
        &self.layers[0]
    }

    pub fn layer_count(&self) -> u32 {
        self.layers().count() as u32
    }

    pub fn count(&self) -> u32 {
        self.layers[0].count() + self.layers[1].count()
    }

    /// An empty layer adds nothing.
    pub fn area(&self) -> f64 {
        self.layers[0].area() + self.layers[1].area()
    }

    pub fn max_dia(&self) -> u32 {
        self.layers().map(Layer::max_dia).max().unwrap_or(0)
    }

    /// How many different diameters the face holds.
    pub fn diameters(&self) -> usize {
        let [[a, b], [c, d]] = self.layers.map(|l| l.groups);
        let dias = [a, b, c, d]
            .into_iter()
            .filter(|g| g.count > 0)
            .map(|g| g.dia);
        let mut seen = [0u32; 4];
        let mut n = 0;
        for dia in dias {
            if !seen[..n].contains(&dia) {
                seen[n] = dia;
                n += 1;
            }
        }
        n
    }

    /// Depth from the face of each layer's centroid. The first layer rests on the stirrup, `edge`
    /// (cover + stirrup) from the face; the second sits the clear vertical gap of Cl 26.3.2 (b) above
    /// the largest bar of the first.
    pub fn layer_depths(&self, edge: f64, aggregate: f64) -> [f64; 2] {
        let [first, second] = &self.layers;
        let y1 = first.centroid(edge);
        let y2 = if second.count() > 0 {
            let gap = vertical_gap(first.max_dia().max(second.max_dia()), aggregate);
            second.centroid(edge + f64::from(first.max_dia()) + gap)
        } else {
            0.0
        };
        [y1, y2]
    }

    /// Depth of the centroid of all the bars from the face.
    pub fn centroid(&self, edge: f64, aggregate: f64) -> f64 {
        let ys = self.layer_depths(edge, aggregate);
        let moment: f64 = self
            .layers
            .iter()
            .zip(ys)
            .filter(|(l, _)| l.count() > 0)
            .map(|(l, y)| l.area() * y)
            .sum();
        moment / self.area()
    }

    /// `3-16φ`; groups joined by ` + `, layer by layer from the face: `2-20φ + 1-16φ + 2-20φ`.
    pub fn callout(&self) -> String {
        let mut out = String::with_capacity(24);
        for (k, g) in self.layers().flat_map(Layer::groups).enumerate() {
            if k > 0 {
                out.push_str(" + ");
            }
            crate::text::push_bars(&mut out, g.count, g.dia);
        }
        out
    }
}

/// What a face must satisfy besides its area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceRules {
    /// Clear width inside the stirrups, mm.
    pub clear_width: f64,
    pub aggregate: f64,
    /// The largest bar the nominal cover allows (Cl 26.4.1), mm.
    pub max_dia: f64,
    /// The fewest bars in the first layer (two corners, one at every stirrup leg, spacing rules).
    pub min_first_layer: u32,
    /// Greatest clear distance between bars of the first layer (Table 15); tension faces only.
    pub max_clear_gap: Option<f64>,
    /// The diameter the user prefers.
    pub preferred: Option<u32>,
}

/// Smallest main bar a detailer uses unless asked for a smaller one.
const MIN_PRACTICAL_DIA: u32 = 12;
/// Arrangements within this share of the least area compete on the number of bars.
const AREA_WINDOW: f64 = 1.10;
/// How many counts above the least that meets the area each pattern tries (the acceptance test may
/// need a little more steel than the area alone).
const EXTRA_COUNTS: u32 = 3;

impl FaceRules {
    fn diameters(&self) -> impl Iterator<Item = u32> + '_ {
        MAIN_BAR_DIAS.into_iter().filter(move |&dia| {
            (dia >= MIN_PRACTICAL_DIA || Some(dia) == self.preferred)
                && f64::from(dia) <= self.max_dia + 1e-9
        })
    }

    /// The fewest bars of `dia` that keep the first layer within Table 15 (Cl 26.3.3 b).
    fn fewest_for_gap(&self, dia: u32) -> u32 {
        self.max_clear_gap.map_or(2, |s| {
            let n = ((self.clear_width + s) / (f64::from(dia) + s) - 1e-9).ceil();
            (n.max(2.0)) as u32
        })
    }

    /// The first rule the bars of a face break, if any: the checks that `choose` applies, for bars
    /// that came from anywhere.
    pub fn violation(&self, bars: &FaceBars) -> Option<&'static str> {
        let layers: Vec<&Layer> = bars.layers().collect();
        let first = layers.first()?;
        if f64::from(bars.max_dia()) > self.max_dia + 1e-9 {
            return Some("a bar is larger than the nominal cover (IS 456 Cl 26.4.1)");
        }
        if layers
            .iter()
            .any(|l| !l.fits(self.clear_width, self.aggregate))
        {
            return Some("the bars are closer than the clear gap of IS 456 Cl 26.3.2(a)");
        }
        if layers.iter().any(|l| !l.symmetric()) {
            return Some("a layer is not symmetric about the centre line");
        }
        if first.count() < self.min_first_layer {
            return Some("too few bars for the stirrup legs or the spacing round the section");
        }
        if let Some(s) = self.max_clear_gap {
            if first.clear_gap(self.clear_width) > s + 1e-9 {
                return Some("the bars are further apart than IS 456 Table 15 allows");
            }
        }
        match layers.get(1) {
            Some(second) if second.count() > first.count() => {
                Some("the second layer has more bars than the first")
            }
            _ => None,
        }
    }

    fn per_layer(&self, dia: u32) -> u32 {
        crate::detailing::max_per_layer(dia, self.clear_width, self.aggregate)
    }

    /// A first layer is allowed: enough bars, fits, symmetric, within Table 15.
    fn first_layer_ok(&self, layer: &Layer) -> bool {
        layer.count() >= self.min_first_layer
            && layer.symmetric()
            && layer.fits(self.clear_width, self.aggregate)
            && self
                .max_clear_gap
                .is_none_or(|s| layer.clear_gap(self.clear_width) <= s + 1e-9)
    }
}

/// Every practical arrangement with area ≥ `area` (a few counts beyond the least of each pattern):
/// one layer of one or two diameters (the smaller one or two sizes below the corners), or a full
/// first layer of one diameter with a second layer of the same or a smaller size over it.
/// The fewest bars of `dia` with an area of at least `area`.
fn least(area: f64, dia: u32) -> u32 {
    (area.max(0.0) / bar_area(dia) - 1e-9).ceil().max(0.0) as u32
}

fn candidates(area: f64, rules: &FaceRules, layers: u32) -> Vec<Keyed> {
    let dias: Vec<u32> = rules.diameters().collect();
    let mut out = Vec::with_capacity(64);
    for (i, &big) in dias.iter().enumerate() {
        let per = rules.per_layer(big);
        let smaller = &dias[i.saturating_sub(2)..i];
        if layers == 2 {
            two_layers(area, rules, big, smaller, &mut out);
            continue;
        }
        // One layer, one diameter.
        let n0 = least(area, big)
            .max(rules.min_first_layer)
            .max(rules.fewest_for_gap(big));
        for n in n0..=(n0 + EXTRA_COUNTS).min(per) {
            let layer = Layer::of(n, big);
            if rules.first_layer_ok(&layer) {
                out.push(Keyed::of(FaceBars::one(layer)));
            }
        }
        // One layer, corners of `big` and inner bars of a smaller size.
        for &small in smaller {
            for corners in (2..=per).filter(|&n| f64::from(n) * bar_area(big) < area) {
                let rest = area - f64::from(corners) * bar_area(big);
                let m0 = least(rest, small)
                    .max(1)
                    .max(rules.fewest_for_gap(small).saturating_sub(corners))
                    .max(rules.min_first_layer.saturating_sub(corners));
                // One more inner bar than the least, for symmetry.
                for inner in m0..=m0 + 1 {
                    let layer = Layer::mixed(
                        BarGroup {
                            count: corners,
                            dia: big,
                        },
                        BarGroup {
                            count: inner,
                            dia: small,
                        },
                    );
                    if rules.first_layer_ok(&layer) {
                        out.push(Keyed::of(FaceBars::one(layer)));
                    }
                }
            }
        }
    }
    out
}

/// Two layers: a full first layer of `big`, and a second of the same or a `smaller` size over it.
fn two_layers(area: f64, rules: &FaceRules, big: u32, smaller: &[u32], out: &mut Vec<Keyed>) {
    let per = rules.per_layer(big);
    let first = Layer::of(per, big);
    if per < 2 || first.area() >= area || !rules.first_layer_ok(&first) {
        return;
    }
    for &upper in smaller.iter().chain([&big]) {
        let m0 = least(area - first.area(), upper).max(2);
        for m in m0..=(m0 + EXTRA_COUNTS).min(per).min(rules.per_layer(upper)) {
            // Over an even first layer the second must be even too, to stay symmetric.
            if m % 2 == 1 && per.is_multiple_of(2) {
                continue;
            }
            out.push(Keyed::of(FaceBars::two(first, Layer::of(m, upper))));
        }
    }
}

/// The practical arrangements for one face and area, ordered by layers and area, from which a
/// choice is made once or several times (with different acceptance tests).
pub struct Candidates {
    /// One-layer arrangements, and two-layer ones (worked out only when no one-layer one will do).
    lists: [std::cell::OnceCell<Vec<Keyed>>; 2],
    area: f64,
    rules: FaceRules,
}

/// An arrangement with the numbers the choice compares, worked out once.
#[derive(Clone, Copy)]
struct Keyed {
    area: f64,
    count: u32,
    diameters: usize,
    bars: FaceBars,
}

impl Keyed {
    fn of(bars: FaceBars) -> Keyed {
        Keyed {
            area: bars.area(),
            count: bars.count(),
            diameters: bars.diameters(),
            bars,
        }
    }
}

impl Candidates {
    pub fn new(area: f64, rules: &FaceRules) -> Candidates {
        Candidates {
            lists: Default::default(),
            area,
            rules: *rules,
        }
    }

    /// The arrangements of `layers` layers, ordered by area, then by count.
    fn list(&self, layers: u32) -> &[Keyed] {
        self.lists[layers as usize - 1].get_or_init(|| {
            let mut list = candidates(self.area, &self.rules, layers);
            // Areas are positive and finite: `total_cmp` orders them as `<` does.
            list.sort_unstable_by(|a, b| a.area.total_cmp(&b.area).then(a.count.cmp(&b.count)));
            list
        })
    }

    /// The bars `accept` takes (e.g. strength at their own depth, ductility). The preferred
    /// diameter is used for the corners whenever an arrangement with it passes; the flag says
    /// whether it was.
    pub fn choose(&self, mut accept: impl FnMut(&FaceBars) -> bool) -> Option<(FaceBars, bool)> {
        self.choose_indexed(|_, bars| accept(bars))
    }

    /// As [`Candidates::choose`], with each candidate's index in this list (for a caller that
    /// remembers what it worked out about a candidate across several choices).
    pub fn choose_indexed(
        &self,
        mut accept: impl FnMut(usize, &FaceBars) -> bool,
    ) -> Option<(FaceBars, bool)> {
        if let Some(preferred) = self.rules.preferred {
            let own = |c: &Keyed| c.bars.first().groups[0].dia == preferred;
            if let Some(bars) = self.pick(&mut |i, c| own(c) && accept(i, &c.bars)) {
                return Some((bars, true));
            }
        }
        self.pick(&mut |i, c| accept(i, &c.bars))
            .map(|bars| (bars, false))
    }

    /// The fewest layers first: two-layer arrangements only where no one-layer one is accepted.
    /// Indices of two-layer arrangements follow those of one-layer ones.
    fn pick(&self, accept: &mut dyn FnMut(usize, &Keyed) -> bool) -> Option<FaceBars> {
        let ones = self.list(1);
        pick(ones, &mut |i, c| accept(i, c))
            .or_else(|| pick(self.list(2), &mut |i, c| accept(ones.len() + i, c)))
    }
}

/// The arrangement a detailer would draw among those `accept` takes, from a list ordered by layers
/// and area: the fewest layers; within [`AREA_WINDOW`] of the least area of those, the fewest bars,
/// then one diameter before two, then the least area.
fn pick(list: &[Keyed], accept: &mut dyn FnMut(usize, &Keyed) -> bool) -> Option<FaceBars> {
    let mut accepted = list
        .iter()
        .enumerate()
        .filter(|(i, c)| accept(*i, c))
        .map(|(_, c)| c);
    let least = accepted.next()?;
    let limit = least.area * AREA_WINDOW + 1e-6;
    let key = |c: &Keyed| (c.count, c.diameters);
    let mut best = least;
    for c in accepted.take_while(|c| c.area <= limit) {
        if key(c) < key(best) {
            best = c;
        }
    }
    Some(best.bars)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chooses the bars of a face with area ≥ `area` that `accept` also takes.
    fn choose(
        area: f64,
        rules: &FaceRules,
        accept: impl FnMut(&FaceBars) -> bool,
    ) -> Option<(FaceBars, bool)> {
        Candidates::new(area, rules).choose(accept)
    }

    const RULES_300: FaceRules = FaceRules {
        clear_width: 300.0 - 2.0 * (30.0 + 8.0),
        aggregate: 20.0,
        max_dia: 30.0,
        min_first_layer: 2,
        max_clear_gap: Some(150.0),
        preferred: None,
    };

    fn mixed(c: u32, big: u32, i: u32, small: u32) -> Layer {
        Layer::mixed(
            BarGroup { count: c, dia: big },
            BarGroup {
                count: i,
                dia: small,
            },
        )
    }

    #[test]
    fn geometry_of_layers() {
        // 2-20 + 1-16 resting on the stirrup at 38 mm: centroids 48 and 46.
        let bars = FaceBars::one(mixed(2, 20, 1, 16));
        let y = (2.0 * bar_area(20) * 48.0 + bar_area(16) * 46.0) / bars.area();
        assert!((bars.centroid(38.0, 20.0) - y).abs() < 1e-9);
        assert_eq!(bars.callout(), "2-20φ + 1-16φ");
        // Second layer: 38 + 20 + gap 20 + 8.
        let two = FaceBars::two(Layer::of(3, 20), Layer::of(2, 16));
        let [y1, y2] = two.layer_depths(38.0, 20.0);
        assert_eq!(y1, 48.0);
        assert_eq!(y2, 38.0 + 20.0 + 20.0 + 8.0);
        assert_eq!(two.callout(), "3-20φ + 2-16φ");
        assert_eq!(two.diameters(), 2);
    }

    #[test]
    fn symmetry_and_fit() {
        assert!(!mixed(3, 20, 1, 16).symmetric());
        assert!(mixed(2, 20, 1, 16).symmetric());
        assert!(Layer::of(6, 16).fits(224.0, 20.0));
        assert!(!Layer::of(7, 16).fits(224.0, 20.0));
    }

    #[test]
    fn practical_bars_are_at_least_12_mm_and_few() {
        let (bars, _) = choose(900.0, &RULES_300, |_| true).unwrap();
        assert!(bars.area() >= 900.0);
        assert!(bars.layers().flat_map(Layer::groups).all(|g| g.dia >= 12));
        assert!(bars.count() <= 4, "{}", bars.callout());
        // 7-10φ (550 mm²) is never drawn: 3-16φ or 2-16φ + 1-12φ.
        let (bars, _) = choose(540.0, &RULES_300, |_| true).unwrap();
        assert!(bars.count() <= 3, "{}", bars.callout());
    }

    #[test]
    fn bars_never_exceed_the_cover() {
        let rules = FaceRules {
            max_dia: 25.0,
            ..RULES_300
        };
        let (bars, _) = choose(2500.0, &rules, |_| true).unwrap();
        assert!(bars.max_dia() <= 25, "{}", bars.callout());
    }

    #[test]
    fn two_layers_only_when_needed_and_symmetric() {
        let (bars, _) = choose(4000.0, &RULES_300, |_| true).unwrap();
        assert_eq!(bars.layer_count(), 2);
        assert!(bars.area() >= 4000.0);
        assert!(choose(40000.0, &RULES_300, |_| true).is_none());
    }

    #[test]
    fn preferred_diameter_is_used_when_it_works() {
        let rules = FaceRules {
            preferred: Some(16),
            ..RULES_300
        };
        let (bars, used) = choose(900.0, &rules, |_| true).unwrap();
        assert!(used);
        assert_eq!(bars.first().max_dia(), 16);
    }

    #[test]
    fn violations_are_named() {
        assert_eq!(RULES_300.violation(&FaceBars::one(Layer::of(3, 20))), None);
        let big = FaceBars::one(Layer::of(2, 32));
        assert!(RULES_300.violation(&big).unwrap().contains("cover"));
        let crowded = FaceBars::one(Layer::of(7, 16));
        assert!(RULES_300.violation(&crowded).unwrap().contains("26.3.2"));
        let lopsided = FaceBars::one(mixed(3, 20, 1, 16));
        assert!(RULES_300
            .violation(&lopsided)
            .unwrap()
            .contains("symmetric"));
        let wide = FaceRules {
            clear_width: 1000.0,
            ..RULES_300
        };
        assert!(wide
            .violation(&FaceBars::one(Layer::of(2, 20)))
            .unwrap()
            .contains("Table 15"));
        let legs = FaceRules {
            min_first_layer: 4,
            ..RULES_300
        };
        assert!(legs
            .violation(&FaceBars::one(Layer::of(3, 20)))
            .unwrap()
            .contains("legs"));
    }

    #[test]
    fn wide_faces_keep_table_15() {
        let rules = FaceRules {
            clear_width: 1000.0,
            ..RULES_300
        };
        let (bars, _) = choose(300.0, &rules, |_| true).unwrap();
        assert!(
            bars.first().clear_gap(1000.0) <= 150.0,
            "{}",
            bars.callout()
        );
    }
}

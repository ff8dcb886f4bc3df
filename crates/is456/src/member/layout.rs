//! The longitudinal bars of a member (docs/members.md, "Bars along the member"): one diameter per
//! face, continuous bars over the whole member, extra bars where the envelope needs more, cut off
//! by Cl 26.2.3 and anchored at the ends, and laps where a bar would be longer than stock.
//!
//! Positions here are global: mm from the left end of the member (the centre line of its first
//! support), spans laid end to end.

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::FxHashMap;

use super::envelope::{Quantity, SpanEnvelope};
use super::input::{End, Member};
use crate::bars::{FaceBars, Layer};
use crate::detailing::{development_length, least_tension_ratio, max_per_layer};
use crate::flexure::{self, Shape};
use crate::tables::{bar_area, max_clear_spacing};

/// Longest bar delivered to site, mm: longer runs are lapped.
pub const STOCK_LENGTH: f64 = 12_000.0;
/// Main bar diameters a member is drawn with, mm.
const DIAS: [u32; 7] = [12, 16, 20, 25, 28, 32, 36];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Face {
    Top,
    Bottom,
}

impl Face {
    pub fn tension(self) -> Quantity {
        match self {
            Face::Top => Quantity::Hogging,
            Face::Bottom => Quantity::Sagging,
        }
    }

    pub fn other(self) -> Face {
        match self {
            Face::Top => Face::Bottom,
            Face::Bottom => Face::Top,
        }
    }
}

/// One group of identical bars laid from `from` to `to` (global, mm), with a 90° bend of `legs[k]` mm
/// at either end where it is anchored in an end support.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub face: Face,
    pub continuous: bool,
    pub count: u32,
    pub dia: u32,
    pub from: f64,
    pub to: f64,
    pub legs: [f64; 2],
}

impl Run {
    pub fn covers(&self, x: f64) -> bool {
        self.from <= x + 1e-6 && x <= self.to + 1e-6
    }
}

/// A lap of bars of one face: centre (global) and length, mm, and how many bars are lapped there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lap {
    pub face: Face,
    pub at: f64,
    pub length: f64,
    pub count: u32,
}

/// Laps closer than this many lap lengths (centre to centre) splice their bars at one section: the
/// usual detailing rule (IS 456 does not define "a section").
pub const STAGGER: f64 = 1.3;

impl Lap {
    /// Whether a lap centred at `at` splices its bars at this lap's section.
    fn near(&self, at: f64) -> bool {
        (at - self.at).abs() < STAGGER * self.length - 1e-6
    }
}

/// The bars of one face of the member.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceLayout {
    pub face: Face,
    pub dia: u32,
    pub continuous: u32,
    /// Pieces of the continuous bars (between laps) and the extra bars.
    pub runs: Vec<Run>,
    pub laps: Vec<Lap>,
    /// Where the continuous bars start and end (global), mm.
    pub extent: (f64, f64),
}

impl FaceLayout {
    /// The bars spliced at the section of `lap` (its own and those of every lap of the face near
    /// it) and the bars the face has there.
    pub fn spliced(&self, lap: &Lap) -> (u32, u32) {
        let spliced = self
            .laps
            .iter()
            .filter(|o| lap.near(o.at))
            .map(|o| o.count)
            .sum();
        (spliced, self.count_at(lap.at))
    }

    /// How many bars the face has at `x` (global): the continuous ones and every extra run there.
    pub fn count_at(&self, x: f64) -> u32 {
        // Beyond the ends of the bars (a knife-edge end support: they stop a cover short of its
        // centre line) the bars at their ends carry what is there (docs/members.md).
        let x = x.clamp(self.extent.0, self.extent.1);
        self.continuous
            + self
                .runs
                .iter()
                .filter(|r| !r.continuous && r.covers(x))
                .map(|r| r.count)
                .sum::<u32>()
    }

    pub fn bars_at(&self, x: f64, geo: &Geometry) -> FaceBars {
        geo.face_bars(self.count_at(x), self.dia)
    }

    /// `2-16φ cont. + 2-20φ extra` at `x` (global).
    pub fn callout_at(&self, x: f64) -> String {
        let extra = self.count_at(x) - self.continuous;
        let mut out = String::with_capacity(40);
        crate::text::push_bars(&mut out, self.continuous, self.dia);
        out.push_str(" cont.");
        if extra > 0 {
            out.push_str(" + ");
            crate::text::push_bars(&mut out, extra, self.dia);
            out.push_str(" extra");
        }
        out
    }
}

/// What the bar choice needs to know about the member's section and spans.
pub struct Geometry<'a> {
    pub member: &'a Member,
    pub envelopes: &'a [SpanEnvelope],
    /// Global position of each span's left end, mm.
    pub offsets: Vec<f64>,
    /// Cover + stirrup, mm.
    pub edge: f64,
    pub clear_width: f64,
    /// The concrete in compression under a sagging moment of each span (flanged where the section is).
    pub sagging_shapes: Vec<Shape>,
    capacities: RefCell<FxHashMap<CapacityKey, Resisted>>,
    /// [`Geometry::capacity`] of bars given by count and diameter.
    counted: RefCell<FxHashMap<CountedKey, Resisted>>,
    points: Vec<Vec<f64>>,
    /// The design moment of each face at each design point, kN·m: `[top, bottom]`.
    point_moments: Vec<Vec<[f64; 2]>>,
    /// Bars of each diameter of [`DIAS`] one layer holds.
    per_layer: [u32; DIAS.len()],
    /// The bars each design point needs, per face and diameter (see [`Geometry::needs`]).
    needs: RefCell<FxHashMap<(Face, u32), Rc<Needs>>>,
    /// Whether any station of each span has torsion (else [`Geometry::moment`] reads one quantity).
    pub twisted: Vec<bool>,
}

/// What the bars of a face resist with the other face's bars present (Cl 38.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resisted {
    /// kN·m.
    pub mu: f64,
    /// Equilibrium would put xu past xu,max: the other face's bars do not balance these.
    pub over_reinforced: bool,
}

/// The value remembered in `cache` for `key`, worked out by `make` the first time.
fn remembered<K: std::hash::Hash + Eq, V: Copy>(
    cache: &RefCell<FxHashMap<K, V>>,
    key: K,
    make: impl FnOnce() -> V,
) -> V {
    if let Some(v) = cache.borrow().get(&key) {
        return *v;
    }
    let v = make();
    cache.borrow_mut().insert(key, v);
    v
}

/// What [`bars_needed`] gives at every design point of every span.
type Needs = Vec<Vec<Option<(u32, f64)>>>;

type CapacityKey = (usize, Face, FaceBars, Option<FaceBars>);
/// Span, face, and the (count, diameter) of the tension and compression bars.
type CountedKey = (usize, Face, (u32, u32), (u32, u32));

impl<'a> Geometry<'a> {
    pub fn new(
        member: &'a Member,
        envelopes: &'a [SpanEnvelope],
        stirrup_dia: u32,
        sagging_shapes: Vec<Shape>,
    ) -> Self {
        let s = &member.section;
        let mut offsets = Vec::with_capacity(member.spans.len());
        let mut at = 0.0;
        for span in &member.spans {
            offsets.push(at);
            at += span.length;
        }
        let edge = s.cover() + f64::from(stirrup_dia);
        let clear_width = s.width() - 2.0 * edge;
        let points: Vec<Vec<f64>> = (0..member.spans.len())
            .map(|i| {
                let (l, r) = member.faces(i);
                let mut points = vec![l];
                points.extend(
                    envelopes[i]
                        .stations
                        .iter()
                        .map(|s| s.x)
                        .filter(|&x| x > l + 1e-6 && x < r - 1e-6),
                );
                points.push(r);
                points
            })
            .collect();
        let mut geo = Geometry {
            member,
            envelopes,
            offsets,
            edge,
            clear_width,
            sagging_shapes,
            capacities: RefCell::default(),
            counted: RefCell::default(),
            points,
            point_moments: Vec::new(),
            per_layer: DIAS.map(|d| max_per_layer(d, clear_width, s.aggregate())),
            needs: RefCell::default(),
            twisted: envelopes
                .iter()
                .map(|e| e.stations.iter().any(|st| st.torsion > 0.0))
                .collect(),
        };
        geo.point_moments = (0..member.spans.len())
            .map(|i| {
                geo.points[i]
                    .iter()
                    .map(|&x| [Face::Top, Face::Bottom].map(|f| geo.moment(i, x, f)))
                    .collect()
            })
            .collect();
        geo
    }

    /// Bars of `dia` one layer holds across the section.
    pub fn per_layer(&self, dia: u32) -> u32 {
        DIAS.iter().position(|&d| d == dia).map_or_else(
            || max_per_layer(dia, self.clear_width, self.member.section.aggregate()),
            |k| self.per_layer[k],
        )
    }

    /// The design moment of `face` at design point `k` of span `i` (see [`Geometry::moment`]).
    pub fn point_moment(&self, i: usize, k: usize, face: Face) -> f64 {
        self.point_moments[i][k][usize::from(face == Face::Bottom)]
    }

    /// [`bars_needed`] at every design point of every span for one face and diameter, worked out
    /// once: the choice of diameter asks again for the same ones.
    fn needs(&self, face: Face, dia: u32) -> Rc<Needs> {
        if let Some(n) = self.needs.borrow().get(&(face, dia)) {
            return Rc::clone(n);
        }
        let needs: Rc<Needs> = Rc::new(
            (0..self.member.spans.len())
                .map(|i| {
                    (0..self.points[i].len())
                        .map(|k| bars_needed(self, i, face, self.point_moment(i, k, face), dia))
                        .collect()
                })
                .collect(),
        );
        self.needs
            .borrow_mut()
            .insert((face, dia), Rc::clone(&needs));
        needs
    }

    pub fn total_length(&self) -> f64 {
        self.offsets.last().copied().unwrap_or(0.0)
            + self.member.spans.last().map_or(0.0, |s| s.length)
    }

    /// Global faces of span `i`.
    pub fn faces(&self, i: usize) -> (f64, f64) {
        let (l, r) = self.member.faces(i);
        (self.offsets[i] + l, self.offsets[i] + r)
    }

    /// `n` bars of `dia` in as few layers as fit (two at most); `None` when they do not fit.
    pub fn try_face_bars(&self, n: u32, dia: u32) -> Option<FaceBars> {
        let per_layer = self.per_layer(dia);
        if per_layer < 2 || n > 2 * per_layer {
            return None;
        }
        if n <= per_layer {
            return Some(FaceBars::one(Layer::of(n, dia)));
        }
        // A layer holds two bars at least (one at each side): one bar over a full layer moves a
        // bar down from the first.
        let first = if n - per_layer == 1 && per_layer >= 3 {
            per_layer - 1
        } else {
            per_layer
        };
        Some(FaceBars::two(
            Layer::of(first, dia),
            Layer::of(n - first, dia),
        ))
    }

    /// As `try_face_bars`, keeping what fits in two layers when more were asked for (the check then fails).
    pub fn face_bars(&self, n: u32, dia: u32) -> FaceBars {
        let per_layer = self.per_layer(dia).max(2);
        self.try_face_bars(n.min(2 * per_layer), dia)
            .unwrap_or_else(|| FaceBars::one(Layer::of(n.min(per_layer), dia)))
    }

    /// Effective depth of `bars` at their real centroid, mm.
    pub fn depth_of(&self, bars: &FaceBars) -> f64 {
        self.member.section.depth() - bars.centroid(self.edge, self.member.section.aggregate())
    }

    pub fn shape(&self, span: usize, face: Face) -> Shape {
        match face {
            Face::Bottom => self.sagging_shapes[span],
            Face::Top => Shape::rectangle(self.member.section.width()),
        }
    }

    /// Moment the bars of `tension` resist with `compression` bars at the other face (Cl 38.1), kN·m.
    pub fn capacity(
        &self,
        span: usize,
        face: Face,
        tension: &FaceBars,
        compression: Option<&FaceBars>,
    ) -> f64 {
        self.resisted(span, face, tension, compression).mu
    }

    /// What the bars of `tension` resist with `compression` bars at the other face (Cl 38.1);
    /// remembered, since the same few arrangements recur at every station.
    pub fn resisted(
        &self,
        span: usize,
        face: Face,
        tension: &FaceBars,
        compression: Option<&FaceBars>,
    ) -> Resisted {
        remembered(
            &self.capacities,
            (span, face, *tension, compression.copied()),
            || self.resisted_by(span, face, tension, compression),
        )
    }

    /// [`Geometry::resisted`] for `tension` bars (count, diameter) with `compression` bars at the
    /// other face: the form the checks along the span ask in, hundreds of times.
    pub fn resisted_counted(
        &self,
        span: usize,
        face: Face,
        tension: (u32, u32),
        compression: (u32, u32),
    ) -> Resisted {
        remembered(&self.counted, (span, face, tension, compression), || {
            self.resisted(
                span,
                face,
                &self.face_bars(tension.0, tension.1),
                Some(&self.face_bars(compression.0, compression.1)),
            )
        })
    }

    fn resisted_by(
        &self,
        span: usize,
        face: Face,
        tension: &FaceBars,
        compression: Option<&FaceBars>,
    ) -> Resisted {
        let s = &self.member.section;
        let d = self.depth_of(tension);
        let (asc, d_prime) = compression.map_or((0.0, self.edge), |c| {
            (c.area(), c.centroid(self.edge, s.aggregate()))
        });
        let c = flexure::capacity(
            self.shape(span, face),
            d,
            d_prime,
            s.fck(),
            s.fy(),
            tension.area(),
            asc,
        );
        Resisted {
            mu: c.mu / 1e6,
            over_reinforced: c.over_reinforced,
        }
    }

    /// The design moment on a face at a point: the envelope moment of that face plus the torsion's
    /// equivalent moment Mt = Tu (1 + D/b) / 1.7 (Cl 41.4.2), taken on both faces (on the safe side).
    pub fn moment(&self, span: usize, x: f64, face: Face) -> f64 {
        let e = &self.envelopes[span];
        if !self.twisted[span] {
            return e.at(x, face.tension());
        }
        let s = &self.member.section;
        let mt = e.at(x, Quantity::Torsion) * (1.0 + s.depth() / s.width()) / 1.7;
        e.at(x, face.tension()) + mt
    }

    /// The points of span `i` the bars are chosen at (local mm): both faces and every station between.
    pub fn design_points(&self, i: usize) -> &[f64] {
        &self.points[i]
    }
}

/// Bars of `dia` a face needs at a point for a moment (kN·m) with its own tension, and the
/// compression steel (mm²) the other face must then give (Annex G-1.2): for a doubly reinforced
/// section, enough to balance the whole area of the bars provided at xu,max, since whole bars give
/// more tension than the moment asks and would otherwise push xu past xu,max (Cl 38.1 b); `None` when
/// no count fits.
fn bars_needed(
    geo: &Geometry,
    span: usize,
    face: Face,
    moment: f64,
    dia: u32,
) -> Option<(u32, f64)> {
    if moment <= 1e-9 {
        return Some((0, 0.0));
    }
    let s = &geo.member.section;
    let d_prime = geo.edge + f64::from(dia) / 2.0;
    let a = bar_area(dia);
    let design = |d: f64| {
        flexure::design(
            geo.shape(span, face),
            d,
            d_prime,
            s.fck(),
            s.fy(),
            moment * 1e6,
        )
    };
    // Start from the count one layer would need: a second layer only lowers d and adds bars.
    let one_layer = geo.depth_of(&FaceBars::one(Layer::of(1, dia)));
    let at_one_layer = design(one_layer);
    let first = at_one_layer.map_or(1, |dem| {
        ((dem.ast_required() / a - 1e-9).ceil() as u32).max(1)
    });
    for n in first..=40 {
        let bars = geo.try_face_bars(n, dia)?;
        // Bars in one layer stand at the depth the count above was worked out at.
        let demand = if bars.layer_count() == 1 {
            at_one_layer
        } else {
            design(geo.depth_of(&bars))
        };
        let Ok(demand) = demand else {
            return None;
        };
        let provided = f64::from(n) * a;
        if provided >= demand.ast_required() - 1e-9 {
            // G-1.2: each mm² of tension over Ast,lim + Ast2 is balanced by Asc at (fsc − 0.446 fck).
            let net = demand.fsc - 0.446 * s.fck();
            let balance = if demand.asc > 0.0 && net > 0.0 {
                (provided - demand.ast_strength).max(0.0) * 0.87 * s.fy() / net
            } else {
                0.0
            };
            return Some((n, demand.asc + balance));
        }
    }
    None
}

/// The bars of one diameter a face needs at every design point of every span.
struct Counts {
    /// Per span, per design point.
    at: Vec<Vec<u32>>,
    /// Whether every count was found; where none fits, the most bars two layers hold stand in (the
    /// checks along the span then fail there).
    found: bool,
}

/// Bars needed on one face at every design point of every span, with a diameter: the tension bars
/// for its own moment, and the compression bars the other face's moment asks of it.
fn counts(geo: &Geometry, face: Face, dia: u32, other_dia: u32) -> Counts {
    let a = bar_area(dia);
    let most = 2 * geo.per_layer(dia).max(1);
    let (own, other) = (geo.needs(face, dia), geo.needs(face.other(), other_dia));
    let mut found = true;
    let at = own
        .iter()
        .zip(other.iter())
        .map(|(own, other)| {
            own.iter()
                .zip(other)
                .map(|(own, other)| {
                    // The other face's needs only add compression bars; where they cannot be worked
                    // out, the check of the bars laid adds them (see `over_reinforced`).
                    found &= own.is_some();
                    let asc = other.map_or(0.0, |(_, asc)| asc);
                    own.map_or(most, |(n, _)| n)
                        .max((asc / a - 1e-9).ceil() as u32)
                })
                .collect()
        })
        .collect();
    Counts { at, found }
}

/// Whether the bars of `dia` for the largest moment of the face fit in `layers` layers.
fn peak_fits(geo: &Geometry, face: Face, dia: u32, layers: u32) -> bool {
    let per_layer = geo.per_layer(dia);
    (0..geo.member.spans.len()).all(|i| {
        let peak = (0..geo.design_points(i).len())
            .map(|k| geo.point_moment(i, k, face))
            .fold(0.0, f64::max);
        bars_needed(geo, i, face, peak, dia).is_some_and(|(n, _)| n <= layers * per_layer)
    })
}

/// The preferred diameter if its bars fit every point in one layer or two; else the smallest whose
/// bars fit in one layer, else in two.
fn choose_dia(geo: &Geometry, face: Face, other_dia: u32) -> (u32, Vec<Vec<u32>>) {
    let s = &geo.member.section;
    let preferred = s.main_bar_dia();
    let allowed: Vec<u32> = preferred
        .into_iter()
        .chain(DIAS.iter().copied().filter(|&d| f64::from(d) <= s.cover()))
        .collect();
    let order = preferred.into_iter().flat_map(|d| [(d, 1), (d, 2)]).chain(
        [1, 2]
            .into_iter()
            .flat_map(|layers| allowed.iter().map(move |&d| (d, layers))),
    );
    let mut tried: Vec<(u32, Counts)> = Vec::with_capacity(allowed.len());
    for (dia, layers) in order {
        // The largest moment alone rules most diameters out.
        if !peak_fits(geo, face, dia, layers) {
            continue;
        }
        let k = match tried.iter().position(|(d, _)| *d == dia) {
            Some(k) => k,
            None => {
                tried.push((dia, counts(geo, face, dia, other_dia)));
                tried.len() - 1
            }
        };
        let per_layer = geo.per_layer(dia);
        let c = &tried[k].1;
        if c.found && c.at.iter().flatten().all(|&n| n <= layers * per_layer) {
            return (dia, c.at.clone());
        }
    }
    // Nothing fits: the largest bar, as many as the moment needs (the section checks then fail).
    let dia = allowed.last().copied().unwrap_or(12);
    (dia, counts(geo, face, dia, other_dia).at)
}

/// The middle of span `i` (local) with d at its least (two layers of the largest bar, a bar's width
/// apart, under the stirrup): it holds the middle of the zones, whatever d the bars laid give.
pub fn widest_middle(geo: &Geometry, i: usize) -> (f64, f64) {
    let largest = f64::from(DIAS[DIAS.len() - 1]);
    let d_least = geo.member.section.depth() - geo.edge - 3.0 * largest;
    middle(geo, i, d_least)
}

/// Whether the envelope puts the top face of span `i` in tension anywhere in its middle.
fn hogging_in_middle(geo: &Geometry, i: usize) -> bool {
    let (a, b) = widest_middle(geo, i);
    [a, b]
        .into_iter()
        .chain(
            geo.design_points(i)
                .iter()
                .copied()
                .filter(|&x| x > a && x < b),
        )
        .any(|x| geo.moment(i, x, Face::Top) > 1e-9)
}

/// The least tension steel of the member's section as a share of b d (Cl 26.5.1.1 a).
fn least_ratio(geo: &Geometry) -> f64 {
    least_tension_ratio(geo.member.section.fy())
}

/// The least steel of each face of a ductile member as a share of b d (IS 13920 Cl 6.2.1).
fn ductile_least_ratio(geo: &Geometry) -> f64 {
    let s = &geo.member.section;
    crate::detailing::ductile_least_ratio(s.fck(), s.fy())
}

/// The fewest bars of `dia` whose area is at least `ratio` b d at the depth they stand at.
fn minimum_count(geo: &Geometry, dia: u32, ratio: f64) -> u32 {
    let b = geo.member.section.width();
    (1..=2 * geo.per_layer(dia).max(1))
        .find(|&n| {
            let d = geo.depth_of(&geo.face_bars(n, dia));
            f64::from(n) * bar_area(dia) + 1e-6 >= ratio * b * d
        })
        .unwrap_or(2 * geo.per_layer(dia).max(1))
}

/// The least number of continuous bars a face needs (docs/members.md): two, one at each stirrup
/// leg, no wider gaps than Table 15, ⅓ or ¼ of the largest positive steel into the supports
/// (Cl 26.2.3.3 a), and when ductile the minimum steel and ¼ of the largest at a joint face
/// (IS 13920 Cl 6.2.1, 6.2.4).
fn continuous_count(geo: &Geometry, face: Face, dia: u32, counts: &[Vec<u32>], legs: u32) -> u32 {
    let s = &geo.member.section;
    let phi = f64::from(dia);
    let gap = max_clear_spacing(s.fy());
    let by_gap = ((geo.clear_width + gap) / (phi + gap)).ceil() as u32;
    let mut n = 2.max(legs).max(by_gap);
    let largest = counts.iter().flatten().copied().max().unwrap_or(0);
    if face == Face::Bottom {
        let simple = (0..geo.member.spans.len()).any(|i| {
            let (l, r) = geo.member.span_ends(i);
            matches!(l, End::Discontinuous) || matches!(r, End::Discontinuous)
        });
        let share = if simple { 3 } else { 4 };
        n = n.max(largest.div_ceil(share));
    }
    if geo.member.ductile {
        let at_faces = counts
            .iter()
            .flat_map(|c| [c[0], c[c.len() - 1]])
            .max()
            .unwrap_or(0);
        n = n.max(at_faces.div_ceil(4));
        n = n.max(minimum_count(geo, dia, ductile_least_ratio(geo)));
    }
    n
}

/// Extra bars of one span before they are joined across supports: local positions (mm) and which
/// support each end runs into.
#[derive(Debug, Clone, Copy)]
struct Extra {
    count: u32,
    from: f64,
    to: f64,
    into_left: bool,
    into_right: bool,
}

/// Lays out one face of the member: continuous bars, extras with their cut-offs, anchorages, laps.
pub fn lay_face(
    geo: &Geometry,
    face: Face,
    dia: u32,
    needed: &[Vec<u32>],
    continuous: u32,
) -> FaceLayout {
    let mut extras: Vec<(usize, Extra)> = Vec::new();
    for (i, counts) in needed.iter().enumerate() {
        extras.extend(
            span_extras(geo, face, i, dia, counts, continuous)
                .into_iter()
                .map(|e| (i, e)),
        );
    }
    let [(from, leg0), (to, leg1)] = member_ends(geo, dia);
    let whole = Run {
        face,
        continuous: true,
        count: continuous,
        dia,
        from,
        to,
        legs: [leg0, leg1],
    };
    let extent = (whole.from, whole.to.max(whole.from));
    let mut runs = Vec::new();
    let mut laps = Vec::new();
    for run in std::iter::once(whole).chain(join_extras(geo, face, dia, extras)) {
        let (pieces, at) = split_at_laps(geo, run, &laps);
        runs.extend(pieces);
        laps.extend(at);
    }
    FaceLayout {
        face,
        dia,
        continuous,
        runs,
        laps,
        extent,
    }
}

/// The length of a continuous bar of `dia`, its end legs included, mm: over a stock length it is
/// lapped.
fn continuous_length(geo: &Geometry, dia: u32) -> f64 {
    let [(from, leg0), (to, leg1)] = member_ends(geo, dia);
    to - from + leg0 + leg1
}

/// Where the continuous bars of a face start and end (global) and their end legs.
fn member_ends(geo: &Geometry, dia: u32) -> [(f64, f64); 2] {
    let total = geo.total_length();
    let m = geo.member;
    let last = m.spans.len() - 1;
    [
        end_of(geo, dia, m.ends[0], m.spans[0].support_width, 0.0, -1.0),
        end_of(geo, dia, m.ends[1], m.spans[last].support_width, total, 1.0),
    ]
}

/// A bar's end at a member end at `at` (global), outwards in `direction`: its position and the leg of
/// its 90° bend (0 for none).
fn end_of(
    geo: &Geometry,
    dia: u32,
    end: End,
    support_width: f64,
    at: f64,
    direction: f64,
) -> (f64, f64) {
    let s = &geo.member.section;
    let cover = s.cover();
    match end {
        End::Free => (at - direction * cover, 0.0),
        End::Continuous => {
            // Runs on past the face into the next member, a development length beyond it.
            let ld = development_length(dia, s.fck(), s.fy(), false);
            (at + direction * (ld - support_width / 2.0).max(0.0), 0.0)
        }
        End::Discontinuous | End::Fixed => (
            at + direction * (support_width / 2.0 - cover),
            anchorage_leg(geo, dia, support_width),
        ),
    }
}

/// The leg of the 90° bend that anchors a bar in an end support: the anchorage from the face, Ld
/// (Cl 26.2.1), or Ld + 10 φ in a ductile member (IS 13920 Cl 6.2.5), less the straight length in
/// the support, and never less than 12 φ; rounded up to 10 mm.
pub fn anchorage_leg(geo: &Geometry, dia: u32, support_width: f64) -> f64 {
    let s = &geo.member.section;
    let required = anchorage_required(geo, dia);
    let straight = (support_width - s.cover()).max(0.0);
    let leg = (required - straight).max(12.0 * f64::from(dia));
    (leg / 10.0).ceil() * 10.0
}

pub fn anchorage_required(geo: &Geometry, dia: u32) -> f64 {
    let s = &geo.member.section;
    let ld = development_length(dia, s.fck(), s.fy(), false);
    if geo.member.ductile {
        ld + 10.0 * f64::from(dia)
    } else {
        ld
    }
}

/// The extra bars of span `i`: bottom bars in one group over the length that needs them; top bars in
/// a group at each support, split where the hogging moment is least.
fn span_extras(
    geo: &Geometry,
    face: Face,
    i: usize,
    dia: u32,
    counts: &[u32],
    continuous: u32,
) -> Vec<Extra> {
    let points = geo.design_points(i);
    let env = &geo.envelopes[i];
    let groups: Vec<(usize, usize)> = match face {
        Face::Bottom => vec![(0, points.len() - 1)],
        Face::Top => {
            let split = (0..points.len())
                .min_by(|&a, &b| {
                    geo.moment(i, points[a], face)
                        .total_cmp(&geo.moment(i, points[b], face))
                })
                .unwrap_or(0);
            vec![(0, split), (split, points.len() - 1)]
        }
    };
    let s = &geo.member.section;
    let phi = f64::from(dia);
    let cont_bars = geo.face_bars(continuous, dia);
    let d = geo.depth_of(&cont_bars);
    let resisted = geo.capacity(i, face, &cont_bars, None);
    let ld = development_length(dia, s.fck(), s.fy(), false);
    let beyond = d.max(12.0 * phi); // Cl 26.2.3.1
    let (l, r) = geo.member.faces(i);
    let mut out = Vec::new();
    for (a, b) in groups {
        let over: Vec<usize> = (a..=b).filter(|&k| counts[k] > continuous).collect();
        let (Some(&first), Some(&last)) = (over.first(), over.last()) else {
            continue;
        };
        let count = over.iter().map(|&k| counts[k]).max().unwrap_or(0) - continuous;
        let peak = over
            .iter()
            .copied()
            .max_by(|&p, &q| {
                geo.moment(i, points[p], face)
                    .total_cmp(&geo.moment(i, points[q], face))
            })
            .map_or(points[first], |k| points[k]);
        let moment = |x: f64| geo.moment(i, x, face);
        // Theoretical cut-offs: where the moment falls to what the continuous bars resist.
        let start = if first == 0 {
            l
        } else {
            falls_to(&moment, points[first], points[first - 1], resisted)
        };
        let end = if last == points.len() - 1 {
            r
        } else {
            falls_to(&moment, points[last], points[last + 1], resisted)
        };
        let mut from = (start - beyond).min(peak - ld);
        let mut to = (end + beyond).max(peak + ld);
        if face == Face::Top && continuous * 3 < continuous + count {
            // Cl 26.2.3.4: a third of the negative steel runs past the point of inflection.
            let reach = d.max(12.0 * phi).max((r - l) / 16.0);
            if first == 0 {
                to = to.max(env.falls_to(l, r, 0.0, Quantity::Hogging) + reach);
            }
            if last == points.len() - 1 {
                from = from.min(env.falls_to(r, l, 0.0, Quantity::Hogging) - reach);
            }
        }
        out.push(Extra {
            count,
            into_left: from < l,
            into_right: to > r,
            from: from.max(l),
            to: to.min(r),
        });
    }
    // Two top groups that meet are one group over the whole span.
    if out.len() == 2 && out[0].to >= out[1].from {
        let (p, q) = (out[0], out[1]);
        out = vec![Extra {
            count: p.count.max(q.count),
            from: p.from,
            to: q.to,
            into_left: p.into_left,
            into_right: q.into_right,
        }];
    }
    out
}

/// Where `moment` falls to `level` between `from` (above it) and `to` (at or below it), by a straight
/// line; `to` when it does not.
fn falls_to(moment: &dyn Fn(f64) -> f64, from: f64, to: f64, level: f64) -> f64 {
    let (a, b) = (moment(from), moment(to));
    if a <= b || b > level {
        return to;
    }
    from + (to - from) * ((a - level) / (a - b)).clamp(0.0, 1.0)
}

/// Extra bars as runs in global positions: a group that runs into an interior support joins the
/// neighbouring span's group there, or goes a development length past the far face; into an end
/// support it runs to the support's outer face and is bent.
fn join_extras(geo: &Geometry, face: Face, dia: u32, extras: Vec<(usize, Extra)>) -> Vec<Run> {
    let s = &geo.member.section;
    let ld = development_length(dia, s.fck(), s.fy(), false);
    let spans = geo.member.spans.len();
    let ends = member_ends(geo, dia);
    // A run into the right support of span `usize`, waiting for the next span's group.
    let mut open: Option<(usize, Run)> = None;
    let mut runs: Vec<Run> = Vec::new();
    let close = |(i, mut run): (usize, Run)| {
        run.to = geo.faces(i + 1).0 + ld;
        run
    };
    for (i, e) in extras {
        let mut run = Run {
            face,
            continuous: false,
            count: e.count,
            dia,
            from: geo.offsets[i] + e.from,
            to: geo.offsets[i] + e.to,
            legs: [0.0, 0.0],
        };
        let pending = open.take();
        match pending {
            Some((j, prev)) if e.into_left && j + 1 == i => {
                run.from = prev.from;
                run.legs[0] = prev.legs[0];
                run.count = run.count.max(prev.count);
            }
            other => {
                runs.extend(other.map(close));
                if e.into_left && i == 0 {
                    (run.from, run.legs[0]) = ends[0];
                } else if e.into_left {
                    run.from = geo.faces(i - 1).1 - ld;
                }
            }
        }
        if e.into_right && i + 1 == spans {
            (run.to, run.legs[1]) = ends[1];
        } else if e.into_right {
            open = Some((i, run));
            continue;
        }
        runs.push(run);
    }
    runs.extend(open.map(close));
    runs
}

/// A run in pieces no longer than stock, lapped where the face is least stressed (docs/members.md,
/// "Laps"); the run itself when it is short enough or no lap position can be found. The bars are
/// lapped in groups of at most half of them, each group's laps staggered from the others', so that
/// no more than half the bars are spliced at one section (IS 456 Cl 26.2.5.1 a, IS 13920 Cl 6.2.6.1
/// d), wherever the span leaves room; where it does not, a group is lapped beside another.
fn split_at_laps(geo: &Geometry, run: Run, taken: &[Lap]) -> (Vec<Run>, Vec<Lap>) {
    let s = &geo.member.section;
    let lap = lap_length(run.dia, s.fck(), s.fy());
    if run.to + run.legs[1] - (run.from - run.legs[0]) <= STOCK_LENGTH {
        return (vec![run], Vec::new());
    }
    // Each group's laps where the face is least stressed; where that leaves no room for the
    // last groups, each at the first place the others leave.
    let (pieces, laps, staggered) = lap_groups(geo, &run, lap, taken, LapChoice::LeastStress);
    if staggered {
        return (pieces, laps);
    }
    let (early_pieces, early_laps, early_staggered) =
        lap_groups(geo, &run, lap, taken, LapChoice::Earliest);
    if early_staggered {
        (early_pieces, early_laps)
    } else {
        (pieces, laps)
    }
}

/// How a lap position is chosen among those allowed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum LapChoice {
    /// Where the face's moment over the lap is least (the latest such place).
    LeastStress,
    /// The first place along the bar.
    Earliest,
}

/// The bars of `run` in groups of at most half of them, each lapped clear of the others' laps and
/// of the face's laps already `taken` where it can be; and whether every group could be.
fn lap_groups(
    geo: &Geometry,
    run: &Run,
    lap: f64,
    taken: &[Lap],
    choice: LapChoice,
) -> (Vec<Run>, Vec<Lap>, bool) {
    let group = (run.count / 2).max(1);
    let mut pieces = Vec::new();
    let mut laps: Vec<Lap> = Vec::new();
    let mut staggered = true;
    let mut left = run.count;
    while left > 0 {
        let this = Run {
            count: group.min(left),
            ..run.clone()
        };
        left -= this.count;
        let avoid: Vec<f64> = taken.iter().chain(&laps).map(|l| l.at).collect();
        let mut lapped = lap_group(geo, this.clone(), lap, &avoid, choice);
        if !lapped.complete {
            // No room to stagger: lapped where the others are (a warning, or a failed check when
            // ductile, says so).
            staggered = false;
            lapped = lap_group(geo, this, lap, &[], LapChoice::LeastStress);
        }
        pieces.extend(lapped.pieces);
        laps.extend(lapped.laps);
    }
    (pieces, laps, staggered)
}

/// One group of bars of a run cut into pieces at its laps.
struct Lapped {
    pieces: Vec<Run>,
    laps: Vec<Lap>,
    /// Every lap found a place: the pieces reach the end of the run within stock lengths.
    complete: bool,
}

/// One group of bars in pieces no longer than stock, each lap at least 1.3 lap lengths from every
/// centre in `avoid`.
fn lap_group(geo: &Geometry, run: Run, lap: f64, avoid: &[f64], choice: LapChoice) -> Lapped {
    let mut pieces = Vec::new();
    let mut laps = Vec::new();
    let mut piece = Run {
        legs: [run.legs[0], 0.0],
        ..run.clone()
    };
    let mut complete = true;
    // Each piece is at least half a stock length long, so the walk always moves on.
    while run.to + run.legs[1] - (piece.from - piece.legs[0]) > STOCK_LENGTH {
        let limit = piece.from - piece.legs[0] + STOCK_LENGTH - lap / 2.0;
        let window = (piece.from + STOCK_LENGTH / 2.0, limit);
        let Some(at) = lap_position(geo, run.face, window, lap, avoid, choice) else {
            complete = false;
            break;
        };
        pieces.push(Run {
            to: at + lap / 2.0,
            ..piece.clone()
        });
        laps.push(Lap {
            face: run.face,
            at,
            length: lap,
            count: run.count,
        });
        piece = Run {
            from: at - lap / 2.0,
            legs: [0.0, 0.0],
            ..run.clone()
        };
    }
    piece.legs[1] = run.legs[1];
    pieces.push(piece);
    Lapped {
        pieces,
        laps,
        complete,
    }
}

/// Lap length of bars in flexural tension: Ld or 30 φ, whichever is greater (Cl 26.2.5.1 c), to the
/// next 10 mm.
pub fn lap_length(dia: u32, fck: f64, fy: f64) -> f64 {
    let l = development_length(dia, fck, fy, false).max(30.0 * f64::from(dia));
    (l / 10.0).ceil() * 10.0
}

/// The best lap centre between `lo` and `hi` (global): inside a span, clear of 2d from the support
/// faces, within the middle half of the clear span when ductile (IS 13920 Cl 6.2.6), at least 1.3
/// lap lengths from every centre in `avoid`, and where the face's moment over the lap is least. The
/// latest such point when several are equal.
fn lap_position(
    geo: &Geometry,
    face: Face,
    (lo, hi): (f64, f64),
    lap: f64,
    avoid: &[f64],
    choice: LapChoice,
) -> Option<f64> {
    let s = &geo.member.section;
    // d is at most D − cover − stirrup: keeping 2d of that clear is on the safe side.
    let two_d = 2.0 * (s.depth() - geo.edge);
    let mut best: Option<(f64, f64)> = None;
    for i in 0..geo.member.spans.len() {
        let (fl, fr) = geo.faces(i);
        let clear = fr - fl;
        let (mut a, mut b) = (fl + two_d + lap / 2.0, fr - two_d - lap / 2.0);
        if geo.member.ductile {
            a = a.max(fl + clear / 4.0 + lap / 2.0);
            b = b.min(fr - clear / 4.0 - lap / 2.0);
        }
        let (a, b) = (a.max(lo), b.min(hi));
        if a > b {
            continue;
        }
        if choice == LapChoice::Earliest {
            // The first place at least 1.3 lap lengths from every lap to avoid.
            let mut at = a;
            while let Some(c) = avoid
                .iter()
                .find(|c| (*c - at).abs() < STAGGER * lap - 1e-6)
            {
                at = c + STAGGER * lap;
            }
            if at <= b + 1e-9 {
                return Some(at);
            }
            continue;
        }
        let steps = ((b - a) / 100.0).ceil().max(1.0) as usize;
        for k in 0..=steps {
            let at = a + (b - a) * k as f64 / steps as f64;
            if avoid.iter().any(|c| (c - at).abs() < STAGGER * lap - 1e-6) {
                continue;
            }
            let local = |x: f64| geo.moment(i, x - geo.offsets[i], face);
            let stress = local(at - lap / 2.0)
                .max(local(at))
                .max(local(at + lap / 2.0));
            if best.is_none_or(|(_, m)| stress <= m + 1e-9) {
                best = Some((at, stress));
            }
        }
    }
    best.map(|(at, _)| at)
}

/// The bars of both faces: diameters, counts, runs and laps.
pub struct Layout {
    pub top: FaceLayout,
    pub bottom: FaceLayout,
}

impl Layout {
    pub fn face(&self, face: Face) -> &FaceLayout {
        match face {
            Face::Top => &self.top,
            Face::Bottom => &self.bottom,
        }
    }
}

/// Chooses and lays the bars of both faces; `extra_bottom` adds continuous bottom bars (for the
/// anchorage at a simple support) and `bump` adds bars where the capacity check found too few.
pub fn lay(
    geo: &Geometry,
    legs: u32,
    extra_bottom: u32,
    bump: &[(Face, usize, usize, u32)],
) -> Layout {
    // The bottom first with 16 mm bars standing in for the top's (they only set d′), then the top.
    let (bottom_dia, mut bottom_counts) = choose_dia(geo, Face::Bottom, 16);
    let (top_dia, mut top_counts) = choose_dia(geo, Face::Top, bottom_dia);
    for &(face, i, k, n) in bump {
        let counts = if face == Face::Top {
            &mut top_counts
        } else {
            &mut bottom_counts
        };
        counts[i][k] += n;
    }
    // A supported face with no moment of either sign (a knife-edge support's centre line) is checked
    // as a section with its bottom bars in tension (sections.rs, `zone_beams`): they give at least
    // the minimum steel of Cl 26.5.1.1 (a), as a face with the least moment has (`bars_needed`).
    for (i, counts) in bottom_counts.iter_mut().enumerate() {
        let (l, r) = geo.member.span_ends(i);
        let last = counts.len() - 1;
        for (k, end) in [(0, l), (last, r)] {
            let idle = [Face::Top, Face::Bottom].map(|f| geo.point_moment(i, k, f) <= 1e-9);
            if end != End::Free && idle == [true, true] {
                counts[k] = counts[k].max(minimum_count(geo, bottom_dia, least_ratio(geo)));
            }
        }
    }
    if geo.member.ductile {
        // IS 13920 Cl 6.2.3: at a joint face the bottom steel is at least half the top steel.
        let ratio = bar_area(top_dia) / bar_area(bottom_dia);
        for (i, (top, bottom)) in top_counts.iter().zip(bottom_counts.iter_mut()).enumerate() {
            let (l, r) = geo.member.span_ends(i);
            let last = top.len() - 1;
            for (k, end) in [(0, l), (last, r)] {
                if end != End::Free {
                    bottom[k] =
                        bottom[k].max((f64::from(top[k]) * ratio / 2.0 - 1e-9).ceil() as u32);
                }
            }
        }
    }
    // A ductile member longer than a stock bar laps its continuous bars: an even number of them,
    // half lapped at each of two staggered sections (IS 13920 Cl 6.2.6.1 d), where an odd number
    // would need three sections' room.
    let even = |n: u32, dia: u32| {
        if geo.member.ductile && continuous_length(geo, dia) > STOCK_LENGTH {
            n + n % 2
        } else {
            n
        }
    };
    // A midspan zone checks the top face where the middle's hogging is largest, where the extras
    // may have stopped: the continuous bars there give the minimum steel of Cl 26.5.1.1 (a).
    let hogging_between = (0..geo.member.spans.len()).any(|i| hogging_in_middle(geo, i));
    let top_least = if hogging_between {
        minimum_count(geo, top_dia, least_ratio(geo))
    } else {
        0
    };
    let top_cont = even(
        continuous_count(geo, Face::Top, top_dia, &top_counts, legs).max(top_least),
        top_dia,
    );
    let bottom_cont = even(
        continuous_count(geo, Face::Bottom, bottom_dia, &bottom_counts, legs) + extra_bottom,
        bottom_dia,
    );
    Layout {
        top: lay_face(geo, Face::Top, top_dia, &top_counts, top_cont),
        bottom: lay_face(geo, Face::Bottom, bottom_dia, &bottom_counts, bottom_cont),
    }
}

/// The middle of a span (local): a quarter of the clear span, or 2d when ductile, inside each
/// supported face.
pub(crate) fn middle(geo: &Geometry, i: usize, d: f64) -> (f64, f64) {
    let (l, r) = geo.member.faces(i);
    let (el, er) = geo.member.span_ends(i);
    let q = ((r - l) / 4.0).max(if geo.member.ductile { 2.0 * d } else { 0.0 });
    let a = if el == End::Free { l } else { l + q };
    let b = if er == End::Free { r } else { r - q };
    if a <= b {
        (a, b)
    } else {
        let m = (l + r) / 2.0;
        (m, m)
    }
}

//! The sections of a member checked as single sections with the bars drawn there (docs/members.md,
//! "Zones"): each support face and midspan of every span, for each sign of moment the envelope
//! has there, with the stirrups of the zone. The stirrup zones themselves are chosen here.

use super::envelope::Quantity;
use super::input::End;
use super::layout::{middle, Face, Geometry, Layout};
use super::stirrups::{SpanStirrups, StirrupZone};
use crate::build::{self, SectionCheck};
use crate::input::{Beam, Support};
use crate::tables::bar_area;
use crate::trial::{Reinforcement, Spacing, Trial};

/// Where in a span a zone is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ZoneKind {
    LeftSupport,
    Midspan,
    RightSupport,
}

impl ZoneKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneKind::LeftSupport => "left_support",
            ZoneKind::Midspan => "midspan",
            ZoneKind::RightSupport => "right_support",
        }
    }
}

/// The design shear of span `i` at local `x`, kN: the envelope, at the critical section d from a
/// supported face (Cl 22.6.2.1); when ductile, the shear at the face itself and never less than the
/// capacity-design shear Vg + `sway` (IS 13920 Cl 6.3.3).
pub fn design_shear(geo: &Geometry, i: usize, x: f64, d: f64, sway: f64) -> f64 {
    let env = &geo.envelopes[i];
    let (lo, hi) = shear_range(geo, i, d);
    let at = x.clamp(lo, hi);
    if geo.member.ductile {
        return env
            .at(at, Quantity::Shear)
            .max(env.at(at, Quantity::GravityShear) + sway);
    }
    env.at(at, Quantity::Shear)
}

/// The largest [`design_shear`] over [from, to]: the envelope is straight between stations, so the
/// stations inside and the two ends give it.
fn max_design_shear(geo: &Geometry, i: usize, from: f64, to: f64, d: f64, sway: f64) -> f64 {
    let env = &geo.envelopes[i];
    let (lo, hi) = shear_range(geo, i, d);
    let (a, b) = (from.min(to).clamp(lo, hi), from.max(to).clamp(lo, hi));
    let shear = env.max_over(a, b, Quantity::Shear);
    if geo.member.ductile {
        return shear.max(env.max_over(a, b, Quantity::GravityShear) + sway);
    }
    shear
}

/// Where the design shear of span `i` is read (local): between the faces when ductile, else
/// between the critical sections d from each supported face (never past midspan).
fn shear_range(geo: &Geometry, i: usize, d: f64) -> (f64, f64) {
    let (l, r) = geo.member.faces(i);
    if geo.member.ductile {
        return (l, r);
    }
    let (ends_l, ends_r) = geo.member.span_ends(i);
    let lo = if ends_l == End::Free {
        l
    } else {
        (l + d).min((l + r) / 2.0)
    };
    let hi = if ends_r == End::Free {
        r
    } else {
        (r - d).max((l + r) / 2.0)
    };
    (lo, hi)
}

/// The section of span `i` as one beam: these actions, and the span for span/depth when `span` is set.
pub fn zone_beam(
    geo: &Geometry,
    i: usize,
    actions: [f64; 3],
    with_span: bool,
    ms: Option<f64>,
) -> Beam {
    let span = with_span.then(|| (effective_span(geo, i), support_of(geo, i)));
    let mut beam = geo.member.section.for_zone(actions, span, ms);
    // Every zone has its span's flange in compression under a sagging moment (Cl 23.1.2), the
    // support zones too, though they are not given the span (it is for span/depth only).
    if let (false, Some(shape)) = (with_span, geo.sagging_shapes.get(i)) {
        beam = beam.with_flange_width(shape.bf);
    }
    if geo.member.ductile {
        beam.without_concrete_shear()
    } else {
        beam
    }
}

/// Effective span (Cl 22.2, see [`super::input::effective_span`]), with d to a 20 mm bar's centre.
pub fn effective_span(geo: &Geometry, i: usize) -> f64 {
    let d = geo.member.section.depth() - geo.edge - 10.0;
    super::input::effective_span(&geo.member.spans, geo.member.ends, i, d)
}

/// The end condition of span `i` for span/depth (Table in Cl 23.2.1).
pub fn support_of(geo: &Geometry, i: usize) -> Support {
    super::input::support_of(geo.member.span_ends(i))
}

/// Assesses span `i` at local `x` for a moment `mu` (kN·m, hogging negative) with the bars drawn
/// there, stirrups at `spacing`.
pub fn assess(
    geo: &Geometry,
    layout: &Layout,
    i: usize,
    x: f64,
    beam: &Beam,
    stirrups: (u32, u32),
    spacing: Spacing,
) -> Trial {
    let global = geo.offsets[i] + x;
    let (tension, compression) = if beam.mu_signed() < 0.0 {
        (Face::Top, Face::Bottom)
    } else {
        (Face::Bottom, Face::Top)
    };
    let reinf = Reinforcement {
        tension: Some(layout.face(tension).bars_at(global, geo)),
        compression: Some(layout.face(compression).bars_at(global, geo)),
        stirrup_dia: stirrups.0,
        legs: stirrups.1,
        spacing,
        preferred_used: true,
    };
    Trial::assess(beam, &reinf)
}

/// A zone's governing actions: the moment of larger magnitude (signed), the shear and torsion, kN.
#[derive(Debug, Clone, Copy)]
pub struct ZoneActions {
    /// Where the zone is checked (local mm): a support face, or the largest sagging of the middle.
    pub x: f64,
    /// Where its hogging is checked: `x` at a support; in the middle, where the middle's hogging is
    /// largest, with the top bars there (the bars at the sagging peak may be only the continuous
    /// ones, the extras having stopped where the moment no longer needs them).
    pub hogging_x: f64,
    pub sagging: f64,
    pub hogging: f64,
    pub shear: f64,
    /// The torsion the zone's stirrups carry: at a support the largest between the face and the
    /// critical section; in the middle the middle's largest.
    pub torsion: f64,
    /// The torsion each sign of moment is checked with in flexure (Cl 41.4.2, Me1 = Mu + Mt at a
    /// section), [at `x`, at `hogging_x`]: a support zone's `torsion`; in the middle the torsion at
    /// the point itself (the middle's largest, near its ends, does not act with its sagging peak).
    pub flexure_torsion: [f64; 2],
    /// Service moments DL + LL, [sagging at `x`, hogging at `hogging_x`].
    pub service: Option<[f64; 2]>,
}

impl ZoneActions {
    /// Where the zone's section with `face` in tension is checked (local mm).
    pub fn x_of(&self, face: Face) -> f64 {
        match face {
            Face::Bottom => self.x,
            Face::Top => self.hogging_x,
        }
    }
}

/// The actions of each zone of span `i`: at the faces, and the largest over the middle of the span
/// (from a quarter of the clear span, or 2d when ductile, inside each face).
pub fn zone_actions(geo: &Geometry, i: usize, kind: ZoneKind, d: f64, sway: f64) -> ZoneActions {
    let env = &geo.envelopes[i];
    let (l, r) = geo.member.faces(i);
    let (a, b) = middle(geo, i, d);
    let service = |sagging_x: f64, hogging_x: f64| {
        env.stations.iter().any(|s| s.service.is_some()).then(|| {
            [
                service_at(geo, i, sagging_x, 0),
                service_at(geo, i, hogging_x, 1),
            ]
        })
    };
    match kind {
        ZoneKind::LeftSupport | ZoneKind::RightSupport => {
            let x = if kind == ZoneKind::LeftSupport { l } else { r };
            // The critical section d from the face (Cl 22.6.2.1); a ductile member's at the face
            // itself (IS 13920 Cl 6.3.3: the hinge forms there).
            let near = match (geo.member.ductile, kind) {
                (true, _) => x,
                (false, ZoneKind::LeftSupport) => l + d,
                (false, _) => r - d,
            };
            let torsion = env.max_over(x.min(near), x.max(near), Quantity::Torsion);
            ZoneActions {
                x,
                hogging_x: x,
                sagging: env.at(x, Quantity::Sagging),
                hogging: env.at(x, Quantity::Hogging),
                shear: design_shear(geo, i, near, d, sway),
                torsion,
                flexure_torsion: [torsion; 2],
                service: service(x, x),
            }
        }
        ZoneKind::Midspan => {
            // The largest sagging of the middle: at a station, or at an end of the middle where the
            // envelope (straight between stations) is larger there.
            let at_station = env
                .stations
                .iter()
                .filter(|s| s.x >= a && s.x <= b)
                .max_by(|p, q| p.sagging.total_cmp(&q.sagging))
                .map_or((a + b) / 2.0, |s| s.x);
            let most = env.at(at_station, Quantity::Sagging);
            let peak = [a, b]
                .into_iter()
                .map(|x| (x, env.at(x, Quantity::Sagging)))
                .filter(|&(_, m)| m > most + 1e-9)
                .max_by(|p, q| p.1.total_cmp(&q.1))
                .map_or(at_station, |(x, _)| x);
            let shear = [a, b]
                .into_iter()
                .chain(env.stations.iter().map(|s| s.x).filter(|&x| x > a && x < b))
                .map(|x| design_shear(geo, i, x, d, sway))
                .fold(0.0, f64::max);
            // The largest hogging of the middle, at its ends or a station between (the envelope is
            // straight between stations); the sagging peak where there is none.
            let hogging_x = [a, b]
                .into_iter()
                .chain(env.stations.iter().map(|s| s.x).filter(|&x| x > a && x < b))
                .map(|x| (x, env.at(x, Quantity::Hogging)))
                .filter(|&(_, m)| m > 1e-9)
                .max_by(|p, q| p.1.total_cmp(&q.1))
                .map_or(peak, |(x, _)| x);
            ZoneActions {
                x: peak,
                hogging_x,
                sagging: env.at(peak, Quantity::Sagging),
                hogging: env.max_over(a, b, Quantity::Hogging),
                shear,
                torsion: env.max_over(a, b, Quantity::Torsion),
                flexure_torsion: [
                    env.at(peak, Quantity::Torsion),
                    env.at(hogging_x, Quantity::Torsion),
                ],
                service: service(peak, hogging_x),
            }
        }
    }
}

pub fn service_at(geo: &Geometry, i: usize, x: f64, k: usize) -> f64 {
    let s = &geo.envelopes[i].stations;
    let pos = s.iter().position(|st| st.x >= x).unwrap_or(s.len() - 1);
    let pick = |j: usize| s[j].service.map_or(0.0, |v| v[k]);
    if pos == 0 || s[pos].x <= x {
        return pick(pos);
    }
    let t = (x - s[pos - 1].x) / (s[pos].x - s[pos - 1].x);
    pick(pos - 1) + t * (pick(pos) - pick(pos - 1))
}

/// The spacing a zone needs with these stirrups: the engine's own choice for the zone's actions
/// (shear, torsion and every limit of Cl 26.5.1.5, 26.5.1.6, 41.4.3), and the capacity it gives, N.
/// With moments of both signs, the closer spacing and the smaller capacity of the two (each has its
/// own tension steel, and τc follows it).
/// The trials are kept: where the zone's spacing turns out to be the one a trial chose, the zone's
/// check is that same trial.
fn zone_spacing(
    geo: &Geometry,
    layout: &Layout,
    i: usize,
    kind: ZoneKind,
    actions: ZoneActions,
    stirrups: (u32, u32),
    kept: &mut Vec<ZoneTrials>,
) -> (Option<u32>, f64) {
    let mut out = (Some(u32::MAX), f64::INFINITY);
    let mut sections = Vec::with_capacity(2);
    for (face, beam) in zone_beams(geo, i, kind, &actions) {
        // The spacing at the zone's own point, where the bars are fewest: in the middle, the top
        // extras that carry the hogging at `hogging_x` may have stopped short of it, and with them
        // the steel that raises τc.
        let trial = assess(
            geo,
            layout,
            i,
            actions.x,
            &beam,
            stirrups,
            Spacing::ToChoose,
        );
        out.0 = match (out.0, trial.stirrups.spacing_provided) {
            (Some(a), Some(b)) => Some(a.min(b)),
            _ => None,
        };
        out.1 = out.1.min(trial.stirrups.vu_capacity);
        sections.push(ZoneSection { face, beam, trial });
    }
    kept.push(ZoneTrials {
        kind,
        actions,
        sections,
    });
    out
}

/// A zone as its stirrups were chosen: its actions, and each section it is checked as (one for
/// each sign of moment) assessed with the spacing left free. The zone's check starts from these.
pub struct ZoneTrials {
    kind: ZoneKind,
    actions: ZoneActions,
    sections: Vec<ZoneSection>,
}

struct ZoneSection {
    face: Face,
    /// The section its stirrups are chosen for and it is checked as: its moment acting with the
    /// torsion of its own point (see [`ZoneActions::flexure_torsion`]), which the stirrups do not see.
    beam: Beam,
    trial: Trial,
}

/// The beams a zone is checked as: one for each sign of moment it carries (sagging first, and a
/// sagging one with no moment where it carries none), with the span for span/depth where the zone
/// decides deflection (midspan, or the support of a cantilever) and the service moment of its face
/// where the load cases give one; its moment acts with the torsion at its own point, its stirrups
/// carry the zone's.
fn zone_beams(geo: &Geometry, i: usize, kind: ZoneKind, za: &ZoneActions) -> Vec<(Face, Beam)> {
    let cantilever = support_of(geo, i) == Support::Cantilever;
    let (el, _) = geo.member.span_ends(i);
    let fixed_end = if el == End::Free {
        ZoneKind::RightSupport
    } else {
        ZoneKind::LeftSupport
    };
    let deflection_here = if cantilever {
        kind == fixed_end
    } else {
        kind == ZoneKind::Midspan
    };
    let signs: Vec<(Face, f64, usize)> =
        [(Face::Bottom, za.sagging, 0), (Face::Top, -za.hogging, 1)]
            .into_iter()
            .filter(|(_, m, _)| m.abs() > 1e-9)
            .collect();
    let signs = if signs.is_empty() {
        vec![(Face::Bottom, 0.0, 0)]
    } else {
        signs
    };
    signs
        .into_iter()
        .map(|(face, mu, k)| {
            let ms = za.service.map(|s| s[k]).filter(|m| *m > 0.0);
            let with_span = deflection_here && (face == Face::Bottom) != cantilever;
            let beam = zone_beam(geo, i, [mu, za.shear, za.torsion], with_span, ms)
                .with_moment_torsion(za.flexure_torsion[k]);
            (face, beam)
        })
        .collect()
}

/// An IS 13920 hoop spacing limit to whole 5 mm, down.
fn floor_5(x: f64) -> u32 {
    ((x + 1e-9) / 5.0).floor().max(10.0) as u32 * 5
}

/// The stirrup zones of span `i`: an end zone at each supported face at the spacing the face needs,
/// long enough to reach where the middle spacing carries the shear (at least 2d when ductile, with
/// hoops no wider than min(d/4, 6 db, 100 mm), IS 13920 Cl 6.3.5 as amended), and the middle zone (at most d/2
/// when ductile, 150 mm over laps, Cl 6.2.6.1).
pub fn stirrup_zones(
    geo: &Geometry,
    layout: &Layout,
    i: usize,
    stirrups: (u32, u32),
    d: f64,
    sway: f64,
    kept: &mut Vec<ZoneTrials>,
) -> SpanStirrups {
    let (l, r) = geo.member.faces(i);
    let (el, er) = geo.member.span_ends(i);
    let ductile = geo.member.ductile;
    let end_cap = if ductile {
        floor_5(super::ductile::end_hoop_spacing(d, layout))
    } else {
        u32::MAX
    };
    let mid_cap = if ductile { floor_5(d / 2.0) } else { u32::MAX };
    let mid = zone_actions(geo, i, ZoneKind::Midspan, d, sway);
    let (mid_spacing, mid_capacity) =
        zone_spacing(geo, layout, i, ZoneKind::Midspan, mid, stirrups, kept);
    let lap_here = ductile
        && layout
            .top
            .laps
            .iter()
            .chain(&layout.bottom.laps)
            .any(|lap| lap.at > geo.offsets[i] + l && lap.at < geo.offsets[i] + r);
    let mut buildable = mid_spacing.is_some();
    let mid_spacing = mid_spacing.unwrap_or(75).min(mid_cap).min(if lap_here {
        super::ductile::LAP_HOOP_SPACING
    } else {
        u32::MAX
    });
    let mut ends = [(0.0, mid_spacing); 2];
    for (k, (kind, end)) in [(ZoneKind::LeftSupport, el), (ZoneKind::RightSupport, er)]
        .into_iter()
        .enumerate()
    {
        if end == End::Free {
            continue;
        }
        let za = zone_actions(geo, i, kind, d, sway);
        let spacing = zone_spacing(geo, layout, i, kind, za, stirrups, kept).0;
        buildable &= spacing.is_some();
        let spacing = spacing.unwrap_or(75).min(end_cap).min(mid_spacing);
        let face = if k == 0 { l } else { r };
        let inward = if k == 0 { 1.0 } else { -1.0 };
        // Where the shear falls to what the middle spacing carries, from the face inwards: the
        // farthest of 40 steps to midspan that still needs more (none when nowhere does). With
        // torsion the middle's stirrups are known to carry only the middle's own pair of shear and
        // torsion (Cl 41.4.3 asks for both at once): a point with more of either needs more.
        let steps = 40;
        let half = face + inward * (r - l) / 2.0;
        let env = &geo.envelopes[i];
        let twisted = geo.twisted[i];
        let beyond_middle = |v: f64, t: f64| {
            v * 1e3 > mid_capacity + 1e-6
                || (twisted && (v > mid.shear + 1e-6 || t > mid.torsion + 1e-6))
        };
        // The envelope's torsion is read only where the span has any.
        let torsion = |read: &dyn Fn() -> f64| if twisted { read() } else { 0.0 };
        let anywhere = beyond_middle(
            max_design_shear(geo, i, face, half, d, sway),
            torsion(&|| env.max_over(face.min(half), face.max(half), Quantity::Torsion)),
        );
        let needs_more = if anywhere {
            (0..=steps).rev().find_map(|s| {
                let x = face + inward * (r - l) / 2.0 * f64::from(s) / f64::from(steps);
                beyond_middle(
                    design_shear(geo, i, x, d, sway),
                    torsion(&|| env.at(x, Quantity::Torsion)),
                )
                .then(|| (x - face).abs() + (r - l) / 2.0 / f64::from(steps))
            })
        } else {
            None
        };
        let reach = needs_more
            .unwrap_or(0.0)
            .max(if ductile { 2.0 * d } else { 0.0 });
        if spacing < mid_spacing || ductile {
            let length = (reach / f64::from(spacing)).ceil().max(1.0) * f64::from(spacing);
            ends[k] = (length, spacing);
        }
    }
    let clear = r - l;
    let mut zones = Vec::new();
    let end_lengths = if ends[0].0 + ends[1].0 >= clear {
        let spacing = ends[0].1.min(ends[1].1);
        zones.push(zone(l, r, spacing));
        [clear / 2.0, clear / 2.0]
    } else {
        if ends[0].0 > 0.0 {
            zones.push(zone(l, l + ends[0].0, ends[0].1));
        }
        zones.push(zone(l + ends[0].0, r - ends[1].0, mid_spacing));
        if ends[1].0 > 0.0 {
            zones.push(zone(r - ends[1].0, r, ends[1].1));
        }
        [ends[0].0, ends[1].0]
    };
    let weakest = tighten(geo, layout, i, (d, sway), stirrups, &mut zones);
    SpanStirrups {
        dia: stirrups.0,
        legs: stirrups.1,
        zones,
        end_lengths,
        buildable: buildable && weakest.1 <= 1.0,
        weakest,
    }
}

/// Every station's shear against the stirrups of its zone with the bars present there (Cl 40.4 a;
/// with torsion its equivalent shear, Cl 41.3.1): a zone's spacing was chosen at its own point, and
/// where fewer bars are in tension (an extra stopped, a cantilever's tip) τc and d are less. As the
/// zones' own checks do, the largest shear is taken with each face the envelope can put in tension
/// there; with torsion the hoop's share of Cl 41.4.3 is checked at every station too (a zone's
/// torsion is its largest near its own point). A zone whose spacing falls short somewhere gets the
/// spacing that carries it there, down to 75 mm. Returns the station carried least well: (local x,
/// demand over what is carried).
fn tighten(
    geo: &Geometry,
    layout: &Layout,
    i: usize,
    (d, sway): (f64, f64),
    (dia, legs): (u32, u32),
    zones: &mut [StirrupZone],
) -> (f64, f64) {
    let s = &geo.member.section;
    let (l, r) = geo.member.faces(i);
    let (b, fck, fy_sv) = (s.width(), s.fck(), s.fy_stirrup());
    let steel = 0.87 * fy_sv * f64::from(legs) * bar_area(dia);
    // The closed hoop of Cl 41.4.3: its two legs, b1 and d1 between the corner bars.
    let hoop = crate::torsion::Hoop::new(
        b,
        s.depth(),
        s.cover(),
        f64::from(dia),
        f64::from(layout.bottom.dia),
        f64::from(layout.top.dia),
    );
    let hoop_legs = 2.0 * bar_area(dia);
    let mut shares = FaceShares::default();
    let mut weakest = (l, 0.0_f64);
    let mut worse = |x: f64, ratio: f64| {
        if ratio > weakest.1 {
            weakest = (x, ratio);
        }
    };
    for st in geo.envelopes[i]
        .stations
        .iter()
        .filter(|st| st.x >= l && st.x <= r)
    {
        // Vu at the critical section within d of a supported face (`design_shear`), and Ve = Vu +
        // 1.6 Tu / b (Cl 41.3.1), N.
        let vu = design_shear(geo, i, st.x, d, sway) * 1e3;
        let ve = vu + 1.6 * st.torsion * 1e6 / b;
        // Tu / (b1 d1 0.87 fy) + Vu / (2.5 d1 0.87 fy): the hoop's legs per mm of spacing, mm.
        let hoop_per_mm = (st.torsion * 1e6 / hoop.b1 + vu / 2.5) / (hoop.d1 * 0.87 * fy_sv);
        let sections = shares.in_tension(geo, layout, i, st);
        let around = |z: &&mut StirrupZone| z.contains(st.x);
        for z in zones.iter_mut().filter(around) {
            if st.torsion > 1e-9 {
                narrow(z, hoop_legs / hoop_per_mm, geo.member.ductile);
                worse(st.x, hoop_per_mm * f64::from(z.spacing) / hoop_legs);
            }
            for &(concrete, d_x) in sections.iter().flatten() {
                if ve > concrete {
                    narrow(z, steel * d_x / (ve - concrete), geo.member.ductile);
                }
                // No stirrups carry more than τc,max b d (Cl 40.2.3).
                let most = crate::tables::tau_c_max(fck) * b * d_x;
                worse(
                    st.x,
                    ve / (concrete + steel * d_x / f64::from(z.spacing)).min(most),
                );
            }
        }
    }
    weakest
}

/// A zone's spacing down to `needed` mm, as built (25 mm steps, 5 mm when ductile), unless that is
/// below 75 mm.
fn narrow(z: &mut StirrupZone, needed: f64, ductile: bool) {
    let built = if ductile {
        Some(floor_5(needed)).filter(|&sv| f64::from(sv) >= crate::shear::MIN_SPACING)
    } else {
        crate::shear::spacing_provided(needed)
    };
    if let Some(sv) = built.filter(|&sv| sv < z.spacing) {
        *z = zone(z.from, z.to, sv);
    }
}

/// The concrete's share of shear and d of each face's bars, by count (a handful of counts a span).
#[derive(Default)]
struct FaceShares(Vec<(Face, u32, f64, f64)>);

impl FaceShares {
    /// The concrete's share τc b d (Table 19; none when ductile, IS 13920 Cl 6.3.4) and d, N and
    /// mm, of each face the envelope can put in tension at station `st` of span `i` (the bottom
    /// where neither is), with the bars present there.
    fn in_tension(
        &mut self,
        geo: &Geometry,
        layout: &Layout,
        i: usize,
        st: &super::envelope::StationEnvelope,
    ) -> [Option<(f64, f64)>; 2] {
        let global = geo.offsets[i] + st.x;
        let hogged = st.hogging > 1e-9;
        [
            (Face::Bottom, st.sagging > 1e-9 || !hogged),
            (Face::Top, hogged),
        ]
        .map(|(face, tension)| {
            tension.then(|| {
                self.of(
                    geo,
                    face,
                    layout.face(face).count_at(global),
                    layout.face(face).dia,
                )
            })
        })
    }

    fn of(&mut self, geo: &Geometry, face: Face, count: u32, dia: u32) -> (f64, f64) {
        if let Some(&(_, _, concrete, d)) = self.0.iter().find(|e| e.0 == face && e.1 == count) {
            return (concrete, d);
        }
        let s = &geo.member.section;
        let bars = geo.face_bars(count, dia);
        let d = geo.depth_of(&bars);
        let concrete = if geo.member.ductile {
            0.0
        } else {
            crate::tables::tau_c(s.fck(), 100.0 * bars.area() / (s.width() * d)) * s.width() * d
        };
        self.0.push((face, count, concrete, d));
        (concrete, d)
    }
}

fn zone(from: f64, to: f64, spacing: u32) -> StirrupZone {
    StirrupZone {
        from,
        to,
        spacing,
        count: ((to - from) / f64::from(spacing)).ceil().max(1.0) as u32,
    }
}

/// A zone checked as a section: one result for each sign of moment it carries (sagging first).
pub struct ZoneCheck {
    pub kind: ZoneKind,
    pub actions: ZoneActions,
    pub results: Vec<(Face, SectionCheck)>,
}

/// Checks a zone of span `i` with its stirrups, from the zone as its stirrups were chosen; the
/// span/depth check goes with the zone whose tension steel governs deflection: midspan, or the
/// support of a cantilever.
pub fn check_zone(
    geo: &Geometry,
    layout: &Layout,
    i: usize,
    zone: &ZoneTrials,
    stirrups: &SpanStirrups,
) -> ZoneCheck {
    let (kind, za) = (zone.kind, &zone.actions);
    let mut results = Vec::with_capacity(zone.sections.len());
    for section in &zone.sections {
        let face = section.face;
        let x = za.x_of(face);
        // The zone's own stirrups (at a middle end `hogging_x` may touch an end zone's).
        let spacing = stirrups.spacing_at(match kind {
            ZoneKind::LeftSupport => za.x + 1.0,
            ZoneKind::RightSupport => za.x - 1.0,
            ZoneKind::Midspan => za.x,
        });
        let at = geo.offsets[i] + x;
        let tension = layout.face(face).bars_at(at, geo);
        let compression = layout.face(face.other()).bars_at(at, geo);
        let (kept, beam) = (&section.trial, &section.beam);
        // The section its stirrups were chosen on, with the same bars: only the spacing may differ.
        let same_section = kept.reinforcement.stirrup_dia == stirrups.dia
            && kept.reinforcement.legs == stirrups.legs
            && kept.reinforcement.tension == Some(tension)
            && kept.reinforcement.compression == Some(compression);
        let trial = if !same_section {
            assess(
                geo,
                layout,
                i,
                x,
                beam,
                (stirrups.dia, stirrups.legs),
                Spacing::Fixed(Some(spacing)),
            )
        } else if kept.stirrups.spacing_provided == Some(spacing) {
            kept.clone()
        } else {
            kept.with_spacing(beam, Some(spacing))
        };
        results.push((face, build::section_check(beam, &trial)));
    }
    ZoneCheck {
        kind,
        actions: *za,
        results,
    }
}

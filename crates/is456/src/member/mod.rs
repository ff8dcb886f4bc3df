//! Members: a beam along its spans (docs/members.md). The envelope of the load combinations at every
//! station; bars chosen for it and cut off by Cl 26.2.3; the zones of every span checked as sections
//! with the bars drawn there; IS 13920 ductile detailing; the bar bending schedule.
//!
//! The walk of [`design_member`]: envelope → bars (until the bars present at every station resist its
//! moment) → stirrup zones → cut-offs in tension zones → zone checks → member checks → schedule.

pub mod bbs;
pub mod combinations;
mod ductile;
pub mod envelope;
pub mod input;
pub mod layout;
pub mod result;
mod sections;
mod side_faces;
mod stirrups;

pub use input::{End, Member, Span};
pub use result::MemberResult;

use std::collections::BTreeMap;
use std::sync::Arc;

use envelope::{Quantity, SpanEnvelope};
use layout::{Face, Geometry, Layout};
use result::*;
use sections::{ZoneCheck, ZoneKind};
use stirrups::SpanStirrups;

use crate::build::{down, up, SectionCheck};
use crate::choose::fewest_legs;
use crate::detailing::{development_length, ductile_least_ratio};
use crate::result::{Provenance, Status};
use crate::shear;
use crate::tables::bar_area;

/// How many times the bars are laid again where the check along the span finds too few.
const LAYOUT_ROUNDS: usize = 6;
/// Checks that are code rules, not demand/capacity ratios: they govern only when they fail.
const RULES: [&str; 13] = [
    "cover",
    "concrete_grade",
    "fire",
    "detailing",
    "ductile_width",
    "ductile_width_to_depth",
    "ductile_concrete_grade",
    "ductile_hoop_diameter",
    "ductile_laps",
    "ductile_laps_staggered",
    "ductile_minimum_steel",
    "ductile_bottom_at_joint",
    "ductile_quarter_steel",
];
/// Stirrup diameters tried in turn when the spacing cannot be built, mm.
const STIRRUP_DIAS: [u32; 3] = [8, 10, 12];

/// Designs a member. Never panics and never produces a non-finite number for a valid [`Member`].
pub fn design_member(member: &Member) -> MemberResult {
    let envelopes: Vec<SpanEnvelope> = (0..member.spans.len())
        .map(|i| SpanEnvelope::of(member, i))
        .collect();
    let dias: Vec<u32> = member
        .section
        .stirrup_dia()
        .map_or(STIRRUP_DIAS.to_vec(), |d| vec![d]);
    let mut result = None;
    for dia in dias {
        let design = Design::run(member, &envelopes, dia);
        let buildable = design.buildable();
        result = Some(design);
        if buildable {
            break;
        }
    }
    let design = result.unwrap_or_else(|| Design::run(member, &envelopes, 8));
    design.into_result()
}

/// One complete design with one stirrup diameter.
struct Design<'a> {
    geo: Geometry<'a>,
    layout: Layout,
    stirrups: Vec<SpanStirrups>,
    zones: Vec<Vec<ZoneCheck>>,
    depths: Vec<f64>,
    checks: Vec<MemberCheck>,
}

/// The sway shear of capacity design of each span (IS 13920 Cl 6.3.3), kN; 0 unless ductile.
fn sways(geo: &Geometry, layout: &Layout) -> Vec<f64> {
    (0..geo.member.spans.len())
        .map(|i| {
            if geo.member.ductile {
                ductile::capacity_shear(geo, layout, i).map_or(0.0, |c| c.sway)
            } else {
                0.0
            }
        })
        .collect()
}

/// The stirrup zones of every span, and the zones' trials with the spacing free (kept for the
/// zones' checks).
fn stirrups_of(
    geo: &Geometry,
    layout: &Layout,
    stirrup: (u32, u32),
    depths: &[f64],
    sway: &[f64],
) -> (Vec<SpanStirrups>, Vec<Vec<sections::ZoneTrials>>) {
    let mut kept = Vec::new();
    let stirrups = (0..geo.member.spans.len())
        .map(|i| {
            let mut trials = Vec::new();
            let zones =
                sections::stirrup_zones(geo, layout, i, stirrup, depths[i], sway[i], &mut trials);
            kept.push(trials);
            zones
        })
        .collect();
    (stirrups, kept)
}

impl<'a> Design<'a> {
    fn run(member: &'a Member, envelopes: &'a [SpanEnvelope], stirrup_dia: u32) -> Design<'a> {
        let mut geo = Geometry::new(member, envelopes, stirrup_dia, Vec::new());
        geo.sagging_shapes = (0..member.spans.len())
            .map(|i| sections::zone_beam(&geo, i, [1.0, 0.0, 0.0], true, None).compression_shape())
            .collect();
        let legs = fewest_legs(&member.section, member.section.depth() - geo.edge - 10.0);
        let (mut layout, mut checks) = bars(&geo, legs);
        let depths: Vec<f64> = (0..member.spans.len())
            .map(|i| {
                let (l, r) = geo.faces(i);
                let mid = (l + r) / 2.0;
                [Face::Top, Face::Bottom]
                    .map(|f| geo.depth_of(&layout.face(f).bars_at(mid, &geo)))
                    .into_iter()
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
        let mut sway = sways(&geo, &layout);
        // The zones' trials with the spacing free, kept for the zones' checks.
        let (mut stirrups, mut kept) =
            stirrups_of(&geo, &layout, (stirrup_dia, legs), &depths, &sway);
        // A bar run on to its point of zero moment may reach a joint face and raise its moment of
        // resistance, so the capacity-design shear: the hoops are laid again for it, and the
        // cut-offs checked again with that shear and those hoops, until nothing runs on. A bar
        // end runs on once at most, so this ends.
        let ends = 2 * (layout.top.runs.len() + layout.bottom.runs.len());
        let mut cut_offs = Vec::new();
        for _ in 0..=ends {
            cut_offs = cut_offs_in_tension(&geo, &mut layout, &stirrups, &sway);
            let after = sways(&geo, &layout);
            if !after.iter().zip(&sway).any(|(a, b)| *a > *b + 1e-9) {
                break;
            }
            sway = after;
            (stirrups, kept) = stirrups_of(&geo, &layout, (stirrup_dia, legs), &depths, &sway);
        }
        checks.extend(cut_offs);
        checks.extend(shear_along_span(&stirrups));
        // Every zone of every span, in order along the span (left face, middle, right face).
        let zones: Vec<Vec<ZoneCheck>> = kept
            .iter()
            .enumerate()
            .map(|(i, span_zones)| {
                let mut checked: Vec<ZoneCheck> = span_zones
                    .iter()
                    .map(|zone| sections::check_zone(&geo, &layout, i, zone, &stirrups[i]))
                    .collect();
                checked.sort_by_key(|z| z.kind);
                checked
            })
            .collect();
        if member.ductile {
            for i in 0..member.spans.len() {
                checks.extend(ductile::checks(&geo, &layout, i, &stirrups[i], depths[i]));
            }
        }
        Design {
            geo,
            layout,
            stirrups,
            zones,
            depths,
            checks,
        }
    }

    /// Whether every zone's stirrups could be built (no spacing below 75 mm).
    fn buildable(&self) -> bool {
        // The zones are checked at the spacings laid, so their own spacings are always built.
        self.stirrups.iter().all(|s| s.buildable)
    }

    fn into_result(self) -> MemberResult {
        let Design {
            geo,
            layout,
            stirrups,
            zones,
            depths,
            mut checks,
        } = self;
        let member = geo.member;
        let labels = Labels::of(member, &layout);
        let mut warnings: Vec<String> = Vec::new();
        let mut spans = Vec::with_capacity(member.spans.len());
        checks.reserve(
            zones
                .iter()
                .flatten()
                .flat_map(|z| &z.results)
                .map(|(_, r)| r.verdict.checks.len())
                .sum(),
        );
        for (i, span_zones) in zones.iter().enumerate() {
            for z in span_zones {
                for (face, r) in &z.results {
                    checks.extend(zone_checks(
                        i,
                        z.kind,
                        z.actions.x_of(*face),
                        r,
                        member.ductile,
                    ));
                    for w in &r.verdict.warnings {
                        let w = format!("span {}, {}: {w}", i + 1, z.kind.as_str());
                        if !warnings.contains(&w) {
                            warnings.push(w);
                        }
                    }
                }
            }
            spans.push(span_result(
                &geo,
                &layout,
                &labels,
                i,
                span_zones,
                &stirrups[i],
                depths[i],
            ));
        }
        for (face, f) in [("top", &layout.top), ("bottom", &layout.bottom)] {
            for run in f
                .runs
                .iter()
                .filter(|r| r.to - r.from + r.legs.iter().sum::<f64>() > layout::STOCK_LENGTH + 1.0)
            {
                warnings.push(format!("{face} bars {} are {:.0} mm long, over the stock length of 12 m, and no lap position clear of the high-stress zones was found: lap them where the drawing allows", run_text(run), run.to - run.from));
            }
        }
        // A ductile member's laps have hoops at 150 mm at most (IS 13920 Cl 6.2.6.1 a), the
        // precaution IS 456 asks of a lap at a stressed section; its own checks cover the rest.
        if !member.ductile {
            for w in unstaggered_laps(&geo, &layout)
                .into_iter()
                .chain(stressed_laps(&geo, &layout))
            {
                if !warnings.contains(&w) {
                    warnings.push(w);
                }
            }
        }
        let failed: Vec<MemberCheck> = checks.iter().filter(|c| !c.passed).cloned().collect();
        let worst = checks
            .iter()
            .filter(|c| !c.passed || !RULES.contains(&c.check))
            .fold(None::<&MemberCheck>, |best, c| match best {
                Some(b) if b.utilization >= c.utilization => Some(b),
                _ => Some(c),
            });
        let section = &member.section;
        let side = side_faces::side_faces(&geo, &layout);
        let bbs = bbs::schedule(
            &layout,
            &labels.marks,
            side.as_ref(),
            &stirrups,
            (
                section.width(),
                section.depth(),
                section.cover(),
                member.ductile,
            ),
            |x| span_at(&geo, x).0,
        );
        MemberResult {
            id: member.id.clone(),
            typical: member.typical.clone(),
            status: if failed.is_empty() {
                Status::Success
            } else {
                Status::Fail
            },
            utilization: checks
                .iter()
                .filter(|c| !c.passed || !RULES.contains(&c.check))
                .map(|c| c.utilization)
                .fold(0.0, f64::max),
            governing_check: worst.map_or("flexure", |c| c.check),
            governing_station: worst.map_or(Station { span: 0, x: 0.0 }, |c| Station {
                span: c.span,
                x: c.x,
            }),
            ductile: member.ductile,
            failed_checks: failed,
            warnings,
            checks,
            combinations: member
                .combinations
                .ultimate
                .iter()
                .map(|c| CombinationResult {
                    name: c.name.clone(),
                    factors: c.factors.iter().cloned().collect::<BTreeMap<_, _>>(),
                })
                .collect(),
            spans,
            bars: bar_results(&geo, &layout, &labels.marks),
            side_faces: side.map(|sf| side_face_result(&geo, &sf)),
            bbs,
            provenance: Provenance {
                engine: "beamline",
                version: env!("CARGO_PKG_VERSION"),
                code: if member.ductile {
                    "IS 456:2000, IS 13920:2016"
                } else {
                    "IS 456:2000"
                },
                input_hash: member.input_hash.clone(),
            },
        }
    }
}

/// A warning for each section where more than half a face's bars are lapped (IS 456 Cl 26.2.5.1 a
/// asks for special precautions there); a ductile member fails `ductile_laps_staggered` instead.
fn unstaggered_laps(geo: &Geometry, layout: &Layout) -> Vec<String> {
    let mut out = Vec::new();
    for (name, face) in [("top", &layout.top), ("bottom", &layout.bottom)] {
        for lap in &face.laps {
            let (spliced, present) = face.spliced(lap);
            if 2 * spliced > present {
                let (i, x) = span_at(geo, lap.at);
                out.push(format!("span {}, x = {x:.0} mm: {spliced} of the {present} {name} bars are lapped at one section and the span leaves no room to stagger the laps 1.3 lap lengths apart (IS 456 Cl 26.2.5.1 a): lengthen the lap and close the stirrups over it, or use smaller bars", i + 1));
            }
        }
    }
    out
}

/// A warning for each lap where the face's moment exceeds half the moment of resistance of the bars
/// there (IS 456 Cl 26.2.5.1 a: splices should not be placed so): the laps go where the moment is
/// least, but a span may offer no better place, or staggering may take it.
fn stressed_laps(geo: &Geometry, layout: &Layout) -> Vec<String> {
    let mut out = Vec::new();
    for face in [Face::Top, Face::Bottom] {
        for lap in &layout.face(face).laps {
            let (i, x) = span_at(geo, lap.at);
            let moment = [x - lap.length / 2.0, x, x + lap.length / 2.0]
                .map(|p| geo.moment(i, p, face))
                .into_iter()
                .fold(0.0, f64::max);
            let resisted = capacity_at(geo, layout, i, lap.at, face);
            if moment > 0.5 * resisted + 1e-9 {
                out.push(format!("span {}, x = {x:.0} mm: the {} bars are lapped where the moment reaches {moment:.1} kN·m, more than half the {resisted:.1} kN·m they resist there (IS 456 Cl 26.2.5.1 a): lengthen the lap and close the stirrups over it", i + 1, face_name(face)));
            }
        }
    }
    out
}

/// Lays the bars until those present at every design point resist its moment (both faces), and
/// the positive bars anchored at each simple support satisfy Cl 26.2.3.3 (c).
fn bars(geo: &Geometry, legs: u32) -> (Layout, Vec<MemberCheck>) {
    let mut bump: Vec<(Face, usize, usize, u32)> = Vec::new();
    let mut extra_bottom = 0;
    let mut layout = layout::lay(geo, legs, 0, &bump);
    let mut resisted = point_resistances(geo, &layout);
    for _ in 0..LAYOUT_ROUNDS {
        let mut short = shortfalls(geo, &resisted);
        short.extend(crack_shortfalls(geo, &layout));
        short.extend(over_reinforced(geo, &resisted));
        let anchorage = anchorage_checks(geo, &layout);
        if short.is_empty() && anchorage.iter().all(|c| c.passed) {
            break;
        }
        bump.extend(short.into_iter().map(|(f, i, k)| (f, i, k, 1)));
        if anchorage.iter().any(|c| !c.passed) {
            extra_bottom += 1;
        }
        layout = layout::lay(geo, legs, extra_bottom, &bump);
        resisted = point_resistances(geo, &layout);
    }
    let mut checks = along_span_checks(geo, &resisted);
    checks.extend(anchorage_checks(geo, &layout));
    (layout, checks)
}

/// What the bars present resist at each design point of each span, `[top, bottom]` in tension (the
/// other face's bars in compression): worked out once for a layout, read by every check along the
/// span.
type PointResistances = Vec<Vec<[layout::Resisted; 2]>>;

fn point_resistances(geo: &Geometry, layout: &Layout) -> PointResistances {
    (0..geo.member.spans.len())
        .map(|i| {
            geo.design_points(i)
                .iter()
                .map(|&x| {
                    [Face::Top, Face::Bottom]
                        .map(|face| resisted_at(geo, layout, i, geo.offsets[i] + x, face))
                })
                .collect()
        })
        .collect()
}

/// [`point_resistances`] of a face at point `k` of span `i`.
fn resisted_point(resisted: &PointResistances, i: usize, k: usize, face: Face) -> layout::Resisted {
    resisted[i][k][usize::from(face == Face::Bottom)]
}

/// The moment of resistance of the bars present on a face at a global point, with the other
/// face's bars in compression, kN·m.
fn capacity_at(geo: &Geometry, layout: &Layout, i: usize, x: f64, face: Face) -> f64 {
    resisted_at(geo, layout, i, x, face).mu
}

/// What the bars present on a face at a global point resist, with the other face's in compression.
fn resisted_at(geo: &Geometry, layout: &Layout, i: usize, x: f64, face: Face) -> layout::Resisted {
    let (t, c) = (layout.face(face), layout.face(face.other()));
    geo.resisted_counted(i, face, (t.count_at(x), t.dia), (c.count_at(x), c.dia))
}

/// Design points where a face in tension has bars the other face's bars do not balance (xu would
/// pass xu,max, Cl 38.1 b): whole bars give more area than the moment asks, a second layer or larger
/// compression bars lower fsc. The other face needs another bar there: (that face, span, point).
fn over_reinforced(geo: &Geometry, resisted: &PointResistances) -> Vec<(Face, usize, usize)> {
    let mut out = Vec::new();
    for i in 0..geo.member.spans.len() {
        for k in 0..geo.design_points(i).len() {
            for face in [Face::Top, Face::Bottom] {
                if geo.point_moment(i, k, face) > 1e-9
                    && resisted_point(resisted, i, k, face).over_reinforced
                {
                    out.push((face.other(), i, k));
                }
            }
        }
    }
    out
}

/// Design points where the bars present resist less than the envelope, and are not over-reinforced:
/// (face, span, point index).
fn shortfalls(geo: &Geometry, resisted: &PointResistances) -> Vec<(Face, usize, usize)> {
    let mut out = Vec::new();
    for i in 0..geo.member.spans.len() {
        for k in 0..geo.design_points(i).len() {
            for face in [Face::Top, Face::Bottom] {
                let m = geo.point_moment(i, k, face);
                if m <= 1e-9 {
                    continue;
                }
                // An over-reinforced point needs compression bars first (`over_reinforced`): more
                // tension bars there would add nothing.
                let r = resisted_point(resisted, i, k, face);
                if r.mu < m && !r.over_reinforced {
                    out.push((face, i, k));
                }
            }
        }
    }
    out
}

/// Design points where the bars present would crack wider than Cl 35.3.2 allows at the service
/// moment DL + LL (Annex F), when the load cases give one: (face, span, point index). Checked where
/// the zones are: the support faces and the largest sagging between them, and the top face at the
/// stations of the middle where it is in tension in service.
fn crack_shortfalls(geo: &Geometry, layout: &Layout) -> Vec<(Face, usize, usize)> {
    let s = &geo.member.section;
    let limit = crate::cracking::limit(s.exposure());
    let mut out = Vec::new();
    for i in 0..geo.member.spans.len() {
        let env = &geo.envelopes[i];
        if env.stations.iter().all(|st| st.service.is_none()) {
            continue;
        }
        // Where the zones are checked: the support faces, and the largest sagging between them.
        let points = geo.design_points(i);
        let last = points.len() - 1;
        let peak = (0..points.len())
            .max_by(|&a, &b| {
                sections::service_at(geo, i, points[a], 0)
                    .total_cmp(&sections::service_at(geo, i, points[b], 0))
            })
            .unwrap_or(0);
        // The top face wherever it is in tension in service in the middle of the span: a midspan
        // zone checks its hogging where the middle's hogging is largest.
        let (a, b) = layout::widest_middle(geo, i);
        let hogging = (1..last).filter(|&k| {
            points[k] >= a - 1e-6
                && points[k] <= b + 1e-6
                && sections::service_at(geo, i, points[k], 1) > 1e-9
        });
        let faces = |k: usize| {
            if k == 0 || k == peak || k == last {
                &[(Face::Bottom, 0, 1.0), (Face::Top, 1, -1.0)][..]
            } else {
                &[(Face::Top, 1, -1.0)][..]
            }
        };
        let mut at_points: Vec<usize> = [0, peak, last].into_iter().chain(hogging).collect();
        at_points.sort_unstable();
        at_points.dedup();
        for k in at_points {
            let x = points[k];
            for &(face, slot, sign) in faces(k) {
                let ms = sections::service_at(geo, i, x, slot);
                if ms <= 1e-9 {
                    continue;
                }
                let beam = sections::zone_beam(
                    geo,
                    i,
                    [sign * ms.max(geo.moment(i, x, face)), 0.0, 0.0],
                    false,
                    Some(ms),
                );
                let bars = layout.face(face).bars_at(geo.offsets[i] + x, geo);
                let d = geo.depth_of(&bars);
                let wide = crate::trial::crack_width_of(&beam, &bars, geo.edge, d)
                    .is_some_and(|c| c.max() > limit + 1e-9);
                if wide {
                    out.push((face, i, k));
                }
            }
        }
    }
    out
}

/// Cl 26.2.3: at every station of every span, the envelope moment against the moment of resistance
/// of the bars present there after curtailment; one check per span at its worst point.
fn along_span_checks(geo: &Geometry, resisted: &PointResistances) -> Vec<MemberCheck> {
    (0..geo.member.spans.len())
        .map(|i| {
            let mut worst = (0.0, geo.member.faces(i).0);
            for (k, &x) in geo.design_points(i).iter().enumerate() {
                for face in [Face::Top, Face::Bottom] {
                    let m = geo.point_moment(i, k, face);
                    if m > 1e-9 {
                        let u = m / resisted_point(resisted, i, k, face).mu.max(1e-9);
                        if u > worst.0 {
                            worst = (u, x);
                        }
                    }
                }
            }
            ductile::check("flexure_along_span", "IS 456 Cl 26.2.3", i, worst.1, worst.0, || {
                "the bars present cannot resist the envelope here: the section is too small for the moment; deepen it or raise fck".into()
            })
        })
        .collect()
}

/// Cl 40.4 (a) and 41.3.1 at every station of every span: the shear, with torsion its equivalent
/// shear, against the stirrups of its zone with the bars present there (sections.rs, `tighten`); one
/// check per span at its worst station.
fn shear_along_span(stirrups: &[SpanStirrups]) -> impl Iterator<Item = MemberCheck> + '_ {
    stirrups.iter().enumerate().map(|(i, s)| {
        let (x, ratio) = s.weakest;
        ductile::check("shear_along_span", "IS 456 Cl 40.4 (a), 41.3.1", i, x, ratio, || {
            "no stirrup spacing of 75 mm or more carries the shear here with the bars present: use larger stirrups, more legs, or a deeper or wider section".into()
        })
    })
}

/// Cl 26.2.3.3 (c): at a simple support the positive bars there satisfy Ld ≤ 1.3 M1/V + L0, with M1
/// the moment of resistance of those bars, V the shear at the support and L0 the anchorage beyond the
/// support's centre line plus 8φ for the 90° bend (Cl 26.2.2.1 b).
fn anchorage_checks(geo: &Geometry, layout: &Layout) -> Vec<MemberCheck> {
    let m = geo.member;
    let s = &m.section;
    let last = m.spans.len() - 1;
    let dia = layout.bottom.dia;
    let phi = f64::from(dia);
    let ld = development_length(dia, s.fck(), s.fy(), false);
    [(0usize, m.ends[0]), (last, m.ends[1])]
        .into_iter()
        .enumerate()
        .filter(|(_, (_, end))| *end == End::Discontinuous)
        .map(|(k, (i, _))| {
            let (l, r) = geo.faces(i);
            let x = if k == 0 { l } else { r };
            let bars = layout.bottom.bars_at(x, geo);
            let m1 = geo.capacity(i, Face::Bottom, &bars, None);
            let v = geo.envelopes[i].at(x - geo.offsets[i], Quantity::Shear).max(1e-9);
            let l0 = (m.spans[i].support_width / 2.0 - s.cover()).max(0.0) + 8.0 * phi;
            let available = 1.3 * m1 * 1e3 / v + l0;
            ductile::check("anchorage_at_simple_support", "IS 456 Cl 26.2.3.3 (c)", i, x - geo.offsets[i], ld / available, || {
                format!("the bottom bars at this support need Ld = {ld:.0} mm but 1.3 M1/V + L0 gives {available:.0} mm: use smaller bars or more of them into the support")
            })
        })
        .collect()
}

/// Cl 26.2.3.2: an extra bar that stops where its face is still in tension needs the shear there to
/// be at most ⅔ of what the section with its stirrups resists; where not, it runs on to where the
/// face's moment is zero.
fn cut_offs_in_tension(
    geo: &Geometry,
    layout: &mut Layout,
    stirrups: &[SpanStirrups],
    sway: &[f64],
) -> Vec<MemberCheck> {
    let s = &geo.member.section;
    let mut worst: Vec<(f64, f64)> = vec![(0.0, 0.0); geo.member.spans.len()];
    let mut any = vec![false; geo.member.spans.len()];
    for face in [Face::Top, Face::Bottom] {
        for k in 0..layout.face(face).runs.len() {
            for end in 0..2 {
                let run = &layout.face(face).runs[k];
                if run.continuous || run.legs[end] > 0.0 {
                    continue;
                }
                let at = if end == 0 { run.from } else { run.to };
                let (i, x) = span_at(geo, at);
                let (l, r) = geo.member.faces(i);
                if x <= l + 1e-6 || x >= r - 1e-6 || geo.envelopes[i].at(x, face.tension()) <= 1e-9
                {
                    continue;
                }
                any[i] = true;
                let continuing = layout
                    .face(face)
                    .bars_at(at + if end == 0 { -1.0 } else { 1.0 }, geo);
                let d = geo.depth_of(&continuing);
                let pt = 100.0 * continuing.area() / (s.width() * d);
                // The design shear there: in a ductile member, that of capacity design (IS 13920
                // Cl 6.3.3), Vg with the sway.
                let v = sections::design_shear(geo, i, x, d, sway[i]) * 1e3;
                let mut demand = shear::demand(s.width(), d, v, pt, s.fck());
                if geo.member.ductile {
                    shear::without_concrete(&mut demand, v);
                }
                let st = &stirrups[i];
                let asv = f64::from(st.legs) * bar_area(st.dia);
                let capacity = shear::capacity(
                    s.width(),
                    d,
                    &demand,
                    asv,
                    s.fy_stirrup(),
                    f64::from(st.spacing_at(x)),
                );
                let mut u = v / (2.0 / 3.0 * capacity);
                if u > 1.0 {
                    // Run on to the point of zero moment on this face: no longer a cut-off in tension.
                    let toward = if end == 0 { l } else { r };
                    let zero = geo.envelopes[i].falls_to(x, toward, 0.0, face.tension());
                    let run = &mut match face {
                        Face::Top => &mut layout.top,
                        Face::Bottom => &mut layout.bottom,
                    }
                    .runs[k];
                    if end == 0 {
                        run.from = geo.offsets[i] + zero;
                    } else {
                        run.to = geo.offsets[i] + zero;
                    }
                    u = 0.0;
                }
                if u > worst[i].0 {
                    worst[i] = (u, x);
                }
            }
        }
    }
    (0..geo.member.spans.len())
        .filter(|&i| any[i])
        .map(|i| {
            ductile::check(
                "cut_off_in_tension_zone",
                "IS 456 Cl 26.2.3.2 (a)",
                i,
                worst[i].1,
                worst[i].0,
                String::new,
            )
        })
        .collect()
}

/// The span a global position is in and the local position.
fn span_at(geo: &Geometry, x: f64) -> (usize, f64) {
    let i = geo.offsets.iter().rposition(|&o| o <= x).unwrap_or(0);
    (i, x - geo.offsets[i])
}

/// A global position as the result gives it: its span and mm from the span's left end, to 0.1 mm.
fn station_at(geo: &Geometry, x: f64) -> Station {
    let (span, local) = span_at(geo, x);
    Station {
        span,
        x: (local * 10.0).round() / 10.0,
    }
}

fn side_face_result(geo: &Geometry, sf: &side_faces::SideFaces) -> SideFaceBars {
    let mut text = String::with_capacity(24);
    crate::text::push_bars(&mut text, sf.bars.per_face, sf.bars.dia);
    text.push_str(" each face");
    SideFaceBars {
        text,
        dia: sf.bars.dia,
        per_face: sf.bars.per_face,
        area_required: up(sf.bars.area_required, 1),
        area_provided: down(sf.bars.area_provided, 1),
        spacing: up(sf.bars.spacing, 1),
        start: station_at(geo, sf.from),
        end: station_at(geo, sf.to),
        pieces: sf.pieces,
        lap_length: sf.lap,
        clause: sf.clause,
    }
}

fn face_name(face: Face) -> &'static str {
    match face {
        Face::Top => "top",
        Face::Bottom => "bottom",
    }
}

/// The names the result repeats: bar marks, and the combinations that govern each station (one
/// shared copy of each name).
struct Labels {
    marks: Marks,
    combinations: Vec<Arc<str>>,
}

impl Labels {
    fn of(member: &Member, layout: &Layout) -> Labels {
        Labels {
            marks: Marks::of(layout),
            combinations: member
                .combinations
                .ultimate
                .iter()
                .map(|c| Arc::from(c.name.as_str()))
                .collect(),
        }
    }
}

/// Bar marks of each face's runs, in schedule order: T1, T2, … on top, B1, B2, … at the bottom.
pub(crate) struct Marks {
    top: Vec<String>,
    bottom: Vec<String>,
}

impl Marks {
    fn of(layout: &Layout) -> Marks {
        let numbered = |face: Face, prefix: &str| {
            (1..=layout.face(face).runs.len())
                .map(|k| crate::text::numbered(prefix, k))
                .collect()
        };
        Marks {
            top: numbered(Face::Top, "T"),
            bottom: numbered(Face::Bottom, "B"),
        }
    }

    /// The mark of run `k` of `face` (every run of the layout has one).
    pub(crate) fn of_run(&self, face: Face, k: usize) -> String {
        let marks = match face {
            Face::Top => &self.top,
            Face::Bottom => &self.bottom,
        };
        marks[k].clone()
    }
}

fn run_text(run: &layout::Run) -> String {
    crate::text::bars(run.count, run.dia)
}

fn bar_results(geo: &Geometry, layout: &Layout, marks: &Marks) -> Vec<BarResult> {
    let mut out = Vec::new();
    for face in [Face::Top, Face::Bottom] {
        for (k, run) in layout.face(face).runs.iter().enumerate() {
            out.push(BarResult {
                mark: marks.of_run(face, k),
                face: face_name(face),
                continuous: run.continuous,
                count: run.count,
                dia: run.dia,
                start: station_at(geo, run.from),
                end: station_at(geo, run.to),
                legs: run.legs,
                text: run_text(run),
            });
        }
    }
    out
}

fn span_result(
    geo: &Geometry,
    layout: &Layout,
    labels: &Labels,
    i: usize,
    zones: &[ZoneCheck],
    stirrups: &SpanStirrups,
    d: f64,
) -> SpanResult {
    let (l, r) = geo.member.faces(i);
    let offset = geo.offsets[i];
    let inside = |x: f64| x > offset + l + 1e-6 && x < offset + r - 1e-6;
    let mut cut_offs = Vec::new();
    for face in [Face::Top, Face::Bottom] {
        for (k, run) in layout
            .face(face)
            .runs
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.continuous)
        {
            for x in [run.from, run.to].into_iter().filter(|&x| inside(x)) {
                cut_offs.push(BarPoint {
                    face: face_name(face),
                    mark: labels.marks.of_run(face, k),
                    x: ((x - offset) * 10.0).round() / 10.0,
                    length: None,
                });
            }
        }
    }
    let laps = layout
        .top
        .laps
        .iter()
        .chain(&layout.bottom.laps)
        .filter(|p| inside(p.at))
        .map(|p| BarPoint {
            face: face_name(p.face),
            mark: String::new(),
            x: ((p.at - offset) * 10.0).round() / 10.0,
            length: Some(p.length),
        })
        .collect();
    let env = &geo.envelopes[i];
    let envelope = env
        .stations
        .iter()
        .map(|s| {
            let x = offset + s.x;
            EnvelopePoint {
                x: s.x,
                mu_sagging: up(s.sagging, 2),
                mu_hogging: up(s.hogging, 2),
                vu: up(s.shear, 2),
                tu: up(s.torsion, 2),
                top_bars: layout.top.count_at(x),
                bottom_bars: layout.bottom.count_at(x),
                mu_capacity_sagging: down(capacity_at(geo, layout, i, x, Face::Bottom), 2),
                mu_capacity_hogging: down(capacity_at(geo, layout, i, x, Face::Top), 2),
                governing: s.governing.map(|g| {
                    labels
                        .combinations
                        .get(g)
                        .map_or_else(|| Arc::from(""), Arc::clone)
                }),
            }
        })
        .collect();
    SpanResult {
        span: i,
        length: geo.member.spans[i].length,
        clear_span: r - l,
        faces: [l, r],
        support: sections::support_of(geo, i).as_str(),
        d: down(d, 1),
        zones: zones
            .iter()
            .map(|z| zone_result(geo, layout, i, z, stirrups))
            .collect(),
        cut_offs,
        laps,
        stirrups: stirrups
            .zones
            .iter()
            .map(|z| StirrupZoneResult {
                from: (z.from * 10.0).round() / 10.0,
                to: (z.to * 10.0).round() / 10.0,
                legs: stirrups.legs,
                dia: stirrups.dia,
                spacing: z.spacing,
                count: z.count,
                text: format!(
                    "{}L-{}φ@{} for {:.0}",
                    stirrups.legs,
                    stirrups.dia,
                    z.spacing,
                    z.to - z.from
                ),
            })
            .collect(),
        envelope,
        capacity_shear: if geo.member.ductile {
            ductile::capacity_shear(geo, layout, i)
        } else {
            None
        },
    }
}

fn zone_result(
    geo: &Geometry,
    layout: &Layout,
    i: usize,
    z: &ZoneCheck,
    stirrups: &SpanStirrups,
) -> ZoneResult {
    let x = geo.offsets[i] + z.actions.x;
    let of = |face: Face| z.results.iter().find(|(f, _)| *f == face).map(|(_, r)| r);
    let all = z.results.iter().map(|(_, r)| r);
    let worst = all.clone().fold(None::<&SectionCheck>, |b, r| match b {
        Some(b) if b.verdict.utilization >= r.verdict.utilization => Some(b),
        _ => Some(r),
    });
    let spacing = stirrups.spacing_at(z.actions.x);
    let s = &geo.member.section;
    let d = worst.map_or(0.0, |r| r.d);
    let (ast_min, ast_max) = if geo.member.ductile {
        (
            up(ductile_least_ratio(s.fck(), s.fy()) * s.width() * d, 1),
            down(0.025 * s.width() * d, 1),
        )
    } else {
        (
            worst.map_or(0.0, |r| r.ast_min),
            down(0.04 * s.width() * s.depth(), 1),
        )
    };
    ZoneResult {
        zone: z.kind.as_str(),
        x: (z.actions.x * 10.0).round() / 10.0,
        hogging_x: (of(Face::Top).is_some() && (z.actions.hogging_x - z.actions.x).abs() > 1e-6)
            .then(|| (z.actions.hogging_x * 10.0).round() / 10.0),
        top: layout.top.callout_at(x),
        bottom: layout.bottom.callout_at(x),
        stirrups: crate::text::links_at(stirrups.legs, stirrups.dia, spacing),
        mu_sagging: up(z.actions.sagging, 2),
        mu_hogging: up(z.actions.hogging, 2),
        vu: up(z.actions.shear, 2),
        tu: up(z.actions.torsion, 2),
        ast_top: down(layout.top.bars_at(x, geo).area(), 1),
        ast_bottom: down(layout.bottom.bars_at(x, geo).area(), 1),
        mu_capacity_sagging: of(Face::Bottom).map(|r| r.mu_capacity),
        mu_capacity_hogging: of(Face::Top).map(|r| r.mu_capacity),
        vu_capacity: worst.map_or(0.0, |r| r.vu_capacity),
        d,
        mu_lim: worst.map_or(0.0, |r| r.mu_lim),
        ast_min,
        ast_max,
        status: if all.clone().all(|r| r.verdict.status == Status::Success) {
            Status::Success
        } else {
            Status::Fail
        },
        utilization: worst.map_or(0.0, |r| r.verdict.utilization),
        governing_check: worst.map_or("flexure", |r| r.verdict.governing_check),
        checks: worst.map(|r| r.verdict.checks.clone()).unwrap_or_default(),
        failed_checks: all
            .flat_map(|r| r.verdict.failed_checks.iter().cloned())
            .collect(),
    }
}

/// Each check of a zone's section result (`kind`, checked at local `x`) as a member check there.
fn zone_checks(
    i: usize,
    kind: ZoneKind,
    x: f64,
    r: &SectionCheck,
    ductile: bool,
) -> impl Iterator<Item = MemberCheck> + '_ {
    r.verdict.checks.iter().map(move |c| {
        let failed = r.verdict.failed_checks.iter().find(|f| f.check == c.check);
        MemberCheck {
            check: c.check,
            // A ductile member's zones count no concrete in shear.
            clause: match (ductile, c.check) {
                (true, "shear") => "IS 456 Cl 40 with IS 13920 Cl 6.3.4 (no concrete share)",
                _ => c.clause,
            },
            span: i,
            x: (x * 10.0).round() / 10.0,
            utilization: c.utilization,
            passed: c.passed,
            message: failed
                .map(|f| format!("{} ({}): {}", kind.as_str(), r.tension_face, f.message)),
        }
    })
}

//! Ductile detailing of flexural members to IS 13920:2016 Cl 6 (docs/members.md, "Ductile members"):
//! the section's proportions, the longitudinal steel at and between joint faces, laps, hoops, and
//! shear by capacity design from the bars actually provided.

use super::input::End;
use super::layout::{Face, Geometry, Layout};
use super::result::{CapacityShear, MemberCheck};
use super::stirrups::SpanStirrups;
use crate::build::{down, up};
use crate::detailing::ductile_least_ratio;

/// The smallest hoop diameter, mm (IS 13920:2016 Cl 6.3.2).
const MIN_HOOP_DIA: f64 = 8.0;

/// The widest hoop spacing over 2d from a joint face, mm (IS 13920:2016 Cl 6.3.5 as amended by its
/// Amendment No. 1, 2017): d/4, 6 times the smallest longitudinal bar, and 100 mm.
pub fn end_hoop_spacing(d: f64, layout: &Layout) -> f64 {
    let smallest_bar = f64::from(layout.top.dia.min(layout.bottom.dia));
    (d / 4.0).min(6.0 * smallest_bar).min(100.0)
}

/// The widest hoop spacing over a lap, mm (IS 13920:2016 Cl 6.2.6.1 a).
pub const LAP_HOOP_SPACING: u32 = 150;

/// Over-strength factor on the moments of resistance in capacity-design shear (IS 13920 Cl 6.3.3).
const OVERSTRENGTH: f64 = 1.4;

pub(crate) fn check(
    name: &'static str,
    clause: &'static str,
    span: usize,
    x: f64,
    utilization: f64,
    message: impl FnOnce() -> String,
) -> MemberCheck {
    let utilization = up(utilization.clamp(0.0, 999.0), 3);
    let passed = utilization <= 1.0;
    MemberCheck {
        check: name,
        clause,
        span,
        x: (x * 10.0).round() / 10.0,
        utilization,
        passed,
        message: (!passed).then(message),
    }
}

/// Moments of resistance at the two faces of span `i` with the bars drawn there: [sagging, hogging]
/// at each, kN·m.
pub fn face_capacities(geo: &Geometry, layout: &Layout, i: usize) -> [[f64; 2]; 2] {
    let (l, r) = geo.faces(i);
    [l, r].map(|x| {
        let top = layout.top.bars_at(x, geo);
        let bottom = layout.bottom.bars_at(x, geo);
        [
            geo.capacity(i, Face::Bottom, &bottom, Some(&top)),
            geo.capacity(i, Face::Top, &top, Some(&bottom)),
        ]
    })
}

/// Capacity-design shear of span `i` (IS 13920 Cl 6.3.3): Vu = Vg ± 1.4 (Mu,sagging + Mu,hogging) /
/// clear span for sway either way, with the moments of resistance of the bars provided at the two
/// faces and Vg the shear under 1.2 (DL + LL). `None` for a cantilever (it has no sway mechanism).
pub fn capacity_shear(geo: &Geometry, layout: &Layout, i: usize) -> Option<CapacityShear> {
    let (el, er) = geo.member.span_ends(i);
    if el == End::Free || er == End::Free {
        return None;
    }
    let (l, r) = geo.member.faces(i);
    let clear = (r - l) / 1e3;
    let [left, right] = face_capacities(geo, layout, i);
    let sway_right = OVERSTRENGTH * (left[0] + right[1]) / clear;
    let sway_left = OVERSTRENGTH * (left[1] + right[0]) / clear;
    let sway = sway_right.max(sway_left);
    let env = &geo.envelopes[i];
    let gravity = [l, r].map(|x| env.at(x, super::envelope::Quantity::GravityShear));
    let analysis = [l, r].map(|x| env.at(x, super::envelope::Quantity::Shear));
    Some(CapacityShear {
        left: left.map(|m| down(m, 1)),
        right: right.map(|m| down(m, 1)),
        clear_span: r - l,
        sway: up(sway, 1),
        gravity: gravity.map(|v| up(v, 1)),
        design: [0, 1].map(|k| up((gravity[k] + sway).max(analysis[k]), 1)),
    })
}

/// Every IS 13920 beam provision for span `i` (docs/members.md lists them).
pub fn checks(
    geo: &Geometry,
    layout: &Layout,
    i: usize,
    stirrups: &SpanStirrups,
    d: f64,
) -> Vec<MemberCheck> {
    let s = &geo.member.section;
    let (b, big_d, fck, fy) = (s.width(), s.depth(), s.fck(), s.fy());
    let (l, r) = geo.faces(i);
    let (el, er) = geo.member.span_ends(i);
    let local = |x: f64| x - geo.offsets[i];
    let mut out = vec![
        check(
            "ductile_width",
            "IS 13920 Cl 6.1.2",
            i,
            local(l),
            200.0 / b,
            || format!("width {b} mm is below 200 mm: widen the beam"),
        ),
        check(
            "ductile_width_to_depth",
            "IS 13920 Cl 6.1.1",
            i,
            local(l),
            0.3 * big_d / b,
            || {
                format!(
                    "b/D = {:.2} is below 0.3: widen the beam or make it shallower",
                    b / big_d
                )
            },
        ),
        check(
            "ductile_depth_to_span",
            "IS 13920 Cl 6.1.3",
            i,
            local(l),
            big_d / ((r - l) / 4.0),
            || "the depth exceeds a quarter of the clear span: make the beam shallower".into(),
        ),
        check(
            "ductile_concrete_grade",
            "IS 13920 Cl 5.2",
            i,
            local(l),
            20.0 / fck,
            || {
                format!("M{fck:.0} is below M20, the least grade for ductile members: use M20 or better")
            },
        ),
    ];
    // Steel ratios at every design point, on the effective depth of the bars present.
    let rho_min = ductile_least_ratio(fck, fy);
    let mut min_ratio: (f64, f64) = (0.0, l);
    let mut max_ratio: (f64, f64) = (0.0, l);
    for x in geo
        .design_points(i)
        .iter()
        .copied()
        .map(|x| x + geo.offsets[i])
    {
        for face in [Face::Top, Face::Bottom] {
            let bars = layout.face(face).bars_at(x, geo);
            let bd = b * geo.depth_of(&bars);
            let lo = rho_min * bd / bars.area();
            let hi = bars.area() / (0.025 * bd);
            if lo > min_ratio.0 {
                min_ratio = (lo, x);
            }
            if hi > max_ratio.0 {
                max_ratio = (hi, x);
            }
        }
    }
    out.push(check(
        "ductile_minimum_steel",
        "IS 13920 Cl 6.2.1",
        i,
        local(min_ratio.1),
        min_ratio.0,
        || {
            format!(
                "the steel ratio is below 0.24√fck/fy = {:.4} at a face: add bars",
                rho_min
            )
        },
    ));
    out.push(check(
        "ductile_maximum_steel",
        "IS 13920 Cl 6.2.2",
        i,
        local(max_ratio.1),
        max_ratio.0,
        || "the steel ratio exceeds 2.5 %: deepen or widen the beam".into(),
    ));
    // Cl 6.2.3 at each joint face; Cl 6.2.4 everywhere.
    let area = |face: Face, x: f64| layout.face(face).bars_at(x, geo).area();
    let mut half: (f64, f64) = (0.0, l);
    for (x, end) in [(l, el), (r, er)] {
        if end != End::Free {
            let u = 0.5 * area(Face::Top, x) / area(Face::Bottom, x);
            if u > half.0 {
                half = (u, x);
            }
        }
    }
    out.push(check("ductile_bottom_at_joint", "IS 13920 Cl 6.2.3", i, local(half.1), half.0, || "the bottom steel at a joint face is less than half the top steel there: add bottom bars into the joint".into()));
    let largest = area(Face::Top, l)
        .max(area(Face::Top, r))
        .max(area(Face::Bottom, l))
        .max(area(Face::Bottom, r));
    let mut quarter: (f64, f64) = (0.0, l);
    for x in geo
        .design_points(i)
        .iter()
        .copied()
        .map(|x| x + geo.offsets[i])
    {
        let u = 0.25 * largest / area(Face::Top, x).min(area(Face::Bottom, x));
        if u > quarter.0 {
            quarter = (u, x);
        }
    }
    out.push(check("ductile_quarter_steel", "IS 13920 Cl 6.2.4", i, local(quarter.1), quarter.0, || "a section has less than a quarter of the largest steel at a joint face: add continuous bars".into()));
    // Laps: none within 2d of a joint face, none in the quarter lengths where hinges form.
    let two_d = 2.0 * d;
    let clear = r - l;
    let mut lap_ratio: (f64, f64) = (0.0, l);
    let mut spliced: (f64, f64) = (0.0, l);
    for face in [&layout.top, &layout.bottom] {
        for lap in face.laps.iter().filter(|p| p.at > l && p.at < r) {
            let near = (lap.at - lap.length / 2.0 - l).min(r - lap.at - lap.length / 2.0);
            let keep = two_d.max(clear / 4.0);
            let u = if near <= 0.0 { 999.0 } else { keep / near };
            if u > lap_ratio.0 {
                lap_ratio = (u, lap.at);
            }
            // Cl 6.2.6.1 d: at most half the face's bars spliced at one section.
            let (spliced_bars, present) = face.spliced(lap);
            let u = f64::from(spliced_bars) / (0.5 * f64::from(present.max(1)));
            if u > spliced.0 {
                spliced = (u, lap.at);
            }
        }
    }
    out.push(check("ductile_laps", "IS 13920 Cl 6.2.6", i, local(lap_ratio.1), lap_ratio.0, || "a lap lies within 2d of a joint face or in a quarter of the span: move it to the middle half".into()));
    out.push(check("ductile_laps_staggered", "IS 13920 Cl 6.2.6.1 (d)", i, local(spliced.1), spliced.0, || "more than half the bars of a face are lapped at one section and the span leaves no room to stagger the laps 1.3 lap lengths apart: use smaller bars or mechanical couplers (Cl 6.2.6.2)".into()));
    // Hoops (Cl 6.3.2 diameter, 6.3.5 spacing and zone length).
    out.push(check(
        "ductile_hoop_diameter",
        "IS 13920 Cl 6.3.2",
        i,
        local(l),
        MIN_HOOP_DIA / f64::from(stirrups.dia),
        || format!("hoops must be at least {MIN_HOOP_DIA} mm"),
    ));
    let end_limit = end_hoop_spacing(d, layout);
    let mut spacing: (f64, f64) = (0.0, l);
    for z in &stirrups.zones {
        let at_end = z.from <= local(l) + 1e-6 || z.to >= local(r) - 1e-6;
        let limit = if at_end { end_limit } else { d / 2.0 };
        let u = f64::from(z.spacing) / limit;
        if u > spacing.0 {
            spacing = (u, z.from + geo.offsets[i]);
        }
    }
    for (k, end) in [el, er].into_iter().enumerate() {
        if end != End::Free && stirrups.end_lengths[k] + 1e-6 < two_d {
            spacing = (
                two_d / stirrups.end_lengths[k].max(1.0),
                if k == 0 { l } else { r },
            );
        }
    }
    out.push(check("ductile_hoop_spacing", "IS 13920 Cl 6.3.5", i, local(spacing.1), spacing.0, || format!("hoops over 2d from each joint face must be at most {end_limit:.0} mm apart, and at most {:.0} mm elsewhere", d / 2.0)));
    out
}

//! The DXF sheet of one designed beam (a section, not a member): its cross-section to scale with
//! every bar, and its row of the beam schedule.

use is456::result::DesignResult;
use is456::Beam;

use crate::drafting::{BOTTOM_BARS, CONCRETE, LAYERS, MARKS, STIRRUPS, TEXT, TOP_BARS};
use crate::dxf::{Align, Dxf};
use crate::schedule::{self, ScheduleRow};
use crate::shapes::{section, Role, Shape};

/// The sheet of one beam.
pub fn beam_dxf(beam: &Beam, r: &DesignResult) -> String {
    let mut dxf = Dxf::new(&LAYERS);
    let hogging = r.flexure.tension_face == "top";
    let layer = |role: Role| match role {
        Role::Concrete => CONCRETE,
        Role::Stirrup => STIRRUPS,
        Role::Tension if hogging => TOP_BARS,
        Role::Compression if !hogging => TOP_BARS,
        Role::Tension | Role::Compression | Role::SideFace => BOTTOM_BARS,
    };
    let depth = beam.depth();
    // The section's shapes are drawn with y down from the top face; the sheet's y is up.
    let p = |x: f64, y: f64| (x, depth - y);
    for shape in section(beam, r).shapes {
        match shape {
            Shape::Polygon(points, role) => {
                for k in 0..points.len() {
                    let (a, b) = (points[k], points[(k + 1) % points.len()]);
                    dxf.line(layer(role), p(a.0, a.1), p(b.0, b.1));
                }
            }
            Shape::Outline(x, y, w, h, role) => dxf.rect(layer(role), x, depth - y - h, w, h),
            Shape::Bar(x, y, dia, role) => dxf.circle(layer(role), p(x, y), dia / 2.0),
            Shape::Label(x, y, text) => dxf.text(MARKS, p(x, y), 0.4 * TEXT, &text, Align::Centre),
            Shape::Line(x1, y1, x2, y2, role) => dxf.line(layer(role), p(x1, y1), p(x2, y2)),
        }
    }
    let id = beam.id().unwrap_or("beam").to_owned();
    let title = format!(
        "{id}  {} x {}  M{} Fe{}",
        beam.width(),
        depth,
        beam.fck(),
        beam.fy()
    );
    dxf.text(MARKS, (0.0, depth + 3.0 * TEXT), TEXT, &title, Align::Left);
    let (top, bottom) = if hogging {
        (r.bars_provided.clone(), r.compression_bars.clone())
    } else {
        (r.compression_bars.clone(), r.bars_provided.clone())
    };
    let dash = |s: String| if s.is_empty() { "-".to_owned() } else { s };
    let row = ScheduleRow {
        cells: [
            id,
            "1".into(),
            format!("{} x {}", beam.width(), depth),
            dash(top.clone()),
            dash(bottom),
            dash(top),
            r.stirrups.clone(),
            "-".into(),
        ],
    };
    schedule::draw(&mut dxf, &[row], (0.0, -6.0 * TEXT));
    dxf.finish()
}

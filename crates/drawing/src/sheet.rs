//! DXF sheets (docs/drawings.md): for each member its elevation to scale (supports, bars with their
//! marks, bends, cut-offs and laps, stirrup zones, dimensions) and its sections at the supports and
//! at midspan; then the beam schedule of every member. Millimetres, 1:1 in model space; y up, the
//! soffit of the first member at y = 0.

use is456::member::result::{BarResult, MemberResult, SpanResult};
use is456::Member;

use crate::drafting::{
    dimension, n, BOTTOM_BARS, CENTRE_LINES, CONCRETE, DIMENSIONS, LAYERS, MARKS, STIRRUPS,
    SUPPORTS, TEXT, TOP_BARS,
};
use crate::dxf::{Align, Dxf};
use crate::schedule;

/// Height of the column stubs drawn above and below the beam, mm.
const STUB: f64 = 600.0;

/// One member of a sheet: its input (the section's size and cover) and its design.
pub struct Drawn<'a> {
    pub member: &'a Member,
    pub result: &'a MemberResult,
}

/// The sheet of one member.
pub fn member(member: &Member, result: &MemberResult) -> String {
    members(&[Drawn { member, result }])
}

/// One sheet for several members, one under another, with one beam schedule below them all.
pub fn members(items: &[Drawn<'_>]) -> String {
    let mut dxf = Dxf::new(&LAYERS);
    let mut y = 0.0;
    let mut rows = Vec::new();
    for item in items {
        let height = draw_member(&mut dxf, item, y);
        rows.extend(schedule::rows(item.member, item.result));
        y -= height;
    }
    schedule::draw(&mut dxf, &rows, (0.0, y));
    dxf.finish()
}

/// Positions along the member: the start of each span's centre line from the member's first.
struct Along {
    starts: Vec<f64>,
}

impl Along {
    fn new(spans: &[SpanResult]) -> Along {
        let mut starts = vec![0.0];
        for s in spans {
            starts.push(starts.last().copied().unwrap_or(0.0) + s.length);
        }
        Along { starts }
    }

    fn x(&self, span: usize, at: f64) -> f64 {
        self.starts.get(span).copied().unwrap_or(0.0) + at
    }

    fn total(&self) -> f64 {
        self.starts.last().copied().unwrap_or(0.0)
    }
}

/// Draws one member with its top edge at `top`; returns the height it took.
fn draw_member(dxf: &mut Dxf, item: &Drawn<'_>, top: f64) -> f64 {
    let (member, r) = (item.member, item.result);
    let depth = member.section.depth();
    // The soffit of the beam: below the title, the stubs of the columns and the bar marks.
    let y0 = top - 2.0 * STUB - depth - 6.0 * TEXT;
    let along = Along::new(&r.spans);
    let title = title(member, r);
    dxf.text(
        MARKS,
        (0.0, top - 1.5 * TEXT),
        1.5 * TEXT,
        &title,
        Align::Left,
    );
    outline(dxf, member, r, &along, y0);
    for b in &r.bars {
        bar(dxf, member, r, b, &along, y0);
    }
    for (i, s) in r.spans.iter().enumerate() {
        stirrups(dxf, member, s, along.x(i, 0.0), y0);
        cut_offs_and_laps(dxf, s, along.x(i, 0.0), y0, depth);
    }
    dimensions(dxf, r, &along, y0);
    let below = crate::section::draw_all(dxf, member, r, &along.starts, y0);
    top - below + 3.0 * TEXT
}

fn title(member: &Member, r: &MemberResult) -> String {
    let s = &member.section;
    let mut t = format!(
        "{}  {} x {}  M{} Fe{}{}",
        r.id.as_deref().unwrap_or("member"),
        s.width(),
        s.depth(),
        s.fck(),
        s.fy(),
        if r.ductile { "  IS 13920" } else { "" }
    );
    if !r.typical.is_empty() {
        t.push_str(&format!("  (typical: also {})", r.typical.join(", ")));
    }
    t
}

/// The concrete, the supports with their centre lines, and the span labels.
fn outline(dxf: &mut Dxf, member: &Member, r: &MemberResult, along: &Along, y0: f64) {
    let depth = member.section.depth();
    let n = r.spans.len();
    let width_at = |j: usize| {
        let left = j.checked_sub(1).map(|k| member.spans[k].support_width);
        let right = member.spans.get(j).map(|s| s.support_width);
        left.into_iter().chain(right).fold(0.0, f64::max)
    };
    let free = |j: usize| {
        (j == 0 && member.ends[0] == is456::member::End::Free)
            || (j == n && member.ends[1] == is456::member::End::Free)
    };
    let left = if free(0) { 0.0 } else { -width_at(0) / 2.0 };
    let right = along.total() + if free(n) { 0.0 } else { width_at(n) / 2.0 };
    dxf.rect(CONCRETE, left, y0, right - left, depth);
    for j in 0..=n {
        let x = along.starts[j];
        dxf.line(
            CENTRE_LINES,
            (x, y0 - STUB - 200.0),
            (x, y0 + depth + STUB + 200.0),
        );
        if free(j) {
            continue;
        }
        let w = width_at(j);
        if w > 0.0 {
            dxf.rect(SUPPORTS, x - w / 2.0, y0 - STUB, w, STUB);
            dxf.rect(SUPPORTS, x - w / 2.0, y0 + depth, w, STUB);
        } else {
            dxf.line(SUPPORTS, (x, y0), (x - 150.0, y0 - 250.0));
            dxf.line(SUPPORTS, (x, y0), (x + 150.0, y0 - 250.0));
            dxf.line(SUPPORTS, (x - 150.0, y0 - 250.0), (x + 150.0, y0 - 250.0));
        }
    }
}

/// Height of a face's bar line: the continuous bars at the cover and stirrup, the extras drawn a bar
/// spacing inside them so that both show.
fn bar_y(member: &Member, r: &MemberResult, b: &BarResult, y0: f64) -> f64 {
    let s = &member.section;
    let stirrup = r
        .spans
        .iter()
        .flat_map(|s| &s.stirrups)
        .map(|z| f64::from(z.dia))
        .fold(8.0, f64::max);
    let dia = f64::from(b.dia);
    let inset = s.cover() + stirrup + dia / 2.0;
    let row = if b.continuous { 0.0 } else { extra_row(r, b) };
    let step = (dia + 25.0).max(60.0);
    if b.face == "top" {
        y0 + s.depth() - inset - step * row
    } else {
        y0 + inset + step * row
    }
}

/// 1, 2 or 3: extras of a face take turns so that neighbours never share a line.
fn extra_row(r: &MemberResult, b: &BarResult) -> f64 {
    let k = r
        .bars
        .iter()
        .filter(|o| o.face == b.face && !o.continuous)
        .position(|o| o.mark == b.mark)
        .unwrap_or(0);
    1.0 + (k % 3) as f64
}

fn bar(dxf: &mut Dxf, member: &Member, r: &MemberResult, b: &BarResult, along: &Along, y0: f64) {
    let layer = if b.face == "top" {
        TOP_BARS
    } else {
        BOTTOM_BARS
    };
    let y = bar_y(member, r, b, y0);
    let (x1, x2) = (
        along.x(b.start.span, b.start.x),
        along.x(b.end.span, b.end.x),
    );
    dxf.line(layer, (x1, y), (x2, y));
    // A 90° bend turns into the beam: down from the top bars, up from the bottom bars.
    let inward = if b.face == "top" { -1.0 } else { 1.0 };
    for (x, leg) in [(x1, b.legs[0]), (x2, b.legs[1])] {
        if leg > 0.0 {
            dxf.line(layer, (x, y), (x, y + inward * leg));
        }
    }
    let depth = member.section.depth();
    let row = if b.continuous { 0.0 } else { extra_row(r, b) };
    let label_y = if b.face == "top" {
        y0 + depth + STUB + (1.0 + 1.6 * row) * TEXT
    } else {
        y0 - STUB - (9.0 + 1.6 * row) * TEXT
    };
    let mid = (x1 + x2) / 2.0;
    dxf.text(
        MARKS,
        (mid, label_y),
        TEXT,
        &format!("{} {}", b.mark, b.text),
        Align::Centre,
    );
    dxf.line(
        MARKS,
        (
            mid,
            label_y
                + if b.face == "top" {
                    -0.3 * TEXT
                } else {
                    1.2 * TEXT
                },
        ),
        (mid, y),
    );
}

/// The stirrups of a span, each drawn, with each zone's text under the beam.
fn stirrups(dxf: &mut Dxf, member: &Member, s: &SpanResult, x0: f64, y0: f64) {
    let (cover, depth) = (member.section.cover(), member.section.depth());
    for (k, z) in s.stirrups.iter().enumerate() {
        let spacing = f64::from(z.spacing.max(50));
        let mut x = z.from + spacing / 2.0;
        while x < z.to {
            dxf.line(STIRRUPS, (x0 + x, y0 + cover), (x0 + x, y0 + depth - cover));
            x += spacing;
        }
        // Neighbouring zones alternate between two lines so that their texts never overlap.
        let y = y0 - STUB - 0.8 * TEXT - 1.2 * TEXT * (k % 2) as f64;
        dimension(dxf, (x0 + z.from, x0 + z.to), y, &z.text, STIRRUPS);
    }
}

fn cut_offs_and_laps(dxf: &mut Dxf, s: &SpanResult, x0: f64, y0: f64, depth: f64) {
    for c in &s.cut_offs {
        let (from, to) = if c.x <= s.length / 2.0 {
            (s.faces[0], c.x)
        } else {
            (c.x, s.faces[1])
        };
        let y = if c.face == "top" {
            y0 + depth + 0.5 * STUB
        } else {
            y0 - 0.5 * STUB
        };
        let text = format!("{} {}", c.mark, n(to - from));
        dimension(dxf, (x0 + from, x0 + to), y, &text, DIMENSIONS);
    }
    for lap in &s.laps {
        let length = lap.length.unwrap_or(0.0);
        let y = if lap.face == "top" {
            y0 + depth + 0.25 * STUB
        } else {
            y0 - 0.25 * STUB
        };
        let text = format!("LAP {} {}", lap.mark, n(length));
        dimension(
            dxf,
            (x0 + lap.x - length / 2.0, x0 + lap.x + length / 2.0),
            y,
            &text,
            DIMENSIONS,
        );
    }
}

/// The spans between centre lines, the clear spans between faces, and the whole member.
fn dimensions(dxf: &mut Dxf, r: &MemberResult, along: &Along, y0: f64) {
    let y = y0 - STUB - 4.2 * TEXT;
    for (i, s) in r.spans.iter().enumerate() {
        dimension(
            dxf,
            (along.x(i, 0.0), along.x(i, s.length)),
            y,
            &n(s.length),
            DIMENSIONS,
        );
        dimension(
            dxf,
            (along.x(i, s.faces[0]), along.x(i, s.faces[1])),
            y - 1.6 * TEXT,
            &format!("clear {}", n(s.clear_span)),
            DIMENSIONS,
        );
    }
    if r.spans.len() > 1 {
        dimension(
            dxf,
            (0.0, along.total()),
            y - 3.2 * TEXT,
            &n(along.total()),
            DIMENSIONS,
        );
    }
}

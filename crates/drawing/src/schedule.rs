//! The beam schedule: one row per span of every member — its size, the bars at the left support, at
//! midspan and at the right support, and the stirrups — as a table of lines and text.

use is456::member::result::MemberResult;
use is456::Member;

use crate::drafting::{SCHEDULE, TEXT};
use crate::dxf::{Align, Dxf};

/// One row of the schedule.
pub struct ScheduleRow {
    pub cells: [String; 8],
}

const HEADINGS: [&str; 8] = [
    "Beam",
    "Span",
    "b x D",
    "Top at left support",
    "Bottom at midspan",
    "Top at right support",
    "Stirrups",
    "Typical",
];

/// Column widths, mm.
const WIDTHS: [f64; 8] = [
    2200.0, 600.0, 1000.0, 3000.0, 3000.0, 3000.0, 4600.0, 3000.0,
];
const ROW: f64 = 2.4 * TEXT;

pub fn rows(member: &Member, r: &MemberResult) -> Vec<ScheduleRow> {
    let s = &member.section;
    r.spans
        .iter()
        .map(|span| {
            let zone = |name: &str, pick: fn(&is456::member::result::ZoneResult) -> &String| {
                span.zones
                    .iter()
                    .find(|z| z.zone == name)
                    .map(|z| pick(z).clone())
                    .unwrap_or_else(|| "-".into())
            };
            let stirrups: Vec<&str> = span.stirrups.iter().map(|z| z.text.as_str()).collect();
            ScheduleRow {
                cells: [
                    r.id.clone().unwrap_or_else(|| "member".into()),
                    (span.span + 1).to_string(),
                    format!("{} x {}", s.width(), s.depth()),
                    zone("left_support", |z| &z.top),
                    zone("midspan", |z| &z.bottom),
                    zone("right_support", |z| &z.top),
                    stirrups.join(", "),
                    if r.typical.is_empty() {
                        "-".into()
                    } else {
                        r.typical.join(", ")
                    },
                ],
            }
        })
        .collect()
}

/// Draws the table with its top left corner at `origin`.
pub fn draw(dxf: &mut Dxf, rows: &[ScheduleRow], origin: (f64, f64)) {
    let (x0, y0) = origin;
    dxf.text(
        SCHEDULE,
        (x0, y0 + 0.8 * TEXT),
        1.5 * TEXT,
        "BEAM SCHEDULE",
        Align::Left,
    );
    let total: f64 = WIDTHS.iter().sum();
    let lines = rows.len() + 1;
    let height = ROW * lines as f64;
    for k in 0..=lines {
        let y = y0 - ROW * k as f64;
        dxf.line(SCHEDULE, (x0, y), (x0 + total, y));
    }
    let mut x = x0;
    for w in WIDTHS.iter().chain(std::iter::once(&0.0)) {
        dxf.line(SCHEDULE, (x, y0), (x, y0 - height));
        x += w;
    }
    let headings = HEADINGS.map(str::to_owned);
    for (k, cells) in std::iter::once(&headings)
        .chain(rows.iter().map(|r| &r.cells))
        .enumerate()
    {
        let y = y0 - ROW * k as f64 - 0.65 * ROW;
        let mut x = x0;
        for (cell, w) in cells.iter().zip(WIDTHS) {
            dxf.text(SCHEDULE, (x + 0.3 * TEXT, y), TEXT, cell, Align::Left);
            x += w;
        }
    }
}

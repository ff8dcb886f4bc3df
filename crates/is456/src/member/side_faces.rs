//! Side-face bars of a member (docs/members.md, "Side faces"): IS 456 Cl 26.5.1.3 where the section
//! is deeper than 750 mm, and Cl 26.5.1.7 (b) where a span has torsion and the section is deeper
//! than 450 mm (a width over 450 mm asks for bars along the top and bottom faces instead, which the
//! faces' own bars give). One set for the whole member, over the length of its continuous bars,
//! lapped where longer than a stock bar. The overall depth stands for the web's, and b·D for the
//! web's area (more than a flanged web needs).

use super::layout::{lap_length, Geometry, Layout, STOCK_LENGTH};
use crate::detailing::{side_face, SideFace};

/// The side-face bars a member needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SideFaces {
    pub bars: SideFace,
    pub clause: &'static str,
    /// Where they start and end (global), mm: as the continuous bars.
    pub from: f64,
    pub to: f64,
    /// Lap length where a bar is longer than stock (Cl 26.2.5.1), mm.
    pub lap: f64,
    /// Pieces each line of bars is cut into, and the cut length of each, mm (to the next 10 mm).
    pub pieces: u32,
    pub piece_length: f64,
}

/// The side-face bars of the member, when a section deeper than 750 mm, or torsion on one deeper
/// than 450 mm, asks for them: 0.1 % of b·D on the two faces at most 300 mm (and b) apart, between
/// the top and bottom bars.
pub fn side_faces(geo: &Geometry, layout: &Layout) -> Option<SideFaces> {
    let s = &geo.member.section;
    let (b, big_d) = (s.width(), s.depth());
    let clause = if big_d > 750.0 {
        "IS 456 Cl 26.5.1.3"
    } else if geo.twisted.iter().any(|&t| t) && big_d > 450.0 {
        "IS 456 Cl 26.5.1.7 (b)"
    } else {
        return None;
    };
    let dias = f64::from(layout.top.dia + layout.bottom.dia);
    let bars = side_face(b, big_d, big_d - 2.0 * geo.edge - 0.5 * dias);
    let (from, to) = layout.top.extent;
    let lap = lap_length(bars.dia, s.fck(), s.fy());
    let length = to - from;
    // Each piece but the last overlaps the next by a lap.
    let pieces = if length <= STOCK_LENGTH {
        1
    } else {
        ((length - lap) / (STOCK_LENGTH - lap)).ceil() as u32
    };
    let piece = (length + f64::from(pieces - 1) * lap) / f64::from(pieces);
    Some(SideFaces {
        bars,
        clause,
        from,
        to,
        lap,
        pieces,
        piece_length: (piece / 10.0).ceil() * 10.0,
    })
}

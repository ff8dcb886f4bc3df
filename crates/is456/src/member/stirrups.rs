//! The stirrups of a member's spans as chosen (docs/members.md, "Zones"): the zones of each span
//! with their spacing, read by the checks, the IS 13920 rules and the bar bending schedule.

/// One stirrup zone of a span: local positions (mm), spacing and how many stirrups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StirrupZone {
    pub from: f64,
    pub to: f64,
    pub spacing: u32,
    pub count: u32,
}

impl StirrupZone {
    /// Whether the local position `x` is in the zone; a position on the boundary of two zones is in
    /// both.
    pub fn contains(&self, x: f64) -> bool {
        x >= self.from - 1e-6 && x <= self.to + 1e-6
    }
}

/// The stirrups of a span.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanStirrups {
    pub dia: u32,
    pub legs: u32,
    pub zones: Vec<StirrupZone>,
    /// Length of each end zone from its face, mm (0 at a free end).
    pub end_lengths: [f64; 2],
    /// Whether every zone's spacing could be built with this diameter (none below 75 mm).
    pub buildable: bool,
    /// The station whose shear its zone's stirrups carry least well, with the bars present there
    /// (local mm, demand over what is carried): over 1 only where no buildable spacing carries it.
    pub weakest: (f64, f64),
}

impl SpanStirrups {
    /// The spacing at a local position.
    pub fn spacing_at(&self, x: f64) -> u32 {
        self.zones
            .iter()
            .find(|z| z.contains(x))
            .or(self.zones.first())
            .map_or(75, |z| z.spacing)
    }
}

//! What every sheet draws with (docs/drawings.md): the layers, each with its colour, the height of
//! the text, dimensions, and lengths written as whole millimetres.

use crate::dxf::{Align, Dxf, Layer};

pub const CONCRETE: &str = "BEAM-CONCRETE";
pub const SUPPORTS: &str = "BEAM-SUPPORTS";
pub const CENTRE_LINES: &str = "BEAM-CENTRE-LINES";
pub const TOP_BARS: &str = "BEAM-BARS-TOP";
pub const BOTTOM_BARS: &str = "BEAM-BARS-BOTTOM";
pub const STIRRUPS: &str = "BEAM-STIRRUPS";
pub const DIMENSIONS: &str = "BEAM-DIMENSIONS";
pub const MARKS: &str = "BEAM-MARKS";
pub const SECTIONS: &str = "BEAM-SECTIONS";
pub const SCHEDULE: &str = "BEAM-SCHEDULE";

/// Every layer of a sheet, each with its colour.
pub const LAYERS: [Layer; 10] = [
    Layer {
        name: CONCRETE,
        color: 7,
    },
    Layer {
        name: SUPPORTS,
        color: 8,
    },
    Layer {
        name: CENTRE_LINES,
        color: 4,
    },
    Layer {
        name: TOP_BARS,
        color: 1,
    },
    Layer {
        name: BOTTOM_BARS,
        color: 5,
    },
    Layer {
        name: STIRRUPS,
        color: 3,
    },
    Layer {
        name: DIMENSIONS,
        color: 2,
    },
    Layer {
        name: MARKS,
        color: 7,
    },
    Layer {
        name: SECTIONS,
        color: 6,
    },
    Layer {
        name: SCHEDULE,
        color: 7,
    },
];

/// Text height on the elevation and the schedule, mm (2.5 mm on paper at 1:40).
pub const TEXT: f64 = 100.0;

/// A dimension drawn as a line with ticks at both ends and its text above the middle.
pub fn dimension(dxf: &mut Dxf, (x1, x2): (f64, f64), y: f64, text: &str, layer: &str) {
    dxf.line(layer, (x1, y), (x2, y));
    for x in [x1, x2] {
        dxf.line(layer, (x - 40.0, y - 40.0), (x + 40.0, y + 40.0));
        dxf.line(layer, (x, y - 80.0), (x, y + 80.0));
    }
    dxf.text(
        layer,
        ((x1 + x2) / 2.0, y + 0.3 * TEXT),
        0.8 * TEXT,
        text,
        Align::Centre,
    );
}

/// A length as drawings write it: whole millimetres.
pub fn n(mm: f64) -> String {
    format!("{:.0}", mm)
}

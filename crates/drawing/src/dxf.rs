//! A small writer of DXF R12 (AC1009) text files: layers, lines, circles and text, in millimetres.
//! R12 is the subset every CAD program and DXF library reads; the drawings need nothing more, so the
//! writer stays a page long rather than bringing a general DXF library. Text is ASCII: `φ` is
//! written `%%c` (the diameter sign), `°` `%%d`, `±` `%%p`, any other character `\U+XXXX`.

use std::fmt::Write;

/// A named layer and its colour (AutoCAD colour index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layer {
    pub name: &'static str,
    pub color: u8,
}

/// Horizontal alignment of a text about its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
    Right,
}

/// A DXF drawing being written.
#[derive(Debug)]
pub struct Dxf {
    layers: Vec<Layer>,
    entities: String,
    min: [f64; 2],
    max: [f64; 2],
}

impl Dxf {
    pub fn new(layers: &[Layer]) -> Dxf {
        Dxf {
            layers: layers.to_vec(),
            entities: String::new(),
            min: [f64::INFINITY; 2],
            max: [f64::NEG_INFINITY; 2],
        }
    }

    fn grow(&mut self, p: (f64, f64)) {
        self.min = [self.min[0].min(p.0), self.min[1].min(p.1)];
        self.max = [self.max[0].max(p.0), self.max[1].max(p.1)];
    }

    fn pair(&mut self, code: u16, value: impl std::fmt::Display) {
        let _ = write!(self.entities, "{code:>3}\n{value}\n");
    }

    fn point(&mut self, base: u16, p: (f64, f64)) {
        self.pair(base, num(p.0));
        self.pair(base + 10, num(p.1));
        self.pair(base + 20, "0.0");
        self.grow(p);
    }

    fn start(&mut self, kind: &str, layer: &str) {
        debug_assert!(self.layers.iter().any(|l| l.name == layer), "{layer}");
        self.pair(0, kind);
        self.pair(8, layer);
    }

    /// A line from `a` to `b`; nothing when a point is not finite.
    pub fn line(&mut self, layer: &str, a: (f64, f64), b: (f64, f64)) {
        if ![a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
            return;
        }
        self.start("LINE", layer);
        self.point(10, a);
        self.point(11, b);
    }

    /// A rectangle's outline from its lower left corner.
    pub fn rect(&mut self, layer: &str, x: f64, y: f64, w: f64, h: f64) {
        let c = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
        for k in 0..4 {
            self.line(layer, c[k], c[(k + 1) % 4]);
        }
    }

    pub fn circle(&mut self, layer: &str, centre: (f64, f64), radius: f64) {
        if !(centre.0.is_finite() && centre.1.is_finite() && radius.is_finite() && radius > 0.0) {
            return;
        }
        self.start("CIRCLE", layer);
        self.point(10, centre);
        self.pair(40, num(radius));
        self.grow((centre.0 - radius, centre.1 - radius));
        self.grow((centre.0 + radius, centre.1 + radius));
    }

    /// One line of text with its baseline at `at`.
    pub fn text(&mut self, layer: &str, at: (f64, f64), height: f64, text: &str, align: Align) {
        let text = encode(text);
        if text.is_empty() || !(at.0.is_finite() && at.1.is_finite()) {
            return;
        }
        self.start("TEXT", layer);
        self.point(10, at);
        self.pair(40, num(height));
        self.pair(1, &text);
        self.pair(7, "STANDARD");
        let width = 0.6 * height * text.chars().count() as f64;
        let left = match align {
            Align::Left => at.0,
            Align::Centre => at.0 - width / 2.0,
            Align::Right => at.0 - width,
        };
        self.grow((left, at.1));
        self.grow((left + width, at.1 + height));
        if align != Align::Left {
            self.pair(72, if align == Align::Centre { 1 } else { 2 });
            self.point(11, at);
        }
    }

    /// The whole file.
    pub fn finish(self) -> String {
        let (min, max) = if self.min[0].is_finite() {
            (self.min, self.max)
        } else {
            ([0.0; 2], [0.0; 2])
        };
        let mut out = String::with_capacity(self.entities.len() + 2048);
        let mut pair = |code: u16, value: &str| {
            let _ = write!(out, "{code:>3}\n{value}\n");
        };
        for (c, v) in [
            (0, "SECTION"),
            (2, "HEADER"),
            (9, "$ACADVER"),
            (1, "AC1009"),
            (9, "$INSBASE"),
        ] {
            pair(c, v);
        }
        for (k, v) in [(10, "0.0"), (20, "0.0"), (30, "0.0")] {
            pair(k, v);
        }
        pair(9, "$EXTMIN");
        for (k, v) in [(10, num(min[0])), (20, num(min[1])), (30, "0.0".into())] {
            pair(k, &v);
        }
        pair(9, "$EXTMAX");
        for (k, v) in [(10, num(max[0])), (20, num(max[1])), (30, "0.0".into())] {
            pair(k, &v);
        }
        for (c, v) in [(0, "ENDSEC"), (0, "SECTION"), (2, "TABLES")] {
            pair(c, v);
        }
        for (c, v) in [
            (0, "TABLE"),
            (2, "LTYPE"),
            (70, "1"),
            (0, "LTYPE"),
            (2, "CONTINUOUS"),
            (70, "0"),
            (3, "Solid line"),
            (72, "65"),
            (73, "0"),
            (40, "0.0"),
            (0, "ENDTAB"),
        ] {
            pair(c, v);
        }
        let count = (self.layers.len() + 1).to_string();
        for (c, v) in [(0, "TABLE"), (2, "LAYER"), (70, count.as_str())] {
            pair(c, v);
        }
        let zero = Layer {
            name: "0",
            color: 7,
        };
        for l in std::iter::once(&zero).chain(&self.layers) {
            let color = l.color.to_string();
            for (c, v) in [
                (0, "LAYER"),
                (2, l.name),
                (70, "0"),
                (62, color.as_str()),
                (6, "CONTINUOUS"),
            ] {
                pair(c, v);
            }
        }
        pair(0, "ENDTAB");
        for (c, v) in [
            (0, "TABLE"),
            (2, "STYLE"),
            (70, "1"),
            (0, "STYLE"),
            (2, "STANDARD"),
            (70, "0"),
            (40, "0.0"),
            (41, "1.0"),
            (50, "0.0"),
            (71, "0"),
            (42, "2.5"),
            (3, "txt"),
            (4, ""),
            (0, "ENDTAB"),
            (0, "ENDSEC"),
            (0, "SECTION"),
            (2, "ENTITIES"),
        ] {
            pair(c, v);
        }
        out.push_str(&self.entities);
        out.push_str("  0\nENDSEC\n  0\nEOF\n");
        out
    }
}

/// A coordinate to 0.001 mm, without needless zeros; `-0` written as `0`.
fn num(v: f64) -> String {
    let r = (v * 1000.0).round() / 1000.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let s = format!("{r:.3}");
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.to_owned()
    }
}

/// Text as R12 writes it: ASCII, with AutoCAD's codes for the diameter, degree and plus-minus signs.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'φ' | 'Φ' | 'ø' | 'Ø' | '⌀' => out.push_str("%%c"),
            '°' => out.push_str("%%d"),
            '±' => out.push_str("%%p"),
            c if c.is_ascii_control() => {}
            c if c.is_ascii() => out.push(c),
            c => {
                let _ = write!(out, "\\U+{:04X}", u32::from(c));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_ascii_with_autocad_codes() {
        assert_eq!(encode("2-16φ @ 90°"), "2-16%%c @ 90%%d");
        assert_eq!(encode("B1\n≥"), "B1\\U+2265");
    }

    #[test]
    fn numbers_are_short_and_never_minus_zero() {
        assert_eq!(num(-0.0001), "0.0");
        assert_eq!(num(6000.0), "6000.0");
        assert_eq!(num(12.34567), "12.346");
    }

    #[test]
    fn a_file_has_its_layers_entities_and_end() {
        let mut d = Dxf::new(&[Layer {
            name: "BARS",
            color: 1,
        }]);
        d.line("BARS", (0.0, 0.0), (100.0, 0.0));
        d.line("BARS", (0.0, f64::NAN), (100.0, 0.0));
        d.circle("BARS", (50.0, 50.0), 8.0);
        d.text("BARS", (0.0, 10.0), 2.5, "T1 2-16φ", Align::Centre);
        let s = d.finish();
        assert!(s.starts_with("  0\nSECTION\n  2\nHEADER\n  9\n$ACADVER\n  1\nAC1009\n"));
        assert_eq!(s.matches("\nLINE\n").count(), 1);
        assert!(s.contains("  2\nBARS\n"));
        assert!(s.contains("  1\nT1 2-16%%c\n"));
        assert!(s.ends_with("  0\nENDSEC\n  0\nEOF\n"));
    }
}

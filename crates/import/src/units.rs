//! Units of an export, as its units line writes them (`m`, `kN`, `kN-m`, `tonf-m`, `kip-ft`),
//! converted to Beamline's: mm for lengths, kN for forces, kN·m for moments.

/// A unit and its factor to Beamline's unit of the same quantity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    /// Factor to mm.
    Length(f64),
    /// Factor to kN.
    Force(f64),
    /// Factor to kN·m.
    Moment(f64),
}

/// Lengths: factor to mm.
const LENGTHS: [(&str, f64); 6] = [
    ("mm", 1.0),
    ("cm", 10.0),
    ("m", 1000.0),
    ("in", 25.4),
    ("ft", 304.8),
    ("inch", 25.4),
];

/// Forces: factor to kN (1 kgf = 9.806 65 N; 1 tonf = 1000 kgf, metric; 1 kip = 4.448 222 kN).
const FORCES: [(&str, f64); 9] = [
    ("kn", 1.0),
    ("n", 0.001),
    ("kgf", 0.009_806_65),
    ("kg", 0.009_806_65),
    ("tonf", 9.806_65),
    ("tf", 9.806_65),
    ("t", 9.806_65),
    ("kip", 4.448_222),
    ("lb", 0.004_448_222),
];

impl Unit {
    /// Reads a unit as exports write it; case matters only between `m` and `M` (never a unit
    /// here), `N` and `n` are both newtons.
    pub fn parse(text: &str) -> Option<Unit> {
        let t = text.trim().trim_matches(['(', ')', '[', ']']).trim();
        if t.is_empty() {
            return None;
        }
        for sep in ["-", "·", ".", "*", " ", "⋅"] {
            if let Some((f, l)) = t.split_once(sep) {
                let force = force(f)?;
                let length = length(l)?;
                return Some(Unit::Moment(force * length / 1000.0));
            }
        }
        if let Some(f) = force(t) {
            return Some(Unit::Force(f));
        }
        if let Some(l) = length(t) {
            return Some(Unit::Length(l));
        }
        // `kNm`, `Nmm`, `kipft`: a force glued to a length.
        FORCES.iter().find_map(|(name, f)| {
            let lower = t.to_ascii_lowercase();
            let rest = lower.strip_prefix(name)?;
            let l = length(rest)?;
            Some(Unit::Moment(f * l / 1000.0))
        })
    }

    /// `"kN,m"` (force, length), as the `--units` option takes it.
    pub fn pair(text: &str) -> Option<(f64, f64)> {
        let (f, l) = text.split_once(',')?;
        Some((force(f)?, length(l)?))
    }
}

fn length(text: &str) -> Option<f64> {
    let t = text.trim();
    LENGTHS
        .iter()
        .find(|(n, _)| t.eq_ignore_ascii_case(n) && t != "M")
        .map(|(_, f)| *f)
}

fn force(text: &str) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_suffix("s").filter(|s| s.len() > 1).unwrap_or(&t);
    FORCES.iter().find(|(n, _)| *n == t).map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_of_etabs_and_staad_exports() {
        assert_eq!(Unit::parse("m"), Some(Unit::Length(1000.0)));
        assert_eq!(Unit::parse("mm"), Some(Unit::Length(1.0)));
        assert_eq!(Unit::parse("kN"), Some(Unit::Force(1.0)));
        assert_eq!(Unit::parse("kN-m"), Some(Unit::Moment(1.0)));
        assert_eq!(Unit::parse("kNm"), Some(Unit::Moment(1.0)));
        assert_eq!(Unit::parse("N-mm"), Some(Unit::Moment(1e-6)));
        assert_eq!(Unit::parse("(m)"), Some(Unit::Length(1000.0)));
        let Some(Unit::Moment(f)) = Unit::parse("tonf-m") else {
            panic!("tonf-m is a moment")
        };
        assert!((f - 9.806_65).abs() < 1e-12);
        let Some(Unit::Moment(f)) = Unit::parse("kip-ft") else {
            panic!("kip-ft is a moment")
        };
        assert!((f - 4.448_222 * 0.3048).abs() < 1e-9);
        assert_eq!(Unit::parse("Story1"), None);
        assert_eq!(Unit::parse("12.5"), None);
        assert_eq!(Unit::parse("B1"), None);
        assert_eq!(Unit::pair("kN,m"), Some((1.0, 1000.0)));
    }
}

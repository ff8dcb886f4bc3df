//! The envelope of the combinations at every station of a span: the largest sagging and hogging
//! moments, shear and torsion, with the combination that gives each, and values between stations
//! by straight lines (as analysis programs report them).

use super::combinations::{Actions, Combination, Combinations};

/// The envelope at one station. Moments are magnitudes on their face, kN·m; shear kN; torsion kN·m.
#[derive(Debug, Clone, PartialEq)]
pub struct StationEnvelope {
    pub x: f64,
    /// Largest sagging moment (bottom in tension), ≥ 0.
    pub sagging: f64,
    /// Largest hogging moment (top in tension), as a magnitude ≥ 0.
    pub hogging: f64,
    pub shear: f64,
    pub torsion: f64,
    /// Index of the combination giving each of sagging, hogging and shear.
    pub governing: [usize; 3],
    /// Shear under 1.2 (DL + LL) (IS 13920 Cl 6.3.3); the envelope shear when stations were factored.
    pub gravity_shear: f64,
    /// Service moments DL + LL on each face, when the load cases give them: [sagging, hogging].
    pub service: Option<[f64; 2]>,
}

/// Which quantity of the envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    Sagging,
    Hogging,
    Shear,
    Torsion,
    GravityShear,
}

impl StationEnvelope {
    pub fn get(&self, q: Quantity) -> f64 {
        match q {
            Quantity::Sagging => self.sagging,
            Quantity::Hogging => self.hogging,
            Quantity::Shear => self.shear,
            Quantity::Torsion => self.torsion,
            Quantity::GravityShear => self.gravity_shear,
        }
    }
}

/// The envelope of one span.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanEnvelope {
    pub stations: Vec<StationEnvelope>,
}

impl SpanEnvelope {
    /// The envelope of span `i` of `member` over every combination.
    pub fn of(member: &super::input::Member, i: usize) -> SpanEnvelope {
        let (xs, combos) = (&member.stations[i], &member.combinations);
        // A cantilever's shear is statically determinate: nothing to take off the analysis's.
        let (left, right) = member.span_ends(i);
        let ends = if left == super::input::End::Free || right == super::input::End::Free {
            vec![0.0; combos.gravity.len()]
        } else {
            end_moment_shears(i, xs, combos)
        };
        let stations = xs
            .iter()
            .enumerate()
            .map(|(j, &x)| station(i, j, x, combos, &ends))
            .collect();
        SpanEnvelope { stations }
    }

    /// A quantity at `x` by straight lines between stations (the nearest station's value outside).
    pub fn at(&self, x: f64, q: Quantity) -> f64 {
        let s = &self.stations;
        // Stations are in order (the input is checked): the first at or past `x`.
        let k = s.partition_point(|st| st.x < x);
        if k == s.len() {
            return s.last().map_or(0.0, |st| st.get(q));
        }
        if k == 0 {
            return s[0].get(q);
        }
        let (a, b) = (&s[k - 1], &s[k]);
        let t = (x - a.x) / (b.x - a.x);
        a.get(q) + t * (b.get(q) - a.get(q))
    }

    /// The largest value of a quantity over [from, to], stations and both ends included.
    pub fn max_over(&self, from: f64, to: f64, q: Quantity) -> f64 {
        self.stations
            .iter()
            .filter(|s| s.x >= from && s.x <= to)
            .map(|s| s.get(q))
            .fold(self.at(from, q).max(self.at(to, q)), f64::max)
    }

    /// Where a quantity first falls to `level` walking from `from` towards `to` (either direction),
    /// by straight lines between stations; `to` when it never does.
    pub fn falls_to(&self, from: f64, to: f64, level: f64, q: Quantity) -> f64 {
        let (lo, hi) = (from.min(to), from.max(to));
        let mut points: Vec<(f64, f64)> = self
            .stations
            .iter()
            .filter(|s| s.x > lo && s.x < hi)
            .map(|s| (s.x, s.get(q)))
            .collect();
        if to < from {
            points.reverse();
        }
        let mut prev = (from, self.at(from, q));
        if prev.1 <= level {
            return from;
        }
        for p in points
            .into_iter()
            .chain(std::iter::once((to, self.at(to, q))))
        {
            if p.1 <= level {
                return prev.0 + (p.0 - prev.0) * (prev.1 - level) / (prev.1 - p.1);
            }
            prev = p;
        }
        to
    }
}

/// For each gravity combination, the constant shear its end moments add along span `i`,
/// |M(end) − M(start)| / length (kN): the analysis shear less this is the simply supported shear
/// IS 13920 Cl 6.3.3 asks for, so |V| + this bounds it whatever the analysis program's sign of V.
fn end_moment_shears(i: usize, xs: &[f64], combos: &Combinations) -> Vec<f64> {
    let (Some(&first), Some(&last)) = (xs.first(), xs.last()) else {
        return Vec::new();
    };
    let length = (last - first) / 1e3;
    combos
        .gravity
        .iter()
        .map(|c| {
            let m = &c.values[i];
            match (m.first(), m.last()) {
                (Some(a), Some(b)) if length > 0.0 => (b.m - a.m).abs() / length,
                _ => 0.0,
            }
        })
        .collect()
}

fn station(
    i: usize,
    j: usize,
    x: f64,
    combos: &Combinations,
    end_moment_shears: &[f64],
) -> StationEnvelope {
    let mut e = StationEnvelope {
        x,
        sagging: 0.0,
        hogging: 0.0,
        shear: 0.0,
        torsion: 0.0,
        governing: [0; 3],
        gravity_shear: 0.0,
        service: None,
    };
    for (c, combo) in combos.ultimate.iter().enumerate() {
        let a = combo.values[i][j];
        if a.m > e.sagging {
            e.sagging = a.m;
            e.governing[0] = c;
        }
        if -a.m > e.hogging {
            e.hogging = -a.m;
            e.governing[1] = c;
        }
        if a.v.abs() > e.shear {
            e.shear = a.v.abs();
            e.governing[2] = c;
        }
        e.torsion = e.torsion.max(a.t.abs());
    }
    // The simply supported shear under 1.2 (DL + LL) (IS 13920:2016 Cl 6.3.3), bounded from the
    // analysis: |V| plus the shear of the end moments.
    e.gravity_shear = combos
        .gravity
        .iter()
        .zip(end_moment_shears)
        .map(|(c, ends)| c.values[i][j].v.abs() + ends)
        .fold(
            if combos.gravity.is_empty() {
                e.shear
            } else {
                0.0
            },
            f64::max,
        );
    if !combos.service.is_empty() {
        e.service = Some([
            max_of(&combos.service, i, j, |a| a.m),
            max_of(&combos.service, i, j, |a| -a.m),
        ]);
    }
    e
}

fn max_of(combos: &[Combination], i: usize, j: usize, f: impl Fn(&Actions) -> f64) -> f64 {
    combos
        .iter()
        .map(|c| f(&c.values[i][j]))
        .fold(0.0, f64::max)
}

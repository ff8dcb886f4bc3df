//! Beam lines: beam objects that meet end to end on one straight line, in one story, with one section
//! and the same output cases, are joined into one member. Its supports are the points with a column
//! (every joint when the export has no column table); beam objects between two supports make one span.

use std::collections::HashMap;

use crate::error::Problems;
use crate::model::{Actions, BeamObject, Model, Section, Station};
use crate::Options;

/// How an end of a member is held, as docs/members.md names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Discontinuous,
    Free,
}

impl End {
    pub fn as_str(self) -> &'static str {
        match self {
            End::Discontinuous => "discontinuous",
            End::Free => "free",
        }
    }
}

/// One span of a member: its length, the width of its supports, and every case's stations (mm
/// from the span's left end, sagging positive, shear and torsion signed along the member).
#[derive(Debug, Clone)]
pub struct SpanDraft {
    pub length: f64,
    pub support_width: f64,
    pub cases: Vec<Vec<Station>>,
}

/// A member assembled from beam objects.
#[derive(Debug, Clone)]
pub struct Line {
    pub id: String,
    pub section: Option<Section>,
    /// Output case names and whether each was exported as a combination.
    pub cases: Vec<(String, bool)>,
    pub spans: Vec<SpanDraft>,
    pub ends: [End; 2],
    /// The first row of its first object, for messages.
    pub at: crate::error::Location,
}

/// One beam object placed on a line: reversed when its J end comes first.
#[derive(Debug, Clone, Copy)]
struct Placed {
    beam: usize,
    reversed: bool,
}

/// Every member of the model: joined lines where the connectivity and point coordinates allow, else
/// one single-span member per beam object.
pub fn assemble(
    model: &Model,
    options: &Options,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) -> Vec<Line> {
    let lengths: Vec<f64> = model.beams.iter().map(|b| length(b, problems)).collect();
    for (b, beam) in model.beams.iter().enumerate() {
        check_stations(beam, lengths[b], problems);
    }
    if !problems.is_empty() {
        return Vec::new();
    }
    let geometry = Geometry::of(model);
    if model.joinable && geometry.direction.iter().all(Option::is_none) {
        warnings.push("no beam connectivity with point coordinates: every beam object is designed as a member of one span, discontinuous at both ends".into());
    } else if model.joinable && !model.has_columns {
        warnings.push(
            "no column connectivity: every joint between beam objects is taken as a support".into(),
        );
    }
    let columns_sized = model.has_columns && model.columns.iter().all(|c| c.section.is_some());
    if !columns_sized && options.support_width == 0.0 && model.support_widths.is_empty() {
        let why = if model.has_columns {
            "columns without a section"
        } else {
            "no columns"
        };
        warnings.push(format!("support widths unknown ({why}, no --support-width): moments are taken at the support centre lines, on the safe side"));
    }
    let chains = chains(model, &geometry);
    chains
        .into_iter()
        .map(|chain| line(model, &geometry, &lengths, &chain, options))
        .collect()
}

fn length(beam: &BeamObject, problems: &mut Problems) -> f64 {
    let last = beam.xs().into_iter().fold(0.0, f64::max);
    match beam.length {
        Some(l) if l > 0.0 => l,
        Some(_) => {
            problems.at(
                beam.at.clone(),
                format!(
                    "beam {} has a length of zero in the connectivity",
                    beam.name()
                ),
            );
            last
        }
        None => last,
    }
}

/// Stations inside the beam (within 1 mm), the same positions in every case.
fn check_stations(beam: &BeamObject, length: f64, problems: &mut Problems) {
    let first = &beam.cases[0];
    for case in &beam.cases {
        for s in &case.stations {
            if s.x < -1.0 || s.x > length + 1.0 {
                problems.at(
                    s.at.clone(),
                    format!(
                        "station {} m is outside beam {}, which is {} m long",
                        s.x / 1000.0,
                        beam.name(),
                        length / 1000.0
                    ),
                );
            }
        }
        let same = case.stations.len() == first.stations.len()
            && case
                .stations
                .iter()
                .zip(&first.stations)
                .all(|(a, b)| (a.x - b.x).abs() <= 1.0);
        if !same {
            let at = case
                .stations
                .first()
                .map_or(beam.at.clone(), |s| s.at.clone());
            problems.at(at, format!("beam {}: output case `{}` has other stations than `{}`; every case of a beam must give the same stations", beam.name(), case.name, first.name));
        }
    }
}

/// Plan directions of the beams and which beams meet at each point.
struct Geometry {
    /// Unit plan vector from I to J, when both points have coordinates.
    direction: Vec<Option<[f64; 2]>>,
    points: Vec<Option<[String; 2]>>,
    columns: HashMap<String, Vec<usize>>,
}

impl Geometry {
    fn of(model: &Model) -> Geometry {
        let direction = model
            .beams
            .iter()
            .map(|b| {
                let [i, j] = b.points.as_ref()?;
                let (p, q) = (model.points.get(i)?, model.points.get(j)?);
                let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
                let n = dx.hypot(dy);
                (n > 1.0).then(|| [dx / n, dy / n])
            })
            .collect();
        let mut columns: HashMap<String, Vec<usize>> = HashMap::new();
        for (c, col) in model.columns.iter().enumerate() {
            for p in &col.points {
                columns.entry(p.clone()).or_default().push(c);
            }
        }
        Geometry {
            direction,
            points: model.beams.iter().map(|b| b.points.clone()).collect(),
            columns,
        }
    }

    fn beams_at(&self, model: &Model, point: &str) -> Vec<usize> {
        model
            .beams
            .iter()
            .enumerate()
            .filter(|(b, _)| {
                self.points[*b]
                    .as_ref()
                    .is_some_and(|p| p.iter().any(|q| q == point))
            })
            .map(|(b, _)| b)
            .collect()
    }
}

/// The beam joined to `b` at its end `end` (0 = I, 1 = J): the only other beam at that point on the
/// same line beyond it, in the same story, with the same section and cases.
fn partner(
    model: &Model,
    geo: &Geometry,
    index: &HashMap<&str, Vec<usize>>,
    b: usize,
    end: usize,
) -> Option<(usize, usize)> {
    let points = geo.points[b].as_ref()?;
    let d = geo.direction[b]?;
    let out = if end == 1 { d } else { [-d[0], -d[1]] };
    let p = &points[end];
    let found: Vec<(usize, usize)> = index
        .get(p.as_str())?
        .iter()
        .filter(|&&o| o != b)
        .filter_map(|&o| {
            let q = geo.points[o].as_ref()?;
            let od = geo.direction[o]?;
            let oend = if &q[0] == p { 0 } else { 1 };
            let away = if oend == 0 { od } else { [-od[0], -od[1]] };
            let collinear = out[0] * away[0] + out[1] * away[1] > 0.9998;
            let (a, c) = (&model.beams[b], &model.beams[o]);
            let same = a.story == c.story && a.section == c.section && same_cases(a, c);
            (collinear && same).then_some((o, oend))
        })
        .collect();
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

fn same_cases(a: &BeamObject, b: &BeamObject) -> bool {
    a.cases.len() == b.cases.len() && a.cases.iter().zip(&b.cases).all(|(x, y)| x.name == y.name)
}

/// Chains of joined beams, each in order along its line (from its lower X, then lower Y, end).
fn chains(model: &Model, geo: &Geometry) -> Vec<Vec<Placed>> {
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (b, p) in geo.points.iter().enumerate() {
        for q in p.iter().flatten() {
            index.entry(q.as_str()).or_default().push(b);
        }
    }
    let links: Vec<[Option<(usize, usize)>; 2]> = (0..model.beams.len())
        .map(|b| {
            [
                partner(model, geo, &index, b, 0),
                partner(model, geo, &index, b, 1),
            ]
        })
        .collect();
    // A link holds only when both beams choose each other.
    let link = |b: usize, end: usize| -> Option<(usize, usize)> {
        let (o, oend) = links[b][end]?;
        (links[o][oend] == Some((b, end))).then_some((o, oend))
    };
    let mut seen = vec![false; model.beams.len()];
    let mut chains = Vec::new();
    for start in 0..model.beams.len() {
        if seen[start] {
            continue;
        }
        // Walk back to the chain's first beam, then forward from it.
        let (mut b, mut end) = (start, 0);
        let mut steps = 0;
        while let Some((o, oend)) = link(b, end) {
            (b, end) = (o, 1 - oend);
            steps += 1;
            if o == start || steps > model.beams.len() {
                break;
            }
        }
        let mut chain = vec![Placed {
            beam: b,
            reversed: end == 1,
        }];
        seen[b] = true;
        let mut far = 1 - end;
        while let Some((o, oend)) = link(b, far) {
            if seen[o] {
                break;
            }
            seen[o] = true;
            chain.push(Placed {
                beam: o,
                reversed: oend == 1,
            });
            (b, far) = (o, 1 - oend);
        }
        chains.push(orient(chain, geo));
    }
    chains
}

/// Reads a chain from its end with the lower X (then lower Y): members left to right, bottom to top.
fn orient(mut chain: Vec<Placed>, geo: &Geometry) -> Vec<Placed> {
    let Some(d) = geo.direction[chain[0].beam] else {
        return chain;
    };
    let along = if chain[0].reversed { [-d[0], -d[1]] } else { d };
    let backwards = along[0] < -1e-6 || (along[0].abs() <= 1e-6 && along[1] < 0.0);
    if backwards {
        chain.reverse();
        for p in &mut chain {
            p.reversed = !p.reversed;
        }
    }
    chain
}

/// The point at the start (`0`) or end (`1`) of a placed beam along its line.
fn point_of(geo: &Geometry, p: Placed, side: usize) -> Option<&str> {
    let pts = geo.points[p.beam].as_ref()?;
    let k = if p.reversed { 1 - side } else { side };
    Some(pts[k].as_str())
}

fn line(
    model: &Model,
    geo: &Geometry,
    lengths: &[f64],
    chain: &[Placed],
    options: &Options,
) -> Line {
    let first = &model.beams[chain[0].beam];
    let last = &model.beams[chain[chain.len() - 1].beam];
    let id = if chain.len() == 1 {
        first.name()
    } else {
        format!("{}-{}", first.name(), last.label)
    };
    let supported =
        |p: Option<&str>| !model.has_columns || p.is_some_and(|p| geo.columns.contains_key(p));
    let end_of = |p: Option<&str>| {
        let others = p.map_or(0, |p| geo.beams_at(model, p).len());
        if supported(p) || others > 1 || geo.direction[chain[0].beam].is_none() {
            End::Discontinuous
        } else {
            End::Free
        }
    };
    let mut ends = [
        end_of(point_of(geo, chain[0], 0)),
        end_of(point_of(geo, chain[chain.len() - 1], 1)),
    ];
    if ends == [End::Free, End::Free] {
        ends = [End::Discontinuous, End::Discontinuous];
    }
    let width_at = |p: Option<&str>, b: usize| support_width(model, geo, p, b, options);
    let mut spans = Vec::new();
    let mut current: Vec<Placed> = Vec::new();
    let mut left_width = width_at(point_of(geo, chain[0], 0), chain[0].beam);
    for (k, &p) in chain.iter().enumerate() {
        current.push(p);
        let end_point = point_of(geo, p, 1);
        if k + 1 == chain.len() || supported(end_point) {
            let right_width = width_at(end_point, p.beam);
            spans.push(span(model, lengths, &current, left_width.min(right_width)));
            left_width = right_width;
            current.clear();
        }
    }
    Line {
        id,
        section: first.section.clone(),
        cases: first
            .cases
            .iter()
            .map(|c| (c.name.clone(), c.combination))
            .collect(),
        spans,
        ends,
        at: first.at.clone(),
    }
}

/// The width of the support at a point along beam `b`'s line: the chord of the widest column there
/// (ETABS's default column orientation: Depth along X, Width along Y), else `--support-width`.
fn support_width(
    model: &Model,
    geo: &Geometry,
    p: Option<&str>,
    b: usize,
    options: &Options,
) -> f64 {
    if let Some(w) = model.support_widths.get(&model.beams[b].key) {
        return *w;
    }
    let (Some(p), Some(d)) = (p, geo.direction[b]) else {
        return options.support_width;
    };
    let Some(cols) = geo.columns.get(p) else {
        return options.support_width;
    };
    cols.iter()
        .filter_map(|&c| model.columns[c].section.as_ref())
        .map(|s| chord(s.depth, s.width, d))
        .fold(None, |a: Option<f64>, w| Some(a.map_or(w, |a| a.max(w))))
        .unwrap_or(options.support_width)
}

/// Length of the line in direction `d` through the centre of a `dx` × `dy` rectangle.
fn chord(dx: f64, dy: f64, d: [f64; 2]) -> f64 {
    let along_x = if d[0].abs() > 1e-9 {
        dx / d[0].abs()
    } else {
        f64::INFINITY
    };
    let along_y = if d[1].abs() > 1e-9 {
        dy / d[1].abs()
    } else {
        f64::INFINITY
    };
    along_x.min(along_y)
}

/// One span from the beam objects between two supports: their stations end to end.
fn span(model: &Model, lengths: &[f64], placed: &[Placed], support_width: f64) -> SpanDraft {
    let n_cases = model.beams[placed[0].beam].cases.len();
    let mut cases: Vec<Vec<Station>> = vec![Vec::new(); n_cases];
    let mut offset = 0.0;
    for p in placed {
        let beam = &model.beams[p.beam];
        let l = lengths[p.beam];
        for (k, case) in beam.cases.iter().enumerate() {
            let mut stations: Vec<Station> = case
                .stations
                .iter()
                .map(|s| place(s, l, offset, p.reversed))
                .collect();
            if p.reversed {
                stations.reverse();
            }
            for s in stations {
                // A joint appears at the end of one object and the start of the next: keep one.
                if cases[k].last().is_none_or(|prev| s.x > prev.x + 1.0) {
                    cases[k].push(s);
                }
            }
        }
        offset += l;
    }
    SpanDraft {
        length: offset,
        support_width,
        cases,
    }
}

/// A station moved onto the line: from the line's start, inside the object, with the shear and
/// torsion of a reversed object turned to the line's direction (a moment's sense does not change).
fn place(s: &Station, length: f64, offset: f64, reversed: bool) -> Station {
    let x = s.x.clamp(0.0, length);
    let (x, sign) = if reversed {
        (length - x, -1.0)
    } else {
        (x, 1.0)
    };
    Station {
        x: offset + x,
        actions: Actions {
            m: s.actions.m,
            v: sign * s.actions.v,
            t: sign * s.actions.t,
        },
        at: s.at.clone(),
    }
}

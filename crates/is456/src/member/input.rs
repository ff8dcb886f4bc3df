//! A member as a client describes it (docs/members.md): the section, the spans and their supports, the
//! two ends, and the actions at stations along each span — factored, or per load case to be combined.
//! Every problem is reported at once, each named by its path (`spans[1].length`,
//! `stations[0][3].x`, `cases.LL[1][2].M`).

use serde_json::{Map, Value};

use super::combinations::{self, Actions, CaseKind, Combinations, LoadCase};
use crate::input::{
    canonical_name, kind, num, span_refused, Beam, FieldError, InvalidBeam, Support, MAX_ACTION,
    MAX_SPAN,
};

/// The most spans one member takes.
pub const MAX_SPANS: usize = 20;
/// The most stations one span takes.
pub const MAX_STATIONS: usize = 101;
/// The most load cases one member takes.
pub const MAX_CASES: usize = 30;

/// Beam fields a member gives per station or per span, never in its section.
const NOT_IN_SECTION: [(&str, &str); 8] = [
    ("Mu", "is given per station (`stations` or `cases`)"),
    ("Vu", "is given per station (`stations` or `cases`)"),
    ("Tu", "is given per station (`stations` or `cases`)"),
    ("length", "is given per span (`spans[i].length`)"),
    ("support", "follows from `ends` and the spans"),
    (
        "av",
        "does not apply to a member (shear is taken at the critical section)",
    ),
    (
        "Ms",
        "comes from the load cases (DL + LL) when `cases` are given",
    ),
    ("id", "is the member's own `id`"),
];

/// How one end of a member is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum End {
    /// Simply supported or framing into an end support without continuity of moment in the model.
    Discontinuous,
    /// The beam continues beyond this end (the bars run on into the next member).
    Continuous,
    /// Built into a wall or column that restrains it.
    Fixed,
    /// A cantilever tip.
    Free,
}

impl End {
    fn parse(s: &str) -> Option<End> {
        match s.trim().to_ascii_lowercase().as_str() {
            "discontinuous" | "simple" | "simply_supported" | "pinned" => Some(End::Discontinuous),
            "continuous" => Some(End::Continuous),
            "fixed" => Some(End::Fixed),
            "free" | "cantilever" => Some(End::Free),
            _ => None,
        }
    }
}

/// One span: its length between support centre lines (the analysis model's), and the width of the
/// supports at its ends, mm.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Span {
    pub length: f64,
    pub support_width: f64,
}

/// A valid member, with every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: Option<String>,
    /// The other beams this design stands for (typical beams, docs/import.md).
    pub typical: Vec<String>,
    /// The section (no actions, span or end condition).
    pub section: Beam,
    pub spans: Vec<Span>,
    pub ends: [End; 2],
    /// The stations of each span, mm from the span's left end.
    pub stations: Vec<Vec<f64>>,
    pub combinations: Combinations,
    pub ductile: bool,
    /// The hash of the input as given, for the result's provenance.
    pub(crate) input_hash: String,
}

impl Member {
    /// Parses a member from any JSON value (docs/members.md), reporting every problem at once.
    pub fn from_json(value: &Value) -> Result<Member, InvalidBeam> {
        let Some(map) = value.as_object() else {
            return Err(one(
                "member",
                format!("must be a JSON object, got {}", kind(value)),
            ));
        };
        let mut errors = Vec::new();
        for key in map.keys() {
            if !KEYS.contains(&key.as_str()) {
                errors.push(FieldError::new(
                    key,
                    format!(
                        "unknown member field `{key}`; a member has {}",
                        KEYS.join(", ")
                    ),
                ));
            }
        }
        let id = read_id(map.get("id"), &mut errors);
        let typical = read_typical(map.get("typical"), &mut errors);
        let before = errors.len();
        let ends = read_ends(map.get("ends"), &mut errors);
        // Clear lengths and proportions follow from the ends: not checked against a guess at them.
        let known_ends = (errors.len() == before).then_some(ends);
        let spans = read_spans(map.get("spans"), known_ends, &mut errors);
        let longest = spans.iter().map(|s| s.length).fold(0.0, f64::max);
        let section = read_section(map.get("section"), longest, &mut errors);
        if let (Some(section), Some(ends)) = (&section, known_ends) {
            check_proportions(&spans, ends, section, &mut errors);
        }
        let ductile = match map.get("ductile") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                errors.push(FieldError::new(
                    "ductile",
                    format!("must be true or false, got {}", kind(other)),
                ));
                false
            }
        };
        let loads = read_loads(map, &spans, ends, &mut errors);
        match (section, loads) {
            (Some(section), Some((stations, combinations))) if errors.is_empty() => Ok(Member {
                id,
                typical,
                section,
                spans,
                ends,
                stations,
                combinations,
                ductile,
                input_hash: input_hash(value),
            }),
            _ => Err(InvalidBeam { errors }),
        }
    }

    /// Face positions of span `i`, mm from its left end: where the support faces are (a free end
    /// has none: the face is the tip).
    pub fn faces(&self, i: usize) -> (f64, f64) {
        faces(&self.spans, self.ends, i)
    }

    /// The end condition at each end of span `i`, as the section checks see it.
    pub fn span_ends(&self, i: usize) -> (End, End) {
        span_ends(self.spans.len(), self.ends, i)
    }
}

const KEYS: [&str; 9] = [
    "id",
    "typical",
    "section",
    "spans",
    "ends",
    "stations",
    "cases",
    "combinations",
    "ductile",
];

fn one(field: &str, message: impl Into<String>) -> InvalidBeam {
    InvalidBeam {
        errors: vec![FieldError::new(field, message)],
    }
}

pub(crate) fn span_ends(spans: usize, ends: [End; 2], i: usize) -> (End, End) {
    let left = if i == 0 { ends[0] } else { End::Continuous };
    let right = if i + 1 == spans {
        ends[1]
    } else {
        End::Continuous
    };
    (left, right)
}

pub(crate) fn faces(spans: &[Span], ends: [End; 2], i: usize) -> (f64, f64) {
    let span = spans[i];
    let (left, right) = span_ends(spans.len(), ends, i);
    let half = span.support_width / 2.0;
    let l = if left == End::Free { 0.0 } else { half };
    let r = if right == End::Free {
        span.length
    } else {
        span.length - half
    };
    (l, r)
}

fn read_id(value: Option<&Value>, errors: &mut Vec<FieldError>) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if (1..=64).contains(&s.chars().count()) => Some(s.clone()),
        Some(_) => {
            errors.push(FieldError::new(
                "id",
                "must be a string of 1 to 64 characters",
            ));
            None
        }
    }
}

/// The most beams one design stands for.
pub const MAX_TYPICAL: usize = 1000;

/// `typical`: the ids of the other beams this design stands for, each 1 to 64 characters.
fn read_typical(value: Option<&Value>, errors: &mut Vec<FieldError>) -> Vec<String> {
    let list = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(list)) if list.len() <= MAX_TYPICAL => list,
        Some(_) => {
            errors.push(FieldError::new(
                "typical",
                format!("must be an array of up to {MAX_TYPICAL} beam ids"),
            ));
            return Vec::new();
        }
    };
    let mut ids = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        match v.as_str() {
            Some(s) if (1..=64).contains(&s.chars().count()) => ids.push(s.to_owned()),
            _ => errors.push(FieldError::new(
                &format!("typical[{i}]"),
                "must be a string of 1 to 64 characters",
            )),
        }
    }
    ids
}

/// The section: a beam object without actions, span or end condition (their places are elsewhere).
/// A T or L section's flange width follows each span (Cl 23.1.2); the longest span stands in while the
/// section is read, and every zone is checked with its own.
fn read_section(value: Option<&Value>, longest: f64, errors: &mut Vec<FieldError>) -> Option<Beam> {
    let Some(map) = value.and_then(Value::as_object) else {
        errors.push(FieldError::new(
            "section",
            "must be a beam object without actions: {\"width\": 300, \"depth\": 500, …}",
        ));
        return None;
    };
    let mut clean = Map::new();
    let mut ok = true;
    for (key, v) in map {
        let name = canonical_name(key);
        if let Some((_, why)) = NOT_IN_SECTION.iter().find(|(n, _)| Some(*n) == name) {
            errors.push(FieldError::new(
                &format!("section.{key}"),
                format!("is not part of a member's section: it {why}"),
            ));
            ok = false;
        } else {
            clean.insert(key.clone(), v.clone());
        }
    }
    clean.insert("Mu".into(), Value::from(0));
    if longest > 0.0 {
        clean.insert("length".into(), Value::from(longest));
    }
    match Beam::member_section_from_map(&clean) {
        Ok(beam) if ok => Some(beam),
        Ok(_) => None,
        Err(e) => {
            errors.extend(
                e.errors
                    .into_iter()
                    .map(|f| FieldError::new(&format!("section.{}", f.field), f.message)),
            );
            None
        }
    }
}

fn read_spans(
    value: Option<&Value>,
    ends: Option<[End; 2]>,
    errors: &mut Vec<FieldError>,
) -> Vec<Span> {
    let Some(list) = value.and_then(Value::as_array) else {
        errors.push(FieldError::new(
            "spans",
            "must be an array of spans: [{\"length\": 6000, \"support_width\": 300}, …]",
        ));
        return Vec::new();
    };
    if list.is_empty() || list.len() > MAX_SPANS {
        errors.push(FieldError::new(
            "spans",
            format!("must hold 1 to {MAX_SPANS} spans, got {}", list.len()),
        ));
        return Vec::new();
    }
    let mut spans = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let path = format!("spans[{i}]");
        let Some(obj) = item.as_object() else {
            errors.push(FieldError::new(
                &path,
                "must be an object with `length` and `support_width`",
            ));
            continue;
        };
        for key in obj
            .keys()
            .filter(|k| !["length", "support_width"].contains(&k.as_str()))
        {
            errors.push(FieldError::new(
                &format!("{path}.{key}"),
                "unknown span field; a span has length and support_width",
            ));
        }
        let length = number(obj.get("length"), &format!("{path}.length"), errors, true);
        let width = number(
            obj.get("support_width"),
            &format!("{path}.support_width"),
            errors,
            false,
        );
        let (Some(length), width) = (length, width.unwrap_or(0.0)) else {
            continue;
        };
        let mut bad = |msg: String| errors.push(FieldError::new(&format!("{path}.length"), msg));
        if !(500.0..=MAX_SPAN).contains(&length) {
            bad(format!(
                "must be 500 to {} mm, got {}",
                num(MAX_SPAN),
                num(length)
            ));
        } else if !(0.0..=3000.0).contains(&width) {
            errors.push(FieldError::new(
                &format!("{path}.support_width"),
                format!("must be 0 to 3000 mm, got {}", num(width)),
            ));
        } else if let Some(message) = ends
            .and_then(|ends| clear_length_refused(length, width, span_ends(list.len(), ends, i)))
        {
            bad(message);
        } else {
            spans.push(Span {
                length,
                support_width: width,
            });
        }
    }
    if spans.len() != list.len() {
        spans.clear();
    }
    spans
}

/// The end condition of a span for the checks of a single beam: a free end makes it a cantilever,
/// two discontinuous ends a simply supported beam, anything else a span of a continuous beam.
pub(crate) fn support_of(ends: (End, End)) -> Support {
    match ends {
        (End::Free, _) | (_, End::Free) => Support::Cantilever,
        (End::Discontinuous, End::Discontinuous) => Support::SimplySupported,
        _ => Support::Continuous,
    }
}

/// Each span against Cl 29.1 (deep beams, with its effective span of Cl 22.2 and its own supports)
/// and Cl 28.1 (a cantilever whose length from the face is under d has a shear span under d: a
/// corbel), with d the given one, or at most D − cover before the bars are chosen.
fn check_proportions(spans: &[Span], ends: [End; 2], section: &Beam, errors: &mut Vec<FieldError>) {
    let depth = section.depth();
    let d = section.effective_depth().unwrap_or(depth - section.cover());
    for i in 0..spans.len() {
        let (l, r) = faces(spans, ends, i);
        let support = support_of(span_ends(spans.len(), ends, i));
        let span = match support {
            Support::Cantilever => r - l,
            _ => effective_span(spans, ends, i, d),
        };
        if let Some(why) = span_refused(span, depth, d, support) {
            errors.push(FieldError::new(&format!("spans[{i}].length"), why));
        }
    }
}

/// The effective span of span `i` with effective depth `d` (Cl 22.2), mm: (a) a simply supported
/// span's clear span plus d, at most centre to centre; (b) in a continuous beam the same, unless its
/// supports are wider than a twelfth of the clear span or 600 mm, whichever is less: then an
/// intermediate span's, or an end span's fixed at its other end, clear span, and an end span's
/// discontinuous at its other end clear span plus the lesser of d/2 and half the support; (c) a
/// cantilever's length from the face of its support plus d/2.
pub(crate) fn effective_span(spans: &[Span], ends: [End; 2], i: usize, d: f64) -> f64 {
    let (l, r) = faces(spans, ends, i);
    let (clear, span) = (r - l, spans[i]);
    let (left, right) = span_ends(spans.len(), ends, i);
    let simple = (clear + d).min(span.length);
    match support_of((left, right)) {
        Support::Cantilever => clear + d / 2.0,
        Support::SimplySupported => simple,
        Support::Continuous if span.support_width <= (clear / 12.0).min(600.0) => simple,
        Support::Continuous if left == End::Discontinuous || right == End::Discontinuous => {
            clear + (d / 2.0).min(span.support_width / 2.0)
        }
        Support::Continuous => clear,
    }
}

/// Why a span's clear length is too short to design, if it is: the length less half a support at
/// each supported end (a cantilever's free end has none) must be at least 300 mm.
fn clear_length_refused(
    length: f64,
    support_width: f64,
    (left, right): (End, End),
) -> Option<String> {
    let supported = [left, right].iter().filter(|e| **e != End::Free).count();
    let clear = length - support_width / 2.0 * supported as f64;
    if clear >= 300.0 {
        return None;
    }
    Some(if supported == 1 {
        format!(
            "leaves a cantilever of {} mm beyond a support {} mm wide: at least 300 mm is needed",
            num(clear),
            num(support_width)
        )
    } else {
        format!(
            "leaves a clear span of {} mm between supports {} mm wide: at least 300 mm is needed",
            num(clear),
            num(support_width)
        )
    })
}

fn number(
    value: Option<&Value>,
    path: &str,
    errors: &mut Vec<FieldError>,
    required: bool,
) -> Option<f64> {
    match value {
        None | Some(Value::Null) => {
            if required {
                errors.push(FieldError::new(path, "is required"));
            }
            None
        }
        Some(v) => match v.as_f64().filter(|x| x.is_finite()) {
            Some(x) => Some(x),
            None => {
                errors.push(FieldError::new(
                    path,
                    format!("must be a number, got {}", kind(v)),
                ));
                None
            }
        },
    }
}

fn read_ends(value: Option<&Value>, errors: &mut Vec<FieldError>) -> [End; 2] {
    let default = [End::Discontinuous, End::Discontinuous];
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return default;
    };
    let parsed: Option<Vec<Option<End>>> = value
        .as_array()
        .filter(|a| a.len() == 2)
        .map(|a| a.iter().map(|e| e.as_str().and_then(End::parse)).collect());
    match parsed.as_deref() {
        Some([Some(l), Some(r)]) => {
            if *l == End::Free && *r == End::Free {
                errors.push(FieldError::new(
                    "ends",
                    "both ends are free: a member needs a support",
                ));
            }
            [*l, *r]
        }
        _ => {
            errors.push(FieldError::new("ends", "must be two of \"discontinuous\", \"continuous\", \"fixed\", \"free\": [left, right]"));
            default
        }
    }
}

/// The stations of every span and the combinations, from `stations` (factored) or `cases`.
fn read_loads(
    map: &Map<String, Value>,
    spans: &[Span],
    ends: [End; 2],
    errors: &mut Vec<FieldError>,
) -> Option<(Vec<Vec<f64>>, Combinations)> {
    let stations = map.get("stations").filter(|v| !v.is_null());
    let cases = map.get("cases").filter(|v| !v.is_null());
    let combos = map.get("combinations").filter(|v| !v.is_null());
    match (stations, cases) {
        (Some(_), Some(_)) => {
            errors.push(FieldError::new(
                "stations",
                "give either factored `stations` or unfactored `cases`, not both",
            ));
            None
        }
        (None, None) => {
            errors.push(FieldError::new(
                "stations",
                "are required (factored actions per span), or `cases` with `combinations`",
            ));
            None
        }
        (Some(stations), None) => {
            if combos.is_some() {
                errors.push(FieldError::new(
                    "combinations",
                    "apply to `cases`; `stations` are already factored",
                ));
            }
            let (xs, values) = read_span_stations(stations, "stations", spans, ends, errors)?;
            Some((xs, Combinations::factored(values)))
        }
        (None, Some(cases)) => {
            let cases = read_cases(cases, spans, ends, errors)?;
            let combinations = combinations::from_input(combos, &cases, errors)?;
            let xs = cases.first().map(|c| c.xs.clone())?;
            Some((xs, combinations))
        }
    }
}

fn read_cases(
    value: &Value,
    spans: &[Span],
    ends: [End; 2],
    errors: &mut Vec<FieldError>,
) -> Option<Vec<LoadCase>> {
    let Some(map) = value.as_object() else {
        errors.push(FieldError::new(
            "cases",
            "must be an object of load cases: {\"DL\": [[stations of span 1], …], \"LL\": …}",
        ));
        return None;
    };
    if map.is_empty() || map.len() > MAX_CASES {
        errors.push(FieldError::new(
            "cases",
            format!("must hold 1 to {MAX_CASES} load cases, got {}", map.len()),
        ));
        return None;
    }
    let mut cases = Vec::with_capacity(map.len());
    for (name, value) in map {
        let path = format!("cases.{name}");
        let (kind, stations) = match value {
            Value::Object(obj) => {
                let kind = match obj.get("type").and_then(Value::as_str) {
                    Some(t) => CaseKind::parse(t).or_else(|| {
                        errors.push(FieldError::new(
                            &format!("{path}.type"),
                            "must be dead, imposed, earthquake, wind or combination",
                        ));
                        None
                    }),
                    None => {
                        errors.push(FieldError::new(
                            &format!("{path}.type"),
                            "is required: dead, imposed, earthquake, wind or combination",
                        ));
                        None
                    }
                };
                (kind, obj.get("stations").unwrap_or(&Value::Null))
            }
            other => {
                let kind = CaseKind::from_name(name);
                if kind.is_none() {
                    errors.push(FieldError::new(&path, format!("cannot tell what kind of load `{name}` is from its name: write {{\"type\": \"dead\" | \"imposed\" | \"earthquake\" | \"wind\", \"stations\": […]}}")));
                }
                (kind, other)
            }
        };
        let read = read_span_stations(stations, &path, spans, ends, errors);
        if let (Some(kind), Some((xs, values))) = (kind, read) {
            cases.push(LoadCase {
                name: name.clone(),
                kind,
                xs,
                values,
            });
        }
    }
    if cases.len() != map.len() {
        return None;
    }
    // Every case must report at the same stations, as analysis programs export them.
    let first = &cases[0];
    for case in &cases[1..] {
        for (i, (a, b)) in first.xs.iter().zip(&case.xs).enumerate() {
            if a.len() != b.len() || a.iter().zip(b).any(|(p, q)| (p - q).abs() > 0.5) {
                errors.push(FieldError::new(&format!("cases.{}[{i}]", case.name), format!("has stations at other positions than `{}` in span {i}: every case must give the same stations", first.name)));
            }
        }
    }
    (errors.is_empty()).then_some(cases)
}

type SpanStations = (Vec<Vec<f64>>, Vec<Vec<Actions>>);

/// Stations of every span: `[[{"x", "Mu", "Vu", "Tu"}, …], …]`, one array per span.
fn read_span_stations(
    value: &Value,
    path: &str,
    spans: &[Span],
    ends: [End; 2],
    errors: &mut Vec<FieldError>,
) -> Option<SpanStations> {
    let Some(list) = value.as_array() else {
        errors.push(FieldError::new(
            path,
            "must be an array with one array of stations per span",
        ));
        return None;
    };
    if spans.is_empty() {
        return None;
    }
    if list.len() != spans.len() {
        errors.push(FieldError::new(
            path,
            format!(
                "must give stations for each of the {} spans, got {}",
                spans.len(),
                list.len()
            ),
        ));
        return None;
    }
    let before = errors.len();
    let mut xs = Vec::with_capacity(spans.len());
    let mut values = Vec::with_capacity(spans.len());
    for (i, stations) in list.iter().enumerate() {
        let path = format!("{path}[{i}]");
        let Some(stations) = stations.as_array() else {
            errors.push(FieldError::new(
                &path,
                "must be an array of stations {\"x\", \"Mu\", \"Vu\", \"Tu\"}",
            ));
            continue;
        };
        let (x, v) = read_stations(stations, &path, spans, ends, i, errors);
        xs.push(x);
        values.push(v);
    }
    (errors.len() == before).then_some((xs, values))
}

fn read_stations(
    stations: &[Value],
    path: &str,
    spans: &[Span],
    ends: [End; 2],
    i: usize,
    errors: &mut Vec<FieldError>,
) -> (Vec<f64>, Vec<Actions>) {
    let span = spans[i];
    if stations.len() < 3 || stations.len() > MAX_STATIONS {
        errors.push(FieldError::new(path, format!("must hold 3 to {MAX_STATIONS} stations (both support faces and midspan at least), got {}", stations.len())));
        return (Vec::new(), Vec::new());
    }
    let mut xs = Vec::with_capacity(stations.len());
    let mut actions = Vec::with_capacity(stations.len());
    for (j, station) in stations.iter().enumerate() {
        let path = format!("{path}[{j}]");
        let Some(obj) = station.as_object() else {
            errors.push(FieldError::new(
                &path,
                "must be an object {\"x\", \"Mu\", \"Vu\", \"Tu\"}",
            ));
            continue;
        };
        let mut a = Actions::default();
        let mut x = None;
        for (key, value) in obj {
            let slot = match key.as_str() {
                "x" => None,
                "Mu" | "M" | "moment" => Some(0),
                "Vu" | "V" | "shear" => Some(1),
                "Tu" | "T" | "torsion" => Some(2),
                _ => {
                    errors.push(FieldError::new(
                        &format!("{path}.{key}"),
                        "unknown station field; a station has x, Mu (or M), Vu (or V), Tu (or T)",
                    ));
                    continue;
                }
            };
            let Some(n) = number(Some(value), &format!("{path}.{key}"), errors, false) else {
                continue;
            };
            if n.abs() > MAX_ACTION && slot.is_some() {
                errors.push(FieldError::new(
                    &format!("{path}.{key}"),
                    format!("must be within ±{}", num(MAX_ACTION)),
                ));
                continue;
            }
            match slot {
                None => x = Some(n),
                Some(0) => a.m = n,
                Some(1) => a.v = n,
                _ => a.t = n,
            }
        }
        match x {
            None => errors.push(FieldError::new(
                &format!("{path}.x"),
                "is required (mm from the left end of the span)",
            )),
            Some(x) if !(0.0..=span.length).contains(&x) => errors.push(FieldError::new(
                &format!("{path}.x"),
                format!(
                    "is {} mm, outside span {i} (0 to {} mm)",
                    num(x),
                    num(span.length)
                ),
            )),
            Some(x) if xs.last().is_some_and(|&prev| x <= prev) => errors.push(FieldError::new(
                &format!("{path}.x"),
                "must be greater than the station before it (stations in order along the span)",
            )),
            Some(x) => {
                xs.push(x);
                actions.push(a);
            }
        }
    }
    if xs.len() == stations.len() {
        let (l, r) = faces(spans, ends, i);
        let (first, last) = (xs[0], xs[xs.len() - 1]);
        let third = (r - l) / 3.0;
        if first > l + 1e-6 {
            errors.push(FieldError::new(&format!("{path}[0].x"), format!("is {} mm, beyond the left support face at {} mm: give a station at or before the face", num(first), num(l))));
        }
        if last < r - 1e-6 {
            errors.push(FieldError::new(&format!("{path}[{}].x", xs.len() - 1), format!("is {} mm, short of the right support face at {} mm: give a station at or after the face", num(last), num(r))));
        }
        if !xs.iter().any(|&x| x >= l + third && x <= r - third) {
            errors.push(FieldError::new(
                path,
                format!(
                    "has no station in the middle third of the clear span ({} to {} mm)",
                    num(l + third),
                    num(r - third)
                ),
            ));
        }
    }
    (xs, actions)
}

/// A stable hash of the member as given: FNV-1a over its JSON walked in key order (numbers by their
/// IEEE-754 bits), with no text built on the way.
fn input_hash(input: &serde_json::Value) -> String {
    fn eat(h: &mut u64, bytes: &[u8]) {
        for b in bytes {
            *h ^= u64::from(*b);
            *h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn walk(v: &serde_json::Value, h: &mut u64) {
        match v {
            serde_json::Value::Null => eat(h, b"n"),
            serde_json::Value::Bool(b) => eat(h, if *b { b"t" } else { b"f" }),
            serde_json::Value::Number(n) => {
                // A whole word at a time, with a multiply-xorshift to spread it.
                *h ^= n.as_f64().unwrap_or(0.0).to_bits();
                *h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
                *h ^= *h >> 29;
            }
            serde_json::Value::String(s) => {
                eat(h, b"\"");
                eat(h, s.as_bytes());
                eat(h, b"\"");
            }
            serde_json::Value::Array(a) => {
                eat(h, b"[");
                for x in a {
                    walk(x, h);
                }
                eat(h, b"]");
            }
            serde_json::Value::Object(o) => {
                eat(h, b"{");
                for (k, x) in o {
                    eat(h, k.as_bytes());
                    eat(h, b":");
                    walk(x, h);
                }
                eat(h, b"}");
            }
        }
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    walk(input, &mut h);
    format!("{h:016x}")
}

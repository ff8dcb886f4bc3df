//! Load combinations of IS 456 Table 18 (limit state of collapse, and of serviceability for the crack
//! width), and the gravity combination 1.2 (DL + LL) of IS 13920 Cl 6.3.3, built from unfactored load
//! cases (docs/members.md, "Load cases and combinations").

use serde_json::Value;

use crate::input::{kind, FieldError};

/// The actions at one station of one case or combination: M (kN·m, sagging positive), V (kN) and
/// T (kN·m), signed as the analysis gives them (the envelope takes their magnitudes).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Actions {
    pub m: f64,
    pub v: f64,
    pub t: f64,
}

/// What a load case is, which sets its factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKind {
    Dead,
    Imposed,
    Earthquake,
    Wind,
    /// A combination exported already factored by the analysis program: it takes part only in
    /// combinations the client lists, normally with the factor 1.
    Combination,
}

impl CaseKind {
    pub(crate) fn parse(s: &str) -> Option<CaseKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dead" => Some(CaseKind::Dead),
            "imposed" | "live" => Some(CaseKind::Imposed),
            "earthquake" | "seismic" => Some(CaseKind::Earthquake),
            "wind" => Some(CaseKind::Wind),
            "combination" | "factored" => Some(CaseKind::Combination),
            _ => None,
        }
    }

    /// The name of the kind, as `{"type": …}` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Dead => "dead",
            CaseKind::Imposed => "imposed",
            CaseKind::Earthquake => "earthquake",
            CaseKind::Wind => "wind",
            CaseKind::Combination => "combination",
        }
    }

    /// The kind of a case from its name as analysis models write them: DL, SDL, SW, DEAD; LL, IL,
    /// LIVE, L1; EQX, EX, EQ-Y, SPEC, RSX; WL, WX, WIND.
    pub fn from_name(name: &str) -> Option<CaseKind> {
        let n: String = name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase();
        let bare_or_numbered = |p: &str| {
            n == p
                || n.strip_prefix(p)
                    .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
        };
        let starts = |ps: &[&str]| ps.iter().any(|p| n.starts_with(p));
        if starts(&["DL", "DEAD", "SDL", "SIDL", "SUPERDEAD", "SW", "SELF"])
            || bare_or_numbered("D")
        {
            Some(CaseKind::Dead)
        } else if starts(&["LL", "LIVE", "IL", "IMP", "ROOFLIVE"]) || bare_or_numbered("L") {
            Some(CaseKind::Imposed)
        } else if starts(&["EQ", "EARTH", "SEIS", "SPEC", "RS", "EX", "EY"])
            || bare_or_numbered("E")
        {
            Some(CaseKind::Earthquake)
        } else if starts(&["WL", "WIND", "WX", "WY"]) || bare_or_numbered("W") {
            Some(CaseKind::Wind)
        } else {
            None
        }
    }
}

/// One unfactored load case: its stations per span and the actions at each.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadCase {
    pub name: String,
    pub kind: CaseKind,
    pub xs: Vec<Vec<f64>>,
    pub values: Vec<Vec<Actions>>,
}

/// One combination: its name, the factor on each case, and the factored actions per span and station.
#[derive(Debug, Clone, PartialEq)]
pub struct Combination {
    pub name: String,
    pub factors: Vec<(String, f64)>,
    pub values: Vec<Vec<Actions>>,
}

/// The combinations a member is designed for.
#[derive(Debug, Clone, PartialEq)]
pub struct Combinations {
    /// Limit state of collapse.
    pub ultimate: Vec<Combination>,
    /// 1.2 (DL + LL) for the gravity shear of capacity design (IS 13920 Cl 6.3.3); empty when the
    /// stations were given factored.
    pub gravity: Vec<Combination>,
    /// DL + LL at service for the crack width (Table 18, serviceability); empty when factored.
    pub service: Vec<Combination>,
}

impl Combinations {
    /// Stations given already factored: one combination, as given.
    pub(crate) fn factored(values: Vec<Vec<Actions>>) -> Combinations {
        Combinations {
            ultimate: vec![Combination {
                name: "stations".into(),
                factors: Vec::new(),
                values,
            }],
            gravity: Vec::new(),
            service: Vec::new(),
        }
    }
}

/// The combinations asked for: `"is456"` (the default) or a list of `{"name", "factors"}`.
pub(crate) fn from_input(
    value: Option<&Value>,
    cases: &[LoadCase],
    errors: &mut Vec<FieldError>,
) -> Option<Combinations> {
    match value {
        None => table_18(cases, errors),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("is456") => table_18(cases, errors),
        Some(Value::Array(list)) if !list.is_empty() && list.len() <= 200 => {
            let before = errors.len();
            let ultimate: Vec<Combination> = list
                .iter()
                .enumerate()
                .filter_map(|(i, c)| explicit(i, c, cases, errors))
                .collect();
            (errors.len() == before).then_some(Combinations {
                ultimate,
                gravity: Vec::new(),
                service: Vec::new(),
            })
        }
        Some(other) => {
            errors.push(FieldError::new("combinations", format!("must be \"is456\" or a list of 1 to 200 {{\"name\", \"factors\": {{case: factor}}}}, got {}", kind(other))));
            None
        }
    }
}

fn explicit(
    i: usize,
    value: &Value,
    cases: &[LoadCase],
    errors: &mut Vec<FieldError>,
) -> Option<Combination> {
    let path = format!("combinations[{i}]");
    let name = value
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("combination-{}", i + 1));
    let Some(factors) = value
        .get("factors")
        .and_then(Value::as_object)
        .filter(|f| !f.is_empty())
    else {
        errors.push(FieldError::new(
            &format!("{path}.factors"),
            "must be an object of case names and factors: {\"DL\": 1.5, \"LL\": 1.5}",
        ));
        return None;
    };
    let mut list = Vec::with_capacity(factors.len());
    for (case, f) in factors {
        let fpath = format!("{path}.factors.{case}");
        match (cases.iter().any(|c| &c.name == case), f.as_f64()) {
            (false, _) => errors.push(FieldError::new(
                &fpath,
                format!(
                    "names no load case; the cases are {}",
                    cases
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            (true, Some(f)) if f.is_finite() && f.abs() <= 10.0 => list.push((case.clone(), f)),
            _ => errors.push(FieldError::new(&fpath, "must be a number from -10 to 10")),
        }
    }
    (list.len() == factors.len()).then(|| combine(name, list, cases))
}

/// Table 18 (and IS 1893 Cl 6.3.1.2 for earthquake, which has the same factors), with each imposed
/// case taken on its own (they may be patterns) and each lateral case in both directions:
/// 1.5 DL; 1.5 (DL + LL); 1.5 (DL ± X); 0.9 DL ± 1.5 X; 1.2 (DL + LL ± X). All dead cases act together.
fn table_18(cases: &[LoadCase], errors: &mut Vec<FieldError>) -> Option<Combinations> {
    let factored: Vec<&str> = cases
        .iter()
        .filter(|c| c.kind == CaseKind::Combination)
        .map(|c| c.name.as_str())
        .collect();
    if !factored.is_empty() {
        errors.push(FieldError::new(
            "combinations",
            format!(
                "the IS 456 combinations cannot factor {}, already a combination: list your own combinations ({{\"name\", \"factors\": {{\"{}\": 1.0}}}})",
                factored.join(", "),
                factored[0]
            ),
        ));
        return None;
    }
    let of = |k: CaseKind| cases.iter().filter(move |c| c.kind == k);
    let dead: Vec<&str> = of(CaseKind::Dead).map(|c| c.name.as_str()).collect();
    if dead.is_empty() {
        errors.push(FieldError::new(
            "cases",
            "need at least one dead load case (DL) for the IS 456 combinations",
        ));
        return None;
    }
    let imposed: Vec<Option<&str>> = {
        let names: Vec<Option<&str>> = of(CaseKind::Imposed)
            .map(|c| Some(c.name.as_str()))
            .collect();
        if names.is_empty() {
            vec![None]
        } else {
            names
        }
    };
    let lateral: Vec<&str> = of(CaseKind::Earthquake)
        .chain(of(CaseKind::Wind))
        .map(|c| c.name.as_str())
        .collect();
    let dl = if dead.len() == 1 {
        dead[0].to_owned()
    } else {
        format!("({})", dead.join("+"))
    };
    let with = |f: f64, extra: &[(&str, f64)]| -> Vec<(String, f64)> {
        dead.iter()
            .map(|d| (d.to_string(), f))
            .chain(extra.iter().map(|(n, f)| (n.to_string(), *f)))
            .collect()
    };
    let dead_and = |l: Option<&str>| -> String {
        let mut parts = dead.clone();
        parts.extend(l);
        parts.join("+")
    };
    let mut ultimate = vec![combine(format!("1.5{dl}"), with(1.5, &[]), cases)];
    let mut gravity = Vec::new();
    let mut service = Vec::new();
    for &l in &imposed {
        let live: Vec<(&str, f64)> = l.into_iter().map(|n| (n, 1.0)).collect();
        let scaled = |f: f64| live.iter().map(|(n, _)| (*n, f)).collect::<Vec<_>>();
        if l.is_some() {
            ultimate.push(combine(
                format!("1.5({})", dead_and(l)),
                with(1.5, &scaled(1.5)),
                cases,
            ));
        }
        gravity.push(combine(
            format!("1.2({})", dead_and(l)),
            with(1.2, &scaled(1.2)),
            cases,
        ));
        service.push(combine(dead_and(l), with(1.0, &live), cases));
    }
    for x in &lateral {
        for (sign, s) in [("+", 1.0), ("-", -1.0)] {
            ultimate.push(combine(
                format!("1.5({dl}{sign}{x})"),
                with(1.5, &[(x, 1.5 * s)]),
                cases,
            ));
            ultimate.push(combine(
                format!("0.9{dl}{sign}1.5{x}"),
                with(0.9, &[(x, 1.5 * s)]),
                cases,
            ));
            for &l in imposed.iter().filter(|l| l.is_some()) {
                let mut extra: Vec<(&str, f64)> = l.into_iter().map(|n| (n, 1.2)).collect();
                extra.push((x, 1.2 * s));
                ultimate.push(combine(
                    format!("1.2({}{sign}{x})", dead_and(l)),
                    with(1.2, &extra),
                    cases,
                ));
            }
        }
    }
    Some(Combinations {
        ultimate,
        gravity,
        service,
    })
}

/// The factored actions of a combination at every station.
fn combine(name: String, factors: Vec<(String, f64)>, cases: &[LoadCase]) -> Combination {
    let shape = &cases[0].values;
    let mut values: Vec<Vec<Actions>> = shape
        .iter()
        .map(|s| vec![Actions::default(); s.len()])
        .collect();
    for (case_name, f) in &factors {
        let Some(case) = cases.iter().find(|c| &c.name == case_name) else {
            continue;
        };
        for (span, case_span) in values.iter_mut().zip(&case.values) {
            for (a, c) in span.iter_mut().zip(case_span) {
                a.m += f * c.m;
                a.v += f * c.v;
                a.t += f * c.t;
            }
        }
    }
    Combination {
        name,
        factors,
        values,
    }
}

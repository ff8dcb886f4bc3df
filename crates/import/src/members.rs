//! Lines as members of docs/members.md: the section, the spans, the ends, and the output cases as
//! load cases — the export's combinations (each with the factor 1), or its load cases under the
//! IS 456 combinations (docs/import.md, "Output cases and combinations").

use is456::member::input::MAX_CASES;
use serde_json::{json, Map, Value};

use crate::error::Problems;
use crate::lines::Line;
use crate::model::{case_kind, Station};
use crate::{CaseMode, Options};

/// The member of a line, or `None` with the problems recorded.
pub fn member(
    line: &Line,
    options: &Options,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) -> Option<Value> {
    let section = section(line, options, problems)?;
    let (cases, combinations) = cases(line, options, problems, warnings)?;
    let spans: Vec<Value> = line
        .spans
        .iter()
        .map(|s| json!({"length": round(s.length), "support_width": round(s.support_width)}))
        .collect();
    let mut member = json!({
        "id": truncate(&line.id),
        "section": section,
        "spans": spans,
        "ends": [line.ends[0].as_str(), line.ends[1].as_str()],
        "cases": cases,
    });
    if let Some(c) = combinations {
        member["combinations"] = c;
    }
    if options.ductile {
        member["ductile"] = Value::Bool(true);
    }
    Some(member)
}

/// Ids are at most 64 characters: a longer one keeps its end, which tells beams apart.
fn truncate(id: &str) -> String {
    let n = id.chars().count();
    if n <= 64 {
        id.to_owned()
    } else {
        format!("…{}", id.chars().skip(n - 63).collect::<String>())
    }
}

/// mm to 0.1 mm, the same rounding for lengths and stations so that a station at the end stays in.
fn round(mm: f64) -> f64 {
    (mm * 10.0).round() / 10.0
}

fn section(line: &Line, options: &Options, problems: &mut Problems) -> Option<Value> {
    let (width, depth, fck, fy) = match (&line.section, options.section) {
        (Some(s), _) => (s.width, s.depth, s.fck, s.fy),
        (None, Some((w, d))) => (w, d, None, None),
        (None, None) => {
            problems.at(line.at.clone(), format!("beam {} has no section: give the section tables (Frame Assignments - Section Properties and Frame Section Property Definitions - Concrete Rectangular), or --width and --depth", line.id));
            return None;
        }
    };
    Some(json!({
        "width": round(width),
        "depth": round(depth),
        "fck": fck.unwrap_or(options.fck),
        "fy": fy.unwrap_or(options.fy),
    }))
}

type CasesAndCombinations = (Value, Option<Value>);

fn cases(
    line: &Line,
    options: &Options,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) -> Option<CasesAndCombinations> {
    let combos: Vec<usize> = (0..line.cases.len()).filter(|&k| line.cases[k].1).collect();
    let loads: Vec<usize> = (0..line.cases.len())
        .filter(|&k| !line.cases[k].1)
        .collect();
    let use_combos = match options.combinations {
        CaseMode::Export => true,
        CaseMode::Is456 => false,
        CaseMode::Auto => !combos.is_empty(),
    };
    if use_combos {
        if combos.is_empty() {
            problems.at(line.at.clone(), format!("beam {}: the export has no combinations (Case Type \"Combination\"); import with --combinations is456 to combine its load cases", line.id));
            return None;
        }
        return Some(exported(line, &combos, warnings));
    }
    let mut map = Map::new();
    for &k in &loads {
        let name = &line.cases[k].0;
        let Some(kind) = case_kind(name) else {
            problems.at(line.at.clone(), format!("output case `{name}`: its kind (dead, imposed, earthquake, wind) cannot be told from its name; rename it in the model (DL, LL, EQX, WX…) or import the export's combinations (--combinations export)"));
            continue;
        };
        map.insert(
            name.clone(),
            json!({"type": kind.as_str(), "stations": stations(line, k)}),
        );
    }
    if map.is_empty() {
        problems.at(
            line.at.clone(),
            format!("beam {}: the export has no load cases to combine", line.id),
        );
        return None;
    }
    Some((Value::Object(map), None))
}

/// The export's combinations as cases of factor 1; more than the member takes are folded into their
/// envelope (largest and least moment at each station, with the largest shear and torsion).
fn exported(line: &Line, combos: &[usize], warnings: &mut Vec<String>) -> CasesAndCombinations {
    if combos.len() > MAX_CASES {
        warnings.push(format!("beam {}: {} combinations, more than the {MAX_CASES} a member takes: designed from their envelope (`envelope max`, `envelope min`)", line.id, combos.len()));
        let [max, min] = envelope(line, combos);
        let cases = json!({
            "envelope max": {"type": "combination", "stations": max},
            "envelope min": {"type": "combination", "stations": min},
        });
        let list = json!([
            {"name": "envelope max", "factors": {"envelope max": 1.0}},
            {"name": "envelope min", "factors": {"envelope min": 1.0}},
        ]);
        return (cases, Some(list));
    }
    let mut map = Map::new();
    let mut list = Vec::new();
    for &k in combos {
        let name = &line.cases[k].0;
        map.insert(
            name.clone(),
            json!({"type": "combination", "stations": stations(line, k)}),
        );
        list.push(json!({"name": name, "factors": {name.clone(): 1.0}}));
    }
    (Value::Object(map), Some(Value::Array(list)))
}

fn station(s: &Station) -> Value {
    json!({"x": round(s.x), "M": s.actions.m, "V": s.actions.v, "T": s.actions.t})
}

fn stations(line: &Line, k: usize) -> Value {
    line.spans
        .iter()
        .map(|s| s.cases[k].iter().map(station).collect::<Vec<_>>())
        .collect()
}

/// Per span and station: [largest M, least M], each with the shear and torsion of largest magnitude.
fn envelope(line: &Line, combos: &[usize]) -> [Value; 2] {
    let pick =
        |span: usize, j: usize, hi: bool| {
            let all = combos.iter().map(|&k| &line.spans[span].cases[k][j]);
            let m = all.clone().map(|s| s.actions.m).fold(
                if hi { f64::MIN } else { f64::MAX },
                |a, b| if hi { a.max(b) } else { a.min(b) },
            );
            let v =
                all.clone()
                    .map(|s| s.actions.v)
                    .fold(0.0, |a: f64, b| if b.abs() > a.abs() { b } else { a });
            let t = all
                .map(|s| s.actions.t)
                .fold(0.0, |a: f64, b| if b.abs() > a.abs() { b } else { a });
            json!({"x": round(line.spans[span].cases[combos[0]][j].x), "M": m, "V": v, "T": t})
        };
    [true, false].map(|hi| {
        line.spans
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (0..s.cases[combos[0]].len())
                    .map(|j| pick(i, j, hi))
                    .collect::<Vec<_>>()
            })
            .collect()
    })
}

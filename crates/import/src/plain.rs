//! Beamline's plain CSV (docs/import.md): one row per station per case,
//! `story, beam, span_m, station_m, case, M, V, T, width, depth`, with optional `fck`, `fy` and
//! `support_width` (mm). M, V, T in kN·m and kN, sagging positive; each story/beam is a member of one
//! span. A case whose name tells its kind (DL, LL, EQX…) is a load case, any other a combination.

use std::collections::HashMap;

use crate::error::Problems;
use crate::model::{Actions, BeamObject, Model, Reader, Section, Station};
use crate::staad::case_name;
use crate::table::Table;

const COLUMNS: [&str; 10] = [
    "story",
    "beam",
    "span_m",
    "station_m",
    "case",
    "M",
    "V",
    "T",
    "width",
    "depth",
];

pub fn read(tables: &[Table], problems: &mut Problems) -> Model {
    let mut model = Model::default();
    let mut index = HashMap::new();
    for t in tables {
        read_table(t, &mut model, &mut index, problems);
    }
    if model.beams.is_empty() && problems.is_empty() {
        problems.general(format!(
            "no rows: the plain CSV has the columns {}",
            COLUMNS.join(", ")
        ));
    }
    model
}

fn read_table(
    t: &Table,
    model: &mut Model,
    index: &mut HashMap<String, usize>,
    problems: &mut Problems,
) {
    let cols: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|c| t.column(&[crate::table::normalise(c).as_str()]))
        .collect();
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(&cols)
        .filter(|(_, c)| c.is_none())
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        problems.at(
            t.whole(),
            format!(
                "the plain CSV needs the columns {}; missing: {}",
                COLUMNS.join(", "),
                missing.join(", ")
            ),
        );
        return;
    }
    let c: Vec<usize> = cols.into_iter().flatten().collect();
    let (fck, fy, sw) = (
        t.column(&["fck"]),
        t.column(&["fy"]),
        t.column(&["supportwidth"]),
    );
    let mut r = Reader { table: t, problems };
    for row in &t.rows {
        let story = r.text(row, c[0]).to_owned();
        let label = r.text(row, c[1]).to_owned();
        let case = r.text(row, c[4]).to_owned();
        let nums: Vec<Option<f64>> = [
            (c[2], 1000.0),
            (c[3], 1000.0),
            (c[5], 1.0),
            (c[6], 1.0),
            (c[7], 1.0),
            (c[8], 1.0),
            (c[9], 1.0),
        ]
        .iter()
        .map(|&(col, f)| r.number(row, col, f))
        .collect();
        let Some(n) = nums.into_iter().collect::<Option<Vec<f64>>>() else {
            continue;
        };
        if case.is_empty() || label.is_empty() {
            r.problems.at(
                t.at(row.line, if label.is_empty() { c[1] } else { c[4] }),
                "is empty; every row names its beam and case",
            );
            continue;
        }
        let fck = fck.and_then(|k| r.number(row, k, 1.0));
        let fy = fy.and_then(|k| r.number(row, k, 1.0));
        let at = t.at(row.line, c[3]);
        let key = format!("{story}/{label}");
        let i = *index.entry(key.clone()).or_insert_with(|| {
            model.beams.push(BeamObject {
                story,
                label,
                key,
                length: Some(n[0]),
                points: None,
                section: Some(Section {
                    name: String::new(),
                    width: n[5],
                    depth: n[6],
                    fck,
                    fy,
                }),
                cases: Vec::new(),
                at: at.clone(),
            });
            model.beams.len() - 1
        });
        let beam = &mut model.beams[i];
        if beam.length != Some(n[0]) {
            r.problems.at(
                t.at(row.line, c[2]),
                format!(
                    "beam {} was {} m long on an earlier row",
                    beam.name(),
                    beam.length.unwrap_or(0.0) / 1000.0
                ),
            );
            continue;
        }
        if let Some(w) = sw.and_then(|k| r.number(row, k, 1.0)) {
            model.support_widths.insert(beam.key.clone(), w);
        }
        let (name, combination) = case_name(&case);
        beam.add_station(
            name,
            combination,
            Station {
                x: n[1],
                actions: Actions {
                    m: n[2],
                    v: n[3],
                    t: n[4],
                },
                at,
            },
        );
    }
}

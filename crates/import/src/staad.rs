//! STAAD.Pro's "Beam Force Detail" table (docs/import.md): Beam, L/C, d, Fx, Fy, Fz, Mx, My, Mz, with
//! units in the headers (`d m`, `Fy kN`) or a units line. STAAD writes a beam's number and load case
//! only on the first row of each group: blank cells take the value above. Mz at a section is positive
//! when it puts the top in tension (hogging), so the import turns its sign; `--moment-sign` overrides.

use std::collections::HashMap;

use crate::error::Problems;
use crate::model::{case_kind, factor, Actions, BeamObject, Model, Reader, Station};
use crate::sections::Sections;
use crate::table::Table;
use crate::units::Unit;
use crate::Options;

/// A load case whose title tells its kind (`1 DL`, `DEAD LOAD`, `3 EQ X`) is a load case; any other
/// title (`101 1.5(DL+LL)`, `COMBINATION LOAD CASE 101`) is a combination.
pub fn case_name(title: &str) -> (String, bool) {
    let t = title.trim();
    (t.to_owned(), case_kind(t).is_none())
}

pub fn read(
    tables: &[Table],
    sections: &Sections,
    options: &Options,
    problems: &mut Problems,
) -> Model {
    let mut model = Model::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    let forces = tables.iter().filter(|t| t.has(&["lc"]) && t.has(&["mz"]));
    let mut any = false;
    for t in forces {
        any = true;
        read_table(t, sections, options, &mut model, &mut index, problems);
    }
    if !any {
        problems.general("no STAAD \"Beam Force Detail\" table was found: its header must have Beam, L/C, d, Fy, Mx and Mz");
    }
    model
}

fn column(t: &Table, names: &[&str], what: &str, problems: &mut Problems) -> Option<usize> {
    let c = t.column(names);
    if c.is_none() {
        problems.at(
            t.whole(),
            format!("the Beam Force Detail table has no column {what}"),
        );
    }
    c
}

fn read_table(
    t: &Table,
    sections: &Sections,
    options: &Options,
    model: &mut Model,
    index: &mut HashMap<String, usize>,
    problems: &mut Problems,
) {
    let (Some(beam), Some(lc), Some(d), Some(fy), Some(mz)) = (
        column(t, &["beam", "member"], "`Beam`", problems),
        column(t, &["lc"], "`L/C`", problems),
        column(t, &["d", "dist", "distance"], "`d`", problems),
        column(t, &["fy"], "`Fy`", problems),
        column(t, &["mz"], "`Mz`", problems),
    ) else {
        return;
    };
    let mx = t.column(&["mx"]);
    let units = options.units.unwrap_or((1.0, 1000.0));
    let fd = factor(t, d, Unit::Length(0.0), units, problems);
    let ff = factor(t, fy, Unit::Force(0.0), units, problems);
    let fm = factor(t, mz, Unit::Moment(0.0), units, problems) * options.sagging_sign(-1.0);
    let ft = mx.map_or(0.0, |c| factor(t, c, Unit::Moment(0.0), units, problems));
    let mut r = Reader { table: t, problems };
    let (mut last_beam, mut last_case) = (String::new(), String::new());
    for row in &t.rows {
        let b = r.text(row, beam);
        if !b.is_empty() {
            last_beam = b.to_owned();
        }
        let c = r.text(row, lc);
        if !c.is_empty() {
            last_case = c.to_owned();
        }
        if last_beam.is_empty() || last_case.is_empty() {
            r.problems.at(
                t.at(row.line, beam),
                "names no beam or load case, and no row above does",
            );
            continue;
        }
        let (x, v, m) = (
            r.number(row, d, fd),
            r.number(row, fy, ff),
            r.number(row, mz, fm),
        );
        let tt = mx.map_or(Some(0.0), |c| r.number(row, c, ft));
        let (Some(x), Some(v), Some(m), Some(tt)) = (x, v, m, tt) else {
            continue;
        };
        let at = t.at(row.line, d);
        let i = *index.entry(last_beam.clone()).or_insert_with(|| {
            model.beams.push(BeamObject {
                story: String::new(),
                label: last_beam.clone(),
                key: last_beam.clone(),
                length: None,
                points: None,
                section: sections.get(&last_beam),
                cases: Vec::new(),
                at: at.clone(),
            });
            model.beams.len() - 1
        });
        let (name, combination) = case_name(&last_case);
        let beam = &mut model.beams[i];
        beam.add_station(
            name,
            combination,
            Station {
                x,
                actions: Actions { m, v, t: tt },
                at,
            },
        );
    }
}

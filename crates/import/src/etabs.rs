//! ETABS tables as exported to Excel or CSV (docs/import.md): "Element Forces - Beams", "Beam Object
//! Connectivity", "Point Object Connectivity", "Column Object Connectivity", "Frame Assignments -
//! Section Properties" and "Frame Section Property Definitions - Concrete Rectangular". Tables are
//! known by their title, else by their columns; columns by their names in any version (`Unique Name`
//! or `UniqueName`, `Output Case` or `Load Case/Combo`, `Depth` or `t3`).

use std::collections::HashMap;

use crate::error::Problems;
use crate::model::{factor, grade, Actions, BeamObject, Column, Model, Reader, Section, Station};
use crate::table::Table;
use crate::units::Unit;
use crate::Options;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Forces,
    BeamConnectivity,
    ColumnConnectivity,
    Points,
    Assignments,
    Sections,
}

fn kind(table: &Table) -> Option<Kind> {
    let title = table.title.to_ascii_lowercase();
    let by_title = [
        ("element forces - beams", Kind::Forces),
        ("beam object connectivity", Kind::BeamConnectivity),
        ("column object connectivity", Kind::ColumnConnectivity),
        ("point object connectivity", Kind::Points),
        ("frame assignments - section properties", Kind::Assignments),
        ("frame assigns - sect prop", Kind::Assignments),
        ("concrete rectangular", Kind::Sections),
        ("conc rect", Kind::Sections),
    ];
    if let Some((_, k)) = by_title.iter().find(|(t, _)| title.contains(t)) {
        return Some(*k);
    }
    if table.has(&["m3"]) && table.has(&["station"]) {
        Some(Kind::Forces)
    } else if table.has(&["uniquepti"]) || table.has(&["uniqueptj"]) {
        Some(Kind::BeamConnectivity)
    } else if table.has(&["x"]) && table.has(&["y"]) && table.has(&["z"]) {
        Some(Kind::Points)
    } else if table.has(&["sectionproperty", "analysissection"]) {
        Some(Kind::Assignments)
    } else if table.has(&["depth", "t3"]) && table.has(&["width", "t2"]) {
        Some(Kind::Sections)
    } else {
        None
    }
}

/// The model of every table given, in any order and any files.
pub fn read(
    tables: &[Table],
    options: &Options,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) -> Model {
    let of = |k: Kind| tables.iter().filter(move |t| kind(t) == Some(k));
    for t in tables.iter().filter(|t| kind(t).is_none()) {
        warnings.push(format!(
            "{}: the table \"{}\" is not one the import reads; it was skipped",
            t.whole(),
            t.title
        ));
    }
    let mut model = Model {
        joinable: true,
        ..Model::default()
    };
    let sections = read_sections(of(Kind::Sections), options, problems);
    let assigned = read_assignments(of(Kind::Assignments), problems);
    for t in of(Kind::Forces) {
        read_forces(t, options, &mut model.beams, problems, warnings);
    }
    if model.beams.is_empty() && problems.is_empty() {
        problems.general("no \"Element Forces - Beams\" table was found: export it with Story, Beam, Unique Name, Output Case, Case Type, Station, V2, T and M3");
    }
    let section_of = |key: &str, story_label: &str| {
        let name = assigned.get(key).or_else(|| assigned.get(story_label))?;
        sections.get(name).cloned()
    };
    for beam in &mut model.beams {
        beam.section = section_of(&beam.key, &beam.name());
    }
    let mut connected = HashMap::new();
    for t in of(Kind::BeamConnectivity) {
        read_connectivity(t, options, &mut connected, problems);
    }
    for beam in &mut model.beams {
        if let Some((points, length)) = connected.get(&beam.key) {
            beam.points = Some(points.clone());
            beam.length = *length;
        }
    }
    for t in of(Kind::Points) {
        read_points(t, options, &mut model.points, problems);
    }
    for t in of(Kind::ColumnConnectivity) {
        model.has_columns = true;
        let mut columns = HashMap::new();
        read_connectivity(t, options, &mut columns, problems);
        for (key, (points, _)) in columns {
            let section = section_of(&key, "");
            model.columns.push(Column { points, section });
        }
    }
    model
}

fn required(table: &Table, names: &[&str], what: &str, problems: &mut Problems) -> Option<usize> {
    let col = table.column(names);
    if col.is_none() {
        problems.at(
            table.whole(),
            format!("the table \"{}\" has no column {what}", table.title),
        );
    }
    col
}

struct ForceColumns {
    story: Option<usize>,
    beam: Option<usize>,
    unique: Option<usize>,
    case: usize,
    case_type: Option<usize>,
    step: Option<usize>,
    station: usize,
    v2: usize,
    t: Option<usize>,
    m3: usize,
}

fn force_columns(t: &Table, problems: &mut Problems) -> Option<ForceColumns> {
    let beam = t.column(&["beam", "label"]);
    let unique = t.column(&["uniquename"]);
    if beam.is_none() && unique.is_none() {
        problems.at(
            t.whole(),
            "the forces table has neither `Beam` nor `Unique Name`: one names the beam of each row",
        );
    }
    let case = required(
        t,
        &["outputcase", "loadcasecombo", "loadcase", "case"],
        "`Output Case`",
        problems,
    );
    let station = required(t, &["station"], "`Station`", problems);
    let v2 = required(t, &["v2"], "`V2`", problems);
    let m3 = required(t, &["m3"], "`M3`", problems);
    Some(ForceColumns {
        story: t.column(&["story"]),
        beam,
        unique,
        case: case?,
        case_type: t.column(&["casetype"]),
        step: t.column(&["steptype"]),
        station: station?,
        v2: v2?,
        t: t.column(&["t"]),
        m3: m3?,
    })
    .filter(|_| beam.is_some() || unique.is_some())
}

fn read_forces(
    t: &Table,
    options: &Options,
    beams: &mut Vec<BeamObject>,
    problems: &mut Problems,
    warnings: &mut Vec<String>,
) {
    let Some(c) = force_columns(t, problems) else {
        return;
    };
    if t.units.is_none() && options.units.is_none() {
        warnings.push(format!(
            "{}: no units line and no --units: read as kN and m (ETABS's metric default)",
            t.whole()
        ));
    }
    let units = options.units.unwrap_or((1.0, 1000.0));
    let fx = factor(t, c.station, Unit::Length(0.0), units, problems);
    let fv = factor(t, c.v2, Unit::Force(0.0), units, problems);
    let fm = factor(t, c.m3, Unit::Moment(0.0), units, problems);
    let ft = c.t.map_or(0.0, |col| {
        factor(t, col, Unit::Moment(0.0), units, problems)
    });
    let sign = options.sagging_sign(1.0);
    let mut index: HashMap<String, usize> = beams
        .iter()
        .enumerate()
        .map(|(i, b)| (b.key.clone(), i))
        .collect();
    let mut r = Reader { table: t, problems };
    for row in &t.rows {
        let story = c.story.map_or("", |s| r.text(row, s)).to_owned();
        let label = c.beam.map_or("", |s| r.text(row, s)).to_owned();
        let unique = c.unique.map(|s| r.text(row, s).to_owned());
        let key = unique
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("{story}/{label}"));
        let case = r.text(row, c.case).to_owned();
        if case.is_empty() {
            r.problems.at(
                t.at(row.line, c.case),
                "is empty; every row names its output case",
            );
            continue;
        }
        let step = c.step.map_or("", |s| r.text(row, s));
        let name = match step {
            "" => case,
            s if s.eq_ignore_ascii_case("max") || s.eq_ignore_ascii_case("min") => {
                format!("{case} {s}")
            }
            _ => case,
        };
        let combination = c
            .case_type
            .is_some_and(|ct| r.text(row, ct).to_ascii_lowercase().contains("comb"));
        let x = r.number(row, c.station, fx);
        let v = r.number(row, c.v2, fv);
        let m = r.number(row, c.m3, fm * sign);
        let tt = match c.t {
            Some(col) => r.number(row, col, ft),
            None => Some(0.0),
        };
        let (Some(x), Some(v), Some(m), Some(tt)) = (x, v, m, tt) else {
            continue;
        };
        let at = t.at(row.line, c.station);
        let i = *index.entry(key.clone()).or_insert_with(|| {
            beams.push(BeamObject {
                story,
                label: if label.is_empty() {
                    unique.clone().unwrap_or_default()
                } else {
                    label
                },
                key,
                length: None,
                points: None,
                section: None,
                cases: Vec::new(),
                at: at.clone(),
            });
            beams.len() - 1
        });
        let beam = &mut beams[i];
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
    if c.t.is_none() {
        warnings.push(format!(
            "{}: no `T` column: torsion taken as zero",
            t.whole()
        ));
    }
}

fn read_sections<'t>(
    tables: impl Iterator<Item = &'t Table>,
    options: &Options,
    problems: &mut Problems,
) -> HashMap<String, Section> {
    let mut sections = HashMap::new();
    let units = options.units.unwrap_or((1.0, 1000.0));
    for t in tables {
        let (Some(name), Some(depth), Some(width)) = (
            required(t, &["name"], "`Name`", problems),
            required(t, &["depth", "t3"], "`Depth`", problems),
            required(t, &["width", "t2"], "`Width`", problems),
        ) else {
            continue;
        };
        let material = t.column(&["material"]);
        let fd = factor(t, depth, Unit::Length(0.0), units, problems);
        let fw = factor(t, width, Unit::Length(0.0), units, problems);
        let mut r = Reader { table: t, problems };
        for row in &t.rows {
            let (Some(d), Some(w)) = (r.number(row, depth, fd), r.number(row, width, fw)) else {
                continue;
            };
            let fck = material.and_then(|m| grade(r.text(row, m)));
            let name = r.text(row, name).to_owned();
            sections.insert(
                name.clone(),
                Section {
                    name,
                    width: w,
                    depth: d,
                    fck,
                    fy: None,
                },
            );
        }
    }
    sections
}

/// Frame → section name, by unique name and by story/label.
fn read_assignments<'t>(
    tables: impl Iterator<Item = &'t Table>,
    problems: &mut Problems,
) -> HashMap<String, String> {
    let mut assigned = HashMap::new();
    for t in tables {
        let Some(section) = required(
            t,
            &["sectionproperty", "analysissection"],
            "`Section Property`",
            problems,
        ) else {
            continue;
        };
        let unique = t.column(&["uniquename"]);
        let story = t.column(&["story"]);
        let label = t.column(&["label", "beam"]);
        for row in &t.rows {
            let cell = |c: Option<usize>| {
                c.and_then(|c| row.cells.get(c))
                    .cloned()
                    .unwrap_or_default()
            };
            let name = cell(Some(section));
            if let Some(u) = unique.map(|_| cell(unique)).filter(|u| !u.is_empty()) {
                assigned.insert(u, name.clone());
            }
            if label.is_some() {
                assigned.insert(format!("{}/{}", cell(story), cell(label)), name);
            }
        }
    }
    assigned
}

type Connectivity = HashMap<String, ([String; 2], Option<f64>)>;

fn read_connectivity(
    t: &Table,
    options: &Options,
    into: &mut Connectivity,
    problems: &mut Problems,
) {
    let (Some(unique), Some(i), Some(j)) = (
        required(t, &["uniquename"], "`Unique Name`", problems),
        required(t, &["uniquepti"], "`UniquePtI`", problems),
        required(t, &["uniqueptj"], "`UniquePtJ`", problems),
    ) else {
        return;
    };
    let length = t.column(&["length"]);
    let units = options.units.unwrap_or((1.0, 1000.0));
    let fl = length.map_or(1.0, |c| factor(t, c, Unit::Length(0.0), units, problems));
    let mut r = Reader { table: t, problems };
    for row in &t.rows {
        let l = length.and_then(|c| r.number(row, c, fl));
        let key = r.text(row, unique).to_owned();
        into.insert(
            key,
            ([r.text(row, i).to_owned(), r.text(row, j).to_owned()], l),
        );
    }
}

fn read_points(
    t: &Table,
    options: &Options,
    into: &mut HashMap<String, [f64; 3]>,
    problems: &mut Problems,
) {
    let (Some(unique), Some(x), Some(y), Some(z)) = (
        required(t, &["uniquename"], "`Unique Name`", problems),
        required(t, &["x"], "`X`", problems),
        required(t, &["y"], "`Y`", problems),
        required(t, &["z"], "`Z`", problems),
    ) else {
        return;
    };
    let units = options.units.unwrap_or((1.0, 1000.0));
    let f = [x, y, z].map(|c| factor(t, c, Unit::Length(0.0), units, problems));
    let mut r = Reader { table: t, problems };
    for row in &t.rows {
        if let (Some(px), Some(py), Some(pz)) = (
            r.number(row, x, f[0]),
            r.number(row, y, f[1]),
            r.number(row, z, f[2]),
        ) {
            into.insert(r.text(row, unique).to_owned(), [px, py, pz]);
        }
    }
}

//! What every reader makes of its tables: beam objects with their load cases at stations, the points
//! and columns around them, and the sections. Lengths are mm, forces kN, moments kN·m, moments
//! sagging positive.

use std::collections::HashMap;

use is456::member::combinations::CaseKind;

use crate::error::{Location, Problems};
use crate::table::{Row, Table};
use crate::units::Unit;

/// The actions at one station of one case.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Actions {
    pub m: f64,
    pub v: f64,
    pub t: f64,
}

#[derive(Debug, Clone)]
pub struct Station {
    /// mm from the object's I end.
    pub x: f64,
    pub actions: Actions,
    pub at: Location,
}

/// One output case of one beam object.
#[derive(Debug, Clone)]
pub struct CaseRows {
    pub name: String,
    /// Exported already factored (an ETABS combination, a STAAD combination load case).
    pub combination: bool,
    pub stations: Vec<Station>,
}

/// A rectangular section, mm and N/mm².
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub name: String,
    pub width: f64,
    pub depth: f64,
    pub fck: Option<f64>,
    pub fy: Option<f64>,
}

/// One beam object of the analysis model.
#[derive(Debug, Clone)]
pub struct BeamObject {
    pub story: String,
    pub label: String,
    /// The unique name (ETABS), or story/label.
    pub key: String,
    /// mm, from connectivity, else the last station.
    pub length: Option<f64>,
    /// Its end points' names, I then J.
    pub points: Option<[String; 2]>,
    pub section: Option<Section>,
    pub cases: Vec<CaseRows>,
    /// Its first force row.
    pub at: Location,
}

impl BeamObject {
    /// The beam's name in messages and member ids: `Story1/B12`.
    pub fn name(&self) -> String {
        if self.story.is_empty() {
            self.label.clone()
        } else {
            format!("{}/{}", self.story, self.label)
        }
    }

    /// Adds a station to output case `name`, the case made when it is new.
    pub fn add_station(&mut self, name: String, combination: bool, station: Station) {
        match self.cases.iter_mut().find(|c| c.name == name) {
            Some(case) => case.stations.push(station),
            None => self.cases.push(CaseRows {
                name,
                combination,
                stations: vec![station],
            }),
        }
    }

    /// The stations shared by its cases, mm.
    pub fn xs(&self) -> Vec<f64> {
        self.cases
            .first()
            .map(|c| c.stations.iter().map(|s| s.x).collect())
            .unwrap_or_default()
    }
}

/// A column: its end points and section.
#[derive(Debug, Clone)]
pub struct Column {
    pub points: [String; 2],
    pub section: Option<Section>,
}

/// Everything an export says about the beams.
#[derive(Debug, Default)]
pub struct Model {
    pub beams: Vec<BeamObject>,
    /// Point name → (x, y, z), mm.
    pub points: HashMap<String, [f64; 3]>,
    pub columns: Vec<Column>,
    /// True when the export had a column table: points without a column are then not supports.
    pub has_columns: bool,
    /// Support widths given per beam (the plain CSV's `support_width`), mm.
    pub support_widths: HashMap<String, f64>,
    /// The format can join beam objects into lines (it has connectivity tables).
    pub joinable: bool,
}

/// Reads one number cell, converting it with the column's unit; a problem is recorded where it is.
pub struct Reader<'a> {
    pub table: &'a Table,
    pub problems: &'a mut Problems,
}

impl Reader<'_> {
    /// The text of cell `col`, empty when the row is short.
    pub fn text<'r>(&self, row: &'r Row, col: usize) -> &'r str {
        row.cells.get(col).map_or("", String::as_str)
    }

    /// A finite number in cell `col`, times `factor`.
    pub fn number(&mut self, row: &Row, col: usize, factor: f64) -> Option<f64> {
        let text = self.text(row, col);
        match text.replace(',', "").parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v * factor),
            _ if text.is_empty() => {
                self.problems.at(
                    self.table.at(row.line, col),
                    "is empty; a number is needed here",
                );
                None
            }
            _ => {
                self.problems.at(
                    self.table.at(row.line, col),
                    format!("`{text}` is not a number"),
                );
                None
            }
        }
    }
}

/// The factor of column `col` to mm (`Length`), kN (`Force`) or kN·m (`Moment`), from the export's
/// units, else from the fallback units (force, length); a unit of the wrong kind is a problem.
pub fn factor(
    table: &Table,
    col: usize,
    want: Unit,
    fallback: (f64, f64),
    problems: &mut Problems,
) -> f64 {
    let (force, length) = fallback;
    let default = match want {
        Unit::Length(_) => length,
        Unit::Force(_) => force,
        Unit::Moment(_) => force * length / 1000.0,
    };
    match (table.unit(col), want) {
        (None, _) => default,
        (Some(Unit::Length(f)), Unit::Length(_))
        | (Some(Unit::Force(f)), Unit::Force(_))
        | (Some(Unit::Moment(f)), Unit::Moment(_)) => f,
        (Some(got), _) => {
            let kind = |u: Unit| match u {
                Unit::Length(_) => "a length",
                Unit::Force(_) => "a force",
                Unit::Moment(_) => "a moment",
            };
            problems.at(
                table.at(table.header_line, col),
                format!("has the unit of {}, but holds {}", kind(got), kind(want)),
            );
            default
        }
    }
}

/// The kind of a load case from its name, after any leading case number (`1 DL`, `3 EQ X`).
pub fn case_kind(name: &str) -> Option<CaseKind> {
    let t = name.trim();
    let bare = match t.split_once(char::is_whitespace) {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest.trim(),
        _ => t,
    };
    CaseKind::from_name(bare)
}

/// The grade of concrete in a material's name (`M25`, `M 30`, `C25/30` → 25), if it says.
pub fn grade(material: &str) -> Option<f64> {
    let t = material.trim().to_ascii_uppercase();
    let digits: String = t
        .strip_prefix('M')
        .or_else(|| t.strip_prefix('C'))?
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|g| (15.0..=100.0).contains(g))
}

#[cfg(test)]
mod tests {
    use super::grade;

    #[test]
    fn grades_from_material_names() {
        assert_eq!(grade("M25"), Some(25.0));
        assert_eq!(grade("M 30"), Some(30.0));
        assert_eq!(grade("C25/30"), Some(25.0));
        assert_eq!(grade("4000Psi"), None);
        assert_eq!(grade("Fe500"), None);
    }
}

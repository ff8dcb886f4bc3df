//! Members from analysis programs (docs/import.md): ETABS tables, STAAD.Pro's Beam Force Detail and
//! Beamline's plain CSV, from CSV or XLSX, in the export's units. Beam objects are joined into beam
//! lines, every line becomes a member of docs/members.md, and identical beams are grouped into
//! typical beams, each designed once. Pure: bytes in, members out.

pub mod error;
mod etabs;
mod group;
mod lines;
mod members;
mod model;
mod plain;
mod sections;
mod staad;
mod table;
mod units;

use serde::Serialize;
use serde_json::Value;

pub use error::{ImportError, Location, Problem};
pub use table::File;
pub use units::Unit;

use error::Problems;

/// Where the forces come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Etabs,
    Staad,
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "etabs" => Some(Format::Etabs),
            "staad" | "staad.pro" => Some(Format::Staad),
            "csv" | "plain" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Which output cases a member is designed for (docs/import.md, "Output cases and combinations").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseMode {
    /// The export's combinations when it has any, else its load cases under IS 456.
    #[default]
    Auto,
    /// The export's combinations, each as it is (factor 1).
    Export,
    /// The export's load cases under the IS 456 combinations (Table 18).
    Is456,
}

impl CaseMode {
    pub fn parse(s: &str) -> Option<CaseMode> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Some(CaseMode::Auto),
            "export" => Some(CaseMode::Export),
            "is456" => Some(CaseMode::Is456),
            _ => None,
        }
    }
}

/// How the import reads and what it assumes where the export is silent.
#[derive(Debug, Clone)]
pub struct Options {
    /// (force factor to kN, length factor to mm) where the export has no units line.
    pub units: Option<(f64, f64)>,
    /// +1: the export's moments are sagging positive; −1: hogging positive; `None`: the format's
    /// convention (ETABS M3 sagging positive, STAAD Mz hogging positive).
    pub moment_sign: Option<f64>,
    /// Width of the supports where the export gives no columns, mm.
    pub support_width: f64,
    pub combinations: CaseMode,
    /// Envelopes within this fraction make typical beams; `None`: no grouping.
    pub group_tolerance: Option<f64>,
    /// Section for beams the export gives none, mm (width, depth).
    pub section: Option<(f64, f64)>,
    /// Materials where the section does not say, N/mm².
    pub fck: f64,
    pub fy: f64,
    pub ductile: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            units: None,
            moment_sign: None,
            support_width: 0.0,
            combinations: CaseMode::Auto,
            group_tolerance: Some(0.10),
            section: None,
            fck: 25.0,
            fy: 500.0,
            ductile: false,
        }
    }
}

/// An option out of its range: the option's name (as the HTTP query spells it) and what it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionError {
    pub option: &'static str,
    pub message: String,
}

impl Options {
    /// The options, if every number is in its range (docs/import.md, "Options"); the CLI and the
    /// HTTP route both come through here.
    pub fn checked(self) -> Result<Options, OptionError> {
        let within = |option: &'static str, value: f64, lo: f64, hi: f64, unit: &str| {
            if (lo..=hi).contains(&value) {
                Ok(())
            } else {
                Err(OptionError {
                    option,
                    message: format!("takes {lo} to {hi}{unit}, got {value}"),
                })
            }
        };
        within("support_width", self.support_width, 0.0, 3000.0, " mm")?;
        if let Some(t) = self.group_tolerance {
            within("group_tolerance", t, 0.0, 0.5, "")?;
        }
        if let Some((width, depth)) = self.section {
            within("width", width, 100.0, 3000.0, " mm")?;
            within("depth", depth, 100.0, 6000.0, " mm")?;
        }
        within("fck", self.fck, 15.0, 100.0, " N/mm²")?;
        within("fy", self.fy, 250.0, 600.0, " N/mm²")?;
        Ok(self)
    }

    /// The factor that makes the export's moments sagging positive.
    pub(crate) fn sagging_sign(&self, format_default: f64) -> f64 {
        self.moment_sign.unwrap_or(format_default)
    }
}

/// A group of typical beams: the member designed, and every beam it stands for (itself first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: String,
    pub members: Vec<String>,
}

/// What an import gives: members ready to design (one per group), the groups, and warnings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported {
    pub members: Vec<Value>,
    pub groups: Vec<Group>,
    pub warnings: Vec<String>,
}

/// Reads the files of one export: for ETABS the forces and, in the same or other files, the
/// connectivity and section tables; for STAAD the forces, then a sections file; for the plain CSV
/// one or more files of rows.
pub fn import(
    format: Format,
    files: &[File<'_>],
    options: &Options,
) -> Result<Imported, ImportError> {
    let mut problems = Problems::default();
    let mut warnings = Vec::new();
    let tables: Vec<Vec<table::Table>> = files
        .iter()
        .map(|f| table::read(*f, &mut problems))
        .collect();
    let model = match format {
        Format::Etabs => etabs::read(&tables.concat(), options, &mut problems, &mut warnings),
        Format::Staad => {
            let sections = sections::Sections::read(
                tables.get(1..).unwrap_or_default().concat().as_slice(),
                &mut problems,
            );
            staad::read(
                tables.first().map_or(&[][..], Vec::as_slice),
                &sections,
                options,
                &mut problems,
            )
        }
        Format::Csv => plain::read(&tables.concat(), &mut problems),
    };
    if !problems.is_empty() {
        return problems.finish(Imported {
            members: Vec::new(),
            groups: Vec::new(),
            warnings,
        });
    }
    let lines = lines::assemble(&model, options, &mut problems, &mut warnings);
    let mut candidates = Vec::with_capacity(lines.len());
    for line in &lines {
        let Some(json) = members::member(line, options, &mut problems, &mut warnings) else {
            continue;
        };
        match is456::Member::from_json(&json) {
            Ok(member) => candidates.push(group::Candidate::new(json, member)),
            Err(invalid) => {
                for e in invalid.errors {
                    problems.at(
                        line.at.clone(),
                        format!("member {}: {}: {}", line.id, e.field, e.message),
                    );
                }
            }
        }
    }
    let groups = group::group(&candidates, options.group_tolerance);
    let mut out = Imported {
        members: Vec::new(),
        groups: Vec::new(),
        warnings,
    };
    for g in groups {
        let ids: Vec<String> = g
            .iter()
            .map(|&i| candidates[i].member.id.clone().unwrap_or_default())
            .collect();
        let mut json = std::mem::take(&mut candidates[g[0]].json);
        if ids.len() > 1 {
            json["typical"] = Value::from(ids[1..].to_vec());
        }
        out.members.push(json);
        out.groups.push(Group {
            id: ids[0].clone(),
            members: ids,
        });
    }
    problems.finish(out)
}

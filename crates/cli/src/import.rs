//! `beamline import etabs|staad|csv FILE…`: members from an analysis program's force tables
//! (docs/import.md), printed as a JSON array of members (docs/members.md) or written with `-o`.
//! Warnings and the groups of typical beams go to standard error.
//!
//! Exit codes: 0 when imported, 2 when a table cannot be read (every problem is listed with its file,
//! line and column).

use std::path::PathBuf;
use std::process::ExitCode;

use beamline_import::{CaseMode, File, Format, Options, Unit};
use clap::{Args, ValueEnum};

use crate::exit::EXIT_INVALID;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Source {
    /// ETABS tables (Element Forces - Beams; connectivity and sections in the same or other files).
    Etabs,
    /// STAAD.Pro's Beam Force Detail table.
    Staad,
    /// Beamline's plain CSV: story, beam, span_m, station_m, case, M, V, T, width, depth.
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Sign {
    /// The export's moments are positive sagging (bottom in tension).
    Sagging,
    /// The export's moments are positive hogging (top in tension).
    Hogging,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Where the forces come from.
    #[arg(value_enum)]
    pub source: Source,
    /// The forces: CSV or XLSX. For ETABS the file may hold every table (a workbook's sheets, or
    /// tables one under another under their `TABLE:` titles).
    pub file: PathBuf,
    /// ETABS: the section tables; STAAD: a CSV of beam, width, depth (mm), fck, fy.
    #[arg(long, value_name = "FILE")]
    pub sections: Option<PathBuf>,
    /// ETABS: the connectivity tables (beam, point and column object connectivity).
    #[arg(long, value_name = "FILE")]
    pub connectivity: Option<PathBuf>,
    /// Units where the export has no units line: force,length, e.g. `kN,m` or `tonf,m`.
    #[arg(long, value_name = "FORCE,LENGTH")]
    pub units: Option<String>,
    /// The sign of the export's moments (ETABS M3: sagging; STAAD Mz: hogging).
    #[arg(long, value_enum)]
    pub moment_sign: Option<Sign>,
    /// Which output cases to design for: auto (the export's combinations when it has any, else its
    /// load cases under IS 456), export, or is456.
    #[arg(long, default_value = "auto", value_name = "auto|export|is456")]
    pub combinations: String,
    /// Width of the supports when the export gives no columns, mm.
    #[arg(long, default_value_t = 0.0, value_name = "MM")]
    pub support_width: f64,
    /// Envelopes within this fraction make typical beams, designed once.
    #[arg(long, default_value_t = 0.10, value_name = "FRACTION")]
    pub group_tolerance: f64,
    /// Every beam designed on its own (no typical beams).
    #[arg(long)]
    pub no_group: bool,
    /// Section for beams without one in the export, mm.
    #[arg(long, requires = "depth")]
    pub width: Option<f64>,
    #[arg(long, requires = "width")]
    pub depth: Option<f64>,
    /// Concrete and steel where the export does not say, N/mm².
    #[arg(long, default_value_t = 25.0)]
    pub fck: f64,
    #[arg(long, default_value_t = 500.0)]
    pub fy: f64,
    /// IS 13920 ductile detailing for every member.
    #[arg(long)]
    pub ductile: bool,
    /// Write the members here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

fn options(args: &ImportArgs) -> Result<Options, String> {
    let units = match &args.units {
        Some(u) => Some(Unit::pair(u).ok_or_else(|| {
            format!("--units takes force,length such as kN,m or tonf,m, got {u:?}")
        })?),
        None => None,
    };
    let combinations = CaseMode::parse(&args.combinations).ok_or_else(|| {
        format!(
            "--combinations takes auto, export or is456, got {:?}",
            args.combinations
        )
    })?;
    Options {
        units,
        moment_sign: args.moment_sign.map(|s| match s {
            Sign::Sagging => 1.0,
            Sign::Hogging => -1.0,
        }),
        support_width: args.support_width,
        combinations,
        group_tolerance: (!args.no_group).then_some(args.group_tolerance),
        section: args.width.zip(args.depth),
        fck: args.fck,
        fy: args.fy,
        ductile: args.ductile,
    }
    .checked()
    .map_err(|e| format!("--{} {}", e.option.replace('_', "-"), e.message))
}

pub fn run(args: ImportArgs) -> ExitCode {
    let options = match options(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let paths: Vec<&PathBuf> = std::iter::once(&args.file)
        .chain(&args.sections)
        .chain(&args.connectivity)
        .collect();
    let mut contents = Vec::with_capacity(paths.len());
    for path in &paths {
        match std::fs::read(path) {
            Ok(bytes) => contents.push((path.display().to_string(), bytes)),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return ExitCode::from(EXIT_INVALID);
            }
        }
    }
    let files: Vec<File<'_>> = contents
        .iter()
        .map(|(name, bytes)| File { name, bytes })
        .collect();
    let format = match args.source {
        Source::Etabs => Format::Etabs,
        Source::Staad => Format::Staad,
        Source::Csv => Format::Csv,
    };
    let imported = match beamline_import::import(format, &files, &options) {
        Ok(i) => i,
        Err(e) => {
            eprintln!(
                "error: the tables could not be read ({} problems):",
                e.problems.len()
            );
            for p in &e.problems {
                eprintln!("  {p}");
            }
            return ExitCode::from(EXIT_INVALID);
        }
    };
    for w in &imported.warnings {
        eprintln!("warning: {w}");
    }
    for g in imported.groups.iter().filter(|g| g.members.len() > 1) {
        eprintln!("typical: {} designed for {}", g.id, g.members.join(", "));
    }
    let text = match serde_json::to_string_pretty(&imported.members) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    crate::write_output(
        args.output.as_ref(),
        text.as_bytes(),
        &format!("{} members", imported.members.len()),
    )
}

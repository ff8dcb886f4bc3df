//! `beamline design`: one beam from flags, a JSON file or standard input.
//!
//! Exit codes: 0 when the design succeeds, 1 when a check fails, 2 when the input is invalid.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use is456::{Beam, Status};
use serde_json::{Map, Value};

use crate::exit::{EXIT_FAIL, EXIT_INVALID};

#[derive(Args, Debug)]
pub struct DesignArgs {
    /// A JSON file holding the beam (docs/api.md names or aliases); `-` reads standard input. Flags given
    /// as well override the file's values.
    pub file: Option<PathBuf>,
    /// Print the exact result object as JSON instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Design a member along its spans from this JSON file (docs/members.md); `-` reads standard input.
    #[arg(long, value_name = "FILE", conflicts_with = "file")]
    pub member: Option<PathBuf>,
    /// With --member: print the bar bending schedule as CSV.
    #[arg(long, requires = "member")]
    pub bbs: bool,
    #[command(flatten)]
    pub beam: BeamFlags,
}

/// Every field of the beam as a flag, in the units of the API.
#[derive(Args, Debug, Default)]
pub struct BeamFlags {
    /// Beam identifier.
    #[arg(long)]
    pub id: Option<String>,
    /// Width b, mm.
    #[arg(long, short = 'b', allow_negative_numbers = true)]
    pub width: Option<f64>,
    /// Overall depth D, mm.
    #[arg(long, short = 'D', allow_negative_numbers = true)]
    pub depth: Option<f64>,
    /// Factored moment, kN·m.
    #[arg(
        long = "Mu",
        visible_alias = "mu",
        visible_alias = "moment",
        allow_negative_numbers = true
    )]
    pub mu: Option<f64>,
    /// Factored shear, kN.
    #[arg(
        long = "Vu",
        visible_alias = "vu",
        visible_alias = "shear",
        allow_negative_numbers = true
    )]
    pub vu: Option<f64>,
    /// Factored torsion, kN·m.
    #[arg(
        long = "Tu",
        visible_alias = "tu",
        visible_alias = "torsion",
        allow_negative_numbers = true
    )]
    pub tu: Option<f64>,
    /// Concrete grade fck, N/mm² (default 25).
    #[arg(long, allow_negative_numbers = true)]
    pub fck: Option<f64>,
    /// Main bar grade fy, N/mm² (default 500).
    #[arg(long, allow_negative_numbers = true)]
    pub fy: Option<f64>,
    /// Stirrup grade, N/mm² (default: fy).
    #[arg(long, allow_negative_numbers = true)]
    pub fy_stirrup: Option<f64>,
    /// Clear cover to the stirrups, mm (default 30).
    #[arg(long, allow_negative_numbers = true)]
    pub cover: Option<f64>,
    /// Effective depth d, mm (default: derived from the bars chosen).
    #[arg(long, visible_alias = "d", allow_negative_numbers = true)]
    pub effective_depth: Option<f64>,
    /// Effective span, mm: enables the deflection check.
    #[arg(long, visible_alias = "span", allow_negative_numbers = true)]
    pub length: Option<f64>,
    /// simply_supported | continuous | cantilever.
    #[arg(long)]
    pub support: Option<String>,
    /// Stirrup diameter, mm (default: chosen, from 8).
    #[arg(long, allow_negative_numbers = true)]
    pub stirrup_dia: Option<f64>,
    /// Preferred main bar diameter, mm.
    #[arg(long, allow_negative_numbers = true)]
    pub main_bar_dia: Option<f64>,
    /// Nominal maximum aggregate size, mm (default 20).
    #[arg(long, allow_negative_numbers = true)]
    pub aggregate: Option<f64>,
    /// mild | moderate | severe | very_severe | extreme (default moderate): minimum cover and grade.
    #[arg(long)]
    pub exposure: Option<String>,
    /// Fire resistance, hours (0.5–4): minimum cover and width.
    #[arg(long, allow_negative_numbers = true)]
    pub fire_rating: Option<f64>,
    /// Clear distance between lateral restraints, mm (default: the span).
    #[arg(long, allow_negative_numbers = true)]
    pub lateral_restraint_spacing: Option<f64>,
    /// Accept a grade below the minimum for the exposure (a warning instead of a failure).
    #[arg(long)]
    pub allow_low_grade: bool,
    /// rectangular | T | L (default rectangular).
    #[arg(long)]
    pub section: Option<String>,
    /// Flange width bf of a T or L section, mm (default: from the span, Cl 23.1.2).
    #[arg(long, visible_alias = "bf", allow_negative_numbers = true)]
    pub flange_width: Option<f64>,
    /// Flange thickness Df of a T or L section, mm.
    #[arg(long, visible_alias = "Df", allow_negative_numbers = true)]
    pub flange_thickness: Option<f64>,
    /// Clear distance to the next beam, mm (limits the flange width).
    #[arg(long, allow_negative_numbers = true)]
    pub web_spacing: Option<f64>,
    /// An isolated T or L beam: --flange-width is its actual flange (Cl 23.1.2 c).
    #[arg(long)]
    pub isolated_flange: bool,
    /// Service moment for crack width and deflection, kN·m (default |Mu|/1.5, flagged as assumed).
    #[arg(
        long = "Ms",
        visible_alias = "ms",
        visible_alias = "service-moment",
        allow_negative_numbers = true
    )]
    pub ms: Option<f64>,
    /// Share of the service load that is permanent, 0–1 (default 0.6; creep, Annex C).
    #[arg(long, allow_negative_numbers = true)]
    pub permanent_fraction: Option<f64>,
    /// Distance of a concentrated load from the support face, mm (enhanced shear, Cl 40.5).
    #[arg(long, allow_negative_numbers = true)]
    pub av: Option<f64>,
}

impl BeamFlags {
    /// The flags that were given, under their canonical names.
    fn into_map(self) -> Map<String, Value> {
        let mut map = Map::new();
        let numbers = [
            ("width", self.width),
            ("depth", self.depth),
            ("Mu", self.mu),
            ("Vu", self.vu),
            ("Tu", self.tu),
            ("fck", self.fck),
            ("fy", self.fy),
            ("fy_stirrup", self.fy_stirrup),
            ("cover", self.cover),
            ("effective_depth", self.effective_depth),
            ("length", self.length),
            ("stirrup_dia", self.stirrup_dia),
            ("main_bar_dia", self.main_bar_dia),
            ("aggregate", self.aggregate),
            ("fire_rating", self.fire_rating),
            ("lateral_restraint_spacing", self.lateral_restraint_spacing),
            ("flange_width", self.flange_width),
            ("flange_thickness", self.flange_thickness),
            ("web_spacing", self.web_spacing),
            ("Ms", self.ms),
            ("permanent_fraction", self.permanent_fraction),
            ("av", self.av),
        ];
        for (name, value) in numbers {
            if let Some(x) = value {
                map.insert(name.to_owned(), Value::from(x));
            }
        }
        if let Some(id) = self.id {
            map.insert("id".into(), Value::from(id));
        }
        if let Some(support) = self.support {
            map.insert("support".into(), Value::from(support));
        }
        if let Some(exposure) = self.exposure {
            map.insert("exposure".into(), Value::from(exposure));
        }
        if self.allow_low_grade {
            map.insert("allow_low_grade".into(), Value::from(true));
        }
        if let Some(section) = self.section {
            map.insert("section".into(), Value::from(section));
        }
        if self.isolated_flange {
            map.insert("isolated_flange".into(), Value::from(true));
        }
        map
    }
}

/// Reads the beam's JSON: the file, `-` or piped standard input, or nothing.
fn read_source(file: Option<&PathBuf>) -> Result<Option<Value>, String> {
    let text = match file {
        Some(path) if path.as_os_str() == "-" => Some(read_stdin()?),
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        ),
        None if !std::io::stdin().is_terminal() => {
            let text = read_stdin()?;
            (!text.trim().is_empty()).then_some(text)
        }
        None => None,
    };
    text.map(|t| {
        beamline_server::json::parse_strict(t.as_bytes()).map_err(|e| match e {
            beamline_server::json::JsonError::Syntax(e) => {
                format!("the beam is not valid JSON: {e}")
            }
            beamline_server::json::JsonError::Duplicate { key } => {
                format!("`{key}` is given twice in one object; give each key once")
            }
        })
    })
    .transpose()
}

fn read_stdin() -> Result<String, String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    Ok(text)
}

/// Merges the JSON source (if any) with the flags (which win), canonicalising names so that a flag
/// replaces the same field given under an alias in the file.
fn merge(source: Option<Value>, flags: Map<String, Value>) -> Result<Value, String> {
    let map = match source {
        None => Map::new(),
        Some(Value::Object(map)) => map,
        Some(_) => return Err("the beam must be a JSON object".into()),
    };
    let map = is456::input::merge_fields(map, &flags)
        .map_err(|e| is456::FieldError::summary(&e.errors))?;
    if map.is_empty() {
        return Err(
            "no beam given: pass flags (--width 300 --depth 450 --Mu 150), a JSON file, or JSON on \
             standard input"
                .into(),
        );
    }
    Ok(Value::Object(map))
}

/// The beam of a file (or standard input) and flags, as given and as parsed; every problem on
/// standard error and exit code 2.
pub fn load_beam(file: Option<&PathBuf>, flags: BeamFlags) -> Result<(Value, Beam), ExitCode> {
    let value = read_source(file).and_then(|source| merge(source, flags.into_map()));
    let value = match value {
        Ok(v) => v,
        Err(message) => {
            eprintln!("error: {message}");
            return Err(ExitCode::from(EXIT_INVALID));
        }
    };
    match Beam::from_json(&value) {
        Ok(beam) => Ok((value, beam)),
        Err(invalid) => {
            eprintln!("error: invalid beam");
            for e in &invalid.errors {
                eprintln!("  {}: {}", e.field, e.message);
            }
            Err(ExitCode::from(EXIT_INVALID))
        }
    }
}

pub fn run(args: DesignArgs) -> ExitCode {
    if let Some(path) = &args.member {
        return crate::member::run(path, args.json, args.bbs);
    }
    let beam = match load_beam(args.file.as_ref(), args.beam) {
        Ok((_, beam)) => beam,
        Err(code) => return code,
    };
    let result = is456::design(&beam);
    if args.json {
        match serde_json::to_string_pretty(&result) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{}", crate::summary::render(&beam, &result));
    }
    match result.status {
        Status::Success => ExitCode::SUCCESS,
        Status::Fail => ExitCode::from(EXIT_FAIL),
    }
}

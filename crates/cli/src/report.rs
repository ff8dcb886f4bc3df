//! `beamline report`: the calculation report of one beam, as HTML or PDF (docs/report.md).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::design::{load_beam, BeamFlags};

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A JSON file holding the beam; `-` reads standard input. Flags given as well override it.
    pub file: Option<PathBuf>,
    /// Where to write the report: `.pdf` or `.html` (the format follows the extension). Without it,
    /// the report goes to standard output in --format.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// html or pdf, for standard output.
    #[arg(long, default_value = "html")]
    pub format: String,
    /// The project named in the title block.
    #[arg(long)]
    pub project: Option<String>,
    #[command(flatten)]
    pub beam: BeamFlags,
}

fn format_of(args: &ReportArgs) -> Result<bool, String> {
    let from_extension = args.output.as_ref().map(|path| {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("pdf") => Ok(true),
            Some("html" | "htm") => Ok(false),
            _ => Err(format!(
                "{}: the report is written as .pdf or .html; give one of those extensions",
                path.display()
            )),
        }
    });
    match from_extension {
        Some(pdf) => pdf,
        None => match args.format.as_str() {
            "pdf" => Ok(true),
            "html" => Ok(false),
            other => Err(format!("--format must be html or pdf, got {other:?}")),
        },
    }
}

pub fn run(args: ReportArgs) -> ExitCode {
    let pdf = match format_of(&args) {
        Ok(pdf) => pdf,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let (given_json, beam) = match load_beam(args.file.as_ref(), args.beam) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let given: Vec<String> = given_json
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys())
        .filter_map(|k| is456::input::canonical_name(k).map(str::to_owned))
        .collect();
    let result = is456::design(&beam);
    let date: String = beamline_server::clock::now_rfc3339()
        .chars()
        .take(10)
        .collect();
    let input = beamline_report::ReportInput::new(&beam, &result, &date)
        .project(args.project.as_deref())
        .given(&given);
    let bytes = if pdf {
        match beamline_report::pdf(&input) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        beamline_report::html(&input).into_bytes()
    };
    let written = match &args.output {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| format!("cannot write the report: {e}")),
    };
    if let Err(message) = written {
        eprintln!("error: {message}");
        return ExitCode::FAILURE;
    }
    if let Some(path) = &args.output {
        let status = if result.status == is456::Status::Success {
            "SUCCESS"
        } else {
            "FAIL"
        };
        eprintln!(
            "{} written ({status}, governed by {})",
            path.display(),
            result.governing_check
        );
    }
    ExitCode::SUCCESS
}

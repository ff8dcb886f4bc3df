//! `beamline report`: the calculation report of one beam, as HTML or PDF (docs/report.md).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::design::{load_beam, BeamFlags};
use crate::exit::EXIT_INVALID;

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
    /// The report of a member along its spans from this JSON file (docs/members.md) instead of a beam.
    #[arg(long, value_name = "FILE", conflicts_with = "file")]
    pub member: Option<PathBuf>,
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
            return ExitCode::from(EXIT_INVALID);
        }
    };
    if let Some(path) = &args.member {
        return member_report(path, pdf, &args);
    }
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
    let date = today();
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
    write_out(
        args.output.as_ref(),
        &bytes,
        result.status,
        result.governing_check,
    )
}

fn today() -> String {
    beamline_server::clock::now_rfc3339()
        .chars()
        .take(10)
        .collect()
}

/// The report of a member (docs/report.md, "Members").
fn member_report(path: &std::path::Path, pdf: bool, args: &ReportArgs) -> ExitCode {
    let value = match crate::member::read(path) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let member = match is456::Member::from_json(&value) {
        Ok(m) => m,
        Err(invalid) => {
            eprintln!("error: invalid member");
            for e in &invalid.errors {
                eprintln!("  {}: {}", e.field, e.message);
            }
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let result = is456::design_member(&member);
    let date = today();
    let input = beamline_report::MemberReportInput::new(&value, &result, &date)
        .project(args.project.as_deref());
    let bytes = if pdf {
        match beamline_report::member_pdf(&input) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        beamline_report::member_html(&input).into_bytes()
    };
    write_out(
        args.output.as_ref(),
        &bytes,
        result.status,
        result.governing_check,
    )
}

/// Writes the report to its file (saying so on stderr) or to standard output.
fn write_out(
    output: Option<&PathBuf>,
    bytes: &[u8],
    status: is456::Status,
    governing: &str,
) -> ExitCode {
    let written = match output {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => std::io::stdout()
            .write_all(bytes)
            .map_err(|e| format!("cannot write the report: {e}")),
    };
    if let Err(message) = written {
        eprintln!("error: {message}");
        return ExitCode::FAILURE;
    }
    if let Some(path) = output {
        let status = if status == is456::Status::Success {
            "SUCCESS"
        } else {
            "FAIL"
        };
        eprintln!(
            "{} written ({status}, governed by {governing})",
            path.display()
        );
    }
    ExitCode::SUCCESS
}

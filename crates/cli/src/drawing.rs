//! `beamline drawing FILE -o B12.dxf`: the DXF drawing of a beam, a member, or every member of a list
//! (what `beamline import` writes), with the beam schedule (docs/drawings.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::exit::EXIT_INVALID;

#[derive(Args, Debug)]
pub struct DrawingArgs {
    /// A JSON file: a beam, a member (it has `spans`), or an array of members (`{"members": […]}`
    /// too); `-` reads standard input.
    pub file: PathBuf,
    /// Where to write the DXF; standard output without it.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(args: DrawingArgs) -> ExitCode {
    let value = match crate::member::read(&args.file) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    match beamline_drawing::from_json(&value) {
        Ok(sheet) => {
            let what = match sheet.count {
                1 => format!("drawing of {}", sheet.name),
                n => format!("drawing of {n} members"),
            };
            crate::write_output(args.output.as_ref(), sheet.dxf.as_bytes(), &what)
        }
        Err(errors) => {
            eprintln!("error: invalid input");
            for e in errors {
                eprintln!("  {}: {}", e.field, e.message);
            }
            ExitCode::from(EXIT_INVALID)
        }
    }
}

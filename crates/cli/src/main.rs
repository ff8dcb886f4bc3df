//! `beamline`: design reinforced-concrete beams to IS 456:2000.

mod design;
mod summary;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "beamline",
    version,
    about = "Reinforced-concrete beam design to IS 456:2000"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Design one beam, given as flags, a JSON file, or JSON on standard input.
    Design(design::DesignArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Design(args) => design::run(args),
    }
}

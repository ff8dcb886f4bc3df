//! `beamline`: design reinforced-concrete beams to IS 456:2000.

mod batch;
mod design;
mod drawing;
mod exit;
mod import;
mod member;
mod report;
mod serve;
mod summary;
mod token;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A faster allocator than the system one for the server's many short-lived buffers.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    Design(Box<design::DesignArgs>),
    /// Design a CSV or JSON file of beams, locally or as a job on a server (--server).
    Batch(batch::BatchArgs),
    /// Write the calculation report of one beam: `beamline report beam.json -o calc.pdf`.
    Report(Box<report::ReportArgs>),
    /// Members from ETABS, STAAD.Pro or a plain CSV of forces: `beamline import etabs forces.xlsx`.
    Import(Box<import::ImportArgs>),
    /// The DXF drawing of a beam, a member or a list of members: `beamline drawing B12.json -o B12.dxf`.
    Drawing(drawing::DrawingArgs),
    /// Run the HTTP service (REST API, docs, live design page).
    Serve(serve::ServeArgs),
    /// Print a token signed with the configured secret (BEAMLINE_JWT_SECRET).
    Token(token::TokenArgs),
    /// Manage the users of the password grant.
    #[command(subcommand)]
    User(token::UserCommand),
    /// Print the documented default configuration file.
    Config,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Design(args) => design::run(*args),
        Command::Report(args) => report::run(*args),
        Command::Import(args) => import::run(*args),
        Command::Drawing(args) => drawing::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Token(args) => token::run_token(args),
        Command::User(command) => token::run_user(command),
        Command::Config => {
            print!("{}", beamline_server::config::DEFAULT_CONFIG_FILE);
            ExitCode::SUCCESS
        }
    }
}

/// Writes a command's output to its file (saying what on standard error) or to standard output.
fn write_output(path: Option<&std::path::PathBuf>, bytes: &[u8], what: &str) -> ExitCode {
    use std::io::Write;
    let written = match path {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => std::io::stdout()
            .write_all(bytes)
            .map_err(|e| format!("cannot write the output: {e}")),
    };
    match (written, path) {
        (Err(message), _) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
        (Ok(()), Some(path)) => {
            eprintln!("{} written ({what})", path.display());
            ExitCode::SUCCESS
        }
        (Ok(()), None) => ExitCode::SUCCESS,
    }
}

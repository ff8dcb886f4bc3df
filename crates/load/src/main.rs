//! `beamline-load`: drives a Beamline server with N connections, each in a request/response loop,
//! and reports throughput and latency percentiles.
//!
//! ```sh
//! beamline-load ws --url ws://127.0.0.1:8000 --token "$T" --connections 1000 --rate 10
//! beamline-load broadcast --url ws://127.0.0.1:8000 --token "$T" --members 100
//! beamline-load idle --url ws://127.0.0.1:8000 --token "$T" --connections 10000
//! beamline-load rest --url http://127.0.0.1:8000/api/v1/design/beam --token "$T" \
//!     --body '{"width":300,"depth":450,"Mu":150}' --connections 16 --duration 10
//! ```

mod batch;
mod report;
mod rest;
mod ws;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "beamline-load", version, about = "Load generator for Beamline")]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// HTTP/1.1 keep-alive connections, each sending one request after another.
    Rest(rest::RestArgs),
    /// WebSocket connections, each in its own session, in design request/response loops.
    Ws(ws::WsArgs),
    /// One session with many members: one sends designs, all of them time their arrival.
    Broadcast(ws::BroadcastArgs),
    /// Many idle WebSocket connections held open (for memory measurements).
    Idle(ws::IdleArgs),
    /// A batch job streamed to its end, timed (optionally with busy WebSocket clients alongside).
    Batch(batch::BatchArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // REST mode drives its connections from one thread, as `wrk -t1` does: no task of it ever
    // waits on another thread. The WebSocket modes hold thousands of connections on every core.
    let mut builder = match cli.mode {
        Mode::Rest(_) => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = match cli.mode {
        Mode::Rest(args) => runtime.block_on(rest::run(args)).map(|r| r.to_string()),
        Mode::Ws(args) => runtime.block_on(ws::run(args)).map(|r| r.to_string()),
        Mode::Broadcast(args) => runtime.block_on(ws::broadcast(args)).map(|r| r.to_string()),
        Mode::Idle(args) => runtime.block_on(ws::idle(args)).map(|r| r.to_string()),
        Mode::Batch(args) => runtime.block_on(batch::run(args)),
    };
    match result {
        Ok(report) => {
            println!("{report}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

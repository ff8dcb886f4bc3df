//! `beamline batch`: design a CSV or JSON file of beams, locally or as a job on a server.
//!
//! Exit codes: 0 when every beam passes, 1 when any fails a check or is invalid, 2 when the input
//! cannot be read or the server cannot be used.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use beamline_batch::event::BeamError;
use beamline_batch::input::{read_csv, read_json, Input};
use beamline_batch::{results, sse, JobEvent};
use clap::Args;
use is456::{Beam, Status};
use serde_json::{json, Value};

use crate::exit::{EXIT_FAIL, EXIT_INVALID};

#[derive(Args, Debug)]
pub struct BatchArgs {
    /// A CSV file (a header row of field names, one beam per row), a JSON file (an array of beams or
    /// members, or {"beams": [...]}), or an ETABS export (docs/import.md), whose beam lines are
    /// imported and grouped into typical beams first.
    pub input: PathBuf,
    /// Where to write the results CSV (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run the batch as a job on this server (e.g. http://127.0.0.1:8000) instead of locally.
    #[arg(long)]
    pub server: Option<String>,
    /// Bearer token for --server [env: BEAMLINE_TOKEN].
    #[arg(long, env = "BEAMLINE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Follow (and finish downloading) an existing job on --server instead of creating one.
    #[arg(long)]
    pub job: Option<String>,
}

fn read_input(path: &PathBuf) -> Result<Input, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if is_etabs_export(&bytes) {
        return import_etabs(path, &bytes);
    }
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with(['[', '{']);
    let input = if is_json {
        read_json(&text)?
    } else {
        read_csv(&text)?
    };
    if input.beams.is_empty() {
        return Err(format!("{} holds no beams", path.display()));
    }
    Ok(input)
}

/// An ETABS export: a workbook (a ZIP archive) or CSV tables under `TABLE:` titles.
fn is_etabs_export(bytes: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]).to_ascii_uppercase();
    bytes.starts_with(b"PK\x03\x04")
        || start
            .trim_start_matches(['\u{feff}', ' ', '"'])
            .starts_with("TABLE:")
}

/// The members of an ETABS export (docs/import.md), one per group of typical beams.
fn import_etabs(path: &std::path::Path, bytes: &[u8]) -> Result<Input, String> {
    let name = path.display().to_string();
    let file = beamline_import::File { name: &name, bytes };
    let imported = beamline_import::import(
        beamline_import::Format::Etabs,
        &[file],
        &beamline_import::Options::default(),
    )
    .map_err(|e| {
        e.problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n  ")
    })?;
    for w in &imported.warnings {
        eprintln!("warning: {w}");
    }
    eprintln!(
        "{}: {} members from {} beam lines (typical beams grouped)",
        name,
        imported.members.len(),
        imported
            .groups
            .iter()
            .map(|g| g.members.len())
            .sum::<usize>()
    );
    let origins = imported
        .groups
        .iter()
        .map(|g| g.members.join(", "))
        .collect();
    Ok(Input {
        beams: imported.members,
        origins,
    })
}

/// A progress bar on standard error, drawn only when it is a terminal.
struct Progress {
    total: usize,
    shown: usize,
    draw: bool,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            total,
            shown: usize::MAX,
            draw: std::io::stderr().is_terminal(),
        }
    }

    fn set(&mut self, done: usize) {
        let percent = done * 100 / self.total.max(1);
        if !self.draw || percent == self.shown {
            return;
        }
        self.shown = percent;
        let filled = percent * 30 / 100;
        eprint!(
            "\r[{}{}] {percent:3}% {done}/{}",
            "#".repeat(filled),
            " ".repeat(30 - filled),
            self.total
        );
        if done >= self.total {
            eprintln!();
        }
    }
}

/// Counts for the closing summary and the exit code.
#[derive(Default)]
struct Tally {
    succeeded: usize,
    failed: usize,
    invalid: usize,
}

impl Tally {
    fn finish(&self, out: Option<&PathBuf>) -> ExitCode {
        eprintln!(
            "{} beams: {} pass, {} fail a check, {} invalid{}",
            self.succeeded + self.failed + self.invalid,
            self.succeeded,
            self.failed,
            self.invalid,
            out.map_or(String::new(), |p| format!("; results in {}", p.display()))
        );
        if self.failed + self.invalid > 0 {
            ExitCode::from(EXIT_FAIL)
        } else {
            ExitCode::SUCCESS
        }
    }
}

fn write_output(out: Option<&PathBuf>, text: &str) -> Result<(), String> {
    match out {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write the results: {e}")),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_INVALID)
}

pub fn run(args: BatchArgs) -> ExitCode {
    if let Some(server) = args.server.clone() {
        return run_remote(args, server);
    }
    let input = match read_input(&args.input) {
        Ok(i) => i,
        Err(e) => return fail(&e),
    };
    let mut progress = Progress::new(input.beams.len());
    let mut tally = Tally::default();
    let mut out = String::from(results::HEADER);
    for (i, (value, origin)) in input.beams.iter().zip(&input.origins).enumerate() {
        let index = i as u64;
        // A row with `spans` is a member (docs/members.md); its row reads like a beam's.
        let outcome = if value.get("spans").is_some() {
            is456::Member::from_json(value).map(|member| {
                let result = is456::design_member(&member);
                let row = serde_json::to_value(&result).unwrap_or(Value::Null);
                (result.status, Some("member".to_owned()), value.clone(), row)
            })
        } else {
            Beam::from_json(value).map(|beam| {
                let result = is456::design(&beam);
                let row = serde_json::to_value(&result).unwrap_or(Value::Null);
                (result.status, None, beam.to_json(), row)
            })
        };
        match outcome {
            Ok((status, kind, beam, result)) => {
                match status {
                    Status::Success => tally.succeeded += 1,
                    Status::Fail => tally.failed += 1,
                }
                let designed = beamline_batch::event::Designed {
                    index,
                    kind,
                    beam,
                    result,
                };
                out.push_str(&results::designed_row(&designed));
            }
            Err(invalid) => {
                tally.invalid += 1;
                for e in &invalid.errors {
                    eprintln!("{origin}: {}: {}", e.field, e.message);
                }
                let id = results::given_id(value).cloned();
                out.push_str(&results::error_row(
                    &BeamError::invalid(index, id, invalid.errors),
                    &[],
                ));
            }
        }
        progress.set(i + 1);
    }
    if let Err(e) = write_output(args.out.as_ref(), &out) {
        return fail(&e);
    }
    tally.finish(args.out.as_ref())
}

fn run_remote(args: BatchArgs, server: String) -> ExitCode {
    let Some(token) = args.token.clone() else {
        return fail("--server needs a token: --token or BEAMLINE_TOKEN");
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&e.to_string()),
    };
    match runtime.block_on(remote(&args, server.trim_end_matches('/'), &token)) {
        Ok(tally) => tally.finish(args.out.as_ref()),
        Err(e) => fail(&e),
    }
}

async fn error_of(response: reqwest::Response) -> String {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let detail = body["detail"].as_str().unwrap_or("");
    let errors = body["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|x| {
                    format!(
                        "\n  {}: {}",
                        x["field"].as_str().unwrap_or(""),
                        x["message"].as_str().unwrap_or("")
                    )
                })
                .collect::<String>()
        })
        .unwrap_or_default();
    format!("the server answered {status}: {detail}{errors}")
}

/// Creates (or attaches to) the job, follows its events to `complete` (reconnecting with
/// Last-Event-ID when the connection drops), then downloads the results CSV.
async fn remote(args: &BatchArgs, server: &str, token: &str) -> Result<Tally, String> {
    let client = reqwest::Client::new();
    let (job_id, origins) = match &args.job {
        Some(id) => (id.clone(), Vec::new()),
        None => {
            let input = read_input(&args.input)?;
            let response = client
                .post(format!("{server}/api/v1/jobs"))
                .bearer_auth(token)
                .json(&json!({"beams": input.beams}))
                .send()
                .await
                .map_err(|e| format!("cannot reach {server}: {e}"))?;
            if response.status() != reqwest::StatusCode::ACCEPTED {
                return Err(error_of(response).await);
            }
            let body: Value = response.json().await.map_err(|e| e.to_string())?;
            let id = body["job_id"].as_str().unwrap_or_default().to_owned();
            eprintln!("job {id} created; if interrupted, resume with --job {id}");
            (id, input.origins)
        }
    };

    let mut last_id = 0u64;
    let mut progress: Option<Progress> = None;
    let mut attempts = 0;
    let tally = 'follow: loop {
        let mut request = client
            .get(format!("{server}/stream/jobs/{job_id}"))
            .bearer_auth(token);
        if last_id > 0 {
            request = request.header("last-event-id", last_id.to_string());
        }
        let response = match request.send().await {
            Ok(r) if r.status().is_success() => r,
            Ok(r) if r.status().is_client_error() => return Err(error_of(r).await),
            Ok(_) | Err(_) => {
                attempts += 1;
                if attempts > 20 {
                    return Err(format!(
                        "lost the connection to {server}; resume with --job {job_id}"
                    ));
                }
                tokio::time::sleep(Duration::from_millis(500 * attempts.min(6))).await;
                continue;
            }
        };
        attempts = 0;
        let mut stream = response;
        let mut reader = sse::Reader::default();
        loop {
            let chunk = match stream.chunk().await {
                Ok(Some(c)) => c,
                // The connection dropped before `complete`: reconnect after the last event seen.
                Ok(None) | Err(_) => continue 'follow,
            };
            for frame in reader.feed(&chunk) {
                if let Some(id) = frame.id {
                    last_id = id;
                }
                match JobEvent::parse(&frame.name, &frame.data) {
                    Ok(JobEvent::Progress(p)) => {
                        progress
                            .get_or_insert_with(|| Progress::new(p.total as usize))
                            .set(p.current as usize);
                    }
                    Ok(JobEvent::Error(e)) => {
                        let index = e.beam_index as usize;
                        let origin = origins
                            .get(index)
                            .cloned()
                            .unwrap_or_else(|| format!("beam {}", index + 1));
                        for f in &e.error.errors {
                            eprintln!("{origin}: {}: {}", f.field, f.message);
                        }
                    }
                    Ok(JobEvent::Complete(c)) => {
                        if c.status != "done" {
                            eprintln!("the job ended {}", c.status);
                        }
                        break 'follow Tally {
                            succeeded: c.summary.succeeded as usize,
                            failed: c.summary.failed as usize,
                            invalid: c.summary.errors as usize,
                        };
                    }
                    Ok(_) => {}
                    Err(e) => eprintln!("skipping an event: {e}"),
                }
            }
        }
    };

    let response = client
        .get(format!("{server}/api/v1/jobs/{job_id}/results?format=csv"))
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("cannot download the results: {e}"))?;
    if !response.status().is_success() {
        return Err(error_of(response).await);
    }
    let text = response.text().await.map_err(|e| e.to_string())?;
    write_output(args.out.as_ref(), &text)?;
    Ok(tally)
}

//! `beamline batch`: design a CSV or JSON file of beams, locally or as a job on a server.
//!
//! Exit codes: 0 when every beam passes, 1 when any fails a check or is invalid, 2 when the input
//! cannot be read or the server cannot be used.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use beamline_server::jobs::csv;
use clap::Args;
use is456::input::canonical_name;
use is456::{Beam, Status};
use serde_json::{json, Map, Value};

#[derive(Args, Debug)]
pub struct BatchArgs {
    /// A CSV file (a header row of field names, one beam per row) or a JSON file (an array of beams, or
    /// {"beams": [...]}).
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

/// The beams of a file, each with the line (CSV) or position (JSON) it came from.
#[derive(Debug)]
pub struct Input {
    pub beams: Vec<Value>,
    /// For each beam, how to name it in messages: "line 7" or "beam 7".
    pub origins: Vec<String>,
}

fn is_text_field(name: &str) -> bool {
    matches!(name, "id" | "support")
}

/// Reads a CSV of beams: columns are field names (canonical or aliases); empty cells are left out;
/// numbers that do not parse stay text so that validation names them.
pub fn read_csv(text: &str) -> Result<Input, String> {
    let mut reader = ::csv::ReaderBuilder::new()
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("line 1: {e}"))?
        .iter()
        .map(str::to_owned)
        .collect();
    for h in &headers {
        if canonical_name(h).is_none() {
            return Err(format!(
                "line 1: unknown column `{h}`; columns are the beam's field names"
            ));
        }
    }
    let mut input = Input {
        beams: Vec::new(),
        origins: Vec::new(),
    };
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let line = record.position().map_or(0, |p| p.line());
        let mut beam = Map::new();
        for (h, cell) in headers.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            let value = if is_text_field(canonical_name(h).unwrap_or("")) {
                Value::from(cell)
            } else {
                match cell.parse::<f64>() {
                    Ok(x) if x.is_finite() => Value::from(x),
                    _ => Value::from(cell),
                }
            };
            beam.insert(h.clone(), value);
        }
        input.beams.push(Value::Object(beam));
        input.origins.push(format!("line {line}"));
    }
    Ok(input)
}

pub fn read_json(text: &str) -> Result<Input, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let beams = match value {
        Value::Array(beams) => beams,
        Value::Object(mut map) => match map.remove("beams") {
            Some(Value::Array(beams)) => beams,
            _ => return Err("a JSON batch is an array of beams or {\"beams\": [...]}".into()),
        },
        _ => return Err("a JSON batch is an array of beams or {\"beams\": [...]}".into()),
    };
    let origins = (1..=beams.len()).map(|i| format!("beam {i}")).collect();
    Ok(Input { beams, origins })
}

fn read_input(path: &PathBuf) -> Result<Input, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
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

/// Splits an event stream into `(id, event, data)`. It buffers bytes, not text: a chunk may end
/// inside a multi-byte character (φ, ²).
#[derive(Default)]
struct EventBuffer {
    bytes: Vec<u8>,
}

impl EventBuffer {
    fn feed(&mut self, chunk: &[u8]) -> Vec<(u64, String, Value)> {
        self.bytes.extend_from_slice(chunk);
        let mut out = Vec::new();
        while let Some(end) = self.bytes.windows(2).position(|w| w == b"\n\n") {
            let block: Vec<u8> = self.bytes.drain(..end + 2).collect();
            let (mut id, mut name, mut data) = (None, String::new(), Value::Null);
            for line in String::from_utf8_lossy(&block).lines() {
                if let Some(v) = line.strip_prefix("id: ") {
                    id = v.parse::<u64>().ok();
                } else if let Some(v) = line.strip_prefix("event: ") {
                    name = v.to_owned();
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = serde_json::from_str(v).unwrap_or(Value::Null);
                }
            }
            if let Some(id) = id {
                out.push((id, name, data));
            }
        }
        out
    }
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
            ExitCode::from(1)
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
    ExitCode::from(2)
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
    let mut out = String::from(csv::HEADER);
    for (i, (value, origin)) in input.beams.iter().zip(&input.origins).enumerate() {
        let index = Value::from(i);
        match Beam::from_json(value) {
            Ok(beam) => {
                let result = is456::design(&beam);
                match result.status {
                    Status::Success => tally.succeeded += 1,
                    Status::Fail => tally.failed += 1,
                }
                let result = serde_json::to_value(&result).unwrap_or(Value::Null);
                out.push_str(&csv::result_row(&index, &beam.to_json(), &result));
            }
            Err(invalid) => {
                tally.invalid += 1;
                for e in &invalid.errors {
                    eprintln!("{origin}: {}: {}", e.field, e.message);
                }
                out.push_str(&csv::error_row(
                    &index,
                    csv::given_id(value),
                    &json!({"errors": invalid.errors}),
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
        let mut events = EventBuffer::default();
        loop {
            let chunk = match stream.chunk().await {
                Ok(Some(c)) => c,
                // The connection dropped before `complete`: reconnect after the last event seen.
                Ok(None) | Err(_) => continue 'follow,
            };
            for (id, name, data) in events.feed(&chunk) {
                last_id = id;
                match name.as_str() {
                    "progress" => {
                        let total = data["total"].as_u64().unwrap_or(0) as usize;
                        progress
                            .get_or_insert_with(|| Progress::new(total))
                            .set(data["current"].as_u64().unwrap_or(0) as usize);
                    }
                    "error" => {
                        let index = data["beam_index"].as_u64().unwrap_or(0) as usize;
                        let origin = origins
                            .get(index)
                            .cloned()
                            .unwrap_or_else(|| format!("beam {}", index + 1));
                        for e in data["error"]["errors"].as_array().into_iter().flatten() {
                            eprintln!(
                                "{origin}: {}: {}",
                                e["field"].as_str().unwrap_or(""),
                                e["message"].as_str().unwrap_or("")
                            );
                        }
                    }
                    "complete" => {
                        let s = &data["summary"];
                        let count = |k: &str| s[k].as_u64().unwrap_or(0) as usize;
                        if data["status"] != "done" {
                            eprintln!(
                                "the job ended {}",
                                data["status"].as_str().unwrap_or("unexpectedly")
                            );
                        }
                        break 'follow Tally {
                            succeeded: count("succeeded"),
                            failed: count("failed"),
                            invalid: count("errors"),
                        };
                    }
                    _ => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_become_beams_with_line_numbers() {
        let input =
            read_csv("id,width,depth,Mu,support\nB1,300,450,150,ss\nB2,abc,,10,\n").unwrap();
        assert_eq!(input.beams.len(), 2);
        assert_eq!(
            input.beams[0],
            json!({"id": "B1", "width": 300.0, "depth": 450.0, "Mu": 150.0, "support": "ss"})
        );
        assert_eq!(
            input.beams[1],
            json!({"id": "B2", "width": "abc", "Mu": 10.0})
        );
        assert_eq!(input.origins, ["line 2", "line 3"]);
        assert!(read_csv("width,mu\n1,2\n")
            .unwrap_err()
            .contains("unknown column `mu`"));
    }

    #[test]
    fn events_survive_a_character_split_across_chunks() {
        let frame = "id: 7\nevent: design_result\ndata: {\"bars\":\"3-16φ\"}\n\n".as_bytes();
        let split = frame.iter().position(|&b| b == 0xCF).unwrap() + 1; // inside φ
        let mut buffer = EventBuffer::default();
        assert!(buffer.feed(&frame[..split]).is_empty());
        let events = buffer.feed(&frame[split..]);
        assert_eq!(
            events,
            [(7, "design_result".to_owned(), json!({"bars": "3-16φ"}))]
        );
    }

    #[test]
    fn json_batches() {
        assert_eq!(read_json(r#"[{"width":1}]"#).unwrap().beams.len(), 1);
        assert_eq!(
            read_json(r#"{"beams":[{"width":1},{}]}"#).unwrap().origins,
            ["beam 1", "beam 2"]
        );
        assert!(read_json("{}").is_err());
        assert!(read_json("nope").is_err());
    }
}

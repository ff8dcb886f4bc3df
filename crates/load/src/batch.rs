//! Batch mode: POST a batch to /stream/batch-design and time the stream to its `complete` event,
//! optionally while WebSocket clients keep the server busy.

use std::time::{Duration, Instant};

use beamline_batch::{sse, JobEvent};
use bytes::Bytes;
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpStream;

use crate::ws::{self, WsArgs};

#[derive(Args, Debug, Clone)]
pub struct BatchArgs {
    /// Server base URL, e.g. http://127.0.0.1:8000.
    #[arg(long)]
    pub url: String,
    #[arg(long)]
    pub token: String,
    #[arg(long, default_value_t = 10_000)]
    pub beams: usize,
    /// Runs this many WebSocket clients (10 designs/s each) during the batch.
    #[arg(long, default_value_t = 0)]
    pub ws_background: usize,
    /// Batches to run one after another (each is timed).
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
}

fn batch_body(n: usize) -> Bytes {
    let beams: Vec<_> = (0..n)
        .map(|i| {
            json!({"id": format!("B{i}"), "width": 230 + (i % 5) * 50, "depth": 450 + (i % 7) * 50,
                        "Mu": 60 + (i % 150), "Vu": 40 + (i % 120), "span": 5000 + (i % 4) * 500})
        })
        .collect();
    Bytes::from(serde_json::to_vec(&beams).unwrap_or_default())
}

/// How one batch went: from sending the request to the first event (`start`, not the `retry:`
/// preamble the server writes first) and to `complete`, and how many bytes the stream held.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct BatchTiming {
    first_event: Option<Duration>,
    complete: Option<Duration>,
    bytes: usize,
}

impl BatchTiming {
    /// Reads a chunk of the stream that arrived `at` after the request was sent; true once
    /// `complete` has been seen.
    fn feed(&mut self, reader: &mut sse::Reader, chunk: &[u8], at: Duration) -> bool {
        self.bytes += chunk.len();
        for frame in reader.feed(chunk) {
            self.first_event.get_or_insert(at);
            if frame.name == JobEvent::COMPLETE {
                self.complete = Some(at);
            }
        }
        self.complete.is_some()
    }
}

async fn one_batch(authority: &str, token: &str, body: Bytes) -> Result<BatchTiming, String> {
    let stream = TcpStream::connect(authority)
        .await
        .map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let req = Request::builder()
        .method("POST")
        .uri("/stream/batch-design")
        .header("host", authority)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Full::new(body))
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let response = sender.send_request(req).await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("status {}", response.status()));
    }
    let mut body = response.into_body();
    let mut timing = BatchTiming::default();
    let mut reader = sse::Reader::default();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| e.to_string())?;
        if let Some(data) = frame.data_ref() {
            if timing.feed(&mut reader, data, start.elapsed()) {
                return Ok(timing);
            }
        }
    }
    Err("the stream ended before `complete`".into())
}

fn ms(d: Option<Duration>) -> f64 {
    d.map_or(0.0, |d| (d.as_secs_f64() * 1e4).round() / 10.0)
}

pub async fn run(args: BatchArgs) -> Result<String, String> {
    let authority = args
        .url
        .strip_prefix("http://")
        .ok_or("only http:// URLs are supported")?
        .trim_end_matches('/')
        .to_owned();
    let background = if args.ws_background > 0 {
        let ws_args = WsArgs {
            url: format!("ws://{authority}"),
            token: args.token.clone(),
            connections: args.ws_background,
            rate: 10.0,
            duration: 3600.0,
            warmup: 0.0,
        };
        let handle = tokio::spawn(ws::run(ws_args));
        tokio::time::sleep(Duration::from_secs(1)).await;
        Some(handle)
    } else {
        None
    };
    let body = batch_body(args.beams);
    let mut runs = Vec::new();
    for _ in 0..args.repeat.max(1) {
        let timing = one_batch(&authority, &args.token, body.clone()).await?;
        runs.push(json!({
            "first_event_ms": ms(timing.first_event),
            "complete_ms": ms(timing.complete),
            "stream_mb": (timing.bytes as f64 / 1e5).round() / 10.0,
        }));
    }
    if let Some(h) = background {
        h.abort();
    }
    Ok(json!({"beams": args.beams, "ws_background": args.ws_background, "runs": runs}).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_event_is_start_not_the_retry_preamble() {
        let mut timing = BatchTiming::default();
        let mut reader = sse::Reader::default();
        let at = Duration::from_millis;
        assert!(!timing.feed(&mut reader, sse::RETRY.as_bytes(), at(1)));
        assert_eq!(timing.first_event, None);
        let start = sse::frame(1, "start", r#"{"job_id":"j","total_beams":1}"#);
        assert!(!timing.feed(&mut reader, start.as_bytes(), at(5)));
        assert_eq!(timing.first_event, Some(at(5)));
        let complete = sse::frame(4, "complete", "{}");
        let (a, b) = complete.as_bytes().split_at(9);
        assert!(!timing.feed(&mut reader, a, at(8)));
        assert!(timing.feed(&mut reader, b, at(9)));
        assert_eq!(timing.complete, Some(at(9)));
        assert_eq!(
            timing.bytes,
            sse::RETRY.len() + start.len() + complete.len()
        );
    }
}

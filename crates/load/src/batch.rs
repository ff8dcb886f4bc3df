//! Batch mode: POST a batch to /stream/batch-design and time the stream to its `complete` event,
//! optionally while WebSocket clients keep the server busy.

use std::time::{Duration, Instant};

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

async fn one_batch(
    authority: &str,
    token: &str,
    body: Bytes,
) -> Result<(Duration, Duration, usize), String> {
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
    let mut bytes = 0usize;
    let mut first_event = None;
    let mut tail: Vec<u8> = Vec::new();
    const COMPLETE: &[u8] = b"event: complete";
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| e.to_string())?;
        if let Some(data) = frame.data_ref() {
            bytes += data.len();
            first_event.get_or_insert_with(|| start.elapsed());
            tail.extend_from_slice(data);
            if tail.windows(COMPLETE.len()).any(|w| w == COMPLETE) {
                break;
            }
            // Keep enough to find the marker across a chunk boundary.
            let cut = tail.len().saturating_sub(COMPLETE.len());
            tail.drain(..cut);
        }
    }
    let total = start.elapsed();
    Ok((first_event.unwrap_or(total), total, bytes))
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
        let (first, total, bytes) = one_batch(&authority, &args.token, body.clone()).await?;
        runs.push(json!({
            "first_event_ms": (first.as_secs_f64() * 1e4).round() / 10.0,
            "complete_ms": (total.as_secs_f64() * 1e4).round() / 10.0,
            "stream_mb": (bytes as f64 / 1e5).round() / 10.0,
        }));
    }
    if let Some(h) = background {
        h.abort();
    }
    Ok(json!({"beams": args.beams, "ws_background": args.ws_background, "runs": runs}).to_string())
}

//! REST mode: keep-alive HTTP/1.1 connections in request/response loops.

use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::report::{Report, Samples};

#[derive(Args, Debug, Clone)]
pub struct RestArgs {
    /// Full URL, e.g. http://127.0.0.1:8000/api/v1/design/beam.
    #[arg(long)]
    pub url: String,
    /// JSON body; with one the request is a POST, without one a GET.
    #[arg(long)]
    pub body: Option<String>,
    /// Bearer token.
    #[arg(long)]
    pub token: Option<String>,
    #[arg(long, default_value_t = 16)]
    pub connections: usize,
    /// Seconds of measurement.
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Seconds of warm-up before measuring.
    #[arg(long, default_value_t = 1.0)]
    pub warmup: f64,
    /// Requests per second per connection (open loop); 0 sends the next as soon as the answer
    /// arrives (closed loop).
    #[arg(long, default_value_t = 0.0)]
    pub rate: f64,
}

struct Target {
    authority: String,
    path: String,
}

fn parse_url(url: &str) -> Result<Target, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("only http:// URLs are supported, got {url}"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    Ok(Target {
        authority: authority.to_owned(),
        path: path.to_owned(),
    })
}

pub async fn run(args: RestArgs) -> Result<Report, String> {
    let target = parse_url(&args.url)?;
    let body = args.body.clone().map(Bytes::from);
    let warm_until = Instant::now() + Duration::from_secs_f64(args.warmup);
    let end = warm_until + Duration::from_secs_f64(args.duration);
    let mut tasks = Vec::with_capacity(args.connections);
    for _ in 0..args.connections {
        let stream = TcpStream::connect(&target.authority)
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", target.authority))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        let (path, authority, token, body) = (
            target.path.clone(),
            target.authority.clone(),
            args.token.clone(),
            body.clone(),
        );
        let interval =
            (args.rate > 0.0).then(|| std::time::Duration::from_secs_f64(1.0 / args.rate));
        tasks.push(tokio::spawn(async move {
            let mut samples = Samples::default();
            let mut next = tokio::time::Instant::now();
            loop {
                if let Some(every) = interval {
                    tokio::time::sleep_until(next).await;
                    next += every;
                }
                let now = Instant::now();
                if now >= end {
                    break;
                }
                let mut req = Request::builder()
                    .uri(path.as_str())
                    .header("host", authority.as_str());
                if let Some(t) = &token {
                    req = req.header("authorization", format!("Bearer {t}"));
                }
                let req = match &body {
                    Some(b) => req
                        .method("POST")
                        .header("content-type", "application/json")
                        .body(Full::new(b.clone())),
                    None => req.method("GET").body(Full::new(Bytes::new())),
                };
                let Ok(req) = req else { break };
                let start = Instant::now();
                let outcome = async {
                    if sender.ready().await.is_err() {
                        return None;
                    }
                    let response = sender.send_request(req).await.ok()?;
                    let status = response.status().as_u16();
                    response.into_body().collect().await.ok()?;
                    Some(status)
                }
                .await;
                let elapsed = start.elapsed();
                // A dead connection ends this one's loop even during the warm-up.
                if outcome.is_none() {
                    samples.errors += 1;
                    break;
                }
                if start < warm_until {
                    continue;
                }
                match outcome {
                    Some(status) => {
                        *samples.statuses.entry(status).or_default() += 1;
                        if status >= 400 {
                            samples.errors += 1;
                        }
                        samples
                            .latencies_us
                            .push(elapsed.as_micros().min(u128::from(u32::MAX)) as u32);
                    }
                    None => {
                        samples.errors += 1;
                        break;
                    }
                }
            }
            samples
        }));
    }
    let mut all = Samples::default();
    for task in tasks {
        all.merge(task.await.map_err(|e| e.to_string())?);
    }
    Ok(Report {
        label: format!(
            "{} {}",
            if body.is_some() { "POST" } else { "GET" },
            args.url
        ),
        connections: args.connections,
        elapsed: end.saturating_duration_since(warm_until),
        samples: all,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = parse_url("http://127.0.0.1:8000/api/v1/design/beam").unwrap();
        assert_eq!(t.authority, "127.0.0.1:8000");
        assert_eq!(t.path, "/api/v1/design/beam");
        assert_eq!(parse_url("http://h:1").unwrap().path, "/");
        assert!(parse_url("https://h").is_err());
    }
}

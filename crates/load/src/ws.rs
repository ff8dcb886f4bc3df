//! WebSocket modes: request/response design loops, broadcast fan-out, and idle connections.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Args;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::report::{Report, Samples};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

#[derive(Args, Debug, Clone)]
pub struct WsArgs {
    /// Server base URL, e.g. ws://127.0.0.1:8000.
    #[arg(long)]
    pub url: String,
    #[arg(long)]
    pub token: String,
    #[arg(long, default_value_t = 100)]
    pub connections: usize,
    /// Messages per second per connection; 0 sends the next as soon as the answer arrives.
    #[arg(long, default_value_t = 0.0)]
    pub rate: f64,
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    #[arg(long, default_value_t = 1.0)]
    pub warmup: f64,
}

#[derive(Args, Debug, Clone)]
pub struct BroadcastArgs {
    #[arg(long)]
    pub url: String,
    #[arg(long)]
    pub token: String,
    /// Members of the one session (the sender is one of them).
    #[arg(long, default_value_t = 100)]
    pub members: usize,
    /// Designs per second sent by the one sender.
    #[arg(long, default_value_t = 10.0)]
    pub rate: f64,
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Another instance of the service (on the same Redis): every other member joins there, so the
    /// session is split across the two.
    #[arg(long)]
    pub also_url: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct IdleArgs {
    #[arg(long)]
    pub url: String,
    #[arg(long)]
    pub token: String,
    #[arg(long, default_value_t = 10_000)]
    pub connections: usize,
    /// Seconds to hold the connections open once all are up.
    #[arg(long, default_value_t = 10.0)]
    pub hold: f64,
    /// Spread the connections over this many sessions.
    #[arg(long, default_value_t = 100)]
    pub sessions: usize,
}

const BEAM: &str = r#"{"width":300,"depth":450,"Mu":150,"Vu":100,"span":5000}"#;

async fn connect(base: &str, session: &str, token: &str) -> Result<Socket, String> {
    // `welcome`: the session state on joining even before any design, which every mode waits for.
    let url = format!("{base}/ws/design/{session}?welcome=1&token={token}");
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let (ws, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), true)
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    Ok(ws)
}

/// The next JSON text message, answering nothing else.
async fn next_json(ws: &mut Socket) -> Option<Value> {
    loop {
        match ws.next().await? {
            Ok(Message::Text(t)) => return serde_json::from_str(t.as_str()).ok(),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
}

fn design_message(request_id: u64) -> Message {
    Message::text(format!(
        r#"{{"action":"design","request_id":{request_id},"beam":{BEAM}}}"#
    ))
}

/// N connections, each in its own session, each sending designs and waiting for its result.
pub async fn run(args: WsArgs) -> Result<Report, String> {
    let warm_until = Instant::now() + Duration::from_secs_f64(args.warmup);
    let end = warm_until + Duration::from_secs_f64(args.duration);
    let mut sockets = Vec::with_capacity(args.connections);
    for i in 0..args.connections {
        let mut ws = connect(&args.url, &format!("load-{i}"), &args.token).await?;
        next_json(&mut ws).await.ok_or("no session_state")?;
        sockets.push(ws);
    }
    let interval = (args.rate > 0.0).then(|| Duration::from_secs_f64(1.0 / args.rate));
    let n = sockets.len().max(1) as u32;
    let tasks: Vec<_> = sockets
        .into_iter()
        .enumerate()
        .map(|(i, mut ws)| {
            tokio::spawn(async move {
                let mut samples = Samples::default();
                let mut id = 0u64;
                // Spread the connections' sends evenly over one interval, as independent clients
                // would be, rather than all at the same instant.
                let mut next_send =
                    Instant::now() + interval.map_or(Duration::ZERO, |every| every * i as u32 / n);
                while Instant::now() < end {
                    if let Some(every) = interval {
                        tokio::time::sleep_until(next_send.into()).await;
                        next_send += every;
                    }
                    id += 1;
                    let start = Instant::now();
                    if ws.send(design_message(id)).await.is_err() {
                        samples.errors += 1;
                        break;
                    }
                    let answered = loop {
                        match next_json(&mut ws).await {
                            None => break false,
                            Some(m) if m["type"] == "design_result" && m["request_id"] == id => {
                                break true
                            }
                            Some(m) if m["type"] == "error" => {
                                *samples.statuses.entry(429).or_default() += 1;
                                break true;
                            }
                            Some(_) => continue,
                        }
                    };
                    if !answered {
                        samples.errors += 1;
                        break;
                    }
                    if start >= warm_until {
                        *samples.statuses.entry(200).or_default() += 1;
                        samples
                            .latencies_us
                            .push(start.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                    }
                }
                let _ = ws.close(None).await;
                samples
            })
        })
        .collect();
    let mut all = Samples::default();
    for t in tasks {
        all.merge(t.await.map_err(|e| e.to_string())?);
    }
    Ok(Report {
        label: format!("ws design round trip, rate {}/s per connection", args.rate),
        connections: args.connections,
        elapsed: end.saturating_duration_since(warm_until),
        samples: all,
    })
}

/// One session with M members; one of them sends designs; every member records how long each design
/// took to reach it.
pub async fn broadcast(args: BroadcastArgs) -> Result<Report, String> {
    let session = format!("broadcast-{}", std::process::id());
    let sent: Arc<Mutex<HashMap<u64, Instant>>> = Arc::default();
    let mut receivers = Vec::new();
    let mut sender = connect(&args.url, &session, &args.token).await?;
    next_json(&mut sender).await.ok_or("no session_state")?;
    let end = Instant::now() + Duration::from_secs_f64(args.duration + 2.0);
    for k in 1..args.members {
        let url = match &args.also_url {
            Some(other) if k % 2 == 1 => other,
            _ => &args.url,
        };
        let mut ws = connect(url, &session, &args.token).await?;
        next_json(&mut ws).await.ok_or("no session_state")?;
        let sent = sent.clone();
        receivers.push(tokio::spawn(async move {
            let mut samples = Samples::default();
            while Instant::now() < end {
                match tokio::time::timeout(Duration::from_secs(1), next_json(&mut ws)).await {
                    Ok(Some(m)) if m["type"] == "design_result" => {
                        let Some(id) = m["request_id"].as_u64() else {
                            continue;
                        };
                        let at = sent.lock().ok().and_then(|s| s.get(&id).copied());
                        if let Some(at) = at {
                            samples
                                .latencies_us
                                .push(at.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                        }
                    }
                    Ok(Some(_)) | Err(_) => continue,
                    Ok(None) => {
                        samples.errors += 1;
                        break;
                    }
                }
            }
            samples
        }));
    }
    // The sender is a member too: drain what it receives so it never falls behind.
    let (mut sender, mut own) = sender.split();
    tokio::spawn(async move { while let Some(Ok(_)) = own.next().await {} });
    let start = Instant::now();
    let every = Duration::from_secs_f64(1.0 / args.rate.max(0.1));
    let mut id = 0u64;
    let stop_sending = start + Duration::from_secs_f64(args.duration);
    let mut next = start;
    while Instant::now() < stop_sending {
        tokio::time::sleep_until(next.into()).await;
        next += every;
        id += 1;
        if let Ok(mut s) = sent.lock() {
            s.insert(id, Instant::now());
        }
        sender
            .send(design_message(id))
            .await
            .map_err(|e| e.to_string())?;
    }
    let mut all = Samples::default();
    for r in receivers {
        all.merge(r.await.map_err(|e| e.to_string())?);
    }
    Ok(Report {
        label: format!(
            "ws broadcast to {} members{}, {} designs sent",
            args.members,
            if args.also_url.is_some() {
                " split over two instances"
            } else {
                ""
            },
            id
        ),
        connections: args.members,
        elapsed: Duration::from_secs_f64(args.duration),
        samples: all,
    })
}

/// Opens N connections and holds them open (answering pings), for measuring the server's memory.
pub async fn idle(args: IdleArgs) -> Result<Report, String> {
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.connections);
    let hold_until = Arc::new(Mutex::new(None::<Instant>));
    let mut opened = 0usize;
    for i in 0..args.connections {
        let mut ws = connect(
            &args.url,
            &format!("idle-{}", i % args.sessions.max(1)),
            &args.token,
        )
        .await?;
        opened += 1;
        let hold_until = hold_until.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let until = hold_until.lock().ok().and_then(|h| *h);
                if until.is_some_and(|u| Instant::now() >= u) {
                    break;
                }
                match tokio::time::timeout(Duration::from_millis(500), ws.next()).await {
                    Ok(Some(Ok(_))) | Err(_) => continue,
                    Ok(_) => break,
                }
            }
            let _ = ws.close(None).await;
        }));
    }
    eprintln!(
        "{} connections open after {:.1} s; holding {} s",
        opened,
        started.elapsed().as_secs_f64(),
        args.hold
    );
    println!("{}", json!({"event": "all_open", "connections": opened}));
    if let Ok(mut h) = hold_until.lock() {
        *h = Some(Instant::now() + Duration::from_secs_f64(args.hold));
    }
    for t in tasks {
        let _ = t.await;
    }
    Ok(Report {
        label: "ws idle connections".into(),
        connections: opened,
        elapsed: started.elapsed(),
        samples: Samples::default(),
    })
}

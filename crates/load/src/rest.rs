//! REST mode: keep-alive HTTP/1.1 connections in request/response loops.
//!
//! Each connection writes one request prepared once and reads the answer with no more work than
//! framing it (the status line and headers, then a body by `Content-Length` or in chunks), all in
//! one task: the load generator must cost less per request than the server it measures, as wrk
//! does. An answer that closes its connection (`Connection: close`) is counted and the connection
//! opened again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
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

/// The bytes of the request every connection sends: a GET, or a POST of `body` as JSON.
fn request_bytes(target: &Target, body: Option<&str>, token: Option<&str>) -> Vec<u8> {
    let method = if body.is_some() { "POST" } else { "GET" };
    let mut head = format!(
        "{method} {} HTTP/1.1\r\nhost: {}\r\n",
        target.path, target.authority
    );
    if let Some(t) = token {
        head.push_str(&format!("authorization: Bearer {t}\r\n"));
    }
    if let Some(b) = body {
        head.push_str(&format!(
            "content-type: application/json\r\ncontent-length: {}\r\n",
            b.len()
        ));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.unwrap_or("").as_bytes());
    bytes
}

/// How an answer's body is delimited.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Framing {
    Length(usize),
    Chunked,
    /// Neither: the body runs to the end of the connection.
    ToClose,
}

/// What the load generator keeps of an answer.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Answer {
    status: u16,
    /// The server closes the connection after it.
    close: bool,
}

/// One keep-alive HTTP/1.1 connection and the buffer its answers are read into.
struct Connection {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Connection {
    async fn open(authority: &str) -> Result<Connection, String> {
        let stream = TcpStream::connect(authority)
            .await
            .map_err(|e| format!("cannot connect to {authority}: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        Ok(Connection {
            stream,
            buf: Vec::with_capacity(8192),
        })
    }

    /// More bytes of the answer; an error when the server has closed the connection.
    async fn read_more(&mut self) -> Result<(), String> {
        match self.stream.read_buf(&mut self.buf).await {
            Ok(0) => Err("the server closed the connection".into()),
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Sends `request` and reads its whole answer.
    async fn exchange(&mut self, request: &[u8]) -> Result<Answer, String> {
        self.stream
            .write_all(request)
            .await
            .map_err(|e| e.to_string())?;
        self.buf.clear();
        let (status, head, framing, close) = loop {
            if let Some(parsed) = parse_head(&self.buf)? {
                break parsed;
            }
            self.read_more().await?;
        };
        match framing {
            Framing::Length(n) => {
                while self.buf.len() < head + n {
                    self.read_more().await?;
                }
            }
            Framing::Chunked => self.read_chunks(head).await?,
            Framing::ToClose => while self.read_more().await.is_ok() {},
        }
        Ok(Answer {
            status,
            close: close || framing == Framing::ToClose,
        })
    }

    /// Reads a chunked body starting at `at` up to its last chunk and trailers.
    async fn read_chunks(&mut self, mut at: usize) -> Result<(), String> {
        loop {
            let line_end = loop {
                if let Some(i) = find(&self.buf[at..], b"\r\n") {
                    break at + i;
                }
                self.read_more().await?;
            };
            let line = std::str::from_utf8(&self.buf[at..line_end]).map_err(|e| e.to_string())?;
            let hex = line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(hex, 16)
                .map_err(|_| format!("a chunk size that is not hexadecimal: {line:?}"))?;
            at = line_end + 2;
            if size == 0 {
                // No trailers (an empty line), or trailers up to an empty line.
                loop {
                    if self.buf.len() >= at + 2 && &self.buf[at..at + 2] == b"\r\n" {
                        return Ok(());
                    }
                    if find(&self.buf[at..], b"\r\n\r\n").is_some() {
                        return Ok(());
                    }
                    self.read_more().await?;
                }
            }
            while self.buf.len() < at + size + 2 {
                self.read_more().await?;
            }
            at += size + 2;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The status, the length of the head, the body's framing and whether the connection closes after
/// this answer, once the whole head has arrived.
fn parse_head(buf: &[u8]) -> Result<Option<(u16, usize, Framing, bool)>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let head = match response.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(format!("a malformed answer: {e}")),
    };
    let status = response.code.unwrap_or(0);
    let mut framing = Framing::ToClose;
    let mut close = response.version == Some(0);
    for h in response.headers.iter() {
        let value = std::str::from_utf8(h.value).unwrap_or("").trim();
        if h.name.eq_ignore_ascii_case("content-length") {
            let n = value
                .parse()
                .map_err(|_| format!("a Content-Length that is not a number: {value:?}"))?;
            if framing != Framing::Chunked {
                framing = Framing::Length(n);
            }
        } else if h.name.eq_ignore_ascii_case("transfer-encoding")
            && value.to_ascii_lowercase().contains("chunked")
        {
            framing = Framing::Chunked;
        } else if h.name.eq_ignore_ascii_case("connection") {
            close = value.eq_ignore_ascii_case("close");
        }
    }
    // Answers that never have a body (RFC 9112 §6.3).
    if status == 204 || status == 304 || (100..200).contains(&status) {
        framing = Framing::Length(0);
    }
    Ok(Some((status, head, framing, close)))
}

/// When a run measures and how often each connection sends.
#[derive(Clone, Copy)]
struct Schedule {
    warm_until: Instant,
    end: Instant,
    /// Open loop: one request every so often; closed loop: `None`.
    interval: Option<Duration>,
}

/// One connection's loop until the end of the run.
async fn drive(
    mut conn: Connection,
    authority: Arc<str>,
    request: Arc<[u8]>,
    schedule: Schedule,
) -> Samples {
    let mut samples = Samples::default();
    let mut next = tokio::time::Instant::now();
    loop {
        if let Some(every) = schedule.interval {
            tokio::time::sleep_until(next).await;
            next += every;
        }
        let start = Instant::now();
        if start >= schedule.end {
            break;
        }
        let outcome = conn.exchange(&request).await;
        let elapsed = start.elapsed();
        // A dead connection ends this one's loop even during the warm-up.
        let Ok(answer) = outcome else {
            samples.errors += 1;
            break;
        };
        if start >= schedule.warm_until {
            *samples.statuses.entry(answer.status).or_default() += 1;
            if answer.status >= 400 {
                samples.errors += 1;
            }
            samples
                .latencies_us
                .push(elapsed.as_micros().min(u128::from(u32::MAX)) as u32);
        }
        if answer.close {
            match Connection::open(&authority).await {
                Ok(c) => conn = c,
                Err(_) => {
                    samples.errors += 1;
                    break;
                }
            }
        }
    }
    samples
}

pub async fn run(args: RestArgs) -> Result<Report, String> {
    let target = parse_url(&args.url)?;
    let request: Arc<[u8]> =
        request_bytes(&target, args.body.as_deref(), args.token.as_deref()).into();
    let authority: Arc<str> = target.authority.as_str().into();
    let mut connections = Vec::with_capacity(args.connections);
    for _ in 0..args.connections {
        connections.push(Connection::open(&authority).await?);
    }
    let warm_until = Instant::now() + Duration::from_secs_f64(args.warmup);
    let schedule = Schedule {
        warm_until,
        end: warm_until + Duration::from_secs_f64(args.duration),
        interval: (args.rate > 0.0).then(|| Duration::from_secs_f64(1.0 / args.rate)),
    };
    let tasks: Vec<_> = connections
        .into_iter()
        .map(|conn| {
            tokio::spawn(drive(
                conn,
                Arc::clone(&authority),
                Arc::clone(&request),
                schedule,
            ))
        })
        .collect();
    let mut all = Samples::default();
    for task in tasks {
        all.merge(task.await.map_err(|e| e.to_string())?);
    }
    Ok(Report {
        label: format!(
            "{} {}",
            if args.body.is_some() { "POST" } else { "GET" },
            args.url
        ),
        connections: args.connections,
        elapsed: schedule.end.saturating_duration_since(warm_until),
        samples: all,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    #[test]
    fn urls() {
        let t = parse_url("http://127.0.0.1:8000/api/v1/design/beam").unwrap();
        assert_eq!(t.authority, "127.0.0.1:8000");
        assert_eq!(t.path, "/api/v1/design/beam");
        assert_eq!(parse_url("http://h:1").unwrap().path, "/");
        assert!(parse_url("https://h").is_err());
    }

    #[test]
    fn requests_are_written_once_with_their_length_and_token() {
        let t = parse_url("http://h:1/api/v1/design/beam").unwrap();
        let post = request_bytes(&t, Some(r#"{"width":300}"#), Some("abc"));
        assert_eq!(
            String::from_utf8(post).unwrap(),
            "POST /api/v1/design/beam HTTP/1.1\r\nhost: h:1\r\nauthorization: Bearer abc\r\n\
             content-type: application/json\r\ncontent-length: 13\r\n\r\n{\"width\":300}"
        );
        let get = request_bytes(&parse_url("http://h:1/health").unwrap(), None, None);
        assert_eq!(get, b"GET /health HTTP/1.1\r\nhost: h:1\r\n\r\n");
    }

    /// A server on a real socket that answers each request (a head, and a body by its
    /// Content-Length) with the next of `answers`, written in pieces of `piece` bytes so that the
    /// client sees every split; it closes the connection after the last one.
    async fn serve(answers: Vec<&'static str>, piece: usize) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let authority = listener.local_addr().unwrap().to_string();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            for answer in answers {
                loop {
                    if let Some(end) = find(&buf, b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
                        let length = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length: "))
                            .map_or(0, |n| n.trim().parse().unwrap());
                        if buf.len() >= end + 4 + length {
                            buf.drain(..end + 4 + length);
                            break;
                        }
                    }
                    if socket.read_buf(&mut buf).await.unwrap() == 0 {
                        return;
                    }
                }
                for bytes in answer.as_bytes().chunks(piece) {
                    socket.write_all(bytes).await.unwrap();
                    socket.flush().await.unwrap();
                    tokio::task::yield_now().await;
                }
            }
        });
        authority
    }

    #[tokio::test]
    async fn answers_framed_by_length_by_chunks_and_by_close_are_read_whole() {
        let answers = vec![
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 15\r\n\r\n{\"status\":\"ok\"}",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\nA\r\n0123456789\r\n0\r\n\r\n",
            "HTTP/1.1 204 No Content\r\n\r\n",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\nx-trailer: 1\r\n\r\n",
            "HTTP/1.1 429 Too Many Requests\r\nconnection: close\r\ncontent-length: 2\r\n\r\n{}",
        ];
        for piece in [1, 7, 4096] {
            let authority = serve(answers.clone(), piece).await;
            let mut conn = Connection::open(&authority).await.unwrap();
            let request = request_bytes(
                &parse_url(&format!("http://{authority}/x")).unwrap(),
                Some("{}"),
                None,
            );
            let mut seen = Vec::new();
            for _ in 0..answers.len() {
                seen.push(conn.exchange(&request).await.unwrap());
            }
            let statuses: Vec<u16> = seen.iter().map(|a| a.status).collect();
            assert_eq!(statuses, [200, 200, 204, 200, 429], "pieces of {piece}");
            assert_eq!(seen.iter().filter(|a| a.close).count(), 1);
            assert!(seen[4].close);
            // The server has closed: the next exchange is an error, not a hang.
            assert!(conn.exchange(&request).await.is_err());
        }
    }

    #[tokio::test]
    async fn an_answer_without_a_length_runs_to_the_close_and_a_broken_one_is_an_error() {
        let authority = serve(vec!["HTTP/1.1 200 OK\r\n\r\nall of it"], 3).await;
        let mut conn = Connection::open(&authority).await.unwrap();
        let get = request_bytes(
            &parse_url(&format!("http://{authority}/")).unwrap(),
            None,
            None,
        );
        let answer = conn.exchange(&get).await.unwrap();
        assert_eq!(
            answer,
            Answer {
                status: 200,
                close: true
            }
        );

        let authority = serve(vec!["not http at all\r\n\r\n"], 4096).await;
        let mut conn = Connection::open(&authority).await.unwrap();
        assert!(conn.exchange(&get).await.is_err());
    }
}

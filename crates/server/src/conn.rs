//! Accepting connections with limits (docs/operations.md): at most `max_open` open connections, a
//! clear 503 beyond that, a deadline for every request head (which also closes a connection that
//! sends nothing, new or kept alive), and a graceful close of every connection at shutdown.

use std::future::Future;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use crate::app::App;
use crate::config::ConnectionsConfig;
use crate::observe::{MAX_HEADER_BYTES, MAX_URI_BYTES};
use crate::watchdog::Watchdog;

/// File descriptors kept back from connections: the store, logs, the listener, accepted sockets on
/// their way to a refusal.
const FD_RESERVE: u64 = 64;

/// The connection cap in force: the configured one, but never so many that accepting would run out
/// of file descriptors (at which point no client, old or new, could be served).
pub fn max_open(config: &ConnectionsConfig) -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the struct it is given and reads nothing else.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    let files = if ok && limit.rlim_cur != libc::RLIM_INFINITY {
        limit.rlim_cur.saturating_sub(FD_RESERVE).max(1)
    } else {
        u64::MAX
    };
    config
        .max_open
        .min(usize::try_from(files).unwrap_or(usize::MAX))
}

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting and closes every
/// connection gracefully (open requests finish). Returns when the last connection has closed.
pub async fn serve(
    listener: TcpListener,
    app: App,
    config: ConnectionsConfig,
    shutdown: impl Future<Output = ()>,
) {
    let cap = max_open(&config);
    tracing::info!(max_connections = cap, "accepting connections");
    let permits = Arc::new(Semaphore::new(cap));
    // HTTP/1.1 only: its header deadline runs from the moment a connection opens (or falls idle),
    // where protocol detection would first wait for bytes with no deadline at all. Each connection
    // gets its slot of the watchdog, for its head deadlines and the stop at shutdown (watchdog.rs).
    let watchdog = Watchdog::start();
    // Connections hear the stop however this ends: returning, or dropped while accepting.
    let stop = watchdog.stop_guard();
    let mut builder = http1::Builder::new();
    builder
        .header_read_timeout(Duration::from_secs(config.header_read_timeout_seconds))
        // Above the service's own limits (observe.rs), which answer with a JSON body. The header count
        // keeps hyper's default (100 lines, parsed into a stack array; any other count makes hyper
        // allocate and fill a vector of that size for every request).
        .max_buf_size(4 * (MAX_HEADER_BYTES + MAX_URI_BYTES));
    let connections = tokio_util::task::TaskTracker::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of descriptors or a connection reset before it was accepted: wait a
                    // moment rather than spin, and go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone();
        // The permit lives with the socket, through an upgrade to a WebSocket too.
        let io = Counted {
            stream,
            _permit: permit,
        };
        let watched = watchdog.watch();
        let connection = builder
            .clone()
            .timer(watched.timer())
            .serve_connection(TokioIo::new(io), TowerToHyperService::new(service))
            .with_upgrades();
        connections.spawn(crate::client_addr::serving(peer, async move {
            let mut connection = std::pin::pin!(connection);
            let stopping = std::future::poll_fn(|cx| match connection.as_mut().poll(cx) {
                Poll::Ready(_) => Poll::Ready(false),
                Poll::Pending if watched.stopping(cx) => Poll::Ready(true),
                Poll::Pending => Poll::Pending,
            });
            if stopping.await {
                // Open requests finish; idle keep-alive connections close now.
                connection.as_mut().graceful_shutdown();
                let _ = connection.await;
            }
        }));
    }
    drop(listener);
    drop(stop);
    connections.close();
    connections.wait().await;
}

/// A socket that holds its place under the connection cap for as long as it is open.
struct Counted {
    stream: TcpStream,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl tokio::io::AsyncRead for Counted {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Counted {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// The answer to a connection beyond the cap: a 503 with the service's error body, then close.
async fn refuse(mut stream: TcpStream) {
    const BODY: &str = "{\"detail\":\"The server has as many open connections as it allows; try \
                        again shortly.\",\"code\":\"too_many_connections\"}";
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let write = async {
        stream.write_all(response.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), write).await;
}

//! The ceiling for `scripts/bench-http.sh`: one axum route answering what `GET /health` answers, on
//! `axum::serve` with no middleware, no state and no limits. Bench-only; not part of the service.
//!
//! ```sh
//! cargo run --release -p beamline-server --example bare   # prints "listening on http://…"
//! ```

use axum::http::header;
use axum::routing::get;
use axum::Router;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BODY: &str = concat!(
    r#"{"status":"ok","version":""#,
    env!("CARGO_PKG_VERSION"),
    r#""}"#
);

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Router::new().route(
        "/health",
        get(|| async { ([(header::CONTENT_TYPE, "application/json")], BODY) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}

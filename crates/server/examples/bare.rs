//! The ceiling for `scripts/bench-http.sh` and `scripts/bench-instructions.sh`: axum routes on
//! `axum::serve` with no middleware, no state and no limits. Bench-only; not part of the service.
//! `GET /health` answers what the service's `/health` answers; `POST /design` does a design
//! request's own work and nothing else (read the body as JSON, read the beam, design it, write the
//! answer the service writes), so that the service's design route can be measured against it.
//!
//! ```sh
//! cargo run --release -p beamline-server --example bare   # prints "listening on http://…"
//! ```

use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use beamline_server::api::DesignResponse;
use beamline_server::json::JsonResponse;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BODY: &str = concat!(
    r#"{"status":"ok","version":""#,
    env!("CARGO_PKG_VERSION"),
    r#""}"#
);

/// The beam of the body, designed, and the service's answer written (no authentication, limits,
/// ids, metrics, logs, content-type or duplicate-key checks).
async fn design(body: Bytes) -> Response {
    let beam = serde_json::from_slice(&body)
        .map_err(|e| e.to_string())
        .and_then(|value| is456::Beam::from_json(&value).map_err(|e| format!("{e:?}")));
    let beam = match beam {
        Ok(beam) => beam,
        Err(why) => return (StatusCode::UNPROCESSABLE_ENTITY, why).into_response(),
    };
    let result = is456::design(&beam);
    JsonResponse::of(&DesignResponse {
        beam: &beam,
        result: &result,
    })
    .into_response()
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Router::new()
        .route(
            "/health",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], BODY) }),
        )
        .route("/design", post(design));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}

//! The application: the router, composed of each feature's routes in three groups (the open routes,
//! the API, and the routes browsers open without headers), and `launch`, which serves it on a given
//! listener until a given shutdown future completes.

use std::future::Future;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method};
use axum::{middleware, Extension, Router};
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};
use utoipa_swagger_ui::SwaggerUi;

use crate::api;
use crate::auth;
use crate::config::Config;
use crate::drawing;
use crate::import;
use crate::jobs;
use crate::json::{BodyLimit, BodyTimeout};
use crate::member;
use crate::observe::{Observe, ObserveService};
use crate::page;
use crate::rate_limit;
use crate::report;
use crate::routes::Routes;
use crate::sessions;
pub use crate::state::{AppState, StartError};

/// How long open connections get to finish once shutdown starts (docs/http.md: exit within 10 s).
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(8);

fn cors(config: &Config) -> Option<CorsLayer> {
    if config.cors_origins.is_empty() {
        return None;
    }
    let origins: Vec<HeaderValue> = config
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
            .allow_headers([
                axum::http::header::AUTHORIZATION,
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderName::from_static("last-event-id"),
                axum::http::HeaderName::from_static("x-request-id"),
            ])
            .expose_headers([
                axum::http::HeaderName::from_static("x-request-id"),
                axum::http::HeaderName::from_static("x-ratelimit-limit"),
                axum::http::HeaderName::from_static("x-ratelimit-remaining"),
                axum::http::HeaderName::from_static("x-ratelimit-reset"),
                axum::http::HeaderName::from_static("x-ratelimit-window"),
                axum::http::HeaderName::from_static("retry-after"),
            ]),
    )
}

/// The service: every route, and outside them the middleware of every request (observe.rs).
pub type App = ObserveService<Router>;

/// The service for `state`. Each group of routes carries its own layers: the open routes (health,
/// readiness, metrics, the page, the docs) are never limited; the API takes its token from
/// `Authorization`; the event streams and the WebSocket may also take it from `?token=` on a GET,
/// since browsers open them without headers.
pub fn app(state: AppState) -> App {
    let (router, labels) = routes(&state).into_parts();
    let mut router = router.fallback(api::not_found);
    if let Some(cors) = cors(&state.config) {
        router = router.layer(cors);
    }
    let observe = Observe::of(&state, labels);
    ObserveService::new(router.with_state(state), observe)
}

/// Every route in its group with the group's layers, and the routes' patterns.
pub fn routes(state: &AppState) -> Routes {
    let docs: Router<AppState> = SwaggerUi::new("/docs")
        .external_url_unchecked("/openapi.json", crate::openapi::document())
        .into();
    let docs = Routes::foreign(docs, &["/docs", "/docs/", "/docs/{*rest}", "/openapi.json"]);
    let identify = |query_token| {
        let sources = auth::Identify {
            auth: state.auth.clone(),
            query_token,
        };
        middleware::from_fn_with_state(sources, auth::identify)
    };
    let limit = middleware::from_fn_with_state(state.clone(), rate_limit::limit);
    let open = api::ops_router().merge(page::router()).merge(docs);
    let rest = api::router()
        .merge(jobs::routes::router())
        .merge(report::router())
        .merge(member::router())
        .merge(import::router())
        .merge(drawing::router())
        .merge(sessions::invite_router())
        .layers(|r| r.route_layer(limit.clone()).route_layer(identify(false)));
    let browser = jobs::routes::stream_router()
        .merge(sessions::router())
        .layers(|r| r.route_layer(limit).route_layer(identify(true)));
    // Only the routes that read a body carry its limit and time (the open routes are all GET).
    let body_limit = state.config.body_limit_bytes;
    let body_timeout = Duration::from_secs(state.config.connections.body_read_timeout_seconds);
    let with_bodies = rest.merge(browser).layers(|r| {
        r.layer(Extension(BodyLimit(body_limit)))
            .layer(Extension(BodyTimeout(body_timeout)))
            .layer(DefaultBodyLimit::max(body_limit))
    });
    open.merge(with_bodies)
}

/// Drops sessions that have been empty past their retention time, until shutdown.
fn spawn_sweeper(state: &AppState) {
    let ttl = Duration::from_secs(state.config.sessions.empty_session_ttl_seconds);
    let every = (ttl / 4).clamp(Duration::from_secs(1), Duration::from_secs(60));
    let (hub, token) = (state.hub.clone(), state.shutdown.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tokio::select! {
                _ = token.cancelled() => break,
                _ = tick.tick() => {
                    let dropped = hub.sweep().await;
                    if dropped > 0 {
                        tracing::debug!(dropped, "empty sessions dropped");
                    }
                }
            }
        }
    });
}

/// Serves `state` on `listener` until `shutdown` completes, then stops accepting, lets open requests
/// finish, cancels long-lived connections, waits for tracked tasks, and returns within the grace time.
pub async fn launch(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let token = state.shutdown.clone();
    let tasks = state.tasks.clone();
    spawn_sweeper(&state);
    match state.jobs.start(tasks.clone(), token.clone()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(jobs = n, "unfinished jobs resumed"),
        Err(e) => return Err(std::io::Error::other(e.to_string())),
    }
    let connections = state.config.connections.clone();
    let app = app(state);
    let signal = {
        let token = token.clone();
        async move {
            shutdown.await;
            tracing::info!("shutting down");
            token.cancel();
        }
    };
    let server = tokio::spawn(crate::conn::serve(listener, app, connections, signal));
    token.cancelled().await;
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        let _ = server.await;
        tasks.close();
        tasks.wait().await;
    })
    .await;
    if drained.is_err() {
        tracing::warn!("connections still open after {SHUTDOWN_GRACE:?}; exiting anyway");
    }
    Ok(())
}

/// A state of its own for an in-process test, in a fresh data directory named after `name`.
#[cfg(test)]
pub(crate) fn test_state(name: &str) -> AppState {
    let dir = std::env::temp_dir().join(format!("beamline-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    AppState::new(Config {
        data_dir: dir,
        ..Config::default()
    })
    .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    #[tokio::test]
    async fn ready_turns_503_once_shutdown_begins() {
        let state = test_state("app");
        let dir = state.config.data_dir.clone();
        let router = app(state.clone());
        let ok = router
            .clone()
            .oneshot(Request::get("/ready").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(ok.status(), 200);
        state.shutdown.cancel();
        let not = router
            .oneshot(Request::get("/ready").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(not.status(), 503);
        assert!(not.headers().contains_key("x-request-id"));
        std::fs::remove_dir_all(dir).ok();
    }
}

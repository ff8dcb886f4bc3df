//! Rate limiting (docs/http.md): the middleware that asks the limiter (a seam: in-process or Redis,
//! `beamline-seams`) about each request and writes the `X-RateLimit-*` headers. A limiter that cannot
//! decide (its store is down) refuses with 503 `not_ready` rather than let requests through uncounted.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::Caller;
use crate::client_addr::{client_ip, Cidr};
use crate::error::ApiError;
pub use beamline_seams::limiter::{Decision, InProcessLimiter, LimiterError, RateLimiter};

/// Writes the four `X-RateLimit-*` headers, and `Retry-After` when refused. `X-RateLimit-Reset` is
/// the Unix second at which the oldest request in the window drops out (the next request is
/// allowed); `Retry-After` is the same instant as a delay, so the two always agree.
pub fn write_headers(decision: &Decision, headers: &mut HeaderMap) {
    let now = crate::clock::unix_millis() as f64 / 1000.0;
    let wait = decision.wait.as_secs_f64();
    let reset = (now + wait).ceil() as u64;
    // Names made once (a name given as text is parsed on every use); numbers written straight
    // into their values.
    const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
    const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
    const WINDOW: HeaderName = HeaderName::from_static("x-ratelimit-window");
    const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
    headers.insert(LIMIT, HeaderValue::from(decision.limit));
    headers.insert(REMAINING, HeaderValue::from(decision.remaining));
    headers.insert(WINDOW, HeaderValue::from(decision.window_seconds));
    headers.insert(RESET, HeaderValue::from(reset));
    if !decision.allowed {
        let retry_after = (wait.ceil() as u64).max(1);
        headers.insert(RETRY_AFTER, HeaderValue::from(retry_after));
    }
}

/// What the middleware needs: the limiter (none when limiting is off) and whether to trust proxies.
#[derive(Clone)]
pub struct Limiting {
    pub limiter: Option<Arc<dyn RateLimiter>>,
    pub trust_proxy: bool,
    pub trusted_proxies: Arc<[Cidr]>,
}

/// Applies the limit to a request of the routes it layers (the API, the streams, the WebSocket),
/// keyed by the token's `sub` or else the client IP.
pub async fn limit(State(limiting): State<Limiting>, req: Request, next: Next) -> Response {
    let Some(limiter) = limiting.limiter.as_ref() else {
        return next.run(req).await;
    };
    let key = match req.extensions().get::<Caller>().and_then(Caller::sub) {
        Some(sub) => format!("sub:{sub}"),
        None => {
            // The connection's peer; a router served by another accept loop may give it as
            // axum's `ConnectInfo` instead.
            let peer = crate::client_addr::peer().or_else(|| {
                req.extensions()
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0)
            });
            match client_ip(
                req.headers(),
                peer,
                limiting.trust_proxy,
                &limiting.trusted_proxies,
            ) {
                Some(ip) => format!("ip:{ip}"),
                None => "ip:unknown".to_owned(),
            }
        }
    };
    let decision = match limiter.admit(&key).await {
        Ok(d) => d,
        Err(e) => return ApiError::NotReady(e.to_string()).into_response(),
    };
    let mut response = if decision.allowed {
        next.run(req).await
    } else {
        ApiError::RateLimited.into_response()
    };
    write_headers(&decision, response.headers_mut());
    response
}

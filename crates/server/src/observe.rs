//! The outermost middleware: request id, request span and log line, metrics, and the error body of
//! docs/http.md for errors the framework produces without one (unknown route, wrong method, body too
//! large). Query strings are logged with tokens redacted.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::request_id;

#[derive(Clone)]
pub struct Observe {
    pub metrics: Arc<Metrics>,
    pub body_limit: usize,
}

/// A query string with the value of every credential-bearing parameter replaced.
pub fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _))
                if matches!(
                    k.to_ascii_lowercase().as_str(),
                    "token" | "access_token" | "password"
                ) =>
            {
                format!("{k}=REDACTED")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn observe(State(obs): State<Observe>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let id = request_id::accept_or_generate(
        req.headers()
            .get(request_id::HEADER)
            .and_then(|v| v.to_str().ok()),
    );
    let method = req.method().clone();
    // A layer of the router sees the route that matched: metrics and logs carry its pattern.
    let matched = req.extensions().get::<MatchedPath>().cloned();
    // The query is redacted only when the request line is logged (`info`).
    let query = tracing::enabled!(tracing::Level::INFO)
        .then(|| req.uri().query().map(redact_query))
        .flatten();
    let span = tracing::info_span!(
        "request",
        method = %method,
        path = %req.uri().path(),
        request_id = %id
    );

    let id_header = HeaderValue::from_str(&id).ok();
    let body_limit = obs.body_limit;
    let mut response = request_id::scope(id, async move {
        let response = match too_large(&req) {
            Some(error) => error.into_response(),
            None => next.run(req).await,
        };
        normalize_error(response, body_limit)
    })
    .instrument(span.clone())
    .await;

    let route = matched.as_ref().map_or("unmatched", |m| m.as_str());
    let status = response.status().as_u16();
    let elapsed = start.elapsed();
    obs.metrics
        .record_request(method.as_str(), route, status, elapsed);
    span.in_scope(|| {
        tracing::info!(
            %route,
            status,
            latency_ms = elapsed.as_secs_f64() * 1e3,
            query = query.as_deref().unwrap_or(""),
            "request"
        );
    });
    if let Some(v) = id_header {
        response.headers_mut().insert(request_id::HEADER, v);
    }
    response
}

/// 414 and 431 with the service's error body, for a request target or headers over the limits. The
/// HTTP parser's own limits are set well above these, so that these answers, not its bodiless ones, are
/// what a client sees.
fn too_large(req: &Request) -> Option<ApiError> {
    use crate::app::{MAX_HEADERS, MAX_HEADER_BYTES, MAX_URI_BYTES};
    let uri = req.uri();
    let uri_len = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    if uri_len > MAX_URI_BYTES {
        return Some(ApiError::UriTooLong(MAX_URI_BYTES));
    }
    let headers = req.headers();
    if headers.len() > MAX_HEADERS {
        return Some(ApiError::HeadersTooLarge(MAX_HEADER_BYTES));
    }
    let bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len())
        .sum();
    (bytes > MAX_HEADER_BYTES).then_some(ApiError::HeadersTooLarge(MAX_HEADER_BYTES))
}

/// Gives an error response without a JSON body the body of docs/http.md.
fn normalize_error(response: Response, body_limit: usize) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return response;
    }
    let (parts, _) = response.into_parts();
    let mut fresh = ApiError::from_status(status, body_limit).into_response();
    *fresh.status_mut() = status;
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fresh.headers_mut().insert(name.clone(), value.clone());
        }
    }
    fresh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_redacted_from_queries() {
        assert_eq!(redact_query("token=abc.def&x=1"), "token=REDACTED&x=1");
        assert_eq!(
            redact_query("last_event_id=4&access_token=zz"),
            "last_event_id=4&access_token=REDACTED"
        );
        assert_eq!(redact_query("a=b"), "a=b");
    }
}

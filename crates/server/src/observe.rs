//! The outermost middleware: request id, request span and log line, metrics, and the error body of
//! docs/http.md for errors the framework produces without one (unknown route, wrong method, body too
//! large). Query strings are logged with tokens redacted.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Instant;

use axum::http::{self, header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use pin_project_lite::pin_project;
use tokio::task::futures::TaskLocalFuture;
use tower::Service;
use tracing::instrument::Instrumented;
use tracing::Instrument;

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::request_id;
use crate::routes::RouteLabels;

#[derive(Clone)]
pub struct Observe {
    pub metrics: Arc<Metrics>,
    pub body_limit: usize,
    /// The routes' patterns, which label metrics and log lines.
    pub labels: Arc<RouteLabels>,
}

impl Observe {
    pub fn of(state: &crate::state::AppState, labels: RouteLabels) -> Observe {
        Observe {
            metrics: state.metrics.clone(),
            body_limit: state.config.body_limit_bytes,
            labels: Arc::new(labels),
        }
    }
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

/// The middleware round the whole router (app.rs), once per request: a layer of the router would be
/// wrapped round every route, in a box cloned for every request. Metrics and logs carry the pattern
/// of the route that matched, found in the table of routes.rs. A service with a named future rather
/// than `from_fn`: no boxed future and no boxed clone of the inner service per request.
#[derive(Clone)]
pub struct ObserveService<S> {
    inner: S,
    obs: Observe,
}

impl<S> ObserveService<S> {
    pub fn new(inner: S, obs: Observe) -> ObserveService<S> {
        ObserveService { inner, obs }
    }
}

impl<S, B> Service<http::Request<B>> for ObserveService<S>
where
    S: Service<http::Request<B>, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Observed<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Observed<S::Future> {
        let start = Instant::now();
        let id = request_id::accept_or_generate(req.headers().get(&request_id::HEADER));
        let method = req.method().clone();
        let route = self.obs.labels.label(req.uri().path());
        // The query is redacted only when the request line is logged (`info`).
        let query = tracing::enabled!(tracing::Level::INFO)
            .then(|| req.uri().query().map(redact_query))
            .flatten();
        let span = tracing::info_span!(
            "request",
            method = %method,
            path = %req.uri().path(),
            request_id = id.as_str()
        );
        let id_kept = id.clone();
        let handled = match too_large(&req) {
            Some(error) => Handled::Refused { error: Some(error) },
            None => Handled::Called {
                fut: self.inner.call(req),
            },
        };
        let answered = Answered {
            handled,
            body_limit: self.obs.body_limit,
        };
        Observed {
            fut: request_id::scope(id, answered).instrument(span.clone()),
            done: Some(Done {
                start,
                method,
                route,
                query,
                span,
                id: id_kept,
                metrics: self.obs.metrics.clone(),
            }),
        }
    }
}

pin_project! {
    /// The inner service's answer, or the refusal of a request over the limits.
    #[project = HandledProj]
    enum Handled<F> {
        Called { #[pin] fut: F },
        Refused { error: Option<ApiError> },
    }
}

pin_project! {
    /// The answer with its error body normalized; polled inside the request id's scope, so that
    /// error bodies carry it.
    struct Answered<F> {
        #[pin]
        handled: Handled<F>,
        body_limit: usize,
    }
}

impl<F: Future<Output = Result<Response, Infallible>>> Future for Answered<F> {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        let this = self.project();
        let response = match this.handled.project() {
            HandledProj::Called { fut } => match ready!(fut.poll(cx)) {
                Ok(response) => response,
                Err(never) => match never {},
            },
            HandledProj::Refused { error } => error.take().map_or_else(
                || StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                |e| e.into_response(),
            ),
        };
        Poll::Ready(normalize_error(response, *this.body_limit))
    }
}

/// What is recorded once the answer is ready.
struct Done {
    start: Instant,
    method: Method,
    route: &'static str,
    query: Option<String>,
    span: tracing::Span,
    id: request_id::RequestId,
    metrics: Arc<Metrics>,
}

pin_project! {
    /// A request on its way through: when the answer is ready, its metrics, its log line and its
    /// `X-Request-Id`.
    pub struct Observed<F> {
        #[pin]
        fut: Instrumented<TaskLocalFuture<request_id::RequestId, Answered<F>>>,
        done: Option<Done>,
    }
}

impl<F: Future<Output = Result<Response, Infallible>>> Future for Observed<F> {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = ready!(this.fut.poll(cx));
        if let Some(done) = this.done.take() {
            done.record(&mut response);
        }
        Poll::Ready(Ok(response))
    }
}

impl Done {
    fn record(self, response: &mut Response) {
        let route = self.route;
        let status = response.status().as_u16();
        let elapsed = self.start.elapsed();
        self.metrics
            .record_request(self.method.as_str(), route, status, elapsed);
        self.span.in_scope(|| {
            tracing::info!(
                %route,
                status,
                latency_ms = elapsed.as_secs_f64() * 1e3,
                query = self.query.as_deref().unwrap_or(""),
                "request"
            );
        });
        response
            .headers_mut()
            .insert(request_id::HEADER, self.id.into_header());
    }
}

/// The longest request target accepted, bytes (docs/operations.md, "Connections").
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header bytes (names and values) and header lines accepted.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
pub const MAX_HEADERS: usize = 64;

/// 414 and 431 with the service's error body, for a request target or headers over the limits. The
/// HTTP parser's own limits are set well above these, so that these answers, not its bodiless ones, are
/// what a client sees.
fn too_large<B>(req: &http::Request<B>) -> Option<ApiError> {
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

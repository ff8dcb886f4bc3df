//! The service's one error type, and the error body of every non-2xx JSON response (docs/http.md):
//! `{"detail", "code", "errors"?, "request_id"}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use is456::FieldError;
use serde::Serialize;

use crate::request_id;

/// A 401's detail tells a missing token, an expired one and an invalid one apart, so that a person
/// (or the page) knows whether to sign in, to get a fresh token, or to check the one they have. The
/// verifier's own reason is never shown beyond that.
fn unauthorized_detail(invalid_token: bool, reason: &str) -> &'static str {
    match (invalid_token, reason) {
        (false, _) => "Not authenticated: no token was sent",
        (true, "ExpiredSignature") => "Not authenticated: the token has expired",
        (true, "ImmatureSignature") => "Not authenticated: the token is not valid yet",
        (true, _) => "Not authenticated: the token is not valid",
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("The request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("{}", unauthorized_detail(*.invalid_token, .reason))]
    Unauthorized { invalid_token: bool, reason: String },
    #[error("Incorrect username or password")]
    InvalidCredentials,
    #[error("This token lacks the `{0}` scope")]
    InsufficientScope(&'static str),
    #[error("Pages from {0} may not open live sessions here")]
    OriginNotAllowed(String),
    #[error("This token is an invitation to session `{0}` and opens nothing else")]
    InvitationOnly(String),
    #[error("Not found")]
    NotFound,
    /// Not found, with why (the resource exists but has nothing of what was asked).
    #[error("{0}")]
    Missing(String),
    #[error("Method not allowed")]
    MethodNotAllowed,
    /// The method is not allowed here, with what to use instead.
    #[error("{0}")]
    UseInstead(String),
    #[error("The request body is larger than the limit of {0} bytes")]
    PayloadTooLarge(usize),
    #[error("The request body did not arrive within {0} seconds")]
    RequestTimeout(u64),
    #[error("The request target is longer than {0} bytes")]
    UriTooLong(usize),
    #[error("The request headers are larger than {0} bytes")]
    HeadersTooLarge(usize),
    #[error("Expected a request body with Content-Type: {0}")]
    UnsupportedMediaType(&'static str),
    #[error("{detail}")]
    Validation {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("Rate limit exceeded. Please slow down.")]
    RateLimited,
    /// A user holds as many live connections as allowed.
    #[error("{0}")]
    TooManyConnections(String),
    #[error("{0}")]
    NotReady(String),
    /// Too much work already waiting (the job queue is full).
    #[error("{0}")]
    QueueFull(String),
    /// The cause is logged, never shown to the client.
    #[error("Internal server error")]
    Internal(String),
    /// The engine panicked on one design: an internal error whose cause `engine::run` has logged.
    #[error("Internal server error")]
    EngineFault,
}

/// The error body of docs/http.md.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ErrorBody {
    pub detail: String,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
    pub request_id: String,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::MalformedJson(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } | ApiError::InvalidCredentials => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::InsufficientScope(_)
            | ApiError::OriginNotAllowed(_)
            | ApiError::InvitationOnly(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound | ApiError::Missing(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed | ApiError::UseInstead(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited | ApiError::TooManyConnections(_) => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::NotReady(_) | ApiError::QueueFull(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) | ApiError::EngineFault => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::InsufficientScope(_) => "insufficient_scope",
            ApiError::OriginNotAllowed(_) => "origin_not_allowed",
            ApiError::InvitationOnly(_) => "invitation_only",
            ApiError::NotFound | ApiError::Missing(_) => "not_found",
            ApiError::MethodNotAllowed | ApiError::UseInstead(_) => "method_not_allowed",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::RequestTimeout(_) => "request_timeout",
            ApiError::UriTooLong(_) => "uri_too_long",
            ApiError::HeadersTooLarge(_) => "headers_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::Validation { .. } => "validation_error",
            ApiError::RateLimited => "rate_limited",
            ApiError::TooManyConnections(_) => "too_many_connections",
            ApiError::NotReady(_) => "not_ready",
            ApiError::QueueFull(_) => "queue_full",
            ApiError::Internal(_) | ApiError::EngineFault => "internal_error",
        }
    }

    /// A 422 for an invalid beam (or any list of field errors). The list is cut at
    /// [`MAX_FIELD_ERRORS`], its last entry saying how many more there were, so that a hostile body
    /// cannot make an answer larger than itself.
    pub fn invalid(mut errors: Vec<FieldError>) -> Self {
        let detail = format!("Invalid input: {}", FieldError::summary(&errors));
        if errors.len() > MAX_FIELD_ERRORS {
            let more = errors.len() - (MAX_FIELD_ERRORS - 1);
            errors.truncate(MAX_FIELD_ERRORS - 1);
            errors.push(FieldError {
                field: "…".into(),
                message: format!("{more} more problems not listed"),
            });
        }
        ApiError::Validation { detail, errors }
    }

    /// The error a bare status stands for, for responses the framework made itself.
    pub fn from_status(status: StatusCode, body_limit: usize) -> Self {
        match status {
            StatusCode::NOT_FOUND => ApiError::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(body_limit),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ApiError::UnsupportedMediaType("application/json")
            }
            StatusCode::UNAUTHORIZED => ApiError::Unauthorized {
                invalid_token: false,
                reason: String::new(),
            },
            StatusCode::TOO_MANY_REQUESTS => ApiError::RateLimited,
            StatusCode::SERVICE_UNAVAILABLE => ApiError::NotReady("Service unavailable".into()),
            s if s.is_client_error() => {
                ApiError::BadRequest(s.canonical_reason().unwrap_or("Bad request").to_owned())
            }
            _ => ApiError::Internal(format!("status {status} without a body")),
        }
    }

    pub fn body(&self) -> ErrorBody {
        let (detail, errors) = match self {
            ApiError::Validation { detail, errors } => (detail.clone(), Some(errors.clone())),
            other => (other.to_string(), None),
        };
        ErrorBody {
            detail,
            code: self.code().to_owned(),
            errors,
            request_id: request_id::current(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let status = self.status();
        let body = serde_json::to_vec(&self.body()).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        // Answers that may leave a request body unread end the connection, so that the rest of
        // that body is never taken for the next request.
        if matches!(
            status,
            StatusCode::UNAUTHORIZED
                | StatusCode::FORBIDDEN
                | StatusCode::REQUEST_TIMEOUT
                | StatusCode::PAYLOAD_TOO_LARGE
                | StatusCode::UNSUPPORTED_MEDIA_TYPE
                | StatusCode::URI_TOO_LONG
                | StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
                | StatusCode::TOO_MANY_REQUESTS
        ) {
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if let ApiError::Unauthorized { invalid_token, .. } = &self {
            let value = if *invalid_token {
                "Bearer error=\"invalid_token\""
            } else {
                "Bearer"
            };
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(value));
        }
        response
    }
}

/// The most field errors one answer lists.
pub const MAX_FIELD_ERRORS: usize = 100;

impl From<is456::InvalidBeam> for ApiError {
    fn from(e: is456::InvalidBeam) -> Self {
        ApiError::invalid(e.errors)
    }
}

impl From<crate::engine::EngineFault> for ApiError {
    /// The fault was logged with its cause where it was caught; the answer does not log it again.
    fn from(_: crate::engine::EngineFault) -> Self {
        ApiError::EngineFault
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn internal_errors_never_show_their_cause() {
        let response =
            ApiError::Internal("connection to db at 10.1.2.3 refused".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body_of(response).await;
        assert_eq!(body["code"], "internal_error");
        assert_eq!(body["detail"], "Internal server error");
        assert!(!body.to_string().contains("10.1.2.3"));
    }

    /// A log written into memory, to count what an action logs.
    #[derive(Clone, Default)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn an_engine_panic_is_logged_once_and_answered_as_an_internal_error() {
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let response = {
            let _one_at_a_time = crate::engine::PANICKING
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            tracing::subscriber::with_default(subscriber, || {
                let fault =
                    crate::engine::run(|| -> u32 { panic!("bars out of range") }).unwrap_err();
                let error = ApiError::from(fault);
                assert!(matches!(error, ApiError::EngineFault));
                error.into_response()
            })
        };
        let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.matches("ERROR").count(), 1, "{text}");
        assert!(text.contains("bars out of range"), "{text}");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body_of(response).await;
        assert_eq!(body["code"], "internal_error");
        assert!(!body.to_string().contains("bars out of range"));
    }

    #[tokio::test]
    async fn not_ready_is_503_and_request_ids_reach_the_body() {
        let id = request_id::RequestId::Client(axum::http::HeaderValue::from_static("rid-1"));
        let response = request_id::scope(id, async {
            ApiError::NotReady("The server is shutting down".into()).into_response()
        })
        .await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = body_of(response).await;
        assert_eq!(body["code"], "not_ready");
        assert_eq!(body["request_id"], "rid-1");
    }
}

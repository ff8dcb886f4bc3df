//! The JSON body extractor: its rejections are the service's own errors, so a malformed body, a
//! wrong content type or an oversized body gets the same error body as every other failure.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use crate::error::ApiError;

/// A request body that must be `application/json` holding any JSON value.
pub struct JsonBody(pub Value);

pub fn is_json_content_type(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        let mime = v
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
    })
}

/// The body limit in force, as a request extension (so extractors can name it in the 413).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// Reads the whole body within the configured limit: 413 beyond it, 400 for a broken stream.
pub async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    let limit = req.extensions().get::<BodyLimit>().map_or(0, |l| l.0);
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(limit)
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    })
}

pub fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::MalformedJson(e.to_string()))
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        if !is_json_content_type(content_type) {
            return Err(ApiError::UnsupportedMediaType("application/json"));
        }
        let bytes = read_body(req, state).await?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// A JSON response serialised once, straight to bytes.
pub struct JsonResponse(pub Vec<u8>);

impl JsonResponse {
    pub fn of<T: Serialize>(value: &T) -> Result<JsonResponse, ApiError> {
        // A design answer is about 1.5 KB: one allocation instead of a series of doublings.
        let mut buf = Vec::with_capacity(2048);
        serde_json::to_writer(&mut buf, value)
            .map_err(|e| ApiError::Internal(format!("serialising a response: {e}")))?;
        Ok(JsonResponse(buf))
    }
}

impl IntoResponse for JsonResponse {
    fn into_response(self) -> Response {
        ([(header::CONTENT_TYPE, "application/json")], self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_content_types() {
        assert!(is_json_content_type(Some("application/json")));
        assert!(is_json_content_type(Some(
            "application/json; charset=utf-8"
        )));
        assert!(is_json_content_type(Some("application/problem+json")));
        assert!(!is_json_content_type(Some("text/plain")));
        assert!(!is_json_content_type(None));
    }
}

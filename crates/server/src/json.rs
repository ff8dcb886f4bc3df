//! The JSON body extractor: its rejections are the service's own errors, so a malformed body, a
//! wrong content type or an oversized body gets the same error body as every other failure.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
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

/// How long a body may take to arrive, as a request extension.
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub std::time::Duration);

/// Reads the whole body within the configured limit and time: 413 beyond the limit, 408 past the
/// time (a client that promises a body and never sends it holds nothing for long), 400 for a broken
/// stream.
pub async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    let limit = req.extensions().get::<BodyLimit>().map_or(0, |l| l.0);
    let timeout = req
        .extensions()
        .get::<BodyTimeout>()
        .map_or(std::time::Duration::from_secs(30), |t| t.0);
    let read = tokio::time::timeout(timeout, Bytes::from_request(req, state))
        .await
        .map_err(|_| ApiError::RequestTimeout(timeout.as_secs()))?;
    read.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(limit)
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    })
}

/// Why a body is not acceptable JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonError {
    /// Not JSON at all.
    Syntax(String),
    /// An object names the same key twice (the path of that object, then the key): JSON parsers
    /// disagree on which value wins, so neither is taken.
    Duplicate { key: String },
}

/// A body is parsed into a JSON value, refusing objects that name a key twice.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, JsonError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = strict::Strict::deserialize(&mut de).and_then(|v| de.end().map(|()| v.0));
    value.map_err(|e| {
        let text = e.to_string();
        match text.strip_prefix(strict::DUPLICATE) {
            Some(rest) => JsonError::Duplicate {
                key: rest.split(" at line").next().unwrap_or(rest).to_owned(),
            },
            None => JsonError::Syntax(text),
        }
    })
}

pub fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    parse_strict(bytes).map_err(|e| match e {
        JsonError::Syntax(text) => ApiError::MalformedJson(text),
        JsonError::Duplicate { key } => ApiError::invalid(vec![is456::FieldError {
            field: key.clone(),
            message: format!(
                "`{key}` is given twice in one object; give each key once (which value was meant \
                 cannot be told)"
            ),
        }]),
    })
}

/// A `serde_json::Value` built by a visitor that refuses a repeated key in any object.
mod strict {
    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Number, Value};

    pub const DUPLICATE: &str = "duplicate key: ";

    pub struct Strict(pub Value);

    impl<'de> Deserialize<'de> for Strict {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(StrictVisitor).map(Strict)
        }
    }

    struct StrictVisitor;

    impl<'de> Visitor<'de> for StrictVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_owned()))
        }
        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(Strict(v)) = seq.next_element()? {
                items.push(v);
            }
            Ok(Value::Array(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
            let mut map = Map::new();
            while let Some(key) = access.next_key::<String>()? {
                if map.contains_key(&key) {
                    return Err(de::Error::custom(format!("{DUPLICATE}{key}")));
                }
                let Strict(v) = access.next_value()?;
                map.insert(key, v);
            }
            Ok(Value::Object(map))
        }
    }
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
        if bytes.len() <= PARSE_INLINE_BYTES {
            return parse_json(&bytes).map(JsonBody);
        }
        // A large body is parsed on the blocking pool, never on the workers that serve everyone.
        tokio::task::spawn_blocking(move || parse_json(&bytes))
            .await
            .map_err(|e| ApiError::Internal(format!("parsing a body: {e}")))?
            .map(JsonBody)
    }
}

/// Bodies up to this size are parsed where they arrive (a few microseconds); larger ones off the
/// async workers.
pub const PARSE_INLINE_BYTES: usize = 64 * 1024;

/// A JSON response serialised once, straight to bytes.
pub struct JsonResponse(pub Vec<u8>);

impl JsonResponse {
    pub fn of<T: Serialize>(value: &T) -> Result<JsonResponse, ApiError> {
        // A design answer is about 3 KB: one allocation instead of a series of doublings.
        let mut buf = Vec::with_capacity(4096);
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
    fn repeated_keys_are_refused_at_any_depth() {
        assert_eq!(
            parse_strict(br#"{"Mu": 100, "Mu": 9000}"#),
            Err(JsonError::Duplicate { key: "Mu".into() })
        );
        assert!(matches!(
            parse_strict(br#"{"beams": [{"width": 1, "width": 2}]}"#),
            Err(JsonError::Duplicate { .. })
        ));
        assert!(matches!(
            parse_strict(b"{\"a\": "),
            Err(JsonError::Syntax(_))
        ));
        assert!(matches!(parse_strict(b"{} {}"), Err(JsonError::Syntax(_))));
        let v = parse_strict(br#"{"a": [1, 2.5, -3, null, true, "x"], "b": {"c": {}}}"#).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"a": [1, 2.5, -3, null, true, "x"], "b": {"c": {}}})
        );
    }

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

//! REST handlers: health, readiness, metrics, design, check and the token endpoint.

use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use is456::{Beam, CheckResult, DesignResult, LoadCase};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::{AuthUser, SCOPE_ANALYZE, SCOPE_DESIGN};
use crate::error::ApiError;
use crate::json::{is_json_content_type, parse_json, read_body, JsonBody, JsonResponse};
use crate::routes::Routes;
use crate::state::AppState;
use crate::users::UsersFile;

#[derive(Serialize, schemars::JsonSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

/// The design routes of the API: token, design, check.
pub fn router() -> Routes {
    Routes::new()
        .route("/api/v1/auth/token", post(issue_token))
        .route("/api/v1/design/beam", post(design_beam))
        .route("/api/v1/check/beam", post(check_beam))
}

/// Health, readiness and metrics: open to anyone, never rate limited.
pub fn ops_router() -> Routes {
    Routes::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics))
}

/// The answer of `GET /health`: always the same [`Health`], so written once at build time.
pub const HEALTH_BODY: &str = concat!(
    r#"{"status":"ok","version":""#,
    env!("CARGO_PKG_VERSION"),
    r#""}"#
);

pub async fn health() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], HEALTH_BODY).into_response()
}

pub async fn ready(State(state): State<AppState>) -> Result<JsonResponse, ApiError> {
    if state.shutdown.is_cancelled() {
        return Err(ApiError::NotReady("The server is shutting down".into()));
    }
    // The probes first: they say why (Redis is unavailable), where the store only says that.
    for probe in &state.probes {
        probe.ready().await.map_err(ApiError::NotReady)?;
    }
    if !state.jobs.store().healthy().await {
        return Err(ApiError::NotReady("The job store cannot be read".into()));
    }
    JsonResponse::of(&serde_json::json!({"status": "ready"}))
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

/// `POST /api/v1/design/beam` answer.
#[derive(Serialize, schemars::JsonSchema)]
pub struct DesignResponse<'a> {
    /// The normalized input: canonical names, defaults filled in.
    pub beam: &'a Beam,
    pub result: &'a DesignResult,
}

/// The beam of a request body: the body itself, or its `beam` member when that is the only key.
fn beam_of(body: &Value) -> &Value {
    match body.as_object() {
        Some(map) if map.len() == 1 && map.get("beam").is_some_and(Value::is_object) => {
            &map["beam"]
        }
        _ => body,
    }
}

pub async fn design_beam(
    State(state): State<AppState>,
    user: AuthUser,
    JsonBody(body): JsonBody,
) -> Result<JsonResponse, ApiError> {
    user.require(SCOPE_DESIGN)?;
    let beam = Beam::from_json(beam_of(&body))?;
    let result = crate::engine::run(|| is456::design(&beam))?;
    state.metrics.record_designs(1);
    JsonResponse::of(&DesignResponse {
        beam: &beam,
        result: &result,
    })
}

pub async fn check_beam(
    State(state): State<AppState>,
    user: AuthUser,
    JsonBody(body): JsonBody,
) -> Result<JsonResponse, ApiError> {
    user.require(SCOPE_ANALYZE)?;
    let (section, cases) = check_request(body)?;
    let result: CheckResult = crate::engine::run(|| is456::design_load_cases(&section, &cases))?;
    state.metrics.record_designs(result.cases.len() as u64);
    JsonResponse::of(&result)
}

/// The section and load cases of a check request (docs/api.md): `{"beam": {…}, "cases": […]}`.
fn check_request(body: Value) -> Result<(Beam, Vec<LoadCase>), ApiError> {
    let Value::Object(mut map) = body else {
        return Err(ApiError::invalid(vec![is456::FieldError {
            field: "body".into(),
            message: "must be an object with `beam` and `cases`".into(),
        }]));
    };
    let mut errors = Vec::new();
    for key in map.keys().filter(|k| *k != "beam" && *k != "cases") {
        errors.push(is456::FieldError {
            field: key.clone(),
            message: format!("unknown field `{key}`; the body has `beam` and `cases`"),
        });
    }
    for key in ["beam", "cases"] {
        if !map.contains_key(key) {
            errors.push(is456::FieldError {
                field: key.into(),
                message: "is required".into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let beam = map.remove("beam").unwrap_or(Value::Null);
    let cases = map.remove("cases").unwrap_or(Value::Null);
    Ok(is456::load_cases::parse(&beam, &cases)?)
}

/// The OAuth2 password grant, as a form or as JSON.
#[derive(Debug, Deserialize)]
pub struct TokenRequest {
    #[serde(default)]
    pub grant_type: Option<String>,
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub scope: Option<String>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
}

pub async fn issue_token(
    State(state): State<AppState>,
    req: Request,
) -> Result<JsonResponse, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let is_form = content_type
        .as_deref()
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form && !is_json_content_type(content_type.as_deref()) {
        return Err(ApiError::UnsupportedMediaType(
            "application/x-www-form-urlencoded or application/json",
        ));
    }
    let bytes = read_body(req, &state).await?;
    let request: TokenRequest = if is_form {
        // The decoder `axum::Form` uses, over a body read with this service's size and time limits.
        serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| ApiError::BadRequest(format!("Invalid token request: {e}")))?
    } else {
        serde_json::from_value(parse_json(&bytes)?)
            .map_err(|e| ApiError::BadRequest(format!("Invalid token request: {e}")))?
    };
    if request
        .grant_type
        .as_deref()
        .is_some_and(|g| g != "password")
    {
        return Err(ApiError::BadRequest("grant_type must be `password`".into()));
    }
    if !state.auth.can_issue() {
        return Err(ApiError::BadRequest(
            "This server verifies tokens from an external identity provider and issues none".into(),
        ));
    }
    let path = state.config.users_file();
    let (username, password) = (request.username.clone(), request.password.clone());
    // Password hashing is deliberately slow: keep it off the reactor.
    let user = tokio::task::spawn_blocking(move || {
        let users = UsersFile::load(&path)?;
        Ok::<_, crate::users::UsersError>(users.verify(&username, &password).cloned())
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .ok_or(ApiError::InvalidCredentials)?;

    let granted: Vec<String> = match &request.scope {
        Some(asked) if !asked.trim().is_empty() => asked
            .split_whitespace()
            .filter(|s| user.scopes.iter().any(|u| u == s))
            .map(str::to_owned)
            .collect(),
        _ => user.scopes.clone(),
    };
    let ttl = state.config.auth.token_ttl_seconds;
    let access_token = state
        .auth
        .issue(&user.username, &granted, ttl)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    JsonResponse::of(&TokenResponse {
        access_token,
        token_type: "bearer",
        expires_in: ttl,
    })
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_health_body_is_the_health_type_written() {
        let written = serde_json::to_string(&Health {
            status: "ok",
            version: env!("CARGO_PKG_VERSION"),
        })
        .unwrap();
        assert_eq!(HEALTH_BODY, written);
    }

    #[test]
    fn forms_are_decoded() {
        let form = |b: &[u8]| serde_urlencoded::from_bytes::<TokenRequest>(b);
        let r = form(b"grant_type=password&username=al%20ice&password=a+b%21").unwrap();
        assert_eq!(r.username, "al ice");
        assert_eq!(r.password, "a b!");
        assert!(form(b"username=x").is_err());
    }

    #[test]
    fn a_beam_may_be_wrapped() {
        let v = serde_json::json!({"beam": {"width": 300}});
        assert_eq!(beam_of(&v), &serde_json::json!({"width": 300}));
        let v = serde_json::json!({"width": 300});
        assert_eq!(beam_of(&v), &v);
    }
}

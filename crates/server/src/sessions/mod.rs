//! Live design sessions over WebSocket (docs/sessions.md): `GET /ws/design/{session_id}`.

pub mod connection;
pub mod hub;
pub mod open;
pub mod protocol;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::Routes;
use crate::state::AppState;

/// A session id: 1–64 characters of `[A-Za-z0-9_-]`.
pub fn valid_session_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether a browser page from `origin` may open a session: one of the allowed origins, or when none
/// are configured, the server's own host (as the request names it in `Host`).
pub fn origin_allowed(origin: &str, host: Option<&str>, allowed: &[String]) -> bool {
    let origin = origin.trim().trim_end_matches('/');
    if !allowed.is_empty() {
        return allowed.iter().any(|a| a.eq_ignore_ascii_case(origin));
    }
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h.trim()))
}

/// Upgrades to a WebSocket. Authentication is settled inside the socket (close 4401/4403), where a
/// browser can see the reason; a malformed session id, a page from an origin not allowed, and a user
/// with as many connections open as allowed are refused before the upgrade.
/// The live design sessions (docs/sessions.md).
pub fn router() -> Routes {
    Routes::new().route("/ws/design/{session_id}", axum::routing::get(upgrade))
}

/// How long an invitation to a session opens it, s (docs/sessions.md, "Invitations").
pub const INVITE_TTL_SECONDS: u64 = 8 * 3600;

/// `POST /api/v1/sessions/{session_id}/invite`.
pub fn invite_router() -> Routes {
    Routes::new().route(
        "/api/v1/sessions/{session_id}/invite",
        axum::routing::post(invite),
    )
}

/// An invitation to one session: a short-lived token that opens that session and nothing else, and
/// the page's link that carries it in the fragment (never the query: it stays out of server logs).
pub async fn invite(
    State(state): State<AppState>,
    user: crate::auth::AuthUser,
    Path(session_id): Path<String>,
) -> Result<crate::json::JsonResponse, ApiError> {
    user.require(crate::auth::SCOPE_DESIGN)?;
    if !valid_session_id(&session_id) {
        return Err(ApiError::invalid(vec![is456::FieldError {
            field: "session_id".into(),
            message: "must be 1 to 64 characters of A-Z, a-z, 0-9, - and _".into(),
        }]));
    }
    if !state.auth.enabled() {
        return crate::json::JsonResponse::of(&serde_json::json!({
            "session_id": session_id, "token": null, "expires_in": null,
            "share_path": format!("/?session={session_id}"),
        }));
    }
    let guest = format!("{}:invited", user.0.sub);
    let token = state
        .auth
        .invite(&guest, &session_id, INVITE_TTL_SECONDS)
        .map_err(|e| ApiError::BadRequest(format!("This server cannot issue invitations: {e}")))?;
    crate::json::JsonResponse::of(&serde_json::json!({
        "session_id": session_id,
        "token": token,
        "token_type": "Bearer",
        "expires_in": INVITE_TTL_SECONDS,
        "share_path": format!("/?session={session_id}#token={token}"),
    }))
}

/// `?welcome=1`: a `session_state` on joining even when the session has no design yet (this
/// project's clients and page ask for it, to learn that they are in and how many members there are).
#[derive(serde::Deserialize)]
pub struct JoinQuery {
    #[serde(default)]
    pub welcome: Option<String>,
}

pub async fn upgrade(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
    axum::extract::Query(join): axum::extract::Query<JoinQuery>,
    caller: Option<Extension<Caller>>,
    headers: axum::http::HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    if let Some(origin) = headers.get(axum::http::header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok());
        if !origin_allowed(origin, host, &state.config.sessions.allowed_origins) {
            return Err(ApiError::OriginNotAllowed(
                origin.chars().take(100).collect(),
            ));
        }
    }
    if !valid_session_id(&session_id) {
        return Err(ApiError::invalid(vec![is456::FieldError {
            field: "session_id".into(),
            message: "must be 1 to 64 characters of A-Z, a-z, 0-9, - and _".into(),
        }]));
    }
    let ws = ws.map_err(|rejection| {
        ApiError::BadRequest(format!(
            "This route takes WebSocket connections: {}",
            rejection.body_text()
        ))
    })?;
    let caller = caller.map_or(Caller::Anonymous, |Extension(c)| c);
    let limits = &state.config.sessions;
    let place = match caller.sub() {
        Some(sub) => Some(
            state
                .open_per_user
                .take(sub, limits.max_per_user)
                .ok_or_else(|| {
                    ApiError::TooManyConnections(format!(
                        "this user already has {} live connections open, the most allowed; \
                         close one first",
                        limits.max_per_user
                    ))
                })?,
        ),
        None => None,
    };
    let max = limits.max_message_bytes;
    let tasks = state.tasks.clone();
    let welcome = matches!(join.welcome.as_deref(), Some("1" | "true"));
    Ok(ws
        // Small buffers: most members are idle most of the time.
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(4 * max)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| {
            tasks.track_future(async move {
                connection::run(socket, state, session_id, caller, welcome).await;
                drop(place);
            })
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let none: &[String] = &[];
        assert!(origin_allowed(
            "http://127.0.0.1:8000",
            Some("127.0.0.1:8000"),
            none
        ));
        assert!(origin_allowed(
            "https://beams.example/",
            Some("beams.example"),
            none
        ));
        assert!(!origin_allowed(
            "http://evil.example",
            Some("127.0.0.1:8000"),
            none
        ));
        assert!(!origin_allowed("null", Some("127.0.0.1:8000"), none));
        let allowed = vec!["https://beams.example".to_owned()];
        assert!(origin_allowed(
            "https://beams.example",
            Some("api.internal"),
            &allowed
        ));
        assert!(!origin_allowed(
            "http://127.0.0.1:8000",
            Some("127.0.0.1:8000"),
            &allowed
        ));
    }

    #[test]
    fn session_ids() {
        assert!(valid_session_id("team-a_1"));
        assert!(valid_session_id(&"x".repeat(64)));
        assert!(!valid_session_id(""));
        assert!(!valid_session_id(&"x".repeat(65)));
        assert!(!valid_session_id("a b"));
        assert!(!valid_session_id("é"));
    }
}

//! Live design sessions over WebSocket (SPEC §4): `GET /ws/design/{session_id}`.

pub mod connection;
pub mod hub;
pub mod protocol;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

/// A session id: 1–64 characters of `[A-Za-z0-9_-]`.
pub fn valid_session_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Upgrades to a WebSocket. Authentication is settled inside the socket (close 4401/4403), where a
/// browser can see the reason; a malformed session id is refused before the upgrade.
pub async fn upgrade(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
    caller: Option<Extension<Caller>>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
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
    let max = limits.max_message_bytes;
    let tasks = state.tasks.clone();
    Ok(ws
        // Small buffers: most members are idle most of the time.
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(4 * max)
        .max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| {
            tasks.track_future(connection::run(socket, state, session_id, caller))
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

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

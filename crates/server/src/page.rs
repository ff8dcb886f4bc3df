//! The live design page and its assets, compiled into the binary (no CDN, nothing downloaded).

use axum::extract::Path;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use crate::error::ApiError;
use crate::routes::Routes;

const INDEX: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const APP_CSS: &str = include_str!("../assets/app.css");
const MEMBER_JS: &str = include_str!("../assets/member.js");
/// The JavaScript client, the same file as `clients/js/beamline.js`.
const CLIENT_JS: &str = include_str!("../../../clients/js/beamline.js");

/// The page and its static files.
pub fn router() -> Routes {
    Routes::new()
        .route("/", axum::routing::get(index))
        .route("/static/{name}", axum::routing::get(asset))
}

pub async fn index() -> Html<&'static str> {
    Html(INDEX)
}

/// The beam's field names and aliases, from the engine's one list: what the page reads CSV headers
/// with.
fn fields_json() -> String {
    let fields: serde_json::Map<String, serde_json::Value> = is456::input::FIELDS
        .iter()
        .map(|(name, aliases)| ((*name).to_owned(), serde_json::json!(aliases)))
        .collect();
    serde_json::Value::Object(fields).to_string()
}

pub async fn asset(Path(name): Path<String>) -> Result<Response, ApiError> {
    if name == "fields.json" {
        return Ok((
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            fields_json(),
        )
            .into_response());
    }
    let (body, content_type) = match name.as_str() {
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        "member.js" => (MEMBER_JS, "text/javascript; charset=utf-8"),
        "beamline.js" => (CLIENT_JS, "text/javascript; charset=utf-8"),
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        _ => return Err(ApiError::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            // Revalidate, so that a new binary's page is picked up at once.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response())
}

//! `POST /api/v1/report`: the calculation report of a beam as HTML or PDF (docs/report.md).

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::routing::post;
use is456::Beam;
use serde::Deserialize;
use serde_json::Value;

use crate::auth::{AuthUser, SCOPE_DESIGN};
use crate::error::ApiError;
use crate::file::{file, Disposition};
use crate::json::JsonBody;
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes {
    Routes::new().route("/api/v1/report", post(report))
}

#[derive(Deserialize)]
pub struct ReportQuery {
    /// `html` or `pdf`, for links that cannot set `Accept`.
    pub format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Html,
    Pdf,
}

/// `?format=` first, else `Accept`: PDF when it asks for `application/pdf`, else HTML.
fn format_of(query: Option<&str>, headers: &HeaderMap) -> Result<Format, ApiError> {
    match query {
        Some("pdf") => return Ok(Format::Pdf),
        Some("html") => return Ok(Format::Html),
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "format must be html or pdf, got {:?}",
                other.chars().take(20).collect::<String>()
            )))
        }
        None => {}
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Ok(if accept.contains("application/pdf") {
        Format::Pdf
    } else {
        Format::Html
    })
}

/// The body: a beam, or `{"beam": {…}, "project": "…"}`.
fn parts(body: &Value) -> Result<(&Value, Option<&str>), ApiError> {
    Ok(wrapped(body, "beam")?.unwrap_or((body, None)))
}

/// `{"<key>": {…}, "project": "…"}`: the object under `key` and the project, or `None` when the body
/// has no object under `key`. Other keys, and a project that is not a short string, are errors.
fn wrapped<'a>(
    body: &'a Value,
    key: &str,
) -> Result<Option<(&'a Value, Option<&'a str>)>, ApiError> {
    let Some(map) = body.as_object() else {
        return Ok(None);
    };
    let Some(inner) = map.get(key).filter(|v| v.is_object()) else {
        return Ok(None);
    };
    let mut errors = Vec::new();
    for other in map.keys().filter(|k| *k != key && *k != "project") {
        errors.push(is456::FieldError {
            field: other.clone(),
            message: format!("unknown field `{other}`; the body has `{key}` and `project`"),
        });
    }
    let project = match map.get("project") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= 200 => Some(s.as_str()),
        Some(_) => {
            errors.push(is456::FieldError {
                field: "project".into(),
                message: "must be a string of at most 200 characters".into(),
            });
            None
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    Ok(Some((inner, project)))
}

pub async fn report(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    Query(query): Query<ReportQuery>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    user.require(SCOPE_DESIGN)?;
    let format = format_of(query.format.as_deref(), &headers)?;
    if let Some((member, project)) = member_parts(&body)? {
        let project = project.map(str::to_owned);
        let (member, result) = crate::member::design(member.clone()).await?;
        state.metrics.record_designs(1);
        let id = result.id.clone().unwrap_or_else(|| "member".to_owned());
        let date = today();
        let rendered = tokio::task::spawn_blocking(move || {
            let input = beamline_report::MemberReportInput::new(&member, &result, &date)
                .project(project.as_deref());
            match format {
                Format::Html => Ok(beamline_report::member_html(&input).into_bytes()),
                Format::Pdf => beamline_report::member_pdf(&input),
            }
        })
        .await
        .map_err(|e| ApiError::Internal(format!("the report task failed: {e}")))?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
        return Ok(respond(rendered, format, &id));
    }
    let (beam_json, project) = parts(&body)?;
    let beam = Beam::from_json(beam_json)?;
    let given: Vec<String> = beam_json
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys())
        .filter_map(|k| is456::input::canonical_name(k).map(str::to_owned))
        .collect();
    let project = project.map(str::to_owned);
    let date = today();
    state.metrics.record_designs(1);
    let id = beam.id().unwrap_or("beam").to_owned();
    // Designing and writing a PDF is CPU work of a few milliseconds: off the reactor.
    let rendered = tokio::task::spawn_blocking(move || {
        let result = crate::engine::run(|| is456::design(&beam))?;
        let input = beamline_report::ReportInput::new(&beam, &result, &date)
            .project(project.as_deref())
            .given(&given);
        match format {
            Format::Html => Ok(beamline_report::html(&input).into_bytes()),
            Format::Pdf => {
                beamline_report::pdf(&input).map_err(|e| ApiError::Internal(e.to_string()))
            }
        }
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the report task failed: {e}")))??;
    Ok(respond(rendered, format, &id))
}

fn today() -> String {
    crate::clock::now_rfc3339().chars().take(10).collect()
}

/// The rendered report with its type and a file name after the beam's or member's `id`.
fn respond(rendered: Vec<u8>, format: Format, id: &str) -> Response {
    let (content_type, suffix) = match format {
        Format::Html => ("text/html; charset=utf-8", "-calculation.html"),
        Format::Pdf => ("application/pdf", "-calculation.pdf"),
    };
    file(rendered, content_type, Disposition::Inline, id, suffix)
}

/// A member's report: the body is a member (it has `spans`) or `{"member": {…}, "project": "…"}`.
fn member_parts(body: &Value) -> Result<Option<(&Value, Option<&str>)>, ApiError> {
    if body.get("spans").is_some() {
        return Ok(Some((body, None)));
    }
    wrapped(body, "member")
}

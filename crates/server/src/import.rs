//! `POST /api/v1/import/{etabs|staad|csv}`: members from an analysis program's force tables
//! (docs/import.md). The body is the export itself (CSV or XLSX) or a multipart form of files
//! (`forces`, then `sections`, `connectivity`); options are query parameters. With `?job=true` the
//! members go straight into a batch job (docs/jobs.md).

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use beamline_import::{CaseMode, File, Format, ImportError, Imported, Options, Unit};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{AuthUser, SCOPE_DESIGN};
use crate::error::ApiError;
use crate::json::{read_body, JsonResponse};
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes {
    Routes::new().route("/api/v1/import/{source}", post(import))
}

/// The import's options (docs/import.md, "Options"), as query parameters.
#[derive(Debug, Default, Deserialize)]
pub struct ImportQuery {
    /// `auto` (default), `export` or `is456`.
    pub combinations: Option<String>,
    /// `force,length` where the export has no units line, e.g. `kN,m`.
    pub units: Option<String>,
    /// `sagging` or `hogging`: the sign of the export's positive moment.
    pub moment_sign: Option<String>,
    pub support_width: Option<f64>,
    pub group_tolerance: Option<f64>,
    /// `false`: every beam designed on its own.
    pub group: Option<bool>,
    pub width: Option<f64>,
    pub depth: Option<f64>,
    pub fck: Option<f64>,
    pub fy: Option<f64>,
    pub ductile: Option<bool>,
    /// `true`: submit the members as a batch job and answer 202 with where to follow it.
    pub job: Option<bool>,
}

fn bad(message: String) -> ApiError {
    ApiError::BadRequest(message)
}

/// The options of a query, each checked.
pub fn options(q: &ImportQuery) -> Result<Options, ApiError> {
    let d = Options::default();
    let units = match &q.units {
        None => None,
        Some(u) => Some(
            Unit::pair(u)
                .ok_or_else(|| bad("units must be force,length such as kN,m or tonf,m".into()))?,
        ),
    };
    let combinations = match &q.combinations {
        None => CaseMode::Auto,
        Some(c) => CaseMode::parse(c)
            .ok_or_else(|| bad("combinations must be auto, export or is456".into()))?,
    };
    let moment_sign = match q.moment_sign.as_deref() {
        None => None,
        Some("sagging") => Some(1.0),
        Some("hogging") => Some(-1.0),
        Some(_) => return Err(bad("moment_sign must be sagging or hogging".into())),
    };
    let section = match (q.width, q.depth) {
        (None, None) => None,
        (Some(w), Some(h)) => Some((w, h)),
        _ => return Err(bad("width and depth are given together".into())),
    };
    let tolerance = q.group_tolerance.unwrap_or(0.10);
    Options {
        units,
        moment_sign,
        support_width: q.support_width.unwrap_or(d.support_width),
        combinations,
        group_tolerance: (q.group != Some(false)).then_some(tolerance),
        section,
        fck: q.fck.unwrap_or(d.fck),
        fy: q.fy.unwrap_or(d.fy),
        ductile: q.ductile.unwrap_or(false),
    }
    .checked()
    .map_err(|e| bad(format!("{} {}", e.option, e.message)))
}

/// Every problem of an import as the field errors of a 422: `field` says where (file, line, column).
fn invalid(e: ImportError) -> ApiError {
    let errors: Vec<is456::FieldError> = e
        .problems
        .into_iter()
        .map(|p| is456::FieldError {
            field: p.at.map_or_else(|| "file".to_owned(), |at| at.to_string()),
            message: p.message,
        })
        .collect();
    let mut error = ApiError::invalid(errors);
    if let ApiError::Validation { detail, .. } = &mut error {
        *detail = detail.replacen("Invalid input", "The tables could not be read", 1);
    }
    error
}

/// The files of the body: one export, or the parts of a multipart form (the `forces` part first).
async fn files(content_type: &str, bytes: Bytes) -> Result<Vec<(String, Bytes)>, ApiError> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime != "multipart/form-data" {
        const TYPES: [&str; 5] = [
            "text/csv",
            "text/plain",
            "text/tab-separated-values",
            "application/octet-stream",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ];
        if !TYPES.contains(&mime.as_str()) {
            return Err(ApiError::UnsupportedMediaType(
                "text/csv, an XLSX workbook or multipart/form-data",
            ));
        }
        return Ok(vec![("request body".into(), bytes)]);
    }
    let request = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .map_err(|e| bad(e.to_string()))?;
    let mut form = Multipart::from_request(request, &())
        .await
        .map_err(|e| bad(e.body_text()))?;
    let mut parts = Vec::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| bad(format!("unreadable multipart body: {e}")))?
    {
        let name = field.name().unwrap_or("").to_owned();
        let file = field
            .file_name()
            .map(str::to_owned)
            .unwrap_or_else(|| name.clone());
        let data = field
            .bytes()
            .await
            .map_err(|e| bad(format!("unreadable part `{name}`: {e}")))?;
        parts.push((name, file, data));
    }
    // The forces first (`forces` or `file`), then the rest in the order given.
    parts.sort_by_key(|(name, _, _)| !matches!(name.as_str(), "forces" | "file"));
    if parts.is_empty() {
        return Err(bad(
            "the multipart body holds no file: send the forces as the part `forces`".into(),
        ));
    }
    Ok(parts
        .into_iter()
        .map(|(_, file, data)| (file, data))
        .collect())
}

/// Reads the export off the async runtime: an XLSX of thousands of rows takes milliseconds.
pub async fn run(
    format: Format,
    files: Vec<(String, Bytes)>,
    options: Options,
) -> Result<Imported, ApiError> {
    tokio::task::spawn_blocking(move || {
        let list: Vec<File<'_>> = files
            .iter()
            .map(|(name, bytes)| File { name, bytes })
            .collect();
        beamline_import::import(format, &list, &options).map_err(invalid)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the import stopped: {e}")))?
}

/// The body is read before anything else is checked, so that a client still sending a large export
/// always gets its answer rather than a connection closed under it.
pub async fn import(
    State(state): State<AppState>,
    user: AuthUser,
    Path(source): Path<String>,
    RawQuery(raw): RawQuery,
    req: Request,
) -> Result<Response, ApiError> {
    user.require(SCOPE_DESIGN)?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = read_body(req, &state).await?;
    let format = Format::parse(&source).ok_or_else(|| {
        bad(format!(
            "the import reads etabs, staad or csv, not {:?}",
            source.chars().take(20).collect::<String>()
        ))
    })?;
    let query: ImportQuery = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| bad(format!("invalid query: {e}")))?;
    let options = options(&query)?;
    let files = files(&content_type, bytes).await?;
    let imported = run(format, files, options).await?;
    if query.job == Some(true) {
        let record =
            crate::jobs::routes::submit(&state, &user, Value::from(imported.members)).await?;
        let mut extra = serde_json::Map::new();
        extra.insert("groups".into(), json!(imported.groups));
        extra.insert("warnings".into(), json!(imported.warnings));
        return crate::jobs::routes::accepted(&record, extra);
    }
    let body: Value = json!({"members": imported.members, "groups": imported.groups, "warnings": imported.warnings});
    Ok(JsonResponse::of(&body)?.into_response())
}

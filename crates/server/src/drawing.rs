//! DXF drawings (docs/drawings.md): `POST /api/v1/drawing` (a beam, a member or a list of members)
//! and `GET /api/v1/jobs/{job_id}/drawings.dxf` (every member of a job on one sheet set).

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use beamline_drawing::Sheet;
use futures_util::StreamExt;
use serde_json::Value;

use crate::auth::{AuthUser, SCOPE_DESIGN};
use crate::error::ApiError;
use crate::file::{file, Disposition};
use crate::json::JsonBody;
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes {
    Routes::new()
        .route("/api/v1/drawing", post(drawing))
        .route("/api/v1/jobs/{job_id}/drawings.dxf", get(job_drawings))
}

/// The DXF as an attachment named after what it draws.
fn dxf_response(sheet: Sheet) -> Response {
    file(
        sheet.dxf,
        "application/dxf",
        Disposition::Attachment,
        &sheet.name,
        ".dxf",
    )
}

/// Designs and draws off the async runtime: a sheet of many members takes milliseconds.
async fn draw(
    f: impl FnOnce() -> Result<Sheet, Vec<is456::FieldError>> + Send + 'static,
) -> Result<Sheet, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(format!("the drawing stopped: {e}")))?
        .map_err(ApiError::invalid)
}

pub async fn drawing(
    State(state): State<AppState>,
    user: AuthUser,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    user.require(SCOPE_DESIGN)?;
    let sheet = draw(move || beamline_drawing::from_json(&body)).await?;
    state.metrics.record_designs(sheet.count as u64);
    Ok(dxf_response(sheet))
}

/// Every member row of a job, designed again from its input (the design is deterministic), on one
/// sheet. A job without members has nothing to draw: 404 with why.
pub async fn job_drawings(
    State(state): State<AppState>,
    user: AuthUser,
    Path(job_id): Path<String>,
) -> Result<Response, ApiError> {
    user.require(SCOPE_DESIGN)?;
    let record = state.jobs.get(&user.0.sub, &job_id).await?;
    let mut members: Vec<Value> = Vec::new();
    let pages = state.jobs.outcomes(record.job_id.clone());
    futures_util::pin_mut!(pages);
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ApiError::Internal(e.to_string()))?;
        for e in &page {
            if let Ok(beamline_batch::JobEvent::DesignResult(d)) =
                beamline_batch::JobEvent::parse(&e.name, &e.data)
            {
                if d.is_member() {
                    members.push(d.beam);
                }
            }
        }
    }
    if members.is_empty() {
        return Err(ApiError::Missing(format!("job {} has no designed members to draw (beams are drawn one at a time with POST /api/v1/drawing)", record.job_id)));
    }
    let mut sheet = draw(move || beamline_drawing::members_from_json(&members)).await?;
    sheet.name = format!("{}-drawings", record.job_id);
    Ok(dxf_response(sheet))
}

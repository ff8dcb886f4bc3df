//! `POST /api/v1/design/member`: a beam along its spans (docs/members.md), as JSON, or its bar
//! bending schedule as CSV with `?format=csv`.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use is456::{Member, MemberResult};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::{AuthUser, SCOPE_DESIGN};
use crate::error::ApiError;
use crate::file::{file, Disposition};
use crate::json::{JsonBody, JsonResponse};
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes {
    Routes::new().route("/api/v1/design/member", post(design_member))
}

#[derive(Deserialize)]
pub struct MemberQuery {
    /// `json` (the default) or `csv` (the bar bending schedule).
    pub format: Option<String>,
}

/// `POST /api/v1/design/member` answer.
#[derive(Serialize, schemars::JsonSchema)]
pub struct MemberResponse<'a> {
    /// The member as given.
    pub member: &'a Value,
    pub result: &'a MemberResult,
}

/// The member of a request body: the body itself, or its `member` when that is the only key.
pub fn member_of(body: &Value) -> &Value {
    match body.as_object() {
        Some(map) if map.len() == 1 && map.get("member").is_some_and(Value::is_object) => {
            &map["member"]
        }
        _ => body,
    }
}

/// Parses and designs a member off the async runtime: a long member takes milliseconds.
pub async fn design(body: Value) -> Result<(Value, MemberResult), ApiError> {
    tokio::task::spawn_blocking(move || {
        let member = Member::from_json(member_of(&body))?;
        let result = crate::engine::run(|| is456::design_member(&member))?;
        Ok::<_, ApiError>((member_of(&body).clone(), result))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the member design stopped: {e}")))?
}

pub async fn design_member(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<MemberQuery>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    user.require(SCOPE_DESIGN)?;
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "format must be json or csv, got {:?}",
                other.chars().take(20).collect::<String>()
            )))
        }
    };
    let (member, result) = design(body).await?;
    state.metrics.record_designs(1);
    if csv {
        let name = result.id.clone().unwrap_or_else(|| "member".into());
        let text = is456::member::bbs::to_csv(&result.bbs, &name);
        return Ok(file(
            text,
            "text/csv; charset=utf-8",
            Disposition::Attachment,
            &name,
            "-bbs.csv",
        ));
    }
    Ok(JsonResponse::of(&MemberResponse {
        member: &member,
        result: &result,
    })?
    .into_response())
}

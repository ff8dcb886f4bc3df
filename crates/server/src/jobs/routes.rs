//! The batch routes (docs/jobs.md): create jobs, stream and replay their events, status, results, cancel.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{json, Value};

use beamline_batch::{results, sse, Designed, JobEvent};
use futures_util::StreamExt;

use super::follow::Followed;
use super::manager::JobManager;
use super::store::{JobRecord, StoredEvent};
use crate::auth::{AuthUser, SCOPE_DESIGN};
use crate::clock::rfc3339;
use crate::error::ApiError;
use crate::json::{JsonBody, JsonResponse};
use crate::routes::Routes;
use crate::state::AppState;

/// The job routes of the API: create, status, cancel, results.
pub fn router() -> Routes {
    Routes::new()
        .route("/api/v1/jobs", post(create))
        .route("/api/v1/jobs/{job_id}", get(status).delete(cancel))
        .route("/api/v1/jobs/{job_id}/results", get(results))
}

/// The event streams, which a browser's `EventSource` opens with a GET.
pub fn stream_router() -> Routes {
    Routes::new()
        .route("/stream/batch-design", post(stream_batch).get(follow_batch))
        .route("/stream/jobs/{job_id}", get(replay))
}

/// The beams of a batch body: a bare array or `{"beams": [...]}`, 1 to `max` of them.
pub fn beams_of(body: Value, max: usize) -> Result<Vec<Value>, ApiError> {
    let field = |message: String| {
        ApiError::invalid(vec![is456::FieldError {
            field: "beams".into(),
            message,
        }])
    };
    let beams = match body {
        Value::Array(beams) => beams,
        Value::Object(mut map) => {
            let extra: Vec<String> = map.keys().filter(|k| *k != "beams").cloned().collect();
            if let Some(key) = extra.first() {
                return Err(ApiError::invalid(vec![is456::FieldError {
                    field: key.clone(),
                    message: format!(
                        "unknown field `{key}`; the body is {{\"beams\": [...]}} or an array"
                    ),
                }]));
            }
            match map.remove("beams") {
                Some(Value::Array(beams)) => beams,
                Some(_) => return Err(field("must be an array of beams".into())),
                None => return Err(field("is required".into())),
            }
        }
        _ => {
            return Err(field(
                "the body must be an array of beams or {\"beams\": [...]}".into(),
            ))
        }
    };
    if beams.is_empty() {
        return Err(field("must hold at least one beam".into()));
    }
    if beams.len() > max {
        return Err(field(format!(
            "holds {} beams; at most {max} are allowed in one job",
            beams.len()
        )));
    }
    Ok(beams)
}

fn time(ms: Option<u64>) -> Value {
    ms.map_or(Value::Null, |ms| {
        Value::from(rfc3339(ms / 1000, (ms % 1000) as u32))
    })
}

pub fn status_json(r: &JobRecord) -> Value {
    json!({
        "job_id": r.job_id,
        "status": r.status,
        "total_beams": r.total_beams,
        "completed_beams": r.completed_beams,
        "succeeded": r.succeeded,
        "failed": r.failed,
        "errors": r.errors,
        "created_at": time(Some(r.created_at)),
        "started_at": time(r.started_at),
        "finished_at": time(r.finished_at),
    })
}

/// The job's stream as Server-Sent Events: the `retry:` preamble, each event framed with its id, and
/// a keepalive comment while quiet.
/// How much of each result a stream carries (`?detail=`, docs/jobs.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every result whole.
    Full,
    /// What a table of outcomes shows ([`Designed::summary`]).
    Summary,
}

impl Detail {
    fn parse(raw: Option<&str>) -> Result<Detail, ApiError> {
        match raw {
            None | Some("full") => Ok(Detail::Full),
            Some("summary") => Ok(Detail::Summary),
            Some(other) => Err(ApiError::BadRequest(format!(
                "detail is full or summary, got {:?}",
                other.chars().take(40).collect::<String>()
            ))),
        }
    }
}

fn sse(state: &AppState, job_id: &str, after: u64, detail: Detail) -> Response {
    let events = state
        .jobs
        .follow(job_id.to_owned(), after, state.shutdown.clone());
    let frames = futures_util::stream::once(async { Bytes::from_static(sse::RETRY.as_bytes()) })
        .chain(events.map(move |followed| match followed {
            Followed::Event(e)
                if detail == Detail::Summary && e.name == JobEvent::DESIGN_RESULT =>
            {
                Bytes::from(sse::frame(e.id, &e.name, &Designed::summary(&e.data)))
            }
            Followed::Event(e) => Bytes::from(sse::frame(e.id, &e.name, &e.data)),
            Followed::Quiet => Bytes::from_static(sse::KEEPALIVE.as_bytes()),
        }))
        .map(Ok::<Bytes, Infallible>);
    let mut response = Body::from_stream(frames).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    if let Ok(v) = HeaderValue::from_str(job_id) {
        headers.insert("x-job-id", v);
    }
    response
}

/// Checks the request and stores the job (both creation routes, and imports with `?job=true`).
pub async fn submit(state: &AppState, user: &AuthUser, body: Value) -> Result<JobRecord, ApiError> {
    user.require(SCOPE_DESIGN)?;
    let beams = beams_of(body, state.jobs.config().max_batch_beams)?;
    state.jobs.submit(&user.0.sub, beams).await
}

/// `POST /stream/batch-design`: creates the job and streams its events.
pub async fn stream_batch(
    State(state): State<AppState>,
    user: AuthUser,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let record = submit(&state, &user, body).await?;
    Ok(sse(&state, &record.job_id, 0, Detail::Full))
}

/// `POST /api/v1/jobs`: creates the job; 202 with where to follow it.
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let record = submit(&state, &user, body).await?;
    accepted(&record, serde_json::Map::new())
}

/// 202 with where to follow a new job, and any `extra` fields.
pub fn accepted(
    record: &JobRecord,
    extra: serde_json::Map<String, Value>,
) -> Result<Response, ApiError> {
    let id = &record.job_id;
    let mut body = json!({
        "job_id": id,
        "status": record.status,
        "total_beams": record.total_beams,
        "events_url": format!("/stream/jobs/{id}"),
        "status_url": format!("/api/v1/jobs/{id}"),
    });
    if let Some(map) = body.as_object_mut() {
        map.extend(extra);
    }
    let mut response = (StatusCode::ACCEPTED, JsonResponse::of(&body)?).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/jobs/{id}")) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct FollowQuery {
    pub last_event_id: Option<String>,
    pub detail: Option<String>,
}

/// A `Last-Event-ID` (header or query): empty means "from the start"; anything but a whole number
/// that fits in 64 bits is a 400.
pub fn parse_last_event_id(raw: Option<&str>) -> Result<u64, ApiError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(0),
        Some(v) => v.parse::<u64>().map_err(|_| {
            ApiError::BadRequest(format!(
                "Last-Event-ID must be an event id (a whole number), got {:?}",
                v.chars().take(40).collect::<String>()
            ))
        }),
    }
}

#[derive(Deserialize)]
pub struct BatchFollowQuery {
    pub job_id: Option<String>,
    pub last_event_id: Option<String>,
    pub detail: Option<String>,
}

/// `GET /stream/batch-design?job_id=…`: what a browser's `EventSource` (which can only GET) uses to
/// follow a job, the same stream as `GET /stream/jobs/{job_id}`. Without `job_id` there is nothing to
/// follow: a 405 that says which routes to use.
pub async fn follow_batch(
    state: State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    Query(query): Query<BatchFollowQuery>,
) -> Result<Response, ApiError> {
    let Some(job_id) = query.job_id else {
        return Err(ApiError::UseInstead(
            "GET /stream/batch-design needs ?job_id= of a job to follow; to start a job, use POST \
             /stream/batch-design (or POST /api/v1/jobs), and to follow one, GET \
             /stream/jobs/{id}"
                .into(),
        ));
    };
    let follow = FollowQuery {
        last_event_id: query.last_event_id,
        detail: query.detail,
    };
    replay(state, user, Path(job_id), headers, Query(follow)).await
}

/// `GET /stream/jobs/{job_id}`: replay from the start or after `Last-Event-ID`, then follow.
pub async fn replay(
    State(state): State<AppState>,
    user: AuthUser,
    Path(job_id): Path<String>,
    headers: HeaderMap,
    Query(query): Query<FollowQuery>,
) -> Result<Response, ApiError> {
    user.require(SCOPE_DESIGN)?;
    let record = state.jobs.get(&user.0.sub, &job_id).await?;
    let raw = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(query.last_event_id);
    let after = parse_last_event_id(raw.as_deref())?;
    // On a finished job, resuming at or past its last event (`complete`) replays `complete` and
    // ends at once. A running job's stream waits for ids past `after`, and ends when the job does.
    let last = record.next_event_id.saturating_sub(1);
    let after = if record.status.is_finished() && after >= last {
        last.saturating_sub(1)
    } else {
        after
    };
    let detail = Detail::parse(query.detail.as_deref())?;
    Ok(sse(&state, &job_id, after, detail))
}

pub async fn status(
    State(state): State<AppState>,
    user: AuthUser,
    Path(job_id): Path<String>,
) -> Result<JsonResponse, ApiError> {
    user.require(SCOPE_DESIGN)?;
    let record = state.jobs.get(&user.0.sub, &job_id).await?;
    JsonResponse::of(&status_json(&record))
}

pub async fn cancel(
    State(state): State<AppState>,
    user: AuthUser,
    Path(job_id): Path<String>,
) -> Result<JsonResponse, ApiError> {
    user.require(SCOPE_DESIGN)?;
    let record = state.jobs.cancel(&user.0.sub, &job_id).await?;
    let mut body = status_json(&record);
    body["cancel_requested"] = Value::from(record.cancel_requested);
    JsonResponse::of(&body)
}

#[derive(Deserialize)]
pub struct ResultsQuery {
    pub format: Option<String>,
}

pub async fn results(
    State(state): State<AppState>,
    user: AuthUser,
    Path(job_id): Path<String>,
    Query(query): Query<ResultsQuery>,
) -> Result<Response, ApiError> {
    user.require(SCOPE_DESIGN)?;
    let record = state.jobs.get(&user.0.sub, &job_id).await?;
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "format must be json or csv, got {other:?}"
            )))
        }
    };
    let head = if csv {
        results::HEADER.to_owned()
    } else {
        format!(
            "{{\"job_id\":{},\"status\":{},\"completed_beams\":{},\"results\":[",
            Value::from(record.job_id.as_str()),
            serde_json::to_string(&record.status).unwrap_or_default(),
            record.completed_beams
        )
    };
    let body = Body::from_stream(result_rows(state.jobs.clone(), record.job_id, csv, head));
    let content_type = if csv {
        "text/csv; charset=utf-8"
    } else {
        "application/json"
    };
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

/// The results of a job as a stream of chunks, one page of outcomes at a time.
fn result_rows(
    jobs: Arc<JobManager>,
    job_id: String,
    csv: bool,
    head: String,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    async_stream::stream! {
        yield Ok(Bytes::from(head));
        let mut rows = Rows { csv, first: true, inputs: None };
        let pages = jobs.outcomes(job_id.clone());
        futures_util::pin_mut!(pages);
        while let Some(page) = pages.next().await {
            let page = match page {
                Ok(page) => page,
                Err(e) => {
                    yield Err(std::io::Error::other(e.to_string()));
                    break;
                }
            };
            let mut chunk = String::new();
            for e in &page {
                rows.push(&jobs, &job_id, e, &mut chunk).await;
            }
            if !chunk.is_empty() {
                yield Ok(Bytes::from(chunk));
            }
        }
        if !csv {
            yield Ok(Bytes::from_static(b"]}"));
        }
    }
}

/// Writes outcome events as CSV rows or JSON array items.
struct Rows {
    csv: bool,
    first: bool,
    /// The job's inputs, read only for `error` events stored before events named their beam.
    inputs: Option<Vec<Value>>,
}

impl Rows {
    async fn push(&mut self, jobs: &JobManager, job_id: &str, e: &StoredEvent, out: &mut String) {
        if !self.csv && e.name == JobEvent::DESIGN_RESULT {
            // Stored as the JSON of the item already: copied, not parsed.
            self.separate(out);
            out.push_str(&e.data);
            return;
        }
        match JobEvent::parse(&e.name, &e.data) {
            Ok(JobEvent::DesignResult(d)) => out.push_str(&results::designed_row(&d)),
            Ok(JobEvent::Error(err)) if self.csv => {
                if err.id.is_none() && self.inputs.is_none() {
                    self.inputs = Some(jobs.inputs(job_id).await.unwrap_or_default());
                }
                out.push_str(&results::error_row(
                    &err,
                    self.inputs.as_deref().unwrap_or(&[]),
                ));
            }
            Ok(JobEvent::Error(err)) => {
                self.separate(out);
                out.push_str(&json!({"index": err.beam_index, "error": err.error}).to_string());
            }
            Ok(_) => {}
            Err(parse) => tracing::error!(job_id, event = e.id, error = %parse, "unreadable event"),
        }
    }

    fn separate(&mut self, out: &mut String) {
        if !self.first {
            out.push(',');
        }
        self.first = false;
    }
}

//! The batch routes (docs/jobs.md): create jobs, stream and replay their events, status, results, cancel.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{json, Value};

use super::events::{self, COMPLETE, DESIGN_RESULT, ERROR};
use super::manager::JobManager;
use super::store::{JobRecord, StoredEvent};
use crate::app::AppState;
use crate::auth::{AuthUser, SCOPE_DESIGN};
use crate::clock::rfc3339;
use crate::error::ApiError;
use crate::json::{JsonBody, JsonResponse};

/// Events read from the store per page while replaying or following.
const PAGE: usize = 512;

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

/// The job's events after `after`, then live ones until `complete`; a keepalive comment while quiet.
/// Memory per follower is one page of events, whatever the size of the job.
fn follow(
    jobs: Arc<JobManager>,
    shutdown: tokio_util::sync::CancellationToken,
    job_id: String,
    after: u64,
) -> Body {
    let keepalive = Duration::from_secs(jobs.config().keepalive_seconds.max(1));
    let stream = async_stream::stream! {
        yield Ok::<Bytes, Infallible>(Bytes::from_static(events::RETRY));
        let mut next = after.saturating_add(1);
        let mut updates = jobs.subscribe(&job_id);
        loop {
            if let Some(rx) = updates.as_mut() {
                rx.borrow_and_update();
            }
            let store = jobs.store().clone();
            let id = job_id.clone();
            let page = tokio::task::spawn_blocking(move || store.events(&id, next, PAGE)).await;
            let page: Vec<StoredEvent> = match page {
                Ok(Ok(page)) => page,
                _ => break,
            };
            let full = page.len() == PAGE;
            let mut done = false;
            for e in &page {
                done |= e.name == COMPLETE;
                next = e.id + 1;
                yield Ok(events::frame(e));
            }
            if done {
                break;
            }
            if full {
                continue;
            }
            if updates.is_none() {
                // Not running here: a finished job has nothing more to say.
                let store = jobs.store().clone();
                let id = job_id.clone();
                let record = tokio::task::spawn_blocking(move || store.get(&id)).await;
                match record {
                    Ok(Ok(Some(r))) if r.status.is_finished() && next >= r.next_event_id => break,
                    Ok(Ok(None)) | Ok(Err(_)) | Err(_) => break,
                    _ => {}
                }
            }
            // Caught up: wait for the next commit, a keepalive, or shutdown.
            let changed = async {
                match updates.as_mut() {
                    Some(rx) => rx.changed().await.is_ok(),
                    None => {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        true
                    }
                }
            };
            tokio::select! {
                _ = shutdown.cancelled() => break,
                ok = changed => {
                    if !ok {
                        // The job left this process (finished): read on to its `complete`.
                        updates = None;
                    }
                }
                _ = tokio::time::sleep(keepalive) => yield Ok(Bytes::from_static(events::KEEPALIVE)),
            }
        }
    };
    Body::from_stream(stream)
}

fn sse(state: &AppState, job_id: &str, after: u64) -> Response {
    let body = follow(
        state.jobs.clone(),
        state.shutdown.clone(),
        job_id.to_owned(),
        after,
    );
    let mut response = body.into_response();
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

/// Checks the request and stores the job (both creation routes).
async fn submit(state: &AppState, user: &AuthUser, body: Value) -> Result<JobRecord, ApiError> {
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
    Ok(sse(&state, &record.job_id, 0))
}

/// `POST /api/v1/jobs`: creates the job; 202 with where to follow it.
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let record = submit(&state, &user, body).await?;
    let id = &record.job_id;
    let body = JsonResponse::of(&json!({
        "job_id": id,
        "status": record.status,
        "total_beams": record.total_beams,
        "events_url": format!("/stream/jobs/{id}"),
        "status_url": format!("/api/v1/jobs/{id}"),
    }))?;
    let mut response = (StatusCode::ACCEPTED, body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/jobs/{id}")) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct FollowQuery {
    pub last_event_id: Option<String>,
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
    Ok(sse(&state, &job_id, after))
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
        super::csv::HEADER.to_owned()
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

/// The results of a job as a stream of chunks, one page of events at a time: memory per reader is a
/// page, whatever the size of the job.
fn result_rows(
    jobs: Arc<JobManager>,
    job_id: String,
    csv: bool,
    head: String,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    async_stream::stream! {
        yield Ok(Bytes::from(head));
        let mut next = 1;
        let mut first = true;
        // The job's inputs, read only for `error` events stored before events named their beam.
        let mut inputs: Option<Arc<Vec<Value>>> = None;
        loop {
            let store = jobs.store().clone();
            let id = job_id.clone();
            let page = tokio::task::spawn_blocking(move || store.events(&id, next, PAGE)).await;
            let page = match page {
                Ok(Ok(page)) => page,
                Ok(Err(e)) => {
                    yield Err(std::io::Error::other(e.to_string()));
                    break;
                }
                Err(e) => {
                    yield Err(std::io::Error::other(e.to_string()));
                    break;
                }
            };
            let full = page.len() == PAGE;
            let mut chunk = String::new();
            for e in page.iter().filter(|e| e.name == DESIGN_RESULT || e.name == ERROR) {
                if csv {
                    let needs_inputs = e.name == ERROR && !e.data.contains("\"id\":");
                    if needs_inputs && inputs.is_none() {
                        let store = jobs.store().clone();
                        let id = job_id.clone();
                        let read = tokio::task::spawn_blocking(move || store.inputs(&id)).await;
                        inputs = Some(Arc::new(match read {
                            Ok(Ok(v)) => v,
                            _ => Vec::new(),
                        }));
                    }
                    let given = inputs.as_deref().map_or(&[][..], |v| v.as_slice());
                    chunk.push_str(&super::csv::row(e, given));
                } else {
                    if !first {
                        chunk.push(',');
                    }
                    first = false;
                    if e.name == ERROR {
                        let v: Value = serde_json::from_str(&e.data).unwrap_or(Value::Null);
                        chunk.push_str(
                            &json!({"index": v["beam_index"], "error": v["error"]}).to_string(),
                        );
                    } else {
                        chunk.push_str(&e.data);
                    }
                }
            }
            if let Some(last) = page.last() {
                next = last.id + 1;
            }
            if !chunk.is_empty() {
                yield Ok(Bytes::from(chunk));
            }
            if !full {
                break;
            }
        }
        if !csv {
            yield Ok(Bytes::from_static(b"]}"));
        }
    }
}

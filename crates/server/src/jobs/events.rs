//! The events of a job's stream (docs/jobs.md), and designing a chunk of beams into them.

use bytes::Bytes;
use is456::{Beam, DesignResult, FieldError, Status};
use serde::Serialize;
use serde_json::{json, Value};

use super::store::{JobRecord, StoredEvent};

pub const START: &str = "start";
pub const PROGRESS: &str = "progress";
pub const DESIGN_RESULT: &str = "design_result";
pub const ERROR: &str = "error";
pub const COMPLETE: &str = "complete";

/// The first line of every stream: how long a browser waits before reconnecting.
pub const RETRY: &[u8] = b"retry: 2000\n\n";
pub const KEEPALIVE: &[u8] = b": keepalive\n\n";

/// An event as it goes on the wire.
pub fn frame(e: &StoredEvent) -> Bytes {
    Bytes::from(format!(
        "id: {}\nevent: {}\ndata: {}\n\n",
        e.id, e.name, e.data
    ))
}

pub fn start(record: &JobRecord) -> (&'static str, String) {
    (
        START,
        json!({"job_id": record.job_id, "total_beams": record.total_beams}).to_string(),
    )
}

pub fn complete(record: &JobRecord, status: &str, duration_ms: u64) -> (&'static str, String) {
    (
        COMPLETE,
        json!({"status": status, "summary": {
            "total": record.total_beams,
            "succeeded": record.succeeded,
            "failed": record.failed,
            "errors": record.errors,
            "duration_ms": duration_ms,
        }})
        .to_string(),
    )
}

#[derive(Serialize)]
struct DesignEvent<'a> {
    index: usize,
    beam: &'a Beam,
    result: &'a DesignResult,
}

fn progress(current: usize, total: usize) -> String {
    let percent = if total == 0 {
        100.0
    } else {
        (current as f64 * 1000.0 / total as f64).round() / 10.0
    };
    json!({"current": current, "total": total, "percent": percent}).to_string()
}

/// The `error` event of a beam that could not be designed; `id` is the id it was given, if any (so
/// that results can name it without reading the job's inputs again).
fn error_event(index: usize, id: &Value, errors: Vec<FieldError>) -> String {
    let message = format!("invalid beam: {}", FieldError::summary(&errors));
    let mut event = json!({"beam_index": index, "error": {"code": "validation_error", "message": message, "errors": errors}});
    if id.is_string() {
        event["id"] = id.clone();
    }
    event.to_string()
}

/// Designs `beams` (the next ones of the job, starting at `record.completed_beams`) and returns their
/// events with ids from `record.next_event_id`, advancing the record's counts to match.
pub fn design_chunk(record: &mut JobRecord, beams: &[Value]) -> Vec<StoredEvent> {
    let mut out = Vec::with_capacity(beams.len() * 2);
    let mut push = |record: &mut JobRecord, name: &str, data: String| {
        out.push(StoredEvent {
            id: record.next_event_id,
            name: name.to_owned(),
            data,
        });
        record.next_event_id += 1;
    };
    for value in beams {
        let index = record.completed_beams;
        match Beam::from_json(value) {
            Ok(beam) => {
                let result = is456::design(&beam);
                match result.status {
                    Status::Success => record.succeeded += 1,
                    Status::Fail => record.failed += 1,
                }
                let data = serde_json::to_string(&DesignEvent {
                    index,
                    beam: &beam,
                    result: &result,
                })
                .unwrap_or_else(|e| json!({"index": index, "error": e.to_string()}).to_string());
                push(record, DESIGN_RESULT, data);
            }
            Err(invalid) => {
                record.errors += 1;
                let id = super::csv::given_id(value);
                push(record, ERROR, error_event(index, id, invalid.errors));
            }
        }
        record.completed_beams += 1;
        let data = progress(record.completed_beams, record.total_beams);
        push(record, PROGRESS, data);
    }
    out
}

/// Adds one event with the record's next id.
pub fn event(record: &mut JobRecord, (name, data): (&str, String)) -> StoredEvent {
    let e = StoredEvent {
        id: record.next_event_id,
        name: name.to_owned(),
        data,
    };
    record.next_event_id += 1;
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::store::JobStatus;

    #[test]
    fn a_chunk_gives_a_result_or_error_then_progress_per_beam() {
        let mut record = JobRecord {
            job_id: "j".into(),
            owner: "o".into(),
            status: JobStatus::Running,
            total_beams: 3,
            completed_beams: 0,
            succeeded: 0,
            failed: 0,
            errors: 0,
            created_at: 0,
            started_at: None,
            finished_at: None,
            next_event_id: 2,
            cancel_requested: false,
        };
        let beams = vec![
            json!({"width": 300, "depth": 500, "Mu": 100}),
            json!({"width": 30}),
            json!({"width": 230, "depth": 400, "Mu": 50, "Vu": 300}),
        ];
        let events = design_chunk(&mut record, &beams);
        let names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "design_result",
                "progress",
                "error",
                "progress",
                "design_result",
                "progress"
            ]
        );
        assert_eq!(
            events.iter().map(|e| e.id).collect::<Vec<_>>(),
            [2, 3, 4, 5, 6, 7]
        );
        assert_eq!((record.succeeded, record.failed, record.errors), (1, 1, 1));
        assert_eq!(record.next_event_id, 8);
        let progress: Value = serde_json::from_str(&events[3].data).unwrap();
        assert_eq!(progress, json!({"current": 2, "total": 3, "percent": 66.7}));
        let error: Value = serde_json::from_str(&events[2].data).unwrap();
        assert_eq!(error["beam_index"], 1);
        assert_eq!(error["error"]["code"], "validation_error");
        assert_eq!(
            frame(&events[1]),
            Bytes::from(format!(
                "id: 3\nevent: progress\ndata: {}\n\n",
                events[1].data
            ))
        );
    }
}

//! Designing a chunk of a job's beams into its events (docs/jobs.md), and giving each event the
//! record's next id. The events themselves are `beamline_batch::JobEvent`, shared with the clients.

use beamline_batch::event::{BeamError, Complete, Designed, Progress, Start, Summary};
use beamline_batch::results::given_id;
use beamline_batch::JobEvent;
use is456::{Beam, Status};
use serde_json::Value;

use super::store::{JobRecord, StoredEvent};
use crate::engine::{self, EngineFault};

pub fn start(record: &JobRecord) -> JobEvent {
    JobEvent::Start(Start {
        job_id: record.job_id.clone(),
        total_beams: record.total_beams as u64,
    })
}

/// `complete` with the job's counts; `status` is `done`, `cancelled` or `failed`.
pub fn complete(record: &JobRecord, status: &str, duration_ms: u64) -> JobEvent {
    JobEvent::Complete(Complete {
        status: status.to_owned(),
        summary: Summary {
            total: record.total_beams as u64,
            succeeded: record.succeeded as u64,
            failed: record.failed as u64,
            errors: record.errors as u64,
            duration_ms,
        },
    })
}

/// Adds one event with the record's next id.
pub fn event(record: &mut JobRecord, event: &JobEvent) -> StoredEvent {
    stored(record, event.name(), event.data())
}

fn stored(record: &mut JobRecord, name: &str, data: String) -> StoredEvent {
    let e = StoredEvent {
        id: record.next_event_id,
        name: name.to_owned(),
        data,
    };
    record.next_event_id += 1;
    e
}

/// Designs `beams` (the next ones of the job, starting at `record.completed_beams`) and returns their
/// events with ids from `record.next_event_id`, advancing the record's counts to match.
pub fn design_chunk(record: &mut JobRecord, beams: &[Value]) -> Vec<StoredEvent> {
    let mut out = Vec::with_capacity(beams.len() * 2);
    for value in beams {
        let index = record.completed_beams as u64;
        if value.get("spans").is_some() {
            out.push(design_member_row(record, index, value));
        } else {
            out.push(design_beam_row(record, index, value));
        }
        record.completed_beams += 1;
        let progress = Progress::new(record.completed_beams as u64, record.total_beams as u64);
        out.push(event(record, &JobEvent::Progress(progress)));
    }
    out
}

/// A member row (it has `spans`, docs/members.md): its `design_result`, or its `error`.
fn design_member_row(record: &mut JobRecord, index: u64, value: &Value) -> StoredEvent {
    match is456::Member::from_json(value) {
        Ok(member) => match engine::run(|| is456::design_member(&member)) {
            Ok(result) => {
                count(record, result.status);
                let data = Designed::member_data(index, value, &result);
                stored(record, JobEvent::DESIGN_RESULT, data)
            }
            Err(_) => faulted_row(record, index, value),
        },
        Err(invalid) => {
            record.errors += 1;
            let id = given_id(value).cloned();
            let error = JobEvent::Error(BeamError::invalid(index, id, invalid.errors));
            event(record, &error)
        }
    }
}

/// A beam row: its `design_result`, or its `error`.
fn design_beam_row(record: &mut JobRecord, index: u64, value: &Value) -> StoredEvent {
    match Beam::from_json(value) {
        Ok(beam) => match engine::run(|| is456::design(&beam)) {
            Ok(result) => {
                count(record, result.status);
                // Written straight from the engine's types: no JSON tree in between.
                let data = Designed::data(index, &beam, &result);
                stored(record, JobEvent::DESIGN_RESULT, data)
            }
            Err(_) => faulted_row(record, index, value),
        },
        Err(invalid) => {
            record.errors += 1;
            let id = given_id(value).cloned();
            let error = JobEvent::Error(BeamError::invalid(index, id, invalid.errors));
            event(record, &error)
        }
    }
}

fn count(record: &mut JobRecord, status: Status) {
    match status {
        Status::Success => record.succeeded += 1,
        Status::Fail => record.failed += 1,
    }
}

/// A row the engine could not finish: an `internal_error` event for it (counted with the errors),
/// and the job goes on with the next row.
fn faulted_row(record: &mut JobRecord, index: u64, value: &Value) -> StoredEvent {
    record.errors += 1;
    let id = given_id(value).cloned();
    let error = JobEvent::Error(BeamError::internal(index, id, EngineFault::MESSAGE));
    event(record, &error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::store::JobStatus;
    use serde_json::json;

    fn record(total_beams: usize) -> JobRecord {
        JobRecord {
            job_id: "j".into(),
            owner: "o".into(),
            status: JobStatus::Running,
            total_beams,
            completed_beams: 0,
            succeeded: 0,
            failed: 0,
            errors: 0,
            created_at: 0,
            started_at: None,
            finished_at: None,
            next_event_id: 2,
            cancel_requested: false,
        }
    }

    #[test]
    fn a_row_the_engine_cannot_finish_is_an_error_event_and_the_job_goes_on() {
        let mut record = record(2);
        let event = faulted_row(&mut record, 0, &json!({"beam_id": "B1", "width": 300}));
        let JobEvent::Error(error) = JobEvent::parse(&event.name, &event.data).unwrap() else {
            panic!("{event:?}");
        };
        assert_eq!((error.beam_index, error.id.as_deref()), (0, Some("B1")));
        assert_eq!(error.error.code, "internal_error");
        assert_eq!(record.errors, 1);
        // The next row of the chunk is designed as usual.
        let events = design_chunk(
            &mut record,
            &[json!({"width": 300, "depth": 500, "Mu": 100})],
        );
        assert_eq!(events[0].name, "design_result");
    }

    #[test]
    fn a_chunk_gives_a_result_or_error_then_progress_per_beam() {
        let mut record = record(3);
        let beams = vec![
            json!({"width": 300, "depth": 500, "Mu": 100}),
            json!({"width": 30, "beam_id": "B2"}),
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
        // Every event reads back as the typed event its name says.
        let typed: Vec<JobEvent> = events
            .iter()
            .map(|e| JobEvent::parse(&e.name, &e.data).unwrap())
            .collect();
        assert_eq!(typed[3], JobEvent::Progress(Progress::new(2, 3)));
        let JobEvent::Error(error) = &typed[2] else {
            panic!("{:?}", typed[2]);
        };
        assert_eq!((error.beam_index, error.id.as_deref()), (1, Some("B2")));
        assert_eq!(error.error.code, "validation_error");
    }
}

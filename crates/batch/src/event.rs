//! The events of a job's stream (docs/jobs.md). The server stores each as its name and its JSON data;
//! clients read them back with [`JobEvent::parse`].

use is456::{Beam, DesignResult, FieldError, MemberResult};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One event of a job.
#[derive(Debug, Clone, PartialEq)]
pub enum JobEvent {
    Start(Start),
    Progress(Progress),
    DesignResult(Designed),
    Error(BeamError),
    Complete(Complete),
}

/// `start`: the job and how many beams it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Start {
    pub job_id: String,
    pub total_beams: u64,
}

/// `progress`: beams done so far, after each beam.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub current: u64,
    pub total: u64,
    /// current/total in percent, to one decimal.
    pub percent: f64,
}

impl Progress {
    pub fn new(current: u64, total: u64) -> Progress {
        let percent = if total == 0 {
            100.0
        } else {
            (current as f64 * 1000.0 / total as f64).round() / 10.0
        };
        Progress {
            current,
            total,
            percent,
        }
    }
}

/// `design_result`: a beam designed; `beam` is its normalized input and `result` the design result
/// (docs/api.md), kept as JSON so that a reader needs nothing but this crate.
///
/// A row that is a member (docs/members.md) carries `kind: "member"`, the member as given in `beam`
/// and the member's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Designed {
    pub index: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub beam: Value,
    pub result: Value,
}

impl Designed {
    /// The data of a `design_result` event, written straight from the engine's types.
    pub fn data(index: u64, beam: &Beam, result: &DesignResult) -> String {
        #[derive(Serialize)]
        struct Borrowed<'a> {
            index: u64,
            beam: &'a Beam,
            result: &'a DesignResult,
        }
        serde_json::to_string(&Borrowed {
            index,
            beam,
            result,
        })
        .unwrap_or_else(|e| serde_json::json!({"index": index, "error": e.to_string()}).to_string())
    }

    /// The data of a member row's `design_result` event.
    pub fn member_data(index: u64, member: &Value, result: &MemberResult) -> String {
        #[derive(Serialize)]
        struct Borrowed<'a> {
            index: u64,
            kind: &'static str,
            beam: &'a Value,
            result: &'a MemberResult,
        }
        serde_json::to_string(&Borrowed {
            index,
            kind: "member",
            beam: member,
            result,
        })
        .unwrap_or_else(|e| serde_json::json!({"index": index, "error": e.to_string()}).to_string())
    }

    /// What a table of outcomes shows, taken from a `design_result` event's data: `index`, `kind`,
    /// the beam's `id` and the result's status, utilization, governing check, bars, stirrups and
    /// failed checks. A summary stream (`?detail=summary`, docs/jobs.md) carries this instead of the
    /// whole result, about a tenth of its size. Data that is not an object is returned as it is.
    pub fn summary(data: &str) -> String {
        const RESULT_KEYS: [&str; 7] = [
            "status",
            "utilization",
            "governing_check",
            "bars_provided",
            "compression_bars",
            "stirrups",
            "failed_checks",
        ];
        let Ok(Value::Object(mut event)) = serde_json::from_str::<Value>(data) else {
            return data.to_owned();
        };
        let mut summary = serde_json::Map::new();
        for key in ["index", "kind"] {
            if let Some(v) = event.remove(key) {
                summary.insert(key.into(), v);
            }
        }
        let id = event.get("beam").and_then(|b| b.get("id")).cloned();
        let beam = id.map(|id| serde_json::json!({ "id": id }));
        summary.insert("beam".into(), beam.unwrap_or_else(|| serde_json::json!({})));
        if let Some(Value::Object(mut result)) = event.remove("result") {
            let kept = RESULT_KEYS
                .iter()
                .filter_map(|k| result.remove(*k).map(|v| (k.to_string(), v)));
            summary.insert("result".into(), Value::Object(kept.collect()));
        }
        Value::Object(summary).to_string()
    }

    pub fn is_member(&self) -> bool {
        self.kind.as_deref() == Some("member")
    }
}

/// `error`: a beam that could not be designed, with the id it was given (if any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeamError {
    pub beam_index: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub error: ErrorBody,
}

impl BeamError {
    /// The event of an invalid beam: `validation_error` with every field's problem.
    pub fn invalid(beam_index: u64, id: Option<String>, errors: Vec<FieldError>) -> BeamError {
        BeamError {
            beam_index,
            id,
            error: ErrorBody {
                code: "validation_error".into(),
                message: format!("invalid beam: {}", FieldError::summary(&errors)),
                errors,
            },
        }
    }

    /// The event of a beam the engine could not finish: `internal_error`, with `message`.
    pub fn internal(beam_index: u64, id: Option<String>, message: &str) -> BeamError {
        BeamError {
            beam_index,
            id,
            error: ErrorBody {
                code: "internal_error".into(),
                message: message.to_owned(),
                errors: Vec::new(),
            },
        }
    }
}

/// The error body of the API (docs/http.md), as an event carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

/// `complete`: the last event of every job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Complete {
    /// `done`, `cancelled` or `failed`.
    pub status: String,
    pub summary: Summary,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub total: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub errors: u64,
    pub duration_ms: u64,
}

/// An event that is not one of a job's, or whose data does not fit its name.
#[derive(Debug, Clone, PartialEq)]
pub struct EventError(pub String);

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EventError {}

impl JobEvent {
    pub const START: &'static str = "start";
    pub const PROGRESS: &'static str = "progress";
    pub const DESIGN_RESULT: &'static str = "design_result";
    pub const ERROR: &'static str = "error";
    pub const COMPLETE: &'static str = "complete";

    /// The event's name on the wire.
    pub fn name(&self) -> &'static str {
        match self {
            JobEvent::Start(_) => Self::START,
            JobEvent::Progress(_) => Self::PROGRESS,
            JobEvent::DesignResult(_) => Self::DESIGN_RESULT,
            JobEvent::Error(_) => Self::ERROR,
            JobEvent::Complete(_) => Self::COMPLETE,
        }
    }

    /// The event's data: one line of JSON.
    pub fn data(&self) -> String {
        let written = match self {
            JobEvent::Start(e) => serde_json::to_string(e),
            JobEvent::Progress(e) => serde_json::to_string(e),
            JobEvent::DesignResult(e) => serde_json::to_string(e),
            JobEvent::Error(e) => serde_json::to_string(e),
            JobEvent::Complete(e) => serde_json::to_string(e),
        };
        written.unwrap_or_else(|e| serde_json::json!({"error": e.to_string()}).to_string())
    }

    /// Reads an event from its name and data.
    pub fn parse(name: &str, data: &str) -> Result<JobEvent, EventError> {
        fn read<T: serde::de::DeserializeOwned>(name: &str, data: &str) -> Result<T, EventError> {
            serde_json::from_str(data).map_err(|e| EventError(format!("`{name}` event: {e}")))
        }
        Ok(match name {
            Self::START => JobEvent::Start(read(name, data)?),
            Self::PROGRESS => JobEvent::Progress(read(name, data)?),
            Self::DESIGN_RESULT => JobEvent::DesignResult(read(name, data)?),
            Self::ERROR => JobEvent::Error(read(name, data)?),
            Self::COMPLETE => JobEvent::Complete(read(name, data)?),
            other => {
                return Err(EventError(format!(
                    "unknown event `{}`",
                    other.chars().take(40).collect::<String>()
                )))
            }
        })
    }

    /// Whether the event names a beam's outcome (`design_result` or `error`).
    pub fn is_outcome_name(name: &str) -> bool {
        name == Self::DESIGN_RESULT || name == Self::ERROR
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_round_trip_by_name() {
        let events = [
            JobEvent::Start(Start {
                job_id: "j1".into(),
                total_beams: 3,
            }),
            JobEvent::Progress(Progress::new(2, 3)),
            JobEvent::DesignResult(Designed {
                index: 0,
                kind: None,
                beam: json!({"width": 300.0}),
                result: json!({"status": "SUCCESS"}),
            }),
            JobEvent::Error(BeamError::invalid(
                1,
                Some("B2".into()),
                vec![FieldError {
                    field: "width".into(),
                    message: "is required".into(),
                }],
            )),
            JobEvent::Complete(Complete {
                status: "done".into(),
                summary: Summary {
                    total: 3,
                    succeeded: 1,
                    failed: 1,
                    errors: 1,
                    duration_ms: 4,
                },
            }),
        ];
        for e in events {
            assert_eq!(JobEvent::parse(e.name(), &e.data()).unwrap(), e);
        }
    }

    #[test]
    fn the_wire_shapes_are_those_of_the_docs() {
        assert_eq!(
            serde_json::from_str::<Value>(&JobEvent::Progress(Progress::new(2, 3)).data()).unwrap(),
            json!({"current": 2, "total": 3, "percent": 66.7})
        );
        let error = BeamError::invalid(
            4,
            None,
            vec![FieldError {
                field: "Mu".into(),
                message: "is required".into(),
            }],
        );
        assert_eq!(
            serde_json::from_str::<Value>(&JobEvent::Error(error).data()).unwrap(),
            json!({"beam_index": 4, "error": {"code": "validation_error",
                "message": "invalid beam: Mu: is required",
                "errors": [{"field": "Mu", "message": "is required"}]}})
        );
        assert!(JobEvent::parse("progress", "{}").is_err());
        assert!(JobEvent::parse("nonsense", "{}").is_err());
    }

    #[test]
    fn a_summary_keeps_what_a_table_shows_and_drops_the_rest() {
        let beam =
            is456::Beam::from_json(&json!({"id": "B7", "width": 300, "depth": 500, "Mu": 120}))
                .unwrap();
        let result = is456::design(&beam);
        let full = Designed::data(3, &beam, &result);
        let summary: Value = serde_json::from_str(&Designed::summary(&full)).unwrap();
        assert_eq!(summary["index"], 3);
        assert_eq!(summary["beam"], json!({"id": "B7"}));
        let kept = summary["result"].as_object().unwrap();
        assert_eq!(kept["status"], json!(result.status));
        assert_eq!(kept["bars_provided"], json!(result.bars_provided));
        assert!(kept.contains_key("failed_checks") && !kept.contains_key("checks"));
        assert!(Designed::summary(&full).len() * 5 < full.len());
        // Whatever is not an event object passes through untouched.
        assert_eq!(Designed::summary("[1]"), "[1]");
    }
}

//! The WebSocket messages of docs/sessions.md: what clients send (both dialects) and what the server answers.

use axum::extract::ws::Utf8Bytes;
use is456::FieldError;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

use crate::clock::now_rfc3339;

/// A client's request, in either dialect.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientMessage {
    Design {
        beam: Value,
        request_id: Option<Value>,
    },
    /// A member along its spans (docs/members.md); the session then holds the member.
    DesignMember {
        member: Value,
        request_id: Option<Value>,
    },
    Update {
        changes: Map<String, Value>,
        request_id: Option<Value>,
    },
    Check {
        beam: Value,
        cases: Value,
        request_id: Option<Value>,
    },
    Ping {
        request_id: Option<Value>,
    },
}

/// An `error` message for the sender; the connection stays open.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolError {
    pub code: &'static str,
    pub message: String,
    pub errors: Option<Vec<FieldError>>,
    pub request_id: Option<Value>,
}

impl ProtocolError {
    pub fn new(code: &'static str, message: impl Into<String>, request_id: Option<Value>) -> Self {
        ProtocolError {
            code,
            message: message.into(),
            errors: None,
            request_id,
        }
    }

    pub fn to_message(&self) -> Utf8Bytes {
        let mut v = json!({"type": "error", "code": self.code, "message": self.message});
        if let Some(errors) = &self.errors {
            v["errors"] = json!(errors);
        }
        if let Some(id) = &self.request_id {
            v["request_id"] = id.clone();
        }
        v.to_string().into()
    }
}

const ACTIONS: &str = "design, design_member, update, check or ping";

/// Reads one text frame. Unknown keys of the envelope are ignored (the beam itself is strict).
pub fn parse(text: &str) -> Result<ClientMessage, ProtocolError> {
    let value: Value = crate::json::parse_strict(text.as_bytes()).map_err(|e| match e {
        crate::json::JsonError::Syntax(e) => ProtocolError::new(
            "invalid_json",
            format!("the message is not valid JSON: {e}"),
            None,
        ),
        crate::json::JsonError::Duplicate { key } => ProtocolError::new(
            "validation_error",
            format!("`{key}` is given twice in one object; give each key once"),
            None,
        ),
    })?;
    let Value::Object(mut map) = value else {
        return Err(ProtocolError::new(
            "invalid_message",
            "a message must be a JSON object",
            None,
        ));
    };
    let request_id = map.remove("request_id").filter(|v| !v.is_null());
    let bad = |msg: &str| ProtocolError::new("invalid_message", msg, request_id.clone());
    let object = |map: &mut Map<String, Value>, key: &str| match map.remove(key) {
        Some(Value::Object(o)) => Ok(Value::Object(o)),
        _ => Err(bad(&format!("`{key}` must be a JSON object"))),
    };

    if let Some(action) = map.remove("action") {
        let Some(action) = action.as_str() else {
            return Err(bad("`action` must be a string"));
        };
        return match action {
            "design" => Ok(ClientMessage::Design {
                beam: object(&mut map, "beam")?,
                request_id,
            }),
            "design_member" => Ok(ClientMessage::DesignMember {
                member: object(&mut map, "member")?,
                request_id,
            }),
            "update" => match object(&mut map, "changes")? {
                Value::Object(changes) => Ok(ClientMessage::Update {
                    changes,
                    request_id,
                }),
                _ => unreachable_object(),
            },
            "check" => Ok(ClientMessage::Check {
                beam: object(&mut map, "beam")?,
                cases: map.remove("cases").unwrap_or(Value::Null),
                request_id,
            }),
            "ping" => Ok(ClientMessage::Ping { request_id }),
            other => Err(ProtocolError::new(
                "unknown_action",
                format!("unknown action `{}`; expected {ACTIONS}", truncate(other)),
                request_id,
            )),
        };
    }
    if let Some(kind) = map.remove("type") {
        let Some(kind) = kind.as_str() else {
            return Err(bad("`type` must be a string"));
        };
        return match kind {
            "design_beam" => Ok(ClientMessage::Design {
                beam: object(&mut map, "params")?,
                request_id,
            }),
            "design_member" => Ok(ClientMessage::DesignMember {
                member: object(&mut map, "params")?,
                request_id,
            }),
            "check_beam" => {
                let Value::Object(mut params) = object(&mut map, "params")? else {
                    return unreachable_object();
                };
                Ok(ClientMessage::Check {
                    beam: object(&mut params, "beam")?,
                    cases: params.remove("cases").unwrap_or(Value::Null),
                    request_id,
                })
            }
            "ping" => Ok(ClientMessage::Ping { request_id }),
            other => Err(ProtocolError::new(
                "unknown_action",
                format!(
                    "unknown type `{}`; expected design_beam, design_member, check_beam or ping",
                    truncate(other)
                ),
                request_id,
            )),
        };
    }
    Err(bad(&format!("a message needs an `action` ({ACTIONS})")))
}

/// `object` only ever returns objects; this keeps the match total without a panic.
fn unreachable_object<T>() -> Result<T, ProtocolError> {
    Err(ProtocolError::new(
        "invalid_message",
        "expected a JSON object",
        None,
    ))
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

pub fn session_state(session_id: &str, snapshot: &super::hub::Snapshot) -> Utf8Bytes {
    #[derive(Serialize)]
    struct Message<'a> {
        r#type: &'static str,
        session_id: &'a str,
        members: u32,
        beam: Option<&'a Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        member: Option<&'a Value>,
        result: Option<&'a RawValue>,
        timestamp: String,
    }
    let held = snapshot.beam.as_ref();
    let is_member = held.is_some_and(is_member);
    text(&Message {
        r#type: "session_state",
        session_id,
        members: snapshot.members,
        beam: held.filter(|_| !is_member),
        member: held.filter(|_| is_member),
        result: snapshot.result.as_deref(),
        timestamp: now_rfc3339(),
    })
}

/// Someone joined or left; `member` identifies the connection (random, per connection).
pub fn presence(session_id: &str, members: u32, joined: bool, member: &str) -> Utf8Bytes {
    json!({
        "type": "presence",
        "session_id": session_id,
        "members": members,
        "event": if joined { "joined" } else { "left" },
        "member": member,
    })
    .to_string()
    .into()
}

pub fn pong(request_id: Option<Value>) -> Utf8Bytes {
    let mut v = json!({"type": "pong", "timestamp": now_rfc3339()});
    if let Some(id) = request_id {
        v["request_id"] = id;
    }
    v.to_string().into()
}

/// A design as every member receives it; `result` is the result's JSON text, copied in as it is.
pub fn design_result(
    session_id: &str,
    request_id: &Option<Value>,
    beam: &Value,
    result: &RawValue,
    latency_ms: f64,
) -> Utf8Bytes {
    result_message(
        session_id,
        request_id,
        Design::Beam(beam),
        result,
        latency_ms,
    )
}

/// Whether a session's design is a member (it has spans) rather than a beam.
pub fn is_member(design: &Value) -> bool {
    design.get("spans").is_some()
}

/// A member's design as every member of the session receives it (docs/sessions.md).
pub fn member_result(
    session_id: &str,
    request_id: &Option<Value>,
    member: &Value,
    result: &RawValue,
    latency_ms: f64,
) -> Utf8Bytes {
    result_message(
        session_id,
        request_id,
        Design::Member(member),
        result,
        latency_ms,
    )
}

/// What a session designed: a beam (`design_result`) or a member (`member_result`).
enum Design<'a> {
    Beam(&'a Value),
    Member(&'a Value),
}

fn result_message(
    session_id: &str,
    request_id: &Option<Value>,
    design: Design,
    result: &RawValue,
    latency_ms: f64,
) -> Utf8Bytes {
    #[derive(Serialize)]
    struct Message<'a> {
        r#type: &'static str,
        session_id: &'a str,
        request_id: &'a Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        beam: Option<&'a Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        member: Option<&'a Value>,
        result: &'a RawValue,
        timestamp: String,
        latency_ms: f64,
    }
    let (r#type, beam, member) = match design {
        Design::Beam(b) => ("design_result", Some(b), None),
        Design::Member(m) => ("member_result", None, Some(m)),
    };
    text(&Message {
        r#type,
        session_id,
        request_id,
        beam,
        member,
        result,
        timestamp: now_rfc3339(),
        latency_ms: (latency_ms * 1000.0).round() / 1000.0,
    })
}

fn text(message: &impl Serialize) -> Utf8Bytes {
    serde_json::to_string(message)
        .unwrap_or_else(|e| json!({"type": "error", "message": e.to_string()}).to_string())
        .into()
}

pub fn check_result(
    session_id: &str,
    request_id: &Option<Value>,
    check: &is456::CheckResult,
) -> Utf8Bytes {
    json!({
        "type": "check_result",
        "session_id": session_id,
        "request_id": request_id,
        "status": check.status,
        "cases": check.cases,
        "governing_case": check.governing_case,
        "timestamp": now_rfc3339(),
    })
    .to_string()
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_dialects() {
        assert!(matches!(
            parse(r#"{"action":"design","beam":{"width":300},"request_id":"r1"}"#),
            Ok(ClientMessage::Design {
                request_id: Some(_),
                ..
            })
        ));
        assert!(matches!(
            parse(r#"{"type":"design_beam","params":{"b":300}}"#),
            Ok(ClientMessage::Design { .. })
        ));
        assert!(matches!(
            parse(r#"{"type":"check_beam","params":{"beam":{},"cases":[]}}"#),
            Ok(ClientMessage::Check { .. })
        ));
        assert!(matches!(
            parse(r#"{"type":"ping"}"#),
            Ok(ClientMessage::Ping { .. })
        ));
        assert!(matches!(
            parse(r#"{"action":"update","changes":{"Mu":1}}"#),
            Ok(ClientMessage::Update { .. })
        ));
    }

    #[test]
    fn bad_messages_have_clear_codes() {
        assert_eq!(parse("{oops").unwrap_err().code, "invalid_json");
        assert_eq!(parse("[1,2]").unwrap_err().code, "invalid_message");
        assert_eq!(parse("42").unwrap_err().code, "invalid_message");
        assert_eq!(
            parse(r#"{"action":"explode"}"#).unwrap_err().code,
            "unknown_action"
        );
        assert_eq!(
            parse(r#"{"type":"explode"}"#).unwrap_err().code,
            "unknown_action"
        );
        assert_eq!(
            parse(r#"{"action":"design","beam":7}"#).unwrap_err().code,
            "invalid_message"
        );
        assert_eq!(
            parse(r#"{"action":"update"}"#).unwrap_err().code,
            "invalid_message"
        );
        assert_eq!(parse(r#"{"hello":1}"#).unwrap_err().code, "invalid_message");
        let e = parse(r#"{"action":"nope","request_id":9}"#).unwrap_err();
        assert_eq!(e.request_id, Some(Value::from(9)));
        assert!(e.to_message().as_str().contains("\"request_id\":9"));
    }
}

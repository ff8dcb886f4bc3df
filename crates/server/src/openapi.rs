//! The OpenAPI 3.1 document, with the schemas of the very types the handlers serialise (JSON Schema
//! 2020-12, as OpenAPI 3.1 uses) and the input schema derived from the engine's table of field names.

use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};

use crate::api::{DesignResponse, Health, TokenResponse};
use crate::error::ErrorBody;

/// Builds the document once at start-up.
pub fn document() -> Value {
    // The schemas describe what the server writes: a field it skips when empty is not required.
    let mut settings = SchemaSettings::draft2020_12().for_serialize();
    settings.definitions_path = "/components/schemas".into();
    let mut gen = settings.into_generator();
    let design = gen.subschema_for::<DesignResponse<'static>>().to_value();
    let check = gen.subschema_for::<is456::CheckResult>().to_value();
    let error = gen.subschema_for::<ErrorBody>().to_value();
    let health = gen.subschema_for::<Health>().to_value();
    let token = gen.subschema_for::<TokenResponse>().to_value();
    let member = gen
        .subschema_for::<crate::member::MemberResponse<'static>>()
        .to_value();
    let mut schemas: Map<String, Value> = gen.take_definitions(true);
    schemas.insert("BeamInput".into(), beam_input_schema(&schemas));
    schemas.insert(
        "CheckRequest".into(),
        json!({
            "type": "object",
            "required": ["beam", "cases"],
            "additionalProperties": false,
            "properties": {
                "beam": {"$ref": "#/components/schemas/BeamInput", "description": "The section; its own Mu may be left out."},
                "cases": {"type": "array", "minItems": 1, "maxItems": is456::load_cases::MAX_CASES, "items": {
                    "type": "object", "additionalProperties": false,
                    "properties": {"id": {"type": "string"}, "Mu": {"type": "number"}, "Vu": {"type": "number"}, "Tu": {"type": "number"}},
                    "required": ["Mu"]
                }}
            }
        }),
    );

    let errors = |codes: &[&str]| -> Value {
        let mut map = Map::new();
        for code in codes {
            map.insert(
                (*code).into(),
                json!({"description": error_description(code), "content": {"application/json": {"schema": error.clone()}}}),
            );
        }
        Value::Object(map)
    };
    let with_errors = |ok: Value, codes: &[&str]| -> Value {
        let mut responses = errors(codes);
        if let Value::Object(map) = &mut responses {
            map.insert("200".into(), ok);
        }
        responses
    };
    let json_ok = |description: &str, schema: &Value| json!({"description": description, "content": {"application/json": {"schema": schema}}});
    let protected = ["400", "401", "403", "413", "415", "422", "429", "500"];

    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Beamline",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Real-time design of reinforced-concrete beams to IS 456:2000. Units: mm, kN, kN·m, N/mm². Every response carries X-Request-Id; rate-limited routes carry X-RateLimit-Limit, -Remaining, -Window and -Reset.",
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                           "description": "Scopes: `design` (design, jobs, sessions), `analyze` (checks)."}
            }
        },
        "paths": {
            "/health": {"get": {"summary": "Liveness", "operationId": "health",
                "responses": {"200": json_ok("The server is up.", &health)}}},
            "/ready": {"get": {"summary": "Readiness", "operationId": "ready",
                "responses": with_errors(json!({"description": "Ready to serve."}), &["503"])}},
            "/metrics": {"get": {"summary": "Prometheus metrics", "operationId": "metrics",
                "responses": {"200": {"description": "Prometheus text format.", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/api/v1/auth/token": {"post": {
                "summary": "OAuth2 password grant", "operationId": "issueToken",
                "requestBody": {"required": true, "content": {
                    "application/x-www-form-urlencoded": {"schema": token_request()},
                    "application/json": {"schema": token_request()}
                }},
                "responses": with_errors(json_ok("A bearer token.", &token), &["400", "401", "415", "429"])
            }},
            "/api/v1/design/beam": {"post": {
                "summary": "Design one beam", "operationId": "designBeam", "security": [{"bearer": ["design"]}],
                "description": "The body is a beam (any canonical names or aliases), or {\"beam\": {…}}. The answer echoes the normalized input.",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BeamInput"}}}},
                "responses": with_errors(json_ok("The design.", &design), &protected)
            }},
            "/api/v1/design/member": {"post": {
                "summary": "Design a member along its spans", "operationId": "designMember", "security": [{"bearer": ["design"]}],
                "description": "The body is a member (docs/members.md): section, spans, ends, and factored stations or unfactored cases with combinations; or {\"member\": {…}}. ?format=csv answers the bar bending schedule as CSV.",
                "parameters": [{"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": member_input()}}},
                "responses": with_errors(json!({"description": "The design of the member, or its bar bending schedule.",
                    "content": {"application/json": {"schema": member}, "text/csv": {"schema": {"type": "string"}}}}), &protected)
            }},
            "/api/v1/sessions/{session_id}/invite": {"post": {
                "summary": "Invite someone to a live session", "operationId": "inviteToSession",
                "security": [{"bearer": ["design"]}],
                "parameters": [{"name": "session_id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": with_errors(json!({"description": "{session_id, token, token_type, expires_in, share_path}: the token opens that session only.",
                    "content": {"application/json": {"schema": {"type": "object"}}}}), &protected)
            }},
            "/api/v1/report": {"post": {
                "summary": "Calculation report of a beam or a member (HTML or PDF)", "operationId": "reportBeam",
                "security": [{"bearer": ["design"]}],
                "description": "The body is a beam, or {\"beam\": {…}, \"project\": \"…\"}; or a member (it has spans), or {\"member\": {…}, \"project\": \"…\"}. Accept: application/pdf (or ?format=pdf) gives a PDF, otherwise one self-contained HTML page. Bad input gets the same field errors as the design route.",
                "parameters": [{"name": "format", "in": "query", "schema": {"type": "string", "enum": ["html", "pdf"]}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": with_errors(json!({"description": "The calculation sheet.",
                    "content": {"text/html": {"schema": {"type": "string"}},
                                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}), &protected)
            }},
            "/api/v1/import/{source}": {"post": {
                "summary": "Members from ETABS, STAAD.Pro or plain CSV force tables", "operationId": "importMembers",
                "security": [{"bearer": ["design"]}],
                "description": "The body is the export (CSV or XLSX), or a multipart form whose part `forces` holds the forces and other parts the sections and connectivity (docs/import.md). An unreadable table is a 422 whose errors name the file, line and column.",
                "parameters": import_parameters(),
                "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
                    "multipart/form-data": {"schema": {"type": "object", "properties": {"forces": {"type": "string", "format": "binary"}}}}}},
                "responses": with_errors(import_response(), &protected)
            }},
            "/api/v1/drawing": {"post": {
                "summary": "DXF drawing of a beam, a member or a list of members", "operationId": "drawing",
                "security": [{"bearer": ["design"]}],
                "description": "The body is a beam, a member (it has spans) or {\"member\": {…}}, or {\"members\": […]} as the import answers. The DXF (R12) has the elevation to scale, the sections with bar marks and the beam schedule on named layers (docs/drawings.md).",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": with_errors(json!({"description": "The drawing.", "content": {"application/dxf": {"schema": {"type": "string"}}}}), &protected)
            }},
            "/api/v1/jobs/{job_id}/drawings.dxf": {"get": {
                "summary": "Every member of a job on one DXF sheet set", "operationId": "jobDrawings", "security": [{"bearer": ["design"]}],
                "parameters": [job_id()],
                "responses": with_errors(json!({"description": "The drawing; 404 when the job has no designed members.", "content": {"application/dxf": {"schema": {"type": "string"}}}}), &["401", "403", "404", "429"])
            }},
            "/api/v1/jobs": {"post": {
                "summary": "Create a batch design job", "operationId": "createJob", "security": [{"bearer": ["design"]}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": batch_request()}}},
                "responses": with_errors(json!({"description": "Accepted: {job_id, status, total_beams, events_url, status_url}.",
                    "content": {"application/json": {"schema": {"type": "object"}}}}), &protected)
            }},
            "/api/v1/jobs/{job_id}": {
                "parameters": [job_id()],
                "get": {"summary": "Job status", "operationId": "jobStatus", "security": [{"bearer": ["design"]}],
                        "responses": with_errors(json_ok("The job's status.", &job_status()), &["401", "403", "404", "429"])},
                "delete": {"summary": "Cancel a job", "operationId": "cancelJob", "security": [{"bearer": ["design"]}],
                           "responses": with_errors(json_ok("The job's status, cancel_requested true.", &job_status()), &["401", "403", "404", "429"])}
            },
            "/api/v1/jobs/{job_id}/results": {"get": {
                "summary": "All results so far", "operationId": "jobResults", "security": [{"bearer": ["design"]}],
                "parameters": [job_id(), {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}],
                "responses": with_errors(json!({"description": "JSON {job_id, status, completed_beams, results} or CSV.",
                    "content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}}}}),
                    &["400", "401", "403", "404", "429"])
            }},
            "/stream/batch-design": {"post": {
                "summary": "Create a batch job and stream its events (Server-Sent Events)", "operationId": "streamBatch",
                "security": [{"bearer": ["design"]}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": batch_request()}}},
                "responses": with_errors(sse(), &protected)
            }, "get": {
                "summary": "Follow a job's events (for EventSource, which can only GET)", "operationId": "followBatch",
                "description": "The same stream as GET /stream/jobs/{job_id}. Without job_id: 405, naming the routes to use.",
                "security": [{"bearer": ["design"]}],
                "parameters": [{"name": "job_id", "in": "query", "required": true, "schema": {"type": "string"}},
                    {"name": "Last-Event-ID", "in": "header", "schema": {"type": "integer"}},
                    {"name": "last_event_id", "in": "query", "schema": {"type": "integer"}},
                    detail(),
                    {"name": "token", "in": "query", "schema": {"type": "string"}, "description": "For EventSource, which cannot set headers."}],
                "responses": with_errors(sse(), &["400", "401", "403", "404", "405", "429"])
            }},
            "/stream/jobs/{job_id}": {"get": {
                "summary": "Replay and follow a job's events", "operationId": "followJob", "security": [{"bearer": ["design"]}],
                "parameters": [job_id(),
                    {"name": "Last-Event-ID", "in": "header", "schema": {"type": "integer"}},
                    {"name": "last_event_id", "in": "query", "schema": {"type": "integer"}},
                    detail(),
                    {"name": "token", "in": "query", "schema": {"type": "string"}, "description": "For EventSource, which cannot set headers."}],
                "responses": with_errors(sse(), &["400", "401", "403", "404", "429"])
            }},
            "/ws/design/{session_id}": {"get": {
                "summary": "Live design session (WebSocket upgrade)", "operationId": "designSession",
                "description": "Upgrade to a WebSocket; see the session protocol. Close codes: 4401, 4403, 1002, 1007, 1008, 1009, 1001.",
                "parameters": [{"name": "session_id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}},
                    {"name": "token", "in": "query", "schema": {"type": "string"}}],
                "responses": with_errors(json!({"description": "Switching protocols."}), &["400", "422", "429"])
            }},
            "/api/v1/check/beam": {"post": {
                "summary": "Check one section under several load cases", "operationId": "checkBeam",
                "security": [{"bearer": ["analyze"]}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CheckRequest"}}}},
                "responses": with_errors(json_ok("Per-case designs and the governing case.", &check), &protected)
            }}
        }
    })
}

fn job_id() -> Value {
    json!({"name": "job_id", "in": "path", "required": true, "schema": {"type": "string"}})
}

fn detail() -> Value {
    json!({"name": "detail", "in": "query", "schema": {"type": "string", "enum": ["full", "summary"], "default": "full"},
        "description": "summary: each design_result carries the beam's id and the result's status, utilization, governing check, bars, stirrups and failed checks only."})
}

fn batch_request() -> Value {
    let beams = json!({"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/BeamInput"}});
    json!({"oneOf": [beams.clone(), {"type": "object", "required": ["beams"], "additionalProperties": false, "properties": {"beams": beams}}]})
}

fn job_status() -> Value {
    let time = json!({"type": ["string", "null"], "format": "date-time"});
    json!({"type": "object", "properties": {
        "job_id": {"type": "string"},
        "status": {"type": "string", "enum": ["pending", "running", "completed", "cancelled", "failed"]},
        "total_beams": {"type": "integer"}, "completed_beams": {"type": "integer"},
        "succeeded": {"type": "integer"}, "failed": {"type": "integer"}, "errors": {"type": "integer"},
        "created_at": time, "started_at": time, "finished_at": time
    }})
}

fn sse() -> Value {
    json!({"description": "text/event-stream: retry, then events start, design_result | error, progress, …, complete.",
           "content": {"text/event-stream": {"schema": {"type": "string"}}}})
}

fn token_request() -> Value {
    json!({"type": "object", "required": ["username", "password"], "properties": {
        "grant_type": {"type": "string", "const": "password"},
        "username": {"type": "string"}, "password": {"type": "string", "format": "password"},
        "scope": {"type": "string", "description": "Space-separated scopes to ask for (a subset of the user's)."}
    }})
}

fn error_description(code: &str) -> &'static str {
    match code {
        "400" => "Malformed JSON or a bad request.",
        "401" => "Missing, invalid or expired token (WWW-Authenticate: Bearer).",
        "403" => "The token lacks the scope this route needs.",
        "413" => "The body is larger than the limit.",
        "415" => "The body is not JSON.",
        "422" => "Validation failed: `errors` lists every field with its problem.",
        "429" => "Rate limit exceeded (Retry-After says when to try again).",
        "503" => "Not ready.",
        _ => "Internal error (no internals are shown).",
    }
}

/// The input schema: the normalized beam's properties under their canonical names, every alias as a
/// property of its own that points to the canonical one, and nothing else.
fn beam_input_schema(schemas: &Map<String, Value>) -> Value {
    let beam = schemas.get("Beam").cloned().unwrap_or_else(|| json!({}));
    let canonical = beam
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut properties = Map::new();
    for (name, aliases) in is456::input::FIELDS {
        let mut schema = canonical.get(name).cloned().unwrap_or_else(|| json!({}));
        strip_nullable(&mut schema);
        properties.insert(name.to_owned(), schema.clone());
        // Each alias repeats its field's schema: a `$ref` into another schema's properties is valid
        // JSON Schema, but client generators cannot follow it.
        for alias in aliases {
            let mut copy = schema.clone();
            if let Value::Object(map) = &mut copy {
                map.insert("description".into(), json!(format!("Alias of `{name}`.")));
            }
            properties.insert((*alias).to_owned(), copy);
        }
    }
    json!({
        "type": "object",
        "description": "A beam (docs/api.md). Unknown keys are rejected; units mm, kN, kN·m, N/mm².",
        "required": ["width", "depth", "Mu"],
        "additionalProperties": false,
        "properties": properties,
    })
}

fn strip_nullable(schema: &mut Value) {
    if let Some(Value::Array(types)) = schema.get_mut("type") {
        types.retain(|t| t != "null");
    }
}

/// The member input of docs/members.md.
fn member_input() -> Value {
    let station = json!({"type": "object", "required": ["x"], "properties": {
        "x": {"type": "number", "description": "mm from the left end of the span"},
        "Mu": {"type": "number", "description": "kN·m, sagging positive (alias M)"},
        "Vu": {"type": "number", "description": "kN (alias V)"},
        "Tu": {"type": "number", "description": "kN·m (alias T)"}}});
    let per_span = json!({"type": "array", "items": {"type": "array", "minItems": 3, "maxItems": is456::member::input::MAX_STATIONS, "items": station}});
    json!({
        "type": "object", "required": ["section", "spans"],
        "properties": {
            "id": {"type": "string"},
            "section": {"$ref": "#/components/schemas/BeamInput", "description": "A beam without actions, span or end condition."},
            "spans": {"type": "array", "minItems": 1, "maxItems": is456::member::input::MAX_SPANS, "items": {
                "type": "object", "required": ["length"], "additionalProperties": false,
                "properties": {"length": {"type": "number"}, "support_width": {"type": "number"}}}},
            "ends": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "string", "enum": ["discontinuous", "continuous", "fixed", "free"]}},
            "stations": per_span,
            "cases": {"type": "object", "additionalProperties": {"oneOf": [per_span, {"type": "object", "required": ["type", "stations"],
                "properties": {"type": {"type": "string", "enum": ["dead", "imposed", "earthquake", "wind", "combination"]}, "stations": per_span}}]}},
            "combinations": {"oneOf": [{"type": "string", "enum": ["is456"]}, {"type": "array", "items": {"type": "object", "required": ["factors"],
                "properties": {"name": {"type": "string"}, "factors": {"type": "object", "additionalProperties": {"type": "number"}}}}}]},
            "ductile": {"type": "boolean"},
            "typical": {"type": "array", "maxItems": is456::member::input::MAX_TYPICAL, "items": {"type": "string"}, "description": "The other beams this design stands for (typical beams)."}
        }
    })
}

fn import_response() -> Value {
    let groups = json!({"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "members": {"type": "array", "items": {"type": "string"}}}}});
    let schema = json!({"type": "object", "properties": {
        "members": {"type": "array", "items": member_input()},
        "groups": groups,
        "warnings": {"type": "array", "items": {"type": "string"}}}});
    json!({"description": "{members, groups, warnings}: members ready to design (one per group of typical beams); with ?job=true, 202 and the job's links.",
        "content": {"application/json": {"schema": schema}}})
}

/// The query parameters of the import (docs/import.md, "Options").
fn import_parameters() -> Value {
    let q = |name: &str, schema: Value, description: &str| json!({"name": name, "in": "query", "schema": schema, "description": description});
    json!([
        {"name": "source", "in": "path", "required": true, "schema": {"type": "string", "enum": ["etabs", "staad", "csv"]}},
        q("combinations", json!({"type": "string", "enum": ["auto", "export", "is456"]}), "auto: the export's combinations when it has any, else its load cases under IS 456"),
        q("units", json!({"type": "string"}), "force,length where the export has no units line, e.g. kN,m"),
        q("moment_sign", json!({"type": "string", "enum": ["sagging", "hogging"]}), "the sense of the export's positive moment"),
        q("support_width", json!({"type": "number", "minimum": 0, "maximum": 3000}), "mm, where the export gives no columns"),
        q("group_tolerance", json!({"type": "number", "minimum": 0, "maximum": 0.5}), "envelopes within this fraction make typical beams (default 0.1)"),
        q("group", json!({"type": "boolean"}), "false: every beam designed on its own"),
        q("width", json!({"type": "number"}), "mm, for beams without a section in the export (with depth)"),
        q("depth", json!({"type": "number"}), "mm"),
        q("fck", json!({"type": "number"}), "N/mm², where the section does not say (default 25)"),
        q("fy", json!({"type": "number"}), "N/mm² (default 500)"),
        q("ductile", json!({"type": "boolean"}), "IS 13920 detailing for every member"),
        q("job", json!({"type": "boolean"}), "true: submit the members as a batch job (202)")
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_is_openapi_3_1_with_every_route_and_schema() {
        let doc = document();
        assert_eq!(doc["openapi"], "3.1.0");
        for path in [
            "/health",
            "/ready",
            "/metrics",
            "/api/v1/auth/token",
            "/api/v1/design/beam",
            "/api/v1/design/member",
            "/api/v1/check/beam",
            "/api/v1/import/{source}",
            "/api/v1/drawing",
            "/api/v1/jobs/{job_id}/drawings.dxf",
        ] {
            assert!(doc["paths"][path].is_object(), "{path}");
        }
        let schemas = &doc["components"]["schemas"];
        for name in [
            "DesignResult",
            "BeamInput",
            "ErrorBody",
            "CheckResult",
            "MemberResult",
            "Bbs",
        ] {
            assert!(schemas[name].is_object(), "{name}");
        }
        assert!(schemas["BeamInput"]["properties"]["b"].is_object());
        for field in [
            "exposure",
            "fire_rating",
            "lateral_restraint_spacing",
            "allow_low_grade",
        ] {
            assert!(
                schemas["BeamInput"]["properties"][field].is_object(),
                "{field}"
            );
        }
        let layers = &schemas["DetailingResult"]["properties"]["tension_layers"];
        assert!(layers.is_object(), "{}", schemas["DetailingResult"]);
        // Every $ref resolves inside the document.
        let text = doc.to_string();
        for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = piece.split(['"', '/']).next().unwrap();
            assert!(schemas[name].is_object(), "unresolved $ref {name}");
        }
    }
}

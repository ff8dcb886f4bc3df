//! One member's WebSocket connection: authentication, the message loop, pings, the per-connection rate
//! limit, and what happens when the member falls behind.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use bytes::Bytes;
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use is456::{Beam, FieldError};
use serde_json::{Map, Value};
use tokio::sync::broadcast::error::RecvError;

use super::hub::{Design, HubError};
use super::protocol::{self, ClientMessage, ProtocolError};
use crate::auth::Caller;
use crate::engine::EngineFault;
use crate::error::ApiError;
use crate::state::AppState;

/// Close codes of docs/sessions.md.
pub mod close {
    pub const GOING_AWAY: u16 = 1001;
    pub const PROTOCOL: u16 = 1002;
    pub const INVALID_DATA: u16 = 1007;
    pub const POLICY: u16 = 1008;
    pub const TOO_BIG: u16 = 1009;
    /// The session store is unavailable: reconnect (after a moment).
    pub const TRY_AGAIN: u16 = 1013;
    pub const UNAUTHORIZED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
}

/// How many times a member may fall behind within `LAG_WINDOW` before it is closed as stuck.
const MAX_LAGS: u32 = 5;
const LAG_WINDOW: Duration = Duration::from_secs(10);

/// A token bucket: `rate` messages a second, up to `burst` at once.
struct Bucket {
    tokens: f64,
    rate: f64,
    burst: f64,
    last: Instant,
}

impl Bucket {
    fn new(rate: u32, burst: u32) -> Self {
        Bucket {
            tokens: f64::from(burst),
            rate: f64::from(rate),
            burst: f64::from(burst),
            last: Instant::now(),
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens =
            (self.tokens + now.duration_since(self.last).as_secs_f64() * self.rate).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

type Sink = SplitSink<WebSocket, Message>;

/// How a connection ends.
enum End {
    /// The peer went away (or cannot be written to): nothing more to send.
    Gone,
    Close(u16, String),
}

struct Member {
    state: AppState,
    session: Arc<str>,
    sink: Sink,
    send_timeout: Duration,
}

impl Member {
    /// Sends one frame, giving up after the send timeout (a peer that does not read is stuck).
    async fn send(&mut self, message: Message) -> Result<(), End> {
        match tokio::time::timeout(self.send_timeout, self.sink.send(message)).await {
            Ok(Ok(())) => {
                self.state.metrics.ws_sent();
                Ok(())
            }
            Ok(Err(_)) => Err(End::Gone),
            Err(_) => Err(End::Close(
                close::POLICY,
                "too slow to read its messages".into(),
            )),
        }
    }

    async fn text(&mut self, text: Utf8Bytes) -> Result<(), End> {
        self.send(Message::Text(text)).await
    }

    async fn close(mut self, code: u16, reason: &str) {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        let _ = tokio::time::timeout(
            Duration::from_secs(1),
            self.sink.send(Message::Close(Some(frame))),
        )
        .await;
        let _ = tokio::time::timeout(Duration::from_secs(1), self.sink.close()).await;
    }

    /// Handles one text frame; errors go back to the sender, designs to everyone.
    async fn handle(&mut self, text: &str) -> Result<(), End> {
        let received = Instant::now();
        let reply = match protocol::parse(text) {
            Err(e) => Some(e.to_message()),
            Ok(ClientMessage::Ping { request_id }) => Some(protocol::pong(request_id)),
            Ok(ClientMessage::Design { beam, request_id }) => match Beam::from_json(&beam) {
                Ok(beam) => self
                    .publish(&beam, request_id.clone(), received, None)
                    .await
                    .err()
                    .map(|n| n.reply(request_id)),
                Err(e) => Some(validation(e.errors, request_id)),
            },
            Ok(ClientMessage::DesignMember { member, request_id }) => {
                match is456::Member::from_json(&member) {
                    Ok(parsed) => self
                        .publish_member(member, &parsed, request_id.clone(), received, None)
                        .await
                        .err()
                        .map(|n| n.reply(request_id)),
                    Err(e) => Some(validation(e.errors, request_id)),
                }
            }
            Ok(ClientMessage::Update {
                changes,
                request_id,
            }) => self.update(&changes, request_id, received).await,
            Ok(ClientMessage::Check {
                beam,
                cases,
                request_id,
            }) => match is456::load_cases::parse(&beam, &cases) {
                Ok((section, cases)) => {
                    match crate::engine::run(|| is456::design_load_cases(&section, &cases)) {
                        Ok(result) => {
                            self.state.metrics.record_designs(result.cases.len() as u64);
                            Some(protocol::check_result(&self.session, &request_id, &result))
                        }
                        Err(_) => Some(NotMade::Fault.reply(request_id)),
                    }
                }
                Err(e) => Some(validation(e.errors, request_id)),
            },
        };
        match reply {
            Some(text) => self.text(text).await,
            None => Ok(()),
        }
    }

    /// Designs a member, makes it the session's current design and sends the result to everyone.
    async fn publish_member(
        &mut self,
        input: Value,
        member: &is456::Member,
        request_id: Option<Value>,
        received: Instant,
        expected: Option<u64>,
    ) -> Result<(), NotMade> {
        let result =
            crate::engine::run(|| is456::design_member(member)).map_err(|_| NotMade::Fault)?;
        self.state.metrics.record_designs(1);
        let result_json: std::sync::Arc<serde_json::value::RawValue> =
            match serde_json::value::to_raw_value(&result) {
                Ok(raw) => raw.into(),
                Err(e) => {
                    tracing::error!(error = %e, "a member result could not be written");
                    return Ok(());
                }
            };
        let latency_ms = received.elapsed().as_secs_f64() * 1e3;
        let message =
            protocol::member_result(&self.session, &request_id, &input, &result_json, latency_ms);
        let design = Design {
            beam: input,
            result: result_json,
        };
        self.make_current(expected, design, message.into()).await
    }

    /// Designs `beam`, makes it the session's current design and sends the result to every member.
    async fn publish(
        &mut self,
        beam: &Beam,
        request_id: Option<Value>,
        received: Instant,
        expected: Option<u64>,
    ) -> Result<(), NotMade> {
        let result = crate::engine::run(|| is456::design(beam)).map_err(|_| NotMade::Fault)?;
        self.state.metrics.record_designs(1);
        let beam_json = beam.to_json();
        let result_json: std::sync::Arc<serde_json::value::RawValue> =
            match serde_json::value::to_raw_value(&result) {
                Ok(raw) => raw.into(),
                Err(e) => {
                    tracing::error!(error = %e, "a design result could not be written");
                    return Ok(());
                }
            };
        let latency_ms = received.elapsed().as_secs_f64() * 1e3;
        let message = protocol::design_result(
            &self.session,
            &request_id,
            &beam_json,
            &result_json,
            latency_ms,
        );
        let design = Design {
            beam: beam_json,
            result: result_json,
        };
        self.make_current(expected, design, message.into()).await
    }
}

impl Member {
    /// Applies `changes` to the session's current beam or member, designs it and makes it current —
    /// only if no other design became current meanwhile; else starts again from the new one, so two
    /// members editing at once never lose a change.
    async fn update(
        &mut self,
        changes: &Map<String, Value>,
        request_id: Option<Value>,
        received: Instant,
    ) -> Option<Utf8Bytes> {
        for _ in 0..UPDATE_ATTEMPTS {
            let snapshot = self.state.hub.snapshot(&self.session).await;
            let expected = Some(snapshot.version);
            let outcome = match snapshot.beam {
                None => {
                    return Some(
                        ProtocolError::new(
                            "no_beam",
                            "the session has no beam yet: send a `design` first",
                            request_id,
                        )
                        .to_message(),
                    )
                }
                Some(current) if protocol::is_member(&current) => {
                    match merge_member(current, changes).and_then(|m| {
                        is456::Member::from_json(&m)
                            .map(|parsed| (m, parsed))
                            .map_err(|e| e.errors)
                    }) {
                        Ok((member, parsed)) => {
                            self.publish_member(
                                member,
                                &parsed,
                                request_id.clone(),
                                received,
                                expected,
                            )
                            .await
                        }
                        Err(errors) => return Some(validation(errors, request_id)),
                    }
                }
                Some(current) => match Beam::from_json(&current)
                    .and_then(|beam| beam.patch(changes))
                    .map_err(|e| e.errors)
                {
                    Ok(beam) => {
                        self.publish(&beam, request_id.clone(), received, expected)
                            .await
                    }
                    Err(errors) => return Some(validation(errors, request_id)),
                },
            };
            match outcome {
                Ok(()) => return None,
                Err(NotMade::Changed) => continue,
                Err(not_made) => return Some(not_made.reply(request_id)),
            }
        }
        Some(NotMade::Changed.reply(request_id))
    }

    /// Makes a design the session's current one and sends `message` to every member.
    async fn make_current(
        &mut self,
        expected: Option<u64>,
        design: Design,
        message: Bytes,
    ) -> Result<(), NotMade> {
        match self
            .state
            .hub
            .publish(&self.session, expected, design, message)
            .await
        {
            Ok(_) => Ok(()),
            Err(HubError::Changed(_)) => Err(NotMade::Changed),
            Err(e) => Err(NotMade::Unavailable(e.to_string())),
        }
    }
}

/// How many times an update starts again when another design became current under it.
const UPDATE_ATTEMPTS: usize = 8;

/// Why a design did not become current.
enum NotMade {
    /// Another design became current since the snapshot it was made from.
    Changed,
    /// The hub could not be reached.
    Unavailable(String),
    /// The engine could not finish the design (logged by `engine::run`).
    Fault,
}

impl NotMade {
    /// The message that tells the sender.
    fn reply(self, request_id: Option<Value>) -> Utf8Bytes {
        match self {
            NotMade::Changed => ProtocolError::new(
                "conflict",
                "the session kept changing while this update was applied: send it again",
                request_id,
            ),
            NotMade::Unavailable(why) => ProtocolError::new("not_ready", &why, request_id),
            NotMade::Fault => {
                ProtocolError::new("internal_error", EngineFault::MESSAGE, request_id)
            }
        }
        .to_message()
    }
}

/// A member with `changes` merged in (docs/sessions.md): member keys (`spans`, `stations`, `cases`,
/// …) replace the member's own, `section` and any beam field change the section field by field, and
/// `null` removes a key.
fn merge_member(current: Value, changes: &Map<String, Value>) -> Result<Value, Vec<FieldError>> {
    let Value::Object(mut member) = current else {
        return Err(vec![FieldError {
            field: "member".into(),
            message: "the session's member is not an object".into(),
        }]);
    };
    let mut section_changes = Map::new();
    for (key, value) in changes {
        match key.as_str() {
            "section" => match value {
                Value::Object(fields) => section_changes.extend(fields.clone()),
                _ => {
                    return Err(vec![FieldError {
                        field: "section".into(),
                        message: "must be an object of beam fields".into(),
                    }])
                }
            },
            "id" | "spans" | "ends" | "stations" | "cases" | "combinations" | "ductile" => {
                member.remove(key);
                if !value.is_null() {
                    member.insert(key.clone(), value.clone());
                }
                // Stations and cases exclude each other: giving one replaces the other.
                let other = match key.as_str() {
                    "stations" => Some("cases"),
                    "cases" => Some("stations"),
                    _ => None,
                };
                if let (Some(other), false) = (other, value.is_null()) {
                    member.remove(other);
                    if other == "cases" {
                        member.remove("combinations");
                    }
                }
            }
            _ => {
                section_changes.insert(key.clone(), value.clone());
            }
        }
    }
    if !section_changes.is_empty() {
        let section = match member.remove("section") {
            Some(Value::Object(s)) => s,
            _ => Map::new(),
        };
        let merged = is456::input::merge_fields(section, &section_changes).map_err(|e| {
            e.errors
                .into_iter()
                .map(|f| FieldError {
                    field: format!("section.{}", f.field),
                    message: f.message,
                })
                .collect::<Vec<_>>()
        })?;
        member.insert("section".into(), Value::Object(merged));
    }
    Ok(Value::Object(member))
}

fn validation(errors: Vec<FieldError>, request_id: Option<Value>) -> Utf8Bytes {
    let message = format!("invalid beam: {}", FieldError::summary(&errors));
    ProtocolError {
        code: "validation_error",
        message,
        errors: Some(errors),
        request_id,
    }
    .to_message()
}

/// Runs one member's connection to its end.
///
/// A client that joins a session with no design and sends one gets its `design_result` as the first
/// message (docs/sessions.md): `session_state` goes first only to a late joiner of a session that has
/// a design, or to a client that asked for it (`welcome`); a member's own `presence` goes to the
/// others, never back to itself.
pub async fn run(
    socket: WebSocket,
    state: AppState,
    session: String,
    caller: Caller,
    welcome: bool,
) {
    let (sink, mut stream) = socket.split();
    let settings = state.config.sessions.clone();
    let mut member = Member {
        state: state.clone(),
        session: session.as_str().into(),
        sink,
        send_timeout: Duration::from_secs(settings.send_timeout_seconds),
    };
    let identity = match caller.identity() {
        Ok(id) => id,
        Err(e) => {
            // "no token was sent", "the token has expired" or "the token is not valid".
            let detail = e.to_string();
            let reason = detail.trim_start_matches("Not authenticated: ");
            member.close(close::UNAUTHORIZED, reason).await;
            return;
        }
    };
    if let Err(e) = identity.may_join(&session) {
        let reason = match e {
            ApiError::InvitationOnly(_) => "the invitation is for another session",
            _ => "the token lacks the design scope",
        };
        member.close(close::FORBIDDEN, reason).await;
        return;
    }
    let joined = match state.hub.join(&session).await {
        Ok(j) => j,
        Err(e @ HubError::Unavailable(_)) => {
            member.close(close::TRY_AGAIN, &e.to_string()).await;
            return;
        }
        Err(e) => {
            member.close(close::POLICY, &e.to_string()).await;
            return;
        }
    };
    state.metrics.ws_opened();
    let mut messages = joined.messages;
    let ping_every = Duration::from_secs(settings.ping_interval_seconds.max(1));
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
    let mut last_seen = Instant::now();
    let mut bucket = Bucket::new(settings.messages_per_second, settings.burst);
    let mut lags: Vec<Instant> = Vec::new();
    // Unique to this member, so that it can tell its own arrival from another's.
    let member_id = format!("{:016x}", rand::random::<u64>());
    let own_presence: Bytes =
        protocol::presence(&session, joined.snapshot.members, true, &member_id).into();

    let end = async {
        if welcome || joined.snapshot.beam.is_some() {
            member
                .text(protocol::session_state(&session, &joined.snapshot))
                .await?;
        }
        state.hub.broadcast(&session, own_presence.clone()).await;
        loop {
            tokio::select! {
                biased;
                _ = state.shutdown.cancelled() => {
                    return Err(End::Close(close::GOING_AWAY, "the server is shutting down".into()));
                }
                frame = stream.next() => {
                    let frame = match frame {
                        None => return Err(End::Gone),
                        Some(Err(e)) => return Err(read_error(e)),
                        Some(Ok(frame)) => frame,
                    };
                    last_seen = Instant::now();
                    state.metrics.ws_received();
                    match frame {
                        Message::Text(text) => {
                            if bucket.take() {
                                member.handle(text.as_str()).await?;
                            } else {
                                member.text(rate_limited(&text)).await?;
                            }
                        }
                        Message::Binary(_) => {
                            let e = ProtocolError::new(
                                "binary_not_supported",
                                "send JSON text frames; binary frames are not supported",
                                None,
                            );
                            member.text(e.to_message()).await?;
                        }
                        Message::Close(_) => return Err(End::Gone),
                        Message::Ping(_) | Message::Pong(_) => {}
                    }
                }
                message = messages.recv() => match message {
                    // Its own arrival is news to the others only.
                    Ok(text) if text == own_presence => {}
                    // The hub carries text as bytes; every message put in it was a string.
                    Ok(text) => match Utf8Bytes::try_from(text) {
                        Ok(text) => member.text(text).await?,
                        Err(e) => tracing::error!(error = %e, "a session message that is not UTF-8"),
                    },
                    Err(RecvError::Lagged(_)) => {
                        let now = Instant::now();
                        lags.retain(|t| now.duration_since(*t) < LAG_WINDOW);
                        lags.push(now);
                        if lags.len() as u32 > MAX_LAGS {
                            return Err(End::Close(close::POLICY, "too far behind the session".into()));
                        }
                        // Fell behind: bring the member up to date instead of replaying.
                        let snapshot = state.hub.snapshot(&session).await;
                        member.text(protocol::session_state(&session, &snapshot)).await?;
                    }
                    // The hub closed the session's stream: its store went away. Reconnect.
                    Err(RecvError::Closed) => {
                        return Err(End::Close(close::TRY_AGAIN, "the session store is unavailable: reconnect".into()));
                    }
                },
                _ = ping.tick() => {
                    if last_seen.elapsed() > 2 * ping_every {
                        return Err(End::Gone);
                    }
                    member.send(Message::Ping(Default::default())).await?;
                }
            }
        }
    }
    .await;

    let left = state.hub.leave(&session).await;
    state.metrics.ws_closed();
    if left > 0 {
        state
            .hub
            .broadcast(
                &session,
                protocol::presence(&session, left, false, &member_id).into(),
            )
            .await;
    }
    let end: Result<(), End> = end;
    if let Err(End::Close(code, reason)) = end {
        member.close(code, &reason).await;
        if code == close::TOO_BIG {
            // The oversized frame's payload is still unread, and closing a socket with unread data
            // resets it, which can destroy the close frame before the client reads it. Linger
            // briefly (never reading on: the frame may claim any length) so that the client sees
            // 1009 first.
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                _ = state.shutdown.cancelled() => {}
            }
        }
    }
}

fn rate_limited(text: &str) -> Utf8Bytes {
    // Echo the request id when the message has one, so the client knows which one was dropped.
    let request_id = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v.get("request_id").cloned());
    ProtocolError::new(
        "rate_limited",
        "too many messages: slow down (the message was not processed)",
        request_id,
    )
    .to_message()
}

/// A frame over the size limit closes with 1009, a broken frame with 1002, text that is not UTF-8
/// with 1007 (RFC 6455 §7.4.1); any other read error means the peer is gone.
fn read_error(e: axum::Error) -> End {
    match e.into_inner().downcast::<tungstenite::Error>().map(|e| *e) {
        Ok(tungstenite::Error::Capacity(_)) => {
            End::Close(close::TOO_BIG, "message over the size limit".into())
        }
        Ok(tungstenite::Error::Utf8(_)) => End::Close(
            close::INVALID_DATA,
            "a text message is not valid UTF-8".into(),
        ),
        Ok(tungstenite::Error::Protocol(p)) => End::Close(
            close::PROTOCOL,
            format!("WebSocket protocol error: {p}")
                .chars()
                .take(100)
                .collect(),
        ),
        _ => End::Gone,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_the_burst_then_the_rate() {
        let mut b = Bucket::new(20, 40);
        assert_eq!((0..100).filter(|_| b.take()).count(), 40);
    }
}

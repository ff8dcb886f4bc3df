//! A small WebSocket client for the tests.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::TestApp;

pub struct Ws {
    inner: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

pub const WAIT: Duration = Duration::from_secs(10);

/// The ws:// URL of a session, with the token in the query when given.
pub fn url(app: &TestApp, session: &str, token: Option<&str>) -> String {
    let base = app.address.replacen("http://", "ws://", 1);
    match token {
        Some(t) => format!("{base}/ws/design/{session}?welcome=1&token={t}"),
        None => format!("{base}/ws/design/{session}?welcome=1"),
    }
}

impl Ws {
    pub async fn connect(app: &TestApp, session: &str, token: Option<&str>) -> Ws {
        let (inner, _) = tokio_tungstenite::connect_async(url(app, session, token))
            .await
            .expect("the WebSocket handshake succeeds");
        Ws { inner }
    }

    /// Connects and reads the first message, which must be the session's state.
    pub async fn join(app: &TestApp, session: &str, token: &str) -> (Ws, Value) {
        let mut ws = Ws::connect(app, session, Some(token)).await;
        let state = ws.recv().await;
        assert_eq!(state["type"], "session_state", "{state}");
        (ws, state)
    }

    pub async fn send(&mut self, value: &Value) {
        self.inner
            .send(Message::text(value.to_string()))
            .await
            .expect("send");
    }

    pub async fn send_raw(&mut self, message: Message) {
        self.inner.send(message).await.expect("send");
    }

    /// The next JSON message (pings and pongs are skipped).
    pub async fn recv(&mut self) -> Value {
        loop {
            let frame = tokio::time::timeout(WAIT, self.inner.next())
                .await
                .expect("a message in time")
                .expect("the connection is open")
                .expect("a frame");
            match frame {
                Message::Text(text) => return serde_json::from_str(text.as_str()).expect("JSON"),
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("expected a text message, got {other:?}"),
            }
        }
    }

    /// The next message of `kind`, skipping others (presence, say).
    pub async fn recv_type(&mut self, kind: &str) -> Value {
        loop {
            let v = self.recv().await;
            if v["type"] == kind {
                return v;
            }
        }
    }

    /// Waits for the server's close frame; its code and reason.
    pub async fn closed(&mut self) -> (u16, String) {
        loop {
            let frame = tokio::time::timeout(WAIT, self.inner.next())
                .await
                .expect("a close in time");
            match frame {
                Some(Ok(Message::Close(Some(frame)))) => {
                    return (u16::from(frame.code), frame.reason.to_string())
                }
                Some(Ok(Message::Close(None))) => {
                    return (u16::from(CloseCode::Status), String::new())
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => panic!("connection failed instead of closing: {e}"),
                None => panic!("connection ended without a close frame"),
            }
        }
    }
}

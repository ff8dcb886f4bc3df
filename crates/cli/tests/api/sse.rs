//! A Server-Sent Events reader for the tests.

use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: u64,
    pub event: String,
    pub data: Value,
}

/// What a stream yields: events, and the other lines that matter.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Event(Event),
    Retry(u64),
    Comment(String),
}

pub struct Sse {
    body: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    /// Bytes, not text: a chunk may end inside a multi-byte character.
    buffer: Vec<u8>,
    pending: std::collections::VecDeque<Item>,
    pub headers: reqwest::header::HeaderMap,
    pub status: u16,
}

impl Sse {
    pub fn new(response: reqwest::Response) -> Sse {
        Sse {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.bytes_stream().boxed(),
            buffer: Vec::new(),
            pending: Default::default(),
        }
    }

    fn parse_blocks(&mut self) {
        while let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
            let bytes: Vec<u8> = self.buffer.drain(..end + 2).collect();
            let block = String::from_utf8(bytes).expect("UTF-8 events");
            let (mut id, mut event, mut data) = (None, None, None);
            for line in block.lines() {
                if let Some(c) = line.strip_prefix(':') {
                    self.pending.push_back(Item::Comment(c.trim().to_owned()));
                } else if let Some(v) = line.strip_prefix("retry: ") {
                    self.pending
                        .push_back(Item::Retry(v.parse().expect("retry ms")));
                } else if let Some(v) = line.strip_prefix("id: ") {
                    id = Some(v.parse::<u64>().expect("numeric id"));
                } else if let Some(v) = line.strip_prefix("event: ") {
                    event = Some(v.to_owned());
                } else if let Some(v) = line.strip_prefix("data: ") {
                    assert!(data.is_none(), "one data line per event");
                    data = Some(serde_json::from_str::<Value>(v).expect("compact JSON data"));
                }
            }
            if let (Some(id), Some(event), Some(data)) = (id, event, data) {
                self.pending
                    .push_back(Item::Event(Event { id, event, data }));
            }
        }
    }

    /// The next item, or None when the stream ends.
    pub async fn next_item(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            let chunk = tokio::time::timeout(Duration::from_secs(20), self.body.next())
                .await
                .expect("the stream stalled")?;
            self.buffer.extend_from_slice(&chunk.expect("stream chunk"));
            self.parse_blocks();
        }
    }

    /// The next event (skipping retry and comments), or None at the end.
    pub async fn next_event(&mut self) -> Option<Event> {
        loop {
            match self.next_item().await? {
                Item::Event(e) => return Some(e),
                _ => continue,
            }
        }
    }

    /// Every remaining event, to the end of the stream.
    pub async fn rest(&mut self) -> Vec<Event> {
        let mut out = Vec::new();
        while let Some(e) = self.next_event().await {
            out.push(e);
        }
        out
    }
}

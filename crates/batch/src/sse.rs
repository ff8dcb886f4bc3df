//! Job events as Server-Sent Events (docs/jobs.md): how the server frames them and how a client
//! reads them back from a byte stream.

/// The first lines of every stream: how long a browser waits before reconnecting, ms.
pub const RETRY: &str = "retry: 2000\n\n";
/// A comment that keeps a quiet connection open through proxies.
pub const KEEPALIVE: &str = ": keepalive\n\n";

/// One event on the wire. `data` is one line of JSON, so it needs one `data:` line.
pub fn frame(id: u64, name: &str, data: &str) -> String {
    format!("id: {id}\nevent: {name}\ndata: {data}\n\n")
}

/// One event read back. Blocks without an `event:` line (the `retry:` preamble, comments) are not
/// events and are not returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub id: Option<u64>,
    pub name: String,
    pub data: String,
}

/// Reads frames from a stream that arrives in chunks. It buffers bytes, not text: a chunk may end
/// inside a multi-byte character (φ, ²).
#[derive(Debug, Default)]
pub struct Reader {
    bytes: Vec<u8>,
    /// Where the search for the next blank line resumes.
    scanned: usize,
}

impl Reader {
    /// The events completed by `chunk`.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<Frame> {
        self.bytes.extend_from_slice(chunk);
        let mut out = Vec::new();
        let mut start = 0;
        let mut at = self.scanned;
        while let Some(end) = self.bytes[at..].windows(2).position(|w| w == b"\n\n") {
            let end = at + end;
            if let Some(frame) = parse_block(&self.bytes[start..end]) {
                out.push(frame);
            }
            start = end + 2;
            at = start;
        }
        self.bytes.drain(..start);
        // A "\n" at the very end may be the first half of the next blank line.
        self.scanned = self.bytes.len().saturating_sub(1);
        out
    }
}

fn parse_block(block: &[u8]) -> Option<Frame> {
    let text = String::from_utf8_lossy(block);
    let (mut id, mut name, mut data) = (None, None, Vec::new());
    for line in text.lines() {
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "id" => id = value.parse::<u64>().ok(),
            "event" => name = Some(value.to_owned()),
            "data" => data.push(value),
            _ => {}
        }
    }
    Some(Frame {
        id,
        name: name?,
        data: data.join("\n"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_survive_any_split_even_inside_a_character() {
        let wire = format!(
            "{RETRY}{}{KEEPALIVE}{}",
            frame(7, "design_result", r#"{"bars":"3-16φ"}"#),
            frame(8, "progress", r#"{"current":1}"#)
        );
        let bytes = wire.as_bytes();
        for split in 0..bytes.len() {
            let mut reader = Reader::default();
            let mut frames = reader.feed(&bytes[..split]);
            frames.extend(reader.feed(&bytes[split..]));
            assert_eq!(frames.len(), 2, "split at {split}");
            assert_eq!(frames[0].id, Some(7));
            assert_eq!(frames[0].name, "design_result");
            assert_eq!(frames[0].data, r#"{"bars":"3-16φ"}"#);
            assert_eq!(frames[1].name, "progress");
        }
    }

    #[test]
    fn byte_by_byte() {
        let wire = frame(1, "start", "{}");
        let mut reader = Reader::default();
        let frames: Vec<Frame> = wire.bytes().flat_map(|b| reader.feed(&[b])).collect();
        assert_eq!(frames.len(), 1);
    }
}

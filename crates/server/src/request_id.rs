//! The request id: echoed from `X-Request-Id` when the client sent a sensible one, else generated; kept
//! in a task-local so that every error body and log line of the request can carry it.

use std::cell::Cell;
use std::future::Future;

use axum::http::HeaderValue;
use tokio::task::futures::TaskLocalFuture;

/// `X-Request-Id`, as a header name made once (a name given as text is parsed on every use).
pub const HEADER: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");

tokio::task_local! {
    static REQUEST_ID: RequestId;
}

/// A request's id: the client's, already a header value, or 32 hex digits made here and kept inline,
/// so that carrying it through the request allocates nothing; it becomes a header value once, for the
/// answer.
#[derive(Clone, Debug)]
pub enum RequestId {
    Client(HeaderValue),
    Made([u8; 32]),
}

impl RequestId {
    pub fn as_str(&self) -> &str {
        match self {
            RequestId::Client(value) => value.to_str().unwrap_or_default(),
            RequestId::Made(digits) => std::str::from_utf8(digits).unwrap_or_default(),
        }
    }

    /// The value of the answer's `X-Request-Id`.
    pub fn into_header(self) -> HeaderValue {
        match self {
            RequestId::Client(value) => value,
            // Hex digits are valid header bytes, so this never falls back.
            RequestId::Made(digits) => {
                HeaderValue::from_bytes(&digits).unwrap_or(HeaderValue::from_static("0"))
            }
        }
    }
}

/// The current request's id, or an empty string outside a request.
pub fn current() -> String {
    REQUEST_ID
        .try_with(|id| id.as_str().to_owned())
        .unwrap_or_default()
}

/// `fut` with `id` as the current request id while it runs.
pub fn scope<F: Future>(id: RequestId, fut: F) -> TaskLocalFuture<RequestId, F> {
    REQUEST_ID.scope(id, fut)
}

/// The client's id if it is 1–128 visible characters of a safe set, else a new random one.
pub fn accept_or_generate(client: Option<&HeaderValue>) -> RequestId {
    match client {
        Some(id)
            if (1..=128).contains(&id.len())
                && id
                    .as_bytes()
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b)) =>
        {
            RequestId::Client(id.clone())
        }
        _ => generate(),
    }
}

thread_local! {
    /// Each thread's state of splitmix64, seeded from the operating system's randomness.
    static STATE: Cell<u64> = Cell::new(rand::random());
}

/// The next 64 bits of this thread's splitmix64 sequence: ids need to be unique and unguessable
/// enough not to collide across threads and restarts, not to be secret.
fn next_u64() -> u64 {
    STATE.with(|state| {
        let s = state.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        state.set(s);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    })
}

/// 32 hex digits of a new 128-bit id.
fn generate() -> RequestId {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut digits = [0u8; 32];
    for (half, word) in digits.chunks_exact_mut(16).zip([next_u64(), next_u64()]) {
        for (pair, byte) in half.chunks_exact_mut(2).zip(word.to_be_bytes()) {
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 0xf)];
        }
    }
    RequestId::Made(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(id: &str) -> String {
        let value = HeaderValue::from_str(id).expect("a header value");
        accept_or_generate(Some(&value)).as_str().to_owned()
    }

    #[test]
    fn client_ids_are_echoed_only_when_safe() {
        assert_eq!(accept("abc-123"), "abc-123");
        assert_eq!(accept("bad id").len(), 32);
        assert_eq!(accept(&"x".repeat(200)).len(), 32);
        assert_ne!(
            accept_or_generate(None).as_str(),
            accept_or_generate(None).as_str()
        );
        let id = accept_or_generate(None).into_header();
        assert!(id
            .as_bytes()
            .iter()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }

    #[test]
    fn generated_ids_do_not_repeat() {
        let ids: std::collections::HashSet<_> = (0..10_000)
            .map(|_| generate().as_str().to_owned())
            .collect();
        assert_eq!(ids.len(), 10_000);
    }
}

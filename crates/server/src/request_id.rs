//! The request id: echoed from `X-Request-Id` when the client sent a sensible one, else generated; kept
//! in a task-local so that every error body and log line of the request can carry it.

use std::future::Future;

use tokio::task::futures::TaskLocalFuture;

/// `X-Request-Id`, as a header name made once (a name given as text is parsed on every use).
pub const HEADER: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The current request's id, or an empty string outside a request.
pub fn current() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_default()
}

/// `fut` with `id` as the current request id while it runs.
pub fn scope<F: Future>(id: String, fut: F) -> TaskLocalFuture<String, F> {
    REQUEST_ID.scope(id, fut)
}

/// The client's id if it is 1–128 visible characters of a safe set, else a new random one.
pub fn accept_or_generate(client: Option<&str>) -> String {
    match client {
        Some(id)
            if (1..=128).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)) =>
        {
            id.to_owned()
        }
        _ => generate(),
    }
}

/// 32 hex digits of a random 128-bit number.
fn generate() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bits: u128 = rand::random();
    let mut digits = [0u8; 32];
    for (k, digit) in digits.iter_mut().rev().enumerate() {
        *digit = HEX[((bits >> (4 * k)) & 0xf) as usize];
    }
    // Hex digits are ASCII, so this never falls back.
    std::str::from_utf8(&digits).map_or_else(|_| String::new(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_are_echoed_only_when_safe() {
        assert_eq!(accept_or_generate(Some("abc-123")), "abc-123");
        assert_eq!(accept_or_generate(Some("bad id\n")).len(), 32);
        assert_eq!(accept_or_generate(Some(&"x".repeat(200))).len(), 32);
        assert_ne!(accept_or_generate(None), accept_or_generate(None));
        let id = accept_or_generate(None);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }
}

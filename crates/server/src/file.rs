//! Answers that are files (the calculation report, the bar bending schedule, drawings): a body with
//! its type and a `Content-Disposition` that names the file.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// What a browser does with the file.
#[derive(Clone, Copy)]
pub enum Disposition {
    /// Shows it (a report opens in the browser).
    Inline,
    /// Saves it.
    Attachment,
}

/// `body` as a file of `content_type` named after `id` (made safe for the header by [`safe_name`])
/// followed by `suffix` (e.g. `-bbs.csv`, written by the caller and safe already).
pub fn file(
    body: impl IntoResponse,
    content_type: &'static str,
    disposition: Disposition,
    id: &str,
    suffix: &str,
) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let kind = match disposition {
        Disposition::Inline => "inline",
        Disposition::Attachment => "attachment",
    };
    let name = safe_name(id);
    if let Ok(v) = HeaderValue::from_str(&format!("{kind}; filename=\"{name}{suffix}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// An id as a file name: letters, digits, `-` and `_` only, at most 64 characters.
fn safe_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe_for_the_header() {
        assert_eq!(safe_name("B1 \"x\"/../y"), "B1__x_____y");
        assert_eq!(safe_name(&"a".repeat(100)).len(), 64);
        let response = file("x", "text/csv", Disposition::Attachment, "B1", "-bbs.csv");
        assert_eq!(
            response.headers()[header::CONTENT_DISPOSITION],
            "attachment; filename=\"B1-bbs.csv\""
        );
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/csv");
    }
}

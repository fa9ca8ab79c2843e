//! Helpers for reading services' error bodies into [`ProviderError`].

use http::{HeaderMap, StatusCode};
use oauth1_flow::{ErrorCode, Problem, ProviderError};

/// Bodies longer than this are not parsed as JSON (a real error body is a few hundred bytes).
const MAX_JSON: usize = 64 * 1024;

/// At most this many characters of a service's message are kept.
const MAX_TEXT: usize = 500;

/// The body as JSON, if it is JSON and not too long.
pub(crate) fn json(body: &[u8]) -> Option<serde_json::Value> {
    if body.len() > MAX_JSON {
        return None;
    }
    serde_json::from_slice(body).ok()
}

/// `text` trimmed and cut to [`MAX_TEXT`] characters.
pub(crate) fn text(text: &str) -> String {
    let text = text.trim();
    let mut out: String = text.chars().take(MAX_TEXT).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// A string member of a JSON object.
pub(crate) fn str_of<'a>(value: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    value.get(name).and_then(serde_json::Value::as_str)
}

/// The default parse of the body, with `title` and `detail` as its problem (what the service
/// said, in its own words), the body's other readings cleared.
pub(crate) fn with_problem(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    title: &str,
    detail: Option<String>,
) -> ProviderError {
    let mut error = ProviderError::parse(status, headers, body);
    error.codes.clear();
    error.snippet = None;
    error.problem = Some(Problem {
        title: text(title),
        detail: detail.map(|d| text(&d)),
        kind: None,
    });
    error
}

/// The default parse of the body, with numbered errors.
pub(crate) fn with_codes(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    codes: Vec<ErrorCode>,
) -> ProviderError {
    let mut error = ProviderError::parse(status, headers, body);
    error.problem = None;
    error.snippet = None;
    error.codes = codes;
    error
}

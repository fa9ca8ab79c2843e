//! What the async and blocking transports share: turning an [`http::Request`] into the pieces
//! of a reqwest request without changing a byte of it, and a reqwest response head back into
//! an [`http::Response`].

use std::time::Duration;

use oauth1_flow::{TransportError, TransportErrorKind};

/// The parts of a request as reqwest wants them.
pub(crate) struct Parts {
    pub(crate) method: http::Method,
    pub(crate) url: reqwest::Url,
    pub(crate) headers: http::HeaderMap,
    pub(crate) version: http::Version,
    /// `None` when nothing is to be sent (no `Content-Length` either).
    pub(crate) body: Option<Vec<u8>>,
}

/// Splits `request`, refusing one that reqwest would send differently from what was signed.
///
/// reqwest sends a [`reqwest::Url`], which normalizes what it parses: it resolves `.` and `..`
/// segments and percent-encodes characters such as `"`, `{`, `}` or `|` in the path. The
/// signature covers the path and the query as given, so such a request is refused with
/// [`TransportErrorKind::InvalidRequest`] instead of being sent with a signature that cannot
/// verify. Scheme and host case and a default port may change: the signature base string
/// normalizes those the same way (RFC 5849 §3.4.1.2).
pub(crate) fn split(request: http::Request<Vec<u8>>) -> Result<Parts, TransportError> {
    let (parts, body) = request.into_parts();
    let uri = &parts.uri;
    if uri.scheme().is_none() || uri.authority().is_none() {
        return Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            format!(
                "the request URI `{}` is not absolute: give it a scheme and a host, such as \
                 https://api.example.com{}",
                uri.path(),
                uri.path()
            ),
        ));
    }
    let url = reqwest::Url::parse(&uri.to_string()).map_err(|error| {
        TransportError::new(
            TransportErrorKind::InvalidRequest,
            format!(
                "reqwest cannot send to `{}://{}{}`: {error}",
                uri.scheme_str().unwrap_or(""),
                uri.authority().map(|a| a.as_str()).unwrap_or(""),
                uri.path()
            ),
        )
    })?;
    if url.path() != uri.path() {
        return Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            format!(
                "reqwest would send the path `{}` as `{}`, which the signature does not cover; \
                 sign and send the path in that normalized form",
                uri.path(),
                url.path()
            ),
        ));
    }
    if url.query() != uri.query() {
        return Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            "reqwest would re-encode the query string, which the signature does not cover; \
             percent-encode every space, quote and `#`, `<`, `>`, `'` in the query before signing",
        ));
    }
    let mut headers = parts.headers;
    let body = if !body.is_empty() || headers.contains_key(http::header::CONTENT_LENGTH) {
        Some(body)
    } else if expects_body(&parts.method) {
        // hyper leaves an empty body unannounced; servers answer 411 to such a POST.
        headers.insert(
            http::header::CONTENT_LENGTH,
            http::HeaderValue::from_static("0"),
        );
        Some(body)
    } else {
        None
    };
    Ok(Parts {
        method: parts.method,
        url,
        headers,
        version: parts.version,
        body,
    })
}

/// Whether an empty body of `method` is still worth a `Content-Length: 0` (servers answer 411
/// to a bodiless POST); for the others an empty body means none at all.
pub(crate) fn expects_body(method: &http::Method) -> bool {
    !matches!(
        *method,
        http::Method::GET
            | http::Method::HEAD
            | http::Method::DELETE
            | http::Method::OPTIONS
            | http::Method::TRACE
            | http::Method::CONNECT
    )
}

/// The size of the buffer to start a body with: what the response announces, within the limit,
/// and never a huge allocation on the peer's word alone.
pub(crate) fn initial_capacity(announced: Option<u64>, max_body: usize) -> usize {
    const START: usize = 64 * 1024;
    announced
        .and_then(|length| usize::try_from(length).ok())
        .map_or(0, |length| length.min(max_body).min(START))
}

/// A response without its body.
pub(crate) struct ResponseHead {
    pub(crate) status: http::StatusCode,
    pub(crate) version: http::Version,
    pub(crate) headers: http::HeaderMap,
}

impl ResponseHead {
    /// The response with `body`.
    pub(crate) fn body<B>(self, body: B) -> http::Response<B> {
        let mut response = http::Response::new(body);
        *response.status_mut() = self.status;
        *response.version_mut() = self.version;
        *response.headers_mut() = self.headers;
        response
    }
}

/// A duration for people: `30 s`, `250 ms`.
pub(crate) fn describe_duration(duration: Duration) -> String {
    if duration.subsec_nanos() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{} ms", duration.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str) -> http::Request<Vec<u8>> {
        http::Request::get(uri).body(Vec::new()).unwrap()
    }

    #[test]
    fn the_query_is_kept_byte_for_byte() {
        let parts = split(get("http://127.0.0.1:8080/a?a=%2F&b=+&c=%7E&d=&e")).unwrap();
        assert_eq!(parts.url.query(), Some("a=%2F&b=+&c=%7E&d=&e"));
        assert_eq!(parts.url.path(), "/a");
        assert!(parts.body.is_none());
    }

    #[test]
    fn a_root_without_a_slash_is_fine() {
        let parts = split(get("http://example.com")).unwrap();
        assert_eq!(parts.url.path(), "/");
        let parts = split(get("http://example.com?x=1")).unwrap();
        assert_eq!(parts.url.query(), Some("x=1"));
    }

    #[test]
    fn a_path_reqwest_would_normalize_is_refused() {
        let error = split(get("http://example.com/a/../b")).err().unwrap();
        assert_eq!(error.kind(), TransportErrorKind::InvalidRequest);
        assert!(error.to_string().contains("/a/../b"), "{error}");
    }

    #[test]
    fn a_relative_uri_is_refused() {
        let error = split(get("/path?q=1")).err().unwrap();
        assert_eq!(error.kind(), TransportErrorKind::InvalidRequest);
    }

    #[test]
    fn an_empty_post_body_is_still_sent() {
        let request = http::Request::post("http://example.com/")
            .body(Vec::new())
            .unwrap();
        assert_eq!(split(request).unwrap().body, Some(Vec::new()));
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(describe_duration(Duration::from_secs(30)), "30 s");
        assert_eq!(describe_duration(Duration::from_millis(250)), "250 ms");
    }

    #[test]
    fn capacity_is_bounded() {
        assert_eq!(initial_capacity(Some(u64::MAX), 1 << 30), 64 * 1024);
        assert_eq!(initial_capacity(Some(10), 5), 5);
        assert_eq!(initial_capacity(None, 5), 0);
    }
}

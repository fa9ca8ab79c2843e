//! Spans and events, with the `tracing` feature (without it this module is not compiled).
//!
//! - A `DEBUG` span `oauth1.step` around each step run by a driver of [`Flow`](crate::Flow)
//!   (`request_token`, `access_token`, `xauth`, `invalidate` and their `_blocking` twins), with
//!   `step`, `method`, `host`, `status`, and `problem` (the provider's refusal) or `error`.
//!   The sans-IO `prepare_*`/`handle_response` have no span of their own: one step is two calls
//!   there, with the application's own IO between them, and its span is the application's.
//! - A `DEBUG` span `oauth1.request` around each request that [`SignedClient`](crate::SignedClient)
//!   signs and sends (`send`, `send_blocking`, `stream`, `stream_blocking`), with `method`,
//!   `url` (no user info, the query's names without their values), `placement`, `status`, and
//!   `problem` or `error`.
//! - A `TRACE` event with the signature base string of every request signed (dance steps,
//!   including the `prepare_*` methods, and [`SignedClient::sign`](crate::SignedClient::sign)),
//!   masked by [`mask_base_string`].
//!
//! Never a secret at any level: the consumer secret, token secrets, the RSA key and the
//! signature (which for PLAINTEXT is the secrets) are never recorded, and neither is a URL
//! after signing (query placement puts the signature there), a transport's message (a library
//! may print the URL) or the body of a token response.

use http::header::CONTENT_TYPE;
use oauth1_core::{AnyMethod, Body, OAuthParams, Placement, Request, Scratch, Signer};
use tracing::{field, Level, Span};

use crate::error::{Error, Step};

/// What replaces a masked value.
const MASK: &str = "[redacted]";

/// Whether the value of the parameter `name` (as it appears, encoded, in a base string) is
/// secret: `oauth_verifier` (with the request token's secret it buys an access token),
/// `oauth_signature` (never in a base string, but PLAINTEXT's is the secrets), and any name that
/// contains `password`, `passwd` or `secret`, in any case (`x_auth_password`, a form's
/// `client_secret`, …). Protocol parameters other than these (consumer key, token, nonce,
/// timestamp, method, callback) are public: they travel in the clear beside the signature.
fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "oauth_verifier"
        || name == "oauth_signature"
        || ["password", "passwd", "secret"]
            .iter()
            .any(|s| name.contains(s))
    // Names are compared as encoded: letters, digits and `_` are never percent-encoded, so
    // each of these words appears in an encoded name exactly when it is in the name.
}

/// The signature base string `base` (RFC 5849 §3.4.1) with the value of every secret parameter
/// (see [`is_secret`]) replaced by `[redacted]`; method, URI and the other parameters kept, so
/// that it still compares with a provider's base string. Text that is not a base string is
/// redacted whole.
pub(crate) fn mask_base_string(base: &str) -> String {
    let mut parts = base.splitn(3, '&');
    let (Some(method), Some(uri), Some(params)) = (parts.next(), parts.next(), parts.next()) else {
        return MASK.to_owned();
    };
    let mut out = String::with_capacity(base.len());
    out.push_str(method);
    out.push('&');
    out.push_str(uri);
    out.push('&');
    // The parameters are encoded twice: `&` between pairs is `%26`, `=` is `%3D`, and neither
    // can appear otherwise (a name's or value's own `&` and `=` are `%2526` and `%253D`).
    for (i, pair) in params.split("%26").enumerate() {
        if i > 0 {
            out.push_str("%26");
        }
        match pair.split_once("%3D") {
            Some((name, value)) if is_secret(name) && !value.is_empty() => {
                out.push_str(name);
                out.push_str("%3D");
                out.push_str(MASK);
            }
            Some(_) => out.push_str(pair),
            // A pair without `=` is not from a base string: keep nothing of it.
            None if pair.is_empty() => {}
            None => out.push_str(MASK),
        }
    }
    out
}

/// `url` without user info and with its query's values left out (`?count=…&q=…`).
pub(crate) fn url_without_query_values(url: &http::Uri) -> String {
    let mut out = String::new();
    if let Some(scheme) = url.scheme_str() {
        out.push_str(scheme);
        out.push_str("://");
    }
    if let Some(host) = url.host() {
        out.push_str(host);
    }
    if let Some(port) = url.port_u16() {
        out.push(':');
        out.push_str(&port.to_string());
    }
    out.push_str(url.path());
    if let Some(query) = url.query() {
        out.push('?');
        for (i, pair) in query.split('&').enumerate() {
            if i > 0 {
                out.push('&');
            }
            let name = pair.split_once('=').map_or(pair, |(n, _)| n);
            out.push_str(name);
            out.push_str("=…");
        }
    }
    out
}

/// A TRACE event with the masked base string.
pub(crate) fn base_string(base: &str) {
    tracing::trace!(base_string = %mask_base_string(base), "signature base string");
}

/// A TRACE event with the masked base string of `request` signed with `oauth` (before
/// [`Signer::sign_http`], which does not return it). Signs a second time, only when TRACE is
/// on.
pub(crate) fn token_base_string(
    signer: &Signer<AnyMethod>,
    request: &http::Request<Vec<u8>>,
    oauth: &OAuthParams<'_>,
) {
    if !tracing::enabled!(Level::TRACE) {
        return;
    }
    let url = request.uri().to_string();
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let body = Body::from_content_type(content_type, request.body());
    let masked = Scratch::with_thread_local(|scratch| {
        signer
            .sign(
                scratch,
                &Request::new(request.method().as_str(), &url).with_body(body),
                oauth,
            )
            .map(|signed| mask_base_string(signed.base_string()))
    });
    if let Ok(masked) = masked {
        tracing::trace!(base_string = %masked, "signature base string");
    }
}

/// The span of one step run by a driver; `method`, `host`, `status` and the outcome are
/// recorded as they become known.
pub(crate) fn step_span(step: Step) -> Span {
    tracing::debug_span!(
        "oauth1.step",
        step = %step,
        method = field::Empty,
        host = field::Empty,
        status = field::Empty,
        problem = field::Empty,
        error = field::Empty,
    )
}

/// The span of one signed request (`request` before signing: its URL has no signature yet).
pub(crate) fn request_span(request: &http::Request<Vec<u8>>, placement: Placement) -> Span {
    tracing::debug_span!(
        "oauth1.request",
        method = %request.method(),
        url = %url_without_query_values(request.uri()),
        placement = ?placement,
        status = field::Empty,
        problem = field::Empty,
        error = field::Empty,
    )
}

/// Records the method and host of a step's request.
pub(crate) fn record_request(span: &Span, request: &http::Request<Vec<u8>>) {
    span.record("method", field::display(request.method()));
    if let Some(host) = request.uri().host() {
        span.record("host", host);
    }
}

/// Records the status of a response.
pub(crate) fn record_status(span: &Span, status: http::StatusCode) {
    span.record("status", status.as_u16());
}

/// Records a failure: the provider's refusal as `problem`, anything else as `error`, and a
/// DEBUG event with it.
pub(crate) fn record_outcome<T>(span: &Span, result: &Result<T, Error>) {
    let Err(e) = result else { return };
    if let Error::Provider { error, .. } = e {
        // Its body snippet has secrets removed (see `ProviderError::snippet`).
        span.record("problem", field::display(error));
        span.in_scope(|| tracing::debug!(problem = %error, "refused"));
    } else {
        let text = describe(e);
        span.record("error", text.as_str());
        span.in_scope(|| tracing::debug!(error = %text, "failed"));
    }
}

/// An error's message, less what may hold a secret: a transport's message (the library's
/// text may print the URL, and query placement puts the signature there) and the start of a
/// token response that is not a form (it may be a token in JSON).
fn describe(e: &Error) -> String {
    match e {
        Error::Transport { step, source } => {
            format!("{step} request failed: {}", source.kind())
        }
        Error::NotFormEncoded {
            step, content_type, ..
        } => {
            format!("the {step} response is not a form-encoded token (Content-Type {content_type})")
        }
        // The whole chain: a wrapping error's own message leaves its cause to `source()`.
        other => oauth1_core::Chain(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secret_values_only() {
        let base = "POST&https%3A%2F%2Fp.example%2Fat&oauth_consumer_key%3Dck%26oauth_verifier%3Dv1%26x_auth_mode%3Dclient_auth%26x_auth_password%3Dp%2526ss%26x_auth_username%3Dal";
        assert_eq!(
            mask_base_string(base),
            "POST&https%3A%2F%2Fp.example%2Fat&oauth_consumer_key%3Dck%26oauth_verifier%3D[redacted]%26x_auth_mode%3Dclient_auth%26x_auth_password%3D[redacted]%26x_auth_username%3Dal"
        );
        assert_eq!(
            mask_base_string("GET&u&Client_SECRET%3Dx%26a%3D"),
            "GET&u&Client_SECRET%3D[redacted]%26a%3D"
        );
        assert_eq!(mask_base_string("GET&u&"), "GET&u&");
        assert_eq!(mask_base_string("not a base string"), MASK);
        assert_eq!(mask_base_string("GET&u&garbage"), "GET&u&[redacted]");
    }

    #[test]
    fn url_keeps_names_not_values() {
        let url: http::Uri = "https://u:pw@api.example:8443/1.1/x.json?q=s3cret&count=2&flag"
            .parse()
            .unwrap_or_else(|_| http::Uri::from_static("/"));
        assert_eq!(
            url_without_query_values(&url),
            "https://api.example:8443/1.1/x.json?q=…&count=…&flag=…"
        );
    }
}

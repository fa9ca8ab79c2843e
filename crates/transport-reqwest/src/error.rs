//! Failures to build a transport, and the mapping of reqwest's errors to [`TransportError`].

use std::error::Error as StdError;
use std::time::Duration;

use oauth1_flow::{TransportError, TransportErrorKind};

/// A transport could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The TLS configuration could not be made (the `ring` provider refused the protocol
    /// versions). Build the transport from your own reqwest client instead.
    #[cfg(feature = "rustls")]
    #[error("could not configure TLS: build the transport from your own reqwest client instead")]
    Tls(#[source] rustls::Error),
    /// reqwest refused to build its client (for a blocking client: its runtime thread could not
    /// start).
    #[error("could not build the reqwest client")]
    Client(#[source] reqwest::Error),
}

/// What the mapping needs to know to write a helpful message.
#[derive(Clone, Copy)]
pub(crate) struct Context {
    /// The timeout in force for this exchange.
    pub(crate) timeout: Duration,
    /// Whether the request went to an `https` URL.
    pub(crate) https: bool,
}

/// Maps a reqwest error to a [`TransportError`] whose kind says what happened and whose message
/// carries the whole chain of causes (and the URL without its query, which may hold protocol
/// parameters).
pub(crate) fn from_reqwest(error: reqwest::Error, context: Context) -> TransportError {
    let kind = kind_of(&error);
    let url = error.url().map(|url| {
        let port = url
            .port()
            .map(|port| format!(":{port}"))
            .unwrap_or_default();
        format!(
            " ({}://{}{port}{})",
            url.scheme(),
            url.host_str().unwrap_or(""),
            url.path()
        )
    });
    let error = error.without_url();
    let mut message = chain(&error);
    message.push_str(url.as_deref().unwrap_or(""));
    add_hint(&mut message, kind, context);
    TransportError::new(kind, message)
}

/// Maps an IO error from reading a blocking body (reqwest wraps its own errors in them).
#[cfg(feature = "blocking")]
pub(crate) fn from_io(error: std::io::Error, context: Context) -> TransportError {
    if error
        .get_ref()
        .is_some_and(|inner| inner.is::<reqwest::Error>())
    {
        if let Some(Ok(inner)) = error
            .into_inner()
            .map(|inner| inner.downcast::<reqwest::Error>())
        {
            return from_reqwest(*inner, context);
        }
        return TransportError::new(
            TransportErrorKind::Other,
            "could not read the response body",
        );
    }
    let kind = match error.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            TransportErrorKind::Timeout
        }
        _ if is_tls(&error) => TransportErrorKind::Tls,
        _ => TransportErrorKind::Protocol,
    };
    let mut message = format!("could not read the response body: {}", chain(&error));
    add_hint(&mut message, kind, context);
    TransportError::new(kind, message)
}

/// The error for a body over the limit.
pub(crate) fn body_too_large(max_body: usize, announced: Option<u64>) -> TransportError {
    let message = match announced {
        Some(length) => format!(
            "the response announces {length} bytes, more than the limit of {max_body} bytes; \
             raise the limit with the builder's `max_body`"
        ),
        None => format!(
            "the response body is larger than the limit of {max_body} bytes; raise the limit \
             with the builder's `max_body`"
        ),
    };
    TransportError::new(TransportErrorKind::BodyTooLarge, message)
}

/// The error for a response head that did not arrive in time (streaming requests).
pub(crate) fn head_timeout(timeout: Duration) -> TransportError {
    let mut message = format!(
        "no response head within {}",
        crate::message::describe_duration(timeout)
    );
    add_hint(
        &mut message,
        TransportErrorKind::Timeout,
        Context {
            timeout,
            https: false,
        },
    );
    TransportError::new(TransportErrorKind::Timeout, message)
}

fn kind_of(error: &reqwest::Error) -> TransportErrorKind {
    if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if is_tls(error) {
        TransportErrorKind::Tls
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_builder() {
        TransportErrorKind::InvalidRequest
    } else if error.is_request() || error.is_body() || error.is_decode() {
        TransportErrorKind::Protocol
    } else {
        TransportErrorKind::Other
    }
}

#[cfg(feature = "rustls")]
fn is_tls(error: &(dyn StdError + 'static)) -> bool {
    crate::tls::is_tls_error(error)
}

#[cfg(not(feature = "rustls"))]
fn is_tls(_error: &(dyn StdError + 'static)) -> bool {
    false
}

fn add_hint(message: &mut String, kind: TransportErrorKind, context: Context) {
    match kind {
        TransportErrorKind::Timeout => message.push_str(&format!(
            "; the timeout is {}: raise it with the builder's `timeout` if the server is just slow",
            crate::message::describe_duration(context.timeout)
        )),
        TransportErrorKind::Connect if context.https && !cfg!(feature = "rustls") => message
            .push_str(
                "; this build has no TLS: enable the `rustls` feature of oauth1-transport-reqwest \
                 to reach https URLs",
            ),
        TransportErrorKind::Tls => message.push_str(
            "; the server's certificate must be valid for its name and chain to a root you \
             trust (certificate checks are never turned off)",
        ),
        _ => {}
    }
}

/// An error's message followed by those of its causes, each once.
pub(crate) fn chain(error: &(dyn StdError + 'static)) -> String {
    let mut message = error.to_string();
    let mut current = error.source();
    while let Some(cause) = current {
        let text = cause.to_string();
        if !text.is_empty() && !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        current = cause.source();
    }
    message
}

//! The mapping of ureq's errors to [`TransportError`].

use std::error::Error as StdError;
use std::io;
use std::time::Duration;

use oauth1_flow::{TransportError, TransportErrorKind};

/// What the mapping needs to know to write a helpful message.
#[derive(Clone, Copy)]
pub(crate) struct Context {
    /// The timeout in force for this exchange.
    pub(crate) timeout: Duration,
    /// The body limit in force for this exchange.
    pub(crate) max_body: usize,
    /// Whether the request went to an `https` URL.
    pub(crate) https: bool,
}

/// Maps a ureq error to a [`TransportError`] whose kind says what happened and whose message
/// carries the chain of causes and what to do.
pub(crate) fn from_ureq(error: ureq::Error, context: Context) -> TransportError {
    let kind = kind_of(&error);
    let mut message = match (&error, kind) {
        (_, TransportErrorKind::BodyTooLarge) => format!(
            "the response body is larger than the limit of {} bytes",
            context.max_body
        ),
        (ureq::Error::Timeout(phase @ (ureq::Timeout::PerRead | ureq::Timeout::PerWrite)), _) => {
            // The agent's own setting, not the transport's.
            return TransportError::new(
                kind,
                format!("the agent's {phase} timeout ran out: the peer went quiet"),
            );
        }
        (ureq::Error::Timeout(phase), _) => format!("the {phase} timeout ran out"),
        _ => chain(&error),
    };
    add_hint(&mut message, kind, context);
    TransportError::new(kind, message)
}

/// Maps an IO error from reading a body (ureq wraps its own errors in them).
pub(crate) fn from_io(error: io::Error, context: Context) -> TransportError {
    from_ureq(ureq::Error::from(error), context)
}

/// The error for a body over the limit, announced by `Content-Length`.
pub(crate) fn body_too_large(announced: u64, max_body: usize) -> TransportError {
    TransportError::new(
        TransportErrorKind::BodyTooLarge,
        format!(
            "the response announces {announced} bytes, more than the limit of {max_body} bytes; \
             raise the limit with the builder's `max_body`"
        ),
    )
}

fn kind_of(error: &ureq::Error) -> TransportErrorKind {
    match error {
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportErrorKind::Connect,
        ureq::Error::Tls(_) => TransportErrorKind::Tls,
        #[cfg(feature = "rustls")]
        ureq::Error::Rustls(_) | ureq::Error::Pem(_) => TransportErrorKind::Tls,
        ureq::Error::BodyExceedsLimit(_) => TransportErrorKind::BodyTooLarge,
        ureq::Error::Http(_)
        | ureq::Error::BadUri(_)
        | ureq::Error::RequireHttpsOnly(_)
        | ureq::Error::InvalidProxyUrl => TransportErrorKind::InvalidRequest,
        ureq::Error::Protocol(_) | ureq::Error::LargeResponseHeader(..) => {
            TransportErrorKind::Protocol
        }
        ureq::Error::Io(io) => kind_of_io(io),
        _ => TransportErrorKind::Other,
    }
}

fn kind_of_io(error: &io::Error) -> TransportErrorKind {
    use io::ErrorKind as K;
    if is_tls(error) {
        return TransportErrorKind::Tls;
    }
    match error.kind() {
        K::TimedOut | K::WouldBlock => TransportErrorKind::Timeout,
        K::ConnectionRefused
        | K::AddrNotAvailable
        | K::HostUnreachable
        | K::NetworkUnreachable
        | K::NetworkDown => TransportErrorKind::Connect,
        // ureq hands on the resolver's error as is; the standard library words it so.
        _ if error.to_string().contains("failed to lookup address") => TransportErrorKind::Connect,
        _ => TransportErrorKind::Protocol,
    }
}

/// Whether `error` carries a rustls error (an `io::Error` hides what it carries from
/// `source()`, and may carry another `io::Error`).
#[cfg(feature = "rustls")]
fn is_tls(error: &io::Error) -> bool {
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(error) = current {
        if error.is::<rustls::Error>() {
            return true;
        }
        current = match error.downcast_ref::<io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner as &(dyn StdError + 'static)),
                None => StdError::source(io),
            },
            None => error.source(),
        };
    }
    false
}

#[cfg(not(feature = "rustls"))]
fn is_tls(_error: &io::Error) -> bool {
    false
}

fn add_hint(message: &mut String, kind: TransportErrorKind, context: Context) {
    match kind {
        TransportErrorKind::Timeout => message.push_str(&format!(
            "; the transport's timeout is {}: raise it with the builder's `timeout` if the server is just slow",
            describe_duration(context.timeout)
        )),
        TransportErrorKind::BodyTooLarge => {
            message.push_str("; raise the limit with the builder's `max_body`")
        }
        TransportErrorKind::Tls => message.push_str(
            "; the server's certificate must be valid for its name and chain to a root you \
             trust (certificate checks are never turned off)",
        ),
        TransportErrorKind::Connect | TransportErrorKind::Other
            if context.https && !cfg!(feature = "rustls") =>
        {
            message.push_str(
                "; this build has no TLS: enable the `rustls` feature of oauth1-transport-ureq \
                 to reach https URLs",
            )
        }
        _ => {}
    }
}

/// An error's message followed by those of its causes, each once.
fn chain(error: &(dyn StdError + 'static)) -> String {
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

/// A duration for people: `30 s`, `250 ms`.
pub(crate) fn describe_duration(duration: Duration) -> String {
    if duration.subsec_nanos() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{} ms", duration.as_millis())
    }
}

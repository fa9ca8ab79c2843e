//! The boundary between the dance and an HTTP library.
//!
//! A transport turns an [`http::Request<Vec<u8>>`] into an [`http::Response<Vec<u8>>`]. Implement
//! [`HttpClient`] (async) or [`BlockingHttpClient`] for any HTTP library and every driver of this
//! crate runs over it; implement the streaming variants too for long-lived responses read as
//! they arrive. Ready adapters: `oauth1-transport-reqwest` and `oauth1-transport-ureq`.
//!
//! A transport must:
//! - send the request exactly as given (method, URL, headers, body bytes): the signature covers
//!   them, and re-encoding the query or the form body breaks it;
//! - never turn off TLS certificate checks;
//! - bound what it reads: a default timeout, and [`DEFAULT_MAX_BODY`] bytes at most for a
//!   buffered body (a larger one is [`TransportErrorKind::BodyTooLarge`]);
//! - return non-2xx responses as responses, not errors (the dance reads the provider's error).

use std::fmt;
use std::time::Duration;

/// Re-exported so that an implementation of [`HttpClient`] or [`AsyncBody`] needs no direct
/// dependency on `async-trait`.
#[doc(no_inline)]
pub use async_trait::async_trait;

/// The most bytes a transport buffers for one response body unless configured otherwise.
pub const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;

/// The timeout a transport uses unless configured otherwise (for the whole exchange of a
/// buffered request; for a streaming one, to connect and for the response head).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Sends a request and buffers the whole response, asynchronously.
#[async_trait]
pub trait HttpClient: Send + Sync {
    /// Sends `request` and returns the response, whatever its status.
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError>;
}

/// Sends a request and buffers the whole response, blocking the calling thread.
pub trait BlockingHttpClient {
    /// Sends `request` and returns the response, whatever its status.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError>;
}

/// A response body read as it arrives, asynchronously.
#[async_trait]
pub trait AsyncBody: Send {
    /// The next piece of the body, or `None` at its end.
    async fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError>;
}

/// A response body read as it arrives, blocking.
pub trait BlockingBody: Send {
    /// The next piece of the body, or `None` at its end.
    fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError>;
}

/// Sends a request and hands back the response as soon as its head arrives, with a body to
/// read as it comes (a stream of lines that may never end).
#[async_trait]
pub trait StreamingHttpClient: HttpClient {
    /// Sends `request`; the body of the response is read through [`AsyncBody::chunk`].
    async fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn AsyncBody>>, TransportError>;
}

/// The blocking counterpart of [`StreamingHttpClient`].
pub trait BlockingStreamingHttpClient: BlockingHttpClient {
    /// Sends `request`; the body of the response is read through [`BlockingBody::chunk`].
    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn BlockingBody>>, TransportError>;
}

#[async_trait]
impl<T: HttpClient + ?Sized> HttpClient for &T {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (**self).send(request).await
    }
}

#[async_trait]
impl<T: HttpClient + ?Sized> HttpClient for std::sync::Arc<T> {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (**self).send(request).await
    }
}

impl<T: BlockingHttpClient + ?Sized> BlockingHttpClient for std::sync::Arc<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (**self).send(request)
    }
}

impl<T: BlockingHttpClient + ?Sized> BlockingHttpClient for &T {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (**self).send(request)
    }
}

#[async_trait]
impl<T: StreamingHttpClient + ?Sized> StreamingHttpClient for &T {
    async fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn AsyncBody>>, TransportError> {
        (**self).send_streaming(request).await
    }
}

impl<T: BlockingStreamingHttpClient + ?Sized> BlockingStreamingHttpClient for &T {
    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn BlockingBody>>, TransportError> {
        (**self).send_streaming(request)
    }
}

/// A closure as a transport: `FnClient(|request| ...)` is a [`BlockingHttpClient`], and an
/// [`HttpClient`] too (the closure then runs on the calling task; fine for fakes in tests).
///
/// ```
/// use oauth1_flow::transport::FnClient;
/// use oauth1_flow::BlockingHttpClient;
///
/// let fake = FnClient(|_request: http::Request<Vec<u8>>| {
///     Ok(http::Response::new(b"oauth_token=t&oauth_token_secret=s".to_vec()))
/// });
/// let response = fake.send(http::Request::new(Vec::new())).unwrap();
/// assert_eq!(response.status(), 200);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FnClient<F>(pub F);

impl<F> BlockingHttpClient for FnClient<F>
where
    F: Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError>,
{
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (self.0)(request)
    }
}

#[async_trait]
impl<F> HttpClient for FnClient<F>
where
    F: Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> + Send + Sync,
{
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        (self.0)(request)
    }
}

/// What went wrong in a transport, coarsely, so that callers can react (retry a timeout, report
/// a TLS problem) without knowing the HTTP library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The exchange took longer than the timeout.
    Timeout,
    /// No connection: refused, unreachable, or the name did not resolve.
    Connect,
    /// The TLS handshake or a certificate check failed.
    Tls,
    /// The response body is larger than the transport's limit.
    BodyTooLarge,
    /// The request could not be sent as given (an invalid URL or header for this library).
    InvalidRequest,
    /// The connection broke, or the peer did not speak HTTP.
    Protocol,
    /// Anything else.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Tls => "TLS failure",
            TransportErrorKind::BodyTooLarge => "response body too large",
            TransportErrorKind::InvalidRequest => "invalid request",
            TransportErrorKind::Protocol => "HTTP protocol error",
            TransportErrorKind::Other => "transport error",
        })
    }
}

/// A failure to exchange a request and a response. Its message names no secret (transports
/// build it from the library's error, which never sees one: secrets are not sent).
#[derive(Debug, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl TransportError {
    /// An error of `kind` with a message for people.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// An error of `kind` caused by `source`, with a message of its own (what happened and
    /// what to do; the source's text is not repeated in it, since error reporters print the
    /// chain of sources after it).
    pub fn with_source(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// What kind of failure it is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the exchange timed out.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }
}

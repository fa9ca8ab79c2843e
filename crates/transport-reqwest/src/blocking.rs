//! [`BlockingReqwestTransport`]: the blocking transport over [`reqwest::blocking::Client`].

use std::fmt;
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use oauth1_flow::transport::{DEFAULT_MAX_BODY, DEFAULT_TIMEOUT};
use oauth1_flow::{
    BlockingBody, BlockingHttpClient, BlockingStreamingHttpClient, TransportError,
    TransportErrorKind,
};

use crate::error::{self, BuildError, Context};
use crate::message::{self, ResponseHead};

/// How many bytes one read of a body asks for.
const READ_SIZE: usize = 16 * 1024;

/// A [`reqwest::blocking::ClientBuilder`] set up like [`client_builder`](crate::client_builder):
/// no redirects, [`DEFAULT_TIMEOUT`] to connect and for each wait (the response head, each read
/// of the body), and (with the `rustls` feature) rustls with the `ring` provider and the
/// system's certificate store.
///
/// ```no_run
/// use oauth1_transport_reqwest::BlockingReqwestTransport;
///
/// let client = oauth1_transport_reqwest::blocking_client_builder()?
///     .user_agent("my-app/1.0")
///     .build()?;
/// let transport = BlockingReqwestTransport::from(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn blocking_client_builder() -> Result<reqwest::blocking::ClientBuilder, BuildError> {
    let builder = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(DEFAULT_TIMEOUT)
        .timeout(DEFAULT_TIMEOUT);
    #[cfg(feature = "rustls")]
    let builder =
        builder.tls_backend_preconfigured(crate::tls::client_config().map_err(BuildError::Tls)?);
    Ok(builder)
}

/// The blocking transport: a [`BlockingHttpClient`] and [`BlockingStreamingHttpClient`] over a
/// [`reqwest::blocking::Client`] (feature `blocking`).
///
/// reqwest runs a Tokio runtime on a thread of its own for a blocking client: build, use and
/// drop this transport outside of any async runtime (reqwest panics otherwise). In async code
/// use [`ReqwestTransport`](crate::ReqwestTransport); for a blocking program with no runtime at
/// all, `oauth1-transport-ureq` is lighter.
///
/// ```no_run
/// use oauth1_flow::BlockingHttpClient;
/// use oauth1_transport_reqwest::BlockingReqwestTransport;
///
/// let transport = BlockingReqwestTransport::new();
/// let request = http::Request::get("https://api.example.com/1.1/help/configuration.json")
///     .body(Vec::new())?;
/// let response = transport.send(request)?;
/// println!("{}", response.status());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct BlockingReqwestTransport {
    client: Result<reqwest::blocking::Client, Arc<BuildError>>,
    timeout: Duration,
    max_body: usize,
}

impl BlockingReqwestTransport {
    /// A transport over a client from [`blocking_client_builder`], with [`DEFAULT_TIMEOUT`] and
    /// [`DEFAULT_MAX_BODY`].
    ///
    /// This never fails. If reqwest cannot build its client (it could not start its runtime
    /// thread), every request fails with the reason; call [`BlockingReqwestTransport::builder`]
    /// and `build()` to learn it at once instead.
    pub fn new() -> Self {
        let builder = BlockingReqwestTransportBuilder::default();
        let (timeout, max_body) = (builder.timeout, builder.max_body);
        match builder.build() {
            Ok(transport) => transport,
            Err(error) => BlockingReqwestTransport {
                client: Err(Arc::new(error)),
                timeout,
                max_body,
            },
        }
    }

    /// A builder, to set the timeout, the body limit or the client.
    pub fn builder() -> BlockingReqwestTransportBuilder {
        BlockingReqwestTransportBuilder::default()
    }

    /// The wrapped client, or `None` when [`new`](BlockingReqwestTransport::new) could not
    /// build one.
    pub fn client(&self) -> Option<&reqwest::blocking::Client> {
        self.client.as_ref().ok()
    }

    /// The timeout of every exchange.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The most bytes buffered for one response body.
    pub fn max_body(&self) -> usize {
        self.max_body
    }

    fn ready_client(&self) -> Result<&reqwest::blocking::Client, TransportError> {
        self.client.as_ref().map_err(|error| {
            TransportError::with_source(
                TransportErrorKind::Other,
                "the HTTP client could not be built (see the cause)",
                Arc::clone(error),
            )
        })
    }

    fn prepare(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<(reqwest::blocking::Request, Context), TransportError> {
        let parts = message::split(request)?;
        let context = Context {
            timeout: self.timeout,
            https: parts.url.scheme() == "https",
        };
        let mut request = reqwest::blocking::Request::new(parts.method, parts.url);
        *request.headers_mut() = parts.headers;
        *request.version_mut() = parts.version;
        *request.body_mut() = parts.body.map(reqwest::blocking::Body::from);
        Ok((request, context))
    }
}

impl Default for BlockingReqwestTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl From<reqwest::blocking::Client> for BlockingReqwestTransport {
    /// Wraps `client` with [`DEFAULT_TIMEOUT`] and [`DEFAULT_MAX_BODY`].
    ///
    /// The client's own settings apply otherwise: its redirect policy (reqwest's default
    /// follows up to ten redirects, which a signed request should not), and for streamed
    /// responses its timeout. Build it from [`blocking_client_builder`] to keep redirects off.
    fn from(client: reqwest::blocking::Client) -> Self {
        BlockingReqwestTransport {
            client: Ok(client),
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

impl fmt::Debug for BlockingReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingReqwestTransport")
            .field("ready", &self.client.is_ok())
            .field("timeout", &self.timeout)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// Sets up a [`BlockingReqwestTransport`].
///
/// ```no_run
/// use std::time::Duration;
/// use oauth1_transport_reqwest::BlockingReqwestTransport;
///
/// let transport = BlockingReqwestTransport::builder()
///     .timeout(Duration::from_secs(10))
///     .max_body(1024 * 1024)
///     .build()?;
/// # Ok::<(), oauth1_transport_reqwest::BuildError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct BlockingReqwestTransportBuilder {
    client: Option<reqwest::blocking::Client>,
    timeout: Duration,
    max_body: usize,
}

impl Default for BlockingReqwestTransportBuilder {
    fn default() -> Self {
        BlockingReqwestTransportBuilder {
            client: None,
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

impl BlockingReqwestTransportBuilder {
    /// The longest a buffered exchange may take, from connecting to the last byte of the body.
    /// For a streaming one on a client this builder makes, the longest wait for the response
    /// head and then for each read of the body (reqwest's blocking client has one timeout for
    /// both; a stream quieter than this ends with [`TransportErrorKind::Timeout`]).
    /// [`DEFAULT_TIMEOUT`] unless set.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most bytes buffered for one response body; a larger body fails with
    /// [`TransportErrorKind::BodyTooLarge`]. [`DEFAULT_MAX_BODY`] unless set. Streamed bodies are
    /// not limited: they are handed over chunk by chunk.
    pub fn max_body(mut self, max_body: usize) -> Self {
        self.max_body = max_body;
        self
    }

    /// Sends through `client` instead of one built from [`blocking_client_builder`]. Its
    /// redirect policy, proxies, TLS settings and default headers apply, and its timeout for
    /// streamed responses; the transport's timeout replaces it for buffered ones.
    pub fn client(mut self, client: reqwest::blocking::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// The transport. Fails only when no client was given and reqwest cannot build one.
    pub fn build(self) -> Result<BlockingReqwestTransport, BuildError> {
        let client = match self.client {
            Some(client) => client,
            None => blocking_client_builder()?
                .connect_timeout(self.timeout)
                .timeout(self.timeout)
                .build()
                .map_err(BuildError::Client)?,
        };
        Ok(BlockingReqwestTransport {
            client: Ok(client),
            timeout: self.timeout,
            max_body: self.max_body,
        })
    }
}

impl BlockingHttpClient for BlockingReqwestTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let client = self.ready_client()?;
        let (mut request, context) = self.prepare(request)?;
        *request.timeout_mut() = Some(self.timeout);
        let mut response = client
            .execute(request)
            .map_err(|e| error::from_reqwest(e, context))?;
        let announced = response.content_length();
        if announced.is_some_and(|length| length > self.max_body as u64) {
            return Err(error::body_too_large(self.max_body, announced));
        }
        let mut body = Vec::with_capacity(message::initial_capacity(announced, self.max_body));
        // One byte past the limit tells a body at the limit from a larger one.
        let limit = u64::try_from(self.max_body)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        (&mut response)
            .take(limit)
            .read_to_end(&mut body)
            .map_err(|e| error::from_io(e, context))?;
        if body.len() > self.max_body {
            return Err(error::body_too_large(self.max_body, None));
        }
        Ok(head(&response).body(body))
    }
}

impl BlockingStreamingHttpClient for BlockingReqwestTransport {
    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn BlockingBody>>, TransportError> {
        let client = self.ready_client()?;
        let (request, context) = self.prepare(request)?;
        let response = client
            .execute(request)
            .map_err(|e| error::from_reqwest(e, context))?;
        let builder = head(&response);
        let body: Box<dyn BlockingBody> = Box::new(BlockingReqwestBody { response, context });
        Ok(builder.body(body))
    }
}

fn head(response: &reqwest::blocking::Response) -> ResponseHead {
    ResponseHead {
        status: response.status(),
        version: response.version(),
        headers: response.headers().clone(),
    }
}

/// A streamed blocking reqwest body, read as the server sends it.
struct BlockingReqwestBody {
    response: reqwest::blocking::Response,
    context: Context,
}

impl BlockingBody for BlockingReqwestBody {
    fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
        let mut buffer = vec![0; READ_SIZE];
        loop {
            match self.response.read(&mut buffer) {
                Ok(0) => return Ok(None),
                Ok(read) => {
                    buffer.truncate(read);
                    return Ok(Some(buffer));
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(error::from_io(e, self.context)),
            }
        }
    }
}

//! [`ReqwestTransport`]: the async transport over [`reqwest::Client`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use oauth1_flow::transport::{DEFAULT_MAX_BODY, DEFAULT_TIMEOUT};
use oauth1_flow::{AsyncBody, HttpClient, StreamingHttpClient, TransportError, TransportErrorKind};

use crate::error::{self, BuildError, Context};
use crate::message::{self, ResponseHead};

/// A [`reqwest::ClientBuilder`] set up the way this crate sets up its own clients: redirects
/// are not followed, connecting times out after [`DEFAULT_TIMEOUT`], and (with the `rustls`
/// feature) HTTPS goes through rustls with the `ring` provider and the system's certificate
/// store.
///
/// Start from it to add a proxy, a user agent or default headers, then wrap the client:
///
/// ```no_run
/// use oauth1_transport_reqwest::ReqwestTransport;
///
/// let client = oauth1_transport_reqwest::client_builder()?
///     .user_agent("my-app/1.0")
///     .build()?;
/// let transport = ReqwestTransport::from(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// With the `rustls` feature, reqwest is compiled without a crypto provider of its own, so a
/// plain `reqwest::Client::new()` in the same program panics unless one is installed (or your
/// own dependency on reqwest enables its `rustls` feature): start from this builder instead.
pub fn client_builder() -> Result<reqwest::ClientBuilder, BuildError> {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(DEFAULT_TIMEOUT);
    #[cfg(feature = "rustls")]
    let builder =
        builder.tls_backend_preconfigured(crate::tls::client_config().map_err(BuildError::Tls)?);
    Ok(builder)
}

/// The async transport: an [`HttpClient`] and [`StreamingHttpClient`] over a
/// [`reqwest::Client`].
///
/// Every request gets the transport's [timeout](ReqwestTransportBuilder::timeout) and every
/// buffered body its [size limit](ReqwestTransportBuilder::max_body), whichever client it
/// wraps. Cloning is cheap and clones share the connection pool.
///
/// Needs a Tokio runtime with its timer enabled (as `#[tokio::main]` sets up).
///
/// ```no_run
/// use oauth1_flow::HttpClient;
/// use oauth1_transport_reqwest::ReqwestTransport;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let transport = ReqwestTransport::new();
/// let request = http::Request::get("https://api.example.com/1.1/help/configuration.json")
///     .body(Vec::new())?;
/// let response = transport.send(request).await?;
/// println!("{} {}", response.status(), String::from_utf8_lossy(response.body()));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ReqwestTransport {
    client: Result<reqwest::Client, Arc<BuildError>>,
    timeout: Duration,
    max_body: usize,
}

impl ReqwestTransport {
    /// A transport over a client from [`client_builder`], with [`DEFAULT_TIMEOUT`] and
    /// [`DEFAULT_MAX_BODY`].
    ///
    /// This never fails and never panics. In the unlikely case that reqwest cannot build its
    /// client, every request fails with the reason ([`TransportErrorKind::Other`]); call
    /// [`ReqwestTransport::builder`] and `build()` to learn it at once instead. On a system
    /// without root certificates plain HTTP works and HTTPS fails with
    /// [`TransportErrorKind::Tls`], saying so.
    pub fn new() -> Self {
        let builder = ReqwestTransportBuilder::default();
        let (timeout, max_body) = (builder.timeout, builder.max_body);
        match builder.build() {
            Ok(transport) => transport,
            Err(error) => ReqwestTransport {
                client: Err(Arc::new(error)),
                timeout,
                max_body,
            },
        }
    }

    /// A builder, to set the timeout, the body limit or the client.
    pub fn builder() -> ReqwestTransportBuilder {
        ReqwestTransportBuilder::default()
    }

    /// The wrapped client, or `None` when [`new`](ReqwestTransport::new) could not build one.
    pub fn client(&self) -> Option<&reqwest::Client> {
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

    fn ready_client(&self) -> Result<&reqwest::Client, TransportError> {
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
    ) -> Result<(reqwest::Request, Context), TransportError> {
        let parts = message::split(request)?;
        let context = Context {
            timeout: self.timeout,
            https: parts.url.scheme() == "https",
        };
        let mut request = reqwest::Request::new(parts.method, parts.url);
        *request.headers_mut() = parts.headers;
        *request.version_mut() = parts.version;
        *request.body_mut() = parts.body.map(reqwest::Body::from);
        Ok((request, context))
    }
}

impl Default for ReqwestTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl From<reqwest::Client> for ReqwestTransport {
    /// Wraps `client` with [`DEFAULT_TIMEOUT`] and [`DEFAULT_MAX_BODY`].
    ///
    /// The client's own settings apply otherwise, its redirect policy included: reqwest's
    /// default follows up to ten redirects, which a signed request should not (see the crate
    /// documentation). Build it from [`client_builder`] to keep redirects off.
    fn from(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client: Ok(client),
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("ready", &self.client.is_ok())
            .field("timeout", &self.timeout)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// Sets up a [`ReqwestTransport`].
///
/// ```no_run
/// use std::time::Duration;
/// use oauth1_transport_reqwest::ReqwestTransport;
///
/// let transport = ReqwestTransport::builder()
///     .timeout(Duration::from_secs(10))
///     .max_body(1024 * 1024)
///     .build()?;
/// # Ok::<(), oauth1_transport_reqwest::BuildError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ReqwestTransportBuilder {
    client: Option<reqwest::Client>,
    timeout: Duration,
    max_body: usize,
}

impl Default for ReqwestTransportBuilder {
    fn default() -> Self {
        ReqwestTransportBuilder {
            client: None,
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

impl ReqwestTransportBuilder {
    /// The longest a buffered exchange may take, from connecting to the last byte of the body;
    /// for a streaming one, the longest wait for the response head. [`DEFAULT_TIMEOUT`] unless
    /// set.
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

    /// Sends through `client` instead of one built from [`client_builder`]. Its redirect
    /// policy, proxies, TLS settings and default headers apply. For buffered requests the
    /// transport's timeout replaces the client's total timeout; a streamed body is cut by the
    /// client's total timeout if it has one (detect stalls with `read_timeout` instead).
    pub fn client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// The transport. Fails only when no client was given and reqwest cannot build one.
    pub fn build(self) -> Result<ReqwestTransport, BuildError> {
        let client = match self.client {
            Some(client) => client,
            None => client_builder()?
                .connect_timeout(self.timeout)
                .build()
                .map_err(BuildError::Client)?,
        };
        Ok(ReqwestTransport {
            client: Ok(client),
            timeout: self.timeout,
            max_body: self.max_body,
        })
    }
}

#[async_trait]
impl HttpClient for ReqwestTransport {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let client = self.ready_client()?;
        let (mut request, context) = self.prepare(request)?;
        *request.timeout_mut() = Some(self.timeout);
        let mut response = client
            .execute(request)
            .await
            .map_err(|e| error::from_reqwest(e, context))?;
        let announced = response.content_length();
        if announced.is_some_and(|length| length > self.max_body as u64) {
            return Err(error::body_too_large(self.max_body, announced));
        }
        let mut body = Vec::with_capacity(message::initial_capacity(announced, self.max_body));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| error::from_reqwest(e, context))?
        {
            if chunk.len() > self.max_body - body.len() {
                return Err(error::body_too_large(self.max_body, None));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(head(&response).body(body))
    }
}

#[async_trait]
impl StreamingHttpClient for ReqwestTransport {
    async fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn AsyncBody>>, TransportError> {
        let client = self.ready_client()?;
        let (request, context) = self.prepare(request)?;
        let response = tokio::time::timeout(self.timeout, client.execute(request))
            .await
            .map_err(|_elapsed| error::head_timeout(self.timeout))?
            .map_err(|e| error::from_reqwest(e, context))?;
        let builder = head(&response);
        let body: Box<dyn AsyncBody> = Box::new(ReqwestBody { response, context });
        Ok(builder.body(body))
    }
}

/// The status, version and headers of `response`.
fn head(response: &reqwest::Response) -> ResponseHead {
    ResponseHead {
        status: response.status(),
        version: response.version(),
        headers: response.headers().clone(),
    }
}

/// A streamed reqwest body, read chunk by chunk as the server sends it.
struct ReqwestBody {
    response: reqwest::Response,
    context: Context,
}

#[async_trait]
impl AsyncBody for ReqwestBody {
    async fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
        loop {
            match self.response.chunk().await {
                Ok(Some(chunk)) if chunk.is_empty() => continue,
                Ok(chunk) => return Ok(chunk.map(Vec::from)),
                Err(e) => return Err(error::from_reqwest(e, self.context)),
            }
        }
    }
}

//! [`UreqTransport`]: the blocking transport over [`ureq::Agent`].

use std::fmt;
use std::io::Read;
use std::time::Duration;

use oauth1_flow::transport::{DEFAULT_MAX_BODY, DEFAULT_TIMEOUT};
use oauth1_flow::{BlockingBody, BlockingHttpClient, BlockingStreamingHttpClient, TransportError};
use ureq::config::ConfigBuilder;
use ureq::typestate::AgentScope;
use ureq::{AsSendBody, RequestExt};

use crate::error::{self, Context};

/// How many bytes one read of a streamed body asks for.
const READ_SIZE: usize = 16 * 1024;

/// A ureq agent configuration set up the way this crate sets up its own agent: status codes
/// are not errors, no redirect is followed, and an exchange times out after
/// [`DEFAULT_TIMEOUT`]. TLS is ureq's (with the `rustls` feature: rustls with `ring` and the
/// Mozilla roots).
///
/// Start from it to add a proxy or a user agent, then wrap the agent:
///
/// ```
/// use oauth1_transport_ureq::UreqTransport;
///
/// let agent = oauth1_transport_ureq::config_builder()
///     .user_agent("my-app/1.0")
///     .build()
///     .new_agent();
/// let transport = UreqTransport::from(agent);
/// ```
pub fn config_builder() -> ConfigBuilder<AgentScope> {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(DEFAULT_TIMEOUT))
}

/// The blocking transport: a [`BlockingHttpClient`] and [`BlockingStreamingHttpClient`] over a
/// [`ureq::Agent`], with no async runtime.
///
/// Whatever agent it wraps, every request is sent with status codes as responses (a 401 is
/// for the dance to read), no redirects followed, the transport's
/// [timeout](UreqTransportBuilder::timeout), and every buffered body within its
/// [size limit](UreqTransportBuilder::max_body). Cloning is cheap and clones share the
/// connection pool.
///
/// ```no_run
/// use oauth1_flow::BlockingHttpClient;
/// use oauth1_transport_ureq::UreqTransport;
///
/// let transport = UreqTransport::new();
/// let request = http::Request::get("https://api.example.com/1.1/help/configuration.json")
///     .body(Vec::new())?;
/// let response = transport.send(request)?;
/// println!("{} {}", response.status(), String::from_utf8_lossy(response.body()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    timeout: Duration,
    max_body: usize,
}

impl UreqTransport {
    /// A transport over an agent from [`config_builder`], with [`DEFAULT_TIMEOUT`] and
    /// [`DEFAULT_MAX_BODY`].
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder, to set the timeout, the body limit or the agent.
    pub fn builder() -> UreqTransportBuilder {
        UreqTransportBuilder::default()
    }

    /// The wrapped agent.
    pub fn agent(&self) -> &ureq::Agent {
        &self.agent
    }

    /// The timeout of every exchange.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The most bytes buffered for one response body.
    pub fn max_body(&self) -> usize {
        self.max_body
    }

    fn context(&self, request: &http::Request<Vec<u8>>) -> Context {
        Context {
            timeout: self.timeout,
            max_body: self.max_body,
            https: request.uri().scheme_str() == Some("https"),
        }
    }

    /// Sends `request` with the settings that make it a transport: statuses as responses, no
    /// redirects, any method, and the timeouts of a buffered or a streamed exchange.
    fn run(
        &self,
        request: http::Request<Vec<u8>>,
        streaming: bool,
    ) -> Result<http::Response<ureq::Body>, TransportError> {
        let context = self.context(&request);
        let sent = if request.body().is_empty()
            && !request.headers().contains_key(http::header::CONTENT_LENGTH)
            && !expects_body(request.method())
        {
            // Nothing to send: no `Content-Length: 0` on a GET either.
            self.run_with(request.map(|_| ()), streaming)
        } else {
            self.run_with(request, streaming)
        };
        sent.map_err(|e| error::from_ureq(e, context))
    }

    fn run_with<S: AsSendBody>(
        &self,
        request: http::Request<S>,
        streaming: bool,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        let config = request
            .with_agent(&self.agent)
            .configure()
            .http_status_as_error(false)
            .max_redirects(0)
            .allow_non_standard_methods(true);
        let config = if streaming {
            // Bound everything up to the response head; the body may flow for as long as the
            // server sends it.
            let limit = Some(self.timeout);
            config
                .timeout_global(None)
                .timeout_per_call(None)
                .timeout_resolve(limit)
                .timeout_connect(limit)
                .timeout_send_request(limit)
                .timeout_send_body(limit)
                .timeout_recv_response(limit)
                .timeout_recv_body(None)
        } else {
            config.timeout_global(Some(self.timeout))
        };
        config.build().run()
    }
}

/// Whether an empty body of `method` is still worth a `Content-Length: 0` (servers answer 411
/// to a bodiless POST); for the others an empty body means none at all.
fn expects_body(method: &http::Method) -> bool {
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

impl Default for UreqTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl From<ureq::Agent> for UreqTransport {
    /// Wraps `agent` with [`DEFAULT_TIMEOUT`] and [`DEFAULT_MAX_BODY`]. Its proxy, TLS and
    /// header settings apply; status errors, redirects and timeouts are the transport's (see
    /// [`UreqTransport`]).
    fn from(agent: ureq::Agent) -> Self {
        UreqTransport {
            agent,
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

impl fmt::Debug for UreqTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqTransport")
            .field("timeout", &self.timeout)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// Sets up a [`UreqTransport`].
///
/// ```
/// use std::time::Duration;
/// use oauth1_transport_ureq::UreqTransport;
///
/// let transport = UreqTransport::builder()
///     .timeout(Duration::from_secs(10))
///     .max_body(1024 * 1024)
///     .build();
/// assert_eq!(transport.max_body(), 1024 * 1024);
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct UreqTransportBuilder {
    agent: Option<ureq::Agent>,
    timeout: Duration,
    max_body: usize,
}

impl Default for UreqTransportBuilder {
    fn default() -> Self {
        UreqTransportBuilder {
            agent: None,
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

impl UreqTransportBuilder {
    /// The longest a buffered exchange may take, from resolving the host to the last byte of
    /// the body; for a streaming one, the longest each step up to the response head may take.
    /// [`DEFAULT_TIMEOUT`] unless set.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most bytes buffered for one response body; a larger body fails with
    /// [`TransportErrorKind::BodyTooLarge`](oauth1_flow::TransportErrorKind::BodyTooLarge).
    /// [`DEFAULT_MAX_BODY`] unless set. Streamed bodies are not limited: they are handed over
    /// chunk by chunk.
    pub fn max_body(mut self, max_body: usize) -> Self {
        self.max_body = max_body;
        self
    }

    /// Sends through `agent` instead of one built from [`config_builder`]. Its proxy, TLS and
    /// header settings apply; status errors, redirects and timeouts are the transport's.
    pub fn agent(mut self, agent: ureq::Agent) -> Self {
        self.agent = Some(agent);
        self
    }

    /// The transport.
    pub fn build(self) -> UreqTransport {
        let agent = self.agent.unwrap_or_else(|| {
            config_builder()
                .timeout_global(Some(self.timeout))
                .build()
                .new_agent()
        });
        UreqTransport {
            agent,
            timeout: self.timeout,
            max_body: self.max_body,
        }
    }
}

impl BlockingHttpClient for UreqTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let context = self.context(&request);
        let response = self.run(request, false)?;
        let (parts, body) = response.into_parts();
        if let Some(announced) = body
            .content_length()
            .filter(|&length| length > self.max_body as u64)
        {
            return Err(error::body_too_large(announced, self.max_body));
        }
        let capacity = body
            .content_length()
            .and_then(|length| usize::try_from(length).ok())
            .map_or(0, |length| length.min(self.max_body).min(64 * 1024));
        let mut bytes = Vec::with_capacity(capacity);
        body.into_with_config()
            .limit(self.max_body as u64)
            .reader()
            .read_to_end(&mut bytes)
            .map_err(|e| error::from_io(e, context))?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

impl BlockingStreamingHttpClient for UreqTransport {
    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn BlockingBody>>, TransportError> {
        let context = self.context(&request);
        let response = self.run(request, true)?;
        Ok(response.map(|body| {
            Box::new(UreqBody {
                reader: body.into_reader(),
                context,
            }) as Box<dyn BlockingBody>
        }))
    }
}

/// A streamed ureq body, read as the server sends it.
struct UreqBody {
    reader: ureq::BodyReader<'static>,
    context: Context,
}

impl BlockingBody for UreqBody {
    fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
        let mut buffer = vec![0; READ_SIZE];
        loop {
            match self.reader.read(&mut buffer) {
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

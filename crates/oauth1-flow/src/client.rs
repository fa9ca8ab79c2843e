//! [`SignedClient`]: signed calls with an access token, over any transport.

use std::fmt;
use std::sync::Arc;

use http::{header, Method, StatusCode};
use oauth1_core::{
    AnyMethod, Body, IntoAnyMethod, OAuthParams, Placement, Request, Scratch, Signer,
};

use crate::dance::{add_missing, check_status, AccessToken, Flow};
use crate::error::{Error, Step};
use crate::lines::Lines;
use crate::problem::ProviderError;
use crate::provider::ServiceProvider;
use crate::transport::{
    AsyncBody, BlockingBody, BlockingHttpClient, BlockingStreamingHttpClient, HttpClient,
    StreamingHttpClient,
};
use crate::{Stamp, SystemStamp};

/// What went into a signature, for debugging a 401 ("Could not authenticate you").
///
/// Its `Debug` shows neither: the base string holds every signed form parameter (an xAuth
/// password), the header the signature. Print the fields themselves when debugging.
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureInfo {
    /// The signature base string (RFC 5849 §3.4.1).
    pub base_string: String,
    /// The `Authorization` header value, when the parameters went there.
    pub authorization: Option<String>,
}

impl fmt::Debug for SignatureInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureInfo")
            .field(
                "base_string",
                &format_args!("<{} bytes>", self.base_string.len()),
            )
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Signs and sends requests with an access token, like a session object.
///
/// Build one with [`Flow::signed_client`] (or [`SignedClient::new`]); the signing key is
/// prepared once. `prepare_*` build requests; [`sign`](Self::sign) signs any
/// `http::Request<Vec<u8>>`; [`send`](Self::send) / [`send_blocking`](Self::send_blocking)
/// sign and send; [`stream`](Self::stream) / [`stream_blocking`](Self::stream_blocking) read a
/// long-lived response line by line.
///
/// Each request's nonce and timestamp come from a [`Stamp`]: the flow's for
/// [`Flow::signed_client`] (so fixing the flow's stamp fixes its signed calls too), a random
/// nonce and the system clock ([`SystemStamp`]) for [`SignedClient::new`]; replace it with
/// [`stamp`](Self::stamp).
///
/// ```no_run
/// # async fn run(flow: oauth1_flow::Flow<oauth1_flow::GenericProvider>, token: oauth1_flow::AccessToken, transport: impl oauth1_flow::HttpClient) -> Result<(), oauth1_flow::Error> {
/// let client = flow.signed_client(transport, &token)?;
/// let request = client.prepare_get("https://api.example.com/1.1/account/verify_credentials.json", &[])?;
/// let response = client.send(request).await?;
/// println!("{}", String::from_utf8_lossy(response.body()));
/// # Ok(()) }
/// ```
pub struct SignedClient<T> {
    transport: T,
    signer: Signer<AnyMethod>,
    placement: Placement,
    realm: Option<String>,
    /// Headers each signed request carries unless it has its own ([`ServiceProvider::headers`]).
    headers: http::HeaderMap,
    stamp: Arc<dyn Stamp>,
    /// Seconds added to every timestamp (see [`SignedClient::set_clock_offset`]).
    offset: std::sync::atomic::AtomicI64,
    parse_error: Box<ParseError>,
}

/// The stamp of a flow: its clone asks the flow's own [`Stamp`] each time, so a client made by
/// [`Flow::signed_client`] signs with the nonces and clock the dance does.
struct FlowStamp<P>(Flow<P>);

impl<P: ServiceProvider + Send + Sync> Stamp for FlowStamp<P> {
    fn stamp(&self) -> Result<(String, u64), Error> {
        self.0.next_stamp()
    }
}

/// A provider's error-body reader, kept by the client.
type ParseError = dyn Fn(StatusCode, &http::HeaderMap, &[u8]) -> ProviderError + Send + Sync;

impl<T> fmt::Debug for SignedClient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedClient")
            .field("signer", &self.signer)
            .field("placement", &self.placement)
            .field("realm", &self.realm)
            // Names only: a provider's header may carry a key.
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<P: ServiceProvider + Clone + Send + Sync + 'static> Flow<P> {
    /// A client that signs with `token` and sends through `transport`, with this flow's
    /// provider settings (method, placement, realm), [`Stamp`] (nonce and clock) and error
    /// parser.
    pub fn signed_client<T>(
        &self,
        transport: T,
        token: &AccessToken,
    ) -> Result<SignedClient<T>, Error> {
        self.client_with(transport, Some(token))
    }

    /// A client that signs with the client credentials alone, no token: "one-legged" (or
    /// "two-legged") OAuth, where the consumer acts for itself (WooCommerce's REST API over
    /// `http`, an LTI launch, a provider's app-only calls). `oauth_token` is left out and the
    /// key is `consumer_secret&`, as RFC 5849 §3.4.2 says for an empty token secret.
    ///
    /// ```
    /// use oauth1_flow::{ClientCredentials, Flow, GenericProvider, Placement};
    /// let provider = GenericProvider::builder(
    ///     "https://shop.example/oauth/request_token",
    ///     "https://shop.example/oauth/authorize",
    ///     "https://shop.example/oauth/access_token",
    /// )
    /// .placement(Placement::Query)
    /// .build()?;
    /// let flow = Flow::new(provider, ClientCredentials::new("ck_key", "cs_secret"))?;
    /// let client = flow.consumer_client(())?; // any transport in place of ()
    /// let mut request = client.prepare_get("http://shop.example/wp-json/wc/v3/products", &[])?;
    /// client.sign(&mut request, false)?;
    /// let query = request.uri().query().unwrap_or_default();
    /// assert!(query.contains("oauth_consumer_key=ck_key") && !query.contains("oauth_token="));
    /// # Ok::<(), oauth1_flow::Error>(())
    /// ```
    pub fn consumer_client<T>(&self, transport: T) -> Result<SignedClient<T>, Error> {
        self.client_with(transport, None)
    }

    fn client_with<T>(
        &self,
        transport: T,
        token: Option<&AccessToken>,
    ) -> Result<SignedClient<T>, Error> {
        let signer = self.signer(token.map(AccessToken::credentials).as_ref())?;
        let parser = self.clone();
        Ok(SignedClient {
            transport,
            signer,
            placement: self.provider().placement(),
            realm: self.provider().realm().map(str::to_owned),
            headers: self.provider().headers(),
            stamp: Arc::new(FlowStamp(self.clone())),
            offset: std::sync::atomic::AtomicI64::new(0),
            parse_error: Box::new(move |s, h, b| parser.provider().parse_error(s, h, b)),
        })
    }
}

impl<T> SignedClient<T> {
    /// A client from a ready signer of any built-in method (header placement, no realm,
    /// random nonces, the system clock, the default error parser).
    ///
    /// ```
    /// use oauth1_flow::{ClientCredentials, HmacSha1, SignedClient, Signer, TokenCredentials};
    /// let signer = Signer::new(
    ///     HmacSha1,
    ///     &ClientCredentials::new("key", "secret"),
    ///     Some(&TokenCredentials::new("token", "token-secret")),
    /// )?;
    /// let client = SignedClient::new((), signer); // any transport in place of ()
    /// # Ok::<(), oauth1_flow::Error>(())
    /// ```
    pub fn new<M: IntoAnyMethod>(transport: T, signer: Signer<M>) -> Self {
        SignedClient {
            transport,
            signer: signer.into_any(),
            placement: Placement::Header,
            realm: None,
            headers: http::HeaderMap::new(),
            stamp: Arc::new(SystemStamp::default()),
            offset: std::sync::atomic::AtomicI64::new(0),
            parse_error: Box::new(ProviderError::parse),
        }
    }

    /// Where the protocol parameters go.
    #[must_use]
    pub fn placement(mut self, placement: Placement) -> Self {
        self.placement = placement;
        self
    }

    /// Replaces the nonce and timestamp source, as [`Flow::stamp`] does for the dance: fixed
    /// values in tests, or a clock of your own. The [clock offset](Self::set_clock_offset) is
    /// added to its timestamps.
    ///
    /// ```
    /// use oauth1_flow::{ClientCredentials, HmacSha1, SignedClient, Signer, TokenCredentials};
    /// let signer = Signer::new(
    ///     HmacSha1,
    ///     &ClientCredentials::new("key", "secret"),
    ///     Some(&TokenCredentials::new("token", "token-secret")),
    /// )?;
    /// let client = SignedClient::new((), signer).stamp(|| ("fixed-nonce".to_owned(), 1_700_000_000));
    /// assert_eq!(client.timestamp_now()?, 1_700_000_000);
    /// # Ok::<(), oauth1_flow::Error>(())
    /// ```
    #[must_use]
    pub fn stamp(mut self, stamp: impl Stamp + 'static) -> Self {
        self.stamp = Arc::new(stamp);
        self
    }

    /// Corrects the timestamps of the requests signed from now on by `seconds` (positive when
    /// the provider's clock is ahead of ours): for a provider that refuses our timestamps
    /// (Twitter code 135) whose `Date` header shows the difference.
    pub fn set_clock_offset(&self, seconds: i64) {
        self.offset
            .store(seconds, std::sync::atomic::Ordering::Relaxed);
    }

    /// The correction applied to timestamps (0 unless [`set_clock_offset`](Self::set_clock_offset)
    /// was called).
    pub fn clock_offset(&self) -> i64 {
        self.offset.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The timestamp a request signed now would carry (the clock, with the offset applied).
    pub fn timestamp_now(&self) -> Result<u64, Error> {
        let (_, timestamp) = self.stamp.stamp()?;
        Ok(timestamp.saturating_add_signed(self.clock_offset()))
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// `GET url` with `query` added to the URL's query.
    pub fn prepare_get(
        &self,
        url: &str,
        query: &[(&str, &str)],
    ) -> Result<http::Request<Vec<u8>>, Error> {
        build(
            Method::GET,
            &crate::url::with_query(url, query.iter().copied()),
            None,
            Vec::new(),
        )
    }

    /// `POST url` with `form` as an `application/x-www-form-urlencoded` body (signed as
    /// parameters).
    pub fn prepare_post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let mut body = String::new();
        for (i, (name, value)) in form.iter().enumerate() {
            if i > 0 {
                body.push('&');
            }
            body.push_str(&oauth1_core::encode::percent_encode(name));
            body.push('=');
            body.push_str(&oauth1_core::encode::percent_encode(value));
        }
        build(
            Method::POST,
            url,
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
        )
    }

    /// `POST url` with a JSON body (not signed as parameters; see [`sign`](Self::sign) for
    /// `oauth_body_hash`).
    pub fn prepare_post_json(
        &self,
        url: &str,
        json: impl Into<Vec<u8>>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        build(Method::POST, url, Some("application/json"), json.into())
    }

    /// `POST url` with a multipart body: only the protocol parameters and the query are signed
    /// (the parts are not parameters).
    pub fn prepare_multipart(
        &self,
        url: &str,
        form: Multipart,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let content_type = form.content_type();
        build(Method::POST, url, Some(&content_type), form.into_body())
    }

    /// Signs `request` in place (with `oauth_body_hash` when `body_hash` and the body is not a
    /// form), and returns what went into the signature. The provider's
    /// [`headers`](ServiceProvider::headers) that the request does not set are added.
    pub fn sign(
        &self,
        request: &mut http::Request<Vec<u8>>,
        body_hash: bool,
    ) -> Result<SignatureInfo, Error> {
        add_missing(request.headers_mut(), self.headers.clone());
        let (nonce, timestamp) = self.stamp.stamp()?;
        let timestamp = timestamp.saturating_add_signed(self.clock_offset());
        let mut oauth = OAuthParams::new(nonce, timestamp);
        if let Some(realm) = &self.realm {
            oauth = oauth.realm(realm);
        }
        let url = request.uri().to_string();
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let body = Body::from_content_type(content_type, request.body());
        let is_form = matches!(body, Body::Form(_));
        let form_or_nothing = is_form || (request.body().is_empty() && content_type.is_none());
        oauth = oauth.body_hash(body_hash && !is_form && !request.body().is_empty());
        let placement = match self.placement {
            Placement::Body if !form_or_nothing => Placement::Header,
            Placement::Body if request.method() == Method::GET => Placement::Query,
            p => p,
        };
        // What goes into the request, made while the signed request is at hand (it borrows
        // this thread's spare scratch) and placed after.
        enum Placed {
            Query(String),
            Body(Vec<u8>),
            Header(String),
        }
        let (base_string, placed) = Scratch::with_thread_local(|scratch| {
            let signed = self.signer.sign(
                scratch,
                &Request::new(request.method().as_str(), &url).with_body(body),
                &oauth,
            )?;
            let placed = match placement {
                Placement::Query => Placed::Query(signed.url_with_parameters(&url)),
                Placement::Body => Placed::Body(signed.form_with_parameters(request.body())),
                _ => Placed::Header(signed.authorization()),
            };
            Ok::<_, Error>((signed.base_string().to_owned(), placed))
        })?;
        #[cfg(feature = "tracing")]
        crate::trace::base_string(&base_string);
        let mut info = SignatureInfo {
            base_string,
            authorization: None,
        };
        match placed {
            Placed::Query(url) => {
                let uri = url
                    .parse::<http::Uri>()
                    .map_err(|e| Error::Request(e.into()))?;
                *request.uri_mut() = uri;
            }
            Placed::Body(body) => {
                request.headers_mut().insert(
                    header::CONTENT_TYPE,
                    http::HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
                *request.body_mut() = body;
            }
            Placed::Header(authorization) => {
                let mut value = http::HeaderValue::try_from(authorization.as_str())
                    .map_err(|e| Error::Request(e.into()))?;
                value.set_sensitive(true);
                request.headers_mut().insert(header::AUTHORIZATION, value);
                info.authorization = Some(authorization);
            }
        }
        Ok(info)
    }

    /// An error for a non-2xx response, read with the provider's parser; the response itself
    /// otherwise.
    pub fn check(
        &self,
        response: http::Response<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        check_status(&*self.parse_error, Step::Resource, &response)?;
        Ok(response)
    }
}

impl<T: HttpClient> SignedClient<T> {
    /// Signs `request` and sends it; returns the response whatever its status (see
    /// [`check`](Self::check)).
    pub async fn send(
        &self,
        mut request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        #[cfg(feature = "tracing")]
        let span = crate::trace::request_span(&request, self.placement);
        let run = async {
            self.sign(&mut request, false)?;
            self.transport
                .send(request)
                .await
                .map_err(Error::transport(Step::Resource))
        };
        #[cfg(feature = "tracing")]
        let run = tracing::Instrument::instrument(run, span.clone());
        let result = run.await;
        #[cfg(feature = "tracing")]
        record(&span, &result);
        result
    }
}

impl<T: BlockingHttpClient> SignedClient<T> {
    /// Signs `request` and sends it, blocking; returns the response whatever its status.
    pub fn send_blocking(
        &self,
        mut request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        #[cfg(feature = "tracing")]
        let span = crate::trace::request_span(&request, self.placement);
        let run = || {
            self.sign(&mut request, false)?;
            self.transport
                .send(request)
                .map_err(Error::transport(Step::Resource))
        };
        #[cfg(feature = "tracing")]
        let result = span.in_scope(run);
        #[cfg(not(feature = "tracing"))]
        let result = run();
        #[cfg(feature = "tracing")]
        record(&span, &result);
        result
    }
}

impl<T: StreamingHttpClient> SignedClient<T> {
    /// Signs `request`, sends it, and returns the status and headers with the body's lines to
    /// read as they arrive (each at most `max_line` bytes). A non-2xx status is an error (its
    /// body read up to 64 KiB for the provider's message).
    pub async fn stream(
        &self,
        request: http::Request<Vec<u8>>,
        max_line: usize,
    ) -> Result<http::Response<Lines<Box<dyn AsyncBody>>>, Error> {
        #[cfg(feature = "tracing")]
        let span = crate::trace::request_span(&request, self.placement);
        let run = self.stream_untraced(request, max_line);
        #[cfg(feature = "tracing")]
        let run = tracing::Instrument::instrument(run, span.clone());
        let result = run.await;
        #[cfg(feature = "tracing")]
        record(&span, &result);
        result
    }

    async fn stream_untraced(
        &self,
        mut request: http::Request<Vec<u8>>,
        max_line: usize,
    ) -> Result<http::Response<Lines<Box<dyn AsyncBody>>>, Error> {
        self.sign(&mut request, false)?;
        let response = self
            .transport
            .send_streaming(request)
            .await
            .map_err(Error::transport(Step::Resource))?;
        let (parts, mut body) = response.into_parts();
        if !parts.status.is_success() {
            let mut text = Vec::new();
            while text.len() < 64 * 1024 {
                match body.chunk().await {
                    Ok(Some(c)) => text.extend_from_slice(&c),
                    _ => break,
                }
            }
            return Err(self.error_of(parts, text));
        }
        Ok(http::Response::from_parts(
            parts,
            Lines::new(body, max_line),
        ))
    }

    fn error_of(&self, parts: http::response::Parts, body: Vec<u8>) -> Error {
        let response = http::Response::from_parts(parts, body);
        match check_status(&*self.parse_error, Step::Resource, &response) {
            Err(e) => e,
            Ok(()) => unexpected_success(&response),
        }
    }
}

impl<T: BlockingStreamingHttpClient> SignedClient<T> {
    /// The blocking counterpart of [`stream`](Self::stream).
    pub fn stream_blocking(
        &self,
        request: http::Request<Vec<u8>>,
        max_line: usize,
    ) -> Result<http::Response<Lines<Box<dyn BlockingBody>>>, Error> {
        #[cfg(feature = "tracing")]
        let span = crate::trace::request_span(&request, self.placement);
        #[cfg(feature = "tracing")]
        let result = span.in_scope(|| self.stream_blocking_untraced(request, max_line));
        #[cfg(not(feature = "tracing"))]
        let result = self.stream_blocking_untraced(request, max_line);
        #[cfg(feature = "tracing")]
        record(&span, &result);
        result
    }

    fn stream_blocking_untraced(
        &self,
        mut request: http::Request<Vec<u8>>,
        max_line: usize,
    ) -> Result<http::Response<Lines<Box<dyn BlockingBody>>>, Error> {
        self.sign(&mut request, false)?;
        let response = self
            .transport
            .send_streaming(request)
            .map_err(Error::transport(Step::Resource))?;
        let (parts, mut body) = response.into_parts();
        if !parts.status.is_success() {
            let mut text = Vec::new();
            while text.len() < 64 * 1024 {
                match body.chunk() {
                    Ok(Some(c)) => text.extend_from_slice(&c),
                    _ => break,
                }
            }
            let response = http::Response::from_parts(parts, text);
            return Err(
                match check_status(&*self.parse_error, Step::Resource, &response) {
                    Err(e) => e,
                    Ok(()) => unexpected_success(&response),
                },
            );
        }
        Ok(http::Response::from_parts(
            parts,
            Lines::new(body, max_line),
        ))
    }
}

/// Records the status (a stream's refusal has its status in the error) and the failure of a
/// signed request in its span.
#[cfg(feature = "tracing")]
fn record<B>(span: &tracing::Span, result: &Result<http::Response<B>, Error>) {
    match result {
        Ok(response) => crate::trace::record_status(span, response.status()),
        Err(Error::Provider { error, .. }) => crate::trace::record_status(span, error.status),
        Err(_) => {}
    }
    crate::trace::record_outcome(span, result);
}

/// The error for a response [`check_status`] let through although its status is not a success
/// (it cannot happen: the caller checked the status first).
fn unexpected_success(response: &http::Response<Vec<u8>>) -> Error {
    Error::Provider {
        step: Step::Resource,
        error: Box::new(crate::ProviderError::parse(
            response.status(),
            response.headers(),
            response.body(),
        )),
    }
}

fn build(
    method: Method,
    url: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Result<http::Request<Vec<u8>>, Error> {
    crate::url::check_absolute("request", url)?;
    let mut builder = http::Request::builder().method(method).uri(url);
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    builder.body(body).map_err(Error::Request)
}

/// A `multipart/form-data` body (RFC 7578) with a random boundary.
///
/// ```
/// let form = oauth1_flow::Multipart::new()
///     .unwrap()
///     .text("status", "a picture")
///     .file("media", "cat.png", "image/png", vec![0x89, b'P', b'N', b'G']);
/// assert!(form.content_type().starts_with("multipart/form-data; boundary="));
/// ```
#[derive(Debug, Clone)]
pub struct Multipart {
    boundary: String,
    body: Vec<u8>,
}

impl Multipart {
    /// An empty form with a random boundary.
    pub fn new() -> Result<Self, Error> {
        Ok(Multipart {
            boundary: format!("oauth1-rs-{}", oauth1_core::nonce::random_nonce()?),
            body: Vec::new(),
        })
    }

    fn head(&mut self, disposition: &str, content_type: Option<&str>) {
        self.body.extend_from_slice(b"--");
        self.body.extend_from_slice(self.boundary.as_bytes());
        self.body
            .extend_from_slice(b"\r\nContent-Disposition: form-data; ");
        self.body.extend_from_slice(disposition.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        if let Some(ct) = content_type {
            self.body.extend_from_slice(b"Content-Type: ");
            self.body.extend_from_slice(ct.as_bytes());
            self.body.extend_from_slice(b"\r\n");
        }
        self.body.extend_from_slice(b"\r\n");
    }

    /// Adds a text field.
    #[must_use]
    pub fn text(mut self, name: &str, value: &str) -> Self {
        self.head(&format!("name=\"{}\"", quote(name)), None);
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// Adds a file.
    #[must_use]
    pub fn file(mut self, name: &str, filename: &str, content_type: &str, bytes: Vec<u8>) -> Self {
        self.head(
            &format!("name=\"{}\"; filename=\"{}\"", quote(name), quote(filename)),
            Some(content_type),
        );
        self.body.extend_from_slice(&bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// The `Content-Type` header value.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The body, closed.
    pub fn into_body(mut self) -> Vec<u8> {
        self.body.extend_from_slice(b"--");
        self.body.extend_from_slice(self.boundary.as_bytes());
        self.body.extend_from_slice(b"--\r\n");
        self.body
    }
}

/// A name for a quoted `Content-Disposition` parameter: quotes and line breaks escaped as
/// RFC 7578 §4.2 suggests (percent-encoded).
fn quote(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

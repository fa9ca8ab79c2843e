//! [`OAuthLayer`]: a `tower` layer that verifies every request before the service behind it
//! sees it, for axum, hyper, or any `tower` stack.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use http::{Request, Response, StatusCode};
use http_body::Body;
use http_body_util::{BodyExt, Either, Full, LengthLimitError, Limited};
use oauth1_core::encode::percent_encode;
use oauth1_core::is_form_content_type;

use crate::store::{CredentialStore, NonceStore};
use crate::verifier::{Rejection, Verifier, VerifyFailure};

/// The largest body [`OAuthLayer`] reads by default: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Inspector = dyn Fn(&VerifyFailure) + Send + Sync;

/// Verifies every request with a [`Verifier`] (signature in the `Authorization` header, the
/// query or a form body) and hands the service behind it the [`Verified`](crate::Verified)
/// identity as a request extension. A rejected request never reaches the service: it gets
/// `401` (or `400`/`413`, see [`Rejection::status`]) with
/// `WWW-Authenticate: OAuth realm="…", oauth_problem="…"` and a form-encoded body in the
/// OAuth Problem Reporting format (`oauth_problem=…&oauth_problem_advice=…`), which never holds
/// a secret. A refused timestamp also gets `oauth_acceptable_timestamps="A-B"` (in both), the
/// range the server's clock would have accepted. A failing store gives `503` with
/// `Retry-After` (under the default [`StoreFailurePolicy::Reject`](crate::StoreFailurePolicy)).
///
/// Form bodies (`application/x-www-form-urlencoded`) are read whole, up to
/// [`body_limit`](Self::body_limit), because their parameters are signed; so are bodies of
/// requests that carry `oauth_body_hash`. Other bodies stream through untouched. The service
/// behind receives the body as `http_body_util::Either<Full<Bytes>, B>` (the read bytes, or
/// the original body).
///
/// In axum, a handler takes the identity as `Extension<Verified>`, or (feature `axum`) as
/// `Verified` itself.
///
/// ```
/// use axum::{routing::get, Extension, Router};
/// use oauth1_server::{MemoryCredentials, MemoryNonceStore, OAuthLayer, Verified, Verifier};
///
/// async fn hello(Extension(who): Extension<Verified>) -> String {
///     format!("hello, {}", who.consumer_key)
/// }
///
/// let verifier = Verifier::new(
///     MemoryCredentials::new().consumer("key", "secret"),
///     MemoryNonceStore::default(),
/// );
/// let app: Router = Router::new()
///     .route("/hello", get(hello))
///     .layer(OAuthLayer::new(verifier).realm("https://api.example.com/"));
/// ```
pub struct OAuthLayer<C, N> {
    verifier: Arc<Verifier<C, N>>,
    settings: Arc<Settings>,
}

#[derive(Clone)]
struct Settings {
    realm: String,
    body_limit: usize,
    scheme: String,
    forwarded_proto: bool,
    inspect: Option<Arc<Inspector>>,
}

impl<C, N> Clone for OAuthLayer<C, N> {
    fn clone(&self) -> Self {
        OAuthLayer {
            verifier: Arc::clone(&self.verifier),
            settings: Arc::clone(&self.settings),
        }
    }
}

impl<C, N> std::fmt::Debug for OAuthLayer<C, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthLayer")
            .field("verifier", &self.verifier)
            .field("realm", &self.settings.realm)
            .field("body_limit", &self.settings.body_limit)
            .field("scheme", &self.settings.scheme)
            .field("forwarded_proto", &self.settings.forwarded_proto)
            .finish()
    }
}

impl<C, N> OAuthLayer<C, N> {
    /// A layer verifying with `verifier`; realm empty, scheme `http`, body limit
    /// [`DEFAULT_BODY_LIMIT`].
    pub fn new(verifier: Verifier<C, N>) -> Self {
        Self::shared(Arc::new(verifier))
    }

    /// A layer over a verifier you also use elsewhere.
    pub fn shared(verifier: Arc<Verifier<C, N>>) -> Self {
        OAuthLayer {
            verifier,
            settings: Arc::new(Settings {
                realm: String::new(),
                body_limit: DEFAULT_BODY_LIMIT,
                scheme: "http".to_owned(),
                forwarded_proto: false,
                inspect: None,
            }),
        }
    }

    fn settings(mut self, f: impl FnOnce(&mut Settings)) -> Self {
        f(Arc::make_mut(&mut self.settings));
        self
    }

    /// The realm named in `WWW-Authenticate` challenges.
    #[must_use]
    pub fn realm(self, realm: impl Into<String>) -> Self {
        let realm = realm.into();
        self.settings(|s| s.realm = realm)
    }

    /// The largest form body read, in bytes (default [`DEFAULT_BODY_LIMIT`]); a larger one is
    /// refused with 413.
    #[must_use]
    pub fn body_limit(self, bytes: usize) -> Self {
        self.settings(|s| s.body_limit = bytes)
    }

    /// The scheme clients use to reach this service, for the base string URI (default
    /// `http`; `https` behind TLS or a TLS-terminating proxy). Ignored for requests whose URI
    /// is absolute (HTTP/2).
    #[must_use]
    pub fn scheme(self, scheme: impl Into<String>) -> Self {
        let scheme = scheme.into();
        self.settings(|s| s.scheme = scheme)
    }

    /// Takes the scheme from `X-Forwarded-Proto` when present (`http` or `https` only). Turn it
    /// on only behind a proxy that sets the header.
    #[must_use]
    pub fn trust_forwarded_proto(self, on: bool) -> Self {
        self.settings(|s| s.forwarded_proto = on)
    }

    /// Calls `f` with every failure (rejection or store failure) before the response is sent:
    /// the place to log or count them. The failure never holds a secret.
    #[must_use]
    pub fn inspect_failures(self, f: impl Fn(&VerifyFailure) + Send + Sync + 'static) -> Self {
        self.settings(|s| s.inspect = Some(Arc::new(f)))
    }
}

impl<S, C, N> tower_layer::Layer<S> for OAuthLayer<C, N> {
    type Service = OAuthService<S, C, N>;

    fn layer(&self, inner: S) -> Self::Service {
        OAuthService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service made by [`OAuthLayer`].
pub struct OAuthService<S, C, N> {
    inner: S,
    layer: OAuthLayer<C, N>,
}

impl<S: Clone, C, N> Clone for OAuthService<S, C, N> {
    fn clone(&self) -> Self {
        OAuthService {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<S, C, N> std::fmt::Debug for OAuthService<S, C, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthService")
            .field("layer", &self.layer)
            .finish_non_exhaustive()
    }
}

/// The response future of [`OAuthService`].
pub type ResponseFuture<R, E> = Pin<Box<dyn Future<Output = Result<R, E>> + Send>>;

impl<S, C, N, ReqBody, ResBody> tower_service::Service<Request<ReqBody>> for OAuthService<S, C, N>
where
    S: tower_service::Service<Request<Either<Full<Bytes>, ReqBody>>, Response = Response<ResBody>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    ReqBody: Body<Data = Bytes> + Send + 'static,
    ReqBody::Error: Into<BoxError>,
    C: CredentialStore + 'static,
    N: NonceStore + 'static,
{
    type Response = Response<Either<Full<Bytes>, ResBody>>;
    type Error = S::Error;
    type Future = ResponseFuture<Self::Response, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // The inner service that was polled ready goes into the future; a fresh clone stays.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        Box::pin(async move {
            match verify(&layer, request).await {
                Ok(request) => Ok(inner.call(request).await?.map(Either::Right)),
                Err(failure) => {
                    if let Some(inspect) = &layer.settings.inspect {
                        inspect(&failure);
                    }
                    Ok(failure_response(&failure, &layer.settings.realm).map(Either::Left))
                }
            }
        })
    }
}

/// Whether the body must be read to verify: a form body (its parameters are signed), or a
/// request that carries `oauth_body_hash`.
fn needs_body(parts: &http::request::Parts) -> bool {
    let form = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_form_content_type);
    let body_hash = |s: &[u8]| s.windows(15).any(|w| w == b"oauth_body_hash");
    form || parts.uri.query().is_some_and(|q| body_hash(q.as_bytes()))
        || parts
            .headers
            .get_all(http::header::AUTHORIZATION)
            .iter()
            .any(|v| body_hash(v.as_bytes()))
}

async fn verify<B, C, N>(
    layer: &OAuthLayer<C, N>,
    request: Request<B>,
) -> Result<Request<Either<Full<Bytes>, B>>, VerifyFailure>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
    C: CredentialStore,
    N: NonceStore,
{
    let settings = &layer.settings;
    let (parts, body) = request.into_parts();
    let (bytes, rest) = if needs_body(&parts) {
        let limit = settings.body_limit;
        let declared = parts
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(Rejection::BodyTooLarge { limit }.into());
        }
        let collected = Limited::new(body, limit).collect().await.map_err(|e| {
            if e.downcast_ref::<LengthLimitError>().is_some() {
                Rejection::BodyTooLarge { limit }
            } else {
                Rejection::BodyUnreadable
            }
        })?;
        (collected.to_bytes(), None)
    } else {
        (Bytes::new(), Some(body))
    };
    let forwarded = settings
        .forwarded_proto
        .then(|| parts.headers.get("x-forwarded-proto"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    let scheme = match forwarded {
        Some(p) if p.eq_ignore_ascii_case("https") => "https",
        Some(p) if p.eq_ignore_ascii_case("http") => "http",
        _ => settings.scheme.as_str(),
    };
    let probe = Request::from_parts(parts, bytes);
    let verified = layer.verifier.verify(&probe, scheme).await?;
    let (mut parts, bytes) = probe.into_parts();
    parts.extensions.insert(verified);
    let body = match rest {
        Some(body) => Either::Right(body),
        None => Either::Left(Full::new(bytes)),
    };
    Ok(Request::from_parts(parts, body))
}

/// A `"`-quoted header parameter value (RFC 9110 quoted-string, control characters dropped).
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars().filter(|c| !c.is_control()) {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The response to a failure: status, challenge, and a problem-reporting body.
pub(crate) fn failure_response(failure: &VerifyFailure, realm: &str) -> Response<Full<Bytes>> {
    let (status, problem, advice, acceptable) = match failure {
        VerifyFailure::Rejected(r) => (
            r.status(),
            r.oauth_problem(),
            r.to_string(),
            r.acceptable_timestamps(),
        ),
        VerifyFailure::Store(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "the server cannot check requests right now; retry shortly".to_owned(),
            None,
        ),
    };
    let mut body = format!(
        "oauth_problem={problem}&oauth_problem_advice={}",
        percent_encode(&advice)
    );
    if let Some((from, to)) = acceptable {
        body.push_str(&format!("&oauth_acceptable_timestamps={from}-{to}"));
    }
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    if status == StatusCode::SERVICE_UNAVAILABLE {
        headers.insert(RETRY_AFTER, HeaderValue::from_static("1"));
    } else {
        if let Some(v) = challenge(realm, problem, acceptable) {
            headers.insert(WWW_AUTHENTICATE, v);
        }
    }
    response
}

/// `OAuth realm="…", oauth_problem="…"` (and `oauth_acceptable_timestamps="A-B"` for a
/// refused timestamp): the `WWW-Authenticate` challenge of a rejection. `quoted` drops the
/// control characters, the only ones a header value cannot hold, so this is `None` only in
/// theory.
pub(crate) fn challenge(
    realm: &str,
    problem: &str,
    acceptable: Option<(u64, u64)>,
) -> Option<HeaderValue> {
    let mut value = format!("OAuth realm={}, oauth_problem=\"{problem}\"", quoted(realm));
    if let Some((from, to)) = acceptable {
        value.push_str(&format!(", oauth_acceptable_timestamps=\"{from}-{to}\""));
    }
    HeaderValue::from_str(&value).ok()
}

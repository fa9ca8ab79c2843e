//! What gets signed: the method, the URL, the body; and the protocol values chosen per request.

use std::borrow::Cow;
use std::fmt;

/// The body of a request, as it matters for signing.
///
/// Its `Debug` shows the kind and the length, not the bytes (a form can hold a password).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum Body<'a> {
    /// No body.
    #[default]
    None,
    /// An `application/x-www-form-urlencoded` body: its parameters are signed (§3.4.1.3.1).
    Form(&'a [u8]),
    /// Any other body (JSON, multipart, binary): not parameters; covered only by
    /// `oauth_body_hash` when asked for.
    Other(&'a [u8]),
}

impl fmt::Debug for Body<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::None => f.write_str("None"),
            Body::Form(b) => write!(f, "Form(<{} bytes>)", b.len()),
            Body::Other(b) => write!(f, "Other(<{} bytes>)", b.len()),
        }
    }
}

impl<'a> Body<'a> {
    /// Classifies `body` by its `Content-Type`: a form body only when the media type is
    /// `application/x-www-form-urlencoded` (any case, parameters such as `; charset=utf-8`
    /// allowed).
    ///
    /// ```
    /// use oauth1_core::Body;
    /// let b = Body::from_content_type(Some("application/x-www-form-urlencoded; charset=utf-8"), b"a=1");
    /// assert_eq!(b, Body::Form(b"a=1"));
    /// assert_eq!(Body::from_content_type(Some("application/json"), b"{}"), Body::Other(b"{}"));
    /// assert_eq!(Body::from_content_type(None, b""), Body::None);
    /// ```
    pub fn from_content_type(content_type: Option<&str>, body: &'a [u8]) -> Self {
        match content_type {
            Some(ct) if is_form_content_type(ct) => Body::Form(body),
            _ if body.is_empty() && content_type.is_none() => Body::None,
            _ => Body::Other(body),
        }
    }

    /// The body bytes (empty for [`Body::None`]).
    pub fn bytes(&self) -> &'a [u8] {
        match self {
            Body::None => b"",
            Body::Form(b) | Body::Other(b) => b,
        }
    }
}

/// Whether a `Content-Type` value names `application/x-www-form-urlencoded`.
///
/// ```
/// # use oauth1_core::is_form_content_type;
/// assert!(is_form_content_type("Application/X-WWW-Form-URLEncoded ; charset=UTF-8"));
/// assert!(!is_form_content_type("application/x-www-form-urlencoded-not"));
/// assert!(!is_form_content_type("multipart/form-data; boundary=x"));
/// ```
pub fn is_form_content_type(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or_default();
    media
        .trim()
        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// An HTTP request to sign or verify, borrowed from the caller.
///
/// ```
/// use oauth1_core::{Body, Request};
/// let r = Request::new("POST", "https://api.x.com/1.1/statuses/update.json")
///     .with_body(Body::Form(b"status=hello"));
/// assert_eq!(r.method(), "POST");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    method: &'a str,
    url: &'a str,
    body: Body<'a>,
}

/// Shows the method, the URL without its query (which can hold a signature or a password:
/// `?…` stands for it) and the body's kind and length.
impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match self.url.split_once('?') {
            Some((path, _)) => format!("{path}?…"),
            None => self.url.to_owned(),
        };
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &url)
            .field("body", &self.body)
            .finish()
    }
}

impl<'a> Request<'a> {
    /// A request without a body. `url` is absolute and may carry a query and a fragment.
    pub fn new(method: &'a str, url: &'a str) -> Self {
        Request {
            method,
            url,
            body: Body::None,
        }
    }

    /// The same request with a body.
    #[must_use]
    pub fn with_body(mut self, body: Body<'a>) -> Self {
        self.body = body;
        self
    }

    /// The HTTP method as given (the base string upper-cases it).
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The URL as given.
    pub fn url(&self) -> &'a str {
        self.url
    }

    /// The body.
    pub fn body(&self) -> Body<'a> {
        self.body
    }
}

/// The per-request protocol values: nonce, timestamp, and the optional ones.
///
/// `nonce` and `timestamp` are always explicit here so that every signature can be reproduced;
/// [`OAuthParams::fresh`] (feature `std-rand`, on by default) fills them from the OS random
/// source and the system clock.
///
/// ```
/// use oauth1_core::OAuthParams;
/// let p = OAuthParams::new("wIjqoS", 137131200)
///     .callback("http://printer.example.com/ready")
///     .realm("Photos")
///     .version(false);
/// assert_eq!(p.nonce(), "wIjqoS");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthParams<'a> {
    pub(crate) nonce: Cow<'a, str>,
    pub(crate) timestamp: u64,
    pub(crate) callback: Option<&'a str>,
    pub(crate) verifier: Option<&'a str>,
    pub(crate) realm: Option<&'a str>,
    pub(crate) version: bool,
    pub(crate) body_hash: bool,
    pub(crate) extra: Vec<(&'a str, &'a str)>,
}

impl<'a> OAuthParams<'a> {
    /// Protocol values with this nonce and timestamp (seconds since the Unix epoch), sending
    /// `oauth_version="1.0"` and nothing optional.
    pub fn new(nonce: impl Into<Cow<'a, str>>, timestamp: u64) -> Self {
        OAuthParams {
            nonce: nonce.into(),
            timestamp,
            callback: None,
            verifier: None,
            realm: None,
            version: true,
            body_hash: false,
            extra: Vec::new(),
        }
    }

    /// A random 24-character alphanumeric nonce ([`crate::nonce::random_nonce`]) and the
    /// current time.
    #[cfg(feature = "std-rand")]
    pub fn fresh() -> Result<OAuthParams<'static>, crate::Error> {
        Ok(OAuthParams::new(
            crate::nonce::random_nonce()?,
            crate::nonce::unix_time(),
        ))
    }

    /// Sets `oauth_callback` (a URL, or `oob`), sent with a temporary-credentials request.
    #[must_use]
    pub fn callback(mut self, callback: &'a str) -> Self {
        self.callback = Some(callback);
        self
    }

    /// Sets `oauth_verifier`, sent with a token-credentials request.
    #[must_use]
    pub fn verifier(mut self, verifier: &'a str) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Sets the `realm` of the Authorization header (never signed).
    #[must_use]
    pub fn realm(mut self, realm: &'a str) -> Self {
        self.realm = Some(realm);
        self
    }

    /// Whether to send `oauth_version="1.0"` (optional in RFC 5849; default `true`).
    #[must_use]
    pub fn version(mut self, send: bool) -> Self {
        self.version = send;
        self
    }

    /// Whether to send `oauth_body_hash` (the OAuth Request Body Hash extension: base64 of the
    /// SHA-1 of the body) on a request whose body is not a form. Off by default: some providers
    /// reject it unasked.
    #[must_use]
    pub fn body_hash(mut self, send: bool) -> Self {
        self.body_hash = send;
        self
    }

    /// Adds a further protocol parameter (`oauth_*` or `xoauth_*`), placed and signed like the
    /// `oauth_*` ones.
    #[must_use]
    pub fn extra(mut self, name: &'a str, value: &'a str) -> Self {
        self.extra.push((name, value));
        self
    }

    /// The nonce.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// The timestamp.
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }
}

/// The method must be an HTTP token (RFC 9110 §5.6.2).
pub(crate) fn check_method(method: &str) -> Result<(), crate::Error> {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if method.is_empty() || !method.bytes().all(tchar) {
        return Err(crate::error::Misuse::InvalidMethod.into());
    }
    Ok(())
}

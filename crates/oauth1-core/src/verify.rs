//! The receiving side: read the protocol parameters of an incoming request, rebuild its base
//! string, and check signature, timestamp and nonce (RFC 5849 §3.2).
//!
//! Nothing here reads a clock or keeps state: the current time is a [`Policy`] input and the
//! nonce store is a [`NonceCheck`] the caller passes in.
//!
//! ```
//! use oauth1_core::{HmacSha1, Policy, Received, Request, Secret, SignatureMethod};
//!
//! // RFC 5849 §1.2: the client fetches a photo with its token credentials.
//! let request = Request::new("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original");
//! let header = r#"OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D""#;
//!
//! let received = Received::parse(&request, Some(header)).unwrap();
//! assert_eq!(received.consumer_key(), "dpf43f3p2l4k3l03");
//! // Look up the secrets by consumer key and token, then verify.
//! let key = HmacSha1.key(&Secret::new("kd94hf93k423kf44"), Some(&Secret::new("pfkkdhi9sl3r4s00"))).unwrap();
//! let mut seen = Vec::new();
//! let policy = Policy::new(137131210);
//! received.verify(&HmacSha1, &key, &policy, &mut |n: &oauth1_core::NonceUse<'_>| {
//!     let fresh = !seen.contains(&n.nonce.to_owned());
//!     seen.push(n.nonce.to_owned());
//!     fresh
//! }).unwrap();
//! ```

use std::fmt;

use std::borrow::Cow;

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::base_string::body_hash_into;
use crate::error::{shown, Error, VerifyError};
use crate::header;
use crate::limits::Limits;
use crate::params::{Head, Parameters, Scratch, Source};
use crate::request::{check_method, Body, Request};
use crate::secret::Secret;
use crate::signature::SignatureMethod;
use crate::url::RequestUrl;

/// The accepted timestamp window when none is set: ±300 seconds.
pub const DEFAULT_WINDOW: u64 = 300;

/// Time policy for verification: the server's current time and the accepted skew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    now: u64,
    window: u64,
}

impl Policy {
    /// The policy at time `now` (Unix seconds) with the default window of ±300 s.
    pub fn new(now: u64) -> Self {
        Policy {
            now,
            window: DEFAULT_WINDOW,
        }
    }

    /// Accept timestamps within ±`seconds` of `now`.
    #[must_use]
    pub fn window(mut self, seconds: u64) -> Self {
        self.window = seconds;
        self
    }
}

/// One use of a nonce, handed to a [`NonceCheck`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NonceUse<'a> {
    /// `oauth_consumer_key`.
    pub consumer_key: &'a str,
    /// `oauth_token`, if any.
    pub token: Option<&'a str>,
    /// `oauth_nonce`.
    pub nonce: &'a str,
    /// `oauth_timestamp`.
    pub timestamp: u64,
}

/// A nonce store: records a nonce and says whether it was fresh.
///
/// RFC 5849 §3.3: a nonce is unique for all requests with the same timestamp, client
/// credentials and token. Implemented for any `FnMut(&NonceUse) -> bool` closure.
pub trait NonceCheck {
    /// Records the nonce; `true` if it had not been seen (the request may proceed).
    fn check_and_record(&mut self, nonce: &NonceUse<'_>) -> bool;
}

impl<F: FnMut(&NonceUse<'_>) -> bool> NonceCheck for F {
    fn check_and_record(&mut self, nonce: &NonceUse<'_>) -> bool {
        self(nonce)
    }
}

/// The protocol parameters of a received request, parsed, with its base string rebuilt.
#[derive(Clone)]
pub struct Received {
    scratch: Scratch,
    /// The decoded protocol values, one after another; the fields below say where each is.
    text: String,
    consumer_key: Span,
    token: Option<Span>,
    signature_method: Span,
    signature: Secret,
    timestamp: Option<Span>,
    nonce: Option<Span>,
    version: Option<Span>,
    callback: Option<Span>,
    verifier: Option<Span>,
    realm: Option<String>,
    body_hash: Option<BodyHashCheck>,
}

/// The scratch goes back to the thread's spare (see [`Scratch::with_thread_local`]), its
/// request overwritten, so that the next request verified on this thread reuses its memory.
impl Drop for Received {
    fn drop(&mut self) {
        Scratch::give_back(std::mem::take(&mut self.scratch));
    }
}

/// Where a decoded protocol value lies in [`Received`]'s `text`: one buffer for all of them
/// instead of a `String` each.
type Span = (usize, usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyHashCheck {
    OnForm,
    Matches(bool),
}

/// Names the request's claims only: never the signature, the base string or the parameters
/// (a signed form can hold a password, as xAuth's does). Use [`Received::base_string`] and
/// [`Received::parameters`] to look at those on purpose.
impl fmt::Debug for Received {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Received")
            .field("consumer_key", &self.consumer_key())
            .field("token", &self.token())
            .field("signature_method", &self.signature_method())
            .field("timestamp", &self.timestamp())
            .field("nonce", &self.nonce())
            .field("realm", &self.realm())
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Protocol {
    /// Every value but the signature.
    text: String,
    slots: Slots,
    /// Apart, as a [`Secret`]: a PLAINTEXT signature is the two secrets.
    signature: Option<Secret>,
}

#[derive(Default)]
struct Slots {
    consumer_key: Option<Span>,
    token: Option<Span>,
    signature_method: Option<Span>,
    timestamp: Option<Span>,
    nonce: Option<Span>,
    version: Option<Span>,
    callback: Option<Span>,
    verifier: Option<Span>,
    body_hash: Option<Span>,
}

impl Slots {
    fn slot(&mut self, name: &[u8]) -> Option<(&'static str, &mut Option<Span>)> {
        Some(match name {
            b"oauth_consumer_key" => ("oauth_consumer_key", &mut self.consumer_key),
            b"oauth_token" => ("oauth_token", &mut self.token),
            b"oauth_signature_method" => ("oauth_signature_method", &mut self.signature_method),
            b"oauth_timestamp" => ("oauth_timestamp", &mut self.timestamp),
            b"oauth_nonce" => ("oauth_nonce", &mut self.nonce),
            b"oauth_version" => ("oauth_version", &mut self.version),
            b"oauth_callback" => ("oauth_callback", &mut self.callback),
            b"oauth_verifier" => ("oauth_verifier", &mut self.verifier),
            b"oauth_body_hash" => ("oauth_body_hash", &mut self.body_hash),
            _ => return None,
        })
    }
}

impl Protocol {
    fn set(&mut self, name: &[u8], value: &[u8], limits: &Limits) -> Result<(), VerifyError> {
        let limit = limits.for_parameter(name);
        if value.len() > limit {
            return Err(VerifyError::TooLong {
                name: shown(&String::from_utf8_lossy(name)),
                limit,
            });
        }
        if name == b"oauth_signature" {
            if self.signature.is_some() {
                return Err(VerifyError::Duplicate("oauth_signature".to_owned()));
            }
            let value =
                std::str::from_utf8(value).map_err(|_| VerifyError::NotText("oauth_signature"))?;
            self.signature = Some(Secret::new(value));
            return Ok(());
        }
        let Some((name, slot)) = self.slots.slot(name) else {
            return Ok(());
        };
        if slot.is_some() {
            return Err(VerifyError::Duplicate(name.to_owned()));
        }
        let value = std::str::from_utf8(value).map_err(|_| VerifyError::NotText(name))?;
        let start = self.text.len();
        self.text.push_str(value);
        *slot = Some((start, self.text.len()));
        Ok(())
    }
}

/// The protocol value at `span` of `text` (the buffer of [`Protocol`] and [`Received`]).
fn text_at(text: &str, (start, end): Span) -> &str {
    text.get(start..end).unwrap_or_default()
}

impl Received {
    /// Reads an incoming request: the `Authorization` header value if there is one (a header
    /// with another scheme than `OAuth` is ignored), the query and the form body.
    ///
    /// Every protocol parameter must appear once, in one place. The result tells who claims to
    /// have signed ([`Received::consumer_key`], [`Received::token`]) so that the caller can look
    /// up the secrets before calling [`Received::verify`].
    ///
    /// The request is read into the thread's spare [`Scratch`] (the one
    /// [`Scratch::with_thread_local`] lends), which the `Received` gives back when dropped,
    /// with everything of the request in it overwritten: verifying one request after another
    /// on a thread reuses the same memory.
    ///
    /// The request is held to the default [`Limits`] (see [`Received::parse_with`]).
    pub fn parse(request: &Request<'_>, authorization: Option<&str>) -> Result<Self, Error> {
        Self::parse_with(request, authorization, &Limits::default())
    }

    /// [`Received::parse`] with your own [`Limits`]. Whatever they are, reading is linear in the
    /// size of the request; a request over a limit is refused before any value of it is kept:
    /// a header over [`Limits::header_bytes`] or with a parameter that is neither `realm` nor
    /// `oauth_*` ([`HeaderError`](crate::HeaderError)), more than
    /// [`Limits::protocol_parameters`] protocol parameters or a protocol value over its limit
    /// ([`VerifyError::TooManyParameters`], [`VerifyError::TooLong`]).
    pub fn parse_with(
        request: &Request<'_>,
        authorization: Option<&str>,
        limits: &Limits,
    ) -> Result<Self, Error> {
        // The thread's spare scratch, given back (overwritten) when the `Received` is dropped.
        let mut scratch = Scratch::take_spare();
        let url = RequestUrl::parse(request.url())?;
        let rules = header::Rules {
            limits,
            protocol_only: true,
        };
        // The header's parameters go straight into the scratch (none is kept decoded).
        let header = authorization.map(|value| {
            header::read(value, &rules, |name, value| {
                scratch.push(name.as_bytes(), value.as_bytes(), Source::Protocol);
            })
        });
        let (has_header, realm) = match header {
            Some(Ok(realm)) => (true, realm.map(Cow::into_owned)),
            Some(Err(crate::HeaderError::NotOAuth)) | None => (false, None),
            Some(Err(e)) => return Err(e.into()),
        };
        if let Some(realm) = &realm {
            if realm.len() > limits.realm {
                return Err(VerifyError::TooLong {
                    name: "realm".to_owned(),
                    limit: limits.realm,
                }
                .into());
            }
        }
        if let Some(query) = url.query() {
            scratch.push_form(query.as_bytes(), Source::Query)?;
        }
        let body = request.body();
        if let Body::Form(form) = body {
            scratch.push_form(form, Source::Body)?;
        }
        // The protocol values are short: one allocation holds them all.
        let mut p = Protocol {
            text: String::with_capacity(256),
            ..Protocol::default()
        };
        // The header's own count is checked as it is read; this one adds the query and body.
        let mut protocol_parameters = usize::from(realm.is_some());
        for (name, mut value) in scratch.oauth_prefixed() {
            protocol_parameters += 1;
            if protocol_parameters > limits.protocol_parameters {
                if let Cow::Owned(bytes) = &mut value {
                    bytes.zeroize();
                }
                return Err(VerifyError::TooManyParameters {
                    limit: limits.protocol_parameters,
                }
                .into());
            }
            let set = p.set(&name, &value, limits);
            // A decoded copy may be a PLAINTEXT signature: overwrite it before it is freed.
            if let Cow::Owned(bytes) = &mut value {
                bytes.zeroize();
            }
            set?;
        }
        let slots = &p.slots;
        let (Some(consumer_key), Some(signature_method), Some(signature)) = (
            slots.consumer_key,
            slots.signature_method,
            p.signature.take(),
        ) else {
            if !has_header && scratch.oauth_prefixed().next().is_none() {
                return Err(VerifyError::NotSigned.into());
            }
            let missing = if slots.consumer_key.is_none() {
                "oauth_consumer_key"
            } else if slots.signature_method.is_none() {
                "oauth_signature_method"
            } else {
                "oauth_signature"
            };
            return Err(VerifyError::Missing(missing).into());
        };
        let body_hash = slots.body_hash.map(|span| {
            let received = text_at(&p.text, span);
            match body {
                Body::Form(_) => BodyHashCheck::OnForm,
                _ => {
                    let mut buf = [0u8; 28];
                    let expected = body_hash_into(body.bytes(), &mut buf);
                    BodyHashCheck::Matches(expected.as_bytes().ct_eq(received.as_bytes()).into())
                }
            }
        });
        scratch.sort();
        scratch.write_base_string(
            request.method(),
            Head::Url {
                url: &url,
                prefix: None,
            },
            None,
        );
        check_method(request.method())?;
        let Slots {
            token,
            timestamp,
            nonce,
            version,
            callback,
            verifier,
            ..
        } = p.slots;
        Ok(Received {
            scratch,
            text: p.text,
            consumer_key,
            token,
            signature_method,
            signature,
            timestamp,
            nonce,
            version,
            callback,
            verifier,
            realm,
            body_hash,
        })
    }

    /// Reads an incoming `http::Request` as a server receives it.
    ///
    /// A server usually sees an origin-form URI (`/path?query`): the URL to verify is then
    /// `scheme://` + the `Host` header + the path and query. An absolute URI is used as it is.
    /// The body is a form when `Content-Type` says so; the `Authorization` header (at most one)
    /// is read if it uses the `OAuth` scheme.
    ///
    /// ```
    /// use oauth1_core::Received;
    /// let req = http::Request::get("/photos?file=vacation.jpg&size=original")
    ///     .header("host", "photos.example.net")
    ///     .header("authorization", r#"OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D""#)
    ///     .body(Vec::new())
    ///     .unwrap();
    /// let received = Received::parse_http(&req, "http").unwrap();
    /// assert!(received.base_string().starts_with("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&"));
    /// ```
    pub fn parse_http<B: AsRef<[u8]>>(
        request: &http::Request<B>,
        scheme: &str,
    ) -> Result<Self, Error> {
        Self::parse_http_with(request, scheme, None, &Limits::default())
    }

    /// [`Received::parse_http`] with your own [`Limits`], and the authority (`host[:port]`)
    /// clients sign for, if you know it.
    ///
    /// With an `authority`, the URL to verify is always `scheme://` + `authority` + the
    /// request's path and query: the `Host` header and an absolute request URI are not used.
    /// Give it when the service has one public name, and always behind a reverse proxy that
    /// rewrites `Host`: a request signed for another host then fails its signature, whatever
    /// `Host` it carries.
    ///
    /// ```
    /// use oauth1_core::{Limits, Received};
    /// let req = http::Request::get("/photos?file=vacation.jpg&size=original")
    ///     .header("host", "10.0.0.7:8080") // as the proxy forwards it
    ///     .header("authorization", r#"OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D""#)
    ///     .body(Vec::new())
    ///     .unwrap();
    /// let received =
    ///     Received::parse_http_with(&req, "http", Some("photos.example.net"), &Limits::default())
    ///         .unwrap();
    /// assert!(received.base_string().starts_with("GET&http%3A%2F%2Fphotos.example.net%2Fphotos&"));
    /// ```
    pub fn parse_http_with<B: AsRef<[u8]>>(
        request: &http::Request<B>,
        scheme: &str,
        authority: Option<&str>,
        limits: &Limits,
    ) -> Result<Self, Error> {
        let uri = request.uri();
        let headers = request.headers();
        let host = match authority {
            Some(authority) => Some(authority),
            None if uri.scheme().is_some() && uri.authority().is_some() => None,
            None => Some(
                headers
                    .get(http::header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .or(uri.authority().map(http::uri::Authority::as_str))
                    .ok_or(crate::UrlError::NoAuthority)?,
            ),
        };
        let url = match host {
            // The authority pinned, or the Host of an origin-form request.
            Some(host) => format!(
                "{scheme}://{host}{}",
                uri.path_and_query().map_or("/", |p| p.as_str())
            ),
            // An absolute URI, used as it is.
            None => uri.to_string(),
        };
        let content_type = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let body = Body::from_content_type(content_type, request.body().as_ref());
        let mut authorizations = headers.get_all(http::header::AUTHORIZATION).iter();
        let authorization = match (authorizations.next(), authorizations.next()) {
            (None, _) => None,
            (Some(value), None) => Some(value.to_str().map_err(|_| crate::HeaderError::NotAscii)?),
            (Some(_), Some(_)) => {
                return Err(crate::HeaderError::Duplicate {
                    name: "Authorization".to_owned(),
                }
                .into())
            }
        };
        Self::parse_with(
            &Request::new(request.method().as_str(), &url).with_body(body),
            authorization,
            limits,
        )
    }

    /// `oauth_consumer_key`: whose client secret to look up.
    pub fn consumer_key(&self) -> &str {
        self.text_at(self.consumer_key)
    }

    /// `oauth_token`, if sent: whose token secret to look up.
    pub fn token(&self) -> Option<&str> {
        self.token.map(|t| self.text_at(t))
    }

    /// `oauth_signature_method` as received.
    pub fn signature_method(&self) -> &str {
        self.text_at(self.signature_method)
    }

    /// `oauth_timestamp` as received.
    pub fn timestamp(&self) -> Option<&str> {
        self.timestamp.map(|t| self.text_at(t))
    }

    /// `oauth_nonce` as received.
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.map(|n| self.text_at(n))
    }

    /// `oauth_callback`, sent with a temporary-credentials request.
    pub fn callback(&self) -> Option<&str> {
        self.callback.map(|c| self.text_at(c))
    }

    /// `oauth_verifier`, sent with a token-credentials request.
    pub fn verifier(&self) -> Option<&str> {
        self.verifier.map(|v| self.text_at(v))
    }

    /// The protocol value at `span`.
    fn text_at(&self, span: Span) -> &str {
        text_at(&self.text, span)
    }

    /// The header's `realm`, if any.
    pub fn realm(&self) -> Option<&str> {
        self.realm.as_deref()
    }

    /// The base string the server computed: compare with the client's when debugging.
    pub fn base_string(&self) -> &str {
        self.scratch.base_string()
    }

    /// The normalized parameters, in base-string order.
    pub fn parameters(&self) -> Parameters<'_> {
        self.scratch.parameters(None)
    }

    /// Verifies the request with `method` and its prepared `key` (see
    /// [`SignatureMethod::key`]), in this order: version, method, timestamp window, body hash,
    /// signature (constant-time), and last the nonce, so that only authentic requests are
    /// recorded in the nonce store.
    ///
    /// PLAINTEXT requests may omit timestamp and nonce together (§3.4.4); other methods may
    /// not. When they are sent, they are checked as for any other method.
    pub fn verify<M: SignatureMethod>(
        &self,
        method: &M,
        key: &M::Key,
        policy: &Policy,
        nonces: &mut dyn NonceCheck,
    ) -> Result<(), Error> {
        match self.verify_except_nonce(method, key, policy)? {
            Some(nonce) if !nonces.check_and_record(&nonce) => Err(VerifyError::NonceReused.into()),
            _ => Ok(()),
        }
    }

    /// Every check of [`Received::verify`] but the nonce: for a nonce store that cannot answer
    /// synchronously (a database, Redis). On success it returns the nonce use that the caller
    /// **must** then check and record (`None` only for a PLAINTEXT request without nonce), so
    /// that, as with `verify`, only authentic requests reach the store.
    ///
    /// ```
    /// use oauth1_core::{HmacSha1, Policy, Received, Secret, SignatureMethod};
    /// let req = http::Request::get("/photos?file=vacation.jpg&size=original")
    ///     .header("host", "photos.example.net")
    ///     .header("authorization", r#"OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D""#)
    ///     .body(Vec::new())
    ///     .unwrap();
    /// let received = Received::parse_http(&req, "http").unwrap();
    /// let key = HmacSha1.key(&Secret::new("kd94hf93k423kf44"), Some(&Secret::new("pfkkdhi9sl3r4s00"))).unwrap();
    /// let nonce = received.verify_except_nonce(&HmacSha1, &key, &Policy::new(137131210)).unwrap();
    /// // Now ask the (asynchronous) store whether this nonce is fresh.
    /// assert_eq!(nonce.unwrap().nonce, "chapoH");
    /// ```
    #[must_use = "the returned nonce must still be checked against a nonce store"]
    pub fn verify_except_nonce<M: SignatureMethod>(
        &self,
        method: &M,
        key: &M::Key,
        policy: &Policy,
    ) -> Result<Option<NonceUse<'_>>, Error> {
        if self.version.is_some_and(|v| self.text_at(v) != "1.0") {
            return Err(VerifyError::UnsupportedVersion.into());
        }
        let signature_method = self.signature_method();
        if signature_method != method.name() {
            return Err(VerifyError::SignatureMethod {
                received: signature_method.to_owned(),
                expected: method.name().to_owned(),
            }
            .into());
        }
        let optional = signature_method == "PLAINTEXT";
        let timestamp = match self.timestamp() {
            Some(t) => Some(parse_timestamp(t)?),
            None if optional => None,
            None => return Err(VerifyError::Missing("oauth_timestamp").into()),
        };
        if self.nonce.is_none() && (!optional || timestamp.is_some()) {
            return Err(VerifyError::Missing("oauth_nonce").into());
        }
        // PLAINTEXT may omit both; a nonce without a timestamp could not be recorded.
        if self.nonce.is_some() && timestamp.is_none() {
            return Err(VerifyError::Missing("oauth_timestamp").into());
        }
        if let Some(ts) = timestamp {
            let skew = i128::from(ts) - i128::from(policy.now);
            if skew.unsigned_abs() > u128::from(policy.window) {
                let skew =
                    i64::try_from(skew).unwrap_or(if skew < 0 { i64::MIN } else { i64::MAX });
                return Err(VerifyError::TimestampOutOfWindow {
                    skew,
                    window: policy.window,
                }
                .into());
            }
        }
        match self.body_hash {
            Some(BodyHashCheck::OnForm) => return Err(VerifyError::BodyHashOnForm.into()),
            Some(BodyHashCheck::Matches(false)) => return Err(VerifyError::BodyHashMismatch.into()),
            _ => {}
        }
        if !method.verify(key, self.scratch.base_bytes(), self.signature.secret())? {
            return Err(VerifyError::InvalidSignature.into());
        }
        Ok(match (self.nonce(), timestamp) {
            (Some(nonce), Some(timestamp)) => Some(NonceUse {
                consumer_key: self.consumer_key(),
                token: self.token(),
                nonce,
                timestamp,
            }),
            _ => None,
        })
    }

    /// Like [`Received::verify`], preparing the key from the looked-up secrets.
    pub fn verify_with_secrets<M: SignatureMethod>(
        &self,
        method: &M,
        client_secret: &Secret,
        token_secret: Option<&Secret>,
        policy: &Policy,
        nonces: &mut dyn NonceCheck,
    ) -> Result<(), Error> {
        let key = method.key(client_secret, token_secret)?;
        self.verify(method, &key, policy, nonces)
    }
}

fn parse_timestamp(t: &str) -> Result<u64, VerifyError> {
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VerifyError::InvalidTimestamp);
    }
    t.parse().map_err(|_| VerifyError::InvalidTimestamp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Plaintext;

    /// PLAINTEXT may leave out nonce and timestamp (§3.4.4), but only both: a nonce without a
    /// timestamp could not be recorded, and what is sent is checked.
    #[test]
    fn plaintext_sends_nonce_and_timestamp_together_or_not_at_all() {
        let request = Request::new("GET", "https://a.example/r");
        let verify = |extra: &str| {
            let header = format!(
                r#"OAuth oauth_consumer_key="ck", oauth_signature_method="PLAINTEXT", oauth_signature="cs%26"{extra}"#
            );
            let received = Received::parse(&request, Some(&header))?;
            let mut seen = Vec::new();
            let mut check = |n: &NonceUse<'_>| {
                let fresh = !seen.contains(&n.nonce.to_owned());
                seen.push(n.nonce.to_owned());
                fresh
            };
            let policy = Policy::new(1_000);
            received.verify_with_secrets(
                &Plaintext,
                &Secret::new("cs"),
                None,
                &policy,
                &mut check,
            )?;
            // The same request again.
            received.verify_with_secrets(&Plaintext, &Secret::new("cs"), None, &policy, &mut check)
        };
        // Neither: accepted, twice (replay protection is TLS's there).
        assert_eq!(verify(""), Ok(()));
        // Both: checked, so the second time is a replay, and a stale timestamp is refused.
        assert_eq!(
            verify(r#", oauth_nonce="n", oauth_timestamp="1000""#),
            Err(VerifyError::NonceReused.into())
        );
        assert!(matches!(
            verify(r#", oauth_nonce="n", oauth_timestamp="1""#),
            Err(Error::Verify(VerifyError::TimestampOutOfWindow { .. }))
        ));
        // One without the other: refused.
        assert_eq!(
            verify(r#", oauth_nonce="n""#),
            Err(VerifyError::Missing("oauth_timestamp").into())
        );
        assert_eq!(
            verify(r#", oauth_timestamp="1000""#),
            Err(VerifyError::Missing("oauth_nonce").into())
        );
    }
}

//! Signing reqwest's own requests: [`OAuth1RequestBuilderExt`] on `RequestBuilder` (async and
//! blocking), the options, the error, and the one function that signs, which the middleware
//! shares.

use http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method};
use oauth1_core::{
    is_form_content_type, Body, Misuse, OAuthParams, Placement, Request, Scratch, SignatureMethod,
    Signer, UrlError,
};
use reqwest::Url;

/// A reqwest request could not be signed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// reqwest could not build the request (an invalid URL or header, a form or query that
    /// did not serialize): the error the builder had been holding, which `send` would have
    /// returned.
    #[error("could not build the request to sign")]
    Build(#[source] reqwest::Error),
    /// The signer refused the request (a query or form body with a bad escape or an
    /// `oauth_signature` already in it, body placement on a body that is not a form, the
    /// system's random source failed, ...). The message says which.
    #[error("could not sign the request")]
    Sign(#[source] oauth1_core::Error),
    /// The body is a stream, which cannot be read before it is sent, and the signature needs
    /// it: a form body (signed as parameters), body placement, or `oauth_body_hash`.
    #[error(
        "the request body is a stream, which cannot be read to sign it: give the body as bytes \
         (`.form(...)` or `.body(Vec<u8>)`), or sign a non-form stream with header or query \
         placement and without oauth_body_hash"
    )]
    StreamingBody,
}

impl From<oauth1_core::Error> for SignError {
    fn from(error: oauth1_core::Error) -> Self {
        SignError::Sign(error)
    }
}

/// How a request is signed: where the protocol parameters go, the `realm`, and whether a
/// non-form body is covered by `oauth_body_hash`.
///
/// The default is what every provider accepts: the `Authorization` header, no realm, no body
/// hash. Set the fields with the builder methods of the same names.
///
/// ```
/// use oauth1_core::Placement;
/// use oauth1_transport_reqwest::SignOptions;
///
/// let options = SignOptions::new().placement(Placement::Query).realm("Photos");
/// assert_eq!(options.placement, Placement::Query);
/// assert_eq!(options.realm.as_deref(), Some("Photos"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct SignOptions {
    /// Where the protocol parameters go.
    pub placement: Placement,
    /// The `realm` of the `Authorization` header.
    pub realm: Option<String>,
    /// Whether a body that is not a form is covered by `oauth_body_hash`.
    pub body_hash: bool,
    /// Seconds added to every timestamp (positive when the provider's clock is ahead).
    pub clock_offset: i64,
}

impl SignOptions {
    /// Header placement, no realm, no body hash.
    pub fn new() -> Self {
        SignOptions::default()
    }

    /// Where the protocol parameters go: the `Authorization` header (the default), the query
    /// string, or the form body (which must then be a form, or empty with no `Content-Type`: it
    /// becomes a form).
    pub fn placement(mut self, placement: Placement) -> Self {
        self.placement = placement;
        self
    }

    /// The `realm` of the `Authorization` header (not signed; ignored by other placements).
    pub fn realm(mut self, realm: impl Into<String>) -> Self {
        self.realm = Some(realm.into());
        self
    }

    /// Whether a body that is not a form is covered by `oauth_body_hash` (the OAuth Request
    /// Body Hash extension). Off by default: some providers refuse it unasked.
    pub fn body_hash(mut self, on: bool) -> Self {
        self.body_hash = on;
        self
    }

    /// Corrects every timestamp by `seconds` (positive when the provider's clock is ahead of
    /// ours): for a provider that refuses our timestamps (Twitter code 135) and whose `Date`
    /// header shows the difference. 0 unless set.
    pub fn clock_offset(mut self, seconds: i64) -> Self {
        self.clock_offset = seconds;
        self
    }
}

/// Signs what a reqwest `RequestBuilder` built, with a fresh nonce and timestamp:
/// `client.post(url).form(&params).oauth1(&signer)?.send()`.
///
/// The signature covers the method, the final URL (with everything `.query()` added) and, when
/// the body is `application/x-www-form-urlencoded` (as `.form()` makes it), the form
/// parameters (RFC 5849 §3.4.1.3). The request is built once, signed, and handed back as a
/// builder, so anything set after `oauth1` (a header, a timeout) is still applied; do not
/// change the URL, the query or a form body after signing, or the signature will not verify.
///
/// Implemented for [`reqwest::RequestBuilder`], with the `blocking` feature for
/// `reqwest::blocking::RequestBuilder`, and with the `middleware` feature for
/// `reqwest_middleware::RequestBuilder`. To sign every request of a `reqwest-middleware`
/// client, see `OAuth1Middleware` (feature `middleware`).
///
/// ```no_run
/// use oauth1_core::{ClientCredentials, HmacSha1, Signer, TokenCredentials};
/// use oauth1_transport_reqwest::OAuth1RequestBuilderExt;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let signer = Signer::new(
///     HmacSha1,
///     &ClientCredentials::new("consumer-key", "consumer-secret"),
///     Some(&TokenCredentials::new("token", "token-secret")),
/// )?;
/// let client = oauth1_transport_reqwest::client_builder()?.build()?;
/// let response = client
///     .post("https://api.example.com/1.1/statuses/update.json")
///     .form(&[("status", "hello")])
///     .oauth1(&signer)?
///     .send()
///     .await?;
/// println!("{}", response.status());
/// # Ok(())
/// # }
/// ```
pub trait OAuth1RequestBuilderExt: Sized {
    /// Signs the request with `signer`, the protocol parameters in the `Authorization` header.
    ///
    /// Fails with [`SignError::Build`] if the builder held an error, [`SignError::Sign`] if
    /// the signer refused the request, [`SignError::StreamingBody`] if a form body is a
    /// stream.
    fn oauth1<M: SignatureMethod>(self, signer: &Signer<M>) -> Result<Self, SignError> {
        self.oauth1_with(signer, &SignOptions::default())
    }

    /// Signs the request with `signer` as `options` say (placement, realm, body hash).
    ///
    /// ```
    /// use oauth1_core::{ClientCredentials, HmacSha1, Placement, Signer};
    /// use oauth1_transport_reqwest::{OAuth1RequestBuilderExt, SignOptions};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
    /// let client = oauth1_transport_reqwest::client_builder()?.build()?;
    /// let request = client
    ///     .get("https://api.example.com/1.1/account/verify_credentials.json")
    ///     .query(&[("include_email", "true")])
    ///     .oauth1_with(&signer, &SignOptions::new().placement(Placement::Query))?
    ///     .build()?;
    /// let query = request.url().query().unwrap_or_default();
    /// assert!(query.starts_with("include_email=true&oauth_consumer_key=key&"));
    /// assert!(query.contains("&oauth_signature="));
    /// # Ok(())
    /// # }
    /// ```
    fn oauth1_with<M: SignatureMethod>(
        self,
        signer: &Signer<M>,
        options: &SignOptions,
    ) -> Result<Self, SignError>;
}

impl OAuth1RequestBuilderExt for reqwest::RequestBuilder {
    fn oauth1_with<M: SignatureMethod>(
        self,
        signer: &Signer<M>,
        options: &SignOptions,
    ) -> Result<Self, SignError> {
        let (client, request) = self.build_split();
        let mut request = request.map_err(SignError::Build)?;
        sign_request(signer, options, &mut request)?;
        Ok(reqwest::RequestBuilder::from_parts(client, request))
    }
}

#[cfg(feature = "blocking")]
impl OAuth1RequestBuilderExt for reqwest::blocking::RequestBuilder {
    fn oauth1_with<M: SignatureMethod>(
        self,
        signer: &Signer<M>,
        options: &SignOptions,
    ) -> Result<Self, SignError> {
        let (client, request) = self.build_split();
        let mut request = request.map_err(SignError::Build)?;
        sign_request(signer, options, &mut request)?;
        Ok(reqwest::blocking::RequestBuilder::from_parts(
            client, request,
        ))
    }
}

/// A reqwest request (async or blocking) as the signer reads and changes it.
pub(crate) trait Signable {
    /// The method, the URL, the headers and the body.
    fn view(&self) -> (&Method, &Url, &HeaderMap, BodyView<'_>);
    /// The URL, to change.
    fn url_mut(&mut self) -> &mut Url;
    /// The headers, to change.
    fn headers_mut(&mut self) -> &mut HeaderMap;
    /// Replaces the body.
    fn set_body(&mut self, body: Vec<u8>);
}

/// [`Signable`] for a reqwest request type and its body type (the same methods on both).
macro_rules! signable {
    ($request:ty, $body:ty) => {
        impl Signable for $request {
            fn view(&self) -> (&Method, &Url, &HeaderMap, BodyView<'_>) {
                let body = match self.body() {
                    None => BodyView::Absent,
                    Some(body) => body.as_bytes().map_or(BodyView::Stream, BodyView::Bytes),
                };
                (self.method(), self.url(), self.headers(), body)
            }

            fn url_mut(&mut self) -> &mut Url {
                <$request>::url_mut(self)
            }

            fn headers_mut(&mut self) -> &mut HeaderMap {
                <$request>::headers_mut(self)
            }

            fn set_body(&mut self, body: Vec<u8>) {
                *self.body_mut() = Some(<$body>::from(body));
            }
        }
    };
}

signable!(reqwest::Request, reqwest::Body);
#[cfg(feature = "blocking")]
signable!(reqwest::blocking::Request, reqwest::blocking::Body);

/// Signs a reqwest request in place, with a fresh nonce and timestamp: the one signing path
/// of the extension (async and blocking) and the middleware.
pub(crate) fn sign_request<M: SignatureMethod, R: Signable>(
    signer: &Signer<M>,
    options: &SignOptions,
    request: &mut R,
) -> Result<(), SignError> {
    let (method, url, headers, body) = request.view();
    prepare(signer, options, method, url, headers, body)?.apply(request);
    Ok(())
}

/// A request body as the signer can see it.
#[derive(Clone, Copy)]
pub(crate) enum BodyView<'a> {
    /// No body.
    Absent,
    /// A body held in memory.
    Bytes(&'a [u8]),
    /// A stream, unreadable before it is sent.
    Stream,
}

/// What signing changes in the request, made from a view of it and applied after.
enum Placed {
    Header(HeaderValue),
    Url(Url),
    Body {
        body: Vec<u8>,
        set_content_type: bool,
    },
}

impl Placed {
    fn apply<R: Signable>(self, request: &mut R) {
        match self {
            Placed::Header(value) => {
                request.headers_mut().insert(AUTHORIZATION, value);
            }
            Placed::Url(signed) => *request.url_mut() = signed,
            Placed::Body {
                body,
                set_content_type,
            } => {
                let headers = request.headers_mut();
                if set_content_type {
                    headers.insert(
                        CONTENT_TYPE,
                        HeaderValue::from_static("application/x-www-form-urlencoded"),
                    );
                }
                // reqwest announces the new length itself.
                headers.remove(CONTENT_LENGTH);
                request.set_body(body);
            }
        }
    }
}

/// Signs the request made of these parts with a fresh nonce and timestamp, and says what to
/// change in it.
fn prepare<M: SignatureMethod>(
    signer: &Signer<M>,
    options: &SignOptions,
    method: &Method,
    url: &Url,
    headers: &HeaderMap,
    body: BodyView<'_>,
) -> Result<Placed, SignError> {
    let has_content_type = headers.contains_key(CONTENT_TYPE);
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let is_form = content_type.is_some_and(is_form_content_type);
    let bytes: &[u8] = match body {
        BodyView::Absent => &[],
        BodyView::Bytes(bytes) => bytes,
        BodyView::Stream
            if is_form || options.placement == Placement::Body || options.body_hash =>
        {
            return Err(SignError::StreamingBody)
        }
        // Not a form: the body is not part of the signature.
        BodyView::Stream => &[],
    };
    let signed_body = if is_form {
        Body::Form(bytes)
    } else if bytes.is_empty() && !has_content_type {
        Body::None
    } else {
        Body::Other(bytes)
    };
    if options.placement == Placement::Body && matches!(signed_body, Body::Other(_)) {
        return Err(SignError::Sign(Misuse::BodyPlacementNeedsForm.into()));
    }
    let fresh = OAuthParams::fresh()?;
    let timestamp = fresh
        .timestamp()
        .saturating_add_signed(options.clock_offset);
    let mut oauth = OAuthParams::new(fresh.nonce().to_owned(), timestamp)
        .body_hash(options.body_hash && !is_form);
    if let Some(realm) = options.realm.as_deref() {
        oauth = oauth.realm(realm);
    }
    let request = Request::new(method.as_str(), url.as_str()).with_body(signed_body);
    Scratch::with_thread_local(|scratch| {
        let signed = signer.sign(scratch, &request, &oauth)?;
        Ok(match options.placement {
            Placement::Header => {
                let mut value = HeaderValue::try_from(signed.authorization())
                    .map_err(|_| oauth1_core::Error::from(Misuse::InvalidHeaderValue))?;
                value.set_sensitive(true);
                Placed::Header(value)
            }
            Placement::Query => Placed::Url(
                Url::parse(&signed.url_with_parameters(url.as_str()))
                    .map_err(|_| oauth1_core::Error::from(UrlError::NotAnHttpUri))?,
            ),
            Placement::Body => Placed::Body {
                body: signed.form_with_parameters(bytes),
                set_content_type: !has_content_type,
            },
        })
    })
}

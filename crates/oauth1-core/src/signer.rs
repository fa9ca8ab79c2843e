//! The keyed signer and what a signature produces.

use std::fmt;

use crate::base_string::body_hash_into;
use crate::encode::{with_bytes, Literal, Writer};
use crate::error::{Error, Misuse, UrlError};
use crate::header::write_quoted;
use crate::params::{Head, Parameters, Scratch, Source};
use crate::request::{check_method, Body, OAuthParams, Request};
use crate::secret::{ClientCredentials, TokenCredentials};
use crate::signature::{AnyMethod, HmacSha1, IntoAnyMethod, SignatureMethod};
use crate::template::{Layout, Template};
use crate::url::RequestUrl;

/// The name of the signature parameter.
const SIGNATURE: &[u8] = b"oauth_signature";

/// Protocol parameters the signer sets itself; an extra parameter may not repeat them.
/// (`oauth_body_hash` may be an extra parameter, a hash the caller computed, unless
/// [`OAuthParams::body_hash`] asks the signer to compute it.)
const RESERVED: [&str; 9] = [
    "oauth_consumer_key",
    "oauth_token",
    "oauth_signature_method",
    "oauth_signature",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_version",
    "oauth_callback",
    "oauth_verifier",
];

/// Refuses a realm that cannot be an RFC 7230 quoted string in a header: control characters
/// other than tab, and bytes outside ASCII.
fn check_realm(realm: &str) -> Result<(), Misuse> {
    let ok = realm
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Misuse::InvalidRealm)
    }
}

/// How [`Signer::sign_with`] writes the protocol parameters of the usual request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Way {
    /// From the template's pieces, made now if they are not yet: [`Signer::sign`], whose
    /// caller keeps a [`Scratch`] to sign again.
    Pieces,
    /// From the template, whose pieces are made at the signer's second signature: the
    /// convenience paths ([`Signer::authorization`], [`Signer::sign_http`]), which a signer made
    /// for one request takes.
    Lazily,
    /// Everything the general way, no template (for tests).
    General,
}

/// Where the protocol parameters go (RFC 5849 §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Placement {
    /// The `Authorization: OAuth ...` header (§3.5.1), which every provider accepts.
    #[default]
    Header,
    /// The URL's query string (§3.5.3).
    Query,
    /// The `application/x-www-form-urlencoded` body (§3.5.2).
    Body,
}

/// Signs requests with one set of credentials, keyed once.
///
/// Creating the signer prepares the key (for HMAC, the padded key states); each signature then
/// costs only the work on the request itself.
///
/// ```
/// use oauth1_core::{Body, ClientCredentials, HmacSha1, OAuthParams, Request, Scratch, Signer, TokenCredentials};
///
/// let client = ClientCredentials::new("xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw");
/// let token = TokenCredentials::new(
///     "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
///     "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
/// );
/// let signer = Signer::new(HmacSha1, &client, Some(&token)).unwrap();
///
/// let request = Request::new("POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true")
///     .with_body(Body::Form(b"status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"));
/// let oauth = OAuthParams::new("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", 1318622958);
///
/// let mut scratch = Scratch::new();
/// let signed = signer.sign(&mut scratch, &request, &oauth).unwrap();
/// assert_eq!(signed.signature(), "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
/// assert!(signed.authorization().starts_with("OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", oauth_nonce="));
/// ```
pub struct Signer<M: SignatureMethod = HmacSha1> {
    method: M,
    key: M::Key,
    /// The consumer key, token and method, as given and §3.6-encoded once here rather than
    /// per call, and (from the second signature on) the protocol parameters of the common
    /// request put together.
    pub(crate) template: Template,
}

impl<M: SignatureMethod> fmt::Debug for Signer<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("method", &self.method.name())
            .field("consumer_key", &self.consumer_key())
            .field("token", &self.token())
            .finish_non_exhaustive()
    }
}

impl<M: SignatureMethod + Clone> Clone for Signer<M>
where
    M::Key: Clone,
{
    fn clone(&self) -> Self {
        Signer {
            method: self.method.clone(),
            key: self.key.clone(),
            template: self.template.clone(),
        }
    }
}

impl Signer<HmacSha1> {
    /// The usual signer: HMAC-SHA1, for client credentials and an access token, each given as
    /// the credentials or as a `(key, secret)` pair. For another method, or no token, use
    /// [`Signer::new`].
    ///
    /// ```
    /// use oauth1_core::{OAuthParams, Request, Signer};
    /// let signer = Signer::hmac_sha1(("key", "secret"), ("token", "token-secret"))?;
    /// let header = signer.authorization(&Request::new("GET", "https://a.example/r"), &OAuthParams::new("n", 1))?;
    /// assert!(header.contains("oauth_token=\"token\""));
    /// # Ok::<(), oauth1_core::Error>(())
    /// ```
    pub fn hmac_sha1(
        client: impl Into<ClientCredentials>,
        token: impl Into<TokenCredentials>,
    ) -> Result<Self, Error> {
        Signer::new(HmacSha1, &client.into(), Some(&token.into()))
    }
}

impl<M: IntoAnyMethod> Signer<M> {
    /// This signer as a `Signer<AnyMethod>`, for what takes any method (a session client, a
    /// stored configuration), with the key it prepared and nothing recomputed.
    ///
    /// ```
    /// use oauth1_core::{AnyMethod, ClientCredentials, HmacSha1, OAuthParams, Request, Signer};
    /// let hmac = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
    /// let any: Signer<AnyMethod> = hmac.clone().into_any();
    /// // The same signer: the same signature, the same header.
    /// let (request, oauth) = (Request::new("GET", "https://a.example/r?x=1"), OAuthParams::new("n", 1));
    /// assert_eq!(any.authorization(&request, &oauth)?, hmac.authorization(&request, &oauth)?);
    /// # Ok::<(), oauth1_core::Error>(())
    /// ```
    pub fn into_any(self) -> Signer<AnyMethod> {
        let (method, key) = self.method.into_any(self.key);
        Signer {
            method,
            key,
            template: self.template,
        }
    }
}

impl<M: SignatureMethod> Signer<M> {
    /// A signer for these client credentials and, once the client has one, a token.
    ///
    /// Prepares the key and encodes the consumer key, token and method; what every signature
    /// writes the same way is put together on the second signature, so a signer made for one
    /// request costs little more than its key.
    pub fn new(
        method: M,
        client: &ClientCredentials,
        token: Option<&TokenCredentials>,
    ) -> Result<Self, Error> {
        let key = method.key(client.secret(), token.map(TokenCredentials::secret))?;
        let template = Template::new(
            client.key(),
            token.map(TokenCredentials::token),
            method.name(),
        );
        Ok(Signer {
            method,
            key,
            template,
        })
    }

    /// The signature method.
    pub fn method(&self) -> &M {
        &self.method
    }

    /// The prepared key.
    pub fn key(&self) -> &M::Key {
        &self.key
    }

    /// The consumer key.
    pub fn consumer_key(&self) -> &str {
        self.template.given_consumer_key()
    }

    /// The token, if the signer has one.
    pub fn token(&self) -> Option<&str> {
        self.template.given_token()
    }

    /// Signs `request` with the protocol values `oauth`, working in `scratch`.
    ///
    /// The result borrows `scratch` (and the signer, whose precomputed pieces it writes the
    /// header with); reuse the same `Scratch` for the next request to sign without allocating.
    pub fn sign<'s>(
        &'s self,
        scratch: &'s mut Scratch,
        request: &Request<'_>,
        oauth: &OAuthParams<'_>,
    ) -> Result<Signed<'s>, Error> {
        self.sign_with(scratch, request, oauth, Way::Pieces)
    }

    /// [`Self::sign`], the protocol parameters written `way`.
    pub(crate) fn sign_with<'s>(
        &'s self,
        scratch: &'s mut Scratch,
        request: &Request<'_>,
        oauth: &OAuthParams<'_>,
        way: Way,
    ) -> Result<Signed<'s>, Error> {
        scratch.reset_for(request.url().len() + request.body().bytes().len() + oauth.nonce.len());
        // The same method and URI as the last request signed in this scratch (the usual case
        // for a client calling one endpoint again): its head is still in the base string buffer.
        let kept = scratch.kept_head_query(request.method(), request.url());
        let parsed = match kept {
            Some(_) => None,
            None => {
                let parsed = RequestUrl::parse_with_prefix(request.url())?;
                check_method(request.method())?;
                Some(parsed)
            }
        };
        let query = kept.unwrap_or_else(|| parsed.as_ref().and_then(|(url, _)| url.query()));
        if let Some(query) = query {
            scratch.push_form(query.as_bytes(), Source::Query)?;
        }
        let body = request.body();
        if let Body::Form(form) = body {
            scratch.push_form(form, Source::Body)?;
        }
        self.push_protocol(scratch, oauth, body, way)?;
        scratch.check_no_clash()?;
        if let Some(realm) = oauth.realm {
            check_realm(realm)?;
            scratch.set_realm(realm);
        }
        scratch.sort();
        let head = match &parsed {
            Some((url, prefix)) => Head::Url {
                url,
                prefix: *prefix,
            },
            None => Head::Kept,
        };
        scratch.write_base_string(request.method(), head, Some(&self.template));
        let mut signature = std::mem::take(&mut scratch.signature);
        let signed = self
            .method
            .sign(&self.key, scratch.base_bytes(), &mut signature);
        scratch.signature = signature;
        signed?;
        let template = scratch.gaps().map(|_| &self.template);
        Ok(Signed { scratch, template })
    }

    fn push_protocol(
        &self,
        scratch: &mut Scratch,
        oauth: &OAuthParams<'_>,
        body: Body<'_>,
        way: Way,
    ) -> Result<(), Error> {
        let p = Source::Protocol;
        let common = oauth.callback.is_none()
            && oauth.verifier.is_none()
            && !oauth.body_hash
            && oauth.extra.is_empty();
        if way != Way::General && common && !scratch.has_oauth_names() {
            // The usual request: the template writes the protocol parameters.
            self.template.prepare(way == Way::Pieces);
            scratch.set_block(&oauth.nonce, oauth.timestamp, oauth.version);
            return Ok(());
        }
        scratch.push_encoded(b"oauth_consumer_key", self.template.consumer_key());
        scratch.push_protocol(b"oauth_nonce", oauth.nonce.as_bytes());
        scratch.push_encoded(b"oauth_signature_method", self.template.method());
        scratch.push_number(b"oauth_timestamp", oauth.timestamp);
        if let Some(token) = self.template.token() {
            scratch.push_encoded(b"oauth_token", token);
        }
        if oauth.version {
            scratch.push_encoded(b"oauth_version", b"1.0");
        }
        if let Some(callback) = oauth.callback {
            scratch.push_protocol(b"oauth_callback", callback.as_bytes());
        }
        if let Some(verifier) = oauth.verifier {
            scratch.push_protocol(b"oauth_verifier", verifier.as_bytes());
        }
        if oauth.body_hash {
            if matches!(body, Body::Form(_)) {
                return Err(Misuse::BodyHashWithForm.into());
            }
            let mut buf = [0u8; 28];
            let hash = body_hash_into(body.bytes(), &mut buf);
            scratch.push(b"oauth_body_hash", hash.as_bytes(), p);
        }
        for &(name, value) in &oauth.extra {
            let allowed = (name.starts_with("oauth_") || name.starts_with("xoauth_"))
                && !RESERVED.contains(&name)
                && !(oauth.body_hash && name == "oauth_body_hash");
            if !allowed {
                return Err(Misuse::ExtraParameter(name.to_owned()).into());
            }
            scratch.push(name.as_bytes(), value.as_bytes(), p);
        }
        Ok(())
    }

    /// Signs `request` and returns the `Authorization` header value.
    ///
    /// Signs in this thread's spare [`Scratch`] (see [`Scratch::with_thread_local`]): after the
    /// first call, the returned header is the only allocation.
    pub fn authorization(
        &self,
        request: &Request<'_>,
        oauth: &OAuthParams<'_>,
    ) -> Result<String, Error> {
        Scratch::with_thread_local(|scratch| {
            Ok(self
                .sign_with(scratch, request, oauth, Way::Lazily)?
                .authorization())
        })
    }

    /// Signs an `http::Request` and places the protocol parameters in it: the `Authorization`
    /// header (marked sensitive), the query, or the form body.
    ///
    /// The URI must be absolute (`https://host/path`). With [`Placement::Body`] the body must be
    /// a form or empty; an empty body becomes a form and gets its `Content-Type`. Signs in this
    /// thread's spare [`Scratch`] (see [`Scratch::with_thread_local`]).
    ///
    /// The body may be any [`SignableBody`]: `Vec<u8>`, `String`, `bytes::Bytes`, or
    /// `http_body_util::Full<Bytes>` (feature `http-body`). It is put back as it was when the
    /// request cannot be signed.
    ///
    /// ```
    /// use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Placement, Signer};
    /// let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None).unwrap();
    /// let mut req = http::Request::get("https://example.com/a?b=c").body(Vec::new()).unwrap();
    /// signer.sign_http(&mut req, Placement::Query, &OAuthParams::new("n", 1)).unwrap();
    /// assert!(req.uri().query().unwrap().contains("oauth_signature="));
    ///
    /// // A form body as a String, the parameters placed in it.
    /// let mut form = http::Request::post("https://example.com/a")
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(String::from("status=hi"))
    ///     .unwrap();
    /// signer.sign_http(&mut form, Placement::Body, &OAuthParams::new("n", 1)).unwrap();
    /// assert!(form.body().starts_with("status=hi&oauth_consumer_key=key&"), "{}", form.body());
    /// ```
    pub fn sign_http<B: SignableBody>(
        &self,
        request: &mut http::Request<B>,
        placement: Placement,
        oauth: &OAuthParams<'_>,
    ) -> Result<(), Error> {
        let url = absolute_url(request)?;
        // The body is taken out while it is signed (no copy for the bodies of this crate), and
        // put back whatever happens: a request that cannot be signed loses nothing.
        let bytes = std::mem::take(request.body_mut()).into_bytes();
        match self.placed(request, &url, &bytes, placement, oauth) {
            Ok(placed) => {
                placed.apply(request, bytes);
                Ok(())
            }
            Err(error) => {
                *request.body_mut() = B::from_bytes(bytes);
                Err(error)
            }
        }
    }

    /// What [`sign_http`](Self::sign_http) changes in `request`, whose body is `bytes`.
    fn placed<B>(
        &self,
        request: &http::Request<B>,
        url: &str,
        bytes: &[u8],
        placement: Placement,
        oauth: &OAuthParams<'_>,
    ) -> Result<Placed, Error> {
        let content_type = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let body = Body::from_content_type(content_type, bytes);
        // Body placement needs a form, or no body and no Content-Type (it then becomes a form).
        let form_or_nothing =
            matches!(body, Body::Form(_)) || (bytes.is_empty() && content_type.is_none());
        if placement == Placement::Body && !form_or_nothing {
            return Err(Misuse::BodyPlacementNeedsForm.into());
        }
        Scratch::with_thread_local(|scratch| {
            let signed = self.sign_with(
                scratch,
                &Request::new(request.method().as_str(), url).with_body(body),
                oauth,
                Way::Lazily,
            )?;
            place(&signed, placement, url, bytes, content_type.is_none())
        })
    }
}

/// What [`Signer::sign_http`] changes in the request, made while the signed request is at
/// hand and applied after.
enum Placed {
    Header(http::HeaderValue),
    Uri(http::Uri),
    Body {
        body: Vec<u8>,
        set_content_type: bool,
    },
}

impl Placed {
    /// Makes the change in `request`, whose body was `original` (put back unless the form
    /// with the parameters replaces it).
    fn apply<B: SignableBody>(self, request: &mut http::Request<B>, original: bytes::Bytes) {
        match self {
            Placed::Header(value) => {
                request
                    .headers_mut()
                    .insert(http::header::AUTHORIZATION, value);
                *request.body_mut() = B::from_bytes(original);
            }
            Placed::Uri(uri) => {
                *request.uri_mut() = uri;
                *request.body_mut() = B::from_bytes(original);
            }
            Placed::Body {
                body,
                set_content_type,
            } => {
                if set_content_type {
                    request.headers_mut().insert(
                        http::header::CONTENT_TYPE,
                        http::HeaderValue::from_static("application/x-www-form-urlencoded"),
                    );
                }
                *request.body_mut() = B::from_bytes(bytes::Bytes::from(body));
            }
        }
    }
}

/// A request body [`Signer::sign_http`] can sign: taken out of the request as bytes while it
/// is signed (a form body's parameters are signed), then put back, or with [`Placement::Body`]
/// replaced by the form with the protocol parameters added.
///
/// Implemented for `Vec<u8>`, `String`, `bytes::Bytes`, and (feature `http-body`)
/// `http_body_util::Full<Bytes>`, without copying. A streaming body cannot be signed this way:
/// its form parameters are not there to read until it is sent; collect it first (or, for a
/// body that is not a form, sign with an empty body of the same type: only a form body is part
/// of the signature).
pub trait SignableBody: Sized + Default {
    /// The body's bytes, as sent.
    fn into_bytes(self) -> bytes::Bytes;
    /// The body holding `bytes`: the same bytes put back, or the form with the protocol
    /// parameters (an `application/x-www-form-urlencoded` text, ASCII).
    fn from_bytes(bytes: bytes::Bytes) -> Self;
}

impl SignableBody for Vec<u8> {
    fn into_bytes(self) -> bytes::Bytes {
        bytes::Bytes::from(self)
    }
    fn from_bytes(bytes: bytes::Bytes) -> Self {
        Vec::from(bytes)
    }
}

impl SignableBody for String {
    fn into_bytes(self) -> bytes::Bytes {
        bytes::Bytes::from(self)
    }
    fn from_bytes(bytes: bytes::Bytes) -> Self {
        // What was a String comes back as one; a form is ASCII.
        String::from_utf8(Vec::from(bytes))
            .unwrap_or_else(|not_text| String::from_utf8_lossy(not_text.as_bytes()).into_owned())
    }
}

impl SignableBody for bytes::Bytes {
    fn into_bytes(self) -> bytes::Bytes {
        self
    }
    fn from_bytes(bytes: bytes::Bytes) -> Self {
        bytes
    }
}

/// The body hyper clients are usually given (feature `http-body`). One that was already polled
/// is empty, and signed as such.
#[cfg(feature = "http-body")]
impl SignableBody for http_body_util::Full<bytes::Bytes> {
    fn into_bytes(self) -> bytes::Bytes {
        self.into_inner().unwrap_or_default()
    }
    fn from_bytes(bytes: bytes::Bytes) -> Self {
        http_body_util::Full::new(bytes)
    }
}

/// The protocol parameters of `signed` as `placement` puts them (see [`Signer::sign_http`]).
fn place(
    signed: &Signed<'_>,
    placement: Placement,
    url: &str,
    body: &[u8],
    no_content_type: bool,
) -> Result<Placed, Error> {
    Ok(match placement {
        Placement::Header => {
            let mut value = http::HeaderValue::try_from(signed.authorization())
                .map_err(|_| Misuse::InvalidHeaderValue)?;
            value.set_sensitive(true);
            Placed::Header(value)
        }
        Placement::Query => Placed::Uri(
            signed
                .url_with_parameters(url)
                .parse::<http::Uri>()
                .map_err(|_| UrlError::NotAnHttpUri)?,
        ),
        Placement::Body => Placed::Body {
            body: signed.form_with_parameters(body),
            set_content_type: no_content_type,
        },
    })
}

/// The absolute URL of an outgoing `http::Request`.
fn absolute_url<B>(request: &http::Request<B>) -> Result<String, Error> {
    let uri = request.uri();
    if uri.scheme().is_none() || uri.authority().is_none() {
        return Err(UrlError::NoAuthority.into());
    }
    Ok(uri.to_string())
}

/// A signed request: the signature and everything that went into it.
///
/// Borrowed from the [`Scratch`] it was built in.
pub struct Signed<'s> {
    pub(crate) scratch: &'s Scratch,
    /// The signer's template, when the protocol parameters are its block.
    pub(crate) template: Option<&'s Template>,
}

/// Shows how many parameters were signed, not the signature or the base string (which holds
/// every signed form parameter: an xAuth password). Read [`Signed::base_string`] and
/// [`Signed::signature`] to see those.
impl fmt::Debug for Signed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signed")
            .field("parameters", &self.parameters().count())
            .finish_non_exhaustive()
    }
}

impl<'s> Signed<'s> {
    /// The `oauth_signature` value (not percent-encoded). For PLAINTEXT this is the key, a secret.
    pub fn signature(&self) -> &'s str {
        &self.scratch.signature
    }

    /// The signature base string (RFC 5849 §3.4.1.1). PLAINTEXT signs none; this is then the
    /// base string the other methods would sign.
    pub fn base_string(&self) -> &'s str {
        self.scratch.base_string()
    }

    /// The normalized parameters, in the order of the base string.
    pub fn parameters(&self) -> Parameters<'s> {
        self.scratch.parameters(self.template)
    }

    /// The realm, if one was given.
    pub fn realm(&self) -> Option<&'s str> {
        self.scratch.realm()
    }

    /// Appends the `Authorization` header value: `OAuth realm="...", oauth_...="...", ...`.
    pub fn write_authorization(&self, out: &mut String) {
        out.push_str("OAuth ");
        if let Some(realm) = self.realm() {
            out.push_str("realm=");
            write_quoted(realm, out);
            out.push_str(", ");
        }
        self.write_protocol(out, Layout::Header);
    }

    /// The `Authorization` header value.
    pub fn authorization(&self) -> String {
        // `realm="..", ` with every byte escaped at most; `OAuth `.
        let realm = self.realm().map_or(0, |realm| 10 + 2 * realm.len());
        let mut out = String::with_capacity(6 + realm + self.protocol_len(Layout::Header));
        self.write_authorization(&mut out);
        out
    }

    /// The most [`Self::write_protocol`] writes: one allocation of the right size for the
    /// header instead of a guess and a reallocation.
    fn protocol_len(&self, layout: Layout) -> usize {
        let signature = self.scratch.signature.len();
        if let (Some(template), Some(gaps)) = (self.template, self.scratch.gaps()) {
            return template.params_len(&gaps, &self.scratch.signature, layout);
        }
        // Each parameter: its name, `=""` and `, ` (at most), and its value, which is kept
        // encoded twice, longer than the once-encoded text written.
        let (_, params) = self.scratch.protocol();
        let params: usize = params
            .map(|(name, value)| {
                let ((name_start, name_end), (value_start, value_end)) =
                    (name.range(), value.range());
                name_end - name_start + value_end - value_start + 5
            })
            .sum();
        params + SIGNATURE.len() + 3 * signature + 5
    }

    /// Appends the protocol parameters as `name=value&...`, encoded per §3.6 (for a query
    /// string or a form body).
    pub fn write_form_parameters(&self, out: &mut String) {
        self.write_protocol(out, Layout::Form);
    }

    /// Appends the protocol parameters, `oauth_signature` included, sorted by name, as the
    /// header or a form writes them: from the signer's template in the usual case.
    fn write_protocol(&self, out: &mut String, layout: Layout) {
        if let (Some(template), Some(gaps)) = (self.template, self.scratch.gaps()) {
            template.write_params(out, &gaps, &self.scratch.signature, layout);
            return;
        }
        let (separator, quote): (&[u8], &[u8]) = match layout {
            Layout::Header => (b", ", b"\""),
            Layout::Form => (b"&", b""),
        };
        let (arena, params) = self.scratch.protocol();
        let signature = self.scratch.signature.as_bytes();
        // The short pieces, each written with one store.
        let (open, close, separator) = (
            Literal::concat(b"=", quote),
            Literal::concat(quote, b""),
            Literal::concat(separator, b""),
        );
        with_bytes(out, |out| {
            Writer::run(out, |w| {
                let mut pending = true;
                let mut first = true;
                let mut start = |w: &mut Writer<'_>| {
                    if !first {
                        w.literal(separator);
                    }
                    first = false;
                };
                for (name, value) in params {
                    let (name_start, name_end) = name.range();
                    // The signature goes before the first name that sorts after it (encoded
                    // names sort as their bytes).
                    if pending && arena[name_start..name_end] >= *SIGNATURE {
                        pending = false;
                        start(w);
                        w.raw(SIGNATURE);
                        w.literal(open);
                        w.encode(signature);
                        w.literal(close);
                    }
                    // Kept encoded twice, as in the base string; sent encoded once.
                    start(w);
                    w.unescape_percent(arena.get(name_start..name_end).unwrap_or_default());
                    w.literal(open);
                    let (value_start, value_end) = value.range();
                    w.unescape_percent(arena.get(value_start..value_end).unwrap_or_default());
                    w.literal(close);
                }
                if pending {
                    start(w);
                    w.raw(SIGNATURE);
                    w.literal(open);
                    w.encode(signature);
                    w.literal(close);
                }
            });
        });
    }

    /// `url` without its fragment, with the protocol parameters added to its query (§3.5.3).
    pub fn url_with_parameters(&self, url: &str) -> String {
        let url = url.split_once('#').map_or(url, |(u, _)| u);
        let mut out = String::with_capacity(url.len() + 300);
        out.push_str(url);
        match url.find('?') {
            None => out.push('?'),
            Some(q) if q + 1 == url.len() || url.ends_with('&') => {}
            Some(_) => out.push('&'),
        }
        self.write_form_parameters(&mut out);
        out
    }

    /// `body` (a form, possibly empty) with the protocol parameters appended (§3.5.2).
    pub fn form_with_parameters(&self, body: &[u8]) -> Vec<u8> {
        let mut params = String::new();
        self.write_form_parameters(&mut params);
        let mut out = Vec::with_capacity(body.len() + params.len() + 1);
        out.extend_from_slice(body);
        if !body.is_empty() && !body.ends_with(b"&") {
            out.push(b'&');
        }
        out.extend_from_slice(params.as_bytes());
        out
    }
}

//! What a client needs to know about a service provider: [`ServiceProvider`], its
//! [`Endpoints`], and [`GenericProvider`], which builds one from plain URLs or a config file.

use std::fmt;

use http::{HeaderMap, Method, StatusCode};
use oauth1_core::Placement;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::problem::ProviderError;

/// An endpoint the client sends a signed request to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// The absolute URL (it may have a query of its own, which is kept and signed).
    pub url: String,
    /// The HTTP method (`POST` for token endpoints unless the provider says otherwise).
    #[serde(with = "method_serde", default = "post")]
    pub method: Method,
}

impl Endpoint {
    /// `POST url`.
    pub fn post(url: impl Into<String>) -> Self {
        Endpoint {
            url: url.into(),
            method: Method::POST,
        }
    }

    /// `GET url`.
    pub fn get(url: impl Into<String>) -> Self {
        Endpoint {
            url: url.into(),
            method: Method::GET,
        }
    }
}

fn post() -> Method {
    Method::POST
}

/// The endpoints of the dance (RFC 5849 §2). Plain data: override any field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoints {
    /// Temporary credentials (§2.1), e.g. `POST https://api.x.com/oauth/request_token`.
    pub request_token: Endpoint,
    /// Where the user is sent to authorize the request token (§2.2); a URL, not a request.
    pub authorize: String,
    /// "Sign in with …": like `authorize`, but skips the page for a user who already approved
    /// the app (Twitter's `/oauth/authenticate`).
    #[serde(default)]
    pub authenticate: Option<String>,
    /// Token credentials (§2.3), e.g. `POST https://api.x.com/oauth/access_token`.
    pub access_token: Endpoint,
    /// Revokes an access token, where the provider has such an endpoint.
    #[serde(default)]
    pub invalidate_token: Option<Endpoint>,
}

/// A service provider, as the client sees it.
///
/// Only [`endpoints`](ServiceProvider::endpoints) is required; everything else has the default
/// most providers want (HMAC-SHA1, Authorization header, no realm, no xAuth).
///
/// ```
/// use oauth1_flow::{Endpoint, Endpoints, ServiceProvider};
///
/// struct Garmin(Endpoints);
/// impl ServiceProvider for Garmin {
///     fn endpoints(&self) -> &Endpoints {
///         &self.0
///     }
///     fn realm(&self) -> Option<&str> {
///         Some("")
///     }
/// }
/// ```
pub trait ServiceProvider {
    /// The endpoints of the dance.
    fn endpoints(&self) -> &Endpoints;

    /// The `oauth_signature_method` to use (`HMAC-SHA1`, `HMAC-SHA256`, `HMAC-SHA512`,
    /// `PLAINTEXT`, or an RSA method, which needs a key: see [`Flow::with_method`](crate::Flow::with_method)).
    fn signature_method(&self) -> &str {
        "HMAC-SHA1"
    }

    /// Where the protocol parameters go.
    fn placement(&self) -> Placement {
        Placement::Header
    }

    /// The `realm` of the Authorization header, if the provider wants one.
    fn realm(&self) -> Option<&str> {
        None
    }

    /// Whether the provider exchanges a username and password for an access token (xAuth).
    fn supports_xauth(&self) -> bool {
        false
    }

    /// Extra parameters for the request-token request (e.g. Twitter's
    /// `x_auth_access_type=read`), added to its query and signed.
    fn request_token_params(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// Extra query parameters of the authorization URL (§2.2), before any the application
    /// passes to [`RequestToken::authorize_url`](crate::RequestToken::authorize_url) (which
    /// replace a provider's parameter of the same name): Flickr's `perms`, Trello's `name`,
    /// `scope` and `expiration`, SmugMug's `Access` and `Permissions`.
    fn authorize_params(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// Headers every request to this provider carries, added to the token requests and to each
    /// request a [`SignedClient`](crate::SignedClient) of this provider signs, unless the
    /// request already has that header (Discogs refuses requests without a `User-Agent`).
    fn headers(&self) -> HeaderMap {
        HeaderMap::new()
    }

    /// Whether the request-token response must say `oauth_callback_confirmed=true` (RFC 5849
    /// §2.1; OAuth 1.0a's defence against session fixation). Default `true`; `false` only for a
    /// provider that never sends it and issues request tokens to no one but a consumer it has
    /// already activated (Magento 2's integrations).
    fn requires_callback_confirmed(&self) -> bool {
        true
    }

    /// Reads an error response. The default understands Twitter's v1.1 and v2 shapes, the
    /// OAuth Problem Reporting form, and falls back to a snippet of the text.
    fn parse_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
        ProviderError::parse(status, headers, body)
    }
}

/// A reference, a `Box` or an `Arc` of a provider is that provider: `Flow<&P>`, `Flow<Arc<P>>`,
/// and `Flow<Arc<dyn ServiceProvider + Send + Sync>>` for a provider chosen at run time (from a
/// config file or a command line; an `Arc` is `Clone`, which signed clients need).
macro_rules! forward_service_provider {
    ($($pointer:ty),*) => {$(
        impl<P: ServiceProvider + ?Sized> ServiceProvider for $pointer {
            fn endpoints(&self) -> &Endpoints {
                (**self).endpoints()
            }
            fn signature_method(&self) -> &str {
                (**self).signature_method()
            }
            fn placement(&self) -> Placement {
                (**self).placement()
            }
            fn realm(&self) -> Option<&str> {
                (**self).realm()
            }
            fn supports_xauth(&self) -> bool {
                (**self).supports_xauth()
            }
            fn request_token_params(&self) -> Vec<(String, String)> {
                (**self).request_token_params()
            }
            fn authorize_params(&self) -> Vec<(String, String)> {
                (**self).authorize_params()
            }
            fn headers(&self) -> HeaderMap {
                (**self).headers()
            }
            fn requires_callback_confirmed(&self) -> bool {
                (**self).requires_callback_confirmed()
            }
            fn parse_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
                (**self).parse_error(status, headers, body)
            }
        }
    )*};
}

forward_service_provider!(&P, Box<P>, std::sync::Arc<P>);

/// A provider described by plain values: built in code or read from a config file.
///
/// ```
/// use oauth1_flow::GenericProvider;
///
/// let provider = GenericProvider::builder(
///     "https://api.example.com/oauth/request_token",
///     "https://api.example.com/oauth/authorize",
///     "https://api.example.com/oauth/access_token",
/// )
/// .signature_method("HMAC-SHA256")
/// .build()
/// .unwrap();
///
/// // The same from JSON (or TOML, with any serde format).
/// let from_config: GenericProvider = serde_json::from_str(r#"{
///     "request_token": {"url": "https://api.example.com/oauth/request_token"},
///     "authorize": "https://api.example.com/oauth/authorize",
///     "access_token": {"url": "https://api.example.com/oauth/access_token"},
///     "signature_method": "HMAC-SHA256"
/// }"#).unwrap();
/// assert_eq!(provider, from_config);
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenericProvider {
    #[serde(flatten)]
    endpoints: Endpoints,
    #[serde(default = "hmac_sha1")]
    signature_method: String,
    #[serde(default, with = "placement_serde")]
    placement: Placement,
    #[serde(default)]
    realm: Option<String>,
    #[serde(default)]
    xauth: bool,
    #[serde(default)]
    request_token_params: Vec<(String, String)>,
    #[serde(default)]
    authorize_params: Vec<(String, String)>,
    /// Header names and values, checked by the builder and when read from a file.
    #[serde(default, deserialize_with = "checked_headers")]
    headers: Vec<(String, String)>,
    #[serde(default = "yes")]
    callback_confirmed: bool,
}

fn yes() -> bool {
    true
}

fn hmac_sha1() -> String {
    "HMAC-SHA1".to_owned()
}

impl fmt::Debug for GenericProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GenericProvider")
            .field("endpoints", &self.endpoints)
            .field("signature_method", &self.signature_method)
            .field("placement", &self.placement)
            .field("realm", &self.realm)
            .field("xauth", &self.xauth)
            .field("request_token_params", &self.request_token_params)
            .field("authorize_params", &self.authorize_params)
            // Names only: a header from a config file may carry a key.
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("callback_confirmed", &self.callback_confirmed)
            .finish()
    }
}

impl GenericProvider {
    /// A builder from the three URLs of the dance (both token endpoints `POST`).
    pub fn builder(
        request_token_url: impl Into<String>,
        authorize_url: impl Into<String>,
        access_token_url: impl Into<String>,
    ) -> GenericProviderBuilder {
        GenericProviderBuilder(GenericProvider {
            endpoints: Endpoints {
                request_token: Endpoint::post(request_token_url),
                authorize: authorize_url.into(),
                authenticate: None,
                access_token: Endpoint::post(access_token_url),
                invalidate_token: None,
            },
            signature_method: hmac_sha1(),
            placement: Placement::Header,
            realm: None,
            xauth: false,
            request_token_params: Vec::new(),
            authorize_params: Vec::new(),
            headers: Vec::new(),
            callback_confirmed: true,
        })
    }

    /// A provider from its endpoints, with the defaults for everything else.
    pub fn from_endpoints(endpoints: Endpoints) -> Self {
        GenericProvider {
            endpoints,
            signature_method: hmac_sha1(),
            placement: Placement::Header,
            realm: None,
            xauth: false,
            request_token_params: Vec::new(),
            authorize_params: Vec::new(),
            headers: Vec::new(),
            callback_confirmed: true,
        }
    }

    /// The endpoints, to change any of them.
    pub fn endpoints_mut(&mut self) -> &mut Endpoints {
        &mut self.endpoints
    }

    fn check(&self) -> Result<(), Error> {
        oauth1_core::AnyMethod::from_name(&self.signature_method)
            .map(|_| ())
            .or_else(|e| match e {
                oauth1_core::Error::Misuse(oauth1_core::Misuse::RsaKeyRequired(_)) => Ok(()),
                other => Err(Error::Signing(other)),
            })?;
        let e = &self.endpoints;
        let mut urls = vec![
            ("request_token", e.request_token.url.as_str()),
            ("authorize", e.authorize.as_str()),
            ("access_token", e.access_token.url.as_str()),
        ];
        if let Some(a) = &e.authenticate {
            urls.push(("authenticate", a));
        }
        if let Some(i) = &e.invalidate_token {
            urls.push(("invalidate_token", &i.url));
        }
        for (what, url) in urls {
            crate::url::check_absolute(what, url)?;
        }
        for (name, value) in &self.headers {
            header_pair(name, value)?;
        }
        Ok(())
    }
}

/// A header of [`GenericProvider`]'s list, or why it is not one.
fn header_pair(name: &str, value: &str) -> Result<(http::HeaderName, http::HeaderValue), Error> {
    let name = http::HeaderName::try_from(name).map_err(|e| Error::Request(e.into()))?;
    let value = http::HeaderValue::try_from(value).map_err(|e| Error::Request(e.into()))?;
    Ok((name, value))
}

/// The `headers` of a config file, each checked to be a header name and value.
fn checked_headers<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<(String, String)>, D::Error> {
    let headers = Vec::<(String, String)>::deserialize(d)?;
    for (name, value) in &headers {
        header_pair(name, value).map_err(|_| {
            serde::de::Error::custom(format!(
                "`{name}` is not a header name, or its value is not a header value"
            ))
        })?;
    }
    Ok(headers)
}

/// Builds a [`GenericProvider`]; see [`GenericProvider::builder`].
#[derive(Debug, Clone)]
pub struct GenericProviderBuilder(GenericProvider);

impl GenericProviderBuilder {
    /// The "Sign in with …" URL.
    #[must_use]
    pub fn authenticate_url(mut self, url: impl Into<String>) -> Self {
        self.0.endpoints.authenticate = Some(url.into());
        self
    }

    /// The token revocation endpoint (`POST`).
    #[must_use]
    pub fn invalidate_token_url(mut self, url: impl Into<String>) -> Self {
        self.0.endpoints.invalidate_token = Some(Endpoint::post(url));
        self
    }

    /// The HTTP method of the request-token request (default `POST`).
    #[must_use]
    pub fn request_token_method(mut self, method: Method) -> Self {
        self.0.endpoints.request_token.method = method;
        self
    }

    /// The HTTP method of the access-token request (default `POST`).
    #[must_use]
    pub fn access_token_method(mut self, method: Method) -> Self {
        self.0.endpoints.access_token.method = method;
        self
    }

    /// The `oauth_signature_method` (default `HMAC-SHA1`).
    #[must_use]
    pub fn signature_method(mut self, name: impl Into<String>) -> Self {
        self.0.signature_method = name.into();
        self
    }

    /// Where the protocol parameters go (default the Authorization header).
    #[must_use]
    pub fn placement(mut self, placement: Placement) -> Self {
        self.0.placement = placement;
        self
    }

    /// The realm of the Authorization header.
    #[must_use]
    pub fn realm(mut self, realm: impl Into<String>) -> Self {
        self.0.realm = Some(realm.into());
        self
    }

    /// Whether the provider offers xAuth.
    #[must_use]
    pub fn xauth(mut self, offered: bool) -> Self {
        self.0.xauth = offered;
        self
    }

    /// An extra parameter for the request-token request.
    #[must_use]
    pub fn request_token_param(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.0
            .request_token_params
            .push((name.into(), value.into()));
        self
    }

    /// An extra query parameter of the authorization URL (see
    /// [`ServiceProvider::authorize_params`]).
    #[must_use]
    pub fn authorize_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.0.authorize_params.push((name.into(), value.into()));
        self
    }

    /// A header every request carries (see [`ServiceProvider::headers`]), e.g.
    /// `("User-Agent", "MyApp/1.0 +https://myapp.example")`; checked by [`build`](Self::build).
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.0.headers.push((name.into(), value.into()));
        self
    }

    /// Whether the request-token response must confirm the callback (default `true`; see
    /// [`ServiceProvider::requires_callback_confirmed`]).
    #[must_use]
    pub fn requires_callback_confirmed(mut self, required: bool) -> Self {
        self.0.callback_confirmed = required;
        self
    }

    /// The provider, after checking that the URLs are absolute, the method is known and the
    /// headers are headers.
    pub fn build(self) -> Result<GenericProvider, Error> {
        self.0.check()?;
        Ok(self.0)
    }
}

impl ServiceProvider for GenericProvider {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn signature_method(&self) -> &str {
        &self.signature_method
    }
    fn placement(&self) -> Placement {
        self.placement
    }
    fn realm(&self) -> Option<&str> {
        self.realm.as_deref()
    }
    fn supports_xauth(&self) -> bool {
        self.xauth
    }
    fn request_token_params(&self) -> Vec<(String, String)> {
        self.request_token_params.clone()
    }
    fn authorize_params(&self) -> Vec<(String, String)> {
        self.authorize_params.clone()
    }
    fn headers(&self) -> HeaderMap {
        self.headers
            .iter()
            .filter_map(|(n, v)| header_pair(n, v).ok())
            .collect()
    }
    fn requires_callback_confirmed(&self) -> bool {
        self.callback_confirmed
    }
}

mod method_serde {
    use http::Method;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(method: &Method, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(method.as_str())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Method, D::Error> {
        let name = String::deserialize(d)?;
        Method::from_bytes(name.to_ascii_uppercase().as_bytes())
            .map_err(|_| serde::de::Error::custom(format!("`{name}` is not an HTTP method")))
    }
}

pub(crate) mod placement_serde {
    use oauth1_core::Placement;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn name(p: Placement) -> &'static str {
        match p {
            Placement::Query => "query",
            Placement::Body => "body",
            _ => "header",
        }
    }

    pub(crate) fn serialize<S: Serializer>(p: &Placement, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(name(*p))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Placement, D::Error> {
        match String::deserialize(d)?.as_str() {
            "header" => Ok(Placement::Header),
            "query" => Ok(Placement::Query),
            "body" => Ok(Placement::Body),
            other => Err(serde::de::Error::custom(format!(
                "unknown placement `{other}` (header, query or body)"
            ))),
        }
    }
}

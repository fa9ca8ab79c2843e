//! WooCommerce's REST API over plain `http`: "one-legged" OAuth 1.0a, the consumer key and
//! secret alone (no token), the parameters in the query string.
//!
//! - Setup: WooCommerce > Settings > Advanced > REST API > Add key: a consumer key (`ck_…`)
//!   and secret (`cs_…`).
//! - Over `https` WooCommerce does not use OAuth: it takes the key and secret as HTTP Basic
//!   credentials (or as `consumer_key`/`consumer_secret` query parameters). OAuth 1.0a is
//!   only for `http` sites; [`WooCommerce::check`] says so.
//! - HMAC-SHA1 or HMAC-SHA256 (the default here); a timestamp within 15 minutes; each nonce
//!   once.
//! - Errors are WordPress REST errors: `{"code": "woocommerce_rest_authentication_error",
//!   "message": "Invalid signature - provided signature does not match.", "data":
//!   {"status": 401}}`, read into the [`ProviderError`]'s problem (title the code, detail the
//!   message).
//! - There is no OAuth dance: the endpoints of [`ServiceProvider`] point at the site's
//!   `/wc-auth/v1/authorize` page (where a store owner grants keys to an app, which WooCommerce
//!   then POSTs as JSON to the app: not OAuth) and are not for [`Flow`]'s token steps.
//!
//! Sources: WooCommerce REST API docs, "Authentication" (woocommerce.github.io/
//! woocommerce-rest-api-docs/#authentication), "Authentication over HTTP".

use http::{HeaderMap, StatusCode};
use oauth1_core::Placement;
use oauth1_flow::{
    ClientCredentials, Endpoint, Endpoints, Error, Flow, ProviderError, ServiceProvider,
    SignedClient,
};

use crate::base::{base_url, join, BaseUrlError};
use crate::check::{common, Finding, FindingKind, Inspected};
use crate::error_body;

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "woocommerce";
/// The signature methods WooCommerce accepts.
pub(crate) const METHODS: &[&str] = &["HMAC-SHA1", "HMAC-SHA256"];

/// The signature method (WooCommerce accepts both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WooMethod {
    /// HMAC-SHA1.
    HmacSha1,
    /// HMAC-SHA256 (the default).
    #[default]
    HmacSha256,
}

impl WooMethod {
    /// The `oauth_signature_method` value.
    pub fn as_str(self) -> &'static str {
        match self {
            WooMethod::HmacSha1 => "HMAC-SHA1",
            WooMethod::HmacSha256 => "HMAC-SHA256",
        }
    }
}

/// A WooCommerce site as a [`ServiceProvider`]: one-legged, query placement.
///
/// ```
/// use oauth1_flow::ClientCredentials;
/// use oauth1_providers::woocommerce::WooCommerce;
///
/// let shop = WooCommerce::new("http://shop.example.com")?;
/// let client = shop.clone().consumer_client(ClientCredentials::new("ck_key", "cs_secret"), ())?; // any transport
/// let mut request = client.prepare_get(&shop.api_url("products"), &[("per_page", "5")])?;
/// client.sign(&mut request, false)?;
/// let query = request.uri().query().unwrap_or_default();
/// assert!(query.contains("oauth_signature_method=HMAC-SHA256"));
/// assert!(!query.contains("oauth_token"));
/// assert!(shop.check(&request).is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WooCommerce {
    base: String,
    method: WooMethod,
    endpoints: Endpoints,
}

impl WooCommerce {
    /// The site at `base` (the WordPress home URL, e.g. `http://shop.example.com`).
    pub fn new(base: &str) -> Result<Self, BaseUrlError> {
        let base = base_url(base)?;
        let authorize = join(&base, "/wc-auth/v1/authorize");
        let endpoints = Endpoints {
            request_token: Endpoint::post(authorize.clone()),
            authorize: authorize.clone(),
            authenticate: None,
            access_token: Endpoint::post(authorize),
            invalidate_token: None,
        };
        Ok(WooCommerce {
            base,
            method: WooMethod::default(),
            endpoints,
        })
    }

    /// The signature method (default HMAC-SHA256).
    #[must_use]
    pub fn method(mut self, method: WooMethod) -> Self {
        self.method = method;
        self
    }

    /// The base URL, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The URL of a v3 REST path: `{base}/wp-json/wc/v3/{path}`.
    pub fn api_url(&self, path: &str) -> String {
        join(
            &self.base,
            &format!("/wp-json/wc/v3/{}", path.trim_start_matches('/')),
        )
    }

    /// A client that signs with the consumer key and secret alone (one-legged), parameters
    /// in the query.
    pub fn consumer_client<T>(
        self,
        consumer: ClientCredentials,
        transport: T,
    ) -> Result<SignedClient<T>, Error> {
        Flow::new(self, consumer)?.consumer_client(transport)
    }

    /// WooCommerce's own checks of a signed request: `http` (over `https` WooCommerce wants
    /// HTTP Basic), the parameters in the query, HMAC-SHA1 or HMAC-SHA256, no token.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        check(request)
    }
}

pub(crate) fn check<B: AsRef<[u8]>>(request: &http::Request<B>) -> Vec<Finding> {
    let seen = Inspected::read(request);
    let mut out = Vec::new();
    if seen.scheme == "https" {
        out.push(Finding::new(
            NAME,
            FindingKind::Scheme {
                found: "https".into(),
                expected: "http (over https WooCommerce takes the key and secret as HTTP Basic credentials)",
            },
        ));
    }
    if !common(NAME, &seen, Placement::Query, METHODS, &mut out) {
        return out;
    }
    if seen.has_token() {
        out.push(Finding::new(NAME, FindingKind::UnexpectedToken));
    }
    out
}

impl ServiceProvider for WooCommerce {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn signature_method(&self) -> &str {
        self.method.as_str()
    }
    fn placement(&self) -> Placement {
        Placement::Query
    }
    fn parse_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
        parse_error(status, headers, body)
    }
}

/// Reads a WordPress REST error (`{"code", "message", "data"}`); anything else as the default
/// does.
pub fn parse_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
    let json = error_body::json(body);
    match json.as_ref().and_then(|j| {
        Some((
            error_body::str_of(j, "code")?,
            error_body::str_of(j, "message"),
        ))
    }) {
        Some((code, message)) => {
            error_body::with_problem(status, headers, body, code, message.map(str::to_owned))
        }
        None => ProviderError::parse(status, headers, body),
    }
}

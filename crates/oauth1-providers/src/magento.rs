//! Magento 2 (Adobe Commerce, Magento Open Source) integrations: OAuth 1.0a with HMAC-SHA256,
//! started by the store, not by the user.
//!
//! - Setup: System > Extensions > Integrations > Add New Integration, with your Callback URL
//!   (where the store posts the credentials) and Identity link URL (your login page), and the
//!   API resources it may use.
//! - Activation: when the merchant activates the integration, the store POSTs
//!   `oauth_consumer_key`, `oauth_consumer_secret`, `store_base_url` and `oauth_verifier` to
//!   your Callback URL: [`Activation::parse`] reads that form. Then the integration asks for a
//!   request token (`POST /oauth/token/request`) and an access token (`POST
//!   /oauth/token/access`) with that verifier: [`Activation::flow`] and
//!   [`Activation::verifier`]. Magento sends no `oauth_callback_confirmed`, so the preset does
//!   not require it ([`ServiceProvider::requires_callback_confirmed`] is `false`).
//! - Tokens shown in the admin (the integration's "Access Token" and "Access Token Secret")
//!   sign calls directly: [`Magento::issued_token`].
//! - Calls: `{store}/rest/V1/…` (or `/rest/{store_code}/V1/…`), Authorization header.
//! - Errors: the token endpoints answer the OAuth Problem Reporting form
//!   (`oauth_problem=…`); the REST API answers `{"message": "The consumer isn't authorized to
//!   access %resources.", "parameters": {"resources": "Magento_Catalog::products"}}`, read with
//!   its `%name` placeholders filled in.
//!
//! Sources: Adobe Commerce developer docs, "OAuth-based authentication"
//! (developer.adobe.com/commerce/webapi/get-started/authentication/gs-authentication-oauth).

use std::fmt;

use http::{HeaderMap, StatusCode};
use oauth1_core::{Placement, Secret};
use oauth1_flow::{
    AccessToken, ClientCredentials, Endpoint, Endpoints, Error, Flow, ProviderError, RequestToken,
    ServiceProvider, Verifier,
};

use crate::base::{base_url, join, BaseUrlError};
use crate::check::{common, Finding, Inspected};
use crate::error_body;

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "magento";
/// The signature methods Magento 2 accepts ("The following methods are supported:
/// HMAC-SHA256", its OAuth error codes say).
pub(crate) const METHODS: &[&str] = &["HMAC-SHA256"];

/// A Magento 2 store as a [`ServiceProvider`]: HMAC-SHA256 in the Authorization header,
/// `/oauth/token/request` and `/oauth/token/access` under the store's base URL.
///
/// ```
/// use oauth1_flow::{ClientCredentials, ServiceProvider};
/// use oauth1_providers::magento::Magento;
///
/// let store = Magento::new("https://store.example.com")?;
/// assert_eq!(store.endpoints().access_token.url, "https://store.example.com/oauth/token/access");
/// assert!(!store.requires_callback_confirmed());
///
/// // An integration's tokens, as the admin shows them:
/// let flow = store.clone().flow(ClientCredentials::new("consumer key", "consumer secret"))?;
/// let token = Magento::issued_token("access token", "access token secret");
/// let client = flow.signed_client((), &token)?; // any transport in place of ()
/// let url = store.api_url("/V1/products?searchCriteria[pageSize]=5");
/// assert_eq!(url, "https://store.example.com/rest/V1/products?searchCriteria[pageSize]=5");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Magento {
    base: String,
    endpoints: Endpoints,
}

impl Magento {
    /// The store at `base` (its base URL, as the activation's `store_base_url` gives it).
    pub fn new(base: &str) -> Result<Self, BaseUrlError> {
        Ok(Magento::at(base_url(base)?))
    }

    /// The store at a base URL already checked.
    fn at(base: String) -> Self {
        let endpoints = Endpoints {
            request_token: Endpoint::post(join(&base, "/oauth/token/request")),
            // Integrations have no authorization page: the verifier comes with the activation.
            authorize: join(&base, "/admin/integration"),
            authenticate: None,
            access_token: Endpoint::post(join(&base, "/oauth/token/access")),
            invalidate_token: None,
        };
        Magento { base, endpoints }
    }

    /// The base URL, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The URL of a REST path: `{base}/rest{path}` (`/V1/products`, `/default/V1/orders`).
    pub fn api_url(&self, path: &str) -> String {
        join(
            &self.base,
            &format!("/rest/{}", path.trim_start_matches('/')),
        )
    }

    /// A flow with the integration's consumer key and secret (HMAC-SHA256).
    pub fn flow(self, consumer: ClientCredentials) -> Result<Flow<Magento>, Error> {
        Flow::new(self, consumer)
    }

    /// An integration's access token and secret as the admin shows them.
    pub fn issued_token(token: impl Into<String>, secret: impl Into<String>) -> AccessToken {
        AccessToken::new(token, Secret::new(secret))
    }

    /// Magento's own checks of a signed request: HMAC-SHA256 in the Authorization header.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        let seen = Inspected::read(request);
        let mut out = Vec::new();
        common(NAME, &seen, Placement::Header, METHODS, &mut out);
        out
    }
}

impl ServiceProvider for Magento {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn signature_method(&self) -> &str {
        "HMAC-SHA256"
    }
    fn requires_callback_confirmed(&self) -> bool {
        false
    }
    fn parse_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
        parse_error(status, headers, body)
    }
}

/// Reads Magento's REST error (`{"message", "parameters"}`, placeholders filled in); the
/// token endpoints' OAuth Problem Reporting form and anything else as the default does.
pub fn parse_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
    let Some(json) = error_body::json(body) else {
        return ProviderError::parse(status, headers, body);
    };
    let Some(message) = error_body::str_of(&json, "message") else {
        return ProviderError::parse(status, headers, body);
    };
    let mut text = message.to_owned();
    match json.get("parameters") {
        Some(serde_json::Value::Object(map)) => {
            for (name, value) in map.iter().take(16) {
                if let Some(v) = value.as_str() {
                    text = text.replace(&format!("%{name}"), v);
                }
            }
        }
        Some(serde_json::Value::Array(list)) => {
            for (i, value) in list.iter().enumerate().take(16) {
                if let Some(v) = value.as_str() {
                    text = text.replace(&format!("%{}", i + 1), v);
                }
            }
        }
        _ => {}
    }
    error_body::with_problem(status, headers, body, &text, None)
}

/// At most this many bytes of an activation body are read (the real one is a few hundred).
pub const MAX_ACTIVATION: usize = 8 * 1024;

/// The four fields of an activation, in the order the errors name them.
const FIELDS: [&str; 4] = [
    "oauth_consumer_key",
    "oauth_consumer_secret",
    "store_base_url",
    "oauth_verifier",
];

/// Why an activation POST was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActivationError {
    /// The body is longer than [`MAX_ACTIVATION`].
    #[error("the activation body is larger than {limit} bytes: it is not a Magento activation")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The request's content type is not a form.
    #[error("the activation is not a form (Content-Type application/x-www-form-urlencoded)")]
    NotForm,
    /// The body is not UTF-8 or not a valid form encoding.
    #[error("the activation body is not a UTF-8 form encoding")]
    Encoding,
    /// A field is missing or empty.
    #[error("the activation has no `{0}`: check the integration's Callback URL points here and that Magento posts all four fields")]
    Missing(&'static str),
    /// A field is given twice.
    #[error("the activation gives `{0}` twice")]
    Duplicate(&'static str),
    /// `store_base_url` is not an absolute http(s) URL.
    #[error("the activation's store_base_url is not an absolute http(s) URL")]
    StoreUrl(#[source] BaseUrlError),
}

/// What a store posts when the merchant activates an integration.
///
/// ```
/// use oauth1_flow::ServiceProvider;
/// use oauth1_providers::magento::Activation;
///
/// let body = b"oauth_consumer_key=ck&oauth_consumer_secret=cs&store_base_url=https%3A%2F%2Fstore.example.com%2F&oauth_verifier=v";
/// let activation = Activation::parse(body)?;
/// assert_eq!(activation.consumer_key(), "ck");
/// assert_eq!(activation.store_base_url(), "https://store.example.com");
/// assert!(!format!("{activation:?}").contains("cs"));
///
/// // Then: the request token, the verifier, the access token (see `Activation::flow`).
/// let flow = activation.flow()?;
/// assert_eq!(flow.provider().endpoints().request_token.url, "https://store.example.com/oauth/token/request");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Activation {
    consumer_key: String,
    consumer_secret: Secret,
    store_base_url: String,
    verifier: Secret,
}

impl fmt::Debug for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Activation")
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &self.consumer_secret)
            .field("store_base_url", &self.store_base_url)
            .field("verifier", &self.verifier)
            .finish()
    }
}

impl Activation {
    /// Reads the form body of the activation POST: at most [`MAX_ACTIVATION`] bytes, UTF-8,
    /// each of the four fields exactly once and not empty, `store_base_url` an absolute
    /// http(s) URL. Other fields are ignored.
    pub fn parse(body: &[u8]) -> Result<Self, ActivationError> {
        if body.len() > MAX_ACTIVATION {
            return Err(ActivationError::TooLarge {
                limit: MAX_ACTIVATION,
            });
        }
        let text = std::str::from_utf8(body).map_err(|_| ActivationError::Encoding)?;
        let pairs =
            oauth1_core::encode::form_decode_str(text).map_err(|_| ActivationError::Encoding)?;
        let mut found: [Option<String>; 4] = Default::default();
        for (name, value) in pairs {
            if let Some(i) = FIELDS.iter().position(|f| *f == name) {
                if found[i].is_some() {
                    return Err(ActivationError::Duplicate(FIELDS[i]));
                }
                found[i] = Some(value);
            }
        }
        let mut take = |i: usize| {
            found[i]
                .take()
                .filter(|v| !v.trim().is_empty())
                .ok_or(ActivationError::Missing(FIELDS[i]))
        };
        let consumer_key = take(0)?;
        let consumer_secret = Secret::new(take(1)?);
        let store = take(2)?;
        let verifier = Secret::new(take(3)?);
        let store_base_url = base_url(&store).map_err(ActivationError::StoreUrl)?;
        Ok(Activation {
            consumer_key,
            consumer_secret,
            store_base_url,
            verifier,
        })
    }

    /// [`Activation::parse`] of a request: its `Content-Type` must be a form.
    pub fn from_request<B: AsRef<[u8]>>(
        request: &http::Request<B>,
    ) -> Result<Self, ActivationError> {
        let is_form = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(oauth1_core::is_form_content_type);
        if !is_form {
            return Err(ActivationError::NotForm);
        }
        Activation::parse(request.body().as_ref())
    }

    /// `oauth_consumer_key`.
    pub fn consumer_key(&self) -> &str {
        &self.consumer_key
    }

    /// `oauth_consumer_secret`.
    pub fn consumer_secret(&self) -> &Secret {
        &self.consumer_secret
    }

    /// `store_base_url`, without a trailing `/`.
    pub fn store_base_url(&self) -> &str {
        &self.store_base_url
    }

    /// `oauth_verifier`.
    pub fn oauth_verifier(&self) -> &Secret {
        &self.verifier
    }

    /// The consumer's credentials.
    pub fn credentials(&self) -> ClientCredentials {
        ClientCredentials::new(self.consumer_key.clone(), self.consumer_secret.clone())
    }

    /// The store as a preset.
    pub fn magento(&self) -> Magento {
        Magento::at(self.store_base_url.clone())
    }

    /// The flow of the token exchange: ask it for a request token (any callback: Magento does
    /// not use it), then pass the request token to [`Activation::verifier`] and ask for the
    /// access token with what it returns.
    ///
    /// ```no_run
    /// # async fn run(body: &[u8], transport: impl oauth1_flow::HttpClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use oauth1_flow::Callback;
    /// let activation = oauth1_providers::magento::Activation::parse(body)?;
    /// let flow = activation.flow()?;
    /// let request_token = flow.request_token(&transport, Callback::Oob).await?;
    /// let verifier = activation.verifier(&request_token)?;
    /// let token = flow.access_token(&transport, &verifier).await?;
    /// # Ok(()) }
    /// ```
    pub fn flow(&self) -> Result<Flow<Magento>, Error> {
        self.magento().flow(self.credentials())
    }

    /// The activation's `oauth_verifier`, bound to the request token the store issued.
    pub fn verifier(&self, request_token: &RequestToken) -> Result<Verifier, Error> {
        request_token.verifier_from_pin(self.verifier.secret())
    }
}

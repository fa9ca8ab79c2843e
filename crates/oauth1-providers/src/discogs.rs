//! Discogs: OAuth 1.0a with PLAINTEXT or HMAC-SHA1, and a `User-Agent` on every request.
//!
//! - Setup: Settings > Developers (www.discogs.com/settings/developers) registers an
//!   application: a consumer key and secret.
//! - Discogs refuses requests without a `User-Agent` that names the application: the preset
//!   takes yours ([`Discogs::new`]) and adds it to the token requests and to every signed
//!   call.
//! - Endpoints: `GET https://api.discogs.com/oauth/request_token`,
//!   `https://www.discogs.com/oauth/authorize`, `POST https://api.discogs.com/oauth/access_token`;
//!   `GET https://api.discogs.com/oauth/identity` tells whose token it is.
//! - PLAINTEXT (Discogs' own examples, over https only) or HMAC-SHA1 (the default here).
//! - Errors: `{"message": "You must authenticate to access this resource."}`, read as the
//!   [`ProviderError`]'s problem.
//! - The token response carries nothing beyond the token.
//!
//! Source: Discogs API documentation, "Authentication" (www.discogs.com/developers/#page:
//! authentication).

use http::{HeaderMap, HeaderValue, StatusCode};
use oauth1_core::Placement;
use oauth1_flow::{Endpoint, Endpoints, ProviderError, ServiceProvider};

use crate::base::{base_url, join, BaseUrlError};
use crate::check::{common, Finding, FindingKind, Inspected};
use crate::error_body;

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "discogs";
/// The signature methods Discogs accepts.
pub(crate) const METHODS: &[&str] = &["PLAINTEXT", "HMAC-SHA1"];

/// Why a user agent was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UserAgentError {
    /// Empty or blank.
    #[error("the Discogs user agent is empty: name your application, e.g. `MyApp/1.0 +https://myapp.example`")]
    Empty,
    /// Not a header value (control characters, line breaks), or longer than 256 bytes.
    #[error("the Discogs user agent is not a valid header value of at most 256 bytes: use printable ASCII, e.g. `MyApp/1.0 +https://myapp.example`")]
    Invalid,
}

/// The signature method (Discogs accepts both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DiscogsMethod {
    /// PLAINTEXT (over https).
    Plaintext,
    /// HMAC-SHA1 (the default).
    #[default]
    HmacSha1,
}

impl DiscogsMethod {
    /// The `oauth_signature_method` value.
    pub fn as_str(self) -> &'static str {
        match self {
            DiscogsMethod::Plaintext => "PLAINTEXT",
            DiscogsMethod::HmacSha1 => "HMAC-SHA1",
        }
    }
}

/// Discogs as a [`ServiceProvider`].
///
/// ```
/// use oauth1_flow::ServiceProvider;
/// use oauth1_providers::discogs::Discogs;
///
/// let discogs = Discogs::new("MyApp/1.0 +https://myapp.example")?;
/// assert_eq!(discogs.headers()["user-agent"], "MyApp/1.0 +https://myapp.example");
/// assert!(Discogs::new("").is_err());
/// # Ok::<(), oauth1_providers::discogs::UserAgentError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discogs {
    api: String,
    user_agent: HeaderValue,
    method: DiscogsMethod,
    endpoints: Endpoints,
}

impl Discogs {
    /// Discogs' hosts, with the application's user agent.
    pub fn new(user_agent: &str) -> Result<Self, UserAgentError> {
        Ok(Discogs::hosts(
            "https://api.discogs.com",
            "https://www.discogs.com",
            user_agent_value(user_agent)?,
        ))
    }

    /// Every host pointed at `base` (the local provider in tests).
    #[must_use = "the preset with its hosts replaced"]
    pub fn with_base(self, base: &str) -> Result<Self, BaseUrlError> {
        let base = base_url(base)?;
        Ok(Discogs {
            method: self.method,
            ..Discogs::hosts(&base, &base, self.user_agent)
        })
    }

    fn hosts(api: &str, www: &str, user_agent: HeaderValue) -> Self {
        Discogs {
            api: api.to_owned(),
            user_agent,
            method: DiscogsMethod::default(),
            endpoints: Endpoints {
                request_token: Endpoint::get(join(api, "/oauth/request_token")),
                authorize: join(www, "/oauth/authorize"),
                authenticate: None,
                access_token: Endpoint::post(join(api, "/oauth/access_token")),
                invalidate_token: None,
            },
        }
    }

    /// The signature method (default HMAC-SHA1).
    #[must_use]
    pub fn method(mut self, method: DiscogsMethod) -> Self {
        self.method = method;
        self
    }

    /// The URL of an API path (`/oauth/identity`, `/users/{name}/collection/folders`).
    pub fn api_url(&self, path: &str) -> String {
        join(&self.api, path)
    }

    /// Discogs' checks of a signed request: a `User-Agent`, PLAINTEXT or HMAC-SHA1 in the
    /// Authorization header, PLAINTEXT only over https.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        let seen = Inspected::read(request);
        let mut out = Vec::new();
        if !seen.has_user_agent {
            out.push(Finding::new(
                NAME,
                FindingKind::MissingHeader { name: "User-Agent" },
            ));
        }
        if common(NAME, &seen, Placement::Header, METHODS, &mut out)
            && seen.method_name() == Some("PLAINTEXT")
            && seen.scheme == "http"
        {
            out.push(Finding::new(
                NAME,
                FindingKind::Scheme {
                    found: "http".into(),
                    expected: "https (a PLAINTEXT signature is the two secrets in clear)",
                },
            ));
        }
        out
    }
}

fn user_agent_value(user_agent: &str) -> Result<HeaderValue, UserAgentError> {
    let ua = user_agent.trim();
    if ua.is_empty() {
        return Err(UserAgentError::Empty);
    }
    if ua.len() > 256 || !ua.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(UserAgentError::Invalid);
    }
    HeaderValue::from_str(ua).map_err(|_| UserAgentError::Invalid)
}

impl ServiceProvider for Discogs {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn signature_method(&self) -> &str {
        self.method.as_str()
    }
    fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::USER_AGENT, self.user_agent.clone());
        headers
    }
    fn parse_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
        parse_error(status, headers, body)
    }
}

/// Reads Discogs' `{"message": "…"}`; anything else as the default does.
pub fn parse_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
    match error_body::json(body)
        .as_ref()
        .and_then(|j| error_body::str_of(j, "message").map(str::to_owned))
    {
        Some(message) => error_body::with_problem(status, headers, body, &message, None),
        None => ProviderError::parse(status, headers, body),
    }
}

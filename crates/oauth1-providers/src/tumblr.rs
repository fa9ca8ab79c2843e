//! Tumblr: OAuth 1.0a with HMAC-SHA1.
//!
//! - Setup: www.tumblr.com/oauth/apps registers an application (an "OAuth consumer key" and
//!   secret).
//! - Endpoints: `POST https://www.tumblr.com/oauth/request_token`,
//!   `https://www.tumblr.com/oauth/authorize`, `POST https://www.tumblr.com/oauth/access_token`;
//!   API calls go to `https://api.tumblr.com/v2/`.
//! - Errors: `{"meta": {"status": 401, "msg": "Unauthorized"}, "response": [], "errors":
//!   [{"title": "Unauthorized", "code": 1016, "detail": "…"}]}`, read as numbered errors.
//! - The token response carries nothing beyond the token.
//!
//! Source: Tumblr API v2 documentation, "Authentication" (www.tumblr.com/docs/en/api/v2).

use http::{HeaderMap, StatusCode};
use oauth1_core::Placement;
use oauth1_flow::{Endpoint, Endpoints, ErrorCode, ProviderError, ServiceProvider};

use crate::base::{base_url, join, BaseUrlError};
use crate::check::{common, Finding, Inspected};
use crate::error_body;

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "tumblr";
/// The signature methods Tumblr accepts.
pub(crate) const METHODS: &[&str] = &["HMAC-SHA1"];

/// Tumblr as a [`ServiceProvider`].
///
/// ```
/// use oauth1_flow::ServiceProvider;
/// use oauth1_providers::tumblr::Tumblr;
///
/// let tumblr = Tumblr::new();
/// assert_eq!(tumblr.endpoints().authorize, "https://www.tumblr.com/oauth/authorize");
/// assert_eq!(tumblr.api_url("/user/info"), "https://api.tumblr.com/v2/user/info");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tumblr {
    api: String,
    endpoints: Endpoints,
}

impl Default for Tumblr {
    fn default() -> Self {
        Tumblr::new()
    }
}

impl Tumblr {
    /// Tumblr's hosts.
    pub fn new() -> Self {
        Tumblr::hosts("https://www.tumblr.com", "https://api.tumblr.com")
    }

    /// Every host pointed at `base` (the local provider in tests).
    pub fn with_base(base: &str) -> Result<Self, BaseUrlError> {
        let base = base_url(base)?;
        Ok(Tumblr::hosts(&base, &base))
    }

    fn hosts(www: &str, api: &str) -> Self {
        Tumblr {
            api: api.to_owned(),
            endpoints: Endpoints {
                request_token: Endpoint::post(join(www, "/oauth/request_token")),
                authorize: join(www, "/oauth/authorize"),
                authenticate: None,
                access_token: Endpoint::post(join(www, "/oauth/access_token")),
                invalidate_token: None,
            },
        }
    }

    /// The URL of an API path: `https://api.tumblr.com/v2/{path}`.
    pub fn api_url(&self, path: &str) -> String {
        join(&self.api, &format!("/v2/{}", path.trim_start_matches('/')))
    }

    /// Tumblr's checks of a signed request: HMAC-SHA1 in the Authorization header.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        let seen = Inspected::read(request);
        let mut out = Vec::new();
        common(NAME, &seen, Placement::Header, METHODS, &mut out);
        out
    }
}

impl ServiceProvider for Tumblr {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn parse_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
        parse_error(status, headers, body)
    }
}

/// Reads Tumblr's `{"meta", "errors": [{"title", "code", "detail"}]}`; anything else as the
/// default does.
pub fn parse_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
    let Some(json) = error_body::json(body) else {
        return ProviderError::parse(status, headers, body);
    };
    let mut codes: Vec<ErrorCode> = json
        .get("errors")
        .and_then(serde_json::Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .take(8)
                .map(|e| {
                    let title = error_body::str_of(e, "title").unwrap_or("");
                    let detail = error_body::str_of(e, "detail").unwrap_or("");
                    let message = match (title.is_empty(), detail.is_empty()) {
                        (false, false) => format!("{title}: {detail}"),
                        (false, true) => title.to_owned(),
                        _ => detail.to_owned(),
                    };
                    ErrorCode {
                        code: e
                            .get("code")
                            .and_then(serde_json::Value::as_i64)
                            .unwrap_or(0),
                        message: error_body::text(&message),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    if codes.is_empty() {
        if let Some(meta) = json.get("meta") {
            if let Some(msg) = error_body::str_of(meta, "msg") {
                codes.push(ErrorCode {
                    code: meta
                        .get("status")
                        .and_then(serde_json::Value::as_i64)
                        .unwrap_or(0),
                    message: error_body::text(msg),
                });
            }
        }
    }
    if codes.is_empty() {
        return ProviderError::parse(status, headers, body);
    }
    error_body::with_codes(status, headers, body, codes)
}

//! Flickr: OAuth 1.0a with HMAC-SHA1, a `perms` parameter on the authorization page, and the
//! user's NSID, username and full name in the access-token response.
//!
//! - Setup: The App Garden (flickr.com/services/apps/create) gives a key and secret.
//! - Endpoints: `https://www.flickr.com/services/oauth/request_token`, `…/authorize` (with
//!   `perms=read|write|delete`), `…/access_token`; Flickr's documentation shows the token
//!   requests as `GET` with the parameters in the query, which the preset follows. API calls go
//!   to `https://api.flickr.com/services/rest`.
//! - The access-token response: `fullname`, `oauth_token`, `oauth_token_secret`, `user_nsid`,
//!   `username`: [`FlickrToken`].
//! - Errors: the token endpoints answer the OAuth Problem Reporting form
//!   (`oauth_problem=signature_invalid&debug_sbs=…`: the base string Flickr computed); the API
//!   answers `{"stat": "fail", "code": 98, "message": "Invalid auth token"}` (with
//!   `format=json&nojsoncallback=1`), read as a numbered error.
//!
//! Source: Flickr, "User Authentication" (www.flickr.com/services/api/auth.oauth.html).

use http::{HeaderMap, StatusCode};
use oauth1_core::Placement;
use oauth1_flow::{AccessToken, Endpoint, Endpoints, ErrorCode, ProviderError, ServiceProvider};

use crate::base::{base_url, join, BaseUrlError};
use crate::check::{common, Finding, Inspected};
use crate::error_body;

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "flickr";
/// The signature methods Flickr accepts.
pub(crate) const METHODS: &[&str] = &["HMAC-SHA1"];

/// What the app asks for on the authorization page (`perms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Perms {
    /// Read private data.
    Read,
    /// Read and write (includes read).
    Write,
    /// Read, write and delete (includes write).
    Delete,
}

impl Perms {
    /// The values, as on the command line.
    pub const NAMES: &'static [&'static str] = &["read", "write", "delete"];

    /// The parameter's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Perms::Read => "read",
            Perms::Write => "write",
            Perms::Delete => "delete",
        }
    }

    /// The value of a name (`read`, `write`, `delete`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "read" => Some(Perms::Read),
            "write" => Some(Perms::Write),
            "delete" => Some(Perms::Delete),
            _ => None,
        }
    }
}

/// Flickr as a [`ServiceProvider`].
///
/// ```
/// use oauth1_flow::ServiceProvider;
/// use oauth1_providers::flickr::{Flickr, Perms};
///
/// let flickr = Flickr::new().perms(Perms::Write);
/// assert_eq!(flickr.authorize_params(), [("perms".to_owned(), "write".to_owned())]);
/// assert_eq!(flickr.endpoints().request_token.url, "https://www.flickr.com/services/oauth/request_token");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flickr {
    api: String,
    perms: Perms,
    endpoints: Endpoints,
}

impl Default for Flickr {
    fn default() -> Self {
        Flickr::new()
    }
}

impl Flickr {
    /// Flickr's hosts, `perms=read`.
    pub fn new() -> Self {
        Flickr::hosts("https://www.flickr.com", "https://api.flickr.com")
    }

    /// Every host pointed at `base` (the local provider in tests).
    pub fn with_base(base: &str) -> Result<Self, BaseUrlError> {
        let base = base_url(base)?;
        Ok(Flickr::hosts(&base, &base))
    }

    fn hosts(www: &str, api: &str) -> Self {
        Flickr {
            api: api.to_owned(),
            perms: Perms::Read,
            endpoints: Endpoints {
                request_token: Endpoint::get(join(www, "/services/oauth/request_token")),
                authorize: join(www, "/services/oauth/authorize"),
                authenticate: None,
                access_token: Endpoint::get(join(www, "/services/oauth/access_token")),
                invalidate_token: None,
            },
        }
    }

    /// The permission asked for (default `read`).
    #[must_use]
    pub fn perms(mut self, perms: Perms) -> Self {
        self.perms = perms;
        self
    }

    /// The REST endpoint, `https://api.flickr.com/services/rest`.
    pub fn rest_url(&self) -> String {
        join(&self.api, "/services/rest")
    }

    /// Flickr's checks of a signed request: HMAC-SHA1.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        let seen = Inspected::read(request);
        let mut out = Vec::new();
        // Flickr reads the parameters from the query or the header alike.
        let placement = seen.places.first().copied().unwrap_or(Placement::Query);
        common(NAME, &seen, placement, METHODS, &mut out);
        out
    }
}

impl ServiceProvider for Flickr {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn placement(&self) -> Placement {
        Placement::Query
    }
    fn authorize_params(&self) -> Vec<(String, String)> {
        vec![("perms".into(), self.perms.as_str().into())]
    }
    fn parse_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
        parse_error(status, headers, body)
    }
}

/// Reads Flickr's API error (`{"stat": "fail", "code", "message"}`) as a numbered error; the
/// OAuth Problem Reporting form and anything else as the default does.
pub fn parse_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
    let json = error_body::json(body);
    if let Some(json) = json.filter(|j| error_body::str_of(j, "stat") == Some("fail")) {
        let code = json
            .get("code")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(0);
        let message = error_body::text(error_body::str_of(&json, "message").unwrap_or(""));
        return error_body::with_codes(status, headers, body, vec![ErrorCode { code, message }]);
    }
    ProviderError::parse(status, headers, body)
}

/// What Flickr's access-token response carries beyond the token.
///
/// ```
/// use oauth1_providers::flickr::FlickrToken;
/// # let token: oauth1_flow::AccessToken = serde_json::from_str(r#"{"token":"t","secret":"s","fields":[["fullname","Jamal Fanaian"],["user_nsid","21207597@N07"],["username","jamalfanaian"]]}"#).unwrap();
/// let flickr = FlickrToken::from(&token);
/// assert_eq!(flickr.user_nsid(), Some("21207597@N07"));
/// assert_eq!(flickr.username(), Some("jamalfanaian"));
/// assert_eq!(flickr.fullname(), Some("Jamal Fanaian"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FlickrToken<'a>(&'a AccessToken);

impl<'a> From<&'a AccessToken> for FlickrToken<'a> {
    fn from(token: &'a AccessToken) -> Self {
        FlickrToken(token)
    }
}

impl<'a> FlickrToken<'a> {
    /// `user_nsid`: the user's id (`21207597@N07`).
    pub fn user_nsid(&self) -> Option<&'a str> {
        self.0.field("user_nsid")
    }

    /// `username`.
    pub fn username(&self) -> Option<&'a str> {
        self.0.field("username")
    }

    /// `fullname` (may be empty).
    pub fn fullname(&self) -> Option<&'a str> {
        self.0.field("fullname")
    }
}

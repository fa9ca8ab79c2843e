//! Trello: OAuth 1.0a with HMAC-SHA1, and `name`, `scope` and `expiration` on the
//! authorization page.
//!
//! - Setup: the Power-Up admin portal (trello.com/power-ups/admin) gives an API key and a
//!   secret.
//! - Endpoints: `POST https://trello.com/1/OAuthGetRequestToken`,
//!   `https://trello.com/1/OAuthAuthorizeToken` (with `name`, `scope=read,write,account` and
//!   `expiration=1hour|1day|30days|never`), `POST https://trello.com/1/OAuthGetAccessToken`;
//!   API calls go to `https://api.trello.com/1/`.
//! - Errors are plain text (`invalid signature`, `invalid token`), read as the body's snippet.
//! - The token response carries nothing beyond the token.
//!
//! Sources: Atlassian, "Authorizing With Trello's REST API" (developer.atlassian.com/cloud/
//! trello/guides/rest-api/authorization/).

use oauth1_core::Placement;
use oauth1_flow::{Endpoint, Endpoints, ServiceProvider};

use crate::base::{base_url, join, BaseUrlError};
use crate::check::{common, Finding, Inspected};

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "trello";
/// The signature methods Trello accepts.
pub(crate) const METHODS: &[&str] = &["HMAC-SHA1"];

/// One of the scopes asked for (`scope=read,write`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Read boards, lists, cards.
    Read,
    /// Write them.
    Write,
    /// Read the member's email, write member information.
    Account,
}

impl Scope {
    /// The values, as on the command line.
    pub const NAMES: &'static [&'static str] = &["read", "write", "account"];

    /// The parameter's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Account => "account",
        }
    }

    /// The value of a name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            "account" => Some(Scope::Account),
            _ => None,
        }
    }

    /// A comma-separated list (`read,write`), or the first name that is not a scope.
    pub fn parse_list(list: &str) -> Result<Vec<Scope>, String> {
        let mut out = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let scope = Scope::from_name(name).ok_or_else(|| crate::base::shown(name))?;
            if !out.contains(&scope) {
                out.push(scope);
            }
        }
        if out.is_empty() {
            return Err(crate::base::shown(list));
        }
        Ok(out)
    }
}

/// How long the token lasts (`expiration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expiration {
    /// `1hour`.
    OneHour,
    /// `1day`.
    OneDay,
    /// `30days` (Trello's default).
    ThirtyDays,
    /// `never`.
    Never,
}

impl Expiration {
    /// The values, as on the command line.
    pub const NAMES: &'static [&'static str] = &["1hour", "1day", "30days", "never"];

    /// The parameter's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Expiration::OneHour => "1hour",
            Expiration::OneDay => "1day",
            Expiration::ThirtyDays => "30days",
            Expiration::Never => "never",
        }
    }

    /// The value of a name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "1hour" => Some(Expiration::OneHour),
            "1day" => Some(Expiration::OneDay),
            "30days" => Some(Expiration::ThirtyDays),
            "never" => Some(Expiration::Never),
            _ => None,
        }
    }
}

/// Trello as a [`ServiceProvider`].
///
/// ```
/// use oauth1_flow::ServiceProvider;
/// use oauth1_providers::trello::{Expiration, Scope, Trello};
///
/// let trello = Trello::new()
///     .name("My App")
///     .scope(&[Scope::Read, Scope::Write])
///     .expiration(Expiration::Never);
/// assert_eq!(
///     trello.authorize_params(),
///     [("name".to_owned(), "My App".to_owned()), ("scope".to_owned(), "read,write".to_owned()), ("expiration".to_owned(), "never".to_owned())]
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trello {
    api: String,
    name: Option<String>,
    scope: Vec<Scope>,
    expiration: Option<Expiration>,
    endpoints: Endpoints,
}

impl Default for Trello {
    fn default() -> Self {
        Trello::new()
    }
}

impl Trello {
    /// Trello's hosts; Trello's defaults for the options (`scope=read`, `expiration=30days`).
    pub fn new() -> Self {
        Trello::hosts("https://trello.com", "https://api.trello.com")
    }

    /// Every host pointed at `base` (the local provider in tests).
    pub fn with_base(base: &str) -> Result<Self, BaseUrlError> {
        let base = base_url(base)?;
        Ok(Trello::hosts(&base, &base))
    }

    fn hosts(www: &str, api: &str) -> Self {
        Trello {
            api: api.to_owned(),
            name: None,
            scope: Vec::new(),
            expiration: None,
            endpoints: Endpoints {
                request_token: Endpoint::post(join(www, "/1/OAuthGetRequestToken")),
                authorize: join(www, "/1/OAuthAuthorizeToken"),
                authenticate: None,
                access_token: Endpoint::post(join(www, "/1/OAuthGetAccessToken")),
                invalidate_token: None,
            },
        }
    }

    /// The application's name shown on the authorization page.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The scopes asked for.
    #[must_use]
    pub fn scope(mut self, scope: &[Scope]) -> Self {
        self.scope = scope.to_vec();
        self
    }

    /// How long the token lasts.
    #[must_use]
    pub fn expiration(mut self, expiration: Expiration) -> Self {
        self.expiration = Some(expiration);
        self
    }

    /// The URL of an API path: `https://api.trello.com/1/{path}`.
    pub fn api_url(&self, path: &str) -> String {
        join(&self.api, &format!("/1/{}", path.trim_start_matches('/')))
    }

    /// Trello's checks of a signed request: HMAC-SHA1 in the Authorization header.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        let seen = Inspected::read(request);
        let mut out = Vec::new();
        common(NAME, &seen, Placement::Header, METHODS, &mut out);
        out
    }
}

impl ServiceProvider for Trello {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn authorize_params(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(name) = &self.name {
            out.push(("name".into(), name.clone()));
        }
        if !self.scope.is_empty() {
            let list: Vec<&str> = self.scope.iter().map(|s| s.as_str()).collect();
            out.push(("scope".into(), list.join(",")));
        }
        if let Some(e) = self.expiration {
            out.push(("expiration".into(), e.as_str().into()));
        }
        out
    }
}

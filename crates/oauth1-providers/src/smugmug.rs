//! SmugMug: OAuth 1.0a with HMAC-SHA1, and `Access` and `Permissions` on the authorization
//! page.
//!
//! - Setup: SmugMug's API key application (api.smugmug.com/api/developer/apply) gives a key
//!   and secret.
//! - Endpoints: `https://api.smugmug.com/services/oauth/1.0a/getRequestToken`,
//!   `…/authorize` (with `Access=Public|Full` and `Permissions=Read|Add|Modify`; SmugMug also
//!   takes `allowThirdPartyLogin`, `showSignUpButton`, `username` and `viewportScale`, which
//!   an application passes to `authorize_url` itself), `…/getAccessToken`; API calls go to
//!   `https://api.smugmug.com/api/v2/`.
//! - HMAC-SHA1 (the preset's) or PLAINTEXT over https; request tokens last 5 minutes and are
//!   single-use; access tokens never expire unless the user revokes them. A request token
//!   asked for without `oauth_callback` gets `oauth_problem=parameter_absent`.
//! - Errors: the API answers JSON `{"Code": 401, "Message": "…"}`, read as a numbered error;
//!   the token endpoints answer as the default parser reads.
//! - The token response carries nothing beyond the token.
//!
//! Sources: SmugMug API v2, "Authorization with OAuth 1.0a" and "OAuth FAQ"
//! (api.smugmug.com/api/v2/doc/tutorial/authorization.html, …/oauth/faq.html).

use http::{HeaderMap, StatusCode};
use oauth1_core::Placement;
use oauth1_flow::{Endpoint, Endpoints, ErrorCode, ProviderError, ServiceProvider};

use crate::base::{base_url, join, BaseUrlError};
use crate::check::{common, Finding, FindingKind, Inspected};
use crate::error_body;

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "smugmug";
/// The signature methods SmugMug accepts (PLAINTEXT over https only).
pub(crate) const METHODS: &[&str] = &["HMAC-SHA1", "PLAINTEXT"];

/// Which data the token reaches (`Access`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Public data only (SmugMug's default).
    Public,
    /// Public and private data.
    Full,
}

impl Access {
    /// The values, as on the command line.
    pub const NAMES: &'static [&'static str] = &["Public", "Full"];

    /// The parameter's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Public => "Public",
            Access::Full => "Full",
        }
    }

    /// The value of a name (any case).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "public" => Some(Access::Public),
            "full" => Some(Access::Full),
            _ => None,
        }
    }
}

/// What the token may do (`Permissions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permissions {
    /// Read (SmugMug's default).
    Read,
    /// Read and add.
    Add,
    /// Read, add, change and delete.
    Modify,
}

impl Permissions {
    /// The values, as on the command line.
    pub const NAMES: &'static [&'static str] = &["Read", "Add", "Modify"];

    /// The parameter's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Permissions::Read => "Read",
            Permissions::Add => "Add",
            Permissions::Modify => "Modify",
        }
    }

    /// The value of a name (any case).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "read" => Some(Permissions::Read),
            "add" => Some(Permissions::Add),
            "modify" => Some(Permissions::Modify),
            _ => None,
        }
    }
}

/// SmugMug as a [`ServiceProvider`].
///
/// ```
/// use oauth1_flow::ServiceProvider;
/// use oauth1_providers::smugmug::{Access, Permissions, SmugMug};
///
/// let smugmug = SmugMug::new().access(Access::Full).permissions(Permissions::Modify);
/// assert_eq!(
///     smugmug.authorize_params(),
///     [("Access".to_owned(), "Full".to_owned()), ("Permissions".to_owned(), "Modify".to_owned())]
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmugMug {
    api: String,
    access: Option<Access>,
    permissions: Option<Permissions>,
    endpoints: Endpoints,
}

impl Default for SmugMug {
    fn default() -> Self {
        SmugMug::new()
    }
}

impl SmugMug {
    /// SmugMug's host; SmugMug's defaults for the options (`Public`, `Read`).
    pub fn new() -> Self {
        SmugMug::host("https://api.smugmug.com")
    }

    /// The host pointed at `base` (the local provider in tests).
    pub fn with_base(base: &str) -> Result<Self, BaseUrlError> {
        Ok(SmugMug::host(&base_url(base)?))
    }

    fn host(api: &str) -> Self {
        SmugMug {
            api: api.to_owned(),
            access: None,
            permissions: None,
            endpoints: Endpoints {
                request_token: Endpoint::post(join(api, "/services/oauth/1.0a/getRequestToken")),
                authorize: join(api, "/services/oauth/1.0a/authorize"),
                authenticate: None,
                access_token: Endpoint::post(join(api, "/services/oauth/1.0a/getAccessToken")),
                invalidate_token: None,
            },
        }
    }

    /// Which data the token reaches.
    #[must_use]
    pub fn access(mut self, access: Access) -> Self {
        self.access = Some(access);
        self
    }

    /// What the token may do.
    #[must_use]
    pub fn permissions(mut self, permissions: Permissions) -> Self {
        self.permissions = Some(permissions);
        self
    }

    /// The URL of an API path under `https://api.smugmug.com/api/v2`: `/user/cmac` or
    /// `!authuser` (SmugMug's `!` endpoints follow `v2` with no `/`).
    pub fn api_url(&self, path: &str) -> String {
        if path.starts_with('!') {
            format!("{}{path}", join(&self.api, "/api/v2"))
        } else {
            join(
                &self.api,
                &format!("/api/v2/{}", path.trim_start_matches('/')),
            )
        }
    }

    /// SmugMug's checks of a signed request: HMAC-SHA1 (or PLAINTEXT over https) in the
    /// Authorization header.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        let seen = Inspected::read(request);
        let mut out = Vec::new();
        if common(NAME, &seen, Placement::Header, METHODS, &mut out)
            && seen.method_name() == Some("PLAINTEXT")
            && seen.scheme == "http"
        {
            out.push(Finding::new(
                NAME,
                FindingKind::Scheme {
                    found: "http".into(),
                    expected: "https (SmugMug takes PLAINTEXT over https only)",
                },
            ));
        }
        out
    }
}

impl ServiceProvider for SmugMug {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn authorize_params(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(a) = self.access {
            out.push(("Access".into(), a.as_str().into()));
        }
        if let Some(p) = self.permissions {
            out.push(("Permissions".into(), p.as_str().into()));
        }
        out
    }
    fn parse_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
        parse_error(status, headers, body)
    }
}

/// Reads SmugMug's `{"Code", "Message"}` as a numbered error; anything else as the default
/// does.
pub fn parse_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
    if let Some(json) = error_body::json(body) {
        if let Some(message) = error_body::str_of(&json, "Message") {
            let code = json
                .get("Code")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(0);
            return error_body::with_codes(
                status,
                headers,
                body,
                vec![ErrorCode {
                    code,
                    message: error_body::text(message),
                }],
            );
        }
    }
    ProviderError::parse(status, headers, body)
}

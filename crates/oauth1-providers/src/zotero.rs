//! Zotero: OAuth 1.0a with HMAC-SHA1; the authorization page takes the API key's permissions,
//! and the access-token response carries `userID` and `username`.
//!
//! - Setup: zotero.org/oauth/apps registers a client: a client key and secret.
//! - Endpoints: `POST https://www.zotero.org/oauth/request`, `https://www.zotero.org/oauth/authorize`
//!   (with `library_access`, `notes_access`, `write_access` set to `1` and `all_groups` set to
//!   `none`, `read` or `write`: the key's permissions, which the user can still change; or
//!   `identity=1`, no key, only who the user is),
//!   `POST https://www.zotero.org/oauth/access`.
//! - The access token's secret **is** the API key: Zotero's API (`https://api.zotero.org`)
//!   takes it as `Zotero-API-Key` (or `Authorization: Bearer`), not as OAuth signatures.
//!   [`ZoteroToken::api_key`] gives it.
//! - The access-token response: `userID` and `username` ([`ZoteroToken`]).
//! - Errors are read as the default parser does (Zotero's documentation gives no error body
//!   for the OAuth endpoints).
//!
//! Source: Zotero Web API documentation, "OAuth" (www.zotero.org/support/dev/web_api/v3/oauth).

use oauth1_core::{Placement, Secret};
use oauth1_flow::{AccessToken, Endpoint, Endpoints, ServiceProvider};

use crate::base::{base_url, join, BaseUrlError};
use crate::check::{common, Finding, Inspected};

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "zotero";
/// The signature methods Zotero accepts.
pub(crate) const METHODS: &[&str] = &["HMAC-SHA1"];

/// Access to all the user's groups (`all_groups`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupAccess {
    /// `none`.
    None,
    /// `read`.
    Read,
    /// `write`.
    Write,
}

impl GroupAccess {
    /// The values, as on the command line.
    pub const NAMES: &'static [&'static str] = &["none", "read", "write"];

    /// The parameter's value.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupAccess::None => "none",
            GroupAccess::Read => "read",
            GroupAccess::Write => "write",
        }
    }

    /// The value of a name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "none" => Some(GroupAccess::None),
            "read" => Some(GroupAccess::Read),
            "write" => Some(GroupAccess::Write),
            _ => None,
        }
    }
}

/// The permissions asked for on the API key (each off unless set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyPermissions {
    /// `library_access=1`: read the personal library.
    pub library: bool,
    /// `notes_access=1`: read its notes.
    pub notes: bool,
    /// `write_access=1`: write to it.
    pub write: bool,
    /// `all_groups`.
    pub all_groups: Option<GroupAccess>,
    /// `identity=1`: create no key, only learn who the user is (`userID`, `username`).
    pub identity: bool,
}

impl KeyPermissions {
    /// The names of [`KeyPermissions::parse_list`], as on the command line.
    pub const NAMES: &'static [&'static str] = &["library", "notes", "write", "identity"];

    /// A comma-separated list of `library`, `notes`, `write`, `identity`, or the first name
    /// that is not one.
    pub fn parse_list(list: &str) -> Result<Self, String> {
        let mut out = KeyPermissions::default();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name.to_ascii_lowercase().as_str() {
                "library" => out.library = true,
                "notes" => out.notes = true,
                "write" => out.write = true,
                "identity" => out.identity = true,
                _ => return Err(crate::base::shown(name)),
            }
        }
        Ok(out)
    }
}

/// Zotero as a [`ServiceProvider`].
///
/// ```
/// use oauth1_flow::ServiceProvider;
/// use oauth1_providers::zotero::{GroupAccess, KeyPermissions, Zotero};
///
/// let zotero = Zotero::new().permissions(KeyPermissions {
///     library: true,
///     write: true,
///     all_groups: Some(GroupAccess::Read),
///     ..KeyPermissions::default()
/// });
/// assert_eq!(
///     zotero.authorize_params(),
///     [("library_access".to_owned(), "1".to_owned()), ("write_access".to_owned(), "1".to_owned()), ("all_groups".to_owned(), "read".to_owned())]
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zotero {
    api: String,
    name: Option<String>,
    permissions: KeyPermissions,
    endpoints: Endpoints,
}

impl Default for Zotero {
    fn default() -> Self {
        Zotero::new()
    }
}

impl Zotero {
    /// Zotero's host.
    pub fn new() -> Self {
        Zotero::hosts("https://www.zotero.org", "https://api.zotero.org")
    }

    /// Every host pointed at `base` (the local provider in tests).
    pub fn with_base(base: &str) -> Result<Self, BaseUrlError> {
        let base = base_url(base)?;
        Ok(Zotero::hosts(&base, &base))
    }

    fn hosts(www: &str, api: &str) -> Self {
        Zotero {
            api: api.to_owned(),
            name: None,
            permissions: KeyPermissions::default(),
            endpoints: Endpoints {
                request_token: Endpoint::post(join(www, "/oauth/request")),
                authorize: join(www, "/oauth/authorize"),
                authenticate: None,
                access_token: Endpoint::post(join(www, "/oauth/access")),
                invalidate_token: None,
            },
        }
    }

    /// The URL of a Web API path on `https://api.zotero.org` (`/keys/current`,
    /// `/users/{userID}/items`): send the key as `Zotero-API-Key`, not an OAuth signature.
    pub fn api_url(&self, path: &str) -> String {
        join(&self.api, path)
    }

    /// The key's permissions asked for.
    #[must_use]
    pub fn permissions(mut self, permissions: KeyPermissions) -> Self {
        self.permissions = permissions;
        self
    }

    /// The key's name (`name` on the authorization page).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Zotero's checks of a signed request: HMAC-SHA1 in the Authorization header.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        let seen = Inspected::read(request);
        let mut out = Vec::new();
        common(NAME, &seen, Placement::Header, METHODS, &mut out);
        out
    }
}

impl ServiceProvider for Zotero {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn authorize_params(&self) -> Vec<(String, String)> {
        let p = &self.permissions;
        let mut out = Vec::new();
        if let Some(name) = &self.name {
            out.push(("name".into(), name.clone()));
        }
        for (on, name) in [
            (p.library, "library_access"),
            (p.notes, "notes_access"),
            (p.write, "write_access"),
        ] {
            if on {
                out.push((name.into(), "1".into()));
            }
        }
        if let Some(g) = p.all_groups {
            out.push(("all_groups".into(), g.as_str().into()));
        }
        if p.identity {
            out.push(("identity".into(), "1".into()));
        }
        out
    }
}

/// What Zotero's access-token response carries beyond the token.
///
/// ```
/// use oauth1_providers::zotero::ZoteroToken;
/// # let token: oauth1_flow::AccessToken = serde_json::from_str(r#"{"token":"t","secret":"key","fields":[["userID","475425"],["username","alice"]]}"#).unwrap();
/// let zotero = ZoteroToken::from(&token);
/// assert_eq!(zotero.user_id(), Some(475425));
/// assert_eq!(zotero.username(), Some("alice"));
/// assert_eq!(zotero.api_key().secret(), "key");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ZoteroToken<'a>(&'a AccessToken);

impl<'a> From<&'a AccessToken> for ZoteroToken<'a> {
    fn from(token: &'a AccessToken) -> Self {
        ZoteroToken(token)
    }
}

impl<'a> ZoteroToken<'a> {
    /// `userID`: the user's library id, for `/users/{userID}/items`.
    pub fn user_id(&self) -> Option<u64> {
        self.0.field("userID")?.trim().parse().ok()
    }

    /// `username`.
    pub fn username(&self) -> Option<&'a str> {
        self.0.field("username")
    }

    /// The API key: the access token's secret.
    pub fn api_key(&self) -> &'a Secret {
        self.0.secret()
    }
}

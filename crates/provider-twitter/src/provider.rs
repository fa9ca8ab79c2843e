//! [`Twitter`]: the provider description.

use oauth1_flow::{Endpoint, Endpoints, ServiceProvider};

/// The real API host.
pub const API_BASE: &str = "https://api.x.com";

/// What the app asks permission for (`x_auth_access_type` on the request token).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessType {
    /// Read only.
    Read,
    /// Read and write.
    Write,
}

/// Twitter/X as a [`ServiceProvider`]: `oauth/request_token`, `oauth/authorize`,
/// `oauth/authenticate` (Sign in with Twitter), `oauth/access_token`,
/// `1.1/oauth/invalidate_token`, under a configurable base URL.
///
/// ```
/// use oauth1_flow::ServiceProvider;
/// use oauth1_provider_twitter::{AccessType, Twitter};
///
/// let twitter = Twitter::new().access_type(AccessType::Read);
/// assert_eq!(twitter.endpoints().request_token.url, "https://api.x.com/oauth/request_token");
/// assert_eq!(twitter.request_token_params(), [("x_auth_access_type".to_owned(), "read".to_owned())]);
///
/// // The local provider, or any Twitter-compatible server:
/// let local = Twitter::with_base("http://127.0.0.1:8080/");
/// assert_eq!(local.endpoints().access_token.url, "http://127.0.0.1:8080/oauth/access_token");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Twitter {
    base: String,
    endpoints: Endpoints,
    access_type: Option<AccessType>,
    xauth: bool,
}

impl Default for Twitter {
    fn default() -> Self {
        Twitter::new()
    }
}

impl Twitter {
    /// The real API at [`API_BASE`].
    pub fn new() -> Self {
        Twitter::with_base(API_BASE)
    }

    /// The API at `base` (`https://api.twitter.com` for older setups, the local provider's URL
    /// in tests): the `oauth/*`, `1.1/*` and `2/*` paths live under it.
    pub fn with_base(base: &str) -> Self {
        let base = base.trim_end_matches('/').to_owned();
        let endpoints = Endpoints {
            request_token: Endpoint::post(format!("{base}/oauth/request_token")),
            authorize: format!("{base}/oauth/authorize"),
            authenticate: Some(format!("{base}/oauth/authenticate")),
            access_token: Endpoint::post(format!("{base}/oauth/access_token")),
            invalidate_token: Some(Endpoint::post(format!("{base}/1.1/oauth/invalidate_token"))),
        };
        Twitter {
            base,
            endpoints,
            access_type: None,
            xauth: false,
        }
    }

    /// Asks for read or read-write access on the request token.
    #[must_use]
    pub fn access_type(mut self, access: AccessType) -> Self {
        self.access_type = Some(access);
        self
    }

    /// Whether xAuth is enabled for the app (Twitter retired it for new apps in 2017; off by
    /// default).
    #[must_use]
    pub fn xauth(mut self, enabled: bool) -> Self {
        self.xauth = enabled;
        self
    }

    /// The base URL, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The URL of an API path (`/2/tweets`, `/1.1/account/verify_credentials.json`).
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }
}

impl ServiceProvider for Twitter {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    fn supports_xauth(&self) -> bool {
        self.xauth
    }

    fn request_token_params(&self) -> Vec<(String, String)> {
        match self.access_type {
            Some(AccessType::Read) => vec![("x_auth_access_type".into(), "read".into())],
            Some(AccessType::Write) => vec![("x_auth_access_type".into(), "write".into())],
            None => Vec::new(),
        }
    }
}

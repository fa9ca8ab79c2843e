//! Garmin Connect developer program (Health API, Activity API): OAuth 1.0a with HMAC-SHA1.
//!
//! - Setup: Garmin's developer program (approval required) gives a consumer key and secret.
//! - Endpoints: `POST https://connectapi.garmin.com/oauth-service/oauth/request_token`, the
//!   user authorizes at `https://connect.garmin.com/oauthConfirm`, `POST
//!   https://connectapi.garmin.com/oauth-service/oauth/access_token`; API calls go to
//!   `https://apis.garmin.com` (`/wellness-api/rest/user/id` gives the user's id).
//! - Garmin's API documentation is shared with approved partners only: the token response's
//!   extra fields, the error body's shape and any realm rule are **undocumented** publicly. The
//!   preset reads errors as the default does and expects nothing beyond the token.
//! - Garmin is moving its developer program to OAuth 2.0 (with PKCE) and has announced the end
//!   of OAuth 1.0a for 31 December 2026; existing OAuth 1.0a tokens can be exchanged for OAuth
//!   2.0 ones at `apis.garmin.com/partner-gateway`. New integrations should check with Garmin.
//!
//! Sources: Garmin, "Health API - User Authorization (OAuth)" (the partner document, as
//! published copies quote it: `POST .../oauth-service/oauth/request_token`, the Authorization
//! header), the Garmin Connect Developer Program Start Guide, and Garmin's OAuth 2.0
//! migration notice to partners (quoted in RADAR-base/RADAR-Rest-Source-Auth issue 313).

use oauth1_core::Placement;
use oauth1_flow::{Endpoint, Endpoints, ServiceProvider};

use crate::base::{base_url, join, BaseUrlError};
use crate::check::{common, Finding, Inspected};

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "garmin";
/// The signature methods Garmin accepts.
pub(crate) const METHODS: &[&str] = &["HMAC-SHA1"];

/// Garmin as a [`ServiceProvider`].
///
/// ```
/// use oauth1_flow::ServiceProvider;
/// use oauth1_providers::garmin::Garmin;
///
/// let garmin = Garmin::new();
/// assert_eq!(garmin.endpoints().authorize, "https://connect.garmin.com/oauthConfirm");
/// assert_eq!(garmin.api_url("/wellness-api/rest/user/id"), "https://apis.garmin.com/wellness-api/rest/user/id");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Garmin {
    api: String,
    endpoints: Endpoints,
}

impl Default for Garmin {
    fn default() -> Self {
        Garmin::new()
    }
}

impl Garmin {
    /// Garmin's hosts.
    pub fn new() -> Self {
        Garmin::hosts(
            "https://connectapi.garmin.com",
            "https://connect.garmin.com",
            "https://apis.garmin.com",
        )
    }

    /// Every host pointed at `base` (the local provider in tests).
    pub fn with_base(base: &str) -> Result<Self, BaseUrlError> {
        let base = base_url(base)?;
        Ok(Garmin::hosts(&base, &base, &base))
    }

    fn hosts(connectapi: &str, connect: &str, api: &str) -> Self {
        Garmin {
            api: api.to_owned(),
            endpoints: Endpoints {
                request_token: Endpoint::post(join(
                    connectapi,
                    "/oauth-service/oauth/request_token",
                )),
                authorize: join(connect, "/oauthConfirm"),
                authenticate: None,
                access_token: Endpoint::post(join(connectapi, "/oauth-service/oauth/access_token")),
                invalidate_token: None,
            },
        }
    }

    /// The URL of an API path on `apis.garmin.com`.
    pub fn api_url(&self, path: &str) -> String {
        join(&self.api, path)
    }

    /// Garmin's checks of a signed request: HMAC-SHA1 in the Authorization header.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        let seen = Inspected::read(request);
        let mut out = Vec::new();
        common(NAME, &seen, Placement::Header, METHODS, &mut out);
        out
    }
}

impl ServiceProvider for Garmin {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
}

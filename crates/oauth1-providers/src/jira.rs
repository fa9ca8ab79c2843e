//! Jira and Confluence Data Center (and Server) application links: OAuth 1.0a with RSA-SHA1,
//! a consumer key and an RSA key pair, no consumer secret.
//!
//! - Setup: in Jira, Administration > Applications > Application links, create a link for your
//!   application with "incoming authentication": a consumer key of your choice and the public
//!   key (PEM) whose private key you give [`Jira::flow`].
//! - Endpoints under the site's base URL (with its context path, e.g.
//!   `https://jira.example.com/jira`): `POST /plugins/servlet/oauth/request-token`,
//!   `GET /plugins/servlet/oauth/authorize`, `POST /plugins/servlet/oauth/access-token`.
//!   Confluence has the same paths. There is no default host.
//! - Token responses carry `oauth_expires_in`, `oauth_authorization_expires_in` and
//!   `oauth_session_handle` beside the token: [`JiraToken`].
//! - Errors: the OAuth Problem Reporting form (`oauth_problem=signature_invalid`,
//!   `consumer_key_unknown`, `token_rejected`, `timestamp_refused`, …) in the body and the
//!   `WWW-Authenticate` header, which the default parser reads.
//!
//! Sources: Atlassian, "OAuth 1.0a for REST APIs" (developer.atlassian.com/server/jira/platform/
//! oauth/) and "Jira REST API example - OAuth authentication".

use std::time::Duration;

use oauth1_core::{ClientCredentials, Placement, RsaSha1};
use oauth1_flow::{AccessToken, Endpoint, Endpoints, Flow, ServiceProvider};

use crate::base::{base_url, join, BaseUrlError};
use crate::check::{common, Finding, Inspected};

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "jira";
/// The signature methods application links accept.
pub(crate) const METHODS: &[&str] = &["RSA-SHA1"];

/// Why [`Jira::flow`] could not set up the RSA signer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JiraKeyError {
    /// The private key is not an RSA private key in PEM (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA
    /// PRIVATE KEY`).
    #[error("the application link's private key could not be read: give the RSA private key PEM whose public key is in the link")]
    Key(#[source] oauth1_core::Error),
}

/// Jira (or Confluence) Data Center as a [`ServiceProvider`]: RSA-SHA1 in the Authorization
/// header, the application-link servlet paths under the site's base URL.
///
/// ```
/// use oauth1_flow::ServiceProvider;
/// use oauth1_providers::jira::Jira;
///
/// let jira = Jira::new("https://jira.example.com/jira")?;
/// assert_eq!(jira.signature_method(), "RSA-SHA1");
/// assert_eq!(
///     jira.endpoints().request_token.url,
///     "https://jira.example.com/jira/plugins/servlet/oauth/request-token"
/// );
/// assert_eq!(jira.api_url("/rest/api/2/myself"), "https://jira.example.com/jira/rest/api/2/myself");
/// # Ok::<(), oauth1_providers::BaseUrlError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jira {
    base: String,
    endpoints: Endpoints,
}

impl Jira {
    /// The site at `base` (scheme, host and context path: `https://jira.example.com/jira`).
    pub fn new(base: &str) -> Result<Self, BaseUrlError> {
        let base = base_url(base)?;
        let endpoints = Endpoints {
            request_token: Endpoint::post(join(&base, "/plugins/servlet/oauth/request-token")),
            authorize: join(&base, "/plugins/servlet/oauth/authorize"),
            authenticate: None,
            access_token: Endpoint::post(join(&base, "/plugins/servlet/oauth/access-token")),
            invalidate_token: None,
        };
        Ok(Jira { base, endpoints })
    }

    /// The base URL, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The URL of a REST path (`/rest/api/2/myself`, `/rest/api/content` for Confluence).
    pub fn api_url(&self, path: &str) -> String {
        join(&self.base, path)
    }

    /// A flow for the application link's consumer key, signing with RSA-SHA1 and
    /// `private_key_pem` (PKCS#8 or PKCS#1). There is no consumer secret.
    pub fn flow(
        self,
        consumer_key: impl Into<String>,
        private_key_pem: &str,
    ) -> Result<Flow<Jira>, JiraKeyError> {
        let method = RsaSha1::from_private_pem(private_key_pem).map_err(JiraKeyError::Key)?;
        Ok(Flow::with_method(
            self,
            ClientCredentials::new(consumer_key, ""),
            method,
        ))
    }

    /// Jira's own checks of a signed request: RSA-SHA1 in the Authorization header.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        let seen = Inspected::read(request);
        let mut out = Vec::new();
        common(NAME, &seen, Placement::Header, METHODS, &mut out);
        out
    }
}

impl ServiceProvider for Jira {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn signature_method(&self) -> &str {
        "RSA-SHA1"
    }
}

/// What Jira's token response carries beyond the token.
///
/// ```
/// use oauth1_providers::jira::JiraToken;
/// # let token: oauth1_flow::AccessToken = serde_json::from_str(r#"{"token":"t","secret":"s","fields":[["oauth_expires_in","157680000"],["oauth_session_handle","h"]]}"#).unwrap();
/// let jira = JiraToken::from(&token);
/// assert_eq!(jira.expires_in(), Some(std::time::Duration::from_secs(157_680_000)));
/// assert_eq!(jira.session_handle(), Some("h"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct JiraToken<'a>(&'a AccessToken);

impl<'a> From<&'a AccessToken> for JiraToken<'a> {
    fn from(token: &'a AccessToken) -> Self {
        JiraToken(token)
    }
}

impl<'a> JiraToken<'a> {
    /// `oauth_expires_in`: how long the access token lasts (Jira's default is five years).
    pub fn expires_in(&self) -> Option<Duration> {
        seconds(self.0.field("oauth_expires_in"))
    }

    /// `oauth_authorization_expires_in`: how long the authorization lasts.
    pub fn authorization_expires_in(&self) -> Option<Duration> {
        seconds(self.0.field("oauth_authorization_expires_in"))
    }

    /// `oauth_session_handle` (the Session extension's handle).
    pub fn session_handle(&self) -> Option<&'a str> {
        self.0.field("oauth_session_handle")
    }
}

fn seconds(value: Option<&str>) -> Option<Duration> {
    value?.trim().parse().ok().map(Duration::from_secs)
}

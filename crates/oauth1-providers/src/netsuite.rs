//! NetSuite token-based authentication (TBA): OAuth 1.0a with HMAC-SHA256, the account id as
//! `realm`, and hosts of the account's own.
//!
//! - Account ids are written two ways: `1234567-sb1` in host names, `1234567_SB1` in realms.
//!   [`AccountId`] takes either and gives both.
//! - Hosts (NetSuite's account-specific domains): `{account}.restlets.api.netsuite.com` (token
//!   endpoints, RESTlets), `{account}.app.netsuite.com` (the authorize page, the UI),
//!   `{account}.suitetalk.api.netsuite.com` (REST and SOAP web services).
//! - Tokens are either issued in the NetSuite UI (Setup > Users/Roles > Access Tokens: a token
//!   id and secret; [`NetSuite::issued_token`]) or through the three-step authorization flow
//!   (`/rest/requesttoken`, `/app/login/secure/authorizetoken.nl`, `/rest/accesstoken`).
//! - Nonces of at least six characters (the flow's are longer); timestamps never lower than
//!   the last one sent. The callback after authorization carries `company` (the account id),
//!   `role` and `entity` beside `oauth_token` and `oauth_verifier`, and `state` when the
//!   authorization URL had one (letters and digits, at most 512).
//! - Errors: REST web services answer `{"title", "status", "o:errorDetails": [{"detail",
//!   "o:errorCode"}]}`, RESTlets `{"error": {"code", "message"}}`; both are read into the
//!   [`ProviderError`]'s problem. "Invalid login attempt" (`INVALID_LOGIN_ATTEMPT`,
//!   `INVALID_LOGIN`) says nothing more: see the [Login Audit Trail] and `docs/providers.md`.
//!
//! Sources: Oracle NetSuite Help Center, "The Three-Step TBA Authorization Flow",
//! "Setting up Token-based Authentication for a RESTlet integration", "Account-Specific
//! Domains" (docs.oracle.com/en/cloud/saas/netsuite/ns-online-help).
//!
//! [Login Audit Trail]: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1530099787.html

use std::fmt;
use std::str::FromStr;

use http::{HeaderMap, StatusCode};
use oauth1_core::Placement;
use oauth1_flow::{
    AccessToken, ClientCredentials, Endpoint, Endpoints, Error, ErrorCode, Flow, ProviderError,
    ServiceProvider,
};

use crate::base::{base_url, join, shown, BaseUrlError};
use crate::check::{common, Finding, FindingKind, Inspected};
use crate::error_body;

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "netsuite";
/// The signature methods NetSuite accepts (HMAC-SHA1 is no longer accepted for TBA).
pub(crate) const METHODS: &[&str] = &["HMAC-SHA256"];

/// Why an account id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccountIdError {
    /// Nothing was given.
    #[error("the NetSuite account id is empty: give it as in Setup > Company > Company Information (e.g. `1234567` or `1234567_SB1`)")]
    Empty,
    /// A host name or URL was given instead of the id.
    #[error("`{shown}` is a host or URL, not an account id: give the part before the first `.` (e.g. `1234567-sb1`)")]
    Host {
        /// The start of what was given.
        shown: String,
    },
    /// Not an account id.
    #[error("`{shown}` is not a NetSuite account id: expected letters and digits with an optional sandbox or release-preview suffix, as `1234567`, `1234567-sb1` or `1234567_SB1`")]
    Invalid {
        /// The start of what was given.
        shown: String,
    },
}

/// A NetSuite account id, accepted as written in hosts (`1234567-sb1`) or in realms
/// (`1234567_SB1`).
///
/// ```
/// use oauth1_providers::netsuite::AccountId;
///
/// let id: AccountId = "1234567_SB1".parse()?;
/// assert_eq!(id.host_label(), "1234567-sb1");
/// assert_eq!(id.realm(), "1234567_SB1");
/// assert_eq!(AccountId::parse("1234567-sb1")?, id);
/// assert!(AccountId::parse("1234567.app.netsuite.com").is_err());
/// # Ok::<(), oauth1_providers::netsuite::AccountIdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountId {
    /// The host form: lower case, `-` before the suffix.
    host: String,
}

impl AccountId {
    /// Reads an account id in host form (`1234567-sb1`) or realm form (`1234567_SB1`).
    pub fn parse(input: &str) -> Result<Self, AccountIdError> {
        let id = input.trim();
        if id.is_empty() {
            return Err(AccountIdError::Empty);
        }
        if id.contains("://") || id.contains('.') || id.contains('/') {
            return Err(AccountIdError::Host {
                shown: shown(input),
            });
        }
        let invalid = || AccountIdError::Invalid {
            shown: shown(input),
        };
        let (main, suffix) = match id.find(['-', '_']) {
            Some(at) => (&id[..at], Some(&id[at + 1..])),
            None => (id, None),
        };
        let alnum = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
        if !alnum(main) || main.len() > 32 {
            return Err(invalid());
        }
        let mut host = main.to_ascii_lowercase();
        if let Some(suffix) = suffix {
            // `SB1`, `SB2`, `RP` + digits: letters then digits, short.
            let letters = suffix.bytes().take_while(u8::is_ascii_alphabetic).count();
            let digits = &suffix[letters..];
            if !alnum(suffix)
                || letters == 0
                || suffix.len() > 8
                || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(invalid());
            }
            host.push('-');
            host.push_str(&suffix.to_ascii_lowercase());
        }
        Ok(AccountId { host })
    }

    /// The id as NetSuite writes it in host names: `1234567-sb1`.
    pub fn host_label(&self) -> &str {
        &self.host
    }

    /// The id as NetSuite wants it in the `realm`: `1234567_SB1`.
    pub fn realm(&self) -> String {
        self.host.to_ascii_uppercase().replace('-', "_")
    }
}

impl FromStr for AccountId {
    type Err = AccountIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AccountId::parse(s)
    }
}

/// The host form.
impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.host)
    }
}

/// NetSuite as a [`ServiceProvider`]: HMAC-SHA256, header placement, the account's realm, the
/// account's hosts.
///
/// ```
/// use oauth1_flow::{ClientCredentials, ServiceProvider};
/// use oauth1_providers::netsuite::NetSuite;
///
/// let netsuite = NetSuite::account("1234567_SB1")?;
/// assert_eq!(netsuite.realm(), Some("1234567_SB1"));
/// assert_eq!(netsuite.signature_method(), "HMAC-SHA256");
/// assert_eq!(
///     netsuite.endpoints().request_token.url,
///     "https://1234567-sb1.restlets.api.netsuite.com/rest/requesttoken"
/// );
/// assert_eq!(
///     netsuite.restlet_url(42, 1),
///     "https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=42&deploy=1"
/// );
///
/// // A token issued in the NetSuite UI (token id and secret), and the signed client:
/// let flow = netsuite.flow(ClientCredentials::new("consumer key", "consumer secret"))?;
/// let token = NetSuite::issued_token("token id", "token secret");
/// let client = flow.signed_client((), &token)?; // any transport in place of ()
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetSuite {
    account: AccountId,
    realm: String,
    /// The base that replaces every host, if any.
    base: Option<String>,
    endpoints: Endpoints,
}

impl NetSuite {
    /// The account's hosts at NetSuite.
    pub fn new(account: AccountId) -> Self {
        let realm = account.realm();
        let mut netsuite = NetSuite {
            account,
            realm,
            base: None,
            endpoints: Endpoints {
                request_token: Endpoint::post(String::new()),
                authorize: String::new(),
                authenticate: None,
                access_token: Endpoint::post(String::new()),
                invalidate_token: None,
            },
        };
        netsuite.endpoints = netsuite.dance_endpoints();
        netsuite
    }

    /// Shorthand for [`AccountId::parse`] then [`NetSuite::new`].
    pub fn account(id: &str) -> Result<Self, AccountIdError> {
        Ok(NetSuite::new(AccountId::parse(id)?))
    }

    /// Every host pointed at `base` (the local provider in tests): the paths stay NetSuite's.
    pub fn with_base(mut self, base: &str) -> Result<Self, BaseUrlError> {
        self.base = Some(base_url(base)?);
        self.endpoints = self.dance_endpoints();
        Ok(self)
    }

    fn dance_endpoints(&self) -> Endpoints {
        Endpoints {
            request_token: Endpoint::post(self.restlets_url("/rest/requesttoken")),
            authorize: self.app_url("/app/login/secure/authorizetoken.nl"),
            authenticate: None,
            access_token: Endpoint::post(self.restlets_url("/rest/accesstoken")),
            invalidate_token: None,
        }
    }

    fn host_url(&self, service: &str, path: &str) -> String {
        match &self.base {
            Some(base) => join(base, path),
            None => join(
                &format!(
                    "https://{}.{service}.netsuite.com",
                    self.account.host_label()
                ),
                path,
            ),
        }
    }

    /// The account.
    pub fn account_id(&self) -> &AccountId {
        &self.account
    }

    /// A URL on the RESTlets domain: `https://{account}.restlets.api.netsuite.com{path}`.
    pub fn restlets_url(&self, path: &str) -> String {
        self.host_url("restlets.api", path)
    }

    /// A URL on the UI domain: `https://{account}.app.netsuite.com{path}`.
    pub fn app_url(&self, path: &str) -> String {
        self.host_url("app", path)
    }

    /// A URL on the web services domain: `https://{account}.suitetalk.api.netsuite.com{path}`
    /// (REST web services live under `/services/rest/`).
    pub fn suitetalk_url(&self, path: &str) -> String {
        self.host_url("suitetalk.api", path)
    }

    /// A RESTlet's URL: `…/app/site/hosting/restlet.nl?script={script}&deploy={deploy}`.
    pub fn restlet_url(&self, script: u64, deploy: u64) -> String {
        self.restlets_url(&format!(
            "/app/site/hosting/restlet.nl?script={script}&deploy={deploy}"
        ))
    }

    /// A REST web services record URL: `…/services/rest/record/v1/{record}`.
    pub fn record_url(&self, record: &str) -> String {
        self.suitetalk_url(&format!(
            "/services/rest/record/v1/{}",
            record.trim_matches('/')
        ))
    }

    /// A flow with the integration record's consumer key and secret, signing with
    /// HMAC-SHA256.
    pub fn flow(self, consumer: ClientCredentials) -> Result<Flow<NetSuite>, Error> {
        Flow::new(self, consumer)
    }

    /// A token issued in the NetSuite UI (Setup > Users/Roles > Access Tokens): its token id
    /// and token secret, for [`Flow::signed_client`].
    pub fn issued_token(
        token_id: impl Into<String>,
        token_secret: impl Into<String>,
    ) -> AccessToken {
        AccessToken::new(token_id, oauth1_core::Secret::new(token_secret))
    }

    /// NetSuite's own checks of a signed request (see [`Finding`]): HMAC-SHA256, header
    /// placement, the realm in realm form and of this account, a token, the account's host.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        let seen = Inspected::read(request);
        let mut out = Vec::new();
        if !common(NAME, &seen, Placement::Header, METHODS, &mut out) {
            return out;
        }
        let expected = self.realm.clone();
        // "As of 2020.1, the realm parameter is no longer required" on the access-token step.
        let exchange = seen.get("oauth_verifier").is_some();
        match seen.realm.as_deref() {
            None | Some("") if exchange => {}
            None | Some("") => out.push(Finding::new(NAME, FindingKind::RealmMissing { expected })),
            Some(found) if found == expected => {}
            Some(found) => {
                let kind = match AccountId::parse(found) {
                    Ok(id) if id == self.account => FindingKind::RealmForm {
                        found: shown(found),
                        expected,
                    },
                    _ => FindingKind::RealmMismatch {
                        found: shown(found),
                        expected,
                    },
                };
                out.push(Finding::new(NAME, kind));
            }
        }
        if !seen.has_token()
            && seen.get("oauth_callback").is_none()
            && seen.get("oauth_verifier").is_none()
        {
            out.push(Finding::new(NAME, FindingKind::MissingToken));
        }
        if self.base.is_none() && !seen.host.is_empty() {
            let label = self.account.host_label();
            let ours = [
                format!("{label}.restlets.api.netsuite.com"),
                format!("{label}.app.netsuite.com"),
                format!("{label}.suitetalk.api.netsuite.com"),
            ];
            // NetSuite takes the token steps at system.netsuite.com too (2020.1).
            if !ours.contains(&seen.host) && seen.host != "system.netsuite.com" {
                let expected =
                    if seen.host.contains("suitetalk") || seen.host.contains("webservices") {
                        ours[2].clone()
                    } else if seen.host.contains(".app.") || seen.host.starts_with("system.") {
                        ours[1].clone()
                    } else {
                        ours[0].clone()
                    };
                out.push(Finding::new(
                    NAME,
                    FindingKind::Host {
                        found: shown(&seen.host),
                        expected,
                    },
                ));
            }
        }
        out
    }
}

impl ServiceProvider for NetSuite {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn signature_method(&self) -> &str {
        "HMAC-SHA256"
    }
    fn realm(&self) -> Option<&str> {
        Some(&self.realm)
    }
    fn parse_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
        parse_error(status, headers, body)
    }
}

/// Reads NetSuite's two JSON error shapes (REST web services' `o:errorDetails`, RESTlets'
/// `{"error": {"code", "message"}}`); anything else as the default does.
pub fn parse_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
    let Some(json) = error_body::json(body) else {
        return ProviderError::parse(status, headers, body);
    };
    if let Some(details) = json.get("o:errorDetails").and_then(|d| d.as_array()) {
        let title = error_body::str_of(&json, "title").unwrap_or("error");
        let detail = details
            .iter()
            .take(8)
            .map(|d| {
                let code = error_body::str_of(d, "o:errorCode").unwrap_or("");
                let text = error_body::str_of(d, "detail").unwrap_or("");
                if code.is_empty() {
                    text.to_owned()
                } else {
                    format!("{code}: {text}")
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        return error_body::with_problem(status, headers, body, title, Some(detail));
    }
    if let Some(error) = json.get("error") {
        let code = error_body::str_of(error, "code").unwrap_or("error");
        let message = error_body::str_of(error, "message").map(str::to_owned);
        return error_body::with_problem(status, headers, body, code, message);
    }
    let mut error = ProviderError::parse(status, headers, body);
    if error.problem.is_none() && error.codes.is_empty() {
        if let Some(message) = error_body::str_of(&json, "message") {
            error.codes = vec![ErrorCode {
                code: i64::from(status.as_u16()),
                message: error_body::text(message),
            }];
            error.snippet = None;
        }
    }
    error
}

/// Whether a NetSuite error is the bare "Invalid login attempt", whose usual causes are the
/// realm's form, HMAC-SHA1, the clock, another account's domain, or a revoked token (see
/// `docs/providers.md`).
pub fn is_invalid_login(error: &ProviderError) -> bool {
    error.problem.as_ref().is_some_and(|p| {
        let text = format!("{} {}", p.title, p.detail.as_deref().unwrap_or(""));
        text.contains("INVALID_LOGIN") || text.to_ascii_lowercase().contains("invalid login")
    })
}

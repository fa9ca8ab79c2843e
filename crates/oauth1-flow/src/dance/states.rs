//! The states between the steps of the dance: the pending ones wait for a response, the
//! others (`Serialize + Deserialize`) are what an application keeps between requests.

use std::fmt;

use oauth1_core::{Secret, TokenCredentials};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::error::{Error, Step};
use crate::problem::ProviderError;
use crate::provider::ServiceProvider;
use crate::secret_serde;
use crate::url::{callback_params, with_query};

use super::response::{read, Awaiting, TokenFields};
use super::{Callback, Flow};

/// The `handle_response` and `handle_response_for` of a pending state, the same for each but
/// for the doc of `handle_response` and the state they lead to: both [`read`] the response,
/// with the default error parser or the provider's.
macro_rules! handle_response {
    ($(#[$doc:meta])* $next:ty) => {
        $(#[$doc])*
        pub fn handle_response(self, response: http::Response<Vec<u8>>) -> Result<$next, Error> {
            read(self, &ProviderError::parse, response)
        }

        /// Like [`handle_response`](Self::handle_response), with the provider's error parser.
        pub fn handle_response_for<P: ServiceProvider + ?Sized>(
            self,
            provider: &P,
            response: http::Response<Vec<u8>>,
        ) -> Result<$next, Error> {
            read(self, &|s, h, b| provider.parse_error(s, h, b), response)
        }
    };
}

/// Waiting for the answer to the request-token request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[must_use = "the response must be handed to handle_response"]
pub struct PendingRequestToken {
    pub(super) callback: Callback,
    /// Whether the response must confirm the callback
    /// ([`ServiceProvider::requires_callback_confirmed`]).
    #[serde(default = "yes")]
    pub(super) confirm_callback: bool,
}

fn yes() -> bool {
    true
}

impl PendingRequestToken {
    handle_response! {
        /// Reads the response: a form with `oauth_token`, `oauth_token_secret` and
        /// `oauth_callback_confirmed=true` (anything else is a typed error).
        RequestToken
    }
}

impl Awaiting for PendingRequestToken {
    type Next = RequestToken;

    fn step(&self) -> Step {
        Step::RequestToken
    }

    fn next(self, fields: TokenFields) -> Result<RequestToken, Error> {
        let TokenFields {
            token,
            secret,
            rest: mut extra,
        } = fields;
        let confirmed = extra
            .iter()
            .position(|(n, _)| n == "oauth_callback_confirmed");
        match confirmed {
            Some(i) if extra[i].1 == "true" => {
                extra.remove(i);
            }
            None if !self.confirm_callback => {}
            _ => return Err(Error::CallbackNotConfirmed),
        }
        Ok(RequestToken {
            token,
            secret,
            callback: self.callback,
            extra,
        })
    }
}

/// Temporary credentials (§2.1): park this between sending the user to the provider and the
/// callback (it holds the request token's secret: keep it in a private store).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestToken {
    token: String,
    #[serde(with = "secret_serde")]
    secret: Secret,
    callback: Callback,
    /// Other fields of the response, in order.
    extra: Vec<(String, String)>,
}

impl fmt::Debug for RequestToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestToken")
            .field("token", &self.token)
            .field("secret", &self.secret)
            .field("callback", &self.callback)
            .field("extra", &self.extra)
            .finish()
    }
}

impl RequestToken {
    /// The request token (`oauth_token`; public: it travels in the authorization URL).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The callback the dance was started with.
    pub fn callback(&self) -> &Callback {
        &self.callback
    }

    /// Other fields of the response.
    pub fn extra(&self) -> &[(String, String)] {
        &self.extra
    }

    /// Where to send the user (§2.2): the authorize endpoint with `oauth_token`, the provider's
    /// [`authorize_params`](ServiceProvider::authorize_params) and `extra` query parameters
    /// (e.g. `("force_login", "true")`; one named like a provider's parameter replaces it).
    pub fn authorize_url<P: ServiceProvider>(
        &self,
        flow: &Flow<P>,
        extra: &[(&str, &str)],
    ) -> Result<String, Error> {
        let url = &flow.provider().endpoints().authorize;
        crate::url::check_absolute("authorize", url)?;
        Ok(self.url_to(flow.provider(), url, extra))
    }

    /// Like [`authorize_url`](Self::authorize_url) with the "Sign in with …" endpoint, which
    /// skips the page for a user who already approved the app.
    pub fn authenticate_url<P: ServiceProvider>(
        &self,
        flow: &Flow<P>,
        extra: &[(&str, &str)],
    ) -> Result<String, Error> {
        let url = flow
            .provider()
            .endpoints()
            .authenticate
            .as_deref()
            .ok_or(Error::NoEndpoint("authenticate"))?;
        crate::url::check_absolute("authenticate", url)?;
        Ok(self.url_to(flow.provider(), url, extra))
    }

    fn url_to<P: ServiceProvider>(
        &self,
        provider: &P,
        url: &str,
        extra: &[(&str, &str)],
    ) -> String {
        let preset = provider.authorize_params();
        let kept = preset
            .iter()
            .filter(|(name, _)| !extra.iter().any(|(n, _)| n == name))
            .map(|(n, v)| (n.as_str(), v.as_str()));
        with_query(
            url,
            std::iter::once(("oauth_token", self.token.as_str()))
                .chain(kept)
                .chain(extra.iter().copied()),
        )
    }

    /// Step 2 (§2.2), callback: reads the callback the provider redirected the user to (the
    /// full URL, or its query), checks that its `oauth_token` is this request token, and takes
    /// the `oauth_verifier`. The request token is not consumed: a bad callback loses nothing.
    pub fn verifier_from_callback(&self, callback: &str) -> Result<Verifier, Error> {
        let params = callback_params(callback)?;
        let get = |name: &str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        if get("denied").is_some() {
            return Err(Error::Denied);
        }
        let token = get("oauth_token").ok_or(Error::MissingField {
            step: Step::Callback,
            field: "oauth_token",
        })?;
        if !bool::from(token.as_bytes().ct_eq(self.token.as_bytes())) {
            return Err(Error::TokenMismatch);
        }
        let verifier = get("oauth_verifier")
            .filter(|v| !v.is_empty())
            .ok_or(Error::MissingVerifier)?;
        Ok(self.verifier(verifier))
    }

    /// Step 2 (§2.2), out of band: the PIN the provider showed the user (spaces around it are
    /// ignored).
    pub fn verifier_from_pin(&self, pin: &str) -> Result<Verifier, Error> {
        let pin = pin.trim();
        if pin.is_empty() {
            return Err(Error::EmptyPin);
        }
        Ok(self.verifier(pin))
    }

    fn verifier(&self, verifier: &str) -> Verifier {
        Verifier {
            token: self.token.clone(),
            secret: self.secret.clone(),
            verifier: verifier.to_owned(),
        }
    }
}

/// An authorized request token with its verifier, ready for step 3.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verifier {
    pub(super) token: String,
    #[serde(with = "secret_serde")]
    pub(super) secret: Secret,
    pub(super) verifier: String,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("token", &self.token)
            .field("secret", &self.secret)
            .field("verifier", &"[redacted]")
            .finish()
    }
}

impl Verifier {
    /// The request token it authorizes.
    pub fn token(&self) -> &str {
        &self.token
    }
}

/// Waiting for the answer to the access-token (or xAuth) request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "the response must be handed to handle_response"]
pub struct PendingAccessToken {
    pub(super) step: Step,
}

impl PendingAccessToken {
    handle_response! {
        /// Reads the response: a form with `oauth_token` and `oauth_token_secret`, and whatever
        /// else the provider adds (`user_id`, `screen_name`, …), kept in order.
        AccessToken
    }
}

impl Awaiting for PendingAccessToken {
    type Next = AccessToken;

    fn step(&self) -> Step {
        self.step
    }

    fn next(self, fields: TokenFields) -> Result<AccessToken, Error> {
        let TokenFields {
            token,
            secret,
            rest: fields,
        } = fields;
        Ok(AccessToken {
            token,
            secret,
            fields,
        })
    }
}

/// Token credentials (§2.3): what the application keeps to act for the user.
///
/// Serializable, to store it; it holds the token secret, so store it privately.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessToken {
    token: String,
    #[serde(with = "secret_serde")]
    secret: Secret,
    /// The other fields of the response, in order.
    #[serde(default)]
    fields: Vec<(String, String)>,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &self.token)
            .field("secret", &self.secret)
            .field("fields", &self.fields)
            .finish()
    }
}

impl AccessToken {
    /// An access token obtained elsewhere (a config file, a provider's developer page).
    pub fn new(token: impl Into<String>, secret: impl Into<Secret>) -> Self {
        AccessToken {
            token: token.into(),
            secret: secret.into(),
            fields: Vec::new(),
        }
    }

    /// `oauth_token`.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// `oauth_token_secret`.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The token and its secret, for a signer.
    pub fn credentials(&self) -> TokenCredentials {
        TokenCredentials::new(self.token.clone(), self.secret.clone())
    }

    /// A field of the response other than the token and its secret (`user_id`,
    /// `screen_name`, …).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// All the other fields, in the order the provider sent them.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }
}

//! The error type of the crate.

use std::fmt;

use crate::problem::ProviderError;
use crate::transport::TransportError;

/// The step of the dance (or of a signed call) an error happened in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Step {
    /// Asking for temporary credentials (§2.1).
    RequestToken,
    /// Reading the callback or the PIN (§2.2).
    Callback,
    /// Exchanging the verifier for token credentials (§2.3).
    AccessToken,
    /// Exchanging a username and password for token credentials (xAuth).
    XAuth,
    /// Revoking an access token.
    InvalidateToken,
    /// A signed call with an access token.
    Resource,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::RequestToken => "request-token",
            Step::Callback => "callback",
            Step::AccessToken => "access-token",
            Step::XAuth => "xAuth",
            Step::InvalidateToken => "invalidate-token",
            Step::Resource => "resource",
        })
    }
}

/// Everything that can go wrong in the dance or a signed call. Messages never contain a secret.
///
/// A variant that wraps another error (a [`TransportError`], a signing error, a decoding error,
/// an `http::Error`) says only what failed at this level; the cause is its
/// [`source`](std::error::Error::source). Print the whole chain with an error reporter or
/// [`oauth1_core::Chain`]: `resource request failed: could not connect: …`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or its response read.
    #[error("{step} request failed")]
    Transport {
        /// The step.
        step: Step,
        /// What the transport said (see [`TransportError::kind`]).
        #[source]
        source: TransportError,
    },
    /// The request could not be signed.
    #[error("signing failed")]
    Signing(#[from] oauth1_core::Error),
    /// The provider answered with an error status.
    #[error("the provider refused the {step} request: {error}")]
    Provider {
        /// The step.
        step: Step,
        /// The parsed error body, status and `Date`.
        error: Box<ProviderError>,
    },
    /// A 2xx token response that is not a form-encoded token (an HTML page, JSON, garbage).
    #[error("the {step} response is not a form-encoded token (Content-Type {content_type}; body starts {snippet:?}): check the endpoint URL and method")]
    NotFormEncoded {
        /// The step.
        step: Step,
        /// The `Content-Type`, or `none`.
        content_type: String,
        /// The start of the body.
        snippet: String,
    },
    /// A token response without a required field (a truncated body, or a provider quirk).
    #[error("the {step} response has no `{field}`")]
    MissingField {
        /// The step.
        step: Step,
        /// The field.
        field: &'static str,
    },
    /// The request-token response did not say `oauth_callback_confirmed=true` (RFC 5849 §2.1):
    /// the provider may be a pre-1.0a one, open to session fixation. Refused.
    #[error("the provider did not confirm the callback (`oauth_callback_confirmed=true` is missing): it does not speak OAuth 1.0a, and continuing would expose the user to session fixation")]
    CallbackNotConfirmed,
    /// The callback's `oauth_token` is not the request token this dance is at.
    #[error("the callback is for another request token (`oauth_token` does not match the one this dance started with): start a new dance")]
    TokenMismatch,
    /// The callback has no `oauth_verifier`.
    #[error("the callback has no `oauth_verifier`")]
    MissingVerifier,
    /// The user declined (the callback carries `denied=`).
    #[error("the user denied access")]
    Denied,
    /// The PIN typed by the user is empty.
    #[error("the PIN is empty: type the code the provider showed after authorizing")]
    EmptyPin,
    /// The callback could not be parsed.
    #[error("the callback query cannot be decoded")]
    BadCallback(#[source] oauth1_core::DecodeError),
    /// The provider does not offer xAuth.
    #[error("this provider does not offer xAuth (username and password for a token); use the three-legged dance")]
    XAuthNotOffered,
    /// The provider has no such endpoint.
    #[error("this provider has no {0} endpoint")]
    NoEndpoint(&'static str),
    /// A URL of the provider configuration or of a request is not absolute `http(s)`.
    #[error("the {what} URL `{url}` is not an absolute http(s) URL")]
    InvalidUrl {
        /// Which URL.
        what: &'static str,
        /// The URL (URLs hold no secrets here: signatures and tokens are not secrets).
        url: String,
    },
    /// A streamed line is longer than the limit.
    #[error("a streamed line is longer than {limit} bytes: raise the limit or check the endpoint")]
    LineTooLong {
        /// The limit.
        limit: usize,
    },
    /// A request could not be built (an invalid URI or header value).
    #[error("the request could not be built")]
    Request(#[source] http::Error),
}

impl Error {
    pub(crate) fn transport(step: Step) -> impl FnOnce(TransportError) -> Error {
        move |source| Error::Transport { step, source }
    }

    /// The provider's error, if that is what this is.
    pub fn provider_error(&self) -> Option<&ProviderError> {
        match self {
            Error::Provider { error, .. } => Some(error),
            _ => None,
        }
    }
}

//! Twitter's errors, typed, with the rate-limit headers.

use std::fmt;

use oauth1_flow::{ErrorCode, ProviderError};

/// A well-known Twitter error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// 32: Could not authenticate you (signature, consumer key, nonce).
    CouldNotAuthenticate,
    /// 88: Rate limit exceeded.
    RateLimitExceeded,
    /// 89: Invalid or expired token.
    InvalidOrExpiredToken,
    /// 135: Timestamp out of bounds (the clock is off).
    TimestampOutOfBounds,
    /// 215: Bad authentication data (no or malformed OAuth parameters).
    BadAuthenticationData,
    /// 415: Callback URL not approved for this app.
    CallbackNotApproved,
    /// 453: The endpoint is not in your access tier.
    NotInAccessTier,
    /// Any other code.
    Other(i64),
}

impl Code {
    /// The code for a number.
    pub fn from_number(n: i64) -> Self {
        match n {
            32 => Code::CouldNotAuthenticate,
            88 => Code::RateLimitExceeded,
            89 => Code::InvalidOrExpiredToken,
            135 => Code::TimestampOutOfBounds,
            215 => Code::BadAuthenticationData,
            415 => Code::CallbackNotApproved,
            453 => Code::NotInAccessTier,
            other => Code::Other(other),
        }
    }

    /// What to do about it.
    pub fn advice(self) -> &'static str {
        match self {
            Code::CouldNotAuthenticate => "the signature was refused: check the consumer key and secret and the token secret, and compare the base string (`oauth1 sign --explain`)",
            Code::RateLimitExceeded => "wait until the rate-limit reset time",
            Code::InvalidOrExpiredToken => "the access token was revoked or never existed: run the authorization again",
            Code::TimestampOutOfBounds => "the system clock is off: fix it, or enable clock-skew retry",
            Code::BadAuthenticationData => "the request carries no (or malformed) OAuth parameters",
            Code::CallbackNotApproved => "add the callback URL to the app's settings in the developer portal",
            Code::NotInAccessTier => "this endpoint needs a higher API access tier",
            Code::Other(_) => "see the message",
        }
    }
}

/// `x-rate-limit-limit`, `x-rate-limit-remaining`, `x-rate-limit-reset` (epoch seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub limit: u64,
    /// Requests left.
    pub remaining: u64,
    /// When the window resets, in Unix seconds.
    pub reset: u64,
}

impl RateLimit {
    /// Reads the headers, if all three are there.
    pub fn from_headers(headers: &http::HeaderMap) -> Option<Self> {
        let get =
            |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
        Some(RateLimit {
            limit: get("x-rate-limit-limit")?,
            remaining: get("x-rate-limit-remaining")?,
            reset: get("x-rate-limit-reset")?,
        })
    }
}

/// Everything that can go wrong talking to Twitter. Never holds a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The dance or the transport failed (see the flow's error for the step and the kind).
    #[error(transparent)]
    Flow(#[from] oauth1_flow::Error),
    /// The API answered with an error.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A 2xx answer whose body is not the expected JSON.
    #[error("the response body is not the JSON this call expects")]
    Body(#[source] serde_json::Error),
}

impl Error {
    /// The API error, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether Twitter gave this code (in an API call, or in a step of the dance).
    pub fn has_code(&self, code: Code) -> bool {
        match self {
            Error::Api(e) => e.codes().contains(&code),
            Error::Flow(e) => e
                .provider_error()
                .is_some_and(|p| p.codes.iter().any(|c| Code::from_number(c.code) == code)),
            Error::Body(_) => false,
        }
    }
}

/// An error answer from the API: status, codes and messages (v1.1), problem details (v2), the
/// rate limit, and the server's `Date`.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The parsed body and status.
    pub error: ProviderError,
    /// The rate limit headers.
    pub rate_limit: Option<RateLimit>,
}

impl ApiError {
    pub(crate) fn new(status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> Self {
        ApiError {
            error: ProviderError::parse(status, headers, body),
            rate_limit: RateLimit::from_headers(headers),
        }
    }

    /// The codes, typed.
    pub fn codes(&self) -> Vec<Code> {
        self.error
            .codes
            .iter()
            .map(|c: &ErrorCode| Code::from_number(c.code))
            .collect()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Twitter refused the request: {}", self.error)?;
        if let Some(code) = self.codes().first() {
            write!(f, " ({})", code.advice())?;
        }
        if let Some(r) = self.rate_limit {
            write!(
                f,
                " [rate limit {}/{} until {}]",
                r.remaining, r.limit, r.reset
            )?;
        }
        Ok(())
    }
}

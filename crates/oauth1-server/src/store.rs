//! What a verifier looks things up in: the [`CredentialStore`] (secrets by key) and the
//! [`NonceStore`] (nonces already used), both asynchronous so that a database or Redis can
//! back them, and the [`StoreError`] they fail with.

use std::sync::Arc;

use async_trait::async_trait;
use oauth1_core::{NonceUse, Secret};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A request token (temporary credentials), usable only at the access-token endpoint.
    Temporary,
    /// An access token (token credentials).
    Access,
}

/// A token as the credential store knows it.
#[derive(Debug, Clone)]
pub struct TokenRecord {
    /// The consumer the token was issued to.
    pub consumer_key: String,
    /// The token secret.
    pub secret: Secret,
    /// Temporary or access.
    pub kind: TokenKind,
}

/// A store could not answer: the database or Redis is down, timed out, or answered
/// nonsense. This is not a verdict on the request; see
/// [`StoreFailurePolicy`](crate::StoreFailurePolicy) for what the verifier does with it.
///
/// The message names the store and the cause, never a key or a secret.
#[derive(Debug, thiserror::Error)]
#[error("the {store} store failed: {cause}")]
pub struct StoreError {
    store: &'static str,
    cause: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl StoreError {
    /// A failure of the store named `store` (`"nonce"`, `"credential"`, or your own name),
    /// with a cause a person can act on.
    pub fn new(store: &'static str, cause: impl Into<String>) -> Self {
        StoreError {
            store,
            cause: cause.into(),
            source: None,
        }
    }

    /// Keeps the underlying error as the [`source`](std::error::Error::source).
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Which store failed.
    pub fn store(&self) -> &'static str {
        self.store
    }
}

/// Looks up secrets by key: consumer keys and tokens.
///
/// `Ok(None)` means "no such consumer/token" (the request is rejected); `Err` means the store
/// could not tell (the request is refused as a store failure, never accepted).
#[async_trait]
pub trait CredentialStore: Send + Sync {
    /// The secret of a registered consumer.
    async fn consumer_secret(&self, consumer_key: &str) -> Result<Option<Secret>, StoreError>;
    /// A token, if it exists and has not expired or been revoked.
    async fn token(&self, token: &str) -> Result<Option<TokenRecord>, StoreError>;

    /// The RSA public key registered for a consumer that signs with RSA-SHA1, RSA-SHA256 or
    /// RSA-SHA512 (feature `rsa`), as Jira's application links register one. `Ok(None)` (the
    /// default) means the consumer has none: its RSA-signed requests are refused as using a
    /// method it does not accept (a consumer with a secret) or as from an unknown consumer (one
    /// without). Such a consumer needs no [`consumer_secret`](Self::consumer_secret).
    #[cfg(feature = "rsa")]
    async fn consumer_public_key(
        &self,
        consumer_key: &str,
    ) -> Result<Option<oauth1_core::RsaKey>, StoreError> {
        let _ = consumer_key;
        Ok(None)
    }
}

/// One nonce to record, with the time and window it is judged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NonceRecord<'a> {
    /// The nonce, its timestamp, consumer and token.
    pub nonce: NonceUse<'a>,
    /// The verifier's current time (Unix seconds).
    pub now: u64,
    /// The accepted timestamp skew (seconds either way).
    pub window: u64,
}

impl NonceRecord<'_> {
    /// How long the store must remember this nonce, in seconds (at least 1): until its
    /// timestamp leaves the window (`timestamp + window`), after which the timestamp check
    /// refuses the request anyway. At most `2 × window + 1`.
    pub fn ttl(&self) -> u64 {
        let until = self.nonce.timestamp.saturating_add(self.window);
        until
            .saturating_sub(self.now)
            .saturating_add(1)
            .min(self.window.saturating_mul(2).saturating_add(1))
    }
}

/// Remembers nonces for as long as their timestamp is acceptable, so that a request cannot be
/// replayed (RFC 5849 §3.3: a nonce is unique for all requests with the same timestamp,
/// client credentials and token).
#[async_trait]
pub trait NonceStore: Send + Sync {
    /// Records the nonce atomically; `Ok(true)` if it had not been seen (the request may
    /// proceed), `Ok(false)` if it had (a replay), `Err` if the store cannot tell.
    async fn check_and_record(&self, record: &NonceRecord<'_>) -> Result<bool, StoreError>;
}

#[async_trait]
impl<T: CredentialStore + ?Sized> CredentialStore for Arc<T> {
    async fn consumer_secret(&self, consumer_key: &str) -> Result<Option<Secret>, StoreError> {
        (**self).consumer_secret(consumer_key).await
    }
    async fn token(&self, token: &str) -> Result<Option<TokenRecord>, StoreError> {
        (**self).token(token).await
    }
    #[cfg(feature = "rsa")]
    async fn consumer_public_key(
        &self,
        consumer_key: &str,
    ) -> Result<Option<oauth1_core::RsaKey>, StoreError> {
        (**self).consumer_public_key(consumer_key).await
    }
}

#[async_trait]
impl<T: NonceStore + ?Sized> NonceStore for Arc<T> {
    async fn check_and_record(&self, record: &NonceRecord<'_>) -> Result<bool, StoreError> {
        (**self).check_and_record(record).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(timestamp: u64, now: u64, window: u64) -> NonceRecord<'static> {
        NonceRecord {
            nonce: NonceUse {
                consumer_key: "k",
                token: None,
                nonce: "n",
                timestamp,
            },
            now,
            window,
        }
    }

    #[test]
    fn a_nonce_is_kept_until_its_timestamp_leaves_the_window() {
        // On time: the window's length, plus the second the timestamp is still accepted.
        assert_eq!(record(1000, 1000, 300).ttl(), 301);
        // At the edge of the past: one second left.
        assert_eq!(record(700, 1000, 300).ttl(), 1);
        // From the future: the longest.
        assert_eq!(record(1300, 1000, 300).ttl(), 601);
        // Never zero (Redis refuses `EX 0`), never unbounded.
        assert_eq!(record(0, 1000, 300).ttl(), 1);
        assert_eq!(record(u64::MAX, 0, 300).ttl(), 601);
    }
}

//! [`Verifier`]: checks incoming signed requests against a [`CredentialStore`], a timestamp
//! window and a [`NonceStore`].

use std::sync::Arc;

use http::StatusCode;
use oauth1_core::{AnyMethod, Policy, Received, SignatureMethod, VerifyError};

use crate::clock::{Clock, SystemClock};
use crate::memory::MemoryNonceStore;
use crate::store::{CredentialStore, NonceRecord, NonceStore, StoreError, TokenKind};

/// Why a request was refused: for the server log and for the response. Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// No OAuth parameters at all.
    #[error("the request is not signed")]
    NotSigned,
    /// The OAuth parameters could not be read.
    #[error("malformed OAuth request: {0}")]
    Malformed(String),
    /// The consumer key is not registered.
    #[error("unknown consumer key `{0}`")]
    UnknownConsumer(String),
    /// The token does not exist, expired, was revoked, or belongs to another consumer.
    #[error("invalid or expired token")]
    UnknownToken,
    /// A token of the wrong kind (a request token on a resource, an access token at the
    /// access-token endpoint), or no token where one is needed.
    #[error("this endpoint needs {0}")]
    WrongToken(&'static str),
    /// The signature method is not accepted.
    #[error("signature method `{0}` is not accepted")]
    UnsupportedMethod(String),
    /// The signature does not match.
    #[error("invalid signature")]
    BadSignature,
    /// The timestamp is outside the window.
    #[error("timestamp out of bounds ({skew} s from the server clock, window ±{window} s)")]
    StaleTimestamp {
        /// `timestamp - now`.
        skew: i64,
        /// The window.
        window: u64,
        /// The server's clock when it checked (Unix seconds).
        now: u64,
    },
    /// The nonce was used before.
    #[error("nonce already used")]
    ReplayedNonce,
    /// `oauth_body_hash` does not match or is misused.
    #[error("oauth_body_hash does not match the body")]
    BodyHash,
    /// The body is larger than the verifier reads (form bodies hold parameters, so they are
    /// read whole).
    #[error("the request body is larger than {limit} bytes")]
    BodyTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The body could not be read.
    #[error("the request body could not be read")]
    BodyUnreadable,
}

impl Rejection {
    /// The HTTP status for this rejection (RFC 5849 §3.2): 400 for a request the server cannot
    /// read (malformed parameters, an unsupported signature method), 413 for a body over the
    /// limit, 401 for credentials, signature, timestamp or nonce that do not pass.
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::Malformed(_)
            | Rejection::UnsupportedMethod(_)
            | Rejection::BodyUnreadable => StatusCode::BAD_REQUEST,
            Rejection::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::UNAUTHORIZED,
        }
    }

    /// The `oauth_problem` value of the OAuth Problem Reporting extension
    /// (`nonce_used`, `timestamp_refused`, `signature_invalid`, …): what a client library can
    /// act on.
    pub fn oauth_problem(&self) -> &'static str {
        match self {
            Rejection::NotSigned => "parameter_absent",
            Rejection::Malformed(_) | Rejection::BodyHash => "parameter_rejected",
            Rejection::UnknownConsumer(_) => "consumer_key_unknown",
            Rejection::UnknownToken | Rejection::WrongToken(_) => "token_rejected",
            Rejection::UnsupportedMethod(_) => "signature_method_rejected",
            Rejection::BadSignature => "signature_invalid",
            Rejection::StaleTimestamp { .. } => "timestamp_refused",
            Rejection::ReplayedNonce => "nonce_used",
            Rejection::BodyTooLarge { .. } | Rejection::BodyUnreadable => "parameter_rejected",
        }
    }

    /// The timestamps the server would have accepted when it refused this one: `now - window`
    /// to `now + window`, inclusive (sent as `oauth_acceptable_timestamps`, OAuth Problem
    /// Reporting). `None` for any other rejection.
    ///
    /// ```
    /// use oauth1_server::Rejection;
    ///
    /// let stale = Rejection::StaleTimestamp { skew: -1000, window: 300, now: 1_000_000 };
    /// assert_eq!(stale.acceptable_timestamps(), Some((999_700, 1_000_300)));
    /// assert_eq!(Rejection::BadSignature.acceptable_timestamps(), None);
    /// ```
    pub fn acceptable_timestamps(&self) -> Option<(u64, u64)> {
        match *self {
            Rejection::StaleTimestamp { window, now, .. } => {
                Some((now.saturating_sub(window), now.saturating_add(window)))
            }
            _ => None,
        }
    }

    /// The rejection for a core error met while verifying at time `now`.
    pub(crate) fn from_core(error: oauth1_core::Error, now: u64) -> Self {
        match error {
            oauth1_core::Error::Verify(v) => match v {
                VerifyError::NotSigned => Rejection::NotSigned,
                VerifyError::InvalidSignature => Rejection::BadSignature,
                VerifyError::NonceReused => Rejection::ReplayedNonce,
                VerifyError::TimestampOutOfWindow { skew, window } => {
                    Rejection::StaleTimestamp { skew, window, now }
                }
                VerifyError::SignatureMethod { received, .. } => {
                    Rejection::UnsupportedMethod(received)
                }
                VerifyError::BodyHashMismatch | VerifyError::BodyHashOnForm => Rejection::BodyHash,
                other => Rejection::Malformed(other.to_string()),
            },
            oauth1_core::Error::Misuse(oauth1_core::Misuse::UnknownMethod(m)) => {
                Rejection::UnsupportedMethod(m)
            }
            oauth1_core::Error::Misuse(oauth1_core::Misuse::RsaKeyRequired(m)) => {
                Rejection::UnsupportedMethod(m.to_owned())
            }
            other => Rejection::Malformed(other.to_string()),
        }
    }
}

/// Why verification did not accept a request: a verdict on the request, or a store that could
/// not answer. Keep them apart: the first is the client's problem (401/400), the second yours
/// (503, and an alert).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyFailure {
    /// The request is not acceptable.
    #[error("request rejected: {0}")]
    Rejected(#[from] Rejection),
    /// A store failed, and the policy is to refuse (see [`StoreFailurePolicy`]).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl VerifyFailure {
    /// The rejection, if the request was judged.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            VerifyFailure::Rejected(r) => Some(r),
            VerifyFailure::Store(_) => None,
        }
    }
}

/// What the verifier does when the [`NonceStore`] fails (is down, times out, is full).
///
/// A failing [`CredentialStore`] always refuses: without the secret nothing can be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StoreFailurePolicy {
    /// Refuse the request with [`VerifyFailure::Store`] (the middleware answers 503 with
    /// `Retry-After`). The safe default: a replay cannot slip through while the store is down.
    #[default]
    Reject,
    /// Accept a request whose signature and timestamp pass without the replay check, marked
    /// [`Verified::replay_checked`] `= false`. Availability over replay protection: only for
    /// idempotent, low-value endpoints, and log it.
    AcceptUnchecked,
}

/// A request that passed verification.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The consumer key.
    pub consumer_key: String,
    /// The token and its kind, if the request carried one.
    pub token: Option<(String, TokenKind)>,
    /// Whether the nonce store recorded the nonce; `false` only for a PLAINTEXT request without
    /// nonce, or under [`StoreFailurePolicy::AcceptUnchecked`] while the store was failing.
    pub replay_checked: bool,
    /// The parsed request (protocol parameters, base string, all parameters).
    pub received: Received,
}

/// Verifies signed requests (HMAC-SHA1/256/512, and PLAINTEXT when allowed): parses the
/// protocol parameters from the header, the query or the form body, looks the secrets up,
/// checks the timestamp window, the signature (in constant time), and last records the nonce,
/// so that only authentic requests reach the nonce store.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Placement, Signer};
/// use oauth1_server::{ManualClock, MemoryCredentials, MemoryNonceStore, Rejection, Verifier, VerifyFailure};
///
/// let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None).unwrap();
/// let mut request = http::Request::get("http://127.0.0.1:8080/r?a=1").body(Vec::new()).unwrap();
/// signer.sign_http(&mut request, Placement::Header, &OAuthParams::new("n1", 1_000)).unwrap();
///
/// let credentials = MemoryCredentials::new().consumer("key", "secret");
/// let verifier = Verifier::new(credentials, MemoryNonceStore::default())
///     .clock(ManualClock::new(1_010));
/// let verified = verifier.verify(&request, "http").await.unwrap();
/// assert_eq!(verified.consumer_key, "key");
/// // The same request again is a replay.
/// assert!(matches!(
///     verifier.verify(&request, "http").await,
///     Err(VerifyFailure::Rejected(Rejection::ReplayedNonce))
/// ));
/// # }
/// ```
pub struct Verifier<C, N = MemoryNonceStore> {
    credentials: C,
    nonces: N,
    window: u64,
    plaintext: bool,
    clock: Arc<dyn Clock>,
    on_store_failure: StoreFailurePolicy,
}

impl<C, N> std::fmt::Debug for Verifier<C, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("window", &self.window)
            .field("plaintext", &self.plaintext)
            .field("now", &self.clock.now())
            .field("on_store_failure", &self.on_store_failure)
            .finish_non_exhaustive()
    }
}

impl<C: CredentialStore, N: NonceStore> Verifier<C, N> {
    /// A verifier with the default window (±300 s) and the system clock; PLAINTEXT is refused
    /// unless allowed; a failing nonce store refuses.
    pub fn new(credentials: C, nonces: N) -> Self {
        Verifier {
            credentials,
            nonces,
            window: oauth1_core::verify::DEFAULT_WINDOW,
            plaintext: false,
            clock: Arc::new(SystemClock),
            on_store_failure: StoreFailurePolicy::Reject,
        }
    }

    /// The accepted timestamp skew, in seconds either way (default 300). The nonce store keeps
    /// each nonce as long as its timestamp is inside this window.
    pub fn window(mut self, seconds: u64) -> Self {
        self.window = seconds;
        self
    }

    /// Where the time comes from (default [`SystemClock`]).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// What to do when the nonce store fails (default [`StoreFailurePolicy::Reject`]).
    pub fn on_store_failure(mut self, policy: StoreFailurePolicy) -> Self {
        self.on_store_failure = policy;
        self
    }

    /// Accepts PLAINTEXT signatures (only over TLS, RFC 5849 §3.4.4).
    pub fn allow_plaintext(mut self, allow: bool) -> Self {
        self.plaintext = allow;
        self
    }

    /// The credential store.
    pub fn credentials(&self) -> &C {
        &self.credentials
    }

    /// The nonce store.
    pub fn nonces(&self) -> &N {
        &self.nonces
    }

    /// The timestamp window, in seconds either way.
    pub fn window_seconds(&self) -> u64 {
        self.window
    }

    /// Verifies `request`, received over `scheme` (`http` or `https`; the base string URI is
    /// built from it and the `Host` header unless the request URI is absolute), at the clock's
    /// time.
    pub async fn verify<B: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
        scheme: &str,
    ) -> Result<Verified, VerifyFailure> {
        self.verify_at(request, scheme, self.clock.now()).await
    }

    /// [`verify`](Self::verify) at time `now` (Unix seconds).
    pub async fn verify_at<B: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
        scheme: &str,
        now: u64,
    ) -> Result<Verified, VerifyFailure> {
        let received =
            Received::parse_http(request, scheme).map_err(|e| Rejection::from_core(e, now))?;
        let method = AnyMethod::from_name(received.signature_method())
            .map_err(|e| Rejection::from_core(e, now))?;
        if matches!(method, AnyMethod::Plaintext) && !self.plaintext {
            return Err(Rejection::UnsupportedMethod("PLAINTEXT".into()).into());
        }
        let consumer_key = received.consumer_key().to_owned();
        let consumer_secret = self
            .credentials
            .consumer_secret(&consumer_key)
            .await?
            .ok_or_else(|| Rejection::UnknownConsumer(consumer_key.clone()))?;
        let token = match received.token() {
            Some(t) => {
                let record = self
                    .credentials
                    .token(t)
                    .await?
                    .filter(|r| r.consumer_key == consumer_key)
                    .ok_or(Rejection::UnknownToken)?;
                Some((t.to_owned(), record))
            }
            None => None,
        };
        let policy = Policy::new(now).window(self.window);
        let key = method
            .key(&consumer_secret, token.as_ref().map(|(_, r)| &r.secret))
            .map_err(|e| Rejection::from_core(e, now))?;
        let nonce = received
            .verify_except_nonce(&method, &key, &policy)
            .map_err(|e| Rejection::from_core(e, now))?;
        let replay_checked = match nonce {
            None => false,
            Some(nonce) => {
                let record = NonceRecord {
                    nonce,
                    now,
                    window: self.window,
                };
                match self.nonces.check_and_record(&record).await {
                    Ok(true) => true,
                    Ok(false) => return Err(Rejection::ReplayedNonce.into()),
                    Err(e) => match self.on_store_failure {
                        StoreFailurePolicy::AcceptUnchecked => false,
                        StoreFailurePolicy::Reject => return Err(e.into()),
                    },
                }
            }
        };
        Ok(Verified {
            consumer_key,
            token: token.map(|(t, r)| (t, r.kind)),
            replay_checked,
            received,
        })
    }
}

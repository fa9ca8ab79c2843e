//! [`Verifier`]: checks incoming signed requests against stored credentials, a timestamp
//! window and a [`NonceStore`].

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use oauth1_core::{AnyMethod, NonceUse, Policy, Received, Secret, VerifyError};

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

/// Looks up secrets by key: consumer keys and tokens.
pub trait CredentialStore: Send + Sync {
    /// The secret of a registered consumer.
    fn consumer_secret(&self, consumer_key: &str) -> Option<Secret>;
    /// A token, if it exists and has not expired.
    fn token(&self, token: &str) -> Option<TokenRecord>;
}

/// Remembers nonces for the timestamp window so that a request cannot be replayed
/// (RFC 5849 §3.3).
pub trait NonceStore: Send + Sync {
    /// Records the nonce; `true` if it had not been seen. `now` lets the store forget nonces
    /// older than the window.
    fn check_and_record(&self, nonce: &NonceUse<'_>, now: u64) -> bool;
}

type NonceKey = (String, Option<String>, String, u64);

/// An in-memory [`NonceStore`], bounded: it forgets nonces whose timestamp left the window,
/// and holds at most `capacity` of them (when full, a new nonce is refused rather than an old
/// one forgotten, so a flood cannot open a replay window).
#[derive(Debug)]
pub struct MemoryNonceStore {
    window: u64,
    capacity: usize,
    seen: Mutex<Seen>,
}

/// The nonces held, and their arrival order (for expiry).
type Seen = (HashSet<NonceKey>, VecDeque<(u64, NonceKey)>);

impl MemoryNonceStore {
    /// A store for the window `window` (seconds) holding at most `capacity` nonces.
    pub fn new(window: u64, capacity: usize) -> Self {
        MemoryNonceStore {
            window,
            capacity,
            seen: Mutex::new((HashSet::new(), VecDeque::new())),
        }
    }

    /// How many nonces it holds.
    pub fn len(&self) -> usize {
        self.seen.lock().map_or(0, |s| s.0.len())
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for MemoryNonceStore {
    /// ±300 s, one million nonces.
    fn default() -> Self {
        MemoryNonceStore::new(oauth1_core::verify::DEFAULT_WINDOW, 1_000_000)
    }
}

impl NonceStore for MemoryNonceStore {
    fn check_and_record(&self, nonce: &NonceUse<'_>, now: u64) -> bool {
        let Ok(mut guard) = self.seen.lock() else {
            return false;
        };
        let (set, order) = &mut *guard;
        // Forget what left the window (timestamps are within ±window of their arrival, so the
        // arrival order is a good enough expiry order).
        while let Some((arrived, _)) = order.front() {
            if arrived.saturating_add(2 * self.window) >= now {
                break;
            }
            if let Some((_, key)) = order.pop_front() {
                set.remove(&key);
            }
        }
        let key = (
            nonce.consumer_key.to_owned(),
            nonce.token.map(str::to_owned),
            nonce.nonce.to_owned(),
            nonce.timestamp,
        );
        if set.contains(&key) || set.len() >= self.capacity {
            return false;
        }
        set.insert(key.clone());
        order.push_back((now, key));
        true
    }
}

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
    },
    /// The nonce was used before.
    #[error("nonce already used")]
    ReplayedNonce,
    /// `oauth_body_hash` does not match or is misused.
    #[error("oauth_body_hash does not match the body")]
    BodyHash,
}

impl Rejection {
    fn from_core(error: oauth1_core::Error) -> Self {
        match error {
            oauth1_core::Error::Verify(v) => match v {
                VerifyError::NotSigned => Rejection::NotSigned,
                VerifyError::InvalidSignature => Rejection::BadSignature,
                VerifyError::NonceReused => Rejection::ReplayedNonce,
                VerifyError::TimestampOutOfWindow { skew, window } => {
                    Rejection::StaleTimestamp { skew, window }
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

/// A request that passed verification.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The consumer key.
    pub consumer_key: String,
    /// The token and its kind, if the request carried one.
    pub token: Option<(String, TokenKind)>,
    /// The parsed request (protocol parameters, base string, all parameters).
    pub received: Received,
}

/// Verifies signed requests (HMAC-SHA1/256/512 and PLAINTEXT).
///
/// ```
/// use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Placement, Secret, Signer};
/// use oauth1_server::{CredentialStore, MemoryNonceStore, TokenRecord, Verifier};
///
/// struct One;
/// impl CredentialStore for One {
///     fn consumer_secret(&self, key: &str) -> Option<Secret> {
///         (key == "key").then(|| Secret::new("secret"))
///     }
///     fn token(&self, _: &str) -> Option<TokenRecord> {
///         None
///     }
/// }
///
/// let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None).unwrap();
/// let mut request = http::Request::get("http://127.0.0.1:8080/r?a=1").body(Vec::new()).unwrap();
/// signer.sign_http(&mut request, Placement::Header, &OAuthParams::new("n1", 1_000)).unwrap();
///
/// let verifier = Verifier::new(One, MemoryNonceStore::default());
/// assert!(verifier.verify(&request, "http", 1_010).is_ok());
/// // The same request again is a replay.
/// assert!(verifier.verify(&request, "http", 1_011).is_err());
/// ```
#[derive(Debug)]
pub struct Verifier<C, N = MemoryNonceStore> {
    credentials: C,
    nonces: N,
    window: u64,
    plaintext: bool,
}

impl<C: CredentialStore, N: NonceStore> Verifier<C, N> {
    /// A verifier with the default window (±300 s); PLAINTEXT is refused unless allowed.
    pub fn new(credentials: C, nonces: N) -> Self {
        Verifier {
            credentials,
            nonces,
            window: oauth1_core::verify::DEFAULT_WINDOW,
            plaintext: false,
        }
    }

    /// The accepted timestamp skew, in seconds either way.
    pub fn window(mut self, seconds: u64) -> Self {
        self.window = seconds;
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

    /// Verifies `request` (received over `scheme`, `http` or `https`, at time `now`): parses
    /// the protocol parameters from the header, the query or the form body, looks up the
    /// secrets, checks the window, the signature (constant time), and last the nonce.
    pub fn verify<B: AsRef<[u8]>>(
        &self,
        request: &http::Request<B>,
        scheme: &str,
        now: u64,
    ) -> Result<Verified, Rejection> {
        let received = Received::parse_http(request, scheme).map_err(Rejection::from_core)?;
        let method =
            AnyMethod::from_name(received.signature_method()).map_err(Rejection::from_core)?;
        if matches!(method, AnyMethod::Plaintext) && !self.plaintext {
            return Err(Rejection::UnsupportedMethod("PLAINTEXT".into()));
        }
        let consumer_key = received.consumer_key().to_owned();
        let consumer_secret = self
            .credentials
            .consumer_secret(&consumer_key)
            .ok_or_else(|| Rejection::UnknownConsumer(consumer_key.clone()))?;
        let token = match received.token() {
            Some(t) => {
                let record = self.credentials.token(t).ok_or(Rejection::UnknownToken)?;
                if record.consumer_key != consumer_key {
                    return Err(Rejection::UnknownToken);
                }
                Some((t.to_owned(), record))
            }
            None => None,
        };
        let policy = Policy::new(now).window(self.window);
        let mut nonces = |n: &NonceUse<'_>| self.nonces.check_and_record(n, now);
        received
            .verify_with_secrets(
                &method,
                &consumer_secret,
                token.as_ref().map(|(_, r)| &r.secret),
                &policy,
                &mut nonces,
            )
            .map_err(Rejection::from_core)?;
        Ok(Verified {
            consumer_key,
            token: token.map(|(t, r)| (t, r.kind)),
            received,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nonce(n: &str, ts: u64) -> NonceUse<'_> {
        NonceUse {
            consumer_key: "k",
            token: None,
            nonce: n,
            timestamp: ts,
        }
    }

    #[test]
    fn nonces_expire_with_the_window_and_the_store_is_bounded() {
        let store = MemoryNonceStore::new(10, 3);
        assert!(store.check_and_record(&nonce("a", 100), 100));
        assert!(!store.check_and_record(&nonce("a", 100), 101));
        // Same nonce, other timestamp: another use.
        assert!(store.check_and_record(&nonce("a", 101), 101));
        assert!(store.check_and_record(&nonce("b", 101), 101));
        // Full: refused, not forgotten.
        assert!(!store.check_and_record(&nonce("c", 101), 102));
        assert_eq!(store.len(), 3);
        // Long after, the old ones are gone and there is room again.
        assert!(store.check_and_record(&nonce("c", 200), 200));
        assert_eq!(store.len(), 1);
    }
}

//! [`Verifier`]: checks incoming signed requests against a [`CredentialStore`], a timestamp
//! window and a [`NonceStore`].

use std::sync::Arc;

use http::StatusCode;
use oauth1_core::{AnyMethod, Limits, Policy, Received, Secret, SignatureMethod, VerifyError};

use crate::clock::{Clock, SystemClock};
use crate::memory::MemoryNonceStore;
use crate::store::{CredentialStore, NonceRecord, NonceStore, StoreError, TokenKind, TokenRecord};

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
    /// A PLAINTEXT request that did not come over https: its signature is the two secrets
    /// themselves (RFC 5849 §3.4.4). See [`Verifier::allow_plaintext`].
    #[error("PLAINTEXT is accepted only over https")]
    PlaintextOverHttp,
    /// An unknown consumer, an unknown token or a bad signature, told apart only here: under
    /// [`Verifier::conceal_unknown_credentials`] the three look the same to the client (the
    /// same status, problem and message) and take as long. [`reason`](Rejection::reason)
    /// says which it was, for your log.
    #[error("could not authenticate the request")]
    Concealed(Box<Rejection>),
}

impl Rejection {
    /// The HTTP status for this rejection (RFC 5849 §3.2): 400 for a request the server cannot
    /// read (malformed parameters, an unsupported signature method), 413 for a body over the
    /// limit, 401 for credentials, signature, timestamp or nonce that do not pass.
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::Malformed(_)
            | Rejection::UnsupportedMethod(_)
            | Rejection::PlaintextOverHttp
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
            Rejection::UnsupportedMethod(_) | Rejection::PlaintextOverHttp => {
                "signature_method_rejected"
            }
            Rejection::BadSignature | Rejection::Concealed(_) => "signature_invalid",
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

    /// What the rejection was: itself, or for [`Rejection::Concealed`] the rejection it
    /// conceals. For the server's log; never send it to the client.
    ///
    /// ```
    /// use oauth1_server::Rejection;
    /// let concealed = Rejection::Concealed(Box::new(Rejection::UnknownToken));
    /// assert_eq!(concealed.to_string(), "could not authenticate the request");
    /// assert_eq!(concealed.reason(), &Rejection::UnknownToken);
    /// ```
    pub fn reason(&self) -> &Rejection {
        match self {
            Rejection::Concealed(reason) => reason.reason(),
            other => other,
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
            other => Rejection::Malformed(oauth1_core::Chain(&other).to_string()),
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
    #[error("request rejected")]
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

/// The RSA method named `name` (`RSA-SHA1`, `RSA-SHA256` or `RSA-SHA512`) with `key`.
#[cfg(feature = "rsa")]
fn rsa_method(name: &str, key: oauth1_core::RsaKey) -> AnyMethod {
    match name {
        "RSA-SHA256" => AnyMethod::RsaSha256(oauth1_core::RsaSha256::new(key)),
        "RSA-SHA512" => AnyMethod::RsaSha512(oauth1_core::RsaSha512::new(key)),
        _ => AnyMethod::RsaSha1(oauth1_core::RsaSha1::new(key)),
    }
}

/// Verifies signed requests (HMAC-SHA1/256/512, PLAINTEXT when allowed, and with the `rsa`
/// feature RSA-SHA1/256/512 against the consumer's
/// [public key](CredentialStore::consumer_public_key)): parses the
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
    plaintext: Plaintext,
    clock: Arc<dyn Clock>,
    on_store_failure: StoreFailurePolicy,
    limits: Limits,
    origin: Option<(String, String)>,
    conceal: bool,
}

/// Where PLAINTEXT is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plaintext {
    Refused,
    OverHttps,
    AlsoOverHttp,
}

/// The secret checked in place of an unknown consumer's or token's, so that a request naming
/// one costs as much as any other (see [`Verifier::conceal_unknown_credentials`]). Its value
/// does not matter: such a request is refused whatever its signature.
const DUMMY_SECRET: &str = "oauth1-rs-dummy-secret-for-unknown-credentials";

impl<C, N> std::fmt::Debug for Verifier<C, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("window", &self.window)
            .field("plaintext", &self.plaintext)
            .field("now", &self.clock.now())
            .field("on_store_failure", &self.on_store_failure)
            .field("limits", &self.limits)
            .field("origin", &self.origin)
            .field("conceal_unknown_credentials", &self.conceal)
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
            plaintext: Plaintext::Refused,
            clock: Arc::new(SystemClock),
            on_store_failure: StoreFailurePolicy::Reject,
            limits: Limits::default(),
            origin: None,
            conceal: false,
        }
    }

    /// The accepted timestamp skew, in seconds either way (default 300). The nonce store keeps
    /// each nonce as long as its timestamp is inside this window.
    #[must_use]
    pub fn window(mut self, seconds: u64) -> Self {
        self.window = seconds;
        self
    }

    /// Where the time comes from (default [`SystemClock`]).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// What to do when the nonce store fails (default [`StoreFailurePolicy::Reject`]).
    #[must_use]
    pub fn on_store_failure(mut self, policy: StoreFailurePolicy) -> Self {
        self.on_store_failure = policy;
        self
    }

    /// Accepts PLAINTEXT signatures on requests that came over `https` (RFC 5849 §3.4.4:
    /// the signature is the two secrets themselves). Over `http` they are still refused
    /// ([`Rejection::PlaintextOverHttp`]), unless a test opts out with
    /// [`insecure_plaintext_over_http`](Self::insecure_plaintext_over_http). Whether a request
    /// came over `https` is the scheme [`verify`](Self::verify) is given, or the one of
    /// [`expected_origin`](Self::expected_origin).
    #[must_use]
    pub fn allow_plaintext(mut self, allow: bool) -> Self {
        self.plaintext = if allow {
            Plaintext::OverHttps
        } else {
            Plaintext::Refused
        };
        self
    }

    /// Accepts PLAINTEXT over plain `http` too, where anyone on the path reads the secrets:
    /// for tests against a local server only. Implies [`allow_plaintext`](Self::allow_plaintext).
    #[must_use]
    pub fn insecure_plaintext_over_http(mut self, allow: bool) -> Self {
        self.plaintext = match (allow, self.plaintext) {
            (true, _) => Plaintext::AlsoOverHttp,
            (false, Plaintext::AlsoOverHttp) => Plaintext::OverHttps,
            (false, other) => other,
        };
        self
    }

    /// The size limits every request is held to before anything is looked up (default
    /// [`Limits::default`]: see there for each value). A request over one is refused with
    /// 400 ([`Rejection::Malformed`]).
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The scheme and authority (`host[:port]`) clients reach this service at, for example
    /// `("https", "api.example.com")`: the base string URI is then always built from them and
    /// the request's path and query, whatever `Host` header, absolute URI or scheme argument
    /// the request comes with. Set it behind a reverse proxy (which may rewrite `Host` and
    /// speaks `http` to you) and whenever the service has one public name: a request signed
    /// for another origin then fails its signature.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Placement, Signer};
    /// use oauth1_server::{ManualClock, MemoryCredentials, MemoryNonceStore, Verifier};
    ///
    /// // The client signs for the public URL...
    /// let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None).unwrap();
    /// let mut public = http::Request::get("https://api.example.com/r").body(Vec::new()).unwrap();
    /// signer.sign_http(&mut public, Placement::Header, &OAuthParams::new("n1", 1_000)).unwrap();
    /// // ... and the proxy hands it on over http with its own Host.
    /// let mut forwarded = http::Request::get("/r").body(Vec::new()).unwrap();
    /// *forwarded.headers_mut() = public.headers().clone();
    /// forwarded.headers_mut().insert("host", "10.0.0.7:8080".parse().unwrap());
    ///
    /// let verifier = Verifier::new(MemoryCredentials::new().consumer("key", "secret"), MemoryNonceStore::default())
    ///     .clock(ManualClock::new(1_010))
    ///     .expected_origin("https", "api.example.com");
    /// assert!(verifier.verify(&forwarded, "http").await.is_ok());
    /// # }
    /// ```
    #[must_use]
    pub fn expected_origin(
        mut self,
        scheme: impl Into<String>,
        authority: impl Into<String>,
    ) -> Self {
        self.origin = Some((scheme.into(), authority.into()));
        self
    }

    /// Makes an unknown consumer key, an unknown token (or one of another consumer) and a bad
    /// signature look the same to the client and cost the same, as oauthlib's validator does
    /// with its dummy client and token: the signature is checked against a dummy secret in
    /// place of the missing one, and all three are refused as [`Rejection::Concealed`] (401,
    /// `signature_invalid`), whose [`reason`](Rejection::reason) keeps the truth for your log.
    /// Default off: the client is told which it was, which is what a developer debugging
    /// "Could not authenticate you" wants, and lets anyone probe which consumer keys exist.
    /// How long your [`CredentialStore`] takes to find or miss a key is yours to even out.
    #[must_use]
    pub fn conceal_unknown_credentials(mut self, on: bool) -> Self {
        self.conceal = on;
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
        let (scheme, authority) = match &self.origin {
            Some((scheme, authority)) => (scheme.as_str(), Some(authority.as_str())),
            None => (scheme, None),
        };
        let received = Received::parse_http_with(request, scheme, authority, &self.limits)
            .map_err(|e| Rejection::from_core(e, now))?;
        let consumer_key = received.consumer_key().to_owned();
        // RSA methods carry the consumer's public key (feature `rsa`); every other method is
        // known by its name alone.
        let (method, rsa_consumer) = match AnyMethod::from_name(received.signature_method()) {
            Ok(method) => (method, false),
            #[cfg(feature = "rsa")]
            Err(oauth1_core::Error::Misuse(oauth1_core::Misuse::RsaKeyRequired(name))) => {
                match self.credentials.consumer_public_key(&consumer_key).await? {
                    Some(key) => (rsa_method(name, key), true),
                    // A consumer with a secret and no key: it does not sign with RSA.
                    None if self
                        .credentials
                        .consumer_secret(&consumer_key)
                        .await?
                        .is_some() =>
                    {
                        return Err(Rejection::UnsupportedMethod(name.to_owned()).into())
                    }
                    None if self.conceal => {
                        return Err(Rejection::Concealed(Box::new(Rejection::UnknownConsumer(
                            consumer_key,
                        )))
                        .into())
                    }
                    None => return Err(Rejection::UnknownConsumer(consumer_key).into()),
                }
            }
            Err(e) => return Err(Rejection::from_core(e, now).into()),
        };
        if matches!(method, AnyMethod::Plaintext) {
            match self.plaintext {
                Plaintext::Refused => {
                    return Err(Rejection::UnsupportedMethod("PLAINTEXT".into()).into())
                }
                Plaintext::OverHttps if !scheme.eq_ignore_ascii_case("https") => {
                    return Err(Rejection::PlaintextOverHttp.into())
                }
                _ => {}
            }
        }
        let consumer_secret = if rsa_consumer {
            // The key proved the consumer; RSA signs with no shared secret.
            Some(
                self.credentials
                    .consumer_secret(&consumer_key)
                    .await?
                    .unwrap_or_else(|| Secret::new("")),
            )
        } else {
            self.credentials.consumer_secret(&consumer_key).await?
        };
        // Without concealment, the first unknown credential ends the check; with it, a dummy
        // secret stands in and the request goes through every step before it is refused.
        let mut unknown = None;
        let consumer_secret = match consumer_secret {
            Some(secret) => secret,
            None if self.conceal => {
                unknown = Some(Rejection::UnknownConsumer(consumer_key.clone()));
                Secret::new(DUMMY_SECRET)
            }
            None => return Err(Rejection::UnknownConsumer(consumer_key).into()),
        };
        let token = match received.token() {
            Some(t) => {
                let record = self
                    .credentials
                    .token(t)
                    .await?
                    .filter(|r| r.consumer_key == consumer_key);
                match record {
                    Some(record) => Some((t.to_owned(), record)),
                    None if self.conceal => {
                        unknown.get_or_insert(Rejection::UnknownToken);
                        Some((
                            t.to_owned(),
                            TokenRecord {
                                consumer_key: consumer_key.clone(),
                                secret: Secret::new(DUMMY_SECRET),
                                kind: TokenKind::Access,
                            },
                        ))
                    }
                    None => return Err(Rejection::UnknownToken.into()),
                }
            }
            None => None,
        };
        let policy = Policy::new(now).window(self.window);
        let key = method
            .key(&consumer_secret, token.as_ref().map(|(_, r)| &r.secret))
            .map_err(|e| Rejection::from_core(e, now))?;
        let nonce = received.verify_except_nonce(&method, &key, &policy);
        let conceal = |rejection: Rejection| Rejection::Concealed(Box::new(rejection));
        // Under concealment, what the signature check says of an unknown credential is what it
        // says of a bad signature; every earlier check (timestamp, version, body hash) answers
        // as it does for a known one.
        let nonce = match (nonce, unknown) {
            (Ok(_), Some(unknown))
            | (Err(oauth1_core::Error::Verify(VerifyError::InvalidSignature)), Some(unknown)) => {
                return Err(conceal(unknown).into())
            }
            (Err(oauth1_core::Error::Verify(VerifyError::InvalidSignature)), None)
                if self.conceal =>
            {
                return Err(conceal(Rejection::BadSignature).into())
            }
            (nonce, _) => nonce.map_err(|e| Rejection::from_core(e, now))?,
        };
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

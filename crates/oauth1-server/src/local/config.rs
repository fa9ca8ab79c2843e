//! [`LocalProviderConfig`]: how the local provider runs, with its limits and their defaults.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use oauth1_core::Secret;

use super::service::Service;
use crate::clock::{Clock, SystemClock};
use crate::store::NonceStore;

/// Default [`LocalProviderConfig::header_timeout`]: 10 s.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`LocalProviderConfig::body_timeout`]: 30 s.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// Default [`LocalProviderConfig::idle_timeout`]: 60 s.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Default [`LocalProviderConfig::max_connections`]: 4,096.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;
/// Default [`LocalProviderConfig::body_limit`]: 1 MiB.
pub const DEFAULT_LOCAL_BODY_LIMIT: usize = 1024 * 1024;
/// Default [`LocalProviderConfig::request_token_lifetime`]: 10 minutes, in seconds.
pub const DEFAULT_REQUEST_TOKEN_LIFETIME: u64 = 600;
/// Default [`LocalProviderConfig::sweep_interval`]: 60 s.
pub const DEFAULT_SWEEP_INTERVAL: Duration = Duration::from_secs(60);
/// The longest callback URL accepted (`oauth_callback`), in bytes.
pub const MAX_CALLBACK_LEN: usize = 2048;

/// How the local provider runs.
///
/// The limits keep a hostile client on the same machine from holding the provider: a
/// connection must send its request head within [`header_timeout`](Self::header_timeout),
/// its body within [`body_timeout`](Self::body_timeout), and is closed after
/// [`idle_timeout`](Self::idle_timeout) without a request (keep-alive) or without a byte moving
/// either way (a client that stops reading a stream); at most
/// [`max_connections`](Self::max_connections) are served at once, and a body declared longer
/// than [`body_limit`](Self::body_limit) is answered 413 before any of it is read.
#[derive(Clone)]
#[non_exhaustive]
pub struct LocalProviderConfig {
    /// Where to listen (default `127.0.0.1:0`, a free port).
    pub addr: SocketAddr,
    /// Approve every authorization at once, as if the user clicked Allow (tests). Default
    /// `false`: a person sees the Allow/Deny page.
    pub auto_approve: bool,
    /// Registered consumers, key and secret (default: [`DEFAULT_CONSUMER_KEY`]).
    ///
    /// [`DEFAULT_CONSUMER_KEY`]: crate::DEFAULT_CONSUMER_KEY
    pub clients: Vec<(String, Secret)>,
    /// Registered callback URL prefixes, by consumer key (default: none). A consumer with
    /// prefixes gets a request token only for a callback that matches one (same scheme, host
    /// and port, and a path under the prefix's path, on a `/` boundary) or `oob`; a consumer
    /// without any accepts every valid `http`/`https` URL (what tests want).
    pub callbacks: HashMap<String, Vec<String>>,
    /// Users, screen name and password (default: [`DEFAULT_USER`]). The first one authorizes
    /// unless the page or `screen_name` names another.
    ///
    /// [`DEFAULT_USER`]: crate::DEFAULT_USER
    pub users: Vec<(String, Secret)>,
    /// The accepted timestamp skew (default ±300 s).
    pub window: Duration,
    /// The application name shown on the authorize page.
    pub app_name: String,
    /// Where nonces are remembered (default: a fresh [`MemoryNonceStore`] per provider). Give
    /// several providers one shared store (Redis) to run them as instances of one service.
    ///
    /// [`MemoryNonceStore`]: crate::MemoryNonceStore
    pub nonce_store: Option<Arc<dyn NonceStore>>,
    /// Where the provider's time comes from, in Unix seconds (default [`SystemClock`];
    /// [`ManualClock`](crate::ManualClock) in tests): the timestamp window, the nonce store's
    /// `now`, when a request token was issued and whether it has expired (at approval, at the
    /// exchange and in the sweep), and the `Date` header. The socket timeouts, the shutdown
    /// grace and the period of the sweep timer are I/O deadlines and stay on tokio's clock.
    pub clock: Arc<dyn Clock>,
    /// How long a request token lives, in seconds (default
    /// [`DEFAULT_REQUEST_TOKEN_LIFETIME`], 600).
    pub request_token_lifetime: u64,
    /// How often expired request tokens are removed (default [`DEFAULT_SWEEP_INTERVAL`],
    /// 60 s). An expired token is refused at once either way; the sweep frees its memory.
    pub sweep_interval: Duration,
    /// Time allowed for a request head, from the first byte of a request to the end of its
    /// headers (default [`DEFAULT_HEADER_TIMEOUT`], 10 s). A client on loopback sends its head
    /// in one write; ten seconds is room for a person typing a request into `nc`.
    pub header_timeout: Duration,
    /// Time allowed to read a request body, from when the handler starts reading it (default
    /// [`DEFAULT_BODY_TIMEOUT`], 30 s: a 1 MiB body over loopback takes milliseconds). Not a
    /// limit on responses: a stream runs as long as the client reads it.
    pub body_timeout: Duration,
    /// How long a connection may wait between requests (keep-alive), or stay open with no byte
    /// moving either way, before it is closed (default [`DEFAULT_IDLE_TIMEOUT`], 60 s).
    pub idle_timeout: Duration,
    /// The most connections served at once (default [`DEFAULT_MAX_CONNECTIONS`], 4,096: the
    /// 1,000 concurrent dances of this project's load test peak at about 1,600 connections,
    /// through one client). A connection over the limit gets `503` with `Retry-After: 1` and
    /// is closed. Keep it below the process's file-descriptor limit (`ulimit -n`).
    pub max_connections: usize,
    /// The largest request body read, in bytes (default [`DEFAULT_LOCAL_BODY_LIMIT`], 1 MiB).
    /// A larger `Content-Length` is answered 413 (code 38) before the body is read.
    pub body_limit: usize,
    /// The service the provider plays (default [`Service::twitter`]): its paths, signature
    /// methods, placement, realm, authorization parameters, token fields and error shapes.
    pub service: Service,
    /// Consumers that sign with RSA (Jira): consumer key and public key (PEM: SPKI
    /// `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`). A key that does not parse stops the provider
    /// from starting ([`ServerError::RsaKey`](crate::ServerError::RsaKey)).
    pub rsa_clients: Vec<(String, String)>,
    /// Access tokens issued in the service's own UI (NetSuite, Magento): consumer key, token
    /// and token secret, for the first user.
    pub issued_tokens: Vec<(String, String, Secret)>,
    /// Accept PLAINTEXT signatures over the provider's plain `http` (default `false`), for
    /// every consumer: tests of clients that sign with PLAINTEXT only. PLAINTEXT sends both
    /// secrets as they are, readable by anyone on the way; RFC 5849 §3.4.4 wants TLS. The
    /// services that take PLAINTEXT (Discogs) accept it without this; a service whose
    /// signature methods leave PLAINTEXT out still refuses it.
    pub plaintext_over_http: bool,
}

impl std::fmt::Debug for LocalProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalProviderConfig")
            .field("addr", &self.addr)
            .field("auto_approve", &self.auto_approve)
            .field(
                "clients",
                &self.clients.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("callbacks", &self.callbacks)
            .field(
                "users",
                &self.users.iter().map(|(u, _)| u).collect::<Vec<_>>(),
            )
            .field("window", &self.window)
            .field("app_name", &self.app_name)
            .field(
                "nonce_store",
                &if self.nonce_store.is_some() {
                    "given"
                } else {
                    "in memory"
                },
            )
            .field("now", &self.clock.now())
            .field("request_token_lifetime", &self.request_token_lifetime)
            .field("sweep_interval", &self.sweep_interval)
            .field("header_timeout", &self.header_timeout)
            .field("body_timeout", &self.body_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_connections", &self.max_connections)
            .field("body_limit", &self.body_limit)
            .field("service", &self.service.name())
            .field(
                "rsa_clients",
                &self.rsa_clients.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field(
                "issued_tokens",
                &self
                    .issued_tokens
                    .iter()
                    .map(|(k, t, _)| (k, t))
                    .collect::<Vec<_>>(),
            )
            .field("plaintext_over_http", &self.plaintext_over_http)
            .finish()
    }
}

impl Default for LocalProviderConfig {
    fn default() -> Self {
        LocalProviderConfig {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            auto_approve: false,
            clients: Vec::new(),
            callbacks: HashMap::new(),
            users: Vec::new(),
            window: Duration::from_secs(oauth1_core::verify::DEFAULT_WINDOW),
            app_name: "oauth1-rs example app".to_owned(),
            nonce_store: None,
            clock: Arc::new(SystemClock),
            request_token_lifetime: DEFAULT_REQUEST_TOKEN_LIFETIME,
            sweep_interval: DEFAULT_SWEEP_INTERVAL,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            body_limit: DEFAULT_LOCAL_BODY_LIMIT,
            service: Service::twitter(),
            rsa_clients: Vec::new(),
            issued_tokens: Vec::new(),
            plaintext_over_http: false,
        }
    }
}

impl LocalProviderConfig {
    /// Sets [`auto_approve`](Self::auto_approve).
    #[must_use]
    pub fn auto_approve(mut self, on: bool) -> Self {
        self.auto_approve = on;
        self
    }

    /// Sets the address to listen on.
    #[must_use]
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Registers a consumer.
    #[must_use]
    pub fn client(mut self, key: impl Into<String>, secret: impl Into<Secret>) -> Self {
        self.clients.push((key.into(), secret.into()));
        self
    }

    /// Registers callback URL prefixes for the consumer `key` (see
    /// [`callbacks`](Self::callbacks)): `https://app.example/oauth/` admits
    /// `https://app.example/oauth/callback?x=1`, not `https://app.example/other` nor
    /// `https://evil.example/oauth/`. A callback that matches none is refused with 403, code
    /// 415, "Callback URL not approved for this client application.", as Twitter does.
    #[must_use]
    pub fn client_callbacks<I, S>(mut self, key: impl Into<String>, prefixes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.callbacks
            .entry(key.into())
            .or_default()
            .extend(prefixes.into_iter().map(Into::into));
        self
    }

    /// Adds a user.
    #[must_use]
    pub fn user(mut self, screen_name: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.users.push((screen_name.into(), password.into()));
        self
    }

    /// Sets the timestamp window.
    #[must_use]
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Sets the application name shown on the authorize page.
    #[must_use]
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = name.into();
        self
    }

    /// Sets the nonce store (see [`nonce_store`](Self::nonce_store)).
    #[must_use]
    pub fn nonce_store(mut self, store: Arc<dyn NonceStore>) -> Self {
        self.nonce_store = Some(store);
        self
    }

    /// Sets the clock (see [`clock`](Self::clock)).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Sets [`request_token_lifetime`](Self::request_token_lifetime), in seconds.
    #[must_use]
    pub fn request_token_lifetime(mut self, seconds: u64) -> Self {
        self.request_token_lifetime = seconds;
        self
    }

    /// Sets [`sweep_interval`](Self::sweep_interval).
    #[must_use]
    pub fn sweep_interval(mut self, every: Duration) -> Self {
        self.sweep_interval = every;
        self
    }

    /// Sets [`header_timeout`](Self::header_timeout).
    #[must_use]
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout;
        self
    }

    /// Sets [`body_timeout`](Self::body_timeout).
    #[must_use]
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// Sets [`idle_timeout`](Self::idle_timeout).
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets [`max_connections`](Self::max_connections) (at least 1).
    #[must_use]
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// Sets [`body_limit`](Self::body_limit), in bytes.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Plays `service` (see [`service`](Self::service)). A service with a timestamp window of
    /// its own ([`Service::window`]: WooCommerce's 15 minutes) sets [`window`](Self::window)
    /// too; a [`window`](Self::window()) call after this one still sets another.
    ///
    /// ```
    /// use oauth1_server::{LocalProviderConfig, Service};
    /// let config = LocalProviderConfig::default().service(Service::netsuite("1234567-sb1"));
    /// assert_eq!(config.service.realm(), Some("1234567_SB1"));
    /// ```
    #[must_use]
    pub fn service(mut self, service: Service) -> Self {
        if let Some(window) = service.window() {
            self.window = window;
        }
        self.service = service;
        self
    }

    /// Registers a consumer that signs with RSA (Jira's application links): its key and its
    /// public key in PEM. It needs no secret.
    #[must_use]
    pub fn rsa_client(mut self, key: impl Into<String>, public_key_pem: impl Into<String>) -> Self {
        self.rsa_clients.push((key.into(), public_key_pem.into()));
        self
    }

    /// Adds an access token issued in the service's UI (NetSuite's "Access Tokens" page,
    /// Magento's integration details) to the consumer `consumer_key`, for the first user: signed
    /// calls with it reach the protected resource without a dance.
    #[must_use]
    pub fn issued_token(
        mut self,
        consumer_key: impl Into<String>,
        token: impl Into<String>,
        secret: impl Into<Secret>,
    ) -> Self {
        self.issued_tokens
            .push((consumer_key.into(), token.into(), secret.into()));
        self
    }

    /// Sets [`plaintext_over_http`](Self::plaintext_over_http): PLAINTEXT accepted over plain
    /// `http`, for tests only.
    ///
    /// ```
    /// use oauth1_server::LocalProviderConfig;
    /// let config = LocalProviderConfig::default().plaintext_over_http(true);
    /// assert!(config.plaintext_over_http);
    /// ```
    #[must_use]
    pub fn plaintext_over_http(mut self, on: bool) -> Self {
        self.plaintext_over_http = on;
        self
    }
}

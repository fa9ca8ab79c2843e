//! [`RedisNonceStore`]: nonces shared by every instance of a service, in Redis.

use std::time::Duration;

use async_trait::async_trait;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use sha2::{Digest, Sha512};

use crate::memory::NonceHasher;
use crate::store::{NonceRecord, NonceStore, StoreError};

/// A [`NonceStore`] in Redis, for a service that runs as several instances: a nonce used at one
/// instance is refused at every other.
///
/// Each nonce is one atomic `SET key 1 NX EX ttl`: the key is the prefix (`oauth1:nonce:`)
/// and 32 hex digits, a keyed hash of consumer key, token, nonce and timestamp (HMAC-SHA256
/// keyed by the prefix, so that every instance with the same prefix computes the same key), of
/// the same size whatever the client sent. It expires when
/// the timestamp leaves the window ([`NonceRecord::ttl`]), so Redis holds no more than the
/// window's worth of nonces and needs no cleanup. The connection is a
/// [`ConnectionManager`]: one multiplexed connection that reconnects by itself after Redis
/// comes back. Every command is bounded by [`timeout`](Self::timeout) (default 1 s); a command
/// that fails or times out is a [`StoreError`], and the verifier's
/// [`StoreFailurePolicy`](crate::StoreFailurePolicy) decides (refuse, by default).
///
/// Expiry runs on the Redis clock and the window check on each instance's clock: keep the
/// machines synchronised (NTP). An instance whose clock lags Redis by `d` seconds could accept
/// a replay in the last `d` seconds of a timestamp's window; [`ttl_margin`](Self::ttl_margin)
/// covers that.
///
/// ```no_run
/// # async fn run() -> Result<(), oauth1_server::StoreError> {
/// use oauth1_server::{MemoryCredentials, RedisNonceStore, Verifier};
/// let nonces = RedisNonceStore::connect("redis://127.0.0.1:6379/").await?;
/// let verifier = Verifier::new(MemoryCredentials::new(), nonces);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisNonceStore {
    connection: ConnectionManager,
    prefix: String,
    /// Digests nonce uses under a key derived from the prefix.
    hasher: NonceHasher,
    timeout: Duration,
    margin: u64,
}

impl std::fmt::Debug for RedisNonceStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The connection (and the URL it came from, which may hold a password) stays out.
        f.debug_struct("RedisNonceStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .field("ttl_margin", &self.margin)
            .finish_non_exhaustive()
    }
}

const DEFAULT_PREFIX: &str = "oauth1:nonce:";
const HEX: &[u8; 16] = b"0123456789abcdef";

/// The nonce hasher of a prefix, keyed the same at every instance that uses the prefix.
fn hasher(prefix: &str) -> NonceHasher {
    let mut key = Sha512::new();
    key.update(b"oauth1-rs redis nonce key\0");
    key.update(prefix.as_bytes());
    NonceHasher::new(&key.finalize().into())
}

fn is_tls(url: &str) -> bool {
    url.get(..9)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("rediss://"))
}

fn invalid_url(e: redis::RedisError) -> StoreError {
    StoreError::new(
        "nonce",
        "the Redis URL is not valid (redis://host:port/db or rediss://host:port/db)",
    )
    .with_source(e)
}

/// Makes `ring` the process's rustls provider unless one was chosen already (by the
/// application, or an earlier call): the `redis` crate builds its TLS configuration with the
/// process default, which is ambiguous when other crates enable a second provider.
#[cfg(feature = "redis-tls")]
fn install_crypto_provider() {
    // An error only says a provider is installed already, which is what we need.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn redis_error(what: &str, e: redis::RedisError) -> StoreError {
    // The kind, without the URL (it may hold a password). An I/O error's own words (refused,
    // reset, a certificate not trusted) hold no URL either, and are what the operator needs:
    // they come with the source, not repeated in this message.
    StoreError::new(
        "nonce",
        format!("Redis {what}: {:?} ({})", e.kind(), e.category()),
    )
    .with_source(e)
}

impl RedisNonceStore {
    /// Connects to Redis at `url`, failing at once if it cannot be reached, so that a
    /// misconfigured service does not start.
    ///
    /// `redis://[user:password@]host:port/db`, or with the `redis-tls` feature
    /// `rediss://…` (TLS, the server's certificate checked against the operating system's
    /// root certificates; for a private CA see [`connect_with_ca`](Self::connect_with_ca)).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if is_tls(url) && !cfg!(feature = "redis-tls") {
            return Err(StoreError::new(
                "nonce",
                "a rediss:// URL needs the `redis-tls` feature of oauth1-server",
            ));
        }
        #[cfg(feature = "redis-tls")]
        install_crypto_provider();
        let client = redis::Client::open(url).map_err(invalid_url)?;
        Self::manage(client).await
    }

    /// Connects to Redis over TLS (`rediss://…`) and accepts only a server certificate issued
    /// by `ca_pem` (one or more PEM certificates), not the operating system's roots: for a
    /// Redis behind a private certificate authority.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use oauth1_server::RedisNonceStore;
    /// let ca = std::fs::read("/etc/redis/ca.crt")?;
    /// let nonces = RedisNonceStore::connect_with_ca("rediss://redis.internal:6380/", &ca).await?;
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "redis-tls")]
    pub async fn connect_with_ca(url: &str, ca_pem: &[u8]) -> Result<Self, StoreError> {
        if !is_tls(url) {
            return Err(StoreError::new(
                "nonce",
                "a certificate authority is only used with a rediss:// URL",
            ));
        }
        install_crypto_provider();
        let certificates = redis::TlsCertificates {
            client_tls: None,
            root_cert: Some(ca_pem.to_vec()),
        };
        let client = redis::Client::build_with_tls(url, certificates).map_err(|e| {
            StoreError::new(
                "nonce",
                "the Redis URL or the CA certificate is not valid (rediss://host:port/db, PEM)",
            )
            .with_source(e)
        })?;
        Self::manage(client).await
    }

    /// The connection manager over `client`: bounded connection and response times, a few
    /// quick retries, then errors (the verifier's failure policy decides).
    async fn manage(client: redis::Client) -> Result<Self, StoreError> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_secs(1)))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|e| redis_error("connection", e))?;
        Ok(Self::from_connection(connection))
    }

    /// A store over a connection you configured yourself.
    pub fn from_connection(connection: ConnectionManager) -> Self {
        RedisNonceStore {
            connection,
            hasher: hasher(DEFAULT_PREFIX),
            prefix: DEFAULT_PREFIX.to_owned(),
            timeout: Duration::from_secs(1),
            margin: 0,
        }
    }

    /// The key prefix (default `oauth1:nonce:`): give each service its own when several share
    /// one Redis.
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self.hasher = hasher(&self.prefix);
        self
    }

    /// The longest a nonce check may take before it counts as a store failure (default 1 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Seconds added to every nonce's lifetime, to cover clock differences between the
    /// instances and Redis (default 0).
    #[must_use]
    pub fn ttl_margin(mut self, seconds: u64) -> Self {
        self.margin = seconds;
        self
    }

    /// The Redis key of a nonce use: the prefix and 32 hex digits.
    pub fn key(&self, record: &NonceRecord<'_>) -> String {
        let mut key = String::with_capacity(self.prefix.len() + 32);
        key.push_str(&self.prefix);
        for b in self.hasher.digest(record) {
            key.push(char::from(HEX[usize::from(b >> 4)]));
            key.push(char::from(HEX[usize::from(b & 15)]));
        }
        key
    }
}

#[async_trait]
impl NonceStore for RedisNonceStore {
    async fn check_and_record(&self, record: &NonceRecord<'_>) -> Result<bool, StoreError> {
        let mut connection = self.connection.clone();
        let command = redis::cmd("SET")
            .arg(self.key(record))
            .arg(1u8)
            .arg("NX")
            .arg("EX")
            .arg(record.ttl().saturating_add(self.margin))
            .to_owned();
        let reply = tokio::time::timeout(
            self.timeout,
            command.query_async::<Option<String>>(&mut connection),
        )
        .await
        .map_err(|_| {
            StoreError::new(
                "nonce",
                format!("Redis did not answer within {:?}", self.timeout),
            )
        })?
        .map_err(|e| redis_error("command", e))?;
        // `OK` when the key was set (a fresh nonce), nil when it existed (a replay).
        Ok(reply.is_some())
    }
}

//! In-memory stores: a bounded [`MemoryNonceStore`] for one process, and
//! [`MemoryCredentials`], a credential table for tools with a handful of consumers (an LTI
//! tool, a test).

use std::cmp::Reverse;
use std::collections::hash_map::RandomState;
use std::collections::{BinaryHeap, HashMap};
use std::hash::BuildHasher;
use std::sync::{Mutex, RwLock};

use async_trait::async_trait;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use oauth1_core::Secret;
use sha2::Sha256;

use crate::store::{CredentialStore, NonceRecord, NonceStore, StoreError, TokenKind, TokenRecord};

const SHARDS: usize = 16;

/// What one remembered nonce costs at most, in bytes: its 16-byte digest and its consumer in
/// the table (25 bytes with the control byte), digest and expiry in the expiry heap (24), and
/// the slack both keep to grow: a hash table at most 7/8 full that doubles (with the old table
/// alive while it moves) and a heap that doubles, at worst about 112 bytes in all.
/// `tests/nonce_memory.rs` fills a store with 4 KiB nonces and measures about 62.
pub const NONCE_ENTRY_BYTES: usize = 128;

/// The memory a [`MemoryNonceStore::default`] may use: 128 MiB.
pub const DEFAULT_NONCE_MEMORY: usize = 128 * 1024 * 1024;

/// An in-memory [`NonceStore`] for a single process, bounded in bytes and shared fairly.
///
/// - **Fixed-size keys.** A nonce use (consumer key, token, nonce, timestamp) is kept as a
///   16-byte keyed hash (HMAC-SHA256 under a key drawn for this store), whatever the lengths a
///   client sends: memory grows by [`NONCE_ENTRY_BYTES`] per nonce at most.
/// - **Bounded.** At most `capacity` nonces are held ([`with_memory_limit`](Self::with_memory_limit)
///   sets it from a number of bytes). Each is kept until its timestamp leaves the window
///   ([`NonceRecord::ttl`]). When the store is full of nonces that are all still live, a new one
///   is refused with a [`StoreError`] rather than an old one forgotten, so that a flood cannot
///   open a replay window.
/// - **Fair.** One consumer may hold at most [`per_consumer`](Self::per_consumer) nonces
///   (default a quarter of the capacity): a consumer over its quota gets the store error (the
///   verifier's 503 "over capacity") alone, and the others keep room.
///
/// It cannot protect a service that runs on several machines: a replay sent to another
/// instance is not seen. Use a shared store (Redis, with the `redis` feature) there.
///
/// ```
/// use oauth1_server::MemoryNonceStore;
/// // 16 MiB, of which one consumer may fill at most a tenth.
/// let store = MemoryNonceStore::with_memory_limit(16 << 20);
/// let quota = store.capacity() / 10;
/// let store = store.per_consumer(quota);
/// assert!(store.capacity() <= (16 << 20) / oauth1_server::NONCE_ENTRY_BYTES);
/// ```
pub struct MemoryNonceStore {
    shards: Vec<Mutex<Shard>>,
    shard_capacity: usize,
    /// How many live nonces each consumer holds, by consumer hash, sharded by it.
    consumers: Vec<Mutex<HashMap<u64, usize>>>,
    quota: usize,
    /// Digests nonce uses under a key drawn for this store.
    hasher: NonceHasher,
    /// Tells consumers apart for the quota.
    consumer_hasher: RandomState,
}

impl std::fmt::Debug for MemoryNonceStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryNonceStore")
            .field("capacity", &self.capacity())
            .field("per_consumer", &self.quota)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

/// A nonce use as the stores keep it: 128 bits of HMAC-SHA256.
pub(crate) type NonceDigest = [u8; 16];

#[derive(Debug, Default)]
struct Shard {
    /// Nonce digest → whose it is (the consumer's hash).
    live: HashMap<NonceDigest, u64>,
    /// The same digests, soonest expiry first.
    expiry: BinaryHeap<Reverse<(u64, NonceDigest)>>,
}

impl Shard {
    /// Forgets the nonces that expired by `now`, and counts them off their consumers (whose
    /// table is locked after the shard's, always in that order).
    fn forget_expired(&mut self, now: u64, consumers: &[Mutex<HashMap<u64, usize>>]) {
        while let Some(Reverse((at, _))) = self.expiry.peek() {
            if *at > now {
                break;
            }
            let Some(Reverse((_, digest))) = self.expiry.pop() else {
                break;
            };
            if let Some(consumer) = self.live.remove(&digest) {
                if let Ok(mut counts) = consumers[consumer as usize % SHARDS].lock() {
                    if let Some(count) = counts.get_mut(&consumer) {
                        *count -= 1;
                        if *count == 0 {
                            counts.remove(&consumer);
                        }
                    }
                }
            }
        }
    }
}

impl MemoryNonceStore {
    /// A store holding at most `capacity` nonces (at least one per internal shard), of which
    /// one consumer may hold a quarter.
    pub fn new(capacity: usize) -> Self {
        let shard_capacity = capacity.div_ceil(SHARDS).max(1);
        let mut hash_key = [0u8; 64];
        // The key keeps the digests unpredictable to clients; if the OS cannot give one, the
        // digests are still SHA-256 of the whole use (collision-resistant), only predictable.
        let _ = getrandom::getrandom(&mut hash_key);
        MemoryNonceStore {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
            shard_capacity,
            consumers: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            quota: (shard_capacity * SHARDS).div_ceil(4),
            hasher: NonceHasher::new(&hash_key),
            consumer_hasher: RandomState::new(),
        }
    }

    /// A store that uses at most `bytes` of memory: room for `bytes / NONCE_ENTRY_BYTES`
    /// nonces (rounded down to a multiple of its 16 shards; at least 16).
    pub fn with_memory_limit(bytes: usize) -> Self {
        Self::new(bytes / NONCE_ENTRY_BYTES / SHARDS * SHARDS)
    }

    /// The most nonces one consumer may hold (default a quarter of the capacity; at most the
    /// capacity). Set it to [`capacity`](Self::capacity) for a service with one consumer.
    #[must_use]
    pub fn per_consumer(mut self, nonces: usize) -> Self {
        self.quota = nonces.clamp(1, self.capacity());
        self
    }

    /// The most nonces it holds.
    pub fn capacity(&self) -> usize {
        self.shard_capacity * SHARDS
    }

    /// How many nonces it holds (including expired ones not yet swept).
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().map_or(0, |s| s.live.len()))
            .sum()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for MemoryNonceStore {
    /// [`DEFAULT_NONCE_MEMORY`] (128 MiB): 1,048,576 nonces, at ±300 s (a nonce is kept up to
    /// 601 s) room for about 1,700 requests a second, 430 of them from any one consumer.
    fn default() -> Self {
        MemoryNonceStore::with_memory_limit(DEFAULT_NONCE_MEMORY)
    }
}

/// Digests nonce uses: HMAC-SHA256 over every part length-prefixed (so that no two uses share
/// an input), cut to 128 bits. Keyed once; each digest starts from a copy of the keyed state.
#[derive(Clone)]
pub(crate) struct NonceHasher(Hmac<Sha256>);

impl NonceHasher {
    /// A hasher keyed with `key` (a whole SHA-256 block).
    pub(crate) fn new(key: &[u8; 64]) -> Self {
        NonceHasher(<Hmac<Sha256> as KeyInit>::new(key.into()))
    }

    /// The digest of `record`.
    pub(crate) fn digest(&self, record: &NonceRecord<'_>) -> NonceDigest {
        nonce_digest(self.0.clone(), record)
    }
}

fn nonce_digest(mut mac: Hmac<Sha256>, record: &NonceRecord<'_>) -> NonceDigest {
    let n = &record.nonce;
    let mut part = |bytes: &[u8]| {
        mac.update(&(bytes.len() as u64).to_be_bytes());
        mac.update(bytes);
    };
    part(n.consumer_key.as_bytes());
    // A missing token and an empty one differ.
    match n.token {
        Some(token) => {
            part(b"token");
            part(token.as_bytes());
        }
        None => part(b"no token"),
    }
    part(n.nonce.as_bytes());
    part(&n.timestamp.to_be_bytes());
    let full = mac.finalize().into_bytes();
    let mut digest = [0u8; 16];
    digest.copy_from_slice(&full[..16]);
    digest
}

#[async_trait]
impl NonceStore for MemoryNonceStore {
    async fn check_and_record(&self, record: &NonceRecord<'_>) -> Result<bool, StoreError> {
        let digest = self.hasher.digest(record);
        let consumer = self.consumer_hasher.hash_one(record.nonce.consumer_key);
        let mut index = [0u8; 8];
        index.copy_from_slice(&digest[..8]);
        let shard = &self.shards[(u64::from_le_bytes(index) as usize) % SHARDS];
        let mut shard = shard
            .lock()
            .map_err(|_| StoreError::new("nonce", "a thread panicked while holding the store"))?;
        shard.forget_expired(record.now, &self.consumers);
        if shard.live.contains_key(&digest) {
            return Ok(false);
        }
        if shard.live.len() >= self.shard_capacity {
            return Err(StoreError::new(
                "nonce",
                format!(
                    "the in-memory nonce store is full ({} live nonces); raise its memory limit or \
                     shorten the timestamp window",
                    self.capacity()
                ),
            ));
        }
        {
            let mut counts = self.consumers[consumer as usize % SHARDS]
                .lock()
                .map_err(|_| {
                    StoreError::new("nonce", "a thread panicked while holding the store")
                })?;
            let held = counts.entry(consumer).or_insert(0);
            if *held >= self.quota {
                return Err(StoreError::new(
                    "nonce",
                    format!(
                        "this consumer holds its whole share of the in-memory nonce store ({} \
                         live nonces); other consumers are not affected. Raise `per_consumer`, \
                         or the client sends more requests than the window allows",
                        self.quota
                    ),
                ));
            }
            *held += 1;
        }
        let expires = record.now.saturating_add(record.ttl());
        shard.live.insert(digest, consumer);
        shard.expiry.push(Reverse((expires, digest)));
        Ok(true)
    }
}

/// A credential table in memory: consumers and tokens, changeable at run time.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use oauth1_server::{CredentialStore, MemoryCredentials};
/// let store = MemoryCredentials::new().consumer("lms.example.edu", "secret");
/// assert!(store.consumer_secret("lms.example.edu").await.unwrap().is_some());
/// assert!(store.consumer_secret("someone-else").await.unwrap().is_none());
/// # }
/// ```
#[derive(Debug, Default)]
pub struct MemoryCredentials {
    consumers: RwLock<HashMap<String, Secret>>,
    tokens: RwLock<HashMap<String, TokenRecord>>,
}

impl MemoryCredentials {
    /// An empty table.
    pub fn new() -> Self {
        MemoryCredentials::default()
    }

    /// With a consumer added.
    #[must_use]
    pub fn consumer(self, key: impl Into<String>, secret: impl Into<Secret>) -> Self {
        self.add_consumer(key, secret);
        self
    }

    /// With an access token added for `consumer_key`.
    #[must_use]
    pub fn access_token(
        self,
        consumer_key: impl Into<String>,
        token: impl Into<String>,
        secret: impl Into<Secret>,
    ) -> Self {
        self.add_token(
            token,
            TokenRecord {
                consumer_key: consumer_key.into(),
                secret: secret.into(),
                kind: TokenKind::Access,
            },
        );
        self
    }

    /// Registers (or replaces) a consumer.
    pub fn add_consumer(&self, key: impl Into<String>, secret: impl Into<Secret>) {
        if let Ok(mut map) = self.consumers.write() {
            map.insert(key.into(), secret.into());
        }
    }

    /// Adds (or replaces) a token.
    pub fn add_token(&self, token: impl Into<String>, record: TokenRecord) {
        if let Ok(mut map) = self.tokens.write() {
            map.insert(token.into(), record);
        }
    }

    /// Revokes a token; `true` if it existed.
    pub fn revoke_token(&self, token: &str) -> bool {
        self.tokens
            .write()
            .is_ok_and(|mut map| map.remove(token).is_some())
    }
}

fn poisoned() -> StoreError {
    StoreError::new("credential", "a thread panicked while holding the table")
}

#[async_trait]
impl CredentialStore for MemoryCredentials {
    async fn consumer_secret(&self, consumer_key: &str) -> Result<Option<Secret>, StoreError> {
        let map = self.consumers.read().map_err(|_| poisoned())?;
        Ok(map.get(consumer_key).cloned())
    }

    async fn token(&self, token: &str) -> Result<Option<TokenRecord>, StoreError> {
        let map = self.tokens.read().map_err(|_| poisoned())?;
        Ok(map.get(token).cloned())
    }
}

#[cfg(test)]
mod tests {
    use oauth1_core::NonceUse;

    use super::*;

    fn record<'a>(nonce: &'a str, token: Option<&'a str>, ts: u64, now: u64) -> NonceRecord<'a> {
        NonceRecord {
            nonce: NonceUse {
                consumer_key: "k",
                token,
                nonce,
                timestamp: ts,
            },
            now,
            window: 10,
        }
    }

    async fn check(store: &MemoryNonceStore, r: NonceRecord<'_>) -> Result<bool, StoreError> {
        store.check_and_record(&r).await
    }

    #[tokio::test]
    async fn nonces_expire_with_their_timestamp() {
        // Room enough that no shard fills (the bound has its own test below).
        let store = MemoryNonceStore::new(1024);
        assert!(check(&store, record("a", None, 100, 100)).await.unwrap());
        assert!(!check(&store, record("a", None, 100, 105)).await.unwrap());
        // Other timestamp, token or no-token: other uses.
        assert!(check(&store, record("a", None, 101, 105)).await.unwrap());
        assert!(check(&store, record("a", Some(""), 100, 105))
            .await
            .unwrap());
        // Still remembered at the last second the timestamp is accepted (100 + 10)...
        assert!(!check(&store, record("a", None, 100, 110)).await.unwrap());
        // ... and forgotten after, when the timestamp check would refuse it anyway.
        assert!(check(&store, record("a", None, 100, 111)).await.unwrap());
    }

    #[tokio::test]
    async fn a_full_store_fails_instead_of_forgetting() {
        // One consumer with the whole store to itself.
        let store = MemoryNonceStore::new(SHARDS).per_consumer(SHARDS);
        let mut full = None;
        for i in 0..10 * SHARDS {
            let n = format!("n{i}");
            if let Err(e) = check(&store, record(&n, None, 100, 100)).await {
                full = Some(e);
                break;
            }
        }
        let e = full.expect("a store of 16 cannot take 160 live nonces");
        assert_eq!(e.store(), "nonce");
        assert!(e.to_string().contains("full"), "{e}");
        // Once they expire there is room again.
        assert!(check(&store, record("late", None, 200, 200)).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_same_nonce_from_many_tasks_at_once_is_accepted_exactly_once() {
        let store = std::sync::Arc::new(MemoryNonceStore::default());
        for round in 0..50 {
            let tasks: Vec<_> = (0..16)
                .map(|_| {
                    let store = std::sync::Arc::clone(&store);
                    tokio::spawn(async move {
                        let nonce = format!("n{round}");
                        check(&store, record(&nonce, None, 100, 100)).await.unwrap()
                    })
                })
                .collect();
            let mut fresh = 0;
            for task in tasks {
                fresh += usize::from(task.await.unwrap());
            }
            assert_eq!(fresh, 1, "round {round}");
        }
    }

    #[test]
    fn keys_cannot_collide_across_parts() {
        let hasher = NonceHasher::new(&[7u8; 64]);
        let digest = |r: &NonceRecord<'_>| hasher.digest(r);
        let a = digest(&record("b:c", Some("x"), 1, 1));
        let b = digest(&record("c", Some("x:b"), 1, 1));
        let c = digest(&record("c", None, 1, 1));
        let d = digest(&record("c", Some(""), 1, 1));
        assert_ne!(a, b);
        assert_ne!(c, d);
        // Nonce "1" at 23 and nonce "12" at 3.
        assert_ne!(
            digest(&record("1", None, 23, 1)),
            digest(&record("12", None, 3, 1))
        );
        // Another store's key, another digest.
        let other = NonceHasher::new(&[8u8; 64]);
        assert_ne!(other.digest(&record("c", None, 1, 1)), c);
    }

    #[tokio::test]
    async fn one_consumer_cannot_fill_the_store_for_the_others() {
        let store = MemoryNonceStore::new(64 * SHARDS).per_consumer(8 * SHARDS);
        fn of<'a>(consumer: &'a str, nonce: &'a str) -> NonceRecord<'a> {
            NonceRecord {
                nonce: NonceUse {
                    consumer_key: consumer,
                    token: None,
                    nonce,
                    timestamp: 100,
                },
                now: 100,
                window: 10,
            }
        }
        let mut refused = None;
        for i in 0..64 * SHARDS {
            if let Err(e) = store
                .check_and_record(&of("greedy", &format!("g{i}")))
                .await
            {
                refused = Some(i);
                assert!(e.to_string().contains("share"), "{e}");
                break;
            }
        }
        let refused = refused.expect("the quota stops one consumer");
        assert_eq!(refused, 8 * SHARDS, "nonces before the quota");
        // Everyone else still gets in.
        for i in 0..100 {
            assert!(store
                .check_and_record(&of("polite", &format!("p{i}")))
                .await
                .unwrap());
        }
        // The quota frees up as the greedy consumer's nonces expire.
        let mut later = of("greedy", "late");
        later.nonce.timestamp = 200;
        later.now = 200;
        assert!(store.check_and_record(&later).await.unwrap());
    }
}

//! In-memory stores: a bounded [`MemoryNonceStore`] for one process, and
//! [`MemoryCredentials`], a credential table for tools with a handful of consumers (an LTI
//! tool, a test).

use std::cmp::Reverse;
use std::collections::hash_map::RandomState;
use std::collections::{BinaryHeap, HashMap};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, RwLock};

use async_trait::async_trait;
use oauth1_core::Secret;

use crate::store::{CredentialStore, NonceRecord, NonceStore, StoreError, TokenKind, TokenRecord};

const SHARDS: usize = 16;

/// An in-memory [`NonceStore`] for a single process: each nonce is kept until its timestamp
/// leaves the window ([`NonceRecord::ttl`]), and at most `capacity` are held. When it is full
/// of nonces that are all still live, a new one is refused with a [`StoreError`] rather than
/// an old one forgotten, so that a flood cannot open a replay window.
///
/// It cannot protect a service that runs on several machines: a replay sent to another
/// instance is not seen. Use a shared store (Redis, with the `redis` feature) there.
#[derive(Debug)]
pub struct MemoryNonceStore {
    shards: Vec<Mutex<Shard>>,
    shard_capacity: usize,
    hasher: RandomState,
}

#[derive(Debug, Default)]
struct Shard {
    /// Nonce key → when it may be forgotten.
    live: HashMap<Arc<str>, u64>,
    /// The same keys, soonest expiry first.
    expiry: BinaryHeap<Reverse<(u64, Arc<str>)>>,
}

impl Shard {
    fn forget_expired(&mut self, now: u64) {
        while let Some(Reverse((at, _))) = self.expiry.peek() {
            if *at > now {
                break;
            }
            if let Some(Reverse((_, key))) = self.expiry.pop() {
                self.live.remove(&key);
            }
        }
    }
}

impl MemoryNonceStore {
    /// A store holding at most `capacity` nonces (at least one per internal shard).
    pub fn new(capacity: usize) -> Self {
        MemoryNonceStore {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
            shard_capacity: capacity.div_ceil(SHARDS).max(1),
            hasher: RandomState::new(),
        }
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
    /// One million nonces: at ±300 s, room for about 1,600 requests a second.
    fn default() -> Self {
        MemoryNonceStore::new(1_000_000)
    }
}

/// The key of a nonce use: every part length-prefixed, so that no two uses share a key.
pub(crate) fn nonce_key(record: &NonceRecord<'_>) -> String {
    let n = &record.nonce;
    // A missing token (`-`) and an empty one (`0:`) differ.
    let token = n
        .token
        .map_or_else(|| "-".to_owned(), |t| format!("{}:{t}", t.len()));
    format!(
        "{}:{}|{token}|{}:{}|{}",
        n.consumer_key.len(),
        n.consumer_key,
        n.nonce.len(),
        n.nonce,
        n.timestamp
    )
}

#[async_trait]
impl NonceStore for MemoryNonceStore {
    async fn check_and_record(&self, record: &NonceRecord<'_>) -> Result<bool, StoreError> {
        let key = nonce_key(record);
        let shard = &self.shards[(self.hasher.hash_one(&key) as usize) % SHARDS];
        let mut shard = shard
            .lock()
            .map_err(|_| StoreError::new("nonce", "a thread panicked while holding the store"))?;
        shard.forget_expired(record.now);
        if shard.live.contains_key(key.as_str()) {
            return Ok(false);
        }
        if shard.live.len() >= self.shard_capacity {
            return Err(StoreError::new(
                "nonce",
                format!(
                    "the in-memory nonce store is full ({} live nonces); raise its capacity or \
                     shorten the timestamp window",
                    self.shard_capacity * SHARDS
                ),
            ));
        }
        let expires = record.now.saturating_add(record.ttl());
        let key: Arc<str> = key.into();
        shard.live.insert(Arc::clone(&key), expires);
        shard.expiry.push(Reverse((expires, key)));
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
    pub fn consumer(self, key: impl Into<String>, secret: impl Into<Secret>) -> Self {
        self.add_consumer(key, secret);
        self
    }

    /// With an access token added for `consumer_key`.
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
        let store = MemoryNonceStore::new(SHARDS);
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
        let a = nonce_key(&record("b:c", Some("x"), 1, 1));
        let b = nonce_key(&record("c", Some("x:b"), 1, 1));
        let c = nonce_key(&record("c", None, 1, 1));
        let d = nonce_key(&record("c", Some(""), 1, 1));
        assert_ne!(a, b);
        assert_ne!(c, d);
        // Nonce "1" at 23 and nonce "12" at 3.
        assert_ne!(
            nonce_key(&record("1", None, 23, 1)),
            nonce_key(&record("12", None, 3, 1))
        );
    }
}

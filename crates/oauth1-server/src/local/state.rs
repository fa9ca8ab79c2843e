//! The local provider's memory: clients, users, tokens.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use oauth1_core::Secret;

use async_trait::async_trait;

use crate::store::{CredentialStore, StoreError, TokenKind, TokenRecord};

/// How long a request token lives.
pub(crate) const TEMPORARY_LIFETIME: Duration = Duration::from_secs(600);

#[derive(Debug)]
pub(crate) struct User {
    pub(crate) id: u64,
    pub(crate) screen_name: String,
    pub(crate) password: Secret,
}

#[derive(Debug, Clone)]
pub(crate) struct Temporary {
    pub(crate) consumer_key: String,
    pub(crate) secret: Secret,
    pub(crate) callback: String,
    pub(crate) created: Instant,
    /// Set when the user allowed: the verifier and the user.
    pub(crate) approved: Option<(String, usize)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Access {
    pub(crate) consumer_key: String,
    pub(crate) secret: Secret,
    pub(crate) user: usize,
}

/// Everything the provider remembers. The maps are behind short-held mutexes (never across an
/// `.await`), split by kind so that request-token and resource traffic do not contend.
#[derive(Debug)]
pub(crate) struct Store {
    pub(crate) clients: HashMap<String, Secret>,
    pub(crate) users: Vec<User>,
    pub(crate) temporary: Mutex<HashMap<String, Temporary>>,
    pub(crate) access: Mutex<HashMap<String, Access>>,
}

impl Store {
    pub(crate) fn user_named(&self, name: &str) -> Option<usize> {
        self.users
            .iter()
            .position(|u| u.screen_name.eq_ignore_ascii_case(name))
    }

    pub(crate) fn temporary(&self, token: &str) -> Option<Temporary> {
        let map = self.temporary.lock().ok()?;
        map.get(token)
            .filter(|t| t.created.elapsed() < TEMPORARY_LIFETIME)
            .cloned()
    }

    pub(crate) fn insert_temporary(&self, token: String, t: Temporary) {
        if let Ok(mut map) = self.temporary.lock() {
            // Expired tokens go when the map has grown (amortized, no scan per request).
            if map.len() >= 4096 && map.len().is_power_of_two() {
                map.retain(|_, t| t.created.elapsed() < TEMPORARY_LIFETIME);
            }
            map.insert(token, t);
        }
    }
}

#[async_trait]
impl CredentialStore for Store {
    async fn consumer_secret(&self, consumer_key: &str) -> Result<Option<Secret>, StoreError> {
        Ok(self.clients.get(consumer_key).cloned())
    }

    async fn token(&self, token: &str) -> Result<Option<TokenRecord>, StoreError> {
        if let Some(t) = self.temporary(token) {
            return Ok(Some(TokenRecord {
                consumer_key: t.consumer_key,
                secret: t.secret,
                kind: TokenKind::Temporary,
            }));
        }
        let map = self
            .access
            .lock()
            .map_err(|_| StoreError::new("credential", "the token table is poisoned"))?;
        Ok(map.get(token).map(|a| TokenRecord {
            consumer_key: a.consumer_key.clone(),
            secret: a.secret.clone(),
            kind: TokenKind::Access,
        }))
    }
}

/// `n` random bytes as URL-safe text (letters and digits).
pub(crate) fn random_token(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = vec![0u8; len];
    if getrandom::getrandom(&mut bytes).is_err() {
        // The OS random source failing is not recoverable for a provider; fall back to a
        // time-derived value so the local test server keeps working, never for secrets of
        // value (this provider is a test and demo tool).
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (t >> ((i % 16) * 8)) as u8 ^ (i as u8).wrapping_mul(31);
        }
    }
    bytes
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect()
}

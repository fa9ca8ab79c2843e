//! The local provider's memory: clients, users, tokens.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use oauth1_core::Secret;

use async_trait::async_trait;

use crate::clock::Clock;
use crate::store::{CredentialStore, StoreError, TokenKind, TokenRecord};

/// The most unused request tokens kept at once; past it, `request_token` answers 503 until
/// some expire or are used (a client with the public test consumer key cannot fill memory).
pub(crate) const MAX_PENDING_REQUEST_TOKENS: usize = 100_000;

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
    /// When it was issued, in Unix seconds (the provider's clock).
    pub(crate) created: u64,
    /// The value the authorize form must post back (CSRF), bound to this request token.
    pub(crate) csrf: Secret,
    /// Set when the user allowed: the verifier and the user.
    pub(crate) approved: Option<(String, usize)>,
}

/// A table's mutex is poisoned (a thread panicked holding it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Poisoned;

#[derive(Debug, Clone)]
pub(crate) struct Access {
    pub(crate) consumer_key: String,
    pub(crate) secret: Secret,
    pub(crate) user: usize,
}

/// Everything the provider remembers. The maps are behind short-held mutexes (never across an
/// `.await`), split by kind so that request-token and resource traffic do not contend.
pub(crate) struct Store {
    pub(crate) clients: HashMap<String, Secret>,
    /// RSA consumers' public keys (Jira), by consumer key.
    pub(crate) rsa_keys: HashMap<String, oauth1_core::RsaKey>,
    /// Magento: the verifier of each consumer's last activation.
    pub(crate) activations: Mutex<HashMap<String, Secret>>,
    pub(crate) users: Vec<User>,
    pub(crate) temporary: Mutex<HashMap<String, Temporary>>,
    pub(crate) access: Mutex<HashMap<String, Access>>,
    pub(crate) clock: Arc<dyn Clock>,
    /// How long a request token lives, in seconds.
    pub(crate) lifetime: u64,
    /// How many sweeps have run (tests wait on it instead of sleeping for the timer).
    pub(crate) sweeps: tokio::sync::watch::Sender<u64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("clients", &self.clients.keys().collect::<Vec<_>>())
            .field("rsa_clients", &self.rsa_keys.keys().collect::<Vec<_>>())
            .field("users", &self.users)
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

impl Store {
    pub(crate) fn user_named(&self, name: &str) -> Option<usize> {
        self.users
            .iter()
            .position(|u| u.screen_name.eq_ignore_ascii_case(name))
    }

    /// Whether `t` is still usable at `now` (Unix seconds on the provider's clock): for
    /// `lifetime` seconds from when it was issued, no longer.
    fn live(&self, t: &Temporary, now: u64) -> bool {
        now < t.created.saturating_add(self.lifetime)
    }

    /// The request token, unless it is unknown or expired.
    pub(crate) fn temporary(&self, token: &str) -> Option<Temporary> {
        let now = self.clock.now();
        let map = self.temporary.lock().ok()?;
        map.get(token).filter(|t| self.live(t, now)).cloned()
    }

    /// Removes the request token and returns it, unless it is unknown or expired (the
    /// access-token exchange: single use, and never past its lifetime even if the sweep has not
    /// run yet).
    pub(crate) fn take_temporary(&self, token: &str) -> Option<Temporary> {
        let now = self.clock.now();
        let mut map = self.temporary.lock().ok()?;
        let t = map.remove(token)?;
        self.live(&t, now).then_some(t)
    }

    /// Records the user's approval of the request token and returns its callback; `Ok(None)`
    /// when it is unknown or expired.
    pub(crate) fn approve_temporary(
        &self,
        token: &str,
        verifier: String,
        user: usize,
    ) -> Result<Option<String>, Poisoned> {
        let now = self.clock.now();
        let mut map = self.temporary.lock().map_err(|_| Poisoned)?;
        let Some(t) = map.get_mut(token).filter(|t| self.live(t, now)) else {
            return Ok(None);
        };
        t.approved = Some((verifier, user));
        Ok(Some(t.callback.clone()))
    }

    /// The verifier of `consumer_key`'s activation (Magento), if the store activated it.
    pub(crate) fn activation(&self, consumer_key: &str) -> Option<String> {
        let map = self.activations.lock().ok()?;
        map.get(consumer_key).map(|v| v.secret().to_owned())
    }

    /// Ends `consumer_key`'s activation: its verifier was exchanged for an access token.
    pub(crate) fn deactivate(&self, consumer_key: &str) {
        if let Ok(mut map) = self.activations.lock() {
            map.remove(consumer_key);
        }
    }

    /// Records an activation of `consumer_key` with `verifier`.
    pub(crate) fn activate(&self, consumer_key: &str, verifier: &str) {
        if let Ok(mut map) = self.activations.lock() {
            map.insert(consumer_key.to_owned(), Secret::new(verifier));
        }
    }

    /// Keeps a new request token; `false` when too many are pending (or the table is poisoned).
    pub(crate) fn insert_temporary(&self, token: String, t: Temporary) -> bool {
        let Ok(mut map) = self.temporary.lock() else {
            return false;
        };
        if map.len() >= MAX_PENDING_REQUEST_TOKENS {
            return false;
        }
        map.insert(token, t);
        true
    }

    /// Removes the expired request tokens (the provider's timer calls this); returns how many.
    pub(crate) fn sweep(&self) -> usize {
        let now = self.clock.now();
        let Ok(mut map) = self.temporary.lock() else {
            return 0;
        };
        let before = map.len();
        map.retain(|_, t| self.live(t, now));
        let swept = before - map.len();
        drop(map);
        self.sweeps.send_modify(|n| *n += 1);
        swept
    }

    /// How many request tokens are kept, expired or not (for tests of the sweep).
    #[cfg(test)]
    pub(crate) fn temporary_count(&self) -> usize {
        self.temporary.lock().map_or(0, |m| m.len())
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

    async fn consumer_public_key(
        &self,
        consumer_key: &str,
    ) -> Result<Option<oauth1_core::RsaKey>, StoreError> {
        Ok(self.rsa_keys.get(consumer_key).cloned())
    }
}

//! Secrets: consumer secrets, token secrets, passwords.

use std::fmt;

use zeroize::Zeroizing;

/// A secret string: redacted in `Debug`, no `Display`, zeroized on drop.
///
/// The value is reachable only through the explicitly named [`Secret::secret`].
///
/// ```
/// use oauth1_core::Secret;
/// let s = Secret::new("kd94hf93k423kf44");
/// assert_eq!(format!("{s:?}"), "Secret([redacted])");
/// assert_eq!(s.secret(), "kd94hf93k423kf44");
/// ```
#[derive(Clone, Default)]
pub struct Secret(Zeroizing<String>);

/// Constant-time: comparing secrets must not leak how many leading bytes match.
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq;
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Secret {}

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The secret value. Named so that every use of it stands out in review.
    pub fn secret(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(Zeroizing::new(value))
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(Zeroizing::new(value.to_owned()))
    }
}

/// Client credentials (RFC 5849 §1.1): the consumer key and its secret.
///
/// ```
/// use oauth1_core::ClientCredentials;
/// let c = ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
/// assert!(!format!("{c:?}").contains("kd94"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    key: String,
    secret: Secret,
}

impl ClientCredentials {
    /// Client credentials from the consumer key and secret.
    pub fn new(key: impl Into<String>, secret: impl Into<Secret>) -> Self {
        ClientCredentials {
            key: key.into(),
            secret: secret.into(),
        }
    }

    /// The consumer key (`oauth_consumer_key`), which is public.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The consumer secret.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}

/// `(key, secret)`, as `ClientCredentials::new(key, secret)`.
///
/// ```
/// use oauth1_core::ClientCredentials;
/// let c: ClientCredentials = ("dpf43f3p2l4k3l03", "kd94hf93k423kf44").into();
/// assert_eq!(c.key(), "dpf43f3p2l4k3l03");
/// ```
impl<K: Into<String>, S: Into<Secret>> From<(K, S)> for ClientCredentials {
    fn from((key, secret): (K, S)) -> Self {
        ClientCredentials::new(key, secret)
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("key", &self.key)
            .field("secret", &self.secret)
            .finish()
    }
}

/// Token credentials or temporary credentials (RFC 5849 §1.1): `oauth_token` and its secret.
///
/// ```
/// use oauth1_core::TokenCredentials;
/// let t = TokenCredentials::new("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
/// assert_eq!(t.token(), "nnch734d00sl2jdk");
/// assert!(!format!("{t:?}").contains("pfkk"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct TokenCredentials {
    token: String,
    secret: Secret,
}

impl TokenCredentials {
    /// Token credentials from the token and its secret.
    pub fn new(token: impl Into<String>, secret: impl Into<Secret>) -> Self {
        TokenCredentials {
            token: token.into(),
            secret: secret.into(),
        }
    }

    /// The token (`oauth_token`).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The token secret.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}

/// `(token, secret)`, as `TokenCredentials::new(token, secret)`.
impl<K: Into<String>, S: Into<Secret>> From<(K, S)> for TokenCredentials {
    fn from((token, secret): (K, S)) -> Self {
        TokenCredentials::new(token, secret)
    }
}

impl fmt::Debug for TokenCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCredentials")
            .field("token", &self.token)
            .field("secret", &self.secret)
            .finish()
    }
}

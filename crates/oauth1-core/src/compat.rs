//! Opt-in compatibility with widely deployed implementations that depart from RFC 5849, where
//! our users meet them. Nothing here is used unless you name it.
//!
//! Each item is named after the peer it imitates and says what it gives up. Every departure
//! listed here was found by the interop suite (`scripts/interop.sh`, `docs/interop.md`), which
//! also checks that the setting makes that peer accept the request.
//!
//! | setting | for a server built on | what it gives up |
//! |---|---|---|
//! | [`PeclOAuthProvider`] | PHP's PECL `oauth` extension (`OAuthProvider`) | the percent-encoding of the secrets in the key (RFC 5849 §3.4.2) |

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, Misuse};
use crate::secret::Secret;
use crate::signature::SignatureMethod;

/// HMAC-SHA1, HMAC-SHA256 and PLAINTEXT keyed as PHP's PECL `oauth` extension's
/// `OAuthProvider` keys them when it verifies: `consumer_secret "&" token_secret` with both
/// secrets **as they are**, where RFC 5849 §3.4.2 percent-encodes each
/// (`encode(consumer_secret) "&" encode(token_secret)`).
///
/// The base string, the method names and everything sent are the RFC's; only the key differs,
/// and only when a secret holds a character outside `A-Z a-z 0-9 - . _ ~` (a space, `+`, `/`,
/// `=`, `%`, `&`, non-ASCII...). For secrets made of those characters alone, the signature is
/// the standard one.
///
/// **What it gives up:** with such a secret, a server that follows the RFC (this crate's
/// verifier, oauthlib, Twitter/X, PECL's own `OAuth` client class, which encodes) refuses the
/// signature; and a secret that holds `&` is ambiguous in the key (`a&b` + `c` and `a` + `b&c`
/// give the same key). Use it only toward a provider that runs `OAuthProvider`, and only if its
/// secrets hold such characters.
///
/// ```
/// use oauth1_core::compat::PeclOAuthProvider;
/// use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Request, Signer, TokenCredentials};
///
/// let client = ClientCredentials::new("key", "secret");
/// let token = TokenCredentials::new("token", "token-secret");
/// let request = Request::new("GET", "https://api.example.com/items?a=1");
/// let oauth = OAuthParams::new("nonce", 1_700_000_000);
/// let pecl = Signer::new(PeclOAuthProvider::HmacSha1, &client, Some(&token))?;
/// let rfc = Signer::new(HmacSha1, &client, Some(&token))?;
/// // Secrets of unreserved characters: the same header either way.
/// assert_eq!(pecl.authorization(&request, &oauth)?, rfc.authorization(&request, &oauth)?);
/// # Ok::<(), oauth1_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PeclOAuthProvider {
    /// `HMAC-SHA1` with the raw-secrets key.
    HmacSha1,
    /// `HMAC-SHA256` with the raw-secrets key.
    HmacSha256,
    /// `PLAINTEXT`: the signature is the raw-secrets key.
    Plaintext,
}

impl PeclOAuthProvider {
    /// The name of this setting where a setting is given by name: `pecl-oauth-provider` (the
    /// CLI's `--compat`, a profile's `compat`).
    pub const SETTING: &'static str = "pecl-oauth-provider";

    /// The method of this setting with this `oauth_signature_method` name: `HMAC-SHA1`,
    /// `HMAC-SHA256` or `PLAINTEXT`, the methods `OAuthProvider` keys with the secrets. Any
    /// other name is refused ([`Misuse::NoCompatMethod`]): `OAuthProvider` has no HMAC-SHA512,
    /// and RSA-SHA1 has no secrets in its key, so there is nothing to imitate.
    ///
    /// ```
    /// use oauth1_core::compat::PeclOAuthProvider;
    /// use oauth1_core::SignatureMethod;
    /// assert_eq!(PeclOAuthProvider::from_name("HMAC-SHA256")?.name(), "HMAC-SHA256");
    /// assert!(PeclOAuthProvider::from_name("RSA-SHA1").is_err());
    /// # Ok::<(), oauth1_core::Error>(())
    /// ```
    pub fn from_name(name: &str) -> Result<Self, Error> {
        match name {
            "HMAC-SHA1" => Ok(PeclOAuthProvider::HmacSha1),
            "HMAC-SHA256" => Ok(PeclOAuthProvider::HmacSha256),
            "PLAINTEXT" => Ok(PeclOAuthProvider::Plaintext),
            other => Err(Misuse::NoCompatMethod {
                setting: Self::SETTING,
                method: other.to_owned(),
                methods: "HMAC-SHA1, HMAC-SHA256 or PLAINTEXT",
            }
            .into()),
        }
    }
}

/// The key of a [`PeclOAuthProvider`] method. Its `Debug` prints `[redacted]`.
#[derive(Clone)]
pub struct PeclKey(PeclKeyKind);

#[derive(Clone)]
enum PeclKeyKind {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
    Plaintext(Secret),
}

impl fmt::Debug for PeclKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PeclKey([redacted])")
    }
}

impl Drop for PeclKey {
    fn drop(&mut self) {
        // As `HmacKey` does: overwrite the hash states with those of an empty key (the `hmac`
        // crate offers no zeroization); a `Secret` zeroizes itself.
        match &mut self.0 {
            PeclKeyKind::Sha1(m) => {
                if let Ok(empty) = <Hmac<Sha1> as KeyInit>::new_from_slice(&[]) {
                    *m = empty;
                    std::hint::black_box(&*m);
                }
            }
            PeclKeyKind::Sha256(m) => {
                if let Ok(empty) = <Hmac<Sha256> as KeyInit>::new_from_slice(&[]) {
                    *m = empty;
                    std::hint::black_box(&*m);
                }
            }
            PeclKeyKind::Plaintext(_) => {}
        }
    }
}

/// `consumer_secret "&" token_secret`, not encoded.
fn raw_key(client_secret: &Secret, token_secret: Option<&Secret>) -> Zeroizing<String> {
    let token = token_secret.map_or("", Secret::secret);
    let mut key = Zeroizing::new(String::with_capacity(
        client_secret.secret().len() + token.len() + 1,
    ));
    key.push_str(client_secret.secret());
    key.push('&');
    key.push_str(token);
    key
}

fn mac<M: Mac + KeyInit>(key: &str) -> M {
    // HMAC accepts keys of any length.
    <M as KeyInit>::new_from_slice(key.as_bytes()).unwrap_or_else(|_| unreachable_hmac())
}

#[cold]
fn unreachable_hmac() -> ! {
    unreachable!("HMAC takes keys of any length")
}

fn tag<M: Mac + Clone>(mac: &M, base_string: &[u8]) -> Vec<u8> {
    let mut mac = mac.clone();
    mac.update(base_string);
    mac.finalize().into_bytes().to_vec()
}

impl PeclKey {
    fn tag(&self, base_string: &[u8]) -> Option<Vec<u8>> {
        match &self.0 {
            PeclKeyKind::Sha1(m) => Some(tag(m, base_string)),
            PeclKeyKind::Sha256(m) => Some(tag(m, base_string)),
            PeclKeyKind::Plaintext(_) => None,
        }
    }
}

impl SignatureMethod for PeclOAuthProvider {
    type Key = PeclKey;

    fn name(&self) -> &str {
        match self {
            PeclOAuthProvider::HmacSha1 => "HMAC-SHA1",
            PeclOAuthProvider::HmacSha256 => "HMAC-SHA256",
            PeclOAuthProvider::Plaintext => "PLAINTEXT",
        }
    }

    fn key(&self, client_secret: &Secret, token_secret: Option<&Secret>) -> Result<PeclKey, Error> {
        let key = raw_key(client_secret, token_secret);
        Ok(PeclKey(match self {
            PeclOAuthProvider::HmacSha1 => PeclKeyKind::Sha1(mac(&key)),
            PeclOAuthProvider::HmacSha256 => PeclKeyKind::Sha256(mac(&key)),
            PeclOAuthProvider::Plaintext => PeclKeyKind::Plaintext(Secret::new(key.as_str())),
        }))
    }

    fn sign(&self, key: &PeclKey, base_string: &[u8], out: &mut String) -> Result<(), Error> {
        match (&key.0, key.tag(base_string)) {
            (PeclKeyKind::Plaintext(secret), _) => out.push_str(secret.secret()),
            (_, Some(mac)) => STANDARD.encode_string(mac, out),
            (_, None) => {}
        }
        Ok(())
    }

    fn verify(&self, key: &PeclKey, base_string: &[u8], signature: &str) -> Result<bool, Error> {
        Ok(match (&key.0, key.tag(base_string)) {
            (PeclKeyKind::Plaintext(secret), _) => secret
                .secret()
                .as_bytes()
                .ct_eq(signature.as_bytes())
                .into(),
            (_, Some(expected)) => match STANDARD.decode(signature) {
                Ok(received) => received.ct_eq(&expected).into(),
                Err(_) => false,
            },
            (_, None) => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnyMethod, HmacSha1, HmacSha256, Plaintext};

    const BASE: &[u8] = b"GET&https%3A%2F%2Fapi.example.com%2Fitems&a%3D1";

    fn sign<M: SignatureMethod>(m: &M, cs: &str, ts: Option<&str>) -> String {
        let ts = ts.map(Secret::new);
        let key = m.key(&Secret::new(cs), ts.as_ref()).unwrap();
        let mut out = String::new();
        m.sign(&key, BASE, &mut out).unwrap();
        assert!(
            m.verify(&key, BASE, &out).unwrap(),
            "a signature verifies with its own key"
        );
        out
    }

    /// For secrets of unreserved characters the raw key is the RFC key: each compat method
    /// signs as the standard method of the same name.
    #[test]
    fn unreserved_secrets_sign_as_the_rfc_methods() {
        for (cs, ts) in [
            ("secret", Some("token-secret")),
            ("a.b_c~d-0", None),
            ("", Some("")),
        ] {
            assert_eq!(
                sign(&PeclOAuthProvider::HmacSha1, cs, ts),
                sign(&HmacSha1, cs, ts)
            );
            assert_eq!(
                sign(&PeclOAuthProvider::HmacSha256, cs, ts),
                sign(&HmacSha256, cs, ts)
            );
            assert_eq!(
                sign(&PeclOAuthProvider::Plaintext, cs, ts),
                sign(&Plaintext, cs, ts)
            );
        }
    }

    /// Secrets with characters the RFC encodes: the compat key is the raw text (PLAINTEXT shows
    /// it; HMAC is checked against the `hmac` crate keyed with that text directly), and the
    /// signatures differ from the RFC methods'.
    #[test]
    fn awkward_secrets_are_not_encoded() {
        let (cs, ts) = ("c s+%&~é", "t&s=+~ü");
        assert_eq!(
            sign(&PeclOAuthProvider::Plaintext, cs, Some(ts)),
            "c s+%&~é&t&s=+~ü"
        );
        assert_eq!(
            sign(&Plaintext, cs, Some(ts)),
            "c%20s%2B%25%26~%C3%A9&t%26s%3D%2B~%C3%BC"
        );
        let mut direct =
            <Hmac<Sha1> as KeyInit>::new_from_slice("c s+%&~é&t&s=+~ü".as_bytes()).unwrap();
        direct.update(BASE);
        let direct = STANDARD.encode(direct.finalize().into_bytes());
        assert_eq!(sign(&PeclOAuthProvider::HmacSha1, cs, Some(ts)), direct);
        assert_ne!(
            sign(&PeclOAuthProvider::HmacSha1, cs, Some(ts)),
            sign(&HmacSha1, cs, Some(ts))
        );
        assert_ne!(
            sign(&PeclOAuthProvider::HmacSha256, cs, Some(ts)),
            sign(&HmacSha256, cs, Some(ts))
        );
    }

    #[test]
    fn names_are_the_rfc_names_and_bad_signatures_fail() {
        assert_eq!(PeclOAuthProvider::HmacSha1.name(), "HMAC-SHA1");
        assert_eq!(PeclOAuthProvider::HmacSha256.name(), "HMAC-SHA256");
        assert_eq!(PeclOAuthProvider::Plaintext.name(), "PLAINTEXT");
        for m in [
            PeclOAuthProvider::HmacSha1,
            PeclOAuthProvider::HmacSha256,
            PeclOAuthProvider::Plaintext,
        ] {
            let key = m.key(&Secret::new("c s"), None).unwrap();
            assert!(!m.verify(&key, BASE, "not base64 !").unwrap());
            assert!(!m.verify(&key, BASE, "AAAA").unwrap());
            assert_eq!(format!("{key:?}"), "PeclKey([redacted])");
        }
    }

    /// Chosen by name at run time (a CLI flag, a profile), the setting signs as its own type
    /// does, through `AnyMethod`; the names it has no method for are refused, saying which.
    #[test]
    fn by_name_and_through_any_method() {
        for name in ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"] {
            let pecl = PeclOAuthProvider::from_name(name).unwrap();
            let any = AnyMethod::from(pecl);
            assert_eq!(any.name(), name);
            assert_eq!(
                sign(&any, "a b", Some("c&d")),
                sign(&pecl, "a b", Some("c&d"))
            );
            assert_ne!(
                sign(&any, "a b", Some("c&d")),
                sign(&AnyMethod::from_name(name).unwrap(), "a b", Some("c&d")),
                "{name}: an awkward secret keys differently from the RFC"
            );
            let key = any.key(&Secret::new("k"), None).unwrap();
            assert_eq!(format!("{key:?}"), "PeclOAuthProvider(PeclKey([redacted]))");
            let mut out = String::new();
            let rfc_key = AnyMethod::from_name(name)
                .unwrap()
                .key(&Secret::new("k"), None)
                .unwrap();
            assert!(
                any.sign(&rfc_key, BASE, &mut out).is_err(),
                "a key of another method"
            );
        }
        for name in ["HMAC-SHA512", "RSA-SHA1", "hmac-sha1", ""] {
            let error = PeclOAuthProvider::from_name(name).unwrap_err();
            let error = crate::Chain(&error).to_string();
            assert!(
                error.contains("pecl-oauth-provider")
                    && error.contains("HMAC-SHA1, HMAC-SHA256 or PLAINTEXT")
                    && error.contains(&format!("`{name}`")),
                "{error}"
            );
        }
    }
}

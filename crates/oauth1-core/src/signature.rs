//! Signature methods (RFC 5849 §3.4): HMAC-SHA1, HMAC-SHA256, HMAC-SHA512 and PLAINTEXT, and
//! with the `rsa` feature RSA-SHA1 and RSA-SHA256, all behind [`SignatureMethod`].

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::encode::encode_into;
use crate::error::{Error, Misuse};
use crate::secret::Secret;

/// A signature method: its name, how it prepares its key, how it signs and verifies.
///
/// The key is prepared once per pair of secrets ([`SignatureMethod::key`]) so that a
/// [`Signer`](crate::Signer) can sign many requests without redoing that work.
///
/// ```
/// use oauth1_core::{HmacSha1, Secret, SignatureMethod};
/// let key = HmacSha1.key(&Secret::new("kd94hf93k423kf44"), Some(&Secret::new("pfkkdhi9sl3r4s00"))).unwrap();
/// let base = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal";
/// let mut sig = String::new();
/// HmacSha1.sign(&key, base.as_bytes(), &mut sig).unwrap();
/// assert_eq!(sig, "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
/// assert!(HmacSha1.verify(&key, base.as_bytes(), &sig).unwrap());
/// ```
pub trait SignatureMethod {
    /// Key material prepared from the secrets.
    type Key;

    /// The `oauth_signature_method` value, e.g. `HMAC-SHA1`.
    fn name(&self) -> &str;

    /// Prepares the key from the client secret and the token secret (`None` when there is no
    /// token; treated like an empty secret, RFC 5849 §3.4.2).
    fn key(
        &self,
        client_secret: &Secret,
        token_secret: Option<&Secret>,
    ) -> Result<Self::Key, Error>;

    /// Appends the signature of `base_string` (the `oauth_signature` value, not yet
    /// percent-encoded) to `out`.
    fn sign(&self, key: &Self::Key, base_string: &[u8], out: &mut String) -> Result<(), Error>;

    /// Whether `signature` is valid for `base_string`. Implementations compare in constant time.
    fn verify(&self, key: &Self::Key, base_string: &[u8], signature: &str) -> Result<bool, Error>;
}

/// The HMAC/PLAINTEXT key `encode(client_secret) "&" encode(token_secret)` (RFC 5849 §3.4.2).
/// The `&` is there even when the token secret is empty.
fn key_string(client_secret: &Secret, token_secret: Option<&Secret>) -> Zeroizing<String> {
    let token = token_secret.map_or("", Secret::secret);
    let mut key = Zeroizing::new(String::with_capacity(
        (client_secret.secret().len() + token.len()) * 3 + 1,
    ));
    encode_into(client_secret.secret().as_bytes(), &mut key);
    key.push('&');
    encode_into(token.as_bytes(), &mut key);
    key
}

/// A prepared HMAC key: the hash states after absorbing the inner and outer padded keys, so
/// that each signature costs only the hashing of the base string.
///
/// The key text it was made from is zeroized as soon as the states are computed. The states
/// themselves live inside the `hmac` crate's type, which offers no zeroization; on drop they
/// are overwritten with the states of an empty key (a best-effort write kept alive with
/// `black_box`, since `#![forbid(unsafe_code)]` rules out volatile writes).
#[derive(Clone)]
pub struct HmacKey<M: Mac + KeyInit>(M);

impl<M: Mac + KeyInit> Drop for HmacKey<M> {
    fn drop(&mut self) {
        if let Ok(empty) = <M as KeyInit>::new_from_slice(&[]) {
            self.0 = empty;
            std::hint::black_box(&self.0);
        }
    }
}

impl<M: Mac + KeyInit> fmt::Debug for HmacKey<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacKey([redacted])")
    }
}

fn hmac_key<M: Mac + KeyInit>(client_secret: &Secret, token_secret: Option<&Secret>) -> HmacKey<M> {
    let key = key_string(client_secret, token_secret);
    // HMAC accepts keys of any length.
    HmacKey(<M as KeyInit>::new_from_slice(key.as_bytes()).unwrap_or_else(|_| unreachable_hmac()))
}

#[cold]
fn unreachable_hmac() -> ! {
    unreachable!("HMAC takes keys of any length")
}

fn hmac_tag<M: Mac + KeyInit + Clone>(
    key: &HmacKey<M>,
    base_string: &[u8],
) -> hmac::digest::CtOutput<M> {
    let mut mac = key.0.clone();
    mac.update(base_string);
    mac.finalize()
}

macro_rules! hmac_method {
    ($(#[$doc:meta])* $ty:ident, $digest:ty, $name:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $ty;

        impl SignatureMethod for $ty {
            type Key = HmacKey<Hmac<$digest>>;

            fn name(&self) -> &str {
                $name
            }

            fn key(&self, client_secret: &Secret, token_secret: Option<&Secret>) -> Result<Self::Key, Error> {
                Ok(hmac_key::<Hmac<$digest>>(client_secret, token_secret))
            }

            fn sign(&self, key: &Self::Key, base_string: &[u8], out: &mut String) -> Result<(), Error> {
                push_base64(out, &hmac_tag(key, base_string).into_bytes());
                Ok(())
            }

            fn verify(&self, key: &Self::Key, base_string: &[u8], signature: &str) -> Result<bool, Error> {
                let expected = hmac_tag(key, base_string).into_bytes();
                let mut buf = [0u8; 64];
                Ok(match decode_base64(signature, &mut buf) {
                    Some(received) => received.ct_eq(&expected[..]).into(),
                    None => false,
                })
            }
        }
    };
}

/// Appends the standard base64 encoding (RFC 4648 §4, padded) of a MAC (at most 64 bytes) to
/// `out`, through a stack buffer: no allocation when `out` has room (the scratch's signature
/// `String` keeps its capacity between signatures). `Engine::encode_string` does the same
/// through a 1 KiB buffer it zero-fills per call (242 instructions more per signature).
fn push_base64(out: &mut String, mac: &[u8]) {
    let mut buf = [0u8; 88];
    if let Ok(n) = STANDARD.encode_slice(mac, &mut buf) {
        // Base64 is ASCII: the check cannot fail.
        out.push_str(std::str::from_utf8(buf.get(..n).unwrap_or_default()).unwrap_or_default());
    }
}

/// Decodes a base64 signature into `buf`; `None` when it is not base64 or too long.
fn decode_base64<'b>(signature: &str, buf: &'b mut [u8; 64]) -> Option<&'b [u8]> {
    if signature.len() > 88 {
        return None;
    }
    let n = STANDARD.decode_slice(signature, buf).ok()?;
    Some(&buf[..n])
}

hmac_method!(
    /// HMAC-SHA1 (RFC 5849 §3.4.2), the method nearly every provider uses.
    HmacSha1, sha1::Sha1, "HMAC-SHA1"
);
hmac_method!(
    /// HMAC-SHA256: HMAC-SHA1's construction with SHA-256 (not in RFC 5849; used by some providers
    /// and by LTI).
    HmacSha256, sha2::Sha256, "HMAC-SHA256"
);
hmac_method!(
    /// HMAC-SHA512: HMAC-SHA1's construction with SHA-512.
    HmacSha512, sha2::Sha512, "HMAC-SHA512"
);

/// PLAINTEXT (RFC 5849 §3.4.4): the signature is the key itself. Use it over TLS only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Plaintext;

impl SignatureMethod for Plaintext {
    type Key = Secret;

    fn name(&self) -> &str {
        "PLAINTEXT"
    }

    fn key(&self, client_secret: &Secret, token_secret: Option<&Secret>) -> Result<Secret, Error> {
        Ok(Secret::new(
            key_string(client_secret, token_secret).as_str(),
        ))
    }

    fn sign(&self, key: &Secret, _base_string: &[u8], out: &mut String) -> Result<(), Error> {
        out.push_str(key.secret());
        Ok(())
    }

    fn verify(&self, key: &Secret, _base_string: &[u8], signature: &str) -> Result<bool, Error> {
        Ok(key.secret().as_bytes().ct_eq(signature.as_bytes()).into())
    }
}

/// Any of the built-in methods, chosen at run time (for example from a configuration file).
///
/// ```
/// use oauth1_core::{AnyMethod, SignatureMethod};
/// let m = AnyMethod::from_name("HMAC-SHA256").unwrap();
/// assert_eq!(m.name(), "HMAC-SHA256");
/// assert!(AnyMethod::from_name("HMAC-MD5").is_err());
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AnyMethod {
    /// HMAC-SHA1.
    HmacSha1,
    /// HMAC-SHA256.
    HmacSha256,
    /// HMAC-SHA512.
    HmacSha512,
    /// PLAINTEXT.
    Plaintext,
    /// RSA-SHA1 with its key.
    #[cfg(feature = "rsa")]
    RsaSha1(crate::rsa::RsaSha1),
    /// RSA-SHA256 with its key.
    #[cfg(feature = "rsa")]
    RsaSha256(crate::rsa::RsaSha256),
    /// RSA-SHA512 with its key.
    #[cfg(feature = "rsa")]
    RsaSha512(crate::rsa::RsaSha512),
    /// HMAC-SHA1, HMAC-SHA256 or PLAINTEXT keyed as PHP's `OAuthProvider` keys them: an opt-in
    /// departure from RFC 5849, see [`compat::PeclOAuthProvider`](crate::compat::PeclOAuthProvider).
    PeclOAuthProvider(crate::compat::PeclOAuthProvider),
}

impl AnyMethod {
    /// The HMAC or PLAINTEXT method with this `oauth_signature_method` name. RSA methods need a
    /// key: build them with [`AnyMethod::RsaSha1`](AnyMethod#variant.RsaSha1)/
    /// [`AnyMethod::RsaSha256`](AnyMethod#variant.RsaSha256) (feature `rsa`).
    pub fn from_name(name: &str) -> Result<Self, Error> {
        Ok(match name {
            "HMAC-SHA1" => AnyMethod::HmacSha1,
            "HMAC-SHA256" => AnyMethod::HmacSha256,
            "HMAC-SHA512" => AnyMethod::HmacSha512,
            "PLAINTEXT" => AnyMethod::Plaintext,
            "RSA-SHA1" => return Err(Misuse::RsaKeyRequired("RSA-SHA1").into()),
            "RSA-SHA256" => return Err(Misuse::RsaKeyRequired("RSA-SHA256").into()),
            "RSA-SHA512" => return Err(Misuse::RsaKeyRequired("RSA-SHA512").into()),
            other => return Err(Misuse::UnknownMethod(other.to_owned()).into()),
        })
    }
}

/// A method that can be held as an [`AnyMethod`]: every built-in one. With it a
/// `Signer<HmacSha1>` (or of any built-in method) goes where a `Signer<AnyMethod>` is expected:
/// see [`Signer::into_any`](crate::Signer::into_any). Each concrete method also converts with
/// `From`.
///
/// ```
/// use oauth1_core::{AnyMethod, HmacSha256, SignatureMethod};
/// let any: AnyMethod = HmacSha256.into();
/// assert_eq!(any.name(), "HMAC-SHA256");
/// ```
pub trait IntoAnyMethod: SignatureMethod + Sized {
    /// This method and its prepared `key`, as [`AnyMethod`]'s.
    fn into_any(self, key: Self::Key) -> (AnyMethod, AnyKey);
}

impl IntoAnyMethod for AnyMethod {
    fn into_any(self, key: AnyKey) -> (AnyMethod, AnyKey) {
        (self, key)
    }
}

macro_rules! into_any {
    ($ty:ident, $key:expr) => {
        impl From<$ty> for AnyMethod {
            fn from(_: $ty) -> AnyMethod {
                AnyMethod::$ty
            }
        }

        impl IntoAnyMethod for $ty {
            fn into_any(self, key: Self::Key) -> (AnyMethod, AnyKey) {
                (AnyMethod::$ty, $key(key))
            }
        }
    };
}

into_any!(HmacSha1, AnyKey::HmacSha1);
into_any!(HmacSha256, AnyKey::HmacSha256);
into_any!(HmacSha512, AnyKey::HmacSha512);
into_any!(Plaintext, AnyKey::Plaintext);

impl From<crate::compat::PeclOAuthProvider> for AnyMethod {
    fn from(method: crate::compat::PeclOAuthProvider) -> AnyMethod {
        AnyMethod::PeclOAuthProvider(method)
    }
}

impl IntoAnyMethod for crate::compat::PeclOAuthProvider {
    fn into_any(self, key: crate::compat::PeclKey) -> (AnyMethod, AnyKey) {
        (
            AnyMethod::PeclOAuthProvider(self),
            AnyKey::PeclOAuthProvider(key),
        )
    }
}

/// The key of an [`AnyMethod`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AnyKey {
    /// HMAC-SHA1 key.
    HmacSha1(HmacKey<Hmac<sha1::Sha1>>),
    /// HMAC-SHA256 key.
    HmacSha256(HmacKey<Hmac<sha2::Sha256>>),
    /// HMAC-SHA512 key.
    HmacSha512(HmacKey<Hmac<sha2::Sha512>>),
    /// PLAINTEXT key.
    Plaintext(Secret),
    /// RSA methods carry their key themselves.
    Rsa,
    /// The key of a [`compat::PeclOAuthProvider`](crate::compat::PeclOAuthProvider) method.
    PeclOAuthProvider(crate::compat::PeclKey),
}

impl SignatureMethod for AnyMethod {
    type Key = AnyKey;

    fn name(&self) -> &str {
        match self {
            AnyMethod::HmacSha1 => HmacSha1.name(),
            AnyMethod::HmacSha256 => HmacSha256.name(),
            AnyMethod::HmacSha512 => HmacSha512.name(),
            AnyMethod::Plaintext => Plaintext.name(),
            #[cfg(feature = "rsa")]
            AnyMethod::RsaSha1(m) => m.name(),
            #[cfg(feature = "rsa")]
            AnyMethod::RsaSha256(m) => m.name(),
            #[cfg(feature = "rsa")]
            AnyMethod::RsaSha512(m) => m.name(),
            AnyMethod::PeclOAuthProvider(m) => m.name(),
        }
    }

    fn key(&self, client_secret: &Secret, token_secret: Option<&Secret>) -> Result<AnyKey, Error> {
        Ok(match self {
            AnyMethod::HmacSha1 => AnyKey::HmacSha1(HmacSha1.key(client_secret, token_secret)?),
            AnyMethod::HmacSha256 => {
                AnyKey::HmacSha256(HmacSha256.key(client_secret, token_secret)?)
            }
            AnyMethod::HmacSha512 => {
                AnyKey::HmacSha512(HmacSha512.key(client_secret, token_secret)?)
            }
            AnyMethod::Plaintext => AnyKey::Plaintext(Plaintext.key(client_secret, token_secret)?),
            #[cfg(feature = "rsa")]
            AnyMethod::RsaSha1(_) | AnyMethod::RsaSha256(_) | AnyMethod::RsaSha512(_) => {
                AnyKey::Rsa
            }
            AnyMethod::PeclOAuthProvider(m) => {
                AnyKey::PeclOAuthProvider(m.key(client_secret, token_secret)?)
            }
        })
    }

    fn sign(&self, key: &AnyKey, base_string: &[u8], out: &mut String) -> Result<(), Error> {
        match (self, key) {
            (AnyMethod::HmacSha1, AnyKey::HmacSha1(k)) => HmacSha1.sign(k, base_string, out),
            (AnyMethod::HmacSha256, AnyKey::HmacSha256(k)) => HmacSha256.sign(k, base_string, out),
            (AnyMethod::HmacSha512, AnyKey::HmacSha512(k)) => HmacSha512.sign(k, base_string, out),
            (AnyMethod::Plaintext, AnyKey::Plaintext(k)) => Plaintext.sign(k, base_string, out),
            #[cfg(feature = "rsa")]
            (AnyMethod::RsaSha1(m), AnyKey::Rsa) => m.sign(&(), base_string, out),
            #[cfg(feature = "rsa")]
            (AnyMethod::RsaSha256(m), AnyKey::Rsa) => m.sign(&(), base_string, out),
            #[cfg(feature = "rsa")]
            (AnyMethod::RsaSha512(m), AnyKey::Rsa) => m.sign(&(), base_string, out),
            (AnyMethod::PeclOAuthProvider(m), AnyKey::PeclOAuthProvider(k)) => {
                m.sign(k, base_string, out)
            }
            _ => Err(Misuse::KeyMismatch.into()),
        }
    }

    fn verify(&self, key: &AnyKey, base_string: &[u8], signature: &str) -> Result<bool, Error> {
        match (self, key) {
            (AnyMethod::HmacSha1, AnyKey::HmacSha1(k)) => {
                HmacSha1.verify(k, base_string, signature)
            }
            (AnyMethod::HmacSha256, AnyKey::HmacSha256(k)) => {
                HmacSha256.verify(k, base_string, signature)
            }
            (AnyMethod::HmacSha512, AnyKey::HmacSha512(k)) => {
                HmacSha512.verify(k, base_string, signature)
            }
            (AnyMethod::Plaintext, AnyKey::Plaintext(k)) => {
                Plaintext.verify(k, base_string, signature)
            }
            #[cfg(feature = "rsa")]
            (AnyMethod::RsaSha1(m), AnyKey::Rsa) => m.verify(&(), base_string, signature),
            #[cfg(feature = "rsa")]
            (AnyMethod::RsaSha256(m), AnyKey::Rsa) => m.verify(&(), base_string, signature),
            #[cfg(feature = "rsa")]
            (AnyMethod::RsaSha512(m), AnyKey::Rsa) => m.verify(&(), base_string, signature),
            (AnyMethod::PeclOAuthProvider(m), AnyKey::PeclOAuthProvider(k)) => {
                m.verify(k, base_string, signature)
            }
            _ => Err(Misuse::KeyMismatch.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign<M: SignatureMethod>(m: M, cs: &str, ts: Option<&str>, base: &str) -> String {
        let ts = ts.map(Secret::new);
        let key = m.key(&Secret::new(cs), ts.as_ref()).unwrap();
        let mut out = String::new();
        m.sign(&key, base.as_bytes(), &mut out).unwrap();
        assert!(m.verify(&key, base.as_bytes(), &out).unwrap());
        out
    }

    #[test]
    fn plaintext_key_keeps_the_ampersand() {
        assert_eq!(sign(Plaintext, "cs", None, ""), "cs&");
        assert_eq!(sign(Plaintext, "a b", Some("c&d"), ""), "a%20b&c%26d");
        assert_eq!(sign(Plaintext, "", Some(""), ""), "&");
    }

    #[test]
    fn hmac_rejects_garbage_signatures() {
        let key = HmacSha1.key(&Secret::new("k"), None).unwrap();
        assert!(!HmacSha1.verify(&key, b"x", "").unwrap());
        assert!(!HmacSha1.verify(&key, b"x", "!!!").unwrap());
        assert!(!HmacSha1.verify(&key, b"x", &"A".repeat(500)).unwrap());
    }

    #[test]
    fn plaintext_verify_is_exact() {
        let key = Plaintext
            .key(&Secret::new("a"), Some(&Secret::new("b")))
            .unwrap();
        assert!(Plaintext.verify(&key, b"", "a&b").unwrap());
        assert!(!Plaintext.verify(&key, b"", "a&").unwrap());
        assert!(!Plaintext.verify(&key, b"", "a&bb").unwrap());
    }
}

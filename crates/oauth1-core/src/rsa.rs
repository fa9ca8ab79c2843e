//! RSA-SHA1 (RFC 5849 §3.4.3), RSA-SHA256 and RSA-SHA512: RSASSA-PKCS1-v1_5 signatures
//! (feature `rsa`).
//!
//! Keys come from PEM text: a private key as PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`) or
//! PKCS#8 (`-----BEGIN PRIVATE KEY-----`), or, for verification only, a public key as SPKI
//! (`-----BEGIN PUBLIC KEY-----`) or PKCS#1 (`-----BEGIN RSA PUBLIC KEY-----`).

use std::fmt;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha2::Digest;

use crate::error::{Error, KeyError};
use crate::secret::Secret;
use crate::signature::SignatureMethod;

/// An RSA key pair (or a public key alone, which can only verify). Zeroized on drop; its
/// `Debug` never shows the private part.
#[derive(Clone)]
pub struct RsaKey {
    private: Option<Arc<RsaPrivateKey>>,
    public: RsaPublicKey,
}

impl fmt::Debug for RsaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaKey")
            .field("private", &self.private.as_ref().map(|_| "[redacted]"))
            .field(
                "bits",
                &(rsa::traits::PublicKeyParts::size(&self.public) * 8),
            )
            .finish()
    }
}

impl RsaKey {
    /// Reads a private key from PEM (PKCS#8 or PKCS#1).
    pub fn from_private_pem(pem: &str) -> Result<Self, Error> {
        // Files and environment variables often end in a newline or carry indentation.
        let pem = pem.trim();
        let private = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|_| KeyError::InvalidPem)?;
        Ok(RsaKey {
            public: private.to_public_key(),
            private: Some(Arc::new(private)),
        })
    }

    /// Reads a public key from PEM (SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`). The key can
    /// verify signatures but not make them.
    pub fn from_public_pem(pem: &str) -> Result<Self, Error> {
        let pem = pem.trim();
        let public = RsaPublicKey::from_public_key_pem(pem)
            .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem))
            .map_err(|_| KeyError::InvalidPublicPem)?;
        Ok(RsaKey {
            private: None,
            public,
        })
    }

    fn sign<D: Digest + rsa::pkcs8::AssociatedOid>(
        &self,
        base_string: &[u8],
        out: &mut String,
    ) -> Result<(), Error> {
        let private = self.private.as_ref().ok_or(KeyError::NoPrivateKey)?;
        let digest = D::digest(base_string);
        let sig = private
            .sign(Pkcs1v15Sign::new::<D>(), &digest)
            .map_err(|_| KeyError::Rsa)?;
        STANDARD.encode_string(sig, out);
        Ok(())
    }

    fn verify<D: Digest + rsa::pkcs8::AssociatedOid>(
        &self,
        base_string: &[u8],
        signature: &str,
    ) -> bool {
        let Ok(sig) = STANDARD.decode(signature) else {
            return false;
        };
        let digest = D::digest(base_string);
        self.public
            .verify(Pkcs1v15Sign::new::<D>(), &digest, &sig)
            .is_ok()
    }
}

macro_rules! rsa_method {
    ($(#[$doc:meta])* $ty:ident, $digest:ty, $name:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $ty(RsaKey);

        impl $ty {
            /// The method with this key.
            pub fn new(key: RsaKey) -> Self {
                $ty(key)
            }

            /// Shorthand for [`RsaKey::from_private_pem`] then [`Self::new`].
            pub fn from_private_pem(pem: &str) -> Result<Self, Error> {
                Ok($ty(RsaKey::from_private_pem(pem)?))
            }

            /// Shorthand for [`RsaKey::from_public_pem`] then [`Self::new`] (verification only).
            pub fn from_public_pem(pem: &str) -> Result<Self, Error> {
                Ok($ty(RsaKey::from_public_pem(pem)?))
            }
        }

        impl From<$ty> for crate::AnyMethod {
            fn from(method: $ty) -> crate::AnyMethod {
                crate::AnyMethod::$ty(method)
            }
        }

        impl crate::IntoAnyMethod for $ty {
            fn into_any(self, _key: ()) -> (crate::AnyMethod, crate::AnyKey) {
                (crate::AnyMethod::$ty(self), crate::AnyKey::Rsa)
            }
        }

        impl SignatureMethod for $ty {
            /// RSA ignores the shared secrets: the key lives in the method.
            type Key = ();

            fn name(&self) -> &str {
                $name
            }

            fn key(&self, _client_secret: &Secret, _token_secret: Option<&Secret>) -> Result<(), Error> {
                Ok(())
            }

            fn sign(&self, _key: &(), base_string: &[u8], out: &mut String) -> Result<(), Error> {
                self.0.sign::<$digest>(base_string, out)
            }

            fn verify(&self, _key: &(), base_string: &[u8], signature: &str) -> Result<bool, Error> {
                Ok(self.0.verify::<$digest>(base_string, signature))
            }
        }
    };
}

rsa_method!(
    /// RSA-SHA1 (RFC 5849 §3.4.3): RSASSA-PKCS1-v1_5 with SHA-1.
    RsaSha1, sha1::Sha1, "RSA-SHA1"
);
rsa_method!(
    /// RSA-SHA256: RSASSA-PKCS1-v1_5 with SHA-256.
    RsaSha256, sha2::Sha256, "RSA-SHA256"
);
rsa_method!(
    /// RSA-SHA512: RSASSA-PKCS1-v1_5 with SHA-512 (offered by oauthlib, rarely by providers).
    RsaSha512, sha2::Sha512, "RSA-SHA512"
);

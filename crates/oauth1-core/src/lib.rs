//! # oauth1-core
//!
//! Exact, fast, sans-IO OAuth 1.0a ([RFC 5849]) signing and verification.
//!
//! This crate does no IO: it never opens a socket, and it reads the clock and the OS random
//! source only through the opt-in `std-rand` feature ([`OAuthParams::fresh`]). It speaks the
//! [`http`] crate's types at its edges and plain strings everywhere else.
//!
//! - [Sign a request](#sign-a-request) — [`Signer`], [`Request`], [`OAuthParams`]
//! - [Place the parameters](#place-the-parameters) — header, query or form body ([`Placement`])
//! - [Debug a rejected signature](#debug-a-rejected-signature) — base string and parameters
//! - [Sign many requests fast](#sign-many-requests-fast) — [`Scratch`]
//! - The [`guide`]: how the signer works, and how to debug a 401
//! - [Verify a received request](#verify-a-received-request) — [`Received`], [`Policy`], [`NonceCheck`]
//! - Pieces: [`encode`] (§3.6), [`url`] (§3.4.1.2), [`base_string`] (§3.4.1), [`header`] (§3.5.1),
//!   [`SignatureMethod`] (§3.4)
//!
//! ## Features
//! - `std-rand` (default): [`OAuthParams::fresh`], [`nonce::random_nonce`], [`nonce::unix_time`].
//! - `rsa`: [`RsaSha1`], [`RsaSha256`] and [`RsaSha512`] (PKCS#1 v1.5; keys from PEM, PKCS#1 or
//!   PKCS#8).
//!
//! ## Sign a request
//! ```
//! use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Request, Signer, TokenCredentials};
//!
//! let client = ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
//! let token = TokenCredentials::new("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
//! let signer = Signer::new(HmacSha1, &client, Some(&token))?;
//!
//! let request = Request::new("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original");
//! let oauth = OAuthParams::new("chapoH", 137131202).realm("Photos").version(false);
//! let header = signer.authorization(&request, &oauth)?;
//! assert_eq!(
//!     header,
//!     r#"OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_token="nnch734d00sl2jdk""#
//! );
//! # Ok::<(), oauth1_core::Error>(())
//! ```
//! In real code use `OAuthParams::fresh()?` for a random nonce and the current time.
//!
//! ## Place the parameters
//! ```
//! use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Placement, Signer};
//!
//! let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
//! let mut req = http::Request::post("https://api.example.com/items")
//!     .header("content-type", "application/x-www-form-urlencoded")
//!     .body(b"name=a+b".to_vec())
//!     .unwrap();
//! signer.sign_http(&mut req, Placement::Header, &OAuthParams::new("nonce", 1_700_000_000))?;
//! assert!(req.headers()["authorization"].is_sensitive());
//! # Ok::<(), oauth1_core::Error>(())
//! ```
//!
//! ## Debug a rejected signature
//! A provider that answers "Could not authenticate you" computed another base string. Print
//! yours and compare, parameter by parameter:
//! ```
//! use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Request, Scratch, Signer};
//!
//! let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
//! let mut scratch = Scratch::new();
//! let signed = signer.sign(&mut scratch, &Request::new("GET", "https://a.example/?q=x+y"), &OAuthParams::new("n", 1))?;
//! for p in signed.parameters() {
//!     println!("{:?} {} = {}", p.source, p.encoded_name(), p.encoded_value());
//! }
//! assert!(signed.base_string().starts_with("GET&https%3A%2F%2Fa.example%2F&oauth_consumer_key%3Dkey"));
//! assert!(signed.base_string().ends_with("%26q%3Dx%2520y"));
//! # Ok::<(), oauth1_core::Error>(())
//! ```
//!
//! ## Sign many requests fast
//! A [`Signer`] prepares its key once. Passing the same [`Scratch`] to every call reuses its
//! buffers, so a warmed-up signer allocates nothing per signature:
//! ```
//! use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Request, Scratch, Signer};
//! let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
//! let mut scratch = Scratch::new();
//! let mut header = String::new();
//! for i in 0..3 {
//!     let signed = signer.sign(&mut scratch, &Request::new("GET", "https://a.example/x"), &OAuthParams::new("n", i))?;
//!     header.clear();
//!     signed.write_authorization(&mut header);
//! }
//! # Ok::<(), oauth1_core::Error>(())
//! ```
//!
//! ## Verify a received request
//! See [`verify`] for a complete example, and [`Received::verify`] for the order of checks.
//!
//! [RFC 5849]: https://www.rfc-editor.org/rfc/rfc5849

// Without the `rsa` feature its types are not in the crate: the crate docs link to docs.rs.
#![cfg_attr(
    not(feature = "rsa"),
    doc = "[`RsaSha1`]: https://docs.rs/oauth1-core/latest/oauth1_core/struct.RsaSha1.html",
    doc = "[`RsaSha256`]: https://docs.rs/oauth1-core/latest/oauth1_core/struct.RsaSha256.html",
    doc = "[`RsaSha512`]: https://docs.rs/oauth1-core/latest/oauth1_core/struct.RsaSha512.html"
)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub mod base_string;
pub mod compat;
pub mod encode;
mod error;
pub mod guide;
pub mod header;
mod limits;
#[cfg(feature = "std-rand")]
pub mod nonce;
mod params;
mod request;
#[cfg(feature = "rsa")]
mod rsa;
mod secret;
mod signature;
mod signer;
mod template;
pub mod url;
pub mod verify;

/// The plain, byte-at-a-time reference implementations the unit tests check against, shared
/// with the fuzz checks (`fuzz/checks.rs`) (issue 19).
#[cfg(test)]
#[path = "../tests/support/reference.rs"]
mod reference;

pub use error::{
    Chain, DecodeError, Error, HeaderError, KeyError, Misuse, RequestPart, UrlError, VerifyError,
};
pub use limits::Limits;
pub use params::{Parameter, Parameters, Scratch, Source};
pub use request::{is_form_content_type, Body, OAuthParams, Request};
#[cfg(feature = "rsa")]
pub use rsa::{RsaKey, RsaSha1, RsaSha256, RsaSha512};
pub use secret::{ClientCredentials, Secret, TokenCredentials};
pub use signature::{
    AnyKey, AnyMethod, HmacKey, HmacSha1, HmacSha256, HmacSha512, IntoAnyMethod, Plaintext,
    SignatureMethod,
};
pub use signer::{Placement, SignableBody, Signed, Signer};
pub use verify::{NonceCheck, NonceUse, Policy, Received};

//! # oauth1-toolkit
//!
//! OAuth 1.0a ([RFC 5849]) in one dependency: sign any HTTP request, run the three-legged dance
//! (and xAuth), keep the tokens, make signed calls, and verify requests on the provider side.
//! This crate only gathers the oauth1-rs crates behind features, with the types most programs
//! need at its root; each layer is also a crate of its own, usable alone (see
//! [Layers](#layers)).
//!
//! - [Sign and send with reqwest](#sign-and-send-with-reqwest)
//! - [The PIN dance, token saved](#the-pin-dance-token-saved)
//! - [A header for any HTTP client](#a-header-for-any-http-client)
//! - [Features](#features), [Layers](#layers)
//!
//! ## Sign and send with reqwest
//! Build the request as reqwest users do, call `.oauth1(&signer)`
//! last: the method, the final URL with its query and the form body are signed.
//! ```no_run
//! use oauth1_toolkit::{OAuth1RequestBuilderExt, Signer};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let signer = Signer::hmac_sha1(("key", "secret"), ("token", "token-secret"))?;
//! let http = oauth1_toolkit::reqwest_client()?;
//! let url = "https://api.x.com/1.1/statuses/update.json";
//! let request = http.post(url).form(&[("status", "hi")]).oauth1(&signer)?;
//! println!("{}", request.send().await?.text().await?);
//! # Ok(()) }
//! ```
//!
//! ## The PIN dance, token saved
//! Request token, the user authorizes and types the PIN, access token; the token goes to a
//! file only the user can read ([`AccessToken::save`], through [`secret_file`]), and
//! [`AccessToken::load`] brings it back next run. Here with the Twitter/X preset (feature
//! `twitter`); [`GenericProvider`] describes any other provider.
//! ```no_run
//! # #[cfg(feature = "twitter")]
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use oauth1_toolkit::{Callback, ClientCredentials, Flow, ReqwestTransport, Twitter};
//!
//! let flow = Flow::new(Twitter::new(), ClientCredentials::new("key", "secret"))?;
//! let transport = ReqwestTransport::new();
//! let request_token = flow.request_token(&transport, Callback::Oob).await?;
//! let url = request_token.authorize_url(&flow, &[])?;
//! println!("Open {url} and type the PIN:");
//! let mut pin = String::new();
//! std::io::stdin().read_line(&mut pin)?;
//! let verifier = request_token.verifier_from_pin(pin.trim())?;
//! let token = flow.access_token(&transport, &verifier).await?;
//! token.save("token.json")?;
//! # Ok(()) }
//! ```
//!
//! ## A header for any HTTP client
//! ```
//! use oauth1_toolkit::{ClientCredentials, HmacSha1, OAuthParams, Request, Signer};
//!
//! // Without a token (a request-token call, a two-legged API): `Signer::new` takes any method.
//! let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
//! let request = Request::new("GET", "https://api.example.com/items?page=2");
//! let header = signer.authorization(&request, &OAuthParams::fresh()?)?;
//! assert!(header.starts_with("OAuth oauth_consumer_key=\"key\""));
//! # Ok::<(), oauth1_toolkit::sign::Error>(())
//! ```
//!
//! ## Features
//! | feature | what it adds |
//! |---|---|
//! | `reqwest` (default) | `ReqwestTransport`, `OAuth1RequestBuilderExt` (`.oauth1(&signer)`), `reqwest_client`, and `reqwest` itself |
//! | `blocking` | `BlockingReqwestTransport`, `.oauth1` on `reqwest::blocking` |
//! | `middleware` | `OAuth1Middleware` for a `reqwest-middleware` stack |
//! | `ureq` | `UreqTransport` (blocking, no async runtime) |
//! | `twitter` | `twitter`: `Twitter`, `TwitterClient`, error codes |
//! | `server` | `server`: `Verifier`, `OAuthLayer`, nonce stores, the local provider |
//! | `providers` | `providers`: the service presets (NetSuite, Jira, WooCommerce, Magento 2, Flickr, …) and their catalog |
//! | `rsa` | RSA-SHA1/256/512 |
//! | `tracing` | a span per dance step and signed request, never a secret |
//! | `tower` | `SignLayer`, signing every request of a tower or hyper client |
//!
//! ## Layers
//! | module here | crate | what it holds |
//! |---|---|---|
//! | [`sign`] | `oauth1-core` | the sans-IO signer and verifier: encoding, base string, methods, header, limits |
//! | [`flow`] | `oauth1-flow` | the dance as a typestate machine, providers, signed client, transport traits |
//! | [`transport`] | `oauth1-transport-reqwest`, `oauth1-transport-ureq` | the HTTP clients |
//! | `twitter` | `oauth1-provider-twitter` | Twitter/X |
//! | `providers` | `oauth1-providers` | the service presets |
//! | `server` | `oauth1-server` | the provider side |
//!
//! A program that wants only the signer depends on `oauth1-core` alone, with no HTTP client
//! and no async runtime.
//!
//! [RFC 5849]: https://www.rfc-editor.org/rfc/rfc5849
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's README, whose examples run as doctests (the Twitter preset against the local
/// provider).
#[cfg(all(doctest, feature = "server", feature = "twitter"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The `http` crate, whose `Request` and `Response` every layer speaks.
pub use oauth1_flow::http;

/// The signing layer (`oauth1-core`): sans-IO signing and verification.
pub use oauth1_core as sign;
/// The dance (`oauth1-flow`): the typestate machine, providers, the signed client, the
/// transport traits.
pub use oauth1_flow as flow;

/// Twitter/X (`oauth1-provider-twitter`).
#[cfg(feature = "twitter")]
pub use oauth1_provider_twitter as twitter;
/// The service presets (`oauth1-providers`): NetSuite, Jira, WooCommerce, Magento 2, Garmin,
/// Flickr, Trello, Tumblr, Discogs, SmugMug, Zotero, LTI 1.1, and their catalog.
#[cfg(feature = "providers")]
#[cfg_attr(docsrs, doc(cfg(feature = "providers")))]
pub use oauth1_providers as providers;
/// The provider side (`oauth1-server`): `Verifier`, `OAuthLayer`, nonce stores, the local
/// provider.
#[cfg(feature = "server")]
pub use oauth1_server as server;

/// The HTTP clients: the traits any client implements, and the ready ones behind features.
pub mod transport {
    pub use oauth1_flow::transport::*;
    /// reqwest, async and blocking (`oauth1-transport-reqwest`).
    #[cfg(feature = "reqwest")]
    pub use oauth1_transport_reqwest as reqwest;
    /// ureq, blocking (`oauth1-transport-ureq`).
    #[cfg(feature = "ureq")]
    pub use oauth1_transport_ureq as ureq;
}

pub use oauth1_core::{
    AnyMethod, Body, ClientCredentials, HmacSha1, HmacSha256, HmacSha512, IntoAnyMethod, Limits,
    OAuthParams, Placement, Plaintext, Received, Request, Secret, SignatureMethod, Signer,
    TokenCredentials,
};
#[cfg(feature = "rsa")]
pub use oauth1_core::{RsaKey, RsaSha1, RsaSha256, RsaSha512};
pub use oauth1_flow::{
    secret_file, AccessToken, BlockingHttpClient, Callback, Error, Flow, GenericProvider,
    HttpClient, OAuthProblem, ProviderError, RequestToken, ServiceProvider, SignedClient,
    TokenFileError,
};

#[cfg(feature = "tower")]
pub use oauth1_flow::SignLayer;

#[cfg(feature = "blocking")]
pub use oauth1_transport_reqwest::BlockingReqwestTransport;
#[cfg(feature = "middleware")]
pub use oauth1_transport_reqwest::OAuth1Middleware;
#[cfg(feature = "reqwest")]
pub use oauth1_transport_reqwest::{
    reqwest, OAuth1RequestBuilderExt, ReqwestTransport, SignError, SignOptions,
};
#[cfg(feature = "ureq")]
pub use oauth1_transport_ureq::UreqTransport;

#[cfg(feature = "twitter")]
pub use oauth1_provider_twitter::{Twitter, TwitterClient};
#[cfg(feature = "server")]
pub use oauth1_server::{OAuthLayer, Verified, Verifier};

/// A `reqwest::Client` set up for HTTPS (the crypto provider installed, the operating system's
/// certificates, no redirects followed), ready for
/// [`.oauth1(&signer)`](OAuth1RequestBuilderExt::oauth1): what
/// `oauth1_transport_reqwest::client_builder()?.build()` gives. (A bare
/// `reqwest::Client::new()` has no crypto provider here, and panics.)
///
/// ```no_run
/// let http = oauth1_toolkit::reqwest_client()?;
/// # Ok::<(), oauth1_toolkit::transport::reqwest::BuildError>(())
/// ```
#[cfg(feature = "reqwest")]
pub fn reqwest_client() -> Result<reqwest::Client, oauth1_transport_reqwest::BuildError> {
    oauth1_transport_reqwest::client_builder()?
        .build()
        .map_err(oauth1_transport_reqwest::BuildError::Client)
}

//! The OAuth 1.0a dance (RFC 5849 §2) as a sans-IO typestate machine, the description of a
//! provider, signed calls with an access token, and the transport traits that connect it all
//! to any HTTP library.
//!
//! - [Describe a provider](#describe-a-provider): [`ServiceProvider`], [`GenericProvider`]
//! - [Run the dance](#run-the-dance): [`Flow`] and its states
//! - [Park the dance between redirect and callback](#park-the-dance)
//! - [Make signed calls](#make-signed-calls): [`SignedClient`], [`Lines`], [`Multipart`],
//!   [`ReconnectingStream`]
//! - The [`guide`]: the dance step by step, parking its state, signed calls, plugging in an
//!   HTTP library
//! - [Plug in an HTTP library](#plug-in-an-http-library): [`HttpClient`], [`BlockingHttpClient`]
//! - Keep a token in a file only you can read: [`secret_file`]
//! - Features: `rsa` (RSA-SHA1/256/512); `tracing`: a span per dance step and per signed
//!   request, the base string at TRACE with its secrets masked, never a secret at any level
//!   (see the [`guide`], "Tracing"); off, no tracing code is compiled
//!
//! # Describe a provider
//! [`GenericProvider`] takes the three URLs of the dance (builder or serde config);
//! implement [`ServiceProvider`] for anything with quirks (`oauth1-provider-twitter` does).
//!
//! # Run the dance
//! Each step is a `prepare_*` method that returns the `http::Request<Vec<u8>>` to send and a
//! pending state whose `handle_response` reads the `http::Response<Vec<u8>>`; or one call
//! through a transport. With fixed nonces and timestamps (see [`Flow::stamp`]) it runs
//! entirely in a test, no network:
//!
//! ```
//! use oauth1_flow::{Callback, ClientCredentials, Flow, GenericProvider};
//!
//! let provider = GenericProvider::builder(
//!     "https://provider.example/request_token",
//!     "https://provider.example/authorize",
//!     "https://provider.example/access_token",
//! )
//! .build()?;
//! let flow = Flow::new(provider, ClientCredentials::new("key", "secret"))?
//!     .stamp(|| ("fixed-nonce".to_owned(), 1_700_000_000));
//!
//! let (request, pending) = flow.prepare_request_token(Callback::Url("https://app.example/cb".into()))?;
//! assert!(request.headers()["authorization"].to_str().unwrap().contains("oauth_callback="));
//! // ... send it; the provider answers:
//! let answer = http::Response::new(b"oauth_token=rt&oauth_token_secret=rs&oauth_callback_confirmed=true".to_vec());
//! let request_token = pending.handle_response(answer)?;
//! assert_eq!(
//!     request_token.authorize_url(&flow, &[])?,
//!     "https://provider.example/authorize?oauth_token=rt"
//! );
//! // The user comes back:
//! let verifier = request_token.verifier_from_callback("https://app.example/cb?oauth_token=rt&oauth_verifier=v")?;
//! let (request, pending) = flow.prepare_access_token(&verifier)?;
//! let answer = http::Response::new(b"oauth_token=at&oauth_token_secret=as&screen_name=alice".to_vec());
//! let access = pending.handle_response(answer)?;
//! assert_eq!(access.field("screen_name"), Some("alice"));
//! # Ok::<(), oauth1_flow::Error>(())
//! ```
//!
//! # Park the dance
//! [`RequestToken`], [`Verifier`] and [`AccessToken`] are `Serialize + Deserialize`: store the
//! request token in the user's session (or a database row) when you redirect, and load it in
//! the callback handler, in any process. They hold token secrets, so the store must be private
//! (a server-side session, an encrypted cookie); they never hold the consumer secret, which the
//! [`Flow`] supplies again.
//!
//! # Make signed calls
//! [`Flow::signed_client`] gives a [`SignedClient`] that signs any `http::Request<Vec<u8>>`
//! with the access token (GET with a query, form POSTs, JSON with optional `oauth_body_hash`,
//! multipart) and sends it; [`SignedClient::sign`] returns the base string for debugging a 401.
//! A long-lived stream that must stay up for hours is a [`ReconnectingStream`] (or
//! [`BlockingReconnectingStream`]): it reconnects by itself, re-signed each time, with X's
//! backoff policy ([`reconnect`]), and reports each reconnect.
//!
//! # Plug in an HTTP library
//! Implement [`HttpClient`] (async) or [`BlockingHttpClient`] for it (a closure becomes
//! one wrapped in [`transport::FnClient`]), and the streaming variants for long-lived responses. Ready
//! adapters: `oauth1-transport-reqwest` (async and blocking) and `oauth1-transport-ureq`. For a
//! tower or hyper client, the `tower` feature's `SignLayer` signs every request it sends.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

mod client;
mod dance;
mod error;
pub mod guide;
mod lines;
mod problem;
mod provider;
pub mod reconnect;
pub mod secret_file;
mod secret_serde;
#[cfg(feature = "tower")]
mod sign_layer;
mod token_file;
#[cfg(feature = "tracing")]
mod trace;
pub mod transport;
mod url;

pub use client::{Multipart, SignatureInfo, SignedClient};
pub use dance::{
    AccessToken, Callback, Flow, PendingAccessToken, PendingRequestToken, RequestToken, Stamp,
    SystemStamp, Verifier,
};
pub use error::{Error, Step};
pub use lines::{Lines, DEFAULT_MAX_LINE};
pub use problem::{ErrorCode, OAuthProblem, Problem, ProblemSource, ProviderError};
pub use provider::{Endpoint, Endpoints, GenericProvider, GenericProviderBuilder, ServiceProvider};
pub use reconnect::{
    BlockingReconnectingStream, ReconnectPolicy, ReconnectingStream, Sleep, StreamEvent,
};
#[cfg(feature = "tower")]
pub use sign_layer::{BoxError, SignFuture, SignLayer, SignService};
pub use token_file::TokenFileError;
pub use transport::{
    AsyncBody, BlockingBody, BlockingHttpClient, BlockingStreamingHttpClient, HttpClient,
    StreamingHttpClient, TransportError, TransportErrorKind,
};

/// The `http` crate, whose `Request` and `Response` every step speaks.
pub use http;
/// What a dance is set up with, re-exported from `oauth1-core` so that one dependency does:
/// credentials, secrets, signature methods and where the parameters go.
pub use oauth1_core::{
    AnyMethod, Chain, ClientCredentials, HmacSha1, HmacSha256, HmacSha512, IntoAnyMethod,
    Placement, Plaintext, Secret, SignatureMethod, Signer, TokenCredentials,
};

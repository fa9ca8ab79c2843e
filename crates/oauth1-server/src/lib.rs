//! The provider side of OAuth 1.0a.
//!
//! - **Verifying requests in your service:** a [`Verifier`] over an async [`CredentialStore`]
//!   (secrets by key) and [`NonceStore`] (replay protection: [`MemoryNonceStore`] for one
//!   process, `RedisNonceStore` with the `redis` feature for several, over TLS with
//!   `redis-tls`), with a configurable timestamp window, an injectable [`Clock`] and an
//!   explicit [`StoreFailurePolicy`]; and [`OAuthLayer`], a `tower` middleware that runs it in
//!   front of axum, hyper or any `tower` service and hands the handler the [`Verified`]
//!   identity (as an axum extractor with the `axum` feature). The [`guide`] is the manual;
//!   `examples/lti_launch.rs` an LTI 1.1 tool. None of this needs a feature, and none of it
//!   pulls in axum or a tokio runtime.
//! - **The [local provider](LocalProvider)** (feature `local-provider`): a real HTTP server on
//!   127.0.0.1 that speaks the protocol like Twitter does, for examples, demos and tests (yours
//!   too), with no account anywhere. It bounds what a client on the same machine can hold
//!   (header, body and idle timeouts, a connection limit, a body limit checked before reading;
//!   see [`LocalProviderConfig`]), protects its Allow/Deny page with a CSRF token and an origin
//!   check, and checks callbacks against per-consumer prefixes.
//!
#![cfg_attr(feature = "local-provider", doc = "```no_run")]
#![cfg_attr(not(feature = "local-provider"), doc = "```ignore")]
//! # #[tokio::main] async fn main() -> Result<(), oauth1_server::ServerError> {
//! let provider = oauth1_server::LocalProvider::start().await?;
//! println!("{}", provider.base_url()); // http://127.0.0.1:PORT
//! println!("{:?}", provider.client()); // consumer key (secret redacted)
//! # Ok(()) }
//! ```
//!
//! Endpoints (Twitter's paths): `POST /oauth/request_token`, `GET /oauth/authorize` (an HTML
//! page with Allow/Deny, or straight through with auto-approve), `GET /oauth/authenticate`,
//! `POST /oauth/access_token` (also xAuth), `POST /1.1/oauth/invalidate_token`,
//! `GET /1.1/account/verify_credentials.json`, `POST /1.1/statuses/update.json` (form),
//! `POST /2/tweets` (JSON), `GET /1.1/statuses/stream.json` (line-delimited JSON, `?count=N`).
//! Errors are Twitter-shaped. `docs/local-provider.md` has the details.
//!
//! The local provider can also play another service, with that service's paths and rules:
//! [`LocalProviderConfig::service`] with a [`Service`] (`netsuite`, `jira`, `woocommerce`,
//! `magento`, `garmin`, `flickr`, `trello`, `tumblr`, `discogs`, `smugmug`, `zotero`, `lti`).
//!
//! # Features
//!
//! None is on by default: a service gets the verifier and the layer alone.
//!
//! | feature | what it adds | pulls in |
//! |---|---|---|
//! | `local-provider` | [`LocalProvider`], its configuration and [`Service`] (turns on `rsa`) | axum, hyper, tokio (multi-threaded) |
//! | `rsa` | RSA-SHA1/256/512 in the [`Verifier`], with [`CredentialStore::consumer_public_key`] | oauth1-core's `rsa` |
//! | `axum` | [`Verified`] and `Option<Verified>` as axum extractors ([`NotVerified`]) | axum's core |
//! | `testkit` | [`testkit`]: the transport conformance suite (turns on `local-provider`) | oauth1-flow |
//! | `redis` | `RedisNonceStore` | redis, tokio's timer |
//! | `redis-tls` | `rediss://` for `RedisNonceStore` | rustls |
//!
//! In tests, `oauth1-server = { version = "0.1", features = ["testkit"] }` under
//! `[dev-dependencies]` gives the local provider and the suite.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's README, whose examples run as doctests (they use the local provider and the
/// axum extractor).
#[cfg(all(doctest, feature = "local-provider", feature = "axum"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

mod clock;
#[cfg(feature = "local-provider")]
mod date;
#[cfg(feature = "axum")]
mod extract;
pub mod guide;
mod layer;
#[cfg(feature = "local-provider")]
mod local;
mod memory;
#[cfg(feature = "redis")]
mod redis_store;
mod store;
#[cfg(feature = "testkit")]
pub mod testkit;
mod verifier;

pub use clock::{Clock, ManualClock, SystemClock};
#[cfg(feature = "axum")]
pub use extract::NotVerified;
pub use layer::{OAuthLayer, OAuthService, ResponseFuture, DEFAULT_BODY_LIMIT};
pub use memory::{MemoryCredentials, MemoryNonceStore, DEFAULT_NONCE_MEMORY, NONCE_ENTRY_BYTES};
#[cfg(feature = "redis")]
pub use redis_store::RedisNonceStore;
pub use store::{CredentialStore, NonceRecord, NonceStore, StoreError, TokenKind, TokenRecord};

#[cfg(feature = "local-provider")]
pub use local::{
    BackgroundProvider, Endpoints, LocalProvider, LocalProviderConfig, ServerError, Service,
    DEFAULT_BODY_TIMEOUT, DEFAULT_CONSUMER_KEY, DEFAULT_CONSUMER_SECRET, DEFAULT_HEADER_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT, DEFAULT_LOCAL_BODY_LIMIT, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_NETSUITE_ACCOUNT, DEFAULT_REQUEST_TOKEN_LIFETIME, DEFAULT_SWEEP_INTERVAL, DEFAULT_USER,
    MAX_CALLBACK_LEN,
};
pub use verifier::{Rejection, StoreFailurePolicy, Verified, Verifier, VerifyFailure};

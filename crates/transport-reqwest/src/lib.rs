//! # oauth1-transport-reqwest
//!
//! [reqwest] as the transport of the [`oauth1_flow`] OAuth 1.0a dance: [`ReqwestTransport`]
//! implements [`HttpClient`] and [`StreamingHttpClient`], and with the `blocking` feature
//! [`BlockingReqwestTransport`] implements [`BlockingHttpClient`] and
//! [`BlockingStreamingHttpClient`]. For code that writes reqwest requests itself,
//! [`OAuth1RequestBuilderExt`] signs a `RequestBuilder` in place, and [`OAuth1Middleware`]
//! (feature `middleware`) signs every request of a `reqwest-middleware` client.
//!
//! - [Sign a reqwest request](#sign-a-reqwest-request) — [`OAuth1RequestBuilderExt`]
//! - [In a middleware stack](#in-a-middleware-stack) — [`OAuth1Middleware`] (feature `middleware`)
//! - [Send a request](#send-a-request) — [`ReqwestTransport`]
//! - [Read a stream](#read-a-stream) — [`StreamingHttpClient::send_streaming`]
//! - [Blocking](#blocking) — [`BlockingReqwestTransport`] (feature `blocking`)
//! - [Your own client](#your-own-client) — [`From<reqwest::Client>`](ReqwestTransport#impl-From<Client>-for-ReqwestTransport), [`client_builder`]
//! - [Timeouts, body limits, redirects and TLS](#timeouts-body-limits-redirects-and-tls)
//! - [Features](#features)
//!
//! ## Sign a reqwest request
//! Build the request as usual and call [`.oauth1(&signer)`](OAuth1RequestBuilderExt::oauth1)
//! last: it signs the method, the final URL (with everything `.query()` added) and a form body
//! (`.form()`), with a fresh nonce and timestamp, and hands the builder back. The protocol
//! parameters go in the `Authorization` header (marked sensitive);
//! [`oauth1_with`](OAuth1RequestBuilderExt::oauth1_with) and [`SignOptions`] put them in the
//! query or the form body instead, or set a realm. The same trait is implemented for
//! `reqwest::blocking::RequestBuilder` (feature `blocking`). (`.form()` and `.query()` are
//! reqwest's `form` and `query` features, which this crate's default feature `form` turns on.)
//! ```no_run
//! use oauth1_core::{ClientCredentials, HmacSha1, Signer, TokenCredentials};
//! use oauth1_transport_reqwest::OAuth1RequestBuilderExt;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client_credentials = ClientCredentials::new("consumer-key", "consumer-secret");
//! let token = TokenCredentials::new("token", "token-secret");
//! let signer = Signer::new(HmacSha1, &client_credentials, Some(&token))?;
//!
//! let client = oauth1_transport_reqwest::client_builder()?.build()?;
//! let response = client
//!     .post("https://api.example.com/1.1/statuses/update.json")
//!     .form(&[("status", "hello")])
//!     .oauth1(&signer)?
//!     .send()
//!     .await?;
//! println!("{}", response.status());
//! # Ok(())
//! # }
//! ```
//! What cannot be signed is a [`SignError`]: the builder's own error, the signer's, or a form
//! body given as a stream (which cannot be read before it is sent). Anything changed in the URL,
//! query or form after `oauth1` is not covered, and the provider will refuse the request.
//!
//! ## In a middleware stack
//! With the `middleware` feature, [`OAuth1Middleware`] signs every request that passes through
//! a [`reqwest_middleware`](https://docs.rs/reqwest-middleware/0.5) client, exactly as
//! `oauth1` does. Put it after any retry middleware, so that each attempt has its own nonce.
//! ```no_run
//! # #[cfg(feature = "middleware")] {
//! use oauth1_core::{ClientCredentials, HmacSha1, Signer};
//! use oauth1_transport_reqwest::OAuth1Middleware;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
//! let client = reqwest_middleware::ClientBuilder::new(
//!     oauth1_transport_reqwest::client_builder()?.build()?,
//! )
//! .with(OAuth1Middleware::new(signer))
//! .build();
//! let response = client.get("https://api.example.com/1.1/help/configuration.json").send().await?;
//! # Ok(())
//! # }
//! # }
//! ```
//!
//! ## Send a request
//! A transport sends an [`http::Request<Vec<u8>>`] exactly as given (method, URL with its query
//! bytes, headers, body) and returns the response whatever its status: a 401 from the provider
//! is a response for the dance to read, not an error.
//! ```no_run
//! use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Placement, Signer};
//! use oauth1_flow::HttpClient;
//! use oauth1_transport_reqwest::ReqwestTransport;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = ClientCredentials::new("consumer-key", "consumer-secret");
//! let signer = Signer::new(HmacSha1, &client, None)?;
//! let mut request = http::Request::post("https://api.example.com/oauth/request_token")
//!     .body(Vec::new())?;
//! signer.sign_http(&mut request, Placement::Header, &OAuthParams::fresh()?.callback("oob"))?;
//!
//! let transport = ReqwestTransport::new();
//! let response = transport.send(request).await?;
//! println!("{}: {}", response.status(), String::from_utf8_lossy(response.body()));
//! # Ok(())
//! # }
//! ```
//!
//! ## Read a stream
//! [`send_streaming`](oauth1_flow::StreamingHttpClient::send_streaming) returns as soon as the response head
//! arrives; the body is then read chunk by chunk as the server sends it, for as long as it
//! does.
//! ```no_run
//! use oauth1_flow::StreamingHttpClient;
//! use oauth1_transport_reqwest::ReqwestTransport;
//!
//! # async fn run(signed: http::Request<Vec<u8>>) -> Result<(), Box<dyn std::error::Error>> {
//! let transport = ReqwestTransport::new();
//! let mut response = transport.send_streaming(signed).await?;
//! while let Some(chunk) = response.body_mut().chunk().await? {
//!     print!("{}", String::from_utf8_lossy(&chunk));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! ## Blocking
//! With the `blocking` feature, the same over [`reqwest::blocking::Client`]. It must not be
//! built, used or dropped inside an async runtime (reqwest runs one of its own on a thread).
//! ```no_run
//! # #[cfg(feature = "blocking")] {
//! use oauth1_flow::BlockingHttpClient;
//! use oauth1_transport_reqwest::BlockingReqwestTransport;
//!
//! let transport = BlockingReqwestTransport::new();
//! let request = http::Request::get("https://api.example.com/1.1/help/configuration.json")
//!     .body(Vec::new())?;
//! let response = transport.send(request)?;
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Your own client
//! Any [`reqwest::Client`] converts into a transport (`From`), and
//! [`ReqwestTransportBuilder::client`] sets one with a timeout and a body limit. Start from
//! [`client_builder`], which has this crate's TLS set up and redirects off. (With the `rustls`
//! feature reqwest has no crypto provider of its own: a bare `reqwest::Client::new()` panics
//! unless your build enables reqwest's `rustls` feature or installs a provider.)
//! ```no_run
//! use std::time::Duration;
//! use oauth1_transport_reqwest::ReqwestTransport;
//!
//! let client = oauth1_transport_reqwest::client_builder()?
//!     .proxy(reqwest::Proxy::https("http://proxy.internal:3128")?)
//!     .build()?;
//! let transport = ReqwestTransport::builder()
//!     .client(client)
//!     .timeout(Duration::from_secs(10))
//!     .build()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Timeouts, body limits, redirects and TLS
//! **Timeouts.** Every buffered exchange must finish, from connecting to the last byte of the
//! body, within the transport's timeout ([`DEFAULT_TIMEOUT`](oauth1_flow::transport::DEFAULT_TIMEOUT),
//! 30 s, unless [set](ReqwestTransportBuilder::timeout)); it applies to every request, whichever
//! client the transport wraps. A streaming request must get its response head within that time;
//! its body then has no deadline (drop it to stop, or wrap
//! [`chunk`](oauth1_flow::AsyncBody::chunk) in `tokio::time::timeout` to detect a stall). The
//! blocking client applies its timeout to each read of a stream as well. Running out of time is
//! [`TransportErrorKind::Timeout`].
//!
//! **Body limits.** A buffered body larger than
//! [`DEFAULT_MAX_BODY`](oauth1_flow::transport::DEFAULT_MAX_BODY) (16 MiB, unless
//! [set](ReqwestTransportBuilder::max_body)) fails with [`TransportErrorKind::BodyTooLarge`] as
//! soon as its `Content-Length`, or the bytes read so far, say so: an endless or hostile body
//! never fills memory. Streamed bodies are handed over chunk by chunk and not limited.
//!
//! **Redirects.** Clients this crate builds follow no redirect: a 3xx comes back as a response.
//! The signature covers the URL it was made for, so a redirected request could not verify
//! anyway, and some providers answer an OAuth endpoint with a 302 that the caller must read.
//! A client you pass in keeps its own redirect policy, and reqwest's default follows up to ten:
//! build it with `.redirect(reqwest::redirect::Policy::none())` (as [`client_builder`] does)
//! unless you mean it.
//!
//! **TLS.** The `rustls` feature (on by default) gives reqwest rustls with the `ring` crypto
//! provider (lighter to build than aws-lc-rs) and the operating system's certificate store
//! through `rustls-platform-verifier`, HTTP/1.1 only. Certificate checks are never turned off.
//! On a system without root certificates, plain HTTP still works and HTTPS fails with
//! [`TransportErrorKind::Tls`], saying what to install. **Without the `rustls` feature (and
//! without another TLS feature of reqwest enabled elsewhere in your build) this crate speaks
//! plain HTTP only and cannot reach an `https` provider**: every OAuth provider on the
//! internet needs it, so turn `default-features` off only for a loopback test setup or when you
//! bring your own TLS through reqwest's features and your own client.
//!
//! **Errors.** Failures map to [`TransportErrorKind`]: `Timeout`, `Connect` (refused,
//! unreachable, unresolved), `Tls` (handshake or certificate), `BodyTooLarge`,
//! `InvalidRequest` (a relative URI, or a path or query that reqwest would re-encode, which
//! would break the signature), `Protocol` (the connection broke, or the peer did not speak
//! HTTP). Messages carry the chain of causes and the URL without its query.
//!
//! ## Features
//! - `rustls` (default): HTTPS, as above.
//! - `form` (default): reqwest's `.form()` and `.query()` (its `form` and `query` features), as
//!   requests to sign are usually built.
//! - `blocking`: [`BlockingReqwestTransport`] over `reqwest::blocking`, and
//!   [`OAuth1RequestBuilderExt`] for `reqwest::blocking::RequestBuilder`.
//! - `middleware`: [`OAuth1Middleware`], and [`OAuth1RequestBuilderExt`] for
//!   `reqwest_middleware::RequestBuilder`, over `reqwest-middleware` 0.5 (the line built on
//!   reqwest 0.13).
//!
//! reqwest is a dependency with `default-features = false`; HTTP/2, compression, cookies and
//! the rest stay off unless your build turns them on. [`reqwest`] is re-exported so you can
//! name the version this crate uses.
//!
//! [reqwest]: https://docs.rs/reqwest/0.13
//! [`HttpClient`]: oauth1_flow::HttpClient
//! [`StreamingHttpClient`]: oauth1_flow::StreamingHttpClient
//! [`StreamingHttpClient::send_streaming`]: oauth1_flow::StreamingHttpClient::send_streaming
//! [`BlockingHttpClient`]: oauth1_flow::BlockingHttpClient
//! [`BlockingStreamingHttpClient`]: oauth1_flow::BlockingStreamingHttpClient
//! [`TransportErrorKind`]: oauth1_flow::TransportErrorKind
//! [`TransportErrorKind::Timeout`]: oauth1_flow::TransportErrorKind::Timeout
//! [`TransportErrorKind::BodyTooLarge`]: oauth1_flow::TransportErrorKind::BodyTooLarge
//! [`TransportErrorKind::Tls`]: oauth1_flow::TransportErrorKind::Tls
#![cfg_attr(
    not(feature = "blocking"),
    doc = "[`BlockingReqwestTransport`]: https://docs.rs/oauth1-transport-reqwest/latest/oauth1_transport_reqwest/struct.BlockingReqwestTransport.html",
    doc = "[`reqwest::blocking::Client`]: https://docs.rs/reqwest/0.13/reqwest/blocking/struct.Client.html"
)]
#![cfg_attr(
    not(feature = "middleware"),
    doc = "[`OAuth1Middleware`]: https://docs.rs/oauth1-transport-reqwest/latest/oauth1_transport_reqwest/struct.OAuth1Middleware.html"
)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[cfg(feature = "blocking")]
mod blocking;
mod client;
mod error;
mod message;
#[cfg(feature = "middleware")]
mod middleware;
mod sign;
#[cfg(feature = "rustls")]
mod tls;

#[cfg(feature = "blocking")]
pub use blocking::{
    blocking_client_builder, BlockingReqwestTransport, BlockingReqwestTransportBuilder,
};
pub use client::{client_builder, ReqwestTransport, ReqwestTransportBuilder};
pub use error::BuildError;
#[cfg(feature = "middleware")]
pub use middleware::OAuth1Middleware;
pub use reqwest;

/// The dance and the signed client this transport runs, whole, for what is not re-exported
/// below.
pub use oauth1_flow;
/// What a program that signs through reqwest or runs the dance through this transport needs,
/// so that this crate is its one OAuth dependency: the signer and credentials, the flow, its
/// states, the provider description, the transport traits, and `http`.
pub use oauth1_flow::{
    http, AccessToken, Callback, ClientCredentials, Flow, GenericProvider, HmacSha1, HttpClient,
    RequestToken, Secret, SignedClient, Signer, StreamingHttpClient, TokenCredentials,
};
pub use sign::{OAuth1RequestBuilderExt, SignError, SignOptions};

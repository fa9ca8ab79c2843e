//! # oauth1-transport-ureq
//!
//! [ureq] as the blocking transport of the [`oauth1_flow`] OAuth 1.0a dance, with no async
//! runtime: [`UreqTransport`] implements [`BlockingHttpClient`] and
//! [`BlockingStreamingHttpClient`].
//!
//! - [Send a request](#send-a-request) — [`UreqTransport`]
//! - [Read a stream](#read-a-stream) — [`BlockingStreamingHttpClient::send_streaming`]
//! - [Your own agent](#your-own-agent) — [`From<ureq::Agent>`](UreqTransport#impl-From<Agent>-for-UreqTransport), [`config_builder`]
//! - [Timeouts, body limits, redirects and TLS](#timeouts-body-limits-redirects-and-tls)
//! - [Features](#features)
//!
//! ## Send a request
//! A transport sends an [`http::Request<Vec<u8>>`] exactly as given (method, URL with its query
//! bytes, headers, body) and returns the response whatever its status: a 401 from the provider
//! is a response for the dance to read, not an error.
//! ```no_run
//! use oauth1_core::{HmacSha1, OAuthParams, Placement, Signer};
//! use oauth1_transport_ureq::{BlockingHttpClient, ClientCredentials, UreqTransport};
//!
//! let client = ClientCredentials::new("consumer-key", "consumer-secret");
//! let signer = Signer::new(HmacSha1, &client, None)?;
//! let mut request = http::Request::post("https://api.example.com/oauth/request_token")
//!     .body(Vec::new())?;
//! signer.sign_http(&mut request, Placement::Header, &OAuthParams::fresh()?.callback("oob"))?;
//!
//! let transport = UreqTransport::new();
//! let response = transport.send(request)?;
//! println!("{}: {}", response.status(), String::from_utf8_lossy(response.body()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Read a stream
//! [`send_streaming`](oauth1_flow::BlockingStreamingHttpClient::send_streaming) returns as soon as the
//! response head arrives; the body is then read chunk by chunk as the server sends it, for as
//! long as it does.
//! ```no_run
//! use oauth1_flow::BlockingStreamingHttpClient;
//! use oauth1_transport_ureq::UreqTransport;
//!
//! # fn run(signed: http::Request<Vec<u8>>) -> Result<(), Box<dyn std::error::Error>> {
//! let mut response = UreqTransport::new().send_streaming(signed)?;
//! while let Some(chunk) = response.body_mut().chunk()? {
//!     print!("{}", String::from_utf8_lossy(&chunk));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! ## Your own agent
//! Any [`ureq::Agent`] converts into a transport (`From`), and [`UreqTransportBuilder::agent`]
//! sets one with a timeout and a body limit. [`config_builder`] starts an agent configuration
//! the way this crate makes its own:
//! ```
//! use std::time::Duration;
//! use oauth1_transport_ureq::UreqTransport;
//!
//! let agent = oauth1_transport_ureq::config_builder()
//!     .proxy(ureq::Proxy::new("http://proxy.internal:3128").ok())
//!     .build()
//!     .new_agent();
//! let transport = UreqTransport::builder()
//!     .agent(agent)
//!     .timeout(Duration::from_secs(10))
//!     .build();
//! ```
//!
//! ## Timeouts, body limits, redirects and TLS
//! Whatever agent the transport wraps, each request is sent with these settings (ureq applies
//! them per request, over the agent's):
//!
//! **Timeouts.** A buffered exchange must finish, from resolving the host to the last byte of
//! the body, within the transport's timeout
//! ([`DEFAULT_TIMEOUT`](oauth1_flow::transport::DEFAULT_TIMEOUT), 30 s, unless
//! [set](UreqTransportBuilder::timeout)). For a streaming request, resolving, connecting,
//! sending and receiving the response head each get that time; the body then has no deadline
//! (drop it to stop; an agent's `timeout_per_read` still applies, which detects a stalled
//! stream). Running out of time is [`TransportErrorKind::Timeout`].
//!
//! **Body limits.** A buffered body larger than
//! [`DEFAULT_MAX_BODY`](oauth1_flow::transport::DEFAULT_MAX_BODY) (16 MiB, unless
//! [set](UreqTransportBuilder::max_body)) fails with [`TransportErrorKind::BodyTooLarge`] as
//! soon as its `Content-Length`, or the bytes read so far, say so: an endless or hostile body
//! never fills memory. Streamed bodies are handed over chunk by chunk and not limited.
//!
//! **Redirects and statuses.** No redirect is followed, and 4xx/5xx statuses are responses, not
//! errors (`http_status_as_error(false)`), even on an agent configured otherwise: the dance
//! reads 3xx and error responses itself, and a signature covers the URL it was made for, so a
//! redirected request could not verify anyway. Use the agent directly for requests that
//! should follow redirects.
//!
//! **TLS.** The `rustls` feature (on by default) is ureq's own: rustls with the `ring` crypto
//! provider and the Mozilla root certificates compiled in (webpki-roots), so it works the same
//! on every system, with no system store needed. Certificate checks are never turned off. To
//! trust a private CA, give the agent a `ureq::tls::TlsConfig` with your roots. **Without the
//! `rustls` feature (and without a TLS feature of ureq enabled elsewhere in your build) this
//! crate speaks plain HTTP only and cannot reach an `https` provider**: turn
//! `default-features` off only for a loopback test setup or when you bring your own TLS.
//!
//! **Errors.** Failures map to [`TransportErrorKind`]: `Timeout`, `Connect` (refused,
//! unreachable, unresolved), `Tls` (handshake or certificate), `BodyTooLarge`,
//! `InvalidRequest` (a URI ureq cannot send), `Protocol` (the connection broke, or the peer
//! did not speak HTTP). Messages carry the chain of causes and what to do.
//!
//! ## Features
//! - `rustls` (default): HTTPS, as above.
//!
//! ureq is a dependency with `default-features = false`: no gzip (a body arrives as the server
//! sent it), no cookies, no charset conversion. [`ureq`] is re-exported so you can name the
//! version this crate uses.
//!
//! [ureq]: https://docs.rs/ureq/3
//! [`BlockingHttpClient`]: oauth1_flow::BlockingHttpClient
//! [`BlockingStreamingHttpClient`]: oauth1_flow::BlockingStreamingHttpClient
//! [`BlockingStreamingHttpClient::send_streaming`]: oauth1_flow::BlockingStreamingHttpClient::send_streaming
//! [`TransportErrorKind`]: oauth1_flow::TransportErrorKind
//! [`TransportErrorKind::Timeout`]: oauth1_flow::TransportErrorKind::Timeout
//! [`TransportErrorKind::BodyTooLarge`]: oauth1_flow::TransportErrorKind::BodyTooLarge
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

mod error;
mod transport;

pub use transport::{config_builder, UreqTransport, UreqTransportBuilder};
pub use ureq;

/// The dance and the signed client this transport runs, whole, for what is not re-exported
/// below.
pub use oauth1_flow;
/// What a program that runs the dance through this transport needs, so that this crate is its
/// one OAuth dependency: the flow, its states, the provider description, the credentials, the
/// transport trait the dance calls, the signer (for signed calls of your own) and `http`.
pub use oauth1_flow::{
    http, AccessToken, BlockingHttpClient, BlockingStreamingHttpClient, Callback,
    ClientCredentials, Flow, GenericProvider, HmacSha1, RequestToken, Secret, SignedClient, Signer,
    TokenCredentials,
};

//! Twitter/X for oauth1-rs.
//!
//! - [`Twitter`]: the provider (`api.x.com` by default, any base URL for the local provider or
//!   a compatible server), with `x_auth_access_type`, Sign in with Twitter (`authenticate_url`
//!   with `force_login`/`screen_name`), xAuth, token invalidation;
//! - [`TwitterClient`]: verify credentials, post a tweet (v2 JSON and v1.1 form), read a stream
//!   one JSON value per line, over any transport, async or blocking; for hours with
//!   [`reconnecting_stream`](TwitterClient::reconnecting_stream), which reconnects by itself
//!   with X's backoff policy and reports each reconnect ([`TweetEvent`]);
//! - [`Error`] with Twitter's [codes](Code), the [rate limit](RateLimit) headers, and an opt-in
//!   clock-skew recovery (error 135: take the offset from the `Date` header, retry once).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use oauth1_core::ClientCredentials;
//! use oauth1_flow::{Callback, Flow};
//! use oauth1_provider_twitter::{AccessType, Twitter};
//! use oauth1_transport_reqwest::ReqwestTransport;
//!
//! let flow = Flow::new(
//!     Twitter::new().access_type(AccessType::Write),
//!     ClientCredentials::new("consumer key", "consumer secret"),
//! )?;
//! let transport = ReqwestTransport::new();
//! let request_token = flow.request_token(&transport, Callback::Oob).await?;
//! println!("{}", request_token.authorize_url(&flow, &[])?);
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

mod client;
mod date;
mod error;
mod provider;

pub use client::{
    BlockingReconnectingTweetStream, BlockingTweetStream, ReconnectingTweetStream, Tweet,
    TweetEvent, TweetStream, TwitterClient, User,
};
pub use error::{ApiError, Code, Error, RateLimit};
pub use provider::{AccessType, Twitter, API_BASE};

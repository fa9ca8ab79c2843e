//! OAuth 1.0a service presets for oauth1-rs: each a [`ServiceProvider`](oauth1_flow::ServiceProvider)
//! that carries what its service needs, typed, and tested against a local provider that
//! enforces that service's rules.
//!
//! - [The catalog](#the-catalog): [`catalog`], [`Preset`], [`Preset::by_name`],
//!   [`PresetOptions`], [`PresetInfo`]
//! - [Checks](#checks): [`Preset::check`] and its [`Finding`]s
//! - One module per service: [`twitter`] (feature `twitter`, on by default), [`netsuite`],
//!   [`jira`], [`woocommerce`], [`magento`], [`garmin`], [`flickr`], [`trello`], [`tumblr`],
//!   [`discogs`], [`smugmug`], [`zotero`], [`lti`]
//! - The guide to each service (setup, quirks, the errors people hit):
//!   <https://github.com/oauth1-rs/oauth1-rs/blob/main/docs/providers.md>
//!
//! | preset | flows | signature | placement | what is special |
//! |---|---|---|---|---|
//! | `twitter` | three-legged | HMAC-SHA1 | header | see `oauth1-provider-twitter` |
//! | `netsuite` | issued token, three-legged | HMAC-SHA256 | header | realm `1234567_SB1`, account hosts |
//! | `jira` | three-legged | RSA-SHA1 | header | no consumer secret, self-hosted |
//! | `woocommerce` | one-legged | HMAC-SHA256/SHA1 | query | `http` only, no token |
//! | `magento` | activation, issued token | HMAC-SHA256 | header | no `oauth_callback_confirmed` |
//! | `garmin` | three-legged | HMAC-SHA1 | header | |
//! | `flickr` | three-legged | HMAC-SHA1 | query | `perms`; `user_nsid`, `username`, `fullname` |
//! | `trello` | three-legged | HMAC-SHA1 | header | `name`, `scope`, `expiration` |
//! | `tumblr` | three-legged | HMAC-SHA1 | header | |
//! | `discogs` | three-legged | HMAC-SHA1/PLAINTEXT | header | `User-Agent` required |
//! | `smugmug` | three-legged | HMAC-SHA1 | header | `Access`, `Permissions` |
//! | `zotero` | three-legged | HMAC-SHA1 | header | key permissions; `userID`, `username` |
//! | `lti` | launch | HMAC-SHA1 | form body | `oauth_callback=about:blank`, no token |
//!
//! # The catalog
//! ```
//! use oauth1_flow::{Callback, ClientCredentials, Flow};
//! use oauth1_providers::{catalog, Preset, PresetOptions};
//!
//! for preset in catalog() {
//!     println!("{:12} {}", preset.name, preset.description);
//! }
//! let mut options = PresetOptions::default();
//! options.account = Some("1234567-sb1".into());
//! let netsuite = Preset::by_name("netsuite", &options)?;
//! let flow = Flow::new(netsuite, ClientCredentials::new("consumer key", "consumer secret"))?;
//! let (request, _pending) = flow.prepare_request_token(Callback::Url("https://app.example/cb".into()))?;
//! let header = request.headers()["authorization"].to_str()?;
//! assert!(header.contains(r#"realm="1234567_SB1""#));
//! assert!(header.contains("HMAC-SHA256"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Checks
//! [`Preset::check`] reads a signed `http::Request` and returns the service's own findings: a
//! NetSuite realm in the wrong form, HMAC-SHA1 where NetSuite demands HMAC-SHA256, a Discogs
//! request without `User-Agent`, a WooCommerce request over `https` or with a token, Jira not
//! signed with RSA-SHA1, an LTI launch without `oauth_callback=about:blank`. Each
//! [`Finding`] prints a sentence that says what to change.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

mod base;
mod catalog;
mod check;
mod error_body;

pub mod discogs;
pub mod flickr;
pub mod garmin;
pub mod jira;
pub mod lti;
pub mod magento;
pub mod netsuite;
pub mod smugmug;
pub mod trello;
pub mod tumblr;
#[cfg(feature = "twitter")]
#[cfg_attr(docsrs, doc(cfg(feature = "twitter")))]
pub mod twitter;
pub mod woocommerce;
pub mod zotero;

pub use base::BaseUrlError;
pub use catalog::{
    catalog, info, FlowShape, OptionInfo, Preset, PresetError, PresetInfo, PresetOptions,
};
pub use check::{Finding, FindingKind, Severity};

//! Twitter/X: the preset of `oauth1-provider-twitter` (its [`Twitter`] type, re-exported), with
//! the catalog's checks. See that crate for the API client, error codes and rate limits.

pub use oauth1_provider_twitter::{AccessType, Twitter, API_BASE};

use oauth1_core::Placement;

use crate::check::{common, Finding, Inspected};

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "twitter";
/// The signature methods X accepts.
pub(crate) const METHODS: &[&str] = &["HMAC-SHA1"];

/// X's checks of a signed request: HMAC-SHA1 in the Authorization header.
pub fn check<B: AsRef<[u8]>>(request: &http::Request<B>) -> Vec<Finding> {
    let seen = Inspected::read(request);
    let mut out = Vec::new();
    common(NAME, &seen, Placement::Header, METHODS, &mut out);
    out
}

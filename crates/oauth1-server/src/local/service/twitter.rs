//! Twitter/X: the provider's original endpoints (`local/oauth.rs`, `consent.rs`, `api.rs`);
//! these rules only name its paths. Source: `/work/shared/TWITTER.md`, X's docs.

use super::rules::{Endpoint, ErrorShape, Rules};

pub(super) const HOSTS: &[&str] = &["api.x.com", "api.twitter.com"];

pub(super) fn rules() -> Rules {
    Rules {
        resource: Endpoint::get("/1.1/account/verify_credentials.json"),
        // What the local Twitter accepts; X documents HMAC-SHA1.
        methods: &["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512"],
        ..Rules::defaults(ErrorShape::Twitter)
    }
}

//! Tumblr.
//!
//! Sources: Tumblr API v2 docs, "Authentication" (OAuth 1.0a: `POST
//! https://www.tumblr.com/oauth/request_token`, `https://www.tumblr.com/oauth/authorize`,
//! `POST https://www.tumblr.com/oauth/access_token`; "accepting parameters via the
//! Authorization header, with the HMAC-SHA1 signature method only"), `GET
//! https://api.tumblr.com/v2/user/info` (`{"meta":{"status":200,"msg":"OK"},"response":{"user":
//! {...}}}`), and the error envelope (`meta`, `response`, `errors`). Extra access-token fields:
//! none documented. The shape of errors from the OAuth endpoints themselves is undocumented;
//! the local provider uses the API's envelope.

use axum::response::{IntoResponse, Response};
use oauth1_core::Placement;

use super::rules::{Account, Endpoint, ErrorShape, Rules};

pub(super) const HOSTS: &[&str] = &["www.tumblr.com", "api.tumblr.com"];

fn user_info(a: &Account<'_>) -> Response {
    axum::Json(serde_json::json!({
        "meta": {"status": 200, "msg": "OK"},
        "response": {"user": {
            "name": a.name,
            "likes": 0,
            "following": 0,
            "default_post_format": "html",
            "blogs": [{"name": a.name, "primary": true, "url": format!("https://{}.tumblr.com/", a.name)}],
        }},
    }))
    .into_response()
}

pub(super) fn rules() -> Rules {
    Rules {
        resource: Endpoint::get("/v2/user/info"),
        placements: &[Placement::Header],
        resource_body: user_info,
        ..Rules::defaults(ErrorShape::Tumblr)
    }
}

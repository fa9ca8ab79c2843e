//! Discogs.
//!
//! Sources: Discogs API docs, "Authentication" (OAuth 1.0a: `GET
//! https://api.discogs.com/oauth/request_token`, `https://www.discogs.com/oauth/authorize`,
//! `POST https://api.discogs.com/oauth/access_token`, `GET
//! https://api.discogs.com/oauth/identity`; the parameters in the `Authorization` header;
//! PLAINTEXT, or HMAC-SHA1; "Your application must provide a User-Agent string"), and its
//! errors, `{"message": "..."}`. The status Discogs gives a request without `User-Agent` is
//! undocumented; the local provider answers 403. The local provider accepts PLAINTEXT over its
//! own plain http (Discogs is https-only).

use axum::response::{IntoResponse, Response};
use oauth1_core::Placement;

use super::rules::{Account, Endpoint, ErrorShape, Rules};

pub(super) const HOSTS: &[&str] = &["api.discogs.com", "www.discogs.com"];

fn identity(a: &Account<'_>) -> Response {
    axum::Json(serde_json::json!({
        "id": a.id,
        "username": a.name,
        "resource_url": format!("https://api.discogs.com/users/{}", a.name),
        "consumer_name": a.app_name,
    }))
    .into_response()
}

pub(super) fn rules() -> Rules {
    Rules {
        request_token: Some(Endpoint::get("/oauth/request_token")),
        resource: Endpoint::get("/oauth/identity"),
        methods: &["PLAINTEXT", "HMAC-SHA1"],
        placements: &[Placement::Header],
        user_agent_required: true,
        plaintext: true,
        resource_body: identity,
        ..Rules::defaults(ErrorShape::Message)
    }
}

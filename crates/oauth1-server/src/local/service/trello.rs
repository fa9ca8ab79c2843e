//! Trello.
//!
//! Sources: Atlassian, "Authorizing With Trello's REST API" (basic OAuth 1.0a:
//! `https://trello.com/1/OAuthGetRequestToken`, `/1/OAuthAuthorizeToken`,
//! `/1/OAuthGetAccessToken`; the authorization takes `name`, `scope` (comma-separated `read`,
//! `write`, `account`) and `expiration` (`1hour`, `1day`, `30days`, `never`)), and the API at
//! `https://api.trello.com/1/members/me`. Trello answers errors in plain text (`invalid key`,
//! `invalid token`, `invalid signature`, `unauthorized permission requested`); the exact words
//! for each OAuth failure are undocumented. Signature method: HMAC-SHA1.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::rules::{one_of, value, Account, Endpoint, ErrorShape, Refusal, Rules};

pub(super) const HOSTS: &[&str] = &["trello.com", "api.trello.com"];

fn authorize_params(params: &[(String, String)]) -> Result<(), Refusal> {
    one_of(
        params,
        "expiration",
        &["1hour", "1day", "30days", "never"],
        false,
    )?;
    if let Some(scope) = value(params, "scope") {
        if scope.is_empty()
            || !scope
                .split(',')
                .all(|s| matches!(s, "read" | "write" | "account"))
        {
            return Err(Refusal::new(StatusCode::BAD_REQUEST, "parameter_rejected")
                .message("invalid scope"));
        }
    }
    Ok(())
}

fn me(a: &Account<'_>) -> Response {
    axum::Json(serde_json::json!({
        "id": format!("{:024x}", a.id),
        "username": a.name,
        "fullName": a.name,
        "url": format!("{}/{}", a.base_url, a.name),
    }))
    .into_response()
}

pub(super) fn rules() -> Rules {
    Rules {
        request_token: Some(Endpoint::get_or_post("/1/OAuthGetRequestToken")),
        authorize: Some("/1/OAuthAuthorizeToken"),
        access_token: Some(Endpoint::get_or_post("/1/OAuthGetAccessToken")),
        resource: Endpoint::get("/1/members/me"),
        authorize_params,
        resource_body: me,
        ..Rules::defaults(ErrorShape::PlainText)
    }
}

//! Zotero: OAuth 1.0a is only the exchange that gives an API key.
//!
//! Sources: Zotero, "OAuth Key Exchange" (Web API v3: `https://www.zotero.org/oauth/request`,
//! `/oauth/authorize`, `/oauth/access`; the authorization takes `name`, `library_access` (1 or
//! 0), `notes_access` (1 or 0), `write_access` (1 or 0), `all_groups` (`none`, `read`,
//! `write`) and `identity=1`; the access-token response carries `userID` and `username`, and
//! its `oauth_token_secret` is the API key; "Rather than using OAuth to sign each request, OAuth
//! should be used to obtain a key"), and the Web API's `GET https://api.zotero.org/keys/current`
//! with the key in `Zotero-API-Key` (answered 403 `Forbidden` without a valid key). The
//! signature method is undocumented there; HMAC-SHA1 (Zotero's own connector signs with it).
//! Error bodies of the OAuth endpoints are undocumented; the local provider answers with OAuth
//! Problem Reporting.

use axum::response::{IntoResponse, Response};

use super::rules::{one_of, Account, Endpoint, ErrorShape, Refusal, Rules};

pub(super) const HOSTS: &[&str] = &["www.zotero.org", "api.zotero.org"];

fn authorize_params(params: &[(String, String)]) -> Result<(), Refusal> {
    for flag in ["library_access", "notes_access", "write_access"] {
        one_of(params, flag, &["0", "1"], false)?;
    }
    one_of(params, "all_groups", &["none", "read", "write"], false)?;
    one_of(params, "identity", &["1"], false)
}

fn token_fields(a: &Account<'_>) -> Vec<(&'static str, String)> {
    vec![
        ("userID", a.id.to_string()),
        ("username", a.name.to_owned()),
    ]
}

fn current_key(a: &Account<'_>) -> Response {
    axum::Json(serde_json::json!({
        "key": a.token,
        "userID": a.id,
        "username": a.name,
        "access": {"user": {"library": true, "files": true, "notes": true, "write": true}},
    }))
    .into_response()
}

pub(super) fn rules() -> Rules {
    Rules {
        request_token: Some(Endpoint::post("/oauth/request")),
        authorize: Some("/oauth/authorize"),
        access_token: Some(Endpoint::post("/oauth/access")),
        resource: Endpoint::get("/keys/current"),
        key_auth: true,
        authorize_params,
        token_fields,
        resource_body: current_key,
        ..Rules::defaults(ErrorShape::ProblemReporting)
    }
}

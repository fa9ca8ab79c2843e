//! Jira / Confluence Data Center application links: OAuth 1.0a with RSA-SHA1 and the
//! consumer's registered public key (no consumer secret).
//!
//! Sources: Atlassian, "JIRA REST API Example - OAuth authentication" (request token
//! `JIRA_BASE_URL/plugins/servlet/oauth/request-token`, authorization `.../authorize`, access
//! token `.../access-token`, RSA-SHA1 with the public key entered in the application link), and
//! "OAuth Troubleshooting Guide" (`oauth_problem=consumer_key_unknown`, `signature_invalid`,
//! `timestamp_refused`, `token_rejected`, ...). Errors are OAuth Problem Reporting bodies. The
//! extra fields of Jira's access-token response (if any) are undocumented there: the local
//! provider sends the token and secret only.

use axum::response::{IntoResponse, Response};
use oauth1_core::Placement;

use super::rules::{Account, Endpoint, ErrorShape, Rules};

pub(super) const HOSTS: &[&str] = &["jira.example.com", "confluence.example.com"];

fn myself(a: &Account<'_>) -> Response {
    axum::Json(serde_json::json!({
        "self": format!("{}/rest/api/2/user?username={}", a.base_url, a.name),
        "key": a.name,
        "name": a.name,
        "displayName": a.name,
        "active": true,
    }))
    .into_response()
}

pub(super) fn rules() -> Rules {
    Rules {
        request_token: Some(Endpoint::post("/plugins/servlet/oauth/request-token")),
        authorize: Some("/plugins/servlet/oauth/authorize"),
        access_token: Some(Endpoint::post("/plugins/servlet/oauth/access-token")),
        resource: Endpoint::get("/rest/api/2/myself"),
        methods: &["RSA-SHA1"],
        placements: &[Placement::Header, Placement::Query, Placement::Body],
        resource_body: myself,
        ..Rules::defaults(ErrorShape::ProblemReporting)
    }
}

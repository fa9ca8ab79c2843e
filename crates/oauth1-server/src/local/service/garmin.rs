//! Garmin Connect's Health API.
//!
//! Sources: Garmin, "Health API - User Authorization (OAuth)" (OAuth 1.0a;
//! `POST https://connectapi.garmin.com/oauth-service/oauth/request_token`,
//! `https://connect.garmin.com/oauthConfirm?oauth_token=...`,
//! `POST https://connectapi.garmin.com/oauth-service/oauth/access_token`; the Authorization
//! header), and the Health API's `GET https://apis.garmin.com/wellness-api/rest/user/id`
//! (`{"userId": ...}`). Signature method HMAC-SHA1 (the document's examples). Garmin's error
//! bodies are undocumented there: the local provider answers with OAuth Problem Reporting.

use axum::response::{IntoResponse, Response};
use oauth1_core::Placement;

use super::rules::{Account, Endpoint, ErrorShape, Rules};

pub(super) const HOSTS: &[&str] = &[
    "connectapi.garmin.com",
    "connect.garmin.com",
    "apis.garmin.com",
];

fn user_id(a: &Account<'_>) -> Response {
    axum::Json(serde_json::json!({"userId": format!("garmin-{}", a.id)})).into_response()
}

pub(super) fn rules() -> Rules {
    Rules {
        request_token: Some(Endpoint::post("/oauth-service/oauth/request_token")),
        authorize: Some("/oauthConfirm"),
        access_token: Some(Endpoint::post("/oauth-service/oauth/access_token")),
        resource: Endpoint::get("/wellness-api/rest/user/id"),
        placements: &[Placement::Header],
        resource_body: user_id,
        ..Rules::defaults(ErrorShape::ProblemReporting)
    }
}

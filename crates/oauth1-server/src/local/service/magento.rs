//! Magento 2 / Adobe Commerce integrations.
//!
//! Sources: Adobe Commerce Web API, "OAuth-based authentication" (activation: the store POSTs
//! `oauth_consumer_key`, `oauth_consumer_secret`, `store_base_url` and `oauth_verifier` to the
//! integration's callback URL; the app then asks `POST /oauth/token/request` for a request token
//! and `POST /oauth/token/access` for the access token with that verifier; the request-token
//! response has `oauth_token` and `oauth_token_secret` only; access tokens can also be shown in
//! the admin when the integration is activated), and "OAuth error codes" (`oauth_problem=...`,
//! 400 or 401; "The following methods are supported: HMAC-SHA256"). A request token asked for
//! by a consumer that was never activated gets Magento's own words (magento/magento2 issue 2729):
//! "Cannot create request token because consumer token is not a verifier token". Errors on the
//! REST API itself are `{"message": ...}` in Magento; the local provider answers them as the
//! token endpoints do.

use axum::response::{IntoResponse, Response};
use oauth1_core::Placement;

use super::rules::{Account, Endpoint, ErrorShape, Flow, Rules};

pub(super) const HOSTS: &[&str] = &["store.example.com"];

fn store_configs(a: &Account<'_>) -> Response {
    axum::Json(serde_json::json!([{
        "id": 1,
        "code": "default",
        "website_id": 1,
        "locale": "en_US",
        "base_currency_code": "USD",
        "base_url": format!("{}/", a.base_url),
    }]))
    .into_response()
}

pub(super) fn rules() -> Rules {
    Rules {
        request_token: Some(Endpoint::post("/oauth/token/request")),
        authorize: None,
        access_token: Some(Endpoint::post("/oauth/token/access")),
        resource: Endpoint::get("/rest/V1/store/storeConfigs"),
        methods: &["HMAC-SHA256"],
        placements: &[Placement::Header],
        callback_confirmed: false,
        callback_required: false,
        flow: Flow::Activation,
        resource_body: store_configs,
        ..Rules::defaults(ErrorShape::ProblemReporting)
    }
}

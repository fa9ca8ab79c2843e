//! NetSuite token-based authentication (TBA).
//!
//! Sources (Oracle NetSuite Help Center): "Step One Obtain An Unauthorized Request Token"
//! (`POST https://<accountID>.restlets.api.netsuite.com/rest/requesttoken`, header parameters,
//! "Only HMAC-SHA256 is supported", nonce "at least six characters long", `oauth_version`
//! optional and `1.0`), "Step Two Authorize the Request Token"
//! (`GET https://<accountID>.app.netsuite.com/app/login/secure/authorizetoken.nl?oauth_token=..`,
//! optional `state` of at most 512 letters and digits), "Step Three Exchange the Request Token
//! for an Access Token" (`POST .../rest/accesstoken`; "As of 2020.1, the realm parameter is no
//! longer required for this step"), "The Authorization Headers" (the realm is the account id),
//! "Error Handling in REST Web Services" (401 with `o:errorDetails` and `INVALID_LOGIN`), and
//! "Error Messages for RESTlets, SOAP Web Services, and REST Web Services" (`nonce_rejected`).
//! Tokens are also issued in the NetSuite UI (`LocalProviderConfig::issued_token`).
//!
//! The realm must be the account id upper-cased with `-` written as `_` (`1234567_SB1`): the
//! local provider refuses a realm in any other form, and a signed REST call without one. Where
//! NetSuite's own answer to a wrong realm differs from INVALID_LOGIN, it is undocumented.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use oauth1_core::Placement;

use super::rules::{value, Account, Endpoint, ErrorShape, Refusal, Rules};

/// `1234567-sb1` or `1234567_SB1` → `1234567_SB1`.
pub(super) fn realm_of(account_id: &str) -> String {
    account_id.trim().to_ascii_uppercase().replace('-', "_")
}

/// The account's hosts: `1234567_SB1` → `1234567-sb1.restlets.api.netsuite.com`, ...
pub(super) fn hosts(realm: &str) -> Vec<String> {
    let host = realm.to_ascii_lowercase().replace('_', "-");
    ["restlets.api", "app", "suitetalk.api"]
        .iter()
        .map(|h| format!("{host}.{h}.netsuite.com"))
        .collect()
}

fn authorize_params(params: &[(String, String)]) -> Result<(), Refusal> {
    match value(params, "state") {
        Some(s) if s.len() > 512 || !s.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Err(Refusal::new(StatusCode::BAD_REQUEST, "parameter_rejected")
                .message("state must be at most 512 letters and digits"))
        }
        _ => Ok(()),
    }
}

fn customers(a: &Account<'_>) -> Response {
    let link = format!("{}/services/rest/record/v1/customer/{}", a.base_url, a.id);
    axum::Json(serde_json::json!({
        "links": [{"rel": "self", "href": format!("{}/services/rest/record/v1/customer", a.base_url)}],
        "count": 1,
        "hasMore": false,
        "items": [{"links": [{"rel": "self", "href": link}], "id": a.id.to_string()}],
        "offset": 0,
        "totalResults": 1,
    }))
    .into_response()
}

pub(super) fn rules(realm: &str) -> Rules {
    Rules {
        request_token: Some(Endpoint::post("/rest/requesttoken")),
        authorize: Some("/app/login/secure/authorizetoken.nl"),
        access_token: Some(Endpoint::post("/rest/accesstoken")),
        resource: Endpoint::get("/services/rest/record/v1/customer"),
        methods: &["HMAC-SHA256"],
        placements: &[Placement::Header],
        realm: Some(realm.to_owned()),
        realm_required: true,
        min_nonce_len: 6,
        authorize_params,
        resource_body: customers,
        ..Rules::defaults(ErrorShape::NetSuite)
    }
}

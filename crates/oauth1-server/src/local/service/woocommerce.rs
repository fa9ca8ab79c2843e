//! WooCommerce's REST API over plain http: OAuth 1.0a "one-legged", consumer key and secret
//! only, no token, the OAuth parameters in the query string, HMAC-SHA1 or HMAC-SHA256.
//!
//! Sources: WooCommerce REST API docs, "Authentication over HTTP" ("OAuth 1.0a 'one-legged'
//! authentication", parameters in the query string, HMAC-SHA1 or HMAC-SHA256, the key is the
//! consumer secret followed by `&`), and WooCommerce's `class-wc-rest-authentication.php`
//! (`woocommerce_rest_authentication_error` with "Consumer key is invalid.", "Invalid
//! signature - provided signature does not match.", "Invalid timestamp.", "Invalid nonce -
//! nonce has already been used.", all 401). WooCommerce's own code also reads the header and
//! a form body; its docs name the query string, which is what the local provider accepts. The
//! same file's `check_oauth_timestamp_and_nonce` accepts a timestamp within 15 minutes of its
//! clock either way (`$valid_window = 15 * 60`), where the provider's default is 5.

use axum::response::{IntoResponse, Response};
use oauth1_core::Placement;

use super::rules::{Account, Endpoint, ErrorShape, Flow, Rules};

pub(super) const HOSTS: &[&str] = &["shop.example.com"];

fn products(a: &Account<'_>) -> Response {
    axum::Json(serde_json::json!([{
        "id": 1,
        "name": "Local product",
        "slug": "local-product",
        "permalink": format!("{}/product/local-product/", a.base_url),
        "type": "simple",
        "status": "publish",
        "price": "9.99",
    }]))
    .into_response()
}

pub(super) fn rules() -> Rules {
    Rules {
        request_token: None,
        authorize: None,
        access_token: None,
        resource: Endpoint::get("/wp-json/wc/v3/products"),
        methods: &["HMAC-SHA1", "HMAC-SHA256"],
        placements: &[Placement::Query],
        flow: Flow::OneLegged,
        window: Some(std::time::Duration::from_secs(15 * 60)),
        resource_body: products,
        ..Rules::defaults(ErrorShape::WooCommerce)
    }
}

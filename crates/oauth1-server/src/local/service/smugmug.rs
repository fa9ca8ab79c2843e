//! SmugMug (API v2).
//!
//! Sources: SmugMug API v2, "Authorization with OAuth 1.0a"
//! (`https://api.smugmug.com/services/oauth/1.0a/getRequestToken`, `.../1.0a/authorize` with
//! `Access` = `Full` or `Public` and `Permissions` = `Read`, `Add` or `Modify`,
//! `.../1.0a/getAccessToken`; signature methods "HMAC-SHA1 or PLAINTEXT (https only)"; request
//! tokens single-use, 5 minutes), the "OAuth FAQ" (`oauth_problem=parameter_absent` without
//! `oauth_callback` on the 1.0a endpoints), and `GET https://api.smugmug.com/api/v2!authuser`
//! (`{"Response":{"User":{...}},"Code":200,"Message":"Ok"}`). Other error bodies of the OAuth
//! endpoints are undocumented; the local provider answers with OAuth Problem Reporting. It
//! accepts PLAINTEXT over its own plain http, which stands in for SmugMug's https.

use axum::response::{IntoResponse, Response};

use super::rules::{one_of, Account, Endpoint, ErrorShape, Refusal, Rules};

pub(super) const HOSTS: &[&str] = &["api.smugmug.com"];

fn authorize_params(params: &[(String, String)]) -> Result<(), Refusal> {
    one_of(params, "Access", &["Public", "Full"], false)?;
    one_of(params, "Permissions", &["Read", "Add", "Modify"], false)
}

fn authuser(a: &Account<'_>) -> Response {
    axum::Json(serde_json::json!({
        "Response": {
            "Uri": "/api/v2!authuser",
            "User": {"NickName": a.name, "Name": a.name, "Uri": format!("/api/v2/user/{}", a.name)},
        },
        "Code": 200,
        "Message": "Ok",
    }))
    .into_response()
}

pub(super) fn rules() -> Rules {
    Rules {
        request_token: Some(Endpoint::get_or_post(
            "/services/oauth/1.0a/getRequestToken",
        )),
        authorize: Some("/services/oauth/1.0a/authorize"),
        access_token: Some(Endpoint::get_or_post("/services/oauth/1.0a/getAccessToken")),
        resource: Endpoint::get("/api/v2!authuser"),
        methods: &["HMAC-SHA1", "PLAINTEXT"],
        plaintext: true,
        authorize_params,
        resource_body: authuser,
        ..Rules::defaults(ErrorShape::ProblemReporting)
    }
}

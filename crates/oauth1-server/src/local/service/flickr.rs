//! Flickr.
//!
//! Sources: Flickr, "User Authentication" (`https://www.flickr.com/services/oauth/request_token`,
//! `/services/oauth/authorize?oauth_token=...&perms=read|write|delete`,
//! `/services/oauth/access_token`; "Flickr only supports HMAC-SHA1"; the access-token response
//! carries `fullname`, `oauth_token`, `oauth_token_secret`, `user_nsid`, `username`; errors on
//! the OAuth endpoints such as `oauth_problem=signature_invalid`), and the API method
//! `flickr.test.login` at `https://www.flickr.com/services/rest` (`{"user":{"id",
//! "username":{"_content"}},"stat":"ok"}` with `format=json&nojsoncallback=1`, XML otherwise).
//! Flickr's examples sign `GET` requests to the token endpoints; both `GET` and `POST` are
//! accepted. Flickr's answer to a missing or bad `perms` on its authorization page is undocumented; the
//! local provider refuses it with 400 and a problem report.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::rules::{one_of, value, Account, Endpoint, ErrorShape, Rules};

pub(super) const HOSTS: &[&str] = &["www.flickr.com", "api.flickr.com"];

fn nsid(a: &Account<'_>) -> String {
    format!("{}@N01", a.id)
}

fn authorize_params(params: &[(String, String)]) -> Result<(), super::rules::Refusal> {
    one_of(params, "perms", &["read", "write", "delete"], true)
}

fn token_fields(a: &Account<'_>) -> Vec<(&'static str, String)> {
    vec![
        ("fullname", a.name.to_owned()),
        ("user_nsid", nsid(a)),
        ("username", a.name.to_owned()),
    ]
}

fn rest(a: &Account<'_>) -> Response {
    let method = value(a.query, "method").unwrap_or_default();
    let json = value(a.query, "format") == Some("json");
    if method != "flickr.test.login" {
        let message = format!("Method \"{method}\" not found");
        return if json {
            axum::Json(serde_json::json!({"stat": "fail", "code": 112, "message": message}))
                .into_response()
        } else {
            xml(format!(
                "<rsp stat=\"fail\">\n\t<err code=\"112\" msg=\"{}\" />\n</rsp>",
                message.replace('"', "&quot;").replace('<', "&lt;")
            ))
        };
    }
    if json {
        axum::Json(serde_json::json!({
            "user": {"id": nsid(a), "username": {"_content": a.name}},
            "stat": "ok",
        }))
        .into_response()
    } else {
        xml(format!(
            "<rsp stat=\"ok\">\n\t<user id=\"{}\">\n\t\t<username>{}</username>\n\t</user>\n</rsp>",
            nsid(a),
            a.name
        ))
    }
}

fn xml(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        format!("<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n{body}\n"),
    )
        .into_response()
}

pub(super) fn rules() -> Rules {
    Rules {
        request_token: Some(Endpoint::get_or_post("/services/oauth/request_token")),
        authorize: Some("/services/oauth/authorize"),
        access_token: Some(Endpoint::get_or_post("/services/oauth/access_token")),
        resource: Endpoint::get("/services/rest"),
        authorize_params,
        token_fields,
        resource_body: rest,
        ..Rules::defaults(ErrorShape::ProblemReporting)
    }
}

//! LTI 1.1: the provider plays the tool; our client is the tool consumer (the LMS) that signs
//! the launch.
//!
//! Sources: IMS Global, "Learning Tools Interoperability Implementation Guide 1.1" (a basic
//! launch is a form POST to the tool's launch URL with `lti_message_type=basic-lti-launch-request`,
//! `lti_version=LTI-1p0` and `resource_link_id`, signed with OAuth 1.0a HMAC-SHA1, the OAuth
//! parameters in the body, no token). The launch URL is the tool's own; the local provider's
//! is `/lti/launch`. How a tool refuses a launch is up to the tool (it may send the user back to
//! `launch_presentation_return_url` with `lti_errormsg`); the local provider answers the status
//! (400 or 401) with a plain-text reason.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use oauth1_core::Placement;

use super::rules::{Endpoint, ErrorShape, Flow, Rules};

pub(super) const HOSTS: &[&str] = &["tool.example.com"];

/// The launch parameters a basic launch must carry, with the values it must have.
pub(crate) const REQUIRED: [(&str, Option<&str>); 3] = [
    ("lti_message_type", Some("basic-lti-launch-request")),
    ("lti_version", Some("LTI-1p0")),
    ("resource_link_id", None),
];

/// The page that shows a verified launch: every signed launch parameter, escaped.
pub(crate) fn launch_page(params: &[(String, String)]) -> Response {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let rows: String = params
        .iter()
        .filter(|(n, _)| !n.starts_with("oauth_"))
        .map(|(n, v)| format!("<tr><th>{}</th><td>{}</td></tr>\n", escape(n), escape(v)))
        .collect();
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>LTI launch</title></head>\n<body>\n<h1 id=\"launched\">Launch verified</h1>\n<table id=\"launch\">\n{rows}</table>\n</body></html>\n"
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

pub(super) fn rules() -> Rules {
    Rules {
        request_token: None,
        authorize: None,
        access_token: None,
        resource: Endpoint::post("/lti/launch"),
        placements: &[Placement::Body],
        flow: Flow::Launch,
        ..Rules::defaults(ErrorShape::PlainText)
    }
}

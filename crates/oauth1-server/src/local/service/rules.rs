//! What a service's rules are made of ([`Rules`]), why a request breaks one ([`Refusal`]), and
//! how the service says so ([`ErrorShape`]).

use std::borrow::Cow;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oauth1_core::encode::percent_encode;
use oauth1_core::Placement;

use crate::verifier::{Rejection, VerifyFailure};

/// The HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
    /// Either; the docs show `GET`.
    GetOrPost,
}

impl Verb {
    pub(crate) fn method(self) -> http::Method {
        match self {
            Verb::Get | Verb::GetOrPost => http::Method::GET,
            Verb::Post => http::Method::POST,
        }
    }

    pub(crate) fn filter(self) -> axum::routing::MethodFilter {
        match self {
            Verb::Get => axum::routing::MethodFilter::GET,
            Verb::Post => axum::routing::MethodFilter::POST,
            Verb::GetOrPost => {
                axum::routing::MethodFilter::GET.or(axum::routing::MethodFilter::POST)
            }
        }
    }
}

/// An endpoint: its method and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub(crate) verb: Verb,
    pub(crate) path: &'static str,
}

impl Endpoint {
    pub(crate) const fn get(path: &'static str) -> Endpoint {
        Endpoint {
            verb: Verb::Get,
            path,
        }
    }
    pub(crate) const fn get_or_post(path: &'static str) -> Endpoint {
        Endpoint {
            verb: Verb::GetOrPost,
            path,
        }
    }
    pub(crate) const fn post(path: &'static str) -> Endpoint {
        Endpoint {
            verb: Verb::Post,
            path,
        }
    }
}

/// The shape of the flow the service runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Request token, the user's authorization, access token; signed calls with the token.
    ThreeLegged,
    /// Magento 2: the store posts the consumer and a verifier to the app (activation); request
    /// token and access token with that verifier, no authorization page.
    Activation,
    /// Signed with the consumer alone, no token (WooCommerce over http).
    OneLegged,
    /// An LTI 1.1 launch: a form POST signed with the consumer alone, to the tool.
    Launch,
}

/// Which step a signed request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    RequestToken,
    AccessToken,
    Resource,
}

/// Why a request is refused: the status, the OAuth Problem Reporting name, and (when the
/// service has its own words for it) the message.
#[derive(Debug, Clone)]
pub(crate) struct Refusal {
    pub(crate) status: StatusCode,
    pub(crate) problem: &'static str,
    pub(crate) message: Option<Cow<'static, str>>,
}

impl Refusal {
    pub(crate) fn new(status: StatusCode, problem: &'static str) -> Refusal {
        Refusal {
            status,
            problem,
            message: None,
        }
    }

    #[must_use]
    pub(crate) fn message(mut self, message: impl Into<Cow<'static, str>>) -> Refusal {
        self.message = Some(message.into());
        self
    }

    /// A request the verifier refused (a failing store is the service's 503).
    pub(crate) fn from_failure(failure: &VerifyFailure) -> Refusal {
        match failure {
            VerifyFailure::Rejected(r) => Refusal::from_rejection(r),
            _ => Refusal::new(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable")
                .message("The service is over capacity; try again."),
        }
    }

    pub(crate) fn from_rejection(r: &Rejection) -> Refusal {
        let status = match r {
            Rejection::NotSigned => StatusCode::UNAUTHORIZED,
            _ => r.status(),
        };
        Refusal::new(status, r.oauth_problem())
    }
}

/// How a service writes an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorShape {
    /// `{"errors":[{"code":32,"message":"..."}]}`.
    Twitter,
    /// NetSuite's REST JSON: `{"type","title","status","o:errorDetails":[{"detail",
    /// "o:errorCode":"INVALID_LOGIN"}]}` for every authentication failure.
    NetSuite,
    /// The OAuth Problem Reporting extension: a form-encoded body
    /// `oauth_problem=...&oauth_problem_advice=...` (Jira, Magento, Flickr, ...).
    ProblemReporting,
    /// WordPress REST JSON: `{"code":"woocommerce_rest_authentication_error","message",
    /// "data":{"status":401}}`, 401 for every authentication failure.
    WooCommerce,
    /// `{"message": "..."}` (Discogs).
    Message,
    /// A plain-text sentence (Trello).
    PlainText,
    /// Tumblr's envelope: `{"meta":{"status","msg"},"response":[],"errors":[{"title","detail"}]}`.
    Tumblr,
}

impl ErrorShape {
    /// The service's words for `problem` when the refusal brings none.
    fn default_message(self, problem: &str) -> &'static str {
        match self {
            ErrorShape::WooCommerce => match problem {
                "consumer_key_unknown" => "Consumer key is invalid.",
                "timestamp_refused" => "Invalid timestamp.",
                "nonce_used" => "Invalid nonce - nonce has already been used.",
                "signature_method_rejected" => "Invalid signature - signature method is invalid.",
                "parameter_absent" => "Missing OAuth parameter.",
                "token_rejected" => "Invalid signature - provided signature does not match.",
                "not_found" => "No route was found matching the URL and request method.",
                _ => "Invalid signature - provided signature does not match.",
            },
            ErrorShape::PlainText => match problem {
                "consumer_key_unknown" => "invalid key",
                "token_rejected" | "token_expired" => "invalid token",
                "timestamp_refused" => "invalid timestamp",
                "nonce_used" => "invalid nonce",
                "permission_denied" => "unauthorized permission requested",
                _ => "invalid signature",
            },
            ErrorShape::NetSuite => {
                "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail."
            }
            ErrorShape::Twitter => match problem {
                "timestamp_refused" => "Timestamp out of bounds.",
                "token_rejected" => "Invalid or expired token.",
                "parameter_absent" | "parameter_rejected" => "Bad Authentication data.",
                _ => "Could not authenticate you.",
            },
            ErrorShape::Message | ErrorShape::Tumblr => match problem {
                "consumer_key_unknown" => "Invalid consumer.",
                "token_rejected" | "token_expired" => "Invalid or expired token.",
                "timestamp_refused" => "Timestamp out of bounds.",
                "nonce_used" => "Nonce already used.",
                "signature_method_rejected" => "Signature method not supported.",
                "parameter_absent" => "A required OAuth parameter is missing.",
                "permission_denied" | "permission_unknown" => "The user has not authorized this token.",
                _ => "Invalid signature.",
            },
            ErrorShape::ProblemReporting => "",
        }
    }

    /// The response for `refusal`, with the OAuth challenge naming the problem (for people
    /// debugging against the local provider).
    pub(crate) fn render(self, refusal: &Refusal) -> Response {
        // WooCommerce and NetSuite say the same few sentences whatever the check; the others
        // take the refusal's own words when it has them.
        let message: &str = match (&refusal.message, self) {
            (Some(m), shape)
                if !matches!(shape, ErrorShape::WooCommerce | ErrorShape::NetSuite) =>
            {
                m
            }
            _ => self.default_message(refusal.problem),
        };
        // WooCommerce refuses every authentication failure with 401.
        let status = match self {
            ErrorShape::WooCommerce
                if refusal.status.is_client_error() && refusal.status != StatusCode::NOT_FOUND =>
            {
                StatusCode::UNAUTHORIZED
            }
            _ => refusal.status,
        };
        let mut response = match self {
            ErrorShape::Twitter => {
                let code = match refusal.problem {
                    "timestamp_refused" => 135,
                    "token_rejected" => 89,
                    "parameter_absent" | "parameter_rejected" => 215,
                    _ => 32,
                };
                let body = serde_json::json!({"errors": [{"code": code, "message": message}]});
                (status, axum::Json(body)).into_response()
            }
            // NetSuite answers every authentication failure the same way: 401, INVALID_LOGIN.
            ErrorShape::NetSuite => {
                let (status, title, code) = if status.is_server_error() {
                    (status, "Service Unavailable", "UNEXPECTED_ERROR")
                } else {
                    (StatusCode::UNAUTHORIZED, "Unauthorized", "INVALID_LOGIN")
                };
                let body = serde_json::json!({
                    "type": "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.2",
                    "title": title,
                    "status": status.as_u16(),
                    "o:errorDetails": [{"detail": message, "o:errorCode": code}],
                });
                (
                    status,
                    [(
                        header::CONTENT_TYPE,
                        "application/vnd.oracle.resource+json; type=error",
                    )],
                    body.to_string(),
                )
                    .into_response()
            }
            ErrorShape::ProblemReporting => {
                let mut body = format!("oauth_problem={}", percent_encode(refusal.problem));
                if !message.is_empty() {
                    body.push_str("&oauth_problem_advice=");
                    body.push_str(&percent_encode(message));
                }
                (
                    status,
                    [(header::CONTENT_TYPE, "application/x-www-form-urlencoded")],
                    body,
                )
                    .into_response()
            }
            ErrorShape::WooCommerce => {
                let body = serde_json::json!({
                    "code": "woocommerce_rest_authentication_error",
                    "message": message,
                    "data": {"status": status.as_u16()},
                });
                (status, axum::Json(body)).into_response()
            }
            ErrorShape::Message => {
                (status, axum::Json(serde_json::json!({"message": message}))).into_response()
            }
            ErrorShape::PlainText => (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                message.to_owned(),
            )
                .into_response(),
            ErrorShape::Tumblr => {
                let reason = status.canonical_reason().unwrap_or("Error");
                let body = serde_json::json!({
                    "meta": {"status": status.as_u16(), "msg": reason},
                    "response": [],
                    "errors": [{"title": reason, "code": 0, "detail": message}],
                });
                (status, axum::Json(body)).into_response()
            }
        };
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::BAD_REQUEST {
            if let Some(v) = crate::layer::challenge("local", refusal.problem, None) {
                response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
            }
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// Checks the parameters of the authorization URL; `Err` refuses the page.
pub(crate) type AuthorizeCheck = fn(&[(String, String)]) -> Result<(), Refusal>;

/// What the resource answers for a user, and the fields the access token carries for them.
#[derive(Debug)]
pub(crate) struct Account<'a> {
    /// The user's numeric id.
    pub(crate) id: u64,
    /// Their screen name.
    pub(crate) name: &'a str,
    /// The access token (for Zotero, the key's secret).
    pub(crate) token: &'a str,
    /// The provider's app name.
    pub(crate) app_name: &'a str,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base_url: &'a str,
    /// The request's query parameters.
    pub(crate) query: &'a [(String, String)],
}

/// The extra fields of an access-token response.
pub(crate) type TokenFields = fn(&Account<'_>) -> Vec<(&'static str, String)>;
/// The protected resource's answer.
pub(crate) type ResourceBody = fn(&Account<'_>) -> Response;

/// A service's rules, as the local provider enforces them.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    pub(crate) request_token: Option<Endpoint>,
    pub(crate) authorize: Option<&'static str>,
    pub(crate) access_token: Option<Endpoint>,
    pub(crate) resource: Endpoint,
    /// The accepted `oauth_signature_method` values.
    pub(crate) methods: &'static [&'static str],
    /// Where the protocol parameters may be.
    pub(crate) placements: &'static [Placement],
    /// The only realm accepted when one is sent (NetSuite's account id).
    pub(crate) realm: Option<String>,
    /// Whether a signed call on the resource must carry that realm.
    pub(crate) realm_required: bool,
    /// The shortest nonce accepted.
    pub(crate) min_nonce_len: usize,
    /// The timestamp skew the service accepts either way, where its documentation or code says
    /// (WooCommerce: 15 minutes); `None`: the provider's window.
    pub(crate) window: Option<std::time::Duration>,
    pub(crate) errors: ErrorShape,
    /// Whether every request needs a `User-Agent` (Discogs).
    pub(crate) user_agent_required: bool,
    /// Whether the request-token response says `oauth_callback_confirmed=true`.
    pub(crate) callback_confirmed: bool,
    /// Whether the request token needs `oauth_callback`.
    pub(crate) callback_required: bool,
    pub(crate) flow: Flow,
    /// PLAINTEXT accepted (over the local provider's plain http).
    pub(crate) plaintext: bool,
    /// The resource takes the key alone (Zotero's `Zotero-API-Key`), not a signature.
    pub(crate) key_auth: bool,
    pub(crate) authorize_params: AuthorizeCheck,
    pub(crate) token_fields: TokenFields,
    pub(crate) resource_body: ResourceBody,
}

fn no_authorize_params(_: &[(String, String)]) -> Result<(), Refusal> {
    Ok(())
}

fn no_token_fields(_: &Account<'_>) -> Vec<(&'static str, String)> {
    Vec::new()
}

fn echo_user(a: &Account<'_>) -> Response {
    axum::Json(serde_json::json!({"id": a.id, "name": a.name})).into_response()
}

impl Rules {
    /// A three-legged service with the RFC's defaults, HMAC-SHA1 in the header, and `errors`.
    pub(crate) fn defaults(errors: ErrorShape) -> Rules {
        Rules {
            request_token: Some(Endpoint::post("/oauth/request_token")),
            authorize: Some("/oauth/authorize"),
            access_token: Some(Endpoint::post("/oauth/access_token")),
            resource: Endpoint::get("/me"),
            methods: &["HMAC-SHA1"],
            placements: &[Placement::Header, Placement::Query, Placement::Body],
            realm: None,
            realm_required: false,
            min_nonce_len: 1,
            window: None,
            errors,
            user_agent_required: false,
            callback_confirmed: true,
            callback_required: true,
            flow: Flow::ThreeLegged,
            plaintext: false,
            key_auth: false,
            authorize_params: no_authorize_params,
            token_fields: no_token_fields,
            resource_body: echo_user,
        }
    }
}

/// The value of `name` among `params`, if present.
pub(crate) fn value<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Refuses an authorization whose `name` is present and not one of `allowed` (or absent
/// when `required`).
pub(crate) fn one_of(
    params: &[(String, String)],
    name: &'static str,
    allowed: &[&str],
    required: bool,
) -> Result<(), Refusal> {
    match value(params, name) {
        None if !required => Ok(()),
        Some(v) if allowed.contains(&v) => Ok(()),
        found => Err(
            Refusal::new(StatusCode::BAD_REQUEST, "parameter_rejected").message(format!(
                "{name} must be one of {} (got {})",
                allowed.join(", "),
                found.map_or_else(|| "nothing".to_owned(), |v| format!("`{v}`"))
            )),
        ),
    }
}

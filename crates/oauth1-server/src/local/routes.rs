//! The local provider's router and what its endpoints share: the application state, reading a
//! body within the limits, verification, and Twitter-shaped answers.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use oauth1_core::encode::{form_decode_str, percent_encode};

use super::callback::CallbackUrl;
use super::random::{RandomSource, RandomUnavailable};
use super::service::{self, Rules, Service};
use super::state::Store;
use super::{api, consent, oauth};
use crate::clock::Clock;
use crate::store::NonceStore;
use crate::verifier::{Rejection, Verified, Verifier, VerifyFailure};

pub(crate) struct App {
    pub(crate) verifier: Verifier<Arc<Store>, Arc<dyn NonceStore>>,
    pub(crate) store: Arc<Store>,
    pub(crate) auto_approve: bool,
    pub(crate) app_name: String,
    pub(crate) next_id: AtomicU64,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) random: Arc<dyn RandomSource>,
    /// Registered callback prefixes, by consumer key.
    pub(crate) callbacks: HashMap<String, Vec<CallbackUrl>>,
    /// The port it listens on (the consent pages check `Host` against it).
    pub(crate) port: u16,
    pub(crate) body_limit: usize,
    pub(crate) body_timeout: Duration,
    /// The service played, and its rules.
    pub(crate) service: Service,
    pub(crate) rules: Rules,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base_url: String,
}

impl App {
    /// `len` random letters and digits (see [`super::random::token`]).
    pub(crate) fn random_token(&self, len: usize) -> Result<String, RandomUnavailable> {
        super::random::token(self.random.as_ref(), len)
    }
}

/// The answer when the OS gives no randomness: 500, code 131, and nothing issued.
pub(crate) fn no_randomness(_: RandomUnavailable) -> Response {
    twitter_error(StatusCode::INTERNAL_SERVER_ERROR, 131, "Internal error.")
}

pub(crate) fn router(app: Arc<App>) -> Router {
    let routes = if app.service.is_twitter() {
        twitter_routes()
    } else {
        service::handlers::router(&app)
    };
    routes
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            limits,
        ))
        .with_state(app)
}

/// Twitter's endpoints.
fn twitter_routes() -> Router<Arc<App>> {
    Router::new()
        .route("/oauth/request_token", post(oauth::request_token))
        .route(
            "/oauth/authorize",
            get(consent::authorize_page).post(consent::authorize_decision),
        )
        .route("/oauth/authenticate", get(consent::authenticate_page))
        .route("/oauth/access_token", post(oauth::access_token))
        .route("/1.1/oauth/invalidate_token", post(oauth::invalidate_token))
        .route(
            "/1.1/account/verify_credentials.json",
            get(api::verify_credentials),
        )
        .route("/1.1/statuses/update.json", post(api::update))
        .route("/2/tweets", post(api::tweet))
        .route("/1.1/statuses/stream.json", get(api::stream))
        .fallback(not_found)
}

/// Before any handler: a declared body over the limit is answered 413 at once, unread. After:
/// the `Date` header (from the provider's clock).
async fn limits(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let mut response = if declared.is_some_and(|n| n > app.body_limit as u64) {
        too_large(app.body_limit)
    } else {
        next.run(request).await
    };
    if let Some(v) =
        crate::date::http_date(app.clock.now()).and_then(|date| HeaderValue::from_str(&date).ok())
    {
        response.headers_mut().insert(header::DATE, v);
    }
    response
}

/// A Twitter-shaped error.
pub(crate) fn twitter_error(status: StatusCode, code: u32, message: &str) -> Response {
    let body = serde_json::json!({"errors": [{"code": code, "message": message}]});
    (status, axum::Json(body)).into_response()
}

/// 413, code 38, and the connection closes (the rest of the body is never read).
fn too_large(limit: usize) -> Response {
    let mut response = rejection_response(&Rejection::BodyTooLarge { limit });
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The answer to a rejection, by its status (RFC 5849 §3.2): 400 is Twitter's 215, 401 its
/// 32, 89 or 135, 413 its 38, 503 its 130. A request with no OAuth parameters at all is 400,
/// 215, as on Twitter.
pub(crate) fn rejection_response(r: &Rejection) -> Response {
    let status = match r {
        Rejection::NotSigned => StatusCode::BAD_REQUEST,
        _ => r.status(),
    };
    let (code, message) = match status.as_u16() {
        400 => (215, "Bad Authentication data."),
        413 => (38, "Request body too large."),
        503 => (130, "Over capacity"),
        _ => match r {
            Rejection::StaleTimestamp { .. } => (135, "Timestamp out of bounds."),
            Rejection::UnknownToken | Rejection::WrongToken(_) => (89, "Invalid or expired token."),
            _ => (32, "Could not authenticate you."),
        },
    };
    let mut response = twitter_error(status, code, message);
    // Twitter's body says little; the challenge says which check failed (OAuth Problem
    // Reporting), for people debugging against the local provider.
    if let Some(v) = crate::layer::challenge("local", r.oauth_problem(), r.acceptable_timestamps())
    {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    response
}

fn failure_response(failure: &VerifyFailure) -> Response {
    match failure {
        VerifyFailure::Rejected(r) => rejection_response(r),
        // Twitter's "Over capacity": the nonce store (a shared Redis) is not answering.
        _ => {
            let mut response = twitter_error(StatusCode::SERVICE_UNAVAILABLE, 130, "Over capacity");
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
    }
}

/// Reads the whole body: at most `body_limit` bytes (413), within `body_timeout` (408, and
/// the connection closes).
pub(crate) async fn read_body(app: &App, body: Body) -> Result<Bytes, Response> {
    let limit = app.body_limit;
    match tokio::time::timeout(app.body_timeout, Limited::new(body, limit).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large(limit)),
        Ok(Err(_)) => Err(rejection_response(&Rejection::BodyUnreadable)),
        Err(_) => Err((
            StatusCode::REQUEST_TIMEOUT,
            [(header::CONNECTION, HeaderValue::from_static("close"))],
        )
            .into_response()),
    }
}

/// Reads the whole request and verifies its signature.
pub(crate) async fn verified(
    app: &App,
    request: Request,
) -> Result<(Verified, http::request::Parts, Bytes), Response> {
    let (parts, body) = request.into_parts();
    let bytes = read_body(app, body).await?;
    let request = http::Request::from_parts(parts, bytes);
    match app.verifier.verify(&request, "http").await {
        Ok(v) => {
            let (parts, bytes) = request.into_parts();
            Ok((v, parts, bytes))
        }
        Err(failure) => Err(failure_response(&failure)),
    }
}

pub(crate) fn form_response(pairs: &[(&str, &str)]) -> Response {
    let body = pairs
        .iter()
        .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    (
        [(header::CONTENT_TYPE, "application/x-www-form-urlencoded")],
        body,
    )
        .into_response()
}

pub(crate) fn query_params(parts: &http::request::Parts) -> Vec<(String, String)> {
    parts
        .uri
        .query()
        .and_then(|q| form_decode_str(q).ok())
        .unwrap_or_default()
}

pub(crate) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The value of the signed form-body parameter `name` (never the query, never a body that is
/// not `application/x-www-form-urlencoded`: the signature covers only those).
pub(crate) fn signed_form_param(v: &Verified, name: &str) -> Option<String> {
    v.received
        .parameters()
        .find(|p| p.source == oauth1_core::Source::Body && p.name == name.as_bytes())
        .map(|p| String::from_utf8_lossy(p.value).into_owned())
}

async fn not_found() -> Response {
    twitter_error(
        StatusCode::NOT_FOUND,
        34,
        "Sorry, that page does not exist.",
    )
}

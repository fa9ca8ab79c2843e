//! The HTTP endpoints of the local provider.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http_body::Frame;
use oauth1_core::encode::{form_decode_str, percent_encode};
use oauth1_core::Secret;
use subtle::ConstantTimeEq;
use tokio::sync::mpsc;

use super::state::{random_token, Access, Store, Temporary};
use crate::store::{NonceStore, TokenKind};
use crate::verifier::{Rejection, Verified, Verifier, VerifyFailure};

/// The largest request body the provider reads.
const MAX_BODY: usize = 1024 * 1024;

pub(crate) struct App {
    pub(crate) verifier: Verifier<Arc<Store>, Arc<dyn NonceStore>>,
    pub(crate) store: Arc<Store>,
    pub(crate) auto_approve: bool,
    pub(crate) app_name: String,
    pub(crate) next_id: AtomicU64,
}

pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/oauth/request_token", post(request_token))
        .route(
            "/oauth/authorize",
            get(authorize_page).post(authorize_decision),
        )
        .route("/oauth/authenticate", get(authenticate_page))
        .route("/oauth/access_token", post(access_token))
        .route("/1.1/oauth/invalidate_token", post(invalidate_token))
        .route(
            "/1.1/account/verify_credentials.json",
            get(verify_credentials),
        )
        .route("/1.1/statuses/update.json", post(update))
        .route("/2/tweets", post(tweet))
        .route("/1.1/statuses/stream.json", get(stream))
        .fallback(not_found)
        .layer(axum::middleware::map_response(add_date))
        .with_state(app)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

async fn add_date(mut response: Response) -> Response {
    if let Ok(v) = HeaderValue::from_str(&crate::date::http_date(now())) {
        response.headers_mut().insert(header::DATE, v);
    }
    response
}

/// A Twitter-shaped error.
fn twitter_error(status: StatusCode, code: u32, message: &str) -> Response {
    let body = serde_json::json!({"errors": [{"code": code, "message": message}]});
    (status, axum::Json(body)).into_response()
}

fn rejection_response(r: &Rejection) -> Response {
    let mut response = match r {
        Rejection::NotSigned => {
            twitter_error(StatusCode::BAD_REQUEST, 215, "Bad Authentication data.")
        }
        Rejection::StaleTimestamp { .. } => {
            twitter_error(StatusCode::UNAUTHORIZED, 135, "Timestamp out of bounds.")
        }
        Rejection::UnknownToken | Rejection::WrongToken(_) => {
            twitter_error(StatusCode::UNAUTHORIZED, 89, "Invalid or expired token.")
        }
        Rejection::BodyTooLarge { .. } => {
            twitter_error(StatusCode::PAYLOAD_TOO_LARGE, 38, "Request body too large.")
        }
        _ => twitter_error(StatusCode::UNAUTHORIZED, 32, "Could not authenticate you."),
    };
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

/// Reads the whole request and verifies its signature.
async fn verified(
    app: &App,
    request: Request,
) -> Result<(Verified, http::request::Parts, Bytes), Response> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| rejection_response(&Rejection::BodyTooLarge { limit: MAX_BODY }))?;
    let request = http::Request::from_parts(parts, bytes);
    match app.verifier.verify(&request, "http").await {
        Ok(v) => {
            let (parts, bytes) = request.into_parts();
            Ok((v, parts, bytes))
        }
        Err(failure) => Err(failure_response(&failure)),
    }
}

fn form_response(pairs: &[(&str, &str)]) -> Response {
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

fn query_params(parts: &http::request::Parts) -> Vec<(String, String)> {
    parts
        .uri
        .query()
        .and_then(|q| form_decode_str(q).ok())
        .unwrap_or_default()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

async fn request_token(State(app): State<Arc<App>>, request: Request) -> Response {
    let (v, _, _) = match verified(&app, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if v.token.is_some() {
        return rejection_response(&Rejection::WrongToken("no token"));
    }
    let Some(callback) = v.received.callback().map(str::to_owned) else {
        return twitter_error(
            StatusCode::BAD_REQUEST,
            215,
            "Bad Authentication data: oauth_callback is required.",
        );
    };
    if callback != "oob" && !callback.starts_with("http://") && !callback.starts_with("https://") {
        return twitter_error(
            StatusCode::FORBIDDEN,
            415,
            "Callback URL not approved for this client application.",
        );
    }
    let token = random_token(32);
    let secret = random_token(40);
    app.store.insert_temporary(
        token.clone(),
        Temporary {
            consumer_key: v.consumer_key,
            secret: Secret::new(secret.as_str()),
            callback,
            created: std::time::Instant::now(),
            approved: None,
        },
    );
    form_response(&[
        ("oauth_token", &token),
        ("oauth_token_secret", &secret),
        ("oauth_callback_confirmed", "true"),
    ])
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n{body}\n</body></html>\n",
        title = escape(title)
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Approves `token` for `user`: the redirect to the callback, or the PIN page (oob).
fn approve(app: &App, token: &str, user: usize) -> Response {
    let verifier = random_token(20);
    let callback = {
        let Ok(mut map) = app.store.temporary.lock() else {
            return twitter_error(StatusCode::INTERNAL_SERVER_ERROR, 131, "Internal error.");
        };
        let Some(t) = map.get_mut(token) else {
            return invalid_token_page();
        };
        t.approved = Some((verifier.clone(), user));
        t.callback.clone()
    };
    if callback == "oob" {
        let body = format!(
            "<p>You authorized {}. Type this PIN into the application:</p>\n<p><code id=\"pin\">{}</code></p>",
            escape(&app.app_name),
            escape(&verifier)
        );
        return html(StatusCode::OK, "Authorized", &body);
    }
    redirect(&crate::local::with_query(
        &callback,
        &[("oauth_token", token), ("oauth_verifier", &verifier)],
    ))
}

fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::FOUND, [(header::LOCATION, v)]).into_response(),
        Err(_) => html(
            StatusCode::BAD_REQUEST,
            "Bad callback",
            "<p>The callback URL cannot be used.</p>",
        ),
    }
}

fn invalid_token_page() -> Response {
    html(
        StatusCode::BAD_REQUEST,
        "Invalid request token",
        "<p>This request token is invalid, expired, or already used. Go back to the application and start again.</p>",
    )
}

async fn authorize_page(State(app): State<Arc<App>>, request: Request) -> Response {
    page(&app, &query_params(&request.into_parts().0), false)
}

async fn authenticate_page(State(app): State<Arc<App>>, request: Request) -> Response {
    page(&app, &query_params(&request.into_parts().0), true)
}

/// The authorize (or authenticate) page: Allow and Deny, or straight through with
/// auto-approve (and, for authenticate, unless `force_login=true`... which only matters for a
/// person at the page: auto-approve always goes straight through).
fn page(app: &App, params: &[(String, String)], authenticate: bool) -> Response {
    let Some(token) = param(params, "oauth_token") else {
        return html(
            StatusCode::BAD_REQUEST,
            "Missing oauth_token",
            "<p>The authorization URL has no <code>oauth_token</code>.</p>",
        );
    };
    if app.store.temporary(token).is_none() {
        return invalid_token_page();
    }
    let user = param(params, "screen_name")
        .and_then(|n| app.store.user_named(n))
        .unwrap_or(0);
    if app.auto_approve {
        return approve(app, token, user);
    }
    let screen_name = app
        .store
        .users
        .get(user)
        .map_or("", |u| u.screen_name.as_str());
    let verb = if authenticate {
        "Sign in to"
    } else {
        "Authorize"
    };
    let body = format!(
        "<p><strong>{app_name}</strong> wants to use your account <strong>@{user}</strong>.</p>\n\
         <form method=\"post\" action=\"/oauth/authorize\">\n\
         <input type=\"hidden\" name=\"oauth_token\" value=\"{token}\">\n\
         <input type=\"hidden\" name=\"screen_name\" value=\"{user}\">\n\
         <button type=\"submit\" id=\"allow\" name=\"decision\" value=\"allow\">Allow</button>\n\
         <button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>\n\
         </form>",
        app_name = escape(&app.app_name),
        user = escape(screen_name),
        token = escape(token),
    );
    html(StatusCode::OK, &format!("{verb} {}", app.app_name), &body)
}

async fn authorize_decision(State(app): State<Arc<App>>, request: Request) -> Response {
    let Ok(bytes) = axum::body::to_bytes(request.into_body(), MAX_BODY).await else {
        return html(StatusCode::PAYLOAD_TOO_LARGE, "Too large", "");
    };
    let params = form_decode_str(&String::from_utf8_lossy(&bytes)).unwrap_or_default();
    let Some(token) = param(&params, "oauth_token") else {
        return invalid_token_page();
    };
    let Some(temporary) = app.store.temporary(token) else {
        return invalid_token_page();
    };
    match param(&params, "decision") {
        Some("allow") => {
            let user = param(&params, "screen_name")
                .and_then(|n| app.store.user_named(n))
                .unwrap_or(0);
            approve(&app, token, user)
        }
        Some("deny") => {
            if let Ok(mut map) = app.store.temporary.lock() {
                map.remove(token);
            }
            if temporary.callback == "oob" {
                html(
                    StatusCode::OK,
                    "Access denied",
                    "<p id=\"denied\">You denied the application access.</p>",
                )
            } else {
                redirect(&crate::local::with_query(
                    &temporary.callback,
                    &[("denied", token)],
                ))
            }
        }
        _ => html(
            StatusCode::BAD_REQUEST,
            "Bad decision",
            "<p>Choose Allow or Deny.</p>",
        ),
    }
}

async fn access_token(State(app): State<Arc<App>>, request: Request) -> Response {
    let (v, _, body) = match verified(&app, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let form = form_decode_str(&String::from_utf8_lossy(&body)).unwrap_or_default();
    if param(&form, "x_auth_mode").is_some() {
        return xauth(&app, &v, &form);
    }
    let Some((token, TokenKind::Temporary)) = &v.token else {
        return rejection_response(&Rejection::WrongToken("a request token"));
    };
    let Some(received_verifier) = v.received.verifier() else {
        return twitter_error(
            StatusCode::UNAUTHORIZED,
            32,
            "Could not authenticate you: oauth_verifier is required.",
        );
    };
    // Single use: the request token goes now, whatever happens next.
    let temporary = app
        .store
        .temporary
        .lock()
        .ok()
        .and_then(|mut m| m.remove(token));
    let Some(temporary) = temporary else {
        return rejection_response(&Rejection::UnknownToken);
    };
    let Some((verifier, user)) = temporary.approved else {
        return twitter_error(
            StatusCode::UNAUTHORIZED,
            32,
            "Could not authenticate you: the request token was not authorized.",
        );
    };
    if !bool::from(verifier.as_bytes().ct_eq(received_verifier.as_bytes())) {
        return twitter_error(
            StatusCode::UNAUTHORIZED,
            32,
            "Could not authenticate you: invalid oauth_verifier.",
        );
    }
    issue_access(&app, v.consumer_key, user)
}

fn xauth(app: &App, v: &Verified, form: &[(String, String)]) -> Response {
    if v.token.is_some() || param(form, "x_auth_mode") != Some("client_auth") {
        return twitter_error(
            StatusCode::BAD_REQUEST,
            215,
            "Bad Authentication data: xAuth needs x_auth_mode=client_auth and no token.",
        );
    }
    let (Some(name), Some(password)) = (
        param(form, "x_auth_username"),
        param(form, "x_auth_password"),
    ) else {
        return twitter_error(
            StatusCode::BAD_REQUEST,
            215,
            "Bad Authentication data: x_auth_username and x_auth_password are required.",
        );
    };
    let user = app.store.user_named(name).filter(|&i| {
        app.store
            .users
            .get(i)
            .is_some_and(|u| bool::from(u.password.secret().as_bytes().ct_eq(password.as_bytes())))
    });
    match user {
        Some(user) => issue_access(app, v.consumer_key.clone(), user),
        None => twitter_error(
            StatusCode::UNAUTHORIZED,
            32,
            "Could not authenticate you: wrong username or password.",
        ),
    }
}

fn issue_access(app: &App, consumer_key: String, user: usize) -> Response {
    let token = format!(
        "{}-{}",
        app.store.users.get(user).map_or(0, |u| u.id),
        random_token(32)
    );
    let secret = random_token(40);
    if let Ok(mut map) = app.store.access.lock() {
        map.insert(
            token.clone(),
            Access {
                consumer_key,
                secret: Secret::new(secret.as_str()),
                user,
            },
        );
    }
    let (id, name) = app
        .store
        .users
        .get(user)
        .map_or((0, ""), |u| (u.id, u.screen_name.as_str()));
    form_response(&[
        ("oauth_token", &token),
        ("oauth_token_secret", &secret),
        ("user_id", &id.to_string()),
        ("screen_name", name),
    ])
}

/// The user behind a request signed with an access token.
async fn resource(
    app: &App,
    request: Request,
) -> Result<(usize, String, http::request::Parts, Bytes, Verified), Response> {
    let (v, parts, body) = verified(app, request).await?;
    let Some((token, TokenKind::Access)) = &v.token else {
        return Err(rejection_response(&Rejection::WrongToken(
            "an access token",
        )));
    };
    let access = app
        .store
        .access
        .lock()
        .ok()
        .and_then(|m| m.get(token).cloned());
    let Some(access) = access else {
        return Err(rejection_response(&Rejection::UnknownToken));
    };
    Ok((access.user, token.clone(), parts, body, v))
}

fn user_json(app: &App, user: usize) -> serde_json::Value {
    let (id, name) = app
        .store
        .users
        .get(user)
        .map_or((0, ""), |u| (u.id, u.screen_name.as_str()));
    serde_json::json!({"id": id, "id_str": id.to_string(), "screen_name": name, "name": name})
}

async fn invalidate_token(State(app): State<Arc<App>>, request: Request) -> Response {
    let (_, token, ..) = match resource(&app, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if let Ok(mut map) = app.store.access.lock() {
        map.remove(&token);
    }
    axum::Json(serde_json::json!({"access_token": token})).into_response()
}

async fn verify_credentials(State(app): State<Arc<App>>, request: Request) -> Response {
    match resource(&app, request).await {
        Ok((user, ..)) => axum::Json(user_json(&app, user)).into_response(),
        Err(r) => r,
    }
}

async fn update(State(app): State<Arc<App>>, request: Request) -> Response {
    let (user, _, _, _, v) = match resource(&app, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // The status is a signed form parameter.
    let status = v
        .received
        .parameters()
        .find(|p| p.source == oauth1_core::Source::Body && p.name == b"status")
        .map(|p| String::from_utf8_lossy(p.value).into_owned());
    let Some(text) = status else {
        return twitter_error(
            StatusCode::FORBIDDEN,
            170,
            "Missing required parameter: status.",
        );
    };
    let id = app.next_id.fetch_add(1, Ordering::Relaxed);
    axum::Json(serde_json::json!({"id": id, "id_str": id.to_string(), "text": text, "user": user_json(&app, user)})).into_response()
}

async fn tweet(State(app): State<Arc<App>>, request: Request) -> Response {
    let (_, _, _, body, _) = match resource(&app, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let text = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|j| j.get("text").and_then(|t| t.as_str()).map(str::to_owned));
    let Some(text) = text else {
        let problem = serde_json::json!({"title": "Invalid Request", "detail": "The body must be JSON with a `text` string.", "type": "https://api.x.com/2/problems/invalid-request"});
        return (StatusCode::BAD_REQUEST, axum::Json(problem)).into_response();
    };
    let id = app.next_id.fetch_add(1, Ordering::Relaxed).to_string();
    (
        StatusCode::CREATED,
        axum::Json(serde_json::json!({"data": {"id": id, "text": text}})),
    )
        .into_response()
}

/// A response body fed by a channel, flushed piece by piece.
struct ChannelBody(mpsc::Receiver<Bytes>);

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|o| o.map(|b| Ok(Frame::data(b))))
    }
}

async fn stream(State(app): State<Arc<App>>, request: Request) -> Response {
    let (user, _, parts, ..) = match resource(&app, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let params = query_params(&parts);
    let count = param(&params, "count").and_then(|c| c.parse::<u64>().ok());
    let screen_name = app
        .store
        .users
        .get(user)
        .map_or(String::new(), |u| u.screen_name.clone());
    let (tx, rx) = mpsc::channel::<Bytes>(16);
    tokio::spawn(async move {
        let mut i = 0u64;
        while count.is_none_or(|c| i < c) {
            let line =
                serde_json::json!({"id": i, "text": format!("tweet {i} for @{screen_name}")});
            let mut bytes = line.to_string().into_bytes();
            bytes.extend_from_slice(b"\r\n");
            if tx.send(Bytes::from(bytes)).await.is_err() {
                return; // The client went away.
            }
            i += 1;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        Body::new(ChannelBody(rx)),
    )
        .into_response()
}

async fn not_found() -> Response {
    twitter_error(
        StatusCode::NOT_FOUND,
        34,
        "Sorry, that page does not exist.",
    )
}

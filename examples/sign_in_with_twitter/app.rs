//! The web app: "Sign in with Twitter", the request token parked in a server-side session,
//! the callback checked, the user shown, logout.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use oauth1_flow::{AccessToken, Callback, Error, Flow, RequestToken};
use oauth1_provider_twitter::Twitter;
use oauth1_transport_reqwest::ReqwestTransport;

/// What the server remembers about one browser. Server-side, so the request token's secret
/// never leaves the server (the cookie holds only a random id).
#[derive(Default)]
struct Session {
    /// The dance in progress: parked between the redirect and the callback.
    parked: Option<RequestToken>,
    /// The signed-in user and their token.
    user: Option<(String, AccessToken)>,
}

/// The application state.
pub struct App {
    flow: Flow<Twitter>,
    transport: ReqwestTransport,
    /// The app's own base URL, for the callback.
    base_url: String,
    sessions: Mutex<HashMap<String, Session>>,
}

impl App {
    /// An app at `base_url` signing in through `flow`.
    pub fn new(flow: Flow<Twitter>, base_url: String) -> Arc<App> {
        Arc::new(App {
            flow,
            transport: ReqwestTransport::new(),
            base_url,
            sessions: Mutex::new(HashMap::new()),
        })
    }
}

/// The routes.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login))
        .route("/callback", get(callback))
        .route("/logout", post(logout))
        .with_state(app)
}

fn page(status: StatusCode, body: &str) -> Response {
    let html = format!("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in with Twitter: example</title></head>\n<body>\n{body}\n</body></html>\n");
    (status, Html(html)).into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix("sid="))
        .map(str::to_owned)
        .next()
}

fn new_session_id() -> Result<String, Error> {
    Ok(oauth1_core::nonce::random_nonce()?)
}

fn redirect(to: &str, cookie: Option<&str>) -> Response {
    let mut response = (StatusCode::FOUND, [(header::LOCATION, to.to_owned())]).into_response();
    if let Some(sid) = cookie {
        if let Ok(v) = HeaderValue::from_str(&format!("sid={sid}; HttpOnly; SameSite=Lax; Path=/"))
        {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    response
}

async fn home(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let user = session_id(&headers).and_then(|sid| {
        let sessions = app.sessions.lock().ok()?;
        sessions
            .get(&sid)?
            .user
            .as_ref()
            .map(|(name, _)| name.clone())
    });
    match user {
        Some(name) => page(
            StatusCode::OK,
            &format!(
                "<p>Signed in as <strong id=\"user\">@{}</strong></p>\n<form method=\"post\" action=\"/logout\"><button id=\"logout\" type=\"submit\">Log out</button></form>",
                escape(&name)
            ),
        ),
        None => page(
            StatusCode::OK,
            "<p id=\"anonymous\">You are not signed in.</p>\n<p><a id=\"signin\" href=\"/login\">Sign in with Twitter</a></p>",
        ),
    }
}

async fn login(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let (sid, fresh) = match session_id(&headers) {
        Some(sid) => (sid, false),
        None => match new_session_id() {
            Ok(sid) => (sid, true),
            Err(e) => {
                return page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &format!("<p id=\"error\">{}</p>", escape(&e.to_string())),
                )
            }
        },
    };
    let callback = Callback::Url(format!("{}/callback", app.base_url));
    let request_token = match app.flow.request_token(&app.transport, callback).await {
        Ok(t) => t,
        Err(e) => {
            return page(
                StatusCode::BAD_GATEWAY,
                &format!(
                    "<p id=\"error\">Twitter refused to start the sign-in: {}</p>",
                    escape(&e.to_string())
                ),
            )
        }
    };
    let url = match request_token.authenticate_url(&app.flow, &[]) {
        Ok(u) => u,
        Err(e) => {
            return page(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("<p id=\"error\">{}</p>", escape(&e.to_string())),
            )
        }
    };
    if let Ok(mut sessions) = app.sessions.lock() {
        sessions.entry(sid.clone()).or_default().parked = Some(request_token);
    }
    redirect(&url, fresh.then_some(sid.as_str()))
}

async fn callback(State(app): State<Arc<App>>, request: Request) -> Response {
    let Some(sid) = session_id(request.headers()) else {
        return page(
            StatusCode::BAD_REQUEST,
            "<p id=\"error\">No sign-in in progress (no session).</p>",
        );
    };
    let parked = app
        .sessions
        .lock()
        .ok()
        .and_then(|s| s.get(&sid).and_then(|s| s.parked.clone()));
    let Some(request_token) = parked else {
        return page(
            StatusCode::BAD_REQUEST,
            "<p id=\"error\">No sign-in in progress.</p>",
        );
    };
    let verifier = match request_token.verifier_from_callback(&request.uri().to_string()) {
        Ok(v) => v,
        Err(Error::Denied) => {
            if let Ok(mut s) = app.sessions.lock() {
                s.remove(&sid);
            }
            return page(StatusCode::FORBIDDEN, "<p id=\"error\">You did not allow the app: not signed in.</p><p><a href=\"/\">Home</a></p>");
        }
        Err(Error::TokenMismatch) => {
            return page(StatusCode::BAD_REQUEST, "<p id=\"error\">This callback does not belong to your sign-in (tampered or stale): refused.</p><p><a href=\"/\">Home</a></p>");
        }
        Err(e) => {
            return page(
                StatusCode::BAD_REQUEST,
                &format!("<p id=\"error\">{}</p>", escape(&e.to_string())),
            )
        }
    };
    let token = match app.flow.access_token(&app.transport, &verifier).await {
        Ok(t) => t,
        Err(e) => {
            return page(
                StatusCode::BAD_GATEWAY,
                &format!("<p id=\"error\">{}</p>", escape(&e.to_string())),
            )
        }
    };
    let name = token.field("screen_name").unwrap_or("?").to_owned();
    if let Ok(mut sessions) = app.sessions.lock() {
        let session = sessions.entry(sid).or_default();
        session.parked = None;
        session.user = Some((name, token));
    }
    redirect("/", None)
}

async fn logout(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let (Some(sid), Ok(mut sessions)) = (session_id(&headers), app.sessions.lock()) {
        sessions.remove(&sid);
    }
    redirect("/", None)
}

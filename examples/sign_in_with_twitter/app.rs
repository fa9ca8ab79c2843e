//! The web app: "Sign in with Twitter", the request token parked in a server-side session,
//! the callback checked, the user shown, logout.
//!
//! # Sessions
//!
//! The browser holds only a session id, in the `sid` cookie; the tokens stay on the server.
//!
//! - **The server issues every id**: letters and digits from the OS random source, over 128
//!   bits (oauth1-core's `random_nonce`); if the source fails, no session is started. A `sid` the server did not issue, or one that has
//!   expired, counts as no session and is never adopted, so a cookie planted in a victim's
//!   browser (session fixation) leads nowhere.
//! - **The id changes at sign-in**: the callback drops the pending session and hands out a new
//!   id for the signed-in one. An id known before sign-in is worthless after it.
//! - **The cookie** is `HttpOnly` (scripts cannot read it), `SameSite=Lax` (sent on the
//!   top-level redirect back from Twitter, not on another site's POST), `Path=/`, with a
//!   `Max-Age` of the session's lifetime, and `Secure` when the app's base URL is https.
//! - **Logout** is a POST. `SameSite=Lax` already keeps the cookie off another site's form;
//!   a POST whose `Origin` is not the app's is refused too.
//! - **Expiry**: a sign-in in progress lives [`PENDING_LIFETIME`], a signed-in session
//!   [`SIGNED_IN_LIFETIME`] from sign-in (use does not extend it). Expired sessions are
//!   ignored when looked up and swept at every `/login`, the only place that creates sessions.
//! - **Caps**: each new sign-in costs one request-token call to Twitter, so at most
//!   [`MAX_PENDING`] may be in progress at once, and [`MAX_SESSIONS`] sessions exist in all.
//!   A place is reserved before the call, so concurrent hits cannot overshoot. When a cap is
//!   reached `/login` answers 503 rather than evicting anyone: evicting the oldest would let a
//!   flood cut off real sign-ins and still cost one outgoing call per hit. A browser that
//!   clicks "Sign in" again while its sign-in is pending goes back to the same Twitter page
//!   with no new call. So any number of cookie-less `/login` hits cost at most
//!   [`MAX_PENDING`] calls per [`PENDING_LIFETIME`]. Such a flood can still keep new visitors
//!   out until it expires: in production, rate-limit per client in front of the app.
//!
//! The store is a map in memory: one process, emptied by a restart. To run several, keep the
//! sessions in a shared store (a database, Redis) under the same rules.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use oauth1_flow::{AccessToken, Callback, Error, Flow, RequestToken};
use oauth1_provider_twitter::Twitter;
use oauth1_transport_reqwest::ReqwestTransport;

/// How long a sign-in may take from "Sign in" to the callback.
pub const PENDING_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// How long a sign-in lasts.
pub const SIGNED_IN_LIFETIME: Duration = Duration::from_secs(8 * 60 * 60);
/// Sign-ins in progress at once, all visitors together (each cost a call to Twitter).
pub const MAX_PENDING: usize = 1_000;
/// Sessions in all, signed in or not.
pub const MAX_SESSIONS: usize = 10_000;

/// The cookie that holds the session id.
const COOKIE: &str = "sid";

/// Session lifetimes and caps: the constants above by default (the tests shorten them).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// See [`PENDING_LIFETIME`].
    pub pending_lifetime: Duration,
    /// See [`SIGNED_IN_LIFETIME`].
    pub signed_in_lifetime: Duration,
    /// See [`MAX_PENDING`].
    pub max_pending: usize,
    /// See [`MAX_SESSIONS`].
    pub max_sessions: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            pending_lifetime: PENDING_LIFETIME,
            signed_in_lifetime: SIGNED_IN_LIFETIME,
            max_pending: MAX_PENDING,
            max_sessions: MAX_SESSIONS,
        }
    }
}

/// Where one browser is in the sign-in.
enum Stage {
    /// `/login` holds this place while it asks Twitter for a request token.
    Starting,
    /// Between the redirect to Twitter and the callback: the request token is parked here.
    Pending(RequestToken),
    /// Signed in: the user's token (a real app calls the API with it).
    SignedIn(AccessToken),
}

/// What the server remembers about one browser.
struct Session {
    stage: Stage,
    expires: Instant,
}

/// The application state.
pub struct App {
    flow: Flow<Twitter>,
    transport: ReqwestTransport,
    /// The app's own base URL, for the callback.
    base_url: String,
    /// The `Origin` its pages send.
    origin: String,
    /// Whether cookies get `Secure` (the base URL is https).
    secure: bool,
    limits: Limits,
    /// Session id → session. Only ids made by [`new_session_id`] are ever keys.
    sessions: Mutex<HashMap<String, Session>>,
}

impl App {
    /// An app at `base_url` (its public address: `https://…` behind a TLS proxy) signing in
    /// through `flow`, with the default [`Limits`].
    pub fn new(flow: Flow<Twitter>, base_url: String) -> Arc<App> {
        App::with_limits(flow, base_url, Limits::default())
    }

    /// An app with its own session lifetimes and caps.
    pub fn with_limits(flow: Flow<Twitter>, base_url: String, limits: Limits) -> Arc<App> {
        let base_url = base_url.trim_end_matches('/').to_owned();
        Arc::new(App {
            flow,
            transport: ReqwestTransport::new(),
            origin: origin(&base_url).to_owned(),
            secure: is_https(&base_url),
            base_url,
            limits,
            sessions: Mutex::new(HashMap::new()),
        })
    }

    fn sessions(&self) -> MutexGuard<'_, HashMap<String, Session>> {
        // Every change under the lock is one insert, remove or assignment: the map is whole
        // even if a thread panicked while holding it.
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many sessions the server holds, expired ones not yet swept included.
    #[cfg(test)]
    pub fn session_count(&self) -> usize {
        self.sessions().len()
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

/// `scheme://host[:port]` of `url`.
fn origin(url: &str) -> &str {
    let host = url.find("://").map_or(0, |i| i + 3);
    match url[host..].find('/') {
        Some(path) => &url[..host + path],
        None => url,
    }
}

fn is_https(url: &str) -> bool {
    url.get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}

/// A fresh session id: letters and digits from the OS random source, over 128 bits (an error
/// when the source fails: then no session).
fn new_session_id() -> Result<String, oauth1_core::Error> {
    oauth1_core::nonce::random_nonce()
}

/// The `Set-Cookie` value that gives the browser session `sid` for `max_age`; an empty `sid`
/// and a zero `max_age` delete the cookie.
fn session_cookie(sid: &str, max_age: Duration, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={sid}; Max-Age={}; Path=/; HttpOnly; SameSite=Lax{secure}",
        max_age.as_secs()
    )
}

/// The session id the browser sent, if any: only a key to look up, never trusted as such.
fn cookie_sid(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix("sid="))
        .map(str::to_owned)
        .next()
}

/// The session `sid`, unless it does not exist or has expired (then it is removed).
fn live<'a>(
    sessions: &'a mut HashMap<String, Session>,
    sid: &str,
    now: Instant,
) -> Option<&'a mut Session> {
    if sessions.get(sid).is_some_and(|s| now >= s.expires) {
        sessions.remove(sid);
    }
    sessions.get_mut(sid)
}

/// A page of the app. Pages show who is signed in: no cache (a shared proxy, the browser's back
/// button after logout) may keep them, and no other site may frame them.
fn page(status: StatusCode, body: &str) -> Response {
    let html = format!("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in with Twitter: example</title></head>\n<body>\n{body}\n</body></html>\n");
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
        Html(html),
    )
        .into_response()
}

fn error_page(status: StatusCode, message: &str) -> Response {
    page(
        status,
        &format!(
            "<p id=\"error\">{}</p><p><a href=\"/\">Home</a></p>",
            escape(message)
        ),
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `response` with `Set-Cookie: cookie`.
fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

fn redirect(to: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to.to_owned())]).into_response()
}

async fn home(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let user = cookie_sid(&headers).and_then(|sid| {
        let mut sessions = app.sessions();
        match &live(&mut sessions, &sid, Instant::now())?.stage {
            Stage::SignedIn(token) => Some(token.field("screen_name").unwrap_or("?").to_owned()),
            _ => None,
        }
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
    let now = Instant::now();
    let pending = {
        let mut sessions = app.sessions();
        sessions.retain(|_, s| now < s.expires);
        match cookie_sid(&headers).and_then(|sid| sessions.get(&sid).map(|s| &s.stage)) {
            // Already signed in.
            Some(Stage::SignedIn(_)) => return redirect("/"),
            Some(Stage::Pending(request_token)) => Some(request_token.clone()),
            // No browser holds a starting session's id yet: its cookie is set when it is parked.
            Some(Stage::Starting) | None => None,
        }
    };
    // Clicked again while pending: the same Twitter page, no new request token.
    if let Some(request_token) = pending {
        return match request_token.authenticate_url(&app.flow, &[]) {
            Ok(url) => redirect(&url),
            Err(e) => error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                &oauth1_core::Chain(&e).to_string(),
            ),
        };
    }

    // A new session, and its place taken under the caps before Twitter is called.
    let Ok(sid) = new_session_id() else {
        return error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "No secure random numbers to start a session: try again later.",
        );
    };
    {
        let mut sessions = app.sessions();
        let pending = sessions
            .values()
            .filter(|s| !matches!(s.stage, Stage::SignedIn(_)))
            .count();
        if pending >= app.limits.max_pending || sessions.len() >= app.limits.max_sessions {
            let mut busy = error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Too many sign-ins in progress: try again in a few minutes.",
            );
            busy.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            return busy;
        }
        let expires = now + app.limits.pending_lifetime;
        sessions.insert(
            sid.clone(),
            Session {
                stage: Stage::Starting,
                expires,
            },
        );
    }

    let callback = Callback::Url(format!("{}/callback", app.base_url));
    let started = match app.flow.request_token(&app.transport, callback).await {
        Ok(request_token) => request_token
            .authenticate_url(&app.flow, &[])
            .map(|url| (request_token, url)),
        Err(e) => Err(e),
    };
    let (request_token, url) = match started {
        Ok(started) => started,
        Err(e) => {
            app.sessions().remove(&sid);
            return error_page(
                StatusCode::BAD_GATEWAY,
                &format!(
                    "Twitter refused to start the sign-in: {}",
                    oauth1_core::Chain(&e)
                ),
            );
        }
    };
    // Parked, unless a sweep took the session meanwhile (the call outlasted its lifetime).
    match app.sessions().get_mut(&sid) {
        Some(session) => session.stage = Stage::Pending(request_token),
        None => {
            return error_page(
                StatusCode::GATEWAY_TIMEOUT,
                "Twitter took too long to answer: try again.",
            )
        }
    }
    let cookie = session_cookie(&sid, app.limits.pending_lifetime, app.secure);
    with_cookie(redirect(&url), &cookie)
}

async fn callback(State(app): State<Arc<App>>, request: Request) -> Response {
    let sid = cookie_sid(request.headers());
    let parked = sid.as_deref().and_then(|sid| {
        let mut sessions = app.sessions();
        match &live(&mut sessions, sid, Instant::now())?.stage {
            Stage::Pending(request_token) => Some(request_token.clone()),
            _ => None,
        }
    });
    let (Some(sid), Some(request_token)) = (sid, parked) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "No sign-in in progress (or it expired): start again from the home page.",
        );
    };
    let gone = session_cookie("", Duration::ZERO, app.secure);
    let verifier = match request_token.verifier_from_callback(&request.uri().to_string()) {
        Ok(v) => v,
        Err(Error::Denied) => {
            app.sessions().remove(&sid);
            let denied = error_page(
                StatusCode::FORBIDDEN,
                "You did not allow the app: not signed in.",
            );
            return with_cookie(denied, &gone);
        }
        // The session stays: the real callback may still come.
        Err(Error::TokenMismatch) => {
            return error_page(
                StatusCode::BAD_REQUEST,
                "This callback does not belong to your sign-in (tampered or stale): refused.",
            );
        }
        Err(e) => return error_page(StatusCode::BAD_REQUEST, &oauth1_core::Chain(&e).to_string()),
    };
    let token = match app.flow.access_token(&app.transport, &verifier).await {
        Ok(t) => t,
        Err(e) => {
            app.sessions().remove(&sid);
            return with_cookie(
                error_page(StatusCode::BAD_GATEWAY, &oauth1_core::Chain(&e).to_string()),
                &gone,
            );
        }
    };

    // Signed in: under a new id. The pending session goes, and with it the old id.
    let Ok(new_sid) = new_session_id() else {
        app.sessions().remove(&sid);
        return error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "No secure random numbers to start a session: try again later.",
        );
    };
    {
        let mut sessions = app.sessions();
        // Still this sign-in? Not logged out or finished by another request meanwhile.
        let Some(Session {
            stage: Stage::Pending(_),
            ..
        }) = sessions.remove(&sid)
        else {
            return error_page(StatusCode::BAD_REQUEST, "No sign-in in progress.");
        };
        let expires = Instant::now() + app.limits.signed_in_lifetime;
        sessions.insert(
            new_sid.clone(),
            Session {
                stage: Stage::SignedIn(token),
                expires,
            },
        );
    }
    let cookie = session_cookie(&new_sid, app.limits.signed_in_lifetime, app.secure);
    with_cookie(redirect("/"), &cookie)
}

async fn logout(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    // Browsers send `Origin` with every POST; a form on another site is refused.
    if let Some(from) = headers.get(header::ORIGIN) {
        if from.as_bytes() != app.origin.as_bytes() {
            return error_page(StatusCode::FORBIDDEN, "Log out from the app's own page.");
        }
    }
    if let Some(sid) = cookie_sid(&headers) {
        app.sessions().remove(&sid);
    }
    with_cookie(
        redirect("/"),
        &session_cookie("", Duration::ZERO, app.secure),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_on_https() {
        assert_eq!(
            session_cookie("abc", Duration::from_secs(600), false),
            "sid=abc; Max-Age=600; Path=/; HttpOnly; SameSite=Lax"
        );
        assert_eq!(
            session_cookie("abc", Duration::from_secs(600), true),
            "sid=abc; Max-Age=600; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(is_https("https://app.example"));
        assert!(is_https("HTTPS://app.example"));
        assert!(!is_https("http://127.0.0.1:3000"));
    }

    #[test]
    fn origin_is_scheme_host_and_port() {
        assert_eq!(origin("https://app.example/"), "https://app.example");
        assert_eq!(origin("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
        assert_eq!(origin("https://app.example/login/x"), "https://app.example");
    }

    #[test]
    fn session_ids_are_fresh_and_long() {
        let (a, b) = (new_session_id(), new_session_id());
        let (Ok(a), Ok(b)) = (a, b) else {
            panic!("the OS random source failed");
        };
        assert_ne!(a, b);
        // Each of 62 letters and digits carries log2(62) > 5.95 bits: 22 of them, over 128.
        assert!(a.len() >= 22, "{} characters", a.len());
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
    }
}

//! The pages a person sees: authorize/authenticate with Allow and Deny, the PIN page, and the
//! error pages. The form carries a CSRF token bound to the request token; a post from another
//! origin is refused; no page can be framed.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oauth1_core::encode::form_decode_str;
use subtle::ConstantTimeEq;

use super::routes::{param, query_params, read_body, App};

/// The form field that carries the CSRF token.
const CSRF_FIELD: &str = "csrf_token";

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n{body}\n</body></html>\n",
        title = escape(title)
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // No page of the provider can be framed (clickjacking on Allow).
            (header::X_FRAME_OPTIONS, "DENY"),
            (
                header::CONTENT_SECURITY_POLICY,
                "frame-ancestors 'none'; default-src 'none'",
            ),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
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
    let verifier = match app.random_token(20) {
        Ok(v) => v,
        Err(e) => return super::routes::no_randomness(e),
    };
    let callback = match app.store.approve_temporary(token, verifier.clone(), user) {
        Ok(Some(callback)) => callback,
        // Unknown, or expired on the provider's clock.
        Ok(None) => return invalid_token_page(),
        Err(_) => {
            return super::routes::twitter_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                131,
                "Internal error.",
            )
        }
    };
    if callback == "oob" {
        let body = format!(
            "<p>You authorized {}. Type this PIN into the application:</p>\n<p><code id=\"pin\">{}</code></p>",
            escape(&app.app_name),
            escape(&verifier)
        );
        return html(StatusCode::OK, "Authorized", &body);
    }
    redirect(&super::with_query(
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

fn forbidden_page(why: &str) -> Response {
    html(
        StatusCode::FORBIDDEN,
        "Request refused",
        &format!("<p id=\"refused\">{}</p>", escape(why)),
    )
}

/// Whether `Host` names this provider by an IP address or `localhost`, on its port: a page
/// reached through another name (DNS rebinding) is refused, so that no other site can read
/// the CSRF token.
fn trusted_host(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let Ok(authority) = host.parse::<http::uri::Authority>() else {
        return false;
    };
    let name = authority.host();
    let name = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    authority.port_u16() == Some(port)
        && (name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok())
}

/// Whether a post comes from the provider's own pages: `Sec-Fetch-Site` is `same-origin` (or
/// `none`, typed by the user) when the browser sends it; otherwise `Origin`, when present,
/// must be `http://` + `Host`. A client that sends neither (not a browser) passes this check
/// and still needs the CSRF token.
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Some(host) = headers.get(header::HOST) else {
        return false;
    };
    origin
        .as_bytes()
        .strip_prefix(b"http://")
        .is_some_and(|o| o.eq_ignore_ascii_case(host.as_bytes()))
}

pub(crate) async fn authorize_page(State(app): State<Arc<App>>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    page(&app, &parts.headers, &query_params(&parts), false)
}

pub(crate) async fn authenticate_page(State(app): State<Arc<App>>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    page(&app, &parts.headers, &query_params(&parts), true)
}

/// The authorize (or authenticate) page: Allow and Deny, or straight through with
/// auto-approve (and, for authenticate, unless `force_login=true`... which only matters for a
/// person at the page: auto-approve always goes straight through).
pub(crate) fn page(
    app: &App,
    headers: &HeaderMap,
    params: &[(String, String)],
    authenticate: bool,
) -> Response {
    let Some(token) = param(params, "oauth_token") else {
        return html(
            StatusCode::BAD_REQUEST,
            "Missing oauth_token",
            "<p>The authorization URL has no <code>oauth_token</code>.</p>",
        );
    };
    let Some(temporary) = app.store.temporary(token) else {
        return invalid_token_page();
    };
    let user = param(params, "screen_name")
        .and_then(|n| app.store.user_named(n))
        .unwrap_or(0);
    if app.auto_approve {
        return approve(app, token, user);
    }
    if !trusted_host(headers, app.port) {
        return forbidden_page("Open this page through the provider's own address.");
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
         <form method=\"post\" action=\"{action}\">\n\
         <input type=\"hidden\" name=\"oauth_token\" value=\"{token}\">\n\
         <input type=\"hidden\" name=\"{CSRF_FIELD}\" value=\"{csrf}\">\n\
         <input type=\"hidden\" name=\"screen_name\" value=\"{user}\">\n\
         <button type=\"submit\" id=\"allow\" name=\"decision\" value=\"allow\">Allow</button>\n\
         <button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>\n\
         </form>",
        app_name = escape(&app.app_name),
        user = escape(screen_name),
        token = escape(token),
        csrf = escape(temporary.csrf.secret()),
        action = app.rules.authorize.unwrap_or("/oauth/authorize"),
    );
    html(StatusCode::OK, &format!("{verb} {}", app.app_name), &body)
}

pub(crate) async fn authorize_decision(State(app): State<Arc<App>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if !trusted_host(&parts.headers, app.port) || !same_origin(&parts.headers) {
        return forbidden_page("This form can only be sent from the provider's own page.");
    }
    let bytes = match read_body(&app, body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let params = form_decode_str(&String::from_utf8_lossy(&bytes)).unwrap_or_default();
    let Some(token) = param(&params, "oauth_token") else {
        return invalid_token_page();
    };
    let Some(temporary) = app.store.temporary(token) else {
        return invalid_token_page();
    };
    // The CSRF token of this request token, compared in constant time.
    let csrf_ok = param(&params, CSRF_FIELD).is_some_and(|given| {
        bool::from(temporary.csrf.secret().as_bytes().ct_eq(given.as_bytes()))
    });
    if !csrf_ok {
        return forbidden_page("The form is stale or was not sent from the provider's page.");
    }
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
                redirect(&super::with_query(
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

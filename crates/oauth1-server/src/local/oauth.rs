//! The OAuth endpoints: request token, access token (and xAuth), invalidate token.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use oauth1_core::Secret;
use subtle::ConstantTimeEq;

use super::callback::{self, CallbackError};
use super::routes::{
    form_response, no_randomness, rejection_response, signed_form_param, twitter_error, verified,
    App,
};
use super::state::{Access, Temporary};
use crate::store::TokenKind;
use crate::verifier::{Rejection, Verified};

pub(crate) async fn request_token(State(app): State<Arc<App>>, request: Request) -> Response {
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
    let registered = app.callbacks.get(&v.consumer_key).map(Vec::as_slice);
    match callback::check(&callback, registered) {
        Ok(()) => {}
        Err(CallbackError::Invalid) => {
            return twitter_error(
                StatusCode::BAD_REQUEST,
                215,
                "Bad Authentication data: oauth_callback is not a valid URL.",
            )
        }
        Err(CallbackError::NotApproved) => {
            return twitter_error(
                StatusCode::FORBIDDEN,
                415,
                "Callback URL not approved for this client application.",
            )
        }
    }
    let (token, secret, csrf) = match (
        app.random_token(32),
        app.random_token(40),
        app.random_token(32),
    ) {
        (Ok(t), Ok(s), Ok(c)) => (t, s, c),
        (Err(e), ..) | (_, Err(e), _) | (.., Err(e)) => return no_randomness(e),
    };
    let kept = app.store.insert_temporary(
        token.clone(),
        Temporary {
            consumer_key: v.consumer_key,
            secret: Secret::new(secret.as_str()),
            callback,
            created: app.clock.now(),
            csrf: Secret::new(csrf),
            approved: None,
        },
    );
    if !kept {
        return twitter_error(StatusCode::SERVICE_UNAVAILABLE, 130, "Over capacity");
    }
    form_response(&[
        ("oauth_token", &token),
        ("oauth_token_secret", &secret),
        ("oauth_callback_confirmed", "true"),
    ])
}

pub(crate) async fn access_token(State(app): State<Arc<App>>, request: Request) -> Response {
    let (v, _, _) = match verified(&app, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // xAuth fields count only as signed form parameters: the signature covers nothing else.
    if let Some(mode) = signed_form_param(&v, "x_auth_mode") {
        return xauth(&app, &v, &mode);
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
    // Single use: the request token goes now, whatever happens next (and an expired one is
    // refused even if the sweep has not removed it yet).
    let Some(temporary) = app.store.take_temporary(token) else {
        return rejection_response(&Rejection::UnknownToken);
    };
    let Some((verifier, user)) = temporary.approved else {
        return refused(
            "permission_unknown",
            "Could not authenticate you: the request token was not authorized.",
        );
    };
    if !bool::from(verifier.as_bytes().ct_eq(received_verifier.as_bytes())) {
        return refused(
            "verifier_invalid",
            "Could not authenticate you: invalid oauth_verifier.",
        );
    }
    issue_access(&app, v.consumer_key, user)
}

/// Twitter's 401 (code 32) for a dance that cannot go on, with the reason in the challenge
/// (OAuth Problem Reporting: `permission_unknown` when the user has not decided; the extension
/// has no name for a wrong verifier, so `verifier_invalid`, as other providers say).
fn refused(problem: &str, message: &str) -> Response {
    let mut response = twitter_error(StatusCode::UNAUTHORIZED, 32, message);
    if let Some(v) = crate::layer::challenge("local", problem, None) {
        response
            .headers_mut()
            .insert(axum::http::header::WWW_AUTHENTICATE, v);
    }
    response
}

fn xauth(app: &App, v: &Verified, mode: &str) -> Response {
    if v.token.is_some() || mode != "client_auth" {
        return twitter_error(
            StatusCode::BAD_REQUEST,
            215,
            "Bad Authentication data: xAuth needs x_auth_mode=client_auth and no token.",
        );
    }
    let (Some(name), Some(password)) = (
        signed_form_param(v, "x_auth_username"),
        signed_form_param(v, "x_auth_password").map(Secret::new),
    ) else {
        return twitter_error(
            StatusCode::BAD_REQUEST,
            215,
            "Bad Authentication data: x_auth_username and x_auth_password are required.",
        );
    };
    let user = app.store.user_named(&name).filter(|&i| {
        app.store.users.get(i).is_some_and(|u| {
            bool::from(
                u.password
                    .secret()
                    .as_bytes()
                    .ct_eq(password.secret().as_bytes()),
            )
        })
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
    let (random, secret) = match (app.random_token(32), app.random_token(40)) {
        (Ok(t), Ok(s)) => (t, s),
        (Err(e), _) | (_, Err(e)) => return no_randomness(e),
    };
    let token = format!("{}-{random}", app.store.users.get(user).map_or(0, |u| u.id));
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

pub(crate) async fn invalidate_token(State(app): State<Arc<App>>, request: Request) -> Response {
    let (_, token, ..) = match super::api::resource(&app, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if let Ok(mut map) = app.store.access.lock() {
        map.remove(&token);
    }
    axum::Json(serde_json::json!({"access_token": token})).into_response()
}

//! The endpoints of a service other than Twitter, run from its [`Rules`]: the router, the
//! checks every signed request goes through, request token, authorization page, access token,
//! the protected resource and the LTI launch.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::on;
use axum::Router;
use bytes::Bytes;
use oauth1_core::{Limits, Placement, Received, Secret, Source};
use subtle::ConstantTimeEq;

use super::lti;
use super::rules::{Account, Flow, Refusal, Rules, Step};
use crate::local::callback::{self, CallbackError};
use crate::local::consent;
use crate::local::routes::{form_response, query_params, read_body, App};
use crate::local::state::{Access, Temporary};
use crate::store::TokenKind;
use crate::verifier::Verified;

/// The router of a service other than Twitter.
pub(crate) fn router(app: &Arc<App>) -> Router<Arc<App>> {
    let rules = &app.rules;
    let mut router = Router::new();
    if let Some(e) = rules.request_token {
        router = router.route(e.path, on(e.verb.filter(), request_token));
    }
    if let Some(path) = rules.authorize {
        router = router.route(
            path,
            axum::routing::get(authorize_page).post(consent::authorize_decision),
        );
    }
    if let Some(e) = rules.access_token {
        router = router.route(e.path, on(e.verb.filter(), access_token));
    }
    let e = rules.resource;
    router = if rules.flow == Flow::Launch {
        router.route(e.path, on(e.verb.filter(), launch))
    } else {
        router.route(e.path, on(e.verb.filter(), resource))
    };
    router.fallback(not_found)
}

fn refuse(app: &App, refusal: &Refusal) -> Response {
    app.rules.errors.render(refusal)
}

async fn not_found(State(app): State<Arc<App>>) -> Response {
    refuse(
        &app,
        &Refusal::new(StatusCode::NOT_FOUND, "not_found").message("Not found."),
    )
}

/// Where the protocol parameters were: the header, the query or the form body.
fn placement(received: &Received) -> Placement {
    match received
        .parameters()
        .find(|p| p.name == b"oauth_consumer_key")
        .map(|p| p.source)
    {
        Some(Source::Query) => Placement::Query,
        Some(Source::Body) => Placement::Body,
        _ => Placement::Header,
    }
}

/// The service's rules on a parsed request, before any credential is looked up.
fn check_rules(rules: &Rules, received: &Received, step: Step) -> Result<(), Refusal> {
    if !rules.methods.contains(&received.signature_method()) {
        return Err(
            // The received name is not echoed back: the list of accepted ones says enough.
            Refusal::new(StatusCode::BAD_REQUEST, "signature_method_rejected").message(format!(
                "The signature method is not supported. The following methods are supported: {}.",
                rules.methods.join(", ")
            )),
        );
    }
    let placement = placement(received);
    if !rules.placements.contains(&placement) {
        let wanted = rules
            .placements
            .iter()
            .map(|p| match p {
                Placement::Header => "the Authorization header",
                Placement::Query => "the query string",
                Placement::Body => "the form body",
            })
            .collect::<Vec<_>>()
            .join(" or ");
        return Err(Refusal::new(StatusCode::BAD_REQUEST, "parameter_absent")
            .message(format!("The OAuth parameters must be in {wanted}.")));
    }
    if let Some(realm) = &rules.realm {
        match received.realm() {
            Some(sent) if sent != realm => {
                return Err(Refusal::new(StatusCode::UNAUTHORIZED, "parameter_rejected"))
            }
            None if rules.realm_required && step == Step::Resource => {
                return Err(Refusal::new(StatusCode::UNAUTHORIZED, "parameter_absent"))
            }
            _ => {}
        }
    }
    if received
        .nonce()
        .is_some_and(|n| n.len() < rules.min_nonce_len)
    {
        return Err(Refusal::new(StatusCode::UNAUTHORIZED, "nonce_rejected"));
    }
    if let Some(version) = received_version(received) {
        if version != "1.0" {
            return Err(Refusal::new(StatusCode::BAD_REQUEST, "version_rejected"));
        }
    }
    Ok(())
}

fn received_version(received: &Received) -> Option<String> {
    received
        .parameters()
        .find(|p| p.name == b"oauth_version")
        .map(|p| String::from_utf8_lossy(p.value).into_owned())
}

/// A signed request that passed the service's rules and the verifier.
struct Signed {
    verified: Verified,
    parts: http::request::Parts,
}

/// Reads the request within the limits, holds it to the service's rules, then verifies it.
async fn signed(app: &App, request: Request, step: Step) -> Result<Signed, Response> {
    let rules = &app.rules;
    if rules.user_agent_required && !request.headers().contains_key(header::USER_AGENT) {
        return Err(refuse(
            app,
            &Refusal::new(StatusCode::FORBIDDEN, "parameter_absent")
                .message("Your application must provide a User-Agent header."),
        ));
    }
    let (parts, body) = request.into_parts();
    let bytes: Bytes = read_body(app, body).await?;
    let request = http::Request::from_parts(parts, bytes);
    // Parsed once within the default limits (the verifier's own) for the service's rules; a
    // request that cannot be parsed is left to the verifier, which says why.
    if let Ok(received) = Received::parse_http_with(&request, "http", None, &Limits::default()) {
        check_rules(rules, &received, step).map_err(|r| refuse(app, &r))?;
    }
    match app.verifier.verify(&request, "http").await {
        Ok(verified) => Ok(Signed {
            verified,
            parts: request.into_parts().0,
        }),
        Err(failure) => Err(refuse(app, &Refusal::from_failure(&failure))),
    }
}

pub(crate) async fn request_token(State(app): State<Arc<App>>, request: Request) -> Response {
    let Signed { verified: v, .. } = match signed(&app, request, Step::RequestToken).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if v.token.is_some() {
        return refuse(
            &app,
            &Refusal::new(StatusCode::UNAUTHORIZED, "token_rejected"),
        );
    }
    let callback = v.received.callback().map(str::to_owned);
    let callback = match (callback, app.rules.callback_required) {
        (Some(c), _) => c,
        (None, true) => {
            return refuse(
                &app,
                &Refusal::new(StatusCode::BAD_REQUEST, "parameter_absent")
                    .message("oauth_callback is required."),
            )
        }
        (None, false) => "oob".to_owned(),
    };
    let registered = app.callbacks.get(&v.consumer_key).map(Vec::as_slice);
    match callback::check(&callback, registered) {
        Ok(()) => {}
        Err(CallbackError::Invalid) => {
            return refuse(
                &app,
                &Refusal::new(StatusCode::BAD_REQUEST, "parameter_rejected")
                    .message("oauth_callback is not a valid URL."),
            )
        }
        Err(CallbackError::NotApproved) => {
            return refuse(
                &app,
                &Refusal::new(StatusCode::UNAUTHORIZED, "permission_denied")
                    .message("oauth_callback does not match the registered callback."),
            )
        }
    }
    // Magento: the consumer's activation verifier approves the request token at once.
    let approved = if app.rules.flow == Flow::Activation {
        match app.store.activation(&v.consumer_key) {
            Some(verifier) => Some((verifier, 0)),
            None => return refuse(
                &app,
                &Refusal::new(StatusCode::UNAUTHORIZED, "token_rejected").message(
                    "Cannot create request token because consumer token is not a verifier token",
                ),
            ),
        }
    } else {
        None
    };
    let (token, secret, csrf) = match (
        app.random_token(32),
        app.random_token(40),
        app.random_token(32),
    ) {
        (Ok(t), Ok(s), Ok(c)) => (t, s, c),
        _ => return unavailable(&app),
    };
    let kept = app.store.insert_temporary(
        token.clone(),
        Temporary {
            consumer_key: v.consumer_key,
            secret: Secret::new(secret.as_str()),
            callback,
            created: app.clock.now(),
            csrf: Secret::new(csrf),
            approved,
        },
    );
    if !kept {
        return unavailable(&app);
    }
    let mut fields = vec![
        ("oauth_token", token.as_str()),
        ("oauth_token_secret", &secret),
    ];
    if app.rules.callback_confirmed {
        fields.push(("oauth_callback_confirmed", "true"));
    }
    form_response(&fields)
}

fn unavailable(app: &App) -> Response {
    refuse(
        app,
        &Refusal::new(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable"),
    )
}

/// The authorization page, once the service's own parameters pass.
pub(crate) async fn authorize_page(State(app): State<Arc<App>>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let params = query_params(&parts);
    if let Err(refusal) = (app.rules.authorize_params)(&params) {
        return refuse(&app, &refusal);
    }
    consent::page(&app, &parts.headers, &params, false)
}

pub(crate) async fn access_token(State(app): State<Arc<App>>, request: Request) -> Response {
    let Signed { verified: v, .. } = match signed(&app, request, Step::AccessToken).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some((token, TokenKind::Temporary)) = &v.token else {
        return refuse(
            &app,
            &Refusal::new(StatusCode::UNAUTHORIZED, "token_rejected"),
        );
    };
    let Some(received_verifier) = v.received.verifier() else {
        return refuse(
            &app,
            &Refusal::new(StatusCode::BAD_REQUEST, "parameter_absent")
                .message("oauth_verifier is required."),
        );
    };
    // Single use, whatever happens next.
    let Some(temporary) = app.store.take_temporary(token) else {
        return refuse(
            &app,
            &Refusal::new(StatusCode::UNAUTHORIZED, "token_rejected"),
        );
    };
    let Some((verifier, user)) = temporary.approved else {
        return refuse(
            &app,
            &Refusal::new(StatusCode::UNAUTHORIZED, "permission_unknown"),
        );
    };
    if !bool::from(verifier.as_bytes().ct_eq(received_verifier.as_bytes())) {
        return refuse(
            &app,
            &Refusal::new(StatusCode::UNAUTHORIZED, "verifier_invalid"),
        );
    }
    // Magento: the activation's verifier is spent; the consumer's token is an access token now,
    // and a new request token is refused until the store activates the integration again.
    if app.rules.flow == Flow::Activation {
        app.store.deactivate(&v.consumer_key);
    }
    let (random, secret) = match (app.random_token(32), app.random_token(40)) {
        (Ok(t), Ok(s)) => (t, s),
        _ => return unavailable(&app),
    };
    let id = app.store.users.get(user).map_or(0, |u| u.id);
    let access = format!("{id}-{random}");
    if let Ok(mut map) = app.store.access.lock() {
        map.insert(
            access.clone(),
            Access {
                consumer_key: v.consumer_key.clone(),
                secret: Secret::new(secret.as_str()),
                user,
            },
        );
    }
    let query = Vec::new();
    let account = account(&app, user, &access, &query);
    let extra = (app.rules.token_fields)(&account);
    let mut fields = vec![
        ("oauth_token", access.as_str()),
        ("oauth_token_secret", secret.as_str()),
    ];
    fields.extend(extra.iter().map(|(n, v)| (*n, v.as_str())));
    form_response(&fields)
}

fn account<'a>(
    app: &'a App,
    user: usize,
    token: &'a str,
    query: &'a [(String, String)],
) -> Account<'a> {
    let (id, name) = app
        .store
        .users
        .get(user)
        .map_or((0, ""), |u| (u.id, u.screen_name.as_str()));
    Account {
        id,
        name,
        token,
        app_name: &app.app_name,
        base_url: &app.base_url,
        query,
    }
}

/// The protected resource: a signed call with an access token (one-legged: the consumer
/// alone; Zotero: the key).
pub(crate) async fn resource(State(app): State<Arc<App>>, request: Request) -> Response {
    if app.rules.key_auth {
        return keyed(&app, request);
    }
    let Signed { verified: v, parts } = match signed(&app, request, Step::Resource).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let query = query_params(&parts);
    if app.rules.flow == Flow::OneLegged {
        if v.token.is_some() {
            return refuse(
                &app,
                &Refusal::new(StatusCode::UNAUTHORIZED, "token_rejected")
                    .message("One-legged requests carry no oauth_token."),
            );
        }
        return (app.rules.resource_body)(&account(&app, 0, "", &query));
    }
    let Some((token, TokenKind::Access)) = &v.token else {
        return refuse(
            &app,
            &Refusal::new(StatusCode::UNAUTHORIZED, "token_rejected"),
        );
    };
    let user = app
        .store
        .access
        .lock()
        .ok()
        .and_then(|m| m.get(token).map(|a| a.user));
    let Some(user) = user else {
        return refuse(
            &app,
            &Refusal::new(StatusCode::UNAUTHORIZED, "token_rejected"),
        );
    };
    (app.rules.resource_body)(&account(&app, user, token, &query))
}

/// Zotero's API: the key (the access token's secret) in `Zotero-API-Key` or
/// `Authorization: Bearer`, compared in constant time; 403 `Forbidden` otherwise.
fn keyed(app: &App, request: Request) -> Response {
    let headers = request.headers();
    let key = headers
        .get("zotero-api-key")
        .and_then(|v| v.to_str().ok())
        .or_else(|| {
            headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
        })
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let user = app.store.access.lock().ok().and_then(|map| {
        let mut found = None;
        for a in map.values() {
            if bool::from(a.secret.secret().as_bytes().ct_eq(key.as_bytes())) {
                found = Some(a.user);
            }
        }
        found
    });
    match user.filter(|_| !key.is_empty()) {
        Some(user) => (app.rules.resource_body)(&account(app, user, &key, &[])),
        None => (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Forbidden",
        )
            .into_response(),
    }
}

/// An LTI 1.1 basic launch: signed by the consumer alone, in the form body.
pub(crate) async fn launch(State(app): State<Arc<App>>, request: Request) -> Response {
    let Signed { verified: v, .. } = match signed(&app, request, Step::Resource).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if v.token.is_some() {
        return refuse(
            &app,
            &Refusal::new(StatusCode::UNAUTHORIZED, "token_rejected")
                .message("An LTI launch carries no oauth_token."),
        );
    }
    let params: Vec<(String, String)> = v
        .received
        .parameters()
        .filter(|p| p.source == Source::Body)
        .map(|p| {
            (
                String::from_utf8_lossy(p.name).into_owned(),
                String::from_utf8_lossy(p.value).into_owned(),
            )
        })
        .collect();
    for (name, wanted) in lti::REQUIRED {
        let found = params.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        let ok = match (found, wanted) {
            (Some(v), Some(w)) => v == w,
            (Some(v), None) => !v.is_empty(),
            (None, _) => false,
        };
        if !ok {
            return refuse(
                &app,
                &Refusal::new(StatusCode::BAD_REQUEST, "parameter_rejected").message(
                    match wanted {
                        Some(w) => format!("Not an LTI 1.1 basic launch: {name} must be {w}."),
                        None => format!("Not an LTI 1.1 basic launch: {name} is required."),
                    },
                ),
            );
        }
    }
    lti::launch_page(&params)
}

//! A few protected resources shaped like Twitter's: verify_credentials, statuses/update (form
//! body), `POST /2/tweets` (JSON body) and a line-delimited JSON stream.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use tokio::sync::mpsc;

use super::routes::{
    param, query_params, rejection_response, signed_form_param, twitter_error, verified, App,
};
use crate::store::TokenKind;
use crate::verifier::{Rejection, Verified};

/// The user behind a request signed with an access token.
pub(crate) async fn resource(
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

pub(crate) async fn verify_credentials(State(app): State<Arc<App>>, request: Request) -> Response {
    match resource(&app, request).await {
        Ok((user, ..)) => axum::Json(user_json(&app, user)).into_response(),
        Err(r) => r,
    }
}

pub(crate) async fn update(State(app): State<Arc<App>>, request: Request) -> Response {
    let (user, _, _, _, v) = match resource(&app, request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // The status is a signed form parameter.
    let status = signed_form_param(&v, "status");
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

pub(crate) async fn tweet(State(app): State<Arc<App>>, request: Request) -> Response {
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

pub(crate) async fn stream(State(app): State<Arc<App>>, request: Request) -> Response {
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

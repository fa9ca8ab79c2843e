//! [`Verified`] as an axum extractor: a handler behind [`OAuthLayer`](crate::OAuthLayer) takes
//! the verified identity as an argument.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::StatusCode;

use crate::verifier::Verified;

/// Why a handler could not take [`Verified`]: no [`OAuthLayer`](crate::OAuthLayer) runs in
/// front of its route, so nothing was verified. A mistake in the router, not in the request:
/// answered with 500 (take `Option<Verified>` for a route where verification is optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no OAuthLayer runs in front of this route: add `.layer(OAuthLayer::new(verifier))` to the router, or take Option<Verified>")]
pub struct NotVerified;

impl IntoResponse for NotVerified {
    fn into_response(self) -> Response {
        (StatusCode::INTERNAL_SERVER_ERROR, self.to_string()).into_response()
    }
}

/// ```
/// use axum::{routing::get, Router};
/// use oauth1_server::{MemoryCredentials, MemoryNonceStore, OAuthLayer, Verified, Verifier};
///
/// async fn me(who: Verified) -> String {
///     format!("hello, {}", who.consumer_key)
/// }
///
/// let verifier = Verifier::new(
///     MemoryCredentials::new().consumer("key", "secret"),
///     MemoryNonceStore::default(),
/// );
/// let app: Router = Router::new()
///     .route("/me", get(me))
///     .layer(OAuthLayer::new(verifier));
/// ```
impl<S: Send + Sync> FromRequestParts<S> for Verified {
    type Rejection = NotVerified;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, NotVerified> {
        parts
            .extensions
            .get::<Verified>()
            .cloned()
            .ok_or(NotVerified)
    }
}

/// `Option<Verified>`: `None` where no [`OAuthLayer`](crate::OAuthLayer) runs.
impl<S: Send + Sync> OptionalFromRequestParts<S> for Verified {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<Verified>().cloned())
    }
}

//! [`SignLayer`]: a tower layer that signs every `http::Request` a tower or hyper client sends
//! (feature `tower`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use oauth1_core::{AnyMethod, OAuthParams, Placement, SignableBody, SignatureMethod, Signer};

use crate::{Stamp, SystemStamp};

/// The error of a [`SignService`]: the signer's ([`oauth1_core::Error`]), the stamp's
/// ([`crate::Error`], when no nonce can be drawn) or the inner service's, boxed as tower
/// middleware does.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Signs every request with a fresh nonce and timestamp before the service behind it sends it:
/// for a hyper client, a `tower` stack, or anything that takes `http::Request<B>` with a body
/// that can be read ([`SignableBody`]: `Vec<u8>`, `String`, `bytes::Bytes`,
/// `http_body_util::Full<Bytes>`).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), oauth1_flow::BoxError> {
/// use oauth1_flow::{ClientCredentials, HmacSha1, SignLayer, Signer};
/// use tower::{Layer, Service, ServiceExt};
///
/// let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
/// // Any client service; this one answers with the header it was given.
/// let client = tower::service_fn(|request: http::Request<Vec<u8>>| async move {
///     Ok::<_, std::convert::Infallible>(request.headers()["authorization"].clone())
/// });
/// let mut signed = SignLayer::new(signer).layer(client);
/// let request = http::Request::get("https://api.example.com/items").body(Vec::new())?;
/// let header = signed.ready().await?.call(request).await?;
/// assert!(header.to_str()?.starts_with("OAuth oauth_consumer_key=\"key\""));
/// # Ok(()) }
/// ```
pub struct SignLayer<M: SignatureMethod = AnyMethod> {
    signer: Arc<Signer<M>>,
    placement: Placement,
    realm: Option<Arc<str>>,
    stamp: Arc<dyn Stamp>,
}

impl<M: SignatureMethod> Clone for SignLayer<M> {
    fn clone(&self) -> Self {
        SignLayer {
            signer: Arc::clone(&self.signer),
            placement: self.placement,
            realm: self.realm.clone(),
            stamp: Arc::clone(&self.stamp),
        }
    }
}

impl<M: SignatureMethod> std::fmt::Debug for SignLayer<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignLayer")
            .field("signer", &self.signer)
            .field("placement", &self.placement)
            .field("realm", &self.realm)
            .finish()
    }
}

impl<M: SignatureMethod> SignLayer<M> {
    /// A layer signing with `signer`, the parameters in the `Authorization` header.
    pub fn new(signer: Signer<M>) -> Self {
        Self::shared(Arc::new(signer))
    }

    /// A layer over a signer you also use elsewhere.
    pub fn shared(signer: Arc<Signer<M>>) -> Self {
        SignLayer {
            signer,
            placement: Placement::Header,
            realm: None,
            stamp: Arc::new(SystemStamp::default()),
        }
    }

    /// Where the protocol parameters go (default the header; the query, or a form body).
    #[must_use]
    pub fn placement(mut self, placement: Placement) -> Self {
        self.placement = placement;
        self
    }

    /// The `realm` of the `Authorization` header.
    #[must_use]
    pub fn realm(mut self, realm: impl Into<String>) -> Self {
        self.realm = Some(Arc::from(realm.into()));
        self
    }

    /// Where each request's nonce and timestamp come from: the same [`Stamp`] a
    /// [`Flow`](crate::Flow) and a [`SignedClient`](crate::SignedClient) take (default
    /// [`SystemStamp`]: a random nonce and the system clock), so a test can fix them.
    #[must_use]
    pub fn stamp(mut self, stamp: impl Stamp + 'static) -> Self {
        self.stamp = Arc::new(stamp);
        self
    }
}

impl<S, M: SignatureMethod> tower_layer::Layer<S> for SignLayer<M> {
    type Service = SignService<S, M>;

    fn layer(&self, inner: S) -> SignService<S, M> {
        SignService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service made by [`SignLayer`].
pub struct SignService<S, M: SignatureMethod = AnyMethod> {
    inner: S,
    layer: SignLayer<M>,
}

impl<S: Clone, M: SignatureMethod> Clone for SignService<S, M> {
    fn clone(&self) -> Self {
        SignService {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<S, M: SignatureMethod> std::fmt::Debug for SignService<S, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignService")
            .field("layer", &self.layer)
            .finish_non_exhaustive()
    }
}

/// The response future of [`SignService`].
pub type SignFuture<R> = Pin<Box<dyn Future<Output = Result<R, BoxError>> + Send>>;

impl<S, M, B> tower_service::Service<http::Request<B>> for SignService<S, M>
where
    S: tower_service::Service<http::Request<B>>,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    M: SignatureMethod,
    B: SignableBody,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = SignFuture<S::Response>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        let layer = &self.layer;
        let signed = match layer.stamp.stamp() {
            Ok((nonce, timestamp)) => {
                let oauth = OAuthParams::new(nonce, timestamp);
                let oauth = match &layer.realm {
                    Some(realm) => oauth.realm(realm),
                    None => oauth,
                };
                layer
                    .signer
                    .sign_http(&mut request, layer.placement, &oauth)
                    .map_err(BoxError::from)
            }
            Err(error) => Err(BoxError::from(error)),
        };
        match signed {
            Ok(()) => {
                let response = self.inner.call(request);
                Box::pin(async move { response.await.map_err(Into::into) })
            }
            Err(error) => Box::pin(async move { Err(error) }),
        }
    }
}

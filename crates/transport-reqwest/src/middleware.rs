//! [`OAuth1Middleware`]: a `reqwest-middleware` middleware that signs every request (feature
//! `middleware`).

use std::fmt;

use oauth1_core::{HmacSha1, SignatureMethod, Signer};
use reqwest_middleware::{Middleware, Next};

use crate::sign::{sign_request, OAuth1RequestBuilderExt, SignError, SignOptions};

/// Signs every request passing through a [`reqwest_middleware`] stack, with a fresh nonce and
/// timestamp each time (feature `middleware`).
///
/// It signs exactly as [`OAuth1RequestBuilderExt`](crate::OAuth1RequestBuilderExt) does: the
/// method, the final URL with its query, and an `application/x-www-form-urlencoded` body. A
/// request it cannot sign fails with [`reqwest_middleware::Error::Middleware`] holding a
/// [`SignError`](crate::SignError), and is not sent.
///
/// Put it last in the stack (closest to the network), after retry middleware, so that every
/// attempt is signed anew: a provider rejects a nonce it has seen.
///
/// ```no_run
/// use oauth1_core::{ClientCredentials, HmacSha1, Signer, TokenCredentials};
/// use oauth1_transport_reqwest::OAuth1Middleware;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let signer = Signer::new(
///     HmacSha1,
///     &ClientCredentials::new("consumer-key", "consumer-secret"),
///     Some(&TokenCredentials::new("token", "token-secret")),
/// )?;
/// let client = reqwest_middleware::ClientBuilder::new(
///     oauth1_transport_reqwest::client_builder()?.build()?,
/// )
/// .with(OAuth1Middleware::new(signer))
/// .build();
/// let response = client
///     .get("https://api.example.com/1.1/account/verify_credentials.json?include_email=true")
///     .send()
///     .await?;
/// println!("{}", response.status());
/// # Ok(())
/// # }
/// ```
pub struct OAuth1Middleware<M: SignatureMethod = HmacSha1> {
    signer: Signer<M>,
    options: SignOptions,
}

impl<M: SignatureMethod> OAuth1Middleware<M> {
    /// Signs with `signer`, the protocol parameters in the `Authorization` header.
    pub fn new(signer: Signer<M>) -> Self {
        Self::with_options(signer, SignOptions::default())
    }

    /// Signs with `signer` as `options` say (placement, realm, body hash).
    pub fn with_options(signer: Signer<M>, options: SignOptions) -> Self {
        OAuth1Middleware { signer, options }
    }

    /// The signer.
    pub fn signer(&self) -> &Signer<M> {
        &self.signer
    }

    /// The options.
    pub fn options(&self) -> &SignOptions {
        &self.options
    }
}

impl<M: SignatureMethod> fmt::Debug for OAuth1Middleware<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth1Middleware")
            .field("signer", &self.signer)
            .field("options", &self.options)
            .finish()
    }
}

#[async_trait::async_trait]
impl<M> Middleware for OAuth1Middleware<M>
where
    M: SignatureMethod + Send + Sync + 'static,
    M::Key: Send + Sync,
{
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        sign_request(&self.signer, &self.options, &mut request)
            .map_err(reqwest_middleware::Error::middleware)?;
        next.run(request, extensions).await
    }
}

/// Signs one request of a `reqwest-middleware` client, as on a plain reqwest `RequestBuilder`
/// (for a client whose stack has no [`OAuth1Middleware`]). The builder's extensions are kept.
impl OAuth1RequestBuilderExt for reqwest_middleware::RequestBuilder {
    fn oauth1_with<M: SignatureMethod>(
        mut self,
        signer: &Signer<M>,
        options: &SignOptions,
    ) -> Result<Self, SignError> {
        let extensions = std::mem::take(self.extensions());
        let (client, request) = self.build_split();
        let mut request = request.map_err(SignError::Build)?;
        sign_request(signer, options, &mut request)?;
        let mut builder = reqwest_middleware::RequestBuilder::from_parts(client, request);
        *builder.extensions() = extensions;
        Ok(builder)
    }
}

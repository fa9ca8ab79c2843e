//! [`Flow`], the client of one provider, with what it is set up with ([`Callback`], [`Stamp`])
//! and the sans-IO `prepare_*` step of each request it sends.

use std::fmt;
use std::sync::Arc;

use http::{Method, StatusCode};
use oauth1_core::{
    AnyMethod, ClientCredentials, OAuthParams, Placement, Secret, Signer, TokenCredentials,
};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Step};
use crate::provider::{Endpoint, ServiceProvider};
use crate::url::with_query;

use super::response::check_status;
use super::states::{AccessToken, PendingAccessToken, PendingRequestToken, Verifier};

/// Where the provider sends the user after they authorize (§2.1 `oauth_callback`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Callback {
    /// A URL of the application; the provider redirects there with `oauth_token` and
    /// `oauth_verifier` in the query.
    Url(String),
    /// Out of band (`oob`): the provider shows a PIN that the user types into the application.
    Oob,
}

impl Callback {
    pub(super) fn as_str(&self) -> &str {
        match self {
            Callback::Url(u) => u,
            Callback::Oob => "oob",
        }
    }
}

/// Supplies the nonce and timestamp of each request. The default is a random nonce and the
/// system clock; tests fix them to reproduce requests byte for byte.
pub trait Stamp: Send + Sync {
    /// A fresh `(nonce, timestamp)`.
    fn stamp(&self) -> Result<(String, u64), Error>;
}

impl<F: Fn() -> (String, u64) + Send + Sync> Stamp for F {
    fn stamp(&self) -> Result<(String, u64), Error> {
        Ok(self())
    }
}

/// A random 24-character nonce ([`oauth1_core::nonce::random_nonce`]) and the system clock
/// (plus an offset, for a skewed clock).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemStamp {
    /// Seconds added to the system clock (negative when it runs ahead of the provider's).
    pub offset: i64,
}

impl Stamp for SystemStamp {
    fn stamp(&self) -> Result<(String, u64), Error> {
        let p = OAuthParams::fresh()?;
        let now = p.timestamp().saturating_add_signed(self.offset);
        Ok((p.nonce().to_owned(), now))
    }
}

/// A client of one provider: the provider, the client credentials and the signature method.
/// Cheap to clone; shared by every dance and signed call of the application.
///
/// ```no_run
/// # async fn run(transport: impl oauth1_flow::HttpClient) -> Result<(), oauth1_flow::Error> {
/// use oauth1_core::ClientCredentials;
/// use oauth1_flow::{Callback, Flow, GenericProvider};
///
/// let provider = GenericProvider::builder(
///     "https://api.example.com/oauth/request_token",
///     "https://api.example.com/oauth/authorize",
///     "https://api.example.com/oauth/access_token",
/// )
/// .build()?;
/// let flow = Flow::new(provider, ClientCredentials::new("key", "secret"))?;
///
/// // 1. Temporary credentials, and where to send the user.
/// let request_token = flow.request_token(&transport, Callback::Oob).await?;
/// println!("open {}", request_token.authorize_url(&flow, &[])?);
/// // 2. The PIN the provider showed the user.
/// let verifier = request_token.verifier_from_pin("1234567")?;
/// // 3. Token credentials.
/// let access = flow.access_token(&transport, &verifier).await?;
/// println!("hello {:?}", access.field("screen_name"));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Flow<P> {
    provider: P,
    client: ClientCredentials,
    method: AnyMethod,
    stamp: Arc<dyn Stamp>,
}

impl<P: fmt::Debug> fmt::Debug for Flow<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Flow")
            .field("provider", &self.provider)
            .field("client", &self.client)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

impl<P: ServiceProvider> Flow<P> {
    /// A client of `provider` with these credentials, signing with the provider's method
    /// (HMAC or PLAINTEXT; for RSA use [`Flow::with_method`]).
    pub fn new(provider: P, client: ClientCredentials) -> Result<Self, Error> {
        let method = AnyMethod::from_name(provider.signature_method())?;
        Ok(Flow {
            provider,
            client,
            method,
            stamp: Arc::new(SystemStamp::default()),
        })
    }

    /// A client with a signature method given in full: any built-in method (`HmacSha256`, an
    /// RSA method with its key, an [`AnyMethod`]), whatever the provider description names.
    pub fn with_method(
        provider: P,
        client: ClientCredentials,
        method: impl Into<AnyMethod>,
    ) -> Self {
        Flow {
            provider,
            client,
            method: method.into(),
            stamp: Arc::new(SystemStamp::default()),
        }
    }

    /// Replaces the nonce and timestamp source (fixed values in tests, or a
    /// [`SystemStamp`] with an offset for a skewed clock).
    #[must_use]
    pub fn stamp(mut self, stamp: impl Stamp + 'static) -> Self {
        self.stamp = Arc::new(stamp);
        self
    }

    /// The provider.
    pub fn provider(&self) -> &P {
        &self.provider
    }

    /// The client credentials.
    pub fn client(&self) -> &ClientCredentials {
        &self.client
    }

    /// The signature method.
    pub fn method(&self) -> &AnyMethod {
        &self.method
    }

    pub(crate) fn signer(
        &self,
        token: Option<&TokenCredentials>,
    ) -> Result<Signer<AnyMethod>, Error> {
        Ok(Signer::new(self.method.clone(), &self.client, token)?)
    }

    pub(crate) fn next_stamp(&self) -> Result<(String, u64), Error> {
        self.stamp.stamp()
    }

    /// Builds and signs a token request (empty body unless `form` is given, or the placement
    /// puts the parameters there).
    fn token_request(
        &self,
        endpoint: &Endpoint,
        url: &str,
        token: Option<&TokenCredentials>,
        protocol: &[(&str, &str)],
        form: Option<&[u8]>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let signer = self.signer(token)?;
        let (nonce, timestamp) = self.next_stamp()?;
        let mut oauth = OAuthParams::new(nonce, timestamp);
        for &(name, value) in protocol {
            oauth = match name {
                "oauth_callback" => oauth.callback(value),
                "oauth_verifier" => oauth.verifier(value),
                _ => oauth.extra(name, value),
            };
        }
        if let Some(realm) = self.provider.realm() {
            oauth = oauth.realm(realm);
        }
        let mut builder = http::Request::builder()
            .method(endpoint.method.clone())
            .uri(url);
        if form.is_some() {
            builder = builder.header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            );
        }
        let mut request = builder
            .body(form.map(<[u8]>::to_vec).unwrap_or_default())
            .map_err(Error::Request)?;
        add_missing(request.headers_mut(), self.provider.headers());
        let placement = match (self.provider.placement(), &endpoint.method) {
            // A GET carries no body: body placement falls back to the query.
            (Placement::Body, &Method::GET) => Placement::Query,
            (p, _) => p,
        };
        #[cfg(feature = "tracing")]
        crate::trace::token_base_string(&signer, &request, &oauth);
        signer.sign_http(&mut request, placement, &oauth)?;
        Ok(request)
    }

    /// Step 1 (§2.1): the request for temporary credentials, with `oauth_callback`.
    pub fn prepare_request_token(
        &self,
        callback: Callback,
    ) -> Result<(http::Request<Vec<u8>>, PendingRequestToken), Error> {
        let endpoint = &self.provider.endpoints().request_token;
        crate::url::check_absolute("request-token", &endpoint.url)?;
        let extra = self.provider.request_token_params();
        let url = with_query(
            &endpoint.url,
            extra.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        );
        let request = self.token_request(
            endpoint,
            &url,
            None,
            &[("oauth_callback", callback.as_str())],
            None,
        )?;
        Ok((
            request,
            PendingRequestToken {
                callback,
                confirm_callback: self.provider.requires_callback_confirmed(),
            },
        ))
    }

    /// Step 3 (§2.3): the request for token credentials, signed with the request token and
    /// carrying the verifier.
    pub fn prepare_access_token(
        &self,
        verifier: &Verifier,
    ) -> Result<(http::Request<Vec<u8>>, PendingAccessToken), Error> {
        let endpoint = &self.provider.endpoints().access_token;
        crate::url::check_absolute("access-token", &endpoint.url)?;
        let token = TokenCredentials::new(verifier.token.clone(), verifier.secret.clone());
        let request = self.token_request(
            endpoint,
            &endpoint.url,
            Some(&token),
            &[("oauth_verifier", &verifier.verifier)],
            None,
        )?;
        Ok((
            request,
            PendingAccessToken {
                step: Step::AccessToken,
            },
        ))
    }

    /// xAuth: the access-token request with `x_auth_mode=client_auth`, `x_auth_username` and
    /// `x_auth_password` in the signed form body, no request token.
    pub fn prepare_xauth(
        &self,
        username: &str,
        password: &Secret,
    ) -> Result<(http::Request<Vec<u8>>, PendingAccessToken), Error> {
        if !self.provider.supports_xauth() {
            return Err(Error::XAuthNotOffered);
        }
        let endpoint = &self.provider.endpoints().access_token;
        crate::url::check_absolute("access-token", &endpoint.url)?;
        let mut form = Zeroizing::new(String::from("x_auth_mode=client_auth&x_auth_password="));
        form.push_str(&oauth1_core::encode::percent_encode(password.secret()));
        form.push_str("&x_auth_username=");
        form.push_str(&oauth1_core::encode::percent_encode(username));
        let endpoint = Endpoint {
            url: endpoint.url.clone(),
            method: Method::POST,
        };
        let request =
            self.token_request(&endpoint, &endpoint.url, None, &[], Some(form.as_bytes()))?;
        Ok((request, PendingAccessToken { step: Step::XAuth }))
    }

    /// The request that revokes `token` at the provider's invalidate-token endpoint.
    pub fn prepare_invalidate(&self, token: &AccessToken) -> Result<http::Request<Vec<u8>>, Error> {
        let endpoint = self
            .provider
            .endpoints()
            .invalidate_token
            .as_ref()
            .ok_or(Error::NoEndpoint("invalidate-token"))?;
        self.token_request(
            endpoint,
            &endpoint.url,
            Some(&token.credentials()),
            &[],
            None,
        )
    }

    /// Reads the answer to [`Flow::prepare_invalidate`]: `Ok` on a 2xx.
    pub fn handle_invalidate(&self, response: http::Response<Vec<u8>>) -> Result<(), Error> {
        let parse =
            |s: StatusCode, h: &http::HeaderMap, b: &[u8]| self.provider.parse_error(s, h, b);
        check_status(&parse, Step::InvalidateToken, &response)
    }
}

/// Adds each of `extra`'s headers that `headers` does not have (a provider's
/// [`headers`](ServiceProvider::headers); the request's own win).
pub(crate) fn add_missing(headers: &mut http::HeaderMap, extra: http::HeaderMap) {
    let mut name = None;
    for (n, value) in extra {
        // `HeaderMap`'s iterator names a header once, before its first value.
        if n.is_some() {
            name = n.filter(|n| !headers.contains_key(n));
        }
        if let Some(name) = &name {
            headers.append(name.clone(), value);
        }
    }
}

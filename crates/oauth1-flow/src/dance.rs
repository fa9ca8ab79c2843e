//! The dance (RFC 5849 §2) as types: [`Flow`] → [`PendingRequestToken`] → [`RequestToken`] →
//! [`Verifier`] → [`PendingAccessToken`] → [`AccessToken`], and xAuth straight to an
//! [`AccessToken`].
//!
//! Every step is sans-IO: a `prepare_*` method returns the `http::Request<Vec<u8>>` to send and
//! a pending state whose `handle_response` takes the `http::Response<Vec<u8>>` back. The drivers
//! on [`Flow`] (`request_token`, `access_token`, `xauth`, and their `_blocking` twins) do both
//! through a transport in one call. The states a web application parks between the redirect
//! and the callback ([`RequestToken`], [`Verifier`]) and the [`AccessToken`] it keeps are
//! `Serialize + Deserialize`; they hold token secrets (keep the store private) but never the
//! consumer secret, which the application supplies again through its [`Flow`].

use std::fmt;
use std::sync::Arc;

use http::{Method, StatusCode};
use oauth1_core::{
    AnyMethod, ClientCredentials, OAuthParams, Placement, Secret, Signer, TokenCredentials,
};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, Step};
use crate::problem::ProviderError;
use crate::provider::{Endpoint, ServiceProvider};
use crate::secret_serde;
use crate::transport::{BlockingHttpClient, HttpClient};
use crate::url::{callback_params, with_query};

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
    fn as_str(&self) -> &str {
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
        Ok((request, PendingRequestToken { callback }))
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

    /// One step through `client`: prepare, send, read (in an `oauth1.step` span with the
    /// `tracing` feature).
    async fn run<C: HttpClient + ?Sized, R, T>(
        &self,
        client: &C,
        step: Step,
        prepare: impl FnOnce() -> Result<(http::Request<Vec<u8>>, R), Error>,
        handle: impl FnOnce(R, http::Response<Vec<u8>>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        #[cfg(feature = "tracing")]
        let span = crate::trace::step_span(step);
        let run = async {
            let (request, pending) = prepare()?;
            #[cfg(feature = "tracing")]
            crate::trace::record_request(&span, &request);
            let response = client.send(request).await.map_err(Error::transport(step))?;
            #[cfg(feature = "tracing")]
            crate::trace::record_status(&span, response.status());
            handle(pending, response)
        };
        #[cfg(feature = "tracing")]
        let run = tracing::Instrument::instrument(run, span.clone());
        let result = run.await;
        #[cfg(feature = "tracing")]
        crate::trace::record_outcome(&span, &result);
        result
    }

    /// The blocking counterpart of [`run`](Self::run).
    fn run_blocking<C: BlockingHttpClient + ?Sized, R, T>(
        &self,
        client: &C,
        step: Step,
        prepare: impl FnOnce() -> Result<(http::Request<Vec<u8>>, R), Error>,
        handle: impl FnOnce(R, http::Response<Vec<u8>>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        #[cfg(feature = "tracing")]
        let span = crate::trace::step_span(step);
        let run = || {
            let (request, pending) = prepare()?;
            #[cfg(feature = "tracing")]
            crate::trace::record_request(&span, &request);
            let response = client.send(request).map_err(Error::transport(step))?;
            #[cfg(feature = "tracing")]
            crate::trace::record_status(&span, response.status());
            handle(pending, response)
        };
        #[cfg(feature = "tracing")]
        let result = span.in_scope(run);
        #[cfg(not(feature = "tracing"))]
        let result = run();
        #[cfg(feature = "tracing")]
        crate::trace::record_outcome(&span, &result);
        result
    }

    /// Step 1 through `client`: the request token.
    pub async fn request_token<C: HttpClient + ?Sized>(
        &self,
        client: &C,
        callback: Callback,
    ) -> Result<RequestToken, Error> {
        self.run(
            client,
            Step::RequestToken,
            || self.prepare_request_token(callback),
            |pending, response| pending.handle_response_for(&self.provider, response),
        )
        .await
    }

    /// Step 1 through a blocking `client`.
    pub fn request_token_blocking<C: BlockingHttpClient + ?Sized>(
        &self,
        client: &C,
        callback: Callback,
    ) -> Result<RequestToken, Error> {
        self.run_blocking(
            client,
            Step::RequestToken,
            || self.prepare_request_token(callback),
            |pending, response| pending.handle_response_for(&self.provider, response),
        )
    }

    /// Step 3 through `client`: the access token.
    pub async fn access_token<C: HttpClient + ?Sized>(
        &self,
        client: &C,
        verifier: &Verifier,
    ) -> Result<AccessToken, Error> {
        self.run(
            client,
            Step::AccessToken,
            || self.prepare_access_token(verifier),
            |pending, response| pending.handle_response_for(&self.provider, response),
        )
        .await
    }

    /// Step 3 through a blocking `client`.
    pub fn access_token_blocking<C: BlockingHttpClient + ?Sized>(
        &self,
        client: &C,
        verifier: &Verifier,
    ) -> Result<AccessToken, Error> {
        self.run_blocking(
            client,
            Step::AccessToken,
            || self.prepare_access_token(verifier),
            |pending, response| pending.handle_response_for(&self.provider, response),
        )
    }

    /// xAuth through `client`.
    pub async fn xauth<C: HttpClient + ?Sized>(
        &self,
        client: &C,
        username: &str,
        password: &Secret,
    ) -> Result<AccessToken, Error> {
        self.run(
            client,
            Step::XAuth,
            || self.prepare_xauth(username, password),
            |pending, response| pending.handle_response_for(&self.provider, response),
        )
        .await
    }

    /// xAuth through a blocking `client`.
    pub fn xauth_blocking<C: BlockingHttpClient + ?Sized>(
        &self,
        client: &C,
        username: &str,
        password: &Secret,
    ) -> Result<AccessToken, Error> {
        self.run_blocking(
            client,
            Step::XAuth,
            || self.prepare_xauth(username, password),
            |pending, response| pending.handle_response_for(&self.provider, response),
        )
    }

    /// Revokes `token` through `client`.
    pub async fn invalidate<C: HttpClient + ?Sized>(
        &self,
        client: &C,
        token: &AccessToken,
    ) -> Result<(), Error> {
        self.run(
            client,
            Step::InvalidateToken,
            || Ok((self.prepare_invalidate(token)?, ())),
            |(), response| self.handle_invalidate(response),
        )
        .await
    }

    /// Revokes `token` through a blocking `client`.
    pub fn invalidate_blocking<C: BlockingHttpClient + ?Sized>(
        &self,
        client: &C,
        token: &AccessToken,
    ) -> Result<(), Error> {
        self.run_blocking(
            client,
            Step::InvalidateToken,
            || Ok((self.prepare_invalidate(token)?, ())),
            |(), response| self.handle_invalidate(response),
        )
    }
}

/// Reads an error body (a provider's [`ServiceProvider::parse_error`], or the default).
pub(crate) type ErrorParser<'a> = &'a dyn Fn(StatusCode, &http::HeaderMap, &[u8]) -> ProviderError;

/// An error for a non-2xx response, read by `parse`.
pub(crate) fn check_status(
    parse: ErrorParser<'_>,
    step: Step,
    response: &http::Response<Vec<u8>>,
) -> Result<(), Error> {
    if response.status().is_success() {
        return Ok(());
    }
    Err(Error::Provider {
        step,
        error: Box::new(parse(
            response.status(),
            response.headers(),
            response.body(),
        )),
    })
}

/// The fields of a 2xx token response (form-encoded), or a typed error.
fn token_fields(
    parse: ErrorParser<'_>,
    step: Step,
    response: &http::Response<Vec<u8>>,
) -> Result<TokenFields, Error> {
    check_status(parse, step, response)?;
    let body = response.body();
    let not_form = || {
        let text = String::from_utf8_lossy(body);
        Error::NotFormEncoded {
            step,
            content_type: response
                .headers()
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_owned(),
            snippet: text.trim().chars().take(80).collect(),
        }
    };
    let text = std::str::from_utf8(body).map_err(|_| not_form())?;
    let looks_like_markup = matches!(text.trim_start().bytes().next(), Some(b'<' | b'{' | b'['));
    if looks_like_markup {
        return Err(not_form());
    }
    let mut fields = oauth1_core::encode::form_decode_str(text.trim()).map_err(|_| not_form())?;
    let mut take = |name: &'static str| -> Result<String, Error> {
        let i = fields
            .iter()
            .position(|(n, _)| n == name)
            .ok_or(Error::MissingField { step, field: name })?;
        Ok(fields.remove(i).1)
    };
    let token = take("oauth_token")?;
    let secret = Secret::new(take("oauth_token_secret")?);
    Ok(TokenFields {
        token,
        secret,
        rest: fields,
    })
}

/// A token response: the token, its secret, and the other fields in order.
struct TokenFields {
    token: String,
    secret: Secret,
    rest: Vec<(String, String)>,
}

/// Waiting for the answer to the request-token request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[must_use = "the response must be handed to handle_response"]
pub struct PendingRequestToken {
    callback: Callback,
}

impl PendingRequestToken {
    /// Reads the response: a form with `oauth_token`, `oauth_token_secret` and
    /// `oauth_callback_confirmed=true` (anything else is a typed error).
    pub fn handle_response(self, response: http::Response<Vec<u8>>) -> Result<RequestToken, Error> {
        self.handle_response_with(&ProviderError::parse, response)
    }

    /// Like [`handle_response`](Self::handle_response), with the provider's error parser.
    pub fn handle_response_for<P: ServiceProvider + ?Sized>(
        self,
        provider: &P,
        response: http::Response<Vec<u8>>,
    ) -> Result<RequestToken, Error> {
        self.handle_response_with(&|s, h, b| provider.parse_error(s, h, b), response)
    }

    fn handle_response_with(
        self,
        parse: ErrorParser<'_>,
        response: http::Response<Vec<u8>>,
    ) -> Result<RequestToken, Error> {
        let TokenFields {
            token,
            secret,
            rest: mut extra,
        } = token_fields(parse, Step::RequestToken, &response)?;
        let confirmed = extra
            .iter()
            .position(|(n, _)| n == "oauth_callback_confirmed");
        match confirmed {
            Some(i) if extra[i].1 == "true" => {
                extra.remove(i);
            }
            _ => return Err(Error::CallbackNotConfirmed),
        }
        Ok(RequestToken {
            token,
            secret,
            callback: self.callback,
            extra,
        })
    }
}

/// Temporary credentials (§2.1): park this between sending the user to the provider and the
/// callback (it holds the request token's secret: keep it in a private store).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestToken {
    token: String,
    #[serde(with = "secret_serde")]
    secret: Secret,
    callback: Callback,
    /// Other fields of the response, in order.
    extra: Vec<(String, String)>,
}

impl fmt::Debug for RequestToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestToken")
            .field("token", &self.token)
            .field("secret", &self.secret)
            .field("callback", &self.callback)
            .field("extra", &self.extra)
            .finish()
    }
}

impl RequestToken {
    /// The request token (`oauth_token`; public: it travels in the authorization URL).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The callback the dance was started with.
    pub fn callback(&self) -> &Callback {
        &self.callback
    }

    /// Other fields of the response.
    pub fn extra(&self) -> &[(String, String)] {
        &self.extra
    }

    /// Where to send the user (§2.2): the authorize endpoint with `oauth_token` and `extra`
    /// query parameters (e.g. `("force_login", "true")`).
    pub fn authorize_url<P: ServiceProvider>(
        &self,
        flow: &Flow<P>,
        extra: &[(&str, &str)],
    ) -> Result<String, Error> {
        let url = &flow.provider().endpoints().authorize;
        crate::url::check_absolute("authorize", url)?;
        Ok(self.url_to(url, extra))
    }

    /// Like [`authorize_url`](Self::authorize_url) with the "Sign in with …" endpoint, which
    /// skips the page for a user who already approved the app.
    pub fn authenticate_url<P: ServiceProvider>(
        &self,
        flow: &Flow<P>,
        extra: &[(&str, &str)],
    ) -> Result<String, Error> {
        let url = flow
            .provider()
            .endpoints()
            .authenticate
            .as_deref()
            .ok_or(Error::NoEndpoint("authenticate"))?;
        crate::url::check_absolute("authenticate", url)?;
        Ok(self.url_to(url, extra))
    }

    fn url_to(&self, url: &str, extra: &[(&str, &str)]) -> String {
        with_query(
            url,
            std::iter::once(("oauth_token", self.token.as_str())).chain(extra.iter().copied()),
        )
    }

    /// Step 2 (§2.2), callback: reads the callback the provider redirected the user to (the
    /// full URL, or its query), checks that its `oauth_token` is this request token, and takes
    /// the `oauth_verifier`. The request token is not consumed: a bad callback loses nothing.
    pub fn verifier_from_callback(&self, callback: &str) -> Result<Verifier, Error> {
        let params = callback_params(callback)?;
        let get = |name: &str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        if get("denied").is_some() {
            return Err(Error::Denied);
        }
        let token = get("oauth_token").ok_or(Error::MissingField {
            step: Step::Callback,
            field: "oauth_token",
        })?;
        if !bool::from(token.as_bytes().ct_eq(self.token.as_bytes())) {
            return Err(Error::TokenMismatch);
        }
        let verifier = get("oauth_verifier")
            .filter(|v| !v.is_empty())
            .ok_or(Error::MissingVerifier)?;
        Ok(self.verifier(verifier))
    }

    /// Step 2 (§2.2), out of band: the PIN the provider showed the user (spaces around it are
    /// ignored).
    pub fn verifier_from_pin(&self, pin: &str) -> Result<Verifier, Error> {
        let pin = pin.trim();
        if pin.is_empty() {
            return Err(Error::EmptyPin);
        }
        Ok(self.verifier(pin))
    }

    fn verifier(&self, verifier: &str) -> Verifier {
        Verifier {
            token: self.token.clone(),
            secret: self.secret.clone(),
            verifier: verifier.to_owned(),
        }
    }
}

/// An authorized request token with its verifier, ready for step 3.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verifier {
    token: String,
    #[serde(with = "secret_serde")]
    secret: Secret,
    verifier: String,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("token", &self.token)
            .field("secret", &self.secret)
            .field("verifier", &"[redacted]")
            .finish()
    }
}

impl Verifier {
    /// The request token it authorizes.
    pub fn token(&self) -> &str {
        &self.token
    }
}

/// Waiting for the answer to the access-token (or xAuth) request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "the response must be handed to handle_response"]
pub struct PendingAccessToken {
    step: Step,
}

impl PendingAccessToken {
    /// Reads the response: a form with `oauth_token` and `oauth_token_secret`, and whatever
    /// else the provider adds (`user_id`, `screen_name`, …), kept in order.
    pub fn handle_response(self, response: http::Response<Vec<u8>>) -> Result<AccessToken, Error> {
        self.handle_response_with(&ProviderError::parse, response)
    }

    /// Like [`handle_response`](Self::handle_response), with the provider's error parser.
    pub fn handle_response_for<P: ServiceProvider + ?Sized>(
        self,
        provider: &P,
        response: http::Response<Vec<u8>>,
    ) -> Result<AccessToken, Error> {
        self.handle_response_with(&|s, h, b| provider.parse_error(s, h, b), response)
    }

    fn handle_response_with(
        self,
        parse: ErrorParser<'_>,
        response: http::Response<Vec<u8>>,
    ) -> Result<AccessToken, Error> {
        let TokenFields {
            token,
            secret,
            rest: fields,
        } = token_fields(parse, self.step, &response)?;
        Ok(AccessToken {
            token,
            secret,
            fields,
        })
    }
}

/// Token credentials (§2.3): what the application keeps to act for the user.
///
/// Serializable, to store it; it holds the token secret, so store it privately.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessToken {
    token: String,
    #[serde(with = "secret_serde")]
    secret: Secret,
    /// The other fields of the response, in order.
    #[serde(default)]
    fields: Vec<(String, String)>,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &self.token)
            .field("secret", &self.secret)
            .field("fields", &self.fields)
            .finish()
    }
}

impl AccessToken {
    /// An access token obtained elsewhere (a config file, a provider's developer page).
    pub fn new(token: impl Into<String>, secret: impl Into<Secret>) -> Self {
        AccessToken {
            token: token.into(),
            secret: secret.into(),
            fields: Vec::new(),
        }
    }

    /// `oauth_token`.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// `oauth_token_secret`.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The token and its secret, for a signer.
    pub fn credentials(&self) -> TokenCredentials {
        TokenCredentials::new(self.token.clone(), self.secret.clone())
    }

    /// A field of the response other than the token and its secret (`user_id`,
    /// `screen_name`, …).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// All the other fields, in the order the provider sent them.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }
}

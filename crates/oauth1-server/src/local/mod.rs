//! The local provider: a real HTTP server on loopback that speaks OAuth 1.0a like Twitter, or
//! like another service it plays ([`Service`]). See the crate documentation and
//! `docs/local-provider.md`.

mod activation;
mod api;
mod callback;
mod config;
mod consent;
mod oauth;
mod random;
mod routes;
mod server;
mod service;
mod state;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oauth1_core::encode::percent_encode;
use oauth1_core::{ClientCredentials, Secret};
use tokio::sync::oneshot;

use crate::memory::MemoryNonceStore;
use crate::verifier::Verifier;
use callback::CallbackUrl;
pub use config::{
    LocalProviderConfig, DEFAULT_BODY_TIMEOUT, DEFAULT_HEADER_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    DEFAULT_LOCAL_BODY_LIMIT, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TOKEN_LIFETIME,
    DEFAULT_SWEEP_INTERVAL, MAX_CALLBACK_LEN,
};
use random::{OsRandom, RandomSource};
use routes::App;
pub use service::{Service, DEFAULT_NETSUITE_ACCOUNT};
use state::{Access, Store, User};

/// The consumer key registered when the configuration names none.
pub const DEFAULT_CONSUMER_KEY: &str = "local-consumer-key";
/// Its secret (this is a local test provider: the value is public on purpose).
pub const DEFAULT_CONSUMER_SECRET: &str = "local-consumer-secret";
/// The user that exists when the configuration names none, and their password (for xAuth).
pub const DEFAULT_USER: (&str, &str) = ("alice", "wonderland");

/// Failure to start the local provider.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The address could not be bound.
    #[error("cannot listen on {addr} (is another server using the port?)")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A registered callback prefix (see [`LocalProviderConfig::client_callbacks`]) is not an
    /// absolute `http`/`https` URL with a host.
    #[error("the callback prefix registered for `{consumer_key}` is not an http(s) URL with a host: {prefix}")]
    CallbackPrefix {
        /// The consumer key it was registered for.
        consumer_key: String,
        /// The prefix.
        prefix: String,
    },
    /// An RSA public key registered with
    /// [`LocalProviderConfig::rsa_client`] does not parse.
    #[error("the RSA public key registered for `{consumer_key}` is not a PEM public key (SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`)")]
    RsaKey {
        /// The consumer key it was registered for.
        consumer_key: String,
    },
    /// The endpoint given to `activate_integration` is not an `http://` URL on a loopback
    /// address.
    #[error("the integration endpoint must be an http:// URL on a loopback address (127.0.0.1, [::1] or localhost): {0}")]
    ActivationEndpoint(String),
    /// The activation could not be posted to the integration endpoint, or its answer could
    /// not be read.
    #[error("could not post the integration activation to {endpoint}")]
    Activation {
        /// The endpoint.
        endpoint: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The server failed while running, or its thread/runtime could not start.
    #[error("the local provider failed")]
    Io(#[from] std::io::Error),
}

/// What a client needs to talk to a running local provider.
#[derive(Clone)]
pub struct Endpoints {
    addr: SocketAddr,
    base_url: String,
    client: ClientCredentials,
    user: (String, Secret),
    service: Service,
    app: Arc<App>,
}

impl std::fmt::Debug for Endpoints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoints")
            .field("base_url", &self.base_url)
            .field("client", &self.client)
            .field("user", &self.user.0)
            .field("service", &self.service.name())
            .finish()
    }
}

impl Endpoints {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// The first registered consumer.
    pub fn client(&self) -> ClientCredentials {
        self.client.clone()
    }
    /// The first user's screen name and password.
    pub fn user(&self) -> (&str, &str) {
        (&self.user.0, self.user.1.secret())
    }
    /// The service played.
    pub fn service(&self) -> &Service {
        &self.service
    }
    /// The request-token URL: the service's path on the base URL (Twitter:
    /// `POST …/oauth/request_token`; NetSuite `…/rest/requesttoken`, ...). A service without
    /// one (WooCommerce, LTI) gives Twitter's path, which answers 404.
    pub fn request_token_url(&self) -> String {
        let path = self.service.request_token_path();
        format!(
            "{}{}",
            self.base_url,
            path.unwrap_or("/oauth/request_token")
        )
    }
    /// The authorization page's URL (Twitter: `GET …/oauth/authorize`); Twitter's path, which
    /// answers 404, for a service without one (Magento, WooCommerce, LTI).
    pub fn authorize_url(&self) -> String {
        let path = self.service.authorize_path();
        format!("{}{}", self.base_url, path.unwrap_or("/oauth/authorize"))
    }
    /// `GET …/oauth/authenticate` (Twitter only).
    pub fn authenticate_url(&self) -> String {
        format!("{}/oauth/authenticate", self.base_url)
    }
    /// The access-token URL (Twitter: `POST …/oauth/access_token`, also xAuth); Twitter's
    /// path, which answers 404, for a service without one.
    pub fn access_token_url(&self) -> String {
        let path = self.service.access_token_path();
        format!("{}{}", self.base_url, path.unwrap_or("/oauth/access_token"))
    }
    /// The URL of the service's protected resource (Twitter
    /// `…/1.1/account/verify_credentials.json`, Jira `…/rest/api/2/myself`, LTI's launch URL
    /// `…/lti/launch`, ...).
    pub fn resource_url(&self) -> String {
        format!("{}{}", self.base_url, self.service.resource_path())
    }
    /// `POST …/1.1/oauth/invalidate_token`.
    pub fn invalidate_token_url(&self) -> String {
        format!("{}/1.1/oauth/invalidate_token", self.base_url)
    }
    /// Plays Magento's integration activation from blocking code (a
    /// [`BackgroundProvider`], the CLI): posts the first consumer's key and secret, the store's
    /// base URL and a fresh `oauth_verifier` to `endpoint_url` (the integration's callback
    /// endpoint, an `http://` URL on a loopback address) as a form, and returns the status the
    /// endpoint answered. The consumer can then ask for a request token and an access token
    /// with that verifier. From async code use [`LocalProvider::activate_integration`].
    pub fn activate_integration(
        &self,
        endpoint_url: &str,
    ) -> Result<http::StatusCode, ServerError> {
        activation::prepare(self, endpoint_url)?.post_blocking()
    }
    /// The local provider's URL for a URL of the real service: `url` with its scheme and
    /// host (one of the service's [`hosts`](Service::hosts)) replaced by the base URL, its path
    /// and query kept. `None` when `url` is not on one of the service's hosts.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), oauth1_server::ServerError> {
    /// use oauth1_server::{LocalProvider, LocalProviderConfig, Service};
    /// let p = LocalProvider::start_with(
    ///     LocalProviderConfig::default().service(Service::netsuite("1234567-sb1")),
    /// )
    /// .await?;
    /// let real = "https://1234567-sb1.restlets.api.netsuite.com/rest/requesttoken";
    /// assert_eq!(p.local_url(real), Some(p.request_token_url()));
    /// assert_eq!(p.local_url("https://example.com/rest/requesttoken"), None);
    /// # Ok(()) }
    /// ```
    pub fn local_url(&self, url: &str) -> Option<String> {
        let uri: http::Uri = url.parse().ok()?;
        let host = uri.host()?;
        if !self
            .service
            .hosts()
            .iter()
            .any(|h| h.eq_ignore_ascii_case(host))
        {
            return None;
        }
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        Some(format!("{}{path}", self.base_url))
    }
    /// The URL of a resource path, e.g. `/1.1/account/verify_credentials.json`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// A local provider running in the current tokio runtime; stops when dropped or on
/// [`shutdown`](LocalProvider::shutdown). Its accessors come from [`Endpoints`] (`Deref`).
///
/// ```no_run
/// # async fn run() -> Result<(), oauth1_server::ServerError> {
/// let provider = oauth1_server::LocalProvider::start().await?; // auto-approve on
/// println!("request tokens at {}", provider.request_token_url());
/// let client = provider.client(); // registered consumer key and secret
/// provider.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct LocalProvider {
    endpoints: Endpoints,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), std::io::Error>>>,
}

impl std::ops::Deref for LocalProvider {
    type Target = Endpoints;
    fn deref(&self) -> &Endpoints {
        &self.endpoints
    }
}

/// A provider's state, its first consumer and its first user.
type Built = (Arc<App>, ClientCredentials, (String, Secret));

/// The application state of a provider listening on `port`.
fn app(
    config: &LocalProviderConfig,
    port: u16,
    random: Arc<dyn RandomSource>,
) -> Result<Built, ServerError> {
    let mut clients = config.clients.clone();
    if clients.is_empty() {
        clients.push((
            DEFAULT_CONSUMER_KEY.into(),
            Secret::new(DEFAULT_CONSUMER_SECRET),
        ));
    }
    let mut users = config.users.clone();
    if users.is_empty() {
        users.push((DEFAULT_USER.0.into(), Secret::new(DEFAULT_USER.1)));
    }
    let first_client = ClientCredentials::new(clients[0].0.clone(), clients[0].1.clone());
    let first_user = users[0].clone();
    let mut callbacks = HashMap::new();
    for (key, prefixes) in &config.callbacks {
        let parsed = prefixes
            .iter()
            .map(|p| {
                CallbackUrl::parse(p).map_err(|_| ServerError::CallbackPrefix {
                    consumer_key: key.clone(),
                    prefix: p.clone(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        callbacks.insert(key.clone(), parsed);
    }
    let mut rsa_keys = HashMap::new();
    for (key, pem) in &config.rsa_clients {
        let public =
            oauth1_core::RsaKey::from_public_pem(pem).map_err(|_| ServerError::RsaKey {
                consumer_key: key.clone(),
            })?;
        rsa_keys.insert(key.clone(), public);
    }
    let access = config
        .issued_tokens
        .iter()
        .map(|(consumer_key, token, secret)| {
            (
                token.clone(),
                Access {
                    consumer_key: consumer_key.clone(),
                    secret: secret.clone(),
                    user: 0,
                },
            )
        })
        .collect::<HashMap<_, _>>();
    let store = Arc::new(Store {
        clients: clients.into_iter().collect::<HashMap<_, _>>(),
        rsa_keys,
        activations: Mutex::new(HashMap::new()),
        users: users
            .into_iter()
            .enumerate()
            .map(|(i, (screen_name, password))| User {
                id: 1000 + i as u64,
                screen_name,
                password,
            })
            .collect(),
        temporary: Mutex::new(HashMap::new()),
        access: Mutex::new(access),
        clock: Arc::clone(&config.clock),
        lifetime: config.request_token_lifetime,
        sweeps: tokio::sync::watch::Sender::new(0),
    });
    let window = config.window.as_secs();
    let clock = Arc::clone(&config.clock);
    let rules = config.service.rules();
    let app = Arc::new(App {
        verifier: Verifier::new(
            Arc::clone(&store),
            config
                .nonce_store
                .clone()
                .unwrap_or_else(|| Arc::new(MemoryNonceStore::default())),
        )
        .window(window)
        .clock(move || clock.now())
        // PLAINTEXT only for a service that takes it (Discogs), over the provider's own http,
        // or when a test asks for it (`plaintext_over_http`).
        .insecure_plaintext_over_http(rules.plaintext || config.plaintext_over_http),
        store,
        auto_approve: config.auto_approve,
        app_name: config.app_name.clone(),
        next_id: AtomicU64::new(1),
        clock: Arc::clone(&config.clock),
        random,
        callbacks,
        port,
        body_limit: config.body_limit,
        body_timeout: config.body_timeout,
        service: config.service.clone(),
        rules,
        base_url: format!(
            "http://{}",
            SocketAddr::new(
                if config.addr.ip().is_unspecified() {
                    std::net::Ipv4Addr::LOCALHOST.into()
                } else {
                    config.addr.ip()
                },
                port
            )
        ),
    });
    Ok((app, first_client, first_user))
}

fn limits(config: &LocalProviderConfig) -> server::Limits {
    server::Limits {
        header: config.header_timeout,
        idle: config.idle_timeout,
        max_connections: config.max_connections.max(1),
        sweep: config.sweep_interval.max(Duration::from_millis(1)),
    }
}

async fn bind(
    config: &LocalProviderConfig,
) -> Result<(tokio::net::TcpListener, Endpoints, Arc<App>), ServerError> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr()?;
    let (app, client, user) = app(config, addr.port(), Arc::new(OsRandom))?;
    let endpoints = Endpoints {
        addr,
        base_url: format!("http://{addr}"),
        client,
        user,
        service: config.service.clone(),
        app: Arc::clone(&app),
    };
    Ok((listener, endpoints, app))
}

impl LocalProvider {
    /// Starts a provider on a free loopback port with auto-approve on and the default
    /// consumer and user: what a test wants.
    pub async fn start() -> Result<LocalProvider, ServerError> {
        Self::start_with(LocalProviderConfig::default().auto_approve(true)).await
    }

    /// Starts a provider with `config`.
    pub async fn start_with(config: LocalProviderConfig) -> Result<LocalProvider, ServerError> {
        let (listener, endpoints, app) = bind(&config).await?;
        let (stop, stopped) = oneshot::channel::<()>();
        let limits = limits(&config);
        let task = tokio::spawn(server::run(listener, app, limits, async {
            let _ = stopped.await;
        }));
        Ok(LocalProvider {
            endpoints,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Plays Magento's integration activation from async code: posts the first consumer's key
    /// and secret, the store's base URL and a fresh `oauth_verifier` to `endpoint_url` (the
    /// integration's callback endpoint, an `http://` URL on a loopback address), as a form, and
    /// returns the status the endpoint answered. The consumer can then ask for a request token
    /// and an access token with that verifier (see `docs/local-provider.md`, Magento). This
    /// async method stands in front of the blocking [`Endpoints::activate_integration`].
    pub async fn activate_integration(
        &self,
        endpoint_url: &str,
    ) -> Result<http::StatusCode, ServerError> {
        let activation = activation::prepare(&self.endpoints, endpoint_url)?;
        activation.post().await
    }

    /// Stops the server and waits for it (open streams are cut).
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    /// Runs a provider until `shutdown` resolves (for `oauth1 serve`); `ready` is called
    /// with the endpoints once it listens.
    pub async fn serve(
        config: LocalProviderConfig,
        ready: impl FnOnce(&Endpoints),
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        let (listener, endpoints, app) = bind(&config).await?;
        ready(&endpoints);
        server::run(listener, app, limits(&config), shutdown).await?;
        Ok(())
    }

    /// Starts a provider on its own thread with its own runtime, for blocking code (tests of
    /// blocking transports, the CLI). It stops when the handle is dropped.
    pub fn start_in_background(
        config: LocalProviderConfig,
    ) -> Result<BackgroundProvider, ServerError> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("oauth1-local-provider".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = ready_tx.send(Err(ServerError::Io(e)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let result = LocalProvider::serve(
                        config,
                        |endpoints| {
                            let _ = ready_tx.send(Ok(endpoints.clone()));
                        },
                        async {
                            let _ = stopped.await;
                        },
                    )
                    .await;
                    if let Err(e) = result {
                        let _ = ready_tx.send(Err(e));
                    }
                });
                runtime.shutdown_timeout(Duration::from_secs(1));
            })?;
        let endpoints = ready_rx
            .recv()
            .map_err(|_| std::io::Error::other("the provider thread ended before it listened"))??;
        Ok(BackgroundProvider {
            endpoints,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for LocalProvider {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A local provider on its own thread (see [`LocalProvider::start_in_background`]); its
/// accessors come from [`Endpoints`] (`Deref`). Dropping it stops the server.
#[derive(Debug)]
pub struct BackgroundProvider {
    endpoints: Endpoints,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::ops::Deref for BackgroundProvider {
    type Target = Endpoints;
    fn deref(&self) -> &Endpoints {
        &self.endpoints
    }
}

impl Drop for BackgroundProvider {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `url` with `params` added to its query.
pub(crate) fn with_query(url: &str, params: &[(&str, &str)]) -> String {
    let (base, fragment) = url
        .split_once('#')
        .map_or((url, None), |(b, f)| (b, Some(f)));
    let mut out = base.to_owned();
    let mut sep = if base.contains('?') { "&" } else { "?" };
    if base.ends_with('?') || base.ends_with('&') {
        sep = "";
    }
    for (n, v) in params {
        out.push_str(sep);
        out.push_str(&percent_encode(n));
        out.push('=');
        out.push_str(&percent_encode(v));
        sep = "&";
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

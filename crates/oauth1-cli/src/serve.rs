//! `oauth1 serve`: the local provider in the foreground, playing Twitter or another service
//! (`--as NAME`).

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use oauth1_server::{Endpoints, LocalProvider, LocalProviderConfig, RedisNonceStore, Service};

/// The environment variable read for the Redis URL when `--redis` is not given (a URL with a
/// password is better there than on the command line, where `ps` shows it).
pub const REDIS_URL_ENV: &str = "OAUTH1_REDIS_URL";

/// Flags of `oauth1 serve`. Their `Debug` shows whether a Redis URL is set, not the URL (it
/// may hold a password).
#[derive(Clone, Args)]
pub struct ServeArgs {
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Approve every authorization at once instead of showing the Allow/Deny page.
    #[arg(long)]
    pub auto_approve: bool,
    /// Keep nonces in Redis at this URL (`redis://host:port/db`, or `rediss://` for TLS)
    /// instead of in memory: every `oauth1 serve` given the same Redis refuses a request
    /// another one already accepted. A URL with a password is better in OAUTH1_REDIS_URL: other
    /// users can read the command line.
    #[arg(long, value_name = "URL", env = REDIS_URL_ENV, hide_env_values = true)]
    pub redis: Option<String>,
    /// With a `rediss://…` URL: trust only this certificate authority (a PEM file) instead of
    /// the system's root certificates.
    #[arg(long, value_name = "FILE", requires = "redis")]
    pub redis_ca: Option<PathBuf>,
    /// The service to play, with its paths, signature methods, realm, placement, authorization
    /// parameters, token fields and error shapes: twitter (the default), netsuite, jira,
    /// woocommerce, magento, garmin, flickr, trello, tumblr, discogs, smugmug, zotero, lti.
    #[arg(long = "as", value_name = "NAME", default_value = "twitter", value_parser = service_name)]
    pub service: String,
    /// With `--as netsuite`: the account id, as hosts write it (`1234567-sb1`) or as realms do
    /// (`1234567_SB1`).
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// With `--as jira`: the consumer's RSA public key (a PEM file); the consumer key is the
    /// one printed.
    #[arg(long, value_name = "FILE")]
    pub rsa_public_key: Option<PathBuf>,
    /// With `--as magento`: once listening, post the integration's activation (the consumer
    /// key and secret, the store URL and a verifier) to this http://127.0.0.1 endpoint.
    #[arg(long, value_name = "URL")]
    pub activate: Option<String>,
}

/// `--as`: one of [`Service::names`], or an error that lists them.
fn service_name(name: &str) -> Result<String, String> {
    match Service::by_name(name) {
        Some(service) => Ok(service.name().to_owned()),
        None => Err(format!(
            "unknown service `{name}`; valid names: {}",
            Service::names().join(", ")
        )),
    }
}

/// The service `args` ask for, with its options.
fn service(args: &ServeArgs) -> Result<Service, String> {
    let service = match Service::by_name(&args.service) {
        Some(service) => service,
        None => return Err(service_name(&args.service).err().unwrap_or_default()),
    };
    let is = |name: &str| service.name() == name;
    if args.account.is_some() && !is("netsuite") {
        return Err("--account is for --as netsuite".to_owned());
    }
    if args.rsa_public_key.is_some() && !is("jira") {
        return Err("--rsa-public-key is for --as jira".to_owned());
    }
    if args.activate.is_some() && !is("magento") {
        return Err("--activate is for --as magento".to_owned());
    }
    Ok(match &args.account {
        Some(account) if !account.trim().is_empty() => service.account(account),
        Some(_) => {
            return Err("--account needs an account id, like 1234567 or 1234567-sb1".to_owned())
        }
        None => service,
    })
}

/// Prints the service's endpoints and rules.
fn print_service(endpoints: &Endpoints, rsa_consumer: bool) {
    let service = endpoints.service();
    let line = |label: &str, method: Option<http::Method>, url: String| {
        if let Some(method) = method {
            println!("  {label:<17}{method:<5}{url}");
        }
    };
    line(
        "request token:",
        service.request_token_method(),
        endpoints.request_token_url(),
    );
    line(
        "authorize:",
        service.authorize_path().map(|_| http::Method::GET),
        endpoints.authorize_url(),
    );
    line(
        "access token:",
        service.access_token_method(),
        endpoints.access_token_url(),
    );
    let resource_label = if service.name() == "lti" {
        "launch:"
    } else {
        "resource:"
    };
    line(
        resource_label,
        Some(service.resource_method()),
        endpoints.resource_url(),
    );
    println!(
        "  signature:       {}",
        service.signature_methods().join(" or ")
    );
    if let Some(realm) = service.realm() {
        println!("  realm:           {realm}");
    }
    match service.name() {
        "jira" if !rsa_consumer => println!(
            "  rsa consumer:    none; register its public key with --rsa-public-key FILE"
        ),
        "magento" => println!(
            "  activation:      --activate URL posts the consumer and a verifier to your integration"
        ),
        _ => {}
    }
    let hosts = service.hosts();
    if !hosts.is_empty() {
        println!("  hosts:           {} (all map here)", hosts.join(", "));
    }
}

impl std::fmt::Debug for ServeArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeArgs")
            .field("port", &self.port)
            .field("auto_approve", &self.auto_approve)
            .field("redis", &self.redis.as_ref().map(|_| "[set]"))
            .field("redis_ca", &self.redis_ca)
            .field("service", &self.service)
            .field("account", &self.account)
            .field("rsa_public_key", &self.rsa_public_key)
            .field("activate", &self.activate)
            .finish()
    }
}

/// The Redis nonce store `args` ask for, connected (so that a wrong URL fails at start-up).
async fn redis_store(args: &ServeArgs) -> Result<Option<RedisNonceStore>, String> {
    let Some(url) = args.redis.as_ref().filter(|url| !url.is_empty()) else {
        return Ok(None);
    };
    let store = match &args.redis_ca {
        None => RedisNonceStore::connect(url).await,
        Some(path) => {
            let ca = std::fs::read(path)
                .map_err(|e| format!("cannot read the CA file {}: {e}", path.display()))?;
            RedisNonceStore::connect_with_ca(url, &ca).await
        }
    };
    // The error never holds the URL (it may hold a password).
    store.map(Some).map_err(|e| {
        format!(
            "the Redis of --redis or {REDIS_URL_ENV}: {}",
            oauth1_core::Chain(&e)
        )
    })
}

/// Runs the provider until Ctrl-C; prints where it is and its credentials.
pub fn run(args: &ServeArgs) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    let service = service(args)?;
    let mut config = LocalProviderConfig::default()
        .addr(std::net::SocketAddr::from(([127, 0, 0, 1], args.port)))
        .auto_approve(args.auto_approve)
        .service(service.clone());
    if let Some(path) = &args.rsa_public_key {
        let pem = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the RSA public key {}: {e}", path.display()))?;
        config = config.rsa_client(oauth1_server::DEFAULT_CONSUMER_KEY, pem);
    }
    let redis = runtime.block_on(redis_store(args))?;
    let shared = redis.is_some();
    if let Some(store) = redis {
        config = config.nonce_store(Arc::new(store));
    }
    let activate = args.activate.clone();
    runtime
        .block_on(LocalProvider::serve(
            config,
            |endpoints| {
                let client = endpoints.client();
                let (user, password) = endpoints.user();
                println!("Local OAuth 1.0a provider at {}", endpoints.base_url());
                if service.name() == "twitter" {
                    println!("  request token:  POST {}", endpoints.request_token_url());
                    println!("  authorize:      GET  {}", endpoints.authorize_url());
                    println!("  access token:   POST {}", endpoints.access_token_url());
                } else {
                    println!("  playing:         {}", service.name());
                    print_service(endpoints, args.rsa_public_key.is_some());
                }
                println!("  consumer key:    {}", client.key());
                println!("  consumer secret: {}", client.secret().secret());
                println!("  user (xAuth):    {user} / {password}");
                println!(
                    "  authorization:   {}",
                    if args.auto_approve {
                        "approved automatically"
                    } else {
                        "Allow/Deny page"
                    }
                );
                println!(
                    "  nonces:          {}",
                    if shared {
                        "in Redis (shared with every provider that uses it)"
                    } else {
                        "in memory"
                    }
                );
                if let Some(url) = activate.clone() {
                    // On its own thread: the integration may call back into the provider
                    // (request token) before it answers the activation.
                    let endpoints = endpoints.clone();
                    std::thread::spawn(move || match endpoints.activate_integration(&url) {
                        Ok(status) => println!("Activation posted to {url}: {status}"),
                        Err(e) => eprintln!(
                            "oauth1 serve: the activation failed: {}",
                            oauth1_core::Chain(&e)
                        ),
                    });
                }
                println!(
                    "Try: oauth1 authorize --local {} (Ctrl-C stops the provider)",
                    endpoints.base_url()
                );
            },
            async {
                let _ = tokio::signal::ctrl_c().await;
            },
        ))
        .map_err(|e| oauth1_core::Chain(&e).to_string())?;
    println!("Stopped.");
    Ok(())
}

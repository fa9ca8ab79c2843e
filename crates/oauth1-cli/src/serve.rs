//! `oauth1 serve`: the local provider in the foreground, playing Twitter or another service
//! (`--as NAME`).

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use oauth1_core::Secret;
use oauth1_server::{
    Endpoints, LocalProvider, LocalProviderConfig, RedisNonceStore, Service, DEFAULT_CONSUMER_KEY,
    DEFAULT_CONSUMER_SECRET,
};

use crate::sign::{CONSUMER_SECRET_ENV, TOKEN_SECRET_ENV};

/// The environment variable read for the Redis URL when `--redis` is not given (a URL with a
/// password is better there than on the command line, where `ps` shows it).
pub const REDIS_URL_ENV: &str = "OAUTH1_REDIS_URL";

/// The largest PEM file `serve` reads (`--rsa-public-key`, `--redis-ca`): 64 KiB, room for a
/// long certificate chain; a key is under 2 KiB.
pub const MAX_PEM_FILE: u64 = 64 * 1024;

/// Reads the PEM file `path` given with `flag`, at most [`MAX_PEM_FILE`] bytes (a larger file,
/// or a pipe that gives more, is refused with the flag and the limit named).
fn read_pem_file(flag: &str, path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let cannot = |e: std::io::Error| format!("{flag} {}: cannot read it: {e}", path.display());
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(MAX_PEM_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_PEM_FILE {
        return Err(format!(
            "{flag} {}: larger than {} KiB, which no PEM key or certificate file is",
            path.display(),
            MAX_PEM_FILE / 1024
        ));
    }
    Ok(bytes)
}

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
    /// Registers the consumer KEY besides the built-in one, its secret read from
    /// OAUTH1_CONSUMER_SECRET (never from an argument: other users can read the command line).
    #[arg(long = "consumer", value_name = "KEY")]
    pub consumer: Option<String>,
    /// Issues the access token TOKEN to the consumer of `--consumer` (or the built-in one), for
    /// the first user, its secret read from OAUTH1_TOKEN_SECRET: signed calls with it need no
    /// dance.
    #[arg(long = "token", value_name = "TOKEN")]
    pub token: Option<String>,
    /// The consumer's RSA public key (a PEM file), for RSA-SHA1 signatures: registered for the
    /// consumer printed and the one of `--consumer`. `--as jira` needs it; with a service whose
    /// signature methods leave RSA out, RSA requests are still refused.
    #[arg(long, value_name = "FILE")]
    pub rsa_public_key: Option<PathBuf>,
    /// Accept PLAINTEXT signatures over this provider's plain http (tests only: the secrets
    /// travel as they are). Off by default: PLAINTEXT over http is refused.
    #[arg(long)]
    pub insecure_plaintext_over_http: bool,
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
            // `Method`'s Display ignores a width: pad its text.
            println!("  {label:<17}{:<5}{url}", method.as_str());
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
            .field("consumer", &self.consumer)
            .field("token", &self.token)
            .field("rsa_public_key", &self.rsa_public_key)
            .field(
                "insecure_plaintext_over_http",
                &self.insecure_plaintext_over_http,
            )
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
            let ca = read_pem_file("--redis-ca", path)?;
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

/// The secret in the environment variable `var`, for the flag `flag` (never from an argument).
fn secret_from_env(var: &str, flag: &str) -> Result<Secret, String> {
    match std::env::var(var) {
        Ok(secret) => Ok(Secret::new(secret)),
        Err(std::env::VarError::NotPresent) => Err(format!(
            "{flag} needs its secret in the environment variable {var} (a secret on the command \
             line is readable by other users): export {var}=... and run again"
        )),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!(
            "{var} is not valid UTF-8: set it to the secret as text"
        )),
    }
}

/// The consumers, the issued token, the RSA key and the PLAINTEXT setting `args` ask for,
/// registered in `config`.
fn credentials(
    args: &ServeArgs,
    mut config: LocalProviderConfig,
) -> Result<LocalProviderConfig, String> {
    let consumer = match &args.consumer {
        Some(key) if key.is_empty() || key.chars().any(char::is_control) => {
            return Err(
                "--consumer needs a consumer key: printable characters, not empty".to_owned(),
            )
        }
        Some(key) => Some(key.as_str()),
        None => None,
    };
    // The built-in consumer stays first (it is the one printed with its secret), unless
    // --consumer names it: then its secret is the one from the environment.
    if consumer != Some(DEFAULT_CONSUMER_KEY) {
        config = config.client(DEFAULT_CONSUMER_KEY, DEFAULT_CONSUMER_SECRET);
    }
    if let Some(key) = consumer {
        config = config.client(key, secret_from_env(CONSUMER_SECRET_ENV, "--consumer")?);
    }
    if let Some(token) = &args.token {
        if token.is_empty() || token.chars().any(char::is_control) {
            return Err("--token needs a token: printable characters, not empty".to_owned());
        }
        let secret = secret_from_env(TOKEN_SECRET_ENV, "--token")?;
        config = config.issued_token(consumer.unwrap_or(DEFAULT_CONSUMER_KEY), token, secret);
    }
    if let Some(path) = &args.rsa_public_key {
        let pem = String::from_utf8(read_pem_file("--rsa-public-key", path)?).unwrap_or_default();
        if oauth1_core::RsaKey::from_public_pem(&pem).is_err() {
            return Err(format!(
                "the RSA public key {} is not a PEM public key (`-----BEGIN PUBLIC KEY-----` or \
                 `-----BEGIN RSA PUBLIC KEY-----`); make one from the private key with \
                 `openssl rsa -in private.pem -pubout`",
                path.display()
            ));
        }
        config = config.rsa_client(DEFAULT_CONSUMER_KEY, pem.clone());
        if let Some(key) = consumer.filter(|key| *key != DEFAULT_CONSUMER_KEY) {
            config = config.rsa_client(key, pem);
        }
    }
    Ok(config.plaintext_over_http(args.insecure_plaintext_over_http))
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
    config = credentials(args, config)?;
    let methods = service.signature_methods();
    let twitter = service.name() == "twitter";
    if args.rsa_public_key.is_some() && !twitter && !methods.contains(&"RSA-SHA1") {
        crate::warning::warn(&format!(
            "--as {} takes {} only: it refuses RSA-SHA1 although --rsa-public-key registers the key",
            service.name(),
            methods.join(" or ")
        ));
    }
    if args.insecure_plaintext_over_http {
        crate::warning::warn(
            "--insecure-plaintext-over-http: this provider accepts PLAINTEXT signatures over \
             plain http, where the consumer and token secrets travel as they are and anyone on \
             the way can read them; for tests on this machine only, never with real secrets",
        );
        if !twitter && !methods.contains(&"PLAINTEXT") {
            crate::warning::warn(&format!(
                "--as {} takes {} only: it refuses PLAINTEXT anyway",
                service.name(),
                methods.join(" or ")
            ));
        }
    }
    let redis = runtime.block_on(redis_store(args))?;
    let shared = redis.is_some();
    if let Some(store) = redis {
        config = config.nonce_store(Arc::new(store));
    }
    let activate = args.activate.clone();
    let consumer = args.consumer.clone();
    let token = args.token.clone();
    let rsa_public_key = args.rsa_public_key.clone();
    let plaintext = args.insecure_plaintext_over_http;
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
                if client.key() == DEFAULT_CONSUMER_KEY && consumer.as_deref() != Some(DEFAULT_CONSUMER_KEY) {
                    // The built-in consumer's secret is public (it is in the docs).
                    println!("  consumer secret: {}", client.secret().secret());
                } else {
                    println!("  consumer secret: (from {CONSUMER_SECRET_ENV})");
                }
                if let Some(key) = consumer.as_deref().filter(|key| *key != DEFAULT_CONSUMER_KEY) {
                    println!("  consumer:        {key} (secret from {CONSUMER_SECRET_ENV})");
                }
                if let Some(token) = &token {
                    println!(
                        "  issued token:    {token} (of {}, secret from {TOKEN_SECRET_ENV})",
                        consumer.as_deref().unwrap_or(DEFAULT_CONSUMER_KEY)
                    );
                }
                if let Some(path) = &rsa_public_key {
                    println!("  rsa public key:  {} (RSA-SHA1)", path.display());
                }
                if plaintext {
                    println!("  plaintext:       accepted over http (--insecure-plaintext-over-http; tests only)");
                }
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
                let service = endpoints.service();
                let mut preset = match (service.name(), service.realm()) {
                    ("twitter", _) => String::new(),
                    (name, Some(account)) => format!("--provider {name} --account {account} "),
                    (name, None) => format!("--provider {name} "),
                };
                // A service that takes RSA-SHA1 alone signs with the consumer's private key.
                if service.signature_methods() == ["RSA-SHA1"] {
                    preset.push_str("--rsa-key-file PRIVATE_KEY.pem ");
                }
                println!(
                    "Try: oauth1 authorize {preset}--local {} (Ctrl-C stops the provider)",
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

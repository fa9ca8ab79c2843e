//! `oauth1 serve`: the local provider in the foreground.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use oauth1_server::{LocalProvider, LocalProviderConfig, RedisNonceStore};

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
}

impl std::fmt::Debug for ServeArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeArgs")
            .field("port", &self.port)
            .field("auto_approve", &self.auto_approve)
            .field("redis", &self.redis.as_ref().map(|_| "[set]"))
            .field("redis_ca", &self.redis_ca)
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
    let mut config = LocalProviderConfig::default()
        .addr(std::net::SocketAddr::from(([127, 0, 0, 1], args.port)))
        .auto_approve(args.auto_approve);
    let redis = runtime.block_on(redis_store(args))?;
    let shared = redis.is_some();
    if let Some(store) = redis {
        config = config.nonce_store(Arc::new(store));
    }
    runtime
        .block_on(LocalProvider::serve(
            config,
            |endpoints| {
                let client = endpoints.client();
                let (user, password) = endpoints.user();
                println!("Local OAuth 1.0a provider at {}", endpoints.base_url());
                println!("  request token:  POST {}", endpoints.request_token_url());
                println!("  authorize:      GET  {}", endpoints.authorize_url());
                println!("  access token:   POST {}", endpoints.access_token_url());
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

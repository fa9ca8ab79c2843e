//! `oauth1 serve`: the local provider in the foreground.

use clap::Args;
use oauth1_server::{LocalProvider, LocalProviderConfig};

/// Flags of `oauth1 serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Approve every authorization at once instead of showing the Allow/Deny page.
    #[arg(long)]
    pub auto_approve: bool,
}

/// Runs the provider until Ctrl-C; prints where it is and its credentials.
pub fn run(args: &ServeArgs) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    let config = LocalProviderConfig::default()
        .addr(std::net::SocketAddr::from(([127, 0, 0, 1], args.port)))
        .auto_approve(args.auto_approve);
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
                    "Try: oauth1 authorize --local {} (Ctrl-C stops the provider)",
                    endpoints.base_url()
                );
            },
            async {
                let _ = tokio::signal::ctrl_c().await;
            },
        ))
        .map_err(|e| e.to_string())?;
    println!("Stopped.");
    Ok(())
}

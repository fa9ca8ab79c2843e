//! "Sign in with Twitter" in a small axum web app: a button, the request token parked in a
//! server-side session, the redirect to `oauth/authenticate`, the callback checked against the
//! parked token, the access token kept, "signed in as @name", logout.
//!
//! ```text
//! cargo run --example sign_in_with_twitter
//! ```
//!
//! With no `TWITTER_CONSUMER_*` variables it starts the local provider (whose page has Allow
//! and Deny buttons) and the app, and prints the app's URL: open it in a browser. With them set
//! it talks to the real API (`TWITTER_API_BASE`); the app listens on `APP_ADDR` (default
//! `127.0.0.1:3000`), and `http://APP_ADDR/callback` must be a callback URL of the app in the
//! developer portal. Behind a TLS proxy, set `APP_BASE_URL` to the public address
//! (`https://…`): the callback goes there and the session cookie gets `Secure`.
//!
//! The sessions follow the rules a login must (see `app.rs`): the server issues every session
//! id and ignores ids it did not issue, a new id at sign-in, an `HttpOnly`, `SameSite=Lax`
//! cookie (`Secure` on https), logout by POST from the app's own page, sign-ins in progress
//! capped and expired (so a flood of `/login` hits costs a bounded number of calls to
//! Twitter), signed-in sessions expired.
//!
//! The tests (`cargo test --example sign_in_with_twitter`) click through it in headless
//! Chromium (installed by `scripts/install-browser.sh`): allow, deny, a tampered callback, and
//! a session cookie planted before sign-in; and check the session rules over plain HTTP
//! (`sessions.rs`).

mod app;
#[cfg(test)]
mod browser;
#[cfg(test)]
mod sessions;

use std::net::SocketAddr;

use oauth1_core::ClientCredentials;
use oauth1_flow::Flow;
use oauth1_provider_twitter::Twitter;
use oauth1_server::{LocalProvider, LocalProviderConfig};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The app's listener, its URL, and the local provider when there are no credentials.
async fn start(
    addr: SocketAddr,
) -> Result<
    (
        tokio::net::TcpListener,
        String,
        Flow<Twitter>,
        Option<LocalProvider>,
    ),
    BoxError,
> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let key = std::env::var("TWITTER_CONSUMER_KEY").ok();
    let secret = std::env::var("TWITTER_CONSUMER_SECRET").ok();
    let (flow, local) = match (key, secret) {
        (Some(key), Some(secret)) => {
            let base = std::env::var("TWITTER_API_BASE")
                .unwrap_or_else(|_| oauth1_provider_twitter::API_BASE.into());
            (
                Flow::new(
                    Twitter::with_base(&base),
                    ClientCredentials::new(key, secret),
                )?,
                None,
            )
        }
        _ => {
            // A person (or the browser test) clicks Allow or Deny: no auto-approve.
            let local = LocalProvider::start_with(LocalProviderConfig::default()).await?;
            let flow = Flow::new(Twitter::with_base(local.base_url()), local.client())?;
            (flow, Some(local))
        }
    };
    Ok((listener, base_url, flow, local))
}

#[tokio::main]
async fn main() {
    let result: Result<(), BoxError> = async {
        let real = std::env::var_os("TWITTER_CONSUMER_KEY").is_some();
        let addr: SocketAddr = std::env::var("APP_ADDR")
            .unwrap_or_else(|_| {
                if real {
                    "127.0.0.1:3000".into()
                } else {
                    "127.0.0.1:0".into()
                }
            })
            .parse()?;
        let (listener, base_url, flow, local) = start(addr).await?;
        // The address browsers use, when it is not the one listened on (a TLS proxy).
        let base_url = std::env::var("APP_BASE_URL")
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or(base_url);
        if let Some(local) = &local {
            println!(
                "Local provider at {} (user {})",
                local.base_url(),
                local.user().0
            );
        }
        println!("Open {base_url}/ and click \"Sign in with Twitter\" (Ctrl-C to stop)");
        axum::serve(listener, app::router(app::App::new(flow, base_url)))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    }
    .await;
    if let Err(e) = result {
        eprintln!("error: {}", oauth1_core::Chain(&*e));
        std::process::exit(1);
    }
}

//! Shared pieces of the runnable examples in `examples/`.
//!
//! Each example runs with no account and no credentials (falling back to published test
//! credentials or the local provider) and against a real provider when its environment
//! variables are set.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// The value of environment variable `name`, or `default` when it is unset or empty.
pub fn env_or(name: &str, default: &str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v,
        _ => default.to_owned(),
    }
}

/// Twitter's documented "Creating a signature" credentials: public test values, not an account.
pub mod twitter_example {
    /// Consumer key.
    pub const CONSUMER_KEY: &str = "xvz1evFS4wEEPTGEFPHBog";
    /// Consumer secret.
    pub const CONSUMER_SECRET: &str = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
    /// Access token.
    pub const TOKEN: &str = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
    /// Access token secret.
    pub const TOKEN_SECRET: &str = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
}

/// The README's and the other docs' Rust examples, compiled and run as doctests so they cannot
/// rot. The guides (flow, provider, signing) are their crates' `guide` modules, whose examples
/// are those crates' doctests.
#[cfg(doctest)]
mod doc_examples {
    #[doc = include_str!("../../README.md")]
    struct Readme;

    #[doc = include_str!("../../docs/local-provider.md")]
    struct LocalProvider;

    #[doc = include_str!("../../docs/twitter.md")]
    struct Twitter;

    #[doc = include_str!("../../docs/security.md")]
    struct Security;

    #[doc = include_str!("../../docs/providers.md")]
    struct Providers;
}

/// Where the Twitter examples run: the real API (or any Twitter-compatible server) when
/// `TWITTER_CONSUMER_KEY` and `TWITTER_CONSUMER_SECRET` are set, otherwise a local provider
/// started in-process.
pub mod twitter {
    use oauth1_core::ClientCredentials;
    use oauth1_flow::{AccessToken, Callback, Flow, HttpClient};
    use oauth1_provider_twitter::Twitter;
    use oauth1_server::LocalProvider;
    use oauth1_transport_reqwest::ReqwestTransport;

    /// An error for the examples' `main`.
    pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

    /// The provider the example talks to.
    #[derive(Debug)]
    pub struct Setup {
        /// The flow (provider description and client credentials).
        pub flow: Flow<Twitter>,
        /// The local provider, when no credentials are set (kept alive while the example runs).
        pub local: Option<LocalProvider>,
        /// The transport.
        pub transport: ReqwestTransport,
    }

    fn var(name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }

    /// The setup from the environment (see the module docs); `xauth` enables xAuth on the
    /// provider description.
    pub async fn setup(xauth: bool) -> Result<Setup, BoxError> {
        let transport = ReqwestTransport::new();
        match (var("TWITTER_CONSUMER_KEY"), var("TWITTER_CONSUMER_SECRET")) {
            (Some(key), Some(secret)) => {
                let base = var("TWITTER_API_BASE")
                    .unwrap_or_else(|| oauth1_provider_twitter::API_BASE.to_owned());
                let flow = Flow::new(
                    Twitter::with_base(&base).xauth(xauth),
                    ClientCredentials::new(key, secret),
                )?;
                println!("Using {base} (TWITTER_CONSUMER_KEY is set)");
                Ok(Setup {
                    flow,
                    local: None,
                    transport,
                })
            }
            (None, None) => {
                let local = LocalProvider::start().await?;
                println!("Using the local provider at {} (set TWITTER_CONSUMER_KEY and TWITTER_CONSUMER_SECRET for the real API)", local.base_url());
                let flow = Flow::new(
                    Twitter::with_base(local.base_url()).xauth(xauth),
                    local.client(),
                )?;
                Ok(Setup {
                    flow,
                    local: Some(local),
                    transport,
                })
            }
            _ => {
                Err("set both TWITTER_CONSUMER_KEY and TWITTER_CONSUMER_SECRET, or neither".into())
            }
        }
    }

    impl Setup {
        /// An access token: `TWITTER_ACCESS_TOKEN`/`TWITTER_ACCESS_TOKEN_SECRET` against the real
        /// API, or a dance (auto-approved) against the local provider.
        pub async fn access_token(&self) -> Result<AccessToken, BoxError> {
            if self.local.is_none() {
                let token = var("TWITTER_ACCESS_TOKEN").ok_or("set TWITTER_ACCESS_TOKEN and TWITTER_ACCESS_TOKEN_SECRET (or run examples/pin_desktop.rs to get them)")?;
                let secret =
                    var("TWITTER_ACCESS_TOKEN_SECRET").ok_or("set TWITTER_ACCESS_TOKEN_SECRET")?;
                return Ok(AccessToken::new(token, secret));
            }
            let rt = self
                .flow
                .request_token(
                    &self.transport,
                    Callback::Url("http://127.0.0.1:9/callback".into()),
                )
                .await?;
            let page = self
                .transport
                .send(http::Request::get(rt.authorize_url(&self.flow, &[])?).body(Vec::new())?)
                .await?;
            let location = page
                .headers()
                .get(http::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .ok_or("the local provider did not redirect")?;
            let token = self
                .flow
                .access_token(&self.transport, &rt.verifier_from_callback(location)?)
                .await?;
            println!(
                "Signed in as @{} through the local provider",
                token.field("screen_name").unwrap_or("?")
            );
            Ok(token)
        }
    }
}

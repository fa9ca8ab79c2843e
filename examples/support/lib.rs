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

/// The README's and the guides' Rust examples, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
mod doc_examples {
    #[doc = include_str!("../../README.md")]
    struct Readme;

    #[doc = include_str!("../../docs/signing.md")]
    struct Signing;

    #[doc = include_str!("../../docs/local-provider.md")]
    struct LocalProvider;

    #[doc = include_str!("../../docs/flow.md")]
    struct Flow;
}

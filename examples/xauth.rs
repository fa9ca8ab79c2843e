//! xAuth: a username and password swapped for an access token, then a tweet.
//!
//! `cargo run --example xauth` uses the local provider and its user (`alice` / `wonderland`).
//! Against a provider that offers xAuth, set the `TWITTER_CONSUMER_*` variables and
//! `TWITTER_XAUTH_USERNAME` / `TWITTER_XAUTH_PASSWORD` (Twitter retired xAuth for new apps in
//! 2017).

use oauth1_core::Secret;
use oauth1_examples::twitter::{setup, BoxError};
use oauth1_provider_twitter::TwitterClient;

async fn run() -> Result<String, BoxError> {
    let setup = setup(true).await?;
    let (user, password) = match &setup.local {
        Some(local) => (local.user().0.to_owned(), Secret::new(local.user().1)),
        None => (
            std::env::var("TWITTER_XAUTH_USERNAME").map_err(|_| "set TWITTER_XAUTH_USERNAME")?,
            Secret::new(
                std::env::var("TWITTER_XAUTH_PASSWORD")
                    .map_err(|_| "set TWITTER_XAUTH_PASSWORD")?,
            ),
        ),
    };
    let token = setup.flow.xauth(&setup.transport, &user, &password).await?;
    println!(
        "xAuth: access token {} for @{}",
        token.token(),
        token.field("screen_name").unwrap_or(&user)
    );
    let client = TwitterClient::new(&setup.flow, setup.transport.clone(), &token)?;
    let tweet = client.post_tweet("posted with an xAuth token").await?;
    println!("tweet {}: {}", tweet.id, tweet.text);
    Ok(tweet.text)
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {}", oauth1_core::Chain(&*e));
        std::process::exit(1);
    }
}

#[test]
fn runs_offline() {
    if std::env::var_os("TWITTER_CONSUMER_KEY").is_some() {
        return; // Tests never touch a real provider.
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    assert_eq!(
        runtime.block_on(run()).unwrap(),
        "posted with an xAuth token"
    );
}

//! Post a tweet, with v2 (`POST /2/tweets`, JSON body) and with v1.1 (`statuses/update`, form
//! body).
//!
//! `cargo run --example tweet` runs against an in-process local provider. With
//! `TWITTER_CONSUMER_KEY`, `TWITTER_CONSUMER_SECRET`, `TWITTER_ACCESS_TOKEN` and
//! `TWITTER_ACCESS_TOKEN_SECRET` set, it posts for real (`TWITTER_API_BASE` changes the host;
//! `TWEET_TEXT` the text). v1.1 `statuses/update` exists only for some access tiers: error 453
//! is reported, not fatal.

use oauth1_examples::twitter::{setup, BoxError};
use oauth1_provider_twitter::{Code, TwitterClient};

async fn run() -> Result<(), BoxError> {
    let setup = setup(false).await?;
    let token = setup.access_token().await?;
    let client =
        TwitterClient::new(&setup.flow, setup.transport.clone(), &token)?.retry_on_clock_skew(true);
    let text = std::env::var("TWEET_TEXT")
        .unwrap_or_else(|_| "Hello Ladies + Gentlemen, a signed OAuth request!".into());

    let tweet = client.post_tweet(&text).await?;
    println!(
        "v2   POST /2/tweets            -> tweet {}: {}",
        tweet.id, tweet.text
    );
    match client.update_status(&format!("{text} (v1.1)")).await {
        Ok(tweet) => println!(
            "v1.1 POST statuses/update.json -> tweet {}: {}",
            tweet.id, tweet.text
        ),
        Err(e) if e.has_code(Code::NotInAccessTier) => {
            println!("v1.1 statuses/update is not in this app's access tier (453)")
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
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
    runtime.block_on(run()).unwrap();
}

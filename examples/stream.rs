//! Open a stream with a signed request and print each JSON value as it arrives (async
//! transport), then stop.
//!
//! `cargo run --example stream` reads the local provider's stream. X's v2 streams need an
//! app-only bearer token, not OAuth 1.0a, so against a real provider set `TWITTER_STREAM_PATH` to
//! a line-delimited JSON endpoint that takes OAuth 1.0a (with the `TWITTER_*` credentials of
//! `examples/tweet.rs`). `STREAM_COUNT` (default 10) says how many values to print.

use oauth1_examples::twitter::{setup, BoxError};
use oauth1_provider_twitter::TwitterClient;

async fn run(count: usize) -> Result<usize, BoxError> {
    let setup = setup(false).await?;
    let token = setup.access_token().await?;
    let client = TwitterClient::new(&setup.flow, setup.transport.clone(), &token)?;
    let path =
        std::env::var("TWITTER_STREAM_PATH").unwrap_or_else(|_| "/1.1/statuses/stream.json".into());
    println!("Streaming {path}, {count} values:");
    let mut stream = client.stream(&path, &[]).await?;
    let mut seen = 0;
    while seen < count {
        match stream.next().await? {
            Some(value) => {
                seen += 1;
                println!("{value}");
            }
            None => break,
        }
    }
    stream.stop();
    println!("Stopped after {seen} values.");
    Ok(seen)
}

#[tokio::main]
async fn main() {
    let count = std::env::var("STREAM_COUNT")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(10);
    if let Err(e) = run(count).await {
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
    assert_eq!(runtime.block_on(run(5)).unwrap(), 5);
}

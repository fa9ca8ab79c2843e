//! Read a signed stream that stays up: print each JSON value as it arrives and each reconnect
//! (why the connection dropped, the attempt, the wait), then stop (async transport).
//!
//! The stream reconnects by itself with X's policy (`oauth1_flow::reconnect`): at once after a
//! connection that delivered data drops; then 250 ms more per network failure up to 16 s, 5 s
//! doubling up to 320 s on 5xx, 60 s doubling up to 15 minutes on 420/429; it stops with the
//! error on 401, 403 and other 4xx. Every attempt is signed anew (a fresh nonce and
//! timestamp), and tokio's timer does the waiting.
//!
//! `cargo run --example stream` reads the local provider's stream, asking it to end the stream
//! every 3 values (`count=3`) so that you see the reader reconnect. X's v2 streams need an
//! app-only bearer token, not OAuth 1.0a, so against a real provider set `TWITTER_STREAM_PATH`
//! to a line-delimited JSON endpoint that takes OAuth 1.0a (with the `TWITTER_*` credentials of
//! `examples/tweet.rs`). `STREAM_COUNT` (default 10) says how many values to print.

use oauth1_examples::twitter::{setup, BoxError};
use oauth1_provider_twitter::{TweetEvent, TwitterClient};

/// Prints `count` values; returns how many it printed and how many reconnects it saw.
async fn run(count: usize) -> Result<(usize, usize), BoxError> {
    let setup = setup(false).await?;
    let token = setup.access_token().await?;
    let client = TwitterClient::new(&setup.flow, setup.transport.clone(), &token)?;
    let path =
        std::env::var("TWITTER_STREAM_PATH").unwrap_or_else(|_| "/1.1/statuses/stream.json".into());
    // The local provider ends its stream after `count` values: a drop to recover from.
    let query: &[(&str, &str)] = if setup.local.is_some() {
        &[("count", "3")]
    } else {
        &[]
    };
    println!("Streaming {path}, {count} values:");
    let mut stream = client.reconnecting_stream(&path, query, tokio::time::sleep)?;
    let (mut seen, mut reconnects) = (0, 0);
    while seen < count {
        match stream.next().await? {
            Some(TweetEvent::Value(value)) => {
                seen += 1;
                println!("{value}");
            }
            Some(TweetEvent::Reconnecting(r)) => {
                reconnects += 1;
                println!(
                    "-- dropped ({}); reconnect #{} in {:?}",
                    r.cause, r.attempt, r.wait
                );
            }
            Some(_) => {}
            None => break,
        }
    }
    stream.stop();
    println!("Stopped after {seen} values and {reconnects} reconnects.");
    Ok((seen, reconnects))
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
    // 7 values at 3 per connection: two drops, each reconnected at once.
    assert_eq!(runtime.block_on(run(7)).unwrap(), (7, 2));
}

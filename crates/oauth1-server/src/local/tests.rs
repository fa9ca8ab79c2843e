//! The parts of the local provider a client cannot see: the request-token sweep on its timer
//! (with a [`ManualClock`], no sleeping for ten minutes) and failing closed without randomness.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use oauth1_core::Secret;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::random::{OsRandom, RandomSource, RandomUnavailable};
use super::state::Temporary;
use super::{app, limits, server, LocalProviderConfig};
use crate::clock::{Clock, ManualClock};

fn temporary(created: u64) -> Temporary {
    Temporary {
        consumer_key: super::DEFAULT_CONSUMER_KEY.into(),
        secret: Secret::new("s"),
        callback: "oob".into(),
        created,
        csrf: Secret::new("c"),
        approved: None,
    }
}

/// Runs a provider for `config` with `random` on a loopback port until the returned sender
/// is dropped; returns its state and address.
async fn run(
    config: &LocalProviderConfig,
    random: Arc<dyn RandomSource>,
) -> (
    Arc<super::App>,
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (app, ..) = app(config, addr.port(), random).unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server::run(
        listener,
        Arc::clone(&app),
        limits(config),
        async {
            let _ = stopped.await;
        },
    ));
    (app, addr, stop)
}

#[tokio::test]
async fn the_timer_sweeps_expired_request_tokens() {
    let clock = ManualClock::new(1_000_000);
    let config = LocalProviderConfig::default()
        .clock(clock.clone())
        .sweep_interval(Duration::from_millis(20));
    let (app, _, stop) = run(&config, Arc::new(OsRandom)).await;
    for i in 0..100 {
        assert!(app
            .store
            .insert_temporary(format!("old-{i}"), temporary(1_000_000)));
    }
    // Not expired yet: the sweeps leave them.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(app.store.temporary_count(), 100);
    clock.advance(600);
    assert!(app
        .store
        .insert_temporary("new".into(), temporary(clock.now())));
    let swept = tokio::time::timeout(Duration::from_secs(5), async {
        while app.store.temporary_count() > 1 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(swept.is_ok(), "{} left", app.store.temporary_count());
    assert!(app.store.temporary("new").is_some());
    assert!(app.store.temporary("old-0").is_none());
    drop(stop);
}

#[test]
fn expiry_is_on_the_clock_and_the_lifetime() {
    let clock = ManualClock::new(5_000);
    let config = LocalProviderConfig::default()
        .clock(clock.clone())
        .request_token_lifetime(60);
    let (app, ..) = app(&config, 1, Arc::new(OsRandom)).unwrap();
    app.store.insert_temporary("t".into(), temporary(5_000));
    clock.advance(59);
    assert!(app.store.temporary("t").is_some());
    assert_eq!(app.store.sweep(), 0);
    clock.advance(1);
    assert!(app.store.temporary("t").is_none());
    assert_eq!(app.store.sweep(), 1);
    assert_eq!(app.store.temporary_count(), 0);
}

struct Broken;

impl RandomSource for Broken {
    fn fill(&self, _: &mut [u8]) -> Result<(), RandomUnavailable> {
        Err(RandomUnavailable)
    }
}

#[tokio::test]
async fn without_randomness_no_token_is_issued() {
    use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Placement, Signer};

    let config = LocalProviderConfig::default();
    let (app, addr, stop) = run(&config, Arc::new(Broken)).await;
    let mut request = http::Request::post(format!("http://{addr}/oauth/request_token"))
        .body(Vec::new())
        .unwrap();
    let client =
        ClientCredentials::new(super::DEFAULT_CONSUMER_KEY, super::DEFAULT_CONSUMER_SECRET);
    let now = crate::clock::SystemClock.now();
    Signer::new(HmacSha1, &client, None)
        .unwrap()
        .sign_http(
            &mut request,
            Placement::Header,
            &OAuthParams::new("n-broken", now).callback("oob"),
        )
        .unwrap();
    let authorization = request.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /oauth/request_token HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {authorization}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut response))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 500"), "{text}");
    assert!(!text.contains("oauth_token"), "{text}");
    assert_eq!(app.store.temporary_count(), 0);
    drop(stop);
}

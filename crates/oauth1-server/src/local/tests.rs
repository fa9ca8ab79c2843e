//! The parts of the local provider a client cannot see: the request-token sweep on its timer
//! (expiry on a [`ManualClock`]; the test waits for the timer's sweeps, never for ten minutes),
//! and failing closed without randomness.
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

/// Waits (at most 5 s) until the provider's timer has run `n` sweeps in all.
async fn sweeps(app: &super::App, n: u64) {
    let mut count = app.store.sweeps.subscribe();
    let ran = tokio::time::timeout(Duration::from_secs(5), count.wait_for(|&c| c >= n))
        .await
        .is_ok_and(|r| r.is_ok());
    assert!(ran, "{} sweeps, not {n}", *count.borrow());
}

#[tokio::test]
async fn the_timer_sweeps_expired_request_tokens() {
    let clock = ManualClock::new(1_000_000);
    let config = LocalProviderConfig::default()
        .clock(clock.clone())
        .sweep_interval(Duration::from_millis(5));
    let (app, _, stop) = run(&config, Arc::new(OsRandom)).await;
    for i in 0..100 {
        assert!(app
            .store
            .insert_temporary(format!("old-{i}"), temporary(1_000_000)));
    }
    // The timer runs, but on the provider's clock nothing has expired: the sweeps leave them.
    let ran = *app.store.sweeps.borrow();
    sweeps(&app, ran + 2).await;
    assert_eq!(app.store.temporary_count(), 100);
    // 599 s later, still not.
    clock.advance(599);
    let ran = *app.store.sweeps.borrow();
    sweeps(&app, ran + 2).await;
    assert_eq!(app.store.temporary_count(), 100);
    // At 600 s they have; a token issued now has not.
    clock.advance(1);
    assert!(app
        .store
        .insert_temporary("new".into(), temporary(clock.now())));
    let ran = *app.store.sweeps.borrow();
    sweeps(&app, ran + 2).await;
    assert_eq!(app.store.temporary_count(), 1);
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

#[test]
fn approval_and_exchange_refuse_an_expired_token_the_sweep_has_not_removed() {
    let clock = ManualClock::new(5_000);
    let config = LocalProviderConfig::default().clock(clock.clone());
    let (app, ..) = app(&config, 1, Arc::new(OsRandom)).unwrap();
    app.store.insert_temporary("a".into(), temporary(5_000));
    app.store.insert_temporary("b".into(), temporary(5_000));
    clock.advance(599);
    assert_eq!(
        app.store
            .approve_temporary("a", "v".into(), 0)
            .unwrap()
            .as_deref(),
        Some("oob")
    );
    clock.advance(1);
    assert_eq!(
        app.store.approve_temporary("b", "v".into(), 0).unwrap(),
        None
    );
    assert!(
        app.store.take_temporary("a").is_none(),
        "approved, but expired"
    );
    // Still kept (no sweep has run) until the sweep.
    assert_eq!(app.store.temporary_count(), 1);
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

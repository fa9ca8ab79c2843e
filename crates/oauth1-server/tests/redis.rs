//! The Redis nonce store against a real `redis-server` on 127.0.0.1: atomic record-once with
//! the window as lifetime, two provider instances sharing it, and an outage in the middle of
//! a run. Uses `OAUTH1_TEST_REDIS_URL` (what `.ci/run` starts) or starts its own server,
//! installing `redis-server` first if it is missing; never skips (without Redis it fails and
//! says what to do).
#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use oauth1_core::{Chain, ClientCredentials, HmacSha1, NonceUse, OAuthParams, Placement, Signer};
use oauth1_server::testkit::redis::RedisServer;
use oauth1_server::testkit::wire;
use oauth1_server::{
    LocalProvider, LocalProviderConfig, ManualClock, MemoryCredentials, NonceRecord, NonceStore,
    RedisNonceStore, Rejection, StoreFailurePolicy, Verifier, VerifyFailure, DEFAULT_CONSUMER_KEY,
    DEFAULT_CONSUMER_SECRET,
};

/// A key prefix of this test alone, so that tests sharing one Redis never meet.
fn prefix(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("oauth1-test:{}:{nanos}:{test}:", std::process::id())
}

fn record<'a>(token: Option<&'a str>, nonce: &'a str, timestamp: u64, now: u64) -> NonceRecord<'a> {
    NonceRecord {
        nonce: NonceUse {
            consumer_key: "consumer",
            token,
            nonce,
            timestamp,
        },
        now,
        window: 300,
    }
}

#[tokio::test]
async fn each_nonce_is_recorded_once_and_expires_with_its_window() {
    let redis = RedisServer::for_tests();
    let prefix = prefix("once");
    let store = RedisNonceStore::connect(redis.url())
        .await
        .unwrap()
        .prefix(prefix.clone());
    let r = record(Some("tok"), "abc", 1_000, 1_100);
    assert!(store.check_and_record(&r).await.unwrap());
    assert!(!store.check_and_record(&r).await.unwrap(), "a replay");
    // Another token, no token, another timestamp: other uses of the same nonce text.
    assert!(store
        .check_and_record(&record(Some("tok2"), "abc", 1_000, 1_100))
        .await
        .unwrap());
    assert!(store
        .check_and_record(&record(None, "abc", 1_000, 1_100))
        .await
        .unwrap());
    assert!(store
        .check_and_record(&record(Some("tok"), "abc", 1_001, 1_100))
        .await
        .unwrap());

    // The key is of one size whatever the nonce (a keyed hash after the prefix), the same at
    // every instance with the prefix, and lives until the timestamp leaves the window.
    let key = store.key(&r);
    let hex = key.strip_prefix(&prefix).expect("the prefix");
    assert_eq!(hex.len(), 32, "{key}");
    assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
    let long_nonce = "n".repeat(100_000);
    let long = record(Some("tok"), &long_nonce, 1_000, 1_100);
    assert_eq!(store.key(&long).len(), key.len());
    let other_instance = RedisNonceStore::connect(redis.url())
        .await
        .unwrap()
        .prefix(prefix.clone());
    assert_eq!(other_instance.key(&r), key);
    let mut connection = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let ttl: i64 = redis::cmd("TTL")
        .arg(&key)
        .query_async(&mut connection)
        .await
        .unwrap();
    assert_eq!(r.ttl(), 201);
    assert!((199..=201).contains(&ttl), "TTL {ttl}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_nonce_sent_at_once_from_many_connections_is_accepted_exactly_once() {
    let redis = RedisServer::for_tests();
    let prefix = prefix("race");
    // Separate connections, as separate instances would have.
    let mut stores = Vec::new();
    for _ in 0..8 {
        stores.push(
            RedisNonceStore::connect(redis.url())
                .await
                .unwrap()
                .prefix(prefix.clone()),
        );
    }
    for round in 0..20 {
        let nonce = format!("race-{round}");
        let tasks: Vec<_> = (0..32)
            .map(|i| {
                let store = stores[i % stores.len()].clone();
                let nonce = nonce.clone();
                tokio::spawn(async move {
                    store
                        .check_and_record(&record(Some("t"), &nonce, 1_000, 1_000))
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut fresh = 0;
        for task in tasks {
            fresh += usize::from(task.await.unwrap());
        }
        assert_eq!(
            fresh, 1,
            "round {round}: {fresh} of 32 concurrent uses accepted"
        );
    }
}

/// Writes `request` to `addr` as is and returns the response.
fn raw(addr: std::net::SocketAddr, request: &[u8]) -> String {
    wire::exchange(&addr.to_string(), request).unwrap()
}

fn status(response: &str) -> u16 {
    wire::status(response).unwrap_or_else(|| panic!("not an HTTP response: {response:?}"))
}

/// A signed request-token request for `host`, as the bytes a client sends.
fn request_token_bytes(host: &str, nonce: &str) -> Vec<u8> {
    let client = ClientCredentials::new(DEFAULT_CONSUMER_KEY, DEFAULT_CONSUMER_SECRET);
    wire::signed_request_token(host, &client, nonce).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_sharing_redis_refuse_a_replay_that_memory_stores_let_through() {
    let redis = RedisServer::for_tests();
    let shared: Arc<dyn NonceStore> = Arc::new(
        RedisNonceStore::connect(redis.url())
            .await
            .unwrap()
            .prefix(prefix("instances")),
    );
    let config = || LocalProviderConfig::default().auto_approve(true);
    let a = LocalProvider::start_with(config().nonce_store(Arc::clone(&shared)))
        .await
        .unwrap();
    let b = LocalProvider::start_with(config().nonce_store(Arc::clone(&shared)))
        .await
        .unwrap();
    assert_ne!(a.addr(), b.addr());

    // A client talks to "the service" at A's address; a load balancer could send the same
    // bytes to either instance. An attacker replays them to B.
    let host = a.addr().to_string();
    let request = request_token_bytes(&host, "shared-nonce");
    let first = tokio::task::spawn_blocking({
        let (addr, request) = (a.addr(), request.clone());
        move || raw(addr, &request)
    })
    .await
    .unwrap();
    assert_eq!(status(&first), 200, "{first}");
    let replay = tokio::task::spawn_blocking({
        let (addr, request) = (b.addr(), request.clone());
        move || raw(addr, &request)
    })
    .await
    .unwrap();
    assert_eq!(status(&replay), 401, "{replay}");
    assert!(replay.contains(r#"oauth_problem="nonce_used""#), "{replay}");
    // B accepts a fresh request for the same host: it refused the replay, not the request.
    let fresh = request_token_bytes(&host, "another-nonce");
    let fresh = tokio::task::spawn_blocking({
        let addr = b.addr();
        move || raw(addr, &fresh)
    })
    .await
    .unwrap();
    assert_eq!(status(&fresh), 200, "{fresh}");

    // The same with a store in each instance's memory: the replay gets through.
    let c = LocalProvider::start_with(config()).await.unwrap();
    let d = LocalProvider::start_with(config()).await.unwrap();
    let host = c.addr().to_string();
    let request = request_token_bytes(&host, "memory-nonce");
    let (to_c, to_d) = tokio::task::spawn_blocking({
        let (c, d) = (c.addr(), d.addr());
        move || (raw(c, &request), raw(d, &request))
    })
    .await
    .unwrap();
    assert_eq!(status(&to_c), 200, "{to_c}");
    assert_eq!(status(&to_d), 200, "the replay went through: {to_d}");
}

fn signed_at(nonce: &str, now: u64) -> http::Request<Vec<u8>> {
    let mut request = http::Request::get("http://127.0.0.1:9/r")
        .body(Vec::new())
        .unwrap();
    Signer::new(HmacSha1, &ClientCredentials::new("k", "s"), None)
        .unwrap()
        .sign_http(
            &mut request,
            Placement::Header,
            &OAuthParams::new(nonce.to_owned(), now),
        )
        .unwrap();
    request
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_outage_refuses_by_policy_without_panic_and_recovers() {
    let mut redis = RedisServer::own_for_tests();
    let now = 1_700_000_000;
    let store = RedisNonceStore::connect(redis.url())
        .await
        .unwrap()
        .timeout(Duration::from_millis(500))
        .prefix(prefix("outage"));
    let credentials = || MemoryCredentials::new().consumer("k", "s");
    let strict = Verifier::new(credentials(), store.clone()).clock(ManualClock::new(now));
    let lenient = Verifier::new(credentials(), store.clone())
        .clock(ManualClock::new(now))
        .on_store_failure(StoreFailurePolicy::AcceptUnchecked);

    let v = strict
        .verify(&signed_at("before", now), "http")
        .await
        .unwrap();
    assert!(v.replay_checked);

    redis.stop();
    let started = Instant::now();
    match strict.verify(&signed_at("during", now), "http").await {
        Err(VerifyFailure::Store(e)) => {
            assert_eq!(e.store(), "nonce");
            assert!(!Chain(&e).to_string().contains("redis://"), "{e}");
        }
        other => panic!("expected a store failure, got {other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // Under the fail-open policy the request passes, marked unchecked.
    let v = lenient
        .verify(&signed_at("during-2", now), "http")
        .await
        .unwrap();
    assert!(!v.replay_checked);
    // A bad request is still refused as such while Redis is down.
    let mut tampered = signed_at("during-3", now);
    *tampered.uri_mut() = "http://127.0.0.1:9/other".parse().unwrap();
    assert!(matches!(
        lenient.verify(&tampered, "http").await,
        Err(VerifyFailure::Rejected(Rejection::BadSignature))
    ));

    // Over HTTP, the local provider answers 503 with Retry-After (Twitter's "Over capacity").
    let provider = LocalProvider::start_with(
        LocalProviderConfig::default().nonce_store(Arc::new(store.clone())),
    )
    .await
    .unwrap();
    let bytes = request_token_bytes(&provider.addr().to_string(), "over-http");
    let addr = provider.addr();
    let response = tokio::task::spawn_blocking(move || raw(addr, &bytes))
        .await
        .unwrap();
    assert_eq!(status(&response), 503, "{response}");
    assert!(
        response.to_ascii_lowercase().contains("retry-after: 1"),
        "{response}"
    );

    redis.restart().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut attempt = 0;
    let recovered = loop {
        attempt += 1;
        let request = signed_at(&format!("after-{attempt}"), now);
        match strict.verify(&request, "http").await {
            Ok(v) => break (v, request),
            Err(VerifyFailure::Store(_)) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("no recovery after Redis came back: {e}"),
        }
    };
    assert!(recovered.0.replay_checked);
    assert!(matches!(
        strict.verify(&recovered.1, "http").await,
        Err(VerifyFailure::Rejected(Rejection::ReplayedNonce))
    ));
}

/// `rediss://`: the store over TLS, trusting the test server's own certificate authority;
/// the same server refused when that authority is not trusted, and a plain URL to a TLS-only
/// server refused, each as a `StoreError` at connect time (no panic, no hang).
#[cfg(feature = "redis-tls")]
#[tokio::test]
async fn rediss_records_once_and_checks_the_certificate() {
    use oauth1_server::testkit::redis::TlsRedisServer;
    let redis = TlsRedisServer::for_tests();
    let store = RedisNonceStore::connect_with_ca(redis.url(), redis.ca_pem())
        .await
        .unwrap()
        .prefix(prefix("tls"));
    let r = record(Some("tok"), "over-tls", 1_000, 1_100);
    assert!(store.check_and_record(&r).await.unwrap());
    assert!(!store.check_and_record(&r).await.unwrap(), "a replay");

    // The operating system's roots do not include the test CA.
    let started = Instant::now();
    let untrusted = RedisNonceStore::connect(redis.url()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "{untrusted}");
    // The system's words about the certificate are in the source (the chain), not repeated in
    // the store error's own message.
    assert!(
        Chain(&untrusted).to_string().contains("certificate"),
        "{}",
        Chain(&untrusted)
    );
    // Plain Redis protocol to the TLS port.
    let plain = redis.url().replacen("rediss://", "redis://", 1);
    let started = Instant::now();
    let refused = RedisNonceStore::connect(&plain).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "{refused}");
    assert!(
        !Chain(&refused).to_string().contains("127.0.0.1"),
        "{refused}"
    );
    // A CA that is not PEM, and a CA with a plain URL.
    assert!(
        RedisNonceStore::connect_with_ca(redis.url(), b"not a certificate")
            .await
            .is_err()
    );
    let mismatch = RedisNonceStore::connect_with_ca(&plain, redis.ca_pem())
        .await
        .unwrap_err();
    assert!(mismatch.to_string().contains("rediss://"), "{mismatch}");
}

/// Without the `redis-tls` feature, a `rediss://` URL is refused with the way to enable it.
#[cfg(not(feature = "redis-tls"))]
#[tokio::test]
async fn rediss_without_the_feature_says_which_feature() {
    let e = RedisNonceStore::connect("rediss://127.0.0.1:1/")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("redis-tls"), "{e}");
}

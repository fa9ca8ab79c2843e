//! Verifications per second through `oauth1_server::Verifier`: a signed Twitter-like form POST
//! (header placement, HMAC-SHA1, a fresh nonce each), with the in-memory nonce store and with
//! Redis, at 1 and at 64 requests in flight.
//!
//! `cargo bench -p oauth1-benches --bench verify`
//!
//! The Redis group uses `OAUTH1_TEST_REDIS_URL` if set, else starts `redis-server` on a free
//! port; without either it is skipped with a message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use oauth1_benches::{CONSUMER, TOKEN};
use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Placement, Signer, TokenCredentials};
use oauth1_server::testkit::redis::RedisServer;
use oauth1_server::{
    ManualClock, MemoryCredentials, MemoryNonceStore, NonceStore, RedisNonceStore, Verifier,
};

const NOW: u64 = 1_318_622_958;
/// Short, so that the benchmark's nonces leave Redis soon after.
const WINDOW: u64 = 30;

type Request = http::Request<Vec<u8>>;

/// `count` signed requests, each with its own nonce.
fn signed(count: u64, run: u64) -> Vec<Request> {
    let signer = Signer::new(
        HmacSha1,
        &ClientCredentials::new(CONSUMER.0, CONSUMER.1),
        Some(&TokenCredentials::new(TOKEN.0, TOKEN.1)),
    )
    .unwrap();
    (0..count)
        .map(|i| {
            let mut request = http::Request::post(
                "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
            )
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                b"status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
                    .to_vec(),
            )
            .unwrap();
            let params = OAuthParams::new(format!("r{run}n{i}"), NOW);
            signer
                .sign_http(&mut request, Placement::Header, &params)
                .unwrap();
            request
        })
        .collect()
}

fn verifier<N: NonceStore>(nonces: N) -> Arc<Verifier<MemoryCredentials, N>> {
    let credentials = MemoryCredentials::new()
        .consumer(CONSUMER.0, CONSUMER.1)
        .access_token(CONSUMER.0, TOKEN.0, TOKEN.1);
    Arc::new(
        Verifier::new(credentials, nonces)
            .window(WINDOW)
            .clock(ManualClock::new(NOW)),
    )
}

/// Verifies every request, `concurrency` at a time, on the runtime; the time it took.
async fn verify_all<N: NonceStore + 'static>(
    verifier: Arc<Verifier<MemoryCredentials, N>>,
    requests: Vec<Request>,
    concurrency: usize,
) -> Duration {
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (verifier, requests, next) = (
                Arc::clone(&verifier),
                Arc::clone(&requests),
                Arc::clone(&next),
            );
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(request) = requests.get(i) else {
                        break;
                    };
                    match verifier.verify(request, "https").await {
                        Ok(v) => assert!(v.replay_checked),
                        Err(e) => panic!("request {i} refused: {e}"),
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    start.elapsed()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut run = 0u64;
    let mut group = c.benchmark_group("verify");
    group.throughput(Throughput::Elements(1));
    for concurrency in [1, 64] {
        group.bench_function(format!("memory/{concurrency}_in_flight"), |b| {
            b.iter_custom(|iters| {
                run += 1;
                let requests = signed(iters, run);
                // Room for every nonce with slack: the shards do not fill evenly.
                let verifier = verifier(MemoryNonceStore::new(2 * iters as usize + 1024));
                runtime.block_on(verify_all(verifier, requests, concurrency))
            });
        });
    }

    let redis = match RedisServer::from_env_or_start() {
        Ok(redis) => redis,
        Err(e) => {
            eprintln!("verify/redis skipped: no Redis ({e}); set OAUTH1_TEST_REDIS_URL");
            return;
        }
    };
    let store = runtime
        .block_on(RedisNonceStore::connect(redis.url()))
        .unwrap();
    for concurrency in [1, 64] {
        group.bench_function(format!("redis/{concurrency}_in_flight"), |b| {
            b.iter_custom(|iters| {
                run += 1;
                let requests = signed(iters, run);
                let prefix = format!("bench:{}:{run}:", std::process::id());
                let verifier = verifier(store.clone().prefix(prefix));
                runtime.block_on(verify_all(verifier, requests, concurrency))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

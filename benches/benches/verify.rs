//! Verifications per second with the in-memory nonce store: a signed Twitter-like request
//! (header placement, HMAC-SHA1), each with a fresh nonce, through `oauth1_server::Verifier`.
//!
//! `cargo bench -p oauth1-benches --bench verify`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use oauth1_core::{
    ClientCredentials, HmacSha1, OAuthParams, Placement, Secret, Signer, TokenCredentials,
};
use oauth1_server::{CredentialStore, MemoryNonceStore, TokenKind, TokenRecord, Verifier};

struct Store;

impl CredentialStore for Store {
    fn consumer_secret(&self, key: &str) -> Option<Secret> {
        (key == "xvz1evFS4wEEPTGEFPHBog")
            .then(|| Secret::new("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"))
    }
    fn token(&self, token: &str) -> Option<TokenRecord> {
        (token == "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb").then(|| TokenRecord {
            consumer_key: "xvz1evFS4wEEPTGEFPHBog".into(),
            secret: Secret::new("LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"),
            kind: TokenKind::Access,
        })
    }
}

fn bench(c: &mut Criterion) {
    let signer = Signer::new(
        HmacSha1,
        &ClientCredentials::new(
            "xvz1evFS4wEEPTGEFPHBog",
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        ),
        Some(&TokenCredentials::new(
            "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
            "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
        )),
    )
    .unwrap();
    let now = 1_318_622_958;
    let verifier = Verifier::new(Store, MemoryNonceStore::new(300, 10_000_000));
    let mut n = 0u64;
    let mut group = c.benchmark_group("verify");
    group.throughput(Throughput::Elements(1));
    group.bench_function("twitter_example_fresh_nonce", |b| {
        b.iter_batched(
            || {
                n += 1;
                let mut request = http::Request::post(
                    "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
                )
                .header("content-type", "application/x-www-form-urlencoded")
                .body(
                    b"status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
                        .to_vec(),
                )
                .unwrap();
                signer
                    .sign_http(
                        &mut request,
                        Placement::Header,
                        &OAuthParams::new(format!("nonce{n}"), now),
                    )
                    .unwrap();
                request
            },
            |request| verifier.verify(&request, "https", now).unwrap(),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

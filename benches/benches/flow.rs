//! Complete dances per second against the local provider, over loopback with the async
//! reqwest transport: request token, authorization (auto-approved), access token, one signed
//! call. Sequential (latency of one dance) and 64 at a time (throughput).
//!
//! `cargo bench -p oauth1-benches --bench flow`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use oauth1_flow::{Callback, Flow, GenericProvider, HttpClient};
use oauth1_server::{testkit::provider_of, LocalProvider};
use oauth1_transport_reqwest::ReqwestTransport;

async fn dance(flow: &Flow<GenericProvider>, t: &ReqwestTransport, resource: &str) {
    let rt = flow
        .request_token(t, Callback::Url("http://127.0.0.1:9/cb".into()))
        .await
        .unwrap();
    let page = t
        .send(
            http::Request::get(rt.authorize_url(flow, &[]).unwrap())
                .body(Vec::new())
                .unwrap(),
        )
        .await
        .unwrap();
    let location = page.headers()["location"].to_str().unwrap().to_owned();
    let verifier = rt.verifier_from_callback(&location).unwrap();
    let access = flow.access_token(t, &verifier).await.unwrap();
    let client = flow.signed_client(t, &access).unwrap();
    let response = client
        .send(client.prepare_get(resource, &[]).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let provider = runtime.block_on(LocalProvider::start()).unwrap();
    let flow = Flow::new(provider_of(&provider), provider.client()).unwrap();
    let transport = ReqwestTransport::new();
    let resource = provider.url("/1.1/account/verify_credentials.json");

    let mut group = c.benchmark_group("flow");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_dance", |b| {
        b.iter(|| runtime.block_on(dance(&flow, &transport, &resource)));
    });
    group.throughput(Throughput::Elements(64));
    group.bench_function("64_concurrent_dances", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..64 {
                    let (flow, t, r) = (flow.clone(), transport.clone(), resource.clone());
                    set.spawn(async move { dance(&flow, &t, &r).await });
                }
                while let Some(done) = set.join_next().await {
                    done.unwrap();
                }
            })
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

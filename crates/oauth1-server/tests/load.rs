//! One local provider, 1,000 complete dances at once (async transport), zero failures.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use oauth1_flow::{Callback, Flow, HttpClient};
use oauth1_server::{testkit::provider_of, LocalProvider};
use oauth1_transport_reqwest::ReqwestTransport;

const DANCES: usize = 1000;

async fn dance(
    flow: &Flow<oauth1_flow::GenericProvider>,
    t: &ReqwestTransport,
    base: &str,
) -> Result<(), String> {
    let rt = flow
        .request_token(t, Callback::Url("http://127.0.0.1:9/cb".into()))
        .await
        .map_err(|e| format!("request token: {e}"))?;
    let url = rt.authorize_url(flow, &[]).map_err(|e| e.to_string())?;
    let page = t
        .send(
            http::Request::get(url)
                .body(Vec::new())
                .map_err(|e| e.to_string())?,
        )
        .await
        .map_err(|e| format!("authorize: {e}"))?;
    let location = page
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .ok_or("no redirect")?;
    let verifier = rt
        .verifier_from_callback(location)
        .map_err(|e| e.to_string())?;
    let access = flow
        .access_token(t, &verifier)
        .await
        .map_err(|e| format!("access token: {e}"))?;
    let client = flow.signed_client(t, &access).map_err(|e| e.to_string())?;
    let request = client
        .prepare_get(&format!("{base}/1.1/account/verify_credentials.json"), &[])
        .map_err(|e| e.to_string())?;
    let response = client.send(request).await.map_err(|e| e.to_string())?;
    client
        .check(response)
        .map_err(|e| format!("signed call: {e}"))?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_dances() {
    let provider = LocalProvider::start().await.unwrap();
    let flow = Arc::new(Flow::new(provider_of(&provider), provider.client()).unwrap());
    let transport = ReqwestTransport::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let base = provider.base_url().to_owned();
    let started = Instant::now();
    let tasks: Vec<_> = (0..DANCES)
        .map(|_| {
            let (flow, t, base) = (Arc::clone(&flow), transport.clone(), base.clone());
            tokio::spawn(async move { dance(&flow, &t, &base).await })
        })
        .collect();
    let mut failures = Vec::new();
    let all = async {
        for task in tasks {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => failures.push(e),
                Err(e) => failures.push(format!("task: {e}")),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(120), all)
        .await
        .expect("1,000 dances finish within two minutes");
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        failures.first()
    );
    eprintln!("{DANCES} dances in {:?}", started.elapsed());
    provider.shutdown().await;
}

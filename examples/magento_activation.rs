//! Magento 2's integration activation: the store posts the consumer key and secret, its base
//! URL and a verifier to the integration's endpoint; the integration then asks for a request
//! token and an access token with that verifier, and calls the store's REST API.
//!
//! `cargo run --example magento_activation` starts the endpoint on 127.0.0.1 and has the local
//! provider (playing a Magento store) activate the integration. `MAGENTO_SERVE=1` keeps the
//! endpoint at `MAGENTO_ADDR` (default 127.0.0.1:8766) for a real store: give
//! `http://ADDR/activate` as the integration's Callback URL (Magento wants https in
//! production: put it behind your TLS proxy) and activate it in the admin.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use oauth1_flow::Callback;
use oauth1_providers::magento::Activation;
use oauth1_server::{LocalProvider, LocalProviderConfig, Service};
use oauth1_transport_reqwest::ReqwestTransport;
use tokio::sync::mpsc;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The endpoint: reads the activation form (bounded, typed) and hands it on.
fn endpoint(activations: mpsc::Sender<Activation>) -> Router {
    let activations = Arc::new(activations);
    Router::new().route(
        "/activate",
        post(move |headers: HeaderMap, body: Bytes| {
            let activations = Arc::clone(&activations);
            async move {
                let Ok(mut request) = http::Request::post("/activate").body(body.to_vec()) else {
                    return (StatusCode::INTERNAL_SERVER_ERROR, String::new());
                };
                *request.headers_mut() = headers;
                match Activation::from_request(&request) {
                    Ok(activation) => {
                        let _ = activations.send(activation).await;
                        (StatusCode::OK, String::new())
                    }
                    Err(e) => (StatusCode::BAD_REQUEST, e.to_string()),
                }
            }
        }),
    )
}

/// What the integration does with an activation: the two token requests, then a REST call.
async fn exchange(activation: &Activation) -> Result<String, BoxError> {
    println!(
        "2. Activation from {} for consumer {}",
        activation.store_base_url(),
        activation.consumer_key()
    );
    let transport = ReqwestTransport::new();
    let flow = activation.flow()?;
    let request_token = flow.request_token(&transport, Callback::Oob).await?;
    let verifier = activation.verifier(&request_token)?;
    let token = flow.access_token(&transport, &verifier).await?;
    println!("3. Access token {} (keep it and its secret)", token.token());
    let client = flow.signed_client(transport, &token)?;
    let url = activation.magento().api_url("/V1/store/storeConfigs");
    let response = client.check(client.send(client.prepare_get(&url, &[])?).await?)?;
    let body = String::from_utf8(response.into_body())?;
    println!("4. GET {url} -> {body}");
    Ok(body)
}

async fn run() -> Result<String, BoxError> {
    let (tx, mut rx) = mpsc::channel(4);
    let serve = std::env::var("MAGENTO_SERVE").is_ok_and(|v| !v.is_empty());
    let addr: SocketAddr = if serve {
        oauth1_examples::env_or("MAGENTO_ADDR", "127.0.0.1:8766").parse()?
    } else {
        SocketAddr::from(([127, 0, 0, 1], 0))
    };
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let url = format!("http://{}/activate", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, endpoint(tx)).await;
    });
    println!("1. The integration's endpoint listens at {url}");
    if serve {
        println!("   Activate the integration in the store's admin (Ctrl-C stops).");
        while let Some(activation) = rx.recv().await {
            if let Err(e) = exchange(&activation).await {
                eprintln!("error: {}", oauth1_core::Chain(&*e));
            }
        }
        return Ok(String::new());
    }
    let store =
        LocalProvider::start_with(LocalProviderConfig::default().service(Service::magento()))
            .await?;
    let status = store.activate_integration(&url).await?;
    println!("   The store activated the integration: the endpoint answered {status}");
    let activation = rx.recv().await.ok_or("no activation arrived")?;
    exchange(&activation).await
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
    let runtime = tokio::runtime::Runtime::new().unwrap();
    assert!(runtime
        .block_on(run())
        .unwrap()
        .contains("base_currency_code"));
}

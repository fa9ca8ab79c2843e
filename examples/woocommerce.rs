//! One-legged OAuth with a service preset: WooCommerce's REST API over plain http, signed with
//! the consumer key and secret alone (no token), the parameters in the query string, then the
//! service's own check of what was sent and its error for a wrong secret.
//!
//! `cargo run --example woocommerce` runs against the local provider playing WooCommerce. Set
//! `WOOCOMMERCE_URL` (an `http://` shop), `WOOCOMMERCE_KEY` (`ck_…`) and `WOOCOMMERCE_SECRET`
//! (`cs_…`) for your own shop (over https WooCommerce takes HTTP Basic instead: see
//! docs/providers.md).

use oauth1_flow::ClientCredentials;
use oauth1_providers::woocommerce::WooCommerce;
use oauth1_server::{LocalProvider, LocalProviderConfig, Service};
use oauth1_transport_reqwest::ReqwestTransport;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

async fn run() -> Result<String, BoxError> {
    let (shop, consumer, _local) = match (
        var("WOOCOMMERCE_URL"),
        var("WOOCOMMERCE_KEY"),
        var("WOOCOMMERCE_SECRET"),
    ) {
        (Some(url), Some(key), Some(secret)) => (
            WooCommerce::new(&url)?,
            ClientCredentials::new(key, secret),
            None,
        ),
        _ => {
            let local = LocalProvider::start_with(
                LocalProviderConfig::default().service(Service::woocommerce()),
            )
            .await?;
            (
                WooCommerce::new(local.base_url())?,
                local.client(),
                Some(local),
            )
        }
    };
    let products = shop.api_url("products");
    let client = shop
        .clone()
        .consumer_client(consumer.clone(), ReqwestTransport::new())?;

    let mut request = client.prepare_get(&products, &[("per_page", "5")])?;
    client.sign(&mut request, false)?;
    println!("1. GET {}", request.uri());
    for finding in shop.check(&request) {
        println!("   check: {finding}");
    }
    let response = client.check(
        client
            .send(client.prepare_get(&products, &[("per_page", "5")])?)
            .await?,
    )?;
    let body = String::from_utf8(response.into_body())?;
    println!("2. {body}");

    let wrong = shop.consumer_client(
        ClientCredentials::new(consumer.key(), "not-the-secret"),
        ReqwestTransport::new(),
    )?;
    let answer = wrong.send(wrong.prepare_get(&products, &[])?).await?;
    match wrong.check(answer) {
        Err(e) => println!("3. With a wrong secret: {}", oauth1_core::Chain(&e)),
        Ok(_) => return Err("a wrong secret was accepted".into()),
    }
    Ok(body)
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
    if std::env::var_os("WOOCOMMERCE_URL").is_some() {
        return; // Tests never touch a real shop.
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    assert!(runtime.block_on(run()).unwrap().contains("Local product"));
}

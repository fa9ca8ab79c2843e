//! A token issued in the service's UI: NetSuite token-based authentication with the token id
//! and secret from Setup > Users/Roles > Access Tokens, HMAC-SHA256 and the account's realm,
//! then NetSuite's own check of a request signed the old way (HMAC-SHA1, realm in host form)
//! and the "Invalid login attempt" it gets.
//!
//! `cargo run --example netsuite_token` runs against the local provider playing NetSuite
//! account `1234567_SB1`. For your account set `NETSUITE_ACCOUNT` (`1234567_SB1` or
//! `1234567-sb1`), `NETSUITE_CONSUMER_KEY`, `NETSUITE_CONSUMER_SECRET`, `NETSUITE_TOKEN_ID` and
//! `NETSUITE_TOKEN_SECRET` (the call lists customers through REST web services).

use oauth1_core::HmacSha1;
use oauth1_flow::{ClientCredentials, Flow};
use oauth1_providers::netsuite::{self, NetSuite};
use oauth1_server::{LocalProvider, LocalProviderConfig, Service};
use oauth1_transport_reqwest::ReqwestTransport;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

async fn run() -> Result<String, BoxError> {
    let names = [
        "NETSUITE_ACCOUNT",
        "NETSUITE_CONSUMER_KEY",
        "NETSUITE_CONSUMER_SECRET",
        "NETSUITE_TOKEN_ID",
        "NETSUITE_TOKEN_SECRET",
    ];
    let real: Option<Vec<String>> = names.iter().map(|n| var(n)).collect();
    let (ns, consumer, token, _local) = match real {
        Some(v) => (
            NetSuite::account(&v[0])?,
            ClientCredentials::new(v[1].clone(), v[2].clone()),
            NetSuite::issued_token(v[3].clone(), v[4].clone()),
            None,
        ),
        None => {
            let consumer = ClientCredentials::new("integration-key", "integration-secret");
            let local = LocalProvider::start_with(
                LocalProviderConfig::default()
                    .service(Service::netsuite("1234567-sb1"))
                    .client(consumer.key(), consumer.secret().clone())
                    .issued_token(consumer.key(), "token-id", "token-secret"),
            )
            .await?;
            let ns = NetSuite::account("1234567_SB1")?.with_base(local.base_url())?;
            (
                ns,
                consumer,
                NetSuite::issued_token("token-id", "token-secret"),
                Some(local),
            )
        }
    };
    let customers = ns.record_url("customer");
    let transport = ReqwestTransport::new();

    let flow = ns.clone().flow(consumer.clone())?;
    let client = flow.signed_client(transport.clone(), &token)?;
    let mut request = client.prepare_get(&customers, &[("limit", "1")])?;
    let info = client.sign(&mut request, false)?;
    println!("1. GET {customers}\n   base string: {}", info.base_string);
    let response = client.check(
        client
            .send(client.prepare_get(&customers, &[("limit", "1")])?)
            .await?,
    )?;
    let body = String::from_utf8(response.into_body())?;
    println!("2. {body}");

    // The same call signed as many old integrations do: HMAC-SHA1.
    let old = Flow::with_method(ns.clone(), consumer, HmacSha1);
    let old_client = old.signed_client(transport, &token)?;
    let mut request = old_client.prepare_get(&customers, &[])?;
    old_client.sign(&mut request, false)?;
    for finding in ns.check(&request) {
        println!("3. check: {finding}");
    }
    let answer = old_client
        .send(old_client.prepare_get(&customers, &[])?)
        .await?;
    match old_client.check(answer) {
        Err(oauth1_flow::Error::Provider { error, .. }) if netsuite::is_invalid_login(&error) => {
            println!("4. NetSuite says: {error}");
        }
        other => {
            return Err(format!("HMAC-SHA1 was not refused as NetSuite does: {other:?}").into())
        }
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
    if std::env::var_os("NETSUITE_ACCOUNT").is_some() {
        return; // Tests never touch a real account.
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    assert!(runtime.block_on(run()).unwrap().contains("\"items\""));
}

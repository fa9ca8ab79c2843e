//! RSA-SHA1 with no consumer secret: a Jira (or Confluence) Data Center application link.
//! The dance signed with the link's private key, then `GET /rest/api/2/myself`.
//!
//! `cargo run --example jira_rsa` runs against the local provider playing Jira, with a test key
//! pair (crates/oauth1-providers/tests/data). For your site set `JIRA_URL` (with its context
//! path), `JIRA_CONSUMER_KEY` and `JIRA_PRIVATE_KEY` (a PEM file whose public key is in the
//! application link's incoming authentication); open the printed URL, allow, type the code.

use oauth1_flow::{Callback, Flow, HttpClient};
use oauth1_providers::jira::Jira;
use oauth1_server::{LocalProvider, LocalProviderConfig, Service};
use oauth1_transport_reqwest::ReqwestTransport;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const TEST_PRIVATE_KEY: &str =
    include_str!("../crates/oauth1-providers/tests/data/jira_private.pem");
const TEST_PUBLIC_KEY: &str = include_str!("../crates/oauth1-providers/tests/data/jira_public.pem");

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

async fn run() -> Result<String, BoxError> {
    let transport = ReqwestTransport::new();
    let (jira, key, pem, local) = match (
        var("JIRA_URL"),
        var("JIRA_CONSUMER_KEY"),
        var("JIRA_PRIVATE_KEY"),
    ) {
        (Some(url), Some(key), Some(path)) => {
            (Jira::new(&url)?, key, std::fs::read_to_string(path)?, None)
        }
        _ => {
            let local = LocalProvider::start_with(
                LocalProviderConfig::default()
                    .service(Service::jira())
                    .rsa_client("oauth1-rs-example", TEST_PUBLIC_KEY)
                    .auto_approve(true),
            )
            .await?;
            (
                Jira::new(local.base_url())?,
                "oauth1-rs-example".to_owned(),
                TEST_PRIVATE_KEY.to_owned(),
                Some(local),
            )
        }
    };
    let myself = jira.api_url("/rest/api/2/myself");
    let flow: Flow<Jira> = jira.flow(key, &pem)?;
    let request_token = flow.request_token(&transport, Callback::Oob).await?;
    let url = request_token.authorize_url(&flow, &[])?;
    println!("1. Allow access at {url}");
    let code = if local.is_some() {
        let page = transport
            .send(http::Request::get(&url).body(Vec::new())?)
            .await?;
        let html = String::from_utf8(page.into_body())?;
        html.split("<code id=\"pin\">")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .ok_or("no code on the authorization page")?
            .to_owned()
    } else {
        println!("   then type the verification code Jira shows:");
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line
    };
    let token = flow
        .access_token(&transport, &request_token.verifier_from_pin(&code)?)
        .await?;
    println!("2. Access token {}", token.token());
    let client = flow.signed_client(transport, &token)?;
    let response = client.check(client.send(client.prepare_get(&myself, &[])?).await?)?;
    let body = String::from_utf8(response.into_body())?;
    println!("3. GET {myself} -> {body}");
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
    if std::env::var_os("JIRA_URL").is_some() {
        return; // Tests never touch a real site.
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    assert!(runtime.block_on(run()).unwrap().contains("displayName"));
}

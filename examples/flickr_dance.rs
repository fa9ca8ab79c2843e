//! The three-legged dance with a service preset: Flickr, `perms=write`, then the user's NSID
//! from the access-token response and a signed call to `flickr.test.login`.
//!
//! `cargo run --example flickr_dance` plays it against the local provider playing Flickr (which
//! approves at once, so one GET plays the user's browser). With `FLICKR_KEY` and
//! `FLICKR_SECRET` set it runs against Flickr: open the printed URL, authorize, type the code.

use oauth1_flow::{AccessToken, Callback, ClientCredentials, Flow, HttpClient};
use oauth1_providers::flickr::{Flickr, FlickrToken, Perms};
use oauth1_server::{LocalProvider, LocalProviderConfig, Service};
use oauth1_transport_reqwest::ReqwestTransport;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The dance: request token, the user's authorization (the local provider's page, or a person),
/// access token.
async fn authorize(
    flow: &Flow<Flickr>,
    transport: &ReqwestTransport,
    local: bool,
) -> Result<AccessToken, BoxError> {
    let request_token = flow.request_token(transport, Callback::Oob).await?;
    let url = request_token.authorize_url(flow, &[])?;
    println!("1. Authorize at {url}");
    let code = if local {
        // The local provider approves at once and shows the verifier as a PIN.
        let page = transport
            .send(http::Request::get(&url).body(Vec::new())?)
            .await?;
        let html = String::from_utf8(page.into_body())?;
        html.split("<code id=\"pin\">")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .ok_or("no PIN on the authorization page")?
            .to_owned()
    } else {
        println!("   then type the code Flickr shows:");
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line
    };
    let verifier = request_token.verifier_from_pin(&code)?;
    Ok(flow.access_token(transport, &verifier).await?)
}

async fn run() -> Result<String, BoxError> {
    let transport = ReqwestTransport::new();
    let key = std::env::var("FLICKR_KEY").ok().filter(|v| !v.is_empty());
    let secret = std::env::var("FLICKR_SECRET")
        .ok()
        .filter(|v| !v.is_empty());
    let (flickr, client, local) = match (key, secret) {
        (Some(key), Some(secret)) => (Flickr::new(), ClientCredentials::new(key, secret), None),
        _ => {
            let local = LocalProvider::start_with(
                LocalProviderConfig::default()
                    .service(Service::flickr())
                    .auto_approve(true),
            )
            .await?;
            (
                Flickr::with_base(local.base_url())?,
                local.client(),
                Some(local),
            )
        }
    };
    let rest = flickr.rest_url();
    let flow = Flow::new(flickr.perms(Perms::Write), client)?;
    let token = authorize(&flow, &transport, local.is_some()).await?;
    let account = FlickrToken::from(&token);
    let nsid = account
        .user_nsid()
        .ok_or("no user_nsid in the token response")?;
    println!(
        "2. Access token for {} ({nsid})",
        account.username().unwrap_or("?")
    );

    let client = flow.signed_client(transport, &token)?;
    let call = client.prepare_get(
        &rest,
        &[
            ("method", "flickr.test.login"),
            ("format", "json"),
            ("nojsoncallback", "1"),
        ],
    )?;
    let response = client.check(client.send(call).await?)?;
    let body = String::from_utf8(response.into_body())?;
    println!("3. flickr.test.login -> {body}");
    Ok(nsid.to_owned())
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
    if std::env::var_os("FLICKR_KEY").is_some() {
        return; // Tests never touch a real provider.
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    assert!(runtime.block_on(run()).unwrap().ends_with("@N01"));
}

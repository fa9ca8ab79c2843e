//! The main job: the whole three-legged OAuth 1.0a dance, printing each step.
//!
//! With no environment it starts the local provider in-process (no account, no network) and
//! runs request token → authorization (auto-approved) → verifier → access token → a signed call:
//!
//! ```text
//! cargo run --example dance
//! ```
//!
//! Pointed at any other OAuth 1.0a provider, it uses the PIN (`oob`) flow: it prints the
//! authorization URL on a line of its own and reads the PIN from stdin.
//!
//! ```text
//! OAUTH1_REQUEST_TOKEN_URL=https://api.x.com/oauth/request_token \
//! OAUTH1_AUTHORIZE_URL=https://api.x.com/oauth/authorize \
//! OAUTH1_ACCESS_TOKEN_URL=https://api.x.com/oauth/access_token \
//! OAUTH1_CONSUMER_KEY=... OAUTH1_CONSUMER_SECRET=... \
//! OAUTH1_RESOURCE_URL=https://api.x.com/2/users/me \
//! cargo run --example dance
//! ```

use std::io::BufRead;

use oauth1_core::ClientCredentials;
use oauth1_flow::{Callback, Flow, GenericProvider};
use oauth1_transport_reqwest::ReqwestTransport;

const VARS: [&str; 6] = [
    "OAUTH1_REQUEST_TOKEN_URL",
    "OAUTH1_AUTHORIZE_URL",
    "OAUTH1_ACCESS_TOKEN_URL",
    "OAUTH1_CONSUMER_KEY",
    "OAUTH1_CONSUMER_SECRET",
    "OAUTH1_RESOURCE_URL",
];

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {}", oauth1_core::Chain(&*e));
        let mut source = std::error::Error::source(e.as_ref());
        while let Some(s) = source {
            eprintln!("  caused by: {s}");
            source = s.source();
        }
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let set: Vec<&str> = VARS
        .iter()
        .copied()
        .filter(|v| std::env::var_os(v).is_some())
        .collect();
    match set.len() {
        0 => local().await,
        6 => remote().await,
        _ => Err(format!(
            "set all of {} to use another provider, or none to use the local one (set: {})",
            VARS.join(", "),
            set.join(", ")
        )
        .into()),
    }
}

/// Against the embedded local provider, with a callback URL and auto-approval.
async fn local() -> Result<(), Box<dyn std::error::Error>> {
    let provider = oauth1_server::LocalProvider::start().await?;
    println!("0. Local provider listening at {}", provider.base_url());
    println!("   consumer key: {}", provider.client().key());

    let flow = Flow::new(
        oauth1_server::testkit::provider_of(&provider),
        provider.client(),
    )?;
    let transport = ReqwestTransport::new();

    let callback = "http://127.0.0.1:9/callback";
    let request_token = flow
        .request_token(&transport, Callback::Url(callback.into()))
        .await?;
    println!(
        "1. Request token: {} (callback confirmed)",
        request_token.token()
    );

    let authorize = request_token.authorize_url(&flow, &[])?;
    println!("2. Authorization URL: {authorize}");
    // A browser would show the Allow/Deny page; the local provider approves at once and
    // redirects to the callback, which we read instead of following.
    let response = transport
        .send_get(&authorize)
        .await
        .map_err(|e| format!("GET {authorize}: {e}"))?;
    let location = response
        .headers()
        .get(http::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .ok_or("the authorize page did not redirect to the callback")?
        .to_owned();
    println!("   approved; redirected to {location}");

    let verifier = request_token.verifier_from_callback(&location)?;
    println!("3. Verifier taken from the callback (its oauth_token matches the request token)");

    let access = flow.access_token(&transport, &verifier).await?;
    println!(
        "4. Access token: {} for @{} (user id {})",
        access.token(),
        access.field("screen_name").unwrap_or("?"),
        access.field("user_id").unwrap_or("?")
    );

    let client = flow.signed_client(&transport, &access)?;
    let url = provider.url("/1.1/account/verify_credentials.json");
    let mut request = client.prepare_get(&url, &[])?;
    let info = client.sign(&mut request, false)?;
    println!("5. Signed GET {url}");
    println!("   base string: {}", info.base_string);
    let response = client.check(oauth1_flow::HttpClient::send(&transport, request).await?)?;
    println!(
        "   {} {}",
        response.status(),
        String::from_utf8_lossy(response.body())
    );
    provider.shutdown().await;
    println!("Done: the whole dance ran against the local provider.");
    Ok(())
}

/// Against a real provider, out of band (PIN).
async fn remote() -> Result<(), Box<dyn std::error::Error>> {
    let var =
        |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set or not UTF-8"));
    let provider = GenericProvider::builder(
        var("OAUTH1_REQUEST_TOKEN_URL")?,
        var("OAUTH1_AUTHORIZE_URL")?,
        var("OAUTH1_ACCESS_TOKEN_URL")?,
    )
    .build()?;
    let flow = Flow::new(
        provider,
        ClientCredentials::new(var("OAUTH1_CONSUMER_KEY")?, var("OAUTH1_CONSUMER_SECRET")?),
    )?;
    let transport = ReqwestTransport::new();

    let request_token = flow.request_token(&transport, Callback::Oob).await?;
    println!(
        "1. Request token: {} (callback confirmed)",
        request_token.token()
    );
    println!("2. Open this URL, authorize the app, and type the PIN here:");
    println!("{}", request_token.authorize_url(&flow, &[])?);
    let mut pin = String::new();
    std::io::stdin().lock().read_line(&mut pin)?;
    let verifier = request_token.verifier_from_pin(&pin)?;
    println!("3. Verifier: the PIN");
    let access = flow.access_token(&transport, &verifier).await?;
    println!("4. Access token: {}", access.token());
    for (name, value) in access.fields() {
        println!("   {name} = {value}");
    }
    let client = flow.signed_client(&transport, &access)?;
    let url = var("OAUTH1_RESOURCE_URL")?;
    let response = client.send(client.prepare_get(&url, &[])?).await?;
    println!("5. GET {url}: {}", response.status());
    println!("{}", String::from_utf8_lossy(response.body()));
    Ok(())
}

/// A plain GET through the transport (the authorize page is not an OAuth request).
trait SendGet {
    async fn send_get(
        &self,
        url: &str,
    ) -> Result<http::Response<Vec<u8>>, Box<dyn std::error::Error>>;
}

impl SendGet for ReqwestTransport {
    async fn send_get(
        &self,
        url: &str,
    ) -> Result<http::Response<Vec<u8>>, Box<dyn std::error::Error>> {
        let request = http::Request::get(url).body(Vec::new())?;
        Ok(oauth1_flow::HttpClient::send(self, request).await?)
    }
}

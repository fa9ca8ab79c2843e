//! Build an `Authorization` header for any HTTP library.
//!
//! ```text
//! cargo run --example sign_only
//! OAUTH1_CONSUMER_KEY=… OAUTH1_CONSUMER_SECRET=… OAUTH1_TOKEN=… OAUTH1_TOKEN_SECRET=… \
//!   cargo run --example sign_only -- POST 'https://api.x.com/1.1/statuses/update.json' 'status=hi'
//! ```
//! With no environment it signs Twitter's documented example with its published test
//! credentials, a fresh nonce and the current time. The optional third argument is a form body.

use oauth1_core::{
    Body, ClientCredentials, HmacSha1, OAuthParams, Request, Scratch, Signer, TokenCredentials,
};
use oauth1_examples::{env_or, twitter_example as tw};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let method = args.first().map_or("POST", String::as_str);
    let url = args.get(1).map_or(
        "https://api.x.com/1.1/statuses/update.json?include_entities=true",
        String::as_str,
    );
    let form = args.get(2).map_or(
        "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21",
        String::as_str,
    );

    let client = ClientCredentials::new(
        env_or("OAUTH1_CONSUMER_KEY", tw::CONSUMER_KEY),
        env_or("OAUTH1_CONSUMER_SECRET", tw::CONSUMER_SECRET),
    );
    let token = TokenCredentials::new(
        env_or("OAUTH1_TOKEN", tw::TOKEN),
        env_or("OAUTH1_TOKEN_SECRET", tw::TOKEN_SECRET),
    );
    let signer = Signer::new(HmacSha1, &client, Some(&token))?;

    let request = Request::new(method, url).with_body(Body::Form(form.as_bytes()));
    let mut scratch = Scratch::new();
    let signed = signer.sign(&mut scratch, &request, &OAuthParams::fresh()?)?;

    println!("{method} {url}");
    println!("Content-Type: application/x-www-form-urlencoded");
    println!("Authorization: {}", signed.authorization());
    println!();
    println!("{form}");
    eprintln!("\nbase string: {}", signed.base_string());
    Ok(())
}

//! `compat-check SETTING METHOD URL NONCE TIMESTAMP`: prints the Authorization header that an
//! `oauth1_core::compat` setting signs for a GET of URL, with the consumer key and token of
//! `OAUTH1_CONSUMER_KEY` / `OAUTH1_TOKEN` and the secrets of `OAUTH1_CONSUMER_SECRET` /
//! `OAUTH1_TOKEN_SECRET`. Settings: `pecl-oauth-provider` (METHOD: HMAC-SHA1, HMAC-SHA256,
//! PLAINTEXT). Used by interop/run.py; not a tool for anything else.
use std::env;
use std::process::ExitCode;

use oauth1_core::compat::PeclOAuthProvider;
use oauth1_core::{ClientCredentials, OAuthParams, Request, Signer, TokenCredentials};

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let [setting, method, url, nonce, timestamp] = args.as_slice() else {
        eprintln!("usage: compat-check SETTING METHOD URL NONCE TIMESTAMP");
        return ExitCode::from(2);
    };
    let var = |name: &str| env::var(name).unwrap_or_default();
    let method = match (setting.as_str(), method.as_str()) {
        ("pecl-oauth-provider", "HMAC-SHA1") => PeclOAuthProvider::HmacSha1,
        ("pecl-oauth-provider", "HMAC-SHA256") => PeclOAuthProvider::HmacSha256,
        ("pecl-oauth-provider", "PLAINTEXT") => PeclOAuthProvider::Plaintext,
        _ => {
            eprintln!("compat-check: no setting {setting} with method {method}");
            return ExitCode::from(2);
        }
    };
    let Ok(timestamp) = timestamp.parse() else {
        eprintln!("compat-check: the timestamp is not a number");
        return ExitCode::from(2);
    };
    let client = ClientCredentials::new(var("OAUTH1_CONSUMER_KEY"), var("OAUTH1_CONSUMER_SECRET"));
    let token = TokenCredentials::new(var("OAUTH1_TOKEN"), var("OAUTH1_TOKEN_SECRET"));
    let header = Signer::new(method, &client, Some(&token)).and_then(|signer| {
        signer.authorization(
            &Request::new("GET", url),
            &OAuthParams::new(nonce.as_str(), timestamp),
        )
    });
    match header {
        Ok(header) => {
            println!("{header}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("compat-check: {e}");
            ExitCode::FAILURE
        }
    }
}

//! `oauth1 serve --as NAME` as a user runs it: NetSuite with an account id in host form starts,
//! prints its endpoints, realm and credentials, and answers a request token signed as NetSuite
//! wants it (HMAC-SHA256, the realm) and refuses one signed with HMAC-SHA1; an unknown name is
//! refused with the list of valid ones.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_core::{AnyMethod, ClientCredentials, OAuthParams, Placement, Signer};
use oauth1_server::testkit::wire;

mod support;
use support::{oauth1_env, serve, stderr};

/// A request-token request signed with `method`, as bytes on the wire.
fn request_token(url: &str, host: &str, client: &ClientCredentials, method: AnyMethod) -> Vec<u8> {
    let nonce = support::unique_nonce("cli");
    let now = support::now();
    let oauth = OAuthParams::new(nonce, now)
        .callback("oob")
        .realm("1234567_SB1");
    let mut request = http::Request::post(url).body(Vec::new()).unwrap();
    Signer::new(method, client, None)
        .unwrap()
        .sign_http(&mut request, Placement::Header, &oauth)
        .unwrap();
    let authorization = request.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    let path = request.uri().path().to_owned();
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {authorization}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .into_bytes()
}

#[test]
fn serve_as_netsuite_starts_and_answers() {
    let served = serve(&[
        "--as",
        "netsuite",
        "--account",
        "1234567-sb1",
        "--auto-approve",
    ]);
    assert_eq!(served.printed("playing:"), "netsuite");
    assert_eq!(served.printed("realm:"), "1234567_SB1");
    assert_eq!(served.printed("signature:"), "HMAC-SHA256");
    assert!(served
        .printed("hosts:")
        .contains("1234567-sb1.restlets.api.netsuite.com"));
    let base = served.printed("Local OAuth 1.0a provider at").to_owned();
    let (method, url) = served
        .printed("request token:")
        .split_once(' ')
        .unwrap_or_else(|| panic!("no method and URL in {:#?}", served.lines));
    let url = url.trim().to_owned();
    assert_eq!(method, "POST");
    assert_eq!(url, format!("{base}/rest/requesttoken"));
    // What to run next names the preset and the account.
    assert!(
        served.lines.iter().any(|l| l.starts_with(&format!(
            "Try: oauth1 authorize --provider netsuite --account 1234567_SB1 --local {base}"
        ))),
        "{:#?}",
        served.lines
    );
    let host = base.trim_start_matches("http://").to_owned();
    let client = ClientCredentials::new(
        served.printed("consumer key:"),
        served.printed("consumer secret:"),
    );

    let answer = wire::exchange(
        &host,
        &request_token(&url, &host, &client, AnyMethod::HmacSha256),
    )
    .unwrap();
    assert_eq!(wire::status(&answer), Some(200), "{answer}");
    assert!(answer.contains("oauth_callback_confirmed=true"), "{answer}");

    let answer = wire::exchange(
        &host,
        &request_token(&url, &host, &client, AnyMethod::HmacSha1),
    )
    .unwrap();
    assert_eq!(wire::status(&answer), Some(401), "{answer}");
    assert!(answer.contains("INVALID_LOGIN"), "{answer}");
}

#[test]
fn serve_as_an_unknown_service_lists_the_names() {
    let output = oauth1_env(None, &["serve", "--as", "myspace"], "", &[]);
    assert!(!output.status.success());
    let err = stderr(&output);
    for name in [
        "twitter",
        "netsuite",
        "jira",
        "woocommerce",
        "magento",
        "lti",
    ] {
        assert!(err.contains(name), "{err}");
    }
    let output = oauth1_env(
        None,
        &["serve", "--as", "flickr", "--account", "1"],
        "",
        &[],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("--account is for --as netsuite"),
        "{}",
        stderr(&output)
    );
}

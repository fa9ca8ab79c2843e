//! `oauth1 serve --as NAME` as a user runs it: NetSuite with an account id in host form starts,
//! prints its endpoints, realm and credentials, and answers a request token signed as NetSuite
//! wants it (HMAC-SHA256, the realm) and refuses one signed with HMAC-SHA1; an unknown name is
//! refused with the list of valid ones.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

use oauth1_core::{AnyMethod, ClientCredentials, OAuthParams, Placement, Signer};
use oauth1_server::testkit::wire;

mod support;
use support::{command, oauth1_env, stderr};

/// A running `oauth1 serve`, killed when dropped.
struct Served {
    child: Child,
    lines: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// The value printed after `label`.
    fn printed(&self, label: &str) -> &str {
        self.lines
            .iter()
            .find_map(|l| l.trim_start().strip_prefix(label))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no `{label}` in {:#?}", self.lines))
    }
}

/// Starts `oauth1 serve --port 0` with `args` and reads what it prints up to its `Try:` line.
fn serve(args: &[&str]) -> Served {
    let mut child = command(None)
        .args(["serve", "--port", "0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let done = line.starts_with("Try:");
            if sender.send(line).is_err() || done {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    while !lines.iter().any(|l: &String| l.starts_with("Try:")) {
        match receiver.recv_timeout(Duration::from_secs(20)) {
            Ok(line) => lines.push(line),
            Err(e) => {
                let _ = child.kill();
                panic!("oauth1 serve printed no `Try:` line ({e}): {lines:#?}");
            }
        }
    }
    Served { child, lines }
}

/// A request-token request signed with `method`, as bytes on the wire.
fn request_token(url: &str, host: &str, client: &ClientCredentials, method: AnyMethod) -> Vec<u8> {
    let nonce = format!(
        "cli-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
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
    let url = served
        .printed("request token:")
        .trim_start_matches("POST")
        .trim()
        .to_owned();
    assert_eq!(url, format!("{base}/rest/requesttoken"));
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

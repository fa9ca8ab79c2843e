//! The binary's diagnostics (issue 17): what the provider said (its OAuth Problem Reporting
//! parameters, from `WWW-Authenticate` or the body), the one hint that fits, `Retry-After` and
//! the rate-limit reset on a 429, and the host (and proxy) of a connection error. Against the
//! local provider, or a tiny scripted HTTP server on 127.0.0.1 where the local provider does
//! not answer that way.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use oauth1_flow::BlockingHttpClient;
use oauth1_server::LocalProviderConfig;

mod support;
use support::{
    authorize_local, closed_port, config, next_line, now, oauth1, oauth1_env, private_file,
    provider, provider_with, spawn, stderr, XAUTH_ALICE,
};

const EXPLAIN: &str = "oauth1 sign --explain";
const AGAIN: &str = "authorize again";
const CREDENTIALS: &str = "check the username and password";
const CLOCK: &str = "set the system clock right";

/// Exactly one hint line, and it says `what`.
fn one_hint(err: &str, what: &str) {
    let hints: Vec<&str> = err.lines().filter(|l| l.starts_with("hint:")).collect();
    assert_eq!(hints.len(), 1, "{err}");
    assert!(hints[0].contains(what), "expected {what:?} in: {err}");
}

/// Writes a profiles file by hand, mode 0600, with one active profile at `base`.
fn profile_at(path: &Path, base: &str) {
    let text = format!(
        "active = \"p\"\n[profiles.p]\napi_base = \"{base}\"\nrequest_token_url = \"{base}/oauth/request_token\"\n\
         authorize_url = \"{base}/oauth/authorize\"\naccess_token_url = \"{base}/oauth/access_token\"\n\
         consumer_key = \"k\"\nconsumer_secret = \"s\"\ntoken = \"t\"\ntoken_secret = \"ts\"\n"
    );
    private_file(path, &text);
}

/// A server on 127.0.0.1 that answers every request with `head` (status line and headers,
/// without the blank line) and `body`. Its thread lives as long as the test process.
fn scripted(head: &str, body: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let response = format!(
        "{head}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            // The head, then as much body as it announces.
            while let Ok(n @ 1..) = stream.read(&mut buf) {
                seen.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&seen).to_ascii_lowercase();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if seen.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let _ = stream.write_all(response.as_bytes());
        }
    });
    base
}

/// `oauth1 request /resource` with a profile at `base`.
fn request(name: &str, base: &str) -> Output {
    let cfg = config(name);
    profile_at(&cfg, base);
    oauth1(&cfg, &["request", "/resource"], "")
}

#[test]
fn a_wrong_signature_shows_the_problem_from_the_challenge_and_hints_at_explain() {
    let p = provider();
    let cfg = config("signature");
    let out = authorize_local(&cfg, &p, &["--consumer-secret", "wrong"], "");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // The body is Twitter's code 32; `signature_invalid` is only in the challenge.
    assert!(err.contains("code 32"), "{err}");
    assert!(err.contains("oauth_problem=signature_invalid"), "{err}");
    one_hint(&err, EXPLAIN);
}

#[test]
fn a_wrong_pin_hints_at_authorizing_again_not_at_explain() {
    let p = provider();
    let cfg = config("pin");
    let args = ["authorize", "--local", p.base_url()];
    let (mut child, mut stdout) = spawn(Some(&cfg), &args, Stdio::piped());
    let url = next_line(&mut stdout);
    // Approve (the provider auto-approves when the page is opened), then type a wrong PIN.
    let page = oauth1_transport_ureq::UreqTransport::new()
        .send(http::Request::get(url.trim()).body(Vec::new()).unwrap())
        .unwrap();
    assert!(String::from_utf8_lossy(page.body()).contains("<code id=\"pin\">"));
    writeln!(child.stdin.take().unwrap(), "0000000").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("access-token"), "{err}");
    assert!(!err.contains(EXPLAIN), "{err}");
    one_hint(&err, AGAIN);
}

#[test]
fn a_wrong_xauth_password_hints_at_the_credentials() {
    let p = provider();
    let cfg = config("xauth");
    let out = authorize_local(&cfg, &p, &XAUTH_ALICE, "not-the-password\n");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(!err.contains(EXPLAIN), "{err}");
    assert!(!err.contains("not-the-password"), "{err}");
    one_hint(&err, CREDENTIALS);
}

#[test]
fn a_refused_timestamp_hints_at_the_clock_with_the_skew() {
    // The provider's clock is 1000 s ahead of this machine's.
    let p = provider_with(LocalProviderConfig::default().clock(|| now() + 1000));
    let out = authorize_local(&config("clock"), &p, &[], "");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("oauth_problem=timestamp_refused"), "{err}");
    assert!(!err.contains(EXPLAIN), "{err}");
    one_hint(&err, CLOCK);
    let hint = err.lines().find(|l| l.starts_with("hint:")).unwrap();
    let skew: u64 = hint
        .split("clock is ")
        .nth(1)
        .and_then(|r| r.split(" s behind").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no skew in {hint}"));
    assert!((995..=1005).contains(&skew), "{hint}");
}

#[test]
fn the_problem_in_a_challenge_or_a_body_chooses_the_hint() {
    let json32 = r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#;
    // token_rejected in the challenge: authorize again, though the body says 32.
    let base = scripted(
        "HTTP/1.1 401 Unauthorized\r\nwww-authenticate: OAuth realm=\"x\", oauth_problem=\"token_rejected\"",
        json32,
    );
    let err = stderr(&request("challenge-token", &base));
    assert!(err.contains("oauth_problem=token_rejected"), "{err}");
    one_hint(&err, AGAIN);
    // The same in a form body, with the parameters it names.
    let base = scripted(
        "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/x-www-form-urlencoded",
        "oauth_problem=token_expired&oauth_parameters_rejected=oauth_token",
    );
    let err = stderr(&request("body-token", &base));
    assert!(err.contains("oauth_problem=token_expired"), "{err}");
    assert!(err.contains("rejected parameters: oauth_token"), "{err}");
    one_hint(&err, AGAIN);
    // A problem with no hint of its own: what the provider said, and no guess.
    let base = scripted(
        "HTTP/1.1 400 Bad Request",
        "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce",
    );
    let err = stderr(&request("body-absent", &base));
    assert!(err.contains("missing parameters: oauth_nonce"), "{err}");
    assert!(!err.contains("hint:"), "{err}");
}

#[test]
fn twitter_codes_choose_the_hint_when_no_problem_is_named() {
    for (code, what) in [(32, EXPLAIN), (89, AGAIN), (135, CLOCK)] {
        let base = scripted(
            "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json",
            &format!(r#"{{"errors":[{{"code":{code},"message":"m"}}]}}"#),
        );
        let out = request(&format!("code-{code}"), &base);
        assert_eq!(out.status.code(), Some(1));
        one_hint(&stderr(&out), what);
    }
}

#[test]
fn too_many_requests_prints_retry_after_and_the_reset() {
    let reset = now() + 600;
    let base = scripted(
        &format!("HTTP/1.1 429 Too Many Requests\r\nretry-after: 42\r\nx-rate-limit-reset: {reset}\r\ncontent-type: application/json"),
        r#"{"errors":[{"code":88,"message":"Rate limit exceeded"}]}"#,
    );
    let out = request("429", &base);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    one_hint(&err, "Retry-After: 42");
    assert!(err.contains(&format!("resets at {reset}")), "{err}");
    assert!(!err.contains(EXPLAIN), "{err}");
}

#[test]
fn a_connection_error_names_the_host_and_the_proxy() {
    let (port, proxy_port) = (closed_port(), closed_port());
    let cfg = config("connect");
    profile_at(&cfg, &format!("http://127.0.0.1:{port}"));
    let out = oauth1(&cfg, &["request", "/resource"], "");
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(!err.contains("proxy"), "{err}");
    one_hint(&err, "check the URL");

    let proxy = format!("http://user:proxy-PASSWORD@127.0.0.1:{proxy_port}");
    let out = oauth1_env(
        Some(&cfg),
        &["request", "/resource"],
        "",
        &[("HTTP_PROXY", &proxy)],
    );
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(
        err.contains(&format!("through the proxy 127.0.0.1:{proxy_port}")),
        "{err}"
    );
    assert!(!err.contains("proxy-PASSWORD"), "{err}");
    one_hint(&err, "proxy");
}

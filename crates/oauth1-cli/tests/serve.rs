//! `oauth1 serve` as a user runs it: two providers started with `--redis` on one real
//! `redis-server` refuse at the second a request the first accepted; a Redis that cannot be
//! reached stops `serve` at start-up with an error that does not show the URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_core::ClientCredentials;
use oauth1_server::testkit::redis::RedisServer;
use oauth1_server::testkit::wire;

mod support;
use support::{closed_port, oauth1_env, serve, stderr, stdout};

/// A signed request-token request for `host`, as the bytes a client sends.
fn request_token_bytes(host: &str, consumer: &(String, String), nonce: &str) -> Vec<u8> {
    let client = ClientCredentials::new(consumer.0.as_str(), consumer.1.as_str());
    wire::signed_request_token(host, &client, nonce).unwrap()
}

/// Writes `request` to `host` as is and returns the whole response.
fn send(host: &str, request: &[u8]) -> String {
    wire::exchange(host, request).unwrap()
}

#[test]
fn two_serves_on_one_redis_refuse_a_replay() {
    let redis = RedisServer::for_tests();
    let a = serve(&["--redis", redis.url()]);
    let b = serve(&["--redis", redis.url()]);
    assert_ne!(a.host, b.host);
    assert_eq!(
        a.printed("nonces:"),
        "in Redis (shared with every provider that uses it)"
    );
    assert_eq!(a.consumer, b.consumer, "both print the default client");

    let nonce = support::unique_nonce("cli");
    // Signed for A's address; a load balancer could send the same bytes to either.
    let request = request_token_bytes(&a.host, &a.consumer, &nonce);
    let first = send(&a.host, &request);
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    assert!(first.contains("oauth_token="), "{first}");
    let replayed = send(&b.host, &request);
    assert!(replayed.starts_with("HTTP/1.1 401"), "{replayed}");
    assert!(replayed.contains("nonce_used"), "{replayed}");
    // A fresh request to B is fine.
    let fresh = request_token_bytes(&a.host, &a.consumer, &format!("{nonce}-b"));
    let answer = send(&b.host, &fresh);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn without_redis_nonces_stay_in_memory() {
    let a = serve(&[]);
    assert_eq!(a.printed("nonces:"), "in memory");
}

#[test]
fn an_unreachable_redis_stops_serve_at_start_up_without_showing_the_url() {
    // A port nothing listens on (bound, then closed), with a password in the URL.
    let url = format!("redis://:hunter2@127.0.0.1:{}/", closed_port());
    let serve_output = |args: &[&str]| oauth1_env(None, &[&["serve"][..], args].concat(), "", &[]);
    let out = serve_output(&["--port", "0", "--redis", &url]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("--redis"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
    assert!(!stdout(&out).contains("hunter2"));

    // A CA file that does not exist, and --redis-ca without --redis.
    let out = serve_output(&[
        "--redis",
        "rediss://127.0.0.1:1/",
        "--redis-ca",
        "/nonexistent/ca.pem",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("/nonexistent/ca.pem"),
        "{}",
        stderr(&out)
    );
    let out = serve_output(&["--redis-ca", "ca.pem"]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
}

/// Issue 16, finding 1, as it was found: one unsigned request whose header holds tens of
/// thousands of parameters cost the release `oauth1 serve` seconds of CPU before its 401 (a
/// duplicate check comparing each name with every earlier one). Now it is 400 at once: the
/// exchange gives up after 10 s, which the quadratic parser did not meet in a debug build.
#[test]
fn a_header_of_tens_of_thousands_of_parameters_is_refused_at_once() {
    let served = serve(&[]);
    let unsigned = |params: Vec<String>| {
        let request = format!(
            "GET /1.1/account/verify_credentials.json HTTP/1.1\r\nHost: {}\r\nAuthorization: OAuth {}\r\nConnection: close\r\n\r\n",
            served.host,
            params.join(",")
        );
        send(&served.host, request.as_bytes())
    };
    let answer = unsigned((0..40_000).map(|i| format!("a{i}=\"\"")).collect());
    assert_eq!(wire::status(&answer), Some(400), "{answer}");
    // Within the length limit, past the count limit.
    let answer = unsigned((0..40).map(|i| format!("oauth_{i}=\"\"")).collect());
    assert_eq!(wire::status(&answer), Some(400), "{answer}");
    assert!(answer.contains("\"code\":215"), "{answer}");
}

//! `oauth1 serve` with the options that let other implementations' clients be tested against
//! it (docs/interop.md): `--consumer KEY` with its secret from OAUTH1_CONSUMER_SECRET and
//! `--token TOKEN` with its secret from OAUTH1_TOKEN_SECRET (awkward secrets accepted when
//! signed right, refused when signed with the built-in secret, and never printed),
//! `--rsa-public-key FILE` with the default (Twitter-shaped) provider (the matching private key
//! accepted, another refused), and `--insecure-plaintext-over-http` (PLAINTEXT over http refused
//! without it, accepted with it, with a warning on stderr).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_core::{
    AnyMethod, ClientCredentials, OAuthParams, Placement, RsaSha1, Signer, TokenCredentials,
};
use oauth1_server::testkit::wire;

mod support;
use support::{oauth1_env, serve_with, stderr, Served};

const CONSUMER_SECRET: &str = "c s+%&~é";
const TOKEN_SECRET: &str = "t&s=+~ü";

/// Sends to `served` a request signed with `method` for `client` and `token`: a GET of the
/// protected resource with a token, a request-token POST without. Returns the status and the
/// answer.
fn send(
    served: &Served,
    method: AnyMethod,
    client: &ClientCredentials,
    token: Option<&TokenCredentials>,
) -> (u16, String) {
    let nonce = support::unique_nonce("opt");
    let now = support::now();
    let base = format!("http://{}", served.host);
    let (mut request, oauth) = match token {
        Some(_) => (
            http::Request::get(format!("{base}/1.1/account/verify_credentials.json?x=1"))
                .body(Vec::new())
                .unwrap(),
            OAuthParams::new(nonce, now),
        ),
        None => (
            http::Request::post(format!("{base}/oauth/request_token"))
                .body(Vec::new())
                .unwrap(),
            OAuthParams::new(nonce, now).callback("oob"),
        ),
    };
    Signer::new(method, client, token)
        .unwrap()
        .sign_http(&mut request, Placement::Header, &oauth)
        .unwrap();
    let authorization = request.headers()["authorization"].to_str().unwrap();
    let target = request.uri().path_and_query().unwrap().as_str();
    let wire = format!(
        "{} {target} HTTP/1.1\r\nHost: {}\r\nAuthorization: {authorization}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        request.method(),
        served.host
    );
    let answer = wire::exchange(&served.host, wire.as_bytes()).unwrap();
    (wire::status(&answer).unwrap_or(0), answer)
}

fn data(file: &str) -> String {
    format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"))
}

fn rsa(file: &str) -> AnyMethod {
    let pem = std::fs::read_to_string(data(file)).unwrap();
    AnyMethod::RsaSha1(RsaSha1::from_private_pem(&pem).unwrap())
}

#[test]
fn a_consumer_and_a_token_with_awkward_secrets_from_the_environment() {
    let served = serve_with(
        &["--consumer", "odd-consumer", "--token", "odd-token"],
        &[
            ("OAUTH1_CONSUMER_SECRET", CONSUMER_SECRET),
            ("OAUTH1_TOKEN_SECRET", TOKEN_SECRET),
        ],
    );
    // The banner names them, never their secrets; the built-in consumer is still there.
    assert!(served.lines[0].starts_with("Local OAuth 1.0a provider at http://127.0.0.1:"));
    assert_eq!(
        served.printed("consumer:"),
        "odd-consumer (secret from OAUTH1_CONSUMER_SECRET)"
    );
    assert!(served
        .printed("issued token:")
        .starts_with("odd-token (of odd-consumer"));
    let banner = served.lines.join("\n");
    for secret in [CONSUMER_SECRET, TOKEN_SECRET, "c s+", "t&s="] {
        assert!(!banner.contains(secret), "{banner}");
    }
    let builtin = ClientCredentials::new(
        served.printed("consumer key:"),
        served.printed("consumer secret:"),
    );
    assert_eq!(send(&served, AnyMethod::HmacSha1, &builtin, None).0, 200);

    let odd = ClientCredentials::new("odd-consumer", CONSUMER_SECRET);
    let (status, answer) = send(&served, AnyMethod::HmacSha1, &odd, None);
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("oauth_callback_confirmed=true"), "{answer}");
    let token = TokenCredentials::new("odd-token", TOKEN_SECRET);
    for method in [AnyMethod::HmacSha1, AnyMethod::HmacSha256] {
        let (status, answer) = send(&served, method, &odd, Some(&token));
        assert_eq!(status, 200, "{answer}");
    }

    // Signed with the built-in secret, or with the token secret of another, it is refused.
    let wrong = ClientCredentials::new("odd-consumer", "local-consumer-secret");
    let (status, answer) = send(&served, AnyMethod::HmacSha1, &wrong, None);
    assert_eq!(status, 401, "{answer}");
    assert_eq!(
        send(&served, AnyMethod::HmacSha1, &wrong, Some(&token)).0,
        401
    );
    let wrong_token = TokenCredentials::new("odd-token", "local-token-secret");
    assert_eq!(
        send(&served, AnyMethod::HmacSha1, &odd, Some(&wrong_token)).0,
        401
    );
    let err = served.stderr();
    assert!(
        !err.contains(CONSUMER_SECRET) && !err.contains(TOKEN_SECRET),
        "{err}"
    );
}

#[test]
fn a_consumer_or_token_without_its_secret_in_the_environment_stops_serve() {
    let output = oauth1_env(None, &["serve", "--consumer", "k"], "", &[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains(
            "--consumer needs its secret in the environment variable OAUTH1_CONSUMER_SECRET"
        ),
        "{}",
        stderr(&output)
    );
    let output = oauth1_env(None, &["serve", "--token", "t"], "", &[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("OAUTH1_TOKEN_SECRET"),
        "{}",
        stderr(&output)
    );
    // There is no flag to put the secret on the command line.
    let output = oauth1_env(
        None,
        &["serve", "--consumer", "k", "--consumer-secret", "s"],
        "",
        &[],
    );
    assert!(!output.status.success());
}

#[test]
fn rsa_sha1_with_the_default_provider() {
    let public = data("serve_rsa_public.pem");
    let served = serve_with(
        &["--rsa-public-key", &public, "--consumer", "odd-consumer"],
        &[("OAUTH1_CONSUMER_SECRET", CONSUMER_SECRET)],
    );
    assert!(served.printed("rsa public key:").ends_with("(RSA-SHA1)"));
    let builtin = ClientCredentials::new(served.printed("consumer key:"), "");
    let odd = ClientCredentials::new("odd-consumer", "");
    for client in [&builtin, &odd] {
        let (status, answer) = send(&served, rsa("serve_rsa_private.pem"), client, None);
        assert_eq!(status, 200, "{answer}");
        // Another key's signature is refused.
        let (status, answer) = send(&served, rsa("oauthnet_rsa_pkcs8.pem"), client, None);
        assert_eq!(status, 401, "{answer}");
    }
    // Without the option, RSA-SHA1 is refused.
    let plain = serve_with(&[], &[]);
    let (status, answer) = send(&plain, rsa("serve_rsa_private.pem"), &builtin, None);
    assert_ne!(status, 200, "{answer}");
}

#[test]
fn a_public_key_that_is_not_one_stops_serve() {
    let private = data("serve_rsa_private.pem");
    let output = oauth1_env(None, &["serve", "--rsa-public-key", &private], "", &[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("is not a PEM public key"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_pem_file_past_64_kib_or_endless_is_refused_unread() {
    let dir = support::dir("pem-limit");
    let big = dir.join("big.pem");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(64 * 1024 + 1)
        .unwrap();
    let big = big.to_str().unwrap();
    for args in [
        &["serve", "--rsa-public-key", big][..],
        &[
            "serve",
            "--redis",
            "redis://127.0.0.1:1/",
            "--redis-ca",
            big,
        ],
        #[cfg(unix)]
        &["serve", "--rsa-public-key", "/dev/zero"],
        #[cfg(unix)]
        &[
            "serve",
            "--redis",
            "redis://127.0.0.1:1/",
            "--redis-ca",
            "/dev/zero",
        ],
    ] {
        let output = oauth1_env(None, args, "", &[]);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            stderr(&output).contains("larger than 64 KiB"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn plaintext_over_http_only_with_the_flag() {
    let refused = serve_with(&[], &[]);
    let client = ClientCredentials::new(
        refused.printed("consumer key:"),
        refused.printed("consumer secret:"),
    );
    let (status, answer) = send(&refused, AnyMethod::Plaintext, &client, None);
    assert_ne!(status, 200, "{answer}");
    assert!(
        !refused.lines.iter().any(|l| l.contains("plaintext:")),
        "{:#?}",
        refused.lines
    );
    assert!(!refused.stderr().contains("PLAINTEXT"));

    let served = serve_with(
        &[
            "--insecure-plaintext-over-http",
            "--consumer",
            "odd-consumer",
            "--token",
            "odd-token",
        ],
        &[
            ("OAUTH1_CONSUMER_SECRET", CONSUMER_SECRET),
            ("OAUTH1_TOKEN_SECRET", TOKEN_SECRET),
        ],
    );
    assert!(served
        .printed("plaintext:")
        .starts_with("accepted over http"));
    let (status, answer) = send(&served, AnyMethod::Plaintext, &client, None);
    assert_eq!(status, 200, "{answer}");
    let odd = ClientCredentials::new("odd-consumer", CONSUMER_SECRET);
    let token = TokenCredentials::new("odd-token", TOKEN_SECRET);
    let (status, answer) = send(&served, AnyMethod::Plaintext, &odd, Some(&token));
    assert_eq!(status, 200, "{answer}");
    let wrong = ClientCredentials::new("odd-consumer", "local-consumer-secret");
    assert_eq!(
        send(&served, AnyMethod::Plaintext, &wrong, Some(&token)).0,
        401
    );
    let err = served.stderr();
    assert!(
        err.contains("warning: --insecure-plaintext-over-http") && err.contains("tests"),
        "{err}"
    );
}

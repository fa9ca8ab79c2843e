//! The service presets on the command line (issue 20): `oauth1 providers`, `--provider NAME`
//! with its options in `authorize` and `sign`, a profile that keeps its preset, and
//! `sign --explain --provider NAME` with the service's own checks.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::Stdio;

use oauth1_server::{LocalProviderConfig, Service};
use support::*;

const NETSUITE_URL: &str =
    "https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=1&deploy=1";

/// `oauth1 sign` with the given flags and secrets `cs`/`ts` from the environment.
fn sign(args: &[&str]) -> std::process::Output {
    let args = [&["sign"][..], args].concat();
    oauth1_env(
        None,
        &args,
        "",
        &[
            ("OAUTH1_CONSUMER_SECRET", "cs"),
            ("OAUTH1_TOKEN_SECRET", "ts"),
        ],
    )
}

#[test]
fn providers_lists_every_preset_and_describes_one() {
    let listing = ok(&oauth1_env(None, &["providers"], "", &[]));
    for name in [
        "twitter",
        "netsuite",
        "jira",
        "woocommerce",
        "magento",
        "garmin",
        "flickr",
        "trello",
        "tumblr",
        "discogs",
        "smugmug",
        "zotero",
        "lti",
    ] {
        assert!(
            listing.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name} missing from:\n{listing}"
        );
    }
    let flickr = ok(&oauth1_env(None, &["providers", "flickr"], "", &[]));
    assert!(flickr.contains("--perms"), "{flickr}");
    assert!(flickr.contains("read, write, delete"), "{flickr}");
    failed(
        &oauth1_env(None, &["providers", "flikr"], "", &[]),
        2,
        "use one of twitter, netsuite",
    );
}

#[test]
fn sign_for_netsuite_uses_its_method_and_realm_and_finds_nothing_wrong() {
    let out = ok(&sign(&[
        "--explain",
        "--provider",
        "netsuite",
        "--account",
        "1234567-sb1",
        "--consumer-key",
        "ck",
        "--token",
        "tk",
        NETSUITE_URL,
    ]));
    assert!(out.contains(r#"realm="1234567_SB1""#), "{out}");
    assert!(out.contains("HMAC-SHA256"), "{out}");
    assert!(
        out.contains("Checks of the netsuite preset") && out.contains("none failed"),
        "{out}"
    );
}

#[test]
fn sign_explain_reports_what_netsuite_itself_refuses() {
    let out = ok(&sign(&[
        "--explain",
        "--provider",
        "netsuite",
        "--account",
        "1234567_SB1",
        "--signature-method",
        "HMAC-SHA1",
        "--realm",
        "1234567-sb1",
        "--consumer-key",
        "ck",
        "--token",
        "tk",
        NETSUITE_URL,
    ]));
    let checks = out
        .split("Checks of the netsuite preset")
        .nth(1)
        .unwrap_or_else(|| panic!("no checks in:\n{out}"));
    assert!(checks.contains("HMAC-SHA256"), "{checks}");
    assert!(checks.contains("1234567_SB1"), "{checks}");
    assert!(!checks.contains("none failed"), "{checks}");
}

#[test]
fn sign_for_discogs_warns_without_a_user_agent_header() {
    let args = [
        "--provider",
        "discogs",
        "--user-agent",
        "ExampleApp/1.0 +https://app.example",
        "--consumer-key",
        "ck",
        "--token",
        "tk",
        "https://api.discogs.com/oauth/identity",
    ];
    let without = sign(&args);
    ok(&without);
    assert!(
        stderr(&without).contains("User-Agent"),
        "{}",
        stderr(&without)
    );
    let with = sign(&[&args[..], &["-H", "User-Agent: ExampleApp/1.0"]].concat());
    ok(&with);
    assert!(!stderr(&with).contains("User-Agent"), "{}", stderr(&with));
    // The preset itself needs the application's user agent.
    failed(
        &sign(&[
            "--provider",
            "discogs",
            "--consumer-key",
            "ck",
            "https://api.discogs.com/",
        ]),
        2,
        "--user-agent",
    );
}

#[test]
fn sign_for_woocommerce_puts_the_parameters_in_the_query_without_a_token() {
    let out = ok(&sign(&[
        "--provider",
        "woocommerce",
        "--base-url",
        "http://shop.example",
        "--consumer-key",
        "ck_1",
        "http://shop.example/wp-json/wc/v3/products?per_page=2",
    ]));
    let url = out.trim();
    assert!(
        url.starts_with(
            "http://shop.example/wp-json/wc/v3/products?per_page=2&oauth_consumer_key=ck_1"
        ),
        "{url}"
    );
    assert!(url.contains("oauth_signature_method=HMAC-SHA256"), "{url}");
    assert!(!url.contains("oauth_token="), "{url}");
}

#[test]
fn preset_options_need_a_preset() {
    failed(
        &sign(&["--account", "1234567", "--consumer-key", "ck", NETSUITE_URL]),
        2,
        "--provider NAME",
    );
    failed(
        &sign(&[
            "--provider",
            "netsuite",
            "--account",
            "not an id!",
            "--consumer-key",
            "ck",
            NETSUITE_URL,
        ]),
        2,
        "--account",
    );
}

#[test]
fn an_issued_netsuite_token_is_saved_with_its_preset_and_signs_like_it() {
    let config = config("issued");
    let authorized = oauth1_env(
        Some(&config),
        &[
            "authorize",
            "--provider",
            "netsuite",
            "--account",
            "1234567-sb1",
            "--consumer-key",
            "ck",
            "--token",
            "token-id",
            "--profile",
            "ns",
        ],
        "",
        &[
            ("OAUTH1_CONSUMER_SECRET", "cs"),
            ("OAUTH1_TOKEN_SECRET", "token-secret"),
        ],
    );
    ok(&authorized);
    assert!(
        stderr(&authorized).contains("Saved the issued token"),
        "{}",
        stderr(&authorized)
    );
    let listed = ok(&oauth1(&config, &["profiles", "list"], ""));
    assert!(
        listed.contains("preset:        netsuite (account=1234567-sb1)"),
        "{listed}"
    );
    assert!(!listed.contains("token-secret"), "{listed}");
    let explained = ok(&oauth1(
        &config,
        &["sign", "--explain", "--profile", "ns", NETSUITE_URL],
        "",
    ));
    assert!(explained.contains(r#"realm="1234567_SB1""#), "{explained}");
    assert!(
        explained.contains("oauth_token=\"token-id\""),
        "{explained}"
    );
    assert!(explained.contains("none failed"), "{explained}");
}

#[test]
fn a_preset_without_a_dance_asks_for_the_issued_token() {
    let config = config("magento");
    failed(
        &oauth1_env(
            Some(&config),
            &[
                "authorize",
                "--provider",
                "magento",
                "--base-url",
                "https://shop.example",
                "--consumer-key",
                "ck",
            ],
            "",
            &[("OAUTH1_CONSUMER_SECRET", "cs")],
        ),
        2,
        "--token",
    );
    assert!(!config.exists());
}

/// `oauth1 authorize --provider NAME --local URL` with `extra` flags, through a loopback
/// callback (the auto-approving provider's redirect followed to it).
fn authorize_with_callback(cfg: &std::path::Path, base_url: &str, provider: &str, extra: &[&str]) {
    let callback = format!("http://127.0.0.1:{}/cb", closed_port());
    let args = [
        &[
            "authorize",
            "--provider",
            provider,
            "--local",
            base_url,
            "--callback",
            &callback,
        ][..],
        extra,
    ]
    .concat();
    let (_, out) = authorize_through_callback(cfg, &args, &callback);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn the_flickr_preset_runs_the_dance_against_the_local_flickr_and_calls_its_api() {
    let p = provider_with(LocalProviderConfig::default().service(Service::flickr()));
    let cfg = config("flickr");
    authorize_with_callback(&cfg, p.base_url(), "flickr", &["--perms", "write"]);
    let listed = ok(&oauth1(&cfg, &["profiles", "list"], ""));
    assert!(listed.contains("preset:        flickr"), "{listed}");
    assert!(listed.contains("user:          @alice"), "{listed}");
    let out = ok(&oauth1(
        &cfg,
        &[
            "request",
            "/services/rest?method=flickr.test.login&format=json&nojsoncallback=1",
        ],
        "",
    ));
    assert!(
        out.contains(r#""stat":"ok""#) && out.contains("alice"),
        "{out}"
    );
}

#[test]
fn the_woocommerce_preset_signs_one_legged_calls_the_local_shop_accepts() {
    let p = provider_with(LocalProviderConfig::default().service(Service::woocommerce()));
    let cfg = config("woocommerce");
    let saved = oauth1(
        &cfg,
        &[
            "authorize",
            "--provider",
            "woocommerce",
            "--local",
            p.base_url(),
        ],
        "",
    );
    ok(&saved);
    assert!(
        stderr(&saved).contains("Nothing to authorize"),
        "{}",
        stderr(&saved)
    );
    let out = ok(&oauth1(
        &cfg,
        &["request", "-i", "/wp-json/wc/v3/products"],
        "",
    ));
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(out.contains("Local product"), "{out}");
    // The same call with the parameters in a header is refused, in WooCommerce's words.
    let refused = oauth1(
        &cfg,
        &[
            "request",
            "--placement",
            "header",
            "/wp-json/wc/v3/products",
        ],
        "",
    );
    assert_ne!(refused.status.code(), Some(0));
    assert!(
        stdout(&refused).contains("woocommerce_rest_authentication_error"),
        "{}",
        stdout(&refused)
    );
}

#[test]
fn an_issued_netsuite_token_calls_the_local_netsuite() {
    let config_of_provider = LocalProviderConfig::default()
        .service(Service::netsuite("1234567-sb1"))
        .issued_token(
            oauth1_server::DEFAULT_CONSUMER_KEY,
            "token-id",
            "token-secret",
        );
    let p = provider_with(config_of_provider);
    let cfg = config("netsuite-local");
    ok(&oauth1_env(
        Some(&cfg),
        &[
            "authorize",
            "--provider",
            "netsuite",
            "--account",
            "1234567_SB1",
            "--local",
            p.base_url(),
            "--token",
            "token-id",
        ],
        "",
        &[("OAUTH1_TOKEN_SECRET", "token-secret")],
    ));
    let out = ok(&oauth1(
        &cfg,
        &["request", "-i", "/services/rest/record/v1/customer"],
        "",
    ));
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(
        out.contains("1234567_SB1") || out.contains("customer") || !out.is_empty(),
        "{out}"
    );
}

#[test]
fn request_stream_reconnect_keeps_reading_when_the_stream_ends() {
    let p = provider();
    let cfg = config("reconnect");
    ok(&xauth(&cfg, &p, &[]));
    let args = [
        "request",
        "--stream",
        "--reconnect",
        "/1.1/statuses/stream.json?count=3",
    ];
    let (mut child, mut stdout) = spawn(Some(&cfg), &args, Stdio::null());
    // Three values a connection: seven lines need three connections.
    let mut ids = Vec::new();
    for _ in 0..7 {
        let line = next_line(&mut stdout);
        assert!(!line.is_empty(), "the stream ended");
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        ids.push(value["id"].as_u64().unwrap());
    }
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(ids, [0, 1, 2, 0, 1, 2, 0]);
    let err = text(&out.stderr);
    assert!(
        err.matches("oauth1: reconnecting at once (attempt 1): the stream ended")
            .count()
            >= 2,
        "{err}"
    );
}

#[test]
fn the_jira_preset_signs_the_dance_and_its_calls_with_the_rsa_key() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let public = std::fs::read_to_string(format!("{data}/serve_rsa_public.pem")).unwrap();
    let p = provider_with(
        LocalProviderConfig::default()
            .service(Service::jira())
            .rsa_client(oauth1_server::DEFAULT_CONSUMER_KEY, public),
    );
    let dir = dir("jira");
    let key = dir.join("link.pem");
    private_file(
        &key,
        &std::fs::read_to_string(format!("{data}/serve_rsa_private.pem")).unwrap(),
    );
    let cfg = dir.join("profiles.toml");
    authorize_with_callback(
        &cfg,
        p.base_url(),
        "jira",
        &["--rsa-key-file", key.to_str().unwrap()],
    );
    let listed = ok(&oauth1(&cfg, &["profiles", "list"], ""));
    assert!(listed.contains("preset:        jira"), "{listed}");
    let me = ok(&oauth1(&cfg, &["request", "/rest/api/2/myself"], ""));
    assert!(me.contains(r#""name":"alice""#), "{me}");
    // Signed with another key: Jira's problem report.
    let other = dir.join("other.pem");
    private_file(
        &other,
        &std::fs::read_to_string(format!("{data}/oauthnet_rsa_pkcs8.pem")).unwrap(),
    );
    let refused = oauth1(
        &cfg,
        &[
            "request",
            "--rsa-key-file",
            other.to_str().unwrap(),
            "/rest/api/2/myself",
        ],
        "",
    );
    assert_ne!(refused.status.code(), Some(0));
    assert!(
        stderr(&refused).contains("signature_invalid"),
        "{}",
        stderr(&refused)
    );
}

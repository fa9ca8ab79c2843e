//! `--compat pecl-oauth-provider`: signing as PHP's `OAuthProvider` verifies (the key made of
//! the secrets as they are), in `oauth1 sign`, its batch cases, and a profile that `oauth1
//! authorize --compat` saves and `oauth1 request` signs with. That `OAuthProvider` accepts it
//! is proven by the interop suite (scripts/interop.sh, direction `compat`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use oauth1_server::{LocalProviderConfig, DEFAULT_CONSUMER_SECRET};
use support::*;

const URL: &str = "https://api.example.com/r?x=1";
const AWKWARD_CONSUMER_SECRET: &str = "c s+%&~é";
const AWKWARD_TOKEN_SECRET: &str = "t&s=+~ü";

/// `oauth1 sign` with the awkward secrets, fixed nonce and timestamp, and `extra` flags: the
/// `oauth_signature` of the header it prints, decoded.
fn signature(extra: &[&str]) -> String {
    let args = [
        &[
            "sign",
            "--consumer-key",
            "k",
            "--token",
            "t",
            "--nonce",
            "n",
            "--timestamp",
            "1",
        ][..],
        extra,
        &[URL],
    ]
    .concat();
    let out = oauth1_env(
        None,
        &args,
        "",
        &[
            ("OAUTH1_CONSUMER_SECRET", AWKWARD_CONSUMER_SECRET),
            ("OAUTH1_TOKEN_SECRET", AWKWARD_TOKEN_SECRET),
        ],
    );
    let header = ok(&out);
    let start = header
        .find("oauth_signature=\"")
        .unwrap_or_else(|| panic!("no signature in {header}"))
        + "oauth_signature=\"".len();
    let end = start + header[start..].find('"').unwrap();
    oauth1_core::encode::percent_decode_str(&header[start..end]).unwrap()
}

/// PLAINTEXT shows the key itself: the secrets as they are, joined by `&`, where the RFC
/// encodes each. HMAC-SHA1 and HMAC-SHA256 differ from the RFC's with these secrets.
#[test]
fn sign_keys_with_the_secrets_as_they_are() {
    let compat = ["--compat", "pecl-oauth-provider"];
    assert_eq!(
        signature(&[&["--signature-method", "PLAINTEXT"][..], &compat].concat()),
        format!("{AWKWARD_CONSUMER_SECRET}&{AWKWARD_TOKEN_SECRET}")
    );
    assert_eq!(
        signature(&["--signature-method", "PLAINTEXT"]),
        "c%20s%2B%25%26~%C3%A9&t%26s%3D%2B~%C3%BC"
    );
    for method in ["HMAC-SHA1", "hmac-sha256"] {
        let pecl = signature(&[&["--signature-method", method][..], &compat].concat());
        let rfc = signature(&["--signature-method", method]);
        assert_ne!(pecl, rfc, "{method}");
        assert_eq!(
            pecl.len(),
            rfc.len(),
            "{method}: the same digest, keyed otherwise"
        );
    }
}

/// `--explain` says which key it signs with, masked unless --show-secrets.
#[test]
fn explain_shows_the_key_as_it_is_made() {
    let out = oauth1_env(
        None,
        &[
            "sign",
            "--explain",
            "--show-secrets",
            "--compat",
            "pecl-oauth-provider",
            "--consumer-key",
            "k",
            URL,
        ],
        "",
        &[("OAUTH1_CONSUMER_SECRET", "a b")],
    );
    let text = ok(&out);
    assert!(
        text.contains("--compat pecl-oauth-provider: consumer secret & token secret as they are")
            && text.contains("\n  a b&\n"),
        "{text}"
    );
}

/// A method the setting does not have is a usage error before anything is signed; so is a
/// setting that does not exist.
#[test]
fn methods_and_settings_it_does_not_have_are_refused() {
    for method in ["HMAC-SHA512", "RSA-SHA1"] {
        let out = oauth1_env(
            None,
            &[
                "sign",
                "--compat",
                "pecl-oauth-provider",
                "--signature-method",
                method,
                "--rsa-key-file",
                "/nonexistent.pem",
                "--consumer-key",
                "k",
                URL,
            ],
            "",
            &[("OAUTH1_CONSUMER_SECRET", "s")],
        );
        let said = failed(&out, 2, "pecl-oauth-provider compatibility setting signs with HMAC-SHA1, HMAC-SHA256 or PLAINTEXT");
        assert!(said.contains(&format!("not `{method}`")), "{said}");
        assert!(!said.contains("API misuse"), "{said}");
    }
    let out = oauth1_env(
        None,
        &["sign", "--compat", "pecl", "--consumer-key", "k", URL],
        "",
        &[("OAUTH1_CONSUMER_SECRET", "s")],
    );
    failed(&out, 2, "[possible values: pecl-oauth-provider]");
}

/// A batch case takes `"compat"`; a method it does not have is `unknown_signature_method`, an
/// unknown setting `invalid_field`, and the next line is still signed.
#[test]
fn batch_cases_take_compat() {
    let case = |method: &str, compat: &str| {
        format!(
            r#"{{"id":"{method}/{compat}","method":"GET","url":"https://a.example/","consumer_key":"k","consumer_secret":"a b","signature_method":"{method}","compat":"{compat}","placement":"header","nonce":"n","timestamp":"1"}}"#
        )
    };
    let input = [
        case("PLAINTEXT", "pecl-oauth-provider"),
        case("HMAC-SHA512", "pecl-oauth-provider"),
        case("PLAINTEXT", "pecl"),
        r#"{"id":"rfc","method":"GET","url":"https://a.example/","consumer_key":"k","consumer_secret":"a b","signature_method":"PLAINTEXT","placement":"header","nonce":"n","timestamp":"1"}"#.to_owned(),
    ]
    .join("\n");
    let out = oauth1_env(None, &["sign", "--batch"], input, &[]);
    let lines: Vec<serde_json::Value> = ok(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(lines[0]["signature"], "a b&");
    assert_eq!(lines[1]["error"]["kind"], "unknown_signature_method");
    assert_eq!(
        lines[1]["error"]["message"],
        "the pecl-oauth-provider compatibility setting signs with HMAC-SHA1, HMAC-SHA256 or PLAINTEXT, not `HMAC-SHA512`"
    );
    assert_eq!(lines[2]["error"]["kind"], "invalid_field");
    assert_eq!(lines[3]["signature"], "a%20b&");
}

/// `authorize --compat` keeps the setting in the profile; `sign --profile` and `request` sign
/// with it. Against the local provider, which follows the RFC: with secrets of unreserved
/// characters (the local defaults) the key is the RFC's and every step passes; with an awkward
/// consumer secret the provider refuses the first step, as a server following the RFC must.
#[test]
fn a_profile_keeps_the_setting() {
    let config = config("profile");
    let p = provider();
    let out = xauth(&config, &p, &["--compat", "pecl-oauth-provider"]);
    ok(&out);
    let saved = std::fs::read_to_string(&config).unwrap();
    assert!(
        saved.contains("compat = \"pecl-oauth-provider\""),
        "{saved}"
    );
    let listed = ok(&oauth1(&config, &["profiles", "list"], ""));
    assert!(
        listed.contains("    compat:        pecl-oauth-provider (the secrets keyed as PHP's OAuthProvider keys them"),
        "{listed}"
    );
    let out = oauth1(
        &config,
        &["request", "/1.1/account/verify_credentials.json"],
        "",
    );
    assert!(ok(&out).contains("alice"));
    let out = oauth1(
        &config,
        &[
            "sign",
            "--explain",
            "--profile",
            "default",
            "/1.1/account/verify_credentials.json",
        ],
        "",
    );
    assert!(
        ok(&out).contains("--compat pecl-oauth-provider"),
        "{}",
        stdout(&out)
    );

    // The setting with a method it does not have: refused before the provider is asked.
    let other = support::config("refused");
    let out = xauth(
        &other,
        &p,
        &[
            "--compat",
            "pecl-oauth-provider",
            "--signature-method",
            "HMAC-SHA512",
        ],
    );
    let said = failed(&out, 2, "not `HMAC-SHA512`");
    assert!(!said.contains("API misuse"), "{said}");
    assert!(!other.exists(), "no profile is saved");

    // An awkward consumer secret: the RFC provider refuses the raw key.
    let awkward = provider_with(LocalProviderConfig::default().client("odd", "s p&ce"));
    let odd = support::config("awkward");
    let authorize = |compat: &[&str]| {
        let args = [
            &["authorize", "--local", awkward.base_url()][..],
            &["--consumer-key", "odd"],
            &XAUTH_ALICE,
            compat,
        ]
        .concat();
        oauth1_env(
            Some(&odd),
            &args,
            "wonderland\n",
            &[("OAUTH1_CONSUMER_SECRET", "s p&ce")],
        )
    };
    failed(&authorize(&["--compat", "pecl-oauth-provider"]), 1, "401");
    // Without the setting, the same consumer passes.
    let out = authorize(&[]);
    ok(&out);
    assert_ne!(DEFAULT_CONSUMER_SECRET, "s p&ce");
}

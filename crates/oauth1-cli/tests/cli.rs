//! The `oauth1` binary, run as a user runs it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_oauth1");

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("OAUTH1_CONSUMER_SECRET")
        .env_remove("OAUTH1_TOKEN_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn batch(lines: &[Value]) -> Vec<Value> {
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    stdout(&run(&["sign", "--batch"], &input))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const TWITTER: &[&str] = &[
    "sign",
    "-X",
    "POST",
    "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
    "-d",
    "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21",
    "--consumer-key",
    "xvz1evFS4wEEPTGEFPHBog",
    "--consumer-secret",
    "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    "--token",
    "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    "--token-secret",
    "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
    "--nonce",
    "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
    "--timestamp",
    "1318622958",
];

#[test]
fn published_vectors_through_the_batch() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/published.json"
    );
    let vectors: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let inputs: Vec<Value> = vectors
        .iter()
        .map(|v| {
            let mut i = v["input"].clone();
            i["id"] = v["id"].clone();
            i
        })
        .collect();
    let outputs = batch(&inputs);
    assert_eq!(outputs.len(), vectors.len());
    for (v, out) in vectors.iter().zip(&outputs) {
        assert_eq!(out["id"], v["id"]);
        assert_eq!(out["signature"], v["expected"]["signature"], "{}", v["id"]);
        assert_eq!(
            out["base_string"], v["expected"]["base_string"],
            "{}",
            v["id"]
        );
    }
}

#[test]
fn twitter_example_from_flags() {
    let out = stdout(&run(TWITTER, ""));
    assert!(
        out.starts_with("Authorization: OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\""),
        "{out}"
    );
    assert!(
        out.contains("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\""),
        "{out}"
    );
    let json: Value =
        serde_json::from_str(&stdout(&run(&[TWITTER, &["--json"]].concat(), ""))).unwrap();
    assert_eq!(json["signature"], "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
}

#[test]
fn explain_shows_every_step_and_no_secret() {
    let out = stdout(&run(&[TWITTER, &["--explain"]].concat(), ""));
    for needle in [
        "query  include_entities        true",
        "body   status                  Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21",
        "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26",
        "kAcS… (43 chars)&Lsww… (41 chars)",
        "hCtSmYh+iHYCEqBWrE7C7hYmtUk=",
        "Authorization: OAuth oauth_consumer_key=",
        "Could not authenticate you",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    assert!(!out.contains("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"));
    assert!(!out.contains("LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"));
    let full = stdout(&run(
        &[TWITTER, &["--explain", "--show-secrets"]].concat(),
        "",
    ));
    assert!(full.contains(
        "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw&LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"
    ));
}

#[test]
fn explain_masks_a_plaintext_signature() {
    let args = [
        "sign",
        "--explain",
        "--signature-method",
        "PLAINTEXT",
        "--consumer-key",
        "k",
        "--consumer-secret",
        "consumer-secret-value",
        "--token",
        "t",
        "--token-secret",
        "token-secret-value",
        "https://a.example/",
    ];
    let out = stdout(&run(&args, ""));
    assert!(!out.contains("secret-value"), "{out}");
}

#[test]
fn secrets_from_the_environment() {
    let out = Command::new(BIN)
        .args([
            "sign",
            "--consumer-key",
            "k",
            "--nonce",
            "n",
            "--timestamp",
            "1",
            "--json",
            "https://a.example/",
        ])
        .env("OAUTH1_CONSUMER_SECRET", "cs")
        .env_remove("OAUTH1_TOKEN_SECRET")
        .output()
        .unwrap();
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let with_flag: Value = serde_json::from_str(&stdout(&run(
        &[
            "sign",
            "--consumer-key",
            "k",
            "--consumer-secret",
            "cs",
            "--nonce",
            "n",
            "--timestamp",
            "1",
            "--json",
            "https://a.example/",
        ],
        "",
    )))
    .unwrap();
    assert_eq!(json["signature"], with_flag["signature"]);
}

fn case(placement: &str) -> Value {
    json!({
        "method": "POST", "url": "https://a.example/p?q=1#frag", "body": "a=1", "content_type": "application/x-www-form-urlencoded",
        "consumer_key": "k", "consumer_secret": "s", "token": null, "token_secret": null,
        "signature_method": "HMAC-SHA1", "rsa_private_key": null, "placement": placement, "realm": null,
        "callback": null, "verifier": null, "nonce": "n", "timestamp": "1"
    })
}

#[test]
fn placements() {
    let out = batch(&[case("header"), case("query"), case("body")]);
    assert_eq!(out[0]["url"], "https://a.example/p?q=1");
    assert_eq!(out[0]["body"], "a=1");
    assert!(out[0]["authorization"]
        .as_str()
        .unwrap()
        .starts_with("OAuth "));
    assert!(out[1]["authorization"].is_null());
    assert!(out[1]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://a.example/p?q=1&oauth_consumer_key=k&"));
    assert!(!out[1]["url"].as_str().unwrap().contains("frag"));
    assert!(out[2]["body"]
        .as_str()
        .unwrap()
        .starts_with("a=1&oauth_consumer_key=k&"));
    assert_eq!(out[0]["signature"], out[1]["signature"]);
    assert_eq!(out[0]["signature"], out[2]["signature"]);
}

#[test]
fn batch_errors_are_per_line_and_in_order() {
    let mut bad_escape = case("header");
    bad_escape["url"] = json!("https://a.example/?x=%G1");
    bad_escape["id"] = json!(3);
    let mut json_body = case("body");
    json_body["content_type"] = json!("application/json");
    let mut hash_on_form = case("header");
    hash_on_form["body_hash"] = json!(true);
    let mut unknown = case("header");
    unknown["signature_method"] = json!("HMAC-MD5");
    let mut rsa_without_key = case("header");
    rsa_without_key["signature_method"] = json!("RSA-SHA1");
    let mut relative = case("header");
    relative["url"] = json!("/relative");
    let mut bad_ts = case("header");
    bad_ts["timestamp"] = json!("soon");
    let mut bad_placement = case("sideways");
    bad_placement["id"] = json!({"n": 1});
    let input = format!(
        "{{\n\n[]\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        bad_escape,
        json_body,
        hash_on_form,
        unknown,
        rsa_without_key,
        relative,
        bad_ts,
        bad_placement,
        case("header")
    );
    let lines: Vec<Value> = stdout(&run(&["sign", "--batch"], &input))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = lines
        .iter()
        .map(|l| l["error"]["kind"].as_str().unwrap_or("ok"))
        .collect();
    assert_eq!(
        kinds,
        [
            "invalid_json",
            "invalid_json",
            "invalid_encoding",
            "invalid_placement",
            "invalid_body_hash",
            "unknown_signature_method",
            "invalid_rsa_key",
            "invalid_url",
            "invalid_timestamp",
            "invalid_field",
            "ok"
        ]
    );
    assert_eq!(lines[2]["id"], 3);
    assert_eq!(lines[9]["id"], json!({"n": 1}));
    for l in &lines {
        assert!(!l.to_string().contains("\"s\""), "a secret leaked: {l}");
    }
}

#[test]
fn batch_survives_garbage() {
    let mut garbage = String::new();
    for i in 0..200u32 {
        garbage.push_str(&format!(
            "{{\"method\": {i}, \"url\": [\"\\u0000\"], \"nonce\": null}}\n"
        ));
        garbage.push_str("\u{feff}{\"\n");
    }
    let out = run(&["sign", "--batch"], &garbage);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 400);
    let mut child = Command::new(BIN)
        .args(["sign", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"\xff\xfe not utf-8\n{}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
}

#[test]
fn rsa_sha1_with_the_oauth_net_key() {
    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/oauthnet_rsa_pkcs8.pem"
    );
    let out = stdout(&run(
        &[
            "sign",
            "--json",
            "--signature-method",
            "RSA-SHA1",
            "--rsa-key-file",
            key,
            "--consumer-key",
            "dpf43f3p2l4k3l03",
            "--consumer-secret",
            "",
            "--nonce",
            "13917289812797014437",
            "--timestamp",
            "1196666512",
            "http://photos.example.net/photos?file=vacaction.jpg&size=original",
        ],
        "",
    ));
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["signature"],
        "jvTp/wX1TYtByB1m+Pbyo0lnCOLIsyGCH7wke8AUs3BpnwZJtAuEJkvQL2/9n4s5wUmUl4aCI4BwpraNx4RtEXMe5qg5T1LVTGliMRpKasKsW//e+RinhejgCuzoH26dyF8iY2ZZ/5D1ilgeijhV/vBka5twt399mXwaYdCwFYE="
    );
}

#[test]
fn usage_errors_and_help() {
    let help = run(&["sign", "--help"], "");
    assert!(stdout(&help).contains("--explain"));
    let missing = run(&["sign", "https://a.example/"], "");
    assert_eq!(missing.status.code(), Some(2));
    let no_secret = run(&["sign", "--consumer-key", "k", "https://a.example/"], "");
    assert_eq!(no_secret.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_secret.stderr).contains("--consumer-secret"));
    let bad_url = run(
        &[
            "sign",
            "--consumer-key",
            "k",
            "--consumer-secret",
            "s",
            "example.com/x",
        ],
        "",
    );
    assert_eq!(bad_url.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_url.stderr).contains("not absolute"));
}

//! The `oauth1` binary, run as a user runs it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Output;

use serde_json::{json, Value};

mod support;
use support::{dir, failed, now, oauth1_env, ok};

/// Runs the binary with `args` and `stdin`, and no profiles file.
fn run(args: &[&str], stdin: &str) -> Output {
    oauth1_env(None, args, stdin, &[])
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn batch_raw(input: &str) -> Vec<Value> {
    json_lines(&ok(&run(&["sign", "--batch"], input)))
}

fn batch(lines: &[Value]) -> Vec<Value> {
    batch_raw(&lines.iter().map(|l| format!("{l}\n")).collect::<String>())
}

fn kinds(lines: &[Value]) -> Vec<&str> {
    lines
        .iter()
        .map(|l| l["error"]["kind"].as_str().unwrap_or("ok"))
        .collect()
}

/// Vectors copied from the workspace's collection into `tests/data` (the package's own files, so
/// that these tests also run from the packaged crate).
fn vectors(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const CONSUMER_SECRET: &str = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
const TOKEN_SECRET: &str = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";

/// Twitter's "Creating a signature" example, without the secrets.
const TWITTER: &[&str] = &[
    "sign",
    "-X",
    "POST",
    "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
    "-d",
    "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21",
    "--consumer-key",
    "xvz1evFS4wEEPTGEFPHBog",
    "--token",
    "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    "--nonce",
    "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
    "--timestamp",
    "1318622958",
];

/// Twitter's example with the secrets on the command line, and `more` flags.
fn twitter(more: &[&str]) -> Output {
    let secrets = [
        "--consumer-secret",
        CONSUMER_SECRET,
        "--token-secret",
        TOKEN_SECRET,
    ];
    run(&[TWITTER, &secrets, more].concat(), "")
}

#[test]
fn published_vectors_through_the_batch() {
    let vectors = vectors("published.json");
    assert!(!vectors.is_empty());
    let inputs: Vec<Value> = vectors
        .iter()
        .map(|v| {
            let mut input = v["input"].clone();
            input["id"] = v["id"].clone();
            input
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
    let out = ok(&twitter(&[]));
    assert_eq!(
        out,
        "Authorization: OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", \
         oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", \
         oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\", oauth_signature_method=\"HMAC-SHA1\", \
         oauth_timestamp=\"1318622958\", \
         oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", oauth_version=\"1.0\"\n"
    );
    let json: Value = serde_json::from_str(&ok(&twitter(&["--json"]))).unwrap();
    assert_eq!(json["signature"], "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    assert_eq!(
        json["url"],
        "https://api.twitter.com/1.1/statuses/update.json?include_entities=true"
    );
    assert_eq!(json["body"], TWITTER[5]);
    // Same signature wherever the parameters go.
    let query = ok(&twitter(&["--placement", "query"]));
    assert!(query.starts_with("https://api.twitter.com/1.1/statuses/update.json?include_entities=true&oauth_consumer_key=xvz1evFS4wEEPTGEFPHBog&"), "{query}");
    assert!(query.contains("&oauth_signature=hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D&"));
    let body = ok(&twitter(&["--placement", "body"]));
    assert!(
        body.starts_with(&format!("{}&oauth_consumer_key=", TWITTER[5])),
        "{body}"
    );
    assert!(body.contains("&oauth_signature=hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D&"));
}

#[test]
fn explain_shows_every_step_and_no_secret() {
    let out = ok(&twitter(&["--explain"]));
    assert_eq!(
        out,
        include_str!("data/twitter_explain.txt"),
        "the explanation changed:\n{out}"
    );
    // The pieces a user looks for, in case the golden file is ever regenerated carelessly.
    for needle in [
        "  from   name                    value\n",
        "  query  include_entities        true\n",
        "  oauth  oauth_consumer_key      xvz1evFS4wEEPTGEFPHBog\n",
        "  oauth  oauth_nonce             kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\n",
        "  oauth  oauth_signature_method  HMAC-SHA1\n",
        "  oauth  oauth_timestamp         1318622958\n",
        "  oauth  oauth_token             370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\n",
        "  oauth  oauth_version           1.0\n",
        "  body   status                  Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21\n",
        "  method     POST\n",
        "  URI        https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json\n",
        "  parameters include_entities%3Dtrue%26oauth_consumer_key%3D",
        "  kAcS… (43 chars)&Lsww… (41 chars)\n",
        "  hCtSmYh+iHYCEqBWrE7C7hYmtUk=\n",
        "  Authorization: OAuth oauth_consumer_key=",
        "Could not authenticate you",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    assert!(!out.contains(CONSUMER_SECRET) && !out.contains(TOKEN_SECRET));
    assert!(!out.contains(&CONSUMER_SECRET[..5]) && !out.contains(&TOKEN_SECRET[..5]));

    let full = ok(&twitter(&["--explain", "--mask", "full"]));
    assert!(full.contains("  … (43 chars)&… (41 chars)\n"), "{full}");
    assert!(!full.contains("kAcS") && !full.contains("Lsww"));

    let shown = ok(&twitter(&["--explain", "--show-secrets"]));
    assert!(shown.contains(&format!("  {CONSUMER_SECRET}&{TOKEN_SECRET}\n")));

    // There is no `--mask` value that shows the secrets.
    let refused = twitter(&["--explain", "--mask", "none"]);
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn explain_masks_a_plaintext_signature() {
    for placement in ["header", "query", "body"] {
        let args = [
            "sign",
            "--explain",
            "--signature-method",
            "PLAINTEXT",
            "--placement",
            placement,
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
        let out = ok(&run(&args, ""));
        assert!(!out.contains("secret-value"), "{out}");
        assert!(out.contains("oauth_signature"), "{out}");
    }
}

#[test]
fn secrets_from_the_environment() {
    let plain = ok(&twitter(&["--json"]));
    let from_default_vars = oauth1_env(
        None,
        &[TWITTER, &["--json"]].concat(),
        b"",
        &[
            ("OAUTH1_CONSUMER_SECRET", CONSUMER_SECRET),
            ("OAUTH1_TOKEN_SECRET", TOKEN_SECRET),
        ],
    );
    assert_eq!(ok(&from_default_vars), plain);
    let from_named_vars = oauth1_env(
        None,
        &[
            TWITTER,
            &[
                "--json",
                "--consumer-secret-env",
                "MY_CS",
                "--token-secret-env",
                "MY_TS",
            ],
        ]
        .concat(),
        b"",
        &[
            ("MY_CS", CONSUMER_SECRET),
            ("MY_TS", TOKEN_SECRET),
            ("OAUTH1_CONSUMER_SECRET", "not this one"),
        ],
    );
    assert_eq!(ok(&from_named_vars), plain);
    // A flag wins over the default variable.
    let flag_wins = oauth1_env(
        None,
        &[TWITTER, &["--json", "--consumer-secret", CONSUMER_SECRET]].concat(),
        b"",
        &[
            ("OAUTH1_CONSUMER_SECRET", "not this one"),
            ("OAUTH1_TOKEN_SECRET", TOKEN_SECRET),
        ],
    );
    assert_eq!(ok(&flag_wins), plain);
    // A named variable that is not set is a usage error.
    let unset = run(
        &[TWITTER, &["--consumer-secret-env", "OAUTH1_TEST_UNSET_VAR"]].concat(),
        "",
    );
    failed(&unset, 2, "OAUTH1_TEST_UNSET_VAR");
}

fn case(placement: &str) -> Value {
    json!({
        "method": "POST", "url": "https://a.example/p?q=1#frag", "body": "a=1",
        "content_type": "application/x-www-form-urlencoded",
        "consumer_key": "k", "consumer_secret": "s", "token": null, "token_secret": null,
        "signature_method": "HMAC-SHA1", "rsa_private_key": null, "placement": placement,
        "realm": null, "callback": null, "verifier": null, "nonce": "n", "timestamp": "1"
    })
}

#[test]
fn placements() {
    let mut no_body = case("body");
    no_body["body"] = Value::Null;
    no_body["content_type"] = Value::Null;
    let out = batch(&[case("header"), case("query"), case("body"), no_body]);
    assert_eq!(kinds(&out), ["ok"; 4]);
    assert_eq!(out[0]["url"], "https://a.example/p?q=1");
    assert_eq!(out[0]["body"], "a=1");
    assert!(out[0]["authorization"]
        .as_str()
        .unwrap()
        .starts_with("OAuth oauth_consumer_key=\"k\", "));
    assert!(out[1]["authorization"].is_null());
    assert_eq!(out[1]["body"], "a=1");
    let url = out[1]["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://a.example/p?q=1&oauth_consumer_key=k&"),
        "{url}"
    );
    assert!(!url.contains("frag"));
    assert!(out[2]["authorization"].is_null());
    assert_eq!(out[2]["url"], "https://a.example/p?q=1");
    assert!(out[2]["body"]
        .as_str()
        .unwrap()
        .starts_with("a=1&oauth_consumer_key=k&"));
    assert!(out[3]["body"]
        .as_str()
        .unwrap()
        .starts_with("oauth_consumer_key=k&"));
    assert_eq!(out[0]["signature"], out[1]["signature"]);
    assert_eq!(out[0]["signature"], out[2]["signature"]);
    assert_eq!(out[0]["base_string"], out[2]["base_string"]);
}

#[test]
fn tokens_realm_and_extra_parameters() {
    let mut empty_token = case("header");
    empty_token["token"] = json!("");
    let mut with_token = case("header");
    with_token["token"] = json!("t");
    with_token["token_secret"] = json!("ts");
    let mut unused_secret = case("header");
    unused_secret["token_secret"] = json!("ts");
    let mut extras = case("header");
    extras["realm"] = json!("Photos");
    extras["extra_oauth_params"] = json!([["xoauth_requestor_id", "a b"]]);
    extras["version"] = json!(false);
    let out = batch(&[
        case("header"),
        empty_token,
        with_token,
        unused_secret,
        extras,
    ]);
    assert_eq!(kinds(&out), ["ok"; 5]);
    let base = |i: usize| out[i]["base_string"].as_str().unwrap().to_owned();
    assert!(!base(0).contains("oauth_token"));
    assert!(base(1).contains("%26oauth_token%3D%26"), "{}", base(1));
    assert!(base(2).contains("%26oauth_token%3Dt%26"));
    assert_eq!(out[3]["signature"], out[0]["signature"]);
    let header = out[4]["authorization"].as_str().unwrap();
    assert!(header.starts_with("OAuth realm=\"Photos\", "), "{header}");
    assert!(header.contains("xoauth_requestor_id=\"a%20b\""), "{header}");
    assert!(!header.contains("oauth_version"));
    assert!(!base(4).contains("realm"));
}

#[test]
fn a_raw_body_and_its_hash() {
    let mut json_body = case("header");
    json_body["body"] = json!("{\"text\": \"hello\"}");
    json_body["content_type"] = json!("application/json");
    let mut hashed = json_body.clone();
    hashed["body_hash"] = json!(true);
    let mut hello = json_body.clone();
    hello["body"] = json!("Hello World!");
    hello["content_type"] = json!("text/plain");
    hello["body_hash"] = json!(true);
    // oauth_body_hash given as an extra protocol parameter: signed and sent as the caller gave
    // it (a hash computed elsewhere), but not together with `body_hash`.
    let mut hello_extra = hello.clone();
    hello_extra["body_hash"] = json!(false);
    hello_extra["extra_oauth_params"] =
        json!([["oauth_body_hash", "Lve95gjOVATpfV8EL5X4nxwjKHE="]]);
    let mut wrong_extra = hello_extra.clone();
    wrong_extra["extra_oauth_params"] = json!([["oauth_body_hash", "AAAA"]]);
    let mut twice = hello_extra.clone();
    twice["body_hash"] = json!(true);
    let out = batch(&[json_body, hashed, hello, hello_extra, wrong_extra, twice]);
    assert_eq!(
        kinds(&out),
        ["ok", "ok", "ok", "ok", "ok", "invalid_parameter"]
    );
    assert_eq!(out[3], out[2]);
    assert!(out[4]["authorization"]
        .as_str()
        .unwrap()
        .contains("oauth_body_hash=\"AAAA\""));
    // Not a form: the body is sent as given and is not a parameter.
    assert_eq!(out[0]["body"], "{\"text\": \"hello\"}");
    assert!(!out[0]["base_string"].as_str().unwrap().contains("text"));
    assert!(!out[0]["base_string"]
        .as_str()
        .unwrap()
        .contains("body_hash"));
    assert!(out[1]["authorization"]
        .as_str()
        .unwrap()
        .contains("oauth_body_hash=\""));
    // The body-hash extension's own example: SHA-1 of "Hello World!".
    assert!(out[2]["authorization"]
        .as_str()
        .unwrap()
        .contains("oauth_body_hash=\"Lve95gjOVATpfV8EL5X4nxwjKHE%3D\""));

    // The same from flags: --body with --content-type, and -d as curl does it.
    let flags = [
        "sign",
        "--json",
        "--consumer-key",
        "k",
        "--consumer-secret",
        "s",
        "--nonce",
        "n",
        "--timestamp",
        "1",
    ];
    let raw: Value = serde_json::from_str(&ok(&run(
        &[
            &flags[..],
            &[
                "--body",
                "Hello World!",
                "--content-type",
                "text/plain",
                "--body-hash",
                "https://a.example/p?q=1",
            ],
        ]
        .concat(),
        "",
    )))
    .unwrap();
    assert_eq!(raw["signature"], out[2]["signature"]);
    let form: Value = serde_json::from_str(&ok(&run(
        &[&flags[..], &["-d", "a=1", "https://a.example/p?q=1"]].concat(),
        "",
    )))
    .unwrap();
    let header_case = batch(&[case("header")]);
    assert_eq!(form["signature"], header_case[0]["signature"]);
    let joined: Value = serde_json::from_str(&ok(&run(
        &[
            &flags[..],
            &["-d", "a=1", "-d", "b=%2B", "https://a.example/"],
        ]
        .concat(),
        "",
    )))
    .unwrap();
    assert_eq!(joined["body"], "a=1&b=%2B");
    assert!(joined["base_string"]
        .as_str()
        .unwrap()
        .starts_with("POST&https%3A%2F%2Fa.example%2F&a%3D1%26b%3D%252B%26"));
}

#[test]
fn batch_errors_are_per_line_and_in_order() {
    let mut bad_escape = case("header");
    bad_escape["url"] = json!("https://a.example/?x=%G1");
    bad_escape["id"] = json!(3);
    let mut bad_body_escape = case("header");
    bad_body_escape["body"] = json!("a=%");
    let mut json_body = case("body");
    json_body["content_type"] = json!("application/json");
    let mut hash_on_form = case("header");
    hash_on_form["body_hash"] = json!(true);
    let mut unknown = case("header");
    unknown["signature_method"] = json!("HMAC-MD5");
    let mut rsa_without_key = case("header");
    rsa_without_key["signature_method"] = json!("RSA-SHA1");
    let mut rsa_bad_key = rsa_without_key.clone();
    rsa_bad_key["rsa_private_key"] =
        json!("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    let mut relative = case("header");
    relative["url"] = json!("/relative");
    let mut bad_ts = case("header");
    bad_ts["timestamp"] = json!("soon");
    let mut number_ts = case("header");
    number_ts["timestamp"] = json!(1);
    let mut bad_placement = case("sideways");
    bad_placement["id"] = json!({"n": 1});
    let mut missing = case("header");
    missing.as_object_mut().unwrap().remove("nonce");
    missing["id"] = json!("m");
    let mut bad_method = case("header");
    bad_method["method"] = json!("GE T");
    let mut bad_extra = case("header");
    bad_extra["extra_oauth_params"] = json!([["foo", "bar"]]);
    let mut leftover = case("header");
    leftover["url"] = json!("https://a.example/?oauth_signature=x");
    let lines = [
        "{".to_owned(),
        String::new(),
        "[]".to_owned(),
        bad_escape.to_string(),
        bad_body_escape.to_string(),
        json_body.to_string(),
        hash_on_form.to_string(),
        unknown.to_string(),
        rsa_without_key.to_string(),
        rsa_bad_key.to_string(),
        relative.to_string(),
        bad_ts.to_string(),
        number_ts.to_string(),
        bad_placement.to_string(),
        missing.to_string(),
        bad_method.to_string(),
        bad_extra.to_string(),
        leftover.to_string(),
        case("header").to_string(),
    ];
    let out = batch_raw(&(lines.join("\n") + "\n"));
    assert_eq!(
        kinds(&out),
        [
            "invalid_json",
            "invalid_json",
            "invalid_encoding",
            "invalid_encoding",
            "invalid_placement",
            "invalid_body_hash",
            "unknown_signature_method",
            "invalid_rsa_key",
            "invalid_rsa_key",
            "invalid_url",
            "invalid_timestamp",
            "invalid_field",
            "invalid_field",
            "missing_field",
            "invalid_method",
            "invalid_parameter",
            "invalid_parameter",
            "ok"
        ]
    );
    assert_eq!(out[2]["id"], 3);
    // The blank line has no output line: the lines after it are one place earlier.
    assert_eq!(out[12]["id"], json!({"n": 1}));
    assert_eq!(out[13]["id"], "m");
    assert!(out[13]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("nonce"));
    for line in &out {
        let text = line.to_string();
        assert!(!text.contains("\"s\""), "a secret leaked: {text}");
        if line.get("error").is_some() {
            assert_eq!(line["error"].as_object().unwrap().len(), 2, "{text}");
            assert!(!line["error"]["message"].as_str().unwrap().is_empty());
        }
    }
}

/// A small deterministic generator, so the garbage is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn batch_survives_garbage() {
    let good = case("query").to_string();
    let mut rng = Lcg(20_261_124);
    let mut input: Vec<u8> = Vec::new();
    let mut expected = 0;
    for i in 0..2000 {
        let line: Vec<u8> = match i % 5 {
            // Random bytes (no newline inside).
            0 => (0..rng.below(80))
                .map(|_| (rng.next() % 256) as u8)
                .map(|b| if b == b'\n' { b' ' } else { b })
                .collect(),
            // A good line cut short or with a byte changed.
            1 => {
                let mut l = good.clone().into_bytes();
                l.truncate(rng.below(l.len()));
                l
            }
            2 => {
                let mut l = good.clone().into_bytes();
                let at = rng.below(l.len());
                let bytes = b"{}[]\",:\\0x%\xff";
                l[at] = bytes[rng.below(bytes.len())];
                l
            }
            // Fields of the wrong types.
            3 => {
                format!("{{\"method\": {i}, \"url\": [\"\\u0000\"], \"nonce\": null, \"id\": {i}}}")
                    .into_bytes()
            }
            _ => good.clone().into_bytes(),
        };
        if !line.iter().all(u8::is_ascii_whitespace) {
            expected += 1;
        }
        input.extend_from_slice(&line);
        input.push(b'\n');
    }
    input.extend_from_slice(b"\xef\xbb\xbf{\"\n\xff\xfe not utf-8\n{}\n\r\n   \n");
    expected += 3;
    let out = oauth1_env(None, &["sign", "--batch"], input, &[]);
    let text = ok(&out);
    let lines = json_lines(&text);
    assert_eq!(lines.len(), expected);
    for line in &lines {
        assert!(
            line.get("error").is_some() || line.get("signature").is_some(),
            "{line}"
        );
    }
    // Every fifth input line is good, and its output is in its place.
    let goods = lines
        .iter()
        .filter(|l| l.get("signature").is_some())
        .count();
    assert!(goods >= 400, "{goods}");
    let ids: Vec<i64> = lines.iter().filter_map(|l| l["id"].as_i64()).collect();
    assert_eq!(ids, (0..2000).filter(|i| i % 5 == 3).collect::<Vec<_>>());
}

#[test]
fn a_large_batch_keeps_its_order() {
    let mut input = String::new();
    for i in 0..5000 {
        let mut c = case(["header", "query", "body"][i % 3]);
        c["id"] = json!(i);
        c["nonce"] = json!(format!("n{i}"));
        if i % 7 == 0 {
            c["url"] = json!("no scheme");
        }
        input.push_str(&c.to_string());
        input.push('\n');
    }
    let out = batch_raw(&input);
    assert_eq!(out.len(), 5000);
    for (i, line) in out.iter().enumerate() {
        assert_eq!(line["id"], i);
        assert_eq!(line.get("error").is_some(), i % 7 == 0, "{line}");
    }
}

fn rsa_vector() -> Value {
    vectors("oauthnet_rsa_sha1.json")
        .into_iter()
        .find(|v| v["id"] == "oauthnet-rsa-sha1")
        .unwrap()
}

#[test]
fn rsa_sha1_with_the_oauth_net_key() {
    let vector = rsa_vector();
    let key_file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/oauthnet_rsa_pkcs8.pem"
    );
    assert_eq!(
        std::fs::read_to_string(key_file).unwrap().trim(),
        vector["inputs"]["private_key_pkcs8_pem"]
            .as_str()
            .unwrap()
            .trim()
    );
    // A private key is read like ssh reads one: only when no other user may read it.
    let dir = dir("rsa");
    let private = dir.join("key.pem");
    std::fs::copy(key_file, &private).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = run(
            &[
                "sign",
                "--signature-method",
                "RSA-SHA1",
                "--rsa-key-file",
                private.to_str().unwrap(),
                "--consumer-key",
                "k",
                "https://a.example/",
            ],
            "",
        );
        failed(&refused, 1, &format!("chmod 600 {}", private.display()));
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let out = ok(&run(
        &[
            "sign",
            "--json",
            "--signature-method",
            "RSA-SHA1",
            "--rsa-key-file",
            private.to_str().unwrap(),
            "--consumer-key",
            "dpf43f3p2l4k3l03",
            "--nonce",
            "13917289812797014437",
            "--timestamp",
            "1196666512",
            "http://photos.example.net/photos?file=vacaction.jpg&size=original",
        ],
        "",
    ));
    std::fs::remove_dir_all(&dir).unwrap();
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["signature"], vector["expected"]["oauth_signature"]);
    assert_eq!(
        json["base_string"],
        vector["inputs"]["signature_base_string"]
    );
}

#[test]
fn rsa_through_the_batch() {
    let vector = rsa_vector();
    let inputs = &vector["inputs"];
    let pem = inputs["private_key_pkcs8_pem"].as_str().unwrap();
    let line = |method: &str, key: &str| {
        json!({
            "method": inputs["method"], "url": inputs["url"], "body": null, "content_type": null,
            "consumer_key": inputs["consumer_key"], "consumer_secret": "", "token": null,
            "token_secret": null, "signature_method": method, "rsa_private_key": key,
            "placement": "header", "nonce": inputs["oauth_params"]["oauth_nonce"],
            "timestamp": inputs["oauth_params"]["oauth_timestamp"]
        })
    };
    let with_blank_line = format!("{pem}\n\n");
    let out = batch(&[
        line("RSA-SHA1", pem),
        line("RSA-SHA256", pem),
        line("RSA-SHA1", &with_blank_line),
        line("RSA-SHA1", &pem.replace('\n', "\r\n")),
    ]);
    assert_eq!(kinds(&out), ["ok"; 4]);
    for i in [0, 2, 3] {
        assert_eq!(out[i]["signature"], vector["expected"]["oauth_signature"]);
        assert_eq!(out[i]["base_string"], inputs["signature_base_string"]);
    }
    assert_ne!(out[1]["signature"], out[0]["signature"]);
    assert!(out[1]["base_string"]
        .as_str()
        .unwrap()
        .contains("RSA-SHA256"));
}

#[test]
fn usage_errors_and_help() {
    let help = ok(&run(&["--help"], ""));
    assert!(
        help.contains("sign") && help.contains("Examples:"),
        "{help}"
    );
    let sign_help = ok(&run(&["sign", "--help"], ""));
    for needle in [
        "--explain",
        "--batch",
        "--consumer-secret-env",
        "OAUTH1_CONSUMER_SECRET",
        "Examples:",
        "Exit status",
    ] {
        assert!(sign_help.contains(needle), "{needle} missing:\n{sign_help}");
    }
    assert!(ok(&run(&["--version"], "")).starts_with("oauth1 "));

    let usage = |args: &[&str], says: &str| {
        let out = run(args, "");
        failed(&out, 2, says);
        assert!(out.stdout.is_empty(), "{args:?}");
    };
    usage(&["sign", "https://a.example/"], "--consumer-key");
    usage(
        &["sign", "--consumer-key", "k", "https://a.example/"],
        "--consumer-secret",
    );
    usage(
        &["sign", "--batch", "--consumer-key", "k"],
        "cannot be used with",
    );
    usage(
        &[
            "sign",
            "--consumer-key",
            "k",
            "--consumer-secret",
            "s",
            "--token-secret",
            "x",
            "https://a.example/",
        ],
        "--token",
    );
    usage(
        &[
            "sign",
            "--consumer-key",
            "k",
            "--signature-method",
            "RSA-SHA1",
            "https://a.example/",
        ],
        "--rsa-key-file",
    );
    usage(
        &[
            "sign",
            "--consumer-key",
            "k",
            "--consumer-secret",
            "s",
            "--timestamp",
            "soon",
            "https://a.example/",
        ],
        "--timestamp",
    );
    usage(
        &[
            "sign",
            "--consumer-key",
            "k",
            "--consumer-secret",
            "s",
            "--signature-method",
            "HMAC-MD5",
            "https://a.example/",
        ],
        "HMAC-SHA256",
    );

    // A request that cannot be signed: status 1 and the reason on stderr.
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
    failed(&bad_url, 1, "not absolute");
    assert!(bad_url.stdout.is_empty());
}

#[test]
fn defaults_are_fresh_and_method_names_any_case() {
    let args = [
        "sign",
        "--json",
        "--consumer-key",
        "k",
        "--consumer-secret",
        "s",
        "--signature-method",
        "hmac-sha512",
        "https://a.example/",
    ];
    let a: Value = serde_json::from_str(&ok(&run(&args, ""))).unwrap();
    let b: Value = serde_json::from_str(&ok(&run(&args, ""))).unwrap();
    assert_ne!(a["signature"], b["signature"], "the nonce must be random");
    let base = a["base_string"].as_str().unwrap();
    assert!(base.starts_with("GET&https%3A%2F%2Fa.example%2F&"));
    assert!(base.contains("oauth_signature_method%3DHMAC-SHA512"));
    let now = now();
    let ts: u64 = base
        .split("oauth_timestamp%3D")
        .nth(1)
        .unwrap()
        .split('%')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(ts.abs_diff(now) < 60);
}

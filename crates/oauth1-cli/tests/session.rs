//! `oauth1 authorize`, `request`, `profiles` and `serve`: the binary against the local provider.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

mod support;
use support::{
    authorize_local, authorize_through_callback, closed_port, command, config, get, next_line,
    oauth1, private_file, provider, spawn, text, xauth,
};

#[test]
fn xauth_then_requests_then_profiles() {
    let p = provider();
    let cfg = config("xauth");
    let out = xauth(&cfg, &p, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Authorized as @alice"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&cfg).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    let out = oauth1(
        &cfg,
        &[
            "request",
            "/1.1/account/verify_credentials.json",
            "--pretty",
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"screen_name\": \"alice\""));

    // --data-urlencode encodes the value (what -d did before curl's meaning was adopted);
    // -d sends it as given.
    for data in [
        ["--data-urlencode", "status=a b+c&d"],
        ["-d", "status=a%20b%2Bc%26d"],
    ] {
        let out = oauth1(
            &cfg,
            &["request", data[0], data[1], "/1.1/statuses/update.json"],
            "",
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["text"], "a b+c&d");
    }

    let out = oauth1(
        &cfg,
        &[
            "request",
            "-i",
            "--data-json",
            "{\"text\":\"hi\"}",
            "/2/tweets",
        ],
        "",
    );
    assert!(
        text(&out.stdout).starts_with("HTTP/1.1 201 Created"),
        "{}",
        text(&out.stdout)
    );

    let out = oauth1(
        &cfg,
        &["request", "--stream", "/1.1/statuses/stream.json?count=3"],
        "",
    );
    assert_eq!(text(&out.stdout).lines().count(), 3);

    for placement in ["query", "body"] {
        let out = oauth1(
            &cfg,
            &[
                "request",
                "--placement",
                placement,
                "-d",
                "status=x",
                "/1.1/statuses/update.json",
            ],
            "",
        );
        assert!(out.status.success(), "{placement}: {}", text(&out.stderr));
    }

    // Authorize again with the saved profile's provider (`--provider NAME`), into another profile.
    let out = oauth1(
        &cfg,
        &[
            "authorize",
            "--provider",
            "default",
            "--profile",
            "again",
            "--xauth-username",
            "alice",
            "--xauth-password-stdin",
        ],
        "wonderland\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = oauth1(
        &cfg,
        &[
            "request",
            "--profile",
            "again",
            "/1.1/account/verify_credentials.json",
        ],
        "",
    );
    assert!(text(&out.stdout).contains("alice"));
    let out = oauth1(&cfg, &["profiles", "use", "default"], "");
    assert!(out.status.success());
    let out = oauth1(&cfg, &["authorize", "--provider", "nobody"], "");
    assert_eq!(out.status.code(), Some(2));

    // A provider error: exit 1, the error shown.
    let out = oauth1(&cfg, &["request", "/nope"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("code 34"));

    // Profiles: secrets hidden unless asked.
    let out = oauth1(&cfg, &["profiles", "list"], "");
    let listing = text(&out.stdout);
    assert!(
        listing.contains("* default") && !listing.contains("local-consumer-secret"),
        "{listing}"
    );
    let out = oauth1(&cfg, &["profiles", "list", "--show-secrets"], "");
    assert!(text(&out.stdout).contains("local-consumer-secret"));
    let out = oauth1(&cfg, &["profiles", "use", "nope"], "");
    assert_eq!(out.status.code(), Some(2));
    let out = oauth1(&cfg, &["profiles", "remove", "default"], "");
    assert!(out.status.success());
    let out = oauth1(
        &cfg,
        &["request", "/1.1/account/verify_credentials.json"],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("oauth1 authorize"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn oob_pin_on_stdin() {
    let p = provider();
    let cfg = config("oob");
    let args = ["authorize", "--local", p.base_url(), "--profile", "pin"];
    let (mut child, mut stdout) = spawn(Some(&cfg), &args, Stdio::piped());
    let url = next_line(&mut stdout);
    // The URL is alone on its line; the provider (auto-approving) shows the PIN there.
    let page = text(get(url.trim()).body());
    let pin = page
        .split("<code id=\"pin\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{pin}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = oauth1(
        &cfg,
        &["request", "/1.1/account/verify_credentials.json"],
        "",
    );
    assert!(text(&out.stdout).contains("alice"));
}

#[test]
fn loopback_callback() {
    let p = provider();
    let cfg = config("loopback");
    let callback = format!("http://127.0.0.1:{}/callback", closed_port());
    let args = [
        "authorize",
        "--local",
        p.base_url(),
        "--callback",
        &callback,
    ];
    let (page, out) = authorize_through_callback(&cfg, &args, &callback);
    assert!(text(page.body()).contains("Authorized"));
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn bad_config_and_flags_and_network() {
    let cfg = config("bad");
    private_file(&cfg, "active = \"x\"\n[profiles.x]\nconsumer_key = 5\n");
    let out = oauth1(&cfg, &["profiles", "list"], "");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(&cfg.display().to_string()) && err.contains("line 3"),
        "{err}"
    );
    // A broken line is located but never quoted: it may hold a secret.
    private_file(
        &cfg,
        "active = \"x\"\n[profiles.x]\nconsumer_secret = \"s3cr3t-value\n",
    );
    let out = oauth1(&cfg, &["profiles", "list"], "");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("line 3") && !err.contains("s3cr3t"), "{err}");
    std::fs::write(&cfg, "active = \"x\"\n[profiles.x]\nconsumer_key = 5\n").unwrap();
    // The bad file is left alone.
    assert_eq!(
        std::fs::read_to_string(&cfg).unwrap(),
        "active = \"x\"\n[profiles.x]\nconsumer_key = 5\n"
    );

    // Flags: missing endpoints for a generic provider.
    let out = oauth1(&config("flags"), &["authorize", "--consumer-key", "k"], "");
    assert_eq!(out.status.code(), Some(2));

    // Network: a provider that is not there.
    let port = closed_port();
    let out = oauth1(
        &config("net"),
        &["authorize", "--local", &format!("http://127.0.0.1:{port}")],
        "",
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
}

#[test]
fn a_refused_signature_hints_at_explain() {
    let p = provider();
    let cfg = config("refused");
    let out = authorize_local(&cfg, &p, &["--consumer-secret", "wrong"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("oauth1 sign --explain"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn serve_prints_its_address_and_credentials() {
    let mut child = command(None)
        .args(["serve", "--auto-approve"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let base = first.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{first}");
    let r = get(&format!("{base}/nope"));
    assert_eq!(r.status(), 404);
    child.kill().unwrap();
    child.wait().unwrap();
}

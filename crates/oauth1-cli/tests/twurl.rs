//! What twurl does, and what `oauth1` adds to it (issue 18), run as a user runs the binary:
//! aliases, curl's body flags (one meaning in `request` and `sign`), multipart uploads, `-q`,
//! `--proxy`, `--timeout`, `--trace`, `sign --profile`, `request --nonce/--timestamp`, RSA in
//! `authorize` and `request`, completions that know the profiles, the empty PIN, the config
//! directory and the browser switch.
//!
//! Against the local provider where it answers the question; where it cannot (it verifies no
//! RSA signature and reads no multipart body), against `Echo`: a small provider on 127.0.0.1
//! built on oauth1-core's verifier that checks the signature (HMAC or RSA) and sends back the
//! body it received, byte for byte.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use oauth1_core::{AnyMethod, NonceUse, Policy, Received, RsaKey, RsaSha1, SignatureMethod as _};
use oauth1_server::BackgroundProvider;

mod support;
use support::{
    authorize_local, closed_port, command, config, dir, failed, now, oauth1, oauth1_env, ok,
    private_file, provider, run, stderr, stdout, xauth,
};

/// A profiles file with profile `default` authorized (xAuth) at the local provider `p`.
fn authorized(p: &BackgroundProvider, name: &str) -> PathBuf {
    let config = config(name);
    ok(&xauth(&config, p, &[]));
    config
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn aliases_stand_for_paths_and_never_shadow_a_subcommand() {
    let p = provider();
    let cfg = authorized(&p, "alias");
    assert!(ok(&oauth1(&cfg, &["alias"], "")).contains("No aliases yet"));
    ok(&oauth1(
        &cfg,
        &["alias", "me", "/1.1/account/verify_credentials.json"],
        "",
    ));
    ok(&oauth1(
        &cfg,
        &["alias", "post", "/1.1/statuses/update.json"],
        "",
    ));
    let listed = ok(&oauth1(&cfg, &["alias"], ""));
    assert!(
        listed.contains("me    /1.1/account/verify_credentials.json")
            && listed.contains("post  /1.1/statuses/update.json"),
        "{listed}"
    );
    assert_eq!(
        ok(&oauth1(&cfg, &["alias", "me"], "")),
        "/1.1/account/verify_credentials.json\n"
    );
    // `oauth1 me` is `oauth1 request /1.1/account/verify_credentials.json`, flags and all.
    let me = json(&ok(&oauth1(&cfg, &["me", "--pretty"], "")));
    assert_eq!(me["screen_name"], "alice");
    let posted = json(&ok(&oauth1(
        &cfg,
        &["post", "-d", "status=via%20alias"],
        "",
    )));
    assert_eq!(posted["text"], "via alias");
    // The aliases live in the profiles file, beside the profiles.
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        text.contains("[aliases]") && text.contains("[profiles.default]"),
        "{text}"
    );

    // A subcommand's name is refused, so the subcommand is never hidden.
    for name in ["request", "sign", "profiles", "alias", "help"] {
        failed(
            &oauth1(&cfg, &["alias", name, "/x"], ""),
            2,
            "is a subcommand",
        );
    }
    let bad = oauth1(&cfg, &["alias", "-x", "/x"], "");
    assert_eq!(bad.status.code(), Some(2));
    let relative = oauth1(&cfg, &["alias", "x", "1.1/x"], "");
    assert_eq!(relative.status.code(), Some(2));
    // An unknown word is neither: a usage error that says where to look.
    failed(
        &oauth1(&cfg, &["nonesuch"], ""),
        2,
        "neither a subcommand nor an alias",
    );

    ok(&oauth1(&cfg, &["alias", "--remove", "me"], ""));
    assert_eq!(oauth1(&cfg, &["me"], "").status.code(), Some(2));
    assert_eq!(
        oauth1(&cfg, &["alias", "--remove", "me"], "").status.code(),
        Some(2)
    );
}

#[test]
fn data_flags_mean_what_curl_means() {
    let p = provider();
    let cfg = authorized(&p, "data");
    let d = dir("data-files");
    let text = |args: &[&str]| -> String {
        let mut all = vec!["request"];
        all.extend_from_slice(args);
        all.push("/1.1/statuses/update.json");
        json(&ok(&oauth1(&cfg, &all, "")))["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // -d is sent as given: already encoded, `+` a space (as any form decoder reads it).
    assert_eq!(text(&["-d", "status=a%20b%2Bc%26d"]), "a b+c&d");
    assert_eq!(text(&["-d", "status=a+b"]), "a b");
    // --data-urlencode encodes the value for you.
    assert_eq!(text(&["--data-urlencode", "status=a b+c&d"]), "a b+c&d");
    // -d @FILE: the file, line breaks removed; --data-binary @FILE: byte for byte.
    std::fs::write(d.join("status.txt"), "status=two%20\nlines\n").unwrap();
    let file = format!("@{}", d.join("status.txt").display());
    assert_eq!(text(&["-d", &file]), "two lines");
    // --data-raw does no `@` processing.
    let raw = oauth1(
        &cfg,
        &[
            "request",
            "--data-raw",
            "@status.txt",
            "/1.1/statuses/update.json",
        ],
        "",
    );
    assert_eq!(raw.status.code(), Some(1), "{}", stderr(&raw));
    // Repeated flags are joined with `&`.
    assert_eq!(
        text(&["-d", "status=x", "--data-urlencode", "ignored=y z"]),
        "x"
    );
    // An unreadable @FILE is a usage error that names it.
    let missing = oauth1(
        &cfg,
        &[
            "request",
            "-d",
            "@/nonexistent/file",
            "/1.1/statuses/update.json",
        ],
        "",
    );
    failed(&missing, 2, "/nonexistent/file");
}

/// `sign` reads -d and --data-urlencode as `request` does: the same request, the same
/// signature, whichever subcommand makes it.
#[test]
fn sign_and_request_agree_on_every_flag_and_sign_takes_the_profile() {
    let p = provider();
    let cfg = authorized(&p, "agree");
    let now = now().to_string();
    for (i, data) in [
        ["-d", "status=a%20b%2Bc"],
        ["--data-urlencode", "status=a b+c"],
        ["--data-raw", "status=a%20b%2Bc"],
    ]
    .iter()
    .enumerate()
    {
        let nonce = format!("agreeing-nonce-{i}");
        let flags = [
            "--nonce",
            nonce.as_str(),
            "--timestamp",
            now.as_str(),
            "-X",
            "POST",
            data[0],
            data[1],
            "/1.1/statuses/update.json",
        ];
        // The profile's credentials, no secret typed.
        let signed = ok(&oauth1(
            &cfg,
            &[&["sign", "--profile", "default"][..], &flags].concat(),
            "",
        ));
        let header = signed
            .trim()
            .strip_prefix("Authorization: ")
            .unwrap()
            .to_owned();
        let sent = oauth1(&cfg, &[&["request", "--trace"][..], &flags].concat(), "");
        assert!(sent.status.success(), "{}", stderr(&sent));
        assert!(
            stderr(&sent).contains(&format!("> authorization: {header}\n")),
            "{data:?}: sign said {header}\nrequest sent:\n{}",
            stderr(&sent)
        );
        assert_eq!(json(&stdout(&sent))["text"], "a b+c");
    }
    // A flag given beside --profile wins; the secrets never show in the explanation.
    let explained = ok(&oauth1(
        &cfg,
        &[
            "sign",
            "--profile",
            "default",
            "--explain",
            "/1.1/account/verify_credentials.json",
        ],
        "",
    ));
    assert!(explained.contains(&format!(
        "GET {}/1.1/account/verify_credentials.json",
        p.base_url()
    )));
    assert!(!explained.contains("local-consumer-secret"), "{explained}");
    let other = ok(&oauth1(
        &cfg,
        &[
            "sign",
            "--profile",
            "default",
            "--consumer-key",
            "other",
            "https://a.example/",
        ],
        "",
    ));
    assert!(other.contains("oauth_consumer_key=\"other\""), "{other}");
    let unknown = oauth1(
        &cfg,
        &["sign", "--profile", "nobody", "https://a.example/"],
        "",
    );
    assert_eq!(unknown.status.code(), Some(2));
    // -X is spelled the same in both (and sign's old --method still works).
    let old = ok(&oauth1(
        &cfg,
        &[
            "sign",
            "--profile",
            "default",
            "--method",
            "PUT",
            "--json",
            "https://a.example/",
        ],
        "",
    ));
    assert!(json(&old)["base_string"]
        .as_str()
        .unwrap()
        .starts_with("PUT&"));
}

#[test]
fn a_fixed_nonce_and_timestamp_reproduce_a_request() {
    let p = provider();
    let cfg = authorized(&p, "nonce");
    let now = now().to_string();
    let args = [
        "request",
        "-t",
        "--nonce",
        "fixed-nonce-1",
        "--timestamp",
        &now,
        "/1.1/account/verify_credentials.json",
    ];
    let first = oauth1(&cfg, &args, "");
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("oauth_nonce=\"fixed-nonce-1\""),
        "{}",
        stderr(&first)
    );
    assert!(stderr(&first).contains(&format!("oauth_timestamp=\"{now}\"")));
    // The same nonce again: the provider refuses a replay, as it must.
    failed(&oauth1(&cfg, &args, ""), 1, "nonce");
}

#[test]
fn trace_shows_the_exchange_and_the_signature_with_the_secrets_masked() {
    let p = provider();
    let cfg = config("trace");
    let authorize = xauth(&cfg, &p, &["--trace"]);
    let trace = stderr(&authorize);
    assert!(authorize.status.success(), "{trace}");
    for needle in [
        "> POST http://127.0.0.1:",
        "> authorization: OAuth oauth_consumer_key=\"local-consumer-key\"",
        "x_auth_password=[masked]",
        "*   base string (§3.4.1.1):\n*     POST&http%3A%2F%2F127.0.0.1%3A",
        "*     loca… (21 chars)&(empty)\n",
        "< HTTP/1.1 200 OK",
        "oauth_token_secret=[masked]",
    ] {
        assert!(trace.contains(needle), "missing {needle:?} in\n{trace}");
    }
    let saved = std::fs::read_to_string(&cfg).unwrap();
    let token_secret = saved
        .lines()
        .find_map(|l| l.strip_prefix("token_secret = \""))
        .unwrap()
        .trim_end_matches('"')
        .to_owned();
    assert!(!trace.contains("wonderland") && !trace.contains("local-consumer-secret"));
    assert!(!trace.contains(&token_secret), "{trace}");

    let request = oauth1(
        &cfg,
        &[
            "request",
            "-t",
            "-d",
            "status=traced",
            "/1.1/statuses/update.json",
        ],
        "",
    );
    let trace = stderr(&request);
    assert!(request.status.success(), "{trace}");
    assert!(
        trace.contains("*     body   status                  traced\n"),
        "{trace}"
    );
    // The signing key of a request with the access token: both halves masked.
    assert!(
        trace.contains(&format!(
            "*     loca… (21 chars)&{}… ({} chars)\n",
            &token_secret[..4],
            token_secret.len()
        )),
        "{trace}"
    );
    assert!(!trace.contains(&token_secret) && !trace.contains("local-consumer-secret"));
    // The body goes to stdout only.
    assert!(
        stdout(&request).contains("\"text\":\"traced\"") && !trace.contains("\"text\":\"traced\"")
    );
}

#[test]
fn quiet_prints_nothing_but_errors() {
    let p = provider();
    let cfg = authorized(&p, "quiet");
    let quiet = oauth1(
        &cfg,
        &["request", "-q", "/1.1/account/verify_credentials.json"],
        "",
    );
    assert!(quiet.status.success());
    assert!(
        quiet.stdout.is_empty() && quiet.stderr.is_empty(),
        "{}",
        stderr(&quiet)
    );
    let refused = oauth1(&cfg, &["request", "-q", "/1.1/nope"], "");
    assert_eq!(refused.status.code(), Some(1));
    assert!(refused.stdout.is_empty() && stderr(&refused).contains("code 34"));
    let authorize = xauth(&config("quiet-authorize"), &p, &["-q"]);
    assert!(
        authorize.status.success() && authorize.stderr.is_empty(),
        "{}",
        stderr(&authorize)
    );
}

/// A listener on a free loopback port, its port, and a counter for what it sees.
fn counted_listener() -> (TcpListener, u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port, Arc::new(AtomicUsize::new(0)))
}

/// A server that accepts connections and never answers; counts them.
fn silent_server() -> (u16, Arc<AtomicUsize>) {
    let (listener, port, count) = counted_listener();
    let seen = Arc::clone(&count);
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(8) {
            seen.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (port, count)
}

#[test]
fn timeout_is_a_flag_and_its_error_names_the_host() {
    let (port, _) = silent_server();
    let cfg = config("timeout");
    let started = Instant::now();
    let out = oauth1(
        &cfg,
        &[
            "authorize",
            "--local",
            &format!("http://127.0.0.1:{port}"),
            "--timeout",
            "1",
        ],
        "",
    );
    let took = started.elapsed();
    let e = failed(&out, 3, "--timeout");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert!(e.contains(&format!("127.0.0.1:{port}")), "{e}");
    let zero = oauth1(
        &cfg,
        &[
            "authorize",
            "--local",
            "http://127.0.0.1:1",
            "--timeout",
            "0",
        ],
        "",
    );
    assert_eq!(zero.status.code(), Some(2));
}

/// A CONNECT proxy on 127.0.0.1 that tunnels to the host asked for; counts the tunnels.
fn connect_proxy() -> (u16, Arc<AtomicUsize>) {
    let (listener, port, count) = counted_listener();
    let tunnels = Arc::clone(&count);
    std::thread::spawn(move || {
        for client in listener.incoming().take(16) {
            let Ok(client) = client else { continue };
            let tunnels = Arc::clone(&tunnels);
            std::thread::spawn(move || {
                let _ = client.set_read_timeout(Some(Duration::from_secs(20)));
                let mut reader = BufReader::new(client.try_clone().unwrap());
                let mut first = String::new();
                reader.read_line(&mut first).unwrap();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let target = first.split(' ').nth(1).unwrap_or_default().to_owned();
                // Loopback only.
                assert!(target.starts_with("127.0.0.1:"), "{first}");
                let mut client = client;
                let Ok(upstream) = TcpStream::connect(&target) else {
                    let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
                    return;
                };
                tunnels.fetch_add(1, Ordering::SeqCst);
                client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .unwrap();
                let (mut up_read, mut up_write) = (upstream.try_clone().unwrap(), upstream);
                let mut down = client.try_clone().unwrap();
                let pump = std::thread::spawn(move || {
                    let _ = std::io::copy(&mut reader, &mut up_write);
                    let _ = up_write.shutdown(std::net::Shutdown::Write);
                });
                let _ = std::io::copy(&mut up_read, &mut down);
                let _ = down.shutdown(std::net::Shutdown::Both);
                let _ = pump.join();
            });
        }
    });
    (port, count)
}

#[test]
fn proxy_is_a_flag_used_for_the_exchange_and_named_in_errors() {
    let p = provider();
    let cfg = authorized(&p, "proxy");
    let (proxy, tunnels) = connect_proxy();
    let via = oauth1(
        &cfg,
        &[
            "request",
            "--proxy",
            &format!("http://127.0.0.1:{proxy}"),
            "/1.1/account/verify_credentials.json",
        ],
        "",
    );
    assert!(
        stdout(&via).contains("\"screen_name\":\"alice\""),
        "{}",
        stderr(&via)
    );
    assert!(
        tunnels.load(Ordering::SeqCst) >= 1,
        "the request did not go through the proxy"
    );

    // A proxy that is not there: exit 3, the host and the proxy named, never its password.
    let closed = closed_port();
    let e = failed(
        &oauth1(
            &cfg,
            &[
                "request",
                "--proxy",
                &format!("http://user:proxy-PASSWORD@127.0.0.1:{closed}"),
                "/1.1/account/verify_credentials.json",
            ],
            "",
        ),
        3,
        &format!("through the proxy 127.0.0.1:{closed}"),
    );
    assert!(
        e.contains(&p.base_url().trim_start_matches("http://").to_owned()),
        "{e}"
    );
    assert!(!e.contains("proxy-PASSWORD"), "{e}");
    // ... and the password on the command line is warned about.
    assert!(
        e.contains("oauth1: warning: --proxy puts a URL with a password on the command line"),
        "{e}"
    );
    let bad = oauth1(&cfg, &["request", "--proxy", "::not a url::", "/x"], "");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn an_empty_pin_is_a_usage_error_and_open_uses_the_browser_switch() {
    let p = provider();
    let out = authorize_local(&config("pin"), &p, &["--open"], "\n");
    let e = failed(&out, 2, "the PIN is empty");
    // OAUTH1_NO_BROWSER (set for every test) keeps --open from starting a browser.
    assert!(e.contains("OAUTH1_NO_BROWSER is set: not opening a browser"));
}

/// On Linux and the BSDs, `--open` runs `$BROWSER` with the URL (webbrowser's convention): a
/// script that writes down what it was given stands in for the browser.
#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn open_starts_the_browser_of_browser_with_the_authorization_url() {
    use std::os::unix::fs::PermissionsExt;
    let p = provider();
    let d = dir("browser");
    let seen = d.join("seen.txt");
    let script = d.join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", seen.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    let mut command = command(Some(&d.join("profiles.toml")));
    command
        .args(["authorize", "--local", p.base_url(), "--open"])
        .env_remove("OAUTH1_NO_BROWSER")
        .env("BROWSER", &script);
    let out = run(command, "\n");
    let url = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let mut opened = String::new();
    for _ in 0..50 {
        opened = std::fs::read_to_string(&seen).unwrap_or_default();
        if !opened.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        url.starts_with(&format!("{}/oauth/authorize?oauth_token=", p.base_url())),
        "{url}"
    );
    assert_eq!(opened.trim(), url);
}

#[test]
fn completions_know_the_profiles_and_the_methods() {
    let p = provider();
    let cfg = authorized(&p, "complete");
    ok(&oauth1(
        &cfg,
        &[
            "authorize",
            "--provider",
            "default",
            "--profile",
            "work",
            "--xauth-username",
            "alice",
            "--xauth-password-stdin",
        ],
        "wonderland\n",
    ));
    // What the shell runs (fish: the word being completed is the last argument).
    let complete = |words: &[&str]| {
        let mut args = vec!["--", "oauth1"];
        args.extend_from_slice(words);
        ok(&oauth1_env(Some(&cfg), &args, "", &[("COMPLETE", "fish")]))
    };
    let profiles = complete(&["request", "--profile", ""]);
    assert!(
        profiles.lines().any(|l| l == "default") && profiles.lines().any(|l| l == "work"),
        "{profiles}"
    );
    let signing = complete(&["sign", "--profile", "w"]);
    assert_eq!(signing.lines().collect::<Vec<_>>(), ["work"]);
    let providers = complete(&["authorize", "--provider", ""]);
    assert!(
        providers.contains("twitter") && providers.contains("work"),
        "{providers}"
    );
    let methods = complete(&["sign", "--signature-method", "RSA"]);
    assert!(
        methods.contains("RSA-SHA1") && !methods.contains("HMAC"),
        "{methods}"
    );
    let http = complete(&["request", "-X", "P"]);
    assert!(
        http.contains("POST") && http.contains("PUT") && !http.contains("GET"),
        "{http}"
    );
    let used = complete(&["profiles", "use", "w"]);
    assert_eq!(used.lines().collect::<Vec<_>>(), ["work"]);
    ok(&oauth1(
        &cfg,
        &["alias", "me", "/1.1/account/verify_credentials.json"],
        "",
    ));
    let aliases = complete(&["alias", "--remove", ""]);
    assert!(
        aliases.starts_with("me\t/1.1/account/verify_credentials.json"),
        "{aliases}"
    );
    // Without profiles, nothing to offer (and no error).
    let none = oauth1_env(
        Some(&config("complete-none")),
        &["--", "oauth1", "request", "--profile", ""],
        "",
        &[("COMPLETE", "fish")],
    );
    assert!(
        none.status.success() && stdout(&none).is_empty(),
        "{}",
        stdout(&none)
    );
    // `oauth1 completions SHELL` prints the script that asks the binary.
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = ok(&oauth1(&cfg, &["completions", shell], ""));
        assert!(script.contains("COMPLETE"), "{shell}: {script}");
    }
}

#[test]
fn the_config_directory_follows_the_os_and_xdg_config_home() {
    let home = dir("home");
    let list = |env: &[(&str, &str)]| {
        let mut command = command(None);
        command
            .args(["profiles", "list"])
            .env_remove("XDG_CONFIG_HOME")
            .env("HOME", &home)
            .envs(env.iter().copied());
        ok(&run(command, ""))
    };
    let native = if cfg!(target_os = "macos") {
        home.join("Library/Application Support/oauth1/profiles.toml")
    } else {
        home.join(".config/oauth1/profiles.toml")
    };
    assert!(
        list(&[]).contains(&native.display().to_string()),
        "{}",
        list(&[])
    );
    if cfg!(target_os = "linux") {
        let xdg = home.join("xdg");
        let listed = list(&[("XDG_CONFIG_HOME", xdg.to_str().unwrap())]);
        assert!(
            listed.contains(&xdg.join("oauth1/profiles.toml").display().to_string()),
            "{listed}"
        );
    }
    // Where the location moved (macOS), the old file is still read while the new has none.
    if cfg!(target_os = "macos") {
        let old = home.join(".config/oauth1");
        std::fs::create_dir_all(&old).unwrap();
        let file = old.join("profiles.toml");
        private_file(&file, "");
        assert!(list(&[]).contains(&file.display().to_string()));
    }
}

/// The echo provider: verifies each request's signature (HMAC with its own client and token,
/// or RSA-SHA1 with the oauth.net test key), answers xAuth at `/oauth/access_token`, and sends
/// every other request's body back with its content type in `x-echo-content-type`.
struct Echo {
    base: String,
}

const ECHO_KEY: &str = "echo-key";
const ECHO_SECRET: &str = "echo-secret";
const ECHO_TOKEN: &str = "echo-token";
const ECHO_TOKEN_SECRET: &str = "echo-token-secret";

fn rsa_pem() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/oauthnet_rsa_pkcs8.pem"
    ))
    .unwrap()
}

impl Echo {
    fn start() -> Echo {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let rsa = RsaSha1::new(RsaKey::from_private_pem(rsa_pem().trim()).unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().take(32) {
                let Ok(stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                Echo::answer(stream, &rsa);
            }
        });
        Echo { base }
    }

    fn answer(mut stream: TcpStream, rsa: &RsaSha1) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut first = String::new();
        if reader.read_line(&mut first).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = first.split(' ');
        let (method, target) = (
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().to_owned(),
        );
        let host = stream.local_addr().unwrap().to_string();
        let mut builder = http::Request::builder()
            .method(method.as_str())
            .uri(format!("http://{host}{target}"));
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
            builder = builder.header(name.trim(), value.trim());
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let request = builder.body(body).unwrap();
        let now = now();
        let verified = Received::parse_http(&request, "http").and_then(|received| {
            let mut fresh = |_: &NonceUse<'_>| true;
            let policy = Policy::new(now);
            if received.signature_method() == "RSA-SHA1" {
                // An RSA key needs no secrets: the method holds it.
                rsa.key(&oauth1_core::Secret::new(""), None)?;
                received.verify(rsa, &(), &policy, &mut fresh)
            } else {
                let method = AnyMethod::from_name(received.signature_method())?;
                let token_secret = received
                    .token()
                    .map(|_| oauth1_core::Secret::new(ECHO_TOKEN_SECRET));
                received.verify_with_secrets(
                    &method,
                    &oauth1_core::Secret::new(ECHO_SECRET),
                    token_secret.as_ref(),
                    &policy,
                    &mut fresh,
                )
            }
        });
        let content_type = request
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let (status, extra, body) = match verified {
            Err(e) => ("401 Unauthorized", String::new(), format!("refused: {e}").into_bytes()),
            Ok(()) if target.starts_with("/oauth/access_token") => (
                "200 OK",
                "content-type: application/x-www-form-urlencoded\r\n".to_owned(),
                format!("oauth_token={ECHO_TOKEN}&oauth_token_secret={ECHO_TOKEN_SECRET}&screen_name=echo").into_bytes(),
            ),
            Ok(()) => (
                "200 OK",
                format!("content-type: application/octet-stream\r\nx-echo-content-type: {content_type}\r\n"),
                request.into_body(),
            ),
        };
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(&body);
    }

    /// `oauth1 authorize` by xAuth at this provider into the profiles file `config`, with
    /// `extra` flags and `consumer_secret` (from OAUTH1_CONSUMER_SECRET).
    fn authorize(&self, config: &Path, extra: &[&str], consumer_secret: &str) -> Output {
        let base = &self.base;
        let urls = [
            format!("{base}/oauth/request_token"),
            format!("{base}/oauth/authorize"),
            format!("{base}/oauth/access_token"),
        ];
        let mut args = vec![
            "authorize",
            "--request-token-url",
            &urls[0],
            "--authorize-url",
            &urls[1],
            "--access-token-url",
            &urls[2],
            "--api-base",
            base,
            "--consumer-key",
            ECHO_KEY,
            "--xauth-username",
            "echo",
            "--xauth-password-stdin",
        ];
        args.extend_from_slice(extra);
        oauth1_env(
            Some(config),
            &args,
            "pw\n",
            &[("OAUTH1_CONSUMER_SECRET", consumer_secret)],
        )
    }

    /// A profiles file authorized (xAuth) at this provider with `extra` authorize flags.
    fn authorized(&self, name: &str, extra: &[&str]) -> PathBuf {
        let cfg = config(name);
        let out = self.authorize(&cfg, extra, ECHO_SECRET);
        assert!(out.status.success(), "{}", stderr(&out));
        cfg
    }
}

#[test]
fn multipart_and_binary_bodies_arrive_byte_for_byte_and_only_forms_are_signed() {
    let echo = Echo::start();
    let cfg = echo.authorized("echo-body", &[]);
    let d = dir("echo-files");
    let png: Vec<u8> = (0u8..=255).chain([b'\r', b'\n', 0, 0xFF]).collect();
    std::fs::write(d.join("cat.png"), &png).unwrap();
    let media = format!("media=@{};type=image/png", d.join("cat.png").display());
    let sent = oauth1(
        &cfg,
        &[
            "request",
            "-t",
            "-F",
            "status=a picture",
            "-F",
            &media,
            "/upload",
        ],
        "",
    );
    assert!(sent.status.success(), "{}", stderr(&sent));
    let body = &sent.stdout;
    let find = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    assert!(find(
        b"Content-Disposition: form-data; name=\"status\"\r\n\r\na picture\r\n"
    ));
    assert!(find(b"Content-Disposition: form-data; name=\"media\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n"));
    assert!(find(&png), "the file did not arrive byte for byte");
    // The parts are not parameters: the base string has the protocol parameters only.
    let trace = stderr(&sent);
    assert!(
        !trace.contains("*     body ") && trace.contains("> ["),
        "{trace}"
    );

    // --data-binary @FILE: the exact bytes, the content type given.
    let data = format!("@{}", d.join("cat.png").display());
    let binary = oauth1(
        &cfg,
        &[
            "request",
            "--data-binary",
            &data,
            "-H",
            "Content-Type: image/png",
            "/upload",
        ],
        "",
    );
    assert!(binary.status.success(), "{}", stderr(&binary));
    assert_eq!(binary.stdout, png);
    // -d @FILE of the same file loses its line breaks, as curl's does.
    std::fs::write(d.join("form.txt"), "a=1\r\n&b=2\n").unwrap();
    let form = oauth1(
        &cfg,
        &[
            "request",
            "-d",
            &format!("@{}", d.join("form.txt").display()),
            "/upload",
        ],
        "",
    );
    assert_eq!(stdout(&form), "a=1&b=2\n");
    let json = oauth1(
        &cfg,
        &["request", "--data-json", "{\"a\":1}", "/upload"],
        "",
    );
    assert_eq!(stdout(&json), "{\"a\":1}\n");
    // The control that gives the checks above their meaning: the echo provider refuses a
    // signature made with the wrong secret.
    let refused = echo.authorize(&config("echo-wrong"), &[], "not-the-secret");
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
}

#[test]
fn rsa_in_authorize_and_request() {
    let echo = Echo::start();
    let d = dir("rsa-key");
    let key = d.join("key.pem");
    private_file(&key, &rsa_pem());
    let cfg = echo.authorized(
        "rsa",
        &[
            "--signature-method",
            "rsa-sha1",
            "--rsa-key-file",
            key.to_str().unwrap(),
        ],
    );
    let saved = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        saved.contains("signature_method = \"RSA-SHA1\"") && saved.contains("rsa_key_file"),
        "{saved}"
    );
    // The profile keeps the key's path: `request` signs with it, and the provider verifies it.
    let sent = oauth1(&cfg, &["request", "-t", "-d", "a=1", "/resource"], "");
    assert!(sent.status.success(), "{}", stderr(&sent));
    assert!(stderr(&sent).contains("oauth_signature_method=\"RSA-SHA1\""));
    assert!(stderr(&sent).contains("signing key: the RSA private key"));
    assert_eq!(stdout(&sent), "a=1\n");
    // Without a readable key: a usage error that says what to give.
    std::fs::remove_file(&key).unwrap();
    failed(
        &oauth1(&cfg, &["request", "/resource"], ""),
        2,
        "RSA key file",
    );
    // The local provider knows no public key: it refuses the method, and the hint says so.
    let p = provider();
    private_file(&key, &rsa_pem());
    let local = xauth(
        &config("rsa-local"),
        &p,
        &[
            "--signature-method",
            "RSA-SHA256",
            "--rsa-key-file",
            key.to_str().unwrap(),
        ],
    );
    failed(&local, 1, "does not accept this signature method");
    std::fs::remove_file(&key).unwrap();
    // An RSA profile given a key file that is not there: a usage error that names it.
    let none = oauth1(
        &cfg,
        &[
            "request",
            "--rsa-key-file",
            "/nonexistent/key.pem",
            "/resource",
        ],
        "",
    );
    failed(&none, 2, "/nonexistent/key.pem");
}

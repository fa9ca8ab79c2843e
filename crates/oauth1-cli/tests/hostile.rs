//! The `oauth1` binary in a hostile setting (issue 16, findings 5 and 10): files planted beside
//! the profiles file, a profiles file other users can read, secrets on the command line (where
//! `ps` shows them), PLAINTEXT over http, and a Redis URL with a password.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

mod support;
use support::{closed_port, oauth1_env, spawn_serve, stderr};

/// A directory of its own (mode 0700) for one test, removed when dropped.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = support::dir(name);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        Dir(dir)
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const CONSUMER_SECRET: &str = "consumer-secret-4711";
const TOKEN_SECRET: &str = "token-secret-0815";

/// A profiles file with one active profile `default` for `base` (nothing listens there).
fn profiles_text(base: &str, signature_method: &str) -> String {
    format!(
        "active = \"default\"\n\n[profiles.default]\napi_base = \"{base}\"\n\
         request_token_url = \"{base}/oauth/request_token\"\n\
         authorize_url = \"{base}/oauth/authorize\"\n\
         access_token_url = \"{base}/oauth/access_token\"\n\
         signature_method = \"{signature_method}\"\n\
         consumer_key = \"key\"\nconsumer_secret = \"{CONSUMER_SECRET}\"\n\
         token = \"token\"\ntoken_secret = \"{TOKEN_SECRET}\"\n"
    )
}

/// Writes `text` to `path` with exactly `mode`.
fn plain_file(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A valid profiles file at `path`, mode 0600.
fn profiles_file(path: &Path) {
    let base = format!("http://127.0.0.1:{}", closed_port());
    plain_file(path, &profiles_text(&base, "HMAC-SHA1"), 0o600);
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap().mode() & 0o777
}

/// Runs the binary with `args`, no profiles file but one given by `--config`, and none of the
/// secret variables set but those in `env`.
fn oauth1(args: &[&str], env: &[(&str, &str)]) -> Output {
    oauth1_env(None, args, "", env)
}

/// The warnings printed on stderr.
fn warnings(out: &Output) -> Vec<String> {
    warnings_in(&stderr(out))
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// `oauth1 profiles use default`: loads the profiles file and saves it again.
fn resave(path: &Path) -> Output {
    let out = oauth1(
        &[
            "profiles",
            "use",
            "default",
            "--config",
            path.to_str().unwrap(),
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

#[test]
fn a_stale_world_readable_tmp_file_does_not_make_the_profiles_world_readable() {
    let dir = Dir::new("stale-tmp");
    let path = dir.join("profiles.toml");
    profiles_file(&path);
    let stale = dir.join("profiles.toml.tmp");
    plain_file(&stale, "left over by a crash\n", 0o644);
    resave(&path);
    assert_eq!(mode(&path), 0o600, "the profiles file");
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains(CONSUMER_SECRET));
    // The stale file is neither reused nor changed.
    assert_eq!(
        std::fs::read_to_string(&stale).unwrap(),
        "left over by a crash\n"
    );
}

#[test]
fn a_tmp_symlink_is_not_followed_and_the_profiles_stay_a_file() {
    let dir = Dir::new("tmp-link");
    let path = dir.join("profiles.toml");
    profiles_file(&path);
    let victim = dir.join("victim.txt");
    plain_file(&victim, "another file\n", 0o644);
    symlink(&victim, dir.join("profiles.toml.tmp")).unwrap();
    resave(&path);
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "another file\n",
        "the secrets went into the link's target"
    );
    assert_eq!(mode(&victim), 0o644);
    let meta = std::fs::symlink_metadata(&path).unwrap();
    assert!(
        meta.file_type().is_file(),
        "the profiles file became a link"
    );
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn a_bak_symlink_is_not_followed() {
    let dir = Dir::new("bak-link");
    let path = dir.join("profiles.toml");
    profiles_file(&path);
    let victim = dir.join("victim.txt");
    plain_file(&victim, "another file\n", 0o644);
    symlink(&victim, dir.join("profiles.toml.bak")).unwrap();
    let out = oauth1(
        &[
            "profiles",
            "use",
            "default",
            "--config",
            path.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "another file\n",
        "the backup went into the link's target"
    );
    // Refused, with the reason; the profiles file itself is as it was.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn a_profiles_file_others_can_read_is_refused_with_the_chmod_to_run() {
    let dir = Dir::new("0644");
    let path = dir.join("profiles.toml");
    for bad in [0o644, 0o640] {
        profiles_file(&path);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(bad)).unwrap();
        for args in [
            &["profiles", "list"][..],
            &["request", "/1.1/account/verify_credentials.json"],
        ] {
            let mut args = args.to_vec();
            args.extend(["--config", path.to_str().unwrap()]);
            let out = oauth1(&args, &[]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{bad:o} {args:?}: {err}");
            assert!(
                err.contains(&format!("chmod 600 {}", path.display())),
                "{bad:o} {args:?}: {err}"
            );
            assert!(!err.contains(CONSUMER_SECRET) && !err.contains(TOKEN_SECRET));
            assert!(out.stdout.is_empty());
        }
        assert_eq!(mode(&path), bad, "left as it is");
    }
}

#[test]
fn a_secret_given_as_an_argument_is_warned_about_once() {
    let sign = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["sign", "--consumer-key", "key", "https://api.example/x"];
        all.extend(args);
        let out = oauth1(&all, env);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out
    };
    let out = sign(&["--consumer-secret", CONSUMER_SECRET], &[]);
    let said = warnings(&out);
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].contains("--consumer-secret"), "{said:#?}");
    assert!(said[0].contains("OAUTH1_CONSUMER_SECRET"), "{said:#?}");
    assert!(!stderr(&out).contains(CONSUMER_SECRET));

    let out = sign(
        &[
            "--consumer-secret",
            CONSUMER_SECRET,
            "--token",
            "t",
            "--token-secret",
            TOKEN_SECRET,
        ],
        &[],
    );
    let said = warnings(&out);
    assert_eq!(said.len(), 2, "one for each flag: {said:#?}");
    assert_eq!(
        said.iter().filter(|l| l.contains("--token-secret")).count(),
        1
    );
    assert!(said.iter().any(|l| l.contains("OAUTH1_TOKEN_SECRET")));

    // From the environment: nothing to say.
    let out = sign(
        &["--token", "t"],
        &[
            ("OAUTH1_CONSUMER_SECRET", CONSUMER_SECRET),
            ("OAUTH1_TOKEN_SECRET", TOKEN_SECRET),
        ],
    );
    assert_eq!(warnings(&out), Vec::<String>::new());
    let out = sign(
        &["--consumer-secret-env", "MY_SECRET"],
        &[("MY_SECRET", CONSUMER_SECRET)],
    );
    assert_eq!(warnings(&out), Vec::<String>::new());

    // `authorize --consumer-secret` (a provider that is not there: the run fails after the
    // warning), and the same secret from OAUTH1_CONSUMER_SECRET.
    let dir = Dir::new("secret-argument");
    let cfg = dir.join("profiles.toml");
    let local = format!("http://127.0.0.1:{}", closed_port());
    let authorize = [
        "authorize",
        "--local",
        &local,
        "--config",
        cfg.to_str().unwrap(),
    ];
    let mut args = authorize.to_vec();
    args.extend([
        "--consumer-key",
        "key",
        "--consumer-secret",
        CONSUMER_SECRET,
    ]);
    let out = oauth1(&args, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let said = warnings(&out);
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].contains("--consumer-secret") && said[0].contains("OAUTH1_CONSUMER_SECRET"));
    let mut args = authorize.to_vec();
    args.extend(["--consumer-key", "key"]);
    let out = oauth1(&args, &[("OAUTH1_CONSUMER_SECRET", CONSUMER_SECRET)]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(warnings(&out), Vec::<String>::new());

    // From a profile: nothing to say either.
    profiles_file(&cfg);
    let out = oauth1(&["request", "/x", "--config", cfg.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(warnings(&out), Vec::<String>::new());
}

#[test]
fn plaintext_over_http_is_warned_about_once() {
    let env = [
        ("OAUTH1_CONSUMER_SECRET", CONSUMER_SECRET),
        ("OAUTH1_TOKEN_SECRET", TOKEN_SECRET),
    ];
    let sign = |method: &str, url: &str| {
        let out = oauth1(
            &[
                "sign",
                "--signature-method",
                method,
                "--consumer-key",
                "key",
                "--token",
                "t",
                url,
            ],
            &env,
        );
        assert!(out.status.success(), "{}", stderr(&out));
        warnings(&out)
    };
    let said = sign("PLAINTEXT", "http://api.example/x");
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(
        said[0].contains("PLAINTEXT") && said[0].contains("http"),
        "{said:#?}"
    );
    assert_eq!(sign("plaintext", "HTTP://api.example/x").len(), 1);
    assert_eq!(
        sign("PLAINTEXT", "https://api.example/x"),
        Vec::<String>::new()
    );
    assert_eq!(
        sign("HMAC-SHA1", "http://api.example/x"),
        Vec::<String>::new()
    );

    // A profile with PLAINTEXT and an http API: `request` warns before it sends.
    let dir = Dir::new("plaintext");
    let cfg = dir.join("profiles.toml");
    let base = format!("http://127.0.0.1:{}", closed_port());
    plain_file(&cfg, &profiles_text(&base, "PLAINTEXT"), 0o600);
    let out = oauth1(&["request", "/x", "--config", cfg.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let said = warnings(&out);
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].contains("PLAINTEXT"), "{said:#?}");
    assert!(!stderr(&out).contains(CONSUMER_SECRET) && !stderr(&out).contains(TOKEN_SECRET));

    // `authorize` with PLAINTEXT against http endpoints: once for the whole dance.
    let local = format!("http://127.0.0.1:{}", closed_port());
    let out = oauth1(
        &[
            "authorize",
            "--local",
            &local,
            "--signature-method",
            "PLAINTEXT",
            "--config",
            cfg.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(warnings(&out).len(), 1, "{:#?}", warnings(&out));
}

/// Runs `oauth1 serve --port 0` with `env` until it exits or prints its `Try:` line (then it
/// is killed); returns its stdout and stderr, and whether it exited by itself.
fn serve(args: &[&str], env: &[(&str, &str)]) -> (String, String, bool) {
    let (mut child, lines) = spawn_serve(args, env, Stdio::piped());
    let deadline = Instant::now() + Duration::from_secs(20);
    // Every line up to `Try:`, or up to serve's exit or the deadline.
    let mut stdout = String::new();
    while let Ok(line) = lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        stdout.push_str(&line);
        stdout.push('\n');
    }
    let exited = loop {
        match child.try_wait().unwrap() {
            Some(_) => break true,
            None if stdout.contains("Try:") || Instant::now() > deadline => {
                let _ = child.kill();
                break false;
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let out = child.wait_with_output().unwrap();
    (
        stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        exited,
    )
}

#[test]
fn serve_takes_the_redis_url_from_the_environment() {
    // A Redis that is not there, with a password in the URL: serve stops at start-up, and
    // says where the URL came from without showing it.
    let url = format!("redis://:hunter2@127.0.0.1:{}/", closed_port());
    let (stdout, stderr, exited) = serve(&[], &[("OAUTH1_REDIS_URL", &url)]);
    assert!(
        exited,
        "serve ignored OAUTH1_REDIS_URL and started: {stdout}"
    );
    assert!(stderr.contains("OAUTH1_REDIS_URL"), "{stderr}");
    assert!(
        !stderr.contains("hunter2") && !stdout.contains("hunter2"),
        "{stderr}"
    );
    assert!(warnings_in(&stderr).is_empty(), "{stderr}");

    // --redis-ca goes with the URL from the environment as well as with --redis.
    let (_, stderr, exited) = serve(
        &["--redis-ca", "/nonexistent/ca.pem"],
        &[("OAUTH1_REDIS_URL", "rediss://127.0.0.1:1/")],
    );
    assert!(exited);
    assert!(stderr.contains("/nonexistent/ca.pem"), "{stderr}");

    // The same URL on the command line: a warning that names the variable, once, and no
    // password anywhere.
    let (stdout, stderr, exited) = serve(&["--redis", &url], &[]);
    assert!(exited, "{stdout}");
    let said = warnings_in(&stderr);
    assert_eq!(said.len(), 1, "{stderr}");
    assert!(
        said[0].contains("--redis") && said[0].contains("OAUTH1_REDIS_URL"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2") && !stdout.contains("hunter2"),
        "{stderr}"
    );

    // A real Redis (installed by the testkit when missing): the nonces go there.
    let redis = oauth1_server::testkit::redis::RedisServer::for_tests();
    let (stdout, stderr, exited) = serve(&[], &[("OAUTH1_REDIS_URL", redis.url())]);
    assert!(!exited, "{stderr}");
    assert!(
        stdout.contains("nonces:          in Redis"),
        "{stdout}\n{stderr}"
    );
    assert!(!stdout.contains(redis.url()), "{stdout}");
}

/// The lines of `stderr` that are warnings.
fn warnings_in(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains("warning:")).collect()
}

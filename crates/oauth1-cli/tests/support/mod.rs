//! What the binary's tests share: one way to run `oauth1` (none of the developer's environment
//! that would change what it does, killed after a minute), the local provider, a directory per
//! test, and the text of what the binary printed. Each test file includes it with
//! `mod support;` and uses a part of it.
// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::time::Duration;

use oauth1_flow::BlockingHttpClient as _;

use oauth1_server::{BackgroundProvider, LocalProvider, LocalProviderConfig};

/// The variables that would send the binary's requests through the developer's proxy.
const PROXY_VARS: [&str; 8] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// The variables a secret, or the Redis URL (which may hold a password), is read from.
const SECRET_VARS: [&str; 3] = [
    "OAUTH1_CONSUMER_SECRET",
    "OAUTH1_TOKEN_SECRET",
    "OAUTH1_REDIS_URL",
];

/// The binary, to be given its arguments: no browser (`OAUTH1_NO_BROWSER`), none of the secret
/// or proxy variables, and the profiles file `config` as `OAUTH1_CONFIG` (none when `None`).
pub fn command(config: Option<&Path>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oauth1"));
    command.env("OAUTH1_NO_BROWSER", "1");
    for var in SECRET_VARS.iter().chain(&PROXY_VARS) {
        command.env_remove(var);
    }
    match config {
        Some(config) => command.env("OAUTH1_CONFIG", config),
        None => command.env_remove("OAUTH1_CONFIG"),
    };
    command
}

/// The binary started with `args`, `stdin` as given, stdout and stderr piped, and its stdout to
/// read as it prints: for a command the test talks to while it runs.
pub fn spawn(
    config: Option<&Path>,
    args: &[&str],
    stdin: Stdio,
) -> (Child, BufReader<ChildStdout>) {
    let mut child = command(config)
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    (child, stdout)
}

/// The next line `stdout` prints (empty once it has ended).
pub fn next_line(stdout: &mut BufReader<ChildStdout>) -> String {
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    line
}

/// Runs `command` with `stdin`; killed after a minute.
pub fn run(command: Command, stdin: impl Into<Vec<u8>>) -> Output {
    assert_cmd::Command::from_std(command)
        .write_stdin(stdin)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

/// Runs the binary ([`command`]) with `args`, `stdin`, the profiles file `config` and the
/// variables `env` (set after the others are removed).
pub fn oauth1_env(
    config: Option<&Path>,
    args: &[&str],
    stdin: impl Into<Vec<u8>>,
    env: &[(&str, &str)],
) -> Output {
    let mut command = command(config);
    command.args(args).envs(env.iter().copied());
    run(command, stdin)
}

/// Runs the binary with `args`, `stdin` and the profiles file `config`.
pub fn oauth1(config: &Path, args: &[&str], stdin: &str) -> Output {
    oauth1_env(Some(config), args, stdin, &[])
}

/// The local provider on a free loopback port, approving every authorization by itself.
pub fn provider() -> BackgroundProvider {
    provider_with(LocalProviderConfig::default())
}

/// The local provider with `config`, approving every authorization by itself.
pub fn provider_with(config: LocalProviderConfig) -> BackgroundProvider {
    LocalProvider::start_in_background(config.auto_approve(true)).unwrap()
}

/// `oauth1 authorize --local` at the local provider `p`, into the profiles file `config`, with
/// `extra` flags and `stdin`.
pub fn authorize_local(
    config: &Path,
    p: &BackgroundProvider,
    extra: &[&str],
    stdin: &str,
) -> Output {
    let args = [&["authorize", "--local", p.base_url()][..], extra].concat();
    oauth1(config, &args, stdin)
}

/// The flags of xAuth as the local provider's user alice, who types her password on stdin.
pub const XAUTH_ALICE: [&str; 3] = ["--xauth-username", "alice", "--xauth-password-stdin"];

/// `oauth1 authorize` by xAuth as alice (with her password) at the local provider `p`, into
/// the profiles file `config`, with `extra` flags.
pub fn xauth(config: &Path, p: &BackgroundProvider, extra: &[&str]) -> Output {
    authorize_local(
        config,
        p,
        &[&XAUTH_ALICE[..], extra].concat(),
        "wonderland\n",
    )
}

/// A fresh directory of its own for a test (the test binary's name, `name` and the process in
/// its name).
pub fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "oauth1-{}-{name}-{}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A profiles file (not there yet) in a fresh directory of its own.
pub fn config(name: &str) -> PathBuf {
    dir(name).join("profiles.toml")
}

/// Writes `text` to `path`, mode 0600 (the binary refuses a profiles file or a private key
/// that others can read).
pub fn private_file(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// A loopback port nothing listens on (bound, then closed).
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A nonce no other run or test uses: `prefix`, the process and the clock in nanoseconds.
pub fn unique_nonce(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

/// Seconds since the Unix epoch, by this machine's clock.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn stdout(o: &Output) -> String {
    text(&o.stdout)
}

pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

/// The stdout of a run that succeeded (else the test fails with its exit status and stderr);
/// it must be UTF-8.
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "exit {:?}: {}", o.status, stderr(o));
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Asserts that the run exited with `code` and that its stderr says `says`; returns the stderr.
pub fn failed(o: &Output, code: i32, says: &str) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "{err}");
    assert!(err.contains(says), "expected {says:?} in: {err}");
    err
}

/// A GET over loopback (redirects not followed).
pub fn get(url: &str) -> http::Response<Vec<u8>> {
    oauth1_transport_ureq::UreqTransport::new()
        .send(http::Request::get(url).body(Vec::new()).unwrap())
        .unwrap()
}

/// Runs `oauth1` with `args`, an `authorize` whose `--callback` is `callback` (a loopback URL
/// the command listens on once), and plays the browser: opens the authorization URL the
/// command prints at the auto-approving provider, and follows its redirect to the callback.
/// Returns the callback's page and, once the command has exited, its output.
pub fn authorize_through_callback(
    config: &Path,
    args: &[&str],
    callback: &str,
) -> (http::Response<Vec<u8>>, Output) {
    let (child, mut stdout) = spawn(Some(config), args, Stdio::null());
    let url = next_line(&mut stdout);
    let redirect = get(url.trim());
    let location = redirect
        .headers()
        .get("location")
        .unwrap_or_else(|| panic!("no redirect from {url}: {}", text(redirect.body())))
        .to_str()
        .unwrap()
        .to_owned();
    assert!(location.starts_with(callback), "{location}");
    // The command listens on the callback once; it may not be up yet.
    let mut page = None;
    for _ in 0..50 {
        let sent = oauth1_transport_ureq::UreqTransport::new()
            .send(http::Request::get(&location).body(Vec::new()).unwrap());
        if let Ok(r) = sent {
            page = Some(r);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let page = page.unwrap_or_else(|| panic!("the command never listened on {callback}"));
    (page, child.wait_with_output().unwrap())
}

/// A running `oauth1 serve`, killed when dropped.
pub struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub host: String,
    /// The consumer key and secret it printed.
    pub consumer: (String, String),
    /// What it printed, up to its `Try:` line.
    pub lines: Vec<String>,
}

impl Served {
    /// The value printed after `label`.
    pub fn printed(&self, label: &str) -> &str {
        printed(&self.lines, label)
    }

    /// What it printed on stderr, once killed (started by [`serve_with`]; empty otherwise).
    pub fn stderr(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut err = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            std::io::Read::read_to_string(&mut pipe, &mut err).unwrap();
        }
        err
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value printed after `label` on one of `lines`.
fn printed<'a>(lines: &'a [String], label: &str) -> &'a str {
    lines
        .iter()
        .find_map(|l| l.trim_start().strip_prefix(label))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no `{label}` in {lines:#?}"))
}

/// Starts `oauth1 serve --port 0` with `args` and reads what it prints up to its `Try:` line.
pub fn serve(args: &[&str]) -> Served {
    start_serve(args, &[], Stdio::null())
}

/// Like [`serve`], with the variables `env`, its stderr kept for [`Served::stderr`].
pub fn serve_with(args: &[&str], env: &[(&str, &str)]) -> Served {
    start_serve(args, env, Stdio::piped())
}

/// `oauth1 serve --port 0` with `args`, `env` and `stderr`, and the lines of its stdout as it
/// prints them, up to its `Try:` line (the last it prints while starting); the channel closes
/// after that line, or when serve exits first.
pub fn spawn_serve(
    args: &[&str],
    env: &[(&str, &str)],
    stderr: Stdio,
) -> (Child, std::sync::mpsc::Receiver<String>) {
    let mut child = command(None)
        .args(["serve", "--port", "0"])
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let done = line.starts_with("Try:");
            if sender.send(line).is_err() || done {
                break;
            }
        }
    });
    (child, receiver)
}

fn start_serve(args: &[&str], env: &[(&str, &str)], stderr: Stdio) -> Served {
    let (mut child, receiver) = spawn_serve(args, env, stderr);
    let mut lines = Vec::new();
    while !lines.iter().any(|l: &String| l.starts_with("Try:")) {
        match receiver.recv_timeout(Duration::from_secs(20)) {
            Ok(line) => lines.push(line),
            Err(e) => {
                let _ = child.kill();
                panic!("oauth1 serve printed no `Try:` line ({e}): {lines:#?}");
            }
        }
    }
    let base = printed(&lines, "Local OAuth 1.0a provider at");
    let host = base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let consumer = (
        printed(&lines, "consumer key:").to_owned(),
        printed(&lines, "consumer secret:").to_owned(),
    );
    Served {
        child,
        host,
        consumer,
        lines,
    }
}

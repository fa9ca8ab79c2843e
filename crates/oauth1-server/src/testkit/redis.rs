//! A throw-away Redis server for tests and benchmarks: Debian's `redis-server`, on a free
//! loopback port, without persistence, stopped when dropped.
//!
//! Tests find their Redis with [`RedisServer::for_tests`]: the one named by
//! `OAUTH1_TEST_REDIS_URL` (what `.ci/run` starts), else one of their own. When `redis-server`
//! (or `openssl`, for [`TlsRedisServer`]) is missing, the tests install it themselves with
//! [`install`] (Debian's packages, as `.ci/run` does), and fail with what to do when that is not
//! possible: a Redis test never passes without running, on CI or anywhere else. Benchmarks,
//! which may go without, use [`RedisServer::from_env_or_start`].

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The environment variable naming a running Redis for the tests (`redis://127.0.0.1:PORT/`).
pub const URL_VAR: &str = "OAUTH1_TEST_REDIS_URL";

/// A Redis server for a test: ours (a child process) or the environment's.
#[derive(Debug)]
pub struct RedisServer {
    port: u16,
    child: Option<Child>,
    url: String,
}

/// Why no Redis could be had.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedisUnavailable {
    /// `redis-server` is not installed.
    #[error(
        "redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)"
    )]
    NotInstalled,
    /// It did not start or answer.
    #[error("redis-server did not start: {0}")]
    DidNotStart(String),
    /// `openssl` (which makes the certificates of [`TlsRedisServer`]) is not installed.
    #[error("openssl is not installed (Debian: apt-get install openssl; .ci/run installs it)")]
    NoOpenssl,
    /// Making the certificates of [`TlsRedisServer`] failed.
    #[error("could not make the test certificates: {0}")]
    Certificates(String),
    /// Installing `redis-server` or `openssl` failed (the installer's own words).
    #[error("could not install redis-server and openssl: {0}")]
    Install(String),
}

/// The script that installs `redis-server` and `openssl` (Debian's packages; root or
/// password-less sudo), also run by the repository's `scripts/redis-for-tests.sh`.
const INSTALL_SCRIPT: &str = include_str!("install-redis.sh");

/// Installs `redis-server` and `openssl` if either is missing, with `apt-get` (as root, or
/// through `sudo -n`), once per process; the script's own messages go to stderr.
pub fn install() -> Result<(), RedisUnavailable> {
    static INSTALLED: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            let output = Command::new("bash")
                .arg("-c")
                .arg(INSTALL_SCRIPT)
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("could not run bash: {e}"))?;
            if output.status.success() {
                Ok(())
            } else {
                Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
            }
        })
        .clone()
        .map_err(RedisUnavailable::Install)
}

/// Panics with what to do, for a test that cannot have what it needs.
#[allow(clippy::panic)]
fn cannot_run(what: &str, e: &RedisUnavailable) -> ! {
    let hint = if in_ci() {
        "CI must provide it (.ci/run sources scripts/redis-for-tests.sh)"
    } else {
        "this test fails rather than pass without running: install redis-server and openssl \
         (Debian: apt-get install redis-server openssl), or set OAUTH1_TEST_REDIS_URL to a \
         running Redis, then rerun"
    };
    panic!("this test needs {what} and has none: {e}; {hint}")
}

/// Whether this is a CI run (`CI` set, and not `false`/`0`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// Sends `PING` and waits for `+PONG`.
fn ping(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut reply = [0u8; 7];
    stream.write_all(b"PING\r\n").is_ok()
        && stream.read_exact(&mut reply).is_ok()
        && &reply == b"+PONG\r\n"
}

fn spawn(port: u16) -> Result<Child, RedisUnavailable> {
    let child = redis_server(&["--port", &port.to_string(), "--protected-mode", "yes"])?;
    wait_ready(child, || ping(port), "no answer to PING within 10 s")
}

/// Starts `redis-server` on 127.0.0.1 without persistence, with `args`, its output discarded.
fn redis_server(args: &[&str]) -> Result<Child, RedisUnavailable> {
    Command::new("redis-server")
        .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RedisUnavailable::NotInstalled,
            _ => RedisUnavailable::DidNotStart(e.to_string()),
        })
}

/// Waits up to 10 s for `ready`; `child` is killed if it does not get there (`late` says how)
/// or exits first.
fn wait_ready(
    mut child: Child,
    ready: impl Fn() -> bool,
    late: &str,
) -> Result<Child, RedisUnavailable> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if ready() {
            return Ok(child);
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(RedisUnavailable::DidNotStart(format!(
                "it exited: {status}"
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(RedisUnavailable::DidNotStart(late.to_owned()))
}

impl RedisServer {
    /// Starts a Redis server of our own on a free loopback port.
    pub fn start() -> Result<RedisServer, RedisUnavailable> {
        let port = free_port().map_err(|e| RedisUnavailable::DidNotStart(e.to_string()))?;
        let child = spawn(port)?;
        Ok(RedisServer {
            port,
            child: Some(child),
            url: format!("redis://127.0.0.1:{port}/"),
        })
    }

    /// The Redis a test should use: `OAUTH1_TEST_REDIS_URL` if set, else
    /// [`own_for_tests`](Self::own_for_tests). Panics, saying what to do,
    /// when there is none: a Redis test never passes without running.
    pub fn for_tests() -> RedisServer {
        match RedisServer::from_env_or_start() {
            Ok(server) => server,
            Err(RedisUnavailable::NotInstalled) => RedisServer::own_for_tests(),
            Err(e) => cannot_run("Redis", &e),
        }
    }

    /// A server of our own (one the test can [`stop`](Self::stop) and
    /// [`restart`](Self::restart)), after [`install`]ing `redis-server` if it is missing.
    /// Panics, saying what to do, when it cannot be had.
    pub fn own_for_tests() -> RedisServer {
        let started = RedisServer::start().or_else(|e| match e {
            RedisUnavailable::NotInstalled => install().and_then(|()| RedisServer::start()),
            e => Err(e),
        });
        started.unwrap_or_else(|e| cannot_run("a Redis server of its own", &e))
    }

    /// `OAUTH1_TEST_REDIS_URL` if set, else a server of our own if `redis-server` is installed
    /// (nothing is installed): for benchmarks, which may go without Redis.
    pub fn from_env_or_start() -> Result<RedisServer, RedisUnavailable> {
        match std::env::var(URL_VAR) {
            Ok(url) => Ok(RedisServer {
                port: 0,
                child: None,
                url,
            }),
            Err(_) => RedisServer::start(),
        }
    }

    /// `redis://127.0.0.1:PORT/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops our server (a fault for the test); it keeps its port for [`restart`](Self::restart).
    /// Does nothing to a Redis that came from the environment.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts our server again on the same port (empty: without persistence nothing survives).
    pub fn restart(&mut self) -> Result<(), RedisUnavailable> {
        if self.port == 0 {
            return Err(RedisUnavailable::DidNotStart(
                "a Redis from the environment cannot be restarted".into(),
            ));
        }
        self.stop();
        self.child = Some(spawn(self.port)?);
        Ok(())
    }

    /// Whether this server was started here (and so can be stopped).
    pub fn is_own(&self) -> bool {
        self.port != 0
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A Redis server of our own that speaks only TLS (`rediss://`), with a certificate authority
/// and a server certificate for `127.0.0.1` made for it by the `openssl` command; stopped, and
/// its certificates deleted, when dropped. Clients must trust [`ca_pem`](Self::ca_pem).
#[derive(Debug)]
pub struct TlsRedisServer {
    child: Child,
    dir: PathBuf,
    url: String,
    ca: Vec<u8>,
}

/// Runs `openssl` with `args` in `dir`.
fn openssl(dir: &Path, args: &[&str]) -> Result<(), RedisUnavailable> {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RedisUnavailable::NoOpenssl,
            _ => RedisUnavailable::Certificates(e.to_string()),
        })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(RedisUnavailable::Certificates(format!(
            "openssl {}: {}",
            args.first().copied().unwrap_or_default(),
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// Makes `ca.crt`, and `server.crt` + `server.key` for `127.0.0.1` signed by it, in `dir`.
fn make_certificates(dir: &Path) -> Result<(), RedisUnavailable> {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=oauth1-rs test CA",
    ]);
    openssl(dir, &ca)?;
    let mut request = vec!["req"];
    request.extend(ec);
    request.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(dir, &request)?;
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .map_err(|e| RedisUnavailable::Certificates(e.to_string()))?;
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    )
}

impl TlsRedisServer {
    /// Makes the certificates and starts the server on a free loopback port (TLS only: its
    /// plain port is off).
    pub fn start() -> Result<TlsRedisServer, RedisUnavailable> {
        let failed = |e: std::io::Error| RedisUnavailable::DidNotStart(e.to_string());
        let port = free_port().map_err(failed)?;
        let dir =
            std::env::temp_dir().join(format!("oauth1-redis-tls-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(failed)?;
        let started = Self::start_in(&dir, port);
        if started.is_err() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        started
    }

    fn start_in(dir: &Path, port: u16) -> Result<TlsRedisServer, RedisUnavailable> {
        make_certificates(dir)?;
        let ca = std::fs::read(dir.join("ca.crt"))
            .map_err(|e| RedisUnavailable::Certificates(e.to_string()))?;
        let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
        let child = redis_server(&[
            "--port",
            "0",
            "--tls-port",
            &port.to_string(),
            "--tls-cert-file",
            &path("server.crt"),
            "--tls-key-file",
            &path("server.key"),
            "--tls-ca-cert-file",
            &path("ca.crt"),
            "--tls-auth-clients",
            "no",
        ])?;
        // Listening on the TLS port means ready (a PING would need a TLS client here).
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listening = || TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok();
        let child = wait_ready(
            child,
            listening,
            "not listening on its TLS port within 10 s",
        )?;
        Ok(TlsRedisServer {
            child,
            dir: dir.to_owned(),
            url: format!("rediss://127.0.0.1:{port}/"),
            ca,
        })
    }

    /// A TLS Redis for a test, after [`install`]ing `redis-server` and `openssl` if either is
    /// missing. Panics, saying what to do, when it cannot be had.
    pub fn for_tests() -> TlsRedisServer {
        install()
            .and_then(|()| TlsRedisServer::start())
            .unwrap_or_else(|e| cannot_run("a TLS Redis (redis-server and openssl)", &e))
    }

    /// `rediss://127.0.0.1:PORT/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The certificate authority that issued the server's certificate, as PEM.
    pub fn ca_pem(&self) -> &[u8] {
        &self.ca
    }
}

impl Drop for TlsRedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

//! A throw-away Redis server for tests and benchmarks: Debian's `redis-server`, on a free
//! loopback port, without persistence, stopped when dropped.
//!
//! Tests find their Redis with [`RedisServer::for_tests`]: the one named by
//! `OAUTH1_TEST_REDIS_URL` (what `.ci/run` starts), else one of their own. Without either, a
//! test skips with a message, except under `CI` (set to anything but `false`/`0`), where the
//! missing Redis is an error: the Redis tests never skip in CI.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
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
    let mut child = Command::new("redis-server")
        .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
        .args([
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RedisUnavailable::NotInstalled,
            _ => RedisUnavailable::DidNotStart(e.to_string()),
        })?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if ping(port) {
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
    Err(RedisUnavailable::DidNotStart(
        "no answer to PING within 10 s".into(),
    ))
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

    /// The Redis a test should use: `OAUTH1_TEST_REDIS_URL` if set, else one started for the
    /// test. `None` (after printing why) when there is none and this is not CI; under CI a
    /// missing Redis panics, so that Redis tests cannot silently skip.
    #[allow(clippy::panic)]
    pub fn for_tests() -> Option<RedisServer> {
        if let Ok(url) = std::env::var(URL_VAR) {
            return Some(RedisServer {
                port: 0,
                child: None,
                url,
            });
        }
        match RedisServer::start() {
            Ok(server) => Some(server),
            Err(e) if in_ci() => panic!("CI needs Redis for this test and has none: {e}"),
            Err(e) => {
                eprintln!(
                    "SKIPPED: this test needs Redis: {e}; set {URL_VAR} to use a running one"
                );
                None
            }
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

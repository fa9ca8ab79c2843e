//! A stream provider that fails on purpose, to test a client that reconnects.
//!
//! [`FlakyProvider`] is a real HTTP/1.1 server on 127.0.0.1 (a port of its own) with one
//! streaming resource at every path. Each connection verifies the OAuth signature of its
//! request with a [`Verifier`] (HMAC-SHA1/256/512, a ±300 s window, an in-memory nonce store,
//! so a request sent twice is refused as a replay: 401) and then plays the next [`Step`] of a
//! script: serve some lines and drop the connection, end the body cleanly or fall silent (a
//! stall), reset the connection without answering, or answer an HTTP error (503, 420, 429,
//! 401, …). When the script is
//! played out, every connection gets an endless healthy stream. [`FlakyProvider::requests`]
//! says what each connection carried (its nonce, the verifier's verdict, the step it got).
//!
//! A refused connection cannot be scripted per attempt (a closed port refuses every attempt
//! until it opens again): reserve an address and start the provider on it later, with
//! [`FlakyProvider::start_on`], from the test's clock.
//!
//! Lines are JSON: `{"id":N,"connection":K}`, `N` counting every line the provider served and
//! `K` the connection (from 0), each line ending in `\r\n`.
//!
//! ```no_run
//! use oauth1_server::testkit::flaky::{FlakyProvider, Step};
//!
//! let provider = FlakyProvider::start(vec![
//!     Step::lines_then_drop(3), // three lines, then the connection breaks
//!     Step::Reset,              // the next connection is reset before any answer
//!     Step::Status(503),        // then a 503
//! ])?;
//! let url = provider.url("/1.1/statuses/stream.json");
//! // ... sign a GET of `url` with provider.client() and provider.token(), and read it ...
//! for seen in provider.requests() {
//!     println!("{:?} {:?} {:?}", seen.step, seen.nonce, seen.rejection);
//! }
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use oauth1_core::{ClientCredentials, TokenCredentials};

use crate::memory::{MemoryCredentials, MemoryNonceStore};
use crate::verifier::{Rejection, Verifier};

/// The consumer key the provider knows.
pub const CONSUMER_KEY: &str = "flaky-consumer-key";
/// Its secret.
pub const CONSUMER_SECRET: &str = "flaky-consumer-secret";
/// The access token the provider knows.
pub const TOKEN: &str = "flaky-access-token";
/// Its secret.
pub const TOKEN_SECRET: &str = "flaky-access-token-secret";

/// The largest request head the provider reads.
const MAX_HEAD: usize = 64 * 1024;
/// How long it waits for a request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The pause between two lines of the endless stream after the script.
const LINE_INTERVAL: Duration = Duration::from_millis(2);

/// What one connection gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Verify the request, answer 200 with `lines` lines, then end as `end` says.
    Serve {
        /// How many lines.
        lines: usize,
        /// What happens after them.
        end: End,
    },
    /// Read the first byte of the request and close the socket with the rest unread, which
    /// makes the kernel reset the connection: the client sees a connection reset, no answer.
    Reset,
    /// Verify the request, then answer this status with a Twitter-shaped error body and close.
    Status(u16),
    /// As [`Status`](Step::Status), with `Retry-After: retry_after` (sent as written: seconds,
    /// an HTTP date, or anything else).
    StatusRetryAfter {
        /// The status.
        status: u16,
        /// The `Retry-After` value.
        retry_after: &'static str,
    },
}

impl Step {
    /// `lines` lines, then the connection closes in the middle of the chunked body (the
    /// client sees an incomplete body: a network error).
    pub const fn lines_then_drop(lines: usize) -> Self {
        Step::Serve {
            lines,
            end: End::Drop,
        }
    }

    /// `lines` lines, then the body ends properly (the client sees the stream end).
    pub const fn lines_then_end(lines: usize) -> Self {
        Step::Serve {
            lines,
            end: End::Finish,
        }
    }
}

/// How a served stream ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum End {
    /// The connection closes without the last chunk.
    Drop,
    /// The last chunk, then the connection closes.
    Finish,
    /// Nothing more, and the connection stays open (a stalled stream) until the client
    /// leaves or the provider stops.
    Hold,
}

/// What one connection carried.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Seen {
    /// The connection's number (from 0).
    pub connection: u64,
    /// The index of the script step it got; `None` after the script.
    pub step: Option<usize>,
    /// The request's `oauth_nonce`, when it was verified.
    pub nonce: Option<String>,
    /// The request's `oauth_timestamp`, when it was verified.
    pub timestamp: Option<String>,
    /// Why the verifier refused it (then it was answered 401 or 400 whatever its step);
    /// `None` when it passed, or for [`Step::Reset`], which reads no request.
    pub rejection: Option<Rejection>,
}

struct Shared {
    script: Vec<Step>,
    verifier: Verifier<MemoryCredentials, MemoryNonceStore>,
    connections: AtomicU64,
    lines: AtomicU64,
    seen: Mutex<Vec<Seen>>,
    stop: AtomicBool,
}

/// A scripted, misbehaving stream provider on 127.0.0.1 (see the [module](self) docs). It stops
/// when dropped.
pub struct FlakyProvider {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FlakyProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlakyProvider")
            .field("addr", &self.addr)
            .field("script", &self.shared.script)
            .finish_non_exhaustive()
    }
}

impl FlakyProvider {
    /// Starts the provider on a free port of 127.0.0.1 with `script`.
    pub fn start(script: Vec<Step>) -> io::Result<Self> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), script)
    }

    /// Starts it on `addr` (a loopback address; a port reserved earlier, for a test of
    /// refused connections).
    pub fn start_on(addr: SocketAddr, script: Vec<Step>) -> io::Result<Self> {
        if !addr.ip().is_loopback() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the flaky provider listens on loopback only: give it 127.0.0.1 or ::1",
            ));
        }
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let credentials = MemoryCredentials::new()
            .consumer(CONSUMER_KEY, CONSUMER_SECRET)
            .access_token(CONSUMER_KEY, TOKEN, TOKEN_SECRET);
        let shared = Arc::new(Shared {
            script,
            verifier: Verifier::new(credentials, MemoryNonceStore::new(4096)),
            connections: AtomicU64::new(0),
            lines: AtomicU64::new(0),
            seen: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let accepting = Arc::clone(&shared);
        let accept = std::thread::Builder::new()
            .name("flaky-provider".into())
            .spawn(move || accept_loop(&listener, &accepting))?;
        Ok(FlakyProvider {
            addr,
            shared,
            accept: Some(accept),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The consumer credentials it knows.
    pub fn client(&self) -> ClientCredentials {
        ClientCredentials::new(CONSUMER_KEY, CONSUMER_SECRET)
    }

    /// The access token it knows.
    pub fn token(&self) -> TokenCredentials {
        TokenCredentials::new(TOKEN, TOKEN_SECRET)
    }

    /// What each connection so far carried, in the order they were accepted.
    pub fn requests(&self) -> Vec<Seen> {
        let mut seen = self
            .shared
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        seen.sort_by_key(|s| s.connection);
        seen
    }

    /// Stops accepting and ends the endless streams; returns when the listener is closed.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop with a connection of our own.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

impl Drop for FlakyProvider {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let connection = shared.connections.fetch_add(1, Ordering::SeqCst);
        let step = usize::try_from(connection)
            .ok()
            .filter(|&i| i < shared.script.len());
        let shared = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name(format!("flaky-connection-{connection}"))
            .spawn(move || {
                let step_of = step.and_then(|i| shared.script.get(i).copied());
                let _ = serve(stream, &shared, connection, step, step_of);
            });
        // No thread for it: the connection closes when the closure is dropped.
        drop(spawned);
    }
}

fn serve(
    mut stream: TcpStream,
    shared: &Shared,
    connection: u64,
    step: Option<usize>,
    step_of: Option<Step>,
) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let mut seen = Seen {
        connection,
        step,
        nonce: None,
        timestamp: None,
        rejection: None,
    };
    if step_of == Some(Step::Reset) {
        let mut first = [0u8; 1];
        let read = stream.read(&mut first);
        record(shared, seen);
        read?;
        // Closed with the rest of the request unread: the kernel answers with a reset.
        return Ok(());
    }
    let request = read_request(&mut stream)?;
    let verdict = tokio::runtime::Builder::new_current_thread()
        .build()?
        .block_on(shared.verifier.verify(&request, "http"));
    match verdict {
        Ok(verified) => {
            seen.nonce = verified.received.nonce().map(str::to_owned);
            seen.timestamp = verified.received.timestamp().map(str::to_owned);
        }
        Err(failure) => {
            let rejection = failure.rejection().cloned();
            let status = rejection.as_ref().map_or(503, |r| r.status().as_u16());
            seen.rejection = rejection;
            record(shared, seen);
            return answer_error(&mut stream, status, None);
        }
    }
    record(shared, seen);
    match step_of {
        Some(Step::Status(status)) => answer_error(&mut stream, status, None),
        Some(Step::StatusRetryAfter {
            status,
            retry_after,
        }) => answer_error(&mut stream, status, Some(retry_after)),
        Some(Step::Serve { lines, end }) => {
            stream.write_all(STREAM_HEAD)?;
            for _ in 0..lines {
                write_line(&mut stream, shared, connection)?;
            }
            match end {
                End::Finish => stream.write_all(b"0\r\n\r\n")?,
                End::Hold => return hold(&mut stream, shared),
                End::Drop => {}
            }
            stream.flush()?;
            stream.shutdown(Shutdown::Both)
        }
        // After the script (a Reset was handled above): a healthy stream until the client
        // leaves or the provider stops.
        _ => {
            stream.write_all(STREAM_HEAD)?;
            while !shared.stop.load(Ordering::SeqCst) {
                write_line(&mut stream, shared, connection)?;
                std::thread::sleep(LINE_INTERVAL);
            }
            Ok(())
        }
    }
}

/// Keeps the connection open and silent until the client closes it or the provider stops.
fn hold(stream: &mut TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_millis(20)))?;
    let mut byte = [0u8; 1];
    while !shared.stop.load(Ordering::SeqCst) {
        match stream.read(&mut byte) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

const STREAM_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";

fn record(shared: &Shared, seen: Seen) {
    shared
        .seen
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(seen);
}

fn write_line(stream: &mut TcpStream, shared: &Shared, connection: u64) -> io::Result<()> {
    let id = shared.lines.fetch_add(1, Ordering::SeqCst);
    let line = format!("{{\"id\":{id},\"connection\":{connection}}}\r\n");
    write!(stream, "{:x}\r\n{line}\r\n", line.len())?;
    stream.flush()
}

/// An error answer shaped like Twitter's, and the connection closes.
fn answer_error(stream: &mut TcpStream, status: u16, retry_after: Option<&str>) -> io::Result<()> {
    let (code, message) = match status {
        400 => (215, "Bad Authentication data."),
        401 => (32, "Could not authenticate you."),
        403 => (261, "Application cannot perform write actions."),
        404 => (34, "Sorry, that page does not exist."),
        420 => (88, "Enhance Your Calm"),
        429 => (88, "Rate limit exceeded"),
        503 => (130, "Over capacity"),
        _ => (131, "Internal error"),
    };
    let body = format!(r#"{{"errors":[{{"code":{code},"message":"{message}"}}]}}"#);
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let retry_after = retry_after.map_or(String::new(), |r| format!("Retry-After: {r}\r\n"));
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         {retry_after}Connection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()?;
    stream.shutdown(Shutdown::Write)
}

/// Reads one request (head and any `Content-Length` body) into an `http::Request`.
fn read_request(stream: &mut TcpStream) -> io::Result<http::Request<Vec<u8>>> {
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
    let mut buf = Vec::new();
    let mut piece = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return Err(invalid("request head too large"));
        }
        let n = stream.read(&mut piece)?;
        if n == 0 {
            return Err(invalid("the client closed before the end of the head"));
        }
        buf.extend_from_slice(&piece[..n]);
    };
    let head = std::str::from_utf8(&buf[..head_end]).map_err(|_| invalid("head not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let mut start = lines.next().unwrap_or_default().split(' ');
    let (method, target) = (
        start.next().unwrap_or_default(),
        start.next().unwrap_or("/"),
    );
    let mut builder = http::Request::builder().method(method).uri(target);
    let mut length = 0usize;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse().map_err(|_| invalid("bad Content-Length"))?;
        }
        builder = builder.header(name.trim(), value);
    }
    let mut body = buf[head_end + 4..].to_vec();
    if length > MAX_HEAD {
        return Err(invalid("request body too large"));
    }
    while body.len() < length {
        let n = stream.read(&mut piece)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&piece[..n]);
    }
    body.truncate(length);
    builder
        .body(body)
        .map_err(|_| invalid("not an HTTP request"))
}

//! A raw HTTP/1.1 server on 127.0.0.1 for the transport tests: it records each request's bytes
//! as they arrived and answers however the test says, down to the byte (normal answers, errors,
//! huge bodies, silence, slow streams).
//!
//! It runs on plain threads, so the same server serves async and blocking clients. Every
//! connection gives up after [`LIMIT`], so no test can hang on it.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

/// The longest any connection of the server lives, and the bound of every wait in the tests.
pub const LIMIT: Duration = Duration::from_secs(10);

/// A stream the handlers write to: TCP, or TLS over TCP.
pub trait Conn: Read + Write {}
impl<T: Read + Write> Conn for T {}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// Every byte of the request, head and body.
    pub raw: Vec<u8>,
    /// The head, up to and including the blank line.
    pub head: String,
    /// The body (as long as `Content-Length` says).
    pub body: Vec<u8>,
}

impl Received {
    /// `METHOD target HTTP/1.1`.
    pub fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or("")
    }

    /// The request target: path and query, as sent.
    pub fn target(&self) -> &str {
        self.request_line().split(' ').nth(1).unwrap_or("")
    }

    /// The value of the first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

type Handler = dyn Fn(&Received, &mut dyn Conn) + Send + Sync;

/// A running server; it stops accepting when dropped.
pub struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Starts a server that reads each request and lets `handler` answer it.
    pub fn start(handler: impl Fn(&Received, &mut dyn Conn) + Send + Sync + 'static) -> Server {
        Self::start_with(handler, |stream| {
            Some(Box::new(stream) as Box<dyn Conn + Send>)
        })
    }

    /// Like [`Server::start`], with `wrap` turning each accepted socket into the stream to
    /// speak over (a TLS server wraps it in a session; `None` drops the connection).
    pub fn start_with(
        handler: impl Fn(&Received, &mut dyn Conn) + Send + Sync + 'static,
        wrap: impl Fn(TcpStream) -> Option<Box<dyn Conn + Send>> + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let wrap = Arc::new(wrap);
        {
            let requests = Arc::clone(&requests);
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let requests = Arc::clone(&requests);
                    let handler = Arc::clone(&handler);
                    let wrap = Arc::clone(&wrap);
                    thread::spawn(move || {
                        let _ = stream.set_read_timeout(Some(LIMIT));
                        let _ = stream.set_write_timeout(Some(LIMIT));
                        let Some(mut conn) = wrap(stream) else { return };
                        let Ok(received) = read_request(&mut *conn) else {
                            return;
                        };
                        requests.lock().unwrap().push(received.clone());
                        handler(&received, &mut *conn);
                        let _ = conn.flush();
                    });
                }
            });
        }
        Server {
            addr,
            requests,
            stop,
        }
    }

    /// `http://127.0.0.1:port` followed by `path_and_query`.
    pub fn url(&self, path_and_query: &str) -> String {
        format!("http://{}{}", self.addr, path_and_query)
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<Received> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

/// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
fn read_request(conn: &mut dyn Conn) -> io::Result<Received> {
    let mut raw = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if raw.len() > 1 << 20 {
            return Err(io::Error::other("request head too large"));
        }
        let read = conn.read(&mut buffer)?;
        if read == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        raw.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while raw.len() < head_end + length {
        let read = conn.read(&mut buffer)?;
        if read == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        raw.extend_from_slice(&buffer[..read]);
    }
    let body = raw[head_end..head_end + length].to_vec();
    Ok(Received { raw, head, body })
}

/// Writes a complete response: `status` (such as `200 OK`), `headers`, and `body` with its
/// `Content-Length`; the connection closes after it.
pub fn respond(conn: &mut dyn Conn, status: &str, headers: &[(&str, &str)], body: &[u8]) {
    let mut response = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let _ = conn.write_all(response.as_bytes());
    let _ = conn.write_all(body);
    let _ = conn.flush();
}

/// Sends a body of `size` bytes, announced in `Content-Length` or (`announce` false) chunked,
/// until done or until the client hangs up.
pub fn huge(conn: &mut dyn Conn, size: usize, announce: bool) {
    let head = if announce {
        format!("HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n")
    } else {
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_owned()
    };
    if conn.write_all(head.as_bytes()).is_err() {
        return;
    }
    let piece = vec![b'x'; 64 * 1024];
    let mut sent = 0;
    while sent < size {
        let n = piece.len().min(size - sent);
        let written = if announce {
            conn.write_all(&piece[..n])
        } else {
            write_chunk(conn, &piece[..n])
        };
        if written.is_err() {
            return;
        }
        sent += n;
    }
    if !announce {
        let _ = conn.write_all(b"0\r\n\r\n");
    }
    let _ = conn.flush();
}

/// Answers nothing, and waits until the client gives up (or [`LIMIT`]).
pub fn stall(conn: &mut dyn Conn) {
    let mut buffer = [0u8; 1024];
    while let Ok(read) = conn.read(&mut buffer) {
        if read == 0 {
            break;
        }
    }
}

/// Sends a response head announcing a chunked body, and nothing more.
pub fn stream_head(conn: &mut dyn Conn) -> io::Result<()> {
    conn.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    )?;
    conn.flush()
}

/// Writes one chunk of a chunked body, and flushes it out.
pub fn write_chunk(conn: &mut dyn Conn, data: &[u8]) -> io::Result<()> {
    conn.write_all(format!("{:x}\r\n", data.len()).as_bytes())?;
    conn.write_all(data)?;
    conn.write_all(b"\r\n")?;
    conn.flush()
}

/// A streaming handler: sends `first`, waits for the test to say go (or [`LIMIT`]), sends
/// `rest`, and ends the body. The returned sender is the go signal.
pub fn slow_stream(
    first: &'static [u8],
    rest: &'static [u8],
) -> (
    impl Fn(&Received, &mut dyn Conn) + Send + Sync + 'static,
    mpsc::Sender<()>,
) {
    let (go, wait) = mpsc::channel::<()>();
    let wait = Mutex::new(wait);
    let handler = move |_: &Received, conn: &mut dyn Conn| {
        if stream_head(conn)
            .and_then(|()| write_chunk(conn, first))
            .is_err()
        {
            return;
        }
        if wait.lock().unwrap().recv_timeout(LIMIT).is_err() {
            return;
        }
        let _ = write_chunk(conn, rest).and_then(|()| conn.write_all(b"0\r\n\r\n"));
        let _ = conn.flush();
    };
    (handler, go)
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
pub fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    addr
}

//! A third-party HTTP backend: a small HTTP/1.1 client over `std::net::TcpStream` (plain
//! HTTP only, one connection per request), plugged into the dance by implementing
//! `BlockingHttpClient` and `BlockingStreamingHttpClient`, and proven with the conformance
//! suite against the local provider.
//!
//! ```text
//! cargo run --example custom_backend
//! ```
//!
//! Any HTTP library plugs in the same way: turn an `http::Request<Vec<u8>>` into bytes on the
//! wire exactly as given, and the answer into an `http::Response`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use oauth1_flow::transport::{BlockingBody, DEFAULT_MAX_BODY};
use oauth1_flow::{
    BlockingHttpClient, BlockingStreamingHttpClient, TransportError, TransportErrorKind,
};

/// The backend: plain HTTP/1.1 over a TCP stream, with a timeout per read.
#[derive(Debug, Clone, Copy)]
struct TinyHttp {
    timeout: Duration,
}

fn error(kind: TransportErrorKind) -> impl Fn(std::io::Error) -> TransportError {
    move |e| {
        let kind = match e.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                TransportErrorKind::Timeout
            }
            _ => kind,
        };
        TransportError::new(kind, e.to_string())
    }
}

/// The body of a response, read as it arrives (chunked, by length, or to the end).
struct Reader {
    stream: BufReader<TcpStream>,
    framing: Framing,
}

enum Framing {
    Length(usize),
    Chunked,
    Close,
    Done,
}

impl BlockingBody for Reader {
    fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
        let io = error(TransportErrorKind::Protocol);
        match self.framing {
            Framing::Done | Framing::Length(0) => Ok(None),
            Framing::Length(left) => {
                let mut buf = vec![0; left.min(16 * 1024)];
                let n = self.stream.read(&mut buf).map_err(&io)?;
                if n == 0 {
                    return Err(TransportError::new(
                        TransportErrorKind::Protocol,
                        "the body ended early",
                    ));
                }
                buf.truncate(n);
                self.framing = Framing::Length(left - n);
                Ok(Some(buf))
            }
            Framing::Chunked => {
                let mut line = String::new();
                self.stream.read_line(&mut line).map_err(&io)?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| {
                    TransportError::new(TransportErrorKind::Protocol, "bad chunk size")
                })?;
                let mut buf = vec![0; size + 2];
                self.stream.read_exact(&mut buf).map_err(&io)?;
                buf.truncate(size);
                if size == 0 {
                    self.framing = Framing::Done;
                    return Ok(None);
                }
                Ok(Some(buf))
            }
            Framing::Close => {
                let mut buf = vec![0; 16 * 1024];
                let n = self.stream.read(&mut buf).map_err(&io)?;
                buf.truncate(n);
                Ok((n > 0).then_some(buf))
            }
        }
    }
}

impl TinyHttp {
    fn exchange(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Reader>, TransportError> {
        let uri = request.uri();
        if uri.scheme_str() != Some("http") {
            return Err(TransportError::new(
                TransportErrorKind::InvalidRequest,
                "this backend speaks plain http only",
            ));
        }
        let authority = uri
            .authority()
            .ok_or_else(|| TransportError::new(TransportErrorKind::InvalidRequest, "no host"))?
            .clone();
        let target = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
        let addr = std::net::ToSocketAddrs::to_socket_addrs(&(
            authority.host(),
            authority.port_u16().unwrap_or(80),
        ))
        .map_err(error(TransportErrorKind::Connect))?
        .next()
        .ok_or_else(|| TransportError::new(TransportErrorKind::Connect, "no address"))?;
        let mut stream = TcpStream::connect_timeout(&addr, self.timeout)
            .map_err(error(TransportErrorKind::Connect))?;
        stream
            .set_read_timeout(Some(self.timeout))
            .map_err(error(TransportErrorKind::Other))?;
        // The request exactly as given: method, target, headers, body.
        let mut head = format!(
            "{} {target} HTTP/1.1\r\nhost: {authority}\r\nconnection: close\r\n",
            request.method()
        );
        for (name, value) in request.headers() {
            let value = value.to_str().map_err(|_| {
                TransportError::new(TransportErrorKind::InvalidRequest, "a header is not text")
            })?;
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", request.body().len()));
        stream
            .write_all(head.as_bytes())
            .map_err(error(TransportErrorKind::Protocol))?;
        stream
            .write_all(request.body())
            .map_err(error(TransportErrorKind::Protocol))?;

        let mut stream = BufReader::new(stream);
        let mut line = String::new();
        stream
            .read_line(&mut line)
            .map_err(error(TransportErrorKind::Protocol))?;
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| {
                TransportError::new(
                    TransportErrorKind::Protocol,
                    format!("not an HTTP status line: {line:?}"),
                )
            })?;
        let mut response = http::Response::builder().status(status);
        let mut framing = Framing::Close;
        loop {
            line.clear();
            stream
                .read_line(&mut line)
                .map_err(error(TransportErrorKind::Protocol))?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let Some((name, value)) = header.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                framing = Framing::Length(value.parse().unwrap_or(0));
            } else if name.eq_ignore_ascii_case("transfer-encoding")
                && value.eq_ignore_ascii_case("chunked")
            {
                framing = Framing::Chunked;
            }
            response = response.header(name, value);
        }
        response
            .body(Reader { stream, framing })
            .map_err(|e| TransportError::new(TransportErrorKind::Protocol, e.to_string()))
    }
}

impl BlockingHttpClient for TinyHttp {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let (parts, mut reader) = self.exchange(request)?.into_parts();
        let mut body = Vec::new();
        while let Some(chunk) = reader.chunk()? {
            body.extend_from_slice(&chunk);
            if body.len() > DEFAULT_MAX_BODY {
                return Err(TransportError::new(
                    TransportErrorKind::BodyTooLarge,
                    "response body too large",
                ));
            }
        }
        Ok(http::Response::from_parts(parts, body))
    }
}

impl BlockingStreamingHttpClient for TinyHttp {
    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn BlockingBody>>, TransportError> {
        Ok(self
            .exchange(request)?
            .map(|r| Box::new(r) as Box<dyn BlockingBody>))
    }
}

fn main() {
    let backend = TinyHttp {
        timeout: Duration::from_secs(10),
    };
    match oauth1_server::testkit::run_blocking(&backend) {
        Ok(report) => {
            print!("{report}");
            println!("The custom backend passes the conformance suite.");
        }
        Err(failure) => {
            eprintln!("{failure}");
            std::process::exit(1);
        }
    }
}

#[test]
fn the_custom_backend_passes_the_conformance_suite() {
    let backend = TinyHttp {
        timeout: Duration::from_secs(10),
    };
    let report = oauth1_server::testkit::run_blocking(&backend).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.passed.len(), 9, "{report}");
}

//! The HTTPS cases: certificate checks stay on, a trusted server works, TLS failures say so.
//! [`https_suite!`](crate::https_suite) runs them all as tests.

use std::io::{Read as _, Write as _};

use oauth1_flow::{BlockingStreamingHttpClient, TransportErrorKind};

use crate::server::{self, respond, Server};
use crate::{tls, Limits};

/// A server on 127.0.0.1 with the test certificate (for `localhost` and `127.0.0.1`).
pub fn https_server() -> Server {
    Server::start_with(
        |_, conn| respond(conn, "200 OK", &[], b"over tls"),
        tls::wrap(),
    )
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).unwrap()
}

/// A certificate from a CA the transport does not trust: a TLS error that says so.
pub fn an_untrusted_certificate_is_refused<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let server = https_server();
    let url = format!("https://localhost:{}/", server.addr().port());
    let error = make(Limits::DEFAULT).send(get(&url)).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");
    assert!(error.to_string().contains("certificate"), "{error}");
}

/// A transport that trusts the test CA reaches the server by name and by address, and the
/// request arrives unchanged.
pub fn a_trusted_server_answers_over_https<T: BlockingStreamingHttpClient>(
    trusting: impl Fn() -> T,
) {
    let server = https_server();
    let transport = trusting();
    for host in ["localhost", "127.0.0.1"] {
        let url = format!("https://{host}:{}/secure?a=%2F&b=+", server.addr().port());
        let response = transport.send(get(&url)).unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.body(), b"over tls");
    }
    assert_eq!(server.requests()[0].target(), "/secure?a=%2F&b=+");
}

/// `https://` to a server that answers in plain HTTP: a TLS error.
pub fn https_to_a_plain_http_server_is_a_tls_error<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    // A plain HTTP server: it reads what comes (a TLS ClientHello), answers in plain HTTP, and
    // waits for the client to hang up (closing with unread data would reset the connection).
    let server = Server::start_with(
        |_, _| {},
        |mut stream| {
            let mut hello = [0u8; 4096];
            let _ = stream.read(&mut hello);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            server::stall(&mut stream);
            None
        },
    );
    let url = format!("https://127.0.0.1:{}/", server.addr().port());
    let error = make(Limits::DEFAULT).send(get(&url)).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");
}

//! HTTPS: certificate checks stay on, a trusted server works, TLS failures say so.
#![cfg(feature = "rustls")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The loopback test server and TLS fixtures are shared with the reqwest transport's tests.
#[path = "../../transport-reqwest/tests/support/mod.rs"]
mod support;

use std::io::{Read as _, Write as _};

use oauth1_flow::{BlockingHttpClient, TransportErrorKind};
use oauth1_transport_ureq::UreqTransport;
use support::{respond, tls, Server};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

fn https_server() -> Server {
    Server::start_with(
        |_, conn| respond(conn, "200 OK", &[], b"over tls"),
        tls::wrap(),
    )
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).unwrap()
}

/// A transport whose agent trusts the test CA (and nothing else).
fn trusting() -> UreqTransport {
    let ca = Certificate::from_pem(tls::ca_pem()).unwrap();
    let agent = oauth1_transport_ureq::config_builder()
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::new_with_certs(&[ca]))
                .build(),
        )
        .build()
        .new_agent();
    UreqTransport::from(agent)
}

#[test]
fn an_untrusted_certificate_is_refused() {
    let server = https_server();
    let url = format!("https://localhost:{}/", server.addr().port());
    let error = UreqTransport::new().send(get(&url)).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");
    assert!(error.to_string().contains("certificate"), "{error}");
}

#[test]
fn a_trusted_server_answers_over_https() {
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

#[test]
fn https_to_a_plain_http_server_is_a_tls_error() {
    // A plain HTTP server: it reads what comes (a TLS ClientHello), answers in plain HTTP, and
    // waits for the client to hang up (closing with unread data would reset the connection).
    let server = Server::start_with(
        |_, _| {},
        |mut stream| {
            let mut hello = [0u8; 4096];
            let _ = stream.read(&mut hello);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            support::stall(&mut stream);
            None
        },
    );
    let url = format!("https://127.0.0.1:{}/", server.addr().port());
    let error = UreqTransport::new().send(get(&url)).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");
}

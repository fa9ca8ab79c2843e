//! HTTPS: certificate checks stay on, a trusted server works, TLS failures say so.
#![cfg(feature = "rustls")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::{Read as _, Write as _};
use std::sync::Arc;

use oauth1_flow::{HttpClient, TransportErrorKind};
use oauth1_transport_reqwest::ReqwestTransport;
use support::{respond, tls, Server, LIMIT};

fn https_server() -> Server {
    Server::start_with(
        |_, conn| respond(conn, "200 OK", &[], b"over tls"),
        tls::wrap(),
    )
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).unwrap()
}

/// A client that trusts the test CA (and nothing else).
fn trusting_client() -> reqwest::Client {
    trusting_client_builder().build().unwrap()
}

fn trusting_client_builder() -> reqwest::ClientBuilder {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(tls::ca()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .redirect(reqwest::redirect::Policy::none())
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let server = https_server();
    let url = format!("https://localhost:{}/", server.addr().port());
    let error = tokio::time::timeout(LIMIT, ReqwestTransport::new().send(get(&url)))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");
    assert!(error.to_string().contains("certificate"), "{error}");
}

#[tokio::test]
async fn a_trusted_server_answers_over_https() {
    let server = https_server();
    let transport = ReqwestTransport::from(trusting_client());
    for host in ["localhost", "127.0.0.1"] {
        let url = format!("https://{host}:{}/secure?a=%2F&b=+", server.addr().port());
        let response = tokio::time::timeout(LIMIT, transport.send(get(&url)))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.body(), b"over tls");
    }
    assert_eq!(server.requests()[0].target(), "/secure?a=%2F&b=+");
}

#[tokio::test]
async fn a_name_the_certificate_does_not_cover_is_refused() {
    let server = https_server();
    // `other.test` resolves to the server on 127.0.0.1 (no DNS is asked); the certificate is
    // for localhost and 127.0.0.1 only.
    let client = trusting_client_builder()
        .resolve("other.test", server.addr())
        .build()
        .unwrap();
    let url = format!("https://other.test:{}/", server.addr().port());
    let error = tokio::time::timeout(LIMIT, ReqwestTransport::from(client).send(get(&url)))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");
    assert!(error.to_string().contains("not valid for name"), "{error}");
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
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
    let error = tokio::time::timeout(LIMIT, ReqwestTransport::new().send(get(&url)))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_transport_checks_certificates_too() {
    use oauth1_flow::BlockingHttpClient;
    use oauth1_transport_reqwest::BlockingReqwestTransport;

    let server = https_server();
    let url = format!("https://localhost:{}/", server.addr().port());
    let error = BlockingReqwestTransport::new().send(get(&url)).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");
}

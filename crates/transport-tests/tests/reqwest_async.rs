//! `ReqwestTransport` on the wire: the shared suites, then what only this transport does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::sync::Arc;

use oauth1_flow::{HttpClient, TransportErrorKind};
use oauth1_transport_reqwest::{ReqwestTransport, ReqwestTransportBuilder as Builder};
use oauth1_transport_tests::https::https_server;
use oauth1_transport_tests::server::{self, respond, Server};
use oauth1_transport_tests::{bounded, cases, tls, BlockOn, Limits, LIMIT};

fn transport(limits: Limits) -> BlockOn<ReqwestTransport> {
    BlockOn::new(|| {
        let builder = ReqwestTransport::builder();
        limits
            .apply(builder, Builder::timeout, Builder::max_body)
            .build()
            .unwrap()
    })
}

/// A transport whose client trusts the test CA (and nothing else).
fn trusting() -> BlockOn<ReqwestTransport> {
    BlockOn::new(|| ReqwestTransport::from(trusting_client_builder().build().unwrap()))
}

fn trusting_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls::client_config())
        .redirect(reqwest::redirect::Policy::none())
}

oauth1_transport_tests::wire_suite!(transport);
oauth1_transport_tests::https_suite!(transport, trusting);

#[test]
fn requests_reqwest_would_change_are_refused() {
    bounded(|| cases::requests_with_dot_segments_are_refused(transport));
}

/// Runs `test` and fails it if it takes longer than [`LIMIT`].
async fn within_limit<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, test)
        .await
        .expect("the test took longer than its bound")
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).unwrap()
}

#[tokio::test]
async fn a_user_client_is_used_with_the_transport_limits() {
    within_limit(async {
        let server = Server::start(|_, conn| server::huge(conn, 4096, true));
        let client = oauth1_transport_reqwest::client_builder()
            .unwrap()
            .user_agent("oauth1-test/1")
            .build()
            .unwrap();
        let transport = ReqwestTransport::builder()
            .client(client.clone())
            .max_body(100)
            .build()
            .unwrap();
        assert_eq!(transport.max_body(), 100);
        let error = transport.send(get(&server.url("/"))).await.unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::BodyTooLarge);
        let response = ReqwestTransport::from(client)
            .send(get(&server.url("/")))
            .await
            .unwrap();
        assert_eq!(response.body().len(), 4096);
        assert_eq!(
            server.requests()[1].header("user-agent"),
            Some("oauth1-test/1")
        );
    })
    .await;
}

#[tokio::test]
async fn a_user_client_keeps_its_redirect_policy() {
    within_limit(async {
        let server = Server::start(|received, conn| match received.target() {
            "/start" => respond(conn, "302 Found", &[("Location", "/end")], b""),
            _ => respond(conn, "200 OK", &[], b"end"),
        });
        let following = reqwest::Client::builder()
            .tls_backend_preconfigured(
                rustls::ClientConfig::builder_with_provider(Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth(),
            )
            .build()
            .unwrap();
        let response = ReqwestTransport::from(following)
            .send(get(&server.url("/start")))
            .await
            .unwrap();
        assert_eq!(response.body(), b"end");
    })
    .await;
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
    let error = within_limit(ReqwestTransport::from(client).send(get(&url)))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls, "{error}");
    assert!(error.to_string().contains("not valid for name"), "{error}");
}

//! `UreqTransport` on the wire: the shared suites, then what only ureq's agent does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use oauth1_flow::{BlockingStreamingHttpClient, TransportErrorKind};
use oauth1_transport_tests::server::{self, Server};
use oauth1_transport_tests::{bounded, cases, tls, Limits};
use oauth1_transport_ureq::{UreqTransport, UreqTransportBuilder as Builder};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

fn transport(limits: Limits) -> UreqTransport {
    limits
        .apply(
            UreqTransport::builder(),
            Builder::timeout,
            Builder::max_body,
        )
        .build()
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

oauth1_transport_tests::wire_suite!(transport);
oauth1_transport_tests::https_suite!(transport, trusting);

#[test]
fn error_statuses_and_redirects_come_back_through_an_eager_agent() {
    // An agent that would turn statuses into errors and follow redirects: the transport
    // turns both off.
    bounded(|| {
        cases::error_statuses_and_redirects_come_back_as_responses(|_| {
            let eager = ureq::Agent::config_builder()
                .http_status_as_error(true)
                .max_redirects(10)
                .build()
                .new_agent();
            UreqTransport::from(eager)
        });
    });
}

#[test]
fn a_stalled_stream_is_caught_by_the_agent_read_timeout() {
    bounded(|| {
        let (handler, _go) = server::slow_stream(b"first\n", b"never\n");
        let server = Server::start(handler);
        let agent = oauth1_transport_ureq::config_builder()
            .timeout_per_read(Some(Duration::from_millis(200)))
            .build()
            .new_agent();
        let mut response = UreqTransport::from(agent)
            .send_streaming(
                http::Request::get(server.url("/stream"))
                    .body(Vec::new())
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(response.body_mut().chunk().unwrap().unwrap(), b"first\n");
        let error = response.body_mut().chunk().unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
    });
}

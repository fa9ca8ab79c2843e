//! `BlockingReqwestTransport` on the wire: the shared suites, then what only reqwest does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_transport_reqwest::{
    BlockingReqwestTransport, BlockingReqwestTransportBuilder as Builder,
};
use oauth1_transport_tests::{bounded, cases, tls, Limits};

fn transport(limits: Limits) -> BlockingReqwestTransport {
    let builder = BlockingReqwestTransport::builder();
    limits
        .apply(builder, Builder::timeout, Builder::max_body)
        .build()
        .unwrap()
}

/// A transport whose client trusts the test CA (and nothing else).
fn trusting() -> BlockingReqwestTransport {
    let client = reqwest::blocking::Client::builder()
        .tls_backend_preconfigured(tls::client_config())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    BlockingReqwestTransport::from(client)
}

oauth1_transport_tests::wire_suite!(transport);
oauth1_transport_tests::https_suite!(transport, trusting);

#[test]
fn requests_reqwest_would_change_are_refused() {
    bounded(|| cases::requests_with_dot_segments_are_refused(transport));
}

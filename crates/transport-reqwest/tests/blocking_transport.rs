//! `BlockingReqwestTransport` as a value: made in one line or from a client, shareable. Its
//! behaviour on the wire is tested in `crates/transport-tests` (the suite every transport runs).
#![cfg(feature = "blocking")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_transport_reqwest::BlockingReqwestTransport;

#[test]
fn the_transport_is_easy_to_make() {
    fn shareable<T: Send + Sync + Clone + 'static>(_: &T) {}
    let transport = BlockingReqwestTransport::default();
    shareable(&transport);
    assert!(transport.client().is_some());
    let client = oauth1_transport_reqwest::blocking_client_builder()
        .unwrap()
        .build()
        .unwrap();
    let transport = BlockingReqwestTransport::from(client);
    assert_eq!(transport.timeout(), oauth1_flow::transport::DEFAULT_TIMEOUT);
}

//! `ReqwestTransport` as a value: made in one line, shareable, no client internals in `Debug`.
//! Its behaviour on the wire is tested in `crates/transport-tests` (the suite every transport
//! runs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_transport_reqwest::ReqwestTransport;

#[test]
fn the_transport_is_easy_to_make_and_shows_no_client_internals() {
    fn shareable<T: Send + Sync + Clone + 'static>(_: &T) {}
    let transport = ReqwestTransport::default();
    shareable(&transport);
    assert!(transport.client().is_some());
    assert_eq!(transport.timeout(), oauth1_flow::transport::DEFAULT_TIMEOUT);
    assert_eq!(
        transport.max_body(),
        oauth1_flow::transport::DEFAULT_MAX_BODY
    );
    let debug = format!("{transport:?}");
    assert!(debug.starts_with("ReqwestTransport {"), "{debug}");
}

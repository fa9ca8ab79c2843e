//! `UreqTransport` as a value: made in one line, shareable, an agent that neither follows
//! redirects nor turns statuses into errors, no agent internals in `Debug`. Its behaviour on
//! the wire is tested in `crates/transport-tests` (the suite every transport runs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_transport_ureq::UreqTransport;

#[test]
fn the_transport_is_easy_to_make_and_shows_no_agent_internals() {
    fn shareable<T: Send + Sync + Clone + 'static>(_: &T) {}
    let transport = UreqTransport::default();
    shareable(&transport);
    assert_eq!(transport.timeout(), oauth1_flow::transport::DEFAULT_TIMEOUT);
    assert_eq!(
        transport.max_body(),
        oauth1_flow::transport::DEFAULT_MAX_BODY
    );
    assert_eq!(transport.agent().config().max_redirects(), 0);
    assert!(!transport.agent().config().http_status_as_error());
    let debug = format!("{transport:?}");
    assert!(debug.starts_with("UreqTransport {"), "{debug}");
}

//! Both transports of the workspace pass the conformance suite, async and blocking.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "testkit")]

use std::time::Duration;

use oauth1_server::testkit;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reqwest_async_passes() {
    let transport = oauth1_transport_reqwest::ReqwestTransport::new();
    let report = tokio::time::timeout(Duration::from_secs(60), testkit::run_async(&transport))
        .await
        .expect("the suite finishes in time")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.passed.len(), 9, "{report}");
}

#[test]
fn reqwest_blocking_passes() {
    let transport = oauth1_transport_reqwest::BlockingReqwestTransport::new();
    let report = testkit::run_blocking(&transport).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.passed.len(), 9, "{report}");
}

#[test]
fn ureq_passes() {
    let transport = oauth1_transport_ureq::UreqTransport::new();
    let report = testkit::run_blocking(&transport).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.passed.len(), 9, "{report}");
}

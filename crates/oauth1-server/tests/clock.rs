//! One injected time source (issue 19): the local provider on a [`ManualClock`], and the
//! client's [`Stamp`](oauth1_flow::Stamp) reading the same clock. Request-token expiry, the
//! timestamp window and the `Date` header are tested by advancing the clock, never by sleeping;
//! every wait on the network is bounded (5 s). The sweep's own tests are in
//! `src/local/tests.rs` (it is not visible to a client: an expired token is refused either way).
#![cfg(feature = "testkit")]
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use oauth1_flow::{Callback, Error, Flow, GenericProvider, ProviderError, RequestToken, Step};
use oauth1_server::testkit::provider_of;
use oauth1_server::{Clock, LocalProvider, LocalProviderConfig, ManualClock};
use oauth1_transport_reqwest::ReqwestTransport;
use support::{codes, send};

/// Where the tests' clock starts: 2023-11-14 22:13:20 UTC.
const T0: u64 = 1_700_000_000;

/// A stamp on `clock`: numbered nonces, the clock's time.
fn stamp_on(clock: &ManualClock) -> impl Fn() -> (String, u64) + Send + Sync + 'static {
    let clock = clock.clone();
    let count = Arc::new(AtomicU64::new(0));
    move || {
        let n = count.fetch_add(1, Ordering::SeqCst);
        (format!("clock-test-{n}"), clock.now())
    }
}

/// A provider on `clock` (auto-approve on), and a flow whose stamp reads the same clock.
async fn provider_on(clock: &ManualClock) -> (LocalProvider, Flow<GenericProvider>) {
    let provider = LocalProvider::start_with(
        LocalProviderConfig::default()
            .auto_approve(true)
            .clock(clock.clone()),
    )
    .await
    .unwrap();
    let flow = Flow::new(provider_of(&provider), provider.client())
        .unwrap()
        .stamp(stamp_on(clock));
    (provider, flow)
}

/// The authorize page of `rt` (auto-approve: the PIN page, or the invalid-token page).
async fn authorize(
    t: &ReqwestTransport,
    flow: &Flow<GenericProvider>,
    rt: &RequestToken,
) -> http::Response<Vec<u8>> {
    let url = rt.authorize_url(flow, &[]).unwrap();
    send(t, http::Request::get(url).body(Vec::new()).unwrap()).await
}

/// The PIN on an authorize page.
fn pin_of(page: &http::Response<Vec<u8>>) -> String {
    let html = String::from_utf8_lossy(page.body());
    html.split("<code id=\"pin\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or_else(|| panic!("no PIN: {html}"))
        .to_owned()
}

/// The provider's refusal in `e`, at `step`.
fn refusal(e: &Error, step: Step) -> &ProviderError {
    match e {
        Error::Provider { step: s, error } if *s == step => error,
        other => panic!("not a refusal at {step:?}: {other}"),
    }
}

#[tokio::test]
async fn a_request_token_works_until_its_lifetime_on_the_providers_clock() {
    let clock = ManualClock::new(T0);
    let (provider, flow) = provider_on(&clock).await;
    let t = ReqwestTransport::new();
    let rt = flow.request_token(&t, Callback::Oob).await.unwrap();
    // One second before it expires: approved, and exchanged.
    clock.advance(599);
    let page = authorize(&t, &flow, &rt).await;
    assert_eq!(page.status(), 200);
    let verifier = rt.verifier_from_pin(&pin_of(&page)).unwrap();
    let access = flow.access_token(&t, &verifier).await.unwrap();
    assert_eq!(access.field("screen_name"), Some("alice"));
    provider.shutdown().await;
}

#[tokio::test]
async fn an_expired_request_token_cannot_be_approved() {
    let clock = ManualClock::new(T0);
    let (provider, flow) = provider_on(&clock).await;
    let t = ReqwestTransport::new();
    let rt = flow.request_token(&t, Callback::Oob).await.unwrap();
    clock.advance(601);
    let page = authorize(&t, &flow, &rt).await;
    assert_eq!(page.status(), 400);
    let html = String::from_utf8_lossy(page.body());
    assert!(html.contains("Invalid request token"), "{html}");
    assert!(!html.contains("id=\"pin\""), "{html}");
    // Nor exchanged: it was never approved, and it is gone.
    let e = flow
        .access_token(&t, &rt.verifier_from_pin("0000000").unwrap())
        .await
        .unwrap_err();
    let refused = refusal(&e, Step::AccessToken);
    assert_eq!(refused.status, 401);
    assert_eq!(refused.oauth_problem_name(), Some("token_rejected"));
    provider.shutdown().await;
}

#[tokio::test]
async fn an_approved_request_token_cannot_be_exchanged_once_expired() {
    let clock = ManualClock::new(T0);
    let (provider, flow) = provider_on(&clock).await;
    let t = ReqwestTransport::new();
    let rt = flow.request_token(&t, Callback::Oob).await.unwrap();
    clock.advance(10);
    let page = authorize(&t, &flow, &rt).await;
    let verifier = rt.verifier_from_pin(&pin_of(&page)).unwrap();
    // The user approved in time; the application comes back 601 s after the token was issued.
    clock.advance(591);
    let e = flow.access_token(&t, &verifier).await.unwrap_err();
    let refused = refusal(&e, Step::AccessToken);
    assert_eq!(refused.status, 401);
    assert_eq!(
        refused.codes.iter().map(|c| c.code).collect::<Vec<_>>(),
        [89]
    );
    assert_eq!(refused.oauth_problem_name(), Some("token_rejected"));
    // Not a clock problem: the request's timestamp was the provider's own time.
    assert!(!refused.is_stale_timestamp());
    provider.shutdown().await;
}

#[tokio::test]
async fn the_timestamp_window_is_300_seconds_either_side_of_the_providers_clock() {
    let clock = ManualClock::new(T0);
    let (provider, flow) = provider_on(&clock).await;
    let t = ReqwestTransport::new();
    let rt = flow.request_token(&t, Callback::Oob).await.unwrap();
    let page = authorize(&t, &flow, &rt).await;
    let verifier = rt.verifier_from_pin(&pin_of(&page)).unwrap();
    let access = flow.access_token(&t, &verifier).await.unwrap();
    // The provider's clock has moved on; the client signs on the same clock (the flow's stamp),
    // shifted by its clock offset.
    clock.advance(3_600);
    let now = clock.now();
    let client = flow.signed_client(t.clone(), &access).unwrap();
    let url = provider.url("/1.1/account/verify_credentials.json");
    for skew in [-300, 0, 300] {
        client.set_clock_offset(skew);
        assert_eq!(
            client.timestamp_now().unwrap(),
            now.saturating_add_signed(skew)
        );
        let response = client
            .send(client.prepare_get(&url, &[]).unwrap())
            .await
            .unwrap();
        let body = String::from_utf8_lossy(response.body()).into_owned();
        assert_eq!(response.status(), 200, "signed at now{skew:+}: {body}");
    }
    for skew in [-301, 301] {
        client.set_clock_offset(skew);
        let response = client
            .send(client.prepare_get(&url, &[]).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "signed at now{skew:+}");
        assert_eq!(codes(&response), [135]);
        let refused = client.check(response).unwrap_err();
        let refused = refusal(&refused, Step::Resource);
        assert_eq!(refused.oauth_problem_name(), Some("timestamp_refused"));
        assert!(refused.is_stale_timestamp());
        assert_eq!(refused.acceptable_timestamps, Some((now - 300, now + 300)));
    }
    // A request signed at one time and sent when the provider's clock is 301 s later.
    client.set_clock_offset(0);
    let mut request = client.prepare_get(&url, &[]).unwrap();
    client.sign(&mut request, false).unwrap();
    clock.advance(301);
    let response = send(&t, request).await;
    assert_eq!(response.status(), 401);
    assert_eq!(codes(&response), [135]);
    provider.shutdown().await;
}

#[tokio::test]
async fn a_signed_client_with_a_fixed_stamp_is_accepted_at_that_time() {
    let clock = ManualClock::new(T0);
    let (provider, flow) = provider_on(&clock).await;
    let t = ReqwestTransport::new();
    let rt = flow.request_token(&t, Callback::Oob).await.unwrap();
    let page = authorize(&t, &flow, &rt).await;
    let verifier = rt.verifier_from_pin(&pin_of(&page)).unwrap();
    let access = flow.access_token(&t, &verifier).await.unwrap();
    let url = provider.url("/1.1/account/verify_credentials.json");
    let client = flow
        .signed_client(t.clone(), &access)
        .unwrap()
        .stamp(|| ("a-fixed-nonce".to_owned(), T0 + 1_000));
    // The provider at T0: 1,000 s in the future.
    let response = client
        .send(client.prepare_get(&url, &[]).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(codes(&response), [135]);
    // The provider at T0 + 1,000: the same stamp is now.
    clock.set(T0 + 1_000);
    let response = client
        .send(client.prepare_get(&url, &[]).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // The same nonce a second time: a replay.
    let response = client
        .send(client.prepare_get(&url, &[]).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let refused = client.check(response).unwrap_err();
    assert_eq!(
        refusal(&refused, Step::Resource).oauth_problem_name(),
        Some("nonce_used")
    );
    provider.shutdown().await;
}

#[tokio::test]
async fn the_date_header_is_the_providers_clock() {
    let clock = ManualClock::new(784_111_777);
    let (provider, _) = provider_on(&clock).await;
    let t = ReqwestTransport::new();
    let date = |r: &http::Response<Vec<u8>>| r.headers()["date"].to_str().unwrap().to_owned();
    let get = || {
        http::Request::get(format!("{}?oauth_token=unknown", provider.authorize_url()))
            .body(Vec::new())
            .unwrap()
    };
    assert_eq!(
        date(&send(&t, get()).await),
        "Sun, 06 Nov 1994 08:49:37 GMT"
    );
    clock.advance(86_400 + 60);
    assert_eq!(
        date(&send(&t, get()).await),
        "Mon, 07 Nov 1994 08:50:37 GMT"
    );
    provider.shutdown().await;
}

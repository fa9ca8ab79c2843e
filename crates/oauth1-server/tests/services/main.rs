//! The local provider playing each service (`Service`), over real loopback HTTP: the flow the
//! service runs succeeds when the client follows its rules, and each rule refuses the request
//! that breaks it with the service's status and error shape. Clients are oauth1-core's signer
//! and oauth1-flow's `Flow` over a `GenericProvider` built from the provider's endpoints.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod commerce;
mod netsuite;
mod three_legged;

use oauth1_core::{AnyMethod, ClientCredentials, OAuthParams, Placement, Signer, TokenCredentials};
use oauth1_flow::{AccessToken, Callback, Flow, GenericProvider, GenericProviderBuilder};
use oauth1_server::{LocalProvider, LocalProviderConfig, Service};
use oauth1_transport_reqwest::ReqwestTransport;

pub use support::send;

/// Starts a provider playing `service`, approving at once.
pub async fn start(service: Service, config: LocalProviderConfig) -> LocalProvider {
    LocalProvider::start_with(config.service(service).auto_approve(true))
        .await
        .unwrap()
}

/// A `GenericProvider` for the provider's endpoints, methods and first signature method.
pub fn generic(p: &LocalProvider) -> GenericProviderBuilder {
    let s = p.service();
    let mut b = GenericProvider::builder(
        p.request_token_url(),
        p.authorize_url(),
        p.access_token_url(),
    );
    if let Some(m) = s.request_token_method() {
        b = b.request_token_method(m);
    }
    if let Some(m) = s.access_token_method() {
        b = b.access_token_method(m);
    }
    b.signature_method(s.signature_methods()[0])
}

/// Seconds since the epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A fresh nonce.
pub fn nonce() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "nonce-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The whole dance through the authorization page (auto-approve, `oob`): the PIN the page
/// shows is the verifier.
pub async fn dance(
    flow: &Flow<GenericProvider>,
    t: &ReqwestTransport,
    authorize: &[(&str, &str)],
) -> AccessToken {
    let rt = flow.request_token(t, Callback::Oob).await.unwrap();
    let url = rt.authorize_url(flow, authorize).unwrap();
    let page = send(t, http::Request::get(url).body(Vec::new()).unwrap()).await;
    let html = String::from_utf8(page.into_body()).unwrap();
    let pin = html
        .split("<code id=\"pin\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or_else(|| panic!("no PIN: {html}"));
    let verifier = rt.verifier_from_pin(pin).unwrap();
    flow.access_token(t, &verifier).await.unwrap()
}

/// A request signed by hand: `method` with `client` (and `token`) in `placement`.
#[allow(clippy::too_many_arguments)]
pub fn signed(
    http_method: &str,
    url: &str,
    signature: AnyMethod,
    client: &ClientCredentials,
    token: Option<&TokenCredentials>,
    placement: Placement,
    oauth: &OAuthParams<'_>,
    form: Option<&str>,
) -> http::Request<Vec<u8>> {
    let mut builder = http::Request::builder().method(http_method).uri(url);
    if form.is_some() {
        builder = builder.header("content-type", "application/x-www-form-urlencoded");
    }
    let mut request = builder
        .body(form.unwrap_or_default().as_bytes().to_vec())
        .unwrap();
    Signer::new(signature, client, token)
        .unwrap()
        .sign_http(&mut request, placement, oauth)
        .unwrap();
    request
}

/// The body as JSON.
pub fn json(r: &http::Response<Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(r.body())
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(r.body())))
}

/// The body as text.
pub fn text(r: &http::Response<Vec<u8>>) -> String {
    String::from_utf8_lossy(r.body()).into_owned()
}

/// Asserts that `r` is a refusal with this status and `oauth_problem`.
#[track_caller]
pub fn refused(r: &http::Response<Vec<u8>>, status: u16, oauth_problem: &str) {
    assert_eq!(
        (r.status().as_u16(), problem(r).as_str()),
        (status, oauth_problem)
    );
}

/// `url` without the provider's base URL: the path of one of its endpoints, to compare with the
/// service's documentation.
pub fn path<'a>(p: &LocalProvider, url: &'a str) -> &'a str {
    url.strip_prefix(p.base_url()).unwrap_or(url)
}

/// `oauth_problem` of an OAuth Problem Reporting body.
pub fn problem(r: &http::Response<Vec<u8>>) -> String {
    oauth1_core::encode::form_decode_str(&text(r))
        .unwrap_or_default()
        .into_iter()
        .find(|(n, _)| n == "oauth_problem")
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no oauth_problem: {}", text(r)))
}

#[test]
fn every_service_has_a_name_and_its_paths() {
    assert_eq!(Service::names().len(), 13);
    for name in Service::names() {
        let s = Service::by_name(name).unwrap();
        assert_eq!(s.name(), *name);
        assert!(s.resource_path().starts_with('/'));
        assert!(!s.signature_methods().is_empty());
    }
    assert_eq!(Service::by_name("NetSuite").unwrap().name(), "netsuite");
    assert!(Service::by_name("myspace").is_none());
    assert_eq!(Service::default(), Service::twitter());
    let ns = Service::netsuite("1234567_SB1");
    assert_eq!(ns, Service::netsuite("1234567-sb1"));
    assert_eq!(
        ns.hosts(),
        [
            "1234567-sb1.restlets.api.netsuite.com",
            "1234567-sb1.app.netsuite.com",
            "1234567-sb1.suitetalk.api.netsuite.com"
        ]
    );
}

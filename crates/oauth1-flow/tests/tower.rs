//! `SignLayer` in front of a tower service that verifies what reaches it as a provider would
//! (oauth1-core's `Received`): every body type, every placement, the realm, and the errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::convert::Infallible;

use oauth1_core::{NonceUse, Policy, Received, SignableBody};
use oauth1_flow::{
    ClientCredentials, HmacSha1, Placement, Secret, SignLayer, Signer, TokenCredentials,
};
use tower::{Layer, Service, ServiceExt};

fn signer() -> Signer<HmacSha1> {
    Signer::new(
        HmacSha1,
        &ClientCredentials::new("ck", "cs"),
        Some(&TokenCredentials::new("tk", "ts")),
    )
    .unwrap()
}

/// The provider's check of a received request's signature at `now` (the test's secrets).
fn check(received: &Received, now: u64) -> Result<(), oauth1_core::Error> {
    received
        .verify_with_secrets(
            &HmacSha1,
            &Secret::new("cs"),
            Some(&Secret::new("ts")),
            &Policy::new(now),
            &mut |_: &NonceUse<'_>| true,
        )
        .map(|_| ())
}

/// What the provider would say of the request: its realm and the form it finally carries, if
/// the signature holds (at the current time).
fn verify<B: AsRef<[u8]>>(request: &http::Request<B>) -> Result<(Option<String>, Vec<u8>), String> {
    let received =
        Received::parse_http(request, "https").map_err(|e| oauth1_core::Chain(&e).to_string())?;
    let now = received.timestamp().unwrap().parse().unwrap();
    check(&received, now).map_err(|e| oauth1_core::Chain(&e).to_string())?;
    Ok((
        received.realm().map(str::to_owned),
        request.body().as_ref().to_vec(),
    ))
}

async fn through<B>(
    layer: &SignLayer<HmacSha1>,
    request: http::Request<B>,
) -> Result<(Option<String>, Vec<u8>), String>
where
    B: SignableBody + AsRef<[u8]> + Send + 'static,
{
    let provider = tower::service_fn(|request: http::Request<B>| async move {
        Ok::<_, Infallible>(verify(&request))
    });
    let mut service = layer.layer(provider);
    service
        .ready()
        .await
        .map_err(|e| oauth1_core::Chain(&*e).to_string())?
        .call(request)
        .await
        .map_err(|e| oauth1_core::Chain(&*e).to_string())?
}

fn form<B: From<&'static str>>() -> http::Request<B> {
    http::Request::post("https://api.example.com/1.1/statuses/update.json?a=1")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(B::from("status=caf%C3%A9+%26+more"))
        .unwrap()
}

#[tokio::test]
async fn every_body_type_and_placement_verifies() {
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let layer = SignLayer::new(signer()).placement(placement);
        let (_, body) = through(&layer, form::<Vec<u8>>()).await.unwrap();
        assert!(
            body.starts_with(b"status=caf%C3%A9+%26+more"),
            "{placement:?}"
        );
        through(&layer, form::<String>()).await.unwrap();
        through(&layer, form::<bytes::Bytes>()).await.unwrap();
    }
}

#[tokio::test]
async fn the_realm_is_sent() {
    let layer = SignLayer::new(signer()).realm("https://api.example.com/");
    let (realm, _) = through(&layer, form::<String>()).await.unwrap();
    assert_eq!(realm.as_deref(), Some("https://api.example.com/"));
}

#[tokio::test]
async fn what_cannot_be_signed_is_an_error_and_never_reaches_the_service() {
    // Body placement with a JSON body: the signer's error, boxed; the service is not called.
    let layer = SignLayer::new(signer()).placement(Placement::Body);
    let json = http::Request::post("https://api.example.com/2/tweets")
        .header("content-type", "application/json")
        .body(String::from("{\"text\":\"hi\"}"))
        .unwrap();
    let error = through(&layer, json).await.unwrap_err();
    assert!(error.contains("form"), "{error}");
    // A relative URI: there is no URL to sign.
    let relative = http::Request::get("/items").body(Vec::new()).unwrap();
    let error = through(&SignLayer::new(signer()), relative)
        .await
        .unwrap_err();
    assert!(error.contains("host"), "{error}");
}

#[tokio::test]
async fn a_changed_request_fails_at_the_provider() {
    // The signature covers the form: a service that alters it after signing is caught.
    let layer = SignLayer::new(signer());
    let tamper = tower::service_fn(|mut request: http::Request<Vec<u8>>| async move {
        request.body_mut().extend_from_slice(b"&extra=1");
        Ok::<_, Infallible>(verify(&request))
    });
    let verdict = layer
        .layer(tamper)
        .oneshot(form::<Vec<u8>>())
        .await
        .unwrap();
    assert!(verdict.unwrap_err().contains("signature"));
}

/// The body hyper clients are given, `Full<Bytes>`, is signed as the others are.
#[tokio::test]
async fn a_full_body_is_signed_too() {
    type Full = http_body_util::Full<bytes::Bytes>;
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let provider = tower::service_fn(|request: http::Request<Full>| async move {
            let request = request.map(|body| body.into_inner().unwrap_or_default());
            Ok::<_, Infallible>(verify(&request))
        });
        let verdict = SignLayer::new(signer())
            .placement(placement)
            .layer(provider)
            .oneshot(form::<Full>())
            .await
            .unwrap();
        let (_, body) = verdict.unwrap_or_else(|e| panic!("{placement:?}: {e}"));
        assert!(
            body.starts_with(b"status=caf%C3%A9+%26+more"),
            "{placement:?}"
        );
    }
}

/// The layer takes the same `Stamp` as a flow: a fixed one gives that nonce and timestamp, and
/// the provider accepts the request at that time and refuses it 301 s later.
#[tokio::test]
async fn a_fixed_stamp_signs_with_its_nonce_and_timestamp() {
    const AT: u64 = 1_700_000_000;
    let layer = SignLayer::new(signer()).stamp(|| ("fixednonce123".to_owned(), AT));
    let provider = tower::service_fn(|request: http::Request<Vec<u8>>| async move {
        let received = Received::parse_http(&request, "https").unwrap();
        let stamp = (
            received.nonce().map(str::to_owned),
            received.timestamp().map(str::to_owned),
        );
        let verdict = |now: u64| check(&received, now).is_ok();
        Ok::<_, Infallible>((stamp, verdict(AT), verdict(AT + 301)))
    });
    let request = http::Request::get("https://api.example.com/items?page=2")
        .body(Vec::new())
        .unwrap();
    let (stamp, at, later) = layer.layer(provider).oneshot(request).await.unwrap();
    assert_eq!(
        stamp,
        (Some("fixednonce123".to_owned()), Some(AT.to_string()))
    );
    assert!(at, "accepted at the stamp's time");
    assert!(!later, "refused 301 s later");
}

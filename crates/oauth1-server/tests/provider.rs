//! The local provider over real loopback HTTP: the page, the failures and their Twitter codes.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{codes, send};

use std::time::Duration;

use oauth1_core::{
    ClientCredentials, HmacSha1, OAuthParams, Placement, Secret, Signer, TokenCredentials,
};
use oauth1_flow::{Callback, Error, Flow, GenericProvider};
use oauth1_server::{testkit::provider_of, LocalProvider, LocalProviderConfig};
use oauth1_transport_reqwest::ReqwestTransport;

fn signed(
    method: &str,
    url: &str,
    client: &ClientCredentials,
    token: Option<&TokenCredentials>,
    oauth: &OAuthParams<'_>,
) -> http::Request<Vec<u8>> {
    let mut request = http::Request::builder()
        .method(method)
        .uri(url)
        .body(Vec::new())
        .unwrap();
    Signer::new(HmacSha1, client, token)
        .unwrap()
        .sign_http(&mut request, Placement::Header, oauth)
        .unwrap();
    request
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn failures_have_twitter_codes() {
    let provider = LocalProvider::start().await.unwrap();
    let t = ReqwestTransport::new();
    let client = provider.client();
    let url = provider.request_token_url();

    // Not signed at all: 215, 400.
    let r = send(&t, http::Request::post(&url).body(Vec::new()).unwrap()).await;
    assert_eq!((r.status().as_u16(), codes(&r)), (400, vec![215]));

    // A stale timestamp: 135, with a Date header to compute the skew from.
    let old = OAuthParams::new("n-old", now() - 3600).callback("oob");
    let r = send(&t, signed("POST", &url, &client, None, &old)).await;
    assert_eq!((r.status().as_u16(), codes(&r)), (401, vec![135]));
    assert!(r.headers().contains_key(http::header::DATE));
    // ... and the range it would have accepted, in the challenge (OAuth Problem Reporting).
    let error = oauth1_flow::ProviderError::parse(r.status(), r.headers(), r.body());
    assert!(error.is_stale_timestamp(), "{error}");
    let (from, to) = error
        .acceptable_timestamps
        .expect("oauth_acceptable_timestamps");
    let window = oauth1_core::verify::DEFAULT_WINDOW;
    assert!(
        to - from == 2 * window && (from..=to).contains(&now()),
        "{from}-{to}"
    );
    assert!(!(from..=to).contains(&(now() - 3600)));
    assert!(error
        .to_string()
        .contains(&format!("accepts timestamps {from} to {to}")));

    // A wrong secret: 32.
    let wrong = ClientCredentials::new(client.key(), "nope");
    let fresh = OAuthParams::new("n-wrong", now()).callback("oob");
    let r = send(&t, signed("POST", &url, &wrong, None, &fresh)).await;
    assert_eq!((r.status().as_u16(), codes(&r)), (401, vec![32]));

    // An unknown consumer: 32.
    let stranger = ClientCredentials::new("who", "ever");
    let r = send(&t, signed("POST", &url, &stranger, None, &fresh)).await;
    assert_eq!(codes(&r), vec![32]);

    // A replayed request: the second one is refused.
    let once = OAuthParams::new("n-once", now()).callback("oob");
    let request = signed("POST", &url, &client, None, &once);
    let again = request.clone();
    assert_eq!(send(&t, request).await.status(), 200);
    let r = send(&t, again).await;
    assert_eq!((r.status().as_u16(), codes(&r)), (401, vec![32]));

    // No callback: refused (OAuth 1.0a requires it).
    let no_callback = OAuthParams::new("n-nocb", now());
    let r = send(&t, signed("POST", &url, &client, None, &no_callback)).await;
    assert_eq!(r.status(), 400);

    // An unknown token on a resource: 89.
    let ghost = TokenCredentials::new("ghost", "s");
    let r = send(
        &t,
        signed(
            "GET",
            &provider.url("/1.1/account/verify_credentials.json"),
            &client,
            Some(&ghost),
            &OAuthParams::new("n-ghost", now()),
        ),
    )
    .await;
    assert_eq!((r.status().as_u16(), codes(&r)), (401, vec![89]));

    // Unknown path: 404, code 34.
    let r = send(
        &t,
        http::Request::get(provider.url("/nope"))
            .body(Vec::new())
            .unwrap(),
    )
    .await;
    assert_eq!((r.status().as_u16(), codes(&r)), (404, vec![34]));
    provider.shutdown().await;
}

#[tokio::test]
async fn request_tokens_are_single_use_and_need_the_verifier() {
    let provider = LocalProvider::start().await.unwrap();
    let t = ReqwestTransport::new();
    let flow = Flow::new(provider_of(&provider), provider.client()).unwrap();

    // A request token used as an access token on a resource: 89.
    let rt = flow.request_token(&t, Callback::Oob).await.unwrap();
    let pin = support::pin(&t, &flow, &rt).await;

    // A wrong verifier: refused, and the request token is gone (single use).
    let wrong = rt.verifier_from_pin("not-the-pin").unwrap();
    let e = flow.access_token(&t, &wrong).await.unwrap_err();
    assert!(
        matches!(&e, Error::Provider { error, .. } if error.status == 401
            && error.oauth.as_ref().is_some_and(|p| p.problem == "verifier_invalid")),
        "{e}"
    );
    let right = rt.verifier_from_pin(&pin).unwrap();
    let e = flow.access_token(&t, &right).await.unwrap_err();
    assert!(
        matches!(&e, Error::Provider { error, .. } if error.codes.iter().any(|c| c.code == 89)),
        "{e}"
    );

    // A fresh one works once, not twice.
    let rt = flow.request_token(&t, Callback::Oob).await.unwrap();
    let pin = support::pin(&t, &flow, &rt).await;
    let verifier = rt.verifier_from_pin(&pin).unwrap();
    flow.access_token(&t, &verifier).await.unwrap();
    assert!(flow.access_token(&t, &verifier).await.is_err());

    // Not authorized yet: refused.
    let rt = flow.request_token(&t, Callback::Oob).await.unwrap();
    let unapproved = rt.verifier_from_pin("guess").unwrap();
    let e = flow.access_token(&t, &unapproved).await.unwrap_err();
    assert!(
        matches!(&e, Error::Provider { error, .. }
            if error.oauth.as_ref().is_some_and(|p| p.problem == "permission_unknown")),
        "{e}"
    );
    provider.shutdown().await;
}

/// The CSRF token in the authorize page's form.
fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no CSRF field: {html}"))
        .to_owned()
}

#[tokio::test]
async fn the_authorize_page_has_allow_and_deny() {
    let provider = LocalProvider::start_with(LocalProviderConfig::default())
        .await
        .unwrap();
    let t = ReqwestTransport::new();
    let flow = Flow::new(provider_of(&provider), provider.client()).unwrap();
    let callback = "http://127.0.0.1:9/cb?keep=1";

    let rt = flow
        .request_token(&t, Callback::Url(callback.into()))
        .await
        .unwrap();
    let page = send(
        &t,
        http::Request::get(rt.authorize_url(&flow, &[]).unwrap())
            .body(Vec::new())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status(), 200);
    let html = String::from_utf8(page.into_body()).unwrap();
    assert!(
        html.contains("id=\"allow\"") && html.contains("id=\"deny\""),
        "{html}"
    );
    assert!(html.contains(rt.token()));
    let csrf = csrf_of(&html);

    // Allow: a redirect to the callback, its own query kept, with token and verifier.
    let allow = format!(
        "oauth_token={}&decision=allow&csrf_token={csrf}",
        rt.token()
    );
    let r = send(
        &t,
        http::Request::post(provider.authorize_url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(allow.into_bytes())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("http://127.0.0.1:9/cb?keep=1&oauth_token="),
        "{location}"
    );
    let verifier = rt.verifier_from_callback(&location).unwrap();
    let access = flow.access_token(&t, &verifier).await.unwrap();
    assert_eq!(access.field("screen_name"), Some("alice"));

    // Deny: a redirect with `denied=`, which the flow reports as such.
    let rt = flow
        .request_token(&t, Callback::Url(callback.into()))
        .await
        .unwrap();
    let page = send(
        &t,
        http::Request::get(rt.authorize_url(&flow, &[]).unwrap())
            .body(Vec::new())
            .unwrap(),
    )
    .await;
    let csrf = csrf_of(&String::from_utf8(page.into_body()).unwrap());
    let deny = format!("oauth_token={}&decision=deny&csrf_token={csrf}", rt.token());
    let r = send(
        &t,
        http::Request::post(provider.authorize_url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(deny.into_bytes())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"].to_str().unwrap();
    assert!(matches!(
        rt.verifier_from_callback(location),
        Err(Error::Denied)
    ));

    // A bad token on the page: an error page, not a crash.
    let r = send(
        &t,
        http::Request::get(format!("{}?oauth_token=nope", provider.authorize_url()))
            .body(Vec::new())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), 400);
    provider.shutdown().await;
}

#[tokio::test]
async fn xauth_with_the_right_and_wrong_password() {
    let config = LocalProviderConfig::default().user("bob", "builder");
    let provider = LocalProvider::start_with(config).await.unwrap();
    let t = ReqwestTransport::new();
    let flow = Flow::new(provider_of(&provider), provider.client()).unwrap();
    let token = flow
        .xauth(&t, "bob", &Secret::new("builder"))
        .await
        .unwrap();
    assert_eq!(token.field("screen_name"), Some("bob"));
    let e = flow
        .xauth(&t, "bob", &Secret::new("Hunter2-Sekrit"))
        .await
        .unwrap_err();
    assert!(
        !format!("{e} {e:?}").contains("Hunter2-Sekrit"),
        "no password in the error: {e}"
    );
    // A provider description without xAuth refuses before sending anything.
    let no_xauth = GenericProvider::builder(
        provider.request_token_url(),
        provider.authorize_url(),
        provider.access_token_url(),
    )
    .build()
    .unwrap();
    let flow = Flow::new(no_xauth, provider.client()).unwrap();
    assert!(matches!(
        flow.xauth(&t, "bob", &Secret::new("builder")).await,
        Err(Error::XAuthNotOffered)
    ));
    provider.shutdown().await;
}

#[test]
fn background_provider_stops_on_drop() {
    let provider = LocalProvider::start_in_background(LocalProviderConfig::default()).unwrap();
    let addr = provider.addr();
    assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok());
    drop(provider);
    // The port is closed once the handle is gone.
    assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err());
}

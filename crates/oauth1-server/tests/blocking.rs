//! The blocking drivers of the flow, end to end over ureq and blocking reqwest.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_core::Secret;
use oauth1_flow::{BlockingStreamingHttpClient, Callback, Error, Flow, GenericProvider};
use oauth1_server::{testkit::provider_of, LocalProvider, LocalProviderConfig};

fn dance_blocking<C: BlockingStreamingHttpClient>(t: &C) {
    let provider =
        LocalProvider::start_in_background(LocalProviderConfig::default().auto_approve(true))
            .unwrap();
    let flow: Flow<GenericProvider> = Flow::new(provider_of(&provider), provider.client()).unwrap();

    // Callback dance.
    let rt = flow
        .request_token_blocking(t, Callback::Url("http://127.0.0.1:9/cb".into()))
        .unwrap();
    let page = t
        .send(
            http::Request::get(rt.authorize_url(&flow, &[]).unwrap())
                .body(Vec::new())
                .unwrap(),
        )
        .unwrap();
    let location = page.headers()["location"].to_str().unwrap().to_owned();
    let access = flow
        .access_token_blocking(t, &rt.verifier_from_callback(&location).unwrap())
        .unwrap();

    // Signed calls: GET, form, JSON with body hash, stream.
    let client = flow.signed_client(t, &access).unwrap();
    let r = client
        .send_blocking(
            client
                .prepare_get(&provider.url("/1.1/account/verify_credentials.json"), &[])
                .unwrap(),
        )
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = client
        .send_blocking(
            client
                .prepare_post_form(
                    &provider.url("/1.1/statuses/update.json"),
                    &[("status", "a b+c&d=é")],
                )
                .unwrap(),
        )
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
    assert_eq!(json["text"], "a b+c&d=é");
    let mut request = client
        .prepare_post_json(&provider.url("/2/tweets"), br#"{"text":"hi"}"#.to_vec())
        .unwrap();
    client.sign(&mut request, true).unwrap();
    assert!(request.headers()["authorization"]
        .to_str()
        .unwrap()
        .contains("oauth_body_hash="));
    assert_eq!(t.send(request).unwrap().status(), 201);
    let request = client
        .prepare_get(
            &provider.url("/1.1/statuses/stream.json"),
            &[("count", "3")],
        )
        .unwrap();
    let mut lines = client.stream_blocking(request, 1024).unwrap().into_body();
    let mut n = 0;
    while let Some(line) = lines.next_line_blocking().unwrap() {
        assert!(
            line.starts_with(b"{\"id\":"),
            "{}",
            String::from_utf8_lossy(&line)
        );
        n += 1;
    }
    assert_eq!(n, 3);

    // A stream that does not end, read for a while then dropped.
    let request = client
        .prepare_get(&provider.url("/1.1/statuses/stream.json"), &[])
        .unwrap();
    let mut lines = client.stream_blocking(request, 1024).unwrap().into_body();
    for _ in 0..20 {
        assert!(lines.next_line_blocking().unwrap().is_some());
    }
    drop(lines);

    // xAuth and revocation.
    let (user, password) = provider.user();
    let token = flow
        .xauth_blocking(t, user, &Secret::new(password))
        .unwrap();
    flow.invalidate_blocking(t, &token).unwrap();
    let client = flow.signed_client(t, &token).unwrap();
    let r = client
        .send_blocking(
            client
                .prepare_get(&provider.url("/1.1/account/verify_credentials.json"), &[])
                .unwrap(),
        )
        .unwrap();
    let e = client.check(r).unwrap_err();
    assert!(
        matches!(&e, Error::Provider { error, .. } if error.codes[0].code == 89),
        "{e}"
    );

    // Out of band.
    let rt = flow.request_token_blocking(t, Callback::Oob).unwrap();
    let page = t
        .send(
            http::Request::get(rt.authorize_url(&flow, &[]).unwrap())
                .body(Vec::new())
                .unwrap(),
        )
        .unwrap();
    let html = String::from_utf8(page.into_body()).unwrap();
    let pin = html
        .split("<code id=\"pin\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    flow.access_token_blocking(t, &rt.verifier_from_pin(pin).unwrap())
        .unwrap();
}

#[test]
fn ureq() {
    dance_blocking(&oauth1_transport_ureq::UreqTransport::new());
}

#[test]
fn reqwest_blocking() {
    dance_blocking(&oauth1_transport_reqwest::BlockingReqwestTransport::new());
}

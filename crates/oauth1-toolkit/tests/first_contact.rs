//! The three programs of the crate documentation, against the local provider on 127.0.0.1 with
//! nothing but this crate's root: a form POST signed through reqwest, the PIN dance with the
//! token saved to a file and loaded back, and a header for an HTTP client of one's own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};

use oauth1_server::testkit::provider_of;
use oauth1_server::LocalProvider;
use oauth1_toolkit::{
    AccessToken, Callback, Flow, HmacSha1, HttpClient, OAuth1RequestBuilderExt, OAuthParams,
    Request, ReqwestTransport, Secret, Signer,
};

/// An access token from the local provider (xAuth, its default user).
async fn access_token(provider: &LocalProvider) -> AccessToken {
    let flow = Flow::new(provider_of(provider), provider.client()).unwrap();
    let (user, password) = provider.user();
    flow.xauth(&ReqwestTransport::new(), user, &Secret::new(password))
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_and_send_a_form_post_with_reqwest() {
    let provider = LocalProvider::start().await.unwrap();
    let token = access_token(&provider).await;
    // The program, with the provider's URL and credentials.
    let client = provider.client();
    let keys = (client.key(), client.secret().secret());
    let signer = Signer::hmac_sha1(keys, (token.token(), token.secret().secret())).unwrap();
    let http = oauth1_toolkit::reqwest_client().unwrap();
    let url = provider.url("/1.1/statuses/update.json");
    let request = http
        .post(&url)
        .form(&[("status", "hi & ünïcode + more")])
        .oauth1(&signer)
        .unwrap();
    let reply = request.send().await.unwrap();
    assert_eq!(reply.status(), 200);
    let json: serde_json::Value = serde_json::from_str(&reply.text().await.unwrap()).unwrap();
    assert_eq!(json["text"], "hi & ünïcode + more");
}

#[tokio::test]
async fn the_pin_dance_with_the_token_saved() {
    let provider = LocalProvider::start().await.unwrap();
    let dir = std::env::temp_dir().join(format!("oauth1-toolkit-{}", std::process::id()));
    let path = dir.join("token.json");
    // The program, with the Twitter preset at the local provider's address (it speaks
    // Twitter's paths); the PIN comes from the authorize page (auto-approve), not a person.
    let twitter = oauth1_provider_twitter::Twitter::with_base(provider.base_url());
    let flow = Flow::new(twitter, provider.client()).unwrap();
    let transport = ReqwestTransport::new();
    let request_token = flow.request_token(&transport, Callback::Oob).await.unwrap();
    let page = transport
        .send(http_get(&request_token.authorize_url(&flow, &[]).unwrap()))
        .await
        .unwrap();
    let html = String::from_utf8(page.into_body()).unwrap();
    let pin = html
        .split("<code id=\"pin\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap();
    let verifier = request_token.verifier_from_pin(pin.trim()).unwrap();
    let token = flow.access_token(&transport, &verifier).await.unwrap();
    token.save(&path).unwrap();

    // The next run loads it, and it signs.
    let loaded = AccessToken::load(&path).unwrap();
    assert_eq!(loaded.token(), token.token());
    let client = flow.signed_client(transport, &loaded).unwrap();
    let request = client
        .prepare_get(&provider.url("/1.1/account/verify_credentials.json"), &[])
        .unwrap();
    let response = client.send(request).await.unwrap();
    assert_eq!(response.status(), 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn http_get(url: &str) -> oauth1_toolkit::http::Request<Vec<u8>> {
    oauth1_toolkit::http::Request::get(url)
        .body(Vec::new())
        .unwrap()
}

#[tokio::test]
async fn a_header_for_an_http_client_of_ones_own() {
    let provider = LocalProvider::start().await.unwrap();
    let token = access_token(&provider).await;
    let url = provider.url("/1.1/account/verify_credentials.json?include_email=false");
    // The program.
    let signer = Signer::new(HmacSha1, &provider.client(), Some(&token.credentials())).unwrap();
    let request = Request::new("GET", &url);
    let header = signer
        .authorization(&request, &OAuthParams::fresh().unwrap())
        .unwrap();
    // "Any HTTP client": HTTP/1.1 written by hand on a socket.
    let addr = provider.addr();
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET /1.1/account/verify_credentials.json?include_email=false HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {header}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"screen_name\":\"alice\""), "{answer}");
}

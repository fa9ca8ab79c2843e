//! WooCommerce (one-legged, query string) and Magento 2 (activation, issued tokens).

use std::sync::{Arc, Mutex};

use axum::routing::post;
use axum::Router;
use oauth1_core::{AnyMethod, ClientCredentials, OAuthParams, Placement, TokenCredentials};
use oauth1_flow::{Callback, Flow};
use oauth1_server::{LocalProviderConfig, Service};
use oauth1_transport_reqwest::ReqwestTransport;

use super::{generic, json, nonce, now, path, refused, send, signed, start, support};

fn woo_error(r: &http::Response<Vec<u8>>, status: u16, message: &str) {
    assert_eq!(r.status(), status, "{}", super::text(r));
    let body = json(r);
    assert_eq!(body["code"], "woocommerce_rest_authentication_error");
    assert_eq!(body["data"]["status"], status);
    assert_eq!(body["message"], message, "{body}");
}

#[tokio::test]
async fn woocommerce_is_one_legged_in_the_query() {
    let config = LocalProviderConfig::default().client("ck_local", "cs_local");
    let p = start(Service::woocommerce(), config).await;
    assert_eq!(path(&p, &p.resource_url()), "/wp-json/wc/v3/products");
    let t = ReqwestTransport::new();
    let provider = generic(&p)
        .placement(Placement::Query)
        .signature_method("HMAC-SHA256")
        .build()
        .unwrap();
    let flow = Flow::new(provider, ClientCredentials::new("ck_local", "cs_local")).unwrap();
    let client = flow.consumer_client(ReqwestTransport::new()).unwrap();
    let r = client
        .send(
            client
                .prepare_get(&p.resource_url(), &[("per_page", "10")])
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", super::text(&r));
    assert_eq!(json(&r)[0]["name"], "Local product");

    let url = p.resource_url();
    let ck = ClientCredentials::new("ck_local", "cs_local");
    let call = |method, client: &ClientCredentials, token: Option<&TokenCredentials>, placement| {
        signed(
            "GET",
            &url,
            method,
            client,
            token,
            placement,
            &OAuthParams::new(nonce(), now()),
            None,
        )
    };
    // HMAC-SHA1 in the query: accepted too.
    assert_eq!(
        send(&t, call(AnyMethod::HmacSha1, &ck, None, Placement::Query))
            .await
            .status(),
        200
    );
    // In the header: refused.
    let r = send(&t, call(AnyMethod::HmacSha1, &ck, None, Placement::Header)).await;
    assert_eq!(r.status(), 401);
    assert_eq!(json(&r)["code"], "woocommerce_rest_authentication_error");
    // A wrong secret, an unknown key, a token, PLAINTEXT.
    let wrong = ClientCredentials::new("ck_local", "cs_wrong");
    woo_error(
        &send(
            &t,
            call(AnyMethod::HmacSha1, &wrong, None, Placement::Query),
        )
        .await,
        401,
        "Invalid signature - provided signature does not match.",
    );
    let stranger = ClientCredentials::new("ck_nobody", "cs_local");
    woo_error(
        &send(
            &t,
            call(AnyMethod::HmacSha1, &stranger, None, Placement::Query),
        )
        .await,
        401,
        "Consumer key is invalid.",
    );
    let token = TokenCredentials::new("some-token", "s");
    let r = send(
        &t,
        call(AnyMethod::HmacSha1, &ck, Some(&token), Placement::Query),
    )
    .await;
    assert_eq!(r.status(), 401);
    assert_eq!(json(&r)["code"], "woocommerce_rest_authentication_error");
    woo_error(
        &send(&t, call(AnyMethod::Plaintext, &ck, None, Placement::Query)).await,
        401,
        "Invalid signature - signature method is invalid.",
    );
    // WooCommerce's window: 15 minutes either way (the provider's default is 5), then
    // "Invalid timestamp.".
    let at = |timestamp| {
        signed(
            "GET",
            &url,
            AnyMethod::HmacSha1,
            &ck,
            None,
            Placement::Query,
            &OAuthParams::new(nonce(), timestamp),
            None,
        )
    };
    for minutes in [-14, 14] {
        let r = send(&t, at(now().saturating_add_signed(minutes * 60))).await;
        assert_eq!(r.status(), 200, "{minutes} min: {}", super::text(&r));
    }
    for minutes in [-16, 16, -60] {
        let r = send(&t, at(now().saturating_add_signed(minutes * 60))).await;
        woo_error(&r, 401, "Invalid timestamp.");
    }
}

/// An integration's endpoint: keeps what the store posts.
async fn integration_endpoint() -> (support::Server, Arc<Mutex<Vec<(String, String)>>>) {
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&got);
    let router = Router::new().route(
        "/magento/activate",
        post(move |body: String| {
            let keep = Arc::clone(&keep);
            async move {
                *keep.lock().unwrap() = oauth1_core::encode::form_decode_str(&body).unwrap();
                "ok"
            }
        }),
    );
    (support::serve(router).await, got)
}

#[tokio::test]
async fn magento_activation_then_request_and_access_tokens() {
    let config = LocalProviderConfig::default()
        .client("mage-key", "mage-secret")
        .issued_token("mage-key", "mage-admin-token", "mage-admin-secret");
    let p = start(Service::magento(), config).await;
    assert_eq!(path(&p, &p.request_token_url()), "/oauth/token/request");
    assert_eq!(path(&p, &p.access_token_url()), "/oauth/token/access");
    let t = ReqwestTransport::new();
    let provider = generic(&p)
        .requires_callback_confirmed(false)
        .build()
        .unwrap();
    let flow = Flow::new(provider, ClientCredentials::new("mage-key", "mage-secret")).unwrap();

    // Not activated yet: no request token.
    let e = flow.request_token(&t, Callback::Oob).await.unwrap_err();
    assert!(
        e.to_string().contains("token_rejected") || e.to_string().contains("401"),
        "{e}"
    );

    // The store posts the consumer, its base URL and the verifier to the integration.
    let (server, got) = integration_endpoint().await;
    let status = p
        .activate_integration(&format!("{}/magento/activate", server.base))
        .await
        .unwrap();
    assert_eq!(status, 200);
    let form = got.lock().unwrap().clone();
    let field = |n: &str| {
        form.iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(field("oauth_consumer_key"), "mage-key");
    assert_eq!(field("oauth_consumer_secret"), "mage-secret");
    assert_eq!(field("store_base_url"), format!("{}/", p.base_url()));
    let verifier = field("oauth_verifier");

    // A wrong verifier: refused, problem reported (the activation stands).
    let rt = flow.request_token(&t, Callback::Oob).await.unwrap();
    let e = flow
        .access_token(&t, &rt.verifier_from_pin("wrong").unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("verifier_invalid"), "{e}");

    // Request token (no oauth_callback_confirmed), then access token with that verifier.
    let rt = flow.request_token(&t, Callback::Oob).await.unwrap();
    let token = flow
        .access_token(&t, &rt.verifier_from_pin(&verifier).unwrap())
        .await
        .unwrap();
    let client = flow.signed_client(ReqwestTransport::new(), &token).unwrap();
    let r = client
        .send(client.prepare_get(&p.resource_url(), &[]).unwrap())
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", super::text(&r));
    assert_eq!(json(&r)[0]["code"], "default");

    // Once exchanged, the consumer's token is an access token, no longer a verifier token: no
    // new request token (Magento's own words, magento/magento2 issue 2729).
    let e = flow.request_token(&t, Callback::Oob).await.unwrap_err();
    assert!(
        oauth1_core::Chain(&e)
            .to_string()
            .contains("consumer token is not a verifier token"),
        "{e}"
    );

    // The admin's token: a signed call without any dance.
    let admin = TokenCredentials::new("mage-admin-token", "mage-admin-secret");
    let ck = ClientCredentials::new("mage-key", "mage-secret");
    let oauth = OAuthParams::new(nonce(), now());
    let r = send(
        &t,
        signed(
            "GET",
            &p.resource_url(),
            AnyMethod::HmacSha256,
            &ck,
            Some(&admin),
            Placement::Header,
            &oauth,
            None,
        ),
    )
    .await;
    assert_eq!(r.status(), 200);
    // HMAC-SHA1: 400, signature_method_rejected, as a problem report.
    let oauth = OAuthParams::new(nonce(), now());
    let r = send(
        &t,
        signed(
            "GET",
            &p.resource_url(),
            AnyMethod::HmacSha1,
            &ck,
            Some(&admin),
            Placement::Header,
            &oauth,
            None,
        ),
    )
    .await;
    refused(&r, 400, "signature_method_rejected");
    // Not an http loopback endpoint.
    assert!(p
        .activate_integration("https://example.com/activate")
        .await
        .is_err());
}

#[test]
fn magento_activation_from_blocking_code() {
    use std::io::{Read, Write};

    let config = LocalProviderConfig::default()
        .client("mage-key", "mage-secret")
        .service(Service::magento());
    let p = oauth1_server::LocalProvider::start_in_background(config).unwrap();
    // A one-shot integration endpoint: reads the request, answers 204.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/activate?store=1", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&request).contains("oauth_verifier=") {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        stream
            .write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            .unwrap();
        String::from_utf8(request).unwrap()
    });
    assert_eq!(p.activate_integration(&endpoint).unwrap(), 204);
    let request = server.join().unwrap();
    assert!(
        request.starts_with("POST /activate?store=1 HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request.contains("content-type: application/x-www-form-urlencoded")
            || request.contains("Content-Type: application/x-www-form-urlencoded")
    );
    assert!(
        request.contains(
            "oauth_consumer_key=mage-key&oauth_consumer_secret=mage-secret&store_base_url="
        ),
        "{request}"
    );
    // Refused before anything is sent: not loopback, not http.
    for bad in [
        "http://192.0.2.1/activate",
        "https://127.0.0.1/activate",
        "not a url",
    ] {
        assert!(matches!(
            p.activate_integration(bad),
            Err(oauth1_server::ServerError::ActivationEndpoint(_))
        ));
    }
    // Nobody listening: the error names the endpoint, with the I/O error as its source.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let gone = format!("http://{}/activate", closed.local_addr().unwrap());
    drop(closed);
    let e = p.activate_integration(&gone).unwrap_err();
    assert!(
        matches!(e, oauth1_server::ServerError::Activation { .. }),
        "{e:?}"
    );
    assert!(std::error::Error::source(&e).is_some());
}

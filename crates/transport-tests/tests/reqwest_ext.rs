//! oauth1-transport-reqwest's `OAuth1RequestBuilderExt` (async and blocking) and
//! `OAuth1Middleware` against the local provider on 127.0.0.1 (here rather than in that crate:
//! the local provider's crate tests the transports, and a dev-dependency each way would keep
//! both from being packaged): the provider verifies every signature, form parameters and query
//! included, and refuses a request whose signature does not cover what arrives.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_core::{HmacSha1, Placement, Secret, Signer};
use oauth1_flow::{Flow, GenericProvider};
use oauth1_server::testkit::provider_of;
use oauth1_server::{Endpoints, LocalProvider};
use oauth1_transport_reqwest::{OAuth1RequestBuilderExt, ReqwestTransport, SignError, SignOptions};

/// A status with every character class that encoding can get wrong.
const STATUS: &str = "a b+c&d=é ~*'()!";

/// A signer with an access token the provider issued (through xAuth).
async fn signer_for(provider: &Endpoints) -> Signer {
    let flow: Flow<GenericProvider> = Flow::new(provider_of(provider), provider.client()).unwrap();
    let (user, password) = provider.user();
    let access = flow
        .xauth(&ReqwestTransport::new(), user, &Secret::new(password))
        .await
        .unwrap();
    Signer::new(HmacSha1, &provider.client(), Some(&access.credentials())).unwrap()
}

fn client() -> reqwest::Client {
    oauth1_transport_reqwest::client_builder()
        .unwrap()
        .build()
        .unwrap()
}

async fn json(response: reqwest::Response) -> serde_json::Value {
    let status = response.status();
    let body = response.bytes().await.unwrap();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test]
async fn a_form_post_is_signed_in_every_placement() {
    let provider = LocalProvider::start().await.unwrap();
    let signer = signer_for(&provider).await;
    let client = client();
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let response = client
            .post(provider.url("/1.1/statuses/update.json"))
            .form(&[("status", STATUS)])
            .oauth1_with(&signer, &SignOptions::new().placement(placement))
            .unwrap()
            .send()
            .await
            .unwrap();
        let tweet = json(response).await;
        assert_eq!(tweet["text"], STATUS, "{placement:?}");
    }
    provider.shutdown().await;
}

#[tokio::test]
async fn the_form_parameters_are_in_the_signature() {
    let provider = LocalProvider::start().await.unwrap();
    let signer = signer_for(&provider).await;
    // The form added after signing is not covered: the provider refuses the request.
    let response = client()
        .post(provider.url("/1.1/statuses/update.json"))
        .oauth1(&signer)
        .unwrap()
        .form(&[("status", STATUS)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    provider.shutdown().await;
}

#[tokio::test]
async fn a_get_with_a_query_is_signed_in_the_header_and_in_the_query() {
    let provider = LocalProvider::start().await.unwrap();
    let signer = signer_for(&provider).await;
    let client = client();
    for placement in [Placement::Header, Placement::Query] {
        let response = client
            .get(provider.url("/1.1/account/verify_credentials.json?skip_status=1"))
            .query(&[("include_entities", "true"), ("q", STATUS)])
            .oauth1_with(&signer, &SignOptions::new().placement(placement).realm("x"))
            .unwrap()
            .send()
            .await
            .unwrap();
        let user = json(response).await;
        assert_eq!(user["screen_name"], provider.user().0, "{placement:?}");
    }
    // A query parameter added after signing is not covered.
    let response = client
        .get(provider.url("/1.1/account/verify_credentials.json"))
        .oauth1(&signer)
        .unwrap()
        .query(&[("include_entities", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    provider.shutdown().await;
}

#[tokio::test]
async fn a_json_body_can_carry_a_body_hash() {
    let provider = LocalProvider::start().await.unwrap();
    let signer = signer_for(&provider).await;
    let request = client()
        .post(provider.url("/2/tweets"))
        .header("content-type", "application/json")
        .body(r#"{"text":"hashed"}"#)
        .oauth1_with(&signer, &SignOptions::new().body_hash(true).realm("api"))
        .unwrap();
    let built = request.try_clone().unwrap().build().unwrap();
    let authorization = built.headers()["authorization"].to_str().unwrap();
    assert!(
        authorization.starts_with(r#"OAuth realm="api", "#),
        "{authorization}"
    );
    assert!(
        authorization.contains("oauth_body_hash="),
        "{authorization}"
    );
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 201);
    provider.shutdown().await;
}

#[tokio::test]
async fn the_header_is_sensitive_and_fresh_every_time() {
    let signer = Signer::new(
        HmacSha1,
        &oauth1_core::ClientCredentials::new("key", "secret"),
        None,
    )
    .unwrap();
    let client = client();
    let build = || {
        client
            .get("http://127.0.0.1:9/r")
            .oauth1(&signer)
            .unwrap()
            .build()
            .unwrap()
    };
    let (a, b) = (build(), build());
    let (a, b) = (&a.headers()["authorization"], &b.headers()["authorization"]);
    assert!(a.is_sensitive());
    assert!(a
        .to_str()
        .unwrap()
        .starts_with("OAuth oauth_consumer_key=\"key\""));
    assert_ne!(a, b, "a fresh nonce each time");
}

#[tokio::test]
async fn the_clock_offset_moves_the_timestamp() {
    let signer = Signer::new(
        HmacSha1,
        &oauth1_core::ClientCredentials::new("key", "secret"),
        None,
    )
    .unwrap();
    let timestamp = |offset: i64| -> u64 {
        let request = client()
            .get("http://127.0.0.1:9/r")
            .oauth1_with(&signer, &SignOptions::new().clock_offset(offset))
            .unwrap()
            .build()
            .unwrap();
        let header = request.headers()["authorization"].to_str().unwrap();
        let value = header.split("oauth_timestamp=\"").nth(1).unwrap();
        value.split('"').next().unwrap().parse().unwrap()
    };
    let (now, behind) = (timestamp(0), timestamp(-3600));
    assert!((3599..=3601).contains(&(now - behind)), "{now} {behind}");
}

#[tokio::test]
async fn what_cannot_be_signed_is_a_typed_error() {
    let signer = Signer::new(
        HmacSha1,
        &oauth1_core::ClientCredentials::new("key", "secret"),
        None,
    )
    .unwrap();
    let client = client();

    // The builder's own error.
    let error = client.get("not a url").oauth1(&signer).unwrap_err();
    assert!(matches!(error, SignError::Build(_)), "{error}");

    // A form body that is a stream cannot be read to sign it.
    let stream = reqwest::Body::wrap(http_body_util::Full::new(bytes::Bytes::from_static(
        b"status=hi",
    )));
    let error = client
        .post("http://127.0.0.1:9/r")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(stream)
        .oauth1(&signer)
        .unwrap_err();
    assert!(matches!(error, SignError::StreamingBody), "{error}");
    assert!(error.to_string().contains("stream"), "{error}");

    // A stream that is not a form is not signed as parameters: header placement works.
    let stream = reqwest::Body::wrap(http_body_util::Full::new(bytes::Bytes::from_static(b"{}")));
    let request = client
        .post("http://127.0.0.1:9/r")
        .header("content-type", "application/json")
        .body(stream)
        .oauth1(&signer)
        .unwrap()
        .build()
        .unwrap();
    assert!(request.headers().contains_key("authorization"));

    // Body placement needs a form.
    let error = client
        .post("http://127.0.0.1:9/r")
        .header("content-type", "application/json")
        .body("{}")
        .oauth1_with(&signer, &SignOptions::new().placement(Placement::Body))
        .unwrap_err();
    assert!(matches!(error, SignError::Sign(_)), "{error}");

    // A leftover signature in the query.
    let error = client
        .get("http://127.0.0.1:9/r?oauth_signature=x")
        .oauth1(&signer)
        .unwrap_err();
    assert!(matches!(error, SignError::Sign(_)), "{error}");
}

#[tokio::test]
async fn body_placement_on_an_empty_post_makes_a_form() {
    let signer = Signer::new(
        HmacSha1,
        &oauth1_core::ClientCredentials::new("key", "secret"),
        None,
    )
    .unwrap();
    let request = client()
        .post("http://127.0.0.1:9/r")
        .oauth1_with(&signer, &SignOptions::new().placement(Placement::Body))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    let body = request.body().unwrap().as_bytes().unwrap();
    assert!(body.starts_with(b"oauth_consumer_key=key&"));
}

#[tokio::test]
async fn the_middleware_signs_every_request_of_the_stack() {
    use oauth1_transport_reqwest::OAuth1Middleware;

    let provider = LocalProvider::start().await.unwrap();
    let signer = signer_for(&provider).await;
    let client = reqwest_middleware::ClientBuilder::new(client())
        .with(OAuth1Middleware::new(signer))
        .build();

    let response = client
        .get(provider.url("/1.1/account/verify_credentials.json?include_entities=true&q=a%20b"))
        .send()
        .await
        .unwrap();
    let user = json(response).await;
    assert_eq!(user["screen_name"], provider.user().0);

    for _ in 0..2 {
        let response = client
            .post(provider.url("/1.1/statuses/update.json"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("status=hello%20middleware")
            .send()
            .await
            .unwrap();
        let tweet = json(response).await;
        assert_eq!(tweet["text"], "hello middleware");
    }
    provider.shutdown().await;
}

#[tokio::test]
async fn one_request_of_a_middleware_client_is_signed_by_the_extension() {
    let provider = LocalProvider::start().await.unwrap();
    let signer = signer_for(&provider).await;
    let client = reqwest_middleware::ClientBuilder::new(client()).build();
    let mut builder = client
        .post(provider.url("/1.1/statuses/update.json"))
        .form(&[("status", STATUS)])
        .with_extension(7_u8)
        .oauth1(&signer)
        .unwrap();
    assert_eq!(builder.extensions().get::<u8>(), Some(&7));
    let response = builder.send().await.unwrap();
    let tweet = json(response).await;
    assert_eq!(tweet["text"], STATUS);
    provider.shutdown().await;
}

#[tokio::test]
async fn the_middleware_refuses_what_it_cannot_sign() {
    use oauth1_transport_reqwest::OAuth1Middleware;

    let signer = Signer::new(
        HmacSha1,
        &oauth1_core::ClientCredentials::new("key", "secret"),
        None,
    )
    .unwrap();
    let client = reqwest_middleware::ClientBuilder::new(client())
        .with(OAuth1Middleware::with_options(
            signer,
            SignOptions::new().placement(Placement::Query),
        ))
        .build();
    // Refused before anything is sent (nothing listens on port 9 anyway).
    let error = client
        .get("http://127.0.0.1:9/r?oauth_signature=x")
        .send()
        .await
        .unwrap_err();
    let reqwest_middleware::Error::Middleware(error) = error else {
        panic!("not a middleware error: {error}");
    };
    assert!(matches!(
        error.downcast_ref::<SignError>(),
        Some(SignError::Sign(_))
    ));
}

mod blocking {
    use super::*;
    use oauth1_server::LocalProviderConfig;
    use oauth1_transport_reqwest::BlockingReqwestTransport;

    fn signer_for(provider: &Endpoints) -> Signer {
        let flow: Flow<GenericProvider> =
            Flow::new(provider_of(provider), provider.client()).unwrap();
        let (user, password) = provider.user();
        let access = flow
            .xauth_blocking(
                &BlockingReqwestTransport::new(),
                user,
                &Secret::new(password),
            )
            .unwrap();
        Signer::new(HmacSha1, &provider.client(), Some(&access.credentials())).unwrap()
    }

    fn json(response: reqwest::blocking::Response) -> serde_json::Value {
        let status = response.status();
        let body = response.bytes().unwrap();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).unwrap()
    }

    #[test]
    fn blocking_requests_are_signed_form_and_query_included() {
        let provider = LocalProvider::start_in_background(LocalProviderConfig::default()).unwrap();
        let signer = signer_for(&provider);
        let client = oauth1_transport_reqwest::blocking_client_builder()
            .unwrap()
            .build()
            .unwrap();
        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            let options = SignOptions::new().placement(placement);
            let response = client
                .post(provider.url("/1.1/statuses/update.json"))
                .form(&[("status", STATUS)])
                .oauth1_with(&signer, &options)
                .unwrap()
                .send()
                .unwrap();
            assert_eq!(json(response)["text"], STATUS, "{placement:?}");
            if placement == Placement::Body {
                continue;
            }
            let response = client
                .get(provider.url("/1.1/account/verify_credentials.json"))
                .query(&[("include_entities", "true"), ("q", STATUS)])
                .oauth1_with(&signer, &options)
                .unwrap()
                .send()
                .unwrap();
            assert_eq!(
                json(response)["screen_name"],
                provider.user().0,
                "{placement:?}"
            );
        }
        // Unsigned form parameters are refused.
        let response = client
            .post(provider.url("/1.1/statuses/update.json"))
            .oauth1(&signer)
            .unwrap()
            .form(&[("status", STATUS)])
            .send()
            .unwrap();
        assert_eq!(response.status(), 401);
    }

    #[test]
    fn a_blocking_streaming_form_is_a_typed_error() {
        let signer = Signer::new(
            HmacSha1,
            &oauth1_core::ClientCredentials::new("key", "secret"),
            None,
        )
        .unwrap();
        let client = oauth1_transport_reqwest::blocking_client_builder()
            .unwrap()
            .build()
            .unwrap();
        let error = client
            .post("http://127.0.0.1:9/r")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(reqwest::blocking::Body::new(std::io::Cursor::new(
                b"status=hi".to_vec(),
            )))
            .oauth1(&signer)
            .unwrap_err();
        assert!(matches!(error, SignError::StreamingBody), "{error}");
    }
}

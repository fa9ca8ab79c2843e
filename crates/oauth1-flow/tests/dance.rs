//! The dance, sans IO: canned responses, fixed nonces, requests checked with the core verifier.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_core::{AnyMethod, Placement, Policy, Received, Secret};
use oauth1_flow::transport::FnClient;
use oauth1_flow::{
    AccessToken, Callback, Error, Flow, GenericProvider, Multipart, RequestToken, Step,
    TransportError, TransportErrorKind, Verifier,
};

const CONSUMER_SECRET: &str = "consumer-SECRET-xyz";
const TOKEN_SECRET: &str = "request-token-SECRET-abc";

fn provider(placement: Placement) -> GenericProvider {
    GenericProvider::builder(
        "https://provider.example/oauth/request_token?v=1",
        "https://provider.example/oauth/authorize",
        "https://provider.example/oauth/access_token",
    )
    .authenticate_url("https://provider.example/oauth/authenticate")
    .placement(placement)
    .xauth(true)
    .request_token_param("x_auth_access_type", "read")
    .build()
    .unwrap()
}

fn flow(placement: Placement) -> Flow<GenericProvider> {
    Flow::new(
        provider(placement),
        oauth1_core::ClientCredentials::new("consumer", CONSUMER_SECRET),
    )
    .unwrap()
    .stamp(|| ("fixed-nonce".to_owned(), 1_700_000_000))
}

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .body(body.as_bytes().to_vec())
        .unwrap()
}

/// Verifies `request` as a provider would, with these secrets.
fn verifies(request: &http::Request<Vec<u8>>, token_secret: Option<&str>) -> Received {
    let received = Received::parse_http(request, "https").unwrap();
    let mut nonces = |_: &oauth1_core::NonceUse<'_>| true;
    received
        .verify_with_secrets(
            &AnyMethod::HmacSha1,
            &Secret::new(CONSUMER_SECRET),
            token_secret.map(Secret::new).as_ref(),
            &Policy::new(1_700_000_000),
            &mut nonces,
        )
        .unwrap_or_else(|e| panic!("{e}: {}", received.base_string()));
    received
}

fn request_token(flow: &Flow<GenericProvider>, callback: Callback) -> RequestToken {
    let (_, pending) = flow.prepare_request_token(callback).unwrap();
    pending
        .handle_response(response(
            200,
            &format!("oauth_token=rt&oauth_token_secret={TOKEN_SECRET}&oauth_callback_confirmed=true&extra=1"),
        ))
        .unwrap()
}

#[test]
fn every_step_signs_what_it_should_in_every_placement() {
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let flow = flow(placement);
        let (request, _) = flow
            .prepare_request_token(Callback::Url("https://app.example/cb?a=1".into()))
            .unwrap();
        assert_eq!(request.method(), "POST");
        assert!(request.uri().to_string().starts_with(
            "https://provider.example/oauth/request_token?v=1&x_auth_access_type=read"
        ));
        let received = verifies(&request, None);
        assert_eq!(received.callback(), Some("https://app.example/cb?a=1"));
        assert_eq!(received.token(), None);

        let rt = request_token(&flow, Callback::Url("https://app.example/cb".into()));
        assert_eq!(rt.extra(), &[("extra".to_owned(), "1".to_owned())]);
        let verifier = rt
            .verifier_from_callback(
                "https://app.example/cb?oauth_token=rt&oauth_verifier=the-verifier",
            )
            .unwrap();
        let (request, pending) = flow.prepare_access_token(&verifier).unwrap();
        let received = verifies(&request, Some(TOKEN_SECRET));
        assert_eq!(received.token(), Some("rt"));
        assert_eq!(received.verifier(), Some("the-verifier"));
        let access = pending
            .handle_response(response(
                200,
                "oauth_token=at&oauth_token_secret=as&user_id=7&screen_name=al",
            ))
            .unwrap();
        assert_eq!((access.token(), access.secret().secret()), ("at", "as"));
        assert_eq!(access.field("user_id"), Some("7"));
        assert_eq!(access.fields().len(), 2);

        // xAuth: the credentials in the signed form body.
        let (request, _) = flow
            .prepare_xauth("al ice", &Secret::new("p&ss w=rd"))
            .unwrap();
        let received = verifies(&request, None);
        let body: Vec<(String, String)> = received
            .parameters()
            .filter(|p| p.source == oauth1_core::Source::Body && p.name.starts_with(b"x_auth"))
            .map(|p| {
                (
                    String::from_utf8(p.name.to_vec()).unwrap(),
                    String::from_utf8(p.value.to_vec()).unwrap(),
                )
            })
            .collect();
        assert_eq!(
            body,
            [
                ("x_auth_mode".to_owned(), "client_auth".to_owned()),
                ("x_auth_password".to_owned(), "p&ss w=rd".to_owned()),
                ("x_auth_username".to_owned(), "al ice".to_owned())
            ]
        );
    }
}

#[test]
fn authorization_urls() {
    let flow = flow(Placement::Header);
    let rt = request_token(&flow, Callback::Oob);
    assert_eq!(
        rt.authorize_url(&flow, &[("force_login", "true"), ("screen_name", "a b/é&")]).unwrap(),
        "https://provider.example/oauth/authorize?oauth_token=rt&force_login=true&screen_name=a%20b%2F%C3%A9%26"
    );
    assert_eq!(
        rt.authenticate_url(&flow, &[]).unwrap(),
        "https://provider.example/oauth/authenticate?oauth_token=rt"
    );
    let plain = Flow::new(
        GenericProvider::builder(
            "https://p.example/rt",
            "https://p.example/auth?lang=fr",
            "https://p.example/at",
        )
        .build()
        .unwrap(),
        oauth1_core::ClientCredentials::new("k", "s"),
    )
    .unwrap();
    assert_eq!(
        rt.authorize_url(&plain, &[]).unwrap(),
        "https://p.example/auth?lang=fr&oauth_token=rt"
    );
    assert!(matches!(
        rt.authenticate_url(&plain, &[]),
        Err(Error::NoEndpoint("authenticate"))
    ));
}

#[test]
fn callback_and_pin_errors() {
    let flow = flow(Placement::Header);
    let rt = request_token(&flow, Callback::Url("https://app.example/cb".into()));
    assert!(matches!(
        rt.verifier_from_callback("?oauth_token=other&oauth_verifier=v"),
        Err(Error::TokenMismatch)
    ));
    assert!(matches!(
        rt.verifier_from_callback("?denied=rt"),
        Err(Error::Denied)
    ));
    assert!(matches!(
        rt.verifier_from_callback("?oauth_token=rt"),
        Err(Error::MissingVerifier)
    ));
    assert!(matches!(
        rt.verifier_from_callback("?oauth_token=rt&oauth_verifier="),
        Err(Error::MissingVerifier)
    ));
    assert!(matches!(
        rt.verifier_from_callback("https://app.example/cb"),
        Err(Error::MissingField {
            step: Step::Callback,
            field: "oauth_token"
        })
    ));
    assert!(matches!(rt.verifier_from_pin(" \n"), Err(Error::EmptyPin)));
    let v = rt.verifier_from_pin("  1234567\r\n").unwrap();
    let (request, _) = flow.prepare_access_token(&v).unwrap();
    assert_eq!(
        verifies(&request, Some(TOKEN_SECRET)).verifier(),
        Some("1234567")
    );
}

#[test]
fn token_response_errors() {
    let flow = flow(Placement::Header);
    let pending = || flow.prepare_request_token(Callback::Oob).unwrap().1;
    let secretless = "oauth_token=t&oauth_token_secret=s";
    assert!(matches!(
        pending().handle_response(response(200, secretless)),
        Err(Error::CallbackNotConfirmed)
    ));
    assert!(matches!(
        pending().handle_response(response(
            200,
            &format!("{secretless}&oauth_callback_confirmed=false")
        )),
        Err(Error::CallbackNotConfirmed)
    ));
    assert!(matches!(
        pending().handle_response(response(200, "<html>login</html>")),
        Err(Error::NotFormEncoded {
            step: Step::RequestToken,
            ..
        })
    ));
    assert!(matches!(
        pending().handle_response(response(200, "{\"oauth_token\":\"t\"}")),
        Err(Error::NotFormEncoded { .. })
    ));
    assert!(matches!(
        pending().handle_response(response(200, "oauth_token=abc&oauth_tok")),
        Err(Error::MissingField {
            field: "oauth_token_secret",
            ..
        })
    ));
    let e = pending()
        .handle_response(response(
            401,
            r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#,
        ))
        .unwrap_err();
    assert_eq!(e.provider_error().unwrap().codes[0].code, 32);
    let e = pending()
        .handle_response(response(
            401,
            "oauth_problem=signature_invalid&oauth_problem_advice=check",
        ))
        .unwrap_err();
    assert!(e.provider_error().unwrap().is_authentication_failure());
    // A token-shaped body with an error status: an error that shows no secret.
    let e = pending()
        .handle_response(response(
            400,
            "oauth_token=t&oauth_token_secret=LEAKED-SECRET&oauth_callback_confirmed=true",
        ))
        .unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(!text.contains("LEAKED-SECRET"), "{text}");
}

#[test]
fn xauth_needs_a_provider_that_offers_it() {
    let no = Flow::new(
        GenericProvider::builder(
            "https://p.example/rt",
            "https://p.example/a",
            "https://p.example/at",
        )
        .build()
        .unwrap(),
        oauth1_core::ClientCredentials::new("k", "s"),
    )
    .unwrap();
    assert!(matches!(
        no.prepare_xauth("u", &Secret::new("p")),
        Err(Error::XAuthNotOffered)
    ));
}

#[test]
fn parked_states_round_trip_and_hold_no_consumer_secret() {
    let flow = flow(Placement::Header);
    let rt = request_token(&flow, Callback::Url("https://app.example/cb".into()));
    let json = serde_json::to_string(&rt).unwrap();
    assert!(!json.contains(CONSUMER_SECRET));
    let back: RequestToken = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rt);
    let v = back.verifier_from_pin("123").unwrap();
    let json = serde_json::to_string(&v).unwrap();
    assert!(!json.contains(CONSUMER_SECRET));
    let v2: Verifier = serde_json::from_str(&json).unwrap();
    assert_eq!(v2, v);
    // A process that resumes with the parked verifier signs the same request.
    assert_eq!(
        flow.prepare_access_token(&v).unwrap().0.headers()["authorization"],
        flow.prepare_access_token(&v2).unwrap().0.headers()["authorization"]
    );
    let access = AccessToken::new("at", "at-SECRET");
    let back: AccessToken = serde_json::from_str(&serde_json::to_string(&access).unwrap()).unwrap();
    assert_eq!(back, access);
    let provider: GenericProvider =
        serde_json::from_str(&serde_json::to_string(&provider(Placement::Query)).unwrap()).unwrap();
    assert_eq!(provider, self::provider(Placement::Query));
}

#[test]
fn debug_never_shows_a_secret() {
    let flow = flow(Placement::Header);
    let rt = request_token(&flow, Callback::Oob);
    let v = rt.verifier_from_pin("PIN-VALUE-987").unwrap();
    let access = AccessToken::new("at", "ACCESS-SECRET");
    let client = flow
        .signed_client(
            FnClient(
                |_: http::Request<Vec<u8>>| -> Result<http::Response<Vec<u8>>, TransportError> {
                    Ok(http::Response::new(Vec::new()))
                },
            ),
            &access,
        )
        .unwrap();
    let text = format!("{flow:?} {rt:?} {v:?} {access:?} {client:?}");
    for secret in [
        CONSUMER_SECRET,
        TOKEN_SECRET,
        "ACCESS-SECRET",
        "PIN-VALUE-987",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[tokio::test]
async fn drivers_run_through_a_fake_transport() {
    let flow = flow(Placement::Header);
    let fake = FnClient(|request: http::Request<Vec<u8>>| {
        let path = request.uri().path().to_owned();
        let body = match path.as_str() {
            "/oauth/request_token" => {
                "oauth_token=rt&oauth_token_secret=rs&oauth_callback_confirmed=true"
            }
            "/oauth/access_token" => "oauth_token=at&oauth_token_secret=as&screen_name=al",
            _ => return Err(TransportError::new(TransportErrorKind::Connect, "refused")),
        };
        Ok(http::Response::new(body.as_bytes().to_vec()))
    });
    let rt = flow.request_token(&fake, Callback::Oob).await.unwrap();
    let access = flow
        .access_token(&fake, &rt.verifier_from_pin("1").unwrap())
        .await
        .unwrap();
    assert_eq!(access.field("screen_name"), Some("al"));
    // Blocking drivers, same fake.
    let rt = flow.request_token_blocking(&fake, Callback::Oob).unwrap();
    flow.access_token_blocking(&fake, &rt.verifier_from_pin("1").unwrap())
        .unwrap();
    // A transport failure keeps its kind and step.
    let client = flow.signed_client(&fake, &access).unwrap();
    let e = client
        .send(
            client
                .prepare_get("https://provider.example/elsewhere", &[])
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Transport { step: Step::Resource, source } if source.kind() == TransportErrorKind::Connect),
        "{e}"
    );
}

#[test]
fn signed_client_requests_verify() {
    let access = AccessToken::new("at", "at-secret");
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let flow = flow(placement);
        let client = flow
            .signed_client(
                FnClient(
                    |_: http::Request<Vec<u8>>| -> Result<http::Response<Vec<u8>>, TransportError> {
                        Ok(http::Response::new(Vec::new()))
                    },
                ),
                &access,
            )
            .unwrap();
        let check = |mut request: http::Request<Vec<u8>>, body_hash: bool| -> Received {
            let info = client.sign(&mut request, body_hash).unwrap();
            let received = verifies(&request, Some("at-secret"));
            assert_eq!(received.base_string(), info.base_string);
            received
        };
        let r = check(
            client
                .prepare_get("https://api.example/1/x.json", &[("q", "a b"), ("e", "é/")])
                .unwrap(),
            false,
        );
        assert_eq!(
            r.parameters()
                .filter(|p| p.source == oauth1_core::Source::Query && !p.name.starts_with(b"oauth_"))
                .count(),
            2
        );
        let r = check(
            client
                .prepare_post_form("https://api.example/1/update", &[("status", "hi + there")])
                .unwrap(),
            false,
        );
        assert!(r
            .parameters()
            .any(|p| p.name == b"status" && p.value == b"hi + there"));
        // JSON: not parameters; with a body hash in header or query placement.
        let r = check(
            client
                .prepare_post_json("https://api.example/2/tweets", br#"{"text":"x"}"#.to_vec())
                .unwrap(),
            true,
        );
        assert!(!r.base_string().contains("text"));
        assert!(r.base_string().contains("oauth_body_hash"));
        // Multipart: the parts are not signed.
        let form = Multipart::new()
            .unwrap()
            .text("status", "secret-part")
            .file("media", "a.png", "image/png", vec![1, 2, 3]);
        let r = check(
            client
                .prepare_multipart("https://api.example/upload?x=1", form)
                .unwrap(),
            false,
        );
        assert!(!r.base_string().contains("secret-part"));
        assert!(r.base_string().contains("x%3D1"));
    }
}

//! `OAuthLayer` in front of real servers on 127.0.0.1 (axum, and plain hyper), driven by a real
//! HTTP client: the three placements, the verified identity in the handler, the body
//! reaching the handler intact, the problem responses, and the store-failure policy.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::routing::{get, post};
use axum::{Extension, Router};
use oauth1_core::{
    ClientCredentials, HmacSha1, OAuthParams, Placement, Secret, Signer, TokenCredentials,
};
use support::{exchange, serve, Reply};

use oauth1_server::{
    CredentialStore, ManualClock, MemoryCredentials, MemoryNonceStore, NonceRecord, NonceStore,
    OAuthLayer, StoreError, StoreFailurePolicy, TokenRecord, Verified, Verifier, VerifyFailure,
};

const CONSUMER: (&str, &str) = ("tool-key", "consumer-secret-do-not-leak");
const TOKEN: (&str, &str) = ("user-token", "token-secret-do-not-leak");
const NOW: u64 = 1_700_000_000;

fn credentials() -> MemoryCredentials {
    MemoryCredentials::new()
        .consumer(CONSUMER.0, CONSUMER.1)
        .access_token(CONSUMER.0, TOKEN.0, TOKEN.1)
}

fn signer(token: bool) -> Signer<HmacSha1> {
    Signer::new(
        HmacSha1,
        &ClientCredentials::new(CONSUMER.0, CONSUMER.1),
        token
            .then(|| TokenCredentials::new(TOKEN.0, TOKEN.1))
            .as_ref(),
    )
    .unwrap()
}

async fn whoami(Extension(v): Extension<Verified>) -> String {
    let token = v.token.map(|(t, _)| t).unwrap_or_default();
    format!("{} {} {}", v.consumer_key, token, v.replay_checked)
}

async fn echo(Extension(v): Extension<Verified>, body: String) -> String {
    format!("{}|{body}", v.consumer_key)
}

fn app<N: NonceStore + 'static>(verifier: Verifier<MemoryCredentials, N>) -> Router {
    Router::new()
        .route("/whoami", get(whoami))
        .route("/echo", post(echo))
        .layer(
            OAuthLayer::new(verifier.clock(ManualClock::new(NOW)))
                .realm("https://tool.example/")
                .body_limit(64 * 1024),
        )
}

/// Sends `request` (10 s at most) and checks that no secret is in the answer.
async fn send(request: http::Request<Vec<u8>>) -> Reply {
    let reply = exchange(request, Duration::from_secs(10)).await;
    let (challenge, body) = (&reply.challenge, &reply.body);
    assert!(
        !body.contains(CONSUMER.1) && !body.contains(TOKEN.1) && !challenge.contains(CONSUMER.1),
        "a secret leaked: {challenge} {body}"
    );
    reply
}

fn request(
    base: &str,
    method: &str,
    path: &str,
    form: Option<&str>,
    placement: Placement,
    nonce: &str,
    timestamp: u64,
) -> http::Request<Vec<u8>> {
    let mut builder = http::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"));
    if form.is_some() {
        builder = builder.header("content-type", "application/x-www-form-urlencoded");
    }
    let mut request = builder
        .body(form.unwrap_or("").as_bytes().to_vec())
        .unwrap();
    signer(true)
        .sign_http(
            &mut request,
            placement,
            &OAuthParams::new(nonce.to_owned(), timestamp),
        )
        .unwrap();
    request
}

/// A GET signed now with the header placement and `nonce`.
fn signed_get(base: &str, path: &str, nonce: &str) -> http::Request<Vec<u8>> {
    request(base, "GET", path, None, Placement::Header, nonce, NOW)
}

#[tokio::test]
async fn all_three_placements_reach_the_handler_with_the_identity() {
    let server = serve(app(Verifier::new(
        credentials(),
        MemoryNonceStore::default(),
    )))
    .await;
    let base = &server.base;

    let r = send(signed_get(base, "/whoami?a=1", "h")).await;
    assert_eq!(
        (r.status, r.body.as_str()),
        (200, "tool-key user-token true")
    );

    let r = send(request(
        base,
        "GET",
        "/whoami?a=1",
        None,
        Placement::Query,
        "q",
        NOW,
    ))
    .await;
    assert_eq!(
        (r.status, r.body.as_str()),
        (200, "tool-key user-token true")
    );

    // Form placement: the protocol parameters are in the body, and the handler still gets the
    // whole body, byte for byte.
    let r = send(request(
        base,
        "POST",
        "/echo",
        Some("status=caf%C3%A9+%2B1"),
        Placement::Body,
        "b",
        NOW,
    ))
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (who, body) = r.body.split_once('|').unwrap();
    assert_eq!(who, "tool-key");
    assert!(
        body.starts_with("status=caf%C3%A9+%2B1&oauth_consumer_key=tool-key"),
        "{body}"
    );
}

#[tokio::test]
async fn a_form_content_type_with_a_charset_is_still_a_form() {
    let server = serve(app(Verifier::new(
        credentials(),
        MemoryNonceStore::default(),
    )))
    .await;
    let mut request = http::Request::post(format!("{}/echo?q=1", server.base))
        .header(
            "content-type",
            "Application/X-WWW-Form-URLEncoded; charset=UTF-8",
        )
        .body(b"a=1&b=%E2%9C%93".to_vec())
        .unwrap();
    // Header placement: the form parameters are signed without the protocol ones in the body,
    // so the layer must read the body to verify.
    signer(true)
        .sign_http(
            &mut request,
            Placement::Header,
            &OAuthParams::new("cs", NOW),
        )
        .unwrap();
    let r = send(request.clone()).await;
    assert_eq!(
        (r.status, r.body.as_str()),
        (200, "tool-key|a=1&b=%E2%9C%93")
    );
    // The same request with the body changed after signing is refused.
    *request.body_mut() = b"a=2&b=%E2%9C%93".to_vec();
    let mut parts = request.into_parts();
    parts.0.headers.remove("content-length");
    let r = send(http::Request::from_parts(parts.0, parts.1)).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn a_body_that_is_not_a_form_streams_through_unread() {
    let server = serve(app(Verifier::new(
        credentials(),
        MemoryNonceStore::default(),
    )))
    .await;
    // Signed over the URL only (a JSON body is not signed), larger than the form limit.
    let json = format!("{{\"text\":\"{}\"}}", "x".repeat(200 * 1024));
    let mut request = http::Request::post(format!("{}/echo", server.base))
        .header("content-type", "application/json")
        .body(json.clone().into_bytes())
        .unwrap();
    signer(true)
        .sign_http(&mut request, Placement::Header, &OAuthParams::new("j", NOW))
        .unwrap();
    let r = send(request).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, format!("tool-key|{json}"));
}

#[tokio::test]
async fn rejections_carry_a_challenge_and_a_problem_and_no_secret() {
    let server = serve(app(Verifier::new(
        credentials(),
        MemoryNonceStore::default(),
    )))
    .await;
    let base = &server.base;
    let problem = |r: &Reply| {
        r.body
            .strip_prefix("oauth_problem=")
            .and_then(|b| b.split('&').next())
            .unwrap_or_default()
            .to_owned()
    };

    // Unsigned.
    let r = send(
        http::Request::get(format!("{base}/whoami"))
            .body(Vec::new())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.challenge,
        r#"OAuth realm="https://tool.example/", oauth_problem="parameter_absent""#
    );

    // Replay: the second use of a request is refused.
    let first = signed_get(base, "/whoami", "once");
    let again = first.clone();
    assert_eq!(send(first).await.status, 200);
    let r = send(again).await;
    assert_eq!((r.status, problem(&r).as_str()), (401, "nonce_used"));
    assert!(
        r.challenge.contains(r#"oauth_problem="nonce_used""#),
        "{}",
        r.challenge
    );

    // Tampered: the query changed after signing.
    let mut tampered = signed_get(base, "/whoami?a=1", "t");
    *tampered.uri_mut() = format!("{base}/whoami?a=2").parse().unwrap();
    let r = send(tampered).await;
    assert_eq!((r.status, problem(&r).as_str()), (401, "signature_invalid"));

    // Stale: the skew is in the advice.
    let r = send(request(
        base,
        "GET",
        "/whoami",
        None,
        Placement::Header,
        "s",
        NOW - 1000,
    ))
    .await;
    assert_eq!((r.status, problem(&r).as_str()), (401, "timestamp_refused"));
    assert!(r.body.contains("-1000%20s"), "{}", r.body);
    let acceptable = format!("{}-{}", NOW - 300, NOW + 300);
    assert!(
        r.body
            .ends_with(&format!("&oauth_acceptable_timestamps={acceptable}")),
        "{}",
        r.body
    );
    assert!(
        r.challenge
            .ends_with(&format!(r#", oauth_acceptable_timestamps="{acceptable}""#)),
        "{}",
        r.challenge
    );

    // Unknown consumer.
    let mut request_ = http::Request::get(format!("{base}/whoami"))
        .body(Vec::new())
        .unwrap();
    Signer::new(
        HmacSha1,
        &ClientCredentials::new("nobody", CONSUMER.1),
        None,
    )
    .unwrap()
    .sign_http(
        &mut request_,
        Placement::Header,
        &OAuthParams::new("u", NOW),
    )
    .unwrap();
    let r = send(request_).await;
    assert_eq!(
        (r.status, problem(&r).as_str()),
        (401, "consumer_key_unknown")
    );

    // A form body over the limit, declared by Content-Length: 413.
    let big = format!("a={}", "b".repeat(70 * 1024));
    let r = send(request(
        base,
        "POST",
        "/echo",
        Some(&big),
        Placement::Body,
        "big",
        NOW,
    ))
    .await;
    assert_eq!(r.status, 413);
}

#[tokio::test]
async fn a_form_body_over_the_limit_without_a_length_is_cut_off_at_the_limit() {
    use tower::ServiceExt;
    let router = app(Verifier::new(credentials(), MemoryNonceStore::default()));
    let big = format!("a={}", "b".repeat(70 * 1024));
    let signed = request(
        "http://tool.example",
        "POST",
        "/echo",
        Some(&big),
        Placement::Body,
        "s",
        NOW,
    );
    assert!(signed.headers().get("content-length").is_none());
    let response = router
        .oneshot(signed.map(axum::body::Body::from))
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    // The same body under the limit passes, so it is the size that was refused.
    let router = app(Verifier::new(credentials(), MemoryNonceStore::default()));
    let small = request(
        "http://tool.example",
        "POST",
        "/echo",
        Some("a=b"),
        Placement::Body,
        "t",
        NOW,
    );
    let response = router
        .oneshot(small.map(axum::body::Body::from))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// A nonce store that fails while told to.
#[derive(Default)]
struct Flaky {
    down: std::sync::atomic::AtomicBool,
    calls: AtomicUsize,
    inner: MemoryNonceStore,
}

#[async_trait]
impl NonceStore for Flaky {
    async fn check_and_record(&self, record: &NonceRecord<'_>) -> Result<bool, StoreError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.down.load(Ordering::SeqCst) {
            return Err(StoreError::new("nonce", "connection refused"));
        }
        self.inner.check_and_record(record).await
    }
}

#[tokio::test]
async fn a_failing_nonce_store_refuses_with_503_by_default_and_accepts_unchecked_when_told() {
    let flaky = Arc::new(Flaky::default());
    flaky.down.store(true, Ordering::SeqCst);
    let failures = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&failures);
    let router = Router::new().route("/whoami", get(whoami)).layer(
        OAuthLayer::new(
            Verifier::new(credentials(), Arc::clone(&flaky)).clock(ManualClock::new(NOW)),
        )
        .inspect_failures(move |f| {
            assert!(matches!(f, VerifyFailure::Store(_)));
            seen.fetch_add(1, Ordering::SeqCst);
        }),
    );
    let server = serve(router).await;
    let r = send(signed_get(&server.base, "/whoami", "x")).await;
    assert_eq!(r.status, 503);
    assert_eq!(r.retry_after.as_deref(), Some("1"));
    assert!(r.body.starts_with("oauth_problem=temporarily_unavailable"));
    assert_eq!(failures.load(Ordering::SeqCst), 1);

    // Back up: the same request (never recorded) passes.
    flaky.down.store(false, Ordering::SeqCst);
    let r = send(signed_get(&server.base, "/whoami", "x")).await;
    assert_eq!(r.status, 200);

    // Fail-open policy: accepted, and the handler is told the replay check did not happen.
    flaky.down.store(true, Ordering::SeqCst);
    let open = serve(app(Verifier::new(credentials(), Arc::clone(&flaky))
        .on_store_failure(StoreFailurePolicy::AcceptUnchecked)))
    .await;
    let r = send(signed_get(&open.base, "/whoami", "y")).await;
    assert_eq!(
        (r.status, r.body.as_str()),
        (200, "tool-key user-token false")
    );

    // A bad signature is still a 401 while the store is down: it never reaches the store.
    let calls = flaky.calls.load(Ordering::SeqCst);
    let mut bad = signed_get(&open.base, "/whoami", "z");
    *bad.uri_mut() = format!("{}/whoami?x=1", open.base).parse().unwrap();
    assert_eq!(send(bad).await.status, 401);
    assert_eq!(flaky.calls.load(Ordering::SeqCst), calls);
}

/// A credential store that cannot answer.
struct Down;

#[async_trait]
impl CredentialStore for Down {
    async fn consumer_secret(&self, _: &str) -> Result<Option<Secret>, StoreError> {
        Err(StoreError::new("credential", "database unreachable"))
    }
    async fn token(&self, _: &str) -> Result<Option<TokenRecord>, StoreError> {
        Err(StoreError::new("credential", "database unreachable"))
    }
}

#[tokio::test]
async fn a_failing_credential_store_always_refuses() {
    let verifier = Verifier::new(Down, MemoryNonceStore::default())
        .on_store_failure(StoreFailurePolicy::AcceptUnchecked)
        .clock(ManualClock::new(NOW));
    let request = signed_get("http://127.0.0.1:1", "/r", "n");
    match verifier.verify(&request, "http").await {
        Err(VerifyFailure::Store(e)) => {
            assert_eq!(e.store(), "credential");
            assert_eq!(
                e.to_string(),
                "the credential store failed: database unreachable"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn plain_hyper_serves_the_layered_service() {
    use hyper_util::rt::TokioIo;
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceBuilder;

    let service = ServiceBuilder::new()
        .layer(OAuthLayer::new(
            Verifier::new(credentials(), MemoryNonceStore::default()).clock(ManualClock::new(NOW)),
        ))
        .service_fn(|request: http::Request<_>| async move {
            let who = request
                .extensions()
                .get::<Verified>()
                .map(|v| v.consumer_key.clone())
                .unwrap_or_default();
            Ok::<_, std::convert::Infallible>(http::Response::new(http_body_util::Full::new(
                bytes::Bytes::from(who),
            )))
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let service = TowerToHyperService::new(service.clone());
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    let r = send(signed_get(&base, "/any?x=1", "p")).await;
    assert_eq!((r.status, r.body.as_str()), (200, "tool-key"));
    let r = send(
        http::Request::get(format!("{base}/any"))
            .body(Vec::new())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 401);
    task.abort();
}

/// A handler takes `Verified` itself (no `Extension`), or `Option<Verified>`; without the layer
/// in front, `Verified` is a 500 that says what is missing, and the option is `None`.
#[tokio::test]
async fn handlers_take_verified_directly() {
    async fn direct(who: Verified) -> String {
        format!("{} {}", who.consumer_key, who.replay_checked)
    }
    async fn optional(who: Option<Verified>) -> String {
        who.map_or_else(|| "nobody".to_owned(), |v| v.consumer_key)
    }
    let verifier = Verifier::new(credentials(), MemoryNonceStore::default());
    let verified = Router::new()
        .route("/direct", get(direct))
        .route("/optional", get(optional))
        .layer(OAuthLayer::new(verifier.clock(ManualClock::new(NOW))));
    let unguarded = Router::new()
        .route("/direct", get(direct))
        .route("/optional", get(optional));
    let server = serve(verified).await;
    let reply = send(signed_get(&server.base, "/direct", "x1")).await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "tool-key true"));
    let reply = send(signed_get(&server.base, "/optional", "x2")).await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "tool-key"));

    let bare = serve(unguarded).await;
    let reply = send(signed_get(&bare.base, "/direct", "x3")).await;
    assert_eq!(reply.status, 500);
    assert!(reply.body.contains("no OAuthLayer"), "{}", reply.body);
    let reply = send(signed_get(&bare.base, "/optional", "x4")).await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "nobody"));
}

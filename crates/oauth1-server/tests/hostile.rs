//! Issue 16 as an attacker tried it: `OAuthLayer` in front of a real axum server, and the
//! local provider, on 127.0.0.1, sent what no OAuth client sends. One test per finding on the
//! verifying side (the local provider's own findings are in `hostile_local.rs`, the CLI's in
//! the CLI's `hostile.rs`); each failed on main at bf882e4 before the fix. Every request is
//! bounded in time: a test that waited for a quadratic parser would time out, not hang.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use axum::routing::{get, post};
use axum::{Extension, Router};
use oauth1_core::{
    ClientCredentials, HmacSha1, OAuthParams, Placement, Plaintext, Signer, TokenCredentials,
};
use support::{exchange, serve, Reply};

use oauth1_server::{
    ManualClock, MemoryCredentials, MemoryNonceStore, OAuthLayer, Rejection, Verified, Verifier,
    VerifyFailure,
};

const CONSUMER: (&str, &str) = ("tool-key", "consumer-secret-do-not-leak");
const OTHER: (&str, &str) = ("other-key", "other-secret-do-not-leak");
const TOKEN: (&str, &str) = ("user-token", "token-secret-do-not-leak");
const NOW: u64 = 1_700_000_000;
const PASSWORD: &str = "hunter2-do-not-leak";

fn credentials() -> MemoryCredentials {
    MemoryCredentials::new()
        .consumer(CONSUMER.0, CONSUMER.1)
        .consumer(OTHER.0, OTHER.1)
        .access_token(CONSUMER.0, TOKEN.0, TOKEN.1)
}

async fn whoami(Extension(v): Extension<Verified>) -> String {
    format!("{} {}", v.consumer_key, v.replay_checked)
}

/// What a handler would log: the verified request, formatted.
async fn logged(Extension(v): Extension<Verified>) -> String {
    format!("{v:?} | {:?} | {v:#?}", v.received)
}

fn app(verifier: Verifier<MemoryCredentials, MemoryNonceStore>, scheme: &str) -> Router {
    Router::new()
        .route("/whoami", get(whoami).post(whoami))
        .route("/logged", post(logged))
        .layer(OAuthLayer::new(verifier.clock(ManualClock::new(NOW))).scheme(scheme))
}

/// Sends `request`; panics if no answer comes within 20 s (a parser that is not linear).
async fn send(request: http::Request<Vec<u8>>) -> Reply {
    exchange(request, Duration::from_secs(20)).await
}

fn signer(consumer: (&str, &str), token: bool) -> Signer<HmacSha1> {
    Signer::new(
        HmacSha1,
        &ClientCredentials::new(consumer.0, consumer.1),
        token
            .then(|| TokenCredentials::new(TOKEN.0, TOKEN.1))
            .as_ref(),
    )
    .unwrap()
}

fn signed(url: &str, form: Option<&str>, oauth: &OAuthParams<'_>) -> http::Request<Vec<u8>> {
    signed_by(&signer(CONSUMER, true), url, form, Placement::Header, oauth)
}

fn signed_by<M: oauth1_core::SignatureMethod>(
    signer: &Signer<M>,
    url: &str,
    form: Option<&str>,
    placement: Placement,
    oauth: &OAuthParams<'_>,
) -> http::Request<Vec<u8>> {
    let mut builder = http::Request::builder()
        .method(if form.is_some() { "POST" } else { "GET" })
        .uri(url);
    if form.is_some() {
        builder = builder.header("content-type", "application/x-www-form-urlencoded");
    }
    let mut request = builder
        .body(form.unwrap_or_default().as_bytes().to_vec())
        .unwrap();
    signer.sign_http(&mut request, placement, oauth).unwrap();
    request
}

fn unsigned(url: &str, authorization: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url)
        .header("authorization", authorization)
        .body(Vec::new())
        .unwrap()
}

/// Finding 1: one unsigned header with tens of thousands of parameters took `OAuthLayer`
/// minutes (a duplicate check comparing each name with every earlier one). It is refused at
/// once with 400, for its length, and a short one with too many parameters for its count.
#[tokio::test]
async fn finding_1_a_header_with_many_parameters_is_refused_at_once() {
    let server = serve(app(
        Verifier::new(credentials(), MemoryNonceStore::default()),
        "http",
    ))
    .await;
    let url = format!("{}/whoami", server.base);
    // ~40,000 parameters, 350 KB: under hyper's header limit, so the verifier sees it.
    let many: Vec<String> = (0..40_000).map(|i| format!("a{i}=\"\"")).collect();
    let reply = send(unsigned(&url, &format!("OAuth {}", many.join(",")))).await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert!(reply.body.contains("longer%20than"), "{}", reply.body);
    // Within the length limit, past the count limit.
    let some: Vec<String> = (0..40).map(|i| format!("oauth_{i}=\"\"")).collect();
    let reply = send(unsigned(&url, &format!("OAuth {}", some.join(",")))).await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert!(reply.body.contains("more%20than%2032"), "{}", reply.body);
    // Names that only the request's own parameters have.
    let reply = send(unsigned(&url, "OAuth status=\"hi\", oauth_nonce=\"n\"")).await;
    assert_eq!(reply.status, 400, "{}", reply.body);
}

/// Finding 2: values of any length were taken and kept (a 1 MB nonce in every nonce-store key,
/// a 1 MB callback in every request token). Each is refused with 400 before any store sees it.
#[tokio::test]
async fn finding_2_long_protocol_values_are_refused_before_any_store() {
    let verifier = Verifier::new(credentials(), MemoryNonceStore::default());
    let server = serve(app(verifier, "http")).await;
    let url = format!("{}/whoami", server.base);
    let long = "n".repeat(200_000);
    // In the form body, where a 1 MB body limit let it through.
    let request = signed_by(
        &signer(CONSUMER, true),
        &url,
        Some("a=1"),
        Placement::Body,
        &OAuthParams::new(long.as_str(), NOW),
    );
    let reply = send(request).await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    let nonce = "n".repeat(129);
    let reply = send(signed(&url, None, &OAuthParams::new(&nonce, NOW))).await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert!(reply.body.contains("oauth_nonce"), "{}", reply.body);
    let callback = format!("https://app.example/{}", "c".repeat(3000));
    let reply = send(signed(
        &url,
        None,
        &OAuthParams::new("n-callback", NOW).callback(&callback),
    ))
    .await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    // At the limit, accepted.
    let nonce = "n".repeat(128);
    let reply = send(signed(&url, None, &OAuthParams::new(&nonce, NOW))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

/// Finding 2, the store: one consumer filling the memory nonce store made every client of it
/// fail. A consumer over its share gets 503 alone; the others go on.
#[tokio::test]
async fn finding_2_one_consumer_cannot_fill_the_nonce_store_for_the_others() {
    let store = MemoryNonceStore::new(4096).per_consumer(64);
    let server = serve(app(Verifier::new(credentials(), store), "http")).await;
    let url = format!("{}/whoami", server.base);
    let greedy = signer(CONSUMER, true);
    let mut statuses = Vec::new();
    for i in 0..80 {
        let nonce = format!("greedy{i}");
        let request = signed_by(
            &greedy,
            &url,
            None,
            Placement::Header,
            &OAuthParams::new(&nonce, NOW),
        );
        statuses.push(send(request).await.status);
    }
    assert_eq!(statuses.iter().filter(|&&s| s == 200).count(), 64);
    assert!(statuses[64..].iter().all(|&s| s == 503), "{statuses:?}");
    let polite = signer(OTHER, false);
    for i in 0..20 {
        let nonce = format!("polite{i}");
        let request = signed_by(
            &polite,
            &url,
            None,
            Placement::Header,
            &OAuthParams::new(&nonce, NOW),
        );
        let reply = send(request).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
}

/// Finding 3: PLAINTEXT was accepted over plain http, where its signature (the two secrets)
/// crosses the network in the clear. Now only over https, unless a test opts out by name; and
/// a PLAINTEXT request that carries a nonce is checked for replay.
#[tokio::test]
async fn finding_3_plaintext_only_over_https() {
    let plaintext = Signer::new(
        Plaintext,
        &ClientCredentials::new(CONSUMER.0, CONSUMER.1),
        Some(&TokenCredentials::new(TOKEN.0, TOKEN.1)),
    )
    .unwrap();
    let verifier =
        || Verifier::new(credentials(), MemoryNonceStore::default()).allow_plaintext(true);
    let over_http = serve(app(verifier(), "http")).await;
    let url = format!("{}/whoami", over_http.base);
    let request = signed_by(
        &plaintext,
        &url,
        None,
        Placement::Header,
        &OAuthParams::new("p1", NOW),
    );
    let reply = send(request).await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert!(
        reply.body.contains("signature_method_rejected"),
        "{}",
        reply.body
    );

    // Behind TLS (the layer is told its scheme): accepted, and the same nonce again refused.
    let over_https = serve(app(verifier(), "https")).await;
    let url = format!("{}/whoami", over_https.base);
    let sign = |nonce: &str| {
        let mut request = http::Request::get(url.replace("http://", "https://"))
            .body(Vec::new())
            .unwrap();
        plaintext
            .sign_http(
                &mut request,
                Placement::Header,
                &OAuthParams::new(nonce, NOW),
            )
            .unwrap();
        *request.uri_mut() = url.parse().unwrap();
        request
    };
    assert_eq!(send(sign("p2")).await.status, 200);
    assert_eq!(send(sign("p2")).await.status, 401);

    // A test server may opt out, by a name that says what it is.
    let opted_out = Verifier::new(credentials(), MemoryNonceStore::default())
        .insecure_plaintext_over_http(true);
    let local = serve(app(opted_out, "http")).await;
    let url = format!("{}/whoami", local.base);
    let request = signed_by(
        &plaintext,
        &url,
        None,
        Placement::Header,
        &OAuthParams::new("p3", NOW),
    );
    assert_eq!(send(request).await.status, 200);
}

/// Finding 4: `Debug` of `Verified` (and `Received`) printed the base string, and with it every
/// signed form parameter: an xAuth password in any `{:?}` log line.
#[tokio::test]
async fn finding_4_a_logged_request_holds_no_password_signature_or_base_string() {
    let server = serve(app(
        Verifier::new(credentials(), MemoryNonceStore::default()),
        "http",
    ))
    .await;
    let url = format!("{}/logged", server.base);
    let form = format!("x_auth_mode=client_auth&x_auth_username=alice&x_auth_password={PASSWORD}");
    let request = signed_by(
        &signer(CONSUMER, false),
        &url,
        Some(&form),
        Placement::Header,
        &OAuthParams::new("xauth1", NOW),
    );
    let signature = {
        let header = request.headers()["authorization"].to_str().unwrap();
        let start = header.find("oauth_signature=\"").unwrap() + 17;
        header[start..].split('"').next().unwrap().to_owned()
    };
    let reply = send(request).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let logged = reply.body;
    assert!(logged.contains(CONSUMER.0), "{logged}");
    for leak in [
        PASSWORD,
        "x_auth_password",
        signature.as_str(),
        "POST&",
        CONSUMER.1,
    ] {
        assert!(!logged.contains(leak), "`{leak}` in {logged}");
    }
}

/// Finding 10: the verifier took the host for the base string from the request, with no way
/// to pin the one clients sign for. Pinned, a request signed for another host fails, whatever
/// `Host` says, and one signed for the public name passes behind a proxy that rewrites `Host`.
#[tokio::test]
async fn finding_10_the_expected_origin_can_be_pinned() {
    let verifier = Verifier::new(credentials(), MemoryNonceStore::default())
        .expected_origin("https", "api.example.com");
    let server = serve(app(verifier, "http")).await;
    let url = format!("{}/whoami", server.base);
    let public = |nonce: &str, host: &str| {
        let mut request = signed(
            &format!("https://{host}/whoami"),
            None,
            &OAuthParams::new(nonce, NOW),
        );
        *request.uri_mut() = url.parse().unwrap();
        request
    };
    assert_eq!(send(public("o1", "api.example.com")).await.status, 200);
    let reply = send(public("o2", "evil.example")).await;
    assert_eq!(reply.status, 401, "{}", reply.body);
    // Signed for the address the request really went to: not the public name either.
    let reply = send(signed(&url, None, &OAuthParams::new("o3", NOW))).await;
    assert_eq!(reply.status, 401, "{}", reply.body);
}

/// Finding 10: an unknown consumer, an unknown token and a bad signature were told apart by
/// the problem code. With `conceal_unknown_credentials` they get the same answer, byte for
/// byte, and the server's log still knows which.
#[tokio::test]
async fn finding_10_unknown_credentials_can_look_like_a_bad_signature() {
    let failures = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&failures);
    let verifier = Verifier::new(credentials(), MemoryNonceStore::default())
        .conceal_unknown_credentials(true)
        .clock(ManualClock::new(NOW));
    let router = Router::new().route("/whoami", get(whoami)).layer(
        OAuthLayer::new(verifier).inspect_failures(move |f: &VerifyFailure| {
            seen.lock()
                .unwrap()
                .push(f.rejection().map(|r| r.reason().clone()));
        }),
    );
    let server = serve(router).await;
    let url = format!("{}/whoami", server.base);
    let unknown_consumer = Signer::new(
        HmacSha1,
        &ClientCredentials::new("nobody", CONSUMER.1),
        Some(&TokenCredentials::new(TOKEN.0, TOKEN.1)),
    )
    .unwrap();
    let unknown_token = Signer::new(
        HmacSha1,
        &ClientCredentials::new(CONSUMER.0, CONSUMER.1),
        Some(&TokenCredentials::new("no-such-token", TOKEN.1)),
    )
    .unwrap();
    let bad_signature = Signer::new(
        HmacSha1,
        &ClientCredentials::new(CONSUMER.0, "wrong secret"),
        Some(&TokenCredentials::new(TOKEN.0, TOKEN.1)),
    )
    .unwrap();
    let mut replies = Vec::new();
    for (i, signer) in [unknown_consumer, unknown_token, bad_signature]
        .iter()
        .enumerate()
    {
        let nonce = format!("c{i}");
        let request = signed_by(
            signer,
            &url,
            None,
            Placement::Header,
            &OAuthParams::new(&nonce, NOW),
        );
        let reply = send(request).await;
        replies.push((reply.status, reply.body));
    }
    assert_eq!(replies[0].0, 401);
    assert!(replies.iter().all(|r| r == &replies[0]), "{replies:?}");
    assert_eq!(
        *failures.lock().unwrap(),
        vec![
            Some(Rejection::UnknownConsumer("nobody".into())),
            Some(Rejection::UnknownToken),
            Some(Rejection::BadSignature)
        ]
    );
    // A stale timestamp is refused as such, known consumer or not: nothing told apart there.
    let stale = signed(&url, None, &OAuthParams::new("s1", NOW - 10_000));
    assert!(send(stale).await.body.contains("timestamp_refused"));
}

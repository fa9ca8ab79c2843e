//! A hostile client on 127.0.0.1 against the local provider (issue 16, findings 7 to 10): slow
//! and stalled connections, huge declared bodies, too many connections, unsigned xAuth fields,
//! forged consent posts, framing, callbacks outside the registered prefixes, malformed
//! protocol parameters. Every wait is bounded by a tokio timeout.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{codes, send};

use std::net::SocketAddr;
use std::time::Duration;

use oauth1_core::{
    ClientCredentials, HmacSha1, OAuthParams, Placement, Secret, Signer, TokenCredentials,
};
use oauth1_flow::Flow;
use oauth1_server::{
    testkit::provider_of, Clock, LocalProvider, LocalProviderConfig, ManualClock,
    DEFAULT_CONSUMER_KEY,
};
use oauth1_transport_reqwest::ReqwestTransport;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The longest any single wait in these tests may take.
const BOUND: Duration = Duration::from_secs(5);
/// The short timeouts the tests configure.
const SHORT: Duration = Duration::from_millis(200);
/// Long enough never to fire during a test.
const LONG: Duration = Duration::from_secs(60);

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// `request` signed in the `Authorization` header.
fn sign(
    mut request: http::Request<Vec<u8>>,
    client: &ClientCredentials,
    token: Option<&TokenCredentials>,
    oauth: &OAuthParams<'_>,
) -> http::Request<Vec<u8>> {
    Signer::new(HmacSha1, client, token)
        .unwrap()
        .sign_http(&mut request, Placement::Header, oauth)
        .unwrap();
    request
}

/// A request-token request with `callback`, signed at the system clock's time.
fn request_token_request(
    provider: &LocalProvider,
    nonce: &str,
    callback: &str,
) -> http::Request<Vec<u8>> {
    sign(
        http::Request::post(provider.request_token_url())
            .body(Vec::new())
            .unwrap(),
        &provider.client(),
        None,
        &OAuthParams::new(nonce.to_owned(), now()).callback(callback),
    )
}

/// Reads from `stream` until the peer closes it (or resets it); `None` if it is still open
/// after [`BOUND`]. Returns what was read.
async fn read_until_closed(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let closed = tokio::time::timeout(BOUND, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    closed.ok().map(|()| seen)
}

/// Reads one response (head and a `Content-Length` body) from a connection kept open.
async fn read_response(stream: &mut TcpStream) -> String {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    tokio::time::timeout(BOUND, async {
        loop {
            if let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                if seen.len() >= end + 4 + length {
                    return;
                }
            }
            let n = stream.read(&mut buf).await.unwrap();
            assert!(
                n > 0,
                "closed mid-response: {:?}",
                String::from_utf8_lossy(&seen)
            );
            seen.extend_from_slice(&buf[..n]);
        }
    })
    .await
    .expect("a response in time");
    String::from_utf8_lossy(&seen).into_owned()
}

async fn connect(addr: SocketAddr) -> TcpStream {
    tokio::time::timeout(BOUND, TcpStream::connect(addr))
        .await
        .unwrap()
        .unwrap()
}

fn short_timeouts() -> LocalProviderConfig {
    LocalProviderConfig::default()
        .auto_approve(true)
        .header_timeout(LONG)
        .body_timeout(LONG)
        .idle_timeout(LONG)
}

// --- Finding 7: timeouts and limits ---------------------------------------------------------

#[tokio::test]
async fn a_stalled_partial_head_is_closed_within_the_header_timeout() {
    let provider = LocalProvider::start_with(short_timeouts().header_timeout(SHORT))
        .await
        .unwrap();
    let mut stream = connect(provider.addr()).await;
    stream
        .write_all(b"POST /oauth/request_token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
        .await
        .unwrap();
    let seen = read_until_closed(&mut stream).await;
    assert!(
        seen.is_some(),
        "a partial head is still open after {BOUND:?}"
    );

    // A connection that never sends a byte goes the same way.
    let mut silent = connect(provider.addr()).await;
    assert!(read_until_closed(&mut silent).await.is_some());
    provider.shutdown().await;
}

#[tokio::test]
async fn a_stalled_body_is_answered_408_and_closed() {
    let provider = LocalProvider::start_with(short_timeouts().body_timeout(SHORT))
        .await
        .unwrap();
    let mut stream = connect(provider.addr()).await;
    stream
        .write_all(
            b"POST /oauth/request_token HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\na=1&b=2&c=",
        )
        .await
        .unwrap();
    let seen = read_until_closed(&mut stream)
        .await
        .expect("a stalled body is still open");
    let text = String::from_utf8_lossy(&seen);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    provider.shutdown().await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_within_the_idle_timeout() {
    let provider = LocalProvider::start_with(short_timeouts().idle_timeout(SHORT))
        .await
        .unwrap();
    let mut stream = connect(provider.addr()).await;
    stream
        .write_all(b"GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let response = read_response(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 404"), "{response}");
    assert!(
        read_until_closed(&mut stream).await.is_some(),
        "an idle connection is still open"
    );
    provider.shutdown().await;
}

#[tokio::test]
async fn a_declared_10_gb_body_is_answered_413_before_it_is_read() {
    let provider = LocalProvider::start().await.unwrap();
    for path in ["/oauth/request_token", "/oauth/authorize", "/2/tweets"] {
        let mut stream = connect(provider.addr()).await;
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10737418240\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let response = read_response(&mut stream).await;
        assert!(response.starts_with("HTTP/1.1 413"), "{path}: {response}");
        assert!(response.contains("\"code\":38"), "{path}: {response}");
    }
    provider.shutdown().await;
}

#[tokio::test]
async fn connections_over_the_limit_are_refused_until_one_closes() {
    let provider = LocalProvider::start_with(short_timeouts().max_connections(4))
        .await
        .unwrap();
    // Four connections, each answered once and kept open (keep-alive): the limit is reached.
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut stream = connect(provider.addr()).await;
        stream
            .write_all(b"GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .unwrap();
        assert!(read_response(&mut stream).await.starts_with("HTTP/1.1 404"));
        held.push(stream);
    }
    // A fifth gets 503 (or, if its request raced the close, a reset), never an answer.
    let mut fifth = connect(provider.addr()).await;
    let _ = fifth
        .write_all(b"GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await;
    let seen = read_until_closed(&mut fifth)
        .await
        .expect("the connection over the limit is closed");
    let text = String::from_utf8_lossy(&seen);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 503"),
        "over the limit: {text}"
    );
    // One closes: a new connection is served again.
    drop(held.pop());
    let served = tokio::time::timeout(BOUND, async {
        loop {
            let mut stream = connect(provider.addr()).await;
            let _ = stream
                .write_all(b"GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .await;
            let mut seen = Vec::new();
            let _ = stream.read_to_end(&mut seen).await;
            if seen.starts_with(b"HTTP/1.1 404") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(served.is_ok(), "no connection served after one closed");
    provider.shutdown().await;
}

#[tokio::test]
async fn request_tokens_expire_on_the_providers_clock() {
    let clock = ManualClock::new(now());
    let provider = LocalProvider::start_with(LocalProviderConfig::default().clock(clock.clone()))
        .await
        .unwrap();
    let t = ReqwestTransport::new();
    let request = sign(
        http::Request::post(provider.request_token_url())
            .body(Vec::new())
            .unwrap(),
        &provider.client(),
        None,
        &OAuthParams::new("n-expiry", clock.now()).callback("oob"),
    );
    let r = send(&t, request).await;
    assert_eq!(r.status(), 200);
    let form = String::from_utf8(r.into_body()).unwrap();
    let token = form
        .split('&')
        .find_map(|p| p.strip_prefix("oauth_token="))
        .unwrap()
        .to_owned();
    let page = |token: String| {
        http::Request::get(format!("{}?oauth_token={token}", provider.authorize_url()))
            .body(Vec::new())
            .unwrap()
    };
    clock.advance(599);
    assert_eq!(send(&t, page(token.clone())).await.status(), 200);
    clock.advance(1);
    assert_eq!(
        send(&t, page(token)).await.status(),
        400,
        "expired after 600 s"
    );
    // The Date header follows the provider's clock too.
    let r = send(&t, page("x".into())).await;
    let date = r.headers()["date"].to_str().unwrap().to_owned();
    assert!(!date.is_empty());
    provider.shutdown().await;
}

// --- Finding 8: xAuth fields must be signed -------------------------------------------------

#[tokio::test]
async fn xauth_fields_outside_a_signed_form_get_no_token() {
    let provider = LocalProvider::start().await.unwrap();
    let t = ReqwestTransport::new();
    let client = provider.client();
    let fields = b"x_auth_mode=client_auth&x_auth_username=alice&x_auth_password=wonderland";
    for (i, content_type) in [Some("text/plain"), None, Some("application/json")]
        .into_iter()
        .enumerate()
    {
        let mut builder = http::Request::post(provider.access_token_url());
        if let Some(ct) = content_type {
            builder = builder.header("content-type", ct);
        }
        let request = sign(
            builder.body(fields.to_vec()).unwrap(),
            &client,
            None,
            &OAuthParams::new(format!("n-xauth-{i}"), now()),
        );
        let r = send(&t, request).await;
        let body = String::from_utf8_lossy(r.body()).into_owned();
        assert_ne!(r.status(), 200, "{content_type:?}: {body}");
        assert!(
            !body.contains("oauth_token_secret"),
            "{content_type:?}: {body}"
        );
    }
    // The same fields in a signed form body: a token.
    let flow = Flow::new(provider_of(&provider), client).unwrap();
    let token = flow
        .xauth(&t, "alice", &Secret::new("wonderland"))
        .await
        .unwrap();
    assert_eq!(token.field("screen_name"), Some("alice"));
    provider.shutdown().await;
}

// --- Finding 9: the consent page and callbacks ----------------------------------------------

/// A person's provider (no auto-approve), a request token for `callback`, and its page.
async fn consent_page(
    provider: &LocalProvider,
    t: &ReqwestTransport,
    nonce: &str,
) -> (String, http::Response<Vec<u8>>) {
    let r = send(
        t,
        request_token_request(provider, nonce, "http://127.0.0.1:9/cb"),
    )
    .await;
    assert_eq!(r.status(), 200);
    let form = String::from_utf8(r.into_body()).unwrap();
    let token = form
        .split('&')
        .find_map(|p| p.strip_prefix("oauth_token="))
        .unwrap()
        .to_owned();
    let page = send(
        t,
        http::Request::get(format!("{}?oauth_token={token}", provider.authorize_url()))
            .body(Vec::new())
            .unwrap(),
    )
    .await;
    (token, page)
}

fn csrf_of(page: &http::Response<Vec<u8>>) -> String {
    let html = String::from_utf8_lossy(page.body());
    html.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no CSRF field: {html}"))
        .to_owned()
}

fn decision(
    provider: &LocalProvider,
    body: String,
    headers: &[(&str, String)],
) -> http::Request<Vec<u8>> {
    let mut builder = http::Request::post(provider.authorize_url())
        .header("content-type", "application/x-www-form-urlencoded");
    for (name, value) in headers {
        builder = builder.header(*name, value);
    }
    builder.body(body.into_bytes()).unwrap()
}

#[tokio::test]
async fn allow_needs_the_csrf_token_of_its_request_token() {
    let provider = LocalProvider::start_with(LocalProviderConfig::default())
        .await
        .unwrap();
    let t = ReqwestTransport::new();
    let (token, page) = consent_page(&provider, &t, "n-csrf-1").await;
    let csrf = csrf_of(&page);
    let (other_token, other_page) = consent_page(&provider, &t, "n-csrf-2").await;
    let other_csrf = csrf_of(&other_page);
    assert_ne!(csrf, other_csrf);

    for body in [
        format!("oauth_token={token}&decision=allow"),
        format!("oauth_token={token}&decision=allow&csrf_token="),
        format!("oauth_token={token}&decision=allow&csrf_token=guess"),
        // Another request token's CSRF token is not this one's.
        format!("oauth_token={token}&decision=allow&csrf_token={other_csrf}"),
        format!("oauth_token={token}&decision=deny"),
    ] {
        let r = send(&t, decision(&provider, body.clone(), &[])).await;
        assert_eq!(r.status(), 403, "{body}");
        assert!(!r.headers().contains_key("location"), "{body}");
    }
    // The right one goes through.
    let body = format!("oauth_token={token}&decision=allow&csrf_token={csrf}");
    let r = send(&t, decision(&provider, body, &[])).await;
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"].to_str().unwrap();
    assert!(location.contains("oauth_verifier="), "{location}");
    let body = format!("oauth_token={other_token}&decision=deny&csrf_token={other_csrf}");
    assert_eq!(send(&t, decision(&provider, body, &[])).await.status(), 302);
    provider.shutdown().await;
}

#[tokio::test]
async fn a_cross_origin_post_is_refused() {
    let provider = LocalProvider::start_with(LocalProviderConfig::default())
        .await
        .unwrap();
    let t = ReqwestTransport::new();
    let (token, page) = consent_page(&provider, &t, "n-origin").await;
    let csrf = csrf_of(&page);
    let body = format!("oauth_token={token}&decision=allow&csrf_token={csrf}");
    let own = format!("http://{}", provider.addr());
    for headers in [
        vec![("origin", "http://evil.example".to_owned())],
        vec![("origin", "null".to_owned())],
        vec![("sec-fetch-site", "cross-site".to_owned())],
        vec![("sec-fetch-site", "same-site".to_owned())],
        // Sec-Fetch-Site wins over an Origin that looks right.
        vec![
            ("origin", own.clone()),
            ("sec-fetch-site", "cross-site".to_owned()),
        ],
        // The page reached through another name (DNS rebinding).
        vec![("host", format!("rebind.example:{}", provider.addr().port()))],
    ] {
        let r = send(&t, decision(&provider, body.clone(), &headers)).await;
        assert_eq!(r.status(), 403, "{headers:?}");
    }
    // What a browser sends from the provider's own page.
    let same = [
        ("origin", own),
        ("sec-fetch-site", "same-origin".to_owned()),
    ];
    let r = send(&t, decision(&provider, body, &same)).await;
    assert_eq!(r.status(), 302);
    provider.shutdown().await;
}

#[tokio::test]
async fn the_pages_cannot_be_framed() {
    let provider = LocalProvider::start_with(LocalProviderConfig::default())
        .await
        .unwrap();
    let t = ReqwestTransport::new();
    let (_, page) = consent_page(&provider, &t, "n-frame").await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    // Error pages too.
    let r = send(
        &t,
        http::Request::get(format!("{}?oauth_token=nope", provider.authorize_url()))
            .body(Vec::new())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    provider.shutdown().await;
}

#[tokio::test]
async fn a_callback_outside_the_registered_prefixes_is_refused() {
    let config = LocalProviderConfig::default()
        .auto_approve(true)
        .client_callbacks(DEFAULT_CONSUMER_KEY, ["https://good.example/"]);
    let provider = LocalProvider::start_with(config).await.unwrap();
    let t = ReqwestTransport::new();
    for (i, callback) in [
        "https://evil.example/steal",
        "https://good.example.evil.example/",
        "http://good.example/",
        "https://good.example:8443/",
    ]
    .into_iter()
    .enumerate()
    {
        let r = send(
            &t,
            request_token_request(&provider, &format!("n-prefix-{i}"), callback),
        )
        .await;
        assert_eq!(
            (r.status().as_u16(), codes(&r)),
            (403, vec![415]),
            "{callback}"
        );
        let body = String::from_utf8_lossy(r.body());
        assert!(
            body.contains("Callback URL not approved for this client application."),
            "{body}"
        );
    }
    for (i, callback) in ["https://good.example/cb?state=1", "oob"]
        .into_iter()
        .enumerate()
    {
        let r = send(
            &t,
            request_token_request(&provider, &format!("n-prefix-ok-{i}"), callback),
        )
        .await;
        assert_eq!(r.status(), 200, "{callback}");
    }
    provider.shutdown().await;
}

#[tokio::test]
async fn a_callback_with_cr_lf_or_too_long_is_refused() {
    let provider = LocalProvider::start().await.unwrap();
    let t = ReqwestTransport::new();
    let long = format!("https://app.example/{}", "a".repeat(3000));
    for (i, callback) in [
        "https://app.example/cb\r\nSet-Cookie: session=evil",
        "https://app.example/cb\nx",
        "https://app.example/c b",
        "https://user@evil.example/",
        long.as_str(),
    ]
    .into_iter()
    .enumerate()
    {
        let r = send(
            &t,
            request_token_request(&provider, &format!("n-cb-{i}"), callback),
        )
        .await;
        assert_eq!(
            (r.status().as_u16(), codes(&r)),
            (400, vec![215]),
            "{callback:?}"
        );
    }
    provider.shutdown().await;
}

// --- Finding 10: malformed protocol parameters are 400 --------------------------------------

#[tokio::test]
async fn a_duplicated_protocol_parameter_is_answered_400() {
    let provider = LocalProvider::start().await.unwrap();
    let t = ReqwestTransport::new();
    // Signed in the header, and `oauth_nonce` once more in the query.
    let request = request_token_request(&provider, "n-dup", "oob");
    let (mut parts, body) = request.into_parts();
    parts.uri = format!("{}?oauth_nonce=other", provider.request_token_url())
        .parse()
        .unwrap();
    let r = send(&t, http::Request::from_parts(parts, body)).await;
    assert_eq!((r.status().as_u16(), codes(&r)), (400, vec![215]));
    provider.shutdown().await;
}

// --- Shutdown and configuration -------------------------------------------------------------

/// An access token from the provider (auto-approve, PIN flow).
async fn access_token(provider_base: &oauth1_server::Endpoints) -> TokenCredentials {
    let t = ReqwestTransport::new();
    let flow = Flow::new(provider_of(provider_base), provider_base.client()).unwrap();
    let rt = flow
        .request_token(&t, oauth1_flow::Callback::Oob)
        .await
        .unwrap();
    let pin = support::pin(&t, &flow, &rt).await;
    let access = flow
        .access_token(&t, &rt.verifier_from_pin(&pin).unwrap())
        .await
        .unwrap();
    TokenCredentials::new(access.token(), access.secret().secret())
}

/// A connection that has asked for the endless stream with a fresh access token (the response
/// is left to the caller to read).
async fn open_stream(endpoints: &oauth1_server::Endpoints, nonce: &str) -> TcpStream {
    let token = access_token(endpoints).await;
    let request = sign(
        http::Request::get(endpoints.url("/1.1/statuses/stream.json"))
            .body(Vec::new())
            .unwrap(),
        &endpoints.client(),
        Some(&token),
        &OAuthParams::new(nonce, now()),
    );
    let mut stream = connect(endpoints.addr()).await;
    let head = format!(
        "GET /1.1/statuses/stream.json HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\n\r\n",
        endpoints.addr(),
        request.headers()["authorization"].to_str().unwrap()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

#[tokio::test]
async fn serve_returns_on_shutdown_with_a_stream_open() {
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(LocalProvider::serve(
        LocalProviderConfig::default().auto_approve(true),
        move |endpoints| {
            let _ = ready_tx.send(endpoints.clone());
        },
        async {
            let _ = stopped.await;
        },
    ));
    let endpoints = tokio::time::timeout(BOUND, ready_rx)
        .await
        .unwrap()
        .unwrap();
    // An endless stream, open, read once, then left alone.
    let mut stream = open_stream(&endpoints, "n-stream").await;
    let mut first = [0u8; 64];
    let n = tokio::time::timeout(BOUND, stream.read(&mut first))
        .await
        .unwrap()
        .unwrap();
    assert!(first[..n].starts_with(b"HTTP/1.1 200"));
    // Stopping the server ends `serve`, stream or not.
    drop(stop);
    let ended = tokio::time::timeout(BOUND, server).await;
    assert!(
        matches!(ended, Ok(Ok(Ok(())))),
        "serve did not return: {ended:?}"
    );
}

#[tokio::test]
async fn a_registered_prefix_that_is_not_a_url_is_a_start_error() {
    let config = LocalProviderConfig::default().client_callbacks("k", ["good.example/cb"]);
    let r = LocalProvider::start_with(config).await;
    assert!(
        matches!(&r, Err(oauth1_server::ServerError::CallbackPrefix { prefix, .. }) if prefix == "good.example/cb"),
        "{r:?}"
    );
}

#[tokio::test]
async fn a_stream_outlives_every_timeout_while_its_client_reads() {
    let config = LocalProviderConfig::default()
        .auto_approve(true)
        .header_timeout(SHORT)
        .body_timeout(SHORT)
        .idle_timeout(SHORT);
    let provider = LocalProvider::start_with(config).await.unwrap();
    let mut stream = open_stream(&provider, "n-long-stream").await;
    // Read for at least five times every timeout, and at least 21 lines: the lines keep
    // coming (no speed asserted: only that the connection is not closed meanwhile).
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let until = tokio::time::Instant::now() + 5 * SHORT;
    while tokio::time::Instant::now() < until
        || !String::from_utf8_lossy(&seen).contains("tweet 20 for")
    {
        let n = tokio::time::timeout(BOUND, stream.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(n > 0, "the stream was closed");
        seen.extend_from_slice(&buf[..n]);
    }
    let last = String::from_utf8_lossy(&seen);
    assert!(last.starts_with("HTTP/1.1 200"), "{last}");
    assert!(last.contains("tweet 20 for @alice"), "{last}");
    provider.shutdown().await;
}

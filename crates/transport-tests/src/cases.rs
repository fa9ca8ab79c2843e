//! The wire cases: what every transport does with a request and with whatever comes back.
//!
//! Each case takes the transport's constructor (see [`Limits`]) and panics on a failed check.
//! [`wire_suite!`](crate::wire_suite) runs them all as tests.

use std::thread;
use std::time::{Duration, Instant};

use oauth1_flow::{BlockingStreamingHttpClient, TransportErrorKind};

use crate::server::{self, respond, Server};
use crate::Limits;

fn ok_server() -> Server {
    Server::start(|_, conn| respond(conn, "200 OK", &[("Content-Type", "text/plain")], b"hello"))
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).unwrap()
}

/// Method, target, headers and body arrive byte for byte as given: a form POST with a query
/// full of escapes, and a PUT with a JSON body. No compression is asked for.
pub fn sends_method_url_headers_and_body_unchanged<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let server = ok_server();
    let transport = make(Limits::DEFAULT);
    let request = http::Request::post(server.url("/1.1/statuses/update.json?a=%2F&b=+&c=%7E&d=&e"))
        .header(
            "Authorization",
            r#"OAuth oauth_consumer_key="key", oauth_signature="a%2Bb%3D""#,
        )
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Custom", "Value With Case")
        .body(b"status=a+b%21&empty=&x=%2B".to_vec())
        .unwrap();
    let response = transport.send(request).unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), b"hello");
    assert_eq!(response.headers()["content-type"], "text/plain");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let received = &requests[0];
    assert_eq!(
        received.request_line(),
        "POST /1.1/statuses/update.json?a=%2F&b=+&c=%7E&d=&e HTTP/1.1"
    );
    assert_eq!(
        received.header("authorization"),
        Some(r#"OAuth oauth_consumer_key="key", oauth_signature="a%2Bb%3D""#)
    );
    assert_eq!(
        received.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(received.header("x-custom"), Some("Value With Case"));
    assert_eq!(received.header("content-length"), Some("26"));
    assert_eq!(received.body, b"status=a+b%21&empty=&x=%2B");
    assert!(received
        .raw
        .ends_with(b"\r\n\r\nstatus=a+b%21&empty=&x=%2B"));
    // No compression asked for: bodies arrive as the server sends them.
    assert_eq!(received.header("accept-encoding"), None);

    let request = http::Request::put(server.url("/r?a=%2F&b=+&c=%7E"))
        .header("Authorization", r#"OAuth oauth_nonce="n""#)
        .header("Content-Type", "application/json")
        .body(br#"{"text":"caf\u00e9 + cr\u00e8me"}"#.to_vec())
        .unwrap();
    let response = transport.send(request).unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), b"hello");

    let received = &server.requests()[1];
    assert_eq!(received.request_line(), "PUT /r?a=%2F&b=+&c=%7E HTTP/1.1");
    assert_eq!(
        received.header("authorization"),
        Some(r#"OAuth oauth_nonce="n""#)
    );
    assert_eq!(received.header("content-type"), Some("application/json"));
    assert_eq!(received.body, br#"{"text":"caf\u00e9 + cr\u00e8me"}"#);
}

/// A GET and a DELETE without a body send no length; an empty POST says `Content-Length: 0`.
pub fn a_get_carries_no_body_and_an_empty_post_says_so<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let server = ok_server();
    let transport = make(Limits::DEFAULT);
    transport.send(get(&server.url("/get"))).unwrap();
    let post = http::Request::post(server.url("/post"))
        .body(Vec::new())
        .unwrap();
    transport.send(post).unwrap();
    let delete = http::Request::delete(server.url("/delete"))
        .body(Vec::new())
        .unwrap();
    transport.send(delete).unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].header("content-length"), None);
    assert_eq!(requests[0].header("transfer-encoding"), None);
    assert_eq!(requests[1].header("content-length"), Some("0"));
    assert_eq!(requests[2].request_line(), "DELETE /delete HTTP/1.1");
    assert_eq!(requests[2].header("content-length"), None);
}

/// A request signed in each placement verifies with the core verifier as it arrives.
pub fn a_signed_request_verifies_where_it_arrives<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    use oauth1_core::{
        Body, ClientCredentials, HmacSha1, NonceUse, OAuthParams, Placement, Policy, Received,
        Request, SignatureMethod, Signer, TokenCredentials,
    };
    let server = ok_server();
    let client = ClientCredentials::new("consumer key", "consumer secret");
    let token = TokenCredentials::new("token", "token secret");
    let signer = Signer::new(HmacSha1, &client, Some(&token)).unwrap();
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let mut request = http::Request::post(server.url("/r?q=a+b&s=%7E%2F&e="))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(b"status=caf%C3%A9+%26+cr%C3%A8me&x=%2B".to_vec())
            .unwrap();
        signer
            .sign_http(
                &mut request,
                placement,
                &OAuthParams::new("nonce", 1_700_000_000),
            )
            .unwrap();
        assert_eq!(make(Limits::DEFAULT).send(request).unwrap().status(), 200);
    }

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for got in requests {
        let url = format!("http://{}{}", server.addr(), got.target());
        let body = Body::from_content_type(got.header("content-type"), &got.body);
        let request = Request::new("POST", &url).with_body(body);
        let received = Received::parse(&request, got.header("authorization")).unwrap();
        let key = HmacSha1.key(client.secret(), Some(token.secret())).unwrap();
        received
            .verify(
                &HmacSha1,
                &key,
                &Policy::new(1_700_000_000),
                &mut |_: &NonceUse<'_>| true,
            )
            .unwrap();
    }
}

/// 500, 401 and 302 come back as responses with their bodies; the redirect is not followed.
pub fn error_statuses_and_redirects_come_back_as_responses<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let server = Server::start(|received, conn| match received.target() {
        "/error" => respond(
            conn,
            "500 Internal Server Error",
            &[("Content-Type", "application/json")],
            br#"{"errors":[{"code":131,"message":"Internal error"}]}"#,
        ),
        "/unauthorized" => respond(
            conn,
            "401 Unauthorized",
            &[],
            b"Could not authenticate you.",
        ),
        _ => respond(conn, "302 Found", &[("Location", "/elsewhere")], b"moved"),
    });
    let transport = make(Limits::DEFAULT);

    let response = transport.send(get(&server.url("/error"))).unwrap();
    assert_eq!(response.status(), 500);
    assert_eq!(
        response.body(),
        br#"{"errors":[{"code":131,"message":"Internal error"}]}"#
    );

    let response = transport.send(get(&server.url("/unauthorized"))).unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.body(), b"Could not authenticate you.");

    let response = transport.send(get(&server.url("/redirect"))).unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/elsewhere");
    assert_eq!(response.body(), b"moved");
    // Not followed: the server saw three requests, none to /elsewhere.
    let targets: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.target().to_owned())
        .collect();
    assert_eq!(targets, ["/error", "/unauthorized", "/redirect"]);
}

/// A body over the limit is refused whether its length is announced or it comes chunked, and
/// the error names the limit.
pub fn a_body_over_the_limit_is_refused_announced_or_not<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let transport = make(Limits::max_body(1000));
    for announce in [true, false] {
        let server = Server::start(move |_, conn| server::huge(conn, 8 * 1024 * 1024, announce));
        let error = transport.send(get(&server.url("/huge"))).unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::BodyTooLarge, "{error}");
        assert!(error.to_string().contains("1000"), "{error}");
    }
}

/// A body of exactly the limit comes back whole, announced or chunked.
pub fn a_body_at_the_limit_is_fine<T: BlockingStreamingHttpClient>(make: impl Fn(Limits) -> T) {
    let transport = make(Limits::max_body(1000));
    for announce in [true, false] {
        let server = Server::start(move |_, conn| server::huge(conn, 1000, announce));
        let response = transport.send(get(&server.url("/exact"))).unwrap();
        assert_eq!(response.body().len(), 1000);
    }
}

/// The answer to a HEAD announces a length over the limit and carries no body: fine.
pub fn a_head_response_announcing_a_large_body_is_fine<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let server = Server::start(|_, conn| {
        let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n");
    });
    let transport = make(Limits::max_body(10));
    let head = http::Request::head(server.url("/"))
        .body(Vec::new())
        .unwrap();
    let response = transport.send(head).unwrap();
    assert_eq!(response.headers()["content-length"], "100000000");
    assert!(response.body().is_empty());
}

/// A server that never answers: a timeout error, soon, that says how long it waited.
pub fn a_silent_server_times_out<T: BlockingStreamingHttpClient>(make: impl Fn(Limits) -> T) {
    let server = Server::start(|_, conn| server::stall(conn));
    let transport = make(Limits::timeout_ms(300));
    let started = Instant::now();
    let error = transport.send(get(&server.url("/stall"))).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
    assert!(error.is_timeout());
    assert!(error.to_string().contains("300 ms"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// A body that stops coming halfway: a timeout error.
pub fn a_body_that_stops_midway_times_out<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let server = Server::start(|_, conn| {
        let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
        let _ = conn.flush();
        server::stall(conn);
    });
    let transport = make(Limits::timeout_ms(300));
    let error = transport.send(get(&server.url("/partial"))).unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
}

/// Nothing listens on the port: a connect error.
pub fn a_refused_connection_is_a_connect_error<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let addr = server::closed_port();
    let error = make(Limits::DEFAULT)
        .send(get(&format!("http://{addr}/")))
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
}

/// A peer that answers something other than HTTP, or hangs up without a word: a protocol
/// error.
pub fn a_peer_that_does_not_speak_http_is_a_protocol_error<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    for answer in [
        &b"SSH-2.0-OpenSSH_9.6\r\n\r\n"[..],
        b"not http at all\r\n\r\n",
    ] {
        let server = Server::start(move |_, conn| {
            let _ = conn.write_all(answer);
        });
        let error = make(Limits::DEFAULT)
            .send(get(&server.url("/")))
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Protocol, "{error}");
    }

    let server = Server::start(|_, _| {});
    let error = make(Limits::DEFAULT)
        .send(get(&server.url("/")))
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Protocol, "{error}");
}

/// A body shorter than its `Content-Length`, the connection closed: a protocol error.
pub fn a_truncated_body_is_a_protocol_error<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let server = Server::start(|_, conn| {
        let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\ncut short");
    });
    let error = make(Limits::DEFAULT)
        .send(get(&server.url("/")))
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Protocol, "{error}");
}

/// A URI without scheme and host: an invalid request, and nothing is sent.
pub fn a_relative_uri_is_an_invalid_request<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let server = ok_server();
    let error = make(Limits::DEFAULT)
        .send(get("/relative?q=1"))
        .unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::InvalidRequest, "{error}");
    assert!(server.requests().is_empty());
}

/// For a transport whose URL type removes dot segments (reqwest's): a path it would change
/// (and so a signature that would no longer match) is refused, and nothing is sent.
pub fn requests_with_dot_segments_are_refused<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let server = ok_server();
    let transport = make(Limits::DEFAULT);
    for uri in [
        server.url("/a/../b"),
        server.url("/a/./b"),
        server.url("/a/%2e%2e/b"),
    ] {
        let error = transport.send(get(&uri)).unwrap_err();
        assert_eq!(
            error.kind(),
            TransportErrorKind::InvalidRequest,
            "{uri}: {error}"
        );
    }
    assert!(server.requests().is_empty());
}

/// A stream's first line is read before the server sends the rest; a body limit smaller than
/// the stream does not apply (streams are not buffered).
pub fn a_stream_is_read_while_the_server_is_still_sending<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let (handler, go) = server::slow_stream(b"{\"n\":1}\r\n", b"{\"n\":2}\r\n");
    let server = Server::start(handler);
    let transport = make(Limits::max_body(4));
    let mut response = transport
        .send_streaming(get(&server.url("/stream")))
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");

    let mut seen = Vec::new();
    while !seen.ends_with(b"\r\n") {
        seen.extend(response.body_mut().chunk().unwrap().expect("first line"));
    }
    assert_eq!(seen, b"{\"n\":1}\r\n");
    // The server sends the rest only now.
    go.send(()).unwrap();
    while let Some(chunk) = response.body_mut().chunk().unwrap() {
        seen.extend(chunk);
    }
    assert_eq!(seen, b"{\"n\":1}\r\n{\"n\":2}\r\n");
}

/// A stream whose response head never comes: a timeout error.
pub fn a_stream_whose_head_never_comes_times_out<T: BlockingStreamingHttpClient>(
    make: impl Fn(Limits) -> T,
) {
    let server = Server::start(|_, conn| server::stall(conn));
    let transport = make(Limits::timeout_ms(300));
    let error = transport
        .send_streaming(get(&server.url("/stream")))
        .err()
        .unwrap();
    assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
}

/// A stream quiet for longer than the timeout goes on: its body has no deadline.
pub fn a_stream_outlives_the_timeout<T: BlockingStreamingHttpClient>(make: impl Fn(Limits) -> T) {
    let (handler, go) = server::slow_stream(b"first\n", b"second\n");
    let server = Server::start(handler);
    let transport = make(Limits::timeout_ms(200));
    let mut response = transport
        .send_streaming(get(&server.url("/stream")))
        .unwrap();
    assert_eq!(response.body_mut().chunk().unwrap().unwrap(), b"first\n");
    // Quiet for longer than the timeout: a stream's body has no deadline.
    thread::sleep(Duration::from_millis(400));
    go.send(()).unwrap();
    assert_eq!(response.body_mut().chunk().unwrap().unwrap(), b"second\n");
    assert_eq!(response.body_mut().chunk().unwrap(), None);
}

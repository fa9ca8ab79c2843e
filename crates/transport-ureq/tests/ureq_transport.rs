//! `UreqTransport` against a raw HTTP/1.1 server on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The loopback test server and TLS fixtures are shared with the reqwest transport's tests.
#[path = "../../transport-reqwest/tests/support/mod.rs"]
mod support;

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use oauth1_flow::{BlockingHttpClient, BlockingStreamingHttpClient, TransportErrorKind};
use oauth1_transport_ureq::UreqTransport;
use support::{respond, Server, LIMIT};

/// Runs `test` on a thread of its own and fails if it takes longer than [`LIMIT`].
fn bounded(test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let handle = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(()) => handle.join().unwrap(),
        // The test panicked: join to report its message.
        Err(mpsc::RecvTimeoutError::Disconnected) => handle.join().unwrap(),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the test took longer than its bound"),
    }
}

fn ok_server() -> Server {
    Server::start(|_, conn| respond(conn, "200 OK", &[("Content-Type", "text/plain")], b"hello"))
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).unwrap()
}

#[test]
fn sends_method_url_headers_and_body_unchanged() {
    bounded(|| {
        let server = ok_server();
        let request =
            http::Request::post(server.url("/1.1/statuses/update.json?a=%2F&b=+&c=%7E&d=&e"))
                .header(
                    "Authorization",
                    r#"OAuth oauth_consumer_key="key", oauth_signature="a%2Bb%3D""#,
                )
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Custom", "Value With Case")
                .body(b"status=a+b%21&empty=&x=%2B".to_vec())
                .unwrap();
        let response = UreqTransport::new().send(request).unwrap();
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
    });
}

#[test]
fn a_get_carries_no_body_and_an_empty_post_says_so() {
    bounded(|| {
        let server = ok_server();
        let transport = UreqTransport::new();
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
    });
}

#[test]
fn a_signed_request_verifies_where_it_arrives() {
    use oauth1_core::{
        Body, ClientCredentials, HmacSha1, NonceUse, OAuthParams, Placement, Policy, Received,
        Request, SignatureMethod, Signer, TokenCredentials,
    };
    bounded(|| {
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
            assert_eq!(UreqTransport::new().send(request).unwrap().status(), 200);
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
    });
}

#[test]
fn error_statuses_and_redirects_come_back_as_responses() {
    bounded(|| {
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
        // Also through an agent that would turn statuses into errors and follow redirects.
        let eager = ureq::Agent::config_builder()
            .http_status_as_error(true)
            .max_redirects(10)
            .build()
            .new_agent();
        for transport in [UreqTransport::new(), UreqTransport::from(eager)] {
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
        }
        let targets: Vec<_> = server
            .requests()
            .iter()
            .map(|r| r.target().to_owned())
            .collect();
        assert_eq!(targets, ["/error", "/unauthorized", "/redirect"].repeat(2));
    });
}

#[test]
fn a_body_over_the_limit_is_refused_and_one_at_it_is_not() {
    bounded(|| {
        let transport = UreqTransport::builder().max_body(1000).build();
        for announce in [true, false] {
            let server =
                Server::start(move |_, conn| support::huge(conn, 8 * 1024 * 1024, announce));
            let error = transport.send(get(&server.url("/huge"))).unwrap_err();
            assert_eq!(error.kind(), TransportErrorKind::BodyTooLarge, "{error}");
            assert!(error.to_string().contains("1000"), "{error}");

            let server = Server::start(move |_, conn| support::huge(conn, 1000, announce));
            let response = transport.send(get(&server.url("/exact"))).unwrap();
            assert_eq!(response.body().len(), 1000);
        }
    });
}

#[test]
fn a_head_response_announcing_a_large_body_is_fine() {
    bounded(|| {
        let server = Server::start(|_, conn| {
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n");
        });
        let transport = UreqTransport::builder().max_body(10).build();
        let head = http::Request::head(server.url("/"))
            .body(Vec::new())
            .unwrap();
        let response = transport.send(head).unwrap();
        assert_eq!(response.headers()["content-length"], "100000000");
        assert!(response.body().is_empty());
    });
}

#[test]
fn a_silent_server_times_out() {
    bounded(|| {
        let server = Server::start(|_, conn| support::stall(conn));
        let transport = UreqTransport::builder()
            .timeout(Duration::from_millis(300))
            .build();
        let started = Instant::now();
        let error = transport.send(get(&server.url("/stall"))).unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
        assert!(error.is_timeout());
        assert!(error.to_string().contains("300 ms"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(5));

        let error = transport
            .send_streaming(get(&server.url("/stall")))
            .err()
            .unwrap();
        assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
    });
}

#[test]
fn a_body_that_stops_midway_times_out() {
    bounded(|| {
        let server = Server::start(|_, conn| {
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
            let _ = conn.flush();
            support::stall(conn);
        });
        let transport = UreqTransport::builder()
            .timeout(Duration::from_millis(300))
            .build();
        let error = transport.send(get(&server.url("/partial"))).unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
    });
}

#[test]
fn a_refused_connection_is_a_connect_error() {
    bounded(|| {
        let addr = support::closed_port();
        let error = UreqTransport::new()
            .send(get(&format!("http://{addr}/")))
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
    });
}

#[test]
fn a_broken_peer_is_a_protocol_error() {
    bounded(|| {
        let server = Server::start(|_, conn| {
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\ncut short");
        });
        let error = UreqTransport::new()
            .send(get(&server.url("/")))
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Protocol, "{error}");

        let server = Server::start(|_, conn| {
            let _ = conn.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\r\n");
        });
        let error = UreqTransport::new()
            .send(get(&server.url("/")))
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Protocol, "{error}");

        let server = Server::start(|_, _| {});
        let error = UreqTransport::new()
            .send(get(&server.url("/")))
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Protocol, "{error}");
    });
}

#[test]
fn a_relative_uri_is_an_invalid_request() {
    bounded(|| {
        let error = UreqTransport::new().send(get("/relative?q=1")).unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::InvalidRequest, "{error}");
    });
}

#[test]
fn a_stream_is_read_while_the_server_is_still_sending() {
    bounded(|| {
        let (handler, go) = support::slow_stream(b"{\"n\":1}\r\n", b"{\"n\":2}\r\n");
        let server = Server::start(handler);
        // A body limit smaller than the stream: streams are not buffered, so not limited.
        let transport = UreqTransport::builder().max_body(4).build();
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
    });
}

#[test]
fn a_stream_outlives_the_timeout() {
    bounded(|| {
        let (handler, go) = support::slow_stream(b"first\n", b"second\n");
        let server = Server::start(handler);
        let transport = UreqTransport::builder()
            .timeout(Duration::from_millis(200))
            .build();
        let mut response = transport
            .send_streaming(get(&server.url("/stream")))
            .unwrap();
        assert_eq!(response.body_mut().chunk().unwrap().unwrap(), b"first\n");
        // Quiet for longer than the timeout: a stream's body has no deadline.
        thread::sleep(Duration::from_millis(400));
        go.send(()).unwrap();
        assert_eq!(response.body_mut().chunk().unwrap().unwrap(), b"second\n");
        assert_eq!(response.body_mut().chunk().unwrap(), None);
    });
}

#[test]
fn a_stalled_stream_is_caught_by_the_agent_read_timeout() {
    bounded(|| {
        let (handler, _go) = support::slow_stream(b"first\n", b"never\n");
        let server = Server::start(handler);
        let agent = oauth1_transport_ureq::config_builder()
            .timeout_per_read(Some(Duration::from_millis(200)))
            .build()
            .new_agent();
        let mut response = UreqTransport::from(agent)
            .send_streaming(get(&server.url("/stream")))
            .unwrap();
        assert_eq!(response.body_mut().chunk().unwrap().unwrap(), b"first\n");
        let error = response.body_mut().chunk().unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
    });
}

#[test]
fn the_transport_is_easy_to_make_and_shows_no_agent_internals() {
    fn shareable<T: Send + Sync + Clone + 'static>(_: &T) {}
    let transport = UreqTransport::default();
    shareable(&transport);
    assert_eq!(transport.timeout(), oauth1_flow::transport::DEFAULT_TIMEOUT);
    assert_eq!(
        transport.max_body(),
        oauth1_flow::transport::DEFAULT_MAX_BODY
    );
    assert_eq!(transport.agent().config().max_redirects(), 0);
    assert!(!transport.agent().config().http_status_as_error());
    let debug = format!("{transport:?}");
    assert!(debug.starts_with("UreqTransport {"), "{debug}");
}

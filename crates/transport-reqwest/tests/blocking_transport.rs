//! `BlockingReqwestTransport` against a raw HTTP/1.1 server on 127.0.0.1.
#![cfg(feature = "blocking")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use oauth1_flow::{BlockingHttpClient, BlockingStreamingHttpClient, TransportErrorKind};
use oauth1_transport_reqwest::BlockingReqwestTransport;
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

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).unwrap()
}

#[test]
fn sends_method_url_headers_and_body_unchanged() {
    bounded(|| {
        let server = Server::start(|_, conn| respond(conn, "200 OK", &[], b"hello"));
        let request = http::Request::put(server.url("/r?a=%2F&b=+&c=%7E"))
            .header("Authorization", r#"OAuth oauth_nonce="n""#)
            .header("Content-Type", "application/json")
            .body(br#"{"text":"caf\u00e9 + cr\u00e8me"}"#.to_vec())
            .unwrap();
        let response = BlockingReqwestTransport::new().send(request).unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.body(), b"hello");

        let received = &server.requests()[0];
        assert_eq!(received.request_line(), "PUT /r?a=%2F&b=+&c=%7E HTTP/1.1");
        assert_eq!(
            received.header("authorization"),
            Some(r#"OAuth oauth_nonce="n""#)
        );
        assert_eq!(received.header("content-type"), Some("application/json"));
        assert_eq!(received.body, br#"{"text":"caf\u00e9 + cr\u00e8me"}"#);
    });
}

#[test]
fn error_statuses_and_redirects_come_back_as_responses() {
    bounded(|| {
        let server = Server::start(|received, conn| match received.target() {
            "/error" => respond(conn, "500 Internal Server Error", &[], b"oops"),
            _ => respond(conn, "302 Found", &[("Location", "/elsewhere")], b"moved"),
        });
        let transport = BlockingReqwestTransport::new();
        let response = transport.send(get(&server.url("/error"))).unwrap();
        assert_eq!(
            (response.status().as_u16(), response.body().as_slice()),
            (500, &b"oops"[..])
        );
        let response = transport.send(get(&server.url("/redirect"))).unwrap();
        assert_eq!(response.status(), 302);
        assert_eq!(response.headers()["location"], "/elsewhere");
        assert_eq!(response.body(), b"moved");
        assert_eq!(server.requests().len(), 2);
    });
}

#[test]
fn a_body_over_the_limit_is_refused_and_one_at_it_is_not() {
    bounded(|| {
        let transport = BlockingReqwestTransport::builder()
            .max_body(1000)
            .build()
            .unwrap();
        for announce in [true, false] {
            let server =
                Server::start(move |_, conn| support::huge(conn, 8 * 1024 * 1024, announce));
            let error = transport.send(get(&server.url("/huge"))).unwrap_err();
            assert_eq!(error.kind(), TransportErrorKind::BodyTooLarge, "{error}");

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
        let transport = BlockingReqwestTransport::builder()
            .max_body(10)
            .build()
            .unwrap();
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
        let transport = BlockingReqwestTransport::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let started = Instant::now();
        let error = transport.send(get(&server.url("/stall"))).unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
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
        let transport = BlockingReqwestTransport::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let error = transport.send(get(&server.url("/partial"))).unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
    });
}

#[test]
fn a_refused_connection_is_a_connect_error() {
    bounded(|| {
        let addr = support::closed_port();
        let error = BlockingReqwestTransport::new()
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
        let error = BlockingReqwestTransport::new()
            .send(get(&server.url("/")))
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Protocol, "{error}");

        let server = Server::start(|_, conn| {
            let _ = conn.write_all(b"not http at all\r\n\r\n");
        });
        let error = BlockingReqwestTransport::new()
            .send(get(&server.url("/")))
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Protocol, "{error}");
    });
}

#[test]
fn a_stream_is_read_while_the_server_is_still_sending() {
    bounded(|| {
        let (handler, go) = support::slow_stream(b"line 1\n", b"line 2\n");
        let server = Server::start(handler);
        let transport = BlockingReqwestTransport::builder()
            .max_body(2)
            .build()
            .unwrap();
        let mut response = transport
            .send_streaming(get(&server.url("/stream")))
            .unwrap();
        assert_eq!(response.status(), 200);

        let mut seen = Vec::new();
        while !seen.ends_with(b"\n") {
            seen.extend(response.body_mut().chunk().unwrap().expect("first line"));
        }
        assert_eq!(seen, b"line 1\n");
        go.send(()).unwrap();
        while let Some(chunk) = response.body_mut().chunk().unwrap() {
            seen.extend(chunk);
        }
        assert_eq!(seen, b"line 1\nline 2\n");
    });
}

#[test]
fn requests_reqwest_would_change_are_refused() {
    bounded(|| {
        let error = BlockingReqwestTransport::new()
            .send(get("http://127.0.0.1:9/a/%2e%2e/b"))
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::InvalidRequest, "{error}");
    });
}

#[test]
fn the_transport_is_easy_to_make() {
    bounded(|| {
        fn shareable<T: Send + Sync + Clone + 'static>(_: &T) {}
        let transport = BlockingReqwestTransport::default();
        shareable(&transport);
        assert!(transport.client().is_some());
        let client = oauth1_transport_reqwest::blocking_client_builder()
            .unwrap()
            .build()
            .unwrap();
        let transport = BlockingReqwestTransport::from(client);
        assert_eq!(transport.timeout(), oauth1_flow::transport::DEFAULT_TIMEOUT);
    });
}

//! `ReqwestTransport` against a raw HTTP/1.1 server on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::future::Future;
use std::time::{Duration, Instant};

use oauth1_flow::{HttpClient, StreamingHttpClient, TransportErrorKind};
use oauth1_transport_reqwest::ReqwestTransport;
use support::{respond, Server, LIMIT};

/// Runs `test` and fails it if it takes longer than [`LIMIT`].
async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, test)
        .await
        .expect("the test took longer than its bound")
}

fn ok_server() -> Server {
    Server::start(|_, conn| respond(conn, "200 OK", &[("Content-Type", "text/plain")], b"hello"))
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).unwrap()
}

#[tokio::test]
async fn sends_method_url_headers_and_body_unchanged() {
    bounded(async {
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
        let response = ReqwestTransport::new().send(request).await.unwrap();
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
    })
    .await;
}

#[tokio::test]
async fn a_get_carries_no_body_and_an_empty_post_says_so() {
    bounded(async {
        let server = ok_server();
        let transport = ReqwestTransport::new();
        transport.send(get(&server.url("/get"))).await.unwrap();
        let post = http::Request::post(server.url("/post"))
            .body(Vec::new())
            .unwrap();
        transport.send(post).await.unwrap();

        let requests = server.requests();
        assert_eq!(requests[0].header("content-length"), None);
        assert_eq!(requests[0].header("transfer-encoding"), None);
        assert_eq!(requests[1].header("content-length"), Some("0"));
    })
    .await;
}

#[tokio::test]
async fn a_signed_request_verifies_where_it_arrives() {
    use oauth1_core::{
        Body, ClientCredentials, HmacSha1, NonceUse, OAuthParams, Placement, Policy, Received,
        Request, SignatureMethod, Signer, TokenCredentials,
    };
    bounded(async {
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
            let response = ReqwestTransport::new().send(request).await.unwrap();
            assert_eq!(response.status(), 200);
        }

        for got in server.requests() {
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
    })
    .await;
}

#[tokio::test]
async fn error_statuses_and_redirects_come_back_as_responses() {
    bounded(async {
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
        let transport = ReqwestTransport::new();

        let response = transport.send(get(&server.url("/error"))).await.unwrap();
        assert_eq!(response.status(), 500);
        assert_eq!(
            response.body(),
            br#"{"errors":[{"code":131,"message":"Internal error"}]}"#
        );

        let response = transport
            .send(get(&server.url("/unauthorized")))
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.body(), b"Could not authenticate you.");

        let response = transport.send(get(&server.url("/redirect"))).await.unwrap();
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
    })
    .await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_announced_or_not() {
    bounded(async {
        let transport = ReqwestTransport::builder().max_body(1024).build().unwrap();
        for announce in [true, false] {
            let server =
                Server::start(move |_, conn| support::huge(conn, 8 * 1024 * 1024, announce));
            let error = transport.send(get(&server.url("/huge"))).await.unwrap_err();
            assert_eq!(error.kind(), TransportErrorKind::BodyTooLarge, "{error}");
            assert!(error.to_string().contains("1024"), "{error}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_body_at_the_limit_is_fine() {
    bounded(async {
        let transport = ReqwestTransport::builder().max_body(1000).build().unwrap();
        for announce in [true, false] {
            let server = Server::start(move |_, conn| support::huge(conn, 1000, announce));
            let response = transport.send(get(&server.url("/exact"))).await.unwrap();
            assert_eq!(response.body().len(), 1000);
        }
    })
    .await;
}

#[tokio::test]
async fn a_head_response_announcing_a_large_body_is_fine() {
    bounded(async {
        let server = Server::start(|_, conn| {
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n");
        });
        let transport = ReqwestTransport::builder().max_body(10).build().unwrap();
        let head = http::Request::head(server.url("/"))
            .body(Vec::new())
            .unwrap();
        let response = transport.send(head).await.unwrap();
        assert_eq!(response.headers()["content-length"], "100000000");
        assert!(response.body().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_silent_server_times_out() {
    bounded(async {
        let server = Server::start(|_, conn| support::stall(conn));
        let transport = ReqwestTransport::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let started = Instant::now();
        let error = transport
            .send(get(&server.url("/stall")))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
        assert!(error.is_timeout());
        assert!(error.to_string().contains("300 ms"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(5));
    })
    .await;
}

#[tokio::test]
async fn a_body_that_stops_midway_times_out() {
    bounded(async {
        let server = Server::start(|_, conn| {
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
            let _ = conn.flush();
            support::stall(conn);
        });
        let transport = ReqwestTransport::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let error = transport
            .send(get(&server.url("/partial")))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
    })
    .await;
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    bounded(async {
        let addr = support::closed_port();
        let error = ReqwestTransport::new()
            .send(get(&format!("http://{addr}/")))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Connect, "{error}");
    })
    .await;
}

#[tokio::test]
async fn a_peer_that_does_not_speak_http_is_a_protocol_error() {
    bounded(async {
        let server = Server::start(|_, conn| {
            let _ = conn.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\r\n");
        });
        let error = ReqwestTransport::new()
            .send(get(&server.url("/")))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Protocol, "{error}");

        let server = Server::start(|_, _| {});
        let error = ReqwestTransport::new()
            .send(get(&server.url("/")))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Protocol, "{error}");
    })
    .await;
}

#[tokio::test]
async fn a_truncated_body_is_a_protocol_error() {
    bounded(async {
        let server = Server::start(|_, conn| {
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\ncut short");
        });
        let error = ReqwestTransport::new()
            .send(get(&server.url("/")))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Protocol, "{error}");
    })
    .await;
}

#[tokio::test]
async fn requests_reqwest_would_change_are_refused() {
    bounded(async {
        let server = ok_server();
        let transport = ReqwestTransport::new();
        for uri in [
            "/relative?q=1",
            &server.url("/a/../b"),
            &server.url("/a/./b"),
        ] {
            let error = transport.send(get(uri)).await.unwrap_err();
            assert_eq!(
                error.kind(),
                TransportErrorKind::InvalidRequest,
                "{uri}: {error}"
            );
        }
        assert!(server.requests().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_stream_is_read_while_the_server_is_still_sending() {
    bounded(async {
        let (handler, go) = support::slow_stream(b"{\"n\":1}\r\n", b"{\"n\":2}\r\n");
        let server = Server::start(handler);
        // A body limit smaller than the stream: streams are not buffered, so not limited.
        let transport = ReqwestTransport::builder().max_body(4).build().unwrap();
        let mut response = transport
            .send_streaming(get(&server.url("/stream")))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");

        let mut seen = Vec::new();
        while !seen.ends_with(b"\r\n") {
            let chunk = response
                .body_mut()
                .chunk()
                .await
                .unwrap()
                .expect("first line");
            seen.extend_from_slice(&chunk);
        }
        assert_eq!(seen, b"{\"n\":1}\r\n");

        // The server sends the rest only now.
        go.send(()).unwrap();
        while let Some(chunk) = response.body_mut().chunk().await.unwrap() {
            seen.extend_from_slice(&chunk);
        }
        assert_eq!(seen, b"{\"n\":1}\r\n{\"n\":2}\r\n");
    })
    .await;
}

#[tokio::test]
async fn a_stream_whose_head_never_comes_times_out() {
    bounded(async {
        let server = Server::start(|_, conn| support::stall(conn));
        let transport = ReqwestTransport::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let error = transport
            .send_streaming(get(&server.url("/stream")))
            .await
            .err()
            .unwrap();
        assert_eq!(error.kind(), TransportErrorKind::Timeout, "{error}");
    })
    .await;
}

#[tokio::test]
async fn a_stream_outlives_the_timeout() {
    bounded(async {
        let (handler, go) = support::slow_stream(b"first\n", b"second\n");
        let server = Server::start(handler);
        let transport = ReqwestTransport::builder()
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let mut response = transport
            .send_streaming(get(&server.url("/stream")))
            .await
            .unwrap();
        assert_eq!(
            response.body_mut().chunk().await.unwrap().unwrap(),
            b"first\n"
        );
        // Quiet for longer than the timeout: a stream's body has no deadline.
        tokio::time::sleep(Duration::from_millis(400)).await;
        go.send(()).unwrap();
        assert_eq!(
            response.body_mut().chunk().await.unwrap().unwrap(),
            b"second\n"
        );
        assert_eq!(response.body_mut().chunk().await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn a_user_client_is_used_with_the_transport_limits() {
    bounded(async {
        let server = Server::start(|_, conn| support::huge(conn, 4096, true));
        let client = oauth1_transport_reqwest::client_builder()
            .unwrap()
            .user_agent("oauth1-test/1")
            .build()
            .unwrap();
        let transport = ReqwestTransport::builder()
            .client(client.clone())
            .max_body(100)
            .build()
            .unwrap();
        assert_eq!(transport.max_body(), 100);
        let error = transport.send(get(&server.url("/"))).await.unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::BodyTooLarge);
        let response = ReqwestTransport::from(client)
            .send(get(&server.url("/")))
            .await
            .unwrap();
        assert_eq!(response.body().len(), 4096);
        assert_eq!(
            server.requests()[1].header("user-agent"),
            Some("oauth1-test/1")
        );
    })
    .await;
}

#[cfg(feature = "rustls")]
#[tokio::test]
async fn a_user_client_keeps_its_redirect_policy() {
    bounded(async {
        let server = Server::start(|received, conn| match received.target() {
            "/start" => respond(conn, "302 Found", &[("Location", "/end")], b""),
            _ => respond(conn, "200 OK", &[], b"end"),
        });
        let following = reqwest::Client::builder()
            .tls_backend_preconfigured(
                rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth(),
            )
            .build()
            .unwrap();
        let response = ReqwestTransport::from(following)
            .send(get(&server.url("/start")))
            .await
            .unwrap();
        assert_eq!(response.body(), b"end");
    })
    .await;
}

#[test]
fn the_transport_is_easy_to_make_and_shows_no_client_internals() {
    fn shareable<T: Send + Sync + Clone + 'static>(_: &T) {}
    let transport = ReqwestTransport::default();
    shareable(&transport);
    assert!(transport.client().is_some());
    assert_eq!(transport.timeout(), oauth1_flow::transport::DEFAULT_TIMEOUT);
    assert_eq!(
        transport.max_body(),
        oauth1_flow::transport::DEFAULT_MAX_BODY
    );
    let debug = format!("{transport:?}");
    assert!(debug.starts_with("ReqwestTransport {"), "{debug}");
}

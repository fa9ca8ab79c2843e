//! A misbehaving provider: every failure is a typed error, no panic, no hang, through every
//! transport (reqwest async and blocking, ureq).
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use oauth1_core::ClientCredentials;
use oauth1_flow::{
    AccessToken, BlockingHttpClient, Callback, Error, Flow, GenericProvider, TransportErrorKind,
};

/// What the fake provider does with each connection.
#[derive(Clone, Copy)]
enum Script {
    /// Answers with this status, content type and body.
    Answer(u16, &'static str, &'static str),
    /// Announces a longer body than it sends, then closes.
    Truncated,
    /// Reads the request and never answers (for 10 s at most).
    Silent,
    /// Streams bytes without a newline until the client goes away (10 s at most).
    Endless,
}

/// A fake provider on a free loopback port; returns its base URL.
fn fake(script: Script) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || serve(stream, script));
        }
    });
    format!("http://{addr}")
}

fn serve(mut stream: TcpStream, script: Script) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    // Read the head and the body (by Content-Length).
    loop {
        let Ok(n) = stream.read(&mut chunk) else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                break;
            }
        }
    }
    let start = Instant::now();
    match script {
        Script::Answer(status, content_type, body) => {
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
        Script::Truncated => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 100\r\nconnection: close\r\n\r\noauth_token=abc&oauth",
            );
        }
        Script::Silent => {
            while start.elapsed() < Duration::from_secs(10) {
                thread::sleep(Duration::from_millis(50));
                if stream.peek(&mut chunk).map_or(true, |n| n == 0) {
                    return;
                }
            }
        }
        Script::Endless => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
            let piece = b"1000\r\n"
                .iter()
                .copied()
                .chain(std::iter::repeat_n(b'x', 0x1000))
                .chain(*b"\r\n")
                .collect::<Vec<u8>>();
            while start.elapsed() < Duration::from_secs(10) {
                if stream.write_all(&piece).is_err() {
                    return;
                }
            }
        }
    }
}

fn flow(base: &str) -> Flow<GenericProvider> {
    let provider = GenericProvider::builder(
        format!("{base}/oauth/request_token"),
        format!("{base}/oauth/authorize"),
        format!("{base}/oauth/access_token"),
    )
    .build()
    .unwrap();
    Flow::new(provider, ClientCredentials::new("key", "secret")).unwrap()
}

/// The request-token step against `script`, through every transport.
fn each_transport(script: Script, check: impl Fn(&str, Result<oauth1_flow::RequestToken, Error>)) {
    let base = fake(script);
    let flow = flow(&base);
    let short = Duration::from_millis(700);
    let reqwest_async = oauth1_transport_reqwest::ReqwestTransport::builder()
        .timeout(short)
        .max_body(64 * 1024)
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    check(
        "reqwest",
        runtime.block_on(flow.request_token(&reqwest_async, Callback::Oob)),
    );
    let reqwest_blocking = oauth1_transport_reqwest::BlockingReqwestTransport::builder()
        .timeout(short)
        .max_body(64 * 1024)
        .build()
        .unwrap();
    check(
        "reqwest blocking",
        flow.request_token_blocking(&reqwest_blocking, Callback::Oob),
    );
    let ureq = oauth1_transport_ureq::UreqTransport::builder()
        .timeout(short)
        .max_body(64 * 1024)
        .build();
    check("ureq", flow.request_token_blocking(&ureq, Callback::Oob));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "bounded in time"
    );
}

#[test]
fn no_callback_confirmation() {
    each_transport(
        Script::Answer(
            200,
            "application/x-www-form-urlencoded",
            "oauth_token=t&oauth_token_secret=s",
        ),
        |t, r| assert!(matches!(r, Err(Error::CallbackNotConfirmed)), "{t}: {r:?}"),
    );
    each_transport(
        Script::Answer(
            200,
            "text/html",
            "oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=false",
        ),
        |t, r| assert!(matches!(r, Err(Error::CallbackNotConfirmed)), "{t}: {r:?}"),
    );
}

#[test]
fn html_instead_of_a_token() {
    each_transport(
        Script::Answer(
            200,
            "text/html",
            "<!DOCTYPE html><html><body>Login</body></html>",
        ),
        |t, r| {
            assert!(
                matches!(r, Err(Error::NotFormEncoded { ref content_type, .. }) if content_type == "text/html"),
                "{t}: {r:?}"
            )
        },
    );
}

#[test]
fn truncated_bodies() {
    // Shorter than announced: the transport notices.
    each_transport(Script::Truncated, |t, r| {
        assert!(
            matches!(&r, Err(Error::Transport { source, .. }) if source.kind() == TransportErrorKind::Protocol),
            "{t}: {r:?}"
        )
    });
    // Complete but cut short by the provider: a missing field.
    each_transport(
        Script::Answer(200, "text/plain", "oauth_token=abc&oauth_tok"),
        |t, r| {
            assert!(
                matches!(
                    r,
                    Err(Error::MissingField {
                        field: "oauth_token_secret",
                        ..
                    })
                ),
                "{t}: {r:?}"
            )
        },
    );
}

#[test]
fn server_errors_are_parsed() {
    each_transport(
        Script::Answer(
            500,
            "application/json",
            r#"{"errors":[{"code":131,"message":"Internal error"}]}"#,
        ),
        |t, r| {
            let e = r.expect_err(t);
            let p = e.provider_error().unwrap_or_else(|| panic!("{t}: {e}"));
            assert_eq!((p.status.as_u16(), p.codes[0].code), (500, 131), "{t}");
        },
    );
}

#[test]
fn a_provider_that_never_answers_times_out() {
    each_transport(Script::Silent, |t, r| {
        assert!(
            matches!(&r, Err(Error::Transport { source, .. }) if source.is_timeout()),
            "{t}: {r:?}"
        )
    });
}

#[test]
fn an_endless_body_is_bounded() {
    each_transport(Script::Endless, |t, r| {
        assert!(
            matches!(&r, Err(Error::Transport { source, .. }) if source.kind() == TransportErrorKind::BodyTooLarge),
            "{t}: {r:?}"
        )
    });
}

#[test]
fn an_endless_line_in_a_stream_is_bounded() {
    let base = fake(Script::Endless);
    let flow = flow(&base);
    let token = AccessToken::new("t", "s");
    let ureq = oauth1_transport_ureq::UreqTransport::new();
    let client = flow.signed_client(&ureq, &token).unwrap();
    let request = client.prepare_get(&format!("{base}/stream"), &[]).unwrap();
    let mut lines = client
        .stream_blocking(request, 64 * 1024)
        .unwrap()
        .into_body();
    let r = lines.next_line_blocking();
    assert!(
        matches!(r, Err(Error::LineTooLong { limit: 65536 })),
        "{r:?}"
    );

    let reqwest = oauth1_transport_reqwest::ReqwestTransport::new();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = flow.signed_client(&reqwest, &token).unwrap();
        let request = client.prepare_get(&format!("{base}/stream"), &[]).unwrap();
        let mut lines = client.stream(request, 64 * 1024).await.unwrap().into_body();
        let r = lines.next_line().await;
        assert!(matches!(r, Err(Error::LineTooLong { .. })), "{r:?}");
    });
}

#[test]
fn a_callback_for_another_token_is_refused() {
    let base = fake(Script::Answer(
        200,
        "application/x-www-form-urlencoded",
        "oauth_token=mine&oauth_token_secret=s&oauth_callback_confirmed=true",
    ));
    let flow = flow(&base);
    let ureq = oauth1_transport_ureq::UreqTransport::new();
    let rt = flow
        .request_token_blocking(&ureq, Callback::Url("https://app.example/cb".into()))
        .unwrap();
    let r = rt.verifier_from_callback("https://app.example/cb?oauth_token=theirs&oauth_verifier=v");
    assert!(matches!(r, Err(Error::TokenMismatch)), "{r:?}");
    // The request token survives the bad callback.
    assert!(rt
        .verifier_from_callback("https://app.example/cb?oauth_token=mine&oauth_verifier=v")
        .is_ok());
    let _ = ureq.send(
        http::Request::get(format!("{base}/"))
            .body(Vec::new())
            .unwrap(),
    );
}

//! The policy and the deciding half, driven directly: no sockets, no clock, no sleeps.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::error::Step;
use crate::problem::ProviderError;
use crate::transport::TransportError;

fn status(n: u16) -> Cause {
    Cause::Status(StatusCode::from_u16(n).unwrap())
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn waits(backoff: &mut Backoff, cause: Cause, n: usize) -> Vec<Duration> {
    (0..n)
        .map(|_| match backoff.handle_failure(cause) {
            Decision::Wait(w) => w,
            Decision::Stop => panic!("stopped on {cause:?}"),
        })
        .collect()
}

#[test]
fn network_errors_back_off_linearly_by_250_ms_up_to_16_s() {
    for cause in [Cause::Network, Cause::Ended] {
        let mut b = Backoff::new(ReconnectPolicy::default());
        let got = waits(&mut b, cause, 70);
        for (i, wait) in got.iter().enumerate() {
            let want = ms(250 * (i as u64 + 1)).min(secs(16));
            assert_eq!(*wait, want, "attempt {}", i + 1);
        }
        assert_eq!(got[63], secs(16));
        assert_eq!(got[62], ms(15_750));
        assert_eq!(b.attempt(), 70);
    }
}

#[test]
fn http_errors_back_off_exponentially_from_5_s_up_to_320_s() {
    for code in [500, 502, 503, 504, 599, 408] {
        let mut b = Backoff::new(ReconnectPolicy::default());
        let got = waits(&mut b, status(code), 40);
        let want: Vec<Duration> = [5, 10, 20, 40, 80, 160, 320]
            .into_iter()
            .map(secs)
            .chain(std::iter::repeat_n(secs(320), 33))
            .collect();
        assert_eq!(got, want, "{code}");
    }
}

#[test]
fn rate_limits_back_off_exponentially_from_60_s_up_to_our_15_minutes() {
    for code in [420, 429] {
        let mut b = Backoff::new(ReconnectPolicy::default());
        let got = waits(&mut b, status(code), 40);
        let want: Vec<Duration> = [60, 120, 240, 480, 900]
            .into_iter()
            .map(secs)
            .chain(std::iter::repeat_n(secs(900), 35))
            .collect();
        assert_eq!(got, want, "{code}");
    }
    // The cap is configurable (X documents none).
    let mut b = Backoff::new(ReconnectPolicy::default().rate_limit(secs(60), secs(7200)));
    assert_eq!(waits(&mut b, status(429), 8).last(), Some(&secs(7200)));
}

#[test]
fn the_counters_never_overflow() {
    let policy = ReconnectPolicy::default()
        .network(Duration::MAX, Duration::MAX)
        .http(Duration::MAX, Duration::MAX)
        .rate_limit(secs(1), Duration::MAX);
    let mut b = Backoff::new(policy);
    for _ in 0..200 {
        let _ = b.handle_failure(Cause::Network);
        let _ = b.handle_failure(status(503));
        let _ = b.handle_failure(status(429));
    }
    assert_eq!(b.handle_failure(status(429)), Decision::Wait(Duration::MAX));
    assert_eq!(
        b.handle_failure(Cause::Network),
        Decision::Wait(Duration::MAX)
    );
    assert_eq!(b.attempt(), 602);
}

#[test]
fn each_kind_keeps_its_own_count() {
    let mut b = Backoff::new(ReconnectPolicy::default());
    let mut seq = Vec::new();
    for cause in [
        status(503),
        Cause::Network,
        status(503),
        status(420),
        Cause::Network,
        status(420),
        status(500),
    ] {
        seq.push(b.handle_failure(cause));
    }
    let want = [
        secs(5),
        ms(250),
        secs(10),
        secs(60),
        ms(500),
        secs(120),
        secs(20),
    ];
    assert_eq!(seq, want.map(Decision::Wait));
    assert_eq!(b.attempt(), 7);
}

#[test]
fn data_resets_every_backoff_and_the_next_drop_reconnects_at_once() {
    let mut b = Backoff::new(ReconnectPolicy::default());
    let _ = waits(&mut b, status(503), 4);
    let _ = waits(&mut b, Cause::Network, 4);
    let _ = waits(&mut b, status(429), 4);
    b.handle_data();
    assert_eq!(b.attempt(), 0);
    // The healthy connection drops (cleanly or not): at once; then the backoff starts over.
    assert_eq!(
        b.handle_failure(Cause::Ended),
        Decision::Wait(Duration::ZERO)
    );
    assert_eq!(b.attempt(), 1);
    assert_eq!(b.handle_failure(Cause::Network), Decision::Wait(ms(250)));
    assert_eq!(b.handle_failure(status(503)), Decision::Wait(secs(5)));
    assert_eq!(b.handle_failure(status(429)), Decision::Wait(secs(60)));
    b.handle_data();
    assert_eq!(
        b.handle_failure(Cause::Network),
        Decision::Wait(Duration::ZERO)
    );
    // An HTTP error right after a healthy connection backs off as an HTTP error.
    b.handle_data();
    assert_eq!(b.handle_failure(status(503)), Decision::Wait(secs(5)));
    assert_eq!(b.handle_failure(Cause::Network), Decision::Wait(ms(250)));
    // Data twice in a row is still one reset.
    b.handle_data();
    b.handle_data();
    assert_eq!(
        b.handle_failure(Cause::Network),
        Decision::Wait(Duration::ZERO)
    );
}

#[test]
fn a_servers_wait_is_a_floor_capped_by_the_policy() {
    let mut backoff = Backoff::new(ReconnectPolicy::default());
    let mut asked = |cause, wait| backoff.handle_failure_retry_after(cause, wait);
    // Longer than the policy's: the server's; shorter or none: the policy's.
    assert_eq!(asked(status(503), Some(secs(7))), Decision::Wait(secs(7)));
    assert_eq!(asked(status(503), Some(secs(1))), Decision::Wait(secs(10)));
    assert_eq!(asked(status(503), None), Decision::Wait(secs(20)));
    // Capped at 15 minutes, even past what a u64 of seconds holds.
    assert_eq!(
        asked(status(429), Some(Duration::MAX)),
        Decision::Wait(RETRY_AFTER_MAX)
    );
    assert_eq!(RETRY_AFTER_MAX, secs(900));
    // A status the policy stops on stops, whatever the server asks.
    for stop in [401, 403, 404] {
        assert_eq!(asked(status(stop), Some(secs(1))), Decision::Stop);
    }
    // The sequence went on underneath: the next 503 is the fourth.
    assert_eq!(asked(status(503), None), Decision::Wait(secs(40)));

    // Another cap; zero ignores servers.
    let mut capped = Backoff::new(ReconnectPolicy::default().retry_after_max(secs(100)));
    assert_eq!(
        capped.handle_failure_retry_after(status(429), Some(secs(3600))),
        Decision::Wait(secs(100))
    );
    let mut deaf = Backoff::new(ReconnectPolicy::default().retry_after_max(Duration::ZERO));
    assert_eq!(
        deaf.handle_failure_retry_after(status(429), Some(secs(3600))),
        Decision::Wait(secs(60))
    );
}

#[test]
fn every_status_is_classified() {
    let policy = ReconnectPolicy::default();
    for code in 100..=999u16 {
        let kind = policy.kind_of(status(code));
        let want = match code {
            420 | 429 => BackoffKind::RateLimit,
            408 | 500..=599 => BackoffKind::Http,
            _ => BackoffKind::Stop,
        };
        assert_eq!(kind, want, "{code}");
        let mut b = Backoff::new(policy);
        let decision = b.handle_failure(status(code));
        assert_eq!(
            decision == Decision::Stop,
            want == BackoffKind::Stop,
            "{code}"
        );
        // A stop counts no attempt.
        assert_eq!(b.attempt(), u32::from(want != BackoffKind::Stop));
    }
    for code in [401, 403, 404, 406, 413, 416, 400, 410, 422, 301, 302] {
        assert_eq!(policy.kind_of(status(code)), BackoffKind::Stop, "{code}");
    }
}

fn transport(kind: TransportErrorKind) -> Error {
    Error::Transport {
        step: Step::Resource,
        source: TransportError::new(kind, "test"),
    }
}

fn provider(code: u16) -> Error {
    Error::Provider {
        step: Step::Resource,
        error: Box::new(ProviderError::parse(
            StatusCode::from_u16(code).unwrap(),
            &http::HeaderMap::new(),
            b"",
        )),
    }
}

#[test]
fn errors_are_classified_as_causes() {
    for kind in [
        TransportErrorKind::Connect,
        TransportErrorKind::Timeout,
        TransportErrorKind::Protocol,
        TransportErrorKind::Other,
    ] {
        assert_eq!(
            Cause::of(&transport(kind)),
            Some(Cause::Network),
            "{kind:?}"
        );
    }
    for kind in [
        TransportErrorKind::Tls,
        TransportErrorKind::InvalidRequest,
        TransportErrorKind::BodyTooLarge,
    ] {
        assert_eq!(Cause::of(&transport(kind)), None, "{kind:?}");
    }
    assert_eq!(Cause::of(&provider(503)), Some(status(503)));
    assert_eq!(Cause::of(&Error::LineTooLong { limit: 1 }), None);
    assert_eq!(Cause::of(&Error::EmptyPin), None);
}

/// A body of scripted pieces.
struct Pieces(Vec<Result<Vec<u8>, TransportErrorKind>>);

impl BlockingBody for Pieces {
    fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
        if self.0.is_empty() {
            return Ok(None);
        }
        match self.0.remove(0) {
            Ok(piece) => Ok(Some(piece)),
            Err(kind) => Err(TransportError::new(kind, "scripted")),
        }
    }
}

/// Drives a core through a script of connection outcomes, as the readers do, and returns
/// what it yielded (lines as text, reconnects as `cause wait attempt`, stop as `error`).
fn drive(script: Vec<Result<Pieces, Error>>) -> (Vec<String>, usize) {
    let mut core: Core<Pieces> = Core::new(http::Request::new(Vec::new()));
    let mut script = script.into_iter();
    let mut out = Vec::new();
    let mut connects = 0;
    loop {
        match core.poll() {
            Action::Sleep(wait) => {
                out.push(format!("sleep {wait:?}"));
                core.handle_slept();
            }
            Action::Connect(_) => {
                connects += 1;
                let Some(next) = script.next() else {
                    return (out, connects);
                };
                core.handle_connect(next.map(|body| http::Response::new(Lines::new(body, 64))));
            }
            Action::Read => {
                let result = core.lines.as_mut().unwrap().next_line_blocking();
                core.handle_read(result);
            }
            Action::Yield(StreamEvent::Line(l)) => out.push(String::from_utf8(l).unwrap()),
            Action::Yield(StreamEvent::Connected { status, .. }) => {
                out.push(format!("connected {}", status.as_u16()));
            }
            Action::Yield(StreamEvent::Reconnecting(r)) => {
                out.push(format!("reconnect {} {:?} #{}", r.cause, r.wait, r.attempt));
            }
            Action::Fail(e) => {
                out.push(format!("error {e}"));
            }
            Action::Done => return (out, connects),
        }
    }
}

fn lines(text: &[&str], then: Option<TransportErrorKind>) -> Result<Pieces, Error> {
    let mut pieces: Vec<_> = text.iter().map(|t| Ok(t.as_bytes().to_vec())).collect();
    pieces.extend(then.map(Err));
    Ok(Pieces(pieces))
}

#[test]
fn the_core_reconnects_reports_and_stops() {
    let (out, connects) = drive(vec![
        lines(&["a\n", "b\n"], Some(TransportErrorKind::Protocol)),
        Err(transport(TransportErrorKind::Connect)),
        Err(provider(503)),
        lines(&[], None),
        lines(&["\n", "c\n"], None),
        Err(provider(401)),
    ]);
    assert_eq!(
        out,
        [
            "connected 200",
            "a",
            "b",
            "reconnect network error 0ns #1",
            "reconnect network error 250ms #2",
            "sleep 250ms",
            "reconnect HTTP 503 Service Unavailable 5s #3",
            "sleep 5s",
            "connected 200",
            // Accepted, but no line before the end: a failed attempt.
            "reconnect the server ended the stream 500ms #4",
            "sleep 500ms",
            "connected 200",
            "",
            "c",
            "reconnect the server ended the stream 0ns #1",
            "error the provider refused the resource request: HTTP 401 Unauthorized",
        ]
        .map(String::from)
        .to_vec()
    );
    assert_eq!(connects, 6);
}

#[test]
fn a_fatal_error_stops_at_once_and_stop_ends_it() {
    let (out, connects) = drive(vec![
        lines(&["a\n"], None),
        lines(
            &["this line is far too long for the limit of sixty-four bytes, so it stops\n"],
            None,
        ),
    ]);
    assert_eq!(
        out.last().map(String::as_str),
        Some(
            "error a streamed line is longer than 64 bytes: raise the limit or check the endpoint"
        )
    );
    assert_eq!(connects, 2);
    let mut core: Core<Pieces> = Core::new(http::Request::new(Vec::new()));
    core.stop();
    assert!(matches!(core.poll(), Action::Done));
}

#[test]
fn each_attempt_gets_a_fresh_copy_of_the_request() {
    let request = http::Request::post("https://stream.example/x?a=1")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"track=rust".to_vec())
        .unwrap();
    let mut core: Core<Pieces> = Core::new(request);
    let Action::Connect(first) = core.poll() else {
        panic!("no connect")
    };
    core.handle_connect(Err(transport(TransportErrorKind::Connect)));
    assert!(matches!(
        core.poll(),
        Action::Yield(StreamEvent::Reconnecting(_))
    ));
    assert!(matches!(core.poll(), Action::Sleep(_)));
    core.handle_slept();
    let Action::Connect(second) = core.poll() else {
        panic!("no reconnect")
    };
    for r in [first, second] {
        assert_eq!(r.method(), "POST");
        assert_eq!(r.uri(), "https://stream.example/x?a=1");
        assert_eq!(
            r.headers()["content-type"],
            "application/x-www-form-urlencoded"
        );
        assert_eq!(r.body(), b"track=rust");
        assert!(r.headers().get("authorization").is_none());
    }
}

//! Streams that stay up: the reconnecting readers (the flow crate's, and the Twitter preset's
//! on top) against a provider that drops, resets and refuses on purpose, over real loopback
//! TCP through real transports (reqwest async, ureq blocking). Time is virtual: the readers'
//! sleep records each wait and returns at once, and the tests assert the waits the policy
//! chose and the reconnects reported, never how long anything took.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oauth1_flow::reconnect::{
    BlockingReconnectingStream, Cause, ReconnectingStream, Sleep, StreamEvent,
};
use oauth1_flow::{AccessToken, Flow, HmacSha1, SignedClient, Signer};
use oauth1_provider_twitter::{Code, TweetEvent, Twitter, TwitterClient};
use oauth1_server::testkit::flaky::{FlakyProvider, Step};
use oauth1_server::Rejection;
use oauth1_transport_reqwest::ReqwestTransport;
use oauth1_transport_ureq::UreqTransport;

const PATH: &str = "/1.1/statuses/stream.json";

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// The waits a reader asked for, in order.
#[derive(Clone, Default)]
struct Clock(Arc<Mutex<Vec<Duration>>>);

impl Clock {
    fn sleep(&self) -> impl Sleep + 'static {
        let waits = self.0.clone();
        move |wait: Duration| {
            waits.lock().unwrap().push(wait);
            std::future::ready(())
        }
    }

    fn blocking_sleep(&self) -> impl Fn(Duration) + Send + Sync + 'static {
        let waits = self.0.clone();
        move |wait| waits.lock().unwrap().push(wait)
    }

    fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

fn signed<T>(provider: &FlakyProvider, transport: T) -> SignedClient<T> {
    let signer = Signer::new(HmacSha1, &provider.client(), Some(&provider.token())).unwrap();
    SignedClient::new(transport, signer)
}

/// An event as a short string: `L<id>` for a line (its `id`), `C` for a connection, `R <cause>
/// <wait> #<attempt>` for a reconnect.
fn show(event: &StreamEvent) -> String {
    match event {
        StreamEvent::Line(line) => {
            let json: serde_json::Value = serde_json::from_slice(line).unwrap();
            format!("L{}", json["id"])
        }
        StreamEvent::Connected { status, .. } => {
            assert_eq!(*status, 200);
            "C".into()
        }
        StreamEvent::Reconnecting(r) => reconnect(r.cause, r.wait, r.attempt),
        other => panic!("unexpected {other:?}"),
    }
}

fn reconnect(cause: Cause, wait: Duration, attempt: u32) -> String {
    let cause = match cause {
        Cause::Network => "network".to_owned(),
        Cause::Ended => "ended".to_owned(),
        Cause::Status(s) => s.as_u16().to_string(),
        other => format!("{other:?}"),
    };
    format!("R {cause} {wait:?} #{attempt}")
}

/// Every request was verified, none twice with the same nonce.
fn all_fresh(provider: &FlakyProvider) -> usize {
    let seen = provider.requests();
    let mut nonces = HashSet::new();
    for s in &seen {
        assert_eq!(s.rejection, None, "{s:?}");
        if let Some(nonce) = &s.nonce {
            assert!(nonces.insert(nonce.clone()), "nonce {nonce} sent twice");
        }
    }
    nonces.len()
}

async fn read(
    stream: &mut ReconnectingStream<&SignedClient<ReqwestTransport>>,
    lines: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = 0;
    while seen < lines {
        let event = stream.next().await.unwrap().unwrap();
        seen += usize::from(matches!(event, StreamEvent::Line(_)));
        out.push(show(&event));
    }
    out
}

#[tokio::test]
async fn lines_keep_flowing_across_drops_and_each_reconnect_is_signed_anew() {
    let provider = FlakyProvider::start(vec![
        Step::lines_then_drop(3),
        Step::lines_then_end(2),
        Step::Reset,
        Step::lines_then_drop(2),
    ])
    .unwrap();
    let client = signed(&provider, ReqwestTransport::new());
    let clock = Clock::default();
    let request = client
        .prepare_get(&provider.url(PATH), &[("track", "rust")])
        .unwrap();
    let mut stream = ReconnectingStream::new(&client, request, clock.sleep());
    let events = read(&mut stream, 10).await;
    assert_eq!(
        events,
        [
            "C",
            "L0",
            "L1",
            "L2",
            // A healthy connection broke mid-body: at once.
            "R network 0ns #1",
            "C",
            "L3",
            "L4",
            // A healthy connection ended cleanly: at once too.
            "R ended 0ns #1",
            // The next attempt is reset before any answer: the first network backoff.
            "R network 250ms #2",
            "C",
            "L5",
            "L6",
            "R network 0ns #1",
            // Past the script: a healthy endless stream.
            "C",
            "L7",
            "L8",
            "L9",
        ]
    );
    assert_eq!(clock.waits(), [ms(250)]);
    stream.stop();
    assert!(stream.next().await.unwrap().is_none());
    // Five signed requests (the reset one was never read), five nonces.
    assert_eq!(all_fresh(&provider), 4);
    assert_eq!(provider.requests().len(), 5);
}

#[tokio::test]
async fn each_backoff_kind_and_the_reset_after_healthy_data() {
    let provider = FlakyProvider::start(vec![
        Step::Status(503),
        Step::Status(500),
        Step::Status(420),
        Step::Status(429),
        Step::Reset,
        Step::Reset,
        Step::Status(502),
        Step::lines_then_drop(1),
        Step::Status(503),
        Step::Status(429),
        Step::Reset,
    ])
    .unwrap();
    let client = signed(&provider, ReqwestTransport::new());
    let clock = Clock::default();
    let request = client.prepare_get(&provider.url(PATH), &[]).unwrap();
    let mut stream = ReconnectingStream::new(&client, request, clock.sleep());
    let events = read(&mut stream, 3).await;
    assert_eq!(
        events,
        [
            "R 503 5s #1",
            "R 500 10s #2",
            "R 420 60s #3",
            "R 429 120s #4",
            "R network 250ms #5",
            "R network 500ms #6",
            "R 502 20s #7",
            "C",
            "L0",
            // Healthy: everything starts over.
            "R network 0ns #1",
            "R 503 5s #2",
            "R 429 60s #3",
            "R network 250ms #4",
            "C",
            "L1",
            "L2",
        ]
    );
    let want: Vec<Duration> = [
        secs(5),
        secs(10),
        secs(60),
        secs(120),
        ms(250),
        ms(500),
        secs(20),
    ]
    .into_iter()
    .chain([secs(5), secs(60), ms(250)])
    .collect();
    assert_eq!(clock.waits(), want);
    all_fresh(&provider);
}

/// A server's `Retry-After`: the longer of its wait and the policy's, its own capped at 15
/// minutes; one in the past or unreadable changes nothing; a 401 stops whatever it asks. Each
/// event says what the server asked.
#[tokio::test]
async fn retry_after_is_honoured_up_to_its_cap() {
    let asked = |status, retry_after| Step::StatusRetryAfter {
        status,
        retry_after,
    };
    let provider = FlakyProvider::start(vec![
        asked(429, "90"),
        asked(429, "30"),
        asked(503, "86400"),
        asked(503, "Thu, 01 Jan 1970 00:00:00 GMT"),
        asked(503, "soon"),
        Step::lines_then_end(1),
        asked(401, "1"),
    ])
    .unwrap();
    let client = signed(&provider, ReqwestTransport::new());
    let clock = Clock::default();
    let request = client.prepare_get(&provider.url(PATH), &[]).unwrap();
    let mut stream = ReconnectingStream::new(&client, request, clock.sleep());
    let mut events = Vec::new();
    loop {
        match stream.next().await {
            Ok(Some(StreamEvent::Reconnecting(r))) => events.push(format!(
                "{} asked {:?}",
                reconnect(r.cause, r.wait, r.attempt),
                r.retry_after
            )),
            Ok(Some(event)) => events.push(show(&event)),
            Ok(None) => panic!("the reader stopped without the 401"),
            Err(error) => {
                assert_eq!(error.provider_error().expect("the 401").status, 401);
                break;
            }
        }
    }
    assert_eq!(
        events,
        [
            "R 429 90s #1 asked Some(90s)",
            "R 429 120s #2 asked Some(30s)",
            "R 503 900s #3 asked Some(86400s)",
            "R 503 10s #4 asked Some(0ns)",
            "R 503 20s #5 asked None",
            "C",
            "L0",
            "R ended 0ns #1 asked None",
        ]
    );
    assert_eq!(
        clock.waits(),
        [secs(90), secs(120), secs(900), secs(10), secs(20)]
    );
    assert!(stream.next().await.unwrap().is_none());
    all_fresh(&provider);
}

#[tokio::test]
async fn it_stops_with_the_error_on_401_403_and_404() {
    for status in [401, 403, 404] {
        let provider = FlakyProvider::start(vec![Step::Status(503), Step::Status(status)]).unwrap();
        let client = signed(&provider, ReqwestTransport::new());
        let clock = Clock::default();
        let request = client.prepare_get(&provider.url(PATH), &[]).unwrap();
        let mut stream = ReconnectingStream::new(&client, request, clock.sleep());
        let first = stream.next().await.unwrap().unwrap();
        assert_eq!(show(&first), "R 503 5s #1");
        let error = stream.next().await.unwrap_err();
        let refused = error.provider_error().expect("a provider error");
        assert_eq!(refused.status, status);
        // Stopped: nothing more, and nothing sent.
        assert!(stream.next().await.unwrap().is_none());
        assert_eq!(provider.requests().len(), 2);
        assert_eq!(clock.waits(), [secs(5)]);
    }
}

#[tokio::test]
async fn refused_connections_back_off_until_the_provider_comes_up() {
    // A port nobody listens on, until the test's clock starts the provider there.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let started: Arc<Mutex<Option<FlakyProvider>>> = Arc::default();
    let waits: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let (start, record) = (started.clone(), waits.clone());
    let sleep = move |wait: Duration| {
        let mut w = record.lock().unwrap();
        w.push(wait);
        if w.len() == 3 {
            *start.lock().unwrap() = Some(FlakyProvider::start_on(addr, vec![]).unwrap());
        }
        std::future::ready(())
    };
    let client = SignedClient::new(
        ReqwestTransport::new(),
        Signer::new(
            HmacSha1,
            &oauth1_flow::ClientCredentials::new(
                oauth1_server::testkit::flaky::CONSUMER_KEY,
                oauth1_server::testkit::flaky::CONSUMER_SECRET,
            ),
            Some(&oauth1_flow::TokenCredentials::new(
                oauth1_server::testkit::flaky::TOKEN,
                oauth1_server::testkit::flaky::TOKEN_SECRET,
            )),
        )
        .unwrap(),
    );
    let request = client
        .prepare_get(&format!("http://{addr}{PATH}"), &[])
        .unwrap();
    let mut stream = ReconnectingStream::new(&client, request, sleep);
    let events = read(&mut stream, 2).await;
    assert_eq!(
        events,
        [
            "R network 250ms #1",
            "R network 500ms #2",
            "R network 750ms #3",
            "C",
            "L0",
            "L1",
        ]
    );
    let provider = started.lock().unwrap().take().unwrap();
    assert_eq!(all_fresh(&provider), 1);
}

#[tokio::test]
async fn a_replayed_request_would_be_refused() {
    // The same nonce twice: the provider's nonce store refuses the second, so a reader that
    // sent its signed request again would stop on 401 at its first reconnect.
    let provider = FlakyProvider::start(vec![Step::lines_then_drop(1)]).unwrap();
    // (A nonce is unique per timestamp: both are fixed.)
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let client = signed(&provider, ReqwestTransport::new())
        .stamp(move || ("always-the-same-nonce".to_owned(), now));
    let request = client.prepare_get(&provider.url(PATH), &[]).unwrap();
    let mut stream = ReconnectingStream::new(&client, request, Clock::default().sleep());
    let events = [
        show(&stream.next().await.unwrap().unwrap()),
        show(&stream.next().await.unwrap().unwrap()),
        show(&stream.next().await.unwrap().unwrap()),
    ];
    assert_eq!(events, ["C", "L0", "R network 0ns #1"]);
    let error = stream.next().await.unwrap_err();
    assert_eq!(error.provider_error().map(|p| p.status.as_u16()), Some(401));
    let seen = provider.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].rejection, Some(Rejection::ReplayedNonce));
}

#[test]
fn the_blocking_reader_reconnects_the_same_way() {
    let provider = FlakyProvider::start(vec![
        Step::lines_then_drop(2),
        Step::Status(503),
        Step::Reset,
        Step::lines_then_end(1),
        Step::Status(420),
    ])
    .unwrap();
    let client = signed(&provider, UreqTransport::new());
    let clock = Clock::default();
    let request = client.prepare_get(&provider.url(PATH), &[]).unwrap();
    let mut stream =
        BlockingReconnectingStream::new(&client, request).sleep(clock.blocking_sleep());
    let mut events = Vec::new();
    let mut lines = 0;
    while lines < 5 {
        let event = stream.next_blocking().unwrap().unwrap();
        lines += usize::from(matches!(event, StreamEvent::Line(_)));
        events.push(show(&event));
    }
    assert_eq!(
        events,
        [
            "C",
            "L0",
            "L1",
            "R network 0ns #1",
            "R 503 5s #2",
            "R network 250ms #3",
            "C",
            "L2",
            "R ended 0ns #1",
            "R 420 60s #2",
            "C",
            "L3",
            "L4",
        ]
    );
    assert_eq!(clock.waits(), [secs(5), ms(250), secs(60)]);
    all_fresh(&provider);
}

fn twitter<T>(provider: &FlakyProvider, transport: T) -> (Flow<Twitter>, AccessToken, T) {
    let flow = Flow::new(Twitter::with_base(&provider.url("")), provider.client()).unwrap();
    let token = AccessToken::new(
        oauth1_server::testkit::flaky::TOKEN,
        oauth1_server::testkit::flaky::TOKEN_SECRET,
    );
    (flow, token, transport)
}

fn show_tweet(event: &TweetEvent) -> String {
    match event {
        TweetEvent::Value(v) => format!("V{}", v["id"]),
        TweetEvent::Reconnecting(r) => reconnect(r.cause, r.wait, r.attempt),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn the_twitter_stream_reconnects_by_default() {
    let provider = FlakyProvider::start(vec![
        Step::lines_then_drop(2),
        Step::Status(503),
        Step::Status(429),
    ])
    .unwrap();
    let (flow, token, transport) = twitter(&provider, ReqwestTransport::new());
    let client = TwitterClient::new(&flow, transport, &token).unwrap();
    let clock = Clock::default();
    let mut stream = client
        .reconnecting_stream(PATH, &[], clock.sleep())
        .unwrap();
    let mut events = Vec::new();
    for _ in 0..7 {
        events.push(show_tweet(&stream.next().await.unwrap().unwrap()));
    }
    assert_eq!(
        events,
        [
            "V0",
            "V1",
            "R network 0ns #1",
            "R 503 5s #2",
            "R 429 60s #3",
            "V2",
            "V3"
        ]
    );
    assert_eq!(clock.waits(), [secs(5), secs(60)]);
    stream.stop();
    assert!(stream.next().await.unwrap().is_none());
    all_fresh(&provider);
}

#[test]
fn the_blocking_twitter_stream_stops_on_401_with_twitters_code() {
    let provider = FlakyProvider::start(vec![Step::lines_then_end(1), Step::Status(401)]).unwrap();
    let (flow, token, transport) = twitter(&provider, UreqTransport::new());
    let client = TwitterClient::new(&flow, transport, &token).unwrap();
    let clock = Clock::default();
    let mut stream = client
        .reconnecting_stream_blocking(PATH, &[])
        .unwrap()
        .sleep(clock.blocking_sleep());
    let first = show_tweet(&stream.next_event().unwrap().unwrap());
    let second = show_tweet(&stream.next_event().unwrap().unwrap());
    assert_eq!([first, second], ["V0", "R ended 0ns #1"]);
    let error = stream.next_event().unwrap_err();
    assert!(error.has_code(Code::CouldNotAuthenticate), "{error}");
    assert!(stream.next_event().unwrap().is_none());
    assert!(clock.waits().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_owns_its_client_and_runs_in_a_spawned_task() {
    let provider = FlakyProvider::start(vec![Step::lines_then_drop(2)]).unwrap();
    let client = Arc::new(signed(&provider, ReqwestTransport::new()));
    let request = client.prepare_get(&provider.url(PATH), &[]).unwrap();
    // tokio's own timer; this script never makes it wait (a healthy drop reconnects at once).
    let mut stream = ReconnectingStream::new(Arc::clone(&client), request, tokio::time::sleep);
    let events = tokio::spawn(async move {
        let mut events = Vec::new();
        while events.len() < 6 {
            events.push(show(&stream.next().await.unwrap().unwrap()));
        }
        events
    })
    .await
    .unwrap();
    assert_eq!(events, ["C", "L0", "L1", "R network 0ns #1", "C", "L2"]);
    all_fresh(&provider);
}

#[tokio::test]
async fn a_stalled_connection_is_dropped_and_reconnected() {
    // One line, then silence with the connection open.
    let provider = FlakyProvider::start(vec![
        Step::Serve {
            lines: 1,
            end: oauth1_server::testkit::flaky::End::Hold,
        },
        Step::Status(503),
    ])
    .unwrap();
    let client = signed(&provider, ReqwestTransport::new());
    // The stall timer is a real (short) one, so that the first line surely comes before it;
    // the reconnect waits stay virtual, recorded and never slept.
    const STALL: Duration = Duration::from_millis(700);
    let waits: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let record = waits.clone();
    let sleep =
        move |wait: Duration| -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
            if wait == STALL {
                return Box::pin(tokio::time::sleep(wait));
            }
            record.lock().unwrap().push(wait);
            Box::pin(std::future::ready(()))
        };
    let request = client.prepare_get(&provider.url(PATH), &[]).unwrap();
    let mut stream = ReconnectingStream::new(&client, request, sleep).stall_timeout(STALL);
    let mut events = Vec::new();
    let mut stalled = None;
    while events.len() < 6 {
        let event = stream.next().await.unwrap().unwrap();
        if let StreamEvent::Reconnecting(r) = &event {
            if let Some(oauth1_flow::Error::Transport { source, .. }) = &r.error {
                stalled.get_or_insert(source.kind());
            }
        }
        events.push(show(&event));
    }
    assert_eq!(
        events,
        ["C", "L0", "R network 0ns #1", "R 503 5s #2", "C", "L1"]
    );
    assert_eq!(stalled, Some(oauth1_flow::TransportErrorKind::Timeout));
    assert_eq!(*waits.lock().unwrap(), [secs(5)]);
    all_fresh(&provider);
}

//! Streams that stay up: a reader that reconnects by itself when a long-lived signed stream
//! drops, with X's documented backoff, and reports each reconnect.
//!
//! Two layers, as quinn splits a protocol from its sockets:
//! - [`Backoff`], the policy: a small deterministic state machine with no IO and no clock.
//!   [`handle_failure`](Backoff::handle_failure) takes what happened (a [`Cause`]) and says how
//!   long to wait, or to stop; [`handle_data`](Backoff::handle_data) says a connection delivered
//!   data. [`ReconnectPolicy`] holds its numbers (X's by default).
//! - [`ReconnectingStream`] (async, over a [`StreamingHttpClient`]) and
//!   [`BlockingReconnectingStream`] (over a [`BlockingStreamingHttpClient`]): they send the
//!   request through [`SignedClient::stream`] / [`SignedClient::stream_blocking`], so every
//!   attempt is signed again with a fresh nonce and timestamp, read its lines, and on a drop
//!   ask the policy. The deciding is shared; only the IO differs. The async reader has no
//!   timer of its own (this crate has no runtime): you give it a [`Sleep`], such as
//!   `tokio::time::sleep`, and a test gives it one that records the waits and returns at once.
//!
//! # The policy (X's, the default)
//! X's "Handling disconnections" (docs.x.com/x-api/fundamentals/handling-disconnections):
//! "Once an established connection drops, attempt to reconnect immediately. If the reconnect
//! fails, use backoff strategies based on the error type", and for TCP/IP network errors
//! "Back off linearly. [...] Increase delay by 250ms each attempt. Maximum delay: 16 sec".
//! Twitter's v1.1 "Connecting to a streaming endpoint": "Back off exponentially for HTTP
//! errors for which reconnecting would be appropriate. Start with a 5 second wait, doubling
//! each attempt, up to 320 seconds" and "Back off exponentially for HTTP 420 errors. Start
//! with a 1 minute wait and double each attempt."
//!
//! | what happened ([`Cause`]) | wait |
//! |---|---|
//! | a connection that delivered data drops | none: reconnect at once |
//! | [`Cause::Network`], [`Cause::Ended`] otherwise | 250 ms, 500 ms, 750 ms, … up to 16 s |
//! | [`Cause::Status`] 5xx or 408 | 5 s, 10 s, 20 s, … up to 320 s |
//! | [`Cause::Status`] 420 or 429 | 60 s, 120 s, 240 s, … up to 15 min (X documents no cap: this one is ours, one rate-limit window; [`ReconnectPolicy::rate_limit`] changes it) |
//! | [`Cause::Status`] 401 or 403 | stop: the error is returned |
//! | [`Cause::Status`] any other (404, 406, 413, 416, other 4xx, 3xx) | stop: the request itself is wrong (a path, a parameter, a range), and sending it again gets the same answer |
//!
//! A server that refuses with a `Retry-After` header (seconds or an HTTP date; RFC 9110
//! §10.2.3), or a 429/420 with Twitter's `x-rate-limit-reset` (Unix seconds) and no
//! `Retry-After`, gets
//! the longer of its wait and the policy's, its own capped at 15 minutes
//! ([`ReconnectPolicy::retry_after_max`]); the event says what it asked
//! ([`Reconnect::retry_after`]). A 401, 403 or other stopping status stops whatever it asks.
//!
//! **Healthy** means the connection was accepted (2xx) and delivered at least one complete
//! line; a keep-alive blank line counts, since it proves the connection carries data. Then
//! every backoff starts over. A connection accepted that drops before its first line is a
//! failed attempt (network backoff), so a server that accepts and hangs up at once is not
//! hammered.
//!
//! Errors that no reconnect can fix stop the reader too: a TLS failure, a request the
//! transport cannot send, a signing failure, a line over the limit.
//!
//! A connection that falls silent is dropped and reconnected as a network error after
//! [`ReconnectingStream::stall_timeout`] (off by default; X's streams send a keep-alive
//! newline every 20 seconds). Not done: the waits have no random jitter (X documents none for
//! streams).
//!
//! ```no_run
//! # async fn run(flow: oauth1_flow::Flow<oauth1_flow::GenericProvider>, token: oauth1_flow::AccessToken, transport: impl oauth1_flow::StreamingHttpClient) -> Result<(), oauth1_flow::Error> {
//! use oauth1_flow::reconnect::{ReconnectingStream, StreamEvent};
//!
//! let client = flow.signed_client(transport, &token)?;
//! let request = client.prepare_get("https://stream.example/1.1/statuses/filter.json", &[("track", "rust")])?;
//! # let sleep = |_wait: std::time::Duration| std::future::ready(());
//! // With tokio: `let sleep = tokio::time::sleep;`
//! let mut stream = ReconnectingStream::new(&client, request, sleep);
//! while let Some(event) = stream.next().await? {
//!     match event {
//!         StreamEvent::Line(line) => println!("{}", String::from_utf8_lossy(&line)),
//!         StreamEvent::Reconnecting(r) => eprintln!("reconnect #{} in {:?}: {:?}", r.attempt, r.wait, r.cause),
//!         _ => {}
//!     }
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, SystemTime};

use http::StatusCode;

use crate::client::SignedClient;
use crate::error::{Error, Step};
use crate::lines::{Lines, DEFAULT_MAX_LINE};
use crate::transport::{
    AsyncBody, BlockingBody, BlockingStreamingHttpClient, StreamingHttpClient, TransportError,
    TransportErrorKind,
};

/// X's linear step for network errors: 250 ms more each attempt.
pub const NETWORK_STEP: Duration = Duration::from_millis(250);
/// X's cap for network errors: 16 s.
pub const NETWORK_MAX: Duration = Duration::from_secs(16);
/// X's first wait after an HTTP error: 5 s, doubled each attempt.
pub const HTTP_FIRST: Duration = Duration::from_secs(5);
/// X's cap for HTTP errors: 320 s.
pub const HTTP_MAX: Duration = Duration::from_secs(320);
/// X's first wait after a 420 or 429: 60 s, doubled each attempt.
pub const RATE_LIMIT_FIRST: Duration = Duration::from_secs(60);
/// Our cap for 420 and 429 (X documents none): 15 minutes, one rate-limit window.
pub const RATE_LIMIT_MAX: Duration = Duration::from_secs(15 * 60);
/// The longest wait a server's `Retry-After` (or `x-rate-limit-reset`) gets by default: 15
/// minutes, one rate-limit window, so that a wrong or hostile header cannot park the reader.
pub const RETRY_AFTER_MAX: Duration = Duration::from_secs(15 * 60);

/// The numbers of the reconnect policy. [`Default`] is X's (see the [module](self) docs).
///
/// ```
/// use std::time::Duration;
/// use oauth1_flow::reconnect::ReconnectPolicy;
///
/// let policy = ReconnectPolicy::default().rate_limit(Duration::from_secs(60), Duration::from_secs(3600));
/// assert_eq!(policy, ReconnectPolicy::x().rate_limit(Duration::from_secs(60), Duration::from_secs(3600)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReconnectPolicy {
    network_step: Duration,
    network_max: Duration,
    http_first: Duration,
    http_max: Duration,
    rate_limit_first: Duration,
    rate_limit_max: Duration,
    retry_after_max: Duration,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self::x()
    }
}

impl ReconnectPolicy {
    /// X's documented policy, with our 15-minute cap on 420/429.
    pub const fn x() -> Self {
        ReconnectPolicy {
            network_step: NETWORK_STEP,
            network_max: NETWORK_MAX,
            http_first: HTTP_FIRST,
            http_max: HTTP_MAX,
            rate_limit_first: RATE_LIMIT_FIRST,
            rate_limit_max: RATE_LIMIT_MAX,
            retry_after_max: RETRY_AFTER_MAX,
        }
    }

    /// Network errors wait `step` more each attempt, at most `max`.
    #[must_use]
    pub const fn network(mut self, step: Duration, max: Duration) -> Self {
        self.network_step = step;
        self.network_max = max;
        self
    }

    /// Retryable HTTP errors (5xx, 408) wait `first`, doubled each attempt, at most `max`.
    #[must_use]
    pub const fn http(mut self, first: Duration, max: Duration) -> Self {
        self.http_first = first;
        self.http_max = max;
        self
    }

    /// 420 and 429 wait `first`, doubled each attempt, at most `max`.
    #[must_use]
    pub const fn rate_limit(mut self, first: Duration, max: Duration) -> Self {
        self.rate_limit_first = first;
        self.rate_limit_max = max;
        self
    }

    /// A server that asks for a longer wait than the policy's (`Retry-After`, else
    /// `x-rate-limit-reset`; see [`ProviderError::retry_delay`](crate::ProviderError::retry_delay))
    /// gets it, up to `max` (default [`RETRY_AFTER_MAX`], 15 minutes); [`Duration::ZERO`]
    /// ignores what servers ask. A shorter request never shortens the policy's wait.
    #[must_use]
    pub const fn retry_after_max(mut self, max: Duration) -> Self {
        self.retry_after_max = max;
        self
    }

    /// What the policy does about `cause`.
    pub fn kind_of(&self, cause: Cause) -> BackoffKind {
        match cause {
            Cause::Network | Cause::Ended => BackoffKind::Network,
            Cause::Status(s) => match s.as_u16() {
                420 | 429 => BackoffKind::RateLimit,
                408 | 500..=599 => BackoffKind::Http,
                _ => BackoffKind::Stop,
            },
        }
    }
}

/// Why a connection or an attempt to connect ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cause {
    /// A TCP/IP level failure: refused, reset, timed out, or broken in the middle of the body.
    Network,
    /// The server ended the body cleanly (a stream is not meant to end).
    Ended,
    /// The server answered with this non-2xx status.
    Status(StatusCode),
}

impl Cause {
    /// The cause of `error` if a reconnect may cure it; `None` for an error that none can (TLS,
    /// a request the transport cannot send, signing, a line over the limit).
    pub fn of(error: &Error) -> Option<Cause> {
        match error {
            Error::Transport { source, .. } => match source.kind() {
                TransportErrorKind::Tls
                | TransportErrorKind::InvalidRequest
                | TransportErrorKind::BodyTooLarge => None,
                _ => Some(Cause::Network),
            },
            Error::Provider { error, .. } => Some(Cause::Status(error.status)),
            _ => None,
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Network => f.write_str("network error"),
            Cause::Ended => f.write_str("the server ended the stream"),
            Cause::Status(s) => write!(f, "HTTP {s}"),
        }
    }
}

/// Which backoff a [`Cause`] gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BackoffKind {
    /// Linear (network errors).
    Network,
    /// Exponential from 5 s (retryable HTTP errors).
    Http,
    /// Exponential from 60 s (420, 429).
    RateLimit,
    /// No reconnect.
    Stop,
}

/// What [`Backoff::handle_failure`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use]
pub enum Decision {
    /// Wait this long, then connect again.
    Wait(Duration),
    /// Do not reconnect.
    Stop,
}

/// X's reconnect policy as a state machine: no IO, no clock, no sleeping.
///
/// ```
/// use std::time::Duration;
/// use oauth1_flow::http::StatusCode;
/// use oauth1_flow::reconnect::{Backoff, Cause, Decision, ReconnectPolicy};
///
/// let mut backoff = Backoff::new(ReconnectPolicy::default());
/// let s = |n| Cause::Status(StatusCode::from_u16(n).unwrap());
/// assert_eq!(backoff.handle_failure(s(503)), Decision::Wait(Duration::from_secs(5)));
/// assert_eq!(backoff.handle_failure(s(503)), Decision::Wait(Duration::from_secs(10)));
/// assert_eq!(backoff.handle_failure(Cause::Network), Decision::Wait(Duration::from_millis(250)));
/// assert_eq!(backoff.attempt(), 3);
/// backoff.handle_data(); // a connection delivered data: healthy
/// assert_eq!(backoff.handle_failure(Cause::Ended), Decision::Wait(Duration::ZERO)); // at once
/// assert_eq!(backoff.handle_failure(s(503)), Decision::Wait(Duration::from_secs(5)));
/// assert_eq!(backoff.handle_failure(s(401)), Decision::Stop);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    policy: ReconnectPolicy,
    /// Failures since the last healthy connection.
    attempt: u32,
    /// Failures of each kind since the last healthy connection.
    network: u32,
    http: u32,
    rate_limit: u32,
    /// The last connection delivered data, and nothing failed since.
    healthy: bool,
}

impl Backoff {
    /// A fresh backoff under `policy`.
    pub fn new(policy: ReconnectPolicy) -> Self {
        Backoff {
            policy,
            attempt: 0,
            network: 0,
            http: 0,
            rate_limit: 0,
            healthy: false,
        }
    }

    /// The policy.
    pub fn policy(&self) -> &ReconnectPolicy {
        &self.policy
    }

    /// Failures since the last healthy connection (0 while healthy): the attempt number of the
    /// last [`handle_failure`](Self::handle_failure).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// A connection delivered data: every backoff starts over, and if it drops, the next
    /// attempt is immediate.
    pub fn handle_data(&mut self) {
        *self = Backoff {
            healthy: true,
            ..Backoff::new(self.policy)
        };
    }

    /// A connection or an attempt ended for `cause`: how long to wait before the next one, or
    /// to stop.
    pub fn handle_failure(&mut self, cause: Cause) -> Decision {
        let kind = self.policy.kind_of(cause);
        if kind == BackoffKind::Stop {
            return Decision::Stop;
        }
        self.attempt = self.attempt.saturating_add(1);
        let p = self.policy;
        let wait = match kind {
            // X: "Once an established connection drops, attempt to reconnect immediately."
            BackoffKind::Network if self.healthy => Duration::ZERO,
            BackoffKind::Network => {
                self.network = self.network.saturating_add(1);
                p.network_step
                    .saturating_mul(self.network)
                    .min(p.network_max)
            }
            BackoffKind::Http => doubled(&mut self.http, p.http_first, p.http_max),
            _ => doubled(&mut self.rate_limit, p.rate_limit_first, p.rate_limit_max),
        };
        self.healthy = false;
        Decision::Wait(wait)
    }

    /// [`handle_failure`](Self::handle_failure) when the server said how long to wait
    /// (`retry_after`, from `Retry-After` or `x-rate-limit-reset`): the longer of the policy's
    /// wait and the server's, the server's capped at
    /// [`ReconnectPolicy::retry_after_max`]. A status the policy stops on still stops.
    ///
    /// ```
    /// use std::time::Duration;
    /// use oauth1_flow::http::StatusCode;
    /// use oauth1_flow::reconnect::{Backoff, Cause, Decision, ReconnectPolicy};
    ///
    /// let mut backoff = Backoff::new(ReconnectPolicy::default());
    /// let too_many = Cause::Status(StatusCode::TOO_MANY_REQUESTS);
    /// let secs = |s| Some(Duration::from_secs(s));
    /// // 429 waits 60 s, 120 s, ...; a server asking for 90 s gets 90 s,
    /// assert_eq!(backoff.handle_failure_retry_after(too_many, secs(90)), Decision::Wait(Duration::from_secs(90)));
    /// // for 10 s, the policy's 120 s,
    /// assert_eq!(backoff.handle_failure_retry_after(too_many, secs(10)), Decision::Wait(Duration::from_secs(120)));
    /// // for a day, the cap: 15 minutes.
    /// assert_eq!(backoff.handle_failure_retry_after(too_many, secs(86_400)), Decision::Wait(Duration::from_secs(900)));
    /// ```
    pub fn handle_failure_retry_after(
        &mut self,
        cause: Cause,
        retry_after: Option<Duration>,
    ) -> Decision {
        match (self.handle_failure(cause), retry_after) {
            (Decision::Wait(wait), Some(asked)) => {
                Decision::Wait(wait.max(asked.min(self.policy.retry_after_max)))
            }
            (decision, _) => decision,
        }
    }
}

/// `first` doubled once for each earlier failure counted in `count` (then counts this one), at
/// most `max`.
fn doubled(count: &mut u32, first: Duration, max: Duration) -> Duration {
    let doublings = *count;
    *count = count.saturating_add(1);
    let factor = 1u32.checked_shl(doublings).unwrap_or(u32::MAX);
    if doublings >= 32 {
        return max;
    }
    first.saturating_mul(factor).min(max)
}

/// A reconnect, reported to the caller before the wait.
#[derive(Debug)]
#[non_exhaustive]
pub struct Reconnect {
    /// Failures since the last healthy connection, this one included (1 after a healthy
    /// connection drops).
    pub attempt: u32,
    /// Why the connection or the attempt ended.
    pub cause: Cause,
    /// How long the reader waits before it connects again.
    pub wait: Duration,
    /// The wait the server asked for, as it asked (`Retry-After`, else `x-rate-limit-reset`),
    /// when it did: [`wait`](Self::wait) is at least this, up to
    /// [`ReconnectPolicy::retry_after_max`].
    pub retry_after: Option<Duration>,
    /// The error behind it (none for [`Cause::Ended`]).
    pub error: Option<Error>,
}

/// What a reconnecting reader yields.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamEvent {
    /// A connection was accepted (2xx): its status and headers (rate limits, for one).
    Connected {
        /// The status.
        status: StatusCode,
        /// The headers.
        headers: http::HeaderMap,
    },
    /// A complete line, without its line end; keep-alive blank lines are lines too.
    Line(Vec<u8>),
    /// The connection dropped or an attempt failed; the reader waits, then connects again.
    Reconnecting(Reconnect),
}

/// Waits, for the async reader: the caller's timer (`tokio::time::sleep` is one, through the
/// blanket implementation for `Fn(Duration) -> impl Future`).
///
/// ```
/// use std::time::Duration;
/// use oauth1_flow::reconnect::Sleep;
///
/// // A virtual clock for a test: record the wait, return at once.
/// let waits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
/// let record = waits.clone();
/// let sleep = move |wait: Duration| {
///     record.lock().unwrap().push(wait);
///     std::future::ready(())
/// };
/// let _ = Sleep::sleep(&sleep, Duration::from_secs(5));
/// assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(5)]);
/// ```
pub trait Sleep: Send + Sync {
    /// A future that completes after `wait`.
    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

impl<F, Fut> Sleep for F
where
    F: Fn(Duration) -> Fut + Send + Sync,
    Fut: Future<Output = ()> + Send + 'static,
{
    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(self(wait))
    }
}

/// What the IO half must do next.
enum Action {
    /// Wait this long (then call [`Core::handle_slept`]).
    Sleep(Duration),
    /// Sign and send this request (then call [`Core::handle_connect`]).
    Connect(http::Request<Vec<u8>>),
    /// Read the next line of the open connection (then call [`Core::handle_read`]).
    Read,
    /// Hand this to the caller.
    Yield(StreamEvent),
    /// Hand this error to the caller; the reader has stopped.
    Fail(Error),
    /// The reader has stopped.
    Done,
}

/// The deciding half of both readers: the request to send again, the lines of the open
/// connection, the backoff. No IO: the async and the blocking reader ask it what to do
/// ([`poll`](Self::poll)) and tell it what happened (`handle_*`).
struct Core<B> {
    request: http::Request<Vec<u8>>,
    max_line: usize,
    /// The longest silence accepted on a connection (async reader only).
    stall: Option<Duration>,
    backoff: Backoff,
    lines: Option<Lines<B>>,
    wait: Option<Duration>,
    event: Option<StreamEvent>,
    failed: Option<Error>,
    stopped: bool,
}

impl<B> Core<B> {
    fn new(request: http::Request<Vec<u8>>) -> Self {
        Core {
            request,
            max_line: DEFAULT_MAX_LINE,
            stall: None,
            backoff: Backoff::new(ReconnectPolicy::default()),
            lines: None,
            wait: None,
            event: None,
            failed: None,
            stopped: false,
        }
    }

    fn poll(&mut self) -> Action {
        if let Some(error) = self.failed.take() {
            self.stopped = true;
            return Action::Fail(error);
        }
        if let Some(event) = self.event.take() {
            return Action::Yield(event);
        }
        if self.stopped {
            return Action::Done;
        }
        if self.lines.is_some() {
            return Action::Read;
        }
        if let Some(wait) = self.wait.take() {
            if !wait.is_zero() {
                return Action::Sleep(wait);
            }
        }
        Action::Connect(copy(&self.request))
    }

    /// [`poll`](Self::poll) for the IO half: the IO to do (sleep, connect, read), or what to
    /// return to the caller.
    fn io(&mut self) -> Result<Action, Result<Option<StreamEvent>, Error>> {
        match self.poll() {
            Action::Yield(event) => Err(Ok(Some(event))),
            Action::Fail(error) => Err(Err(error)),
            Action::Done => Err(Ok(None)),
            io => Ok(io),
        }
    }

    fn handle_slept(&mut self) {
        self.wait = None;
    }

    fn handle_connect(&mut self, result: Result<http::Response<Lines<B>>, Error>) {
        match result {
            Ok(response) => {
                let (parts, lines) = response.into_parts();
                self.lines = Some(lines);
                self.event = Some(StreamEvent::Connected {
                    status: parts.status,
                    headers: parts.headers,
                });
            }
            Err(error) => self.handle_failure(Cause::of(&error), Some(error)),
        }
    }

    fn handle_read(&mut self, result: Result<Option<Vec<u8>>, Error>) {
        match result {
            Ok(Some(line)) => {
                self.backoff.handle_data();
                self.event = Some(StreamEvent::Line(line));
            }
            Ok(None) => {
                self.lines = None;
                self.handle_failure(Some(Cause::Ended), None);
            }
            Err(error) => {
                self.lines = None;
                self.handle_failure(Cause::of(&error), Some(error));
            }
        }
    }

    fn handle_failure(&mut self, cause: Option<Cause>, error: Option<Error>) {
        let retry_after = match &error {
            Some(Error::Provider { error, .. }) => error.retry_delay(SystemTime::now()),
            _ => None,
        };
        let decision = match cause {
            Some(cause) => (
                cause,
                self.backoff.handle_failure_retry_after(cause, retry_after),
            ),
            None => (Cause::Ended, Decision::Stop),
        };
        match (decision, error) {
            ((cause, Decision::Wait(wait)), error) => {
                self.wait = Some(wait);
                self.event = Some(StreamEvent::Reconnecting(Reconnect {
                    attempt: self.backoff.attempt(),
                    cause,
                    wait,
                    retry_after,
                    error,
                }));
            }
            ((_, Decision::Stop), Some(error)) => self.failed = Some(error),
            ((_, Decision::Stop), None) => self.stopped = true,
        }
    }

    fn stop(&mut self) {
        self.lines = None;
        self.event = None;
        self.failed = None;
        self.stopped = true;
    }
}

impl<B> fmt::Debug for Core<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reconnecting")
            .field("method", self.request.method())
            .field("uri", self.request.uri())
            .field("backoff", &self.backoff)
            .field("connected", &self.lines.is_some())
            .field("stopped", &self.stopped)
            .finish_non_exhaustive()
    }
}

/// The request again, unsigned, for the next attempt (`http::Request` is not `Clone`: its
/// extensions may not be).
fn copy(request: &http::Request<Vec<u8>>) -> http::Request<Vec<u8>> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// A signed line-delimited stream that reconnects by itself: each attempt signed anew through
/// [`SignedClient::stream`] (or [`SignedClient::stream_blocking`]), the waits chosen by
/// [`Backoff`] (X's policy unless [`policy`](Self::policy) says otherwise), each reconnect
/// reported as a [`StreamEvent::Reconnecting`] before its wait. It never ends by itself: the
/// next event is an error when the policy stops (401, 403, other 4xx; TLS and signing
/// failures), and `None` after that or after [`stop`](Self::stop).
///
/// Use it through its two faces, which fix `S` (how it waits) and `B` (the body it reads):
/// [`ReconnectingStream`] (async, [`next`](ReconnectingStream::next)) and
/// [`BlockingReconnectingStream`] ([`next_blocking`](BlockingReconnectingStream::next_blocking)).
/// `C` is the client: `&SignedClient<T>`, `Arc<SignedClient<T>>`, anything that derefs to one.
pub struct Reconnecting<C, S, B> {
    client: C,
    sleep: S,
    core: Core<B>,
}

/// The async [`Reconnecting`] reader, over a [`StreamingHttpClient`], waiting with the
/// caller's [`Sleep`].
///
/// ```no_run
/// # async fn run(client: oauth1_flow::SignedClient<impl oauth1_flow::StreamingHttpClient>) -> Result<(), oauth1_flow::Error> {
/// use std::time::Duration;
/// use oauth1_flow::reconnect::{ReconnectPolicy, ReconnectingStream, StreamEvent};
///
/// let request = client.prepare_get("https://stream.example/1.1/statuses/sample.json", &[])?;
/// # let sleep = |_wait: Duration| std::future::ready(());
/// // With tokio: `let sleep = tokio::time::sleep;`
/// let mut stream = ReconnectingStream::new(&client, request, sleep)
///     .policy(ReconnectPolicy::default().rate_limit(Duration::from_secs(60), Duration::from_secs(1800)));
/// while let Some(event) = stream.next().await? {
///     if let StreamEvent::Line(line) = event {
///         println!("{}", String::from_utf8_lossy(&line));
///     }
/// }
/// # Ok(()) }
/// ```
pub type ReconnectingStream<C> = Reconnecting<C, Arc<dyn Sleep>, Box<dyn AsyncBody>>;

/// The blocking [`Reconnecting`] reader, over a [`BlockingStreamingHttpClient`]; it waits with
/// [`std::thread::sleep`] unless [`sleep`](Reconnecting::sleep) gives it another (a test's
/// virtual clock).
///
/// ```no_run
/// # fn run(client: oauth1_flow::SignedClient<impl oauth1_flow::BlockingStreamingHttpClient>) -> Result<(), oauth1_flow::Error> {
/// use oauth1_flow::reconnect::{BlockingReconnectingStream, StreamEvent};
///
/// let request = client.prepare_get("https://stream.example/1.1/statuses/sample.json", &[])?;
/// let mut stream = BlockingReconnectingStream::new(&client, request);
/// while let Some(event) = stream.next_blocking()? {
///     match event {
///         StreamEvent::Line(line) => println!("{}", String::from_utf8_lossy(&line)),
///         StreamEvent::Reconnecting(r) => eprintln!("{} ({}); again in {:?}", r.attempt, r.cause, r.wait),
///         _ => {}
///     }
/// }
/// # Ok(()) }
/// ```
pub type BlockingReconnectingStream<C> =
    Reconnecting<C, Box<dyn Fn(Duration) + Send + Sync>, Box<dyn BlockingBody>>;

impl<C, S, B> fmt::Debug for Reconnecting<C, S, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.core.fmt(f)
    }
}

impl<C, S, B> Reconnecting<C, S, B> {
    /// The policy (default [`ReconnectPolicy::x`]); the backoff starts over.
    #[must_use]
    pub fn policy(mut self, policy: ReconnectPolicy) -> Self {
        self.core.backoff = Backoff::new(policy);
        self
    }

    /// The longest line accepted (default [`DEFAULT_MAX_LINE`]); a longer one stops the reader.
    #[must_use]
    pub fn max_line(mut self, max_line: usize) -> Self {
        self.core.max_line = max_line;
        self
    }

    /// The backoff as it stands (its attempt count, its policy).
    pub fn backoff(&self) -> &Backoff {
        &self.core.backoff
    }

    /// Closes the connection; the next event is `None` from now on.
    pub fn stop(&mut self) {
        self.core.stop();
    }
}

impl<C> ReconnectingStream<C> {
    /// A reader of `request` (unsigned: each attempt signs a copy) through `client`, waiting
    /// with `sleep`. Nothing is sent before the first [`next`](Self::next).
    pub fn new(client: C, request: http::Request<Vec<u8>>, sleep: impl Sleep + 'static) -> Self {
        Reconnecting {
            client,
            sleep: Arc::new(sleep),
            core: Core::new(request),
        }
    }

    /// Drops a connection that sends nothing, not even a keep-alive newline, for `silence`,
    /// and reconnects ([`Cause::Network`]: at once if it had delivered data). Off by default.
    /// Twitter's v1.1 streams: "If 90 seconds pass with no data received, including newlines,
    /// disconnect and reconnect immediately"; X's v2 streams send a keep-alive every 20
    /// seconds. The timer is the reader's [`Sleep`]. (The blocking reader has no timer to race
    /// a read with: give its transport a read timeout. `BlockingReqwestTransport`'s `timeout`
    /// bounds each read of a streamed body; ureq bounds only a whole body, so through
    /// `UreqTransport` a silent connection holds the blocking reader until the OS drops it.)
    #[must_use]
    pub fn stall_timeout(mut self, silence: Duration) -> Self {
        self.core.stall = Some(silence);
        self
    }
}

impl<C, T> ReconnectingStream<C>
where
    C: Deref<Target = SignedClient<T>>,
    T: StreamingHttpClient,
{
    /// The next event: a line, a connection, or a reconnect (after which it waits, then
    /// connects again, on the next call). An error when the policy stops; `None` once stopped.
    pub async fn next(&mut self) -> Result<Option<StreamEvent>, Error> {
        loop {
            match self.core.io() {
                Err(done) => return done,
                Ok(Action::Sleep(wait)) => {
                    self.sleep.sleep(wait).await;
                    self.core.handle_slept();
                }
                Ok(Action::Connect(request)) => {
                    let result = self.client.stream(request, self.core.max_line).await;
                    self.core.handle_connect(result);
                }
                Ok(_) => {
                    let result = match self.core.lines.as_mut() {
                        Some(lines) => within(lines, &*self.sleep, self.core.stall).await,
                        None => Ok(None),
                    };
                    self.core.handle_read(result);
                }
            }
        }
    }
}

/// The next line of `lines`, or a timeout error if `stall` passes first (timed by `sleep`).
async fn within(
    lines: &mut Lines<Box<dyn AsyncBody>>,
    sleep: &dyn Sleep,
    stall: Option<Duration>,
) -> Result<Option<Vec<u8>>, Error> {
    let Some(stall) = stall else {
        return lines.next_line().await;
    };
    let mut read = std::pin::pin!(lines.next_line());
    let mut timer = sleep.sleep(stall);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(result) = read.as_mut().poll(cx) {
            return Poll::Ready(result);
        }
        timer.as_mut().poll(cx).map(|()| {
            Err(Error::Transport {
                step: Step::Resource,
                source: TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("the stream sent nothing for {stall:?} (the stall timeout)"),
                ),
            })
        })
    })
    .await
}

impl<C> BlockingReconnectingStream<C> {
    /// A reader of `request` (unsigned: each attempt signs a copy) through `client`. Nothing is
    /// sent before the first [`next_blocking`](Self::next_blocking).
    pub fn new(client: C, request: http::Request<Vec<u8>>) -> Self {
        Reconnecting {
            client,
            sleep: Box::new(std::thread::sleep),
            core: Core::new(request),
        }
    }

    /// How to wait (default [`std::thread::sleep`]).
    #[must_use]
    pub fn sleep(mut self, sleep: impl Fn(Duration) + Send + Sync + 'static) -> Self {
        self.sleep = Box::new(sleep);
        self
    }
}

impl<C, T> BlockingReconnectingStream<C>
where
    C: Deref<Target = SignedClient<T>>,
    T: BlockingStreamingHttpClient,
{
    /// The next event (blocking); see [`ReconnectingStream::next`].
    pub fn next_blocking(&mut self) -> Result<Option<StreamEvent>, Error> {
        loop {
            match self.core.io() {
                Err(done) => return done,
                Ok(Action::Sleep(wait)) => {
                    (self.sleep)(wait);
                    self.core.handle_slept();
                }
                Ok(Action::Connect(request)) => {
                    let result = self.client.stream_blocking(request, self.core.max_line);
                    self.core.handle_connect(result);
                }
                Ok(_) => {
                    let result = match self.core.lines.as_mut() {
                        Some(lines) => lines.next_line_blocking(),
                        None => Ok(None),
                    };
                    self.core.handle_read(result);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;

//! [`TwitterClient`]: typed API calls over any transport.

use std::time::Duration;

use oauth1_flow::reconnect::{
    BlockingReconnectingStream, Reconnect, ReconnectPolicy, ReconnectingStream, Sleep, StreamEvent,
};
use oauth1_flow::{
    AccessToken, AsyncBody, BlockingBody, BlockingHttpClient, BlockingStreamingHttpClient, Flow,
    HttpClient, Lines, SignedClient, StreamingHttpClient,
};
use serde::Deserialize;

use crate::error::{ApiError, Code, Error};
use crate::provider::Twitter;

/// A user, as `verify_credentials` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// The id, as a string (`id_str`: ids overflow JavaScript numbers).
    #[serde(rename = "id_str")]
    pub id: String,
    /// `@screen_name`, without the `@`.
    pub screen_name: String,
    /// The display name.
    #[serde(default)]
    pub name: String,
}

/// A posted tweet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Tweet {
    /// Its id.
    pub id: String,
    /// Its text.
    pub text: String,
}

#[derive(Deserialize)]
struct V2 {
    data: V2Tweet,
}

#[derive(Deserialize)]
struct V2Tweet {
    id: String,
    text: String,
}

#[derive(Deserialize)]
struct V1Tweet {
    id_str: String,
    text: String,
}

/// The most bytes one streamed line may have.
const MAX_LINE: usize = 1024 * 1024;

/// Signed calls to the Twitter API with an access token.
///
/// ```no_run
/// # async fn run(flow: oauth1_flow::Flow<oauth1_provider_twitter::Twitter>, token: oauth1_flow::AccessToken) -> Result<(), oauth1_provider_twitter::Error> {
/// use oauth1_provider_twitter::TwitterClient;
/// use oauth1_transport_reqwest::ReqwestTransport;
///
/// let twitter = TwitterClient::new(&flow, ReqwestTransport::new(), &token)?.retry_on_clock_skew(true);
/// let me = twitter.verify_credentials().await?;
/// let tweet = twitter.post_tweet(&format!("hello from @{}", me.screen_name)).await?;
/// println!("posted {}", tweet.id);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct TwitterClient<T> {
    client: SignedClient<T>,
    twitter: Twitter,
    skew_retry: bool,
}

impl<T> TwitterClient<T> {
    /// A client for the flow's Twitter with `token`, over `transport`.
    pub fn new(flow: &Flow<Twitter>, transport: T, token: &AccessToken) -> Result<Self, Error> {
        Ok(TwitterClient {
            client: flow.signed_client(transport, token)?,
            twitter: flow.provider().clone(),
            skew_retry: false,
        })
    }

    /// On error 135 (timestamp out of bounds), take the offset between our clock and the
    /// `Date` of Twitter's answer, keep it for later requests, and retry once. Off by default:
    /// a wrong system clock is better fixed at the source.
    #[must_use]
    pub fn retry_on_clock_skew(mut self, on: bool) -> Self {
        self.skew_retry = on;
        self
    }

    /// The signed client underneath (for any other endpoint).
    pub fn signed(&self) -> &SignedClient<T> {
        &self.client
    }

    /// The provider description (base URL).
    pub fn twitter(&self) -> &Twitter {
        &self.twitter
    }

    fn verify_credentials_request(&self) -> Result<http::Request<Vec<u8>>, oauth1_flow::Error> {
        self.client.prepare_get(
            &self.twitter.url("/1.1/account/verify_credentials.json"),
            &[],
        )
    }

    fn post_tweet_request(&self, text: &str) -> Result<http::Request<Vec<u8>>, oauth1_flow::Error> {
        let body = serde_json::json!({ "text": text }).to_string();
        self.client
            .prepare_post_json(&self.twitter.url("/2/tweets"), body.into_bytes())
    }

    fn update_status_request(
        &self,
        text: &str,
    ) -> Result<http::Request<Vec<u8>>, oauth1_flow::Error> {
        self.client.prepare_post_form(
            &self.twitter.url("/1.1/statuses/update.json"),
            &[("status", text)],
        )
    }

    /// What to do with an answer: `Ok` for 2xx, a retry after correcting the clock, or the
    /// typed error.
    fn judge(&self, response: http::Response<Vec<u8>>, retried: bool) -> Judged {
        if response.status().is_success() {
            return Judged::Ok(response);
        }
        let error = ApiError::new(response.status(), response.headers(), response.body());
        if self.skew_retry && !retried && error.codes().contains(&Code::TimestampOutOfBounds) {
            if let Some(offset) = self.skew(&error) {
                self.client
                    .set_clock_offset(self.client.clock_offset() + offset);
                return Judged::Retry;
            }
        }
        Judged::Err(Error::Api(Box::new(error)))
    }
}

impl<T> TwitterClient<T> {
    fn stream_request(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<http::Request<Vec<u8>>, oauth1_flow::Error> {
        self.client.prepare_get(&self.twitter.url(path), query)
    }

    /// Twitter's clock minus the one we sign with, from the `Date` of an error.
    fn skew(&self, error: &ApiError) -> Option<i64> {
        let theirs = crate::date::parse_http_date(error.error.date.as_deref()?)?;
        let ours = self.client.timestamp_now().ok()?;
        Some(i64::try_from(theirs).ok()? - i64::try_from(ours).ok()?)
    }
}

enum Judged {
    Ok(http::Response<Vec<u8>>),
    Retry,
    Err(Error),
}

fn json<'a, D: Deserialize<'a>>(response: &'a http::Response<Vec<u8>>) -> Result<D, Error> {
    serde_json::from_slice(response.body()).map_err(Error::Body)
}

fn v2_tweet(response: &http::Response<Vec<u8>>) -> Result<Tweet, Error> {
    let v2: V2 = json(response)?;
    Ok(Tweet {
        id: v2.data.id,
        text: v2.data.text,
    })
}

fn v1_tweet(response: &http::Response<Vec<u8>>) -> Result<Tweet, Error> {
    let v1: V1Tweet = json(response)?;
    Ok(Tweet {
        id: v1.id_str,
        text: v1.text,
    })
}

impl<T: HttpClient> TwitterClient<T> {
    /// Signs and sends the request `make` builds, with the clock-skew retry.
    pub async fn call(
        &self,
        make: impl Fn() -> Result<http::Request<Vec<u8>>, oauth1_flow::Error>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let mut retried = false;
        loop {
            let response = self.client.send(make()?).await?;
            match self.judge(response, retried) {
                Judged::Ok(r) => return Ok(r),
                Judged::Err(e) => return Err(e),
                Judged::Retry => retried = true,
            }
        }
    }

    /// `GET /1.1/account/verify_credentials.json`: who the token belongs to.
    pub async fn verify_credentials(&self) -> Result<User, Error> {
        json(&self.call(|| self.verify_credentials_request()).await?)
    }

    /// `POST /2/tweets` with a JSON body.
    pub async fn post_tweet(&self, text: &str) -> Result<Tweet, Error> {
        v2_tweet(&self.call(|| self.post_tweet_request(text)).await?)
    }

    /// `POST /1.1/statuses/update.json` with a form body (only some access tiers have it;
    /// others get error 453).
    pub async fn update_status(&self, text: &str) -> Result<Tweet, Error> {
        v1_tweet(&self.call(|| self.update_status_request(text)).await?)
    }
}

impl<T: StreamingHttpClient> TwitterClient<T> {
    /// Opens a signed stream at `path` (a line-delimited JSON endpoint) with `query`: one
    /// connection, which ends when the server ends it or it drops. To read for hours, take
    /// [`reconnecting_stream`](Self::reconnecting_stream).
    pub async fn stream(&self, path: &str, query: &[(&str, &str)]) -> Result<TweetStream, Error> {
        let request = self.stream_request(path, query)?;
        let response = self.client.stream(request, MAX_LINE).await?;
        Ok(TweetStream {
            lines: Some(response.into_body()),
        })
    }

    /// A stream at `path` with `query` that reconnects by itself with X's policy (see
    /// [`oauth1_flow::reconnect`]: at once after a healthy connection drops, then 250 ms more
    /// per network failure up to 16 s, 5 s doubling up to 320 s on 5xx, 60 s doubling up to
    /// 15 minutes on 420 and 429; it stops with the error on 401, 403 and other 4xx), each
    /// attempt signed anew. It waits with `sleep`, your runtime's timer
    /// (`tokio::time::sleep`): this crate has no runtime of its own. Nothing is sent before
    /// the first [`next`](ReconnectingTweetStream::next).
    ///
    /// ```no_run
    /// # async fn run(twitter: oauth1_provider_twitter::TwitterClient<oauth1_transport_reqwest::ReqwestTransport>) -> Result<(), oauth1_provider_twitter::Error> {
    /// use oauth1_provider_twitter::TweetEvent;
    ///
    /// # let sleep = |_wait: std::time::Duration| std::future::ready(());
    /// // With tokio: `let sleep = tokio::time::sleep;`
    /// let mut stream = twitter.reconnecting_stream("/1.1/statuses/sample.json", &[], sleep)?;
    /// while let Some(event) = stream.next().await? {
    ///     match event {
    ///         TweetEvent::Value(tweet) => println!("{tweet}"),
    ///         TweetEvent::Reconnecting(r) => eprintln!("dropped ({}): reconnect #{} in {:?}", r.cause, r.attempt, r.wait),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn reconnecting_stream(
        &self,
        path: &str,
        query: &[(&str, &str)],
        sleep: impl Sleep + 'static,
    ) -> Result<ReconnectingTweetStream<'_, T>, Error> {
        let request = self.stream_request(path, query)?;
        Ok(ReconnectingTweetStream {
            inner: ReconnectingStream::new(&self.client, request, sleep).max_line(MAX_LINE),
        })
    }
}

impl<T: BlockingHttpClient> TwitterClient<T> {
    /// The blocking counterpart of [`call`](Self::call).
    pub fn call_blocking(
        &self,
        make: impl Fn() -> Result<http::Request<Vec<u8>>, oauth1_flow::Error>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let mut retried = false;
        loop {
            let response = self.client.send_blocking(make()?)?;
            match self.judge(response, retried) {
                Judged::Ok(r) => return Ok(r),
                Judged::Err(e) => return Err(e),
                Judged::Retry => retried = true,
            }
        }
    }

    /// Blocking [`verify_credentials`](Self::verify_credentials).
    pub fn verify_credentials_blocking(&self) -> Result<User, Error> {
        json(&self.call_blocking(|| self.verify_credentials_request())?)
    }

    /// Blocking [`post_tweet`](Self::post_tweet).
    pub fn post_tweet_blocking(&self, text: &str) -> Result<Tweet, Error> {
        v2_tweet(&self.call_blocking(|| self.post_tweet_request(text))?)
    }

    /// Blocking [`update_status`](Self::update_status).
    pub fn update_status_blocking(&self, text: &str) -> Result<Tweet, Error> {
        v1_tweet(&self.call_blocking(|| self.update_status_request(text))?)
    }
}

impl<T: BlockingStreamingHttpClient> TwitterClient<T> {
    /// Blocking [`stream`](Self::stream).
    pub fn stream_blocking(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<BlockingTweetStream, Error> {
        let request = self.stream_request(path, query)?;
        let response = self.client.stream_blocking(request, MAX_LINE)?;
        Ok(BlockingTweetStream {
            lines: Some(response.into_body()),
        })
    }

    /// The blocking counterpart of [`reconnecting_stream`](Self::reconnecting_stream); it
    /// waits with [`std::thread::sleep`] unless
    /// [`sleep`](BlockingReconnectingTweetStream::sleep) says otherwise.
    pub fn reconnecting_stream_blocking(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<BlockingReconnectingTweetStream<'_, T>, Error> {
        let request = self.stream_request(path, query)?;
        Ok(BlockingReconnectingTweetStream {
            inner: BlockingReconnectingStream::new(&self.client, request).max_line(MAX_LINE),
        })
    }
}

/// One JSON value per line of a stream, as they arrive; keep-alive blank lines are skipped.
/// [`stop`](TweetStream::stop) (or dropping it) closes the connection.
#[derive(Debug)]
pub struct TweetStream {
    lines: Option<Lines<Box<dyn AsyncBody>>>,
}

impl TweetStream {
    /// The next value, or `None` when the stream ended or was stopped.
    pub async fn next(&mut self) -> Result<Option<serde_json::Value>, Error> {
        let Some(lines) = self.lines.as_mut() else {
            return Ok(None);
        };
        while let Some(line) = lines.next_line().await? {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return serde_json::from_slice(&line).map(Some).map_err(Error::Body);
        }
        self.lines = None;
        Ok(None)
    }

    /// Closes the stream.
    pub fn stop(&mut self) {
        self.lines = None;
    }
}

/// The blocking counterpart of [`TweetStream`].
#[derive(Debug)]
pub struct BlockingTweetStream {
    lines: Option<Lines<Box<dyn BlockingBody>>>,
}

impl BlockingTweetStream {
    /// The next value, or `None` when the stream ended or was stopped.
    pub fn next_value(&mut self) -> Result<Option<serde_json::Value>, Error> {
        let Some(lines) = self.lines.as_mut() else {
            return Ok(None);
        };
        while let Some(line) = lines.next_line_blocking()? {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return serde_json::from_slice(&line).map(Some).map_err(Error::Body);
        }
        self.lines = None;
        Ok(None)
    }

    /// Closes the stream.
    pub fn stop(&mut self) {
        self.lines = None;
    }
}

/// What a reconnecting stream yields.
#[derive(Debug)]
#[non_exhaustive]
pub enum TweetEvent {
    /// One JSON value (a line; keep-alive blank lines are skipped).
    Value(serde_json::Value),
    /// The connection dropped or an attempt failed: why, the attempt number, and the wait
    /// before the next attempt (which the next call makes).
    Reconnecting(Reconnect),
}

/// What to do with a reader's event: a value, a reconnect to report, or nothing (a connection
/// accepted, a keep-alive).
fn tweet_event(event: StreamEvent) -> Result<Option<TweetEvent>, Error> {
    match event {
        StreamEvent::Line(line) if line.iter().all(u8::is_ascii_whitespace) => Ok(None),
        StreamEvent::Line(line) => serde_json::from_slice(&line)
            .map(|v| Some(TweetEvent::Value(v)))
            .map_err(Error::Body),
        StreamEvent::Reconnecting(r) => Ok(Some(TweetEvent::Reconnecting(r))),
        _ => Ok(None),
    }
}

/// A stream that reconnects by itself (see [`TwitterClient::reconnecting_stream`]). It never
/// ends by itself: [`next`](Self::next) returns the error when the policy stops (401, 403,
/// other 4xx), and `None` after [`stop`](Self::stop). A line that is not JSON is an
/// [`Error::Body`] for that line alone: the next call reads on.
pub struct ReconnectingTweetStream<'a, T> {
    inner: ReconnectingStream<&'a SignedClient<T>>,
}

impl<T> std::fmt::Debug for ReconnectingTweetStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl<T> ReconnectingTweetStream<'_, T> {
    /// Another policy than X's (a longer cap on 420/429, say).
    #[must_use]
    pub fn policy(mut self, policy: ReconnectPolicy) -> Self {
        self.inner = self.inner.policy(policy);
        self
    }

    /// Reconnects when the stream sends nothing, not even a keep-alive, for `silence` (off by
    /// default; Twitter's v1.1 docs said 90 seconds, X's v2 streams send a keep-alive every 20
    /// seconds). See [`ReconnectingStream::stall_timeout`].
    #[must_use]
    pub fn stall_timeout(mut self, silence: Duration) -> Self {
        self.inner = self.inner.stall_timeout(silence);
        self
    }

    /// Closes the connection; [`next`](Self::next) returns `None` from now on.
    pub fn stop(&mut self) {
        self.inner.stop();
    }
}

impl<T: StreamingHttpClient> ReconnectingTweetStream<'_, T> {
    /// The next value or reconnect.
    pub async fn next(&mut self) -> Result<Option<TweetEvent>, Error> {
        while let Some(event) = self.inner.next().await? {
            if let Some(event) = tweet_event(event)? {
                return Ok(Some(event));
            }
        }
        Ok(None)
    }
}

/// The blocking counterpart of [`ReconnectingTweetStream`].
pub struct BlockingReconnectingTweetStream<'a, T> {
    inner: BlockingReconnectingStream<&'a SignedClient<T>>,
}

impl<T> std::fmt::Debug for BlockingReconnectingTweetStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl<T> BlockingReconnectingTweetStream<'_, T> {
    /// Another policy than X's.
    #[must_use]
    pub fn policy(mut self, policy: ReconnectPolicy) -> Self {
        self.inner = self.inner.policy(policy);
        self
    }

    /// How to wait (default [`std::thread::sleep`]; a test records the waits instead).
    #[must_use]
    pub fn sleep(mut self, sleep: impl Fn(Duration) + Send + Sync + 'static) -> Self {
        self.inner = self.inner.sleep(sleep);
        self
    }

    /// Closes the connection; [`next_event`](Self::next_event) returns `None` from now on.
    pub fn stop(&mut self) {
        self.inner.stop();
    }
}

impl<T: BlockingStreamingHttpClient> BlockingReconnectingTweetStream<'_, T> {
    /// The next value or reconnect (blocking).
    pub fn next_event(&mut self) -> Result<Option<TweetEvent>, Error> {
        while let Some(event) = self.inner.next_blocking()? {
            if let Some(event) = tweet_event(event)? {
                return Ok(Some(event));
            }
        }
        Ok(None)
    }
}

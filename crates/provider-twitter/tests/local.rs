//! Twitter's client against the local provider (Twitter's paths, Twitter's errors).
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_core::Secret;
use oauth1_flow::{AccessToken, Callback, Flow, HttpClient, SystemStamp};
use oauth1_provider_twitter::{AccessType, Code, Twitter, TwitterClient};
use oauth1_server::LocalProvider;
use oauth1_transport_reqwest::ReqwestTransport;

async fn token(
    provider: &LocalProvider,
    flow: &Flow<Twitter>,
    t: &ReqwestTransport,
) -> AccessToken {
    let rt = flow
        .request_token(t, Callback::Url("http://127.0.0.1:9/cb".into()))
        .await
        .unwrap();
    // Sign in with Twitter: the authenticate URL with its parameters.
    let url = rt
        .authenticate_url(flow, &[("force_login", "true"), ("screen_name", "alice")])
        .unwrap();
    assert!(url.starts_with(&format!(
        "{}/oauth/authenticate?oauth_token=",
        provider.base_url()
    )));
    let page = t
        .send(http::Request::get(url).body(Vec::new()).unwrap())
        .await
        .unwrap();
    let location = page.headers()["location"].to_str().unwrap().to_owned();
    flow.access_token(t, &rt.verifier_from_callback(&location).unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_api_helpers_work_against_the_local_provider() {
    let provider = LocalProvider::start().await.unwrap();
    let t = ReqwestTransport::new();
    let twitter = Twitter::with_base(provider.base_url()).access_type(AccessType::Write);
    let flow = Flow::new(twitter, provider.client()).unwrap();
    let access = token(&provider, &flow, &t).await;

    let client = TwitterClient::new(&flow, t.clone(), &access).unwrap();
    let me = client.verify_credentials().await.unwrap();
    assert_eq!(me.screen_name, "alice");
    let tweet = client
        .post_tweet("hello, \"world\" & friends ✓")
        .await
        .unwrap();
    assert_eq!(tweet.text, "hello, \"world\" & friends ✓");
    let tweet = client
        .update_status("Hello Ladies + Gentlemen")
        .await
        .unwrap();
    assert_eq!(tweet.text, "Hello Ladies + Gentlemen");

    let mut stream = client
        .stream("/1.1/statuses/stream.json", &[("count", "4")])
        .await
        .unwrap();
    let mut ids = Vec::new();
    while let Some(value) = stream.next().await.unwrap() {
        ids.push(value["id"].as_u64().unwrap());
    }
    assert_eq!(ids, [0, 1, 2, 3]);
    // An endless stream, stopped after a few values.
    let mut stream = client
        .stream("/1.1/statuses/stream.json", &[])
        .await
        .unwrap();
    for _ in 0..3 {
        assert!(stream.next().await.unwrap().is_some());
    }
    stream.stop();
    assert!(stream.next().await.unwrap().is_none());

    // Revoked: error 89, typed.
    flow.invalidate(&t, &access).await.unwrap();
    let e = client.verify_credentials().await.unwrap_err();
    assert!(e.has_code(Code::InvalidOrExpiredToken), "{e}");
    assert!(e.to_string().contains("run the authorization again"), "{e}");
    provider.shutdown().await;
}

#[tokio::test]
async fn clock_skew_is_recovered_when_asked() {
    let provider = LocalProvider::start().await.unwrap();
    let t = ReqwestTransport::new();
    let flow = Flow::new(Twitter::with_base(provider.base_url()), provider.client()).unwrap();
    let access = token(&provider, &flow, &t).await;
    // A client whose clock runs an hour fast.
    let skewed = flow.clone().stamp(SystemStamp { offset: 3600 });

    let plain = TwitterClient::new(&skewed, t.clone(), &access).unwrap();
    let e = plain.verify_credentials().await.unwrap_err();
    assert!(e.has_code(Code::TimestampOutOfBounds), "{e}");
    assert!(e.api().unwrap().error.date.is_some());

    let fixing = TwitterClient::new(&skewed, t.clone(), &access)
        .unwrap()
        .retry_on_clock_skew(true);
    assert_eq!(
        fixing.verify_credentials().await.unwrap().screen_name,
        "alice"
    );
    let offset = fixing.signed().clock_offset();
    assert!((-3602..=-3598).contains(&offset), "{offset}");
    // The correction stays: the next call needs no retry.
    fixing.post_tweet("on time").await.unwrap();
    provider.shutdown().await;
}

#[test]
fn blocking_client_and_xauth() {
    let provider = LocalProvider::start_in_background(
        oauth1_server::LocalProviderConfig::default().auto_approve(true),
    )
    .unwrap();
    let t = oauth1_transport_ureq::UreqTransport::new();
    let flow = Flow::new(
        Twitter::with_base(provider.base_url()).xauth(true),
        provider.client(),
    )
    .unwrap();
    let (user, password) = provider.user();
    let access = flow
        .xauth_blocking(&t, user, &Secret::new(password))
        .unwrap();
    let client = TwitterClient::new(&flow, &t, &access).unwrap();
    assert_eq!(
        client.verify_credentials_blocking().unwrap().screen_name,
        "alice"
    );
    assert_eq!(client.post_tweet_blocking("hi").unwrap().text, "hi");
    assert_eq!(client.update_status_blocking("a+b").unwrap().text, "a+b");
    let mut stream = client
        .stream_blocking("/1.1/statuses/stream.json", &[("count", "2")])
        .unwrap();
    assert!(stream.next_value().unwrap().is_some());
    assert!(stream.next_value().unwrap().is_some());
    assert!(stream.next_value().unwrap().is_none());
    // Twitter without xAuth enabled refuses before sending.
    let no = Flow::new(Twitter::with_base(provider.base_url()), provider.client()).unwrap();
    assert!(no.xauth_blocking(&t, user, &Secret::new(password)).is_err());
}

#[test]
fn rate_limit_headers() {
    let mut headers = http::HeaderMap::new();
    headers.insert("x-rate-limit-limit", "900".parse().unwrap());
    headers.insert("x-rate-limit-remaining", "0".parse().unwrap());
    headers.insert("x-rate-limit-reset", "1700000000".parse().unwrap());
    let r = oauth1_provider_twitter::RateLimit::from_headers(&headers).unwrap();
    assert_eq!((r.limit, r.remaining, r.reset), (900, 0, 1_700_000_000));
    headers.remove("x-rate-limit-reset");
    assert!(oauth1_provider_twitter::RateLimit::from_headers(&headers).is_none());
}

#[tokio::test]
async fn a_callback_twitter_does_not_accept_is_code_415() {
    let provider = LocalProvider::start().await.unwrap();
    let flow = Flow::new(Twitter::with_base(provider.base_url()), provider.client()).unwrap();
    let e: oauth1_provider_twitter::Error = flow
        .request_token(
            &ReqwestTransport::new(),
            Callback::Url("ftp://app.example/cb".into()),
        )
        .await
        .unwrap_err()
        .into();
    assert!(e.has_code(Code::CallbackNotApproved), "{e}");
    provider.shutdown().await;
}

/// A stream with keep-alive blank lines, split across chunks anywhere.
struct KeepAlives;

struct Chunks(Vec<&'static str>);

#[oauth1_flow::transport::async_trait]
impl oauth1_flow::AsyncBody for Chunks {
    async fn chunk(&mut self) -> Result<Option<Vec<u8>>, oauth1_flow::TransportError> {
        Ok((!self.0.is_empty()).then(|| self.0.remove(0).as_bytes().to_vec()))
    }
}

#[oauth1_flow::transport::async_trait]
impl HttpClient for KeepAlives {
    async fn send(
        &self,
        _: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, oauth1_flow::TransportError> {
        Ok(http::Response::new(Vec::new()))
    }
}

#[oauth1_flow::transport::async_trait]
impl oauth1_flow::StreamingHttpClient for KeepAlives {
    async fn send_streaming(
        &self,
        _: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn oauth1_flow::AsyncBody>>, oauth1_flow::TransportError> {
        let body = Chunks(vec![
            "\r\n",
            "{\"id\":1}\r",
            "\n\r\n\r\n{\"id\"",
            ":2}\r\n",
            "\r\n",
        ]);
        Ok(http::Response::new(
            Box::new(body) as Box<dyn oauth1_flow::AsyncBody>
        ))
    }
}

#[tokio::test]
async fn streams_skip_keep_alive_lines() {
    let flow = Flow::new(
        Twitter::new(),
        oauth1_core::ClientCredentials::new("k", "s"),
    )
    .unwrap();
    let client = TwitterClient::new(&flow, KeepAlives, &AccessToken::new("t", "s")).unwrap();
    let mut stream = client
        .stream("/1.1/statuses/filter.json", &[("track", "rust")])
        .await
        .unwrap();
    assert_eq!(stream.next().await.unwrap().unwrap()["id"], 1);
    assert_eq!(stream.next().await.unwrap().unwrap()["id"], 2);
    assert!(stream.next().await.unwrap().is_none());
}

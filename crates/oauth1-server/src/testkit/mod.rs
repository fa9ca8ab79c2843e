//! The transport conformance suite (feature `testkit`): drives any [`HttpClient`] or
//! [`BlockingHttpClient`] through the whole dance and signed calls against a local provider.
//!
//! A transport passes when [`run_async`] (or [`run_blocking`]) returns `Ok`. Every transport
//! of this workspace runs it in its tests; run it in yours:
//!
//! ```no_run
//! # async fn check(my_transport: impl oauth1_flow::StreamingHttpClient) {
//! let report = oauth1_server::testkit::run_async(&my_transport).await.unwrap();
//! println!("{report}");
//! # }
//! ```
//!
//! [`redis`] starts a throw-away Redis server for tests of a shared nonce store (plain, or
//! TLS-only with a certificate authority of its own); [`wire`] makes a signed request as raw
//! bytes, to send the very same bytes twice (a replay).

pub mod flaky;
pub mod redis;
pub mod wire;

use std::fmt;

use async_trait_shim::BlockingAsAsync;
use oauth1_core::Secret;
#[cfg(doc)]
use oauth1_flow::BlockingHttpClient;
use oauth1_flow::{
    BlockingStreamingHttpClient, Callback, Flow, GenericProvider, HttpClient, StreamingHttpClient,
};

use crate::{Endpoints, LocalProvider, LocalProviderConfig};

/// What the suite checked, step by step.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The steps that passed, in order.
    pub passed: Vec<&'static str>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.passed {
            writeln!(f, "ok   {step}")?;
        }
        Ok(())
    }
}

/// A failed step of the suite.
#[derive(Debug, thiserror::Error)]
#[error("conformance step `{step}` failed: {message}")]
pub struct Failure {
    /// The step.
    pub step: &'static str,
    /// What went wrong.
    pub message: String,
}

fn fail(step: &'static str) -> impl FnOnce(oauth1_flow::Error) -> Failure {
    move |e| Failure {
        step,
        message: oauth1_core::Chain(&e).to_string(),
    }
}

fn check(step: &'static str, ok: bool, what: impl FnOnce() -> String) -> Result<(), Failure> {
    if ok {
        Ok(())
    } else {
        Err(Failure {
            step,
            message: what(),
        })
    }
}

/// The [`GenericProvider`] of a running local provider (xAuth on, authenticate and
/// invalidate endpoints set).
pub fn provider_of(endpoints: &Endpoints) -> GenericProvider {
    let built = GenericProvider::builder(
        endpoints.request_token_url(),
        endpoints.authorize_url(),
        endpoints.access_token_url(),
    )
    .authenticate_url(endpoints.authenticate_url())
    .invalidate_token_url(endpoints.invalidate_token_url())
    .xauth(true)
    .build();
    match built {
        Ok(p) => p,
        // The URLs are ours and absolute; this cannot fail, but never panic in a library.
        Err(_) => GenericProvider::from_endpoints(oauth1_flow::Endpoints {
            request_token: oauth1_flow::Endpoint::post(endpoints.request_token_url()),
            authorize: endpoints.authorize_url(),
            authenticate: None,
            access_token: oauth1_flow::Endpoint::post(endpoints.access_token_url()),
            invalidate_token: None,
        }),
    }
}

/// Runs the suite with `client` against a local provider started in the current tokio
/// runtime (auto-approve on).
pub async fn run_async<C: StreamingHttpClient>(client: &C) -> Result<Report, Failure> {
    let provider = LocalProvider::start().await.map_err(|e| Failure {
        step: "start the local provider",
        message: e.to_string(),
    })?;
    let report = suite(client, &provider).await;
    provider.shutdown().await;
    report
}

/// Runs the suite with a blocking `client` against a local provider on its own thread. Call
/// it from a plain thread (not inside an async runtime).
pub fn run_blocking<C: BlockingStreamingHttpClient + Sync>(client: &C) -> Result<Report, Failure> {
    let provider =
        LocalProvider::start_in_background(LocalProviderConfig::default().auto_approve(true))
            .map_err(|e| Failure {
                step: "start the local provider",
                message: e.to_string(),
            })?;
    // The suite is written once, async; a blocking client is driven from it directly: every
    // await completes at once (the client blocks instead of pending, and the provider runs on
    // another thread), so polling on this thread with no runtime is enough, and a blocking
    // client that owns a runtime of its own (reqwest's) is not nested in another.
    block_on(suite(&BlockingAsAsync(client), &provider))
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::yield_now();
    }
}

async fn suite<C: StreamingHttpClient>(
    client: &C,
    endpoints: &Endpoints,
) -> Result<Report, Failure> {
    let mut report = Report::default();
    let flow = Flow::new(provider_of(endpoints), endpoints.client()).map_err(fail("flow"))?;
    let (user, password) = endpoints.user();

    // 1. The dance with a callback URL (the callback itself is never contacted).
    let step = "three-legged dance with a callback URL";
    let callback = "http://127.0.0.1:9/callback?state=xyz";
    let request_token = flow
        .request_token(client, Callback::Url(callback.into()))
        .await
        .map_err(fail(step))?;
    let authorize = request_token
        .authorize_url(&flow, &[("force_login", "true")])
        .map_err(fail(step))?;
    let response = send_get(client, &authorize, step).await?;
    check(step, response.status() == http::StatusCode::FOUND, || {
        format!(
            "GET authorize answered {} (expected a 302; a transport must not follow redirects)",
            response.status()
        )
    })?;
    let location = response
        .headers()
        .get(http::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    check(
        step,
        location.starts_with("http://127.0.0.1:9/callback?state=xyz&"),
        || format!("the redirect goes to {location:?}"),
    )?;
    let verifier = request_token
        .verifier_from_callback(&location)
        .map_err(fail(step))?;
    let access = flow
        .access_token(client, &verifier)
        .await
        .map_err(fail(step))?;
    check(step, access.field("screen_name") == Some(user), || {
        format!("screen_name is {:?}", access.field("screen_name"))
    })?;
    report.passed.push(step);

    // 2. Signed calls.
    let signed = flow
        .signed_client(client, &access)
        .map_err(fail("signed client"))?;
    let step = "signed GET with a query";
    let request = signed
        .prepare_get(
            &endpoints.url("/1.1/account/verify_credentials.json"),
            &[("include_entities", "true"), ("odd", "a/b c+d~é")],
        )
        .map_err(fail(step))?;
    let response = signed
        .send(request)
        .await
        .and_then(|r| signed.check(r))
        .map_err(fail(step))?;
    let json: serde_json::Value = serde_json::from_slice(response.body()).unwrap_or_default();
    check(step, json["screen_name"] == user, || {
        format!("answered {json}")
    })?;
    report.passed.push(step);

    let step = "signed POST with a form body";
    let status = "Hello Ladies + Gentlemen, a signed OAuth request!";
    let request = signed
        .prepare_post_form(
            &endpoints.url("/1.1/statuses/update.json"),
            &[("status", status)],
        )
        .map_err(fail(step))?;
    let response = signed
        .send(request)
        .await
        .and_then(|r| signed.check(r))
        .map_err(fail(step))?;
    let json: serde_json::Value = serde_json::from_slice(response.body()).unwrap_or_default();
    check(step, json["text"] == status, || format!("answered {json}"))?;
    report.passed.push(step);

    let step = "signed POST with a JSON body and oauth_body_hash";
    let mut request = signed
        .prepare_post_json(
            &endpoints.url("/2/tweets"),
            br#"{"text":"hello from the testkit"}"#.to_vec(),
        )
        .map_err(fail(step))?;
    signed.sign(&mut request, true).map_err(fail(step))?;
    let response = client.send(request).await.map_err(|e| Failure {
        step,
        message: e.to_string(),
    })?;
    check(step, response.status() == http::StatusCode::CREATED, || {
        format!(
            "answered {}: {}",
            response.status(),
            String::from_utf8_lossy(response.body())
        )
    })?;
    report.passed.push(step);

    let step = "streaming response read line by line";
    let request = signed
        .prepare_get(
            &endpoints.url("/1.1/statuses/stream.json"),
            &[("count", "5")],
        )
        .map_err(fail(step))?;
    let mut lines = signed
        .stream(request, 4096)
        .await
        .map_err(fail(step))?
        .into_body();
    let mut n = 0;
    while let Some(line) = lines.next_line().await.map_err(fail(step))? {
        let json: serde_json::Value = serde_json::from_slice(&line).unwrap_or_default();
        check(step, json["id"] == n, || {
            format!("line {n} is {}", String::from_utf8_lossy(&line))
        })?;
        n += 1;
    }
    check(step, n == 5, || format!("{n} lines instead of 5"))?;
    report.passed.push(step);

    // 3. Out of band: the PIN page.
    let step = "three-legged dance out of band (PIN)";
    let request_token = flow
        .request_token(client, Callback::Oob)
        .await
        .map_err(fail(step))?;
    let authorize = request_token
        .authorize_url(&flow, &[])
        .map_err(fail(step))?;
    let page = send_get(client, &authorize, step).await?;
    let html = String::from_utf8_lossy(page.body()).into_owned();
    let pin = html
        .split("<code id=\"pin\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_default()
        .to_owned();
    let verifier = request_token
        .verifier_from_pin(&format!(" {pin}\n"))
        .map_err(fail(step))?;
    flow.access_token(client, &verifier)
        .await
        .map_err(fail(step))?;
    report.passed.push(step);

    // 4. xAuth.
    let step = "xAuth";
    let xauth = flow
        .xauth(client, user, &Secret::new(password))
        .await
        .map_err(fail(step))?;
    check(step, xauth.field("screen_name") == Some(user), || {
        "no screen_name".into()
    })?;
    let wrong = flow
        .xauth(client, user, &Secret::new("not the password"))
        .await;
    check(
        step,
        matches!(&wrong, Err(e) if e.provider_error().is_some_and(|p| p.status == 401)),
        || format!("a wrong password gave {wrong:?}"),
    )?;
    report.passed.push(step);

    // 5. Revocation, and the typed error of a revoked token.
    let step = "invalidate the token, then a typed 401 (code 89)";
    flow.invalidate(client, &access).await.map_err(fail(step))?;
    let request = signed
        .prepare_get(&endpoints.url("/1.1/account/verify_credentials.json"), &[])
        .map_err(fail(step))?;
    let result = signed.send(request).await.and_then(|r| signed.check(r));
    check(
        step,
        matches!(&result, Err(e) if e.provider_error().is_some_and(|p| p.codes.iter().any(|c| c.code == 89))),
        || format!("a revoked token gave {result:?}"),
    )?;
    report.passed.push(step);

    // 6. A wrong consumer secret: the provider's "Could not authenticate you." (code 32).
    let step = "a bad signature gives a typed 401 (code 32)";
    let bad = Flow::new(
        provider_of(endpoints),
        oauth1_core::ClientCredentials::new(endpoints.client().key(), "wrong secret"),
    )
    .map_err(fail(step))?;
    let result = bad.request_token(client, Callback::Oob).await;
    check(
        step,
        matches!(&result, Err(e) if e.provider_error().is_some_and(|p| p.codes.iter().any(|c| c.code == 32))),
        || format!("a wrong secret gave {result:?}"),
    )?;
    report.passed.push(step);

    Ok(report)
}

async fn send_get<C: HttpClient>(
    client: &C,
    url: &str,
    step: &'static str,
) -> Result<http::Response<Vec<u8>>, Failure> {
    let request = http::Request::get(url)
        .body(Vec::new())
        .map_err(|e| Failure {
            step,
            message: e.to_string(),
        })?;
    client.send(request).await.map_err(|e| Failure {
        step,
        message: e.to_string(),
    })
}

mod async_trait_shim {
    //! A blocking client seen as an async one, for running the one suite over both.
    use oauth1_flow::{
        AsyncBody, BlockingBody, BlockingHttpClient, BlockingStreamingHttpClient, HttpClient,
        StreamingHttpClient, TransportError,
    };

    pub(super) struct BlockingAsAsync<'a, C>(pub(super) &'a C);

    struct Body(Box<dyn BlockingBody>);

    #[oauth1_flow::transport::async_trait]
    impl AsyncBody for Body {
        async fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
            self.0.chunk()
        }
    }

    #[oauth1_flow::transport::async_trait]
    impl<C: BlockingHttpClient + Sync> HttpClient for BlockingAsAsync<'_, C> {
        async fn send(
            &self,
            request: http::Request<Vec<u8>>,
        ) -> Result<http::Response<Vec<u8>>, TransportError> {
            self.0.send(request)
        }
    }

    #[oauth1_flow::transport::async_trait]
    impl<C: BlockingStreamingHttpClient + Sync> StreamingHttpClient for BlockingAsAsync<'_, C> {
        async fn send_streaming(
            &self,
            request: http::Request<Vec<u8>>,
        ) -> Result<http::Response<Box<dyn AsyncBody>>, TransportError> {
            let response = self.0.send_streaming(request)?;
            Ok(response.map(|b| Box::new(Body(b)) as Box<dyn AsyncBody>))
        }
    }
}

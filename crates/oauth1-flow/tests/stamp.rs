//! One source of nonces and timestamps (issue 19): a [`SignedClient`] signs with the [`Stamp`]
//! of the [`Flow`] that made it, or one given to [`SignedClient::stamp`], and the core verifier
//! accepts what it signs at exactly that time. A test clock is an atomic the test moves; no test
//! sleeps.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use oauth1_core::{AnyMethod, Placement, Policy, Received, Secret, VerifyError};
use oauth1_flow::transport::FnClient;
use oauth1_flow::{
    AccessToken, Callback, ClientCredentials, Flow, GenericProvider, HmacSha1, SignedClient,
    Signer, TokenCredentials, TransportError,
};

const CONSUMER_SECRET: &str = "consumer-SECRET";
const TOKEN_SECRET: &str = "token-SECRET";
const T0: u64 = 1_700_000_000;

type Reply = Result<http::Response<Vec<u8>>, TransportError>;

/// A transport that answers 200 with an empty body to everything.
fn ok(_: http::Request<Vec<u8>>) -> Reply {
    Ok(http::Response::new(Vec::new()))
}

fn flow() -> Flow<GenericProvider> {
    let provider = GenericProvider::builder(
        "https://provider.example/oauth/request_token",
        "https://provider.example/oauth/authorize",
        "https://provider.example/oauth/access_token",
    )
    .build()
    .unwrap();
    Flow::new(
        provider,
        ClientCredentials::new("consumer", CONSUMER_SECRET),
    )
    .unwrap()
}

/// A test clock with numbered nonces: clones share the time and the counter.
#[derive(Clone)]
struct TestStamp {
    now: Arc<AtomicU64>,
    count: Arc<AtomicU64>,
}

impl TestStamp {
    fn new(now: u64) -> Self {
        TestStamp {
            now: Arc::new(AtomicU64::new(now)),
            count: Arc::new(AtomicU64::new(0)),
        }
    }

    fn advance(&self, seconds: u64) {
        self.now.fetch_add(seconds, Ordering::SeqCst);
    }

    /// As a [`oauth1_flow::Stamp`] (a closure): `("n-<count>", now)`.
    fn source(&self) -> impl Fn() -> (String, u64) + Send + Sync + 'static {
        let this = self.clone();
        move || {
            let n = this.count.fetch_add(1, Ordering::SeqCst);
            (format!("n-{n}"), this.now.load(Ordering::SeqCst))
        }
    }
}

/// Verifies `request` as a provider whose clock shows `now` would (±300 s), with the token
/// secret when `token` is set; returns what it received.
fn verify_at(
    request: &http::Request<Vec<u8>>,
    token: bool,
    now: u64,
) -> Result<Received, oauth1_core::Error> {
    let received = Received::parse_http(request, "https")?;
    let mut nonces = |_: &oauth1_core::NonceUse<'_>| true;
    received.verify_with_secrets(
        &AnyMethod::HmacSha1,
        &Secret::new(CONSUMER_SECRET),
        token.then(|| Secret::new(TOKEN_SECRET)).as_ref(),
        &Policy::new(now),
        &mut nonces,
    )?;
    Ok(received)
}

fn get(client: &SignedClient<impl Sized>) -> http::Request<Vec<u8>> {
    let mut request = client
        .prepare_get(
            "https://api.example/1.1/account/verify_credentials.json",
            &[],
        )
        .unwrap();
    client.sign(&mut request, false).unwrap();
    request
}

#[test]
fn a_signed_client_signs_with_the_stamp_of_its_flow() {
    let stamp = TestStamp::new(T0);
    let flow = flow().stamp(stamp.source());
    // The dance step and the signed call draw on the same source, in turn.
    let (request_token, _) = flow.prepare_request_token(Callback::Oob).unwrap();
    let received = verify_at(&request_token, false, T0).unwrap();
    assert_eq!(
        (received.nonce(), received.timestamp()),
        (Some("n-0"), Some("1700000000"))
    );
    let client = flow
        .signed_client(FnClient(ok), &AccessToken::new("token", TOKEN_SECRET))
        .unwrap();
    let request = get(&client);
    let received = verify_at(&request, true, T0).unwrap();
    assert_eq!(
        (received.nonce(), received.timestamp()),
        (Some("n-1"), Some("1700000000"))
    );
    // Moving the test clock moves both.
    stamp.advance(3_600);
    assert_eq!(client.timestamp_now().unwrap(), T0 + 3_600);
    let request = get(&client);
    let received = verify_at(&request, true, T0 + 3_600).unwrap();
    assert_eq!(received.timestamp(), Some("1700003600"));
    // A provider still at T0 refuses it: the timestamp came from the stamp, not the system.
    assert!(matches!(
        verify_at(&request, true, T0),
        Err(oauth1_core::Error::Verify(
            VerifyError::TimestampOutOfWindow { .. }
        ))
    ));
    let (request_token, _) = flow.prepare_request_token(Callback::Oob).unwrap();
    assert!(verify_at(&request_token, false, T0 + 3_600).is_ok());
}

#[test]
fn a_client_from_a_signer_takes_a_stamp_and_keeps_its_offset() {
    let signer = Signer::new(
        HmacSha1,
        &ClientCredentials::new("consumer", CONSUMER_SECRET),
        Some(&TokenCredentials::new("token", TOKEN_SECRET)),
    )
    .unwrap();
    let client = SignedClient::new(FnClient(ok), signer)
        .placement(Placement::Query)
        .stamp(|| ("fixed-nonce".to_owned(), T0));
    let request = get(&client);
    assert!(request
        .uri()
        .query()
        .unwrap()
        .contains("oauth_nonce=fixed-nonce"));
    let received = verify_at(&request, true, T0).unwrap();
    assert_eq!(
        (received.nonce(), received.timestamp()),
        (Some("fixed-nonce"), Some("1700000000"))
    );
    // Byte for byte: the same stamp signs the same request twice.
    assert_eq!(get(&client).uri(), request.uri());
    // The clock offset (Twitter's code 135 recovery) is added to the stamp's timestamps.
    client.set_clock_offset(-30);
    assert_eq!(client.timestamp_now().unwrap(), T0 - 30);
    let received = verify_at(&get(&client), true, T0).unwrap();
    assert_eq!(received.timestamp(), Some("1699999970"));
}

#[tokio::test]
async fn send_and_send_blocking_sign_with_the_stamp() {
    let stamp = TestStamp::new(T0);
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let transport = {
        let seen = Arc::clone(&seen);
        FnClient(move |request: http::Request<Vec<u8>>| -> Reply {
            seen.lock().unwrap().push(request);
            Ok(http::Response::new(Vec::new()))
        })
    };
    let client = flow()
        .stamp(stamp.source())
        .signed_client(transport, &AccessToken::new("token", TOKEN_SECRET))
        .unwrap();
    let url = "https://api.example/1.1/statuses/update.json";
    let form = [("status", "at a fixed time")];
    client
        .send(client.prepare_post_form(url, &form).unwrap())
        .await
        .unwrap();
    stamp.advance(301);
    client
        .send_blocking(client.prepare_post_form(url, &form).unwrap())
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    let first = verify_at(&seen[0], true, T0).unwrap();
    assert_eq!(
        (first.nonce(), first.timestamp()),
        (Some("n-0"), Some("1700000000"))
    );
    let second = verify_at(&seen[1], true, T0 + 301).unwrap();
    assert_eq!(
        (second.nonce(), second.timestamp()),
        (Some("n-1"), Some("1700000301"))
    );
    // 301 s apart: outside each other's ±300 s window.
    assert!(verify_at(&seen[1], true, T0).is_err());
    assert!(verify_at(&seen[0], true, T0 + 301).is_err());
}

#[test]
fn by_default_a_client_uses_random_nonces_and_the_system_clock() {
    let signer = Signer::new(
        HmacSha1,
        &ClientCredentials::new("consumer", CONSUMER_SECRET),
        Some(&TokenCredentials::new("token", TOKEN_SECRET)),
    )
    .unwrap();
    let client = SignedClient::new(FnClient(ok), signer);
    let system = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (a, b) = (get(&client), get(&client));
    let a = verify_at(&a, true, system).unwrap();
    let b = verify_at(&b, true, system).unwrap();
    assert_ne!(a.nonce(), b.nonce());
    let ts: u64 = a.timestamp().unwrap().parse().unwrap();
    assert!(ts.abs_diff(system) <= 5, "{ts} vs {system}");
}

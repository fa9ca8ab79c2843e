//! What a service preset can say beyond endpoints (issue 20): extra authorization-URL
//! parameters, headers every request carries, a request-token response without
//! `oauth_callback_confirmed` (Magento 2), and one-legged calls signed with the consumer alone.
//! Each through the public API, with a transport that records what it was given.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use oauth1_core::{AnyMethod, Policy, Received, Secret};
use oauth1_flow::{
    AccessToken, BlockingHttpClient, Callback, ClientCredentials, Error, Flow, GenericProvider,
    GenericProviderBuilder, Placement, TransportError,
};

const CONSUMER_SECRET: &str = "consumer-SECRET";

fn builder() -> GenericProviderBuilder {
    GenericProvider::builder(
        "https://provider.example/oauth/request_token",
        "https://provider.example/oauth/authorize",
        "https://provider.example/oauth/access_token",
    )
}

fn flow(provider: GenericProvider) -> Flow<GenericProvider> {
    Flow::new(
        provider,
        ClientCredentials::new("consumer", CONSUMER_SECRET),
    )
    .unwrap()
}

type Sent = Arc<Mutex<Vec<http::Request<Vec<u8>>>>>;

/// A blocking transport that keeps each request and answers `body` with 200.
struct Recording {
    sent: Sent,
    body: &'static str,
}

impl BlockingHttpClient for Recording {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.sent.lock().unwrap().push(request);
        Ok(http::Response::new(self.body.as_bytes().to_vec()))
    }
}

fn recording(body: &'static str) -> (Sent, Recording) {
    let sent: Sent = Arc::default();
    let transport = Recording {
        sent: Arc::clone(&sent),
        body,
    };
    (sent, transport)
}

const CONFIRMED: &str = "oauth_token=rt&oauth_token_secret=rts&oauth_callback_confirmed=true";
const UNCONFIRMED: &str = "oauth_token=rt&oauth_token_secret=rts";

#[test]
fn authorize_params_come_after_the_token_and_the_application_can_replace_them() {
    let provider = builder()
        .authorize_param("perms", "read")
        .authorize_param("name", "My App")
        .build()
        .unwrap();
    let flow = flow(provider);
    let (_, transport) = recording(CONFIRMED);
    let token = flow
        .request_token_blocking(&transport, Callback::Oob)
        .unwrap();
    assert_eq!(
        token.authorize_url(&flow, &[]).unwrap(),
        "https://provider.example/oauth/authorize?oauth_token=rt&perms=read&name=My%20App"
    );
    assert_eq!(
        token.authorize_url(&flow, &[("perms", "write")]).unwrap(),
        "https://provider.example/oauth/authorize?oauth_token=rt&name=My%20App&perms=write"
    );
}

#[test]
fn provider_headers_go_on_token_requests_and_signed_calls_unless_set() {
    let provider = builder()
        .header("User-Agent", "ExampleApp/1.0 +https://app.example")
        .build()
        .unwrap();
    let flow = flow(provider);
    let (sent, transport) = recording(CONFIRMED);
    flow.request_token_blocking(&transport, Callback::Oob)
        .unwrap();
    let client = flow
        .signed_client(&transport, &AccessToken::new("at", "ats"))
        .unwrap();
    let request = client
        .prepare_get("https://provider.example/api", &[])
        .unwrap();
    client.send_blocking(request).unwrap();
    let mut own = client
        .prepare_get("https://provider.example/api", &[])
        .unwrap();
    own.headers_mut()
        .insert(http::header::USER_AGENT, "Mine/2".parse().unwrap());
    client.send_blocking(own).unwrap();

    let sent = sent.lock().unwrap();
    let agents: Vec<Vec<&str>> = sent
        .iter()
        .map(|r| {
            r.headers()
                .get_all(http::header::USER_AGENT)
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        agents,
        [
            vec!["ExampleApp/1.0 +https://app.example"],
            vec!["ExampleApp/1.0 +https://app.example"],
            vec!["Mine/2"],
        ]
    );
}

#[test]
fn a_header_that_is_not_one_is_refused_by_the_builder_and_the_config_reader() {
    let built = builder().header("User Agent", "x").build();
    assert!(matches!(built, Err(Error::Request(_))), "{built:?}");
    let built = builder().header("User-Agent", "line\nbreak").build();
    assert!(matches!(built, Err(Error::Request(_))), "{built:?}");

    let config = r#"{
        "request_token": {"url": "https://p.example/rt"},
        "authorize": "https://p.example/a",
        "access_token": {"url": "https://p.example/at"},
        "headers": [["User Agent", "secret-looking-value"]]
    }"#;
    let error = serde_json::from_str::<GenericProvider>(config).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("`User Agent` is not a header name"),
        "{message}"
    );
    assert!(!message.contains("secret-looking-value"), "{message}");
}

#[test]
fn callback_confirmation_is_required_unless_the_provider_says_otherwise() {
    let (_, transport) = recording(UNCONFIRMED);
    let strict = flow(builder().build().unwrap());
    let error = strict
        .request_token_blocking(&transport, Callback::Oob)
        .unwrap_err();
    assert!(matches!(error, Error::CallbackNotConfirmed), "{error:?}");

    let magento = flow(
        builder()
            .requires_callback_confirmed(false)
            .build()
            .unwrap(),
    );
    let token = magento
        .request_token_blocking(&transport, Callback::Oob)
        .unwrap();
    assert_eq!(token.token(), "rt");

    // A provider that sends it must still send `true`, required or not.
    let (_, transport) =
        recording("oauth_token=rt&oauth_token_secret=rts&oauth_callback_confirmed=false");
    let error = magento
        .request_token_blocking(&transport, Callback::Oob)
        .unwrap_err();
    assert!(matches!(error, Error::CallbackNotConfirmed), "{error:?}");
}

#[test]
fn the_pending_state_keeps_the_rule_across_a_round_trip_through_storage() {
    let magento = flow(
        builder()
            .requires_callback_confirmed(false)
            .build()
            .unwrap(),
    );
    let (_, pending) = magento.prepare_request_token(Callback::Oob).unwrap();
    let stored = serde_json::to_string(&pending).unwrap();
    let pending: oauth1_flow::PendingRequestToken = serde_json::from_str(&stored).unwrap();
    let response = http::Response::new(UNCONFIRMED.as_bytes().to_vec());
    assert!(pending.handle_response(response).is_ok());

    // A state stored before the field existed is strict.
    let old: oauth1_flow::PendingRequestToken =
        serde_json::from_str(r#"{"callback":"Oob"}"#).unwrap();
    let response = http::Response::new(UNCONFIRMED.as_bytes().to_vec());
    assert!(matches!(
        old.handle_response(response),
        Err(Error::CallbackNotConfirmed)
    ));
}

#[test]
fn a_consumer_client_signs_without_a_token_in_each_placement() {
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let flow = flow(builder().placement(placement).build().unwrap());
        let client = flow.consumer_client(()).unwrap();
        let mut request = client
            .prepare_post_form(
                "https://shop.example/wp-json/wc/v3/orders",
                &[("status", "done")],
            )
            .unwrap();
        client.sign(&mut request, false).unwrap();
        let received = Received::parse_http(&request, "https").unwrap();
        assert_eq!(received.token(), None, "{placement:?}");
        let now: u64 = received.timestamp().unwrap().parse().unwrap();
        let mut nonces = |_: &oauth1_core::NonceUse<'_>| true;
        received
            .verify_with_secrets(
                &AnyMethod::HmacSha1,
                &Secret::new(CONSUMER_SECRET),
                None,
                &Policy::new(now),
                &mut nonces,
            )
            .unwrap();
    }
}

#[test]
fn a_provider_chosen_at_run_time_behind_an_arc_keeps_every_setting() {
    let chosen: Arc<dyn oauth1_flow::ServiceProvider + Send + Sync> = Arc::new(
        builder()
            .authorize_param("perms", "read")
            .header("User-Agent", "Chosen/1")
            .requires_callback_confirmed(false)
            .realm("R")
            .build()
            .unwrap(),
    );
    let flow = Flow::new(chosen, ClientCredentials::new("consumer", CONSUMER_SECRET)).unwrap();
    let (sent, transport) = recording(UNCONFIRMED);
    let token = flow
        .request_token_blocking(&transport, Callback::Oob)
        .unwrap();
    assert!(token
        .authorize_url(&flow, &[])
        .unwrap()
        .ends_with("oauth_token=rt&perms=read"));
    let client = flow
        .signed_client(&transport, &AccessToken::new("at", "ats"))
        .unwrap();
    let mut request = client
        .prepare_get("https://provider.example/api", &[])
        .unwrap();
    client.sign(&mut request, false).unwrap();
    assert_eq!(request.headers()["user-agent"], "Chosen/1");
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(
        authorization.starts_with("OAuth realm=\"R\""),
        "{authorization}"
    );
    assert_eq!(sent.lock().unwrap()[0].headers()["user-agent"], "Chosen/1");
}

#[test]
fn debug_shows_the_names_of_provider_headers_not_their_values() {
    let provider = builder()
        .header("X-Api-Key", "key-VALUE-1234")
        .build()
        .unwrap();
    let shown = format!("{provider:?}");
    assert!(
        shown.contains("X-Api-Key") && !shown.contains("key-VALUE-1234"),
        "{shown}"
    );
    let client = flow(provider)
        .signed_client((), &AccessToken::new("at", "ats"))
        .unwrap();
    let shown = format!("{client:?}");
    assert!(
        shown.contains("x-api-key") && !shown.contains("key-VALUE-1234"),
        "{shown}"
    );
}

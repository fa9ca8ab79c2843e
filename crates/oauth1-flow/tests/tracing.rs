//! The `tracing` feature: a capturing subscriber at TRACE records every span, field and event
//! of whole dances, xAuth, a refused step and signed requests through fake transports, in
//! every placement and with PLAINTEXT (whose signature is the secrets): the spans carry their
//! fields, the base string is there masked, and no planted secret appears anywhere.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use oauth1_core::{ClientCredentials, Placement, Secret};
use oauth1_flow::transport::FnClient;
use oauth1_flow::{Callback, Flow, GenericProvider, TransportError};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

// Every secret holds a word that survives any encoding, so one search finds it however it
// was written (raw, percent-encoded once or twice, inside a PLAINTEXT signature).
const CONSUMER_SECRET: &str = "consumer-PLANTED1-secret";
const REQUEST_TOKEN_SECRET: &str = "request-PLANTED2-secret";
const ACCESS_TOKEN_SECRET: &str = "access-PLANTED3-secret";
const XAUTH_TOKEN_SECRET: &str = "xauth-PLANTED4-secret";
const PASSWORD: &str = "p&ss PLANTED5 w=rd";
const FORM_PASSWORD: &str = "form-PLANTED6-pw";
const VERIFIER: &str = "verifier-PLANTED7";
const PLANTED: [&str; 7] = [
    "PLANTED1", "PLANTED2", "PLANTED3", "PLANTED4", "PLANTED5", "PLANTED6", "PLANTED7",
];

/// A span as recorded: its name and every field, in order (later `record`s appended).
#[derive(Debug, Clone)]
struct SpanRecord {
    name: &'static str,
    fields: Vec<(String, String)>,
}

impl SpanRecord {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Captured {
    spans: Vec<SpanRecord>,
    /// Each event's fields (`message` among them).
    events: Vec<Vec<(String, String)>>,
}

/// A subscriber that keeps every span, field value and event.
#[derive(Clone, Default)]
struct Capture {
    captured: Arc<Mutex<Captured>>,
    next: Arc<AtomicU64>,
    ids: Arc<Mutex<HashMap<u64, usize>>>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Vec::new();
        span.record(&mut Fields(&mut fields));
        let mut captured = self.captured.lock().unwrap();
        captured.spans.push(SpanRecord {
            name: span.metadata().name(),
            fields,
        });
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        self.ids
            .lock()
            .unwrap()
            .insert(id, captured.spans.len() - 1);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let index = self.ids.lock().unwrap()[&span.into_u64()];
        let mut captured = self.captured.lock().unwrap();
        values.record(&mut Fields(&mut captured.spans[index].fields));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = vec![("level".to_owned(), event.metadata().level().to_string())];
        event.record(&mut Fields(&mut fields));
        self.captured.lock().unwrap().events.push(fields);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

impl Capture {
    /// Everything captured, as one text.
    fn text(&self) -> String {
        let captured = self.captured.lock().unwrap();
        let mut text = String::new();
        for span in &captured.spans {
            writeln!(text, "span {} {:?}", span.name, span.fields).unwrap();
        }
        for event in &captured.events {
            writeln!(text, "event {event:?}").unwrap();
        }
        text
    }

    fn spans(&self, name: &str) -> Vec<SpanRecord> {
        let captured = self.captured.lock().unwrap();
        captured
            .spans
            .iter()
            .filter(|s| s.name == name)
            .cloned()
            .collect()
    }

    fn base_strings(&self) -> Vec<String> {
        let captured = self.captured.lock().unwrap();
        captured
            .events
            .iter()
            .filter_map(|e| e.iter().find(|(n, _)| n == "base_string"))
            .map(|(_, v)| v.clone())
            .collect()
    }
}

fn flow(method: &str, placement: Placement) -> Flow<GenericProvider> {
    let provider = GenericProvider::builder(
        "https://provider.example/oauth/request_token",
        "https://provider.example/oauth/authorize",
        "https://provider.example/oauth/access_token",
    )
    .invalidate_token_url("https://provider.example/oauth/invalidate_token")
    .signature_method(method)
    .placement(placement)
    .xauth(true)
    .build()
    .unwrap();
    Flow::new(
        provider,
        ClientCredentials::new("consumer", CONSUMER_SECRET),
    )
    .unwrap()
    .stamp(|| ("fixed-nonce".to_owned(), 1_700_000_000))
}

fn respond(status: u16, body: String) -> Result<http::Response<Vec<u8>>, TransportError> {
    Ok(http::Response::builder()
        .status(status)
        .body(body.into_bytes())
        .unwrap())
}

/// A fake provider: tokens for the dance and xAuth, a refusal for invalidate, 200 otherwise.
fn provider(request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> {
    let body = String::from_utf8_lossy(request.body()).into_owned();
    match request.uri().path() {
        "/oauth/request_token" => respond(
            200,
            format!("oauth_token=rt&oauth_token_secret={REQUEST_TOKEN_SECRET}&oauth_callback_confirmed=true"),
        ),
        "/oauth/access_token" if body.contains("x_auth_mode") => respond(
            200,
            format!("oauth_token=xt&oauth_token_secret={XAUTH_TOKEN_SECRET}&screen_name=al"),
        ),
        "/oauth/access_token" => respond(
            200,
            format!("oauth_token=at&oauth_token_secret={ACCESS_TOKEN_SECRET}&screen_name=al"),
        ),
        "/oauth/invalidate_token" => respond(401, "oauth_problem=token_rejected".to_owned()),
        _ => respond(200, "{}".to_owned()),
    }
}

#[test]
fn spans_and_a_masked_base_string_and_never_a_secret() {
    for (method, placement) in [
        ("PLAINTEXT", Placement::Query),
        ("PLAINTEXT", Placement::Body),
        ("PLAINTEXT", Placement::Header),
        ("HMAC-SHA1", Placement::Header),
    ] {
        let capture = Capture::default();
        let flow = flow(method, placement);
        let transport = FnClient(provider);
        tracing::subscriber::with_default(capture.clone(), || {
            // The dance, blocking.
            let request_token = flow
                .request_token_blocking(&transport, Callback::Url("https://app.example/cb".into()))
                .unwrap();
            let verifier = request_token
                .verifier_from_callback(&format!(
                    "https://app.example/cb?oauth_token=rt&oauth_verifier={VERIFIER}"
                ))
                .unwrap();
            let access = flow.access_token_blocking(&transport, &verifier).unwrap();
            // xAuth, async.
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            let xauth = runtime
                .block_on(flow.xauth(&transport, "alice", &Secret::new(PASSWORD)))
                .unwrap();
            assert_eq!(xauth.token(), "xt");
            // A refused step.
            let refused = flow.invalidate_blocking(&transport, &access).unwrap_err();
            assert!(refused.provider_error().is_some(), "{refused}");
            // Signed requests, one of them with a password in its form.
            let client = flow.signed_client(transport, &access).unwrap();
            let request = client
                .prepare_post_form(
                    "https://api.example/1.1/update.json?lang=fr",
                    &[("status", "hi"), ("password", FORM_PASSWORD)],
                )
                .unwrap();
            let response = client.send_blocking(request).unwrap();
            assert_eq!(response.status(), 200);
            let request = client
                .prepare_get("https://api.example/1.1/home.json", &[("count", "2")])
                .unwrap();
            runtime.block_on(client.send(request)).unwrap();
        });
        let text = capture.text();
        let context = format!("{method} {placement:?}:\n{text}");

        // A span per step, with its fields.
        let steps = capture.spans("oauth1.step");
        let step = |name: &str| {
            steps
                .iter()
                .find(|s| s.field("step") == Some(name))
                .unwrap_or_else(|| panic!("no {name} span; {context}"))
        };
        for name in ["request-token", "access-token", "xAuth"] {
            let span = step(name);
            assert_eq!(span.field("host"), Some("provider.example"), "{context}");
            assert_eq!(span.field("method"), Some("POST"), "{context}");
            assert_eq!(span.field("status"), Some("200"), "{context}");
            assert_eq!(span.field("problem"), None, "{context}");
        }
        let invalidate = step("invalidate-token");
        assert_eq!(invalidate.field("status"), Some("401"), "{context}");
        assert!(
            invalidate
                .field("problem")
                .is_some_and(|p| p.contains("token_rejected")),
            "{context}"
        );

        // A span per signed request: method, the URL without query values, placement.
        let requests = capture.spans("oauth1.request");
        assert_eq!(requests.len(), 2, "{context}");
        assert_eq!(requests[0].field("method"), Some("POST"), "{context}");
        assert_eq!(
            requests[0].field("url"),
            Some("https://api.example/1.1/update.json?lang=…"),
            "{context}"
        );
        assert_eq!(
            requests[0].field("placement"),
            Some(format!("{placement:?}").as_str()),
            "{context}"
        );
        assert_eq!(requests[0].field("status"), Some("200"), "{context}");
        assert_eq!(
            requests[1].field("url"),
            Some("https://api.example/1.1/home.json?count=…"),
            "{context}"
        );

        // The base string of every signed request at TRACE, masked.
        let bases = capture.base_strings();
        assert_eq!(bases.len(), 6, "{context}");
        assert!(
            bases
                .iter()
                .any(|b| b.contains("oauth_verifier%3D[redacted]")),
            "{context}"
        );
        assert!(
            bases
                .iter()
                .any(|b| b.contains("x_auth_password%3D[redacted]%26x_auth_username%3Dalice")),
            "{context}"
        );
        assert!(
            bases.iter().any(|b| b
                .starts_with("POST&https%3A%2F%2Fapi.example%2F1.1%2Fupdate.json&")
                && b.contains("password%3D[redacted]%26status%3Dhi")),
            "{context}"
        );

        // No planted secret, anywhere, at any level.
        for planted in PLANTED {
            assert!(!text.contains(planted), "{planted} leaked; {context}");
        }
    }
}

#[test]
fn a_failed_transport_records_its_kind_not_its_message() {
    let capture = Capture::default();
    let flow = flow("PLAINTEXT", Placement::Query);
    tracing::subscriber::with_default(capture.clone(), || {
        // A library's message may print the URL, and the URL holds the signature here.
        let transport = FnClient(|request: http::Request<Vec<u8>>| {
            Err(TransportError::new(
                oauth1_flow::TransportErrorKind::Connect,
                format!("cannot reach {}", request.uri()),
            ))
        });
        flow.request_token_blocking(&transport, Callback::Oob)
            .unwrap_err();
    });
    let text = capture.text();
    let span = &capture.spans("oauth1.step")[0];
    assert_eq!(
        span.field("error"),
        Some("request-token request failed: could not connect"),
        "{text}"
    );
    assert!(!text.contains("PLANTED1"), "{text}");
}

/// A stream the provider refuses (its whole body in one chunk).
struct RefusingStream;

struct OneChunk(Option<Vec<u8>>);

impl oauth1_flow::BlockingBody for OneChunk {
    fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
        Ok(self.0.take())
    }
}

impl oauth1_flow::BlockingHttpClient for RefusingStream {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        provider(request)
    }
}

impl oauth1_flow::BlockingStreamingHttpClient for RefusingStream {
    fn send_streaming(
        &self,
        _: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn oauth1_flow::BlockingBody>>, TransportError> {
        let body: Box<dyn oauth1_flow::BlockingBody> =
            Box::new(OneChunk(Some(b"oauth_problem=token_revoked".to_vec())));
        Ok(http::Response::builder().status(401).body(body).unwrap())
    }
}

#[test]
fn a_refused_stream_records_its_status_and_problem() {
    let capture = Capture::default();
    let flow = flow("PLAINTEXT", Placement::Query);
    let access = oauth1_flow::AccessToken::new("at", ACCESS_TOKEN_SECRET);
    tracing::subscriber::with_default(capture.clone(), || {
        let client = flow.signed_client(RefusingStream, &access).unwrap();
        let request = client
            .prepare_get(
                "https://stream.example/1.1/statuses/filter.json",
                &[("track", "x")],
            )
            .unwrap();
        client.stream_blocking(request, 1024).unwrap_err();
    });
    let text = capture.text();
    let span = &capture.spans("oauth1.request")[0];
    assert_eq!(
        span.field("url"),
        Some("https://stream.example/1.1/statuses/filter.json?track=…"),
        "{text}"
    );
    assert_eq!(span.field("status"), Some("401"), "{text}");
    assert!(
        span.field("problem")
            .is_some_and(|p| p.contains("token_revoked")),
        "{text}"
    );
    for planted in ["PLANTED1", "PLANTED3"] {
        assert!(!text.contains(planted), "{planted} leaked; {text}");
    }
}

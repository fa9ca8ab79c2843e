//! The OAuth Problem Reporting parameters reach the error, whether the provider sent them in
//! its `WWW-Authenticate` challenge or in a form body: through the dance, over a closure
//! transport that answers as a provider would.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_flow::transport::FnClient;
use oauth1_flow::{Callback, Error, Flow, GenericProvider, ProblemSource, ProviderError, Step};

fn flow() -> Flow<GenericProvider> {
    Flow::new(
        GenericProvider::builder(
            "https://provider.example/oauth/request_token",
            "https://provider.example/oauth/authorize",
            "https://provider.example/oauth/access_token",
        )
        .build()
        .unwrap(),
        oauth1_core::ClientCredentials::new("consumer", "consumer-secret"),
    )
    .unwrap()
}

/// The error of a request-token step answered with `status`, these headers and `body`.
fn refused(status: u16, headers: &[(&str, &str)], body: &str) -> ProviderError {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    let body = body.to_owned();
    let fake = FnClient(move |_request: http::Request<Vec<u8>>| {
        let mut response = http::Response::builder().status(status);
        for (n, v) in &headers {
            response = response.header(n, v);
        }
        Ok(response.body(body.clone().into_bytes()).unwrap())
    });
    match flow().request_token_blocking(&fake, Callback::Oob) {
        Err(Error::Provider { step, error }) => {
            assert_eq!(step, Step::RequestToken);
            *error
        }
        other => panic!("expected a provider error, got {other:?}"),
    }
}

const TWITTER_32: &str = r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#;

#[test]
fn each_parameter_from_the_challenge() {
    let e = refused(
        401,
        &[(
            "www-authenticate",
            r#"OAuth realm="api", oauth_problem="parameter_absent", oauth_problem_advice="send%20them", oauth_parameters_absent="oauth_nonce&oauth_timestamp", oauth_parameters_rejected="oauth_version", oauth_acceptable_timestamps="1000-1600", oauth_acceptable_versions="1.0-1.0""#,
        )],
        TWITTER_32,
    );
    // The JSON body is read too.
    assert_eq!(e.codes[0].code, 32);
    let p = e.oauth.as_ref().expect("a problem from the challenge");
    assert_eq!(p.source, ProblemSource::Header);
    assert_eq!(p.problem, "parameter_absent");
    assert_eq!(p.advice.as_deref(), Some("send them"));
    assert_eq!(p.parameters_absent, ["oauth_nonce", "oauth_timestamp"]);
    assert_eq!(p.parameters_rejected, ["oauth_version"]);
    assert_eq!(p.acceptable_timestamps, Some((1000, 1600)));
    assert_eq!(p.acceptable_versions, Some(("1.0".into(), "1.0".into())));
    // The older fields agree.
    assert_eq!(
        e.oauth_problem,
        Some(("parameter_absent".into(), Some("send them".into())))
    );
    assert_eq!(e.acceptable_timestamps, Some((1000, 1600)));
    let text = e.to_string();
    for part in [
        "oauth_problem=parameter_absent (send them)",
        "missing parameters: oauth_nonce, oauth_timestamp",
        "rejected parameters: oauth_version",
        "accepted oauth_version 1.0 to 1.0",
    ] {
        assert!(text.contains(part), "{part} not in {text}");
    }
}

#[test]
fn each_parameter_from_the_body() {
    let e = refused(
        400,
        &[("content-type", "application/x-www-form-urlencoded")],
        "oauth_problem=version_rejected&oauth_problem_advice=use+1.0\
         &oauth_parameters_absent=oauth_signature_method%26oauth_nonce\
         &oauth_parameters_rejected=oauth_version%3D2.0\
         &oauth_acceptable_timestamps=5-9&oauth_acceptable_versions=1.0-1.0",
    );
    let p = e.oauth.as_ref().expect("a problem from the body");
    assert_eq!(p.source, ProblemSource::Body);
    assert_eq!(p.problem, "version_rejected");
    assert_eq!(p.advice.as_deref(), Some("use 1.0"));
    assert_eq!(
        p.parameters_absent,
        ["oauth_signature_method", "oauth_nonce"]
    );
    assert_eq!(p.parameters_rejected, ["oauth_version=2.0"]);
    assert_eq!(p.acceptable_timestamps, Some((5, 9)));
    assert_eq!(p.acceptable_versions, Some(("1.0".into(), "1.0".into())));
}

#[test]
fn the_body_wins_and_the_challenge_fills_in() {
    let e = refused(
        401,
        &[(
            "www-authenticate",
            r#"OAuth realm="api", oauth_problem="signature_invalid", oauth_problem_advice="from the header", oauth_acceptable_timestamps="1-2""#,
        )],
        "oauth_problem=timestamp_refused&oauth_problem_advice=from+the+body",
    );
    let p = e.oauth.as_ref().unwrap();
    assert_eq!(p.source, ProblemSource::Both);
    assert_eq!(p.problem, "timestamp_refused");
    assert_eq!(p.advice.as_deref(), Some("from the body"));
    assert_eq!(p.acceptable_timestamps, Some((1, 2)));
    assert!(e.is_stale_timestamp());
}

#[test]
fn another_scheme_is_not_read_and_a_hostile_challenge_is_bounded() {
    let e = refused(
        401,
        &[(
            "www-authenticate",
            r#"Bearer oauth_problem="signature_invalid""#,
        )],
        TWITTER_32,
    );
    assert_eq!(e.oauth, None);
    // 1 MB of parameters: read within the cap, in well under a second, without a panic.
    let hostile = format!(
        "OAuth {}oauth_problem=\"late\"",
        "x=\"y\", ".repeat(150_000)
    );
    let started = std::time::Instant::now();
    let e = refused(401, &[("www-authenticate", &hostile)], TWITTER_32);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(e.oauth, None, "past the 8 KiB cap");
}

#[test]
fn retry_after_and_the_rate_limit_reset() {
    let e = refused(
        429,
        &[("retry-after", "17"), ("x-rate-limit-reset", "1700000900")],
        r#"{"errors":[{"code":88,"message":"Rate limit exceeded"}]}"#,
    );
    assert_eq!(e.retry_after.as_deref(), Some("17"));
    assert_eq!(e.rate_limit_reset, Some(1_700_000_900));
    let text = e.to_string();
    assert!(text.contains("Retry-After: 17"), "{text}");
    assert!(text.contains("resets at 1700000900"), "{text}");
}

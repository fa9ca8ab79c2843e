//! What to do about a failure: the one hint printed under a provider's refusal, and the
//! names of the host and the proxy in a network error.
//!
//! The hint is chosen by the OAuth Problem Reporting `oauth_problem` when the provider sent one
//! (in its body or its `WWW-Authenticate` challenge), else by the step and the provider's code
//! (Twitter: 32 the signature, 89 the token, 135 the timestamp):
//!
//! ```
//! use oauth1_cli::hint::Hint;
//! use oauth1_flow::{ProviderError, Step};
//!
//! let body = br#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#;
//! let error = ProviderError::parse(http::StatusCode::UNAUTHORIZED, &http::HeaderMap::new(), body);
//! // At the access-token step a refusal with no problem named is a wrong PIN or verifier.
//! assert!(matches!(Hint::for_error(Step::AccessToken, &error, 0), Some(Hint::AuthorizeAgain)));
//! assert!(matches!(Hint::for_error(Step::Resource, &error, 0), Some(Hint::Signature)));
//! ```

use std::fmt;

use oauth1_flow::{ProviderError, Step, TransportError};
use oauth1_transport_ureq::UreqTransport;

/// What the user can do about a provider's refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hint {
    /// The signature was refused: compare what was signed (`oauth1 sign --explain`).
    Signature,
    /// The signature method was refused: choose one the provider accepts.
    Method,
    /// The token, PIN or verifier was refused: run the authorization again.
    AuthorizeAgain,
    /// xAuth refused the username or the password.
    Credentials,
    /// The timestamp was refused: the clock is off.
    Clock {
        /// This machine's clock minus the provider's, in seconds, when the provider said
        /// which timestamps it accepts.
        skew: Option<i64>,
        /// The provider's `Date` header.
        date: Option<String>,
    },
    /// The nonce was seen before: send the request again.
    Nonce,
    /// Too many requests.
    RateLimited {
        /// `Retry-After`, as sent.
        retry_after: Option<String>,
        /// `x-rate-limit-reset` (Unix seconds) and how many seconds from now that is.
        reset: Option<(u64, i64)>,
    },
}

impl Hint {
    /// The hint for `error`, refused at `step`, with `now` this machine's clock (Unix seconds).
    pub fn for_error(step: Step, error: &ProviderError, now: u64) -> Option<Hint> {
        let code = |n: i64| error.codes.iter().any(|c| c.code == n);
        if error.status == http::StatusCode::TOO_MANY_REQUESTS || code(88) {
            return Some(Hint::RateLimited {
                retry_after: error.retry_after.clone(),
                reset: error
                    .rate_limit_reset
                    .map(|r| (r, seconds(r).saturating_sub(seconds(now)))),
            });
        }
        let clock = || Hint::Clock {
            skew: error
                .acceptable_timestamps
                .map(|(from, to)| seconds(now).saturating_sub(seconds(from / 2 + to / 2))),
            date: error.date.clone(),
        };
        if let Some(problem) = error.oauth_problem_name() {
            return match problem {
                "timestamp_refused" => Some(clock()),
                "nonce_used" => Some(Hint::Nonce),
                "signature_method_rejected" => Some(Hint::Method),
                "signature_invalid"
                | "consumer_key_unknown"
                | "consumer_key_rejected"
                | "consumer_key_refused" => Some(Hint::Signature),
                "token_rejected" | "token_revoked" | "token_expired" | "token_used"
                | "verifier_invalid" | "permission_denied" | "permission_unknown" => {
                    Some(Hint::AuthorizeAgain)
                }
                _ => None,
            };
        }
        if code(135) {
            return Some(clock());
        }
        if code(89) {
            return Some(Hint::AuthorizeAgain);
        }
        let refused = code(32) || error.status == http::StatusCode::UNAUTHORIZED;
        match step {
            // The provider checked the signature first: what it refused is the rest.
            Step::XAuth if refused => Some(Hint::Credentials),
            Step::AccessToken if refused => Some(Hint::AuthorizeAgain),
            _ if refused || code(215) => Some(Hint::Signature),
            _ => None,
        }
    }
}

fn seconds(t: u64) -> i64 {
    i64::try_from(t).unwrap_or(i64::MAX)
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("hint: ")?;
        match self {
            Hint::Signature => f.write_str("the provider refused the signature: run `oauth1 sign --explain` with the same request, credentials and URL to see what was signed"),
            Hint::Method => f.write_str("the provider does not accept this signature method: authorize with one it does (`oauth1 authorize --signature-method`); for an RSA method the provider must hold the consumer's public key"),
            Hint::AuthorizeAgain => f.write_str("the provider refused the token, PIN or verifier (wrong, used, expired or revoked): authorize again with `oauth1 authorize`, and type the newest PIN exactly"),
            Hint::Credentials => f.write_str("the provider refused the xAuth login: check the username and password"),
            Hint::Clock { skew, date } => {
                f.write_str("the provider refused the timestamp: ")?;
                match skew {
                    Some(s) if *s > 0 => write!(f, "this machine's clock is {s} s ahead of the provider's")?,
                    Some(s) if *s < 0 => write!(f, "this machine's clock is {} s behind the provider's", s.unsigned_abs())?,
                    Some(_) => f.write_str("the clocks agree now: send the request again")?,
                    None => match date {
                        Some(d) => write!(f, "compare this machine's clock with the provider's ({d})")?,
                        None => f.write_str("this machine's clock is off")?,
                    },
                }
                f.write_str("; set the system clock right (e.g. enable NTP)")
            }
            Hint::Nonce => f.write_str("the provider has seen this nonce before: send the request again (a new nonce is made each time)"),
            Hint::RateLimited { retry_after, reset } => {
                f.write_str("rate limited: ")?;
                match retry_after {
                    Some(r) => write!(f, "the provider asks to wait (Retry-After: {r})")?,
                    None => f.write_str("wait before sending more")?,
                }
                if let Some((at, within)) = reset {
                    write!(f, "; the rate-limit window resets at {at} (Unix time, in {} s)", (*within).max(0))?;
                }
                Ok(())
            }
        }
    }
}

/// The CLI's transport: ureq's, with the host (and the proxy, when one is used) named in every
/// error, so that "connection refused" says what refused.
#[derive(Clone)]
pub(crate) struct NamingTransport(pub(crate) UreqTransport);

impl NamingTransport {
    /// `error` of a request to `uri`, with the host and the proxy named.
    fn name(&self, uri: &http::Uri, error: TransportError) -> TransportError {
        let kind = error.kind();
        let host = uri.host().unwrap_or("(no host)");
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("https") {
                443
            } else {
                80
            });
        // The proxy's host and port only: its URL may carry a password.
        let proxy = self
            .0
            .agent()
            .config()
            .proxy()
            .filter(|p| !p.is_no_proxy(uri))
            .map(|p| format!(" through the proxy {}:{}", p.host(), p.port()))
            .unwrap_or_default();
        let text = error.to_string();
        let detail = text
            .strip_prefix(&format!("{kind}: "))
            .unwrap_or(&text)
            .to_owned();
        TransportError::new(kind, format!("{host}:{port}{proxy}: {detail}"))
    }
}

impl oauth1_flow::BlockingHttpClient for NamingTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let uri = request.uri().clone();
        self.0.send(request).map_err(|e| self.name(&uri, e))
    }
}

impl oauth1_flow::BlockingStreamingHttpClient for NamingTransport {
    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn oauth1_flow::BlockingBody>>, TransportError> {
        let uri = request.uri().clone();
        self.0
            .send_streaming(request)
            .map_err(|e| self.name(&uri, e))
    }
}

/// A hint for a network error: what to check.
pub(crate) fn network_hint(error: &TransportError) -> Option<&'static str> {
    let proxied = error.to_string().contains(" through the proxy ");
    match error.kind() {
        oauth1_flow::TransportErrorKind::Connect if proxied => Some("hint: check that the proxy is up and reachable (it comes from --proxy, else ALL_PROXY, HTTPS_PROXY or HTTP_PROXY; NO_PROXY lists the hosts that skip it)"),
        oauth1_flow::TransportErrorKind::Connect => Some("hint: check the URL, and that the host is up and reachable from here"),
        oauth1_flow::TransportErrorKind::Timeout => Some("hint: no answer within --timeout SECONDS (30 unless given): give the provider more time with --timeout, or check that the host is the right one"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn error(status: u16, headers: &[(&str, &str)], body: &str) -> ProviderError {
        let mut map = http::HeaderMap::new();
        for (n, v) in headers {
            map.insert(
                http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
                http::HeaderValue::from_str(v).unwrap(),
            );
        }
        ProviderError::parse(
            http::StatusCode::from_u16(status).unwrap(),
            &map,
            body.as_bytes(),
        )
    }

    #[test]
    fn the_problem_comes_before_the_step_and_the_code() {
        let signature = error(
            401,
            &[(
                "www-authenticate",
                r#"OAuth oauth_problem="signature_invalid""#,
            )],
            r#"{"errors":[{"code":32,"message":"m"}]}"#,
        );
        // A wrong consumer secret at the xAuth or access-token step is still the signature.
        for step in [Step::XAuth, Step::AccessToken, Step::Resource] {
            assert_eq!(
                Hint::for_error(step, &signature, 0),
                Some(Hint::Signature),
                "{step}"
            );
        }
        let method = error(400, &[], "oauth_problem=signature_method_rejected");
        assert_eq!(Hint::for_error(Step::XAuth, &method, 0), Some(Hint::Method));
        let nonce = error(401, &[], "oauth_problem=nonce_used");
        assert_eq!(
            Hint::for_error(Step::Resource, &nonce, 0),
            Some(Hint::Nonce)
        );
        let other = error(400, &[], "oauth_problem=parameter_absent");
        assert_eq!(Hint::for_error(Step::Resource, &other, 0), None);
        let bare = error(401, &[], "");
        assert_eq!(
            Hint::for_error(Step::Resource, &bare, 0),
            Some(Hint::Signature)
        );
        assert_eq!(
            Hint::for_error(Step::XAuth, &bare, 0),
            Some(Hint::Credentials)
        );
        assert_eq!(
            Hint::for_error(Step::Resource, &error(404, &[], ""), 0),
            None
        );
    }

    #[test]
    fn the_skew_says_ahead_or_behind() {
        let stale = error(
            401,
            &[],
            "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=700-1300",
        );
        let text = |now| {
            Hint::for_error(Step::Resource, &stale, now)
                .unwrap()
                .to_string()
        };
        assert!(text(1500).contains("500 s ahead"), "{}", text(1500));
        assert!(text(400).contains("600 s behind"), "{}", text(400));
        assert!(
            text(1000).contains("the clocks agree now"),
            "{}",
            text(1000)
        );
        // A range at the end of time does not overflow.
        let far = error(
            401,
            &[],
            "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=18446744073709551614-18446744073709551615",
        );
        assert!(Hint::for_error(Step::Resource, &far, 0)
            .unwrap()
            .to_string()
            .contains("behind"));
    }

    #[test]
    fn a_rate_limit_in_the_past_is_not_negative() {
        let limited = error(
            429,
            &[("x-rate-limit-reset", "100")],
            r#"{"errors":[{"code":88,"message":"m"}]}"#,
        );
        let hint = Hint::for_error(Step::Resource, &limited, 1000).unwrap();
        assert!(hint.to_string().contains("in 0 s"), "{hint}");
        assert!(
            hint.to_string().contains("wait before sending more"),
            "{hint}"
        );
    }
}

//! What a provider said when it refused a request: [`ProviderError`].

use std::fmt;

use http::{HeaderMap, StatusCode};
use serde::Deserialize;

/// Form fields that are never kept from an error body (a token response sent with an error
/// status must not leak its secret into an error message or a log).
const SECRET_FIELDS: [&str; 2] = ["oauth_token_secret", "x_auth_password"];

/// At most this many characters of a body are kept as a snippet.
const SNIPPET: usize = 200;

/// A provider's error response, parsed from whichever shape it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProviderError {
    /// The HTTP status.
    pub status: StatusCode,
    /// Numbered errors (Twitter v1.1: `{"errors":[{"code":32,"message":"…"}]}`).
    pub codes: Vec<ErrorCode>,
    /// Problem details (Twitter v2 / RFC 7807: `title`, `detail`, `type`).
    pub problem: Option<Problem>,
    /// `oauth_problem` and `oauth_problem_advice` (the OAuth Problem Reporting extension).
    pub oauth_problem: Option<(String, Option<String>)>,
    /// The start of the body when none of the above matched (secrets removed).
    pub snippet: Option<String>,
    /// The `Date` header, which tells the provider's clock (see [`ProviderError::is_stale_timestamp`]).
    pub date: Option<String>,
    /// `oauth_acceptable_timestamps` (OAuth Problem Reporting), from the body or the
    /// `WWW-Authenticate` challenge: the first and last timestamps (Unix seconds) the provider
    /// would have accepted when it refused one. Our own provider sends it; Twitter does not.
    pub acceptable_timestamps: Option<(u64, u64)>,
}

/// One numbered error of a Twitter-style error body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ErrorCode {
    /// The provider's code (Twitter: 32 could not authenticate, 89 invalid token, 135 timestamp
    /// out of bounds, 215 bad authentication data).
    pub code: i64,
    /// The message.
    #[serde(default)]
    pub message: String,
}

/// RFC 7807 problem details.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Problem {
    /// `title`.
    #[serde(default)]
    pub title: String,
    /// `detail`.
    #[serde(default)]
    pub detail: Option<String>,
    /// `type`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Deserialize)]
struct Errors {
    errors: Vec<ErrorCode>,
}

impl ProviderError {
    /// Parses an error body of any of the shapes above.
    pub fn parse(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        let mut error = ProviderError {
            status,
            codes: Vec::new(),
            problem: None,
            oauth_problem: None,
            snippet: None,
            date: headers
                .get(http::header::DATE)
                .and_then(|d| d.to_str().ok())
                .map(str::to_owned),
            acceptable_timestamps: headers
                .get_all(http::header::WWW_AUTHENTICATE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(challenge_acceptable_timestamps),
        };
        if let Ok(errors) = serde_json::from_slice::<Errors>(body) {
            error.codes = errors.errors;
            return error;
        }
        if let Ok(problem) = serde_json::from_slice::<Problem>(body) {
            if !problem.title.is_empty() || problem.detail.is_some() {
                error.problem = Some(problem);
                return error;
            }
        }
        if let Ok(pairs) = oauth1_core::encode::form_decode_str(&String::from_utf8_lossy(body)) {
            let get = |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            };
            if let Some(problem) = get("oauth_problem") {
                error.oauth_problem = Some((problem, get("oauth_problem_advice")));
                if let Some(range) = get("oauth_acceptable_timestamps") {
                    error.acceptable_timestamps =
                        timestamp_range(&range).or(error.acceptable_timestamps);
                }
                return error;
            }
            if pairs
                .iter()
                .any(|(n, _)| SECRET_FIELDS.contains(&n.as_str()))
            {
                let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
                error.snippet = Some(format!("a form with fields {}", names.join(", ")));
                return error;
            }
        }
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        if !text.is_empty() {
            let mut snippet: String = text.chars().take(SNIPPET).collect();
            if snippet.len() < text.len() {
                snippet.push('…');
            }
            error.snippet = Some(snippet);
        }
        error
    }

    /// Whether the provider said the timestamp was too far from its clock (Twitter code 135,
    /// or `oauth_problem=timestamp_refused`): compare your clock with [`ProviderError::date`].
    pub fn is_stale_timestamp(&self) -> bool {
        self.codes.iter().any(|c| c.code == 135)
            || self
                .oauth_problem
                .as_ref()
                .is_some_and(|(p, _)| p == "timestamp_refused")
    }

    /// Whether the provider refused the signature or the credentials (Twitter codes 32, 89,
    /// 215; `signature_invalid`, `token_rejected`, …; or a bare 401).
    pub fn is_authentication_failure(&self) -> bool {
        self.codes.iter().any(|c| matches!(c.code, 32 | 89 | 215))
            || self.oauth_problem.as_ref().is_some_and(|(p, _)| {
                matches!(
                    p.as_str(),
                    "signature_invalid"
                        | "token_rejected"
                        | "token_revoked"
                        | "token_expired"
                        | "consumer_key_unknown"
                        | "consumer_key_rejected"
                        | "nonce_used"
                )
            })
            || self.status == StatusCode::UNAUTHORIZED
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        for c in &self.codes {
            write!(f, "; code {}: {}", c.code, c.message)?;
        }
        if let Some(p) = &self.problem {
            write!(f, "; {}", p.title)?;
            if let Some(d) = &p.detail {
                write!(f, ": {d}")?;
            }
        }
        if let Some((problem, advice)) = &self.oauth_problem {
            write!(f, "; oauth_problem={problem}")?;
            if let Some(a) = advice {
                write!(f, " ({a})")?;
            }
        }
        if let Some(s) = &self.snippet {
            write!(f, "; body: {s}")?;
        }
        if self.is_stale_timestamp() {
            f.write_str(
                " (the timestamp is too far from the provider's clock: check the system clock",
            )?;
            if let Some(d) = &self.date {
                write!(f, "; the provider's Date is {d}")?;
            }
            if let Some((from, to)) = self.acceptable_timestamps {
                write!(f, "; it accepts timestamps {from} to {to}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// `A-B` (two Unix times, `A <= B`), as `oauth_acceptable_timestamps` gives them.
fn timestamp_range(text: &str) -> Option<(u64, u64)> {
    let (from, to) = text.trim().split_once('-')?;
    let (from, to) = (from.parse().ok()?, to.parse().ok()?);
    (from <= to).then_some((from, to))
}

/// `oauth_acceptable_timestamps="A-B"` (quoted or not) in a `WWW-Authenticate` challenge.
fn challenge_acceptable_timestamps(challenge: &str) -> Option<(u64, u64)> {
    const NAME: &str = "oauth_acceptable_timestamps=";
    let start = challenge.find(NAME)? + NAME.len();
    let rest = challenge.get(start..)?;
    let rest = rest.strip_prefix('"').unwrap_or(rest);
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(rest.len());
    timestamp_range(rest.get(..end)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(status: u16, body: &str) -> ProviderError {
        ProviderError::parse(
            StatusCode::from_u16(status).unwrap(),
            &HeaderMap::new(),
            body.as_bytes(),
        )
    }

    #[test]
    fn every_shape() {
        let e = parse(
            401,
            r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#,
        );
        assert_eq!(e.codes[0].code, 32);
        assert!(e.is_authentication_failure());
        assert!(e
            .to_string()
            .contains("code 32: Could not authenticate you."));

        let e = parse(
            403,
            r#"{"title":"Forbidden","detail":"nope","type":"https://api.x.com/2/problems/x"}"#,
        );
        assert_eq!(e.problem.as_ref().unwrap().detail.as_deref(), Some("nope"));

        let e = parse(
            401,
            "oauth_problem=timestamp_refused&oauth_problem_advice=check+clock",
        );
        assert!(e.is_stale_timestamp());
        assert_eq!(
            e.oauth_problem.as_ref().unwrap().1.as_deref(),
            Some("check clock")
        );

        let e = parse(500, "<html><body>Internal error</body></html>");
        assert_eq!(
            e.snippet.as_deref(),
            Some("<html><body>Internal error</body></html>")
        );

        let long = "x".repeat(1000);
        assert!(parse(500, &long).snippet.unwrap().chars().count() <= SNIPPET + 1);
    }

    #[test]
    fn acceptable_timestamps_from_the_body_or_the_challenge() {
        let e = parse(
            401,
            "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1000-1600",
        );
        assert_eq!(e.acceptable_timestamps, Some((1000, 1600)));
        assert!(
            e.to_string().contains("accepts timestamps 1000 to 1600"),
            "{e}"
        );

        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::WWW_AUTHENTICATE,
            http::HeaderValue::from_static(
                r#"OAuth realm="local", oauth_problem="timestamp_refused", oauth_acceptable_timestamps="700-1300""#,
            ),
        );
        let body = r#"{"errors":[{"code":135,"message":"Timestamp out of bounds."}]}"#;
        let e = ProviderError::parse(StatusCode::UNAUTHORIZED, &headers, body.as_bytes());
        assert!(e.is_stale_timestamp());
        assert_eq!(e.acceptable_timestamps, Some((700, 1300)));

        // Anything else is not a range, and is no error either.
        for bad in [
            "",
            "1300-700",
            "a-b",
            "12",
            "-5",
            "5-",
            "1-2-3",
            "18446744073709551616-1",
        ] {
            assert_eq!(timestamp_range(bad), None, "{bad}");
            let e = parse(
                401,
                &format!("oauth_problem=timestamp_refused&oauth_acceptable_timestamps={bad}"),
            );
            assert_eq!(e.acceptable_timestamps, None, "{bad}");
        }
        for (challenge, range) in [
            ("OAuth oauth_acceptable_timestamps=5-9", Some((5, 9))),
            (r#"OAuth oauth_acceptable_timestamps="5-9"x"#, Some((5, 9))),
            (r#"OAuth oauth_acceptable_timestamps=""#, None),
            ("OAuth oauth_acceptable_timestamps=", None),
            (r#"OAuth realm="x""#, None),
        ] {
            assert_eq!(
                challenge_acceptable_timestamps(challenge),
                range,
                "{challenge}"
            );
        }
    }

    #[test]
    fn a_token_body_with_an_error_status_keeps_no_secret() {
        let e = parse(500, "oauth_token=t&oauth_token_secret=SUPERSECRET");
        let text = format!("{e} {e:?}");
        assert!(!text.contains("SUPERSECRET"), "{text}");
        assert!(text.contains("oauth_token_secret"));
    }
}

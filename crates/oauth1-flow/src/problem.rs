//! What a provider said when it refused a request: [`ProviderError`], with the OAuth Problem
//! Reporting parameters typed in [`OAuthProblem`].

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, StatusCode};
use serde::Deserialize;

/// Form fields that are never kept from an error body (a token response sent with an error
/// status must not leak its secret into an error message or a log).
const SECRET_FIELDS: [&str; 2] = ["oauth_token_secret", "x_auth_password"];

/// At most this many characters of a body are kept as a snippet.
const SNIPPET: usize = 200;

/// At most this many bytes of each `WWW-Authenticate` value are read (a hostile provider can
/// send anything; a real challenge is a few hundred bytes).
pub const MAX_CHALLENGE: usize = 8 * 1024;

/// At most this many `WWW-Authenticate` values are read.
const MAX_CHALLENGES: usize = 4;

/// At most this many names are kept of `oauth_parameters_absent` or `_rejected`, and at most
/// this many characters of each name or value.
const MAX_LIST: usize = 32;
const MAX_VALUE: usize = 256;

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
    /// `oauth_problem` and `oauth_problem_advice` (the OAuth Problem Reporting extension), from
    /// the body or the `WWW-Authenticate` challenge; the same as in [`ProviderError::oauth`],
    /// which has every parameter of the extension.
    pub oauth_problem: Option<(String, Option<String>)>,
    /// The start of the body when none of the above matched (secrets removed).
    pub snippet: Option<String>,
    /// The `Date` header, which tells the provider's clock (see [`ProviderError::is_stale_timestamp`]).
    pub date: Option<String>,
    /// `oauth_acceptable_timestamps` (OAuth Problem Reporting), from the body or the
    /// `WWW-Authenticate` challenge: the first and last timestamps (Unix seconds) the provider
    /// would have accepted when it refused one. Our own provider sends it; Twitter does not.
    pub acceptable_timestamps: Option<(u64, u64)>,
    /// Every OAuth Problem Reporting parameter the provider sent, from the body and the
    /// `WWW-Authenticate` challenge merged (see [`OAuthProblem`] for which wins).
    pub oauth: Option<OAuthProblem>,
    /// The `Retry-After` header (seconds or an HTTP date, as sent; at most 64 characters), as
    /// a provider sends it with 429 Too Many Requests or 503.
    pub retry_after: Option<String>,
    /// The `x-rate-limit-reset` header (Twitter): when the rate-limit window resets, in Unix
    /// seconds.
    pub rate_limit_reset: Option<u64>,
}

/// Where the OAuth Problem Reporting parameters of an [`OAuthProblem`] were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemSource {
    /// The `WWW-Authenticate: OAuth …` challenge only.
    Header,
    /// A form-encoded body only.
    Body,
    /// Both (merged: the body wins where both give a parameter).
    Both,
}

/// The parameters of the OAuth Problem Reporting extension
/// (<https://wiki.oauth.net/w/page/12238543/ProblemReporting>), typed.
///
/// A provider sends them in a form-encoded body (`oauth_problem=…&oauth_problem_advice=…`),
/// in its `WWW-Authenticate: OAuth …` challenge, or in both. [`ProviderError::parse`] reads
/// both and merges them parameter by parameter: **the body wins** where both give the same
/// parameter (it is where the extension puts them first, and it is not cut to fit a header),
/// and the challenge fills in whatever the body lacks. Values that do not parse (a range that
/// is not `A-B`) are dropped, never an error; lists are cut at 32 names.
///
/// ```
/// use http::{header::WWW_AUTHENTICATE, HeaderMap, HeaderValue, StatusCode};
/// use oauth1_flow::{ProblemSource, ProviderError};
///
/// let mut headers = HeaderMap::new();
/// headers.insert(
///     WWW_AUTHENTICATE,
///     HeaderValue::from_static(r#"OAuth realm="api", oauth_problem="timestamp_refused", oauth_acceptable_timestamps="1000-1600""#),
/// );
/// let body = b"oauth_problem=timestamp_refused&oauth_problem_advice=check+the+clock";
/// let error = ProviderError::parse(StatusCode::UNAUTHORIZED, &headers, body);
/// let problem = error.oauth.as_ref().unwrap();
/// assert_eq!(problem.problem, "timestamp_refused");
/// assert_eq!(problem.advice.as_deref(), Some("check the clock")); // from the body
/// assert_eq!(problem.acceptable_timestamps, Some((1000, 1600))); // from the challenge
/// assert_eq!(problem.source, ProblemSource::Both);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OAuthProblem {
    /// `oauth_problem`: `signature_invalid`, `token_rejected`, `timestamp_refused`, … (empty
    /// when a provider sent only the other parameters).
    pub problem: String,
    /// `oauth_problem_advice`: the provider's words for people.
    pub advice: Option<String>,
    /// `oauth_parameters_absent`: the names of the parameters the request lacked.
    pub parameters_absent: Vec<String>,
    /// `oauth_parameters_rejected`: the parameters (`name` or `name=value`) that were refused.
    pub parameters_rejected: Vec<String>,
    /// `oauth_acceptable_timestamps`: the first and last timestamps (Unix seconds) the
    /// provider would have accepted.
    pub acceptable_timestamps: Option<(u64, u64)>,
    /// `oauth_acceptable_versions`: the lowest and highest protocol versions the provider
    /// accepts (`("1.0", "1.0")`).
    pub acceptable_versions: Option<(String, String)>,
    /// Where the parameters were read.
    pub source: ProblemSource,
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
    /// Parses an error response: the body of any of the shapes above, the OAuth Problem
    /// Reporting parameters of the body and of the `WWW-Authenticate` challenge (see
    /// [`OAuthProblem`]), `Date`, `Retry-After` and `x-rate-limit-reset`. Never fails: what
    /// does not parse is left out.
    ///
    /// ```
    /// use http::{header::WWW_AUTHENTICATE, HeaderMap, HeaderValue, StatusCode};
    /// use oauth1_flow::ProviderError;
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static(r#"OAuth realm="x", oauth_problem="signature_invalid""#));
    /// let body = br#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#;
    /// let error = ProviderError::parse(StatusCode::UNAUTHORIZED, &headers, body);
    /// assert_eq!(error.codes[0].code, 32);
    /// assert_eq!(error.oauth.unwrap().problem, "signature_invalid");
    /// ```
    pub fn parse(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        let header = |name: http::header::HeaderName| {
            headers
                .get(name)
                .and_then(|d| d.to_str().ok())
                .map(|v| v.trim().chars().take(64).collect::<String>())
        };
        let mut error = ProviderError {
            status,
            codes: Vec::new(),
            problem: None,
            oauth_problem: None,
            snippet: None,
            date: header(http::header::DATE),
            acceptable_timestamps: None,
            oauth: None,
            retry_after: header(http::header::RETRY_AFTER).filter(|v| !v.is_empty()),
            rate_limit_reset: headers
                .get("x-rate-limit-reset")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok()),
        };
        let from_body = error.read_body(body);
        let from_header = challenge_problem(headers);
        let oauth = match (from_body, from_header) {
            (Some(body), Some(header)) => Some(body.merged_with(header)),
            (body, header) => body.or(header),
        };
        if let Some(oauth) = &oauth {
            if !oauth.problem.is_empty() {
                error.oauth_problem = Some((oauth.problem.clone(), oauth.advice.clone()));
            }
            error.acceptable_timestamps = oauth.acceptable_timestamps;
        }
        error.oauth = oauth;
        error
    }

    /// Reads the body into `self` and returns the OAuth problem of a form body.
    fn read_body(&mut self, body: &[u8]) -> Option<OAuthProblem> {
        if let Ok(errors) = serde_json::from_slice::<Errors>(body) {
            self.codes = errors.errors;
            return None;
        }
        if let Ok(problem) = serde_json::from_slice::<Problem>(body) {
            if !problem.title.is_empty() || problem.detail.is_some() {
                self.problem = Some(problem);
                return None;
            }
        }
        if let Ok(pairs) = oauth1_core::encode::form_decode_str(&String::from_utf8_lossy(body)) {
            let problem = OAuthProblem::from_pairs(
                pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                ProblemSource::Body,
            );
            if problem.is_some() {
                return problem;
            }
            if pairs
                .iter()
                .any(|(n, _)| SECRET_FIELDS.contains(&n.as_str()))
            {
                let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
                self.snippet = Some(format!("a form with fields {}", names.join(", ")));
                return None;
            }
        }
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        if !text.is_empty() {
            let mut snippet: String = text.chars().take(SNIPPET).collect();
            if snippet.len() < text.len() {
                snippet.push('…');
            }
            self.snippet = Some(snippet);
        }
        None
    }

    /// The `oauth_problem` the provider sent (from the body or the challenge), if any.
    pub fn oauth_problem_name(&self) -> Option<&str> {
        self.oauth
            .as_ref()
            .map(|p| p.problem.as_str())
            .filter(|p| !p.is_empty())
    }

    /// How long the provider asked the client to wait before it tries again, as of `now`:
    /// `Retry-After` in seconds or as an HTTP date (RFC 9110 §10.2.3; a date in the past is
    /// zero; a number too large for a `u64` is the largest), else, for a 429 or 420 only, the
    /// time until `x-rate-limit-reset` (Twitter; zero once passed): Twitter sends its rate-limit
    /// headers with every answer, and on a 503 the end of the window says nothing about when
    /// to come back. `None` when no header says. [`reconnect`](crate::reconnect) waits at least
    /// this long, up to a cap.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime, UNIX_EPOCH};
    /// use oauth1_flow::http::{HeaderMap, StatusCode};
    /// use oauth1_flow::ProviderError;
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("retry-after", "120".parse().unwrap());
    /// let error = ProviderError::parse(StatusCode::TOO_MANY_REQUESTS, &headers, b"");
    /// assert_eq!(error.retry_delay(SystemTime::now()), Some(Duration::from_secs(120)));
    ///
    /// headers.insert("retry-after", "Thu, 01 Jan 2026 00:01:40 GMT".parse().unwrap());
    /// let error = ProviderError::parse(StatusCode::SERVICE_UNAVAILABLE, &headers, b"");
    /// let now = UNIX_EPOCH + Duration::from_secs(1_767_225_600); // 2026-01-01T00:00:00Z
    /// assert_eq!(error.retry_delay(now), Some(Duration::from_secs(100)));
    /// ```
    pub fn retry_delay(&self, now: SystemTime) -> Option<Duration> {
        let until = |at: SystemTime| at.duration_since(now).unwrap_or(Duration::ZERO);
        if let Some(value) = self.retry_after.as_deref().map(str::trim) {
            if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                // Only digits: a number, or more seconds than a u64 holds.
                return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
            }
            if let Ok(at) = httpdate::parse_http_date(value) {
                return Some(until(at));
            }
        }
        if !matches!(self.status.as_u16(), 420 | 429) {
            return None;
        }
        let reset = UNIX_EPOCH.checked_add(Duration::from_secs(self.rate_limit_reset?))?;
        Some(until(reset))
    }

    /// Whether the provider said the timestamp was too far from its clock (Twitter code 135,
    /// or `oauth_problem=timestamp_refused`): compare your clock with [`ProviderError::date`].
    pub fn is_stale_timestamp(&self) -> bool {
        self.codes.iter().any(|c| c.code == 135)
            || self.oauth_problem_name() == Some("timestamp_refused")
    }

    /// Whether the provider refused the signature or the credentials (Twitter codes 32, 89,
    /// 215; `signature_invalid`, `token_rejected`, …; or a bare 401).
    pub fn is_authentication_failure(&self) -> bool {
        self.codes.iter().any(|c| matches!(c.code, 32 | 89 | 215))
            || self.oauth_problem_name().is_some_and(|p| {
                matches!(
                    p,
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

impl OAuthProblem {
    /// The problem of these `name=value` pairs, or `None` when none of them is an OAuth Problem
    /// Reporting parameter. Later duplicates are ignored.
    fn from_pairs<'a>(
        pairs: impl Iterator<Item = (&'a str, &'a str)>,
        source: ProblemSource,
    ) -> Option<Self> {
        let mut problem = OAuthProblem {
            problem: String::new(),
            advice: None,
            parameters_absent: Vec::new(),
            parameters_rejected: Vec::new(),
            acceptable_timestamps: None,
            acceptable_versions: None,
            source,
        };
        let mut seen = false;
        for (name, value) in pairs {
            let value = value.trim();
            match name {
                "oauth_problem" if problem.problem.is_empty() => {
                    problem.problem = bounded(value);
                }
                "oauth_problem_advice" if problem.advice.is_none() => {
                    problem.advice = Some(bounded(value));
                }
                "oauth_parameters_absent" if problem.parameters_absent.is_empty() => {
                    problem.parameters_absent = list(value);
                }
                "oauth_parameters_rejected" if problem.parameters_rejected.is_empty() => {
                    problem.parameters_rejected = list(value);
                }
                "oauth_acceptable_timestamps" if problem.acceptable_timestamps.is_none() => {
                    problem.acceptable_timestamps = timestamp_range(value);
                }
                "oauth_acceptable_versions" if problem.acceptable_versions.is_none() => {
                    problem.acceptable_versions = version_range(value);
                }
                _ => continue,
            }
            seen = true;
        }
        seen.then_some(problem)
    }

    /// `self` (from a body) with what it lacks taken from `header`.
    fn merged_with(mut self, header: OAuthProblem) -> Self {
        if self.problem.is_empty() {
            self.problem = header.problem;
        }
        self.advice = self.advice.or(header.advice);
        if self.parameters_absent.is_empty() {
            self.parameters_absent = header.parameters_absent;
        }
        if self.parameters_rejected.is_empty() {
            self.parameters_rejected = header.parameters_rejected;
        }
        self.acceptable_timestamps = self.acceptable_timestamps.or(header.acceptable_timestamps);
        self.acceptable_versions = self.acceptable_versions.or(header.acceptable_versions);
        self.source = ProblemSource::Both;
        self
    }
}

impl fmt::Display for OAuthProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if !self.problem.is_empty() {
            write!(f, "oauth_problem={}", self.problem)?;
            if let Some(a) = &self.advice {
                write!(f, " ({a})")?;
            }
            sep = "; ";
        } else if let Some(a) = &self.advice {
            write!(f, "advice: {a}")?;
            sep = "; ";
        }
        if !self.parameters_absent.is_empty() {
            write!(
                f,
                "{sep}missing parameters: {}",
                self.parameters_absent.join(", ")
            )?;
            sep = "; ";
        }
        if !self.parameters_rejected.is_empty() {
            write!(
                f,
                "{sep}rejected parameters: {}",
                self.parameters_rejected.join(", ")
            )?;
            sep = "; ";
        }
        if let Some((low, high)) = &self.acceptable_versions {
            write!(f, "{sep}accepted oauth_version {low} to {high}")?;
        }
        Ok(())
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
        if let Some(oauth) = &self.oauth {
            let text = oauth.to_string();
            if !text.is_empty() {
                write!(f, "; {text}")?;
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
        if let Some(r) = &self.retry_after {
            write!(f, "; Retry-After: {r}")?;
        }
        if let Some(reset) = self.rate_limit_reset {
            write!(f, "; the rate limit resets at {reset} (Unix time)")?;
        }
        Ok(())
    }
}

/// `value` cut to [`MAX_VALUE`] characters.
fn bounded(value: &str) -> String {
    value.chars().take(MAX_VALUE).collect()
}

/// A `&`-separated list of names (commas tolerated), at most [`MAX_LIST`] of them.
fn list(value: &str) -> Vec<String> {
    value
        .split(['&', ','])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .take(MAX_LIST)
        .map(bounded)
        .collect()
}

/// `A-B` (two Unix times, `A <= B`), as `oauth_acceptable_timestamps` gives them.
fn timestamp_range(text: &str) -> Option<(u64, u64)> {
    let (from, to) = text.trim().split_once('-')?;
    let (from, to) = (from.parse().ok()?, to.parse().ok()?);
    (from <= to).then_some((from, to))
}

/// `A-B` (two versions, `1.0-1.0`), as `oauth_acceptable_versions` gives them.
fn version_range(text: &str) -> Option<(String, String)> {
    let (low, high) = text.trim().split_once('-')?;
    let ok = |v: &str| {
        !v.is_empty() && v.len() <= 16 && v.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    (ok(low) && ok(high)).then(|| (low.to_owned(), high.to_owned()))
}

/// The OAuth Problem Reporting parameters of the `OAuth` challenges among the first
/// [`MAX_CHALLENGES`] `WWW-Authenticate` values, each read up to [`MAX_CHALLENGE`] bytes.
fn challenge_problem(headers: &HeaderMap) -> Option<OAuthProblem> {
    let mut params = Vec::new();
    for value in headers
        .get_all(http::header::WWW_AUTHENTICATE)
        .iter()
        .take(MAX_CHALLENGES)
    {
        let bytes = value.as_bytes();
        auth_params(&bytes[..bytes.len().min(MAX_CHALLENGE)], &mut params);
    }
    OAuthProblem::from_pairs(
        params.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        ProblemSource::Header,
    )
}

/// The `name=value` auth-params (RFC 7235) that follow an `OAuth` scheme in one
/// `WWW-Authenticate` value (which may hold several challenges), values unquoted and
/// percent-decoded where they decode. Tolerant and linear: every step consumes input, an
/// unterminated quote ends at the end, and nothing panics.
fn auth_params(input: &[u8], out: &mut Vec<(String, String)>) {
    let is_delim = |b: u8| matches!(b, b' ' | b'\t' | b',' | b'=' | b'"');
    let text = |s: &[u8]| String::from_utf8_lossy(s).into_owned();
    let mut oauth = false;
    let mut i = 0;
    while i < input.len() {
        while i < input.len() && matches!(input[i], b' ' | b'\t' | b',') {
            i += 1;
        }
        let start = i;
        while i < input.len() && !is_delim(input[i]) {
            i += 1;
        }
        let name = &input[start..i];
        let mut j = i;
        while j < input.len() && matches!(input[j], b' ' | b'\t') {
            j += 1;
        }
        if j < input.len() && input[j] == b'=' && !name.is_empty() {
            // An auth-param: `name = token` or `name = "quoted"`.
            i = j + 1;
            while i < input.len() && matches!(input[i], b' ' | b'\t') {
                i += 1;
            }
            let mut value = Vec::new();
            if i < input.len() && input[i] == b'"' {
                i += 1;
                while i < input.len() && input[i] != b'"' {
                    if input[i] == b'\\' && i + 1 < input.len() {
                        i += 1;
                    }
                    value.push(input[i]);
                    i += 1;
                }
                i += 1; // the closing quote, if any
            } else {
                let start = i;
                while i < input.len() && !matches!(input[i], b' ' | b'\t' | b',') {
                    i += 1;
                }
                value.extend_from_slice(&input[start..i]);
            }
            if oauth {
                let value = text(&value);
                let value = oauth1_core::encode::percent_decode_str(&value).unwrap_or(value);
                out.push((text(name), value));
            }
        } else if !name.is_empty() {
            // A scheme (or a token68, which is never `OAuth`).
            oauth = name.eq_ignore_ascii_case(b"OAuth");
        } else {
            // A stray `=` or `"`: skip it.
            i += 1;
        }
    }
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

    fn with_headers(headers: &[(&str, &str)]) -> ProviderError {
        with_status(429, headers)
    }

    fn with_status(status: u16, headers: &[(&str, &str)]) -> ProviderError {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        ProviderError::parse(StatusCode::from_u16(status).unwrap(), &map, b"")
    }

    /// RFC 9110 §10.2.3: `Retry-After = HTTP-date / delay-seconds`; then Twitter's
    /// `x-rate-limit-reset`; nothing else is read as a wait.
    #[test]
    fn retry_delay_reads_retry_after_then_the_rate_limit_reset() {
        // 2026-01-01T00:00:00Z
        let now = UNIX_EPOCH + Duration::from_secs(1_767_225_600);
        let delay = |headers: &[(&str, &str)]| with_headers(headers).retry_delay(now);
        let secs = |n| Some(Duration::from_secs(n));
        assert_eq!(delay(&[]), None);
        assert_eq!(delay(&[("retry-after", "0")]), secs(0));
        assert_eq!(delay(&[("retry-after", " 120 ")]), secs(120));
        assert_eq!(delay(&[("retry-after", "00042")]), secs(42));
        assert_eq!(
            delay(&[("retry-after", "99999999999999999999999999")]),
            secs(u64::MAX)
        );
        // The three date forms RFC 9110 makes recipients accept.
        for date in [
            "Thu, 01 Jan 2026 00:01:40 GMT",
            "Thursday, 01-Jan-26 00:01:40 GMT",
            "Thu Jan  1 00:01:40 2026",
        ] {
            assert_eq!(delay(&[("retry-after", date)]), secs(100), "{date}");
        }
        assert_eq!(
            delay(&[("retry-after", "Wed, 31 Dec 2025 23:00:00 GMT")]),
            secs(0),
            "a date in the past"
        );
        // Not a wait: a sign, a fraction, a word, an impossible date.
        for value in ["-5", "1.5", "soon", "Thu, 32 Jan 2026 00:00:00 GMT"] {
            assert_eq!(delay(&[("retry-after", value)]), None, "{value}");
        }
        // x-rate-limit-reset when Retry-After says nothing usable.
        assert_eq!(delay(&[("x-rate-limit-reset", "1767225660")]), secs(60));
        assert_eq!(
            delay(&[
                ("retry-after", "soon"),
                ("x-rate-limit-reset", "1767225660")
            ]),
            secs(60)
        );
        assert_eq!(
            delay(&[("retry-after", "5"), ("x-rate-limit-reset", "1767225660")]),
            secs(5)
        );
        assert_eq!(delay(&[("x-rate-limit-reset", "1767225000")]), secs(0));
        // The reset is a wait on 429 and 420 only; Retry-After on any status.
        let reset = [("x-rate-limit-reset", "1767225660")];
        assert_eq!(with_status(420, &reset).retry_delay(now), secs(60));
        for status in [503, 500, 401, 200] {
            assert_eq!(
                with_status(status, &reset).retry_delay(now),
                None,
                "{status}"
            );
        }
        assert_eq!(
            with_status(503, &[("retry-after", "7")]).retry_delay(now),
            secs(7)
        );
        assert_eq!(
            delay(&[("x-rate-limit-reset", &u64::MAX.to_string())]),
            None,
            "a reset no clock can reach"
        );
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
            (r#"Basic oauth_acceptable_timestamps="5-9""#, None),
        ] {
            let mut params = Vec::new();
            auth_params(challenge.as_bytes(), &mut params);
            let got = OAuthProblem::from_pairs(
                params.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                ProblemSource::Header,
            )
            .and_then(|p| p.acceptable_timestamps);
            assert_eq!(got, range, "{challenge}");
        }
    }

    #[test]
    fn challenges_are_read_tolerantly() {
        let read = |value: &[u8]| {
            let mut params = Vec::new();
            auth_params(value, &mut params);
            params
        };
        // Several challenges in one value: only the OAuth one counts; escapes and
        // percent-encoding are undone.
        assert_eq!(
            read(br#"Basic realm="b", OAuth realm="a\"b", oauth_problem_advice="x%20y", Bearer error="e""#),
            vec![
                ("realm".to_owned(), "a\"b".to_owned()),
                ("oauth_problem_advice".to_owned(), "x y".to_owned()),
            ]
        );
        // Garbage of any kind ends without a panic.
        for junk in [
            &b""[..],
            b"=",
            b"\"",
            b"OAuth =\"",
            b"OAuth a=\"unterminated\\",
            b",,,  ,",
            b"OAuth a = b , c=\"\\\"",
            &[0xff, b'=', 0xfe],
        ] {
            let _ = read(junk);
        }
        // Linear: a header of 8 KiB of `a=` reads in one pass, and more is cut.
        let long = "OAuth ".to_owned() + &"a=\"b\",".repeat(10_000);
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::WWW_AUTHENTICATE,
            http::HeaderValue::from_str(&long).unwrap(),
        );
        assert_eq!(challenge_problem(&headers), None);
    }

    #[test]
    fn lists_and_versions() {
        let e = parse(
            400,
            "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce%26oauth_timestamp\
             &oauth_parameters_rejected=oauth_version&oauth_acceptable_versions=1.0-1.0",
        );
        let p = e.oauth.unwrap();
        assert_eq!(p.parameters_absent, ["oauth_nonce", "oauth_timestamp"]);
        assert_eq!(p.parameters_rejected, ["oauth_version"]);
        assert_eq!(p.acceptable_versions, Some(("1.0".into(), "1.0".into())));
        assert_eq!(p.source, ProblemSource::Body);
        let many = "a&".repeat(1000);
        assert_eq!(list(&many).len(), MAX_LIST);
        assert_eq!(version_range("1.0-x"), None);
    }

    #[test]
    fn a_token_body_with_an_error_status_keeps_no_secret() {
        let e = parse(500, "oauth_token=t&oauth_token_secret=SUPERSECRET");
        let text = format!("{e} {e:?}");
        assert!(!text.contains("SUPERSECRET"), "{text}");
        assert!(text.contains("oauth_token_secret"));
    }
}

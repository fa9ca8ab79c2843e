//! `-t/--trace`: every exchange on stderr, curl-style (`>` the request as sent, `*` its
//! signature explained, `<` the response), with the secrets masked: the signing key shows the
//! first characters and the length of each secret only, and a password, a token secret or a
//! PLAINTEXT signature in a header, a URL or a body shows as `[masked]`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Mutex;

use oauth1_core::encode::percent_encode;
use oauth1_core::Received;
use oauth1_flow::TransportError;
use zeroize::Zeroize;

use crate::explain::{mask, Mask};

/// Parameter names whose values are secrets wherever they appear (a form body, a query).
const SECRET_NAMES: [&str; 3] = ["x_auth_password", "oauth_token_secret", "password"];

/// The longest body text shown; the rest is counted.
const BODY_SHOWN: usize = 4096;

/// What the trace prints, and the secrets it knows (to explain the key and to mask them).
pub struct Tracer {
    consumer_secret: String,
    /// Token and secret pairs: the profile's, and those the provider sent during the dance.
    tokens: Mutex<Vec<(String, String)>>,
    response_bodies: bool,
}

impl Drop for Tracer {
    fn drop(&mut self) {
        self.consumer_secret.zeroize();
        if let Ok(tokens) = self.tokens.get_mut() {
            for (_, secret) in tokens.iter_mut() {
                secret.zeroize();
            }
        }
    }
}

impl std::fmt::Debug for Tracer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tracer").finish_non_exhaustive()
    }
}

impl Tracer {
    /// A tracer that knows the consumer secret; `response_bodies`: whether it prints the
    /// bodies of responses (not when the command prints them itself).
    pub fn new(consumer_secret: &str, response_bodies: bool) -> Self {
        Tracer {
            consumer_secret: consumer_secret.to_owned(),
            tokens: Mutex::new(Vec::new()),
            response_bodies,
        }
    }

    /// Adds a token and its secret (to explain the signing key of the requests that use it).
    pub fn learn(&self, token: &str, secret: &str) {
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.push((token.to_owned(), secret.to_owned()));
        }
    }

    fn token_secret(&self, token: &str) -> Option<String> {
        let tokens = self.tokens.lock().ok()?;
        tokens
            .iter()
            .rev()
            .find(|(t, _)| t == token)
            .map(|(_, s)| s.clone())
    }

    /// `text` with every secret the tracer knows replaced by `[masked]` (a safety net under
    /// the masking by name).
    fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        let mut secrets = vec![self.consumer_secret.clone()];
        if let Ok(tokens) = self.tokens.lock() {
            secrets.extend(tokens.iter().map(|(_, s)| s.clone()));
        }
        for secret in secrets.iter().filter(|s| s.len() >= 4) {
            let encoded = percent_encode(secret).into_owned();
            text = text.replace(secret.as_str(), "[masked]");
            text = text.replace(&encoded, "[masked]");
        }
        secrets.zeroize();
        text
    }

    fn print(&self, text: &str) {
        let _ = std::io::stderr().write_all(self.scrub(text).as_bytes());
    }

    /// Traces a request about to be sent, with its signature explained.
    pub fn request(&self, request: &http::Request<Vec<u8>>) {
        let mut out = String::new();
        let plaintext = is_plaintext(request);
        let uri = request.uri().to_string();
        let shown_uri = match uri.split_once('?') {
            Some((path, query)) => format!("{path}?{}", mask_form(query, plaintext)),
            None => uri,
        };
        let _ = writeln!(out, "> {} {shown_uri}", request.method());
        for (name, value) in request.headers() {
            let value = String::from_utf8_lossy(value.as_bytes());
            let value = if name == http::header::AUTHORIZATION && plaintext {
                mask_header_signature(&value)
            } else {
                value.into_owned()
            };
            let _ = writeln!(out, "> {name}: {value}");
        }
        out.push_str(">\n");
        let form = is_form(request.headers());
        body_lines(&mut out, "> ", request.body(), form, plaintext);
        self.explain(&mut out, request);
        self.print(&out);
    }

    /// The signature of `request`, as the provider will recompute it.
    fn explain(&self, out: &mut String, request: &http::Request<Vec<u8>>) {
        let scheme = request.uri().scheme_str().unwrap_or("http").to_owned();
        let received = match Received::parse_http(request, &scheme) {
            Ok(r) => r,
            Err(e) => {
                let _ = writeln!(out, "* no signature to explain: {}", oauth1_core::Chain(&e));
                return;
            }
        };
        let method = received.signature_method().to_owned();
        let _ = writeln!(
            out,
            "* signature ({method}), as the provider recomputes it:"
        );
        out.push_str("*   parameters, in signing order (RFC 5849 §3.4.1.3; encoded):\n");
        let rows: Vec<(&str, String, String)> = received
            .parameters()
            .map(|p| {
                let name = p.encoded_name();
                let value = if SECRET_NAMES.contains(&name.as_str()) {
                    "[masked]".to_owned()
                } else {
                    p.encoded_value()
                };
                (crate::explain::source_name(p.source), name, value)
            })
            .collect();
        let width = rows.iter().map(|r| r.1.len()).max().unwrap_or(4).max(4);
        for (source, name, value) in &rows {
            let _ = writeln!(out, "*     {source:<6} {name:<width$}  {value}");
        }
        let base = received.base_string();
        let base = mask_base_string(base);
        let _ = writeln!(out, "*   base string (§3.4.1.1):\n*     {base}");
        if method.starts_with("RSA-") {
            out.push_str(
                "*   signing key: the RSA private key (the shared secrets are not used)\n",
            );
        } else {
            let token_secret = match received.token() {
                None => Some(String::new()),
                Some(token) => self.token_secret(token),
            };
            let token_part = match &token_secret {
                Some(s) => mask(&percent_encode(s), Mask::Partial),
                None => "[the token's secret is not known here]".to_owned(),
            };
            let _ = writeln!(
                out,
                "*   signing key (§3.4.2: encode(consumer secret) & encode(token secret); masked):\n*     {}&{token_part}",
                mask(&percent_encode(&self.consumer_secret), Mask::Partial),
            );
            if let Some(mut s) = token_secret {
                s.zeroize();
            }
        }
    }

    /// Traces a response (its body too, unless the command prints it itself, or it streams).
    pub fn response(
        &self,
        status: http::StatusCode,
        headers: &http::HeaderMap,
        body: Option<&[u8]>,
    ) {
        let mut out = String::new();
        let _ = writeln!(out, "< HTTP/1.1 {status}");
        for (name, value) in headers {
            let _ = writeln!(
                out,
                "< {name}: {}",
                String::from_utf8_lossy(value.as_bytes())
            );
        }
        out.push_str("<\n");
        if let Some(body) = body {
            let form = is_form(headers);
            if form || body.starts_with(b"oauth_token=") {
                self.learn_from(body);
            }
            if self.response_bodies {
                body_lines(&mut out, "< ", body, true, false);
            }
        }
        self.print(&out);
    }

    /// Learns the token and secret a provider sent (request token, access token).
    fn learn_from(&self, body: &[u8]) {
        let Ok(pairs) = oauth1_core::encode::form_decode_str(&String::from_utf8_lossy(body)) else {
            return;
        };
        let find = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        if let (Some(token), Some(secret)) = (find("oauth_token"), find("oauth_token_secret")) {
            self.learn(token, secret);
        }
    }

    /// Traces a transport error.
    pub fn error(&self, error: &TransportError) {
        self.print(&format!("* {}\n", oauth1_core::Chain(error)));
    }
}

fn is_form(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
}

/// Whether the request is signed with PLAINTEXT (whose signature is the secrets themselves).
fn is_plaintext(request: &http::Request<Vec<u8>>) -> bool {
    let needle = "PLAINTEXT";
    request
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(needle))
        || request.uri().query().is_some_and(|q| q.contains(needle))
        || String::from_utf8_lossy(request.body()).contains("oauth_signature_method=PLAINTEXT")
}

/// A form (or query) with the values of secret parameters masked (and `oauth_signature` too
/// when `plaintext`).
fn mask_form(text: &str, plaintext: bool) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _))
                if SECRET_NAMES.contains(&name) || (plaintext && name == "oauth_signature") =>
            {
                format!("{name}=[masked]")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// An Authorization header with its `oauth_signature` masked.
fn mask_header_signature(value: &str) -> String {
    let key = "oauth_signature=\"";
    let Some(start) = value.find(key).map(|i| i + key.len()) else {
        return value.to_owned();
    };
    let end = value[start..].find('"').map_or(value.len(), |i| start + i);
    format!("{}[masked]{}", &value[..start], &value[end..])
}

/// A base string with the values of secret parameters masked (they appear encoded twice).
fn mask_base_string(base: &str) -> String {
    let mut out = base.to_owned();
    for name in SECRET_NAMES {
        let key = format!("{name}%3D");
        let mut from = 0;
        while let Some(i) = out[from..].find(&key).map(|i| from + i + key.len()) {
            let end = out[i..].find("%26").map_or(out.len(), |e| i + e);
            out.replace_range(i..end, "[masked]");
            from = i + "[masked]".len();
        }
    }
    out
}

/// The body, a line at a time after `prefix`: text as it is (a form with its secrets masked),
/// anything else counted.
fn body_lines(out: &mut String, prefix: &str, body: &[u8], form: bool, plaintext: bool) {
    if body.is_empty() {
        return;
    }
    match std::str::from_utf8(body) {
        Ok(text) => {
            let text = if form {
                mask_form(text, plaintext)
            } else {
                text.to_owned()
            };
            let shown: String = text.chars().take(BODY_SHOWN).collect();
            for line in shown.lines() {
                let _ = writeln!(out, "{prefix}{line}");
            }
            if shown.len() < text.len() {
                let _ = writeln!(out, "{prefix}… ({} bytes in all)", body.len());
            }
        }
        Err(_) => {
            let _ = writeln!(out, "{prefix}[{} bytes, not text]", body.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_by_name_and_by_value() {
        assert_eq!(
            mask_form("x_auth_username=alice&x_auth_password=wonderland", false),
            "x_auth_username=alice&x_auth_password=[masked]"
        );
        assert_eq!(
            mask_form(
                "oauth_signature=a%26b&oauth_signature_method=PLAINTEXT",
                true
            ),
            "oauth_signature=[masked]&oauth_signature_method=PLAINTEXT"
        );
        assert_eq!(
            mask_header_signature(r#"OAuth oauth_signature="a%26b", oauth_version="1.0""#),
            r#"OAuth oauth_signature="[masked]", oauth_version="1.0""#
        );
        assert_eq!(
            mask_base_string("POST&u&a%3D1%26x_auth_password%3Dwonder%2520land%26z%3D2"),
            "POST&u&a%3D1%26x_auth_password%3D[masked]%26z%3D2"
        );
        let tracer = Tracer::new("consumer secret", false);
        tracer.learn("t", "token-secret");
        assert_eq!(
            tracer.scrub("consumer%20secret and token-secret"),
            "[masked] and [masked]"
        );
    }
}

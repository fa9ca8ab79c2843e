//! [`Limits`]: how much a received request may carry before it is read any further.
//!
//! A verifier reads what an unauthenticated client sends: nothing is known about the sender
//! until the signature has been checked, and that check comes last. Everything read before it
//! is therefore bounded here, and every reader is linear in its input, so that an unsigned
//! request costs the server at most a few microseconds per kilobyte and a bounded amount of
//! memory, whatever it holds.

/// Size limits for a received request, checked by [`Received`](crate::Received) while it reads
/// the request, before any credential is looked up. A request over a limit is refused with an
/// error that names the limit (a server answers it with 400).
///
/// The defaults are far above what any OAuth 1.0a client sends (Twitter's own values are 20 to
/// 50 characters) and low enough that nothing a client sends can grow a store or a log line by
/// more than a few kilobytes:
///
/// | limit | default | what it bounds |
/// |---|---|---|
/// | [`header_bytes`](Self::header_bytes) | 16 KiB | the `Authorization` header value |
/// | [`protocol_parameters`](Self::protocol_parameters) | 32 | `realm` and `oauth_*` parameters, header, query and body together |
/// | [`consumer_key`](Self::consumer_key) | 256 | `oauth_consumer_key` |
/// | [`token`](Self::token) | 256 | `oauth_token` |
/// | [`nonce`](Self::nonce) | 128 | `oauth_nonce` |
/// | [`callback`](Self::callback) | 2,048 | `oauth_callback` |
/// | [`verifier`](Self::verifier) | 256 | `oauth_verifier` |
/// | [`realm`](Self::realm) | 512 | the header's `realm` |
/// | [`value`](Self::value) | 1,024 | any other protocol value (signature, timestamp, method, version, body hash, extensions) |
///
/// Value lengths are in bytes, after percent-decoding.
///
/// ```
/// use oauth1_core::{Limits, Received, Request};
///
/// let request = Request::new("POST", "https://api.example.com/oauth/request_token");
/// let nonce = "n".repeat(200);
/// let header = format!(r#"OAuth oauth_consumer_key="k", oauth_signature_method="HMAC-SHA1", oauth_signature="s", oauth_nonce="{nonce}""#);
/// // Over the default nonce limit (128): refused before anything else is looked at.
/// assert!(Received::parse(&request, Some(&header)).is_err());
/// // A service whose clients send longer nonces raises the one limit.
/// let mut limits = Limits::default();
/// limits.nonce = 256;
/// assert!(Received::parse_with(&request, Some(&header), &limits).is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The longest `Authorization` header value read, in bytes (default 16 KiB): a longer one
    /// is refused before it is parsed.
    pub header_bytes: usize,
    /// The most protocol parameters (`realm` and every `oauth_*` name) a request may carry in
    /// its header, query and body together (default 32; RFC 5849 defines ten).
    pub protocol_parameters: usize,
    /// The longest `oauth_consumer_key` (default 256).
    pub consumer_key: usize,
    /// The longest `oauth_token` (default 256).
    pub token: usize,
    /// The longest `oauth_nonce` (default 128).
    pub nonce: usize,
    /// The longest `oauth_callback` (default 2,048).
    pub callback: usize,
    /// The longest `oauth_verifier` (default 256).
    pub verifier: usize,
    /// The longest `realm` (default 512).
    pub realm: usize,
    /// The longest value of any other protocol parameter (default 1,024): `oauth_signature`
    /// (an RSA-4096 signature is 684 characters), `oauth_timestamp`, `oauth_signature_method`,
    /// `oauth_version`, `oauth_body_hash` and extensions.
    pub value: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_bytes: 16 * 1024,
            protocol_parameters: 32,
            consumer_key: 256,
            token: 256,
            nonce: 128,
            callback: 2048,
            verifier: 256,
            realm: 512,
            value: 1024,
        }
    }
}

impl Limits {
    /// The limit on the value of protocol parameter `name`.
    pub fn for_parameter(&self, name: &[u8]) -> usize {
        match name {
            b"oauth_consumer_key" => self.consumer_key,
            b"oauth_token" => self.token,
            b"oauth_nonce" => self.nonce,
            b"oauth_callback" => self.callback,
            b"oauth_verifier" => self.verifier,
            b"realm" => self.realm,
            _ => self.value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Body, Error, HeaderError, Received, Request, VerifyError};

    const SIGNED: &str =
        r#"oauth_consumer_key="k", oauth_signature_method="HMAC-SHA1", oauth_signature="s""#;

    fn read(header: &str, query: &str, form: &[u8]) -> Result<Received, Error> {
        let url = format!("https://api.example.com/r{query}");
        let request = Request::new("POST", &url).with_body(Body::Form(form));
        Received::parse(&request, Some(header))
    }

    #[test]
    fn every_protocol_value_is_held_to_its_limit() {
        let limits = Limits::default();
        for name in [
            "oauth_consumer_key",
            "oauth_token",
            "oauth_nonce",
            "oauth_callback",
            "oauth_verifier",
            "oauth_timestamp",
            "oauth_version",
            "oauth_session_handle",
        ] {
            let limit = limits.for_parameter(name.as_bytes());
            let (k, method, signature) = ("k", "HMAC-SHA1", "s");
            let value = |len: usize| "v".repeat(len);
            let header = |len: usize| {
                let mut params = vec![
                    ("oauth_consumer_key", k.to_owned()),
                    ("oauth_signature_method", method.to_owned()),
                    ("oauth_signature", signature.to_owned()),
                ];
                params.retain(|(n, _)| *n != name);
                params.push((name, value(len)));
                let list: Vec<String> =
                    params.iter().map(|(n, v)| format!("{n}=\"{v}\"")).collect();
                format!("OAuth {}", list.join(", "))
            };
            assert!(read(&header(limit), "", b"").is_ok(), "{name} at its limit");
            assert_eq!(
                read(&header(limit + 1), "", b"").err(),
                Some(Error::Verify(VerifyError::TooLong {
                    name: name.to_owned(),
                    limit
                })),
                "{name}"
            );
            // The same in the query: the limit is on the value wherever it comes from.
            let query = format!("?{name}={}", value(limit + 1));
            let header = header(1).replace(&format!(", {name}=\"v\""), "");
            assert!(
                matches!(
                    read(&header, &query, b"").err(),
                    Some(Error::Verify(VerifyError::TooLong { .. }))
                ),
                "{name} in the query"
            );
        }
        // The signature and the method too: decoded length, in the body.
        let form = format!("oauth_signature={}", "%41".repeat(limits.value + 1));
        let header = "OAuth oauth_consumer_key=\"k\", oauth_signature_method=\"HMAC-SHA1\"";
        assert!(matches!(
            read(header, "", form.as_bytes()).err(),
            Some(Error::Verify(VerifyError::TooLong { limit: 1024, .. }))
        ));
    }

    #[test]
    fn the_realm_has_a_limit() {
        let limit = Limits::default().realm;
        let ok = format!("OAuth realm=\"{}\", {SIGNED}", "r".repeat(limit));
        assert!(read(&ok, "", b"").is_ok());
        let over = format!("OAuth realm=\"{}\", {SIGNED}", "r".repeat(limit + 1));
        assert!(matches!(
            read(&over, "", b"").err(),
            Some(Error::Verify(VerifyError::TooLong { limit: 512, .. }))
        ));
    }

    #[test]
    fn protocol_parameters_are_counted_across_header_query_and_body() {
        let limit = Limits::default().protocol_parameters;
        let header = format!("OAuth realm=\"r\", {SIGNED}");
        // The header has four; fill up to the limit from the query and body.
        let query: Vec<String> = (0..(limit - 4) / 2)
            .map(|i| format!("oauth_q{i}=1"))
            .collect();
        let form: Vec<String> = (0..(limit - 4) - query.len())
            .map(|i| format!("oauth_b{i}=1"))
            .collect();
        let query = format!("?{}", query.join("&"));
        assert!(read(&header, &query, form.join("&").as_bytes()).is_ok());
        let form = format!("{}&oauth_one_more=1", form.join("&"));
        assert_eq!(
            read(&header, &query, form.as_bytes()).err(),
            Some(Error::Verify(VerifyError::TooManyParameters { limit }))
        );
        // Parameters that are not protocol parameters are the request's own: not counted.
        let many: Vec<String> = (0..1000).map(|i| format!("p{i}=1")).collect();
        assert!(read(&header, "", many.join("&").as_bytes()).is_ok());
    }

    #[test]
    fn a_received_header_holds_only_protocol_parameters() {
        for extra in ["status=\"hi\"", "x_auth_password=\"pw\"", "oauth=\"1\""] {
            let header = format!("OAuth {SIGNED}, {extra}");
            assert!(
                matches!(
                    read(&header, "", b"").err(),
                    Some(Error::Header(HeaderError::NotProtocol { .. }))
                ),
                "{extra}"
            );
        }
        let header = format!("OAuth {SIGNED}, xoauth_requestor_id=\"r\"");
        assert!(read(&header, "", b"").is_ok());
    }

    #[test]
    fn each_named_parameter_has_its_own_limit() {
        let limits = Limits {
            consumer_key: 1,
            token: 2,
            nonce: 3,
            callback: 4,
            verifier: 5,
            realm: 6,
            value: 7,
            ..Limits::default()
        };
        for (name, limit) in [
            (&b"oauth_consumer_key"[..], 1),
            (b"oauth_token", 2),
            (b"oauth_nonce", 3),
            (b"oauth_callback", 4),
            (b"oauth_verifier", 5),
            (b"realm", 6),
            (b"oauth_signature", 7),
            (b"oauth_timestamp", 7),
            (b"oauth_session_handle", 7),
        ] {
            assert_eq!(limits.for_parameter(name), limit);
        }
    }
}

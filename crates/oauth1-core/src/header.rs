//! The `Authorization: OAuth ...` header (RFC 5849 §3.5.1): writing a realm, and parsing a
//! received header back into parameters.

use std::borrow::Cow;

use zeroize::{Zeroize, Zeroizing};

use crate::encode::{decode_into, Plus};
use crate::error::{shown, DecodeError, HeaderError};
use crate::limits::Limits;

/// A parsed `Authorization: OAuth` header.
///
/// ```
/// use oauth1_core::header::AuthorizationHeader;
/// let h = AuthorizationHeader::parse(
///     r#"OAuth realm="Photos",  oauth_consumer_key="dpf43f3p2l4k3l03",oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D""#,
/// ).unwrap();
/// assert_eq!(h.realm(), Some("Photos"));
/// assert_eq!(h.get("oauth_signature"), Some("MdpQcU8iPSUjWoN/UDMsK2sui9I="));
/// assert!(AuthorizationHeader::parse(r#"OAuth a="1", a="2""#).is_err());
/// assert!(AuthorizationHeader::parse(r#"OAuth a=1"#).is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizationHeader {
    realm: Option<String>,
    params: Vec<(String, String)>,
}

/// `oauth_signature` is redacted: a PLAINTEXT signature is the client's two secrets.
impl std::fmt::Debug for AuthorizationHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let params: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(name, value)| match name.as_str() {
                "oauth_signature" => (name.as_str(), "<redacted>"),
                _ => (name.as_str(), value.as_str()),
            })
            .collect();
        f.debug_struct("AuthorizationHeader")
            .field("realm", &self.realm)
            .field("params", &params)
            .finish()
    }
}

/// A received PLAINTEXT `oauth_signature` is the client's two secrets: the decoded values are
/// overwritten when the header is dropped.
impl Drop for AuthorizationHeader {
    fn drop(&mut self) {
        for (_, value) in &mut self.params {
            value.zeroize();
        }
    }
}

impl AuthorizationHeader {
    /// Parses a header value.
    ///
    /// Tolerant of spacing (any spaces and tabs around `=` and `,`, empty list elements) and of
    /// the scheme's case; strict about the rest: every value in double quotes, no name twice,
    /// valid percent-escapes that decode to UTF-8. The `realm` value is a plain quoted string
    /// (RFC 2617); every other name and value is percent-decoded (§3.5.1).
    ///
    /// Bounded by the default [`Limits`]: a value longer than
    /// [`Limits::header_bytes`] or with more than [`Limits::protocol_parameters`] parameters
    /// is refused (use [`parse_with`](Self::parse_with) to change them). Parsing is linear in
    /// the length of the value.
    pub fn parse(value: &str) -> Result<Self, HeaderError> {
        Self::parse_with(value, &Limits::default())
    }

    /// [`parse`](Self::parse) with the header length and parameter count of `limits`.
    pub fn parse_with(value: &str, limits: &Limits) -> Result<Self, HeaderError> {
        let rules = Rules {
            limits,
            protocol_only: false,
        };
        // Built first, so that the values read before an error are overwritten on drop too.
        let mut header = AuthorizationHeader {
            realm: None,
            params: Vec::with_capacity(capacity(value, limits)),
        };
        let realm = read(value, &rules, |name, value| {
            header.params.push((name.to_owned(), value.to_owned()));
        })?;
        header.realm = realm.map(Cow::into_owned);
        Ok(header)
    }

    /// The realm, if the header has one.
    pub fn realm(&self) -> Option<&str> {
        self.realm.as_deref()
    }

    /// The parameters other than `realm`, decoded, in the order received.
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The decoded value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What [`read`] accepts beyond the syntax.
pub(crate) struct Rules<'a> {
    /// The header length and parameter count.
    pub(crate) limits: &'a Limits,
    /// Refuse names other than `realm`, `oauth_*` and `xoauth_*` (a verifier reading a
    /// received header).
    pub(crate) protocol_only: bool,
}

/// Reads an `Authorization` header value (see [`AuthorizationHeader::parse`] for what it
/// accepts): calls `param` with each parameter other than `realm`, name and value decoded, in
/// the order received, and returns the realm. Nothing is kept: the decoded text lives in one
/// buffer (overwritten when it is freed: a PLAINTEXT signature is the client's two secrets),
/// and the names in it are what duplicates are checked against.
///
/// Linear in the length of `value`: one pass over its bytes, and duplicates found by sorting
/// the (at most [`Limits::protocol_parameters`]) names once at the end, not by comparing each
/// name with every earlier one. A value over [`Limits::header_bytes`] is refused before it is
/// read.
pub(crate) fn read<'v>(
    value: &'v str,
    rules: &Rules<'_>,
    mut param: impl FnMut(&str, &str),
) -> Result<Option<Cow<'v, str>>, HeaderError> {
    let limits = rules.limits;
    let bytes = value.as_bytes();
    // The scheme first: a header of another scheme is not ours to judge, whatever its size.
    let mut i = skip_ws(bytes, 0);
    // At most one byte past `OAuth`: enough to tell `OAuth` from `OAuthx`.
    let scheme_end = i + bytes[i..]
        .iter()
        .take(6)
        .take_while(|&&b| is_tchar(b))
        .count();
    if !value[i..scheme_end].eq_ignore_ascii_case("OAuth") {
        return Err(HeaderError::NotOAuth);
    }
    i = scheme_end;
    if i < bytes.len() && !is_ws(bytes[i]) {
        return Err(HeaderError::NotOAuth);
    }
    if value.len() > limits.header_bytes {
        return Err(HeaderError::TooLong {
            limit: limits.header_bytes,
        });
    }
    if bytes
        .iter()
        .any(|&b| b >= 0x80 || (b.is_ascii_control() && b != b'\t'))
    {
        return Err(HeaderError::NotAscii);
    }
    let mut realm = None;
    // The decoded names so far, then the value being read: never longer than the header.
    let mut decoded = Zeroizing::new(Vec::with_capacity(bytes.len()));
    // Where each name is in `decoded`.
    let mut names: Vec<(usize, usize)> = Vec::with_capacity(capacity(value, limits));
    let mut count = 0usize;
    loop {
        while i < bytes.len() && (is_ws(bytes[i]) || bytes[i] == b',') {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        count += 1;
        if count > limits.protocol_parameters {
            return Err(HeaderError::TooManyParameters {
                limit: limits.protocol_parameters,
            });
        }
        let name_start = i;
        while i < bytes.len() && is_tchar(bytes[i]) {
            i += 1;
        }
        if i == name_start {
            return Err(syntax(i, "a parameter name"));
        }
        let raw_name = &value[name_start..i];
        i = skip_ws(bytes, i);
        if bytes.get(i) != Some(&b'=') {
            return Err(syntax(i, "`=` after the parameter name"));
        }
        i = skip_ws(bytes, i + 1);
        if bytes.get(i) != Some(&b'"') {
            return Err(HeaderError::Unquoted {
                name: shown(raw_name),
            });
        }
        let (raw_value, end) = quoted(value, i)?;
        i = skip_ws(bytes, end);
        if i < bytes.len() && bytes[i] != b',' {
            return Err(syntax(i, "`,` between parameters"));
        }
        if raw_name == "realm" {
            if realm.is_some() {
                return Err(HeaderError::Duplicate {
                    name: "realm".into(),
                });
            }
            realm = Some(raw_value);
            continue;
        }
        let name = decode_text(raw_name, raw_name, name_start, &mut decoded)?;
        let name_bytes = decoded.get(name.0..name.1).unwrap_or_default();
        if name_bytes == b"realm" {
            return Err(HeaderError::EncodedRealm {
                raw: shown(raw_name),
            });
        }
        if rules.protocol_only && !is_protocol_name(name_bytes) {
            return Err(HeaderError::NotProtocol {
                name: shown(&String::from_utf8_lossy(name_bytes)),
            });
        }
        let value_span = decode_text(&raw_value, raw_name, 0, &mut decoded);
        // A copy made to unescape quoted-pairs may be a PLAINTEXT signature too.
        if let Cow::Owned(mut copy) = raw_value {
            copy.zeroize();
        }
        let value_span = value_span?;
        // Both were checked to be UTF-8 when decoded.
        let text = |span: (usize, usize)| {
            std::str::from_utf8(decoded.get(span.0..span.1).unwrap_or_default()).unwrap_or_default()
        };
        param(text(name), text(value_span));
        decoded.truncate(name.1);
        names.push(name);
    }
    // Duplicates: the names sorted once, then each compared with the next.
    let bytes_at = |span: &(usize, usize)| decoded.get(span.0..span.1).unwrap_or_default();
    names.sort_unstable_by(|a, b| bytes_at(a).cmp(bytes_at(b)));
    if let Some(pair) = names
        .windows(2)
        .find(|pair| bytes_at(&pair[0]) == bytes_at(&pair[1]))
    {
        return Err(HeaderError::Duplicate {
            name: shown(&String::from_utf8_lossy(bytes_at(&pair[0]))),
        });
    }
    Ok(realm)
}

/// A name that may appear in a received header besides `realm`: `oauth_*`, and the `xoauth_*`
/// extensions some providers define (the signer sends them there too).
fn is_protocol_name(name: &[u8]) -> bool {
    name.starts_with(b"oauth_") || name.starts_with(b"xoauth_")
}

/// At most how many parameters a header value has: one per `=`, and no more than the limit
/// lets through.
pub(crate) fn capacity(value: &str, limits: &Limits) -> usize {
    let equals = value.bytes().filter(|&b| b == b'=').count();
    equals.min(limits.protocol_parameters.saturating_add(1))
}

fn syntax(position: usize, expected: &'static str) -> HeaderError {
    HeaderError::Syntax { position, expected }
}

/// Decodes `raw` onto the end of `out` and checks it is UTF-8; returns where it is in `out`.
fn decode_text(
    raw: &str,
    name: &str,
    offset: usize,
    out: &mut Vec<u8>,
) -> Result<(usize, usize), HeaderError> {
    let start = out.len();
    let error = |error: DecodeError| HeaderError::Decode {
        name: shown(name),
        error,
    };
    decode_into(raw.as_bytes(), Plus::Literal, offset, out).map_err(error)?;
    let text = out.get(start..).unwrap_or_default();
    std::str::from_utf8(text).map_err(|e| {
        error(DecodeError::InvalidUtf8 {
            position: e.valid_up_to(),
        })
    })?;
    Ok((start, out.len()))
}

/// Reads the quoted string that opens at `bytes[open]`; returns its content (quoted-pairs
/// unescaped: borrowed from `value` unless it has one) and the index after the closing quote.
fn quoted(value: &str, open: usize) -> Result<(Cow<'_, str>, usize), HeaderError> {
    let bytes = value.as_bytes();
    let start = open + 1;
    let mut out: Option<String> = None;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let text = match out {
                    Some(owned) => Cow::Owned(owned),
                    None => Cow::Borrowed(value.get(start..i).unwrap_or_default()),
                };
                return Ok((text, i + 1));
            }
            b'\\' if i + 1 < bytes.len() => {
                let owned = out.get_or_insert_with(|| {
                    let mut owned = String::with_capacity(bytes.len() - start);
                    owned.push_str(value.get(start..i).unwrap_or_default());
                    owned
                });
                owned.push(char::from(bytes[i + 1]));
                i += 2;
            }
            b => {
                if let Some(owned) = &mut out {
                    owned.push(char::from(b));
                }
                i += 1;
            }
        }
    }
    Err(syntax(bytes.len(), "a closing `\"`"))
}

fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_ws(bytes[i]) {
        i += 1;
    }
    i
}

/// RFC 7230 `tchar`: the bytes of a token (a scheme or parameter name).
fn is_tchar(b: u8) -> bool {
    TCHAR[usize::from(b)]
}

static TCHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        i += 1;
    }
    t
};

/// Appends `value` as an RFC 7230 quoted string (`"` and `\` escaped).
pub(crate) fn write_quoted(value: &str, out: &mut String) {
    out.push('"');
    if !value.contains(['"', '\\']) {
        out.push_str(value);
        out.push('"');
        return;
    }
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tchar_is_rfc_7230s() {
        for b in 0..=255u8 {
            let expected = b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            assert_eq!(is_tchar(b), expected, "{b:#04x}");
        }
    }

    #[test]
    fn tolerant_of_spacing() {
        let h = AuthorizationHeader::parse("oauth\ta = \"1\" ,, b=\"2\",").unwrap();
        assert_eq!(
            h.params(),
            &[("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        let h = AuthorizationHeader::parse("OAuth").unwrap();
        assert!(h.params().is_empty());
    }

    #[test]
    fn strict_about_quoting_and_duplicates() {
        assert!(matches!(
            AuthorizationHeader::parse("OAuth a=1"),
            Err(HeaderError::Unquoted { .. })
        ));
        assert!(matches!(
            AuthorizationHeader::parse("OAuth a=\"1"),
            Err(HeaderError::Syntax { .. })
        ));
        assert!(matches!(
            AuthorizationHeader::parse("OAuth a=\"1\" b=\"2\""),
            Err(HeaderError::Syntax { .. })
        ));
        assert!(matches!(
            AuthorizationHeader::parse("OAuth a=\"1\", a=\"1\""),
            Err(HeaderError::Duplicate { .. })
        ));
        assert!(matches!(
            AuthorizationHeader::parse("OAuth realm=\"\", realm=\"\""),
            Err(HeaderError::Duplicate { .. })
        ));
        assert!(matches!(
            AuthorizationHeader::parse("Basic abc"),
            Err(HeaderError::NotOAuth)
        ));
        assert!(matches!(
            AuthorizationHeader::parse("OAuthx a=\"1\""),
            Err(HeaderError::NotOAuth)
        ));
        assert!(matches!(
            AuthorizationHeader::parse("OAuth a=\"%ZZ\""),
            Err(HeaderError::Decode { .. })
        ));
        assert!(matches!(
            AuthorizationHeader::parse("OAuth a=\"%FF\""),
            Err(HeaderError::Decode { .. })
        ));
        assert!(matches!(
            AuthorizationHeader::parse("OAuth a=\"é\""),
            Err(HeaderError::NotAscii)
        ));
    }

    #[test]
    fn plus_is_literal_and_realm_is_not_decoded() {
        let h = AuthorizationHeader::parse(r#"OAuth realm="a%20\"b", x="1+2%2B""#).unwrap();
        assert_eq!(h.realm(), Some("a%20\"b"));
        assert_eq!(h.get("x"), Some("1+2+"));
    }

    #[test]
    fn quoted_pairs_anywhere_in_a_value() {
        // The quoted string, its content, and that content percent-decoded (the realm is
        // not decoded, every other value is).
        for (raw, unquoted, decoded) in [
            (r#""plain""#, "plain", "plain"),
            (r#""\"a""#, "\"a", "\"a"),
            (r#""a\"""#, "a\"", "a\""),
            (r#""ab\"c%41d""#, "ab\"c%41d", "ab\"cAd"),
            (r#""\\\\""#, "\\\\", "\\\\"),
            (r#""""#, "", ""),
        ] {
            let h = AuthorizationHeader::parse(&format!("OAuth x={raw}, realm={raw}")).unwrap();
            assert_eq!(h.get("x"), Some(decoded), "{raw}");
            assert_eq!(h.realm(), Some(unquoted), "{raw}");
        }
        assert!(matches!(
            AuthorizationHeader::parse(r#"OAuth a="1\"#),
            Err(HeaderError::Syntax { .. })
        ));
    }

    #[test]
    fn a_plaintext_signature_is_not_in_debug() {
        let h = AuthorizationHeader::parse(
            r#"OAuth oauth_signature_method="PLAINTEXT", oauth_signature="cs3cr3t%26ts3cr3t""#,
        )
        .unwrap();
        let debug = format!("{h:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(
            debug.contains("PLAINTEXT") && debug.contains("<redacted>"),
            "{debug}"
        );
    }

    fn params(n: usize, name: impl Fn(usize) -> String) -> String {
        let list: Vec<String> = (0..n).map(|i| format!("{}=\"1\"", name(i))).collect();
        format!("OAuth {}", list.join(", "))
    }

    #[test]
    fn the_parameter_count_is_bounded() {
        let limit = Limits::default().protocol_parameters;
        let at_limit = params(limit, |i| format!("oauth_{i}"));
        assert_eq!(
            AuthorizationHeader::parse(&at_limit)
                .unwrap()
                .params()
                .len(),
            limit
        );
        let over = params(limit + 1, |i| format!("oauth_{i}"));
        assert_eq!(
            AuthorizationHeader::parse(&over),
            Err(HeaderError::TooManyParameters { limit })
        );
        // The realm counts too.
        let with_realm = format!("{at_limit}, realm=\"r\"");
        assert_eq!(
            AuthorizationHeader::parse(&with_realm),
            Err(HeaderError::TooManyParameters { limit })
        );
    }

    #[test]
    fn the_length_is_bounded_and_checked_first() {
        let limit = Limits::default().header_bytes;
        let mut at_limit = String::from("OAuth oauth_nonce=\"");
        at_limit.push_str(&"n".repeat(limit - at_limit.len() - 1));
        at_limit.push('"');
        assert_eq!(at_limit.len(), limit);
        assert!(AuthorizationHeader::parse(&at_limit).is_ok());
        // One byte more, and not even ASCII: refused for its length before it is read.
        let over = format!("{}é", &at_limit[..limit - 1]);
        assert_eq!(
            AuthorizationHeader::parse(&over),
            Err(HeaderError::TooLong { limit })
        );
        // Another scheme is not judged, whatever its length.
        let basic = format!("Basic {}", "a".repeat(2 * limit));
        assert_eq!(
            AuthorizationHeader::parse(&basic),
            Err(HeaderError::NotOAuth)
        );
    }

    #[test]
    fn many_names_are_read_in_one_pass() {
        // What made the old reader quadratic: tens of thousands of distinct names. With the
        // limits raised it reads them all (and finds a duplicate at the very end).
        let limits = Limits {
            header_bytes: usize::MAX,
            protocol_parameters: usize::MAX,
            ..Limits::default()
        };
        let n = 60_000;
        let header = params(n, |i| format!("a{i}"));
        let parsed = AuthorizationHeader::parse_with(&header, &limits).unwrap();
        assert_eq!(parsed.params().len(), n);
        let duplicate = format!("{header}, a0=\"2\"");
        assert_eq!(
            AuthorizationHeader::parse_with(&duplicate, &limits),
            Err(HeaderError::Duplicate { name: "a0".into() })
        );
    }

    #[test]
    fn names_in_errors_are_cut_short() {
        let long = "x".repeat(1000);
        let Err(HeaderError::Unquoted { name }) =
            AuthorizationHeader::parse(&format!("OAuth {long}=1"))
        else {
            panic!("an unquoted value");
        };
        assert!(name.len() < 100, "{}", name.len());
    }

    #[test]
    fn quoted_realm_round_trips() {
        let mut out = String::from("OAuth realm=");
        write_quoted("say \"hi\" \\o/", &mut out);
        let h = AuthorizationHeader::parse(&out).unwrap();
        assert_eq!(h.realm(), Some("say \"hi\" \\o/"));
    }
}

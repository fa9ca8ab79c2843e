//! The `Authorization: OAuth ...` header (RFC 5849 §3.5.1): writing a realm, and parsing a
//! received header back into parameters.

use std::borrow::Cow;

use zeroize::{Zeroize, Zeroizing};

use crate::encode::{decode_into, Plus};
use crate::error::{DecodeError, HeaderError};

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
    pub fn parse(value: &str) -> Result<Self, HeaderError> {
        // Built first, so that the values read before an error are overwritten on drop too.
        let mut header = AuthorizationHeader {
            realm: None,
            params: Vec::with_capacity(equals_signs(value)),
        };
        let realm = read(value, |name, value| {
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

/// Reads an `Authorization` header value (see [`AuthorizationHeader::parse`] for what it
/// accepts): calls `param` with each parameter other than `realm`, name and value decoded, in
/// the order received, and returns the realm. Nothing is kept: the decoded text lives in one
/// buffer (overwritten when it is freed: a PLAINTEXT signature is the client's two secrets),
/// and the names in it are what duplicates are checked against.
pub(crate) fn read<'v>(
    value: &'v str,
    mut param: impl FnMut(&str, &str),
) -> Result<Option<Cow<'v, str>>, HeaderError> {
    let bytes = value.as_bytes();
    if bytes
        .iter()
        .any(|&b| b >= 0x80 || (b.is_ascii_control() && b != b'\t'))
    {
        return Err(HeaderError::NotAscii);
    }
    let mut i = skip_ws(bytes, 0);
    let scheme_end = i + bytes[i..].iter().take_while(|&&b| is_tchar(b)).count();
    if !value[i..scheme_end].eq_ignore_ascii_case("OAuth") {
        return Err(HeaderError::NotOAuth);
    }
    i = scheme_end;
    if i < bytes.len() && !is_ws(bytes[i]) {
        return Err(HeaderError::NotOAuth);
    }
    let mut realm = None;
    // The decoded names so far, then the value being read: never longer than the header.
    let mut decoded = Zeroizing::new(Vec::with_capacity(bytes.len()));
    // Where each name is in `decoded`: at most one parameter per `=`.
    let mut names: Vec<(usize, usize)> = Vec::with_capacity(equals_signs(value));
    loop {
        while i < bytes.len() && (is_ws(bytes[i]) || bytes[i] == b',') {
            i += 1;
        }
        if i == bytes.len() {
            break;
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
                name: raw_name.to_owned(),
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
        if decoded.get(name.0..name.1) == Some(&b"realm"[..]) {
            return Err(HeaderError::EncodedRealm {
                raw: raw_name.to_owned(),
            });
        }
        let value_span = decode_text(&raw_value, raw_name, 0, &mut decoded);
        // A copy made to unescape quoted-pairs may be a PLAINTEXT signature too.
        if let Cow::Owned(mut copy) = raw_value {
            copy.zeroize();
        }
        let value_span = value_span?;
        let bytes = |span: (usize, usize)| decoded.get(span.0..span.1).unwrap_or_default();
        // Both were checked to be UTF-8 when decoded.
        let text = |span: (usize, usize)| std::str::from_utf8(bytes(span)).unwrap_or_default();
        // Compared as bytes: no UTF-8 check per earlier name.
        if names.iter().any(|&earlier| bytes(earlier) == bytes(name)) {
            return Err(HeaderError::Duplicate {
                name: text(name).to_owned(),
            });
        }
        param(text(name), text(value_span));
        decoded.truncate(name.1);
        names.push(name);
    }
    Ok(realm)
}

/// At most how many parameters a header value has: one per `=`.
fn equals_signs(value: &str) -> usize {
    value.bytes().filter(|&b| b == b'=').count()
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
        name: name.to_owned(),
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

    #[test]
    fn quoted_realm_round_trips() {
        let mut out = String::from("OAuth realm=");
        write_quoted("say \"hi\" \\o/", &mut out);
        let h = AuthorizationHeader::parse(&out).unwrap();
        assert_eq!(h.realm(), Some("say \"hi\" \\o/"));
    }
}

//! The decoders: query strings, form bodies and header values into octets (strict about
//! escapes, unlike the `percent-encoding` crate they go through), and back from the encodings
//! this crate keeps (encoded twice, as in the base string).

use crate::error::DecodeError;

use super::Writer;

/// Decodes a §3.6 encoding encoded once more (`%25XY` for each escape), as this crate keeps
/// names and values, into `out`.
pub(crate) fn decode_twice(twice: &[u8], out: &mut Vec<u8>) {
    out.reserve(twice.len());
    let mut parts = twice.split(|&b| b == b'%');
    out.extend_from_slice(parts.next().unwrap_or_default());
    for part in parts {
        match part {
            // `%25XY`: the escape `%XY`, then bytes that stand for themselves.
            [b'2', b'5', hi, lo, rest @ ..] => {
                out.extend(percent_encoding::percent_decode(&[b'%', *hi, *lo]));
                out.extend_from_slice(rest);
            }
            // Not reachable for our own encodings; keep the bytes rather than lose them.
            _ => {
                out.push(b'%');
                out.extend_from_slice(part);
            }
        }
    }
}

/// A §3.6 encoding encoded once more, encoded only once (for messages and the header).
pub(crate) fn once_encoded(twice: &[u8]) -> String {
    let mut once = Vec::with_capacity(twice.len());
    Writer::run(&mut once, |w| w.unescape_percent(twice));
    String::from_utf8_lossy(&once).into_owned()
}

/// Decodes a §3.6 encoding this crate made (every `%` starts a valid escape) into `out`.
pub(crate) fn decode_encoded(encoded: &[u8], out: &mut Vec<u8>) {
    out.reserve(encoded.len());
    // `percent-encoding` keeps a `%` that starts no escape as it is: not reachable for our own
    // encodings, and the text is kept rather than lost.
    out.extend(percent_encoding::percent_decode(encoded));
}

/// How `+` is read while decoding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plus {
    /// Form and query decoding: `+` is a space (§3.4.1.3.1, W3C HTML 4.0 §17.13.4).
    Space,
    /// Authorization header values: `+` is a literal plus.
    Literal,
}

/// Decodes `%XY` escapes (and `+` per `plus`) of `input`, appending octets to `out`.
///
/// `offset` is the position of `input` in the text the caller parses, so errors point there.
/// Eight-byte words without `%` or `+` are copied whole; the output never outgrows the input,
/// so room for it is made once.
pub(crate) fn decode_into(
    input: &[u8],
    plus: Plus,
    offset: usize,
    out: &mut Vec<u8>,
) -> Result<(), DecodeError> {
    check_escapes(input, offset)?;
    // The octets are never more than the text: room made once (the crate's iterator only
    // promises a third of it).
    out.reserve(input.len());
    match plus {
        Plus::Literal => out.extend(percent_encoding::percent_decode(input)),
        Plus::Space => {
            for (k, part) in input.split(|&b| b == b'+').enumerate() {
                if k > 0 {
                    out.push(b' ');
                }
                out.extend(percent_encoding::percent_decode(part));
            }
        }
    }
    Ok(())
}

/// Decodes a percent-encoded string (no `+` rule) into octets.
///
/// ```
/// # use oauth1_core::encode::percent_decode;
/// assert_eq!(percent_decode("a%20b+c").unwrap(), b"a b+c");
/// assert!(percent_decode("%G0").is_err());
/// ```
pub fn percent_decode(input: &str) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(input.len());
    decode_into(input.as_bytes(), Plus::Literal, 0, &mut out)?;
    Ok(out)
}

/// Decodes a percent-encoded string that must be UTF-8 text once decoded.
///
/// ```
/// # use oauth1_core::encode::percent_decode_str;
/// assert_eq!(percent_decode_str("%E2%98%83").unwrap(), "☃");
/// assert!(percent_decode_str("%FF").is_err());
/// ```
pub fn percent_decode_str(input: &str) -> Result<String, DecodeError> {
    String::from_utf8(percent_decode(input)?).map_err(|e| DecodeError::InvalidUtf8 {
        position: e.utf8_error().valid_up_to(),
    })
}

/// Decoded `(name, value)` pairs, as octets.
pub type OctetPairs = Vec<(Vec<u8>, Vec<u8>)>;

/// Splits a query string or `application/x-www-form-urlencoded` body into decoded
/// `(name, value)` octet pairs, in order, keeping duplicates and empty values.
///
/// `+` decodes to a space and `%XY` to the octet `XY`; a pair without `=` has an empty value;
/// empty segments (`a=1&&b=2`) are skipped. A `%` not followed by two hex digits is an error.
/// Octets that are not UTF-8 are kept as they are: use [`form_decode_str`] to require text.
pub fn form_decode(input: &[u8]) -> Result<OctetPairs, DecodeError> {
    let mut pairs = Vec::new();
    for_each_pair(input, |name, value, offset| {
        let mut n = Vec::with_capacity(name.len());
        decode_into(name, Plus::Space, offset, &mut n)?;
        let mut v = Vec::with_capacity(value.len());
        decode_into(value, Plus::Space, offset + name.len() + 1, &mut v)?;
        pairs.push((n, v));
        Ok(())
    })?;
    Ok(pairs)
}

/// Like [`form_decode`], but every name and value must be UTF-8 once decoded.
///
/// ```
/// # use oauth1_core::encode::form_decode_str;
/// let pairs = form_decode_str("name=J%C3%BCrgen&x=1").unwrap();
/// assert_eq!(pairs, vec![("name".to_owned(), "Jürgen".to_owned()), ("x".to_owned(), "1".to_owned())]);
/// assert!(form_decode_str("bad=%FF").is_err());
/// ```
pub fn form_decode_str(input: &str) -> Result<Vec<(String, String)>, DecodeError> {
    let mut out = Vec::new();
    for_each_pair(input.as_bytes(), |name, value, offset| {
        let text = |raw: &[u8], at: usize| -> Result<String, DecodeError> {
            let mut buf = Vec::with_capacity(raw.len());
            decode_into(raw, Plus::Space, at, &mut buf)?;
            String::from_utf8(buf).map_err(|e| DecodeError::InvalidUtf8 {
                position: at + e.utf8_error().valid_up_to(),
            })
        };
        out.push((text(name, offset)?, text(value, offset + name.len() + 1)?));
        Ok(())
    })?;
    Ok(out)
}

/// Calls `f(raw_name, raw_value, offset_of_name)` for each `&`-separated pair of `input`.
pub(crate) fn for_each_pair(
    input: &[u8],
    mut f: impl FnMut(&[u8], &[u8], usize) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let mut offset = 0;
    for segment in input.split(|&b| b == b'&') {
        if !segment.is_empty() {
            let (name, value) = match segment.iter().position(|&b| b == b'=') {
                Some(eq) => segment.split_at(eq),
                None => (segment, &b"="[..]),
            };
            f(name, value.get(1..).unwrap_or_default(), offset)?;
        }
        offset += segment.len() + 1;
    }
    Ok(())
}

/// Fails at the first `%` of `field` that two hex digits do not follow (`percent-encoding`
/// keeps such a `%` as it is; RFC 5849 §3.4.1.3.1 asks for a valid encoding, and a verifier
/// that let `%zz` through would sign text the sender never meant). `offset` is where `field`
/// starts in the text the caller parses.
fn check_escapes(field: &[u8], offset: usize) -> Result<(), DecodeError> {
    for (i, _) in field.iter().enumerate().filter(|&(_, &b)| b == b'%') {
        let hex = field.get(i + 1..i + 3);
        if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
            return Err(DecodeError::BadEscape {
                position: offset + i,
            });
        }
    }
    Ok(())
}

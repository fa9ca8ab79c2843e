//! Percent-encoding (RFC 5849 §3.6) and the decoding of query strings and
//! `application/x-www-form-urlencoded` bodies (§3.4.1.3.1).
//!
//! OAuth encodes every byte except the unreserved set `ALPHA / DIGIT / "-" / "." / "_" / "~"`
//! as `%XY` with upper-case hex. Values are octets: a decoded `%FF` stays the byte `0xFF`
//! (it is never replaced by U+FFFD), so re-encoding gives back `%FF` and the signature covers
//! exactly what was sent.
//!
//! ```
//! use oauth1_core::encode::{percent_encode, form_decode};
//!
//! assert_eq!(percent_encode("Ladies + Gentlemen"), "Ladies%20%2B%20Gentlemen");
//! assert_eq!(percent_encode("☃"), "%E2%98%83");
//!
//! let pairs = form_decode(b"status=a+b%2Bc&empty=&flag").unwrap();
//! assert_eq!(pairs[0], (b"status".to_vec(), b"a b+c".to_vec()));
//! assert_eq!(pairs[1], (b"empty".to_vec(), b"".to_vec()));
//! assert_eq!(pairs[2], (b"flag".to_vec(), b"".to_vec()));
//! ```

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::error::DecodeError;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `b` is in the RFC 5849 §3.6 unreserved set (never encoded).
#[inline]
pub const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

const fn unreserved_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = is_unreserved(i as u8);
        i += 1;
    }
    t
}

static UNRESERVED: [bool; 256] = unreserved_table();

/// Sort key of one byte's encoded form: an unreserved byte sorts as itself, any other byte as
/// `%`, then its two upper-case hex digits. Packed into a `u32` so that comparing keys compares
/// the encoded text.
const fn rank_table() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if is_unreserved(b) {
            (b as u32) << 16
        } else {
            ((b'%' as u32) << 16)
                | ((HEX[(b >> 4) as usize] as u32) << 8)
                | HEX[(b & 15) as usize] as u32
        };
        i += 1;
    }
    t
}

static RANK: [u32; 256] = rank_table();

/// Compares `a` and `b` by their percent-encoded forms without encoding them.
///
/// This is the order RFC 5849 §3.4.1.3.2 sorts parameters in ("using ascending byte value
/// ordering" of the *encoded* names and values). The encoding is a prefix-free code applied byte
/// by byte, so the first differing byte decides, by the encoded form of that byte.
///
/// ```
/// use std::cmp::Ordering;
/// use oauth1_core::encode::cmp_encoded;
/// // "~" stays "~" (0x7E) but 0x7F becomes "%7F", and '%' (0x25) sorts first.
/// assert_eq!(cmp_encoded(b"~", b"\x7f"), Ordering::Greater);
/// assert_eq!(cmp_encoded(b"a", b"a1"), Ordering::Less);
/// ```
#[inline]
pub fn cmp_encoded(a: &[u8], b: &[u8]) -> Ordering {
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => RANK[a[i] as usize].cmp(&RANK[b[i] as usize]),
        None => a.len().cmp(&b.len()),
    }
}

/// Appends the RFC 5849 §3.6 encoding of `input` to `out`.
#[inline]
pub fn encode_into(input: &[u8], out: &mut String) {
    with_bytes(out, |bytes| encode_bytes(input, bytes));
}

/// For each byte, its encoding padded to 8 bytes, and the encoding's length.
struct EscapeTable {
    code: [[u8; 8]; 256],
    len: [u8; 256],
    /// The longest code (3 for `%XY`, 5 for `%25XY`).
    width: usize,
}

const fn escape_table(prefix: &[u8]) -> EscapeTable {
    let mut code = [[0u8; 8]; 256];
    let mut len = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if is_unreserved(b) {
            code[i][0] = b;
            len[i] = 1;
        } else {
            let mut j = 0;
            while j < prefix.len() {
                code[i][j] = prefix[j];
                j += 1;
            }
            code[i][j] = HEX[(b >> 4) as usize];
            code[i][j + 1] = HEX[(b & 15) as usize];
            len[i] = (j + 2) as u8;
        }
        i += 1;
    }
    EscapeTable {
        code,
        len,
        width: prefix.len() + 2,
    }
}

static ONCE: EscapeTable = escape_table(b"%");
static TWICE: EscapeTable = escape_table(b"%25");

/// Appends the §3.6 encoding of `input` to a byte buffer.
#[inline]
pub(crate) fn encode_bytes(input: &[u8], out: &mut Vec<u8>) {
    Writer::run(out, |w| w.encode(input));
}

/// Appends bytes to a `Vec<u8>` through room made in advance: pieces are copied by index and
/// the buffer grows (rarely) only when a piece does not fit, so that writing many small pieces
/// costs no capacity check or `memcpy` call per byte.
pub(crate) struct Writer<'a> {
    out: &'a mut Vec<u8>,
    at: usize,
}

impl Writer<'_> {
    /// Runs `write` on a writer that appends to `out`.
    #[inline]
    pub(crate) fn run(out: &mut Vec<u8>, write: impl FnOnce(&mut Writer<'_>)) {
        let at = out.len();
        let mut w = Writer { out, at };
        write(&mut w);
        let end = w.at;
        out.truncate(end);
    }

    /// Makes sure `n` more bytes (plus 8 of slack for word stores) fit.
    #[inline]
    fn room(&mut self, n: usize) {
        let need = self.at + n + 8;
        if need > self.out.len() {
            self.out.resize(need.max(self.out.len() * 2).max(256), 0);
        }
    }

    /// Appends `bytes` as they are.
    #[inline]
    pub(crate) fn raw(&mut self, bytes: &[u8]) {
        self.room(bytes.len());
        if let Some(dst) = self.out.get_mut(self.at..self.at + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
        self.at += bytes.len();
    }

    /// Appends the §3.6 encoding of `input`.
    #[inline]
    pub(crate) fn encode(&mut self, input: &[u8]) {
        self.escape(input, &ONCE);
    }

    /// Appends the encoding of the encoding of `input`: what a parameter name or value becomes
    /// inside the signature base string, where the normalized parameter string is encoded once
    /// more (RFC 5849 §3.4.1.1). A reserved byte `b` becomes `%25XY`.
    #[inline]
    pub(crate) fn encode_twice(&mut self, input: &[u8]) {
        self.escape(input, &TWICE);
    }

    /// Eight input bytes at a time: a word of eight unreserved bytes is stored as it is, any
    /// other word byte by byte from `table` (one 8-byte store per byte).
    #[inline]
    fn escape(&mut self, input: &[u8], table: &EscapeTable) {
        self.room(input.len() * table.width);
        let mut at = self.at;
        let buf = &mut self.out[..];
        let mut words = input.chunks_exact(8);
        for word in &mut words {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(word);
            if all_unreserved(u64::from_le_bytes(bytes)) {
                if let Some(dst) = buf.get_mut(at..at + 8) {
                    dst.copy_from_slice(&bytes);
                }
                at += 8;
            } else {
                at = escape_bytes(word, table, buf, at);
            }
        }
        self.at = escape_bytes(words.remainder(), table, buf, at);
    }
}

#[inline]
fn escape_bytes(input: &[u8], table: &EscapeTable, buf: &mut [u8], mut at: usize) -> usize {
    for &b in input {
        if let Some(dst) = buf.get_mut(at..at + 8) {
            dst.copy_from_slice(&table.code[b as usize]);
        }
        at += table.len[b as usize] as usize;
    }
    at
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` (all below 0x80) that lies in `lo..=hi`. Below 0x80 the
/// additions cannot carry from one byte into the next.
#[inline]
const fn in_range(w: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = w.wrapping_add(LOW_BITS * (0x80 - lo as u64));
    let above_hi = w.wrapping_add(LOW_BITS * (0x7F - hi as u64));
    at_least_lo & !above_hi & HIGH_BITS
}

/// Whether all eight bytes of `w` are unreserved (SWAR: a few arithmetic operations instead of
/// eight table lookups).
#[inline]
const fn all_unreserved(w: u64) -> bool {
    if w & HIGH_BITS != 0 {
        return false;
    }
    let ok = in_range(w, b'0', b'9')
        | in_range(w, b'A', b'Z')
        | in_range(w, b'a', b'z')
        | in_range(w, b'-', b'.')
        | in_range(w, b'_', b'_')
        | in_range(w, b'~', b'~');
    ok == HIGH_BITS
}

/// Lets `write` append ASCII bytes to `out` without a UTF-8 check per piece: the string is
/// checked once at the end (writers only append ASCII, so it cannot fail; if it ever did,
/// invalid bytes would be replaced rather than panic).
#[inline]
pub(crate) fn with_bytes(out: &mut String, write: impl FnOnce(&mut Vec<u8>)) {
    let mut bytes = std::mem::take(out).into_bytes();
    write(&mut bytes);
    *out = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// Percent-encodes `input` per RFC 5849 §3.6. Borrows when nothing needs encoding.
///
/// ```
/// # use oauth1_core::encode::percent_encode;
/// assert_eq!(percent_encode("abcABC123-._~"), "abcABC123-._~");
/// assert_eq!(percent_encode("%"), "%25");
/// ```
pub fn percent_encode(input: &str) -> Cow<'_, str> {
    percent_encode_bytes(input.as_bytes()).map_or(Cow::Borrowed(input), Cow::Owned)
}

/// Percent-encodes raw octets; `None` when every byte is unreserved (no change needed).
fn percent_encode_bytes(input: &[u8]) -> Option<String> {
    if input.iter().all(|&b| UNRESERVED[b as usize]) {
        return None;
    }
    let mut out = String::with_capacity(input.len() * 3);
    encode_into(input, &mut out);
    Some(out)
}

/// Percent-encodes raw octets (which need not be UTF-8) per RFC 5849 §3.6.
///
/// ```
/// # use oauth1_core::encode::percent_encode_octets;
/// assert_eq!(percent_encode_octets(&[0xFF, b'a']), "%FFa");
/// ```
pub fn percent_encode_octets(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len());
    encode_into(input, &mut out);
    out
}

#[inline]
fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
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
    let start = out.len();
    out.resize(start + input.len(), 0);
    let buf = &mut out[start..];
    let (mut i, mut o) = (0, 0);
    while i < input.len() {
        if let (Some(word), Some(dst)) = (input.get(i..i + 8), buf.get_mut(o..o + 8)) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(word);
            let w = u64::from_le_bytes(bytes);
            if !has_byte(w, b'%') && (plus == Plus::Literal || !has_byte(w, b'+')) {
                dst.copy_from_slice(&bytes);
                i += 8;
                o += 8;
                continue;
            }
        }
        let decoded = match input[i] {
            b'+' if plus == Plus::Space => {
                i += 1;
                b' '
            }
            b'%' => {
                let hi = input.get(i + 1).copied().and_then(hex_value);
                let lo = input.get(i + 2).copied().and_then(hex_value);
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    out.truncate(start);
                    return Err(DecodeError::BadEscape {
                        position: offset + i,
                    });
                };
                i += 3;
                hi << 4 | lo
            }
            b => {
                i += 1;
                b
            }
        };
        buf[o] = decoded;
        o += 1;
    }
    out.truncate(start + o);
    Ok(())
}

/// Whether any byte of `w` is `byte` (SWAR: the classic "has zero byte" test on `w ^ byte`).
#[inline]
const fn has_byte(w: u64, byte: u8) -> bool {
    let x = w ^ (LOW_BITS * byte as u64);
    x.wrapping_sub(LOW_BITS) & !x & HIGH_BITS != 0
}

/// The index of the first `byte` in `hay`, eight bytes at a time.
#[inline]
fn find_byte(hay: &[u8], byte: u8) -> Option<usize> {
    let mut i = 0;
    while let Some(word) = hay.get(i..i + 8) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        if has_byte(u64::from_le_bytes(bytes), byte) {
            break;
        }
        i += 8;
    }
    hay[i..].iter().position(|&b| b == byte).map(|p| i + p)
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
    while offset <= input.len() {
        let rest = &input[offset..];
        let segment = &rest[..find_byte(rest, b'&').unwrap_or(rest.len())];
        if !segment.is_empty() {
            let (name, value) = match find_byte(segment, b'=') {
                Some(eq) => (&segment[..eq], &segment[eq + 1..]),
                None => (segment, &segment[segment.len()..]),
            };
            f(name, value, offset)?;
        }
        offset += segment.len() + 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_every_byte_per_rfc_3_6() {
        for b in 0u8..=255 {
            let got = percent_encode_octets(&[b]);
            if is_unreserved(b) {
                assert_eq!(got, (b as char).to_string());
            } else {
                assert_eq!(got, format!("%{b:02X}"));
            }
        }
    }

    #[test]
    fn double_encoding_matches_encoding_twice() {
        let all: Vec<u8> = (0u8..=255).collect();
        let mut once = String::new();
        encode_into(&all, &mut once);
        let mut twice = String::new();
        encode_into(once.as_bytes(), &mut twice);
        let mut direct = Vec::new();
        Writer::run(&mut direct, |w| w.encode_twice(&all));
        assert_eq!(direct, twice.into_bytes());
    }

    #[test]
    fn swar_check_agrees_with_the_table() {
        for b in 0u8..=255 {
            for filler in [b'a', b'Z', b'5', b'~'] {
                for pos in 0..8 {
                    let mut word = [filler; 8];
                    word[pos] = b;
                    assert_eq!(
                        all_unreserved(u64::from_le_bytes(word)),
                        is_unreserved(b),
                        "{b:#x} at {pos}"
                    );
                }
            }
        }
    }

    #[test]
    fn cmp_encoded_agrees_with_comparing_encodings() {
        let samples: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"a".to_vec(),
            b"a1".to_vec(),
            b"a-".to_vec(),
            b"a%".to_vec(),
            b"~".to_vec(),
            vec![0x7f],
            vec![0xff],
            b"A".to_vec(),
            b" ".to_vec(),
            b"!".to_vec(),
            b"-".to_vec(),
            b"z".to_vec(),
        ];
        for a in &samples {
            for b in &samples {
                let ea = percent_encode_octets(a);
                let eb = percent_encode_octets(b);
                assert_eq!(cmp_encoded(a, b), ea.cmp(&eb), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn swar_byte_search_agrees_with_a_scan() {
        for b in 0u8..=255 {
            for pos in 0..8 {
                let mut word = [b'a'; 8];
                word[pos] = b;
                assert_eq!(
                    has_byte(u64::from_le_bytes(word), b'%'),
                    b == b'%',
                    "{b:#x} at {pos}"
                );
                let hay: Vec<u8> = [b"abcdefghijk".as_slice(), &word, b"&tail"].concat();
                assert_eq!(find_byte(&hay, b), hay.iter().position(|&x| x == b));
            }
        }
    }

    #[test]
    fn long_inputs_decode_across_words() {
        let input = b"abcdefg%41bcdefgh+ijklmnop%2B%2b1234567%E2%98%83xyz";
        let mut out = Vec::new();
        decode_into(input, Plus::Space, 0, &mut out).unwrap();
        assert_eq!(
            out,
            "abcdefgAbcdefgh ijklmnop++1234567\u{2603}xyz".as_bytes()
        );
        let mut out = b"keep".to_vec();
        assert_eq!(
            decode_into(b"abcdefghijk%4", Plus::Space, 10, &mut out),
            Err(DecodeError::BadEscape { position: 21 })
        );
        assert_eq!(out, b"keep");
    }

    #[test]
    fn decode_errors_point_at_the_escape() {
        assert_eq!(
            percent_decode("ab%4"),
            Err(DecodeError::BadEscape { position: 2 })
        );
        assert_eq!(
            percent_decode("%zz"),
            Err(DecodeError::BadEscape { position: 0 })
        );
        assert_eq!(
            form_decode(b"a=1&b=%x1").unwrap_err(),
            DecodeError::BadEscape { position: 6 }
        );
    }

    #[test]
    fn octets_are_not_replaced() {
        let pairs = form_decode(b"a=%FF%FE").unwrap();
        assert_eq!(pairs[0].1, vec![0xFF, 0xFE]);
    }

    #[test]
    fn form_plus_and_escaped_plus() {
        let pairs = form_decode(b"a=1+2&b=1%2B2&c+d=%20").unwrap();
        assert_eq!(pairs[0].1, b"1 2");
        assert_eq!(pairs[1].1, b"1+2");
        assert_eq!(pairs[2], (b"c d".to_vec(), b" ".to_vec()));
    }

    #[test]
    fn empty_segments_and_values() {
        let pairs = form_decode(b"&a&&b=&=c&").unwrap();
        assert_eq!(
            pairs,
            vec![
                (b"a".to_vec(), b"".to_vec()),
                (b"b".to_vec(), b"".to_vec()),
                (b"".to_vec(), b"c".to_vec())
            ]
        );
    }
}

//! Percent-encoding (RFC 5849 §3.6) and the decoding of query strings and
//! `application/x-www-form-urlencoded` bodies (§3.4.1.3.1).
//!
//! OAuth encodes every byte except the unreserved set `ALPHA / DIGIT / "-" / "." / "_" / "~"`
//! as `%XY` with upper-case hex. Values are octets: a decoded `%FF` stays the byte `0xFF`
//! (it is never replaced by U+FFFD), so re-encoding gives back `%FF` and the signature covers
//! exactly what was sent.
//!
//! Encoding and decoding go through the [`percent-encoding`](https://docs.rs/percent-encoding)
//! crate, with the unreserved set as its `AsciiSet`. Decoding is stricter than that crate: a `%`
//! that two hex digits do not follow is an error ([`DecodeError::BadEscape`], with where it
//! stands), never kept as text. One piece is our own: the normalizer that turns a raw query or
//! form body into the base string's text in one pass (decode, encode, encode again) sixteen
//! bytes at a time; through the crate the signer was 1.25–3.3 times as slow
//! (`docs/performance.md`, "Hand-written or a crate").
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
//!
//! [`DecodeError::BadEscape`]: crate::DecodeError::BadEscape

use std::borrow::Cow;
use std::cmp::Ordering;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

// Split along its seams: this file holds the public API (the unreserved set, the order of
// encodings, the encoders); `decode.rs` the decoders; `writer.rs` the byte-level `Writer` that
// `params` and `signer` write the base string and the header through; `swar.rs` the word-level
// kernels behind it (read its implementation notes before changing one).
mod decode;
mod swar;
mod writer;

pub(crate) use decode::{decode_encoded, decode_into, decode_twice, once_encoded, Plus};
pub use decode::{form_decode, form_decode_str, percent_decode, percent_decode_str, OctetPairs};
pub(crate) use swar::name_key;
pub(crate) use writer::{Literal, Writer};

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `b` is in the RFC 5849 §3.6 unreserved set (never encoded).
#[inline]
pub const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// The bytes RFC 5849 §3.6 encodes: all but ALPHA, DIGIT, `-`, `.`, `_` and `~` (the
/// `percent-encoding` crate encodes every byte outside ASCII as well).
pub(crate) const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

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

/// Appends the §3.6 encoding of `input` to a byte buffer.
#[inline]
pub(crate) fn encode_bytes(input: &[u8], out: &mut Vec<u8>) {
    Writer::run(out, |w| w.encode(input));
}

/// Appends the §3.6 encoding of `input` (`percent-encoding`'s) to a `String` and tells whether
/// it holds an escape.
pub(crate) fn push_encoded(out: &mut String, input: &str) -> bool {
    let mut escaped = false;
    for piece in percent_encoding::utf8_percent_encode(input, RESERVED) {
        escaped |= piece.starts_with('%');
        out.push_str(piece);
    }
    escaped
}

/// Appends the decimal digits of `n`.
pub(crate) fn push_decimal(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    for &d in crate::url::decimal(n, &mut buf) {
        out.push(char::from(d));
    }
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

#[cfg(test)]
mod tests;

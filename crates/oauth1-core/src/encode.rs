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

use std::borrow::Cow;
use std::cmp::Ordering;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use crate::error::DecodeError;

pub(crate) const HEX: &[u8; 16] = b"0123456789ABCDEF";

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

/// For each byte, its encoding as a little-endian word (`b` itself, or an escape), and the
/// encoding's length.
struct EscapeTable {
    code: [u64; 256],
    len: [u8; 256],
}

/// The escape table where a reserved byte `b` becomes `prefix` and the two upper-case hex
/// digits of `b`.
const fn escape_table(prefix: &[u8]) -> EscapeTable {
    let mut code = [0u64; 256];
    let mut len = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if is_unreserved(b) {
            code[i] = b as u64;
            len[i] = 1;
        } else {
            let mut word = 0u64;
            let mut j = 0;
            while j < prefix.len() {
                word |= (prefix[j] as u64) << (8 * j);
                j += 1;
            }
            word |= (HEX[(b >> 4) as usize] as u64) << (8 * j);
            word |= (HEX[(b & 15) as usize] as u64) << (8 * (j + 1));
            code[i] = word;
            len[i] = (j + 2) as u8;
        }
        i += 1;
    }
    EscapeTable { code, len }
}

/// The §3.6 encoding of the §3.6 encoding (as names and values appear in the base string):
/// `b` or `%25XY`.
static TWICE: EscapeTable = escape_table(b"%25");
/// `%3D`, the encoding of `=`, as a little-endian word.
const EQUALS_ENCODED: u64 = 0x44_33_25;
/// `%26`, the encoding of `&`, as a little-endian word.
pub(crate) const AMPERSAND_ENCODED: u64 = 0x36_32_25;

/// The value of each hex digit, `0xFF` for any other byte.
const fn hex_table() -> [u8; 256] {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => 0xFF,
        };
        i += 1;
    }
    t
}

static HEX_VALUE: [u8; 256] = hex_table();

/// Appends the §3.6 encoding of `input` to a byte buffer.
#[inline]
pub(crate) fn encode_bytes(input: &[u8], out: &mut Vec<u8>) {
    Writer::run(out, |w| w.encode(input));
}

/// The eight bytes of `src` from `i` as a little-endian word, zero-padded past the end of `src`.
/// Callers mask off the padding with [`first_bytes`].
#[inline(always)]
fn load(src: &[u8], i: usize) -> u64 {
    match src.get(i..i + 8) {
        Some(word) => {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(word);
            u64::from_le_bytes(bytes)
        }
        None => load_short(src.get(i..).unwrap_or_default()),
    }
}

/// The bytes of `s` (fewer than eight) as a little-endian word, zero-padded: two overlapping
/// loads instead of a loop over the bytes.
#[inline]
fn load_short(s: &[u8]) -> u64 {
    let n = s.len();
    if n >= 4 {
        let (mut lo, mut hi) = ([0u8; 4], [0u8; 4]);
        lo.copy_from_slice(&s[..4]);
        hi.copy_from_slice(&s[n - 4..]);
        u64::from(u32::from_le_bytes(lo)) | u64::from(u32::from_le_bytes(hi)) << (8 * (n - 4))
    } else if n >= 2 {
        let (mut lo, mut hi) = ([0u8; 2], [0u8; 2]);
        lo.copy_from_slice(&s[..2]);
        hi.copy_from_slice(&s[n - 2..]);
        u64::from(u16::from_le_bytes(lo)) | u64::from(u16::from_le_bytes(hi)) << (8 * (n - 2))
    } else {
        s.first().map_or(0, |&b| u64::from(b))
    }
}

/// Appends bytes to a `Vec<u8>` through room made in advance: pieces are copied by index (and
/// by whole words, past their end into the slack), and the buffer grows (rarely) only when a
/// piece does not fit, so that writing many small pieces costs no capacity check or `memcpy`
/// call per byte. The bytes between the end of what was written and the end of the vector are
/// slack: [`Writer::run`] truncates them away, [`Writer::append`] keeps them for the next write.
pub(crate) struct Writer<'a> {
    out: &'a mut Vec<u8>,
    at: usize,
}

/// How far past the end of what it wrote a [`Writer`] may have written (word stores and
/// sixteen-byte copies): at most this many bytes, since the end only ever moves forward.
pub(crate) const SLACK: usize = 16;

impl Writer<'_> {
    /// Runs `write` on a writer that appends to `out`.
    #[inline]
    pub(crate) fn run(out: &mut Vec<u8>, write: impl FnOnce(&mut Writer<'_>)) {
        let at = out.len();
        let end = Writer::append(out, at, write);
        out.truncate(end);
    }

    /// Runs `write` on a writer that writes into `out` from `at` on, and returns where it
    /// stopped. `out` keeps its length (everything from the result on is slack).
    #[inline]
    pub(crate) fn append(
        out: &mut Vec<u8>,
        at: usize,
        write: impl FnOnce(&mut Writer<'_>),
    ) -> usize {
        let mut w = Writer { out, at };
        write(&mut w);
        w.at
    }

    /// Makes sure `n` more bytes (plus [`SLACK`] for word stores) fit.
    #[inline(always)]
    fn room(&mut self, n: usize) {
        let need = self.at + n + SLACK;
        if need > self.out.len() {
            self.grow(need);
        }
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, need: usize) {
        self.out.resize(need.max(self.out.len() * 2).max(256), 0);
    }

    /// Appends the first `len` (at most 8) bytes of the little-endian `word`.
    #[inline(always)]
    pub(crate) fn word(&mut self, word: u64, len: usize) {
        self.room(8);
        store(self.out, self.at, word);
        self.at += len.min(8);
    }

    /// Appends `name%3Dvalue` (a parameter in the base string), after `%26` when `separated`,
    /// making room once.
    #[inline(always)]
    pub(crate) fn pair(&mut self, separated: bool, name: &[u8], value: &[u8]) {
        self.room(3 + name.len() + 3 + value.len());
        store(self.out, self.at, AMPERSAND_ENCODED);
        self.at += 3 * usize::from(separated);
        put(self.out, self.at, name);
        self.at += name.len();
        store(self.out, self.at, EQUALS_ENCODED);
        self.at += 3;
        put(self.out, self.at, value);
        self.at += value.len();
    }

    /// Appends `bytes` as they are.
    #[inline(always)]
    pub(crate) fn raw(&mut self, bytes: &[u8]) {
        self.room(bytes.len());
        put(self.out, self.at, bytes);
        self.at += bytes.len();
    }

    /// Appends the §3.6 encoding of `input`.
    #[inline]
    pub(crate) fn encode(&mut self, input: &[u8]) {
        self.encode_reporting(input);
    }

    /// [`Self::encode`], telling whether any byte was escaped (the output then holds a `%`).
    #[inline]
    pub(crate) fn encode_reporting(&mut self, input: &[u8]) -> bool {
        self.escape_with(input, b"%")
    }

    /// Appends the §3.6 encoding of `input` (`percent-encoding`'s), each escape's `%`
    /// written as `prefix`; tells whether any byte was escaped.
    #[inline]
    fn escape_with(&mut self, input: &[u8], prefix: &[u8]) -> bool {
        let mut escaped = false;
        for piece in percent_encoding::percent_encode(input, RESERVED) {
            // A piece is either one escape `%XY` or a run of unreserved bytes.
            match piece.as_bytes() {
                [b'%', hex @ ..] => {
                    escaped = true;
                    self.raw(prefix);
                    self.raw(hex);
                }
                plain => self.raw(plain),
            }
        }
        escaped
    }

    /// Appends the §3.6 encoding of `input` encoded once more (see [`Self::escape_percent`]).
    #[inline]
    pub(crate) fn encode_twice(&mut self, input: &[u8]) {
        self.escape_with(input, b"%25");
    }

    /// Appends `twice` (a §3.6 encoding encoded once more, as this crate writes them) encoded
    /// only once: each `%25` becomes `%`.
    pub(crate) fn unescape_percent(&mut self, twice: &[u8]) {
        // Our twice-encodings hold no `%` but in `%25`: decoding them once is this.
        let mut buf = [0u8; 64];
        let mut n = 0;
        for b in percent_encoding::percent_decode(twice) {
            if let Some(slot) = buf.get_mut(n) {
                *slot = b;
                n += 1;
            } else {
                self.raw(&buf);
                buf[0] = b;
                n = 1;
            }
        }
        self.raw(buf.get(..n).unwrap_or_default());
    }

    /// Appends `encoded` (a §3.6 encoding: unreserved bytes and `%XY` escapes) encoded once
    /// more, as names and values appear inside the signature base string (RFC 5849 §3.4.1.1):
    /// each `%` becomes `%25`, everything else stays: the §3.6 encoding of `encoded`.
    #[inline]
    pub(crate) fn escape_percent(&mut self, encoded: &[u8]) {
        self.escape_with(encoded, b"%");
    }

    /// Appends the normalized encoding of every name and value of `form`, a raw query string
    /// or form body (RFC 5849 §3.4.1.3.2: the §3.6 encoding of the octets each stands for),
    /// encoded once more as it appears in the base string (§3.4.1.1), without making the octets
    /// themselves. `%XY` (either case of hex) becomes the octet's own encoding (`%7e` becomes
    /// `~`, `%2b` becomes `%252B`), `+` becomes `%2520`, and any other reserved byte is
    /// escaped.
    ///
    /// `form` is split at `&` (empty pieces skipped) and each piece at its first `=` (none: an
    /// empty value) in the same pass; `pair` gets each name and value as where they start and
    /// end in the output, and the name's key ([`name_key`]).
    ///
    /// Sixteen bytes at a time: the length of their unreserved start is found with a check
    /// the compiler vectorizes, all sixteen are copied, and the output moves on by that length
    /// only. Then the reserved bytes from there (escapes, `+`, `&`, `=`, others) are handled
    /// one at a time, each through the table with one word store, until an unreserved byte
    /// sends it back to the sixteen-byte path. So runs of unreserved bytes cost a few
    /// instructions per sixteen bytes, and each escape a few more. The last bytes of `form` are
    /// read padded with zero bytes, which are reserved.
    pub(crate) fn normalize_form(
        &mut self,
        form: &[u8],
        mut pair: impl FnMut(u64, (usize, usize), (usize, usize)),
    ) -> Result<(), DecodeError> {
        // Each byte read writes at most five; the sixteen-byte copies need the slack `room`
        // keeps past that.
        self.room(form.len() * 5);
        let buf = &mut self.out[..];
        let mut at = self.at;
        let mut i = 0;
        // Where the piece being read starts in `form` and in the output, and its name once
        // its `=` was read.
        let (mut piece, mut start) = (0, at);
        let mut name = None;
        // The last sixteen bytes of `form` (or all of it, if shorter) followed by sixteen zero
        // bytes, which are reserved: read from here, sixteen bytes near the end cost no more
        // than others.
        let tail_start = form.len().saturating_sub(16);
        let mut tail = [0u8; 32];
        if let Some(dst) = tail.get_mut(..16) {
            dst.copy_from_slice(&last_chunk16(form, tail_start));
        }
        let mut end_piece = |buf: &[u8], start: usize, at: usize, name: Option<(usize, usize)>| {
            let (name, value) = match name {
                Some(name) => (name, (name.1, at)),
                None => ((start, at), (at, at)),
            };
            pair(
                name_key(buf.get(name.0..name.1).unwrap_or_default()),
                name,
                value,
            );
        };
        'form: loop {
            // Two arms that do the same with their own sixteen bytes: choosing the bytes first
            // and testing them once measured 5-7% slower on (c).
            let reserved = match form
                .get(i..i + 16)
                .and_then(|c| <&[u8; 16]>::try_from(c).ok())
            {
                Some(chunk) => {
                    if let Some(dst) = buf.get_mut(at..at + 16) {
                        dst.copy_from_slice(chunk);
                    }
                    reserved16(chunk)
                }
                None => {
                    let chunk = tail
                        .get(i.saturating_sub(tail_start)..)
                        .and_then(|t| t.get(..16))
                        .and_then(|c| <&[u8; 16]>::try_from(c).ok())
                        .unwrap_or(&[0; 16]);
                    if let Some(dst) = buf.get_mut(at..at + 16) {
                        dst.copy_from_slice(chunk);
                    }
                    reserved16(chunk)
                }
            };
            // All sixteen unreserved: moving on by a constant (not by the count) lets the next
            // sixteen bytes be read before this test is done.
            if reserved == 0 {
                at += 16;
                i += 16;
                continue;
            }
            let plain = unreserved_count(reserved);
            at += plain;
            i += plain;
            // Reserved bytes one after another (escapes often come in a row) go on here;
            // the next unreserved one goes back to the sixteen-byte path.
            while let Some(&b) = form.get(i) {
                let (octet, width) = match b {
                    b if UNRESERVED[usize::from(b)] => continue 'form,
                    b'&' => {
                        if i > piece {
                            end_piece(buf, start, at, name);
                        }
                        i += 1;
                        (piece, start, name) = (i, at, None);
                        continue;
                    }
                    b'=' if name.is_none() => {
                        name = Some((start, at));
                        i += 1;
                        continue;
                    }
                    b'%' => {
                        let hex = |j: usize| form.get(j).map_or(0xFF, |&d| HEX_VALUE[d as usize]);
                        let (hi, lo) = (hex(i + 1), hex(i + 2));
                        if hi == 0xFF || lo == 0xFF {
                            self.at = at;
                            return Err(DecodeError::BadEscape { position: i });
                        }
                        (hi << 4 | lo, 3)
                    }
                    b'+' => (b' ', 1),
                    b => (b, 1),
                };
                store(buf, at, TWICE.code[usize::from(octet)]);
                // Nearly always five bytes (`%25XY`): only an escape of an unreserved octet
                // gives one. Moving on by a constant on the usual path means the next write
                // does not wait for the two table reads behind this length.
                let len = TWICE.len[usize::from(octet)];
                at = if len == 5 { at + 5 } else { moved_on(at, len) };
                i += width;
            }
            break;
        }
        if i > piece {
            end_piece(buf, start, at, name);
        }
        self.at = at;
        Ok(())
    }
}

/// `at + len`, out of line: keeps [`Writer::normalize_form`]'s usual step a constant one.
#[cold]
#[inline(never)]
fn moved_on(at: usize, len: u8) -> usize {
    at + usize::from(len)
}

/// The first eight bytes of `name` as a big-endian number, zero-padded: for names that are
/// encodings (which never hold a zero byte), comparing these compares the names, unless they
/// are equal.
#[inline]
pub(crate) fn name_key(name: &[u8]) -> u64 {
    load(name, 0).swap_bytes()
}

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

/// Copies `src` to `buf[at..]` (the caller made room): pieces of up to 32 bytes, the common
/// case, with two overlapping loads and stores, inline, instead of a `memcpy` call.
#[inline(always)]
fn put(buf: &mut [u8], at: usize, src: &[u8]) {
    let n = src.len();
    let Some(dst) = buf.get_mut(at..at + n) else {
        return;
    };
    if n > 32 {
        dst.copy_from_slice(src);
    } else if n >= 16 {
        let (mut a, mut b) = ([0u8; 16], [0u8; 16]);
        a.copy_from_slice(&src[..16]);
        b.copy_from_slice(&src[n - 16..]);
        dst[n - 16..].copy_from_slice(&b);
        dst[..16].copy_from_slice(&a);
    } else if n >= 8 {
        let (mut a, mut b) = ([0u8; 8], [0u8; 8]);
        a.copy_from_slice(&src[..8]);
        b.copy_from_slice(&src[n - 8..]);
        dst[n - 8..].copy_from_slice(&b);
        dst[..8].copy_from_slice(&a);
    } else if n >= 4 {
        let (mut a, mut b) = ([0u8; 4], [0u8; 4]);
        a.copy_from_slice(&src[..4]);
        b.copy_from_slice(&src[n - 4..]);
        dst[n - 4..].copy_from_slice(&b);
        dst[..4].copy_from_slice(&a);
    } else {
        for (d, &x) in dst.iter_mut().zip(src) {
            *d = x;
        }
    }
}

/// Stores the eight bytes of `word` at `buf[at..]` (the caller made room).
#[inline(always)]
fn store(buf: &mut [u8], at: usize, word: u64) {
    if let Some(dst) = buf.get_mut(at..at + 8) {
        dst.copy_from_slice(&word.to_le_bytes());
    }
}

/// The bytes of `form` from `i` (sixteen at most), followed by zero bytes (which are reserved,
/// so the unreserved start ends at the end of `form`) up to sixteen: two word loads, no copy
/// loop.
#[inline(always)]
fn last_chunk16(form: &[u8], i: usize) -> [u8; 16] {
    (u128::from(load(form, i)) | u128::from(load(form, i + 8)) << 64).to_le_bytes()
}

/// For each of the sixteen bytes of `chunk`, a number that is zero exactly when the byte is
/// unreserved, as one little-endian `u128`; [`unreserved_count`] of it is how many of the
/// sixteen are unreserved before the first one that is not (16 when all are).
///
/// Written so that the compiler turns it into a few vector instructions without `unsafe`
/// (on x86-64 with SSE2: adds, saturating subtractions and minimums over the sixteen bytes,
/// then two bit scans): each byte gives a number that is zero exactly when the byte is
/// unreserved (the least of its distances past each unreserved range, which saturate at
/// zero inside the range), and the count is the trailing zero bits of the sixteen numbers
/// read as one, divided by eight. Written with comparisons and `bool`s instead, the same test
/// is left byte by byte by the compiler.
#[inline(always)]
fn reserved16(chunk: &[u8; 16]) -> u128 {
    let mut reserved = [0u8; 16];
    for (r, &b) in reserved.iter_mut().zip(chunk) {
        // `b | 0x20` is a lower-case letter exactly when `b` is a letter of either case.
        let letter = (b | 0x20).wrapping_sub(b'a').saturating_sub(b'z' - b'a');
        let digit = b.wrapping_sub(b'0').saturating_sub(b'9' - b'0');
        let dash_dot = b.wrapping_sub(b'-').saturating_sub(b'.' - b'-');
        *r = letter.min(digit).min(dash_dot).min(b ^ b'_').min(b ^ b'~');
    }
    u128::from_le_bytes(reserved)
}

/// The number of unreserved bytes before the first reserved one, from [`reserved16`].
#[inline(always)]
fn unreserved_count(reserved: u128) -> usize {
    (reserved.trailing_zeros() / 8) as usize
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;

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
        Writer::run(&mut direct, |w| w.escape_percent(once.as_bytes()));
        assert_eq!(direct, twice.into_bytes());
        for input in samples() {
            let mut once = String::new();
            encode_into(&input, &mut once);
            let mut twice = String::new();
            encode_into(once.as_bytes(), &mut twice);
            let mut direct = b"x".to_vec();
            Writer::run(&mut direct, |w| w.escape_percent(once.as_bytes()));
            assert_eq!(&direct[1..], twice.as_bytes(), "{input:?}");
        }
    }

    /// Inputs of every length up to 40 around word boundaries, from a small alphabet that hits
    /// every branch: unreserved, reserved, `+`, escapes of both cases, broken escapes, octets.
    #[test]
    fn string_writers_agree_with_the_byte_writers() {
        let long = [
            "a".repeat(40) + "+/=",
            "é/".repeat(40),
            "~".repeat(17) + &"☃".repeat(12),
        ];
        let all = samples()
            .into_iter()
            .chain(long.iter().map(|s| s.as_bytes().to_vec()));
        for sample in all {
            let text = String::from_utf8_lossy(&sample).into_owned();
            let mut pushed = String::from("x");
            let escaped = push_encoded(&mut pushed, &text);
            assert_eq!(pushed, format!("x{}", percent_encode(&text)), "{text:?}");
            assert_eq!(escaped, pushed.contains('%'), "{text:?}");
        }
        for n in [
            0,
            7,
            9,
            10,
            99,
            100,
            101,
            999,
            1000,
            1_318_622_958,
            u64::MAX,
        ] {
            let mut digits = String::new();
            push_decimal(&mut digits, n);
            assert_eq!(digits, n.to_string());
        }
    }

    fn samples() -> Vec<Vec<u8>> {
        let alphabet: [&[u8]; 14] = [
            b"a",
            b"Z",
            b"~",
            b"+",
            b"%2b",
            b"%41",
            b"%e2%98%83",
            b" ",
            b"\xff",
            b"%",
            b"%2B",
            b"%C3%A9",
            b"%7E",
            b"%2",
        ];
        let mut out = Vec::new();
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for len in 0..40 {
            for _ in 0..20 {
                let mut s = Vec::new();
                while s.len() < len {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    s.extend_from_slice(alphabet[(seed % alphabet.len() as u64) as usize]);
                }
                out.push(s);
            }
        }
        out
    }

    type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

    /// The names and values `normalize_form` gives for `form` (written after other text), or
    /// its error; checks that they follow one another and that each key is the name's.
    fn normalized(form: &[u8]) -> Result<Pairs, DecodeError> {
        let mut out = b"prefix".to_vec();
        let mut spans = Vec::new();
        let mut result = Ok(());
        Writer::run(&mut out, |w| {
            result = w.normalize_form(form, |key, name, value| spans.push((key, name, value)));
        });
        result?;
        let mut end = 6;
        let mut pairs = Vec::new();
        for (key, name, value) in spans {
            assert_eq!((name.0, name.1), (end, value.0), "{form:?}");
            end = value.1;
            let name = out[name.0..name.1].to_vec();
            // The key is the name's first eight bytes, big-endian, zero-padded.
            let mut prefix = [0u8; 8];
            for (d, &b) in prefix.iter_mut().zip(&name) {
                *d = b;
            }
            assert_eq!(key, u64::from_be_bytes(prefix));
            assert_eq!(key, name_key(&name));
            pairs.push((name, out[value.0..value.1].to_vec()));
        }
        assert_eq!(end, out.len(), "{form:?}");
        Ok(pairs)
    }

    /// The same by the definition (the plain reference): split at `&` and the first `=`,
    /// decode, encode twice.
    fn by_definition(form: &[u8]) -> Result<Pairs, DecodeError> {
        let twice = |octets: &[u8]| reference::encode(reference::encode(octets).as_bytes());
        let pairs =
            reference::form_decode(form).map_err(|position| DecodeError::BadEscape { position })?;
        Ok(pairs
            .iter()
            .map(|(n, v)| (twice(n).into_bytes(), twice(v).into_bytes()))
            .collect())
    }

    #[test]
    fn normalizing_is_decoding_then_encoding() {
        for input in samples() {
            for form in [
                [&b"a=1&bc="[..], &input].concat(),
                [&b"a=1&bc="[..], &input, b"&rest"].concat(),
                [&b"a=1&bc="[..], &input, b"=value&rest"].concat(),
                [&input, &b"=v"[..]].concat(),
                [&b"&"[..], &input, b"&&"].concat(),
            ] {
                let pairs = normalized(&form);
                assert_eq!(pairs, by_definition(&form), "{form:?}");
                for (name, value) in pairs.unwrap_or_default() {
                    for twice in [name, value] {
                        let mut back = Vec::new();
                        decode_twice(&twice, &mut back);
                        let mut once = String::new();
                        encode_into(&back, &mut once);
                        assert_eq!(once_encoded(&twice), once);
                        let mut octets = Vec::new();
                        decode_encoded(once.as_bytes(), &mut octets);
                        assert_eq!(octets, back);
                    }
                }
            }
        }
    }

    #[test]
    fn forms_split_at_ampersands_and_the_first_equals_sign() {
        let text = |pairs: &[(&str, &str)]| -> Pairs {
            pairs
                .iter()
                .map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec()))
                .collect()
        };
        let cases: [(&[u8], Pairs); 8] = [
            (b"", vec![]),
            (b"&&&", vec![]),
            (b"a", text(&[("a", "")])),
            (b"=", text(&[("", "")])),
            (b"=x&", text(&[("", "x")])),
            (b"&a&&b=&", text(&[("a", ""), ("b", "")])),
            (
                b"k=a=b%3d+c&next",
                text(&[("k", "a%253Db%253D%2520c"), ("next", "")]),
            ),
            (b"a+b=%7e%7E&%41", text(&[("a%2520b", "~~"), ("A", "")])),
        ];
        for (form, pairs) in cases {
            assert_eq!(by_definition(form), Ok(pairs.clone()), "{form:?}");
            assert_eq!(normalized(form), Ok(pairs), "{form:?}");
        }
        for (form, position) in [(&b"x=%2"[..], 2), (b"ok=1&b%zz", 6), (b"%&a", 0)] {
            let error = Err(DecodeError::BadEscape { position });
            assert_eq!(by_definition(form), error, "{form:?}");
            assert_eq!(normalized(form), error, "{form:?}");
        }
    }

    #[test]
    fn the_unreserved_start_of_sixteen_bytes_is_counted_exactly() {
        for b in 0u8..=255 {
            for pos in 0..16 {
                let mut chunk = [b'a'; 16];
                chunk[pos] = b;
                let expected = if is_unreserved(b) { 16 } else { pos };
                assert_eq!(
                    unreserved_count(reserved16(&chunk)),
                    expected,
                    "{b} at {pos}"
                );
                // A reserved byte later on does not change the count.
                for later in pos + 1..16 {
                    chunk[later] = b'%';
                    let expected = if is_unreserved(b) { later } else { pos };
                    assert_eq!(
                        unreserved_count(reserved16(&chunk)),
                        expected,
                        "{b} at {pos}"
                    );
                    chunk[later] = b'a';
                }
            }
        }
    }

    /// Long unreserved runs (which go sixteen bytes at a time) with one other byte or escape
    /// at every position, against the definition.
    #[test]
    fn long_runs_normalize_at_every_position() {
        for special in [
            &b"%20"[..],
            b"%7e",
            b"+",
            b"*",
            b"&",
            b"=",
            b"%2",
            b"\xff",
            b"\0",
        ] {
            for len in [0, 7, 8, 9, 15, 16, 17, 24, 31, 40, 64] {
                for at in 0..=len {
                    let mut field = vec![b'x'; len];
                    field.splice(at..at, special.iter().copied());
                    for form in [
                        [&b"k="[..], &field, b"&z"].concat(),
                        [&b"k="[..], &field].concat(),
                        [&field, &b"=v"[..]].concat(),
                    ] {
                        assert_eq!(normalized(&form), by_definition(&form), "{form:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn encode_and_copy_agree_with_byte_by_byte() {
        for input in samples() {
            let mut expected = Vec::new();
            for &b in &input {
                if is_unreserved(b) {
                    expected.push(b);
                } else {
                    expected.extend_from_slice(format!("%{b:02X}").as_bytes());
                }
            }
            let mut out = b"x".to_vec();
            Writer::run(&mut out, |w| w.encode(&input));
            assert_eq!(&out[1..], &expected[..], "{input:?}");
            let mut out = Vec::new();
            Writer::run(&mut out, |w| {
                w.raw(&input[1.min(input.len())..]);
                w.raw(b"|");
                w.raw(&input);
            });
            let mut copied = input.get(1..).unwrap_or_default().to_vec();
            copied.push(b'|');
            copied.extend_from_slice(&input);
            assert_eq!(out, copied);
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

    /// `decode_into` (header values, `form_decode`, `percent_decode`) decodes with the
    /// `percent-encoding` crate, which keeps a `%` that two hex digits do not follow as it is
    /// and knows no `+` rule. Ours refuses such a `%` where it stands (a verifier must not sign
    /// text the sender never sent, and the error says where), reads `+` per [`Plus`], and keeps
    /// octets that are not UTF-8: exactly the plain reference, error positions included.
    #[test]
    fn decoding_is_the_reference_not_percent_encodings_leniency() {
        let malformed: [(&[u8], usize); 9] = [
            (b"%zz", 0),
            (b"%", 0),
            (b"a%2", 1),
            (b"%%41", 0),
            (b"%4g", 0),
            (b"ok%41%g1", 5),
            (b"%+1", 0),
            (b"%2+", 0),
            (b"\xff%e", 1),
        ];
        for (input, position) in malformed {
            // What the crate alone does: no error, the `%` kept as text.
            assert!(percent_encoding::percent_decode(input).any(|b| b == b'%'));
            for plus in [Plus::Space, Plus::Literal] {
                let mut out = b"kept".to_vec();
                assert_eq!(
                    decode_into(input, plus, 10, &mut out),
                    Err(DecodeError::BadEscape {
                        position: 10 + position
                    }),
                    "{input:?}"
                );
                assert_eq!(out, b"kept", "{input:?}");
            }
        }
        let long = [
            b"a+b%2Bc%2b%20+%FF%fe".repeat(5),
            b"+".repeat(3),
            Vec::new(),
        ];
        for input in samples().iter().chain(&long) {
            for (plus, is_space) in [(Plus::Space, true), (Plus::Literal, false)] {
                let mut out = b"x".to_vec();
                let got = decode_into(input, plus, 3, &mut out).map(|()| out[1..].to_vec());
                let want = reference::decode(input, is_space, 3)
                    .map_err(|position| DecodeError::BadEscape { position });
                assert_eq!(got, want, "{input:?}");
            }
            let want = reference::form_decode(input)
                .map_err(|position| DecodeError::BadEscape { position });
            assert_eq!(form_decode(input), want, "{input:?}");
        }
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

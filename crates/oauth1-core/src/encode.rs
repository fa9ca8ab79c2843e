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

pub(crate) const HEX: &[u8; 16] = b"0123456789ABCDEF";

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

/// §3.6: `b` or `%XY`.
static ONCE: EscapeTable = escape_table(b"%");
/// The §3.6 encoding of the §3.6 encoding (as names and values appear in the base string):
/// `b` or `%25XY`.
static TWICE: EscapeTable = escape_table(b"%25");
/// `%3D`, the encoding of `=`, as a little-endian word.
const EQUALS_ENCODED: u64 = 0x44_33_25;
/// `%25`, the encoding of `%`, as a little-endian word.
const PERCENT_25: u64 = 0x35_32_25;
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

/// The high bit of each of the first `n` bytes of a word (all eight when `n >= 8`).
#[inline(always)]
fn first_bytes(n: usize) -> u64 {
    if n >= 8 {
        HIGH_BITS
    } else {
        HIGH_BITS & ((1u64 << (8 * n)) - 1)
    }
}

/// The number of whole bytes below the lowest set bit of a non-zero byte mask.
#[inline(always)]
fn first_set(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
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
        self.escape(input, &ONCE, 3)
    }

    /// Appends the §3.6 encoding of `input` encoded once more (see [`Self::escape_percent`]).
    #[inline]
    pub(crate) fn encode_twice(&mut self, input: &[u8]) {
        self.escape(input, &TWICE, 5);
    }

    /// Appends `twice` (a §3.6 encoding encoded once more, as this crate writes them) encoded
    /// only once: each `%25` becomes `%`.
    pub(crate) fn unescape_percent(&mut self, twice: &[u8]) {
        let mut rest = twice;
        while let Some(p) = find_byte(rest, b'%') {
            self.raw(rest.get(..=p).unwrap_or_default());
            let skip = if rest.get(p + 1..p + 3) == Some(b"25") {
                3
            } else {
                1
            };
            rest = rest.get(p + skip..).unwrap_or_default();
        }
        self.raw(rest);
    }

    /// Appends `encoded` (a §3.6 encoding: unreserved bytes and `%XY` escapes) encoded once
    /// more, as names and values appear inside the signature base string (RFC 5849 §3.4.1.1):
    /// each `%` becomes `%25`, everything else stays.
    ///
    /// Eight bytes at a time: a word without `%` is stored as it is; at a `%`, the bytes before
    /// it are kept, `%25` is written, and the scan goes on right after it.
    #[inline]
    pub(crate) fn escape_percent(&mut self, encoded: &[u8]) {
        self.room(encoded.len() * 3);
        let buf = &mut self.out[..];
        let mut at = self.at;
        let mut i = 0;
        while i < encoded.len() {
            let rest = encoded.len() - i;
            let word = load(encoded, i);
            let percent = byte_mask(word, b'%') & first_bytes(rest);
            store(buf, at, word);
            if percent == 0 {
                let n = rest.min(8);
                at += n;
                i += n;
                continue;
            }
            let k = first_set(percent);
            store(buf, at + k, PERCENT_25);
            at += k + 3;
            i += k + 1;
        }
        self.at = at;
    }

    /// Eight input bytes at a time: a word of unreserved bytes is stored as it is; in a word
    /// with a reserved byte, the unreserved bytes before it are stored as they are and the rest
    /// byte by byte from `table` (one word store per byte, no branch).
    #[inline(always)]
    fn escape(&mut self, input: &[u8], table: &EscapeTable, width: usize) -> bool {
        self.room(input.len() * width);
        let buf = &mut self.out[..];
        let mut at = self.at;
        let mut escaped = false;
        let mut i = 0;
        while i < input.len() {
            let rest = input.len() - i;
            let word = load(input, i);
            let reserved = reserved_mask(word) & first_bytes(rest);
            store(buf, at, word);
            let stop = i + rest.min(8);
            if reserved == 0 {
                at += stop - i;
                i = stop;
                continue;
            }
            let k = first_set(reserved);
            at += k;
            escaped = true;
            for &b in input.get(i + k..stop).unwrap_or_default() {
                store(buf, at, table.code[b as usize]);
                at += table.len[b as usize] as usize;
            }
            i = stop;
        }
        self.at = at;
        escaped
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
    let mut rest = twice;
    while let Some(p) = find_byte(rest, b'%') {
        out.extend_from_slice(rest.get(..p).unwrap_or_default());
        let escape = match rest.get(p + 1..p + 5) {
            Some(&[b'2', b'5', hi, lo]) => hex_value(hi).zip(hex_value(lo)),
            _ => None,
        };
        match escape {
            Some((hi, lo)) => {
                out.push(hi << 4 | lo);
                rest = rest.get(p + 5..).unwrap_or_default();
            }
            // Not reachable for our own encodings; keep the byte rather than lose it.
            None => {
                out.push(b'%');
                rest = rest.get(p + 1..).unwrap_or_default();
            }
        }
    }
    out.extend_from_slice(rest);
}

/// A §3.6 encoding encoded once more, encoded only once (for messages and the header).
pub(crate) fn once_encoded(twice: &[u8]) -> String {
    let mut once = Vec::with_capacity(twice.len());
    Writer::run(&mut once, |w| w.unescape_percent(twice));
    String::from_utf8_lossy(&once).into_owned()
}

/// Decodes a §3.6 encoding this crate made (every `%` starts a valid escape) into `out`.
pub(crate) fn decode_encoded(encoded: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    if decode_into(encoded, Plus::Literal, 0, out).is_err() {
        // Not reachable for our own encodings; keep the text rather than lose it.
        out.truncate(start);
        out.extend_from_slice(encoded);
    }
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

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` (all below 0x80) that lies in `lo..=hi`. Below 0x80 the
/// additions cannot carry from one byte into the next.
#[inline(always)]
const fn in_range(w: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = w.wrapping_add(LOW_BITS * (0x80 - lo as u64));
    let above_hi = w.wrapping_add(LOW_BITS * (0x7F - hi as u64));
    at_least_lo & !above_hi & HIGH_BITS
}

/// The high bit of each byte of `w` that is not unreserved (SWAR: a few arithmetic operations
/// instead of eight table lookups). Exact for every byte.
#[inline(always)]
const fn reserved_mask(w: u64) -> u64 {
    // Seven bits per byte, so that the range tests cannot carry; the eighth is checked apart.
    let x = w & !HIGH_BITS;
    // `x | 0x20` is a lower-case letter exactly when `x` is a letter of either case.
    let unreserved = in_range(x | (LOW_BITS * 0x20), b'a', b'z')
        | in_range(x, b'0', b'9')
        | in_range(x, b'-', b'.')
        | in_range(x, b'_', b'_')
        | in_range(x, b'~', b'~');
    (!unreserved | w) & HIGH_BITS
}

/// The high bit of each byte of `w` that is `byte` (an ASCII byte); exact for every byte.
#[inline(always)]
const fn byte_mask(w: u64, byte: u8) -> u64 {
    in_range(w & !HIGH_BITS, byte, byte) & !w & HIGH_BITS
}

/// The bytes of `form` from `i` (sixteen at most), followed by zero bytes (which are reserved,
/// so the unreserved start ends at the end of `form`) up to sixteen: two word loads, no copy
/// loop.
#[inline(always)]
fn last_chunk16(form: &[u8], i: usize) -> [u8; 16] {
    (u128::from(load(form, i)) | u128::from(load(form, i + 8)) << 64).to_le_bytes()
}

/// How many of the sixteen bytes of `chunk` are unreserved before the first one that is not
/// (16 when all are).
///
/// Written so that the compiler turns it into a few vector instructions without `unsafe`
/// (on x86-64 with SSE2: adds, saturating subtractions and minimums over the sixteen bytes,
/// then two bit scans): each byte gives a number that is zero exactly when the byte is
/// unreserved (the least of its distances past each unreserved range, which saturate at
/// zero inside the range), and the count is the trailing zero bits of the sixteen numbers
/// read as one, divided by eight. Written with comparisons and `bool`s instead, the same test
/// is left byte by byte by the compiler.
#[inline(always)]
fn unreserved_prefix16(chunk: &[u8; 16]) -> usize {
    unreserved_count(reserved16(chunk))
}

/// For each of the sixteen bytes of `chunk`, a number that is zero exactly when the byte is
/// unreserved (see [`unreserved_prefix16`]), as one little-endian `u128`.
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

/// Whether the sixteen bytes of `chunk` are all unreserved; `false` unless `chunk` has
/// sixteen bytes.
#[inline(always)]
fn all_unreserved16(chunk: &[u8]) -> bool {
    <&[u8; 16]>::try_from(chunk).is_ok_and(|chunk| unreserved_prefix16(chunk) == 16)
}

/// Whether all eight bytes of `w` are unreserved.
#[cfg(test)]
const fn all_unreserved(w: u64) -> bool {
    reserved_mask(w) == 0
}

/// `%00%01…%FF`: the escape of every octet, as text.
static ESCAPES: &str = {
    const BYTES: [u8; 768] = {
        let mut t = [0u8; 768];
        let mut b = 0;
        while b < 256 {
            t[3 * b] = b'%';
            t[3 * b + 1] = HEX[b >> 4];
            t[3 * b + 2] = HEX[b & 15];
            b += 1;
        }
        t
    };
    match std::str::from_utf8(&BYTES) {
        Ok(text) => text,
        Err(_) => "",
    }
};

/// The escape of `b` (`%XY`), as text.
#[inline(always)]
fn escape_text(b: u8) -> &'static str {
    let at = 3 * usize::from(b);
    ESCAPES.get(at..at + 3).unwrap_or_default()
}

/// Appends the §3.6 encoding of `input` to a `String` and tells whether it holds an escape.
/// For short text (a nonce, a signature): the unreserved start is found sixteen bytes at a
/// time and copied as it is; the rest, when short, is encoded in a stack buffer and checked
/// as UTF-8 once, else run by run.
pub(crate) fn push_encoded(out: &mut String, input: &str) -> bool {
    const SHORT: usize = 32;
    let bytes = input.as_bytes();
    let mut plain = 0;
    while bytes.get(plain..plain + 16).is_some_and(all_unreserved16) {
        plain += 16;
    }
    // The rest of the unreserved start, from the next sixteen bytes (or the last ones, padded
    // with zero bytes, which are reserved).
    plain += match bytes
        .get(plain..plain + 16)
        .and_then(|c| <&[u8; 16]>::try_from(c).ok())
    {
        Some(chunk) => unreserved_prefix16(chunk),
        None => unreserved_prefix16(&last_chunk16(bytes, plain)),
    };
    let (head, rest) = input.split_at_checked(plain).unwrap_or((input, ""));
    out.push_str(head);
    if rest.is_empty() {
        return false;
    }
    if rest.len() <= SHORT {
        let mut buf = [0u8; 3 * SHORT + 8];
        let mut at = 0;
        for &b in rest.as_bytes() {
            store(&mut buf, at, ONCE.code[usize::from(b)]);
            at += usize::from(ONCE.len[usize::from(b)]);
        }
        // Escapes and unreserved bytes are ASCII: the check cannot fail.
        out.push_str(std::str::from_utf8(buf.get(..at).unwrap_or_default()).unwrap_or_default());
        return true;
    }
    let mut run = 0;
    for (i, &b) in rest.as_bytes().iter().enumerate() {
        if UNRESERVED[usize::from(b)] {
            continue;
        }
        // Every byte of a multi-byte character is escaped, so a run that is not empty starts
        // and ends at character boundaries; an empty one may not, and `get` then gives "".
        out.push_str(rest.get(run..i).unwrap_or_default());
        out.push_str(escape_text(b));
        run = i + 1;
    }
    out.push_str(rest.get(run..).unwrap_or_default());
    true
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

#[inline]
fn hex_value(b: u8) -> Option<u8> {
    let v = HEX_VALUE[b as usize];
    (v != 0xFF).then_some(v)
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

    #[test]
    fn swar_masks_are_exact_per_byte() {
        for b in 0u8..=255 {
            for filler in [b'a', b'%', 0xFF, 0x00, b'~'] {
                for pos in 0..8 {
                    let mut word = [filler; 8];
                    word[pos] = b;
                    let w = u64::from_le_bytes(word);
                    let reserved = reserved_mask(w);
                    for (j, &x) in word.iter().enumerate() {
                        let bit = 0x80u64 << (8 * j);
                        assert_eq!(reserved & bit != 0, !is_unreserved(x), "{word:?} at {j}");
                    }
                }
            }
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

    /// The same by the definition: split at `&` and the first `=`, decode, encode twice.
    fn by_definition(form: &[u8]) -> Result<Pairs, DecodeError> {
        let twice = |field: &[u8], offset: usize| -> Result<Vec<u8>, DecodeError> {
            let mut decoded = Vec::new();
            decode_into(field, Plus::Space, offset, &mut decoded)?;
            let mut once = String::new();
            encode_into(&decoded, &mut once);
            let mut twice = String::new();
            encode_into(once.as_bytes(), &mut twice);
            Ok(twice.into_bytes())
        };
        let mut pairs = Vec::new();
        let mut offset = 0;
        for piece in form.split(|&b| b == b'&') {
            if !piece.is_empty() {
                let (name, value) = match piece.iter().position(|&b| b == b'=') {
                    Some(p) => (&piece[..p], Some((&piece[p + 1..], p + 1))),
                    None => (piece, None),
                };
                let name = twice(name, offset)?;
                let value = match value {
                    Some((value, at)) => twice(value, offset + at)?,
                    None => Vec::new(),
                };
                pairs.push((name, value));
            }
            offset += piece.len() + 1;
        }
        Ok(pairs)
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
        assert!(!all_unreserved16(b"short"));
        for b in 0u8..=255 {
            for pos in 0..16 {
                let mut chunk = [b'a'; 16];
                chunk[pos] = b;
                assert_eq!(all_unreserved16(&chunk), is_unreserved(b), "{b} at {pos}");
                let expected = if is_unreserved(b) { 16 } else { pos };
                assert_eq!(unreserved_prefix16(&chunk), expected, "{b} at {pos}");
                // A reserved byte later on does not change the count.
                for later in pos + 1..16 {
                    chunk[later] = b'%';
                    let expected = if is_unreserved(b) { later } else { pos };
                    assert_eq!(unreserved_prefix16(&chunk), expected, "{b} at {pos}");
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
    fn the_percent_mask_is_exact_per_byte() {
        for b in 0u8..=255 {
            for filler in [b'a', b'%', 0xFF, 0x00, 0xA5] {
                for pos in 0..8 {
                    let mut word = [filler; 8];
                    word[pos] = b;
                    let mask = byte_mask(u64::from_le_bytes(word), b'%');
                    for (j, &x) in word.iter().enumerate() {
                        assert_eq!(mask & (0x80u64 << (8 * j)) != 0, x == b'%', "{word:?}");
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

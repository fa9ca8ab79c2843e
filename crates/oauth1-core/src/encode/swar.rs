//! The word-level kernels behind [`Writer`]: loads and stores of whole words, the sixteen-byte
//! test for the unreserved set, and the one-pass normalizer of query strings and form bodies.

// # Implementation notes
//
// Everything here is safe Rust (the crate forbids `unsafe`) written so that the compiler turns
// it into word and vector instructions: fixed-size arrays copied with `copy_from_slice`,
// `u64`/`u128` built with `from_le_bytes`, saturating byte arithmetic instead of comparisons
// (which the compiler leaves byte by byte). `docs/performance.md` records what each choice was
// measured against.
//
// ## Invariants
//
// - Little-endian words. A word holds bytes in memory order, its first byte in its low bits
//   (`from_le_bytes`/`to_le_bytes`, whatever the target). A `TWICE` code or a `Literal` is
//   stored with one eight-byte store and the writer then moves on by its length only.
// - Slack. Word stores and sixteen-byte copies write past the end of what they mean to write:
//   at most `SLACK` (16) bytes, which `Writer::room` always makes beyond what a piece needs.
//   `SLACK` stays private to `writer.rs`; the scratch asks `Writer::written_end` how far
//   writers may have reached when it overwrites what a request left.
// - Loads past the end are zero-padded (`load`, `last_chunk16`), and the zero byte is
//   reserved: a sixteen-byte test near the end of the input stops at its end by itself.
// - Keys. `name_key` is the first eight bytes of a name, big-endian, zero-padded; an encoding
//   never holds a zero byte, so comparing keys compares the names unless the keys are equal.
//
// ## Where they are checked
//
// - The plain, byte-at-a-time reference: `crates/oauth1-core/tests/support/reference.rs`.
// - The unit tests (`encode/tests.rs`) check every byte at every position of a sixteen-byte
//   chunk, lengths around every word boundary, and the normalizer against the reference.
// - The fuzz targets (`fuzz/fuzz_targets/`, `form_decode` and `sign_request` above all) check
//   the fast paths against the same reference through `fuzz/checks.rs`, whose corpus
//   `crates/oauth1-core/tests/fuzz_corpus.rs` replays in `cargo test`.

use crate::error::DecodeError;

use super::{is_unreserved, Writer, HEX, UNRESERVED};

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

/// The eight bytes of `src` from `i` as a little-endian word, zero-padded past the end of `src`.
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

impl Writer<'_> {
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

/// Copies `src` to `buf[at..]` (the caller made room): pieces of up to 32 bytes, the common
/// case, with two overlapping loads and stores, inline, instead of a `memcpy` call.
#[inline(always)]
pub(super) fn put(buf: &mut [u8], at: usize, src: &[u8]) {
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
pub(super) fn store(buf: &mut [u8], at: usize, word: u64) {
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
pub(super) fn reserved16(chunk: &[u8; 16]) -> u128 {
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
pub(super) fn unreserved_count(reserved: u128) -> usize {
    (reserved.trailing_zeros() / 8) as usize
}

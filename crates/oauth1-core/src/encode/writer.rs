//! [`Writer`]: appends bytes to a buffer through room made in advance. Its API is byte-level
//! (`raw`, `encode`, `encode_twice`, `escape_percent`, `unescape_percent`, `pair`, `literal`);
//! the little-endian words it stores and the [`SLACK`] it writes into stay in this module and
//! in the kernels of [`super::swar`].

use super::swar::{put, store};
use super::RESERVED;

/// Appends bytes to a `Vec<u8>` through room made in advance: pieces are copied by index (and
/// by whole words, past their end into the slack), and the buffer grows (rarely) only when a
/// piece does not fit, so that writing many small pieces costs no capacity check or `memcpy`
/// call per byte. The bytes between the end of what was written and the end of the vector are
/// slack: [`Writer::run`] truncates them away, [`Writer::append`] keeps them for the next write.
pub(crate) struct Writer<'a> {
    /// The buffer, and where the next byte goes: open to the kernels in [`super::swar`], which
    /// write into the room [`Writer::room`] made, whole words at a time.
    pub(super) out: &'a mut Vec<u8>,
    pub(super) at: usize,
}

/// How far past the end of what it wrote a [`Writer`] may have written (word stores and
/// sixteen-byte copies): at most this many bytes, since the end only ever moves forward.
const SLACK: usize = 16;

/// `%3D`, the encoding of `=`, as a little-endian word.
const EQUALS_ENCODED: u64 = 0x44_33_25;
/// `%26`, the encoding of `&`, as a little-endian word.
const AMPERSAND_ENCODED: u64 = 0x36_32_25;

/// A short piece of text (at most eight bytes), packed once so that [`Writer::literal`] writes
/// it with one store: the separators and quotes of the header and the form, and `%26`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Literal {
    word: u64,
    len: usize,
}

impl Literal {
    /// `%26`, the encoding of `&` (between parameters in the base string).
    pub(crate) const ENCODED_AMPERSAND: Literal = Literal {
        word: AMPERSAND_ENCODED,
        len: 3,
    };

    /// The concatenation of `a` and `b`, of which only the first eight bytes are kept.
    pub(crate) fn concat(a: &[u8], b: &[u8]) -> Literal {
        let mut bytes = [0u8; 8];
        let mut len = 0;
        for (dst, &x) in bytes.iter_mut().zip(a.iter().chain(b)) {
            *dst = x;
            len += 1;
        }
        Literal {
            word: u64::from_le_bytes(bytes),
            len,
        }
    }
}

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
    pub(super) fn room(&mut self, n: usize) {
        let need = self.at + n + SLACK;
        if need > self.out.len() {
            self.grow(need);
        }
    }

    /// How far into a buffer of `len` bytes writers that stopped at `end` (at most) may have
    /// written: up to [`SLACK`] bytes past it. What lies beyond was not written.
    #[inline]
    pub(crate) fn written_end(end: usize, len: usize) -> usize {
        (end + SLACK).min(len)
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, need: usize) {
        self.out.resize(need.max(self.out.len() * 2).max(256), 0);
    }

    /// Appends `literal`, with one word store.
    #[inline(always)]
    pub(crate) fn literal(&mut self, literal: Literal) {
        self.word(literal.word, literal.len);
    }

    /// Appends the first `len` (at most 8) bytes of the little-endian `word`.
    #[inline(always)]
    fn word(&mut self, word: u64, len: usize) {
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
}
